#ifndef KONTOR_TMPNAME_H
#define KONTOR_TMPNAME_H

/*
 * Hidden temp files in a user's folder, which a killed writer does not
 * leave behind.
 *
 * The temp file for DIR/NAME is DIR/.NAME.<host>-<pid>-<seq>: host is
 * sixteen hex digits of a hash of the host's name, the kernel's boot id
 * and the writer's pid namespace, pid the writer's process id, seq a
 * counter of the writer.  While it exists, its writer
 * keeps its path registered here, at most TMPNAME_SLOTS at once.
 *
 * tmpname_trap_signals makes SIGTERM, SIGINT and SIGHUP remove every
 * registered temp file before the process dies of the signal as it
 * would have: the handler only unlinks paths prepared beforehand, which
 * is safe in a signal handler.  What SIGKILL or a crash leaves,
 * tmpname_sweep removes on a later run: a temp file of this host, boot
 * and pid namespace whose writer is dead.  A live writer's temp files
 * are never touched, nor those of another host, boot or namespace (a
 * container, a machine of the same name on a shared folder), whose
 * processes cannot be asked.  Where the boot id or the namespace cannot
 * be read (no /proc), none of these is removed.
 *
 * Older kontors named their temp files after mkstemp, DIR/.NAME.XXXXXX,
 * which names no writer.  tmpname_sweep removes such a file only when
 * NAME is a name kontor writes into a user's folder (an e-invoice
 * "X.xml", X of ASCII letters, digits, '_', '-' and '.', or a DATEV
 * batch "EXTF_Buchungsstapel_YYYY-MM.csv"), XXXXXX six ASCII letters or
 * digits, and the file a regular one with no other name, of this user,
 * unchanged for a day: by then its writer is gone.  Every other name is
 * left alone.
 */

#include <limits.h>
#include <sys/types.h>

#define TMPNAME_SLOTS	4096

/*
 * Creates the temp file for dir/name with mode (less the umask), its
 * path into tmp, registered in *slot; returns the descriptor, open for
 * writing, or -1 with errno set (ENAMETOOLONG, ENOSPC when every slot is
 * taken, or what open says).
 */
int	tmpname_open(const char *dir, const char *name, mode_t mode,
	    char tmp[PATH_MAX], int *slot);

/*
 * Forgets the temp file of slot: the caller renamed or removed it.  A
 * slot of -1 is ignored.
 */
void	tmpname_forget(int slot);

/* Told the path of an older kontor's temp file that was removed. */
typedef void	tmpname_old_fn(void *arg, const char *path);

/*
 * Removes from dir the temp files of this host's writers that are dead
 * (see above); *removed counts them, 0 where the writers' world is not
 * known.  The temp files of older kontors that it removes (see above)
 * are not counted, but named to on_old one by one, with arg, when
 * on_old is not NULL.  KR_OK, or KR_IO with errno set when dir cannot
 * be read.
 */
int	tmpname_sweep(const char *dir, long *removed, tmpname_old_fn *on_old,
	    void *arg);

/*
 * Makes SIGTERM, SIGINT and SIGHUP remove the registered temp files (see
 * above).  A signal that is ignored stays ignored.
 */
void	tmpname_trap_signals(void);

#endif

#ifndef KONTOR_TENANT_H
#define KONTOR_TENANT_H

/*
 * A tenant: one seller's directory.
 *
 *	DIR/kontor.conf		configuration (config.h)
 *	DIR/state.db		state database (state.h), created on demand
 *	DIR/spool/<shop>/	new order files; tmp/, cur/, rejected/ below
 *	DIR/out/<delivery>/	delivered files (deliver.h)
 *	DIR/archive/<delivery>/	read-only hard links of every delivered file
 *	DIR/.lock		the tenant lock
 *
 * Nothing of one tenant is read or written while working for another.
 * tenant_open refuses a directory on a network file system (NFS, SMB,
 * ...), where SQLite's locking and WAL do not work.  Paths taken from
 * records are resolved with tenant_path, which refuses anything that
 * would leave the tenant directory.
 */

#include <limits.h>
#include <stddef.h>

#include "config.h"
#include "err.h"

struct tenant {
	char dir[PATH_MAX];	/* as given, without a trailing slash */
	char name[128];		/* base name, for the run record */
	struct config cfg;
	int lock_fd;		/* -1 unless tenant_lock succeeded */
	int lock_inherited;	/* the fd came from KONTOR_LOCK_FD */
};

/*
 * Opens the tenant at dir: checks that it is a directory on a local file
 * system, loads and checks its configuration, sets the process time zone
 * to the tenant's (ktime_set_zone) and creates spool/, out/ and
 * archive/ when missing.  KR_OK, KR_CONFIG (bad config, network file
 * system, not a directory) or KR_IO.
 */
int	tenant_open(struct tenant *t, const char *dir, struct kerr *e);

/*
 * tenant_open for a preview, which changes nothing in the tenant: no
 * folder is created, and a missing spool/ reads as an empty one.
 */
int	tenant_open_preview(struct tenant *t, const char *dir,
	    struct kerr *e);
void	tenant_close(struct tenant *t);

/*
 * Takes the tenant lock (flock on DIR/.lock).  When the environment
 * names an inherited descriptor (KONTOR_LOCK_FD, set by `kontor run` for
 * its children) that already holds the lock on this tenant's lock file,
 * it is used instead.  With wait 0 a held lock fails at once with
 * KR_BUSY; otherwise it waits.  The lock is released by tenant_close.
 */
int	tenant_lock(struct tenant *t, int wait, struct kerr *e);

/*
 * Who holds the tenant lock, as " (NAME, process PID)" into out, from
 * the kernel's list of locks (/proc/locks); "" when that cannot be
 * told.  For saying whom a waiting stage waits for.
 */
void	tenant_lock_holder(const struct tenant *t, char *out, size_t size);

/*
 * Takes the tenant lock for a stage that has read its input: a lock
 * that its own pipe's kontor-tax still holds goes free a moment after
 * the stage's input ended, so it tries for about a second first.  Only
 * a lock held after that belongs to another run: busy (when not NULL)
 * is told, with e saying the tenant is busy, and the stage then waits.
 */
typedef void	tenant_busy_fn(void *arg, const struct kerr *e);
int	tenant_lock_patiently(struct tenant *t, tenant_busy_fn *busy,
	    void *arg, struct kerr *e);

/*
 * 1 when out is the out/ folder of a tenant (a folder named "out" beside
 * a kontor.conf), with that tenant's directory into dir (PATH_MAX
 * bytes); 0 otherwise.  Only deliveries go there: a file put there by
 * hand looks delivered, and would be imported beside the delivery that
 * carries the same invoices.
 */
int	tenant_owns_out(const char *out, char *dir);

/*
 * 1 when out names dir/out, the tenant's own delivery folder, also
 * before that folder exists (a tenant's first run): then out's parent
 * must be dir and its last name "out".  0 otherwise.
 */
int	tenant_is_out(const char *dir, const char *out);

/*
 * Joins the tenant directory and rel into out (PATH_MAX bytes).  rel
 * must be relative, must not contain "..", "." or empty components, and
 * must not begin with a dot: KR_BAD_INPUT otherwise.
 */
int	tenant_path(const struct tenant *t, const char *rel, char *out,
	    struct kerr *e);
/* The checks of tenant_path, for a caller that needs no path built. */
int	tenant_path_check(const struct tenant *t, const char *rel,
	    struct kerr *e);

/*
 * 1 when path is on a file system kontor refuses (network file systems),
 * with its type's name in fstype; 0 when it is not; -1 when statfs
 * fails (errno set).
 */
int	tenant_fs_is_remote(const char *path, char *fstype, size_t size);

/*
 * The name of a refused file system, from statfs's f_type and, for
 * FUSE, the type that /proc/self/mountinfo shows ("fuse.sshfs"); NULL
 * for one kontor accepts.  Refused: nfs, smb, smb2, cifs, coda, afs,
 * ncpfs, 9p, ceph, lustre, orangefs, and the FUSE file systems sshfs,
 * rclone, s3fs, gcsfuse, goofys, glusterfs, ceph-fuse, curlftpfs,
 * davfs, juicefs, blobfuse and blobfuse2.  mount_type may be NULL.
 */
const char	*tenant_fs_remote_name(unsigned long f_type,
		    const char *mount_type);

#endif

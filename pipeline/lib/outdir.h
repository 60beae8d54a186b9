#ifndef KONTOR_OUTDIR_H
#define KONTOR_OUTDIR_H

/*
 * A folder that many output files go into, each appearing whole or not
 * at all, with one sync for a batch of many files instead of two syncs
 * per file (outfile.h).
 *
 * outdir_put writes a file without a name (O_TMPFILE), kept open, or
 * where the folder's file system cannot make one (or /proc is missing,
 * or KONTOR_NAMED_TEMP is set) under a hidden temp name (tmpname.h),
 * and keeps it pending.
 * outdir_flush makes every pending file durable (fs_sync_files: one
 * syncfs on Linux unless they are few), then gives each its name: a
 * link through /proc/self/fd, or, where the name is taken, a link to a
 * temp name renamed over it; a temp file is renamed.  Then it fsyncs
 * the folder.  A name thus never shows a file whose bytes are not on
 * disk: after a crash it holds the whole old file or the whole new one.
 * A file without a name goes with its process, whatever ends it; the
 * pending temp files are registered with tmpname.h, so that SIGTERM,
 * SIGINT and SIGHUP remove them (where the program traps them) and a
 * later outdir_init removes what a killed writer left.  A batch holds
 * descriptors open up to the soft RLIMIT_NOFILE less 64; past that, a
 * file gets a temp name instead.  The caller flushes once outdir_full says
 * so, and at the end, so that memory does not grow with the number of
 * files.
 *
 * Invariants: n_done counts the files made visible under their names,
 * n_lost the files that were put but are not there because a flush
 * failed; every file put is pending, done or lost.
 */

#include <limits.h>
#include <stddef.h>

#include "err.h"
#include "tmpname.h"

#define OUTDIR_BATCH	1000

/*
 * Told of each file a flush could not rename to its name: its path, the
 * label it was put with ("" for none) and errno.
 */
typedef void	outdir_lost_fn(void *arg, const char *path,
		    const char *label, int err);

struct outdir {
	char dir[PATH_MAX];
	char **tmp;		/* pending: DIR/.NAME.<host>-<pid>-<seq> */
	char **path;		/* pending: DIR/NAME */
	char **label;		/* pending: what the file is, for messages */
	int *slot;		/* pending: its tmpname slot, or -1 */
	int *fd;		/* pending: a file without a name, or -1 */
	int unnamed;		/* files without a name work in dir */
	size_t n_open;		/* of the pending, those held open */
	size_t fd_room;		/* how many may be held open */
	outdir_lost_fn *on_lost;	/* NULL, or set by the caller */
	void *lost_arg;
	size_t n_pending;
	long n_done;
	long n_lost;
	long n_swept;		/* dead writers' temp files removed */
};

/*
 * Starts writing into the folder dir; nothing is created yet.  Removes
 * the temp files that dead writers left in dir (tmpname_sweep), as many
 * as n_swept says, and those of older kontors, each named to on_old
 * (when not NULL) with arg.
 */
void	outdir_init(struct outdir *od, const char *dir,
	    tmpname_old_fn *on_old, void *arg);

/*
 * Writes data[0..len) as the pending file dir/name.  name must be a
 * plain file name (no '/', not starting with '.'); label (NULL for none)
 * says what the file holds, for on_lost.  KR_OK; KR_BAD_INPUT for a
 * name that is not plain or too long for a path; KR_IO with e naming the
 * path when the folder takes no file (nothing is left of it): a fault
 * of the folder, not of the name, so the caller need not try the next
 * file.  KBUG when the batch is full.
 */
int	outdir_put(struct outdir *od, const char *name, const char *label,
	    const void *data, size_t len, struct kerr *e);

/* 1 when OUTDIR_BATCH files are pending: time for outdir_flush. */
int	outdir_full(const struct outdir *od);

/*
 * Makes the pending files durable and visible (see above).  KR_OK, or
 * KR_IO with e saying what failed; the files that could not be made
 * visible are removed and counted in n_lost.  A file that cannot be
 * renamed does not stop the others of the batch; each such file is
 * passed to on_lost, where set, so that the caller can name it, and e
 * then only counts them.
 */
int	outdir_flush(struct outdir *od, struct kerr *e);

/* Removes the pending temp files and frees the lists; n_lost counts them. */
void	outdir_release(struct outdir *od);

#endif

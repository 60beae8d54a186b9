#ifndef KONTOR_OUTFILE_H
#define KONTOR_OUTFILE_H

/*
 * An output file that appears whole or not at all.
 *
 * outfile_open creates a hidden temp file (tmpname.h) in the target
 * directory; the caller writes through f->fp; outfile_commit flushes,
 * fsyncs and closes it, gives it the usual permissions (0666 less the
 * umask), renames it to NAME and fsyncs the directory.  A reader never
 * sees half a file.  The temp file is registered with tmpname.h, so
 * that SIGTERM, SIGINT and SIGHUP remove it (where the program traps
 * them); what SIGKILL or a crash leaves, tmpname_sweep removes on a
 * later run.  outfile_abort closes and removes the temp file.
 */

#include <limits.h>
#include <stdio.h>

#include "err.h"

struct outfile {
	FILE *fp;		/* open between open and commit/abort */
	char dir[PATH_MAX];
	char path[PATH_MAX];	/* DIR/NAME */
	char tmp[PATH_MAX];	/* DIR/.NAME.<host>-<pid>-<seq>, or "" */
	int slot;		/* tmp's tmpname slot, or -1 */
};

/*
 * Creates the temp file for dir/name.  name must be a plain file name
 * (no '/', not starting with '.').  KR_OK, KR_BAD_INPUT for such a
 * name, or KR_IO with e naming the path.
 */
int	outfile_open(struct outfile *f, const char *dir, const char *name,
	    struct kerr *e);

/* Makes the file visible under its name (see above).  KR_OK or KR_IO. */
int	outfile_commit(struct outfile *f, struct kerr *e);

/* Closes and removes the temp file; safe when nothing is open. */
void	outfile_abort(struct outfile *f);

#endif

#ifndef KONTOR_NAMESET_H
#define KONTOR_NAMESET_H

/*
 * A set of names that may grow to millions without growing the memory:
 * the names of the files a run wrote, to refuse a second file of the
 * same name.
 *
 * The names are kept in a private SQLite database in a temporary file
 * (SQLite's temp folder: SQLITE_TMPDIR, TMPDIR, /var/tmp or /tmp), which
 * is unlinked as soon as it is opened, so that nothing of it outlives
 * the process, whatever ends it.  Its page cache is NAMESET_CACHE_KIB,
 * what the set costs in memory at any size; the file grows by about 10
 * bytes more than the name for each name (29 bytes each for a million
 * names of 20 characters).  The database is made on the first
 * nameset_add.
 */

#include "err.h"

#define NAMESET_CACHE_KIB	512

struct nameset {
	struct sqlite3 *db;		/* NULL until the first name */
	struct sqlite3_stmt *add;
	long n;				/* names in the set */
};

/* An empty set; nothing is allocated yet. */
void	nameset_init(struct nameset *ns);

/*
 * Adds a copy of name: *added is 1 when it is new, 0 when the set held
 * it already.  KR_OK, or KR_IO (the temporary file cannot be written)
 * or KR_NOMEM with e saying so.
 */
int	nameset_add(struct nameset *ns, const char *name, int *added,
	    struct kerr *e);

/* Frees the set; its temporary file goes with it. */
void	nameset_release(struct nameset *ns);

#endif

#ifndef KONTOR_DELIVER_H
#define KONTOR_DELIVER_H

/*
 * Delivering output without losing or doubling anything (DESIGN §5).
 *
 * A delivery is one folder DIR/out/<id>/ of files plus a MANIFEST (the
 * documents it covers and the SHA-256 of every file).  It is made under
 * the tenant lock:
 *
 *	1. files are written into out/.tmp-<id>/ and fsync'd, and the folder
 *	   too;
 *	2. a pending ledger row records the delivery, its files' hashes and
 *	   its documents (refused if a document is already delivered);
 *	3. the folder is renamed to out/<id>/ and out/ is fsync'd;
 *	4. the row is marked done; every file is made read-only (0444) and
 *	   hard-linked into archive/<id>/.
 *
 * deliver_settle, run at the start of every delivering stage under the
 * lock, finishes what a crash left: a pending row whose folder exists is
 * marked done; one whose temp folder is complete (hashes match) is
 * renamed and marked done; a pending row with neither is dropped; a temp
 * folder without a row is removed.  A document thus ends up in exactly
 * one delivery.
 */

#include <stdio.h>

#include "err.h"
#include "state.h"
#include "tenant.h"

#define DELIVER_FILES_MAX	4096
#define DELIVER_ID_MAX		64

struct delivery {
	const struct tenant *t;
	struct state *st;
	char id[DELIVER_ID_MAX];	/* "20261204T020000Z-datev" */
	char channel[32];
	char run_id[48];
	char tmp_dir[PATH_MAX];
	struct delivery_file *files;
	size_t nfiles;
	char **docs;
	size_t ndocs, cap_docs;
};

/*
 * Settles what an earlier crash left (see above).  The caller holds the
 * tenant lock.  Prints nothing; fills e on failure.
 */
int	deliver_settle(const struct tenant *t, struct state *st,
	    struct kerr *e);

/*
 * Starts a delivery on channel for run_id: picks an unused id based on
 * the run ("<run_id>-<channel>", with "-2", "-3", ... when taken) and
 * creates its temp folder.
 */
int	deliver_begin(struct delivery *d, const struct tenant *t,
	    struct state *st, const char *run_id, const char *channel,
	    struct kerr *e);

/*
 * Creates a file in the temp folder for writing.  name must be a plain
 * file name.  The caller writes and passes the stream to
 * deliver_close_file, which flushes, fsyncs, closes and hashes it.
 */
FILE	*deliver_open_file(struct delivery *d, const char *name,
	    struct kerr *e);
int	deliver_close_file(struct delivery *d, FILE *fp, const char *name,
	    struct kerr *e);

/* Records that the delivery covers a document (an invoice number). */
void	deliver_add_doc(struct delivery *d, const char *key);

/*
 * Steps 1 (folder fsync, MANIFEST) to 4.  With no documents the temp
 * folder is removed and nothing is recorded (*delivered = 0).
 */
int	deliver_commit(struct delivery *d, int *delivered, struct kerr *e);

/* Removes the temp folder; nothing is recorded. */
void	deliver_abort(struct delivery *d);

void	deliver_release(struct delivery *d);

#endif

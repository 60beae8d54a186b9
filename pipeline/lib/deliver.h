#ifndef KONTOR_DELIVER_H
#define KONTOR_DELIVER_H

/*
 * Delivering output without losing or doubling anything (DESIGN §5).
 *
 * A delivery is one folder DIR/out/<id>/ of files plus a MANIFEST (the
 * documents it covers and the SHA-256 of every file).  It is made under
 * the tenant lock:
 *
 *	1. files are written into out/.tmp-<id>/ and made read-only
 *	   (0444), then a MANIFEST; then all of them and the folder are
 *	   made durable (fs_sync_folder: an fsync each for a few files,
 *	   one syncfs for the thousands of e-invoices a delivery may
 *	   hold);
 *	2. a pending ledger row records the delivery, its files' hashes and
 *	   its documents (refused if a document is already delivered);
 *	3. the folder is renamed to out/<id>/ and out/ is fsync'd;
 *	4. every file is hard-linked into archive/<id>/ and the row is
 *	   marked done, in that order, so that a done delivery is always
 *	   archived.
 *
 * The MANIFEST has one line per fact, fields separated by one space:
 * "delivery <id>", "run <run id>", then "doc <channel> <key>" per
 * document and "file <name> <size in bytes> <sha256>" per file.
 *
 * deliver_settle, run at the start of every delivering stage under the
 * lock, finishes what a crash left: a pending row whose folder exists is
 * marked done; one whose temp folder is complete (hashes match) is
 * renamed and marked done; a pending row with neither is dropped (its
 * documents go out again); a temp folder without a row is removed.  A
 * document thus ends up in exactly one delivery.
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
	FILE *docs;		/* the document keys, one a line */
	size_t ndocs;
	char bad_doc[64];	/* the start of a key that cannot be kept */
};

/*
 * Settles what an earlier crash left (see above).  The caller holds the
 * tenant lock.  Prints nothing; fills e on failure.
 */
int	deliver_settle(const struct tenant *t, struct state *st,
	    struct kerr *e);

/*
 * Makes a delivering stage ready to deliver, once it has read its input:
 * takes the tenant lock, waiting while another run holds it (busy, when
 * not NULL, is told first, with e saying so), then runs
 * deliver_check_known and deliver_settle.  The lock is taken this late
 * so that a hand pipe works: its kontor-tax holds the lock until it has
 * written its last record.  Released by tenant_close.
 */
int	deliver_lock(struct tenant *t, struct state *st, tenant_busy_fn *busy,
	    void *arg, struct kerr *e);

/*
 * Refuses (KR_STATE) a state database that does not know every delivery
 * folder in out/: a database restored from an old backup, or a fresh one
 * next to old output, would draw numbers that customers already hold.
 * Run it under the lock, after deliver_settle.
 */
int	deliver_check_known(const struct tenant *t, struct state *st,
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
 * file name (no slash, no space or control character, not starting with
 * a dot, not "MANIFEST").  The caller writes and passes the stream to
 * deliver_close_file, which flushes, makes read-only, closes and hashes
 * it (deliver_commit makes it durable); fp is closed whatever it
 * returns.  The delivery keeps a
 * copy of name.
 */
FILE	*deliver_open_file(struct delivery *d, const char *name,
	    struct kerr *e);
int	deliver_close_file(struct delivery *d, FILE *fp, const char *name,
	    struct kerr *e);

/*
 * deliver_open_file, writing the len bytes at data and
 * deliver_close_file in one, for a file held whole in memory: the
 * bytes are hashed as they are, not read back from the file.
 */
int	deliver_put_file(struct delivery *d, const char *name,
	    const void *data, size_t len, struct kerr *e);

/*
 * Records that the delivery covers a document (an invoice number); key
 * is copied.  A key given twice is recorded once in the ledger.  The
 * keys wait in an unlinked file of the temp folder, not in memory, so
 * that a delivery of a million documents costs no more memory than one
 * of ten; an empty key or one with a control character makes
 * deliver_commit fail.
 */
void	deliver_add_doc(struct delivery *d, const char *key);

/*
 * Steps 1 (MANIFEST, files and folder made durable) to 4.  With no
 * documents the temp folder is removed and nothing is recorded
 * (*delivered = 0).  A failure before the pending row is committed
 * removes the temp folder (the documents stay undelivered); a failure
 * after it leaves the delivery for deliver_settle to finish.
 */
int	deliver_commit(struct delivery *d, int *delivered, struct kerr *e);

/*
 * Makes the delivered files of out/<id>/ read-only and hard-links them
 * into archive/<id>/ (links already there are kept).
 */
int	deliver_archive(const struct tenant *t, const char *id,
	    const struct delivery_file *files, size_t nfiles,
	    struct kerr *e);

/*
 * 1 when d holds as many files as a delivery should: a channel that
 * writes a file per document then commits it and begins another.
 */
int	deliver_full(const struct delivery *d);

/* Removes the temp folder unless the ledger already has the delivery. */
void	deliver_abort(struct delivery *d);

/* Frees what the delivery holds; its folders stay as they are. */
void	deliver_release(struct delivery *d);

#endif

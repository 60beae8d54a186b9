#ifndef KONTOR_STATE_H
#define KONTOR_STATE_H

/*
 * The tenant's state database: DIR/state.db (SQLite, WAL,
 * synchronous=FULL), one per tenant.  It holds
 *
 *	invoices	every numbered invoice and credit note, stored whole
 *			(the record's bytes and their SHA-256), with a hash
 *			of the order's amounts; unique per (shop, order id,
 *			document type, refund id) and per number
 *	sales		beside each stored document, the figures of it
 *			that the yearly totals sum, by year of supply and
 *			treatment, stored in the same transaction
 *	series		the last number drawn per series and year
 *	set_aside	orders cancelled before they were invoiced
 *	refunds_waiting	every refund of an invoiced order, whole, until its
 *			credit note is stored (then done, with its number)
 *	rejections	every rejected file or record, with its message
 *	deliveries	the delivery ledger: one row per delivery (pending,
 *			done), its files with their SHA-256, and the
 *			documents it covers per channel
 *	audit		one row per run of a command: who, what, when, the
 *			counts and the hashes of the files written
 *
 * Numbering is gapless: a number is drawn and its invoice stored in the
 * same transaction, and every check that can reject an order runs before
 * the transaction starts.  Write transactions are short and are never
 * held across pipe I/O: callers collect a batch, commit it, and only
 * then write records.
 */

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define STATE_FILE	"state.db"

struct state;

/*
 * Opens (creating when missing) DIR/state.db and brings its schema up to
 * date.  KR_OK, KR_STATE (also for a schema newer than this kontor
 * knows), KR_IO, or KR_BUSY when another process kept the database
 * locked longer than the busy timeout (10 s).  Close with state_close.
 */
int	state_open(struct state **st, const char *tenant_dir, struct kerr *e);
void	state_close(struct state *st);

/* Transactions: BEGIN IMMEDIATE ... COMMIT, or ROLLBACK. */
int	state_begin(struct state *st, struct kerr *e);
int	state_commit(struct state *st, struct kerr *e);
void	state_rollback(struct state *st);

/*
 * A transaction that only reads, so that many lookups in a row take
 * SQLite's read lock (three system calls) once and see one snapshot.
 * state_read_begin starts one unless it is open already; state_read_end
 * ends it, and state_begin ends it before it starts writing.  Nothing
 * may write between the two: what did would be rolled back.  In WAL
 * mode it blocks no other reader or writer, but the log cannot be
 * checkpointed past it, so it is held for a batch at most.
 */
int	state_read_begin(struct state *st, struct kerr *e);
void	state_read_end(struct state *st);

/* Invoices */

struct stored_invoice {
	char number[64];
	char issue_date[11];
	char order_hash[65];
	char *json;		/* the record's bytes; free() it */
	size_t json_len;
};

/*
 * Finds the invoice (doc_type "380") or credit note ("381", refund_id
 * given) of an order.  KR_OK with *out filled, KR_NOT_FOUND, or
 * KR_STATE.
 */
int	state_find_invoice(struct state *st, const char *shop,
	    const char *order_id, const char *doc_type,
	    const char *refund_id, struct stored_invoice *out,
	    struct kerr *e);
void	stored_invoice_release(struct stored_invoice *si);

/*
 * Sets *same to 1 when the stored invoice or credit note numbered
 * number has exactly the len bytes at json, else to 0 (none has that
 * number, or its bytes differ).  KR_OK or KR_STATE.
 */
int	state_invoice_same(struct state *st, const char *number,
	    const char *json, size_t len, int *same, struct kerr *e);

/*
 * Draws the next number of a series inside the current transaction.
 * pattern contains one {N...} run of digits (width = number of Ns) and
 * may contain {YYYY}, {YY} and {MM}, taken from date ("YYYY-MM-DD"); the
 * counter is kept per expanded prefix, so a pattern with {YYYY} starts
 * at 1 every year.  KR_OK, KR_CONFIG (bad pattern, counter beyond the
 * width) or KR_STATE.
 */
int	state_draw_number(struct state *st, const char *pattern,
	    const char *date, char *out, size_t size, struct kerr *e);

/*
 * Gives back the number state_draw_number drew last, unused: the next
 * one drawn from its series is the same again.  Only right after the
 * draw, in the same transaction.
 */
void	state_number_unused(struct state *st);

/*
 * Raises the counter of the series that number belongs to under pattern
 * (matching its text, {YYYY}, {YY}, {MM} and digits) to at least the
 * number's own counter, inside the current transaction: the next number
 * drawn comes after it.  KR_OK, KR_NOT_FOUND when number does not
 * match pattern, or KR_STATE.  For reading back deliveries a database
 * did not know (recover.h).
 */
int	state_series_raise(struct state *st, const char *pattern,
	    const char *number, struct kerr *e);

struct invoice_row {
	const char *shop;
	const char *order_id;
	const char *doc_type;
	const char *refund_id;	/* NULL for invoices */
	const char *number;
	const char *issue_date;
	const char *run_id;
	const char *source_file;
	const char *order_hash;	/* hex SHA-256 of the order's amounts */
	const char *json;	/* the invoice record, without newline */
	size_t json_len;
	/* what the yearly totals count of it; its doc_type is the row's */
	const struct distance_sale_row *sale;
	/*
	 * Not NULL: set to 1 when the order already had a stored document
	 * of this type and refund, instead of failing; nothing is stored.
	 */
	int *taken;
};

/*
 * Stores an invoice inside the current transaction, with the figures
 * of r->sale (which must not be NULL) beside it.  A number or a
 * document of the order already stored is refused with KR_STATE (but
 * see r->taken), and the transaction stays as it was.
 */
int	state_store_invoice(struct state *st, const struct invoice_row *r,
	    struct kerr *e);

/*
 * Calls fn for every stored invoice not yet delivered on channel
 * ("datev", "einvoice", ...), in the order they were numbered.  fn gets
 * the record bytes (valid during the call) and returns KR_OK to go on;
 * any other code stops the walk and is returned.  An invoice in a
 * pending delivery counts as delivered: deliver_settle resolves pending
 * deliveries before a run delivers anything.  fn must not start another
 * walk on the same connection.
 */
typedef int (*state_invoice_fn)(void *arg, const char *number,
    const char *json, size_t len);
int	state_each_undelivered(struct state *st, const char *channel,
	    state_invoice_fn fn, void *arg, struct kerr *e);

/*
 * Refunds waiting for their credit notes.  A refund of an invoiced
 * order is recorded once per (shop, order id, refund id) in the commit
 * that sees it, and waits until the transaction that stores its credit
 * note marks it done; one that pays nothing back is marked void.  The
 * refund's canonical JSON (refund_to_json) is kept with it, so that its
 * credit note needs nothing but the stored invoice.
 */

struct refund_row {
	const char *shop;
	const char *order_id;
	const char *refund_id;
	const char *invoice_number;	/* the invoice it reduces */
	const char *amount;		/* what was paid back, decimal */
	const char *currency;
	const char *refunded_at;	/* RFC 3339, "" when unknown */
	const char *source_file;
	const char *run_id;
	const char *json;		/* the refund, refund_to_json */
};

/*
 * Records a refund of an invoiced order that needs a credit note, once:
 * *added is 1 when it was new, or when a waiting refund recorded without
 * its JSON or without its date (an order listing only the id and total
 * of a refund whose document comes on its own) is completed by r.
 */
int	state_refund_wait(struct state *st, const struct refund_row *r,
	    int *added, struct kerr *e);
/* How many refunds wait. */
int	state_refunds_waiting(struct state *st, long *n, struct kerr *e);

/* A waiting refund as state_each_refund_waiting hands it over. */
struct waiting_refund {
	int64_t rowid;			/* grows with every new refund */
	const char *shop;
	const char *order_id;
	const char *refund_id;
	const char *invoice_number;
	const char *currency;
	const char *json;		/* NULL: recorded before it was kept */
	const char *source_file;
};

/*
 * Calls fn for every waiting refund with a rowid above after, ordered by
 * shop, order id and rowid, so that the refunds of one order come
 * together.  With past not NULL, only those that sort after it (its
 * shop, order id and rowid), so that a walk that fn stopped goes on
 * where it stopped.  The strings are valid during the call; fn may read
 * the database but not write it.  fn returns KR_OK to go on.
 */
typedef int (*state_refund_fn)(void *arg, const struct waiting_refund *w);
int	state_each_refund_waiting(struct state *st, int64_t after,
	    const struct waiting_refund *past, state_refund_fn fn, void *arg,
	    struct kerr *e);

/*
 * Inside the transaction that stores its credit note: marks a refund
 * done with credit_number, or void (nothing was due) when credit_number
 * is NULL.  A refund that no longer waits is left as it is.
 */
int	state_refund_done(struct state *st, const char *shop,
	    const char *order_id, const char *refund_id,
	    const char *credit_number, struct kerr *e);

/*
 * What became of a refund: "waiting", "done", "void", or "" when it was
 * never recorded.
 */
int	state_refund_status(struct state *st, const char *shop,
	    const char *order_id, const char *refund_id, char out[16],
	    struct kerr *e);

/*
 * Calls fn (number NULL) with each stored credit note of an order, in
 * the order they were numbered.
 */
int	state_each_credit_note(struct state *st, const char *shop,
	    const char *order_id, state_invoice_fn fn, void *arg,
	    struct kerr *e);

/*
 * The latest issue date of any stored invoice ("" when there is none),
 * into out (11 bytes).
 */
int	state_last_issue_date(struct state *st, char out[11], struct kerr *e);

/*
 * One stored document of a sale, as the yearly limits count it
 * (distsales.h): an EU distance sale (treatment "oss" or
 * "eu-consumer-de", tax.md §5), or any sale taxable in Germany (not
 * "oss", not "deemed-supplier", tax.md §4).  The amounts are the
 * record's decimal strings: the net total in the invoice currency, and
 * for an invoice in another currency its EUR VAT and the EUR gross of
 * each breakdown part, separated by spaces (both "" for EUR invoices).
 *
 * state_store_invoice keeps these figures beside each document, so
 * that the totals never read the documents themselves; they must be
 * the record's own (distsales_figures).
 */
struct distance_sale_row {
	const char *doc_type;		/* "380" or "381" */
	const char *supply_year;	/* "2026", NULL when none */
	const char *treatment;		/* "oss", ...; NULL when none */
	const char *currency;
	const char *net;
	const char *vat_eur;
	const char *gross_eur;
};

typedef int	(*state_sale_fn)(void *arg,
		    const struct distance_sale_row *row);

/*
 * Calls fn for each stored sale of kind ("eu" or "turnover") whose
 * supply date lies in year ("2026"); stops at the first result of fn
 * that is not KR_OK and returns it.
 */
int	state_each_sale(struct state *st, const char *year, const char *kind,
	    state_sale_fn fn, void *arg, struct kerr *e);

/* Set aside, rejections */

int	state_set_aside(struct state *st, const char *shop,
	    const char *order_id, const char *run_id, const char *source_file,
	    const char *reason, struct kerr *e);
/* KR_OK when the order was set aside earlier, else KR_NOT_FOUND. */
int	state_is_set_aside(struct state *st, const char *shop,
	    const char *order_id, struct kerr *e);

int	state_reject(struct state *st, const char *run_id, const char *stage,
	    const char *file, const char *shop, const char *order_id,
	    const char *message, struct kerr *e);

/* Deliveries */

struct delivery_file {
	const char *name;	/* file name inside the delivery folder */
	char sha256[65];
	int64_t size_bytes;
};

struct delivery_row {
	const char *id;		/* also the folder name under out/ */
	const char *channel;
	const char *run_id;
	const struct delivery_file *files;
	size_t nfiles;
	const char *const *docs;	/* invoice numbers it covers */
	size_t ndocs;
};

/*
 * Records a pending delivery inside the current transaction.  Fails with
 * KR_STATE naming the number when one of docs is already delivered (or
 * pending) on the channel.
 */
int	state_delivery_pending(struct state *st, const struct delivery_row *d,
	    struct kerr *e);
/*
 * Records more documents of the pending delivery d->id (d->docs only),
 * in the transaction that recorded it, so that a long list can be
 * handed over in parts.  Fails as state_delivery_pending does.
 */
int	state_delivery_docs(struct state *st, const struct delivery_row *d,
	    struct kerr *e);
/*
 * Marks a delivery done in a transaction of its own (so no transaction
 * may be open); marking a done delivery again is fine.
 */
int	state_delivery_done(struct state *st, const char *id, struct kerr *e);
/*
 * Forgets a pending delivery whose folder never appeared, with its files
 * and documents, in a transaction of its own; KR_STATE for a done one.
 */
int	state_delivery_drop(struct state *st, const char *id, struct kerr *e);

/*
 * Calls fn for each pending delivery with its files (valid during the
 * call), so that a starting run can settle what a crash left
 * (deliver.h).  The pending rows are read before the first call, so fn
 * may mark them done or drop them.
 */
typedef int (*state_delivery_fn)(void *arg, const char *id,
    const struct delivery_file *files, size_t nfiles);
int	state_each_pending(struct state *st, state_delivery_fn fn, void *arg,
	    struct kerr *e);

/*
 * 1 when a delivery with this id (any status) is recorded, 0 when not,
 * -1 when the database cannot be read.
 */
int	state_delivery_known(struct state *st, const char *id);

/* Counts recorded deliveries (to refuse a fresh database next to out/). */
int	state_count_deliveries(struct state *st, long *n, struct kerr *e);

/* Audit */

struct audit_row {
	const char *run_id;
	const char *command;	/* "kontor-tax --tenant demo", ... */
	const char *user;
	const char *time;	/* RFC 3339 UTC */
	const char *counts;	/* "read=8 invoices=8 rejected=0" */
	const char *files;	/* "name sha256\n" lines, or "" */
	int status;		/* exit status */
};

int	state_audit(struct state *st, const struct audit_row *a,
	    struct kerr *e);

/*
 * Writes the audit row of a program's run: argv joined as the command,
 * the user running it, counts and files as in struct audit_row.
 */
int	state_audit_command(struct state *st, const char *run_id,
	    const char *time, int argc, char *const *argv, const char *counts,
	    const char *files, int status, struct kerr *e);

/* Reports of a run (for `kontor run`) */

/* Calls fn for each audit row of run_id, oldest first. */
typedef int (*state_audit_fn)(void *arg, const char *command,
    const char *counts, int status);
int	state_each_audit(struct state *st, const char *run_id,
	    state_audit_fn fn, void *arg, struct kerr *e);

/*
 * Makes id (size bytes) unique among the runs the database knows, by
 * appending "-2", "-3", ... while an audit row or a delivery carries it.
 * A run id that `kontor run` handed down (KONTOR_RUN_ID) is left alone:
 * its stages share it on purpose.  Two runs with a pinned clock
 * (KONTOR_NOW) thus still get ids of their own.
 */
int	state_fresh_run_id(struct state *st, char *id, size_t size,
	    struct kerr *e);

/* Calls fn for each file of each done delivery made by run_id. */
typedef int (*state_file_fn)(void *arg, const char *delivery,
    const char *channel, const char *name);
int	state_each_delivered_file(struct state *st, const char *run_id,
	    state_file_fn fn, void *arg, struct kerr *e);

#endif

#ifndef KONTOR_TAXBATCH_H
#define KONTOR_TAXBATCH_H

/*
 * A batch of kontor-tax's output, committed as one transaction.
 *
 * The batch holds, in input order, the records the stage will write: some
 * ready to go out, some invoices and credit notes that get their numbers
 * only when the batch is committed.  With them go the state rows
 * (rejections, orders set aside, refunds waiting for credit notes,
 * refunds credited) and the spool files to move.  taxbatch_commit draws
 * every number, stores every document whole and records every row in
 * one transaction, and only then hands the
 * output back: no record goes out before its number is durable, and no
 * number is drawn that a rollback could lose (DESIGN §4).  The files are
 * moved by the caller after the commit.
 *
 * All text given to the batch is copied; the batch owns its memory until
 * taxbatch_clear or taxbatch_release.
 */

#include <stddef.h>

#include "buf.h"
#include "err.h"
#include "invoice.h"
#include "order.h"
#include "state.h"

enum tb_later {
	TB_REJECT,	/* record a rejection; move the file to rejected/ */
	TB_SET_ASIDE,	/* record an order set aside */
	TB_CUR,		/* move the file to cur/ */
	TB_REFUND_VOID	/* a refund paid nothing back: text is its id */
};

/* A refund of an invoiced order, recorded as waiting for its credit note */
struct tb_refund {
	char *shop, *order_id, *order_number, *refund_id, *amount;
	char *currency, *at, *file;
	char *json;		/* the refund whole (refund_to_json) */
	char *number;		/* the invoice, or NULL: seg's number */
	size_t seg;
	int added;		/* new in the database at the last commit */
};

struct tb_seg;
struct tb_later_item;

struct taxbatch {
	struct buf bytes;
	struct tb_seg *seg;
	size_t nseg, cap_seg;
	struct tb_later_item *later;
	size_t nlater, cap_later;
	struct tb_refund *rw;
	size_t nrw, cap_rw;
	size_t norders;		/* invoices and orders queued */
	struct arena *kept;	/* taxbatch_keep_booking's copies */
};

/* What a commit numbered. */
struct taxbatch_result {
	long invoiced;		/* new numbers drawn */
	long again;		/* orders numbered meanwhile: stored invoice */
	char first[64], last[64];	/* the numbers drawn, "" if none */
	long credited;		/* credit notes numbered */
	long credited_again;	/* refunds credited meanwhile */
	char credit_first[64], credit_last[64];
};

/* The number patterns of the tenant (config.h). */
struct taxbatch_series {
	const char *invoice;	/* invoice.number_pattern */
	const char *credit;	/* invoice.credit_pattern */
};

void	taxbatch_init(struct taxbatch *b);
void	taxbatch_release(struct taxbatch *b);
/* Empties the batch, keeping its memory. */
void	taxbatch_clear(struct taxbatch *b);
int	taxbatch_empty(const struct taxbatch *b);

/*
 * 1 when b holds as much as one commit should: TAXBATCH_DOCS invoices,
 * credit notes and orders, or TAXBATCH_BYTES of records.  Below the
 * 64 MiB the batch's records may take, with room for the largest one.
 */
#define TAXBATCH_DOCS	1000
#define TAXBATCH_BYTES	((size_t)32 << 20)
int	taxbatch_full(const struct taxbatch *b);

/* A record line (without newline) that goes out as it is. */
void	taxbatch_raw(struct taxbatch *b, const char *p, size_t n);

/*
 * Queues inv, the invoice of o.  With numbered set its number is drawn
 * at the commit (inv->number must be ""), hash is the order's amounts
 * hash (order_amounts_hash) and the invoice is stored; otherwise (a
 * preview) it goes out as it is.  A record that cannot be written (a
 * text that is not valid UTF-8, a record over the size limit) leaves the
 * batch as it was and fails with e saying why.
 */
int	taxbatch_invoice(struct taxbatch *b, const struct invoice *inv,
	    const struct order *o, const char *hash, int numbered,
	    struct kerr *e);

/* A state row or a file move for after the commit (see enum tb_later). */
void	taxbatch_later(struct taxbatch *b, enum tb_later kind,
	    const char *file, const char *shop, const char *order_id,
	    const char *text);

/* The spool files of o (its source and the files joined to it) move to
 * cur/ after the commit. */
void	taxbatch_moves(struct taxbatch *b, const struct order *o);

/*
 * Queues cn, a credit note (doc_type "381", refund_id set), as
 * taxbatch_invoice does an invoice: numbered set, its number is drawn
 * from the credit notes' series at the commit, it is stored under
 * (shop, order id, 381, refund id) with hash as its amounts hash, and
 * its refund is marked done in the same transaction.  A refund credited
 * meanwhile gives its stored credit note instead.  cn->source_file is
 * recorded as its source.
 */
int	taxbatch_credit(struct taxbatch *b, const struct invoice *cn,
	    const char *hash, int numbered, struct kerr *e);

/*
 * The refunds of o wait for credit notes against invoice number, or,
 * when number is NULL, against the invoice queued last.
 */
void	taxbatch_refunds(struct taxbatch *b, const struct order *o,
	    const char *number);
/*
 * One refund rf of o waits against invoice number, or, when number is
 * NULL, against the invoice queued at seg (taxbatch_queued).
 */
void	taxbatch_refund(struct taxbatch *b, const struct order *o,
	    const struct refund *rf, const char *number, size_t seg);
/* Where the invoice of (shop, order_id) is queued in b, or -1. */
long	taxbatch_queued(const struct taxbatch *b, const char *shop,
	    const char *order_id);

/*
 * Commits the batch (see above) in st with numbers from series, for
 * run_id, and appends its output to out; what it numbered is added to
 * res.  st NULL (a preview): nothing is stored and the output is the
 * batch as queued.  On failure the transaction is rolled back, out and
 * res are as they were, and e says why.
 */
int	taxbatch_commit(struct taxbatch *b, struct state *st,
	    const struct taxbatch_series *series, const char *run_id,
	    struct buf *out, struct taxbatch_result *res, struct kerr *e);

/*
 * After a commit: calls fn for every spool file to move, with reason
 * NULL for cur/ or the reason for rejected/.
 */
typedef void (*taxbatch_move_fn)(void *arg, const char *file,
    const char *reason);
void	taxbatch_each_move(const struct taxbatch *b, taxbatch_move_fn fn,
	    void *arg);

/*
 * The bytes of the record queued at seg, without its newline, as they
 * were queued (before any number was drawn); valid until the batch
 * changes.
 */
void	taxbatch_record(const struct taxbatch *b, size_t seg, const char **p,
	    size_t *n);

/*
 * From now on, every invoice and credit note queued for a number is
 * also kept as invoice_copy_booking copies it, until the batch is
 * cleared, for taxbatch_each_new.
 */
void	taxbatch_keep_booking(struct taxbatch *b);

/*
 * After a commit: calls fn, in the order they were stored, for the
 * documents kept for booking that the commit stored under a new number
 * (inv->number is that number).  A document numbered before, in this
 * batch or earlier, is not among them.
 */
typedef void (*taxbatch_new_fn)(void *arg, const struct invoice *inv);
void	taxbatch_each_new(const struct taxbatch *b, taxbatch_new_fn fn,
	    void *arg);

/* A file moves only when it came from a tenant's spool ("spool/..."). */
int	taxbatch_from_spool(const char *file);

#endif

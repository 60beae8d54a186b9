#ifndef KONTOR_TAXBATCH_H
#define KONTOR_TAXBATCH_H

/*
 * A batch of kontor-tax's output, committed as one transaction.
 *
 * The batch holds, in input order, the records the stage will write: some
 * ready to go out, some invoices that get their numbers only when the
 * batch is committed.  With them go the state rows (rejections, orders
 * set aside, refunds waiting for credit notes) and the spool files to
 * move.  taxbatch_commit draws every number, stores every invoice whole
 * and records every row in one transaction, and only then hands the
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
	TB_CUR		/* move the file to cur/ */
};

/* A refund of an invoiced order, recorded as waiting for its credit note */
struct tb_refund {
	char *shop, *order_id, *order_number, *refund_id, *amount;
	char *currency, *at, *file;
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
};

/* What a commit numbered. */
struct taxbatch_result {
	long invoiced;		/* new numbers drawn */
	long again;		/* orders numbered meanwhile: stored invoice */
	char first[64], last[64];	/* the numbers drawn, "" if none */
};

void	taxbatch_init(struct taxbatch *b);
void	taxbatch_release(struct taxbatch *b);
/* Empties the batch, keeping its memory. */
void	taxbatch_clear(struct taxbatch *b);
int	taxbatch_empty(const struct taxbatch *b);

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
 * The refunds of o wait for credit notes against invoice number, or,
 * when number is NULL, against the invoice queued last.
 */
void	taxbatch_refunds(struct taxbatch *b, const struct order *o,
	    const char *number);

/*
 * Commits the batch (see above) in st with invoice numbers from pattern,
 * for run_id, and appends its output to out.  st NULL (a preview):
 * nothing is stored and the output is the batch as queued.  On failure
 * the transaction is rolled back, out and res are as they were, and e
 * says why.
 */
int	taxbatch_commit(struct taxbatch *b, struct state *st,
	    const char *pattern, const char *run_id, struct buf *out,
	    struct taxbatch_result *res, struct kerr *e);

/*
 * After a commit: calls fn for every spool file to move, with reason
 * NULL for cur/ or the reason for rejected/.
 */
typedef void (*taxbatch_move_fn)(void *arg, const char *file,
    const char *reason);
void	taxbatch_each_move(const struct taxbatch *b, taxbatch_move_fn fn,
	    void *arg);

/* A file moves only when it came from a tenant's spool ("spool/..."). */
int	taxbatch_from_spool(const char *file);

#endif

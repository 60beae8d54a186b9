#ifndef KONTOR_CHANNEL_H
#define KONTOR_CHANNEL_H

/*
 * Delivering stored invoices on one channel ("datev", "einvoice", ...).
 *
 * A delivering stage does not deliver what comes down its pipe: it
 * delivers, from the state database, every stored invoice that no
 * delivery on its channel covers yet.  That is what makes a crashed or
 * failed run harmless: whatever was numbered and not delivered goes out
 * with the next delivery, exactly once, with the bytes that were stored
 * when its number was drawn.  The records on the pipe are only checked:
 * an invoice this tenant never stored, or a provisional one, is refused
 * by name.
 *
 * The caller holds the tenant lock and has settled the delivery journal
 * (deliver_settle).  channel_deliver opens one delivery, hands each
 * undelivered invoice to ops->book (which writes it into the delivery's
 * files and says whether it is covered now), lets ops->finish close the
 * files and commits the delivery.  A delivery that is full
 * (deliver_full) is committed on the way and the next one of the run
 * begun, so a night of a million e-invoices goes out in one run, in
 * deliveries of a few thousand files each.  An invoice that book refuses
 * stays undelivered on the channel and comes up again next time.
 */

#include "deliver.h"
#include "err.h"
#include "invoice.h"
#include "state.h"
#include "tenant.h"

struct channel_ops {
	/*
	 * Writes inv into d's files; KR_OK when d now covers it.
	 * KR_NOT_FOUND: the channel has no document for inv (an e-invoice
	 * for a sale the marketplace invoices); d covers it all the same,
	 * so it is never offered again.
	 */
	int	(*book)(void *arg, struct delivery *d,
		    const struct invoice *inv, struct kerr *e);
	/* Finishes what is still open in d, before the commit. */
	int	(*finish)(void *arg, struct delivery *d, struct kerr *e);
	/* Tells about an invoice that book or reading refused. */
	void	(*refused)(void *arg, const char *number,
		    const struct kerr *e);
	/*
	 * Reads a stored invoice for book: invoice_read_booking when book
	 * needs no more; NULL for invoice_read, every field.
	 */
	int	(*read)(struct invoice *inv, const struct jnode *root,
		    struct kerr *e);
};

struct channel_stats {
	long offered;		/* undelivered invoices found */
	long delivered;		/* covered by a committed delivery */
	long skipped;		/* of those, without a document */
	long refused;		/* left undelivered */
	int committed;		/* how many deliveries were recorded */
	char delivery[DELIVER_ID_MAX];	/* the first of them */
	char *files;		/* "name sha256\n" per file of the first
				   delivery; free() it */
};

/*
 * Delivers every stored, undelivered invoice on channel (see above).
 * KR_OK when the deliveries were committed or there was nothing to
 * deliver; otherwise the open delivery is aborted (those committed
 * before stay), and e says why.
 */
int	channel_deliver(const struct tenant *t, struct state *st,
	    const char *run_id, const char *channel,
	    const struct channel_ops *ops, void *arg,
	    struct channel_stats *stats, struct kerr *e);

/*
 * The same in steps, for a stage that books invoices as it numbers
 * them: channel_open begins the delivery, channel_walk offers every
 * stored invoice the channel has not had yet, channel_offer one that
 * the caller just stored, as the walk would have read it (inv->number
 * set), and channel_close commits (commit set) or aborts the delivery
 * and frees cr.  Between the calls the caller may write into st, but
 * an invoice it stores must reach channel_offer and never a walk that
 * comes after: that walk would offer it a second time.
 */
struct channel_run;
int	channel_open(struct channel_run **cr, const struct tenant *t,
	    struct state *st, const char *run_id, const char *channel,
	    const struct channel_ops *ops, void *arg,
	    struct channel_stats *stats, struct kerr *e);
int	channel_walk(struct channel_run *cr, struct kerr *e);
int	channel_offer(struct channel_run *cr, const struct invoice *inv,
	    struct kerr *e);
int	channel_close(struct channel_run *cr, int commit, struct kerr *e);

/*
 * Checks an invoice that came down the pipe (inv, read from the record
 * root, whose line is raw): it must not be provisional and must be the
 * invoice the tenant stored under its number, the same in every field.
 * KR_OK or KR_BAD_INPUT with e naming the field.
 */
int	channel_check_stored(struct state *st, const struct invoice *inv,
	    const struct jnode *root, const char *raw, size_t raw_len,
	    struct kerr *e);

/*
 * 1 when line (len bytes, a record as it came down the pipe) is, byte
 * for byte, an invoice or credit note the tenant stored, found by the
 * number it carries.  Such a record passes channel_check_stored and
 * need not be read at all: a delivery books the stored invoice, which
 * is read and checked when it is offered.  Any other line, a record a
 * tool in the pipe wrote anew included, is 0 and is read and checked
 * as before; so is a line whose look-up fails, which that check's own
 * look-up then reports.
 *
 * The look-ups of the records read so far share one read transaction
 * (state_read_begin), which took SQLite's read lock (two fcntl) once
 * per record when each was one of its own; should it not begin, each
 * look-up runs on its own as before.  kontor-tax writes a record only
 * after the commit that stored its invoice, so a snapshot taken after
 * the record's bytes were read sees it, but the next read of the pipe
 * may bring records of later commits: the stage has
 * channel_end_lookups called before each read (rec_in_on_read) and
 * calls it before it delivers, which starts from a fresh snapshot.
 */
int	channel_stored_copy(struct state *st, const char *line, size_t len);
/* Ends the look-ups' read transaction; db is the struct state. */
void	channel_end_lookups(void *db);

#endif

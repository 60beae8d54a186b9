#ifndef KONTOR_DATEVDELIVER_H
#define KONTOR_DATEVDELIVER_H

/*
 * Delivering DATEV bookings into a tenant's out/: what `kontor-datev
 * --tenant DIR -o DIR/out` does once it has read its input, and what
 * `kontor-tax --datev` does while it numbers.
 *
 * A delivery books every stored invoice that the DATEV channel has not
 * had yet (channel.h), one Buchungsstapel per month, and commits them
 * as one delivery (deliver.h).  kontor-datev opens the delivery and
 * closes it at once: the walk of datev_delivery_open books them all
 * from their stored records.  kontor-tax opens it before its first
 * commit, which books the invoices earlier runs left undelivered, then
 * offers each invoice as it stores it, from memory, and closes it at
 * the end.  Both give the same files, byte for byte: the stored record
 * is the invoice written out, and invoice_copy_booking keeps exactly
 * what invoice_read_booking would read back.
 *
 * Messages are kontor-datev's, whichever program says them.
 */

#include <time.h>

#include "channel.h"
#include "config.h"
#include "datev.h"
#include "state.h"
#include "tenant.h"

struct datev_delivery {
	/* Set by the caller before datev_delivery_open. */
	const struct config *cfg;
	const struct tenant *t;
	struct state *db;	/* the tenant's, the lock held */
	const char *run_id;
	const char *run_time_utc;	/* for the audit row */
	time_t run_time;		/* the batches' Erzeugt am */
	const char *out;	/* the out/ folder, as messages name it */
	int quiet;		/* errors only */
	long n_read;		/* invoice records read before */
	long n_rejected;	/* of those, refused */

	/* The delivery's own. */
	struct datev_sink sink;
	struct delivery *d;	/* the one the channel has open */
	struct datev_writer w;
	int writer_open;
	struct channel_run *cr;
	struct channel_stats cs;
	int rc;			/* the failure that stopped it, or KR_OK */
};

/*
 * Settles the delivery journal, begins the delivery and books the stored
 * invoices not delivered yet.  On failure, said, the delivery is given
 * up: datev_delivery_offer does nothing and datev_delivery_close
 * reports it.
 */
int	datev_delivery_open(struct datev_delivery *dd);

/*
 * Books inv, just stored under inv->number and never offered before.
 * A refusal is said and leaves it undelivered; a failure of the files
 * gives the delivery up.
 */
void	datev_delivery_offer(struct datev_delivery *dd,
	    const struct invoice *inv);

/*
 * Commits the delivery, says what it delivered and the summary, writes
 * the audit row of the command argv, and frees what dd holds.  Returns
 * the exit status a delivering kontor-datev would.
 */
int	datev_delivery_close(struct datev_delivery *dd, int argc,
	    char **argv);

/*
 * kontor-datev's summary on stderr (nothing when quiet): n_read invoice
 * records read, how many were delivered when delivered is not NULL,
 * n_rejected refused, and what the writer w, when not NULL, wrote.
 */
void	datev_say_summary(int quiet, long n_read, const long *delivered,
	    long n_rejected, const struct datev_writer *w);

#endif

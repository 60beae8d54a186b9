#ifndef KONTOR_CREDITNOTE_H
#define KONTOR_CREDITNOTE_H

/*
 * The credit note (EN 16931 type 381) of one refund, made from the
 * stored invoice it corrects (../spec/tax.md §3 and §12; the fixtures'
 * EXPECTED.md).
 *
 * What a credit note keeps of its invoice: the mode (G or N), the
 * treatment, every category, rate and exemption, the seller, buyer and
 * delivery, the payment means and the debitor.  What it holds:
 *
 *	lines		one per refunded order line, at that line's category
 *			and rate, for the amount the refund gives for it
 *	charges		the refunded shipping: the invoice's own shipping
 *			parts per rate, all that is left of them when the
 *			rest of the shipping comes back, else the refunded
 *			amount split in proportion to them
 *	"Preisnachlass"	what the refund pays back beyond its lines and
 *			shipping (a goodwill amount, or a refund without
 *			lines), split in proportion to the invoice's net per
 *			rate (taxcalc_split: the largest weight takes the
 *			remainder), one line per rate
 *
 * The VAT per rate follows the mode: Mode G takes it out of the gross
 * and settles the element nets as an invoice does; Mode N puts it on
 * the net.  Amounts are positive (the type gives the sign).  BT-113 is
 * what was paid back, BT-114 = BT-113 - BT-112 (0 in Mode G, the
 * shop's per-line rounding in Mode N, refused beyond it), BT-115 = 0.
 * BT-25/BT-26 name the invoice; the issue date is the run's date, the
 * date of supply the refund's date in the tenant's zone, so that the
 * correction falls into the period in which the base changed.
 *
 * Each rate is booked against the reduction account of the invoice's
 * treatment (../spec/datev.md §7): reduction.RATE for sales taxed in
 * Germany, reduction.intra_eu, reduction.export, and under OSS the
 * sale's own account, key and country.
 *
 * No refund gives back more than was invoiced: a tally of the credit
 * notes made before for the same invoice bounds every line, the
 * shipping and the money paid back.
 */

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "invoice.h"
#include "order.h"
#include "run.h"
#include "taxcalc.h"

/*
 * What earlier credit notes of one invoice gave back.  Amounts are in
 * the invoice's price basis: gross in Mode G, net in Mode N.
 */
struct creditnote_tally {
	const struct invoice *orig;	/* borrowed */
	int64_t *qty_e4;		/* per line of orig */
	int64_t *amount_minor;		/* per line of orig */
	int64_t ship_minor[TAX_GROUPS_MAX];	/* per breakdown of orig */
	int64_t paid_minor;		/* BT-113 summed */
	long n;				/* credit notes counted */
};

/* An empty tally for orig, which must outlive it.  Free with _release. */
void	creditnote_tally_init(struct creditnote_tally *t,
	    const struct invoice *orig);
void	creditnote_tally_release(struct creditnote_tally *t);
/* Counts cn, a credit note of t->orig, into t. */
void	creditnote_tally_add(struct creditnote_tally *t,
	    const struct invoice *cn);

/*
 * Makes cn (reset first) the credit note of refund rf to orig for the
 * run r of the tenant configured in c, after the credit notes counted
 * in before (NULL for none).  Its number is left "" for the caller to
 * draw.  Strings are borrowed from orig, rf and c, which must outlive
 * cn, or copied into cn's arena.
 *
 * KR_OK; KR_NOT_FOUND when the refund pays nothing back (no credit note
 * is due); KR_BAD_INPUT when it cannot be credited (a line the invoice
 * does not have, more than was invoiced, no date, a date after the
 * run's); KR_CONFIG when an account is missing.  e says why.
 */
int	creditnote_make(const struct config *c, const struct run *r,
	    const struct invoice *orig, const struct refund *rf,
	    const struct creditnote_tally *before, struct invoice *cn,
	    struct kerr *e);

#endif

#ifndef KONTOR_TAXCALC_H
#define KONTOR_TAXCALC_H

/*
 * The VAT arithmetic of ../spec/tax.md §3: an order's lines, shipping
 * and discounts become invoice lines, document-level charges and
 * allowances, a VAT breakdown per category and rate, and the totals.
 *
 * Mode G (gross-priced orders): per rate the VAT is taken out of what the
 * customer paid, VAT = round(G x r / (100 + r)), taxable = G - VAT, and
 * the taxable amount is distributed over the elements so that every sum
 * of EN 16931 holds exactly and the gross equals the payment.
 * Mode N (net-priced orders): line nets, VAT = round(taxable x r / 100)
 * per rate, and the shop's per-line rounding cent goes into BT-114.
 *
 * Shipping and discounts the platform left unallocated are split over
 * the rates by the weights of §3; discounts the platform allocated stay
 * on their lines as line allowances.  A discount the platform allocated
 * to one rate (order_discount.rate_bp, Shopware's promotion parts)
 * reduces that rate's goods: in Mode G its gross comes off the rate's G,
 * in Mode N its net off the taxable amount; it is one document-level
 * allowance at that rate, and the split weights are taken after it.
 *
 * All rounding is half away from zero.  Nothing here decides the tax
 * treatment: the caller says which category and rate each line has.
 */

#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "invoice.h"
#include "order.h"

#define TAX_GROUPS_MAX	16	/* distinct (category, rate) per invoice */

/* The tax of one order line as the treatment decided it. */
struct line_tax {
	char category[CATEGORY_MAX];
	int64_t rate_bp;
};

/*
 * Notes for the user that do not stop the invoice (a shop whose stated
 * VAT differs from the invoice's).  Each note is one line of text.
 */
struct tax_notes {
	struct buf text;	/* notes separated by '\n' */
	int n;
};

void	tax_notes_init(struct tax_notes *n);
void	tax_notes_release(struct tax_notes *n);
void	tax_notes_add(struct tax_notes *n, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Computes the figures of o into inv: lines, allowances_charges, vat and
 * totals, and inv->mode.  lt has one entry per order line.  inv must be
 * reset; strings are borrowed from o.  Fails with KR_BAD_INPUT (e names
 * the field) when the order's own figures do not add up: a gross-priced
 * order whose stated total is not what its lines, shipping and discounts
 * make, or a net-priced one whose total differs by more than the shop's
 * per-line rounding can explain.  The shop's stated VAT per rate is
 * compared with the result; a difference above one cent per rate
 * becomes a note.
 */
int	taxcalc_run(const struct order *o, const struct line_tax *lt,
	    struct invoice *inv, struct tax_notes *notes, struct kerr *e);

/*
 * Splits amount over n weights (tax.md §3): every part but the one with
 * the largest weight is round(amount x w / sum w); the largest (on a tie
 * the one with the higher rate) takes the remainder, so the parts add up
 * exactly.  With all weights 0 the part with the highest rate takes it
 * all.
 */
int	taxcalc_split(int64_t amount, const int64_t *weight,
	    const int64_t *rate_bp, int n, int64_t *part);

/*
 * The pieces of the arithmetic above, for documents that are not made
 * from an order (credit notes, creditnote.h).  All round half away from
 * zero.
 */

/* round(gross x 100 / (100 + r)): the net inside a gross amount. */
int64_t	taxcalc_net_of(int64_t gross_minor, int64_t rate_bp);
/* round(gross x r / (100 + r)): the VAT inside a gross amount. */
int64_t	taxcalc_vat_in(int64_t gross_minor, int64_t rate_bp);
/* round(net x r / 100): the VAT on a net amount. */
int64_t	taxcalc_vat_on(int64_t net_minor, int64_t rate_bp);

/*
 * Fills the amounts of the breakdown v (its rate set) from the base of
 * its rate: with gross set (Mode G) base is what was paid at the rate
 * and the VAT comes out of it; otherwise base is the taxable amount and
 * the VAT goes on it.
 */
void	taxcalc_breakdown(struct inv_vat *v, int64_t base_minor, int gross);

/*
 * Mode G: gives the cent or two by which the separately rounded nets of
 * the lines and document-level charges and allowances of v's category
 * and rate miss v's taxable amount to the largest of those charges or
 * allowances, else to the line with the largest net (tax.md §3).
 */
void	taxcalc_settle(struct invoice *inv, const struct inv_vat *v);

/*
 * The net price per unit (BT-146, NET_PRICE_SCALE) of net_before over
 * qty_e4 units, in minor units of a currency with exponent digits.
 */
int64_t	taxcalc_net_price(int64_t net_before_minor, int64_t qty_e4,
	    int exponent);

/*
 * Sets the sums of inv from its lines, allowances, charges and breakdown:
 * BT-106, BT-107, BT-108, BT-109, BT-110 and BT-112.  The payment,
 * rounding and amount due are the caller's.
 */
void	taxcalc_sum(struct invoice *inv);

#endif

/*
 * The Peppol BIS 3 rules that XRechnung 3.0 adopts (PEPPOL-EN16931-R*),
 * as far as kontor can break them: R001, R005, R008, R010, R020,
 * R040 to R044, R046, R053 to R055, R061, R120 (a warning), R121, R130.
 * Left out: R101 (line document references), R110 and R111 (line
 * periods within the invoice period), which concern elements kontor
 * does not write.
 *
 * "Within slack" compares as Peppol's u:slack does: |value - expected|
 * <= 0.02, or 0.5 for invoices in HUF.
 */
#include <string.h>

#include "einvoice_int.h"

#define UBL(c)	((c)->inv->syntax == EINV_UBL)
#define R(n)	"PEPPOL-EN16931-R" #n

static __int128
slack_e6(const struct einvoice *inv)
{
	return einv_is(inv->currency.s, "HUF") ? EINV_ONE / 2 :
	    EINV_ONE / 50;
}

static __int128
abs128(__int128 x)
{
	return x < 0 ? -x : x;
}

/* R001, R005, R008, R010, R020, R053, R054. */
static void
rules_document(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i;
	int with = 0, without = 0;

	if (inv->profile_id.s == NULL)
		einv_report(c, R(001), EINV_FATAL, UBL(c) ? inv->root :
		    inv->context_node, "the business process (BT-23) is "
		    "missing");
	if (inv->tax_currency.s != NULL && inv->currency.s != NULL) {
		char a[16], b[16];

		einv_norm(inv->tax_currency.s, a, sizeof(a));
		einv_norm(inv->currency.s, b, sizeof(b));
		if (strcmp(a, b) == 0)
			einv_report(c, R(005), EINV_FATAL,
			    inv->tax_currency.node, "the VAT accounting "
			    "currency (BT-6) must differ from the invoice "
			    "currency (BT-5) or be left out");
	}
	for (i = 0; i < inv->n_empty; i++)
		einv_report(c, R(008), EINV_FATAL, inv->empty[i],
		    "the element is empty; leave it out instead");
	if (inv->buyer.node != NULL && inv->buyer.endpoint.s == NULL)
		einv_report(c, R(010), EINV_FATAL, inv->buyer.node,
		    "the buyer electronic address (BT-49) is missing");
	if (inv->seller.node != NULL && inv->seller.endpoint.s == NULL)
		einv_report(c, R(020), EINV_FATAL, inv->seller.node,
		    "the seller electronic address (BT-34) is missing");

	for (i = 0; i < inv->n_taxtotal; i++) {
		const struct einv_taxtotal *t = &inv->taxtotal[i];

		if (UBL(c)) {
			with += t->n_sub > 0;
			without += t->n_sub == 0;
		} else if (t->amount.currency == NULL) {
			continue;	/* neither: R053, R054 compare it */
		} else if (einv_in_invoice_currency(inv,
		    t->amount.currency)) {
			with++;
		} else {
			without++;
		}
	}
	if (UBL(c) ? with != 1 : with > 1)
		einv_report(c, R(053), EINV_FATAL, inv->root,
		    "expected one total VAT amount with the breakdowns, got "
		    "%d", with);
	if (without != (inv->tax_currency.s != NULL))
		einv_report(c, R(054), EINV_FATAL, inv->root,
		    "expected %d total VAT amount in the VAT accounting "
		    "currency (BT-111), got %d", inv->tax_currency.s != NULL,
		    without);
}

/* Which signs the total VAT amounts in one currency have. */
struct signs {
	int lt0, le0, ge0;
};

static void
signs_of(const struct einvoice *inv, const char *currency,
    struct signs *sg)
{
	char code[16];
	size_t i;

	memset(sg, 0, sizeof(*sg));
	einv_norm(currency, code, sizeof(code));
	for (i = 0; i < inv->n_taxtotal; i++) {
		const struct einv_num *n = &inv->taxtotal[i].amount;

		if (n->s == NULL || !n->ok || n->currency == NULL ||
		    strcmp(n->currency, code) != 0)
			continue;
		sg->lt0 |= n->e6 < 0;
		sg->le0 |= n->e6 <= 0;
		sg->ge0 |= n->e6 >= 0;
	}
}

/*
 * R055: BT-110 and BT-111 have the same sign.  As the artefacts test
 * it, on the amounts present: in UBL both at most 0 or both at least 0
 * (0 goes with either), so a missing BT-111 fails it too; in CII both
 * below 0 or both at least 0, checked only when BT-110 is there.
 */
static void
rule_tax_signs(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	struct signs doc, tax;

	if (inv->tax_currency.s == NULL || inv->currency.s == NULL)
		return;
	signs_of(inv, inv->currency.s, &doc);
	signs_of(inv, inv->tax_currency.s, &tax);
	if (UBL(c) ? (tax.le0 && doc.le0) || (tax.ge0 && doc.ge0) :
	    !(doc.lt0 || doc.ge0) || (tax.lt0 && doc.lt0) ||
	    (tax.ge0 && doc.ge0))
		return;
	einv_report(c, R(055), EINV_FATAL, UBL(c) ? inv->root :
	    inv->settlement_node, "the total VAT amount in the VAT "
	    "accounting currency (BT-111) must have the sign of the one in "
	    "the invoice currency (BT-110)");
}

/* R040 to R043 for one allowance or charge. */
static void
rules_ac(struct einv_ctx *c, const struct einv_ac *ac)
{
	const struct einv_num *pct = &ac->percent, *base = &ac->base;

	if (!einv_is(ac->indicator.s, "true") &&
	    !einv_is(ac->indicator.s, "false"))
		einv_report(c, UBL(c) ? R(043) : R(043-1), EINV_FATAL,
		    ac->indicator.node ? ac->indicator.node : ac->node,
		    "the charge indicator must be true or false, got \"%s\"",
		    ac->indicator.s ? ac->indicator.s : "");
	if (pct->s != NULL && base->s == NULL)
		einv_report(c, R(041), EINV_FATAL, ac->node,
		    "a percentage needs its base amount");
	if (pct->s == NULL && base->s != NULL)
		einv_report(c, R(042), EINV_FATAL, ac->node,
		    "a base amount needs its percentage");
	if (pct->ok && base->ok && (ac->amount.s == NULL || ac->amount.ok)) {
		/* amount x 100 vs base x percent, all at 10^-12 */
		__int128 amount = ac->amount.ok ? ac->amount.e6 : 0;
		__int128 diff = amount * EINV_ONE * 100 -
		    (__int128)base->e6 * pct->e6;

		if (abs128(diff) > slack_e6(c->inv) * EINV_ONE * 100)
			einv_report(c, R(040), EINV_FATAL, ac->amount.node ?
			    ac->amount.node : ac->node, "the amount must be "
			    "base amount x percentage / 100");
	}
}

/* Sum of a line's allowances or charges, rounded as XPath does. */
static __int128
line_ac_sum(const struct einv_line *l, int charge)
{
	__int128 sum = 0;
	size_t i;

	for (i = 0; i < l->n_ac; i++)
		if (einv_is(l->ac[i].indicator.s, charge ? "true" : "false") &&
		    l->ac[i].amount.ok)
			sum += l->ac[i].amount.e6;
	return einv_round2_xpath(sum);
}

/*
 * R120 (warning): line net = quantity x price / base quantity + charges
 * - allowances within slack, compared without dividing: all sides are
 * multiplied by the base quantity and held at 10^-12.
 */
static void
rule_line_net(struct einv_ctx *c, const struct einv_line *l)
{
	__int128 qty = l->qty.s == NULL ? EINV_ONE : l->qty.e6;
	__int128 price = l->price.s == NULL ? 0 : l->price.e6;
	__int128 base = EINV_ONE, net = l->net.s == NULL ? 0 : l->net.e6;
	__int128 lhs, rhs;

	if ((l->qty.s && !l->qty.ok) || (l->price.s && !l->price.ok) ||
	    (l->net.s && !l->net.ok) || (l->base_qty.s && !l->base_qty.ok))
		return;
	if (l->base_qty.s != NULL && l->base_qty.e6 != 0)
		base = l->base_qty.e6;
	lhs = net * base;
	rhs = qty * price + (line_ac_sum(l, 1) - line_ac_sum(l, 0)) * base;
	if (abs128(lhs - rhs) > slack_e6(c->inv) * abs128(base))
		einv_report(c, R(120), EINV_WARN, l->net.node ? l->net.node :
		    l->node, "the line net amount (BT-131) %s should be "
		    "quantity %s x price %s / base quantity + charges - "
		    "allowances, within 0.02", l->net.s ? l->net.s : "0",
		    l->qty.s ? l->qty.s : "1", l->price.s ? l->price.s : "0");
}

/* R044, R046, R121, R130 on a line's price. */
static void
rules_price(struct einv_ctx *c, const struct einv_line *l)
{
	if (l->gross_node != NULL && (UBL(c) || l->discount.s != NULL) &&
	    !einv_is(l->gross_indicator.s, "false"))
		einv_report(c, R(044), EINV_FATAL, l->gross_node,
		    "a price may carry a discount, never a charge");
	if (!UBL(c) && l->gross_node != NULL &&
	    l->gross_indicator.s != NULL &&
	    !einv_is(l->gross_indicator.s, "true") &&
	    !einv_is(l->gross_indicator.s, "false"))
		einv_report(c, R(043-2), EINV_FATAL, l->gross_node,
		    "the charge indicator must be true or false");
	if (l->gross.s != NULL && l->gross.ok && l->price.ok &&
	    (l->discount.s == NULL || l->discount.ok) && l->price.e6 !=
	    l->gross.e6 - (l->discount.ok ? l->discount.e6 : 0))
		einv_report(c, R(046), EINV_FATAL, l->price.node,
		    "the net price (BT-146) %s must be the gross price "
		    "(BT-148) %s less the discount (BT-147) %s", l->price.s,
		    l->gross.s, l->discount.s ? l->discount.s : "0");
	if (l->base_qty.s != NULL && (!l->base_qty.ok || l->base_qty.e6 <= 0))
		einv_report(c, R(121), EINV_FATAL, l->base_qty.node,
		    "the base quantity (BT-149) must be above zero");
	if (l->base_qty.unit != NULL && l->qty.s != NULL &&
	    (l->qty.unit == NULL ||
	    strcmp(l->base_qty.unit, l->qty.unit) != 0))
		einv_report(c, R(130), EINV_FATAL, l->base_qty.node,
		    "the base quantity's unit (BT-150) must be the invoiced "
		    "quantity's (BT-130)");
}

static void
rule_mandate(struct einv_ctx *c, const struct einv_pm *pm)
{
	if (!einv_is(pm->code.s, "49") && !einv_is(pm->code.s, "59"))
		return;
	if (UBL(c) ? pm->mandate_id.s == NULL : c->inv->mandate_id.s == NULL)
		einv_report(c, R(061), EINV_FATAL, pm->node,
		    "a direct debit needs the mandate reference (BT-89)");
}

void
einv_rules_peppol(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i, j;

	rules_document(c);
	rule_tax_signs(c);
	for (i = 0; i < inv->n_ac; i++)
		rules_ac(c, &inv->ac[i]);
	for (i = 0; i < inv->n_line; i++) {
		const struct einv_line *l = &inv->line[i];

		for (j = 0; j < l->n_ac; j++)
			rules_ac(c, &l->ac[j]);
		rule_line_net(c, l);
		rules_price(c, l);
	}
	for (i = 0; i < inv->n_pm; i++)
		rule_mandate(c, &inv->pm[i]);
}

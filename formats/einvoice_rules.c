/*
 * The EN 16931 business rules BR-01 to BR-65 that apply to what kontor
 * reads, with BR-CO-21 to BR-CO-24 which the official schematron checks
 * together with BR-33, BR-38, BR-42 and BR-44.  Where the UBL and the
 * CII schematron differ in scope (the context an assert hangs on), each
 * syntax is checked as its schematron does.
 */
#include <string.h>

#include "einvoice_int.h"

#define UBL(c)	((c)->inv->syntax == EINV_UBL)

/* Reports rule when v is blank; at v's element, or at ctx if absent. */
static void
need(struct einv_ctx *c, const char *rule, const void *ctx,
    const struct einv_val *v, const char *what)
{
	if (!einv_blank(v->s))
		return;
	einv_report(c, rule, EINV_FATAL, v->node ? v->node : ctx,
	    "%s is %s", what, v->s == NULL ? "missing" : "empty");
}

static void
rules_header(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	const void *r = inv->root;

	need(c, "BR-01", r, &inv->customization,
	    "the specification identifier (BT-24)");
	need(c, "BR-02", r, &inv->number, "the invoice number (BT-1)");
	need(c, "BR-03", r, &inv->issue_date, "the issue date (BT-2)");
	need(c, "BR-04", r, &inv->type_code, "the invoice type code (BT-3)");
	need(c, "BR-05", r, &inv->currency, "the invoice currency (BT-5)");
	need(c, "BR-06", inv->seller.node ? inv->seller.node : r,
	    &inv->seller.name, "the seller name (BT-27)");
	need(c, "BR-07", inv->buyer.node ? inv->buyer.node : r,
	    &inv->buyer.name, "the buyer name (BT-44)");
	if (inv->seller.addr_node == NULL)
		einv_report(c, "BR-08", EINV_FATAL, inv->seller.node,
		    "the seller postal address (BG-5) is missing");
	if (inv->seller.addr_node != NULL || !UBL(c))
		need(c, "BR-09", inv->seller.addr_node, &inv->seller.country,
		    "the seller country code (BT-40)");
	if (inv->buyer.addr_node == NULL)
		einv_report(c, "BR-10", EINV_FATAL, inv->buyer.node,
		    "the buyer postal address (BG-8) is missing");
	if (inv->buyer.addr_node != NULL || !UBL(c))
		need(c, "BR-11", inv->buyer.addr_node, &inv->buyer.country,
		    "the buyer country code (BT-55)");
	if (inv->n_line == 0)
		einv_report(c, "BR-16", EINV_FATAL, r,
		    "the invoice has no line (BG-25)");
}

static void
need_total(struct einv_ctx *c, const char *rule, const struct einv_num *n,
    const char *what)
{
	if (n->s == NULL)
		einv_report(c, rule, EINV_FATAL, c->inv->totals_node,
		    "%s is missing", what);
}

static void
rules_totals(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;

	if (inv->totals_node == NULL) {
		einv_report(c, "BR-12", EINV_FATAL, inv->root,
		    "the document totals (BG-22) are missing");
		return;
	}
	need_total(c, "BR-12", &inv->line_total,
	    "the sum of line net amounts (BT-106)");
	need_total(c, "BR-13", &inv->tax_exclusive,
	    "the total without VAT (BT-109)");
	need_total(c, "BR-14", &inv->tax_inclusive,
	    "the total with VAT (BT-112)");
	need_total(c, "BR-15", &inv->payable, "the amount due (BT-115)");
}

/* Payee (BG-10) and seller tax representative (BG-11). */
static void
rules_parties(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	const struct einv_party *pe = &inv->payee, *tr = &inv->taxrep;
	const struct einv_val *seller_name = UBL(c) ?
	    &inv->seller.trading_name : &inv->seller.name;

	if (pe->node != NULL && (pe->name.s == NULL ||
	    (seller_name->s != NULL && strcmp(pe->name.s, seller_name->s) == 0)
	    || (pe->id.s != NULL && inv->seller.id.s != NULL &&
	    strcmp(pe->id.s, inv->seller.id.s) == 0)))
		einv_report(c, "BR-17", EINV_FATAL, pe->node,
		    "the payee (BG-10) needs a name (BT-59) and must differ "
		    "from the seller");
	if (tr->node == NULL)
		return;
	need(c, "BR-18", tr->node, &tr->name,
	    "the tax representative's name (BT-62)");
	if (tr->addr_node == NULL)
		einv_report(c, "BR-19", EINV_FATAL, tr->node,
		    "the tax representative's address (BG-12) is missing");
	else
		need(c, "BR-20", tr->addr_node, &tr->country,
		    "the tax representative's country code (BT-69)");
	need(c, "BR-56", tr->node, &tr->vat_id,
	    "the tax representative's VAT identifier (BT-63)");
}

static void
rules_line_price(struct einv_ctx *c, const struct einv_line *l)
{
	if (l->price.s == NULL)
		einv_report(c, "BR-26", EINV_FATAL, l->node,
		    "the item net price (BT-146) is missing");
	if (l->price.s == NULL || !l->price.ok || l->price.e6 < 0)
		einv_report(c, "BR-27", EINV_FATAL,
		    l->price.node ? l->price.node : l->node,
		    "the item net price (BT-146) must not be negative, "
		    "got \"%s\"", l->price.s ? l->price.s : "");
	if (l->gross.s != NULL && (!l->gross.ok || l->gross.e6 < 0))
		einv_report(c, "BR-28", EINV_FATAL, l->gross.node,
		    "the item gross price (BT-148) must not be negative, "
		    "got \"%s\"", l->gross.s);
}

static void
rules_line(struct einv_ctx *c, const struct einv_line *l)
{
	need(c, "BR-21", l->node, &l->id, "the line identifier (BT-126)");
	if (l->qty.s == NULL)
		einv_report(c, "BR-22", EINV_FATAL, l->node,
		    "the invoiced quantity (BT-129) is missing");
	if (l->qty.unit == NULL)
		einv_report(c, "BR-23", EINV_FATAL,
		    l->qty.node ? l->qty.node : l->node,
		    "the unit of measure (BT-130) is missing");
	if (l->net.s == NULL)
		einv_report(c, "BR-24", EINV_FATAL, l->node,
		    "the line net amount (BT-131) is missing");
	need(c, "BR-25", l->node, &l->name, "the item name (BT-153)");
	if (UBL(c) && l->n_cat != 1)
		einv_report(c, "UBL-SR-48", EINV_FATAL, l->node,
		    "expected one classified tax category per line, got %d",
		    l->n_cat);
	if (!UBL(c) && l->n_cat != 1)
		einv_report(c, "CII-SR-454", c->profile == EINV_XRECHNUNG ?
		    EINV_FATAL : EINV_WARN, l->node, "expected one "
		    "ApplicableTradeTax per line, got %d", l->n_cat);
	rules_line_price(c, l);
	if (l->std_id.s != NULL && (UBL(c) ? l->std_scheme.s == NULL :
	    einv_blank(l->std_scheme.s)))
		einv_report(c, "BR-64", EINV_FATAL, l->std_id.node,
		    "the item standard identifier (BT-157) needs its scheme");
}

/* BR-29, BR-30, BR-CO-19, BR-CO-20: a period's start and end. */
static void
rules_period(struct einv_ctx *c, const void *node,
    const struct einv_val *start, const struct einv_val *end,
    const struct einv_val *code, int line)
{
	if (node == NULL)
		return;
	if (start->s != NULL && end->s != NULL && strcmp(end->s, start->s) < 0)
		einv_report(c, line ? "BR-30" : "BR-29", EINV_FATAL, node,
		    "the period ends (%s) before it starts (%s)", end->s,
		    start->s);
	if (start->s == NULL && end->s == NULL &&
	    (code == NULL || code->s == NULL || !UBL(c)))
		einv_report(c, line ? "BR-CO-20" : "BR-CO-19", EINV_FATAL,
		    node, "the period has neither a start nor an end date");
}

/*
 * An allowance's or charge's amount, reason and (document level) VAT
 * category: BR-31..33 and BR-CO-21 for document allowances, BR-36..38 and
 * BR-CO-22 for document charges, BR-41/42 and BR-CO-23 for line
 * allowances, BR-43/44 and BR-CO-24 for line charges.
 */
static void
rules_ac(struct einv_ctx *c, const struct einv_ac *ac, int doc)
{
	static const char *const ids[2][2][4] = {
		{{"BR-41", NULL, "BR-42", "BR-CO-23"},
		    {"BR-43", NULL, "BR-44", "BR-CO-24"}},
		{{"BR-31", "BR-32", "BR-33", "BR-CO-21"},
		    {"BR-36", "BR-37", "BR-38", "BR-CO-22"}},
	};
	const char *const *id;
	const char *what;

	if (ac->charge < 0)
		return;
	id = ids[doc][ac->charge];
	what = ac->charge ? "charge" : "allowance";
	if (ac->amount.s == NULL)
		einv_report(c, id[0], EINV_FATAL, ac->node,
		    "the %s has no amount", what);
	if (doc && (ac->cat.node == NULL || !ac->cat.vat ||
	    ac->cat.code.s == NULL))
		einv_report(c, id[1], EINV_FATAL, ac->node,
		    "the %s has no VAT category code", what);
	if (ac->reason.s == NULL && ac->reason_code.s == NULL) {
		einv_report(c, id[2], EINV_FATAL, ac->node,
		    "the %s has neither a reason nor a reason code", what);
		einv_report(c, id[3], EINV_FATAL, ac->node,
		    "the %s has neither a reason nor a reason code", what);
	}
}

static void
rules_lines(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i, j;

	for (i = 0; i < inv->n_ac; i++)
		rules_ac(c, &inv->ac[i], 1);
	for (i = 0; i < inv->n_line; i++) {
		const struct einv_line *l = &inv->line[i];

		rules_line(c, l);
		rules_period(c, l->period_node, &l->period_start,
		    &l->period_end, NULL, 1);
		for (j = 0; j < l->n_ac; j++)
			rules_ac(c, &l->ac[j], 0);
	}
	rules_period(c, inv->period_node, &inv->period_start,
	    &inv->period_end, &inv->period_code, 0);
}

/* BR-45 to BR-48: what every VAT breakdown holds. */
static void
rules_breakdowns(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i;

	for (i = 0; i < inv->n_vat; i++) {
		const struct einv_vat *v = &inv->vat[i];
		int has_code = v->cat.vat && v->cat.code.s != NULL;

		if (v->taxable.s == NULL)
			einv_report(c, "BR-45", EINV_FATAL, v->node,
			    "the VAT breakdown has no taxable amount "
			    "(BT-116)");
		if (v->tax.s == NULL)
			einv_report(c, "BR-46", EINV_FATAL, v->node,
			    "the VAT breakdown has no VAT amount (BT-117)");
		if (!has_code)
			einv_report(c, "BR-47", EINV_FATAL, v->node,
			    "the VAT breakdown has no VAT category code "
			    "(BT-118)");
		if (!(v->cat.vat && v->cat.rate.s != NULL) &&
		    !(has_code && einv_is(v->cat.code.s, "O")))
			einv_report(c, "BR-48", EINV_FATAL, v->node,
			    "the VAT breakdown has no VAT rate (BT-119)");
	}
}

static int
is_transfer(const struct einv_pm *pm)
{
	return einv_is(pm->code.s, "30") || einv_is(pm->code.s, "58");
}

/* BR-49, BR-50, BR-51, BR-61: payment instructions. */
static void
rules_payment(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i;

	for (i = 0; i < inv->n_pm; i++) {
		const struct einv_pm *pm = &inv->pm[i];

		if (pm->code.s == NULL)
			einv_report(c, "BR-49", EINV_FATAL, pm->node,
			    "the payment means type code (BT-81) is missing");
		if (UBL(c) && is_transfer(pm) && pm->account_node != NULL &&
		    einv_blank(pm->account_id.s))
			einv_report(c, "BR-50", EINV_FATAL, pm->account_node,
			    "the payment account identifier (BT-84) is "
			    "missing");
		if (UBL(c) && is_transfer(pm) && pm->account_id.s == NULL)
			einv_report(c, "BR-61", EINV_FATAL, pm->node,
			    "a credit transfer (code %s) needs the payee's "
			    "account identifier (BT-84)", pm->code.s);
		if (!UBL(c) && is_transfer(pm) && pm->account_node != NULL &&
		    pm->account_iban.s == NULL &&
		    pm->account_other.s == NULL) {
			einv_report(c, "BR-50", EINV_FATAL, pm->account_node,
			    "the payment account identifier (BT-84) is "
			    "missing");
			einv_report(c, "BR-61", EINV_FATAL, pm->account_node,
			    "a credit transfer needs the payee's account "
			    "identifier (BT-84)");
		}
		if (pm->card_pan.s != NULL && strlen(pm->card_pan.s) > 10)
			einv_report(c, "BR-51",
			    UBL(c) ? EINV_WARN : EINV_FATAL,
			    pm->card_pan.node, "only the last digits of the "
			    "card number (BT-87) may be given, at most 10 "
			    "characters");
	}
}

/* BR-53, BR-55, BR-57, BR-62, BR-63. */
static void
rules_references(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	const struct einv_party *to = &inv->deliver_to;
	size_t i;
	int found = 0;

	if (inv->tax_currency.s != NULL) {
		for (i = 0; i < inv->n_taxtotal; i++)
			if (einv_is(inv->tax_currency.s,
			    inv->taxtotal[i].amount.currency ?
			    inv->taxtotal[i].amount.currency : "\n"))
				found = 1;
		if (!UBL(c) && einv_is(inv->tax_currency.s,
		    inv->currency.s ? inv->currency.s : "\n"))
			found = 0;	/* the CII rule wants them to differ */
		if (!found)
			einv_report(c, "BR-53", EINV_FATAL,
			    inv->tax_currency.node, "the VAT accounting "
			    "currency (BT-6) needs the total VAT in it "
			    "(BT-111)");
	}
	for (i = 0; i < inv->n_ref; i++)
		if (UBL(c) ? inv->ref[i].id.s == NULL :
		    einv_blank(inv->ref[i].id.s))
			einv_report(c, "BR-55", EINV_FATAL, inv->ref[i].node,
			    "the preceding invoice reference (BT-25) is "
			    "missing");
	if (to->addr_node != NULL && (UBL(c) ? to->country.s == NULL :
	    einv_blank(to->country.s)))
		einv_report(c, "BR-57", EINV_FATAL, to->addr_node,
		    "the deliver-to country code (BT-80) is missing");
	if (inv->seller.endpoint.s != NULL && (UBL(c) ?
	    inv->seller.endpoint_scheme.s == NULL :
	    einv_blank(inv->seller.endpoint_scheme.s)))
		einv_report(c, "BR-62", EINV_FATAL, inv->seller.endpoint.node,
		    "the seller electronic address (BT-34) needs its scheme");
	if (inv->buyer.endpoint.s != NULL && (UBL(c) ?
	    inv->buyer.endpoint_scheme.s == NULL :
	    einv_blank(inv->buyer.endpoint_scheme.s)))
		einv_report(c, "BR-63", EINV_FATAL, inv->buyer.endpoint.node,
		    "the buyer electronic address (BT-49) needs its scheme");
}

void
einv_rules_core(struct einv_ctx *c)
{
	rules_header(c);
	rules_totals(c);
	rules_parties(c);
	rules_lines(c);
	rules_breakdowns(c);
	rules_payment(c);
	rules_references(c);
}

/*
 * The EN 16931 conditions and calculation rules BR-CO-03 to BR-CO-26
 * (BR-CO-21 to BR-CO-24 are in einvoice_rules.c beside the rules they
 * repeat).
 *
 * The sums are computed as the CEN schematron computes them: exact
 * decimals, rounded to two places by XPath's round(), which rounds
 * halves towards positive infinity.  BR-CO-17 tolerates a VAT amount
 * that differs from the computed one by less than one currency unit
 * (UBL) or by at most one unit (CII), as the CEN artefacts do since
 * release 1.2.0; BR-CO-10 to BR-CO-16 have no tolerance.  A value that is
 * not a decimal takes no part in a sum: it is reported once as
 * KONTOR-DECIMAL (einvoice_codes.c) and the rules that need it stay
 * silent.
 */
#include <string.h>

#include "einvoice_int.h"

#define UBL(c)	((c)->inv->syntax == EINV_UBL)

/* 1 when every number given is present and a decimal. */
static int
usable(const struct einv_num *n)
{
	return n->s != NULL && n->ok;
}

static void
mismatch(struct einv_ctx *c, const char *rule, const void *node,
    const char *what, const struct einv_num *got, __int128 want,
    const char *how)
{
	char w[48];

	einv_report(c, rule, EINV_FATAL, node,
	    "%s is %s, expected %s (%s)", what, got->s,
	    einv_fmt(want, w, sizeof(w)), how);
}

/*
 * A total the rule needs is missing: the schematron's comparison with an
 * empty sequence fails, so the rule fails too (beside BR-12 to BR-15).
 */
static void
missing(struct einv_ctx *c, const char *rule, const char *what)
{
	einv_report(c, rule, EINV_FATAL, c->inv->totals_node,
	    "cannot be checked: %s is missing", what);
}

/* BR-CO-10, BR-CO-11, BR-CO-12. */
static void
rules_sums(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	__int128 lines = 0, allow = 0, charge = 0;
	int n_allow = 0, n_charge = 0, ok = 1;
	size_t i;

	for (i = 0; i < inv->n_line; i++) {
		ok &= inv->line[i].net.s == NULL || inv->line[i].net.ok;
		lines += inv->line[i].net.ok ? inv->line[i].net.e6 : 0;
	}
	if (inv->totals_node != NULL && inv->line_total.s == NULL)
		missing(c, "BR-CO-10", "the sum of line net amounts (BT-106)");
	else if (ok && usable(&inv->line_total) &&
	    inv->line_total.e6 != einv_round2_xpath(lines))
		mismatch(c, "BR-CO-10", inv->line_total.node,
		    "the sum of line net amounts (BT-106)", &inv->line_total,
		    einv_round2_xpath(lines), "the lines' BT-131 added up");

	ok = 1;
	for (i = 0; i < inv->n_ac; i++) {
		const struct einv_ac *ac = &inv->ac[i];

		ok &= ac->amount.s == NULL || ac->amount.ok;
		if (ac->charge == 1) {
			n_charge++;
			charge += ac->amount.ok ? ac->amount.e6 : 0;
		} else if (ac->charge == 0) {
			n_allow++;
			allow += ac->amount.ok ? ac->amount.e6 : 0;
		}
	}
	if (!ok)
		return;
	if (inv->allowance_total.s == NULL ? n_allow > 0 :
	    (inv->allowance_total.ok &&
	    inv->allowance_total.e6 != einv_round2_xpath(allow)))
		einv_report(c, "BR-CO-11", EINV_FATAL,
		    inv->allowance_total.node ? inv->allowance_total.node :
		    inv->totals_node, "the sum of allowances (BT-107) must "
		    "equal the document allowances (BT-92) added up");
	if (inv->charge_total.s == NULL ? n_charge > 0 :
	    (inv->charge_total.ok &&
	    inv->charge_total.e6 != einv_round2_xpath(charge)))
		einv_report(c, "BR-CO-12", EINV_FATAL,
		    inv->charge_total.node ? inv->charge_total.node :
		    inv->totals_node, "the sum of charges (BT-108) must "
		    "equal the document charges (BT-99) added up");
}

/* An optional total: 0 when absent; 0 into *ok when not a decimal. */
static int64_t
opt(const struct einv_num *n, int *ok)
{
	if (n->s == NULL)
		return 0;
	if (!n->ok)
		*ok = 0;
	return n->ok ? n->e6 : 0;
}

/* The total VAT amount in the invoice currency (BT-110), or NULL. */
static const struct einv_num *
vat_total(const struct einvoice *inv, int *count)
{
	const struct einv_num *found = NULL;
	size_t i;

	*count = 0;
	for (i = 0; i < inv->n_taxtotal; i++) {
		const struct einv_num *n = &inv->taxtotal[i].amount;

		if (n->s == NULL ||
		    !einv_in_invoice_currency(inv, n->currency))
			continue;
		(*count)++;
		found = n;
	}
	return found;
}

/* BR-CO-13, BR-CO-15, BR-CO-16. */
static void
rules_totals(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	const struct einv_num *vat;
	__int128 want;
	int ok = 1, count;

	if (inv->totals_node == NULL)
		return;
	want = (__int128)opt(&inv->line_total, &ok) -
	    opt(&inv->allowance_total, &ok) + opt(&inv->charge_total, &ok);
	if (inv->line_total.s == NULL || inv->tax_exclusive.s == NULL)
		missing(c, "BR-CO-13", "BT-106 or BT-109");
	else if (ok && usable(&inv->line_total) &&
	    usable(&inv->tax_exclusive) &&
	    inv->tax_exclusive.e6 != einv_round2_xpath(want))
		mismatch(c, "BR-CO-13", inv->tax_exclusive.node,
		    "the total without VAT (BT-109)", &inv->tax_exclusive,
		    einv_round2_xpath(want), "BT-106 - BT-107 + BT-108");

	vat = vat_total(inv, &count);
	if (inv->currency.s == NULL)
		;	/* BR-05 says it; the rule holds for every BT-5 */
	else if (!UBL(c) && usable(&inv->tax_exclusive) &&
	    usable(&inv->tax_inclusive) &&
	    inv->tax_inclusive.e6 == inv->tax_exclusive.e6)
		;	/* CII's rule also holds whenever BT-112 = BT-109 */
	else if (count != 1)
		einv_report(c, "BR-CO-15", EINV_FATAL, inv->root,
		    "expected one total VAT amount (BT-110) in the invoice "
		    "currency, got %d", count);
	else if (inv->tax_exclusive.s == NULL || inv->tax_inclusive.s == NULL)
		missing(c, "BR-CO-15", "BT-109 or BT-112");
	else if (usable(vat) && usable(&inv->tax_exclusive) &&
	    usable(&inv->tax_inclusive) && inv->tax_inclusive.e6 !=
	    einv_round2_xpath((__int128)inv->tax_exclusive.e6 + vat->e6))
		mismatch(c, "BR-CO-15", inv->tax_inclusive.node,
		    "the total with VAT (BT-112)", &inv->tax_inclusive,
		    einv_round2_xpath((__int128)inv->tax_exclusive.e6 +
		    vat->e6), "BT-109 + BT-110");

	ok = 1;
	want = (__int128)opt(&inv->tax_inclusive, &ok) -
	    opt(&inv->prepaid, &ok) + opt(&inv->rounding, &ok);
	if (inv->payable.s == NULL || inv->tax_inclusive.s == NULL)
		missing(c, "BR-CO-16", "BT-112 or BT-115");
	else if (ok && usable(&inv->payable) && usable(&inv->tax_inclusive) &&
	    inv->payable.e6 != einv_round2_xpath(want))
		mismatch(c, "BR-CO-16", inv->payable.node,
		    "the amount due (BT-115)", &inv->payable,
		    einv_round2_xpath(want), "BT-112 - BT-113 + BT-114");
}

/* BR-CO-14: each total VAT amount with breakdowns is their sum. */
static void
rules_vat_sum(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i, j;

	for (i = 0; i < inv->n_taxtotal; i++) {
		const struct einv_taxtotal *t = &inv->taxtotal[i];
		__int128 sum = 0;
		int ok = usable(&t->amount);

		if (!t->summed)
			continue;
		for (j = 0; j < inv->n_vat; j++) {
			if (inv->vat[j].total != (int)i)
				continue;
			ok &= inv->vat[j].tax.s == NULL || inv->vat[j].tax.ok;
			sum += inv->vat[j].tax.ok ? inv->vat[j].tax.e6 : 0;
		}
		if (ok && t->amount.e6 != einv_round2_xpath(sum))
			mismatch(c, "BR-CO-14", t->amount.node,
			    "the total VAT amount (BT-110)", &t->amount,
			    einv_round2_xpath(sum),
			    "the breakdowns' BT-117 added up");
	}
}

/*
 * BR-CO-17 for one breakdown, whose type is VAT around white space
 * too, as the official test asks also in CII.  With a rate that
 * rounds to 0 the VAT must round to 0; otherwise |VAT| must lie within
 * one unit of round(|taxable| x rate / 100, 2): strictly in UBL,
 * inclusively in CII.
 */
static void
rule_vat_amount(struct einv_ctx *c, const struct einv_vat *v)
{
	const struct einv_num *rate = &v->cat.rate;
	__int128 want, tax;
	int has_rate = v->cat.vat_trimmed && rate->s != NULL;
	char w[48];

	if (v->tax.s == NULL || (has_rate && v->taxable.s == NULL)) {
		einv_report(c, "BR-CO-17", EINV_FATAL, v->node,
		    "cannot be checked: the VAT amount (BT-117) or the "
		    "taxable amount (BT-116) is missing");
		return;
	}
	if (!usable(&v->tax) || !usable(&v->taxable) ||
	    (has_rate && !rate->ok))
		return;
	if (!has_rate || einv_round0_xpath(rate->e6) == 0) {
		if (einv_round0_xpath(v->tax.e6) != 0)
			einv_report(c, "BR-CO-17", EINV_FATAL, v->tax.node,
			    "the VAT amount (BT-117) is %s, expected 0 at a "
			    "rate of %s", v->tax.s,
			    has_rate ? rate->s : "none");
		return;
	}
	/* cents = |taxable| x rate, rounded half up; back to EINV_SCALE */
	want = (__int128)(v->taxable.e6 < 0 ? -v->taxable.e6 : v->taxable.e6)
	    * rate->e6;
	want = einv_floor_div(want + (__int128)EINV_ONE * EINV_ONE / 2,
	    (__int128)EINV_ONE * EINV_ONE) * (EINV_ONE / 100);
	tax = v->tax.e6 < 0 ? -(__int128)v->tax.e6 : v->tax.e6;
	if (UBL(c) ? (tax - EINV_ONE < want && tax + EINV_ONE > want) :
	    (tax - EINV_ONE <= want && tax + EINV_ONE >= want))
		return;
	einv_report(c, "BR-CO-17", EINV_FATAL, v->tax.node,
	    "the VAT amount (BT-117) is %s, expected %s (%s x %s %%)",
	    v->tax.s, einv_fmt(want, w, sizeof(w)), v->taxable.s, rate->s);
}

static int
vat_id_prefix_ok(const char *id)
{
	char cc[3];

	while (*id == ' ' || *id == '\t' || *id == '\n' || *id == '\r')
		id++;
	if (strlen(id) < 2)
		return 0;
	cc[0] = id[0];
	cc[1] = id[1];
	cc[2] = '\0';
	return strcmp(cc, "EL") == 0 || einv_code_country(cc);
}

/* BR-CO-09: a VAT identifier starts with its country's code. */
static void
rule_vat_ids(struct einv_ctx *c)
{
	const struct einv_party *p[] = {
		&c->inv->seller, &c->inv->buyer, &c->inv->taxrep,
		&c->inv->payee
	};
	size_t i;

	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		if (p[i]->vat_id.s != NULL &&
		    !vat_id_prefix_ok(p[i]->vat_id.s))
			einv_report(c, "BR-CO-09", EINV_FATAL,
			    p[i]->vat_id.node,
			    "expected a VAT identifier starting with a "
			    "country code, got \"%s\"", p[i]->vat_id.s);
}

/* BR-CO-03, BR-CO-04, BR-CO-18, BR-CO-25, BR-CO-26. */
static void
rules_conditions(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	const struct einv_party *s = &inv->seller;
	size_t i;

	if (inv->tax_point_date.s != NULL && inv->period_code.s != NULL)
		einv_report(c, "BR-CO-03", EINV_FATAL,
		    inv->tax_point_date.node,
		    "the VAT point date (BT-7) and its code (BT-8) exclude "
		    "each other");
	for (i = 0; i < inv->n_line; i++) {
		const struct einv_cat *cat = &inv->line[i].cat;

		if (cat->node == NULL || !cat->vat || cat->code.s == NULL)
			einv_report(c, "BR-CO-04", EINV_FATAL,
			    inv->line[i].node, "the line has no VAT category "
			    "code (BT-151)");
	}
	if (inv->n_vat == 0)
		einv_report(c, "BR-CO-18", EINV_FATAL, inv->root,
		    "the invoice has no VAT breakdown (BG-23)");
	if ((!UBL(c) || !inv->credit_note) && usable(&inv->payable) &&
	    inv->payable.e6 > 0 && inv->due_date.s == NULL &&
	    inv->terms.s == NULL)
		einv_report(c, "BR-CO-25", EINV_FATAL, inv->payable.node,
		    "an amount is due (BT-115 = %s) but neither a due date "
		    "(BT-9) nor payment terms (BT-20) are given",
		    inv->payable.s);
	if (s->node != NULL && s->vat_id.s == NULL && s->id.s == NULL &&
	    s->legal_id.s == NULL)
		einv_report(c, "BR-CO-26", EINV_FATAL, s->node,
		    "the seller needs an identifier (BT-29), a legal "
		    "registration (BT-30) or a VAT identifier (BT-31)");
}

void
einv_rules_calc(struct einv_ctx *c)
{
	size_t i;

	rules_sums(c);
	rules_totals(c);
	rules_vat_sum(c);
	for (i = 0; i < c->inv->n_vat; i++)
		rule_vat_amount(c, &c->inv->vat[i]);
	rule_vat_ids(c);
	rules_conditions(c);
}

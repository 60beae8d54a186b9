/*
 * The VAT category rules of EN 16931 for the categories kontor writes or
 * may meet: S (standard and reduced rates), Z (zero rated), E (exempt),
 * AE (reverse charge), K (intra-community supply, rules BR-IC-*), G
 * (export) and O (not subject to VAT), rules 01 to 10 of each, BR-IC-11
 * and BR-IC-12, BR-O-11 to BR-O-14.  L, M and B (Canary Islands, Ceuta
 * and Melilla, Italian split payment) are accepted by BR-CL-17/18 but
 * their rules are not checked.
 *
 * Rule 08 (the taxable amount of a breakdown is the lines, charges and
 * allowances of its category, for S of its rate too) is checked exactly,
 * in both syntaxes, although some of the CEN artefacts tolerate less
 * than one currency unit there (UBL BR-S-08, CII BR-Z/E/AE/IC/G-08):
 * kontor writes exact sums and wants to hear about anything else.  For
 * the same reason an S rate used on a line, allowance or charge without
 * a breakdown of that rate is reported as BR-S-08.
 */
#include <stdio.h>

#include "einvoice_int.h"

enum rate_req { RATE_POSITIVE, RATE_ZERO, RATE_NONE };
enum id_req {
	ID_SELLER_TAX,		/* seller VAT id or tax number, or rep. */
	ID_SELLER_TAX_BUYER,	/* that, and buyer VAT or legal id */
	ID_SELLER_VAT_BUYER,	/* seller VAT id or rep., buyer VAT id */
	ID_SELLER_VAT,		/* seller VAT id or representative */
	ID_NONE			/* no VAT id of seller, rep. or buyer */
};

static const struct vatcat {
	const char *code;
	const char *prefix;
	enum rate_req rate;
	int reason;		/* 1 needed, 0 forbidden */
	enum id_req ids;
	const char *name;
} cats[] = {
	{"S", "BR-S", RATE_POSITIVE, 0, ID_SELLER_TAX, "standard rated"},
	{"Z", "BR-Z", RATE_ZERO, 0, ID_SELLER_TAX, "zero rated"},
	{"E", "BR-E", RATE_ZERO, 1, ID_SELLER_TAX, "exempt"},
	{"AE", "BR-AE", RATE_ZERO, 1, ID_SELLER_TAX_BUYER, "reverse charge"},
	{"K", "BR-IC", RATE_ZERO, 1, ID_SELLER_VAT_BUYER,
	    "intra-community supply"},
	{"G", "BR-G", RATE_ZERO, 1, ID_SELLER_VAT, "export"},
	{"O", "BR-O", RATE_NONE, 1, ID_NONE, "not subject to VAT"},
};

struct rule_id {
	char s[16];
};

static const char *
rid(struct rule_id *r, const struct vatcat *k, int n)
{
	snprintf(r->s, sizeof(r->s), "%s-%02d", k->prefix, n);
	return r->s;
}

static int
is_cat(const struct einv_cat *cat, const struct vatcat *k)
{
	if (cat->node == NULL || !cat->vat)
		return 0;
	return cat->code_as_is ? einv_is_as_is(cat->code.s, k->code) :
	    einv_is(cat->code.s, k->code);
}

static int
ids_ok(const struct einvoice *inv, enum id_req req)
{
	int rep = inv->taxrep.vat_id.s != NULL;
	int seller_tax = inv->seller.n_tax_ids > 0 || rep;
	int seller_vat = inv->seller.vat_id.s != NULL || rep;

	switch (req) {
	case ID_SELLER_TAX:
		return seller_tax;
	case ID_SELLER_TAX_BUYER:
		return seller_tax && (inv->buyer.vat_id.s != NULL ||
		    inv->buyer.legal_id.s != NULL);
	case ID_SELLER_VAT_BUYER:
		return seller_vat && inv->buyer.vat_id.s != NULL;
	case ID_SELLER_VAT:
		return seller_vat;
	case ID_NONE:
		return !seller_vat && inv->buyer.vat_id.s == NULL;
	}
	return 0;
}

static const char *const id_text[] = {
	"the seller's VAT identifier (BT-31) or tax number (BT-32)",
	"the seller's VAT identifier or tax number and the buyer's VAT "
	    "identifier (BT-48) or legal registration (BT-47)",
	"the seller's VAT identifier (BT-31) and the buyer's (BT-48)",
	"the seller's VAT identifier (BT-31)",
	"no VAT identifier of seller, tax representative or buyer",
};

static int
rate_ok(const struct einv_num *rate, enum rate_req req)
{
	switch (req) {
	case RATE_POSITIVE:
		return rate->s != NULL && rate->ok && rate->e6 > 0;
	case RATE_ZERO:
		return rate->s != NULL && rate->ok && rate->e6 == 0;
	case RATE_NONE:
		return rate->s == NULL;
	}
	return 0;
}

static const char *const rate_text[] = {
	"a rate above 0", "the rate 0", "no rate"
};

/* Rules 02 to 07: each line, allowance and charge of the category. */
static void
rules_elements(struct einv_ctx *c, const struct vatcat *k)
{
	const struct einvoice *inv = c->inv;
	int ok_ids = ids_ok(inv, k->ids), seen[3] = {0, 0, 0};
	struct rule_id r;
	size_t i;

	for (i = 0; i < inv->n_line; i++) {
		const struct einv_cat *cat = &inv->line[i].cat;

		if (!is_cat(cat, k))
			continue;
		seen[0] = 1;
		if (!rate_ok(&cat->rate, k->rate))
			einv_report(c, rid(&r, k, 5), EINV_FATAL, cat->node,
			    "a %s line needs %s (BT-152)", k->name,
			    rate_text[k->rate]);
	}
	for (i = 0; i < inv->n_ac; i++) {
		const struct einv_ac *ac = &inv->ac[i];

		if (!is_cat(&ac->cat, k) || ac->charge < 0)
			continue;
		seen[1 + ac->charge] = 1;
		if (!rate_ok(&ac->cat.rate, k->rate))
			einv_report(c, rid(&r, k, 6 + ac->charge), EINV_FATAL,
			    ac->cat.node, "a %s %s needs %s", k->name,
			    ac->charge ? "charge" : "allowance",
			    rate_text[k->rate]);
	}
	for (i = 0; i < 3 && !ok_ids; i++)
		if (seen[i])
			einv_report(c, rid(&r, k, 2 + (int)i), EINV_FATAL,
			    inv->seller.node ? inv->seller.node : inv->root,
			    "%s %s need %s", k->name, i == 0 ? "lines" :
			    i == 1 ? "allowances" : "charges",
			    id_text[k->ids]);
}

/*
 * The sum that rule 08 compares: lines, charges minus allowances of the
 * category, and for S of the rate given.  The CII schematron rounds each
 * of the three sums to two decimals first (which matters only for
 * amounts BR-DEC already refuses); UBL compares the exact sum.
 */
static __int128
category_sum(const struct einvoice *inv, const struct vatcat *k,
    const struct einv_num *rate, int *used, int *ok)
{
	__int128 sum = 0, charges = 0, allowances = 0;
	size_t i;

	*used = 0;
	for (i = 0; i < inv->n_line; i++) {
		const struct einv_line *l = &inv->line[i];

		if (!is_cat(&l->cat, k) || (rate != NULL &&
		    (!l->cat.rate.ok || l->cat.rate.e6 != rate->e6)))
			continue;
		*used = 1;
		*ok &= l->net.s == NULL || l->net.ok;
		sum += l->net.ok ? l->net.e6 : 0;
	}
	for (i = 0; i < inv->n_ac; i++) {
		const struct einv_ac *ac = &inv->ac[i];

		if (!is_cat(&ac->cat, k) || ac->charge < 0 || (rate != NULL &&
		    (!ac->cat.rate.ok || ac->cat.rate.e6 != rate->e6)))
			continue;
		*used = 1;
		*ok &= ac->amount.s == NULL || ac->amount.ok;
		if (ac->amount.ok && ac->charge)
			charges += ac->amount.e6;
		else if (ac->amount.ok)
			allowances += ac->amount.e6;
	}
	if (inv->syntax == EINV_UBL)
		return sum + charges - allowances;
	return (__int128)einv_round2_xpath(sum) + einv_round2_xpath(charges) -
	    einv_round2_xpath(allowances);
}

static void
rule_taxable(struct einv_ctx *c, const struct vatcat *k,
    const struct einv_vat *v)
{
	const struct einv_num *rate = k->rate == RATE_POSITIVE ?
	    &v->cat.rate : NULL;
	struct rule_id r;
	__int128 sum;
	int used, ok = 1;
	char w[48];

	if (v->taxable.s == NULL) {
		einv_report(c, rid(&r, k, 8), EINV_FATAL, v->node,
		    "a %s breakdown needs its taxable amount (BT-116)",
		    k->name);
		return;
	}
	if (rate != NULL && (rate->s == NULL || !rate->ok))
		return;		/* BR-48 and BR-S-09 say it */
	sum = category_sum(c->inv, k, rate, &used, &ok);
	if (!ok || !v->taxable.ok)
		return;
	if (!used && rate != NULL)
		einv_report(c, rid(&r, k, 8), EINV_FATAL, v->node,
		    "no line, allowance or charge is %s at %s %%", k->name,
		    rate->s);
	else if (v->taxable.e6 != sum)
		einv_report(c, rid(&r, k, 8), EINV_FATAL, v->taxable.node,
		    "the taxable amount (BT-116) is %s, expected %s (the "
		    "%s lines and charges less allowances%s%s)", v->taxable.s,
		    einv_fmt(sum, w, sizeof(w)), k->name,
		    rate ? " at " : "", rate ? rate->s : "");
}

/* BR-S-09: VAT within one unit of taxable x rate, as BR-CO-17. */
static int
standard_vat_ok(const struct einv_vat *v, char *w, size_t size)
{
	__int128 want, tax;

	want = (__int128)(v->taxable.e6 < 0 ? -v->taxable.e6 :
	    v->taxable.e6) * v->cat.rate.e6;
	want = einv_floor_div(want + (__int128)EINV_ONE * EINV_ONE / 2,
	    (__int128)EINV_ONE * EINV_ONE) * (EINV_ONE / 100);
	tax = v->tax.e6 < 0 ? -(__int128)v->tax.e6 : v->tax.e6;
	einv_fmt(want, w, size);
	return tax - EINV_ONE < want && tax + EINV_ONE > want;
}

static void
rule_standard_vat(struct einv_ctx *c, const struct einv_vat *v)
{
	char w[48];

	if (v->tax.s == NULL || v->taxable.s == NULL ||
	    v->cat.rate.s == NULL) {
		einv_report(c, "BR-S-09", EINV_FATAL, v->node,
		    "a standard rated breakdown needs its taxable amount "
		    "(BT-116), VAT amount (BT-117) and rate (BT-119)");
		return;
	}
	if (!v->tax.ok || !v->taxable.ok || !v->cat.rate.ok ||
	    standard_vat_ok(v, w, sizeof(w)))
		return;
	einv_report(c, "BR-S-09", EINV_FATAL, v->tax.node,
	    "the VAT amount (BT-117) is %s, expected %s (%s x %s %%, "
	    "less than 1 off)", v->tax.s, w, v->taxable.s, v->cat.rate.s);
}

/* Rules 08, 09 and 10 for one breakdown of the category. */
static void
rules_breakdown(struct einv_ctx *c, const struct vatcat *k,
    const struct einv_vat *v)
{
	struct rule_id r;
	int has_reason = v->cat.reason.s != NULL ||
	    v->cat.reason_code.s != NULL;

	rule_taxable(c, k, v);
	if (k->rate == RATE_POSITIVE)
		rule_standard_vat(c, v);
	else if (v->tax.ok && v->tax.e6 != 0)
		einv_report(c, rid(&r, k, 9), EINV_FATAL, v->tax.node,
		    "the VAT amount (BT-117) of a %s breakdown is %s, "
		    "expected 0", k->name, v->tax.s);
	if (k->reason && !has_reason)
		einv_report(c, rid(&r, k, 10), EINV_FATAL, v->cat.node,
		    "a %s breakdown needs an exemption reason (BT-120) or "
		    "its code (BT-121)", k->name);
	if (!k->reason && has_reason)
		einv_report(c, rid(&r, k, 10), EINV_FATAL, v->cat.node,
		    "a %s breakdown must not give an exemption reason "
		    "(BT-120, BT-121)", k->name);
}

/* Rule 01 and the breakdowns of one category. */
static void
rules_category(struct einv_ctx *c, const struct vatcat *k)
{
	const struct einvoice *inv = c->inv;
	int used = 0, n = 0;
	struct rule_id r;
	size_t i;

	for (i = 0; i < inv->n_line; i++)
		used |= is_cat(&inv->line[i].cat, k);
	for (i = 0; i < inv->n_ac; i++)
		used |= is_cat(&inv->ac[i].cat, k);
	for (i = 0; i < inv->n_vat; i++) {
		if (!is_cat(&inv->vat[i].cat, k))
			continue;
		n++;
		rules_breakdown(c, k, &inv->vat[i]);
	}
	if (k->rate == RATE_POSITIVE ? (used != (n > 0)) :
	    ((used || n > 0) && (n != 1 || !used)))
		einv_report(c, rid(&r, k, 1), EINV_FATAL, inv->root,
		    "%s lines, allowances or charges need %s %s breakdown, "
		    "got %d breakdowns and %s use", k->name,
		    k->rate == RATE_POSITIVE ? "at least one" : "exactly one",
		    k->code, n, used ? "some" : "no");
	rules_elements(c, k);
}

/*
 * BR-S-08, stricter: every S rate used has a breakdown of that rate.
 * Without any S breakdown BR-S-01 says it already, and for a breakdown
 * without a rate BR-48 and BR-S-09.
 */
static void
rule_standard_rates(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i, j;
	int any = 0;

	for (i = 0; i < inv->n_vat; i++) {
		const struct einv_cat *vc = &inv->vat[i].cat;

		if (is_cat(vc, &cats[0]) && !vc->rate.ok)
			return;
		any |= is_cat(vc, &cats[0]);
	}
	if (!any)
		return;
	for (i = 0; i < inv->n_line + inv->n_ac; i++) {
		const struct einv_cat *cat = i < inv->n_line ?
		    &inv->line[i].cat : &inv->ac[i - inv->n_line].cat;
		int found = 0;

		if (!is_cat(cat, &cats[0]) || !cat->rate.ok)
			continue;
		for (j = 0; j < inv->n_vat; j++) {
			const struct einv_cat *vc = &inv->vat[j].cat;

			found |= is_cat(vc, &cats[0]) && vc->rate.ok &&
			    vc->rate.e6 == cat->rate.e6;
		}
		if (!found)
			einv_report(c, "BR-S-08", EINV_FATAL, cat->node,
			    "no standard rated VAT breakdown (BG-23) at %s %%",
			    cat->rate.s);
	}
}

static int
is_o(const struct einv_cat *cat)
{
	return is_cat(cat, &cats[6]);
}

/* BR-O-11 to BR-O-14: O excludes every other category. */
static void
rules_outside_scope(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	int o = 0, other_vat = 0, other_line = 0, other[2] = {0, 0};
	size_t i;

	for (i = 0; i < inv->n_vat; i++) {
		o |= is_o(&inv->vat[i].cat);
		other_vat |= inv->vat[i].cat.vat && !is_o(&inv->vat[i].cat);
	}
	if (!o)
		return;
	for (i = 0; i < inv->n_line; i++)
		other_line |= inv->line[i].cat.vat && !is_o(&inv->line[i].cat);
	for (i = 0; i < inv->n_ac; i++) {
		if (inv->ac[i].charge < 0 || !inv->ac[i].cat.vat ||
		    is_o(&inv->ac[i].cat))
			continue;
		/* The CII rules look at every allowance and charge. */
		if (inv->syntax == EINV_CII)
			other[0] = other[1] = 1;
		else
			other[inv->ac[i].charge] = 1;
	}
	if (other_vat)
		einv_report(c, "BR-O-11", EINV_FATAL, inv->root,
		    "an invoice not subject to VAT (O) has breakdowns of "
		    "other categories");
	if (other_line)
		einv_report(c, "BR-O-12", EINV_FATAL, inv->root,
		    "an invoice not subject to VAT (O) has lines of other "
		    "categories");
	if (other[0])
		einv_report(c, "BR-O-13", EINV_FATAL, inv->root,
		    "an invoice not subject to VAT (O) has allowances of "
		    "other categories");
	if (other[1])
		einv_report(c, "BR-O-14", EINV_FATAL, inv->root,
		    "an invoice not subject to VAT (O) has charges of other "
		    "categories");
}

/* BR-IC-11, BR-IC-12: the supply date and the destination country. */
static void
rules_intra_community(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i;
	int k = 0;

	for (i = 0; i < inv->n_vat; i++)
		k |= is_cat(&inv->vat[i].cat, &cats[4]);
	if (!k)
		return;
	if (einv_blank(inv->delivery_date.s) && inv->period_start.s == NULL &&
	    inv->period_end.s == NULL)
		einv_report(c, "BR-IC-11", EINV_FATAL, inv->root,
		    "an intra-community supply needs the delivery date "
		    "(BT-72) or the invoicing period (BG-14)");
	if (einv_blank(inv->deliver_to.country.s))
		einv_report(c, "BR-IC-12", EINV_FATAL, inv->root,
		    "an intra-community supply needs the deliver-to country "
		    "(BT-80)");
}

void
einv_rules_vat(struct einv_ctx *c)
{
	size_t i;

	for (i = 0; i < sizeof(cats) / sizeof(cats[0]); i++)
		rules_category(c, &cats[i]);
	rule_standard_rates(c);
	rules_outside_scope(c);
	rules_intra_community(c);
}

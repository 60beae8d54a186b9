#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "taxcalc.h"

#define RATE_ONE	10000	/* 100 % in basis points */

/* The elements of one VAT category and rate. */
struct group {
	char category[CATEGORY_MAX];
	int64_t rate_bp;
	int64_t goods;		/* lines after their discounts, price basis */
	int64_t rdisc;		/* discounts the platform put on this rate */
	int64_t weight;
	int64_t ship;		/* shipping part, price basis */
	int64_t disc;		/* unallocated discount part, price basis */
	int64_t shop_tax;	/* what the shop stated at this rate */
	int shop_tax_known;
	struct inv_vat *vat;
};

struct calc {
	const struct order *o;
	const struct line_tax *lt;
	struct invoice *inv;
	struct group g[TAX_GROUPS_MAX];
	int ng;
	int gross;		/* Mode G */
	struct kerr *e;
};

void
tax_notes_init(struct tax_notes *n)
{
	buf_init(&n->text, (size_t)1 << 20);
	n->n = 0;
}

void
tax_notes_release(struct tax_notes *n)
{
	buf_release(&n->text);
	n->n = 0;
}

void
tax_notes_add(struct tax_notes *n, const char *fmt, ...)
{
	va_list ap;

	if (n == NULL)
		return;
	if (n->n > 0)
		buf_addc(&n->text, '\n');
	va_start(ap, fmt);
	buf_vprintf(&n->text, fmt, ap);
	va_end(ap);
	n->n++;
}

int64_t
taxcalc_net_of(int64_t gross_minor, int64_t rate_bp)
{
	return (int64_t)dec_div_round((__int128)gross_minor * RATE_ONE,
	    RATE_ONE + rate_bp);
}

int64_t
taxcalc_vat_in(int64_t gross_minor, int64_t rate_bp)
{
	return (int64_t)dec_div_round((__int128)gross_minor * rate_bp,
	    RATE_ONE + rate_bp);
}

int64_t
taxcalc_vat_on(int64_t net_minor, int64_t rate_bp)
{
	return (int64_t)dec_div_round((__int128)net_minor * rate_bp,
	    RATE_ONE);
}

int
taxcalc_split(int64_t amount, const int64_t *weight, const int64_t *rate_bp,
    int n, int64_t *part)
{
	__int128 total = 0;
	int64_t rest = amount;
	int big = 0, i;

	for (i = 0; i < n; i++) {
		total += weight[i];
		if (weight[i] > weight[big] ||
		    (weight[i] == weight[big] && rate_bp[i] > rate_bp[big]))
			big = i;
	}
	if (total == 0) {
		for (i = 0; i < n; i++) {
			part[i] = 0;
			if (rate_bp[i] > rate_bp[big])
				big = i;
		}
		part[big] = amount;
		return KR_OK;
	}
	for (i = 0; i < n; i++) {
		if (i == big)
			continue;
		part[i] = (int64_t)dec_div_round((__int128)amount * weight[i],
		    total);
		rest -= part[i];
	}
	part[big] = rest;
	return KR_OK;
}

static struct group *
group_for(struct calc *c, const char *category, int64_t rate_bp)
{
	int i;

	for (i = 0; i < c->ng; i++)
		if (c->g[i].rate_bp == rate_bp &&
		    strcmp(c->g[i].category, category) == 0)
			return &c->g[i];
	if (c->ng == TAX_GROUPS_MAX)
		return NULL;
	memset(&c->g[c->ng], 0, sizeof(c->g[0]));
	memcpy(c->g[c->ng].category, category, strlen(category) + 1);
	c->g[c->ng].rate_bp = rate_bp;
	c->g[c->ng].shop_tax_known = 1;
	return &c->g[c->ng++];
}

static int
group_before(const struct group *a, const struct group *b)
{
	if (a->rate_bp != b->rate_bp)
		return a->rate_bp > b->rate_bp;
	return strcmp(a->category, b->category) < 0;
}

/* Groups are kept by descending rate, so that 19 % comes before 7 %. */
static void
sort_groups(struct calc *c)
{
	int i, j;

	for (i = 1; i < c->ng; i++)
		for (j = i; j > 0 && group_before(&c->g[j], &c->g[j - 1]);
		    j--) {
			struct group t = c->g[j];

			c->g[j] = c->g[j - 1];
			c->g[j - 1] = t;
		}
}

/*
 * The group of the invoice lines that order lines at the shop's rate
 * rate_bp became, for a discount the platform allocated to that rate.
 * KR_BAD_INPUT when no line has the rate, or its lines went to more
 * than one group (the treatment gave them different categories).
 */
static int
rate_group(struct calc *c, size_t k, struct group **out)
{
	const struct order *o = c->o;
	const struct order_discount *d = &o->discounts[k];
	char field[48], r[DEC_BUFSZ];
	struct group *g = NULL, *h;
	size_t i;

	snprintf(field, sizeof(field), "discounts[%zu].rate", k);
	dec_format_trim(d->rate_bp, RATE_SCALE, r);
	for (i = 0; i < o->nlines; i++) {
		if (o->lines[i].rate_bp != d->rate_bp)
			continue;
		h = group_for(c, c->lt[i].category, c->lt[i].rate_bp);
		if (h == NULL || (g != NULL && h != g))
			return kerr_set(c->e, KR_BAD_INPUT, field,
			    "the lines at %s %% fall into different VAT "
			    "categories, so the discount at that rate cannot "
			    "be placed", r);
		g = h;
	}
	if (g == NULL)
		return kerr_set(c->e, KR_BAD_INPUT, field,
		    "the discount belongs to %s %%, but no line has that "
		    "rate", r);
	*out = g;
	return KR_OK;
}

/* Discounts the platform allocated to a rate reduce that rate's goods. */
static int
collect_rate_discounts(struct calc *c)
{
	const struct order *o = c->o;
	struct group *g = NULL;
	size_t k;
	int rc;

	for (k = 0; k < o->ndiscounts; k++) {
		const struct order_discount *d = &o->discounts[k];

		if (d->rate_bp < 0 || d->allocated)
			continue;
		if ((rc = rate_group(c, k, &g)) != KR_OK)
			return rc;
		g->rdisc += d->amount_minor;
		if (d->has_tax)
			g->shop_tax -= d->tax_minor;
		else
			g->shop_tax_known = 0;
	}
	return KR_OK;
}

static int
collect_goods(struct calc *c)
{
	const struct order *o = c->o;
	size_t i;
	int rc;

	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];
		struct group *g = group_for(c, c->lt[i].category,
		    c->lt[i].rate_bp);

		if (g == NULL)
			return kerr_set(c->e, KR_BAD_INPUT, "lines",
			    "more than %d VAT rates in one order",
			    TAX_GROUPS_MAX);
		g->goods += l->amount_minor - l->discount_minor;
		if (l->has_tax)
			g->shop_tax += l->tax_minor;
		else
			g->shop_tax_known = 0;
	}
	if ((rc = collect_rate_discounts(c)) != KR_OK)
		return rc;
	sort_groups(c);
	return KR_OK;
}

/* The weights are taken after every discount the platform allocated. */
static void
compute_weights(struct calc *c)
{
	int64_t goods;
	int i;

	for (i = 0; i < c->ng; i++) {
		goods = c->g[i].goods - c->g[i].rdisc;
		c->g[i].weight = c->gross ?
		    taxcalc_net_of(goods, c->g[i].rate_bp) : goods;
	}
}

/* Splits amount over the groups into the member at offset off. */
static void
split_into(struct calc *c, int64_t amount, size_t off)
{
	int64_t w[TAX_GROUPS_MAX], r[TAX_GROUPS_MAX], p[TAX_GROUPS_MAX];
	int i;

	for (i = 0; i < c->ng; i++) {
		w[i] = c->g[i].weight;
		r[i] = c->g[i].rate_bp;
	}
	taxcalc_split(amount, w, r, c->ng, p);
	for (i = 0; i < c->ng; i++)
		*(int64_t *)((char *)&c->g[i] + off) = p[i];
}

/* Shipping and unallocated discounts, each summed, then split by weight. */
static void
spread_shipping_and_discounts(struct calc *c)
{
	const struct order *o = c->o;
	int64_t ship = 0, disc = 0;
	size_t i;

	for (i = 0; i < o->nshipping; i++)
		ship += o->shipping[i].amount_minor -
		    o->shipping[i].discount_minor;
	for (i = 0; i < o->ndiscounts; i++)
		if (!o->discounts[i].allocated && o->discounts[i].rate_bp < 0)
			disc += o->discounts[i].amount_minor;
	split_into(c, ship, offsetof(struct group, ship));
	split_into(c, disc, offsetof(struct group, disc));
}

/* The shop's stated shipping tax counts at the rate it named. */
static void
collect_shop_shipping_tax(struct calc *c)
{
	const struct order *o = c->o;
	size_t i;
	int k;

	for (i = 0; i < o->nshipping; i++) {
		const struct order_shipping *s = &o->shipping[i];
		int found = 0;

		if (!s->has_tax || s->tax_minor == 0)
			continue;
		for (k = 0; k < c->ng && !found; k++)
			if (c->g[k].rate_bp == s->rate_bp) {
				c->g[k].shop_tax += s->tax_minor;
				found = 1;
			}
		for (k = 0; k < c->ng && !found; k++)
			c->g[k].shop_tax_known = 0;
	}
}

static struct inv_adjust *
add_adjust(struct calc *c, const struct group *g, int charge, int64_t gross)
{
	struct inv_adjust *a = invoice_add_adjust(c->inv);

	a->charge = charge;
	a->reason = charge ? "Versand" : "Rabatt";
	a->reason_code = charge ? "FC" : "95";
	memcpy(a->category, g->category, CATEGORY_MAX);
	a->rate_bp = g->rate_bp;
	a->gross_minor = c->gross ? gross : 0;
	a->net_minor = c->gross ? taxcalc_net_of(gross, g->rate_bp) : gross;
	return a;
}

/* The reason text of an unallocated discount: its codes, if any. */
static const char *
discount_reason(struct calc *c)
{
	const struct order *o = c->o;
	size_t i;

	for (i = 0; i < o->ndiscounts; i++) {
		const struct order_discount *d = &o->discounts[i];

		if (!d->allocated && d->rate_bp < 0 && d->code != NULL &&
		    d->code[0] != '\0')
			return d->code;
	}
	return "Rabatt";
}

static struct group *
group_at(struct calc *c, int64_t shop_rate_bp)
{
	size_t i;
	int k;

	for (i = 0; i < c->o->nlines; i++) {
		if (c->o->lines[i].rate_bp != shop_rate_bp)
			continue;
		for (k = 0; k < c->ng; k++)
			if (c->g[k].rate_bp == c->lt[i].rate_bp &&
			    strcmp(c->g[k].category, c->lt[i].category) == 0)
				return &c->g[k];
	}
	KBUG("no group for a rate discount");
}

/*
 * Per rate: the shipping part, the part of the unallocated discounts,
 * and one allowance for each discount the platform allocated to it.
 */
static void
make_adjusts(struct calc *c)
{
	const struct order *o = c->o;
	struct inv_adjust *a;
	size_t k;
	int i;

	for (i = 0; i < c->ng; i++) {
		struct group *g = &c->g[i];

		if (g->ship != 0)
			add_adjust(c, g, 1, g->ship);
		if (g->disc != 0) {
			a = add_adjust(c, g, 0, g->disc);
			a->reason = discount_reason(c);
		}
	}
	for (k = 0; k < o->ndiscounts; k++) {
		const struct order_discount *d = &o->discounts[k];

		if (d->rate_bp < 0 || d->allocated || d->amount_minor == 0)
			continue;
		a = add_adjust(c, group_at(c, d->rate_bp), 0,
		    d->amount_minor);
		if (d->code != NULL && d->code[0] != '\0')
			a->reason = d->code;
	}
}

void
taxcalc_breakdown(struct inv_vat *v, int64_t base_minor, int gross)
{
	if (gross) {
		v->gross_minor = base_minor;
		v->vat_minor = taxcalc_vat_in(base_minor, v->rate_bp);
		v->taxable_minor = base_minor - v->vat_minor;
		v->delta_minor = v->vat_minor -
		    taxcalc_vat_on(v->taxable_minor, v->rate_bp);
	} else {
		v->taxable_minor = base_minor;
		v->vat_minor = taxcalc_vat_on(base_minor, v->rate_bp);
		v->gross_minor = base_minor + v->vat_minor;
		v->delta_minor = 0;
	}
}

static void
make_breakdown(struct calc *c)
{
	int i;

	for (i = 0; i < c->ng; i++) {
		struct group *g = &c->g[i];
		struct inv_vat *v = invoice_add_vat(c->inv);
		int64_t base = g->goods - g->rdisc + g->ship - g->disc;

		memcpy(v->category, g->category, CATEGORY_MAX);
		v->rate_bp = g->rate_bp;
		taxcalc_breakdown(v, base, c->gross);
		g->vat = v;
	}
}

static const char *
line_id(struct calc *c, size_t i)
{
	char digits[DEC_BUFSZ];
	char *s = arena_strdup(c->inv->arena,
	    dec_format((int64_t)i + 1, 0, digits));

	if (s == NULL)
		KBUG("invoice arena exhausted");
	return s;
}

int64_t
taxcalc_net_price(int64_t net_before_minor, int64_t qty_e4, int exponent)
{
	return (int64_t)dec_div_round((__int128)net_before_minor *
	    dec_pow10(NET_PRICE_SCALE) * dec_pow10(QTY_SCALE),
	    (__int128)qty_e4 * dec_pow10(exponent));
}

static void
make_lines(struct calc *c)
{
	const struct order *o = c->o;
	size_t i;

	for (i = 0; i < o->nlines; i++) {
		const struct order_line *ol = &o->lines[i];
		struct inv_line *l = invoice_add_line(c->inv);
		int64_t a = ol->amount_minor - ol->discount_minor;

		l->id = line_id(c, i);
		l->order_line = ol->id;
		l->sku = ol->sku;
		l->name = ol->name;
		l->unit = ol->unit ? ol->unit : "H87";
		l->qty_e4 = ol->qty_e4;
		memcpy(l->category, c->lt[i].category, CATEGORY_MAX);
		l->rate_bp = c->lt[i].rate_bp;
		l->gross_minor = c->gross ? a : 0;
		l->net_minor = c->gross ? taxcalc_net_of(a, l->rate_bp) : a;
		l->allowance_reason = ol->discount_reason ?
		    ol->discount_reason : "Rabatt";
	}
}

static int
in_group(const struct inv_vat *g, int64_t rate_bp, const char *category)
{
	return rate_bp == g->rate_bp && strcmp(category, g->category) == 0;
}

/*
 * The nets of a rate's document-level charges less its allowances; *big
 * becomes the one with the largest amount (on a tie a charge, then the
 * first), or NULL when the rate has none.
 */
static int64_t
adjusts_net(struct invoice *inv, const struct inv_vat *g,
    struct inv_adjust **big)
{
	int64_t sum = 0;
	size_t i;

	*big = NULL;
	for (i = 0; i < inv->nadjusts; i++) {
		struct inv_adjust *a = &inv->adjusts[i];

		if (!in_group(g, a->rate_bp, a->category))
			continue;
		sum += a->charge ? a->net_minor : -a->net_minor;
		if (*big == NULL || a->gross_minor > (*big)->gross_minor ||
		    (a->gross_minor == (*big)->gross_minor && a->charge &&
		    !(*big)->charge))
			*big = a;
	}
	return sum;
}

/*
 * Mode G: the element nets of a rate, each rounded on its own, can miss
 * the rate's taxable amount by a cent or two.  The difference goes to the
 * rate's largest document-level charge or allowance, else to its line
 * with the largest net (tax.md §3).
 */
void
taxcalc_settle(struct invoice *inv, const struct inv_vat *g)
{
	struct inv_line *best = NULL;
	struct inv_adjust *big;
	int64_t sum = 0, left;
	size_t i;

	for (i = 0; i < inv->nlines; i++) {
		struct inv_line *l = &inv->lines[i];

		if (!in_group(g, l->rate_bp, l->category))
			continue;
		sum += l->net_minor;
		if (best == NULL || l->net_minor > best->net_minor)
			best = l;
	}
	sum += adjusts_net(inv, g, &big);
	left = g->taxable_minor - sum;
	if (left == 0)
		return;

	if (big != NULL && big->charge)
		big->net_minor += left;
	else if (big != NULL)
		big->net_minor -= left;
	else if (best != NULL)
		best->net_minor += left;
	else
		KBUG("rate without elements");
}

static void
finish_lines(struct calc *c)
{
	const struct order *o = c->o;
	struct invoice *inv = c->inv;
	size_t i;

	for (i = 0; i < inv->nlines; i++) {
		const struct order_line *ol = &o->lines[i];
		struct inv_line *l = &inv->lines[i];
		int64_t before = l->net_minor;

		if (ol->discount_minor > 0) {
			before = c->gross ? taxcalc_net_of(ol->amount_minor,
			    l->rate_bp) : ol->amount_minor;
			if (before < l->net_minor)
				before = l->net_minor;
		}
		l->allowance_minor = before - l->net_minor;
		l->net_price_e4 = taxcalc_net_price(before, l->qty_e4,
		    inv->exponent);
	}
}

void
taxcalc_sum(struct invoice *inv)
{
	size_t i;

	inv->line_net_minor = 0;
	inv->charges_minor = 0;
	inv->allowances_minor = 0;
	inv->vat_total_minor = 0;
	for (i = 0; i < inv->nlines; i++)
		inv->line_net_minor += inv->lines[i].net_minor;
	for (i = 0; i < inv->nadjusts; i++) {
		if (inv->adjusts[i].charge)
			inv->charges_minor += inv->adjusts[i].net_minor;
		else
			inv->allowances_minor += inv->adjusts[i].net_minor;
	}
	for (i = 0; i < inv->nvat; i++)
		inv->vat_total_minor += inv->vat[i].vat_minor;
	inv->net_minor = inv->line_net_minor - inv->allowances_minor +
	    inv->charges_minor;
	inv->gross_minor = inv->net_minor + inv->vat_total_minor;
}

static void
sum_totals(struct calc *c)
{
	struct invoice *inv = c->inv;

	taxcalc_sum(inv);
	inv->paid_minor = c->o->total_minor;
	inv->rounding_minor = c->gross ? 0 : inv->paid_minor -
	    inv->gross_minor;
	inv->due_minor = inv->gross_minor - inv->paid_minor +
	    inv->rounding_minor;
}

static int
check_paid(struct calc *c)
{
	const struct order *o = c->o;
	struct invoice *inv = c->inv;
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int64_t limit, diff = inv->paid_minor - inv->gross_minor;

	if (c->gross && diff != 0)
		return kerr_set(c->e, KR_BAD_INPUT, "totals.total",
		    "the stated total %s is not what the lines, shipping and "
		    "discounts add up to (%s)",
		    dec_format(inv->paid_minor, o->exponent, b1),
		    dec_format(inv->gross_minor, o->exponent, b2));
	/* A shop that rounds its tax per line is off by half a unit per
	 * line and per rate at most. */
	limit = (int64_t)(o->nlines + o->nshipping) + c->ng;
	if (diff > limit || diff < -limit)
		return kerr_set(c->e, KR_BAD_INPUT, "totals.total",
		    "the stated total %s differs from the invoice's %s by "
		    "more than the shop's per-line rounding explains",
		    dec_format(inv->paid_minor, o->exponent, b1),
		    dec_format(inv->gross_minor, o->exponent, b2));
	return KR_OK;
}

/*
 * 1 when the shop taxed all shipping at one rate while the invoice split
 * it over the goods' rates: the usual cause of a per-rate difference.
 */
static int
shop_taxed_shipping_whole(const struct calc *c)
{
	int i, parts = 0;

	for (i = 0; i < c->ng; i++)
		if (c->g[i].ship != 0)
			parts++;
	return parts > 1 && c->o->nshipping > 0;
}

static void
compare_shop_tax(struct calc *c, struct tax_notes *notes)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ], rate[DEC_BUFSZ];
	struct buf shop, ours;
	int x = c->o->exponent, i, differs = 0;

	/* No one reads the note (-q): it is not put together either. */
	if (notes == NULL)
		return;
	for (i = 0; i < c->ng; i++) {
		int64_t d = c->g[i].shop_tax - c->g[i].vat->vat_minor;

		if (!c->g[i].shop_tax_known)
			return;
		if (d < -1 || d > 1)
			differs = 1;
	}
	if (!differs)
		return;

	buf_init(&shop, 0);
	buf_init(&ours, 0);
	for (i = 0; i < c->ng; i++) {
		const char *sep = i == 0 ? "" :
		    i + 1 == c->ng ? " and " : ", ";

		dec_format_trim(c->g[i].rate_bp, RATE_SCALE, rate);
		buf_printf(&shop, "%s%s at %s %%", sep,
		    dec_format(c->g[i].shop_tax, x, b1), rate);
		buf_printf(&ours, "%s%s", sep,
		    dec_format(c->g[i].vat->vat_minor, x, b2));
	}
	tax_notes_add(notes, "order %s: the shop states VAT of %s, the "
	    "invoice %s%s", c->o->order_number, shop.data, ours.data,
	    shop_taxed_shipping_whole(c) ? " (the invoice splits the "
	    "shipping over the goods' rates, tax.md §3)" : "");
	buf_release(&shop);
	buf_release(&ours);
}

int
taxcalc_run(const struct order *o, const struct line_tax *lt,
    struct invoice *inv, struct tax_notes *notes, struct kerr *e)
{
	struct calc c;
	int i, rc;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.lt = lt;
	c.inv = inv;
	c.e = e;
	c.gross = o->prices == PRICES_GROSS;
	inv->mode = c.gross ? 'G' : 'N';
	memcpy(inv->currency, o->currency, sizeof(inv->currency));
	inv->exponent = o->exponent;

	if ((rc = collect_goods(&c)) != KR_OK)
		return rc;
	compute_weights(&c);
	spread_shipping_and_discounts(&c);
	collect_shop_shipping_tax(&c);
	make_lines(&c);
	make_adjusts(&c);
	make_breakdown(&c);
	if (c.gross)
		for (i = 0; i < c.ng; i++)
			taxcalc_settle(inv, c.g[i].vat);
	finish_lines(&c);
	sum_totals(&c);

	if ((rc = check_paid(&c)) != KR_OK)
		return rc;
	if (invoice_check_sums(inv, e) != KR_OK)
		KBUG("invoice sums do not hold: %s", e->msg);
	compare_shop_tax(&c, notes);
	return KR_OK;
}

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "creditnote.h"
#include "dec.h"
#include "fxinvoice.h"
#include "ktime.h"

/* The refund's part at one breakdown (category and rate) of the invoice. */
struct part {
	int64_t base;		/* what it gives back here, price basis */
	int64_t ship;		/* the shipping part, price basis */
	int64_t goodwill;	/* the part beyond lines and shipping */
	int used;		/* some element of the credit note is here */
};

struct cn {
	const struct config *cfg;
	const struct invoice *orig;
	const struct refund *rf;
	const struct creditnote_tally *before;
	struct invoice *inv;
	struct kerr *e;
	int gross;			/* Mode G */
	struct part p[TAX_GROUPS_MAX];	/* by breakdown of orig */
	int64_t covered;		/* lines and shipping, price basis */
	size_t nelems;			/* lines and charges made */
};

/* Tally */

void
creditnote_tally_init(struct creditnote_tally *t, const struct invoice *orig)
{
	size_t n = orig->nlines > 0 ? orig->nlines : 1;

	memset(t, 0, sizeof(*t));
	t->orig = orig;
	t->qty_e4 = xcalloc(n, sizeof(*t->qty_e4));
	t->amount_minor = xcalloc(n, sizeof(*t->amount_minor));
}

void
creditnote_tally_release(struct creditnote_tally *t)
{
	free(t->qty_e4);
	free(t->amount_minor);
	memset(t, 0, sizeof(*t));
}

/* The breakdown of inv with category and rate, or -1. */
static int
vat_index(const struct invoice *inv, const char *category, int64_t rate_bp)
{
	size_t i;

	for (i = 0; i < inv->nvat && i < TAX_GROUPS_MAX; i++)
		if (inv->vat[i].rate_bp == rate_bp &&
		    strcmp(inv->vat[i].category, category) == 0)
			return (int)i;
	return -1;
}

/* The line of inv made from order line id, or -1. */
static long
line_index(const struct invoice *inv, const char *id)
{
	size_t i;

	for (i = 0; i < inv->nlines; i++)
		if (inv->lines[i].order_line != NULL &&
		    strcmp(inv->lines[i].order_line, id) == 0)
			return (long)i;
	return -1;
}

/* Shipping charges are the freight charges (UNTDID 7161 "FC"). */
static int
is_shipping(const struct inv_adjust *a)
{
	return a->charge && a->reason_code != NULL &&
	    strcmp(a->reason_code, "FC") == 0;
}

static int64_t
basis(const struct invoice *inv, int64_t gross_minor, int64_t net_minor)
{
	return inv->mode == 'G' ? gross_minor : net_minor;
}

void
creditnote_tally_add(struct creditnote_tally *t, const struct invoice *cn)
{
	const struct invoice *o = t->orig;
	size_t i;
	long k;
	int g;

	for (i = 0; i < cn->nlines; i++) {
		const struct inv_line *l = &cn->lines[i];

		if (l->order_line == NULL ||
		    (k = line_index(o, l->order_line)) < 0)
			continue;
		t->qty_e4[k] += l->qty_e4;
		t->amount_minor[k] += basis(o, l->gross_minor, l->net_minor);
	}
	for (i = 0; i < cn->nadjusts; i++) {
		const struct inv_adjust *a = &cn->adjusts[i];

		g = vat_index(o, a->category, a->rate_bp);
		if (is_shipping(a) && g >= 0)
			t->ship_minor[g] += basis(o, a->gross_minor,
			    a->net_minor);
	}
	t->paid_minor += cn->paid_minor;
	t->n++;
}

/* Messages */

static const char *
amount(const struct cn *c, int64_t v, char buf[DEC_BUFSZ])
{
	return dec_format(v, c->orig->exponent, buf);
}

static int
refuse(struct cn *c, const char *field, const char *what, int64_t want,
    int64_t left)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];

	return kerr_set(c->e, KR_BAD_INPUT, field, "refund %s gives back %s "
	    "of %s, but invoice %s has only %s of it left to credit",
	    c->rf->id, amount(c, want, b1), what, c->orig->number,
	    amount(c, left, b2));
}

/* The head: what the credit note takes over from its invoice */

static int
supply_date(struct cn *c, const struct run *r)
{
	char date[KTIME_DATE_MAX];
	const char *when = c->rf->created_at;
	time_t t;

	if (when == NULL || ktime_parse(when, &t) != KR_OK)
		return kerr_set(c->e, KR_BAD_INPUT, "refund.created_at",
		    "refund %s has no time like \"2026-11-03T09:15:00Z\" "
		    "(got \"%.40s\"), so the period of the correction is "
		    "unknown; it waits for the refund's own record with its "
		    "date", c->rf->id, when != NULL ? when : "");
	ktime_local_date(t, date);
	if (strcmp(date, r->date) > 0)
		return kerr_set(c->e, KR_NOT_READY, "refund.created_at",
		    "refund %s is dated %s, after the run's date %s",
		    c->rf->id, date, r->date);
	c->inv->supply_date = invoice_strdup(c->inv, date);
	return KR_OK;
}

static void
copy_parties(struct invoice *inv, const struct invoice *o)
{
	inv->seller = o->seller;
	inv->buyer = o->buyer;
	inv->delivery = o->delivery;
	inv->buyer_reference = o->buyer_reference;
	inv->buyer_vat_check = o->buyer_vat_check;
	inv->vies_number = o->vies_number;
	inv->vies_date = o->vies_date;
	inv->note = o->note;
	inv->debitor = o->debitor;
	/*
	 * The money goes back the way it came; an order paid by transfer
	 * is paid back by transfer to the buyer, whose account the seller's
	 * IBAN is not.
	 */
	inv->pay_means = o->pay_means != NULL &&
	    strcmp(o->pay_means, "58") == 0 ? "30" : o->pay_means;
	inv->pay_gateway = o->pay_gateway;
	inv->pay_transaction = o->pay_transaction;
	inv->pay_terms = "Der Betrag wurde erstattet.";
}

static int
make_head(struct cn *c, const struct run *r)
{
	const struct invoice *o = c->orig;
	struct invoice *inv = c->inv;

	if (o->has_fx != (strcmp(o->currency, "EUR") != 0))
		return kerr_set(c->e, KR_BAD_INPUT, "currency",
		    "invoice %s is in %s %s its EUR figures", o->number,
		    o->currency, o->has_fx ? "with" : "without");
	if (o->nvat > TAX_GROUPS_MAX)
		return kerr_set(c->e, KR_BAD_INPUT, "vat", "invoice %s has "
		    "more than %d VAT rates", o->number, TAX_GROUPS_MAX);
	inv->number = "";
	inv->doc_type = "381";
	inv->run_id = invoice_strdup(inv, r->id);
	inv->issue_date = invoice_strdup(inv, r->date);
	inv->shop = o->shop;
	inv->platform = o->platform;
	inv->order_id = o->order_id;
	inv->order_number = o->order_number;
	inv->refund_id = c->rf->id;
	inv->preceding_number = o->number;
	inv->preceding_date = o->issue_date;
	memcpy(inv->currency, o->currency, sizeof(inv->currency));
	inv->exponent = o->exponent;
	inv->mode = o->mode;
	inv->treatment = o->treatment;
	inv->treatment_reason = o->treatment_reason;
	copy_parties(inv, o);
	return supply_date(c, r);
}

/* Lines */

static const char *
reduction_name(struct cn *c, const char *what)
{
	const char *reason = c->rf->reason;
	char *s;

	if (reason != NULL && reason[0] != '\0')
		s = arena_printf(c->inv->arena, "%s: %s", what, reason);
	else
		s = arena_printf(c->inv->arena, "%s", what);
	if (s == NULL)
		KBUG("invoice arena exhausted");
	return s;
}

/*
 * Places an element of amount_minor (price basis) at the breakdown g of
 * the invoice: its category and rate, its gross (Mode G) and net.
 */
static void
place(struct cn *c, int g, int64_t amount_minor, char *category,
    int64_t *rate_bp, int64_t *gross_minor, int64_t *net_minor)
{
	const struct inv_vat *v = &c->orig->vat[g];

	memcpy(category, v->category, CATEGORY_MAX);
	*rate_bp = v->rate_bp;
	*gross_minor = c->gross ? amount_minor : 0;
	*net_minor = c->gross ? taxcalc_net_of(amount_minor, v->rate_bp) :
	    amount_minor;
	c->p[g].base += amount_minor;
	c->p[g].used = 1;
	c->nelems++;
}

/* A new line of the credit note at the breakdown g of the invoice. */
static struct inv_line *
add_line(struct cn *c, int g, int64_t qty_e4, int64_t amount_minor)
{
	struct inv_line *l = invoice_add_line(c->inv);
	char *id = arena_printf(c->inv->arena, "%zu", c->inv->nlines);

	if (id == NULL)
		KBUG("invoice arena exhausted");
	l->id = id;
	l->qty_e4 = qty_e4;
	place(c, g, amount_minor, l->category, &l->rate_bp, &l->gross_minor,
	    &l->net_minor);
	return l;
}

/* Checks line i of the refund against what is left of invoice line k. */
static int
check_line(struct cn *c, size_t i, long k)
{
	const struct refund_line *rl = &c->rf->lines[i];
	const struct inv_line *ol = &c->orig->lines[k];
	int64_t qty = 0, amt = 0, have;
	char field[64], b[DEC_BUFSZ], b2[DEC_BUFSZ], b3[DEC_BUFSZ];

	snprintf(field, sizeof(field), "refund.lines[%zu]", i);
	if (rl->qty_e4 < 0 || rl->amount_minor < 0)
		return kerr_set(c->e, KR_BAD_INPUT, field, "refund %s: "
		    "expected a quantity and amount of 0 or more",
		    c->rf->id);
	if (c->before != NULL) {
		qty = c->before->qty_e4[k];
		amt = c->before->amount_minor[k];
	}
	if (qty + rl->qty_e4 > ol->qty_e4)
		return kerr_set(c->e, KR_BAD_INPUT, field, "refund %s gives "
		    "back %s of line %s, but invoice %s has %s of it and %s "
		    "were credited before", c->rf->id,
		    dec_format_trim(rl->qty_e4, QTY_SCALE, b), rl->line_id,
		    c->orig->number, dec_format_trim(ol->qty_e4, QTY_SCALE,
		    b2), dec_format_trim(qty, QTY_SCALE, b3));
	have = basis(c->orig, ol->gross_minor, ol->net_minor);
	if (amt + rl->amount_minor > have)
		return refuse(c, field, "its line", rl->amount_minor,
		    have - amt);
	return KR_OK;
}

/*
 * A refund line: the order line's goods at their category and rate.  A
 * line that gives money back without goods (quantity 0) is a price
 * reduction of that line.
 */
static int
refund_line(struct cn *c, size_t i)
{
	const struct refund_line *rl = &c->rf->lines[i];
	const struct inv_line *ol;
	struct inv_line *l;
	char field[64];
	long k = line_index(c->orig, rl->line_id);
	int g, rc;

	snprintf(field, sizeof(field), "refund.lines[%zu].line_id", i);
	if (k < 0)
		return kerr_set(c->e, KR_BAD_INPUT, field, "refund %s gives "
		    "back order line %s, which invoice %s does not have",
		    c->rf->id, rl->line_id, c->orig->number);
	if ((rc = check_line(c, i, k)) != KR_OK)
		return rc;
	if (rl->amount_minor == 0)
		return KR_OK;	/* goods back, no money: nothing to credit */
	ol = &c->orig->lines[k];
	g = vat_index(c->orig, ol->category, ol->rate_bp);
	if (g < 0)
		KBUG("invoice line without a breakdown");
	l = add_line(c, g, rl->qty_e4 > 0 ? rl->qty_e4 : dec_pow10(QTY_SCALE),
	    rl->amount_minor);
	l->order_line = ol->order_line;
	l->sku = ol->sku;
	l->name = rl->qty_e4 > 0 ? ol->name :
	    reduction_name(c, "Preisnachlass");
	l->unit = rl->qty_e4 > 0 ? ol->unit : "C62";
	c->covered += rl->amount_minor;
	return KR_OK;
}

static int
make_lines(struct cn *c)
{
	size_t i;
	int rc;

	for (i = 0; i < c->rf->nlines; i++)
		if ((rc = refund_line(c, i)) != KR_OK)
			return rc;
	return KR_OK;
}

/* Shipping */

static void
add_charge(struct cn *c, int g, int64_t amount_minor)
{
	struct inv_adjust *a = invoice_add_adjust(c->inv);

	a->charge = 1;
	a->reason = "Versand";
	a->reason_code = "FC";
	place(c, g, amount_minor, a->category, &a->rate_bp, &a->gross_minor,
	    &a->net_minor);
	c->p[g].ship += amount_minor;
}

/* What is left to credit of the invoice's shipping parts, per rate. */
static int64_t
shipping_left(struct cn *c, int64_t *left)
{
	const struct invoice *o = c->orig;
	int64_t sum = 0;
	size_t i;
	int g;

	memset(left, 0, sizeof(*left) * TAX_GROUPS_MAX);
	for (i = 0; i < o->nadjusts; i++) {
		const struct inv_adjust *a = &o->adjusts[i];

		g = vat_index(o, a->category, a->rate_bp);
		if (is_shipping(a) && g >= 0)
			left[g] += basis(o, a->gross_minor, a->net_minor);
	}
	for (g = 0; g < (int)o->nvat; g++) {
		if (c->before != NULL)
			left[g] -= c->before->ship_minor[g];
		sum += left[g];
	}
	return sum;
}

/*
 * The refunded shipping reverses the invoice's own shipping parts: all
 * that is left of them when that much comes back, else the amount split
 * in proportion to them (tax.md §3).
 */
static int
make_shipping(struct cn *c)
{
	int64_t left[TAX_GROUPS_MAX], rate[TAX_GROUPS_MAX];
	int64_t part[TAX_GROUPS_MAX];
	int64_t ship = c->rf->shipping_minor, sum = shipping_left(c, left);
	const struct invoice *o = c->orig;
	int g, n = (int)o->nvat;

	if (ship == 0)
		return KR_OK;
	if (ship < 0)
		return kerr_set(c->e, KR_BAD_INPUT, "refund.shipping",
		    "refund %s: expected shipping of 0 or more", c->rf->id);
	if (ship > sum)
		return refuse(c, "refund.shipping", "shipping", ship, sum);
	for (g = 0; g < n; g++)
		rate[g] = o->vat[g].rate_bp;
	if (ship == sum)
		memcpy(part, left, sizeof(part));
	else
		taxcalc_split(ship, left, rate, n, part);
	for (g = 0; g < n; g++)
		if (part[g] != 0)
			add_charge(c, g, part[g]);
	c->covered += ship;
	return KR_OK;
}

/* Beyond lines and shipping */

/*
 * Mode N: what the refunded lines and shipping cost with their VAT,
 * VAT = round(taxable x r) per rate.
 */
static int64_t
covered_gross(const struct cn *c)
{
	int64_t sum = 0;
	size_t g;

	for (g = 0; g < c->orig->nvat; g++)
		sum += c->p[g].base + taxcalc_vat_on(c->p[g].base,
		    c->orig->vat[g].rate_bp);
	return sum;
}

/*
 * A shop that rounds its tax per line is off by half a unit per line
 * and per rate at most (as taxcalc's check of an order's total).
 */
static int64_t
rounding_limit(const struct cn *c)
{
	return (int64_t)(c->rf->nlines + 1 + c->orig->nvat);
}

/*
 * What the refund pays back beyond its lines and shipping: a reduction
 * of the price, which lowers the base of every rate in proportion to
 * the invoice's net at it (tax.md §3).  In Mode N a small difference is
 * the shop's per-line rounding, left to BT-114.
 */
static int64_t
goodwill(struct cn *c)
{
	int64_t paid = c->rf->amount_minor, covered = c->covered;

	if (c->gross)
		return paid - covered;
	if (c->nelems == 0)
		return paid;
	covered = covered_gross(c);
	if (paid - covered <= rounding_limit(c) &&
	    paid - covered >= -rounding_limit(c))
		return 0;
	return paid - covered;
}

static int
make_goodwill(struct cn *c)
{
	int64_t w[TAX_GROUPS_MAX], rate[TAX_GROUPS_MAX];
	int64_t part[TAX_GROUPS_MAX];
	const struct invoice *o = c->orig;
	int64_t extra = goodwill(c);
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	struct inv_line *l;
	int g, n = (int)o->nvat;

	if (extra < 0)
		return kerr_set(c->e, KR_BAD_INPUT, "refund.amount",
		    "refund %s pays back %s, less than the lines and shipping "
		    "it gives back are worth (%s)", c->rf->id,
		    amount(c, c->rf->amount_minor, b1),
		    amount(c, c->rf->amount_minor - extra, b2));
	if (extra == 0)
		return KR_OK;
	for (g = 0; g < n; g++) {
		w[g] = o->vat[g].taxable_minor;
		rate[g] = o->vat[g].rate_bp;
	}
	taxcalc_split(extra, w, rate, n, part);
	for (g = 0; g < n; g++) {
		if (part[g] == 0)
			continue;
		l = add_line(c, g, dec_pow10(QTY_SCALE), part[g]);
		/* A gross amount of money, in Mode N too. */
		l->net_minor = taxcalc_net_of(part[g], o->vat[g].rate_bp);
		if (!c->gross)
			c->p[g].base += l->net_minor - part[g];
		l->name = reduction_name(c, "Preisnachlass");
		l->unit = "C62";
		c->p[g].goodwill = part[g];
	}
	return KR_OK;
}

/* The breakdown and its accounts */

/* The reduction account of breakdown v under the invoice's treatment. */
static int
account(struct cn *c, const struct inv_vat *ov, struct inv_vat *v)
{
	const char *t = c->orig->treatment;
	char key[48], rate[DEC_BUFSZ];

	v->tax_key = ov->tax_key;
	memcpy(v->country, ov->country, sizeof(v->country));
	if (strcmp(t, "oss") == 0 || strcmp(ov->category, "E") == 0 ||
	    strcmp(ov->category, "O") == 0) {
		/*
		 * datev.md §7: never 8720/8710, which carry German VAT.
		 * A small business's sale and one to a marketplace as
		 * deemed supplier carry none either: their reductions go
		 * back on the sale's own account.
		 */
		v->account = ov->account;
		snprintf(key, sizeof(key), "the sale's own account");
	} else {
		if (strcmp(t, "intra-eu") == 0)
			snprintf(key, sizeof(key), "reduction.intra_eu");
		else if (strcmp(t, "export") == 0)
			snprintf(key, sizeof(key), "reduction.export");
		else if (strcmp(t, "domestic") == 0 ||
		    strcmp(t, "domestic-b2b") == 0 ||
		    strcmp(t, "eu-consumer-de") == 0)
			snprintf(key, sizeof(key), "reduction.%s",
			    dec_format_trim(v->rate_bp, RATE_SCALE, rate));
		else
			return kerr_set(c->e, KR_BAD_INPUT, "treatment",
			    "invoice %s has treatment \"%.30s\", for which "
			    "kontor makes no credit notes", c->orig->number,
			    t);
		v->account = config_account(c->cfg, key, c->inv->issue_date);
	}
	if (v->account == NULL || v->account[0] == '\0')
		return kerr_set(c->e, KR_CONFIG, "vat", "no account for the "
		    "credit note of invoice %s at %s %% on %s (accounts.%s)",
		    c->orig->number, dec_format_trim(v->rate_bp, RATE_SCALE,
		    rate), c->inv->issue_date, key);
	return KR_OK;
}

static int
make_breakdown(struct cn *c)
{
	const struct invoice *o = c->orig;
	struct inv_vat *v;
	size_t g;
	int rc;

	for (g = 0; g < o->nvat; g++) {
		if (!c->p[g].used)
			continue;
		v = invoice_add_vat(c->inv);
		memcpy(v->category, o->vat[g].category, CATEGORY_MAX);
		v->rate_bp = o->vat[g].rate_bp;
		v->exemption_reason = o->vat[g].exemption_reason;
		v->exemption_code = o->vat[g].exemption_code;
		taxcalc_breakdown(v, c->p[g].base, c->gross);
		if ((rc = account(c, &o->vat[g], v)) != KR_OK)
			return rc;
	}
	for (g = 0; c->gross && g < c->inv->nvat; g++)
		taxcalc_settle(c->inv, &c->inv->vat[g]);
	for (g = 0; g < c->inv->nlines; g++) {
		struct inv_line *l = &c->inv->lines[g];

		l->net_price_e4 = taxcalc_net_price(l->net_minor, l->qty_e4,
		    c->inv->exponent);
	}
	return KR_OK;
}

/* Totals */

static int
make_totals(struct cn *c)
{
	struct invoice *inv = c->inv;
	int64_t before = c->before != NULL ? c->before->paid_minor : 0;
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int64_t limit = rounding_limit(c);

	taxcalc_sum(inv);
	inv->paid_minor = c->rf->amount_minor;
	inv->rounding_minor = inv->paid_minor - inv->gross_minor;
	inv->due_minor = 0;
	if (before + inv->paid_minor > c->orig->paid_minor)
		return refuse(c, "refund.amount", "the payment",
		    inv->paid_minor, c->orig->paid_minor - before);
	if (inv->rounding_minor > limit || inv->rounding_minor < -limit ||
	    (c->gross && inv->rounding_minor != 0))
		return kerr_set(c->e, KR_BAD_INPUT, "refund.amount",
		    "refund %s pays back %s, which differs from the credit "
		    "note's %s by more than the shop's per-line rounding "
		    "explains", c->rf->id, amount(c, inv->paid_minor, b1),
		    amount(c, inv->gross_minor, b2));
	if (inv->rounding_minor == 0)
		return KR_OK;
	inv->rounding_account = config_account(c->cfg, "rounding",
	    inv->issue_date);
	if (inv->rounding_account == NULL)
		return kerr_set(c->e, KR_CONFIG, "totals.rounding",
		    "the credit note of invoice %s has a rounding amount (the "
		    "shop rounded its tax per line) but no rounding account "
		    "is configured (accounts.rounding)", c->orig->number);
	return KR_OK;
}

/*
 * A refund of a sale to a marketplace as deemed supplier (tax.md §9):
 * the consumer gets back money that holds the marketplace's VAT, the
 * seller's revenue shrinks by the seller's share of it.  The refund is
 * taken into the seller's money in the proportion of the invoice, what
 * the seller got (BT-113) to what the consumer paid (that plus the VAT
 * the marketplace collected): each line, the shipping and the rest
 * apart, so that the parts still add up.
 */
static int
deemed_share(struct cn *c, int64_t amount, int64_t *out)
{
	const struct invoice *o = c->orig;

	if (dec_muldiv(amount, o->paid_minor, o->paid_minor +
	    o->marketplace_vat_minor, out) != KR_OK)
		return kerr_set(c->e, KR_OVERFLOW, "refund.amount", "refund "
		    "%s: the amount does not fit", c->rf->id);
	return KR_OK;
}

static int
deemed_refund(struct cn *c, struct refund *to)
{
	const struct refund *rf = c->rf;
	int64_t rest, part, lines = 0;
	size_t i;
	int rc;

	*to = *rf;
	if (c->orig->paid_minor + c->orig->marketplace_vat_minor <= 0)
		return kerr_set(c->e, KR_BAD_INPUT, "refund", "refund %s: "
		    "invoice %s has nothing paid to share it by", rf->id,
		    c->orig->number);
	to->lines = NULL;
	if (rf->nlines > 0) {
		to->lines = arena_alloc(c->inv->arena, rf->nlines *
		    sizeof(*to->lines));
		if (to->lines == NULL)
			KBUG("invoice arena exhausted");
	}
	for (i = 0; i < rf->nlines; i++) {
		to->lines[i] = rf->lines[i];
		if ((rc = deemed_share(c, rf->lines[i].amount_minor,
		    &to->lines[i].amount_minor)) != KR_OK)
			return rc;
		to->lines[i].tax_minor = 0;
		lines += rf->lines[i].amount_minor;
	}
	rest = rf->amount_minor - lines - rf->shipping_minor;
	if ((rc = deemed_share(c, rf->shipping_minor, &to->shipping_minor)) !=
	    KR_OK || (rc = deemed_share(c, rest, &part)) != KR_OK)
		return rc;
	to->amount_minor = to->shipping_minor + part;
	for (i = 0; i < rf->nlines; i++)
		to->amount_minor += to->lines[i].amount_minor;
	return KR_OK;
}

int
creditnote_make(const struct config *cfg, const struct run *r,
    const struct invoice *orig, const struct refund *rf,
    const struct creditnote_tally *before, struct invoice *inv,
    struct kerr *e)
{
	struct refund share;
	struct cn c;
	int rc;

	invoice_reset(inv);
	memset(&c, 0, sizeof(c));
	c.cfg = cfg;
	c.orig = orig;
	c.rf = rf;
	c.before = before;
	c.inv = inv;
	c.e = e;
	c.gross = orig->mode == 'G';
	if (orig->treatment != NULL &&
	    strcmp(orig->treatment, "deemed-supplier") == 0) {
		if ((rc = deemed_refund(&c, &share)) != KR_OK)
			return rc;
		c.rf = &share;
	}

	if ((rc = make_head(&c, r)) != KR_OK ||
	    (rc = make_lines(&c)) != KR_OK ||
	    (rc = make_shipping(&c)) != KR_OK ||
	    (rc = make_goodwill(&c)) != KR_OK)
		return rc;
	if (c.nelems == 0)
		return kerr_set(e, KR_NOT_FOUND, "refund.amount", "refund %s "
		    "pays nothing back: no credit note is due", rf->id);
	if ((rc = make_breakdown(&c)) != KR_OK ||
	    (rc = make_totals(&c)) != KR_OK)
		return rc;
	if (c.rf == &share)
		inv->marketplace_vat_minor = rf->amount_minor -
		    share.amount_minor;
	/*
	 * In another currency at the invoice's own rate, so that the
	 * credit note reverses the EUR figures the invoice booked.
	 */
	if (orig->has_fx && (rc = fxinvoice_apply_rate(inv, orig->fx_rate_e6,
	    orig->fx_source, e)) != KR_OK)
		return rc;
	if (invoice_check_sums(inv, e) != KR_OK)
		KBUG("credit note sums do not hold: %s", e->msg);
	return KR_OK;
}

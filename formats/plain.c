/*
 * The plain import: orders as CSV, for a seller's own system
 * (docs/plain-import.md).
 *
 * One record per order line; the order's own columns are repeated on
 * each of its lines and must be the same on all of them, and the lines
 * of one order follow each other.  A header row names the columns, in
 * any order; a column kontor does not know is an error, so a typo never
 * goes unnoticed.  Amounts are decimals with a point, in the order's
 * price basis (prices: gross or net).  One order is held at a time, so
 * a file of any length needs no more memory than its largest order.
 */
#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "dec.h"
#include "import.h"
#include "mapping.h"

enum plain_col {
	PC_ORDER_ID, PC_ORDER_NUMBER, PC_STATUS, PC_CREATED_AT, PC_PAID_AT,
	PC_SHIPPED_AT, PC_CANCELLED_AT, PC_CURRENCY, PC_PRICES,
	PC_BUYER_EMAIL, PC_BUYER_VAT_ID, PC_BUYER_REFERENCE, PC_CUSTOMER_ID,
	PC_BILLING_NAME, PC_BILLING_COMPANY, PC_BILLING_STREET,
	PC_BILLING_STREET2, PC_BILLING_POSTCODE, PC_BILLING_CITY,
	PC_BILLING_REGION, PC_BILLING_COUNTRY,
	PC_SHIPPING_NAME, PC_SHIPPING_COMPANY, PC_SHIPPING_STREET,
	PC_SHIPPING_STREET2, PC_SHIPPING_POSTCODE, PC_SHIPPING_CITY,
	PC_SHIPPING_REGION, PC_SHIPPING_COUNTRY,
	PC_SHIPPING_AMOUNT, PC_SHIPPING_TAX_RATE, PC_TOTAL, PC_TAX_TOTAL,
	PC_PAYMENT_GATEWAY, PC_PAYMENT_METHOD, PC_TRANSACTION_ID,
	PC_ORDER_COLS,		/* the line's columns follow */
	PC_LINE_ID = PC_ORDER_COLS, PC_SKU, PC_NAME, PC_QUANTITY, PC_UNIT,
	PC_UNIT_PRICE, PC_AMOUNT, PC_DISCOUNT, PC_DISCOUNT_CODE, PC_TAX_RATE,
	PC_COUNT
};

static const struct {
	const char *name;
	int required;
} plain_cols[PC_COUNT] = {
	{"order_id", 1}, {"order_number", 0}, {"status", 0},
	{"created_at", 1}, {"paid_at", 0}, {"shipped_at", 0},
	{"cancelled_at", 0}, {"currency", 1}, {"prices", 1},
	{"buyer_email", 0}, {"buyer_vat_id", 0}, {"buyer_reference", 0},
	{"customer_id", 0},
	{"billing_name", 0}, {"billing_company", 0}, {"billing_street", 0},
	{"billing_street2", 0}, {"billing_postcode", 0},
	{"billing_city", 0}, {"billing_region", 0}, {"billing_country", 0},
	{"shipping_name", 0}, {"shipping_company", 0},
	{"shipping_street", 0}, {"shipping_street2", 0},
	{"shipping_postcode", 0}, {"shipping_city", 0},
	{"shipping_region", 0}, {"shipping_country", 0},
	{"shipping_amount", 0}, {"shipping_tax_rate", 0}, {"total", 1},
	{"tax_total", 0}, {"payment_gateway", 0}, {"payment_method", 0},
	{"transaction_id", 0},
	{"line_id", 0}, {"sku", 0}, {"name", 1}, {"quantity", 1},
	{"unit", 0}, {"unit_price", 1}, {"amount", 0}, {"discount", 0},
	{"discount_code", 0}, {"tax_rate", 1}
};

struct plain {
	struct csv csv;
	int col[PC_COUNT];		/* field index, -1 when absent */
	size_t ncols;			/* fields of the header */
	struct order *o;
	const char *shop;
	const char *first[PC_ORDER_COLS];	/* the order's first row */
	long first_line;		/* the line of that row */
	int open;			/* an order is being collected */
	int failed;			/* it failed; skip its other rows */
	struct kerr err;		/* why */
	plain_fn fn;
	void *arg;
};

static const char *
pl_val(const struct plain *p, enum plain_col c)
{
	return p->col[c] < 0 ? "" : csv_field(&p->csv, (size_t)p->col[c]);
}

static int
pl_fail(struct plain *p, enum plain_col c, const char *fmt, const char *v)
{
	kerr_set(&p->err, KR_BAD_INPUT, plain_cols[c].name, fmt, v);
	kerr_where(&p->err, NULL, p->csv.line);
	return KR_BAD_INPUT;
}

static int
pl_header(struct plain *p, struct kerr *e)
{
	size_t i;
	int k, rc;

	rc = csv_next(&p->csv, e);
	if (rc == KR_NOT_FOUND)
		return kerr_set(e, KR_BAD_INPUT, "", "an empty file: expected "
		    "a header row naming the columns");
	if (rc != KR_OK)
		return rc;
	for (k = 0; k < PC_COUNT; k++)
		p->col[k] = -1;
	for (i = 0; i < p->csv.nfields; i++) {
		const char *name = csv_field(&p->csv, i);

		for (k = 0; k < PC_COUNT; k++)
			if (strcmp(name, plain_cols[k].name) == 0)
				break;
		kerr_where(e, NULL, p->csv.line);
		if (k == PC_COUNT)
			return kerr_set(e, KR_BAD_INPUT, "", "unknown column "
			    "\"%.40s\" (docs/plain-import.md lists them)",
			    name);
		if (p->col[k] >= 0)
			return kerr_set(e, KR_BAD_INPUT, "", "column \"%s\" "
			    "comes twice", name);
		p->col[k] = (int)i;
	}
	for (k = 0; k < PC_COUNT; k++)
		if (plain_cols[k].required && p->col[k] < 0)
			return kerr_set(e, KR_BAD_INPUT, "", "the header has "
			    "no column \"%s\", which is required",
			    plain_cols[k].name);
	p->ncols = p->csv.nfields;
	return KR_OK;
}

/* A copy of a text column in the order's arena, NULL when empty. */
static const char *
pl_text(struct plain *p, enum plain_col c)
{
	const char *v = pl_val(p, c);

	return v[0] == '\0' ? NULL : order_strdup(p->o, v);
}

static int
pl_dec(struct plain *p, enum plain_col c, int scale, int64_t *out)
{
	const char *v = pl_val(p, c);

	if (dec_parse(v, (size_t)-1, scale, out) == KR_OK)
		return KR_OK;
	return pl_fail(p, c, "expected a decimal with a point and no "
	    "thousands separator, like \"1234.50\", got \"%.40s\"", v);
}

/* An optional decimal column: empty leaves *out as it is. */
static int
pl_dec_opt(struct plain *p, enum plain_col c, int scale, int64_t *out)
{
	return pl_val(p, c)[0] == '\0' ? KR_OK : pl_dec(p, c, scale, out);
}

static int
pl_time(struct plain *p, enum plain_col c, const char **out)
{
	const char *v = pl_val(p, c);

	if (v[0] == '\0')
		return plain_cols[c].required ? pl_fail(p, c, "required "
		    "field is empty%s", "") : KR_OK;
	if (mapping_time_text(p->o, v, MAPPING_NEED_ZONE, out,
	    plain_cols[c].name, &p->err) == KR_OK)
		return KR_OK;
	kerr_where(&p->err, NULL, p->csv.line);
	return KR_BAD_INPUT;
}

static int
pl_country(struct plain *p, enum plain_col c, char out[3])
{
	const char *v = pl_val(p, c);

	out[0] = '\0';
	if (v[0] == '\0')
		return KR_OK;
	if (strlen(v) != 2 || v[0] < 'A' || v[0] > 'Z' || v[1] < 'A' ||
	    v[1] > 'Z')
		return pl_fail(p, c, "expected an ISO 3166 country code like "
		    "\"DE\", got \"%.20s\"", v);
	memcpy(out, v, 3);
	return KR_OK;
}

static int
pl_address(struct plain *p, enum plain_col first, struct address *a)
{
	a->name = pl_text(p, first);
	a->company = pl_text(p, first + 1);
	a->street = pl_text(p, first + 2);
	a->street2 = pl_text(p, first + 3);
	a->postcode = pl_text(p, first + 4);
	a->city = pl_text(p, first + 5);
	a->region = pl_text(p, first + 6);
	return pl_country(p, first + 7, a->country);
}

static int
pl_choice(struct plain *p, enum plain_col c, const char *const *words,
    int dflt)
{
	const char *v = pl_val(p, c);
	int i;

	if (v[0] == '\0' && dflt >= 0)
		return dflt;
	for (i = 0; words[i] != NULL; i++)
		if (strcmp(v, words[i]) == 0)
			return i;
	pl_fail(p, c, "expected one of the documented words, got "
	    "\"%.30s\"", v);
	return -1;
}

/*
 * Readiness: the status column when given (ready, pending, cancelled),
 * else ready once paid_at says when it was paid.
 */
static int
pl_status(struct plain *p)
{
	static const char *const words[] = {
		"ready", "pending", "cancelled", NULL
	};
	struct order *o = p->o;
	int st;

	if (pl_val(p, PC_STATUS)[0] == '\0') {
		o->status = o->paid_at != NULL ? ORDER_READY : ORDER_PENDING;
		o->status_reason = o->paid_at != NULL ? "paid_at given" :
		    "no paid_at";
		return KR_OK;
	}
	if ((st = pl_choice(p, PC_STATUS, words, -1)) < 0)
		return KR_BAD_INPUT;
	o->status = st == 0 ? ORDER_READY : st == 1 ? ORDER_PENDING :
	    ORDER_CANCELLED;
	o->status_reason = mapping_reason(o, "status", words[st]);
	if (o->status == ORDER_CANCELLED && o->cancelled_at == NULL)
		o->cancelled_at = o->created_at;
	return KR_OK;
}

static int
pl_shipping(struct plain *p)
{
	struct order_shipping *s;
	int64_t amount = 0;
	int rc;

	if (pl_val(p, PC_SHIPPING_AMOUNT)[0] == '\0')
		return KR_OK;
	if ((rc = pl_dec(p, PC_SHIPPING_AMOUNT, p->o->exponent, &amount)) !=
	    KR_OK)
		return rc;
	if (amount < 0)
		return pl_fail(p, PC_SHIPPING_AMOUNT, "expected an amount of "
		    "0 or more%s", "");
	s = order_add_shipping(p->o);
	s->amount_minor = amount;
	return pl_dec_opt(p, PC_SHIPPING_TAX_RATE, RATE_SCALE, &s->rate_bp);
}

/* The order's own columns, from its first row. */
static int
pl_head(struct plain *p)
{
	static const char *const prices[] = {"gross", "net", NULL};
	struct order *o = p->o;
	int basis, rc;

	o->order_id = pl_text(p, PC_ORDER_ID);
	o->order_number = pl_text(p, PC_ORDER_NUMBER);
	if (o->order_number == NULL)
		o->order_number = o->order_id;
	if ((rc = pl_time(p, PC_CREATED_AT, &o->created_at)) != KR_OK ||
	    (rc = pl_time(p, PC_PAID_AT, &o->paid_at)) != KR_OK ||
	    (rc = pl_time(p, PC_SHIPPED_AT, &o->shipped_at)) != KR_OK ||
	    (rc = pl_time(p, PC_CANCELLED_AT, &o->cancelled_at)) != KR_OK)
		return rc;
	if (order_set_currency(o, pl_val(p, PC_CURRENCY), "currency",
	    &p->err) != KR_OK) {
		kerr_where(&p->err, NULL, p->csv.line);
		return KR_BAD_INPUT;
	}
	if ((basis = pl_choice(p, PC_PRICES, prices, -1)) < 0)
		return KR_BAD_INPUT;
	o->prices = basis == 0 ? PRICES_GROSS : PRICES_NET;
	o->buyer_email = pl_text(p, PC_BUYER_EMAIL);
	o->buyer_vat_id = pl_text(p, PC_BUYER_VAT_ID);
	o->buyer_reference = pl_text(p, PC_BUYER_REFERENCE);
	o->customer_id = pl_text(p, PC_CUSTOMER_ID);
	o->pay_gateway = pl_text(p, PC_PAYMENT_GATEWAY);
	o->pay_method = pl_text(p, PC_PAYMENT_METHOD);
	o->pay_transaction = pl_text(p, PC_TRANSACTION_ID);
	o->has_tax_total = pl_val(p, PC_TAX_TOTAL)[0] != '\0';
	if ((rc = pl_address(p, PC_BILLING_NAME, &o->billing)) != KR_OK ||
	    (rc = pl_address(p, PC_SHIPPING_NAME, &o->shipping_addr)) !=
	    KR_OK ||
	    (rc = pl_dec(p, PC_TOTAL, o->exponent, &o->total_minor)) !=
	    KR_OK ||
	    (rc = pl_dec_opt(p, PC_TAX_TOTAL, o->exponent,
	    &o->tax_total_minor)) != KR_OK ||
	    (rc = pl_shipping(p)) != KR_OK)
		return rc;
	return pl_status(p);
}

/* Adds a line's discount to the order's discount of its code. */
static void
pl_discount(struct plain *p, const struct order_line *l)
{
	struct order *o = p->o;
	struct order_discount *d;
	size_t i;

	if (l->discount_minor == 0)
		return;
	for (i = 0; i < o->ndiscounts; i++) {
		d = &o->discounts[i];
		if ((d->code == NULL && l->discount_reason == NULL) ||
		    (d->code != NULL && l->discount_reason != NULL &&
		    strcmp(d->code, l->discount_reason) == 0)) {
			d->amount_minor += l->discount_minor;
			return;
		}
	}
	d = order_add_discount(o);
	d->code = l->discount_reason;
	d->amount_minor = l->discount_minor;
	d->allocated = 1;
}

static int
pl_line(struct plain *p)
{
	struct order *o = p->o;
	struct order_line *l = order_add_line(o);
	char ctx[32];
	int rc;

	l->id = pl_text(p, PC_LINE_ID);
	l->sku = pl_text(p, PC_SKU);
	l->name = pl_text(p, PC_NAME);
	l->discount_reason = pl_text(p, PC_DISCOUNT_CODE);
	if (pl_val(p, PC_UNIT)[0] != '\0')
		l->unit = pl_text(p, PC_UNIT);
	if (l->name == NULL)
		return pl_fail(p, PC_NAME, "required field is empty%s", "");
	if ((rc = pl_dec(p, PC_QUANTITY, QTY_SCALE, &l->qty_e4)) != KR_OK ||
	    (rc = pl_dec(p, PC_UNIT_PRICE, PRICE_SCALE, &l->unit_price_e6)) !=
	    KR_OK ||
	    (rc = pl_dec(p, PC_TAX_RATE, RATE_SCALE, &l->rate_bp)) != KR_OK ||
	    (rc = pl_dec_opt(p, PC_DISCOUNT, o->exponent,
	    &l->discount_minor)) != KR_OK)
		return rc;
	if (l->qty_e4 <= 0)
		return pl_fail(p, PC_QUANTITY, "expected a quantity above 0, "
		    "got \"%.20s\"", pl_val(p, PC_QUANTITY));
	if (pl_val(p, PC_AMOUNT)[0] != '\0')
		rc = pl_dec(p, PC_AMOUNT, o->exponent, &l->amount_minor);
	else if (mapping_line_amount(l->qty_e4, l->unit_price_e6,
	    o->exponent, &l->amount_minor) != KR_OK)
		rc = pl_fail(p, PC_AMOUNT, "quantity times unit_price is too "
		    "large%s", "");
	if (rc != KR_OK)
		return rc;
	snprintf(ctx, sizeof(ctx), "line %ld", p->csv.line);
	if (mapping_check_line(o, l, ctx, &p->err) != KR_OK) {
		kerr_where(&p->err, NULL, p->csv.line);
		return KR_BAD_INPUT;
	}
	pl_discount(p, l);
	return KR_OK;
}

/* Every row of an order repeats its first row's order columns. */
static int
pl_same_order(struct plain *p)
{
	int c;

	for (c = 0; c < PC_ORDER_COLS; c++)
		if (strcmp(pl_val(p, c), p->first[c]) != 0)
			return pl_fail(p, c, "the order's lines disagree: "
			    "\"%.40s\" differs from its first line",
			    pl_val(p, c));
	return KR_OK;
}

static void
pl_start(struct plain *p)
{
	char at[32];
	int c;

	order_reset(p->o);
	p->o->platform = "plain";
	p->o->shop = p->shop != NULL ? p->shop : "plain";
	p->o->source_line = NULL;
	p->open = 1;
	p->failed = 0;
	kerr_clear(&p->err);
	for (c = 0; c < PC_ORDER_COLS; c++)
		p->first[c] = order_strdup(p->o, pl_val(p, c));
	p->first_line = p->csv.line;
	snprintf(at, sizeof(at), "line %ld", p->csv.line);
	p->o->source_path = order_strdup(p->o, at);
	if (pl_head(p) != KR_OK)
		p->failed = 1;
}

/* The order is complete: check it and hand it over, or its error. */
static int
pl_finish(struct plain *p)
{
	struct order *o = p->o;

	p->open = 0;
	if (!p->failed && (mapping_check_totals(o, "total", &p->err) !=
	    KR_OK || order_check(o, &p->err) != KR_OK)) {
		p->failed = 1;
		kerr_where(&p->err, NULL, p->first_line);
	}
	return p->fn(p->arg, p->failed ? NULL : o, &p->err);
}

/*
 * A record with more fields than the header has values in no column,
 * and one with fewer has moved its values to other columns' places:
 * either would be read without a word of what was dropped.
 */
static int
pl_width(struct plain *p)
{
	if (p->csv.nfields == p->ncols)
		return KR_OK;
	kerr_set(&p->err, KR_BAD_INPUT, "", "the record has %zu fields and "
	    "the header %zu; quote a field that holds a comma",
	    p->csv.nfields, p->ncols);
	kerr_where(&p->err, NULL, p->csv.line);
	return KR_BAD_INPUT;
}

static int
pl_row(struct plain *p)
{
	const char *id = pl_val(p, PC_ORDER_ID);
	int fresh, rc;

	if (id[0] == '\0') {
		if (p->open && (rc = pl_finish(p)) != KR_OK)
			return rc;
		pl_fail(p, PC_ORDER_ID, "required field is empty%s", "");
		return p->fn(p->arg, NULL, &p->err);
	}
	if (p->open && strcmp(id, p->first[PC_ORDER_ID]) != 0 &&
	    (rc = pl_finish(p)) != KR_OK)
		return rc;
	fresh = !p->open;
	if (fresh)
		pl_start(p);
	/* A shifted record is named as such, not by what the shift did. */
	if ((fresh || !p->failed) && pl_width(p) != KR_OK)
		p->failed = 1;
	else if (!fresh && !p->failed && pl_same_order(p) != KR_OK)
		p->failed = 1;
	if (!p->failed && pl_line(p) != KR_OK)
		p->failed = 1;
	return KR_OK;
}

int
plain_read(FILE *fp, long first_line, const char *shop, struct order *o,
    plain_fn fn, void *arg, struct kerr *e)
{
	struct plain p;
	int rc;

	memset(&p, 0, sizeof(p));
	p.o = o;
	p.shop = shop;
	p.fn = fn;
	p.arg = arg;
	csv_init(&p.csv, fp, first_line);
	rc = pl_header(&p, e);
	while (rc == KR_OK && (rc = csv_next(&p.csv, e)) == KR_OK)
		rc = pl_row(&p);
	if (rc == KR_NOT_FOUND)
		rc = p.open ? pl_finish(&p) : KR_OK;
	csv_release(&p.csv);
	return rc;
}

#include <string.h>

#include "currency.h"
#include "dec.h"
#include "jfield.h"
#include "order.h"

#define ORDER_ARENA_MAX	((size_t)64 << 20)

void
order_init(struct order *o)
{
	memset(o, 0, sizeof(*o));
	o->arena = arena_new(ORDER_ARENA_MAX);
}

void
order_release(struct order *o)
{
	arena_free(o->arena);
	memset(o, 0, sizeof(*o));
}

void
order_reset(struct order *o)
{
	struct arena *a = o->arena;

	arena_reset(a);
	memset(o, 0, sizeof(*o));
	o->arena = a;
}

static void *
order_alloc(struct order *o, size_t n)
{
	void *p = arena_alloc(o->arena, n);

	if (p == NULL)
		KBUG("order larger than %zu MiB", ORDER_ARENA_MAX >> 20);
	return p;
}

/* Appends a zeroed element to one of the order's arrays. */
static void *
grow(struct order *o, void **arr, size_t *n, size_t *cap, size_t size)
{
	void *p = arena_push(o->arena, arr, n, cap, size);

	if (p == NULL)
		KBUG("order larger than %zu MiB", ORDER_ARENA_MAX >> 20);
	return p;
}

struct order_line *
order_add_line(struct order *o)
{
	struct order_line *l = grow(o, (void **)&o->lines, &o->nlines,
	    &o->cap_lines, sizeof(*l));

	l->unit = "H87";
	return l;
}

struct order_shipping *
order_add_shipping(struct order *o)
{
	struct order_shipping *s = grow(o, (void **)&o->shipping,
	    &o->nshipping, &o->cap_shipping, sizeof(*s));

	s->rate_bp = -1;
	return s;
}

struct order_discount *
order_add_discount(struct order *o)
{
	struct order_discount *d = grow(o, (void **)&o->discounts,
	    &o->ndiscounts, &o->cap_discounts, sizeof(*d));

	d->rate_bp = -1;
	return d;
}

struct refund *
order_add_refund(struct order *o)
{
	return grow(o, (void **)&o->refunds, &o->nrefunds, &o->cap_refunds,
	    sizeof(struct refund));
}

struct refund_line *
refund_add_line(struct order *o, struct refund *r)
{
	return grow(o, (void **)&r->lines, &r->nlines, &r->cap_lines,
	    sizeof(struct refund_line));
}

void
order_add_source(struct order *o, const char *name)
{
	const char **n = order_alloc(o, (o->nsource_also + 1) * sizeof(*n));

	if (o->nsource_also > 0)
		memcpy(n, o->source_also, o->nsource_also * sizeof(*n));
	n[o->nsource_also++] = order_strdup(o, name);
	o->source_also = n;
}

const char *
order_strndup(struct order *o, const char *s, size_t n)
{
	char *p = order_alloc(o, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

const char *
order_strdup(struct order *o, const char *s)
{
	return s == NULL ? NULL : order_strndup(o, s, strlen(s));
}

int
order_set_currency(struct order *o, const char *code, const char *field,
    struct kerr *e)
{
	int exp = currency_exponent(code);

	if (exp < 0)
		return kerr_set(e, KR_BAD_INPUT, field,
		    "expected an ISO 4217 currency code like \"EUR\", "
		    "got \"%.20s\"", code);
	memcpy(o->currency, code, 4);
	o->exponent = exp;
	return KR_OK;
}

const char *
order_status_name(enum order_status s)
{
	switch (s) {
	case ORDER_READY:
		return "ready";
	case ORDER_PENDING:
		return "pending";
	case ORDER_CANCELLED:
		return "cancelled";
	}
	return "?";
}

/* Writing */

static void
write_address(struct jw *w, const char *key, const struct address *a)
{
	jw_key(w, key);
	jw_obj(w);
	jw_kv_str(w, "name", a->name);
	jw_kv_str(w, "company", a->company);
	jw_kv_str(w, "street", a->street);
	jw_kv_str(w, "street2", a->street2);
	jw_kv_str(w, "postcode", a->postcode);
	jw_kv_str(w, "city", a->city);
	jw_kv_str(w, "region", a->region);
	jw_kv_str(w, "country", a->country);
	jw_obj_end(w);
}

static void
write_lines(struct jw *w, const struct order *o)
{
	size_t i;

	jw_key_lit(w, "lines");
	jw_arr(w);
	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];

		jw_obj(w);
		jw_kv_str(w, "id", l->id);
		jw_kv_str(w, "sku", l->sku);
		jw_kv_str(w, "name", l->name);
		jw_key_lit(w, "quantity");
		jw_dec_trim(w, l->qty_e4, QTY_SCALE);
		jw_kv_str(w, "unit", l->unit);
		jw_key_lit(w, "unit_price");
		jw_dec_trim(w, l->unit_price_e6, PRICE_SCALE);
		jw_kv_dec(w, "amount", l->amount_minor, o->exponent);
		jw_kv_dec(w, "discount", l->discount_minor, o->exponent);
		jw_kv_str(w, "discount_reason", l->discount_reason);
		jw_key_lit(w, "tax_rate");
		jw_dec_trim(w, l->rate_bp, RATE_SCALE);
		if (l->has_tax)
			jw_kv_dec(w, "tax", l->tax_minor, o->exponent);
		if (l->service)
			jw_kv_bool(w, "service", 1);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
write_shipping(struct jw *w, const struct order *o)
{
	size_t i;

	jw_key_lit(w, "shipping_lines");
	jw_arr(w);
	for (i = 0; i < o->nshipping; i++) {
		const struct order_shipping *s = &o->shipping[i];

		jw_obj(w);
		jw_kv_str(w, "id", s->id);
		jw_kv_str(w, "name", s->name);
		jw_kv_dec(w, "amount", s->amount_minor, o->exponent);
		jw_kv_dec(w, "discount", s->discount_minor, o->exponent);
		if (s->rate_bp >= 0) {
			jw_key_lit(w, "tax_rate");
			jw_dec_trim(w, s->rate_bp, RATE_SCALE);
		}
		if (s->has_tax)
			jw_kv_dec(w, "tax", s->tax_minor, o->exponent);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
write_discounts(struct jw *w, const struct order *o)
{
	size_t i;

	jw_key_lit(w, "discounts");
	jw_arr(w);
	for (i = 0; i < o->ndiscounts; i++) {
		const struct order_discount *d = &o->discounts[i];

		jw_obj(w);
		jw_kv_str(w, "code", d->code);
		jw_kv_dec(w, "amount", d->amount_minor, o->exponent);
		jw_kv_bool(w, "allocated", d->allocated);
		if (d->rate_bp >= 0) {
			jw_key_lit(w, "rate");
			jw_dec_trim(w, d->rate_bp, RATE_SCALE);
		}
		if (d->has_tax)
			jw_kv_dec(w, "tax", d->tax_minor, o->exponent);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
write_refunds(struct jw *w, const struct order *o)
{
	size_t i;

	jw_key_lit(w, "refunds");
	jw_arr(w);
	for (i = 0; i < o->nrefunds; i++)
		refund_write(w, &o->refunds[i], o->exponent);
	jw_arr_end(w);
}

/* The totals, the marketplace's VAT and the payment. */
static void
write_money(struct jw *w, const struct order *o)
{
	jw_key_lit(w, "totals");
	jw_obj(w);
	jw_kv_dec(w, "total", o->total_minor, o->exponent);
	if (o->has_tax_total)
		jw_kv_dec(w, "tax", o->tax_total_minor, o->exponent);
	jw_obj_end(w);
	if (o->deemed_supplier) {
		jw_kv_bool(w, "deemed_supplier", 1);
		jw_kv_dec(w, "marketplace_vat", o->marketplace_vat_minor,
		    o->exponent);
	}

	jw_key_lit(w, "payment");
	jw_obj(w);
	jw_kv_str(w, "gateway", o->pay_gateway);
	jw_kv_str(w, "method", o->pay_method);
	jw_kv_str(w, "transaction_id", o->pay_transaction);
	jw_obj_end(w);
}

int
order_write(const struct order *o, struct rec_out *out)
{
	struct jw *w = rec_begin(out, "order");

	jw_key_lit(w, "source");
	jw_obj(w);
	jw_kv_str(w, "file", o->source_file ? o->source_file : "-");
	jw_kv_str(w, "line", o->source_line);
	jw_kv_str(w, "path", o->source_path);
	if (o->nsource_also > 0) {
		size_t i;

		jw_key_lit(w, "also");
		jw_arr(w);
		for (i = 0; i < o->nsource_also; i++)
			jw_str(w, o->source_also[i]);
		jw_arr_end(w);
	}
	jw_obj_end(w);
	jw_kv_str(w, "shop", o->shop);
	jw_kv_str(w, "platform", o->platform);
	jw_kv_str(w, "order_id", o->order_id);
	jw_kv_str(w, "order_number", o->order_number);
	jw_kv_str(w, "status", order_status_name(o->status));
	jw_kv_str(w, "status_reason", o->status_reason);
	jw_kv_str(w, "created_at", o->created_at);
	jw_kv_str(w, "paid_at", o->paid_at);
	jw_kv_str(w, "shipped_at", o->shipped_at);
	jw_kv_str(w, "cancelled_at", o->cancelled_at);
	jw_kv_str(w, "currency", o->currency);
	jw_kv_str(w, "prices", o->prices == PRICES_GROSS ? "gross" : "net");

	jw_key_lit(w, "buyer");
	jw_obj(w);
	jw_kv_str(w, "email", o->buyer_email);
	jw_kv_str(w, "vat_id", o->buyer_vat_id);
	jw_kv_str(w, "reference", o->buyer_reference);
	jw_kv_str(w, "customer_id", o->customer_id);
	jw_obj_end(w);
	write_address(w, "billing", &o->billing);
	write_address(w, "shipping", &o->shipping_addr);
	if (o->ship_from[0] != '\0')
		jw_kv_str(w, "ship_from", o->ship_from);

	write_lines(w, o);
	write_shipping(w, o);
	write_discounts(w, o);

	write_money(w, o);
	write_refunds(w, o);
	return rec_end(out);
}

/* Reading */

/* An ISO 3166 alpha-2 code, or nothing, into out (3 bytes). */
static int
read_country(const struct jnode *n, const char *key, char *out,
    const char *ctx, struct kerr *e)
{
	char path[KERR_FIELD_MAX];
	const char *country = NULL;
	int rc;

	out[0] = '\0';
	rc = jf_str(n, key, 0, &country, ctx, e);
	if (rc != KR_OK || country == NULL || country[0] == '\0')
		return rc;
	if (strlen(country) != 2 || country[0] < 'A' || country[0] > 'Z' ||
	    country[1] < 'A' || country[1] > 'Z') {
		jf_path(path, sizeof(path), ctx, key);
		return kerr_set(e, KR_BAD_INPUT, path,
		    "expected an ISO 3166 country code like \"DE\", got "
		    "\"%.20s\"", country);
	}
	memcpy(out, country, 3);
	return KR_OK;
}

static int
read_address(const struct jnode *root, const char *key, struct address *a,
    struct kerr *e)
{
	const struct jnode *n;
	char ctx[32];
	int rc;

	memset(a, 0, sizeof(*a));
	rc = jf_object(root, key, JF_OPTIONAL, &n, "", e);
	if (rc != KR_OK || n == NULL)
		return rc;
	jf_path(ctx, sizeof(ctx), "", key);
	if ((rc = jf_str(n, "name", 0, &a->name, ctx, e)) != KR_OK ||
	    (rc = jf_str(n, "company", 0, &a->company, ctx, e)) != KR_OK ||
	    (rc = jf_str(n, "street", 0, &a->street, ctx, e)) != KR_OK ||
	    (rc = jf_str(n, "street2", 0, &a->street2, ctx, e)) != KR_OK ||
	    (rc = jf_str(n, "postcode", 0, &a->postcode, ctx, e)) != KR_OK ||
	    (rc = jf_str(n, "city", 0, &a->city, ctx, e)) != KR_OK ||
	    (rc = jf_str(n, "region", 0, &a->region, ctx, e)) != KR_OK)
		return rc;
	return read_country(n, "country", a->country, ctx, e);
}

static int
read_qty(const struct jnode *n, const char *key, int64_t *out,
    const char *ctx, struct kerr *e)
{
	return jf_rec_num(n, key, QTY_SCALE, JF_REQUIRED, out, ctx, e);
}

static int
read_lines(struct order *o, const struct jnode *root, struct kerr *e)
{
	const struct jnode *arr, *n;
	char ctx[64];
	size_t i = 0;
	int rc;

	rc = jf_array(root, "lines", JF_REQUIRED, &arr, "", e);
	if (rc != KR_OK)
		return rc;
	for (n = jfirst(arr); n != NULL; n = jnext(arr, n), i++) {
		struct order_line *l = order_add_line(o);

		jf_path_index(ctx, sizeof(ctx), "", "lines", i);
		if ((rc = jf_id(n, "id", 0, &l->id, ctx, e)) != KR_OK ||
		    (rc = jf_str(n, "sku", 0, &l->sku, ctx, e)) != KR_OK ||
		    (rc = jf_str(n, "name", 1, &l->name, ctx, e)) != KR_OK ||
		    (rc = read_qty(n, "quantity", &l->qty_e4, ctx, e)) !=
		    KR_OK ||
		    (rc = jf_str(n, "unit", 0, &l->unit, ctx, e)) != KR_OK ||
		    (rc = jf_rec_num(n, "unit_price", PRICE_SCALE, 1,
		    &l->unit_price_e6, ctx, e)) != KR_OK ||
		    (rc = jf_amount(n, "amount", o->exponent, 1,
		    &l->amount_minor, ctx, e)) != KR_OK ||
		    (rc = jf_amount(n, "discount", o->exponent, 0,
		    &l->discount_minor, ctx, e)) != KR_OK ||
		    (rc = jf_str(n, "discount_reason", 0, &l->discount_reason,
		    ctx, e)) != KR_OK ||
		    (rc = jf_rec_num(n, "tax_rate", RATE_SCALE, 1, &l->rate_bp,
		    ctx, e)) != KR_OK)
			return rc;
		rc = jf_amount_has(n, "tax", o->exponent, &l->has_tax,
		    &l->tax_minor, ctx, e);
		if (rc == KR_OK)
			rc = jf_bool(n, "service", JF_OPTIONAL, &l->service,
			    ctx, e);
		if (rc != KR_OK)
			return rc;
	}
	return KR_OK;
}

static int
read_shipping(struct order *o, const struct jnode *root, struct kerr *e)
{
	const struct jnode *arr, *n;
	char ctx[64];
	size_t i = 0;
	int rc;

	rc = jf_array(root, "shipping_lines", JF_OPTIONAL, &arr, "", e);
	if (rc != KR_OK)
		return rc;
	for (n = jfirst(arr); n != NULL; n = jnext(arr, n), i++) {
		struct order_shipping *s = order_add_shipping(o);

		jf_path_index(ctx, sizeof(ctx), "", "shipping_lines", i);
		if ((rc = jf_id(n, "id", 0, &s->id, ctx, e)) != KR_OK ||
		    (rc = jf_str(n, "name", 0, &s->name, ctx, e)) != KR_OK ||
		    (rc = jf_amount(n, "amount", o->exponent, 1,
		    &s->amount_minor, ctx, e)) != KR_OK ||
		    (rc = jf_amount(n, "discount", o->exponent, 0,
		    &s->discount_minor, ctx, e)) != KR_OK ||
		    (rc = jf_rec_num(n, "tax_rate", RATE_SCALE, 0, &s->rate_bp,
		    ctx, e)) != KR_OK)
			return rc;
		rc = jf_amount_has(n, "tax", o->exponent, &s->has_tax,
		    &s->tax_minor, ctx, e);
		if (rc != KR_OK)
			return rc;
	}
	return KR_OK;
}

static int
read_discounts(struct order *o, const struct jnode *root, struct kerr *e)
{
	const struct jnode *arr, *n;
	char ctx[64];
	size_t i = 0;
	int rc;

	rc = jf_array(root, "discounts", JF_OPTIONAL, &arr, "", e);
	if (rc != KR_OK)
		return rc;
	for (n = jfirst(arr); n != NULL; n = jnext(arr, n), i++) {
		struct order_discount *d = order_add_discount(o);

		jf_path_index(ctx, sizeof(ctx), "", "discounts", i);
		if ((rc = jf_str(n, "code", 0, &d->code, ctx, e)) != KR_OK ||
		    (rc = jf_amount(n, "amount", o->exponent, 1,
		    &d->amount_minor, ctx, e)) != KR_OK ||
		    (rc = jf_bool(n, "allocated", 1, &d->allocated, ctx, e)) !=
		    KR_OK ||
		    (rc = jf_rec_num(n, "rate", RATE_SCALE, 0, &d->rate_bp,
		    ctx, e)) != KR_OK)
			return rc;
		rc = jf_amount_has(n, "tax", o->exponent, &d->has_tax,
		    &d->tax_minor, ctx, e);
		if (rc != KR_OK)
			return rc;
	}
	return KR_OK;
}

static int
read_refunds(struct order *o, const struct jnode *root, struct kerr *e)
{
	const struct jnode *arr, *n;
	char ctx[64];
	size_t i = 0;
	int rc;

	rc = jf_array(root, "refunds", JF_OPTIONAL, &arr, "", e);
	if (rc != KR_OK)
		return rc;
	for (n = jfirst(arr); n != NULL; n = jnext(arr, n), i++) {
		struct refund *r = order_add_refund(o);

		jf_path_index(ctx, sizeof(ctx), "", "refunds", i);
		if ((rc = refund_read(o, r, n, ctx, e)) != KR_OK)
			return rc;
	}
	return KR_OK;
}

static int
read_status(struct order *o, const struct jnode *root, struct kerr *e)
{
	const char *s = NULL;
	int rc;

	rc = jf_str(root, "status", JF_REQUIRED, &s, "", e);
	if (rc != KR_OK)
		return rc;
	if (strcmp(s, "ready") == 0)
		o->status = ORDER_READY;
	else if (strcmp(s, "pending") == 0)
		o->status = ORDER_PENDING;
	else if (strcmp(s, "cancelled") == 0)
		o->status = ORDER_CANCELLED;
	else
		return kerr_set(e, KR_BAD_INPUT, "status",
		    "expected \"ready\", \"pending\" or \"cancelled\", "
		    "got \"%.30s\"", s);
	return jf_str(root, "status_reason", 0, &o->status_reason, "", e);
}

static int
read_also(struct order *o, const struct jnode *src, struct kerr *e)
{
	const struct jnode *arr, *n;
	int rc;

	rc = jf_array(src, "also", JF_OPTIONAL, &arr, "source", e);
	if (rc != KR_OK)
		return rc;
	for (n = jfirst(arr); n != NULL; n = jnext(arr, n)) {
		if (n->type != J_STRING)
			return kerr_set(e, KR_BAD_INPUT, "source.also",
			    "expected file names as strings, got %s",
			    jtype_name(n));
		order_add_source(o, n->u.str);
	}
	return KR_OK;
}

int
order_read_prices(struct order *o, const struct jnode *root, struct kerr *e)
{
	const char *prices = NULL;
	int rc;

	rc = jf_str(root, "prices", 1, &prices, "", e);
	if (rc != KR_OK)
		return rc;
	if (strcmp(prices, "gross") == 0)
		o->prices = PRICES_GROSS;
	else if (strcmp(prices, "net") == 0)
		o->prices = PRICES_NET;
	else
		return kerr_set(e, KR_BAD_INPUT, "prices",
		    "expected \"gross\" or \"net\", got \"%.30s\"", prices);
	return KR_OK;
}

static int
read_head(struct order *o, const struct jnode *root, struct kerr *e)
{
	const struct jnode *src = jget(root, "source");
	const char *cur = NULL;
	int rc;

	if ((rc = jf_str(src, "file", 0, &o->source_file, "source", e)) !=
	    KR_OK ||
	    (rc = jf_str(src, "line", 0, &o->source_line, "source", e)) !=
	    KR_OK ||
	    (rc = jf_str(src, "path", 0, &o->source_path, "source", e)) !=
	    KR_OK ||
	    (rc = read_also(o, src, e)) != KR_OK ||
	    (rc = jf_str(root, "shop", 1, &o->shop, "", e)) != KR_OK ||
	    (rc = jf_str(root, "platform", 0, &o->platform, "", e)) != KR_OK ||
	    (rc = jf_id(root, "order_id", 1, &o->order_id, "", e)) !=
	    KR_OK ||
	    (rc = jf_text(root, "order_number", 1, &o->order_number, "", e)) !=
	    KR_OK ||
	    (rc = read_status(o, root, e)) != KR_OK ||
	    (rc = jf_str(root, "created_at", 1, &o->created_at, "", e)) !=
	    KR_OK ||
	    (rc = jf_str(root, "paid_at", 0, &o->paid_at, "", e)) != KR_OK ||
	    (rc = jf_str(root, "shipped_at", 0, &o->shipped_at, "", e)) !=
	    KR_OK ||
	    (rc = jf_str(root, "cancelled_at", 0, &o->cancelled_at, "", e)) !=
	    KR_OK ||
	    (rc = jf_str(root, "currency", 1, &cur, "", e)) != KR_OK ||
	    (rc = order_set_currency(o, cur, "currency", e)) != KR_OK)
		return rc;
	return order_read_prices(o, root, e);
}

static int
read_buyer(struct order *o, const struct jnode *root, struct kerr *e)
{
	const struct jnode *b = jget(root, "buyer");
	int rc;

	if ((rc = jf_str(b, "email", 0, &o->buyer_email, "buyer", e)) !=
	    KR_OK ||
	    (rc = jf_str(b, "vat_id", 0, &o->buyer_vat_id, "buyer", e)) !=
	    KR_OK ||
	    (rc = jf_str(b, "reference", 0, &o->buyer_reference, "buyer",
	    e)) != KR_OK ||
	    (rc = jf_text(b, "customer_id", 0, &o->customer_id, "buyer",
	    e)) != KR_OK ||
	    (rc = read_address(root, "billing", &o->billing, e)) != KR_OK ||
	    (rc = read_address(root, "shipping", &o->shipping_addr, e)) !=
	    KR_OK)
		return rc;
	return read_country(root, "ship_from", o->ship_from, "", e);
}

static int
read_money(struct order *o, const struct jnode *root, struct kerr *e)
{
	const struct jnode *t = jget(root, "totals"), *p;
	int rc;

	rc = jf_amount(t, "total", o->exponent, JF_REQUIRED, &o->total_minor,
	    "totals", e);
	if (rc != KR_OK)
		return rc;
	rc = jf_amount_has(t, "tax", o->exponent, &o->has_tax_total,
	    &o->tax_total_minor, "totals", e);
	if (rc == KR_OK)
		rc = jf_bool(root, "deemed_supplier", 0, &o->deemed_supplier,
		    "", e);
	if (rc == KR_OK)
		rc = jf_amount(root, "marketplace_vat", o->exponent, 0,
		    &o->marketplace_vat_minor, "", e);
	if (rc != KR_OK)
		return rc;

	p = jget(root, "payment");
	if ((rc = jf_str(p, "gateway", 0, &o->pay_gateway, "payment", e)) !=
	    KR_OK ||
	    (rc = jf_str(p, "method", 0, &o->pay_method, "payment", e)) !=
	    KR_OK)
		return rc;
	return jf_text(p, "transaction_id", 0, &o->pay_transaction, "payment",
	    e);
}

int
order_read(struct order *o, const struct jnode *root, struct kerr *e)
{
	int rc;

	order_reset(o);
	if ((rc = read_head(o, root, e)) != KR_OK ||
	    (rc = read_buyer(o, root, e)) != KR_OK ||
	    (rc = read_lines(o, root, e)) != KR_OK ||
	    (rc = read_shipping(o, root, e)) != KR_OK ||
	    (rc = read_discounts(o, root, e)) != KR_OK ||
	    (rc = read_money(o, root, e)) != KR_OK ||
	    (rc = read_refunds(o, root, e)) != KR_OK)
		return rc;
	return KR_OK;
}

/* Checks */

/*
 * The path "arr[i].key" of a field a check refuses, made only when it
 * refuses: every order goes through the checks, few fail them.
 */
static const char *
elem_field(char *buf, const char *arr, size_t i, const char *key)
{
	snprintf(buf, KERR_FIELD_MAX, "%s[%zu].%s", arr, i, key);
	return buf;
}

static int
check_line(const struct order *o, size_t i, struct kerr *e)
{
	const struct order_line *l = &o->lines[i];
	char path[KERR_FIELD_MAX], b1[DEC_BUFSZ], b2[DEC_BUFSZ];

	if (l->qty_e4 <= 0)
		return kerr_set(e, KR_BAD_INPUT,
		    elem_field(path, "lines", i, "quantity"),
		    "expected a quantity above 0, got \"%s\"",
		    dec_format_trim(l->qty_e4, QTY_SCALE, b1));
	if (l->unit_price_e6 < 0)
		return kerr_set(e, KR_BAD_INPUT,
		    elem_field(path, "lines", i, "unit_price"),
		    "expected a price of 0 or more, got \"%s\"",
		    dec_format_trim(l->unit_price_e6, PRICE_SCALE, b1));
	if (l->amount_minor < 0)
		return kerr_set(e, KR_BAD_INPUT,
		    elem_field(path, "lines", i, "amount"),
		    "expected an amount of 0 or more, got \"%s\"",
		    dec_format(l->amount_minor, o->exponent, b1));
	if (l->discount_minor < 0 || l->discount_minor > l->amount_minor)
		return kerr_set(e, KR_BAD_INPUT,
		    elem_field(path, "lines", i, "discount"),
		    "expected a discount between 0 and the line's amount %s, "
		    "got \"%s\"", dec_format(l->amount_minor, o->exponent, b1),
		    dec_format(l->discount_minor, o->exponent, b2));
	if (l->rate_bp < 0 || l->rate_bp > 10000)
		return kerr_set(e, KR_BAD_INPUT,
		    elem_field(path, "lines", i, "tax_rate"),
		    "expected a rate between 0 and 100, got \"%s\"",
		    dec_format_trim(l->rate_bp, RATE_SCALE, b1));
	return KR_OK;
}

static int
check_shipping(const struct order *o, size_t i, struct kerr *e)
{
	const struct order_shipping *s = &o->shipping[i];
	char path[KERR_FIELD_MAX], b1[DEC_BUFSZ];

	if (s->amount_minor < 0)
		return kerr_set(e, KR_BAD_INPUT,
		    elem_field(path, "shipping_lines", i, "amount"),
		    "expected an amount of 0 or more, got \"%s\"",
		    dec_format(s->amount_minor, o->exponent, b1));
	if (s->discount_minor < 0 || s->discount_minor > s->amount_minor)
		return kerr_set(e, KR_BAD_INPUT,
		    elem_field(path, "shipping_lines", i, "discount"),
		    "expected a discount between 0 and the shipping amount, "
		    "got \"%s\"", dec_format(s->discount_minor, o->exponent,
		    b1));
	return KR_OK;
}

/* The lines at rate_bp after their discounts, and how many there are. */
static int64_t
goods_at(const struct order *o, int64_t rate_bp, size_t *nlines)
{
	int64_t sum = 0;
	size_t i;

	*nlines = 0;
	for (i = 0; i < o->nlines; i++)
		if (o->lines[i].rate_bp == rate_bp) {
			sum += o->lines[i].amount_minor -
			    o->lines[i].discount_minor;
			(*nlines)++;
		}
	return sum;
}

/* The discounts the platform allocated to rate_bp, added up. */
static int64_t
rate_discounts(const struct order *o, int64_t rate_bp)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < o->ndiscounts; i++)
		if (o->discounts[i].rate_bp == rate_bp)
			sum += o->discounts[i].amount_minor;
	return sum;
}

/*
 * A discount the platform allocated to a rate needs goods at that rate
 * to reduce, and cannot be on the lines at the same time.
 */
static int
check_rate_discount(const struct order *o, size_t i, struct kerr *e)
{
	const struct order_discount *d = &o->discounts[i];
	char path[KERR_FIELD_MAX], r[DEC_BUFSZ], b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int64_t goods, disc;
	size_t n;

	snprintf(path, sizeof(path), "discounts[%zu].rate", i);
	if (d->rate_bp > 10000)
		return kerr_set(e, KR_BAD_INPUT, path,
		    "expected a rate between 0 and 100, got \"%s\"",
		    dec_format_trim(d->rate_bp, RATE_SCALE, r));
	if (d->allocated)
		return kerr_set(e, KR_BAD_INPUT, path,
		    "a discount allocated to the lines cannot also be "
		    "allocated to a rate");
	dec_format_trim(d->rate_bp, RATE_SCALE, r);
	goods = goods_at(o, d->rate_bp, &n);
	if (n == 0)
		return kerr_set(e, KR_BAD_INPUT, path,
		    "the discount belongs to %s %%, but no line has that "
		    "rate", r);
	disc = rate_discounts(o, d->rate_bp);
	if (disc > goods)
		return kerr_set(e, KR_BAD_INPUT, path,
		    "the discounts at %s %% add up to %s, more than the goods "
		    "at that rate (%s)", r, dec_format(disc, o->exponent, b1),
		    dec_format(goods, o->exponent, b2));
	return KR_OK;
}

static int
check_discount(const struct order *o, size_t i, struct kerr *e)
{
	char path[KERR_FIELD_MAX];

	if (o->discounts[i].amount_minor < 0) {
		snprintf(path, sizeof(path), "discounts[%zu].amount", i);
		return kerr_set(e, KR_BAD_INPUT, path,
		    "expected a discount of 0 or more");
	}
	if (o->discounts[i].rate_bp >= 0)
		return check_rate_discount(o, i, e);
	return KR_OK;
}

static int
check_marketplace(const struct order *o, struct kerr *e)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];

	if (!o->deemed_supplier && o->marketplace_vat_minor != 0)
		return kerr_set(e, KR_BAD_INPUT, "marketplace_vat",
		    "a marketplace collects VAT only as deemed supplier, and "
		    "deemed_supplier is not set");
	if (o->marketplace_vat_minor < 0 ||
	    o->marketplace_vat_minor > o->total_minor)
		return kerr_set(e, KR_BAD_INPUT, "marketplace_vat",
		    "expected an amount between 0 and the total %s, got "
		    "\"%s\"", dec_format(o->total_minor, o->exponent, b1),
		    dec_format(o->marketplace_vat_minor, o->exponent, b2));
	return KR_OK;
}

int
order_check(const struct order *o, struct kerr *e)
{
	size_t i;
	int rc;

	if (currency_exponent(o->currency) != o->exponent)
		return kerr_set(e, KR_BAD_INPUT, "currency",
		    "expected an ISO 4217 currency code, got \"%s\"",
		    o->currency);
	if (o->nlines == 0 && o->status == ORDER_READY)
		return kerr_set(e, KR_BAD_INPUT, "lines",
		    "an order ready to invoice needs at least one line");
	for (i = 0; i < o->nlines; i++)
		if ((rc = check_line(o, i, e)) != KR_OK)
			return rc;
	for (i = 0; i < o->nshipping; i++)
		if ((rc = check_shipping(o, i, e)) != KR_OK)
			return rc;
	for (i = 0; i < o->ndiscounts; i++)
		if ((rc = check_discount(o, i, e)) != KR_OK)
			return rc;
	return check_marketplace(o, e);
}

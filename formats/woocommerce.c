/*
 * WooCommerce REST v3 orders to canonical orders.
 *
 * WooCommerce keeps every line amount net, whatever the shop's price
 * basis: subtotal (before coupons), total (after), and their taxes.  In
 * a gross-priced order (prices_include_tax) the canonical amounts are
 * therefore net plus tax: what the buyer saw and paid.  Times come from
 * the *_gmt twins, which are UTC without an offset; the plain ones are
 * the site's local time and are not used.
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "import.h"
#include "jfield.h"
#include "mapping.h"
#include "utf8.h"

#define WOO_PATH	KERR_FIELD_MAX

struct woo {
	struct order *o;
	const struct jnode *root;
	const char *ctx;
	int gross;		/* prices_include_tax */
	int untaxed;		/* the payload says no VAT applies */
	struct kerr *e;
};

static int
woo_overflow(struct woo *w, const char *path)
{
	return kerr_set(w->e, KR_OVERFLOW, path, "amounts too large");
}

/*
 * Net and tax of an item into one amount in the price basis: net alone,
 * or net plus tax in a gross-priced order.  Taxes may carry four
 * decimals ("round tax at subtotal"), so they are rounded to the cent.
 */
static int
woo_basis(struct woo *w, const struct jnode *n, const char *net_key,
    const char *tax_key, int64_t *amount, int64_t *tax, const char *ctx)
{
	int64_t net = 0;
	int rc;

	*tax = 0;
	if ((rc = jf_dec(n, net_key, w->o->exponent, JF_REQUIRED, &net, ctx,
	    w->e)) != KR_OK ||
	    (rc = jf_dec_round(n, tax_key, w->o->exponent, JF_OPTIONAL, tax,
	    ctx, w->e)) != KR_OK)
		return rc;
	*amount = net;
	if (w->gross && dec_add(net, *tax, amount) != KR_OK)
		return woo_overflow(w, ctx);
	return KR_OK;
}

/* The value of the first meta_data entry whose key is in keys. */
static int
woo_meta(struct woo *w, const char *const *keys, const char **out)
{
	const struct jnode *arr, *m;
	const char *const *k;
	char path[WOO_PATH];
	size_t i = 0;
	int rc;

	rc = jf_array(w->root, "meta_data", JF_OPTIONAL, &arr, w->ctx, w->e);
	for (m = jfirst(arr); rc == KR_OK && m != NULL; m = jnext(arr, m),
	    i++) {
		const char *key = jstr(jget(m, "key"));

		for (k = keys; key != NULL && *k != NULL; k++)
			if (strcmp(key, *k) == 0)
				break;
		if (key == NULL || *k == NULL)
			continue;
		jf_path_index(path, sizeof(path), w->ctx, "meta_data", i);
		rc = mapping_text(m, "value", out, path, w->e);
		if (rc == KR_OK && *out != NULL)
			break;
	}
	return rc;
}

static int
woo_head(struct woo *w)
{
	struct order *o = w->o;
	const char *cur = NULL;
	char path[WOO_PATH];
	int rc;

	jf_path(path, sizeof(path), w->ctx, "currency");
	if ((rc = mapping_id(w->root, "id", JF_REQUIRED, &o->order_id,
	    w->ctx, w->e)) != KR_OK ||
	    (rc = mapping_text(w->root, "number", &o->order_number, w->ctx,
	    w->e)) != KR_OK ||
	    (rc = mapping_time(o, w->root, "date_created_gmt",
	    MAPPING_BARE_UTC, JF_REQUIRED, &o->created_at, w->ctx, w->e)) !=
	    KR_OK ||
	    (rc = mapping_time(o, w->root, "date_paid_gmt", MAPPING_BARE_UTC,
	    JF_OPTIONAL, &o->paid_at, w->ctx, w->e)) != KR_OK ||
	    (rc = mapping_time(o, w->root, "date_completed_gmt",
	    MAPPING_BARE_UTC, JF_OPTIONAL, &o->shipped_at, w->ctx, w->e)) !=
	    KR_OK ||
	    (rc = jf_str(w->root, "currency", JF_REQUIRED, &cur, w->ctx,
	    w->e)) != KR_OK ||
	    (rc = order_set_currency(o, cur, path, w->e)) != KR_OK ||
	    (rc = jf_bool(w->root, "prices_include_tax", JF_REQUIRED,
	    &w->gross, w->ctx, w->e)) != KR_OK)
		return rc;
	if (o->order_number == NULL)
		o->order_number = o->order_id;
	o->prices = w->gross ? PRICES_GROSS : PRICES_NET;
	return KR_OK;
}

static int
is_one_of(const char *s, const char *a, const char *b, const char *c)
{
	return strcmp(s, a) == 0 || strcmp(s, b) == 0 || strcmp(s, c) == 0;
}

/*
 * Paid and processing or completed: ready.  Cancelled, failed, or
 * refunded before it was paid: cancelled.  Refunded after payment is
 * ready too (invoice and credit note).  Anything else waits.
 */
static int
woo_status(struct woo *w)
{
	struct order *o = w->o;
	const char *st = NULL;
	char reason[96];
	int paid = o->paid_at != NULL, rc;

	rc = jf_str(w->root, "status", JF_REQUIRED, &st, w->ctx, w->e);
	if (rc != KR_OK)
		return rc;
	snprintf(reason, sizeof(reason), "status %.*s%s",
	    utf8_prefix(st, 40), st, paid ? "" : ", not paid");
	o->status_reason = order_strdup(o, reason);
	if (paid && is_one_of(st, "processing", "completed", "refunded"))
		o->status = ORDER_READY;
	else if (is_one_of(st, "cancelled", "failed", "refunded"))
		o->status = ORDER_CANCELLED;
	else
		o->status = ORDER_PENDING;
	if (o->status == ORDER_CANCELLED)
		rc = mapping_time(o, w->root, "date_modified_gmt",
		    MAPPING_BARE_UTC, JF_OPTIONAL, &o->cancelled_at, w->ctx,
		    w->e);
	if (rc == KR_OK && o->status == ORDER_CANCELLED &&
	    o->cancelled_at == NULL)
		o->cancelled_at = o->created_at;
	return rc;
}

static int
woo_address(struct woo *w, const char *key, struct address *a)
{
	static const struct mapping_addr_keys keys = {
		"first_name", "last_name", NULL, "company", "address_1",
		"address_2", "postcode", "city", "state", "country"
	};
	const struct jnode *n;
	char ctx[WOO_PATH];
	int rc;

	rc = jf_object(w->root, key, JF_OPTIONAL, &n, w->ctx, w->e);
	if (rc != KR_OK || n == NULL)
		return rc;
	jf_path(ctx, sizeof(ctx), w->ctx, key);
	return mapping_address(w->o, n, &keys, a, ctx, w->e);
}

static int
woo_buyer(struct woo *w)
{
	static const char *const vat_keys[] = {
		"_billing_vat_id", "_billing_vat_number", "_vat_number",
		"vat_number", "_vat_id", "vat_id", NULL
	};
	static const char *const ref_keys[] = {
		"_leitweg_id", "leitweg_id", "_buyer_reference",
		"buyer_reference", NULL
	};
	static const char *const exempt_keys[] = {"is_vat_exempt", NULL};
	const char *exempt = NULL;
	char path[WOO_PATH];
	int rc;

	jf_path(path, sizeof(path), w->ctx, "billing");
	if ((rc = mapping_text(jget(w->root, "billing"), "email",
	    &w->o->buyer_email, path, w->e)) != KR_OK ||
	    (rc = mapping_text(w->root, "customer_id", &w->o->customer_id,
	    w->ctx, w->e)) != KR_OK ||
	    (rc = woo_meta(w, vat_keys, &w->o->buyer_vat_id)) != KR_OK ||
	    (rc = woo_meta(w, ref_keys, &w->o->buyer_reference)) != KR_OK ||
	    (rc = woo_meta(w, exempt_keys, &exempt)) != KR_OK ||
	    (rc = woo_address(w, "billing", &w->o->billing)) != KR_OK ||
	    (rc = woo_address(w, "shipping", &w->o->shipping_addr)) != KR_OK)
		return rc;
	/* WooCommerce writes 0 for a guest: no customer account. */
	if (w->o->customer_id != NULL && strcmp(w->o->customer_id, "0") == 0)
		w->o->customer_id = NULL;
	w->untaxed = (exempt != NULL && strcmp(exempt, "yes") == 0) ||
	    jlen(jget(w->root, "tax_lines")) == 0;
	return KR_OK;
}

/* The rate_percent of the tax_lines entry whose rate_id is id. */
static int
woo_rate_of(struct woo *w, const char *id, int64_t *rate_bp,
    const char *idpath)
{
	const struct jnode *arr = jget(w->root, "tax_lines"), *tl;
	char path[WOO_PATH], rpath[WOO_PATH], q[64];
	size_t k = 0;
	int rc;

	for (tl = jfirst(arr); tl != NULL; tl = jnext(arr, tl), k++) {
		const char *rid = jtext(jget(tl, "rate_id"));

		if (rid == NULL || strcmp(rid, id) != 0)
			continue;
		jf_path_index(path, sizeof(path), w->ctx, "tax_lines", k);
		rc = jf_dec(tl, "rate_percent", RATE_SCALE, JF_REQUIRED,
		    rate_bp, path, w->e);
		if (rc != KR_OK || (*rate_bp >= 0 && *rate_bp <= 10000))
			return rc;
		jf_path(rpath, sizeof(rpath), path, "rate_percent");
		return kerr_set(w->e, KR_BAD_INPUT, rpath,
		    "expected a percentage between 0 and 100, got %s",
		    jf_quote(jget(tl, "rate_percent"), q, sizeof(q)));
	}
	return kerr_set(w->e, KR_BAD_INPUT, idpath,
	    "no tax_lines entry has rate_id %.20s", id);
}

/*
 * The rate of a line or shipping line: the sum of the rates its taxes[]
 * name by id.  *count says how many it names.
 */
static int
woo_item_rate(struct woo *w, const struct jnode *n, const char *ctx,
    int64_t *rate_bp, size_t *count)
{
	const struct jnode *arr, *t;
	char path[WOO_PATH], idpath[WOO_PATH];
	int64_t rate;
	const char *id;
	int rc;

	*rate_bp = 0;
	*count = 0;
	rc = jf_array(n, "taxes", JF_OPTIONAL, &arr, ctx, w->e);
	for (t = jfirst(arr); rc == KR_OK && t != NULL; t = jnext(arr, t)) {
		jf_path_index(path, sizeof(path), ctx, "taxes", *count);
		id = NULL;
		if ((rc = jf_text(t, "id", JF_REQUIRED, &id, path, w->e)) !=
		    KR_OK)
			return rc;
		jf_path(idpath, sizeof(idpath), path, "id");
		if ((rc = woo_rate_of(w, id, &rate, idpath)) != KR_OK)
			return rc;
		if (dec_add(*rate_bp, rate, rate_bp) != KR_OK)
			return woo_overflow(w, idpath);
		(*count)++;
	}
	return rc;
}

static int
woo_line_tax(struct woo *w, const struct jnode *n, struct order_line *l,
    const char *ctx)
{
	char path[WOO_PATH];
	size_t count;
	int rc;

	rc = woo_item_rate(w, n, ctx, &l->rate_bp, &count);
	if (rc != KR_OK || count > 0)
		return rc;
	if (w->untaxed && l->tax_minor == 0)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, "taxes");
	return kerr_set(w->e, KR_BAD_INPUT, path,
	    "the line names no tax rate and the order does not say it is "
	    "untaxed, so its VAT rate is unknown");
}

static int
woo_line(struct woo *w, const struct jnode *n, const char *ctx)
{
	struct order_line *l = order_add_line(w->o);
	int64_t after, tax;
	int rc;

	if ((rc = mapping_id(n, "id", JF_OPTIONAL, &l->id, ctx, w->e)) !=
	    KR_OK ||
	    (rc = mapping_text(n, "sku", &l->sku, ctx, w->e)) != KR_OK ||
	    (rc = jf_str(n, "name", JF_REQUIRED, &l->name, ctx, w->e)) !=
	    KR_OK ||
	    (rc = mapping_qty(n, "quantity", &l->qty_e4, ctx, w->e)) !=
	    KR_OK ||
	    (rc = woo_basis(w, n, "subtotal", "subtotal_tax",
	    &l->amount_minor, &tax, ctx)) != KR_OK ||
	    (rc = woo_basis(w, n, "total", "total_tax", &after,
	    &l->tax_minor, ctx)) != KR_OK)
		return rc;
	l->has_tax = 1;
	if (dec_sub(l->amount_minor, after, &l->discount_minor) != KR_OK ||
	    mapping_unit_price(l->amount_minor, w->o->exponent, l->qty_e4,
	    &l->unit_price_e6) != KR_OK)
		return woo_overflow(w, ctx);
	if ((rc = woo_line_tax(w, n, l, ctx)) != KR_OK)
		return rc;
	return mapping_check_line(w->o, l, ctx, w->e);
}

static int
woo_ship(struct woo *w, const struct jnode *n, const char *ctx)
{
	struct order_shipping *s = order_add_shipping(w->o);
	char path[WOO_PATH];
	int64_t rate;
	size_t count;
	int rc;

	if ((rc = mapping_id(n, "id", JF_OPTIONAL, &s->id, ctx, w->e)) !=
	    KR_OK ||
	    (rc = mapping_text(n, "method_title", &s->name, ctx, w->e)) !=
	    KR_OK ||
	    (rc = woo_basis(w, n, "total", "total_tax", &s->amount_minor,
	    &s->tax_minor, ctx)) != KR_OK ||
	    (rc = woo_item_rate(w, n, ctx, &rate, &count)) != KR_OK)
		return rc;
	s->has_tax = 1;
	if (count > 0)
		s->rate_bp = rate;
	else if (s->tax_minor != 0) {
		jf_path(path, sizeof(path), ctx, "taxes");
		return kerr_set(w->e, KR_BAD_INPUT, path,
		    "the shipping line is taxed but names no tax rate");
	}
	return KR_OK;
}

/* Each element of the array member key through fn. */
static int
woo_each(struct woo *w, const char *key, int required,
    int (*fn)(struct woo *, const struct jnode *, const char *))
{
	const struct jnode *arr, *n;
	char ctx[WOO_PATH];
	size_t i = 0;
	int rc;

	rc = jf_array(w->root, key, required, &arr, w->ctx, w->e);
	for (n = jfirst(arr); rc == KR_OK && n != NULL; n = jnext(arr, n),
	    i++) {
		jf_path_index(ctx, sizeof(ctx), w->ctx, key, i);
		rc = fn(w, n, ctx);
	}
	return rc;
}

/* WooCommerce always spreads a coupon over the lines it applies to. */
static int
woo_coupon(struct woo *w, const struct jnode *n, const char *ctx)
{
	struct order_discount *d = order_add_discount(w->o);
	int64_t tax;
	int rc;

	rc = jf_text(n, "code", JF_REQUIRED, &d->code, ctx, w->e);
	if (rc == KR_OK)
		rc = woo_basis(w, n, "discount", "discount_tax",
		    &d->amount_minor, &tax, ctx);
	d->allocated = 1;
	return rc;
}

/*
 * WooCommerce does not say which coupon reduced which line; a line with
 * a discount names every code of the order.
 */
static void
woo_line_reasons(struct woo *w)
{
	struct order *o = w->o;
	size_t i, j;

	for (i = 0; i < o->nlines; i++) {
		if (o->lines[i].discount_minor == 0)
			continue;
		for (j = 0; j < o->ndiscounts; j++)
			mapping_add_reason(o, &o->lines[i].discount_reason,
			    o->discounts[j].code);
	}
}

static int
woo_refund_summary(struct woo *w, const struct jnode *n, const char *ctx)
{
	struct refund *r = order_add_refund(w->o);
	char path[WOO_PATH];
	int64_t total = 0;
	int rc;

	if ((rc = mapping_id(n, "id", JF_REQUIRED, &r->id, ctx, w->e)) !=
	    KR_OK ||
	    (rc = mapping_text(n, "reason", &r->reason, ctx, w->e)) !=
	    KR_OK ||
	    (rc = jf_dec(n, "total", w->o->exponent, JF_REQUIRED, &total,
	    ctx, w->e)) != KR_OK)
		return rc;
	if (total <= 0 && dec_sub(0, total, &r->amount_minor) == KR_OK)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, "total");
	return kerr_set(w->e, KR_BAD_INPUT, path,
	    "expected a refund total below zero, like \"-17.95\"");
}

static int
woo_fees(struct woo *w)
{
	const struct jnode *arr;
	char path[WOO_PATH];
	int rc;

	rc = jf_array(w->root, "fee_lines", JF_OPTIONAL, &arr, w->ctx, w->e);
	if (rc != KR_OK || jlen(arr) == 0)
		return rc;
	jf_path(path, sizeof(path), w->ctx, "fee_lines");
	return kerr_set(w->e, KR_BAD_INPUT, path,
	    "the order has %zu fee line(s); fees are not supported yet, so "
	    "the order is not imported", jlen(arr));
}

static int
woo_totals(struct woo *w)
{
	struct order *o = w->o;
	int rc;

	o->has_tax_total = jf_has(w->root, "total_tax");
	if ((rc = jf_dec(w->root, "total", o->exponent, JF_REQUIRED,
	    &o->total_minor, w->ctx, w->e)) != KR_OK ||
	    (rc = jf_dec_round(w->root, "total_tax", o->exponent,
	    JF_OPTIONAL, &o->tax_total_minor, w->ctx, w->e)) != KR_OK ||
	    (rc = mapping_text(w->root, "payment_method", &o->pay_gateway,
	    w->ctx, w->e)) != KR_OK ||
	    (rc = mapping_text(w->root, "payment_method_title",
	    &o->pay_method, w->ctx, w->e)) != KR_OK)
		return rc;
	return mapping_text(w->root, "transaction_id", &o->pay_transaction,
	    w->ctx, w->e);
}

int
woo_order_map(const struct jnode *obj, const char *ctx, struct order *o,
    struct kerr *e)
{
	struct woo w;
	char path[WOO_PATH];
	int rc;

	memset(&w, 0, sizeof(w));
	w.o = o;
	w.root = obj;
	w.ctx = ctx;
	w.e = e;
	if ((rc = woo_head(&w)) != KR_OK ||
	    (rc = woo_status(&w)) != KR_OK ||
	    (rc = woo_buyer(&w)) != KR_OK ||
	    (rc = woo_fees(&w)) != KR_OK ||
	    (rc = woo_each(&w, "line_items", JF_REQUIRED, woo_line)) !=
	    KR_OK ||
	    (rc = woo_each(&w, "shipping_lines", JF_OPTIONAL, woo_ship)) !=
	    KR_OK ||
	    (rc = woo_each(&w, "coupon_lines", JF_OPTIONAL, woo_coupon)) !=
	    KR_OK ||
	    (rc = woo_totals(&w)) != KR_OK ||
	    (rc = woo_each(&w, "refunds", JF_OPTIONAL,
	    woo_refund_summary)) != KR_OK)
		return rc;
	woo_line_reasons(&w);
	jf_path(path, sizeof(path), ctx, "total");
	return mapping_check_totals(o, path, e);
}

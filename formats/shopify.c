/*
 * Shopify Admin REST orders to canonical orders.
 *
 * Amounts are taken in the currency the buyer paid: when
 * presentment_currency differs from the shop's currency, every amount
 * comes from the presentment_money of its *_set twin, and from the
 * plain field only where a twin is missing.  A line's discount is what
 * Shopify allocated to it (discount_allocations), so every discount code
 * whose money sits wholly in allocations is marked allocated.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "dec.h"
#include "import.h"
#include "jfield.h"
#include "mapping.h"
#include "shopify_map.h"

int
shopify_money(struct shopify_map *s, const struct jnode *obj,
    const char *key, int scale, int required, int64_t *out,
    const char *ctx)
{
	char setkey[64], setpath[SHOPIFY_PATH], path[SHOPIFY_PATH];
	char cpath[SHOPIFY_PATH];
	const struct jnode *set, *pm;
	const char *cur = NULL;
	size_t n = strlen(key);
	int rc;

	/* Every amount of every line comes here: no snprintf for this. */
	if (n + sizeof("_set") > sizeof(setkey))
		KBUG("Shopify amount key '%s' too long", key);
	memcpy(setkey, key, n);
	memcpy(setkey + n, "_set", sizeof("_set"));
	set = jget(obj, setkey);
	if (!s->presentment || jis_null(set))
		return jf_dec(obj, key, scale, required, out, ctx, s->e);

	jf_path(setpath, sizeof(setpath), ctx, setkey);
	rc = jf_object(set, "presentment_money", JF_REQUIRED, &pm, setpath,
	    s->e);
	if (rc != KR_OK)
		return rc;
	jf_path(path, sizeof(path), setpath, "presentment_money");
	rc = jf_str(pm, "currency_code", JF_OPTIONAL, &cur, path, s->e);
	if (rc != KR_OK)
		return rc;
	if (cur != NULL && strcmp(cur, s->o->currency) != 0) {
		jf_path(cpath, sizeof(cpath), path, "currency_code");
		return kerr_set(s->e, KR_BAD_INPUT, cpath,
		    "expected the presentment currency \"%s\", got \"%.10s\"",
		    s->o->currency, cur);
	}
	return jf_dec(pm, "amount", scale, JF_REQUIRED, out, path, s->e);
}

int
shopify_amount(struct shopify_map *s, const struct jnode *obj, const char *key,
    int required, int64_t *out, const char *ctx)
{
	return shopify_money(s, obj, key, s->o->exponent, required, out, ctx);
}

/* *acc += v, or an error at path when it does not fit. */
int
shopify_add(struct shopify_map *s, int64_t *acc, int64_t v, const char *path)
{
	return mapping_add(acc, v, path, s->e);
}

static int
sp_currency(struct shopify_map *s)
{
	const char *shop_cur = NULL, *pres = NULL;
	char path[SHOPIFY_PATH];
	int rc;

	rc = jf_str(s->root, "currency", JF_REQUIRED, &shop_cur, s->ctx,
	    s->e);
	if (rc == KR_OK)
		rc = jf_str(s->root, "presentment_currency", JF_OPTIONAL,
		    &pres, s->ctx, s->e);
	if (rc != KR_OK)
		return rc;
	jf_path(path, sizeof(path), s->ctx, "currency");
	rc = order_set_currency(s->o, shop_cur, path, s->e);
	if (rc != KR_OK || pres == NULL || strcmp(pres, shop_cur) == 0)
		return rc;
	s->presentment = 1;
	jf_path(path, sizeof(path), s->ctx, "presentment_currency");
	return order_set_currency(s->o, pres, path, s->e);
}

static int
sp_head(struct shopify_map *s)
{
	struct order *o = s->o;
	int gross = 0, rc;

	if ((rc = mapping_id(s->root, "id", JF_REQUIRED, &o->order_id,
	    s->ctx, s->e)) != KR_OK ||
	    (rc = mapping_text(s->root, "name", &o->order_number, s->ctx,
	    s->e)) != KR_OK ||
	    (rc = mapping_time(o, s->root, "created_at", MAPPING_NEED_ZONE,
	    JF_REQUIRED, &o->created_at, s->ctx, s->e)) != KR_OK ||
	    (rc = mapping_time(o, s->root, "cancelled_at", MAPPING_NEED_ZONE,
	    JF_OPTIONAL, &o->cancelled_at, s->ctx, s->e)) != KR_OK ||
	    (rc = jf_bool(s->root, "taxes_included", JF_REQUIRED, &gross,
	    s->ctx, s->e)) != KR_OK ||
	    (rc = sp_currency(s)) != KR_OK)
		return rc;
	if (o->order_number == NULL)
		o->order_number = o->order_id;
	o->prices = gross ? PRICES_GROSS : PRICES_NET;
	return KR_OK;
}

/* 1 when financial_status says the buyer paid (refunds come later). */
static int
sp_paid(const char *fs)
{
	return fs != NULL && (strcmp(fs, "paid") == 0 ||
	    strcmp(fs, "partially_refunded") == 0 ||
	    strcmp(fs, "refunded") == 0);
}

/* Shopify's word on payment decides; a cancelled order is cancelled. */
static int
sp_status(struct shopify_map *s)
{
	struct order *o = s->o;
	const char *fs = NULL;
	int rc;

	rc = jf_str(s->root, "financial_status", JF_OPTIONAL, &fs, s->ctx,
	    s->e);
	if (rc != KR_OK)
		return rc;
	if (o->cancelled_at != NULL) {
		o->status = ORDER_CANCELLED;
		o->status_reason = mapping_reason(o, "cancelled_at",
		    o->cancelled_at);
	} else if (sp_paid(fs)) {
		o->status = ORDER_READY;
		o->status_reason = mapping_reason(o, "financial_status", fs);
	} else {
		o->status = ORDER_PENDING;
		o->status_reason = fs != NULL ?
		    mapping_reason(o, "financial_status", fs) :
		    "financial_status missing";
	}
	return KR_OK;
}

/* 1 for a transaction that moved money: status success or none given. */
int
shopify_tx_done(const struct jnode *t)
{
	const char *st = jstr(jget(t, "status"));

	return st == NULL || strcmp(st, "success") == 0;
}

/* The sale or capture transaction, when the payload has transactions. */
static int
sp_payment_tx(struct shopify_map *s)
{
	const struct jnode *arr, *t;
	char path[SHOPIFY_PATH];
	size_t i = 0;
	int rc;

	rc = jf_array(s->root, "transactions", JF_OPTIONAL, &arr, s->ctx,
	    s->e);
	for (t = jfirst(arr); rc == KR_OK && t != NULL; t = jnext(arr, t),
	    i++) {
		const char *kind = jstr(jget(t, "kind"));

		if (kind == NULL || !shopify_tx_done(t) ||
		    (strcmp(kind, "sale") != 0 &&
		    strcmp(kind, "capture") != 0))
			continue;
		jf_path_index(path, sizeof(path), s->ctx, "transactions", i);
		if ((rc = mapping_time(s->o, t, "created_at",
		    MAPPING_NEED_ZONE, JF_OPTIONAL, &s->o->paid_at, path,
		    s->e)) != KR_OK ||
		    (rc = mapping_text(t, "authorization",
		    &s->o->pay_transaction, path, s->e)) != KR_OK)
			return rc;
		if (s->o->pay_transaction == NULL)
			rc = mapping_text(t, "id", &s->o->pay_transaction,
			    path, s->e);
		break;
	}
	return rc;
}

/*
 * paid_at: the sale or capture transaction; else, for an order Shopify
 * calls paid, processed_at or (orders without either) created_at.
 */
static int
sp_paid_at(struct shopify_map *s)
{
	const char *fs = jstr(jget(s->root, "financial_status"));
	int rc;

	rc = sp_payment_tx(s);
	if (rc != KR_OK || s->o->paid_at != NULL)
		return rc;
	if (!sp_paid(fs))
		return KR_OK;
	rc = mapping_time(s->o, s->root, "processed_at", MAPPING_NEED_ZONE,
	    JF_OPTIONAL, &s->o->paid_at, s->ctx, s->e);
	if (rc == KR_OK && s->o->paid_at == NULL)
		s->o->paid_at = s->o->created_at;
	return rc;
}

/* shipped_at: the first fulfillment that did not fail. */
static int
sp_shipped_at(struct shopify_map *s)
{
	const struct jnode *arr, *f;
	char path[SHOPIFY_PATH];
	size_t i = 0;
	int rc;

	rc = jf_array(s->root, "fulfillments", JF_OPTIONAL, &arr, s->ctx,
	    s->e);
	for (f = jfirst(arr); rc == KR_OK && f != NULL; f = jnext(arr, f),
	    i++) {
		const char *st = jstr(jget(f, "status"));

		if (st != NULL && (strcmp(st, "failure") == 0 ||
		    strcmp(st, "cancelled") == 0 || strcmp(st, "error") == 0))
			continue;
		jf_path_index(path, sizeof(path), s->ctx, "fulfillments", i);
		return mapping_time(s->o, f, "created_at", MAPPING_NEED_ZONE,
		    JF_OPTIONAL, &s->o->shipped_at, path, s->e);
	}
	return rc;
}

static int
sp_address(struct shopify_map *s, const char *key, struct address *a)
{
	static const struct mapping_addr_keys keys = {
		"first_name", "last_name", "name", "company", "address1",
		"address2", "zip", "city", "province", "country_code"
	};
	const struct jnode *n;
	char ctx[SHOPIFY_PATH];
	int rc;

	rc = jf_object(s->root, key, JF_OPTIONAL, &n, s->ctx, s->e);
	if (rc != KR_OK || n == NULL)
		return rc;
	jf_path(ctx, sizeof(ctx), s->ctx, key);
	return mapping_address(s->o, n, &keys, a, ctx, s->e);
}

static int
name_in(const char *name, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strcasecmp(name, *list) == 0)
			return 1;
	return 0;
}

/* Apps put the buyer's VAT id or Leitweg-ID into note_attributes. */
static int
sp_note_attributes(struct shopify_map *s)
{
	static const char *const vat_names[] = {
		"vat_id", "vat_number", "vat", "ust_id", "ustid", NULL
	};
	static const char *const ref_names[] = {
		"buyer_reference", "leitweg_id", "leitweg-id", NULL
	};
	const struct jnode *arr, *a;
	char path[SHOPIFY_PATH];
	size_t i = 0;
	int rc;

	rc = jf_array(s->root, "note_attributes", JF_OPTIONAL, &arr, s->ctx,
	    s->e);
	for (a = jfirst(arr); rc == KR_OK && a != NULL; a = jnext(arr, a),
	    i++) {
		const char *name = jstr(jget(a, "name"));

		if (name == NULL)
			continue;
		jf_path_index(path, sizeof(path), s->ctx, "note_attributes",
		    i);
		if (name_in(name, vat_names))
			rc = mapping_text(a, "value", &s->o->buyer_vat_id,
			    path, s->e);
		else if (name_in(name, ref_names))
			rc = mapping_text(a, "value", &s->o->buyer_reference,
			    path, s->e);
	}
	return rc;
}

static int
sp_buyer(struct shopify_map *s)
{
	const struct jnode *cust = jget(s->root, "customer");
	char path[SHOPIFY_PATH];
	int rc;

	jf_path(path, sizeof(path), s->ctx, "customer");
	if ((rc = mapping_text(s->root, "email", &s->o->buyer_email, s->ctx,
	    s->e)) != KR_OK ||
	    (rc = mapping_text(cust, "id", &s->o->customer_id, path, s->e)) !=
	    KR_OK)
		return rc;
	if (s->o->buyer_email == NULL)
		rc = mapping_text(s->root, "contact_email", &s->o->buyer_email,
		    s->ctx, s->e);
	if (rc == KR_OK && s->o->buyer_email == NULL)
		rc = mapping_text(cust, "email", &s->o->buyer_email, path,
		    s->e);
	if (rc == KR_OK)
		rc = sp_note_attributes(s);
	if (rc == KR_OK)
		rc = sp_address(s, "billing_address", &s->o->billing);
	if (rc == KR_OK)
		rc = sp_address(s, "shipping_address", &s->o->shipping_addr);
	return rc;
}

/* The code (or title) of discount application i, for line reasons. */
static const char *
sp_app_name(const struct shopify_map *s, size_t i)
{
	const struct jnode *app = jat(s->apps, i);
	const char *name = jstr(jget(app, "code"));

	if (name == NULL)
		name = jstr(jget(app, "title"));
	if (name == NULL)
		name = jstr(jget(app, "description"));
	return name;
}

static int
sp_apps(struct shopify_map *s)
{
	int rc;

	rc = jf_array(s->root, "discount_applications", JF_OPTIONAL,
	    &s->apps, s->ctx, s->e);
	if (rc != KR_OK)
		return rc;
	s->napps = jlen(s->apps);
	if (s->napps > 0) {
		s->app_alloc = arena_alloc(s->o->arena,
		    s->napps * sizeof(*s->app_alloc));
		if (s->app_alloc == NULL)
			return kerr_set(s->e, KR_TOO_BIG, s->ctx,
			    "too many discount_applications");
		memset(s->app_alloc, 0, s->napps * sizeof(*s->app_alloc));
	}
	return KR_OK;
}

/* Books one allocation onto its discount application. */
static int
sp_book_alloc(struct shopify_map *s, const struct jnode *a, int64_t amount,
    const char **reason, const char *ctx)
{
	char path[SHOPIFY_PATH];
	int64_t idx = -1;
	int rc;

	rc = jf_dec(a, "discount_application_index", 0, JF_OPTIONAL, &idx,
	    ctx, s->e);
	if (rc != KR_OK)
		return rc;
	if (idx < 0)
		return shopify_add(s, &s->loose_minor, amount, ctx);
	if ((uint64_t)idx >= s->napps) {
		jf_path(path, sizeof(path), ctx, "discount_application_index");
		return kerr_set(s->e, KR_BAD_INPUT, path,
		    "there is no discount_applications[%lld]", (long long)idx);
	}
	mapping_add_reason(s->o, reason, sp_app_name(s, (size_t)idx));
	return shopify_add(s, &s->app_alloc[idx], amount, ctx);
}

/* Sums the discount_allocations of a line or shipping line. */
static int
sp_allocations(struct shopify_map *s, const struct jnode *n, const char *ctx,
    int64_t *sum, const char **reason)
{
	const struct jnode *arr, *a;
	char path[SHOPIFY_PATH];
	int64_t amount;
	size_t j = 0;
	int rc;

	*sum = 0;
	rc = jf_array(n, "discount_allocations", JF_OPTIONAL, &arr, ctx,
	    s->e);
	for (a = jfirst(arr); rc == KR_OK && a != NULL; a = jnext(arr, a),
	    j++) {
		jf_path_index(path, sizeof(path), ctx, "discount_allocations",
		    j);
		amount = 0;
		rc = shopify_amount(s, a, "amount", JF_REQUIRED, &amount,
		    path);
		if (rc == KR_OK)
			rc = sp_book_alloc(s, a, amount, reason, path);
		if (rc == KR_OK)
			rc = shopify_add(s, sum, amount, path);
	}
	return rc;
}

/* One tax line's rate, a fraction such as 0.19, in basis points. */
static int
sp_rate(struct shopify_map *s, const struct jnode *tl, int64_t *rate_bp,
    const char *ctx)
{
	char path[SHOPIFY_PATH], q[64];
	int rc;

	rc = jf_dec(tl, "rate", 4, JF_REQUIRED, rate_bp, ctx, s->e);
	if (rc != KR_OK || (*rate_bp >= 0 && *rate_bp <= 10000))
		return rc;
	jf_path(path, sizeof(path), ctx, "rate");
	return kerr_set(s->e, KR_BAD_INPUT, path,
	    "expected a rate as a fraction like 0.19, got %s",
	    jf_quote(jget(tl, "rate"), q, sizeof(q)));
}

/*
 * Sums the tax_lines of a line or shipping line: their rates (several
 * taxes on one line add up) and their money.  *count says how many.
 */
static int
sp_taxes(struct shopify_map *s, const struct jnode *n, const char *ctx,
    int64_t *rate_bp, int64_t *tax_minor, size_t *count)
{
	const struct jnode *arr, *tl;
	char path[SHOPIFY_PATH];
	int64_t rate, price;
	int rc;

	*rate_bp = *tax_minor = 0;
	*count = 0;
	rc = jf_array(n, "tax_lines", JF_OPTIONAL, &arr, ctx, s->e);
	for (tl = jfirst(arr); rc == KR_OK && tl != NULL;
	    tl = jnext(arr, tl)) {
		jf_path_index(path, sizeof(path), ctx, "tax_lines", *count);
		price = 0;
		if ((rc = sp_rate(s, tl, &rate, path)) != KR_OK ||
		    (rc = shopify_amount(s, tl, "price", JF_REQUIRED, &price,
		    path)) != KR_OK)
			return rc;
		if ((rc = shopify_add(s, rate_bp, rate, path)) != KR_OK ||
		    (rc = shopify_add(s, tax_minor, price, path)) != KR_OK)
			return rc;
		(*count)++;
	}
	return rc;
}

/*
 * The line's discount: its allocations.  An older payload may carry it
 * in total_discount instead; both non-zero and different is refused.
 */
static int
sp_line_discount(struct shopify_map *s, const struct jnode *n,
    struct order_line *l, const char *ctx)
{
	char path[SHOPIFY_PATH], b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int64_t alloc = 0, total = 0;
	int rc;

	if ((rc = sp_allocations(s, n, ctx, &alloc, &l->discount_reason)) !=
	    KR_OK ||
	    (rc = shopify_amount(s, n, "total_discount", JF_OPTIONAL, &total,
	    ctx)) != KR_OK)
		return rc;
	l->discount_minor = alloc;
	if (total == 0 || total == alloc)
		return KR_OK;
	if (alloc == 0) {
		l->discount_minor = total;
		return shopify_add(s, &s->loose_minor, total, ctx);
	}
	jf_path(path, sizeof(path), ctx, "total_discount");
	return kerr_set(s->e, KR_BAD_INPUT, path,
	    "the line's total_discount %s differs from its "
	    "discount_allocations, which add up to %s",
	    dec_format(total, s->o->exponent, b1),
	    dec_format(alloc, s->o->exponent, b2));
}

static int
sp_line_tax(struct shopify_map *s, const struct jnode *n, struct order_line *l,
    const char *ctx)
{
	char path[SHOPIFY_PATH];
	size_t count;
	int taxable = 1, rc;

	if ((rc = sp_taxes(s, n, ctx, &l->rate_bp, &l->tax_minor, &count)) !=
	    KR_OK ||
	    (rc = jf_bool(n, "taxable", JF_OPTIONAL, &taxable, ctx, s->e)) !=
	    KR_OK)
		return rc;
	l->has_tax = 1;
	if (count > 0 || !taxable)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, "tax_lines");
	return kerr_set(s->e, KR_BAD_INPUT, path,
	    "the line has no tax line and is not marked \"taxable\": false, "
	    "so its VAT rate is unknown");
}

static int
sp_line(struct shopify_map *s, const struct jnode *n, const char *ctx)
{
	struct order_line *l = order_add_line(s->o);
	struct order *o = s->o;
	char path[SHOPIFY_PATH];
	int shipped = 1, gift = 0, rc;

	if ((rc = mapping_id(n, "id", JF_OPTIONAL, &l->id, ctx, s->e)) !=
	    KR_OK ||
	    (rc = mapping_text(n, "sku", &l->sku, ctx, s->e)) != KR_OK ||
	    (rc = mapping_text(n, "name", &l->name, ctx, s->e)) != KR_OK)
		return rc;
	if (l->name == NULL &&
	    (rc = jf_str(n, "title", JF_REQUIRED, &l->name, ctx, s->e)) !=
	    KR_OK)
		return rc;
	if ((rc = mapping_qty(n, "quantity", &l->qty_e4, ctx, s->e)) !=
	    KR_OK ||
	    (rc = shopify_money(s, n, "price", PRICE_SCALE, JF_REQUIRED,
	    &l->unit_price_e6, ctx)) != KR_OK)
		return rc;
	if (mapping_line_amount(l->qty_e4, l->unit_price_e6, o->exponent,
	    &l->amount_minor) != KR_OK)
		return kerr_set(s->e, KR_OVERFLOW, ctx,
		    "quantity times price is too large");
	if ((rc = sp_line_discount(s, n, l, ctx)) != KR_OK ||
	    (rc = sp_line_tax(s, n, l, ctx)) != KR_OK ||
	    (rc = jf_bool(n, "requires_shipping", JF_OPTIONAL, &shipped,
	    ctx, s->e)) != KR_OK ||
	    (rc = jf_bool(n, "gift_card", JF_OPTIONAL, &gift, ctx, s->e)) !=
	    KR_OK)
		return rc;
	if (gift) {
		jf_path(path, sizeof(path), ctx, "gift_card");
		return kerr_set(s->e, KR_BAD_INPUT, path, "the line sells a "
		    "gift card, a voucher whose VAT falls due when it is "
		    "redeemed, not a supply kontor can invoice: book its sale "
		    "by hand");
	}
	l->service = !shipped;
	return mapping_check_line(o, l, ctx, s->e);
}

static int
sp_lines(struct shopify_map *s)
{
	const struct jnode *arr, *n;
	char ctx[SHOPIFY_PATH];
	size_t i = 0;
	int rc;

	rc = jf_array(s->root, "line_items", JF_REQUIRED, &arr, s->ctx, s->e);
	for (n = jfirst(arr); rc == KR_OK && n != NULL; n = jnext(arr, n),
	    i++) {
		jf_path_index(ctx, sizeof(ctx), s->ctx, "line_items", i);
		rc = sp_line(s, n, ctx);
	}
	return rc;
}

/* Shipping is charged at discounted_price; the difference is discount. */
static int
sp_ship_discount(struct shopify_map *s, const struct jnode *n,
    struct order_shipping *sl, const char *ctx)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	const char *reason = NULL;
	int64_t alloc, charged;
	int rc;

	charged = sl->amount_minor;
	if ((rc = sp_allocations(s, n, ctx, &alloc, &reason)) != KR_OK ||
	    (rc = shopify_amount(s, n, "discounted_price", JF_OPTIONAL,
	    &charged, ctx)) != KR_OK)
		return rc;
	if (!jf_has(n, "discounted_price") && !jf_has(n,
	    "discounted_price_set") &&
	    dec_sub(sl->amount_minor, alloc, &charged) != KR_OK)
		return kerr_set(s->e, KR_OVERFLOW, ctx, "amounts too large");
	if (dec_sub(sl->amount_minor, charged, &sl->discount_minor) != KR_OK)
		return kerr_set(s->e, KR_OVERFLOW, ctx, "amounts too large");
	if (alloc == 0 || alloc == sl->discount_minor)
		return KR_OK;
	return kerr_set(s->e, KR_BAD_INPUT, ctx,
	    "price less discounted_price is %s, but discount_allocations "
	    "add up to %s", dec_format(sl->discount_minor, s->o->exponent,
	    b1), dec_format(alloc, s->o->exponent, b2));
}

static int
sp_ship(struct shopify_map *s, const struct jnode *n, const char *ctx)
{
	struct order_shipping *sl = order_add_shipping(s->o);
	int64_t rate, tax;
	size_t count;
	int rc;

	if ((rc = mapping_id(n, "id", JF_OPTIONAL, &sl->id, ctx, s->e)) !=
	    KR_OK ||
	    (rc = mapping_text(n, "title", &sl->name, ctx, s->e)) != KR_OK)
		return rc;
	if (sl->name == NULL &&
	    (rc = mapping_text(n, "code", &sl->name, ctx, s->e)) != KR_OK)
		return rc;
	if ((rc = shopify_amount(s, n, "price", JF_REQUIRED, &sl->amount_minor,
	    ctx)) != KR_OK ||
	    (rc = sp_ship_discount(s, n, sl, ctx)) != KR_OK ||
	    (rc = sp_taxes(s, n, ctx, &rate, &tax, &count)) != KR_OK)
		return rc;
	if (count > 0) {
		sl->rate_bp = rate;
		sl->tax_minor = tax;
		sl->has_tax = 1;
	}
	return KR_OK;
}

static int
sp_shipping(struct shopify_map *s)
{
	const struct jnode *arr, *n;
	char ctx[SHOPIFY_PATH];
	size_t i = 0;
	int rc;

	rc = jf_array(s->root, "shipping_lines", JF_OPTIONAL, &arr, s->ctx,
	    s->e);
	for (n = jfirst(arr); rc == KR_OK && n != NULL; n = jnext(arr, n),
	    i++) {
		jf_path_index(ctx, sizeof(ctx), s->ctx, "shipping_lines", i);
		rc = sp_ship(s, n, ctx);
	}
	return rc;
}

/* Money allocated to the applications that carry this code. */
static int
sp_code_alloc(struct shopify_map *s, const char *code, int64_t *sum,
    const char *ctx)
{
	size_t i;
	int rc = KR_OK;

	*sum = 0;
	for (i = 0; i < s->napps && rc == KR_OK; i++) {
		const char *c = jstr(jget(jat(s->apps, i), "code"));

		if (c != NULL && strcmp(c, code) == 0)
			rc = shopify_add(s, sum, s->app_alloc[i], ctx);
	}
	return rc;
}

/*
 * A code is allocated when its whole amount sits in allocations; one
 * with nothing allocated is left for kontor-tax to split; anything in
 * between is refused.
 */
static int
sp_code(struct shopify_map *s, const struct jnode *n, int64_t codes_minor,
    const char *ctx)
{
	struct order_discount *d = order_add_discount(s->o);
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int64_t alloc;
	int rc;

	if ((rc = jf_text(n, "code", JF_REQUIRED, &d->code, ctx, s->e)) !=
	    KR_OK ||
	    (rc = shopify_amount(s, n, "amount", JF_REQUIRED, &d->amount_minor,
	    ctx)) != KR_OK ||
	    (rc = sp_code_alloc(s, d->code, &alloc, ctx)) != KR_OK)
		return rc;
	/* In presentment money the plain amount is the shop's money. */
	if (alloc > 0 && s->presentment)
		d->amount_minor = alloc;
	d->allocated = alloc == d->amount_minor || (alloc == 0 &&
	    s->loose_minor == codes_minor);
	if (d->allocated || alloc == 0)
		return KR_OK;
	return kerr_set(s->e, KR_BAD_INPUT, ctx,
	    "discount code %s is %s, but the lines and shipping carry %s of "
	    "it", d->code, dec_format(d->amount_minor, s->o->exponent, b1),
	    dec_format(alloc, s->o->exponent, b2));
}

static int
sp_codes_sum(struct shopify_map *s, const struct jnode *arr, int64_t *sum)
{
	const struct jnode *n;
	char ctx[SHOPIFY_PATH];
	int64_t amount;
	size_t i = 0;
	int rc = KR_OK;

	*sum = 0;
	for (n = jfirst(arr); rc == KR_OK && n != NULL; n = jnext(arr, n),
	    i++) {
		jf_path_index(ctx, sizeof(ctx), s->ctx, "discount_codes", i);
		amount = 0;
		rc = shopify_amount(s, n, "amount", JF_REQUIRED, &amount, ctx);
		if (rc == KR_OK)
			rc = shopify_add(s, sum, amount, ctx);
	}
	return rc;
}

/* Allocated discounts that no code names: automatic or manual ones. */
static void
sp_other_discounts(struct shopify_map *s, const struct jnode *codes)
{
	const struct jnode *c;
	size_t i;

	for (i = 0; i < s->napps; i++) {
		const char *code = jstr(jget(jat(s->apps, i), "code"));
		struct order_discount *d;
		int named = 0;

		for (c = jfirst(codes); code != NULL && c != NULL;
		    c = jnext(codes, c)) {
			const char *cc = jtext(jget(c, "code"));

			if (cc != NULL && strcmp(cc, code) == 0)
				named = 1;
		}
		if (named || s->app_alloc[i] == 0)
			continue;
		d = order_add_discount(s->o);
		d->code = sp_app_name(s, i);
		d->amount_minor = s->app_alloc[i];
		d->allocated = 1;
	}
}

static int
sp_discounts(struct shopify_map *s)
{
	const struct jnode *arr, *n;
	char ctx[SHOPIFY_PATH];
	int64_t codes_minor;
	size_t i = 0;
	int rc;

	rc = jf_array(s->root, "discount_codes", JF_OPTIONAL, &arr, s->ctx,
	    s->e);
	if (rc == KR_OK)
		rc = sp_codes_sum(s, arr, &codes_minor);
	for (n = jfirst(arr); rc == KR_OK && n != NULL; n = jnext(arr, n),
	    i++) {
		jf_path_index(ctx, sizeof(ctx), s->ctx, "discount_codes", i);
		rc = sp_code(s, n, codes_minor, ctx);
	}
	if (rc == KR_OK)
		sp_other_discounts(s, arr);
	return rc;
}

static int
sp_totals(struct shopify_map *s)
{
	struct order *o = s->o;
	const struct jnode *pd = jget(s->root, "payment_details");
	const struct jnode *names = jget(s->root, "payment_gateway_names");
	char path[SHOPIFY_PATH];
	int rc;

	o->has_tax_total = jf_has(s->root, "total_tax");
	jf_path(path, sizeof(path), s->ctx, "payment_details");
	if ((rc = shopify_amount(s, s->root, "total_price", JF_REQUIRED,
	    &o->total_minor, s->ctx)) != KR_OK ||
	    (rc = shopify_amount(s, s->root, "total_tax", JF_OPTIONAL,
	    &o->tax_total_minor, s->ctx)) != KR_OK ||
	    (rc = mapping_text(s->root, "gateway", &o->pay_gateway, s->ctx,
	    s->e)) != KR_OK ||
	    (rc = mapping_text(pd, "credit_card_company", &o->pay_method,
	    path, s->e)) != KR_OK)
		return rc;
	if (o->pay_gateway == NULL && jstr(jat(names, 0)) != NULL &&
	    jstr(jat(names, 0))[0] != '\0')
		o->pay_gateway = jstr(jat(names, 0));
	return KR_OK;
}

int
shopify_order_map(const struct jnode *obj, const char *ctx,
    struct order *o, struct kerr *e)
{
	struct shopify_map s;
	char path[SHOPIFY_PATH];
	int rc;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.root = obj;
	s.ctx = ctx;
	s.e = e;
	if ((rc = sp_head(&s)) != KR_OK ||
	    (rc = sp_status(&s)) != KR_OK ||
	    (rc = sp_paid_at(&s)) != KR_OK ||
	    (rc = sp_shipped_at(&s)) != KR_OK ||
	    (rc = sp_buyer(&s)) != KR_OK ||
	    (rc = sp_apps(&s)) != KR_OK ||
	    (rc = sp_lines(&s)) != KR_OK ||
	    (rc = sp_shipping(&s)) != KR_OK ||
	    (rc = sp_discounts(&s)) != KR_OK ||
	    (rc = sp_totals(&s)) != KR_OK ||
	    (rc = shopify_refunds(&s)) != KR_OK)
		return rc;
	jf_path(path, sizeof(path), ctx, "total_price");
	return mapping_check_totals(o, path, e);
}

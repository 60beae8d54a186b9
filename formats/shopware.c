/*
 * Shopware 6 orders (the order entity as the Admin API and the Store
 * API return it) to canonical orders.
 *
 * Shopware computes in floating point and sends JSON numbers: each
 * amount is re-quantised to the cent from its written digits, rounding
 * half away from zero (jf_dec_round), never through a double.  taxStatus
 * says the price basis: gross, net, or tax-free (net, no VAT).  A line's
 * rate is its tax rule.  A promotion (or a credit) is a negative line
 * item that Shopware itself split over the rates of the cart in its
 * price.calculatedTaxes: each part becomes a discount allocated to that
 * rate (order_discount.rate_bp), as Shopware made it.  Shipping with
 * mixed rates comes in parts the same way, one shipping line each; the
 * invoice splits shipping by its own weights (tax.md §3), so the parts
 * only carry Shopware's stated tax.  Where rounded parts miss their
 * total by a cent, the largest part takes the difference.
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "import.h"
#include "jfield.h"
#include "mapping.h"

#define SW_PATH		KERR_FIELD_MAX
#define SW_UUID_LEN	32
#define SW_PARTS_MAX	16	/* tax rates in one calculated price */

/*
 * Shopware's system default currency (Defaults::CURRENCY), which its
 * installer sets up as the euro.  An order in it may come without its
 * currency association; an order in any other currency must bring it.
 */
#define SW_DEFAULT_CURRENCY	"b7d2554b0ce847cd82f3ac9bd1c0dfca"

struct sw {
	struct order *o;
	const struct jnode *root;
	const char *ctx;
	int tax_free;
	struct kerr *e;
};

/* A Shopware float as an amount, rounded to the cent. */
static int
sw_amount(struct sw *w, const struct jnode *obj, const char *key,
    int required, int64_t *out, const char *ctx)
{
	return jf_dec_round(obj, key, w->o->exponent, required, out, ctx,
	    w->e);
}

/* A rate such as 19 or 7.0 in basis points, between 0 and 100. */
static int
sw_rate(struct sw *w, const struct jnode *obj, int64_t *rate_bp,
    const char *ctx)
{
	char path[SW_PATH], q[64];
	int rc;

	rc = jf_dec_round(obj, "taxRate", RATE_SCALE, JF_REQUIRED, rate_bp,
	    ctx, w->e);
	if (rc != KR_OK || (*rate_bp >= 0 && *rate_bp <= 10000))
		return rc;
	jf_path(path, sizeof(path), ctx, "taxRate");
	return kerr_set(w->e, KR_BAD_INPUT, path, "expected a rate between 0 "
	    "and 100, got %s", jf_quote(jget(obj, "taxRate"), q, sizeof(q)));
}

static int
sw_currency(struct sw *w)
{
	const struct jnode *cur = jget(w->root, "currency");
	const char *iso = NULL, *id = NULL;
	char path[SW_PATH], sub[SW_PATH];
	int64_t factor = 0;
	int rc;

	jf_path(path, sizeof(path), w->ctx, "currency");
	if (!jis_null(cur)) {
		rc = jf_str(cur, "isoCode", JF_REQUIRED, &iso, path, w->e);
		jf_path(sub, sizeof(sub), path, "isoCode");
		return rc != KR_OK ? rc : order_set_currency(w->o, iso, sub,
		    w->e);
	}
	if ((rc = jf_str(w->root, "currencyId", JF_REQUIRED, &id, w->ctx,
	    w->e)) != KR_OK ||
	    (rc = jf_dec_round(w->root, "currencyFactor", 6, JF_OPTIONAL,
	    &factor, w->ctx, w->e)) != KR_OK)
		return rc;
	jf_path(path, sizeof(path), w->ctx, "currencyId");
	if (strcmp(id, SW_DEFAULT_CURRENCY) != 0 || (factor != 0 &&
	    factor != 1000000))
		return kerr_set(w->e, KR_BAD_INPUT, path,
		    "the order names its currency only by id %.40s; load the "
		    "order's currency association so that it says its ISO "
		    "code", id);
	return order_set_currency(w->o, "EUR", path, w->e);
}

static int
sw_head(struct sw *w)
{
	struct order *o = w->o;
	const char *st = NULL;
	char path[SW_PATH];
	int rc;

	if ((rc = mapping_key(w->root, "id", MAPPING_KEY_HEX, SW_UUID_LEN,
	    SW_UUID_LEN, JF_REQUIRED, &o->order_id, w->ctx, w->e)) != KR_OK ||
	    (rc = jf_text(w->root, "orderNumber", JF_REQUIRED,
	    &o->order_number, w->ctx, w->e)) != KR_OK ||
	    (rc = mapping_time(o, w->root, "orderDateTime", MAPPING_NEED_ZONE,
	    JF_OPTIONAL, &o->created_at, w->ctx, w->e)) != KR_OK ||
	    (o->created_at == NULL && (rc = mapping_time(o, w->root,
	    "createdAt", MAPPING_NEED_ZONE, JF_REQUIRED, &o->created_at,
	    w->ctx, w->e)) != KR_OK) ||
	    (rc = sw_currency(w)) != KR_OK ||
	    (rc = jf_str(w->root, "taxStatus", JF_OPTIONAL, &st, w->ctx,
	    w->e)) != KR_OK)
		return rc;
	jf_path(path, sizeof(path), w->ctx, "price");
	if (st == NULL && (rc = jf_str(jget(w->root, "price"), "taxStatus",
	    JF_REQUIRED, &st, path, w->e)) != KR_OK)
		return rc;
	w->tax_free = strcmp(st, "tax-free") == 0;
	if (strcmp(st, "gross") == 0)
		o->prices = PRICES_GROSS;
	else if (strcmp(st, "net") == 0 || w->tax_free)
		o->prices = PRICES_NET;
	else {
		jf_path(path, sizeof(path), w->ctx, "taxStatus");
		return kerr_set(w->e, KR_BAD_INPUT, path, "expected "
		    "\"gross\", \"net\" or \"tax-free\", got \"%.20s\"",
		    st);
	}
	return KR_OK;
}

/* The transaction that counts: the one created last. */
static const struct jnode *
sw_transaction(const struct sw *w, size_t *index)
{
	const struct jnode *arr = jget(w->root, "transactions"), *t, *best;
	const char *when, *best_when = "";
	size_t i = 0;

	best = NULL;
	for (t = jfirst(arr); t != NULL; t = jnext(arr, t), i++) {
		when = jstr(jget(t, "createdAt"));
		if (best == NULL || (when != NULL &&
		    strcmp(when, best_when) >= 0)) {
			best = t;
			best_when = when != NULL ? when : "";
			*index = i;
		}
	}
	return best;
}

/* The PSP's reference, where a payment plugin keeps it. */
static int
sw_psp_id(struct sw *w, const struct jnode *t, const char *ctx)
{
	static const char *const keys[] = {
		"swag_paypal_order_id", "swag_paypal_resource_id",
		"stripe_payment_intent_id", "payone_transaction_id", NULL
	};
	const struct jnode *cf = jget(t, "customFields");
	char path[SW_PATH];
	size_t i;
	int rc = KR_OK;

	jf_path(path, sizeof(path), ctx, "customFields");
	for (i = 0; keys[i] != NULL && w->o->pay_transaction == NULL &&
	    rc == KR_OK; i++)
		rc = mapping_text(cf, keys[i], &w->o->pay_transaction, path,
		    w->e);
	return rc;
}

static int
sw_payment(struct sw *w, const struct jnode *t, const char *ctx)
{
	const struct jnode *pm = jget(t, "paymentMethod");
	char path[SW_PATH];
	int rc;

	jf_path(path, sizeof(path), ctx, "paymentMethod");
	if ((rc = mapping_text(pm, "technicalName", &w->o->pay_gateway, path,
	    w->e)) != KR_OK ||
	    (w->o->pay_gateway == NULL && (rc = mapping_text(pm,
	    "shortName", &w->o->pay_gateway, path, w->e)) != KR_OK) ||
	    (w->o->pay_gateway == NULL && (rc = mapping_text(t,
	    "paymentMethodId", &w->o->pay_gateway, ctx, w->e)) != KR_OK) ||
	    (rc = mapping_text(pm, "name", &w->o->pay_method, path, w->e)) !=
	    KR_OK)
		return rc;
	return sw_psp_id(w, t, ctx);
}

/*
 * A cancelled order is cancelled.  Otherwise the latest transaction
 * decides: paid, or refunded after paying (an invoice and a credit
 * note), is ready; every other state waits.
 */
static int
sw_status(struct sw *w)
{
	struct order *o = w->o;
	const char *os, *ts;
	const struct jnode *t;
	char path[SW_PATH];
	size_t i = 0;

	os = jstr(jget(jget(w->root, "stateMachineState"), "technicalName"));
	if (os != NULL && strcmp(os, "cancelled") == 0) {
		o->status = ORDER_CANCELLED;
		o->status_reason = mapping_reason(o, "order state", os);
		o->cancelled_at = o->created_at;
		return mapping_time(o, w->root, "updatedAt", MAPPING_NEED_ZONE,
		    JF_OPTIONAL, &o->cancelled_at, w->ctx, w->e);
	}
	o->status = ORDER_PENDING;
	t = sw_transaction(w, &i);
	if (t == NULL) {
		o->status_reason = "no payment transaction";
		return KR_OK;
	}
	jf_path_index(path, sizeof(path), w->ctx, "transactions", i);
	ts = jstr(jget(jget(t, "stateMachineState"), "technicalName"));
	if (ts == NULL) {
		o->status_reason = "transaction state unknown";
		return sw_payment(w, t, path);
	}
	o->status_reason = mapping_reason(o, "transaction state", ts);
	if (strcmp(ts, "paid") == 0 || strcmp(ts, "refunded") == 0 ||
	    strcmp(ts, "refunded_partially") == 0)
		o->status = ORDER_READY;
	return sw_payment(w, t, path);
}

/* An order address: names, street, and the country its iso resolves. */
static int
sw_address(struct sw *w, const struct jnode *a, struct address *out,
    const char *ctx)
{
	static const struct mapping_addr_keys keys = {
		"firstName", "lastName", NULL, "company", "street",
		"additionalAddressLine1", "zipcode", "city", NULL, NULL
	};
	const struct jnode *c = jget(a, "country");
	char path[SW_PATH];
	int rc;

	if (a == NULL)
		return KR_OK;
	if ((rc = mapping_address(w->o, a, &keys, out, ctx, w->e)) != KR_OK)
		return rc;
	jf_path(path, sizeof(path), ctx, "country");
	if (jis_null(c) && !jis_null(jget(a, "countryId")))
		return kerr_set(w->e, KR_BAD_INPUT, path, "the address names "
		    "its country only by countryId; load the address's "
		    "country association so that it says its ISO code");
	out->region = jstr(jget(jget(a, "countryState"), "name"));
	return mapping_country(c, "iso", out->country, path, w->e);
}

static int
sw_buyer(struct sw *w)
{
	struct order *o = w->o;
	const struct jnode *oc = jget(w->root, "orderCustomer");
	const struct jnode *d = jat(jget(w->root, "deliveries"), 0);
	const struct jnode *ba = jget(w->root, "billingAddress");
	char path[SW_PATH];
	int rc;

	jf_path(path, sizeof(path), w->ctx, "orderCustomer");
	if ((rc = mapping_text(oc, "email", &o->buyer_email, path, w->e)) !=
	    KR_OK ||
	    (rc = mapping_text(oc, "customerNumber", &o->customer_id, path,
	    w->e)) != KR_OK)
		return rc;
	if (jstr(jat(jget(oc, "vatIds"), 0)) != NULL &&
	    jstr(jat(jget(oc, "vatIds"), 0))[0] != '\0')
		o->buyer_vat_id = jstr(jat(jget(oc, "vatIds"), 0));
	jf_path(path, sizeof(path), w->ctx, "billingAddress");
	if ((rc = sw_address(w, ba, &o->billing, path)) != KR_OK)
		return rc;
	if (o->buyer_vat_id == NULL && (rc = mapping_text(ba, "vatId",
	    &o->buyer_vat_id, path, w->e)) != KR_OK)
		return rc;
	if (o->billing.company == NULL)
		o->billing.company = jstr(jget(oc, "company"));
	jf_path(path, sizeof(path), w->ctx,
	    "deliveries[0].shippingOrderAddress");
	return sw_address(w, jget(d, "shippingOrderAddress"),
	    &o->shipping_addr, path);
}

/* One part of a calculated price: its rate, amount and tax. */
struct sw_part {
	int64_t rate_bp, price, tax;
};

/*
 * The per-rate parts of a calculated price (price.calculatedTaxes), each
 * rounded to the cent and, when total is given, settled to add up to it.
 */
static int
sw_parts(struct sw *w, const struct jnode *price, const int64_t *total,
    struct sw_part *part, size_t *n, const char *ctx)
{
	int64_t amounts[SW_PARTS_MAX];
	const struct jnode *arr, *t;
	char path[SW_PATH], tpath[SW_PATH];
	size_t i = 0;
	int rc;

	jf_path(tpath, sizeof(tpath), ctx, "calculatedTaxes");
	rc = jf_array(price, "calculatedTaxes", JF_OPTIONAL, &arr, ctx, w->e);
	for (t = jfirst(arr); rc == KR_OK && t != NULL; t = jnext(arr, t),
	    i++) {
		if (i == SW_PARTS_MAX)
			return kerr_set(w->e, KR_BAD_INPUT, tpath,
			    "more than %d tax rates in one price",
			    SW_PARTS_MAX);
		jf_path_index(path, sizeof(path), ctx, "calculatedTaxes", i);
		memset(&part[i], 0, sizeof(part[i]));
		if ((rc = sw_rate(w, t, &part[i].rate_bp, path)) != KR_OK ||
		    (rc = sw_amount(w, t, "price", JF_REQUIRED,
		    &part[i].price, path)) != KR_OK)
			return rc;
		rc = sw_amount(w, t, "tax", JF_REQUIRED, &part[i].tax, path);
		amounts[i] = part[i].price;
	}
	*n = i;
	if (rc != KR_OK || i == 0 || total == NULL)
		return rc;
	rc = mapping_settle_parts(*total, amounts, i, w->o->exponent, tpath,
	    w->e);
	for (i = 0; i < *n; i++)
		part[i].price = amounts[i];
	return rc;
}

/*
 * A product line's rate: its one tax rule (price.taxRules, else
 * priceDefinition.taxRules), or none in a tax-free order.
 */
static int
sw_line_rate(struct sw *w, const struct jnode *li, struct order_line *l,
    const char *ctx)
{
	const char *holder = "price";
	const struct jnode *rules = jget(jget(li, holder), "taxRules");
	char base[SW_PATH], path[SW_PATH];

	if (jis_null(rules)) {
		holder = "priceDefinition";
		rules = jget(jget(li, holder), "taxRules");
	}
	jf_path(base, sizeof(base), ctx, holder);
	if (w->tax_free) {
		l->rate_bp = 0;
		return KR_OK;
	}
	if (jlen(rules) != 1) {
		jf_path(path, sizeof(path), base, "taxRules");
		return kerr_set(w->e, KR_BAD_INPUT, path, "a product line "
		    "needs exactly one tax rule, it has %zu, so its VAT rate "
		    "is unknown", jlen(rules));
	}
	jf_path_index(path, sizeof(path), base, "taxRules", 0);
	return sw_rate(w, jat(rules, 0), &l->rate_bp, path);
}

/* The tax Shopware stated for a line: its calculated taxes, added. */
static int
sw_line_tax(struct sw *w, const struct jnode *li, struct order_line *l,
    const char *ctx)
{
	struct sw_part part[SW_PARTS_MAX];
	const struct jnode *price = jget(li, "price");
	char path[SW_PATH];
	size_t n, i;
	int rc;

	if (price == NULL)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, "price");
	rc = sw_parts(w, price, &l->amount_minor, part, &n, path);
	for (i = 0; rc == KR_OK && i < n; i++) {
		rc = mapping_add(&l->tax_minor, part[i].tax, path, w->e);
		l->has_tax = 1;
	}
	return rc;
}

static int
sw_product(struct sw *w, const struct jnode *li, const char *ctx)
{
	struct order *o = w->o;
	struct order_line *l = order_add_line(o);
	const struct jnode *price = jget(li, "price");
	char path[SW_PATH];
	int rc;

	jf_path(path, sizeof(path), ctx, "payload");
	if ((rc = mapping_key(li, "id", MAPPING_KEY_HEX, SW_UUID_LEN,
	    SW_UUID_LEN, JF_REQUIRED, &l->id, ctx, w->e)) != KR_OK ||
	    (rc = mapping_text(jget(li, "payload"), "productNumber", &l->sku,
	    path, w->e)) != KR_OK ||
	    (rc = jf_str(li, "label", JF_REQUIRED, &l->name, ctx, w->e)) !=
	    KR_OK ||
	    (rc = mapping_qty(li, "quantity", &l->qty_e4, ctx, w->e)) !=
	    KR_OK)
		return rc;
	if (price == NULL)
		price = li;
	else
		jf_path(path, sizeof(path), ctx, "price");
	if ((rc = jf_dec_round(price, "unitPrice", PRICE_SCALE, JF_REQUIRED,
	    &l->unit_price_e6, price == li ? ctx : path, w->e)) != KR_OK ||
	    (rc = sw_amount(w, price, "totalPrice", JF_REQUIRED,
	    &l->amount_minor, price == li ? ctx : path)) != KR_OK ||
	    (rc = sw_line_rate(w, li, l, ctx)) != KR_OK ||
	    (rc = sw_line_tax(w, li, l, ctx)) != KR_OK)
		return rc;
	return mapping_check_line(o, l, ctx, w->e);
}

/*
 * A promotion or a credit: one discount per rate Shopware put it on,
 * as it put it there.  In a tax-free order, or one whose promotion names
 * no rates, one discount for kontor-tax to split.
 */
static int
sw_reduction(struct sw *w, const struct jnode *li, const char *ctx)
{
	struct sw_part part[SW_PARTS_MAX];
	struct order_discount *d;
	const char *code = NULL;
	char path[SW_PATH];
	int64_t total = 0;
	size_t n, i;
	int rc;

	jf_path(path, sizeof(path), ctx, "payload");
	if ((rc = mapping_text(jget(li, "payload"), "code", &code, path,
	    w->e)) != KR_OK ||
	    (code == NULL && (rc = jf_str(li, "label", JF_REQUIRED, &code,
	    ctx, w->e)) != KR_OK) ||
	    (rc = sw_amount(w, li, "totalPrice", JF_REQUIRED, &total, ctx)) !=
	    KR_OK)
		return rc;
	jf_path(path, sizeof(path), ctx, "totalPrice");
	if (total > 0)
		return kerr_set(w->e, KR_BAD_INPUT, path, "expected a "
		    "promotion or credit below 0, got a surcharge");
	jf_path(path, sizeof(path), ctx, "price");
	n = 0;
	if (!w->tax_free && (rc = sw_parts(w, jget(li, "price"), &total, part,
	    &n, path)) != KR_OK)
		return rc;
	for (i = 0; i < n; i++) {
		d = order_add_discount(w->o);
		d->code = code;
		d->amount_minor = -part[i].price;
		d->rate_bp = part[i].rate_bp;
		d->tax_minor = -part[i].tax;
		d->has_tax = 1;
	}
	if (n == 0 && total != 0) {
		d = order_add_discount(w->o);
		d->code = code;
		d->amount_minor = -total;
	}
	return KR_OK;
}

static int
sw_line(void *arg, const struct jnode *li, size_t i, const char *ctx)
{
	struct sw *w = arg;
	const char *type = NULL;
	char path[SW_PATH];
	int rc;

	(void)i;
	rc = jf_str(li, "type", JF_REQUIRED, &type, ctx, w->e);
	if (rc != KR_OK)
		return rc;
	jf_path(path, sizeof(path), ctx, "parentId");
	if (!jis_null(jget(li, "parentId")))
		return kerr_set(w->e, KR_BAD_INPUT, path, "nested line items "
		    "(containers) are not supported");
	if (strcmp(type, "product") == 0 || strcmp(type, "custom") == 0)
		return sw_product(w, li, ctx);
	if (strcmp(type, "promotion") == 0 || strcmp(type, "credit") == 0)
		return sw_reduction(w, li, ctx);
	jf_path(path, sizeof(path), ctx, "type");
	return kerr_set(w->e, KR_BAD_INPUT, path, "line items of type "
	    "\"%.30s\" are not supported", type);
}

/* shippingCosts: one shipping line per rate Shopware taxed it at. */
static int
sw_shipping(struct sw *w)
{
	const struct jnode *sc = jget(w->root, "shippingCosts");
	const char *name = jstr(jget(jget(jat(jget(w->root, "deliveries"), 0),
	    "shippingMethod"), "name"));
	struct sw_part part[SW_PARTS_MAX];
	struct order_shipping *s;
	char path[SW_PATH];
	int64_t total = 0;
	size_t n = 0, i;
	int rc;

	jf_path(path, sizeof(path), w->ctx, "shippingCosts");
	if ((rc = sw_amount(w, sc, "totalPrice", JF_REQUIRED, &total,
	    path)) != KR_OK || total == 0)
		return rc;
	if (!w->tax_free && (rc = sw_parts(w, sc, &total, part, &n, path)) !=
	    KR_OK)
		return rc;
	for (i = 0; i < n; i++) {
		s = order_add_shipping(w->o);
		s->name = name;
		s->amount_minor = part[i].price;
		s->rate_bp = part[i].rate_bp;
		s->tax_minor = part[i].tax;
		s->has_tax = 1;
	}
	if (n > 0)
		return KR_OK;
	s = order_add_shipping(w->o);
	s->name = name;
	s->amount_minor = total;
	if (w->tax_free)
		s->rate_bp = 0;
	return KR_OK;
}

static int
sw_totals(struct sw *w)
{
	struct sw_part part[SW_PARTS_MAX];
	struct order *o = w->o;
	char path[SW_PATH];
	size_t n = 0, i;
	int rc;

	jf_path(path, sizeof(path), w->ctx, "price");
	if ((rc = sw_amount(w, w->root, "amountTotal", JF_REQUIRED,
	    &o->total_minor, w->ctx)) != KR_OK)
		return rc;
	if (!w->tax_free && (rc = sw_parts(w, jget(w->root, "price"), NULL,
	    part, &n, path)) != KR_OK)
		return rc;
	o->has_tax_total = 1;
	for (i = 0; i < n; i++)
		o->tax_total_minor += part[i].tax;
	jf_path(path, sizeof(path), w->ctx, "amountTotal");
	return mapping_check_totals(o, path, w->e);
}

int
shopware_order_map(const struct jnode *obj, const char *ctx,
    struct order *o, struct kerr *e)
{
	struct sw w;
	int rc;

	memset(&w, 0, sizeof(w));
	w.o = o;
	w.root = obj;
	w.ctx = ctx;
	w.e = e;
	if ((rc = sw_head(&w)) != KR_OK ||
	    (rc = sw_status(&w)) != KR_OK ||
	    (rc = sw_buyer(&w)) != KR_OK ||
	    (rc = mapping_each(obj, "lineItems", JF_REQUIRED, ctx, sw_line,
	    &w, e)) != KR_OK ||
	    (rc = sw_shipping(&w)) != KR_OK)
		return rc;
	return sw_totals(&w);
}

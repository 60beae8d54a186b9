/*
 * eBay Sell Fulfillment API orders (getOrder) to canonical orders.
 *
 * Every amount is an object {"value": "29.90", "currency": "EUR"}.  eBay
 * names no VAT rate; a line's VAT is an entry of taxType VAT in its
 * taxes[], and its rate is derived from the line's cost and that VAT and
 * snapped to the ship-to country's rates (mapping_snap_rate).  Prices on
 * ebay.de include the seller's VAT, so that VAT lies inside the line's
 * cost: the line's total is its cost after discounts plus its delivery.
 * VAT that eBay collects and remits itself (ebayCollectAndRemitTaxes,
 * imports to the EU of up to 150 EUR) comes on top of the cost and makes
 * eBay the deemed supplier (tax.md §9).  Each line's own arithmetic
 * says which of the two it is; anything else is refused.
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "import.h"
#include "jfield.h"
#include "mapping.h"

#define EBAY_PATH	KERR_FIELD_MAX
#define EBAY_ID_MAX	40

struct ebay {
	struct order *o;
	const struct jnode *root;
	const char *ctx;
	size_t n_collected, n_seller;	/* lines by who owes their VAT */
	int64_t line_promos;		/* the line's promotions, added */
	struct kerr *e;
};

/*
 * An amount object in the order's currency.  eBay converts amounts of
 * a listing in another currency into the seller's and says so in
 * convertedFromCurrency; such an order would need its invoice in the
 * listing's currency and is refused.
 */
static int
eb_money(struct ebay *b, const struct jnode *obj, const char *key,
    int required, int64_t *out, const char *ctx)
{
	const char *from = jstr(jget(jget(obj, key), "convertedFromCurrency"));
	char path[EBAY_PATH], sub[EBAY_PATH];

	if (from != NULL && strcmp(from, b->o->currency) != 0) {
		jf_path(path, sizeof(path), ctx, key);
		jf_path(sub, sizeof(sub), path, "convertedFromCurrency");
		return kerr_set(b->e, KR_BAD_INPUT, sub,
		    "eBay converted the amount from %.10s; orders in a "
		    "listing currency other than the seller's are not "
		    "supported yet", from);
	}
	return mapping_money(b->o, obj, key, "value", "currency", required,
	    out, ctx, b->e);
}

/* An amount that may be written negative (discounts); its size. */
static int
eb_size(struct ebay *b, const struct jnode *obj, const char *key,
    int64_t *out, const char *ctx)
{
	int rc = eb_money(b, obj, key, JF_OPTIONAL, out, ctx);

	if (rc == KR_OK && *out < 0)
		*out = -*out;
	return rc;
}

static int
eb_head(struct ebay *b)
{
	struct order *o = b->o;
	const char *cur = NULL;
	char path[EBAY_PATH], sub[EBAY_PATH];
	int rc;

	jf_path(path, sizeof(path), b->ctx, "pricingSummary.total");
	if ((rc = mapping_key(b->root, "orderId", MAPPING_KEY_DIGITS_DASH, 1,
	    EBAY_ID_MAX, JF_REQUIRED, &o->order_id, b->ctx, b->e)) !=
	    KR_OK ||
	    (rc = mapping_time(o, b->root, "creationDate", MAPPING_NEED_ZONE,
	    JF_REQUIRED, &o->created_at, b->ctx, b->e)) != KR_OK ||
	    (rc = jf_str(jget(jget(b->root, "pricingSummary"), "total"),
	    "currency", JF_REQUIRED, &cur, path, b->e)) != KR_OK)
		return rc;
	jf_path(sub, sizeof(sub), path, "currency");
	if ((rc = order_set_currency(o, cur, sub, b->e)) != KR_OK)
		return rc;
	o->order_number = o->order_id;
	o->prices = PRICES_GROSS;
	return KR_OK;
}

/* The earliest successful payment: paid_at, method and reference. */
static int
eb_payment(void *arg, const struct jnode *p, size_t i, const char *ctx)
{
	struct ebay *b = arg;
	struct order *o = b->o;
	const char *st = jstr(jget(p, "paymentStatus")), *t = NULL;
	int rc;

	(void)i;
	if (st != NULL && strcmp(st, "PAID") != 0)
		return KR_OK;
	rc = mapping_time(o, p, "paymentDate", MAPPING_NEED_ZONE, JF_OPTIONAL,
	    &t, ctx, b->e);
	if (rc != KR_OK || t == NULL || (o->paid_at != NULL &&
	    strcmp(o->paid_at, t) <= 0))
		return rc;
	o->paid_at = t;
	if ((rc = mapping_text(p, "paymentMethod", &o->pay_method, ctx,
	    b->e)) != KR_OK)
		return rc;
	return mapping_text(p, "paymentReferenceId", &o->pay_transaction, ctx,
	    b->e);
}

/*
 * Cancelled when cancelState is CANCELED; ready when orderPaymentStatus
 * says the buyer paid (PAID, or refunded after paying, which makes an
 * invoice and a credit note); pending while it is PENDING or FAILED.
 */
static int
eb_status(struct ebay *b)
{
	struct order *o = b->o;
	const struct jnode *cs = jget(b->root, "cancelStatus");
	const char *ps = NULL, *cancel = jstr(jget(cs, "cancelState"));
	char path[EBAY_PATH];
	int rc;

	jf_path(path, sizeof(path), b->ctx, "paymentSummary");
	if ((rc = jf_str(b->root, "orderPaymentStatus", JF_REQUIRED, &ps,
	    b->ctx, b->e)) != KR_OK ||
	    (rc = mapping_each(jget(b->root, "paymentSummary"), "payments",
	    JF_OPTIONAL, path, eb_payment, b, b->e)) != KR_OK)
		return rc;
	o->pay_gateway = "ebay";
	if (cancel != NULL && strcmp(cancel, "CANCELED") == 0) {
		o->status = ORDER_CANCELLED;
		o->status_reason = mapping_reason(o, "cancelState", cancel);
		jf_path(path, sizeof(path), b->ctx, "cancelStatus");
		rc = mapping_time(o, cs, "cancelledDate", MAPPING_NEED_ZONE,
		    JF_OPTIONAL, &o->cancelled_at, path, b->e);
		if (o->cancelled_at == NULL)
			o->cancelled_at = o->created_at;
		return rc;
	}
	o->status_reason = mapping_reason(o, "orderPaymentStatus", ps);
	if (strcmp(ps, "PAID") == 0 || strcmp(ps, "PARTIALLY_REFUNDED") == 0 ||
	    strcmp(ps, "FULLY_REFUNDED") == 0)
		o->status = ORDER_READY;
	else if (strcmp(ps, "PENDING") == 0 || strcmp(ps, "FAILED") == 0)
		o->status = ORDER_PENDING;
	else {
		jf_path(path, sizeof(path), b->ctx, "orderPaymentStatus");
		return kerr_set(b->e, KR_BAD_INPUT, path,
		    "unknown payment status \"%.30s\"", ps);
	}
	if (o->status == ORDER_READY && o->paid_at == NULL)
		o->paid_at = o->created_at;
	return KR_OK;
}

/* An eBay contact: fullName, companyName and its contactAddress. */
static int
eb_contact(struct ebay *b, const struct jnode *c, struct address *a,
    const char *ctx)
{
	static const struct mapping_addr_keys keys = {
		NULL, NULL, NULL, NULL, "addressLine1", "addressLine2",
		"postalCode", "city", "stateOrProvince", "countryCode"
	};
	char path[EBAY_PATH];
	int rc;

	if (c == NULL)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, "contactAddress");
	if ((rc = mapping_text(c, "fullName", &a->name, ctx, b->e)) !=
	    KR_OK ||
	    (rc = mapping_text(c, "companyName", &a->company, ctx, b->e)) !=
	    KR_OK)
		return rc;
	return mapping_address(b->o, jget(c, "contactAddress"), &keys, a,
	    path, b->e);
}

/* The buyer's VAT id: a taxIdentifier of type VATIN. */
static int
eb_vat_id(struct ebay *b, const struct jnode *buyer, const char *ctx)
{
	const struct jnode *ti = jget(buyer, "taxIdentifier");
	const char *type = jstr(jget(ti, "taxIdentifierType"));
	char path[EBAY_PATH];

	if (type == NULL || strcmp(type, "VATIN") != 0)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, "taxIdentifier");
	return mapping_text(ti, "taxpayerId", &b->o->buyer_vat_id, path,
	    b->e);
}

static int
eb_buyer(struct ebay *b)
{
	struct order *o = b->o;
	const struct jnode *buyer = jget(b->root, "buyer");
	const struct jnode *reg = jget(buyer, "buyerRegistrationAddress");
	const struct jnode *ship = jget(jget(jat(jget(b->root,
	    "fulfillmentStartInstructions"), 0), "shippingStep"), "shipTo");
	char path[EBAY_PATH];
	int rc;

	jf_path(path, sizeof(path), b->ctx, "buyer");
	if ((rc = mapping_text(buyer, "username", &o->customer_id, path,
	    b->e)) != KR_OK ||
	    (rc = eb_vat_id(b, buyer, path)) != KR_OK)
		return rc;
	jf_path(path, sizeof(path), b->ctx, "buyer.buyerRegistrationAddress");
	if ((rc = mapping_text(reg, "email", &o->buyer_email, path, b->e)) !=
	    KR_OK ||
	    (rc = eb_contact(b, reg, &o->billing, path)) != KR_OK)
		return rc;
	jf_path(path, sizeof(path), b->ctx,
	    "fulfillmentStartInstructions[0].shippingStep.shipTo");
	if (o->buyer_email == NULL &&
	    (rc = mapping_text(ship, "email", &o->buyer_email, path, b->e)) !=
	    KR_OK)
		return rc;
	return eb_contact(b, ship, &o->shipping_addr, path);
}

/* Adds a line's promotions to the order's discounts. */
static int
eb_promotion(void *arg, const struct jnode *p, size_t i, const char *ctx)
{
	struct ebay *b = arg;
	struct order *o = b->o;
	struct order_discount *d = NULL;
	const char *code = NULL;
	int64_t amount = 0;
	size_t k;
	int rc;

	(void)i;
	if ((rc = mapping_text(p, "description", &code, ctx, b->e)) !=
	    KR_OK ||
	    (code == NULL && (rc = mapping_text(p, "promotionId", &code, ctx,
	    b->e)) != KR_OK) ||
	    (rc = eb_size(b, p, "discountAmount", &amount, ctx)) != KR_OK)
		return rc;
	for (k = 0; k < o->ndiscounts && code != NULL; k++)
		if (o->discounts[k].code != NULL &&
		    strcmp(o->discounts[k].code, code) == 0)
			d = &o->discounts[k];
	if (d == NULL) {
		d = order_add_discount(o);
		d->code = code;
		d->allocated = 1;
	}
	mapping_add_reason(o, &o->lines[o->nlines - 1].discount_reason, code);
	rc = mapping_add(&b->line_promos, amount, ctx, b->e);
	if (rc == KR_OK)
		rc = mapping_add(&d->amount_minor, amount, ctx, b->e);
	return rc;
}

/* The VAT of a line: its taxes[] (or eBay's) of taxType VAT, added. */
static int
eb_vat(struct ebay *b, const struct jnode *li, const char *key,
    int64_t *vat, int *found, const char *ctx)
{
	const struct jnode *arr, *t;
	char path[EBAY_PATH];
	int64_t v;
	size_t j = 0;
	int rc;

	*vat = 0;
	*found = 0;
	rc = jf_array(li, key, JF_OPTIONAL, &arr, ctx, b->e);
	for (t = jfirst(arr); rc == KR_OK && t != NULL; t = jnext(arr, t),
	    j++) {
		const char *type = jstr(jget(t, "taxType"));

		jf_path_index(path, sizeof(path), ctx, key, j);
		if (type == NULL || strcmp(type, "VAT") != 0)
			return kerr_set(b->e, KR_BAD_INPUT, path,
			    "a tax of type \"%.30s\" is no VAT; such orders "
			    "are not supported", type ? type : "(none)");
		v = 0;
		if ((rc = eb_money(b, t, "amount", JF_REQUIRED, &v, path)) ==
		    KR_OK)
			rc = mapping_add(vat, v, path, b->e);
		*found = 1;
	}
	return rc;
}

/* A line's delivery: its shipping line, and what it adds to the total. */
static int
eb_delivery(struct ebay *b, const struct jnode *li, int64_t *charged,
    const char *ctx)
{
	const struct jnode *dc = jget(li, "deliveryCost");
	struct order_shipping *s;
	int64_t cost = 0, handling = 0, off = 0;
	char path[EBAY_PATH];
	int rc;

	jf_path(path, sizeof(path), ctx, "deliveryCost");
	if ((rc = eb_money(b, dc, "shippingCost", JF_OPTIONAL, &cost, path)) !=
	    KR_OK ||
	    (rc = eb_money(b, dc, "handlingCost", JF_OPTIONAL, &handling,
	    path)) != KR_OK ||
	    (rc = eb_size(b, dc, "discountAmount", &off, path)) != KR_OK ||
	    (rc = mapping_add(&cost, handling, path, b->e)) != KR_OK)
		return rc;
	*charged = cost - off;
	if (cost == 0 && off == 0)
		return KR_OK;
	if (cost < 0 || off > cost)
		return kerr_set(b->e, KR_BAD_INPUT, path,
		    "expected a delivery cost of 0 or more and a discount "
		    "not above it");
	s = order_add_shipping(b->o);
	s->amount_minor = cost;
	s->discount_minor = off;
	s->name = jstr(jget(jget(jat(jget(b->root,
	    "fulfillmentStartInstructions"), 0), "shippingStep"),
	    "shippingServiceCode"));
	return KR_OK;
}

/* Where a line's goods are, the order's ship-from country. */
static int
eb_location(struct ebay *b, const struct jnode *li, const char *ctx)
{
	char c[3], path[EBAY_PATH];
	int rc;

	jf_path(path, sizeof(path), ctx, "itemLocation");
	rc = mapping_country(jget(li, "itemLocation"), "countryCode", c, path,
	    b->e);
	if (rc != KR_OK || c[0] == '\0')
		return rc;
	if (b->o->ship_from[0] == '\0')
		memcpy(b->o->ship_from, c, 3);
	else if (strcmp(b->o->ship_from, c) != 0)
		return kerr_set(b->e, KR_BAD_INPUT, path,
		    "the items ship from %s and %s; such an order is not "
		    "supported", b->o->ship_from, c);
	return KR_OK;
}

/*
 * Which VAT a line carries and where it lies: seller's VAT inside the
 * cost (total = cost after discount + delivery), or eBay's on top of it
 * (total = that + the collected VAT).  The line's amount becomes what
 * the buyer paid for it.
 */
static int
eb_line_vat(struct ebay *b, const struct jnode *li, struct order_line *l,
    int64_t charged, const char *ctx)
{
	int64_t vat, ebay_vat, total = 0, paid = l->amount_minor -
	    l->discount_minor;
	int found, collected, rc;
	char path[EBAY_PATH];

	if ((rc = eb_vat(b, li, "taxes", &vat, &found, ctx)) != KR_OK ||
	    (rc = eb_vat(b, li, "ebayCollectAndRemitTaxes", &ebay_vat,
	    &collected, ctx)) != KR_OK ||
	    (rc = eb_money(b, li, "total", JF_REQUIRED, &total, ctx)) != KR_OK)
		return rc;
	jf_path(path, sizeof(path), ctx, collected ? "ebayCollectAndRemitTaxes"
	    : "taxes");
	if (collected) {
		if (total != paid + charged + ebay_vat)
			return kerr_set(b->e, KR_BAD_INPUT, path, "eBay "
			    "collects the VAT, but the line's total leaves it "
			    "out (request getOrder with fieldGroups="
			    "TAX_BREAKDOWN)");
		b->n_collected++;
		l->tax_minor = ebay_vat;
		l->has_tax = 1;
		rc = mapping_add(&b->o->marketplace_vat_minor, ebay_vat, path,
		    b->e);
		if (rc == KR_OK)
			rc = mapping_snap_rate(b->o->shipping_addr.country,
			    paid, ebay_vat, 0, b->o->exponent, &l->rate_bp,
			    path, b->e);
		l->amount_minor += ebay_vat;
		return rc;
	}
	b->n_seller++;
	if (!found)
		return kerr_set(b->e, KR_BAD_INPUT, path, "eBay states no VAT "
		    "for the line, so its rate is unknown");
	if (total != paid + charged)
		return kerr_set(b->e, KR_BAD_INPUT, path, "the line's total "
		    "is not its cost after discounts plus its delivery: "
		    "VAT added on top of eBay's prices is not supported");
	l->tax_minor = vat;
	l->has_tax = 1;
	return mapping_snap_rate(b->o->shipping_addr.country, paid, vat, 1,
	    b->o->exponent, &l->rate_bp, path, b->e);
}

/*
 * The line's discount: its cost less discountedLineItemCost, which its
 * appliedPromotions must add up to.
 */
static int
eb_discount(struct ebay *b, const struct jnode *li, struct order_line *l,
    const char *ctx)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ], path[EBAY_PATH];
	int64_t after = l->amount_minor;
	int rc;

	b->line_promos = 0;
	if ((rc = eb_money(b, li, "discountedLineItemCost", JF_OPTIONAL,
	    &after, ctx)) != KR_OK ||
	    (rc = mapping_each(li, "appliedPromotions", JF_OPTIONAL, ctx,
	    eb_promotion, b, b->e)) != KR_OK)
		return rc;
	l->discount_minor = l->amount_minor - after;
	if (l->discount_minor < 0 || l->discount_minor > l->amount_minor)
		return kerr_set(b->e, KR_BAD_INPUT, ctx, "discountedLineItem"
		    "Cost %s is not between 0 and lineItemCost %s",
		    dec_format(after, b->o->exponent, b1),
		    dec_format(l->amount_minor, b->o->exponent, b2));
	if (b->line_promos == l->discount_minor)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, "appliedPromotions");
	return kerr_set(b->e, KR_BAD_INPUT, path, "the promotions add up to "
	    "%s, but the line's cost went down by %s",
	    dec_format(b->line_promos, b->o->exponent, b1),
	    dec_format(l->discount_minor, b->o->exponent, b2));
}

static int
eb_line(void *arg, const struct jnode *li, size_t i, const char *ctx)
{
	struct ebay *b = arg;
	struct order *o = b->o;
	struct order_line *l = order_add_line(o);
	int64_t charged;
	int rc;

	(void)i;
	if ((rc = mapping_key(li, "lineItemId", MAPPING_KEY_DIGITS_DASH, 1,
	    EBAY_ID_MAX, JF_REQUIRED, &l->id, ctx, b->e)) != KR_OK ||
	    (rc = mapping_text(li, "sku", &l->sku, ctx, b->e)) != KR_OK ||
	    (rc = jf_str(li, "title", JF_REQUIRED, &l->name, ctx, b->e)) !=
	    KR_OK ||
	    (rc = mapping_qty(li, "quantity", &l->qty_e4, ctx, b->e)) !=
	    KR_OK ||
	    (rc = eb_money(b, li, "lineItemCost", JF_REQUIRED,
	    &l->amount_minor, ctx)) != KR_OK ||
	    (rc = eb_discount(b, li, l, ctx)) != KR_OK ||
	    (rc = eb_delivery(b, li, &charged, ctx)) != KR_OK ||
	    (rc = eb_location(b, li, ctx)) != KR_OK ||
	    (rc = eb_line_vat(b, li, l, charged, ctx)) != KR_OK)
		return rc;
	if (mapping_unit_price(l->amount_minor, o->exponent, l->qty_e4,
	    &l->unit_price_e6) != KR_OK)
		return kerr_set(b->e, KR_OVERFLOW, ctx, "price too large");
	return mapping_check_line(o, l, ctx, b->e);
}

/*
 * A refund eBay completed: order-level ones in paymentSummary.refunds,
 * line-level ones in lineItems[].refunds.  eBay names no quantities, so
 * a canonical refund has its amount only.
 */
static int
eb_refund(void *arg, const struct jnode *rf, size_t i, const char *ctx)
{
	struct ebay *b = arg;
	const char *st = jstr(jget(rf, "refundStatus"));
	struct refund *r;
	int rc;

	(void)i;
	if (st != NULL && strcmp(st, "REFUNDED") != 0)
		return KR_OK;
	r = order_add_refund(b->o);
	if ((rc = mapping_key(rf, "refundId", MAPPING_KEY_DIGITS_DASH, 1,
	    EBAY_ID_MAX, JF_OPTIONAL, &r->id, ctx, b->e)) != KR_OK ||
	    (r->id == NULL && (rc = mapping_key(rf, "refundReferenceId",
	    MAPPING_KEY_DIGITS_DASH, 1, EBAY_ID_MAX, JF_REQUIRED, &r->id, ctx,
	    b->e)) != KR_OK) ||
	    (rc = mapping_time(b->o, rf, "refundDate", MAPPING_NEED_ZONE,
	    JF_OPTIONAL, &r->created_at, ctx, b->e)) != KR_OK ||
	    (rc = eb_size(b, rf, "amount", &r->amount_minor, ctx)) != KR_OK)
		return rc;
	return KR_OK;
}

static int
eb_line_refunds(void *arg, const struct jnode *li, size_t i, const char *ctx)
{
	struct ebay *b = arg;

	(void)i;
	return mapping_each(li, "refunds", JF_OPTIONAL, ctx, eb_refund, b,
	    b->e);
}

/* eBay collects the VAT of every line, or of none. */
static int
eb_collected(struct ebay *b)
{
	char path[EBAY_PATH];
	int flag = 0, rc;

	jf_path(path, sizeof(path), b->ctx, "ebayCollectAndRemitTax");
	rc = jf_bool(b->root, "ebayCollectAndRemitTax", JF_OPTIONAL, &flag,
	    b->ctx, b->e);
	if (rc != KR_OK)
		return rc;
	if (b->n_collected > 0 && b->n_seller > 0)
		return kerr_set(b->e, KR_BAD_INPUT, path,
		    "eBay collects the VAT of %zu line(s) and the seller owes "
		    "it for %zu: such a mixed order is not supported",
		    b->n_collected, b->n_seller);
	if (flag && b->n_collected == 0)
		return kerr_set(b->e, KR_BAD_INPUT, path,
		    "the order says eBay collects tax, but no line has "
		    "ebayCollectAndRemitTaxes");
	b->o->deemed_supplier = b->n_collected > 0;
	return KR_OK;
}

static int
eb_totals(struct ebay *b)
{
	const struct jnode *ps = jget(b->root, "pricingSummary");
	struct order *o = b->o;
	char path[EBAY_PATH], sub[EBAY_PATH];
	int rc;

	jf_path(path, sizeof(path), b->ctx, "pricingSummary");
	o->has_tax_total = jget(ps, "tax") != NULL;
	if ((rc = eb_money(b, ps, "total", JF_REQUIRED, &o->total_minor,
	    path)) != KR_OK ||
	    (rc = eb_money(b, ps, "tax", JF_OPTIONAL, &o->tax_total_minor,
	    path)) != KR_OK)
		return rc;
	jf_path(sub, sizeof(sub), path, "total");
	return mapping_check_totals(o, sub, b->e);
}

int
ebay_order_map(const struct jnode *obj, const char *ctx, struct order *o,
    struct kerr *e)
{
	struct ebay b;
	char path[EBAY_PATH];
	int rc;

	memset(&b, 0, sizeof(b));
	b.o = o;
	b.root = obj;
	b.ctx = ctx;
	b.e = e;
	jf_path(path, sizeof(path), ctx, "paymentSummary");
	if ((rc = eb_head(&b)) != KR_OK ||
	    (rc = eb_status(&b)) != KR_OK ||
	    (rc = eb_buyer(&b)) != KR_OK ||
	    (rc = mapping_each(obj, "lineItems", JF_REQUIRED, ctx, eb_line,
	    &b, e)) != KR_OK ||
	    (rc = eb_collected(&b)) != KR_OK ||
	    (rc = mapping_each(jget(obj, "paymentSummary"), "refunds",
	    JF_OPTIONAL, path, eb_refund, &b, e)) != KR_OK ||
	    (rc = mapping_each(obj, "lineItems", JF_REQUIRED, ctx,
	    eb_line_refunds, &b, e)) != KR_OK)
		return rc;
	return eb_totals(&b);
}

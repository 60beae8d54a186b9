/*
 * Amazon Selling Partner API orders (Orders API v0) to canonical
 * orders.
 *
 * A spool file holds one order as one JSON object whose members are
 * Amazon's responses as it sent them: getOrder, getOrderItems and, when
 * the connector fetched them, financialEvents (listFinancialEventsBy-
 * OrderId).  On Amazon's European marketplaces every price is gross:
 * ItemPrice is what the buyer paid for all units of an item, ItemTax the
 * VAT in it, and likewise for shipping, gift wrap and promotions.  Amazon
 * names no rate, so each one is derived from a price and its tax and
 * snapped to the rates of the ship-to country (mapping_snap_rate).
 */
#include <stdio.h>
#include <string.h>

#include "amazon_map.h"
#include "dec.h"
#include "import.h"
#include "jfield.h"
#include "mapping.h"

#define AMAZON_ID_MAX	40

/*
 * Marketplaces whose prices include VAT, Amazon's European ones, and the
 * currency each sells in.
 */
static const struct {
	const char *id;
	const char *currency;
} vat_marketplaces[] = {
	{"A1PA6795UKMFR9", "EUR"},	/* amazon.de */
	{"A13V1IB3VIYZZH", "EUR"},	/* amazon.fr */
	{"APJ6JRA9NG5V4", "EUR"},	/* amazon.it */
	{"A1RKKUPIHCS9HS", "EUR"},	/* amazon.es */
	{"A1805IZSGTT6HS", "EUR"},	/* amazon.nl */
	{"AMEN7PMS3EDWL", "EUR"},	/* amazon.com.be */
	{"A28R8C7NBKEWEA", "EUR"},	/* amazon.ie */
	{"A1C3SOZRARQ6R3", "PLN"},	/* amazon.pl */
	{"A2NODRKZP88ZB9", "SEK"},	/* amazon.se */
	{"A1F83G8C2ARO7P", "GBP"},	/* amazon.co.uk */
	{NULL, NULL}
};

int
amazon_money(struct amazon_map *a, const struct jnode *obj, const char *key,
    int required, int64_t *out, const char *ctx)
{
	return mapping_money(a->o, obj, key, "Amount", "CurrencyCode",
	    required, out, ctx, a->e);
}

/* A money object that must not be negative. */
static int
am_amount(struct amazon_map *a, const struct jnode *obj, const char *key,
    int required, int64_t *out, const char *ctx)
{
	char path[AMAZON_PATH], b[DEC_BUFSZ];
	int rc;

	rc = amazon_money(a, obj, key, required, out, ctx);
	if (rc != KR_OK || *out >= 0)
		return rc;
	jf_path(path, sizeof(path), ctx, key);
	return kerr_set(a->e, KR_BAD_INPUT, path,
	    "expected an amount of 0 or more, got \"%s\"",
	    dec_format(*out, a->o->exponent, b));
}

/*
 * The payload of the API response member of obj, refusing a response
 * that reports errors or leaves pages behind (NextToken).
 */
static int
am_payload(struct amazon_map *a, const struct jnode *obj, const char *member,
    const char *ctx, const struct jnode **out, char path[AMAZON_PATH])
{
	const struct jnode *resp;
	char mpath[AMAZON_PATH];
	int rc;

	rc = jf_object(obj, member, JF_REQUIRED, &resp, ctx, a->e);
	if (rc != KR_OK)
		return rc;
	jf_path(mpath, sizeof(mpath), ctx, member);
	if (jlen(jget(resp, "errors")) > 0) {
		jf_path(path, AMAZON_PATH, mpath, "errors");
		return kerr_set(a->e, KR_BAD_INPUT, path,
		    "Amazon answered %s with errors, not with the order",
		    member);
	}
	rc = jf_object(resp, "payload", JF_REQUIRED, out, mpath, a->e);
	if (rc != KR_OK)
		return rc;
	jf_path(path, AMAZON_PATH, mpath, "payload");
	if (!jis_null(jget(*out, "NextToken"))) {
		jf_path(mpath, sizeof(mpath), path, "NextToken");
		return kerr_set(a->e, KR_BAD_INPUT, mpath,
		    "the response has more pages; the spool object must hold "
		    "all of them joined");
	}
	return KR_OK;
}

/* The three members of the spool object, and that they are one order. */
static int
am_open(struct amazon_map *a, const struct jnode *obj, const char *ctx)
{
	const struct jnode *ip, *ev = NULL;
	const char *oid, *iid;
	char path[AMAZON_PATH];
	int rc;

	if ((rc = am_payload(a, obj, "getOrder", ctx, &a->order, a->octx)) !=
	    KR_OK ||
	    (rc = am_payload(a, obj, "getOrderItems", ctx, &ip, a->ictx)) !=
	    KR_OK)
		return rc;
	a->items = ip;
	oid = jstr(jget(a->order, "AmazonOrderId"));
	iid = jstr(jget(ip, "AmazonOrderId"));
	if (oid != NULL && iid != NULL && strcmp(oid, iid) != 0) {
		jf_path(path, sizeof(path), a->ictx, "AmazonOrderId");
		return kerr_set(a->e, KR_BAD_INPUT, path,
		    "the items belong to order %.40s, not to order %.40s", iid,
		    oid);
	}
	if (jis_null(jget(obj, "financialEvents")))
		return KR_OK;
	rc = am_payload(a, obj, "financialEvents", ctx, &ev, path);
	if (rc == KR_OK)
		rc = jf_object(ev, "FinancialEvents", JF_REQUIRED, &a->events,
		    path, a->e);
	jf_path(a->ectx, sizeof(a->ectx), path, "FinancialEvents");
	return rc;
}

/* The order's marketplace, which must be one in vat_marketplaces. */
static int
am_marketplace(struct amazon_map *a, const char **currency)
{
	const char *m = NULL;
	char path[AMAZON_PATH];
	size_t i;
	int rc;

	rc = jf_str(a->order, "MarketplaceId", JF_REQUIRED, &m, a->octx, a->e);
	if (rc != KR_OK)
		return rc;
	for (i = 0; vat_marketplaces[i].id != NULL; i++)
		if (strcmp(m, vat_marketplaces[i].id) == 0) {
			*currency = vat_marketplaces[i].currency;
			return KR_OK;
		}
	jf_path(path, sizeof(path), a->octx, "MarketplaceId");
	return kerr_set(a->e, KR_BAD_INPUT, path,
	    "marketplace %.20s is not one of Amazon's European ones, whose "
	    "prices include VAT; other marketplaces are not supported", m);
}

/*
 * OrderTotal's currency, else the first item's, else (a Pending order
 * has no money at all yet) the marketplace's.
 */
static int
am_currency(struct amazon_map *a, const char *market)
{
	const struct jnode *src = jget(a->order, "OrderTotal");
	char path[AMAZON_PATH];
	const char *cur = NULL;
	char sub[AMAZON_PATH];
	int rc;

	jf_path(path, sizeof(path), a->octx, "OrderTotal");
	if (jis_null(src)) {
		src = jget(jat(jget(a->items, "OrderItems"), 0), "ItemPrice");
		jf_path(path, sizeof(path), a->ictx,
		    "OrderItems[0].ItemPrice");
	}
	if (jis_null(src)) {
		jf_path(path, sizeof(path), a->octx, "MarketplaceId");
		return order_set_currency(a->o, market, path, a->e);
	}
	rc = jf_str(src, "CurrencyCode", JF_REQUIRED, &cur, path, a->e);
	if (rc == KR_OK) {
		jf_path(sub, sizeof(sub), path, "CurrencyCode");
		rc = order_set_currency(a->o, cur, sub, a->e);
	}
	return rc;
}

static int
am_head(struct amazon_map *a)
{
	struct order *o = a->o;
	const char *market = NULL;
	int rc;

	if ((rc = mapping_key(a->order, "AmazonOrderId",
	    MAPPING_KEY_DIGITS_DASH, 1, AMAZON_ID_MAX, JF_REQUIRED,
	    &o->order_id, a->octx, a->e)) != KR_OK ||
	    (rc = mapping_time(o, a->order, "PurchaseDate", MAPPING_NEED_ZONE,
	    JF_REQUIRED, &o->created_at, a->octx, a->e)) != KR_OK ||
	    (rc = am_marketplace(a, &market)) != KR_OK ||
	    (rc = am_currency(a, market)) != KR_OK)
		return rc;
	o->order_number = o->order_id;
	o->prices = PRICES_GROSS;
	return KR_OK;
}

/*
 * Shipped (and InvoiceUnconfirmed, shipped too): ready; Amazon charges
 * the buyer when the order ships.  Canceled: cancelled.  Pending,
 * PendingAvailability, Unshipped (payment only authorised) and
 * PartiallyShipped wait, as does Unfulfillable until someone looks.
 */
static int
am_status(struct amazon_map *a)
{
	static const char *const waiting[] = {
		"Pending", "PendingAvailability", "Unshipped",
		"PartiallyShipped", "Unfulfillable", NULL
	};
	struct order *o = a->o;
	const char *st = NULL;
	char path[AMAZON_PATH];
	size_t i;
	int rc;

	rc = jf_str(a->order, "OrderStatus", JF_REQUIRED, &st, a->octx, a->e);
	if (rc != KR_OK)
		return rc;
	o->status_reason = mapping_reason(o, "OrderStatus", st);
	if (strcmp(st, "Shipped") == 0 ||
	    strcmp(st, "InvoiceUnconfirmed") == 0) {
		o->status = ORDER_READY;
		return KR_OK;
	}
	if (strcmp(st, "Canceled") == 0) {
		o->status = ORDER_CANCELLED;
		rc = mapping_time(o, a->order, "LastUpdateDate",
		    MAPPING_NEED_ZONE, JF_OPTIONAL, &o->cancelled_at, a->octx,
		    a->e);
		if (o->cancelled_at == NULL)
			o->cancelled_at = o->created_at;
		return rc;
	}
	for (i = 0; waiting[i] != NULL; i++)
		if (strcmp(st, waiting[i]) == 0) {
			o->status = ORDER_PENDING;
			return KR_OK;
		}
	jf_path(path, sizeof(path), a->octx, "OrderStatus");
	return kerr_set(a->e, KR_BAD_INPUT, path,
	    "unknown order status \"%.30s\"", st);
}

/* BuyerTaxInfo: the company and its VAT id (TaxClassifications). */
static int
am_tax_info(struct amazon_map *a, const struct jnode *bi, const char *ctx,
    const char **company)
{
	const struct jnode *ti, *arr, *c;
	char path[AMAZON_PATH], cpath[AMAZON_PATH];
	size_t i = 0;
	int rc;

	rc = jf_object(bi, "BuyerTaxInfo", JF_OPTIONAL, &ti, ctx, a->e);
	if (rc != KR_OK || ti == NULL)
		return rc;
	jf_path(path, sizeof(path), ctx, "BuyerTaxInfo");
	if ((rc = mapping_text(ti, "CompanyLegalName", company, path,
	    a->e)) != KR_OK ||
	    (rc = jf_array(ti, "TaxClassifications", JF_OPTIONAL, &arr, path,
	    a->e)) != KR_OK)
		return rc;
	for (c = jfirst(arr); c != NULL; c = jnext(arr, c), i++) {
		const char *name = jstr(jget(c, "Name"));

		if (name == NULL || strcmp(name, "VATNumber") != 0)
			continue;
		jf_path_index(cpath, sizeof(cpath), path, "TaxClassifications",
		    i);
		return mapping_text(c, "Value", &a->o->buyer_vat_id, cpath,
		    a->e);
	}
	return KR_OK;
}

/*
 * Amazon sends no billing address: the invoice goes to the ship-to
 * address, under the buyer's company (BuyerTaxInfo) and name.
 */
static int
am_buyer(struct amazon_map *a)
{
	static const struct mapping_addr_keys keys = {
		NULL, NULL, "Name", "CompanyName", "AddressLine1",
		"AddressLine2", "PostalCode", "City", "StateOrRegion",
		"CountryCode"
	};
	struct order *o = a->o;
	const struct jnode *bi, *sa, *from;
	const char *company = NULL, *name = NULL;
	char path[AMAZON_PATH];
	int rc;

	jf_path(path, sizeof(path), a->octx, "BuyerInfo");
	if ((rc = jf_object(a->order, "BuyerInfo", JF_OPTIONAL, &bi, a->octx,
	    a->e)) != KR_OK ||
	    (rc = mapping_text(bi, "BuyerEmail", &o->buyer_email, path,
	    a->e)) != KR_OK ||
	    (rc = mapping_text(bi, "BuyerName", &name, path, a->e)) != KR_OK ||
	    (rc = mapping_text(bi, "PurchaseOrderNumber", &o->buyer_reference,
	    path, a->e)) != KR_OK ||
	    (rc = am_tax_info(a, bi, path, &company)) != KR_OK ||
	    (rc = jf_object(a->order, "ShippingAddress", JF_OPTIONAL, &sa,
	    a->octx, a->e)) != KR_OK ||
	    (rc = jf_object(a->order, "DefaultShipFromLocationAddress",
	    JF_OPTIONAL, &from, a->octx, a->e)) != KR_OK)
		return rc;
	jf_path(path, sizeof(path), a->octx, "ShippingAddress");
	if (sa != NULL && (rc = mapping_address(o, sa, &keys,
	    &o->shipping_addr, path, a->e)) != KR_OK)
		return rc;
	o->billing = o->shipping_addr;
	if (company != NULL)
		o->billing.company = company;
	if (name != NULL)
		o->billing.name = name;
	jf_path(path, sizeof(path), a->octx, "DefaultShipFromLocationAddress");
	return mapping_country(from, "CountryCode", o->ship_from, path, a->e);
}

/* Adds amount to the discount of code (promotions of several items). */
static void
am_discount(struct amazon_map *a, const char *code, int64_t amount)
{
	struct order *o = a->o;
	struct order_discount *d;
	size_t i;

	if (amount == 0)
		return;
	for (i = 0; i < o->ndiscounts; i++) {
		d = &o->discounts[i];
		if ((d->code == NULL && code == NULL) || (d->code != NULL &&
		    code != NULL && strcmp(d->code, code) == 0)) {
			d->amount_minor += amount;
			return;
		}
	}
	d = order_add_discount(o);
	d->code = code;
	d->amount_minor = amount;
	d->allocated = 1;
}

/* "promo1, promo2": the PromotionIds of an item, or NULL. */
static const char *
am_promotions(struct amazon_map *a, const struct jnode *item)
{
	const struct jnode *arr = jget(item, "PromotionIds"), *p;
	const char *list = NULL;

	for (p = jfirst(arr); p != NULL; p = jnext(arr, p))
		if (jstr(p) != NULL && jstr(p)[0] != '\0')
			mapping_add_reason(a->o, &list, jstr(p));
	return list;
}

/* The rate of price from its tax, snapped to the ship-to country's. */
static int
am_rate(struct amazon_map *a, int64_t price, int64_t tax, int64_t *rate_bp,
    const char *ctx, const char *tax_key)
{
	char path[AMAZON_PATH];

	jf_path(path, sizeof(path), ctx, tax_key);
	return mapping_snap_rate(a->o->shipping_addr.country, price, tax, 1,
	    a->o->exponent, rate_bp, path, a->e);
}

/* The members of one priced part of an item, and their money. */
struct am_keys {
	const char *price, *tax, *discount, *discount_tax;
};

static const struct am_keys item_keys = {
	"ItemPrice", "ItemTax", "PromotionDiscount", "PromotionDiscountTax"
};
static const struct am_keys ship_keys = {
	"ShippingPrice", "ShippingTax", "ShippingDiscount",
	"ShippingDiscountTax"
};
static const struct am_keys wrap_keys = {
	"GiftWrapPrice", "GiftWrapTax", NULL, NULL
};

struct am_part {
	int64_t price, tax, discount, discount_tax;
};

/* A price with its tax, less a discount with its tax.  */
static int
am_part(struct amazon_map *a, const struct jnode *item,
    const struct am_keys *k, struct am_part *p, const char *ctx)
{
	char path[AMAZON_PATH], b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int rc;

	memset(p, 0, sizeof(*p));
	if ((rc = am_amount(a, item, k->price, JF_OPTIONAL, &p->price,
	    ctx)) != KR_OK ||
	    (rc = amazon_money(a, item, k->tax, p->price > 0, &p->tax,
	    ctx)) != KR_OK || k->discount == NULL)
		return rc;
	if ((rc = am_amount(a, item, k->discount, JF_OPTIONAL, &p->discount,
	    ctx)) != KR_OK ||
	    (rc = amazon_money(a, item, k->discount_tax, JF_OPTIONAL,
	    &p->discount_tax, ctx)) != KR_OK)
		return rc;
	if (p->discount <= p->price)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, k->discount);
	return kerr_set(a->e, KR_BAD_INPUT, path,
	    "the discount %s is more than the price %s",
	    dec_format(p->discount, a->o->exponent, b1),
	    dec_format(p->price, a->o->exponent, b2));
}

/* The VAT that Amazon collected on an item as marketplace facilitator. */
static int
am_collected(struct amazon_map *a, const struct jnode *item,
    const struct am_part *parts, size_t n, const char *ctx)
{
	const char *model = jstr(jget(jget(item, "TaxCollection"), "Model"));
	int64_t *vat = &a->o->marketplace_vat_minor;
	size_t i;
	int rc = KR_OK;

	if (model == NULL || strcmp(model, "MarketplaceFacilitator") != 0) {
		a->n_seller++;
		return KR_OK;
	}
	a->n_facilitator++;
	for (i = 0; i < n && rc == KR_OK; i++) {
		rc = mapping_add(vat, parts[i].tax, ctx, a->e);
		if (rc == KR_OK)
			rc = mapping_add(vat, -parts[i].discount_tax, ctx,
			    a->e);
	}
	return rc;
}

static int
am_gift_wrap(struct amazon_map *a, const struct am_part *gw,
    const struct order_line *item, const char *ctx)
{
	struct order_line *l;
	char id[AMAZON_ID_MAX + 16];

	if (gw->price == 0)
		return KR_OK;
	snprintf(id, sizeof(id), "%s-gift-wrap", item->id);
	l = order_add_line(a->o);
	l->id = order_strdup(a->o, id);
	l->sku = item->sku;
	l->name = "Geschenkverpackung";
	l->qty_e4 = dec_pow10(QTY_SCALE);
	l->amount_minor = gw->price;
	l->tax_minor = gw->tax;
	l->has_tax = 1;
	mapping_unit_price(l->amount_minor, a->o->exponent, l->qty_e4,
	    &l->unit_price_e6);
	return am_rate(a, gw->price, gw->tax, &l->rate_bp, ctx, "GiftWrapTax");
}

static int
am_shipping(struct amazon_map *a, const struct am_part *sp, const char *ctx)
{
	struct order_shipping *s;

	if (sp->price == 0)
		return KR_OK;
	s = order_add_shipping(a->o);
	s->name = jstr(jget(a->order, "ShipServiceLevel"));
	s->amount_minor = sp->price;
	s->discount_minor = sp->discount;
	s->tax_minor = sp->tax - sp->discount_tax;
	s->has_tax = 1;
	return am_rate(a, sp->price, sp->tax, &s->rate_bp, ctx, "ShippingTax");
}

static int
am_line_head(struct amazon_map *a, const struct jnode *item,
    struct order_line *l, const char *ctx)
{
	int rc;

	if ((rc = mapping_key(item, "OrderItemId", MAPPING_KEY_DIGITS_DASH, 1,
	    AMAZON_ID_MAX, JF_REQUIRED, &l->id, ctx, a->e)) != KR_OK ||
	    (rc = mapping_text(item, "SellerSKU", &l->sku, ctx, a->e)) !=
	    KR_OK ||
	    (rc = mapping_text(item, "Title", &l->name, ctx, a->e)) != KR_OK ||
	    (rc = mapping_qty(item, "QuantityOrdered", &l->qty_e4, ctx,
	    a->e)) != KR_OK)
		return rc;
	if (l->name == NULL)
		l->name = l->sku;
	if (l->name == NULL)
		rc = jf_str(item, "ASIN", JF_REQUIRED, &l->name, ctx, a->e);
	return rc;
}

/*
 * One OrderItem: a line (ItemPrice less PromotionDiscount), its shipping
 * (ShippingPrice less ShippingDiscount) and its gift wrap.  Amazon
 * leaves the prices out while an order is Pending; such an item is not
 * mapped, and neither may its order be ready.
 */
static int
am_item(void *arg, const struct jnode *item, size_t i, const char *ctx)
{
	struct amazon_map *a = arg;
	struct order *o = a->o;
	struct am_part part[3];
	struct order_line *l;
	const char *promo;
	int rc;

	(void)i;
	if (jis_null(jget(item, "ItemPrice")) && o->status != ORDER_READY)
		return KR_OK;
	l = order_add_line(o);
	if ((rc = am_line_head(a, item, l, ctx)) != KR_OK ||
	    (rc = am_part(a, item, &item_keys, &part[0], ctx)) != KR_OK ||
	    (rc = am_part(a, item, &ship_keys, &part[1], ctx)) != KR_OK ||
	    (rc = am_part(a, item, &wrap_keys, &part[2], ctx)) != KR_OK)
		return rc;
	if (jis_null(jget(item, "ItemPrice")))
		return amazon_money(a, item, "ItemPrice", JF_REQUIRED,
		    &part[0].price, ctx);
	l->amount_minor = part[0].price;
	l->discount_minor = part[0].discount;
	l->tax_minor = part[0].tax - part[0].discount_tax;
	l->has_tax = 1;
	promo = am_promotions(a, item);
	l->discount_reason = l->discount_minor > 0 ? promo : NULL;
	am_discount(a, promo, part[0].discount + part[1].discount);
	if (mapping_unit_price(l->amount_minor, o->exponent, l->qty_e4,
	    &l->unit_price_e6) != KR_OK)
		return kerr_set(a->e, KR_OVERFLOW, ctx, "price too large");
	if ((rc = am_rate(a, part[0].price, part[0].tax, &l->rate_bp, ctx,
	    "ItemTax")) != KR_OK ||
	    (rc = mapping_check_line(o, l, ctx, a->e)) != KR_OK ||
	    (rc = am_shipping(a, &part[1], ctx)) != KR_OK ||
	    (rc = am_gift_wrap(a, &part[2], l, ctx)) != KR_OK)
		return rc;
	return am_collected(a, item, part, 3, ctx);
}

/*
 * Who owes the VAT: Amazon for all items (deemed supplier) or the
 * seller for all; an order that mixes them is not supported.
 */
static int
am_facilitator(struct amazon_map *a)
{
	char path[AMAZON_PATH];

	jf_path(path, sizeof(path), a->ictx, "OrderItems");
	if (a->n_facilitator > 0 && a->n_seller > 0)
		return kerr_set(a->e, KR_BAD_INPUT, path,
		    "Amazon collects the VAT of %zu item(s) as marketplace "
		    "facilitator and the seller owes it for %zu: such a mixed "
		    "order is not supported", a->n_facilitator, a->n_seller);
	if (a->events_facilitator && a->n_seller > 0)
		return kerr_set(a->e, KR_BAD_INPUT, path,
		    "the financial events say Amazon withheld the VAT as "
		    "marketplace facilitator, but no item says so "
		    "(TaxCollection)");
	a->o->deemed_supplier = a->n_facilitator > 0 || a->events_facilitator;
	return KR_OK;
}

static int
am_totals(struct amazon_map *a)
{
	struct order *o = a->o;
	char path[AMAZON_PATH];
	int rc;

	rc = am_amount(a, a->order, "OrderTotal", o->status == ORDER_READY,
	    &o->total_minor, a->octx);
	if (rc != KR_OK)
		return rc;
	o->pay_gateway = "amazon";
	rc = mapping_text(a->order, "PaymentMethod", &o->pay_method, a->octx,
	    a->e);
	if (rc != KR_OK || jis_null(jget(a->order, "OrderTotal")))
		return rc;
	jf_path(path, sizeof(path), a->octx, "OrderTotal");
	return mapping_check_totals(o, path, a->e);
}

int
amazon_order_map(const struct jnode *obj, const char *ctx, struct order *o,
    struct kerr *e)
{
	struct amazon_map a;
	int rc;

	memset(&a, 0, sizeof(a));
	a.o = o;
	a.e = e;
	if ((rc = am_open(&a, obj, ctx)) != KR_OK ||
	    (rc = am_head(&a)) != KR_OK ||
	    (rc = am_status(&a)) != KR_OK ||
	    (rc = am_buyer(&a)) != KR_OK ||
	    (rc = mapping_each(a.items, "OrderItems", JF_REQUIRED, a.ictx,
	    am_item, &a, e)) != KR_OK ||
	    (rc = amazon_finances(&a)) != KR_OK ||
	    (rc = am_facilitator(&a)) != KR_OK)
		return rc;
	return am_totals(&a);
}

/*
 * Amazon's financial events of one order (Finances API v0,
 * listFinancialEventsByOrderId), when a spool object carries them as its
 * member financialEvents.
 *
 * They give what the Orders API does not: when the order shipped (the
 * PostedDate of its ShipmentEvent, Amazon's tax point), whether Amazon
 * withheld the VAT as marketplace facilitator (ItemTaxWithheldList), and
 * the refunds (RefundEventList).  Refunded money is negative in the
 * events and positive in a canonical refund.  A refund line is the
 * item's Principal and Tax adjustments with their promotion adjustments;
 * ShippingCharge and ShippingTax are the shipping refunded.  Fees
 * (ItemFeeAdjustmentList and the like) are Amazon's charges to the
 * seller; they belong to the payments stage and are not read here.
 */
#include <stdio.h>
#include <string.h>

#include "amazon_map.h"
#include "dec.h"
#include "jfield.h"
#include "mapping.h"

#define AF_ID_MAX	40

/* One refund being mapped. */
struct af_refund {
	struct amazon_map *a;
	struct refund *r;
};

/* A money object {"CurrencyCode", "CurrencyAmount"} of the finances. */
static int
af_money(struct amazon_map *a, const struct jnode *obj, const char *key,
    int64_t *out, const char *ctx)
{
	return mapping_money(a->o, obj, key, "CurrencyAmount", "CurrencyCode",
	    JF_REQUIRED, out, ctx, a->e);
}

static int
af_same_order(struct amazon_map *a, const struct jnode *ev, const char *ctx)
{
	const char *id = NULL;
	char path[AMAZON_PATH];
	int rc;

	rc = jf_str(ev, "AmazonOrderId", JF_REQUIRED, &id, ctx, a->e);
	if (rc != KR_OK || strcmp(id, a->o->order_id) == 0)
		return rc;
	jf_path(path, sizeof(path), ctx, "AmazonOrderId");
	return kerr_set(a->e, KR_BAD_INPUT, path,
	    "the event belongs to order %.40s, not to order %s", id,
	    a->o->order_id);
}

/* An item whose VAT Amazon withheld as marketplace facilitator. */
static void
af_withheld(struct amazon_map *a, const struct jnode *item)
{
	const struct jnode *arr = jget(item, "ItemTaxWithheldList"), *w;

	for (w = jfirst(arr); w != NULL; w = jnext(arr, w)) {
		const char *m = jstr(jget(w, "TaxCollectionModel"));

		if (m != NULL && strcmp(m, "MarketplaceFacilitator") == 0)
			a->events_facilitator = 1;
	}
}

static int
af_ship_item(void *arg, const struct jnode *item, size_t i, const char *ctx)
{
	(void)i;
	(void)ctx;
	af_withheld(arg, item);
	return KR_OK;
}

/* The earliest ShipmentEvent's PostedDate is when the order shipped. */
static int
af_shipment(void *arg, const struct jnode *ev, size_t i, const char *ctx)
{
	struct amazon_map *a = arg;
	const char *t = NULL;
	int rc;

	(void)i;
	if ((rc = af_same_order(a, ev, ctx)) != KR_OK ||
	    (rc = mapping_time(a->o, ev, "PostedDate", MAPPING_NEED_ZONE,
	    JF_REQUIRED, &t, ctx, a->e)) != KR_OK)
		return rc;
	if (a->o->shipped_at == NULL || strcmp(t, a->o->shipped_at) < 0)
		a->o->shipped_at = t;
	return mapping_each(ev, "ShipmentItemList", JF_OPTIONAL, ctx,
	    af_ship_item, a, a->e);
}

/* What the adjustments of one item count towards. */
struct af_sums {
	struct amazon_map *a;
	int64_t line, tax, ship, all;
};

static int
af_charge(void *arg, const struct jnode *c, size_t i, const char *ctx)
{
	static const char *const line[] = {
		"Principal", "Tax", "Discount", "TaxDiscount", NULL
	};
	struct af_sums *s = arg;
	struct amazon_map *a = s->a;
	const char *type = NULL;
	int64_t v = 0;
	size_t k;
	int rc;

	(void)i;
	if ((rc = jf_str(c, "ChargeType", JF_REQUIRED, &type, ctx, a->e)) !=
	    KR_OK ||
	    (rc = af_money(a, c, "ChargeAmount", &v, ctx)) != KR_OK ||
	    (rc = mapping_add(&s->all, v, ctx, a->e)) != KR_OK)
		return rc;
	for (k = 0; line[k] != NULL; k++)
		if (strcmp(type, line[k]) == 0)
			rc = mapping_add(&s->line, v, ctx, a->e);
	if (rc == KR_OK && (strcmp(type, "Tax") == 0 ||
	    strcmp(type, "TaxDiscount") == 0))
		rc = mapping_add(&s->tax, v, ctx, a->e);
	if (rc == KR_OK && (strcmp(type, "ShippingCharge") == 0 ||
	    strcmp(type, "ShippingTax") == 0))
		rc = mapping_add(&s->ship, v, ctx, a->e);
	return rc;
}

/* A promotion adjustment belongs to the item's line. */
static int
af_promotion(void *arg, const struct jnode *p, size_t i, const char *ctx)
{
	struct af_sums *s = arg;
	int64_t v = 0;
	int rc;

	(void)i;
	rc = af_money(s->a, p, "PromotionAmount", &v, ctx);
	if (rc == KR_OK)
		rc = mapping_add(&s->line, v, ctx, s->a->e);
	if (rc == KR_OK)
		rc = mapping_add(&s->all, v, ctx, s->a->e);
	return rc;
}

static int
af_sums(struct amazon_map *a, const struct jnode *it, struct af_sums *s,
    const char *ctx)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->a = a;
	rc = mapping_each(it, "ItemChargeAdjustmentList", JF_OPTIONAL, ctx,
	    af_charge, s, a->e);
	if (rc == KR_OK)
		rc = mapping_each(it, "PromotionAdjustmentList", JF_OPTIONAL,
		    ctx, af_promotion, s, a->e);
	return rc;
}

static const struct order_line *
af_line(const struct order *o, const char *id)
{
	size_t i;

	for (i = 0; i < o->nlines; i++)
		if (o->lines[i].id != NULL && strcmp(o->lines[i].id, id) == 0)
			return &o->lines[i];
	return NULL;
}

/* Money back to the buyer is negative in the events; 0 or less only. */
static int
af_back(struct amazon_map *a, int64_t v, int64_t *out, const char *ctx)
{
	char b[DEC_BUFSZ];

	if (v <= 0) {
		*out = -v;
		return KR_OK;
	}
	return kerr_set(a->e, KR_BAD_INPUT, ctx,
	    "a refund that charges the buyer %s more is no refund",
	    dec_format(v, a->o->exponent, b));
}

static int
af_refund_line(struct af_refund *fr, const struct jnode *it,
    const struct af_sums *s, const char *ctx)
{
	struct amazon_map *a = fr->a;
	const struct order_line *ol;
	struct refund_line *l = refund_add_line(a->o, fr->r);
	char path[AMAZON_PATH], b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int rc;

	if ((rc = mapping_key(it, "OrderItemId", MAPPING_KEY_DIGITS_DASH, 1,
	    AF_ID_MAX, JF_REQUIRED, &l->line_id, ctx, a->e)) != KR_OK ||
	    (rc = mapping_qty(it, "QuantityShipped", &l->qty_e4, ctx,
	    a->e)) != KR_OK ||
	    (rc = af_back(a, s->line, &l->amount_minor, ctx)) != KR_OK ||
	    (rc = af_back(a, s->tax, &l->tax_minor, ctx)) != KR_OK)
		return rc;
	jf_path(path, sizeof(path), ctx, "OrderItemId");
	ol = af_line(a->o, l->line_id);
	if (ol == NULL)
		return kerr_set(a->e, KR_BAD_INPUT, path,
		    "refunds item %s, which order %s does not have",
		    l->line_id, a->o->order_id);
	if (l->amount_minor > ol->amount_minor - ol->discount_minor)
		return kerr_set(a->e, KR_BAD_INPUT, ctx,
		    "refunds %s of item %s, which cost %s",
		    dec_format(l->amount_minor, a->o->exponent, b1),
		    l->line_id, dec_format(ol->amount_minor -
		    ol->discount_minor, a->o->exponent, b2));
	return KR_OK;
}

static int
af_adjustment(void *arg, const struct jnode *it, size_t i, const char *ctx)
{
	struct af_refund *fr = arg;
	struct amazon_map *a = fr->a;
	struct af_sums s;
	int64_t v = 0;
	int rc;

	if (i == 0 && (rc = mapping_key(it, "OrderAdjustmentItemId",
	    MAPPING_KEY_DIGITS_DASH, 1, AF_ID_MAX, JF_REQUIRED, &fr->r->id,
	    ctx, a->e)) != KR_OK)
		return rc;
	af_withheld(a, it);
	if ((rc = af_sums(a, it, &s, ctx)) != KR_OK ||
	    (rc = af_refund_line(fr, it, &s, ctx)) != KR_OK ||
	    (rc = af_back(a, s.ship, &v, ctx)) != KR_OK ||
	    (rc = mapping_add(&fr->r->shipping_minor, v, ctx, a->e)) !=
	    KR_OK ||
	    (rc = af_back(a, s.all, &v, ctx)) != KR_OK)
		return rc;
	return mapping_add(&fr->r->amount_minor, v, ctx, a->e);
}

/*
 * One RefundEvent, a canonical refund: its id is the first adjustment's
 * OrderAdjustmentItemId, its time the PostedDate.
 */
static int
af_refund(void *arg, const struct jnode *ev, size_t i, const char *ctx)
{
	struct amazon_map *a = arg;
	struct af_refund fr;
	int rc;

	(void)i;
	fr.a = a;
	fr.r = order_add_refund(a->o);
	if ((rc = af_same_order(a, ev, ctx)) != KR_OK ||
	    (rc = mapping_time(a->o, ev, "PostedDate", MAPPING_NEED_ZONE,
	    JF_REQUIRED, &fr.r->created_at, ctx, a->e)) != KR_OK ||
	    (rc = mapping_each(ev, "ShipmentItemAdjustmentList", JF_REQUIRED,
	    ctx, af_adjustment, &fr, a->e)) != KR_OK)
		return rc;
	if (fr.r->id != NULL)
		return KR_OK;
	return kerr_set(a->e, KR_BAD_INPUT, ctx,
	    "a refund event without adjusted items");
}

int
amazon_finances(struct amazon_map *a)
{
	int rc;

	if (a->events == NULL)
		return KR_OK;
	rc = mapping_each(a->events, "ShipmentEventList", JF_OPTIONAL,
	    a->ectx, af_shipment, a, a->e);
	if (rc == KR_OK)
		rc = mapping_each(a->events, "RefundEventList", JF_OPTIONAL,
		    a->ectx, af_refund, a, a->e);
	return rc;
}

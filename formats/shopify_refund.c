/*
 * Shopify Admin REST order refunds, as they come inside their order's
 * refunds[]: what went back (the successful refund transactions), the
 * lines (refund_line_items) and the shipping (order adjustments of kind
 * shipping_refund).  Shopify writes refunded money as negative amounts
 * in some places and positive in others; canonical refunds are
 * positive.
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "jfield.h"
#include "mapping.h"
#include "shopify_map.h"

/* Refunded money is positive in a canonical refund. */
static int
sp_abs(struct shopify_map *s, int64_t *v, const char *path)
{
	if (*v >= 0 || dec_sub(0, *v, v) == KR_OK)
		return KR_OK;
	return kerr_set(s->e, KR_OVERFLOW, path, "amount too large");
}

/* What went back: the refund's successful refund transactions. */
static int
sp_refund_amount(struct shopify_map *s, const struct jnode *rf,
    struct refund *r, const char *ctx)
{
	const struct jnode *arr, *t;
	char path[SHOPIFY_PATH];
	int64_t amount;
	size_t j = 0;
	int rc;

	rc = jf_array(rf, "transactions", JF_OPTIONAL, &arr, ctx, s->e);
	for (t = jfirst(arr); rc == KR_OK && t != NULL; t = jnext(arr, t),
	    j++) {
		const char *kind = jstr(jget(t, "kind"));
		const char *cur = jstr(jget(t, "currency"));

		if (kind == NULL || strcmp(kind, "refund") != 0 ||
		    !shopify_tx_done(t))
			continue;
		jf_path_index(path, sizeof(path), ctx, "transactions", j);
		if (cur != NULL && strcmp(cur, s->o->currency) != 0 &&
		    !jf_has(t, "amount_set"))
			return kerr_set(s->e, KR_BAD_INPUT, path,
			    "a refund in %.10s for an order in %s", cur,
			    s->o->currency);
		amount = 0;
		rc = shopify_amount(s, t, "amount", JF_REQUIRED, &amount,
		    path);
		if (rc == KR_OK)
			rc = shopify_add(s, &r->amount_minor, amount, path);
	}
	return rc;
}

static int
sp_refund_line(struct shopify_map *s, const struct jnode *n, struct refund *r,
    const char *ctx)
{
	struct refund_line *l = refund_add_line(s->o, r);
	int rc;

	if ((rc = mapping_id(n, "line_item_id", JF_REQUIRED, &l->line_id,
	    ctx, s->e)) != KR_OK ||
	    (rc = mapping_qty(n, "quantity", &l->qty_e4, ctx, s->e)) !=
	    KR_OK ||
	    (rc = shopify_amount(s, n, "subtotal", JF_REQUIRED,
	    &l->amount_minor, ctx)) != KR_OK)
		return rc;
	return shopify_amount(s, n, "total_tax", JF_OPTIONAL, &l->tax_minor,
	    ctx);
}

/*
 * Shipping refunded: order_adjustments of kind shipping_refund, whose
 * amount is negative and without tax; with gross prices its tax_amount
 * belongs to it.
 */
static int
sp_refund_shipping(struct shopify_map *s, const struct jnode *rf,
    struct refund *r, const char *ctx)
{
	const struct jnode *arr, *a;
	char path[SHOPIFY_PATH];
	int64_t amount, tax;
	size_t j = 0;
	int rc;

	rc = jf_array(rf, "order_adjustments", JF_OPTIONAL, &arr, ctx, s->e);
	for (a = jfirst(arr); rc == KR_OK && a != NULL; a = jnext(arr, a),
	    j++) {
		const char *kind = jstr(jget(a, "kind"));

		if (kind == NULL || strcmp(kind, "shipping_refund") != 0)
			continue;
		jf_path_index(path, sizeof(path), ctx, "order_adjustments", j);
		amount = tax = 0;
		if ((rc = shopify_amount(s, a, "amount", JF_REQUIRED, &amount,
		    path)) != KR_OK ||
		    (rc = shopify_amount(s, a, "tax_amount", JF_OPTIONAL, &tax,
		    path)) != KR_OK)
			return rc;
		if (s->o->prices == PRICES_NET)
			tax = 0;
		if ((rc = sp_abs(s, &amount, path)) != KR_OK ||
		    (rc = sp_abs(s, &tax, path)) != KR_OK ||
		    (rc = shopify_add(s, &amount, tax, path)) != KR_OK)
			return rc;
		rc = shopify_add(s, &r->shipping_minor, amount, path);
	}
	return rc;
}

static int
sp_refund(struct shopify_map *s, const struct jnode *rf, const char *ctx)
{
	struct refund *r = order_add_refund(s->o);
	const struct jnode *arr, *n;
	char path[SHOPIFY_PATH];
	size_t j = 0;
	int rc;

	if ((rc = mapping_id(rf, "id", JF_REQUIRED, &r->id, ctx, s->e)) !=
	    KR_OK ||
	    (rc = mapping_time(s->o, rf, "created_at", MAPPING_NEED_ZONE,
	    JF_OPTIONAL, &r->created_at, ctx, s->e)) != KR_OK ||
	    (rc = mapping_text(rf, "note", &r->reason, ctx, s->e)) != KR_OK ||
	    (rc = sp_refund_amount(s, rf, r, ctx)) != KR_OK ||
	    (rc = sp_refund_shipping(s, rf, r, ctx)) != KR_OK ||
	    (rc = jf_array(rf, "refund_line_items", JF_OPTIONAL, &arr, ctx,
	    s->e)) != KR_OK)
		return rc;
	for (n = jfirst(arr); rc == KR_OK && n != NULL; n = jnext(arr, n),
	    j++) {
		jf_path_index(path, sizeof(path), ctx, "refund_line_items", j);
		rc = sp_refund_line(s, n, r, path);
	}
	return rc;
}

int
shopify_refunds(struct shopify_map *s)
{
	const struct jnode *arr, *n;
	char ctx[SHOPIFY_PATH];
	size_t i = 0;
	int rc;

	rc = jf_array(s->root, "refunds", JF_OPTIONAL, &arr, s->ctx, s->e);
	for (n = jfirst(arr); rc == KR_OK && n != NULL; n = jnext(arr, n),
	    i++) {
		jf_path_index(ctx, sizeof(ctx), s->ctx, "refunds", i);
		rc = sp_refund(s, n, ctx);
	}
	return rc;
}

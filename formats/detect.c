/*
 * Recognising a payload: which platform wrote it, whether it is an order
 * or a refund of its own, and, for what kontor does not import, why not.
 * Each platform is told by members that only its documents have.
 */
#include <string.h>

#include "import.h"
#include "jfield.h"

const struct jnode *
import_unwrap(const struct jnode *elem, const char **ctx)
{
	static const char *const wrappers[] = {"order", "data", NULL};
	const struct jnode *inner;
	size_t i;

	*ctx = "";
	if (elem == NULL || elem->type != J_OBJECT || elem->n != 1)
		return elem;
	for (i = 0; wrappers[i] != NULL; i++) {
		inner = jget(elem, wrappers[i]);
		if (inner != NULL && inner->type == J_OBJECT) {
			*ctx = wrappers[i];
			return inner;
		}
	}
	return elem;
}

/* 1 when some element of the array member key has the member sub. */
static int
any_item_has(const struct jnode *obj, const char *key, const char *sub)
{
	const struct jnode *arr = jget(obj, key), *c;

	if (arr == NULL || arr->type != J_ARRAY)
		return 0;
	for (c = jfirst(arr); c != NULL; c = jnext(arr, c))
		if (jget(c, sub) != NULL)
			return 1;
	return 0;
}

static int
is_woo_refund(const struct jnode *o)
{
	if (!jf_has(o, "id") || !jf_has(o, "amount") ||
	    jget(o, "prices_include_tax") != NULL ||
	    jget(o, "status") != NULL)
		return 0;
	return jget(o, "refunded_payment") != NULL ||
	    jget(o, "refunded_by") != NULL ||
	    jget(jget(o, "_links"), "up") != NULL ||
	    any_item_has(o, "line_items", "refund_total");
}

static int
is_woo_order(const struct jnode *o)
{
	return jget(o, "prices_include_tax") != NULL ||
	    any_item_has(o, "line_items", "subtotal_tax") ||
	    (jget(o, "date_created_gmt") != NULL &&
	    jget(o, "line_items") != NULL);
}

static int
is_shopify_order(const struct jnode *o)
{
	const char *gid = jstr(jget(o, "admin_graphql_api_id"));

	if (gid != NULL)
		return strncmp(gid, "gid://shopify/Order/", 20) == 0;
	if (jget(o, "line_items") == NULL)
		return 0;
	return jget(o, "financial_status") != NULL ||
	    jget(o, "taxes_included") != NULL ||
	    jget(o, "total_price") != NULL;
}

/* The spool object of one Amazon order: its two API responses. */
static int
is_amazon_order(const struct jnode *o)
{
	return jget(o, "getOrder") != NULL &&
	    jget(o, "getOrderItems") != NULL;
}

static int
is_ebay_order(const struct jnode *o)
{
	return jstr(jget(o, "orderId")) != NULL &&
	    jget(o, "lineItems") != NULL &&
	    (jget(o, "pricingSummary") != NULL ||
	    jget(o, "orderPaymentStatus") != NULL);
}

static int
is_shopware_order(const struct jnode *o)
{
	return jget(o, "orderNumber") != NULL &&
	    jget(o, "lineItems") != NULL &&
	    (jget(o, "taxStatus") != NULL || jget(o, "price") != NULL ||
	    jget(o, "amountTotal") != NULL);
}

static int
is_magento_order(const struct jnode *o)
{
	return jget(o, "increment_id") != NULL && jget(o, "items") != NULL &&
	    jget(o, "order_currency_code") != NULL &&
	    jget(o, "order_id") == NULL;
}

/* Amazon responses that are not the spool object of an order. */
static int
detect_refused_amazon(const struct jnode *elem, struct kerr *e)
{
	const struct jnode *p = jget(elem, "payload");

	if (jget(p, "OrderItems") != NULL)
		return kerr_set(e, KR_BAD_INPUT, "payload",
		    "an Amazon getOrderItems response on its own: an order's "
		    "spool object joins it with its getOrder response as "
		    "{\"getOrder\": ..., \"getOrderItems\": ...}");
	if (jget(p, "AmazonOrderId") != NULL)
		return kerr_set(e, KR_BAD_INPUT, "payload",
		    "an Amazon getOrder response on its own: an order's spool "
		    "object joins it with its getOrderItems response as "
		    "{\"getOrder\": ..., \"getOrderItems\": ...}");
	if (jget(p, "Orders") != NULL)
		return kerr_set(e, KR_BAD_INPUT, "payload.Orders",
		    "an Amazon order list (getOrders) holds no items; import "
		    "each order's getOrder and getOrderItems");
	if (jget(p, "FinancialEvents") != NULL ||
	    jget(p, "transactions") != NULL)
		return kerr_set(e, KR_BAD_INPUT, "payload",
		    "Amazon financial events on their own: they belong into "
		    "their order's spool object as \"financialEvents\"");
	if (jget(elem, "orderId") != NULL && jget(elem, "salesChannel") !=
	    NULL)
		return kerr_set(e, KR_BAD_INPUT, "",
		    "an order of Amazon's Orders API 2026-01-01; kontor reads "
		    "Orders API v0 (getOrder and getOrderItems)");
	return KR_OK;
}

/* Things that look like an order but are not one kontor imports. */
static int
detect_refused(const struct jnode *elem, struct kerr *e)
{
	const char *type = jstr(jget(elem, "type"));
	int rc;

	if ((rc = detect_refused_amazon(elem, e)) != KR_OK)
		return rc;
	if (jget(elem, "increment_id") != NULL &&
	    jget(elem, "order_id") != NULL)
		return kerr_set(e, KR_BAD_INPUT, "order_id",
		    "a Magento invoice, not an order; import the order");
	if (type != NULL && jget(elem, "v") != NULL)
		return kerr_set(e, KR_BAD_INPUT, "type",
		    "a kontor \"%.30s\" record, not an order", type);
	if (jget(elem, "draft_order") != NULL)
		return kerr_set(e, KR_BAD_INPUT, "draft_order",
		    "a Shopify draft order is not an order yet; import the "
		    "order it becomes");
	if (jget(elem, "refund") != NULL ||
	    jget(elem, "refund_line_items") != NULL)
		return kerr_set(e, KR_BAD_INPUT, "",
		    "a Shopify refund on its own is not imported; Shopify "
		    "lists refunds in their order's refunds[]");
	if (jget(elem, "transactions") != NULL && elem->n == 1)
		return kerr_set(e, KR_BAD_INPUT, "transactions",
		    "a list of payment transactions, not an order");
	if (jget(elem, "kind") != NULL && jget(elem, "gateway") != NULL &&
	    jget(elem, "order_id") != NULL)
		return kerr_set(e, KR_BAD_INPUT, "kind",
		    "a payment transaction, not an order");
	return kerr_set(e, KR_BAD_INPUT, "",
	    "not an order kontor knows: expected an order of Shopify, "
	    "WooCommerce, Amazon, eBay, Shopware or Magento, a WooCommerce "
	    "refund or a kontor order record");
}

int
import_detect(const struct jnode *elem, enum platform *p,
    enum payload_kind *kind, struct kerr *e)
{
	const struct jnode *obj;
	const char *ctx, *type;

	*p = PLATFORM_UNKNOWN;
	*kind = PAYLOAD_ORDER;
	if (elem == NULL || elem->type != J_OBJECT)
		return kerr_set(e, KR_BAD_INPUT, "",
		    "expected a JSON object holding an order, got %s",
		    jtype_name(elem));
	type = jstr(jget(elem, "type"));
	obj = import_unwrap(elem, &ctx);
	if (type != NULL && strcmp(type, "order") == 0)
		*p = PLATFORM_CANONICAL;
	else if (is_woo_refund(obj)) {
		*p = PLATFORM_WOOCOMMERCE;
		*kind = PAYLOAD_REFUND;
	} else if (is_woo_order(obj))
		*p = PLATFORM_WOOCOMMERCE;
	else if (is_shopify_order(obj))
		*p = PLATFORM_SHOPIFY;
	else if (is_amazon_order(obj))
		*p = PLATFORM_AMAZON;
	else if (is_ebay_order(obj))
		*p = PLATFORM_EBAY;
	else if (is_shopware_order(obj))
		*p = PLATFORM_SHOPWARE;
	else if (is_magento_order(obj))
		*p = PLATFORM_MAGENTO;
	else
		return detect_refused(obj, e);
	return KR_OK;
}

#include <stdio.h>
#include <string.h>

#include "import.h"
#include "jfield.h"
#include "record.h"

const char *const import_envelope_keys[] = {"orders", NULL};

const char *const import_platforms[] = {"shopify", "woocommerce", NULL};

static const char *const platform_names[] = {
	[PLATFORM_UNKNOWN] = "unknown",
	[PLATFORM_CANONICAL] = "canonical",
	[PLATFORM_SHOPIFY] = "shopify",
	[PLATFORM_WOOCOMMERCE] = "woocommerce"
};

const char *
platform_name(enum platform p)
{
	if ((size_t)p >= sizeof(platform_names) / sizeof(platform_names[0]))
		return platform_names[PLATFORM_UNKNOWN];
	return platform_names[p];
}

enum platform
platform_from_name(const char *name)
{
	size_t i;

	for (i = PLATFORM_CANONICAL; i < sizeof(platform_names) /
	    sizeof(platform_names[0]); i++)
		if (name != NULL && strcmp(name, platform_names[i]) == 0)
			return (enum platform)i;
	return PLATFORM_UNKNOWN;
}

int
import_check_shops(const struct config *c, struct kerr *e)
{
	char field[KERR_FIELD_MAX];
	size_t i;

	for (i = 0; i < c->nshops; i++) {
		const struct shop_cfg *s = &c->shops[i];

		if (platform_from_name(s->platform) != PLATFORM_UNKNOWN)
			continue;
		kerr_where(e, c->path, 0);
		snprintf(field, sizeof(field), "[shop %s] platform", s->id);
		return kerr_set(e, KR_CONFIG, field, "expected a platform "
		    "kontor imports (shopify, woocommerce or canonical), got "
		    "\"%s\"", s->platform);
	}
	return KR_OK;
}

/*
 * Shopify's single-order responses wrap the order as {"order": {...}};
 * returns the order and its path.
 */
static const struct jnode *
import_unwrap(const struct jnode *elem, const char **ctx)
{
	const struct jnode *inner = jget(elem, "order");

	if (elem != NULL && elem->type == J_OBJECT && elem->n == 1 &&
	    inner != NULL && inner->type == J_OBJECT) {
		*ctx = "order";
		return inner;
	}
	*ctx = "";
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

/* Things that look like an order but are not one kontor imports. */
static int
detect_refused(const struct jnode *elem, struct kerr *e)
{
	const char *type = jstr(jget(elem, "type"));

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
	    "not an order kontor knows: expected a Shopify or WooCommerce "
	    "order, a WooCommerce refund or a kontor order record");
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
	else
		return detect_refused(obj, e);
	return KR_OK;
}

/* A canonical record: its major version must be one we know. */
static int
import_canonical(const struct jnode *elem, const char *shop,
    struct order *o, struct kerr *e)
{
	const char *v = NULL;
	int rc;

	rc = jf_str(elem, "v", JF_REQUIRED, &v, "", e);
	if (rc != KR_OK)
		return rc;
	if (strncmp(v, "1.", 2) != 0)
		return kerr_set(e, KR_BAD_INPUT, "v",
		    "expected an order record of version 1.x, got \"%.20s\"",
		    v);
	rc = order_read(o, elem, e);
	if (rc != KR_OK)
		return rc;
	if (shop != NULL)
		o->shop = shop;
	return order_check(o, e);
}

int
import_order(enum platform p, const struct jnode *elem, const char *shop,
    struct order *o, struct kerr *e)
{
	const struct jnode *obj;
	const char *ctx;
	int rc;

	if (elem == NULL || elem->type != J_OBJECT)
		return kerr_set(e, KR_BAD_INPUT, "",
		    "expected a JSON object holding an order, got %s",
		    jtype_name(elem));
	if (p == PLATFORM_CANONICAL)
		return import_canonical(elem, shop, o, e);

	order_reset(o);
	o->platform = platform_name(p);
	o->shop = shop != NULL ? shop : o->platform;
	obj = import_unwrap(elem, &ctx);
	if (p == PLATFORM_SHOPIFY)
		rc = shopify_order_map(obj, ctx, o, e);
	else if (p == PLATFORM_WOOCOMMERCE)
		rc = woo_order_map(obj, ctx, o, e);
	else
		rc = kerr_set(e, KR_BAD_INPUT, "",
		    "no importer for platform \"%s\"", platform_name(p));
	if (rc != KR_OK)
		return rc;
	return order_check(o, e);
}

static int
refund_not_here(enum platform p, struct kerr *e)
{
	return kerr_set(e, KR_BAD_INPUT, "",
	    "%s sends no refunds of their own; its refunds come inside "
	    "the order", platform_name(p));
}

int
import_refund_order_id(enum platform p, const struct jnode *elem,
    char order_id[IMPORT_ID_MAX], struct kerr *e)
{
	if (p != PLATFORM_WOOCOMMERCE)
		return refund_not_here(p, e);
	return woo_refund_order_id(elem, "", order_id, e);
}

static struct refund *
refund_slot(struct order *o, const char *id)
{
	size_t i;

	for (i = 0; i < o->nrefunds; i++)
		if (o->refunds[i].id != NULL &&
		    strcmp(o->refunds[i].id, id) == 0)
			return &o->refunds[i];
	return order_add_refund(o);
}

int
import_refund(enum platform p, const struct jnode *elem, struct order *o,
    struct refund **out, char order_id[IMPORT_ID_MAX], struct kerr *e)
{
	struct refund r, *slot;
	int rc;

	if (p != PLATFORM_WOOCOMMERCE)
		return refund_not_here(p, e);
	memset(&r, 0, sizeof(r));
	rc = woo_refund_map(elem, "", o, &r, order_id, e);
	if (rc != KR_OK)
		return rc;
	slot = refund_slot(o, r.id);
	*slot = r;
	*out = slot;
	return KR_OK;
}

void
import_locate(struct kerr *e, const char *file, const char *path)
{
	char field[KERR_FIELD_MAX];
	int n;

	if (path != NULL && path[0] != '\0') {
		if (e->field[0] == '\0')
			n = snprintf(field, sizeof(field), "%s", path);
		else
			n = snprintf(field, sizeof(field), "%s%s%s", path,
			    e->field[0] == '[' ? "" : ".", e->field);
		if (n < 0)
			field[0] = '\0';
		memcpy(e->field, field, sizeof(field));
	}
	kerr_where(e, file, e->line);
}

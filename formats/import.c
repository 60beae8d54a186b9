#include <stdio.h>
#include <string.h>

#include "import.h"
#include "jfield.h"
#include "record.h"

const char *const import_envelope_keys[] = {
	"orders", "orders.elements", "data", NULL
};

const char *const import_platforms[] = {
	"shopify", "woocommerce", "amazon", "ebay", "shopware", "magento",
	"plain", NULL
};

static const char *const platform_names[] = {
	[PLATFORM_UNKNOWN] = "unknown",
	[PLATFORM_CANONICAL] = "canonical",
	[PLATFORM_SHOPIFY] = "shopify",
	[PLATFORM_WOOCOMMERCE] = "woocommerce",
	[PLATFORM_AMAZON] = "amazon",
	[PLATFORM_EBAY] = "ebay",
	[PLATFORM_SHOPWARE] = "shopware",
	[PLATFORM_MAGENTO] = "magento",
	[PLATFORM_PLAIN] = "plain"
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
		    "kontor imports (shopify, woocommerce, amazon, ebay, "
		    "shopware, magento, plain or canonical), got \"%s\"",
		    s->platform);
	}
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
	else if (p == PLATFORM_AMAZON)
		rc = amazon_order_map(obj, ctx, o, e);
	else if (p == PLATFORM_EBAY)
		rc = ebay_order_map(obj, ctx, o, e);
	else if (p == PLATFORM_SHOPWARE)
		rc = shopware_order_map(obj, ctx, o, e);
	else if (p == PLATFORM_MAGENTO)
		rc = magento_order_map(obj, ctx, o, e);
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

/* The first byte of CSV: none that JSON may begin with. */
static int
csv_first(int c)
{
	return c != '{' && c != '[' && c != ' ' && c != '\t' && c != '\r' &&
	    c != '\n';
}

int
import_is_csv(FILE *fp)
{
	int c = getc(fp);

	if (c == EOF)
		return 0;
	ungetc(c, fp);
	return csv_first(c);
}

int
import_is_csv_text(const char *text, size_t n)
{
	return n > 0 && csv_first((unsigned char)text[0]);
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

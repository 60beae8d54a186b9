/*
 * WooCommerce order refunds (GET /orders/<id>/refunds/<refund id>).
 *
 * A refund is a document of its own: its amounts are negative, its
 * lines name the order line they refund in the meta_data entry
 * "_refunded_item_id", and only its _links.up names the order.  Like an
 * order's lines, a refund's lines are net; in a gross-priced order the
 * canonical amount is net plus tax.
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "import.h"
#include "jfield.h"
#include "mapping.h"
#include "utf8.h"

#define WR_PATH	KERR_FIELD_MAX

struct wr {
	struct order *o;
	struct refund *r;
	struct kerr *e;
};

/* Copies s into the order's arena: the refund outlives its payload. */
static const char *
wr_copy(struct wr *w, const char *s)
{
	return order_strdup(w->o, s);
}

/* The id after the last "/orders/" of href, without a trailing "/". */
static int
href_order_id(const char *href, char order_id[IMPORT_ID_MAX])
{
	const char *p = NULL, *q;
	size_t n;

	for (q = strstr(href, "/orders/"); q != NULL;
	    q = strstr(q + 1, "/orders/"))
		p = q + strlen("/orders/");
	if (p == NULL)
		return 0;
	n = strcspn(p, "/?#");
	if (n == 0 || n >= IMPORT_ID_MAX || (p[n] == '/' && p[n + 1] != '\0'))
		return 0;
	memcpy(order_id, p, n);
	order_id[n] = '\0';
	return mapping_id_valid(order_id);
}

int
woo_refund_order_id(const struct jnode *obj, const char *ctx,
    char order_id[IMPORT_ID_MAX], struct kerr *e)
{
	const struct jnode *up = jget(jget(obj, "_links"), "up");
	const char *href = NULL;
	char path[WR_PATH], hpath[WR_PATH];
	int rc;

	jf_path(path, sizeof(path), ctx, "_links.up");
	if (jis_null(jat(up, 0)))
		return kerr_set(e, KR_BAD_INPUT, path,
		    "missing, so the order the refund belongs to is unknown");
	jf_path_index(path, sizeof(path), ctx, "_links.up", 0);
	rc = jf_str(jat(up, 0), "href", JF_REQUIRED, &href, path, e);
	if (rc != KR_OK)
		return rc;
	if (href_order_id(href, order_id))
		return KR_OK;
	jf_path(hpath, sizeof(hpath), path, "href");
	return kerr_set(e, KR_BAD_INPUT, hpath,
	    "expected a link ending in /orders/<id> (an id like 4711: "
	    "digits without a leading zero), got \"%.*s\"",
	    utf8_prefix(href, 80), href);
}

/* The order line a refund line gives back, from its meta_data. */
static int
wr_line_id(struct wr *w, const struct jnode *n, struct refund_line *l,
    const char *ctx)
{
	const struct jnode *arr = jget(n, "meta_data"), *m;
	const char *id = NULL;
	char path[WR_PATH];
	size_t j = 0;
	int rc;

	for (m = jfirst(arr); m != NULL; m = jnext(arr, m), j++) {
		const char *key = jstr(jget(m, "key"));

		if (key == NULL || strcmp(key, "_refunded_item_id") != 0)
			continue;
		jf_path_index(path, sizeof(path), ctx, "meta_data", j);
		rc = mapping_id(m, "value", JF_REQUIRED, &id, path, w->e);
		if (rc != KR_OK)
			return rc;
		break;
	}
	jf_path(path, sizeof(path), ctx, "meta_data");
	if (id == NULL)
		return kerr_set(w->e, KR_BAD_INPUT, path,
		    "no \"_refunded_item_id\" entry, so the refunded order "
		    "line is unknown");
	l->line_id = wr_copy(w, id);
	return KR_OK;
}

/* The refunded line must be one of the order's, when they are known. */
static int
wr_line_known(struct wr *w, const struct refund_line *l, const char *ctx)
{
	char path[WR_PATH];
	size_t i;

	if (w->o->nlines == 0)
		return KR_OK;
	for (i = 0; i < w->o->nlines; i++)
		if (w->o->lines[i].id != NULL &&
		    strcmp(w->o->lines[i].id, l->line_id) == 0)
			return KR_OK;
	jf_path(path, sizeof(path), ctx, "meta_data");
	return kerr_set(w->e, KR_BAD_INPUT, path,
	    "refunds line %.30s, which order %s does not have", l->line_id,
	    w->o->order_id ? w->o->order_id : "?");
}

/*
 * -(net + tax) in a gross-priced order, -net in a net-priced one, and
 * -tax: refunds are written negative, canonical amounts are not.
 */
static int
wr_money(struct wr *w, const struct jnode *n, int64_t *amount,
    int64_t *tax, const char *ctx)
{
	int64_t net = 0;
	int rc;

	*tax = 0;
	if ((rc = jf_dec(n, "total", w->o->exponent, JF_REQUIRED, &net, ctx,
	    w->e)) != KR_OK ||
	    (rc = jf_dec_round(n, "total_tax", w->o->exponent, JF_OPTIONAL,
	    tax, ctx, w->e)) != KR_OK)
		return rc;
	if ((w->o->prices == PRICES_GROSS && dec_add(net, *tax, &net) !=
	    KR_OK) || dec_sub(0, net, amount) != KR_OK ||
	    dec_sub(0, *tax, tax) != KR_OK)
		return kerr_set(w->e, KR_OVERFLOW, ctx, "amounts too large");
	return KR_OK;
}

static int
wr_line(struct wr *w, const struct jnode *n, const char *ctx)
{
	struct refund_line *l = refund_add_line(w->o, w->r);
	char path[WR_PATH], b[DEC_BUFSZ];
	int64_t qty = 0;
	int rc;

	if ((rc = wr_line_id(w, n, l, ctx)) != KR_OK ||
	    (rc = wr_line_known(w, l, ctx)) != KR_OK ||
	    (rc = jf_dec(n, "quantity", QTY_SCALE, JF_REQUIRED, &qty, ctx,
	    w->e)) != KR_OK)
		return rc;
	if (qty > 0 || dec_sub(0, qty, &l->qty_e4) != KR_OK) {
		jf_path(path, sizeof(path), ctx, "quantity");
		return kerr_set(w->e, KR_BAD_INPUT, path,
		    "expected a quantity of 0 or below, got \"%s\"",
		    dec_format_trim(qty, QTY_SCALE, b));
	}
	return wr_money(w, n, &l->amount_minor, &l->tax_minor, ctx);
}

static int
wr_each(struct wr *w, const struct jnode *obj, const char *key,
    const char *ctx, int (*fn)(struct wr *, const struct jnode *,
    const char *))
{
	const struct jnode *arr, *n;
	char path[WR_PATH];
	size_t i = 0;
	int rc;

	rc = jf_array(obj, key, JF_OPTIONAL, &arr, ctx, w->e);
	for (n = jfirst(arr); rc == KR_OK && n != NULL; n = jnext(arr, n),
	    i++) {
		jf_path_index(path, sizeof(path), ctx, key, i);
		rc = fn(w, n, path);
	}
	return rc;
}

static int
wr_shipping(struct wr *w, const struct jnode *n, const char *ctx)
{
	int64_t amount, tax;
	int rc;

	rc = wr_money(w, n, &amount, &tax, ctx);
	if (rc == KR_OK && dec_add(w->r->shipping_minor, amount,
	    &w->r->shipping_minor) != KR_OK)
		rc = kerr_set(w->e, KR_OVERFLOW, ctx, "amounts too large");
	return rc;
}

static int
wr_head(struct wr *w, const struct jnode *obj, const char *ctx)
{
	const char *id = NULL, *reason = NULL;
	int rc;

	if ((rc = mapping_id(obj, "id", JF_REQUIRED, &id, ctx, w->e)) !=
	    KR_OK ||
	    (rc = mapping_time(w->o, obj, "date_created_gmt",
	    MAPPING_BARE_UTC, JF_OPTIONAL, &w->r->created_at, ctx, w->e)) !=
	    KR_OK ||
	    (rc = mapping_text(obj, "reason", &reason, ctx, w->e)) != KR_OK ||
	    (rc = jf_dec(obj, "amount", w->o->exponent, JF_REQUIRED,
	    &w->r->amount_minor, ctx, w->e)) != KR_OK)
		return rc;
	w->r->id = wr_copy(w, id);
	w->r->reason = reason != NULL ? wr_copy(w, reason) : NULL;
	return KR_OK;
}

/* A refund mapped onto an order must be one of that order's. */
static int
wr_order_match(struct wr *w, const char *order_id, const char *ctx)
{
	char path[WR_PATH];

	if (w->o->order_id == NULL || strcmp(w->o->order_id, order_id) == 0)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, "_links.up");
	return kerr_set(w->e, KR_BAD_INPUT, path,
	    "refund %s belongs to order %s, not to order %s", w->r->id,
	    order_id, w->o->order_id);
}

int
woo_refund_map(const struct jnode *obj, const char *ctx, struct order *o,
    struct refund *r, char order_id[IMPORT_ID_MAX], struct kerr *e)
{
	struct wr w;
	int rc;

	if (o->currency[0] == '\0')
		KBUG("a refund mapped onto an order without a currency");
	w.o = o;
	w.r = r;
	w.e = e;
	memset(r, 0, sizeof(*r));
	if ((rc = woo_refund_order_id(obj, ctx, order_id, e)) != KR_OK ||
	    (rc = wr_head(&w, obj, ctx)) != KR_OK ||
	    (rc = wr_order_match(&w, order_id, ctx)) != KR_OK ||
	    (rc = wr_each(&w, obj, "line_items", ctx, wr_line)) != KR_OK)
		return rc;
	return wr_each(&w, obj, "shipping_lines", ctx, wr_shipping);
}

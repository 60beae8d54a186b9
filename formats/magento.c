/*
 * Magento 2 / Adobe Commerce REST orders (GET /V1/orders/{id}) to
 * canonical orders.
 *
 * Magento sends JSON numbers; each amount is re-quantised to the cent
 * from its written digits.  Every amount has a base_ twin in the shop's
 * base currency; the invoice is in the order's currency
 * (order_currency_code), so only the plain amounts are read.  An order
 * does not say whether the catalog prices include tax: each item's
 * figures do (mg_item_basis), and all items must agree.  Bundles and
 * configurable products come twice, a parent and its children
 * (parent_item_id): whichever of them carries the money is imported,
 * the children of a bundle (they carry the rates), the parent of a
 * configurable product (its child is priced 0).
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "import.h"
#include "jfield.h"
#include "mapping.h"

#define MG_PATH		KERR_FIELD_MAX

struct mg {
	struct order *o;
	const struct jnode *root;
	const struct jnode *items;
	const char *ctx;
	struct kerr *e;
};

/* The money of one item in both bases. */
struct mg_item {
	int64_t price_e6, incl_e6, orig_e6;
	int64_t row, row_incl, tax, discount, hidden_tax;
	int has_orig;
};

static int
mg_amount(struct mg *m, const struct jnode *obj, const char *key,
    int required, int64_t *out, const char *ctx)
{
	return jf_dec_round(obj, key, m->o->exponent, required, out, ctx,
	    m->e);
}

static int
mg_item_money(struct mg *m, const struct jnode *it, struct mg_item *v,
    const char *ctx)
{
	int rc;

	memset(v, 0, sizeof(*v));
	v->has_orig = jf_has(it, "original_price");
	if ((rc = jf_dec_round(it, "price", PRICE_SCALE, JF_REQUIRED,
	    &v->price_e6, ctx, m->e)) != KR_OK ||
	    (rc = jf_dec_round(it, "price_incl_tax", PRICE_SCALE,
	    JF_REQUIRED, &v->incl_e6, ctx, m->e)) != KR_OK ||
	    (rc = jf_dec_round(it, "original_price", PRICE_SCALE,
	    JF_OPTIONAL, &v->orig_e6, ctx, m->e)) != KR_OK ||
	    (rc = mg_amount(m, it, "row_total", JF_REQUIRED, &v->row, ctx)) !=
	    KR_OK ||
	    (rc = mg_amount(m, it, "row_total_incl_tax", JF_REQUIRED,
	    &v->row_incl, ctx)) != KR_OK ||
	    (rc = mg_amount(m, it, "tax_amount", JF_OPTIONAL, &v->tax, ctx)) !=
	    KR_OK ||
	    (rc = mg_amount(m, it, "discount_amount", JF_OPTIONAL,
	    &v->discount, ctx)) != KR_OK)
		return rc;
	return mg_amount(m, it, "discount_tax_compensation_amount",
	    JF_OPTIONAL, &v->hidden_tax, ctx);
}

/*
 * What an item says of the shop's prices: 1 gross (catalog prices
 * include tax), -1 net, 0 nothing (untaxed, or figures that fit both).
 * The catalog price (original_price) is the price incl. tax or the one
 * without it; else the row that is quantity times its unit price
 * exactly is the one the shop started from.
 */
static int
mg_item_basis(struct mg *m, const struct jnode *it, const struct mg_item *v)
{
	int64_t qty = 0, gross, net;
	int exp = m->o->exponent;

	if (v->price_e6 == v->incl_e6)
		return 0;
	if (v->has_orig && v->orig_e6 == v->incl_e6)
		return 1;
	if (v->has_orig && v->orig_e6 == v->price_e6)
		return -1;
	if (jf_dec(it, "qty_ordered", QTY_SCALE, JF_REQUIRED, &qty, "",
	    NULL) != KR_OK ||
	    mapping_line_amount(qty, v->incl_e6, exp, &gross) != KR_OK ||
	    mapping_line_amount(qty, v->price_e6, exp, &net) != KR_OK)
		return 0;
	if (gross == v->row_incl && net != v->row)
		return 1;
	if (net == v->row && gross != v->row_incl)
		return -1;
	return 0;
}

static int
mg_basis(struct mg *m)
{
	const struct jnode *it;
	struct mg_item v;
	char path[MG_PATH];
	int basis = 0, b, taxed = 0, rc;
	size_t i = 0;

	for (it = jfirst(m->items); it != NULL; it = jnext(m->items, it),
	    i++) {
		jf_path_index(path, sizeof(path), m->ctx, "items", i);
		if ((rc = mg_item_money(m, it, &v, path)) != KR_OK)
			return rc;
		taxed |= v.tax != 0;
		b = mg_item_basis(m, it, &v);
		if (b != 0 && basis != 0 && b != basis)
			return kerr_set(m->e, KR_BAD_INPUT, path, "the items "
			    "disagree whether the shop's catalog prices "
			    "include tax");
		if (b != 0)
			basis = b;
	}
	jf_path(path, sizeof(path), m->ctx, "items");
	if (basis == 0 && taxed)
		return kerr_set(m->e, KR_BAD_INPUT, path, "the items do not "
		    "tell whether the shop's catalog prices include tax");
	m->o->prices = basis > 0 ? PRICES_GROSS : PRICES_NET;
	return KR_OK;
}

static int
mg_head(struct mg *m)
{
	struct order *o = m->o;
	const char *cur = NULL;
	char path[MG_PATH];
	int rc;

	if ((rc = mapping_id(m->root, "entity_id", JF_REQUIRED, &o->order_id,
	    m->ctx, m->e)) != KR_OK ||
	    (rc = mapping_text(m->root, "increment_id", &o->order_number,
	    m->ctx, m->e)) != KR_OK ||
	    (rc = mapping_time(o, m->root, "created_at", MAPPING_BARE_UTC,
	    JF_REQUIRED, &o->created_at, m->ctx, m->e)) != KR_OK ||
	    (rc = jf_str(m->root, "order_currency_code", JF_REQUIRED, &cur,
	    m->ctx, m->e)) != KR_OK ||
	    (rc = jf_array(m->root, "items", JF_REQUIRED, &m->items, m->ctx,
	    m->e)) != KR_OK)
		return rc;
	if (o->order_number == NULL)
		o->order_number = o->order_id;
	jf_path(path, sizeof(path), m->ctx, "order_currency_code");
	if ((rc = order_set_currency(o, cur, path, m->e)) != KR_OK)
		return rc;
	return mg_basis(m);
}

/* 1 when the order is invoiced in full. */
static int
mg_invoiced(struct mg *m, int *done)
{
	int64_t total = 0, invoiced = 0, paid = 0;
	int rc;

	if ((rc = mg_amount(m, m->root, "grand_total", JF_REQUIRED, &total,
	    m->ctx)) != KR_OK ||
	    (rc = mg_amount(m, m->root, "total_invoiced", JF_OPTIONAL,
	    &invoiced, m->ctx)) != KR_OK ||
	    (rc = mg_amount(m, m->root, "total_paid", JF_OPTIONAL, &paid,
	    m->ctx)) != KR_OK)
		return rc;
	*done = invoiced >= total || paid >= total;
	return KR_OK;
}

/*
 * Magento's state: processing, complete, or closed (refunded after it
 * was invoiced) with the whole grand total invoiced is ready; canceled
 * is cancelled; new, pending_payment, holded and payment_review wait,
 * as does an order not invoiced in full.
 */
static int
mg_status(struct mg *m)
{
	static const char *const waiting[] = {
		"new", "pending", "pending_payment", "holded",
		"payment_review", NULL
	};
	struct order *o = m->o;
	const char *st = NULL, *key = "state";
	char path[MG_PATH];
	int invoiced = 0, rc;
	size_t i;

	if (jstr(jget(m->root, key)) == NULL)
		key = "status";
	if ((rc = jf_str(m->root, key, JF_REQUIRED, &st, m->ctx, m->e)) !=
	    KR_OK ||
	    (rc = mg_invoiced(m, &invoiced)) != KR_OK)
		return rc;
	o->status_reason = mapping_reason(o, key, st);
	o->status = ORDER_PENDING;
	if (strcmp(st, "canceled") == 0) {
		o->status = ORDER_CANCELLED;
		o->cancelled_at = o->created_at;
		return mapping_time(o, m->root, "updated_at", MAPPING_BARE_UTC,
		    JF_OPTIONAL, &o->cancelled_at, m->ctx, m->e);
	}
	if (strcmp(st, "processing") == 0 || strcmp(st, "complete") == 0 ||
	    strcmp(st, "closed") == 0) {
		if (invoiced)
			o->status = ORDER_READY;
		else
			o->status_reason = mapping_reason(o, st,
			    "not invoiced in full");
		return KR_OK;
	}
	for (i = 0; waiting[i] != NULL; i++)
		if (strcmp(st, waiting[i]) == 0)
			return KR_OK;
	jf_path(path, sizeof(path), m->ctx, key);
	return kerr_set(m->e, KR_BAD_INPUT, path,
	    "unknown order state \"%.30s\"", st);
}

static const struct mapping_addr_keys mg_addr_keys = {
	"firstname", "lastname", NULL, "company", "street", NULL, "postcode",
	"city", "region", "country_id"
};

/* The ship-to address of the (first) shipping assignment. */
static int
mg_ship_to(struct mg *m)
{
	const struct jnode *sa = jget(jget(m->root, "extension_attributes"),
	    "shipping_assignments"), *a;
	char path[MG_PATH], sub[MG_PATH];
	size_t i = 0;
	int rc;

	for (a = jfirst(sa); a != NULL; a = jnext(sa, a), i++) {
		const char *c = jstr(jget(jget(jget(a, "shipping"),
		    "address"), "country_id"));

		jf_path_index(path, sizeof(path), m->ctx,
		    "extension_attributes.shipping_assignments", i);
		if (i == 0) {
			jf_path(sub, sizeof(sub), path, "shipping.address");
			rc = mapping_address(m->o, jget(jget(a, "shipping"),
			    "address"), &mg_addr_keys, &m->o->shipping_addr,
			    sub, m->e);
			if (rc != KR_OK)
				return rc;
		} else if (c != NULL &&
		    strcmp(c, m->o->shipping_addr.country) != 0)
			return kerr_set(m->e, KR_BAD_INPUT, path, "the order "
			    "ships to %s and to %.3s; such an order is not "
			    "supported", m->o->shipping_addr.country, c);
	}
	return KR_OK;
}

static int
mg_buyer(struct mg *m)
{
	struct order *o = m->o;
	const struct jnode *ba = jget(m->root, "billing_address");
	char path[MG_PATH];
	int rc;

	jf_path(path, sizeof(path), m->ctx, "billing_address");
	if ((rc = mapping_text(m->root, "customer_email", &o->buyer_email,
	    m->ctx, m->e)) != KR_OK ||
	    (rc = mapping_text(m->root, "customer_id", &o->customer_id,
	    m->ctx, m->e)) != KR_OK ||
	    (rc = mapping_text(m->root, "customer_taxvat", &o->buyer_vat_id,
	    m->ctx, m->e)) != KR_OK ||
	    (o->buyer_vat_id == NULL && (rc = mapping_text(ba, "vat_id",
	    &o->buyer_vat_id, path, m->e)) != KR_OK) ||
	    (ba != NULL && (rc = mapping_address(o, ba, &mg_addr_keys,
	    &o->billing, path, m->e)) != KR_OK))
		return rc;
	return mg_ship_to(m);
}

/*
 * A line from an item.  Gross prices: the row incl. tax, and what the
 * buyer paid for it is Magento's row total plus its tax and the tax
 * hidden in the discount, less the discount; net prices: the row and
 * its discount.
 */
static int
mg_line(struct mg *m, const struct jnode *it, const char *ctx)
{
	struct order *o = m->o;
	struct order_line *l = order_add_line(o);
	struct mg_item v;
	int64_t paid, canceled = 0;
	int rc;

	if ((rc = mapping_id(it, "item_id", JF_REQUIRED, &l->id, ctx,
	    m->e)) != KR_OK ||
	    (rc = mapping_text(it, "sku", &l->sku, ctx, m->e)) != KR_OK ||
	    (rc = jf_str(it, "name", JF_REQUIRED, &l->name, ctx, m->e)) !=
	    KR_OK ||
	    (rc = mapping_qty(it, "qty_ordered", &l->qty_e4, ctx, m->e)) !=
	    KR_OK ||
	    (rc = mg_item_money(m, it, &v, ctx)) != KR_OK ||
	    (rc = jf_dec_round(it, "tax_percent", RATE_SCALE, JF_REQUIRED,
	    &l->rate_bp, ctx, m->e)) != KR_OK)
		return rc;
	if ((rc = jf_dec_round(it, "qty_canceled", QTY_SCALE, JF_OPTIONAL,
	    &canceled, ctx, m->e)) != KR_OK)
		return rc;
	if (canceled > 0 && o->status == ORDER_READY)
		return kerr_set(m->e, KR_BAD_INPUT, ctx, "part of the item "
		    "was cancelled (qty_canceled); such an order is not "
		    "supported");
	l->tax_minor = v.tax;
	l->has_tax = 1;
	if (o->prices == PRICES_GROSS) {
		l->unit_price_e6 = v.incl_e6;
		l->amount_minor = v.row_incl;
		paid = v.row + v.tax + v.hidden_tax - v.discount;
		l->discount_minor = v.row_incl - paid;
	} else {
		l->unit_price_e6 = v.price_e6;
		l->amount_minor = v.row;
		l->discount_minor = v.discount;
	}
	if (l->rate_bp == 0 && v.tax != 0)
		return kerr_set(m->e, KR_BAD_INPUT, ctx, "the item is taxed "
		    "but its tax_percent is 0, so its VAT rate is unknown");
	l->discount_reason = l->discount_minor > 0 ?
	    jstr(jget(m->root, "coupon_code")) : NULL;
	return mapping_check_line(o, l, ctx, m->e);
}

/* The row total in the order's price basis. */
static int64_t
mg_row(const struct mg *m, const struct mg_item *v)
{
	return m->o->prices == PRICES_GROSS ? v->row_incl : v->row;
}

/*
 * A parent whose children carry money gives way to them: the bundle's
 * children are the lines, and must add up to the parent.
 */
static int
mg_family(struct mg *m, const struct jnode *parent, const char *id,
    const char *ctx, int *children_carry)
{
	struct mg_item pv, cv;
	const struct jnode *c;
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int64_t sum = 0;
	int rc;

	*children_carry = 0;
	if ((rc = mg_item_money(m, parent, &pv, ctx)) != KR_OK)
		return rc;
	for (c = jfirst(m->items); c != NULL; c = jnext(m->items, c)) {
		const char *pid = jtext(jget(c, "parent_item_id"));

		if (pid == NULL || strcmp(pid, id) != 0)
			continue;
		if ((rc = mg_item_money(m, c, &cv, ctx)) != KR_OK)
			return rc;
		sum += mg_row(m, &cv);
	}
	if (sum == 0)
		return KR_OK;
	*children_carry = 1;
	if (sum == mg_row(m, &pv))
		return KR_OK;
	return kerr_set(m->e, KR_BAD_INPUT, ctx, "the item's children add "
	    "up to %s, but the item says %s", dec_format(sum, m->o->exponent,
	    b1), dec_format(mg_row(m, &pv), m->o->exponent, b2));
}

/* The item with id among the items, or NULL. */
static const struct jnode *
mg_item_by_id(const struct mg *m, const char *id)
{
	const struct jnode *it;

	for (it = jfirst(m->items); it != NULL; it = jnext(m->items, it))
		if (jtext(jget(it, "item_id")) != NULL &&
		    strcmp(jtext(jget(it, "item_id")), id) == 0)
			return it;
	return NULL;
}

static int
mg_item(void *arg, const struct jnode *it, size_t i, const char *ctx)
{
	struct mg *m = arg;
	const char *pid = jtext(jget(it, "parent_item_id"));
	const char *id = jtext(jget(it, "item_id"));
	const struct jnode *parent;
	char path[MG_PATH];
	int carry, rc;

	(void)i;
	if (pid == NULL) {
		if (id == NULL)
			return mg_line(m, it, ctx);
		rc = mg_family(m, it, id, ctx, &carry);
		return rc != KR_OK || carry ? rc : mg_line(m, it, ctx);
	}
	jf_path(path, sizeof(path), ctx, "parent_item_id");
	parent = mg_item_by_id(m, pid);
	if (parent == NULL)
		return kerr_set(m->e, KR_BAD_INPUT, path,
		    "there is no item %.20s", pid);
	if ((rc = mg_family(m, parent, pid, ctx, &carry)) != KR_OK)
		return rc;
	return carry ? mg_line(m, it, ctx) : KR_OK;
}

/* The rate Magento applied to the shipping, where it lists it. */
static int
mg_shipping_rate(struct mg *m, int64_t *rate_bp)
{
	const struct jnode *arr = jget(jget(m->root, "extension_attributes"),
	    "item_applied_taxes"), *t;
	char path[MG_PATH], sub[MG_PATH];
	size_t i = 0;

	for (t = jfirst(arr); t != NULL; t = jnext(arr, t), i++) {
		const char *type = jstr(jget(t, "type"));
		const struct jnode *at = jget(t, "applied_taxes");

		if (type == NULL || strcmp(type, "shipping") != 0 ||
		    jlen(at) != 1)
			continue;
		jf_path_index(path, sizeof(path), m->ctx,
		    "extension_attributes.item_applied_taxes", i);
		jf_path_index(sub, sizeof(sub), path, "applied_taxes", 0);
		return jf_dec_round(jat(at, 0), "percent", RATE_SCALE,
		    JF_REQUIRED, rate_bp, sub, m->e);
	}
	return KR_OK;
}

static int
mg_shipping(struct mg *m)
{
	struct order *o = m->o;
	struct order_shipping *s;
	int64_t net = 0, incl = 0, tax = 0, off = 0, hidden = 0, rate;
	int rc;

	if ((rc = mg_amount(m, m->root, "shipping_amount", JF_OPTIONAL, &net,
	    m->ctx)) != KR_OK ||
	    (rc = mg_amount(m, m->root, "shipping_incl_tax", JF_OPTIONAL,
	    &incl, m->ctx)) != KR_OK ||
	    (rc = mg_amount(m, m->root, "shipping_tax_amount", JF_OPTIONAL,
	    &tax, m->ctx)) != KR_OK ||
	    (rc = mg_amount(m, m->root, "shipping_discount_amount",
	    JF_OPTIONAL, &off, m->ctx)) != KR_OK ||
	    (rc = mg_amount(m, m->root,
	    "shipping_discount_tax_compensation_amount", JF_OPTIONAL, &hidden,
	    m->ctx)) != KR_OK)
		return rc;
	if (net == 0 && incl == 0)
		return KR_OK;
	s = order_add_shipping(o);
	s->name = jstr(jget(m->root, "shipping_description"));
	s->tax_minor = tax;
	s->has_tax = 1;
	if (o->prices == PRICES_GROSS) {
		s->amount_minor = incl;
		s->discount_minor = incl - (net + tax + hidden - off);
	} else {
		s->amount_minor = net;
		s->discount_minor = off;
	}
	if ((rc = mg_shipping_rate(m, &s->rate_bp)) != KR_OK ||
	    s->rate_bp >= 0)
		return rc;
	/* Without applied taxes the rate is derived, where the ship-to
	 * country's rates are known; else it stays unknown. */
	if (mapping_snap_rate(o->shipping_addr.country, net, tax, 0,
	    o->exponent, &rate, "", NULL) == KR_OK)
		s->rate_bp = rate;
	return KR_OK;
}

/* One allocated discount: the lines' and the shipping's, added up. */
static void
mg_discount(struct mg *m)
{
	struct order *o = m->o;
	struct order_discount *d;
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < o->nlines; i++)
		sum += o->lines[i].discount_minor;
	for (i = 0; i < o->nshipping; i++)
		sum += o->shipping[i].discount_minor;
	if (sum == 0)
		return;
	d = order_add_discount(o);
	d->code = jstr(jget(m->root, "coupon_code"));
	if (d->code == NULL)
		d->code = jstr(jget(m->root, "discount_description"));
	d->amount_minor = sum;
	d->allocated = 1;
}

static int
mg_totals(struct mg *m)
{
	struct order *o = m->o;
	const struct jnode *pay = jget(m->root, "payment");
	char path[MG_PATH];
	int rc;

	o->has_tax_total = 1;
	jf_path(path, sizeof(path), m->ctx, "payment");
	if ((rc = mg_amount(m, m->root, "grand_total", JF_REQUIRED,
	    &o->total_minor, m->ctx)) != KR_OK ||
	    (rc = mg_amount(m, m->root, "tax_amount", JF_REQUIRED,
	    &o->tax_total_minor, m->ctx)) != KR_OK ||
	    (rc = mapping_text(pay, "method", &o->pay_gateway, path, m->e)) !=
	    KR_OK ||
	    (rc = mapping_text(pay, "last_trans_id", &o->pay_transaction,
	    path, m->e)) != KR_OK)
		return rc;
	if (jstr(jat(jget(pay, "additional_information"), 0)) != NULL &&
	    jstr(jat(jget(pay, "additional_information"), 0))[0] != '\0')
		o->pay_method = jstr(jat(jget(pay, "additional_information"),
		    0));
	jf_path(path, sizeof(path), m->ctx, "grand_total");
	return mapping_check_totals(o, path, m->e);
}

int
magento_order_map(const struct jnode *obj, const char *ctx,
    struct order *o, struct kerr *e)
{
	struct mg m;
	int rc;

	memset(&m, 0, sizeof(m));
	m.o = o;
	m.root = obj;
	m.ctx = ctx;
	m.e = e;
	if ((rc = mg_head(&m)) != KR_OK ||
	    (rc = mg_status(&m)) != KR_OK ||
	    (rc = mg_buyer(&m)) != KR_OK ||
	    (rc = mapping_each(obj, "items", JF_REQUIRED, ctx, mg_item, &m,
	    e)) != KR_OK ||
	    (rc = mg_shipping(&m)) != KR_OK)
		return rc;
	mg_discount(&m);
	return mg_totals(&m);
}

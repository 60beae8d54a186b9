/*
 * spoolgen: fills a tenant's spool with generated order files for the
 * benchmarks.
 *
 *	spoolgen [-s SEED] [-f FIRST_ID] [-c RATE] -n COUNT -t TENANT FIXTURES
 *
 * FIXTURES is the sample tenant's spool folder.  Each generated file is
 * one of its Shopify or WooCommerce payloads with an id of its own and,
 * for most orders, lines, quantities, destination and totals of its own,
 * so that files have the size and shape of real orders.  The mix of a
 * German seller's night, drawn from SEED (the same seed gives the same
 * files):
 *
 *	5 %	a partial refund (Shopify, as the sample has it)
 *	10 %	EU consumers in FR, NL or AT, at the destination's rates
 *		(the sample tenant is registered for the One-Stop-Shop)
 *	3 %	businesses in AT or FR with a valid VAT id, without VAT
 *	2 %	exports to Switzerland, without VAT; with -c, half of
 *		them (1 % of all orders) presented in Swiss francs
 *	80 %	domestic: Shopify and WooCommerce, gross and net prices,
 *		with and without coupons, with and without shipping
 *
 * and 1 to 30 lines an order.  Every order is paid, so every one is
 * invoiced.  Files are named <sequence>-<id>.json, so the spool reads
 * them in the order made.
 *
 * -c RATE makes the orders in francs, at RATE CHF per EUR (e.g. 0.9390):
 * as Shopify writes an order presented in another currency than the
 * shop's, presentment_currency is CHF, the plain amounts stay in EUR, and
 * every *_set twin holds the EUR amount as shop_money and the francs as
 * presentment_money.  A unit price in francs is the euro price at RATE,
 * rounded to the cent half away from zero; line amounts, shipping, VAT
 * and totals are then summed in each currency on its own, so both add up.
 * Without -c every order is in EUR; with it, the same seed makes the
 * same files but for the orders in francs.  Their tenant needs a rates
 * file (docs/config.md, [tax] fx_rates) with the same CHF rate for the
 * orders' month, October 2026, as bench/run writes.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "dec.h"
#include "json.h"

enum tpl {
	T_SHOPIFY, T_SHOPIFY_CODE, T_SHOPIFY_REFUND,
	T_WOO_GROSS, T_WOO_NET, T_WOO_COUPON, T_WOO_ONE, T_COUNT
};

static const struct {
	const char *shop, *file;
} tpl_file[T_COUNT] = {
	{"shop-de", "shop-de/order_1041_gross_mixed_shipping.json"},
	{"shop-de", "shop-de/order_1042_discount_code_mixed.json"},
	{"shop-de", "shop-de/order_1043_partial_refund.json"},
	{"woo-outlet", "woo-outlet/order_4711_prices_incl_tax_mixed.json"},
	{"woo-outlet", "woo-outlet/order_4712_prices_excl_tax_shipping.json"},
	{"woo-outlet", "woo-outlet/order_4713_coupon_percent.json"},
	{"woo-outlet", "woo-outlet/order_4716_three_times_9_99.json"},
};

/* Where an order goes, and at which rates (hundredths of a percent). */
struct dest {
	const char *country, *name, *zip, *city, *vat_id;
	int rate_std_bp, rate_red_bp;	/* 0: no VAT charged */
};

static const struct dest de = {"DE", "Germany", "10437", "Berlin", NULL,
    1900, 700};
static const struct dest eu[] = {
	{"FR", "France", "75011", "Paris", NULL, 2000, 550},
	{"NL", "Netherlands", "1012 AB", "Amsterdam", NULL, 2100, 900},
	{"AT", "Austria", "1010", "Wien", NULL, 2000, 1000},
};
static const struct dest b2b[] = {
	{"AT", "Austria", "6183", "K\xc3\xbchtai", "ATU48173621", 0, 0},
	{"FR", "France", "75008", "Paris", "FR40303265045", 0, 0},
};
static const struct dest ch = {"CH", "Switzerland", "8001",
    "Z\xc3\xbcrich", NULL, 0, 0};

/* One order to make. */
struct spec {
	enum tpl tpl;
	const struct dest *to;
	long id;
	int nlines;
	uint64_t rng;		/* for the quantities */
	int64_t fx;		/* CHF per EUR in millionths; 0: in EUR */
};

struct tmpl {
	struct jdoc doc;
	const struct jnode *order;	/* the order object */
};

/*
 * The totals of a generated order, in cents: a Shopify order has two,
 * in the shop's currency and in the presentment currency.
 */
struct sums {
	int64_t lines, tax, ship;
	int64_t tax_by_rate[2];		/* standard, reduced */
};

static uint64_t
rng_next(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
die(const char *what, const char *why)
{
	fprintf(stderr, "spoolgen: %s: %s\n", what, why);
	exit(1);
}

/* Writes the JSON number text as it stands (jw_node of a number). */
static void
put_number(struct jw *w, const char *text)
{
	struct jnode n;

	memset(&n, 0, sizeof(n));
	n.type = J_NUMBER;
	n.n = (uint32_t)strlen(text);
	n.u.str = text;
	jw_node(w, &n);
}

static int64_t
cents_of(const struct jnode *n)
{
	int64_t v;

	if (n == NULL || dec_parse(jtext(n), strlen(jtext(n)), 2, &v) !=
	    KR_OK)
		die("template", "expected an amount");
	return v;
}

/* Euro cents in the order's presentment currency, half away from 0. */
static int64_t
pres_of(const struct spec *sp, int64_t cents)
{
	int64_t p = cents * sp->fx;

	if (sp->fx == 0)
		return cents;
	return (p >= 0 ? p + 500000 : p - 500000) / 1000000;
}

/* The VAT in gross cents at rate_bp, rounded half away from zero. */
static int64_t
vat_in_gross(int64_t gross, int rate_bp)
{
	int64_t d = 10000 + rate_bp;

	return (2 * gross * rate_bp + d) / (2 * d);
}

/* The destination's rate for a line the template taxes at rate. */
static int
dest_rate(const struct dest *to, const struct jnode *rate)
{
	int64_t bp;

	if (dec_parse(jtext(rate), strlen(jtext(rate)), 4, &bp) != KR_OK)
		die("template", "expected a tax rate");
	return bp >= 1900 ? to->rate_std_bp : to->rate_red_bp;
}

static void
load(struct tmpl *t, const char *dir, const char *file)
{
	char path[4096], chunk[65536];
	struct kerr e;
	struct buf b;
	size_t n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	fp = fopen(path, "r");
	if (fp == NULL)
		die(path, strerror(errno));
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	jdoc_init(&t->doc);
	kerr_clear(&e);
	if (jdoc_parse(&t->doc, b.data, b.len, &e) != KR_OK)
		die(path, e.msg);
	t->order = jget(t->doc.root, "order");
	if (t->order == NULL)
		t->order = t->doc.root;
	buf_release(&b);
}

/* "0.055" for 550: a rate as Shopify writes it, a JSON number. */
static void
put_rate(struct jw *w, int bp)
{
	char s[16];
	size_t n;

	n = (size_t)snprintf(s, sizeof(s), "%d.%04d", bp / 10000, bp % 10000);
	while (s[n - 1] == '0' && s[n - 2] != '.')
		s[--n] = '\0';
	put_number(w, s);
}

static void
put_id(struct jw *w, long id)
{
	char s[32];

	snprintf(s, sizeof(s), "%ld", id);
	put_number(w, s);
}

/* A *_set twin: shop cents in EUR, pres in the order's currency. */
static void
put_money_set(struct jw *w, const struct spec *sp, int64_t shop,
    int64_t pres)
{
	jw_obj(w);
	jw_key(w, "shop_money");
	jw_obj(w);
	jw_kv_dec(w, "amount", shop, 2);
	jw_kv_str(w, "currency_code", "EUR");
	jw_obj_end(w);
	jw_key(w, "presentment_money");
	jw_obj(w);
	jw_kv_dec(w, "amount", pres, 2);
	jw_kv_str(w, "currency_code", sp->fx == 0 ? "EUR" : "CHF");
	jw_obj_end(w);
	jw_obj_end(w);
}

static int
is_set_key(const char *key)
{
	size_t n = strlen(key);

	return n > 4 && strcmp(key + n - 4, "_set") == 0;
}

/*
 * Copies template node n; in an order in francs, every *_set twin in it
 * is written anew from its shop_money, with the francs at the rate.
 */
static void
put_node(struct jw *w, const struct jnode *n, const struct spec *sp)
{
	const struct jnode *c;
	int64_t shop;

	if (sp->fx == 0 || (n->type != J_ARRAY && n->type != J_OBJECT)) {
		jw_node(w, n);
	} else if (n->key != NULL && is_set_key(n->key) &&
	    n->type == J_OBJECT) {
		shop = cents_of(jget(jget(n, "shop_money"), "amount"));
		put_money_set(w, sp, shop, pres_of(sp, shop));
	} else if (n->type == J_ARRAY) {
		jw_arr(w);
		for (c = jfirst(n); c != NULL; c = jnext(n, c))
			put_node(w, c, sp);
		jw_arr_end(w);
	} else {
		jw_obj(w);
		for (c = jfirst(n); c != NULL; c = jnext(n, c)) {
			jw_key(w, c->key);
			put_node(w, c, sp);
		}
		jw_obj_end(w);
	}
}

/* An address of the template moved to the order's destination. */
static void
put_address(struct jw *w, const struct jnode *a, const struct dest *to)
{
	const struct jnode *c;

	jw_obj(w);
	for (c = jfirst(a); c != NULL; c = jnext(a, c)) {
		jw_key(w, c->key);
		if (strcmp(c->key, "country_code") == 0)
			jw_str(w, to->country);
		else if (strcmp(c->key, "country") == 0)
			jw_str(w, to->name);
		else if (strcmp(c->key, "zip") == 0)
			jw_str(w, to->zip);
		else if (strcmp(c->key, "city") == 0)
			jw_str(w, to->city);
		else if (strcmp(c->key, "company") == 0 && to->vat_id != NULL)
			jw_str(w, "Hotel Alpenblick Gruber KG");
		else
			jw_node(w, c);
	}
	jw_obj_end(w);
}

/* Shopify */

/* The n-th line of the order: the template's lines in turn. */
static const struct jnode *
shopify_tline(const struct tmpl *t, int n)
{
	const struct jnode *lines = jget(t->order, "line_items");

	return jat(lines, (size_t)n % lines->n);
}

/* The VAT of gross cents taxed like template tax line tl, or 0. */
static int64_t
shopify_vat(const struct jnode *tl, const struct dest *to, int64_t gross,
    int *rate_bp)
{
	*rate_bp = tl == NULL ? 0 : dest_rate(to, jget(tl, "rate"));
	return *rate_bp == 0 ? 0 : vat_in_gross(gross, *rate_bp);
}

static void
shopify_count(struct sums *s, const struct dest *to, int rate_bp,
    int64_t vat)
{
	s->tax += vat;
	if (rate_bp > 0)
		s->tax_by_rate[rate_bp == to->rate_std_bp ? 0 : 1] += vat;
}

/*
 * Quantities and totals of the order, before anything is written: s[0]
 * in EUR, s[1] in the presentment currency (the same in an order in EUR).
 */
static void
shopify_sums(const struct tmpl *t, const struct spec *sp, int *qty,
    struct sums *s)
{
	const struct jnode *tl, *ship;
	uint64_t r = sp->rng;
	int64_t price, gross, vat;
	int i, k, rate;

	memset(s, 0, 2 * sizeof(*s));
	for (i = 0; i < sp->nlines; i++) {
		tl = shopify_tline(t, i);
		qty[i] = 1 + (int)(rng_next(&r) % 3);
		price = cents_of(jget(tl, "price"));
		for (k = 0; k < 2; k++) {
			gross = (k == 0 ? price : pres_of(sp, price)) * qty[i];
			vat = shopify_vat(jat(jget(tl, "tax_lines"), 0),
			    sp->to, gross, &rate);
			s[k].lines += gross;
			shopify_count(&s[k], sp->to, rate, vat);
		}
	}
	ship = jat(jget(t->order, "shipping_lines"), 0);
	if (ship == NULL)
		return;
	price = cents_of(jget(ship, "discounted_price"));
	for (k = 0; k < 2; k++) {
		s[k].ship = k == 0 ? price : pres_of(sp, price);
		vat = shopify_vat(jat(jget(ship, "tax_lines"), 0), sp->to,
		    s[k].ship, &rate);
		shopify_count(&s[k], sp->to, rate, vat);
	}
}

/*
 * tax_lines of a line or of shipping: the template's one, moved; gross
 * in EUR and in the presentment currency.
 */
static void
shopify_tax_lines(struct jw *w, const struct jnode *arr,
    const struct spec *sp, int64_t gross, int64_t gross_pres)
{
	const struct jnode *tl = jat(arr, 0), *c;
	int64_t vat, vat_pres;
	int rate;

	vat = shopify_vat(tl, sp->to, gross, &rate);
	vat_pres = shopify_vat(tl, sp->to, gross_pres, &rate);
	jw_arr(w);
	if (rate > 0) {
		jw_obj(w);
		for (c = jfirst(tl); c != NULL; c = jnext(tl, c)) {
			jw_key(w, c->key);
			if (strcmp(c->key, "price") == 0)
				jw_dec(w, vat, 2);
			else if (strcmp(c->key, "rate") == 0)
				put_rate(w, rate);
			else if (strcmp(c->key, "price_set") == 0)
				put_money_set(w, sp, vat, vat_pres);
			else
				jw_node(w, c);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
shopify_line(struct jw *w, const struct jnode *tl, const struct spec *sp,
    int i, int qty)
{
	int64_t price = cents_of(jget(tl, "price"));
	const struct jnode *c;

	jw_obj(w);
	for (c = jfirst(tl); c != NULL; c = jnext(tl, c)) {
		jw_key(w, c->key);
		if (strcmp(c->key, "id") == 0)
			put_id(w, sp->id * 100 + i);
		else if (strcmp(c->key, "quantity") == 0)
			put_id(w, qty);
		else if (strcmp(c->key, "taxable") == 0)
			jw_bool(w, sp->to->rate_std_bp > 0);
		else if (strcmp(c->key, "tax_lines") == 0)
			shopify_tax_lines(w, c, sp, price * qty,
			    pres_of(sp, price) * qty);
		else
			put_node(w, c, sp);
	}
	jw_obj_end(w);
}

static void
shopify_shipping(struct jw *w, const struct jnode *arr,
    const struct spec *sp, const struct sums *s)
{
	const struct jnode *sl, *c;

	jw_arr(w);
	for (sl = jfirst(arr); sl != NULL; sl = jnext(arr, sl)) {
		jw_obj(w);
		for (c = jfirst(sl); c != NULL; c = jnext(sl, c)) {
			jw_key(w, c->key);
			if (strcmp(c->key, "tax_lines") == 0)
				shopify_tax_lines(w, c, sp, s[0].ship,
				    s[1].ship);
			else
				put_node(w, c, sp);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* The order's tax_lines: one per rate charged. */
static void
shopify_order_taxes(struct jw *w, const struct spec *sp,
    const struct sums *s)
{
	int i, rate;

	jw_arr(w);
	for (i = 0; i < 2; i++) {
		rate = i == 0 ? sp->to->rate_std_bp : sp->to->rate_red_bp;
		if (rate == 0 || s[0].tax_by_rate[i] == 0)
			continue;
		jw_obj(w);
		jw_kv_dec(w, "price", s[0].tax_by_rate[i], 2);
		jw_key(w, "rate");
		put_rate(w, rate);
		jw_kv_str(w, "title", "MwSt.");
		jw_key(w, "price_set");
		put_money_set(w, sp, s[0].tax_by_rate[i], s[1].tax_by_rate[i]);
		jw_kv_bool(w, "channel_liable", 0);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

/* The amount a Shopify total key stands for, or -1 for other keys. */
static int64_t
shopify_total(const char *key, const struct sums *s)
{
	if (strncmp(key, "total_price", 11) == 0)
		return s->lines + s->ship;
	if (strncmp(key, "subtotal_price", 14) == 0 ||
	    strncmp(key, "total_line_items_price", 22) == 0)
		return s->lines;
	if (strncmp(key, "total_tax", 9) == 0)
		return s->tax;
	return -1;
}

/* Writes the member c of the order, made for sp; 0 when c is copied. */
static int
shopify_member(struct jw *w, const struct jnode *c, const struct tmpl *t,
    const struct spec *sp, const int *qty, const struct sums *s)
{
	int64_t amount = shopify_total(c->key, &s[0]);
	char name[32];
	int i;

	if (amount >= 0 && strcmp(c->key, "total_price_usd") != 0)
		is_set_key(c->key) ? put_money_set(w, sp, amount,
		    shopify_total(c->key, &s[1])) : jw_dec(w, amount, 2);
	else if (strcmp(c->key, "line_items") == 0) {
		jw_arr(w);
		for (i = 0; i < sp->nlines; i++)
			shopify_line(w, shopify_tline(t, i), sp, i, qty[i]);
		jw_arr_end(w);
	} else if (strcmp(c->key, "shipping_lines") == 0)
		shopify_shipping(w, c, sp, s);
	else if (strcmp(c->key, "tax_lines") == 0)
		shopify_order_taxes(w, sp, s);
	else if (strcmp(c->key, "billing_address") == 0 ||
	    strcmp(c->key, "shipping_address") == 0)
		put_address(w, c, sp->to);
	else if (strcmp(c->key, "note_attributes") == 0 &&
	    sp->to->vat_id != NULL) {
		jw_arr(w);
		jw_obj(w);
		jw_kv_str(w, "name", "vat_id");
		jw_kv_str(w, "value", sp->to->vat_id);
		jw_obj_end(w);
		jw_arr_end(w);
	} else if (strcmp(c->key, "name") == 0) {
		snprintf(name, sizeof(name), "#%ld", sp->id);
		jw_str(w, name);
	} else if (strcmp(c->key, "presentment_currency") == 0 &&
	    sp->fx != 0)
		jw_str(w, "CHF");
	else
		return 0;
	return 1;
}

static int
is_id_key(const char *k)
{
	return strcmp(k, "id") == 0 || strcmp(k, "number") == 0 ||
	    strcmp(k, "order_number") == 0;
}

static void
put_shopify(struct jw *w, const struct tmpl *t, const struct spec *sp)
{
	const struct jnode *c;
	struct sums s[2];
	int qty[30];

	shopify_sums(t, sp, qty, s);
	jw_obj(w);
	jw_key(w, "order");
	jw_obj(w);
	for (c = jfirst(t->order); c != NULL; c = jnext(t->order, c)) {
		jw_key(w, c->key);
		if (is_id_key(c->key))
			put_id(w, sp->id);
		else if (!shopify_member(w, c, t, sp, qty, s))
			put_node(w, c, sp);
	}
	jw_obj_end(w);
	jw_obj_end(w);
}

/* WooCommerce */

static const struct jnode *
woo_tline(const struct tmpl *t, int n)
{
	const struct jnode *lines = jget(t->order, "line_items");

	return jat(lines, (size_t)n % lines->n);
}

/* The tax of the order's lines with rate id rate_id. */
static int64_t
woo_rate_tax(const struct tmpl *t, const struct spec *sp,
    const struct jnode *rate_id)
{
	const struct jnode *tx, *taxes;
	int64_t sum = 0;
	int i;

	for (i = 0; i < sp->nlines; i++) {
		taxes = jget(woo_tline(t, i), "taxes");
		for (tx = jfirst(taxes); tx != NULL; tx = jnext(taxes, tx))
			if (strcmp(jtext(jget(tx, "id")), jtext(rate_id)) == 0)
				sum += cents_of(jget(tx, "total"));
	}
	return sum;
}

static void
woo_sums(const struct tmpl *t, const struct spec *sp, struct sums *s)
{
	const struct jnode *tl;
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < sp->nlines; i++) {
		tl = woo_tline(t, i);
		s->lines += cents_of(jget(tl, "total"));
		s->tax += cents_of(jget(tl, "total_tax"));
	}
	s->ship = cents_of(jget(t->order, "shipping_total")) +
	    cents_of(jget(t->order, "shipping_tax"));
}

static void
woo_tax_lines(struct jw *w, const struct jnode *arr, const struct tmpl *t,
    const struct spec *sp)
{
	const struct jnode *tl, *c;

	jw_arr(w);
	for (tl = jfirst(arr); tl != NULL; tl = jnext(arr, tl)) {
		jw_obj(w);
		for (c = jfirst(tl); c != NULL; c = jnext(tl, c)) {
			jw_key(w, c->key);
			if (strcmp(c->key, "tax_total") == 0)
				jw_dec(w, woo_rate_tax(t, sp,
				    jget(tl, "rate_id")), 2);
			else
				jw_node(w, c);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
woo_lines(struct jw *w, const struct tmpl *t, const struct spec *sp)
{
	const struct jnode *tl, *c;
	int i;

	jw_arr(w);
	for (i = 0; i < sp->nlines; i++) {
		tl = woo_tline(t, i);
		jw_obj(w);
		for (c = jfirst(tl); c != NULL; c = jnext(tl, c)) {
			jw_key(w, c->key);
			if (strcmp(c->key, "id") == 0)
				put_id(w, sp->id * 100 + i);
			else
				jw_node(w, c);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
put_woo(struct jw *w, const struct tmpl *t, const struct spec *sp)
{
	const struct jnode *c;
	struct sums s;
	char num[32];

	woo_sums(t, sp, &s);
	jw_obj(w);
	for (c = jfirst(t->order); c != NULL; c = jnext(t->order, c)) {
		jw_key(w, c->key);
		if (strcmp(c->key, "id") == 0)
			put_id(w, sp->id);
		else if (strcmp(c->key, "number") == 0) {
			snprintf(num, sizeof(num), "%ld", sp->id);
			jw_str(w, num);
		} else if (strcmp(c->key, "line_items") == 0)
			woo_lines(w, t, sp);
		else if (strcmp(c->key, "tax_lines") == 0)
			woo_tax_lines(w, c, t, sp);
		else if (strcmp(c->key, "total") == 0)
			jw_dec(w, s.lines + s.tax + s.ship, 2);
		else if (strcmp(c->key, "total_tax") == 0)
			jw_dec(w, s.tax + cents_of(jget(t->order,
			    "shipping_tax")), 2);
		else if (strcmp(c->key, "cart_tax") == 0)
			jw_dec(w, s.tax, 2);
		else
			jw_node(w, c);
	}
	jw_obj_end(w);
}

/* Copies the template with the order's own id (refunds, coupons). */
static void
put_copy(struct jw *w, const struct tmpl *t, const struct spec *sp)
{
	const struct jnode *c, *o = t->order;
	int shopify = o != t->doc.root;
	char name[32];

	snprintf(name, sizeof(name), "#%ld", sp->id);
	if (shopify) {
		jw_obj(w);
		jw_key(w, "order");
	}
	jw_obj(w);
	for (c = jfirst(o); c != NULL; c = jnext(o, c)) {
		jw_key(w, c->key);
		if (is_id_key(c->key))
			jw_str(w, name + 1);
		else if (strcmp(c->key, "name") == 0 && shopify)
			jw_str(w, name);
		else
			jw_node(w, c);
	}
	jw_obj_end(w);
	if (shopify)
		jw_obj_end(w);
}

/* The mix */

/* 1 to 30 lines: mostly a few, sometimes many. */
static int
draw_lines(uint64_t *r)
{
	unsigned u = (unsigned)(rng_next(r) % 100);

	if (u < 50)
		return 1 + (int)(rng_next(r) % 3);
	if (u < 85)
		return 4 + (int)(rng_next(r) % 7);
	return 11 + (int)(rng_next(r) % 20);
}

/* A domestic order: which template, and how many lines of it. */
static void
draw_domestic(struct spec *sp, uint64_t *r)
{
	static const enum tpl pick[20] = {
		T_SHOPIFY, T_SHOPIFY, T_SHOPIFY, T_SHOPIFY, T_SHOPIFY,
		T_SHOPIFY, T_SHOPIFY, T_SHOPIFY, T_SHOPIFY_CODE,
		T_SHOPIFY_CODE, T_WOO_GROSS, T_WOO_GROSS, T_WOO_GROSS,
		T_WOO_GROSS, T_WOO_NET, T_WOO_NET, T_WOO_NET, T_WOO_COUPON,
		T_WOO_COUPON, T_WOO_ONE,
	};

	sp->tpl = pick[rng_next(r) % 20];
	sp->to = &de;
}

/* The next order; fx: the CHF rate of -c, or 0. */
static void
draw(struct spec *sp, uint64_t *r, int64_t fx)
{
	unsigned u = (unsigned)(rng_next(r) % 1000);

	sp->nlines = draw_lines(r);
	sp->rng = rng_next(r);
	sp->tpl = T_SHOPIFY;
	sp->fx = 0;
	if (u < 50) {
		sp->tpl = T_SHOPIFY_REFUND;
		sp->to = &de;
	} else if (u < 150) {
		sp->to = &eu[rng_next(r) % 3];
	} else if (u < 180) {
		sp->to = &b2b[rng_next(r) % 2];
	} else if (u < 200) {
		sp->to = &ch;
		if (u < 190)
			sp->fx = fx;
	} else {
		draw_domestic(sp, r);
	}
}

static void
emit(const char *tenant, const struct tmpl *t, const struct spec *sp,
    long seq, struct buf *b)
{
	char path[4096];
	struct jw w;
	FILE *fp;

	buf_reset(b);
	jw_init(&w, b);
	if (sp->tpl == T_SHOPIFY)
		put_shopify(&w, &t[sp->tpl], sp);
	else if (sp->tpl == T_WOO_GROSS || sp->tpl == T_WOO_NET ||
	    sp->tpl == T_WOO_ONE)
		put_woo(&w, &t[sp->tpl], sp);
	else
		put_copy(&w, &t[sp->tpl], sp);
	if (jw_status(&w) != KR_OK)
		die("spoolgen", "cannot write an order");
	snprintf(path, sizeof(path), "%s/spool/%s/%09ld-%ld.json", tenant,
	    tpl_file[sp->tpl].shop, seq, sp->id);
	fp = fopen(path, "w");
	if (fp == NULL || fwrite(b->data, 1, b->len, fp) != b->len ||
	    fclose(fp) != 0)
		die(path, strerror(errno));
}

static void
usage(void)
{
	fputs("usage: spoolgen [-s seed] [-f first_id] [-c rate] -n count "
	    "-t tenant fixtures\n", stderr);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct tmpl t[T_COUNT];
	const char *tenant = NULL;
	long count = 0, i, first = 1000000;
	uint64_t r = 1;
	int64_t fx = 0;
	char dir[4096];
	struct spec sp;
	struct buf b;
	int c;

	while ((c = getopt(argc, argv, "c:f:n:s:t:")) != -1) {
		if (c == 'c') {
			if (dec_parse(optarg, strlen(optarg), 6, &fx) !=
			    KR_OK || fx <= 0 || fx > 1000000000)
				die(optarg, "expected a rate, CHF per EUR");
		} else if (c == 'n')
			count = strtol(optarg, NULL, 10);
		else if (c == 't')
			tenant = optarg;
		else if (c == 'f')
			first = strtol(optarg, NULL, 10);
		else if (c == 's')
			r = strtoull(optarg, NULL, 10);
		else
			usage();
	}
	if (tenant == NULL || count <= 0 || optind != argc - 1)
		usage();
	for (c = 0; c < T_COUNT; c++) {
		load(&t[c], argv[optind], tpl_file[c].file);
		snprintf(dir, sizeof(dir), "%s/spool/%s", tenant,
		    tpl_file[c].shop);
		mkdir(dir, 0755);
	}
	buf_init(&b, 0);
	for (i = 0; i < count; i++) {
		draw(&sp, &r, fx);
		sp.id = first + i;
		emit(tenant, t, &sp, i, &b);
	}
	buf_release(&b);
	for (c = 0; c < T_COUNT; c++)
		jdoc_release(&t[c].doc);
	return 0;
}

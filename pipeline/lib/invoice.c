#include <string.h>

#include "currency.h"
#include "dec.h"
#include "invoice.h"
#include "jfield.h"
#include "ktime.h"

#define INVOICE_ARENA_MAX	((size_t)64 << 20)

void
invoice_init(struct invoice *inv)
{
	memset(inv, 0, sizeof(*inv));
	inv->arena = arena_new(INVOICE_ARENA_MAX);
}

void
invoice_release(struct invoice *inv)
{
	arena_free(inv->arena);
	memset(inv, 0, sizeof(*inv));
}

void
invoice_reset(struct invoice *inv)
{
	struct arena *a = inv->arena;

	arena_reset(a);
	memset(inv, 0, sizeof(*inv));
	inv->arena = a;
}

static void *
inv_alloc(struct invoice *inv, size_t n)
{
	void *p = arena_alloc(inv->arena, n);

	if (p == NULL)
		KBUG("invoice larger than %zu MiB", INVOICE_ARENA_MAX >> 20);
	return p;
}

static void *
inv_grow(struct invoice *inv, void **arr, size_t *n, size_t *cap,
    size_t size)
{
	void *p = arena_push(inv->arena, arr, n, cap, size);

	if (p == NULL)
		KBUG("invoice larger than %zu MiB", INVOICE_ARENA_MAX >> 20);
	return p;
}

struct inv_line *
invoice_add_line(struct invoice *inv)
{
	return inv_grow(inv, (void **)&inv->lines, &inv->nlines,
	    &inv->cap_lines, sizeof(struct inv_line));
}

struct inv_adjust *
invoice_add_adjust(struct invoice *inv)
{
	return inv_grow(inv, (void **)&inv->adjusts, &inv->nadjusts,
	    &inv->cap_adjusts, sizeof(struct inv_adjust));
}

struct inv_vat *
invoice_add_vat(struct invoice *inv)
{
	return inv_grow(inv, (void **)&inv->vat, &inv->nvat, &inv->cap_vat,
	    sizeof(struct inv_vat));
}

const char *
invoice_strdup(struct invoice *inv, const char *s)
{
	char *p;
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	p = inv_alloc(inv, n + 1);
	memcpy(p, s, n + 1);
	return p;
}

/* Writing */

static void
w_address(struct jw *w, const struct address *a)
{
	jw_kv_str(w, "street", a->street);
	jw_kv_str(w, "street2", a->street2);
	jw_kv_str(w, "postcode", a->postcode);
	jw_kv_str(w, "city", a->city);
	jw_kv_str(w, "region", a->region);
	jw_kv_str(w, "country", a->country);
}

static void
w_party(struct jw *w, const char *key, const struct inv_party *p)
{
	jw_key(w, key);
	jw_obj(w);
	jw_kv_str(w, "name", p->name);
	jw_kv_str(w, "company", p->company);
	w_address(w, &p->addr);
	jw_kv_str(w, "vat_id", p->vat_id);
	jw_kv_str(w, "tax_number", p->tax_number);
	jw_kv_str(w, "register_id", p->register_id);
	jw_kv_str(w, "contact_name", p->contact_name);
	jw_kv_str(w, "contact_phone", p->contact_phone);
	jw_kv_str(w, "contact_email", p->contact_email);
	jw_kv_str(w, "endpoint", p->endpoint);
	jw_kv_str(w, "endpoint_scheme", p->endpoint_scheme);
	jw_obj_end(w);
}

static void
w_rate(struct jw *w, const char *key, int64_t rate_bp)
{
	jw_key(w, key);
	jw_dec_trim(w, rate_bp, RATE_SCALE);
}

static void
w_lines(struct jw *w, const struct invoice *inv)
{
	size_t i;
	int x = inv->exponent;

	jw_key_lit(w, "lines");
	jw_arr(w);
	for (i = 0; i < inv->nlines; i++) {
		const struct inv_line *l = &inv->lines[i];

		jw_obj(w);
		jw_kv_str(w, "id", l->id);
		jw_kv_str(w, "order_line", l->order_line);
		jw_kv_str(w, "sku", l->sku);
		jw_kv_str(w, "name", l->name);
		jw_key_lit(w, "quantity");
		jw_dec_trim(w, l->qty_e4, QTY_SCALE);
		jw_kv_str(w, "unit", l->unit);
		jw_kv_str(w, "category", l->category);
		w_rate(w, "rate", l->rate_bp);
		jw_kv_dec(w, "net_price", l->net_price_e4, NET_PRICE_SCALE);
		jw_kv_dec(w, "net", l->net_minor, x);
		if (inv->mode == 'G')
			jw_kv_dec(w, "gross", l->gross_minor, x);
		if (l->allowance_minor != 0) {
			jw_kv_dec(w, "allowance", l->allowance_minor, x);
			jw_kv_str(w, "allowance_reason", l->allowance_reason);
		}
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
w_adjusts(struct jw *w, const struct invoice *inv)
{
	size_t i;

	jw_key_lit(w, "allowances_charges");
	jw_arr(w);
	for (i = 0; i < inv->nadjusts; i++) {
		const struct inv_adjust *a = &inv->adjusts[i];

		jw_obj(w);
		jw_kv_bool(w, "charge", a->charge);
		jw_kv_str(w, "reason", a->reason);
		jw_kv_str(w, "reason_code", a->reason_code);
		jw_kv_str(w, "category", a->category);
		w_rate(w, "rate", a->rate_bp);
		jw_kv_dec(w, "net", a->net_minor, inv->exponent);
		if (inv->mode == 'G')
			jw_kv_dec(w, "gross", a->gross_minor, inv->exponent);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
w_vat(struct jw *w, const struct invoice *inv)
{
	size_t i;
	int x = inv->exponent;

	jw_key_lit(w, "vat");
	jw_arr(w);
	for (i = 0; i < inv->nvat; i++) {
		const struct inv_vat *v = &inv->vat[i];

		jw_obj(w);
		jw_kv_str(w, "category", v->category);
		w_rate(w, "rate", v->rate_bp);
		jw_kv_dec(w, "taxable", v->taxable_minor, x);
		jw_kv_dec(w, "vat", v->vat_minor, x);
		jw_kv_dec(w, "gross", v->gross_minor, x);
		jw_kv_dec(w, "vat_rounding_delta", v->delta_minor, x);
		jw_kv_str(w, "exemption_reason", v->exemption_reason);
		jw_kv_str(w, "exemption_code", v->exemption_code);
		jw_kv_str(w, "account", v->account);
		jw_kv_str(w, "tax_key", v->tax_key);
		if (v->country[0] != '\0')
			jw_kv_str(w, "country", v->country);
		if (inv->has_fx)
			jw_kv_dec(w, "gross_eur", v->gross_eur_minor, 2);
		jw_obj_end(w);
	}
	jw_arr_end(w);
}

static void
w_totals(struct jw *w, const struct invoice *inv)
{
	int x = inv->exponent;

	jw_key_lit(w, "totals");
	jw_obj(w);
	jw_kv_dec(w, "line_net", inv->line_net_minor, x);
	jw_kv_dec(w, "allowances", inv->allowances_minor, x);
	jw_kv_dec(w, "charges", inv->charges_minor, x);
	jw_kv_dec(w, "net", inv->net_minor, x);
	jw_kv_dec(w, "vat", inv->vat_total_minor, x);
	jw_kv_dec(w, "gross", inv->gross_minor, x);
	jw_kv_dec(w, "paid", inv->paid_minor, x);
	jw_kv_dec(w, "rounding", inv->rounding_minor, x);
	jw_kv_dec(w, "due", inv->due_minor, x);
	jw_obj_end(w);
}

static void
w_body(struct jw *w, const struct invoice *inv)
{
	jw_key_lit(w, "source");
	jw_obj(w);
	jw_kv_str(w, "file", inv->source_file ? inv->source_file : "-");
	jw_kv_str(w, "line", inv->source_line);
	jw_obj_end(w);
	jw_kv_str(w, "run", inv->run_id);
	jw_kv_str(w, "number", inv->number);
	jw_kv_str(w, "doc_type", inv->doc_type);
	jw_kv_bool(w, "provisional", inv->provisional);
	jw_kv_str(w, "issue_date", inv->issue_date);
	jw_kv_str(w, "supply_date", inv->supply_date);
	jw_kv_str(w, "shop", inv->shop);
	jw_kv_str(w, "platform", inv->platform);
	jw_kv_str(w, "order_id", inv->order_id);
	jw_kv_str(w, "order_number", inv->order_number);
	jw_kv_str(w, "refund_id", inv->refund_id);
	if (inv->preceding_number != NULL) {
		jw_key_lit(w, "preceding");
		jw_obj(w);
		jw_kv_str(w, "number", inv->preceding_number);
		jw_kv_str(w, "issue_date", inv->preceding_date);
		jw_obj_end(w);
	}
	jw_kv_str(w, "currency", inv->currency);
	jw_key_lit(w, "mode");
	jw_strn(w, &inv->mode, 1);
	jw_kv_str(w, "treatment", inv->treatment);
	jw_kv_str(w, "treatment_reason", inv->treatment_reason);

	w_party(w, "seller", &inv->seller);
	w_party(w, "buyer", &inv->buyer);
	jw_kv_str(w, "buyer_reference", inv->buyer_reference);
	jw_key_lit(w, "delivery");
	jw_obj(w);
	jw_kv_str(w, "name", inv->delivery.name);
	jw_kv_str(w, "company", inv->delivery.company);
	w_address(w, &inv->delivery);
	jw_obj_end(w);

	w_lines(w, inv);
	w_adjusts(w, inv);
	w_vat(w, inv);
	w_totals(w, inv);
	if (inv->has_fx) {
		jw_key_lit(w, "fx");
		jw_obj(w);
		jw_kv_str(w, "currency", "EUR");
		jw_kv_dec(w, "rate", inv->fx_rate_e6, 6);
		jw_kv_str(w, "source", inv->fx_source);
		jw_kv_dec(w, "vat", inv->vat_eur_minor, 2);
		jw_kv_dec(w, "rounding", inv->rounding_eur_minor, 2);
		jw_obj_end(w);
	}
	jw_kv_str(w, "note", inv->note);
	if (inv->marketplace_vat_minor != 0)
		jw_kv_dec(w, "marketplace_vat", inv->marketplace_vat_minor,
		    inv->exponent);
	jw_kv_str(w, "buyer_vat_check", inv->buyer_vat_check);
	if (inv->vies_number != NULL) {
		jw_key_lit(w, "buyer_vat_vies");
		jw_obj(w);
		jw_kv_str(w, "number", inv->vies_number);
		jw_kv_str(w, "date", inv->vies_date);
		jw_obj_end(w);
	}

	jw_key_lit(w, "payment");
	jw_obj(w);
	jw_kv_str(w, "means", inv->pay_means);
	jw_kv_str(w, "gateway", inv->pay_gateway);
	jw_kv_str(w, "transaction_id", inv->pay_transaction);
	jw_kv_str(w, "terms", inv->pay_terms);
	jw_kv_str(w, "iban", inv->pay_iban);
	jw_obj_end(w);

	jw_key_lit(w, "booking");
	jw_obj(w);
	jw_kv_str(w, "debitor", inv->debitor);
	jw_kv_str(w, "rounding_account", inv->rounding_account);
	jw_obj_end(w);
}

int
invoice_to_json(const struct invoice *inv, struct buf *out)
{
	struct jw w;

	jw_init(&w, out);
	jw_obj(&w);
	jw_kv_str(&w, "type", "invoice");
	jw_kv_str(&w, "v", REC_VERSION);
	w_body(&w, inv);
	jw_obj_end(&w);
	return jw_status(&w);
}

int
invoice_write(const struct invoice *inv, struct rec_out *out)
{
	struct jw *w = rec_begin(out, "invoice");

	w_body(w, inv);
	return rec_end(out);
}

/* Reading */

struct rd {
	struct invoice *inv;
	struct kerr *e;
	int rc;
	int booking;	/* only what invoice_read_booking reads */
};

/* Each reader below does nothing once rd->rc is set. */

static const char *
rd_str(struct rd *r, const struct jnode *obj, const char *key, int req,
    const char *ctx)
{
	const char *s = NULL;

	if (r->rc == KR_OK)
		r->rc = jf_text(obj, key, req, &s, ctx, r->e);
	return s;
}

/* A quantity, price or rate: at most scale decimals (docs/records.md). */
static int64_t
rd_dec(struct rd *r, const struct jnode *obj, const char *key, int scale,
    int req, const char *ctx)
{
	int64_t v = 0;

	if (r->rc == KR_OK)
		r->rc = jf_rec_num(obj, key, scale, req, &v, ctx, r->e);
	return v;
}

/* An amount: exactly as many decimals as its currency has. */
static int64_t
rd_amount(struct rd *r, const struct jnode *obj, const char *key,
    int exponent, int req, const char *ctx)
{
	int64_t v = 0;

	if (r->rc == KR_OK)
		r->rc = jf_amount(obj, key, exponent, req, &v, ctx, r->e);
	return v;
}

static void
rd_category(struct rd *r, const struct jnode *obj, const char *ctx,
    char out[CATEGORY_MAX])
{
	const char *c = rd_str(r, obj, "category", JF_REQUIRED, ctx);
	char path[KERR_FIELD_MAX];

	if (r->rc != KR_OK)
		return;
	if (strlen(c) == 0 || strlen(c) >= CATEGORY_MAX) {
		jf_path(path, sizeof(path), ctx, "category");
		r->rc = kerr_set(r->e, KR_BAD_INPUT, path,
		    "expected a VAT category code like \"S\", "
		    "got \"%.10s\"", c);
		return;
	}
	memcpy(out, c, strlen(c) + 1);
}

/* An optional two-letter country code into out ("" when absent). */
static void
rd_country(struct rd *r, const struct jnode *obj, const char *ctx,
    char out[3])
{
	const char *c = rd_str(r, obj, "country", 0, ctx);
	char path[KERR_FIELD_MAX];

	out[0] = '\0';
	if (r->rc != KR_OK || c == NULL)
		return;
	if (strlen(c) != 2 || c[0] < 'A' || c[0] > 'Z' || c[1] < 'A' ||
	    c[1] > 'Z') {
		jf_path(path, sizeof(path), ctx, "country");
		r->rc = kerr_set(r->e, KR_BAD_INPUT, path, "expected a "
		    "country code like \"FR\", got \"%.10s\"", c);
		return;
	}
	memcpy(out, c, 3);
}

static void
rd_fx(struct rd *r, const struct jnode *root)
{
	struct invoice *inv = r->inv;
	const struct jnode *fx = jget(root, "fx");
	const char *cur;

	if (jis_null(fx))
		return;
	cur = rd_str(r, fx, "currency", JF_REQUIRED, "fx");
	if (r->rc == KR_OK && strcmp(cur, "EUR") != 0)
		r->rc = kerr_set(r->e, KR_BAD_INPUT, "fx.currency",
		    "expected \"EUR\", got \"%.10s\"", cur);
	inv->fx_rate_e6 = rd_dec(r, fx, "rate", 6, JF_REQUIRED, "fx");
	inv->fx_source = rd_str(r, fx, "source", 0, "fx");
	inv->vat_eur_minor = rd_amount(r, fx, "vat", 2, JF_REQUIRED, "fx");
	inv->rounding_eur_minor = rd_amount(r, fx, "rounding", 2, 0, "fx");
	inv->has_fx = r->rc == KR_OK;
}

static void
rd_vies(struct rd *r, const struct jnode *root)
{
	const struct jnode *v = jget(root, "buyer_vat_vies");
	struct invoice *inv = r->inv;

	if (jis_null(v))
		return;
	inv->vies_number = rd_str(r, v, "number", JF_REQUIRED,
	    "buyer_vat_vies");
	inv->vies_date = rd_str(r, v, "date", JF_REQUIRED, "buyer_vat_vies");
	if (r->rc == KR_OK && !ktime_valid_date(inv->vies_date))
		r->rc = kerr_set(r->e, KR_BAD_INPUT, "buyer_vat_vies.date",
		    "expected a day like \"2026-10-20\", got \"%.20s\"",
		    inv->vies_date);
}

static void
rd_address(struct rd *r, const struct jnode *obj, const char *ctx,
    struct address *a)
{
	const char *c;

	a->name = rd_str(r, obj, "name", 0, ctx);
	a->company = rd_str(r, obj, "company", 0, ctx);
	a->street = rd_str(r, obj, "street", 0, ctx);
	a->street2 = rd_str(r, obj, "street2", 0, ctx);
	a->postcode = rd_str(r, obj, "postcode", 0, ctx);
	a->city = rd_str(r, obj, "city", 0, ctx);
	a->region = rd_str(r, obj, "region", 0, ctx);
	c = rd_str(r, obj, "country", 0, ctx);
	if (c != NULL && strlen(c) == 2)
		memcpy(a->country, c, 3);
}

static void
rd_party(struct rd *r, const struct jnode *root, const char *key,
    struct inv_party *p)
{
	const struct jnode *n = jget(root, key);

	if (r->booking) {
		p->vat_id = rd_str(r, n, "vat_id", 0, key);
		return;
	}
	p->name = rd_str(r, n, "name", JF_REQUIRED, key);
	rd_address(r, n, key, &p->addr);
	p->addr.name = NULL;
	p->company = rd_str(r, n, "company", 0, key);
	p->vat_id = rd_str(r, n, "vat_id", 0, key);
	p->tax_number = rd_str(r, n, "tax_number", 0, key);
	p->register_id = rd_str(r, n, "register_id", 0, key);
	p->contact_name = rd_str(r, n, "contact_name", 0, key);
	p->contact_phone = rd_str(r, n, "contact_phone", 0, key);
	p->contact_email = rd_str(r, n, "contact_email", 0, key);
	p->endpoint = rd_str(r, n, "endpoint", 0, key);
	p->endpoint_scheme = rd_str(r, n, "endpoint_scheme", 0, key);
}

static void
rd_lines(struct rd *r, const struct jnode *root)
{
	const struct jnode *arr = NULL, *n;
	struct invoice *inv = r->inv;
	char ctx[48];
	size_t i = 0;
	int x = inv->exponent;

	if (r->rc == KR_OK)
		r->rc = jf_array(root, "lines", JF_REQUIRED, &arr, "", r->e);
	for (n = jfirst(arr); n != NULL && r->rc == KR_OK;
	    n = jnext(arr, n), i++) {
		struct inv_line *l = invoice_add_line(inv);

		jf_path_index(ctx, sizeof(ctx), "", "lines", i);
		if (r->booking) {
			rd_category(r, n, ctx, l->category);
			l->rate_bp = rd_dec(r, n, "rate", RATE_SCALE, 1, ctx);
			l->net_minor = rd_amount(r, n, "net", x, 1, ctx);
			continue;
		}
		l->id = rd_str(r, n, "id", JF_REQUIRED, ctx);
		l->order_line = rd_str(r, n, "order_line", 0, ctx);
		l->sku = rd_str(r, n, "sku", 0, ctx);
		l->name = rd_str(r, n, "name", JF_REQUIRED, ctx);
		l->qty_e4 = rd_dec(r, n, "quantity", QTY_SCALE, 1, ctx);
		l->unit = rd_str(r, n, "unit", JF_REQUIRED, ctx);
		rd_category(r, n, ctx, l->category);
		l->rate_bp = rd_dec(r, n, "rate", RATE_SCALE, 1, ctx);
		l->net_price_e4 = rd_dec(r, n, "net_price", NET_PRICE_SCALE, 1,
		    ctx);
		l->net_minor = rd_amount(r, n, "net", x, 1, ctx);
		l->gross_minor = rd_amount(r, n, "gross", x, inv->mode == 'G',
		    ctx);
		l->allowance_minor = rd_amount(r, n, "allowance", x, 0, ctx);
		l->allowance_reason = rd_str(r, n, "allowance_reason", 0, ctx);
	}
}

static void
rd_adjusts(struct rd *r, const struct jnode *root)
{
	const struct jnode *arr = NULL, *n;
	struct invoice *inv = r->inv;
	char ctx[48];
	size_t i = 0;

	if (r->rc == KR_OK)
		r->rc = jf_array(root, "allowances_charges", JF_OPTIONAL, &arr,
		    "", r->e);
	for (n = jfirst(arr); n != NULL && r->rc == KR_OK;
	    n = jnext(arr, n), i++) {
		struct inv_adjust *a = invoice_add_adjust(inv);

		jf_path_index(ctx, sizeof(ctx), "", "allowances_charges", i);
		if (r->rc == KR_OK)
			r->rc = jf_bool(n, "charge", JF_REQUIRED, &a->charge,
			    ctx, r->e);
		if (r->booking) {
			rd_category(r, n, ctx, a->category);
			a->rate_bp = rd_dec(r, n, "rate", RATE_SCALE, 1, ctx);
			a->net_minor = rd_amount(r, n, "net", inv->exponent, 1,
			    ctx);
			continue;
		}
		a->reason = rd_str(r, n, "reason", JF_REQUIRED, ctx);
		a->reason_code = rd_str(r, n, "reason_code", 0, ctx);
		rd_category(r, n, ctx, a->category);
		a->rate_bp = rd_dec(r, n, "rate", RATE_SCALE, 1, ctx);
		a->net_minor = rd_amount(r, n, "net", inv->exponent, 1, ctx);
		a->gross_minor = rd_amount(r, n, "gross", inv->exponent,
		    inv->mode == 'G', ctx);
	}
}

static void
rd_vat(struct rd *r, const struct jnode *root)
{
	const struct jnode *arr = NULL, *n;
	struct invoice *inv = r->inv;
	char ctx[48];
	size_t i = 0;
	int x = inv->exponent;

	if (r->rc == KR_OK)
		r->rc = jf_array(root, "vat", JF_REQUIRED, &arr, "", r->e);
	for (n = jfirst(arr); n != NULL && r->rc == KR_OK;
	    n = jnext(arr, n), i++) {
		struct inv_vat *v = invoice_add_vat(inv);

		jf_path_index(ctx, sizeof(ctx), "", "vat", i);
		rd_category(r, n, ctx, v->category);
		v->rate_bp = rd_dec(r, n, "rate", RATE_SCALE, 1, ctx);
		v->taxable_minor = rd_amount(r, n, "taxable", x, 1, ctx);
		v->vat_minor = rd_amount(r, n, "vat", x, 1, ctx);
		v->gross_minor = rd_amount(r, n, "gross", x, 1, ctx);
		v->delta_minor = rd_amount(r, n, "vat_rounding_delta", x, 0,
		    ctx);
		v->exemption_reason = rd_str(r, n, "exemption_reason", 0, ctx);
		v->exemption_code = rd_str(r, n, "exemption_code", 0, ctx);
		v->account = rd_str(r, n, "account", 0, ctx);
		v->tax_key = rd_str(r, n, "tax_key", 0, ctx);
		rd_country(r, n, ctx, v->country);
		v->gross_eur_minor = rd_amount(r, n, "gross_eur", 2, 0, ctx);
	}
}

static void
rd_totals(struct rd *r, const struct jnode *root)
{
	const struct jnode *t = jget(root, "totals");
	struct invoice *inv = r->inv;
	int x = inv->exponent;

	inv->line_net_minor = rd_amount(r, t, "line_net", x, 1, "totals");
	inv->allowances_minor = rd_amount(r, t, "allowances", x, 1, "totals");
	inv->charges_minor = rd_amount(r, t, "charges", x, 1, "totals");
	inv->net_minor = rd_amount(r, t, "net", x, 1, "totals");
	inv->vat_total_minor = rd_amount(r, t, "vat", x, 1, "totals");
	inv->gross_minor = rd_amount(r, t, "gross", x, 1, "totals");
	inv->paid_minor = rd_amount(r, t, "paid", x, 1, "totals");
	inv->rounding_minor = rd_amount(r, t, "rounding", x, 1, "totals");
	inv->due_minor = rd_amount(r, t, "due", x, 1, "totals");
}

static void
rd_head(struct rd *r, const struct jnode *root)
{
	struct invoice *inv = r->inv;
	const struct jnode *src = jget(root, "source");
	const struct jnode *pre = jget(root, "preceding");
	const char *cur, *mode;

	inv->source_file = rd_str(r, src, "file", 0, "source");
	inv->source_line = rd_str(r, src, "line", 0, "source");
	inv->run_id = rd_str(r, root, "run", 0, "");
	inv->number = rd_str(r, root, "number", JF_REQUIRED, "");
	inv->doc_type = rd_str(r, root, "doc_type", JF_REQUIRED, "");
	if (r->rc == KR_OK)
		r->rc = jf_bool(root, "provisional", 0, &inv->provisional, "",
		    r->e);
	inv->issue_date = rd_str(r, root, "issue_date", JF_REQUIRED, "");
	inv->supply_date = rd_str(r, root, "supply_date", JF_REQUIRED, "");
	inv->shop = rd_str(r, root, "shop", JF_REQUIRED, "");
	inv->platform = rd_str(r, root, "platform", 0, "");
	inv->order_id = rd_str(r, root, "order_id", JF_REQUIRED, "");
	inv->order_number = rd_str(r, root, "order_number", JF_REQUIRED, "");
	inv->refund_id = rd_str(r, root, "refund_id", 0, "");
	inv->preceding_number = rd_str(r, pre, "number", 0, "preceding");
	inv->preceding_date = rd_str(r, pre, "issue_date", 0, "preceding");
	cur = rd_str(r, root, "currency", JF_REQUIRED, "");
	if (r->rc == KR_OK) {
		inv->exponent = currency_exponent(cur);
		if (inv->exponent < 0)
			r->rc = kerr_set(r->e, KR_BAD_INPUT, "currency",
			    "expected an ISO 4217 currency code, "
			    "got \"%.20s\"", cur);
		else
			memcpy(inv->currency, cur, 4);
	}
	mode = rd_str(r, root, "mode", JF_REQUIRED, "");
	if (r->rc == KR_OK) {
		if (strcmp(mode, "G") != 0 && strcmp(mode, "N") != 0)
			r->rc = kerr_set(r->e, KR_BAD_INPUT, "mode",
			    "expected \"G\" or \"N\", got \"%.10s\"", mode);
		else
			inv->mode = mode[0];
	}
	inv->treatment = rd_str(r, root, "treatment", JF_REQUIRED, "");
	inv->treatment_reason = rd_str(r, root, "treatment_reason", 0, "");
}

/* What no booking needs: the notes, VIES and the payment. */
static void
rd_extras(struct rd *r, const struct jnode *root)
{
	struct invoice *inv = r->inv;
	const struct jnode *p;

	inv->note = rd_str(r, root, "note", 0, "");
	inv->buyer_vat_check = rd_str(r, root, "buyer_vat_check", 0, "");
	inv->marketplace_vat_minor = rd_amount(r, root, "marketplace_vat",
	    inv->exponent, 0, "");
	rd_vies(r, root);

	p = jget(root, "payment");
	inv->pay_means = rd_str(r, p, "means", 0, "payment");
	inv->pay_gateway = rd_str(r, p, "gateway", 0, "payment");
	inv->pay_transaction = rd_str(r, p, "transaction_id", 0, "payment");
	inv->pay_terms = rd_str(r, p, "terms", 0, "payment");
	inv->pay_iban = rd_str(r, p, "iban", 0, "payment");
}

static int
read_invoice(struct invoice *inv, const struct jnode *root, int booking,
    struct kerr *e)
{
	struct rd r = { inv, e, KR_OK, booking };
	const struct jnode *b, *d;

	invoice_reset(inv);
	rd_head(&r, root);
	rd_party(&r, root, "seller", &inv->seller);
	rd_party(&r, root, "buyer", &inv->buyer);
	if (!booking) {
		inv->buyer_reference = rd_str(&r, root, "buyer_reference", 0,
		    "");
		d = jget(root, "delivery");
		rd_address(&r, d, "delivery", &inv->delivery);
	}
	rd_lines(&r, root);
	rd_adjusts(&r, root);
	rd_fx(&r, root);
	rd_vat(&r, root);
	rd_totals(&r, root);
	if (!booking)
		rd_extras(&r, root);

	b = jget(root, "booking");
	inv->debitor = rd_str(&r, b, "debitor", 0, "booking");
	inv->rounding_account = rd_str(&r, b, "rounding_account", 0,
	    "booking");
	return r.rc;
}

int
invoice_read(struct invoice *inv, const struct jnode *root, struct kerr *e)
{
	return read_invoice(inv, root, 0, e);
}

int
invoice_read_booking(struct invoice *inv, const struct jnode *root,
    struct kerr *e)
{
	return read_invoice(inv, root, 1, e);
}

/* Copying what a booking reads */

static const char *
cp_str(struct arena *a, const char *s)
{
	const char *p = arena_strdup(a, s);

	if (s != NULL && p == NULL)
		KBUG("no room to keep an invoice for booking");
	return p;
}

static void *
cp_array(struct arena *a, const void *from, size_t n, size_t size)
{
	void *p;

	if (n == 0)
		return NULL;
	if ((p = arena_alloc(a, n * size)) == NULL)
		KBUG("no room to keep an invoice for booking");
	memcpy(p, from, n * size);
	return p;
}

void
invoice_copy_booking(struct invoice *to, const struct invoice *inv,
    struct arena *a)
{
	struct inv_line *l;
	struct inv_adjust *j;
	struct inv_vat *v;
	size_t i;

	memset(to, 0, sizeof(*to));
	to->source_file = cp_str(a, inv->source_file);
	to->source_line = cp_str(a, inv->source_line);
	to->run_id = cp_str(a, inv->run_id);
	to->number = cp_str(a, inv->number);
	to->doc_type = cp_str(a, inv->doc_type);
	to->provisional = inv->provisional;
	to->issue_date = cp_str(a, inv->issue_date);
	to->supply_date = cp_str(a, inv->supply_date);
	to->shop = cp_str(a, inv->shop);
	to->platform = cp_str(a, inv->platform);
	to->order_id = cp_str(a, inv->order_id);
	to->order_number = cp_str(a, inv->order_number);
	to->refund_id = cp_str(a, inv->refund_id);
	to->preceding_number = cp_str(a, inv->preceding_number);
	to->preceding_date = cp_str(a, inv->preceding_date);
	memcpy(to->currency, inv->currency, sizeof(to->currency));
	to->exponent = inv->exponent;
	to->mode = inv->mode;
	to->treatment = cp_str(a, inv->treatment);
	to->treatment_reason = cp_str(a, inv->treatment_reason);
	to->seller.vat_id = cp_str(a, inv->seller.vat_id);
	to->buyer.vat_id = cp_str(a, inv->buyer.vat_id);

	to->lines = l = cp_array(a, inv->lines, inv->nlines, sizeof(*l));
	to->nlines = to->cap_lines = inv->nlines;
	for (i = 0; i < inv->nlines; i++) {
		memset(&l[i], 0, sizeof(l[i]));
		memcpy(l[i].category, inv->lines[i].category, CATEGORY_MAX);
		l[i].rate_bp = inv->lines[i].rate_bp;
		l[i].net_minor = inv->lines[i].net_minor;
	}
	to->adjusts = j = cp_array(a, inv->adjusts, inv->nadjusts,
	    sizeof(*j));
	to->nadjusts = to->cap_adjusts = inv->nadjusts;
	for (i = 0; i < inv->nadjusts; i++) {
		memset(&j[i], 0, sizeof(j[i]));
		j[i].charge = inv->adjusts[i].charge;
		memcpy(j[i].category, inv->adjusts[i].category, CATEGORY_MAX);
		j[i].rate_bp = inv->adjusts[i].rate_bp;
		j[i].net_minor = inv->adjusts[i].net_minor;
	}
	to->vat = v = cp_array(a, inv->vat, inv->nvat, sizeof(*v));
	to->nvat = to->cap_vat = inv->nvat;
	for (i = 0; i < inv->nvat; i++) {
		v[i].exemption_reason = cp_str(a, v[i].exemption_reason);
		v[i].exemption_code = cp_str(a, v[i].exemption_code);
		v[i].account = cp_str(a, v[i].account);
		v[i].tax_key = cp_str(a, v[i].tax_key);
	}

	to->line_net_minor = inv->line_net_minor;
	to->allowances_minor = inv->allowances_minor;
	to->charges_minor = inv->charges_minor;
	to->net_minor = inv->net_minor;
	to->vat_total_minor = inv->vat_total_minor;
	to->gross_minor = inv->gross_minor;
	to->paid_minor = inv->paid_minor;
	to->rounding_minor = inv->rounding_minor;
	to->due_minor = inv->due_minor;
	if (inv->has_fx) {
		to->has_fx = 1;
		to->fx_rate_e6 = inv->fx_rate_e6;
		to->fx_source = cp_str(a, inv->fx_source);
		to->vat_eur_minor = inv->vat_eur_minor;
		to->rounding_eur_minor = inv->rounding_eur_minor;
	}
	to->debitor = cp_str(a, inv->debitor);
	to->rounding_account = cp_str(a, inv->rounding_account);
}

/* Sums */

static int
sum_fail(struct kerr *e, const char *field, const char *rule,
    int64_t want, int64_t got, int x)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];

	return kerr_set(e, KR_BAD_INPUT, field,
	    "%s: expected %s, got %s", rule, dec_format(want, x, b1),
	    dec_format(got, x, b2));
}

static int
check_breakdown(const struct invoice *inv, size_t k, struct kerr *e)
{
	const struct inv_vat *v = &inv->vat[k];
	int64_t sum = 0;
	char field[48];
	size_t i;

	for (i = 0; i < inv->nlines; i++)
		if (strcmp(inv->lines[i].category, v->category) == 0 &&
		    inv->lines[i].rate_bp == v->rate_bp)
			sum += inv->lines[i].net_minor;
	for (i = 0; i < inv->nadjusts; i++) {
		const struct inv_adjust *a = &inv->adjusts[i];

		if (strcmp(a->category, v->category) != 0 ||
		    a->rate_bp != v->rate_bp)
			continue;
		sum += a->charge ? a->net_minor : -a->net_minor;
	}
	if (sum != v->taxable_minor) {
		snprintf(field, sizeof(field), "vat[%zu].taxable", k);
		return sum_fail(e, field, "BR-S-08", sum, v->taxable_minor,
		    inv->exponent);
	}
	if (v->taxable_minor + v->vat_minor != v->gross_minor) {
		snprintf(field, sizeof(field), "vat[%zu].gross", k);
		return sum_fail(e, field, "gross = taxable + VAT",
		    v->taxable_minor + v->vat_minor, v->gross_minor,
		    inv->exponent);
	}
	return KR_OK;
}

int
invoice_check_sums(const struct invoice *inv, struct kerr *e)
{
	int64_t lines = 0, allow = 0, charge = 0, vat = 0;
	int x = inv->exponent;
	size_t i;
	int rc;

	for (i = 0; i < inv->nlines; i++)
		lines += inv->lines[i].net_minor;
	for (i = 0; i < inv->nadjusts; i++) {
		if (inv->adjusts[i].charge)
			charge += inv->adjusts[i].net_minor;
		else
			allow += inv->adjusts[i].net_minor;
	}
	for (i = 0; i < inv->nvat; i++) {
		vat += inv->vat[i].vat_minor;
		if ((rc = check_breakdown(inv, i, e)) != KR_OK)
			return rc;
	}

	if (lines != inv->line_net_minor)
		return sum_fail(e, "totals.line_net", "BR-CO-10", lines,
		    inv->line_net_minor, x);
	if (allow != inv->allowances_minor)
		return sum_fail(e, "totals.allowances", "BR-CO-11", allow,
		    inv->allowances_minor, x);
	if (charge != inv->charges_minor)
		return sum_fail(e, "totals.charges", "BR-CO-12", charge,
		    inv->charges_minor, x);
	if (lines - allow + charge != inv->net_minor)
		return sum_fail(e, "totals.net", "BR-CO-13",
		    lines - allow + charge, inv->net_minor, x);
	if (vat != inv->vat_total_minor)
		return sum_fail(e, "totals.vat", "BR-CO-14", vat,
		    inv->vat_total_minor, x);
	if (inv->net_minor + vat != inv->gross_minor)
		return sum_fail(e, "totals.gross", "BR-CO-15",
		    inv->net_minor + vat, inv->gross_minor, x);
	if (inv->gross_minor - inv->paid_minor + inv->rounding_minor !=
	    inv->due_minor)
		return sum_fail(e, "totals.due", "BR-CO-16",
		    inv->gross_minor - inv->paid_minor + inv->rounding_minor,
		    inv->due_minor, x);
	return KR_OK;
}

char
invoice_file_char(const char *number, size_t i)
{
	unsigned char c = (unsigned char)number[i];

	if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '-' ||
	    (c == '.' && i > 0))
		return (char)c;
	return '_';
}

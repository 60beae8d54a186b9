/*
 * One refund as JSON: the objects of an order's refunds[], the refund as
 * the state database keeps it while its credit note waits, and the
 * "refund" record of a refund that arrived after its order was invoiced
 * (docs/records.md).
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "jfield.h"
#include "order.h"

void
refund_write(struct jw *w, const struct refund *r, int exponent)
{
	size_t j;

	jw_obj(w);
	jw_kv_str(w, "id", r->id);
	jw_kv_str(w, "created_at", r->created_at);
	jw_kv_str(w, "reason", r->reason);
	jw_kv_dec(w, "amount", r->amount_minor, exponent);
	jw_kv_dec(w, "shipping", r->shipping_minor, exponent);
	jw_key_lit(w, "lines");
	jw_arr(w);
	for (j = 0; j < r->nlines; j++) {
		const struct refund_line *l = &r->lines[j];

		jw_obj(w);
		jw_kv_str(w, "line_id", l->line_id);
		jw_key_lit(w, "quantity");
		jw_dec_trim(w, l->qty_e4, QTY_SCALE);
		jw_kv_dec(w, "amount", l->amount_minor, exponent);
		jw_kv_dec(w, "tax", l->tax_minor, exponent);
		jw_obj_end(w);
	}
	jw_arr_end(w);
	jw_obj_end(w);
}

int
refund_to_json(const struct refund *r, int exponent, struct buf *out)
{
	struct jw w;

	jw_init(&w, out);
	refund_write(&w, r, exponent);
	return jw_status(&w);
}

static int
read_lines(struct order *o, struct refund *r, const struct jnode *n,
    const char *rctx, struct kerr *e)
{
	const struct jnode *arr, *m;
	char ctx[96];
	size_t j = 0;
	int rc;

	rc = jf_array(n, "lines", JF_OPTIONAL, &arr, rctx, e);
	if (rc != KR_OK)
		return rc;
	for (m = jfirst(arr); m != NULL; m = jnext(arr, m), j++) {
		struct refund_line *l = refund_add_line(o, r);

		snprintf(ctx, sizeof(ctx), "%s.lines[%zu]", rctx, j);
		if ((rc = jf_id(m, "line_id", 1, &l->line_id, ctx, e)) !=
		    KR_OK ||
		    (rc = jf_rec_num(m, "quantity", QTY_SCALE, JF_REQUIRED,
		    &l->qty_e4, ctx, e)) != KR_OK ||
		    (rc = jf_amount(m, "amount", o->exponent, 1,
		    &l->amount_minor, ctx, e)) != KR_OK ||
		    (rc = jf_amount(m, "tax", o->exponent, 0, &l->tax_minor,
		    ctx, e)) != KR_OK)
			return rc;
	}
	return KR_OK;
}

int
refund_read(struct order *o, struct refund *r, const struct jnode *n,
    const char *ctx, struct kerr *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = jf_id(n, "id", 1, &r->id, ctx, e)) != KR_OK ||
	    (rc = jf_str(n, "created_at", 0, &r->created_at, ctx, e)) !=
	    KR_OK ||
	    (rc = jf_str(n, "reason", 0, &r->reason, ctx, e)) != KR_OK ||
	    (rc = jf_amount(n, "amount", o->exponent, 1, &r->amount_minor, ctx,
	    e)) != KR_OK ||
	    (rc = jf_amount(n, "shipping", o->exponent, 0, &r->shipping_minor,
	    ctx, e)) != KR_OK)
		return rc;
	return read_lines(o, r, n, ctx, e);
}

/* The refund record */

int
refund_record_write(const struct order *o, const struct refund *r,
    struct rec_out *out)
{
	struct jw *w = rec_begin(out, "refund");

	jw_key_lit(w, "source");
	jw_obj(w);
	jw_kv_str(w, "file", o->source_file ? o->source_file : "-");
	jw_kv_str(w, "path", o->source_path);
	jw_obj_end(w);
	jw_kv_str(w, "shop", o->shop);
	jw_kv_str(w, "platform", o->platform);
	jw_kv_str(w, "order_id", o->order_id);
	jw_kv_str(w, "order_number", o->order_number);
	jw_kv_str(w, "currency", o->currency);
	jw_kv_str(w, "prices", o->prices == PRICES_GROSS ? "gross" : "net");
	jw_key_lit(w, "refund");
	refund_write(w, r, o->exponent);
	return rec_end(out);
}

int
refund_record_read(struct order *o, const struct jnode *root,
    struct kerr *e)
{
	const struct jnode *src = jget(root, "source"), *n;
	const char *cur = NULL;
	int rc;

	order_reset(o);
	if ((rc = jf_str(src, "file", 0, &o->source_file, "source", e)) !=
	    KR_OK ||
	    (rc = jf_str(src, "path", 0, &o->source_path, "source", e)) !=
	    KR_OK ||
	    (rc = jf_str(root, "shop", 1, &o->shop, "", e)) != KR_OK ||
	    (rc = jf_str(root, "platform", 0, &o->platform, "", e)) != KR_OK ||
	    (rc = jf_id(root, "order_id", 1, &o->order_id, "", e)) !=
	    KR_OK ||
	    (rc = jf_text(root, "order_number", 0, &o->order_number, "", e)) !=
	    KR_OK ||
	    (rc = jf_str(root, "currency", 1, &cur, "", e)) != KR_OK ||
	    (rc = order_set_currency(o, cur, "currency", e)) != KR_OK ||
	    (rc = order_read_prices(o, root, e)) != KR_OK ||
	    (rc = jf_object(root, "refund", JF_REQUIRED, &n, "", e)) != KR_OK)
		return rc;
	if (o->order_number == NULL)
		o->order_number = o->order_id;
	return refund_read(o, order_add_refund(o), n, "refund", e);
}

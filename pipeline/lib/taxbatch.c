#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "distsales.h"
#include "taxbatch.h"

enum seg_kind {
	SEG_RAW,	/* bytes ready to go out */
	SEG_NEW		/* an invoice waiting for its number */
};

/* A piece of the batch's output, in input order. */
struct tb_seg {
	enum seg_kind kind;
	size_t off, len;	/* in bytes */
	size_t num_at;		/* SEG_NEW: where the number goes */
	const char *doc_type;	/* SEG_NEW: "380" or "381" */
	char *shop, *order_id, *order_hash, *issue_date, *source;
	char *refund_id;	/* SEG_NEW of a credit note */
	char number[64];	/* SEG_NEW: drawn at the commit */
	struct distance_sale_row sale;	/* SEG_NEW: stored beside it */
	char *sale_text;	/* holds sale's strings */
	struct invoice *kept;	/* SEG_NEW: for booking, or NULL */
	int fresh;		/* SEG_NEW: stored with a new number */
};

struct tb_later_item {
	enum tb_later kind;
	char *file, *shop, *order_id, *text;
};

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void
taxbatch_init(struct taxbatch *b)
{
	memset(b, 0, sizeof(*b));
	buf_init(&b->bytes, (size_t)64 << 20);
}

void
taxbatch_release(struct taxbatch *b)
{
	taxbatch_clear(b);
	buf_release(&b->bytes);
	free(b->seg);
	free(b->later);
	free(b->rw);
	arena_free(b->kept);
	memset(b, 0, sizeof(*b));
}

/*
 * The copies are smaller than the records, which the batch's buffer
 * holds: every string they keep is in a record.
 */
void
taxbatch_keep_booking(struct taxbatch *b)
{
	if (b->kept == NULL)
		b->kept = arena_new((size_t)128 << 20);
}

static void
refund_free(struct tb_refund *r)
{
	free(r->shop);
	free(r->order_id);
	free(r->order_number);
	free(r->refund_id);
	free(r->amount);
	free(r->currency);
	free(r->at);
	free(r->file);
	free(r->number);
	free(r->json);
}

void
taxbatch_clear(struct taxbatch *b)
{
	size_t i;

	for (i = 0; i < b->nseg; i++) {
		free(b->seg[i].shop);
		free(b->seg[i].order_id);
		free(b->seg[i].order_hash);
		free(b->seg[i].issue_date);
		free(b->seg[i].source);
		free(b->seg[i].refund_id);
		free(b->seg[i].sale_text);
	}
	for (i = 0; i < b->nlater; i++) {
		free(b->later[i].file);
		free(b->later[i].shop);
		free(b->later[i].order_id);
		free(b->later[i].text);
	}
	for (i = 0; i < b->nrw; i++)
		refund_free(&b->rw[i]);
	arena_reset(b->kept);
	b->nseg = 0;
	b->nlater = 0;
	b->nrw = 0;
	b->norders = 0;
	buf_reset(&b->bytes);
}

int
taxbatch_empty(const struct taxbatch *b)
{
	return b->nseg == 0 && b->nlater == 0;
}

int
taxbatch_full(const struct taxbatch *b)
{
	return b->norders >= TAXBATCH_DOCS || b->bytes.len >= TAXBATCH_BYTES;
}

int
taxbatch_from_spool(const char *file)
{
	return file != NULL && strncmp(file, "spool/", 6) == 0;
}

static struct tb_seg *
add_seg(struct taxbatch *b, enum seg_kind kind)
{
	struct tb_seg *s;

	if (b->nseg == b->cap_seg) {
		b->cap_seg = b->cap_seg ? b->cap_seg * 2 : 256;
		b->seg = xreallocarray(b->seg, b->cap_seg, sizeof(*b->seg));
	}
	s = &b->seg[b->nseg++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->off = b->bytes.len;
	return s;
}

void
taxbatch_raw(struct taxbatch *b, const char *p, size_t n)
{
	struct tb_seg *s = add_seg(b, SEG_RAW);

	if (buf_add(&b->bytes, p, n) != KR_OK ||
	    buf_addc(&b->bytes, '\n') != KR_OK)
		KBUG("batch larger than its buffer");
	s->len = n + 1;
}

void
taxbatch_later(struct taxbatch *b, enum tb_later kind, const char *file,
    const char *shop, const char *order_id, const char *text)
{
	struct tb_later_item *l;

	if (b->nlater == b->cap_later) {
		b->cap_later = b->cap_later ? b->cap_later * 2 : 64;
		b->later = xreallocarray(b->later, b->cap_later,
		    sizeof(*b->later));
	}
	l = &b->later[b->nlater++];
	l->kind = kind;
	l->file = dup_or_null(file);
	l->shop = dup_or_null(shop);
	l->order_id = dup_or_null(order_id);
	l->text = dup_or_null(text);
}

void
taxbatch_moves(struct taxbatch *b, const struct order *o)
{
	size_t i;

	if (taxbatch_from_spool(o->source_file))
		taxbatch_later(b, TB_CUR, o->source_file, NULL, NULL, NULL);
	for (i = 0; i < o->nsource_also; i++)
		if (taxbatch_from_spool(o->source_also[i]))
			taxbatch_later(b, TB_CUR, o->source_also[i], NULL,
			    NULL, NULL);
}

void
taxbatch_refund(struct taxbatch *b, const struct order *o,
    const struct refund *rf, const char *number, size_t seg)
{
	char amount[DEC_BUFSZ];
	struct tb_refund *r;
	struct buf json;

	if (b->nrw == b->cap_rw) {
		b->cap_rw = b->cap_rw ? b->cap_rw * 2 : 16;
		b->rw = xreallocarray(b->rw, b->cap_rw, sizeof(*b->rw));
	}
	r = &b->rw[b->nrw++];
	memset(r, 0, sizeof(*r));
	r->shop = xstrdup(o->shop);
	r->order_id = xstrdup(o->order_id);
	r->order_number = xstrdup(o->order_number);
	r->refund_id = xstrdup(rf->id);
	r->amount = xstrdup(dec_format(rf->amount_minor, o->exponent,
	    amount));
	r->currency = xstrdup(o->currency);
	r->at = dup_or_null(rf->created_at);
	r->file = dup_or_null(o->source_file);
	r->number = dup_or_null(number);
	r->seg = seg;
	buf_init(&json, 0);
	if (refund_to_json(rf, o->exponent, &json) != KR_OK)
		KBUG("a refund read from a record cannot be written again");
	r->json = buf_take(&json, NULL);
}

void
taxbatch_refunds(struct taxbatch *b, const struct order *o,
    const char *number)
{
	size_t i;

	for (i = 0; i < o->nrefunds; i++)
		taxbatch_refund(b, o, &o->refunds[i], number,
		    b->nseg > 0 ? b->nseg - 1 : 0);
}

long
taxbatch_queued(const struct taxbatch *b, const char *shop,
    const char *order_id)
{
	size_t i;

	for (i = b->nseg; i-- > 0;) {
		const struct tb_seg *s = &b->seg[i];

		if (s->kind == SEG_NEW && strcmp(s->doc_type, "380") == 0 &&
		    strcmp(s->shop, shop) == 0 &&
		    strcmp(s->order_id, order_id) == 0)
			return (long)i;
	}
	return -1;
}

/*
 * The offset just after `"number":"` of the record at s: the first such
 * key is the record's own, since one inside a string value would have
 * its quotes escaped.
 */
static int
find_number(struct taxbatch *b, struct tb_seg *s)
{
	static const char key[] = "\"number\":\"";
	char *at;

	at = memmem(b->bytes.data + s->off, s->len, key, sizeof(key) - 1);
	if (at == NULL)
		return KR_NOT_FOUND;
	s->num_at = (size_t)(at - b->bytes.data) + sizeof(key) - 1;
	return KR_OK;
}

/*
 * Queues the record of inv.  With numbered set its number is drawn at
 * the commit, and it is stored as a document of (shop, order_id).
 */
static int
queue(struct taxbatch *b, const struct invoice *inv, const char *source,
    const char *hash, int numbered, struct kerr *e)
{
	size_t mark = b->bytes.len;
	struct tb_seg *s = add_seg(b, numbered ? SEG_NEW : SEG_RAW);
	int rc;

	rc = invoice_to_json(inv, &b->bytes);
	if (rc == KR_OK && !numbered)
		rc = buf_addc(&b->bytes, '\n');
	if (rc != KR_OK) {
		b->bytes.len = mark;
		if (b->bytes.data != NULL)
			b->bytes.data[mark] = '\0';
		b->nseg--;
		return kerr_set(e, rc, "", "the %s record cannot be "
		    "written: %s", strcmp(inv->doc_type, "381") == 0 ?
		    "credit note" : "invoice", rc == KR_TOO_BIG ?
		    "it is larger than a "
		    "record may be" : "a text in it is not valid UTF-8");
	}
	s->len = b->bytes.len - s->off;
	b->norders++;
	if (!numbered)
		return KR_OK;
	if (find_number(b, s) != KR_OK)
		KBUG("invoice record without a number field");
	s->doc_type = strcmp(inv->doc_type, "381") == 0 ? "381" : "380";
	s->shop = xstrdup(inv->shop);
	s->order_id = xstrdup(inv->order_id);
	s->order_hash = xstrdup(hash);
	s->issue_date = xstrdup(inv->issue_date);
	s->source = dup_or_null(source);
	s->refund_id = dup_or_null(inv->refund_id);
	distsales_figures(inv, &s->sale, &s->sale_text);
	s->sale.doc_type = s->doc_type;
	if (b->kept != NULL) {
		s->kept = arena_alloc(b->kept, sizeof(*s->kept));
		if (s->kept == NULL)
			KBUG("no room to keep an invoice for booking");
		invoice_copy_booking(s->kept, inv, b->kept);
	}
	return KR_OK;
}

int
taxbatch_invoice(struct taxbatch *b, const struct invoice *inv,
    const struct order *o, const char *hash, int numbered, struct kerr *e)
{
	if (strcmp(inv->shop, o->shop) != 0 ||
	    strcmp(inv->order_id, o->order_id) != 0)
		KBUG("an invoice queued for another order");
	return queue(b, inv, o->source_file, hash, numbered, e);
}

int
taxbatch_credit(struct taxbatch *b, const struct invoice *cn,
    const char *hash, int numbered, struct kerr *e)
{
	if (strcmp(cn->doc_type, "381") != 0 || cn->refund_id == NULL)
		KBUG("a credit note without its type or refund");
	return queue(b, cn, cn->source_file, hash, numbered, e);
}

struct commit {
	struct taxbatch *b;
	struct state *st;
	const struct taxbatch_series *series;
	const char *run_id;
	struct buf *out;
	struct taxbatch_result res;
	struct kerr *e;
};

static int
is_credit(const struct tb_seg *s)
{
	return strcmp(s->doc_type, "381") == 0;
}

/* A credit note stored marks its refund done in the same commit. */
static int
credited(struct commit *c, struct tb_seg *s)
{
	if (!is_credit(s))
		return KR_OK;
	return state_refund_done(c->st, s->shop, s->order_id, s->refund_id,
	    s->number, c->e);
}

/*
 * The stored document goes out again for an order (or refund) numbered
 * meanwhile.
 */
static int
give_stored(struct commit *c, struct tb_seg *s, struct stored_invoice *si)
{
	snprintf(s->number, sizeof(s->number), "%s", si->number);
	buf_add(c->out, si->json, si->json_len);
	buf_addc(c->out, '\n');
	stored_invoice_release(si);
	if (is_credit(s))
		c->res.credited_again++;
	else
		c->res.again++;
	return credited(c, s);
}

static void
count_new(struct taxbatch_result *r, const struct tb_seg *s)
{
	char *first = r->first, *last = r->last;

	if (is_credit(s)) {
		first = r->credit_first;
		last = r->credit_last;
		r->credited++;
	} else {
		r->invoiced++;
	}
	if (first[0] == '\0')
		snprintf(first, sizeof(r->first), "%s", s->number);
	snprintf(last, sizeof(r->last), "%s", s->number);
}

/*
 * The order (or refund) of s was numbered meanwhile: by a duplicate
 * earlier in this batch, or by another process.  The number drawn for
 * s goes back, and the stored document goes out instead.
 */
static int
numbered_before(struct commit *c, struct tb_seg *s, size_t start)
{
	struct stored_invoice si;
	int rc;

	c->out->len = start;
	c->out->data[start] = '\0';
	state_number_unused(c->st);
	rc = state_find_invoice(c->st, s->shop, s->order_id, s->doc_type,
	    s->refund_id, &si, c->e);
	if (rc == KR_NOT_FOUND)
		KBUG("a stored document that cannot be found");
	if (rc != KR_OK)
		return rc;
	return give_stored(c, s, &si);
}

/*
 * No number could be drawn for s (rc: its series is used up, or the
 * number too long): a document numbered meanwhile needs none, and its
 * stored one goes out; anything else fails with rc.
 */
static int
undrawn(struct commit *c, struct tb_seg *s, int rc)
{
	struct stored_invoice si;
	struct kerr e;

	kerr_clear(&e);
	if (rc != KR_CONFIG || state_find_invoice(c->st, s->shop,
	    s->order_id, s->doc_type, s->refund_id, &si, &e) != KR_OK)
		return rc;
	return give_stored(c, s, &si);
}

/*
 * Numbers one queued invoice inside the transaction and appends the
 * final record to the output.  An order numbered meanwhile gives its
 * stored invoice instead: storing finds that out, so that the usual
 * case looks nothing up.
 */
static int
number_one(struct commit *c, struct tb_seg *s)
{
	const char *p = c->b->bytes.data;
	struct invoice_row row;
	size_t start = c->out->len;
	int rc, taken;

	rc = state_draw_number(c->st, is_credit(s) ? c->series->credit :
	    c->series->invoice, s->issue_date, s->number, sizeof(s->number),
	    c->e);
	if (rc != KR_OK)
		return undrawn(c, s, rc);
	buf_add(c->out, p + s->off, s->num_at - s->off);
	buf_adds(c->out, s->number);
	buf_add(c->out, p + s->num_at, s->off + s->len - s->num_at);

	memset(&row, 0, sizeof(row));
	row.shop = s->shop;
	row.order_id = s->order_id;
	row.doc_type = s->doc_type;
	row.refund_id = s->refund_id;
	row.number = s->number;
	row.issue_date = s->issue_date;
	row.run_id = c->run_id;
	row.source_file = s->source;
	row.order_hash = s->order_hash;
	row.json = c->out->data + start;
	row.json_len = c->out->len - start;
	row.sale = &s->sale;
	row.taken = &taken;
	rc = state_store_invoice(c->st, &row, c->e);
	if (rc != KR_OK)
		return rc;
	if (taken)
		return numbered_before(c, s, start);
	buf_addc(c->out, '\n');
	count_new(&c->res, s);
	s->fresh = 1;
	return credited(c, s);
}

static int
record_refunds(struct commit *c)
{
	struct refund_row row;
	size_t i;
	int rc = KR_OK;

	for (i = 0; i < c->b->nrw && rc == KR_OK; i++) {
		struct tb_refund *r = &c->b->rw[i];

		memset(&row, 0, sizeof(row));
		row.shop = r->shop;
		row.order_id = r->order_id;
		row.refund_id = r->refund_id;
		row.invoice_number = r->number ? r->number :
		    c->b->seg[r->seg].number;
		row.amount = r->amount;
		row.currency = r->currency;
		row.refunded_at = r->at;
		row.source_file = r->file;
		row.run_id = c->run_id;
		row.json = r->json;
		rc = state_refund_wait(c->st, &row, &r->added, c->e);
	}
	return rc;
}

static int
record_later(struct commit *c)
{
	size_t i;
	int rc = record_refunds(c);

	for (i = 0; i < c->b->nlater && rc == KR_OK; i++) {
		struct tb_later_item *l = &c->b->later[i];

		if (l->kind == TB_REJECT)
			rc = state_reject(c->st, c->run_id, "tax", l->file,
			    l->shop, l->order_id, l->text, c->e);
		else if (l->kind == TB_SET_ASIDE)
			rc = state_set_aside(c->st, l->shop, l->order_id,
			    c->run_id, l->file, l->text, c->e);
		else if (l->kind == TB_REFUND_VOID)
			rc = state_refund_done(c->st, l->shop, l->order_id,
			    l->text, NULL, c->e);
	}
	return rc;
}

/* Adds what one commit numbered to what the run numbered so far. */
static void
result_add(struct taxbatch_result *to, const struct taxbatch_result *r)
{
	to->invoiced += r->invoiced;
	to->again += r->again;
	to->credited += r->credited;
	to->credited_again += r->credited_again;
	if (to->first[0] == '\0')
		memcpy(to->first, r->first, sizeof(to->first));
	if (r->last[0] != '\0')
		memcpy(to->last, r->last, sizeof(to->last));
	if (to->credit_first[0] == '\0')
		memcpy(to->credit_first, r->credit_first,
		    sizeof(to->credit_first));
	if (r->credit_last[0] != '\0')
		memcpy(to->credit_last, r->credit_last,
		    sizeof(to->credit_last));
}

int
taxbatch_commit(struct taxbatch *b, struct state *st,
    const struct taxbatch_series *series, const char *run_id,
    struct buf *out, struct taxbatch_result *res, struct kerr *e)
{
	struct commit c;
	size_t mark = out->len, i;
	int rc;

	if (st == NULL)
		return buf_add(out, b->bytes.data, b->bytes.len);
	memset(&c, 0, sizeof(c));
	c.b = b;
	c.st = st;
	c.series = series;
	c.run_id = run_id;
	c.out = out;
	c.e = e;
	rc = state_begin(st, e);
	for (i = 0; i < b->nseg && rc == KR_OK; i++) {
		struct tb_seg *s = &b->seg[i];

		s->fresh = 0;
		if (s->kind == SEG_NEW)
			rc = number_one(&c, s);
		else
			buf_add(out, b->bytes.data + s->off, s->len);
	}
	if (rc == KR_OK)
		rc = record_later(&c);
	if (rc == KR_OK)
		rc = state_commit(st, e);
	if (rc != KR_OK) {
		state_rollback(st);
		out->len = mark;
		if (out->data != NULL)
			out->data[mark] = '\0';
		return rc;
	}
	result_add(res, &c.res);
	return KR_OK;
}

void
taxbatch_record(const struct taxbatch *b, size_t seg, const char **p,
    size_t *n)
{
	const struct tb_seg *s;

	if (seg >= b->nseg)
		KBUG("no record %zu in the batch", seg);
	s = &b->seg[seg];
	*p = b->bytes.data + s->off;
	*n = s->len;
	if (*n > 0 && (*p)[*n - 1] == '\n')
		(*n)--;
}

void
taxbatch_each_new(const struct taxbatch *b, taxbatch_new_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < b->nseg; i++) {
		struct tb_seg *s = &b->seg[i];

		if (s->kind != SEG_NEW || !s->fresh || s->kept == NULL)
			continue;
		s->kept->number = s->number;
		fn(arg, s->kept);
	}
}

void
taxbatch_each_move(const struct taxbatch *b, taxbatch_move_fn fn, void *arg)
{
	size_t i;

	for (i = 0; i < b->nlater; i++) {
		const struct tb_later_item *l = &b->later[i];

		if (!taxbatch_from_spool(l->file))
			continue;
		if (l->kind == TB_CUR)
			fn(arg, l->file, NULL);
		else if (l->kind == TB_REJECT)
			fn(arg, l->file, l->text);
	}
}

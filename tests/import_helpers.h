#ifndef KONTOR_IMPORT_HELPERS_H
#define KONTOR_IMPORT_HELPERS_H

/*
 * What the importer tests share: a parsed payload, the order it maps
 * to and the error of the last step, and ways to read and edit
 * payloads.  Each test program includes this once.
 */

#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dec.h"
#include "err.h"
#include "import.h"
#include "json.h"
#include "order.h"
#include "record.h"

/* One parsed payload, its order and the error of the last step. */
static struct jdoc doc;
static struct order ord;
static struct kerr err;

static inline void
setup(void)
{
	jdoc_init(&doc);
	order_init(&ord);
	kerr_clear(&err);
}

static inline void
teardown(void)
{
	order_release(&ord);
	jdoc_release(&doc);
}

static inline char *
slurp(const char *path)
{
	struct buf b;
	char chunk[4096];
	size_t n, len;
	FILE *fp = fopen(path, "r");

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	return buf_take(&b, &len);
}

/* text with the first occurrence of from replaced by to; frees text. */
static inline char *
text_edit(char *text, const char *from, const char *to)
{
	char *at = strstr(text, from), *out;
	size_t head;

	ck_assert_msg(at != NULL, "the text does not contain %s", from);
	head = (size_t)(at - text);
	out = xmalloc(strlen(text) - strlen(from) + strlen(to) + 1);
	memcpy(out, text, head);
	strcpy(out + head, to);
	strcat(out, at + strlen(from));
	free(text);
	return out;
}

/* The file's text with the first occurrence of from replaced by to. */
static inline char *
slurp_edit(const char *path, const char *from, const char *to)
{
	return text_edit(slurp(path), from, to);
}

/* The order as its record line; the caller frees it. */
static inline char *
order_text(const struct order *o)
{
	struct rec_out out;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	ck_assert_ptr_nonnull(fp);
	rec_out_init(&out, fp);
	ck_assert_int_eq(order_write(o, &out), KR_OK);
	ck_assert_int_eq(rec_out_close(&out), KR_OK);
	rec_out_release(&out);
	fclose(fp);
	return text;
}

/* Parses text, recognises it and maps it; returns import_order's code. */
static inline int
map_text(char *text)
{
	enum payload_kind kind;
	enum platform p;
	int rc;

	rc = jdoc_parse(&doc, text, strlen(text), &err);
	free(text);
	ck_assert_int_eq(rc, KR_OK);
	ck_assert_int_eq(import_detect(doc.root, &p, &kind, &err), KR_OK);
	ck_assert_int_eq(kind, PAYLOAD_ORDER);
	return import_order(p, doc.root, NULL, &ord, &err);
}

static inline void
map_file(const char *path)
{
	int rc = map_text(slurp(path));

	ck_assert_msg(rc == KR_OK, "%s: %s: %s", path, err.field, err.msg);
}

static inline void
assert_money(int64_t minor, const char *want)
{
	char b[DEC_BUFSZ];

	ck_assert_str_eq(dec_format(minor, 2, b), want);
}

static inline void
assert_error(const char *field, const char *msg_part)
{
	ck_assert_str_eq(err.field, field);
	ck_assert_msg(strstr(err.msg, msg_part) != NULL,
	    "message \"%s\" lacks \"%s\"", err.msg, msg_part);
}

/* got is want, or both are NULL. */
static inline void
assert_text(const char *got, const char *want)
{
	if (want == NULL)
		ck_assert_ptr_null(got);
	else
		ck_assert_str_eq(got, want);
}

/* Every field of an address; NULL for a field that must be missing. */
static inline void
assert_address(const struct address *a, const char *name,
    const char *company, const char *street, const char *street2,
    const char *postcode, const char *city, const char *region,
    const char *country)
{
	assert_text(a->name, name);
	assert_text(a->company, company);
	assert_text(a->street, street);
	assert_text(a->street2, street2);
	assert_text(a->postcode, postcode);
	assert_text(a->city, city);
	assert_text(a->region, region);
	ck_assert_str_eq(a->country, country);
}

/* What an order line must hold, field by field. */
struct want_line {
	const char *id, *sku, *name;
	int64_t qty_e4, unit_price_e6;
	const char *amount, *discount, *reason;
	int64_t rate_bp;
	const char *tax;		/* NULL: the line states none */
};

static inline void
assert_line(const struct order_line *l, const struct want_line *w)
{
	char b[DEC_BUFSZ];

	assert_text(l->id, w->id);
	assert_text(l->sku, w->sku);
	assert_text(l->name, w->name);
	ck_assert_str_eq(l->unit, "H87");
	ck_assert_int_eq(l->qty_e4, w->qty_e4);
	ck_assert_int_eq(l->unit_price_e6, w->unit_price_e6);
	ck_assert_str_eq(dec_format(l->amount_minor, 2, b), w->amount);
	ck_assert_str_eq(dec_format(l->discount_minor, 2, b), w->discount);
	assert_text(l->discount_reason, w->reason);
	ck_assert_int_eq(l->rate_bp, w->rate_bp);
	ck_assert_int_eq(l->has_tax, w->tax != NULL);
	if (w->tax != NULL)
		ck_assert_str_eq(dec_format(l->tax_minor, 2, b), w->tax);
}

/* The canonical sum the way docs/records.md defines the amounts. */
static inline int64_t
canonical_paid(const struct order *o)
{
	int64_t sum = 0;
	size_t i;

	for (i = 0; i < o->nlines; i++)
		sum += o->lines[i].amount_minor - o->lines[i].discount_minor;
	for (i = 0; i < o->nshipping; i++)
		sum += o->shipping[i].amount_minor -
		    o->shipping[i].discount_minor;
	for (i = 0; i < o->ndiscounts; i++)
		if (!o->discounts[i].allocated)
			sum -= o->discounts[i].amount_minor;
	if (o->prices == PRICES_NET)
		sum += o->tax_total_minor;
	return sum;
}

#endif

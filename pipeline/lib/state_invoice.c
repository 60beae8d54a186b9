#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "sha256.h"
#include "state_db.h"

/* The longest invoice number (BT-1), as stored_invoice.number holds. */
#define NUMBER_MAX	64
#define WIDTH_MAX	12

/* A number pattern expanded for one date: before{N...}after. */
struct number_form {
	char before[NUMBER_MAX];
	char after[NUMBER_MAX];
	int width;
};

/* Invoices */

static int
copy_column(sqlite3_stmt *s, int i, char *out, size_t size)
{
	const char *v = (const char *)sqlite3_column_text(s, i);
	size_t n = (size_t)sqlite3_column_bytes(s, i);

	if (v == NULL || n >= size)
		return 0;
	memcpy(out, v, n + 1);
	return 1;
}

static int
read_invoice(struct state *st, sqlite3_stmt *s, struct stored_invoice *out,
    struct kerr *e)
{
	const void *json = sqlite3_column_blob(s, 3);
	size_t len = (size_t)sqlite3_column_bytes(s, 3);

	if (!copy_column(s, 0, out->number, sizeof(out->number)) ||
	    !copy_column(s, 1, out->issue_date, sizeof(out->issue_date)) ||
	    !copy_column(s, 2, out->order_hash, sizeof(out->order_hash))) {
		kerr_where(e, st->path, 0);
		return kerr_set(e, KR_STATE, "", "a stored invoice has a "
		    "malformed number, date or hash");
	}
	out->json = xmalloc(len + 1);
	if (len > 0)
		memcpy(out->json, json, len);
	out->json[len] = '\0';
	out->json_len = len;
	return KR_OK;
}

int
state_find_invoice(struct state *st, const char *shop,
    const char *order_id, const char *doc_type, const char *refund_id,
    struct stored_invoice *out, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	memset(out, 0, sizeof(*out));
	rc = state_stmt(st, SQ_INVOICE_FIND, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, shop);
	state_bind_text(s, 2, order_id);
	state_bind_text(s, 3, doc_type);
	state_bind_text(s, 4, refund_id != NULL ? refund_id : "");
	rc = state_step(st, s, &row, "cannot look up the invoice", e);
	if (rc != KR_OK)
		return rc;
	rc = row ? read_invoice(st, s, out, e) : KR_NOT_FOUND;
	state_stmt_done(s);
	return rc;
}

int
state_invoice_same(struct state *st, const char *number, const char *json,
    size_t len, int *same, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	*same = 0;
	rc = state_stmt(st, SQ_INVOICE_JSON, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, number);
	rc = state_step(st, s, &row, "cannot look up the invoice", e);
	if (rc == KR_OK && row) {
		const void *p = sqlite3_column_blob(s, 0);
		size_t n = (size_t)sqlite3_column_bytes(s, 0);

		*same = n == len && (n == 0 || memcmp(p, json, n) == 0);
	}
	state_stmt_done(s);
	return rc;
}

void
stored_invoice_release(struct stored_invoice *si)
{
	free(si->json);
	memset(si, 0, sizeof(*si));
}

/* Numbering */

/* Appends n bytes of p to the part of the number being built. */
static int
form_add(char *part, const char *p, size_t n)
{
	size_t len = strlen(part);

	if (len + n >= NUMBER_MAX)
		return 0;
	memcpy(part + len, p, n);
	part[len + n] = '\0';
	return 1;
}

/* Reads "{N...}" at p into f->width; the length of the run, or 0. */
static size_t
form_counter(const char *p, struct number_form *f)
{
	size_t n = 1;

	while (p[n] == 'N')
		n++;
	if (n == 1 || p[n] != '}' || f->width > 0 || n - 1 > WIDTH_MAX)
		return 0;
	f->width = (int)(n - 1);
	return n + 1;
}

static int
form_expand(const char *pattern, const char *date, struct number_form *f,
    struct kerr *e)
{
	const char *p = pattern;
	char *part = f->before;
	size_t skip;
	int ok = 1;

	memset(f, 0, sizeof(*f));
	while (*p != '\0' && ok) {
		if (strncmp(p, "{YYYY}", 6) == 0) {
			ok = form_add(part, date, 4);
			p += 6;
		} else if (strncmp(p, "{YY}", 4) == 0 ||
		    strncmp(p, "{MM}", 4) == 0) {
			ok = form_add(part, date + (p[1] == 'Y' ? 2 : 5), 2);
			p += 4;
		} else if (strncmp(p, "{N", 2) == 0) {
			skip = form_counter(p, f);
			ok = skip > 0;
			p += skip;
			part = f->after;
		} else {
			ok = *p != '{' && *p != '}' && form_add(part, p, 1);
			p++;
		}
	}
	if (!ok || f->width == 0 || strlen(f->before) + (size_t)f->width +
	    strlen(f->after) >= NUMBER_MAX)
		return kerr_set(e, KR_CONFIG, "", "number pattern \"%.80s\": "
		    "expected text, {YYYY}, {YY}, {MM} and one run of 1 to %d "
		    "digits like {NNNNNN}, at most %d characters in all",
		    pattern, WIDTH_MAX, NUMBER_MAX - 1);
	return KR_OK;
}

/* The series key held for the open transaction, or NULL. */
static struct series_held *
series_held(struct state *st, const char *key)
{
	size_t i;

	for (i = 0; i < st->nheld; i++)
		if (strcmp(st->held[i].key, key) == 0)
			return &st->held[i];
	return NULL;
}

static int
series_write(struct state *st, const char *key, int64_t last,
    struct kerr *e)
{
	sqlite3_stmt *s;
	int rc;

	rc = state_stmt(st, SQ_SERIES_SET, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, key);
	sqlite3_bind_int64(s, 2, last);
	return state_exec(st, s, "cannot advance the number series", e);
}

int
state_series_flush(struct state *st, struct kerr *e)
{
	size_t i;
	int rc;

	for (i = 0; i < st->nheld; i++) {
		if (st->held[i].last == st->held[i].stored)
			continue;
		rc = series_write(st, st->held[i].key, st->held[i].last, e);
		if (rc != KR_OK)
			return rc;
		st->held[i].stored = st->held[i].last;
	}
	return KR_OK;
}

void
state_series_forget(struct state *st)
{
	st->nheld = 0;
	st->drawn = NULL;
}

void
state_number_unused(struct state *st)
{
	if (st->drawn == NULL)
		KBUG("a number given back that was not drawn");
	st->drawn->last--;
	st->drawn = NULL;
}

/*
 * The last number of the series key, read once per transaction and
 * held from then on; *h is where it is held.
 */
static int
series_last(struct state *st, const char *key, struct series_held **h,
    struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	*h = series_held(st, key);
	if (*h != NULL)
		return KR_OK;
	if (strlen(key) >= SERIES_KEY_MAX)
		KBUG("a number series key longer than its buffer");
	if (st->nheld == SERIES_HELD) {
		rc = state_series_flush(st, e);
		if (rc != KR_OK)
			return rc;
		state_series_forget(st);
	}
	rc = state_stmt(st, SQ_SERIES_GET, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, key);
	rc = state_step(st, s, &row, "cannot read the number series", e);
	if (rc != KR_OK)
		return rc;
	*h = &st->held[st->nheld++];
	snprintf((*h)->key, sizeof((*h)->key), "%s", key);
	(*h)->last = row ? sqlite3_column_int64(s, 0) : 0;
	(*h)->stored = (*h)->last;
	state_stmt_done(s);
	return KR_OK;
}

int
state_draw_number(struct state *st, const char *pattern, const char *date,
    char *out, size_t size, struct kerr *e)
{
	char key[SERIES_KEY_MAX];
	struct series_held *h;
	struct number_form f;
	int64_t max = 1;
	int i, rc, n;

	if (!state_in_transaction(st))
		KBUG("state_draw_number outside a transaction");
	if (date == NULL || !ktime_valid_date(date))
		return kerr_set(e, KR_BAD_INPUT, "", "expected an invoice "
		    "date like \"2026-12-04\", got \"%.20s\"",
		    date ? date : "");
	rc = form_expand(pattern, date, &f, e);
	if (rc != KR_OK)
		return rc;
	snprintf(key, sizeof(key), "%s{N}%s", f.before, f.after);
	rc = series_last(st, key, &h, e);
	if (rc != KR_OK)
		return rc;

	for (i = 0; i < f.width; i++)
		max *= 10;
	if (h->last + 1 >= max)
		return kerr_set(e, KR_CONFIG, "", "number series \"%s\" is "
		    "exhausted: all %d-digit numbers are used; widen {N...} "
		    "in the pattern", key, f.width);
	n = snprintf(out, size, "%s%0*lld%s", f.before, f.width,
	    (long long)(h->last + 1), f.after);
	if (n < 0 || (size_t)n >= size)
		return kerr_set(e, KR_CONFIG, "", "number series \"%s\": the "
		    "number does not fit %zu characters", key, size - 1);
	h->last++;
	st->drawn = h;
	return KR_OK;
}

/* Storing and reading back */

/*
 * 1 when the insert just refused was of a document its order already
 * has: SQLite backed the statement out, and the transaction goes on.
 */
static int
order_taken(struct state *st)
{
	return sqlite3_extended_errcode(st->db) == SQLITE_CONSTRAINT_UNIQUE &&
	    strstr(sqlite3_errmsg(st->db), "invoices.order_id") != NULL;
}

/* Fills e for a refused insert of r, naming what was already there. */
static int
store_refused(struct state *st, const struct invoice_row *r,
    struct kerr *e)
{
	int ext = sqlite3_extended_errcode(st->db);

	if (ext != SQLITE_CONSTRAINT_UNIQUE &&
	    ext != SQLITE_CONSTRAINT_PRIMARYKEY)
		return state_fail(st, "cannot store the invoice", e);
	kerr_where(e, r->source_file, 0);
	if (strstr(sqlite3_errmsg(st->db), "invoices.number") != NULL)
		return kerr_set(e, KR_STATE, "number", "invoice number %s is "
		    "already taken by another document", r->number);
	return kerr_set(e, KR_STATE, "order_id", "order %s of shop %s "
	    "already has a stored document of type %s%s%s", r->order_id,
	    r->shop, r->doc_type, r->refund_id ? " for refund " : "",
	    r->refund_id ? r->refund_id : "");
}

/*
 * The figures of r that the yearly totals count, beside the invoice row
 * id, in the same transaction: a document is counted exactly when it
 * is stored.  One without a year of supply or a treatment counts in no
 * total, as the stored record's JSON never did.
 */
static int
store_sale(struct state *st, int64_t id, const struct invoice_row *r,
    struct kerr *e)
{
	const struct distance_sale_row *f = r->sale;
	sqlite3_stmt *s;
	int rc;

	if (f->supply_year == NULL || f->treatment == NULL)
		return KR_OK;
	rc = state_stmt(st, SQ_SALE_ADD, &s, e);
	if (rc != KR_OK)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	state_bind_text(s, 2, f->supply_year);
	state_bind_text(s, 3, f->treatment);
	state_bind_text(s, 4, r->doc_type);
	state_bind_text(s, 5, f->currency);
	state_bind_text(s, 6, f->net);
	state_bind_text(s, 7, f->vat_eur);
	state_bind_text(s, 8, f->gross_eur);
	return state_exec(st, s, "cannot store the invoice's sales", e);
}

int
state_store_invoice(struct state *st, const struct invoice_row *r,
    struct kerr *e)
{
	char hex[SHA256_HEX], now[KTIME_ISO_MAX];
	sqlite3_stmt *s;
	int rc;

	if (!state_in_transaction(st))
		KBUG("state_store_invoice outside a transaction");
	if (r->sale == NULL)
		KBUG("an invoice stored without its sales figures");
	rc = state_stmt(st, SQ_INVOICE_ADD, &s, e);
	if (rc != KR_OK)
		return rc;
	sha256_buf_hex(r->json, r->json_len, hex);
	state_now(now);
	state_bind_text(s, 1, r->shop);
	state_bind_text(s, 2, r->order_id);
	state_bind_text(s, 3, r->doc_type);
	state_bind_text(s, 4, r->refund_id != NULL ? r->refund_id : "");
	state_bind_text(s, 5, r->number);
	state_bind_text(s, 6, r->issue_date);
	state_bind_text(s, 7, r->run_id);
	state_bind_text(s, 8, r->source_file);
	state_bind_text(s, 9, r->order_hash);
	sqlite3_bind_blob64(s, 10, r->json, r->json_len, SQLITE_STATIC);
	state_bind_text(s, 11, hex);
	state_bind_text(s, 12, now);

	if (r->taken != NULL)
		*r->taken = 0;
	if (sqlite3_step(s) != SQLITE_DONE) {
		if (r->taken != NULL && order_taken(st)) {
			*r->taken = 1;
			state_stmt_done(s);
			return KR_OK;
		}
		rc = store_refused(st, r, e);
	}
	state_stmt_done(s);
	if (rc == KR_OK)
		rc = store_sale(st, sqlite3_last_insert_rowid(st->db), r, e);
	return rc;
}

int
state_each_undelivered(struct state *st, const char *channel,
    state_invoice_fn fn, void *arg, struct kerr *e)
{
	sqlite3_stmt *s;
	int64_t upto;
	int rc, row;

	rc = state_upto_get(st, channel, &upto, e);
	if (rc == KR_OK)
		rc = state_stmt(st, SQ_UNDELIVERED, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, channel);
	sqlite3_bind_int64(s, 2, upto);
	for (;;) {
		rc = state_step(st, s, &row, "cannot list the undelivered "
		    "invoices", e);
		if (rc != KR_OK)
			return rc;
		if (!row)
			break;
		rc = fn(arg, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_blob(s, 1),
		    (size_t)sqlite3_column_bytes(s, 1));
		if (rc != KR_OK)
			break;
	}
	state_stmt_done(s);
	return rc;
}

/*
 * Matches number against pattern: literal text, {YYYY} four digits, {YY}
 * and {MM} two, and the counter's run of digits.  Fills f (with the date
 * parts as they stand in number) and *value.  1 on a match.
 */
static int
form_match(const char *pattern, const char *number, struct number_form *f,
    int64_t *value)
{
	const char *p = pattern, *s = number;
	char *part = f->before;
	size_t skip, n;

	memset(f, 0, sizeof(*f));
	*value = -1;
	while (*p != '\0') {
		if (strncmp(p, "{YYYY}", 6) == 0 ||
		    strncmp(p, "{YY}", 4) == 0 ||
		    strncmp(p, "{MM}", 4) == 0) {
			n = p[2] == 'Y' && p[3] == 'Y' ? 4 : 2;
			if (strspn(s, "0123456789") < n ||
			    !form_add(part, s, n))
				return 0;
			s += n;
			p += n == 4 ? 6 : 4;
		} else if (strncmp(p, "{N", 2) == 0) {
			skip = form_counter(p, f);
			n = strspn(s, "0123456789");
			if (skip == 0 || n == 0 || n > WIDTH_MAX)
				return 0;
			*value = strtoll(s, NULL, 10);
			s += n;
			p += skip;
			part = f->after;
		} else {
			if (*p != *s || !form_add(part, p, 1))
				return 0;
			p++;
			s++;
		}
	}
	return *s == '\0' && *value >= 0;
}

int
state_series_raise(struct state *st, const char *pattern,
    const char *number, struct kerr *e)
{
	char key[SERIES_KEY_MAX];
	struct series_held *h;
	struct number_form f;
	int64_t value;
	int rc;

	if (!state_in_transaction(st))
		KBUG("state_series_raise outside a transaction");
	if (!form_match(pattern, number, &f, &value))
		return KR_NOT_FOUND;
	snprintf(key, sizeof(key), "%s{N}%s", f.before, f.after);
	rc = series_last(st, key, &h, e);
	if (rc != KR_OK || h->last >= value)
		return rc;
	h->last = value;
	st->drawn = NULL;
	return KR_OK;
}

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "state_db.h"

/* 1 when the last statement broke a UNIQUE or PRIMARY KEY constraint. */
#define DUPLICATE(db) \
	(sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_UNIQUE || \
	sqlite3_extended_errcode(db) == SQLITE_CONSTRAINT_PRIMARYKEY)

/* A pending delivery read back for state_each_pending. */
struct pending {
	char *id;
	struct delivery_file *files;
	size_t nfiles;
};

/* The low-water mark of delivered invoices */

int
state_upto_get(struct state *st, const char *channel, int64_t *upto,
    struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	rc = state_stmt(st, SQ_UPTO_GET, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, channel);
	rc = state_step(st, s, &row, "cannot read the delivered mark", e);
	if (rc != KR_OK)
		return rc;
	*upto = row ? sqlite3_column_int64(s, 0) : 0;
	state_stmt_done(s);
	return KR_OK;
}

/* Reads one integer column of a one-row query (NULL reads as 0). */
static int
query_int(struct state *st, sqlite3_stmt *s, int64_t *v, int *row,
    struct kerr *e)
{
	int rc;

	rc = state_step(st, s, row, "cannot read the delivery ledger", e);
	if (rc != KR_OK)
		return rc;
	*v = *row ? sqlite3_column_int64(s, 0) : 0;
	state_stmt_done(s);
	return KR_OK;
}

/*
 * Sets *from to where the search for the first invoice not covered on
 * channel may start: past the invoices that delivery id covers, when
 * they are all the invoices after the mark upto up to the last of
 * them; else at upto.  Its n documents after the mark are n different
 * invoices, so when the last is n past the mark, none in between is
 * left out.  Searching from the mark read every invoice the delivery
 * had just covered once more, stored JSON and all, where this finds
 * its documents through indexes.
 */
static int
upto_span(struct state *st, const char *id, const char *channel,
    int64_t upto, int64_t *from, struct kerr *e)
{
	sqlite3_stmt *s;
	int64_t n, last;
	int rc, row;

	*from = upto;
	rc = state_stmt(st, SQ_DELIVERY_SPAN, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, id);
	state_bind_text(s, 2, channel);
	sqlite3_bind_int64(s, 3, upto);
	rc = state_step(st, s, &row, "cannot read the delivery ledger", e);
	if (rc != KR_OK)
		return rc;
	n = row ? sqlite3_column_int64(s, 0) : 0;
	last = row ? sqlite3_column_int64(s, 1) : 0;
	state_stmt_done(s);
	if (n > 0 && last - upto == n)
		*from = last;
	return KR_OK;
}

/*
 * Raises channel's mark past the invoices that done deliveries now
 * cover, so that state_each_undelivered need not walk them again.  Runs
 * inside the transaction that marked delivery id done.
 */
static int
upto_advance(struct state *st, const char *id, const char *channel,
    struct kerr *e)
{
	sqlite3_stmt *s;
	int64_t upto, from, first, next;
	int rc, row;

	rc = state_upto_get(st, channel, &upto, e);
	if (rc == KR_OK)
		rc = upto_span(st, id, channel, upto, &from, e);
	if (rc == KR_OK)
		rc = state_stmt(st, SQ_FIRST_UNDONE, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, channel);
	sqlite3_bind_int64(s, 2, from);
	rc = query_int(st, s, &first, &row, e);
	if (rc != KR_OK)
		return rc;
	if (row) {
		next = first - 1;
	} else {
		rc = state_stmt(st, SQ_LAST_INVOICE, &s, e);
		if (rc == KR_OK)
			rc = query_int(st, s, &next, &row, e);
		if (rc != KR_OK)
			return rc;
	}
	if (next <= upto)
		return KR_OK;
	rc = state_stmt(st, SQ_UPTO_SET, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, channel);
	sqlite3_bind_int64(s, 2, next);
	return state_exec(st, s, "cannot advance the delivered mark", e);
}

/* Recording a pending delivery */

static int
delivery_add_row(struct state *st, const struct delivery_row *d,
    struct kerr *e)
{
	char now[KTIME_ISO_MAX];
	sqlite3_stmt *s;
	int rc;

	rc = state_stmt(st, SQ_DELIVERY_ADD, &s, e);
	if (rc != KR_OK)
		return rc;
	state_now(now);
	state_bind_text(s, 1, d->id);
	state_bind_text(s, 2, d->channel);
	state_bind_text(s, 3, d->run_id);
	state_bind_text(s, 4, now);
	if (sqlite3_step(s) == SQLITE_DONE) {
		state_stmt_done(s);
		return KR_OK;
	}
	if (DUPLICATE(st->db))
		rc = kerr_set(e, KR_STATE, "", "delivery %s is already "
		    "recorded in the ledger", d->id);
	else
		rc = state_fail(st, "cannot record the delivery", e);
	state_stmt_done(s);
	return rc;
}

static int
delivery_add_files(struct state *st, const struct delivery_row *d,
    struct kerr *e)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	rc = state_stmt(st, SQ_DELIVERY_FILE_ADD, &s, e);
	if (rc != KR_OK)
		return rc;
	for (i = 0; i < d->nfiles && rc == KR_OK; i++) {
		state_bind_text(s, 1, d->id);
		state_bind_text(s, 2, d->files[i].name);
		state_bind_text(s, 3, d->files[i].sha256);
		sqlite3_bind_int64(s, 4, d->files[i].size_bytes);
		rc = state_exec(st, s, "cannot record a delivered file", e);
	}
	return rc;
}

/*
 * A document that the ledger already has on the channel: fine when it
 * is this delivery's own (listed twice), refused otherwise.
 */
static int
doc_taken(struct state *st, const struct delivery_row *d,
    const char *number, struct kerr *e)
{
	sqlite3_stmt *s;
	char owner[128] = "", status[16] = "";
	int rc, row;

	rc = state_stmt(st, SQ_DOC_OWNER, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, d->channel);
	state_bind_text(s, 2, number);
	rc = state_step(st, s, &row, "cannot read the delivery ledger", e);
	if (rc != KR_OK)
		return rc;
	if (row) {
		snprintf(owner, sizeof(owner), "%s",
		    (const char *)sqlite3_column_text(s, 0));
		snprintf(status, sizeof(status), "%s",
		    (const char *)sqlite3_column_text(s, 1));
	}
	state_stmt_done(s);
	if (strcmp(owner, d->id) == 0)
		return KR_OK;
	return kerr_set(e, KR_STATE, "", "invoice %s is already %s on "
	    "channel %s in delivery %s", number, strcmp(status, "done") ==
	    0 ? "delivered" : "pending", d->channel, owner);
}

static int
delivery_add_docs(struct state *st, const struct delivery_row *d,
    struct kerr *e)
{
	sqlite3_stmt *s;
	size_t i;
	int rc;

	rc = state_stmt(st, SQ_DELIVERY_DOC_ADD, &s, e);
	if (rc != KR_OK)
		return rc;
	for (i = 0; i < d->ndocs && rc == KR_OK; i++) {
		state_bind_text(s, 1, d->id);
		state_bind_text(s, 2, d->channel);
		state_bind_text(s, 3, d->docs[i]);
		if (sqlite3_step(s) == SQLITE_DONE)
			rc = KR_OK;
		else if (DUPLICATE(st->db))
			rc = doc_taken(st, d, d->docs[i], e);
		else
			rc = state_fail(st, "cannot record a delivered "
			    "document", e);
		state_stmt_done(s);
	}
	return rc;
}

int
state_delivery_pending(struct state *st, const struct delivery_row *d,
    struct kerr *e)
{
	int rc;

	if (!state_in_transaction(st))
		KBUG("state_delivery_pending outside a transaction");
	rc = delivery_add_row(st, d, e);
	if (rc == KR_OK)
		rc = delivery_add_files(st, d, e);
	if (rc == KR_OK)
		rc = delivery_add_docs(st, d, e);
	return rc;
}

int
state_delivery_docs(struct state *st, const struct delivery_row *d,
    struct kerr *e)
{
	if (!state_in_transaction(st))
		KBUG("state_delivery_docs outside a transaction");
	return delivery_add_docs(st, d, e);
}

/* Settling a delivery */

/*
 * Reads the status ("pending", "done") and channel of delivery id;
 * status stays "" when the ledger does not know it.
 */
static int
delivery_status(struct state *st, const char *id, char status[16],
    char channel[64], struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	status[0] = channel[0] = '\0';
	rc = state_stmt(st, SQ_DELIVERY_STATUS, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, id);
	rc = state_step(st, s, &row, "cannot read the delivery ledger", e);
	if (rc != KR_OK)
		return rc;
	if (row) {
		snprintf(status, 16, "%s",
		    (const char *)sqlite3_column_text(s, 0));
		snprintf(channel, 64, "%s",
		    (const char *)sqlite3_column_text(s, 1));
	}
	state_stmt_done(s);
	return KR_OK;
}

static int
delivery_mark_done(struct state *st, const char *id, struct kerr *e)
{
	char status[16], channel[64], now[KTIME_ISO_MAX];
	sqlite3_stmt *s;
	int rc;

	rc = delivery_status(st, id, status, channel, e);
	if (rc != KR_OK)
		return rc;
	if (status[0] == '\0')
		return kerr_set(e, KR_STATE, "", "delivery %s is not in the "
		    "ledger", id);
	if (strcmp(status, "done") == 0)
		return KR_OK;
	rc = state_stmt(st, SQ_DELIVERY_DONE, &s, e);
	if (rc != KR_OK)
		return rc;
	state_now(now);
	state_bind_text(s, 1, id);
	state_bind_text(s, 2, now);
	rc = state_exec(st, s, "cannot mark the delivery done", e);
	if (rc != KR_OK)
		return rc;
	return upto_advance(st, id, channel, e);
}

int
state_delivery_done(struct state *st, const char *id, struct kerr *e)
{
	int rc;

	if (state_in_transaction(st))
		KBUG("state_delivery_done inside a transaction");
	rc = state_begin(st, e);
	if (rc != KR_OK)
		return rc;
	rc = delivery_mark_done(st, id, e);
	if (rc == KR_OK)
		rc = state_commit(st, e);
	if (rc != KR_OK)
		state_rollback(st);
	return rc;
}

static int
delivery_forget(struct state *st, const char *id, struct kerr *e)
{
	char status[16], channel[64];
	sqlite3_stmt *s;
	int rc;

	rc = delivery_status(st, id, status, channel, e);
	if (rc != KR_OK)
		return rc;
	if (status[0] == '\0')
		return KR_OK;
	if (strcmp(status, "pending") != 0)
		return kerr_set(e, KR_STATE, "", "delivery %s is done; only a "
		    "pending delivery can be dropped", id);
	/* Its files and documents go with it (ON DELETE CASCADE). */
	rc = state_stmt(st, SQ_DELIVERY_DELETE, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, id);
	return state_exec(st, s, "cannot drop the delivery", e);
}

int
state_delivery_drop(struct state *st, const char *id, struct kerr *e)
{
	int rc;

	if (state_in_transaction(st))
		KBUG("state_delivery_drop inside a transaction");
	rc = state_begin(st, e);
	if (rc != KR_OK)
		return rc;
	rc = delivery_forget(st, id, e);
	if (rc == KR_OK)
		rc = state_commit(st, e);
	if (rc != KR_OK)
		state_rollback(st);
	return rc;
}

/* Reading the ledger */

static void
pending_release(struct pending *p, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < p[i].nfiles; j++)
			free((char *)p[i].files[j].name);
		free(p[i].files);
		free(p[i].id);
	}
	free(p);
}

static int
pending_read_files(struct state *st, struct pending *p, struct kerr *e)
{
	sqlite3_stmt *s;
	size_t cap = 0;
	int rc, row;

	rc = state_stmt(st, SQ_DELIVERY_FILES, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, p->id);
	for (;;) {
		struct delivery_file *f;

		rc = state_step(st, s, &row, "cannot read the delivery "
		    "ledger", e);
		if (rc != KR_OK || !row)
			break;
		if (p->nfiles == cap) {
			cap = cap ? cap * 2 : 8;
			p->files = xreallocarray(p->files, cap,
			    sizeof(*p->files));
		}
		f = &p->files[p->nfiles++];
		f->name = xstrdup((const char *)sqlite3_column_text(s, 0));
		snprintf(f->sha256, sizeof(f->sha256), "%s",
		    (const char *)sqlite3_column_text(s, 1));
		f->size_bytes = sqlite3_column_int64(s, 2);
	}
	if (rc == KR_OK)
		state_stmt_done(s);
	return rc;
}

/* Reads every pending delivery with its files into *out. */
static int
pending_read(struct state *st, struct pending **out, size_t *n,
    struct kerr *e)
{
	sqlite3_stmt *s;
	size_t cap = 0, i;
	int rc, row;

	*out = NULL;
	*n = 0;
	rc = state_stmt(st, SQ_PENDING_IDS, &s, e);
	if (rc != KR_OK)
		return rc;
	for (;;) {
		rc = state_step(st, s, &row, "cannot read the delivery "
		    "ledger", e);
		if (rc != KR_OK || !row)
			break;
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*out = xreallocarray(*out, cap, sizeof(**out));
		}
		memset(&(*out)[*n], 0, sizeof(**out));
		(*out)[(*n)++].id = xstrdup(
		    (const char *)sqlite3_column_text(s, 0));
	}
	if (rc == KR_OK)
		state_stmt_done(s);
	for (i = 0; i < *n && rc == KR_OK; i++)
		rc = pending_read_files(st, &(*out)[i], e);
	return rc;
}

int
state_each_pending(struct state *st, state_delivery_fn fn, void *arg,
    struct kerr *e)
{
	struct pending *p;
	size_t n, i;
	int rc;

	/* Read everything first: fn changes the ledger as it goes. */
	rc = pending_read(st, &p, &n, e);
	for (i = 0; i < n && rc == KR_OK; i++)
		rc = fn(arg, p[i].id, p[i].files, p[i].nfiles);
	pending_release(p, n);
	return rc;
}

int
state_delivery_known(struct state *st, const char *id)
{
	char status[16], channel[64];

	if (delivery_status(st, id, status, channel, NULL) != KR_OK)
		return -1;
	return status[0] != '\0';
}

int
state_count_deliveries(struct state *st, long *n, struct kerr *e)
{
	sqlite3_stmt *s;
	int64_t v;
	int rc, row;

	rc = state_stmt(st, SQ_DELIVERY_COUNT, &s, e);
	if (rc == KR_OK)
		rc = query_int(st, s, &v, &row, e);
	if (rc != KR_OK)
		return rc;
	*n = (long)v;
	return KR_OK;
}

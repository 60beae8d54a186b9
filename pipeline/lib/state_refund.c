/*
 * The refunds of invoiced orders, from the moment kontor-tax sees them
 * until their credit notes are stored (state.h, refunds_waiting).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "state_db.h"

int
state_refund_wait(struct state *st, const struct refund_row *r, int *added,
    struct kerr *e)
{
	char now[KTIME_ISO_MAX];
	sqlite3_stmt *s;
	int rc;

	*added = 0;
	rc = state_stmt(st, SQ_REFUND_WAIT, &s, e);
	if (rc != KR_OK)
		return rc;
	state_now(now);
	state_bind_text(s, 1, r->shop);
	state_bind_text(s, 2, r->order_id);
	state_bind_text(s, 3, r->refund_id);
	state_bind_text(s, 4, r->invoice_number);
	state_bind_text(s, 5, r->amount);
	state_bind_text(s, 6, r->currency);
	state_bind_text(s, 7, r->refunded_at ? r->refunded_at : "");
	state_bind_text(s, 8, r->source_file ? r->source_file : "-");
	state_bind_text(s, 9, r->run_id);
	state_bind_text(s, 10, now);
	state_bind_text(s, 11, r->json);
	rc = state_exec(st, s, "cannot record the refund", e);
	if (rc == KR_OK)
		*added = sqlite3_changes(st->db) > 0;
	return rc;
}

int
state_refunds_waiting(struct state *st, long *n, struct kerr *e)
{
	char text[32];
	int rc;

	rc = state_query_text(st, SQ_REFUNDS_WAITING, text, sizeof(text),
	    "cannot count the refunds", e);
	*n = rc == KR_OK ? strtol(text, NULL, 10) : 0;
	return rc;
}

static const char *
column(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

int
state_each_refund_waiting(struct state *st, int64_t after,
    const struct waiting_refund *past, state_refund_fn fn, void *arg,
    struct kerr *e)
{
	struct waiting_refund w;
	sqlite3_stmt *s;
	int rc, row;

	rc = state_stmt(st, SQ_REFUNDS_TODO, &s, e);
	if (rc != KR_OK)
		return rc;
	sqlite3_bind_int64(s, 1, after);
	/* Every refund sorts after ("", "", 0): its rowid is above 0. */
	state_bind_text(s, 2, past != NULL ? past->shop : "");
	state_bind_text(s, 3, past != NULL ? past->order_id : "");
	sqlite3_bind_int64(s, 4, past != NULL ? past->rowid : 0);
	for (;;) {
		rc = state_step(st, s, &row, "cannot read the refunds", e);
		if (rc != KR_OK || !row)
			break;
		w.rowid = sqlite3_column_int64(s, 0);
		w.shop = column(s, 1);
		w.order_id = column(s, 2);
		w.refund_id = column(s, 3);
		w.invoice_number = column(s, 4);
		w.currency = column(s, 5);
		w.json = column(s, 6);
		w.source_file = column(s, 7);
		rc = fn(arg, &w);
		if (rc != KR_OK)
			break;
	}
	state_stmt_done(s);
	return rc;
}

int
state_refund_done(struct state *st, const char *shop, const char *order_id,
    const char *refund_id, const char *credit_number, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc;

	if (!state_in_transaction(st))
		KBUG("state_refund_done outside a transaction");
	rc = state_stmt(st, SQ_REFUND_DONE, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, shop);
	state_bind_text(s, 2, order_id);
	state_bind_text(s, 3, refund_id);
	state_bind_text(s, 4, credit_number != NULL ? "done" : "void");
	state_bind_text(s, 5, credit_number);
	return state_exec(st, s, "cannot mark the refund credited", e);
}

int
state_each_credit_note(struct state *st, const char *shop,
    const char *order_id, state_invoice_fn fn, void *arg, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	rc = state_stmt(st, SQ_CREDITS_OF_ORDER, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, shop);
	state_bind_text(s, 2, order_id);
	for (;;) {
		rc = state_step(st, s, &row, "cannot read credit notes", e);
		if (rc != KR_OK || !row)
			break;
		rc = fn(arg, NULL, sqlite3_column_blob(s, 0),
		    (size_t)sqlite3_column_bytes(s, 0));
		if (rc != KR_OK)
			break;
	}
	state_stmt_done(s);
	return rc;
}

int
state_refund_status(struct state *st, const char *shop,
    const char *order_id, const char *refund_id, char out[16],
    struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	out[0] = '\0';
	rc = state_stmt(st, SQ_REFUND_STATUS, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, shop);
	state_bind_text(s, 2, order_id);
	state_bind_text(s, 3, refund_id);
	rc = state_step(st, s, &row, "cannot read the refunds", e);
	if (rc != KR_OK)
		return rc;
	if (row && column(s, 0) != NULL)
		snprintf(out, 16, "%s", column(s, 0));
	state_stmt_done(s);
	return KR_OK;
}

/*
 * What a run did, read back from the state database for its report:
 * the audit rows its stages wrote and the files it delivered.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "state_db.h"

static int
run_known(struct state *st, const char *id, int *known, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc;

	rc = state_stmt(st, SQ_RUN_KNOWN, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, id);
	rc = state_step(st, s, known, "cannot read the audit log", e);
	state_stmt_done(s);
	return rc;
}

int
state_fresh_run_id(struct state *st, char *id, size_t size, struct kerr *e)
{
	const char *given = getenv("KONTOR_RUN_ID");
	char base[64], cand[64];
	int known = 1, n, rc;

	if (given != NULL && given[0] != '\0')
		return KR_OK;
	snprintf(base, sizeof(base), "%s", id);
	snprintf(cand, sizeof(cand), "%s", id);
	for (n = 2; ; n++) {
		rc = run_known(st, cand, &known, e);
		if (rc != KR_OK || !known)
			break;
		snprintf(cand, sizeof(cand), "%.50s-%d", base, n);
	}
	if (rc == KR_OK)
		snprintf(id, size, "%s", cand);
	return rc;
}

int
state_each_audit(struct state *st, const char *run_id, state_audit_fn fn,
    void *arg, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	rc = state_stmt(st, SQ_AUDIT_OF_RUN, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, run_id);
	for (;;) {
		rc = state_step(st, s, &row, "cannot read the audit log", e);
		if (rc != KR_OK || !row)
			break;
		rc = fn(arg, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    sqlite3_column_int(s, 2));
		if (rc != KR_OK)
			break;
	}
	state_stmt_done(s);
	return rc;
}

int
state_each_delivered_file(struct state *st, const char *run_id,
    state_file_fn fn, void *arg, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	rc = state_stmt(st, SQ_FILES_OF_RUN, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, run_id);
	for (;;) {
		rc = state_step(st, s, &row, "cannot read the deliveries", e);
		if (rc != KR_OK || !row)
			break;
		rc = fn(arg, (const char *)sqlite3_column_text(s, 0),
		    (const char *)sqlite3_column_text(s, 1),
		    (const char *)sqlite3_column_text(s, 2));
		if (rc != KR_OK)
			break;
	}
	state_stmt_done(s);
	return rc;
}

int
state_audit_command(struct state *st, const char *run_id, const char *time,
    int argc, char *const *argv, const char *counts, const char *files,
    int status, struct kerr *e)
{
	struct passwd *pw = getpwuid(getuid());
	struct audit_row a;
	struct buf cmd;
	int i, rc;

	buf_init(&cmd, 0);
	for (i = 0; i < argc; i++)
		buf_printf(&cmd, "%s%s", i ? " " : "", argv[i]);
	memset(&a, 0, sizeof(a));
	a.run_id = run_id;
	a.command = cmd.data ? cmd.data : "";
	a.user = pw != NULL ? pw->pw_name : "?";
	a.time = time;
	a.counts = counts;
	a.files = files != NULL ? files : "";
	a.status = status;
	rc = state_audit(st, &a, e);
	buf_release(&cmd);
	return rc;
}

int
state_query_text(struct state *st, enum state_stmt id, char *out,
    size_t size, const char *what, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	out[0] = '\0';
	rc = state_stmt(st, id, &s, e);
	if (rc != KR_OK)
		return rc;
	rc = state_step(st, s, &row, what, e);
	if (rc != KR_OK)
		return rc;
	if (row && sqlite3_column_text(s, 0) != NULL)
		snprintf(out, size, "%s",
		    (const char *)sqlite3_column_text(s, 0));
	state_stmt_done(s);
	return KR_OK;
}

int
state_last_issue_date(struct state *st, char out[11], struct kerr *e)
{
	return state_query_text(st, SQ_LAST_ISSUE_DATE, out, 11,
	    "cannot read the invoices", e);
}

static const char *
column_or_empty(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);

	return t ? (const char *)t : "";
}

int
state_each_sale(struct state *st, const char *year, const char *kind,
    state_sale_fn fn, void *arg, struct kerr *e)
{
	struct distance_sale_row r;
	sqlite3_stmt *s;
	int rc = KR_OK, row;

	if (strcmp(kind, "eu") == 0)
		rc = state_stmt(st, SQ_YEAR_EU, &s, e);
	else if (strcmp(kind, "turnover") == 0)
		rc = state_stmt(st, SQ_YEAR_TURNOVER, &s, e);
	else
		KBUG("state_each_sale of an unknown kind");
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, year);
	r.supply_year = year;
	for (;;) {
		rc = state_step(st, s, &row, "cannot read the invoices", e);
		if (rc != KR_OK || !row)
			break;
		r.doc_type = column_or_empty(s, 0);
		r.currency = column_or_empty(s, 1);
		r.net = column_or_empty(s, 2);
		r.vat_eur = column_or_empty(s, 3);
		r.gross_eur = column_or_empty(s, 4);
		r.treatment = column_or_empty(s, 5);
		rc = fn(arg, &r);
		if (rc != KR_OK)
			break;
	}
	state_stmt_done(s);
	return rc;
}

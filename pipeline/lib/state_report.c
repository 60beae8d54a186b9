/*
 * What a run did, read back from the state database for its report:
 * the audit rows its stages wrote and the files it delivered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/*
 * What a run did, read back from the state database for its report:
 * the audit rows its stages wrote and the files it delivered.
 */
#include "state_db.h"

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

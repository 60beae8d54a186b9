/*
 * A set of names kept in a temporary database (nameset.h).
 */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "nameset.h"

void
nameset_init(struct nameset *ns)
{
	memset(ns, 0, sizeof(*ns));
}

static int
fail(struct nameset *ns, int rc, const char *what, struct kerr *e)
{
	return kerr_set(e, rc == SQLITE_NOMEM ? KR_NOMEM : KR_IO, NULL,
	    "the set of names written: %s: %s", what, ns->db != NULL ?
	    sqlite3_errmsg(ns->db) : sqlite3_errstr(rc));
}

/*
 * Opens the database: "" is SQLite's private temporary database, kept
 * in memory until its cache is full and then in an unlinked file.  No
 * journal and no sync: the set means nothing after the process.
 */
static int
open_db(struct nameset *ns, struct kerr *e)
{
	char sql[256];
	int rc;

	rc = sqlite3_open_v2("", &ns->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_CREATE | SQLITE_OPEN_EXRESCODE, NULL);
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d;"
	    "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
	    "CREATE TABLE name (name TEXT PRIMARY KEY) WITHOUT ROWID",
	    NAMESET_CACHE_KIB);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(ns->db, sql, NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(ns->db, "INSERT OR IGNORE INTO name "
		    "VALUES (?)", -1, &ns->add, NULL);
	if (rc == SQLITE_OK)
		return KR_OK;
	rc = fail(ns, rc, "cannot make it", e);
	nameset_release(ns);
	return rc;
}

int
nameset_add(struct nameset *ns, const char *name, int *added,
    struct kerr *e)
{
	int rc;

	*added = 0;
	if (ns->db == NULL) {
		rc = open_db(ns, e);
		if (rc != KR_OK)
			return rc;
	}
	rc = sqlite3_bind_text(ns->add, 1, name, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(ns->add);
	sqlite3_reset(ns->add);
	sqlite3_clear_bindings(ns->add);
	if (rc != SQLITE_DONE)
		return fail(ns, rc, "cannot add to it", e);
	*added = sqlite3_changes(ns->db) == 1;
	ns->n += *added;
	return KR_OK;
}

void
nameset_release(struct nameset *ns)
{
	sqlite3_finalize(ns->add);
	sqlite3_close(ns->db);
	memset(ns, 0, sizeof(*ns));
}

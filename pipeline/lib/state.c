#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifdef __GLIBC__		/* which stdlib.h has said by now */
#include <malloc.h>
#endif

#include "buf.h"
#include "state_db.h"

#define BUSY_TIMEOUT_MS	10000
/*
 * Page cache per connection, in KiB (SQLite's negative cache_size).  The
 * cache fills up to this size and stays full, so it is what a stage's
 * memory grows to.  A night appends invoices and reads them back in id
 * order, which needs little more than the inner pages of the indexes:
 * 4 MiB numbers and delivers 100,000 invoices as fast as 32 MiB.
 */
#define CACHE_KIB	4096
/*
 * The page size of a new database (one made before keeps its own).
 * A stored invoice is about 3 KB: with SQLite's default of 4 KiB each
 * took a page and a frame in the WAL of its own, two writes to the log
 * and two more calls to copy it back at the checkpoint.  16 KiB pages
 * hold several, which cut kontor-tax's system calls per order by half
 * and its instructions by about 1 %; larger pages gained little more.
 */
#define PAGE_BYTES	16384

/*
 * The schema, one script per version: script i brings a database from
 * version i to version i + 1.  Scripts are never edited once released;
 * a change is a new script.
 *
 * invoices.id only grows (AUTOINCREMENT): delivered_upto relies on it.
 * delivered_upto.invoice_id is a per-channel low-water mark: every
 * invoice with an id at or below it is covered by a done delivery on
 * that channel.  Whatever frees a delivered document for another
 * delivery must lower it.
 */
static const char *const migration[] = {
	"CREATE TABLE invoices ("
	"  id INTEGER PRIMARY KEY AUTOINCREMENT,"
	"  shop TEXT NOT NULL,"
	"  order_id TEXT NOT NULL,"
	"  doc_type TEXT NOT NULL,"
	"  refund_id TEXT NOT NULL DEFAULT '',"
	"  number TEXT NOT NULL UNIQUE,"
	"  issue_date TEXT NOT NULL,"
	"  run_id TEXT NOT NULL,"
	"  source_file TEXT NOT NULL,"
	"  order_hash TEXT NOT NULL,"
	"  json BLOB NOT NULL,"
	"  json_sha256 TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  UNIQUE (shop, order_id, doc_type, refund_id));"
	"CREATE TABLE series ("
	"  prefix TEXT PRIMARY KEY,"
	"  last INTEGER NOT NULL);"
	"CREATE TABLE set_aside ("
	"  shop TEXT NOT NULL,"
	"  order_id TEXT NOT NULL,"
	"  run_id TEXT NOT NULL,"
	"  source_file TEXT NOT NULL,"
	"  reason TEXT NOT NULL,"
	"  created_at TEXT NOT NULL,"
	"  PRIMARY KEY (shop, order_id));"
	"CREATE TABLE rejections ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id TEXT NOT NULL,"
	"  stage TEXT NOT NULL,"
	"  file TEXT,"
	"  shop TEXT,"
	"  order_id TEXT,"
	"  message TEXT NOT NULL,"
	"  created_at TEXT NOT NULL);"
	"CREATE TABLE deliveries ("
	"  id TEXT PRIMARY KEY,"
	"  channel TEXT NOT NULL,"
	"  run_id TEXT NOT NULL,"
	"  status TEXT NOT NULL CHECK (status IN ('pending', 'done')),"
	"  created_at TEXT NOT NULL,"
	"  done_at TEXT);"
	"CREATE TABLE delivery_files ("
	"  delivery_id TEXT NOT NULL"
	"    REFERENCES deliveries (id) ON DELETE CASCADE,"
	"  name TEXT NOT NULL,"
	"  sha256 TEXT NOT NULL,"
	"  size INTEGER NOT NULL,"
	"  PRIMARY KEY (delivery_id, name));"
	"CREATE TABLE delivery_docs ("
	"  delivery_id TEXT NOT NULL"
	"    REFERENCES deliveries (id) ON DELETE CASCADE,"
	"  channel TEXT NOT NULL,"
	"  number TEXT NOT NULL,"
	"  UNIQUE (channel, number));"
	"CREATE INDEX delivery_docs_by_delivery"
	"  ON delivery_docs (delivery_id);"
	"CREATE TABLE delivered_upto ("
	"  channel TEXT PRIMARY KEY,"
	"  invoice_id INTEGER NOT NULL);"
	"CREATE TABLE audit ("
	"  id INTEGER PRIMARY KEY,"
	"  run_id TEXT NOT NULL,"
	"  command TEXT NOT NULL,"
	"  user TEXT NOT NULL,"
	"  time TEXT NOT NULL,"
	"  counts TEXT NOT NULL,"
	"  files TEXT NOT NULL,"
	"  status INTEGER NOT NULL);",

	/* 2: refunds that wait for their credit notes */
	"CREATE TABLE refunds_waiting ("
	"  shop TEXT NOT NULL,"
	"  order_id TEXT NOT NULL,"
	"  refund_id TEXT NOT NULL,"
	"  invoice_number TEXT NOT NULL,"
	"  amount TEXT NOT NULL,"
	"  currency TEXT NOT NULL,"
	"  refunded_at TEXT NOT NULL,"
	"  source_file TEXT NOT NULL,"
	"  run_id TEXT NOT NULL,"
	"  recorded_at TEXT NOT NULL,"
	"  PRIMARY KEY (shop, order_id, refund_id));",

	/*
	 * 3: the refund itself (its canonical JSON), so that its credit
	 * note can be made without the order, and what became of it:
	 * waiting, done (credit_number names its credit note) or void (it
	 * paid nothing back, so no credit note was due).
	 */
	"ALTER TABLE refunds_waiting ADD COLUMN refund_json TEXT;"
	"ALTER TABLE refunds_waiting ADD COLUMN status TEXT NOT NULL"
	"  DEFAULT 'waiting' CHECK (status IN ('waiting', 'done', 'void'));"
	"ALTER TABLE refunds_waiting ADD COLUMN credit_number TEXT;",

	/*
	 * 4: the refunds still waiting, which every batch of kontor-tax
	 * looks for, and the invoices by date, of which every run of it
	 * wants the last date and the year's sales.  Done refunds and
	 * invoices stay for good: without them, each batch read every
	 * refund the tenant ever had, and each run every invoice.
	 */
	"CREATE INDEX refunds_waiting_open ON refunds_waiting"
	"  (shop, order_id) WHERE status = 'waiting';"
	"CREATE INDEX invoices_by_issue_date ON invoices (issue_date);",

	/*
	 * 5: beside each stored document, the figures the yearly totals
	 * sum (distsales.h), so that a run reads those and not every
	 * invoice of the year: parsing the stored JSON cost each run
	 * about 70,000 instructions per invoice of the year.  The rows
	 * are kept in the order the totals read them, by year and
	 * treatment, so that a year's sales of a kind are one range and
	 * storing a document adds one row to one B-tree.  A document
	 * without a date of supply or a treatment counts in no total and
	 * has no row.  invoice_id is the document's row in invoices,
	 * without a foreign key: invoices are never deleted, and checking
	 * one would cost every stored document a lookup.  The documents
	 * stored before are filled in from their JSON, by the expressions
	 * that summed them until now.
	 */
	"CREATE TABLE sales ("
	"  supply_year TEXT NOT NULL,"
	"  treatment TEXT NOT NULL,"
	"  invoice_id INTEGER NOT NULL,"
	"  doc_type TEXT NOT NULL,"
	"  currency TEXT,"
	"  net TEXT,"
	"  vat_eur TEXT,"
	"  gross_eur TEXT,"
	"  PRIMARY KEY (supply_year, treatment, invoice_id))"
	"  WITHOUT ROWID;"
	"INSERT INTO sales (supply_year, treatment, invoice_id, doc_type,"
	"  currency, net, vat_eur, gross_eur)"
	"  SELECT substr(json_extract(j, '$.supply_date'), 1, 4) AS year,"
	"  json_extract(j, '$.treatment') AS treatment, id, doc_type,"
	"  json_extract(j, '$.currency'), json_extract(j, '$.totals.net'),"
	"  json_extract(j, '$.fx.vat'),"
	"  (SELECT group_concat(json_extract(v.value, '$.gross_eur'), ' ')"
	"  FROM json_each(j, '$.vat') v)"
	"  FROM (SELECT id, doc_type, CAST(json AS TEXT) AS j FROM invoices)"
	"  WHERE year IS NOT NULL AND treatment IS NOT NULL ORDER BY id;",
};

#define SCHEMA_VERSION	((int)(sizeof(migration) / sizeof(migration[0])))

static const char *const stmt_sql[SQ_COUNT] = {
	[SQ_BEGIN] = "BEGIN IMMEDIATE",
	[SQ_BEGIN_READ] = "BEGIN",
	[SQ_COMMIT] = "COMMIT",
	[SQ_ROLLBACK] = "ROLLBACK",
	[SQ_SERIES_GET] = "SELECT last FROM series WHERE prefix = ?1",
	[SQ_SERIES_SET] = "INSERT INTO series (prefix, last) VALUES (?1, ?2)"
	    " ON CONFLICT (prefix) DO UPDATE SET last = excluded.last",
	[SQ_INVOICE_FIND] = "SELECT number, issue_date, order_hash, json"
	    " FROM invoices WHERE shop = ?1 AND order_id = ?2"
	    " AND doc_type = ?3 AND refund_id = ?4",
	[SQ_INVOICE_JSON] = "SELECT json FROM invoices WHERE number = ?1",
	[SQ_INVOICE_ADD] = "INSERT INTO invoices (shop, order_id, doc_type,"
	    " refund_id, number, issue_date, run_id, source_file,"
	    " order_hash, json, json_sha256, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
	[SQ_UNDELIVERED] = "SELECT i.number, i.json FROM invoices i"
	    " WHERE i.id > ?2 AND NOT EXISTS (SELECT 1 FROM delivery_docs d"
	    " WHERE d.channel = ?1 AND d.number = i.number) ORDER BY i.id",
	[SQ_UPTO_GET] = "SELECT invoice_id FROM delivered_upto"
	    " WHERE channel = ?1",
	[SQ_UPTO_SET] = "INSERT INTO delivered_upto (channel, invoice_id)"
	    " VALUES (?1, ?2) ON CONFLICT (channel)"
	    " DO UPDATE SET invoice_id = excluded.invoice_id",
	[SQ_FIRST_UNDONE] = "SELECT i.id FROM invoices i WHERE i.id > ?2"
	    " AND NOT EXISTS (SELECT 1 FROM delivery_docs d"
	    " JOIN deliveries v ON v.id = d.delivery_id"
	    " WHERE d.channel = ?1 AND d.number = i.number"
	    " AND v.status = 'done') ORDER BY i.id LIMIT 1",
	/* Through indexes alone: invoices' number index holds their id. */
	[SQ_DELIVERY_SPAN] = "SELECT count(*), max(i.id) FROM delivery_docs d"
	    " JOIN invoices i ON i.number = d.number"
	    " WHERE d.delivery_id = ?1 AND d.channel = ?2 AND i.id > ?3",
	[SQ_LAST_INVOICE] = "SELECT max(id) FROM invoices",
	[SQ_SET_ASIDE_ADD] = "INSERT INTO set_aside (shop, order_id, run_id,"
	    " source_file, reason, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
	[SQ_SET_ASIDE_FIND] = "SELECT 1 FROM set_aside"
	    " WHERE shop = ?1 AND order_id = ?2",
	[SQ_REJECTION_ADD] = "INSERT INTO rejections (run_id, stage, file,"
	    " shop, order_id, message, created_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[SQ_DELIVERY_ADD] = "INSERT INTO deliveries (id, channel, run_id,"
	    " status, created_at) VALUES (?1, ?2, ?3, 'pending', ?4)",
	[SQ_DELIVERY_FILE_ADD] = "INSERT INTO delivery_files (delivery_id,"
	    " name, sha256, size) VALUES (?1, ?2, ?3, ?4)",
	[SQ_DELIVERY_DOC_ADD] = "INSERT INTO delivery_docs (delivery_id,"
	    " channel, number) VALUES (?1, ?2, ?3)",
	[SQ_DOC_OWNER] = "SELECT d.delivery_id, v.status FROM delivery_docs d"
	    " JOIN deliveries v ON v.id = d.delivery_id"
	    " WHERE d.channel = ?1 AND d.number = ?2",
	[SQ_DELIVERY_STATUS] = "SELECT status, channel FROM deliveries"
	    " WHERE id = ?1",
	[SQ_DELIVERY_DONE] = "UPDATE deliveries SET status = 'done',"
	    " done_at = ?2 WHERE id = ?1 AND status = 'pending'",
	[SQ_DELIVERY_DELETE] = "DELETE FROM deliveries"
	    " WHERE id = ?1 AND status = 'pending'",
	[SQ_PENDING_IDS] = "SELECT id FROM deliveries"
	    " WHERE status = 'pending' ORDER BY id",
	[SQ_DELIVERY_FILES] = "SELECT name, sha256, size FROM delivery_files"
	    " WHERE delivery_id = ?1 ORDER BY name",
	[SQ_DELIVERY_COUNT] = "SELECT count(*) FROM deliveries",
	[SQ_AUDIT_ADD] = "INSERT INTO audit (run_id, command, user, time,"
	    " counts, files, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	[SQ_AUDIT_OF_RUN] = "SELECT command, counts, status FROM audit"
	    " WHERE run_id = ?1 ORDER BY id",
	[SQ_RUN_KNOWN] = "SELECT 1 FROM audit WHERE run_id = ?1"
	    " UNION ALL SELECT 1 FROM deliveries WHERE run_id = ?1 LIMIT 1",
	/*
	 * A waiting refund recorded without its JSON, or without its date
	 * (an order that lists only a refund's id and total, WooCommerce),
	 * is replaced by one that has them; never the other way round.
	 */
	[SQ_REFUND_WAIT] = "INSERT INTO refunds_waiting (shop, order_id,"
	    " refund_id, invoice_number, amount, currency, refunded_at,"
	    " source_file, run_id, recorded_at, refund_json)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
	    " ON CONFLICT (shop, order_id, refund_id) DO UPDATE"
	    " SET refund_json = excluded.refund_json,"
	    " amount = excluded.amount, refunded_at = excluded.refunded_at,"
	    " source_file = excluded.source_file"
	    " WHERE refunds_waiting.status = 'waiting'"
	    " AND excluded.refund_json IS NOT NULL"
	    " AND (refunds_waiting.refund_json IS NULL"
	    " OR (refunds_waiting.refunded_at = ''"
	    " AND excluded.refunded_at <> ''))",
	[SQ_REFUNDS_WAITING] = "SELECT count(*) FROM refunds_waiting"
	    " WHERE status = 'waiting'",
	[SQ_REFUNDS_TODO] = "SELECT rowid, shop, order_id, refund_id,"
	    " invoice_number, currency, refund_json, source_file"
	    " FROM refunds_waiting WHERE status = 'waiting' AND rowid > ?1"
	    " AND (shop, order_id, rowid) > (?2, ?3, ?4)"
	    " ORDER BY shop, order_id, rowid",
	[SQ_REFUND_DONE] = "UPDATE refunds_waiting SET status = ?4,"
	    " credit_number = ?5 WHERE shop = ?1 AND order_id = ?2"
	    " AND refund_id = ?3 AND status = 'waiting'",
	[SQ_REFUND_STATUS] = "SELECT status FROM refunds_waiting"
	    " WHERE shop = ?1 AND order_id = ?2 AND refund_id = ?3",
	[SQ_CREDITS_OF_ORDER] = "SELECT json FROM invoices WHERE shop = ?1"
	    " AND order_id = ?2 AND doc_type = '381' ORDER BY id",
	[SQ_LAST_ISSUE_DATE] = "SELECT max(issue_date) FROM invoices",
	[SQ_SALE_ADD] = "INSERT INTO sales (invoice_id, supply_year,"
	    " treatment, doc_type, currency, net, vat_eur, gross_eur)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	/*
	 * The year's sales of each kind (distsales.h): one or two ranges
	 * of the table.  The sum does not depend on the order of the
	 * rows.
	 */
	[SQ_YEAR_EU] = "SELECT doc_type, currency, net, vat_eur, gross_eur,"
	    " treatment FROM sales WHERE supply_year = ?1"
	    " AND treatment IN ('oss', 'eu-consumer-de')",
	[SQ_YEAR_TURNOVER] = "SELECT doc_type, currency, net, vat_eur,"
	    " gross_eur, treatment FROM sales WHERE supply_year = ?1"
	    " AND treatment NOT IN ('oss', 'deemed-supplier')",
	[SQ_FILES_OF_RUN] = "SELECT v.id, v.channel, f.name"
	    " FROM deliveries v JOIN delivery_files f ON f.delivery_id = v.id"
	    " WHERE v.run_id = ?1 AND v.status = 'done' ORDER BY v.id, f.name",
};

/* Helpers shared by the state files (state_db.h) */

int
state_fail(struct state *st, const char *what, struct kerr *e)
{
	int code = sqlite3_errcode(st->db) & 0xff;
	int kr = KR_STATE;

	if (code == SQLITE_IOERR || code == SQLITE_FULL ||
	    code == SQLITE_CANTOPEN)
		kr = KR_IO;
	else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		kr = KR_BUSY;
	kerr_where(e, st->path, 0);
	return kerr_set(e, kr, "", "%s: %s", what, sqlite3_errmsg(st->db));
}

int
state_stmt(struct state *st, enum state_stmt id, sqlite3_stmt **s,
    struct kerr *e)
{
	*s = st->stmt[id];
	if (*s != NULL)
		return KR_OK;
	if (sqlite3_prepare_v3(st->db, stmt_sql[id], -1,
	    SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL) != SQLITE_OK)
		return state_fail(st, "cannot prepare a statement", e);
	*s = st->stmt[id];
	return KR_OK;
}

void
state_stmt_done(sqlite3_stmt *s)
{
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
}

int
state_step(struct state *st, sqlite3_stmt *s, int *row, const char *what,
    struct kerr *e)
{
	int rc = sqlite3_step(s);

	if (row != NULL)
		*row = rc == SQLITE_ROW;
	if (rc == SQLITE_ROW || rc == SQLITE_DONE)
		return KR_OK;
	rc = state_fail(st, what, e);
	state_stmt_done(s);
	return rc;
}

int
state_bind_text(sqlite3_stmt *s, int i, const char *text)
{
	if (text == NULL)
		return sqlite3_bind_null(s, i);
	return sqlite3_bind_text(s, i, text, -1, SQLITE_STATIC);
}

int
state_run(struct state *st, enum state_stmt id, const char *what,
    struct kerr *e)
{
	sqlite3_stmt *s;
	int rc;

	rc = state_stmt(st, id, &s, e);
	if (rc != KR_OK)
		return rc;
	return state_exec(st, s, what, e);
}

int
state_exec(struct state *st, sqlite3_stmt *s, const char *what,
    struct kerr *e)
{
	int rc = state_step(st, s, NULL, what, e);

	if (rc == KR_OK)
		state_stmt_done(s);
	return rc;
}

int
state_in_transaction(const struct state *st)
{
	return !sqlite3_get_autocommit(st->db);
}

/*
 * Formatting the time cost each stored document about 1,400
 * instructions; a batch stores hundreds in the same second, so the text
 * of the last second is kept.  No stage uses a connection from more than
 * one thread.
 */
void
state_now(char out[KTIME_ISO_MAX])
{
	static char text[KTIME_ISO_MAX];
	static time_t last = (time_t)-1;
	time_t now = time(NULL);

	if (now != last) {
		ktime_format_utc(now, text);
		last = now;
	}
	memcpy(out, text, KTIME_ISO_MAX);
}

/* Opening and the schema */

static int
exec_sql(struct state *st, const char *sql, const char *what,
    struct kerr *e)
{
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return state_fail(st, what, e);
	return KR_OK;
}

/* Reads the schema version into *v: 0 for a new database. */
static int
schema_version(struct state *st, int *v, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc;

	rc = exec_sql(st, "CREATE TABLE IF NOT EXISTS schema_version "
	    "(version INTEGER NOT NULL)", "cannot read the schema", e);
	if (rc != KR_OK)
		return rc;
	if (sqlite3_prepare_v2(st->db, "SELECT max(version) FROM "
	    "schema_version", -1, &s, NULL) != SQLITE_OK)
		return state_fail(st, "cannot read the schema version", e);
	rc = sqlite3_step(s);
	*v = sqlite3_column_int(s, 0);
	if (rc != SQLITE_ROW)
		rc = state_fail(st, "cannot read the schema version", e);
	else
		rc = KR_OK;
	sqlite3_finalize(s);
	return rc;
}

static int
migrate_locked(struct state *st, struct kerr *e)
{
	char sql[96];
	int v = 0, rc;

	rc = schema_version(st, &v, e);
	if (rc != KR_OK)
		return rc;
	if (v > SCHEMA_VERSION) {
		kerr_where(e, st->path, 0);
		return kerr_set(e, KR_STATE, "", "the state database has "
		    "schema version %d, newer than this kontor knows (%d); "
		    "use a newer kontor", v, SCHEMA_VERSION);
	}
	if (v == SCHEMA_VERSION)
		return KR_OK;
	for (; v < SCHEMA_VERSION && rc == KR_OK; v++)
		rc = exec_sql(st, migration[v], "cannot update the schema", e);
	if (rc != KR_OK)
		return rc;
	snprintf(sql, sizeof(sql), "DELETE FROM schema_version; "
	    "INSERT INTO schema_version VALUES (%d)", SCHEMA_VERSION);
	return exec_sql(st, sql, "cannot record the schema version", e);
}

/*
 * 1 when the database has this kontor's schema, which a read shows
 * without the write lock: a stage that only opens it then need not
 * wait for a writer.  A schema being changed meanwhile is not yet
 * committed, and so reads as older.
 */
static int
schema_current(struct state *st)
{
	sqlite3_stmt *s;
	int current;

	if (sqlite3_prepare_v2(st->db, "SELECT max(version) FROM "
	    "schema_version", -1, &s, NULL) != SQLITE_OK)
		return 0;
	current = sqlite3_step(s) == SQLITE_ROW &&
	    sqlite3_column_int(s, 0) == SCHEMA_VERSION;
	sqlite3_finalize(s);
	return current;
}

/* Brings the schema up to date in one transaction. */
static int
state_migrate(struct state *st, struct kerr *e)
{
	int rc;

	if (schema_current(st))
		return KR_OK;
	rc = exec_sql(st, "BEGIN IMMEDIATE", "cannot update the schema", e);
	if (rc != KR_OK)
		return rc;
	rc = migrate_locked(st, e);
	if (rc == KR_OK)
		rc = exec_sql(st, "COMMIT", "cannot update the schema", e);
	if (rc != KR_OK)
		state_rollback(st);
	return rc;
}

/*
 * Switches to WAL.  While another process creates the database (the
 * stages of a pipe open a new tenant's database at the same moment) the
 * switch can fail at once with SQLITE_BUSY, without waiting for the busy
 * handler: it is tried again for as long as the busy timeout.
 */
static int
switch_to_wal(struct state *st)
{
	const struct timespec pause = { 0, 10 * 1000 * 1000 };
	sqlite3_stmt *s;
	int tries, wal = 0;

	for (tries = 0; !wal && tries < BUSY_TIMEOUT_MS / 10; tries++) {
		if (tries > 0)
			nanosleep(&pause, NULL);
		if (sqlite3_prepare_v2(st->db, "PRAGMA journal_mode = WAL",
		    -1, &s, NULL) != SQLITE_OK)
			return -1;
		if (sqlite3_step(s) == SQLITE_ROW)
			wal = strcmp((const char *)sqlite3_column_text(s, 0),
			    "wal") == 0;
		sqlite3_finalize(s);
	}
	return wal;
}

static int
state_configure(struct state *st, struct kerr *e)
{
	char sql[64];
	int wal, rc;

	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);
	snprintf(sql, sizeof(sql), "PRAGMA page_size = %d", PAGE_BYTES);
	rc = exec_sql(st, sql, "cannot configure", e);
	if (rc != KR_OK)
		return rc;
	wal = switch_to_wal(st);
	if (wal < 0)
		return state_fail(st, "cannot switch to WAL", e);
	if (!wal) {
		kerr_where(e, st->path, 0);
		return kerr_set(e, KR_STATE, "", "the database does not run "
		    "in WAL mode");
	}
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", CACHE_KIB);
	rc = exec_sql(st, "PRAGMA synchronous = FULL", "cannot configure",
	    e);
	if (rc == KR_OK)
		rc = exec_sql(st, "PRAGMA foreign_keys = ON",
		    "cannot configure", e);
	if (rc != KR_OK)
		return rc;
	return exec_sql(st, sql, "cannot configure", e);
}

/*
 * SQLite drops a connection's whole page cache when it begins a read
 * and finds that another process has committed since its last one:
 * kontor-datev and kontor-xrechnung, reading while kontor-tax commits
 * batch after batch, free up to CACHE_KIB that way and fill it again.
 * glibc gives freed memory at the top of its heap back to the kernel,
 * which then faults it in again a page at a time (5,900 faults instead
 * of 1,300 in kontor-datev behind 5,948 orders); so the process keeps
 * what it freed, which is never more than it held before.
 */
static void
keep_freed_memory(void)
{
#if defined(__GLIBC__) && defined(M_TRIM_THRESHOLD)
	static int done;

	if (!done)
		mallopt(M_TRIM_THRESHOLD, 64 << 20);
	done = 1;
#endif
}

int
state_open(struct state **stp, const char *tenant_dir, struct kerr *e)
{
	struct state *st = xcalloc(1, sizeof(*st));
	/*
	 * No stage uses a connection from more than one thread, so SQLite
	 * need not lock it around every call (NOMUTEX), which cost
	 * kontor-tax about 0.8 % of its instructions.
	 */
	int rc, flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE |
	    SQLITE_OPEN_NOMUTEX;

	*stp = NULL;
	keep_freed_memory();
	if (snprintf(st->path, sizeof(st->path), "%s/%s", tenant_dir,
	    STATE_FILE) >= (int)sizeof(st->path)) {
		free(st);
		return kerr_set(e, KR_STATE, "", "the state database's path "
		    "is too long");
	}
	rc = sqlite3_open_v2(st->path, &st->db, flags, NULL);
	if (rc != SQLITE_OK && st->db == NULL) {
		free(st);
		return kerr_set(e, KR_NOMEM, "", "cannot open the state "
		    "database: out of memory");
	}
	if (rc != SQLITE_OK)
		rc = state_fail(st, "cannot open the state database", e);
	else
		rc = state_configure(st, e);
	if (rc == KR_OK)
		rc = state_migrate(st, e);
	if (rc != KR_OK) {
		state_close(st);
		return rc;
	}
	*stp = st;
	return KR_OK;
}

void
state_close(struct state *st)
{
	size_t i;

	if (st == NULL)
		return;
	for (i = 0; i < SQ_COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	sqlite3_close(st->db);
	free(st);
}

/* Transactions */

int
state_begin(struct state *st, struct kerr *e)
{
	state_read_end(st);
	state_series_forget(st);
	return state_run(st, SQ_BEGIN, "cannot start a transaction", e);
}

int
state_read_begin(struct state *st, struct kerr *e)
{
	int rc;

	if (st->reading)
		return KR_OK;
	if (state_in_transaction(st))
		KBUG("state_read_begin inside a transaction");
	rc = state_run(st, SQ_BEGIN_READ, "cannot start a transaction", e);
	if (rc == KR_OK)
		st->reading = 1;
	return rc;
}

void
state_read_end(struct state *st)
{
	if (st == NULL || !st->reading)
		return;
	/* It wrote nothing: ending it keeps or loses nothing. */
	state_rollback(st);
}

int
state_commit(struct state *st, struct kerr *e)
{
	int rc;

	rc = state_series_flush(st, e);
	if (rc == KR_OK)
		rc = state_run(st, SQ_COMMIT, "cannot commit", e);
	return rc;
}

void
state_rollback(struct state *st)
{
	st->reading = 0;
	state_series_forget(st);
	if (state_in_transaction(st))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Set aside, rejections, audit */

int
state_set_aside(struct state *st, const char *shop, const char *order_id,
    const char *run_id, const char *source_file, const char *reason,
    struct kerr *e)
{
	char now[KTIME_ISO_MAX];
	sqlite3_stmt *s;
	int rc;

	rc = state_stmt(st, SQ_SET_ASIDE_ADD, &s, e);
	if (rc != KR_OK)
		return rc;
	state_now(now);
	state_bind_text(s, 1, shop);
	state_bind_text(s, 2, order_id);
	state_bind_text(s, 3, run_id);
	state_bind_text(s, 4, source_file);
	state_bind_text(s, 5, reason);
	state_bind_text(s, 6, now);
	return state_exec(st, s, "cannot record the set-aside order", e);
}

int
state_is_set_aside(struct state *st, const char *shop,
    const char *order_id, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc, row;

	rc = state_stmt(st, SQ_SET_ASIDE_FIND, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, shop);
	state_bind_text(s, 2, order_id);
	rc = state_step(st, s, &row, "cannot look up set-aside orders", e);
	if (rc != KR_OK)
		return rc;
	state_stmt_done(s);
	return row ? KR_OK : KR_NOT_FOUND;
}

int
state_reject(struct state *st, const char *run_id, const char *stage,
    const char *file, const char *shop, const char *order_id,
    const char *message, struct kerr *e)
{
	char now[KTIME_ISO_MAX];
	sqlite3_stmt *s;
	int rc;

	rc = state_stmt(st, SQ_REJECTION_ADD, &s, e);
	if (rc != KR_OK)
		return rc;
	state_now(now);
	state_bind_text(s, 1, run_id);
	state_bind_text(s, 2, stage);
	state_bind_text(s, 3, file);
	state_bind_text(s, 4, shop);
	state_bind_text(s, 5, order_id);
	state_bind_text(s, 6, message);
	state_bind_text(s, 7, now);
	return state_exec(st, s, "cannot record the rejection", e);
}

int
state_audit(struct state *st, const struct audit_row *a, struct kerr *e)
{
	sqlite3_stmt *s;
	int rc;

	rc = state_stmt(st, SQ_AUDIT_ADD, &s, e);
	if (rc != KR_OK)
		return rc;
	state_bind_text(s, 1, a->run_id);
	state_bind_text(s, 2, a->command);
	state_bind_text(s, 3, a->user);
	state_bind_text(s, 4, a->time);
	state_bind_text(s, 5, a->counts);
	state_bind_text(s, 6, a->files != NULL ? a->files : "");
	sqlite3_bind_int(s, 7, a->status);
	return state_exec(st, s, "cannot write the audit row", e);
}

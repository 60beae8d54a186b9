#include <check.h>
#include <sys/wait.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "distsales.h"
#include "err.h"
#include "state.h"
#include "testdir.h"

#define JSON1	"{\"type\":\"invoice\",\"number\":\"RE-2026-000001\"}"
/* sha256sum of JSON1, computed outside kontor. */
#define JSON1_SHA256 \
	"30443b284741470902909b68fe11db82d19f0ec3213d47a76c2cd96e5266b174"
#define HASH_A \
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

/* JSON1 and "{}" state none of the figures the yearly totals count. */
static const struct distance_sale_row no_sale;

static char dir[PATH_MAX];
static struct state *st;

static void
setup(void)
{
	testdir_make(dir, sizeof(dir), "state");
	ck_assert_int_eq(state_open(&st, dir, NULL), KR_OK);
}

static void
teardown(void)
{
	state_close(st);
	testdir_remove(dir);
}

/* Runs sql on a connection of its own; the first column of the first
 * row as text into out (or "" without a row). */
static void
peek(const char *sql, char *out, size_t size)
{
	char path[PATH_MAX + 16];
	sqlite3_stmt *s;
	sqlite3 *db;

	snprintf(path, sizeof(path), "%s/state.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL),
	    SQLITE_OK);
	out[0] = '\0';
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, size, "%s", sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void
draw(const char *pattern, const char *date, const char *want)
{
	char number[64];
	struct kerr e;

	kerr_clear(&e);
	ck_assert_msg(state_draw_number(st, pattern, date, number,
	    sizeof(number), &e) == KR_OK, "%s", e.msg);
	ck_assert_str_eq(number, want);
}

/* Draws the next number of RE-{YYYY}-{NNNNNN} in a commit of its own. */
static void
draw_committed(const char *want)
{
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	draw("RE-{YYYY}-{NNNNNN}", "2026-12-04", want);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}

static void
store(const char *order_id, const char *doc_type, const char *refund,
    const char *number, int want)
{
	struct invoice_row r = {
		.shop = "shop-de", .order_id = order_id,
		.doc_type = doc_type, .refund_id = refund, .number = number,
		.issue_date = "2026-12-04", .run_id = "20261204T020000Z",
		.source_file = "spool/shop-de/1.json", .order_hash = HASH_A,
		.json = JSON1, .json_len = strlen(JSON1), .sale = &no_sale,
	};
	struct kerr e;

	kerr_clear(&e);
	ck_assert_msg(state_store_invoice(st, &r, &e) == want, "%s: %s",
	    number, e.msg);
}

START_TEST(state_open_creates_the_schema_and_reopens_it)
{
	static const char *const table[] = {
		"invoices", "series", "set_aside", "rejections", "deliveries",
		"delivery_files", "delivery_docs", "audit", "sales",
	};
	char v[64], sql[128];
	size_t i;

	peek("PRAGMA journal_mode", v, sizeof(v));
	ck_assert_str_eq(v, "wal");
	peek("PRAGMA page_size", v, sizeof(v));
	ck_assert_str_eq(v, "16384");
	peek("SELECT version FROM schema_version", v, sizeof(v));
	ck_assert_str_eq(v, "5");
	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		snprintf(sql, sizeof(sql), "SELECT name FROM sqlite_master "
		    "WHERE type = 'table' AND name = '%s'", table[i]);
		peek(sql, v, sizeof(v));
		ck_assert_str_eq(v, table[i]);
	}

	draw_committed("RE-2026-000001");
	state_close(st);

	ck_assert_int_eq(state_open(&st, dir, NULL), KR_OK);
	peek("SELECT count(*) FROM schema_version", v, sizeof(v));
	ck_assert_str_eq(v, "1");
	draw_committed("RE-2026-000002");
}
END_TEST

/* A database made with other pages keeps them, and works. */
START_TEST(state_open_keeps_the_page_size_of_an_older_database)
{
	char path[PATH_MAX + 16], v[64];
	sqlite3 *db;

	state_close(st);
	testdir_remove(dir);
	testdir_make(dir, sizeof(dir), "state");
	snprintf(path, sizeof(path), "%s/state.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA page_size = 4096; "
	    "CREATE TABLE schema_version (version INTEGER NOT NULL)", NULL,
	    NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	ck_assert_int_eq(state_open(&st, dir, NULL), KR_OK);
	peek("PRAGMA page_size", v, sizeof(v));
	ck_assert_str_eq(v, "4096");
	draw_committed("RE-2026-000001");
}
END_TEST

/* 24 processes open a new database at once; each must get it. */
static void
open_together(void)
{
	char fresh[PATH_MAX];
	pid_t pid[24];
	int i, status;

	testdir_make(fresh, sizeof(fresh), "state-race");
	for (i = 0; i < 24; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0) {
			struct state *s;
			struct kerr e;

			kerr_clear(&e);
			if (state_open(&s, fresh, &e) != KR_OK) {
				fprintf(stderr, "%s\n", e.msg);
				_exit(1);
			}
			state_close(s);
			_exit(0);
		}
	}
	for (i = 0; i < 24; i++) {
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	testdir_remove(fresh);
}

/*
 * The stages of a pipe open a new tenant's database at the same moment:
 * one switching to WAL while another creates the schema must wait, not
 * fail.  A race, so it is tried several times.
 */
START_TEST(state_open_is_safe_when_processes_create_it_together)
{
	int round;

	for (round = 0; round < 10; round++)
		open_together();
}
END_TEST

START_TEST(state_open_refuses_a_schema_newer_than_it_knows)
{
	char path[PATH_MAX + 16];
	struct kerr e;
	sqlite3 *db;

	state_close(st);
	snprintf(path, sizeof(path), "%s/state.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "UPDATE schema_version SET "
	    "version = 99", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);

	kerr_clear(&e);
	ck_assert_int_eq(state_open(&st, dir, &e), KR_STATE);
	ck_assert_ptr_null(st);
	ck_assert_ptr_nonnull(strstr(e.msg, "schema version 99"));
}
END_TEST

START_TEST(state_draw_number_is_gapless_and_starts_again_each_year)
{
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	draw("RE-{YYYY}-{NNNNNN}", "2026-12-04", "RE-2026-000001");
	draw("RE-{YYYY}-{NNNNNN}", "2026-12-04", "RE-2026-000002");
	draw("GS-{YYYY}-{NNNNNN}", "2026-12-04", "GS-2026-000001");
	draw("RE-{YYYY}-{NNNNNN}", "2026-12-31", "RE-2026-000003");
	draw("RE-{YYYY}-{NNNNNN}", "2027-01-01", "RE-2027-000001");
	draw("RE-{YYYY}-{NNNNNN}", "2026-12-31", "RE-2026-000004");
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}
END_TEST

START_TEST(state_draw_number_expands_month_and_short_year)
{
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	draw("{YY}{MM}-{NNN}/K", "2026-03-15", "2603-001/K");
	draw("{YY}{MM}-{NNN}/K", "2026-03-31", "2603-002/K");
	draw("{YY}{MM}-{NNN}/K", "2026-04-01", "2604-001/K");
	draw("{NNNN}", "2026-04-01", "0001");
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}
END_TEST

START_TEST(state_draw_number_refuses_bad_patterns_and_a_full_series)
{
	static const char *const bad[] = {
		"RE-{YYYY}", "{NNN}-{NN}", "RE-{Q}-{NN}", "RE-{N", "RE}{NN}",
		"{NNNNNNNNNNNNN}",
	};
	char number[64];
	struct kerr e;
	size_t i;
	int n;

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(state_draw_number(st, bad[i], "2026-01-01",
		    number, sizeof(number), NULL) == KR_CONFIG,
		    "accepted \"%s\"", bad[i]);
	ck_assert_int_eq(state_draw_number(st, "X-{N}", "2026-02-30",
	    number, sizeof(number), NULL), KR_BAD_INPUT);

	for (n = 1; n <= 9; n++) {
		char want[16];

		snprintf(want, sizeof(want), "X-%d", n);
		draw("X-{N}", "2026-01-01", want);
	}
	kerr_clear(&e);
	ck_assert_int_eq(state_draw_number(st, "X-{N}", "2026-01-01", number,
	    sizeof(number), &e), KR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "exhausted"));
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}
END_TEST

START_TEST(state_series_raise_moves_a_series_past_a_number)
{
	const char *pat = "RE-{YYYY}-{NNNNNN}";

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	ck_assert_int_eq(state_series_raise(st, pat, "RE-2026-000017", NULL),
	    KR_OK);
	ck_assert_int_eq(state_series_raise(st, pat, "RE-2026-000005", NULL),
	    KR_OK);
	ck_assert_int_eq(state_series_raise(st, pat, "GS-2026-000099", NULL),
	    KR_NOT_FOUND);
	ck_assert_int_eq(state_series_raise(st, pat, "RE-2026-00001x", NULL),
	    KR_NOT_FOUND);
	ck_assert_int_eq(state_series_raise(st, pat, "RE-26-000001", NULL),
	    KR_NOT_FOUND);
	draw(pat, "2026-12-04", "RE-2026-000018");
	draw(pat, "2027-01-02", "RE-2027-000001");
	ck_assert_int_eq(state_series_raise(st, "X{MM}/{YY}-{NNN}",
	    "X11/26-041", NULL), KR_OK);
	draw("X{MM}/{YY}-{NNN}", "2026-11-30", "X11/26-042");
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}
END_TEST

/*
 * The series a transaction draws from are written at its commit: more
 * of them than are held at once, each drawn from twice.
 */
START_TEST(state_commit_writes_every_series_drawn_from)
{
	char pat[32], want[32], v[96];
	int i, n;

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	for (n = 1; n <= 2; n++)
		for (i = 0; i < 7; i++) {
			snprintf(pat, sizeof(pat), "S%d-{NNN}", i);
			snprintf(want, sizeof(want), "S%d-%03d", i, n);
			draw(pat, "2026-12-04", want);
		}
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
	peek("SELECT group_concat(prefix || '=' || last, ' ') FROM "
	    "(SELECT * FROM series ORDER BY prefix)", v, sizeof(v));
	ck_assert_str_eq(v, "S0-{N}=2 S1-{N}=2 S2-{N}=2 S3-{N}=2 S4-{N}=2 "
	    "S5-{N}=2 S6-{N}=2");

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	draw("S3-{NNN}", "2026-12-04", "S3-003");
	state_rollback(st);
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	draw("S3-{NNN}", "2026-12-04", "S3-003");
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
	peek("SELECT last FROM series WHERE prefix = 'S3-{N}'", v,
	    sizeof(v));
	ck_assert_str_eq(v, "3");
}
END_TEST

START_TEST(state_rollback_consumes_no_number)
{
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	draw("RE-{YYYY}-{NNNNNN}", "2026-12-04", "RE-2026-000001");
	store("1041", "380", NULL, "RE-2026-000001", KR_OK);
	state_rollback(st);

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	draw("RE-{YYYY}-{NNNNNN}", "2026-12-04", "RE-2026-000001");
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}
END_TEST

START_TEST(state_store_and_find_give_back_the_same_invoice)
{
	struct stored_invoice si;
	char v[80];

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	store("1041", "380", NULL, "RE-2026-000001", KR_OK);
	store("1041", "381", "77", "GS-2026-000001", KR_OK);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);

	ck_assert_int_eq(state_find_invoice(st, "shop-de", "1041", "380",
	    NULL, &si, NULL), KR_OK);
	ck_assert_str_eq(si.number, "RE-2026-000001");
	ck_assert_str_eq(si.issue_date, "2026-12-04");
	ck_assert_str_eq(si.order_hash, HASH_A);
	ck_assert_uint_eq(si.json_len, strlen(JSON1));
	ck_assert_str_eq(si.json, JSON1);
	stored_invoice_release(&si);
	ck_assert_ptr_null(si.json);

	ck_assert_int_eq(state_find_invoice(st, "shop-de", "1041", "381",
	    "77", &si, NULL), KR_OK);
	ck_assert_str_eq(si.number, "GS-2026-000001");
	stored_invoice_release(&si);
	ck_assert_int_eq(state_find_invoice(st, "shop-de", "1042", "380",
	    NULL, &si, NULL), KR_NOT_FOUND);
	ck_assert_int_eq(state_find_invoice(st, "woo-outlet", "1041", "380",
	    NULL, &si, NULL), KR_NOT_FOUND);

	peek("SELECT json_sha256 FROM invoices WHERE number = "
	    "'RE-2026-000001'", v, sizeof(v));
	ck_assert_str_eq(v, JSON1_SHA256);
}
END_TEST

START_TEST(state_read_transaction_gives_way_to_a_commit)
{
	struct stored_invoice si;
	char v[80];

	ck_assert_int_eq(state_read_begin(st, NULL), KR_OK);
	ck_assert_int_eq(state_read_begin(st, NULL), KR_OK);
	ck_assert_int_eq(state_find_invoice(st, "shop-de", "1041", "380",
	    NULL, &si, NULL), KR_NOT_FOUND);
	/* state_begin ends the read transaction and writes. */
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	store("1041", "380", NULL, "RE-2026-000001", KR_OK);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
	peek("SELECT number FROM invoices", v, sizeof(v));
	ck_assert_str_eq(v, "RE-2026-000001");

	ck_assert_int_eq(state_read_begin(st, NULL), KR_OK);
	ck_assert_int_eq(state_find_invoice(st, "shop-de", "1041", "380",
	    NULL, &si, NULL), KR_OK);
	stored_invoice_release(&si);
	state_read_end(st);
	state_read_end(st);
	/* Ended, the connection writes on its own again. */
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	store("1042", "380", NULL, "RE-2026-000002", KR_OK);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
	peek("SELECT count(*) FROM invoices", v, sizeof(v));
	ck_assert_str_eq(v, "2");
}
END_TEST

START_TEST(state_store_refuses_a_second_invoice_for_an_order)
{
	struct invoice_row r = {
		.shop = "woo-outlet", .order_id = "1041", .doc_type = "380",
		.number = "RE-2026-000009", .issue_date = "2026-12-04",
		.run_id = "r", .source_file = "spool/woo-outlet/1041.json",
		.order_hash = HASH_A, .json = "{}", .json_len = 2,
		.sale = &no_sale,
	};
	struct kerr e;

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	store("1041", "380", NULL, "RE-2026-000001", KR_OK);

	kerr_clear(&e);
	r.shop = "shop-de";
	ck_assert_int_eq(state_store_invoice(st, &r, &e), KR_STATE);
	ck_assert_ptr_nonnull(strstr(e.msg, "order 1041 of shop shop-de"));
	ck_assert_str_eq(e.file, "spool/woo-outlet/1041.json");

	kerr_clear(&e);
	r.order_id = "1042";
	r.number = "RE-2026-000001";
	ck_assert_int_eq(state_store_invoice(st, &r, &e), KR_STATE);
	ck_assert_ptr_nonnull(strstr(e.msg, "RE-2026-000001 is already"));

	/* Another shop may use the same order id. */
	r.shop = "woo-outlet";
	r.order_id = "1041";
	r.number = "RE-2026-000002";
	ck_assert_int_eq(state_store_invoice(st, &r, NULL), KR_OK);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}
END_TEST

/*
 * With taken, a document the order has already is said, not refused:
 * nothing is stored, the transaction goes on, and the number drawn for
 * it is given back.
 */
START_TEST(state_store_says_an_order_is_taken_and_its_number_goes_back)
{
	const char *pat = "RE-{YYYY}-{NNNNNN}";
	struct invoice_row r = {
		.shop = "shop-de", .order_id = "1041", .doc_type = "380",
		.number = "RE-2026-000002", .issue_date = "2026-12-04",
		.run_id = "r", .source_file = "spool/shop-de/1041.json",
		.order_hash = HASH_A, .json = "{}", .json_len = 2,
		.sale = &no_sale,
	};
	char v[64];
	int taken = -1;

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	draw(pat, "2026-12-04", "RE-2026-000001");
	store("1041", "380", NULL, "RE-2026-000001", KR_OK);
	draw(pat, "2026-12-04", "RE-2026-000002");
	r.taken = &taken;
	ck_assert_int_eq(state_store_invoice(st, &r, NULL), KR_OK);
	ck_assert_int_eq(taken, 1);
	state_number_unused(st);
	draw(pat, "2026-12-04", "RE-2026-000002");
	r.order_id = "1042";
	ck_assert_int_eq(state_store_invoice(st, &r, NULL), KR_OK);
	ck_assert_int_eq(taken, 0);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);

	peek("SELECT group_concat(order_id || ' ' || number, ', ') FROM "
	    "invoices", v, sizeof(v));
	ck_assert_str_eq(v, "1041 RE-2026-000001, 1042 RE-2026-000002");
	peek("SELECT last FROM series", v, sizeof(v));
	ck_assert_str_eq(v, "2");
}
END_TEST

/* Collects the numbers of a walk into a comma-separated list. */
static int
collect(void *arg, const char *number, const char *json, size_t len)
{
	char *list = arg;

	ck_assert_uint_eq(len, strlen(JSON1));
	ck_assert_int_eq(memcmp(json, JSON1, len), 0);
	if (list[0] != '\0')
		strcat(list, ",");
	strcat(list, number + strlen(number) - 1);
	return KR_OK;
}

static const char *
undelivered(const char *channel)
{
	static char list[256];

	list[0] = '\0';
	ck_assert_int_eq(state_each_undelivered(st, channel, collect, list,
	    NULL), KR_OK);
	return list;
}

static int
pending(const char *id, const char *channel, const char *const *docs,
    size_t ndocs, struct kerr *e)
{
	struct delivery_file f = {.name = "MANIFEST", .size_bytes = 3};
	struct delivery_row d = {
		.id = id, .channel = channel, .run_id = "r", .files = &f,
		.nfiles = 1, .docs = docs, .ndocs = ndocs,
	};
	int rc;

	memcpy(f.sha256, HASH_A, sizeof(f.sha256));
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	rc = state_delivery_pending(st, &d, e);
	if (rc == KR_OK)
		ck_assert_int_eq(state_commit(st, NULL), KR_OK);
	else
		state_rollback(st);
	return rc;
}

static void
store_three(void)
{
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	store("1", "380", NULL, "RE-2026-000001", KR_OK);
	store("2", "380", NULL, "RE-2026-000002", KR_OK);
	store("3", "380", NULL, "RE-2026-000003", KR_OK);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}

START_TEST(state_each_undelivered_skips_what_a_channel_took)
{
	static const char *const two[] = {"RE-2026-000002"};
	static const char *const rest[] = {"RE-2026-000001",
	    "RE-2026-000003"};
	static const char *const four[] = {"RE-2026-000004"};
	char v[16];

	store_three();
	ck_assert_str_eq(undelivered("datev"), "1,2,3");

	ck_assert_int_eq(pending("d1", "datev", two, 1, NULL), KR_OK);
	ck_assert_str_eq(undelivered("datev"), "1,3");
	ck_assert_str_eq(undelivered("einvoice"), "1,2,3");
	ck_assert_int_eq(state_delivery_done(st, "d1", NULL), KR_OK);
	ck_assert_str_eq(undelivered("datev"), "1,3");

	ck_assert_int_eq(pending("d2", "datev", rest, 2, NULL), KR_OK);
	ck_assert_int_eq(state_delivery_done(st, "d2", NULL), KR_OK);
	ck_assert_str_eq(undelivered("datev"), "");
	/* The walk now starts after invoice 3. */
	peek("SELECT invoice_id FROM delivered_upto", v, sizeof(v));
	ck_assert_str_eq(v, "3");

	/* Invoices numbered later, and documents of a dropped delivery,
	 * come up again. */
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	store("4", "380", NULL, "RE-2026-000004", KR_OK);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
	ck_assert_str_eq(undelivered("datev"), "4");
	ck_assert_int_eq(pending("d3", "datev", four, 1, NULL), KR_OK);
	ck_assert_str_eq(undelivered("datev"), "");
	ck_assert_int_eq(state_delivery_drop(st, "d3", NULL), KR_OK);
	ck_assert_str_eq(undelivered("datev"), "4");
	ck_assert_str_eq(undelivered("einvoice"), "1,2,3,4");
}
END_TEST

/* A delivery recorded pending and then done. */
static void
delivered(const char *id, const char *channel, const char *const *docs,
    size_t ndocs)
{
	ck_assert_int_eq(pending(id, channel, docs, ndocs, NULL), KR_OK);
	ck_assert_int_eq(state_delivery_done(st, id, NULL), KR_OK);
}

/* The invoice id up to which channel's mark says all is delivered. */
static const char *
mark_of(const char *channel)
{
	static char v[16];
	char sql[128];

	snprintf(sql, sizeof(sql), "SELECT invoice_id FROM delivered_upto "
	    "WHERE channel = '%s'", channel);
	peek(sql, v, sizeof(v));
	return v;
}

/*
 * The mark of a channel passes the invoices a delivery covers, and
 * those that earlier deliveries covered after them, but stops before
 * the first one still undelivered, wherever the delivery's own end.
 */
START_TEST(state_delivery_done_moves_the_mark_past_what_is_covered)
{
	static const char *const first[] = {"RE-2026-000002",
	    "RE-2026-000001"};
	static const char *const four[] = {"RE-2026-000004"};
	static const char *const three[] = {"RE-2026-000003"};
	static const char *const all[] = {"RE-2026-000001",
	    "RE-2026-000002", "RE-2026-000003", "RE-2026-000004"};

	store_three();
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	store("4", "380", NULL, "RE-2026-000004", KR_OK);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);

	delivered("d1", "datev", first, 2);
	ck_assert_str_eq(mark_of("datev"), "2");
	delivered("e1", "einvoice", all, 4);
	delivered("d2", "datev", four, 1);
	ck_assert_str_eq(mark_of("datev"), "2");
	ck_assert_str_eq(undelivered("datev"), "3");

	delivered("d3", "datev", three, 1);
	ck_assert_str_eq(mark_of("datev"), "4");
	ck_assert_str_eq(undelivered("datev"), "");
	ck_assert_str_eq(mark_of("einvoice"), "4");
}
END_TEST

START_TEST(state_delivery_pending_refuses_a_document_already_taken)
{
	static const char *const one[] = {"RE-2026-000001"};
	static const char *const twice[] = {"RE-2026-000002",
	    "RE-2026-000002"};
	static const char *const both[] = {"RE-2026-000003",
	    "RE-2026-000001"};
	struct kerr e;
	long n;

	store_three();
	ck_assert_int_eq(pending("d1", "datev", one, 1, NULL), KR_OK);
	ck_assert_int_eq(pending("d2", "datev", twice, 2, NULL), KR_OK);

	kerr_clear(&e);
	ck_assert_int_eq(pending("d3", "datev", both, 2, &e), KR_STATE);
	ck_assert_str_eq(e.msg, "invoice RE-2026-000001 is already pending "
	    "on channel datev in delivery d1");
	ck_assert_int_eq(state_delivery_done(st, "d1", NULL), KR_OK);
	ck_assert_int_eq(pending("d3", "datev", both, 2, &e), KR_STATE);
	ck_assert_str_eq(e.msg, "invoice RE-2026-000001 is already "
	    "delivered on channel datev in delivery d1");
	/* The refused delivery left nothing behind. */
	ck_assert_int_eq(state_delivery_known(st, "d3"), 0);
	ck_assert_str_eq(undelivered("datev"), "3");

	ck_assert_int_eq(pending("d3", "einvoice", both, 2, NULL), KR_OK);
	ck_assert_int_eq(pending("d3", "bundle", one, 1, &e), KR_STATE);
	ck_assert_ptr_nonnull(strstr(e.msg, "already recorded"));
	ck_assert_int_eq(state_count_deliveries(st, &n, NULL), KR_OK);
	ck_assert_int_eq(n, 3);
}
END_TEST

static int
list_pending(void *arg, const char *id, const struct delivery_file *files,
    size_t nfiles)
{
	char *out = arg;

	ck_assert_uint_eq(nfiles, 1);
	ck_assert_str_eq(files[0].name, "MANIFEST");
	ck_assert_str_eq(files[0].sha256, HASH_A);
	ck_assert_int_eq(files[0].size_bytes, 3);
	strcat(out, id);
	strcat(out, ";");
	return KR_OK;
}

START_TEST(state_each_pending_lists_pending_deliveries_with_files)
{
	static const char *const one[] = {"RE-2026-000001"};
	static const char *const two[] = {"RE-2026-000002"};
	char seen[64] = "";
	struct kerr e;

	store_three();
	ck_assert_int_eq(pending("b", "datev", one, 1, NULL), KR_OK);
	ck_assert_int_eq(pending("a", "datev", two, 1, NULL), KR_OK);
	ck_assert_int_eq(state_each_pending(st, list_pending, seen, NULL),
	    KR_OK);
	ck_assert_str_eq(seen, "a;b;");

	ck_assert_int_eq(state_delivery_done(st, "a", NULL), KR_OK);
	ck_assert_int_eq(state_delivery_done(st, "a", NULL), KR_OK);
	seen[0] = '\0';
	ck_assert_int_eq(state_each_pending(st, list_pending, seen, NULL),
	    KR_OK);
	ck_assert_str_eq(seen, "b;");

	kerr_clear(&e);
	ck_assert_int_eq(state_delivery_drop(st, "a", &e), KR_STATE);
	ck_assert_ptr_nonnull(strstr(e.msg, "is done"));
	ck_assert_int_eq(state_delivery_drop(st, "b", NULL), KR_OK);
	ck_assert_int_eq(state_delivery_drop(st, "b", NULL), KR_OK);
	ck_assert_int_eq(state_delivery_known(st, "a"), 1);
	ck_assert_int_eq(state_delivery_known(st, "b"), 0);
	ck_assert_int_eq(state_delivery_done(st, "b", &e), KR_STATE);
}
END_TEST

START_TEST(state_records_set_asides_rejections_and_audit_rows)
{
	struct audit_row a = {
		.run_id = "r", .command = "kontor-tax", .user = "nightly",
		.time = "2026-12-04T02:00:00Z", .counts = "read=1",
		.files = NULL, .status = 1,
	};
	char v[64];

	ck_assert_int_eq(state_is_set_aside(st, "shop-de", "1050", NULL),
	    KR_NOT_FOUND);
	ck_assert_int_eq(state_set_aside(st, "shop-de", "1050", "r",
	    "spool/shop-de/1050.json", "cancelled", NULL), KR_OK);
	ck_assert_int_eq(state_set_aside(st, "shop-de", "1050", "r2",
	    "spool/shop-de/1050.json", "cancelled", NULL), KR_OK);
	ck_assert_int_eq(state_is_set_aside(st, "shop-de", "1050", NULL),
	    KR_OK);
	ck_assert_int_eq(state_is_set_aside(st, "woo-outlet", "1050", NULL),
	    KR_NOT_FOUND);

	ck_assert_int_eq(state_reject(st, "r", "kontor-tax",
	    "spool/shop-de/7.json", "shop-de", NULL, "bad rate", NULL),
	    KR_OK);
	peek("SELECT message || '|' || ifnull(order_id, '-') FROM "
	    "rejections", v, sizeof(v));
	ck_assert_str_eq(v, "bad rate|-");

	ck_assert_int_eq(state_audit(st, &a, NULL), KR_OK);
	peek("SELECT command || '|' || files || '|' || status FROM audit", v,
	    sizeof(v));
	ck_assert_str_eq(v, "kontor-tax||1");
}
END_TEST

/* A refund of order 1 (refund r) with its JSON, or without (NULL). */
static int
wait_refund(const char *refund, const char *json)
{
	struct refund_row r = {
		.shop = "shop-de", .order_id = "1", .refund_id = refund,
		.invoice_number = "RE-2026-000001", .amount = "19.90",
		.currency = "EUR", .refunded_at = "2026-11-03T09:15:00Z",
		.source_file = "spool/shop-de/1.json",
		.run_id = "20261204T020000Z", .json = json,
	};
	struct kerr e;
	int added = -1;

	kerr_clear(&e);
	ck_assert_msg(state_refund_wait(st, &r, &added, &e) == KR_OK, "%s",
	    e.msg);
	return added;
}

struct seen {
	char text[256];
	int64_t last;
};

static int
on_refund(void *arg, const struct waiting_refund *w)
{
	struct seen *s = arg;
	size_t n = strlen(s->text);

	snprintf(s->text + n, sizeof(s->text) - n, "%s:%s;", w->refund_id,
	    w->json != NULL ? w->json : "-");
	s->last = w->rowid;
	return KR_OK;
}

/* The waiting refunds after rowid after and, when past, after it. */
static const char *
waiting_past(int64_t after, const struct waiting_refund *past)
{
	static struct seen s;
	struct kerr e;

	memset(&s, 0, sizeof(s));
	kerr_clear(&e);
	ck_assert_int_eq(state_each_refund_waiting(st, after, past, on_refund,
	    &s, &e), KR_OK);
	return s.text;
}

static const char *
waiting(int64_t after)
{
	return waiting_past(after, NULL);
}

static long
count_waiting(void)
{
	long n = -1;

	ck_assert_int_eq(state_refunds_waiting(st, &n, NULL), KR_OK);
	return n;
}

START_TEST(state_keeps_each_refund_once_until_its_credit_note)
{
	struct waiting_refund past;
	struct kerr e;

	memset(&past, 0, sizeof(past));

	/* recorded by an older kontor, without the refund itself */
	ck_assert_int_eq(wait_refund("r1", NULL), 1);
	ck_assert_int_eq(wait_refund("r1", NULL), 0);
	ck_assert_str_eq(waiting(0), "r1:-;");
	/* seen again: now it is kept whole, still once */
	ck_assert_int_eq(wait_refund("r1", "{\"id\":\"r1\"}"), 1);
	ck_assert_int_eq(wait_refund("r1", "{\"id\":\"r1\"}"), 0);
	ck_assert_int_eq(wait_refund("r2", "{\"id\":\"r2\"}"), 1);
	ck_assert_str_eq(waiting(0), "r1:{\"id\":\"r1\"};r2:{\"id\":"
	    "\"r2\"};");
	ck_assert_int_eq(count_waiting(), 2);

	/* only the newer ones after a rowid */
	ck_assert_str_eq(waiting(1), "r2:{\"id\":\"r2\"};");
	/* a walk that stopped at r1 goes on with r2, then ends */
	past.shop = "shop-de";
	past.order_id = "1";
	past.rowid = 1;
	ck_assert_str_eq(waiting_past(0, &past), "r2:{\"id\":\"r2\"};");
	past.rowid = 2;
	ck_assert_str_eq(waiting_past(0, &past), "");
	/* an order that sorts before: both, whatever its rowid */
	past.order_id = "0";
	past.rowid = 99;
	ck_assert_str_eq(waiting_past(0, &past), "r1:{\"id\":\"r1\"};"
	    "r2:{\"id\":\"r2\"};");

	kerr_clear(&e);
	ck_assert_int_eq(state_begin(st, &e), KR_OK);
	ck_assert_int_eq(state_refund_done(st, "shop-de", "1", "r1",
	    "GS-2026-000001", &e), KR_OK);
	ck_assert_int_eq(state_refund_done(st, "shop-de", "1", "r2", NULL,
	    &e), KR_OK);
	ck_assert_int_eq(state_commit(st, &e), KR_OK);
	ck_assert_str_eq(waiting(0), "");
	ck_assert_int_eq(count_waiting(), 0);
	/* a done refund seen again stays done */
	ck_assert_int_eq(wait_refund("r1", "{\"id\":\"r1\"}"), 0);
	ck_assert_int_eq(count_waiting(), 0);
}
END_TEST

static int
on_credit(void *arg, const char *number, const char *json, size_t len)
{
	(void)number;
	(void)len;
	strcat(arg, json);
	strcat(arg, ";");
	return KR_OK;
}

START_TEST(state_lists_the_credit_notes_of_an_order)
{
	char got[256] = "";
	struct kerr e;

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	store("1", "380", NULL, "RE-2026-000001", KR_OK);
	store("1", "381", "r1", "GS-2026-000001", KR_OK);
	store("2", "381", "r1", "GS-2026-000002", KR_OK);
	store("1", "381", "r2", "GS-2026-000003", KR_OK);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
	kerr_clear(&e);
	ck_assert_int_eq(state_each_credit_note(st, "shop-de", "1", on_credit,
	    got, &e), KR_OK);
	ck_assert_str_eq(got, JSON1 ";" JSON1 ";");
}
END_TEST

/*
 * Documents as kontor-tax stores them: the fields of each record that
 * the yearly totals read, as invoice_to_json writes them, and the same
 * figures beside it.  The totals, by hand (EUR):
 *
 *	EU 2026		100.00 + 50.50 - 10.25 + (59.50 + 10.70 - 11.20)
 *			= 199.25
 *	turnover 2026	50.50 + 59.00 + 200.00 = 309.50
 *	EU 2025		999.99 (supplied in 2025, issued in 2026)
 *	turnover 2025	0 (the only sale of 2025 is taxed abroad)
 *
 * A document without a treatment counts in no total.
 */
static const struct sale_doc {
	const char *order_id, *doc_type, *refund, *issue_date, *json;
	struct distance_sale_row sale;
} sale_docs[] = {
	{"1", "380", NULL, "2026-11-03", "{\"supply_date\":\"2026-11-02\","
	    "\"currency\":\"EUR\",\"treatment\":\"oss\",\"vat\":[{}],"
	    "\"totals\":{\"net\":\"100.00\"}}",
	    {NULL, "2026", "oss", "EUR", "100.00", NULL, NULL}},
	{"2", "380", NULL, "2026-11-03", "{\"supply_date\":\"2026-11-02\","
	    "\"currency\":\"EUR\",\"treatment\":\"eu-consumer-de\","
	    "\"vat\":[{}],\"totals\":{\"net\":\"50.50\"}}",
	    {NULL, "2026", "eu-consumer-de", "EUR", "50.50", NULL, NULL}},
	{"1", "381", "r1", "2026-11-20", "{\"supply_date\":\"2026-11-19\","
	    "\"currency\":\"EUR\",\"treatment\":\"oss\",\"vat\":[{}],"
	    "\"totals\":{\"net\":\"10.25\"}}",
	    {NULL, "2026", "oss", "EUR", "10.25", NULL, NULL}},
	{"3", "380", NULL, "2026-11-21", "{\"supply_date\":\"2026-10-15\","
	    "\"currency\":\"CHF\",\"treatment\":\"eu-consumer-de\","
	    "\"vat\":[{\"gross_eur\":\"59.50\"},{\"gross_eur\":\"10.70\"}],"
	    "\"totals\":{\"net\":\"68.00\"},\"fx\":{\"vat\":\"11.20\"}}",
	    {NULL, "2026", "eu-consumer-de", "CHF", "68.00", "11.20",
	    "59.50 10.70"}},
	{"4", "380", NULL, "2026-11-21", "{\"supply_date\":\"2026-11-21\","
	    "\"currency\":\"EUR\",\"treatment\":\"domestic\","
	    "\"vat\":[{}],\"totals\":{\"net\":\"200.00\"}}",
	    {NULL, "2026", "domestic", "EUR", "200.00", NULL, NULL}},
	{"5", "380", NULL, "2026-11-21", "{\"supply_date\":\"2026-11-21\","
	    "\"currency\":\"EUR\",\"treatment\":\"deemed-supplier\","
	    "\"vat\":[{}],\"totals\":{\"net\":\"30.00\"}}",
	    {NULL, "2026", "deemed-supplier", "EUR", "30.00", NULL, NULL}},
	{"6", "380", NULL, "2026-01-05", "{\"supply_date\":\"2025-12-30\","
	    "\"currency\":\"EUR\",\"treatment\":\"oss\",\"vat\":[{}],"
	    "\"totals\":{\"net\":\"999.99\"}}",
	    {NULL, "2025", "oss", "EUR", "999.99", NULL, NULL}},
	{"7", "380", NULL, "2026-11-21", "{\"supply_date\":\"2026-11-21\","
	    "\"currency\":\"EUR\",\"vat\":[{}],"
	    "\"totals\":{\"net\":\"5.00\"}}",
	    {NULL, "2026", NULL, "EUR", "5.00", NULL, NULL}},
};

static void
store_sale_docs(void)
{
	char number[32];
	size_t i;

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	for (i = 0; i < sizeof(sale_docs) / sizeof(sale_docs[0]); i++) {
		const struct sale_doc *d = &sale_docs[i];
		struct invoice_row r = {
			.shop = "shop-de", .order_id = d->order_id,
			.doc_type = d->doc_type, .refund_id = d->refund,
			.number = number, .issue_date = d->issue_date,
			.run_id = "r", .source_file = "-",
			.order_hash = HASH_A, .json = d->json,
			.json_len = strlen(d->json), .sale = &d->sale,
		};

		snprintf(number, sizeof(number), "RE-%zu", i);
		ck_assert_int_eq(state_store_invoice(st, &r, NULL), KR_OK);
	}
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}

/* The total of kind in year, in EUR cents, read from the state. */
static int64_t
year_total(enum distsales_kind kind, int year)
{
	struct distsales ds;
	struct kerr e;
	int64_t cents = -1;

	distsales_init(&ds, kind, st, 0, "2026-12-04");
	kerr_clear(&e);
	ck_assert_msg(distsales_total(&ds, year, &cents, &e) == KR_OK, "%s",
	    e.msg);
	return cents;
}

static void
assert_year_totals(void)
{
	ck_assert_int_eq(year_total(DISTSALES_EU, 2026), 19925);
	ck_assert_int_eq(year_total(DISTSALES_TURNOVER, 2026), 30950);
	ck_assert_int_eq(year_total(DISTSALES_EU, 2025), 99999);
	ck_assert_int_eq(year_total(DISTSALES_TURNOVER, 2025), 0);
	ck_assert_int_eq(year_total(DISTSALES_EU, 2027), 0);
}

#define SALES_DUMP "SELECT group_concat(r, ';') FROM (SELECT " \
	"quote(invoice_id) || ',' || quote(supply_year) || ',' || " \
	"quote(treatment) || ',' || quote(doc_type) || ',' || " \
	"quote(currency) || ',' || quote(net) || ',' || quote(vat_eur) " \
	"|| ',' || quote(gross_eur) AS r FROM sales ORDER BY invoice_id)"

START_TEST(state_totals_count_each_stored_document_by_year_and_kind)
{
	store_sale_docs();
	assert_year_totals();
}
END_TEST

/*
 * A database of schema 4 holds the documents alone: opening it fills in
 * the figures of each from its record, the same as kontor-tax stored
 * beside it, and the totals stay what they were.
 */
START_TEST(state_open_fills_in_the_figures_of_old_documents)
{
	char path[PATH_MAX + 16], before[2048], after[2048], v[64];
	sqlite3 *db;

	store_sale_docs();
	peek(SALES_DUMP, before, sizeof(before));
	ck_assert_ptr_nonnull(strstr(before, "'59.50 10.70'"));
	peek("SELECT count(*) FROM sales", v, sizeof(v));
	ck_assert_str_eq(v, "7");
	state_close(st);
	snprintf(path, sizeof(path), "%s/state.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "DROP TABLE sales; "
	    "UPDATE schema_version SET version = 4", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	peek("SELECT count(*) FROM sqlite_master WHERE name LIKE 'sales%'",
	    v, sizeof(v));
	ck_assert_str_eq(v, "0");

	ck_assert_int_eq(state_open(&st, dir, NULL), KR_OK);
	peek("SELECT version FROM schema_version", v, sizeof(v));
	ck_assert_str_eq(v, "5");
	peek(SALES_DUMP, after, sizeof(after));
	ck_assert_str_eq(after, before);
	assert_year_totals();
}
END_TEST

/* A database of schema 2 with a waiting refund moves to schema 5. */
START_TEST(state_open_brings_old_refunds_along)
{
	char path[PATH_MAX + 16], v[64];
	sqlite3 *db;

	ck_assert_int_eq(wait_refund("r1", NULL), 1);
	state_close(st);
	snprintf(path, sizeof(path), "%s/state.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "DROP INDEX refunds_waiting_open; "
	    "DROP INDEX invoices_by_issue_date; DROP TABLE sales; "
	    "ALTER TABLE refunds_waiting DROP "
	    "COLUMN credit_number; ALTER TABLE refunds_waiting DROP COLUMN "
	    "status; ALTER TABLE refunds_waiting DROP COLUMN refund_json; "
	    "UPDATE schema_version SET version = 2", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(db);
	ck_assert_int_eq(state_open(&st, dir, NULL), KR_OK);
	peek("SELECT version FROM schema_version", v, sizeof(v));
	ck_assert_str_eq(v, "5");
	peek("SELECT status || coalesce(refund_json, '-') FROM "
	    "refunds_waiting", v, sizeof(v));
	ck_assert_str_eq(v, "waiting-");
	ck_assert_int_eq(count_waiting(), 1);
	/*
	 * Each batch looks for the waiting refunds, and each run for the
	 * last invoice date, through indexes.
	 */
	peek("SELECT name FROM sqlite_master WHERE type = 'index' AND "
	    "tbl_name = 'refunds_waiting' AND sql LIKE '%WHERE status = "
	    "''waiting''%'", v, sizeof(v));
	ck_assert_str_eq(v, "refunds_waiting_open");
	peek("SELECT name FROM sqlite_master WHERE type = 'index' AND "
	    "tbl_name = 'invoices' AND sql LIKE '%(issue_date)'", v,
	    sizeof(v));
	ck_assert_str_eq(v, "invoices_by_issue_date");
}
END_TEST

static Suite *
state_suite(void)
{
	Suite *s = suite_create("state");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, state_open_creates_the_schema_and_reopens_it);
	tcase_add_test(tc, state_open_refuses_a_schema_newer_than_it_knows);
	tcase_add_test(tc,
	    state_open_is_safe_when_processes_create_it_together);
	tcase_add_test(tc,
	    state_draw_number_is_gapless_and_starts_again_each_year);
	tcase_add_test(tc, state_draw_number_expands_month_and_short_year);
	tcase_add_test(tc,
	    state_draw_number_refuses_bad_patterns_and_a_full_series);
	tcase_add_test(tc, state_rollback_consumes_no_number);
	tcase_add_test(tc, state_series_raise_moves_a_series_past_a_number);
	tcase_add_test(tc, state_store_and_find_give_back_the_same_invoice);
	tcase_add_test(tc, state_store_refuses_a_second_invoice_for_an_order);
	tcase_add_test(tc, state_each_undelivered_skips_what_a_channel_took);
	tcase_add_test(tc,
	    state_delivery_done_moves_the_mark_past_what_is_covered);
	tcase_add_test(tc,
	    state_delivery_pending_refuses_a_document_already_taken);
	tcase_add_test(tc,
	    state_each_pending_lists_pending_deliveries_with_files);
	tcase_add_test(tc,
	    state_records_set_asides_rejections_and_audit_rows);
	tcase_add_test(tc, state_keeps_each_refund_once_until_its_credit_note);
	tcase_add_test(tc, state_lists_the_credit_notes_of_an_order);
	tcase_add_test(tc, state_read_transaction_gives_way_to_a_commit);
	tcase_add_test(tc, state_commit_writes_every_series_drawn_from);
	tcase_add_test(tc,
	    state_store_says_an_order_is_taken_and_its_number_goes_back);
	tcase_add_test(tc,
	    state_open_keeps_the_page_size_of_an_older_database);
	tcase_add_test(tc, state_open_brings_old_refunds_along);
	tcase_add_test(tc,
	    state_totals_count_each_stored_document_by_year_and_kind);
	tcase_add_test(tc, state_open_fills_in_the_figures_of_old_documents);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(state_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

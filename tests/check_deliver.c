#include <check.h>
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deliver.h"
#include "err.h"
#include "state.h"
#include "tenant.h"
#include "testdir.h"

#define RUN	"20261204T020000Z"
#define ID	RUN "-datev"
/* SHA-256 of "abc" (FIPS 180-2, appendix B.1). */
#define ABC_SHA256 \
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

static char dir[PATH_MAX];
static struct tenant t;
static struct state *st;

static void
store(const char *order_id, const char *number)
{
	/* "{}" states none of the figures the yearly totals count. */
	static const struct distance_sale_row none;
	struct invoice_row r = {
		.shop = "shop-de", .order_id = order_id, .doc_type = "380",
		.number = number, .issue_date = "2026-12-04", .run_id = RUN,
		.source_file = "spool/shop-de/x.json", .order_hash = "00",
		.json = "{}", .json_len = 2, .sale = &none,
	};

	ck_assert_int_eq(state_store_invoice(st, &r, NULL), KR_OK);
}

static void
setup(void)
{
	testdir_tenant(dir, sizeof(dir), "deliver");
	ck_assert_int_eq(tenant_open(&t, dir, NULL), KR_OK);
	ck_assert_int_eq(tenant_lock(&t, 0, NULL), KR_OK);
	ck_assert_int_eq(state_open(&st, dir, NULL), KR_OK);
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	store("1", "RE-2026-000001");
	store("2", "RE-2026-000002");
	store("3", "RE-2026-000003");
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
}

static void
teardown(void)
{
	state_close(st);
	tenant_close(&t);
	testdir_remove(dir);
}

static void
path_of(char *out, const char *rel)
{
	ck_assert_int_lt(snprintf(out, PATH_MAX + 64, "%s/%s", dir, rel),
	    PATH_MAX + 64);
}

static int
exists(const char *rel)
{
	char path[PATH_MAX + 64];
	struct stat sb;

	path_of(path, rel);
	return lstat(path, &sb) == 0;
}

static struct stat
stat_of(const char *rel)
{
	char path[PATH_MAX + 64];
	struct stat sb;

	path_of(path, rel);
	ck_assert_msg(lstat(path, &sb) == 0, "%s is missing", rel);
	return sb;
}

static char *
slurp(const char *rel)
{
	char path[PATH_MAX + 64];
	static char text[4096];
	size_t n;
	FILE *fp;

	path_of(path, rel);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	return text;
}

static void
add_file(struct delivery *d, const char *name, const char *text)
{
	FILE *fp = deliver_open_file(d, name, NULL);

	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(deliver_close_file(d, fp, name, NULL), KR_OK);
}

/* Walks the undelivered invoices of channel into "1,2,..." (last digit
 * of each number). */
static int
collect(void *arg, const char *number, const char *json, size_t len)
{
	char *list = arg;

	(void)json;
	(void)len;
	if (list[0] != '\0')
		strcat(list, ",");
	strcat(list, number + strlen(number) - 1);
	return KR_OK;
}

static const char *
undelivered(const char *channel)
{
	static char list[64];

	list[0] = '\0';
	ck_assert_int_eq(state_each_undelivered(st, channel, collect, list,
	    NULL), KR_OK);
	return list;
}

static int
count_pending(void *arg, const char *id, const struct delivery_file *f,
    size_t n)
{
	(void)id;
	(void)f;
	(void)n;
	(*(int *)arg)++;
	return KR_OK;
}

static int
pending_rows(void)
{
	int n = 0;

	ck_assert_int_eq(state_each_pending(st, count_pending, &n, NULL),
	    KR_OK);
	return n;
}

static void
assert_same_inode(const char *a, const char *b)
{
	struct stat sa = stat_of(a), sb = stat_of(b);

	ck_assert(sa.st_dev == sb.st_dev);
	ck_assert(sa.st_ino == sb.st_ino);
}

/* Adds every undelivered invoice's number to the delivery arg. */
static int
add_number(void *arg, const char *number, const char *json, size_t len)
{
	(void)json;
	(void)len;
	deliver_add_doc(arg, number);
	return KR_OK;
}

START_TEST(deliver_commit_publishes_read_only_files_with_manifest)
{
	struct delivery d;
	int delivered;

	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	ck_assert_str_eq(d.id, ID);
	ck_assert(exists("out/.tmp-" ID));
	add_file(&d, "EXTF_Buchungsstapel.csv", "abc");
	deliver_add_doc(&d, "RE-2026-000001");
	deliver_add_doc(&d, "RE-2026-000003");
	ck_assert_int_eq(deliver_commit(&d, &delivered, NULL), KR_OK);
	ck_assert_int_eq(delivered, 1);
	deliver_release(&d);

	ck_assert(!exists("out/.tmp-" ID));
	ck_assert_str_eq(slurp("out/" ID "/EXTF_Buchungsstapel.csv"), "abc");
	ck_assert_int_eq(stat_of("out/" ID "/EXTF_Buchungsstapel.csv")
	    .st_mode & 0777, 0444);
	ck_assert_int_eq(stat_of("out/" ID "/MANIFEST").st_mode & 0777,
	    0444);
	ck_assert_str_eq(slurp("out/" ID "/MANIFEST"),
	    "delivery " ID "\n"
	    "run " RUN "\n"
	    "doc datev RE-2026-000001\n"
	    "doc datev RE-2026-000003\n"
	    "file EXTF_Buchungsstapel.csv 3 " ABC_SHA256 "\n");
	assert_same_inode("out/" ID "/EXTF_Buchungsstapel.csv",
	    "archive/" ID "/EXTF_Buchungsstapel.csv");
	assert_same_inode("out/" ID "/MANIFEST", "archive/" ID "/MANIFEST");

	ck_assert_int_eq(state_delivery_known(st, ID), 1);
	ck_assert_int_eq(pending_rows(), 0);
	ck_assert_str_eq(undelivered("datev"), "2");
	ck_assert_str_eq(undelivered("einvoice"), "1,2,3");

	/* The next delivery of the same run and channel gets its own id. */
	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	ck_assert_str_eq(d.id, ID "-2");
	deliver_abort(&d);
	deliver_release(&d);
	ck_assert(!exists("out/.tmp-" ID "-2"));
}
END_TEST

/* A file put from memory is kept as one written through a stream. */
START_TEST(deliver_put_file_hashes_the_bytes_it_writes)
{
	struct delivery d;
	int delivered;

	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	ck_assert_int_eq(deliver_put_file(&d, "a.xml", "abc", 3, NULL),
	    KR_OK);
	ck_assert_int_eq(stat_of("out/.tmp-" ID "/a.xml").st_mode & 0777,
	    0444);
	ck_assert_int_eq(deliver_put_file(&d, "a.xml", "abc", 3, NULL),
	    KR_IO);
	deliver_add_doc(&d, "RE-2026-000001");
	ck_assert_int_eq(deliver_commit(&d, &delivered, NULL), KR_OK);
	ck_assert_int_eq(delivered, 1);
	deliver_release(&d);

	ck_assert_str_eq(slurp("out/" ID "/a.xml"), "abc");
	ck_assert_str_eq(slurp("out/" ID "/MANIFEST"),
	    "delivery " ID "\n"
	    "run " RUN "\n"
	    "doc datev RE-2026-000001\n"
	    "file a.xml 3 " ABC_SHA256 "\n");
	assert_same_inode("out/" ID "/a.xml", "archive/" ID "/a.xml");
}
END_TEST

START_TEST(deliver_commit_refuses_a_document_already_delivered)
{
	struct delivery d;
	struct kerr e;
	int delivered;

	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	add_file(&d, "a.csv", "abc");
	deliver_add_doc(&d, "RE-2026-000002");
	ck_assert_int_eq(deliver_commit(&d, &delivered, NULL), KR_OK);
	deliver_release(&d);

	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	add_file(&d, "b.csv", "abc");
	deliver_add_doc(&d, "RE-2026-000001");
	deliver_add_doc(&d, "RE-2026-000002");
	kerr_clear(&e);
	ck_assert_int_eq(deliver_commit(&d, &delivered, &e), KR_STATE);
	ck_assert_int_eq(delivered, 0);
	ck_assert_ptr_nonnull(strstr(e.msg, "RE-2026-000002 is already "
	    "delivered on channel datev in delivery " ID));
	deliver_release(&d);

	ck_assert(!exists("out/.tmp-" ID "-2"));
	ck_assert(!exists("out/" ID "-2"));
	ck_assert_int_eq(state_delivery_known(st, ID "-2"), 0);
	ck_assert_str_eq(undelivered("datev"), "1,3");
}
END_TEST

START_TEST(deliver_commit_without_documents_leaves_nothing)
{
	struct delivery d;
	long n;
	int delivered = -1;

	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "einvoice", NULL),
	    KR_OK);
	add_file(&d, "empty.xml", "");
	ck_assert_int_eq(deliver_commit(&d, &delivered, NULL), KR_OK);
	ck_assert_int_eq(delivered, 0);
	deliver_release(&d);
	ck_assert(!exists("out/.tmp-" RUN "-einvoice"));
	ck_assert(!exists("out/" RUN "-einvoice"));
	ck_assert_int_eq(state_count_deliveries(st, &n, NULL), KR_OK);
	ck_assert_int_eq(n, 0);
}
END_TEST

/* Counts the MANIFEST's "doc" lines of delivery id. */
static long
manifest_docs(const char *id)
{
	char path[PATH_MAX + 64], rel[PATH_MAX], line[256];
	long n = 0;
	FILE *fp;

	snprintf(rel, sizeof(rel), "out/%s/MANIFEST", id);
	path_of(path, rel);
	fp = fopen(path, "r");
	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof(line), fp) != NULL)
		n += strncmp(line, "doc datev RE-", 13) == 0;
	fclose(fp);
	return n;
}

START_TEST(deliver_commit_records_more_documents_than_one_ledger_call)
{
	char order[16], number[32];
	struct delivery d;
	int delivered, i;

	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	for (i = 4; i <= 700; i++) {
		snprintf(order, sizeof(order), "%d", i);
		snprintf(number, sizeof(number), "RE-2026-%06d", i);
		store(order, number);
	}
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	add_file(&d, "a.csv", "abc");
	ck_assert_int_eq(state_each_undelivered(st, "datev", add_number, &d,
	    NULL), KR_OK);
	deliver_add_doc(&d, "RE-2026-000001");
	ck_assert_int_eq(deliver_commit(&d, &delivered, NULL), KR_OK);
	ck_assert_int_eq(delivered, 1);
	deliver_release(&d);
	ck_assert_str_eq(undelivered("datev"), "");
	ck_assert_int_eq(manifest_docs(ID), 701);
	ck_assert(!exists("out/" ID "/.docs"));
}
END_TEST

START_TEST(deliver_commit_refuses_a_document_key_with_a_newline)
{
	struct delivery d;
	struct kerr e;
	int delivered = -1;

	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	add_file(&d, "a.csv", "abc");
	deliver_add_doc(&d, "RE-2026-000001");
	deliver_add_doc(&d, "RE-2026-000002\nfile x 1 0");
	kerr_clear(&e);
	ck_assert_int_eq(deliver_commit(&d, &delivered, &e), KR_BAD_INPUT);
	ck_assert_int_eq(delivered, 0);
	ck_assert_ptr_nonnull(strstr(e.msg, "control character"));
	deliver_release(&d);
	ck_assert(!exists("out/.tmp-" ID));
	ck_assert_int_eq(state_delivery_known(st, ID), 0);
	ck_assert_str_eq(undelivered("datev"), "1,2,3");
}
END_TEST

/*
 * The files of a delivery are made durable by an fsync each, or by one
 * syncfs when there are many (fs.h).  This test's fsync and syncfs
 * stand in for the C library's: for a file in the delivery's temp
 * folder (fsync) or any syncfs, they look at the temp folder and the
 * ledger at the moment of the call, then sync for real or, when told
 * to, fail as a full or broken disk would.
 */
static struct {
	int armed;		/* look, and count the calls */
	int fail;		/* fail with EIO instead of syncing */
	int files;		/* files of the delivery, MANIFEST aside */
	int fsyncs;		/* of files in the temp folder */
	int syncfs;
	int rows_at_sync;	/* pending rows at any call */
	int whole_at_sync;	/* every file and the MANIFEST were there */
} sync_seen;

/* Looks; -1 with errno EIO when the call is to fail. */
static int
saw_sync(void)
{
	char path[64];
	int i, whole;

	sync_seen.rows_at_sync += pending_rows() +
	    state_delivery_known(st, ID);
	whole = exists("out/.tmp-" ID "/MANIFEST");
	for (i = 0; whole && i < sync_seen.files; i++) {
		snprintf(path, sizeof(path), "out/.tmp-" ID "/f%d.csv", i);
		whole = stat_of(path).st_size == i + 1;
	}
	sync_seen.whole_at_sync &= whole;
	if (sync_seen.fail) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* 1 when fd is a file inside the delivery's temp folder. */
static int
in_temp_folder(int fd)
{
	char link[64], path[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, path, sizeof(path) - 1);
	if (n < 0)
		return 0;
	path[n] = '\0';
	return strstr(path, "/out/.tmp-" ID "/") != NULL;
}

int
fsync(int fd)
{
	if (sync_seen.armed && in_temp_folder(fd)) {
		sync_seen.fsyncs++;
		if (saw_sync() != 0)
			return -1;
	}
	return (int)syscall(SYS_fsync, fd);
}

int
syncfs(int fd)
{
	if (sync_seen.armed) {
		sync_seen.syncfs++;
		if (saw_sync() != 0)
			return -1;
	}
	return (int)syscall(SYS_syncfs, fd);
}

/* Delivers files f0.csv .. of 1, 2, ... bytes and two documents. */
static void
deliver_files(int files, int fail, int *delivered, struct kerr *e)
{
	struct delivery d;
	char name[32], text[64];
	int i;

	memset(&sync_seen, 0, sizeof(sync_seen));
	sync_seen.fail = fail;
	sync_seen.files = files;
	sync_seen.whole_at_sync = 1;
	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	for (i = 0; i < files; i++) {
		snprintf(name, sizeof(name), "f%d.csv", i);
		snprintf(text, sizeof(text), "%.*s", i + 1,
		    "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
		add_file(&d, name, text);
	}
	deliver_add_doc(&d, "RE-2026-000001");
	deliver_add_doc(&d, "RE-2026-000002");
	kerr_clear(e);
	*delivered = -1;
	sync_seen.armed = 1;
	(void)deliver_commit(&d, delivered, e);
	sync_seen.armed = 0;
	deliver_release(&d);
}

/*
 * Delivers files files and checks that the syncs came with every file
 * whole and before the ledger knew the delivery.
 */
static void
durable_before_the_ledger(int files, int fsyncs, int syncfs)
{
	struct kerr e;
	int delivered;

	deliver_files(files, 0, &delivered, &e);
	ck_assert_int_eq(e.code, KR_OK);
	ck_assert_int_eq(delivered, 1);
	ck_assert_int_eq(sync_seen.fsyncs, fsyncs);
	ck_assert_int_eq(sync_seen.syncfs, syncfs);
	ck_assert_int_eq(sync_seen.rows_at_sync, 0);
	ck_assert(sync_seen.whole_at_sync);
	ck_assert_int_eq(state_delivery_known(st, ID), 1);
	ck_assert_str_eq(undelivered("datev"), "3");
}

/* Two files and the MANIFEST: an fsync each, no syncfs. */
START_TEST(deliver_commit_makes_the_files_durable_before_the_ledger_row)
{
	durable_before_the_ledger(2, 3, 0);
}
END_TEST

/* Thirty files and the MANIFEST: one syncfs for all of them. */
START_TEST(deliver_commit_makes_many_files_durable_at_once)
{
	durable_before_the_ledger(30, 0, 1);
}
END_TEST

static void
nothing_recorded(const struct kerr *e, int delivered)
{
	ck_assert_int_eq(e->code, KR_IO);
	ck_assert_ptr_nonnull(strstr(e->msg, "cannot make the delivery "
	    "durable"));
	ck_assert_int_eq(delivered, 0);
	ck_assert_int_eq(pending_rows(), 0);
	ck_assert_int_eq(state_delivery_known(st, ID), 0);
	ck_assert(!exists("out/.tmp-" ID));
	ck_assert(!exists("out/" ID));
	ck_assert_str_eq(undelivered("datev"), "1,2,3");
}

START_TEST(deliver_commit_records_nothing_when_the_sync_fails)
{
	struct kerr e;
	int delivered;

	deliver_files(2, 1, &delivered, &e);
	ck_assert_int_eq(sync_seen.fsyncs, 1);
	nothing_recorded(&e, delivered);
	deliver_files(30, 1, &delivered, &e);
	ck_assert_int_eq(sync_seen.syncfs, 1);
	nothing_recorded(&e, delivered);
}
END_TEST

START_TEST(deliver_refuses_unsafe_names)
{
	static const char *const bad[] = {
		"../x", ".hidden", "a b", "MANIFEST", "a/b", "", "tab\tx",
	};
	struct delivery d;
	struct kerr e;
	size_t i;

	ck_assert_int_eq(deliver_begin(&d, &t, st, "../../etc", "datev",
	    &e), KR_BAD_INPUT);
	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "da/tev", &e),
	    KR_BAD_INPUT);
	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kerr_clear(&e);
		ck_assert_msg(deliver_open_file(&d, bad[i], &e) == NULL,
		    "accepted \"%s\"", bad[i]);
		ck_assert_int_eq(e.code, KR_BAD_INPUT);
		kerr_clear(&e);
		ck_assert_int_eq(deliver_put_file(&d, bad[i], "x", 1, &e),
		    KR_BAD_INPUT);
	}
	deliver_abort(&d);
	deliver_release(&d);
}
END_TEST

/*
 * Builds what a crash after step 2 leaves: out/.tmp-<id>/a.csv holding
 * text, and a pending row for it (with the hash of "abc") covering
 * RE-2026-000001.
 */
static void
crash_after_pending(const char *text)
{
	static const char *const docs[] = {"RE-2026-000001"};
	struct delivery_file f = {.name = "a.csv", .size_bytes = 3};
	struct delivery_row row = {
		.id = ID, .channel = "datev", .run_id = RUN, .files = &f,
		.nfiles = 1, .docs = docs, .ndocs = 1,
	};
	char path[PATH_MAX + 64];

	memcpy(f.sha256, ABC_SHA256, sizeof(f.sha256));
	path_of(path, "out/.tmp-" ID);
	ck_assert_int_eq(mkdir(path, 0755), 0);
	testdir_write(dir, "out/.tmp-" ID "/a.csv", text);
	ck_assert_int_eq(state_begin(st, NULL), KR_OK);
	ck_assert_int_eq(state_delivery_pending(st, &row, NULL), KR_OK);
	ck_assert_int_eq(state_commit(st, NULL), KR_OK);
	ck_assert_str_eq(undelivered("datev"), "2,3");
}

static void
assert_done_and_archived(void)
{
	ck_assert_int_eq(pending_rows(), 0);
	ck_assert_int_eq(state_delivery_known(st, ID), 1);
	ck_assert(!exists("out/.tmp-" ID));
	ck_assert_str_eq(slurp("out/" ID "/a.csv"), "abc");
	ck_assert_int_eq(stat_of("out/" ID "/a.csv").st_mode & 0777, 0444);
	assert_same_inode("out/" ID "/a.csv", "archive/" ID "/a.csv");
	ck_assert_str_eq(undelivered("datev"), "2,3");
}

START_TEST(deliver_settle_removes_a_temp_folder_without_a_row)
{
	struct delivery d;

	/* Crash during step 1: files written, nothing recorded. */
	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	add_file(&d, "a.csv", "abc");
	deliver_add_doc(&d, "RE-2026-000001");
	deliver_release(&d);
	ck_assert(exists("out/.tmp-" ID "/a.csv"));

	ck_assert_int_eq(deliver_settle(&t, st, NULL), KR_OK);
	ck_assert(!exists("out/.tmp-" ID));
	ck_assert_int_eq(state_delivery_known(st, ID), 0);
	ck_assert_str_eq(undelivered("datev"), "1,2,3");
}
END_TEST

START_TEST(deliver_settle_finishes_a_pending_row_with_a_whole_folder)
{
	crash_after_pending("abc");
	ck_assert_int_eq(deliver_settle(&t, st, NULL), KR_OK);
	assert_done_and_archived();
}
END_TEST

START_TEST(deliver_settle_marks_a_renamed_delivery_done)
{
	char from[PATH_MAX + 64], to[PATH_MAX + 64];

	/* Crash after step 3, with one file already linked. */
	crash_after_pending("abc");
	path_of(from, "out/.tmp-" ID);
	path_of(to, "out/" ID);
	ck_assert_int_eq(rename(from, to), 0);
	path_of(from, "archive/" ID);
	ck_assert_int_eq(mkdir(from, 0755), 0);
	path_of(from, "out/" ID "/a.csv");
	path_of(to, "archive/" ID "/a.csv");
	ck_assert_int_eq(link(from, to), 0);

	ck_assert_int_eq(deliver_settle(&t, st, NULL), KR_OK);
	assert_done_and_archived();
}
END_TEST

START_TEST(deliver_settle_drops_a_pending_row_with_a_damaged_folder)
{
	crash_after_pending("abd");
	ck_assert_int_eq(deliver_settle(&t, st, NULL), KR_OK);
	ck_assert_int_eq(pending_rows(), 0);
	ck_assert_int_eq(state_delivery_known(st, ID), 0);
	ck_assert(!exists("out/.tmp-" ID));
	ck_assert(!exists("out/" ID));
	ck_assert(!exists("archive/" ID));
	ck_assert_str_eq(undelivered("datev"), "1,2,3");
}
END_TEST

START_TEST(deliver_settle_drops_a_pending_row_without_any_folder)
{
	char path[PATH_MAX + 64];

	crash_after_pending("abc");
	path_of(path, "out/.tmp-" ID);
	testdir_remove(path);
	ck_assert_int_eq(deliver_settle(&t, st, NULL), KR_OK);
	ck_assert_int_eq(state_delivery_known(st, ID), 0);
	ck_assert_str_eq(undelivered("datev"), "1,2,3");
}
END_TEST

START_TEST(deliver_check_known_refuses_an_unknown_delivery_folder)
{
	char path[PATH_MAX + 64];
	struct delivery d;
	struct kerr e;
	int delivered;

	ck_assert_int_eq(deliver_check_known(&t, st, NULL), KR_OK);
	ck_assert_int_eq(deliver_begin(&d, &t, st, RUN, "datev", NULL),
	    KR_OK);
	add_file(&d, "a.csv", "abc");
	deliver_add_doc(&d, "RE-2026-000001");
	ck_assert_int_eq(deliver_commit(&d, &delivered, NULL), KR_OK);
	deliver_release(&d);
	testdir_write(dir, "out/README", "not a delivery");
	path_of(path, "out/.partial");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	ck_assert_int_eq(deliver_check_known(&t, st, NULL), KR_OK);

	path_of(path, "out/20251130T020000Z-datev");
	ck_assert_int_eq(mkdir(path, 0755), 0);
	kerr_clear(&e);
	ck_assert_int_eq(deliver_check_known(&t, st, &e), KR_STATE);
	ck_assert_ptr_nonnull(strstr(e.msg, "20251130T020000Z-datev"));
	ck_assert_ptr_nonnull(strstr(e.msg, "kontor recover"));
}
END_TEST

/* In a child: delivers every undelivered invoice on datev, then exits. */
static void
deliver_in_child(void)
{
	struct state *cst;
	struct delivery d;
	int delivered, i;
	FILE *fp;

	if (state_open(&cst, dir, NULL) != KR_OK ||
	    deliver_begin(&d, &t, cst, RUN, "datev", NULL) != KR_OK)
		_exit(1);
	fp = deliver_open_file(&d, "big.csv", NULL);
	if (fp == NULL)
		_exit(1);
	for (i = 0; i < 2000; i++)
		fprintf(fp, "line %d of a delivery that may be killed\n", i);
	if (deliver_close_file(&d, fp, "big.csv", NULL) != KR_OK ||
	    state_each_undelivered(cst, "datev", add_number, &d, NULL) !=
	    KR_OK ||
	    deliver_commit(&d, &delivered, NULL) != KR_OK)
		_exit(1);
	_exit(0);
}

/* Counts the done deliveries' folders and checks each is whole. */
static int
check_out_folders(void)
{
	char path[PATH_MAX + 64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	path_of(path, "out");
	d = opendir(path);
	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL) {
		char rel[PATH_MAX];

		if (de->d_name[0] == '.')
			continue;
		ck_assert_msg(strncmp(de->d_name, ".tmp-", 5) != 0,
		    "temp folder %s left", de->d_name);
		ck_assert_int_eq(state_delivery_known(st, de->d_name), 1);
		snprintf(rel, sizeof(rel), "archive/%s/MANIFEST", de->d_name);
		ck_assert(exists(rel));
		snprintf(rel, sizeof(rel), "archive/%s/big.csv", de->d_name);
		ck_assert(exists(rel));
		n++;
	}
	closedir(d);
	return n;
}

/* Runs deliver_in_child to its end; returns how long it took, in µs. */
static long
deliver_undisturbed(void)
{
	struct timespec t0, t1;
	int status;
	long n;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0)
		deliver_in_child();
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ck_assert_str_eq(undelivered("datev"), "");
	ck_assert_int_eq(state_count_deliveries(st, &n, NULL), KR_OK);
	ck_assert_int_eq(check_out_folders(), n);
	return (t1.tv_sec - t0.tv_sec) * 1000000L +
	    (t1.tv_nsec - t0.tv_nsec) / 1000;
}

START_TEST(deliver_settle_after_a_kill_at_any_moment_loses_nothing)
{
	char number[32], order[16];
	long n, span_us;
	int i, status;
	pid_t pid;

	/* How long one delivery takes here spreads the kills over it; the
	 * result must not depend on where they land. */
	span_us = deliver_undisturbed();
	for (i = 0; i < 40; i++) {
		snprintf(order, sizeof(order), "k%d", i);
		snprintf(number, sizeof(number), "RE-2027-%06d", i + 1);
		ck_assert_int_eq(state_begin(st, NULL), KR_OK);
		store(order, number);
		ck_assert_int_eq(state_commit(st, NULL), KR_OK);

		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0)
			deliver_in_child();
		usleep((useconds_t)(span_us * i / 50));
		kill(pid, SIGKILL);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);

		ck_assert_int_eq(deliver_settle(&t, st, NULL), KR_OK);
		ck_assert_int_eq(pending_rows(), 0);
		ck_assert_int_eq(deliver_check_known(&t, st, NULL), KR_OK);
		ck_assert_int_eq(state_count_deliveries(st, &n, NULL),
		    KR_OK);
		ck_assert_int_eq(check_out_folders(), n);
	}

	/* A last, undisturbed delivery takes whatever is still open. */
	deliver_undisturbed();
}
END_TEST

static Suite *
deliver_suite(void)
{
	Suite *s = suite_create("deliver");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
	    deliver_commit_publishes_read_only_files_with_manifest);
	tcase_add_test(tc,
	    deliver_commit_refuses_a_document_already_delivered);
	tcase_add_test(tc, deliver_put_file_hashes_the_bytes_it_writes);
	tcase_add_test(tc, deliver_commit_without_documents_leaves_nothing);
	tcase_add_test(tc,
	    deliver_commit_records_more_documents_than_one_ledger_call);
	tcase_add_test(tc,
	    deliver_commit_refuses_a_document_key_with_a_newline);
	tcase_add_test(tc,
	    deliver_commit_makes_the_files_durable_before_the_ledger_row);
	tcase_add_test(tc, deliver_commit_makes_many_files_durable_at_once);
	tcase_add_test(tc, deliver_commit_records_nothing_when_the_sync_fails);
	tcase_add_test(tc, deliver_refuses_unsafe_names);
	tcase_add_test(tc,
	    deliver_settle_removes_a_temp_folder_without_a_row);
	tcase_add_test(tc,
	    deliver_settle_finishes_a_pending_row_with_a_whole_folder);
	tcase_add_test(tc, deliver_settle_marks_a_renamed_delivery_done);
	tcase_add_test(tc,
	    deliver_settle_drops_a_pending_row_with_a_damaged_folder);
	tcase_add_test(tc,
	    deliver_settle_drops_a_pending_row_without_any_folder);
	tcase_add_test(tc,
	    deliver_check_known_refuses_an_unknown_delivery_folder);
	tcase_add_test(tc,
	    deliver_settle_after_a_kill_at_any_moment_loses_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(deliver_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

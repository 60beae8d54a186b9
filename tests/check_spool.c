#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "spool.h"
#include "tenant.h"
#include "testdir.h"

static char dir[PATH_MAX];
static struct tenant t;
static const char *const platforms[] = {"shopify", "woocommerce", NULL};

static void
setup(void)
{
	testdir_tenant(dir, sizeof(dir), "spool");
	ck_assert_int_eq(tenant_open(&t, dir, NULL), KR_OK);
}

static void
teardown(void)
{
	tenant_close(&t);
	testdir_remove(dir);
}

static void
mkdir_in(const char *rel)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	ck_assert_int_eq(mkdir(path, 0755), 0);
}

/* The contents of dir/rel, or NULL when it does not exist. */
static char *
slurp(const char *rel)
{
	char path[PATH_MAX + 64];
	static char text[4096];
	size_t n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	fp = fopen(path, "r");
	if (fp == NULL)
		return NULL;
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	return text;
}

static int
exists(const char *rel)
{
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return lstat(path, &st) == 0;
}

/* A name of n bytes: "L...L.json". */
static const char *
long_name(size_t n)
{
	static char name[NAME_MAX + 1];

	memset(name, 'L', n - 5);
	memcpy(name + n - 5, ".json", 6);
	return name;
}

static void
link_in(const char *target, const char *rel)
{
	char path[PATH_MAX + 64], link[PATH_MAX + 64];

	snprintf(path, sizeof(path), "%s/%s", dir, target);
	snprintf(link, sizeof(link), "%s/%s", dir, rel);
	ck_assert_int_eq(symlink(path, link), 0);
}

START_TEST(spool_scan_lists_new_files_by_shop_then_name)
{
	static const char *const want[] = {
		"spool/shop-de/1.json", "spool/shop-de/10.json",
		"spool/shop-de/2.json", NULL, "spool/woocommerce/0.json",
	};
	char path[PATH_MAX + 64], l240[NAME_MAX + 32];
	struct spool_list l;
	size_t i;

	mkdir_in("spool/shop-de");
	mkdir_in("spool/shop-de/tmp");
	mkdir_in("spool/shop-de/cur");
	mkdir_in("spool/shop-de/rejected");
	mkdir_in("spool/woocommerce");
	mkdir_in("spool/.hidden");
	testdir_write(dir, "spool/shop-de/2.json", "{}");
	testdir_write(dir, "spool/shop-de/10.json", "{}");
	testdir_write(dir, "spool/shop-de/1.json", "{}");
	snprintf(l240, sizeof(l240), "spool/shop-de/%s", long_name(240));
	testdir_write(dir, l240, "{}");
	testdir_write(dir, "spool/woocommerce/0.json", "{}");
	testdir_write(dir, "spool/shop-de/.partial", "{");
	testdir_write(dir, "spool/shop-de/tmp/3.json", "{}");
	testdir_write(dir, "spool/shop-de/cur/4.json", "{}");
	testdir_write(dir, "spool/shop-de/rejected/5.json", "{}");
	testdir_write(dir, "spool/.hidden/6.json", "{}");

	ck_assert_int_eq(spool_scan(&t, platforms, &l, NULL), KR_OK);
	ck_assert_uint_eq(l.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < l.n; i++)
		ck_assert_str_eq(l.names[i], want[i] ? want[i] : l240);
	ck_assert_uint_eq(l.nodd, 0);
	spool_list_release(&l);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.names);
	snprintf(path, sizeof(path), "%s/spool/shop-de/1.json", dir);
	ck_assert_int_eq(access(path, F_OK), 0);
}
END_TEST

START_TEST(spool_scan_says_what_it_does_not_read)
{
	static const struct {
		enum spool_odd_kind kind;
		const char *name;
		const char *msg;
	} want[] = {
		{SPOOL_ODD_FOLDER, "spool/Shop-DE", "add a [shop Shop-DE] "
		    "section to kontor.conf, or move the files"},
		{SPOOL_ODD_FOLDER, "spool/c", "a symbolic link"},
		{SPOOL_ODD_NAME, NULL, "is 241 bytes long"},
		{SPOOL_ODD_TYPE, "spool/shop-de/cur", "not the folder cur/"},
		{SPOOL_ODD_NAME, "spool/shop-de/esc\x1b[31mred.json",
		    "holds control characters"},
		{SPOOL_ODD_TYPE, "spool/shop-de/fifo", "a FIFO"},
		{SPOOL_ODD_TYPE, "spool/shop-de/link.json", "a symbolic link"},
		{SPOOL_ODD_NAME, "spool/shop-de/new\nline.json",
		    "holds control characters"},
		{SPOOL_ODD_TYPE, "spool/shop-de/other", "a folder"},
		{SPOOL_ODD_NAME, "spool/shop-de/\xc0\xaf.json",
		    "not valid UTF-8"},
		{SPOOL_ODD_NAME, "spool/shop-de/\xff\xfe.json",
		    "not valid UTF-8"},
		{SPOOL_ODD_FOLDER, "spool/shopify", "shop shop-de takes its "
		    "shopify orders: move the files into spool/shop-de/"},
		{SPOOL_ODD_FOLDER, "spool/stray.json", "beside the shop "
		    "folders"},
		{SPOOL_ODD_FOLDER, "spool/we ird;\"shop", "not a shop of this "
		    "tenant"},
	};
	char path[PATH_MAX + 64], l241[NAME_MAX + 32];
	struct spool_list l;
	size_t i;

	mkdir_in("spool/shop-de");
	mkdir_in("spool/shop-de/other");
	mkdir_in("spool/Shop-DE");
	mkdir_in("spool/shopify");
	mkdir_in("spool/we ird;\"shop");
	testdir_write(dir, "spool/Shop-DE/9.json", "{}");
	testdir_write(dir, "spool/shopify/8.json", "{}");
	testdir_write(dir, "spool/stray.json", "{}");
	testdir_write(dir, "spool/shop-de/cur", "{}");
	testdir_write(dir, "spool/shop-de/esc\x1b[31mred.json", "{}");
	testdir_write(dir, "spool/shop-de/new\nline.json", "{}");
	testdir_write(dir, "spool/shop-de/\xc0\xaf.json", "{}");
	testdir_write(dir, "spool/shop-de/\xff\xfe.json", "{}");
	snprintf(l241, sizeof(l241), "spool/shop-de/%s", long_name(241));
	testdir_write(dir, l241, "{}");
	link_in("spool/shop-de/cur", "spool/shop-de/link.json");
	link_in("spool/shop-de", "spool/c");
	snprintf(path, sizeof(path), "%s/spool/shop-de/fifo", dir);
	ck_assert_int_eq(mkfifo(path, 0644), 0);

	ck_assert_int_eq(spool_scan(&t, platforms, &l, NULL), KR_OK);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_uint_eq(l.nodd, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < l.nodd; i++) {
		const char *name = want[i].name ? want[i].name : l241;

		ck_assert_str_eq(l.odd[i].name, name);
		ck_assert_str_eq(l.odd[i].err.file, name);
		ck_assert_int_eq(l.odd[i].kind, want[i].kind);
		ck_assert_msg(strstr(l.odd[i].err.msg, want[i].msg) != NULL,
		    "%s: \"%s\" lacks \"%s\"", name, l.odd[i].err.msg,
		    want[i].msg);
		if (want[i].kind == SPOOL_ODD_NAME)
			ck_assert_int_eq(strncmp(l.odd[i].safe, "badname-", 8),
			    0);
	}
	spool_list_release(&l);
}
END_TEST

START_TEST(spool_reject_odd_moves_the_entry_and_follows_no_link)
{
	struct spool_list l;
	struct kerr e;
	char reason[PATH_MAX + 64];
	size_t i;

	mkdir_in("spool/shop-de");
	mkdir_in("spool/shop-de/other");
	mkdir_in("spool/Shop-DE");
	testdir_write(dir, "spool/Shop-DE/9.json", "{}");
	testdir_write(dir, "secret", "not an order");
	testdir_write(dir, "spool/shop-de/other/x.json", "{}");
	testdir_write(dir, "spool/shop-de/esc\x1b[31mred.json", "{esc}");
	link_in("secret", "spool/shop-de/link.json");

	ck_assert_int_eq(spool_scan(&t, platforms, &l, NULL), KR_OK);
	ck_assert_uint_eq(l.nodd, 4);
	for (i = 0; i < l.nodd; i++) {
		if (l.odd[i].kind == SPOOL_ODD_FOLDER)
			continue;
		kerr_clear(&e);
		snprintf(reason, sizeof(reason), "reason %zu", i);
		ck_assert_int_eq(spool_reject_odd(&t, &l.odd[i], reason, &e),
		    KR_OK);
	}
	snprintf(reason, sizeof(reason), "spool/shop-de/rejected/%s",
	    l.odd[1].safe);
	ck_assert_str_eq(slurp(reason), "{esc}");
	strcat(reason, ".reason");
	ck_assert_str_eq(slurp(reason), "reason 1\n");
	ck_assert(!exists("spool/shop-de/esc\x1b[31mred.json"));
	ck_assert(exists("spool/shop-de/rejected/link.json"));
	ck_assert(!exists("spool/shop-de/link.json"));
	ck_assert_str_eq(slurp("secret"), "not an order");
	ck_assert_str_eq(slurp("spool/shop-de/rejected/other/x.json"), "{}");
	ck_assert_str_eq(slurp("spool/shop-de/rejected/other.reason"),
	    "reason 3\n");
	ck_assert_str_eq(slurp("spool/Shop-DE/9.json"), "{}");
	ck_assert_int_eq(spool_sync(&t, &e), KR_OK);
	spool_list_release(&l);

	/* Nothing odd is left, and the rejected/ folder is not read. */
	ck_assert_int_eq(spool_scan(&t, platforms, &l, NULL), KR_OK);
	ck_assert_uint_eq(l.nodd, 1);
	ck_assert_uint_eq(l.n, 0);
	spool_list_release(&l);
}
END_TEST

START_TEST(spool_shop_of_takes_the_shop_and_refuses_other_names)
{
	static const char *const bad[] = {
		"spool/shop/../../x", "spool/../x", "out/x/y", "spool/shop",
		"spool/shop/", "spool/.hidden/x", "spool/shop/.x",
		"spool/shop/cur", "spool//x", "spool/shop/a/b", "",
		"spool/shop/a\x1b[2Jb", "spool/shop/a\rb", "spool/shop/\xff",
		"spool/shop/\xc0\xaf",
	};
	char shop[16];
	struct kerr e;
	size_t i;

	ck_assert_int_eq(spool_shop_of("spool/shop-de/x.json", shop,
	    sizeof(shop), NULL), KR_OK);
	ck_assert_str_eq(shop, "shop-de");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kerr_clear(&e);
		ck_assert_msg(spool_shop_of(bad[i], shop, sizeof(shop), &e) ==
		    KR_BAD_INPUT, "accepted \"%s\"", bad[i]);
		ck_assert_str_eq(e.file, bad[i]);
	}
	ck_assert_int_eq(spool_shop_of("spool/a-very-long-shop-id/x", shop,
	    sizeof(shop), NULL), KR_BAD_INPUT);
}
END_TEST

START_TEST(spool_move_cur_files_the_order_under_its_month)
{
	struct kerr e;

	mkdir_in("spool/shop-de");
	testdir_write(dir, "spool/shop-de/1042.json", "{\"id\":1042}");

	ck_assert_int_eq(spool_move_cur(&t, "spool/shop-de/1042.json",
	    "2026-10", &e), KR_OK);
	ck_assert(!exists("spool/shop-de/1042.json"));
	ck_assert_str_eq(slurp("spool/shop-de/cur/2026-10/1042.json"),
	    "{\"id\":1042}");
	ck_assert_int_eq(spool_sync(&t, &e), KR_OK);

	/* Moved before, then a crash: nothing left to do. */
	ck_assert_int_eq(spool_move_cur(&t, "spool/shop-de/1042.json",
	    "2026-10", &e), KR_OK);
	ck_assert_int_eq(spool_sync(&t, &e), KR_OK);
}
END_TEST

/*
 * The month folder is made once for a run's many files; one that went
 * away between two moves is made again.
 */
START_TEST(spool_move_cur_makes_a_month_folder_again_that_went_away)
{
	char path[PATH_MAX + 64];
	struct kerr e;

	mkdir_in("spool/shop-de");
	testdir_write(dir, "spool/shop-de/1.json", "{\"id\":1}");
	testdir_write(dir, "spool/shop-de/2.json", "{\"id\":2}");
	testdir_write(dir, "spool/shop-de/3.json", "{\"id\":3}");

	ck_assert_int_eq(spool_move_cur(&t, "spool/shop-de/1.json",
	    "2026-11", &e), KR_OK);
	ck_assert_int_eq(spool_move_cur(&t, "spool/shop-de/2.json",
	    "2026-11", &e), KR_OK);
	ck_assert_str_eq(slurp("spool/shop-de/cur/2026-11/2.json"),
	    "{\"id\":2}");
	snprintf(path, sizeof(path), "%s/spool/shop-de/cur/2026-11/1.json",
	    dir);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/spool/shop-de/cur/2026-11/2.json",
	    dir);
	ck_assert_int_eq(unlink(path), 0);
	snprintf(path, sizeof(path), "%s/spool/shop-de/cur/2026-11", dir);
	ck_assert_int_eq(rmdir(path), 0);

	ck_assert_int_eq(spool_move_cur(&t, "spool/shop-de/3.json",
	    "2026-11", &e), KR_OK);
	ck_assert_str_eq(slurp("spool/shop-de/cur/2026-11/3.json"),
	    "{\"id\":3}");
	ck_assert_int_eq(spool_sync(&t, &e), KR_OK);
}
END_TEST

/*
 * The shop folder is held open only until the batch's spool_sync: a
 * link put in its place afterwards is refused, never followed.
 */
START_TEST(spool_move_cur_opens_the_shop_folder_again_after_a_sync)
{
	char from[PATH_MAX + 64], to[PATH_MAX + 64];
	struct kerr e;

	mkdir_in("spool/shop");
	testdir_write(dir, "spool/shop/1.json", "{\"id\":1}");
	testdir_write(dir, "spool/shop/2.json", "{\"id\":2}");
	ck_assert_int_eq(spool_move_cur(&t, "spool/shop/1.json", "2026-10",
	    &e), KR_OK);
	ck_assert_int_eq(spool_sync(&t, &e), KR_OK);

	snprintf(from, sizeof(from), "%s/spool/shop", dir);
	snprintf(to, sizeof(to), "%s/elsewhere", dir);
	ck_assert_int_eq(rename(from, to), 0);
	link_in("elsewhere", "spool/shop");
	kerr_clear(&e);
	ck_assert_int_eq(spool_move_cur(&t, "spool/shop/2.json", "2026-10",
	    &e), KR_BAD_INPUT);
	ck_assert_str_eq(e.file, "spool/shop/2.json");
	ck_assert_ptr_nonnull(strstr(e.msg, "does not follow links"));
	ck_assert(exists("elsewhere/2.json"));
	ck_assert(exists("elsewhere/cur/2026-10/1.json"));
}
END_TEST

/* A link in place of cur/ or of the month folder is not followed. */
START_TEST(spool_move_cur_refuses_a_link_for_its_folders)
{
	char path[PATH_MAX + 64];
	struct kerr e;

	mkdir_in("spool/shop");
	mkdir_in("spool/other");
	mkdir_in("spool/other/2026-10");
	testdir_write(dir, "spool/shop/1.json", "{}");
	link_in("spool/other", "spool/shop/cur");
	kerr_clear(&e);
	ck_assert_int_eq(spool_move_cur(&t, "spool/shop/1.json", "2026-10",
	    &e), KR_IO);
	ck_assert_str_eq(e.file, "spool/shop/1.json");
	ck_assert_ptr_nonnull(strstr(e.msg, "cannot create the cur/ folder"));
	ck_assert(exists("spool/shop/1.json"));
	ck_assert(!exists("spool/other/2026-10/1.json"));
	ck_assert_int_eq(spool_sync(&t, &e), KR_OK);

	snprintf(path, sizeof(path), "%s/spool/shop/cur", dir);
	ck_assert_int_eq(unlink(path), 0);
	mkdir_in("spool/shop/cur");
	link_in("spool/other/2026-10", "spool/shop/cur/2026-10");
	ck_assert_int_eq(spool_move_cur(&t, "spool/shop/1.json", "2026-10",
	    &e), KR_IO);
	ck_assert(exists("spool/shop/1.json"));
	ck_assert(!exists("spool/other/2026-10/1.json"));
}
END_TEST

START_TEST(spool_move_cur_refuses_bad_months_and_hostile_names)
{
	static const char *const month[] = {
		"2026-13", "2026-00", "26-10", "2026-1", "2026/10", "../..",
		"2026-10-01", "",
	};
	struct kerr e;
	size_t i;

	mkdir_in("spool/shop");
	testdir_write(dir, "spool/shop/x.json", "{}");
	testdir_write(dir, "x", "outside the spool");
	for (i = 0; i < sizeof(month) / sizeof(month[0]); i++)
		ck_assert_msg(spool_move_cur(&t, "spool/shop/x.json",
		    month[i], &e) == KR_BAD_INPUT, "accepted \"%s\"",
		    month[i]);
	kerr_clear(&e);
	ck_assert_int_eq(spool_move_cur(&t, "spool/shop/../../x", "2026-10",
	    &e), KR_BAD_INPUT);
	ck_assert_str_eq(e.file, "spool/shop/../../x");
	ck_assert_int_eq(spool_reject(&t, "spool/shop/../../x", "no", &e),
	    KR_BAD_INPUT);
	ck_assert(exists("x"));
	ck_assert(exists("spool/shop/x.json"));
	ck_assert(!exists("spool/shop/cur"));
}
END_TEST

START_TEST(spool_move_cur_never_follows_or_moves_a_link)
{
	char target[PATH_MAX + 64], link[PATH_MAX + 64];
	struct kerr e;

	mkdir_in("spool/shop");
	testdir_write(dir, "secret", "not an order");
	snprintf(target, sizeof(target), "%s/secret", dir);
	snprintf(link, sizeof(link), "%s/spool/shop/x.json", dir);
	ck_assert_int_eq(symlink(target, link), 0);

	ck_assert_int_eq(spool_move_cur(&t, "spool/shop/x.json", "2026-10",
	    &e), KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
	ck_assert(exists("spool/shop/x.json"));
	ck_assert_str_eq(slurp("secret"), "not an order");
}
END_TEST

START_TEST(spool_move_cur_keeps_a_different_file_of_the_same_name)
{
	mkdir_in("spool/shop");
	mkdir_in("spool/shop/cur");
	mkdir_in("spool/shop/cur/2026-10");
	testdir_write(dir, "spool/shop/cur/2026-10/a.json", "same");
	testdir_write(dir, "spool/shop/a.json", "same");
	testdir_write(dir, "spool/shop/cur/2026-10/b.json", "old");
	testdir_write(dir, "spool/shop/b.json", "new");

	ck_assert_int_eq(spool_move_cur(&t, "spool/shop/a.json", "2026-10",
	    NULL), KR_OK);
	ck_assert(!exists("spool/shop/a.json"));
	ck_assert(!exists("spool/shop/cur/2026-10/a.json.1"));
	ck_assert_str_eq(slurp("spool/shop/cur/2026-10/a.json"), "same");

	ck_assert_int_eq(spool_move_cur(&t, "spool/shop/b.json", "2026-10",
	    NULL), KR_OK);
	ck_assert(!exists("spool/shop/b.json"));
	ck_assert_str_eq(slurp("spool/shop/cur/2026-10/b.json"), "old");
	ck_assert_str_eq(slurp("spool/shop/cur/2026-10/b.json.1"), "new");
}
END_TEST

START_TEST(spool_reject_moves_the_file_beside_its_reason)
{
	struct kerr e;

	mkdir_in("spool/shop");
	testdir_write(dir, "spool/shop/7.json", "{broken");
	ck_assert_int_eq(spool_reject(&t, "spool/shop/7.json",
	    "spool/shop/7.json:1: lines[0].tax_rate: expected a decimal",
	    &e), KR_OK);
	ck_assert(!exists("spool/shop/7.json"));
	ck_assert_str_eq(slurp("spool/shop/rejected/7.json"), "{broken");
	ck_assert_str_eq(slurp("spool/shop/rejected/7.json.reason"),
	    "spool/shop/7.json:1: lines[0].tax_rate: expected a decimal\n");

	/* The same name again keeps the first rejection. */
	testdir_write(dir, "spool/shop/7.json", "{again");
	ck_assert_int_eq(spool_reject(&t, "spool/shop/7.json", "twice\n",
	    &e), KR_OK);
	ck_assert_str_eq(slurp("spool/shop/rejected/7.json"), "{broken");
	ck_assert_str_eq(slurp("spool/shop/rejected/7.json.1"), "{again");
	ck_assert_str_eq(slurp("spool/shop/rejected/7.json.1.reason"),
	    "twice\n");
	ck_assert_int_eq(spool_sync(&t, &e), KR_OK);

	/*
	 * A file that vanished was taken by another run: not found, and
	 * no .reason is left for it.
	 */
	kerr_clear(&e);
	ck_assert_int_eq(spool_reject(&t, "spool/shop/7.json", "x", &e),
	    KR_NOT_FOUND);
	ck_assert_str_eq(e.file, "spool/shop/7.json");
	ck_assert(strstr(e.msg, "another run has taken it") != NULL);
	ck_assert(!exists("spool/shop/rejected/7.json.2.reason"));
}
END_TEST

static Suite *
spool_suite(void)
{
	Suite *s = suite_create("spool");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, spool_scan_lists_new_files_by_shop_then_name);
	tcase_add_test(tc, spool_scan_says_what_it_does_not_read);
	tcase_add_test(tc,
	    spool_reject_odd_moves_the_entry_and_follows_no_link);
	tcase_add_test(tc,
	    spool_shop_of_takes_the_shop_and_refuses_other_names);
	tcase_add_test(tc, spool_move_cur_files_the_order_under_its_month);
	tcase_add_test(tc,
	    spool_move_cur_makes_a_month_folder_again_that_went_away);
	tcase_add_test(tc,
	    spool_move_cur_refuses_bad_months_and_hostile_names);
	tcase_add_test(tc, spool_move_cur_never_follows_or_moves_a_link);
	tcase_add_test(tc,
	    spool_move_cur_opens_the_shop_folder_again_after_a_sync);
	tcase_add_test(tc, spool_move_cur_refuses_a_link_for_its_folders);
	tcase_add_test(tc,
	    spool_move_cur_keeps_a_different_file_of_the_same_name);
	tcase_add_test(tc, spool_reject_moves_the_file_beside_its_reason);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(spool_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

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

START_TEST(spool_scan_lists_new_files_by_shop_then_name)
{
	static const char *const want[] = {
		"spool/a/1.json", "spool/a/10.json", "spool/a/2.json",
		"spool/a-b/0.json", "spool/b/x.json",
	};
	char path[PATH_MAX + 64], link[PATH_MAX + 64];
	struct spool_list l;
	size_t i;

	mkdir_in("spool/b");
	mkdir_in("spool/a-b");
	mkdir_in("spool/a");
	mkdir_in("spool/a/tmp");
	mkdir_in("spool/a/cur");
	mkdir_in("spool/a/rejected");
	mkdir_in("spool/a/other");
	mkdir_in("spool/.hidden");
	testdir_write(dir, "spool/b/x.json", "{}");
	testdir_write(dir, "spool/a/2.json", "{}");
	testdir_write(dir, "spool/a/10.json", "{}");
	testdir_write(dir, "spool/a/1.json", "{}");
	testdir_write(dir, "spool/a-b/0.json", "{}");
	testdir_write(dir, "spool/a/.partial", "{");
	testdir_write(dir, "spool/a/tmp/3.json", "{}");
	testdir_write(dir, "spool/a/cur/4.json", "{}");
	testdir_write(dir, "spool/a/rejected/5.json", "{}");
	testdir_write(dir, "spool/.hidden/6.json", "{}");
	testdir_write(dir, "spool/stray.json", "{}");
	snprintf(path, sizeof(path), "%s/spool/b/x.json", dir);
	snprintf(link, sizeof(link), "%s/spool/a/link.json", dir);
	ck_assert_int_eq(symlink(path, link), 0);
	snprintf(path, sizeof(path), "%s/spool/b", dir);
	snprintf(link, sizeof(link), "%s/spool/c", dir);
	ck_assert_int_eq(symlink(path, link), 0);

	ck_assert_int_eq(spool_scan(&t, &l, NULL), KR_OK);
	ck_assert_uint_eq(l.n, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < l.n; i++)
		ck_assert_str_eq(l.names[i], want[i]);
	spool_list_release(&l);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_ptr_null(l.names);
}
END_TEST

START_TEST(spool_shop_of_takes_the_shop_and_refuses_other_names)
{
	static const char *const bad[] = {
		"spool/shop/../../x", "spool/../x", "out/x/y", "spool/shop",
		"spool/shop/", "spool/.hidden/x", "spool/shop/.x",
		"spool/shop/cur", "spool//x", "spool/shop/a/b", "",
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

	/* A file that vanished cannot be rejected. */
	kerr_clear(&e);
	ck_assert_int_eq(spool_reject(&t, "spool/shop/7.json", "x", &e),
	    KR_IO);
	ck_assert_str_eq(e.file, "spool/shop/7.json");
}
END_TEST

static Suite *
spool_suite(void)
{
	Suite *s = suite_create("spool");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, spool_scan_lists_new_files_by_shop_then_name);
	tcase_add_test(tc,
	    spool_shop_of_takes_the_shop_and_refuses_other_names);
	tcase_add_test(tc, spool_move_cur_files_the_order_under_its_month);
	tcase_add_test(tc,
	    spool_move_cur_refuses_bad_months_and_hostile_names);
	tcase_add_test(tc, spool_move_cur_never_follows_or_moves_a_link);
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

/*
 * The VIES confirmations a user records (vies.h): read strictly, each
 * bad line named with its column, and the latest confirmation of an id
 * on or before a day found in any spelling of the id.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vies.h"
#include "testdir.h"

static char dir[PATH_MAX], path[PATH_MAX + 16];
static struct vies v;
static struct kerr e;

static void
setup(void)
{
	testdir_make(dir, sizeof(dir), "vies");
	snprintf(path, sizeof(path), "%s/vies.csv", dir);
	kerr_clear(&e);
}

static void
teardown(void)
{
	vies_release(&v);
	testdir_remove(dir);
}

static int
load(const char *text)
{
	testdir_write(dir, "vies.csv", text);
	vies_release(&v);
	kerr_clear(&e);
	return vies_load(&v, path, &e);
}

START_TEST(vies_reads_confirmations_and_finds_the_latest)
{
	ck_assert_msg(load("# VAT id,date,number\n"
	    "ATU48173621,2026-09-01,WAPIAAAAA1\n"
	    "\n"
	    "ATU 4817 3621,2026-10-20,WAPIAAAAB2\r\n"
	    "fr40303265045,2026-10-21,WAPIAAAAC3\n") == KR_OK, "%s", e.msg);
	ck_assert_uint_eq(v.n, 3);
	/* The id as vatid.h normalises it; the latest on or before. */
	ck_assert_str_eq(vies_find(&v, "ATU48173621", "2026-12-04")->number,
	    "WAPIAAAAB2");
	ck_assert_str_eq(vies_find(&v, "ATU48173621", "2026-10-19")->number,
	    "WAPIAAAAA1");
	ck_assert_ptr_null(vies_find(&v, "ATU48173621", "2026-08-31"));
	ck_assert_str_eq(vies_find(&v, "FR40303265045", "2026-10-21")->date,
	    "2026-10-21");
	ck_assert_ptr_null(vies_find(&v, "DE318472657", "2026-12-04"));
}
END_TEST

static void
refused(const char *text, long line, const char *column, const char *says)
{
	ck_assert_int_eq(load(text), KR_CONFIG);
	ck_assert_msg(strstr(e.file, "vies.csv") != NULL, "%s", e.file);
	ck_assert_int_eq(e.line, line);
	ck_assert_str_eq(e.field, column);
	ck_assert_msg(strstr(e.msg, says) != NULL, "%s", e.msg);
}

START_TEST(vies_names_every_bad_line_and_column)
{
	refused("ATU48173621,2026-10-20\n", 1, "column 1",
	    "VAT id,date,consultation number");
	refused("# c\nATU48173621,2026-10-20,A,B\n", 2, "column 1",
	    "VAT id,date");
	/* A wrong check digit is no confirmation of anything. */
	refused("ATU48173622,2026-10-20,WAPIAAAAB2\n", 1, "column 1",
	    "check");
	refused("ATU48173621,20.10.2026,WAPIAAAAB2\n", 1, "column 2",
	    "2026-10-20");
	refused("ATU48173621,2026-02-30,WAPIAAAAB2\n", 1, "column 2",
	    "2026-10-20");
	refused("ATU48173621,2026-10-20,\n", 1, "column 3",
	    "consultation number");
	refused("ATU48173621,2026-10-20,WAPI AAAA\n", 1, "column 3",
	    "without spaces");
}
END_TEST

START_TEST(vies_refuses_a_missing_file_and_overlong_lines)
{
	char big[700];

	ck_assert_int_eq(vies_load(&v, "/nonexistent/vies.csv", &e),
	    KR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "cannot read the VIES"));
	/* A FIFO is refused at once, never waited on. */
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(vies_load(&v, path, &e), KR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "not a regular file"));
	unlink(path);
	memset(big, 'A', sizeof(big) - 2);
	big[sizeof(big) - 2] = '\n';
	big[sizeof(big) - 1] = '\0';
	refused(big, 1, "column 1", "longer than 512 bytes");
}
END_TEST

static Suite *
vies_suite(void)
{
	Suite *s = suite_create("vies");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, vies_reads_confirmations_and_finds_the_latest);
	tcase_add_test(tc, vies_names_every_bad_line_and_column);
	tcase_add_test(tc, vies_refuses_a_missing_file_and_overlong_lines);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vies_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

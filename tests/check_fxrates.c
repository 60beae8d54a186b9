/*
 * Exchange rates for VAT in EUR, against tax.md §17 example E10: CHF with
 * an illustrative BMF rate of 0.9390 CHF per EUR.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fxrates.h"
#include "testdir.h"

static char dir[PATH_MAX], path[PATH_MAX + 16];
static struct kerr e;

static void
setup(void)
{
	testdir_make(dir, sizeof(dir), "fxrates");
	snprintf(path, sizeof(path), "%s/rates.csv", dir);
	kerr_clear(&e);
}

static void
teardown(void)
{
	testdir_remove(dir);
}

START_TEST(fx_converts_e10_vat_and_totals)
{
	int64_t eur;

	/* 171.00 / 0.9390 = 182.1086 -> 182.11 */
	ck_assert_int_eq(fxrates_to_eur(17100, 2, 939000, &eur), KR_OK);
	ck_assert_int_eq(eur, 18211);
	/* 900.00 / 0.9390 = 958.4665 -> 958.47 */
	ck_assert_int_eq(fxrates_to_eur(90000, 2, 939000, &eur), KR_OK);
	ck_assert_int_eq(eur, 95847);
	/* 1071.00 / 0.9390 = 1140.5751 -> 1140.58 */
	ck_assert_int_eq(fxrates_to_eur(107100, 2, 939000, &eur), KR_OK);
	ck_assert_int_eq(eur, 114058);
	/* a zero-decimal currency: 1000 JPY at 160.5 per EUR = 6.2305 */
	ck_assert_int_eq(fxrates_to_eur(1000, 0, 160500000, &eur), KR_OK);
	ck_assert_int_eq(eur, 623);
	/* negative amounts round away from zero too */
	ck_assert_int_eq(fxrates_to_eur(-17100, 2, 939000, &eur), KR_OK);
	ck_assert_int_eq(eur, -18211);
}
END_TEST

START_TEST(fx_reads_a_rates_file_and_finds_the_month)
{
	struct fxrates r;
	const struct fxrate *x;

	/* With the byte order mark a spreadsheet writes, and CRLF. */
	testdir_write(dir, "rates.csv", "\xEF\xBB\xBF"
	    "# month,currency,units per EUR\r\n"
	    "2026-10,CHF,0.9390,BMF 2026-10\r\n"
	    "2026-10,GBP,0.8612\n"
	    "\n2026-11,CHF,0.9412,BMF 2026-11\n");
	ck_assert_int_eq(fxrates_load(&r, path, &e), KR_OK);
	ck_assert_int_eq(fxrates_find(&r, "CHF", "2026-10-31", &x, &e),
	    KR_OK);
	ck_assert_int_eq(x->units_per_eur_e6, 939000);
	ck_assert_str_eq(x->source, "BMF 2026-10");
	ck_assert_int_eq(fxrates_find(&r, "CHF", "2026-11-01", &x, &e),
	    KR_OK);
	ck_assert_int_eq(x->units_per_eur_e6, 941200);
	ck_assert_int_eq(fxrates_find(&r, "GBP", "2026-11-01", &x, &e),
	    KR_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(e.msg, "GBP in 2026-11"));
	fxrates_release(&r);
}
END_TEST

static void
refused(const char *text, long line, const char *field, const char *words)
{
	struct fxrates r;

	testdir_write(dir, "rates.csv", text);
	kerr_clear(&e);
	ck_assert_int_eq(fxrates_load(&r, path, &e), KR_CONFIG);
	ck_assert_int_eq(e.line, line);
	ck_assert_str_eq(e.field, field);
	ck_assert_msg(strstr(e.msg, words) != NULL, "%s", e.msg);
}

START_TEST(fx_refuses_malformed_lines_by_line_and_column)
{
	refused("2026-10,CHF,0.9390\n2026-13,CHF,1\n", 2, "column 1",
	    "month");
	refused("2026-10,XXX,0.9390\n", 1, "column 2", "currency");
	refused("2026-10,EUR,1\n", 1, "column 2", "other than EUR");
	refused("2026-10,CHF,0\n", 1, "column 3", "above 0");
	refused("2026-10,CHF,0.93901234\n", 1, "column 3", "six decimals");
	refused("2026-10,CHF,9.39e-1\n", 1, "column 3", "a decimal");
	refused("2026-10,CHF,+0.9390\n", 1, "column 3", "a decimal");
	refused("2026-10,CHF,0.9390\n2026-10,CHF,0.9391\n", 2, "column 1",
	    "twice");
	refused("2026-10;CHF;0.9390\n", 1, "column 1", "expected month");
}
END_TEST

static Suite *
fx_suite(void)
{
	Suite *s = suite_create("fxrates");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fx_converts_e10_vat_and_totals);
	tcase_add_test(tc, fx_reads_a_rates_file_and_finds_the_month);
	tcase_add_test(tc, fx_refuses_malformed_lines_by_line_and_column);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fx_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

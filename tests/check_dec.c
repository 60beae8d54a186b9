#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "err.h"

static int64_t
parse(const char *s, int scale)
{
	int64_t v = 0;

	ck_assert_int_eq(dec_parse(s, (size_t)-1, scale, &v), KR_OK);
	return v;
}

START_TEST(dec_parse_reads_plain_decimals)
{
	ck_assert_int_eq(parse("19.99", 2), 1999);
	ck_assert_int_eq(parse("-0.05", 2), -5);
	ck_assert_int_eq(parse("7", 2), 700);
	ck_assert_int_eq(parse("7.0", 0), 7);
	ck_assert_int_eq(parse("0.19", 4), 1900);
	ck_assert_int_eq(parse("5.5", 2), 550);
	ck_assert_int_eq(parse("+3.10", 2), 310);
	ck_assert_int_eq(parse("000012.50", 2), 1250);
}
END_TEST

START_TEST(dec_parse_reads_json_exponents_exactly)
{
	ck_assert_int_eq(parse("1.5e2", 2), 15000);
	ck_assert_int_eq(parse("1999E-2", 2), 1999);
	ck_assert_int_eq(parse("0.0019e2", 4), 1900);
}
END_TEST

START_TEST(dec_parse_refuses_surplus_digits_and_junk)
{
	int64_t v;

	ck_assert_int_eq(dec_parse("1.234", (size_t)-1, 2, &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse("1.230", (size_t)-1, 2, &v), KR_OK);
	ck_assert_int_eq(v, 123);
	ck_assert_int_eq(dec_parse("nineteen", (size_t)-1, 2, &v),
	    KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse("", (size_t)-1, 2, &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse("1,5", (size_t)-1, 2, &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse("1.5.", (size_t)-1, 2, &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse(" 1", (size_t)-1, 2, &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse("1e", (size_t)-1, 2, &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse("0x10", (size_t)-1, 2, &v), KR_BAD_INPUT);
}
END_TEST

START_TEST(dec_parse_reports_overflow_instead_of_wrapping)
{
	int64_t v;

	/* INT64_MAX is 9223372036854775807. */
	ck_assert_int_eq(dec_parse("92233720368547758.07", (size_t)-1, 2, &v),
	    KR_OK);
	ck_assert_int_eq(v, INT64_MAX);
	ck_assert_int_eq(dec_parse("92233720368547758.08", (size_t)-1, 2, &v),
	    KR_OVERFLOW);
	ck_assert_int_eq(dec_parse("1e30", (size_t)-1, 2, &v), KR_OVERFLOW);
	ck_assert_int_eq(dec_parse(
	    "123456789012345678901234567890123456789012", (size_t)-1, 0, &v),
	    KR_OVERFLOW);
}
END_TEST

/*
 * Short plain texts are read in 64 bits, the rest in 128: a number
 * comes out the same on either side of that step, which lies at 18
 * digits once scaled, and the same refusals stand.
 */
START_TEST(dec_parse_reads_long_digit_runs_exactly)
{
	int64_t v;

	ck_assert_int_eq(parse("999999999999999999", 0), 999999999999999999);
	ck_assert_int_eq(parse("99999999999999999.9", 1), 999999999999999999);
	ck_assert_int_eq(parse("9999999999999999.99", 2), 999999999999999999);
	ck_assert_int_eq(parse("922337203685477.5807", 4), INT64_MAX);
	ck_assert_int_eq(parse("1234567890123456789", 0),
	    1234567890123456789);
	ck_assert_int_eq(parse("000123456789012345678.9", 1),
	    1234567890123456789);
	ck_assert_int_eq(parse("-92233720368547758.08", 2), INT64_MIN);
	ck_assert_int_eq(parse("-0.00", 2), 0);
	ck_assert_int_eq(parse(".5", 1), 5);
	ck_assert_int_eq(parse("5.", 1), 50);
	ck_assert_int_eq(parse("0.0000000000000000000000012e24", 1), 12);
	ck_assert_int_eq(parse("1234567890123456780000e-4", 0),
	    123456789012345678);
	ck_assert_int_eq(dec_parse("-", (size_t)-1, 2, &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse("-.", (size_t)-1, 2, &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse("1.2.3", 5, 2, &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse("1.239", 4, 2, &v), KR_OK);
	ck_assert_int_eq(v, 123);
	ck_assert_int_eq(dec_parse("12345678901234567891.5", (size_t)-1, 0,
	    &v), KR_BAD_INPUT);
	ck_assert_int_eq(dec_parse_round("1234567.89012345678901234567890"
	    "1234567", (size_t)-1, 2, &v), KR_OK);
	ck_assert_int_eq(v, 123456789);
	ck_assert_int_eq(dec_parse_round("1234567.89500000000000000000000"
	    "0000000", (size_t)-1, 2, &v), KR_OK);
	ck_assert_int_eq(v, 123456790);
	ck_assert_int_eq(dec_parse_round("1234567.89500000000000000000000"
	    "00000000", (size_t)-1, 2, &v), KR_OVERFLOW);
	ck_assert_int_eq(dec_parse("9223372036854775808", (size_t)-1, 0, &v),
	    KR_OVERFLOW);
	ck_assert_int_eq(dec_parse("99999999999999999.9", (size_t)-1, 3,
	    &v), KR_OVERFLOW);
}
END_TEST

START_TEST(dec_parse_round_rounds_half_away_from_zero)
{
	int64_t v;

	ck_assert_int_eq(dec_parse_round("1.4784", (size_t)-1, 2, &v), KR_OK);
	ck_assert_int_eq(v, 148);
	ck_assert_int_eq(dec_parse_round("0.125", (size_t)-1, 2, &v), KR_OK);
	ck_assert_int_eq(v, 13);
	ck_assert_int_eq(dec_parse_round("-0.125", (size_t)-1, 2, &v), KR_OK);
	ck_assert_int_eq(v, -13);
	ck_assert_int_eq(dec_parse_round("0.1249999", (size_t)-1, 2, &v),
	    KR_OK);
	ck_assert_int_eq(v, 12);
	ck_assert_int_eq(dec_parse_round("81.300000000000011", (size_t)-1, 2,
	    &v), KR_OK);
	ck_assert_int_eq(v, 8130);
}
END_TEST

START_TEST(dec_format_writes_fixed_decimals)
{
	char b[DEC_BUFSZ];

	ck_assert_str_eq(dec_format(1999, 2, b), "19.99");
	ck_assert_str_eq(dec_format(-5, 2, b), "-0.05");
	ck_assert_str_eq(dec_format(0, 2, b), "0.00");
	ck_assert_str_eq(dec_format(7, 0, b), "7");
	ck_assert_str_eq(dec_format(83333, 4, b), "8.3333");
	ck_assert_str_eq(dec_format(INT64_MIN, 2, b),
	    "-92233720368547758.08");
	ck_assert_str_eq(dec_format_trim(1900, 2, b), "19");
	ck_assert_str_eq(dec_format_trim(550, 2, b), "5.5");
	ck_assert_str_eq(dec_format_trim(0, 2, b), "0");
	ck_assert_str_eq(dec_format_trim(-250, 2, b), "-2.5");
	ck_assert_uint_eq(dec_format_len(-5, 2, b), 5);
	ck_assert_str_eq(b, "-0.05");
	ck_assert_uint_eq(dec_format_len(INT64_MIN, 2, b), 21);
	ck_assert_uint_eq(dec_format_trim_len(1900, 2, b), 2);
	ck_assert_str_eq(b, "19");
	ck_assert_uint_eq(dec_format_trim_len(0, 2, b), 1);
	ck_assert_uint_eq(dec_format_trim_len(-250, 2, b), 4);
	ck_assert_uint_eq(dec_format_trim_len(7, 0, b), 1);
}
END_TEST

/*
 * Every scale, against the same number written by printf as its whole
 * and its fractional part: edges of the range, zeros, and values with
 * fewer digits than the scale.
 */
START_TEST(dec_format_len_matches_printf_at_every_scale)
{
	static const int64_t v[] = {0, 1, -1, 9, 10, -10, 1999, -5, 100000,
	    123456789012345678, -987654321, 999999999999999999,
	    INT64_MAX, INT64_MIN, INT64_MIN + 1};
	char b[DEC_BUFSZ], want[64];
	uint64_t u, p;
	size_t i;
	int scale, k;

	for (i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		for (scale = 0; scale <= 18; scale++) {
			u = v[i] < 0 ? (uint64_t)0 - (uint64_t)v[i] :
			    (uint64_t)v[i];
			for (p = 1, k = 0; k < scale; k++)
				p *= 10;
			if (scale == 0)
				snprintf(want, sizeof(want), "%s%llu",
				    v[i] < 0 ? "-" : "",
				    (unsigned long long)u);
			else
				snprintf(want, sizeof(want), "%s%llu.%0*llu",
				    v[i] < 0 ? "-" : "",
				    (unsigned long long)(u / p), scale,
				    (unsigned long long)(u % p));
			ck_assert_uint_eq(dec_format_len(v[i], scale, b),
			    strlen(want));
			ck_assert_str_eq(b, want);
		}
	}
}
END_TEST

START_TEST(dec_muldiv_rounds_half_away_from_zero)
{
	int64_t v;

	/* E4 of tax.md: 2.97 x 19 / 119 = 0.47420 -> 0.47 */
	ck_assert_int_eq(dec_muldiv(297, 1900, 11900, &v), KR_OK);
	ck_assert_int_eq(v, 47);
	/* 2.50 x 19 % = 0.475 -> 0.48 */
	ck_assert_int_eq(dec_muldiv(250, 1900, 10000, &v), KR_OK);
	ck_assert_int_eq(v, 48);
	ck_assert_int_eq(dec_muldiv(-250, 1900, 10000, &v), KR_OK);
	ck_assert_int_eq(v, -48);
	ck_assert_int_eq(dec_muldiv(250, -1900, 10000, &v), KR_OK);
	ck_assert_int_eq(v, -48);
	ck_assert_int_eq(dec_muldiv(249, 1900, 10000, &v), KR_OK);
	ck_assert_int_eq(v, 47);	/* 0.4731 */
	ck_assert_int_eq(dec_muldiv(INT64_MAX, 2, 1, &v), KR_OVERFLOW);
	ck_assert_int_eq(dec_muldiv(INT64_MAX, 2, 2, &v), KR_OK);
	ck_assert_int_eq(v, INT64_MAX);
}
END_TEST

START_TEST(dec_add_and_rescale_check_overflow)
{
	int64_t v;

	ck_assert_int_eq(dec_add(INT64_MAX, 1, &v), KR_OVERFLOW);
	ck_assert_int_eq(dec_sub(INT64_MIN, 1, &v), KR_OVERFLOW);
	ck_assert_int_eq(dec_add(5, -7, &v), KR_OK);
	ck_assert_int_eq(v, -2);
	ck_assert_int_eq(dec_rescale(12345, 4, 2, &v), KR_OK);
	ck_assert_int_eq(v, 123);
	ck_assert_int_eq(dec_rescale(12350, 4, 2, &v), KR_OK);
	ck_assert_int_eq(v, 124);
	ck_assert_int_eq(dec_rescale(-12350, 4, 2, &v), KR_OK);
	ck_assert_int_eq(v, -124);
	ck_assert_int_eq(dec_rescale(INT64_MAX / 10, 0, 2, &v), KR_OVERFLOW);
}
END_TEST

static Suite *
dec_suite(void)
{
	Suite *s = suite_create("dec");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, dec_parse_reads_plain_decimals);
	tcase_add_test(tc, dec_parse_reads_json_exponents_exactly);
	tcase_add_test(tc, dec_parse_refuses_surplus_digits_and_junk);
	tcase_add_test(tc, dec_parse_reports_overflow_instead_of_wrapping);
	tcase_add_test(tc, dec_parse_reads_long_digit_runs_exactly);
	tcase_add_test(tc, dec_parse_round_rounds_half_away_from_zero);
	tcase_add_test(tc, dec_format_writes_fixed_decimals);
	tcase_add_test(tc, dec_format_len_matches_printf_at_every_scale);
	tcase_add_test(tc, dec_muldiv_rounds_half_away_from_zero);
	tcase_add_test(tc, dec_add_and_rescale_check_overflow);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(dec_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

/*
 * The ISO 4217 table: the codes at both ends of it and every code whose
 * minor units are not 2 are found with their minor units (ISO 4217's
 * list), and what is not an active code is not.
 */
#include <check.h>
#include <stdlib.h>

#include "currency.h"

START_TEST(currency_knows_the_minor_units)
{
	static const char *const none[] = {
		"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
		"RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"
	};
	static const char *const three[] = {
		"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"
	};
	size_t i;

	ck_assert_int_eq(currency_exponent("EUR"), 2);
	ck_assert_int_eq(currency_exponent("CHF"), 2);
	ck_assert_int_eq(currency_exponent("AED"), 2);
	ck_assert_int_eq(currency_exponent("ZWG"), 2);
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		ck_assert_int_eq(currency_exponent(none[i]), 0);
	for (i = 0; i < sizeof(three) / sizeof(three[0]); i++)
		ck_assert_int_eq(currency_exponent(three[i]), 3);
}
END_TEST

START_TEST(currency_refuses_what_is_no_code)
{
	ck_assert_int_eq(currency_exponent(NULL), -1);
	ck_assert_int_eq(currency_exponent(""), -1);
	ck_assert_int_eq(currency_exponent("EU"), -1);
	ck_assert_int_eq(currency_exponent("EURO"), -1);
	ck_assert_int_eq(currency_exponent("eur"), -1);
	ck_assert_int_eq(currency_exponent(" EUR"), -1);
	ck_assert_int_eq(currency_exponent("AAA"), -1);
	ck_assert_int_eq(currency_exponent("ZZZ"), -1);
	ck_assert_int_eq(currency_exponent("XAU"), -1);
	ck_assert_int_eq(currency_exponent("E\xc3\x9c"), -1);
}
END_TEST

static Suite *
currency_suite(void)
{
	Suite *s = suite_create("currency");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, currency_knows_the_minor_units);
	tcase_add_test(tc, currency_refuses_what_is_no_code);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(currency_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "vatarea.h"

/*
 * The territories are those of ../shared/data/README.md and UStAE 1.10;
 * the postcodes are the ones of their postal administrations.
 */

static struct vatarea a;
static struct kerr e;

/* Classifies and checks kind and VAT country; returns the result. */
static int
is(const char *cc, const char *pc, enum vatarea_kind kind,
    const char *vat_country)
{
	int rc;

	kerr_clear(&e);
	rc = vatarea_classify(cc, pc, &a, &e);
	ck_assert_msg(a.kind == kind, "%s %s: %s, expected %s (%s)", cc,
	    pc ? pc : "(null)", vatarea_kind_name(a.kind),
	    vatarea_kind_name(kind), a.reason);
	ck_assert_msg(strcmp(a.country, vat_country) == 0,
	    "%s %s: country %s, expected %s", cc, pc ? pc : "(null)",
	    a.country, vat_country);
	ck_assert_msg((rc == KR_OK) == (kind != VATAREA_AMBIGUOUS),
	    "%s %s: rc %d", cc, pc ? pc : "(null)", rc);
	ck_assert(a.reason[0] != '\0');
	return rc;
}

START_TEST(vatarea_tells_germany_from_heligoland_and_buesingen)
{
	is("DE", "10115", VATAREA_DOMESTIC, "DE");
	is("DE", "12057", VATAREA_DOMESTIC, "DE");
	is("DE", "27498", VATAREA_THIRD, "DE");
	ck_assert_ptr_nonnull(strstr(a.reason, "Heligoland"));
	is("DE", "78266", VATAREA_THIRD, "DE");
	ck_assert_ptr_nonnull(strstr(a.reason, "Büsingen"));
	is("DE", "27499", VATAREA_DOMESTIC, "DE");
}
END_TEST

START_TEST(vatarea_tells_spain_from_the_canaries_ceuta_and_melilla)
{
	is("ES", "28001", VATAREA_EU, "ES");
	is("ES", "08001", VATAREA_EU, "ES");
	is("ES", "07001", VATAREA_EU, "ES");	/* Balearics are inside */
	is("ES", "35001", VATAREA_THIRD, "IC");
	is("ES", "38001", VATAREA_THIRD, "IC");
	is("ES", "51001", VATAREA_THIRD, "EA");
	ck_assert_ptr_nonnull(strstr(a.reason, "Ceuta"));
	is("ES", "52001", VATAREA_THIRD, "EA");
	ck_assert_ptr_nonnull(strstr(a.reason, "Melilla"));
	is("IC", "35001", VATAREA_THIRD, "IC");
	is("IC", NULL, VATAREA_THIRD, "IC");
	is("EA", "", VATAREA_THIRD, "EA");
}
END_TEST

START_TEST(vatarea_counts_monaco_as_france_and_overseas_as_outside)
{
	is("FR", "75001", VATAREA_EU, "FR");
	is("FR", "20000", VATAREA_EU, "FR");	/* Corsica is inside */
	is("FR", "98000", VATAREA_EU, "FR");
	ck_assert_ptr_nonnull(strstr(a.reason, "Monaco"));
	is("MC", "98000", VATAREA_EU, "FR");
	is("MC", NULL, VATAREA_EU, "FR");
	is("FR", "97100", VATAREA_THIRD, "GP");
	is("FR", "97200", VATAREA_THIRD, "MQ");
	is("FR", "97300", VATAREA_THIRD, "GF");
	is("FR", "97400", VATAREA_THIRD, "RE");
	is("FR", "97600", VATAREA_THIRD, "YT");
	is("FR", "97150", VATAREA_THIRD, "GP");
	is("FR", "97800", VATAREA_THIRD, "MF");
	is("FR", "98800", VATAREA_THIRD, "NC");
	is("FR", "98400", VATAREA_THIRD, "FR");
	is("GP", "97100", VATAREA_THIRD, "GP");
	is("GF", NULL, VATAREA_THIRD, "GF");
	is("MQ", NULL, VATAREA_THIRD, "MQ");
	is("RE", NULL, VATAREA_THIRD, "RE");
	is("YT", NULL, VATAREA_THIRD, "YT");
	is("MF", NULL, VATAREA_THIRD, "MF");
	is("BL", NULL, VATAREA_THIRD, "BL");
}
END_TEST

START_TEST(vatarea_knows_the_italian_greek_and_finnish_territories)
{
	is("IT", "00118", VATAREA_EU, "IT");
	is("IT", "23041", VATAREA_THIRD, "IT");
	ck_assert_ptr_nonnull(strstr(a.reason, "Livigno"));
	is("IT", "22061", VATAREA_THIRD, "IT");
	ck_assert_ptr_nonnull(strstr(a.reason, "Campione"));
	is("IT", "47890", VATAREA_THIRD, "SM");
	is("IT", "00120", VATAREA_THIRD, "VA");
	is("SM", "47890", VATAREA_THIRD, "SM");
	is("GR", "10558", VATAREA_EU, "GR");
	is("GR", "630 86", VATAREA_THIRD, "GR");
	ck_assert_ptr_nonnull(strstr(a.reason, "Athos"));
	is("EL", "10558", VATAREA_EU, "GR");
	is("FI", "00100", VATAREA_EU, "FI");
	is("FI", "22100", VATAREA_THIRD, "AX");
	is("FI", "AX-22100", VATAREA_THIRD, "AX");
	is("AX", "22100", VATAREA_THIRD, "AX");
}
END_TEST

START_TEST(vatarea_tells_northern_ireland_from_great_britain)
{
	is("XI", NULL, VATAREA_EU, "XI");
	is("GB", "BT1 1AA", VATAREA_EU, "XI");
	is("GB", "bt48 6dq", VATAREA_EU, "XI");
	is("GB", "SW1A 1AA", VATAREA_THIRD, "GB");
	is("GB", "B1 1AA", VATAREA_THIRD, "GB");
	is("UK", "EC1A 1BB", VATAREA_THIRD, "GB");
	is("IM", "IM1 1AA", VATAREA_THIRD, "GB");
	ck_assert_ptr_nonnull(strstr(a.reason, "Isle of Man"));
	is("JE", "JE2 3AB", VATAREA_THIRD, "JE");
}
END_TEST

START_TEST(vatarea_reports_what_it_cannot_tell)
{
	is("ES", NULL, VATAREA_AMBIGUOUS, "ES");
	ck_assert_str_eq(e.field, "postcode");
	ck_assert_ptr_nonnull(strstr(e.msg, "Canary Islands"));
	is("ES", "E-28001", VATAREA_AMBIGUOUS, "ES");
	ck_assert_ptr_nonnull(strstr(e.msg, "\"E-28001\""));
	is("DE", "", VATAREA_AMBIGUOUS, "DE");
	is("DE", "D-78266", VATAREA_AMBIGUOUS, "DE");
	is("DE", "1011", VATAREA_AMBIGUOUS, "DE");
	is("FR", "750 01 #", VATAREA_AMBIGUOUS, "FR");
	is("IT", NULL, VATAREA_AMBIGUOUS, "IT");
	is("GR", NULL, VATAREA_AMBIGUOUS, "GR");
	is("FI", NULL, VATAREA_AMBIGUOUS, "FI");
	is("GB", NULL, VATAREA_AMBIGUOUS, "GB");
	ck_assert_ptr_nonnull(strstr(e.msg, "Northern Ireland"));
	is("GB", "", VATAREA_AMBIGUOUS, "GB");
}
END_TEST

START_TEST(vatarea_treats_every_other_country_as_third)
{
	static const char *const third[] = {
		"CH", "NO", "US", "LI", "AD", "SM", "VA", "GI", "FO", "GL",
		"TR", "RS", "UA", "CN", "JP", "AU", "CA", "BQ", "CW", "XK"
	};
	size_t i;

	for (i = 0; i < sizeof(third) / sizeof(third[0]); i++)
		is(third[i], "1234", VATAREA_THIRD, third[i]);
	is("CH", "8238", VATAREA_THIRD, "CH");	/* Büsingen, Swiss post */
}
END_TEST

START_TEST(vatarea_knows_every_member_state)
{
	static const char *const eu[] = {
		"AT", "BE", "BG", "CY", "CZ", "DK", "EE", "HR", "HU", "IE",
		"LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI",
		"SK"
	};
	size_t i;

	for (i = 0; i < sizeof(eu) / sizeof(eu[0]); i++) {
		is(eu[i], "1010", VATAREA_EU, eu[i]);
		is(eu[i], NULL, VATAREA_EU, eu[i]);
	}
	is("ES", "46001", VATAREA_EU, "ES");
	is("FR", "13001", VATAREA_EU, "FR");
	is("GR", "54621", VATAREA_EU, "GR");
	is("IT", "20121", VATAREA_EU, "IT");
	is("FI", "33100", VATAREA_EU, "FI");
	is("DE", "80331", VATAREA_DOMESTIC, "DE");
	is("at", "1010", VATAREA_EU, "AT");
}
END_TEST

START_TEST(vatarea_refuses_what_is_no_country_code)
{
	static const char *const bad[] = {
		"ZZ", "D", "DEU", "", "1A", "Ö", "QQ"
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kerr_clear(&e);
		ck_assert_int_eq(vatarea_classify(bad[i], "10115", &a, &e),
		    KR_BAD_INPUT);
		ck_assert_str_eq(e.field, "country");
		ck_assert_int_eq(a.kind, VATAREA_AMBIGUOUS);
	}
	ck_assert_int_eq(vatarea_classify(NULL, NULL, &a, &e), KR_BAD_INPUT);
	ck_assert_str_eq(vatarea_kind_name(VATAREA_THIRD), "third");
}
END_TEST

static Suite *
vatarea_suite(void)
{
	Suite *s = suite_create("vatarea");
	TCase *tc = tcase_create("classify");

	tcase_add_test(tc,
	    vatarea_tells_germany_from_heligoland_and_buesingen);
	tcase_add_test(tc,
	    vatarea_tells_spain_from_the_canaries_ceuta_and_melilla);
	tcase_add_test(tc,
	    vatarea_counts_monaco_as_france_and_overseas_as_outside);
	tcase_add_test(tc,
	    vatarea_knows_the_italian_greek_and_finnish_territories);
	tcase_add_test(tc, vatarea_tells_northern_ireland_from_great_britain);
	tcase_add_test(tc, vatarea_reports_what_it_cannot_tell);
	tcase_add_test(tc, vatarea_treats_every_other_country_as_third);
	tcase_add_test(tc, vatarea_knows_every_member_state);
	tcase_add_test(tc, vatarea_refuses_what_is_no_country_code);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vatarea_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "vatid.h"

/*
 * Every valid id below has its check digit worked out by hand in the
 * comment above it.  Most are also the published examples of the
 * python-stdnum documentation (real, public company numbers); the
 * tenant's own id and the fixture buyers come from ../shared/fixtures,
 * where they are said to be invented.  The wrong ones change the check
 * digit of a valid id.
 */

static struct vatid v;

static void
expect(const char *in, enum vatid_status status, const char *id,
    const char *country)
{
	vatid_check(in, &v);
	ck_assert_msg(v.status == status, "%s: %s, expected %s (%s)", in,
	    vatid_status_name(v.status), vatid_status_name(status), v.msg);
	ck_assert_msg(strcmp(v.id, id) == 0, "%s: id %s, expected %s", in,
	    v.id, id);
	ck_assert_msg(strcmp(v.country, country) == 0,
	    "%s: country %s, expected %s", in, v.country, country);
	ck_assert(v.msg[0] != '\0');
}

static void
valid(const char *id, const char *country)
{
	expect(id, VATID_CHECKSUM_VALID, id, country);
}

static void
wrong(const char *id, const char *country)
{
	expect(id, VATID_CHECKSUM_INVALID, id, country);
}

static void
bad(const char *in)
{
	vatid_check(in, &v);
	ck_assert_msg(v.status == VATID_SYNTAX_INVALID, "%s: %s (%s)", in,
	    vatid_status_name(v.status), v.msg);
}

START_TEST(vatid_accepts_the_tenant_and_the_fixture_buyers)
{
	/*
	 * DE318472657, the tenant's (tenant-example/README.md): MOD 11,10
	 * over 3 1 8 4 7 2 6 5, product 10: (3+10)->3 p6, (1+6)->7 p3,
	 * (8+3)->1 p2, (4+2)->6 p1, (7+1)->8 p5, (2+5)->7 p3, (6+3)->9 p7,
	 * (5+7)->2 p4; check 11 - 4 = 7.
	 */
	valid("DE318472657", "DE");
	ck_assert_str_eq(v.prefix, "DE");
	wrong("DE318472658", "DE");
	ck_assert_str_eq(v.msg, "wrong check digit: ISO 7064 MOD 11,10 "
	    "gives 7, the id has 8");

	/*
	 * ATU48173621, the Austrian buyer of Shopify order 1045: digits
	 * 4 8 1 7 3 6 2, every second doubled with digit sums: 4, 16->7,
	 * 1, 14->5, 3, 12->3, 2; sum 25, (10 - (25 + 4) mod 10) mod 10
	 * = 1, and the id ends in 1.  Invented, yet its check digit holds.
	 */
	valid("ATU48173621", "AT");

	/* The German buyers of the other fixtures hold as well. */
	valid("DE270491587", "DE");
	valid("DE293607150", "DE");
	valid("DE315926045", "DE");
}
END_TEST

START_TEST(vatid_checks_at_be_bg_cy)
{
	/* U13585627: 1, 3->6, 5, 8->16->7, 5, 6->12->3, 2 = 29; 29+4 -> 7 */
	valid("ATU13585627", "AT");
	wrong("ATU13585626", "AT");

	/* 0403019261: 04030192 mod 97 = 36, 97 - 36 = 61 */
	valid("BE0403019261", "BE");
	wrong("BE0403019262", "BE");
	expect("BE 403.019.261", VATID_CHECKSUM_VALID, "BE0403019261", "BE");
	ck_assert_ptr_nonnull(strstr(v.msg, "leading 0"));
	valid("BE0428759497", "BE");

	/*
	 * 175074752: weights 1..8 over 1 7 5 0 7 4 7 5 = 1+14+15+0+35+24
	 * +49+40 = 178; 178 mod 11 = 2.
	 */
	valid("BG175074752", "BG");
	wrong("BG175074751", "BG");
	/*
	 * Ten digits, a personal number (EGN) 7523169263: born 1875-03-16
	 * (month 23 = March of the 1800s); weights 2 4 8 5 10 9 7 3 6 over
	 * 7 5 2 3 1 6 9 2 6: 14+20+16+15+10+54+63+6+36 = 234; 234 mod 11
	 * = 3.
	 */
	valid("BG7523169263", "BG");
	wrong("BG7523169264", "BG");

	/*
	 * 10259033P: odd places 1 2 9 3 -> 0 5 21 7, even places 0 5 0 3;
	 * sum 41, 41 mod 26 = 15 -> P.
	 */
	valid("CY10259033P", "CY");
	wrong("CY10259033Z", "CY");
	bad("CY12000000A");
	bad("CY102590331");
}
END_TEST

START_TEST(vatid_checks_the_czech_variants)
{
	/*
	 * Legal person 25123891: weights 8..2 over 2 5 1 2 3 8 9 = 16+35+6
	 * +10+12+24+18 = 121; 121 mod 11 = 0; 11 - 0 = 11 -> 1.
	 */
	valid("CZ25123891", "CZ");
	wrong("CZ25123890", "CZ");
	bad("CZ95123891");		/* legal persons never start with 9 */

	/* Birth number 710319/2745: 710319274 mod 11 = 5. */
	valid("CZ7103192745", "CZ");
	wrong("CZ7103192746", "CZ");
	bad("CZ7113192745");		/* month 13 */

	/*
	 * Without a birth number, 9 digits from 6: weights 8..2 over
	 * 4 0 9 0 3 9 2 = 32+0+54+0+12+27+4 = 129; 129 mod 11 = 8;
	 * (8 - (10 - 8)) mod 10 = 6.
	 */
	valid("CZ640903926", "CZ");
	wrong("CZ640903927", "CZ");

	/* Nine-digit birth numbers (before 1954) carry no check digit. */
	expect("CZ530101123", VATID_SYNTAX_ONLY, "CZ530101123", "CZ");
	bad("CZ590312123");		/* a 9-digit number in 1959 */
}
END_TEST

START_TEST(vatid_checks_dk_ee_el_fi)
{
	/* 13585628: weights 2 7 6 5 4 3 2 1: 2+21+30+40+20+18+4+8 = 143
	 * = 13 x 11. */
	valid("DK13585628", "DK");
	wrong("DK13585629", "DK");

	/* 100931558: weights 3 7 1 ...: 3+0+0+27+21+1+15+35 = 102 -> 8 */
	valid("EE100931558", "EE");
	wrong("EE100931559", "EE");
	bad("EE200931558");		/* EE ids start with 10 */

	/*
	 * 094259216: weights 256..2 over 0 9 4 2 5 9 2 1 = 0+1152+256+64
	 * +80+72+8+2 = 1634; 1634 mod 11 = 6.
	 */
	valid("EL094259216", "GR");
	ck_assert_str_eq(v.prefix, "EL");
	wrong("EL094259217", "GR");

	/* 20774740: weights 7 9 10 5 8 4 2: 14+0+70+35+32+28+8 = 187 =
	 * 17 x 11, remainder 0 -> 0. */
	valid("FI20774740", "FI");
	wrong("FI20774741", "FI");
}
END_TEST

START_TEST(vatid_turns_gr_into_el)
{
	expect("GR094259216", VATID_CHECKSUM_VALID, "EL094259216", "GR");
	ck_assert_str_eq(v.prefix, "EL");
	ck_assert_ptr_nonnull(strstr(v.msg, "EL, not GR"));
	expect("gr 094 259 217", VATID_CHECKSUM_INVALID, "EL094259217",
	    "GR");
	expect("EL94259216", VATID_CHECKSUM_VALID, "EL094259216", "GR");
	bad("GR0942592");
	bad("EL0942592160");
}
END_TEST

START_TEST(vatid_checks_the_spanish_variants)
{
	/*
	 * CIF B64717838: 6 4 7 1 7 8 3, odd places doubled with digit
	 * sums 12->3, 7->14->5, 7->14->5, 3->6 and even 4 1 8: 3+4+5+1+5
	 * +8+6 = 32; (10 - 2) mod 10 = 8.
	 */
	valid("ESB64717838", "ES");
	wrong("ESB64717839", "ES");
	/* P1234567: 2+2+6+4+1+6+5 = 26 -> 4 -> letter D of JABCDEFGHI. */
	valid("ESP1234567D", "ES");
	wrong("ESP1234567E", "ES");
	/* DNI 54362315: mod 23 = 21 -> K of TRWAGMYFPDXBNJZSQVHLCKE. */
	valid("ES54362315K", "ES");
	wrong("ES54362315L", "ES");
	/* NIE X5253868: 5253868 mod 23 = 1 -> R. */
	valid("ESX5253868R", "ES");
	wrong("ESX5253868T", "ES");
	/* K1234567: 1234567 mod 23 = 19 -> L. */
	valid("ESK1234567L", "ES");
	bad("ES123456789");
	bad("ESI1234567D");
	bad("ESB6471783");
}
END_TEST

START_TEST(vatid_checks_the_french_keys)
{
	/*
	 * 40 303265045: the SIREN passes Luhn (3,0,3,4,6,1,0,8,5 after
	 * doubling = 30); 303265045 mod 97 = 74, (12 + 3 x 74) mod 97 =
	 * 234 mod 97 = 40.
	 */
	valid("FR40303265045", "FR");
	wrong("FR41303265045", "FR");
	/*
	 * Alphabetic key K7 over 399859412: K is 19 and 7 is 7 in
	 * 0-9A-Z without I and O; s = 19 x 34 + 7 - 100 = 553; s / 11 =
	 * 50, s mod 11 = 3; (399859412 + 1 + 50) mod 11 = 3.
	 */
	valid("FRK7399859412", "FR");
	wrong("FRK8399859412", "FR");
	valid("FR4Z123456782", "FR");
	/* A SIREN that fails Luhn cannot carry a right key. */
	wrong("FR84323140391", "FR");
	ck_assert_ptr_nonnull(strstr(v.msg, "Luhn"));
	bad("FRIO334175221");		/* I and O are no key letters */
	bad("FR4030326504");
}
END_TEST

START_TEST(vatid_checks_hr_hu_ie_it)
{
	/*
	 * 33392005961: MOD 11,10 over 3 3 3 9 2 0 0 5 9 6 gives products
	 * 6 7 9 5 3 6 1 1 9 10; 11 - 10 = 1.
	 */
	valid("HR33392005961", "HR");
	wrong("HR33392005962", "HR");

	/* 12892312: weights 9 7 3 1 9 7 3: 9+14+24+9+18+21+3 = 98 -> 2 */
	valid("HU12892312", "HU");
	wrong("HU12892313", "HU");

	/*
	 * 6433435F: weights 8..2: 48+28+18+15+16+9+10 = 144; 144 mod 23
	 * = 6 -> F of WABCDEFGHIJKLMNOPQRSTUV.
	 */
	valid("IE6433435F", "IE");
	wrong("IE6433435E", "IE");
	/* Old form 8D79739I reads 0797398: 0+49+54+35+12+27+16 = 193,
	 * 193 mod 23 = 9 -> I. */
	valid("IE8D79739I", "IE");
	wrong("IE8D79739J", "IE");
	/* New form with a second letter: 1234567 gives 112, A adds 9 x 1:
	 * 121 mod 23 = 6 -> F. */
	valid("IE1234567FA", "IE");
	wrong("IE1234567GA", "IE");
	bad("IE1234567FZ");
	bad("IE123456");

	/* 00743110157: Luhn, doubled from the right: 0+0+7+8+3+2+1+0+1+1
	 * +7 = 30. Office 015. */
	valid("IT00743110157", "IT");
	wrong("IT00743110158", "IT");
	bad("IT00743112007");		/* office 200 */
	bad("IT00000000000");
}
END_TEST

START_TEST(vatid_checks_lt_lu_lv_mt)
{
	/* 119511515: weights 1..8 over 1 1 9 5 1 1 5 1: 1+2+27+20+5+6+35
	 * +8 = 104; 104 mod 11 = 5. */
	valid("LT119511515", "LT");
	wrong("LT119511516", "LT");
	valid("LT100001919017", "LT");
	bad("LT119511505");		/* 8th digit must be 1 */

	/* 15027442: 150274 mod 89 = 42. */
	valid("LU15027442", "LU");
	wrong("LU15027443", "LU");

	/*
	 * Legal person 40003521600: weights 9 1 4 8 3 10 2 5 7 6 1: 36+0
	 * +0+0+9+50+4+5+42+0+0 = 146; 146 mod 11 = 3, as required.
	 */
	valid("LV40003521600", "LV");
	wrong("LV40003521601", "LV");
	/* Natural persons: the date is checked, the check digit not. */
	expect("LV16117519997", VATID_SYNTAX_ONLY, "LV16117519997", "LV");
	expect("LV32123456789", VATID_SYNTAX_ONLY, "LV32123456789", "LV");
	bad("LV16137519997");		/* month 13 */

	/* 11679112: weights 3 4 6 7 8 9 10 1: 3+4+36+49+72+9+10+2 = 185
	 * = 5 x 37. */
	valid("MT11679112", "MT");
	wrong("MT11679113", "MT");
	bad("MT01679112");
}
END_TEST

START_TEST(vatid_checks_both_dutch_tests)
{
	/*
	 * 11-test, 004495445: 9x0+8x0+7x4+6x4+5x9+4x5+3x4+2x4 = 137,
	 * minus the last digit 5 = 132 = 12 x 11.
	 */
	valid("NL004495445B01", "NL");
	wrong("NL004495446B01", "NL");
	/*
	 * Since 2020, MOD 97-10: NL000099998B57 reads 23 21 000099998 11
	 * 57, and 23210000999981157 mod 97 = 1.  (Its 11-test gives 118,
	 * not a multiple of 11.)
	 */
	valid("NL000099998B57", "NL");
	wrong("NL000099998B58", "NL");
	bad("NL004495445B00");
	bad("NL004495445C01");
	bad("NL004495445");
}
END_TEST

START_TEST(vatid_checks_pl_pt_ro_se)
{
	/* 8567346215: weights 6 5 7 2 3 4 5 6 7: 48+25+42+14+9+16+30+12
	 * +7 = 203; 203 mod 11 = 5. */
	valid("PL8567346215", "PL");
	wrong("PL8567346216", "PL");

	/* 501964843: weights 9..2: 45+0+7+54+30+16+24+8 = 184; 184 mod
	 * 11 = 8; 11 - 8 = 3. */
	valid("PT501964843", "PT");
	wrong("PT501964844", "PT");

	/*
	 * 18547290: weights 7 5 3 2 1 7 5 3 2 over 001854729: 0+0+3+16+5
	 * +28+35+6+18 = 111; 111 x 10 mod 11 = 10 -> 0.
	 */
	valid("RO18547290", "RO");
	wrong("RO18547291", "RO");
	bad("RO1");
	bad("RO01854729");

	/* 1234567897 01: Luhn, doubled from the right: 2+2+6+4+1+6+5+8
	 * +9+7 = 50. */
	valid("SE123456789701", "SE");
	wrong("SE123456789801", "SE");
	bad("SE123456789700");
}
END_TEST

START_TEST(vatid_checks_si_sk_xi)
{
	/* 50223054: weights 8..2: 40+0+12+10+12+0+10 = 84; 84 mod 11 = 7;
	 * 11 - 7 = 4. */
	valid("SI50223054", "SI");
	wrong("SI50223055", "SI");

	/* 2022749619 = 11 x 183886329. */
	valid("SK2022749619", "SK");
	wrong("SK2022749618", "SK");
	bad("SK2012749619");		/* third digit 1 */

	/*
	 * XI 980780684: weights 8..2 over 9 8 0 7 8 0 6 = 72+56+0+35+32+0
	 * +12 = 207, plus the last two digits 84 = 291 = 3 x 97.
	 */
	valid("XI980780684", "XI");
	ck_assert_str_eq(v.prefix, "XI");
	valid("XI980780684001", "XI");	/* with a branch number */
	wrong("XI980780685", "XI");
	wrong("XI802311781", "XI");
	expect("XIGD123", VATID_SYNTAX_ONLY, "XIGD123", "XI");
	expect("XIHA567", VATID_SYNTAX_ONLY, "XIHA567", "XI");
	bad("XIGD567");
}
END_TEST

START_TEST(vatid_refuses_what_is_no_eu_vat_id)
{
	bad(NULL);
	bad("");
	bad("   ");
	ck_assert_str_eq(v.msg, "no VAT id");
	bad("318472657");		/* no prefix */
	bad("XX318472657");
	bad("GB980780684");		/* British, not EU */
	ck_assert_ptr_nonnull(strstr(v.msg, "XI"));
	bad("EU372000041");
	bad("CHE123456789");
	bad("DE31847265");		/* too short */
	bad("DE3184726570");		/* too long */
	bad("DE31847265A");		/* a letter for a digit */
	bad("DE018472657");		/* leading 0 */
	bad("ATU1358562");
	bad("AT13585627");		/* no U */
	bad("DE 318_472_657");
	bad("DE318472657ä");
	bad("DE3184726571234567890");
	bad("DE318472657318472657318472657318472657318472657318472657"
	    "318472657");
	ck_assert_str_eq(vatid_status_name(VATID_SYNTAX_ONLY), "syntax_only");
}
END_TEST

START_TEST(vatid_normalises_what_buyers_type)
{
	expect("de 318 472 657", VATID_CHECKSUM_VALID, "DE318472657", "DE");
	expect("DE-318.472.657", VATID_CHECKSUM_VALID, "DE318472657", "DE");
	expect("atu48173621", VATID_CHECKSUM_VALID, "ATU48173621", "AT");
	expect("NL 0044.95.445.B.01", VATID_CHECKSUM_VALID, "NL004495445B01",
	    "NL");
	expect("fr 40 303 265 045", VATID_CHECKSUM_VALID, "FR40303265045",
	    "FR");
}
END_TEST

static Suite *
vatid_suite(void)
{
	Suite *s = suite_create("vatid");
	TCase *tc = tcase_create("check");

	tcase_add_test(tc, vatid_accepts_the_tenant_and_the_fixture_buyers);
	tcase_add_test(tc, vatid_checks_at_be_bg_cy);
	tcase_add_test(tc, vatid_checks_the_czech_variants);
	tcase_add_test(tc, vatid_checks_dk_ee_el_fi);
	tcase_add_test(tc, vatid_turns_gr_into_el);
	tcase_add_test(tc, vatid_checks_the_spanish_variants);
	tcase_add_test(tc, vatid_checks_the_french_keys);
	tcase_add_test(tc, vatid_checks_hr_hu_ie_it);
	tcase_add_test(tc, vatid_checks_lt_lu_lv_mt);
	tcase_add_test(tc, vatid_checks_both_dutch_tests);
	tcase_add_test(tc, vatid_checks_pl_pt_ro_se);
	tcase_add_test(tc, vatid_checks_si_sk_xi);
	tcase_add_test(tc, vatid_refuses_what_is_no_eu_vat_id);
	tcase_add_test(tc, vatid_normalises_what_buyers_type);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vatid_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

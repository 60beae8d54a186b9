#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cp1252.h"
#include "err.h"

static struct cp1252 enc;
static struct buf out;

static void
setup(void)
{
	ck_assert_int_eq(cp1252_init(&enc, NULL), KR_OK);
	buf_init(&out, 0);
}

static void
teardown(void)
{
	cp1252_release(&enc);
	buf_release(&out);
}

/* Converts s and returns the bytes (valid until the next call). */
static const char *
conv(const char *s)
{
	struct kerr e;

	buf_reset(&out);
	ck_assert_int_eq(cp1252_add(&enc, &out, s, strlen(s), &e), KR_OK);
	return out.data ? out.data : "";
}

START_TEST(cp1252_maps_euro_and_quotes_to_their_high_bytes)
{
	ck_assert_str_eq(conv("\xE2\x82\xAC"), "\x80");		/* € */
	ck_assert_str_eq(conv("\xE2\x80\x9E"), "\x84");		/* „ */
	ck_assert_str_eq(conv("\xE2\x80\x9C"), "\x93");		/* “ */
	ck_assert_str_eq(conv("\xE2\x80\x93"), "\x96");		/* – */
	ck_assert_str_eq(conv("\xE2\x80\xA6"), "\x85");		/* … */
	ck_assert_int_eq(enc.n_translit, 0);
}
END_TEST

START_TEST(cp1252_maps_umlauts_to_latin1_bytes)
{
	ck_assert_str_eq(conv("\xC3\xA4\xC3\xB6\xC3\xBC\xC3\x9F"),
	    "\xE4\xF6\xFC\xDF");				/* äöüß */
	ck_assert_str_eq(conv("Stra\xC3\x9F" "e"), "Stra\xDF" "e");
	ck_assert_int_eq(enc.n_translit, 0);
}
END_TEST

START_TEST(cp1252_keeps_z_caron_which_it_has)
{
	ck_assert_str_eq(conv("\xC5\xBE\xC5\xBD"), "\x9E\x8E");	/* žŽ */
	ck_assert_str_eq(conv("\xC5\xA1\xC5\x92"), "\x9A\x8C");	/* šŒ */
	ck_assert_int_eq(enc.n_translit, 0);
}
END_TEST

START_TEST(cp1252_transliterates_l_stroke_and_counts_it)
{
	ck_assert_str_eq(conv("\xC5\x81" "a"), "La");		/* Ła */
	ck_assert_int_eq(enc.n_translit, 1);
	ck_assert_int_eq(enc.n_unknown, 0);
}
END_TEST

/*
 * By the Windows-1252 table ó is 0xF3, while Ł (U+0141) and ź (U+017A)
 * are missing: two transliterations.
 */
START_TEST(cp1252_keramikschale_lodz_counts_two_transliterations)
{
	const char *in = "Keramikschale \xE2\x80\x9E\xC5\x81\xC3\xB3" "d"
	    "\xC5\xBA\xE2\x80\x9C handbemalt";

	ck_assert_str_eq(conv(in),
	    "Keramikschale \x84L\xF3" "dz\x93 handbemalt");
	ck_assert_int_eq(enc.n_translit, 2);
}
END_TEST

START_TEST(cp1252_transliterates_eastern_european_letters)
{
	/* ł ő č ś Ă ț ș */
	ck_assert_str_eq(conv("\xC5\x82\xC5\x91\xC4\x8D\xC5\x9B\xC4\x82"
	    "\xC8\x9B\xC8\x99"), "locsAts");
	ck_assert_int_eq(enc.n_translit, 7);
}
END_TEST

START_TEST(cp1252_transliterates_hyphens_and_spaces)
{
	/* U+2010 hyphen, U+2011 non-breaking hyphen, U+2009 thin space */
	ck_assert_str_eq(conv("a\xE2\x80\x90" "b\xE2\x80\x91" "c\xE2\x80\x89"
	    "d"), "a-b-c d");
	ck_assert_int_eq(enc.n_translit, 3);
}
END_TEST

START_TEST(cp1252_covers_all_of_latin_extended_a)
{
	unsigned long cp;
	size_t i;

	for (cp = 0x0100; cp <= 0x017F; cp++) {
		char s[3];

		s[0] = (char)(0xC0 | (cp >> 6));
		s[1] = (char)(0x80 | (cp & 0x3F));
		s[2] = '\0';
		conv(s);
		ck_assert_msg(out.len >= 1, "U+%04lX gave nothing", cp);
		for (i = 0; i < out.len; i++)
			ck_assert_msg(out.data[i] != '?', "U+%04lX unknown",
			    cp);
	}
	ck_assert_int_eq(enc.n_unknown, 0);
	/* Seven of the 128 are Windows-1252 letters: Œ œ Š š Ÿ Ž ž. */
	ck_assert_int_eq(enc.n_translit, 121);
}
END_TEST

START_TEST(cp1252_turns_unknown_characters_into_question_marks)
{
	/* 日本 and an emoji */
	ck_assert_str_eq(conv("\xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80"),
	    "?? ?");
	ck_assert_int_eq(enc.n_translit, 3);
	ck_assert_int_eq(enc.n_unknown, 3);
}
END_TEST

START_TEST(cp1252_replaces_control_characters_with_spaces)
{
	ck_assert_str_eq(conv("a\tb\r\nc\x7F" "d"), "a b  c d");
	ck_assert_int_eq(enc.n_control, 4);
	ck_assert_int_eq(enc.n_translit, 0);
}
END_TEST

START_TEST(cp1252_never_writes_the_undefined_code_points)
{
	/* U+0081, U+008D, U+008F, U+0090, U+009D are C1 controls. */
	const char *in = "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D";
	size_t i;

	conv(in);
	ck_assert_uint_eq(out.len, 5);
	for (i = 0; i < out.len; i++)
		ck_assert_int_eq(out.data[i], ' ');
	ck_assert_int_eq(enc.n_control, 5);
}
END_TEST

START_TEST(cp1252_composes_a_decomposed_umlaut)
{
	/* "a" + U+0308, "c" + U+030C (č has no cp1252 form) */
	ck_assert_str_eq(conv("Ba\xCC\x88r c\xCC\x8C"), "B\xE4r c");
	ck_assert_int_eq(enc.n_translit, 1);
}
END_TEST

START_TEST(cp1252_refuses_invalid_utf8)
{
	static const char *bad[] = {
		"\xC3",			/* cut short */
		"\xC3\x28",		/* bad continuation */
		"\xC0\xAF",		/* overlong "/" */
		"\xED\xA0\x80",		/* a surrogate */
		"\xF4\x90\x80\x80",	/* past U+10FFFF */
		"\xFF",
	};
	struct kerr e;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&out);
		buf_adds(&out, "kept");
		kerr_clear(&e);
		ck_assert_int_eq(cp1252_add(&enc, &out, bad[i], strlen(bad[i]),
		    &e), KR_BAD_INPUT);
		ck_assert_ptr_nonnull(strstr(e.msg, "invalid UTF-8"));
		ck_assert_str_eq(out.data, "kept");
	}
}
END_TEST

static Suite *
cp1252_suite(void)
{
	Suite *s = suite_create("cp1252");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, cp1252_maps_euro_and_quotes_to_their_high_bytes);
	tcase_add_test(tc, cp1252_maps_umlauts_to_latin1_bytes);
	tcase_add_test(tc, cp1252_keeps_z_caron_which_it_has);
	tcase_add_test(tc, cp1252_transliterates_l_stroke_and_counts_it);
	tcase_add_test(tc,
	    cp1252_keramikschale_lodz_counts_two_transliterations);
	tcase_add_test(tc, cp1252_transliterates_eastern_european_letters);
	tcase_add_test(tc, cp1252_transliterates_hyphens_and_spaces);
	tcase_add_test(tc, cp1252_covers_all_of_latin_extended_a);
	tcase_add_test(tc,
	    cp1252_turns_unknown_characters_into_question_marks);
	tcase_add_test(tc, cp1252_replaces_control_characters_with_spaces);
	tcase_add_test(tc, cp1252_never_writes_the_undefined_code_points);
	tcase_add_test(tc, cp1252_composes_a_decomposed_umlaut);
	tcase_add_test(tc, cp1252_refuses_invalid_utf8);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cp1252_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "utf8.h"

static int
valid(const char *s)
{
	return utf8_valid(s, strlen(s));
}

START_TEST(utf8_accepts_every_well_formed_sequence)
{
	uint32_t cp;

	ck_assert(valid("plain ASCII"));
	ck_assert(valid("Grüner Tee „Łódź“ 日本 \xf0\x9f\x8d\xb5"));
	ck_assert(valid("\xed\x9f\xbf"));		/* U+D7FF */
	ck_assert(valid("\xee\x80\x80"));		/* U+E000 */
	ck_assert(valid("\xf4\x8f\xbf\xbf"));		/* U+10FFFF */
	ck_assert_uint_eq(utf8_seq("\xc3\xbc", 2, &cp), 2);
	ck_assert_uint_eq(cp, 0xfc);
	ck_assert(utf8_valid("a\0b", 3));
}
END_TEST

START_TEST(utf8_refuses_overlongs_surrogates_and_cut_sequences)
{
	static const char *const bad[] = {
		"\xc0\xaf",		/* '/' in two bytes */
		"\xc1\xbf",
		"\xe0\x80\xaf",		/* '/' in three bytes */
		"\xe0\x9f\xbf",		/* U+07FF in three bytes */
		"\xf0\x80\x80\xaf",	/* '/' in four bytes */
		"\xf0\x8f\xbf\xbf",	/* U+FFFF in four bytes */
		"\xed\xa0\x80",		/* U+D800 */
		"\xed\xbf\xbf",		/* U+DFFF */
		"\xf4\x90\x80\x80",	/* U+110000 */
		"\xf5\x80\x80\x80",
		"\xff", "\xfe", "\x80", "\xbf",
		"\xc3",			/* cut short */
		"\xe2\x82",
		"\xf0\x9f\x8d",
		"\xc3(",
		"ok\xe2\x82",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!valid(bad[i]), "bad[%zu] taken as valid", i);
	ck_assert_uint_eq(utf8_seq("\xc0\xaf", 2, NULL), 0);
	ck_assert_uint_eq(utf8_seq("\xc3\xbc", 1, NULL), 0);
}
END_TEST

/*
 * Text is looked at eight bytes at a time: a bad or non-ASCII byte is
 * found at every place of a word and in the bytes after the last one.
 */
START_TEST(utf8_finds_a_bad_byte_at_every_place_of_a_long_text)
{
	char s[40];
	size_t at;

	memset(s, 'a', sizeof(s));
	ck_assert(utf8_plain(s, sizeof(s)));
	ck_assert(utf8_valid(s, sizeof(s)));
	ck_assert(utf8_plain(s, 0));
	for (at = 0; at < sizeof(s); at++) {
		s[at] = '\0';
		ck_assert_msg(!utf8_plain(s, sizeof(s)), "NUL at %zu", at);
		ck_assert(utf8_valid(s, sizeof(s)));
		s[at] = '\x7f';
		ck_assert(utf8_plain(s, sizeof(s)));
		s[at] = '\x80';
		ck_assert_msg(!utf8_plain(s, sizeof(s)), "0x80 at %zu", at);
		ck_assert_msg(!utf8_valid(s, sizeof(s)), "0x80 at %zu", at);
		s[at] = '\xff';
		ck_assert(!utf8_valid(s, sizeof(s)));
		s[at] = 'a';
	}
	for (at = 0; at + 2 <= sizeof(s); at++) {
		memcpy(s + at, "\xc3\xbc", 2);
		ck_assert(!utf8_plain(s, sizeof(s)));
		ck_assert_msg(utf8_valid(s, sizeof(s)), "u-umlaut at %zu", at);
		ck_assert(!utf8_valid(s, at + 1));	/* cut short */
		memset(s + at, 'a', 2);
	}
}
END_TEST

/*
 * The same for what a JSON string cannot hold as it is, in texts
 * shorter than a word, of whole words and of words and a rest.
 */
START_TEST(utf8_json_verbatim_finds_a_quote_at_every_place)
{
	static const char odd[] = { '"', '\\', '\n', '\x1f', '\x80' };
	static const size_t len[] = { 1, 3, 4, 5, 7, 8, 9, 37, 40 };
	char s[40];
	size_t at, i, k;

	memset(s, 'a', sizeof(s));
	for (k = 0; k < sizeof(len) / sizeof(len[0]); k++) {
		ck_assert(utf8_json_verbatim(s, len[k]));
		for (at = 0; at < len[k]; at++) {
			for (i = 0; i < sizeof(odd); i++) {
				s[at] = odd[i];
				ck_assert_msg(!utf8_json_verbatim(s, len[k]),
				    "odd[%zu] at %zu of %zu", i, at, len[k]);
			}
			s[at] = '\x7f';
			ck_assert(utf8_json_verbatim(s, len[k]));
			s[at] = 'a';
		}
	}
}
END_TEST

/*
 * Copying while looking: every length from none to five words, with a
 * byte outside printable ASCII at every place, is copied whole and
 * told apart from printable text.
 */
START_TEST(utf8_copy_plain_text_copies_and_finds_a_bad_byte_anywhere)
{
	static const char odd[] = { '\0', '\x1f', '\x80', '\xff' };
	char s[40], dst[41];
	size_t n, at, i;

	for (i = 0; i < sizeof(s); i++)
		s[i] = (char)(' ' + i * 7 % 95);
	for (n = 0; n <= sizeof(s); n++) {
		memset(dst, '#', sizeof(dst));
		ck_assert_msg(utf8_copy_plain_text(dst, s, n), "%zu", n);
		ck_assert(memcmp(dst, s, n) == 0);
		ck_assert_int_eq(dst[n], '#');
		for (at = 0; at < n; at++) {
			char keep = s[at];

			for (i = 0; i < sizeof(odd); i++) {
				s[at] = odd[i];
				ck_assert_msg(!utf8_copy_plain_text(dst, s, n),
				    "odd[%zu] at %zu of %zu", i, at, n);
				ck_assert(memcmp(dst, s, n) == 0);
			}
			s[at] = '\x7f';
			ck_assert(utf8_copy_plain_text(dst, s, n));
			s[at] = keep;
		}
	}
}
END_TEST

/*
 * utf8_text_ok says in one pass what the three looks say together, for
 * every kind of sequence, good and bad, at every place of a text.
 */
START_TEST(utf8_text_ok_agrees_with_valid_unwritable_and_nul)
{
	static const char *const seq[] = {
		"\xc3\xbc", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\t",
		"\n", "\r", "\x7f", "\xc2\x85", "\x01", "\x1f", "\xc0\xaf",
		"\xc1\xbf", "\x80", "\xbf", "\xed\xa0\x80", "\xef\xbf\xbe",
		"\xef\xbf\xbf", "\xef\xbf\xbd", "\xf4\x90\x80\x80",
		"\xc3", "\xc3" "a", "\xe2\x82", "\xf5\x80\x80\x80", "\xff"
	};
	char s[40];
	size_t i, at, n, len;
	int want;

	for (i = 0; i < sizeof(seq) / sizeof(seq[0]); i++) {
		len = strlen(seq[i]);
		for (n = len; n <= sizeof(s); n += 3) {
			for (at = 0; at + len <= n; at++) {
				memset(s, 'a', sizeof(s));
				memcpy(s + at, seq[i], len);
				want = memchr(s, '\0', n) == NULL &&
				    utf8_valid(s, n) &&
				    utf8_unwritable(s, n) == 0;
				ck_assert_msg(utf8_text_ok(s, n) == want,
				    "seq[%zu] at %zu of %zu", i, at, n);
			}
		}
	}
	memset(s, 'a', sizeof(s));
	s[17] = '\0';
	ck_assert(!utf8_text_ok(s, sizeof(s)));
	ck_assert(utf8_text_ok(s, 17));
}
END_TEST

/* The same for a character no invoice can carry, and one it can. */
START_TEST(utf8_finds_an_unwritable_character_at_every_place)
{
	char s[40];
	size_t at;

	memset(s, 'a', sizeof(s));
	ck_assert_uint_eq(utf8_unwritable(s, sizeof(s)), 0);
	for (at = 0; at + 3 <= sizeof(s); at++) {
		s[at] = '\x07';
		ck_assert_msg(utf8_unwritable(s, sizeof(s)) == 7, "BEL at %zu",
		    at);
		s[at] = '\t';
		ck_assert_uint_eq(utf8_unwritable(s, sizeof(s)), 0);
		memcpy(s + at, "\xef\xbf\xbf", 3);
		ck_assert_msg(utf8_unwritable(s, sizeof(s)) == 0xffff,
		    "U+FFFF at %zu", at);
		memcpy(s + at, "\xc3\xbc" "a", 3);
		ck_assert_msg(utf8_unwritable(s, sizeof(s)) == 0,
		    "u-umlaut at %zu", at);
		memset(s + at, 'a', 3);
	}
}
END_TEST

START_TEST(utf8_finds_control_characters)
{
	ck_assert(!utf8_has_control("Grüner Tee", 11));
	ck_assert(utf8_has_control("a\x1b[31m", 6));
	ck_assert(utf8_has_control("a\rb", 3));
	ck_assert(utf8_has_control("a\x7f", 2));
	ck_assert(utf8_has_control("a\xc2\x9b" "31m", 6));	/* C1 CSI */
	ck_assert(utf8_has_control("a\0b", 3));
}
END_TEST

START_TEST(utf8_escape_writes_controls_and_stray_bytes_as_hex)
{
	char out[128];

	ck_assert_str_eq(utf8_escape("Grüner Tee", out, sizeof(out)),
	    "Grüner Tee");
	ck_assert_str_eq(utf8_escape("a\x1b[31mred\r\nb\x07\x7f", out,
	    sizeof(out)), "a\\x1b[31mred\\x0d\\x0ab\\x07\\x7f");
	ck_assert_str_eq(utf8_escape("\xff\xfe.json", out, sizeof(out)),
	    "\\xff\\xfe.json");
	ck_assert_str_eq(utf8_escape("\xc0\xaf", out, sizeof(out)),
	    "\\xc0\\xaf");
	ck_assert_str_eq(utf8_escape("x\xc2\x9by", out, sizeof(out)),
	    "x\\xc2\\x9by");
}
END_TEST

START_TEST(utf8_escape_cuts_only_between_characters)
{
	char out[8];

	ck_assert_str_eq(utf8_escape("abcdef\x1b", out, sizeof(out)),
	    "abcdef");
	ck_assert_str_eq(utf8_escape("abcdeü", out, sizeof(out)),
	    "abcdeü");
	ck_assert_str_eq(utf8_escape("abcdefü", out, sizeof(out)),
	    "abcdef");
	ck_assert_str_eq(utf8_escape("ab\x1b" "cd", out, sizeof(out)),
	    "ab\\x1bc");
}
END_TEST

START_TEST(utf8_prefix_never_cuts_a_character)
{
	ck_assert_int_eq(utf8_prefix("abc", 10), 3);
	ck_assert_int_eq(utf8_prefix("abcdef", 4), 4);
	ck_assert_int_eq(utf8_prefix("aüb", 2), 1);
	ck_assert_int_eq(utf8_prefix("aüb", 3), 3);
	ck_assert_int_eq(utf8_prefix("\xf0\x9f\x8d\xb5!", 3), 0);
	ck_assert_int_eq(utf8_prefix("\xff\xfe", 1), 1);
}
END_TEST

START_TEST(kerr_format_escapes_names_and_messages)
{
	char text[KERR_TEXT_MAX];
	struct kerr e;

	kerr_clear(&e);
	kerr_where(&e, "spool/shop-de/esc\x1b[31mred.json", 3);
	kerr_set(&e, KR_BAD_INPUT, "order.name",
	    "order \"#1\r\n\x07\" is odd");
	kerr_format(&e, text, sizeof(text));
	ck_assert_str_eq(text, "spool/shop-de/esc\\x1b[31mred.json:3: "
	    "order.name: order \"#1\\x0d\\x0a\\x07\" is odd");
	ck_assert_ptr_null(strchr(text, '\n'));
}
END_TEST

/* A name too long for e->file is cut to what fits, as before. */
START_TEST(kerr_where_keeps_what_fits_of_a_long_name)
{
	char name[KERR_FILE_MAX + 8];
	struct kerr e;

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	kerr_clear(&e);
	kerr_where(&e, name, 7);
	ck_assert_uint_eq(strlen(e.file), KERR_FILE_MAX - 1);
	ck_assert_int_eq(memcmp(e.file, name, KERR_FILE_MAX - 1), 0);
	ck_assert_int_eq(e.line, 7);
	kerr_where(&e, "-", 8);
	ck_assert_str_eq(e.file, "-");
	kerr_where(&e, NULL, 9);
	ck_assert_str_eq(e.file, "-");
	ck_assert_int_eq(e.line, 9);
}
END_TEST

static Suite *
utf8_suite(void)
{
	Suite *s = suite_create("utf8");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, kerr_where_keeps_what_fits_of_a_long_name);
	tcase_add_test(tc, utf8_accepts_every_well_formed_sequence);
	tcase_add_test(tc, utf8_finds_an_unwritable_character_at_every_place);
	tcase_add_test(tc, utf8_json_verbatim_finds_a_quote_at_every_place);
	tcase_add_test(tc, utf8_text_ok_agrees_with_valid_unwritable_and_nul);
	tcase_add_test(tc,
	    utf8_copy_plain_text_copies_and_finds_a_bad_byte_anywhere);
	tcase_add_test(tc,
	    utf8_refuses_overlongs_surrogates_and_cut_sequences);
	tcase_add_test(tc,
	    utf8_finds_a_bad_byte_at_every_place_of_a_long_text);
	tcase_add_test(tc, utf8_finds_control_characters);
	tcase_add_test(tc, utf8_escape_writes_controls_and_stray_bytes_as_hex);
	tcase_add_test(tc, utf8_escape_cuts_only_between_characters);
	tcase_add_test(tc, utf8_prefix_never_cuts_a_character);
	tcase_add_test(tc, kerr_format_escapes_names_and_messages);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(utf8_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

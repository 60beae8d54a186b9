/*
 * The RFC 4180 reader behind the plain import.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

static struct csv c;
static struct kerr e;
static FILE *fp;

static void
open_text(const char *text, size_t len)
{
	fp = fmemopen((void *)text, len, "r");
	ck_assert_ptr_nonnull(fp);
	csv_init(&c, fp, 1);
	kerr_clear(&e);
}

static void
close_text(void)
{
	csv_release(&c);
	fclose(fp);
}

START_TEST(csv_reads_quotes_commas_and_line_breaks)
{
	static const char text[] = "a,b,c\r\n"
	    "\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
	    "\n"
	    ",last,\n";

	open_text(text, sizeof(text) - 1);
	ck_assert_int_eq(csv_next(&c, &e), KR_OK);
	ck_assert_int_eq(c.nfields, 3);
	ck_assert_int_eq(c.line, 1);
	ck_assert_str_eq(csv_field(&c, 2), "c");
	ck_assert_int_eq(csv_next(&c, &e), KR_OK);
	ck_assert_int_eq(c.line, 2);
	ck_assert_str_eq(csv_field(&c, 0), "x, y");
	ck_assert_str_eq(csv_field(&c, 1), "say \"hi\"");
	ck_assert_str_eq(csv_field(&c, 2), "two\nlines");
	/* The blank line 4 is skipped; the record starts on line 5. */
	ck_assert_int_eq(csv_next(&c, &e), KR_OK);
	ck_assert_int_eq(c.line, 5);
	ck_assert_int_eq(c.nfields, 3);
	ck_assert_str_eq(csv_field(&c, 0), "");
	ck_assert_str_eq(csv_field(&c, 1), "last");
	ck_assert_str_eq(csv_field(&c, 2), "");
	ck_assert_str_eq(csv_field(&c, 7), "");
	ck_assert_int_eq(csv_next(&c, &e), KR_NOT_FOUND);
	close_text();
}
END_TEST

START_TEST(csv_skips_a_byte_order_mark_and_reads_a_last_line_without_end)
{
	static const char text[] = "\xEF\xBB\xBFname\nK\xC3\xB6ln";

	open_text(text, sizeof(text) - 1);
	ck_assert_int_eq(csv_next(&c, &e), KR_OK);
	ck_assert_str_eq(csv_field(&c, 0), "name");
	ck_assert_int_eq(csv_next(&c, &e), KR_OK);
	ck_assert_str_eq(csv_field(&c, 0), "Köln");
	ck_assert_int_eq(csv_next(&c, &e), KR_NOT_FOUND);
	close_text();
}
END_TEST

START_TEST(csv_refuses_broken_text_with_its_line)
{
	static const struct {
		const char *text;
		size_t len;
		const char *msg;
		long line;
	} bad[] = {
		{"a\n\"open\n", 8, "a quoted field is not closed", 2},
		{"a\n\"x\"y\n", 7,
		    "text after the closing quote of a field", 2},
		{"a\nK\xF6ln\n", 7, "invalid UTF-8 in a field", 2},
		{"a\nx\0y\n", 6, "a NUL character in a field", 2},
		{"a\nok\n\"x\x07y\"\n", 11,
		    "a field with the character U+0007", 3},
		{"a\nx\x1b\n", 5, "a field with the character U+001B", 2},
		{"\xEF\x00\x00" "a\n", 5,
		    "neither text nor a UTF-8 byte order mark", 1},
	};
	size_t i;
	int rc = KR_OK;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		open_text(bad[i].text, bad[i].len);
		while ((rc = csv_next(&c, &e)) == KR_OK)
			;
		ck_assert_int_eq(rc, KR_BAD_INPUT);
		ck_assert_msg(strstr(e.msg, bad[i].msg) != NULL, "%zu: %s", i,
		    e.msg);
		ck_assert_int_eq(e.line, bad[i].line);
		close_text();
	}
}
END_TEST

START_TEST(csv_caps_a_record)
{
	size_t n = CSV_RECORD_MAX + 16;
	char *text = malloc(n);

	ck_assert_ptr_nonnull(text);
	memset(text, 'x', n);
	open_text(text, n);
	ck_assert_int_eq(csv_next(&c, &e), KR_TOO_BIG);
	close_text();
	free(text);
}
END_TEST

static Suite *
csv_suite(void)
{
	Suite *s = suite_create("csv");
	TCase *tc = tcase_create("csv");

	tcase_add_test(tc, csv_reads_quotes_commas_and_line_breaks);
	tcase_add_test(tc,
	    csv_skips_a_byte_order_mark_and_reads_a_last_line_without_end);
	tcase_add_test(tc, csv_refuses_broken_text_with_its_line);
	tcase_add_test(tc, csv_caps_a_record);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(csv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

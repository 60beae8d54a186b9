#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "record.h"

static struct jdoc d;
static struct kerr e;

static void
setup(void)
{
	jdoc_init(&d);
	kerr_clear(&e);
}

static void
teardown(void)
{
	jdoc_release(&d);
}

static int
parse(const char *s)
{
	return jdoc_parse(&d, s, strlen(s), &e);
}

START_TEST(json_numbers_keep_their_written_digits)
{
	ck_assert_int_eq(parse("{\"id\":5400381064282123456789,\"rate\":0.19,"
	    "\"e\":1.5e2,\"s\":\"19.99\"}"), KR_OK);
	ck_assert_str_eq(jtext(jget(d.root, "id")), "5400381064282123456789");
	ck_assert_int_eq(jget(d.root, "id")->type, J_NUMBER);
	ck_assert_str_eq(jtext(jget(d.root, "rate")), "0.19");
	ck_assert_str_eq(jtext(jget(d.root, "e")), "1.5e2");
	ck_assert_str_eq(jstr(jget(d.root, "s")), "19.99");
	ck_assert_ptr_null(jstr(jget(d.root, "rate")));
}
END_TEST

START_TEST(json_tree_keeps_order_and_nesting)
{
	const struct jnode *a, *c;
	size_t n = 0;

	ck_assert_int_eq(parse("{\"a\":[1,{\"b\":null},true,false,\"x\"],"
	    "\"c\":{}}"), KR_OK);
	a = jget(d.root, "a");
	ck_assert_uint_eq(jlen(a), 5);
	ck_assert(jis_null(jget(jat(a, 1), "b")));
	ck_assert_int_eq(jat(a, 2)->type, J_TRUE);
	ck_assert_int_eq(jat(a, 3)->type, J_FALSE);
	ck_assert_str_eq(jstr(jat(a, 4)), "x");
	ck_assert_ptr_null(jat(a, 5));
	for (c = jfirst(a); c != NULL; c = jnext(a, c))
		n++;
	ck_assert_uint_eq(n, 5);
	ck_assert_uint_eq(jlen(jget(d.root, "c")), 0);
	ck_assert_ptr_null(jget(d.root, "missing"));
}
END_TEST

START_TEST(json_refuses_invalid_utf8_with_its_line)
{
	ck_assert_int_eq(parse("{\n\"name\":\"K\xff\xferamik\"}"),
	    KR_BAD_INPUT);
	ck_assert_int_eq(e.line, 2);
	ck_assert_ptr_nonnull(strstr(e.msg, "UTF8"));
}
END_TEST

START_TEST(json_refuses_truncated_and_trailing_input)
{
	ck_assert_int_eq(parse("{\"a\":[1,2"), KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "malformed JSON"));
	kerr_clear(&e);
	ck_assert_int_eq(parse("{} {}"), KR_BAD_INPUT);
	kerr_clear(&e);
	ck_assert_int_eq(parse(""), KR_BAD_INPUT);
}
END_TEST

START_TEST(json_refuses_nesting_beyond_the_limit)
{
	char *s = malloc(2 * 1000 + 1);
	int i;

	for (i = 0; i < 1000; i++) {
		s[i] = '[';
		s[1000 + i] = ']';
	}
	s[2000] = '\0';
	ck_assert_int_eq(parse(s), KR_TOO_BIG);
	free(s);
}
END_TEST

struct seen {
	int n;
	char paths[8][32];
	char ids[8][16];
};

static int
collect(void *arg, const struct jnode *elem, const char *path,
    struct kerr *err)
{
	struct seen *s = arg;

	(void)err;
	if (s->n < 8) {
		snprintf(s->paths[s->n], sizeof(s->paths[0]), "%s", path);
		snprintf(s->ids[s->n], sizeof(s->ids[0]), "%s",
		    jtext(jget(elem, "id")) ? jtext(jget(elem, "id")) : "-");
	}
	s->n++;
	return KR_OK;
}

static struct seen
stream(const char *text)
{
	static const char *const env[] = {"orders", NULL};
	struct seen s;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(jstream_file(fp, env, collect, &s, &e), KR_OK);
	fclose(fp);
	return s;
}

START_TEST(jstream_hands_over_each_element_of_a_list)
{
	struct seen s = stream("[{\"id\":1},{\"id\":2},{\"id\":3}]");

	ck_assert_int_eq(s.n, 3);
	ck_assert_str_eq(s.paths[2], "[2]");
	ck_assert_str_eq(s.ids[2], "3");

	s = stream("{\"count\":2,\"orders\":[{\"id\":7},{\"id\":8}]}");
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.paths[1], "orders[1]");
	ck_assert_str_eq(s.ids[1], "8");

	s = stream("{\"order\":{\"id\":9}}");
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "");

	s = stream("[]");
	ck_assert_int_eq(s.n, 0);
	s = stream("{\"orders\":[]}");
	ck_assert_int_eq(s.n, 0);
}
END_TEST

START_TEST(jstream_reports_the_line_of_a_syntax_error)
{
	static const char *const env[] = {"orders", NULL};
	const char *text = "[\n{\"id\":1},\n{\"id\":}\n]";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct seen s;

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(jstream_file(fp, env, collect, &s, &e),
	    KR_BAD_INPUT);
	ck_assert_int_eq(e.line, 3);
	ck_assert_int_eq(s.n, 1);
	fclose(fp);
}
END_TEST

START_TEST(jw_escapes_what_json_needs)
{
	struct buf b;
	struct jw w;

	buf_init(&b, 0);
	jw_init(&w, &b);
	jw_obj(&w);
	jw_kv_str(&w, "t", "a\"b\\c\nd\te\x01" "f „Łódź“");
	jw_key(&w, "n");
	jw_dec(&w, -5, 2);
	jw_key(&w, "l");
	jw_arr(&w);
	jw_int(&w, 1);
	jw_bool(&w, 0);
	jw_null(&w);
	jw_arr_end(&w);
	jw_obj_end(&w);
	ck_assert_int_eq(jw_status(&w), KR_OK);
	ck_assert_str_eq(b.data,
	    "{\"t\":\"a\\\"b\\\\c\\nd\\te\\u0001f „Łódź“\","
	    "\"n\":\"-0.05\",\"l\":[\"1\",false,null]}");
	ck_assert_int_eq(parse(b.data), KR_OK);
	ck_assert_str_eq(jstr(jget(d.root, "t")),
	    "a\"b\\c\nd\te\x01" "f „Łódź“");
	buf_release(&b);
}
END_TEST

START_TEST(record_reader_skips_bad_lines_and_goes_on)
{
	const char *text = "{\"type\":\"run\",\"v\":\"1.0\"}\n"
	    "not json\n\n"
	    "[1]\n"
	    "{\"v\":\"1.0\"}\n"
	    "{\"type\":\"order\",\"v\":\"x\"}\n"
	    "{\"type\":\"order\",\"v\":\"2.1\"}";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct rec_in in;
	struct rec r;

	rec_in_init(&in, fp, "-");
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_OK);
	ck_assert_str_eq(r.type, "run");
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_int_eq(e.line, 2);
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_int_eq(e.line, 4);
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "type");
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "v");
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_OK);
	ck_assert_int_eq(r.v_major, 2);
	ck_assert_int_eq(rec_check_version(&r, 1, &e), KR_BAD_INPUT);
	ck_assert_int_eq(r.line, 7);
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_NOT_FOUND);
	rec_in_release(&in);
	fclose(fp);
}
END_TEST

static Suite *
json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, json_numbers_keep_their_written_digits);
	tcase_add_test(tc, json_tree_keeps_order_and_nesting);
	tcase_add_test(tc, json_refuses_invalid_utf8_with_its_line);
	tcase_add_test(tc, json_refuses_truncated_and_trailing_input);
	tcase_add_test(tc, json_refuses_nesting_beyond_the_limit);
	tcase_add_test(tc, jstream_hands_over_each_element_of_a_list);
	tcase_add_test(tc, jstream_reports_the_line_of_a_syntax_error);
	tcase_add_test(tc, jw_escapes_what_json_needs);
	tcase_add_test(tc, record_reader_skips_bad_lines_and_goes_on);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(json_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

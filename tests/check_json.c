#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "invoice.h"
#include "jfield.h"
#include "jkeys.h"
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
	ck_assert_str_eq(e.msg, "invalid UTF-8 in a string");
}
END_TEST

/* Parses the n bytes at s; the message and position land in e. */
static int
parsen(const char *s, size_t n)
{
	kerr_clear(&e);
	return jdoc_parse(&d, s, n, &e);
}

START_TEST(json_refuses_a_nul_character_in_strings_and_member_names)
{
	static const char *const bad[] = {
		"{\"id\":\"54008\\u0000x\"}",
		"{\"source\":{\"file\":"
		    "\"spool/shop-de/x.json\\u0000/../..\"}}",
		"[\"\\u0000\"]",
		"{\"id\\u0000\":1}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(parse(bad[i]) == KR_BAD_INPUT, "took %s",
		    bad[i]);
		ck_assert_ptr_nonnull(strstr(e.msg,
		    "with a NUL character (\\u0000)"));
		ck_assert_ptr_nonnull(strstr(e.field, "byte "));
		kerr_clear(&e);
	}
	/* A raw NUL byte is no JSON at all. */
	ck_assert_int_eq(parsen("{\"a\":\"x\0y\"}", 11), KR_BAD_INPUT);
	ck_assert_int_eq(parse("{\"a\\u0000\":1}"), KR_BAD_INPUT);
	ck_assert_str_eq(e.msg,
	    "a member name with a NUL character (\\u0000)");
	ck_assert_str_eq(e.field, "byte 10");	/* just after the name */
	ck_assert_int_eq(parse("{\"nul\":\"\\u0020 is fine\"}"), KR_OK);
}
END_TEST

/*
 * A control character XML cannot hold would stop the e-invoice of a
 * numbered invoice: it is refused where the order is read, after runs
 * of ASCII of every length the reader looks at in one step.
 */
START_TEST(json_refuses_characters_no_invoice_can_carry)
{
	static const char *const bad[] = {
		"\\u0001", "\\u0007", "\\u001f", "\\u000b", "\\uFFFE",
		"\\uffff", "\xef\xbf\xbe",
	};
	static const char *const good[] = {
		"\\t", "\\n", "\\r", "\\u007f", "\\u0085", "\xc3\xa4",
		"\\uFFFD",
	};
	char text[160], run[40];
	size_t i, k;

	for (k = 0; k < 34; k++) {
		memset(run, 'a', k);
		run[k] = '\0';
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			snprintf(text, sizeof(text), "{\"name\":\"%s%szz\"}",
			    run, bad[i]);
			kerr_clear(&e);
			ck_assert_msg(parse(text) == KR_BAD_INPUT, "took %s",
			    text);
			ck_assert_ptr_nonnull(strstr(e.msg,
			    "which no invoice can carry"));
		}
		for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
			snprintf(text, sizeof(text), "{\"name\":\"%s%szz\"}",
			    run, good[i]);
			ck_assert_msg(parse(text) == KR_OK, "refused %s",
			    text);
		}
	}
	ck_assert_int_eq(parse("{\"a\\u0007\":1}"), KR_BAD_INPUT);
	ck_assert_str_eq(e.msg, "a member name with the character U+0007, "
	    "which no invoice can carry");
}
END_TEST

/*
 * Parses an object of the members "<prefix>0" to "<prefix><n - 1>" and
 * then last, which repeats one of them or not.
 */
static int
parse_named_members(size_t n, const char *prefix, const char *last)
{
	static char text[131072];
	size_t i, at;

	at = (size_t)snprintf(text, sizeof(text), "{");
	for (i = 0; i < n; i++)
		at += (size_t)snprintf(text + at, sizeof(text) - at,
		    "\"%s%zu\":%zu,", prefix, i, i);
	ck_assert_uint_lt(at, sizeof(text) - 200);
	snprintf(text + at, sizeof(text) - at, "\"%s\":0}", last);
	kerr_clear(&e);
	return parse(text);
}

static int
parse_members(size_t n, const char *last)
{
	return parse_named_members(n, "k", last);
}

/* Readers disagree on which of two equal names counts: neither does. */
START_TEST(json_refuses_a_member_name_twice_in_one_object)
{
	ck_assert_int_eq(parse("{\"total\":\"1\",\"totals\":{},"
	    "\"total\":\"2\"}"), KR_BAD_INPUT);
	ck_assert_str_eq(e.msg, "the member \"total\" comes twice in one "
	    "object");
	ck_assert_int_eq(parse("{\"a\":{\"x\":1},\"b\":{\"x\":1}}"),
	    KR_OK);
	ck_assert_int_eq(parse("[{\"x\":1},{\"x\":1}]"), KR_OK);
	/* Objects of an order's size, looked up by their names' hashes. */
	ck_assert_int_eq(parse_members(40, "k39"), KR_BAD_INPUT);
	ck_assert_str_eq(e.msg, "the member \"k39\" comes twice in one "
	    "object");
	ck_assert_int_eq(parse_members(40, "k40"), KR_OK);
	/* An object too large to look up that way. */
	ck_assert_int_eq(parse_members(300, "k7"), KR_BAD_INPUT);
	ck_assert_str_eq(e.msg, "the member \"k7\" comes twice in one "
	    "object");
	ck_assert_int_eq(parse_members(300, "k300"), KR_OK);
}
END_TEST

/*
 * A name is found twice in its own object only, however deep objects
 * nest and whichever document of a struct jdoc's run it is in.
 */
START_TEST(json_finds_a_name_twice_only_in_its_own_object)
{
	ck_assert_int_eq(parse("{\"a\":1,\"b\":{\"a\":2,\"c\":{\"a\":3}},"
	    "\"c\":4}"), KR_OK);
	ck_assert_int_eq(parse("{\"a\":{\"a\":{\"a\":1},\"b\":2,\"a\":3}}"),
	    KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "a.a at byte 30");
	ck_assert_str_eq(e.msg, "the member \"a\" comes twice in one object");
	ck_assert_int_eq(parse("{\"x\":1,\"y\":[{\"x\":1,\"y\":2}]}"), KR_OK);
	ck_assert_int_eq(parse("{\"x\":1,\"y\":2}"), KR_OK);
	ck_assert_int_eq(parse("{\"y\":1,\"x\":2,\"y\":3}"), KR_BAD_INPUT);
}
END_TEST

/*
 * Names the reader does not keep (too long, or past the number it
 * keeps) are still found twice, in objects of every size.
 */
START_TEST(json_finds_a_name_twice_beyond_the_names_it_keeps)
{
	char prefix[JKEYS_LEN_MAX + 8], last[JKEYS_LEN_MAX + 16];
	static const size_t sizes[] = { 3, 40, 300 };
	size_t i;

	memset(prefix, 'n', sizeof(prefix) - 1);
	prefix[sizeof(prefix) - 1] = '\0';
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		snprintf(last, sizeof(last), "%s%zu", prefix, sizes[i] - 1);
		ck_assert_int_eq(parse_named_members(sizes[i], prefix, last),
		    KR_BAD_INPUT);
		ck_assert_str_eq(e.msg + strlen(e.msg) - 25,
		    "comes twice in one object");
		snprintf(last, sizeof(last), "%s%zu", prefix, sizes[i]);
		ck_assert_int_eq(parse_named_members(sizes[i], prefix, last),
		    KR_OK);
	}

	/* More names than are kept, then the kept ones again. */
	ck_assert_int_eq(parse_named_members(JKEYS_MAX + 100, "m",
	    "m1050"), KR_BAD_INPUT);
	ck_assert_str_eq(e.msg, "the member \"m1050\" comes twice in one "
	    "object");
	ck_assert_int_eq(parse_named_members(JKEYS_MAX + 100, "m",
	    "m9999"), KR_OK);
	ck_assert_int_eq(parse_named_members(JKEYS_MAX + 100, "m", "m5"),
	    KR_BAD_INPUT);
	ck_assert_int_eq(parse_members(5, "k4"), KR_BAD_INPUT);
	ck_assert_int_eq(parse_members(5, "k5"), KR_OK);
	ck_assert_int_eq(parse_named_members(5, "z", "z4"), KR_BAD_INPUT);
	ck_assert_int_eq(parse_named_members(5, "z", "z5"), KR_OK);
}
END_TEST

/* The kept copy of name in k, added when k does not hold it. */
static const char *
keep(struct jkeys *k, const char *name)
{
	const char *p;
	uint32_t hash;

	p = jkeys_find(k, name, strlen(name), &hash);
	return p != NULL ? p : jkeys_add(k, name, strlen(name), hash);
}

/*
 * A name is found as the same copy whatever came before it: in the
 * order the names were added, in other orders, after names that
 * were followed by other names before; and a name that is not held
 * is not found, also where a held name of its length would follow.
 */
START_TEST(jkeys_finds_each_name_whatever_came_before)
{
	static const char *const names[] = {
		"amount", "currency_code", "price", "prize", "price_set",
		"a", "", "shop_money", "presentment_money", "amounts"
	};
	static const int order[][6] = {
		{ 0, 1, 2, 3, 4, 5 }, { 0, 1, 2, 3, 4, 5 },
		{ 5, 4, 3, 2, 1, 0 }, { 7, 0, 1, 8, 0, 1 },
		{ 7, 0, 1, 8, 0, 1 }, { 6, 9, 0, 9, 6, 6 },
		{ 2, 4, 2, 3, 2, 4 }, { 0, 1, 7, 0, 1, 8 },
	};
	enum { N = sizeof(names) / sizeof(names[0]) };
	const char *kept[N];
	struct jkeys *k = jkeys_new();
	uint32_t hash;
	size_t i, j;

	for (i = 0; i < N; i++) {
		kept[i] = keep(k, names[i]);
		ck_assert_ptr_nonnull(kept[i]);
		ck_assert_str_eq(kept[i], names[i]);
	}
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		for (j = 0; j < 6; j++)
			ck_assert_ptr_eq(keep(k, names[order[i][j]]),
			    kept[order[i][j]]);
	/* "price" came after "amount"; "pride" and "prise" are not held. */
	keep(k, "amount");
	ck_assert_ptr_null(jkeys_find(k, "pride", 5, &hash));
	keep(k, "price");
	ck_assert_ptr_eq(keep(k, "prize"), kept[3]);
	keep(k, "price");
	ck_assert_ptr_null(jkeys_find(k, "prise", 5, &hash));
	ck_assert_ptr_null(jkeys_find(k, "amoun", 5, &hash));
	ck_assert_ptr_null(jkeys_find(k, "currency_codes", 14, &hash));
	ck_assert_ptr_eq(keep(k, "amount"), kept[0]);
	jkeys_free(k);
}
END_TEST

START_TEST(json_refuses_overlong_surrogate_and_out_of_range_utf8)
{
	static const char *const bad[] = {
		"{\"a\":\"spool/\xc0\xaf..\"}",	/* overlong '/' */
		"{\"a\":\"\xe0\x80\xaf\"}",
		"{\"a\":\"\xf0\x80\x80\xaf\"}",
		"{\"a\":\"\xed\xa0\x80\"}",	/* U+D800 as bytes */
		"{\"a\":\"\xf4\x90\x80\x80\"}",	/* above U+10FFFF */
		"{\"a\":\"\xe2\x82\"}",		/* cut short */
		"{\"a\":\"\\udc00\"}",		/* a lone low surrogate */
		"{\"\xc0\xaf\":1}",
	};
	static const char *const lone[] = {
		"{\"a\":\"x\\ud800y\"}",	/* yajl made it "x?y" */
		"{\"a\":\"\\ud800\\u0041\"}",	/* and this U+10041 */
		"{\"a\":\"\\uDBFF\\uE000\"}",
		"{\"a\\ud83c\":1}",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kerr_clear(&e);
		ck_assert_msg(parse(bad[i]) == KR_BAD_INPUT, "took bad[%zu]",
		    i);
		ck_assert_ptr_nonnull(strstr(e.msg, "invalid UTF-8 in a "));
	}
	ck_assert_str_eq(e.msg, "invalid UTF-8 in a member name");
	for (i = 0; i < sizeof(lone) / sizeof(lone[0]); i++) {
		kerr_clear(&e);
		ck_assert_msg(parse(lone[i]) == KR_BAD_INPUT, "took lone[%zu]",
		    i);
		ck_assert_ptr_nonnull(strstr(e.msg, "lone UTF-16 surrogate"));
	}
	ck_assert_int_eq(parse("{\"a\":\"\\\\ud800\"}"), KR_OK);
	ck_assert_str_eq(jstr(jget(d.root, "a")), "\\ud800");
	ck_assert_int_eq(parse("{\"a\":\"Gr\xc3\xbcn \\u00fc \\ud83c\\udf75 "
	    "\xf4\x8f\xbf\xbf\"}"), KR_OK);
	ck_assert_str_eq(jstr(jget(d.root, "a")),
	    "Gr\xc3\xbcn \xc3\xbc \xf0\x9f\x8d\xb5 \xf4\x8f\xbf\xbf");
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
	/* An envelope's name deeper than its key says is no envelope. */
	s = stream("{\"a\":{\"orders\":[{\"id\":1},{\"id\":2}]}}");
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "");
	s = stream("[{\"orders\":[{\"id\":1},{\"id\":2}]}]");
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "[0]");

	s = stream("[]");
	ck_assert_int_eq(s.n, 0);
	s = stream("{\"orders\":[]}");
	ck_assert_int_eq(s.n, 0);
}
END_TEST

static struct seen
stream_env(const char *text, const char *const *env)
{
	struct seen s;
	FILE *fp = fmemopen((void *)text, strlen(text), "r");

	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(jstream_file(fp, env, collect, &s, &e), KR_OK);
	fclose(fp);
	return s;
}

static int
stream_with(struct jstream *js, const char *text, struct seen *s)
{
	static const char *const env[] = {"orders", NULL};
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	int rc;

	memset(s, 0, sizeof(*s));
	kerr_clear(&e);
	rc = jstream_read(js, fp, env, collect, s, &e);
	fclose(fp);
	return rc;
}

/* One struct jstream reads input after input, each on its own. */
START_TEST(jstream_reads_one_input_after_another)
{
	struct jstream js;
	struct seen s;

	jstream_init(&js);
	ck_assert_int_eq(stream_with(&js, "{\"orders\":[{\"id\":1,"
	    "\"name\":\"a\"},{\"id\":2}]}", &s), KR_OK);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.ids[1], "2");
	ck_assert_int_eq(stream_with(&js, "[{\"name\":\"b\",\"id\":3,"
	    "\"name\":\"c\"}]", &s), KR_BAD_INPUT);
	ck_assert_str_eq(e.msg, "the member \"name\" comes twice in one "
	    "object");
	ck_assert_int_eq(stream_with(&js, "[{\"name\":\"b\",\"id\":4}]",
	    &s), KR_OK);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "[0]");
	ck_assert_str_eq(s.ids[0], "4");
	jstream_release(&js);
}
END_TEST

/* What one read of text handed over, and how it ended. */
struct outcome {
	int rc;
	struct seen s;
	struct kerr e;
};

static int
collect_until_3(void *arg, const struct jnode *elem, const char *path,
    struct kerr *err)
{
	struct seen *s = arg;

	if (s->n == 3)
		return kerr_set(err, KR_STATE, "", "stopped at the fourth");
	return collect(arg, elem, path, err);
}

static struct outcome
stream_both(struct jstream *js, const char *text, int bytes)
{
	static const char *const env[] = {"orders", "orders.elements", NULL};
	struct outcome o;
	FILE *fp;

	memset(&o, 0, sizeof(o));
	kerr_clear(&o.e);
	if (bytes)
		o.rc = jstream_bytes(js, text, strlen(text), env,
		    collect_until_3, &o.s, &o.e);
	else {
		fp = fmemopen((void *)text, strlen(text), "r");
		o.rc = jstream_read(js, fp, env, collect_until_3, &o.s, &o.e);
		fclose(fp);
	}
	return o;
}

/*
 * Input in memory reads as the same input from a FILE: the same
 * elements with the same paths, and the same refusal at the same line,
 * member and byte, at the end of the input too.  One struct jstream
 * takes turns with both.
 */
START_TEST(jstream_bytes_reads_as_jstream_read_does)
{
	static const char *const text[] = {
		"[{\"id\":1},{\"id\":2}]",
		"{\"orders\":{\"page\":1,\"elements\":[{\"id\":7},"
		    "{\"id\":8}]}}",
		"{\"order\":{\"id\":9}}",
		" \n[]\n",
		"",
		"[\n{\"id\":1},\n{\"id\":}\n]",
		"[\n{\"id\":1},\n{\"id\":2}\n",
		"{\"orders\":[\n{},\n{\"n\":\"\xc0\xaf\"}]}",
		"[{\"id\":\"5\\u0000\"}]",
		"[{\"k\":1,\"k\":2}]",
		"{\"s\":[\"\\uD800x\"]}",
		"[{\"t\":\"\\ud83c\\udf75\"}]",
		"[1,2,3,4,5]",
		"[1] [2]",
	};
	struct outcome a, b;
	struct jstream js;
	size_t i;

	jstream_init(&js);
	for (i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		a = stream_both(&js, text[i], 0);
		b = stream_both(&js, text[i], 1);
		ck_assert_msg(a.rc == b.rc, "%s: %d, %d", text[i], a.rc,
		    b.rc);
		ck_assert_int_eq(a.e.line, b.e.line);
		ck_assert_str_eq(a.e.field, b.e.field);
		ck_assert_str_eq(a.e.msg, b.e.msg);
		ck_assert_int_eq(a.s.n, b.s.n);
		ck_assert_mem_eq(&a.s, &b.s, sizeof(a.s));
	}
	/* The cases above do what they say. */
	ck_assert_int_eq(stream_both(&js, text[1], 1).s.n, 2);
	b = stream_both(&js, text[5], 1);
	ck_assert_int_eq(b.rc, KR_BAD_INPUT);
	ck_assert_int_eq(b.e.line, 3);
	ck_assert_str_eq(b.e.field, "[1].id at byte 19");
	b = stream_both(&js, text[6], 1);
	ck_assert_int_eq(b.rc, KR_BAD_INPUT);
	ck_assert_int_eq(b.e.line, 4);
	ck_assert_int_eq(b.s.n, 2);
	b = stream_both(&js, text[12], 1);
	ck_assert_int_eq(b.rc, KR_STATE);
	ck_assert_int_eq(b.s.n, 3);
	jstream_release(&js);
}
END_TEST

START_TEST(jstream_opens_nested_envelopes_by_their_dotted_path)
{
	static const char *const env[] = {
		"orders", "orders.elements", "a.b.c", NULL
	};
	struct seen s;

	/* Shopware's Store API: the list sits one object deeper. */
	s = stream_env("{\"apiAlias\":\"x\",\"orders\":{\"page\":1,"
	    "\"elements\":[{\"id\":7},{\"id\":8}],\"total\":2}}", env);
	ck_assert_int_eq(s.n, 2);
	ck_assert_str_eq(s.paths[0], "orders.elements[0]");
	ck_assert_str_eq(s.paths[1], "orders.elements[1]");
	ck_assert_str_eq(s.ids[1], "8");

	s = stream_env("{\"a\":{\"b\":{\"c\":[{\"id\":1}]}}}", env);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "a.b.c[0]");

	/* A path that only begins like an envelope is no envelope: the
	 * document comes whole. */
	s = stream_env("{\"a\":{\"b\":[{\"id\":1}]}}", env);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "");
	s = stream_env("{\"x\":{\"elements\":[{\"id\":1}]}}", env);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "");
	s = stream_env("{\"orders\":{\"elements\":{\"id\":1}}}", env);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "");
	/* A name is the whole part between dots, no more, no less. */
	s = stream_env("{\"orders.elements\":[{\"id\":1},{\"id\":2}]}",
	    env);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "");
	s = stream_env("{\"order\":[{\"id\":1},{\"id\":2}]}", env);
	ck_assert_int_eq(s.n, 1);
	s = stream_env("{\"orderss\":[{\"id\":1},{\"id\":2}]}", env);
	ck_assert_int_eq(s.n, 1);
	s = stream_env("{\"orders\":{\"element\":[{\"id\":1},{\"id\":2}]}}",
	    env);
	ck_assert_int_eq(s.n, 1);
	s = stream_env("{\"a\":{\"b.c\":[{\"id\":1},{\"id\":2}]}}", env);
	ck_assert_int_eq(s.n, 1);
	/* "elements" inside an array of "orders" is not the path either. */
	s = stream_env("{\"a\":[{\"b\":{\"c\":[1,2]}}]}", env);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "");

	/* A top-level envelope keeps its short path. */
	s = stream_env("{\"orders\":[{\"id\":3}]}", env);
	ck_assert_int_eq(s.n, 1);
	ck_assert_str_eq(s.paths[0], "orders[0]");
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
	/* The value of "id" in the second element: '}' is byte 18. */
	ck_assert_str_eq(e.field, "[1].id at byte 19");
	ck_assert_int_eq(s.n, 1);
	fclose(fp);
}
END_TEST

/*
 * A refusal names the member being read, from the containers that are
 * open where the parse stopped: array elements by index, members by
 * name, down to the value; between two members of an object, the
 * object.  At the top there is only the byte.
 */
START_TEST(json_errors_name_the_path_of_the_value)
{
	static const struct {
		const char *text;
		const char *field;
		const char *msg;
	} c[] = {
		{ "{\"order\":{\"line_items\":[{\"price\":\"1\"},"
		  "{\"price\":1 \"qty\":2}]}}", "order.line_items[1] at byte ",
		  "malformed JSON: " },
		{ "{\"a\":[0,1,{\"b\":tru}]}", "a[2].b at byte ",
		  "malformed JSON: " },
		{ "{\"a\":[1,2 3]}", "a[2] at byte ", "malformed JSON: " },
		{ "{\"a\":{\"b\":\"x\\u0001\"}}", "a.b at byte ",
		  "a string with the character U+0001" },
		{ "{\"a\":[{\"n\":\"\xc0\xaf\"}]}", "a[0].n at byte ",
		  "invalid UTF-8 in a string" },
		{ "[{\"id\":\"5\\u0000\"}]", "[0].id at byte ",
		  "a string with a NUL character" },
		{ "{\"a\":[{\"k\":1,\"j\":[],\"k\":2}]}", "a[0].k at byte ",
		  "the member \"k\" comes twice in one object" },
		{ "{\"s\":[\"\\uD800x\"]}", "s[0] at byte ",
		  "a string with a lone UTF-16 surrogate" },
		{ "{\"a\":1,}", "byte ", "malformed JSON: " },
		{ "[1,", "[1] at byte ", "malformed JSON: " },
	};
	size_t i;

	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		kerr_clear(&e);
		ck_assert_int_eq(parse(c[i].text), KR_BAD_INPUT);
		ck_assert_msg(strncmp(e.field, c[i].field,
		    strlen(c[i].field)) == 0, "%s: field \"%s\"", c[i].text,
		    e.field);
		ck_assert_msg(strncmp(e.msg, c[i].msg, strlen(c[i].msg)) == 0,
		    "%s: message \"%s\"", c[i].text, e.msg);
	}
}
END_TEST

/*
 * A path too long for a message keeps its end, where the value is, and
 * the byte after it.
 */
START_TEST(json_error_path_keeps_its_end)
{
	char text[2048];
	size_t n = 0;
	int i;

	for (i = 0; i < 40; i++)
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		    "{\"member%02d\":", i);
	n += (size_t)snprintf(text + n, sizeof(text) - n, "nul");
	for (i = 0; i < 40; i++)
		text[n++] = '}';
	text[n] = '\0';
	ck_assert_int_eq(parse(text), KR_BAD_INPUT);
	ck_assert_msg(strncmp(e.field, "...", 3) == 0, "%s", e.field);
	ck_assert_ptr_nonnull(strstr(e.field,
	    "member38.member39 at byte "));
	ck_assert_uint_lt(strlen(e.field), 120);
}
END_TEST

/* s, with the byte at "at" one that JSON escapes, written and read back. */
static void
check_odd_at(struct buf *b, const char *s, size_t at)
{
	char want[64];
	struct jw w;

	buf_reset(b);
	jw_init(&w, b);
	jw_arr(&w);
	jw_str(&w, s);
	jw_arr_end(&w);
	ck_assert_int_eq(jw_status(&w), KR_OK);
	snprintf(want, sizeof(want), "[\"%.*s%s%s\"]", (int)at, s,
	    s[at] == '"' ? "\\\"" : s[at] == '\\' ? "\\\\" :
	    s[at] == '\n' ? "\\n" : "\x7f", s + at + 1);
	ck_assert_str_eq(b->data, want);
	ck_assert_int_eq(parse(b->data), KR_OK);
	ck_assert_str_eq(jstr(jat(d.root, 0)), s);
}

/*
 * Text is written as it is only when no byte of it needs escaping: a
 * quotation mark, backslash, control or non-ASCII byte at any place of
 * any length is escaped, and what is written reads back the same.
 * Also after a non-ASCII character, which sends the text through the
 * escaping that passes over eight bytes at a time.
 */
START_TEST(jw_escapes_an_odd_byte_at_every_place)
{
	static const char odd[] = { '"', '\\', '\n', '\x7f' };
	static const char *const lead[] = { "", "\xc3\xa4" };
	char s[21];
	struct buf b;
	size_t n, at, i, k, nl;

	buf_init(&b, 0);
	for (k = 0; k < 2; k++) {
		nl = strlen(lead[k]);
		for (n = nl + 1; n < sizeof(s); n++) {
			for (at = nl; at < n; at++) {
				for (i = 0; i < sizeof(odd); i++) {
					memset(s, 'a', n);
					memcpy(s, lead[k], nl);
					s[n] = '\0';
					s[at] = odd[i];
					check_odd_at(&b, s, at);
				}
			}
		}
	}
	buf_release(&b);
}
END_TEST

/*
 * A record written into a buffer of every cap up to its length: the
 * writer fails with KR_TOO_BIG and stays within the cap until the
 * whole record fits, and then writes it as without a cap.
 */
static void
write_capped(struct buf *b, struct jw *w)
{
	jw_init(w, b);
	jw_obj(w);
	jw_kv_str(w, "number", "RE-2026-00000001");
	jw_kv_dec(w, "gross", 2399, 2);
	jw_key_lit(w, "lines");
	jw_arr(w);
	jw_obj(w);
	jw_kv_str(w, "name", "Tee \"Berlin\" ä");
	jw_kv_dec(w, "rate", -19, 0);
	jw_obj_end(w);
	jw_arr_end(w);
	jw_key_lit(w, "paid");
	jw_bool(w, 1);
	jw_obj_end(w);
}

START_TEST(jw_stays_within_the_cap_of_its_buffer)
{
	struct buf b;
	struct jw w;
	char *full;
	size_t cap, n;

	buf_init(&b, 0);
	write_capped(&b, &w);
	ck_assert_int_eq(jw_status(&w), KR_OK);
	full = buf_take(&b, &n);
	for (cap = 1; cap <= n + 1; cap++) {
		buf_init(&b, cap);
		write_capped(&b, &w);
		ck_assert_uint_le(b.len, cap);
		if (cap < n) {
			ck_assert_int_eq(jw_status(&w), KR_TOO_BIG);
		} else {
			ck_assert_int_eq(jw_status(&w), KR_OK);
			ck_assert_str_eq(b.data, full);
		}
		buf_release(&b);
	}
	free(full);
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
	/* The reader takes no character an invoice cannot carry. */
	ck_assert_int_eq(parse(b.data), KR_BAD_INPUT);
	b.data[strlen("{\"t\":\"a\\\"b\\\\c\\nd\\te\\u000")] = '9';
	ck_assert_int_eq(parse(b.data), KR_OK);
	ck_assert_str_eq(jstr(jget(d.root, "t")),
	    "a\"b\\c\nd\te\tf „Łódź“");
	buf_release(&b);
}
END_TEST

static int
stream_count(void *arg, const struct jnode *elem, const char *path,
    struct kerr *err)
{
	(void)elem;
	(void)path;
	(void)err;
	(*(int *)arg)++;
	return KR_OK;
}

START_TEST(jstream_refuses_nul_and_invalid_utf8_with_their_line)
{
	static const char nul[] = "[{\"id\":1},\n{\"id\":\"5\\u0000\"}]";
	static const char bad[] = "{\"orders\":[\n{},\n{\"n\":\"\xc0\xaf\"}]}";
	const char *const keys[] = {"orders", NULL};
	FILE *fp;
	int n = 0;

	fp = fmemopen((void *)nul, sizeof(nul) - 1, "r");
	ck_assert_int_eq(jstream_file(fp, keys, stream_count, &n, &e),
	    KR_BAD_INPUT);
	fclose(fp);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(e.line, 2);
	ck_assert_str_eq(e.msg, "a string with a NUL character (\\u0000)");
	ck_assert_ptr_eq(strstr(e.field, "[1].id at byte "), e.field);

	kerr_clear(&e);
	n = 0;
	fp = fmemopen((void *)bad, sizeof(bad) - 1, "r");
	ck_assert_int_eq(jstream_file(fp, keys, stream_count, &n, &e),
	    KR_BAD_INPUT);
	fclose(fp);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(e.line, 3);
	ck_assert_str_eq(e.msg, "invalid UTF-8 in a string");
	ck_assert_ptr_eq(strstr(e.field, "orders[1].n at byte "), e.field);
}
END_TEST

/* Element names of the one element of a stream, for the next test. */
static int
stream_keep(void *arg, const struct jnode *elem, const char *path,
    struct kerr *err)
{
	(void)path;
	(void)err;
	snprintf(arg, 16, "%s", jstr(jget(elem, "t")));
	return KR_OK;
}

START_TEST(jstream_reads_a_surrogate_pair_split_between_reads)
{
	static const char rec[] = "[{\"t\":\"\\ud83c\\udf75\"}]";
	char *text = malloc(65536 + sizeof(rec));
	size_t pad;
	char got[16];

	/* White space first, so the pair's escapes cross a 64 KiB read. */
	for (pad = 65520; pad < 65536; pad++) {
		FILE *fp;

		memset(text, ' ', pad);
		memcpy(text + pad, rec, sizeof(rec) - 1);
		fp = fmemopen(text, pad + sizeof(rec) - 1, "r");
		got[0] = '\0';
		kerr_clear(&e);
		ck_assert_int_eq(jstream_file(fp, NULL, stream_keep, got, &e),
		    KR_OK);
		ck_assert_str_eq(got, "\xf0\x9f\x8d\xb5");
		fclose(fp);
	}
	free(text);
}
END_TEST

/*
 * Member names from JW_LKEY carry their comma: the record is the one
 * jw_key writes, first member, later ones, nested and after NULL.
 */
START_TEST(jw_literal_names_write_what_jw_key_writes)
{
	struct buf a, b;
	struct jw w;

	buf_init(&a, 0);
	buf_init(&b, 0);
	jw_init(&w, &a);
	jw_obj(&w);
	jw_kv_str(&w, "none", NULL);
	jw_kv_str(&w, "a", "1");
	jw_key_lit(&w, "o");
	jw_obj(&w);
	jw_kv_dec(&w, "d", -5, 2);
	jw_kv_int(&w, "i", 42);
	jw_obj_end(&w);
	jw_key_lit(&w, "l");
	jw_arr(&w);
	jw_obj(&w);
	jw_kv_bool(&w, "b", 1);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_kv_str(&w, "z", "");
	jw_obj_end(&w);
	ck_assert_int_eq(jw_status(&w), KR_OK);

	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "a");
	jw_str(&w, "1");
	jw_key(&w, "o");
	jw_obj(&w);
	jw_key(&w, "d");
	jw_dec(&w, -5, 2);
	jw_key(&w, "i");
	jw_int(&w, 42);
	jw_obj_end(&w);
	jw_key(&w, "l");
	jw_arr(&w);
	jw_obj(&w);
	jw_key(&w, "b");
	jw_bool(&w, 1);
	jw_obj_end(&w);
	jw_arr_end(&w);
	jw_key(&w, "z");
	jw_str(&w, "");
	jw_obj_end(&w);
	ck_assert_int_eq(jw_status(&w), KR_OK);
	ck_assert_str_eq(a.data, b.data);
	ck_assert_str_eq(a.data, "{\"a\":\"1\",\"o\":{\"d\":\"-0.05\","
	    "\"i\":\"42\"},\"l\":[{\"b\":true}],\"z\":\"\"}");
	buf_release(&a);
	buf_release(&b);
}
END_TEST

START_TEST(jw_refuses_invalid_utf8_and_nul_and_stays_valid_json)
{
	static const char *const bad[] = {
		"\xc0\xaf", "\xed\xa0\x80", "x\xff", "\xe2\x82",
	};
	struct buf b;
	struct jw w;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&b);
		jw_init(&w, &b);
		jw_obj(&w);
		jw_kv_str(&w, "name", bad[i]);
		jw_kv_str(&w, "after", "ok");
		jw_obj_end(&w);
		ck_assert_int_eq(jw_status(&w), KR_BAD_INPUT);
		ck_assert_str_eq(b.data, "{\"name\":\"\",\"after\":\"ok\"}");
	}

	buf_reset(&b);
	jw_init(&w, &b);
	jw_arr(&w);
	jw_strn(&w, "a\0b", 3);
	jw_arr_end(&w);
	ck_assert_int_eq(jw_status(&w), KR_BAD_INPUT);
	ck_assert_int_eq(parse(b.data), KR_OK);

	buf_reset(&b);
	jw_init(&w, &b);
	jw_obj(&w);
	jw_key(&w, "k\xc0\xaf");
	jw_str(&w, "v");
	jw_obj_end(&w);
	ck_assert_int_eq(jw_status(&w), KR_BAD_INPUT);
	ck_assert_int_eq(parse(b.data), KR_OK);
	buf_release(&b);
}
END_TEST

START_TEST(rec_end_fails_and_writes_nothing_for_invalid_utf8)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	struct rec_out out;
	struct jw *w;

	rec_out_init(&out, mem);
	w = rec_begin(&out, "order");
	jw_kv_str(w, "source", "spool/shop-de/\xff\xfe.json");
	ck_assert_int_eq(rec_end(&out), KR_BAD_INPUT);
	w = rec_begin(&out, "order");
	jw_kv_str(w, "order_id", "4711");
	ck_assert_int_eq(rec_end(&out), KR_OK);
	rec_out_release(&out);
	fclose(mem);
	ck_assert_str_eq(text, "{\"type\":\"order\",\"v\":\"1.0\","
	    "\"order_id\":\"4711\"}\n");
	free(text);
}
END_TEST

/* One order record of 121 bytes with its newline. */
static void
put_record(struct rec_out *out)
{
	jw_kv_str(rec_begin(out, "order"), "order_id",
	    "0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789");
	ck_assert_int_eq(rec_end(out), KR_OK);
}

/* What the pipe holds, read to its end. */
static size_t
drain(int fd)
{
	char got[4096];
	size_t total = 0;
	ssize_t n;

	while ((n = read(fd, got, sizeof(got))) > 0)
		total += (size_t)n;
	ck_assert_int_eq(errno, EAGAIN);
	return total;
}

/*
 * Records on standard output to a pipe wait for 64 KiB: 20 KB of them
 * are still held where stdio's own 4 KiB would have let most go.  Check
 * runs each test in a process of its own, so stdout may be changed;
 * having written there before, it may let the first record go at once.
 */
START_TEST(records_to_a_pipe_leave_in_large_pieces)
{
	struct rec_out out;
	int fd[2], i;

	ck_assert_int_eq(pipe(fd), 0);
	ck_assert_int_ne(fcntl(fd[0], F_SETFL, O_NONBLOCK), -1);
	ck_assert_int_ne(dup2(fd[1], STDOUT_FILENO), -1);
	rec_out_init(&out, stdout);
	put_record(&out);
	ck_assert_int_eq(fflush(stdout), 0);
	ck_assert_uint_eq(drain(fd[0]), 121);
	for (i = 0; i < 200; i++)
		put_record(&out);
	ck_assert_uint_eq(drain(fd[0]), 0);
	ck_assert_int_eq(fflush(stdout), 0);
	ck_assert_uint_eq(drain(fd[0]), 200 * 121);
	rec_out_release(&out);
}

START_TEST(invoice_to_json_fails_for_invalid_utf8)
{
	struct invoice inv;
	struct buf b;

	invoice_init(&inv);
	inv.number = "RE-2026-000001";
	inv.mode = 'G';
	memcpy(inv.currency, "EUR", 4);
	inv.exponent = 2;
	inv.buyer.name = "Lukas B\xc3\xa4umer";
	buf_init(&b, 0);
	ck_assert_int_eq(invoice_to_json(&inv, &b), KR_OK);
	ck_assert_int_eq(parse(b.data), KR_OK);

	buf_reset(&b);
	inv.buyer.name = "Lukas B\xe4umer";	/* Latin-1 */
	ck_assert_int_eq(invoice_to_json(&inv, &b), KR_BAD_INPUT);
	buf_release(&b);
	invoice_release(&inv);
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
	/* The empty line is a bad record too, with its line. */
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_int_eq(e.line, 3);
	ck_assert_ptr_nonnull(strstr(e.msg, "an empty line"));
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

/*
 * A stream pretty-printed over many lines (jq without -c) is named as
 * such at each line that only opens a value, and a line that is not
 * JSON keeps yajl's message.
 */
START_TEST(record_reader_names_a_pretty_printed_stream)
{
	const char *text = "{\n  \"type\": \"run\",\n}\n [ \r\n{{\n";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct rec_in in;
	struct rec r;

	rec_in_init(&in, fp, "-");
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_int_eq(e.line, 1);
	ck_assert_ptr_nonnull(strstr(e.msg, "not pretty-printed"));
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_ptr_null(strstr(e.msg, "not pretty-printed"));
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_ptr_null(strstr(e.msg, "not pretty-printed"));
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_int_eq(e.line, 4);
	ck_assert_ptr_nonnull(strstr(e.msg, "not pretty-printed"));
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_BAD_INPUT);
	ck_assert_ptr_null(strstr(e.msg, "not pretty-printed"));
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_NOT_FOUND);
	rec_in_release(&in);
	fclose(fp);
}
END_TEST

static void
count_read(void *arg)
{
	(*(int *)arg)++;
}

/*
 * The reader says before each read of its stream, not before each
 * record: the records of one read come without another call, and the
 * end of the input is one more read.
 */
START_TEST(record_reader_says_before_each_read)
{
	const char *text = "{\"type\":\"run\",\"v\":\"1.0\"}\n"
	    "{\"type\":\"order\",\"v\":\"1.0\"}\n";
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	struct rec_in in;
	struct rec r;
	int reads = 0;

	rec_in_init(&in, fp, "-");
	rec_in_on_read(&in, count_read, &reads);
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_OK);
	ck_assert_int_eq(reads, 1);
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_OK);
	ck_assert_str_eq(r.type, "order");
	ck_assert_int_eq(reads, 1);
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_NOT_FOUND);
	ck_assert_int_eq(reads, 2);
	ck_assert_int_eq(rec_next(&in, &r, &e), KR_NOT_FOUND);
	ck_assert_int_eq(reads, 2);
	rec_in_release(&in);
	fclose(fp);
}
END_TEST

/*
 * jget finds a member by its whole name, whatever start or length it
 * shares with others.
 */
START_TEST(jget_tells_names_apart_by_every_byte)
{
	char text[2400], a[300], b[300], *p = text;

	memset(a, 'k', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	b[280] = 'x';
	p += sprintf(p, "{\"\":\"empty\",\"a\":\"1\",\"ab\":\"2\","
	    "\"abc\":\"3\",\"abd\":\"4\",\"net\":\"5\",\"ne\":\"6\","
	    "\"%s\":\"long a\",\"%s\":\"long b\","
	    "\"%.254s\":\"254\",\"%.255s\":\"255\"}", a, b, a, a);
	ck_assert_int_eq(parse(text), KR_OK);
	ck_assert_str_eq(jstr(jget(d.root, "")), "empty");
	ck_assert_str_eq(jstr(jget(d.root, "a")), "1");
	ck_assert_str_eq(jstr(jget(d.root, "ab")), "2");
	ck_assert_str_eq(jstr(jget(d.root, "abc")), "3");
	ck_assert_str_eq(jstr(jget(d.root, "abd")), "4");
	ck_assert_str_eq(jstr(jget(d.root, "ne")), "6");
	ck_assert_str_eq(jstr(jget(d.root, "net")), "5");
	ck_assert_ptr_null(jget(d.root, "abe"));
	ck_assert_ptr_null(jget(d.root, "n"));
	ck_assert_ptr_null(jget(d.root, "nets"));
	ck_assert_str_eq(jstr(jget(d.root, a)), "long a");
	ck_assert_str_eq(jstr(jget(d.root, b)), "long b");
	a[254] = '\0';
	ck_assert_str_eq(jstr(jget(d.root, a)), "254");
	a[254] = 'k';
	a[255] = '\0';
	ck_assert_str_eq(jstr(jget(d.root, a)), "255");
	a[255] = 'k';
	a[256] = '\0';
	ck_assert_ptr_null(jget(d.root, a));
}
END_TEST

/*
 * jf_dec_has reads an optional amount and says, as jf_has would,
 * whether it is there: not when missing or null, and yes when it is
 * there but no amount.
 */
START_TEST(jf_dec_has_says_what_jf_has_says)
{
	struct kerr err;
	int64_t v = -1;
	int has = -1;

	ck_assert_int_eq(parse("{\"a\":\"1.50\",\"n\":null,"
	    "\"x\":\"abc\"}"), KR_OK);
	ck_assert_int_eq(jf_dec_has(d.root, "a", 2, &has, &v, "", &err),
	    KR_OK);
	ck_assert_int_eq(has, jf_has(d.root, "a"));
	ck_assert_int_eq(v, 150);
	v = -1;
	ck_assert_int_eq(jf_dec_has(d.root, "n", 2, &has, &v, "", &err),
	    KR_OK);
	ck_assert_int_eq(has, 0);
	ck_assert_int_eq(v, -1);
	has = -1;
	ck_assert_int_eq(jf_dec_has(d.root, "m", 2, &has, &v, "", &err),
	    KR_OK);
	ck_assert_int_eq(has, 0);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(jf_dec_has(d.root, "x", 2, &has, &v, "o", &err),
	    KR_BAD_INPUT);
	ck_assert_int_eq(has, 1);
	ck_assert_str_eq(err.field, "o.x");
}
END_TEST

/* Field paths read "ctx.key[i]" and are cut where their buffer ends. */
START_TEST(jf_path_joins_names_and_indexes_and_cuts_at_the_end)
{
	char path[KERR_FIELD_MAX], want[KERR_FIELD_MAX], big[300];
	size_t size;

	jf_path(path, sizeof(path), "", "total");
	ck_assert_str_eq(path, "total");
	jf_path(path, sizeof(path), NULL, "total");
	ck_assert_str_eq(path, "total");
	jf_path(path, sizeof(path), "lines[2]", "tax_rate");
	ck_assert_str_eq(path, "lines[2].tax_rate");
	jf_path_index(path, sizeof(path), "", "lines", 0);
	ck_assert_str_eq(path, "lines[0]");
	jf_path_index(path, sizeof(path), "order", "refunds", 4711);
	ck_assert_str_eq(path, "order.refunds[4711]");
	for (size = 1; size <= sizeof("order.refunds[4711]"); size++) {
		jf_path_index(path, size, "order", "refunds", 4711);
		snprintf(want, size, "%s", "order.refunds[4711]");
		ck_assert_str_eq(path, want);
	}
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	jf_path_index(path, sizeof(path), big, "lines", 7);
	ck_assert_uint_eq(strlen(path), sizeof(path) - 1);
	ck_assert_int_eq(path[sizeof(path) - 2], 'x');
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
	tcase_add_test(tc, json_refuses_characters_no_invoice_can_carry);
	tcase_add_test(tc, json_refuses_a_member_name_twice_in_one_object);
	tcase_add_test(tc, json_finds_a_name_twice_only_in_its_own_object);
	tcase_add_test(tc, json_finds_a_name_twice_beyond_the_names_it_keeps);
	tcase_add_test(tc, jkeys_finds_each_name_whatever_came_before);
	tcase_add_test(tc,
	    json_refuses_a_nul_character_in_strings_and_member_names);
	tcase_add_test(tc,
	    json_refuses_overlong_surrogate_and_out_of_range_utf8);
	tcase_add_test(tc, json_refuses_truncated_and_trailing_input);
	tcase_add_test(tc, json_refuses_nesting_beyond_the_limit);
	tcase_add_test(tc, jstream_hands_over_each_element_of_a_list);
	tcase_add_test(tc,
	    jstream_opens_nested_envelopes_by_their_dotted_path);
	tcase_add_test(tc, jstream_reports_the_line_of_a_syntax_error);
	tcase_add_test(tc, jstream_reads_one_input_after_another);
	tcase_add_test(tc, jstream_bytes_reads_as_jstream_read_does);
	tcase_add_test(tc, json_errors_name_the_path_of_the_value);
	tcase_add_test(tc, json_error_path_keeps_its_end);
	tcase_add_test(tc,
	    jstream_refuses_nul_and_invalid_utf8_with_their_line);
	tcase_add_test(tc,
	    jstream_reads_a_surrogate_pair_split_between_reads);
	tcase_add_test(tc, jw_escapes_what_json_needs);
	tcase_add_test(tc, jw_stays_within_the_cap_of_its_buffer);
	tcase_add_test(tc, jw_literal_names_write_what_jw_key_writes);
	tcase_add_test(tc, jw_escapes_an_odd_byte_at_every_place);
	tcase_add_test(tc,
	    jw_refuses_invalid_utf8_and_nul_and_stays_valid_json);
	tcase_add_test(tc, rec_end_fails_and_writes_nothing_for_invalid_utf8);
	tcase_add_test(tc, invoice_to_json_fails_for_invalid_utf8);
	tcase_add_test(tc, record_reader_skips_bad_lines_and_goes_on);
	tcase_add_test(tc, record_reader_names_a_pretty_printed_stream);
	tcase_add_test(tc, record_reader_says_before_each_read);
	tcase_add_test(tc,
	    jf_path_joins_names_and_indexes_and_cuts_at_the_end);
	tcase_add_test(tc, jget_tells_names_apart_by_every_byte);
	tcase_add_test(tc, records_to_a_pipe_leave_in_large_pieces);
	tcase_add_test(tc, jf_dec_has_says_what_jf_has_says);
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

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlsave.h>

#include "cii.h"
#include "einv_test.h"
#include "ubl.h"
#include "xmlw.h"

/*
 * xmlw serializes its trees itself, promising the bytes libxml2's
 * xmlsave writes for them (UTF-8, XML_SAVE_FORMAT).  Here xmlsave is
 * the reference: every document is compared with what xmlsave makes of
 * the very tree xmlw_finish hands back, built in xmlw's arena.
 */

/* The text xmlsave writes for doc, as xmlw did before it wrote its own. */
static char *
xmlsave_text(xmlDoc *doc)
{
	xmlBuffer *xb = xmlBufferCreate();
	xmlSaveCtxt *sc;
	char *s;

	ck_assert_ptr_nonnull(xb);
	sc = xmlSaveToBuffer(xb, "UTF-8", XML_SAVE_FORMAT);
	ck_assert_ptr_nonnull(sc);
	ck_assert_int_ge(xmlSaveDoc(sc, doc), 0);
	ck_assert_int_ge(xmlSaveClose(sc), 0);
	s = strdup((const char *)xmlBufferContent(xb));
	ck_assert_ptr_nonnull(s);
	xmlBufferFree(xb);
	return s;
}

/* Names the first byte where got differs from want. */
static void
assert_same_text(const char *got, const char *want)
{
	size_t i;

	for (i = 0; got[i] != '\0' && got[i] == want[i]; i++)
		continue;
	ck_assert_msg(got[i] == want[i], "byte %zu differs: \"%.40s\" "
	    "where xmlsave wrote \"%.40s\"", i, got + i, want + i);
}

/* Finishes x and compares its text with xmlsave's of the same tree. */
static void
assert_as_xmlsave(struct xmlw *x, struct xmlw_tree *t)
{
	struct buf out;
	char *want;

	buf_init(&out, 0);
	ck_assert_int_eq(xmlw_finish(x, &out), KR_OK);
	want = xmlsave_text(t->doc);
	assert_same_text(out.data, want);
	ck_assert_uint_eq(out.len, strlen(want));
	free(want);
	buf_release(&out);
	xmlw_tree_release(t);
}

static void
begin(struct xmlw *x, struct xmlw_tree *t, struct kerr *e)
{
	kerr_clear(e);
	xmlw_tree_init(t);
	ck_assert_int_eq(xmlw_begin(x, t, e), KR_OK);
	xmlw_start(x, "r:Doc");
	xmlw_attr(x, "xmlns:r", "urn:example:root");
	xmlw_attr(x, "xmlns", "urn:example:default");
	xmlw_attr(x, "version", "1 < 2 & \"3\" > 'x'");
}

START_TEST(xmlw_escapes_text_and_attributes_as_xmlsave_does)
{
	static const char *const texts[] = {
		"<>&\"'", "a\tb", "line\nbreak", "cr\rlf\r\n", "  padded  ",
		"Grüner Tee „Łódź“ 日本 \xf0\x9f\x8d\xb5",
		"]]>", "&amp;",
		"&#13;", "\xef\xbf\xbd", "?>", "=\"x\"", "\t\n<tail"
	};
	struct xmlw_tree t;
	struct xmlw x;
	struct kerr e;
	size_t i;

	begin(&x, &t, &e);
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		xmlw_text(&x, "r:Text", texts[i]);
		xmlw_text(&x, "Plain", texts[i]);
		xmlw_text_attr(&x, "r:Amount", "1.00", "currencyID",
		    texts[i]);
		xmlw_start(&x, "r:Group");
		xmlw_attr(&x, "a", texts[i]);
		xmlw_attr(&x, "b", "plain");
		xmlw_text_attr(&x, "r:Inner", texts[i], "c", texts[i]);
		xmlw_end(&x);
	}
	xmlw_end(&x);
	assert_as_xmlsave(&x, &t);
}
END_TEST

START_TEST(xmlw_indents_and_closes_empty_elements_as_xmlsave_does)
{
	struct xmlw_tree t;
	struct xmlw x;
	struct kerr e;
	int i;

	begin(&x, &t, &e);
	xmlw_start(&x, "r:Empty");
	xmlw_end(&x);
	xmlw_start(&x, "Empty");
	xmlw_attr(&x, "only", "an attribute");
	xmlw_end(&x);
	/* deeper than the 30 levels xmlsave indents */
	for (i = 0; i < 40; i++) {
		xmlw_start(&x, i % 2 ? "r:Deep" : "Deep");
		xmlw_text(&x, "r:Level", "x");
	}
	xmlw_start(&x, "r:Bottom");
	xmlw_end(&x);
	for (i = 0; i < 40; i++)
		xmlw_end(&x);
	xmlw_end(&x);
	assert_as_xmlsave(&x, &t);
}
END_TEST

START_TEST(xmlw_keeps_more_element_names_than_it_remembers)
{
	/*
	 * More names than xmlw looks up once a document, so that some
	 * share a slot, each used three times, with and without prefix;
	 * the names are kept, not copied, so they stay as they are.
	 */
	enum { N = 2 * XMLW_NAMES + 7 };
	static char names[N][16];
	struct xmlw_tree t;
	struct xmlw x;
	struct kerr e;
	size_t i, round;

	for (i = 0; i < N; i++)
		snprintf(names[i], sizeof(names[i]), "%sName%zu",
		    i % 3 == 0 ? "" : "r:", i);
	begin(&x, &t, &e);
	for (round = 0; round < 3; round++)
		for (i = 0; i < N; i++) {
			if (round == 1) {
				xmlw_start(&x, names[i]);
				xmlw_text_attr(&x, names[N - 1 - i], "in",
				    "n", names[i]);
				xmlw_end(&x);
			} else {
				xmlw_text(&x, names[i], names[i]);
			}
		}
	xmlw_end(&x);
	assert_as_xmlsave(&x, &t);
}
END_TEST

/* A document of some 3 KB, the same each time. */
static void
some_document(struct xmlw *x, struct xmlw_tree *t, struct kerr *e)
{
	int i;

	begin(x, t, e);
	for (i = 0; i < 60; i++) {
		xmlw_start(x, "r:Group");
		xmlw_text(x, "r:Text", "text & more text, some of it < 1");
		xmlw_end(x);
	}
	xmlw_end(x);
}

START_TEST(xmlw_fills_its_buffer_to_the_cap_and_no_further)
{
	struct xmlw_tree t;
	struct xmlw x;
	struct kerr e;
	struct buf out;
	size_t len;
	char *want;

	/* appended to what the buffer holds */
	some_document(&x, &t, &e);
	buf_init(&out, 0);
	ck_assert_int_eq(buf_adds(&out, "kept"), KR_OK);
	ck_assert_int_eq(xmlw_finish(&x, &out), KR_OK);
	want = xmlsave_text(t.doc);
	len = strlen(want);
	ck_assert_int_eq(strncmp(out.data, "kept", 4), 0);
	assert_same_text(out.data + 4, want);
	ck_assert_uint_eq(out.len, 4 + len);
	free(want);
	buf_release(&out);
	xmlw_tree_release(&t);

	/* exactly as large as the cap allows */
	some_document(&x, &t, &e);
	buf_init(&out, len);
	ck_assert_int_eq(xmlw_finish(&x, &out), KR_OK);
	ck_assert_uint_eq(out.len, len);
	ck_assert_uint_eq(strlen(out.data), len);
	buf_release(&out);
	xmlw_tree_release(&t);

	/* a byte over it */
	some_document(&x, &t, &e);
	buf_init(&out, len - 1);
	ck_assert_int_eq(xmlw_finish(&x, &out), KR_TOO_BIG);
	ck_assert_uint_le(out.len, len - 1);
	buf_release(&out);
	xmlw_tree_release(&t);
}
END_TEST

START_TEST(xmlw_writes_the_test_invoices_as_xmlsave_does)
{
	static const char *const cases[] = {
		"coupon-1042", "credit-1043", "b2b-transfer"
	};
	static const struct {
		enum einv_syntax s;
		enum einv_profile p;
	} docs[] = {
		{EINV_UBL, EINV_XRECHNUNG}, {EINV_UBL, EINV_EN16931},
		{EINV_CII, EINV_XRECHNUNG}, {EINV_CII, EINV_ZUGFERD_EN16931},
		{EINV_CII, EINV_ZUGFERD_BASIC},
		{EINV_CII, EINV_ZUGFERD_EXTENDED}
	};
	struct einv_case c;
	struct xmlw_tree tree;
	struct kerr e;
	size_t i, j;
	char *want;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		for (j = 0; j < sizeof(docs) / sizeof(docs[0]); j++) {
			einv_case_load(&c, cases[i]);
			kerr_clear(&e);
			xmlw_tree_init(&tree);
			if (docs[j].s == EINV_UBL)
				rc = ubl_write(&c.inv, docs[j].p, &c.out,
				    &tree, &e);
			else
				rc = cii_write(&c.inv, docs[j].p, &c.out,
				    &tree, &e);
			ck_assert_msg(rc == KR_OK, "%s: %s", e.field, e.msg);
			want = xmlsave_text(tree.doc);
			assert_same_text(c.out.data, want);
			free(want);
			xmlw_tree_release(&tree);
			einv_case_release(&c);
		}
}
END_TEST

static Suite *
xmlw_suite(void)
{
	Suite *s = suite_create("xmlw");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, xmlw_escapes_text_and_attributes_as_xmlsave_does);
	tcase_add_test(tc,
	    xmlw_indents_and_closes_empty_elements_as_xmlsave_does);
	tcase_add_test(tc, xmlw_keeps_more_element_names_than_it_remembers);
	tcase_add_test(tc, xmlw_fills_its_buffer_to_the_cap_and_no_further);
	tcase_add_test(tc, xmlw_writes_the_test_invoices_as_xmlsave_does);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(xmlw_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

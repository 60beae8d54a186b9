#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "einvoice_check.h"
#include "err.h"
#include "testdir.h"

/*
 * Hostile XML: the e-invoice checker refuses, with a clear message and in
 * bounded memory, what could make libxml2 load files, go on the network
 * or blow up: DOCTYPEs (billion laughs, external entities), oversized
 * documents and texts, bytes that are not UTF-8.  Where memory matters,
 * the check runs in a child process whose peak resident set is measured.
 */

#define UBL_OPEN "<Invoice xmlns=\"urn:oasis:names:specification:ubl:" \
	"schema:xsd:Invoice-2\" xmlns:cbc=\"urn:oasis:names:specification:" \
	"ubl:schema:xsd:CommonBasicComponents-2\">"
#define UBL_CLOSE "</Invoice>"

static struct kerr err;

static int
check_text(const char *xml, size_t len)
{
	kerr_clear(&err);
	return einvoice_check_doc(xml, len, EINV_UBL, EINV_XRECHNUNG, NULL,
	    NULL, NULL, &err);
}

static int
check(const char *xml)
{
	return check_text(xml, strlen(xml));
}

#define assert_refused(xml, rc, text) do { \
	ck_assert_int_eq(check(xml), (rc)); \
	ck_assert_msg(strstr(err.msg, (text)) != NULL, "message: %s", \
	    err.msg); \
} while (0)

START_TEST(einvoice_refuses_billion_laughs)
{
	const char *xml =
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE Invoice [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    " <!ENTITY lol4 \"&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;\">\n"
	    " <!ENTITY lol5 \"&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;\">\n"
	    " <!ENTITY lol6 \"&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;\">\n"
	    " <!ENTITY lol7 \"&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;\">\n"
	    " <!ENTITY lol8 \"&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;\">\n"
	    " <!ENTITY lol9 \"&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;\">\n"
	    "]>\n" UBL_OPEN "<cbc:ID>&lol9;</cbc:ID>" UBL_CLOSE;

	assert_refused(xml, KR_BAD_INPUT, "DOCTYPE");
	ck_assert_str_eq(err.field, "line 2");
}
END_TEST

START_TEST(einvoice_refuses_external_entities)
{
	static const char *const docs[] = {
	    "<!DOCTYPE Invoice [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    UBL_OPEN "<cbc:ID>&x;</cbc:ID>" UBL_CLOSE,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!-- a comment -->"
	    "<?pi data?>\n<!DOCTYPE Invoice [<!ENTITY x SYSTEM "
	    "\"http://127.0.0.1:9/x\">]>" UBL_OPEN "<cbc:ID>&x;</cbc:ID>"
	    UBL_CLOSE,
	    "<!DOCTYPE Invoice SYSTEM \"http://127.0.0.1:9/invoice.dtd\">"
	    UBL_OPEN UBL_CLOSE,
	    "<!DOCTYPE Invoice [<!ENTITY % p SYSTEM \"file:///etc/passwd\">"
	    "%p;]>" UBL_OPEN UBL_CLOSE,
	};
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		ck_assert_int_eq(check(docs[i]), KR_BAD_INPUT);
		ck_assert_msg(strstr(err.msg, "(DOCTYPE) is refused") != NULL,
		    "%zu: %s", i, err.msg);
		ck_assert_ptr_null(strstr(err.msg, "root:"));
	}
}
END_TEST

START_TEST(einvoice_refuses_undeclared_entities)
{
	assert_refused(UBL_OPEN "<cbc:ID>&xxe;</cbc:ID>" UBL_CLOSE,
	    KR_BAD_INPUT, "Entity 'xxe' not defined");
}
END_TEST

/* XInclude is never processed: the element is just an element. */
START_TEST(einvoice_does_not_process_xinclude)
{
	const char *xml = UBL_OPEN "<cbc:Note><xi:include "
	    "xmlns:xi=\"http://www.w3.org/2001/XInclude\" "
	    "href=\"file:///etc/passwd\" parse=\"text\"/></cbc:Note>"
	    UBL_CLOSE;

	ck_assert_int_eq(check(xml), KR_OK);
}
END_TEST

START_TEST(einvoice_refuses_bytes_that_are_not_utf8)
{
	assert_refused(UBL_OPEN "<cbc:ID>K\xF6ln</cbc:ID>" UBL_CLOSE,
	    KR_BAD_INPUT, "not proper UTF-8");
	assert_refused(UBL_OPEN "<cbc:ID>\xC3\x28</cbc:ID>" UBL_CLOSE,
	    KR_BAD_INPUT, "UTF-8");
	assert_refused("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>"
	    UBL_OPEN UBL_CLOSE, KR_BAD_INPUT,
	    "expected a UTF-8 document, got encoding \"ISO-8859-1\"");
	ck_assert_int_eq(check_text("\xFF\xFE<\0I\0", 6), KR_BAD_INPUT);
	ck_assert_str_eq(err.msg,
	    "expected a UTF-8 document, got UTF-16 or UTF-32");
}
END_TEST

START_TEST(einvoice_refuses_what_is_not_an_invoice)
{
	assert_refused("", KR_BAD_INPUT, "well-formed");
	assert_refused("not xml", KR_BAD_INPUT, "well-formed");
	assert_refused("<Invoice>", KR_BAD_INPUT, "well-formed");
	assert_refused("<Invoice/>", KR_BAD_INPUT, "got the root element "
	    "\"Invoice\" in no namespace");
	assert_refused("<x:CrossIndustryInvoice xmlns:x=\"urn:example\"/>",
	    KR_BAD_INPUT, "namespace \"urn:example\"");
}
END_TEST

/* libxml2's depth limit stays in place (no XML_PARSE_HUGE). */
START_TEST(einvoice_refuses_deep_nesting)
{
	size_t depth = 5000, i, n = 0;
	char *xml = malloc(depth * 7 + 256);

	ck_assert_ptr_nonnull(xml);
	n += (size_t)sprintf(xml + n, "%s", UBL_OPEN);
	for (i = 0; i < depth; i++)
		n += (size_t)sprintf(xml + n, "<a>");
	for (i = 0; i < depth; i++)
		n += (size_t)sprintf(xml + n, "</a>");
	sprintf(xml + n, "%s", UBL_CLOSE);
	ck_assert_int_eq(check(xml), KR_BAD_INPUT);
	ck_assert_msg(strstr(err.msg, "depth") != NULL ||
	    strstr(err.msg, "Excessive") != NULL, "%s", err.msg);
	free(xml);
}
END_TEST

/* A document of size bytes: one text node of fill, or a CDATA etc. */
static char *
big_doc(size_t size, const char *open, const char *close, char fill,
    size_t lt_every)
{
	size_t n1 = strlen(UBL_OPEN) + strlen(open);
	size_t n2 = strlen(close) + strlen(UBL_CLOSE);
	char *xml = malloc(size + n1 + n2 + 1);
	size_t i;

	ck_assert_ptr_nonnull(xml);
	sprintf(xml, "%s%s", UBL_OPEN, open);
	memset(xml + n1, fill, size);
	for (i = lt_every; lt_every > 0 && i < size; i += lt_every)
		xml[n1 + i] = '<';
	sprintf(xml + n1 + size, "%s%s", close, UBL_CLOSE);
	return xml;
}

START_TEST(einvoice_refuses_a_huge_text_before_parsing)
{
	char *xml = big_doc((size_t)5 << 20, "<cbc:Note>", "</cbc:Note>",
	    'x', 0);

	assert_refused(xml, KR_TOO_BIG, "texts of at most 1048576 bytes");
	ck_assert_str_eq(err.field, "line 1");
	free(xml);
}
END_TEST

START_TEST(einvoice_refuses_a_huge_attribute)
{
	char *xml = big_doc((size_t)2 << 20, "<cbc:Note a=\"", "\"/>", 'x',
	    0);

	assert_refused(xml, KR_TOO_BIG, "texts of at most");
	free(xml);
}
END_TEST

/* Markup inside CDATA and comments passes the first scan. */
START_TEST(einvoice_refuses_a_huge_cdata_section_or_comment)
{
	char *cdata = big_doc((size_t)2 << 20, "<cbc:Note><![CDATA[",
	    "]]></cbc:Note>", 'x', 4096);
	char *comment = big_doc((size_t)2 << 20, "<!--", "-->", 'x', 4096);

	assert_refused(cdata, KR_TOO_BIG, "texts of at most");
	assert_refused(comment, KR_TOO_BIG, "texts of at most");
	free(cdata);
	free(comment);
}
END_TEST

/* A text just below the cap is fine. */
START_TEST(einvoice_accepts_a_text_at_the_cap)
{
	char *xml = big_doc(EINV_TEXT_MAX_BYTES - 64, "<cbc:Note>",
	    "</cbc:Note>", 'x', 0);

	ck_assert_int_eq(check(xml), KR_OK);
	free(xml);
}
END_TEST

START_TEST(einvoice_refuses_a_document_over_the_cap)
{
	size_t len = EINV_DOC_MAX_BYTES + 1;
	char *xml = malloc(len);

	ck_assert_ptr_nonnull(xml);
	memset(xml, ' ', len);
	ck_assert_int_eq(check_text(xml, len), KR_TOO_BIG);
	ck_assert_msg(strstr(err.msg, "at most 67108864 bytes") != NULL, "%s",
	    err.msg);
	free(xml);
}
END_TEST

/*
 * Runs the check of the file at path in a child and returns its peak
 * resident set in KiB; *rc gets the child's result.
 */
static long
peak_kib(const char *path, int *rc)
{
	struct rusage ru;
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct kerr e;

		kerr_clear(&e);
		_exit(einvoice_check_file(path, NULL, NULL, NULL, NULL, &e));
	}
	ck_assert_int_eq(wait4(pid, &status, 0, &ru), pid);
	ck_assert(WIFEXITED(status));
	*rc = WEXITSTATUS(status);
	return ru.ru_maxrss;
}

/* Tiny elements by the million would make a huge tree. */
START_TEST(einvoice_refuses_too_many_tags)
{
	size_t n = EINV_MARKUP_MAX / 2 + 10, i, len = 0;
	char *xml = malloc(n * 8 + 256);
	char dir[4096], path[4200];
	FILE *fp;
	long kib;
	int rc;

	ck_assert_ptr_nonnull(xml);
	len += (size_t)sprintf(xml, "%s", UBL_OPEN);
	for (i = 0; i < n; i++) {
		memcpy(xml + len, "<a>x</a>", 8);
		len += 8;
	}
	len += (size_t)sprintf(xml + len, "%s", UBL_CLOSE);
	ck_assert_int_eq(check_text(xml, len), KR_TOO_BIG);
	ck_assert_str_eq(err.msg, "expected at most 1000000 tags, got more");

	testdir_make(dir, sizeof(dir), "einv-tags");
	snprintf(path, sizeof(path), "%s/tags.xml", dir);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(xml, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	kib = peak_kib(path, &rc);
	ck_assert_int_eq(rc, KR_TOO_BIG);
	ck_assert_msg(kib < 64 * 1024, "peak %ld KiB", kib);
	testdir_remove(dir);
	free(xml);
}
END_TEST

/* Writes a document with one text node of size bytes, in pieces. */
static void
write_big_file(const char *path, size_t size)
{
	char chunk[65536];
	FILE *fp = fopen(path, "w");
	size_t done;

	ck_assert_ptr_nonnull(fp);
	memset(chunk, 'x', sizeof(chunk));
	fputs(UBL_OPEN "<cbc:Note>", fp);
	for (done = 0; done < size; done += sizeof(chunk))
		fwrite(chunk, 1, sizeof(chunk), fp);
	fputs("</cbc:Note>" UBL_CLOSE, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(einvoice_check_file_refuses_100_mb_unread)
{
	char dir[4096], path[4200];
	struct kerr e;
	long kib;
	int rc;

	testdir_make(dir, sizeof(dir), "einv-big");
	snprintf(path, sizeof(path), "%s/big.xml", dir);
	write_big_file(path, (size_t)100 << 20);

	kerr_clear(&e);
	ck_assert_int_eq(einvoice_check_file(path, NULL, NULL, NULL, NULL, &e),
	    KR_TOO_BIG);
	ck_assert_str_eq(e.file, path);
	ck_assert_msg(strstr(e.msg, "at most 67108864 bytes, got 104857") !=
	    NULL, "%s", e.msg);

	kib = peak_kib(path, &rc);
	ck_assert_int_eq(rc, KR_TOO_BIG);
	ck_assert_msg(kib < 50 * 1024, "peak %ld KiB for a 100 MB file", kib);
	testdir_remove(dir);
}
END_TEST

START_TEST(einvoice_check_file_stays_small_on_a_huge_text)
{
	char dir[4096], path[4200];
	long kib;
	int rc;

	testdir_make(dir, sizeof(dir), "einv-text");
	snprintf(path, sizeof(path), "%s/text.xml", dir);
	write_big_file(path, (size_t)60 << 20);
	kib = peak_kib(path, &rc);
	ck_assert_int_eq(rc, KR_TOO_BIG);
	/* The file is read (60 MB) in one piece, no tree is built. */
	ck_assert_msg(kib < (60 + 40) * 1024, "peak %ld KiB for 60 MB", kib);
	testdir_remove(dir);
}
END_TEST

START_TEST(einvoice_check_file_names_the_file)
{
	struct kerr e;

	kerr_clear(&e);
	ck_assert_int_eq(einvoice_check_file("/nonexistent/x.xml", NULL, NULL,
	    NULL, NULL, &e), KR_IO);
	ck_assert_str_eq(e.file, "/nonexistent/x.xml");
	ck_assert_str_eq(e.msg, "cannot open: No such file or directory");
}
END_TEST

/* Library code never prints: libxml2's messages end up in the kerr. */
START_TEST(einvoice_prints_nothing)
{
	static const char *const docs[] = {
		"", "<Invoice>", UBL_OPEN "<cbc:ID>&x;</cbc:ID>" UBL_CLOSE,
		UBL_OPEN "<cbc:ID>K\xF6ln</cbc:ID>" UBL_CLOSE,
		"<!DOCTYPE x [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><x/>",
		UBL_OPEN "</Invoice",
	};
	FILE *tmp = tmpfile();
	int saved = dup(2);
	size_t i;

	ck_assert_ptr_nonnull(tmp);
	ck_assert_int_ge(saved, 0);
	ck_assert_int_eq(dup2(fileno(tmp), 2), 2);
	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++)
		(void)check(docs[i]);
	(void)einvoice_check_xsd(UBL_OPEN UBL_CLOSE,
	    strlen(UBL_OPEN UBL_CLOSE), EINV_UBL, EINV_DOC_INVOICE,
	    "/nonexistent", NULL, NULL, NULL, &err);
	fflush(stderr);
	ck_assert_int_eq(dup2(saved, 2), 2);
	close(saved);
	ck_assert_int_eq(fseek(tmp, 0, SEEK_END), 0);
	ck_assert_int_eq(ftell(tmp), 0);
	fclose(tmp);
}
END_TEST

static Suite *
einvoice_xml_suite(void)
{
	Suite *s = suite_create("einvoice_xml");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, einvoice_refuses_billion_laughs);
	tcase_add_test(tc, einvoice_refuses_external_entities);
	tcase_add_test(tc, einvoice_refuses_undeclared_entities);
	tcase_add_test(tc, einvoice_does_not_process_xinclude);
	tcase_add_test(tc, einvoice_refuses_bytes_that_are_not_utf8);
	tcase_add_test(tc, einvoice_refuses_what_is_not_an_invoice);
	tcase_add_test(tc, einvoice_refuses_deep_nesting);
	tcase_add_test(tc, einvoice_refuses_a_huge_text_before_parsing);
	tcase_add_test(tc, einvoice_refuses_a_huge_attribute);
	tcase_add_test(tc, einvoice_refuses_a_huge_cdata_section_or_comment);
	tcase_add_test(tc, einvoice_accepts_a_text_at_the_cap);
	tcase_add_test(tc, einvoice_refuses_a_document_over_the_cap);
	tcase_add_test(tc, einvoice_refuses_too_many_tags);
	tcase_add_test(tc, einvoice_check_file_refuses_100_mb_unread);
	tcase_add_test(tc, einvoice_check_file_stays_small_on_a_huge_text);
	tcase_add_test(tc, einvoice_check_file_names_the_file);
	tcase_add_test(tc, einvoice_prints_nothing);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(einvoice_xml_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

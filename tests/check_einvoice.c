#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cii.h"
#include "einvoice.h"
#include "einvoice_check.h"
#include "einv_test.h"
#include "ubl.h"

/*
 * What an invoice record must hold before it becomes a document, the
 * VAT self-check, file names, sniffing, and the first layer of the
 * check.  The records are those of check_ubl.c.
 */

static struct einv_case c;
static struct kerr e;

static void
setup(void)
{
	einv_case_load(&c, "coupon-1042");
	kerr_clear(&e);
}

static void
teardown(void)
{
	einv_case_release(&c);
}

START_TEST(ready_accepts_the_sample_records)
{
	ck_assert_int_eq(einvoice_ready(&c.inv, EINV_XRECHNUNG, &e), KR_OK);
	ck_assert_int_eq(einvoice_check_vat(&c.inv, &e), KR_OK);
}
END_TEST

START_TEST(ready_refuses_xrechnung_without_buyer_address)
{
	c.inv.buyer.endpoint = NULL;
	c.inv.buyer.endpoint_scheme = NULL;
	ck_assert_int_eq(einvoice_ready(&c.inv, EINV_XRECHNUNG, &e),
	    KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "buyer.endpoint");
	ck_assert_ptr_nonnull(strstr(e.msg, "BT-49"));
	/* plain EN 16931 does not need it */
	ck_assert_int_eq(einvoice_ready(&c.inv, EINV_EN16931, &e), KR_OK);
}
END_TEST

START_TEST(ready_refuses_what_the_document_cannot_carry)
{
	switch (_i) {
	case 0:
		memcpy(c.inv.currency, "CHF", 4);
		break;
	case 1:
		c.inv.doc_type = "384";
		break;
	case 2:
		c.inv.issue_date = "04.12.2026";
		break;
	case 3:
		c.inv.supply_date = "2026-13-01";
		break;
	case 4:
		c.inv.buyer.name = "  ";
		break;
	case 5:
		c.inv.seller.addr.country[0] = '\0';
		break;
	case 6:
		c.inv.buyer.endpoint_scheme = NULL;
		break;
	case 7:
		c.inv.nlines = 0;
		break;
	case 8:
		c.inv.lines[1].unit = "";
		break;
	case 9:
		c.inv.pay_means = "58";
		c.inv.pay_iban = NULL;
		break;
	case 10:
		c.inv.seller.endpoint = NULL;
		break;
	case 11:
		c.inv.buyer_reference = NULL;
		break;
	case 12:
		c.inv.number = "";
		break;
	}
	ck_assert_int_eq(einvoice_ready(&c.inv, EINV_XRECHNUNG, &e),
	    KR_BAD_INPUT);
	ck_assert(e.msg[0] != '\0');
}
END_TEST

START_TEST(vat_may_be_one_cent_off_but_not_two)
{
	/* 19 %: 30.32 x 0.19 = 5.7608 -> 5.76 */
	c.inv.vat[0].vat_minor = 577;
	ck_assert_int_eq(einvoice_check_vat(&c.inv, &e), KR_OK);
	c.inv.vat[0].vat_minor = 575;
	ck_assert_int_eq(einvoice_check_vat(&c.inv, &e), KR_OK);
	c.inv.vat[0].vat_minor = 578;
	ck_assert_int_eq(einvoice_check_vat(&c.inv, &e), KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "vat[0].vat");
	ck_assert_ptr_nonnull(strstr(e.msg, "5.76"));
	c.inv.vat[0].vat_minor = 574;
	ck_assert_int_eq(einvoice_check_vat(&c.inv, &e), KR_BAD_INPUT);
}
END_TEST

START_TEST(vat_check_rounds_negative_amounts_away_from_zero)
{
	/* -0.50 x 19 % = -0.095 -> -0.10 (half away from zero) */
	c.inv.vat[0].taxable_minor = -50;
	c.inv.vat[0].vat_minor = -10;
	ck_assert_int_eq(einvoice_check_vat(&c.inv, &e), KR_OK);
	c.inv.vat[0].vat_minor = -12;
	ck_assert_int_eq(einvoice_check_vat(&c.inv, &e), KR_BAD_INPUT);
}
END_TEST

START_TEST(file_names_are_made_safe)
{
	static const char *const in[][2] = {
		{ "RE-2026-000001", "RE-2026-000001.xml" },
		{ "RE/2026/1", "RE_2026_1.xml" },
		{ "../../etc/passwd", "_._.._etc_passwd.xml" },
		{ ".hidden", "_hidden.xml" },
		{ "RE 1 \xc3\xa4", "RE_1___.xml" },
		{ "a.b_c-d", "a.b_c-d.xml" },
	};
	char name[EINV_NAME_MAX];
	size_t i;

	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		ck_assert_int_eq(einvoice_file_name(in[i][0], name, &e),
		    KR_OK);
		ck_assert_str_eq(name, in[i][1]);
	}
	ck_assert_int_eq(einvoice_file_name("", name, &e), KR_BAD_INPUT);
	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	ck_assert_int_eq(einvoice_file_name(name, name, &e), KR_BAD_INPUT);
}
END_TEST

START_TEST(profile_names_parse)
{
	static const char *const names[] = {
		"xrechnung", "en16931", "zugferd-en16931", "zugferd-basic",
		"zugferd-extended"
	};
	enum einv_profile p;
	enum einv_syntax s;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ck_assert_int_eq(einv_profile_parse(names[i], &p), KR_OK);
		ck_assert_int_eq(p, (int)i);
		ck_assert_str_eq(einv_profile_name(p), names[i]);
		ck_assert_int_eq(einv_profile_allows(p, EINV_CII), 1);
		ck_assert_int_eq(einv_profile_allows(p, EINV_UBL), i < 2);
	}
	ck_assert_int_eq(einv_profile_parse("XRechnung", &p), KR_BAD_INPUT);
	ck_assert_int_eq(einv_syntax_parse("cii", &s), KR_OK);
	ck_assert_int_eq(s, EINV_CII);
	ck_assert_int_eq(einv_syntax_parse("xml", &s), KR_BAD_INPUT);
}
END_TEST

/* What the writers write, the checker recognises. */
START_TEST(checker_tells_syntax_and_profile_of_what_we_write)
{
	enum einv_syntax s;
	enum einv_profile p;
	enum einv_doctype d;

	ck_assert_int_eq(ubl_write(&c.inv, EINV_XRECHNUNG, &c.out, NULL, &e),
	    KR_OK);
	ck_assert_int_eq(einvoice_detect(c.out.data, c.out.len, &s, &p, &d,
	    &e), KR_OK);
	ck_assert_int_eq(s, EINV_UBL);
	ck_assert_int_eq(p, EINV_XRECHNUNG);
	ck_assert_int_eq(d, EINV_DOC_INVOICE);
	ck_assert_int_eq(einvoice_detect("<a/>", 4, &s, &p, &d, &e),
	    KR_BAD_INPUT);
	ck_assert_int_eq(einvoice_detect("<a>", 3, &s, &p, &d, &e),
	    KR_BAD_INPUT);
}
END_TEST

struct found {
	int n, fatal;
	char rule[16];
};

static void
collect(void *arg, const struct einvoice_finding *f)
{
	struct found *fd = arg;

	fd->n++;
	fd->fatal += f->fatal;
	if (fd->n == 1)
		snprintf(fd->rule, sizeof(fd->rule), "%s", f->rule);
}

/* What the writers write, the checker passes: no finding at all. */
START_TEST(check_accepts_what_we_write)
{
	struct einvoice_check_stats st;
	struct found fd = { 0, 0, "" };

	ck_assert_int_eq(ubl_write(&c.inv, EINV_XRECHNUNG, &c.out, NULL, &e),
	    KR_OK);
	ck_assert_int_eq(einvoice_check_doc(c.out.data, c.out.len, EINV_UBL,
	    EINV_XRECHNUNG, collect, &fd, &st, &e), KR_OK);
	ck_assert_msg(fd.n == 0, "first finding %s", fd.rule);
}
END_TEST

/* Every finding as a line: fatal, rule, where, message. */
static void
collect_lines(void *arg, const struct einvoice_finding *f)
{
	buf_printf(arg, "%d %s %s: %s\n", f->fatal, f->rule, f->where,
	    f->msg);
}

/*
 * Puts figures and terms of c.inv wrong in ways einvoice_ready lets
 * through and the rules find: the sums (BR-CO-10, BR-CO-16), a VAT
 * amount (BR-CO-17), the buyer reference (BR-DE-15).
 */
static void
spoil(void)
{
	c.inv.lines[0].net_minor += 1;
	c.inv.due_minor += 100;
	c.inv.vat[0].vat_minor += 7;
	c.inv.buyer_reference = "";
}

/*
 * The check of the tree a writer hands over finds what the check of the
 * text it serialized finds, to the letter and in the same order; _i
 * picks the record, the syntax and whether its figures are spoiled.
 */
START_TEST(check_of_the_tree_finds_what_the_check_of_the_text_finds)
{
	static const char *const records[] = {
		"coupon-1042", "credit-1043", "b2b-transfer"
	};
	enum einv_syntax sx = (_i / 2) % 2 ? EINV_CII : EINV_UBL;
	struct buf by_tree, by_text;
	struct xmlw_tree tree;
	int rc;

	einv_case_release(&c);
	einv_case_load(&c, records[_i / 4]);
	if (_i % 2)
		spoil();
	buf_init(&by_tree, 0);
	buf_init(&by_text, 0);
	xmlw_tree_init(&tree);
	rc = sx == EINV_UBL ?
	    ubl_write(&c.inv, EINV_XRECHNUNG, &c.out, &tree, &e) :
	    cii_write(&c.inv, EINV_XRECHNUNG, &c.out, &tree, &e);
	ck_assert_int_eq(rc, KR_OK);
	ck_assert_int_eq(einvoice_check_tree(tree.doc, c.out.len, sx,
	    EINV_XRECHNUNG, collect_lines, &by_tree, NULL, &e), KR_OK);
	ck_assert_int_eq(einvoice_check_doc(c.out.data, c.out.len, sx,
	    EINV_XRECHNUNG, collect_lines, &by_text, NULL, &e), KR_OK);
	ck_assert_str_eq(by_tree.len > 0 ? by_tree.data : "",
	    by_text.len > 0 ? by_text.data : "");
	ck_assert_int_eq(by_tree.len > 0, _i % 2);
	xmlw_tree_release(&tree);
	buf_release(&by_tree);
	buf_release(&by_text);
}
END_TEST

START_TEST(check_reports_schema_errors)
{
	const char *shared = getenv("KONTOR_SHARED");
	struct einvoice_check_stats st;
	struct found fd = { 0, 0, "" };
	char dir[4096];
	char *p;

	snprintf(dir, sizeof(dir), "%s/schemas", shared ? shared :
	    "../shared");
	if (access(dir, R_OK) != 0)
		return;		/* no schemas here: nothing to check against */
	setenv("KONTOR_SCHEMAS", dir, 1);
	ck_assert_int_eq(ubl_write(&c.inv, EINV_XRECHNUNG, &c.out, NULL, &e),
	    KR_OK);
	/* an element the schema does not know */
	p = strstr(c.out.data, "<cbc:BuyerReference>");
	ck_assert_ptr_nonnull(p);
	memcpy(p, "<cbc:BuyerReferenZ>", 19);
	p = strstr(p, "</cbc:BuyerReference>");
	memcpy(p, "</cbc:BuyerReferenZ>", 20);
	ck_assert_int_eq(einvoice_check_xsd(c.out.data, c.out.len, EINV_UBL,
	    EINV_DOC_INVOICE, dir, collect, &fd, &st, &e), KR_OK);
	ck_assert_int_gt(st.fatal, 0);
	ck_assert_str_eq(fd.rule, "XSD");
}
END_TEST

START_TEST(check_names_a_missing_schema_folder)
{
	struct einvoice_check_stats st;

	ck_assert_int_eq(ubl_write(&c.inv, EINV_XRECHNUNG, &c.out, NULL, &e),
	    KR_OK);
	ck_assert_int_ne(einvoice_check_xsd(c.out.data, c.out.len, EINV_UBL,
	    EINV_DOC_INVOICE, "/nonexistent/schemas", NULL, NULL, &st, &e),
	    KR_OK);
	ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/schemas"));
}
END_TEST

static Suite *
einvoice_suite(void)
{
	Suite *s = suite_create("einvoice");
	TCase *tc = tcase_create("einvoice");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, ready_accepts_the_sample_records);
	tcase_add_test(tc, ready_refuses_xrechnung_without_buyer_address);
	tcase_add_loop_test(tc, ready_refuses_what_the_document_cannot_carry,
	    0, 13);
	tcase_add_test(tc, vat_may_be_one_cent_off_but_not_two);
	tcase_add_test(tc, vat_check_rounds_negative_amounts_away_from_zero);
	tcase_add_test(tc, file_names_are_made_safe);
	tcase_add_test(tc, profile_names_parse);
	tcase_add_test(tc, checker_tells_syntax_and_profile_of_what_we_write);
	tcase_add_test(tc, check_accepts_what_we_write);
	tcase_add_loop_test(tc,
	    check_of_the_tree_finds_what_the_check_of_the_text_finds, 0, 12);
	tcase_add_test(tc, check_reports_schema_errors);
	tcase_add_test(tc, check_names_a_missing_schema_folder);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(einvoice_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

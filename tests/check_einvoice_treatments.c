/*
 * E-invoices of the cross-border and foreign-currency records of
 * tests/data/invoices/ (README there: every figure by hand), in UBL and
 * CII: BT-6 and BT-111 for an invoice in CHF and never for one in EUR,
 * the legal note BT-22, and what each VAT category needs where EN 16931
 * wants it (einvoice.md §5): exemption reasons BT-120/121, the buyer's
 * VAT id BT-48, the delivery date BT-72 and country BT-80 for K, no VAT
 * ids for O.  Every document passes the XSD and the checker without a
 * single finding; einvoice_ready refuses a record that lacks what its
 * categories need, naming the rule.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cii.h"
#include "einvoice.h"
#include "einv_test.h"
#include "ubl.h"

static struct einv_case c;

static const char *const records[] = {
	"oss-fr", "credit-oss-fr", "intra-eu-at", "export-ch", "b2b-chf",
	"small-business"
};
#define NRECORDS	(sizeof(records) / sizeof(records[0]))

static void
load(const char *name)
{
	einv_case_load_from(&c, "invoices", name);
}

static void
teardown(void)
{
	einv_case_release(&c);
}

static void
write_as(enum einv_syntax s, enum einv_profile p)
{
	struct kerr e;

	kerr_clear(&e);
	ck_assert_msg(einvoice_ready(&c.inv, p, &e) == KR_OK, "%s: %s",
	    e.field, e.msg);
	ck_assert_int_eq(einvoice_check_vat(&c.inv, &e), KR_OK);
	buf_reset(&c.out);
	ck_assert_msg((s == EINV_UBL ? ubl_write(&c.inv, p, &c.out, NULL, &e) :
	    cii_write(&c.inv, p, &c.out, NULL, &e)) == KR_OK, "%s: %s",
	    e.field, e.msg);
	if (c.xp != NULL)
		xmlXPathFreeContext(c.xp);
	if (c.xml != NULL)
		xmlFreeDoc(c.xml);
	einv_case_parse(&c);
}

struct findings {
	int n;
	char first[600];
};

static void
collect(void *arg, const struct einvoice_finding *f)
{
	struct findings *fd = arg;

	if (fd->n++ == 0)
		snprintf(fd->first, sizeof(fd->first), "%s %s: %s", f->rule,
		    f->where, f->msg);
}

/* The checker, with the XSD where the schemas are, finds nothing. */
static void
ck_no_finding(enum einv_syntax s, enum einv_profile p)
{
	struct einvoice_check_stats st;
	struct findings fd = { 0, "" };
	struct kerr e;

	einv_assert_xsd(&c, s, p);
	kerr_clear(&e);
	ck_assert_int_eq(einvoice_check_doc(c.out.data, c.out.len, s, p,
	    collect, &fd, &st, &e), KR_OK);
	ck_assert_msg(fd.n == 0, "%s as %s %s: %d findings, first %s",
	    c.inv.number, einv_syntax_name(s), einv_profile_name(p), fd.n,
	    fd.first);
}

/* Each record in both syntaxes and both profiles: _i picks one. */
START_TEST(treatment_documents_pass_the_schema_and_the_checker)
{
	enum einv_syntax s = (_i / 2) % 2 ? EINV_CII : EINV_UBL;
	enum einv_profile p = _i % 2 ? EINV_EN16931 : EINV_XRECHNUNG;

	load(records[_i / 4]);
	write_as(s, p);
	einv_assert_no_empty(&c);
	ck_no_finding(s, p);
}
END_TEST

/* E10 in UBL: BT-5 CHF, BT-6 EUR, BT-110 171.00 CHF, BT-111 182.11 EUR */
START_TEST(ubl_invoice_in_chf_states_its_vat_in_eur)
{
	load("b2b-chf");
	write_as(EINV_UBL, EINV_XRECHNUNG);
	ck_xp_str(&c, "/inv:Invoice/cbc:DocumentCurrencyCode", "CHF");
	ck_xp_str(&c, "/inv:Invoice/cbc:TaxCurrencyCode", "EUR");
	ck_xp_count(&c, "/inv:Invoice/cac:TaxTotal", 2);
	ck_xp_str(&c, "/inv:Invoice/cac:TaxTotal[cac:TaxSubtotal]/"
	    "cbc:TaxAmount[@currencyID = 'CHF']", "171.00");
	ck_xp_str(&c, "/inv:Invoice/cac:TaxTotal[not(cac:TaxSubtotal)]/"
	    "cbc:TaxAmount[@currencyID = 'EUR']", "182.11");
	ck_xp_count(&c, "/inv:Invoice/cac:TaxTotal[not(cac:TaxSubtotal)]/*",
	    1);
	/* Every other amount is in CHF. */
	ck_xp_count(&c, "//cbc:*[@currencyID = 'EUR']", 1);
	ck_xp_str(&c, "//cbc:PayableAmount[@currencyID = 'CHF']",
	    "1071.00");
}
END_TEST

START_TEST(cii_invoice_in_chf_states_its_vat_in_eur)
{
	const char *hs = "//ram:ApplicableHeaderTradeSettlement";
	char q[256];

	load("b2b-chf");
	write_as(EINV_CII, EINV_XRECHNUNG);
	snprintf(q, sizeof(q), "%s/ram:InvoiceCurrencyCode", hs);
	ck_xp_str(&c, q, "CHF");
	snprintf(q, sizeof(q), "%s/ram:TaxCurrencyCode", hs);
	ck_xp_str(&c, q, "EUR");
	snprintf(q, sizeof(q), "%s/ram:TaxCurrencyCode/following-sibling::*"
	    "[1][self::ram:InvoiceCurrencyCode]", hs);
	ck_xp_count(&c, q, 1);
	ck_xp_count(&c, "//ram:TaxTotalAmount", 2);
	ck_xp_str(&c, "//ram:TaxTotalAmount[@currencyID = 'CHF']", "171.00");
	ck_xp_str(&c, "//ram:TaxTotalAmount[@currencyID = 'EUR']", "182.11");
	ck_xp_count(&c, "//ram:TaxTotalAmount[@currencyID = 'EUR']/"
	    "preceding-sibling::ram:TaxTotalAmount", 1);
}
END_TEST

/* E8 in CHF: tax-free, BT-111 0.00 EUR. */
START_TEST(export_in_chf_states_zero_vat_in_eur)
{
	load("export-ch");
	write_as(EINV_UBL, EINV_XRECHNUNG);
	ck_xp_str(&c, "//cac:TaxTotal[not(cac:TaxSubtotal)]/"
	    "cbc:TaxAmount[@currencyID = 'EUR']", "0.00");
	write_as(EINV_CII, EINV_XRECHNUNG);
	ck_xp_str(&c, "//ram:TaxTotalAmount[@currencyID = 'EUR']", "0.00");
}
END_TEST

/* PEPPOL-EN16931-R005: an invoice in EUR has neither BT-6 nor BT-111. */
START_TEST(invoice_in_eur_has_no_vat_accounting_currency)
{
	load("oss-fr");
	write_as(EINV_UBL, EINV_XRECHNUNG);
	ck_xp_count(&c, "//cbc:TaxCurrencyCode", 0);
	ck_xp_count(&c, "//cac:TaxTotal", 1);
	write_as(EINV_CII, EINV_XRECHNUNG);
	ck_xp_count(&c, "//ram:TaxCurrencyCode", 0);
	ck_xp_count(&c, "//ram:TaxTotalAmount", 1);
}
END_TEST

/* BT-22 from the record's note, and none without one. */
START_TEST(note_is_written_as_bt22)
{
	const char *note = "Steuerfreie innergemeinschaftliche Lieferung "
	    "(\xC2\xA7 4 Nr. 1 Buchst. b, \xC2\xA7 6a UStG)";

	load("intra-eu-at");
	write_as(EINV_UBL, EINV_XRECHNUNG);
	ck_xp_str(&c, "/inv:Invoice/cbc:Note", note);
	ck_xp_count(&c, "/inv:Invoice/cbc:Note/preceding-sibling::*[1]"
	    "[self::cbc:InvoiceTypeCode]", 1);
	write_as(EINV_CII, EINV_XRECHNUNG);
	ck_xp_str(&c, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/"
	    "ram:IncludedNote/ram:Content", note);
	einv_case_release(&c);
	load("credit-oss-fr");
	write_as(EINV_UBL, EINV_XRECHNUNG);
	ck_xp_count(&c, "/cn:CreditNote/cbc:Note", 0);
	write_as(EINV_CII, EINV_XRECHNUNG);
	ck_xp_count(&c, "//ram:IncludedNote", 0);
}
END_TEST

/*
 * E7, category K (BR-IC-*): both VAT ids, the reason and its code, the
 * delivery date BT-72 and the deliver-to country BT-80.
 */
START_TEST(ubl_intra_eu_supply_carries_what_br_ic_wants)
{
	const char *cat = "//cac:TaxSubtotal/cac:TaxCategory";
	char q[256];

	load("intra-eu-at");
	write_as(EINV_UBL, EINV_XRECHNUNG);
	ck_xp_str(&c, "//cac:AccountingSupplierParty//cac:PartyTaxScheme"
	    "[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID", "DE318472657");
	ck_xp_str(&c, "//cac:AccountingCustomerParty//cac:PartyTaxScheme"
	    "[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID", "ATU67482137");
	ck_xp_str(&c, "//cac:Delivery/cbc:ActualDeliveryDate", "2026-11-23");
	ck_xp_str(&c, "//cac:Delivery/cac:DeliveryLocation/cac:Address/"
	    "cac:Country/cbc:IdentificationCode", "AT");
	snprintf(q, sizeof(q), "%s/cbc:ID", cat);
	ck_xp_str(&c, q, "K");
	snprintf(q, sizeof(q), "%s/cbc:Percent", cat);
	ck_xp_str(&c, q, "0");
	snprintf(q, sizeof(q), "%s/cbc:TaxExemptionReasonCode", cat);
	ck_xp_str(&c, q, "VATEX-EU-IC");
	snprintf(q, sizeof(q), "%s/cbc:TaxExemptionReason", cat);
	ck_xp_str(&c, q, "Steuerfreie innergemeinschaftliche Lieferung "
	    "(\xC2\xA7 4 Nr. 1 Buchst. b, \xC2\xA7 6a UStG)");
	ck_xp_str(&c, "//cac:AllowanceCharge/cac:TaxCategory/cbc:ID", "K");
	ck_xp_count(&c, "//cac:ClassifiedTaxCategory[cbc:ID = 'K']"
	    "[cbc:Percent = '0']", 2);
}
END_TEST

START_TEST(cii_intra_eu_supply_carries_what_br_ic_wants)
{
	const char *tax = "//ram:ApplicableHeaderTradeSettlement/"
	    "ram:ApplicableTradeTax";
	char q[256];

	load("intra-eu-at");
	write_as(EINV_CII, EINV_XRECHNUNG);
	ck_xp_str(&c, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/"
	    "ram:ID[@schemeID = 'VA']", "DE318472657");
	ck_xp_str(&c, "//ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/"
	    "ram:ID[@schemeID = 'VA']", "ATU67482137");
	ck_xp_str(&c, "//ram:ActualDeliverySupplyChainEvent/"
	    "ram:OccurrenceDateTime/udt:DateTimeString", "20261123");
	ck_xp_str(&c, "//ram:ShipToTradeParty/ram:PostalTradeAddress/"
	    "ram:CountryID", "AT");
	snprintf(q, sizeof(q), "%s/ram:CategoryCode", tax);
	ck_xp_str(&c, q, "K");
	snprintf(q, sizeof(q), "%s/ram:ExemptionReasonCode", tax);
	ck_xp_str(&c, q, "VATEX-EU-IC");
	snprintf(q, sizeof(q), "%s/ram:ExemptionReason", tax);
	ck_xp_count(&c, q, 1);
	snprintf(q, sizeof(q), "%s/ram:RateApplicablePercent", tax);
	ck_xp_str(&c, q, "0");
}
END_TEST

/* E8 (G) and E11 (E): the reason where the category wants it. */
START_TEST(export_and_small_business_carry_their_reasons)
{
	load("export-ch");
	write_as(EINV_UBL, EINV_XRECHNUNG);
	ck_xp_str(&c, "//cac:TaxSubtotal/cac:TaxCategory/cbc:ID", "G");
	ck_xp_str(&c, "//cac:TaxSubtotal/cac:TaxCategory/"
	    "cbc:TaxExemptionReasonCode", "VATEX-EU-G");
	ck_xp_str(&c, "//cac:AccountingSupplierParty//cac:PartyTaxScheme"
	    "[cac:TaxScheme/cbc:ID = 'VAT']/cbc:CompanyID", "DE318472657");
	ck_xp_count(&c, "//cac:AccountingCustomerParty//cac:PartyTaxScheme",
	    0);
	einv_case_release(&c);

	load("small-business");
	write_as(EINV_CII, EINV_XRECHNUNG);
	ck_xp_str(&c, "//ram:ApplicableHeaderTradeSettlement/"
	    "ram:ApplicableTradeTax/ram:CategoryCode", "E");
	ck_xp_str(&c, "//ram:ApplicableHeaderTradeSettlement/"
	    "ram:ApplicableTradeTax/ram:ExemptionReason",
	    "Gem\xC3\xA4\xC3\x9F \xC2\xA7 19 UStG wird keine Umsatzsteuer "
	    "berechnet.");
	ck_xp_count(&c, "//ram:ExemptionReasonCode", 0);
	ck_xp_str(&c, "//ram:SellerTradeParty/ram:SpecifiedTaxRegistration/"
	    "ram:ID[@schemeID = 'FC']", "231/456/78901");
	ck_xp_str(&c, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocument/"
	    "ram:IncludedNote/ram:Content", "Gem\xC3\xA4\xC3\x9F \xC2\xA7 19 "
	    "UStG wird keine Umsatzsteuer berechnet.");
}
END_TEST

/* The records of E7 as category cat with its reason and code. */
static void
recategorise(const char *cat, const char *reason, const char *code)
{
	size_t i;

	load("intra-eu-at");
	for (i = 0; i < c.inv.nlines; i++)
		memcpy(c.inv.lines[i].category, cat, strlen(cat) + 1);
	for (i = 0; i < c.inv.nadjusts; i++)
		memcpy(c.inv.adjusts[i].category, cat, strlen(cat) + 1);
	memcpy(c.inv.vat[0].category, cat, strlen(cat) + 1);
	c.inv.vat[0].exemption_reason = reason;
	c.inv.vat[0].exemption_code = code;
	c.inv.note = reason;
}

/* AE, reverse charge (an EU B2B service): both VAT ids, the reason. */
START_TEST(reverse_charge_passes_with_both_vat_ids)
{
	enum einv_syntax s = _i % 2 ? EINV_CII : EINV_UBL;

	recategorise("AE", "Steuerschuldnerschaft des "
	    "Leistungsempf\xC3\xA4ngers", "VATEX-EU-AE");
	write_as(s, EINV_XRECHNUNG);
	ck_no_finding(s, EINV_XRECHNUNG);
	ck_xp_count(&c, s == EINV_UBL ? "//cac:PartyTaxScheme"
	    "[cac:TaxScheme/cbc:ID = 'VAT']" : "//ram:ID[@schemeID = 'VA']",
	    2);
}
END_TEST

/*
 * O, not subject to VAT: no VAT id of seller or buyer (BR-O-02..04), no
 * rate on lines and charges (BR-O-05..07), the breakdown's rate 0
 * (BR-DE-14); the register id names the seller (BR-CO-26).
 */
START_TEST(not_subject_to_vat_drops_the_vat_ids)
{
	enum einv_syntax s = _i % 2 ? EINV_CII : EINV_UBL;

	recategorise("O", "Nicht steuerbarer Umsatz", "VATEX-EU-O");
	write_as(s, EINV_XRECHNUNG);
	ck_no_finding(s, EINV_XRECHNUNG);
	if (s == EINV_UBL) {
		ck_xp_count(&c, "//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = "
		    "'VAT']", 0);
		ck_xp_count(&c, "//cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = "
		    "'FC']", 1);
		ck_xp_count(&c, "//cac:ClassifiedTaxCategory/cbc:Percent", 0);
		ck_xp_str(&c, "//cac:TaxSubtotal/cac:TaxCategory/cbc:Percent",
		    "0");
	} else {
		ck_xp_count(&c, "//ram:ID[@schemeID = 'VA']", 0);
		ck_xp_count(&c, "//ram:ID[@schemeID = 'FC']", 1);
		ck_xp_count(&c, "//ram:SpecifiedLineTradeSettlement/"
		    "ram:ApplicableTradeTax/ram:RateApplicablePercent", 0);
	}
}
END_TEST

/* What einvoice_ready refuses, and the rule it names. */
static void
refused(const char *field_name, const char *words)
{
	struct kerr e;

	kerr_clear(&e);
	ck_assert_int_eq(einvoice_ready(&c.inv, EINV_EN16931, &e),
	    KR_BAD_INPUT);
	ck_assert_str_eq(e.field, field_name);
	ck_assert_msg(strstr(e.msg, words) != NULL, "%s", e.msg);
}

START_TEST(ready_refuses_a_category_without_what_it_needs)
{
	load("intra-eu-at");
	c.inv.buyer.vat_id = NULL;
	refused("buyer.vat_id", "BR-IC-02");
	einv_case_release(&c);
	load("intra-eu-at");
	c.inv.delivery.country[0] = '\0';
	refused("delivery.country", "BR-IC-12");
	einv_case_release(&c);
	load("intra-eu-at");
	c.inv.seller.vat_id = NULL;
	refused("seller.vat_id", "BR-IC-02");
	einv_case_release(&c);
	load("intra-eu-at");
	c.inv.vat[0].exemption_reason = NULL;
	c.inv.vat[0].exemption_code = "";
	refused("vat[0].exemption_reason", "BR-IC-10");
	einv_case_release(&c);
	load("intra-eu-at");
	c.inv.lines[1].rate_bp = 1900;
	refused("lines[1].category", "BR-IC-05");
	einv_case_release(&c);

	load("export-ch");
	c.inv.seller.vat_id = NULL;	/* the tax number is not enough */
	refused("seller.vat_id", "BR-G-02");
	einv_case_release(&c);

	recategorise("AE", "Reverse charge", NULL);
	c.inv.buyer.vat_id = NULL;
	refused("buyer.vat_id", "BR-AE-02");
	einv_case_release(&c);

	load("oss-fr");
	c.inv.vat[1].exemption_reason = "Steuerfrei";
	refused("vat[1].exemption_reason", "BR-S-10");
	einv_case_release(&c);
	load("oss-fr");
	c.inv.adjusts[0].rate_bp = 0;
	refused("allowances_charges[0].category", "BR-S-05");
	einv_case_release(&c);
	load("oss-fr");
	memcpy(c.inv.lines[0].category, "L", 2);
	refused("lines[0].category", "not one kontor writes");
}
END_TEST

START_TEST(ready_names_the_line_that_lacks_a_term)
{
	load("intra-eu-at");
	c.inv.lines[1].unit = NULL;
	refused("lines[1].unit", "BT-130");
	einv_case_release(&c);
	load("intra-eu-at");
	c.inv.lines[0].name = "  ";
	refused("lines[0].name", "BT-153");
	einv_case_release(&c);
	load("intra-eu-at");
	c.inv.lines[1].id = "";
	refused("lines[1].id", "BT-126");
}
END_TEST

START_TEST(ready_refuses_a_seller_named_by_tax_number_alone)
{
	/* E11 without the VAT id: BR-E-02 holds, BR-CO-26 does not. */
	load("small-business");
	c.inv.seller.vat_id = NULL;
	refused("seller.vat_id", "BR-CO-26");
	c.inv.seller.register_id = "HRA 12345";
	ck_assert_int_eq(einvoice_ready(&c.inv, EINV_XRECHNUNG, NULL),
	    KR_OK);
	c.inv.seller.register_id = NULL;
	c.inv.seller.tax_number = NULL;
	refused("seller.vat_id", "BR-E-02");
}
END_TEST

START_TEST(ready_refuses_not_subject_to_vat_mixed_or_unnamed)
{
	recategorise("O", "Nicht steuerbar", NULL);
	c.inv.seller.register_id = NULL;
	refused("seller.vat_id", "BR-CO-26");
	einv_case_release(&c);
	load("oss-fr");
	memcpy(c.inv.lines[1].category, "O", 2);
	memcpy(c.inv.adjusts[1].category, "O", 2);
	memcpy(c.inv.vat[1].category, "O", 2);
	c.inv.lines[1].rate_bp = 0;
	c.inv.adjusts[1].rate_bp = 0;
	c.inv.vat[1].rate_bp = 0;
	c.inv.vat[1].exemption_reason = "Nicht steuerbar";
	refused("vat", "BR-O-11");
	einv_case_release(&c);
	/* one O breakdown, but a line of another category */
	recategorise("O", "Nicht steuerbar", NULL);
	memcpy(c.inv.lines[1].category, "E", 2);
	refused("vat", "BR-O-11");
}
END_TEST

START_TEST(ready_refuses_currencies_without_their_eur_figures)
{
	load("b2b-chf");
	c.inv.has_fx = 0;
	refused("fx", "BR-53");
	einv_case_release(&c);
	load("oss-fr");
	c.inv.has_fx = 1;
	c.inv.fx_rate_e6 = 1000000;
	refused("fx", "PEPPOL-EN16931-R005");
	einv_case_release(&c);
	load("b2b-chf");
	c.inv.vat_eur_minor = -18211;
	refused("fx.vat", "PEPPOL-EN16931-R055");
}
END_TEST

static Suite *
treatments_suite(void)
{
	Suite *s = suite_create("einvoice_treatments");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_loop_test(tc,
	    treatment_documents_pass_the_schema_and_the_checker, 0,
	    (int)NRECORDS * 4);
	tcase_add_test(tc, ubl_invoice_in_chf_states_its_vat_in_eur);
	tcase_add_test(tc, cii_invoice_in_chf_states_its_vat_in_eur);
	tcase_add_test(tc, export_in_chf_states_zero_vat_in_eur);
	tcase_add_test(tc, invoice_in_eur_has_no_vat_accounting_currency);
	tcase_add_test(tc, note_is_written_as_bt22);
	tcase_add_test(tc, ubl_intra_eu_supply_carries_what_br_ic_wants);
	tcase_add_test(tc, cii_intra_eu_supply_carries_what_br_ic_wants);
	tcase_add_test(tc, export_and_small_business_carry_their_reasons);
	tcase_add_loop_test(tc, reverse_charge_passes_with_both_vat_ids, 0,
	    2);
	tcase_add_loop_test(tc, not_subject_to_vat_drops_the_vat_ids, 0, 2);
	tcase_add_test(tc, ready_refuses_a_category_without_what_it_needs);
	tcase_add_test(tc, ready_names_the_line_that_lacks_a_term);
	tcase_add_test(tc, ready_refuses_a_seller_named_by_tax_number_alone);
	tcase_add_test(tc,
	    ready_refuses_not_subject_to_vat_mixed_or_unnamed);
	tcase_add_test(tc,
	    ready_refuses_currencies_without_their_eur_figures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(treatments_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

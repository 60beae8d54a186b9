#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "cii.h"
#include "einvoice.h"
#include "einv_test.h"

/*
 * The records are those of check_ubl.c, whose comment says where every
 * figure comes from; here they come out as CII D16B.
 */

static struct einv_case c;

#define T	"/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
#define HA	T "/ram:ApplicableHeaderTradeAgreement"
#define HD	T "/ram:ApplicableHeaderTradeDelivery"
#define HS	T "/ram:ApplicableHeaderTradeSettlement"
#define SUM	HS "/ram:SpecifiedTradeSettlementHeaderMonetarySummation"

/* Element orders of the D16B schema, the parts kontor writes. */
static const char *const order_transaction[] = {
	"IncludedSupplyChainTradeLineItem", "ApplicableHeaderTradeAgreement",
	"ApplicableHeaderTradeDelivery", "ApplicableHeaderTradeSettlement",
	NULL
};
static const char *const order_agreement[] = {
	"BuyerReference", "SellerTradeParty", "BuyerTradeParty",
	"SellerOrderReferencedDocument", NULL
};
static const char *const order_party[] = {
	"ID", "GlobalID", "Name", "Description",
	"SpecifiedLegalOrganization", "DefinedTradeContact",
	"PostalTradeAddress", "URIUniversalCommunication",
	"SpecifiedTaxRegistration", NULL
};
static const char *const order_address[] = {
	"PostcodeCode", "LineOne", "LineTwo", "CityName", "CountryID",
	"CountrySubDivisionName", NULL
};
static const char *const order_settlement[] = {
	"PaymentReference", "TaxCurrencyCode", "InvoiceCurrencyCode",
	"SpecifiedTradeSettlementPaymentMeans", "ApplicableTradeTax",
	"SpecifiedTradeAllowanceCharge", "SpecifiedTradePaymentTerms",
	"SpecifiedTradeSettlementHeaderMonetarySummation",
	"InvoiceReferencedDocument", NULL
};
static const char *const order_tax[] = {
	"CalculatedAmount", "TypeCode", "ExemptionReason", "BasisAmount",
	"CategoryCode", "ExemptionReasonCode", "RateApplicablePercent", NULL
};
static const char *const order_summation[] = {
	"LineTotalAmount", "ChargeTotalAmount", "AllowanceTotalAmount",
	"TaxBasisTotalAmount", "TaxTotalAmount", "RoundingAmount",
	"GrandTotalAmount", "TotalPrepaidAmount", "DuePayableAmount", NULL
};
static const char *const order_allowance[] = {
	"ChargeIndicator", "ActualAmount", "ReasonCode", "Reason",
	"CategoryTradeTax", NULL
};
static const char *const order_line[] = {
	"AssociatedDocumentLineDocument", "SpecifiedTradeProduct",
	"SpecifiedLineTradeAgreement", "SpecifiedLineTradeDelivery",
	"SpecifiedLineTradeSettlement", NULL
};
static const char *const order_product[] = {
	"SellerAssignedID", "Name", NULL
};
static const char *const order_line_settlement[] = {
	"ApplicableTradeTax", "SpecifiedTradeAllowanceCharge",
	"SpecifiedTradeSettlementLineMonetarySummation", NULL
};
static const char *const order_delivery[] = {
	"ShipToTradeParty", "ActualDeliverySupplyChainEvent", NULL
};

static void
write_case(const char *name, enum einv_profile p)
{
	struct kerr e;

	einv_case_load(&c, name);
	kerr_clear(&e);
	ck_assert_msg(cii_write(&c.inv, p, &c.out, NULL, &e) == KR_OK,
	    "%s: %s", e.field, e.msg);
	einv_case_parse(&c);
}

static void
teardown(void)
{
	einv_case_release(&c);
}

START_TEST(cii_invoice_carries_the_document_terms)
{
	write_case("coupon-1042", EINV_XRECHNUNG);
	ck_xp_str(&c, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext"
	    "/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
	    "urn:cen.eu:en16931:2017#compliant#"
	    "urn:xeinkauf.de:kosit:xrechnung_3.0");
	ck_xp_str(&c, "/rsm:CrossIndustryInvoice/rsm:ExchangedDocumentContext"
	    "/ram:BusinessProcessSpecifiedDocumentContextParameter/ram:ID",
	    "urn:fdc:peppol.eu:2017:poacc:billing:01:1.0");
	ck_xp_str(&c, "//rsm:ExchangedDocument/ram:ID", "RE-2026-000002");
	ck_xp_str(&c, "//rsm:ExchangedDocument/ram:TypeCode", "380");
	ck_xp_str(&c, "//rsm:ExchangedDocument/ram:IssueDateTime/"
	    "udt:DateTimeString[@format = '102']", "20261204");
	ck_xp_str(&c, HS "/ram:InvoiceCurrencyCode", "EUR");
	ck_xp_count(&c, HS "/ram:TaxCurrencyCode", 0);
	ck_xp_str(&c, HA "/ram:BuyerReference", "#1042");
	ck_xp_str(&c, HA "/ram:SellerOrderReferencedDocument/"
	    "ram:IssuerAssignedID", "#1042");
	ck_xp_str(&c, HD "/ram:ActualDeliverySupplyChainEvent/"
	    "ram:OccurrenceDateTime/udt:DateTimeString[@format = '102']",
	    "20261012");
	ck_xp_str(&c, HD "/ram:ShipToTradeParty/ram:PostalTradeAddress/"
	    "ram:CityName", "München");
	ck_xp_str(&c, HS "/ram:SpecifiedTradeSettlementPaymentMeans/"
	    "ram:TypeCode", "68");
	ck_xp_str(&c, HS "/ram:SpecifiedTradeSettlementPaymentMeans/"
	    "ram:Information", "shopify_payments");
	ck_xp_str(&c, HS "/ram:SpecifiedTradePaymentTerms/ram:Description",
	    "Bezahlt im Shop.");
	ck_xp_count(&c, HS "/ram:InvoiceReferencedDocument", 0);
}
END_TEST

START_TEST(cii_parties_carry_ids_addresses_and_contact)
{
	write_case("coupon-1042", EINV_XRECHNUNG);
	ck_xp_str(&c, HA "/ram:SellerTradeParty/ram:Name",
	    "Kontor Demo Manufaktur GmbH");
	ck_xp_str(&c, HA "/ram:SellerTradeParty/ram:SpecifiedLegalOrganization"
	    "/ram:ID", "HRB 999999 B");
	ck_xp_str(&c, HA "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/"
	    "ram:ID[@schemeID = 'VA']", "DE318472657");
	ck_xp_str(&c, HA "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration/"
	    "ram:ID[@schemeID = 'FC']", "37/219/40813");
	ck_xp_count(&c, HA "/ram:SellerTradeParty/"
	    "ram:SpecifiedTaxRegistration",
	    2);
	ck_xp_str(&c, HA "/ram:SellerTradeParty/ram:DefinedTradeContact/"
	    "ram:PersonName", "Mareike Ostermann");
	ck_xp_str(&c, HA "/ram:SellerTradeParty/ram:DefinedTradeContact/"
	    "ram:TelephoneUniversalCommunication/ram:CompleteNumber",
	    "+49 30 0000000");
	ck_xp_str(&c, HA "/ram:SellerTradeParty/ram:DefinedTradeContact/"
	    "ram:EmailURIUniversalCommunication/ram:URIID",
	    "buchhaltung@kontor-demo.example.invalid");
	ck_xp_str(&c, HA "/ram:SellerTradeParty/ram:URIUniversalCommunication/"
	    "ram:URIID[@schemeID = 'EM']",
	    "rechnung@kontor-demo.example.invalid");
	ck_xp_str(&c, HA "/ram:BuyerTradeParty/ram:Name", "Lukas Bäumer");
	ck_xp_str(&c, HA "/ram:BuyerTradeParty/ram:URIUniversalCommunication/"
	    "ram:URIID[@schemeID = 'EM']", "lukas.baeumer@example.invalid");
	ck_xp_str(&c, HA "/ram:BuyerTradeParty/ram:PostalTradeAddress/"
	    "ram:PostcodeCode", "80799");
	ck_xp_count(&c, HA "/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration",
	    0);
}
END_TEST

START_TEST(cii_totals_and_breakdown_are_the_records)
{
	write_case("coupon-1042", EINV_XRECHNUNG);
	ck_xp_str(&c, SUM "/ram:LineTotalAmount", "48.56");
	ck_xp_str(&c, SUM "/ram:ChargeTotalAmount", "3.43");
	ck_xp_count(&c, SUM "/ram:AllowanceTotalAmount", 0);
	ck_xp_str(&c, SUM "/ram:TaxBasisTotalAmount", "51.99");
	ck_xp_str(&c, SUM "/ram:TaxTotalAmount[@currencyID = 'EUR']", "7.28");
	ck_xp_count(&c, SUM "/ram:RoundingAmount", 0);
	ck_xp_str(&c, SUM "/ram:GrandTotalAmount", "59.27");
	ck_xp_str(&c, SUM "/ram:TotalPrepaidAmount", "59.27");
	ck_xp_str(&c, SUM "/ram:DuePayableAmount", "0.00");
	ck_xp_count(&c, HS "/ram:ApplicableTradeTax", 2);
	ck_xp_str(&c, HS "/ram:ApplicableTradeTax[ram:RateApplicablePercent "
	    "= '19']/ram:BasisAmount", "30.32");
	ck_xp_str(&c, HS "/ram:ApplicableTradeTax[ram:RateApplicablePercent "
	    "= '19']/ram:CalculatedAmount", "5.76");
	ck_xp_str(&c, HS "/ram:ApplicableTradeTax[ram:RateApplicablePercent "
	    "= '7']/ram:BasisAmount", "21.67");
	ck_xp_str(&c, HS "/ram:ApplicableTradeTax[ram:RateApplicablePercent "
	    "= '7']/ram:CalculatedAmount", "1.52");
	ck_xp_str(&c, HS "/ram:ApplicableTradeTax[1]/ram:TypeCode", "VAT");
	ck_xp_str(&c, HS "/ram:SpecifiedTradeAllowanceCharge[ram:"
	    "CategoryTradeTax/ram:RateApplicablePercent = '7']/"
	    "ram:ActualAmount", "1.51");
	ck_xp_str(&c, HS "/ram:SpecifiedTradeAllowanceCharge[1]/"
	    "ram:ChargeIndicator/udt:Indicator", "true");
	ck_xp_str(&c, HS "/ram:SpecifiedTradeAllowanceCharge[1]/"
	    "ram:ReasonCode",
	    "FC");
	ck_xp_str(&c, HS "/ram:SpecifiedTradeAllowanceCharge[1]/ram:Reason",
	    "Versand");
}
END_TEST

START_TEST(cii_lines_carry_price_quantity_and_allowance)
{
	const char *l = T "/ram:IncludedSupplyChainTradeLineItem[ram:"
	    "AssociatedDocumentLineDocument/ram:LineID = '1']";
	char q[512];

	write_case("coupon-1042", EINV_XRECHNUNG);
	ck_xp_count(&c, T "/ram:IncludedSupplyChainTradeLineItem", 2);
	snprintf(q, sizeof(q), "%s/ram:SpecifiedLineTradeDelivery/"
	    "ram:BilledQuantity[@unitCode = 'H87']", l);
	ck_xp_str(&c, q, "3");
	snprintf(q, sizeof(q), "%s/ram:SpecifiedLineTradeAgreement/"
	    "ram:NetPriceProductTradePrice/ram:ChargeAmount", l);
	ck_xp_str(&c, q, "7.9333");
	snprintf(q, sizeof(q), "%s/ram:SpecifiedLineTradeSettlement/"
	    "ram:SpecifiedTradeSettlementLineMonetarySummation/"
	    "ram:LineTotalAmount", l);
	ck_xp_str(&c, q, "20.16");
	snprintf(q, sizeof(q), "%s/ram:SpecifiedLineTradeSettlement/"
	    "ram:SpecifiedTradeAllowanceCharge/ram:ActualAmount", l);
	ck_xp_str(&c, q, "3.64");
	snprintf(q, sizeof(q), "%s/ram:SpecifiedLineTradeSettlement/"
	    "ram:SpecifiedTradeAllowanceCharge/ram:ChargeIndicator/"
	    "udt:Indicator", l);
	ck_xp_str(&c, q, "false");
	snprintf(q, sizeof(q), "%s/ram:SpecifiedLineTradeSettlement/"
	    "ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode", l);
	ck_xp_str(&c, q, "95");
	snprintf(q, sizeof(q), "%s/ram:SpecifiedLineTradeSettlement/"
	    "ram:SpecifiedTradeAllowanceCharge/ram:Reason", l);
	ck_xp_str(&c, q, "HERBST10");
	snprintf(q, sizeof(q), "%s/ram:SpecifiedLineTradeSettlement/"
	    "ram:ApplicableTradeTax/ram:RateApplicablePercent", l);
	ck_xp_str(&c, q, "7");
	snprintf(q, sizeof(q), "%s/ram:SpecifiedTradeProduct/"
	    "ram:SellerAssignedID", l);
	ck_xp_str(&c, q, "TEE-SEN-100");
	snprintf(q, sizeof(q), "%s/ram:SpecifiedTradeProduct/ram:Name", l);
	ck_xp_str(&c, q, "Grüner Tee Sencha 100 g");
}
END_TEST

static const char *const cases[] = {
	"coupon-1042", "credit-1043", "b2b-transfer"
};

START_TEST(cii_elements_come_in_schema_order)
{
	write_case(cases[_i], EINV_XRECHNUNG);
	einv_assert_order(&c, T, order_transaction);
	einv_assert_order(&c, HA, order_agreement);
	einv_assert_order(&c, HA "/*[local-name() = 'SellerTradeParty' or "
	    "local-name() = 'BuyerTradeParty'] | " HD "/ram:ShipToTradeParty",
	    order_party);
	einv_assert_order(&c, "//ram:PostalTradeAddress", order_address);
	einv_assert_order(&c, HS, order_settlement);
	einv_assert_order(&c, HS "/ram:ApplicableTradeTax", order_tax);
	einv_assert_order(&c, SUM, order_summation);
	if (xp_count(&c, "//ram:SpecifiedTradeAllowanceCharge") > 0)
		einv_assert_order(&c, "//ram:SpecifiedTradeAllowanceCharge",
		    order_allowance);
	einv_assert_order(&c, T "/ram:IncludedSupplyChainTradeLineItem",
	    order_line);
	einv_assert_order(&c, "//ram:SpecifiedTradeProduct", order_product);
	einv_assert_order(&c, "//ram:SpecifiedLineTradeSettlement",
	    order_line_settlement);
	einv_assert_order(&c, HD, order_delivery);
}
END_TEST

START_TEST(cii_writes_no_empty_element)
{
	write_case(cases[_i], EINV_XRECHNUNG);
	einv_assert_no_empty(&c);
}
END_TEST

START_TEST(cii_currency_only_on_the_vat_total)
{
	write_case(cases[_i], EINV_XRECHNUNG);
	ck_xp_count(&c, "//*[@currencyID]", 1);
	ck_xp_count(&c, SUM "/ram:TaxTotalAmount[@currencyID = 'EUR']", 1);
	einv_assert_two_decimals(&c, "//ram:*[contains(local-name(), "
	    "'Amount') and local-name() != 'ChargeAmount']");
}
END_TEST

START_TEST(cii_documents_are_valid_against_the_schema)
{
	write_case(cases[_i], EINV_XRECHNUNG);
	einv_assert_xsd(&c, EINV_CII, EINV_XRECHNUNG);
}
END_TEST

START_TEST(cii_credit_note_refers_to_its_invoice)
{
	write_case("credit-1043", EINV_XRECHNUNG);
	ck_xp_str(&c, "//rsm:ExchangedDocument/ram:TypeCode", "381");
	ck_xp_str(&c, "//rsm:ExchangedDocument/ram:ID", "GS-2026-000001");
	ck_xp_str(&c, HS "/ram:InvoiceReferencedDocument/"
	    "ram:IssuerAssignedID", "RE-2026-000003");
	ck_xp_str(&c, HS "/ram:InvoiceReferencedDocument/"
	    "ram:FormattedIssueDateTime/qdt:DateTimeString[@format = '102']",
	    "20261204");
	ck_xp_str(&c, "//ram:BilledQuantity", "1");
	ck_xp_str(&c, SUM "/ram:TaxBasisTotalAmount", "16.72");
	ck_xp_str(&c, SUM "/ram:TaxTotalAmount", "3.18");
	ck_xp_str(&c, SUM "/ram:GrandTotalAmount", "19.90");
	ck_xp_count(&c, "//ram:*[starts-with(normalize-space(.), '-')]", 0);
}
END_TEST

START_TEST(cii_transfer_names_account_and_remittance)
{
	write_case("b2b-transfer", EINV_XRECHNUNG);
	ck_xp_str(&c, HS "/ram:PaymentReference", "RE-2026-000100");
	ck_xp_str(&c, HS "/ram:SpecifiedTradeSettlementPaymentMeans/"
	    "ram:TypeCode", "58");
	ck_xp_str(&c, HS "/ram:SpecifiedTradeSettlementPaymentMeans/"
	    "ram:PayeePartyCreditorFinancialAccount/ram:IBANID",
	    "DE60123456780004711002");
	ck_xp_str(&c, SUM "/ram:AllowanceTotalAmount", "1.25");
	ck_xp_str(&c, SUM "/ram:DuePayableAmount", "74.17");
	ck_xp_count(&c, SUM "/ram:TotalPrepaidAmount", 0);
	ck_xp_str(&c, HS "/ram:SpecifiedTradeAllowanceCharge[ram:"
	    "ChargeIndicator/udt:Indicator = 'false']/ram:ReasonCode", "95");
	ck_xp_str(&c, HA "/ram:BuyerTradeParty/ram:Name", "Muster Bau GmbH");
	ck_xp_str(&c, HA "/ram:BuyerTradeParty/ram:DefinedTradeContact/"
	    "ram:PersonName", "Erika Muster");
	ck_xp_str(&c, HA "/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration/"
	    "ram:ID[@schemeID = 'VA']", "DE123456788");
	ck_xp_str(&c, HA "/ram:BuyerTradeParty/ram:PostalTradeAddress/"
	    "ram:LineTwo", "Hinterhaus");
	ck_xp_str(&c, HD "/ram:ShipToTradeParty/ram:PostalTradeAddress/"
	    "ram:LineOne", "Am Kai 9");
	ck_xp_count(&c, HA "/ram:SellerTradeParty/"
	    "ram:SpecifiedTaxRegistration",
	    1);
	ck_xp_count(&c, HA "/ram:SellerTradeParty/"
	    "ram:SpecifiedLegalOrganization", 0);
	ck_xp_str(&c, "//ram:IncludedSupplyChainTradeLineItem[1]/"
	    "ram:SpecifiedTradeProduct/ram:Name",
	    "Schrauben-Set <Edelstahl> & Dübel");
}
END_TEST

START_TEST(cii_delivery_is_there_without_a_ship_to_address)
{
	struct kerr e;

	einv_case_load(&c, "credit-1043");
	memset(&c.inv.delivery, 0, sizeof(c.inv.delivery));
	kerr_clear(&e);
	ck_assert_int_eq(cii_write(&c.inv, EINV_EN16931, &c.out, NULL, &e),
	    KR_OK);
	einv_case_parse(&c);
	ck_xp_count(&c, HD, 1);
	ck_xp_count(&c, HD "/ram:ShipToTradeParty", 0);
	ck_xp_str(&c, HD "//udt:DateTimeString", "20261019");
	einv_assert_no_empty(&c);
}
END_TEST

START_TEST(cii_zero_rate_is_written_in_the_breakdown)
{
	struct kerr e;

	einv_case_load(&c, "credit-1043");
	memcpy(c.inv.lines[0].category, "O", 2);
	c.inv.lines[0].rate_bp = 0;
	memcpy(c.inv.vat[0].category, "O", 2);
	c.inv.vat[0].rate_bp = 0;
	c.inv.vat[0].exemption_reason = "Nicht steuerbar";
	c.inv.vat[0].exemption_code = "VATEX-EU-O";
	kerr_clear(&e);
	ck_assert_int_eq(cii_write(&c.inv, EINV_EN16931, &c.out, NULL, &e),
	    KR_OK);
	einv_case_parse(&c);
	ck_xp_str(&c, HS "/ram:ApplicableTradeTax/ram:RateApplicablePercent",
	    "0");
	ck_xp_str(&c, HS "/ram:ApplicableTradeTax/ram:ExemptionReason",
	    "Nicht steuerbar");
	ck_xp_str(&c, HS "/ram:ApplicableTradeTax/ram:ExemptionReasonCode",
	    "VATEX-EU-O");
	ck_xp_count(&c, "//ram:SpecifiedLineTradeSettlement//"
	    "ram:RateApplicablePercent", 0);
	einv_assert_order(&c, HS "/ram:ApplicableTradeTax", order_tax);
}
END_TEST

static const struct {
	enum einv_profile p;
	const char *id;
} profile_ids[] = {
	{ EINV_XRECHNUNG, "urn:cen.eu:en16931:2017#compliant#"
	    "urn:xeinkauf.de:kosit:xrechnung_3.0" },
	{ EINV_EN16931, "urn:cen.eu:en16931:2017" },
	{ EINV_ZUGFERD_EN16931, "urn:cen.eu:en16931:2017" },
	{ EINV_ZUGFERD_BASIC, "urn:cen.eu:en16931:2017#compliant#"
	    "urn:factur-x.eu:1p0:basic" },
	{ EINV_ZUGFERD_EXTENDED, "urn:cen.eu:en16931:2017#conformant#"
	    "urn:factur-x.eu:1p0:extended" },
};

START_TEST(cii_profiles_name_their_specification)
{
	write_case("coupon-1042", profile_ids[_i].p);
	ck_xp_str(&c, "//ram:GuidelineSpecifiedDocumentContextParameter/"
	    "ram:ID", profile_ids[_i].id);
	einv_assert_xsd(&c, EINV_CII, profile_ids[_i].p);
}
END_TEST

static Suite *
cii_suite(void)
{
	Suite *s = suite_create("cii");
	TCase *tc = tcase_create("write");
	int n = (int)(sizeof(cases) / sizeof(cases[0]));

	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, cii_invoice_carries_the_document_terms);
	tcase_add_test(tc, cii_parties_carry_ids_addresses_and_contact);
	tcase_add_test(tc, cii_totals_and_breakdown_are_the_records);
	tcase_add_test(tc, cii_lines_carry_price_quantity_and_allowance);
	tcase_add_loop_test(tc, cii_elements_come_in_schema_order, 0, n);
	tcase_add_loop_test(tc, cii_writes_no_empty_element, 0, n);
	tcase_add_loop_test(tc, cii_currency_only_on_the_vat_total, 0, n);
	tcase_add_loop_test(tc, cii_documents_are_valid_against_the_schema, 0,
	    n);
	tcase_add_test(tc, cii_credit_note_refers_to_its_invoice);
	tcase_add_test(tc, cii_transfer_names_account_and_remittance);
	tcase_add_test(tc, cii_delivery_is_there_without_a_ship_to_address);
	tcase_add_test(tc, cii_zero_rate_is_written_in_the_breakdown);
	tcase_add_loop_test(tc, cii_profiles_name_their_specification, 0,
	    (int)(sizeof(profile_ids) / sizeof(profile_ids[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(cii_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

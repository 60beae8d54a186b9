#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "einvoice_check.h"
#include "einvoice_variants.h"
#include "err.h"

/*
 * Every rule of the e-invoice checker against the hand-written documents
 * of tests/data/einvoice/ (valid: no finding at all) and one or more
 * mutations each.  A mutation names the exact set of rule ids (fatal and
 * warning) the checker must report, no more, no less; the valid variants
 * of einvoice_variants.h have the empty set.
 *
 * The same table feeds the end-to-end cross-check with the official
 * validator (tests/e2e/0410-einvoice-checker-rules): with
 * EINV_MUTATIONS_OUT=dir this program writes every mutation to dir and a
 * manifest instead of testing; with EINV_CHECK_FILES=1 it checks the
 * files named on its command line (profile from EINV_PROFILE, XSD from
 * EINV_SCHEMAS) and prints one line per finding.
 */

#define XR	EINV_XRECHNUNG
#define EN	EINV_EN16931

static const struct mutation muts[] = {
	/* The valid variants. */
	{"ubl-valid", BASE_UBL, XR, NULL, {{0}}, ""},
	{"ubl-cn-valid", BASE_UBL_CN, XR, NULL, {{0}}, ""},
	{"cii-valid", BASE_CII, XR, NULL, {{0}}, ""},
	{"ubl-var-allowance", BASE_UBL, XR, u_allow, {{0}}, ""},
	{"ubl-cn-var-allowance", BASE_UBL_CN, XR, u_allow, {{0}}, ""},
	{"cii-var-allowance", BASE_CII, XR, c_allow, {{0}}, ""},
	{"ubl-var-line-allowance", BASE_UBL, XR, u_lallow, {{0}}, ""},
	{"cii-var-line-allowance", BASE_CII, XR, c_lallow, {{0}}, ""},
	{"ubl-var-line-charge", BASE_UBL, XR, u_lcharge, {{0}}, ""},
	{"cii-var-line-charge", BASE_CII, XR, c_lcharge, {{0}}, ""},
	{"ubl-var-price-discount", BASE_UBL, XR, u_price, {{0}}, ""},
	{"cii-var-price-discount", BASE_CII, XR, c_price, {{0}}, ""},
	{"ubl-var-sepa", BASE_UBL, XR, u_sepa, {{0}}, ""},
	{"cii-var-sepa", BASE_CII, XR, c_sepa, {{0}}, ""},
	{"ubl-var-debit", BASE_UBL, XR, u_debit, {{0}}, ""},
	{"cii-var-debit", BASE_CII, XR, c_debit, {{0}}, ""},
	{"ubl-var-card", BASE_UBL, XR, u_card, {{0}}, ""},
	{"cii-var-card", BASE_CII, XR, c_card, {{0}}, ""},
	{"ubl-var-z", BASE_UBL, XR, u_cat_z, {{0}}, ""},
	{"ubl-var-e", BASE_UBL, XR, u_cat_e, {{0}}, ""},
	{"ubl-var-ae", BASE_UBL, XR, u_cat_ae, {{0}}, ""},
	{"ubl-var-k", BASE_UBL, XR, u_cat_k, {{0}}, ""},
	{"ubl-var-g", BASE_UBL, XR, u_cat_g, {{0}}, ""},
	{"ubl-var-o", BASE_UBL, XR, u_cat_o, {{0}}, ""},
	{"cii-var-z", BASE_CII, XR, c_cat_z, {{0}}, ""},
	{"cii-var-e", BASE_CII, XR, c_cat_e, {{0}}, ""},
	{"cii-var-ae", BASE_CII, XR, c_cat_ae, {{0}}, ""},
	{"cii-var-k", BASE_CII, XR, c_cat_k, {{0}}, ""},
	{"cii-var-g", BASE_CII, XR, c_cat_g, {{0}}, ""},
	{"cii-var-o", BASE_CII, XR, c_cat_o, {{0}}, ""},
	{"ubl-skonto", BASE_UBL, XR, NULL, {SET("/*/cac:PaymentTerms/cbc:Note",
	    "#SKONTO#TAGE=14#PROZENT=2.00#\n")}, ""},
	{"ubl-en16931-profile", BASE_UBL, EN, NULL,
	    {SET("/*/cbc:CustomizationID", "urn:cen.eu:en16931:2017")}, ""},

	/* Document level: BR-01 to BR-16. */
	{"ubl-br-01", BASE_UBL, XR, NULL, {SET("/*/cbc:CustomizationID", " ")},
	    "BR-01 BR-DE-21 PEPPOL-EN16931-R008"},
	{"ubl-br-02", BASE_UBL, XR, NULL, {SET("/*/cbc:ID", "")},
	    "BR-02 PEPPOL-EN16931-R008"},
	{"cii-br-02", BASE_CII, XR, NULL,
	    {SET("/*/rsm:ExchangedDocument/ram:ID", "")},
	    "BR-02 PEPPOL-EN16931-R008"},
	{"cii-br-03", BASE_CII, XR, NULL, {SET("/*/rsm:ExchangedDocument/"
	    "ram:IssueDateTime/udt:DateTimeString", "")},
	    "BR-03 PEPPOL-EN16931-R008"},
	{"cii-br-04", BASE_CII, XR, NULL,
	    {SET("/*/rsm:ExchangedDocument/ram:TypeCode", "")},
	    "BR-04 BR-CL-01 BR-DE-17 PEPPOL-EN16931-R008"},
	{"cii-br-05", BASE_CII, EN, NULL,
	    {DEL(CHS "/ram:InvoiceCurrencyCode")},
	    "BR-05"},
	{"ubl-br-06", BASE_UBL, XR, NULL,
	    {SET(US "/cac:PartyLegalEntity/cbc:RegistrationName", "")},
	    "BR-06 PEPPOL-EN16931-R008"},
	{"cii-br-06", BASE_CII, XR, NULL,
	    {DEL(CHA "/ram:SellerTradeParty/ram:Name")}, "BR-06"},
	{"ubl-br-07", BASE_UBL, XR, NULL,
	    {SET(UB "/cac:PartyLegalEntity/cbc:RegistrationName", "")},
	    "BR-07 PEPPOL-EN16931-R008"},
	{"cii-br-07", BASE_CII, XR, NULL,
	    {DEL(CHA "/ram:BuyerTradeParty/ram:Name")}, "BR-07"},
	{"ubl-br-08", BASE_UBL, XR, NULL, {DEL(US "/cac:PostalAddress")},
	    "BR-08"},
	{"cii-br-08", BASE_CII, XR, NULL,
	    {DEL(CHA "/ram:SellerTradeParty/ram:PostalTradeAddress")},
	    "BR-08 BR-09"},
	{"ubl-br-09", BASE_UBL, XR, NULL, {SET(US "/cac:PostalAddress/"
	    "cac:Country/cbc:IdentificationCode", "")},
	    "BR-09 BR-CL-14 PEPPOL-EN16931-R008"},
	{"ubl-br-10", BASE_UBL, XR, NULL, {DEL(UB "/cac:PostalAddress")},
	    "BR-10"},
	{"cii-br-10", BASE_CII, XR, NULL,
	    {DEL(CHA "/ram:BuyerTradeParty/ram:PostalTradeAddress")},
	    "BR-10 BR-11"},
	{"cii-br-11", BASE_CII, XR, NULL, {DEL(CHA "/ram:BuyerTradeParty/"
	    "ram:PostalTradeAddress/ram:CountryID")}, "BR-11"},
	{"ubl-br-12", BASE_UBL, XR, NULL,
	    {DEL(UT "/cbc:LineExtensionAmount")},
	    "BR-12 BR-CO-10 BR-CO-13"},
	{"cii-br-12", BASE_CII, XR, NULL, {DEL(CSUM "/ram:LineTotalAmount")},
	    "BR-12 BR-CO-10 BR-CO-13"},
	{"ubl-br-13", BASE_UBL, XR, NULL,
	    {DEL(UT "/cbc:TaxExclusiveAmount")},
	    "BR-13 BR-CO-13 BR-CO-15"},
	{"cii-br-13", BASE_CII, XR, NULL,
	    {DEL(CSUM "/ram:TaxBasisTotalAmount")},
	    "BR-13 BR-CO-13 BR-CO-15"},
	{"ubl-br-14", BASE_UBL, XR, NULL,
	    {DEL(UT "/cbc:TaxInclusiveAmount")},
	    "BR-14 BR-CO-15 BR-CO-16"},
	{"cii-br-14", BASE_CII, XR, NULL, {DEL(CSUM "/ram:GrandTotalAmount")},
	    "BR-14 BR-CO-15 BR-CO-16"},
	{"cii-br-15", BASE_CII, XR, NULL, {DEL(CSUM "/ram:DuePayableAmount")},
	    "BR-15 BR-CO-16"},
	{"ubl-br-16", BASE_UBL, EN, NULL, {DEL(UL(1)), DEL(UL(1)), DEL(UL(1))},
	    "BR-16 BR-CO-10 BR-S-08"},
	{"cii-br-16", BASE_CII, EN, NULL,
	    {DEL(CT "/ram:IncludedSupplyChainTradeLineItem")},
	    "BR-16 BR-CO-10 BR-S-08"},

	/* Payee and tax representative: BR-17 to BR-20, BR-56. */
	{"ubl-br-17", BASE_UBL, XR, NULL, {INS("/*/cac:Delivery",
	    "<cac:PayeeParty><cac:PartyIdentification><cbc:ID>P1</cbc:ID>"
	    "</cac:PartyIdentification></cac:PayeeParty>")}, "BR-17"},
	{"ubl-br-18-19-56", BASE_UBL, XR, NULL, {INS("/*/cac:Delivery",
	    "<cac:TaxRepresentativeParty><cac:PartyName><cbc:Name>"
	    "</cbc:Name></cac:PartyName></cac:TaxRepresentativeParty>")},
	    "BR-18 BR-19 BR-56 PEPPOL-EN16931-R008"},
	{"cii-br-18-20-56", BASE_CII, XR, NULL,
	    {INS(CHA "/ram:SellerOrderReferencedDocument",
	    "<ram:SellerTaxRepresentativeTradeParty><ram:Name>Vertreter"
	    "</ram:Name><ram:PostalTradeAddress><ram:CityName>Wien"
	    "</ram:CityName></ram:PostalTradeAddress>"
	    "</ram:SellerTaxRepresentativeTradeParty>")},
	    "BR-20 BR-56"},

	/* Lines: BR-21 to BR-28, BR-64. */
	{"ubl-br-21", BASE_UBL, XR, NULL, {SET(UL(2) "/cbc:ID", "")},
	    "BR-21 PEPPOL-EN16931-R008"},
	{"cii-br-21", BASE_CII, XR, NULL, {SET(CL(2) "/ram:"
	    "AssociatedDocumentLineDocument/ram:LineID", "")},
	    "BR-21 PEPPOL-EN16931-R008"},
	{"ubl-br-22", BASE_UBL, XR, NULL, {DEL(UL(2) "/cbc:InvoicedQuantity")},
	    "BR-22 BR-23"},
	{"ubl-cn-br-22", BASE_UBL_CN, XR, NULL,
	    {DEL(UL(2) "/cbc:CreditedQuantity")}, "BR-22 BR-23"},
	{"cii-br-22", BASE_CII, XR, NULL,
	    {DEL(CL(2) "/ram:SpecifiedLineTradeDelivery/ram:BilledQuantity")},
	    "BR-22 BR-23 PEPPOL-EN16931-R008"},
	{"ubl-br-23", BASE_UBL, XR, NULL,
	    {DEL(UL(2) "/cbc:InvoicedQuantity/@unitCode")}, "BR-23"},
	{"ubl-br-24", BASE_UBL, XR, NULL,
	    {DEL(UL(2) "/cbc:LineExtensionAmount")},
	    "BR-24 BR-CO-10 BR-S-08 PEPPOL-EN16931-R120"},
	{"cii-br-24", BASE_CII, XR, NULL, {DEL(CLS(2) "/ram:"
	    "SpecifiedTradeSettlementLineMonetarySummation/"
	    "ram:LineTotalAmount")},
	    "BR-24 BR-CO-10 BR-S-08 PEPPOL-EN16931-R008 PEPPOL-EN16931-R120"},
	{"ubl-br-25", BASE_UBL, XR, NULL, {SET(UL(2) "/cac:Item/cbc:Name",
	    " ")}, "BR-25 PEPPOL-EN16931-R008"},
	{"cii-br-25", BASE_CII, XR, NULL,
	    {DEL(CL(2) "/ram:SpecifiedTradeProduct/ram:Name")}, "BR-25"},
	{"ubl-br-26", BASE_UBL, XR, NULL, {DEL(UL(2) "/cac:Price")},
	    "BR-26 BR-27 PEPPOL-EN16931-R120"},
	{"cii-br-26", BASE_CII, XR, NULL, {DEL(CNET(2))},
	    "BR-26 BR-27 PEPPOL-EN16931-R008 PEPPOL-EN16931-R120"},
	{"ubl-br-27", BASE_UBL, XR, NULL,
	    {SET(UL(2) "/cac:Price/cbc:PriceAmount", "-12.56")},
	    "BR-27 PEPPOL-EN16931-R120"},
	{"cii-br-27", BASE_CII, XR, NULL,
	    {SET(CNET(2) "/ram:ChargeAmount", "-12.56")},
	    "BR-27 PEPPOL-EN16931-R120"},
	{"ubl-br-28", BASE_UBL, XR, u_price,
	    {SET(UL(2) "/cac:Price/cac:AllowanceCharge/cbc:BaseAmount",
	    "-1.00")}, "BR-28 PEPPOL-EN16931-R046"},
	{"cii-br-28", BASE_CII, XR, c_price,
	    {SET(CL(2) "//ram:GrossPriceProductTradePrice/ram:ChargeAmount",
	    "-1.00")}, "BR-28 PEPPOL-EN16931-R046"},
	{"ubl-br-64", BASE_UBL, XR, NULL, {INS(UL(2) "/cac:Item/"
	    "cac:ClassifiedTaxCategory", "<cac:StandardItemIdentification>"
	    "<cbc:ID>4006381333931</cbc:ID>"
	    "</cac:StandardItemIdentification>")},
	    "BR-64"},
	{"cii-br-64", BASE_CII, XR, NULL,
	    {INS(CL(2) "/ram:SpecifiedTradeProduct/ram:SellerAssignedID",
	    "<ram:GlobalID>4006381333931</ram:GlobalID>")}, "BR-64"},

	/* Periods: BR-29, BR-30, BR-CO-19, BR-CO-20. */
	{"ubl-br-29", BASE_UBL, XR, NULL, {INS("/*/cac:OrderReference",
	    "<cac:InvoicePeriod><cbc:StartDate>2026-10-06</cbc:StartDate>"
	    "<cbc:EndDate>2026-10-01</cbc:EndDate></cac:InvoicePeriod>")},
	    "BR-29"},
	{"cii-br-29", BASE_CII, XR, NULL, {INS(CAC "[1]",
	    "<ram:BillingSpecifiedPeriod><ram:StartDateTime>"
	    "<udt:DateTimeString format=\"102\">20261006</udt:DateTimeString>"
	    "</ram:StartDateTime><ram:EndDateTime><udt:DateTimeString "
	    "format=\"102\">20261001</udt:DateTimeString></ram:EndDateTime>"
	    "</ram:BillingSpecifiedPeriod>")}, "BR-29"},
	{"ubl-br-co-19", BASE_UBL, XR, NULL, {INS("/*/cac:OrderReference",
	    "<cac:InvoicePeriod><cbc:Description>Oktober</cbc:Description>"
	    "</cac:InvoicePeriod>")}, "BR-CO-19"},
	{"ubl-br-30", BASE_UBL, XR, NULL, {INS(UL(2) "/cac:Item",
	    "<cac:InvoicePeriod><cbc:StartDate>2026-10-06</cbc:StartDate>"
	    "<cbc:EndDate>2026-10-01</cbc:EndDate></cac:InvoicePeriod>")},
	    "BR-30"},
	{"cii-br-30", BASE_CII, XR, NULL, {INS(CLS(2) "/ram:"
	    "SpecifiedTradeSettlementLineMonetarySummation",
	    "<ram:BillingSpecifiedPeriod><ram:StartDateTime>"
	    "<udt:DateTimeString format=\"102\">20261006</udt:DateTimeString>"
	    "</ram:StartDateTime><ram:EndDateTime><udt:DateTimeString "
	    "format=\"102\">20261001</udt:DateTimeString></ram:EndDateTime>"
	    "</ram:BillingSpecifiedPeriod>")}, "BR-30"},
	{"ubl-br-co-20", BASE_UBL, XR, NULL, {INS(UL(2) "/cac:Item",
	    "<cac:InvoicePeriod><cbc:Description>Oktober</cbc:Description>"
	    "</cac:InvoicePeriod>")}, "BR-CO-20"},

	/* Document allowances and charges: BR-31 to BR-38. */
	{"ubl-br-31", BASE_UBL, XR, u_allow, {DEL(UAC "[3]/cbc:Amount")},
	    "BR-31 BR-CO-11 BR-S-08"},
	{"cii-br-31", BASE_CII, XR, c_allow,
	    {DEL(CAC "[3]/ram:ActualAmount")}, "BR-31 BR-CO-11 BR-S-08"},
	{"ubl-br-32", BASE_UBL, XR, u_allow, {DEL(UAC "[3]/cac:TaxCategory")},
	    "BR-32 BR-S-08"},
	{"cii-br-32", BASE_CII, XR, c_allow,
	    {DEL(CAC "[3]/ram:CategoryTradeTax")}, "BR-32 BR-S-08"},
	{"ubl-br-33", BASE_UBL, XR, u_allow,
	    {DEL(UAC "[3]/cbc:AllowanceChargeReason"),
	    DEL(UAC "[3]/cbc:AllowanceChargeReasonCode")}, "BR-33 BR-CO-21"},
	{"cii-br-33", BASE_CII, XR, c_allow,
	    {DEL(CAC "[3]/ram:Reason"), DEL(CAC "[3]/ram:ReasonCode")},
	    "BR-33 BR-CO-21"},
	{"ubl-br-36", BASE_UBL, XR, NULL, {DEL(UAC "[2]/cbc:Amount")},
	    "BR-36 BR-CO-12 BR-S-08"},
	{"cii-br-36", BASE_CII, XR, NULL, {DEL(CAC "[2]/ram:ActualAmount")},
	    "BR-36 BR-CO-12 BR-S-08"},
	{"ubl-br-37", BASE_UBL, XR, NULL, {DEL(UAC "[1]/cac:TaxCategory")},
	    "BR-37 BR-S-08"},
	{"cii-br-37", BASE_CII, XR, NULL,
	    {DEL(CAC "[1]/ram:CategoryTradeTax")}, "BR-37 BR-S-08"},
	{"ubl-br-38", BASE_UBL, XR, NULL,
	    {DEL(UAC "[1]/cbc:AllowanceChargeReason"),
	    DEL(UAC "[1]/cbc:AllowanceChargeReasonCode")}, "BR-38 BR-CO-22"},
	{"cii-br-38", BASE_CII, XR, NULL,
	    {DEL(CAC "[1]/ram:Reason"), DEL(CAC "[1]/ram:ReasonCode")},
	    "BR-38 BR-CO-22"},

	/* Line allowances and charges: BR-41 to BR-44. */
	{"ubl-br-41", BASE_UBL, XR, u_lallow,
	    {DEL(UL(3) "/cac:AllowanceCharge/cbc:Amount")},
	    "BR-41 PEPPOL-EN16931-R120"},
	{"cii-br-41", BASE_CII, XR, c_lallow,
	    {DEL(CLS(3) "/ram:SpecifiedTradeAllowanceCharge/"
	    "ram:ActualAmount")},
	    "BR-41 PEPPOL-EN16931-R120"},
	{"ubl-br-42", BASE_UBL, XR, u_lallow,
	    {DEL(UL(3) "/cac:AllowanceCharge/cbc:AllowanceChargeReason"),
	    DEL(UL(3) "/cac:AllowanceCharge/cbc:AllowanceChargeReasonCode")},
	    "BR-42 BR-CO-23"},
	{"cii-br-42", BASE_CII, XR, c_lallow,
	    {DEL(CLS(3) "/ram:SpecifiedTradeAllowanceCharge/ram:Reason"),
	    DEL(CLS(3) "/ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode")},
	    "BR-42 BR-CO-23"},
	{"ubl-br-43", BASE_UBL, XR, u_lcharge,
	    {DEL(UL(3) "/cac:AllowanceCharge/cbc:Amount")},
	    "BR-43 PEPPOL-EN16931-R120"},
	{"ubl-br-44", BASE_UBL, XR, u_lcharge,
	    {DEL(UL(3) "/cac:AllowanceCharge/cbc:AllowanceChargeReason"),
	    DEL(UL(3) "/cac:AllowanceCharge/cbc:AllowanceChargeReasonCode")},
	    "BR-44 BR-CO-24"},
	{"cii-br-44", BASE_CII, XR, c_lcharge,
	    {DEL(CLS(3) "/ram:SpecifiedTradeAllowanceCharge/ram:Reason"),
	    DEL(CLS(3) "/ram:SpecifiedTradeAllowanceCharge/ram:ReasonCode")},
	    "BR-44 BR-CO-24"},

	/* Breakdowns: BR-45 to BR-48. */
	{"ubl-br-45", BASE_UBL, EN, NULL, {DEL(UTS "[2]/cbc:TaxableAmount")},
	    "BR-45 BR-CO-17 BR-S-08 BR-S-09"},
	{"cii-br-46", BASE_CII, EN, NULL,
	    {DEL(CTAX "[2]/ram:CalculatedAmount")},
	    "BR-46 BR-CO-14 BR-CO-17 BR-S-09"},
	{"ubl-br-47", BASE_UBL, EN, NULL,
	    {DEL(UTS "[2]/cac:TaxCategory/cbc:ID")},
	    "BR-47 BR-S-08"},
	{"ubl-br-48", BASE_UBL, XR, NULL,
	    {DEL(UTS "[2]/cac:TaxCategory/cbc:Percent")},
	    "BR-48 BR-CO-17 BR-S-09 BR-DE-14"},
	{"cii-br-48", BASE_CII, XR, NULL,
	    {DEL(CTAX "[2]/ram:RateApplicablePercent")},
	    "BR-48 BR-CO-17 BR-S-09 BR-DE-14"},

	/* Payment instructions: BR-49, BR-50, BR-51, BR-61. */
	{"ubl-br-49", BASE_UBL, XR, NULL, {DEL(UPM "/cbc:PaymentMeansCode")},
	    "BR-49"},
	{"ubl-br-50", BASE_UBL, XR, u_sepa,
	    {SET(UPM "/cac:PayeeFinancialAccount/cbc:ID", " ")},
	    "BR-50 BR-DE-19 PEPPOL-EN16931-R008"},
	{"cii-br-50-61", BASE_CII, XR, c_sepa,
	    {DEL(CPM "/ram:PayeePartyCreditorFinancialAccount/ram:IBANID"),
	    APP(CPM "/ram:PayeePartyCreditorFinancialAccount",
	    "<ram:AccountName>Kontor</ram:AccountName>")},
	    "BR-50 BR-61 BR-DE-19"},
	{"ubl-br-61", BASE_UBL, EN, u_sepa,
	    {DEL(UPM "/cac:PayeeFinancialAccount/cbc:ID")}, "BR-50 BR-61"},
	{"ubl-br-51", BASE_UBL, XR, u_card, {SET(UPM "/cac:CardAccount/"
	    "cbc:PrimaryAccountNumberID", "4242424242424242")}, "BR-51"},
	{"cii-br-51", BASE_CII, XR, c_card, {SET(CPM "/ram:"
	    "ApplicableTradeSettlementFinancialCard/ram:ID",
	    "4242424242424242")}, "BR-51"},

	/* BR-53, BR-55, BR-57, BR-62, BR-63. */
	{"ubl-br-53", BASE_UBL, EN, NULL, {INS("/*/cbc:BuyerReference",
	    "<cbc:TaxCurrencyCode>CHF</cbc:TaxCurrencyCode>")}, "BR-53"},
	{"ubl-cn-br-55", BASE_UBL_CN, XR, NULL,
	    {DEL("/*/cac:BillingReference/cac:InvoiceDocumentReference/"
	    "cbc:ID")}, "BR-55"},
	{"ubl-br-57", BASE_UBL, XR, NULL,
	    {DEL("/*/cac:Delivery/cac:DeliveryLocation/cac:Address/"
	    "cac:Country")}, "BR-57"},
	{"cii-br-57", BASE_CII, XR, NULL, {DEL(CHD "/ram:ShipToTradeParty/"
	    "ram:PostalTradeAddress/ram:CountryID")}, "BR-57"},
	{"ubl-br-62", BASE_UBL, XR, NULL,
	    {DEL(US "/cbc:EndpointID/@schemeID")},
	    "BR-62"},
	{"cii-br-62", BASE_CII, XR, NULL,
	    {DEL(CHA "/ram:SellerTradeParty/ram:URIUniversalCommunication/"
	    "ram:URIID/@schemeID")}, "BR-62"},
	{"ubl-br-63", BASE_UBL, XR, NULL,
	    {DEL(UB "/cbc:EndpointID/@schemeID")},
	    "BR-63"},

	/* Calculation: BR-CO-10 to BR-CO-17. */
	{"ubl-br-co-10", BASE_UBL, XR, NULL,
	    {SET(UL(1) "/cbc:LineExtensionAmount", "24.12")},
	    "BR-CO-10 BR-S-08"},
	{"cii-br-co-10", BASE_CII, XR, NULL,
	    {SET(CSUM "/ram:LineTotalAmount", "57.60")},
	    "BR-CO-10 BR-CO-13"},
	{"ubl-br-co-11", BASE_UBL, XR, u_allow,
	    {SET(UT "/cbc:AllowanceTotalAmount", "2.00")},
	    "BR-CO-11 BR-CO-13"},
	{"cii-br-co-11", BASE_CII, XR, c_allow,
	    {SET(CSUM "/ram:AllowanceTotalAmount", "2.00")},
	    "BR-CO-11 BR-CO-13"},
	{"ubl-br-co-11-missing", BASE_UBL, XR, u_allow,
	    {DEL(UT "/cbc:AllowanceTotalAmount"),
	    SET(UT "/cbc:TaxExclusiveAmount", "62.91"),
	    SET(UT "/cbc:TaxInclusiveAmount", "71.55"),
	    SET(UT "/cbc:PrepaidAmount", "71.55")}, "BR-CO-11"},
	{"ubl-br-co-12", BASE_UBL, XR, NULL,
	    {SET(UT "/cbc:ChargeTotalAmount", "4.33")},
	    "BR-CO-12 BR-CO-13"},
	{"cii-br-co-12", BASE_CII, XR, NULL,
	    {SET(CSUM "/ram:ChargeTotalAmount", "4.33")},
	    "BR-CO-12 BR-CO-13"},
	{"ubl-br-co-13", BASE_UBL, XR, NULL,
	    {SET(UT "/cbc:TaxExclusiveAmount", "61.90")},
	    "BR-CO-13 BR-CO-15"},
	{"cii-br-co-13", BASE_CII, XR, NULL,
	    {SET(CSUM "/ram:TaxBasisTotalAmount", "61.90")},
	    "BR-CO-13 BR-CO-15"},
	{"ubl-br-co-14", BASE_UBL, XR, NULL,
	    {SET(UTT "/cbc:TaxAmount", "8.65")},
	    "BR-CO-14 BR-CO-15"},
	{"cii-br-co-14", BASE_CII, XR, NULL,
	    {SET(CSUM "/ram:TaxTotalAmount", "8.65")}, "BR-CO-14 BR-CO-15"},
	{"ubl-br-co-15", BASE_UBL, XR, NULL,
	    {SET(UT "/cbc:TaxInclusiveAmount", "70.56")},
	    "BR-CO-15 BR-CO-16"},
	{"cii-br-co-15", BASE_CII, XR, NULL,
	    {DEL(CSUM "/ram:TaxTotalAmount/@currencyID")},
	    "BR-CO-15"},
	{"ubl-br-co-16", BASE_UBL, XR, NULL,
	    {SET(UT "/cbc:PayableAmount", "0.01")}, "BR-CO-16"},
	{"cii-br-co-16", BASE_CII, XR, NULL,
	    {SET(CSUM "/ram:TotalPrepaidAmount", "70.54")}, "BR-CO-16"},
	{"ubl-br-co-16-rounding", BASE_UBL, XR, NULL,
	    {INS(UT "/cbc:PayableAmount", "<cbc:PayableRoundingAmount "
	    "currencyID=\"EUR\">0.01</cbc:PayableRoundingAmount>")},
	    "BR-CO-16"},
	{"ubl-br-co-17", BASE_UBL, XR, NULL,
	    {SET(UTS "[2]/cbc:TaxAmount", "2.82"), SET(UTT "/cbc:TaxAmount",
	    "9.64"), SET(UT "/cbc:TaxInclusiveAmount", "71.55"),
	    SET(UT "/cbc:PrepaidAmount", "71.55")},
	    "BR-CO-17 BR-S-09"},
	{"cii-br-co-17", BASE_CII, XR, NULL,
	    {SET(CTAX "[2]/ram:CalculatedAmount", "2.83"),
	    SET(CSUM "/ram:TaxTotalAmount", "9.65"),
	    SET(CSUM "/ram:GrandTotalAmount", "71.56"),
	    SET(CSUM "/ram:TotalPrepaidAmount", "71.56")},
	    "BR-CO-17 BR-S-09"},
	/* Inside the tolerance: 0.99 off passes both rules. */
	{"ubl-br-co-17-tolerated", BASE_UBL, XR, NULL,
	    {SET(UTS "[2]/cbc:TaxAmount", "2.81"), SET(UTT "/cbc:TaxAmount",
	    "9.63"), SET(UT "/cbc:TaxInclusiveAmount", "71.54"),
	    SET(UT "/cbc:PrepaidAmount", "71.54")}, ""},
	/* Exactly 1.00 off: CII's BR-CO-17 still tolerates it. */
	{"cii-br-co-17-one-unit", BASE_CII, XR, NULL,
	    {SET(CTAX "[2]/ram:CalculatedAmount", "2.82"),
	    SET(CSUM "/ram:TaxTotalAmount", "9.64"),
	    SET(CSUM "/ram:GrandTotalAmount", "71.55"),
	    SET(CSUM "/ram:TotalPrepaidAmount", "71.55")}, "BR-S-09"},
	{"ubl-br-co-17-zero-rate", BASE_UBL, XR, u_cat_z,
	    {SET(UTS "/cbc:TaxAmount", "0.50"), SET(UTT "/cbc:TaxAmount",
	    "0.50"), SET(UT "/cbc:TaxInclusiveAmount", "62.41"),
	    SET(UT "/cbc:PrepaidAmount", "62.41")}, "BR-CO-17 BR-Z-09"},

	/* Conditions: BR-CO-03, -04, -09, -18, -25, -26. */
	{"ubl-br-co-03", BASE_UBL, XR, NULL,
	    {INS("/*/cbc:DocumentCurrencyCode",
	    "<cbc:TaxPointDate>2026-10-06</cbc:TaxPointDate>"),
	    INS("/*/cac:OrderReference", "<cac:InvoicePeriod>"
	    "<cbc:StartDate>2026-10-01</cbc:StartDate><cbc:DescriptionCode>"
	    "35</cbc:DescriptionCode></cac:InvoicePeriod>")}, "BR-CO-03"},
	{"ubl-br-co-04", BASE_UBL, XR, NULL,
	    {DEL(UL(3) "/cac:Item/cac:ClassifiedTaxCategory")},
	    "BR-CO-04 BR-S-08 UBL-SR-48"},
	{"cii-br-co-04", BASE_CII, XR, NULL,
	    {DEL(CLS(3) "/ram:ApplicableTradeTax")},
	    "BR-CO-04 BR-S-08 CII-SR-454"},
	{"ubl-br-co-09", BASE_UBL, XR, NULL,
	    {SET(US "/cac:PartyTaxScheme[1]/cbc:CompanyID", "318472657")},
	    "BR-CO-09"},
	{"cii-br-co-09", BASE_CII, XR, NULL,
	    {SET(CHA "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration[1]/"
	    "ram:ID", "XY318472657")}, "BR-CO-09"},
	{"ubl-br-co-18", BASE_UBL, EN, NULL, {DEL(UTS)},
	    "BR-CO-18 BR-S-01"},
	{"ubl-br-co-25", BASE_UBL, XR, NULL,
	    {DEL("/*/cac:PaymentTerms"), SET(UT "/cbc:PrepaidAmount", "0.00"),
	    SET(UT "/cbc:PayableAmount", "70.55")}, "BR-CO-25"},
	{"cii-br-co-25", BASE_CII, XR, NULL,
	    {DEL(CHS "/ram:SpecifiedTradePaymentTerms"),
	    SET(CSUM "/ram:TotalPrepaidAmount", "0.00"),
	    SET(CSUM "/ram:DuePayableAmount", "70.55")}, "BR-CO-25"},
	/* A UBL credit note has no BT-9 at the root: no BR-CO-25. */
	{"ubl-cn-no-br-co-25", BASE_UBL_CN, XR, NULL,
	    {DEL("/*/cac:PaymentTerms"), SET(UT "/cbc:PrepaidAmount", "0.00"),
	    SET(UT "/cbc:PayableAmount", "70.55")}, ""},
	{"ubl-br-co-26", BASE_UBL, XR, NULL,
	    {DEL(US "/cac:PartyTaxScheme[1]"),
	    DEL(US "/cac:PartyLegalEntity/cbc:CompanyID")}, "BR-CO-26"},
	{"cii-br-co-26", BASE_CII, XR, NULL,
	    {DEL(CHA "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration[1]"),
	    DEL(CHA "/ram:SellerTradeParty/ram:SpecifiedLegalOrganization")},
	    "BR-CO-26"},

	/* Decimals: BR-DEC-*. */
	{"ubl-br-dec-01-02", BASE_UBL, EN, u_allow,
	    {SET(UAC "[3]/cbc:Amount", "1.000"), INS(UAC "[3]/cac:TaxCategory",
	    "<cbc:BaseAmount currencyID=\"EUR\">20.005</cbc:BaseAmount>")},
	    "BR-DEC-01 BR-DEC-02 UBL-DT-01"},
	{"cii-br-dec-01", BASE_CII, EN, c_allow,
	    {SET(CAC "[3]/ram:ActualAmount", "1.001")},
	    "BR-DEC-01"},
	{"ubl-br-dec-05-06", BASE_UBL, EN, NULL,
	    {SET(UAC "[2]/cbc:Amount", "1.920"), INS(UAC "[2]/cac:TaxCategory",
	    "<cbc:BaseAmount currencyID=\"EUR\">20.005</cbc:BaseAmount>")},
	    "BR-DEC-05 BR-DEC-06 UBL-DT-01"},
	{"ubl-br-dec-09", BASE_UBL, XR, NULL,
	    {SET(UT "/cbc:LineExtensionAmount", "57.590")},
	    "BR-DEC-09 UBL-DT-01"},
	{"ubl-br-dec-10", BASE_UBL, XR, u_allow,
	    {SET(UT "/cbc:AllowanceTotalAmount", "1.000")},
	    "BR-DEC-10 UBL-DT-01"},
	{"cii-br-dec-11", BASE_CII, XR, NULL,
	    {SET(CSUM "/ram:ChargeTotalAmount", "4.320")}, "BR-DEC-11"},
	{"ubl-br-dec-12", BASE_UBL, XR, NULL,
	    {SET(UT "/cbc:TaxExclusiveAmount", "61.910")},
	    "BR-DEC-12 UBL-DT-01"},
	{"cii-br-dec-13", BASE_CII, XR, NULL,
	    {SET(CSUM "/ram:TaxTotalAmount", "8.641")},
	    "BR-DEC-13 BR-CO-14"},
	{"ubl-br-dec-14", BASE_UBL, XR, NULL,
	    {SET(UT "/cbc:TaxInclusiveAmount", "70.550")},
	    "BR-DEC-14 UBL-DT-01"},
	{"ubl-br-dec-16", BASE_UBL, XR, NULL,
	    {SET(UT "/cbc:PrepaidAmount", "70.550")}, "BR-DEC-16 UBL-DT-01"},
	{"ubl-br-dec-17", BASE_UBL, XR, NULL,
	    {INS(UT "/cbc:PayableAmount", "<cbc:PayableRoundingAmount "
	    "currencyID=\"EUR\">0.000</cbc:PayableRoundingAmount>")},
	    "BR-DEC-17 UBL-DT-01"},
	{"cii-br-dec-18", BASE_CII, XR, NULL,
	    {SET(CSUM "/ram:DuePayableAmount", "0.000")}, "BR-DEC-18"},
	{"ubl-br-dec-19", BASE_UBL, XR, NULL,
	    {SET(UTS "[1]/cbc:TaxableAmount", "35.880")},
	    "BR-DEC-19 UBL-DT-01"},
	{"cii-br-dec-20", BASE_CII, XR, NULL,
	    {SET(CTAX "[1]/ram:CalculatedAmount", "6.820")}, "BR-DEC-20"},
	{"ubl-br-dec-23", BASE_UBL, XR, NULL,
	    {SET(UL(2) "/cbc:LineExtensionAmount", "12.560")},
	    "BR-DEC-23 UBL-DT-01"},
	{"cii-br-dec-23", BASE_CII, XR, NULL, {SET(CLS(2) "/ram:"
	    "SpecifiedTradeSettlementLineMonetarySummation/"
	    "ram:LineTotalAmount", "12.560")}, "BR-DEC-23"},
	{"ubl-br-dec-24-25", BASE_UBL, EN, u_lallow,
	    {SET(UL(3) "/cac:AllowanceCharge/cbc:Amount", "1.001"),
	    SUB("<cbc:Amount currencyID=\"EUR\">1.001</cbc:Amount>",
	    "<cbc:Amount currencyID=\"EUR\">1.001</cbc:Amount>"
	    "<cbc:BaseAmount currencyID=\"EUR\">21.925</cbc:BaseAmount>")},
	    "BR-DEC-24 BR-DEC-25 UBL-DT-01"},
	{"ubl-br-dec-27-28", BASE_UBL, EN, u_lcharge,
	    {SET(UL(3) "/cac:AllowanceCharge/cbc:Amount", "1.001"),
	    SUB("<cbc:Amount currencyID=\"EUR\">1.001</cbc:Amount>",
	    "<cbc:Amount currencyID=\"EUR\">1.001</cbc:Amount>"
	    "<cbc:BaseAmount currencyID=\"EUR\">19.925</cbc:BaseAmount>")},
	    "BR-DEC-27 BR-DEC-28 UBL-DT-01"},

	/* Code lists: BR-CL-*. */
	{"ubl-br-cl-01", BASE_UBL, XR, NULL,
	    {SET("/*/cbc:InvoiceTypeCode", "999")}, "BR-CL-01 BR-DE-17"},
	{"ubl-cn-br-cl-01", BASE_UBL_CN, XR, NULL,
	    {SET("/*/cbc:CreditNoteTypeCode", "380")}, "BR-CL-01"},
	{"ubl-br-cl-03", BASE_UBL, XR, NULL,
	    {SET(UL(2) "/cbc:LineExtensionAmount/@currencyID", "EUX")},
	    "BR-CL-03"},
	{"cii-br-cl-04", BASE_CII, XR, NULL,
	    {SET(CHS "/ram:InvoiceCurrencyCode", "EUX"),
	    SET(CSUM "/ram:TaxTotalAmount/@currencyID", "EUX")},
	    "BR-CL-03 BR-CL-04"},
	{"ubl-br-cl-05", BASE_UBL, XR, NULL, {INS("/*/cbc:BuyerReference",
	    "<cbc:TaxCurrencyCode>EUX</cbc:TaxCurrencyCode>"), INS(UTT,
	    "<cac:TaxTotal><cbc:TaxAmount currencyID=\"EUX\">8.64"
	    "</cbc:TaxAmount></cac:TaxTotal>")}, "BR-CL-03 BR-CL-05"},
	{"ubl-br-cl-14", BASE_UBL, XR, NULL, {SET(UB "/cac:PostalAddress/"
	    "cac:Country/cbc:IdentificationCode", "XX")}, "BR-CL-14"},
	{"cii-br-cl-14", BASE_CII, XR, NULL, {SET(CHD "/ram:ShipToTradeParty/"
	    "ram:PostalTradeAddress/ram:CountryID", "EU")}, "BR-CL-14"},
	{"ubl-br-cl-16", BASE_UBL, XR, NULL,
	    {SET(UPM "/cbc:PaymentMeansCode", "99")}, "BR-CL-16"},
	{"cii-br-cl-16", BASE_CII, XR, NULL, {SET(CPM "/ram:TypeCode", "PP")},
	    "BR-CL-16"},
	{"ubl-br-cl-17", BASE_UBL, EN, NULL,
	    {SET(UTS "[2]/cac:TaxCategory/cbc:ID", "X")},
	    "BR-CL-17 BR-S-08"},
	{"cii-br-cl-17", BASE_CII, EN, NULL,
	    {SET(CAC "[2]/ram:CategoryTradeTax/ram:CategoryCode", "V")},
	    "BR-CL-17 BR-S-08"},
	{"ubl-br-cl-18", BASE_UBL, EN, NULL, {SET(UL(2) "/cac:Item/"
	    "cac:ClassifiedTaxCategory/cbc:ID", "VAT")}, "BR-CL-18 BR-S-08"},
	{"cii-br-cl-18", BASE_CII, EN, NULL,
	    {SET(CTAX "[2]/ram:CategoryCode", "s")},
	    "BR-CL-18 BR-S-08"},
	{"ubl-br-cl-22", BASE_UBL, XR, u_cat_e,
	    {SET(UTS "/cac:TaxCategory/cbc:TaxExemptionReasonCode",
	    "VATEX-DE-19")}, "BR-CL-22"},
	{"cii-br-cl-22", BASE_CII, XR, c_cat_k,
	    {SET(CTAX "/ram:ExemptionReasonCode", "IC")}, "BR-CL-22"},
	{"ubl-br-cl-23", BASE_UBL, XR, NULL,
	    {SET(UL(2) "/cbc:InvoicedQuantity/@unitCode", "STCK")},
	    "BR-CL-23"},
	/* A Rec. 20 unit outside kontor's list: a warning, not a guess. */
	{"ubl-br-cl-23-unknown-to-kontor", BASE_UBL, EN, NULL,
	    {SET(UL(2) "/cbc:InvoicedQuantity/@unitCode", "STK")},
	    "BR-CL-23"},
	{"cii-br-cl-23", BASE_CII, XR, NULL, {SET(CL(2) "/ram:"
	    "SpecifiedLineTradeDelivery/ram:BilledQuantity/@unitCode", "PCE")},
	    "BR-CL-23"},
	{"ubl-br-cl-25", BASE_UBL, XR, NULL,
	    {SET(UB "/cbc:EndpointID/@schemeID", "EMAIL")}, "BR-CL-25"},
	{"cii-br-cl-25", BASE_CII, XR, NULL,
	    {SET(CHA "/ram:SellerTradeParty/ram:URIUniversalCommunication/"
	    "ram:URIID/@schemeID", "XX")}, "BR-CL-25"},

	/* Kontor's own: numbers and dates the XSD would refuse. */
	{"cii-kontor-decimal", BASE_CII, XR, NULL,
	    {SET(CLS(2) "/ram:SpecifiedTradeSettlementLineMonetarySummation/"
	    "ram:LineTotalAmount", "12,56")}, "KONTOR-DECIMAL"},
	{"cii-kontor-date", BASE_CII, XR, NULL, {SET(CHD "/ram:"
	    "ActualDeliverySupplyChainEvent/ram:OccurrenceDateTime/"
	    "udt:DateTimeString", "20261306")}, "KONTOR-DATE"},
};

#include "einvoice_muts_vat.h"
#include "einvoice_muts_de.h"

/* The three tables as one list. */
static const struct {
	const struct mutation *m;
	size_t n;
} tables[] = {
	{muts, sizeof(muts) / sizeof(muts[0])},
	{muts_vat, sizeof(muts_vat) / sizeof(muts_vat[0])},
	{muts_de, sizeof(muts_de) / sizeof(muts_de[0])},
};

static size_t
n_mutations(void)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		n += tables[i].n;
	return n;
}

static const struct mutation *
mutation_at(size_t k)
{
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (k < tables[i].n)
			return &tables[i].m[k];
		k -= tables[i].n;
	}
	return NULL;
}

/* The rule ids found, sorted and unique, as one space-separated line. */
#define FOUND_MAX	64

struct found {
	char id[FOUND_MAX][48];
	int n;
	char detail[4096];
};

static void
collect(void *arg, const struct einvoice_finding *f)
{
	struct found *fd = arg;
	size_t used = strlen(fd->detail);
	int i;

	snprintf(fd->detail + used, sizeof(fd->detail) - used,
	    "\n  %s %s %s: %s", f->rule, f->fatal ? "fatal" : "warning",
	    f->where, f->msg);
	for (i = 0; i < fd->n; i++)
		if (strcmp(fd->id[i], f->rule) == 0)
			return;
	ck_assert_int_lt(fd->n, FOUND_MAX);
	snprintf(fd->id[fd->n++], sizeof(fd->id[0]), "%s", f->rule);
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Sorts the words of list into out, one space between. */
static void
sort_words(const char *list, char *out, size_t size)
{
	char ids[FOUND_MAX][48], copy[1024], *tok, *save = NULL;
	int n = 0, i;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, " ", &save); tok != NULL && n < FOUND_MAX;
	    tok = strtok_r(NULL, " ", &save))
		snprintf(ids[n++], sizeof(ids[0]), "%s", tok);
	qsort(ids, (size_t)n, sizeof(ids[0]), cmp_id);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, ids[i], size - strlen(out) - 1);
	}
}

static enum einv_syntax
syntax_of(enum mut_base b)
{
	return b == BASE_CII ? EINV_CII : EINV_UBL;
}

static void
check_mutation(const struct mutation *m, struct found *fd)
{
	struct einvoice_check_stats st = {0, 0};
	struct kerr e;
	char *doc = mut_build(m);
	int rc;

	memset(fd, 0, sizeof(*fd));
	kerr_clear(&e);
	rc = einvoice_check_doc(doc, strlen(doc), syntax_of(m->base),
	    (enum einv_profile)m->profile, collect, fd, &st, &e);
	ck_assert_msg(rc == KR_OK, "%s: %s", m->name, e.msg);
	ck_assert_int_eq(st.fatal + st.warnings, (long)
	    (strlen(fd->detail) ? st.fatal + st.warnings : 0));
	free(doc);
}

START_TEST(einvoice_mutation_gives_exactly_its_rules)
{
	const struct mutation *m = mutation_at((size_t)_i);
	char want[1024], got[1024], list[1024] = "";
	struct found fd;
	int i;

	check_mutation(m, &fd);
	for (i = 0; i < fd.n; i++) {
		strncat(list, fd.id[i], sizeof(list) - strlen(list) - 2);
		strcat(list, " ");
	}
	sort_words(m->expect, want, sizeof(want));
	sort_words(list, got, sizeof(got));
	ck_assert_msg(strcmp(want, got) == 0,
	    "%s: expected {%s}, got {%s}:%s", m->name, want, got, fd.detail);
}
END_TEST

/*
 * The rules the checker implements; each must be the point of at least
 * one mutation (docs/einvoice-check.md lists them with severities).
 */
static const char *const implemented[] = {
	"BR-01", "BR-02", "BR-03", "BR-04", "BR-05", "BR-06", "BR-07",
	"BR-08", "BR-09", "BR-10", "BR-11", "BR-12", "BR-13", "BR-14",
	"BR-15", "BR-16", "BR-17", "BR-18", "BR-19", "BR-20", "BR-21",
	"BR-22", "BR-23", "BR-24", "BR-25", "BR-26", "BR-27", "BR-28",
	"BR-29", "BR-30", "BR-31", "BR-32", "BR-33", "BR-36", "BR-37",
	"BR-38", "BR-41", "BR-42", "BR-43", "BR-44", "BR-45", "BR-46",
	"BR-47", "BR-48", "BR-49", "BR-50", "BR-51", "BR-53", "BR-55",
	"BR-56", "BR-57", "BR-61", "BR-62", "BR-63", "BR-64",
	"BR-CO-03", "BR-CO-04", "BR-CO-09", "BR-CO-10", "BR-CO-11",
	"BR-CO-12", "BR-CO-13", "BR-CO-14", "BR-CO-15", "BR-CO-16",
	"BR-CO-17", "BR-CO-18", "BR-CO-19", "BR-CO-20", "BR-CO-21",
	"BR-CO-22", "BR-CO-23", "BR-CO-24", "BR-CO-25", "BR-CO-26",
	"BR-DEC-01", "BR-DEC-02", "BR-DEC-05", "BR-DEC-06", "BR-DEC-09",
	"BR-DEC-10", "BR-DEC-11", "BR-DEC-12", "BR-DEC-13", "BR-DEC-14",
	"BR-DEC-16", "BR-DEC-17", "BR-DEC-18", "BR-DEC-19",
	"BR-DEC-20", "BR-DEC-23", "BR-DEC-24", "BR-DEC-25", "BR-DEC-27",
	"BR-DEC-28",
	"BR-CL-01", "BR-CL-03", "BR-CL-04", "BR-CL-05", "BR-CL-14",
	"BR-CL-16", "BR-CL-17", "BR-CL-18", "BR-CL-22", "BR-CL-23",
	"BR-CL-25",
	"BR-S-01", "BR-S-02", "BR-S-03", "BR-S-04", "BR-S-05", "BR-S-06",
	"BR-S-07", "BR-S-08", "BR-S-09", "BR-S-10",
	"BR-Z-01", "BR-Z-02", "BR-Z-03", "BR-Z-04", "BR-Z-05", "BR-Z-06",
	"BR-Z-07", "BR-Z-08", "BR-Z-09", "BR-Z-10",
	"BR-E-01", "BR-E-02", "BR-E-03", "BR-E-04", "BR-E-05", "BR-E-06",
	"BR-E-07", "BR-E-08", "BR-E-09", "BR-E-10",
	"BR-AE-01", "BR-AE-02", "BR-AE-03", "BR-AE-04", "BR-AE-05",
	"BR-AE-06", "BR-AE-07", "BR-AE-08", "BR-AE-09", "BR-AE-10",
	"BR-IC-01", "BR-IC-02", "BR-IC-03", "BR-IC-04", "BR-IC-05",
	"BR-IC-06", "BR-IC-07", "BR-IC-08", "BR-IC-09", "BR-IC-10",
	"BR-IC-11", "BR-IC-12",
	"BR-G-01", "BR-G-02", "BR-G-03", "BR-G-04", "BR-G-05", "BR-G-06",
	"BR-G-07", "BR-G-08", "BR-G-09", "BR-G-10",
	"BR-O-01", "BR-O-02", "BR-O-03", "BR-O-04", "BR-O-05", "BR-O-06",
	"BR-O-07", "BR-O-08", "BR-O-09", "BR-O-10", "BR-O-11", "BR-O-12",
	"BR-O-13", "BR-O-14",
	"BR-DE-1", "BR-DE-2", "BR-DE-3", "BR-DE-4", "BR-DE-5", "BR-DE-6",
	"BR-DE-7", "BR-DE-8", "BR-DE-9", "BR-DE-10", "BR-DE-11",
	"BR-DE-14", "BR-DE-15", "BR-DE-16", "BR-DE-17", "BR-DE-18",
	"BR-DE-19", "BR-DE-20", "BR-DE-21", "BR-DE-23-a", "BR-DE-23-b",
	"BR-DE-24-a", "BR-DE-24-b", "BR-DE-25-a", "BR-DE-25-b",
	"BR-DE-26", "BR-DE-27", "BR-DE-28", "BR-DE-30", "BR-DE-31",
	"BR-DE-TMP-32",
	"PEPPOL-EN16931-R001", "PEPPOL-EN16931-R005", "PEPPOL-EN16931-R008",
	"PEPPOL-EN16931-R010", "PEPPOL-EN16931-R020", "PEPPOL-EN16931-R040",
	"PEPPOL-EN16931-R041", "PEPPOL-EN16931-R042", "PEPPOL-EN16931-R043",
	"PEPPOL-EN16931-R043-1", "PEPPOL-EN16931-R044",
	"PEPPOL-EN16931-R046", "PEPPOL-EN16931-R053",
	"PEPPOL-EN16931-R054", "PEPPOL-EN16931-R061",
	"PEPPOL-EN16931-R120", "PEPPOL-EN16931-R121",
	"PEPPOL-EN16931-R130",
	"UBL-DT-01", "UBL-SR-48", "CII-SR-454",
	"KONTOR-DECIMAL", "KONTOR-DATE",
};

START_TEST(einvoice_every_rule_has_a_mutation)
{
	size_t i, k;

	for (i = 0; i < sizeof(implemented) / sizeof(implemented[0]); i++) {
		char pat[64];
		int seen = 0;

		snprintf(pat, sizeof(pat), " %s ", implemented[i]);
		for (k = 0; k < n_mutations() && !seen; k++) {
			char padded[1100];

			snprintf(padded, sizeof(padded), " %s ",
			    mutation_at(k)->expect);
			seen = strstr(padded, pat) != NULL;
		}
		ck_assert_msg(seen, "no mutation for %s", implemented[i]);
	}
}
END_TEST

/* Under the EN 16931 profiles no XRechnung rule is applied. */
START_TEST(einvoice_core_profiles_skip_the_xrechnung_rules)
{
	static const enum einv_profile core[] = {
		EINV_EN16931, EINV_ZUGFERD_EN16931, EINV_ZUGFERD_BASIC,
		EINV_ZUGFERD_EXTENDED
	};
	struct mutation m = {"ubl-br-de-15", BASE_UBL, 0, NULL,
	    {DEL("/*/cbc:BuyerReference"), DEL("/*/cbc:ProfileID")}, "", NULL};
	struct found fd;
	size_t i;

	for (i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		m.profile = core[i];
		check_mutation(&m, &fd);
		ck_assert_msg(fd.n == 0, "profile %s:%s",
		    einvoice_profile_name(core[i]), fd.detail);
	}
}
END_TEST

/* Where a finding points: the element, with positions among siblings. */
START_TEST(einvoice_findings_name_the_element)
{
	struct mutation m = {"where", BASE_UBL, XR, NULL,
	    {SET(UL(2) "/cbc:LineExtensionAmount", "12.560")}, "", NULL};
	struct found fd;

	check_mutation(&m, &fd);
	ck_assert_msg(strstr(fd.detail, "BR-DEC-23 fatal /Invoice/"
	    "cac:InvoiceLine[2]/cbc:LineExtensionAmount: expected an amount "
	    "with at most 2 decimals, got \"12.560\"") != NULL, "%s",
	    fd.detail);
}
END_TEST

START_TEST(einvoice_detects_syntax_and_profile)
{
	static const struct {
		enum mut_base base;
		const char *bt24;
		int rc;
		enum einv_profile profile;
	} cases[] = {
		{BASE_UBL, NULL, KR_OK, EINV_XRECHNUNG},
		{BASE_CII, NULL, KR_OK, EINV_XRECHNUNG},
		{BASE_UBL, "urn:cen.eu:en16931:2017", KR_OK, EINV_EN16931},
		{BASE_CII, "urn:cen.eu:en16931:2017", KR_OK,
		    EINV_ZUGFERD_EN16931},
		{BASE_CII, "urn:cen.eu:en16931:2017#compliant#"
		    "urn:factur-x.eu:1p0:basic", KR_OK, EINV_ZUGFERD_BASIC},
		{BASE_CII, "urn:cen.eu:en16931:2017#conformant#"
		    "urn:factur-x.eu:1p0:extended", KR_OK,
		    EINV_ZUGFERD_EXTENDED},
		{BASE_UBL, "urn:cen.eu:en16931:2017#compliant#"
		    "urn:xeinkauf.de:kosit:xrechnung_3.0#conformant#"
		    "urn:xeinkauf.de:kosit:extension:xrechnung_3.0", KR_OK,
		    EINV_XRECHNUNG},
		{BASE_CII, "urn:factur-x.eu:1p0:minimum", KR_BAD_INPUT, 0},
		{BASE_UBL, "urn:example:something", KR_BAD_INPUT, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = cases[i].base == BASE_CII ?
		    "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID" :
		    "/*/cbc:CustomizationID";
		struct mutation m = {"detect", cases[i].base, XR, NULL,
		    {{cases[i].bt24 ? OP_SET : OP_END, path, cases[i].bt24}},
		    "", NULL};
		enum einv_syntax syntax;
		enum einv_profile profile;
		enum einv_doctype dt;
		struct kerr e;
		char *doc;
		int rc;

		doc = mut_build(&m);
		kerr_clear(&e);
		rc = einvoice_detect(doc, strlen(doc), &syntax, &profile, &dt,
		    &e);
		ck_assert_msg(rc == cases[i].rc, "case %zu: %s", i, e.msg);
		if (rc == KR_OK) {
			ck_assert_int_eq(syntax, syntax_of(cases[i].base));
			ck_assert_int_eq(profile, cases[i].profile);
		}
		free(doc);
	}
}
END_TEST

START_TEST(einvoice_refuses_the_wrong_syntax)
{
	struct kerr e;
	int rc;

	mut_load_bases();
	kerr_clear(&e);
	rc = einvoice_check_doc(mut_base_text[BASE_CII],
	    mut_base_len[BASE_CII], EINV_UBL, EINV_XRECHNUNG, NULL, NULL,
	    NULL, &e);
	ck_assert_int_eq(rc, KR_BAD_INPUT);
	ck_assert_str_eq(e.msg, "expected a UBL document, got CII");
}
END_TEST

START_TEST(einvoice_profile_names_round_trip)
{
	enum einv_profile p;

	ck_assert_int_eq(einvoice_profile_parse("zugferd-basic", &p), KR_OK);
	ck_assert_int_eq(p, EINV_ZUGFERD_BASIC);
	ck_assert_str_eq(einvoice_profile_name(EINV_XRECHNUNG), "xrechnung");
	ck_assert_int_eq(einvoice_profile_parse("xrechnung-2", &p),
	    KR_BAD_INPUT);
}
END_TEST

/* Driver modes for the end-to-end cross-check */

static int
write_mutations(const char *dir)
{
	char path[4096], want[1024];
	FILE *manifest, *fp;
	size_t k;

	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	manifest = fopen(path, "w");
	if (manifest == NULL)
		return 1;
	for (k = 0; k < n_mutations(); k++) {
		const struct mutation *m = mutation_at(k);
		char *doc = mut_build(m);

		snprintf(path, sizeof(path), "%s/%s.xml", dir, m->name);
		fp = fopen(path, "w");
		if (fp == NULL || fputs(doc, fp) == EOF || fclose(fp) != 0)
			return 1;
		sort_words(m->expect, want, sizeof(want));
		fprintf(manifest, "%s\t%s\t%s\n", m->name,
		    einvoice_profile_name((enum einv_profile)m->profile),
		    want);
		free(doc);
	}
	return fclose(manifest) != 0;
}

static void
print_finding(void *arg, const struct einvoice_finding *f)
{
	printf("%s\t%s\t%s\t%s\t%s\n", (const char *)arg, f->rule,
	    f->fatal ? "fatal" : "warning", f->where, f->msg);
}

static int
check_files(int argc, char **argv)
{
	struct einvoice_check_opts o = {NULL, 0, EINV_XRECHNUNG};
	const char *profile = getenv("EINV_PROFILE");
	int i, status = 0;

	o.schemas_dir = getenv("EINV_SCHEMAS");
	if (profile != NULL && profile[0] != '\0') {
		if (einvoice_profile_parse(profile, &o.profile) != KR_OK)
			return 2;
		o.force_profile = 1;
	}
	for (i = 1; i < argc; i++) {
		struct einvoice_check_stats st = {0, 0};
		struct kerr e;

		kerr_clear(&e);
		if (einvoice_check_file(argv[i], &o, print_finding, argv[i],
		    &st, &e) != KR_OK) {
			printf("%s\tERROR\tfatal\t%s\t%s\n", argv[i], e.field,
			    e.msg);
			status = 1;
		}
	}
	einvoice_check_cleanup();
	return status;
}

static Suite *
einvoice_rules_suite(void)
{
	Suite *s = suite_create("einvoice_rules");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, einvoice_mutation_gives_exactly_its_rules, 0,
	    (int)n_mutations());
	tcase_add_test(tc, einvoice_every_rule_has_a_mutation);
	tcase_add_test(tc, einvoice_core_profiles_skip_the_xrechnung_rules);
	tcase_add_test(tc, einvoice_findings_name_the_element);
	tcase_add_test(tc, einvoice_detects_syntax_and_profile);
	tcase_add_test(tc, einvoice_refuses_the_wrong_syntax);
	tcase_add_test(tc, einvoice_profile_names_round_trip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	const char *out = getenv("EINV_MUTATIONS_OUT");
	SRunner *sr;
	int failed;

	mut_driver = 1;
	if (out != NULL && out[0] != '\0')
		return write_mutations(out);
	if (getenv("EINV_CHECK_FILES") != NULL)
		return check_files(argc, argv);
	mut_driver = 0;
	sr = srunner_create(einvoice_rules_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

#ifndef KONTOR_EINVOICE_MUTS_VAT_H
#define KONTOR_EINVOICE_MUTS_VAT_H

/*
 * Mutations for the VAT category rules (BR-S/Z/E/AE/IC/G/O-*), for
 * check_einvoice_rules.c.  Each category starts from its valid variant
 * of einvoice_variants.h.
 */

#include "einvoice_variants.h"

#define U_SUBTOTAL(code, extra) "<cac:TaxSubtotal>" \
	"<cbc:TaxableAmount currencyID=\"EUR\">0.00</cbc:TaxableAmount>" \
	"<cbc:TaxAmount currencyID=\"EUR\">0.00</cbc:TaxAmount>" \
	"<cac:TaxCategory><cbc:ID>" code "</cbc:ID><cbc:Percent>0" \
	"</cbc:Percent>" extra U_VAT_SCHEME "</cac:TaxCategory>" \
	"</cac:TaxSubtotal>"
#define C_BREAKDOWN(code, extra) "<ram:ApplicableTradeTax>" \
	"<ram:CalculatedAmount>0.00</ram:CalculatedAmount>" \
	"<ram:TypeCode>VAT</ram:TypeCode>" extra \
	"<ram:BasisAmount>0.00</ram:BasisAmount>" \
	"<ram:CategoryCode>" code "</ram:CategoryCode>" \
	"<ram:RateApplicablePercent>0</ram:RateApplicablePercent>" \
	"</ram:ApplicableTradeTax>"
#define U_NO_SELLER_TAX_IDS \
	DEL(US "/cac:PartyTaxScheme")
#define U_TAX(v, total) \
	SET(UTS "/cbc:TaxAmount", v), SET(UTT "/cbc:TaxAmount", v), \
	SET(UT "/cbc:TaxInclusiveAmount", total), \
	SET(UT "/cbc:PrepaidAmount", total)
#define C_TAX(v, total) \
	SET(CTAX "/ram:CalculatedAmount", v), \
	SET(CSUM "/ram:TaxTotalAmount", v), \
	SET(CSUM "/ram:GrandTotalAmount", total), \
	SET(CSUM "/ram:TotalPrepaidAmount", total)
#define REASON "<cbc:TaxExemptionReason>steuerfrei</cbc:TaxExemptionReason>"

static const struct mutation muts_vat[] = {
	/*
	 * CII names VAT by a type code that the official rules compare in
	 * any case but, BR-CO-17 apart, with no white space around it: a
	 * breakdown of " VAT " is of another tax, and the S lines have
	 * none of theirs.
	 */
	{"cii-vat-type-code-spaced", BASE_CII, EN, NULL,
	    {SET(CTAX "/ram:TypeCode", " VAT ")}, "BR-47 BR-48 BR-S-01"},
	{"cii-vat-type-code-lower", BASE_CII, EN, NULL,
	    {SET(CTAX "/ram:TypeCode", "vat")}, ""},
	/*
	 * A category code too: CII's rules compare it as it stands, UBL's
	 * trim it.  A line of " S " is in no S sum; a breakdown of " S "
	 * leaves the S lines without one, which kontor says (BR-S-01)
	 * and the official BR-S-01, which counts the lines' categories
	 * with the breakdowns', does not.
	 */
	{"cii-vat-cat-code-spaced-line", BASE_CII, EN, NULL,
	    {SET(CLS(1) "/ram:ApplicableTradeTax/ram:CategoryCode", " S ")},
	    "BR-S-08"},
	{"cii-vat-cat-code-spaced", BASE_CII, EN, NULL,
	    {SET(CTAX "/ram:CategoryCode", " S ")}, "BR-S-01"},
	{"ubl-vat-cat-code-spaced-line", BASE_UBL, EN, NULL,
	    {SET(UL(1) "/cac:Item/cac:ClassifiedTaxCategory/cbc:ID", " S ")},
	    ""},
	/* S: standard and reduced rates. */
	{"cii-br-s-01", BASE_CII, EN, NULL, {DEL(CTAX)},
	    "BR-CO-14 BR-CO-18 BR-S-01"},
	{"ubl-br-s-02-04", BASE_UBL, XR, NULL, {U_NO_SELLER_TAX_IDS},
	    "BR-S-02 BR-S-04 BR-DE-16"},
	{"ubl-br-s-03", BASE_UBL, XR, u_allow, {U_NO_SELLER_TAX_IDS},
	    "BR-S-02 BR-S-03 BR-S-04 BR-DE-16"},
	{"cii-br-s-02-04", BASE_CII, XR, NULL,
	    {DEL(CHA "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration")},
	    "BR-S-02 BR-S-04 BR-DE-16"},
	{"ubl-br-s-05", BASE_UBL, XR, NULL, {SET(UL(2) "/cac:Item/"
	    "cac:ClassifiedTaxCategory/cbc:Percent", "0")},
	    "BR-S-05 BR-S-08"},
	{"cii-br-s-05", BASE_CII, XR, NULL,
	    {SET(CLS(2) "/ram:ApplicableTradeTax/ram:RateApplicablePercent",
	    "0")}, "BR-S-05 BR-S-08"},
	{"ubl-br-s-06", BASE_UBL, XR, u_allow,
	    {SET(UAC "[3]/cac:TaxCategory/cbc:Percent", "0")},
	    "BR-S-06 BR-S-08"},
	{"ubl-br-s-07", BASE_UBL, XR, NULL,
	    {SET(UAC "[2]/cac:TaxCategory/cbc:Percent", "0")},
	    "BR-S-07 BR-S-08"},
	{"cii-br-s-07", BASE_CII, XR, NULL,
	    {SET(CAC "[2]/ram:CategoryTradeTax/ram:RateApplicablePercent",
	    "0")}, "BR-S-07 BR-S-08"},
	{"ubl-br-s-08", BASE_UBL, XR, NULL,
	    {SET(UTS "[1]/cbc:TaxableAmount", "37.88")}, "BR-S-08"},
	{"cii-br-s-08", BASE_CII, XR, NULL,
	    {SET(CTAX "[1]/ram:BasisAmount", "37.88")}, "BR-S-08"},
	/* One cent: kontor wants the exact sum (the UBL artefact does not). */
	{"ubl-br-s-08-one-cent", BASE_UBL, XR, NULL,
	    {SET(UTS "[1]/cbc:TaxableAmount", "35.89")}, "BR-S-08"},
	{"cii-br-s-08-one-cent", BASE_CII, XR, NULL,
	    {SET(CTAX "[1]/ram:BasisAmount", "35.89")}, "BR-S-08"},
	{"ubl-br-s-08-rate-without-breakdown", BASE_UBL, XR, NULL,
	    {SET(UL(2) "/cac:Item/cac:ClassifiedTaxCategory/cbc:Percent",
	    "16"), SET(UL(3) "/cac:Item/cac:ClassifiedTaxCategory/"
	    "cbc:Percent", "16"), SET(UAC "[1]/cac:TaxCategory/cbc:Percent",
	    "16")}, "BR-S-08"},
	{"ubl-br-s-09", BASE_UBL, XR, NULL,
	    {SET(UTS "[1]/cbc:TaxAmount", "7.90"), SET(UTT "/cbc:TaxAmount",
	    "9.72"), SET(UT "/cbc:TaxInclusiveAmount", "71.63"),
	    SET(UT "/cbc:PrepaidAmount", "71.63")}, "BR-CO-17 BR-S-09"},
	{"ubl-br-s-10", BASE_UBL, XR, NULL,
	    {INS(UTS "[1]/cac:TaxCategory/cac:TaxScheme", REASON)}, "BR-S-10"},
	{"cii-br-s-10", BASE_CII, XR, NULL, {INS(CTAX "[1]/ram:BasisAmount",
	    "<ram:ExemptionReason>steuerfrei</ram:ExemptionReason>")},
	    "BR-S-10"},

	/* Z: zero rated. */
	{"ubl-br-z-01", BASE_UBL, XR, u_cat_z, {INS(UTS, U_SUBTOTAL("Z", ""))},
	    "BR-Z-01 BR-Z-08"},
	{"cii-br-z-01", BASE_CII, XR, c_cat_z,
	    {INS(CTAX, C_BREAKDOWN("Z", ""))},
	    "BR-Z-01 BR-Z-08"},
	{"ubl-br-z-02-04", BASE_UBL, XR, u_cat_z, {U_NO_SELLER_TAX_IDS},
	    "BR-Z-02 BR-Z-04 BR-DE-16"},
	{"ubl-br-z-03", BASE_UBL, EN, u_allow, {U_NO_SELLER_TAX_IDS},
	    "BR-Z-02 BR-Z-03 BR-Z-04", u_cat_z},
	{"ubl-br-z-05", BASE_UBL, XR, u_cat_z, {SET(UL(2) "/cac:Item/"
	    "cac:ClassifiedTaxCategory/cbc:Percent", "7")}, "BR-Z-05"},
	{"ubl-br-z-06", BASE_UBL, XR, u_allow,
	    {SET(UAC "[3]/cac:TaxCategory/cbc:Percent", "19")}, "BR-Z-06",
	    u_cat_z},
	{"cii-br-z-07", BASE_CII, XR, c_cat_z,
	    {SET(CAC "[1]/ram:CategoryTradeTax/ram:RateApplicablePercent",
	    "19")}, "BR-Z-07"},
	{"ubl-br-z-08", BASE_UBL, XR, u_cat_z,
	    {SET(UTS "/cbc:TaxableAmount", "63.91")}, "BR-Z-08"},
	{"cii-br-z-09", BASE_CII, XR, c_cat_z, {C_TAX("0.40", "62.31")},
	    "BR-Z-09"},
	{"ubl-br-z-10", BASE_UBL, XR, u_cat_z,
	    {INS(UTS "/cac:TaxCategory/cac:TaxScheme", REASON)}, "BR-Z-10"},

	/* E: exempt. */
	{"ubl-br-e-01", BASE_UBL, XR, u_cat_e,
	    {INS(UTS, U_SUBTOTAL("E", REASON))}, "BR-E-01 BR-E-08"},
	{"cii-br-e-01", BASE_CII, XR, c_cat_e,
	    {INS(CTAX, C_BREAKDOWN("E", "<ram:ExemptionReason>frei"
	    "</ram:ExemptionReason>"))}, "BR-E-01 BR-E-08"},
	{"ubl-br-e-02-04", BASE_UBL, XR, u_cat_e, {U_NO_SELLER_TAX_IDS},
	    "BR-E-02 BR-E-04 BR-DE-16"},
	{"cii-br-e-02-04", BASE_CII, XR, c_cat_e,
	    {DEL(CHA "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration")},
	    "BR-E-02 BR-E-04 BR-DE-16"},
	{"ubl-br-e-03", BASE_UBL, EN, u_allow, {U_NO_SELLER_TAX_IDS},
	    "BR-E-02 BR-E-03 BR-E-04", u_cat_e},
	{"ubl-br-e-05", BASE_UBL, XR, u_cat_e, {SET(UL(1) "/cac:Item/"
	    "cac:ClassifiedTaxCategory/cbc:Percent", "7")}, "BR-E-05"},
	{"ubl-br-e-06", BASE_UBL, XR, u_allow,
	    {SET(UAC "[3]/cac:TaxCategory/cbc:Percent", "19")}, "BR-E-06",
	    u_cat_e},
	{"ubl-br-e-07", BASE_UBL, XR, u_cat_e,
	    {SET(UAC "[1]/cac:TaxCategory/cbc:Percent", "19")}, "BR-E-07"},
	{"cii-br-e-08", BASE_CII, XR, c_cat_e,
	    {SET(CTAX "/ram:BasisAmount", "59.91")}, "BR-E-08"},
	{"ubl-br-e-09", BASE_UBL, XR, u_cat_e, {U_TAX("0.10", "62.01")},
	    "BR-E-09"},
	{"ubl-br-e-10", BASE_UBL, XR, u_cat_e,
	    {DEL(UTS "/cac:TaxCategory/cbc:TaxExemptionReason"),
	    DEL(UTS "/cac:TaxCategory/cbc:TaxExemptionReasonCode")},
	    "BR-E-10"},
	{"cii-br-e-10", BASE_CII, XR, c_cat_e,
	    {DEL(CTAX "/ram:ExemptionReason"),
	    DEL(CTAX "/ram:ExemptionReasonCode")}, "BR-E-10"},

	/* AE: reverse charge. */
	{"ubl-br-ae-01", BASE_UBL, XR, u_cat_ae,
	    {INS(UTS, U_SUBTOTAL("AE", REASON))}, "BR-AE-01 BR-AE-08"},
	{"ubl-br-ae-02-04", BASE_UBL, XR, u_cat_ae,
	    {DEL(UB "/cac:PartyTaxScheme")}, "BR-AE-02 BR-AE-04"},
	{"cii-br-ae-02-04", BASE_CII, XR, c_cat_ae,
	    {DEL(CHA "/ram:BuyerTradeParty/ram:SpecifiedTaxRegistration")},
	    "BR-AE-02 BR-AE-04"},
	{"ubl-br-ae-03", BASE_UBL, EN, u_allow,
	    {DEL(UB "/cac:PartyTaxScheme")},
	    "BR-AE-02 BR-AE-03 BR-AE-04", u_cat_ae},
	{"ubl-br-ae-05", BASE_UBL, XR, u_cat_ae, {SET(UL(3) "/cac:Item/"
	    "cac:ClassifiedTaxCategory/cbc:Percent", "19")}, "BR-AE-05"},
	{"ubl-br-ae-06", BASE_UBL, XR, u_allow,
	    {SET(UAC "[3]/cac:TaxCategory/cbc:Percent", "19")}, "BR-AE-06",
	    u_cat_ae},
	{"cii-br-ae-07", BASE_CII, XR, c_cat_ae,
	    {SET(CAC "[2]/ram:CategoryTradeTax/ram:RateApplicablePercent",
	    "7")}, "BR-AE-07"},
	{"ubl-br-ae-08", BASE_UBL, XR, u_cat_ae,
	    {SET(UTS "/cbc:TaxableAmount", "51.91")}, "BR-AE-08"},
	{"ubl-br-ae-09", BASE_UBL, XR, u_cat_ae, {U_TAX("0.20", "62.11")},
	    "BR-AE-09"},
	{"cii-br-ae-10", BASE_CII, XR, c_cat_ae,
	    {DEL(CTAX "/ram:ExemptionReason"),
	    DEL(CTAX "/ram:ExemptionReasonCode")}, "BR-AE-10"},

	/* K: intra-community supply (BR-IC-*). */
	{"ubl-br-ic-01", BASE_UBL, XR, u_cat_k,
	    {INS(UTS, U_SUBTOTAL("K", REASON))}, "BR-IC-01 BR-IC-08"},
	{"ubl-br-ic-02-04", BASE_UBL, XR, u_cat_k,
	    {DEL(UB "/cac:PartyTaxScheme")}, "BR-IC-02 BR-IC-04"},
	{"cii-br-ic-02-04", BASE_CII, XR, c_cat_k,
	    {DEL(CHA "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration"
	    "[ram:ID/@schemeID = 'VA']")}, "BR-IC-02 BR-IC-04"},
	{"ubl-br-ic-03", BASE_UBL, EN, u_allow,
	    {DEL(UB "/cac:PartyTaxScheme")},
	    "BR-IC-02 BR-IC-03 BR-IC-04", u_cat_k},
	{"ubl-br-ic-05", BASE_UBL, XR, u_cat_k, {SET(UL(3) "/cac:Item/"
	    "cac:ClassifiedTaxCategory/cbc:Percent", "19")}, "BR-IC-05"},
	{"ubl-br-ic-06", BASE_UBL, XR, u_allow,
	    {SET(UAC "[3]/cac:TaxCategory/cbc:Percent", "19")}, "BR-IC-06",
	    u_cat_k},
	{"ubl-br-ic-07", BASE_UBL, XR, u_cat_k,
	    {SET(UAC "[2]/cac:TaxCategory/cbc:Percent", "7")}, "BR-IC-07"},
	{"cii-br-ic-08", BASE_CII, XR, c_cat_k,
	    {SET(CTAX "/ram:BasisAmount", "71.91")}, "BR-IC-08"},
	{"cii-br-ic-09", BASE_CII, XR, c_cat_k, {C_TAX("0.30", "62.21")},
	    "BR-IC-09"},
	{"ubl-br-ic-10", BASE_UBL, XR, u_cat_k,
	    {DEL(UTS "/cac:TaxCategory/cbc:TaxExemptionReason"),
	    DEL(UTS "/cac:TaxCategory/cbc:TaxExemptionReasonCode")},
	    "BR-IC-10"},
	{"ubl-br-ic-11", BASE_UBL, XR, u_cat_k,
	    {DEL("/*/cac:Delivery/cbc:ActualDeliveryDate")},
	    "BR-IC-11 BR-DE-TMP-32"},
	{"cii-br-ic-11", BASE_CII, XR, c_cat_k,
	    {DEL(CHD "/ram:ActualDeliverySupplyChainEvent")},
	    "BR-IC-11 BR-DE-TMP-32"},
	{"ubl-br-ic-12", BASE_UBL, XR, u_cat_k,
	    {DEL("/*/cac:Delivery/cac:DeliveryLocation")}, "BR-IC-12"},
	{"cii-br-ic-12", BASE_CII, XR, c_cat_k,
	    {DEL(CHD "/ram:ShipToTradeParty")}, "BR-IC-12"},

	/* G: export outside the EU. */
	{"ubl-br-g-01", BASE_UBL, XR, u_cat_g,
	    {INS(UTS, U_SUBTOTAL("G", REASON))}, "BR-G-01 BR-G-08"},
	{"ubl-br-g-02-04", BASE_UBL, XR, u_cat_g,
	    {DEL(US "/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']")},
	    "BR-G-02 BR-G-04"},
	{"cii-br-g-02-04", BASE_CII, XR, c_cat_g,
	    {DEL(CHA "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration"
	    "[ram:ID/@schemeID = 'VA']")}, "BR-G-02 BR-G-04"},
	{"ubl-br-g-03", BASE_UBL, EN, u_allow,
	    {DEL(US "/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']")},
	    "BR-G-02 BR-G-03 BR-G-04", u_cat_g},
	{"cii-br-g-05", BASE_CII, XR, c_cat_g,
	    {SET(CLS(1) "/ram:ApplicableTradeTax/ram:RateApplicablePercent",
	    "7")}, "BR-G-05"},
	{"ubl-br-g-06", BASE_UBL, XR, u_allow,
	    {SET(UAC "[3]/cac:TaxCategory/cbc:Percent", "19")}, "BR-G-06",
	    u_cat_g},
	{"ubl-br-g-07", BASE_UBL, XR, u_cat_g,
	    {SET(UAC "[1]/cac:TaxCategory/cbc:Percent", "19")}, "BR-G-07"},
	{"ubl-br-g-08", BASE_UBL, XR, u_cat_g,
	    {SET(UTS "/cbc:TaxableAmount", "60.91")}, "BR-G-08"},
	{"ubl-br-g-09", BASE_UBL, XR, u_cat_g, {U_TAX("1.00", "62.91")},
	    "BR-CO-17 BR-G-09"},
	{"cii-br-g-10", BASE_CII, XR, c_cat_g,
	    {DEL(CTAX "/ram:ExemptionReason"),
	    DEL(CTAX "/ram:ExemptionReasonCode")}, "BR-G-10"},

	/* O: not subject to VAT. */
	{"ubl-br-o-01", BASE_UBL, XR, u_cat_o,
	    {INS(UTS, U_SUBTOTAL("O", REASON))}, "BR-O-01 BR-O-08"},
	{"ubl-br-o-02-04", BASE_UBL, XR, u_cat_o,
	    {INS(US "/cac:PartyTaxScheme", "<cac:PartyTaxScheme>"
	    "<cbc:CompanyID>DE318472657</cbc:CompanyID>" U_VAT_SCHEME
	    "</cac:PartyTaxScheme>")}, "BR-O-02 BR-O-04"},
	{"cii-br-o-02-04", BASE_CII, XR, c_cat_o, {C_BUYER_VAT},
	    "BR-O-02 BR-O-04"},
	{"ubl-br-o-03", BASE_UBL, EN, u_allow, {U_BUYER_VAT},
	    "BR-O-02 BR-O-03 BR-O-04", u_cat_o},
	{"ubl-br-o-05", BASE_UBL, XR, u_cat_o, {INS(UL(2) "/cac:Item/"
	    "cac:ClassifiedTaxCategory/cac:TaxScheme",
	    "<cbc:Percent>0</cbc:Percent>")}, "BR-O-05"},
	{"ubl-br-o-06", BASE_UBL, XR, u_allow,
	    {INS(UAC "[3]/cac:TaxCategory/cac:TaxScheme",
	    "<cbc:Percent>0</cbc:Percent>")}, "BR-O-06", u_cat_o},
	{"cii-br-o-07", BASE_CII, XR, c_cat_o,
	    {APP(CAC "[1]/ram:CategoryTradeTax",
	    "<ram:RateApplicablePercent>0</ram:RateApplicablePercent>")},
	    "BR-O-07"},
	{"ubl-br-o-08", BASE_UBL, XR, u_cat_o,
	    {SET(UTS "/cbc:TaxableAmount", "61.92")}, "BR-O-08"},
	{"cii-br-o-08", BASE_CII, XR, c_cat_o,
	    {SET(CTAX "/ram:BasisAmount", "61.90")}, "BR-O-08"},
	{"ubl-br-o-09", BASE_UBL, XR, u_cat_o, {U_TAX("0.01", "61.92")},
	    "BR-O-09"},
	{"ubl-br-o-10", BASE_UBL, XR, u_cat_o,
	    {DEL(UTS "/cac:TaxCategory/cbc:TaxExemptionReason"),
	    DEL(UTS "/cac:TaxCategory/cbc:TaxExemptionReasonCode")},
	    "BR-O-10"},
	{"ubl-br-o-11", BASE_UBL, XR, u_cat_o, {INS(UTS,
	    "<cac:TaxSubtotal><cbc:TaxableAmount currencyID=\"EUR\">0.00"
	    "</cbc:TaxableAmount><cbc:TaxAmount currencyID=\"EUR\">0.00"
	    "</cbc:TaxAmount>" U_CAT("S", "19") "</cac:TaxSubtotal>")},
	    "BR-O-11 BR-S-01 BR-S-08"},
	{"ubl-br-o-12", BASE_UBL, XR, u_cat_o,
	    {SET(UL(2) "/cac:Item/cac:ClassifiedTaxCategory/cbc:ID", "S"),
	    INS(UL(2) "/cac:Item/cac:ClassifiedTaxCategory/cac:TaxScheme",
	    "<cbc:Percent>19</cbc:Percent>")},
	    "BR-O-08 BR-O-12 BR-S-01"},
	{"ubl-br-o-13", BASE_UBL, EN, u_allow,
	    {SET(UAC "[3]/cac:TaxCategory/cbc:ID", "S"),
	    INS(UAC "[3]/cac:TaxCategory/cac:TaxScheme",
	    "<cbc:Percent>19</cbc:Percent>")},
	    "BR-O-08 BR-O-13 BR-S-01", u_cat_o},
	{"cii-br-o-14", BASE_CII, XR, c_cat_o,
	    {SET(CAC "[1]/ram:CategoryTradeTax/ram:CategoryCode", "S"),
	    APP(CAC "[1]/ram:CategoryTradeTax",
	    "<ram:RateApplicablePercent>19</ram:RateApplicablePercent>")},
	    "BR-O-08 BR-O-13 BR-O-14 BR-S-01"},
};

#endif

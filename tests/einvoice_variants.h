#ifndef KONTOR_EINVOICE_VARIANTS_H
#define KONTOR_EINVOICE_VARIANTS_H

/*
 * Valid variants of the hand-written e-invoices, each a list of
 * mutation operations (einvoice_mut.h) whose result must still pass
 * every rule: a document allowance, a line allowance or charge, a price
 * discount, other payment means, and the VAT categories Z, E, AE, K, G
 * and O in place of S.  The invalid mutations of check_einvoice_rules.c
 * start from them.
 *
 * Figures: the 19 % shipping charge grows by the 1.00 allowance, a line
 * price grows (or shrinks) by its line allowance (charge), so every sum
 * of the base documents stays as it is.  In the category variants all
 * lines and charges move to one category at 0 %: one breakdown of
 * 61.91, no VAT, 61.91 paid.
 */

#include "einvoice_check.h"
#include "einvoice_mut.h"

/* The profiles of the tables */
#define XR	EINV_XRECHNUNG
#define EN	EINV_EN16931

/* UBL paths, for Invoice and CreditNote alike */
#define US	"/*/cac:AccountingSupplierParty/cac:Party"
#define UB	"/*/cac:AccountingCustomerParty/cac:Party"
#define UL(n)	"(/*/cac:InvoiceLine | /*/cac:CreditNoteLine)[" #n "]"
#define UT	"/*/cac:LegalMonetaryTotal"
#define UTT	"/*/cac:TaxTotal"
#define UTS	"/*/cac:TaxTotal/cac:TaxSubtotal"
#define UPM	"/*/cac:PaymentMeans"
#define UAC	"/*/cac:AllowanceCharge"

/* CII paths */
#define CT	"/rsm:CrossIndustryInvoice/rsm:SupplyChainTradeTransaction"
#define CHA	CT "/ram:ApplicableHeaderTradeAgreement"
#define CHD	CT "/ram:ApplicableHeaderTradeDelivery"
#define CHS	CT "/ram:ApplicableHeaderTradeSettlement"
#define CL(n)	CT "/ram:IncludedSupplyChainTradeLineItem[" #n "]"
#define CSUM	CHS "/ram:SpecifiedTradeSettlementHeaderMonetarySummation"
#define CTAX	CHS "/ram:ApplicableTradeTax"
#define CAC	CHS "/ram:SpecifiedTradeAllowanceCharge"
#define CPM	CHS "/ram:SpecifiedTradeSettlementPaymentMeans"
#define CNET(n)	CL(n) "/ram:SpecifiedLineTradeAgreement/" \
	"ram:NetPriceProductTradePrice"
#define CLS(n)	CL(n) "/ram:SpecifiedLineTradeSettlement"

#define U_VAT_SCHEME \
	"<cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>"
#define U_CAT(code, pct) "<cac:TaxCategory><cbc:ID>" code "</cbc:ID>" \
	"<cbc:Percent>" pct "</cbc:Percent>" U_VAT_SCHEME "</cac:TaxCategory>"

/* A 1.00 allowance at 19 %, paid for by a shipping charge of 3.40. */
static const struct op u_allow[] = {
	{OP_SET, UAC "[1]/cbc:Amount", "3.40"},
	{OP_INS, UTT, "<cac:AllowanceCharge>"
	    "<cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
	    "<cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>"
	    "<cbc:AllowanceChargeReason>Rabatt</cbc:AllowanceChargeReason>"
	    "<cbc:Amount currencyID=\"EUR\">1.00</cbc:Amount>"
	    U_CAT("S", "19") "</cac:AllowanceCharge>"},
	{OP_INS, UT "/cbc:ChargeTotalAmount",
	    "<cbc:AllowanceTotalAmount currencyID=\"EUR\">1.00"
	    "</cbc:AllowanceTotalAmount>"},
	{OP_SET, UT "/cbc:ChargeTotalAmount", "5.32"},
	{OP_END, NULL, NULL}
};

#define C_CAT(code, pct) "<ram:CategoryTradeTax><ram:TypeCode>VAT" \
	"</ram:TypeCode><ram:CategoryCode>" code "</ram:CategoryCode>" \
	"<ram:RateApplicablePercent>" pct "</ram:RateApplicablePercent>" \
	"</ram:CategoryTradeTax>"
#define C_IND(v) "<ram:ChargeIndicator><udt:Indicator>" v \
	"</udt:Indicator></ram:ChargeIndicator>"

static const struct op c_allow[] = {
	{OP_SET, CAC "[1]/ram:ActualAmount", "3.40"},
	{OP_INS, CHS "/ram:SpecifiedTradePaymentTerms",
	    "<ram:SpecifiedTradeAllowanceCharge>" C_IND("false")
	    "<ram:ActualAmount>1.00</ram:ActualAmount>"
	    "<ram:ReasonCode>95</ram:ReasonCode>"
	    "<ram:Reason>Rabatt</ram:Reason>"
	    C_CAT("S", "19") "</ram:SpecifiedTradeAllowanceCharge>"},
	{OP_INS, CSUM "/ram:TaxBasisTotalAmount",
	    "<ram:AllowanceTotalAmount>1.00</ram:AllowanceTotalAmount>"},
	{OP_SET, CSUM "/ram:ChargeTotalAmount", "5.32"},
	{OP_END, NULL, NULL}
};

/* Line 3: price 21.92 less a line allowance of 1.00 = 20.92. */
static const struct op u_lallow[] = {
	{OP_SET, UL(3) "/cac:Price/cbc:PriceAmount", "21.92"},
	{OP_INS, UL(3) "/cac:Item", "<cac:AllowanceCharge>"
	    "<cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
	    "<cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>"
	    "<cbc:AllowanceChargeReason>HERBST10</cbc:AllowanceChargeReason>"
	    "<cbc:Amount currencyID=\"EUR\">1.00</cbc:Amount>"
	    "</cac:AllowanceCharge>"},
	{OP_END, NULL, NULL}
};

static const struct op c_lallow[] = {
	{OP_SET, CNET(3) "/ram:ChargeAmount", "21.92"},
	{OP_INS, CLS(3) "/ram:SpecifiedTradeSettlementLineMonetarySummation",
	    "<ram:SpecifiedTradeAllowanceCharge>" C_IND("false")
	    "<ram:ActualAmount>1.00</ram:ActualAmount>"
	    "<ram:ReasonCode>95</ram:ReasonCode>"
	    "<ram:Reason>HERBST10</ram:Reason>"
	    "</ram:SpecifiedTradeAllowanceCharge>"},
	{OP_END, NULL, NULL}
};

/* Line 3: price 19.92 and gift wrapping 1.00 = 20.92. */
static const struct op u_lcharge[] = {
	{OP_SET, UL(3) "/cac:Price/cbc:PriceAmount", "19.92"},
	{OP_INS, UL(3) "/cac:Item", "<cac:AllowanceCharge>"
	    "<cbc:ChargeIndicator>true</cbc:ChargeIndicator>"
	    "<cbc:AllowanceChargeReasonCode>ABL"
	    "</cbc:AllowanceChargeReasonCode>"
	    "<cbc:AllowanceChargeReason>Geschenkverpackung"
	    "</cbc:AllowanceChargeReason>"
	    "<cbc:Amount currencyID=\"EUR\">1.00</cbc:Amount>"
	    "</cac:AllowanceCharge>"},
	{OP_END, NULL, NULL}
};

static const struct op c_lcharge[] = {
	{OP_SET, CNET(3) "/ram:ChargeAmount", "19.92"},
	{OP_INS, CLS(3) "/ram:SpecifiedTradeSettlementLineMonetarySummation",
	    "<ram:SpecifiedTradeAllowanceCharge>" C_IND("true")
	    "<ram:ActualAmount>1.00</ram:ActualAmount>"
	    "<ram:ReasonCode>ABL</ram:ReasonCode>"
	    "<ram:Reason>Geschenkverpackung</ram:Reason>"
	    "</ram:SpecifiedTradeAllowanceCharge>"},
	{OP_END, NULL, NULL}
};

/* Line 2: gross price 14.56 less a price discount of 2.00 = 12.56. */
static const struct op u_price[] = {
	{OP_SUB, "<cbc:PriceAmount currencyID=\"EUR\">12.56</cbc:PriceAmount>",
	    "<cbc:PriceAmount currencyID=\"EUR\">12.56</cbc:PriceAmount>"
	    "<cac:AllowanceCharge>"
	    "<cbc:ChargeIndicator>false</cbc:ChargeIndicator>"
	    "<cbc:Amount currencyID=\"EUR\">2.00</cbc:Amount>"
	    "<cbc:BaseAmount currencyID=\"EUR\">14.56</cbc:BaseAmount>"
	    "</cac:AllowanceCharge>"},
	{OP_END, NULL, NULL}
};

static const struct op c_price[] = {
	{OP_INS, CNET(2), "<ram:GrossPriceProductTradePrice>"
	    "<ram:ChargeAmount>14.56</ram:ChargeAmount>"
	    "<ram:AppliedTradeAllowanceCharge>" C_IND("false")
	    "<ram:ActualAmount>2.00</ram:ActualAmount>"
	    "</ram:AppliedTradeAllowanceCharge>"
	    "</ram:GrossPriceProductTradePrice>"},
	{OP_END, NULL, NULL}
};

#define IBAN_PAYEE	"DE60123456780004711002"
#define IBAN_PAYER	"DE02120300000000202051"
#define SEPA_CREDITOR	"DE98ZZZ09999999999"

/* SEPA credit transfer (58) to the seller's account. */
static const struct op u_sepa[] = {
	{OP_SET, UPM "/cbc:PaymentMeansCode", "58"},
	{OP_DEL, UPM "/cbc:PaymentMeansCode/@name", NULL},
	{OP_SUB, "<cbc:PaymentID>#1041</cbc:PaymentID>",
	    "<cbc:PaymentID>#1041</cbc:PaymentID><cac:PayeeFinancialAccount>"
	    "<cbc:ID>" IBAN_PAYEE "</cbc:ID>"
	    "<cbc:Name>Kontor Demo Manufaktur GmbH</cbc:Name>"
	    "</cac:PayeeFinancialAccount>"},
	{OP_END, NULL, NULL}
};

static const struct op c_sepa[] = {
	{OP_SET, CPM "/ram:TypeCode", "58"},
	{OP_DEL, CPM "/ram:Information", NULL},
	{OP_SUB, "<ram:TypeCode>58</ram:TypeCode>",
	    "<ram:TypeCode>58</ram:TypeCode>"
	    "<ram:PayeePartyCreditorFinancialAccount>"
	    "<ram:IBANID>" IBAN_PAYEE "</ram:IBANID>"
	    "</ram:PayeePartyCreditorFinancialAccount>"},
	{OP_END, NULL, NULL}
};

/* SEPA direct debit (59) with mandate, creditor id and account. */
static const struct op u_debit[] = {
	{OP_SET, UPM "/cbc:PaymentMeansCode", "59"},
	{OP_DEL, UPM "/cbc:PaymentMeansCode/@name", NULL},
	{OP_INS, US "/cac:PostalAddress", "<cac:PartyIdentification>"
	    "<cbc:ID schemeID=\"SEPA\">" SEPA_CREDITOR "</cbc:ID>"
	    "</cac:PartyIdentification>"},
	{OP_SUB, "<cbc:PaymentID>#1041</cbc:PaymentID>",
	    "<cbc:PaymentID>#1041</cbc:PaymentID><cac:PaymentMandate>"
	    "<cbc:ID>MANDAT-1041</cbc:ID><cac:PayerFinancialAccount>"
	    "<cbc:ID>" IBAN_PAYER "</cbc:ID></cac:PayerFinancialAccount>"
	    "</cac:PaymentMandate>"},
	{OP_END, NULL, NULL}
};

static const struct op c_debit[] = {
	{OP_SET, CPM "/ram:TypeCode", "59"},
	{OP_DEL, CPM "/ram:Information", NULL},
	{OP_INS, CHS "/ram:PaymentReference",
	    "<ram:CreditorReferenceID>" SEPA_CREDITOR
	    "</ram:CreditorReferenceID>"},
	{OP_SUB, "<ram:TypeCode>59</ram:TypeCode>",
	    "<ram:TypeCode>59</ram:TypeCode>"
	    "<ram:PayerPartyDebtorFinancialAccount>"
	    "<ram:IBANID>" IBAN_PAYER "</ram:IBANID>"
	    "</ram:PayerPartyDebtorFinancialAccount>"},
	{OP_SUB, "<ram:Description>Bezahlt im Shop.</ram:Description>",
	    "<ram:Description>Bezahlt im Shop.</ram:Description>"
	    "<ram:DirectDebitMandateID>MANDAT-1041"
	    "</ram:DirectDebitMandateID>"},
	{OP_END, NULL, NULL}
};

/* A card payment (54) with the card's last digits. */
static const struct op u_card[] = {
	{OP_SET, UPM "/cbc:PaymentMeansCode", "54"},
	{OP_DEL, UPM "/cbc:PaymentMeansCode/@name", NULL},
	{OP_SUB, "<cbc:PaymentID>#1041</cbc:PaymentID>",
	    "<cbc:PaymentID>#1041</cbc:PaymentID><cac:CardAccount>"
	    "<cbc:PrimaryAccountNumberID>4242</cbc:PrimaryAccountNumberID>"
	    "<cbc:NetworkID>VISA</cbc:NetworkID>"
	    "<cbc:HolderName>Jana Köhler</cbc:HolderName></cac:CardAccount>"},
	{OP_END, NULL, NULL}
};

static const struct op c_card[] = {
	{OP_SET, CPM "/ram:TypeCode", "54"},
	{OP_DEL, CPM "/ram:Information", NULL},
	{OP_SUB, "<ram:TypeCode>54</ram:TypeCode>",
	    "<ram:TypeCode>54</ram:TypeCode>"
	    "<ram:ApplicableTradeSettlementFinancialCard><ram:ID>4242</ram:ID>"
	    "<ram:CardholderName>Jana Köhler</ram:CardholderName>"
	    "</ram:ApplicableTradeSettlementFinancialCard>"},
	{OP_END, NULL, NULL}
};

/* All lines and charges in one category at 0 %: one breakdown. */
#define U_CATEGORY(code) \
	{OP_SET, "//cac:ClassifiedTaxCategory/cbc:ID", code}, \
	{OP_SET, "//cac:ClassifiedTaxCategory/cbc:Percent", "0"}, \
	{OP_SET, UAC "/cac:TaxCategory/cbc:ID", code}, \
	{OP_SET, UAC "/cac:TaxCategory/cbc:Percent", "0"}, \
	{OP_DEL, UTS "[2]", NULL}, \
	{OP_SET, UTS "/cbc:TaxableAmount", "61.91"}, \
	{OP_SET, UTS "/cbc:TaxAmount", "0.00"}, \
	{OP_SET, UTS "/cac:TaxCategory/cbc:ID", code}, \
	{OP_SET, UTS "/cac:TaxCategory/cbc:Percent", "0"}, \
	{OP_SET, UTT "/cbc:TaxAmount", "0.00"}, \
	{OP_SET, UT "/cbc:TaxInclusiveAmount", "61.91"}, \
	{OP_SET, UT "/cbc:PrepaidAmount", "61.91"}
#define U_REASON(text, code) \
	{OP_INS, UTS "/cac:TaxCategory/cac:TaxScheme", \
	    "<cbc:TaxExemptionReasonCode>" code \
	    "</cbc:TaxExemptionReasonCode>" \
	    "<cbc:TaxExemptionReason>" text "</cbc:TaxExemptionReason>"}
#define U_BUYER_VAT \
	{OP_INS, UB "/cac:PartyLegalEntity", "<cac:PartyTaxScheme>" \
	    "<cbc:CompanyID>ATU12345678</cbc:CompanyID>" U_VAT_SCHEME \
	    "</cac:PartyTaxScheme>"}

static const struct op u_cat_z[] = {
	U_CATEGORY("Z"), {OP_END, NULL, NULL}
};
static const struct op u_cat_e[] = {
	U_CATEGORY("E"),
	U_REASON("Kleinunternehmer gem. § 19 UStG", "VATEX-EU-132"),
	{OP_END, NULL, NULL}
};
static const struct op u_cat_ae[] = {
	U_CATEGORY("AE"), U_BUYER_VAT,
	U_REASON("Steuerschuldnerschaft des Leistungsempfängers",
	    "VATEX-EU-AE"),
	{OP_END, NULL, NULL}
};
static const struct op u_cat_k[] = {
	U_CATEGORY("K"), U_BUYER_VAT,
	U_REASON("Innergemeinschaftliche Lieferung", "VATEX-EU-IC"),
	{OP_END, NULL, NULL}
};
static const struct op u_cat_g[] = {
	U_CATEGORY("G"),
	U_REASON("Ausfuhrlieferung", "VATEX-EU-G"),
	{OP_END, NULL, NULL}
};
static const struct op u_cat_o[] = {
	U_CATEGORY("O"),
	{OP_DEL, "//cac:ClassifiedTaxCategory/cbc:Percent", NULL},
	{OP_DEL, UAC "/cac:TaxCategory/cbc:Percent", NULL},
	{OP_DEL, US "/cac:PartyTaxScheme[cac:TaxScheme/cbc:ID = 'VAT']", NULL},
	U_REASON("Nicht steuerbar", "VATEX-EU-O"),
	{OP_END, NULL, NULL}
};

#define C_CATEGORY(code) \
	{OP_SET, "//ram:CategoryCode", code}, \
	{OP_SET, "//ram:RateApplicablePercent", "0"}, \
	{OP_DEL, CTAX "[2]", NULL}, \
	{OP_SET, CTAX "/ram:BasisAmount", "61.91"}, \
	{OP_SET, CTAX "/ram:CalculatedAmount", "0.00"}, \
	{OP_SET, CSUM "/ram:TaxTotalAmount", "0.00"}, \
	{OP_SET, CSUM "/ram:GrandTotalAmount", "61.91"}, \
	{OP_SET, CSUM "/ram:TotalPrepaidAmount", "61.91"}
#define C_REASON(text, code) \
	{OP_INS, CTAX "/ram:BasisAmount", \
	    "<ram:ExemptionReason>" text "</ram:ExemptionReason>"}, \
	{OP_INS, CTAX "/ram:RateApplicablePercent", \
	    "<ram:ExemptionReasonCode>" code "</ram:ExemptionReasonCode>"}
#define C_BUYER_VAT \
	{OP_SUB, "jana.koehler@example.invalid</ram:URIID>\n" \
	    "        </ram:URIUniversalCommunication>", \
	    "jana.koehler@example.invalid</ram:URIID>" \
	    "</ram:URIUniversalCommunication><ram:SpecifiedTaxRegistration>" \
	    "<ram:ID schemeID=\"VA\">ATU12345678</ram:ID>" \
	    "</ram:SpecifiedTaxRegistration>"}

static const struct op c_cat_z[] = {
	C_CATEGORY("Z"), {OP_END, NULL, NULL}
};
static const struct op c_cat_e[] = {
	C_CATEGORY("E"),
	C_REASON("Kleinunternehmer gem. § 19 UStG", "VATEX-EU-132"),
	{OP_END, NULL, NULL}
};
static const struct op c_cat_ae[] = {
	C_CATEGORY("AE"), C_BUYER_VAT,
	C_REASON("Steuerschuldnerschaft des Leistungsempfängers",
	    "VATEX-EU-AE"),
	{OP_END, NULL, NULL}
};
static const struct op c_cat_k[] = {
	C_CATEGORY("K"), C_BUYER_VAT,
	C_REASON("Innergemeinschaftliche Lieferung", "VATEX-EU-IC"),
	{OP_END, NULL, NULL}
};
static const struct op c_cat_g[] = {
	C_CATEGORY("G"),
	C_REASON("Ausfuhrlieferung", "VATEX-EU-G"),
	{OP_END, NULL, NULL}
};
static const struct op c_cat_o[] = {
	C_CATEGORY("O"),
	{OP_DEL, CT "/ram:IncludedSupplyChainTradeLineItem//"
	    "ram:RateApplicablePercent", NULL},
	{OP_DEL, CAC "/ram:CategoryTradeTax/ram:RateApplicablePercent", NULL},
	{OP_DEL, CHA "/ram:SellerTradeParty/ram:SpecifiedTaxRegistration"
	    "[ram:ID/@schemeID = 'VA']", NULL},
	C_REASON("Nicht steuerbar", "VATEX-EU-O"),
	{OP_END, NULL, NULL}
};

#endif

#ifndef KONTOR_EINVOICE_MUTS_DE_H
#define KONTOR_EINVOICE_MUTS_DE_H

/*
 * Mutations for the XRechnung rules (BR-DE-*) and the Peppol rules
 * XRechnung adopts (PEPPOL-EN16931-R*), for check_einvoice_rules.c.
 */

#include "einvoice_variants.h"

#define R(n)	"PEPPOL-EN16931-R" #n
#define U_CONTACT	US "/cac:Contact"
#define C_SELLER	CHA "/ram:SellerTradeParty"
#define C_CONTACT	C_SELLER "/ram:DefinedTradeContact"

static const struct mutation muts_de[] = {
	{"ubl-br-de-1", BASE_UBL, XR, NULL, {DEL(UPM)}, "BR-DE-1"},
	{"cii-br-de-1", BASE_CII, XR, NULL, {DEL(CPM)}, "BR-DE-1"},
	{"ubl-br-de-2", BASE_UBL, XR, NULL, {DEL(U_CONTACT)}, "BR-DE-2"},
	{"cii-br-de-2", BASE_CII, XR, NULL, {DEL(C_CONTACT)}, "BR-DE-2"},
	{"ubl-br-de-3", BASE_UBL, XR, NULL,
	    {DEL(US "/cac:PostalAddress/cbc:CityName")}, "BR-DE-3"},
	{"cii-br-de-4", BASE_CII, XR, NULL,
	    {DEL(C_SELLER "/ram:PostalTradeAddress/ram:PostcodeCode")},
	    "BR-DE-4"},
	{"ubl-br-de-5", BASE_UBL, XR, NULL, {DEL(U_CONTACT "/cbc:Name")},
	    "BR-DE-5"},
	{"cii-br-de-5", BASE_CII, XR, NULL, {DEL(C_CONTACT "/ram:PersonName")},
	    "BR-DE-5"},
	/* A department is a contact point too in CII. */
	{"cii-br-de-5-department", BASE_CII, XR, NULL,
	    {INS(C_CONTACT "/ram:PersonName",
	    "<ram:DepartmentName>Buchhaltung</ram:DepartmentName>"),
	    DEL(C_CONTACT "/ram:PersonName")}, ""},
	{"ubl-br-de-6", BASE_UBL, XR, NULL, {DEL(U_CONTACT "/cbc:Telephone")},
	    "BR-DE-6 BR-DE-27"},
	{"cii-br-de-6", BASE_CII, XR, NULL,
	    {DEL(C_CONTACT "/ram:TelephoneUniversalCommunication")},
	    "BR-DE-6 BR-DE-27"},
	{"ubl-br-de-7", BASE_UBL, XR, NULL,
	    {DEL(U_CONTACT "/cbc:ElectronicMail")}, "BR-DE-7 BR-DE-28"},
	{"cii-br-de-7", BASE_CII, XR, NULL,
	    {DEL(C_CONTACT "/ram:EmailURIUniversalCommunication")},
	    "BR-DE-7 BR-DE-28"},
	{"ubl-br-de-8", BASE_UBL, XR, NULL,
	    {DEL(UB "/cac:PostalAddress/cbc:CityName")}, "BR-DE-8"},
	{"cii-br-de-9", BASE_CII, XR, NULL, {DEL(CHA "/ram:BuyerTradeParty/"
	    "ram:PostalTradeAddress/ram:PostcodeCode")}, "BR-DE-9"},
	{"ubl-br-de-10", BASE_UBL, XR, NULL, {DEL("/*/cac:Delivery/"
	    "cac:DeliveryLocation/cac:Address/cbc:CityName")}, "BR-DE-10"},
	{"cii-br-de-11", BASE_CII, XR, NULL, {DEL(CHD "/ram:ShipToTradeParty/"
	    "ram:PostalTradeAddress/ram:PostcodeCode")}, "BR-DE-11"},
	{"ubl-br-de-15", BASE_UBL, XR, NULL, {DEL("/*/cbc:BuyerReference")},
	    "BR-DE-15"},
	{"cii-br-de-15", BASE_CII, XR, NULL,
	    {SET(CHA "/ram:BuyerReference", "")}, "BR-DE-15 " R(008)},
	{"ubl-br-de-17", BASE_UBL, XR, NULL,
	    {SET("/*/cbc:InvoiceTypeCode", "71")}, "BR-DE-17"},
	{"ubl-br-de-18", BASE_UBL, XR, NULL, {SET("/*/cac:PaymentTerms/"
	    "cbc:Note", "#SKONTO#TAGE=14#PROZENT=2#\n")}, "BR-DE-18"},
	{"cii-br-de-18-line-end", BASE_CII, XR, NULL,
	    {SET(CHS "/ram:SpecifiedTradePaymentTerms/ram:Description",
	    "#SKONTO#TAGE=14#PROZENT=2.00#")}, "BR-DE-18"},
	{"cii-br-de-18-base", BASE_CII, XR, NULL,
	    {SET(CHS "/ram:SpecifiedTradePaymentTerms/ram:Description",
	    "Zahlbar in 30 Tagen.\n#SKONTO#TAGE=14#PROZENT=2.00#"
	    "BASISBETRAG=61.9#\n")}, "BR-DE-18"},
	/* '#' inside a line of text is not a cash discount line. */
	{"ubl-no-skonto", BASE_UBL, XR, NULL,
	    {SET("/*/cac:PaymentTerms/cbc:Note",
	    "Bestellung #1041 und #1042 bezahlt.")}, ""},
	{"ubl-skonto-base", BASE_UBL, XR, NULL,
	    {SET("/*/cac:PaymentTerms/cbc:Note", "Zahlbar in 30 Tagen.\n"
	    "#SKONTO#TAGE=14#PROZENT=2.00#BASISBETRAG=61.91#\n")}, ""},
	{"ubl-br-de-19", BASE_UBL, XR, u_sepa,
	    {SET(UPM "/cac:PayeeFinancialAccount/cbc:ID",
	    "DE60123456780004711003")}, "BR-DE-19"},
	{"cii-br-de-19", BASE_CII, XR, c_sepa,
	    {SET(CPM "//ram:IBANID", "DE6012345678000471100")}, "BR-DE-19"},
	{"ubl-br-de-20", BASE_UBL, XR, u_debit, {SET(UPM "/cac:PaymentMandate/"
	    "cac:PayerFinancialAccount/cbc:ID", "DE02120300000000202052")},
	    "BR-DE-20"},
	{"cii-br-de-20", BASE_CII, XR, c_debit, {SET(CPM "/ram:"
	    "PayerPartyDebtorFinancialAccount/ram:IBANID", "XX02")},
	    "BR-DE-20"},
	{"ubl-br-de-21", BASE_UBL, XR, NULL,
	    {SET("/*/cbc:CustomizationID", "urn:cen.eu:en16931:2017")},
	    "BR-DE-21"},
	{"ubl-br-de-23-a", BASE_UBL, XR, u_sepa,
	    {DEL(UPM "/cac:PayeeFinancialAccount")},
	    "BR-DE-23-a BR-DE-19 BR-61"},
	{"cii-br-de-23-a", BASE_CII, XR, c_sepa,
	    {DEL(CPM "/ram:PayeePartyCreditorFinancialAccount")},
	    "BR-DE-23-a BR-DE-19"},
	{"ubl-br-de-23-b", BASE_UBL, XR, u_sepa,
	    {INS(UPM "/cac:PayeeFinancialAccount", "<cac:CardAccount>"
	    "<cbc:PrimaryAccountNumberID>4242</cbc:PrimaryAccountNumberID>"
	    "<cbc:NetworkID>VISA</cbc:NetworkID></cac:CardAccount>")},
	    "BR-DE-23-b"},
	{"ubl-br-de-24-a", BASE_UBL, XR, u_card, {DEL(UPM "/cac:CardAccount")},
	    "BR-DE-24-a"},
	{"cii-br-de-24-a", BASE_CII, XR, c_card,
	    {DEL(CPM "/ram:ApplicableTradeSettlementFinancialCard")},
	    "BR-DE-24-a"},
	{"ubl-br-de-24-b", BASE_UBL, XR, u_card,
	    {APP(UPM, "<cac:PayeeFinancialAccount><cbc:ID>" IBAN_PAYEE
	    "</cbc:ID></cac:PayeeFinancialAccount>")}, "BR-DE-24-b"},
	{"cii-br-de-24-b", BASE_CII, XR, c_card,
	    {APP(CPM, "<ram:PayeePartyCreditorFinancialAccount><ram:IBANID>"
	    IBAN_PAYEE "</ram:IBANID>"
	    "</ram:PayeePartyCreditorFinancialAccount>")},
	    "BR-DE-24-b"},
	{"ubl-br-de-25-a", BASE_UBL, XR, u_debit,
	    {DEL(UPM "/cac:PaymentMandate")},
	    "BR-DE-25-a BR-DE-20 " R(061)},
	{"ubl-br-de-25-b", BASE_UBL, XR, u_debit,
	    {INS(UPM "/cac:PaymentMandate", "<cac:PayeeFinancialAccount>"
	    "<cbc:ID>" IBAN_PAYEE "</cbc:ID></cac:PayeeFinancialAccount>")},
	    "BR-DE-25-b"},
	{"cii-br-de-25-b", BASE_CII, XR, c_debit,
	    {APP(CPM, "<ram:PayeeSpecifiedCreditorFinancialInstitution>"
	    "<ram:BICID>DEUTDEFF</ram:BICID>"
	    "</ram:PayeeSpecifiedCreditorFinancialInstitution>")},
	    "BR-DE-25-b"},
	{"ubl-br-de-26", BASE_UBL, XR, NULL,
	    {SET("/*/cbc:InvoiceTypeCode", "384")}, "BR-DE-26"},
	{"ubl-br-de-27", BASE_UBL, XR, NULL,
	    {SET(U_CONTACT "/cbc:Telephone", "+49 ab")}, "BR-DE-27"},
	{"cii-br-de-28", BASE_CII, XR, NULL, {SET(C_CONTACT "/ram:"
	    "EmailURIUniversalCommunication/ram:URIID", "buchhaltung@kontor")},
	    "BR-DE-28"},
	{"ubl-br-de-28", BASE_UBL, XR, NULL,
	    {SET(U_CONTACT "/cbc:ElectronicMail", "a@b@kontor.example")},
	    "BR-DE-28"},
	{"ubl-br-de-30", BASE_UBL, XR, u_debit,
	    {DEL(US "/cac:PartyIdentification")}, "BR-DE-30"},
	{"cii-br-de-30", BASE_CII, XR, c_debit,
	    {DEL(CHS "/ram:CreditorReferenceID")}, "BR-DE-30"},
	{"ubl-br-de-31", BASE_UBL, XR, u_debit,
	    {DEL(UPM "/cac:PaymentMandate/cac:PayerFinancialAccount")},
	    "BR-DE-20 BR-DE-31"},
	{"cii-br-de-31", BASE_CII, XR, c_debit,
	    {DEL(CPM "/ram:PayerPartyDebtorFinancialAccount")},
	    "BR-DE-20 BR-DE-31"},
	{"ubl-br-de-tmp-32", BASE_UBL, XR, NULL,
	    {DEL("/*/cac:Delivery/cbc:ActualDeliveryDate")}, "BR-DE-TMP-32"},

	/* Peppol rules adopted by XRechnung. */
	{"ubl-r001", BASE_UBL, XR, NULL, {DEL("/*/cbc:ProfileID")}, R(001)},
	{"cii-r001", BASE_CII, XR, NULL,
	    {DEL("/*/rsm:ExchangedDocumentContext/"
	    "ram:BusinessProcessSpecifiedDocumentContextParameter")}, R(001)},
	{"ubl-r005", BASE_UBL, XR, NULL, {INS("/*/cbc:BuyerReference",
	    "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>")},
	    R(005) " " R(054)},
	{"cii-r005", BASE_CII, XR, NULL, {INS(CHS "/ram:InvoiceCurrencyCode",
	    "<ram:TaxCurrencyCode>EUR</ram:TaxCurrencyCode>")},
	    "BR-53 " R(005) " " R(054)},
	/* The VAT in EUR of the CHF variants below, negative. */
	{"ubl-r055", BASE_UBL, XR, NULL,
	    {SET("/*/cbc:DocumentCurrencyCode", "CHF"),
	    SET("//@currencyID", "CHF"), INS("/*/cbc:BuyerReference",
	    "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>"),
	    INS(UT, "<cac:TaxTotal><cbc:TaxAmount currencyID=\"EUR\">-9.21"
	    "</cbc:TaxAmount></cac:TaxTotal>")}, R(055)},
	{"cii-r055", BASE_CII, XR, NULL,
	    {SET(CHS "/ram:InvoiceCurrencyCode", "CHF"),
	    SET("//@currencyID", "CHF"), INS(CHS "/ram:InvoiceCurrencyCode",
	    "<ram:TaxCurrencyCode>EUR</ram:TaxCurrencyCode>"),
	    INS(CSUM "/ram:GrandTotalAmount", "<ram:TaxTotalAmount "
	    "currencyID=\"EUR\">-9.21</ram:TaxTotalAmount>")}, R(055)},
	/* BT-6 without BT-111: R054 and BR-53, and in UBL R055 too. */
	{"ubl-r054-r055", BASE_UBL, XR, NULL,
	    {SET("/*/cbc:DocumentCurrencyCode", "CHF"),
	    SET("//@currencyID", "CHF"), INS("/*/cbc:BuyerReference",
	    "<cbc:TaxCurrencyCode>EUR</cbc:TaxCurrencyCode>")},
	    "BR-53 " R(054) " " R(055)},
	{"cii-r054", BASE_CII, XR, NULL,
	    {SET(CHS "/ram:InvoiceCurrencyCode", "CHF"),
	    SET("//@currencyID", "CHF"), INS(CHS "/ram:InvoiceCurrencyCode",
	    "<ram:TaxCurrencyCode>EUR</ram:TaxCurrencyCode>")},
	    "BR-53 " R(054) " " R(055)},
	{"ubl-r008", BASE_UBL, XR, NULL, {INS("/*/cbc:DocumentCurrencyCode",
	    "<cbc:Note></cbc:Note>")}, R(008)},
	{"cii-r008", BASE_CII, XR, NULL, {INS(CHS "/ram:InvoiceCurrencyCode",
	    "<ram:PaymentReference>  </ram:PaymentReference>")}, R(008)},
	{"ubl-r010", BASE_UBL, XR, NULL, {DEL(UB "/cbc:EndpointID")}, R(010)},
	{"cii-r010", BASE_CII, XR, NULL, {DEL(CHA "/ram:BuyerTradeParty/"
	    "ram:URIUniversalCommunication")}, R(010)},
	{"ubl-r020", BASE_UBL, XR, NULL, {DEL(US "/cbc:EndpointID")}, R(020)},
	{"cii-r020", BASE_CII, XR, NULL,
	    {DEL(C_SELLER "/ram:URIUniversalCommunication")}, R(020)},
	{"ubl-r040", BASE_UBL, XR, u_lallow,
	    {INS(UL(3) "/cac:AllowanceCharge/cbc:Amount",
	    "<cbc:MultiplierFactorNumeric>5</cbc:MultiplierFactorNumeric>"),
	    APP(UL(3) "/cac:AllowanceCharge",
	    "<cbc:BaseAmount currencyID=\"EUR\">21.92</cbc:BaseAmount>")},
	    R(040)},
	{"ubl-r040-within-slack", BASE_UBL, XR, u_lallow,
	    {INS(UL(3) "/cac:AllowanceCharge/cbc:Amount",
	    "<cbc:MultiplierFactorNumeric>5</cbc:MultiplierFactorNumeric>"),
	    APP(UL(3) "/cac:AllowanceCharge",
	    "<cbc:BaseAmount currencyID=\"EUR\">20.40</cbc:BaseAmount>")}, ""},
	{"cii-r041", BASE_CII, XR, c_allow,
	    {INS(CAC "[3]/ram:ActualAmount",
	    "<ram:CalculationPercent>5</ram:CalculationPercent>")}, R(041)},
	{"ubl-r042", BASE_UBL, XR, u_allow,
	    {INS(UAC "[3]/cac:TaxCategory",
	    "<cbc:BaseAmount currencyID=\"EUR\">20.00</cbc:BaseAmount>")},
	    R(042)},
	{"ubl-r043", BASE_UBL, XR, NULL,
	    {SET(UAC "[1]/cbc:ChargeIndicator", "1")}, R(043)},
	{"cii-r043-1", BASE_CII, XR, NULL,
	    {SET(CAC "[1]/ram:ChargeIndicator/udt:Indicator", "1")}, R(043-1)},
	{"ubl-r044", BASE_UBL, XR, u_price, {SET(UL(2) "/cac:Price/"
	    "cac:AllowanceCharge/cbc:ChargeIndicator", "true")}, R(044)},
	{"cii-r044", BASE_CII, XR, c_price, {SET(CL(2) "//ram:"
	    "AppliedTradeAllowanceCharge/ram:ChargeIndicator/udt:Indicator",
	    "true")}, R(044)},
	{"ubl-r046", BASE_UBL, XR, u_price, {SET(UL(2) "/cac:Price/"
	    "cac:AllowanceCharge/cbc:BaseAmount", "15.56")}, R(046)},
	{"cii-r046", BASE_CII, XR, c_price, {SET(CL(2) "//ram:"
	    "GrossPriceProductTradePrice/ram:ChargeAmount", "13.56")}, R(046)},
	{"ubl-r053", BASE_UBL, XR, NULL, {INS(UTT, "<cac:TaxTotal>"
	    "<cbc:TaxAmount currencyID=\"EUR\">0.00</cbc:TaxAmount>"
	    "<cac:TaxSubtotal><cbc:TaxableAmount currencyID=\"EUR\">0.00"
	    "</cbc:TaxableAmount><cbc:TaxAmount currencyID=\"EUR\">0.00"
	    "</cbc:TaxAmount>" U_CAT("S", "19") "</cac:TaxSubtotal>"
	    "</cac:TaxTotal>")}, "BR-CO-15 BR-S-08 " R(053)},
	{"ubl-r054", BASE_UBL, XR, NULL, {INS(UTT, "<cac:TaxTotal>"
	    "<cbc:TaxAmount currencyID=\"EUR\">8.64</cbc:TaxAmount>"
	    "</cac:TaxTotal>")}, "BR-CO-15 " R(054)},
	{"ubl-r061", BASE_UBL, XR, u_debit,
	    {DEL(UPM "/cac:PaymentMandate/cbc:ID")}, R(061)},
	{"cii-r061", BASE_CII, XR, c_debit,
	    {DEL(CHS "/ram:SpecifiedTradePaymentTerms/"
	    "ram:DirectDebitMandateID")}, R(061)},
	{"ubl-r120", BASE_UBL, XR, NULL,
	    {SET(UL(1) "/cac:Price/cbc:PriceAmount", "12.00")}, R(120)},
	{"cii-r120", BASE_CII, XR, NULL,
	    {SET(CNET(1) "/ram:ChargeAmount", "12.20")}, R(120)},
	/* 2 x 12.06 = 24.12 is 0.01 off 24.11: inside R120's slack. */
	{"ubl-r120-within-slack", BASE_UBL, XR, NULL,
	    {SET(UL(1) "/cac:Price/cbc:PriceAmount", "12.06")}, ""},
	{"ubl-r120-base-quantity", BASE_UBL, XR, NULL,
	    {SET(UL(1) "/cac:Price/cbc:PriceAmount", "24.11"),
	    APP(UL(1) "/cac:Price",
	    "<cbc:BaseQuantity unitCode=\"H87\">2</cbc:BaseQuantity>")}, ""},
	{"ubl-r121", BASE_UBL, XR, NULL, {APP(UL(2) "/cac:Price",
	    "<cbc:BaseQuantity unitCode=\"H87\">0</cbc:BaseQuantity>")},
	    R(121)},
	{"cii-r121", BASE_CII, XR, NULL, {APP(CNET(2),
	    "<ram:BasisQuantity unitCode=\"H87\">-1</ram:BasisQuantity>")},
	    R(121) " " R(120)},
	{"ubl-r130", BASE_UBL, XR, NULL, {APP(UL(2) "/cac:Price",
	    "<cbc:BaseQuantity unitCode=\"C62\">1</cbc:BaseQuantity>")},
	    R(130)},
	{"cii-r130", BASE_CII, XR, NULL, {APP(CNET(2),
	    "<ram:BasisQuantity unitCode=\"KGM\">1</ram:BasisQuantity>")},
	    R(130)},
};

#endif

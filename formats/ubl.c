/*
 * The UBL 2.1 writer (ubl.h).  Each function writes one part of the
 * document; the order of the calls, and of the elements inside each,
 * is the order of the UBL 2.1 schemas.
 */
#include <string.h>

#include "einvoice.h"
#include "ubl.h"
#include "xmlw.h"

#define NS_UBL		"urn:oasis:names:specification:ubl:schema:xsd:"
#define NS_INVOICE	NS_UBL "Invoice-2"
#define NS_CREDIT	NS_UBL "CreditNote-2"
#define NS_CAC		NS_UBL "CommonAggregateComponents-2"
#define NS_CBC		NS_UBL "CommonBasicComponents-2"

struct ubl {
	struct xmlw x;
	const struct invoice *inv;
	int credit;		/* a CreditNote (381) */
};

static void
ubl_amount(struct ubl *u, const char *name, int64_t minor)
{
	char b[DEC_BUFSZ];

	xmlw_text_attr(&u->x, name, einv_amount(u->inv, minor, b),
	    "currencyID", u->inv->currency);
}

/* BT-24, BT-23, BT-1, BT-2, BT-3, BT-22, BT-5, BT-6, BT-10 */
static void
ubl_head(struct ubl *u, enum einv_profile p)
{
	const struct invoice *inv = u->inv;
	struct xmlw *x = &u->x;

	xmlw_start(x, u->credit ? "CreditNote" : "Invoice");
	xmlw_attr(x, "xmlns", u->credit ? NS_CREDIT : NS_INVOICE);
	xmlw_attr(x, "xmlns:cac", NS_CAC);
	xmlw_attr(x, "xmlns:cbc", NS_CBC);
	xmlw_text(x, "cbc:CustomizationID", einv_profile_id(p));
	xmlw_text(x, "cbc:ProfileID", EINV_PROCESS_ID);
	xmlw_text(x, "cbc:ID", inv->number);
	xmlw_text(x, "cbc:IssueDate", inv->issue_date);
	xmlw_text(x, u->credit ? "cbc:CreditNoteTypeCode" :
	    "cbc:InvoiceTypeCode", inv->doc_type);
	xmlw_text(x, "cbc:Note", inv->note);
	xmlw_text(x, "cbc:DocumentCurrencyCode", inv->currency);
	if (inv->has_fx)
		xmlw_text(x, "cbc:TaxCurrencyCode", EINV_TAX_CURRENCY);
	xmlw_text(x, "cbc:BuyerReference", inv->buyer_reference);
}

/*
 * BT-14, our order number; UBL's OrderReference needs an ID (BT-13, the
 * buyer's purchase order), which a shop order does not have: "NA".
 * BT-25/BT-26, the invoice a credit note corrects.
 */
static void
ubl_references(struct ubl *u)
{
	const struct invoice *inv = u->inv;
	struct xmlw *x = &u->x;

	if (!xmlw_blank(inv->order_number)) {
		xmlw_start(x, "cac:OrderReference");
		xmlw_text(x, "cbc:ID", "NA");
		xmlw_text(x, "cbc:SalesOrderID", inv->order_number);
		xmlw_end(x);
	}
	if (!xmlw_blank(inv->preceding_number)) {
		xmlw_start(x, "cac:BillingReference");
		xmlw_start(x, "cac:InvoiceDocumentReference");
		xmlw_text(x, "cbc:ID", inv->preceding_number);
		xmlw_text(x, "cbc:IssueDate", inv->preceding_date);
		xmlw_end(x);
		xmlw_end(x);
	}
}

static void
ubl_address(struct xmlw *x, const char *el, const struct address *a)
{
	xmlw_start(x, el);
	xmlw_text(x, "cbc:StreetName", a->street);
	xmlw_text(x, "cbc:AdditionalStreetName", a->street2);
	xmlw_text(x, "cbc:CityName", a->city);
	xmlw_text(x, "cbc:PostalZone", a->postcode);
	xmlw_text(x, "cbc:CountrySubentity", a->region);
	xmlw_start(x, "cac:Country");
	xmlw_text(x, "cbc:IdentificationCode", a->country);
	xmlw_end(x);
	xmlw_end(x);
}

/* A VAT id (scheme VAT) or a tax number (scheme FC). */
static void
ubl_tax_scheme(struct xmlw *x, const char *company_id, const char *scheme)
{
	if (xmlw_blank(company_id))
		return;
	xmlw_start(x, "cac:PartyTaxScheme");
	xmlw_text(x, "cbc:CompanyID", company_id);
	xmlw_start(x, "cac:TaxScheme");
	xmlw_text(x, "cbc:ID", scheme);
	xmlw_end(x);
	xmlw_end(x);
}

static void
ubl_contact(struct xmlw *x, const char *name, const char *phone,
    const char *email)
{
	if (xmlw_blank(name) && xmlw_blank(phone) && xmlw_blank(email))
		return;
	xmlw_start(x, "cac:Contact");
	xmlw_text(x, "cbc:Name", name);
	xmlw_text(x, "cbc:Telephone", phone);
	xmlw_text(x, "cbc:ElectronicMail", email);
	xmlw_end(x);
}

/* BG-4, BG-5, BG-6: BT-27, BT-30, BT-31, BT-32, BT-34, BT-35..43 */
static void
ubl_seller(struct ubl *u)
{
	const struct inv_party *s = &u->inv->seller;
	struct xmlw *x = &u->x;

	xmlw_start(x, "cac:AccountingSupplierParty");
	xmlw_start(x, "cac:Party");
	xmlw_text_attr(x, "cbc:EndpointID", s->endpoint, "schemeID",
	    s->endpoint_scheme);
	ubl_address(x, "cac:PostalAddress", &s->addr);
	ubl_tax_scheme(x, einv_seller_vat_id(u->inv), "VAT");
	ubl_tax_scheme(x, s->tax_number, "FC");
	xmlw_start(x, "cac:PartyLegalEntity");
	xmlw_text(x, "cbc:RegistrationName", s->name);
	xmlw_text(x, "cbc:CompanyID", s->register_id);
	xmlw_end(x);
	ubl_contact(x, s->contact_name, s->contact_phone, s->contact_email);
	xmlw_end(x);
	xmlw_end(x);
}

/* BG-7, BG-8: BT-44, BT-48, BT-49, BT-50..55, BT-56 */
static void
ubl_buyer(struct ubl *u)
{
	const struct inv_party *b = &u->inv->buyer;
	struct xmlw *x = &u->x;

	xmlw_start(x, "cac:AccountingCustomerParty");
	xmlw_start(x, "cac:Party");
	xmlw_text_attr(x, "cbc:EndpointID", b->endpoint, "schemeID",
	    b->endpoint_scheme);
	ubl_address(x, "cac:PostalAddress", &b->addr);
	ubl_tax_scheme(x, einv_buyer_vat_id(u->inv), "VAT");
	xmlw_start(x, "cac:PartyLegalEntity");
	xmlw_text(x, "cbc:RegistrationName", einv_buyer_name(u->inv));
	xmlw_end(x);
	ubl_contact(x, einv_buyer_contact(u->inv), NULL, NULL);
	xmlw_end(x);
	xmlw_end(x);
}

/* BG-13: BT-72 and the deliver-to address BG-15 with BT-70 */
static void
ubl_delivery(struct ubl *u)
{
	const struct invoice *inv = u->inv;
	const char *name = einv_delivery_name(inv);
	struct xmlw *x = &u->x;

	xmlw_start(x, "cac:Delivery");
	xmlw_text(x, "cbc:ActualDeliveryDate", inv->supply_date);
	if (inv->delivery.country[0] != '\0') {
		xmlw_start(x, "cac:DeliveryLocation");
		ubl_address(x, "cac:Address", &inv->delivery);
		xmlw_end(x);
		if (!xmlw_blank(name)) {
			xmlw_start(x, "cac:DeliveryParty");
			xmlw_start(x, "cac:PartyName");
			xmlw_text(x, "cbc:Name", name);
			xmlw_end(x);
			xmlw_end(x);
		}
	}
	xmlw_end(x);
}

/* BG-16: BT-81, BT-82, BT-83, BG-17 with BT-84; BT-20 */
static void
ubl_payment(struct ubl *u)
{
	const struct invoice *inv = u->inv;
	struct xmlw *x = &u->x;

	if (!xmlw_blank(inv->pay_means)) {
		xmlw_start(x, "cac:PaymentMeans");
		xmlw_text_attr(x, "cbc:PaymentMeansCode", inv->pay_means,
		    "name", einv_pay_text(inv));
		xmlw_text(x, "cbc:PaymentID", einv_remittance(inv));
		if (einv_pay_account(inv)) {
			xmlw_start(x, "cac:PayeeFinancialAccount");
			xmlw_text(x, "cbc:ID", inv->pay_iban);
			xmlw_end(x);
		}
		xmlw_end(x);
	}
	if (!xmlw_blank(inv->pay_terms)) {
		xmlw_start(x, "cac:PaymentTerms");
		xmlw_text(x, "cbc:Note", inv->pay_terms);
		xmlw_end(x);
	}
}

/*
 * A tax category: of a line (ClassifiedTaxCategory), an allowance or
 * charge, or a breakdown.  Category O carries no rate except in the
 * breakdown, where XRechnung wants one (BR-DE-14).
 */
static void
ubl_category(struct xmlw *x, const char *el, const char *category,
    int64_t rate_bp, const struct inv_vat *v)
{
	char r[DEC_BUFSZ];

	xmlw_start(x, el);
	xmlw_text(x, "cbc:ID", category);
	if (strcmp(category, "O") != 0 || v != NULL)
		xmlw_text(x, "cbc:Percent", einv_rate(rate_bp, r));
	if (v != NULL) {
		xmlw_text(x, "cbc:TaxExemptionReasonCode", v->exemption_code);
		xmlw_text(x, "cbc:TaxExemptionReason", v->exemption_reason);
	}
	xmlw_start(x, "cac:TaxScheme");
	xmlw_text(x, "cbc:ID", "VAT");
	xmlw_end(x);
	xmlw_end(x);
}

/*
 * BG-20 and BG-21: BT-92/99, BT-95/102, BT-96/103, BT-97/104, BT-98/105.
 * An allowance without a code of its own is a discount (95).
 */
static void
ubl_adjusts(struct ubl *u)
{
	struct xmlw *x = &u->x;
	size_t i;

	for (i = 0; i < u->inv->nadjusts; i++) {
		const struct inv_adjust *a = &u->inv->adjusts[i];
		const char *code = a->reason_code;

		if (!a->charge && xmlw_blank(code))
			code = "95";
		xmlw_start(x, "cac:AllowanceCharge");
		xmlw_text(x, "cbc:ChargeIndicator", a->charge ? "true" :
		    "false");
		xmlw_text(x, "cbc:AllowanceChargeReasonCode", code);
		xmlw_text(x, "cbc:AllowanceChargeReason", a->reason);
		ubl_amount(u, "cbc:Amount", a->net_minor);
		ubl_category(x, "cac:TaxCategory", a->category, a->rate_bp,
		    NULL);
		xmlw_end(x);
	}
}

/*
 * BT-110 and BG-23: BT-116..121; then, for an invoice in another
 * currency, BT-111 in a TaxTotal of its own without breakdowns.
 */
static void
ubl_tax_total(struct ubl *u)
{
	struct xmlw *x = &u->x;
	size_t i;

	xmlw_start(x, "cac:TaxTotal");
	ubl_amount(u, "cbc:TaxAmount", u->inv->vat_total_minor);
	for (i = 0; i < u->inv->nvat; i++) {
		const struct inv_vat *v = &u->inv->vat[i];

		xmlw_start(x, "cac:TaxSubtotal");
		ubl_amount(u, "cbc:TaxableAmount", v->taxable_minor);
		ubl_amount(u, "cbc:TaxAmount", v->vat_minor);
		ubl_category(x, "cac:TaxCategory", v->category, v->rate_bp,
		    v);
		xmlw_end(x);
	}
	xmlw_end(x);
	if (u->inv->has_fx) {
		char b[DEC_BUFSZ];

		xmlw_start(x, "cac:TaxTotal");
		xmlw_text_attr(x, "cbc:TaxAmount", dec_format(
		    u->inv->vat_eur_minor, 2, b), "currencyID",
		    EINV_TAX_CURRENCY);
		xmlw_end(x);
	}
}

/* 1 when the document has an allowance (charge 0) or a charge (1). */
static int
has_adjust(const struct invoice *inv, int charge)
{
	size_t i;

	for (i = 0; i < inv->nadjusts; i++)
		if (inv->adjusts[i].charge == charge)
			return 1;
	return 0;
}

/*
 * BG-22: BT-106..115.  BT-107 and BT-108 only when the document has
 * allowances or charges, BT-113 and BT-114 only when not zero.
 */
static void
ubl_totals(struct ubl *u)
{
	const struct invoice *inv = u->inv;

	xmlw_start(&u->x, "cac:LegalMonetaryTotal");
	ubl_amount(u, "cbc:LineExtensionAmount", inv->line_net_minor);
	ubl_amount(u, "cbc:TaxExclusiveAmount", inv->net_minor);
	ubl_amount(u, "cbc:TaxInclusiveAmount", inv->gross_minor);
	if (has_adjust(inv, 0) || inv->allowances_minor != 0)
		ubl_amount(u, "cbc:AllowanceTotalAmount",
		    inv->allowances_minor);
	if (has_adjust(inv, 1) || inv->charges_minor != 0)
		ubl_amount(u, "cbc:ChargeTotalAmount", inv->charges_minor);
	if (inv->paid_minor != 0)
		ubl_amount(u, "cbc:PrepaidAmount", inv->paid_minor);
	if (inv->rounding_minor != 0)
		ubl_amount(u, "cbc:PayableRoundingAmount",
		    inv->rounding_minor);
	ubl_amount(u, "cbc:PayableAmount", inv->due_minor);
	xmlw_end(&u->x);
}

/* BG-27: the discount on a line, net; reason BT-139, code 95 (BT-140) */
static void
ubl_line_allowance(struct ubl *u, const struct inv_line *l)
{
	struct xmlw *x = &u->x;

	if (l->allowance_minor <= 0)
		return;
	xmlw_start(x, "cac:AllowanceCharge");
	xmlw_text(x, "cbc:ChargeIndicator", "false");
	xmlw_text(x, "cbc:AllowanceChargeReasonCode", "95");
	xmlw_text(x, "cbc:AllowanceChargeReason", l->allowance_reason);
	ubl_amount(u, "cbc:Amount", l->allowance_minor);
	xmlw_end(x);
}

/* BG-25: BT-126, BT-129..131, BG-27, BT-153, BT-155, BT-151/152, BT-146 */
static void
ubl_line(struct ubl *u, const struct inv_line *l)
{
	char q[DEC_BUFSZ], p[DEC_BUFSZ];
	struct xmlw *x = &u->x;

	xmlw_start(x, u->credit ? "cac:CreditNoteLine" : "cac:InvoiceLine");
	xmlw_text(x, "cbc:ID", l->id);
	xmlw_text_attr(x, u->credit ? "cbc:CreditedQuantity" :
	    "cbc:InvoicedQuantity", dec_format_trim(l->qty_e4, QTY_SCALE, q),
	    "unitCode", l->unit);
	ubl_amount(u, "cbc:LineExtensionAmount", l->net_minor);
	ubl_line_allowance(u, l);
	xmlw_start(x, "cac:Item");
	xmlw_text(x, "cbc:Name", l->name);
	if (!xmlw_blank(l->sku)) {
		xmlw_start(x, "cac:SellersItemIdentification");
		xmlw_text(x, "cbc:ID", l->sku);
		xmlw_end(x);
	}
	ubl_category(x, "cac:ClassifiedTaxCategory", l->category, l->rate_bp,
	    NULL);
	xmlw_end(x);
	xmlw_start(x, "cac:Price");
	xmlw_text_attr(x, "cbc:PriceAmount", dec_format(l->net_price_e4,
	    NET_PRICE_SCALE, p), "currencyID", u->inv->currency);
	xmlw_end(x);
	xmlw_end(x);
}

int
ubl_write(const struct invoice *inv, enum einv_profile p, struct buf *out,
    struct xmlw_tree *tree, struct kerr *e)
{
	struct ubl u;
	size_t i;
	int rc;

	if (!einv_profile_allows(p, EINV_UBL))
		return kerr_set(e, KR_BAD_INPUT, NULL, "profile %s is "
		    "written in CII only", einv_profile_name(p));
	memset(&u, 0, sizeof(u));
	u.inv = inv;
	u.credit = strcmp(inv->doc_type, "381") == 0;
	if ((rc = xmlw_begin(&u.x, tree, e)) != KR_OK)
		return rc;

	ubl_head(&u, p);
	ubl_references(&u);
	ubl_seller(&u);
	ubl_buyer(&u);
	ubl_delivery(&u);
	ubl_payment(&u);
	ubl_adjusts(&u);
	ubl_tax_total(&u);
	ubl_totals(&u);
	for (i = 0; i < inv->nlines; i++)
		ubl_line(&u, &inv->lines[i]);
	xmlw_end(&u.x);
	return xmlw_finish(&u.x, out);
}

/*
 * The CII D16B writer (cii.h).  Each function writes one part of the
 * document; the order of the calls, and of the elements inside each,
 * is the order of the D16B schema.
 */
#include <string.h>

#include "cii.h"
#include "einvoice.h"
#include "xmlw.h"

#define NS_UNECE	"urn:un:unece:uncefact:data:standard:"
#define NS_RSM		NS_UNECE "CrossIndustryInvoice:100"
#define NS_RAM		NS_UNECE \
			"ReusableAggregateBusinessInformationEntity:100"
#define NS_QDT		NS_UNECE "QualifiedDataType:100"
#define NS_UDT		NS_UNECE "UnqualifiedDataType:100"

struct cii {
	struct xmlw x;
	const struct invoice *inv;
};

static void
cii_amount(struct cii *c, const char *name, int64_t minor)
{
	char b[DEC_BUFSZ];

	xmlw_text(&c->x, name, einv_amount(c->inv, minor, b));
}

/* <el><name format="102">YYYYMMDD</name></el>, name a constant */
static void
cii_date(struct xmlw *x, const char *el, const char *name, const char *iso)
{
	char d[9];

	if (xmlw_blank(iso))
		return;
	einv_date102(iso, d);
	xmlw_start(x, el);
	xmlw_text_attr(x, name, d, "format", "102");
	xmlw_end(x);
}

/* An element holding one ram:ID: <el><ram:ID>id</ram:ID></el> */
static void
cii_id_in(struct xmlw *x, const char *el, const char *id)
{
	xmlw_start(x, el);
	xmlw_text(x, "ram:ID", id);
	xmlw_end(x);
}

/* BT-23, BT-24; BT-1, BT-3, BT-2, BT-22 */
static void
cii_head(struct cii *c, enum einv_profile p)
{
	struct xmlw *x = &c->x;

	xmlw_start(x, "rsm:CrossIndustryInvoice");
	xmlw_attr(x, "xmlns:rsm", NS_RSM);
	xmlw_attr(x, "xmlns:ram", NS_RAM);
	xmlw_attr(x, "xmlns:qdt", NS_QDT);
	xmlw_attr(x, "xmlns:udt", NS_UDT);
	xmlw_start(x, "rsm:ExchangedDocumentContext");
	cii_id_in(x, "ram:BusinessProcessSpecifiedDocumentContextParameter",
	    EINV_PROCESS_ID);
	cii_id_in(x, "ram:GuidelineSpecifiedDocumentContextParameter",
	    einv_profile_id(p));
	xmlw_end(x);
	xmlw_start(x, "rsm:ExchangedDocument");
	xmlw_text(x, "ram:ID", c->inv->number);
	xmlw_text(x, "ram:TypeCode", c->inv->doc_type);
	cii_date(x, "ram:IssueDateTime", "udt:DateTimeString",
	    c->inv->issue_date);
	if (!xmlw_blank(c->inv->note)) {
		xmlw_start(x, "ram:IncludedNote");
		xmlw_text(x, "ram:Content", c->inv->note);
		xmlw_end(x);
	}
	xmlw_end(x);
}

/* VAT of a line or an allowance/charge; O carries no rate (BR-O-05..07) */
static void
cii_category(struct xmlw *x, const char *el, const char *category,
    int64_t rate_bp)
{
	char r[DEC_BUFSZ];

	xmlw_start(x, el);
	xmlw_text(x, "ram:TypeCode", "VAT");
	xmlw_text(x, "ram:CategoryCode", category);
	if (strcmp(category, "O") != 0)
		xmlw_text(x, "ram:RateApplicablePercent",
		    einv_rate(rate_bp, r));
	xmlw_end(x);
}

/* BG-27: the discount on a line, net; reason BT-139, code 95 (BT-140) */
static void
cii_line_allowance(struct cii *c, const struct inv_line *l)
{
	struct xmlw *x = &c->x;

	if (l->allowance_minor <= 0)
		return;
	xmlw_start(x, "ram:SpecifiedTradeAllowanceCharge");
	xmlw_start(x, "ram:ChargeIndicator");
	xmlw_text(x, "udt:Indicator", "false");
	xmlw_end(x);
	cii_amount(c, "ram:ActualAmount", l->allowance_minor);
	xmlw_text(x, "ram:ReasonCode", "95");
	xmlw_text(x, "ram:Reason", l->allowance_reason);
	xmlw_end(x);
}

/* BG-25: BT-126, BT-155, BT-153, BT-146, BT-129/130, BT-151/152, BT-131 */
static void
cii_line(struct cii *c, const struct inv_line *l)
{
	char q[DEC_BUFSZ], p[DEC_BUFSZ];
	struct xmlw *x = &c->x;

	xmlw_start(x, "ram:IncludedSupplyChainTradeLineItem");
	xmlw_start(x, "ram:AssociatedDocumentLineDocument");
	xmlw_text(x, "ram:LineID", l->id);
	xmlw_end(x);
	xmlw_start(x, "ram:SpecifiedTradeProduct");
	xmlw_text(x, "ram:SellerAssignedID", l->sku);
	xmlw_text(x, "ram:Name", l->name);
	xmlw_end(x);
	xmlw_start(x, "ram:SpecifiedLineTradeAgreement");
	xmlw_start(x, "ram:NetPriceProductTradePrice");
	xmlw_text(x, "ram:ChargeAmount", dec_format(l->net_price_e4,
	    NET_PRICE_SCALE, p));
	xmlw_end(x);
	xmlw_end(x);
	xmlw_start(x, "ram:SpecifiedLineTradeDelivery");
	xmlw_text_attr(x, "ram:BilledQuantity", dec_format_trim(l->qty_e4,
	    QTY_SCALE, q), "unitCode", l->unit);
	xmlw_end(x);
	xmlw_start(x, "ram:SpecifiedLineTradeSettlement");
	cii_category(x, "ram:ApplicableTradeTax", l->category, l->rate_bp);
	cii_line_allowance(c, l);
	xmlw_start(x, "ram:SpecifiedTradeSettlementLineMonetarySummation");
	cii_amount(c, "ram:LineTotalAmount", l->net_minor);
	xmlw_end(x);
	xmlw_end(x);
	xmlw_end(x);
}

static void
cii_address(struct xmlw *x, const struct address *a)
{
	xmlw_start(x, "ram:PostalTradeAddress");
	xmlw_text(x, "ram:PostcodeCode", a->postcode);
	xmlw_text(x, "ram:LineOne", a->street);
	xmlw_text(x, "ram:LineTwo", a->street2);
	xmlw_text(x, "ram:CityName", a->city);
	xmlw_text(x, "ram:CountryID", a->country);
	xmlw_text(x, "ram:CountrySubDivisionName", a->region);
	xmlw_end(x);
}

/* BT-34 / BT-49 */
static void
cii_endpoint(struct xmlw *x, const struct inv_party *p)
{
	if (xmlw_blank(p->endpoint))
		return;
	xmlw_start(x, "ram:URIUniversalCommunication");
	xmlw_text_attr(x, "ram:URIID", p->endpoint, "schemeID",
	    p->endpoint_scheme);
	xmlw_end(x);
}

/* BT-31 (VA) and BT-32 (FC), each a registration of its own */
static void
cii_tax_registration(struct xmlw *x, const char *id, const char *scheme)
{
	if (xmlw_blank(id))
		return;
	xmlw_start(x, "ram:SpecifiedTaxRegistration");
	xmlw_text_attr(x, "ram:ID", id, "schemeID", scheme);
	xmlw_end(x);
}

/* BG-6: BT-41, BT-42, BT-43 */
static void
cii_contact(struct xmlw *x, const struct inv_party *s)
{
	if (xmlw_blank(s->contact_name) && xmlw_blank(s->contact_phone) &&
	    xmlw_blank(s->contact_email))
		return;
	xmlw_start(x, "ram:DefinedTradeContact");
	xmlw_text(x, "ram:PersonName", s->contact_name);
	if (!xmlw_blank(s->contact_phone)) {
		xmlw_start(x, "ram:TelephoneUniversalCommunication");
		xmlw_text(x, "ram:CompleteNumber", s->contact_phone);
		xmlw_end(x);
	}
	if (!xmlw_blank(s->contact_email)) {
		xmlw_start(x, "ram:EmailURIUniversalCommunication");
		xmlw_text(x, "ram:URIID", s->contact_email);
		xmlw_end(x);
	}
	xmlw_end(x);
}

/* BG-4, BG-5, BG-6: BT-27, BT-30..32, BT-34..43 */
static void
cii_seller(struct cii *c)
{
	const struct inv_party *s = &c->inv->seller;
	struct xmlw *x = &c->x;

	xmlw_start(x, "ram:SellerTradeParty");
	xmlw_text(x, "ram:Name", s->name);
	if (!xmlw_blank(s->register_id))
		cii_id_in(x, "ram:SpecifiedLegalOrganization",
		    s->register_id);
	cii_contact(x, s);
	cii_address(x, &s->addr);
	cii_endpoint(x, s);
	cii_tax_registration(x, einv_seller_vat_id(c->inv), "VA");
	cii_tax_registration(x, s->tax_number, "FC");
	xmlw_end(x);
}

/* BG-7, BG-8: BT-44, BT-48, BT-49, BT-50..55, BT-56 */
static void
cii_buyer(struct cii *c)
{
	const struct inv_party *b = &c->inv->buyer;
	const char *person = einv_buyer_contact(c->inv);
	struct xmlw *x = &c->x;

	xmlw_start(x, "ram:BuyerTradeParty");
	xmlw_text(x, "ram:Name", einv_buyer_name(c->inv));
	if (!xmlw_blank(person)) {
		xmlw_start(x, "ram:DefinedTradeContact");
		xmlw_text(x, "ram:PersonName", person);
		xmlw_end(x);
	}
	cii_address(x, &b->addr);
	cii_endpoint(x, b);
	cii_tax_registration(x, einv_buyer_vat_id(c->inv), "VA");
	xmlw_end(x);
}

/* BT-10, the parties, BT-14 */
static void
cii_agreement(struct cii *c)
{
	struct xmlw *x = &c->x;

	xmlw_start(x, "ram:ApplicableHeaderTradeAgreement");
	xmlw_text(x, "ram:BuyerReference", c->inv->buyer_reference);
	cii_seller(c);
	cii_buyer(c);
	if (!xmlw_blank(c->inv->order_number)) {
		xmlw_start(x, "ram:SellerOrderReferencedDocument");
		xmlw_text(x, "ram:IssuerAssignedID", c->inv->order_number);
		xmlw_end(x);
	}
	xmlw_end(x);
}

/* BG-13: BG-15 with BT-70, and BT-72; always present (schema) */
static void
cii_delivery(struct cii *c)
{
	const struct invoice *inv = c->inv;
	struct xmlw *x = &c->x;

	xmlw_start(x, "ram:ApplicableHeaderTradeDelivery");
	if (inv->delivery.country[0] != '\0') {
		xmlw_start(x, "ram:ShipToTradeParty");
		xmlw_text(x, "ram:Name", einv_delivery_name(inv));
		cii_address(x, &inv->delivery);
		xmlw_end(x);
	}
	xmlw_start(x, "ram:ActualDeliverySupplyChainEvent");
	cii_date(x, "ram:OccurrenceDateTime", "udt:DateTimeString",
	    inv->supply_date);
	xmlw_end(x);
	xmlw_end(x);
}

/* BG-16: BT-81, BT-82, BG-17 with BT-84 */
static void
cii_payment_means(struct cii *c)
{
	const struct invoice *inv = c->inv;
	struct xmlw *x = &c->x;

	if (xmlw_blank(inv->pay_means))
		return;
	xmlw_start(x, "ram:SpecifiedTradeSettlementPaymentMeans");
	xmlw_text(x, "ram:TypeCode", inv->pay_means);
	xmlw_text(x, "ram:Information", einv_pay_text(inv));
	if (einv_pay_account(inv)) {
		xmlw_start(x, "ram:PayeePartyCreditorFinancialAccount");
		xmlw_text(x, "ram:IBANID", inv->pay_iban);
		xmlw_end(x);
	}
	xmlw_end(x);
}

/* BG-23: BT-117, BT-120, BT-116, BT-118, BT-121, BT-119 */
static void
cii_breakdown(struct cii *c, const struct inv_vat *v)
{
	struct xmlw *x = &c->x;
	char r[DEC_BUFSZ];

	xmlw_start(x, "ram:ApplicableTradeTax");
	cii_amount(c, "ram:CalculatedAmount", v->vat_minor);
	xmlw_text(x, "ram:TypeCode", "VAT");
	xmlw_text(x, "ram:ExemptionReason", v->exemption_reason);
	cii_amount(c, "ram:BasisAmount", v->taxable_minor);
	xmlw_text(x, "ram:CategoryCode", v->category);
	xmlw_text(x, "ram:ExemptionReasonCode", v->exemption_code);
	xmlw_text(x, "ram:RateApplicablePercent", einv_rate(v->rate_bp, r));
	xmlw_end(x);
}

/*
 * BG-20 and BG-21: BT-92/99, BT-98/105, BT-97/104, BT-95/102,
 * BT-96/103.  An allowance without a code of its own is a discount (95).
 */
static void
cii_adjust(struct cii *c, const struct inv_adjust *a)
{
	const char *code = a->reason_code;
	struct xmlw *x = &c->x;

	if (!a->charge && xmlw_blank(code))
		code = "95";
	xmlw_start(x, "ram:SpecifiedTradeAllowanceCharge");
	xmlw_start(x, "ram:ChargeIndicator");
	xmlw_text(x, "udt:Indicator", a->charge ? "true" : "false");
	xmlw_end(x);
	cii_amount(c, "ram:ActualAmount", a->net_minor);
	xmlw_text(x, "ram:ReasonCode", code);
	xmlw_text(x, "ram:Reason", a->reason);
	cii_category(x, "ram:CategoryTradeTax", a->category, a->rate_bp);
	xmlw_end(x);
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
 * allowances or charges, BT-113 and BT-114 only when not zero.  The
 * currencyID on TaxTotalAmount tells BT-110 from BT-111, which an
 * invoice in another currency than EUR has too.
 */
static void
cii_totals(struct cii *c)
{
	const struct invoice *inv = c->inv;
	struct xmlw *x = &c->x;
	char b[DEC_BUFSZ];

	xmlw_start(x, "ram:SpecifiedTradeSettlementHeaderMonetarySummation");
	cii_amount(c, "ram:LineTotalAmount", inv->line_net_minor);
	if (has_adjust(inv, 1) || inv->charges_minor != 0)
		cii_amount(c, "ram:ChargeTotalAmount", inv->charges_minor);
	if (has_adjust(inv, 0) || inv->allowances_minor != 0)
		cii_amount(c, "ram:AllowanceTotalAmount",
		    inv->allowances_minor);
	cii_amount(c, "ram:TaxBasisTotalAmount", inv->net_minor);
	xmlw_text_attr(x, "ram:TaxTotalAmount", einv_amount(inv,
	    inv->vat_total_minor, b), "currencyID", inv->currency);
	if (inv->has_fx)
		xmlw_text_attr(x, "ram:TaxTotalAmount", dec_format(
		    inv->vat_eur_minor, 2, b), "currencyID",
		    EINV_TAX_CURRENCY);
	if (inv->rounding_minor != 0)
		cii_amount(c, "ram:RoundingAmount", inv->rounding_minor);
	cii_amount(c, "ram:GrandTotalAmount", inv->gross_minor);
	if (inv->paid_minor != 0)
		cii_amount(c, "ram:TotalPrepaidAmount", inv->paid_minor);
	cii_amount(c, "ram:DuePayableAmount", inv->due_minor);
	xmlw_end(x);
}

/* BT-83, BT-6, BT-5, BG-16, BG-23, BG-20/21, BT-20, BG-22, BG-3 */
static void
cii_settlement(struct cii *c)
{
	const struct invoice *inv = c->inv;
	struct xmlw *x = &c->x;
	size_t i;

	xmlw_start(x, "ram:ApplicableHeaderTradeSettlement");
	xmlw_text(x, "ram:PaymentReference", einv_remittance(inv));
	if (inv->has_fx)
		xmlw_text(x, "ram:TaxCurrencyCode", EINV_TAX_CURRENCY);
	xmlw_text(x, "ram:InvoiceCurrencyCode", inv->currency);
	cii_payment_means(c);
	for (i = 0; i < inv->nvat; i++)
		cii_breakdown(c, &inv->vat[i]);
	for (i = 0; i < inv->nadjusts; i++)
		cii_adjust(c, &inv->adjusts[i]);
	if (!xmlw_blank(inv->pay_terms)) {
		xmlw_start(x, "ram:SpecifiedTradePaymentTerms");
		xmlw_text(x, "ram:Description", inv->pay_terms);
		xmlw_end(x);
	}
	cii_totals(c);
	if (!xmlw_blank(inv->preceding_number)) {
		xmlw_start(x, "ram:InvoiceReferencedDocument");
		xmlw_text(x, "ram:IssuerAssignedID", inv->preceding_number);
		cii_date(x, "ram:FormattedIssueDateTime", "qdt:DateTimeString",
		    inv->preceding_date);
		xmlw_end(x);
	}
	xmlw_end(x);
}

int
cii_write(const struct invoice *inv, enum einv_profile p, struct buf *out,
    struct xmlw_tree *tree, struct kerr *e)
{
	struct cii c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.inv = inv;
	if ((rc = xmlw_begin(&c.x, tree, e)) != KR_OK)
		return rc;

	cii_head(&c, p);
	xmlw_start(&c.x, "rsm:SupplyChainTradeTransaction");
	for (i = 0; i < inv->nlines; i++)
		cii_line(&c, &inv->lines[i]);
	cii_agreement(&c);
	cii_delivery(&c);
	cii_settlement(&c);
	xmlw_end(&c.x);
	xmlw_end(&c.x);
	return xmlw_finish(&c.x, out);
}

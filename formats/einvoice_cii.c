/*
 * Reading a UN/CEFACT CII D16B CrossIndustryInvoice into the e-invoice
 * model.  Paths follow the EN 16931 CII binding (shared/spec/einvoice.md
 * §3).  Each reader returns 0 or non-zero when the arena is full.
 */
#include <string.h>
#include <strings.h>

#include "einvoice_xml.h"

#define GET(node, path, v)	einv_xml_val(a, (node), (path), (v))
#define NUM(node, path, n)	einv_xml_num(a, (node), (path), (n))

static int
type_is_vat(struct arena *a, const xmlNode *node)
{
	struct einv_val v;
	char norm[16];

	if (GET(node, "ram:TypeCode", &v) != KR_OK || v.s == NULL)
		return 0;
	einv_norm(v.s, norm, sizeof(norm));
	return strcasecmp(norm, "VAT") == 0;
}

static int
read_cat(struct arena *a, const xmlNode *el, struct einv_cat *c)
{
	int rc = 0;

	memset(c, 0, sizeof(*c));
	c->node = el;
	if (el == NULL)
		return 0;
	c->vat = type_is_vat(a, el);
	rc |= GET(el, "ram:CategoryCode", &c->code);
	rc |= NUM(el, "ram:RateApplicablePercent", &c->rate);
	rc |= GET(el, "ram:ExemptionReason", &c->reason);
	rc |= GET(el, "ram:ExemptionReasonCode", &c->reason_code);
	return rc;
}

static int
read_ac(struct arena *a, const xmlNode *el, struct einv_ac *ac)
{
	int rc = 0;

	ac->node = el;
	rc |= GET(el, "ram:ChargeIndicator/udt:Indicator", &ac->indicator);
	if (einv_is(ac->indicator.s, "true") || einv_is(ac->indicator.s, "1"))
		ac->charge = 1;
	else if (einv_is(ac->indicator.s, "false") ||
	    einv_is(ac->indicator.s, "0"))
		ac->charge = 0;
	else
		ac->charge = -1;
	rc |= NUM(el, "ram:CalculationPercent", &ac->percent);
	rc |= NUM(el, "ram:BasisAmount", &ac->base);
	rc |= NUM(el, "ram:ActualAmount", &ac->amount);
	rc |= GET(el, "ram:ReasonCode", &ac->reason_code);
	rc |= GET(el, "ram:Reason", &ac->reason);
	rc |= read_cat(a, einv_xml_child(el, "ram:CategoryTradeTax"),
	    &ac->cat);
	return rc;
}

static int
read_ac_list(struct arena *a, const xmlNode *parent, struct einv_ac **arr,
    size_t *n, size_t *cap)
{
	xmlNode *el;
	int rc = 0;

	for (el = einv_xml_child(parent, "ram:SpecifiedTradeAllowanceCharge");
	    el != NULL; el = einv_xml_next(el)) {
		struct einv_ac *ac = einv_push(a, arr, n, cap, sizeof(**arr));

		if (ac == NULL)
			return KR_TOO_BIG;
		rc |= read_ac(a, el, ac);
	}
	return rc;
}

static int
read_tax_regs(struct arena *a, const xmlNode *party, struct einv_party *p)
{
	xmlNode *tr;
	int rc = 0;

	for (tr = einv_xml_child(party, "ram:SpecifiedTaxRegistration");
	    tr != NULL; tr = einv_xml_next(tr)) {
		xmlNode *idel = einv_xml_child(tr, "ram:ID");
		struct einv_val id, scheme;

		rc |= einv_xml_text(a, idel, &id);
		rc |= einv_xml_attr(a, idel, "schemeID", &scheme);
		if (id.s == NULL)
			continue;
		p->n_tax_ids++;
		if (scheme.s != NULL && strcmp(scheme.s, "VA") == 0) {
			if (p->vat_id.s == NULL)
				p->vat_id = id;
		} else if (scheme.s != NULL && strcmp(scheme.s, "FC") == 0) {
			if (p->tax_number.s == NULL)
				p->tax_number = id;
		}
	}
	return rc;
}

static int
read_address(struct arena *a, const xmlNode *el, struct einv_party *p)
{
	int rc = 0;

	p->addr_node = el;
	if (el == NULL)
		return 0;
	rc |= GET(el, "ram:LineOne", &p->street);
	rc |= GET(el, "ram:CityName", &p->city);
	rc |= GET(el, "ram:PostcodeCode", &p->postcode);
	rc |= GET(el, "ram:CountryID", &p->country);
	return rc;
}

static int
read_contact(struct arena *a, const xmlNode *party, struct einv_party *p)
{
	xmlNode *c = einv_xml_child(party, "ram:DefinedTradeContact");
	int rc = 0;

	p->contact_node = c;
	rc |= GET(c, "ram:PersonName", &p->contact_name);
	if (einv_blank(p->contact_name.s)) {
		struct einv_val dept;

		rc |= GET(c, "ram:DepartmentName", &dept);
		if (!einv_blank(dept.s))
			p->contact_name = dept;
	}
	rc |= GET(c, "ram:TelephoneUniversalCommunication/ram:CompleteNumber",
	    &p->phone);
	rc |= GET(c, "ram:EmailURIUniversalCommunication/ram:URIID",
	    &p->email);
	return rc;
}

static int
read_party(struct arena *a, const xmlNode *el, struct einv_party *p)
{
	xmlNode *ep;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->node = el;
	if (el == NULL)
		return 0;
	rc |= GET(el, "ram:ID", &p->id);
	if (p->id.s == NULL)
		rc |= GET(el, "ram:GlobalID", &p->id);
	rc |= GET(el, "ram:Name", &p->name);
	rc |= GET(el, "ram:SpecifiedLegalOrganization/ram:ID", &p->legal_id);
	rc |= GET(el, "ram:SpecifiedLegalOrganization/ram:TradingBusinessName",
	    &p->trading_name);
	rc |= read_contact(a, el, p);
	rc |= read_address(a, einv_xml_child(el, "ram:PostalTradeAddress"),
	    p);
	ep = einv_xml_path(el, "ram:URIUniversalCommunication/ram:URIID");
	rc |= einv_xml_text(a, ep, &p->endpoint);
	rc |= einv_xml_attr(a, ep, "schemeID", &p->endpoint_scheme);
	rc |= read_tax_regs(a, el, p);
	return rc;
}

static int
read_line_price(struct arena *a, const xmlNode *agr, struct einv_line *l)
{
	xmlNode *gross, *net, *pac;
	int rc = 0;

	gross = einv_xml_child(agr, "ram:GrossPriceProductTradePrice");
	net = einv_xml_child(agr, "ram:NetPriceProductTradePrice");
	pac = einv_xml_child(gross, "ram:AppliedTradeAllowanceCharge");
	l->price_node = net;
	rc |= NUM(net, "ram:ChargeAmount", &l->price);
	rc |= NUM(net, "ram:BasisQuantity", &l->base_qty);
	if (l->base_qty.s == NULL)
		rc |= NUM(gross, "ram:BasisQuantity", &l->base_qty);
	l->gross_node = gross;
	rc |= NUM(gross, "ram:ChargeAmount", &l->gross);
	rc |= GET(pac, "ram:ChargeIndicator/udt:Indicator",
	    &l->gross_indicator);
	rc |= NUM(pac, "ram:ActualAmount", &l->discount);
	return rc;
}

static int
read_line(struct arena *a, const xmlNode *el, struct einv_line *l)
{
	xmlNode *prod = einv_xml_child(el, "ram:SpecifiedTradeProduct");
	xmlNode *set = einv_xml_child(el, "ram:SpecifiedLineTradeSettlement");
	xmlNode *std = einv_xml_child(prod, "ram:GlobalID"), *tax;
	int rc = 0;

	l->node = el;
	rc |= GET(el, "ram:AssociatedDocumentLineDocument/ram:LineID", &l->id);
	rc |= GET(prod, "ram:Name", &l->name);
	rc |= einv_xml_text(a, std, &l->std_id);
	rc |= einv_xml_attr(a, std, "schemeID", &l->std_scheme);
	rc |= read_line_price(a, einv_xml_child(el,
	    "ram:SpecifiedLineTradeAgreement"), l);
	rc |= NUM(el, "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity",
	    &l->qty);
	tax = einv_xml_child(set, "ram:ApplicableTradeTax");
	rc |= read_cat(a, tax, &l->cat);
	for (; tax != NULL; tax = einv_xml_next(tax))
		l->n_cat++;
	l->period_node = einv_xml_child(set, "ram:BillingSpecifiedPeriod");
	rc |= GET(l->period_node, "ram:StartDateTime/udt:DateTimeString",
	    &l->period_start);
	rc |= GET(l->period_node, "ram:EndDateTime/udt:DateTimeString",
	    &l->period_end);
	rc |= read_ac_list(a, set, &l->ac, &l->n_ac, &l->cap_ac);
	rc |= NUM(set, "ram:SpecifiedTradeSettlementLineMonetarySummation/"
	    "ram:LineTotalAmount", &l->net);
	return rc;
}

static int
read_lines(struct arena *a, const xmlNode *trade, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	el = einv_xml_child(trade, "ram:IncludedSupplyChainTradeLineItem");
	for (; el != NULL; el = einv_xml_next(el)) {
		struct einv_line *l = einv_push(a, &inv->line, &inv->n_line,
		    &inv->cap_line, sizeof(*inv->line));

		if (l == NULL)
			return KR_TOO_BIG;
		rc |= read_line(a, el, l);
	}
	return rc;
}

static int
read_agreement(struct arena *a, const xmlNode *trade, struct einvoice *inv)
{
	xmlNode *ha = einv_xml_child(trade,
	    "ram:ApplicableHeaderTradeAgreement");
	xmlNode *hd = einv_xml_child(trade,
	    "ram:ApplicableHeaderTradeDelivery");
	xmlNode *ship = einv_xml_child(hd, "ram:ShipToTradeParty");
	int rc = 0;

	rc |= GET(ha, "ram:BuyerReference", &inv->buyer_ref);
	rc |= read_party(a, einv_xml_child(ha, "ram:SellerTradeParty"),
	    &inv->seller);
	rc |= read_party(a, einv_xml_child(ha, "ram:BuyerTradeParty"),
	    &inv->buyer);
	rc |= read_party(a, einv_xml_child(ha,
	    "ram:SellerTaxRepresentativeTradeParty"), &inv->taxrep);

	inv->delivery_node = hd;
	rc |= read_party(a, ship, &inv->deliver_to);
	rc |= GET(hd, "ram:ActualDeliverySupplyChainEvent/"
	    "ram:OccurrenceDateTime/udt:DateTimeString", &inv->delivery_date);
	return rc;
}

static int
read_payment(struct arena *a, const xmlNode *hs, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	el = einv_xml_child(hs, "ram:SpecifiedTradeSettlementPaymentMeans");
	for (; el != NULL; el = einv_xml_next(el)) {
		struct einv_pm *pm = einv_push(a, &inv->pm, &inv->n_pm,
		    &inv->cap_pm, sizeof(*inv->pm));

		if (pm == NULL)
			return KR_TOO_BIG;
		pm->node = el;
		rc |= GET(el, "ram:TypeCode", &pm->code);
		pm->account_node = einv_xml_child(el,
		    "ram:PayeePartyCreditorFinancialAccount");
		rc |= GET(pm->account_node, "ram:IBANID", &pm->account_iban);
		rc |= GET(pm->account_node, "ram:ProprietaryID",
		    &pm->account_other);
		pm->account_id = pm->account_iban.s != NULL ?
		    pm->account_iban : pm->account_other;
		pm->card_node = einv_xml_child(el,
		    "ram:ApplicableTradeSettlementFinancialCard");
		rc |= GET(pm->card_node, "ram:ID", &pm->card_pan);
		pm->mandate_node = einv_xml_child(el,
		    "ram:PayerPartyDebtorFinancialAccount");
		rc |= GET(pm->mandate_node, "ram:IBANID", &pm->debited_id);
		pm->payer_bank_node = einv_xml_child(el,
		    "ram:PayerSpecifiedDebtorFinancialInstitution");
		pm->payee_bank_node = einv_xml_child(el,
		    "ram:PayeeSpecifiedCreditorFinancialInstitution");
	}
	inv->terms_node = einv_xml_child(hs, "ram:SpecifiedTradePaymentTerms");
	rc |= GET(inv->terms_node, "ram:Description", &inv->terms);
	rc |= GET(inv->terms_node, "ram:DueDateDateTime/udt:DateTimeString",
	    &inv->due_date);
	rc |= GET(inv->terms_node, "ram:DirectDebitMandateID",
	    &inv->mandate_id);
	rc |= GET(hs, "ram:CreditorReferenceID", &inv->creditor_id);
	return rc;
}

static int
read_breakdowns(struct arena *a, const xmlNode *hs, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	for (el = einv_xml_child(hs, "ram:ApplicableTradeTax"); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_vat *v = einv_push(a, &inv->vat, &inv->n_vat,
		    &inv->cap_vat, sizeof(*inv->vat));

		if (v == NULL)
			return KR_TOO_BIG;
		v->node = el;
		v->total = -1;
		rc |= NUM(el, "ram:BasisAmount", &v->taxable);
		rc |= NUM(el, "ram:CalculatedAmount", &v->tax);
		rc |= read_cat(a, el, &v->cat);
		if (inv->tax_point_date.s == NULL)
			rc |= GET(el, "ram:TaxPointDate/udt:DateString",
			    &inv->tax_point_date);
		if (inv->period_code.s == NULL)
			rc |= GET(el, "ram:DueDateTypeCode",
			    &inv->period_code);
	}
	return rc;
}

/*
 * The breakdowns belong to the total VAT amount in the invoice currency
 * (BT-110), which BR-CO-14 compares with their sum even when there are
 * none; the one in the accounting currency (BT-111) has none.
 */
static void
link_totals(struct einvoice *inv)
{
	size_t i, j;

	for (i = 0; i < inv->n_taxtotal; i++) {
		struct einv_taxtotal *t = &inv->taxtotal[i];

		if (t->amount.currency == NULL || inv->currency.s == NULL ||
		    !einv_is(inv->currency.s, t->amount.currency))
			continue;
		for (j = 0; j < inv->n_vat; j++)
			inv->vat[j].total = (int)i;
		t->n_sub = (int)inv->n_vat;
		t->summed = 1;
		return;
	}
}

static int
read_totals(struct arena *a, const xmlNode *hs, struct einvoice *inv)
{
	xmlNode *t = einv_xml_child(hs,
	    "ram:SpecifiedTradeSettlementHeaderMonetarySummation"), *el;
	int rc = 0;

	inv->totals_node = t;
	rc |= NUM(t, "ram:LineTotalAmount", &inv->line_total);
	rc |= NUM(t, "ram:ChargeTotalAmount", &inv->charge_total);
	rc |= NUM(t, "ram:AllowanceTotalAmount", &inv->allowance_total);
	rc |= NUM(t, "ram:TaxBasisTotalAmount", &inv->tax_exclusive);
	rc |= NUM(t, "ram:RoundingAmount", &inv->rounding);
	rc |= NUM(t, "ram:GrandTotalAmount", &inv->tax_inclusive);
	rc |= NUM(t, "ram:TotalPrepaidAmount", &inv->prepaid);
	rc |= NUM(t, "ram:DuePayableAmount", &inv->payable);
	for (el = einv_xml_child(t, "ram:TaxTotalAmount"); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_taxtotal *tt = einv_push(a, &inv->taxtotal,
		    &inv->n_taxtotal, &inv->cap_taxtotal,
		    sizeof(*inv->taxtotal));

		if (tt == NULL)
			return KR_TOO_BIG;
		tt->node = el;
		rc |= einv_xml_num(a, el, "", &tt->amount);
	}
	return rc;
}

static int
read_settlement(struct arena *a, const xmlNode *trade,
    struct einvoice *inv)
{
	xmlNode *hs = einv_xml_child(trade,
	    "ram:ApplicableHeaderTradeSettlement"), *el;
	int rc = 0;

	inv->settlement_node = hs;
	rc |= GET(hs, "ram:TaxCurrencyCode", &inv->tax_currency);
	rc |= GET(hs, "ram:InvoiceCurrencyCode", &inv->currency);
	rc |= read_party(a, einv_xml_child(hs, "ram:PayeeTradeParty"),
	    &inv->payee);
	rc |= read_payment(a, hs, inv);
	rc |= read_breakdowns(a, hs, inv);
	inv->period_node = einv_xml_child(hs, "ram:BillingSpecifiedPeriod");
	rc |= GET(inv->period_node, "ram:StartDateTime/udt:DateTimeString",
	    &inv->period_start);
	rc |= GET(inv->period_node, "ram:EndDateTime/udt:DateTimeString",
	    &inv->period_end);
	rc |= read_ac_list(a, hs, &inv->ac, &inv->n_ac, &inv->cap_ac);
	rc |= read_totals(a, hs, inv);
	for (el = einv_xml_child(hs, "ram:InvoiceReferencedDocument");
	    el != NULL; el = einv_xml_next(el)) {
		struct einv_ref *r = einv_push(a, &inv->ref, &inv->n_ref,
		    &inv->cap_ref, sizeof(*inv->ref));

		if (r == NULL)
			return KR_TOO_BIG;
		r->node = el;
		rc |= GET(el, "ram:IssuerAssignedID", &r->id);
		rc |= GET(el, "ram:FormattedIssueDateTime/qdt:DateTimeString",
		    &r->date);
	}
	link_totals(inv);
	return rc;
}

static int
read_document(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *ctx = einv_xml_child(root, "rsm:ExchangedDocumentContext");
	xmlNode *doc = einv_xml_child(root, "rsm:ExchangedDocument"), *el;
	int rc = 0;

	inv->context_node = ctx;
	rc |= GET(ctx, "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
	    &inv->customization);
	rc |= GET(ctx, "ram:BusinessProcessSpecifiedDocumentContextParameter/"
	    "ram:ID", &inv->profile_id);
	rc |= GET(doc, "ram:ID", &inv->number);
	rc |= GET(doc, "ram:TypeCode", &inv->type_code);
	rc |= GET(doc, "ram:IssueDateTime/udt:DateTimeString",
	    &inv->issue_date);
	for (el = einv_xml_child(doc, "ram:IncludedNote"); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_val *n = einv_push(a, &inv->note, &inv->n_note,
		    &inv->cap_note, sizeof(*inv->note));

		if (n == NULL)
			return KR_TOO_BIG;
		rc |= GET(el, "ram:Content", n);
	}
	return rc;
}

int
einv_read_cii(const void *rootp, struct einvoice *inv, struct arena *a)
{
	static const char *const keep[] = {
		"ram:ApplicableHeaderTradeDelivery", NULL
	};
	const xmlNode *root = rootp;
	xmlNode *trade;
	int rc = 0;

	trade = einv_xml_child(root, "rsm:SupplyChainTradeTransaction");
	inv->syntax = EINV_CII;
	inv->root = root;
	inv->trade_node = trade;
	rc |= read_document(a, root, inv);
	rc |= read_lines(a, trade, inv);
	rc |= read_agreement(a, trade, inv);
	rc |= read_settlement(a, trade, inv);
	rc |= einv_xml_empty(a, root, keep, inv);
	return rc ? KR_TOO_BIG : KR_OK;
}

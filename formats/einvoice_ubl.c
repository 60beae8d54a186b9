/*
 * Reading a UBL 2.1 Invoice or CreditNote into the e-invoice model.
 * Paths follow the EN 16931 UBL binding (shared/spec/einvoice.md §3).
 * Each reader returns 0 or non-zero when the arena is full; calls are
 * chained with |= and the first non-zero result ends the reading.
 */
#include <string.h>
#include <strings.h>

#include "einvoice_xml.h"

#define GET(node, path, v)	einv_xml_val(a, (node), (path), (v))
#define NUM(node, path, n)	einv_xml_num(a, (node), (path), (n))

/* 1 when the TaxScheme below node is VAT (any case, white space). */
static int
scheme_is_vat(struct arena *a, const xmlNode *node)
{
	struct einv_val v;
	char norm[16];

	if (GET(node, "cac:TaxScheme/cbc:ID", &v) != KR_OK || v.s == NULL)
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
	c->vat = scheme_is_vat(a, el);
	rc |= GET(el, "cbc:ID", &c->code);
	rc |= NUM(el, "cbc:Percent", &c->rate);
	rc |= GET(el, "cbc:TaxExemptionReason", &c->reason);
	rc |= GET(el, "cbc:TaxExemptionReasonCode", &c->reason_code);
	return rc;
}

static int
indicator(const struct einv_val *v)
{
	if (einv_is(v->s, "true") || einv_is(v->s, "1"))
		return 1;
	if (einv_is(v->s, "false") || einv_is(v->s, "0"))
		return 0;
	return -1;
}

static int
read_ac(struct arena *a, const xmlNode *el, struct einv_ac *ac)
{
	int rc = 0;

	ac->node = el;
	rc |= GET(el, "cbc:ChargeIndicator", &ac->indicator);
	ac->charge = indicator(&ac->indicator);
	rc |= GET(el, "cbc:AllowanceChargeReasonCode", &ac->reason_code);
	rc |= GET(el, "cbc:AllowanceChargeReason", &ac->reason);
	rc |= NUM(el, "cbc:MultiplierFactorNumeric", &ac->percent);
	rc |= NUM(el, "cbc:Amount", &ac->amount);
	rc |= NUM(el, "cbc:BaseAmount", &ac->base);
	rc |= read_cat(a, einv_xml_child(el, "cac:TaxCategory"), &ac->cat);
	return rc;
}

static int
read_tax_schemes(struct arena *a, const xmlNode *party,
    struct einv_party *p)
{
	xmlNode *ts;
	int rc = 0;

	for (ts = einv_xml_child(party, "cac:PartyTaxScheme"); ts != NULL;
	    ts = einv_xml_next(ts)) {
		struct einv_val id;

		rc |= GET(ts, "cbc:CompanyID", &id);
		if (id.s == NULL)
			continue;
		p->n_tax_ids++;
		if (scheme_is_vat(a, ts)) {
			if (p->vat_id.s == NULL)
				p->vat_id = id;
		} else if (p->tax_number.s == NULL) {
			p->tax_number = id;
		}
	}
	return rc;
}

static int
read_ids(struct arena *a, const xmlNode *party, struct einv_party *p)
{
	xmlNode *pi;
	int rc = 0;

	for (pi = einv_xml_child(party, "cac:PartyIdentification");
	    pi != NULL; pi = einv_xml_next(pi)) {
		struct einv_val id, scheme;
		xmlNode *el = einv_xml_child(pi, "cbc:ID");

		rc |= einv_xml_text(a, el, &id);
		rc |= einv_xml_attr(a, el, "schemeID", &scheme);
		if (id.s == NULL)
			continue;
		if (einv_is(scheme.s, "SEPA")) {
			if (p->sepa_id.s == NULL)
				p->sepa_id = id;
		} else if (p->id.s == NULL) {
			p->id = id;
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
	rc |= GET(el, "cbc:StreetName", &p->street);
	rc |= GET(el, "cbc:CityName", &p->city);
	rc |= GET(el, "cbc:PostalZone", &p->postcode);
	rc |= GET(el, "cac:Country/cbc:IdentificationCode", &p->country);
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
	rc |= GET(el, "cac:PartyLegalEntity/cbc:RegistrationName", &p->name);
	rc |= GET(el, "cac:PartyName/cbc:Name", &p->trading_name);
	rc |= GET(el, "cac:PartyLegalEntity/cbc:CompanyID", &p->legal_id);
	rc |= read_ids(a, el, p);
	rc |= read_tax_schemes(a, el, p);
	ep = einv_xml_child(el, "cbc:EndpointID");
	rc |= einv_xml_text(a, ep, &p->endpoint);
	rc |= einv_xml_attr(a, ep, "schemeID", &p->endpoint_scheme);
	rc |= read_address(a, einv_xml_child(el, "cac:PostalAddress"), p);
	p->contact_node = einv_xml_child(el, "cac:Contact");
	rc |= GET(p->contact_node, "cbc:Name", &p->contact_name);
	rc |= GET(p->contact_node, "cbc:Telephone", &p->phone);
	rc |= GET(p->contact_node, "cbc:ElectronicMail", &p->email);
	return rc;
}

/* Payee (BG-10) and tax representative (BG-11): names in PartyName. */
static int
read_other_party(struct arena *a, const xmlNode *el, struct einv_party *p)
{
	int rc = read_party(a, el, p);

	if (el != NULL)
		rc |= GET(el, "cac:PartyName/cbc:Name", &p->name);
	return rc;
}

static int
read_line_price(struct arena *a, const xmlNode *el, struct einv_line *l)
{
	xmlNode *price = einv_xml_child(el, "cac:Price");
	xmlNode *pac = einv_xml_child(price, "cac:AllowanceCharge");
	int rc = 0;

	l->price_node = price;
	rc |= NUM(price, "cbc:PriceAmount", &l->price);
	rc |= NUM(price, "cbc:BaseQuantity", &l->base_qty);
	l->gross_node = pac;
	rc |= GET(pac, "cbc:ChargeIndicator", &l->gross_indicator);
	rc |= NUM(pac, "cbc:BaseAmount", &l->gross);
	rc |= NUM(pac, "cbc:Amount", &l->discount);
	return rc;
}

static int
read_line(struct arena *a, const xmlNode *el, int credit,
    struct einv_line *l)
{
	xmlNode *item = einv_xml_child(el, "cac:Item"), *c, *std;
	int rc = 0;

	l->node = el;
	rc |= GET(el, "cbc:ID", &l->id);
	rc |= NUM(el, credit ? "cbc:CreditedQuantity" : "cbc:InvoicedQuantity",
	    &l->qty);
	rc |= NUM(el, "cbc:LineExtensionAmount", &l->net);
	l->period_node = einv_xml_child(el, "cac:InvoicePeriod");
	rc |= GET(l->period_node, "cbc:StartDate", &l->period_start);
	rc |= GET(l->period_node, "cbc:EndDate", &l->period_end);
	for (c = einv_xml_child(el, "cac:AllowanceCharge"); c != NULL;
	    c = einv_xml_next(c)) {
		struct einv_ac *ac = einv_push(a, &l->ac, &l->n_ac,
		    &l->cap_ac, sizeof(*l->ac));

		if (ac == NULL)
			return KR_TOO_BIG;
		rc |= read_ac(a, c, ac);
	}
	rc |= GET(item, "cbc:Name", &l->name);
	std = einv_xml_path(item, "cac:StandardItemIdentification/cbc:ID");
	rc |= einv_xml_text(a, std, &l->std_id);
	rc |= einv_xml_attr(a, std, "schemeID", &l->std_scheme);
	c = einv_xml_child(item, "cac:ClassifiedTaxCategory");
	rc |= read_cat(a, c, &l->cat);
	for (; c != NULL; c = einv_xml_next(c))
		l->n_cat++;
	rc |= read_line_price(a, el, l);
	return rc;
}

static int
read_lines(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	el = einv_xml_child(root, inv->credit_note ? "cac:CreditNoteLine" :
	    "cac:InvoiceLine");
	for (; el != NULL; el = einv_xml_next(el)) {
		struct einv_line *l = einv_push(a, &inv->line, &inv->n_line,
		    &inv->cap_line, sizeof(*inv->line));

		if (l == NULL)
			return KR_TOO_BIG;
		rc |= read_line(a, el, inv->credit_note, l);
	}
	return rc;
}

static int
read_subtotals(struct arena *a, const xmlNode *tt, int total,
    struct einvoice *inv)
{
	xmlNode *st;
	int rc = 0;

	for (st = einv_xml_child(tt, "cac:TaxSubtotal"); st != NULL;
	    st = einv_xml_next(st)) {
		struct einv_vat *v = einv_push(a, &inv->vat, &inv->n_vat,
		    &inv->cap_vat, sizeof(*inv->vat));

		if (v == NULL)
			return KR_TOO_BIG;
		v->node = st;
		v->total = total;
		inv->taxtotal[total].n_sub++;
		inv->taxtotal[total].summed = 1;
		rc |= NUM(st, "cbc:TaxableAmount", &v->taxable);
		rc |= NUM(st, "cbc:TaxAmount", &v->tax);
		rc |= read_cat(a, einv_xml_child(st, "cac:TaxCategory"),
		    &v->cat);
	}
	return rc;
}

static int
read_taxes(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *tt;
	int rc = 0;

	for (tt = einv_xml_child(root, "cac:TaxTotal"); tt != NULL;
	    tt = einv_xml_next(tt)) {
		struct einv_taxtotal *t = einv_push(a, &inv->taxtotal,
		    &inv->n_taxtotal, &inv->cap_taxtotal,
		    sizeof(*inv->taxtotal));

		if (t == NULL)
			return KR_TOO_BIG;
		t->node = tt;
		rc |= NUM(tt, "cbc:TaxAmount", &t->amount);
		rc |= read_subtotals(a, tt, (int)(inv->n_taxtotal - 1), inv);
	}
	return rc;
}

static int
read_totals(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *t = einv_xml_child(root, "cac:LegalMonetaryTotal");
	int rc = 0;

	inv->totals_node = t;
	rc |= NUM(t, "cbc:LineExtensionAmount", &inv->line_total);
	rc |= NUM(t, "cbc:AllowanceTotalAmount", &inv->allowance_total);
	rc |= NUM(t, "cbc:ChargeTotalAmount", &inv->charge_total);
	rc |= NUM(t, "cbc:TaxExclusiveAmount", &inv->tax_exclusive);
	rc |= NUM(t, "cbc:TaxInclusiveAmount", &inv->tax_inclusive);
	rc |= NUM(t, "cbc:PrepaidAmount", &inv->prepaid);
	rc |= NUM(t, "cbc:PayableRoundingAmount", &inv->rounding);
	rc |= NUM(t, "cbc:PayableAmount", &inv->payable);
	return rc;
}

static int
read_payment(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	for (el = einv_xml_child(root, "cac:PaymentMeans"); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_pm *pm = einv_push(a, &inv->pm, &inv->n_pm,
		    &inv->cap_pm, sizeof(*inv->pm));

		if (pm == NULL)
			return KR_TOO_BIG;
		pm->node = el;
		rc |= GET(el, "cbc:PaymentMeansCode", &pm->code);
		pm->account_node = einv_xml_child(el,
		    "cac:PayeeFinancialAccount");
		rc |= GET(pm->account_node, "cbc:ID", &pm->account_id);
		pm->card_node = einv_xml_child(el, "cac:CardAccount");
		rc |= GET(pm->card_node, "cbc:PrimaryAccountNumberID",
		    &pm->card_pan);
		pm->mandate_node = einv_xml_child(el, "cac:PaymentMandate");
		rc |= GET(pm->mandate_node, "cbc:ID", &pm->mandate_id);
		rc |= GET(pm->mandate_node, "cac:PayerFinancialAccount/cbc:ID",
		    &pm->debited_id);
		if (inv->credit_note && inv->due_date.s == NULL)
			rc |= GET(el, "cbc:PaymentDueDate", &inv->due_date);
	}
	inv->terms_node = einv_xml_child(root, "cac:PaymentTerms");
	rc |= GET(inv->terms_node, "cbc:Note", &inv->terms);
	return rc;
}

static int
read_header(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	rc |= GET(root, "cbc:CustomizationID", &inv->customization);
	rc |= GET(root, "cbc:ProfileID", &inv->profile_id);
	rc |= GET(root, "cbc:ID", &inv->number);
	rc |= GET(root, "cbc:IssueDate", &inv->issue_date);
	rc |= GET(root, "cbc:DueDate", &inv->due_date);
	rc |= GET(root, inv->credit_note ? "cbc:CreditNoteTypeCode" :
	    "cbc:InvoiceTypeCode", &inv->type_code);
	for (el = einv_xml_child(root, "cbc:Note"); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_val *n = einv_push(a, &inv->note, &inv->n_note,
		    &inv->cap_note, sizeof(*inv->note));

		if (n == NULL)
			return KR_TOO_BIG;
		rc |= einv_xml_text(a, el, n);
	}
	rc |= GET(root, "cbc:TaxPointDate", &inv->tax_point_date);
	rc |= GET(root, "cbc:DocumentCurrencyCode", &inv->currency);
	rc |= GET(root, "cbc:TaxCurrencyCode", &inv->tax_currency);
	rc |= GET(root, "cbc:BuyerReference", &inv->buyer_ref);
	inv->period_node = einv_xml_child(root, "cac:InvoicePeriod");
	rc |= GET(inv->period_node, "cbc:StartDate", &inv->period_start);
	rc |= GET(inv->period_node, "cbc:EndDate", &inv->period_end);
	rc |= GET(inv->period_node, "cbc:DescriptionCode", &inv->period_code);
	return rc;
}

static int
read_refs(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	for (el = einv_xml_child(root, "cac:BillingReference"); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_ref *r = einv_push(a, &inv->ref, &inv->n_ref,
		    &inv->cap_ref, sizeof(*inv->ref));

		if (r == NULL)
			return KR_TOO_BIG;
		r->node = el;
		rc |= GET(el, "cac:InvoiceDocumentReference/cbc:ID", &r->id);
		rc |= GET(el, "cac:InvoiceDocumentReference/cbc:IssueDate",
		    &r->date);
	}
	return rc;
}

static int
read_parties(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *dl, *addr;
	int rc = 0;

	rc |= read_party(a, einv_xml_path(root,
	    "cac:AccountingSupplierParty/cac:Party"), &inv->seller);
	rc |= read_party(a, einv_xml_path(root,
	    "cac:AccountingCustomerParty/cac:Party"), &inv->buyer);
	rc |= read_other_party(a, einv_xml_child(root, "cac:PayeeParty"),
	    &inv->payee);
	rc |= read_other_party(a, einv_xml_child(root,
	    "cac:TaxRepresentativeParty"), &inv->taxrep);

	dl = einv_xml_child(root, "cac:Delivery");
	inv->delivery_node = dl;
	rc |= GET(dl, "cbc:ActualDeliveryDate", &inv->delivery_date);
	inv->deliver_to.node = einv_xml_child(dl, "cac:DeliveryParty");
	rc |= GET(dl, "cac:DeliveryParty/cac:PartyName/cbc:Name",
	    &inv->deliver_to.name);
	addr = einv_xml_path(dl, "cac:DeliveryLocation/cac:Address");
	rc |= read_address(a, addr, &inv->deliver_to);
	return rc;
}

static int
read_doc_ac(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	for (el = einv_xml_child(root, "cac:AllowanceCharge"); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_ac *ac = einv_push(a, &inv->ac, &inv->n_ac,
		    &inv->cap_ac, sizeof(*inv->ac));

		if (ac == NULL)
			return KR_TOO_BIG;
		rc |= read_ac(a, el, ac);
	}
	return rc;
}

int
einv_read_ubl(const void *rootp, struct einvoice *inv, struct arena *a)
{
	const xmlNode *root = rootp;
	int rc = 0;

	inv->syntax = EINV_UBL;
	inv->root = root;
	inv->credit_note = einv_xml_is(root, "cn:CreditNote");
	rc |= read_header(a, root, inv);
	rc |= read_refs(a, root, inv);
	rc |= read_parties(a, root, inv);
	rc |= read_payment(a, root, inv);
	rc |= read_doc_ac(a, root, inv);
	rc |= read_taxes(a, root, inv);
	rc |= read_totals(a, root, inv);
	rc |= read_lines(a, root, inv);
	rc |= einv_xml_empty(a, root, NULL, inv);
	return rc ? KR_TOO_BIG : KR_OK;
}

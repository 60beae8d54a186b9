/*
 * Reading a UBL 2.1 Invoice or CreditNote into the e-invoice model.
 * Paths follow the EN 16931 UBL binding (shared/spec/einvoice.md §3).
 * The tables below name what each element's children give; each element
 * is walked once for them (einv_xml_fields), and the groups that repeat
 * are walked by the code.  Each reader returns 0 or non-zero when the
 * arena is full; calls are chained with |= and the first non-zero
 * result ends the reading.
 */
#include <string.h>

#include "einvoice_xml.h"

#define CBC(local)	EINV_NAME(EINV_NS_CBC, local)
#define CAC(local)	EINV_NAME(EINV_NS_CAC, local)

/* A PartyTaxScheme (BT-31, BT-32) or PartyIdentification (BT-29). */
struct ubl_id {
	struct einv_val id, scheme;
};

static const struct einv_field scheme_f[] = {
	EINV_F_VAL(CBC("ID"), struct einv_cat, scheme),
};
static const struct einv_table scheme_t = EINV_TABLE(scheme_f);
static const struct einv_field cat_f[] = {
	EINV_F_VAL(CBC("ID"), struct einv_cat, code),
	EINV_F_NUM(CBC("Percent"), struct einv_cat, rate),
	EINV_F_VAL(CBC("TaxExemptionReason"), struct einv_cat, reason),
	EINV_F_VAL(CBC("TaxExemptionReasonCode"), struct einv_cat,
	    reason_code),
	EINV_F_IN(CAC("TaxScheme"), scheme_t),
};
static const struct einv_table cat_t = EINV_TABLE(cat_f);

static const struct einv_field ac_f[] = {
	EINV_F_VAL(CBC("ChargeIndicator"), struct einv_ac, indicator),
	EINV_F_VAL(CBC("AllowanceChargeReasonCode"), struct einv_ac,
	    reason_code),
	EINV_F_VAL(CBC("AllowanceChargeReason"), struct einv_ac, reason),
	EINV_F_NUM(CBC("MultiplierFactorNumeric"), struct einv_ac, percent),
	EINV_F_NUM(CBC("Amount"), struct einv_ac, amount),
	EINV_F_NUM(CBC("BaseAmount"), struct einv_ac, base),
	EINV_F_NODE(CAC("TaxCategory"), struct einv_ac, cat.node),
};
static const struct einv_table ac_t = EINV_TABLE(ac_f);

static const struct einv_field tax_scheme_f[] = {
	EINV_F_VAL(CBC("ID"), struct ubl_id, scheme),
};
static const struct einv_table tax_scheme_t = EINV_TABLE(tax_scheme_f);
static const struct einv_field party_tax_f[] = {
	EINV_F_VAL(CBC("CompanyID"), struct ubl_id, id),
	EINV_F_IN(CAC("TaxScheme"), tax_scheme_t),
};
static const struct einv_table party_tax_t = EINV_TABLE(party_tax_f);
static const struct einv_field party_id_f[] = {
	EINV_F_ID(CBC("ID"), struct ubl_id, id, scheme),
};
static const struct einv_table party_id_t = EINV_TABLE(party_id_f);

static const struct einv_field country_f[] = {
	EINV_F_VAL(CBC("IdentificationCode"), struct einv_party, country),
};
static const struct einv_table country_t = EINV_TABLE(country_f);
static const struct einv_field address_f[] = {
	EINV_F_VAL(CBC("StreetName"), struct einv_party, street),
	EINV_F_VAL(CBC("CityName"), struct einv_party, city),
	EINV_F_VAL(CBC("PostalZone"), struct einv_party, postcode),
	EINV_F_IN(CAC("Country"), country_t),
};
static const struct einv_table address_t = EINV_TABLE(address_f);
static const struct einv_field legal_f[] = {
	EINV_F_VAL(CBC("RegistrationName"), struct einv_party, name),
	EINV_F_VAL(CBC("CompanyID"), struct einv_party, legal_id),
};
static const struct einv_table legal_t = EINV_TABLE(legal_f);
static const struct einv_field party_name_f[] = {
	EINV_F_VAL(CBC("Name"), struct einv_party, trading_name),
};
static const struct einv_table party_name_t = EINV_TABLE(party_name_f);
static const struct einv_field contact_f[] = {
	EINV_F_VAL(CBC("Name"), struct einv_party, contact_name),
	EINV_F_VAL(CBC("Telephone"), struct einv_party, phone),
	EINV_F_VAL(CBC("ElectronicMail"), struct einv_party, email),
};
static const struct einv_table contact_t = EINV_TABLE(contact_f);
static const struct einv_field party_f[] = {
	EINV_F_ID(CBC("EndpointID"), struct einv_party, endpoint,
	    endpoint_scheme),
	EINV_F_IN(CAC("PartyName"), party_name_t),
	EINV_F_NODE_IN(CAC("PostalAddress"), struct einv_party, addr_node,
	    address_t),
	EINV_F_IN(CAC("PartyLegalEntity"), legal_t),
	EINV_F_NODE_IN(CAC("Contact"), struct einv_party, contact_node,
	    contact_t),
};
static const struct einv_table party_t = EINV_TABLE(party_f);

static const struct einv_field line_period_f[] = {
	EINV_F_VAL(CBC("StartDate"), struct einv_line, period_start),
	EINV_F_VAL(CBC("EndDate"), struct einv_line, period_end),
};
static const struct einv_table line_period_t = EINV_TABLE(line_period_f);
static const struct einv_field std_id_f[] = {
	EINV_F_ID(CBC("ID"), struct einv_line, std_id, std_scheme),
};
static const struct einv_table std_id_t = EINV_TABLE(std_id_f);
static const struct einv_field item_f[] = {
	EINV_F_VAL(CBC("Name"), struct einv_line, name),
	EINV_F_IN(CAC("StandardItemIdentification"), std_id_t),
	EINV_F_NODE(CAC("ClassifiedTaxCategory"), struct einv_line,
	    cat.node),
};
static const struct einv_table item_t = EINV_TABLE(item_f);
static const struct einv_field gross_f[] = {
	EINV_F_VAL(CBC("ChargeIndicator"), struct einv_line,
	    gross_indicator),
	EINV_F_NUM(CBC("Amount"), struct einv_line, discount),
	EINV_F_NUM(CBC("BaseAmount"), struct einv_line, gross),
};
static const struct einv_table gross_t = EINV_TABLE(gross_f);
static const struct einv_field price_f[] = {
	EINV_F_NUM(CBC("PriceAmount"), struct einv_line, price),
	EINV_F_NUM(CBC("BaseQuantity"), struct einv_line, base_qty),
	EINV_F_NODE_IN(CAC("AllowanceCharge"), struct einv_line, gross_node,
	    gross_t),
};
static const struct einv_table price_t = EINV_TABLE(price_f);
static const struct einv_field line_f[] = {
	EINV_F_VAL(CBC("ID"), struct einv_line, id),
	EINV_F_NUM(CBC("LineExtensionAmount"), struct einv_line, net),
	EINV_F_NODE_IN(CAC("InvoicePeriod"), struct einv_line, period_node,
	    line_period_t),
	EINV_F_IN(CAC("Item"), item_t),
	EINV_F_NODE_IN(CAC("Price"), struct einv_line, price_node, price_t),
};
static const struct einv_table line_t = EINV_TABLE(line_f);

static const struct einv_field subtotal_f[] = {
	EINV_F_NUM(CBC("TaxableAmount"), struct einv_vat, taxable),
	EINV_F_NUM(CBC("TaxAmount"), struct einv_vat, tax),
	EINV_F_NODE(CAC("TaxCategory"), struct einv_vat, cat.node),
};
static const struct einv_table subtotal_t = EINV_TABLE(subtotal_f);

static const struct einv_field account_f[] = {
	EINV_F_VAL(CBC("ID"), struct einv_pm, account_id),
};
static const struct einv_table account_t = EINV_TABLE(account_f);
static const struct einv_field card_f[] = {
	EINV_F_VAL(CBC("PrimaryAccountNumberID"), struct einv_pm, card_pan),
};
static const struct einv_table card_t = EINV_TABLE(card_f);
static const struct einv_field debited_f[] = {
	EINV_F_VAL(CBC("ID"), struct einv_pm, debited_id),
};
static const struct einv_table debited_t = EINV_TABLE(debited_f);
static const struct einv_field mandate_f[] = {
	EINV_F_VAL(CBC("ID"), struct einv_pm, mandate_id),
	EINV_F_IN(CAC("PayerFinancialAccount"), debited_t),
};
static const struct einv_table mandate_t = EINV_TABLE(mandate_f);
static const struct einv_field pm_f[] = {
	EINV_F_VAL(CBC("PaymentMeansCode"), struct einv_pm, code),
	EINV_F_NODE_IN(CAC("CardAccount"), struct einv_pm, card_node,
	    card_t),
	EINV_F_NODE_IN(CAC("PayeeFinancialAccount"), struct einv_pm,
	    account_node, account_t),
	EINV_F_NODE_IN(CAC("PaymentMandate"), struct einv_pm, mandate_node,
	    mandate_t),
};
static const struct einv_table pm_t = EINV_TABLE(pm_f);

static const struct einv_field doc_ref_f[] = {
	EINV_F_VAL(CBC("ID"), struct einv_ref, id),
	EINV_F_VAL(CBC("IssueDate"), struct einv_ref, date),
};
static const struct einv_table doc_ref_t = EINV_TABLE(doc_ref_f);
static const struct einv_field ref_f[] = {
	EINV_F_IN(CAC("InvoiceDocumentReference"), doc_ref_t),
};
static const struct einv_table ref_t = EINV_TABLE(ref_f);

static const struct einv_field period_f[] = {
	EINV_F_VAL(CBC("StartDate"), struct einvoice, period_start),
	EINV_F_VAL(CBC("EndDate"), struct einvoice, period_end),
	EINV_F_VAL(CBC("DescriptionCode"), struct einvoice, period_code),
};
static const struct einv_table period_t = EINV_TABLE(period_f);
static const struct einv_field seller_f[] = {
	EINV_F_NODE(CAC("Party"), struct einvoice, seller.node),
};
static const struct einv_table seller_t = EINV_TABLE(seller_f);
static const struct einv_field buyer_f[] = {
	EINV_F_NODE(CAC("Party"), struct einvoice, buyer.node),
};
static const struct einv_table buyer_t = EINV_TABLE(buyer_f);
static const struct einv_field to_name_f[] = {
	EINV_F_VAL(CBC("Name"), struct einvoice, deliver_to.name),
};
static const struct einv_table to_name_t = EINV_TABLE(to_name_f);
static const struct einv_field to_party_f[] = {
	EINV_F_IN(CAC("PartyName"), to_name_t),
};
static const struct einv_table to_party_t = EINV_TABLE(to_party_f);
static const struct einv_field location_f[] = {
	EINV_F_NODE(CAC("Address"), struct einvoice, deliver_to.addr_node),
};
static const struct einv_table location_t = EINV_TABLE(location_f);
static const struct einv_field delivery_f[] = {
	EINV_F_VAL(CBC("ActualDeliveryDate"), struct einvoice,
	    delivery_date),
	EINV_F_IN(CAC("DeliveryLocation"), location_t),
	EINV_F_NODE_IN(CAC("DeliveryParty"), struct einvoice,
	    deliver_to.node, to_party_t),
};
static const struct einv_table delivery_t = EINV_TABLE(delivery_f);
static const struct einv_field terms_f[] = {
	EINV_F_VAL(CBC("Note"), struct einvoice, terms),
};
static const struct einv_table terms_t = EINV_TABLE(terms_f);
static const struct einv_field totals_f[] = {
	EINV_F_NUM(CBC("LineExtensionAmount"), struct einvoice, line_total),
	EINV_F_NUM(CBC("TaxExclusiveAmount"), struct einvoice,
	    tax_exclusive),
	EINV_F_NUM(CBC("TaxInclusiveAmount"), struct einvoice,
	    tax_inclusive),
	EINV_F_NUM(CBC("AllowanceTotalAmount"), struct einvoice,
	    allowance_total),
	EINV_F_NUM(CBC("ChargeTotalAmount"), struct einvoice, charge_total),
	EINV_F_NUM(CBC("PrepaidAmount"), struct einvoice, prepaid),
	EINV_F_NUM(CBC("PayableRoundingAmount"), struct einvoice, rounding),
	EINV_F_NUM(CBC("PayableAmount"), struct einvoice, payable),
};
static const struct einv_table totals_t = EINV_TABLE(totals_f);
static const struct einv_field root_f[] = {
	EINV_F_VAL(CBC("CustomizationID"), struct einvoice, customization),
	EINV_F_VAL(CBC("ProfileID"), struct einvoice, profile_id),
	EINV_F_VAL(CBC("ID"), struct einvoice, number),
	EINV_F_VAL(CBC("IssueDate"), struct einvoice, issue_date),
	EINV_F_VAL(CBC("DueDate"), struct einvoice, due_date),
	EINV_F_VAL(CBC("TaxPointDate"), struct einvoice, tax_point_date),
	EINV_F_VAL(CBC("DocumentCurrencyCode"), struct einvoice, currency),
	EINV_F_VAL(CBC("TaxCurrencyCode"), struct einvoice, tax_currency),
	EINV_F_VAL(CBC("BuyerReference"), struct einvoice, buyer_ref),
	EINV_F_NODE_IN(CAC("InvoicePeriod"), struct einvoice, period_node,
	    period_t),
	EINV_F_IN(CAC("AccountingSupplierParty"), seller_t),
	EINV_F_IN(CAC("AccountingCustomerParty"), buyer_t),
	EINV_F_NODE(CAC("PayeeParty"), struct einvoice, payee.node),
	EINV_F_NODE(CAC("TaxRepresentativeParty"), struct einvoice,
	    taxrep.node),
	EINV_F_NODE_IN(CAC("Delivery"), struct einvoice, delivery_node,
	    delivery_t),
	EINV_F_NODE_IN(CAC("PaymentTerms"), struct einvoice, terms_node,
	    terms_t),
	EINV_F_NODE_IN(CAC("LegalMonetaryTotal"), struct einvoice,
	    totals_node, totals_t),
};
static const struct einv_table root_t = EINV_TABLE(root_f);

static const struct einv_name name_party_tax = CAC("PartyTaxScheme");
static const struct einv_name name_party_id = CAC("PartyIdentification");
static const struct einv_name name_ac = CAC("AllowanceCharge");
static const struct einv_name name_subtotal = CAC("TaxSubtotal");
static const struct einv_name name_taxtotal = CAC("TaxTotal");
static const struct einv_name name_tax_amount = CBC("TaxAmount");
static const struct einv_name name_pm = CAC("PaymentMeans");
static const struct einv_name name_pm_due = CBC("PaymentDueDate");
static const struct einv_name name_ref = CAC("BillingReference");
static const struct einv_name name_note = CBC("Note");
static const struct einv_name name_type[2] = {
	CBC("InvoiceTypeCode"), CBC("CreditNoteTypeCode"),
};
static const struct einv_name name_line[2] = {
	CAC("InvoiceLine"), CAC("CreditNoteLine"),
};
static const struct einv_name name_qty[2] = {
	CBC("InvoicedQuantity"), CBC("CreditedQuantity"),
};

static int
read_tax_schemes(struct arena *a, const xmlNode *party,
    struct einv_party *p)
{
	xmlNode *ts;
	int rc = 0;

	for (ts = einv_xml_first(party, &name_party_tax); ts != NULL;
	    ts = einv_xml_next(ts)) {
		struct ubl_id t = { { NULL, NULL }, { NULL, NULL } };

		rc |= einv_xml_fields(a, ts, &party_tax_t, &t);
		if (t.id.s == NULL)
			continue;
		p->n_tax_ids++;
		if (einv_xml_is_vat(&t.scheme)) {
			if (p->vat_id.s == NULL)
				p->vat_id = t.id;
		} else if (p->tax_number.s == NULL) {
			p->tax_number = t.id;
		}
	}
	return rc;
}

static int
read_ids(struct arena *a, const xmlNode *party, struct einv_party *p)
{
	xmlNode *pi;
	int rc = 0;

	for (pi = einv_xml_first(party, &name_party_id); pi != NULL;
	    pi = einv_xml_next(pi)) {
		struct ubl_id t = { { NULL, NULL }, { NULL, NULL } };

		rc |= einv_xml_fields(a, pi, &party_id_t, &t);
		if (t.id.s == NULL)
			continue;
		if (einv_is(t.scheme.s, "SEPA")) {
			if (p->sepa_id.s == NULL)
				p->sepa_id = t.id;
		} else if (p->id.s == NULL) {
			p->id = t.id;
		}
	}
	return rc;
}

static int
read_party(struct arena *a, const xmlNode *el, struct einv_party *p)
{
	int rc = 0;

	memset(p, 0, sizeof(*p));
	p->node = el;
	if (el == NULL)
		return 0;
	rc |= einv_xml_fields(a, el, &party_t, p);
	rc |= read_ids(a, el, p);
	rc |= read_tax_schemes(a, el, p);
	return rc;
}

/* Payee (BG-10) and tax representative (BG-11): names in PartyName. */
static int
read_other_party(struct arena *a, const xmlNode *el, struct einv_party *p)
{
	int rc = read_party(a, el, p);

	if (el != NULL)
		p->name = p->trading_name;
	return rc;
}

static int
read_line(struct arena *a, const xmlNode *el, int credit,
    struct einv_line *l)
{
	xmlNode *c;
	int rc = 0;

	l->node = el;
	rc |= einv_xml_fields(a, el, &line_t, l);
	rc |= einv_xml_num_at(a, einv_xml_first(el, &name_qty[credit]),
	    &l->qty);
	for (c = einv_xml_first(el, &name_ac); c != NULL;
	    c = einv_xml_next(c)) {
		struct einv_ac *ac = einv_push(a, &l->ac, &l->n_ac,
		    &l->cap_ac, sizeof(*l->ac));

		if (ac == NULL)
			return KR_TOO_BIG;
		rc |= einv_xml_ac(a, c, &ac_t, &cat_t, ac);
	}
	c = (xmlNode *)l->cat.node;
	rc |= einv_xml_cat(a, c, &cat_t, &l->cat);
	for (; c != NULL; c = einv_xml_next(c))
		l->n_cat++;
	return rc;
}

static int
read_lines(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	el = einv_xml_first(root, &name_line[inv->credit_note]);
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

	for (st = einv_xml_first(tt, &name_subtotal); st != NULL;
	    st = einv_xml_next(st)) {
		struct einv_vat *v = einv_push(a, &inv->vat, &inv->n_vat,
		    &inv->cap_vat, sizeof(*inv->vat));

		if (v == NULL)
			return KR_TOO_BIG;
		v->node = st;
		v->total = total;
		inv->taxtotal[total].n_sub++;
		inv->taxtotal[total].summed = 1;
		rc |= einv_xml_fields(a, st, &subtotal_t, v);
		rc |= einv_xml_cat(a, v->cat.node, &cat_t, &v->cat);
	}
	return rc;
}

static int
read_taxes(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *tt;
	int rc = 0;

	for (tt = einv_xml_first(root, &name_taxtotal); tt != NULL;
	    tt = einv_xml_next(tt)) {
		struct einv_taxtotal *t = einv_push(a, &inv->taxtotal,
		    &inv->n_taxtotal, &inv->cap_taxtotal,
		    sizeof(*inv->taxtotal));

		if (t == NULL)
			return KR_TOO_BIG;
		t->node = tt;
		rc |= einv_xml_num_at(a, einv_xml_first(tt, &name_tax_amount),
		    &t->amount);
		rc |= read_subtotals(a, tt, (int)(inv->n_taxtotal - 1), inv);
	}
	return rc;
}

static int
read_payment(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	for (el = einv_xml_first(root, &name_pm); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_pm *pm = einv_push(a, &inv->pm, &inv->n_pm,
		    &inv->cap_pm, sizeof(*inv->pm));

		if (pm == NULL)
			return KR_TOO_BIG;
		pm->node = el;
		rc |= einv_xml_fields(a, el, &pm_t, pm);
		if (inv->credit_note && inv->due_date.s == NULL)
			rc |= einv_xml_text(a, einv_xml_first(el,
			    &name_pm_due), &inv->due_date);
	}
	return rc;
}

static int
read_lists(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	for (el = einv_xml_first(root, &name_note); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_val *n = einv_push(a, &inv->note, &inv->n_note,
		    &inv->cap_note, sizeof(*inv->note));

		if (n == NULL)
			return KR_TOO_BIG;
		rc |= einv_xml_text(a, el, n);
	}
	for (el = einv_xml_first(root, &name_ref); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_ref *r = einv_push(a, &inv->ref, &inv->n_ref,
		    &inv->cap_ref, sizeof(*inv->ref));

		if (r == NULL)
			return KR_TOO_BIG;
		r->node = el;
		rc |= einv_xml_fields(a, el, &ref_t, r);
	}
	for (el = einv_xml_first(root, &name_ac); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_ac *ac = einv_push(a, &inv->ac, &inv->n_ac,
		    &inv->cap_ac, sizeof(*inv->ac));

		if (ac == NULL)
			return KR_TOO_BIG;
		rc |= einv_xml_ac(a, el, &ac_t, &cat_t, ac);
	}
	return rc;
}

static int
read_parties(struct arena *a, struct einvoice *inv)
{
	int rc = 0;

	rc |= read_party(a, inv->seller.node, &inv->seller);
	rc |= read_party(a, inv->buyer.node, &inv->buyer);
	rc |= read_other_party(a, inv->payee.node, &inv->payee);
	rc |= read_other_party(a, inv->taxrep.node, &inv->taxrep);
	rc |= einv_xml_fields(a, inv->deliver_to.addr_node, &address_t,
	    &inv->deliver_to);
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
	rc |= einv_xml_fields(a, root, &root_t, inv);
	rc |= einv_xml_text(a, einv_xml_first(root,
	    &name_type[inv->credit_note]), &inv->type_code);
	rc |= read_lists(a, root, inv);
	rc |= read_parties(a, inv);
	rc |= read_payment(a, root, inv);
	rc |= read_taxes(a, root, inv);
	rc |= read_lines(a, root, inv);
	rc |= einv_xml_empty(a, root, NULL, inv);
	return rc ? KR_TOO_BIG : KR_OK;
}

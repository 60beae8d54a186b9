/*
 * Reading a UN/CEFACT CII D16B CrossIndustryInvoice into the e-invoice
 * model.  Paths follow the EN 16931 CII binding (shared/spec/einvoice.md
 * §3).  As in einvoice_ubl.c, tables name what each element's children
 * give and the code walks the groups that repeat.  Each reader returns 0
 * or non-zero when the arena is full.
 */
#include <string.h>

#include "einvoice_xml.h"

#define RAM(local)	EINV_NAME(EINV_NS_RAM, local)
#define RSM(local)	EINV_NAME(EINV_NS_RSM, local)
#define UDT(local)	EINV_NAME(EINV_NS_UDT, local)
#define QDT(local)	EINV_NAME(EINV_NS_QDT, local)

/* A tax registration (BT-31, BT-32, BT-63). */
struct cii_reg {
	struct einv_val id, scheme;
};

/* What the first breakdown that gives them gives (BT-7, BT-8). */
struct cii_dates {
	struct einv_val tax_point, period_code;
};

static const struct einv_field cat_f[] = {
	EINV_F_VAL(RAM("TypeCode"), struct einv_cat, scheme),
	EINV_F_VAL(RAM("CategoryCode"), struct einv_cat, code),
	EINV_F_NUM(RAM("RateApplicablePercent"), struct einv_cat, rate),
	EINV_F_VAL(RAM("ExemptionReason"), struct einv_cat, reason),
	EINV_F_VAL(RAM("ExemptionReasonCode"), struct einv_cat,
	    reason_code),
};
static const struct einv_table cat_t = EINV_TABLE_VAT_UNTRIMMED(cat_f);

static const struct einv_field indicator_f[] = {
	EINV_F_VAL(UDT("Indicator"), struct einv_ac, indicator),
};
static const struct einv_table indicator_t = EINV_TABLE(indicator_f);
static const struct einv_field ac_f[] = {
	EINV_F_IN(RAM("ChargeIndicator"), indicator_t),
	EINV_F_NUM(RAM("CalculationPercent"), struct einv_ac, percent),
	EINV_F_NUM(RAM("BasisAmount"), struct einv_ac, base),
	EINV_F_NUM(RAM("ActualAmount"), struct einv_ac, amount),
	EINV_F_VAL(RAM("ReasonCode"), struct einv_ac, reason_code),
	EINV_F_VAL(RAM("Reason"), struct einv_ac, reason),
	EINV_F_NODE(RAM("CategoryTradeTax"), struct einv_ac, cat.node),
};
static const struct einv_table ac_t = EINV_TABLE(ac_f);

static const struct einv_field reg_f[] = {
	EINV_F_ID(RAM("ID"), struct cii_reg, id, scheme),
};
static const struct einv_table reg_t = EINV_TABLE(reg_f);

static const struct einv_field address_f[] = {
	EINV_F_VAL(RAM("PostcodeCode"), struct einv_party, postcode),
	EINV_F_VAL(RAM("LineOne"), struct einv_party, street),
	EINV_F_VAL(RAM("CityName"), struct einv_party, city),
	EINV_F_VAL(RAM("CountryID"), struct einv_party, country),
};
static const struct einv_table address_t = EINV_TABLE(address_f);
static const struct einv_field phone_f[] = {
	EINV_F_VAL(RAM("CompleteNumber"), struct einv_party, phone),
};
static const struct einv_table phone_t = EINV_TABLE(phone_f);
static const struct einv_field email_f[] = {
	EINV_F_VAL(RAM("URIID"), struct einv_party, email),
};
static const struct einv_table email_t = EINV_TABLE(email_f);
static const struct einv_field contact_f[] = {
	EINV_F_VAL(RAM("PersonName"), struct einv_party, contact_name),
	EINV_F_IN(RAM("TelephoneUniversalCommunication"), phone_t),
	EINV_F_IN(RAM("EmailURIUniversalCommunication"), email_t),
};
static const struct einv_table contact_t = EINV_TABLE(contact_f);
static const struct einv_field legal_f[] = {
	EINV_F_VAL(RAM("ID"), struct einv_party, legal_id),
	EINV_F_VAL(RAM("TradingBusinessName"), struct einv_party,
	    trading_name),
};
static const struct einv_table legal_t = EINV_TABLE(legal_f);
static const struct einv_field endpoint_f[] = {
	EINV_F_ID(RAM("URIID"), struct einv_party, endpoint,
	    endpoint_scheme),
};
static const struct einv_table endpoint_t = EINV_TABLE(endpoint_f);
static const struct einv_field party_f[] = {
	EINV_F_VAL(RAM("ID"), struct einv_party, id),
	EINV_F_VAL(RAM("Name"), struct einv_party, name),
	EINV_F_IN(RAM("SpecifiedLegalOrganization"), legal_t),
	EINV_F_NODE_IN(RAM("DefinedTradeContact"), struct einv_party,
	    contact_node, contact_t),
	EINV_F_NODE_IN(RAM("PostalTradeAddress"), struct einv_party,
	    addr_node, address_t),
	EINV_F_IN(RAM("URIUniversalCommunication"), endpoint_t),
};
static const struct einv_table party_t = EINV_TABLE(party_f);

static const struct einv_field gross_ind_f[] = {
	EINV_F_VAL(UDT("Indicator"), struct einv_line, gross_indicator),
};
static const struct einv_table gross_ind_t = EINV_TABLE(gross_ind_f);
static const struct einv_field gross_ac_f[] = {
	EINV_F_IN(RAM("ChargeIndicator"), gross_ind_t),
	EINV_F_NUM(RAM("ActualAmount"), struct einv_line, discount),
};
static const struct einv_table gross_ac_t = EINV_TABLE(gross_ac_f);
static const struct einv_field gross_f[] = {
	EINV_F_NUM(RAM("ChargeAmount"), struct einv_line, gross),
	EINV_F_IN(RAM("AppliedTradeAllowanceCharge"), gross_ac_t),
};
static const struct einv_table gross_t = EINV_TABLE(gross_f);
static const struct einv_field net_f[] = {
	EINV_F_NUM(RAM("ChargeAmount"), struct einv_line, price),
	EINV_F_NUM(RAM("BasisQuantity"), struct einv_line, base_qty),
};
static const struct einv_table net_t = EINV_TABLE(net_f);
static const struct einv_field line_agr_f[] = {
	EINV_F_NODE_IN(RAM("GrossPriceProductTradePrice"), struct einv_line,
	    gross_node, gross_t),
	EINV_F_NODE_IN(RAM("NetPriceProductTradePrice"), struct einv_line,
	    price_node, net_t),
};
static const struct einv_table line_agr_t = EINV_TABLE(line_agr_f);
static const struct einv_field line_doc_f[] = {
	EINV_F_VAL(RAM("LineID"), struct einv_line, id),
};
static const struct einv_table line_doc_t = EINV_TABLE(line_doc_f);
static const struct einv_field product_f[] = {
	EINV_F_ID(RAM("GlobalID"), struct einv_line, std_id, std_scheme),
	EINV_F_VAL(RAM("Name"), struct einv_line, name),
};
static const struct einv_table product_t = EINV_TABLE(product_f);
static const struct einv_field line_dl_f[] = {
	EINV_F_NUM(RAM("BilledQuantity"), struct einv_line, qty),
};
static const struct einv_table line_dl_t = EINV_TABLE(line_dl_f);
static const struct einv_field line_start_f[] = {
	EINV_F_VAL(UDT("DateTimeString"), struct einv_line, period_start),
};
static const struct einv_table line_start_t = EINV_TABLE(line_start_f);
static const struct einv_field line_end_f[] = {
	EINV_F_VAL(UDT("DateTimeString"), struct einv_line, period_end),
};
static const struct einv_table line_end_t = EINV_TABLE(line_end_f);
static const struct einv_field line_period_f[] = {
	EINV_F_IN(RAM("StartDateTime"), line_start_t),
	EINV_F_IN(RAM("EndDateTime"), line_end_t),
};
static const struct einv_table line_period_t = EINV_TABLE(line_period_f);
static const struct einv_field line_sum_f[] = {
	EINV_F_NUM(RAM("LineTotalAmount"), struct einv_line, net),
};
static const struct einv_table line_sum_t = EINV_TABLE(line_sum_f);
static const struct einv_field line_set_f[] = {
	EINV_F_NODE(RAM("ApplicableTradeTax"), struct einv_line, cat.node),
	EINV_F_NODE_IN(RAM("BillingSpecifiedPeriod"), struct einv_line,
	    period_node, line_period_t),
	EINV_F_IN(RAM("SpecifiedTradeSettlementLineMonetarySummation"),
	    line_sum_t),
};
static const struct einv_table line_set_t = EINV_TABLE(line_set_f);
static const struct einv_field line_f[] = {
	EINV_F_IN(RAM("AssociatedDocumentLineDocument"), line_doc_t),
	EINV_F_IN(RAM("SpecifiedTradeProduct"), product_t),
	EINV_F_IN(RAM("SpecifiedLineTradeAgreement"), line_agr_t),
	EINV_F_IN(RAM("SpecifiedLineTradeDelivery"), line_dl_t),
	EINV_F_IN(RAM("SpecifiedLineTradeSettlement"), line_set_t),
};
static const struct einv_table line_t = EINV_TABLE(line_f);

static const struct einv_field occurrence_f[] = {
	EINV_F_VAL(UDT("DateTimeString"), struct einvoice, delivery_date),
};
static const struct einv_table occurrence_t = EINV_TABLE(occurrence_f);
static const struct einv_field event_f[] = {
	EINV_F_IN(RAM("OccurrenceDateTime"), occurrence_t),
};
static const struct einv_table event_t = EINV_TABLE(event_f);
static const struct einv_field delivery_f[] = {
	EINV_F_NODE(RAM("ShipToTradeParty"), struct einvoice,
	    deliver_to.node),
	EINV_F_IN(RAM("ActualDeliverySupplyChainEvent"), event_t),
};
static const struct einv_table delivery_t = EINV_TABLE(delivery_f);
static const struct einv_field agreement_f[] = {
	EINV_F_VAL(RAM("BuyerReference"), struct einvoice, buyer_ref),
	EINV_F_NODE(RAM("SellerTradeParty"), struct einvoice, seller.node),
	EINV_F_NODE(RAM("BuyerTradeParty"), struct einvoice, buyer.node),
	EINV_F_NODE(RAM("SellerTaxRepresentativeTradeParty"),
	    struct einvoice, taxrep.node),
};
static const struct einv_table agreement_t = EINV_TABLE(agreement_f);

static const struct einv_field iban_f[] = {
	EINV_F_VAL(RAM("IBANID"), struct einv_pm, account_iban),
	EINV_F_VAL(RAM("ProprietaryID"), struct einv_pm, account_other),
};
static const struct einv_table iban_t = EINV_TABLE(iban_f);
static const struct einv_field card_f[] = {
	EINV_F_VAL(RAM("ID"), struct einv_pm, card_pan),
};
static const struct einv_table card_t = EINV_TABLE(card_f);
static const struct einv_field debtor_f[] = {
	EINV_F_VAL(RAM("IBANID"), struct einv_pm, debited_id),
};
static const struct einv_table debtor_t = EINV_TABLE(debtor_f);
static const struct einv_field pm_f[] = {
	EINV_F_VAL(RAM("TypeCode"), struct einv_pm, code),
	EINV_F_NODE_IN(RAM("ApplicableTradeSettlementFinancialCard"),
	    struct einv_pm, card_node, card_t),
	EINV_F_NODE_IN(RAM("PayerPartyDebtorFinancialAccount"),
	    struct einv_pm, mandate_node, debtor_t),
	EINV_F_NODE_IN(RAM("PayeePartyCreditorFinancialAccount"),
	    struct einv_pm, account_node, iban_t),
	EINV_F_NODE(RAM("PayerSpecifiedDebtorFinancialInstitution"),
	    struct einv_pm, payer_bank_node),
	EINV_F_NODE(RAM("PayeeSpecifiedCreditorFinancialInstitution"),
	    struct einv_pm, payee_bank_node),
};
static const struct einv_table pm_t = EINV_TABLE(pm_f);

static const struct einv_field vat_f[] = {
	EINV_F_NUM(RAM("CalculatedAmount"), struct einv_vat, tax),
	EINV_F_NUM(RAM("BasisAmount"), struct einv_vat, taxable),
};
static const struct einv_table vat_t = EINV_TABLE(vat_f);
static const struct einv_field tax_point_f[] = {
	EINV_F_VAL(UDT("DateString"), struct cii_dates, tax_point),
};
static const struct einv_table tax_point_t = EINV_TABLE(tax_point_f);
static const struct einv_field dates_f[] = {
	EINV_F_IN(RAM("TaxPointDate"), tax_point_t),
	EINV_F_VAL(RAM("DueDateTypeCode"), struct cii_dates, period_code),
};
static const struct einv_table dates_t = EINV_TABLE(dates_f);

static const struct einv_field due_f[] = {
	EINV_F_VAL(UDT("DateTimeString"), struct einvoice, due_date),
};
static const struct einv_table due_t = EINV_TABLE(due_f);
static const struct einv_field terms_f[] = {
	EINV_F_VAL(RAM("Description"), struct einvoice, terms),
	EINV_F_IN(RAM("DueDateDateTime"), due_t),
	EINV_F_VAL(RAM("DirectDebitMandateID"), struct einvoice,
	    mandate_id),
};
static const struct einv_table terms_t = EINV_TABLE(terms_f);
static const struct einv_field start_f[] = {
	EINV_F_VAL(UDT("DateTimeString"), struct einvoice, period_start),
};
static const struct einv_table start_t = EINV_TABLE(start_f);
static const struct einv_field end_f[] = {
	EINV_F_VAL(UDT("DateTimeString"), struct einvoice, period_end),
};
static const struct einv_table end_t = EINV_TABLE(end_f);
static const struct einv_field period_f[] = {
	EINV_F_IN(RAM("StartDateTime"), start_t),
	EINV_F_IN(RAM("EndDateTime"), end_t),
};
static const struct einv_table period_t = EINV_TABLE(period_f);
static const struct einv_field totals_f[] = {
	EINV_F_NUM(RAM("LineTotalAmount"), struct einvoice, line_total),
	EINV_F_NUM(RAM("ChargeTotalAmount"), struct einvoice, charge_total),
	EINV_F_NUM(RAM("AllowanceTotalAmount"), struct einvoice,
	    allowance_total),
	EINV_F_NUM(RAM("TaxBasisTotalAmount"), struct einvoice,
	    tax_exclusive),
	EINV_F_NUM(RAM("RoundingAmount"), struct einvoice, rounding),
	EINV_F_NUM(RAM("GrandTotalAmount"), struct einvoice, tax_inclusive),
	EINV_F_NUM(RAM("TotalPrepaidAmount"), struct einvoice, prepaid),
	EINV_F_NUM(RAM("DuePayableAmount"), struct einvoice, payable),
};
static const struct einv_table totals_t = EINV_TABLE(totals_f);
static const struct einv_field settlement_f[] = {
	EINV_F_VAL(RAM("CreditorReferenceID"), struct einvoice,
	    creditor_id),
	EINV_F_VAL(RAM("TaxCurrencyCode"), struct einvoice, tax_currency),
	EINV_F_VAL(RAM("InvoiceCurrencyCode"), struct einvoice, currency),
	EINV_F_NODE(RAM("PayeeTradeParty"), struct einvoice, payee.node),
	EINV_F_NODE_IN(RAM("BillingSpecifiedPeriod"), struct einvoice,
	    period_node, period_t),
	EINV_F_NODE_IN(RAM("SpecifiedTradePaymentTerms"), struct einvoice,
	    terms_node, terms_t),
	EINV_F_NODE_IN(RAM("SpecifiedTradeSettlementHeaderMonetarySummation"),
	    struct einvoice, totals_node, totals_t),
};
static const struct einv_table settlement_t = EINV_TABLE(settlement_f);
static const struct einv_field ref_date_f[] = {
	EINV_F_VAL(QDT("DateTimeString"), struct einv_ref, date),
};
static const struct einv_table ref_date_t = EINV_TABLE(ref_date_f);
static const struct einv_field ref_f[] = {
	EINV_F_VAL(RAM("IssuerAssignedID"), struct einv_ref, id),
	EINV_F_IN(RAM("FormattedIssueDateTime"), ref_date_t),
};
static const struct einv_table ref_t = EINV_TABLE(ref_f);

static const struct einv_field trade_f[] = {
	EINV_F_IN(RAM("ApplicableHeaderTradeAgreement"), agreement_t),
	EINV_F_NODE_IN(RAM("ApplicableHeaderTradeDelivery"), struct einvoice,
	    delivery_node, delivery_t),
	EINV_F_NODE_IN(RAM("ApplicableHeaderTradeSettlement"),
	    struct einvoice, settlement_node, settlement_t),
};
static const struct einv_table trade_t = EINV_TABLE(trade_f);
static const struct einv_field guideline_f[] = {
	EINV_F_VAL(RAM("ID"), struct einvoice, customization),
};
static const struct einv_table guideline_t = EINV_TABLE(guideline_f);
static const struct einv_field process_f[] = {
	EINV_F_VAL(RAM("ID"), struct einvoice, profile_id),
};
static const struct einv_table process_t = EINV_TABLE(process_f);
static const struct einv_field context_f[] = {
	EINV_F_IN(RAM("BusinessProcessSpecifiedDocumentContextParameter"),
	    process_t),
	EINV_F_IN(RAM("GuidelineSpecifiedDocumentContextParameter"),
	    guideline_t),
};
static const struct einv_table context_t = EINV_TABLE(context_f);
static const struct einv_field issue_f[] = {
	EINV_F_VAL(UDT("DateTimeString"), struct einvoice, issue_date),
};
static const struct einv_table issue_t = EINV_TABLE(issue_f);
static const struct einv_field document_f[] = {
	EINV_F_VAL(RAM("ID"), struct einvoice, number),
	EINV_F_VAL(RAM("TypeCode"), struct einvoice, type_code),
	EINV_F_IN(RAM("IssueDateTime"), issue_t),
};
static const struct einv_table document_t = EINV_TABLE(document_f);
static const struct einv_field root_f[] = {
	EINV_F_NODE_IN(RSM("ExchangedDocumentContext"), struct einvoice,
	    context_node, context_t),
	EINV_F_IN(RSM("ExchangedDocument"), document_t),
	EINV_F_NODE_IN(RSM("SupplyChainTradeTransaction"), struct einvoice,
	    trade_node, trade_t),
};
static const struct einv_table root_t = EINV_TABLE(root_f);

static const struct einv_name name_ac = RAM("SpecifiedTradeAllowanceCharge");
static const struct einv_name name_reg = RAM("SpecifiedTaxRegistration");
static const struct einv_name name_dept = RAM("DepartmentName");
static const struct einv_name name_global = RAM("GlobalID");
static const struct einv_name name_basis_qty = RAM("BasisQuantity");
static const struct einv_name name_line_set =
    RAM("SpecifiedLineTradeSettlement");
static const struct einv_name name_line =
    RAM("IncludedSupplyChainTradeLineItem");
static const struct einv_name name_pm =
    RAM("SpecifiedTradeSettlementPaymentMeans");
static const struct einv_name name_vat = RAM("ApplicableTradeTax");
static const struct einv_name name_taxtotal = RAM("TaxTotalAmount");
static const struct einv_name name_ref = RAM("InvoiceReferencedDocument");
static const struct einv_name name_document = RSM("ExchangedDocument");
static const struct einv_name name_note = RAM("IncludedNote");
static const struct einv_name name_content = RAM("Content");

static int
read_ac_list(struct arena *a, const xmlNode *parent, struct einv_ac **arr,
    size_t *n, size_t *cap)
{
	xmlNode *el;
	int rc = 0;

	for (el = einv_xml_first(parent, &name_ac); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_ac *ac = einv_push(a, arr, n, cap, sizeof(**arr));

		if (ac == NULL)
			return KR_TOO_BIG;
		rc |= einv_xml_ac(a, el, &ac_t, &cat_t, ac);
	}
	return rc;
}

static int
read_tax_regs(struct arena *a, const xmlNode *party, struct einv_party *p)
{
	xmlNode *tr;
	int rc = 0;

	for (tr = einv_xml_first(party, &name_reg); tr != NULL;
	    tr = einv_xml_next(tr)) {
		struct cii_reg r = { { NULL, NULL }, { NULL, NULL } };

		rc |= einv_xml_fields(a, tr, &reg_t, &r);
		if (r.id.s == NULL)
			continue;
		p->n_tax_ids++;
		if (r.scheme.s != NULL && strcmp(r.scheme.s, "VA") == 0) {
			if (p->vat_id.s == NULL)
				p->vat_id = r.id;
		} else if (r.scheme.s != NULL &&
		    strcmp(r.scheme.s, "FC") == 0) {
			if (p->tax_number.s == NULL)
				p->tax_number = r.id;
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
	if (p->id.s == NULL)
		rc |= einv_xml_text(a, einv_xml_first(el, &name_global),
		    &p->id);
	if (einv_blank(p->contact_name.s)) {
		struct einv_val dept;

		rc |= einv_xml_text(a, einv_xml_first(p->contact_node,
		    &name_dept), &dept);
		if (!einv_blank(dept.s))
			p->contact_name = dept;
	}
	rc |= read_tax_regs(a, el, p);
	return rc;
}

static int
read_line(struct arena *a, const xmlNode *el, struct einv_line *l)
{
	xmlNode *tax;
	int rc = 0;

	l->node = el;
	rc |= einv_xml_fields(a, el, &line_t, l);
	if (l->base_qty.s == NULL)
		rc |= einv_xml_num_at(a, einv_xml_first(l->gross_node,
		    &name_basis_qty), &l->base_qty);
	tax = (xmlNode *)l->cat.node;
	rc |= einv_xml_cat(a, tax, &cat_t, &l->cat);
	for (; tax != NULL; tax = einv_xml_next(tax))
		l->n_cat++;
	rc |= read_ac_list(a, einv_xml_first(el, &name_line_set), &l->ac,
	    &l->n_ac, &l->cap_ac);
	return rc;
}

static int
read_lines(struct arena *a, const xmlNode *trade, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	el = einv_xml_first(trade, &name_line);
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
read_parties(struct arena *a, struct einvoice *inv)
{
	int rc = 0;

	rc |= read_party(a, inv->seller.node, &inv->seller);
	rc |= read_party(a, inv->buyer.node, &inv->buyer);
	rc |= read_party(a, inv->taxrep.node, &inv->taxrep);
	rc |= read_party(a, inv->deliver_to.node, &inv->deliver_to);
	rc |= read_party(a, inv->payee.node, &inv->payee);
	return rc;
}

static int
read_payment(struct arena *a, const xmlNode *hs, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	el = einv_xml_first(hs, &name_pm);
	for (; el != NULL; el = einv_xml_next(el)) {
		struct einv_pm *pm = einv_push(a, &inv->pm, &inv->n_pm,
		    &inv->cap_pm, sizeof(*inv->pm));

		if (pm == NULL)
			return KR_TOO_BIG;
		pm->node = el;
		rc |= einv_xml_fields(a, el, &pm_t, pm);
		pm->account_id = pm->account_iban.s != NULL ?
		    pm->account_iban : pm->account_other;
	}
	return rc;
}

static int
read_breakdowns(struct arena *a, const xmlNode *hs, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	for (el = einv_xml_first(hs, &name_vat); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_vat *v = einv_push(a, &inv->vat, &inv->n_vat,
		    &inv->cap_vat, sizeof(*inv->vat));
		struct cii_dates d = { { NULL, NULL }, { NULL, NULL } };

		if (v == NULL)
			return KR_TOO_BIG;
		v->node = el;
		v->total = -1;
		rc |= einv_xml_fields(a, el, &vat_t, v);
		rc |= einv_xml_cat(a, el, &cat_t, &v->cat);
		if (inv->tax_point_date.s == NULL ||
		    inv->period_code.s == NULL)
			rc |= einv_xml_fields(a, el, &dates_t, &d);
		if (inv->tax_point_date.s == NULL)
			inv->tax_point_date = d.tax_point;
		if (inv->period_code.s == NULL)
			inv->period_code = d.period_code;
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

		if (!einv_in_invoice_currency(inv, t->amount.currency))
			continue;
		for (j = 0; j < inv->n_vat; j++)
			inv->vat[j].total = (int)i;
		t->n_sub = (int)inv->n_vat;
		t->summed = 1;
		return;
	}
}

static int
read_totals(struct arena *a, struct einvoice *inv)
{
	xmlNode *el;
	int rc = 0;

	el = einv_xml_first(inv->totals_node, &name_taxtotal);
	for (; el != NULL; el = einv_xml_next(el)) {
		struct einv_taxtotal *tt = einv_push(a, &inv->taxtotal,
		    &inv->n_taxtotal, &inv->cap_taxtotal,
		    sizeof(*inv->taxtotal));

		if (tt == NULL)
			return KR_TOO_BIG;
		tt->node = el;
		rc |= einv_xml_num_at(a, el, &tt->amount);
	}
	return rc;
}

static int
read_settlement(struct arena *a, struct einvoice *inv)
{
	const xmlNode *hs = inv->settlement_node;
	xmlNode *el;
	int rc = 0;

	rc |= read_payment(a, hs, inv);
	rc |= read_breakdowns(a, hs, inv);
	rc |= read_ac_list(a, hs, &inv->ac, &inv->n_ac, &inv->cap_ac);
	rc |= read_totals(a, inv);
	for (el = einv_xml_first(hs, &name_ref); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_ref *r = einv_push(a, &inv->ref, &inv->n_ref,
		    &inv->cap_ref, sizeof(*inv->ref));

		if (r == NULL)
			return KR_TOO_BIG;
		r->node = el;
		rc |= einv_xml_fields(a, el, &ref_t, r);
	}
	link_totals(inv);
	return rc;
}

static int
read_notes(struct arena *a, const xmlNode *root, struct einvoice *inv)
{
	xmlNode *doc = einv_xml_first(root, &name_document), *el;
	int rc = 0;

	for (el = einv_xml_first(doc, &name_note); el != NULL;
	    el = einv_xml_next(el)) {
		struct einv_val *n = einv_push(a, &inv->note, &inv->n_note,
		    &inv->cap_note, sizeof(*inv->note));

		if (n == NULL)
			return KR_TOO_BIG;
		rc |= einv_xml_text(a, einv_xml_first(el, &name_content), n);
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
	int rc = 0;

	inv->syntax = EINV_CII;
	inv->root = root;
	rc |= einv_xml_fields(a, root, &root_t, inv);
	rc |= read_notes(a, root, inv);
	rc |= read_lines(a, inv->trade_node, inv);
	rc |= read_parties(a, inv);
	rc |= read_settlement(a, inv);
	rc |= einv_xml_empty(a, root, keep, inv);
	return rc ? KR_TOO_BIG : KR_OK;
}

/*
 * Profiles, preconditions and file names for the e-invoice
 * writers (einvoice.h).
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>


#include "einvoice.h"
#include "xmlw.h"

#define ID_EN16931	"urn:cen.eu:en16931:2017"

static const struct {
	const char *name;
	const char *id;		/* BT-24 */
	int cii_only;
} profiles[] = {
	[EINV_XRECHNUNG] = { "xrechnung", ID_EN16931
	    "#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0", 0 },
	[EINV_EN16931] = { "en16931", ID_EN16931, 0 },
	[EINV_ZUGFERD_EN16931] = { "zugferd-en16931", ID_EN16931, 1 },
	[EINV_ZUGFERD_BASIC] = { "zugferd-basic", ID_EN16931
	    "#compliant#urn:factur-x.eu:1p0:basic", 1 },
	[EINV_ZUGFERD_EXTENDED] = { "zugferd-extended", ID_EN16931
	    "#conformant#urn:factur-x.eu:1p0:extended", 1 },
};

#define NPROFILES	(sizeof(profiles) / sizeof(profiles[0]))

int
einv_profile_parse(const char *name, enum einv_profile *p)
{
	size_t i;

	for (i = 0; i < NPROFILES; i++)
		if (strcmp(profiles[i].name, name) == 0) {
			*p = (enum einv_profile)i;
			return KR_OK;
		}
	return KR_BAD_INPUT;
}

const char *
einv_profile_name(enum einv_profile p)
{
	return profiles[p].name;
}

const char *
einv_profile_id(enum einv_profile p)
{
	return profiles[p].id;
}

int
einv_profile_allows(enum einv_profile p, enum einv_syntax s)
{
	return s == EINV_CII || !profiles[p].cii_only;
}

int
einv_syntax_parse(const char *name, enum einv_syntax *s)
{
	if (strcmp(name, "ubl") == 0)
		*s = EINV_UBL;
	else if (strcmp(name, "cii") == 0)
		*s = EINV_CII;
	else
		return KR_BAD_INPUT;
	return KR_OK;
}

const char *
einv_syntax_name(enum einv_syntax s)
{
	return s == EINV_UBL ? "ubl" : "cii";
}

/* Preconditions */

static int
is_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	size_t i;

	if (s == NULL || strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i] != '\0'; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != shape[i])
			return 0;
	return strncmp(s + 5, "01", 2) >= 0 && strncmp(s + 5, "12", 2) <= 0 &&
	    strncmp(s + 8, "01", 2) >= 0 && strncmp(s + 8, "31", 2) <= 0;
}

static int
need(const char *s, const char *field, const char *term, struct kerr *e)
{
	if (xmlw_blank(s))
		return kerr_set(e, KR_BAD_INPUT, field, "%s is missing or "
		    "empty", term);
	return KR_OK;
}

/*
 * The field list[i].member, such as "lines[2].unit", into buf: made
 * only for a message, since formatting it for every line that passes
 * would cost more than the checks.
 */
static const char *
field_at(char *buf, size_t size, const char *list, size_t i,
    const char *member)
{
	snprintf(buf, size, "%s[%zu].%s", list, i, member);
	return buf;
}

/* need() for the field list[i].member. */
static int
need_at(const char *s, const char *list, size_t i, const char *member,
    const char *term, struct kerr *e)
{
	char field[64];

	if (!xmlw_blank(s))
		return KR_OK;
	return need(s, field_at(field, sizeof(field), list, i, member), term,
	    e);
}

static int
need_date(const char *s, const char *field, const char *term,
    struct kerr *e)
{
	if (!is_date(s))
		return kerr_set(e, KR_BAD_INPUT, field, "%s: expected a date "
		    "like \"2026-12-04\", got \"%.20s\"", term,
		    s != NULL ? s : "");
	return KR_OK;
}

static int
need_country(const struct address *a, const char *field, const char *term,
    struct kerr *e)
{
	if (a->country[0] == '\0')
		return kerr_set(e, KR_BAD_INPUT, field, "%s is missing: the "
		    "country code is mandatory", term);
	return KR_OK;
}

/* An electronic address needs its scheme (BR-62, BR-63). */
static int
need_scheme(const struct inv_party *p, const char *field, const char *term,
    struct kerr *e)
{
	if (!xmlw_blank(p->endpoint) && xmlw_blank(p->endpoint_scheme))
		return kerr_set(e, KR_BAD_INPUT, field, "%s \"%.60s\" has no "
		    "scheme (such as EM for e-mail)", term, p->endpoint);
	return KR_OK;
}

static int
ready_head(const struct invoice *inv, struct kerr *e)
{
	int rc;

	if (strcmp(inv->doc_type, "380") != 0 &&
	    strcmp(inv->doc_type, "381") != 0)
		return kerr_set(e, KR_BAD_INPUT, "doc_type", "BT-3: expected "
		    "380 (invoice) or 381 (credit note), got \"%.10s\"",
		    inv->doc_type);
	if ((rc = need(inv->number, "number", "BT-1 (invoice number)",
	    e)) != KR_OK ||
	    (rc = need_date(inv->issue_date, "issue_date", "BT-2", e)) !=
	    KR_OK ||
	    (rc = need_date(inv->supply_date, "supply_date", "BT-72", e)) !=
	    KR_OK)
		return rc;
	if (!xmlw_blank(inv->preceding_date))
		return need_date(inv->preceding_date, "preceding.issue_date",
		    "BT-26", e);
	return KR_OK;
}

/*
 * BT-6 and BT-111: an invoice in another currency states its VAT total
 * in EUR too (BR-53, tax.md §13), of the same sign as BT-110
 * (PEPPOL-EN16931-R055); one in EUR has neither (R005).
 */
static int
ready_currency(const struct invoice *inv, struct kerr *e)
{
	if (strcmp(inv->currency, EINV_TAX_CURRENCY) == 0) {
		if (inv->has_fx)
			return kerr_set(e, KR_BAD_INPUT, "fx", "an invoice in "
			    "EUR has no VAT accounting currency (BT-6, "
			    "PEPPOL-EN16931-R005), but the record has fx");
		return KR_OK;
	}
	if (!inv->has_fx)
		return kerr_set(e, KR_BAD_INPUT, "fx", "an invoice in %s "
		    "needs its VAT total in EUR (BT-6, BT-111, BR-53), and "
		    "the record has no fx", inv->currency);
	if ((inv->vat_eur_minor < 0) != (inv->vat_total_minor < 0))
		return kerr_set(e, KR_BAD_INPUT, "fx.vat", "the VAT total in "
		    "EUR (BT-111) must have the sign of the VAT total "
		    "(PEPPOL-EN16931-R055)");
	return KR_OK;
}

static int
ready_parties(const struct invoice *inv, struct kerr *e)
{
	int rc;

	if ((rc = need(inv->seller.name, "seller.name", "BT-27 (seller "
	    "name)", e)) != KR_OK ||
	    (rc = need_country(&inv->seller.addr, "seller.country", "BT-40",
	    e)) != KR_OK ||
	    (rc = need(inv->buyer.name, "buyer.name", "BT-44 (buyer name)",
	    e)) != KR_OK ||
	    (rc = need_country(&inv->buyer.addr, "buyer.country", "BT-55",
	    e)) != KR_OK ||
	    (rc = need_scheme(&inv->seller, "seller.endpoint_scheme",
	    "BT-34 (seller electronic address)", e)) != KR_OK)
		return rc;
	return need_scheme(&inv->buyer, "buyer.endpoint_scheme",
	    "BT-49 (buyer electronic address)", e);
}

static int
ready_lines(const struct invoice *inv, struct kerr *e)
{
	size_t i;
	int rc;

	if (inv->nlines == 0)
		return kerr_set(e, KR_BAD_INPUT, "lines", "BR-16: an invoice "
		    "needs at least one line");
	if (inv->nvat == 0)
		return kerr_set(e, KR_BAD_INPUT, "vat", "BR-CO-18: an invoice "
		    "needs at least one VAT breakdown");
	for (i = 0; i < inv->nlines; i++) {
		if ((rc = need_at(inv->lines[i].name, "lines", i, "name",
		    "BT-153 (item name)", e)) != KR_OK ||
		    (rc = need_at(inv->lines[i].unit, "lines", i, "unit",
		    "BT-130 (unit of measure)", e)) != KR_OK ||
		    (rc = need_at(inv->lines[i].id, "lines", i, "id",
		    "BT-126 (line id)", e)) != KR_OK)
			return rc;
	}
	return KR_OK;
}

static int
ready_payment(const struct invoice *inv, struct kerr *e)
{
	if (inv->pay_means != NULL && strcmp(inv->pay_means, "58") == 0 &&
	    xmlw_blank(inv->pay_iban))
		return kerr_set(e, KR_BAD_INPUT, "payment.iban", "payment "
		    "means 58 (SEPA credit transfer) needs the payee's IBAN "
		    "(BT-84, BR-61), and the invoice has none");
	return KR_OK;
}

/* What XRechnung makes mandatory and kontor cannot make up. */
static int
ready_xrechnung(const struct invoice *inv, struct kerr *e)
{
	if (xmlw_blank(inv->seller.endpoint))
		return kerr_set(e, KR_BAD_INPUT, "seller.endpoint", "the "
		    "XRechnung profile needs the seller's electronic address "
		    "BT-34 (PEPPOL-EN16931-R020), and the invoice has none "
		    "(seller.endpoint in kontor.conf gives it to the invoices "
		    "numbered after it is set)");
	if (xmlw_blank(inv->buyer.endpoint))
		return kerr_set(e, KR_BAD_INPUT, "buyer.endpoint", "the "
		    "XRechnung profile needs the buyer's electronic address "
		    "BT-49 (PEPPOL-EN16931-R010), and the invoice has none");
	if (xmlw_blank(inv->buyer_reference))
		return kerr_set(e, KR_BAD_INPUT, "buyer_reference", "the "
		    "XRechnung profile needs the buyer reference BT-10 "
		    "(BR-DE-15), and the invoice has none");
	if (xmlw_blank(inv->pay_means))
		return kerr_set(e, KR_BAD_INPUT, "payment.means", "the "
		    "XRechnung profile needs the payment means BT-81 "
		    "(BR-DE-1), and the invoice has none");
	return KR_OK;
}

/*
 * What each VAT category needs (einvoice.md §5): its rate, an exemption
 * reason (BT-120 or BT-121) in its breakdown or none, the seller's VAT
 * id (or tax number), and the buyer's VAT id.
 */
enum { RATE_POSITIVE, RATE_ZERO };
enum { REASON_NONE, REASON_NEEDED };
enum { SELLER_VAT, SELLER_VAT_OR_TAX_NUMBER, SELLER_NEITHER };

struct category_rule {
	const char *code;
	const char *rules;	/* the rule family, for messages */
	int rate, reason, seller, buyer_vat;
};

static const struct category_rule categories[] = {
	{"S", "BR-S", RATE_POSITIVE, REASON_NONE,
	    SELLER_VAT_OR_TAX_NUMBER, 0},
	{"Z", "BR-Z", RATE_ZERO, REASON_NONE, SELLER_VAT_OR_TAX_NUMBER, 0},
	{"E", "BR-E", RATE_ZERO, REASON_NEEDED, SELLER_VAT_OR_TAX_NUMBER, 0},
	{"AE", "BR-AE", RATE_ZERO, REASON_NEEDED, SELLER_VAT_OR_TAX_NUMBER,
	    1},
	{"K", "BR-IC", RATE_ZERO, REASON_NEEDED, SELLER_VAT, 1},
	{"G", "BR-G", RATE_ZERO, REASON_NEEDED, SELLER_VAT, 0},
	{"O", "BR-O", RATE_ZERO, REASON_NEEDED, SELLER_NEITHER, 0},
};

static const struct category_rule *
category_rule(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (strcmp(categories[i].code, code) == 0)
			return &categories[i];
	return NULL;
}

/*
 * One category and rate, of a line, an allowance/charge or a breakdown:
 * the field list[i].category.
 */
static int
ready_category(const char *code, int64_t rate_bp, const char *list,
    size_t i, const struct category_rule **out, struct kerr *e)
{
	char r[DEC_BUFSZ], field[64];

	*out = category_rule(code);
	if (*out == NULL)
		return kerr_set(e, KR_BAD_INPUT, field_at(field,
		    sizeof(field), list, i, "category"), "VAT category "
		    "\"%.3s\" is not one kontor writes (S, Z, E, AE, K, G, "
		    "O)", code);
	if (((*out)->rate == RATE_POSITIVE && rate_bp <= 0) ||
	    ((*out)->rate == RATE_ZERO && rate_bp != 0))
		return kerr_set(e, KR_BAD_INPUT, field_at(field,
		    sizeof(field), list, i, "category"), "%s-05: category %s "
		    "takes a rate %s, got %s %%", (*out)->rules, code,
		    (*out)->rate == RATE_ZERO ? "of 0" : "above 0",
		    einv_rate(rate_bp, r));
	return KR_OK;
}

/*
 * How many lines, allowances, charges and breakdowns have category code
 * (is 1) or another one (is 0).
 */
static size_t
count_category(const struct invoice *inv, const char *code, int is)
{
	size_t i, n = 0;

	for (i = 0; i < inv->nlines; i++)
		n += (strcmp(inv->lines[i].category, code) == 0) == is;
	for (i = 0; i < inv->nadjusts; i++)
		n += (strcmp(inv->adjusts[i].category, code) == 0) == is;
	for (i = 0; i < inv->nvat; i++)
		n += (strcmp(inv->vat[i].category, code) == 0) == is;
	return n;
}

/* 1 when a line, allowance, charge or breakdown has category code. */
static int
uses_category(const struct invoice *inv, const char *code)
{
	return count_category(inv, code, 1) > 0;
}

/* BT-120/121 in each breakdown: needed, or not allowed (BR-S/Z-10). */
static int
ready_reasons(const struct invoice *inv, struct kerr *e)
{
	const struct category_rule *cr;
	char field[48];
	size_t i;
	int rc, has;

	for (i = 0; i < inv->nvat; i++) {
		const struct inv_vat *v = &inv->vat[i];

		if ((rc = ready_category(v->category, v->rate_bp, "vat", i,
		    &cr, e)) != KR_OK)
			return rc;
		has = !xmlw_blank(v->exemption_reason) ||
		    !xmlw_blank(v->exemption_code);
		if (cr->reason == REASON_NEEDED && !has)
			return kerr_set(e, KR_BAD_INPUT, field_at(field,
			    sizeof(field), "vat", i, "exemption_reason"),
			    "%s-10: category %s needs an exemption reason "
			    "(BT-120) or its code (BT-121)", cr->rules,
			    cr->code);
		if (cr->reason == REASON_NONE && has)
			return kerr_set(e, KR_BAD_INPUT, field_at(field,
			    sizeof(field), "vat", i, "exemption_reason"),
			    "%s-10: category %s has no exemption reason",
			    cr->rules, cr->code);
	}
	return KR_OK;
}

/* Who must or must not be named, by the categories used. */
static int
ready_ids(const struct invoice *inv, const struct category_rule *cr,
    struct kerr *e)
{
	const char *c = cr->code, *r = cr->rules;

	if (cr->seller == SELLER_VAT && xmlw_blank(inv->seller.vat_id))
		return kerr_set(e, KR_BAD_INPUT, "seller.vat_id", "%s-02: "
		    "category %s needs the seller's VAT id (BT-31)", r, c);
	if (cr->seller == SELLER_VAT_OR_TAX_NUMBER &&
	    xmlw_blank(inv->seller.vat_id) &&
	    xmlw_blank(inv->seller.tax_number))
		return kerr_set(e, KR_BAD_INPUT, "seller.vat_id", "%s-02: "
		    "category %s needs the seller's VAT id (BT-31) or tax "
		    "number (BT-32)", r, c);
	if (cr->buyer_vat && xmlw_blank(inv->buyer.vat_id))
		return kerr_set(e, KR_BAD_INPUT, "buyer.vat_id", "%s-02: "
		    "category %s needs the buyer's VAT id (BT-48)", r, c);
	if (strcmp(c, "K") == 0 && inv->delivery.country[0] == '\0')
		return kerr_set(e, KR_BAD_INPUT, "delivery.country",
		    "BR-IC-12: an intra-community supply needs the "
		    "deliver-to country (BT-80)");
	if (strcmp(c, "O") == 0 && (inv->nvat != 1 ||
	    count_category(inv, "O", 0) > 0))
		return kerr_set(e, KR_BAD_INPUT, "vat", "BR-O-11: an invoice "
		    "not subject to VAT has one breakdown and no other VAT "
		    "category");
	return KR_OK;
}

/*
 * Lines, allowances and charges of known categories and rates, the
 * breakdowns' exemption reasons, the parties each category needs, and
 * BR-CO-26: the seller named by its VAT id (when written) or register
 * id, since the record has no seller identifier (BT-29).
 */
static int
ready_vat(const struct invoice *inv, struct kerr *e)
{
	const struct category_rule *cr;
	size_t i;
	int rc;

	for (i = 0; i < inv->nlines; i++)
		if ((rc = ready_category(inv->lines[i].category,
		    inv->lines[i].rate_bp, "lines", i, &cr, e)) != KR_OK)
			return rc;
	for (i = 0; i < inv->nadjusts; i++)
		if ((rc = ready_category(inv->adjusts[i].category,
		    inv->adjusts[i].rate_bp, "allowances_charges", i, &cr,
		    e)) != KR_OK)
			return rc;
	if ((rc = ready_reasons(inv, e)) != KR_OK)
		return rc;
	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++)
		if (uses_category(inv, categories[i].code) &&
		    (rc = ready_ids(inv, &categories[i], e)) != KR_OK)
			return rc;
	if (xmlw_blank(einv_seller_vat_id(inv)) &&
	    xmlw_blank(inv->seller.register_id))
		return kerr_set(e, KR_BAD_INPUT, "seller.vat_id", "BR-CO-26: "
		    "the seller needs a VAT id (BT-31) or a register id "
		    "(BT-30)%s; a tax number alone does not name it",
		    uses_category(inv, "O") ? ", and an invoice not subject "
		    "to VAT carries no VAT id" : "");
	return KR_OK;
}

int
einvoice_ready(const struct invoice *inv, enum einv_profile p,
    struct kerr *e)
{
	int rc;

	if ((rc = ready_head(inv, e)) != KR_OK ||
	    (rc = ready_currency(inv, e)) != KR_OK ||
	    (rc = ready_parties(inv, e)) != KR_OK ||
	    (rc = ready_lines(inv, e)) != KR_OK ||
	    (rc = ready_vat(inv, e)) != KR_OK ||
	    (rc = ready_payment(inv, e)) != KR_OK)
		return rc;
	if (p == EINV_XRECHNUNG)
		return ready_xrechnung(inv, e);
	return KR_OK;
}

int
einvoice_check_vat(const struct invoice *inv, struct kerr *e)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ], b3[DEC_BUFSZ], r[DEC_BUFSZ];
	char field[32];
	int64_t want, diff;
	size_t i;

	for (i = 0; i < inv->nvat; i++) {
		const struct inv_vat *v = &inv->vat[i];

		/* basis points: rate / 100 is rate_bp / 10000 */
		if (dec_muldiv(v->taxable_minor, v->rate_bp, 10000, &want) !=
		    KR_OK)
			return kerr_set(e, KR_BAD_INPUT, "vat", "taxable "
			    "amount too large");
		diff = v->vat_minor - want;
		if (diff >= -1 && diff <= 1)
			continue;
		snprintf(field, sizeof(field), "vat[%zu].vat", i);
		return kerr_set(e, KR_BAD_INPUT, field, "BT-117: VAT %s at "
		    "%s %% differs from round(%s x %s %%) = %s by more than "
		    "one cent", einv_amount(inv, v->vat_minor, b1),
		    einv_rate(v->rate_bp, r),
		    einv_amount(inv, v->taxable_minor, b2), r,
		    einv_amount(inv, want, b3));
	}
	return KR_OK;
}

/* What the writers derive from the record */

const char *
einv_seller_vat_id(const struct invoice *inv)
{
	if (uses_category(inv, "O") || xmlw_blank(inv->seller.vat_id))
		return NULL;
	return inv->seller.vat_id;
}

const char *
einv_buyer_vat_id(const struct invoice *inv)
{
	if (uses_category(inv, "O") || xmlw_blank(inv->buyer.vat_id))
		return NULL;
	return inv->buyer.vat_id;
}

const char *
einv_buyer_name(const struct invoice *inv)
{
	return xmlw_blank(inv->buyer.company) ? inv->buyer.name :
	    inv->buyer.company;
}

const char *
einv_buyer_contact(const struct invoice *inv)
{
	if (xmlw_blank(inv->buyer.company) ||
	    strcmp(inv->buyer.company, inv->buyer.name) == 0)
		return NULL;
	return inv->buyer.name;
}

const char *
einv_delivery_name(const struct invoice *inv)
{
	return xmlw_blank(inv->delivery.company) ? inv->delivery.name :
	    inv->delivery.company;
}

const char *
einv_pay_text(const struct invoice *inv)
{
	return inv->pay_gateway;
}

static int
is_transfer(const struct invoice *inv)
{
	return inv->pay_means != NULL && (strcmp(inv->pay_means, "58") == 0 ||
	    strcmp(inv->pay_means, "30") == 0);
}

const char *
einv_remittance(const struct invoice *inv)
{
	return is_transfer(inv) ? inv->number : inv->pay_transaction;
}

int
einv_pay_account(const struct invoice *inv)
{
	return is_transfer(inv) && !xmlw_blank(inv->pay_iban);
}

/* Formatting */

char *
einv_amount(const struct invoice *inv, int64_t minor, char buf[DEC_BUFSZ])
{
	return dec_format(minor, inv->exponent, buf);
}

char *
einv_rate(int64_t rate_bp, char buf[DEC_BUFSZ])
{
	return dec_format_trim(rate_bp, RATE_SCALE, buf);
}

void
einv_date102(const char *iso, char out[9])
{
	memcpy(out, iso, 4);
	memcpy(out + 4, iso + 5, 2);
	memcpy(out + 6, iso + 8, 2);
	out[8] = '\0';
}

int
einvoice_file_name(const char *number, char out[EINV_NAME_MAX],
    struct kerr *e)
{
	static const char ext[] = ".xml";
	size_t i, n = strlen(number);

	if (n == 0 || n + sizeof(ext) > EINV_NAME_MAX)
		return kerr_set(e, KR_BAD_INPUT, "number", "invoice number "
		    "\"%.40s\" cannot name a file (empty, or longer than %zu "
		    "characters)", number, EINV_NAME_MAX - sizeof(ext));
	for (i = 0; i < n; i++)
		out[i] = invoice_file_char(number, i);
	memcpy(out + n, ext, sizeof(ext));
	return KR_OK;
}

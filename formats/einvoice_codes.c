/*
 * Code lists (BR-CL-*), decimals of amounts (BR-DEC-*), and two checks
 * of kontor's own that the XSD makes in the official validator: every
 * number is a decimal (KONTOR-DECIMAL) and every date has its syntax's
 * form (KONTOR-DATE).
 *
 * The lists hold the codes of the CEN artefacts 1.3.15 for the lists
 * kontor can meet cheaply: document types (UNTDID 1001), countries
 * (ISO 3166-1 alpha-2 with 1A and XI), payment means (UNTDID 4461), VAT
 * categories (UNTDID 5305 subset), exemption reasons (VATEX) and
 * electronic address schemes (EAS).  Currencies come from currency.h,
 * which leaves out funds codes and metals.  Units of measure (UN/ECE
 * Rec. 20/21) are only the ones a shop sells in; any other unit is a
 * warning, never fatal, since the full list is long and kontor does not
 * write other units.
 */
#include <stdio.h>
#include <string.h>

#include "currency.h"
#include "einvoice_int.h"

#define UBL(c)	((c)->inv->syntax == EINV_UBL)

static const char invoice_types[] =
    " 71 80 81 82 84 102 130 202 203 204 211 218 219 295 325 326 331 380"
    " 382 383 384 385 386 387 388 389 390 393 394 395 456 457 471 472 473"
    " 500 501 502 503 527 553 575 623 633 751 780 817 870 875 876 877"
    " 935 ";
static const char credit_types[] =
    " 81 83 261 262 296 308 381 396 420 458 532 ";

static const char countries[] =
    " 1A AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF"
    " BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ CA CC CD CF CG CH"
    " CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG"
    " EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP"
    " GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS"
    " IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR"
    " LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT"
    " MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF"
    " PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE"
    " SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ"
    " TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN"
    " VU WF WS XI YE YT ZA ZM ZW ";

static const char payment_means[] =
    " 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25"
    " 26 27 28 29 30 31 32 33 34 35 36 37 38 39 40 41 42 43 44 45 46 47"
    " 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69"
    " 70 74 75 76 77 78 91 92 93 94 95 96 97 98 ZZZ ";

static const char vat_categories[] = " AE L M E S Z G O K B ";

static const char vatex[] =
    " VATEX-EU-79-C VATEX-EU-132 VATEX-EU-132-1A VATEX-EU-132-1B"
    " VATEX-EU-132-1C VATEX-EU-132-1D VATEX-EU-132-1E VATEX-EU-132-1F"
    " VATEX-EU-132-1G VATEX-EU-132-1H VATEX-EU-132-1I VATEX-EU-132-1J"
    " VATEX-EU-132-1K VATEX-EU-132-1L VATEX-EU-132-1M VATEX-EU-132-1N"
    " VATEX-EU-132-1O VATEX-EU-132-1P VATEX-EU-132-1Q VATEX-EU-135-1"
    " VATEX-EU-143 VATEX-EU-143-1A VATEX-EU-143-1B VATEX-EU-143-1C"
    " VATEX-EU-143-1D VATEX-EU-143-1E VATEX-EU-143-1F VATEX-EU-143-1FA"
    " VATEX-EU-143-1G VATEX-EU-143-1H VATEX-EU-143-1I VATEX-EU-143-1J"
    " VATEX-EU-143-1K VATEX-EU-143-1L VATEX-EU-144 VATEX-EU-146-1E"
    " VATEX-EU-159 VATEX-EU-309 VATEX-EU-148 VATEX-EU-148-A"
    " VATEX-EU-148-B VATEX-EU-148-C VATEX-EU-148-D VATEX-EU-148-E"
    " VATEX-EU-148-F VATEX-EU-148-G VATEX-EU-151 VATEX-EU-151-1A"
    " VATEX-EU-151-1AA VATEX-EU-151-1B VATEX-EU-151-1C VATEX-EU-151-1D"
    " VATEX-EU-151-1E VATEX-EU-G VATEX-EU-O VATEX-EU-IC VATEX-EU-AE"
    " VATEX-EU-D VATEX-EU-F VATEX-EU-I VATEX-EU-J VATEX-FR-FRANCHISE"
    " VATEX-FR-CNWVAT VATEX-EU-153 VATEX-FR-CGI261-1 VATEX-FR-CGI261-2"
    " VATEX-FR-CGI261-3 VATEX-FR-CGI261-4 VATEX-FR-CGI261-5"
    " VATEX-FR-CGI261-7 VATEX-FR-CGI261-8 VATEX-FR-CGI261A"
    " VATEX-FR-CGI261B VATEX-FR-CGI261C-1 VATEX-FR-CGI261C-2"
    " VATEX-FR-CGI261C-3 VATEX-FR-CGI261D-1 VATEX-FR-CGI261D-1BIS"
    " VATEX-FR-CGI261D-2 VATEX-FR-CGI261D-3 VATEX-FR-CGI261D-4"
    " VATEX-FR-CGI261E-1 VATEX-FR-CGI261E-2 VATEX-FR-CGI277A"
    " VATEX-FR-CGI275 VATEX-FR-298SEXDECIESA VATEX-FR-CGI295"
    " VATEX-FR-AE ";

static const char eas[] =
    " 0002 0007 0009 0037 0060 0088 0096 0097 0106 0130 0135 0142 0147"
    " 0151 0154 0158 0170 0177 0183 0184 0188 0190 0191 0192 0193 0194"
    " 0195 0196 0198 0199 0200 0201 0202 0203 0204 0205 0208 0209 0210"
    " 0211 0212 0213 0215 0216 0217 0218 0219 0220 0221 0225 0230 0235"
    " 0240 0244 9910 9913 9914 9915 9918 9919 9920 9922 9923 9924 9925"
    " 9926 9927 9928 9929 9930 9931 9932 9933 9934 9935 9936 9937 9938"
    " 9939 9940 9941 9942 9943 9944 9945 9946 9947 9948 9949 9950 9951"
    " 9952 9953 9957 9959 AN AQ AS AU EM ";

/* Units a shop sells in: one, piece, set, pair, pack, mass, volume... */
static const char units[] =
    " C62 H87 EA XPP SET PR XBX XPK LS KGM GRM TNE LTR MLT MTQ MTR CMT"
    " MTK KWH HUR MIN DAY WEE MON ANN ";

/* 1 when the trimmed code is one of the space-separated list's words. */
static int
in_list(const char *list, const char *code)
{
	char norm[64], key[68];
	size_t n;

	if (code == NULL)
		return 0;
	einv_norm(code, norm, sizeof(norm));
	if (norm[0] == '\0' || strchr(norm, ' ') != NULL)
		return 0;
	/* " norm ", built by hand: snprintf cost more than the search. */
	n = strlen(norm);
	key[0] = ' ';
	memcpy(key + 1, norm, n);
	key[n + 1] = ' ';
	key[n + 2] = '\0';
	return strstr(list, key) != NULL;
}

int
einv_code_country(const char *code)
{
	return in_list(countries, code);
}

int
einv_code_vat_category(const char *code)
{
	return in_list(vat_categories, code);
}

static int
currency_ok(const char *code)
{
	char norm[8];

	einv_norm(code, norm, sizeof(norm));
	return currency_exponent(norm) >= 0;
}

static void
list_check(struct einv_ctx *c, const char *rule, int fatal,
    const char *list, const struct einv_val *v, const char *what)
{
	if (v->s != NULL && !in_list(list, v->s))
		einv_report(c, rule, fatal, v->node,
		    "%s \"%s\" is not in the code list", what, v->s);
}

static void
rules_header_codes(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	const struct einv_party *p[] = {
		&inv->seller, &inv->buyer, &inv->taxrep, &inv->deliver_to
	};
	size_t i;

	if (inv->type_code.s != NULL && !(UBL(c) ? in_list(inv->credit_note ?
	    credit_types : invoice_types, inv->type_code.s) :
	    (in_list(invoice_types, inv->type_code.s) ||
	    in_list(credit_types, inv->type_code.s))))
		einv_report(c, "BR-CL-01", EINV_FATAL, inv->type_code.node,
		    "the document type code (BT-3) \"%s\" is not in UNTDID "
		    "1001", inv->type_code.s);
	if (inv->currency.s != NULL && !currency_ok(inv->currency.s))
		einv_report(c, "BR-CL-04", EINV_FATAL, inv->currency.node,
		    "the invoice currency (BT-5) \"%s\" is not an ISO 4217 "
		    "code", inv->currency.s);
	if (inv->tax_currency.s != NULL && !currency_ok(inv->tax_currency.s))
		einv_report(c, "BR-CL-05", EINV_FATAL, inv->tax_currency.node,
		    "the VAT accounting currency (BT-6) \"%s\" is not an ISO "
		    "4217 code", inv->tax_currency.s);
	for (i = 0; i < sizeof(p) / sizeof(p[0]); i++)
		list_check(c, "BR-CL-14", EINV_FATAL, countries,
		    &p[i]->country, "the country code");
	for (i = 0; i < 2; i++) {
		struct einv_val scheme = p[i]->endpoint_scheme;

		scheme.node = p[i]->endpoint.node;
		list_check(c, "BR-CL-25", EINV_FATAL, eas, &scheme,
		    "the electronic address scheme");
	}
	for (i = 0; i < inv->n_pm; i++)
		list_check(c, "BR-CL-16", EINV_FATAL, payment_means,
		    &inv->pm[i].code, "the payment means code (BT-81)");
}

static void
category_codes(struct einv_ctx *c, const struct einv_cat *cat,
    const char *rule)
{
	list_check(c, rule, EINV_FATAL, vat_categories, &cat->code,
	    "the VAT category code");
	list_check(c, "BR-CL-22", EINV_FATAL, vatex, &cat->reason_code,
	    "the exemption reason code");
}

static void
unit_check(struct einv_ctx *c, const struct einv_num *q)
{
	if (q->unit != NULL && !in_list(units, q->unit))
		einv_report(c, "BR-CL-23", EINV_WARN, q->node,
		    "unit of measure \"%s\" is not one kontor knows (C62, "
		    "H87, KGM, LTR, MTR and the like); check it against "
		    "UN/ECE Rec. 20", q->unit);
}

static void
rules_category_codes(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i;

	for (i = 0; i < inv->n_ac; i++)
		category_codes(c, &inv->ac[i].cat, "BR-CL-17");
	for (i = 0; i < inv->n_vat; i++)
		category_codes(c, &inv->vat[i].cat, UBL(c) ? "BR-CL-17" :
		    "BR-CL-18");
	for (i = 0; i < inv->n_line; i++) {
		category_codes(c, &inv->line[i].cat, "BR-CL-18");
		unit_check(c, &inv->line[i].qty);
		unit_check(c, &inv->line[i].base_qty);
	}
}

/* Visiting every number of the model, with its BR-DEC rule if any. */

typedef void (*num_fn)(struct einv_ctx *c, const char *dec,
    const struct einv_num *n);

static void
visit_ac(struct einv_ctx *c, const struct einv_ac *ac, int doc, num_fn fn)
{
	static const char *const ids[2][2][2] = {
		{{"BR-DEC-24", "BR-DEC-25"}, {"BR-DEC-27", "BR-DEC-28"}},
		{{"BR-DEC-01", "BR-DEC-02"}, {"BR-DEC-05", "BR-DEC-06"}},
	};
	int k = ac->charge == 1;

	fn(c, ac->charge < 0 ? NULL : ids[doc][k][0], &ac->amount);
	fn(c, ac->charge < 0 ? NULL : ids[doc][k][1], &ac->base);
	fn(c, NULL, &ac->percent);
	fn(c, NULL, &ac->cat.rate);
}

static void
visit_line(struct einv_ctx *c, const struct einv_line *l, num_fn fn)
{
	size_t i;

	fn(c, NULL, &l->qty);
	fn(c, "BR-DEC-23", &l->net);
	fn(c, NULL, &l->price);
	fn(c, NULL, &l->base_qty);
	fn(c, NULL, &l->gross);
	fn(c, NULL, &l->discount);
	fn(c, NULL, &l->cat.rate);
	for (i = 0; i < l->n_ac; i++)
		visit_ac(c, &l->ac[i], 0, fn);
}

static void
visit_numbers(struct einv_ctx *c, num_fn fn)
{
	const struct einvoice *inv = c->inv;
	size_t i;

	fn(c, "BR-DEC-09", &inv->line_total);
	fn(c, "BR-DEC-10", &inv->allowance_total);
	fn(c, "BR-DEC-11", &inv->charge_total);
	fn(c, "BR-DEC-12", &inv->tax_exclusive);
	fn(c, "BR-DEC-14", &inv->tax_inclusive);
	fn(c, "BR-DEC-16", &inv->prepaid);
	fn(c, "BR-DEC-17", &inv->rounding);
	fn(c, "BR-DEC-18", &inv->payable);
	for (i = 0; i < inv->n_taxtotal; i++) {
		const struct einv_num *n = &inv->taxtotal[i].amount;
		const char *cur = n->currency ? n->currency : "";

		fn(c, einv_is(inv->currency.s, cur) ? "BR-DEC-13" :
		    einv_is(inv->tax_currency.s, cur) ? "BR-DEC-15" : NULL, n);
	}
	for (i = 0; i < inv->n_vat; i++) {
		fn(c, "BR-DEC-19", &inv->vat[i].taxable);
		fn(c, "BR-DEC-20", &inv->vat[i].tax);
		fn(c, NULL, &inv->vat[i].cat.rate);
	}
	for (i = 0; i < inv->n_ac; i++)
		visit_ac(c, &inv->ac[i], 1, fn);
	for (i = 0; i < inv->n_line; i++)
		visit_line(c, &inv->line[i], fn);
}

static void
check_number(struct einv_ctx *c, const char *dec, const struct einv_num *n)
{
	if (n->s == NULL)
		return;
	if (!n->ok)
		einv_report(c, "KONTOR-DECIMAL", EINV_FATAL, n->node,
		    "expected a decimal number like \"12.50\" (at most %d "
		    "digits before the point), got \"%s\"",
		    EINV_INT_DIGITS_MAX, n->s);
	if (dec != NULL && n->decimals > 2)
		einv_report(c, dec, EINV_FATAL, n->node,
		    "expected an amount with at most 2 decimals, got \"%s\"",
		    n->s);
	if (dec != NULL && n->decimals > 2 && UBL(c))
		einv_report(c, "UBL-DT-01", EINV_FATAL, n->node,
		    "expected an amount with at most 2 decimals, got \"%s\"",
		    n->s);
	if (n->currency != NULL && !currency_ok(n->currency))
		einv_report(c, "BR-CL-03", EINV_FATAL, n->node,
		    "the currency \"%s\" of an amount is not an ISO 4217 "
		    "code", n->currency);
}

/* A date as its syntax writes it: UBL 2026-10-06, CII 20261006. */
static int
date_ok(const char *s, int ubl)
{
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	char d[16];
	int y, m, dd, n = 0;

	einv_norm(s, d, sizeof(d));
	if (strlen(d) != (ubl ? 10u : 8u))
		return 0;
	if (ubl ? sscanf(d, "%4d-%2d-%2d%n", &y, &m, &dd, &n) != 3 :
	    sscanf(d, "%4d%2d%2d%n", &y, &m, &dd, &n) != 3)
		return 0;
	if (strspn(d, ubl ? "0123456789-" : "0123456789") != strlen(d) ||
	    n != (int)strlen(d))
		return 0;
	if (m < 1 || m > 12 || dd < 1 || dd > days[m - 1])
		return 0;
	return !(m == 2 && dd == 29 && (y % 4 != 0 ||
	    (y % 100 == 0 && y % 400 != 0)));
}

static void
check_date(struct einv_ctx *c, const struct einv_val *v, const char *what)
{
	if (v->s != NULL && !einv_blank(v->s) && !date_ok(v->s, UBL(c)))
		einv_report(c, "KONTOR-DATE", EINV_FATAL, v->node,
		    "expected %s as %s, got \"%s\"", what,
		    UBL(c) ? "YYYY-MM-DD" : "YYYYMMDD", v->s);
}

static void
rules_dates(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i;

	check_date(c, &inv->issue_date, "the issue date (BT-2)");
	check_date(c, &inv->tax_point_date, "the VAT point date (BT-7)");
	check_date(c, &inv->due_date, "the due date (BT-9)");
	check_date(c, &inv->delivery_date, "the delivery date (BT-72)");
	check_date(c, &inv->period_start, "the period start (BT-73)");
	check_date(c, &inv->period_end, "the period end (BT-74)");
	for (i = 0; i < inv->n_ref; i++)
		check_date(c, &inv->ref[i].date,
		    "the preceding invoice's date (BT-26)");
	for (i = 0; i < inv->n_line; i++) {
		check_date(c, &inv->line[i].period_start,
		    "the line period start (BT-134)");
		check_date(c, &inv->line[i].period_end,
		    "the line period end (BT-135)");
	}
}

void
einv_rules_codes(struct einv_ctx *c)
{
	rules_header_codes(c);
	rules_category_codes(c);
	visit_numbers(c, check_number);
	rules_dates(c);
}

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "billing.h"
#include "dec.h"
#include "fxinvoice.h"
#include "ktime.h"

#define LINES_MAX	10000	/* lines in one order */

int
billing_supply_date(const struct order *o, char out[KTIME_DATE_MAX],
    struct kerr *e)
{
	const char *when = o->shipped_at;
	const char *field = "shipped_at";
	time_t t;

	if (when == NULL || when[0] == '\0') {
		when = o->paid_at;
		field = "paid_at";
	}
	if (when == NULL || when[0] == '\0') {
		when = o->created_at;
		field = "created_at";
	}
	if (when == NULL || ktime_parse(when, &t) != KR_OK)
		return kerr_set(e, KR_BAD_INPUT, field,
		    "expected a time like \"2026-10-12T16:40:05Z\", "
		    "got \"%s\"", when ? when : "");
	ktime_local_date(t, out);
	return KR_OK;
}

/*
 * German VAT rates on a date of supply (tax.md §2): 19, 7 and 0 %; in
 * the second half of 2020 the temporary 16 and 5 %.
 */
static int
german_rate(int64_t rate_bp, const char *date)
{
	if (rate_bp == 0)
		return 1;
	if (strcmp(date, "2020-07-01") >= 0 && strcmp(date, "2020-12-31") <= 0)
		return rate_bp == 1600 || rate_bp == 500;
	return rate_bp == 1900 || rate_bp == 700;
}

static const char *
ship_to(const struct order *o)
{
	if (o->shipping_addr.country[0] != '\0')
		return o->shipping_addr.country;
	return o->billing.country;
}

/*
 * tax.md §1: kontor supports, for now, sales taxable in Germany: goods
 * shipped to a German address.  Everything else is refused by name, never
 * taxed as domestic.
 */
static int
decide_treatment(const struct order *o, const char *supply,
    struct invoice *inv, struct line_tax *lt, struct kerr *e)
{
	const char *country = ship_to(o);
	char rate[DEC_BUFSZ], field[48];
	size_t i;

	if (country[0] == '\0')
		return kerr_set(e, KR_BAD_INPUT, "shipping.country",
		    "the order has neither a ship-to nor a billing country");
	if (strcmp(country, "DE") != 0)
		return kerr_set(e, KR_BAD_INPUT, "shipping.country",
		    "ship-to country %s: cross-border sales (OSS, intra-EU, "
		    "export) are not supported yet, so the order is not "
		    "invoiced", country);
	for (i = 0; i < o->nlines; i++) {
		int64_t r = o->lines[i].rate_bp;

		if (!german_rate(r, supply)) {
			snprintf(field, sizeof(field), "lines[%zu].tax_rate",
			    i);
			return kerr_set(e, KR_BAD_INPUT, field,
			    "%s %% is not a German VAT rate on %s (19, 7 or "
			    "0 %%)", dec_format_trim(r, RATE_SCALE, rate),
			    supply);
		}
		lt[i].rate_bp = r;
		strcpy(lt[i].category, r > 0 ? "S" : "Z");
	}
	inv->treatment = o->buyer_vat_id && o->buyer_vat_id[0] ?
	    "domestic-b2b" : "domestic";
	inv->treatment_reason = "ship-to DE, seller established in DE: "
	    "German VAT (tax.md §1 row 6)";
	return KR_OK;
}

static int
resolve_accounts(const struct config *c, struct invoice *inv,
    struct kerr *e)
{
	char key[48], rate[DEC_BUFSZ];
	size_t i;

	for (i = 0; i < inv->nvat; i++) {
		struct inv_vat *v = &inv->vat[i];

		snprintf(key, sizeof(key), "revenue.%s",
		    dec_format_trim(v->rate_bp, RATE_SCALE, rate));
		v->account = config_account(c, key, inv->issue_date);
		v->tax_key = "";
		if (v->account == NULL)
			return kerr_set(e, KR_CONFIG, "vat",
			    "no revenue account for %s %% on %s in the tenant "
			    "configuration (accounts.%s)", rate,
			    inv->issue_date, key);
	}
	inv->debitor = c->debitor;
	if (inv->rounding_minor == 0)
		return KR_OK;
	inv->rounding_account = config_account(c, "rounding",
	    inv->issue_date);
	if (inv->rounding_account == NULL)
		return kerr_set(e, KR_CONFIG, "totals.rounding",
		    "the invoice has a rounding amount (the shop rounded its "
		    "tax per line) but no rounding account is configured "
		    "(accounts.rounding)");
	return KR_OK;
}

static void
fill_seller(const struct config *c, struct inv_party *p)
{
	p->name = c->seller_name;
	p->addr.street = c->seller_street;
	p->addr.postcode = c->seller_postcode;
	p->addr.city = c->seller_city;
	snprintf(p->addr.country, sizeof(p->addr.country), "%s",
	    c->seller_country);
	p->vat_id = c->seller_vat_id;
	p->tax_number = c->seller_tax_number;
	p->register_id = c->seller_register_id;
	p->contact_name = c->contact_name;
	p->contact_phone = c->contact_phone;
	p->contact_email = c->contact_email;
	p->endpoint = c->endpoint;
	p->endpoint_scheme = c->endpoint ? c->endpoint_scheme : NULL;
}

static void
fill_buyer(const struct order *o, struct invoice *inv)
{
	struct inv_party *p = &inv->buyer;
	const struct address *b = &o->billing;

	if (b->country[0] == '\0')
		b = &o->shipping_addr;
	p->addr = *b;
	p->addr.name = NULL;
	p->addr.company = NULL;
	p->company = b->company && b->company[0] ? b->company : NULL;
	p->name = p->company ? p->company : b->name;
	if (p->name == NULL || p->name[0] == '\0')
		p->name = o->buyer_email ? o->buyer_email : "Kunde";
	p->vat_id = o->buyer_vat_id && o->buyer_vat_id[0] ?
	    o->buyer_vat_id : NULL;
	p->endpoint = o->buyer_email;
	p->endpoint_scheme = o->buyer_email ? "EM" : NULL;

	inv->delivery = o->shipping_addr.country[0] ? o->shipping_addr :
	    o->billing;
	inv->buyer_reference = o->buyer_reference && o->buyer_reference[0] ?
	    o->buyer_reference : o->order_number;
}

const char *
billing_payment_means(const char *gateway)
{
	static const char *const transfer[] = {
		"bacs", "bank_transfer", "banktransfer", "vorkasse",
		"prepayment", "invoice", "rechnung", NULL
	};
	size_t i;

	if (gateway == NULL)
		return "ZZZ";
	for (i = 0; transfer[i] != NULL; i++)
		if (strcasecmp(gateway, transfer[i]) == 0)
			return "58";
	/* Cards, PayPal, Klarna and the like were settled online. */
	return "68";
}

static void
fill_payment(const struct config *c, const struct order *o,
    struct invoice *inv)
{
	inv->pay_means = billing_payment_means(o->pay_gateway);
	inv->pay_gateway = o->pay_gateway;
	inv->pay_transaction = o->pay_transaction;
	inv->pay_terms = c->terms_paid;
	if (strcmp(inv->pay_means, "58") == 0)
		inv->pay_iban = c->iban;
}

static void
fill_head(const struct run *r, const struct order *o, struct invoice *inv)
{
	inv->source_file = o->source_file;
	inv->source_line = o->source_line;
	inv->run_id = invoice_strdup(inv, r->id);
	inv->doc_type = "380";
	inv->issue_date = invoice_strdup(inv, r->date);
	inv->shop = o->shop;
	inv->platform = o->platform;
	inv->order_id = o->order_id;
	inv->order_number = o->order_number;
}

/* Characters of a UTF-8 string (not bytes). */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if ((*s & 0xC0) != 0x80)
			n++;
	return n;
}

/*
 * What the bookings of the invoice need from DATEV (datev.md §3): the
 * order number goes into Auftragsnummer (30 characters) and after the
 * shop's name (at most 30, config.c) into the Buchungstext (60), and an
 * amount has at most ten integer digits.  Checked here, before the
 * number is drawn, so that no numbered invoice gets stuck undeliverable.
 */
static int
check_booking_limits(const struct invoice *inv, struct kerr *e)
{
	int64_t max = dec_pow10(10 + inv->exponent);
	char b[DEC_BUFSZ], r[DEC_BUFSZ];
	size_t i;

	if (utf8_chars(inv->order_number) > 29)
		return kerr_set(e, KR_BAD_INPUT, "order_number",
		    "order number \"%.40s\" is longer than the 29 characters "
		    "a DATEV booking text leaves for it", inv->order_number);
	for (i = 0; i < inv->nvat; i++)
		if (inv->vat[i].gross_minor >= max ||
		    inv->vat[i].gross_minor <= -max)
			return kerr_set(e, KR_BAD_INPUT, "totals.gross",
			    "%s %s at %s %% is more than DATEV books in one "
			    "amount (ten integer digits)",
			    dec_format(inv->vat[i].gross_minor, inv->exponent,
			    b), inv->currency, dec_format_trim(
			    inv->vat[i].rate_bp, RATE_SCALE, r));
	return KR_OK;
}

int
billing_make(const struct config *c, const struct run *r,
    const struct order *o, struct invoice *inv, struct tax_notes *notes,
    struct kerr *e)
{
	struct line_tax lt_small[32], *lt = lt_small;
	char supply[KTIME_DATE_MAX];
	int rc;

	invoice_reset(inv);
	if (o->deemed_supplier)
		return kerr_set(e, KR_BAD_INPUT, "deemed_supplier",
		    "the marketplace collected the VAT as deemed supplier "
		    "(tax.md §9): not supported yet");
	if (o->nlines > LINES_MAX)
		return kerr_set(e, KR_BAD_INPUT, "lines",
		    "more than %d lines in one order", LINES_MAX);
	if (o->nlines > sizeof(lt_small) / sizeof(lt_small[0]))
		lt = arena_alloc(inv->arena, o->nlines * sizeof(*lt));
	if (lt == NULL)
		KBUG("invoice arena exhausted");

	fill_head(r, o, inv);
	if ((rc = billing_supply_date(o, supply, e)) != KR_OK ||
	    (rc = decide_treatment(o, supply, inv, lt, e)) != KR_OK ||
	    (rc = taxcalc_run(o, lt, inv, notes, e)) != KR_OK)
		return rc;
	inv->supply_date = invoice_strdup(inv, supply);
	if ((rc = resolve_accounts(c, inv, e)) != KR_OK ||
	    (rc = check_booking_limits(inv, e)) != KR_OK)
		return rc;

	fill_seller(c, &inv->seller);
	fill_buyer(o, inv);
	fill_payment(c, o, inv);
	return fxinvoice_apply(c, NULL, inv, e);
}

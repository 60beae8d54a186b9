#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "billing_int.h"
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

/*
 * The code of the EN 16931 country list (ISO 3166-1 with 1A and XI) for
 * the codes of VAT and customs that shops use in addresses (Greece's VAT
 * prefix EL, the United Kingdom as UK, the Canary Islands IC and Ceuta
 * and Melilla EA as Spain), which an e-invoice's address may not carry
 * (BR-CL-14).  Kosovo has no ISO code; shops write the user-assigned XK,
 * and the list has 1A for it.  The treatment has been decided from the
 * code as given.
 */
static void
iso_country(char cc[3])
{
	static const char *const map[][2] = {
		{"EL", "GR"}, {"UK", "GB"}, {"IC", "ES"}, {"EA", "ES"},
		{"XK", "1A"},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(cc, map[i][0]) == 0) {
			memcpy(cc, map[i][1], 3);
			return;
		}
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
	iso_country(p->addr.country);
	iso_country(inv->delivery.country);
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

void
billing_init(struct billing *b, const struct config *c, const struct run *r,
    const char *tenant_dir, struct state *st)
{
	memset(b, 0, sizeof(*b));
	b->cfg = c;
	b->run = r;
	b->tenant_dir = tenant_dir;
	b->st = st;
}

void
billing_release(struct billing *b)
{
	vatrates_free(b->rates);
	b->rates = NULL;
	vies_release(&b->vies);
}

static int
make_once(struct billing *b, const struct order *o, struct invoice *inv,
    struct tax_notes *notes, int force, struct treat *t, struct kerr *e)
{
	struct line_tax lt_small[32], *lt = lt_small;
	char supply[KTIME_DATE_MAX];
	int rc;

	invoice_reset(inv);
	if (o->exponent > 2)
		return kerr_set(e, KR_BAD_INPUT, "currency", "amounts in %s "
		    "have %d decimals; neither a DATEV booking nor an EN "
		    "16931 invoice holds more than two", o->currency,
		    o->exponent);
	if (o->nlines > LINES_MAX)
		return kerr_set(e, KR_BAD_INPUT, "lines",
		    "more than %d lines in one order", LINES_MAX);
	if (o->nlines > sizeof(lt_small) / sizeof(lt_small[0]))
		lt = arena_alloc(inv->arena, o->nlines * sizeof(*lt));
	if (lt == NULL)
		KBUG("invoice arena exhausted");

	fill_head(b->run, o, inv);
	if ((rc = billing_supply_date(o, supply, e)) != KR_OK ||
	    (rc = treat_decide(b, o, supply, force, t, inv, notes, e)) !=
	    KR_OK ||
	    (rc = treat_rates(b, o, supply, t, lt, notes, e)) != KR_OK ||
	    (rc = taxcalc_run(o, lt, inv, notes, e)) != KR_OK)
		return rc;
	inv->supply_date = invoice_strdup(inv, supply);
	if ((rc = treat_finish(b, o, t, inv, notes, e)) != KR_OK ||
	    (rc = check_booking_limits(inv, e)) != KR_OK)
		return rc;

	fill_seller(b->cfg, &inv->seller);
	fill_buyer(o, inv);
	if (t->kind == TREAT_INTRA_EU)
		inv->buyer.vat_id = invoice_strdup(inv, t->vid.id);
	fill_payment(b->cfg, o, inv);
	return fxinvoice_apply(b->cfg, b->tenant_dir, inv, e);
}

/*
 * What a distance sale adds to the threshold: its net in EUR cents,
 * from the EUR figures of its conversion when it is in another
 * currency.
 */
static int64_t
sale_eur(const struct invoice *inv)
{
	int64_t net = 0;
	size_t i;

	if (!inv->has_fx)
		return inv->net_minor;
	for (i = 0; i < inv->nvat; i++)
		net += inv->vat[i].gross_eur_minor;
	return net - inv->vat_eur_minor;
}

/* Forgets the notes added since the mark. */
static void
notes_rewind(struct tax_notes *notes, size_t len, int n)
{
	if (notes == NULL)
		return;
	notes->text.len = len;
	if (notes->text.data != NULL)
		notes->text.data[len] = '\0';
	notes->n = n;
}

/*
 * The EU threshold (tax.md §5): a sale that only its own amount puts
 * over it is decided again, as taxed where the goods go.
 */
static int
eu_threshold(struct billing *b, const struct order *o, struct invoice *inv,
    struct tax_notes *notes, int *force, struct treat *t, struct kerr *e)
{
	size_t mark_len = notes ? notes->text.len : 0;
	int mark_n = notes ? notes->n : 0;
	int year = atoi(inv->supply_date), over = 0, rc;

	if (t->threshold_open || b->cfg->oss == OSS_BELOW) {
		rc = distsales_over(&b->sales, year, sale_eur(inv), &over, e);
		if (rc != KR_OK)
			return rc;
	}
	if (t->threshold_open && over) {
		notes_rewind(notes, mark_len, mark_n);
		*force |= TREAT_FORCE_OSS;
		if ((rc = make_once(b, o, inv, notes, *force, t, e)) != KR_OK)
			return rc;
	}
	if (b->cfg->oss == OSS_BELOW && over && !b->warned_threshold) {
		b->warned_threshold = 1;
		tax_notes_add(notes, "order %s takes the EU distance sales of "
		    "%d over 10,000 EUR: German VAT on sales to consumers in "
		    "other EU states is no longer right; set [tax] oss to "
		    "threshold or registered (tax.md §5)", o->order_number,
		    year);
	}
	return KR_OK;
}

/* Says once per run that § 19 no longer applies, and why. */
static void
small_over_note(struct billing *b, const struct order *o,
    struct tax_notes *notes, int year, int64_t prev)
{
	if (b->warned_small == 2)
		return;
	b->warned_small = 2;
	tax_notes_add(notes, "order %s: the turnover of %d %s: the small "
	    "business's exemption does not apply, this sale and the later "
	    "ones are taxed normally (§ 19 UStG, tax.md §4); set [tax] "
	    "small_business = no", o->order_number,
	    prev > SMALL_PREV_LIMIT ? year - 1 : year,
	    prev > SMALL_PREV_LIMIT ? "was over 25,000 EUR" :
	    "is over 100,000 EUR");
}

/*
 * The limits of a small business (tax.md §4): over 25,000 EUR of
 * turnover in the previous year, or over 100,000 EUR in this one with
 * the sale, and the sale is taxed normally; 90 % of the way there, a
 * warning.  Once per run each.
 */
static int
small_limits(struct billing *b, const struct order *o, struct invoice *inv,
    struct tax_notes *notes, int *force, struct treat *t, struct kerr *e)
{
	size_t mark_len = notes ? notes->text.len : 0;
	int mark_n = notes ? notes->n : 0;
	int year = atoi(inv->supply_date), over, rc;
	int64_t prev, cur, sale = sale_eur(inv);

	if ((rc = distsales_over(&b->turnover, year, sale, &over, e)) !=
	    KR_OK ||
	    (rc = distsales_total(&b->turnover, year - 1, &prev, e)) !=
	    KR_OK ||
	    (rc = distsales_total(&b->turnover, year, &cur, e)) != KR_OK)
		return rc;
	if (!over) {
		if (cur + sale > SMALL_LIMIT / 10 * 9 && !b->warned_small) {
			b->warned_small = 1;
			tax_notes_add(notes, "order %s takes the turnover of "
			    "%d over 90,000 EUR: the small business's "
			    "exemption ends with the sale that crosses "
			    "100,000 EUR (§ 19 UStG, tax.md §4)",
			    o->order_number, year);
		}
		return KR_OK;
	}
	notes_rewind(notes, mark_len, mark_n);
	*force |= TREAT_FORCE_REGULAR;
	small_over_note(b, o, notes, year, prev);
	return make_once(b, o, inv, notes, *force, t, e);
}

/* The yearly totals, set up on the first use of the run. */
static void
sales_ready(struct billing *b)
{
	if (b->sales_ready)
		return;
	distsales_init(&b->sales, DISTSALES_EU, b->st, b->cfg->oss_prior_eur,
	    b->run->date);
	distsales_init(&b->turnover, DISTSALES_TURNOVER, b->st, 0,
	    b->run->date);
	b->sales_ready = 1;
}

static int
small_over_already(struct billing *b, const struct order *o,
    struct tax_notes *notes, int *force, struct kerr *e)
{
	char supply[KTIME_DATE_MAX];
	int64_t prev = 0;
	int year, over = 0, rc;

	if ((rc = billing_supply_date(o, supply, e)) != KR_OK)
		return rc;
	year = atoi(supply);
	if ((rc = distsales_over(&b->turnover, year, 0, &over, e)) !=
	    KR_OK ||
	    (rc = distsales_total(&b->turnover, year - 1, &prev, e)) !=
	    KR_OK)
		return rc;
	if (over) {
		*force |= TREAT_FORCE_REGULAR;
		small_over_note(b, o, notes, year, prev);
	}
	return KR_OK;
}

static int
small_crossing(struct billing *b, const struct order *o,
    struct invoice *inv, struct tax_notes *notes, int *force,
    struct kerr *e)
{
	size_t mark_len = notes ? notes->text.len : 0;
	int mark_n = notes ? notes->n : 0;
	int64_t prev = 0;
	int year = 0, over = 0, rc;
	struct treat t;
	struct kerr le;

	kerr_clear(&le);
	if (make_once(b, o, inv, notes, *force | TREAT_FORCE_REGULAR, &t,
	    &le) == KR_OK) {
		year = atoi(inv->supply_date);
		if ((rc = distsales_over(&b->turnover, year, sale_eur(inv),
		    &over, e)) != KR_OK ||
		    (rc = distsales_total(&b->turnover, year - 1, &prev, e)) !=
		    KR_OK)
			return rc;
	}
	notes_rewind(notes, mark_len, mark_n);
	if (over) {
		*force |= TREAT_FORCE_REGULAR;
		small_over_note(b, o, notes, year, prev);
	}
	return KR_OK;
}

int
billing_make(struct billing *b, const struct order *o, struct invoice *inv,
    struct tax_notes *notes, struct kerr *e)
{
	int force = 0, rc;
	struct treat t;

	sales_ready(b);
	/* Already over the limits of § 19: taxed normally from the start. */
	if (b->cfg->small_business &&
	    (rc = small_over_already(b, o, notes, &force, e)) != KR_OK)
		return rc;
	/*
	 * A small business's shop that charged VAT: right only for the
	 * sale that crosses the limit, which only its own amount tells.
	 */
	if (b->cfg->small_business && !(force & TREAT_FORCE_REGULAR) &&
	    treat_charges_vat(o) &&
	    (rc = small_crossing(b, o, inv, notes, &force, e)) != KR_OK)
		return rc;
	if ((rc = make_once(b, o, inv, notes, force, &t, e)) != KR_OK)
		return rc;
	if (t.distance_sale &&
	    (rc = eu_threshold(b, o, inv, notes, &force, &t, e)) != KR_OK)
		return rc;
	if (t.kind == TREAT_SMALL &&
	    (rc = small_limits(b, o, inv, notes, &force, &t, e)) != KR_OK)
		return rc;

	return billing_count(b, inv, e);
}

int
billing_count(struct billing *b, const struct invoice *inv, struct kerr *e)
{
	const char *t = inv->treatment ? inv->treatment : "";
	int64_t sale = sale_eur(inv);
	int year, rc;

	if (inv->supply_date == NULL)
		return KR_OK;
	sales_ready(b);
	year = atoi(inv->supply_date);
	if (inv->doc_type != NULL && strcmp(inv->doc_type, "381") == 0)
		sale = -sale;
	if ((strcmp(t, "oss") == 0 || strcmp(t, "eu-consumer-de") == 0) &&
	    (rc = distsales_add(&b->sales, year, sale, e)) != KR_OK)
		return rc;
	if (b->cfg->small_business && strcmp(t, "oss") != 0 &&
	    strcmp(t, "deemed-supplier") != 0)
		return distsales_add(&b->turnover, year, sale, e);
	return KR_OK;
}

/*
 * The tax treatment of an order (tax.md §1), the rates of its lines
 * under that treatment, and the accounts its VAT parts are booked on.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing_int.h"
#include "dec.h"
#include "fs.h"

#ifndef KONTOR_DATADIR
#define KONTOR_DATADIR	"/usr/local/share/kontor"
#endif

/*
 * The legal texts: the note of the invoice (BT-22) and the exemption
 * reason of its VAT breakdown (BT-120) with its VATEX code (BT-121).
 */
#define NOTE_INTRA_EU	"Steuerfreie innergemeinschaftliche Lieferung " \
	"nach § 4 Nr. 1b in Verbindung mit § 6a UStG. " \
	"USt-IdNr. des Lieferers: %s, USt-IdNr. des Abnehmers: %s."
#define NOTE_EXPORT	"Steuerfreie Ausfuhrlieferung nach § 4 Nr. 1a " \
	"in Verbindung mit § 6 UStG."
#define NOTE_SMALL	"Umsatzsteuerfrei als Kleinunternehmer nach § 19 " \
	"UStG; die Rechnung weist daher keine Umsatzsteuer aus."
#define NOTE_DEEMED	"Lieferung an den Betreiber des Marktplatzes, der " \
	"als Lieferer nach § 3 Abs. 3a UStG die Umsatzsteuer gegenüber " \
	"dem Kunden schuldet."

static const struct {
	const char *category, *reason, *code, *account_key;
} exempt[] = {
	[TREAT_INTRA_EU] = {"K", "Steuerfreie innergemeinschaftliche "
	    "Lieferung (§ 4 Nr. 1b UStG)", "VATEX-EU-IC",
	    "revenue.intra_eu"},
	[TREAT_EXPORT] = {"G", "Steuerfreie Ausfuhrlieferung (§ 4 Nr. 1a "
	    "UStG)", "VATEX-EU-G", "revenue.export"},
	[TREAT_SMALL] = {"E", "Kleinunternehmer nach § 19 UStG", NULL,
	    "revenue.small_business"},
	[TREAT_DEEMED] = {"O", "Nicht im Inland steuerbar: die Umsatzsteuer "
	    "schuldet der Marktplatz (§ 3 Abs. 3a UStG)", "VATEX-EU-O",
	    "revenue.deemed_supplier"},
};

static int
is_exempt(enum treat_kind k)
{
	return k == TREAT_INTRA_EU || k == TREAT_EXPORT ||
	    k == TREAT_SMALL || k == TREAT_DEEMED;
}

/* The rate tables */

static int
rates_dir(const struct billing *b, char *out, size_t size, int *named)
{
	const char *given = b->cfg->vat_rates;
	const char *env = getenv("KONTOR_VAT_DATA");
	char self[PATH_MAX - 32];

	*named = 1;
	if (given != NULL && given[0] != '\0') {
		if (given[0] == '/' || b->tenant_dir == NULL)
			snprintf(out, size, "%s", given);
		else
			snprintf(out, size, "%s/%s", b->tenant_dir, given);
		return KR_OK;
	}
	if (env != NULL && env[0] != '\0') {
		snprintf(out, size, "%s", env);
		return KR_OK;
	}
	*named = 0;
	snprintf(out, size, "%s/vat", KONTOR_DATADIR);
	if (fs_is_dir(out))
		return KR_OK;
	fs_self_dir(self, sizeof(self));
	if (self[0] != '\0') {
		/* Run from the build folder of the source tree. */
		snprintf(out, size, "%s/../../data/vat", self);
		if (fs_is_dir(out))
			return KR_OK;
	}
	return KR_NOT_FOUND;
}

/* The EU VAT rates, read on first need and kept for the run. */
static int
rates(struct billing *b, const struct vatrates **out, struct kerr *e)
{
	char dir[PATH_MAX], where[KERR_TEXT_MAX];
	int named;

	if (!b->rates_tried) {
		b->rates_tried = 1;
		kerr_clear(&b->rates_err);
		if (rates_dir(b, dir, sizeof(dir), &named) != KR_OK)
			kerr_set(&b->rates_err, KR_CONFIG, "tax.vat_rates",
			    "the EU VAT rate tables are needed and were not "
			    "found: name their folder in [tax] vat_rates or "
			    "in KONTOR_VAT_DATA (docs/tax-data.md)");
		else
			vatrates_load(&b->rates, dir, &b->rates_err);
	}
	if (b->rates == NULL) {
		/*
		 * Said as the order's error, so that it names the order's
		 * file, and what failed in the table.  A table that cannot
		 * be read is the tenant's fault, whatever the reason, never
		 * the order's: the order waits for it (KR_CONFIG).
		 */
		kerr_format(&b->rates_err, where, sizeof(where));
		kerr_clear(e);
		return kerr_set(e, KR_CONFIG, "tax.vat_rates", "the "
		    "order's rates are looked up in the EU VAT rate tables, "
		    "which cannot be read: %.400s", where);
	}
	*out = b->rates;
	return KR_OK;
}

/* VIES confirmations */

/*
 * The confirmation the user recorded for the buyer's VAT id, if any,
 * into inv ([tax] vies).  A file that is named but cannot be read stops
 * the order: the evidence it holds must not be silently left out.
 */
static int
vies_note(struct billing *b, const struct treat *t, struct invoice *inv,
    struct kerr *e)
{
	const struct vies_entry *x;
	const char *given = b->cfg->vies;
	char path[PATH_MAX], where[KERR_TEXT_MAX];

	if (given == NULL || given[0] == '\0')
		return KR_OK;
	if (!b->vies_tried) {
		b->vies_tried = 1;
		kerr_clear(&b->vies_err);
		if (given[0] == '/' || b->tenant_dir == NULL)
			snprintf(path, sizeof(path), "%s", given);
		else
			snprintf(path, sizeof(path), "%s/%s", b->tenant_dir,
			    given);
		vies_load(&b->vies, path, &b->vies_err);
	}
	if (b->vies_err.code != KR_OK) {
		/* The order's error, naming the table's place, as rates(). */
		kerr_format(&b->vies_err, where, sizeof(where));
		kerr_clear(e);
		return kerr_set(e, KR_CONFIG, "tax.vies", "the buyer's VAT id "
		    "is looked up in the VIES confirmations, which cannot be "
		    "read: %.400s", where);
	}
	x = vies_find(&b->vies, t->vid.id, inv->issue_date);
	if (x == NULL)
		return KR_OK;
	inv->vies_number = invoice_strdup(inv, x->number);
	inv->vies_date = invoice_strdup(inv, x->date);
	return KR_OK;
}

/* German rates */

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

static int64_t
german_standard(const char *date)
{
	return german_rate(1600, date) ? 1600 : 1900;
}

static int64_t
german_reduced(const char *date)
{
	return german_rate(500, date) ? 500 : 700;
}

/* Deciding */

static const char *
kind_name(const struct treat *t, const struct order *o)
{
	switch (t->kind) {
	case TREAT_DOMESTIC:
		return o->buyer_vat_id && o->buyer_vat_id[0] ?
		    "domestic-b2b" : "domestic";
	case TREAT_EU_DE:
		return "eu-consumer-de";
	case TREAT_OSS:
		return "oss";
	case TREAT_INTRA_EU:
		return "intra-eu";
	case TREAT_EXPORT:
		return "export";
	case TREAT_SMALL:
		/* An EU consumer sale counts towards the threshold. */
		return t->distance_sale ? "eu-consumer-de" :
		    "small-business";
	case TREAT_DEEMED:
		return "deemed-supplier";
	}
	return "";
}

static const char *
vid_usable(const struct treat *t)
{
	if (!t->has_vid || (t->vid.status != VATID_CHECKSUM_VALID &&
	    t->vid.status != VATID_SYNTAX_ONLY))
		return NULL;
	return strcmp(t->vid.country, "DE") == 0 ? NULL : t->vid.id;
}

/* A consumer in another member state: OSS or German VAT (tax.md §5). */
static int
eu_consumer(struct billing *b, const char *supply, int force_oss,
    struct treat *t, char *why, size_t size, struct kerr *e)
{
	const char *cc = t->area.country;
	int year = atoi(supply), over = 0, rc;

	switch (b->cfg->oss) {
	case OSS_REGISTERED:
		t->kind = TREAT_OSS;
		snprintf(why, size, "consumer in %s, seller registered for "
		    "the One-Stop-Shop: VAT of %s (tax.md §5)", cc, cc);
		return KR_OK;
	case OSS_THRESHOLD:
		if (force_oss) {
			t->kind = TREAT_OSS;
			snprintf(why, size, "consumer in %s; this sale takes "
			    "the EU distance sales of %d over 10,000 EUR: VAT "
			    "of %s (tax.md §5)", cc, year, cc);
			return KR_OK;
		}
		rc = distsales_over(&b->sales, year, 0, &over, e);
		if (rc != KR_OK)
			return rc;
		if (over) {
			t->kind = TREAT_OSS;
			snprintf(why, size, "consumer in %s; EU distance "
			    "sales of %d or %d over 10,000 EUR: VAT of %s "
			    "(tax.md §5)", cc, year - 1, year, cc);
			return KR_OK;
		}
		t->threshold_open = 1;
		break;
	case OSS_BELOW:
		rc = distsales_over(&b->sales, year, 0, &over, e);
		if (rc != KR_OK)
			return rc;
		break;
	}
	t->kind = TREAT_EU_DE;
	if (over)
		snprintf(why, size, "consumer in %s; EU distance sales of %d "
		    "or %d over 10,000 EUR, but [tax] oss = below keeps "
		    "German VAT (tax.md §5)", cc, year - 1, year);
	else
		snprintf(why, size, "consumer in %s; EU distance sales at or "
		    "below 10,000 EUR: German VAT (tax.md §5)", cc);
	return KR_OK;
}

/*
 * Goods must leave from Germany (tax.md §1), except where the
 * marketplace is the deemed supplier: then they come from a third
 * country (§9 case b).
 */
static int
check_ship_from(const struct order *o, struct kerr *e)
{
	struct vatarea from;
	struct kerr le;

	if (o->deemed_supplier && o->ship_from[0] != '\0') {
		kerr_clear(&le);
		if (vatarea_classify(o->ship_from, NULL, &from, &le) ==
		    KR_OK && from.kind == VATAREA_THIRD)
			return KR_OK;
	}
	if (o->ship_from[0] != '\0' && strcmp(o->ship_from, "DE") != 0)
		return kerr_set(e, KR_BAD_INPUT, "ship_from", "the goods were "
		    "sent from %s: a sale from stock in another state is "
		    "taxed there and needs a registration there (tax.md §1), "
		    "which kontor does not cover, so the order is not "
		    "invoiced", o->ship_from);
	return KR_OK;
}

/*
 * Goods of at most 135 GBP sent to Great Britain are a supply in the
 * UK, taxed there at sale (tax.md §8): the German side stays a
 * tax-free export, but the seller owes UK VAT under its own UK
 * registration, which kontor does not keep.  Told for orders in GBP,
 * where the value needs no conversion.
 */
static void
uk_low_value(const struct order *o, const struct treat *t,
    struct tax_notes *notes)
{
	int64_t goods = 0;
	char b[DEC_BUFSZ];
	size_t i;

	if (strcmp(t->area.country, "GB") != 0 ||
	    strcmp(o->currency, "GBP") != 0)
		return;
	for (i = 0; i < o->nlines; i++)
		goods += o->lines[i].amount_minor - o->lines[i].discount_minor;
	if (goods > 13500)
		return;
	tax_notes_add(notes, "order %s: goods of %s GBP to Great Britain: "
	    "a consignment of at most 135 GBP is taxed in the UK at sale; "
	    "the invoice is a tax-free export, the UK VAT is for the "
	    "seller's UK return (tax.md §8)", o->order_number,
	    dec_format(goods, o->exponent, b));
}

static int
check_ship_to(const struct order *o, struct treat *t, struct kerr *e)
{
	const struct address *to = o->shipping_addr.country[0] ?
	    &o->shipping_addr : &o->billing;
	char field[KERR_FIELD_MAX + 16];

	if (to->country[0] == '\0')
		return kerr_set(e, KR_BAD_INPUT, "shipping.country",
		    "the order has neither a ship-to nor a billing country");
	/*
	 * The billing address goes on the invoice even where the ship-to
	 * decides the tax; a code no invoice can carry would be numbered
	 * and then held back by every e-invoice check.
	 */
	if (to != &o->billing && o->billing.country[0] != '\0' &&
	    !vatarea_code_known(o->billing.country))
		return kerr_set(e, KR_BAD_INPUT, "billing.country", "\"%s\" "
		    "is not an ISO 3166 country code", o->billing.country);
	if (vatarea_classify(to->country, to->postcode, &t->area, e) !=
	    KR_OK) {
		snprintf(field, sizeof(field), "%s.%s", to == &o->billing ?
		    "billing" : "shipping", e->field);
		snprintf(e->field, sizeof(e->field), "%.*s",
		    (int)sizeof(e->field) - 1, field);
		return e->code;
	}
	return KR_OK;
}

int
treat_decide(struct billing *b, const struct order *o, const char *supply,
    int force, struct treat *t, struct invoice *inv,
    struct tax_notes *notes, struct kerr *e)
{
	const struct config *c = b->cfg;
	char why[400], note[400];
	const char *vid;
	int rc;

	memset(t, 0, sizeof(*t));
	if ((rc = check_ship_to(o, t, e)) != KR_OK)
		return rc;
	if (o->buyer_vat_id != NULL && o->buyer_vat_id[0] != '\0') {
		t->has_vid = 1;
		vatid_check(o->buyer_vat_id, &t->vid);
		inv->buyer_vat_check = vatid_status_name(t->vid.status);
	}
	vid = vid_usable(t);
	note[0] = '\0';

	if ((rc = check_ship_from(o, e)) != KR_OK)
		return rc;
	if (o->deemed_supplier) {
		t->kind = TREAT_DEEMED;
		snprintf(why, sizeof(why), "the marketplace collected the VAT "
		    "as deemed supplier: the sale is to the marketplace, "
		    "without VAT (tax.md §9)");
		snprintf(note, sizeof(note), NOTE_DEEMED);
	} else if (t->area.kind == VATAREA_EU && vid != NULL) {
		t->kind = TREAT_INTRA_EU;
		snprintf(why, sizeof(why), "ship-to %s, buyer's VAT id %s "
		    "(%s): tax-free intra-EU supply (tax.md §7)",
		    t->area.country, vid, vatid_status_name(t->vid.status));
		if (strcmp(t->vid.country, t->area.country) != 0)
			tax_notes_add(notes, "order %s: the buyer's VAT id %s "
			    "is of %s, the goods go to %s: tax-free as an "
			    "intra-EU supply, but the acquisition is taxable "
			    "in %s too (tax.md §7)", o->order_number, vid,
			    t->vid.country, t->area.country, t->vid.country);
		if (c->seller_vat_id == NULL)
			return kerr_set(e, KR_CONFIG, "seller.vat_id", "a "
			    "tax-free intra-EU supply needs the seller's VAT "
			    "id on the invoice (tax.md §7); it is not "
			    "configured");
		snprintf(note, sizeof(note), NOTE_INTRA_EU, c->seller_vat_id,
		    vid);
		if ((rc = vies_note(b, t, inv, e)) != KR_OK)
			return rc;
	} else if (t->area.kind == VATAREA_EU) {
		if (t->has_vid)
			tax_notes_add(notes, "order %s: the buyer's VAT id "
			    "\"%.40s\" %s (%s): sold as to a consumer "
			    "(tax.md §7)", o->order_number, o->buyer_vat_id,
			    vid_usable(t) == NULL && t->vid.status >=
			    VATID_SYNTAX_ONLY ? "is German" : "fails the "
			    "check", t->vid.msg);
		t->distance_sale = 1;
		rc = eu_consumer(b, supply, force & TREAT_FORCE_OSS, t, why,
		    sizeof(why), e);
		if (rc != KR_OK)
			return rc;
		if (t->kind == TREAT_OSS && c->seller_vat_id == NULL)
			return kerr_set(e, KR_CONFIG, "seller.vat_id",
			    "a sale under the One-Stop-Shop needs the "
			    "seller's VAT id (tax.md §5); it is not "
			    "configured");
	} else if (t->area.kind == VATAREA_DOMESTIC) {
		t->kind = TREAT_DOMESTIC;
		snprintf(why, sizeof(why), "ship-to DE, seller established "
		    "in DE: German VAT (tax.md §1 row 6)");
	} else {
		t->kind = TREAT_EXPORT;
		snprintf(why, sizeof(why), "ship-to %s, outside the EU VAT "
		    "area: tax-free export (tax.md §8)", t->area.country);
		snprintf(note, sizeof(note), NOTE_EXPORT);
		uk_low_value(o, t, notes);
	}

	/* § 19 exempts what is taxable in Germany (tax.md §1 row 5). */
	if (c->small_business && (force & TREAT_FORCE_REGULAR)) {
		t->small_over = 1;
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		    "; the seller's turnover is over the limits of § 19 "
		    "UStG, so the sale is taxed normally (tax.md §4)");
	} else if (c->small_business && (t->kind == TREAT_DOMESTIC ||
	    t->kind == TREAT_EU_DE || t->kind == TREAT_EXPORT)) {
		t->kind = TREAT_SMALL;
		snprintf(why + strlen(why), sizeof(why) - strlen(why),
		    "; the seller is a small business: no VAT (§ 19 UStG, "
		    "tax.md §4)");
		snprintf(note, sizeof(note), NOTE_SMALL);
	}
	if (t->kind == TREAT_EXPORT && c->seller_vat_id == NULL)
		return kerr_set(e, KR_CONFIG, "seller.vat_id", "a tax-free "
		    "export needs the seller's VAT id on the invoice "
		    "(tax.md §8); it is not configured");
	inv->treatment = kind_name(t, o);
	inv->treatment_reason = invoice_strdup(inv, why);
	inv->note = note[0] ? invoice_strdup(inv, note) : NULL;
	return KR_OK;
}

/* Rates */

/*
 * A tax-free sale can only be invoiced from an order on which the shop
 * charged no VAT: otherwise the customer paid VAT that the invoice
 * would have to show (and the seller owe) or silently turn into price.
 */
static int
no_vat_charged(const struct order *o, const struct treat *t,
    struct kerr *e)
{
	static const char *const what[] = {
		[TREAT_INTRA_EU] = "a tax-free intra-EU supply",
		[TREAT_EXPORT] = "a tax-free export",
		[TREAT_SMALL] = "a small business's sale (§ 19 UStG)",
	};
	char rate[DEC_BUFSZ], field[48];
	size_t i;

	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];

		if (l->rate_bp == 0 && (!l->has_tax || l->tax_minor == 0))
			continue;
		snprintf(field, sizeof(field), "lines[%zu].tax_rate", i);
		return kerr_set(e, KR_BAD_INPUT, field, "the shop charged %s "
		    "%% VAT, but the sale is %s: kontor neither invoices it "
		    "with VAT nor turns the VAT into price, so the order is "
		    "not invoiced", dec_format_trim(l->rate_bp, RATE_SCALE,
		    rate), what[t->kind]);
	}
	for (i = 0; i < o->nshipping; i++) {
		const struct order_shipping *s = &o->shipping[i];

		if (s->rate_bp <= 0 && (!s->has_tax || s->tax_minor == 0))
			continue;
		snprintf(field, sizeof(field), "shipping[%zu].tax", i);
		return kerr_set(e, KR_BAD_INPUT, field, "the shop charged VAT "
		    "on the shipping, but the sale is %s, so the order is "
		    "not invoiced", what[t->kind]);
	}
	if (o->has_tax_total && o->tax_total_minor != 0)
		return kerr_set(e, KR_BAD_INPUT, "total_tax", "the shop "
		    "charged VAT, but the sale is %s, so the order is not "
		    "invoiced", what[t->kind]);
	return KR_OK;
}

int
treat_charges_vat(const struct order *o)
{
	struct treat t;
	struct kerr e;

	memset(&t, 0, sizeof(t));
	t.kind = TREAT_SMALL;
	kerr_clear(&e);
	return no_vat_charged(o, &t, &e) != KR_OK;
}

/*
 * A line whose rate is not one of the state whose VAT applies: with
 * gross prices the customer paid the same whatever the rate, so the
 * invoice takes the VAT out at the right one and says so; with net
 * prices the rate changes what the customer owes, and the order is
 * refused.
 */
static int
remap(const struct order *o, size_t i, int64_t from, int64_t to,
    const char *country, const char *supply, struct tax_notes *notes,
    struct kerr *e)
{
	char a[DEC_BUFSZ], b[DEC_BUFSZ], field[48];

	dec_format_trim(from, RATE_SCALE, a);
	dec_format_trim(to, RATE_SCALE, b);
	if (o->prices == PRICES_NET) {
		snprintf(field, sizeof(field), "lines[%zu].tax_rate", i);
		return kerr_set(e, KR_BAD_INPUT, field, "the shop charged %s "
		    "%%, but the VAT is %s's, %s %% on %s; with net prices "
		    "that changes what the customer owes, so the order is not "
		    "invoiced (correct the shop's tax setting for %s)", a,
		    country, b, supply, country);
	}
	tax_notes_add(notes, "order %s: line %zu: the shop charged %s %%, "
	    "the VAT is %s's: invoiced at %s %% of the same gross price",
	    o->order_number, i + 1, a, country, b);
	return KR_OK;
}

/* The rate of a line taxed where the goods arrive (OSS). */
static int
oss_rate(struct billing *b, const struct order *o, size_t i,
    const char *supply, const char *cc, int64_t *out,
    struct tax_notes *notes, struct kerr *e)
{
	const struct vatrates *vr;
	int64_t r = o->lines[i].rate_bp;
	char field[48];
	int rc;

	*out = r;
	if (r == 0) {
		snprintf(field, sizeof(field), "lines[%zu].tax_rate", i);
		return kerr_set(e, KR_BAD_INPUT, field, "the shop charged no "
		    "VAT, but the sale to a consumer in %s is taxed there "
		    "(tax.md §5), and the rate tables hold no zero rates of "
		    "%s; correct the line's rate in the shop", cc, cc);
	}
	if ((rc = rates(b, &vr, e)) != KR_OK)
		return rc;
	rc = vatrates_check(vr, cc, supply, r, e);
	if (rc == KR_OK || rc != KR_BAD_INPUT || !german_rate(r, supply))
		goto out;
	/* A German rate: the destination's rate of the same kind. */
	kerr_clear(e);
	rc = vatrates_rate(vr, cc, supply, r == german_standard(supply) ?
	    VAT_RATE_STANDARD : VAT_RATE_REDUCED, out, e);
	if (rc == KR_OK)
		return remap(o, i, r, *out, cc, supply, notes, e);
out:
	if (rc != KR_OK) {
		snprintf(field, sizeof(field), "lines[%zu].tax_rate", i);
		snprintf(e->field, sizeof(e->field), "%s", field);
	}
	return rc;
}

/* The German rate of a line of an EU consumer sale below threshold. */
static int
eu_de_rate(struct billing *b, const struct order *o, size_t i,
    const char *supply, const char *cc, int64_t *out,
    struct tax_notes *notes, struct kerr *e)
{
	const struct vatrates *vr;
	int64_t r = o->lines[i].rate_bp, std;
	char field[48], rate[DEC_BUFSZ];
	int rc;

	*out = r;
	if (german_rate(r, supply))
		return KR_OK;
	if ((rc = rates(b, &vr, e)) != KR_OK)
		return rc;
	snprintf(field, sizeof(field), "lines[%zu].tax_rate", i);
	if ((rc = vatrates_standard(vr, cc, supply, &std, e)) != KR_OK) {
		snprintf(e->field, sizeof(e->field), "%s", field);
		return rc;
	}
	if (r == std)
		*out = german_standard(supply);
	else if (vatrates_check(vr, cc, supply, r, e) == KR_OK)
		*out = german_reduced(supply);
	else
		return kerr_set(e, KR_BAD_INPUT, field, "%s %% is neither a "
		    "German VAT rate on %s nor one of %s",
		    dec_format_trim(r, RATE_SCALE, rate), supply, cc);
	return remap(o, i, r, *out, "Germany", supply, notes, e);
}

int
treat_rates(struct billing *b, const struct order *o, const char *supply,
    const struct treat *t, struct line_tax *lt, struct tax_notes *notes,
    struct kerr *e)
{
	char rate[DEC_BUFSZ], field[48];
	int64_t r;
	size_t i;
	int rc;

	if (is_exempt(t->kind) && t->kind != TREAT_DEEMED &&
	    (rc = no_vat_charged(o, t, e)) != KR_OK)
		return rc;
	for (i = 0; i < o->nlines; i++) {
		r = o->lines[i].rate_bp;
		/*
		 * A service to a customer in Germany is taxed here whatever
		 * kind it is (tax.md §1 row 6); abroad its place of supply
		 * depends on the kind, which the shop does not say.
		 */
		if (o->lines[i].service && strcmp(t->area.country, "DE")) {
			snprintf(field, sizeof(field), "lines[%zu]", i);
			return kerr_set(e, KR_BAD_INPUT, field, "the shop "
			    "says the line needs no shipping (a service or a "
			    "download) and the customer is in %s: where such "
			    "a supply is taxed depends on its kind (tax.md "
			    "§6), which the shop does not say, so the order "
			    "is not invoiced", t->area.country);
		}
		if (t->small_over && r == 0 && (t->kind == TREAT_DOMESTIC ||
		    t->kind == TREAT_EU_DE)) {
			snprintf(field, sizeof(field), "lines[%zu].tax_rate",
			    i);
			return kerr_set(e, KR_BAD_INPUT, field, "the "
			    "seller's turnover is over the limits of § 19 "
			    "UStG, so this sale is taxed normally, but the "
			    "shop charged no VAT: set [tax] small_business "
			    "= no and let the shop charge VAT (tax.md §4)");
		}
		switch (t->kind) {
		case TREAT_OSS:
			rc = oss_rate(b, o, i, supply, t->area.country, &r,
			    notes, e);
			break;
		case TREAT_EU_DE:
			rc = eu_de_rate(b, o, i, supply, t->area.country, &r,
			    notes, e);
			break;
		case TREAT_DOMESTIC:
			rc = KR_OK;
			if (german_rate(r, supply))
				break;
			snprintf(field, sizeof(field), "lines[%zu].tax_rate",
			    i);
			rc = kerr_set(e, KR_BAD_INPUT, field, "%s %% is not a "
			    "German VAT rate on %s (%s, %s or 0 %%)",
			    dec_format_trim(r, RATE_SCALE, rate), supply,
			    german_standard(supply) == 1600 ? "16" : "19",
			    german_reduced(supply) == 500 ? "5" : "7");
			break;
		case TREAT_DEEMED:
			/* Computed at the marketplace's rate, then taken
			 * out (treat_finish). */
			rc = KR_OK;
			break;
		default:
			r = 0;
			rc = KR_OK;
			break;
		}
		if (rc != KR_OK)
			return rc;
		lt[i].rate_bp = r;
		if (is_exempt(t->kind) && t->kind != TREAT_DEEMED)
			strcpy(lt[i].category, exempt[t->kind].category);
		else
			strcpy(lt[i].category, r > 0 ? "S" : "Z");
	}
	return KR_OK;
}

/* Finishing */

/*
 * A deemed-supplier sale (tax.md §9): the customer's payment less the
 * VAT the marketplace collected is the seller's revenue, without VAT,
 * category O.  The figures were computed at the marketplace's rates;
 * what is left of them is the net.  Where the marketplace's own VAT
 * figure differs from the computed one by the cents of its per-item
 * rounding, the difference is the invoice's rounding amount.
 */
static int
deemed_convert(const struct order *o, struct invoice *inv,
    struct tax_notes *notes, struct kerr *e)
{
	int64_t vat = inv->vat_total_minor, mvat = o->marketplace_vat_minor;
	int64_t slack = (int64_t)(o->nlines + o->nshipping);
	char a[DEC_BUFSZ], b[DEC_BUFSZ];
	struct inv_vat *v;
	size_t i;

	if (mvat == 0 && vat != 0) {
		tax_notes_add(notes, "order %s: the marketplace stated no VAT "
		    "it collected; %s %s computed from the order's rates is "
		    "taken out", o->order_number, dec_format(vat,
		    inv->exponent, a), inv->currency);
		mvat = vat;
	}
	if (mvat - vat > slack || vat - mvat > slack)
		return kerr_set(e, KR_BAD_INPUT, "marketplace_vat", "the "
		    "marketplace collected %s %s VAT, the order's rates give "
		    "%s: the figures do not belong together, so the order is "
		    "not invoiced", dec_format(mvat, inv->exponent, a),
		    inv->currency, dec_format(vat, inv->exponent, b));

	for (i = 0; i < inv->nlines; i++) {
		strcpy(inv->lines[i].category, "O");
		inv->lines[i].rate_bp = 0;
		inv->lines[i].gross_minor = inv->lines[i].net_minor;
	}
	for (i = 0; i < inv->nadjusts; i++) {
		strcpy(inv->adjusts[i].category, "O");
		inv->adjusts[i].rate_bp = 0;
		inv->adjusts[i].gross_minor = inv->adjusts[i].net_minor;
	}
	v = &inv->vat[0];
	for (i = 1; i < inv->nvat; i++)
		v->taxable_minor += inv->vat[i].taxable_minor;
	inv->nvat = 1;
	strcpy(v->category, "O");
	v->rate_bp = 0;
	v->vat_minor = 0;
	v->delta_minor = 0;
	v->gross_minor = v->taxable_minor;
	inv->vat_total_minor = 0;
	inv->gross_minor = inv->net_minor;
	inv->paid_minor -= mvat;
	inv->marketplace_vat_minor = mvat;
	inv->rounding_minor = inv->paid_minor - inv->gross_minor;
	inv->due_minor = 0;
	return invoice_check_sums(inv, e);
}

/*
 * The account (or tax key) of an OSS part: the most specific of
 * PREFIX.CC.RATE, PREFIX.CC and PREFIX the tenant configured (tax.md
 * §8 of datev.md: per destination and rate).
 */
static const char *
oss_lookup(const struct config *c, const char *prefix, const char *cc,
    const char *rate, const char *date, char *key, size_t size)
{
	const char *got;

	snprintf(key, size, "%s.%s.%s", prefix, cc, rate);
	if ((got = config_account(c, key, date)) != NULL)
		return got;
	snprintf(key, size, "%s.%s", prefix, cc);
	if ((got = config_account(c, key, date)) != NULL)
		return got;
	snprintf(key, size, "%s", prefix);
	return config_account(c, key, date);
}

static int
part_account(const struct config *c, const struct treat *t,
    struct inv_vat *v, const char *date, struct kerr *e)
{
	char key[64], rate[DEC_BUFSZ];

	dec_format_trim(v->rate_bp, RATE_SCALE, rate);
	v->tax_key = "";
	if (t->kind == TREAT_OSS) {
		snprintf(v->country, sizeof(v->country), "%s",
		    t->area.country);
		v->account = oss_lookup(c, "revenue.oss", v->country, rate,
		    date, key, sizeof(key));
		v->tax_key = oss_lookup(c, "key.oss", v->country, rate, date,
		    key, sizeof(key));
		if (v->tax_key == NULL)
			v->tax_key = "";
		snprintf(key, sizeof(key), "revenue.oss");
	} else if (is_exempt(t->kind)) {
		v->exemption_reason = exempt[t->kind].reason;
		v->exemption_code = exempt[t->kind].code;
		snprintf(key, sizeof(key), "%s", exempt[t->kind].account_key);
		v->account = config_account(c, key, date);
	} else {
		snprintf(key, sizeof(key), "revenue.%s", rate);
		v->account = config_account(c, key, date);
	}
	if (v->account == NULL)
		return kerr_set(e, KR_CONFIG, "vat", "no revenue account for "
		    "%s %% (category %s) on %s in the tenant configuration "
		    "(accounts.%s)", rate, v->category, date, key);
	return KR_OK;
}

int
treat_finish(struct billing *b, const struct order *o,
    const struct treat *t, struct invoice *inv, struct tax_notes *notes,
    struct kerr *e)
{
	const struct config *c = b->cfg;
	size_t i;
	int rc;

	if (t->kind == TREAT_DEEMED &&
	    (rc = deemed_convert(o, inv, notes, e)) != KR_OK)
		return rc;
	for (i = 0; i < inv->nvat; i++)
		if ((rc = part_account(c, t, &inv->vat[i], inv->issue_date,
		    e)) != KR_OK)
			return rc;
	inv->debitor = c->debitor;
	if (inv->rounding_minor == 0)
		return KR_OK;
	inv->rounding_account = config_account(c, "rounding",
	    inv->issue_date);
	if (inv->rounding_account == NULL)
		return kerr_set(e, KR_CONFIG, "totals.rounding",
		    "the invoice has a rounding amount (BT-114: the shop "
		    "rounded its tax per line, or the marketplace its VAT per "
		    "item) but no rounding account is configured "
		    "(accounts.rounding)");
	return KR_OK;
}

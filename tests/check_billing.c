/*
 * From an order to an invoice: the checks that must refuse an order
 * before its number is drawn, and what billing fills in.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "billing.h"
#include "dec.h"
#include "testdir.h"
#include "vatid.h"

static const char conf_text[] =
    "[seller]\n"
    "name = Kontor Demo Manufaktur GmbH\n"
    "street = Lagerstraße 4\n"
    "postcode = 12057\n"
    "city = Berlin\n"
    "vat_id = DE318472657\n"
    "iban = DE60123456780004711002\n"
    "[datev]\n"
    "consultant = 1001\n"
    "client = 1\n";

static char dir[PATH_MAX];
static struct config cfg;
static struct run run;
static struct billing bill;
static struct order o;
static struct invoice inv;
static struct tax_notes notes;
static struct kerr e;

static int64_t
m(const char *s)
{
	int64_t v;

	ck_assert_int_eq(dec_parse(s, (size_t)-1, 2, &v), KR_OK);
	return v;
}

/*
 * (Re)starts billing with the seller's configuration plus extra lines
 * (a [tax] or [accounts] section), for a run at now.
 */
static void
start(const char *extra, const char *now)
{
	char path[PATH_MAX + 16], text[2048];

	billing_release(&bill);
	config_release(&cfg);
	snprintf(text, sizeof(text), "%s%s", conf_text, extra);
	testdir_write(dir, "kontor.conf", text);
	snprintf(path, sizeof(path), "%s/kontor.conf", dir);
	kerr_clear(&e);
	ck_assert_msg(config_load(&cfg, path, &e) == KR_OK, "%s", e.msg);
	setenv("KONTOR_NOW", now, 1);
	ck_assert_int_eq(run_start(&run, "t", "Europe/Berlin", &e), KR_OK);
	billing_init(&bill, &cfg, &run, dir, NULL);
}

static void
setup(void)
{
	char cwd[PATH_MAX], vat[PATH_MAX + 16];
	const char *t = getenv("KONTOR_TOP");

	/* The rate tables of the source tree, unless named. */
	if (getenv("KONTOR_VAT_DATA") == NULL) {
		if (t == NULL)
			t = getcwd(cwd, sizeof(cwd));
		ck_assert_ptr_nonnull(t);
		snprintf(vat, sizeof(vat), "%s/data/vat", t);
		setenv("KONTOR_VAT_DATA", vat, 1);
	}
	testdir_make(dir, sizeof(dir), "billing");
	kerr_clear(&e);
	ck_assert_int_eq(ktime_set_zone("Europe/Berlin", &e), KR_OK);
	start("", "2026-12-04T02:00:00Z");
	order_init(&o);
	invoice_init(&inv);
	tax_notes_init(&notes);

	/* One book at 7 %, 10.70 gross, paid, shipped to Berlin. */
	o.shop = "shop-de";
	o.order_id = "1";
	o.order_number = "#1";
	o.created_at = "2026-10-01T10:00:00Z";
	o.shipped_at = "2026-10-02T10:00:00Z";
	memcpy(o.currency, "EUR", 4);
	o.exponent = 2;
	o.prices = PRICES_GROSS;
	o.total_minor = m("10.70");
	memcpy(o.shipping_addr.country, "DE", 3);
	o.shipping_addr.postcode = "12057";
	o.billing.name = "Max Muster";
	memcpy(o.billing.country, "DE", 3);
	{
		struct order_line *l = order_add_line(&o);

		l->name = "Buch";
		l->qty_e4 = 10000;
		l->amount_minor = m("10.70");
		l->rate_bp = 700;
	}
}

static void
teardown(void)
{
	billing_release(&bill);
	tax_notes_release(&notes);
	invoice_release(&inv);
	order_release(&o);
	config_release(&cfg);
	testdir_remove(dir);
}

/* Starts the order over: no lines, shipped to country (postcode). */
static void
order_to(const char *country, const char *postcode, enum prices prices)
{
	o.nlines = 0;
	o.nshipping = 0;
	o.total_minor = 0;
	o.prices = prices;
	snprintf(o.shipping_addr.country, sizeof(o.shipping_addr.country),
	    "%s", country);
	o.shipping_addr.postcode = postcode;
	o.billing = o.shipping_addr;
	o.billing.name = "Kundin";
}

/* Adds a line of qty x unit (amount = its product, as the shop said). */
static void
line(int qty, const char *unit, int64_t rate_bp)
{
	struct order_line *l = order_add_line(&o);
	int64_t amount = m(unit) * qty;

	l->name = "Ware";
	l->qty_e4 = (int64_t)qty * 10000;
	l->amount_minor = amount;
	l->rate_bp = rate_bp;
	o.total_minor += amount;
	if (o.prices == PRICES_NET)
		o.total_minor += (amount * rate_bp + 5000) / 10000;
}

static void
ship(const char *amount)
{
	struct order_shipping *s = order_add_shipping(&o);

	s->amount_minor = m(amount);
	s->rate_bp = -1;
	o.total_minor += s->amount_minor;
}

static void
made(void)
{
	kerr_clear(&e);
	ck_assert_msg(billing_make(&bill, &o, &inv, &notes, &e) == KR_OK,
	    "%s: %s", e.field, e.msg);
}

/* The breakdown part of category and rate, which must exist. */
static const struct inv_vat *
part(const char *category, int64_t rate_bp)
{
	size_t i;

	for (i = 0; i < inv.nvat; i++)
		if (strcmp(inv.vat[i].category, category) == 0 &&
		    inv.vat[i].rate_bp == rate_bp)
			return &inv.vat[i];
	ck_abort_msg("no part %s %lld", category, (long long)rate_bp);
	return NULL;
}

static void
has_part(const char *category, int64_t rate_bp, const char *taxable,
    const char *vat)
{
	const struct inv_vat *v = part(category, rate_bp);

	ck_assert_int_eq(v->taxable_minor, m(taxable));
	ck_assert_int_eq(v->vat_minor, m(vat));
}

static int
noted(const char *words)
{
	return notes.text.data != NULL &&
	    strstr(notes.text.data, words) != NULL;
}

static void
refused(const char *field, const char *words)
{
	kerr_clear(&e);
	ck_assert_int_ne(billing_make(&bill, &o, &inv, &notes, &e),
	    KR_OK);
	ck_assert_str_eq(e.field, field);
	ck_assert_msg(strstr(e.msg, words) != NULL, "%s", e.msg);
}

START_TEST(billing_fills_a_domestic_invoice)
{
	kerr_clear(&e);
	ck_assert_msg(billing_make(&bill, &o, &inv, &notes, &e) ==
	    KR_OK, "%s", e.msg);
	ck_assert_str_eq(inv.treatment, "domestic");
	ck_assert_str_eq(inv.issue_date, "2026-12-04");
	ck_assert_str_eq(inv.supply_date, "2026-10-02");
	ck_assert_str_eq(inv.vat[0].account, "8300");	/* SKR03 default */
	ck_assert_str_eq(inv.debitor, "10000");
	/* 10.70 / 1.07 = 10.00 net, 0.70 VAT */
	ck_assert_int_eq(inv.vat[0].taxable_minor, m("10.00"));
	ck_assert_int_eq(inv.vat[0].vat_minor, m("0.70"));
	ck_assert_str_eq(inv.buyer.name, "Max Muster");
	ck_assert_str_eq(inv.buyer_reference, "#1");
	ck_assert_str_eq(inv.seller.vat_id, "DE318472657");
	ck_assert_str_eq(inv.pay_means, "ZZZ");
}
END_TEST

START_TEST(billing_refuses_a_rate_germany_does_not_have)
{
	o.lines[0].rate_bp = 1600;
	refused("lines[0].tax_rate", "16 % is not a German VAT rate");
	/* ... which it had in the second half of 2020, when 19 % was
	 * not one. */
	o.lines[0].rate_bp = 1900;
	o.shipped_at = "2020-09-01T10:00:00Z";
	refused("lines[0].tax_rate", "19 % is not a German VAT rate on "
	    "2020-09-01 (16, 5 or 0 %)");
	o.lines[0].rate_bp = 1600;
	kerr_clear(&e);
	ck_assert_int_ne(billing_make(&bill, &o, &inv, &notes, &e),
	    KR_OK);
	ck_assert_str_ne(e.field, "lines[0].tax_rate");
}
END_TEST

START_TEST(billing_needs_an_account_for_every_rate)
{
	o.lines[0].rate_bp = 0;
	refused("vat", "no revenue account for 0 %");
}
END_TEST

START_TEST(billing_needs_a_rounding_account_for_a_rounding_amount)
{
	/* Net prices: 10.00 + 0.70 = 10.70, but the shop says 10.71. */
	o.prices = PRICES_NET;
	o.lines[0].amount_minor = m("10.00");
	o.total_minor = m("10.71");
	refused("totals.rounding", "no rounding account");
}
END_TEST

START_TEST(billing_refuses_what_datev_could_not_book)
{
	o.order_number = "#123456789012345678901234567890";
	refused("order_number", "longer than the 29 characters");
	o.order_number = "#1";
	o.lines[0].amount_minor = m("10700000000.00");
	o.total_minor = m("10700000000.00");
	refused("totals.gross", "ten integer digits");
}
END_TEST

START_TEST(billing_refuses_a_currency_without_its_rate)
{
	memcpy(o.currency, "CHF", 4);
	refused("currency", "CHF");
	/* Three decimals fit neither DATEV nor EN 16931. */
	memcpy(o.currency, "KWD", 4);
	o.exponent = 3;
	refused("currency", "have 3 decimals");
}
END_TEST

START_TEST(billing_maps_payment_gateways)
{
	ck_assert_str_eq(billing_payment_means("paypal"), "68");
	ck_assert_str_eq(billing_payment_means("shopify_payments"), "68");
	ck_assert_str_eq(billing_payment_means("bacs"), "58");
	ck_assert_str_eq(billing_payment_means(NULL), "ZZZ");
	o.pay_gateway = "bacs";
	kerr_clear(&e);
	ck_assert_int_eq(billing_make(&bill, &o, &inv, &notes, &e),
	    KR_OK);
	ck_assert_str_eq(inv.pay_iban, "DE60123456780004711002");
}
END_TEST

START_TEST(billing_takes_the_date_of_supply_from_shipping_then_payment)
{
	char d[KTIME_DATE_MAX];

	/* 23:30 UTC on 1 October is 2 October in Berlin. */
	o.shipped_at = "2026-10-01T23:30:00Z";
	ck_assert_int_eq(billing_supply_date(&o, d, &e), KR_OK);
	ck_assert_str_eq(d, "2026-10-02");
	o.shipped_at = NULL;
	o.paid_at = "2026-10-01T08:00:00Z";
	ck_assert_int_eq(billing_supply_date(&o, d, &e), KR_OK);
	ck_assert_str_eq(d, "2026-10-01");
	o.paid_at = NULL;
	o.created_at = "yesterday";
	ck_assert_int_eq(billing_supply_date(&o, d, &e), KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "created_at");
}
END_TEST

/* Tax treatments (tax.md §1), with the worked examples of tax.md §17 */

static const char oss_registered[] = "[tax]\noss = registered\n";

START_TEST(billing_e5_oss_to_france)
{
	start(oss_registered, "2026-12-04T02:00:00Z");
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "29.99", 2000);
	line(1, "14.99", 550);
	ship("4.90");
	made();
	ck_assert_str_eq(inv.treatment, "oss");
	has_part("S", 2000, "27.59", "5.52");
	has_part("S", 550, "15.90", "0.87");
	ck_assert_int_eq(inv.gross_minor, m("49.88"));
	ck_assert_str_eq(part("S", 2000)->country, "FR");
	ck_assert_str_eq(part("S", 2000)->account, "8320");
	ck_assert_str_eq(part("S", 550)->tax_key, "240");
}
END_TEST

START_TEST(billing_e6_oss_to_austria_and_the_netherlands)
{
	start(oss_registered, "2026-12-04T02:00:00Z");
	order_to("AT", "1010", PRICES_GROSS);
	line(1, "49.90", 2000);
	made();
	has_part("S", 2000, "41.58", "8.32");
	ck_assert_str_eq(part("S", 2000)->country, "AT");
	order_to("NL", "1012 AB", PRICES_GROSS);
	line(1, "49.90", 2100);
	made();
	has_part("S", 2100, "41.24", "8.66");
}
END_TEST

START_TEST(billing_e6_under_the_threshold_is_german_vat)
{
	order_to("AT", "1010", PRICES_GROSS);
	line(1, "49.90", 1900);
	made();
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	has_part("S", 1900, "41.93", "7.97");
	ck_assert_str_eq(part("S", 1900)->country, "");
	ck_assert_str_eq(part("S", 1900)->account, "8400");
	ck_assert_str_eq(part("S", 1900)->tax_key, "");
}
END_TEST

START_TEST(billing_e7_intra_eu_supply_to_austria)
{
	order_to("AT", "1010", PRICES_NET);
	o.buyer_vat_id = "ATU 4817 3621";
	line(10, "12.50", 0);
	line(2, "7.45", 0);
	ship("9.90");
	made();
	ck_assert_str_eq(inv.treatment, "intra-eu");
	has_part("K", 0, "149.80", "0.00");
	ck_assert_int_eq(inv.gross_minor, m("149.80"));
	ck_assert_str_eq(part("K", 0)->exemption_code, "VATEX-EU-IC");
	ck_assert_str_eq(part("K", 0)->account, "8125");
	ck_assert_str_eq(inv.buyer.vat_id, "ATU48173621");
	ck_assert_str_eq(inv.buyer_vat_check, "checksum_valid");
	ck_assert_ptr_nonnull(strstr(inv.note, "DE318472657"));
	ck_assert_ptr_nonnull(strstr(inv.note, "ATU48173621"));
	ck_assert_int_eq(notes.n, 0);
}
END_TEST

START_TEST(billing_e8_export_to_switzerland)
{
	order_to("CH", "8001", PRICES_GROSS);
	line(1, "100.00", 0);
	ship("15.00");
	made();
	ck_assert_str_eq(inv.treatment, "export");
	has_part("G", 0, "115.00", "0.00");
	ck_assert_str_eq(part("G", 0)->exemption_code, "VATEX-EU-G");
	ck_assert_str_eq(part("G", 0)->account, "8120");
	ck_assert_ptr_nonnull(strstr(inv.note, "Ausfuhrlieferung"));
}
END_TEST

START_TEST(billing_e11_small_business)
{
	start("[tax]\nsmall_business = yes\n", "2026-12-04T02:00:00Z");
	order_to("DE", "10115", PRICES_GROSS);
	line(1, "15.00", 0);
	line(2, "4.25", 0);
	ship("4.90");
	made();
	ck_assert_str_eq(inv.treatment, "small-business");
	has_part("E", 0, "28.40", "0.00");
	ck_assert_ptr_nonnull(strstr(part("E", 0)->exemption_reason,
	    "§ 19"));
	ck_assert_str_eq(part("E", 0)->account, "8195");
	ck_assert_ptr_nonnull(strstr(inv.note, "§ 19 UStG"));
}
END_TEST

START_TEST(billing_e12_spain_above_and_below_the_threshold)
{
	order_to("ES", "28001", PRICES_GROSS);
	line(1, "11.99", 1900);
	made();
	has_part("S", 1900, "10.08", "1.91");
	ck_assert_int_eq(part("S", 1900)->delta_minor, -1);
	start(oss_registered, "2026-12-04T02:00:00Z");
	order_to("ES", "28001", PRICES_GROSS);
	line(1, "11.99", 2100);
	made();
	has_part("S", 2100, "9.91", "2.08");
}
END_TEST

START_TEST(billing_threshold_crossed_inside_a_year)
{
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "10710.00", 1900);		/* net 9,000.00 */
	made();
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "1190.00", 1900);		/* 10,000.00: not over */
	made();
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	has_part("S", 1900, "1000.00", "190.00");
	/* 1.00 more crosses it: this sale is already French. */
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "1.19", 1900);
	made();
	ck_assert_str_eq(inv.treatment, "oss");
	has_part("S", 2000, "0.99", "0.20");
	ck_assert(noted("the shop charged 19 %, the VAT is FR's"));
	/* ... and so is every later one. */
	order_to("BE", "1000", PRICES_GROSS);
	line(1, "12.10", 2100);
	made();
	ck_assert_str_eq(inv.treatment, "oss");
	has_part("S", 2100, "10.00", "2.10");
}
END_TEST

START_TEST(billing_threshold_counts_credit_notes_of_the_run)
{
	struct invoice cn;

	order_to("FR", "75011", PRICES_GROSS);
	line(1, "5950.00", 1900);		/* 5,000.00 */
	made();
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "4760.00", 1900);		/* 9,000.00 */
	made();
	/* A credit note of 1,000.00 net made in the same run. */
	invoice_init(&cn);
	cn.doc_type = "381";
	cn.treatment = "eu-consumer-de";
	cn.supply_date = "2026-11-20";
	memcpy(cn.currency, "EUR", 4);
	cn.net_minor = m("1000.00");
	kerr_clear(&e);
	ck_assert_int_eq(billing_count(&bill, &cn, &e), KR_OK);
	invoice_release(&cn);
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "1190.00", 1900);		/* 9,000.00 */
	made();
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "1190.00", 1900);		/* 10,000.00: not over */
	made();
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "1.19", 1900);			/* over */
	made();
	ck_assert_str_eq(inv.treatment, "oss");
}
END_TEST

START_TEST(billing_threshold_across_the_year_boundary)
{
	start("", "2027-01-10T10:00:00Z");
	order_to("FR", "75011", PRICES_GROSS);
	o.shipped_at = "2026-12-30T10:00:00Z";
	line(1, "5950.00", 1900);		/* 2026: 5,000.00 */
	made();
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	o.shipped_at = "2027-01-05T10:00:00Z";
	made();					/* 2027: 5,000.00 */
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	o.shipped_at = "2026-12-31T10:00:00Z";
	made();					/* 2026: 10,000.00 */
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	order_to("FR", "75011", PRICES_GROSS);
	o.shipped_at = "2026-12-31T12:00:00Z";
	line(1, "1.19", 1900);			/* 2026 over */
	made();
	ck_assert_str_eq(inv.treatment, "oss");
	/* A 2027 sale: the previous year was over, so French VAT. */
	o.shipped_at = "2027-01-06T10:00:00Z";
	made();
	ck_assert_str_eq(inv.treatment, "oss");
}
END_TEST

START_TEST(billing_threshold_counts_the_declared_prior_year)
{
	start("[tax]\noss_prior_year_eur = 10001\n", "2026-12-04T02:00:00Z");
	order_to("IT", "00118", PRICES_GROSS);
	line(1, "12.20", 2200);
	made();
	ck_assert_str_eq(inv.treatment, "oss");
	has_part("S", 2200, "10.00", "2.20");
	ck_assert_str_eq(part("S", 2200)->country, "IT");
}
END_TEST

START_TEST(billing_threshold_below_stays_german_and_warns_once)
{
	start("[tax]\noss = below\n", "2026-12-04T02:00:00Z");
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "11900.00", 1900);		/* 10,000.00 */
	made();
	ck_assert_int_eq(notes.n, 0);
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "1.19", 1900);
	made();
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	ck_assert(noted("over 10,000 EUR"));
	made();
	ck_assert_ptr_nonnull(strstr(inv.treatment_reason,
	    "but [tax] oss = below keeps German VAT"));
	tax_notes_release(&notes);
	tax_notes_init(&notes);
	made();
	ck_assert_int_eq(notes.n, 0);
}
END_TEST

START_TEST(billing_vat_id_failing_the_check_is_a_consumer_sale)
{
	order_to("FR", "75011", PRICES_GROSS);
	o.buyer_vat_id = "FR40303265046";	/* check digits wrong */
	line(1, "11.90", 1900);
	made();
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	ck_assert_str_eq(inv.buyer_vat_check, "checksum_invalid");
	ck_assert(noted("order #1: the buyer's VAT id \"FR40303265046\" "
	    "fails the check"));
	has_part("S", 1900, "10.00", "1.90");
}
END_TEST

START_TEST(billing_german_vat_id_abroad_is_a_consumer_sale)
{
	order_to("FR", "75011", PRICES_GROSS);
	o.buyer_vat_id = "DE318472657";
	line(1, "11.90", 1900);
	made();
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	ck_assert(noted("is German"));
}
END_TEST

START_TEST(billing_vat_id_of_another_state_is_intra_eu_with_a_warning)
{
	order_to("FR", "75011", PRICES_NET);
	o.buyer_vat_id = "ATU48173621";
	line(1, "100.00", 0);
	made();
	ck_assert_str_eq(inv.treatment, "intra-eu");
	ck_assert(noted("is of AT, the goods go to FR"));
}
END_TEST

START_TEST(billing_carries_a_vies_confirmation_into_the_invoice)
{
	testdir_write(dir, "vies.csv", "ATU48173621,2026-10-20,WAPIAAAAB2\n"
	    "ATU48173621,2026-12-24,WAPIAAAAC3\n");
	start("[tax]\nvies = vies.csv\n", "2026-12-04T02:00:00Z");
	order_to("AT", "1010", PRICES_NET);
	o.buyer_vat_id = "ATU48173621";
	line(1, "100.00", 0);
	made();
	ck_assert_str_eq(inv.treatment, "intra-eu");
	/* The latest on or before the invoice's day, not the later one. */
	ck_assert_str_eq(inv.vies_number, "WAPIAAAAB2");
	ck_assert_str_eq(inv.vies_date, "2026-10-20");
	/* Another buyer has none. */
	o.buyer_vat_id = "FR40303265045";
	made();
	ck_assert_ptr_null(inv.vies_number);
	/*
	 * A file that is named but broken stops the order, as a fault of
	 * the tenant's (KR_CONFIG), naming the file's line and column; the
	 * order's own place is left for the caller to add.
	 */
	testdir_write(dir, "vies.csv", "ATU48173621,yesterday,X\n");
	start("[tax]\nvies = vies.csv\n", "2026-12-04T02:00:00Z");
	kerr_clear(&e);
	ck_assert_int_eq(billing_make(&bill, &o, &inv, &notes, &e),
	    KR_CONFIG);
	ck_assert_str_eq(e.file, "");
	ck_assert_str_eq(e.field, "tax.vies");
	ck_assert_ptr_nonnull(strstr(e.msg, "vies.csv:1: column 2: "));
}
END_TEST

START_TEST(billing_small_business_up_to_its_limits)
{
	start("[tax]\nsmall_business = yes\n", "2026-12-04T02:00:00Z");
	order_to("DE", "10115", PRICES_GROSS);
	line(1, "89000.00", 0);
	made();
	ck_assert_str_eq(inv.treatment, "small-business");
	ck_assert_int_eq(notes.n, 0);
	/* 90,000.01: near the limit, a warning. */
	order_to("DE", "10115", PRICES_GROSS);
	line(1, "1000.01", 0);
	made();
	ck_assert_str_eq(inv.treatment, "small-business");
	ck_assert(noted("over 90,000 EUR"));
	/* 100,000.01 with this sale: taxed normally, and the shop
	 * charged no VAT, so it is refused by name. */
	order_to("DE", "10115", PRICES_GROSS);
	line(1, "10000.00", 0);
	refused("lines[0].tax_rate", "over the limits of § 19 UStG");
	ck_assert(noted("is over 100,000 EUR"));
	/* The same sale with the VAT the shop now charges: 11,900.00 at
	 * 19 % is 10,000.00 net, 1,900.00 VAT. */
	order_to("DE", "10115", PRICES_GROSS);
	line(1, "11900.00", 1900);
	made();
	ck_assert_str_eq(inv.treatment, "domestic");
	has_part("S", 1900, "10000.00", "1900.00");
	/* ... and every later sale. */
	order_to("DE", "10115", PRICES_GROSS);
	line(1, "11.90", 1900);
	made();
	ck_assert_str_eq(inv.treatment, "domestic");
	has_part("S", 1900, "10.00", "1.90");
	/* Below the limit, VAT the shop charged is refused. */
	start("[tax]\nsmall_business = yes\n", "2026-12-04T02:00:00Z");
	order_to("DE", "10115", PRICES_GROSS);
	line(1, "11.90", 1900);
	refused("lines[0].tax_rate", "small business");
}
END_TEST

START_TEST(billing_small_business_after_a_year_over_25000)
{
	start("[tax]\nsmall_business = yes\n", "2027-01-10T10:00:00Z");
	order_to("DE", "10115", PRICES_GROSS);
	o.shipped_at = "2026-12-30T10:00:00Z";
	line(1, "25000.01", 0);
	made();
	ck_assert_str_eq(inv.treatment, "small-business");
	/* 2027: the previous year was over 25,000 EUR. */
	order_to("DE", "10115", PRICES_GROSS);
	o.shipped_at = "2027-01-05T10:00:00Z";
	line(1, "11.90", 1900);
	made();
	ck_assert_str_eq(inv.treatment, "domestic");
	ck_assert(noted("the turnover of 2026 was over 25,000 EUR"));
}
END_TEST

START_TEST(billing_tells_of_uk_vat_on_low_value_goods)
{
	/* Only with a rate for GBP: the order is in GBP. */
	testdir_write(dir, "fx.csv", "2026-10,GBP,0.8612,illustrative\n");
	start("[tax]\nfx_rates = fx.csv\n", "2026-12-04T02:00:00Z");
	order_to("GB", "SW1A 1AA", PRICES_GROSS);
	memcpy(o.currency, "GBP", 4);
	line(1, "135.00", 0);
	ship("9.95");
	made();
	ck_assert_str_eq(inv.treatment, "export");
	ck_assert(noted("goods of 135.00 GBP to Great Britain"));
	/* 135.01 is over it: no note. */
	tax_notes_release(&notes);
	tax_notes_init(&notes);
	order_to("GB", "SW1A 1AA", PRICES_GROSS);
	memcpy(o.currency, "GBP", 4);
	line(1, "135.01", 0);
	made();
	ck_assert_int_eq(notes.n, 0);
}
END_TEST

START_TEST(billing_refuses_vat_on_a_tax_free_sale)
{
	order_to("AT", "1010", PRICES_NET);
	o.buyer_vat_id = "ATU48173621";
	line(1, "100.00", 2000);
	refused("lines[0].tax_rate", "tax-free intra-EU supply");
	order_to("CH", "8001", PRICES_GROSS);
	line(1, "119.00", 1900);
	refused("lines[0].tax_rate", "tax-free export");
	start("[tax]\nsmall_business = yes\n", "2026-12-04T02:00:00Z");
	order_to("DE", "10115", PRICES_GROSS);
	line(1, "11.90", 1900);
	refused("lines[0].tax_rate", "small business");
}
END_TEST

START_TEST(billing_small_business_over_the_threshold_owes_oss)
{
	start("[tax]\nsmall_business = yes\noss = registered\n",
	    "2026-12-04T02:00:00Z");
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "12.00", 2000);
	made();
	ck_assert_str_eq(inv.treatment, "oss");
	has_part("S", 2000, "10.00", "2.00");
	/* Below it the sale is taxable in Germany: § 19. */
	start("[tax]\nsmall_business = yes\n", "2026-12-04T02:00:00Z");
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "12.00", 0);
	made();
	ck_assert_str_eq(inv.treatment, "eu-consumer-de");
	has_part("E", 0, "12.00", "0.00");
}
END_TEST

START_TEST(billing_oss_refuses_a_wrong_rate_or_net_prices)
{
	start(oss_registered, "2026-12-04T02:00:00Z");
	/* No VAT on a consumer sale taxed in France. */
	order_to("FR", "75011", PRICES_NET);
	line(1, "100.00", 0);
	refused("lines[0].tax_rate", "the shop charged no VAT");
	/* ... also when a VAT id that fails made it a consumer sale. */
	o.buyer_vat_id = "FR40303265046";
	refused("lines[0].tax_rate", "the shop charged no VAT");
	o.buyer_vat_id = NULL;
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "11.30", 1300);
	refused("lines[0].tax_rate", "13");
	order_to("FR", "75011", PRICES_NET);
	line(1, "10.00", 1900);
	refused("lines[0].tax_rate", "with net prices");
}
END_TEST

START_TEST(billing_oss_accounts_per_country_and_rate)
{
	start("[tax]\noss = registered\n[accounts]\nrevenue.oss.FR = 8321\n"
	    "key.oss.FR.5.5 = 241\n", "2026-12-04T02:00:00Z");
	order_to("FR", "75011", PRICES_GROSS);
	line(1, "12.00", 2000);
	line(1, "10.55", 550);
	made();
	ck_assert_str_eq(part("S", 2000)->account, "8321");
	ck_assert_str_eq(part("S", 2000)->tax_key, "240");
	ck_assert_str_eq(part("S", 550)->account, "8321");
	ck_assert_str_eq(part("S", 550)->tax_key, "241");
}
END_TEST

START_TEST(billing_places_by_postcode)
{
	/* Northern Ireland is EU territory for goods. */
	start(oss_registered, "2026-12-04T02:00:00Z");
	order_to("GB", "BT1 1AA", PRICES_GROSS);
	line(1, "12.00", 2000);
	made();
	ck_assert_str_eq(inv.treatment, "oss");
	ck_assert_str_eq(part("S", 2000)->country, "XI");
	/* The Canary Islands are not. */
	order_to("ES", "35001", PRICES_GROSS);
	line(1, "12.00", 0);
	made();
	ck_assert_str_eq(inv.treatment, "export");
	/* IC is the Canary Islands' customs code: an export, and Spain
	 * (ES) in the invoice's addresses, as EN 16931 wants ISO codes. */
	order_to("IC", "35001", PRICES_GROSS);
	line(1, "12.00", 0);
	made();
	ck_assert_str_eq(inv.treatment, "export");
	ck_assert_str_eq(inv.delivery.country, "ES");
	ck_assert_str_eq(inv.buyer.addr.country, "ES");
	order_to("EL", "10431", PRICES_GROSS);
	line(1, "12.40", 2400);
	made();
	ck_assert_str_eq(inv.treatment, "oss");
	ck_assert_str_eq(part("S", 2400)->country, "GR");
	ck_assert_str_eq(inv.delivery.country, "GR");
	/* Without a postcode Spain does not say which. */
	order_to("ES", NULL, PRICES_GROSS);
	line(1, "12.00", 0);
	refused("shipping.postcode", "");
}
END_TEST

START_TEST(billing_refuses_a_service_by_name)
{
	/* A customer in Germany: taxed here whatever the service. */
	o.lines[0].service = 1;
	made();
	ck_assert_str_eq(inv.treatment, "domestic");
	/* Abroad the kind of service decides, which the shop keeps. */
	order_to("FR", "75001", PRICES_GROSS);
	line(1, "12.00", 2000);
	o.lines[0].service = 1;
	refused("lines[0]", "customer is in FR");
}
END_TEST

START_TEST(billing_refuses_goods_sent_from_abroad)
{
	memcpy(o.ship_from, "PL", 3);
	refused("ship_from", "sent from PL");
}
END_TEST

START_TEST(billing_deemed_supplier_books_the_sale_to_the_marketplace)
{
	/* de-amazon-3: 34.99 paid, Amazon collected 5.59 VAT. */
	order_to("DE", "10115", PRICES_GROSS);
	o.deemed_supplier = 1;
	o.marketplace_vat_minor = m("5.59");
	line(1, "34.99", 1900);
	made();
	ck_assert_str_eq(inv.treatment, "deemed-supplier");
	ck_assert_int_eq(inv.nvat, 1);
	has_part("O", 0, "29.40", "0.00");
	ck_assert_str_eq(part("O", 0)->exemption_code, "VATEX-EU-O");
	ck_assert_str_eq(part("O", 0)->account, "8338");
	ck_assert_str_eq(part("O", 0)->tax_key, "");
	ck_assert_int_eq(inv.gross_minor, m("29.40"));
	ck_assert_int_eq(inv.paid_minor, m("29.40"));
	ck_assert_int_eq(inv.rounding_minor, 0);
	ck_assert_str_eq(inv.lines[0].category, "O");
	/* The marketplace rounded per item: a cent is the rounding. */
	o.marketplace_vat_minor = m("5.58");
	refused("totals.rounding", "marketplace its VAT per item");
	/* A figure that does not fit the order is refused. */
	o.marketplace_vat_minor = m("1.00");
	refused("marketplace_vat", "do not belong together");
	/* Sent from a third country (tax.md §9 case b), fine; from stock
	 * in another member state, refused. */
	o.marketplace_vat_minor = m("5.59");
	memcpy(o.ship_from, "CN", 3);
	made();
	memcpy(o.ship_from, "PL", 3);
	refused("ship_from", "sent from PL");
}
END_TEST


static Suite *
billing_suite(void)
{
	Suite *s = suite_create("billing");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, billing_fills_a_domestic_invoice);
	tcase_add_test(tc, billing_refuses_a_rate_germany_does_not_have);
	tcase_add_test(tc, billing_needs_an_account_for_every_rate);
	tcase_add_test(tc,
	    billing_needs_a_rounding_account_for_a_rounding_amount);
	tcase_add_test(tc, billing_refuses_what_datev_could_not_book);
	tcase_add_test(tc, billing_refuses_a_currency_without_its_rate);
	tcase_add_test(tc, billing_maps_payment_gateways);
	tcase_add_test(tc,
	    billing_takes_the_date_of_supply_from_shipping_then_payment);
	tcase_add_test(tc, billing_e5_oss_to_france);
	tcase_add_test(tc, billing_e6_oss_to_austria_and_the_netherlands);
	tcase_add_test(tc, billing_e6_under_the_threshold_is_german_vat);
	tcase_add_test(tc, billing_e7_intra_eu_supply_to_austria);
	tcase_add_test(tc, billing_e8_export_to_switzerland);
	tcase_add_test(tc, billing_e11_small_business);
	tcase_add_test(tc, billing_e12_spain_above_and_below_the_threshold);
	tcase_add_test(tc, billing_threshold_crossed_inside_a_year);
	tcase_add_test(tc, billing_threshold_across_the_year_boundary);
	tcase_add_test(tc, billing_threshold_counts_credit_notes_of_the_run);
	tcase_add_test(tc, billing_threshold_counts_the_declared_prior_year);
	tcase_add_test(tc,
	    billing_threshold_below_stays_german_and_warns_once);
	tcase_add_test(tc,
	    billing_vat_id_failing_the_check_is_a_consumer_sale);
	tcase_add_test(tc, billing_german_vat_id_abroad_is_a_consumer_sale);
	tcase_add_test(tc,
	    billing_vat_id_of_another_state_is_intra_eu_with_a_warning);
	tcase_add_test(tc, billing_refuses_vat_on_a_tax_free_sale);
	tcase_add_test(tc, billing_tells_of_uk_vat_on_low_value_goods);
	tcase_add_test(tc, billing_small_business_up_to_its_limits);
	tcase_add_test(tc, billing_small_business_after_a_year_over_25000);
	tcase_add_test(tc,
	    billing_carries_a_vies_confirmation_into_the_invoice);
	tcase_add_test(tc, billing_small_business_over_the_threshold_owes_oss);
	tcase_add_test(tc, billing_oss_refuses_a_wrong_rate_or_net_prices);
	tcase_add_test(tc, billing_oss_accounts_per_country_and_rate);
	tcase_add_test(tc, billing_places_by_postcode);
	tcase_add_test(tc, billing_refuses_goods_sent_from_abroad);
	tcase_add_test(tc, billing_refuses_a_service_by_name);
	tcase_add_test(tc,
	    billing_deemed_supplier_books_the_sale_to_the_marketplace);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(billing_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

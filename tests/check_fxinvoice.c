/*
 * The EUR figures of invoices in other currencies, against tax.md §17
 * example E10: a domestic B2B invoice of 2 x CHF 450.00 = 900.00 at
 * 19 %, VAT CHF 171.00, gross CHF 1,071.00, with the illustrative BMF
 * rate 1 EUR = 0.9390 CHF of October 2026:
 *
 *	VAT   171.00 / 0.9390 =  182.1086 ->  182.11 EUR (BT-111)
 *	gross 1071.00 / 0.9390 = 1140.5751 -> 1140.58 EUR (Basis-Umsatz)
 *
 * and the refusals: no rates file, no rate for the month, a broken file.
 */
#include <check.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "billing.h"
#include "dec.h"
#include "fxinvoice.h"
#include "testdir.h"

static const char conf_head[] =
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

static const char rates_text[] =
    "# month,currency,units per EUR,source\n"
    "2026-10,CHF,0.9390,BMF 2026-10\n"
    "2026-10,JPY,160.5\n"
    "2026-11,CHF,0.9412,BMF 2026-11\n";

static char dir[PATH_MAX], conf_path[PATH_MAX + 16];
static struct config cfg;
static struct invoice inv;
static struct kerr e;

static int64_t
m(const char *s)
{
	int64_t v;

	ck_assert_int_eq(dec_parse(s, (size_t)-1, 2, &v), KR_OK);
	return v;
}

/* Loads kontor.conf with tax.fx_rates = rates (NULL: not set). */
static void
load_config(const char *rates)
{
	char text[1024];

	snprintf(text, sizeof(text), "%s%s%s%s", conf_head,
	    rates != NULL ? "[tax]\nfx_rates = " : "", rates ? rates : "",
	    rates != NULL ? "\n" : "");
	testdir_write(dir, "kontor.conf", text);
	config_release(&cfg);
	kerr_clear(&e);
	ck_assert_msg(config_load(&cfg, conf_path, &e) == KR_OK, "%s",
	    e.msg);
}

/* E10 as kontor-tax computes it, without the EUR figures. */
static void
e10(void)
{
	struct inv_vat *v;

	invoice_reset(&inv);
	inv.number = "RE-2026-000042";
	memcpy(inv.currency, "CHF", 4);
	inv.exponent = 2;
	inv.supply_date = "2026-10-15";
	v = invoice_add_vat(&inv);
	memcpy(v->category, "S", 2);
	v->rate_bp = 1900;
	v->taxable_minor = m("900.00");
	v->vat_minor = m("171.00");
	v->gross_minor = m("1071.00");
	inv.net_minor = m("900.00");
	inv.vat_total_minor = m("171.00");
	inv.gross_minor = m("1071.00");
	inv.due_minor = m("1071.00");
}

static void
setup(void)
{
	testdir_make(dir, sizeof(dir), "fxinvoice");
	snprintf(conf_path, sizeof(conf_path), "%s/kontor.conf", dir);
	testdir_write(dir, "rates.csv", rates_text);
	memset(&cfg, 0, sizeof(cfg));
	load_config("rates.csv");
	invoice_init(&inv);
	e10();
	kerr_clear(&e);
}

static void
teardown(void)
{
	fxinvoice_cache_release();
	invoice_release(&inv);
	config_release(&cfg);
	testdir_remove(dir);
}

static void
applied(const char *tenant_dir)
{
	kerr_clear(&e);
	ck_assert_msg(fxinvoice_apply(&cfg, tenant_dir, &inv, &e) == KR_OK,
	    "%s: %s", e.field, e.msg);
	ck_assert_int_eq(inv.has_fx, 1);
}

static void
refused(int code, const char *words1, const char *words2)
{
	kerr_clear(&e);
	ck_assert_int_eq(fxinvoice_apply(&cfg, NULL, &inv, &e), code);
	ck_assert_int_eq(inv.has_fx, 0);
	ck_assert_msg(strstr(e.msg, words1) != NULL, "%s", e.msg);
	ck_assert_msg(words2 == NULL || strstr(e.msg, words2) != NULL, "%s",
	    e.msg);
	/* The order's file stays the place of the error, not the rates. */
	ck_assert_str_eq(e.file, "");
}

START_TEST(fxinvoice_converts_e10_once_from_the_totals)
{
	applied(NULL);
	ck_assert_int_eq(inv.fx_rate_e6, 939000);
	ck_assert_str_eq(inv.fx_source, "BMF 2026-10");
	ck_assert_int_eq(inv.vat_eur_minor, m("182.11"));
	ck_assert_int_eq(inv.vat[0].gross_eur_minor, m("1140.58"));
	ck_assert_int_eq(inv.rounding_eur_minor, 0);
}
END_TEST

/*
 * BT-111 is the VAT total converted, never the sum of converted parts
 * (tax.md E10).  Two breakdowns of CHF 2.74 + 0.52 VAT each: a part is
 * 0.52 / 0.9390 = 0.5538 -> 0.55 EUR, the parts add up to 1.10; the
 * total CHF 1.04 is 1.1076 -> 1.11 EUR.  Each breakdown's gross is its
 * own: 3.26 / 0.9390 = 3.4718 -> 3.47 EUR.
 */
START_TEST(fxinvoice_vat_in_eur_is_the_total_converted)
{
	struct inv_vat *v;

	inv.vat[0].vat_minor = m("0.52");
	inv.vat[0].taxable_minor = m("2.74");
	inv.vat[0].gross_minor = m("3.26");
	v = invoice_add_vat(&inv);
	memcpy(v->category, "S", 2);
	v->rate_bp = 1900;
	v->taxable_minor = m("2.74");
	v->vat_minor = m("0.52");
	v->gross_minor = m("3.26");
	inv.vat_total_minor = m("1.04");
	applied(NULL);
	ck_assert_int_eq(inv.vat_eur_minor, m("1.11"));
	/* 3.26 / 0.9390 = 3.4718 -> 3.47, each breakdown on its own */
	ck_assert_int_eq(inv.vat[0].gross_eur_minor, m("3.47"));
	ck_assert_int_eq(inv.vat[1].gross_eur_minor, m("3.47"));
}
END_TEST

START_TEST(fxinvoice_takes_the_month_of_supply)
{
	inv.supply_date = "2026-11-02";
	applied(NULL);
	ck_assert_int_eq(inv.fx_rate_e6, 941200);
	ck_assert_str_eq(inv.fx_source, "BMF 2026-11");
	/* 171.00 / 0.9412 = 181.6830 -> 181.68 */
	ck_assert_int_eq(inv.vat_eur_minor, m("181.68"));
}
END_TEST

START_TEST(fxinvoice_converts_the_rounding_amount)
{
	inv.rounding_minor = m("0.03");
	inv.due_minor = m("1071.03");
	applied(NULL);
	/* 0.03 / 0.9390 = 0.0319 -> 0.03 */
	ck_assert_int_eq(inv.rounding_eur_minor, m("0.03"));
	inv.rounding_minor = m("-0.05");
	applied(NULL);
	/* -0.05 / 0.9390 = -0.0532 -> -0.05 */
	ck_assert_int_eq(inv.rounding_eur_minor, m("-0.05"));
}
END_TEST

START_TEST(fxinvoice_names_a_source_the_file_leaves_out)
{
	/* JPY has no decimals: 1071 JPY / 160.5 = 6.6729 -> 6.67 EUR */
	memcpy(inv.currency, "JPY", 4);
	inv.exponent = 0;
	inv.vat[0].taxable_minor = 900;
	inv.vat[0].vat_minor = 171;
	inv.vat[0].gross_minor = 1071;
	inv.vat_total_minor = 171;
	applied(NULL);
	ck_assert_str_eq(inv.fx_source, "BMF 2026-10");
	ck_assert_int_eq(inv.fx_rate_e6, 160500000);
	/* 171 / 160.5 = 1.0654 -> 1.07 */
	ck_assert_int_eq(inv.vat_eur_minor, m("1.07"));
	ck_assert_int_eq(inv.vat[0].gross_eur_minor, m("6.67"));
}
END_TEST

START_TEST(fxinvoice_leaves_eur_invoices_alone)
{
	load_config(NULL);
	memcpy(inv.currency, "EUR", 4);
	kerr_clear(&e);
	ck_assert_int_eq(fxinvoice_apply(&cfg, NULL, &inv, &e), KR_OK);
	ck_assert_int_eq(inv.has_fx, 0);
	ck_assert_int_eq(inv.vat[0].gross_eur_minor, 0);
}
END_TEST

START_TEST(fxinvoice_finds_the_file_under_the_tenant_or_absolute)
{
	char sub[PATH_MAX + 8], abs_path[PATH_MAX + 32];

	/* relative to the tenant folder given */
	snprintf(sub, sizeof(sub), "%s/t", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	testdir_write(sub, "rates.csv", "2026-10,CHF,0.5,own\n");
	applied(sub);
	ck_assert_int_eq(inv.fx_rate_e6, 500000);
	ck_assert_str_eq(inv.fx_source, "own");
	/* 171.00 / 0.5 = 342.00 */
	ck_assert_int_eq(inv.vat_eur_minor, m("342.00"));

	/* absolute: the tenant folder does not matter */
	snprintf(abs_path, sizeof(abs_path), "%s/rates.csv", sub);
	load_config(abs_path);
	applied("/nonexistent");
	ck_assert_int_eq(inv.fx_rate_e6, 500000);
}
END_TEST

START_TEST(fxinvoice_reads_a_changed_file_again)
{
	applied(NULL);
	ck_assert_int_eq(inv.fx_rate_e6, 939000);
	testdir_write(dir, "rates.csv", "2026-10,CHF,0.93,corrected\n");
	applied(NULL);
	ck_assert_int_eq(inv.fx_rate_e6, 930000);
	ck_assert_str_eq(inv.fx_source, "corrected");
}
END_TEST

START_TEST(fxinvoice_refuses_a_month_the_file_lacks)
{
	char want[PATH_MAX + 32];

	inv.supply_date = "2026-12-01";
	snprintf(want, sizeof(want), "%s/rates.csv", dir);
	refused(KR_CONFIG, "no exchange rate for CHF in 2026-12", want);
	ck_assert_str_eq(e.field, "currency");
	memcpy(inv.currency, "GBP", 4);
	inv.supply_date = "2026-10-01";
	refused(KR_CONFIG, "GBP in 2026-10", want);
}
END_TEST

START_TEST(fxinvoice_refuses_without_a_rates_file)
{
	char want[PATH_MAX + 32];

	load_config(NULL);
	refused(KR_CONFIG, "rate of 2026-10", "tax.fx_rates");
	load_config("missing.csv");
	snprintf(want, sizeof(want), "%s/missing.csv", dir);
	refused(KR_CONFIG, "CHF needs the BMF monthly rates", want);
	ck_assert_msg(strstr(e.msg, "No such file") != NULL, "%s", e.msg);
}
END_TEST

START_TEST(fxinvoice_refuses_a_broken_rates_file)
{
	char want[PATH_MAX + 32];

	testdir_write(dir, "rates.csv", "2026-10,CHF,0.9390\n"
	    "2026-11,CHF,zero\n");
	snprintf(want, sizeof(want), "%s/rates.csv:2: column 3", dir);
	refused(KR_CONFIG, "cannot be read", want);
}
END_TEST

START_TEST(fxinvoice_refuses_what_datev_cannot_book)
{
	/* 0.01 CHF at 1000 per EUR is 0.00001 EUR, 0.00 */
	testdir_write(dir, "rates.csv", "2026-10,CHF,1000\n");
	inv.rounding_minor = m("0.01");
	refused(KR_BAD_INPUT, "0.01 CHF is 0.00 EUR", NULL);
	ck_assert_str_eq(e.field, "totals.rounding");
	/* CHF 10,710.00 at 0.000001 per EUR is 10,710,000,000.00 EUR */
	inv.rounding_minor = 0;
	inv.vat[0].gross_minor = m("10710.00");
	testdir_write(dir, "rates.csv", "2026-10,CHF,0.000001\n");
	refused(KR_BAD_INPUT, "more EUR than DATEV books", NULL);
	ck_assert_str_eq(e.field, "vat");
	/* IDR-like rates: 17,000 per EUR does not fit Kurs 1234,123456 */
	testdir_write(dir, "rates.csv", "2026-10,CHF,17000.5\n");
	refused(KR_BAD_INPUT, "four integer digits", NULL);
	ck_assert_str_eq(e.field, "currency");
}
END_TEST

START_TEST(fxinvoice_refuses_without_a_date_of_supply)
{
	inv.supply_date = NULL;
	refused(KR_BAD_INPUT, "date of supply", NULL);
}
END_TEST

/*
 * billing_make calls fxinvoice_apply last: a CHF order shipped in
 * Germany to a business (E10) becomes an invoice with its EUR figures,
 * and without a rate it is refused before any number is drawn.
 */
static void
e10_order(struct order *o)
{
	struct order_line *l;

	o->shop = "shop-de";
	o->order_id = "10";
	o->order_number = "#10";
	o->created_at = "2026-10-14T10:00:00Z";
	o->shipped_at = "2026-10-15T10:00:00Z";
	memcpy(o->currency, "CHF", 4);
	o->exponent = 2;
	o->prices = PRICES_NET;
	o->total_minor = m("1071.00");
	o->buyer_vat_id = "DE136695976";
	memcpy(o->shipping_addr.country, "DE", 3);
	o->shipping_addr.postcode = "50667";
	o->billing.name = "Muster AG";
	memcpy(o->billing.country, "DE", 3);
	l = order_add_line(o);
	l->name = "Beratung";
	l->qty_e4 = 20000;
	l->unit_price_e6 = 450000000;
	l->amount_minor = m("900.00");
	l->rate_bp = 1900;
}

START_TEST(fxinvoice_billing_gives_e10_its_eur_figures)
{
	struct tax_notes notes;
	struct billing b;
	struct order o;
	struct run run;

	order_init(&o);
	tax_notes_init(&notes);
	e10_order(&o);
	ck_assert_int_eq(ktime_set_zone("Europe/Berlin", &e), KR_OK);
	setenv("KONTOR_NOW", "2026-12-04T02:00:00Z", 1);
	ck_assert_int_eq(run_start(&run, "t", "Europe/Berlin", &e), KR_OK);

	kerr_clear(&e);
	billing_init(&b, &cfg, &run, NULL, NULL);
	ck_assert_msg(billing_make(&b, &o, &inv, &notes, &e) == KR_OK,
	    "%s: %s", e.field, e.msg);
	ck_assert_str_eq(inv.currency, "CHF");
	ck_assert_int_eq(inv.vat_total_minor, m("171.00"));
	ck_assert_int_eq(inv.has_fx, 1);
	ck_assert_int_eq(inv.vat_eur_minor, m("182.11"));
	ck_assert_int_eq(inv.vat[0].gross_eur_minor, m("1140.58"));

	o.shipped_at = "2026-12-01T10:00:00Z";
	kerr_clear(&e);
	ck_assert_int_eq(billing_make(&b, &o, &inv, &notes, &e), KR_CONFIG);
	ck_assert_str_eq(e.field, "currency");
	ck_assert_msg(strstr(e.msg, "CHF in 2026-12") != NULL, "%s", e.msg);
	billing_release(&b);
	tax_notes_release(&notes);
	order_release(&o);
}
END_TEST

static Suite *
fxinvoice_suite(void)
{
	Suite *s = suite_create("fxinvoice");
	TCase *tc = tcase_create("fxinvoice");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, fxinvoice_converts_e10_once_from_the_totals);
	tcase_add_test(tc, fxinvoice_vat_in_eur_is_the_total_converted);
	tcase_add_test(tc, fxinvoice_takes_the_month_of_supply);
	tcase_add_test(tc, fxinvoice_converts_the_rounding_amount);
	tcase_add_test(tc, fxinvoice_names_a_source_the_file_leaves_out);
	tcase_add_test(tc, fxinvoice_leaves_eur_invoices_alone);
	tcase_add_test(tc,
	    fxinvoice_finds_the_file_under_the_tenant_or_absolute);
	tcase_add_test(tc, fxinvoice_reads_a_changed_file_again);
	tcase_add_test(tc, fxinvoice_refuses_a_month_the_file_lacks);
	tcase_add_test(tc, fxinvoice_refuses_without_a_rates_file);
	tcase_add_test(tc, fxinvoice_refuses_a_broken_rates_file);
	tcase_add_test(tc, fxinvoice_refuses_what_datev_cannot_book);
	tcase_add_test(tc, fxinvoice_refuses_without_a_date_of_supply);
	tcase_add_test(tc, fxinvoice_billing_gives_e10_its_eur_figures);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fxinvoice_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

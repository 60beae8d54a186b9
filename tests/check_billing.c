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

static void
setup(void)
{
	char path[PATH_MAX + 16];

	testdir_make(dir, sizeof(dir), "billing");
	testdir_write(dir, "kontor.conf", conf_text);
	snprintf(path, sizeof(path), "%s/kontor.conf", dir);
	kerr_clear(&e);
	ck_assert_msg(config_load(&cfg, path, &e) == KR_OK, "%s", e.msg);
	ck_assert_int_eq(ktime_set_zone("Europe/Berlin", &e), KR_OK);
	setenv("KONTOR_NOW", "2026-12-04T02:00:00Z", 1);
	ck_assert_int_eq(run_start(&run, "t", "Europe/Berlin", &e), KR_OK);
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
	tax_notes_release(&notes);
	invoice_release(&inv);
	order_release(&o);
	config_release(&cfg);
	testdir_remove(dir);
}

static void
refused(const char *field, const char *words)
{
	kerr_clear(&e);
	ck_assert_int_ne(billing_make(&cfg, &run, &o, &inv, &notes, &e),
	    KR_OK);
	ck_assert_str_eq(e.field, field);
	ck_assert_msg(strstr(e.msg, words) != NULL, "%s", e.msg);
}

START_TEST(billing_fills_a_domestic_invoice)
{
	kerr_clear(&e);
	ck_assert_msg(billing_make(&cfg, &run, &o, &inv, &notes, &e) ==
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

START_TEST(billing_refuses_a_cross_border_sale_by_name)
{
	memcpy(o.shipping_addr.country, "FR", 3);
	refused("shipping.country", "ship-to country FR");
}
END_TEST

START_TEST(billing_refuses_a_rate_germany_does_not_have)
{
	o.lines[0].rate_bp = 1600;
	refused("lines[0].tax_rate", "16 % is not a German VAT rate");
	/* ... which it had in the second half of 2020. */
	o.shipped_at = "2020-09-01T10:00:00Z";
	kerr_clear(&e);
	ck_assert_int_ne(billing_make(&cfg, &run, &o, &inv, &notes, &e),
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

START_TEST(billing_refuses_other_currencies_for_now)
{
	memcpy(o.currency, "CHF", 4);
	refused("currency", "CHF");
}
END_TEST

START_TEST(billing_refuses_a_deemed_supplier_order_by_name)
{
	o.deemed_supplier = 1;
	o.marketplace_vat_minor = m("0.70");
	refused("deemed_supplier", "the marketplace collected the VAT as "
	    "deemed supplier (tax.md §9): not supported yet");
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
	ck_assert_int_eq(billing_make(&cfg, &run, &o, &inv, &notes, &e),
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

static Suite *
billing_suite(void)
{
	Suite *s = suite_create("billing");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, billing_fills_a_domestic_invoice);
	tcase_add_test(tc, billing_refuses_a_cross_border_sale_by_name);
	tcase_add_test(tc, billing_refuses_a_rate_germany_does_not_have);
	tcase_add_test(tc, billing_needs_an_account_for_every_rate);
	tcase_add_test(tc,
	    billing_needs_a_rounding_account_for_a_rounding_amount);
	tcase_add_test(tc, billing_refuses_what_datev_could_not_book);
	tcase_add_test(tc, billing_refuses_other_currencies_for_now);
	tcase_add_test(tc, billing_refuses_a_deemed_supplier_order_by_name);
	tcase_add_test(tc, billing_maps_payment_gateways);
	tcase_add_test(tc,
	    billing_takes_the_date_of_supply_from_shipping_then_payment);
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

/*
 * The VAT arithmetic against the worked examples of ../spec/tax.md §17
 * and the hand-checked orders of the fixtures' EXPECTED.md.  Every
 * expected figure below is the spec's, not the program's.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "taxcalc.h"

static struct order o;
static struct invoice inv;
static struct tax_notes notes;
static struct line_tax lt[16];
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
	order_init(&o);
	invoice_init(&inv);
	tax_notes_init(&notes);
	kerr_clear(&e);
	memcpy(o.currency, "EUR", 4);
	o.exponent = 2;
	o.order_number = "T1";
}

static void
teardown(void)
{
	order_release(&o);
	invoice_release(&inv);
	tax_notes_release(&notes);
}

/* A line of qty units making amount, less an allocated discount. */
static void
line(const char *qty, const char *amount, const char *discount,
    int64_t rate_bp)
{
	struct order_line *l = order_add_line(&o);

	ck_assert_int_eq(dec_parse(qty, (size_t)-1, QTY_SCALE, &l->qty_e4),
	    KR_OK);
	l->name = "item";
	l->amount_minor = m(amount);
	l->discount_minor = m(discount);
	l->rate_bp = rate_bp;
	lt[o.nlines - 1].rate_bp = rate_bp;
	strcpy(lt[o.nlines - 1].category, rate_bp > 0 ? "S" : "Z");
}

static void
shipping(const char *amount)
{
	order_add_shipping(&o)->amount_minor = m(amount);
}

static void
coupon(const char *amount)
{
	struct order_discount *d = order_add_discount(&o);

	d->code = "COUPON";
	d->amount_minor = m(amount);
	d->allocated = 0;
}

/* A discount the platform allocated to one rate (Shopware). */
static void
rate_discount(const char *code, const char *amount, int64_t rate_bp,
    const char *tax)
{
	struct order_discount *d = order_add_discount(&o);

	d->code = code;
	d->amount_minor = m(amount);
	d->allocated = 0;
	d->rate_bp = rate_bp;
	if (tax != NULL) {
		d->tax_minor = m(tax);
		d->has_tax = 1;
	}
}

static void
run(enum prices p, const char *paid)
{
	o.prices = p;
	o.total_minor = m(paid);
	ck_assert_int_eq(taxcalc_run(&o, lt, &inv, &notes, &e), KR_OK);
}

static void
rate_is(size_t i, int64_t rate_bp, const char *net, const char *vat,
    const char *gross, const char *delta)
{
	ck_assert_uint_gt(inv.nvat, i);
	ck_assert_int_eq(inv.vat[i].rate_bp, rate_bp);
	ck_assert_int_eq(inv.vat[i].taxable_minor, m(net));
	ck_assert_int_eq(inv.vat[i].vat_minor, m(vat));
	ck_assert_int_eq(inv.vat[i].gross_minor, m(gross));
	ck_assert_int_eq(inv.vat[i].delta_minor, m(delta));
}

static void
totals_are(const char *net, const char *vat, const char *gross,
    const char *paid, const char *rounding)
{
	ck_assert_int_eq(inv.net_minor, m(net));
	ck_assert_int_eq(inv.vat_total_minor, m(vat));
	ck_assert_int_eq(inv.gross_minor, m(gross));
	ck_assert_int_eq(inv.paid_minor, m(paid));
	ck_assert_int_eq(inv.rounding_minor, m(rounding));
	ck_assert_int_eq(inv.due_minor, 0);
}

static const struct inv_adjust *
charge_at(int64_t rate_bp)
{
	size_t i;

	for (i = 0; i < inv.nadjusts; i++)
		if (inv.adjusts[i].charge && inv.adjusts[i].rate_bp == rate_bp)
			return &inv.adjusts[i];
	ck_abort_msg("no charge at rate %lld", (long long)rate_bp);
	return NULL;
}

static const struct inv_adjust *
allowance_at(int64_t rate_bp)
{
	size_t i;

	for (i = 0; i < inv.nadjusts; i++)
		if (!inv.adjusts[i].charge &&
		    inv.adjusts[i].rate_bp == rate_bp)
			return &inv.adjusts[i];
	ck_abort_msg("no allowance at rate %lld", (long long)rate_bp);
	return NULL;
}

START_TEST(e1_gross_mixed_rates_split_shipping)
{
	line("1", "29.99", "0.00", 1900);
	line("2", "25.90", "0.00", 700);
	shipping("4.95");
	run(PRICES_GROSS, "60.84");

	rate_is(0, 1900, "27.32", "5.19", "32.51", "0.00");
	rate_is(1, 700, "26.48", "1.85", "28.33", "0.00");
	ck_assert_int_eq(inv.lines[0].net_minor, m("25.20"));
	ck_assert_int_eq(inv.lines[1].net_minor, m("24.21"));
	ck_assert_int_eq(charge_at(1900)->gross_minor, m("2.52"));
	ck_assert_int_eq(charge_at(1900)->net_minor, m("2.12"));
	ck_assert_int_eq(charge_at(700)->gross_minor, m("2.43"));
	ck_assert_int_eq(charge_at(700)->net_minor, m("2.27"));
	totals_are("53.80", "7.04", "60.84", "60.84", "0.00");
}
END_TEST

START_TEST(e2_unallocated_coupon_split_by_weights)
{
	line("1", "50.00", "0.00", 1900);
	line("1", "30.00", "0.00", 700);
	coupon("10.00");
	run(PRICES_GROSS, "70.00");

	ck_assert_int_eq(allowance_at(1900)->gross_minor, m("6.00"));
	ck_assert_int_eq(allowance_at(700)->gross_minor, m("4.00"));
	rate_is(0, 1900, "36.97", "7.03", "44.00", "0.01");
	rate_is(1, 700, "24.30", "1.70", "26.00", "0.00");
	totals_are("61.27", "8.73", "70.00", "70.00", "0.00");
}
END_TEST

START_TEST(e3_vat_per_rate_not_per_line)
{
	line("1", "4.99", "0.00", 1900);
	line("1", "4.99", "0.00", 1900);
	run(PRICES_GROSS, "9.98");

	ck_assert_uint_eq(inv.nvat, 1);
	rate_is(0, 1900, "8.39", "1.59", "9.98", "0.00");
	totals_are("8.39", "1.59", "9.98", "9.98", "0.00");
}
END_TEST

START_TEST(e4_quantity_three_at_99_cents)
{
	line("3", "2.97", "0.00", 1900);
	run(PRICES_GROSS, "2.97");

	rate_is(0, 1900, "2.50", "0.47", "2.97", "-0.01");
	ck_assert_int_eq(inv.lines[0].net_minor, m("2.50"));
	ck_assert_int_eq(inv.lines[0].net_price_e4, 8333);
}
END_TEST

/* EXPECTED.md, de-shopify-2: HERBST10 allocated by Shopify, shipping
 * 3.90 split 1.62 (7 %) / 2.28 (19 %). */
START_TEST(shopify_allocated_code_and_shipping_over_two_rates)
{
	line("3", "25.47", "3.90", 700);
	line("1", "39.90", "6.10", 1900);
	shipping("3.90");
	run(PRICES_GROSS, "59.27");

	ck_assert_int_eq(charge_at(700)->gross_minor, m("1.62"));
	ck_assert_int_eq(charge_at(1900)->gross_minor, m("2.28"));
	rate_is(0, 1900, "30.32", "5.76", "36.08", "0.00");
	rate_is(1, 700, "21.67", "1.52", "23.19", "0.00");
	totals_are("51.99", "7.28", "59.27", "59.27", "0.00");
	/* The discount stays on its line: 3 x 8.49 = 25.47 gross is 23.80
	 * net; after the allocation 21.57 gross is 20.16 net. */
	ck_assert_int_eq(inv.lines[0].allowance_minor, m("3.64"));
	ck_assert_int_eq(inv.lines[0].net_minor, m("20.16"));
	ck_assert_uint_eq(inv.nadjusts, 2);
}
END_TEST

/* EXPECTED.md, de-shopify-1: weights 33.47 / 24.11 ... shipping 4.90 is
 * 2.85 (19 %) and 2.05 (7 %). */
START_TEST(shopify_gross_mixed_shipping)
{
	line("1", "14.95", "0.00", 1900);
	line("1", "24.90", "0.00", 1900);
	line("1", "25.80", "0.00", 700);
	shipping("4.90");
	run(PRICES_GROSS, "70.55");

	ck_assert_int_eq(charge_at(1900)->gross_minor, m("2.85"));
	ck_assert_int_eq(charge_at(700)->gross_minor, m("2.05"));
	rate_is(0, 1900, "35.88", "6.82", "42.70", "0.00");
	rate_is(1, 700, "26.03", "1.82", "27.85", "0.00");
	totals_are("61.91", "8.64", "70.55", "70.55", "0.00");
}
END_TEST

/* EXPECTED.md, de-woo-2: net prices, the shop's per-line cent in BT-114. */
START_TEST(woo_net_prices_per_line_cent_goes_to_rounding)
{
	line("2", "12.50", "0.00", 1900);
	line("1", "7.50", "0.00", 1900);
	line("1", "2.50", "0.00", 1900);
	shipping("4.95");
	run(PRICES_NET, "32.68");

	rate_is(0, 1900, "27.45", "5.22", "32.67", "0.00");
	ck_assert_int_eq(inv.line_net_minor, m("22.50"));
	ck_assert_int_eq(inv.charges_minor, m("4.95"));
	totals_are("27.45", "5.22", "32.67", "32.68", "0.01");
}
END_TEST

/* EXPECTED.md, de-woo-6: 3 x 9.99, Mode G gives 4.79 VAT, delta +0.01. */
START_TEST(woo_three_times_999)
{
	line("1", "9.99", "0.00", 1900);
	line("1", "9.99", "0.00", 1900);
	line("1", "9.99", "0.00", 1900);
	run(PRICES_GROSS, "29.97");

	rate_is(0, 1900, "25.18", "4.79", "29.97", "0.01");
	/* Each line is round(9.99 / 1.19) = 8.39; 25.17 leaves one cent for
	 * the first line with the largest net. */
	ck_assert_int_eq(inv.lines[0].net_minor + inv.lines[1].net_minor +
	    inv.lines[2].net_minor, m("25.18"));
}
END_TEST

START_TEST(zero_rated_line_is_category_z)
{
	line("1", "100.00", "0.00", 0);
	run(PRICES_GROSS, "100.00");

	ck_assert_str_eq(inv.vat[0].category, "Z");
	rate_is(0, 0, "100.00", "0.00", "100.00", "0.00");
}
END_TEST

START_TEST(gross_total_that_does_not_add_up_is_refused)
{
	line("1", "10.00", "0.00", 1900);
	o.prices = PRICES_GROSS;
	o.total_minor = m("10.01");
	ck_assert_int_eq(taxcalc_run(&o, lt, &inv, &notes, &e), KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "totals.total");
	ck_assert_ptr_nonnull(strstr(e.msg, "10.01"));
}
END_TEST

START_TEST(net_total_far_from_invoice_is_refused)
{
	line("1", "10.00", "0.00", 1900);
	o.prices = PRICES_NET;
	o.total_minor = m("11.95");	/* 11.90 is right */
	ck_assert_int_eq(taxcalc_run(&o, lt, &inv, &notes, &e), KR_BAD_INPUT);
}
END_TEST

START_TEST(shop_tax_differing_by_more_than_a_cent_is_noted)
{
	line("1", "10.00", "0.00", 1900);
	o.lines[0].has_tax = 1;
	o.lines[0].tax_minor = m("1.90");	/* 10.00 / 1.19: 1.60 */
	run(PRICES_GROSS, "10.00");
	ck_assert_int_eq(notes.n, 1);
	ck_assert_ptr_nonnull(strstr(notes.text.data, "1.90"));
	ck_assert_ptr_nonnull(strstr(notes.text.data, "1.60"));
}
END_TEST

/* Without notes (-q) the figures are the same, and nothing is noted. */
START_TEST(shop_tax_differing_without_notes_gives_the_same_invoice)
{
	line("1", "10.00", "0.00", 1900);
	o.lines[0].has_tax = 1;
	o.lines[0].tax_minor = m("1.90");
	o.prices = PRICES_GROSS;
	o.total_minor = m("10.00");
	ck_assert_int_eq(taxcalc_run(&o, lt, &inv, NULL, &e), KR_OK);
	rate_is(0, 1900, "8.40", "1.60", "10.00", "0.00");
	ck_assert_int_eq(notes.n, 0);
}
END_TEST

/*
 * EXPECTED.md de-shopware-4: FRUEHSTUECK5 -5.00, which Shopware put
 * 3.15 on 19 % and 1.85 on 7 %.  19 %: G = 22.90 - 3.15 = 19.75, VAT
 * 19.75 x 19 / 119 = 3.1534 -> 3.15, taxable 16.60.  7 %: G = 13.47 -
 * 1.85 = 11.62, VAT 11.62 x 7 / 107 = 0.7602 -> 0.76, taxable 10.86.
 */
START_TEST(shopware_promotion_parts_reduce_their_rates)
{
	line("1", "22.90", "0.00", 1900);
	line("3", "13.47", "0.00", 700);
	o.lines[0].has_tax = o.lines[1].has_tax = 1;
	o.lines[0].tax_minor = m("3.66");
	o.lines[1].tax_minor = m("0.88");
	rate_discount("FRUEHSTUECK5", "3.15", 1900, "0.50");
	rate_discount("FRUEHSTUECK5", "1.85", 700, "0.12");
	run(PRICES_GROSS, "31.37");
	rate_is(0, 1900, "16.60", "3.15", "19.75", "0.00");
	rate_is(1, 700, "10.86", "0.76", "11.62", "0.00");
	totals_are("27.46", "3.91", "31.37", "31.37", "0.00");

	/* Each part is one allowance at its rate, never split again.  The
	 * line nets are 22.90 / 1.19 = 19.24 and 13.47 / 1.07 = 12.59; the
	 * parts' nets 3.15 / 1.19 = 2.65 and 1.85 / 1.07 = 1.73.  At 19 %
	 * 19.24 - 2.65 = 16.59 misses 16.60 by a cent, which the
	 * allowance, the rate's largest document-level element, gives up:
	 * 2.64.  At 7 % 12.59 - 1.73 = 10.86 holds. */
	ck_assert_int_eq(inv.nadjusts, 2);
	ck_assert_int_eq(allowance_at(1900)->gross_minor, m("3.15"));
	ck_assert_int_eq(allowance_at(1900)->net_minor, m("2.64"));
	ck_assert_str_eq(allowance_at(1900)->reason, "FRUEHSTUECK5");
	ck_assert_int_eq(allowance_at(700)->gross_minor, m("1.85"));
	ck_assert_int_eq(allowance_at(700)->net_minor, m("1.73"));
	ck_assert_int_eq(inv.lines[0].net_minor, m("19.24"));
	ck_assert_int_eq(inv.lines[1].net_minor, m("12.59"));
	ck_assert_int_eq(inv.allowances_minor, m("4.37"));
	/* The shop's 3.66 - 0.50 = 3.16 at 19 % is a cent from 3.15. */
	ck_assert_int_eq(notes.n, 0);
}
END_TEST

/*
 * The same order with shipping 4.90: the weights are taken after the
 * parts.  19 %: 19.75 / 1.19 = 16.5966 -> 16.60; 7 %: 11.62 / 1.07 =
 * 10.8598 -> 10.86; total 27.46.  7 % part round(4.90 x 10.86 / 27.46
 * = 1.9379) = 1.94, 19 % part 2.96.  19 %: G 22.71, VAT 3.6259 -> 3.63,
 * taxable 19.08.  7 %: G 13.56, VAT 0.8871 -> 0.89, taxable 12.67.
 * (Weights before the parts, 19.24 and 12.59, would put 1.94 too, but
 * the basis must be what was sold.)
 */
START_TEST(shipping_weights_come_after_rate_discounts)
{
	line("1", "22.90", "0.00", 1900);
	line("3", "13.47", "0.00", 700);
	rate_discount("FRUEHSTUECK5", "3.15", 1900, NULL);
	rate_discount("FRUEHSTUECK5", "1.85", 700, NULL);
	shipping("4.90");
	run(PRICES_GROSS, "36.27");
	ck_assert_int_eq(charge_at(700)->gross_minor, m("1.94"));
	ck_assert_int_eq(charge_at(1900)->gross_minor, m("2.96"));
	rate_is(0, 1900, "19.08", "3.63", "22.71", "0.00");
	rate_is(1, 700, "12.67", "0.89", "13.56", "0.00");
	totals_are("31.75", "4.52", "36.27", "36.27", "0.00");
}
END_TEST

/*
 * Mode N: nets 100.00 at 19 % and 50.00 at 7 %, parts 10.00 and 5.00,
 * shipping 10.00 net.  Weights 90.00 and 45.00: 7 % part round(10.00
 * x 45 / 135 = 3.333) = 3.33, 19 % part 6.67.  19 %: 90.00 + 6.67 =
 * 96.67, VAT 18.3673 -> 18.37; 7 %: 45.00 + 3.33 = 48.33, VAT 3.3831
 * -> 3.38.  Net 145.00, VAT 21.75, gross 166.75.
 */
START_TEST(net_rate_discounts_reduce_the_taxable_amount)
{
	line("1", "100.00", "0.00", 1900);
	line("2", "50.00", "0.00", 700);
	rate_discount("B2B", "10.00", 1900, NULL);
	rate_discount("B2B", "5.00", 700, NULL);
	shipping("10.00");
	run(PRICES_NET, "166.75");
	rate_is(0, 1900, "96.67", "18.37", "115.04", "0.00");
	rate_is(1, 700, "48.33", "3.38", "51.71", "0.00");
	ck_assert_int_eq(allowance_at(1900)->net_minor, m("10.00"));
	ck_assert_int_eq(allowance_at(700)->net_minor, m("5.00"));
	ck_assert_int_eq(charge_at(1900)->net_minor, m("6.67"));
	totals_are("145.00", "21.75", "166.75", "166.75", "0.00");
}
END_TEST

START_TEST(rate_discount_without_goods_at_its_rate_is_refused)
{
	line("1", "22.90", "0.00", 1900);
	rate_discount("X", "1.00", 700, NULL);
	o.prices = PRICES_GROSS;
	o.total_minor = m("21.90");
	ck_assert_int_eq(taxcalc_run(&o, lt, &inv, &notes, &e),
	    KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "discounts[0].rate");
	ck_assert_ptr_nonnull(strstr(e.msg, "no line has that rate"));
}
END_TEST

START_TEST(split_gives_remainder_to_largest_weight)
{
	int64_t w[3] = {2016, 2840, 0}, r[3] = {700, 1900, 0}, p[3];

	taxcalc_split(390, w, r, 2, p);
	ck_assert_int_eq(p[0], 162);
	ck_assert_int_eq(p[1], 228);

	/* Equal weights: the higher rate takes the remainder. */
	w[0] = 100;
	w[1] = 100;
	taxcalc_split(101, w, r, 2, p);
	ck_assert_int_eq(p[0], 51);	/* round(50.5) */
	ck_assert_int_eq(p[1], 50);

	/* No weight at all: the highest rate takes everything. */
	w[0] = 0;
	w[1] = 0;
	w[2] = 0;
	taxcalc_split(500, w, r, 3, p);
	ck_assert_int_eq(p[1], 500);
	ck_assert_int_eq(p[0] + p[2], 0);
}
END_TEST

static Suite *
taxcalc_suite(void)
{
	Suite *s = suite_create("taxcalc");
	TCase *tc = tcase_create("examples");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, e1_gross_mixed_rates_split_shipping);
	tcase_add_test(tc, e2_unallocated_coupon_split_by_weights);
	tcase_add_test(tc, e3_vat_per_rate_not_per_line);
	tcase_add_test(tc, e4_quantity_three_at_99_cents);
	tcase_add_test(tc, shopify_allocated_code_and_shipping_over_two_rates);
	tcase_add_test(tc, shopify_gross_mixed_shipping);
	tcase_add_test(tc, woo_net_prices_per_line_cent_goes_to_rounding);
	tcase_add_test(tc, woo_three_times_999);
	tcase_add_test(tc, zero_rated_line_is_category_z);
	tcase_add_test(tc, gross_total_that_does_not_add_up_is_refused);
	tcase_add_test(tc, net_total_far_from_invoice_is_refused);
	tcase_add_test(tc, shop_tax_differing_by_more_than_a_cent_is_noted);
	tcase_add_test(tc,
	    shop_tax_differing_without_notes_gives_the_same_invoice);
	tcase_add_test(tc, split_gives_remainder_to_largest_weight);
	tcase_add_test(tc, shopware_promotion_parts_reduce_their_rates);
	tcase_add_test(tc, shipping_weights_come_after_rate_discounts);
	tcase_add_test(tc, net_rate_discounts_reduce_the_taxable_amount);
	tcase_add_test(tc,
	    rate_discount_without_goods_at_its_rate_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(taxcalc_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

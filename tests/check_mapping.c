#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"
#include "err.h"
#include "json.h"
#include "ktime.h"
#include "mapping.h"
#include "order.h"

static struct jdoc doc;
static struct order ord;
static struct kerr err;

static void
setup(void)
{
	jdoc_init(&doc);
	order_init(&ord);
	kerr_clear(&err);
}

static void
teardown(void)
{
	order_release(&ord);
	jdoc_release(&doc);
}

static const struct jnode *
parse(const char *json)
{
	ck_assert_int_eq(jdoc_parse(&doc, json, strlen(json), &err), KR_OK);
	return doc.root;
}

START_TEST(mapping_time_converts_offsets_to_utc)
{
	const struct jnode *n = parse("{\"a\":\"2026-10-12T18:40:05+02:00\","
	    "\"b\":\"2026-03-29T01:30:00-05:00\","
	    "\"c\":\"2026-10-12T16:40:05\"}");
	const char *t = NULL;

	ck_assert_int_eq(mapping_time(&ord, n, "a", MAPPING_NEED_ZONE, 1, &t,
	    "", &err), KR_OK);
	ck_assert_str_eq(t, "2026-10-12T16:40:05Z");
	/* 01:30 at -05:00 is 06:30 UTC, whatever the local zone. */
	ck_assert_int_eq(mapping_time(&ord, n, "b", MAPPING_NEED_ZONE, 1, &t,
	    "", &err), KR_OK);
	ck_assert_str_eq(t, "2026-03-29T06:30:00Z");
	ck_assert_int_eq(mapping_time(&ord, n, "c", MAPPING_BARE_UTC, 1, &t,
	    "", &err), KR_OK);
	ck_assert_str_eq(t, "2026-10-12T16:40:05Z");
}
END_TEST

START_TEST(mapping_time_refuses_a_time_without_its_zone)
{
	const struct jnode *n = parse("{\"o\":{\"c\":\"2026-10-12T16:40:05\","
	    "\"d\":\"yesterday\"}}");
	const char *t = NULL;

	ck_assert_int_eq(mapping_time(&ord, jget(n, "o"), "c",
	    MAPPING_NEED_ZONE, 1, &t, "o", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "o.c");
	ck_assert_ptr_nonnull(strstr(err.msg, "with an offset"));
	ck_assert_int_eq(mapping_time(&ord, jget(n, "o"), "d",
	    MAPPING_BARE_UTC, 1, &t, "o", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "o.d");
	ck_assert_ptr_null(t);
}
END_TEST

START_TEST(mapping_id_takes_one_form_of_each_id)
{
	static const char *const good[] = {
		"{\"id\":5400810067362}", "{\"id\":\"5400810067362\"}",
		"{\"id\":1}", "{\"id\":\"18446744073709551615\"}",
	};
	static const char *const bad[] = {
		"{\"id\":5400810067362.0}", "{\"id\":\"0005400810067362\"}",
		"{\"id\":true}", "{\"id\":false}", "{\"id\":0}",
		"{\"id\":\"0\"}", "{\"id\":-5}", "{\"id\":5.400810067363e12}",
		"{\"id\":\"\"}", "{\"id\":\" 54\"}", "{\"id\":\"54 \"}",
		"{\"id\":\"+54\"}", "{\"id\":\"54a\"}", "{\"id\":{}}",
		"{\"id\":123456789012345678901}",
	};
	const char *id;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		id = NULL;
		ck_assert_msg(mapping_id(parse(good[i]), "id", 1, &id, "o",
		    &err) == KR_OK, "refused %s: %s", good[i], err.msg);
		ck_assert_ptr_nonnull(id);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		id = NULL;
		kerr_clear(&err);
		ck_assert_msg(mapping_id(parse(bad[i]), "id", 1, &id, "o",
		    &err) == KR_BAD_INPUT, "took %s", bad[i]);
		ck_assert_ptr_null(id);
		ck_assert_str_eq(err.field, "o.id");
		ck_assert_ptr_nonnull(strstr(err.msg, "an id of up to 20 "));
	}
	ck_assert_ptr_nonnull(strstr(err.msg, "got 123456789012345678901"));

	/* Missing or null: an error only when required. */
	id = NULL;
	ck_assert_int_eq(mapping_id(parse("{\"id\":null}"), "id", 0, &id,
	    "", &err), KR_OK);
	ck_assert_ptr_null(id);
	ck_assert_int_eq(mapping_id(parse("{}"), "id", 1, &id, "", &err),
	    KR_BAD_INPUT);
	ck_assert_str_eq(err.msg, "required field is missing");
}
END_TEST

START_TEST(mapping_unit_price_is_exact_or_rounded_at_six_decimals)
{
	int64_t u;

	/* 35.90 over 2: 17.95 exactly. */
	ck_assert_int_eq(mapping_unit_price(3590, 2, 20000, &u), KR_OK);
	ck_assert_int_eq(u, 17950000);
	/* 10.00 over 3: 3.3333333... -> 3.333333. */
	ck_assert_int_eq(mapping_unit_price(1000, 2, 30000, &u), KR_OK);
	ck_assert_int_eq(u, 3333333);
	/* 20.00 over 3: 6.6666666... -> 6.666667. */
	ck_assert_int_eq(mapping_unit_price(2000, 2, 30000, &u), KR_OK);
	ck_assert_int_eq(u, 6666667);
	/* 1200 JPY over 2.5: 480 exactly. */
	ck_assert_int_eq(mapping_unit_price(1200, 0, 25000, &u), KR_OK);
	ck_assert_int_eq(u, 480000000);
}
END_TEST

START_TEST(mapping_line_amount_rounds_half_away_from_zero)
{
	int64_t a;

	/* 3 x 8.49 = 25.47. */
	ck_assert_int_eq(mapping_line_amount(30000, 8490000, 2, &a), KR_OK);
	ck_assert_int_eq(a, 2547);
	/* 3 x 3.333333 = 9.999999 -> 10.00. */
	ck_assert_int_eq(mapping_line_amount(30000, 3333333, 2, &a), KR_OK);
	ck_assert_int_eq(a, 1000);
	/* 0.5 x 0.01 = 0.005 -> 0.01. */
	ck_assert_int_eq(mapping_line_amount(5000, 10000, 2, &a), KR_OK);
	ck_assert_int_eq(a, 1);
}
END_TEST

START_TEST(mapping_qty_wants_more_than_nothing)
{
	const struct jnode *n = parse("{\"a\":2,\"b\":\"0\",\"c\":\"1.5\"}");
	int64_t q;

	ck_assert_int_eq(mapping_qty(n, "a", &q, "x", &err), KR_OK);
	ck_assert_int_eq(q, 20000);
	ck_assert_int_eq(mapping_qty(n, "c", &q, "x", &err), KR_OK);
	ck_assert_int_eq(q, 15000);
	ck_assert_int_eq(mapping_qty(n, "b", &q, "x", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "x.b");
	ck_assert_str_eq(err.msg, "expected a quantity above 0, got \"0\"");
}
END_TEST

START_TEST(mapping_country_takes_two_capitals_only)
{
	const struct jnode *n = parse("{\"a\":\"DE\",\"b\":\"\",\"c\":\"de\","
	    "\"d\":\"Germany\"}");
	char cc[3];

	ck_assert_int_eq(mapping_country(n, "a", cc, "", &err), KR_OK);
	ck_assert_str_eq(cc, "DE");
	ck_assert_int_eq(mapping_country(n, "b", cc, "", &err), KR_OK);
	ck_assert_str_eq(cc, "");
	ck_assert_int_eq(mapping_country(n, "missing", cc, "", &err), KR_OK);
	ck_assert_str_eq(cc, "");
	ck_assert_int_eq(mapping_country(n, "c", cc, "", &err), KR_BAD_INPUT);
	ck_assert_int_eq(mapping_country(n, "d", cc, "", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "d");
}
END_TEST

START_TEST(mapping_join_and_reasons_compose_text)
{
	const char *list = NULL;

	ck_assert_str_eq(mapping_join(&ord, "Jana", "Köhler"),
	    "Jana Köhler");
	ck_assert_str_eq(mapping_join(&ord, "", "Köhler"), "Köhler");
	ck_assert_str_eq(mapping_join(&ord, "Jana", NULL), "Jana");
	ck_assert_ptr_null(mapping_join(&ord, NULL, ""));

	mapping_add_reason(&ord, &list, "HERBST10");
	mapping_add_reason(&ord, &list, "HERBST");
	mapping_add_reason(&ord, &list, "HERBST10");
	mapping_add_reason(&ord, &list, "");
	ck_assert_str_eq(list, "HERBST10, HERBST");
}
END_TEST

/* A one-line order: 19.99 with 2.00 off, shipping 4.90. */
static void
small_order(enum prices prices)
{
	struct order_line *l;
	struct order_shipping *s;

	order_reset(&ord);
	ck_assert_int_eq(order_set_currency(&ord, "EUR", "currency", &err),
	    KR_OK);
	ord.order_number = "T1";
	ord.prices = prices;
	l = order_add_line(&ord);
	l->amount_minor = 1999;
	l->discount_minor = 200;
	s = order_add_shipping(&ord);
	s->amount_minor = 490;
}

START_TEST(mapping_check_totals_is_exact_for_gross_prices)
{
	small_order(PRICES_GROSS);
	ord.total_minor = 2289;		/* 19.99 - 2.00 + 4.90 */
	ck_assert_int_eq(mapping_check_totals(&ord, "total", &err), KR_OK);
	ord.total_minor = 2290;
	ck_assert_int_eq(mapping_check_totals(&ord, "total", &err),
	    KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "total");
	ck_assert_str_eq(err.msg, "order T1: lines and shipping after "
	    "discounts add up to 22.89, but the platform states a total of "
	    "22.90");
	/* An unallocated code comes off the sum: 22.89 - 1.00. */
	order_add_discount(&ord)->amount_minor = 100;
	ord.total_minor = 2189;
	ck_assert_int_eq(mapping_check_totals(&ord, "total", &err), KR_OK);
}
END_TEST

START_TEST(mapping_check_totals_allows_a_cent_for_net_prices)
{
	small_order(PRICES_NET);
	ord.has_tax_total = 1;
	ord.tax_total_minor = 435;	/* 22.89 + 4.35 = 27.24 */
	ord.total_minor = 2724;
	ck_assert_int_eq(mapping_check_totals(&ord, "total", &err), KR_OK);
	ord.total_minor = 2725;
	ck_assert_int_eq(mapping_check_totals(&ord, "total", &err), KR_OK);
	ord.total_minor = 2723;
	ck_assert_int_eq(mapping_check_totals(&ord, "total", &err), KR_OK);
	ord.total_minor = 2726;
	ck_assert_int_eq(mapping_check_totals(&ord, "total", &err),
	    KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "plus the tax, add up to "
	    "27.24, but the platform states a total of 27.26"));
}
END_TEST

START_TEST(mapping_key_takes_string_ids_of_their_alphabet)
{
	const struct jnode *n = parse("{\"a\":\"302-4817263-5501937\","
	    "\"b\":3024817263,\"c\":\"-302\",\"d\":\"302 481\","
	    "\"e\":\"6ff408b20e01c7ec02a82dc1c40820c5\","
	    "\"f\":\"6FF408B20E01C7EC02A82DC1C40820C5\",\"g\":\"\"}");
	const char *id = NULL;

	ck_assert_int_eq(mapping_key(n, "a", MAPPING_KEY_DIGITS_DASH, 1, 40,
	    1, &id, "", &err), KR_OK);
	ck_assert_str_eq(id, "302-4817263-5501937");
	ck_assert_int_eq(mapping_key(n, "e", MAPPING_KEY_HEX, 32, 32, 1, &id,
	    "", &err), KR_OK);
	ck_assert_str_eq(id, "6ff408b20e01c7ec02a82dc1c40820c5");
	/* A number, a dash at either end, other characters, capitals where
	 * the platform writes small letters, nothing at all. */
	ck_assert_int_eq(mapping_key(n, "b", MAPPING_KEY_DIGITS_DASH, 1, 40,
	    1, &id, "o", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "o.b");
	ck_assert_ptr_nonnull(strstr(err.msg, "as a string, got 3024817263"));
	ck_assert_int_eq(mapping_key(n, "c", MAPPING_KEY_DIGITS_DASH, 1, 40,
	    1, &id, "", &err), KR_BAD_INPUT);
	ck_assert_int_eq(mapping_key(n, "d", MAPPING_KEY_DIGITS_DASH, 1, 40,
	    1, &id, "", &err), KR_BAD_INPUT);
	ck_assert_int_eq(mapping_key(n, "f", MAPPING_KEY_HEX, 32, 32, 1, &id,
	    "", &err), KR_BAD_INPUT);
	ck_assert_int_eq(mapping_key(n, "g", MAPPING_KEY_HEX, 1, 32, 1, &id,
	    "", &err), KR_BAD_INPUT);
	ck_assert_int_eq(mapping_key(n, "x", MAPPING_KEY_HEX, 1, 32, 1, &id,
	    "", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.msg, "required field is missing");
	id = "kept";
	ck_assert_int_eq(mapping_key(n, "x", MAPPING_KEY_HEX, 1, 32, 0, &id,
	    "", &err), KR_OK);
	ck_assert_str_eq(id, "kept");
}
END_TEST

START_TEST(mapping_money_wants_the_orders_currency)
{
	const struct jnode *n = parse("{\"p\":{\"CurrencyCode\":\"EUR\","
	    "\"Amount\":\"23.90\"},\"q\":{\"value\":\"1.5\","
	    "\"currency\":\"USD\"},\"r\":{\"CurrencyCode\":\"EUR\","
	    "\"Amount\":\"1.234\"},\"s\":\"23.90\"}");
	int64_t v = -1;

	ck_assert_int_eq(order_set_currency(&ord, "EUR", "currency", &err),
	    KR_OK);
	ck_assert_int_eq(mapping_money(&ord, n, "p", "Amount", "CurrencyCode",
	    1, &v, "", &err), KR_OK);
	ck_assert_int_eq(v, 2390);
	ck_assert_int_eq(mapping_money(&ord, n, "q", "value", "currency", 1,
	    &v, "x", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "x.q.currency");
	ck_assert_ptr_nonnull(strstr(err.msg, "got \"USD\""));
	ck_assert_int_eq(mapping_money(&ord, n, "r", "Amount", "CurrencyCode",
	    1, &v, "", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "r.Amount");
	ck_assert_int_eq(mapping_money(&ord, n, "s", "Amount", "CurrencyCode",
	    1, &v, "", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "s");
	v = 7;
	ck_assert_int_eq(mapping_money(&ord, n, "t", "Amount", "CurrencyCode",
	    0, &v, "", &err), KR_OK);
	ck_assert_int_eq(v, 7);
}
END_TEST

START_TEST(mapping_snap_rate_finds_the_one_rate_whose_tax_it_is)
{
	int64_t r = -1;

	/* 23.90 x 7 / 107 = 1.5636 -> 1.56; 29.99 x 19 / 119 = 4.7883 ->
	 * 4.79 (de-amazon-1). */
	ck_assert_int_eq(mapping_snap_rate("DE", 2390, 156, 1, 2, &r, "f",
	    &err), KR_OK);
	ck_assert_int_eq(r, 700);
	ck_assert_int_eq(mapping_snap_rate("DE", 2999, 479, 1, 2, &r, "f",
	    &err), KR_OK);
	ck_assert_int_eq(r, 1900);
	/* A shop that rounded down: 4.78 is a cent from 19 % only. */
	ck_assert_int_eq(mapping_snap_rate("DE", 2999, 478, 1, 2, &r, "f",
	    &err), KR_OK);
	ck_assert_int_eq(r, 1900);
	/* Tax on top of a net amount: 4.12 x 19 % = 0.7828 -> 0.78. */
	ck_assert_int_eq(mapping_snap_rate("DE", 412, 78, 0, 2, &r, "f",
	    &err), KR_OK);
	ck_assert_int_eq(r, 1900);
	ck_assert_int_eq(mapping_snap_rate("DE", 1000, 0, 1, 2, &r, "f",
	    &err), KR_OK);
	ck_assert_int_eq(r, 0);

	/* 2.00 in 10.00 is 25 %: no German rate. */
	ck_assert_int_eq(mapping_snap_rate("DE", 1000, 200, 1, 2, &r,
	    "items[0].ItemTax", &err), KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "items[0].ItemTax");
	ck_assert_str_eq(err.msg, "the platform states no VAT rate, and tax "
	    "2.00 in 10.00 is 25.00 %, which fits none of the VAT rates of "
	    "DE (19, 7, 0 %)");
	/* 0.07 in 0.07 x ...: 7 % and 0 % both put 0.00 on 0.07. */
	ck_assert_int_eq(mapping_snap_rate("DE", 7, 0, 1, 2, &r, "f", &err),
	    KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "more than one"));
	ck_assert_int_eq(mapping_snap_rate("DE", 0, 0, 1, 2, &r, "f", &err),
	    KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "tells none"));
	ck_assert_int_eq(mapping_snap_rate("AT", 1200, 200, 1, 2, &r, "f",
	    &err), KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "\"AT\""));
	ck_assert_ptr_nonnull(strstr(err.msg,
	    "only for ship-to Germany, not for \"AT\""));
}
END_TEST

START_TEST(mapping_settle_parts_gives_the_rest_to_the_largest)
{
	/* Shopware's floats: -3.1482 and -1.8518 round to -3.15 and -1.85,
	 * which hold; -3.145 and -1.855 round to -3.15 and -1.86, a cent
	 * too much, which the larger part gives back. */
	int64_t p[2] = {-315, -185}, q[2] = {-315, -186}, r[2] = {-100, -100};

	ck_assert_int_eq(mapping_settle_parts(-500, p, 2, 2, "f", &err),
	    KR_OK);
	ck_assert_int_eq(p[0], -315);
	ck_assert_int_eq(p[1], -185);
	ck_assert_int_eq(mapping_settle_parts(-500, q, 2, 2, "f", &err),
	    KR_OK);
	ck_assert_int_eq(q[0], -314);
	ck_assert_int_eq(q[1], -186);
	ck_assert_int_eq(mapping_settle_parts(-500, r, 2, 2, "f", &err),
	    KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "f");
	ck_assert_ptr_nonnull(strstr(err.msg, "add up to -2.00, not to the "
	    "total -5.00"));
}
END_TEST

START_TEST(mapping_address_reads_a_platforms_names)
{
	static const struct mapping_addr_keys keys = {
		"firstname", "lastname", NULL, "company", "street", NULL,
		"postcode", "city", "region", "country_id"
	};
	const struct jnode *n = parse("{\"firstname\":\"Merle\","
	    "\"lastname\":\"Jürgensen\",\"company\":\"\","
	    "\"street\":[\"Holtenauer Straße 144\",\"Hinterhaus\","
	    "\"3. OG\"],\"postcode\":\"24105\",\"city\":\"Kiel\","
	    "\"country_id\":\"DE\"}");
	struct address a;

	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(mapping_address(&ord, n, &keys, &a, "b", &err),
	    KR_OK);
	ck_assert_str_eq(a.name, "Merle Jürgensen");
	ck_assert_ptr_null(a.company);
	ck_assert_str_eq(a.street, "Holtenauer Straße 144");
	ck_assert_str_eq(a.street2, "Hinterhaus, 3. OG");
	ck_assert_str_eq(a.postcode, "24105");
	ck_assert_ptr_null(a.region);
	ck_assert_str_eq(a.country, "DE");

	n = parse("{\"street\":[\"x\", 5]}");
	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(mapping_address(&ord, n, &keys, &a, "b", &err),
	    KR_BAD_INPUT);
	ck_assert_str_eq(err.field, "b.street");
}
END_TEST

static Suite *
mapping_suite(void)
{
	Suite *s = suite_create("mapping");
	TCase *tc = tcase_create("mapping");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, mapping_id_takes_one_form_of_each_id);
	tcase_add_test(tc, mapping_time_converts_offsets_to_utc);
	tcase_add_test(tc, mapping_time_refuses_a_time_without_its_zone);
	tcase_add_test(tc,
	    mapping_unit_price_is_exact_or_rounded_at_six_decimals);
	tcase_add_test(tc, mapping_line_amount_rounds_half_away_from_zero);
	tcase_add_test(tc, mapping_qty_wants_more_than_nothing);
	tcase_add_test(tc, mapping_country_takes_two_capitals_only);
	tcase_add_test(tc, mapping_join_and_reasons_compose_text);
	tcase_add_test(tc, mapping_check_totals_is_exact_for_gross_prices);
	tcase_add_test(tc, mapping_check_totals_allows_a_cent_for_net_prices);
	tcase_add_test(tc, mapping_key_takes_string_ids_of_their_alphabet);
	tcase_add_test(tc, mapping_money_wants_the_orders_currency);
	tcase_add_test(tc,
	    mapping_snap_rate_finds_the_one_rate_whose_tax_it_is);
	tcase_add_test(tc, mapping_settle_parts_gives_the_rest_to_the_largest);
	tcase_add_test(tc, mapping_address_reads_a_platforms_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(mapping_suite());
	int failed;

	ktime_set_zone("Europe/Berlin", NULL);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

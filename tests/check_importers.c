/*
 * The importers of Amazon, eBay, Shopware, Magento and the plain CSV
 * import: every German order of the shared fixtures (copied into
 * fixtures/tenant-multi) adds up to what its platform states, one order
 * per platform is checked field by field against figures worked out by
 * hand from its payload, the platforms' own public samples are refused
 * with a reason, and so are payloads that are broken, wrongly typed or
 * contradict themselves.  The eBay payloads and the Amazon financial
 * events are built from the platforms' documented schemas
 * (tests/data/orders/README.md); everything else is the platforms' own.
 */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktime.h"

#define MULTI		"fixtures/tenant-multi/spool/"
#define AMAZON		MULTI "amazon-de/"
#define EBAY		MULTI "ebay-de/"
#define SHOPWARE	MULTI "shopware-de/"
#define MAGENTO		MULTI "magento-de/"
#define PLAIN		MULTI "plain-de/order_A-1001.csv"
#define PUBLIC		"tests/data/orders/public/"
#define BUILT		"tests/data/orders/built/"

#define A302	AMAZON "302-4817263-5501937.json"
#define A303	AMAZON "303-5529104-8831245.json"
#define A304	AMAZON "304-1190458-2276310.json"
#define A305R	BUILT "amazon/305-7730264-1049983_with_refund.json"
#define E1	EBAY "order_14-10538-43912_domestic.json"
#define E2	EBAY "order_21-10629-77105_b2b_refund.json"
#define E3	EBAY "order_09-10702-33518_collect_and_remit.json"
#define SW1	SHOPWARE "order_SW10231_gross_mixed.json"
#define SW4	SHOPWARE "order_SW10234_promotion.json"
#define M232	MAGENTO "order_000000232_net.json"
#define M233	MAGENTO "order_000000233_bundle.json"

#include "import_helpers.h"

/*
 * The first order of a parsed document and its path, as jstream would
 * hand it over: an element of a top-level array or of a list envelope,
 * or the document itself.
 */
static const struct jnode *
first_elem(const struct jnode *root, const char **path)
{
	const struct jnode *list = jget(jget(root, "orders"), "elements");

	*path = "orders.elements[0]";
	if (list != NULL && list->type == J_ARRAY)
		return jat(list, 0);
	*path = "[0]";
	if (root->type == J_ARRAY)
		return jat(root, 0);
	*path = "";
	return root;
}

/*
 * Parses text (freed) into doc, which keeps it for the order's strings,
 * and maps its first order; import_order's code, or the reader's.
 */
static int
stream_text(char *text)
{
	enum payload_kind kind;
	const struct jnode *elem;
	const char *path;
	enum platform p;
	int rc;

	kerr_clear(&err);
	rc = jdoc_parse(&doc, text, strlen(text), &err);
	free(text);
	if (rc != KR_OK)
		return rc;
	elem = first_elem(doc.root, &path);
	rc = import_detect(elem, &p, &kind, &err);
	if (rc == KR_OK)
		rc = import_order(p, elem, NULL, &ord, &err);
	if (rc != KR_OK)
		import_locate(&err, NULL, path);
	return rc;
}

static void
stream_ok(char *text)
{
	int rc = stream_text(text);

	ck_assert_msg(rc == KR_OK, "%s: %s", err.field, err.msg);
}

/* Orders of the plain import; the last one stays in ord. */
static int plain_orders, plain_refused;

static int
plain_take(void *arg, struct order *o, struct kerr *e)
{
	(void)arg;
	if (o == NULL) {
		err = *e;
		plain_refused++;
	} else
		plain_orders++;
	return KR_OK;
}

static int
plain_text(char *text)
{
	FILE *fp = fmemopen(text, strlen(text), "r");
	int rc;

	ck_assert_ptr_nonnull(fp);
	plain_orders = plain_refused = 0;
	kerr_clear(&err);
	rc = plain_read(fp, 1, NULL, &ord, plain_take, NULL, &err);
	fclose(fp);
	free(text);
	return rc;
}

/* The text of the two Amazon responses joined into a spool object. */
static char *
amazon_pair(const char *get_order, const char *get_items)
{
	char *a = slurp(get_order), *b = slurp(get_items), *out;
	size_t n = strlen(a) + strlen(b) + 64;

	out = xmalloc(n);
	snprintf(out, n, "{\"getOrder\":%s,\"getOrderItems\":%s}", a, b);
	free(a);
	free(b);
	return out;
}

/*
 * Every German order of the fixtures (and the payloads built for eBay
 * and the plain import), with the total its platform states
 * (expected.json, platform_stated_total).
 */
static const struct {
	const char *path;
	const char *total;
	enum order_status status;
} orders[] = {
	{A302, "53.89", ORDER_READY},
	{A303, "109.68", ORDER_READY},
	{A304, "34.99", ORDER_READY},
	{AMAZON "305-7730264-1049983.json", "54.88", ORDER_READY},
	{A305R, "54.88", ORDER_READY},
	{E1, "54.70", ORDER_READY},
	{E2, "108.47", ORDER_READY},
	{E3, "23.80", ORDER_READY},
	{SW1, "36.96", ORDER_READY},
	{SHOPWARE "order_SW10232_net_b2b.json", "128.89", ORDER_READY},
	{SHOPWARE "order_SW10233_shipping_mixed_taxes.json", "48.65",
	    ORDER_READY},
	{SW4, "31.37", ORDER_READY},
	{MAGENTO "order_000000231_gross.json", "65.69", ORDER_READY},
	{M232, "194.10", ORDER_READY},
	{M233, "33.60", ORDER_READY},
	{MAGENTO "order_000000234_gbp_uk_export.json", "194.79", ORDER_READY}
};

START_TEST(every_order_imports_and_adds_up_to_its_stated_total)
{
	int64_t total;

	stream_ok(slurp(orders[_i].path));
	ck_assert_int_eq(dec_parse(orders[_i].total, (size_t)-1, 2, &total),
	    KR_OK);
	ck_assert_int_eq(ord.total_minor, total);
	ck_assert_int_eq(ord.status, orders[_i].status);
	ck_assert_int_ge(ord.nlines, 1);
	/* Net prices: the stated tax was rounded per line or per rate. */
	ck_assert_int_le(llabs((long long)(canonical_paid(&ord) - total)),
	    ord.prices == PRICES_NET ? 1 : 0);
}
END_TEST

/*
 * Amazon 305-7730264-1049983 with its financial events.  The board:
 * ItemPrice 39.90 with ItemTax 6.37 = 39.90 x 19 / 119 (6.3706), so 19 %;
 * PromotionDiscount 5.00 with 0.80 of tax: tax after it 6.37 - 0.80 =
 * 5.57.  The sharpener: 14.99, tax 2.39 = 14.99 x 19 / 119 (2.3934).
 * Shipping 4.99, tax 0.80 = 4.99 x 19 / 119 (0.7967).  Total 39.90 -
 * 5.00 + 14.99 + 4.99 = 54.88.  Refund: Principal -12.60 and Tax -2.39
 * = 14.99 back, the commission refunds are fees and not read.
 */
START_TEST(amazon_order_maps_every_field)
{
	const struct refund *r;

	stream_ok(slurp(A305R));
	ck_assert_str_eq(ord.platform, "amazon");
	ck_assert_str_eq(ord.shop, "amazon");
	ck_assert_str_eq(ord.order_id, "305-7730264-1049983");
	ck_assert_str_eq(ord.order_number, "305-7730264-1049983");
	ck_assert_int_eq(ord.status, ORDER_READY);
	ck_assert_str_eq(ord.status_reason, "OrderStatus Shipped");
	ck_assert_str_eq(ord.created_at, "2026-11-17T09:31:27Z");
	ck_assert_ptr_null(ord.paid_at);
	ck_assert_str_eq(ord.shipped_at, "2026-11-18T14:03:11Z");
	ck_assert_ptr_null(ord.cancelled_at);
	ck_assert_str_eq(ord.currency, "EUR");
	ck_assert_int_eq(ord.prices, PRICES_GROSS);
	ck_assert_str_eq(ord.buyer_email,
	    "15d5a1edf53099@marketplace.amazon.de");
	ck_assert_ptr_null(ord.buyer_vat_id);
	ck_assert_ptr_null(ord.buyer_reference);
	ck_assert_ptr_null(ord.customer_id);
	/* No billing address from Amazon: the ship-to address. */
	assert_address(&ord.billing, "Lea Würth", NULL,
	    "Günterstalstraße 19", NULL, "79102", "Freiburg im Breisgau",
	    "Baden-Württemberg", "DE");
	assert_address(&ord.shipping_addr, "Lea Würth", NULL,
	    "Günterstalstraße 19", NULL, "79102", "Freiburg im Breisgau",
	    "Baden-Württemberg", "DE");
	ck_assert_str_eq(ord.ship_from, "DE");

	ck_assert_int_eq(ord.nlines, 2);
	assert_line(&ord.lines[0], &(struct want_line){"16437674575259",
	    "BRT-EI-40", "Schneidebrett Eiche geölt 40 × 25 cm", 10000,
	    39900000, "39.90", "5.00", "Sparaktion Küche", 1900, "5.57"});
	assert_line(&ord.lines[1], &(struct want_line){"15509441133034",
	    "MES-KER-01", "Messerschärfer Keramik", 10000, 14990000, "14.99",
	    "0.00", NULL, 1900, "2.39"});

	ck_assert_int_eq(ord.nshipping, 1);
	ck_assert_ptr_null(ord.shipping[0].id);
	ck_assert_str_eq(ord.shipping[0].name, "Std DE Dom_1");
	assert_money(ord.shipping[0].amount_minor, "4.99");
	assert_money(ord.shipping[0].discount_minor, "0.00");
	ck_assert_int_eq(ord.shipping[0].rate_bp, 1900);
	assert_money(ord.shipping[0].tax_minor, "0.80");

	ck_assert_int_eq(ord.ndiscounts, 1);
	ck_assert_str_eq(ord.discounts[0].code, "Sparaktion Küche");
	assert_money(ord.discounts[0].amount_minor, "5.00");
	ck_assert_int_eq(ord.discounts[0].allocated, 1);
	ck_assert_int_eq(ord.discounts[0].rate_bp, -1);

	assert_money(ord.total_minor, "54.88");
	ck_assert_int_eq(ord.has_tax_total, 0);
	ck_assert_int_eq(ord.deemed_supplier, 0);
	assert_money(ord.marketplace_vat_minor, "0.00");
	ck_assert_str_eq(ord.pay_gateway, "amazon");
	ck_assert_str_eq(ord.pay_method, "Other");
	ck_assert_ptr_null(ord.pay_transaction);

	ck_assert_int_eq(ord.nrefunds, 1);
	r = &ord.refunds[0];
	ck_assert_str_eq(r->id, "59302771128301");
	ck_assert_str_eq(r->created_at, "2026-11-26T09:20:00Z");
	ck_assert_ptr_null(r->reason);
	assert_money(r->amount_minor, "14.99");
	assert_money(r->shipping_minor, "0.00");
	ck_assert_int_eq(r->nlines, 1);
	ck_assert_str_eq(r->lines[0].line_id, "15509441133034");
	ck_assert_int_eq(r->lines[0].qty_e4, 10000);
	assert_money(r->lines[0].amount_minor, "14.99");
	assert_money(r->lines[0].tax_minor, "2.39");
}
END_TEST

START_TEST(amazon_business_and_deemed_supplier_orders)
{
	/* BuyerTaxInfo: the company and its VAT id; the PO number. */
	stream_ok(slurp(A303));
	ck_assert_str_eq(ord.buyer_vat_id, "DE315926045");
	ck_assert_str_eq(ord.buyer_reference, "BE-2026-1187");
	ck_assert_str_eq(ord.billing.company, "Ingenieurbüro Krämer GmbH");
	ck_assert_str_eq(ord.billing.name, "Sabine Krämer");
	ck_assert_ptr_null(ord.shipping_addr.company);
	ck_assert_int_eq(ord.lines[1].rate_bp, 700);	/* 3.91 in 59.70 */

	/* Drop-shipped from Shenzhen, TaxCollection MarketplaceFacilitator:
	 * Amazon collected 5.59 = 34.99 x 19 / 119 (5.5866). */
	stream_ok(slurp(A304));
	ck_assert_int_eq(ord.deemed_supplier, 1);
	assert_money(ord.marketplace_vat_minor, "5.59");
	ck_assert_str_eq(ord.ship_from, "CN");
	ck_assert_int_eq(ord.lines[0].rate_bp, 1900);
}
END_TEST

/*
 * eBay 14-10538-43912.  Cups: lineItemCost 29.90 for 2, 14.95 each,
 * 26.90 after the 3.00 promotion; the VAT 4.30 = 26.90 x 19 / 119
 * (4.2950) lies in it: 19 %.  Coffee 22.90, VAT 1.50 = 22.90 x 7 / 107
 * (1.4981): 7 %.  The cups' line total 31.80 = 26.90 + shipping 4.90, so
 * the VAT is inside.  Total 26.90 + 22.90 + 4.90 = 54.70.
 */
START_TEST(ebay_order_maps_every_field)
{
	stream_ok(slurp(E1));
	ck_assert_str_eq(ord.platform, "ebay");
	ck_assert_str_eq(ord.order_id, "14-10538-43912");
	ck_assert_str_eq(ord.order_number, "14-10538-43912");
	ck_assert_int_eq(ord.status, ORDER_READY);
	ck_assert_str_eq(ord.status_reason, "orderPaymentStatus PAID");
	ck_assert_str_eq(ord.created_at, "2026-11-02T10:14:22Z");
	ck_assert_str_eq(ord.paid_at, "2026-11-02T10:15:03Z");
	ck_assert_ptr_null(ord.shipped_at);
	ck_assert_ptr_null(ord.cancelled_at);
	ck_assert_str_eq(ord.currency, "EUR");
	ck_assert_int_eq(ord.prices, PRICES_GROSS);
	ck_assert_str_eq(ord.buyer_email, "jonas.hartmann@example.invalid");
	ck_assert_ptr_null(ord.buyer_vat_id);
	ck_assert_str_eq(ord.customer_id, "kaffeefan_84");
	assert_address(&ord.billing, "Jonas Hartmann", NULL,
	    "Bergstraße 12", NULL, "69120", "Heidelberg",
	    "Baden-Württemberg", "DE");
	assert_address(&ord.shipping_addr, "Jonas Hartmann", NULL,
	    "Bergstraße 12", NULL, "69120", "Heidelberg",
	    "Baden-Württemberg", "DE");
	ck_assert_str_eq(ord.ship_from, "DE");

	ck_assert_int_eq(ord.nlines, 2);
	assert_line(&ord.lines[0], &(struct want_line){"10071839201014",
	    "TAS-ESP-2", "Espressotassen Porzellan 2er-Set", 20000, 14950000,
	    "29.90", "3.00", "3 EUR Rabatt auf Tassen", 1900, "4.30"});
	assert_line(&ord.lines[1], &(struct want_line){"10071839201015",
	    "KAF-CR-1000", "Kaffeebohnen Crema 1 kg", 10000, 22900000,
	    "22.90", "0.00", NULL, 700, "1.50"});

	/* Shipping of the cups' line; eBay states no tax for it. */
	ck_assert_int_eq(ord.nshipping, 1);
	ck_assert_str_eq(ord.shipping[0].name, "DE_DHLPaket");
	assert_money(ord.shipping[0].amount_minor, "4.90");
	assert_money(ord.shipping[0].discount_minor, "0.00");
	ck_assert_int_eq(ord.shipping[0].rate_bp, -1);
	ck_assert_int_eq(ord.shipping[0].has_tax, 0);

	ck_assert_int_eq(ord.ndiscounts, 1);
	ck_assert_str_eq(ord.discounts[0].code, "3 EUR Rabatt auf Tassen");
	assert_money(ord.discounts[0].amount_minor, "3.00");
	ck_assert_int_eq(ord.discounts[0].allocated, 1);
	assert_money(ord.total_minor, "54.70");
	ck_assert_int_eq(ord.has_tax_total, 1);
	assert_money(ord.tax_total_minor, "5.80");	/* 4.30 + 1.50 */
	ck_assert_int_eq(ord.deemed_supplier, 0);
	ck_assert_str_eq(ord.pay_gateway, "ebay");
	ck_assert_str_eq(ord.pay_method, "EBAY");
	ck_assert_ptr_null(ord.pay_transaction);
	ck_assert_int_eq(ord.nrefunds, 0);
}
END_TEST

START_TEST(ebay_business_refund_and_collected_vat)
{
	/* taxIdentifier VATIN; one order-level refund, amount only. */
	stream_ok(slurp(E2));
	ck_assert_str_eq(ord.buyer_vat_id, "DE284716093");
	ck_assert_str_eq(ord.billing.company, "Café Lindenblatt GmbH");
	ck_assert_int_eq(ord.nrefunds, 1);
	ck_assert_str_eq(ord.refunds[0].id, "5000148823");
	ck_assert_str_eq(ord.refunds[0].created_at, "2026-11-20T09:12:40Z");
	assert_money(ord.refunds[0].amount_minor, "10.00");
	ck_assert_int_eq(ord.refunds[0].nlines, 0);

	/* eBay collects 3.80 on top of 20.00 (19 %); the buyer paid 23.80,
	 * which is the line's amount. */
	stream_ok(slurp(E3));
	ck_assert_int_eq(ord.deemed_supplier, 1);
	assert_money(ord.marketplace_vat_minor, "3.80");
	ck_assert_str_eq(ord.ship_from, "CN");
	assert_money(ord.lines[0].amount_minor, "23.80");
	ck_assert_int_eq(ord.lines[0].rate_bp, 1900);
}
END_TEST

/*
 * Shopware SW10234: 22.90 at 19 % (tax 3.66), 3 x 4.49 = 13.47 at 7 %
 * (tax 0.88); FRUEHSTUECK5 -5.00, which Shopware put -3.15 on 19 % (tax
 * -0.50) and -1.85 on 7 % (tax -0.12).  Total 31.37; the order's
 * calculated taxes 3.16 + 0.76 = 3.92.
 */
START_TEST(shopware_order_maps_every_field)
{
	stream_ok(slurp(SW4));
	ck_assert_str_eq(ord.platform, "shopware");
	ck_assert_str_eq(ord.order_id, "bcd965d6bf4825ed51ab377c78235358");
	ck_assert_str_eq(ord.order_number, "SW10234");
	ck_assert_int_eq(ord.status, ORDER_READY);
	ck_assert_str_eq(ord.status_reason, "transaction state paid");
	ck_assert_str_eq(ord.created_at, "2026-11-13T16:55:03Z");
	ck_assert_ptr_null(ord.paid_at);
	ck_assert_ptr_null(ord.shipped_at);
	ck_assert_str_eq(ord.currency, "EUR");
	ck_assert_int_eq(ord.prices, PRICES_GROSS);
	ck_assert_str_eq(ord.buyer_email, "theresa.maier@example.invalid");
	ck_assert_ptr_null(ord.buyer_vat_id);
	ck_assert_str_eq(ord.customer_id, "11062");
	assert_address(&ord.billing, "Theresa Maier", NULL,
	    "Prüfeninger Straße 35", NULL, "93049", "Regensburg", NULL,
	    "DE");
	/* No delivery in the payload, so no ship-to address. */
	assert_address(&ord.shipping_addr, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL, "");

	ck_assert_int_eq(ord.nlines, 2);
	assert_line(&ord.lines[0], &(struct want_line){
	    "2753839386bb57677ce63ae3094a6981", "FBB-BU-4",
	    "Frühstücksbrettchen Buche 4er-Set", 10000, 22900000, "22.90",
	    "0.00", NULL, 1900, "3.66"});
	assert_line(&ord.lines[1], &(struct want_line){
	    "25cd6e19dfda384ca2d35dfbd82234ba", "KON-ERD-340",
	    "Erdbeerkonfitüre 340 g", 30000, 4490000, "13.47", "0.00", NULL,
	    700, "0.88"});
	ck_assert_int_eq(ord.nshipping, 0);	/* shippingCosts 0 */

	ck_assert_int_eq(ord.ndiscounts, 2);
	ck_assert_str_eq(ord.discounts[0].code, "FRUEHSTUECK5");
	assert_money(ord.discounts[0].amount_minor, "3.15");
	ck_assert_int_eq(ord.discounts[0].allocated, 0);
	ck_assert_int_eq(ord.discounts[0].rate_bp, 1900);
	assert_money(ord.discounts[0].tax_minor, "0.50");
	ck_assert_str_eq(ord.discounts[1].code, "FRUEHSTUECK5");
	assert_money(ord.discounts[1].amount_minor, "1.85");
	ck_assert_int_eq(ord.discounts[1].rate_bp, 700);
	assert_money(ord.discounts[1].tax_minor, "0.12");

	assert_money(ord.total_minor, "31.37");
	assert_money(ord.tax_total_minor, "3.92");
	ck_assert_str_eq(ord.pay_gateway, "payment_paypal");
	ck_assert_str_eq(ord.pay_method, "PayPal");
	ck_assert_str_eq(ord.pay_transaction, "23D4374A41D79E557");
	ck_assert_int_eq(ord.nrefunds, 0);
}
END_TEST

START_TEST(shopware_admin_api_single_order_is_unwrapped)
{
	/* GET /api/order/{id} answers {"data": {...}}. */
	char *text = slurp(SW1), *start = strstr(text, "\"elements\": [");
	char *end = strrchr(text, ']'), *out;
	size_t n;

	ck_assert_ptr_nonnull(start);
	start += strlen("\"elements\": [");
	end = strstr(start, "\n    ],\n    \"aggregations\"");
	ck_assert_ptr_nonnull(end);
	n = (size_t)(end - start);
	out = xmalloc(n + 16);
	memcpy(out, "{\"data\":", 8);
	memcpy(out + 8, start, n);
	strcpy(out + 8 + n, "}");
	free(text);
	stream_ok(out);
	ck_assert_str_eq(ord.order_number, "SW10231");
	assert_money(ord.total_minor, "36.96");
}
END_TEST

/*
 * Magento 000000233: the bundle (item 2331, 25.75) gives way to its
 * children, which carry the rates: 7.90 and 4.95 at 7 %, 12.90 at 19 %
 * (7.90 + 4.95 + 12.90 = 25.75, as the parent says); the greeting card
 * 2.95 at 19 % has no parent.  Catalog prices include tax: each child's
 * original_price is its price_incl_tax.  Shipping 4.12 + 0.78 = 4.90,
 * 0.78 = 4.12 x 19 % (0.7828).  Total 25.75 + 2.95 + 4.90 = 33.60.
 */
START_TEST(magento_order_maps_every_field)
{
	static const struct want_line want[] = {
		{"2332", "KAF-CR-250", "Kaffeebohnen Crema 250 g", 10000,
		    7900000, "7.90", "0.00", NULL, 700, "0.52"},
		{"2333", "KON-APR-340", "Aprikosenkonfitüre 340 g", 10000,
		    4950000, "4.95", "0.00", NULL, 700, "0.32"},
		{"2334", "FBB-BU-1", "Frühstücksbrettchen Buche", 10000,
		    12900000, "12.90", "0.00", NULL, 1900, "2.06"},
		{"2335", "GRK-BP-01", "Grußkarte Büttenpapier", 10000,
		    2950000, "2.95", "0.00", NULL, 1900, "0.47"}
	};
	size_t i;

	stream_ok(slurp(M233));
	ck_assert_str_eq(ord.platform, "magento");
	ck_assert_str_eq(ord.order_id, "233");
	ck_assert_str_eq(ord.order_number, "000000233");
	ck_assert_int_eq(ord.status, ORDER_READY);
	ck_assert_str_eq(ord.status_reason, "state complete");
	ck_assert_str_eq(ord.created_at, "2026-11-05T17:36:28Z");
	ck_assert_ptr_null(ord.paid_at);
	ck_assert_str_eq(ord.currency, "EUR");
	ck_assert_int_eq(ord.prices, PRICES_GROSS);
	ck_assert_str_eq(ord.buyer_email,
	    "merle.juergensen@example.invalid");
	ck_assert_ptr_null(ord.buyer_vat_id);
	ck_assert_str_eq(ord.customer_id, "1018");
	assert_address(&ord.billing, "Merle Jürgensen", NULL,
	    "Holtenauer Straße 144", NULL, "24105", "Kiel",
	    "Schleswig-Holstein", "DE");
	assert_address(&ord.shipping_addr, "Merle Jürgensen", NULL,
	    "Holtenauer Straße 144", NULL, "24105", "Kiel",
	    "Schleswig-Holstein", "DE");

	ck_assert_int_eq(ord.nlines, 4);
	for (i = 0; i < 4; i++)
		assert_line(&ord.lines[i], &want[i]);
	ck_assert_int_eq(ord.nshipping, 1);
	ck_assert_str_eq(ord.shipping[0].name, "Versand - DHL Paket");
	assert_money(ord.shipping[0].amount_minor, "4.90");
	assert_money(ord.shipping[0].discount_minor, "0.00");
	ck_assert_int_eq(ord.shipping[0].rate_bp, 1900);
	assert_money(ord.shipping[0].tax_minor, "0.78");
	ck_assert_int_eq(ord.ndiscounts, 0);
	assert_money(ord.total_minor, "33.60");
	assert_money(ord.tax_total_minor, "4.15");
	ck_assert_str_eq(ord.pay_gateway, "paypal_express");
	ck_assert_str_eq(ord.pay_method, "PayPal Express Checkout");
	ck_assert_str_eq(ord.pay_transaction, "A4BED2C63CF019438");
}
END_TEST

START_TEST(magento_net_order_keeps_net_rows)
{
	/* original_price is the net price: 4 x 18.49 = 73.96 net. */
	stream_ok(slurp(M232));
	ck_assert_int_eq(ord.prices, PRICES_NET);
	assert_money(ord.lines[0].amount_minor, "73.96");
	ck_assert_int_eq(ord.lines[0].unit_price_e6, 18490000);
	assert_money(ord.shipping[0].amount_minor, "6.90");
	assert_money(ord.tax_total_minor, "30.99");
	ck_assert_str_eq(ord.buyer_vat_id, "DE293607150");
	ck_assert_str_eq(ord.billing.company, "Zahnarztpraxis Dr. Özdemir");
}
END_TEST

/*
 * The plain import's order 1001: tea 2 x 8.49 = 16.98 less 1.70
 * (HERBST10) at 7 %, a teapot 19.90 at 19 %, shipping 4.90 at 19 %:
 * 15.28 + 19.90 + 4.90 = 40.08.  Times in +01:00 become UTC.
 */
START_TEST(plain_order_maps_every_field)
{
	ck_assert_int_eq(plain_text(slurp(PLAIN)), KR_OK);
	ck_assert_int_eq(plain_orders, 1);
	ck_assert_int_eq(plain_refused, 0);
	ck_assert_str_eq(ord.platform, "plain");
	ck_assert_str_eq(ord.shop, "plain");
	ck_assert_str_eq(ord.source_path, "line 2");
	ck_assert_str_eq(ord.order_id, "A-1001");
	ck_assert_str_eq(ord.order_number, "1001");
	ck_assert_int_eq(ord.status, ORDER_READY);
	ck_assert_str_eq(ord.status_reason, "paid_at given");
	ck_assert_str_eq(ord.created_at, "2026-11-03T08:12:00Z");
	ck_assert_str_eq(ord.paid_at, "2026-11-03T08:13:10Z");
	ck_assert_ptr_null(ord.shipped_at);
	ck_assert_str_eq(ord.currency, "EUR");
	ck_assert_int_eq(ord.prices, PRICES_GROSS);
	ck_assert_str_eq(ord.buyer_email, "anna.kruse@example.invalid");
	ck_assert_ptr_null(ord.buyer_vat_id);
	assert_address(&ord.billing, "Anna Kruse", NULL,
	    "Lindenallee 3, Hinterhaus", NULL, "50968", "Köln", NULL, "DE");
	assert_address(&ord.shipping_addr, NULL, NULL, NULL, NULL, NULL,
	    NULL, NULL, "");

	ck_assert_int_eq(ord.nlines, 2);
	assert_line(&ord.lines[0], &(struct want_line){NULL, "TEE-GR-100",
	    "Grüner Tee \"Sencha\" 100 g", 20000, 8490000, "16.98", "1.70",
	    "HERBST10", 700, NULL});
	assert_line(&ord.lines[1], &(struct want_line){NULL, "KAN-GL-10",
	    "Teekanne Glas 1 l", 10000, 19900000, "19.90", "0.00", NULL, 1900,
	    NULL});

	ck_assert_int_eq(ord.nshipping, 1);
	assert_money(ord.shipping[0].amount_minor, "4.90");
	ck_assert_int_eq(ord.shipping[0].rate_bp, 1900);
	ck_assert_int_eq(ord.ndiscounts, 1);
	ck_assert_str_eq(ord.discounts[0].code, "HERBST10");
	assert_money(ord.discounts[0].amount_minor, "1.70");
	ck_assert_int_eq(ord.discounts[0].allocated, 1);
	assert_money(ord.total_minor, "40.08");
	ck_assert_int_eq(ord.has_tax_total, 0);
	ck_assert_str_eq(ord.pay_gateway, "paypal");
	ck_assert_ptr_null(ord.pay_method);
	ck_assert_str_eq(ord.pay_transaction, "5TY05013RG002845M");
}
END_TEST

/*
 * Gift wrap is a line of its own, its rate from its own tax: 3.99 with
 * 0.64 = 3.99 x 19 / 119 (0.6371).  A shipping discount reduces the
 * shipping line and counts to the order's allocated discounts.  The
 * order total grows by the wrap, 53.89 + 3.99 = 57.88.
 */
START_TEST(amazon_gift_wrap_and_shipping_discount)
{
	char *text = slurp(A302);

	text = text_edit(text, "\"IsGift\": \"false\"",
	    "\"GiftWrapPrice\": {\"CurrencyCode\": \"EUR\", \"Amount\": "
	    "\"3.99\"}, \"GiftWrapTax\": {\"CurrencyCode\": \"EUR\", "
	    "\"Amount\": \"0.64\"}, \"IsGift\": \"true\"");
	text = text_edit(text, "\"Amount\": \"53.89\"",
	    "\"Amount\": \"57.88\"");
	stream_ok(text);
	ck_assert_int_eq(ord.nlines, 3);
	ck_assert_str_eq(ord.lines[1].id, "10706898624225-gift-wrap");
	ck_assert_str_eq(ord.lines[1].name, "Geschenkverpackung");
	assert_money(ord.lines[1].amount_minor, "3.99");
	ck_assert_int_eq(ord.lines[1].rate_bp, 1900);
	assert_money(ord.lines[1].tax_minor, "0.64");

	/* Shipping 4.99 (0.80 tax), of which 1.00 (0.16) is given back:
	 * 53.89 + 4.99 - 1.00 = 57.88. */
	text = slurp(A302);
	text = text_edit(text, "\"ShippingPrice\": {\n          "
	    "\"CurrencyCode\": \"EUR\",\n          \"Amount\": \"0.00\"",
	    "\"ShippingPrice\": {\"CurrencyCode\": \"EUR\", \"Amount\": "
	    "\"4.99\"");
	text = text_edit(text, "\"ShippingTax\": {\n          "
	    "\"CurrencyCode\": \"EUR\",\n          \"Amount\": \"0.00\"",
	    "\"ShippingTax\": {\"CurrencyCode\": \"EUR\", \"Amount\": "
	    "\"0.80\"");
	text = text_edit(text, "\"ShippingDiscount\": {\n          "
	    "\"CurrencyCode\": \"EUR\",\n          \"Amount\": \"0.00\"",
	    "\"ShippingDiscount\": {\"CurrencyCode\": \"EUR\", "
	    "\"Amount\": \"1.00\"");
	text = text_edit(text, "\"ShippingDiscountTax\": {\n          "
	    "\"CurrencyCode\": \"EUR\",\n          \"Amount\": \"0.00\"",
	    "\"ShippingDiscountTax\": {\"CurrencyCode\": \"EUR\", "
	    "\"Amount\": \"0.16\"");
	text = text_edit(text, "\"Amount\": \"53.89\"",
	    "\"Amount\": \"57.88\"");
	stream_ok(text);
	ck_assert_int_eq(ord.nshipping, 1);
	assert_money(ord.shipping[0].amount_minor, "4.99");
	assert_money(ord.shipping[0].discount_minor, "1.00");
	assert_money(ord.shipping[0].tax_minor, "0.64");
	ck_assert_int_eq(ord.ndiscounts, 1);
	ck_assert_ptr_null(ord.discounts[0].code);
	assert_money(ord.discounts[0].amount_minor, "1.00");
}
END_TEST

START_TEST(shopware_tax_free_currency_and_delivery_address)
{
	char *text;

	/* Tax-free: net, every rate 0, the promotion one discount for
	 * kontor-tax to split: 36.37 - 5.00 = 31.37, no tax. */
	text = text_edit(slurp(SW4), "\"taxStatus\": \"gross\"",
	    "\"taxStatus\": \"tax-free\"");
	stream_ok(text_edit(text, "\"taxStatus\": \"gross\"",
	    "\"taxStatus\": \"tax-free\""));
	ck_assert_int_eq(ord.prices, PRICES_NET);
	ck_assert_int_eq(ord.lines[0].rate_bp, 0);
	ck_assert_int_eq(ord.lines[1].rate_bp, 0);
	ck_assert_int_eq(ord.ndiscounts, 1);
	ck_assert_int_eq(ord.discounts[0].rate_bp, -1);
	assert_money(ord.discounts[0].amount_minor, "5.00");
	assert_money(ord.tax_total_minor, "0.00");

	/* The currency association says the ISO code. */
	stream_ok(slurp_edit(SW4, "\"currency\": null",
	    "\"currency\": {\"isoCode\": \"CHF\"}"));
	ck_assert_str_eq(ord.currency, "CHF");

	/* A delivery's address is the ship-to address. */
	stream_ok(slurp_edit(SW4, "\"deliveries\": []",
	    "\"deliveries\": [{\"shippingMethod\": {\"name\": \"DHL\"}, "
	    "\"shippingOrderAddress\": {\"firstName\": \"Jan\", "
	    "\"lastName\": \"Maier\", \"street\": \"Am Hof 2\", "
	    "\"zipcode\": \"6020\", \"city\": \"Innsbruck\", "
	    "\"country\": {\"iso\": \"AT\"}}}]"));
	ck_assert_str_eq(ord.shipping_addr.name, "Jan Maier");
	ck_assert_str_eq(ord.shipping_addr.country, "AT");
	ck_assert_str_eq(ord.billing.country, "DE");

	/* A B2B order's VAT id from orderCustomer.vatIds. */
	stream_ok(slurp(SHOPWARE "order_SW10232_net_b2b.json"));
	ck_assert_str_eq(ord.buyer_vat_id, "DE270491587");
	ck_assert_str_eq(ord.billing.company, "Bäckerei Roßmann OHG");
	ck_assert_int_eq(ord.prices, PRICES_NET);
}
END_TEST

/* A configurable product: the parent carries the price, the child 0. */
static const char magento_configurable[] =
    "{\"entity_id\": 9, \"increment_id\": \"000000009\", "
    "\"created_at\": \"2026-11-02 10:00:00\", \"state\": \"complete\", "
    "\"order_currency_code\": \"EUR\", \"grand_total\": 29.9, "
    "\"total_paid\": 29.9, \"tax_amount\": 4.77, "
    "\"billing_address\": {\"country_id\": \"DE\"}, \"items\": ["
    "{\"item_id\": 91, \"sku\": \"SHIRT-M\", \"name\": \"Shirt\", "
    "\"product_type\": \"configurable\", \"qty_ordered\": 1, "
    "\"price\": 25.13, \"price_incl_tax\": 29.9, \"original_price\": 29.9, "
    "\"row_total\": 25.13, \"row_total_incl_tax\": 29.9, "
    "\"tax_amount\": 4.77, \"tax_percent\": 19},"
    "{\"item_id\": 92, \"parent_item_id\": 91, \"sku\": \"SHIRT-M\", "
    "\"name\": \"Shirt M\", \"product_type\": \"simple\", "
    "\"qty_ordered\": 1, \"price\": 0, \"price_incl_tax\": 0, "
    "\"row_total\": 0, \"row_total_incl_tax\": 0, \"tax_amount\": 0, "
    "\"tax_percent\": 0}]}";

START_TEST(magento_configurable_product_is_its_parent)
{
	stream_ok(xstrdup(magento_configurable));
	ck_assert_int_eq(ord.nlines, 1);
	ck_assert_str_eq(ord.lines[0].id, "91");
	assert_money(ord.lines[0].amount_minor, "29.90");
	ck_assert_int_eq(ord.lines[0].rate_bp, 1900);
	ck_assert_int_eq(ord.prices, PRICES_GROSS);
	ck_assert_int_eq(ord.nshipping, 0);
	ck_assert_int_eq(ord.status, ORDER_READY);
}
END_TEST

/* What happens to each public sample of the new platforms, and why. */
static const struct {
	const char *file;
	const char *field;
	const char *why;
} public_samples[] = {
	{"amazon/getOrder_v0_doc_example.json", "payload",
	    "getOrder response on its own"},
	{"amazon/getOrder_v0_sandbox_1.json", "payload",
	    "getOrder response on its own"},
	{"amazon/getOrder_v0_sandbox_2.json", "payload",
	    "getOrder response on its own"},
	{"amazon/getOrderItems_v0_doc_example.json", "payload",
	    "getOrderItems response on its own"},
	{"amazon/getOrderItems_v0_sandbox.json", "payload",
	    "getOrderItems response on its own"},
	{"amazon/getOrders_v0_sandbox_1.json", "payload.Orders",
	    "holds no items"},
	{"amazon/getOrder_2026-01-01_doc_example.json", "",
	    "Orders API 2026-01-01"},
	{"amazon/listFinancialEventsByOrderId_v0_sandbox.json", "payload",
	    "financial events on their own"},
	{"amazon/listFinancialEventsByGroupId_v0_sandbox.json", "payload",
	    "financial events on their own"},
	{"amazon/listTransactions_2024-06-19_sandbox.json", "payload",
	    "financial events on their own"},
	/* The mock names its countries by id only. */
	{"shopware/store_api_order_list_mock.json",
	    "orders.elements[0].billingAddress.country",
	    "only by countryId"},
	/* The doc elides items, so its totals cannot add up. */
	{"magento/order_get_v1_doc_example.json", "grand_total",
	    "add up to 27.00, but the platform states a total of 165.00"},
	{"magento/invoice_doc_example_1.json", "order_id",
	    "a Magento invoice, not an order"}
};

START_TEST(public_samples_are_refused_with_a_reason)
{
	char path[256];

	snprintf(path, sizeof(path), PUBLIC "%s", public_samples[_i].file);
	ck_assert_int_eq(stream_text(slurp(path)), KR_BAD_INPUT);
	assert_error(public_samples[_i].field, public_samples[_i].why);
}
END_TEST

START_TEST(public_amazon_pairs_are_refused_with_a_reason)
{
	/* The doc examples: another order's items, and a next page. */
	ck_assert_int_eq(stream_text(amazon_pair(
	    PUBLIC "amazon/getOrder_v0_doc_example.json",
	    PUBLIC "amazon/getOrderItems_v0_doc_example.json")),
	    KR_BAD_INPUT);
	assert_error("getOrderItems.payload.NextToken", "more pages");
	/* A US order: its prices do not include VAT. */
	ck_assert_int_eq(stream_text(amazon_pair(
	    PUBLIC "amazon/getOrder_v0_sandbox_1.json",
	    PUBLIC "amazon/getOrderItems_v0_sandbox.json")), KR_BAD_INPUT);
	assert_error("getOrder.payload.MarketplaceId",
	    "not one of Amazon's European ones");
	ck_assert_int_eq(stream_text(amazon_pair(
	    PUBLIC "amazon/getOrder_v0_sandbox_2.json",
	    PUBLIC "amazon/getOrderItems_v0_sandbox.json")), KR_BAD_INPUT);
	assert_error("getOrderItems.payload.AmazonOrderId",
	    "belong to order 902-1845936-5435065, not to order "
	    "921-3175655-0452641");
}
END_TEST

START_TEST(amazon_readiness_follows_the_order_status)
{
	static const char from[] = "\"OrderStatus\": \"Shipped\"";

	stream_ok(slurp_edit(A302, from, "\"OrderStatus\": \"Unshipped\""));
	ck_assert_int_eq(ord.status, ORDER_PENDING);
	ck_assert_str_eq(ord.status_reason, "OrderStatus Unshipped");
	stream_ok(slurp_edit(A302, from,
	    "\"OrderStatus\": \"PartiallyShipped\""));
	ck_assert_int_eq(ord.status, ORDER_PENDING);
	stream_ok(slurp_edit(A302, from, "\"OrderStatus\": \"Canceled\""));
	ck_assert_int_eq(ord.status, ORDER_CANCELLED);
	ck_assert_str_eq(ord.cancelled_at, "2026-10-06T06:02:11Z");
	ck_assert_int_eq(stream_text(slurp_edit(A302, from,
	    "\"OrderStatus\": \"Lost\"")), KR_BAD_INPUT);
	assert_error("getOrder.payload.OrderStatus", "unknown order status");

	/* Pending: Amazon sends neither the total nor the item prices. */
	stream_ok(text_edit(text_edit(text_edit(slurp(A304), from,
	    "\"OrderStatus\": \"Pending\""), "\"OrderTotal\"",
	    "\"OrderTotalLater\""), "\"ItemPrice\"", "\"ItemPriceLater\""));
	ck_assert_int_eq(ord.status, ORDER_PENDING);
	ck_assert_int_eq(ord.nlines, 0);
	/* ... and a Shipped order without them is refused. */
	ck_assert_int_eq(stream_text(slurp_edit(A304, "\"ItemPrice\"",
	    "\"ItemPriceLater\"")), KR_BAD_INPUT);
	assert_error("getOrderItems.payload.OrderItems[0].ItemPrice",
	    "required field is missing");
}
END_TEST

START_TEST(ebay_readiness_follows_payment_and_cancellation)
{
	stream_ok(slurp_edit(E1, "\"orderPaymentStatus\": \"PAID\"",
	    "\"orderPaymentStatus\": \"PENDING\""));
	ck_assert_int_eq(ord.status, ORDER_PENDING);
	ck_assert_str_eq(ord.status_reason, "orderPaymentStatus PENDING");
	stream_ok(slurp_edit(E1, "\"NONE_REQUESTED\"", "\"CANCELED\""));
	ck_assert_int_eq(ord.status, ORDER_CANCELLED);
	ck_assert_str_eq(ord.status_reason, "cancelState CANCELED");
	ck_assert_int_eq(stream_text(slurp_edit(E1,
	    "\"orderPaymentStatus\": \"PAID\"",
	    "\"orderPaymentStatus\": \"MAYBE\"")), KR_BAD_INPUT);
	assert_error("orderPaymentStatus", "unknown payment status");
}
END_TEST

START_TEST(shopware_readiness_follows_the_latest_transaction)
{
	stream_ok(slurp_edit(SW4, "\"technicalName\": \"paid\"",
	    "\"technicalName\": \"open\""));
	ck_assert_int_eq(ord.status, ORDER_PENDING);
	ck_assert_str_eq(ord.status_reason, "transaction state open");
	stream_ok(slurp_edit(SW4, "\"technicalName\": \"paid\"",
	    "\"technicalName\": \"authorized\""));
	ck_assert_int_eq(ord.status, ORDER_PENDING);
	stream_ok(slurp_edit(SW4, "\"technicalName\": \"completed\"",
	    "\"technicalName\": \"cancelled\""));
	ck_assert_int_eq(ord.status, ORDER_CANCELLED);
	ck_assert_str_eq(ord.cancelled_at, "2026-11-13T16:55:03Z");
}
END_TEST

START_TEST(magento_readiness_wants_the_order_invoiced)
{
	stream_ok(slurp_edit(M233, "\"state\": \"complete\"",
	    "\"state\": \"holded\""));
	ck_assert_int_eq(ord.status, ORDER_PENDING);
	stream_ok(slurp_edit(M233, "\"state\": \"complete\"",
	    "\"state\": \"canceled\""));
	ck_assert_int_eq(ord.status, ORDER_CANCELLED);
	stream_ok(text_edit(text_edit(slurp_edit(M233,
	    "\"state\": \"complete\"", "\"state\": \"processing\""),
	    "\"total_paid\": 33.6", "\"total_paid\": 0"),
	    "\"total_invoiced\": 33.6", "\"total_invoiced\": 0"));
	ck_assert_int_eq(ord.status, ORDER_PENDING);
	ck_assert_str_eq(ord.status_reason, "processing not invoiced in full");
	ck_assert_int_eq(stream_text(slurp_edit(M233,
	    "\"state\": \"complete\"", "\"state\": \"lost\"")),
	    KR_BAD_INPUT);
	assert_error("state", "unknown order state");
}
END_TEST

START_TEST(plain_readiness_from_status_or_paid_at)
{
	char *text = slurp(PLAIN);

	text = text_edit(text, "2026-11-03T09:13:10+01:00", "");
	text = text_edit(text, "2026-11-03T09:13:10+01:00", "");
	ck_assert_int_eq(plain_text(text), KR_OK);
	ck_assert_int_eq(ord.status, ORDER_PENDING);
	ck_assert_str_eq(ord.status_reason, "no paid_at");
	ck_assert_ptr_null(ord.paid_at);

	text = slurp(PLAIN);
	text = text_edit(text, "order_id,", "status,order_id,");
	text = text_edit(text, "\nA-1001,", "\ncancelled,A-1001,");
	text = text_edit(text, "\nA-1001,", "\ncancelled,A-1001,");
	ck_assert_int_eq(plain_text(text), KR_OK);
	ck_assert_int_eq(ord.status, ORDER_CANCELLED);
	ck_assert_str_eq(ord.status_reason, "status cancelled");
}
END_TEST

/* A payload of each platform, a member inserted after its first "{". */
static const char *const samples[] = {A302, E1, SW4, M233};

START_TEST(unknown_members_change_nothing)
{
	char *a, *b;

	stream_ok(slurp(samples[_i]));
	a = order_text(&ord);
	stream_ok(slurp_edit(samples[_i], "{", "{\"x_kontor_unknown\": "
	    "{\"nested\": [1, \"two\", null, 1.5e300]},"));
	b = order_text(&ord);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

START_TEST(truncated_payloads_are_reader_errors)
{
	char *text = slurp(samples[_i]);

	char at[32];
	size_t half = strlen(text) / 2, n;

	/* Cut inside the payload: the error is at its end, in a member. */
	text[half] = '\0';
	ck_assert_int_eq(stream_text(text), KR_BAD_INPUT);
	snprintf(at, sizeof(at), " at byte %zu", half);
	n = strlen(err.field);
	ck_assert_msg(n > strlen(at) && strcmp(err.field + n - strlen(at),
	    at) == 0, "%s", err.field);
	ck_assert_ptr_nonnull(strstr(err.msg, "JSON"));
}
END_TEST

static const struct {
	const char *file, *from, *to, *field, *why;
} wrong[] = {
	{A302, "\"QuantityOrdered\": 1", "\"QuantityOrdered\": \"eins\"",
	    "getOrderItems.payload.OrderItems[0].QuantityOrdered",
	    "got \"eins\""},
	/* 23.9e0 is read; the x after it stands between two members. */
	{A302, "\"Amount\": \"23.90\"", "\"Amount\": 23.9e0x",
	    "getOrderItems.payload.OrderItems[0].ItemPrice at byte ", "JSON"},
	{A302, "\"AmazonOrderId\": \"302-4817263-5501937\"",
	    "\"AmazonOrderId\": 3024817263",
	    "getOrder.payload.AmazonOrderId", "as a string"},
	{E1, "\"quantity\": 2", "\"quantity\": true",
	    "lineItems[0].quantity", "got true"},
	{E1, "\"value\": \"29.90\"", "\"value\": [29.9]",
	    "lineItems[0].lineItemCost.value", "got array"},
	{SW4, "\"quantity\": 1,\n            \"unitPrice\"",
	    "\"quantity\": \"one\",\n            \"unitPrice\"",
	    "orders.elements[0].lineItems[0].quantity", "got \"one\""},
	{SW4, "\"id\": \"bcd965d6bf4825ed51ab377c78235358\"",
	    "\"id\": \"BCD965D6BF4825ED51AB377C78235358\"",
	    "orders.elements[0].id", "characters of"},
	{M232, "\"qty_ordered\": 4", "\"qty_ordered\": [4]",
	    "items[0].qty_ordered", "got array"},
	{M233, "\"entity_id\": 233", "\"entity_id\": \"0233\"",
	    "entity_id", "got \"0233\""}
};

START_TEST(wrongly_typed_members_name_their_path)
{
	ck_assert_int_eq(stream_text(slurp_edit(wrong[_i].file,
	    wrong[_i].from, wrong[_i].to)), KR_BAD_INPUT);
	ck_assert_msg(strncmp(err.field, wrong[_i].field,
	    strlen(wrong[_i].field)) == 0, "field %s, msg %s", err.field,
	    err.msg);
	ck_assert_msg(strstr(err.msg, wrong[_i].why) != NULL, "%s: %s",
	    err.field, err.msg);
}
END_TEST

/* Payloads that contradict themselves, or that the data cannot carry. */
static const struct {
	const char *file, *from, *to, *field, *why;
} refused[] = {
	/* 2.00 of tax in 29.99 is 7.14 %: no German rate. */
	{A302, "\"Amount\": \"4.79\"", "\"Amount\": \"2.00\"",
	    "getOrderItems.payload.OrderItems[1].ItemTax",
	    "fits none of the VAT rates of DE"},
	{A302, "\"Amount\": \"53.89\"", "\"Amount\": \"53.99\"",
	    "getOrder.payload.OrderTotal",
	    "add up to 53.89, but the platform states a total of 53.99"},
	{A302, "\"SerialNumberRequired\": false\n      },",
	    "\"SerialNumberRequired\": false, \"TaxCollection\": {\"Model\": "
	    "\"MarketplaceFacilitator\"}\n      },",
	    "getOrderItems.payload.OrderItems", "such a mixed order"},
	{A302, "\"90491\",\n      \"CountryCode\": \"DE\"",
	    "\"90491\",\n      \"CountryCode\": \"AT\"",
	    "getOrderItems.payload.OrderItems[0].ItemTax",
	    "only for ship-to Germany"},
	{E1, "\"taxType\": \"VAT\"", "\"taxType\": \"STATE_SALES_TAX\"",
	    "lineItems[0].taxes[0]", "is no VAT"},
	{E1, "\"value\": \"22.90\",\n        \"currency\": \"EUR\"\n      },\n"
	    "      \"deliveryCost\"", "\"value\": \"24.40\",\n        "
	    "\"currency\": \"EUR\"\n      },\n      \"deliveryCost\"",
	    "lineItems[1].taxes", "VAT added on top"},
	{E1, "\"value\": \"3.00\"", "\"value\": \"2.00\"",
	    "lineItems[0].appliedPromotions",
	    "the promotions add up to 2.00, but the line's cost went down by "
	    "3.00"},
	{E1, "\"total\": {\n      \"value\": \"54.70\",",
	    "\"total\": {\n      \"convertedFromValue\": \"47.30\", "
	    "\"convertedFromCurrency\": \"GBP\", \"value\": \"54.70\",",
	    "pricingSummary.total.convertedFromCurrency",
	    "converted the amount from GBP"},
	{SW4, "\"price\": -3.15", "\"price\": -4.15",
	    "orders.elements[0].lineItems[2].price.calculatedTaxes",
	    "add up to -6.00, not to the total -5.00"},
	{SW4, "\"currencyId\": \"b7d2554b0ce847cd82f3ac9bd1c0dfca\"",
	    "\"currencyId\": \"a1b2c3d4e5f60718293a4b5c6d7e8f90\"",
	    "orders.elements[0].currencyId", "currency association"},
	{SW4, "\"percentage\": 100,\n                  \"apiAlias\": "
	    "\"cart_tax_rule\"\n                }\n              ],\n"
	    "              \"referencePrice\"", "\"percentage\": 50}, {"
	    "\"taxRate\": 7, \"percentage\": 50}],\n"
	    "              \"referencePrice\"",
	    "orders.elements[0].lineItems[0].price.taxRules",
	    "exactly one tax rule"},
	{M233, "\"row_total_incl_tax\": 7.9,", "\"row_total_incl_tax\": 8.9,",
	    "items[0]", "children add up to 26.75, but the item says 25.75"}
};

START_TEST(contradictions_are_refused_with_both_figures)
{
	ck_assert_int_eq(stream_text(slurp_edit(refused[_i].file,
	    refused[_i].from, refused[_i].to)), KR_BAD_INPUT);
	assert_error(refused[_i].field, refused[_i].why);
}
END_TEST

START_TEST(plain_refuses_what_it_cannot_read)
{
	static const char head[] = "order_id,created_at,currency,prices,"
	    "name,quantity,unit_price,tax_rate,total\n";
	char text[512];

	/* A column nobody knows, one that comes twice, one missing. */
	ck_assert_int_eq(plain_text(xstrdup("order_id,created,currency\n")),
	    KR_BAD_INPUT);
	ck_assert_str_eq(err.msg, "unknown column \"created\" "
	    "(docs/plain-import.md lists them)");
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(plain_text(xstrdup("order_id,order_id\n")),
	    KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "comes twice"));
	ck_assert_int_eq(plain_text(xstrdup("order_id,currency\n")),
	    KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "no column \"created_at\""));
	ck_assert_int_eq(plain_text(xstrdup("")), KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "header row"));

	/* A decimal comma: the order is refused, the file goes on. */
	snprintf(text, sizeof(text), "%s1,2026-11-03T09:12:00Z,EUR,gross,"
	    "Tee,1,\"8,49\",7,8.49\n2,2026-11-03T09:12:00Z,EUR,gross,Tee,1,"
	    "8.49,7,8.49\n", head);
	ck_assert_int_eq(plain_text(xstrdup(text)), KR_OK);
	ck_assert_int_eq(plain_orders, 1);
	ck_assert_int_eq(plain_refused, 1);
	ck_assert_str_eq(err.field, "unit_price");
	ck_assert_int_eq(err.line, 2);
	ck_assert_ptr_nonnull(strstr(err.msg, "got \"8,49\""));

	/*
	 * A record with a field more or less than the header: refused by
	 * its width, not by what the shift did to the columns after it.
	 */
	snprintf(text, sizeof(text), "%s1,2026-11-03T09:12:00Z,EUR,gross,"
	    "Tee,1,8.49,7,16.98,x\n2,2026-11-03T09:12:00Z,EUR,gross,Tee,1,"
	    "8.49,7\n3,2026-11-03T09:12:00Z,EUR,gross,Tee,1,8.49,7,8.49\n",
	    head);
	ck_assert_int_eq(plain_text(xstrdup(text)), KR_OK);
	ck_assert_int_eq(plain_orders, 1);
	ck_assert_int_eq(plain_refused, 2);
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.msg, "the record has 8 fields and the header 9; "
	    "quote a field that holds a comma");

	/* The lines of one order must agree on the order's columns. */
	snprintf(text, sizeof(text), "%s1,2026-11-03T09:12:00Z,EUR,gross,"
	    "Tee,1,8.49,7,16.98\n1,2026-11-03T09:12:00Z,EUR,net,Tee,1,8.49,"
	    "7,16.98\n", head);
	ck_assert_int_eq(plain_text(xstrdup(text)), KR_OK);
	ck_assert_int_eq(plain_refused, 1);
	ck_assert_str_eq(err.field, "prices");
	ck_assert_int_eq(err.line, 3);
	ck_assert_ptr_nonnull(strstr(err.msg, "disagree"));

	/* A total that does not add up names the order's first line. */
	snprintf(text, sizeof(text), "%s7,2026-11-03T09:12:00Z,EUR,gross,"
	    "Tee,2,8.49,7,17.00\n", head);
	ck_assert_int_eq(plain_text(xstrdup(text)), KR_OK);
	ck_assert_int_eq(plain_refused, 1);
	ck_assert_str_eq(err.field, "total");
	ck_assert_int_eq(err.line, 2);
	ck_assert_ptr_nonnull(strstr(err.msg, "add up to 16.98"));

	/* Broken CSV stops the file with its line. */
	snprintf(text, sizeof(text), "%s1,2026-11-03T09:12:00Z,EUR,gross,"
	    "\"Tee,1,8.49,7,8.49\n", head);
	ck_assert_int_eq(plain_text(xstrdup(text)), KR_BAD_INPUT);
	ck_assert_str_eq(err.msg, "a quoted field is not closed");
	ck_assert_int_eq(err.line, 2);
}
END_TEST

START_TEST(detect_tells_the_new_platforms_apart)
{
	static const struct {
		const char *path;
		enum platform p;
	} cases[] = {
		{A302, PLATFORM_AMAZON}, {E1, PLATFORM_EBAY},
		{SW4, PLATFORM_SHOPWARE}, {M233, PLATFORM_MAGENTO}
	};
	enum payload_kind kind;
	enum platform p;
	size_t i;
	char *text;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		text = slurp(cases[i].path);
		if (cases[i].p == PLATFORM_SHOPWARE) {
			/* The list's one element, as the stream hands it. */
			char *s = strstr(text, "\"elements\": [") + 13;

			*strstr(s, "\n    ],\n    \"aggregations\"") = '\0';
			s = xstrdup(s);
			free(text);
			text = s;
		}
		ck_assert_int_eq(jdoc_parse(&doc, text, strlen(text), &err),
		    KR_OK);
		free(text);
		ck_assert_int_eq(import_detect(doc.root, &p, &kind, &err),
		    KR_OK);
		ck_assert_int_eq(p, cases[i].p);
		ck_assert_int_eq(kind, PAYLOAD_ORDER);
	}
}
END_TEST

static Suite *
importers_suite(void)
{
	Suite *s = suite_create("importers");
	TCase *tc = tcase_create("importers");

#define N(a)	((int)(sizeof(a) / sizeof((a)[0])))
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc,
	    every_order_imports_and_adds_up_to_its_stated_total, 0,
	    N(orders));
	tcase_add_test(tc, amazon_order_maps_every_field);
	tcase_add_test(tc, amazon_business_and_deemed_supplier_orders);
	tcase_add_test(tc, ebay_order_maps_every_field);
	tcase_add_test(tc, ebay_business_refund_and_collected_vat);
	tcase_add_test(tc, shopware_order_maps_every_field);
	tcase_add_test(tc, shopware_admin_api_single_order_is_unwrapped);
	tcase_add_test(tc, magento_order_maps_every_field);
	tcase_add_test(tc, magento_net_order_keeps_net_rows);
	tcase_add_test(tc, plain_order_maps_every_field);
	tcase_add_test(tc, amazon_gift_wrap_and_shipping_discount);
	tcase_add_test(tc, shopware_tax_free_currency_and_delivery_address);
	tcase_add_test(tc, magento_configurable_product_is_its_parent);
	tcase_add_loop_test(tc, public_samples_are_refused_with_a_reason, 0,
	    N(public_samples));
	tcase_add_test(tc, public_amazon_pairs_are_refused_with_a_reason);
	tcase_add_test(tc, amazon_readiness_follows_the_order_status);
	tcase_add_test(tc, ebay_readiness_follows_payment_and_cancellation);
	tcase_add_test(tc, shopware_readiness_follows_the_latest_transaction);
	tcase_add_test(tc, magento_readiness_wants_the_order_invoiced);
	tcase_add_test(tc, plain_readiness_from_status_or_paid_at);
	tcase_add_loop_test(tc, unknown_members_change_nothing, 0,
	    N(samples));
	tcase_add_loop_test(tc, truncated_payloads_are_reader_errors, 0,
	    N(samples));
	tcase_add_loop_test(tc, wrongly_typed_members_name_their_path, 0,
	    N(wrong));
	tcase_add_loop_test(tc, contradictions_are_refused_with_both_figures,
	    0, N(refused));
	tcase_add_test(tc, plain_refuses_what_it_cannot_read);
	tcase_add_test(tc, detect_tells_the_new_platforms_apart);
#undef N
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(importers_suite());
	int failed;

	/* Times in the payloads carry offsets; the zone must not matter. */
	ktime_set_zone("UTC", NULL);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

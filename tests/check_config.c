#include <check.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "err.h"
#include "testdir.h"

/*
 * Each case writes a kontor.conf into a scratch folder: a valid seller,
 * then the sections the case gives, and loads it.
 */

#define CONF_MAX	8192

static char dir[PATH_MAX];
static char path[PATH_MAX + 32];
static char text[CONF_MAX];
static struct config cfg;
static struct kerr e;

static void
setup(void)
{
	testdir_make(dir, sizeof(dir), "config");
	snprintf(path, sizeof(path), "%s/kontor.conf", dir);
	memset(&cfg, 0, sizeof(cfg));
}

static void
teardown(void)
{
	config_release(&cfg);
	testdir_remove(dir);
}

/* Loads the seller and [datev] basics followed by rest. */
static int
load(const char *rest)
{
	int n;

	n = snprintf(text, sizeof(text), "[seller]\n"
	    "name = Pr\xC3\xBC" "f Handel GmbH\n"
	    "street = Teststra\xC3\x9F" "e 1\n"
	    "postcode = 10115\n"
	    "city = Berlin\n"
	    "vat_id = DE123456789\n"
	    "\n"
	    "%s", rest);
	ck_assert_int_lt(n, (int)sizeof(text));
	testdir_write(dir, "kontor.conf", text);
	config_release(&cfg);
	kerr_clear(&e);
	return config_load(&cfg, path, &e);
}

static const char datev[] = "[datev]\nconsultant = 1001\nclient = 1\n";

/* Loads [datev] with the lines extra added. */
static int
load_datev(const char *extra)
{
	char rest[CONF_MAX / 2];

	snprintf(rest, sizeof(rest), "%s%s", datev, extra);
	return load(rest);
}

/* Loads [datev] and the section sec with body. */
static int
load_section(const char *sec, const char *body)
{
	char rest[CONF_MAX / 2];

	snprintf(rest, sizeof(rest), "%s\n[%s]\n%s", datev, sec, body);
	return load(rest);
}

/* The line of the last loaded text on which needle starts, from 1. */
static long
line_of(const char *needle)
{
	const char *at = strstr(text, needle), *p;
	long line = 1;

	ck_assert_msg(at != NULL, "\"%s\" is not in the text", needle);
	for (p = text; p < at; p++)
		if (*p == '\n')
			line++;
	return line;
}

/* The error names the file, the line of needle and says says. */
static void
refused_at(const char *needle, const char *says)
{
	ck_assert_msg(strstr(e.file, "kontor.conf") != NULL, "file \"%s\"",
	    e.file);
	ck_assert_int_eq(e.line, line_of(needle));
	ck_assert_msg(strstr(e.msg, says) != NULL || strstr(e.field, says) !=
	    NULL, "\"%s: %s\" does not say \"%s\"", e.field, e.msg, says);
}

START_TEST(config_accepts_the_smallest_file_and_the_sample_tenant)
{
	char demo[4096];
	const char *top = getenv("KONTOR_TOP");

	ck_assert_int_eq(load(datev), KR_OK);
	ck_assert_str_eq(cfg.exported_by, "kontor");
	ck_assert_str_eq(cfg.dictation, "");
	ck_assert_int_eq(cfg.fy_start_day, 1);

	config_release(&cfg);
	snprintf(demo, sizeof(demo), "%s/fixtures/tenant-demo/kontor.conf",
	    top ? top : ".");
	ck_assert_int_eq(config_load(&cfg, demo, &e), KR_OK);
	ck_assert_uint_eq(cfg.nshops, 2);
}
END_TEST

START_TEST(config_refuses_exported_by_that_datev_refuses)
{
	static const char *const bad[] = {
		"exported_by = kontor 1\n",
		"exported_by = k\xC3\xB6ntor\n",
		"exported_by = kontor-shop\n",
		"exported_by = abcdefghijklmnopqrstuvwxyz\n",	/* 26 */
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(load_datev(bad[i]), KR_CONFIG);
		refused_at("exported_by", "datev.exported_by");
		ck_assert_ptr_nonnull(strstr(e.msg, "letters, digits"));
	}
	ck_assert_int_eq(load_datev("exported_by = "
	    "Kontor_2_abcdefghijklmnop\n"), KR_OK);	/* 25 */
	ck_assert_str_eq(cfg.exported_by, "Kontor_2_abcdefghijklmnop");
}
END_TEST

START_TEST(config_refuses_a_dictation_code_not_two_capitals)
{
	static const char *const bad[] = {
		"dictation = kt\n", "dictation = K\n", "dictation = KTX\n",
		"dictation = K1\n", "dictation = \xC3\x84K\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(load_datev(bad[i]), KR_CONFIG);
		refused_at("dictation", "datev.dictation");
	}
	ck_assert_int_eq(load_datev("dictation = KT\n"), KR_OK);
	ck_assert_str_eq(cfg.dictation, "KT");
	ck_assert_int_eq(load_datev("dictation =\n"), KR_OK);
	ck_assert_str_eq(cfg.dictation, "");
}
END_TEST

START_TEST(config_refuses_a_fiscal_year_not_starting_on_the_first)
{
	ck_assert_int_eq(load_datev("fiscal_year_start = 07-15\n"),
	    KR_CONFIG);
	refused_at("fiscal_year_start", "datev.fiscal_year_start");
	ck_assert_ptr_nonnull(strstr(e.msg, "first of a month"));
	ck_assert_ptr_nonnull(strstr(e.msg, "\"07-01\""));

	ck_assert_int_eq(load_datev("fiscal_year_start = 13-01\n"),
	    KR_CONFIG);
	refused_at("fiscal_year_start", "like \"01-01\"");

	ck_assert_int_eq(load_datev("fiscal_year_start = 07-01\n"), KR_OK);
	ck_assert_int_eq(cfg.fy_start_month, 7);
	ck_assert_int_eq(cfg.fy_start_day, 1);
}
END_TEST

START_TEST(config_refuses_a_pattern_whose_numbers_do_not_fit_belegfeld_1)
{
	/* 8 + 4 + 1 + 2 + 1 + 2 + 1 + 12 + 6 = 37 characters at most */
	ck_assert_int_eq(load_section("invoice", "number_pattern = "
	    "RECHNUNG{YYYY}-{YY}-{MM}-{NNNNNNNNNNNN}-SHOP1\n"), KR_CONFIG);
	refused_at("number_pattern", "up to 37 characters");
	ck_assert_ptr_nonnull(strstr(e.msg, "Belegfeld 1"));
	ck_assert_ptr_nonnull(strstr(e.msg, "at most 36"));

	/* One character less: 36, the most DATEV takes. */
	ck_assert_int_eq(load_section("invoice", "number_pattern = "
	    "RECHNUNG{YYYY}-{YY}-{MM}-{NNNNNNNNNNNN}-SHOP\n"), KR_OK);

	ck_assert_int_eq(load_section("invoice", "credit_pattern = "
	    "GUTSCHRIFT-AUS-DEM-ONLINESHOP-{NNNNNNNN}\n"), KR_CONFIG);
	refused_at("credit_pattern", "invoice.credit_pattern");
}
END_TEST

START_TEST(config_refuses_unknown_placeholders_and_stray_braces)
{
	static const struct {
		const char *pattern, *says;
	} bad[] = {
		{"RE-{DD}-{NNNN}", "unknown placeholder"},
		{"RE-{yyyy}-{NNNN}", "unknown placeholder"},
		{"RE-{YYYY-{NNNN}", "unknown placeholder"},
		{"RE-YYYY}-{NNNN}", "'}' without"},
		{"RE-{NNN}-{NNN}", "more than one counter"},
		{"RE-{YYYY}", "one run of digits"},
		{"RE-{NNNNNNNNNNNNN}", "at most 12 digits"},
		{"RE {YYYY}-{NNN}", "punctuation"},
		{"R\xC3\x89-{YYYY}-{NNN}", "punctuation"},
	};
	char body[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(body, sizeof(body), "number_pattern = %s\n",
		    bad[i].pattern);
		ck_assert_int_eq(load_section("invoice", body), KR_CONFIG);
		refused_at("number_pattern", bad[i].says);
		ck_assert_ptr_nonnull(strstr(e.msg, "invoice.number_pattern"));
	}
}
END_TEST

START_TEST(config_refuses_series_that_datev_would_show_alike)
{
	/* '.' and '_' are both written '-' in Belegfeld 1. */
	ck_assert_int_eq(load_section("invoice",
	    "number_pattern = RE.{YYYY}.{NNNNNN}\n"
	    "credit_pattern = RE_{YYYY}_{NNNNNN}\n"), KR_CONFIG);
	refused_at("credit_pattern", "invoice.credit_pattern");
	ck_assert_ptr_nonnull(strstr(e.msg, "\"RE-{YYYY}-{NNNNNN}\""));

	ck_assert_int_eq(load_section("invoice",
	    "number_pattern = RE-{YYYY}-{NNNNNN}\n"
	    "credit_pattern = RE-{YYYY}-{NNNNNN}\n"), KR_CONFIG);
	ck_assert_str_eq(e.field, "invoice.credit_pattern");

	/* '$' and '%' are Belegfeld characters, but both '_' in a name. */
	ck_assert_int_eq(load_section("invoice",
	    "number_pattern = R${YYYY}-{NNNNNN}\n"
	    "credit_pattern = R%{YYYY}-{NNNNNN}\n"), KR_CONFIG);
	refused_at("credit_pattern", "invoice.credit_pattern");
	ck_assert_ptr_nonnull(strstr(e.msg, "file name"));
	ck_assert_ptr_nonnull(strstr(e.msg, "\"R${YYYY}-{NNNNNN}\""));
	ck_assert_ptr_nonnull(strstr(e.msg, "\"R%{YYYY}-{NNNNNN}\""));

	/* Patterns that differ can still give one number: R-100001. */
	ck_assert_int_eq(load_section("invoice",
	    "number_pattern = R-{NNNNNN}\n"
	    "credit_pattern = R-1{NNNNN}\n"), KR_CONFIG);
	refused_at("credit_pattern", "their own series");
	ck_assert_int_eq(load_section("invoice",
	    "number_pattern = R.{NNNNNN}\n"
	    "credit_pattern = R_1{NNNNN}\n"), KR_CONFIG);
	refused_at("credit_pattern", "Belegfeld 1");

	/* A letter against a digit keeps them apart everywhere. */
	ck_assert_int_eq(load_section("invoice",
	    "number_pattern = R${YYYY}-{NNNNNN}\n"
	    "credit_pattern = RG{YYYY}-{NNNNNN}\n"), KR_OK);
	ck_assert_int_eq(load_section("invoice",
	    "number_pattern = R-{NNNNNN}\n"
	    "credit_pattern = R-{NNNNN}\n"), KR_OK);

	/* A mapped pattern of its own is fine: the writer says so. */
	ck_assert_int_eq(load_section("invoice",
	    "number_pattern = RE.{YYYY}.{NNNNNN}\n"), KR_OK);
}
END_TEST

START_TEST(config_refuses_a_shop_name_that_leaves_no_room_for_the_order)
{
	/* 31 characters */
	ck_assert_int_eq(load_section("shop shop-de", "platform = shopify\n"
	    "name = Kontor Demo Manufaktur Outlet 1\n"), KR_CONFIG);
	refused_at("name = Kontor", "shop shop-de: name");
	ck_assert_ptr_nonnull(strstr(e.msg, "31 characters"));
	ck_assert_ptr_nonnull(strstr(e.msg, "at most 30"));

	/* 30 */
	ck_assert_int_eq(load_section("shop shop-de", "platform = shopify\n"
	    "name = Kontor Demo Manufaktur Outlet1\n"), KR_OK);
	ck_assert_str_eq(cfg.shops[0].name, "Kontor Demo Manufaktur Outlet1");

	/* 30 characters, but U+0132 is "IJ" in DATEV: 31 */
	ck_assert_int_eq(load_section("shop shop-de", "platform = shopify\n"
	    "name = \xC4\xB2ssel Handel und Versand GmbH.\n"), KR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "31 characters in DATEV"));

	/* Without a name the platform is the name. */
	ck_assert_int_eq(load_section("shop markt", "platform = "
	    "ein-sehr-langer-marktplatzname-x\n"), KR_CONFIG);
	refused_at("platform = ein", "shop markt: platform");

	ck_assert_int_eq(load_section("shop shop-de", "platform = shopify\n"
	    "name = Shop\tDE\n"), KR_CONFIG);
	refused_at("name = Shop", "control characters");

	/* Ł and ź are one character each. */
	ck_assert_int_eq(load_section("shop markt-pl",
	    "platform = marketplace\n"
	    "name = Sklep \xC5\x81\xC3\xB3" "d\xC5\xBA\n"), KR_OK);
}
END_TEST

START_TEST(config_refuses_an_accounts_key_that_is_never_looked_up)
{
	static const char *const bad[] = {
		"revenu.19 = 8400\n", "revenue.nineteen = 8400\n",
		"revenue = 8400\n", "revenue.19% = 8400\n",
		"revenue.-7 = 8300\n", "revenue.100 = 8400\n",
		"reduction.oss = 8320\n", "Rounding = 1590\n",
		"revenue.intra-eu = 8125\n", "revenue.5.555 = 8400\n",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(load_section("accounts", bad[i]), KR_CONFIG);
		ck_assert_int_eq(e.line, line_of(bad[i]));
		ck_assert_msg(strstr(e.msg, "unknown key") != NULL,
		    "%s: %s", bad[i], e.msg);
	}
	ck_assert_int_eq(load_section("accounts", "revenu.19@2027-01-01 = "
	    "8400\n"), KR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "accounts.revenu.19@2027-01-01"));
}
END_TEST

START_TEST(config_names_the_spelling_of_a_rate_that_kontor_looks_up)
{
	ck_assert_int_eq(load_section("accounts", "revenue.07 = 8300\n"),
	    KR_CONFIG);
	refused_at("revenue.07", "\"revenue.7\"");
	ck_assert_int_eq(load_section("accounts", "reduction.19.00 = 8720\n"),
	    KR_CONFIG);
	refused_at("reduction.19.00", "\"reduction.19\"");
	ck_assert_int_eq(load_section("accounts", "revenue.5.50 = 8300\n"),
	    KR_CONFIG);
	refused_at("revenue.5.50", "\"revenue.5.5\"");
}
END_TEST

START_TEST(config_accepts_every_accounts_key_kontor_looks_up)
{
	ck_assert_int_eq(load_section("accounts",
	    "revenue.19 = 8400\n"
	    "revenue.19@2027-01-01 = 8410\n"
	    "revenue.7 = 8300\n"
	    "revenue.5.5 = 8310\n"
	    "revenue.0 = 8338\n"
	    "revenue.intra_eu = 8125\n"
	    "revenue.export = 8120\n"
	    "revenue.oss = 8320\n"
	    "reduction.19 = 8720\n"
	    "reduction.7 = 8710\n"
	    "reduction.0.5 = 8711\n"
	    "reduction.intra_eu = 8724\n"
	    "reduction.export = 8705\n"
	    "rounding = 1590\n"), KR_OK);
	ck_assert_str_eq(config_account(&cfg, "revenue.19", "2026-12-31"),
	    "8400");
	ck_assert_str_eq(config_account(&cfg, "revenue.19", "2027-01-01"),
	    "8410");
	ck_assert_str_eq(config_account(&cfg, "revenue.5.5", "2026-12-31"),
	    "8310");
	ck_assert_str_eq(config_account(&cfg, "rounding", "2026-12-31"),
	    "1590");
}
END_TEST

START_TEST(config_takes_oss_accounts_and_tax_keys_per_country)
{
	static const char *const bad[] = {
		"revenue.oss.DE = 8320\n", "revenue.oss.EL = 8320\n",
		"revenue.oss.fr = 8320\n", "revenue.oss.FR.20% = 8320\n",
		"key.oss.US = 240\n", "revenue.oss.FRA = 8320\n",
	};
	size_t i;

	ck_assert_int_eq(load_section("accounts",
	    "revenue.oss.FR = 8321\n"
	    "revenue.oss.FR.5.5 = 8322\n"
	    "revenue.oss.XI = 8323\n"
	    "revenue.small_business = 8195\n"
	    "revenue.deemed_supplier = 8338\n"
	    "key.oss = 240\n"
	    "key.oss.AT.4.9 = 241\n"), KR_OK);
	ck_assert_str_eq(config_account(&cfg, "revenue.oss.FR.5.5",
	    "2026-12-31"), "8322");
	ck_assert_str_eq(config_account(&cfg, "key.oss.AT.4.9",
	    "2026-12-31"), "241");
	/* The defaults of the chart (datev.md §6, §7). */
	ck_assert_int_eq(load_datev("chart = SKR04\n"), KR_OK);
	ck_assert_str_eq(config_account(&cfg, "key.oss", "2026-12-31"),
	    "240");
	ck_assert_str_eq(config_account(&cfg, "revenue.small_business",
	    "2026-12-31"), "4185");
	ck_assert_ptr_null(config_account(&cfg, "revenue.oss.FR",
	    "2026-12-31"));

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(load_section("accounts", bad[i]), KR_CONFIG);
		ck_assert_int_eq(e.line, line_of(bad[i]));
		ck_assert_msg(strstr(e.msg, "member state") != NULL,
		    "%s: %s", bad[i], e.msg);
	}
	/* An empty value is not given: the default holds. */
	ck_assert_int_eq(load_section("accounts", "key.oss.FR =\n"
	    "revenue.oss =\n"), KR_OK);
	ck_assert_str_eq(config_account(&cfg, "revenue.oss", "2026-12-31"),
	    "8320");
	ck_assert_ptr_null(config_account(&cfg, "key.oss.FR", "2026-12-31"));
	ck_assert_int_eq(load_section("accounts", "revenu.oss =\n"),
	    KR_CONFIG);
	/* OSS bookings carry key 240: no automatic account for them. */
	ck_assert_int_eq(load_section("accounts", "revenue.oss.FR.20 = "
	    "8400\n"), KR_CONFIG);
	refused_at("revenue.oss.FR.20", "automatic account");
	ck_assert_int_eq(load(
	    "[datev]\nconsultant = 1001\nclient = 1\nchart = SKR04\n"
	    "account_length = 5\ndebitor = 100000\n[accounts]\n"
	    "revenue.oss = 43000\n"),
	    KR_CONFIG);
	refused_at("revenue.oss", "automatic account");
	/* A tax key has at most four digits, whatever the accounts. */
	ck_assert_int_eq(load_section("accounts", "key.oss = 12345\n"),
	    KR_CONFIG);
	refused_at("key.oss", "tax key");
}
END_TEST

START_TEST(config_pads_the_default_accounts_to_the_account_length)
{
	/*
	 * DATEV lengthens an account by appending zeros (SKR04 4400 is
	 * 440000 at six digits) and reads a shorter number with leading
	 * zeros (4400 is 004400), so a default written as it stands would
	 * book on another account.  A configured account stays as given,
	 * and a tax key is no account.
	 */
	static const struct {
		const char *conf, *key, *want;
	} t[] = {
		{"SKR04\naccount_length = 6\ndebitor = 1000000", "revenue.19",
		    "440000"},
		{"SKR04\naccount_length = 6\ndebitor = 1000000", "revenue.7",
		    "430000"},
		{"SKR04\naccount_length = 6\ndebitor = 1000000", "revenue.oss",
		    "432000"},
		{"SKR04\naccount_length = 6\ndebitor = 1000000",
		    "reduction.export", "470500"},
		{"SKR04\naccount_length = 6\ndebitor = 1000000",
		    "reduction.19", "4725"},
		{"SKR04\naccount_length = 6\ndebitor = 1000000", "key.oss",
		    "240"},
		{"SKR03\naccount_length = 5\ndebitor = 100000",
		    "revenue.intra_eu", "81250"},
		{"SKR03\naccount_length = 5\ndebitor = 100000", "revenue.19",
		    "84000"},
	};
	char conf[256];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(conf, sizeof(conf), "[datev]\nconsultant = 1001\n"
		    "client = 1\nchart = %s\n[accounts]\n"
		    "reduction.19 = 4725\n", t[i].conf);
		ck_assert_int_eq(load(conf), KR_OK);
		ck_assert_str_eq(config_account(&cfg, t[i].key, "2026-12-31"),
		    t[i].want);
	}
	ck_assert_ptr_null(config_account(&cfg, "rounding", "2026-12-31"));
}
END_TEST

START_TEST(config_refuses_an_account_start_that_is_not_a_day)
{
	ck_assert_int_eq(load_section("accounts",
	    "revenue.19@2027-02-30 = 8410\n"), KR_CONFIG);
	refused_at("revenue.19@", "start date");
}
END_TEST

START_TEST(config_refuses_a_shop_section_given_twice)
{
	ck_assert_int_eq(load_section("shop shop-de", "platform = shopify\n"
	    "name = Shopify\n\n[shop woo]\nplatform = woocommerce\n\n"
	    "[shop shop-de]\nname = Shopify DE\n"), KR_CONFIG);
	refused_at("[shop shop-de]\nname = Shopify DE", "[shop shop-de]");
	ck_assert_ptr_nonnull(strstr(e.msg, "again"));
	ck_assert_ptr_nonnull(strstr(e.msg, "first on line"));
}
END_TEST

START_TEST(config_refuses_any_section_given_twice)
{
	ck_assert_int_eq(load_section("datev", "chart = SKR04\n"), KR_CONFIG);
	ck_assert_int_eq(e.line, line_of("\n[datev]\nchart") + 1);
	ck_assert_ptr_nonnull(strstr(e.msg, "\"[datev]\" again"));
}
END_TEST

/* The second value would win unsaid; the first is named with it. */
START_TEST(config_refuses_a_key_given_twice_in_its_section)
{
	ck_assert_int_eq(load_section("accounts", "revenue.19 = 8400\n"
	    "rounding = 1590\nrevenue.19 = 8401\n"), KR_CONFIG);
	refused_at("revenue.19 = 8401", "accounts.revenue.19: given again");
	ck_assert_ptr_nonnull(strstr(e.msg, "(first on line"));
	ck_assert_int_eq(load_section("shop shop-de", "platform = shopify\n"
	    "name = Shopify\n\n[shop woo]\nplatform = woocommerce\n"
	    "name = Woo\nname = Woo Outlet\n"), KR_CONFIG);
	refused_at("name = Woo Outlet", "shop woo: name: given again");
	/* One key in two sections, and in two shops, is no repeat. */
	ck_assert_int_eq(load_section("shop shop-de", "platform = shopify\n"
	    "name = Shopify\n\n[shop woo]\nplatform = woocommerce\n"
	    "name = Woo\n"), KR_OK);
}
END_TEST

START_TEST(config_refuses_an_unknown_section_and_a_name_where_none_goes)
{
	ck_assert_int_eq(load_section("datve", "chart = SKR04\n"), KR_CONFIG);
	refused_at("[datve]", "unknown section");
	/* The message lists every section there is, [tax] included. */
	ck_assert_str_eq(e.msg, "unknown section \"[datve]\" (known: seller, "
	    "invoice, tax, datev, accounts, shop ID)");
	ck_assert_int_eq(load_section("accounts shop-de", "rounding = 1590\n"),
	    KR_CONFIG);
	refused_at("[accounts shop-de]", "takes no name");
	ck_assert_int_eq(load_section("shop", "platform = shopify\n"),
	    KR_CONFIG);
	refused_at("[shop]", "[shop shop-de]");
	ck_assert_int_eq(load_section("shop .hidden", "platform = x\n"),
	    KR_CONFIG);
	refused_at("[shop .hidden]", "[shop shop-de]");
}
END_TEST

START_TEST(config_refuses_a_shop_without_a_platform)
{
	ck_assert_int_eq(load_section("shop shop-de", "platform =\n"
	    "name = Shop\n"), KR_CONFIG);
	refused_at("platform =", "platform is empty");
	ck_assert_int_eq(load_section("shop shop-de", "name = Shop\n"),
	    KR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "platform is missing"));
}
END_TEST

static Suite *
config_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
	    config_accepts_the_smallest_file_and_the_sample_tenant);
	tcase_add_test(tc, config_refuses_exported_by_that_datev_refuses);
	tcase_add_test(tc, config_refuses_a_dictation_code_not_two_capitals);
	tcase_add_test(tc,
	    config_refuses_a_fiscal_year_not_starting_on_the_first);
	tcase_add_test(tc,
	    config_refuses_a_pattern_whose_numbers_do_not_fit_belegfeld_1);
	tcase_add_test(tc,
	    config_refuses_unknown_placeholders_and_stray_braces);
	tcase_add_test(tc, config_refuses_series_that_datev_would_show_alike);
	tcase_add_test(tc,
	    config_refuses_a_shop_name_that_leaves_no_room_for_the_order);
	tcase_add_test(tc,
	    config_refuses_an_accounts_key_that_is_never_looked_up);
	tcase_add_test(tc,
	    config_names_the_spelling_of_a_rate_that_kontor_looks_up);
	tcase_add_test(tc, config_accepts_every_accounts_key_kontor_looks_up);
	tcase_add_test(tc, config_takes_oss_accounts_and_tax_keys_per_country);
	tcase_add_test(tc,
	    config_pads_the_default_accounts_to_the_account_length);
	tcase_add_test(tc,
	    config_refuses_an_account_start_that_is_not_a_day);
	tcase_add_test(tc, config_refuses_a_shop_section_given_twice);
	tcase_add_test(tc, config_refuses_any_section_given_twice);
	tcase_add_test(tc, config_refuses_a_key_given_twice_in_its_section);
	tcase_add_test(tc,
	    config_refuses_an_unknown_section_and_a_name_where_none_goes);
	tcase_add_test(tc, config_refuses_a_shop_without_a_platform);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(config_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#ifndef KONTOR_CONFIG_H
#define KONTOR_CONFIG_H

/*
 * The tenant configuration: DIR/kontor.conf (docs/config.md).
 *
 * An INI-style text file: "[section]" headers, "key = value" lines, "#"
 * comments.  config_load reads and checks all of it; every error names
 * the file, the line and the key ("kontor.conf:14: datev.account_length:
 * expected a digit from 4 to 8, got \"9\"").  Strings are owned by the
 * config's arena and live until config_release.
 *
 * Accounts carry the date from which they apply: "revenue.19 = 8400"
 * applies from the beginning of time, "revenue.19@2027-01-01 = 8410"
 * from that date on; a lookup takes the entry with the latest start on
 * or before the booking date.  Without an [accounts] entry for a key the
 * default of the chart (SKR03 or SKR04, ../spec/datev.md §7) applies;
 * keys without a default (revenue.0, rounding) must be configured before
 * an invoice that needs them can be numbered.
 *
 * Every value that ends up in a DATEV file is checked here against
 * DATEV's rules (../spec/datev.md), not first by the DATEV writer: a
 * configuration the writer would refuse is refused by every stage at
 * its start, before kontor-tax draws invoice numbers that could then
 * not be delivered.  The writer keeps its own checks as a second line.
 */

#include <stddef.h>

#include "arena.h"
#include "err.h"

#define CONFIG_FILE	"kontor.conf"

/* DATEV's limits on configured values, in characters (datev.md §2, §3) */
#define CONFIG_NUMBER_MAX	36	/* an invoice number: Belegfeld 1 */
#define CONFIG_EXPORTED_BY_MAX	25	/* header field 9 */
#define CONFIG_TEXT_MAX		60	/* Buchungstext */
/* A shop name starts "<name> <order number>" in the Buchungstext. */
#define CONFIG_SHOP_NAME_MAX	30

/*
 * When sales to consumers in other EU states are taxed where the goods
 * arrive (tax.md §5): always (registered for OSS), once the EU-wide
 * 10,000 EUR threshold is crossed, or never (German VAT: only right
 * below the threshold; kontor warns when it is crossed).
 */
enum oss_mode {
	OSS_REGISTERED,
	OSS_THRESHOLD,
	OSS_BELOW
};

enum debitor_mode {
	DEBITOR_COLLECTIVE	/* one debitor for all customers */
};

struct shop_cfg {
	const char *id;		/* "shop-de": the folder under spool/ */
	const char *platform;	/* "shopify", "woocommerce", ... */
	const char *name;	/* starts Buchungstext; default: platform */
};

struct account_cfg {
	const char *key;	/* "revenue.19", "rounding", ... */
	const char *from;	/* "YYYY-MM-DD", or "" for always */
	const char *account;	/* digits */
};

struct config {
	const char *path;		/* the file that was read */

	/* [seller] */
	const char *seller_name;
	const char *seller_street;
	const char *seller_postcode;
	const char *seller_city;
	const char *seller_country;	/* ISO 3166 alpha-2; "DE" */
	const char *seller_vat_id;
	const char *seller_tax_number;
	const char *seller_register_id;
	const char *contact_name;
	const char *contact_phone;
	const char *contact_email;
	const char *endpoint;		/* BT-34 */
	const char *endpoint_scheme;	/* "EM" */
	const char *iban;
	const char *bic;
	const char *timezone;		/* default "Europe/Berlin" */

	/* [invoice] */
	const char *number_pattern;	/* default "RE-{YYYY}-{NNNNNN}" */
	const char *credit_pattern;	/* default "GS-{YYYY}-{NNNNNN}" */
	const char *terms_paid;		/* BT-20 for orders paid in the shop */
	const char *terms_transfer;

	/* [datev] */
	long consultant;		/* Beraternummer 1001..9999999 */
	long client;			/* Mandantennummer 1..99999 */
	int chart;			/* 3 (SKR03) or 4 (SKR04) */
	int account_length;		/* 4..8 */
	int fy_start_month;		/* fiscal year start, 1..12 */
	int fy_start_day;		/* always 1: one batch per month */
	enum debitor_mode debitor_mode;
	const char *debitor;		/* collective debitor, n+1 digits */
	int service_dates;		/* write columns 115/116 (default 1) */
	const char *exported_by;	/* header field 9, default "kontor" */
	const char *dictation;		/* header field 18: "" or "AB" */

	/* [tax] */
	enum oss_mode oss;		/* destination VAT for EU consumers */
	int small_business;		/* § 19 UStG: no VAT on invoices */
	const char *vat_rates;		/* folder of the EU VAT rate tables,
					 * or NULL for kontor's own */
	const char *vies;		/* the VIES confirmations the user
					 * keeps (vies.h), or NULL */
	const char *fx_rates;		/* the BMF monthly exchange rates
					 * file, or NULL; relative to the
					 * tenant directory */
	long oss_prior_eur;		/* EU distance sales before kontor in
					 * the previous year, whole EUR */

	/* [accounts] */
	struct account_cfg *accounts;
	size_t naccounts;
	const char **account_defaults;	/* the chart's defaults, accounts
					 * padded to account_length */

	/* [shop ID] sections */
	struct shop_cfg *shops;
	size_t nshops;

	struct arena *arena;
};

/*
 * Reads and checks path.  On failure e names file, line and key, and
 * the config is left released.  KR_OK, KR_CONFIG or KR_IO.  Besides
 * the syntax and the keys it checks what DATEV needs: number patterns
 * whose numbers fit Belegfeld 1 (also after kontor writes characters
 * DATEV lacks as '-', and with the credit notes' series apart from the
 * invoices'), exported_by, dictation, a fiscal year that starts on the
 * first of a month, [accounts] keys kontor looks up, and shop names
 * that leave room for the order number in the Buchungstext.
 */
int	config_load(struct config *c, const char *path, struct kerr *e);
void	config_release(struct config *c);

/*
 * The account for key that applies on date ("YYYY-MM-DD"): the
 * configured entry with the latest start on or before date, else the
 * chart's default with zeros appended up to the account length (SKR03
 * 8400 is 84000 at five digits), else NULL.
 */
const char	*config_account(const struct config *c, const char *key,
		    const char *date);

/*
 * 1 when the account (n bytes of digits) is one of the chart's
 * automatic revenue accounts, which carry their VAT themselves and take
 * no tax key (datev.md §4): SKR03 8400 and 8300, SKR04 4400 and 4300,
 * with zeros appended up to a longer account length (84000 at 5).
 * chart is 3 or 4; any other chart has none.
 */
int	config_automatic_account(int chart, int account_length,
	    const char *account, size_t n);

/* The shop section with this id, or NULL. */
const struct shop_cfg	*config_shop(const struct config *c,
			    const char *id);

#endif

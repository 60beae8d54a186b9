#ifndef KONTOR_MAPPING_H
#define KONTOR_MAPPING_H

/*
 * Field readers and checks that every platform importer shares.
 *
 * The importers (shopify.c, woocommerce.c, ...) turn a platform's JSON
 * into a struct order.  What they have in common lives here: times
 * normalised to UTC, quantities that must be above zero, country codes,
 * names put together from first and last name, exact unit prices, and
 * the check that the mapped order adds up to what the platform says the
 * buyer paid.  Every function names the JSON path of what it read in e
 * (ctx is the path of obj, "" at the top), never prints, and copies any
 * text it composes into the order's arena.
 */

#include <stdint.h>

#include "err.h"
#include "json.h"
#include "order.h"

/* How mapping_time reads a time written without an offset. */
enum {
	MAPPING_NEED_ZONE,	/* refuse it: the platform always sends one */
	MAPPING_BARE_UTC	/* it is UTC (WooCommerce *_gmt fields) */
};

/*
 * Reads the time member key of obj and stores it as RFC 3339 UTC
 * ("2026-10-12T16:40:05Z", copied into o's arena) in *out.  A missing
 * or null member leaves *out untouched unless required.
 */
int	mapping_time(struct order *o, const struct jnode *obj,
	    const char *key, int bare, int required, const char **out,
	    const char *ctx, struct kerr *e);

/* As mapping_time, for the time text s; errors name path. */
int	mapping_time_text(struct order *o, const char *s, int bare,
	    const char **out, const char *path, struct kerr *e);

/*
 * A text member (string, or a number given as text) that may be
 * missing; an empty string counts as missing and leaves *out NULL.
 * Points into obj's tree.
 */
int	mapping_text(const struct jnode *obj, const char *key,
	    const char **out, const char *ctx, struct kerr *e);

/* The most digits a platform id has: an unsigned 64-bit number's. */
#define MAPPING_ID_DIGITS	20

/*
 * A platform's id of an order, a refund or a line (member key of obj):
 * a JSON integer, or a string of the same form, of 1 to
 * MAPPING_ID_DIGITS digits without sign, fraction, exponent or leading
 * zeros, and not 0.  One form only, so that an order has one key
 * whatever way its platform wrote the id (5400810067362.0, "0054...",
 * true).  Shopify and WooCommerce number their objects; a platform
 * whose ids are not numbers needs a rule of its own.  *out points into
 * obj's tree; a missing or null member leaves it untouched unless
 * required.
 */
int	mapping_id(const struct jnode *obj, const char *key, int required,
	    const char **out, const char *ctx, struct kerr *e);

/* 1 when s is an id in the form mapping_id takes. */
int	mapping_id_valid(const char *s);

/* Characters of the string ids mapping_key takes. */
#define MAPPING_KEY_DIGITS_DASH	"0123456789-"	/* 302-4817263-5501937 */
#define MAPPING_KEY_HEX		"0123456789abcdef"	/* Shopware uuids */

/*
 * A platform's id that is no number (Amazon's 302-4817263-5501937,
 * Shopware's uuids): a JSON string of min_len to max_len characters,
 * each one of chars, not starting or ending with '-'.  A JSON number,
 * and any other spelling, is refused, so that an order has one key.
 * *out points into obj's tree; missing or null leaves it untouched
 * unless required.
 */
int	mapping_key(const struct jnode *obj, const char *key,
	    const char *chars, size_t min_len, size_t max_len, int required,
	    const char **out, const char *ctx, struct kerr *e);

/*
 * A money object such as Amazon's {"CurrencyCode": "EUR", "Amount":
 * "23.90"} or eBay's {"value": "23.90", "currency": "EUR"}: member key
 * of obj, its amount (amount_key) at the order's exponent, its currency
 * (currency_key) required to be the order's.  A missing or null object
 * leaves *out untouched unless required.
 */
int	mapping_money(const struct order *o, const struct jnode *obj,
	    const char *key, const char *amount_key,
	    const char *currency_key, int required, int64_t *out,
	    const char *ctx, struct kerr *e);

/* *acc += v, or KR_OVERFLOW with e naming path. */
int	mapping_add(int64_t *acc, int64_t v, const char *path,
	    struct kerr *e);

/*
 * "what value" (value cut to 80 characters) in o's arena, for
 * status_reason: "OrderStatus Shipped".
 */
const char	*mapping_reason(struct order *o, const char *what,
		    const char *value);

/*
 * The VAT rate whose tax on amount_minor is tax_minor, for platforms
 * that state the tax and not the rate (Amazon's ItemTax): gross says
 * whether amount_minor contains the tax (tax = round(amount x r / (100 +
 * r))) or not (tax = round(amount x r / 100)).  The candidates are the
 * rates valid in country; a rate whose tax is exact wins, else the one
 * rate whose tax is a cent away.  No match, more than one, an amount of
 * 0 (which tells no rate) and a country without a rate table are
 * errors at field.  Only Germany's rates (19, 7, 0 %) are known here;
 * the rate tables of other countries come with the cross-border rules.
 */
int	mapping_snap_rate(const char *country, int64_t amount_minor,
	    int64_t tax_minor, int gross, int exp, int64_t *rate_bp,
	    const char *field, struct kerr *e);

/*
 * Makes n parts, each already rounded to the cent on its own, add up to
 * total (the platform's figure): the part with the largest amount takes
 * the difference (tax.md §3, for platforms that compute parts in
 * floating point).  A difference larger than n minor units is no
 * rounding: KR_BAD_INPUT at field.
 */
int	mapping_settle_parts(int64_t total, int64_t *part, size_t n,
	    int exp, const char *field, struct kerr *e);

/*
 * Calls fn for each element of the array member key of obj, with the
 * element's index and path ("ctx.key[i]"), until fn fails.  A missing
 * or null array is an error only when required.
 */
typedef int (*mapping_each_fn)(void *arg, const struct jnode *elem,
    size_t i, const char *path);
int	mapping_each(const struct jnode *obj, const char *key, int required,
	    const char *ctx, mapping_each_fn fn, void *arg, struct kerr *e);

/* A quantity above zero at QTY_SCALE; required. */
int	mapping_qty(const struct jnode *obj, const char *key,
	    int64_t *qty_e4, const char *ctx, struct kerr *e);

/*
 * An ISO 3166 alpha-2 country code ("DE") into out; "" when missing or
 * empty.  Anything else but two capital letters is an error.
 */
int	mapping_country(const struct jnode *obj, const char *key,
	    char out[3], const char *ctx, struct kerr *e);

/*
 * "first last" copied into o's arena; either part may be NULL or empty.
 * NULL when both are.
 */
const char	*mapping_join(struct order *o, const char *first,
		    const char *last);

/* The member names of an address in a platform's object; NULL: none. */
struct mapping_addr_keys {
	const char *first, *last, *name, *company;
	const char *street, *street2, *postcode, *city, *region, *country;
};

/*
 * Reads the address object obj (at path ctx) into a by the names in k.
 * The name is first and last joined when either is there, else name.  A
 * street given as an array of lines (Magento) fills street with the
 * first line and street2 with the others.  Empty strings count as
 * missing; the country must be ISO 3166 alpha-2 (mapping_country).
 */
int	mapping_address(struct order *o, const struct jnode *obj,
	    const struct mapping_addr_keys *k, struct address *a,
	    const char *ctx, struct kerr *e);

/*
 * Appends code to the comma-separated list *list (copied into o's
 * arena) unless it is already in it.
 */
void	mapping_add_reason(struct order *o, const char **list,
	    const char *code);

/*
 * The unit price (PRICE_SCALE) of amount_minor (at exponent exp) spread
 * over qty_e4: exact when the division is, else rounded half away from
 * zero at six decimals.
 */
int	mapping_unit_price(int64_t amount_minor, int exp, int64_t qty_e4,
	    int64_t *unit_e6);

/* round(qty x unit price) in minor units at exponent exp. */
int	mapping_line_amount(int64_t qty_e4, int64_t unit_e6, int exp,
	    int64_t *amount_minor);

/*
 * Checks a mapped line where its payload is still known: an amount of
 * 0 or more, a discount between 0 and the amount, a rate between 0 and
 * 100 %.  ctx is the line's JSON path.
 */
int	mapping_check_line(const struct order *o, const struct order_line *l,
	    const char *ctx, struct kerr *e);

/*
 * Checks that the mapped order adds up to the platform's stated total
 * (o->total_minor, read from the member named by field):
 *
 *	gross prices: lines (amount - discount) + shipping (amount -
 *	    discount) - unallocated discounts = total, to the cent;
 *	net prices: the same plus the stated tax = total, within one
 *	    minor unit (shops round tax per line).
 *
 * A bigger difference is an error naming the order and both figures:
 * importers flag a payload that does not add up, they never repair it.
 */
int	mapping_check_totals(const struct order *o, const char *field,
	    struct kerr *e);

#endif

#ifndef KONTOR_IMPORT_H
#define KONTOR_IMPORT_H

/*
 * Importers: shop platform payloads to canonical orders (order.h).
 *
 * A payload element is one parsed JSON value as jstream_file hands it
 * over with import_envelope_keys: a single object, one element of a
 * top-level array, or one element of a list envelope {"orders": [...]}.
 * import_detect says what an element is, import_order maps an order of
 * any supported platform into a struct order, and import_refund maps a
 * refund that a platform sends as a document of its own (WooCommerce)
 * onto the order it belongs to.
 *
 * Nothing here prints or exits.  Every failure is a KR_* code with e's
 * field naming the JSON path inside the element, for example
 * "order.line_items[2].tax_lines[0].rate"; the caller adds the file and
 * the element's own path.  Payloads that do not add up are refused, not
 * repaired (mapping.h, mapping_check_totals).
 *
 * Memory: a mapped order borrows.  Its strings point into the element's
 * tree or into the order's arena, so it is valid while both are: use
 * and write it before the element is freed (jstream_fn) or the order is
 * reset.
 */

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "err.h"
#include "json.h"
#include "order.h"

enum platform {
	PLATFORM_UNKNOWN,
	PLATFORM_CANONICAL,	/* a kontor "order" record (order_read) */
	PLATFORM_SHOPIFY,	/* Admin REST order */
	PLATFORM_WOOCOMMERCE,	/* REST v3 order or order refund */
	PLATFORM_AMAZON,	/* SP-API getOrder + getOrderItems object */
	PLATFORM_EBAY,		/* Sell Fulfillment API order */
	PLATFORM_SHOPWARE,	/* Shopware 6 order entity */
	PLATFORM_MAGENTO,	/* Magento 2 / Adobe Commerce REST order */
	PLATFORM_PLAIN		/* CSV, docs/plain-import.md (plain.c) */
};

enum payload_kind {
	PAYLOAD_ORDER,
	PAYLOAD_REFUND		/* a refund object of its own */
};

/* Longest order id import_refund hands back, NUL included. */
#define IMPORT_ID_MAX	64

/*
 * The list envelopes jstream_file should open: {"orders",
 * "orders.elements", "data", NULL}.
 */
extern const char *const import_envelope_keys[];

/*
 * The shop platforms kontor imports, by name, NULL-terminated:
 * {"shopify", "woocommerce", "amazon", "ebay", "shopware", "magento",
 * "plain", NULL}.  A spool folder named after one is read as that
 * platform's when no shop is configured for it.
 */
extern const char *const import_platforms[];

/* Names */

/* "canonical", "shopify", "woocommerce", ...; "unknown" otherwise. */
const char	*platform_name(enum platform p);
/* The platform of a name as platform_name writes it, else UNKNOWN. */
enum platform	platform_from_name(const char *name);

/*
 * Checks that every shop configured in c names a platform kontor
 * imports (platform_from_name knows it); KR_CONFIG naming the shop and
 * its platform key otherwise.
 */
int	import_check_shops(const struct config *c, struct kerr *e);

/* Recognising */

/*
 * Looks at elem and says which platform wrote it and whether it is an
 * order or a refund.  Shopify orders may come wrapped as {"order":
 * {...}}, Shopware's Admin API orders as {"data": {...}}.  KR_BAD_INPUT
 * with e saying what was seen when it is nothing kontor imports (a
 * Shopify refund or draft order, a transaction list, an Amazon response
 * on its own, a Magento invoice, something else).
 */
int	import_detect(const struct jnode *elem, enum platform *p,
	    enum payload_kind *kind, struct kerr *e);

/*
 * The order inside a single-order wrapper: Shopify's {"order": {...}},
 * Shopware's Admin API {"data": {...}}; *ctx becomes its path ("order",
 * "data", or "" for elem itself).
 */
const struct jnode	*import_unwrap(const struct jnode *elem,
			    const char **ctx);

/* Mapping */

/*
 * Maps the order elem, written by platform p, into o (reset first) and
 * checks it with order_check.  o->shop becomes shop (borrowed), or the
 * platform's name when shop is NULL; a canonical record keeps its own
 * shop unless shop is given.  o->platform is the platform's name.  The
 * source fields are left for the caller, except that a canonical record
 * keeps what it carried.  KR_OK, KR_BAD_INPUT or KR_OVERFLOW.
 */
int	import_order(enum platform p, const struct jnode *elem,
	    const char *shop, struct order *o, struct kerr *e);

/*
 * Maps the standalone refund object elem of platform p (only
 * WooCommerce sends them) onto o, the order it belongs to: o gives the
 * currency and price basis of the amounts.  The refund replaces a
 * refund of o with the same id (WooCommerce orders list only the id,
 * reason and total of each refund) or is appended, and *out points to
 * it.  Its strings are copied into o's arena, so elem may go away.
 * order_id receives the id of the order the refund belongs to; when it
 * is not o->order_id the refund is refused and o is left as it was.
 */
int	import_refund(enum platform p, const struct jnode *elem,
	    struct order *o, struct refund **out,
	    char order_id[IMPORT_ID_MAX], struct kerr *e);

/*
 * Only the id of the order that the refund object elem belongs to, for
 * callers that must find the order first.
 */
int	import_refund_order_id(enum platform p, const struct jnode *elem,
	    char order_id[IMPORT_ID_MAX], struct kerr *e);

/* The plain import (plain.c) */

/*
 * Called once per order of a plain CSV file: o is the mapped and
 * checked order, valid until the call returns, or NULL when the order
 * was refused, e saying why (its line in e->line, its column in
 * e->field).  Return KR_OK to go on.
 */
typedef int (*plain_fn)(void *arg, struct order *o, struct kerr *e);

/*
 * Reads the plain CSV on fp, whose first line is first_line, and calls
 * fn for each order, one at a time, reusing o.  Orders get shop (or
 * "plain" when NULL) and the source path "line N" of their first line.
 * Returns KR_OK, fn's code, or what stops the file as a whole (a
 * header without the required columns, broken CSV) with e's line set.
 */
int	plain_read(FILE *fp, long first_line, const char *shop,
	    struct order *o, plain_fn fn, void *arg, struct kerr *e);

/*
 * 1 when the input on fp looks like CSV rather than JSON: its first
 * byte is none of "{", "[" or white space.  Reads nothing (the byte is
 * put back).
 */
int	import_is_csv(FILE *fp);
/* The same for the n bytes at text. */
int	import_is_csv_text(const char *text, size_t n);

/*
 * Says in e where the element it is about came from: file, and the
 * element's path ("orders[3]", "" for a whole file) put before e's
 * field, so that the field reads "orders[3].line_items[0].quantity".
 */
void	import_locate(struct kerr *e, const char *file, const char *path);

/* The mappers behind import_order and import_refund */

/*
 * Each maps one platform object (already unwrapped; ctx is its JSON
 * path, "" or "order") into o, which the caller has reset and given its
 * shop and platform.  They fill every field they find and check the
 * totals; import_order runs order_check afterwards.
 */
int	shopify_order_map(const struct jnode *obj, const char *ctx,
	    struct order *o, struct kerr *e);
int	woo_order_map(const struct jnode *obj, const char *ctx,
	    struct order *o, struct kerr *e);
int	amazon_order_map(const struct jnode *obj, const char *ctx,
	    struct order *o, struct kerr *e);
int	ebay_order_map(const struct jnode *obj, const char *ctx,
	    struct order *o, struct kerr *e);
int	shopware_order_map(const struct jnode *obj, const char *ctx,
	    struct order *o, struct kerr *e);
int	magento_order_map(const struct jnode *obj, const char *ctx,
	    struct order *o, struct kerr *e);

/*
 * Maps a WooCommerce refund object into r, whose lines are allocated in
 * o's arena and whose strings are copied there.  o supplies the
 * exponent and price basis.  order_id as for import_refund.
 */
int	woo_refund_map(const struct jnode *obj, const char *ctx,
	    struct order *o, struct refund *r,
	    char order_id[IMPORT_ID_MAX], struct kerr *e);
/* Only the order id of a WooCommerce refund object. */
int	woo_refund_order_id(const struct jnode *obj, const char *ctx,
	    char order_id[IMPORT_ID_MAX], struct kerr *e);

#endif

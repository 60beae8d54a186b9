#ifndef KONTOR_ORDER_H
#define KONTOR_ORDER_H

/*
 * The canonical order: what every importer produces and kontor-tax reads
 * (docs/records.md, record type "order").
 *
 * Strings are borrowed: they point into the parsed JSON the order was
 * read from, or into the order's arena (o->arena) for text an importer
 * composed.  An order is valid until order_release, or until the JSON it
 * was read from is reset.  Amounts are minor units of the order's
 * currency (exponent in o->exponent); quantities QTY_SCALE, unit prices
 * PRICE_SCALE, rates basis points (dec.h).
 */

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "err.h"
#include "json.h"
#include "record.h"

enum prices { PRICES_GROSS, PRICES_NET };

enum order_status {
	ORDER_READY,		/* final: paid, not cancelled */
	ORDER_PENDING,		/* not yet paid; waits in the spool */
	ORDER_CANCELLED		/* cancelled before it was invoiced */
};

struct address {
	const char *name;	/* person */
	const char *company;
	const char *street;
	const char *street2;
	const char *postcode;
	const char *city;
	const char *region;
	char country[3];	/* ISO 3166-1 alpha-2, "" when unknown */
};

struct order_line {
	const char *id;		/* the platform's line id */
	const char *sku;
	const char *name;
	const char *unit;	/* UN/ECE Rec. 20 code, "H87" (piece) */
	int64_t qty_e4;
	int64_t unit_price_e6;	/* in the order's price basis */
	int64_t amount_minor;	/* round(qty x unit price), before discounts */
	int64_t discount_minor;	/* discount the platform allocated */
	const char *discount_reason;	/* coupon codes, for the allowance */
	int64_t rate_bp;	/* the rate the shop applied */
	int64_t tax_minor;	/* the tax the shop stated for the line */
	int has_tax;		/* tax_minor was given */
	int service;		/* the shop says it needs no shipping: a
				 * service, a download, a gift card */
};

struct order_shipping {
	const char *id;
	const char *name;
	int64_t amount_minor;	/* in the price basis, as charged */
	int64_t discount_minor;
	int64_t rate_bp;	/* the shop's rate, -1 when it named none */
	int64_t tax_minor;
	int has_tax;
};

/*
 * A discount of the order.  allocated: its money sits in the lines' and
 * shipping's own discounts already.  Otherwise kontor-tax splits it over
 * the rates by their weights, unless the platform allocated it to one
 * rate itself (rate_bp >= 0, Shopware's per-rate promotion parts): then
 * it reduces the goods of that rate alone, as one document-level
 * allowance, and is never split again.
 */
struct order_discount {
	const char *code;
	int64_t amount_minor;	/* in the price basis */
	int allocated;		/* already inside the lines' discounts */
	int64_t rate_bp;	/* the rate it belongs to, -1 when none */
	int64_t tax_minor;	/* the VAT the shop stated in it */
	int has_tax;
};

struct refund_line {
	const char *line_id;	/* order_line.id it refunds */
	int64_t qty_e4;
	int64_t amount_minor;	/* in the price basis */
	int64_t tax_minor;
};

struct refund {
	const char *id;
	const char *created_at;
	const char *reason;
	int64_t amount_minor;	/* what went back to the customer */
	int64_t shipping_minor;	/* shipping refunded, price basis */
	struct refund_line *lines;
	size_t nlines, cap_lines;
};

struct order {
	const char *source_file;	/* relative to the tenant, or "-" */
	const char *source_line;	/* "" unless from a stream */
	const char *source_path;	/* JSON path inside the file, or "" */
	const char **source_also;	/* more files joined in (refunds) */
	size_t nsource_also;
	const char *shop;
	const char *platform;
	const char *order_id;
	const char *order_number;
	enum order_status status;
	const char *status_reason;
	const char *created_at;		/* RFC 3339, UTC ("...Z") */
	const char *paid_at;
	const char *shipped_at;
	const char *cancelled_at;
	char currency[4];
	int exponent;			/* minor-unit digits of currency */
	enum prices prices;

	const char *buyer_email;
	const char *buyer_vat_id;
	const char *buyer_reference;	/* Leitweg-ID or PO reference */
	const char *customer_id;
	struct address billing;
	struct address shipping_addr;

	struct order_line *lines;
	size_t nlines;
	struct order_shipping *shipping;
	size_t nshipping;
	struct order_discount *discounts;
	size_t ndiscounts;
	struct refund *refunds;
	size_t nrefunds;

	int64_t total_minor;		/* the platform's grand total */
	int64_t tax_total_minor;	/* the platform's stated tax */
	int has_tax_total;

	/*
	 * The marketplace collected the VAT as deemed supplier (tax.md
	 * §9): it owes the consumer's VAT, marketplace_vat_minor of it,
	 * and the seller must not invoice the consumer with VAT.
	 */
	int deemed_supplier;
	int64_t marketplace_vat_minor;
	char ship_from[3];		/* ISO 3166 alpha-2, "" unknown */

	const char *pay_gateway;
	const char *pay_method;
	const char *pay_transaction;

	struct arena *arena;		/* composed strings and arrays */
	size_t cap_lines, cap_shipping, cap_discounts, cap_refunds;
};

/* Life cycle */

/* An empty order with its own arena.  Release with order_release. */
void	order_init(struct order *o);
void	order_release(struct order *o);
/* Empties the order for reuse, keeping the arena's memory. */
void	order_reset(struct order *o);

/* Arrays: each returns a zeroed new element in the order's arena. */
struct order_line	*order_add_line(struct order *o);
struct order_shipping	*order_add_shipping(struct order *o);
struct order_discount	*order_add_discount(struct order *o);
struct refund		*order_add_refund(struct order *o);
struct refund_line	*refund_add_line(struct order *o, struct refund *r);

/* Records another spool file that belongs to the order; copies name. */
void	order_add_source(struct order *o, const char *name);

/* Copies s (n bytes) into the order's arena. */
const char	*order_strndup(struct order *o, const char *s, size_t n);
const char	*order_strdup(struct order *o, const char *s);

/* Sets the currency; KR_BAD_INPUT for a code that is not ISO 4217. */
int	order_set_currency(struct order *o, const char *code,
	    const char *field, struct kerr *e);

/* Record I/O */

/* Reads the "prices" of a record ("gross" or "net") into o->prices. */
int	order_read_prices(struct order *o, const struct jnode *root,
	    struct kerr *e);

/* Writes o as an "order" record. */
int	order_write(const struct order *o, struct rec_out *out);

/*
 * Reads an "order" record into o (reset first).  Strings point into
 * root.  Every field is checked; a bad one fails with e naming it.
 */
int	order_read(struct order *o, const struct jnode *root, struct kerr *e);

/*
 * Checks what every stage relies on: positive quantities, amounts and
 * discounts not negative and not above the line, a known currency, a
 * rate per line, discounts allocated to a rate that has goods enough,
 * marketplace VAT only from a deemed supplier.  Importers call it before
 * writing; kontor-tax again after reading.
 */
int	order_check(const struct order *o, struct kerr *e);

const char	*order_status_name(enum order_status s);

/*
 * Refunds (refund.c).  A refund's amounts are in its order's currency
 * and price basis; its lines and strings live in the order's arena, or
 * are borrowed from the parsed JSON.
 */

/* Writes r as one object of an order's refunds[]. */
void	refund_write(struct jw *w, const struct refund *r, int exponent);
/* The same object appended to out, as the state database keeps it. */
int	refund_to_json(const struct refund *r, int exponent, struct buf *out);
/*
 * Reads the refunds[] object n into r (cleared first), its lines added
 * in o's arena at o's exponent; e names a bad field after ctx.
 */
int	refund_read(struct order *o, struct refund *r, const struct jnode *n,
	    const char *ctx, struct kerr *e);

/*
 * The "refund" record: a refund that came without its order.  o carries
 * the record's source, shop, platform, order_id, order_number, currency
 * and price basis, and r the refund.  refund_record_read resets o and
 * fills those, with the refund as o's only refund; order_number is the
 * order id when the record names none.
 */
int	refund_record_write(const struct order *o, const struct refund *r,
	    struct rec_out *out);
int	refund_record_read(struct order *o, const struct jnode *root,
	    struct kerr *e);

/*
 * The SHA-256 (hex) of what the invoice of o depends on: currency, price
 * basis, every line's quantity, amount, discount and rate, shipping,
 * discounts (with the rate a platform allocated one to), the total, the
 * countries, and the marketplace's collected VAT.  Names and addresses
 * are not part of it.  Fields added after the first release enter the
 * hash only when an order has them, so the hashes of stored invoices
 * stay valid.
 */
void	order_amounts_hash(const struct order *o, char out[65]);

#endif

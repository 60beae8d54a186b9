#ifndef KONTOR_JFIELD_H
#define KONTOR_JFIELD_H

/*
 * Typed access to members of parsed JSON objects, with messages that
 * name the field.
 *
 * Every function takes the object, the member name, the path of the
 * object itself (ctx, e.g. "lines[2]", "" at the top) and an error to
 * fill.  On failure the error's field is "ctx.key" and its message says
 * what was expected and what came, for example
 *
 *	lines[2].tax_rate: expected a decimal like "19" or "7.0",
 *	    got "nineteen"
 *
 * A member that is absent or null counts as missing: with JF_REQUIRED
 * that is an error, otherwise the output is left untouched and KR_OK is
 * returned (so callers set defaults first).  Decimals are accepted as
 * JSON strings or JSON numbers and are always taken from their digits.
 */

#include <stdint.h>

#include "err.h"
#include "json.h"

enum {
	JF_OPTIONAL = 0,
	JF_REQUIRED = 1,
	JF_EXACT = 2		/* jf_rec_dec: exactly scale decimals */
};

/* Writes "ctx.key" (or "key", or "ctx[i]") into buf. */
void	jf_path(char *buf, size_t size, const char *ctx, const char *key);
void	jf_path_index(char *buf, size_t size, const char *ctx,
	    const char *key, size_t i);

/* 1 when the member is present and not null. */
int	jf_has(const struct jnode *obj, const char *key);

/* A string member. */
int	jf_str(const struct jnode *obj, const char *key, int required,
	    const char **out, const char *ctx, struct kerr *e);

/*
 * A string member, or a number given as text (platform ids arrive as
 * JSON numbers: Shopify's 64-bit order id).  The text of a number is
 * kept as written.  A boolean is refused, not turned into "true".
 */
int	jf_text(const struct jnode *obj, const char *key, int required,
	    const char **out, const char *ctx, struct kerr *e);

/*
 * An id (of an order, a line, a refund) as jf_text reads it, which must
 * also be printable: not empty, no control characters, no white space
 * at either end.  Ids from other systems need not be digits.
 */
int	jf_id(const struct jnode *obj, const char *key, int required,
	    const char **out, const char *ctx, struct kerr *e);

/* A decimal at scale; more fractional digits than scale is an error. */
int	jf_dec(const struct jnode *obj, const char *key, int scale,
	    int required, int64_t *out, const char *ctx, struct kerr *e);

/*
 * As jf_dec of a member that may be missing, with *has set as jf_has
 * would set it: one look-up instead of two.
 */
int	jf_dec_has(const struct jnode *obj, const char *key, int scale,
	    int *has, int64_t *out, const char *ctx, struct kerr *e);

/* As jf_dec but rounds surplus digits half away from zero. */
int	jf_dec_round(const struct jnode *obj, const char *key, int scale,
	    int required, int64_t *out, const char *ctx, struct kerr *e);

/*
 * A decimal of a kontor record (docs/records.md), which is stricter than
 * what the importers take from the platforms: a JSON string, never a
 * number, of digits with an optional leading '-' and at most one '.'
 * with digits after it; no '+', exponent, blanks or leading zeros.  With
 * JF_EXACT in flags it has exactly scale decimals (an amount in its
 * currency: "19.99" in EUR, "14161" in JPY), otherwise at most scale (a
 * quantity, unit price or rate: "2", "19", "5.5").  JF_REQUIRED as for
 * jf_dec; has, when not NULL, is set as jf_has would set it.
 */
int	jf_rec_dec(const struct jnode *obj, const char *key, int scale,
	    int flags, int *has, int64_t *out, const char *ctx,
	    struct kerr *e);

/*
 * jf_rec_dec of an amount in a currency of exponent decimals (JF_EXACT;
 * jf_amount_has as jf_dec_has), and of a quantity, price or rate.
 */
int	jf_amount(const struct jnode *obj, const char *key, int exponent,
	    int required, int64_t *out, const char *ctx, struct kerr *e);
int	jf_amount_has(const struct jnode *obj, const char *key,
	    int exponent, int *has, int64_t *out, const char *ctx,
	    struct kerr *e);
int	jf_rec_num(const struct jnode *obj, const char *key, int scale,
	    int required, int64_t *out, const char *ctx, struct kerr *e);

/* A JSON boolean; the strings "true"/"false"/"yes"/"no" are accepted. */
int	jf_bool(const struct jnode *obj, const char *key, int required,
	    int *out, const char *ctx, struct kerr *e);

/*
 * A member that must be an array (or, with JF_OPTIONAL, absent/null, in
 * which case *out is NULL).
 */
int	jf_array(const struct jnode *obj, const char *key, int required,
	    const struct jnode **out, const char *ctx, struct kerr *e);
int	jf_object(const struct jnode *obj, const char *key, int required,
	    const struct jnode **out, const char *ctx, struct kerr *e);

/*
 * Quotes a node's value for a message into buf: strings in double
 * quotes, cut with "..." beyond 40 bytes, other types by name.
 */
const char *jf_quote(const struct jnode *n, char *buf, size_t size);

#endif

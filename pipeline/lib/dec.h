#ifndef KONTOR_DEC_H
#define KONTOR_DEC_H

/*
 * Exact decimals as scaled integers.
 *
 * A value is an int64_t counting units of 10^-scale: 19.99 at scale 2 is
 * 1999.  Money is held in minor units of its currency (scale = the
 * currency's exponent, see currency.h); names say so with _minor.
 * Quantities use QTY_SCALE (_e4), rates are hundredths of a percent
 * (_bp: 19 % is 1900, 5.5 % is 550), unit prices PRICE_SCALE (_e6).
 *
 * Nothing here ever goes through binary floating point.  Every operation
 * that could overflow is checked and returns KR_OVERFLOW instead of
 * wrapping.  Rounding is half away from zero ("kaufmännisch") wherever a
 * function rounds.
 */

#include <stddef.h>
#include <stdint.h>

#define QTY_SCALE	4
#define PRICE_SCALE	6
#define RATE_SCALE	2	/* percent with two decimals: basis points */
#define DEC_SCALE_MAX	12

/* Longest text dec_format writes, NUL included. */
#define DEC_BUFSZ	32

/*
 * Parses the decimal text s (len bytes; len may be (size_t)-1 for a
 * NUL-terminated string) at the given scale.  Accepts an optional sign,
 * digits with at most one '.', and an exponent as JSON numbers have one
 * ("1.5e2").  More fractional digits than scale are allowed only when
 * they are zeros ("7.00" at scale 0 is 7); otherwise KR_BAD_INPUT.
 * Returns KR_OK, KR_BAD_INPUT or KR_OVERFLOW.
 */
int	dec_parse(const char *s, size_t len, int scale, int64_t *out);

/*
 * As dec_parse, but rounds surplus fractional digits half away from zero
 * instead of refusing them (for platforms that compute in floating point
 * and send "1.4784").
 */
int	dec_parse_round(const char *s, size_t len, int scale, int64_t *out);

/*
 * Writes v at scale into buf (DEC_BUFSZ bytes) with exactly scale
 * decimals ("-0.50", "19.00", "3") and returns buf.
 */
char	*dec_format(int64_t v, int scale, char *buf);

/*
 * Writes v at scale with trailing fractional zeros removed ("19", "5.5",
 * "0.8333").
 */
char	*dec_format_trim(int64_t v, int scale, char *buf);

/* As dec_format and dec_format_trim, returning the text's length. */
size_t	dec_format_len(int64_t v, int scale, char *buf);
size_t	dec_format_trim_len(int64_t v, int scale, char *buf);

/* Checked arithmetic; each returns KR_OK or KR_OVERFLOW. */
int	dec_add(int64_t a, int64_t b, int64_t *out);
int	dec_sub(int64_t a, int64_t b, int64_t *out);

/*
 * round(a * b / c), half away from zero, computed in 128 bits.  c must
 * not be 0.  Returns KR_OK or KR_OVERFLOW.
 */
int	dec_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out);

/*
 * Converts v from scale `from` to scale `to`, rounding half away from
 * zero when `to` is smaller.
 */
int	dec_rescale(int64_t v, int from, int to, int64_t *out);

/* 10^n for 0 <= n <= 18. */
int64_t	dec_pow10(int n);

/* Division of 128-bit values rounded half away from zero. */
__int128	dec_div_round(__int128 n, __int128 d);

#endif

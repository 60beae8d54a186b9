#include <string.h>

#include "dec.h"
#include "err.h"

static const int64_t pow10_tab[19] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};

int64_t
dec_pow10(int n)
{
	if (n < 0 || n > 18)
		KBUG("dec_pow10(%d)", n);
	return pow10_tab[n];
}

__int128
dec_div_round(__int128 n, __int128 d)
{
	__int128 q, r, ar, ad;

	if (d == 0)
		KBUG("division by zero");
	q = n / d;
	r = n % d;
	ar = r < 0 ? -r : r;
	ad = d < 0 ? -d : d;
	if (2 * ar >= ad)
		q += ((n < 0) != (d < 0)) ? -1 : 1;
	return q;
}

static int
fits64(__int128 v, int64_t *out)
{
	if (v > INT64_MAX || v < INT64_MIN)
		return KR_OVERFLOW;
	*out = (int64_t)v;
	return KR_OK;
}

/*
 * The parser collects up to 38 significant digits in a 128-bit integer,
 * remembers where the point was and applies the exponent at the end, so
 * "1.5e2" and "150" come out the same.
 */
struct dec_text {
	__int128 digits;	/* all digits read, as one integer */
	int ndigits;		/* significant digits in digits */
	int frac;		/* digits after the point, minus exponent */
	int neg;
};

static int
dec_scan(const char *s, size_t len, struct dec_text *t)
{
	size_t i = 0;
	int seen_digit = 0, seen_point = 0;
	long exp = 0;

	memset(t, 0, sizeof(*t));
	if (len == (size_t)-1)
		len = strlen(s);
	if (i < len && (s[i] == '-' || s[i] == '+'))
		t->neg = s[i++] == '-';

	for (; i < len; i++) {
		char c = s[i];

		if (c >= '0' && c <= '9') {
			seen_digit = 1;
			if (t->digits == 0 && c == '0') {
				if (seen_point)
					t->frac++;
				continue;
			}
			if (t->ndigits >= 37)
				return KR_OVERFLOW;
			t->digits = t->digits * 10 + (c - '0');
			t->ndigits++;
			if (seen_point)
				t->frac++;
		} else if (c == '.' && !seen_point) {
			seen_point = 1;
		} else {
			break;
		}
	}
	if (!seen_digit)
		return KR_BAD_INPUT;

	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		int eneg = 0, edig = 0;

		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			eneg = s[i++] == '-';
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (exp > 1000)
				return KR_OVERFLOW;
			exp = exp * 10 + (s[i] - '0');
			edig = 1;
		}
		if (!edig)
			return KR_BAD_INPUT;
		if (eneg)
			exp = -exp;
	}
	if (i != len)
		return KR_BAD_INPUT;

	t->frac -= (int)exp;
	return KR_OK;
}

static int
dec_finish(const struct dec_text *t, int scale, int round, int64_t *out)
{
	__int128 v = t->digits;
	int shift = scale - t->frac;

	if (scale < 0 || scale > DEC_SCALE_MAX)
		KBUG("scale %d", scale);

	if (v == 0) {
		*out = 0;
		return KR_OK;
	}
	if (shift >= 0) {
		for (; shift > 0; shift--) {
			if (v > ((__int128)1 << 100))
				return KR_OVERFLOW;
			v *= 10;
		}
	} else {
		__int128 d = 1;
		int n = -shift;

		if (n > 37)
			n = 37;	/* everything is below the last digit */
		for (; n > 0; n--)
			d *= 10;
		if (!round && v % d != 0)
			return KR_BAD_INPUT;
		v = dec_div_round(v, d);
	}
	if (t->neg)
		v = -v;
	return fits64(v, out);
}

/*
 * The text of nearly every amount, rate and quantity: an optional minus,
 * then digits with at most one point and at most scale digits after it,
 * no more than DEC_PLAIN_DIGITS of them even once scaled.  That value
 * stays below 10^18 and is read in 64 bits; dec_scan and dec_finish,
 * which read everything else in 128 bits, come to the same value for
 * it.  1 with *out set, or 0 when s is not such a text.
 */
#define DEC_PLAIN_DIGITS	18

static int
dec_plain(const char *s, size_t len, int scale, int64_t *out)
{
	uint64_t v = 0;
	size_t neg = len > 0 && s[0] == '-', i = neg, point = len, ndigits;
	int frac;

	if (scale < 0 || scale > DEC_SCALE_MAX)
		return 0;
	if (len - i > DEC_PLAIN_DIGITS + 1)
		return 0;
	for (; i < len; i++) {
		unsigned int d = (unsigned int)(unsigned char)s[i] - '0';

		if (d <= 9)
			v = v * 10 + d;
		else if (s[i] == '.' && point == len)
			point = i;
		else
			return 0;
	}
	ndigits = len - neg - (point < len);
	frac = point < len ? (int)(len - point - 1) : 0;
	if (ndigits == 0 || frac > scale ||
	    ndigits + (size_t)(scale - frac) > DEC_PLAIN_DIGITS)
		return 0;
	v *= (uint64_t)pow10_tab[scale - frac];
	*out = neg ? -(int64_t)v : (int64_t)v;
	return 1;
}

int
dec_parse(const char *s, size_t len, int scale, int64_t *out)
{
	struct dec_text t;
	int rc;

	if (len == (size_t)-1)
		len = strlen(s);
	if (dec_plain(s, len, scale, out))
		return KR_OK;
	rc = dec_scan(s, len, &t);
	if (rc != KR_OK)
		return rc;
	return dec_finish(&t, scale, 0, out);
}

int
dec_parse_round(const char *s, size_t len, int scale, int64_t *out)
{
	struct dec_text t;
	int rc;

	if (len == (size_t)-1)
		len = strlen(s);
	if (dec_plain(s, len, scale, out))
		return KR_OK;
	rc = dec_scan(s, len, &t);
	if (rc != KR_OK)
		return rc;
	return dec_finish(&t, scale, 1, out);
}

/*
 * The digits go into tmp from its end, so that they need not be turned
 * around: this runs for every amount of every record written.
 */
size_t
dec_format_len(int64_t v, int scale, char *buf)
{
	char tmp[DEC_BUFSZ], *end = tmp + sizeof(tmp), *p = end;
	uint64_t u;
	size_t n;
	int i;

	if (scale < 0 || scale > 18)
		KBUG("scale %d", scale);
	u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	for (i = 0; i < scale; i++) {
		*--p = (char)('0' + u % 10);
		u /= 10;
	}
	if (scale > 0)
		*--p = '.';
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	n = (size_t)(end - p);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return n;
}

char *
dec_format(int64_t v, int scale, char *buf)
{
	dec_format_len(v, scale, buf);
	return buf;
}

size_t
dec_format_trim_len(int64_t v, int scale, char *buf)
{
	size_t n = dec_format_len(v, scale, buf);

	if (scale == 0)
		return n;
	while (n > 0 && buf[n - 1] == '0')
		buf[--n] = '\0';
	if (n > 0 && buf[n - 1] == '.')
		buf[--n] = '\0';
	return n;
}

char *
dec_format_trim(int64_t v, int scale, char *buf)
{
	dec_format_trim_len(v, scale, buf);
	return buf;
}

int
dec_add(int64_t a, int64_t b, int64_t *out)
{
	if (__builtin_add_overflow(a, b, out))
		return KR_OVERFLOW;
	return KR_OK;
}

int
dec_sub(int64_t a, int64_t b, int64_t *out)
{
	if (__builtin_sub_overflow(a, b, out))
		return KR_OVERFLOW;
	return KR_OK;
}

int
dec_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out)
{
	return fits64(dec_div_round((__int128)a * b, c), out);
}

int
dec_rescale(int64_t v, int from, int to, int64_t *out)
{
	if (to >= from)
		return fits64((__int128)v * dec_pow10(to - from), out);
	return fits64(dec_div_round(v, dec_pow10(from - to)), out);
}

#include <limits.h>
#include <string.h>

#include "utf8.h"

/* Eight bytes at a time: each byte's lowest and highest bit. */
#define BYTE_ONES	UINT64_C(0x0101010101010101)
#define BYTE_HIGHS	UINT64_C(0x8080808080808080)

/* The length of a sequence from its first byte; 0 for a byte no
 * sequence starts with (a continuation byte, C0, C1, F5..FF). */
static size_t
lead_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

size_t
utf8_seq(const char *s, size_t n, uint32_t *cp)
{
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	static const unsigned char lead_bits[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	const unsigned char *u = (const unsigned char *)s;
	size_t len = lead_len(u[0]), i;
	uint32_t c;

	if (len == 0 || len > n)
		return 0;
	c = u[0] & lead_bits[len];
	for (i = 1; i < len; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (u[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	if (cp != NULL)
		*cp = c;
	return len;
}

/* 1 when every byte of s is from low to 0x7f (low at least 1). */
static int
ascii_from(const char *s, size_t n, unsigned char low)
{
	uint64_t v;
	size_t i;

	/*
	 * A byte from low to 0x7f loses low without borrowing and keeps its
	 * top bit clear; a smaller one borrows and sets it, a byte from 0x80
	 * up has it.  A borrow only spreads past a byte that already failed.
	 */
	for (i = 0; i + 8 <= n; i += 8) {
		memcpy(&v, s + i, 8);
		if (((v - BYTE_ONES * low) | v) & BYTE_HIGHS)
			return 0;
	}
	for (; i < n; i++)
		if ((unsigned char)(s[i] - low) >= 0x80 - low)
			return 0;
	return 1;
}

int
utf8_plain(const char *s, size_t n)
{
	return ascii_from(s, n, 1);
}

/* The top bit of each byte of v that is below 0x20 or from 0x80 up. */
static uint64_t
not_text64(uint64_t v)
{
	return ((v - BYTE_ONES * 0x20) | v) & BYTE_HIGHS;
}

static uint32_t
not_text32(uint32_t v)
{
	return ((v - 0x20202020u) | v) & 0x80808080u;
}

/* Nonzero when a byte of v is zero. */
static uint64_t
zero_byte(uint64_t v)
{
	return (v - BYTE_ONES) & ~v & BYTE_HIGHS;
}

static uint32_t
zero_byte32(uint32_t v)
{
	return (v - 0x01010101u) & ~v & 0x80808080u;
}

/* Nonzero when a byte of v needs escaping in a JSON string. */
static uint64_t
json_odd64(uint64_t v)
{
	return not_text64(v) | zero_byte(v ^ BYTE_ONES * '"') |
	    zero_byte(v ^ BYTE_ONES * '\\');
}

static uint32_t
json_odd32(uint32_t v)
{
	return not_text32(v) | zero_byte32(v ^ 0x22222222u) |
	    zero_byte32(v ^ 0x5c5c5c5cu);
}

static uint64_t
json_odd_byte(unsigned char c)
{
	return c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
}

/*
 * Copies the n bytes at s to dst (dst may be NULL: then only looks) and
 * returns 1 when none is outside printable ASCII or, with json set,
 * needs escaping in a JSON string.  Most strings of a record are short:
 * whole words, then the last eight (or four) bytes as one word that may
 * overlap the one before, so no byte loop runs unless a string is
 * shorter than four bytes.
 */
static inline int
copy_checked(char *dst, const char *s, size_t n, int json)
{
	uint64_t v, bad = 0;
	uint32_t lo, hi;
	size_t i;

	if (n >= 8) {
		for (i = 0; i + 8 < n; i += 8) {
			memcpy(&v, s + i, 8);
			bad |= json ? json_odd64(v) : not_text64(v);
			if (dst != NULL)
				memcpy(dst + i, &v, 8);
		}
		memcpy(&v, s + n - 8, 8);
		bad |= json ? json_odd64(v) : not_text64(v);
		if (dst != NULL)
			memcpy(dst + n - 8, &v, 8);
		return bad == 0;
	}
	if (n >= 4) {
		memcpy(&lo, s, 4);
		memcpy(&hi, s + n - 4, 4);
		if (dst != NULL) {
			memcpy(dst, &lo, 4);
			memcpy(dst + n - 4, &hi, 4);
		}
		if (json)
			return (json_odd32(lo) | json_odd32(hi)) == 0;
		return (not_text32(lo) | not_text32(hi)) == 0;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (dst != NULL)
			dst[i] = (char)c;
		bad |= json ? json_odd_byte(c) : (uint64_t)(c < 0x20 ||
		    c >= 0x80);
	}
	return bad == 0;
}

int
utf8_plain_text(const char *s, size_t n)
{
	return copy_checked(NULL, s, n, 0);
}

int
utf8_copy_plain_text(char *dst, const char *s, size_t n)
{
	return copy_checked(dst, s, n, 0);
}

int
utf8_json_verbatim(const char *s, size_t n)
{
	return copy_checked(NULL, s, n, 1);
}

int
utf8_copy_json_verbatim(char *dst, const char *s, size_t n)
{
	return copy_checked(dst, s, n, 1);
}

int
utf8_valid(const char *s, size_t n)
{
	size_t i = 0, len;
	uint64_t v;

	while (i < n) {
		if (i + 8 <= n) {
			memcpy(&v, s + i, 8);
			if ((v & BYTE_HIGHS) == 0) {
				i += 8;
				continue;
			}
		}
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		len = utf8_seq(s + i, n - i, NULL);
		if (len == 0)
			return 0;
		i += len;
	}
	return 1;
}

int
utf8_prefix(const char *s, size_t max)
{
	size_t i = 0, len;

	while (s[i] != '\0' && i < max) {
		len = utf8_seq(s + i, strnlen(s + i, 4), NULL);
		if (len == 0)
			len = 1;	/* a stray byte is a character here */
		if (i + len > max)
			break;
		i += len;
	}
	return i > INT_MAX ? INT_MAX : (int)i;
}

static int
is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f);
}

/*
 * Runs on every string with a byte outside printable ASCII, most of
 * whose bytes are still printable ASCII: those are passed over eight at
 * a time.
 */
uint32_t
utf8_unwritable(const char *s, size_t n)
{
	uint32_t c;
	size_t i, len;

	for (i = 0; i < n; i += len) {
		if (i + 8 <= n && ascii_from(s + i, 8, 0x20)) {
			len = 8;
			continue;
		}
		len = utf8_seq(s + i, n - i, &c);
		if (len == 0)
			return 0xfffd;
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
		    c == 0xfffe || c == 0xffff)
			return c;
	}
	return 0;
}

/*
 * What utf8_valid, utf8_unwritable and a look for NUL find together, in
 * one pass; the two-byte characters of most European text are taken
 * without a call.
 */
int
utf8_text_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0, len;
	uint32_t c;

	while (i < n) {
		if (i + 8 <= n && ascii_from(s + i, 8, 0x20)) {
			i += 8;
			continue;
		}
		if (u[i] >= 0x20 && u[i] < 0x80) {
			i++;
			continue;
		}
		if (u[i] < 0x20) {
			if (u[i] != '\t' && u[i] != '\n' && u[i] != '\r')
				return 0;
			i++;
			continue;
		}
		if (u[i] >= 0xc2 && u[i] <= 0xdf && i + 1 < n &&
		    (u[i + 1] & 0xc0) == 0x80) {
			i += 2;
			continue;
		}
		len = utf8_seq(s + i, n - i, &c);
		if (len == 0 || c == 0xfffe || c == 0xffff)
			return 0;
		i += len;
	}
	return 1;
}

int
utf8_has_control(const char *s, size_t n)
{
	size_t i = 0, len;
	uint32_t c;

	while (i < n) {
		len = utf8_seq(s + i, n - i, &c);
		if (len == 0)
			len = 1;
		else if (is_control(c))
			return 1;
		i += len;
	}
	return 0;
}

char *
utf8_escape(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s), i = 0, o = 0, len, k;
	uint32_t c;

	while (i < n) {
		len = utf8_seq(s + i, n - i, &c);
		if (len > 0 && !is_control(c)) {
			if (o + len >= size)
				break;
			memcpy(out + o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		if (len == 0)
			len = 1;	/* not UTF-8: escape the one byte */
		if (o + 4 * len >= size)
			break;
		for (k = 0; k < len; k++) {
			unsigned char b = (unsigned char)s[i + k];

			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[b >> 4];
			out[o++] = hex[b & 15];
		}
		i += len;
	}
	out[o] = '\0';
	return out;
}

/*
 * Values of the e-invoice model: presence, blank tests, decimals and
 * the rounding of the official schematron.
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "einvoice_int.h"

static int
is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int
ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

int
einv_has(const struct einv_val *v)
{
	return v->s != NULL;
}

int
einv_has_num(const struct einv_num *n)
{
	return n->s != NULL;
}

int
einv_blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s != '\0'; s++)
		if (!is_space((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * 1 when s, white space trimmed, equals code; in any case of ASCII
 * letters when nocase.  The rules ask this many times a document, most
 * often of one or two letters: no strlen, no library call.
 */
static int
trimmed_is(const char *s, const char *code, int nocase)
{
	if (s == NULL)
		return 0;
	while (is_space((unsigned char)*s))
		s++;
	for (; *code != '\0'; s++, code++)
		if (*s != *code && (!nocase ||
		    ascii_lower((unsigned char)*s) !=
		    ascii_lower((unsigned char)*code)))
			return 0;
	return einv_blank(s);
}

int
einv_is(const char *s, const char *code)
{
	return trimmed_is(s, code, 0);
}

int
einv_is_nocase(const char *s, const char *code)
{
	return trimmed_is(s, code, 1);
}

int
einv_is_as_is(const char *s, const char *code)
{
	if (s == NULL || code == NULL)
		return 0;
	for (; *s != '\0' && *s == *code; s++, code++)
		;
	return *s == *code;
}

int
einv_in_invoice_currency(const struct einvoice *inv,
    const char *currency_id)
{
	return einv_is_as_is(inv->currency.s, currency_id);
}

void
einv_norm(const char *s, char *buf, size_t size)
{
	size_t n = 0;
	int gap = 0;

	if (size == 0)
		return;
	for (; s != NULL && *s != '\0' && n + 1 < size; s++) {
		if (is_space((unsigned char)*s)) {
			gap = n > 0;
			continue;
		}
		if (gap && n + 2 < size)
			buf[n++] = ' ';
		gap = 0;
		buf[n++] = *s;
	}
	buf[n] = '\0';
}

/*
 * Checks the shape of a decimal: [+-]digits[.digits] or [+-].digits,
 * white space around; sets [*start, *end) to the number itself.
 */
static int
num_shape(const char *s, const char **start, const char **end,
    int *int_digits)
{
	const char *p = s;
	int digits = 0, frac = 0;

	while (is_space((unsigned char)*p))
		p++;
	*start = p;
	if (*p == '+' || *p == '-')
		p++;
	*int_digits = 0;
	for (; *p >= '0' && *p <= '9'; p++)
		digits++;
	*int_digits = digits;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			frac++;
	}
	*end = p;
	while (is_space((unsigned char)*p))
		p++;
	return *p == '\0' && digits + frac > 0;
}

void
einv_num_parse(struct einv_num *n)
{
	const char *start, *end, *dot;
	int int_digits;

	n->ok = 0;
	n->e6 = 0;
	n->decimals = 0;
	if (n->s == NULL)
		return;

	/* As BR-DEC counts: everything after the first '.'. */
	dot = strchr(n->s, '.');
	if (dot != NULL)
		n->decimals = (int)strlen(dot + 1);

	if (!num_shape(n->s, &start, &end, &int_digits))
		return;
	if (int_digits > EINV_INT_DIGITS_MAX)
		return;
	if (dec_parse_round(start, (size_t)(end - start), EINV_SCALE,
	    &n->e6) != KR_OK)
		return;
	n->ok = 1;
}

__int128
einv_floor_div(__int128 a, __int128 b)
{
	__int128 q = a / b;

	if (a % b != 0 && a < 0)
		q--;
	return q;
}

int64_t
einv_round2_xpath(__int128 x)
{
	const __int128 cent = EINV_ONE / 100;

	return (int64_t)(einv_floor_div(x + cent / 2, cent) * cent);
}

int64_t
einv_round0_xpath(int64_t x)
{
	return (int64_t)einv_floor_div((__int128)x + EINV_ONE / 2, EINV_ONE);
}

char *
einv_fmt(__int128 x, char *buf, size_t size)
{
	char digits[64];
	__int128 v = x < 0 ? -x : x;
	unsigned long long ip;
	unsigned long frac;
	int n, keep = EINV_SCALE;

	ip = (unsigned long long)(v / EINV_ONE);
	frac = (unsigned long)(v % EINV_ONE);
	n = snprintf(digits, sizeof(digits), "%06lu", frac);
	while (keep > 2 && n > 2 && digits[keep - 1] == '0')
		keep--;
	digits[keep] = '\0';
	snprintf(buf, size, "%s%llu.%s", x < 0 ? "-" : "", ip, digits);
	return buf;
}

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "vatid.h"
#include "vatid_rule.h"

void
vatid_verdict(struct vatid *v, enum vatid_status status, const char *fmt,
    ...)
{
	va_list ap;

	v->status = status;
	va_start(ap, fmt);
	vsnprintf(v->msg, sizeof(v->msg), fmt, ap);
	va_end(ap);
}

void
vatid_digit(struct vatid *v, char want, char got, const char *method)
{
	if (want == got)
		vatid_verdict(v, VATID_CHECKSUM_VALID, "syntax and check "
		    "digit correct (%s)", method);
	else
		vatid_verdict(v, VATID_CHECKSUM_INVALID, "wrong check digit: "
		    "%s gives %c, the id has %c", method, want, got);
}

void
vatid_sum(struct vatid *v, int ok, const char *method)
{
	if (ok)
		vatid_verdict(v, VATID_CHECKSUM_VALID, "syntax and check "
		    "digit correct (%s)", method);
	else
		vatid_verdict(v, VATID_CHECKSUM_INVALID, "wrong check digit "
		    "(%s)", method);
}

int
vatid_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
vatid_weighted(const char *s, const int *weight, size_t n)
{
	size_t i;
	int sum = 0;

	for (i = 0; i < n; i++)
		sum += (s[i] - '0') * weight[i];
	return sum;
}

char
vatid_mod11_10(const char *s, size_t n)
{
	size_t i;
	int product = 10, sum;

	for (i = 0; i < n; i++) {
		sum = (s[i] - '0' + product) % 10;
		if (sum == 0)
			sum = 10;
		product = 2 * sum % 11;
	}
	return (char)('0' + (11 - product) % 10);
}

int
vatid_luhn(const char *s, size_t n)
{
	size_t i;
	int sum = 0, d;

	for (i = 0; i < n; i++) {
		d = s[n - 1 - i] - '0';
		if (i % 2 == 1) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		sum += d;
	}
	return sum % 10 == 0;
}

int
vatid_mod97(const char *s, size_t n)
{
	size_t i;
	int r = 0;

	for (i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			r = (r * 10 + s[i] - '0') % 97;
		else	/* A = 10 ... Z = 35, two digits */
			r = (r * 100 + s[i] - 'A' + 10) % 97;
	}
	return r;
}

/*
 * Copies text into out without spaces, dots and dashes, letters in upper
 * case.  Returns 0 and a message when a character is none of letters,
 * digits, '+' and '*' (old Irish ids), or the result is too long.
 */
static int
normalise(const char *text, char out[VATID_MAX], struct vatid *v)
{
	size_t n = 0, i;
	char c;

	for (i = 0; text[i] != '\0'; i++) {
		c = text[i];
		if (c == ' ' || c == '.' || c == '-')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '+' || c == '*')) {
			vatid_verdict(v, VATID_SYNTAX_INVALID, "character "
			    "'%c' at position %zu: VAT ids hold letters and "
			    "digits", (unsigned char)c < 0x80 && c >= 0x20 ?
			    c : '?', i + 1);
			return 0;
		}
		if (n + 1 == VATID_MAX) {
			vatid_verdict(v, VATID_SYNTAX_INVALID, "longer than "
			    "any EU VAT id");
			return 0;
		}
		out[n++] = c;
	}
	out[n] = '\0';
	return 1;
}

/* Prefixes that look like VAT prefixes but are none of a member state. */
static int
foreign_prefix(const char *id, struct vatid *v)
{
	if (strncmp(id, "GB", 2) == 0)
		vatid_verdict(v, VATID_SYNTAX_INVALID, "GB ids are British, "
		    "not EU VAT ids; Northern Ireland traders use XI for "
		    "goods");
	else if (strncmp(id, "EU", 2) == 0)
		vatid_verdict(v, VATID_SYNTAX_INVALID, "EU ids belong to the "
		    "non-Union OSS scheme, not to a member state");
	else
		return 0;
	return 1;
}

enum vatid_status
vatid_check(const char *text, struct vatid *v)
{
	const struct vatid_rule *r;
	char id[VATID_MAX];
	int from_gr = 0;

	memset(v, 0, sizeof(*v));
	if (text == NULL || strlen(text) > VATID_INPUT_MAX) {
		vatid_verdict(v, VATID_SYNTAX_INVALID, text == NULL ?
		    "no VAT id" : "longer than any EU VAT id");
		return v->status;
	}
	if (!normalise(text, id, v))
		return v->status;
	snprintf(v->id, sizeof(v->id), "%s", id);
	if (id[0] == '\0') {
		vatid_verdict(v, VATID_SYNTAX_INVALID, "no VAT id");
		return v->status;
	}
	if (strncmp(id, "GR", 2) == 0) {
		memcpy(id, "EL", 2);
		memcpy(v->id, "EL", 2);
		from_gr = 1;
	}
	r = vatid_rule_find(id);
	if (r == NULL) {
		if (!foreign_prefix(id, v))
			vatid_verdict(v, VATID_SYNTAX_INVALID, "no VAT prefix "
			    "of an EU member state or XI at the start");
		return v->status;
	}
	memcpy(v->prefix, r->prefix, 3);
	memcpy(v->country, r->country, 3);
	r->check(v);
	if (from_gr && v->status != VATID_SYNTAX_INVALID) {
		size_t n = strlen(v->msg);

		snprintf(v->msg + n, sizeof(v->msg) - n, "; Greek ids take "
		    "the prefix EL, not GR");
	}
	return v->status;
}

const char *
vatid_status_name(enum vatid_status status)
{
	static const char *const name[] = {
		[VATID_SYNTAX_INVALID] = "syntax_invalid",
		[VATID_CHECKSUM_INVALID] = "checksum_invalid",
		[VATID_SYNTAX_ONLY] = "syntax_only",
		[VATID_CHECKSUM_VALID] = "checksum_valid"
	};

	if ((int)status < 0 || status > VATID_CHECKSUM_VALID)
		KBUG("vatid_status_name: status %d", (int)status);
	return name[status];
}

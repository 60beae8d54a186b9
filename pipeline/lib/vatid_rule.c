#include <stdlib.h>
#include <string.h>

#include "vatid_rule.h"

/*
 * The formats and check digits of the member states' VAT ids, as the
 * Commission's VIES construction rules and the states describe them.
 * docs/tax-data.md lists what each rule checks.
 */

#define BODY(v)	((v)->id + 2)

/* Refuses the id unless ok; shape says what the state's ids look like. */
static int
form(struct vatid *v, int ok, const char *shape)
{
	if (!ok)
		vatid_verdict(v, VATID_SYNTAX_INVALID, "%s ids are %s, got "
		    "\"%s\"", v->prefix, shape, v->id);
	return ok;
}

static void
note(struct vatid *v, const char *text)
{
	size_t n = strlen(v->msg);

	if (n + 2 < sizeof(v->msg))
		strncat(v->msg, text, sizeof(v->msg) - n - 1);
}

/* The digits s[0..n) as a number; n is at most 10. */
static long
num(const char *s, size_t n)
{
	long v = 0;

	while (n-- > 0)
		v = v * 10 + *s++ - '0';
	return v;
}

/* Puts a 0 in front of the body of v (the id has room for it). */
static void
lead_zero(struct vatid *v)
{
	char *b = BODY(v);

	memmove(b + 1, b, strlen(b) + 1);
	b[0] = '0';
}

static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
valid_day(int y, int m, int d)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

static void
check_at(struct vatid *v)
{
	const char *b = BODY(v);
	int sum = 0, i, d;

	if (!form(v, strlen(b) == 9 && b[0] == 'U' && vatid_digits(b + 1, 8),
	    "ATU and 8 digits"))
		return;
	for (i = 0; i < 7; i++) {
		d = b[1 + i] - '0';
		if (i % 2 == 1)
			d = 2 * d / 10 + 2 * d % 10;
		sum += d;
	}
	vatid_digit(v, (char)('0' + (10 - (sum + 4) % 10) % 10), b[8],
	    "weights 1-2-1-2-1-2-1 with digit sums, plus 4, mod 10");
}

static void
check_be(struct vatid *v)
{
	const char *b = BODY(v);
	int padded = 0;

	if (strlen(b) == 9 && vatid_digits(b, 9)) {
		lead_zero(v);
		padded = 1;
	}
	if (!form(v, strlen(b) == 10 && vatid_digits(b, 10) &&
	    (b[0] == '0' || b[0] == '1'), "BE and 10 digits, the first 0 or "
	    "1"))
		return;
	vatid_sum(v, (num(b, 8) % 97 + num(b + 8, 2)) % 97 == 0,
	    "97 minus the first 8 digits mod 97");
	if (padded)
		note(v, "; the old 9-digit form, completed with a leading 0");
}

static int
bg_egn(const char *b)
{
	static const int w[] = { 2, 4, 8, 5, 10, 9, 7, 3, 6 };
	int y = num(b, 2), m = num(b + 2, 2);

	if (m > 40) {
		y += 2000;
		m -= 40;
	} else if (m > 20) {
		y += 1800;
		m -= 20;
	} else {
		y += 1900;
	}
	if (!valid_day(y, m, num(b + 4, 2)))
		return 0;
	return vatid_weighted(b, w, 9) % 11 % 10 == b[9] - '0';
}

static int
bg_foreigner(const char *b)
{
	static const int w[] = { 21, 19, 17, 13, 11, 9, 7, 3, 1 };

	return vatid_weighted(b, w, 9) % 10 == b[9] - '0';
}

static int
bg_other(const char *b)
{
	static const int w[] = { 4, 3, 2, 7, 6, 5, 4, 3, 2 };
	int c = (11 - vatid_weighted(b, w, 9) % 11) % 11;

	return c < 10 && c == b[9] - '0';
}

static void
check_bg(struct vatid *v)
{
	static const int w1[] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	static const int w2[] = { 3, 4, 5, 6, 7, 8, 9, 10 };
	const char *b = BODY(v);
	size_t n = strlen(b);
	int c;

	if (!form(v, (n == 9 || n == 10) && vatid_digits(b, n),
	    "BG and 9 or 10 digits"))
		return;
	if (n == 10) {
		vatid_sum(v, bg_egn(b) || bg_foreigner(b) || bg_other(b),
		    "10 digits: EGN, LNCh or other persons' weights");
		return;
	}
	c = vatid_weighted(b, w1, 8) % 11;
	if (c == 10)
		c = vatid_weighted(b, w2, 8) % 11;
	vatid_digit(v, (char)('0' + c % 10), b[8],
	    "weights 1 to 8 (3 to 10), mod 11");
}

static void
check_cy(struct vatid *v)
{
	static const int odd[] = { 1, 0, 5, 7, 9, 13, 15, 17, 19, 21 };
	const char *b = BODY(v);
	int sum = 0, i;

	if (!form(v, strlen(b) == 9 && vatid_digits(b, 8) && b[8] >= 'A' &&
	    b[8] <= 'Z', "CY, 8 digits and a letter"))
		return;
	if (!form(v, strncmp(b, "12", 2) != 0, "never starting with 12"))
		return;
	for (i = 0; i < 8; i++)
		sum += i % 2 == 0 ? odd[b[i] - '0'] : b[i] - '0';
	vatid_digit(v, (char)('A' + sum % 26), b[8],
	    "digit table and sum, mod 26");
}

/*
 * A Czech birth number (rodné číslo): YYMMDD, women's months plus 50,
 * months plus 20 when a day's serials ran out.  Nine digits before 1954,
 * without a check digit; ten since.
 */
static int
cz_birth_date(const char *b, size_t n)
{
	int y = 1900 + num(b, 2), m = num(b + 2, 2) % 50 % 20;

	if (n == 9) {
		if (y >= 1980)
			y -= 100;
		if (y > 1953)
			return 0;
	} else if (y < 1954) {
		y += 100;
	}
	return valid_day(y, m, num(b + 4, 2));
}

static void
check_cz_person(struct vatid *v, const char *b, size_t n)
{
	static const int w[] = { 8, 7, 6, 5, 4, 3, 2 };
	int c;

	if (n == 9 && b[0] == '6') {
		c = vatid_weighted(b + 1, w, 7) % 11;
		c = ((8 - (10 - c) % 11) % 10 + 10) % 10;
		vatid_digit(v, (char)('0' + c), b[8], "9 digits from 6: "
		    "weights 8 to 2 from the second digit, mod 11");
		return;
	}
	if (!form(v, cz_birth_date(b, n), "8 digits, or 9 or 10 of a "
	    "birth number with a real date"))
		return;
	if (n == 9) {
		vatid_verdict(v, VATID_SYNTAX_ONLY, "syntax and date correct; "
		    "birth numbers before 1954 have no check digit");
		return;
	}
	vatid_digit(v, (char)('0' + num(b, 9) % 11 % 10), b[9],
	    "birth number mod 11");
}

static void
check_cz(struct vatid *v)
{
	static const int w[] = { 8, 7, 6, 5, 4, 3, 2 };
	const char *b = BODY(v);
	size_t n = strlen(b);
	int c;

	if (!form(v, n >= 8 && n <= 10 && vatid_digits(b, n),
	    "CZ and 8, 9 or 10 digits"))
		return;
	if (n > 8) {
		check_cz_person(v, b, n);
		return;
	}
	if (!form(v, b[0] != '9', "of legal persons never starting with 9"))
		return;
	c = (11 - vatid_weighted(b, w, 7) % 11) % 11;
	c = c == 0 ? 1 : c % 10;
	vatid_digit(v, (char)('0' + c), b[7], "weights 8 to 2, mod 11");
}

static void
check_de(struct vatid *v)
{
	const char *b = BODY(v);

	if (!form(v, strlen(b) == 9 && vatid_digits(b, 9) && b[0] != '0',
	    "DE and 9 digits, the first not 0"))
		return;
	vatid_digit(v, vatid_mod11_10(b, 8), b[8], "ISO 7064 MOD 11,10");
}

static void
check_dk(struct vatid *v)
{
	static const int w[] = { 2, 7, 6, 5, 4, 3, 2, 1 };
	const char *b = BODY(v);

	if (!form(v, strlen(b) == 8 && vatid_digits(b, 8) && b[0] != '0',
	    "DK and 8 digits, the first not 0"))
		return;
	vatid_sum(v, vatid_weighted(b, w, 8) % 11 == 0,
	    "weights 2-7-6-5-4-3-2-1, mod 11");
}

static void
check_ee(struct vatid *v)
{
	static const int w[] = { 3, 7, 1, 3, 7, 1, 3, 7 };
	const char *b = BODY(v);

	if (!form(v, strlen(b) == 9 && vatid_digits(b, 9) &&
	    strncmp(b, "10", 2) == 0, "EE and 9 digits starting with 10"))
		return;
	vatid_digit(v, (char)('0' + (10 - vatid_weighted(b, w, 8) % 10) % 10),
	    b[8], "weights 3-7-1, mod 10");
}

static void
check_el(struct vatid *v)
{
	static const int w[] = { 256, 128, 64, 32, 16, 8, 4, 2 };
	const char *b = BODY(v);
	int padded = 0;

	if (strlen(b) == 8 && vatid_digits(b, 8)) {
		lead_zero(v);
		padded = 1;
	}
	if (!form(v, strlen(b) == 9 && vatid_digits(b, 9), "EL and 9 digits"))
		return;
	vatid_digit(v, (char)('0' + vatid_weighted(b, w, 8) % 11 % 10), b[8],
	    "weights 256 to 2, mod 11");
	if (padded)
		note(v, "; the old 8-digit form, completed with a leading 0");
}

static char
es_letter(long n)
{
	return "TRWAGMYFPDXBNJZSQVHLCKE"[n % 23];
}

/* A legal person: type letter, 7 digits, check digit or letter. */
static void
check_es_cif(struct vatid *v, const char *b)
{
	int sum = 0, i, d, c;

	for (i = 0; i < 7; i++) {
		d = b[1 + i] - '0';
		if (i % 2 == 0)
			d = 2 * d / 10 + 2 * d % 10;
		sum += d;
	}
	c = (10 - sum % 10) % 10;
	if (b[8] >= '0' && b[8] <= '9')
		vatid_digit(v, (char)('0' + c), b[8],
		    "CIF, digit sums mod 10");
	else
		vatid_digit(v, "JABCDEFGHI"[c], b[8], "CIF, digit sums mod 10 "
		    "as a letter");
}

static void
check_es(struct vatid *v)
{
	const char *b = BODY(v);
	long n;

	if (!form(v, strlen(b) == 9 && vatid_digits(b + 1, 7),
	    "ES and 9 characters, the 7 in the middle digits"))
		return;
	if (b[0] >= '0' && b[0] <= '9' && b[8] >= 'A' && b[8] <= 'Z') {
		vatid_digit(v, es_letter(num(b, 8)), b[8],
		    "DNI, mod 23");
	} else if (strchr("XYZ", b[0]) != NULL && b[8] >= 'A' &&
	    b[8] <= 'Z') {
		n = (b[0] - 'X') * 10000000L + num(b + 1, 7);
		vatid_digit(v, es_letter(n), b[8], "NIE, mod 23");
	} else if (strchr("KLM", b[0]) != NULL && b[8] >= 'A' &&
	    b[8] <= 'Z') {
		vatid_digit(v, es_letter(num(b + 1, 7)), b[8],
		    "NIF of K, L or M, mod 23");
	} else if (strchr("ABCDEFGHJNPQRSUVW", b[0]) != NULL &&
	    ((b[8] >= '0' && b[8] <= '9') || strchr("ABCDEFGHIJ", b[8]))) {
		check_es_cif(v, b);
	} else {
		form(v, 0, "a DNI (8 digits and a letter), an NIE or NIF "
		    "(X, Y, Z, K, L or M, 7 digits, a letter) or a CIF (type "
		    "letter, 7 digits, check digit or letter)");
	}
}

static void
check_fi(struct vatid *v)
{
	static const int w[] = { 7, 9, 10, 5, 8, 4, 2 };
	const char *b = BODY(v);
	int r;

	if (!form(v, strlen(b) == 8 && vatid_digits(b, 8), "FI and 8 digits"))
		return;
	r = vatid_weighted(b, w, 7) % 11;
	if (r == 1) {
		vatid_verdict(v, VATID_CHECKSUM_INVALID, "wrong check digit: "
		    "no check digit fits these 7 digits (weights 7-9-10-5-"
		    "8-4-2, mod 11)");
		return;
	}
	vatid_digit(v, (char)('0' + (r == 0 ? 0 : 11 - r)), b[7],
	    "weights 7-9-10-5-8-4-2, mod 11");
}

static const char fr_alphabet[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

static void
check_fr(struct vatid *v)
{
	const char *b = BODY(v), *p0, *p1;
	long siren;
	int s, i0, i1;

	p0 = b[0] != '\0' ? strchr(fr_alphabet, b[0]) : NULL;
	p1 = p0 != NULL && b[1] != '\0' ? strchr(fr_alphabet, b[1]) : NULL;
	if (!form(v, strlen(b) == 11 && p1 != NULL && vatid_digits(b + 2, 9),
	    "FR, a key of 2 digits or letters (not I or O) and the 9-digit "
	    "SIREN"))
		return;
	siren = num(b + 2, 9);
	if (strncmp(b + 2, "000", 3) != 0 && strcmp(b + 2, "356000000") != 0 &&
	    !vatid_luhn(b + 2, 9)) {
		vatid_verdict(v, VATID_CHECKSUM_INVALID, "wrong check digit: "
		    "the SIREN %s fails the Luhn test", b + 2);
		return;
	}
	i0 = (int)(p0 - fr_alphabet);
	i1 = (int)(p1 - fr_alphabet);
	if (i0 < 10 && i1 < 10) {
		vatid_sum(v, num(b, 2) == (12 + 3 * (siren % 97)) % 97,
		    "key 12 + 3 x SIREN mod 97, mod 97");
		return;
	}
	s = i0 < 10 ? i0 * 24 + i1 - 10 : i0 * 34 + i1 - 100;
	vatid_sum(v, (siren + 1 + s / 11) % 11 == s % 11,
	    "alphanumeric key against the SIREN, mod 11");
}

static void
check_hr(struct vatid *v)
{
	const char *b = BODY(v);

	if (!form(v, strlen(b) == 11 && vatid_digits(b, 11),
	    "HR and 11 digits"))
		return;
	vatid_digit(v, vatid_mod11_10(b, 10), b[10], "ISO 7064 MOD 11,10");
}

static void
check_hu(struct vatid *v)
{
	static const int w[] = { 9, 7, 3, 1, 9, 7, 3 };
	const char *b = BODY(v);

	if (!form(v, strlen(b) == 8 && vatid_digits(b, 8), "HU and 8 digits"))
		return;
	vatid_digit(v, (char)('0' + (10 - vatid_weighted(b, w, 7) % 10) % 10),
	    b[7], "weights 9-7-3-1, mod 10");
}

static const char ie_alphabet[] = "WABCDEFGHIJKLMNOPQRSTUV";
static const char ie_second[] = "WABCDEFGHI";	/* values 0 to 9 */

/* The check letter of 7 digits, with the second letter's value. */
static char
ie_letter(const char *digits, int extra)
{
	static const int w[] = { 8, 7, 6, 5, 4, 3, 2 };

	return ie_alphabet[(vatid_weighted(digits, w, 7) + 9 * extra) % 23];
}

static void
check_ie(struct vatid *v)
{
	const char *b = BODY(v), *x;
	size_t n = strlen(b);
	char old[7];

	if (n >= 8 && vatid_digits(b, 7) && strchr(ie_alphabet, b[7])) {
		x = n == 9 ? strchr(ie_second, b[8]) : NULL;
		if (!form(v, n == 8 || x != NULL, "IE, 7 digits and a check "
		    "letter, and maybe a second letter A to I or W"))
			return;
		vatid_digit(v, ie_letter(b, x != NULL ? (int)(x - ie_second) :
		    0), b[7], "weights 8 to 2, mod 23");
		return;
	}
	if (!form(v, n == 8 && vatid_digits(b, 1) && ((b[1] >= 'A' &&
	    b[1] <= 'Z') || b[1] == '+' || b[1] == '*') &&
	    vatid_digits(b + 2, 5) && b[7] >= 'A' && b[7] <= 'Z',
	    "IE and 7 digits and a letter (or the old form digit, letter, "
	    "5 digits, letter)"))
		return;
	old[0] = '0';
	memcpy(old + 1, b + 2, 5);
	old[6] = b[0];
	vatid_digit(v, ie_letter(old, 0), b[7], "old form, weights 8 to 2, "
	    "mod 23");
}

static void
check_it(struct vatid *v)
{
	const char *b = BODY(v);
	int office;

	if (!form(v, strlen(b) == 11 && vatid_digits(b, 11) &&
	    strncmp(b, "0000000", 7) != 0, "IT and 11 digits"))
		return;
	office = num(b + 7, 3);
	if (!form(v, (office >= 1 && office <= 100) || office == 120 ||
	    office == 121 || office == 888 || office == 999, "IT and 11 "
	    "digits whose 8th to 10th name an office (001-100, 120, 121, 888 "
	    "or 999)"))
		return;
	vatid_sum(v, vatid_luhn(b, 11), "Luhn");
}

static void
check_lt(struct vatid *v)
{
	const char *b = BODY(v);
	size_t n = strlen(b), i;
	int sum = 0, r;

	if (!form(v, vatid_digits(b, n) && ((n == 9 && b[7] == '1') ||
	    (n == 12 && b[10] == '1')), "LT and 9 digits (the 8th 1) or 12 "
	    "(the 11th 1)"))
		return;
	for (i = 0; i + 1 < n; i++)
		sum += (int)(1 + i % 9) * (b[i] - '0');
	r = sum % 11;
	if (r == 10) {
		for (sum = 0, i = 0; i + 1 < n; i++)
			sum += (int)(1 + (i + 2) % 9) * (b[i] - '0');
		r = sum % 11 % 10;
	}
	vatid_digit(v, (char)('0' + r), b[n - 1], "weights 1 to 9, mod 11");
}

static void
check_lu(struct vatid *v)
{
	const char *b = BODY(v);

	if (!form(v, strlen(b) == 8 && vatid_digits(b, 8), "LU and 8 digits"))
		return;
	vatid_sum(v, num(b, 6) % 89 == num(b + 6, 2),
	    "first 6 digits mod 89");
}

static void
check_lv(struct vatid *v)
{
	static const int w[] = { 9, 1, 4, 8, 3, 10, 2, 5, 7, 6, 1 };
	const char *b = BODY(v);
	int y;

	if (!form(v, strlen(b) == 11 && vatid_digits(b, 11),
	    "LV and 11 digits"))
		return;
	if (b[0] > '3') {
		vatid_sum(v, vatid_weighted(b, w, 11) % 11 == 3,
		    "legal persons, weights 9-1-4-8-3-10-2-5-7-6-1, mod 11");
		return;
	}
	if (strncmp(b, "32", 2) == 0) {
		vatid_verdict(v, VATID_SYNTAX_ONLY, "syntax correct; personal "
		    "codes from 32 have no check digit kontor can verify");
		return;
	}
	y = 1800 + 100 * (b[6] - '0') + num(b + 4, 2);
	if (!form(v, b[6] <= '2' && valid_day(y, num(b + 2, 2), num(b, 2)),
	    "LV and 11 digits, for persons DDMMYY and a century digit"))
		return;
	vatid_verdict(v, VATID_SYNTAX_ONLY, "syntax and date correct; the "
	    "check digit of personal codes is not verified");
}

static void
check_mt(struct vatid *v)
{
	static const int w[] = { 3, 4, 6, 7, 8, 9, 10, 1 };
	const char *b = BODY(v);

	if (!form(v, strlen(b) == 8 && vatid_digits(b, 8) && b[0] != '0',
	    "MT and 8 digits, the first not 0"))
		return;
	vatid_sum(v, vatid_weighted(b, w, 8) % 37 == 0,
	    "weights 3-4-6-7-8-9-10-1, mod 37");
}

static void
check_nl(struct vatid *v)
{
	static const int w[] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	const char *b = BODY(v);
	int eleven;

	if (!form(v, strlen(b) == 12 && vatid_digits(b, 9) && b[9] == 'B' &&
	    vatid_digits(b + 10, 2) && strcmp(b + 10, "00") != 0,
	    "NL, 9 digits, B and 2 digits (not 00)"))
		return;
	eleven = (vatid_weighted(b, w, 8) - (b[8] - '0')) % 11 == 0;
	vatid_sum(v, eleven || vatid_mod97(v->id, 14) == 1, "11-test, or "
	    "ISO 7064 MOD 97-10 of the ids since 2020");
}

static void
check_pl(struct vatid *v)
{
	static const int w[] = { 6, 5, 7, 2, 3, 4, 5, 6, 7 };
	const char *b = BODY(v);
	int c;

	if (!form(v, strlen(b) == 10 && vatid_digits(b, 10),
	    "PL and 10 digits"))
		return;
	c = vatid_weighted(b, w, 9) % 11;
	if (c == 10) {
		vatid_verdict(v, VATID_CHECKSUM_INVALID, "wrong check digit: "
		    "no check digit fits these 9 digits (weights 6-5-7-2-3-"
		    "4-5-6-7, mod 11)");
		return;
	}
	vatid_digit(v, (char)('0' + c), b[9], "weights 6-5-7-2-3-4-5-6-7, "
	    "mod 11");
}

static void
check_pt(struct vatid *v)
{
	static const int w[] = { 9, 8, 7, 6, 5, 4, 3, 2 };
	const char *b = BODY(v);
	int c;

	if (!form(v, strlen(b) == 9 && vatid_digits(b, 9) && b[0] != '0',
	    "PT and 9 digits, the first not 0"))
		return;
	c = 11 - vatid_weighted(b, w, 8) % 11;
	vatid_digit(v, (char)('0' + (c >= 10 ? 0 : c)), b[8],
	    "weights 9 to 2, mod 11");
}

static void
check_ro(struct vatid *v)
{
	static const int w[] = { 7, 5, 3, 2, 1, 7, 5, 3, 2 };
	const char *b = BODY(v);
	size_t n = strlen(b);

	if (!form(v, n >= 2 && n <= 10 && vatid_digits(b, n) && b[0] != '0',
	    "RO and 2 to 10 digits, the first not 0"))
		return;
	vatid_digit(v, (char)('0' + vatid_weighted(b, w + 10 - n, n - 1) *
	    10 % 11 % 10), b[n - 1], "weights 7-5-3-2-1-7-5-3-2, mod 11");
}

static void
check_se(struct vatid *v)
{
	const char *b = BODY(v);

	if (!form(v, strlen(b) == 12 && vatid_digits(b, 12) &&
	    num(b + 10, 2) >= 1 && num(b + 10, 2) <= 94,
	    "SE and 12 digits ending in 01 to 94"))
		return;
	vatid_sum(v, vatid_luhn(b, 10), "Luhn over the first 10 digits");
}

static void
check_si(struct vatid *v)
{
	static const int w[] = { 8, 7, 6, 5, 4, 3, 2 };
	const char *b = BODY(v);
	int c;

	if (!form(v, strlen(b) == 8 && vatid_digits(b, 8) && b[0] != '0',
	    "SI and 8 digits, the first not 0"))
		return;
	c = 11 - vatid_weighted(b, w, 7) % 11;
	if (c == 11) {
		vatid_verdict(v, VATID_CHECKSUM_INVALID, "wrong check digit: "
		    "no check digit fits these 7 digits (weights 8 to 2, "
		    "mod 11)");
		return;
	}
	vatid_digit(v, (char)('0' + c % 10), b[7], "weights 8 to 2, mod 11");
}

static void
check_sk(struct vatid *v)
{
	const char *b = BODY(v);
	int r = 0, i;

	if (!form(v, strlen(b) == 10 && vatid_digits(b, 10) && b[0] != '0' &&
	    strchr("234789", b[2]) != NULL, "SK and 10 digits, the first not "
	    "0, the third 2, 3, 4, 7, 8 or 9"))
		return;
	for (i = 0; i < 10; i++)
		r = (r * 10 + b[i] - '0') % 11;
	vatid_sum(v, r == 0, "the number mod 11");
}

static void
check_xi(struct vatid *v)
{
	static const int w[] = { 8, 7, 6, 5, 4, 3, 2 };
	const char *b = BODY(v);
	size_t n = strlen(b);
	int r;

	if (n == 5 && vatid_digits(b + 2, 3) &&
	    ((strncmp(b, "GD", 2) == 0 && num(b + 2, 3) < 500) ||
	    (strncmp(b, "HA", 2) == 0 && num(b + 2, 3) >= 500))) {
		vatid_verdict(v, VATID_SYNTAX_ONLY, "syntax correct; ids of "
		    "government departments and health authorities have no "
		    "check digit");
		return;
	}
	if (!form(v, (n == 9 || n == 12) && vatid_digits(b, n), "XI and 9 "
	    "or 12 digits, or GD000-GD499, HA500-HA999"))
		return;
	r = (vatid_weighted(b, w, 7) + num(b + 7, 2)) % 97;
	vatid_sum(v, r == 0 || (num(b, 3) >= 100 && (r == 42 || r == 55)),
	    "weights 8 to 2 and the last 2 digits, mod 97 (old or new "
	    "series)");
}

static const struct vatid_rule rule[] = {
	{"AT", "AT", check_at}, {"BE", "BE", check_be},
	{"BG", "BG", check_bg}, {"CY", "CY", check_cy},
	{"CZ", "CZ", check_cz}, {"DE", "DE", check_de},
	{"DK", "DK", check_dk}, {"EE", "EE", check_ee},
	{"EL", "GR", check_el}, {"ES", "ES", check_es},
	{"FI", "FI", check_fi}, {"FR", "FR", check_fr},
	{"HR", "HR", check_hr}, {"HU", "HU", check_hu},
	{"IE", "IE", check_ie}, {"IT", "IT", check_it},
	{"LT", "LT", check_lt}, {"LU", "LU", check_lu},
	{"LV", "LV", check_lv}, {"MT", "MT", check_mt},
	{"NL", "NL", check_nl}, {"PL", "PL", check_pl},
	{"PT", "PT", check_pt}, {"RO", "RO", check_ro},
	{"SE", "SE", check_se}, {"SI", "SI", check_si},
	{"SK", "SK", check_sk}, {"XI", "XI", check_xi},
};

const struct vatid_rule *
vatid_rule_find(const char *id)
{
	size_t i;

	for (i = 0; i < sizeof(rule) / sizeof(rule[0]); i++)
		if (strncmp(id, rule[i].prefix, 2) == 0)
			return &rule[i];
	return NULL;
}

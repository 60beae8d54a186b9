/*
 * The DATEV file checker: reading lines and fields, the encoding and
 * the header.  The column names and the rules for booking rows are in
 * datev_check_row.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "datev_check.h"
#include "datev_check_int.h"

static const char *const header_names[32] = {
	NULL, "Kennzeichen", "Versionsnummer", "Datenkategorie",
	"Formatname", "Formatversion", "Erzeugt am", "Importiert",
	"Herkunft", "Exportiert von", "Importiert von", "Beraternummer",
	"Mandantennummer", "WJ-Beginn", "Sachkontenl\xE4nge", "Datum vom",
	"Datum bis", "Bezeichnung", "Diktatk\xFCrzel", "Buchungstyp",
	"Rechnungslegungszweck", "Festschreibung", "WKZ", "reserviert",
	"Derivatskennzeichen", "reserviert", "reserviert", "SKR",
	"Branchenl\xF6sung-Id", "reserviert", "reserviert",
	"Anwendungsinformation"
};

/* Windows-1252 0x80-0x9F as Unicode; 0 for the five undefined ones. */
static const unsigned short high_cp[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

void
chk_utf8(const char *s, size_t len, char *out, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 4 < size; i++) {
		unsigned char b = (unsigned char)s[i];
		unsigned cp = b;

		if (b >= 0x80 && b < 0xA0)
			cp = high_cp[b - 0x80] ? high_cp[b - 0x80] : '?';
		if (b < 0x20)
			cp = '?';
		if (cp < 0x80) {
			out[n++] = (char)cp;
		} else if (cp < 0x800) {
			out[n++] = (char)(0xC0 | (cp >> 6));
			out[n++] = (char)(0x80 | (cp & 0x3F));
		} else {
			out[n++] = (char)(0xE0 | (cp >> 12));
			out[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			out[n++] = (char)(0x80 | (cp & 0x3F));
		}
	}
	out[n] = '\0';
}

void
chk_report(struct chk *c, int severity, int col, const char *fmt, ...)
{
	struct datev_finding f;
	char msg[512], name[128];
	const char *raw = NULL;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memset(&f, 0, sizeof(f));
	f.severity = severity;
	f.line = c->line;
	f.column = col;
	f.header = c->line == 1 && col > 0;
	if (col > 0)
		raw = f.header ? (col <= 31 ? header_names[col] : NULL) :
		    chk_column_name(col);
	if (raw != NULL) {
		chk_utf8(raw, strlen(raw), name, sizeof(name));
		f.name = name;
	}
	f.msg = msg;
	if (severity == DATEV_CHECK_ERROR)
		c->stats.n_errors++;
	else
		c->stats.n_warnings++;
	c->fn(c->arg, &f);
}

/* Quotes a field for a message, in UTF-8, cut after 40 bytes. */
const char *
chk_quote(const struct chk_field *f, char *out, size_t size)
{
	size_t n = f->len > 40 ? 40 : f->len, used;

	if (size < 8)
		KBUG("chk_quote needs room");
	out[0] = '"';
	chk_utf8(f->text, n, out + 1, size - 6);
	used = strlen(out);
	memcpy(out + used, f->len > 40 ? "...\"" : "\"", f->len > 40 ? 5 :
	    2);
	return out;
}

/* Reading lines and fields */

/*
 * Reads one line up to '\n' into c->raw, without it.  Returns 1 for a
 * line, 0 at the end.  Sets *lf when the line ended in '\n'.
 */
static int
read_line(struct chk *c, FILE *fp, int *lf, int *too_long)
{
	int ch;

	buf_reset(&c->raw);
	*lf = 0;
	*too_long = 0;
	while ((ch = getc(fp)) != EOF) {
		if (ch == '\n') {
			*lf = 1;
			return 1;
		}
		if (!*too_long && buf_addc(&c->raw, ch) != KR_OK)
			*too_long = 1;
	}
	if (ferror(fp)) {
		c->read_errno = errno != 0 ? errno : EIO;
		return 0;
	}
	return c->raw.len > 0 || *too_long;
}

static int
split_quoted(struct chk *c, const char **p, const char *end, int col)
{
	const char *s = *p + 1;

	for (; s < end; s++) {
		if (*s != '"') {
			buf_addc(&c->unq, *s);
			continue;
		}
		if (s + 1 < end && s[1] == '"') {
			buf_addc(&c->unq, '"');
			s++;
			continue;
		}
		*p = s + 1;
		if (*p < end && **p != ';') {
			chk_report(c, DATEV_CHECK_ERROR, col, "text after the "
			    "closing quote");
			return 0;
		}
		return 1;
	}
	chk_report(c, DATEV_CHECK_ERROR, col, "a quote that is never closed");
	return 0;
}

static int
split_plain(struct chk *c, const char **p, const char *end, int col)
{
	const char *s = *p;

	for (; s < end && *s != ';'; s++) {
		if (*s == '"') {
			chk_report(c, DATEV_CHECK_ERROR, col, "a quote inside "
			    "an unquoted field");
			return 0;
		}
		buf_addc(&c->unq, *s);
	}
	*p = s;
	return 1;
}

/*
 * Splits c->raw into fields (quotes removed, doubled quotes undone).
 * Returns 0 after reporting a field that cannot be read.
 */
static int
split_fields(struct chk *c)
{
	const char *p = c->raw.data ? c->raw.data : "", *end = p + c->raw.len;
	size_t i;
	int ok = 1;

	buf_reset(&c->unq);
	c->nfield = 0;
	for (;;) {
		struct chk_field *f;

		if (c->nfield == c->cap_field) {
			c->cap_field = c->cap_field ? c->cap_field * 2 : 256;
			c->field = xreallocarray(c->field, c->cap_field,
			    sizeof(*c->field));
		}
		f = &c->field[c->nfield++];
		f->quoted = p < end && *p == '"';
		f->off = c->unq.len;
		if (ok)
			ok = f->quoted ? split_quoted(c, &p, end,
			    (int)c->nfield) : split_plain(c, &p, end,
			    (int)c->nfield);
		f->len = c->unq.len - f->off;
		buf_addc(&c->unq, '\0');
		if (!ok || p >= end)
			break;
		p++;	/* the ';' */
	}
	/* The buffer may have moved while it grew. */
	for (i = 0; i < c->nfield; i++)
		c->field[i].text = c->unq.data + c->field[i].off;
	return ok;
}

/* Encoding */

static int
utf8_pair(const unsigned char *s, size_t n)
{
	return n >= 2 && s[0] >= 0xC2 && s[0] <= 0xDF && s[1] >= 0x80 &&
	    s[1] <= 0xBF;
}

static void
check_byte(struct chk *c, int col, const unsigned char *s, size_t left)
{
	if (s[0] < 0x20 || s[0] == 0x7F)
		chk_report(c, DATEV_CHECK_ERROR, col, "control character "
		    "0x%02X in a field", s[0]);
	else if (s[0] == 0x81 || s[0] == 0x8D || s[0] == 0x8F ||
	    s[0] == 0x90 || s[0] == 0x9D)
		chk_report(c, DATEV_CHECK_ERROR, col, "byte 0x%02X is "
		    "undefined in Windows-1252", s[0]);
	else if (!c->utf8_warned && utf8_pair(s, left)) {
		c->utf8_warned = 1;
		chk_report(c, DATEV_CHECK_WARNING, col, "bytes 0x%02X 0x%02X "
		    "look like UTF-8; DATEV files are Windows-1252", s[0],
		    s[1]);
	}
}

/* Control characters, undefined bytes, and what looks like UTF-8. */
static void
check_bytes(struct chk *c)
{
	size_t i, k;

	for (i = 0; i < c->nfield; i++) {
		const unsigned char *s =
		    (const unsigned char *)c->field[i].text;

		for (k = 0; k < c->field[i].len; k++)
			check_byte(c, (int)i + 1, s + k, c->field[i].len - k);
	}
}

/* Line ends: CR LF everywhere, the last line too. */
static int
check_line_end(struct chk *c, int lf, int too_long)
{
	if (too_long) {
		chk_report(c, DATEV_CHECK_ERROR, 0, "line longer than %zu "
		    "bytes", c->raw.cap_bytes);
		return 0;
	}
	if (c->raw.len > 0 && c->raw.data[c->raw.len - 1] == '\r')
		c->raw.data[--c->raw.len] = '\0';
	else if (lf)
		chk_report(c, DATEV_CHECK_ERROR, 0, "line ends in LF without "
		    "CR; DATEV files end every line in CR LF");
	else
		chk_report(c, DATEV_CHECK_ERROR, 0, "the last line does not "
		    "end in CR LF");
	if (memchr(c->raw.data ? c->raw.data : "", '\r', c->raw.len)) {
		chk_report(c, DATEV_CHECK_ERROR, 0, "a CR inside the line");
		return 0;
	}
	return 1;
}

static void
check_bom(struct chk *c)
{
	if (c->raw.len >= 3 && memcmp(c->raw.data, "\xEF\xBB\xBF", 3) == 0) {
		chk_report(c, DATEV_CHECK_ERROR, 0, "a UTF-8 byte order mark; "
		    "DATEV files are Windows-1252 without one");
		memmove(c->raw.data, c->raw.data + 3, c->raw.len - 2);
		c->raw.len -= 3;
	}
}

static void
check_line(struct chk *c, int lf, int too_long)
{
	if (c->line == 1)
		check_bom(c);
	if (!check_line_end(c, lf, too_long))
		return;
	if (c->raw.len == 0) {
		chk_report(c, DATEV_CHECK_ERROR, 0, "an empty line");
		return;
	}
	if (!split_fields(c))
		return;
	check_bytes(c);
	if (c->line == 1)
		chk_header(c);
	else if (c->line == 2)
		chk_names(c);
	else if (c->rows_ok)
		chk_row(c);
}

int
datev_check_stream(FILE *fp, datev_check_fn fn, void *arg,
    struct datev_check_stats *stats, struct kerr *e)
{
	struct chk c;
	int lf, too_long;

	memset(&c, 0, sizeof(c));
	c.fn = fn;
	c.arg = arg;
	buf_init(&c.raw, CHK_LINE_MAX);
	buf_init(&c.unq, CHK_LINE_MAX + CHK_LINE_MAX / 2);
	errno = 0;
	while (read_line(&c, fp, &lf, &too_long)) {
		c.line++;
		check_line(&c, lf, too_long);
	}
	/* A file that could not be read is neither empty nor short. */
	if (c.read_errno == 0)
		chk_finish(&c);
	if (stats != NULL)
		*stats = c.stats;
	buf_release(&c.raw);
	buf_release(&c.unq);
	free(c.field);
	if (c.read_errno != 0 && c.line == 0)
		return kerr_set(e, KR_IO, NULL, "cannot read it: %s",
		    strerror(c.read_errno));
	if (c.read_errno != 0)
		return kerr_set(e, KR_IO, NULL, "cannot read it after line "
		    "%ld: %s", c.line, strerror(c.read_errno));
	return KR_OK;
}

/* Helpers for the rules */

int
chk_digits(const char *s, size_t len, size_t max)
{
	size_t i;

	if (len == 0 || len > max)
		return 0;
	for (i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

int
chk_days(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

int
chk_date8(const char *s, size_t len, long *ymd)
{
	int d, m, y;

	if (len != 8 || !chk_digits(s, 8, 8))
		return 0;
	d = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[2] - '0') * 10 + (s[3] - '0');
	y = (s[4] - '0') * 1000 + (s[5] - '0') * 100 + (s[6] - '0') * 10 +
	    (s[7] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > chk_days(y, m))
		return 0;
	*ymd = (long)y * 10000 + m * 100 + d;
	return 1;
}

int
chk_ymd8(const char *s, size_t len, long *ymd)
{
	char d8[8];

	if (len != 8)
		return 0;
	memcpy(d8, s + 6, 2);
	memcpy(d8 + 2, s + 4, 2);
	memcpy(d8 + 4, s, 4);
	return chk_date8(d8, 8, ymd);
}

/* The header, line 1 */

static const struct chk_field *
hf(struct chk *c, int n)
{
	return (size_t)n <= c->nfield ? &c->field[n - 1] : NULL;
}

/* A text field: quoted (else a warning), at most max characters. */
static const struct chk_field *
hdr_text(struct chk *c, int n, size_t max)
{
	const struct chk_field *f = hf(c, n);

	if (f == NULL)
		return NULL;
	if (!f->quoted && f->len > 0)
		chk_report(c, DATEV_CHECK_WARNING, n, "text without quotes");
	if (f->len > max)
		chk_report(c, DATEV_CHECK_ERROR, n, "%zu characters, at most "
		    "%zu allowed", f->len, max);
	return f;
}

/*
 * A whole number from min to max, unquoted.  Returns 1 with *out set,
 * 0 when it is missing (reported when required) or bad (reported).
 */
static int
hdr_num(struct chk *c, int n, long min, long max, int required, long *out)
{
	const struct chk_field *f = hf(c, n);
	char q[80];

	if (f == NULL || f->len == 0) {
		if (f != NULL && required)
			chk_report(c, DATEV_CHECK_ERROR, n, "required, but "
			    "empty");
		return 0;
	}
	if (f->quoted)
		chk_report(c, DATEV_CHECK_ERROR, n, "a number in quotes");
	if (!chk_digits(f->text, f->len, 9) || atol(f->text) < min ||
	    atol(f->text) > max) {
		chk_report(c, DATEV_CHECK_ERROR, n, "expected a number from "
		    "%ld to %ld, got %s", min, max,
		    chk_quote(f, q, sizeof(q)));
		return 0;
	}
	*out = atol(f->text);
	return 1;
}

static int
hdr_date(struct chk *c, int n, long *ymd)
{
	const struct chk_field *f = hf(c, n);
	char q[80];

	if (f == NULL)
		return 0;
	if (f->quoted)
		chk_report(c, DATEV_CHECK_ERROR, n, "a date in quotes");
	if (!chk_ymd8(f->text, f->len, ymd)) {
		chk_report(c, DATEV_CHECK_ERROR, n, "expected a date "
		    "JJJJMMTT, got %s", chk_quote(f, q, sizeof(q)));
		return 0;
	}
	return 1;
}

static int
hdr_is(const struct chk_field *f, const char *s)
{
	return f != NULL && f->len == strlen(s) && memcmp(f->text, s,
	    f->len) == 0;
}

static int
hdr_charset(const struct chk_field *f, const char *set)
{
	return f == NULL || strspn(f->text, set) == f->len;
}

#define UPPER	"ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define LOWER	"abcdefghijklmnopqrstuvwxyz"
#define DIGITS	"0123456789"
/* Letters of Windows-1252 beyond ASCII (umlauts, accents, Š, Œ, ...) */
#define LETTERS_HIGH	"\x8A\x8C\x8E\x9A\x9C\x9E\x9F" \
	"\xC0\xC1\xC2\xC3\xC4\xC5\xC6\xC7\xC8\xC9\xCA\xCB\xCC\xCD\xCE\xCF" \
	"\xD0\xD1\xD2\xD3\xD4\xD5\xD6\xD8\xD9\xDA\xDB\xDC\xDD\xDE\xDF" \
	"\xE0\xE1\xE2\xE3\xE4\xE5\xE6\xE7\xE8\xE9\xEA\xEB\xEC\xED\xEE\xEF" \
	"\xF0\xF1\xF2\xF3\xF4\xF5\xF6\xF8\xF9\xFA\xFB\xFC\xFD\xFE\xFF"

/* Fields 1-5: what kind of file this is. */
static void
hdr_kind(struct chk *c)
{
	const struct chk_field *f;
	long v;

	f = hdr_text(c, 1, 4);
	if (!hdr_is(f, "EXTF") && !hdr_is(f, "DTVF"))
		chk_report(c, DATEV_CHECK_ERROR, 1, "expected \"EXTF\" (or "
		    "\"DTVF\" from DATEV itself)");
	if (hdr_num(c, 2, 0, 999, 1, &v) && v != 700)
		chk_report(c, DATEV_CHECK_ERROR, 2, "expected 700, the header "
		    "version DATEV takes, got %ld", v);
	c->rows_ok = hdr_num(c, 3, 0, 999, 1, &v) && v == 21;
	if (hf(c, 3) != NULL && !c->rows_ok)
		chk_report(c, DATEV_CHECK_ERROR, 3, "expected 21 "
		    "(Buchungsstapel), the only category checked here");
	f = hdr_text(c, 4, 40);
	if (!hdr_is(f, "Buchungsstapel"))
		chk_report(c, DATEV_CHECK_ERROR, 4, "expected "
		    "\"Buchungsstapel\"");
	v = 0;
	hdr_num(c, 5, 0, 999, 1, &v);
	c->ncols = v == 13 ? 125 : v == 12 ? 124 : v == 9 ? 120 : 0;
	if (c->ncols == 0)
		chk_report(c, DATEV_CHECK_ERROR, 5, "expected format version "
		    "13, 12 or 9, got %ld", v);
}

/* Field 6: JJJJMMTTHHMMSSFFF */
static void
hdr_created(struct chk *c)
{
	const struct chk_field *f = hf(c, 6);
	long ymd;

	if (f == NULL)
		return;
	if (f->quoted)
		chk_report(c, DATEV_CHECK_ERROR, 6, "a number in quotes");
	if (f->len != 17 || !chk_digits(f->text, 17, 17) ||
	    (f->text[8] - '0') * 10 + (f->text[9] - '0') > 23 ||
	    f->text[10] > '5' || f->text[12] > '5')
		chk_report(c, DATEV_CHECK_ERROR, 6, "expected 17 digits "
		    "JJJJMMTTHHMMSSFFF");
	else if (!chk_ymd8(f->text, 8, &ymd))
		chk_report(c, DATEV_CHECK_ERROR, 6, "not a real day");
}

/* Fields 7-12: who made it, for whom. */
static void
hdr_origin(struct chk *c)
{
	const struct chk_field *f;
	long v;

	f = hf(c, 7);
	if (f != NULL && f->len > 0)
		chk_report(c, DATEV_CHECK_WARNING, 7, "filled by DATEV on "
		    "import, expected empty");
	hdr_text(c, 8, 2);
	f = hdr_text(c, 9, 25);
	if (!hdr_charset(f, UPPER LOWER DIGITS "_"))
		chk_report(c, DATEV_CHECK_ERROR, 9, "letters, digits and '_' "
		    "only");
	hdr_text(c, 10, 25);
	hdr_num(c, 11, 1001, 9999999, 1, &v);
	hdr_num(c, 12, 1, 99999, 1, &v);
}

/* Fields 13-16: fiscal year, account length, period. */
static void
hdr_period(struct chk *c)
{
	long wj = 0, len = 0, next;
	int ok;

	ok = hdr_date(c, 13, &wj);
	if (hdr_num(c, 14, 4, 8, 1, &len))
		c->account_length = (int)len;
	ok = hdr_date(c, 15, &c->vom) && ok;
	ok = hdr_date(c, 16, &c->bis) && ok;
	if (!ok)
		return;
	next = wj + 10000;
	if (wj > c->vom)
		chk_report(c, DATEV_CHECK_ERROR, 15, "the period starts "
		    "before WJ-Beginn %ld", wj);
	if (c->vom > c->bis)
		chk_report(c, DATEV_CHECK_ERROR, 16, "Datum bis is before "
		    "Datum vom");
	if (c->bis >= next)
		chk_report(c, DATEV_CHECK_ERROR, 16, "the period runs into "
		    "the next fiscal year (from %ld); split the batch", next);
	if (c->vom / 100 != c->bis / 100)
		chk_report(c, DATEV_CHECK_WARNING, 16, "the period is longer "
		    "than a month; DATEV recommends one batch per month");
}

/* Fields 17-22: description, dictation, type, purpose, lock, currency. */
static void
hdr_batch(struct chk *c)
{
	const struct chk_field *f;
	long v;

	f = hdr_text(c, 17, 30);
	if (!hdr_charset(f, UPPER LOWER DIGITS LETTERS_HIGH " ./"))
		chk_report(c, DATEV_CHECK_ERROR, 17, "letters, digits, space, "
		    "'.' and '/' only");
	f = hdr_text(c, 18, 2);
	if (f != NULL && f->len > 0 && (f->len != 2 ||
	    !hdr_charset(f, UPPER)))
		chk_report(c, DATEV_CHECK_ERROR, 18, "expected two capital "
		    "letters or nothing");
	if (hdr_num(c, 19, 0, 9, 1, &v) && v != 1 && v != 2)
		chk_report(c, DATEV_CHECK_ERROR, 19, "expected 1 "
		    "(Finanzbuchf\xC3\xBChrung) or 2 (Jahresabschluss)");
	if (hdr_num(c, 20, 0, 99, 0, &v) && v != 0 && v != 30 && v != 40 &&
	    v != 50 && v != 64)
		chk_report(c, DATEV_CHECK_ERROR, 20, "expected 0, 30, 40, 50 "
		    "or 64, got %ld", v);
	f = hf(c, 21);
	if (f != NULL && f->len == 0)
		chk_report(c, DATEV_CHECK_WARNING, 21, "empty counts as 1: "
		    "the batch is locked after import");
	else if (hdr_num(c, 21, 0, 9, 0, &v) && v > 1)
		chk_report(c, DATEV_CHECK_ERROR, 21, "expected 0 or 1");
	f = hdr_text(c, 22, 3);
	snprintf(c->wkz, sizeof(c->wkz), "EUR");
	if (f != NULL && (f->len != 3 || !hdr_charset(f, UPPER)))
		chk_report(c, DATEV_CHECK_ERROR, 22, "expected a currency "
		    "code like \"EUR\"");
	else if (f != NULL)
		memcpy(c->wkz, f->text, 4);
}

/* Fields 23-31: reserved fields, chart, application. */
static void
hdr_rest(struct chk *c)
{
	static const int reserved[] = {23, 25, 26, 29};
	const struct chk_field *f;
	size_t i;
	long v;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++) {
		f = hf(c, reserved[i]);
		if (f != NULL && f->len > 0)
			chk_report(c, DATEV_CHECK_WARNING, reserved[i],
			    "reserved, expected empty");
	}
	f = hdr_text(c, 27, 2);
	if (f != NULL && f->len > 0 && (f->len != 2 ||
	    !hdr_charset(f, DIGITS)))
		chk_report(c, DATEV_CHECK_ERROR, 27, "expected two digits "
		    "like \"03\"");
	else if (f != NULL && f->len > 0 && !hdr_is(f, "03") &&
	    !hdr_is(f, "04"))
		chk_report(c, DATEV_CHECK_WARNING, 27, "kontor knows SKR03 "
		    "and SKR04 only");
	c->skr = hdr_is(f, "03") ? 3 : hdr_is(f, "04") ? 4 : 0;
	hdr_num(c, 28, 0, 9999, 0, &v);
	hdr_text(c, 31, 16);
}

void
chk_header(struct chk *c)
{
	if (c->nfield != 31)
		chk_report(c, DATEV_CHECK_ERROR, 0, "the header has %zu "
		    "fields, expected 31", c->nfield);
	hdr_kind(c);
	hdr_created(c);
	hdr_origin(c);
	hdr_period(c);
	hdr_batch(c);
	hdr_rest(c);
	if (c->account_length == 0 || c->vom == 0 || c->bis == 0 ||
	    c->ncols == 0)
		c->rows_ok = 0;
}

void
chk_finish(struct chk *c)
{
	long lines = c->line;

	c->line = 0;
	if (lines < 2)
		chk_report(c, DATEV_CHECK_ERROR, 0, "%s", lines == 0 ?
		    "the file is empty" : "no column names (line 2)");
	if (c->stats.n_rows > CHK_ROWS_WARN)
		chk_report(c, DATEV_CHECK_WARNING, 0, "%ld bookings in one "
		    "file; some importers stop at %d", c->stats.n_rows,
		    CHK_ROWS_WARN);
}

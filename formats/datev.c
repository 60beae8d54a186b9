#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "datev.h"
#include "dec.h"
#include "ktime.h"

#ifndef KONTOR_VERSION
#define KONTOR_VERSION	"0"
#endif

#define DATEV_ROWS_MAX	((size_t)16 << 20)	/* one invoice's rows */
#define DATEV_FIELD_MAX	4096			/* one encoded field */

/*
 * Column names of format version 13 (datev.md §3), in UTF-8.  The
 * numbered pairs (Beleginfo 21-36, Zusatzinformation 48-87) are made by
 * column_name.
 */
static const char *const column_names[DATEV_COLUMNS + 1] = {
	[1] = "Umsatz (ohne Soll/Haben-Kz)",
	[2] = "Soll/Haben-Kennzeichen",
	[3] = "WKZ Umsatz",
	[4] = "Kurs",
	[5] = "Basis-Umsatz",
	[6] = "WKZ Basis-Umsatz",
	[7] = "Konto",
	[8] = "Gegenkonto (ohne BU-Schl\xC3\xBCssel)",
	[9] = "BU-Schl\xC3\xBCssel",
	[10] = "Belegdatum",
	[11] = "Belegfeld 1",
	[12] = "Belegfeld 2",
	[13] = "Skonto",
	[14] = "Buchungstext",
	[15] = "Postensperre",
	[16] = "Diverse Adressnummer",
	[17] = "Gesch\xC3\xA4" "ftspartnerbank",
	[18] = "Sachverhalt",
	[19] = "Zinssperre",
	[20] = "Beleglink",
	[37] = "KOST1 - Kostenstelle",
	[38] = "KOST2 - Kostenstelle",
	[39] = "Kost-Menge",
	[40] = "EU-Land u. UStID (Bestimmung)",
	[41] = "EU-Steuersatz (Bestimmung)",
	[42] = "Abw. Versteuerungsart",
	[43] = "Sachverhalt L+L",
	[44] = "Funktionserg\xC3\xA4nzung L+L",
	[45] = "BU 49 Hauptfunktionstyp",
	[46] = "BU 49 Hauptfunktionsnummer",
	[47] = "BU 49 Funktionserg\xC3\xA4nzung",
	[88] = "St\xC3\xBC" "ck",
	[89] = "Gewicht",
	[90] = "Zahlweise",
	[91] = "Forderungsart",
	[92] = "Veranlagungsjahr",
	[93] = "Zugeordnete F\xC3\xA4lligkeit",
	[94] = "Skontotyp",
	[95] = "Auftragsnummer",
	[96] = "Buchungstyp",
	[97] = "USt-Schl\xC3\xBCssel (Anzahlungen)",
	[98] = "EU-Land (Anzahlungen)",
	[99] = "Sachverhalt L+L (Anzahlungen)",
	[100] = "EU-Steuersatz (Anzahlungen)",
	[101] = "Erl\xC3\xB6skonto (Anzahlungen)",
	[102] = "Herkunft-Kz",
	[103] = "Buchungs GUID",
	[104] = "KOST-Datum",
	[105] = "SEPA-Mandatsreferenz",
	[106] = "Skontosperre",
	[107] = "Gesellschaftername",
	[108] = "Beteiligtennummer",
	[109] = "Identifikationsnummer",
	[110] = "Zeichnernummer",
	[111] = "Postensperre bis",
	[112] = "Bezeichnung SoBil-Sachverhalt",
	[113] = "Kennzeichen SoBil-Buchung",
	[114] = "Festschreibung",
	[115] = "Leistungsdatum",
	[116] = "Datum Zuord. Steuerperiode",
	[117] = "F\xC3\xA4lligkeit",
	[118] = "Generalumkehr (GU)",
	[119] = "Steuersatz",
	[120] = "Land",
	[121] = "Abrechnungsreferenz",
	[122] = "BVV-Position",
	[123] = "EU-Land u. UStID (Ursprung)",
	[124] = "EU-Steuersatz (Ursprung)",
	[125] = "Abw. Skontokonto",
};

/* Text columns (datev.md §3 type T): quoted, "" when empty. */
static int
column_is_text(int col)
{
	static const unsigned char text[DATEV_COLUMNS + 1] = {
		[2] = 1, [3] = 1, [6] = 1, [9] = 1, [11] = 1, [12] = 1,
		[14] = 1, [16] = 1, [20] = 1, [37] = 1, [38] = 1, [40] = 1,
		[42] = 1, [91] = 1, [95] = 1, [96] = 1, [98] = 1, [102] = 1,
		[103] = 1, [105] = 1, [107] = 1, [109] = 1, [110] = 1,
		[112] = 1, [118] = 1, [120] = 1, [121] = 1, [123] = 1,
	};

	if ((col >= 21 && col <= 36) || (col >= 48 && col <= 87))
		return 1;
	return text[col];
}

static const char *
column_name(int col, char *buf, size_t size)
{
	if (col >= 21 && col <= 36)
		snprintf(buf, size, "Beleginfo - %s %d",
		    (col - 21) % 2 ? "Inhalt" : "Art", (col - 21) / 2 + 1);
	else if (col >= 48 && col <= 87)
		snprintf(buf, size, "Zusatzinformation - %s %d",
		    (col - 48) % 2 ? "Inhalt" : "Art", (col - 48) / 2 + 1);
	else
		snprintf(buf, size, "%s", column_names[col]);
	return buf;
}

/* Small checks and number formats */

static int
all_digits(const char *s, size_t min, size_t max)
{
	size_t n = strlen(s), i;

	if (n < min || n > max)
		return 0;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

static int
all_zero(const char *s)
{
	return s[strspn(s, "0")] == '\0';
}

static int
is_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static int
docno_char(unsigned char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '$' || ch == '%' || ch == '-' ||
	    ch == '/';
}

static int
days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* "YYYY-MM-DD" into "TTMM" (short) or "TTMMJJJJ"; 0 when not a date. */
static int
fmt_date(const char *iso, int with_year, char out[9])
{
	if (iso == NULL || !ktime_valid_date(iso))
		return 0;
	memcpy(out, iso + 8, 2);
	memcpy(out + 2, iso + 5, 2);
	if (with_year)
		memcpy(out + 4, iso, 4);
	out[with_year ? 8 : 4] = '\0';
	return 1;
}

/* A positive amount in hundredths as "1190,00". */
static void
fmt_amount(int64_t v, char out[32])
{
	char *point;

	_Static_assert(DEC_BUFSZ <= 32, "an amount's room");
	point = strchr(dec_format(v, 2, out), '.');
	if (point != NULL)
		*point = ',';
}

/* Writing one line */

struct line {
	struct buf *out;
	struct cp1252 *enc;
	struct kerr *e;
	int col;		/* the last column written */
	int rc;
};

static void
line_init(struct line *l, struct buf *out, struct cp1252 *enc,
    struct kerr *e)
{
	memset(l, 0, sizeof(*l));
	l->out = out;
	l->enc = enc;
	l->e = e;
}

static int
line_fail(struct line *l, int code, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
line_fail(struct line *l, int code, int col, const char *fmt, ...)
{
	char name[64];
	va_list ap;

	if (l->rc != KR_OK)
		return l->rc;
	va_start(ap, fmt);
	kerr_vset(l->e, code, column_name(col, name, sizeof(name)), fmt, ap);
	va_end(ap);
	l->rc = code;
	return code;
}

/* Adds bytes to the line; a full buffer fails the line. */
static void
line_add(struct line *l, const char *s, size_t n)
{
	if (l->rc == KR_OK && buf_add(l->out, s, n) != KR_OK)
		l->rc = kerr_set(l->e, KR_TOO_BIG, NULL, "bookings longer "
		    "than %zu bytes", l->out->cap_bytes);
}

/*
 * What every column writes when it is empty, its separator first, one
 * after the other: empty_at[c] is where column c's part starts, and
 * empty_at[DATEV_COLUMNS + 1] where the last one ends.  A row has 125
 * columns and fills a dozen, so the empty runs between them are copied
 * from here.
 */
static char empty_cols[3 * DATEV_COLUMNS];
static size_t empty_at[DATEV_COLUMNS + 2];

static void
empty_cols_make(void)
{
	size_t n = 0;
	int col;

	for (col = 1; col <= DATEV_COLUMNS; col++) {
		empty_at[col] = n;
		if (col > 1)
			empty_cols[n++] = ';';
		if (column_is_text(col)) {
			empty_cols[n++] = '"';
			empty_cols[n++] = '"';
		}
	}
	empty_at[DATEV_COLUMNS + 1] = n;
}

/* Writes the empty columns before col and the separator of col. */
static void
line_to(struct line *l, int col)
{
	size_t from, to;

	if (col <= l->col || col > DATEV_COLUMNS)
		KBUG("DATEV column %d after %d", col, l->col);
	if (empty_at[DATEV_COLUMNS + 1] == 0)
		empty_cols_make();
	from = empty_at[l->col + 1];
	to = empty_at[col];
	if (from < to)
		line_add(l, empty_cols + from, to - from);
	if (col > 1)
		line_add(l, ";", 1);
	l->col = col;
}

/* A number, amount or date: never quoted. */
static void
put_raw(struct line *l, int col, const char *s)
{
	if (l->rc != KR_OK || s == NULL || s[0] == '\0')
		return;
	line_to(l, col);
	line_add(l, s, strlen(s));
}

/*
 * 1 when s is the same in Windows-1252 and needs no quote doubled:
 * printable ASCII without '"', as most texts of a booking are.
 */
static int
text_plain(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++)
		if (u[i] < 0x20 || u[i] > 0x7e || u[i] == '"')
			return 0;
	return 1;
}

/* Doubles the quotes of the text written from start on. */
static void
double_quotes(struct line *l, size_t start)
{
	size_t n = l->out->len - start, i;
	char *text = xmalloc(n);

	memcpy(text, l->out->data + start, n);
	l->out->len = start;
	for (i = 0; i < n; i++) {
		if (text[i] == '"')
			line_add(l, "\"", 1);
		line_add(l, &text[i], 1);
	}
	free(text);
}

/*
 * A text: encoded, quoted, inner quotes doubled.  It is encoded into
 * the line itself: a refused text leaves the line failed, and a failed
 * line is taken back whole by line_end.
 */
static void
put_text(struct line *l, int col, const char *s, size_t max)
{
	char shown[48];
	size_t start, n;
	int plain;

	if (l->rc != KR_OK || s == NULL || s[0] == '\0')
		return;
	line_to(l, col);
	line_add(l, "\"", 1);
	if (l->rc != KR_OK)
		return;
	start = l->out->len;
	n = strlen(s);
	plain = text_plain(s, n);
	if (plain) {
		line_add(l, s, n);
	} else if (cp1252_add(l->enc, l->out, s, n, l->e) != KR_OK) {
		line_fail(l, KR_BAD_INPUT, col, "%s", l->e->msg);
		return;
	}
	n = l->out->len - start;
	if (n > DATEV_FIELD_MAX) {
		line_fail(l, KR_BAD_INPUT, col, "text too long for its "
		    "buffer");
		return;
	}
	if (n > max) {
		snprintf(shown, sizeof(shown), "%s", s);
		line_fail(l, KR_BAD_INPUT, col, "\"%s%s\" has %zu "
		    "characters, DATEV takes at most %zu", shown,
		    strlen(s) >= sizeof(shown) ? "..." : "", n, max);
		return;
	}
	if (!plain && memchr(l->out->data + start, '"', n) != NULL)
		double_quotes(l, start);
	line_add(l, "\"", 1);
}

static int
line_end(struct line *l, size_t start)
{
	if (l->rc == KR_OK && l->col < DATEV_COLUMNS) {
		line_to(l, DATEV_COLUMNS);
		if (column_is_text(DATEV_COLUMNS))
			line_add(l, "\"\"", 2);
	}
	line_add(l, "\r\n", 2);
	if (l->rc != KR_OK) {
		l->out->len = start;
		if (l->out->data != NULL)
			l->out->data[start] = '\0';
	}
	return l->rc;
}

/* The columns of a booking */

static void
put_amount(struct line *l, int col, int64_t v)
{
	char text[32];

	if (v <= 0)
		line_fail(l, KR_BAD_INPUT, col, "expected an amount above 0, "
		    "the side goes into Soll/Haben-Kennzeichen");
	else if (v > DATEV_AMOUNT_MAX)
		line_fail(l, KR_OVERFLOW, col, "amount beyond the ten "
		    "integer digits DATEV takes");
	fmt_amount(v, text);
	put_raw(l, col, text);
}

static void
put_currency(struct line *l, int col, const char *s)
{
	if (is_set(s) && (strlen(s) != 3 || strspn(s,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3))
		line_fail(l, KR_BAD_INPUT, col, "expected an ISO 4217 code "
		    "like \"EUR\", got \"%.10s\"", s);
	put_text(l, col, s, 3);
}

static void
put_account(struct line *l, int col, const char *s, int length)
{
	if (!is_set(s) || !all_digits(s, 1, (size_t)length + 1) ||
	    all_zero(s))
		line_fail(l, KR_BAD_INPUT, col, "expected an account of up to "
		    "%d digits, got \"%.20s\"", length + 1, s ? s : "");
	put_raw(l, col, s);
}

static void
put_date(struct line *l, int col, const char *iso, int with_year)
{
	char text[9];

	if (!is_set(iso))
		return;
	if (!fmt_date(iso, with_year, text))
		line_fail(l, KR_BAD_INPUT, col, "expected a date like "
		    "\"2026-10-12\", got \"%.20s\"", iso);
	put_raw(l, col, text);
}

static void
put_docno(struct line *l, int col, const char *s, size_t max)
{
	const char *p;

	for (p = s; is_set(s) && *p != '\0'; p++)
		if (!docno_char((unsigned char)*p))
			line_fail(l, KR_BAD_INPUT, col, "'%c' is not allowed "
			    "(A-Z a-z 0-9 $ %% - / only): \"%.40s\"", *p, s);
	put_text(l, col, s, max);
}

static void
put_rate(struct line *l, int col, int64_t rate_e6)
{
	char text[32];

	if (rate_e6 <= 0 || rate_e6 > DATEV_RATE_MAX) {
		line_fail(l, KR_BAD_INPUT, col, "expected a rate above 0 with "
		    "at most four integer digits");
		return;
	}
	snprintf(text, sizeof(text), "%" PRId64 ",%06" PRId64,
	    rate_e6 / 1000000, rate_e6 % 1000000);
	put_raw(l, col, text);
}

/* Columns 3-6: foreign currency needs Kurs and Basis-Umsatz. */
static void
put_currency_block(struct line *l, const struct datev_row *r)
{
	int foreign = is_set(r->currency) && strcmp(r->currency, "EUR") != 0;

	put_currency(l, 3, r->currency);
	if (foreign && (r->rate_e6 == 0 || r->base_minor == 0 ||
	    !is_set(r->base_currency)))
		line_fail(l, KR_BAD_INPUT, 4, "a foreign currency needs Kurs, "
		    "Basis-Umsatz and WKZ Basis-Umsatz");
	if (r->rate_e6 != 0)
		put_rate(l, 4, r->rate_e6);
	if ((r->base_minor != 0) != is_set(r->base_currency))
		line_fail(l, KR_BAD_INPUT, 5, "Basis-Umsatz and WKZ "
		    "Basis-Umsatz go together");
	if (r->base_minor != 0)
		put_amount(l, 5, r->base_minor);
	put_currency(l, 6, r->base_currency);
}

static void
put_info(struct line *l, const struct datev_row *r)
{
	int i;

	for (i = 0; i < DATEV_BELEGINFO; i++) {
		const struct datev_info *in = &r->info[i];

		if (is_set(in->kind) != is_set(in->content))
			line_fail(l, KR_BAD_INPUT, 21 + 2 * i,
			    "Beleginfo - Art and Inhalt go together");
		put_text(l, 21 + 2 * i, in->kind, 20);
		put_text(l, 22 + 2 * i, in->content, 210);
	}
}

static void
put_eu(struct line *l, const struct datev_row *r)
{
	char text[48];

	put_text(l, 40, r->eu_dest, 15);
	if (!r->has_eu_rate)
		return;
	if (!is_set(r->eu_dest))
		line_fail(l, KR_BAD_INPUT, 41, "an EU rate needs its EU-Land");
	if (r->eu_rate_bp < 0 || r->eu_rate_bp >= 10000)
		line_fail(l, KR_BAD_INPUT, 41, "expected a rate from 0 to "
		    "99.99 %%");
	snprintf(text, sizeof(text), "%02" PRId64 ",%02" PRId64,
	    r->eu_rate_bp / 100, r->eu_rate_bp % 100);
	put_raw(l, 41, text);
}

static void
put_head(struct line *l, const struct datev_row *r, int length)
{
	char side[2] = { r->side, '\0' };

	put_amount(l, 1, r->amount_minor);
	if (r->side != 'S' && r->side != 'H')
		line_fail(l, KR_BAD_INPUT, 2, "expected 'S' or 'H'");
	put_text(l, 2, side, 1);
	put_currency_block(l, r);
	put_account(l, 7, r->account, length);
	put_account(l, 8, r->contra, length);
	if (is_set(r->tax_key) && !all_digits(r->tax_key, 1, 4))
		line_fail(l, KR_BAD_INPUT, 9, "expected a key of up to four "
		    "digits, got \"%.10s\"", r->tax_key);
	put_text(l, 9, r->tax_key, 4);
	if (!is_set(r->doc_date))
		line_fail(l, KR_BAD_INPUT, 10, "a booking needs its date");
	put_date(l, 10, r->doc_date, 0);
	put_docno(l, 11, r->doc_no, DATEV_DOCNO_MAX);
	put_docno(l, 12, r->doc_no2, DATEV_DOCNO2_MAX);
	put_text(l, 14, r->text, DATEV_TEXT_MAX);
}

int
datev_row_format(const struct datev_row *r, int account_length,
    struct cp1252 *enc, struct buf *out, struct kerr *e)
{
	size_t start = out->len;
	struct line l;

	line_init(&l, out, enc, e);
	put_head(&l, r, account_length);
	put_info(&l, r);
	put_eu(&l, r);
	put_text(&l, 95, r->order_no, DATEV_ORDER_MAX);
	if (is_set(r->supply_date) && !is_set(r->period_date))
		line_fail(&l, KR_BAD_INPUT, 116, "Leistungsdatum needs Datum "
		    "Zuord. Steuerperiode");
	put_date(&l, 115, r->supply_date, 1);
	put_date(&l, 116, r->period_date, 1);
	put_text(&l, 118, r->reversal ? "1" : "0", 1);
	put_text(&l, 123, r->eu_origin, 15);
	return line_end(&l, start);
}

/* Header and column names */

int
datev_names_format(struct cp1252 *enc, struct buf *out, struct kerr *e)
{
	char name[64];
	int col, rc;

	for (col = 1; col <= DATEV_COLUMNS; col++) {
		if (col > 1)
			buf_addc(out, ';');
		column_name(col, name, sizeof(name));
		rc = cp1252_add(enc, out, name, strlen(name), e);
		if (rc != KR_OK)
			return rc;
	}
	return buf_adds(out, "\r\n");
}

/* The first day of the fiscal year that holds month m of year y. */
static void
fiscal_year_start(const struct config *cfg, int y, int m, char out[9])
{
	if (m < cfg->fy_start_month)
		y--;
	snprintf(out, 9, "%04d%02d%02d", y, cfg->fy_start_month,
	    cfg->fy_start_day);
}

static int
parse_month(const char *month, int *y, int *m)
{
	char day[11];

	if (month == NULL || strlen(month) != 7)
		return 0;
	snprintf(day, sizeof(day), "%s-01", month);
	if (!ktime_valid_date(day))
		return 0;
	*y = atoi(month);
	*m = atoi(month + 5);
	return 1;
}

int
datev_header_format(const struct config *cfg, const char *month,
    time_t created, struct buf *out, struct kerr *e)
{
	char fy[9], made[80];
	struct tm tm;
	int y, m;

	if (!parse_month(month, &y, &m))
		return kerr_set(e, KR_BAD_INPUT, NULL, "expected a month like "
		    "\"2026-10\", got \"%s\"", month ? month : "");
	fiscal_year_start(cfg, y, m, fy);
	ktime_local(created, &tm);
	snprintf(made, sizeof(made), "%04d%02d%02d%02d%02d%02d000",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
	    tm.tm_min, tm.tm_sec);
	return buf_printf(out, "\"EXTF\";700;21;\"Buchungsstapel\";%d;%s;;"
	    "\"KT\";\"%s\";\"\";%ld;%ld;%s;%d;%04d%02d01;%04d%02d%02d;"
	    "\"Rechnungsausgang %02d/%04d\";\"%s\";1;0;0;\"EUR\";;\"\";;;"
	    "\"0%d\";;;\"\";\"kontor %s\"\r\n", DATEV_FORMAT_VERSION, made,
	    cfg->exported_by, cfg->consultant, cfg->client, fy,
	    cfg->account_length, y, m, y, m, days_in_month(y, m), m, y,
	    cfg->dictation ? cfg->dictation : "", cfg->chart,
	    KONTOR_VERSION);
}

void
datev_file_name(const char *month, char *out, size_t size)
{
	snprintf(out, size, "EXTF_Buchungsstapel_%s.csv", month);
}

int
datev_docno_map(const char *s, size_t max, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	for (; *p != '\0'; p++) {
		char c;

		if (*p >= 0x80 && *p < 0xC0)
			continue;	/* continuation of a multi-byte one */
		c = docno_char(*p) ? (char)*p : '-';
		if (n + 1 < size)
			out[n] = c;
		n++;
	}
	out[n + 1 < size ? n : size - 1] = '\0';
	return n > max || n >= size ? KR_TOO_BIG : KR_OK;
}

/* The writer */

/*
 * The configuration's own checks (config_load) refuse all of this
 * already; these are a second line for a config made some other way.
 */
_Static_assert(CONFIG_NUMBER_MAX == DATEV_DOCNO_MAX,
    "invoice numbers must fit Belegfeld 1");
_Static_assert(CONFIG_TEXT_MAX == DATEV_TEXT_MAX, "Buchungstext");

static int
check_header_settings(const struct config *cfg, struct kerr *e)
{
	const char *d = cfg->dictation ? cfg->dictation : "";
	const char *x = cfg->exported_by;

	if (cfg->fy_start_day != 1)
		return kerr_set(e, KR_CONFIG, "datev.fiscal_year_start",
		    "kontor writes one batch per month and needs a fiscal "
		    "year that starts on the first of a month, got %02d-%02d",
		    cfg->fy_start_month, cfg->fy_start_day);
	if (x == NULL || x[0] == '\0' || strlen(x) > CONFIG_EXPORTED_BY_MAX ||
	    strspn(x, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789_") != strlen(x))
		return kerr_set(e, KR_CONFIG, "datev.exported_by", "expected "
		    "up to %d letters, digits or '_', got \"%s\"",
		    CONFIG_EXPORTED_BY_MAX, x ? x : "");
	if (d[0] != '\0' && (strlen(d) != 2 || strspn(d,
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 2))
		return kerr_set(e, KR_CONFIG, "datev.dictation", "expected "
		    "two capital letters or nothing, got \"%s\"", d);
	if (cfg->account_length < 4 || cfg->account_length > 8 ||
	    (cfg->chart != 3 && cfg->chart != 4))
		return kerr_set(e, KR_CONFIG, "datev.account_length",
		    "expected an account length of 4 to 8 and SKR03 or SKR04");
	return KR_OK;
}

/* Shop names in Windows-1252, as they go into the Buchungstext. */
static int
check_shop_names(const struct config *cfg, struct cp1252 *enc,
    struct kerr *e)
{
	struct buf b;
	size_t i, len;
	int rc = KR_OK;

	buf_init(&b, DATEV_FIELD_MAX);
	for (i = 0; i < cfg->nshops && rc == KR_OK; i++) {
		const char *name = cfg->shops[i].name;

		if (name == NULL)
			continue;
		buf_reset(&b);
		rc = cp1252_add(enc, &b, name, strlen(name), e);
		len = b.len;
		if (rc == KR_OK && len > CONFIG_SHOP_NAME_MAX)
			rc = kerr_set(e, KR_CONFIG, "", "shop %s: name: "
			    "\"%s\" has %zu characters in DATEV, at most %d "
			    "leave room for the order number in the "
			    "Buchungstext", cfg->shops[i].id, name, len,
			    CONFIG_SHOP_NAME_MAX);
	}
	buf_release(&b);
	cp1252_reset_counts(enc);
	return rc;
}

int
datev_writer_init(struct datev_writer *w, const struct config *cfg,
    const struct datev_sink *sink, time_t created, struct kerr *e)
{
	int rc;

	memset(w, 0, sizeof(*w));
	rc = check_header_settings(cfg, e);
	if (rc != KR_OK)
		return rc;
	rc = cp1252_init(&w->enc, e);
	if (rc != KR_OK)
		return rc;
	rc = check_shop_names(cfg, &w->enc, e);
	if (rc != KR_OK) {
		cp1252_release(&w->enc);
		return rc;
	}
	w->cfg = cfg;
	w->sink = sink;
	w->created = created;
	buf_init(&w->rows, DATEV_ROWS_MAX);
	return KR_OK;
}

void
datev_writer_release(struct datev_writer *w)
{
	size_t i;

	for (i = 0; i < w->nbatch; i++)
		if (w->batch[i].fp != NULL)
			w->sink->discard(w->sink->arg, w->batch[i].fp,
			    w->batch[i].name);
	free(w->batch);
	buf_release(&w->rows);
	cp1252_release(&w->enc);
	memset(w, 0, sizeof(*w));
}

/* Writes header and names into a new batch's file. */
static int
batch_start(struct datev_writer *w, struct datev_batch *b, struct kerr *e)
{
	struct buf head;
	int rc;

	buf_init(&head, 0);
	rc = datev_header_format(w->cfg, b->month, w->created, &head, e);
	if (rc == KR_OK)
		rc = datev_names_format(&w->enc, &head, e);
	if (rc == KR_OK && fwrite(head.data, 1, head.len, b->fp) != head.len)
		rc = kerr_set(e, KR_IO, NULL, "%s: cannot write: %s",
		    b->name, strerror(errno));
	buf_release(&head);
	return rc;
}

/* The batch of month, opened through the sink when it is new. */
static int
batch_get(struct datev_writer *w, const char *month, struct datev_batch **out,
    struct kerr *e)
{
	struct datev_batch b;
	size_t i;
	int rc;

	for (i = 0; i < w->nbatch; i++) {
		if (strcmp(w->batch[i].month, month) != 0)
			continue;
		*out = &w->batch[i];
		if (w->batch[i].fp == NULL)
			return kerr_set(e, KR_IO, NULL, "%s: no longer open",
			    w->batch[i].name);
		return KR_OK;
	}
	memset(&b, 0, sizeof(b));
	snprintf(b.month, sizeof(b.month), "%s", month);
	datev_file_name(month, b.name, sizeof(b.name));
	rc = w->sink->open(w->sink->arg, b.name, &b.fp, e);
	if (rc != KR_OK)
		return rc;
	rc = batch_start(w, &b, e);
	if (rc != KR_OK) {
		w->sink->discard(w->sink->arg, b.fp, b.name);
		return rc;
	}
	w->batch = xreallocarray(w->batch, w->nbatch + 1, sizeof(b));
	w->batch[w->nbatch] = b;
	*out = &w->batch[w->nbatch++];
	return KR_OK;
}

/* Formats rows into w->rows; every row must be of the same month. */
static int
rows_format(struct datev_writer *w, const struct datev_row *rows, size_t n,
    char month[DATEV_MONTH_MAX], struct kerr *e)
{
	size_t i;
	int rc;

	buf_reset(&w->rows);
	for (i = 0; i < n; i++) {
		if (rows[i].doc_date == NULL ||
		    !ktime_valid_date(rows[i].doc_date))
			return kerr_set(e, KR_BAD_INPUT, "Belegdatum",
			    "expected a date like \"2026-10-12\", got "
			    "\"%.20s\"", rows[i].doc_date ? rows[i].doc_date :
			    "");
		if (i == 0) {
			/* A valid date: "YYYY-MM" are its first 7 bytes. */
			memcpy(month, rows[i].doc_date, 7);
			month[7] = '\0';
		} else if (strncmp(month, rows[i].doc_date, 7) != 0)
			KBUG("rows of one call span two months");
		rc = datev_row_format(&rows[i], w->cfg->account_length,
		    &w->enc, &w->rows, e);
		if (rc != KR_OK)
			return rc;
	}
	return KR_OK;
}

int
datev_writer_add_rows(struct datev_writer *w, const struct datev_row *rows,
    size_t n, struct datev_note *note, struct kerr *e)
{
	long translit = w->enc.n_translit, control = w->enc.n_control;
	char month[DATEV_MONTH_MAX] = "";
	struct datev_batch *b = NULL;
	int rc;

	rc = rows_format(w, rows, n, month, e);
	if (rc == KR_OK && n > 0)
		rc = batch_get(w, month, &b, e);
	if (rc == KR_OK && b != NULL && fwrite(w->rows.data, 1, w->rows.len,
	    b->fp) != w->rows.len) {
		int saved = errno;

		/* A batch with half a row in it must never be finished. */
		w->sink->discard(w->sink->arg, b->fp, b->name);
		b->fp = NULL;
		rc = kerr_set(e, KR_IO, NULL, "%s: cannot write: %s", b->name,
		    strerror(saved));
	}
	if (rc != KR_OK) {
		w->enc.n_translit = translit;
		w->enc.n_control = control;
		return rc;
	}
	if (b != NULL)
		b->n_rows += (long)n;
	w->n_rows += (long)n;
	w->n_translit += w->enc.n_translit - translit;
	w->n_control += w->enc.n_control - control;
	if (note != NULL) {
		note->n_rows = (long)n;
		note->n_translit = w->enc.n_translit - translit;
		note->n_control = w->enc.n_control - control;
		note->file = b != NULL ? b->name : NULL;
	}
	return KR_OK;
}

int
datev_writer_finish(struct datev_writer *w, struct kerr *e)
{
	int first = KR_OK;
	size_t i;

	for (i = 0; i < w->nbatch; i++) {
		struct datev_batch *b = &w->batch[i];
		struct kerr e2;
		int rc;

		if (b->fp == NULL)
			continue;
		kerr_clear(&e2);
		rc = w->sink->close(w->sink->arg, b->fp, b->name, &e2);
		b->fp = NULL;
		b->done = rc == KR_OK;
		if (rc != KR_OK && first == KR_OK) {
			first = rc;
			if (e != NULL)
				*e = e2;
		}
	}
	return first;
}

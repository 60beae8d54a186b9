/*
 * The DATEV file checker: column names (line 2) and booking rows, each
 * column against its type and length in datev.md §3 and the rules of
 * §4.  Names are held in Windows-1252, as they stand in the file.
 */
#include <stdlib.h>
#include <string.h>

#include "datev_check_int.h"

enum kind {
	K_TEXT,		/* T(len) */
	K_AMOUNT,	/* A(len): len integer digits, two decimals, > 0 */
	K_NUM,		/* N(len) */
	K_DATE,		/* TTMMJJJJ */
	K_FLAG,		/* 0 or 1 */
	K_DEC,		/* up to len integer digits, up to dec decimals */
	K_PCT,		/* NN,NN */
	K_SIDE,		/* "S" or "H" */
	K_CUR,		/* three capitals */
	K_ACCT,		/* up to account length + 1 digits, not 0 */
	K_KEY,		/* up to four digits, as text */
	K_TTMM,		/* Belegdatum */
	K_DOCNO,	/* Belegfeld: A-Z a-z 0-9 $ % - / */
	K_KURS,		/* 1234,123456 */
	K_GU,		/* "0" or "1", as text */
	K_VTYPE		/* "I", "K", "P" or "S" */
};

struct colspec {
	const char *name;
	unsigned char kind;
	unsigned short len;
	unsigned char dec;
};

static const struct colspec fixed[126] = {
	[1] = {"Umsatz (ohne Soll/Haben-Kz)", K_AMOUNT, 10, 2},
	[2] = {"Soll/Haben-Kennzeichen", K_SIDE, 1, 0},
	[3] = {"WKZ Umsatz", K_CUR, 3, 0},
	[4] = {"Kurs", K_KURS, 4, 6},
	[5] = {"Basis-Umsatz", K_AMOUNT, 10, 2},
	[6] = {"WKZ Basis-Umsatz", K_CUR, 3, 0},
	[7] = {"Konto", K_ACCT, 9, 0},
	[8] = {"Gegenkonto (ohne BU-Schl\xFCssel)", K_ACCT, 9, 0},
	[9] = {"BU-Schl\xFCssel", K_KEY, 4, 0},
	[10] = {"Belegdatum", K_TTMM, 4, 0},
	[11] = {"Belegfeld 1", K_DOCNO, 36, 0},
	[12] = {"Belegfeld 2", K_DOCNO, 12, 0},
	[13] = {"Skonto", K_AMOUNT, 8, 2},
	[14] = {"Buchungstext", K_TEXT, 60, 0},
	[15] = {"Postensperre", K_FLAG, 1, 0},
	[16] = {"Diverse Adressnummer", K_TEXT, 9, 0},
	[17] = {"Gesch\xE4" "ftspartnerbank", K_NUM, 3, 0},
	[18] = {"Sachverhalt", K_NUM, 2, 0},
	[19] = {"Zinssperre", K_FLAG, 1, 0},
	[20] = {"Beleglink", K_TEXT, 210, 0},
	[37] = {"KOST1 - Kostenstelle", K_TEXT, 36, 0},
	[38] = {"KOST2 - Kostenstelle", K_TEXT, 36, 0},
	[39] = {"Kost-Menge", K_DEC, 12, 4},
	[40] = {"EU-Land u. UStID (Bestimmung)", K_TEXT, 15, 0},
	[41] = {"EU-Steuersatz (Bestimmung)", K_PCT, 2, 2},
	[42] = {"Abw. Versteuerungsart", K_VTYPE, 1, 0},
	[43] = {"Sachverhalt L+L", K_NUM, 3, 0},
	[44] = {"Funktionserg\xE4nzung L+L", K_NUM, 3, 0},
	[45] = {"BU 49 Hauptfunktionstyp", K_NUM, 1, 0},
	[46] = {"BU 49 Hauptfunktionsnummer", K_NUM, 2, 0},
	[47] = {"BU 49 Funktionserg\xE4nzung", K_NUM, 3, 0},
	[88] = {"St\xFC" "ck", K_NUM, 8, 0},
	[89] = {"Gewicht", K_DEC, 8, 2},
	[90] = {"Zahlweise", K_NUM, 2, 0},
	[91] = {"Forderungsart", K_TEXT, 10, 0},
	[92] = {"Veranlagungsjahr", K_NUM, 4, 0},
	[93] = {"Zugeordnete F\xE4lligkeit", K_DATE, 8, 0},
	[94] = {"Skontotyp", K_NUM, 1, 0},
	[95] = {"Auftragsnummer", K_TEXT, 30, 0},
	[96] = {"Buchungstyp", K_TEXT, 2, 0},
	[97] = {"USt-Schl\xFCssel (Anzahlungen)", K_NUM, 4, 0},
	[98] = {"EU-Land (Anzahlungen)", K_TEXT, 2, 0},
	[99] = {"Sachverhalt L+L (Anzahlungen)", K_NUM, 3, 0},
	[100] = {"EU-Steuersatz (Anzahlungen)", K_PCT, 2, 2},
	[101] = {"Erl\xF6skonto (Anzahlungen)", K_NUM, 8, 0},
	[102] = {"Herkunft-Kz", K_TEXT, 2, 0},
	[103] = {"Buchungs GUID", K_TEXT, 36, 0},
	[104] = {"KOST-Datum", K_DATE, 8, 0},
	[105] = {"SEPA-Mandatsreferenz", K_TEXT, 35, 0},
	[106] = {"Skontosperre", K_FLAG, 1, 0},
	[107] = {"Gesellschaftername", K_TEXT, 76, 0},
	[108] = {"Beteiligtennummer", K_NUM, 4, 0},
	[109] = {"Identifikationsnummer", K_TEXT, 11, 0},
	[110] = {"Zeichnernummer", K_TEXT, 20, 0},
	[111] = {"Postensperre bis", K_DATE, 8, 0},
	[112] = {"Bezeichnung SoBil-Sachverhalt", K_TEXT, 30, 0},
	[113] = {"Kennzeichen SoBil-Buchung", K_NUM, 2, 0},
	[114] = {"Festschreibung", K_FLAG, 1, 0},
	[115] = {"Leistungsdatum", K_DATE, 8, 0},
	[116] = {"Datum Zuord. Steuerperiode", K_DATE, 8, 0},
	[117] = {"F\xE4lligkeit", K_DATE, 8, 0},
	[118] = {"Generalumkehr (GU)", K_GU, 1, 0},
	[119] = {"Steuersatz", K_DEC, 2, 2},
	[120] = {"Land", K_TEXT, 2, 0},
	[121] = {"Abrechnungsreferenz", K_TEXT, 50, 0},
	[122] = {"BVV-Position", K_NUM, 1, 0},
	[123] = {"EU-Land u. UStID (Ursprung)", K_TEXT, 15, 0},
	[124] = {"EU-Steuersatz (Ursprung)", K_PCT, 2, 2},
	[125] = {"Abw. Skontokonto", K_NUM, 9, 0},
};

/* Names of the numbered pairs, built once. */
static char pair_names[126][32];

/* The spec of a column, pairs included. */
static struct colspec
spec_of(int col)
{
	struct colspec s = fixed[col];
	int first, odd;

	if ((col >= 21 && col <= 36) || (col >= 48 && col <= 87)) {
		first = col <= 36 ? 21 : 48;
		odd = (col - first) % 2;
		snprintf(pair_names[col], sizeof(pair_names[col]),
		    "%s - %s %d", first == 21 ? "Beleginfo" :
		    "Zusatzinformation", odd ? "Inhalt" : "Art",
		    (col - first) / 2 + 1);
		s.name = pair_names[col];
		s.kind = K_TEXT;
		s.len = odd ? 210 : 20;
	}
	return s;
}

const char *
chk_column_name(int col)
{
	if (col < 1 || col > 125)
		return NULL;
	return spec_of(col).name;
}

/* Line 2: the column names */

/* Drops spaces and reads an en dash as '-', for comparing names. */
static void
name_key(const char *s, size_t len, char *out, size_t size)
{
	size_t i, n = 0;

	for (i = 0; i < len && n + 1 < size; i++) {
		if (s[i] == ' ')
			continue;
		out[n++] = (unsigned char)s[i] == 0x96 ? '-' : s[i];
	}
	out[n] = '\0';
}

/* Spellings seen in files that import (datev.md §3). */
static int
name_alias(int col, const char *got)
{
	static const struct {
		int col;
		const char *name;
	} alias[] = {
		{5, "Basisumsatz"}, {40, "EU-Landu.UStID"},
		{41, "EU-Steuersatz"}, {98, "EU-Mitgliedstaat(Anzahlungen)"},
		{103, "Leerfeld"}, {118, "Generalumkehr"},
	};
	size_t i;

	for (i = 0; i < sizeof(alias) / sizeof(alias[0]); i++)
		if (alias[i].col == col && strcmp(alias[i].name, got) == 0)
			return 1;
	return 0;
}

void
chk_names(struct chk *c)
{
	char want[128], got[256], q[300];
	size_t i;

	if (c->ncols > 0 && c->nfield != (size_t)c->ncols)
		chk_report(c, DATEV_CHECK_ERROR, 0, "%zu column names, format "
		    "version %s has %d", c->nfield, c->ncols == 125 ? "13" :
		    c->ncols == 124 ? "12" : "9", c->ncols);
	for (i = 0; i < c->nfield && i < 125; i++) {
		const struct chk_field *f = &c->field[i];
		const char *name = chk_column_name((int)i + 1);

		name_key(name, strlen(name), want, sizeof(want));
		name_key(f->text, f->len, got, sizeof(got));
		if (strcmp(want, got) == 0 || name_alias((int)i + 1, got))
			continue;
		chk_report(c, DATEV_CHECK_WARNING, (int)i + 1, "named %s; "
		    "DATEV reads columns by position", chk_quote(f, q,
		    sizeof(q)));
	}
}

/* Booking rows: one column by its type */

static int
empty(const struct chk *c, int col)
{
	return (size_t)col > c->nfield || c->field[col - 1].len == 0;
}

static const struct chk_field *
fld(const struct chk *c, int col)
{
	return &c->field[col - 1];
}

/* digits{1,ilen},digits{dmin..dmax} */
static int
decimal_ok(const char *s, size_t len, int ilen, int dmin, int dmax)
{
	const char *comma = memchr(s, ',', len);
	size_t ni, nd;

	if (comma == NULL)
		return dmin == 0 && chk_digits(s, len, (size_t)ilen);
	ni = (size_t)(comma - s);
	nd = len - ni - 1;
	return chk_digits(s, ni, (size_t)ilen) && (int)nd >= dmin &&
	    (int)nd <= dmax && (nd == 0 || chk_digits(comma + 1, nd, nd));
}

static int
all_zero(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (s[i] != '0' && s[i] != ',')
			return 0;
	return 1;
}

static void
check_ttmm(struct chk *c, int col, const struct chk_field *f)
{
	int d, m, y, ok = 0;
	long ymd;

	if (!chk_digits(f->text, f->len, 4) || f->len != 4) {
		chk_report(c, DATEV_CHECK_ERROR, col, "expected TTMM");
		return;
	}
	d = (f->text[0] - '0') * 10 + (f->text[1] - '0');
	m = (f->text[2] - '0') * 10 + (f->text[3] - '0');
	/* The year comes from the header's period; try both of its ends. */
	for (y = (int)(c->vom / 10000); y <= (int)(c->bis / 10000); y++) {
		if (m < 1 || m > 12 || d < 1 || d > chk_days(y, m))
			continue;
		ymd = (long)y * 10000 + m * 100 + d;
		if (ymd >= c->vom && ymd <= c->bis)
			ok = 1;
	}
	if (!ok)
		chk_report(c, DATEV_CHECK_ERROR, col, "%.4s is not a day "
		    "from Datum vom %ld to Datum bis %ld", f->text, c->vom,
		    c->bis);
}

static void
check_text_kind(struct chk *c, int col, const struct colspec *s,
    const struct chk_field *f)
{
	static const char docno[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789$%-/";
	char q[80];
	int bad = 0;

	if (!f->quoted)
		chk_report(c, DATEV_CHECK_WARNING, col, "text without quotes");
	if (f->len > s->len) {
		chk_report(c, DATEV_CHECK_ERROR, col, "%zu characters, at "
		    "most %u allowed", f->len, s->len);
		return;
	}
	if (s->kind == K_SIDE)
		bad = strcmp(f->text, "S") != 0 && strcmp(f->text, "H") != 0;
	else if (s->kind == K_CUR)
		bad = f->len != 3 || strspn(f->text,
		    "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3;
	else if (s->kind == K_KEY)
		bad = !chk_digits(f->text, f->len, 4);
	else if (s->kind == K_GU)
		bad = strcmp(f->text, "0") != 0 && strcmp(f->text, "1") != 0;
	else if (s->kind == K_VTYPE)
		bad = f->len != 1 || strchr("IKPS", f->text[0]) == NULL;
	else if (s->kind == K_DOCNO && strspn(f->text, docno) != f->len)
		chk_report(c, DATEV_CHECK_ERROR, col, "%s: A-Z a-z 0-9 $ %% "
		    "- / only", chk_quote(f, q, sizeof(q)));
	if (bad)
		chk_report(c, DATEV_CHECK_ERROR, col, "%s is not allowed here",
		    chk_quote(f, q, sizeof(q)));
}

static const char *
number_hint(const struct colspec *s)
{
	switch (s->kind) {
	case K_AMOUNT:
		return "expected an amount above 0 like 1190,00 (decimal "
		    "comma, two decimals, no sign, no thousands separator)";
	case K_DATE:
		return "expected a date TTMMJJJJ";
	case K_ACCT:
		return "expected an account of at most Sachkontenl\xC3\xA4nge "
		    "+ 1 digits, not 0";
	case K_KURS:
		return "expected a rate like 1,240402, not 0";
	case K_PCT:
		return "expected a rate like 19,00 or 05,50";
	case K_FLAG:
		return "expected 0 or 1";
	default:
		return "not a number of the expected form";
	}
}

static void
check_number_kind(struct chk *c, int col, const struct colspec *s,
    const struct chk_field *f)
{
	const char *t = f->text;
	size_t n = f->len;
	long ymd;
	int ok = 1;

	if (f->quoted)
		chk_report(c, DATEV_CHECK_ERROR, col, "a number in quotes");
	switch (s->kind) {
	case K_AMOUNT:
		ok = decimal_ok(t, n, s->len, 2, 2) && !all_zero(t, n);
		break;
	case K_NUM:
		ok = chk_digits(t, n, s->len);
		break;
	case K_DATE:
		ok = chk_date8(t, n, &ymd);
		break;
	case K_FLAG:
		ok = n == 1 && (t[0] == '0' || t[0] == '1');
		break;
	case K_DEC:
		ok = decimal_ok(t, n, s->len, 0, s->dec);
		break;
	case K_PCT:
		ok = n == 5 && decimal_ok(t, n, 2, 2, 2);
		break;
	case K_KURS:
		ok = decimal_ok(t, n, 4, 2, 6) && !all_zero(t, n);
		break;
	case K_ACCT:
		ok = chk_digits(t, n, (size_t)c->account_length + 1) &&
		    !all_zero(t, n);
		break;
	case K_TTMM:
		check_ttmm(c, col, f);
		return;
	}
	if (!ok)
		chk_report(c, DATEV_CHECK_ERROR, col, "%s", number_hint(s));
}

static void
check_column(struct chk *c, int col)
{
	struct colspec s = spec_of(col);
	const struct chk_field *f = fld(c, col);

	if (f->len == 0) {
		if (f->quoted && s.kind != K_TEXT && s.kind != K_SIDE &&
		    s.kind != K_CUR && s.kind != K_KEY && s.kind != K_DOCNO &&
		    s.kind != K_GU && s.kind != K_VTYPE)
			chk_report(c, DATEV_CHECK_WARNING, col, "an empty "
			    "number in quotes");
		return;
	}
	switch (s.kind) {
	case K_TEXT: case K_SIDE: case K_CUR: case K_KEY: case K_DOCNO:
	case K_GU: case K_VTYPE:
		check_text_kind(c, col, &s, f);
		break;
	default:
		check_number_kind(c, col, &s, f);
	}
}

/* Booking rows: rules across columns */

static void
need(struct chk *c, int col, int other, int severity, const char *why)
{
	if (!empty(c, col) && empty(c, other))
		chk_report(c, severity, other, "empty, but %s", why);
}

static void
check_required(struct chk *c)
{
	static const int required[] = {1, 2, 7, 8, 10};
	size_t i;

	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++)
		if (empty(c, required[i]))
			chk_report(c, DATEV_CHECK_ERROR, required[i],
			    "required in every booking");
}

/*
 * digits[,digits] with at most scale decimals into *v at that scale;
 * 0 when it is not such a number (the column's own check says why).
 */
static int
fixed_value(const struct chk_field *f, int scale, __int128 *v)
{
	size_t i;
	int dec = -1;

	*v = 0;
	if (f->len == 0 || f->len > 24)
		return 0;
	for (i = 0; i < f->len; i++) {
		if (f->text[i] == ',' && dec < 0) {
			dec = 0;
			continue;
		}
		if (f->text[i] < '0' || f->text[i] > '9' || dec >= scale)
			return 0;
		*v = *v * 10 + (f->text[i] - '0');
		if (dec >= 0)
			dec++;
	}
	for (dec = dec < 0 ? 0 : dec; dec < scale; dec++)
		*v *= 10;
	return 1;
}

/*
 * Basis-Umsatz is Umsatz ÷ Kurs (datev.md §3 column 4).  Either may be
 * the rounded one: Basis-Umsatz rounded to the cent, or Kurs rounded to
 * six decimals from the two amounts.  So |Basis x Kurs - Umsatz| may be
 * up to half a cent of Basis-Umsatz times Kurs plus half a millionth of
 * Kurs times Basis-Umsatz; anything beyond is a warning (DATEV's own
 * import has not been seen to compare them).
 */
static void
check_kurs(struct chk *c)
{
	__int128 u, k, b, diff, slack;

	if (!fixed_value(fld(c, 1), 2, &u) || !fixed_value(fld(c, 4), 6, &k) ||
	    !fixed_value(fld(c, 5), 2, &b) || k == 0)
		return;
	diff = b * k - u * 1000000;
	if (diff < 0)
		diff = -diff;
	slack = k / 2 + b / 2 + 1;
	if (diff > slack)
		chk_report(c, DATEV_CHECK_WARNING, 5, "Umsatz %.*s \xC3\xB7 "
		    "Kurs %.*s does not give this Basis-Umsatz",
		    (int)fld(c, 1)->len, fld(c, 1)->text, (int)fld(c, 4)->len,
		    fld(c, 4)->text);
}

static void
check_currency(struct chk *c)
{
	const struct chk_field *f = fld(c, 3), *base = fld(c, 6);
	int foreign = f->len > 0 && strcmp(f->text, c->wkz) != 0;
	char q[80];

	if (foreign) {
		need(c, 3, 4, DATEV_CHECK_ERROR, "a foreign currency needs "
		    "Kurs");
		need(c, 3, 5, DATEV_CHECK_ERROR, "a foreign currency needs "
		    "Basis-Umsatz");
		need(c, 3, 6, DATEV_CHECK_ERROR, "a foreign currency needs "
		    "WKZ Basis-Umsatz");
	} else {
		if (!empty(c, 4))
			chk_report(c, DATEV_CHECK_ERROR, 4, "a Kurs only goes "
			    "with a WKZ Umsatz other than the ledger's %s",
			    c->wkz);
		if (!empty(c, 5))
			chk_report(c, DATEV_CHECK_WARNING, 5, "Basis-Umsatz "
			    "for an amount in the ledger's currency %s",
			    c->wkz);
	}
	need(c, 5, 6, DATEV_CHECK_ERROR, "Basis-Umsatz needs its currency");
	need(c, 6, 5, DATEV_CHECK_ERROR, "WKZ Basis-Umsatz needs its amount");
	if (base->len > 0 && strcmp(base->text, c->wkz) != 0)
		chk_report(c, DATEV_CHECK_ERROR, 6, "%s: Basis-Umsatz is in "
		    "the ledger's currency, %s (header field 22)",
		    chk_quote(base, q, sizeof(q)), c->wkz);
	if (foreign)
		check_kurs(c);
}

/*
 * Columns 40 and 123 (datev.md §3): the VAT prefix of a member state,
 * alone (a consumer's country under OSS) or followed by the VAT id,
 * letters and digits only.  Greece is EL, Northern Ireland XI.
 */
static void
check_eu_land(struct chk *c, int col)
{
	static const char states[] = "AT BE BG CY CZ DE DK EE EL ES FI FR "
	    "HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI";
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	const struct chk_field *f = fld(c, col);
	char q[80], cc[3];

	if (f->len == 0)
		return;
	snprintf(cc, sizeof(cc), "%.2s", f->text);
	if (f->len >= 2 && strcmp(cc, "GR") == 0)
		chk_report(c, DATEV_CHECK_ERROR, col, "%s: Greece is EL in "
		    "DATEV's EU columns", chk_quote(f, q, sizeof(q)));
	else if (f->len < 2 || strstr(states, cc) == NULL ||
	    strchr(cc, ' ') != NULL)
		chk_report(c, DATEV_CHECK_ERROR, col, "%s does not start with "
		    "the code of a member state (or XI)",
		    chk_quote(f, q, sizeof(q)));
	else if (strspn(f->text, alnum) != f->len)
		chk_report(c, DATEV_CHECK_ERROR, col, "%s: a VAT id without "
		    "spaces or other characters", chk_quote(f, q, sizeof(q)));
}

/*
 * Key 240 is the distance sale under OSS, whose destination and rate
 * DATEV takes from columns 40 and 41 (datev.md §6, §8); the key's
 * meaning is [M], so a warning.
 */
static void
check_oss_key(struct chk *c)
{
	const struct chk_field *key = fld(c, 9);

	if (key->len != 3 || memcmp(key->text, "240", 3) != 0)
		return;
	if (empty(c, 40))
		chk_report(c, DATEV_CHECK_WARNING, 40, "empty, but key 240 "
		    "(OSS) needs the destination state");
	else if (empty(c, 41))
		chk_report(c, DATEV_CHECK_WARNING, 41, "empty, but key 240 "
		    "(OSS) needs the destination state's rate");
}

static void
check_pairs(struct chk *c)
{
	int col;

	for (col = 21; col <= 87; col += 2) {
		if (col == 37)
			col = 48;
		need(c, col, col + 1, DATEV_CHECK_ERROR, "Art and Inhalt go "
		    "together");
		need(c, col + 1, col, DATEV_CHECK_ERROR, "Art and Inhalt go "
		    "together");
	}
	need(c, 41, 40, DATEV_CHECK_ERROR, "an EU-Steuersatz needs its "
	    "EU-Land");
	need(c, 17, 105, DATEV_CHECK_ERROR, "Gesch\xC3\xA4" "ftspartnerbank "
	    "goes with SEPA-Mandatsreferenz");
	need(c, 105, 17, DATEV_CHECK_ERROR, "SEPA-Mandatsreferenz goes with "
	    "Gesch\xC3\xA4" "ftspartnerbank");
	need(c, 115, 116, DATEV_CHECK_WARNING, "Leistungsdatum goes with "
	    "Datum Zuord. Steuerperiode");
	if (c->ncols >= 124)
		need(c, 124, 123, DATEV_CHECK_ERROR, "an EU-Steuersatz needs "
		    "its EU-Land");
}

/* Booking rows: tax keys and previews */

/* 1 when the account in f is one of the chart's automatic ones. */
static int
automatic_account(const struct chk *c, const struct chk_field *f)
{
	return config_automatic_account(c->skr, c->account_length, f->text,
	    f->len);
}

/*
 * An automatic account takes no BU-Schlüssel but 40, which switches
 * its automatic off.  Key 20 is the older form of a reversal that
 * DATEV's own sample file still shows: a warning.  Anything else is an
 * error, 2xx and 3xx keys included, whose first digit is not always a
 * correction (240 is OSS).
 */
static void
check_automatic_key(struct chk *c)
{
	const struct chk_field *key = fld(c, 9);
	char q[80];
	int col;

	if (key->len == 0 || !chk_digits(key->text, key->len, 4) ||
	    strcmp(key->text, "40") == 0)
		return;
	for (col = 7; col <= 8; col++) {
		const struct chk_field *f = fld(c, col);

		if (!automatic_account(c, f))
			continue;
		if (strcmp(key->text, "20") == 0)
			chk_report(c, DATEV_CHECK_WARNING, 9, "key 20 on the "
			    "automatic account %s is the older form of a "
			    "reversal; Generalumkehr \"1\" (column 118) is "
			    "today's", f->text);
		else
			chk_report(c, DATEV_CHECK_ERROR, 9, "key on an "
			    "automatic account: %s (%s) carries its VAT "
			    "itself and takes no key but 40, got %s",
			    f->text, col == 7 ? "Konto" : "Gegenkonto",
			    chk_quote(key, q, sizeof(q)));
		return;
	}
}

static void
check_preview(struct chk *c)
{
	const struct chk_field *f = fld(c, 11);

	if (f->len >= 8 && memcmp(f->text, "PREVIEW-", 8) == 0)
		chk_report(c, DATEV_CHECK_WARNING, 11, "a preview's booking, "
		    "not for import (kontor-tax --preview numbers no "
		    "invoices)");
}

void
chk_row(struct chk *c)
{
	int col;

	c->stats.n_rows++;
	if (c->nfield != (size_t)c->ncols) {
		chk_report(c, DATEV_CHECK_ERROR, 0, "%zu columns, expected %d",
		    c->nfield, c->ncols);
		return;
	}
	for (col = 1; col <= c->ncols; col++)
		check_column(c, col);
	check_required(c);
	check_currency(c);
	check_pairs(c);
	check_eu_land(c, 40);
	if (c->ncols >= 123)
		check_eu_land(c, 123);
	check_oss_key(c);
	check_automatic_key(c);
	check_preview(c);
}

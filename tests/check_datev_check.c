#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datev_check.h"
#include "err.h"

/*
 * The valid file is tests/data/datev/valid.csv, made by hand; every
 * invalid file is that file with one field (or one line end) broken.
 */

#define LINES_MAX	16
#define FIELDS_MAX	130
#define FINDINGS_MAX	64

static char *valid;		/* the valid file */
static size_t valid_len;

struct found {
	int severity;
	long line;
	int column;
	char msg[512];
};

static struct found found[FINDINGS_MAX];
static int nfound;
static struct datev_check_stats stats;

static void
collect(void *arg, const struct datev_finding *f)
{
	(void)arg;
	if (nfound == FINDINGS_MAX)
		return;
	found[nfound].severity = f->severity;
	found[nfound].line = f->line;
	found[nfound].column = f->column;
	snprintf(found[nfound].msg, sizeof(found[nfound].msg), "%s", f->msg);
	nfound++;
}

static void
load_valid(void)
{
	const char *top = getenv("KONTOR_TOP");
	char path[4096];
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/datev/valid.csv",
	    top ? top : ".");
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	valid = malloc((size_t)n + 1);
	valid_len = fread(valid, 1, (size_t)n, fp);
	valid[valid_len] = '\0';
	fclose(fp);
}

static void
setup(void)
{
	load_valid();
	nfound = 0;
}

static void
teardown(void)
{
	free(valid);
}

static void
check_bytes(const char *data, size_t len)
{
	FILE *fp = fmemopen((void *)data, len, "rb");

	ck_assert_ptr_nonnull(fp);
	nfound = 0;
	ck_assert_int_eq(datev_check_stream(fp, collect, NULL, &stats, NULL),
	    KR_OK);
	fclose(fp);
}

/*
 * A copy of src with field col of line (both from 1) replaced by raw,
 * quotes and all; free it.
 */
static char *
with_field(const char *src, int line, int col, const char *raw)
{
	char *copy = malloc(strlen(src) + strlen(raw) + 1);
	const char *p = src, *start, *end;
	int l, c, q = 0;

	for (l = 1; l < line; l++)
		p = strstr(p, "\r\n") + 2;
	for (c = 1; c < col; p++) {
		if (*p == '"')
			q = !q;
		else if (*p == ';' && !q)
			c++;
	}
	start = p;
	for (end = p, q = 0; *end != '\r' && (*end != ';' || q); end++)
		if (*end == '"')
			q = !q;
	memcpy(copy, src, (size_t)(start - src));
	strcpy(copy + (start - src), raw);
	strcat(copy, end);
	return copy;
}

/* The valid file with field col of line replaced by raw, checked. */
static void
check_with(int line, int col, const char *raw)
{
	char *copy = with_field(valid, line, col, raw);

	check_bytes(copy, strlen(copy));
	free(copy);
}

/*
 * The valid file with the booking of line 3 given n fields, cols[i]
 * replaced by raws[i], checked.
 */
static void
check_row(int n, const int *cols, const char *const *raws)
{
	char *copy = strdup(valid), *next;
	int i;

	for (i = 0; i < n; i++) {
		next = with_field(copy, 3, cols[i], raws[i]);
		free(copy);
		copy = next;
	}
	check_bytes(copy, strlen(copy));
	free(copy);
}

/* 1 when a finding of severity on line and column says text. */
static int
has(int severity, long line, int column, const char *text)
{
	int i;

	for (i = 0; i < nfound; i++)
		if (found[i].severity == severity && found[i].line == line &&
		    found[i].column == column && strstr(found[i].msg, text))
			return 1;
	return 0;
}

static void
dump(void)
{
	int i;

	for (i = 0; i < nfound; i++)
		fprintf(stderr, "  %s line %ld column %d: %s\n",
		    found[i].severity ? "warning" : "error", found[i].line,
		    found[i].column, found[i].msg);
}

START_TEST(datev_check_accepts_the_valid_file)
{
	check_bytes(valid, valid_len);
	if (nfound > 0)
		dump();
	ck_assert_int_eq(stats.n_errors, 0);
	ck_assert_int_eq(stats.n_warnings, 0);
	ck_assert_int_eq(stats.n_rows, 5);
}
END_TEST

START_TEST(datev_check_refuses_a_utf8_byte_order_mark)
{
	char *copy = malloc(valid_len + 3);

	memcpy(copy, "\xEF\xBB\xBF", 3);
	memcpy(copy + 3, valid, valid_len);
	check_bytes(copy, valid_len + 3);
	free(copy);
	ck_assert(has(DATEV_CHECK_ERROR, 1, 0, "byte order mark"));
	ck_assert_int_eq(stats.n_errors, 1);
}
END_TEST

START_TEST(datev_check_refuses_lf_without_cr)
{
	char *copy = strdup(valid);
	char *second = strstr(strstr(copy, "\r\n") + 2, "\r\n");

	memmove(second, second + 1, strlen(second));	/* line 2 ends LF */
	check_bytes(copy, strlen(copy));
	free(copy);
	ck_assert(has(DATEV_CHECK_ERROR, 2, 0, "LF without CR"));
}
END_TEST

START_TEST(datev_check_refuses_a_last_line_without_crlf)
{
	check_bytes(valid, valid_len - 2);
	ck_assert(has(DATEV_CHECK_ERROR, 7, 0, "last line"));
	ck_assert_int_eq(stats.n_errors, 1);
}
END_TEST

START_TEST(datev_check_refuses_a_header_without_31_fields)
{
	char *copy = strdup(valid);
	char *cut = strstr(copy, ";\"kontor VERSION\"");

	memmove(cut, cut + strlen(";\"kontor VERSION\""),
	    strlen(cut + strlen(";\"kontor VERSION\"")) + 1);
	check_bytes(copy, strlen(copy));
	free(copy);
	ck_assert(has(DATEV_CHECK_ERROR, 1, 0, "30 fields, expected 31"));
}
END_TEST

START_TEST(datev_check_refuses_an_empty_file)
{
	check_bytes("", 0);
	ck_assert(has(DATEV_CHECK_ERROR, 0, 0, "empty"));
}
END_TEST

START_TEST(datev_check_names_a_read_error_instead_of_an_empty_file)
{
	struct kerr e;
	FILE *fp = fopen(".", "rb");	/* a folder: reading it fails */

	ck_assert_ptr_nonnull(fp);
	nfound = 0;
	kerr_clear(&e);
	ck_assert_int_eq(datev_check_stream(fp, collect, NULL, &stats, &e),
	    KR_IO);
	fclose(fp);
	ck_assert_ptr_nonnull(strstr(e.msg, "Is a directory"));
	ck_assert_int_eq(nfound, 0);
}
END_TEST

/* One broken field per case: where, what, and what must be said. */
static const struct {
	const char *rule;
	int line, col;
	const char *raw;
	int severity;
	int at_col;		/* column the finding names */
	const char *says;
} cases[] = {
	{"Kennzeichen EXTF or DTVF", 1, 1, "\"XTF\"", 0, 1, "EXTF"},
	{"Versionsnummer 700", 1, 2, "510", 0, 2, "700"},
	{"Datenkategorie 21", 1, 3, "16", 0, 3, "21"},
	{"Formatname", 1, 4, "\"Debitoren/Kreditoren\"", 0, 4,
	    "Buchungsstapel"},
	{"Formatversion known", 1, 5, "8", 0, 5, "format version"},
	{"Erzeugt am 17 digits", 1, 6, "2026120403000000", 0, 6,
	    "17 digits"},
	{"Erzeugt am a real day", 1, 6, "20261304030000000", 0, 6,
	    "real day"},
	{"Exportiert von charset", 1, 9, "\"kontor 1\"", 0, 9, "letters"},
	{"Beraternummer from 1001", 1, 11, "999", 0, 11, "1001"},
	{"Mandantennummer up to 99999", 1, 12, "100000", 0, 12, "99999"},
	{"a number in quotes in the header", 1, 12, "\"55003\"", 0, 12,
	    "quotes"},
	{"WJ-Beginn a date", 1, 13, "20260230", 0, 13, "JJJJMMTT"},
	{"WJ-Beginn before Datum vom", 1, 13, "20261215", 0, 15,
	    "before WJ-Beginn"},
	{"Sachkontenlaenge 4 to 8", 1, 14, "9", 0, 14, "from 4 to 8"},
	{"Datum vom a date", 1, 15, "20261301", 0, 15, "JJJJMMTT"},
	{"Datum bis not before Datum vom", 1, 16, "20261130", 0, 16,
	    "before Datum vom"},
	{"Datum bis inside the fiscal year", 1, 16, "20270131", 0, 16,
	    "next fiscal year"},
	{"a period of one month", 1, 15, "20261101", 1, 16,
	    "longer than a month"},
	{"Bezeichnung charset", 1, 17, "\"Rechnungsausgang 12-2026\"", 0,
	    17, "letters"},
	{"Diktatkuerzel two capitals", 1, 18, "\"kt\"", 0, 18, "capital"},
	{"Buchungstyp 1 or 2", 1, 19, "3", 0, 19, "Jahresabschluss"},
	{"Festschreibung 0 or 1", 1, 21, "2", 0, 21, "0 or 1"},
	{"empty Festschreibung locks", 1, 21, "", 1, 21, "locked"},
	{"WKZ a currency code", 1, 22, "\"Euro\"", 0, 22, "currency"},
	{"SKR two digits", 1, 27, "\"3\"", 0, 27, "two digits"},
	{"header text in quotes", 1, 4, "Buchungsstapel", 1, 4,
	    "without quotes"},
	{"column names as DATEV spells them", 2, 14, "Buchungs-Text", 1,
	    14, "named"},
	{"Umsatz with decimal comma", 3, 1, "36.08", 0, 1, "decimal comma"},
	{"Umsatz without thousands separator", 3, 1, "1.036,08", 0, 1,
	    "thousands"},
	{"Umsatz without sign", 3, 1, "-36,08", 0, 1, "no sign"},
	{"Umsatz with two decimals", 3, 1, "36", 0, 1, "two decimals"},
	{"Umsatz above 0", 3, 1, "0,00", 0, 1, "above 0"},
	{"Umsatz not in quotes", 3, 1, "\"36,08\"", 0, 1, "quotes"},
	{"Umsatz required", 3, 1, "", 0, 1, "required"},
	{"Soll/Haben S or H", 3, 2, "\"X\"", 0, 2, "not allowed"},
	{"text in quotes", 3, 2, "S", 1, 2, "without quotes"},
	{"WKZ Umsatz three capitals", 3, 3, "\"eur\"", 0, 3, "not allowed"},
	{"foreign currency needs Kurs", 3, 3, "\"CHF\"", 0, 4, "Kurs"},
	{"Kurs not 0", 3, 4, "0,000000", 0, 4, "not 0"},
	{"Basis-Umsatz with its currency", 3, 5, "30,00", 0, 6, "currency"},
	{"Konto up to n+1 digits", 3, 7, "100000", 0, 7, "account"},
	{"Gegenkonto not 0", 3, 8, "0000", 0, 8, "not 0"},
	{"BU-Schluessel up to 4 digits", 3, 9, "\"12a\"", 0, 9,
	    "not allowed"},
	{"Belegdatum TTMM", 3, 10, "412", 0, 10, "TTMM"},
	{"Belegdatum inside the period", 3, 10, "0111", 0, 10,
	    "Datum vom"},
	{"Belegdatum a real day", 3, 10, "3102", 0, 10, "not a day"},
	{"Belegfeld 1 charset", 3, 11, "\"RE 2026.1\"", 0, 11, "A-Z"},
	{"Belegfeld 1 up to 36", 3, 11,
	    "\"RE-2026-00000000000000000000000000002\"", 0, 11, "at most 36"},
	{"Belegfeld 2 up to 12", 3, 12, "\"1234567890123\"", 0, 12,
	    "at most 12"},
	{"Buchungstext up to 60", 3, 14, "\"0123456789012345678901234567890"
	    "123456789012345678901234567890\"", 0, 14, "at most 60"},
	{"no control characters", 3, 14, "\"Shopify\t#1042\"", 0, 14,
	    "control character"},
	{"no undefined Windows-1252 bytes", 3, 14, "\"Shopify \x81\"", 0,
	    14, "undefined"},
	{"no UTF-8", 3, 14, "\"M\xC3\xBCller\"", 1, 14, "UTF-8"},
	{"no quote in an unquoted field", 3, 14, "Shop\"ify", 0, 14,
	    "quote inside"},
	{"text after the closing quote", 3, 14, "\"Shopify\"x", 0, 14,
	    "after the closing quote"},
	{"Beleginfo Art with Inhalt", 3, 21, "\"Shop\"", 0, 22, "together"},
	{"Zusatzinformation Inhalt with Art", 3, 87, "\"x\"", 0, 86,
	    "together"},
	{"Kurs only with a foreign currency", 3, 4, "1,000000", 0, 4,
	    "only goes with"},
	{"EU-Land: Greece is EL", 3, 40, "\"GR\"", 0, 40, "Greece is EL"},
	{"EU-Land a member state", 3, 40, "\"CH\"", 0, 40, "member state"},
	{"EU-Land a VAT id without spaces", 3, 40, "\"ATU 67482137\"", 0,
	    40, "without spaces"},
	{"EU-Land (Ursprung) a member state", 3, 123, "\"US1234\"", 0, 123,
	    "member state"},
	{"EU-Land (Ursprung) Greece is EL", 3, 123, "\"GR123456789\"", 0,
	    123, "Greece is EL"},
	{"EU-Steuersatz with EU-Land", 3, 41, "19,00", 0, 40, "EU-Land"},
	{"EU-Steuersatz NN,NN", 3, 41, "5,50", 0, 41, "05,50"},
	{"Leistungsdatum with Datum Zuord.", 3, 116, "", 1, 116,
	    "Leistungsdatum"},
	{"dates TTMMJJJJ", 3, 115, "31022026", 0, 115, "TTMMJJJJ"},
	{"Festschreibung per row 0 or 1", 3, 114, "2", 0, 114, "0 or 1"},
	{"Generalumkehr 0 or 1", 3, 118, "\"2\"", 0, 118, "not allowed"},
	{"Auftragsnummer up to 30", 3, 95, "\"0123456789012345678901234567890"
	    "\"", 0, 95, "at most 30"},
	{"Geschaeftspartnerbank with SEPA-Mandatsreferenz", 3, 17, "1", 0,
	    105, "SEPA"},
	{"no key on the automatic account 8400", 3, 9, "\"3\"", 0, 9,
	    "key on an automatic account: 8400 (Gegenkonto)"},
	{"no key on the automatic account 8300", 4, 9, "\"2\"", 0, 9,
	    "key on an automatic account: 8300"},
	{"no OSS key on an automatic account", 3, 9, "\"240\"", 0, 9,
	    "takes no key but 40"},
	{"key 20 on an automatic account is the older reversal", 3, 9,
	    "\"20\"", 1, 9, "older form of a reversal"},
	{"a preview's booking is not for import", 3, 11,
	    "\"PREVIEW-000001\"", 1, 11, "a preview's booking"},
};

START_TEST(datev_check_names_the_column_of_each_broken_rule)
{
	check_with(cases[_i].line, cases[_i].col, cases[_i].raw);
	if (!has(cases[_i].severity, cases[_i].line, cases[_i].at_col,
	    cases[_i].says))
		dump();
	ck_assert_msg(has(cases[_i].severity, cases[_i].line,
	    cases[_i].at_col, cases[_i].says), "rule \"%s\" not reported",
	    cases[_i].rule);
	if (cases[_i].severity == DATEV_CHECK_WARNING)
		ck_assert_msg(stats.n_errors == 0, "rule \"%s\": a warning "
		    "only", cases[_i].rule);
}
END_TEST

/* A copy of src with its first old replaced by new; free it. */
static char *
replaced(const char *src, const char *old, const char *new)
{
	char *copy = malloc(strlen(src) + strlen(new) + 1);
	const char *at = strstr(src, old);

	ck_assert_ptr_nonnull(at);
	memcpy(copy, src, (size_t)(at - src));
	strcpy(copy + (at - src), new);
	strcat(copy, at + strlen(old));
	return copy;
}

/* The valid file with up to two replacements, checked. */
static void
check_replaced(const char *old1, const char *new1, const char *old2,
    const char *new2)
{
	char *one = replaced(valid, old1, new1);
	char *two = old2 != NULL ? replaced(one, old2, new2) : NULL;

	check_bytes(two ? two : one, strlen(two ? two : one));
	free(one);
	free(two);
}

START_TEST(datev_check_lets_key_40_switch_off_the_automatic)
{
	check_with(3, 9, "\"40\"");
	ck_assert_int_eq(nfound, 0);
}
END_TEST

START_TEST(datev_check_refuses_a_key_on_an_automatic_konto)
{
	/* The booking turned round: 8400 as Konto, the debitor opposite. */
	check_replaced("10000;8400;\"\"", "8400;10000;\"3\"", NULL, NULL);
	if (!has(DATEV_CHECK_ERROR, 3, 9, "8400 (Konto)"))
		dump();
	ck_assert(has(DATEV_CHECK_ERROR, 3, 9, "8400 (Konto)"));
	ck_assert_int_eq(stats.n_errors, 1);
}
END_TEST

START_TEST(datev_check_knows_the_automatic_accounts_of_skr04)
{
	/* In SKR04, 8400 is no automatic account, but 4400 is. */
	check_replaced(";\"03\";", ";\"04\";", "10000;8400;\"\"",
	    "10000;8400;\"3\"");
	ck_assert_int_eq(nfound, 0);
	check_replaced(";\"03\";", ";\"04\";", "10000;8400;\"\"",
	    "10000;4400;\"3\"");
	ck_assert(has(DATEV_CHECK_ERROR, 3, 9, "4400 (Gegenkonto)"));
	ck_assert_int_eq(stats.n_errors, 1);
}
END_TEST

START_TEST(datev_check_pads_automatic_accounts_to_the_account_length)
{
	/* Sachkontenlänge 5: 84000 is the automatic account, 8400 not. */
	check_replaced(";20260101;4;", ";20260101;5;", "10000;8400;\"\"",
	    "10000;8400;\"3\"");
	ck_assert_int_eq(nfound, 0);
	check_replaced(";20260101;4;", ";20260101;5;", "10000;8400;\"\"",
	    "10000;84000;\"3\"");
	ck_assert(has(DATEV_CHECK_ERROR, 3, 9, "84000 (Gegenkonto)"));
	ck_assert_int_eq(stats.n_errors, 1);
}
END_TEST

/* Columns 3 to 6 of the first booking (36,08), then checked. */
static void
check_currency_cols(const char *wkz, const char *kurs, const char *basis,
    const char *wkz_basis)
{
	static const int cols[] = {3, 4, 5, 6};
	const char *raws[] = {wkz, kurs, basis, wkz_basis};

	check_row(4, cols, raws);
}

/*
 * 36.08 CHF at 0.939 CHF per EUR is 38.4239 -> 38.42 EUR; Kurs from
 * the two amounts is 36.08 / 38.42 = 0.939094; 36.08 GBP at 0.83 is
 * 43.4699 -> 43.47 EUR (DATEV's own sample writes 0,830000).
 */
START_TEST(datev_check_takes_a_foreign_currency_with_kurs_and_basis)
{
	check_currency_cols("\"CHF\"", "0,939000", "38,42", "\"EUR\"");
	if (nfound != 0)
		dump();
	ck_assert_int_eq(nfound, 0);
	check_currency_cols("\"CHF\"", "0,939094", "38,42", "\"EUR\"");
	ck_assert_int_eq(nfound, 0);
	check_currency_cols("\"GBP\"", "0,83", "43,47", "\"EUR\"");
	ck_assert_int_eq(nfound, 0);
}
END_TEST

START_TEST(datev_check_warns_when_kurs_and_basis_do_not_fit)
{
	/* 36.08 / 0.939 = 38.42, not 38.50; not 38.44 either */
	check_currency_cols("\"CHF\"", "0,939000", "38,50", "\"EUR\"");
	ck_assert(has(DATEV_CHECK_WARNING, 3, 5, "does not give"));
	ck_assert_int_eq(stats.n_errors, 0);
	check_currency_cols("\"CHF\"", "0,939000", "38,44", "\"EUR\"");
	ck_assert(has(DATEV_CHECK_WARNING, 3, 5, "does not give"));
	check_currency_cols("\"CHF\"", "0,939000", "38,43", "\"EUR\"");
	ck_assert(has(DATEV_CHECK_WARNING, 3, 5, "does not give"));
}
END_TEST

START_TEST(datev_check_wants_basis_umsatz_in_the_ledger_currency)
{
	check_currency_cols("\"CHF\"", "0,939000", "38,42", "\"CHF\"");
	ck_assert(has(DATEV_CHECK_ERROR, 3, 6, "ledger's currency"));
	ck_assert_int_eq(stats.n_errors, 1);
	/* Basis-Umsatz of an EUR amount: odd, not refused */
	check_currency_cols("\"EUR\"", "", "36,08", "\"EUR\"");
	ck_assert(has(DATEV_CHECK_WARNING, 3, 5, "ledger's currency"));
	ck_assert_int_eq(stats.n_errors, 0);
}
END_TEST

/*
 * An OSS booking (datev.md §8): key 240 on 8320, EU-Land FR, its rate
 * 20,00 and the seller's own VAT id; without EU-Land or EU-Steuersatz
 * key 240 is warned about.
 */
START_TEST(datev_check_takes_an_oss_booking_and_wants_its_country)
{
	static const int cols[] = {8, 9, 40, 41, 123};
	const char *raws[] = {"8320", "\"240\"", "\"FR\"", "20,00",
	    "\"DE318472657\""};

	check_row(5, cols, raws);
	if (nfound != 0)
		dump();
	ck_assert_int_eq(nfound, 0);
	check_row(4, cols, raws);	/* without column 123 */
	ck_assert_int_eq(nfound, 0);
	check_row(3, cols, raws);	/* without column 41 */
	ck_assert(has(DATEV_CHECK_WARNING, 3, 41, "key 240"));
	ck_assert_int_eq(stats.n_errors, 0);
	check_row(2, cols, raws);	/* without column 40 */
	ck_assert(has(DATEV_CHECK_WARNING, 3, 40, "key 240"));
	ck_assert_int_eq(stats.n_errors, 0);
}
END_TEST

START_TEST(datev_check_takes_vat_ids_of_every_member_state)
{
	static const char *const ids[] = {
		"\"ATU67482137\"", "\"EL123456789\"", "\"XI123456789\"",
		"\"NL123456789B01\"", "\"FR40303265045\"", "\"ES\"",
	};
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		check_with(3, 40, ids[i]);
		ck_assert_msg(nfound == 0, "%s", ids[i]);
	}
}
END_TEST

START_TEST(datev_check_refuses_a_row_with_the_wrong_column_count)
{
	check_with(4, 125, "0;1");
	ck_assert(has(DATEV_CHECK_ERROR, 4, 0, "126 columns, expected 125"));
}
END_TEST

START_TEST(datev_check_refuses_a_names_line_of_the_wrong_length)
{
	check_with(2, 125, "Abw. Skontokonto;Extra");
	ck_assert(has(DATEV_CHECK_ERROR, 2, 0, "126 column names"));
}
END_TEST

START_TEST(datev_check_accepts_the_spellings_of_public_files)
{
	check_with(2, 5, "Basisumsatz");
	ck_assert_int_eq(nfound, 0);
	check_with(2, 21, "Beleginfo \x96 Art 1");	/* en dash */
	ck_assert_int_eq(nfound, 0);
	check_with(2, 49, "Zusatzinformation- Inhalt 1");
	ck_assert_int_eq(nfound, 0);
	check_with(2, 118, "Generalumkehr");
	ck_assert_int_eq(nfound, 0);
}
END_TEST

START_TEST(datev_check_reads_format_version_12_with_124_columns)
{
	check_with(1, 5, "12");
	ck_assert(has(DATEV_CHECK_ERROR, 2, 0, "format version 12 has 124"));
	ck_assert(has(DATEV_CHECK_ERROR, 3, 0, "125 columns, expected 124"));
}
END_TEST

static Suite *
datev_check_suite(void)
{
	Suite *s = suite_create("datev_check");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, datev_check_accepts_the_valid_file);
	tcase_add_test(tc, datev_check_refuses_a_utf8_byte_order_mark);
	tcase_add_test(tc, datev_check_refuses_lf_without_cr);
	tcase_add_test(tc, datev_check_refuses_a_last_line_without_crlf);
	tcase_add_test(tc, datev_check_refuses_a_header_without_31_fields);
	tcase_add_test(tc, datev_check_refuses_an_empty_file);
	tcase_add_test(tc,
	    datev_check_names_a_read_error_instead_of_an_empty_file);
	tcase_add_loop_test(tc,
	    datev_check_names_the_column_of_each_broken_rule, 0,
	    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, datev_check_lets_key_40_switch_off_the_automatic);
	tcase_add_test(tc, datev_check_refuses_a_key_on_an_automatic_konto);
	tcase_add_test(tc, datev_check_knows_the_automatic_accounts_of_skr04);
	tcase_add_test(tc,
	    datev_check_pads_automatic_accounts_to_the_account_length);
	tcase_add_test(tc,
	    datev_check_refuses_a_row_with_the_wrong_column_count);
	tcase_add_test(tc,
	    datev_check_refuses_a_names_line_of_the_wrong_length);
	tcase_add_test(tc, datev_check_accepts_the_spellings_of_public_files);
	tcase_add_test(tc,
	    datev_check_takes_a_foreign_currency_with_kurs_and_basis);
	tcase_add_test(tc, datev_check_warns_when_kurs_and_basis_do_not_fit);
	tcase_add_test(tc,
	    datev_check_wants_basis_umsatz_in_the_ledger_currency);
	tcase_add_test(tc,
	    datev_check_takes_an_oss_booking_and_wants_its_country);
	tcase_add_test(tc, datev_check_takes_vat_ids_of_every_member_state);
	tcase_add_test(tc,
	    datev_check_reads_format_version_12_with_124_columns);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(datev_check_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

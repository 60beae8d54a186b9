#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "cp1252.h"
#include "datev.h"
#include "err.h"
#include "invoice.h"
#include "ktime.h"

#include "datev_test.h"

/*
 * Expected values come from ../shared/spec/datev.md and from figures
 * worked out by hand in the comments; the field splitter of
 * datev_test.h is the test's own, not the writer's.
 */

static struct shop_cfg shop = { "shop-de", "shopify", "Shopify" };
static struct config cfg;
static struct cp1252 enc;
static struct buf out;

static void
setup(void)
{
	struct kerr e;

	ck_assert_int_eq(ktime_set_zone("Europe/Berlin", &e), KR_OK);
	memset(&cfg, 0, sizeof(cfg));
	cfg.consultant = 29098;
	cfg.client = 55003;
	cfg.chart = 3;
	cfg.account_length = 4;
	cfg.fy_start_month = 1;
	cfg.fy_start_day = 1;
	cfg.service_dates = 1;
	cfg.exported_by = "kontor";
	cfg.dictation = "";
	cfg.shops = &shop;
	cfg.nshops = 1;
	ck_assert_int_eq(cp1252_init(&enc, NULL), KR_OK);
	buf_init(&out, 0);
}

static void
teardown(void)
{
	cp1252_release(&enc);
	buf_release(&out);
}

/* The raw text of field n, quotes and all. */
static void
raw_field(const char *line, int n, char *f, size_t size)
{
	int col = 1, q = 0;
	size_t k = 0;
	const char *p;

	for (p = line; *p != '\0' && *p != '\r'; p++) {
		if (*p == '"')
			q = !q;
		if (*p == ';' && !q) {
			col++;
			continue;
		}
		if (col == n && k + 1 < size)
			f[k++] = *p;
	}
	f[k] = '\0';
}

static struct datev_row
row_basic(void)
{
	struct datev_row r;

	memset(&r, 0, sizeof(r));
	r.amount_minor = 119000;
	r.side = 'S';
	r.currency = "EUR";
	r.account = "10000";
	r.contra = "8400";
	r.doc_date = "2026-10-12";
	r.doc_no = "RE-2026-000001";
	r.text = "Shopify #1042";
	return r;
}

static const char *
row_text(const struct datev_row *r)
{
	struct kerr e;

	buf_reset(&out);
	kerr_clear(&e);
	ck_assert_msg(datev_row_format(r, 4, &enc, &out, &e) == KR_OK,
	    "%s: %s", e.field, e.msg);
	return out.data;
}

static int
row_fails(const struct datev_row *r, const char *field_name)
{
	struct kerr e;
	int rc;

	buf_reset(&out);
	kerr_clear(&e);
	rc = datev_row_format(r, 4, &enc, &out, &e);
	ck_assert_int_ne(rc, KR_OK);
	ck_assert_str_eq(e.field, field_name);
	ck_assert_uint_eq(out.len, 0);
	return rc;
}

START_TEST(datev_row_writes_amounts_with_decimal_comma)
{
	struct datev_row r = row_basic();
	char f[64];

	field(row_text(&r), 1, f, sizeof(f));
	ck_assert_str_eq(f, "1190,00");
	r.amount_minor = 5;
	field(row_text(&r), 1, f, sizeof(f));
	ck_assert_str_eq(f, "0,05");
	/* Ten integer digits, no thousands separator. */
	r.amount_minor = INT64_C(999999999999);
	field(row_text(&r), 1, f, sizeof(f));
	ck_assert_str_eq(f, "9999999999,99");
	raw_field(row_text(&r), 1, f, sizeof(f));
	ck_assert_str_eq(f, "9999999999,99");	/* not quoted */
}
END_TEST

START_TEST(datev_row_refuses_amounts_zero_negative_or_too_long)
{
	struct datev_row r = row_basic();

	r.amount_minor = 0;
	ck_assert_int_eq(row_fails(&r, "Umsatz (ohne Soll/Haben-Kz)"),
	    KR_BAD_INPUT);
	r.amount_minor = -500;
	ck_assert_int_eq(row_fails(&r, "Umsatz (ohne Soll/Haben-Kz)"),
	    KR_BAD_INPUT);
	r.amount_minor = INT64_C(1000000000000);
	ck_assert_int_eq(row_fails(&r, "Umsatz (ohne Soll/Haben-Kz)"),
	    KR_OVERFLOW);
}
END_TEST

START_TEST(datev_row_quotes_semicolon)
{
	struct datev_row r = row_basic();
	char f[80];

	r.text = "Shopify #1042; Teil 2";
	raw_field(row_text(&r), 14, f, sizeof(f));
	ck_assert_str_eq(f, "\"Shopify #1042; Teil 2\"");
	ck_assert_int_eq(field(out.data, 1, f, sizeof(f)), DATEV_COLUMNS);
}
END_TEST

START_TEST(datev_row_doubles_quotes_in_buchungstext)
{
	struct datev_row r = row_basic();
	char f[80];

	r.text = "Gutschrift \"Teilr\xC3\xBC" "ckgabe\"";
	raw_field(row_text(&r), 14, f, sizeof(f));
	ck_assert_str_eq(f, "\"Gutschrift \"\"Teilr\xFC" "ckgabe\"\"\"");
}
END_TEST

START_TEST(datev_row_has_125_columns_and_ends_in_crlf)
{
	struct datev_row r = row_basic();
	const char *line = row_text(&r);
	char f[16];

	ck_assert_int_eq(field(line, 1, f, sizeof(f)), 125);
	ck_assert_uint_ge(out.len, 2);
	ck_assert_int_eq(line[out.len - 2], '\r');
	ck_assert_int_eq(line[out.len - 1], '\n');
	ck_assert_ptr_eq(memchr(line, '\n', out.len), line + out.len - 1);
}
END_TEST

START_TEST(datev_row_writes_empty_text_as_quotes_and_empty_numbers_bare)
{
	struct datev_row r = row_basic();
	char f[16];

	row_text(&r);
	raw_field(out.data, 12, f, sizeof(f));	/* Belegfeld 2, text */
	ck_assert_str_eq(f, "\"\"");
	raw_field(out.data, 13, f, sizeof(f));	/* Skonto, amount */
	ck_assert_str_eq(f, "");
	raw_field(out.data, 9, f, sizeof(f));	/* BU-Schlüssel, text */
	ck_assert_str_eq(f, "\"\"");
	raw_field(out.data, 118, f, sizeof(f));	/* Generalumkehr, text */
	ck_assert_str_eq(f, "\"0\"");
	raw_field(out.data, 125, f, sizeof(f));
	ck_assert_str_eq(f, "");
}
END_TEST

START_TEST(datev_row_writes_belegdatum_as_ttmm_and_dates_as_ttmmjjjj)
{
	struct datev_row r = row_basic();
	char f[16];

	r.supply_date = "2026-09-30";
	r.period_date = "2026-09-30";
	row_text(&r);
	raw_field(out.data, 10, f, sizeof(f));
	ck_assert_str_eq(f, "1210");
	raw_field(out.data, 115, f, sizeof(f));
	ck_assert_str_eq(f, "30092026");
	raw_field(out.data, 116, f, sizeof(f));
	ck_assert_str_eq(f, "30092026");
	r.doc_date = "2026-02-30";
	row_fails(&r, "Belegdatum");
}
END_TEST

START_TEST(datev_row_refuses_buchungstext_over_60_characters)
{
	struct datev_row r = row_basic();
	char text[80];

	memset(text, 'x', 60);
	text[60] = '\0';
	r.text = text;
	row_text(&r);
	text[60] = 'y';
	text[61] = '\0';
	row_fails(&r, "Buchungstext");
}
END_TEST

START_TEST(datev_row_refuses_belegfeld_with_dots)
{
	struct datev_row r = row_basic();

	r.doc_no = "RE 2026.001";
	row_fails(&r, "Belegfeld 1");
}
END_TEST

START_TEST(datev_row_writes_kurs_and_eu_rate_formats)
{
	struct datev_row r = row_basic();
	char f[32];

	/* datev.md §3: 124,04 CHF at 1,240402 give 100,00 EUR. */
	r.amount_minor = 12404;
	r.currency = "CHF";
	r.rate_e6 = 1240402;
	r.base_minor = 10000;
	r.base_currency = "EUR";
	r.eu_dest = "FR";
	r.has_eu_rate = 1;
	r.eu_rate_bp = 550;
	row_text(&r);
	raw_field(out.data, 4, f, sizeof(f));
	ck_assert_str_eq(f, "1,240402");
	raw_field(out.data, 5, f, sizeof(f));
	ck_assert_str_eq(f, "100,00");
	raw_field(out.data, 41, f, sizeof(f));
	ck_assert_str_eq(f, "05,50");
	r.rate_e6 = 0;
	row_fails(&r, "Kurs");
}
END_TEST

START_TEST(datev_docno_map_replaces_characters_outside_the_set)
{
	char f[64];

	ck_assert_int_eq(datev_docno_map("RE 2026.001", 36, f, sizeof(f)),
	    KR_OK);
	ck_assert_str_eq(f, "RE-2026-001");
	datev_docno_map("RE_2026/7$%", 36, f, sizeof(f));
	ck_assert_str_eq(f, "RE-2026/7$%");
	datev_docno_map("R\xC3\x9C" "1,2", 36, f, sizeof(f));	/* RÜ1,2 */
	ck_assert_str_eq(f, "R-1-2");
	ck_assert_int_eq(datev_docno_map(
	    "1234567890123456789012345678901234567", 36, f, sizeof(f)),
	    KR_TOO_BIG);
	ck_assert_int_eq(datev_docno_map(
	    "123456789012345678901234567890123456", 36, f, sizeof(f)),
	    KR_OK);
}
END_TEST

static time_t
at(const char *iso)
{
	time_t t;

	ck_assert_int_eq(ktime_parse(iso, &t), KR_OK);
	return t;
}

START_TEST(datev_header_fields_match_datev_md)
{
	static const char *const want[32] = {NULL,
		"EXTF", "700", "21", "Buchungsstapel", "13",
		"20260202093000000", "", "KT", "kontor", "", "29098", "55003",
		"20260101", "4", "20260101", "20260131",
		"Rechnungsausgang 01/2026", "KT", "1", "0", "0", "EUR", "",
		"", "", "", "03", "", "", "", "kontor " KONTOR_VERSION,
	};
	char f[64];
	int i;

	cfg.dictation = "KT";
	ck_assert_int_eq(datev_header_format(&cfg, "2026-01",
	    at("2026-02-02T08:30:00Z"), &out, NULL), KR_OK);
	ck_assert_int_eq(field(out.data, 1, f, sizeof(f)), 31);
	for (i = 1; i <= 31; i++) {
		field(out.data, i, f, sizeof(f));
		ck_assert_msg(strcmp(f, want[i]) == 0, "field %d: \"%s\"", i,
		    f);
	}
	/* Text fields quoted, numbers not, per datev.md §2's example. */
	ck_assert_ptr_nonnull(strstr(out.data, "\"EXTF\";700;21;"
	    "\"Buchungsstapel\";13;20260202093000000;;\"KT\";\"kontor\";"
	    "\"\";29098;55003;20260101;4;20260101;20260131;"
	    "\"Rechnungsausgang 01/2026\";\"KT\";1;0;0;\"EUR\";;\"\";;;"
	    "\"03\";;;\"\";\"kontor "));
	ck_assert_str_eq(out.data + out.len - 2, "\r\n");
}
END_TEST

START_TEST(datev_header_takes_wj_beginn_and_period_from_the_month)
{
	char f[32];

	cfg.fy_start_month = 7;
	cfg.chart = 4;
	datev_header_format(&cfg, "2024-02", at("2024-03-01T00:00:00Z"),
	    &out, NULL);
	field(out.data, 13, f, sizeof(f));
	ck_assert_str_eq(f, "20230701");	/* February is in FY 2023/24 */
	field(out.data, 15, f, sizeof(f));
	ck_assert_str_eq(f, "20240201");
	field(out.data, 16, f, sizeof(f));
	ck_assert_str_eq(f, "20240229");	/* a leap year */
	field(out.data, 27, f, sizeof(f));
	ck_assert_str_eq(f, "04");
	buf_reset(&out);
	datev_header_format(&cfg, "2024-07", at("2024-08-01T00:00:00Z"),
	    &out, NULL);
	field(out.data, 13, f, sizeof(f));
	ck_assert_str_eq(f, "20240701");
}
END_TEST

START_TEST(datev_names_line_lists_all_125_columns)
{
	char f[64];

	ck_assert_int_eq(datev_names_format(&enc, &out, NULL), KR_OK);
	ck_assert_int_eq(field(out.data, 1, f, sizeof(f)), 125);
	field(out.data, 1, f, sizeof(f));
	ck_assert_str_eq(f, "Umsatz (ohne Soll/Haben-Kz)");
	field(out.data, 8, f, sizeof(f));
	ck_assert_str_eq(f, "Gegenkonto (ohne BU-Schl\xFCssel)");
	field(out.data, 21, f, sizeof(f));
	ck_assert_str_eq(f, "Beleginfo - Art 1");
	field(out.data, 36, f, sizeof(f));
	ck_assert_str_eq(f, "Beleginfo - Inhalt 8");
	field(out.data, 48, f, sizeof(f));
	ck_assert_str_eq(f, "Zusatzinformation - Art 1");
	field(out.data, 87, f, sizeof(f));
	ck_assert_str_eq(f, "Zusatzinformation - Inhalt 20");
	field(out.data, 88, f, sizeof(f));
	ck_assert_str_eq(f, "St\xFC" "ck");
	field(out.data, 116, f, sizeof(f));
	ck_assert_str_eq(f, "Datum Zuord. Steuerperiode");
	field(out.data, 118, f, sizeof(f));
	ck_assert_str_eq(f, "Generalumkehr (GU)");
	field(out.data, 125, f, sizeof(f));
	ck_assert_str_eq(f, "Abw. Skontokonto");
	ck_assert_str_eq(out.data + out.len - 2, "\r\n");
}
END_TEST

/*
 * The invoice of docs/records.md, figures checked by hand:
 * 19 %: 30.32 + 5.76 = 36.08; 7 %: 21.67 + 1.52 = 23.19;
 * net 51.99, VAT 7.28, gross 59.27 = 36.08 + 23.19.
 */
static void
inv_make(struct invoice *inv, const char *number, const char *date)
{
	struct inv_vat *v;

	invoice_reset(inv);
	inv->number = number;
	inv->doc_type = "380";
	inv->issue_date = date;
	inv->supply_date = "2026-10-12";
	inv->shop = "shop-de";
	inv->order_number = "#1042";
	inv->treatment = "domestic";
	memcpy(inv->currency, "EUR", 4);
	inv->exponent = 2;
	inv->debitor = "10000";
	inv->rounding_account = "1590";
	v = invoice_add_vat(inv);
	v->taxable_minor = 3032;
	v->vat_minor = 576;
	v->gross_minor = 3608;
	v->account = "8400";
	v->tax_key = "";
	v = invoice_add_vat(inv);
	v->taxable_minor = 2167;
	v->vat_minor = 152;
	v->gross_minor = 2319;
	v->account = "8300";
	v->tax_key = "";
	inv->gross_minor = 5927;
}

struct fixture {
	struct mem_sink mem;
	struct datev_sink sink;
	struct datev_writer w;
	struct invoice inv;
};

static void
fixture_start(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->sink = (struct datev_sink){ &fx->mem, mem_open, mem_close,
	    mem_discard };
	ck_assert_int_eq(datev_writer_init(&fx->w, &cfg, &fx->sink,
	    at("2026-12-04T02:00:00Z"), NULL), KR_OK);
	invoice_init(&fx->inv);
}

static void
fixture_end(struct fixture *fx)
{
	datev_writer_release(&fx->w);
	invoice_release(&fx->inv);
	mem_free(&fx->mem);
}

static void
add_ok(struct fixture *fx)
{
	struct kerr e;

	kerr_clear(&e);
	ck_assert_msg(datev_writer_add_invoice(&fx->w, &fx->inv, NULL, &e) ==
	    KR_OK, "%s: %s", e.field, e.msg);
}

static void
finish(struct fixture *fx)
{
	ck_assert_int_eq(datev_writer_finish(&fx->w, NULL), KR_OK);
}

START_TEST(datev_invoice_books_the_gross_of_each_breakdown)
{
	struct fixture fx;
	const char *row;
	char f[64];

	fixture_start(&fx);
	inv_make(&fx.inv, "RE-2026-000002", "2026-12-04");
	add_ok(&fx);
	finish(&fx);
	ck_assert_int_eq(fx.mem.n, 1);
	ck_assert_str_eq(fx.mem.name[0], "EXTF_Buchungsstapel_2026-12.csv");
	ck_assert_int_eq(count_lines(fx.mem.data[0], fx.mem.len[0]), 4);
	ck_assert_str_eq(fx.mem.data[0] + fx.mem.len[0] - 2, "\r\n");
	row = line_of(fx.mem.data[0], 3);
	ck_assert_ptr_eq(strstr(row, "36,08;\"S\";\"EUR\";;;\"\";10000;8400;"
	    "\"\";0412;\"RE-2026-000002\";\"\";;\"Shopify #1042\";"), row);
	field(row, 95, f, sizeof(f));
	ck_assert_str_eq(f, "#1042");
	field(row, 115, f, sizeof(f));
	ck_assert_str_eq(f, "12102026");
	row = line_of(fx.mem.data[0], 4);
	ck_assert_ptr_eq(strstr(row, "23,19;\"S\";\"EUR\";;;\"\";10000;8300;"),
	    row);
	ck_assert_int_eq(fx.w.n_rows, 2);
	fixture_end(&fx);
}
END_TEST

START_TEST(datev_credit_note_books_side_h)
{
	struct fixture fx;
	char f[16];

	fixture_start(&fx);
	inv_make(&fx.inv, "GS-2026-000001", "2026-12-04");
	fx.inv.doc_type = "381";
	add_ok(&fx);
	finish(&fx);
	field(line_of(fx.mem.data[0], 3), 2, f, sizeof(f));
	ck_assert_str_eq(f, "H");
	field(line_of(fx.mem.data[0], 4), 2, f, sizeof(f));
	ck_assert_str_eq(f, "H");
	field(line_of(fx.mem.data[0], 3), 7, f, sizeof(f));
	ck_assert_str_eq(f, "10000");
	fixture_end(&fx);
}
END_TEST

/* The rounding row: its side in column 2 for each sign and type. */
static void
rounding_side(const char *doc_type, int64_t rounding_minor,
    const char *amount, const char *side)
{
	struct fixture fx;
	const char *row;
	char f[64];

	fixture_start(&fx);
	inv_make(&fx.inv, "RE-2026-000003", "2026-12-04");
	fx.inv.doc_type = doc_type;
	fx.inv.rounding_minor = rounding_minor;
	add_ok(&fx);
	finish(&fx);
	row = line_of(fx.mem.data[0], 5);
	field(row, 1, f, sizeof(f));
	ck_assert_str_eq(f, amount);
	field(row, 2, f, sizeof(f));
	ck_assert_str_eq(f, side);
	field(row, 7, f, sizeof(f));
	ck_assert_str_eq(f, "10000");
	field(row, 8, f, sizeof(f));
	ck_assert_str_eq(f, "1590");
	field(row, 9, f, sizeof(f));
	ck_assert_str_eq(f, "");
	field(row, 14, f, sizeof(f));
	ck_assert_str_eq(f, "Shopify #1042 Rundung");
	fixture_end(&fx);
}

START_TEST(datev_rounding_row_takes_the_side_of_its_sign)
{
	rounding_side("380", 1, "0,01", "S");
	rounding_side("380", -2, "0,02", "H");
	rounding_side("381", 1, "0,01", "H");
	rounding_side("381", -3, "0,03", "S");
}
END_TEST

/* The invoice is refused with field and number named, nothing written. */
static void
refused(struct fixture *fx, const char *field_name)
{
	struct kerr e;

	kerr_clear(&e);
	ck_assert_int_eq(datev_writer_add_invoice(&fx->w, &fx->inv, NULL,
	    &e), KR_BAD_INPUT);
	ck_assert_str_eq(e.field, field_name);
	ck_assert_msg(strstr(e.msg, fx->inv.number) != NULL, "%s", e.msg);
	ck_assert_int_eq(fx->w.nbatch, 0);
}

START_TEST(datev_invoice_with_an_account_too_long_is_refused)
{
	struct fixture fx;

	fixture_start(&fx);
	inv_make(&fx.inv, "RE-2026-000004", "2026-12-04");
	fx.inv.vat[1].account = "83000";
	refused(&fx, "vat[1].account");
	inv_make(&fx.inv, "RE-2026-000004", "2026-12-04");
	fx.inv.debitor = "100000";
	refused(&fx, "booking.debitor");
	fx.inv.debitor = "1000";
	refused(&fx, "booking.debitor");
	fx.inv.debitor = "70000";	/* a creditor */
	refused(&fx, "booking.debitor");
	fixture_end(&fx);
}
END_TEST

START_TEST(datev_invoice_refuses_foreign_currency_without_fx_and_gaps)
{
	struct fixture fx;

	fixture_start(&fx);
	inv_make(&fx.inv, "RE-2026-000005", "2026-12-04");
	memcpy(fx.inv.currency, "CHF", 4);
	refused(&fx, "fx");
	inv_make(&fx.inv, "RE-2026-000005", "2026-12-04");
	fx.inv.has_fx = 1;
	fx.inv.fx_rate_e6 = 939000;
	refused(&fx, "fx");
	memcpy(fx.inv.currency, "CHF", 4);
	fx.inv.vat[0].gross_eur_minor = 3842;
	refused(&fx, "vat[1].gross_eur");
	fx.inv.vat[1].gross_eur_minor = -2470;
	refused(&fx, "vat[1].gross_eur");
	fx.inv.vat[1].gross_eur_minor = 2470;
	fx.inv.fx_rate_e6 = 0;
	refused(&fx, "fx.rate");
	fx.inv.fx_rate_e6 = INT64_C(10000000000);	/* 10000,000000 */
	refused(&fx, "fx.rate");
	fx.inv.fx_rate_e6 = 939000;
	fx.inv.rounding_minor = 1;
	refused(&fx, "fx.rounding");
	inv_make(&fx.inv, "RE-2026-000005", "2026-12-04");
	fx.inv.treatment = "reverse-charge";
	refused(&fx, "treatment");
	inv_make(&fx.inv, "RE-2026-000005", "2026-12-04");
	fx.inv.vat[0].account = NULL;
	refused(&fx, "vat[0].account");
	inv_make(&fx.inv, "RE-2026-000005", "2026-12-04");
	fx.inv.rounding_minor = 1;
	fx.inv.rounding_account = NULL;
	refused(&fx, "booking.rounding_account");
	inv_make(&fx.inv, "RE-2026-000005", "2026-12-04");
	fx.inv.order_number = "#10420000000000000000000000000000000000000"
	    "000000000000";
	refused(&fx, "order_number");
	fixture_end(&fx);
}
END_TEST

START_TEST(datev_invoice_maps_its_number_and_says_so)
{
	struct fixture fx;
	struct datev_note note;
	char f[64];

	fixture_start(&fx);
	inv_make(&fx.inv, "RE 2026.001", "2026-12-04");
	ck_assert_int_eq(datev_writer_add_invoice(&fx.w, &fx.inv, &note,
	    NULL), KR_OK);
	ck_assert_int_eq(note.doc_no_mapped, 1);
	ck_assert_str_eq(note.doc_no, "RE-2026-001");
	finish(&fx);
	field(line_of(fx.mem.data[0], 3), 11, f, sizeof(f));
	ck_assert_str_eq(f, "RE-2026-001");
	fixture_end(&fx);
}
END_TEST

START_TEST(datev_writer_splits_batches_at_a_month_boundary)
{
	struct fixture fx;
	char f[32];

	fixture_start(&fx);
	inv_make(&fx.inv, "RE-2026-000010", "2026-10-31");
	add_ok(&fx);
	inv_make(&fx.inv, "RE-2026-000011", "2026-11-01");
	add_ok(&fx);
	inv_make(&fx.inv, "RE-2026-000012", "2026-10-30");
	add_ok(&fx);
	finish(&fx);
	ck_assert_int_eq(fx.mem.n, 2);
	ck_assert_str_eq(fx.mem.name[0], "EXTF_Buchungsstapel_2026-10.csv");
	ck_assert_str_eq(fx.mem.name[1], "EXTF_Buchungsstapel_2026-11.csv");
	ck_assert_int_eq(count_lines(fx.mem.data[0], fx.mem.len[0]), 6);
	ck_assert_int_eq(count_lines(fx.mem.data[1], fx.mem.len[1]), 4);
	field(fx.mem.data[0], 16, f, sizeof(f));
	ck_assert_str_eq(f, "20261031");
	field(fx.mem.data[1], 15, f, sizeof(f));
	ck_assert_str_eq(f, "20261101");
	field(line_of(fx.mem.data[0], 5), 10, f, sizeof(f));
	ck_assert_str_eq(f, "3010");
	field(line_of(fx.mem.data[1], 3), 10, f, sizeof(f));
	ck_assert_str_eq(f, "0111");
	fixture_end(&fx);
}
END_TEST

START_TEST(datev_writer_splits_batches_at_a_fiscal_year_boundary)
{
	struct fixture fx;
	char f[32];

	cfg.fy_start_month = 7;
	fixture_start(&fx);
	inv_make(&fx.inv, "RE-2026-000020", "2026-06-30");
	add_ok(&fx);
	inv_make(&fx.inv, "RE-2026-000021", "2026-07-01");
	add_ok(&fx);
	finish(&fx);
	ck_assert_int_eq(fx.mem.n, 2);
	field(fx.mem.data[0], 13, f, sizeof(f));
	ck_assert_str_eq(f, "20250701");
	field(fx.mem.data[0], 16, f, sizeof(f));
	ck_assert_str_eq(f, "20260630");
	field(fx.mem.data[1], 13, f, sizeof(f));
	ck_assert_str_eq(f, "20260701");
	field(fx.mem.data[1], 15, f, sizeof(f));
	ck_assert_str_eq(f, "20260701");
	fixture_end(&fx);
}
END_TEST

START_TEST(datev_writer_refuses_a_fiscal_year_not_starting_on_the_first)
{
	struct datev_writer w;
	struct datev_sink sink = { NULL, mem_open, mem_close, mem_discard };
	struct kerr e;

	cfg.fy_start_day = 15;
	ck_assert_int_eq(datev_writer_init(&w, &cfg, &sink, 0, &e),
	    KR_CONFIG);
	ck_assert_str_eq(e.field, "datev.fiscal_year_start");
}
END_TEST

START_TEST(datev_writer_counts_transliterations_in_shop_names)
{
	static struct shop_cfg lodz = { "shop-de", "shopify",
	    "\xC5\x81\xC3\xB3" "d\xC5\xBA Shop" };	/* Łódź Shop */
	struct datev_note note;
	struct fixture fx;
	char f[64];

	cfg.shops = &lodz;
	fixture_start(&fx);
	inv_make(&fx.inv, "RE-2026-000030", "2026-12-04");
	ck_assert_int_eq(datev_writer_add_invoice(&fx.w, &fx.inv, &note,
	    NULL), KR_OK);
	/* Ł and ź per row, two rows; ó is Windows-1252 0xF3. */
	ck_assert_int_eq(note.n_translit, 4);
	finish(&fx);
	field(line_of(fx.mem.data[0], 3), 14, f, sizeof(f));
	ck_assert_str_eq(f, "L\xF3" "dz Shop #1042");
	fixture_end(&fx);
	cfg.shops = &shop;
}
END_TEST

START_TEST(datev_rounding_row_of_a_full_text_drops_the_word_rundung)
{
	/* 30 characters, the most the configuration allows */
	static struct shop_cfg longest = { "shop-de", "shopify",
	    "Kontor Demo Manufaktur Outlet1" };
	struct fixture fx;
	char f[64];

	cfg.shops = &longest;
	fixture_start(&fx);
	inv_make(&fx.inv, "RE-2026-000040", "2026-12-04");
	fx.inv.order_number = "4711-2026-12-04-000000000001";	/* 28 */
	fx.inv.rounding_minor = 1;
	add_ok(&fx);
	inv_make(&fx.inv, "RE-2026-000041", "2026-12-04");
	fx.inv.order_number = "4711-2026-12-04-0000000000002";	/* 29 */
	fx.inv.rounding_minor = 1;
	add_ok(&fx);
	finish(&fx);
	field(line_of(fx.mem.data[0], 5), 14, f, sizeof(f));
	ck_assert_str_eq(f, "Kontor Demo Manufaktur Outlet1 "
	    "4711-2026-12-04-000000000001");
	field(line_of(fx.mem.data[0], 8), 14, f, sizeof(f));
	ck_assert_str_eq(f, "Kontor Demo Manufaktur Outlet1 "
	    "4711-2026-12-04-0000000000002");
	fixture_end(&fx);
	cfg.shops = &shop;
}
END_TEST

START_TEST(datev_writer_refuses_a_shop_name_that_leaves_no_room)
{
	/* 30 characters, but U+2116 is "No" in Windows-1252: 31 */
	static struct shop_cfg wide = { "shop-de", "shopify",
	    "Kontor Demo Manufaktur \xE2\x84\x96 12345" };
	struct datev_writer w;
	struct datev_sink sink = { NULL, mem_open, mem_close, mem_discard };
	struct kerr e;

	cfg.shops = &wide;
	kerr_clear(&e);
	ck_assert_int_eq(datev_writer_init(&w, &cfg, &sink, 0, &e),
	    KR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "shop shop-de: name"));
	ck_assert_ptr_nonnull(strstr(e.msg, "31 characters"));
	cfg.shops = &shop;
}
END_TEST

static Suite *
datev_suite(void)
{
	Suite *s = suite_create("datev");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, datev_row_writes_amounts_with_decimal_comma);
	tcase_add_test(tc,
	    datev_row_refuses_amounts_zero_negative_or_too_long);
	tcase_add_test(tc, datev_row_quotes_semicolon);
	tcase_add_test(tc, datev_row_doubles_quotes_in_buchungstext);
	tcase_add_test(tc, datev_row_has_125_columns_and_ends_in_crlf);
	tcase_add_test(tc,
	    datev_row_writes_empty_text_as_quotes_and_empty_numbers_bare);
	tcase_add_test(tc,
	    datev_row_writes_belegdatum_as_ttmm_and_dates_as_ttmmjjjj);
	tcase_add_test(tc, datev_row_refuses_buchungstext_over_60_characters);
	tcase_add_test(tc, datev_row_refuses_belegfeld_with_dots);
	tcase_add_test(tc, datev_row_writes_kurs_and_eu_rate_formats);
	tcase_add_test(tc,
	    datev_docno_map_replaces_characters_outside_the_set);
	tcase_add_test(tc, datev_header_fields_match_datev_md);
	tcase_add_test(tc,
	    datev_header_takes_wj_beginn_and_period_from_the_month);
	tcase_add_test(tc, datev_names_line_lists_all_125_columns);
	tcase_add_test(tc, datev_invoice_books_the_gross_of_each_breakdown);
	tcase_add_test(tc, datev_credit_note_books_side_h);
	tcase_add_test(tc, datev_rounding_row_takes_the_side_of_its_sign);
	tcase_add_test(tc, datev_invoice_with_an_account_too_long_is_refused);
	tcase_add_test(tc,
	    datev_invoice_refuses_foreign_currency_without_fx_and_gaps);
	tcase_add_test(tc, datev_invoice_maps_its_number_and_says_so);
	tcase_add_test(tc, datev_writer_splits_batches_at_a_month_boundary);
	tcase_add_test(tc,
	    datev_writer_splits_batches_at_a_fiscal_year_boundary);
	tcase_add_test(tc,
	    datev_writer_refuses_a_fiscal_year_not_starting_on_the_first);
	tcase_add_test(tc,
	    datev_writer_counts_transliterations_in_shop_names);
	tcase_add_test(tc,
	    datev_rounding_row_of_a_full_text_drops_the_word_rundung);
	tcase_add_test(tc,
	    datev_writer_refuses_a_shop_name_that_leaves_no_room);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(datev_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

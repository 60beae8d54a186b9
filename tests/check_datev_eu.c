/*
 * DATEV bookings of invoices in other currencies and of other states'
 * VAT, from the hand-written records of tests/data/invoices/ (whose
 * README computes every figure), column by column against
 * ../shared/spec/datev.md §3, §4, §7 and §8; and every batch passes the
 * DATEV checker without a finding.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "config.h"
#include "datev.h"
#include "datev_check.h"
#include "invoice.h"
#include "json.h"
#include "invoice_data.h"
#include "ktime.h"

#include "datev_test.h"

static struct shop_cfg shop = { "shop-de", "shopify", "Shopify" };
static struct config cfg;

struct booked {
	struct mem_sink mem;
	struct datev_sink sink;
	struct datev_writer w;
	struct jdoc doc;
	struct invoice inv;
};

static struct booked b;

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

	memset(&b, 0, sizeof(b));
	b.sink = (struct datev_sink){ &b.mem, mem_open, mem_close,
	    mem_discard };
	ck_assert_int_eq(datev_writer_init(&b.w, &cfg, &b.sink,
	    1796349600, NULL), KR_OK);	/* 2026-12-04 02:00 UTC */
	jdoc_init(&b.doc);
	invoice_init(&b.inv);
}

static void
teardown(void)
{
	datev_writer_release(&b.w);
	invoice_release(&b.inv);
	jdoc_release(&b.doc);
	mem_free(&b.mem);
}

static void
load(const char *name)
{
	invoice_reset(&b.inv);
	jdoc_reset(&b.doc);
	invoice_data_read(&b.doc, &b.inv, "invoices", name);
}

static void
book(void)
{
	struct kerr e;

	kerr_clear(&e);
	ck_assert_msg(datev_writer_add_invoice(&b.w, &b.inv, NULL, &e) ==
	    KR_OK, "%s: %s", e.field, e.msg);
}

static void
refused(const char *field_name, const char *words)
{
	struct kerr e;

	kerr_clear(&e);
	ck_assert_int_eq(datev_writer_add_invoice(&b.w, &b.inv, NULL, &e),
	    KR_BAD_INPUT);
	ck_assert_str_eq(e.field, field_name);
	ck_assert_msg(strstr(e.msg, words) != NULL, "%s", e.msg);
	ck_assert_msg(strstr(e.msg, b.inv.number) != NULL, "%s", e.msg);
}

static void
count_finding(void *arg, const struct datev_finding *f)
{
	(void)arg;
	ck_abort_msg("line %ld column %d (%s): %s", f->line, f->column,
	    f->name ? f->name : "", f->msg);
}

/* Finishes the batch, runs the checker on it; returns its text. */
static const char *
batch(void)
{
	struct datev_check_stats st;
	struct kerr e;
	FILE *fp;

	ck_assert_int_eq(datev_writer_finish(&b.w, NULL), KR_OK);
	ck_assert_int_eq(b.mem.n, 1);
	fp = fmemopen(b.mem.data[0], b.mem.len[0], "r");
	ck_assert_ptr_nonnull(fp);
	kerr_clear(&e);
	ck_assert_int_eq(datev_check_stream(fp, count_finding, NULL, &st,
	    &e), KR_OK);
	fclose(fp);
	ck_assert_int_eq(st.n_errors + st.n_warnings, 0);
	return b.mem.data[0];
}

/* Field n of booking row k (from 1: line k + 2 of the file). */
static const char *
col(const char *file, int k, int n)
{
	static char f[256];

	field(line_of(file, k + 2), n, f, sizeof(f));
	return f;
}

/* Columns 1 to 11, as one string with the file's separators. */
static void
ck_head(const char *file, int k, const char *want)
{
	char got[512] = "";
	int n;

	for (n = 1; n <= 11; n++) {
		if (n > 1)
			strcat(got, ";");
		strcat(got, col(file, k, n));
	}
	ck_assert_str_eq(got, want);
}

/* Columns 40, 41 and 123. */
static void
ck_eu(const char *file, int k, const char *dest, const char *rate,
    const char *origin)
{
	ck_assert_str_eq(col(file, k, 40), dest);
	ck_assert_str_eq(col(file, k, 41), rate);
	ck_assert_str_eq(col(file, k, 123), origin);
}

/*
 * E5: French VAT under OSS, 20 % gross 33.11 and 5.5 % gross 16.77, both
 * on 8320 with key 240; columns 40 FR, 41 the rate with two integer
 * digits, 123 the seller's own VAT id.
 */
START_TEST(datev_oss_rows_name_country_rate_and_own_vat_id)
{
	const char *f;

	load("oss-fr");
	book();
	f = batch();
	ck_assert_int_eq(count_lines(f, strlen(f)), 4);
	ck_head(f, 1, "33,11;S;EUR;;;;10000;8320;240;0412;RE-2026-000101");
	ck_eu(f, 1, "FR", "20,00", "DE318472657");
	ck_head(f, 2, "16,77;S;EUR;;;;10000;8320;240;0412;RE-2026-000101");
	ck_eu(f, 2, "FR", "05,50", "DE318472657");
	ck_assert_str_eq(col(f, 1, 14), "Shopify #1046");
	ck_assert_str_eq(col(f, 2, 115), "20112026");
	ck_assert_str_eq(col(f, 2, 116), "20112026");
}
END_TEST

/*
 * The credit note of E5 (the book back: 14.99 at 5.5 %, VAT 0.78): the
 * sale's OSS account, key and EU columns, on side H.
 */
START_TEST(datev_oss_credit_note_keeps_the_columns_on_side_h)
{
	const char *f;

	load("credit-oss-fr");
	book();
	f = batch();
	ck_assert_int_eq(count_lines(f, strlen(f)), 3);
	ck_head(f, 1, "14,99;H;EUR;;;;10000;8320;240;1212;GS-2026-000101");
	ck_eu(f, 1, "FR", "05,50", "DE318472657");
	ck_assert_str_eq(col(f, 1, 115), "10122026");
}
END_TEST

START_TEST(datev_oss_to_greece_is_el)
{
	const char *f;

	load("oss-fr");
	memcpy(b.inv.vat[0].country, "GR", 3);
	memcpy(b.inv.vat[1].country, "EL", 3);
	book();
	f = batch();
	ck_eu(f, 1, "EL", "20,00", "DE318472657");
	ck_eu(f, 2, "EL", "05,50", "DE318472657");
}
END_TEST

/* E7: tax-free to Austria, 149.80 on 8125, column 40 the buyer's id. */
START_TEST(datev_intra_eu_row_names_the_buyers_vat_id)
{
	const char *f;

	load("intra-eu-at");
	book();
	f = batch();
	ck_assert_int_eq(count_lines(f, strlen(f)), 3);
	ck_head(f, 1, "149,80;S;EUR;;;;10000;8125;;0412;RE-2026-000102");
	ck_eu(f, 1, "ATU67482137", "", "");
}
END_TEST

START_TEST(datev_intra_eu_vat_id_is_written_without_spaces)
{
	load("intra-eu-at");
	b.inv.buyer.vat_id = "atu 674 821 37";
	book();
	ck_eu(batch(), 1, "ATU67482137", "", "");
}
END_TEST

/*
 * E8 in CHF: 115.00 CHF tax-free on 8120; at the rate chosen for the
 * test, 0.9412 CHF per EUR, 115.00 / 0.9412 = 122.1844 -> 122.18 EUR.
 */
START_TEST(datev_export_in_chf_books_kurs_and_basis)
{
	const char *f;

	load("export-ch");
	book();
	f = batch();
	ck_head(f, 1, "115,00;S;CHF;0,941200;122,18;EUR;10000;8120;;0412;"
	    "RE-2026-000103");
	ck_eu(f, 1, "", "", "");
}
END_TEST

/*
 * E10: CHF 1,071.00 at 19 % on the automatic 8400; 1071.00 / 0.9390 =
 * 1140.5751 -> 1140.58 EUR, whose tax DATEV takes out as 1140.58 x 19 /
 * 119 = 182.1094 -> 182.11, BT-111 of the invoice.
 */
START_TEST(datev_e10_in_chf_books_kurs_and_basis)
{
	const char *f;

	load("b2b-chf");
	book();
	f = batch();
	ck_head(f, 1, "1071,00;S;CHF;0,939000;1140,58;EUR;10000;8400;;0412;"
	    "RE-2026-000104");
	ck_assert_str_eq(col(f, 1, 14), "plain-de A-1104");
	ck_eu(f, 1, "", "", "");
}
END_TEST

/*
 * A rounding amount in CHF is booked in CHF too: 0.03 CHF / 0.9390 =
 * 0.0319 -> 0.03 EUR.
 */
START_TEST(datev_rounding_in_chf_has_its_own_basis)
{
	const char *f;

	load("b2b-chf");
	b.inv.rounding_minor = 3;
	b.inv.rounding_eur_minor = 3;
	b.inv.due_minor += 3;
	b.inv.rounding_account = "1590";
	book();
	f = batch();
	ck_head(f, 2, "0,03;S;CHF;0,939000;0,03;EUR;10000;1590;;0412;"
	    "RE-2026-000104");
	ck_eu(f, 2, "", "", "");
}
END_TEST

START_TEST(datev_credit_note_in_chf_is_side_h)
{
	const char *f;

	load("export-ch");
	b.inv.doc_type = "381";
	book();
	f = batch();
	ck_head(f, 1, "115,00;H;CHF;0,941200;122,18;EUR;10000;8120;;0412;"
	    "RE-2026-000103");
}
END_TEST

/* E11: a small business books 28.40 without VAT, no EU columns. */
START_TEST(datev_small_business_has_no_eu_columns)
{
	const char *f;

	load("small-business");
	book();
	f = batch();
	ck_head(f, 1, "28,40;S;EUR;;;;10000;8195;;0412;RE-2026-000105");
	ck_eu(f, 1, "", "", "");
}
END_TEST

START_TEST(datev_oss_refuses_what_its_columns_lack)
{
	load("oss-fr");
	b.inv.seller.vat_id = NULL;
	refused("seller.vat_id", "needs this VAT id");
	load("oss-fr");
	b.inv.vat[1].country[0] = '\0';
	refused("vat[1].country", "member state the goods went to");
	load("oss-fr");
	memcpy(b.inv.vat[0].country, "DE", 3);
	refused("vat[0].country", "got \"DE\"");
	load("oss-fr");
	memcpy(b.inv.vat[0].country, "CH", 3);
	refused("vat[0].country", "got \"CH\"");
	ck_assert_int_eq(b.w.nbatch, 0);
}
END_TEST

START_TEST(datev_intra_eu_refuses_a_missing_or_german_vat_id)
{
	load("intra-eu-at");
	b.inv.buyer.vat_id = NULL;
	refused("buyer.vat_id", "needs this VAT id");
	b.inv.buyer.vat_id = "DE271635481";
	refused("buyer.vat_id", "another member state");
	b.inv.buyer.vat_id = "CHE123456789";
	refused("buyer.vat_id", "no EU VAT id");
	b.inv.buyer.vat_id = "AT";
	refused("buyer.vat_id", "no EU VAT id");
	ck_assert_int_eq(b.w.nbatch, 0);
}
END_TEST

static const char *const names[] = {
	"oss-fr", "credit-oss-fr", "intra-eu-at", "export-ch", "b2b-chf",
	"small-business"
};
#define NNAMES	(sizeof(names) / sizeof(names[0]))

/* All of them in one batch: the checker finds nothing. */
START_TEST(datev_every_record_passes_the_checker_in_one_batch)
{
	const char *f;
	size_t i;

	for (i = 0; i < NNAMES; i++) {
		load(names[i]);
		book();
	}
	f = batch();
	ck_assert_int_eq(count_lines(f, strlen(f)), 2 + 7);
}
END_TEST

/*
 * Reads tests/data/invoices/NAME.jsonl again, with the first from in
 * its text replaced by to, into b.doc; text keeps the bytes.
 */
static void
parse_changed(const char *name, const char *from, const char *to,
    struct buf *text)
{
	struct buf orig;
	struct jw w;
	const char *at;
	struct kerr e;

	load(name);
	buf_init(&orig, 0);
	jw_init(&w, &orig);
	jw_node(&w, b.doc.root);
	at = strstr(orig.data, from);
	ck_assert_ptr_nonnull(at);
	buf_add(text, orig.data, (size_t)(at - orig.data));
	buf_add(text, to, strlen(to));
	buf_add(text, at + strlen(from), strlen(at + strlen(from)));
	buf_release(&orig);
	kerr_clear(&e);
	ck_assert_int_eq(jdoc_parse(&b.doc, text->data, text->len, &e),
	    KR_OK);
}

/*
 * The batch of every record read whole, as a copy to free; the writer
 * starts again, empty.
 */
static char *
booked_whole(void)
{
	char *rows;
	size_t i;

	for (i = 0; i < NNAMES; i++) {
		load(names[i]);
		book();
	}
	rows = strdup(batch());
	ck_assert_ptr_nonnull(rows);
	datev_writer_release(&b.w);
	mem_free(&b.mem);
	memset(&b.mem, 0, sizeof(b.mem));
	ck_assert_int_eq(datev_writer_init(&b.w, &cfg, &b.sink,
	    1796349600, NULL), KR_OK);
	return rows;
}

/*
 * A delivery reads the stored invoices with invoice_read_booking: every
 * record books the same rows as when it is read whole.
 */
START_TEST(datev_booking_read_books_the_same_rows)
{
	struct kerr e;
	char *whole;
	size_t i;

	whole = booked_whole();
	for (i = 0; i < NNAMES; i++) {
		load(names[i]);
		kerr_clear(&e);
		ck_assert_int_eq(invoice_read_booking(&b.inv, b.doc.root, &e),
		    KR_OK);
		ck_assert_int_eq(invoice_check_sums(&b.inv, &e), KR_OK);
		ck_assert_ptr_null(b.inv.buyer.name);
		book();
	}
	ck_assert_str_eq(batch(), whole);
	free(whole);
}
END_TEST

static void
same_str(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		ck_assert_ptr_eq(x, y);
	else
		ck_assert_str_eq(x, y);
}

/* Every field of a and b, those no booking reads included. */
static void
same_invoice(const struct invoice *p, const struct invoice *q)
{
	size_t i;

	same_str(p->source_file, q->source_file);
	same_str(p->source_line, q->source_line);
	same_str(p->run_id, q->run_id);
	same_str(p->number, q->number);
	same_str(p->doc_type, q->doc_type);
	ck_assert_int_eq(p->provisional, q->provisional);
	same_str(p->issue_date, q->issue_date);
	same_str(p->supply_date, q->supply_date);
	same_str(p->shop, q->shop);
	same_str(p->platform, q->platform);
	same_str(p->order_id, q->order_id);
	same_str(p->order_number, q->order_number);
	same_str(p->refund_id, q->refund_id);
	same_str(p->preceding_number, q->preceding_number);
	same_str(p->preceding_date, q->preceding_date);
	ck_assert_str_eq(p->currency, q->currency);
	ck_assert_int_eq(p->exponent, q->exponent);
	ck_assert_int_eq(p->mode, q->mode);
	same_str(p->treatment, q->treatment);
	same_str(p->treatment_reason, q->treatment_reason);
	same_str(p->seller.name, q->seller.name);
	same_str(p->seller.vat_id, q->seller.vat_id);
	same_str(p->buyer.name, q->buyer.name);
	same_str(p->buyer.vat_id, q->buyer.vat_id);
	same_str(p->buyer.addr.city, q->buyer.addr.city);
	same_str(p->delivery.city, q->delivery.city);
	same_str(p->buyer_reference, q->buyer_reference);
	ck_assert_uint_eq(p->nlines, q->nlines);
	for (i = 0; i < p->nlines; i++) {
		same_str(p->lines[i].id, q->lines[i].id);
		same_str(p->lines[i].name, q->lines[i].name);
		ck_assert_str_eq(p->lines[i].category, q->lines[i].category);
		ck_assert_int_eq(p->lines[i].rate_bp, q->lines[i].rate_bp);
		ck_assert_int_eq(p->lines[i].net_minor, q->lines[i].net_minor);
		ck_assert_int_eq(p->lines[i].qty_e4, q->lines[i].qty_e4);
		ck_assert_int_eq(p->lines[i].gross_minor,
		    q->lines[i].gross_minor);
	}
	ck_assert_uint_eq(p->nadjusts, q->nadjusts);
	for (i = 0; i < p->nadjusts; i++) {
		const struct inv_adjust *x = &p->adjusts[i];
		const struct inv_adjust *y = &q->adjusts[i];

		ck_assert_int_eq(x->charge, y->charge);
		same_str(x->reason, y->reason);
		ck_assert_str_eq(x->category, y->category);
		ck_assert_int_eq(x->rate_bp, y->rate_bp);
		ck_assert_int_eq(x->net_minor, y->net_minor);
		ck_assert_int_eq(x->gross_minor, y->gross_minor);
	}
	ck_assert_uint_eq(p->nvat, q->nvat);
	for (i = 0; i < p->nvat; i++) {
		const struct inv_vat *x = &p->vat[i], *y = &q->vat[i];

		ck_assert_str_eq(x->category, y->category);
		ck_assert_int_eq(x->rate_bp, y->rate_bp);
		ck_assert_int_eq(x->taxable_minor, y->taxable_minor);
		ck_assert_int_eq(x->vat_minor, y->vat_minor);
		ck_assert_int_eq(x->gross_minor, y->gross_minor);
		ck_assert_int_eq(x->delta_minor, y->delta_minor);
		same_str(x->exemption_reason, y->exemption_reason);
		same_str(x->exemption_code, y->exemption_code);
		same_str(x->account, y->account);
		same_str(x->tax_key, y->tax_key);
		ck_assert_str_eq(x->country, y->country);
		ck_assert_int_eq(x->gross_eur_minor, y->gross_eur_minor);
	}
	ck_assert_int_eq(p->line_net_minor, q->line_net_minor);
	ck_assert_int_eq(p->allowances_minor, q->allowances_minor);
	ck_assert_int_eq(p->charges_minor, q->charges_minor);
	ck_assert_int_eq(p->net_minor, q->net_minor);
	ck_assert_int_eq(p->vat_total_minor, q->vat_total_minor);
	ck_assert_int_eq(p->gross_minor, q->gross_minor);
	ck_assert_int_eq(p->paid_minor, q->paid_minor);
	ck_assert_int_eq(p->rounding_minor, q->rounding_minor);
	ck_assert_int_eq(p->due_minor, q->due_minor);
	ck_assert_int_eq(p->has_fx, q->has_fx);
	ck_assert_int_eq(p->fx_rate_e6, q->fx_rate_e6);
	same_str(p->fx_source, q->fx_source);
	ck_assert_int_eq(p->vat_eur_minor, q->vat_eur_minor);
	ck_assert_int_eq(p->rounding_eur_minor, q->rounding_eur_minor);
	same_str(p->note, q->note);
	same_str(p->pay_means, q->pay_means);
	same_str(p->vies_number, q->vies_number);
	same_str(p->debitor, q->debitor);
	same_str(p->rounding_account, q->rounding_account);
}

/*
 * kontor-tax --datev books the invoices it stores from memory, copied
 * with invoice_copy_booking: the copy of an invoice read whole is, field
 * by field, what invoice_read_booking reads of its record, and books
 * the same rows.
 */
START_TEST(datev_booking_copy_is_what_the_booking_read_reads)
{
	struct invoice whole, copy;
	struct arena *a = arena_new((size_t)1 << 20);
	struct jdoc doc;
	struct kerr e;
	char *rows;
	size_t i;

	rows = booked_whole();
	for (i = 0; i < NNAMES; i++) {
		/* The copy outlives the record and the invoice read. */
		jdoc_init(&doc);
		invoice_init(&whole);
		invoice_data_read(&doc, &whole, "invoices", names[i]);
		arena_reset(a);
		invoice_copy_booking(&copy, &whole, a);
		invoice_release(&whole);
		jdoc_release(&doc);

		load(names[i]);
		kerr_clear(&e);
		ck_assert_int_eq(invoice_read_booking(&b.inv, b.doc.root, &e),
		    KR_OK);
		same_invoice(&copy, &b.inv);
		ck_assert_int_eq(invoice_check_sums(&copy, &e), KR_OK);
		ck_assert_int_eq(datev_writer_add_invoice(&b.w, &copy, NULL,
		    &e), KR_OK);
	}
	ck_assert_str_eq(batch(), rows);
	arena_free(a);
	free(rows);
}
END_TEST

/* A sink whose every file is /dev/full, unbuffered: each write fails. */
static int
full_open(void *arg, const char *name, FILE **fp, struct kerr *e)
{
	(void)arg;
	(void)name;
	(void)e;
	*fp = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(*fp);
	setvbuf(*fp, NULL, _IONBF, 0);
	return KR_OK;
}

static int
full_close(void *arg, FILE *fp, const char *name, struct kerr *e)
{
	(void)arg;
	(void)name;
	(void)e;
	fclose(fp);
	return KR_OK;
}

/* A batch file that cannot be written is named, with the reason. */
START_TEST(datev_write_failure_names_file_and_reason)
{
	const struct datev_sink full = { NULL, full_open, full_close,
	    mem_discard };
	struct datev_writer w;
	struct kerr e;

	ck_assert_int_eq(datev_writer_init(&w, &cfg, &full, 1796349600,
	    NULL), KR_OK);
	load("oss-fr");
	kerr_clear(&e);
	ck_assert_int_eq(datev_writer_add_invoice(&w, &b.inv, NULL, &e),
	    KR_IO);
	ck_assert_msg(strstr(e.msg, "EXTF_Buchungsstapel_") != NULL &&
	    strstr(e.msg, ": cannot write: No space left on device") != NULL,
	    "%s", e.msg);
	datev_writer_release(&w);
}
END_TEST

/*
 * It leaves out what no booking needs, unchecked, and checks what it
 * reads as invoice_read does.
 */
START_TEST(datev_booking_read_checks_only_what_it_reads)
{
	struct buf text;
	struct kerr e;

	buf_init(&text, 0);
	parse_changed("oss-fr", "\"name\":\"Camille Martin\"", "\"x\":1",
	    &text);
	kerr_clear(&e);
	ck_assert_int_eq(invoice_read(&b.inv, b.doc.root, &e), KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "buyer.name");
	kerr_clear(&e);
	ck_assert_int_eq(invoice_read_booking(&b.inv, b.doc.root, &e),
	    KR_OK);
	buf_release(&text);

	buf_init(&text, 0);
	parse_changed("oss-fr", "\"net\":\"24.99\"", "\"net\":\"24,99\"",
	    &text);
	kerr_clear(&e);
	ck_assert_int_eq(invoice_read_booking(&b.inv, b.doc.root, &e),
	    KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "lines[0].net");
	buf_release(&text);
}
END_TEST

static Suite *
datev_eu_suite(void)
{
	Suite *s = suite_create("datev_eu");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, datev_oss_rows_name_country_rate_and_own_vat_id);
	tcase_add_test(tc, datev_oss_credit_note_keeps_the_columns_on_side_h);
	tcase_add_test(tc, datev_oss_to_greece_is_el);
	tcase_add_test(tc, datev_intra_eu_row_names_the_buyers_vat_id);
	tcase_add_test(tc, datev_intra_eu_vat_id_is_written_without_spaces);
	tcase_add_test(tc, datev_export_in_chf_books_kurs_and_basis);
	tcase_add_test(tc, datev_e10_in_chf_books_kurs_and_basis);
	tcase_add_test(tc, datev_rounding_in_chf_has_its_own_basis);
	tcase_add_test(tc, datev_credit_note_in_chf_is_side_h);
	tcase_add_test(tc, datev_small_business_has_no_eu_columns);
	tcase_add_test(tc, datev_oss_refuses_what_its_columns_lack);
	tcase_add_test(tc, datev_intra_eu_refuses_a_missing_or_german_vat_id);
	tcase_add_test(tc, datev_every_record_passes_the_checker_in_one_batch);
	tcase_add_test(tc, datev_booking_read_books_the_same_rows);
	tcase_add_test(tc, datev_booking_read_checks_only_what_it_reads);
	tcase_add_test(tc, datev_booking_copy_is_what_the_booking_read_reads);
	tcase_add_test(tc, datev_write_failure_names_file_and_reason);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(datev_eu_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

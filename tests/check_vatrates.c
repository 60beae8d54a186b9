#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "testdir.h"
#include "vatrates.h"

/*
 * The tables come from data/vat (a copy of the shared data
 * folder), or from the folder KONTOR_VAT_DATA names.  Expected figures
 * are those of the two CSV files and of ../shared/spec/tax.md §17.
 */

static struct vatrates *vr;
static char data_dir[4096];

static void
find_data_dir(void)
{
	const char *dir = getenv("KONTOR_VAT_DATA");
	const char *top = getenv("KONTOR_TOP");

	if (dir != NULL && dir[0] != '\0')
		snprintf(data_dir, sizeof(data_dir), "%s", dir);
	else
		snprintf(data_dir, sizeof(data_dir), "%s/data/vat",
		    top != NULL ? top : ".");
}

static void
setup(void)
{
	struct kerr e;
	char msg[1024];
	int rc;

	find_data_dir();
	kerr_clear(&e);
	rc = vatrates_load(&vr, data_dir, &e);
	kerr_format(&e, msg, sizeof(msg));
	ck_assert_msg(rc == KR_OK, "loading %s: %s", data_dir, msg);
}

static void
teardown(void)
{
	vatrates_free(vr);
	vr = NULL;
}

static int64_t
standard(const char *cc, const char *date)
{
	struct kerr e;
	int64_t bp = -1;

	kerr_clear(&e);
	ck_assert_msg(vatrates_standard(vr, cc, date, &bp, &e) == KR_OK,
	    "%s %s: %s", cc, date, e.msg);
	return bp;
}

static int
valid(const char *cc, const char *date, int64_t bp)
{
	struct kerr e;
	int rc;

	kerr_clear(&e);
	rc = vatrates_check(vr, cc, date, bp, &e);
	ck_assert_msg(rc == KR_OK || rc == KR_BAD_INPUT, "%s %s: %s", cc,
	    date, e.msg);
	return rc == KR_OK;
}

static int64_t
rate_of(const char *cc, const char *date, enum vat_rate_type t)
{
	struct kerr e;
	int64_t bp = -1;
	int rc;

	kerr_clear(&e);
	rc = vatrates_rate(vr, cc, date, t, &bp, &e);
	if (rc == KR_NOT_FOUND)
		return -1;
	ck_assert_msg(rc == KR_OK, "%s %s: %s", cc, date, e.msg);
	return bp;
}

/* Each row of eu-vat-rates.csv as the set a line may carry. */
static const struct {
	const char *cc;
	int64_t rate_bp[8];	/* highest first, ends with 0 */
} table[] = {
	{"AT", {2000, 1300, 1000, 0}},
	{"BE", {2100, 1200, 600, 0}},
	{"BG", {2000, 900, 0}},
	{"CY", {1900, 900, 500, 300, 0}},
	{"CZ", {2100, 1200, 0}},
	{"DE", {1900, 700, 0}},
	{"DK", {2500, 0}},
	{"EE", {2400, 1300, 900, 0}},
	{"ES", {2100, 1000, 400, 0}},
	{"FI", {2550, 1350, 1000, 0}},
	{"FR", {2000, 1000, 550, 210, 0}},
	{"GR", {2400, 1300, 600, 0}},
	{"HR", {2500, 1300, 500, 0}},
	{"HU", {2700, 1800, 500, 0}},
	{"IE", {2300, 1350, 900, 480, 0}},
	{"IT", {2200, 1000, 500, 400, 0}},
	{"LT", {2100, 1200, 500, 0}},
	{"LU", {1700, 1400, 800, 300, 0}},
	{"LV", {2100, 1200, 500, 0}},
	{"MT", {1800, 1200, 700, 500, 0}},
	{"NL", {2100, 900, 0}},
	{"PL", {2300, 800, 500, 0}},
	{"PT", {2300, 1300, 600, 0}},
	{"RO", {2100, 1100, 0}},
	{"SE", {2500, 1200, 600, 0}},
	{"SI", {2200, 950, 500, 0}},
	{"SK", {2300, 1900, 500, 0}},
	{"XI", {2000, 500, 0}},
};
#define NTABLE	(sizeof(table) / sizeof(table[0]))

START_TEST(vatrates_standard_rates_on_2026_01_01_are_the_table)
{
	size_t i;

	ck_assert_int_eq(NTABLE, 28);
	for (i = 0; i < NTABLE; i++)
		ck_assert_msg(standard(table[i].cc, "2026-01-01") ==
		    table[i].rate_bp[0], "%s", table[i].cc);
}
END_TEST

START_TEST(vatrates_sets_on_2026_01_01_are_the_table_plus_zero)
{
	struct vat_rate_set set;
	struct kerr e;
	size_t i;
	int k;

	for (i = 0; i < NTABLE; i++) {
		kerr_clear(&e);
		ck_assert_int_eq(vatrates_set(vr, table[i].cc, "2026-01-01",
		    &set, &e), KR_OK);
		for (k = 0; k < set.n; k++)
			ck_assert_msg(set.rate_bp[k] == table[i].rate_bp[k],
			    "%s rate %d: %lld", table[i].cc, k,
			    (long long)set.rate_bp[k]);
		ck_assert_msg(set.rate_bp[set.n - 1] == 0, "%s", table[i].cc);
	}
}
END_TEST

START_TEST(vatrates_replays_the_german_cut_of_2020)
{
	ck_assert(valid("DE", "2020-09-01", 1600));
	ck_assert(valid("DE", "2020-09-01", 500));
	ck_assert(!valid("DE", "2020-09-01", 1900));
	ck_assert(!valid("DE", "2020-09-01", 700));
	ck_assert_int_eq(standard("DE", "2020-07-01"), 1600);
	ck_assert_int_eq(standard("DE", "2020-12-31"), 1600);
	ck_assert_int_eq(standard("DE", "2021-01-01"), 1900);
	ck_assert(!valid("DE", "2021-02-01", 1600));
	ck_assert(!valid("DE", "2021-02-01", 500));
	ck_assert(valid("DE", "2021-02-01", 700));
	ck_assert(valid("DE", "2021-02-01", 0));
}
END_TEST

START_TEST(vatrates_refuses_dates_the_data_do_not_cover)
{
	struct kerr e;
	int64_t bp;

	kerr_clear(&e);
	ck_assert_int_eq(vatrates_standard(vr, "DE", "2020-06-30", &bp, &e),
	    KR_NOT_FOUND);
	ck_assert_str_eq(e.field, "date");
	ck_assert_ptr_nonnull(strstr(e.msg, "2020-07-01"));
	ck_assert_int_eq(vatrates_standard(vr, "IE", "2020-08-31", &bp, &e),
	    KR_NOT_FOUND);
	ck_assert_int_eq(standard("IE", "2020-09-01"), 2100);
	ck_assert_int_eq(vatrates_standard(vr, "FR", "2021-06-30", &bp, &e),
	    KR_NOT_FOUND);
	ck_assert_int_eq(standard("FR", "2021-07-01"), 2000);
	ck_assert_int_eq(standard("AT", "2020-07-01"), 2000);
}
END_TEST

START_TEST(vatrates_replays_austria_before_and_after_the_table)
{
	ck_assert(!valid("AT", "2026-01-01", 490));
	ck_assert(!valid("AT", "2026-06-30", 490));
	ck_assert(valid("AT", "2026-07-01", 490));
	ck_assert(valid("AT", "2030-01-01", 490));
	ck_assert(valid("AT", "2020-07-01", 500));
	ck_assert(valid("AT", "2021-12-31", 500));
	ck_assert(!valid("AT", "2022-01-01", 500));
	ck_assert_int_eq(standard("AT", "2026-07-01"), 2000);
	ck_assert_int_eq(rate_of("AT", "2026-07-01", VAT_RATE_REDUCED_LOW),
	    490);
	ck_assert_int_eq(rate_of("AT", "2026-06-30", VAT_RATE_REDUCED_LOW),
	    1000);
}
END_TEST

START_TEST(vatrates_replays_finland_and_estonia)
{
	ck_assert_int_eq(standard("FI", "2024-08-31"), 2400);
	ck_assert_int_eq(standard("FI", "2024-09-01"), 2550);
	ck_assert(valid("FI", "2025-12-31", 1400));
	ck_assert(!valid("FI", "2025-12-31", 1350));
	ck_assert(!valid("FI", "2026-01-01", 1400));
	ck_assert(valid("FI", "2026-01-01", 1350));

	ck_assert_int_eq(standard("EE", "2023-12-31"), 2000);
	ck_assert_int_eq(standard("EE", "2024-01-01"), 2200);
	ck_assert_int_eq(standard("EE", "2025-06-30"), 2200);
	ck_assert_int_eq(standard("EE", "2025-07-01"), 2400);
	ck_assert(!valid("EE", "2022-07-31", 500));
	ck_assert(valid("EE", "2022-08-01", 500));
	ck_assert(valid("EE", "2024-12-31", 500));
	ck_assert(!valid("EE", "2025-01-01", 500));
	ck_assert(!valid("EE", "2024-12-31", 1300));
	ck_assert(valid("EE", "2025-01-01", 1300));
}
END_TEST

START_TEST(vatrates_replays_merges_and_temporary_cuts)
{
	/* CZ: 15 and 10 became one 12 on 2024-01-01. */
	ck_assert(valid("CZ", "2023-12-31", 1500));
	ck_assert(valid("CZ", "2023-12-31", 1000));
	ck_assert(!valid("CZ", "2023-12-31", 1200));
	ck_assert(valid("CZ", "2024-01-01", 1200));
	ck_assert(!valid("CZ", "2024-01-01", 1000));

	/* LU: 2023 only, 16/13/7. */
	ck_assert_int_eq(standard("LU", "2022-12-31"), 1700);
	ck_assert_int_eq(standard("LU", "2023-01-01"), 1600);
	ck_assert_int_eq(rate_of("LU", "2023-06-30", VAT_RATE_PARKING),
	    1300);
	ck_assert_int_eq(rate_of("LU", "2023-06-30", VAT_RATE_REDUCED),
	    700);
	ck_assert_int_eq(standard("LU", "2024-01-01"), 1700);
	ck_assert_int_eq(rate_of("LU", "2024-01-01", VAT_RATE_PARKING),
	    1400);

	/* IE: 21 from 2020-09-01 to 2021-02-28. */
	ck_assert_int_eq(standard("IE", "2021-02-28"), 2100);
	ck_assert_int_eq(standard("IE", "2021-03-01"), 2300);

	/* RO and SK rate sets changed with the standard rate. */
	ck_assert(valid("RO", "2025-07-31", 900));
	ck_assert(valid("RO", "2025-07-31", 500));
	ck_assert(!valid("RO", "2025-08-01", 500));
	ck_assert_int_eq(standard("RO", "2025-08-01"), 2100);
	ck_assert(valid("SK", "2024-12-31", 1000));
	ck_assert(!valid("SK", "2025-01-01", 1000));
	ck_assert(valid("SK", "2025-01-01", 1900));
	ck_assert(!valid("SK", "2022-12-31", 500));
	ck_assert(valid("SK", "2023-01-01", 500));

	/* LT: 9 became 12 on the table's day; CY: 3 from 2023-07-21. */
	ck_assert(valid("LT", "2025-12-31", 900));
	ck_assert(!valid("LT", "2025-12-31", 1200));
	ck_assert(valid("LT", "2026-01-01", 1200));
	ck_assert(!valid("CY", "2023-07-20", 300));
	ck_assert(valid("CY", "2023-07-21", 300));
}
END_TEST

START_TEST(vatrates_knows_the_rates_of_the_worked_examples)
{
	/* tax.md §17: E5 FR 20 and 5.5, E6 AT 20 and NL 21, E12 ES 21. */
	ck_assert(valid("FR", "2026-03-15", 2000));
	ck_assert(valid("FR", "2026-03-15", 550));
	ck_assert_int_eq(standard("FR", "2026-03-15"), 2000);
	ck_assert_int_eq(rate_of("FR", "2026-03-15", VAT_RATE_REDUCED_LOW),
	    550);
	ck_assert_int_eq(standard("NL", "2026-11-02"), 2100);
	ck_assert_int_eq(standard("AT", "2026-11-02"), 2000);
	ck_assert_int_eq(standard("ES", "2026-11-02"), 2100);
	ck_assert_int_eq(standard("DE", "2026-11-02"), 1900);
	ck_assert(valid("DE", "2026-11-02", 700));
	ck_assert(!valid("FR", "2026-03-15", 1900));
	ck_assert(!valid("NL", "2026-11-02", 600));
}
END_TEST

START_TEST(vatrates_maps_rate_types)
{
	enum vat_rate_type t;

	ck_assert_int_eq(rate_of("FR", "2026-01-01", VAT_RATE_STANDARD),
	    2000);
	ck_assert_int_eq(rate_of("FR", "2026-01-01", VAT_RATE_REDUCED), 1000);
	ck_assert_int_eq(rate_of("FR", "2026-01-01", VAT_RATE_REDUCED_LOW),
	    550);
	ck_assert_int_eq(rate_of("FR", "2026-01-01", VAT_RATE_SUPER_REDUCED),
	    210);
	ck_assert_int_eq(rate_of("FR", "2026-01-01", VAT_RATE_PARKING), -1);
	ck_assert_int_eq(rate_of("FR", "2026-01-01", VAT_RATE_ZERO), 0);
	ck_assert_int_eq(rate_of("DE", "2026-01-01", VAT_RATE_REDUCED), 700);
	ck_assert_int_eq(rate_of("DK", "2026-01-01", VAT_RATE_REDUCED), -1);
	ck_assert_int_eq(rate_of("DK", "2026-01-01", VAT_RATE_ZERO), 0);
	ck_assert_int_eq(rate_of("IE", "2026-01-01", VAT_RATE_PARKING), 1350);
	ck_assert_int_eq(rate_of("IE", "2026-01-01",
	    VAT_RATE_SUPER_REDUCED), 480);
	ck_assert_int_eq(rate_of("XI", "2026-01-01", VAT_RATE_REDUCED), 500);

	for (t = VAT_RATE_STANDARD; t <= VAT_RATE_ZERO; t++) {
		enum vat_rate_type back = VAT_RATE_ZERO;

		ck_assert_int_eq(vatrates_type_parse(vatrates_type_name(t),
		    &back), KR_OK);
		ck_assert_int_eq(back, t);
	}
	ck_assert_int_eq(vatrates_type_parse("Reduced", &t), KR_BAD_INPUT);
	ck_assert_int_eq(vatrates_type_parse("exempt", &t), KR_BAD_INPUT);
	ck_assert_int_eq(vatrates_type_parse(NULL, &t), KR_BAD_INPUT);
}
END_TEST

START_TEST(vatrates_check_lists_the_valid_rates)
{
	struct kerr e;

	kerr_clear(&e);
	ck_assert_int_eq(vatrates_check(vr, "FR", "2026-03-15", 1900, &e),
	    KR_BAD_INPUT);
	ck_assert_str_eq(e.field, "rate");
	ck_assert_str_eq(e.msg, "19 is not a VAT rate of FR on 2026-03-15 "
	    "(the rates are 20, 10, 5.5, 2.1, 0)");
}
END_TEST

START_TEST(vatrates_refuses_unknown_countries_and_dates)
{
	struct vat_rate_set set;
	struct kerr e;
	int64_t bp;

	kerr_clear(&e);
	ck_assert_int_eq(vatrates_standard(vr, "CH", "2026-01-01", &bp, &e),
	    KR_NOT_FOUND);
	ck_assert_int_eq(vatrates_standard(vr, "GB", "2026-01-01", &bp, &e),
	    KR_NOT_FOUND);
	ck_assert_int_eq(vatrates_standard(vr, "EL", "2026-01-01", &bp, &e),
	    KR_NOT_FOUND);
	ck_assert_ptr_nonnull(strstr(e.msg, "GR"));
	ck_assert_int_eq(vatrates_standard(vr, "de", "2026-01-01", &bp, &e),
	    KR_NOT_FOUND);
	ck_assert_int_eq(vatrates_standard(vr, NULL, "2026-01-01", &bp, &e),
	    KR_NOT_FOUND);
	ck_assert_int_eq(vatrates_set(vr, "DE", "2026-02-30", &set, &e),
	    KR_BAD_INPUT);
	ck_assert_int_eq(set.n, 0);
	ck_assert_int_eq(vatrates_set(vr, "DE", "2026-1-1", &set, &e),
	    KR_BAD_INPUT);
	ck_assert_int_eq(vatrates_set(vr, "DE", NULL, &set, &e),
	    KR_BAD_INPUT);
	ck_assert_int_eq(standard("GR", "2026-01-01"), 2400);
}
END_TEST

/* Malformed files: each case changes one place of a copy of the data. */

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *text;
	long n;

	ck_assert_msg(fp != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	text = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(text, 1, (size_t)n, fp), (size_t)n);
	text[n] = '\0';
	fclose(fp);
	return text;
}

/*
 * Writes both files into a new scratch folder, the one named file with
 * its first "from" replaced by "to", and loads the folder.
 */
static int
load_variant(const char *file, const char *from, const char *to,
    struct kerr *e)
{
	static const char *const names[] = {
		VATRATES_FILE, VATRATES_HISTORY_FILE
	};
	char dir[4096], path[8192], *text, *at, *out;
	struct vatrates *v = NULL;
	int i, rc;

	testdir_make(dir, sizeof(dir), "vatrates");
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", data_dir, names[i]);
		text = slurp(path);
		out = text;
		if (strcmp(file, names[i]) == 0) {
			at = strstr(text, from);
			ck_assert_msg(at != NULL, "\"%s\" not in %s", from,
			    file);
			out = malloc(strlen(text) + strlen(to) + 1);
			memcpy(out, text, (size_t)(at - text));
			strcpy(out + (at - text), to);
			strcat(out, at + strlen(from));
		}
		testdir_write(dir, names[i], out);
		if (out != text)
			free(out);
		free(text);
	}
	find_data_dir();
	kerr_clear(e);
	rc = vatrates_load(&v, dir, e);
	ck_assert(rc == KR_OK ? v != NULL : v == NULL);
	vatrates_free(v);
	testdir_remove(dir);
	return rc;
}

/* Asserts that e names file, line and column. */
static void
assert_where(const struct kerr *e, const char *file, long line,
    const char *column)
{
	size_t n = strlen(e->file), m = strlen(file);

	ck_assert_msg(n >= m && strcmp(e->file + n - m, file) == 0,
	    "file %s", e->file);
	ck_assert_msg(e->line == line, "line %ld, expected %ld (%s)",
	    e->line, line, e->msg);
	ck_assert_msg(strncmp(e->field, column, strlen(column)) == 0,
	    "field \"%s\", expected \"%s\" (%s)", e->field, column, e->msg);
}

START_TEST(vatrates_refuses_malformed_table_rows)
{
	const char *f = VATRATES_FILE;
	struct kerr e;

	find_data_dir();
	ck_assert_int_eq(load_variant(f, "DE,Germany,19,", "DE,Germany,19%,",
	    &e), KR_BAD_INPUT);
	assert_where(&e, f, 7, "column 3 (standard_rate)");
	ck_assert_ptr_nonnull(strstr(e.msg, "\"19%\""));

	ck_assert_int_eq(load_variant(f, "FR,France,20,10;5.5,",
	    "FR,France,20,10;,", &e), KR_BAD_INPUT);
	assert_where(&e, f, 12, "column 4 (reduced_rates)");

	ck_assert_int_eq(load_variant(f, "FR,France,20,10;5.5,",
	    "FR,France,20,5.5;10,", &e), KR_BAD_INPUT);
	assert_where(&e, f, 12, "column 4 (reduced_rates)");

	ck_assert_int_eq(load_variant(f, "GR,Greece", "EL,Greece", &e),
	    KR_BAD_INPUT);
	assert_where(&e, f, 13, "column 1 (country_code)");

	ck_assert_int_eq(load_variant(f, "DK,Denmark,25,,,,1992-01-01,",
	    "DK,Denmark,25,,,1992-01-01,", &e), KR_BAD_INPUT);
	assert_where(&e, f, 8, "column 8 (source)");

	ck_assert_int_eq(load_variant(f, "1992-01-01,tedb26;hist",
	    "1992-02-30,tedb26;hist", &e), KR_BAD_INPUT);
	assert_where(&e, f, 8, "column 7 (valid_from)");

	ck_assert_int_eq(load_variant(f, "Malta,18", "Malta,\"18\"", &e),
	    KR_BAD_INPUT);
	assert_where(&e, f, 21, "column 3 (standard_rate)");

	ck_assert_int_eq(load_variant(f, "tedb26;hist;ibericode\nBE",
	    "tedb26;hist;ibericode\r\nBE", &e), KR_BAD_INPUT);
	assert_where(&e, f, 2, "column 8 (source)");

	ck_assert_int_eq(load_variant(f, "parking_rate", "parking", &e),
	    KR_BAD_INPUT);
	assert_where(&e, f, 1, "column 6 (parking_rate)");

	ck_assert_int_eq(load_variant(f, "LU,Luxembourg,17,8,3,14,",
	    "LU,Luxembourg,17,8,3,18,", &e), KR_BAD_INPUT);
	assert_where(&e, f, 19, "column 6 (parking_rate)");
}
END_TEST

START_TEST(vatrates_refuses_missing_and_doubled_countries)
{
	const char *f = VATRATES_FILE;
	struct kerr e;

	find_data_dir();
	ck_assert_int_eq(load_variant(f, "NL,Netherlands,21,9,,,2012-10-01,"
	    "tedb26;hist\n", "", &e), KR_BAD_INPUT);
	assert_where(&e, f, 0, "");
	ck_assert_str_eq(e.msg, "no row for NL");

	ck_assert_int_eq(load_variant(f, "NL,Netherlands", "BE,Netherlands",
	    &e), KR_BAD_INPUT);
	assert_where(&e, f, 22, "column 1 (country_code)");
	ck_assert_str_eq(e.msg, "second row for BE");
}
END_TEST

START_TEST(vatrates_refuses_malformed_history_rows)
{
	const char *f = VATRATES_HISTORY_FILE;
	struct kerr e;

	find_data_dir();
	ck_assert_int_eq(load_variant(f, "DE,reduced,7,5,", "DE,lower,7,5,",
	    &e), KR_BAD_INPUT);
	assert_where(&e, f, 2, "column 2 (rate_type)");

	ck_assert_int_eq(load_variant(f, "EE,standard,20,22,2024-01-01",
	    "CH,standard,20,22,2024-01-01", &e), KR_BAD_INPUT);
	assert_where(&e, f, 16, "column 1 (country)");

	ck_assert_int_eq(load_variant(f, "EE,standard,20,22,2024-01-01",
	    "EE,standard,20,22,2024-13-01", &e), KR_BAD_INPUT);
	assert_where(&e, f, 16, "column 5 (effective_date)");

	ck_assert_int_eq(load_variant(f, "EE,standard,20,22,",
	    "EE,standard,,22,", &e), KR_BAD_INPUT);
	assert_where(&e, f, 16, "column 3 (old)");

	ck_assert_int_eq(load_variant(f, "EE,standard,20,22,",
	    "EE,standard,20,22.125,", &e), KR_BAD_INPUT);
	assert_where(&e, f, 16, "column 4 (new)");

	ck_assert_int_eq(load_variant(f, ",tedbhist,\nLU",
	    ",tedbhist\nLU", &e), KR_BAD_INPUT);
	assert_where(&e, f, 16, "column 7 (note)");

	ck_assert_int_eq(load_variant(f, "2026-01-01,fi-2026,",
	    "2026-01-01,FI 2026,", &e), KR_BAD_INPUT);
	assert_where(&e, f, 30, "column 6 (source)");
}
END_TEST

START_TEST(vatrates_refuses_history_that_does_not_replay)
{
	const char *f = VATRATES_HISTORY_FILE;
	struct kerr e;

	find_data_dir();
	/* Backwards from the table, FI has no reduced 13 to undo. */
	ck_assert_int_eq(load_variant(f, "FI,reduced,14,13.5,",
	    "FI,reduced,14,13,", &e), KR_BAD_INPUT);
	assert_where(&e, f, 30, "column 4 (new)");

	/* Forwards from the table, AT has no reduced 12 to replace. */
	ck_assert_int_eq(load_variant(f, "AT,reduced,,4.9,",
	    "AT,reduced,12,4.9,", &e), KR_BAD_INPUT);
	assert_where(&e, f, 32, "column 3 (old)");

	/* Undoing it would bring back a reduced 10 that SK still has. */
	ck_assert_int_eq(load_variant(f, "SK,reduced,,5,2023-01-01",
	    "SK,reduced,10,5,2023-01-01", &e), KR_BAD_INPUT);
	assert_where(&e, f, 12, "column 3 (old)");

	/* EE's standard rate changes after the table's valid_from. */
	ck_assert_int_eq(load_variant(VATRATES_FILE, "EE,Estonia,24,13;9,,,"
	    "2025-07-01", "EE,Estonia,24,13;9,,,2024-01-01", &e),
	    KR_BAD_INPUT);
	assert_where(&e, f, 26, "column 5 (effective_date)");

	/* RO's valid_from is inside the data but no row changes it. */
	ck_assert_int_eq(load_variant(VATRATES_FILE, "RO,Romania,21,11,,,"
	    "2025-08-01", "RO,Romania,21,11,,,2025-09-01", &e),
	    KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "RO"));
}
END_TEST

START_TEST(vatrates_reports_a_missing_folder)
{
	struct vatrates *v = (struct vatrates *)1;
	struct kerr e;

	kerr_clear(&e);
	ck_assert_int_eq(vatrates_load(&v, "/nonexistent/kontor-vat", &e),
	    KR_IO);
	ck_assert_ptr_null(v);
	ck_assert_str_eq(e.file, "/nonexistent/kontor-vat/eu-vat-rates.csv");
}
END_TEST

static Suite *
vatrates_suite(void)
{
	Suite *s = suite_create("vatrates");
	TCase *tc = tcase_create("queries");
	TCase *bad = tcase_create("files");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc,
	    vatrates_standard_rates_on_2026_01_01_are_the_table);
	tcase_add_test(tc,
	    vatrates_sets_on_2026_01_01_are_the_table_plus_zero);
	tcase_add_test(tc, vatrates_replays_the_german_cut_of_2020);
	tcase_add_test(tc, vatrates_refuses_dates_the_data_do_not_cover);
	tcase_add_test(tc,
	    vatrates_replays_austria_before_and_after_the_table);
	tcase_add_test(tc, vatrates_replays_finland_and_estonia);
	tcase_add_test(tc, vatrates_replays_merges_and_temporary_cuts);
	tcase_add_test(tc, vatrates_knows_the_rates_of_the_worked_examples);
	tcase_add_test(tc, vatrates_maps_rate_types);
	tcase_add_test(tc, vatrates_check_lists_the_valid_rates);
	tcase_add_test(tc, vatrates_refuses_unknown_countries_and_dates);
	suite_add_tcase(s, tc);

	tcase_add_test(bad, vatrates_refuses_malformed_table_rows);
	tcase_add_test(bad, vatrates_refuses_missing_and_doubled_countries);
	tcase_add_test(bad, vatrates_refuses_malformed_history_rows);
	tcase_add_test(bad, vatrates_refuses_history_that_does_not_replay);
	tcase_add_test(bad, vatrates_reports_a_missing_folder);
	suite_add_tcase(s, bad);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(vatrates_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

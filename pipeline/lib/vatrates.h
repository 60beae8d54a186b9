#ifndef KONTOR_VATRATES_H
#define KONTOR_VATRATES_H

/*
 * The VAT rates of the EU member states and of Northern Ireland (XI), by
 * date.
 *
 * The tables come from two files in a folder the caller names (the data
 * folder of the project's shared material, see docs/tax-data.md):
 * eu-vat-rates.csv, the rates in force on 2026-01-01, and
 * eu-vat-rates-history.csv, the changes of rate values around that day.
 * The rates on any other day are found by replaying the changes backwards
 * and forwards from the 2026-01-01 table.  Both files are read strictly:
 * a malformed row, a rate the history removes that the table never had,
 * or a row for a country the table lacks fails the load, naming file,
 * line and column.
 *
 * Countries are ISO 3166-1 codes as the table has them: GR for Greece
 * (its VAT prefix EL is not a country here) and XI for Northern Ireland.
 * Rates are basis points (dec.h: 19 % is 1900, 5.5 % is 550); dates are
 * "YYYY-MM-DD".  The data cover each country from 2021-07-01, or from
 * its earliest history row where that is earlier (DE and AT 2020-07-01,
 * IE 2020-09-01); a date before that is KR_NOT_FOUND, never a guess.
 *
 * A loaded table is read-only: queries take a const pointer and may run
 * in parallel.
 */

#include <stdint.h>

#include "err.h"

#define VATRATES_FILE	"eu-vat-rates.csv"
#define VATRATES_HISTORY_FILE	"eu-vat-rates-history.csv"
#define VATRATES_FILE_MAX	((size_t)1 << 20)	/* per file */
#define VATRATES_HISTORY_MAX	1000	/* rows of the history */
#define VATRATES_PER_TYPE_MAX	6	/* rates of one type at a time */
#define VATRATES_SET_MAX	(4 * VATRATES_PER_TYPE_MAX + 1)

/* The kinds of rate the table knows, and the keys a tax class maps to. */
enum vat_rate_type {
	VAT_RATE_STANDARD,
	VAT_RATE_REDUCED,	/* the highest reduced rate */
	VAT_RATE_REDUCED_LOW,	/* the lowest reduced rate */
	VAT_RATE_SUPER_REDUCED,
	VAT_RATE_PARKING,
	VAT_RATE_ZERO		/* 0, valid everywhere */
};

/* The distinct rates a line may carry: highest first, 0 last. */
struct vat_rate_set {
	int n;
	int64_t rate_bp[VATRATES_SET_MAX];
};

struct vatrates;

/* Life cycle */

/*
 * Reads VATRATES_FILE and VATRATES_HISTORY_FILE from the folder dir and
 * checks that the history replays onto the table.  On success *out is a
 * new table the caller frees with vatrates_free.  On failure *out is
 * NULL and e names the file, the line and, in its field, the column
 * ("column 3 (standard_rate)"); KR_BAD_INPUT for a malformed or
 * inconsistent file, KR_IO when a file cannot be read, KR_TOO_BIG past
 * VATRATES_FILE_MAX, VATRATES_HISTORY_MAX or VATRATES_PER_TYPE_MAX.
 */
int	vatrates_load(struct vatrates **out, const char *dir,
	    struct kerr *e);

/* Frees vr; NULL is allowed. */
void	vatrates_free(struct vatrates *vr);

/* Queries */

/*
 * Each query answers for country on date.  A country the table does not
 * hold (also "EL": use GR) and a date before the data cover the country
 * fail with KR_NOT_FOUND, a date that is not "YYYY-MM-DD" with
 * KR_BAD_INPUT; e says which.
 */

/* The standard rate. */
int	vatrates_standard(const struct vatrates *vr, const char *country,
	    const char *date, int64_t *rate_bp, struct kerr *e);

/*
 * Every rate a line may legitimately carry: the standard, reduced,
 * super-reduced and parking rates in force, and 0.
 */
int	vatrates_set(const struct vatrates *vr, const char *country,
	    const char *date, struct vat_rate_set *set, struct kerr *e);

/*
 * KR_OK when rate_bp is one of vatrates_set's rates; otherwise
 * KR_BAD_INPUT with a message that lists the rates that are.
 */
int	vatrates_check(const struct vatrates *vr, const char *country,
	    const char *date, int64_t rate_bp, struct kerr *e);

/*
 * The rate of type: the standard rate, the highest or lowest reduced
 * rate, the super-reduced or parking rate, or 0.  KR_NOT_FOUND when the
 * country has no rate of that type on that date.
 */
int	vatrates_rate(const struct vatrates *vr, const char *country,
	    const char *date, enum vat_rate_type type, int64_t *rate_bp,
	    struct kerr *e);

/* Names */

/*
 * Parses a rate key: "standard", "reduced", "reduced_low",
 * "super_reduced", "parking" or "zero".  KR_OK or KR_BAD_INPUT.
 */
int	vatrates_type_parse(const char *name, enum vat_rate_type *type);

/* The key of type, as vatrates_type_parse reads it. */
const char	*vatrates_type_name(enum vat_rate_type type);

#endif

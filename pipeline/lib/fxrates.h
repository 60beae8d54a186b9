#ifndef KONTOR_FXRATES_H
#define KONTOR_FXRATES_H

/*
 * Exchange rates for VAT in EUR (tax.md §13).
 *
 * An invoice in a foreign currency states its VAT in EUR as well,
 * converted with the BMF's monthly average rate of the month of supply
 * ("Umsatzsteuer-Umrechnungskurse"), which the seller keeps in a file:
 *
 *	# month,currency,units per EUR,source
 *	2026-10,CHF,0.9390,BMF 2026-10
 *	2026-10,GBP,0.8612,BMF 2026-10
 *
 * A rate says how many units of the currency one euro buys, as the BMF
 * publishes it, with up to six decimals.  A missing rate is an error
 * naming the month and the currency; kontor never guesses one.
 */

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define FX_SCALE	6	/* rates carry up to six decimals */

struct fxrate {
	char month[8];		/* "YYYY-MM" */
	char currency[4];
	int64_t units_per_eur_e6;
	char *source;
};

struct fxrates {
	char *path;
	struct fxrate *rate;
	size_t n, cap;
};

/*
 * Reads the rates file at path.  Every malformed line is an error naming
 * the file, line and column; a month and currency given twice too.
 * Release with fxrates_release.
 */
int	fxrates_load(struct fxrates *r, const char *path, struct kerr *e);
void	fxrates_release(struct fxrates *r);

/*
 * The rate of currency in the month of date ("YYYY-MM-DD").  KR_OK, or
 * KR_NOT_FOUND with e naming the month, the currency and the file.
 */
int	fxrates_find(const struct fxrates *r, const char *currency,
	    const char *date, const struct fxrate **out, struct kerr *e);

/*
 * Converts amount (minor units of the foreign currency, exponent from)
 * into EUR cents: round(amount / rate), half away from zero.
 */
int	fxrates_to_eur(int64_t amount_minor, int from_exponent,
	    int64_t units_per_eur_e6, int64_t *eur_cents);

#endif

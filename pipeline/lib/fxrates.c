#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "currency.h"
#include "dec.h"
#include "fxrates.h"
#include "ktime.h"
#include "linefile.h"

static int
fx_line(void *arg, char **f, int nf, long n, struct kerr *e)
{
	struct fxrates *r = arg;
	struct fxrate *x;
	char date[11];
	size_t i;

	snprintf(date, sizeof(date), "%.7s-01", f[0]);
	if (strlen(f[0]) != 7 || !ktime_valid_date(date))
		return linefile_fail(e, r->path, n, 1, "expected a month like "
		    "\"2026-10\"");
	if (currency_exponent(f[1]) < 0 || strcmp(f[1], "EUR") == 0)
		return linefile_fail(e, r->path, n, 2, "expected an ISO 4217 "
		    "currency other than EUR");
	for (i = 0; i < r->n; i++)
		if (strncmp(r->rate[i].month, f[0], 7) == 0 &&
		    strcmp(r->rate[i].currency, f[1]) == 0)
			return linefile_fail(e, r->path, n, 1, "this month "
			    "and currency are given twice");
	if (r->n == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 64;
		r->rate = xreallocarray(r->rate, r->cap, sizeof(*r->rate));
	}
	x = &r->rate[r->n];
	memset(x, 0, sizeof(*x));
	if (f[2][0] == '\0' || strspn(f[2], "0123456789.") != strlen(f[2]) ||
	    dec_parse(f[2], (size_t)-1, FX_SCALE, &x->units_per_eur_e6) !=
	    KR_OK || x->units_per_eur_e6 <= 0)
		return linefile_fail(e, r->path, n, 3, "expected the units of "
		    "the currency per EUR, a decimal above 0 with at most six "
		    "decimals");
	memcpy(x->month, f[0], 7);
	memcpy(x->currency, f[1], 4);
	x->source = xstrdup(nf == 4 ? f[3] : "");
	r->n++;
	return KR_OK;
}

int
fxrates_load(struct fxrates *r, const char *path, struct kerr *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->path = xstrdup(path);
	rc = linefile_read(path, 3, 4, "month,currency,rate[,source]",
	    "the exchange rates", fx_line, r, e);
	if (rc != KR_OK)
		fxrates_release(r);
	return rc;
}

void
fxrates_release(struct fxrates *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		free(r->rate[i].source);
	free(r->rate);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

int
fxrates_find(const struct fxrates *r, const char *currency,
    const char *date, const struct fxrate **out, struct kerr *e)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (strncmp(r->rate[i].month, date, 7) == 0 &&
		    strcmp(r->rate[i].currency, currency) == 0) {
			*out = &r->rate[i];
			return KR_OK;
		}
	return kerr_set(e, KR_NOT_FOUND, "currency", "no exchange rate for "
	    "%s in %.7s in %s: add the BMF monthly rate of that month",
	    currency, date, r->path ? r->path : "the rates file");
}

int
fxrates_to_eur(int64_t amount_minor, int from_exponent,
    int64_t units_per_eur_e6, int64_t *eur_cents)
{
	/* amount / 10^x / (rate / 10^6) euros, in cents: amount * 10^6 *
	 * 10^2 / (rate * 10^x) */
	__int128 n = (__int128)amount_minor * dec_pow10(FX_SCALE) * 100;
	__int128 d = (__int128)units_per_eur_e6 * dec_pow10(from_exponent);
	__int128 q = dec_div_round(n, d);

	if (q > INT64_MAX || q < INT64_MIN)
		return KR_OVERFLOW;
	*eur_cents = (int64_t)q;
	return KR_OK;
}

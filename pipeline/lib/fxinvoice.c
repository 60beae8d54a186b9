#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "dec.h"
#include "fxinvoice.h"
#include "fxrates.h"

/* DATEV's A(10): ten integer digits and two decimals, in cents */
#define FX_DATEV_EUR_MAX	INT64_C(999999999999)
/* DATEV's Kurs: four integer digits and six decimals, in millionths */
#define FX_DATEV_RATE_MAX	INT64_C(9999999999)

/* The rates file read last, and what it was on disk then. */
static struct {
	int loaded;
	char path[PATH_MAX];
	struct stat st;
	struct fxrates rates;
} cache;

void
fxinvoice_cache_release(void)
{
	if (cache.loaded)
		fxrates_release(&cache.rates);
	memset(&cache, 0, sizeof(cache));
}

/* The rates file's path: absolute, or under the tenant's folder. */
static int
rates_path(const struct config *c, const char *tenant_dir, char *out,
    size_t size, struct kerr *e)
{
	const char *slash;
	int n;

	if (c->fx_rates[0] == '/') {
		n = snprintf(out, size, "%s", c->fx_rates);
	} else if (tenant_dir != NULL) {
		n = snprintf(out, size, "%s/%s", tenant_dir, c->fx_rates);
	} else {
		slash = c->path != NULL ? strrchr(c->path, '/') : NULL;
		n = slash == NULL ? snprintf(out, size, "%s", c->fx_rates) :
		    snprintf(out, size, "%.*s/%s", (int)(slash - c->path),
		    c->path, c->fx_rates);
	}
	if (n < 0 || (size_t)n >= size)
		return kerr_set(e, KR_CONFIG, "tax.fx_rates", "the path of "
		    "the exchange rates file is too long");
	return KR_OK;
}

static int
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
	    a->st_size == b->st_size &&
	    a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	    a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/*
 * The rates of path, read again only when it is another file or has
 * changed.  A failure names the currency the invoice needed them for;
 * the rates file's own place (file, line, column) goes into the message,
 * so that e keeps naming the order.
 */
static int
rates_get(const char *path, const char *currency,
    const struct fxrates **out, struct kerr *e)
{
	char where[KERR_TEXT_MAX];
	struct stat st;
	struct kerr le;

	memset(&st, 0, sizeof(st));
	if (stat(path, &st) == 0 && cache.loaded &&
	    strcmp(cache.path, path) == 0 && same_file(&cache.st, &st)) {
		*out = &cache.rates;
		return KR_OK;
	}
	fxinvoice_cache_release();
	kerr_clear(&le);
	if (fxrates_load(&cache.rates, path, &le) != KR_OK) {
		kerr_format(&le, where, sizeof(where));
		return kerr_set(e, KR_CONFIG, "currency", "an invoice in %s "
		    "needs the BMF monthly rates, and they cannot be read: "
		    "%.400s", currency, where);
	}
	cache.loaded = 1;
	cache.st = st;
	snprintf(cache.path, sizeof(cache.path), "%s", path);
	*out = &cache.rates;
	return KR_OK;
}

/* Converts amount_minor of inv's currency into EUR cents. */
static int
to_eur(const struct invoice *inv, int64_t amount_minor, int64_t *eur,
    struct kerr *e)
{
	if (fxrates_to_eur(amount_minor, inv->exponent, inv->fx_rate_e6,
	    eur) != KR_OK)
		return kerr_set(e, KR_OVERFLOW, "currency", "an amount in %s "
		    "is too large to convert into EUR", inv->currency);
	return KR_OK;
}

/*
 * DATEV books every breakdown and the rounding amount with its EUR
 * figure as Basis-Umsatz (datev.md §3, §4), which must be above 0.00
 * and have at most ten integer digits, and the rate as Kurs, with at
 * most four.  Checked here, before the invoice's number is drawn, so
 * that no numbered invoice is stuck.
 */
static int
check_bookable(const struct invoice *inv, int64_t amount_minor,
    int64_t eur, const char *field, struct kerr *e)
{
	char b[DEC_BUFSZ];

	if (amount_minor == 0)
		return KR_OK;
	if (eur == 0)
		return kerr_set(e, KR_BAD_INPUT, field, "%s %s is 0.00 EUR at "
		    "the BMF rate, which DATEV cannot book as Basis-Umsatz",
		    dec_format(amount_minor, inv->exponent, b),
		    inv->currency);
	if (eur > FX_DATEV_EUR_MAX || eur < -FX_DATEV_EUR_MAX)
		return kerr_set(e, KR_BAD_INPUT, field, "%s %s is more EUR "
		    "than DATEV books in one amount (ten integer digits)",
		    dec_format(amount_minor, inv->exponent, b),
		    inv->currency);
	return KR_OK;
}

/* The EUR figures, each converted once from the invoice's own. */
static int
convert(struct invoice *inv, struct kerr *e)
{
	size_t i;
	int rc;

	if ((rc = to_eur(inv, inv->vat_total_minor, &inv->vat_eur_minor,
	    e)) != KR_OK ||
	    (rc = to_eur(inv, inv->rounding_minor, &inv->rounding_eur_minor,
	    e)) != KR_OK)
		return rc;
	if ((rc = check_bookable(inv, inv->rounding_minor,
	    inv->rounding_eur_minor, "totals.rounding", e)) != KR_OK)
		return rc;
	for (i = 0; i < inv->nvat; i++) {
		struct inv_vat *v = &inv->vat[i];

		if ((rc = to_eur(inv, v->gross_minor, &v->gross_eur_minor,
		    e)) != KR_OK ||
		    (rc = check_bookable(inv, v->gross_minor,
		    v->gross_eur_minor, "vat", e)) != KR_OK)
			return rc;
	}
	return KR_OK;
}

int
fxinvoice_apply(const struct config *c, const char *tenant_dir,
    struct invoice *inv, struct kerr *e)
{
	const struct fxrates *rates;
	const struct fxrate *x;
	char path[PATH_MAX], source[32];
	struct kerr le;
	int rc;

	inv->has_fx = 0;
	if (strcmp(inv->currency, "EUR") == 0)
		return KR_OK;
	if (inv->supply_date == NULL || strlen(inv->supply_date) < 7)
		return kerr_set(e, KR_BAD_INPUT, "supply_date", "an invoice "
		    "in %s needs its date of supply for the exchange rate",
		    inv->currency);
	if (c->fx_rates == NULL || c->fx_rates[0] == '\0')
		return kerr_set(e, KR_CONFIG, "currency", "an invoice in %s "
		    "needs the BMF monthly rate of %.7s, and no rates file is "
		    "configured (tax.fx_rates in %s)", inv->currency,
		    inv->supply_date, c->path ? c->path : CONFIG_FILE);
	if ((rc = rates_path(c, tenant_dir, path, sizeof(path), e)) !=
	    KR_OK ||
	    (rc = rates_get(path, inv->currency, &rates, e)) != KR_OK)
		return rc;
	kerr_clear(&le);
	if (fxrates_find(rates, inv->currency, inv->supply_date, &x, &le) !=
	    KR_OK)
		return kerr_set(e, KR_CONFIG, "currency", "%s", le.msg);

	snprintf(source, sizeof(source), "BMF %.7s", inv->supply_date);
	return fxinvoice_apply_rate(inv, x->units_per_eur_e6,
	    x->source[0] != '\0' ? x->source : source, e);
}

int
fxinvoice_apply_rate(struct invoice *inv, int64_t rate_e6,
    const char *source, struct kerr *e)
{
	int rc;

	inv->has_fx = 0;
	if (rate_e6 <= 0 || rate_e6 > FX_DATEV_RATE_MAX)
		return kerr_set(e, KR_BAD_INPUT, "currency", "the rate of %s "
		    "in %.7s is not above 0 with at most the four integer "
		    "digits DATEV takes as Kurs", inv->currency,
		    inv->supply_date ? inv->supply_date : "");
	inv->fx_rate_e6 = rate_e6;
	if ((rc = convert(inv, e)) != KR_OK)
		return rc;
	inv->fx_source = invoice_strdup(inv, source);
	inv->has_fx = 1;
	return KR_OK;
}

#ifndef KONTOR_DISTSALES_H
#define KONTOR_DISTSALES_H

/*
 * Running totals of a seller's sales per calendar year, against the
 * limits that change how its sales are taxed.
 *
 * The EU-wide threshold of distance sales (tax.md §5): a seller
 * established only in Germany keeps German VAT on its sales of goods to
 * consumers in other member states while those sales, net, stayed at or
 * below 10,000 EUR in the previous calendar year and stay there in the
 * current one.  The sale that crosses the threshold is already taxed
 * where the goods arrive (tax.md §5 reads it so).
 *
 * The running total of a year is what the tenant's stored documents say
 * (invoices less credit notes of the treatments "oss" and
 * "eu-consumer-de", by date of supply), read once per year and run,
 * plus what the current run added, plus, for the calendar year before
 * the run's, the sales the tenant declared it made before kontor
 * ([tax] oss_prior_year_eur).  Amounts are EUR cents.
 *
 * The limits of a small business (tax.md §4, § 19 UStG): its total
 * turnover, net, at most 25,000 EUR in the previous year and at most
 * 100,000 EUR in the current one; the sale that crosses 100,000 and
 * every later one are taxed normally.  The turnover counts every
 * stored document but those taxed abroad (treatment "oss") and the
 * sales to a marketplace as deemed supplier, which are not taxable in
 * Germany.
 */

#include <stdint.h>

#include "err.h"
#include "invoice.h"
#include "state.h"

#define DISTSALES_THRESHOLD	((int64_t)10000 * 100)	/* EUR cents */
#define SMALL_PREV_LIMIT	((int64_t)25000 * 100)
#define SMALL_LIMIT		((int64_t)100000 * 100)
#define DISTSALES_YEARS	4	/* years one run keeps */

enum distsales_kind {
	DISTSALES_EU,		/* EU distance sales, for OSS */
	DISTSALES_TURNOVER	/* turnover, for a small business */
};

struct distsales {
	enum distsales_kind kind;
	int64_t prev_limit;	/* over it in the previous year, or */
	int64_t cur_limit;	/* in the current one with the sale */
	struct state *st;	/* NULL: nothing stored, as in tests */
	int64_t prior_cents;	/* declared for run_year - 1 */
	int run_year;
	int nyears;
	int year[DISTSALES_YEARS];
	int64_t cents[DISTSALES_YEARS];
};

/* prior_eur: declared for the year before run_date's (EU only). */
void	distsales_init(struct distsales *ds, enum distsales_kind kind,
	    struct state *st, long prior_eur, const char *run_date);

/*
 * The total of year into *cents.  KR_OK, the state's error, or
 * KR_BAD_INPUT when a stored document's amount cannot be read (e names
 * it).
 */
int	distsales_total(struct distsales *ds, int year, int64_t *cents,
	    struct kerr *e);

/*
 * Whether a sale of cents in year is over the limits: the previous
 * year's total above prev_limit, or this year's with the sale above
 * cur_limit.
 */
int	distsales_over(struct distsales *ds, int year, int64_t cents,
	    int *over, struct kerr *e);

/* Counts a sale of cents (negative for a credit note) into year. */
int	distsales_add(struct distsales *ds, int year, int64_t cents,
	    struct kerr *e);

/*
 * The figures of inv that the yearly totals sum, as its invoice record
 * states them, for state_store_invoice to keep beside the stored
 * document.  Fills *row with strings that *text holds (the caller frees
 * it with free()); row->doc_type is NULL, as the stored document's
 * own type is what counts.
 */
void	distsales_figures(const struct invoice *inv,
	    struct distance_sale_row *row, char **text);

#endif

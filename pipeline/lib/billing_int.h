#ifndef KONTOR_BILLING_INT_H
#define KONTOR_BILLING_INT_H

/*
 * Inside billing: the treatment of one order (billing_treat.c), shared
 * with the flow of billing.c.  Nothing outside those files includes
 * this.
 */

#include "billing.h"
#include "vatarea.h"
#include "vatid.h"

enum treat_kind {
	TREAT_DOMESTIC,		/* German VAT, ship-to DE */
	TREAT_EU_DE,		/* EU consumer, German VAT below threshold */
	TREAT_OSS,		/* EU consumer, the destination's VAT */
	TREAT_INTRA_EU,		/* EU business with VAT id: K */
	TREAT_EXPORT,		/* outside the EU VAT area: G */
	TREAT_SMALL,		/* § 19 UStG: E */
	TREAT_DEEMED		/* the marketplace owes the VAT: O */
};

struct treat {
	enum treat_kind kind;
	struct vatarea area;	/* where the goods go */
	struct vatid vid;	/* the buyer's VAT id, checked */
	int has_vid;
	int distance_sale;	/* to an EU consumer: counts for §5 */
	/*
	 * An EU consumer sale under [tax] oss = threshold that only this
	 * sale's own amount can put over the threshold: billing.c decides
	 * once the amount is known.
	 */
	int threshold_open;
	/*
	 * A small business whose turnover is over the limits of § 19
	 * (billing.c): this sale is taxed normally.
	 */
	int small_over;
};

/* How billing.c asks for a second decision. */
#define TREAT_FORCE_OSS		1	/* crosses the EU threshold */
#define TREAT_FORCE_REGULAR	2	/* crosses the limits of § 19 */

/*
 * Decides the treatment of o supplied on date supply (tax.md §1) and
 * writes it with its reason, the legal note and the VAT id check into
 * inv.  force: TREAT_FORCE_* flags of a second pass.
 */
int	treat_decide(struct billing *b, const struct order *o,
	    const char *supply, int force, struct treat *t,
	    struct invoice *inv, struct tax_notes *notes, struct kerr *e);

/* 1 when the shop charged VAT anywhere on o. */
int	treat_charges_vat(const struct order *o);

/* The category and rate of each order line under t, into lt. */
int	treat_rates(struct billing *b, const struct order *o,
	    const char *supply, const struct treat *t, struct line_tax *lt,
	    struct tax_notes *notes, struct kerr *e);

/*
 * After the figures: the marketplace's share out of a deemed-supplier
 * sale, the country and exemption of every breakdown part, and the
 * revenue account and tax key each is booked with.
 */
int	treat_finish(struct billing *b, const struct order *o,
	    const struct treat *t, struct invoice *inv,
	    struct tax_notes *notes, struct kerr *e);

#endif

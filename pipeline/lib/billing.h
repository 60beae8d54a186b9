#ifndef KONTOR_BILLING_H
#define KONTOR_BILLING_H

/*
 * From an order to an invoice: decides the tax treatment, checks every
 * condition under which the order may not be invoiced, computes the
 * figures (taxcalc.h) and fills in everything the invoice record holds
 * except its number.
 *
 * The treatment follows the table of tax.md §1, row by row: a sale the
 * marketplace owes the VAT for (deemed supplier), an intra-EU supply to
 * a business with a VAT id that passes the checks of §7, a distance
 * sale to a consumer in another member state (the destination's VAT
 * under OSS, or German VAT below the threshold), a small business's
 * sale (§19: no VAT), a domestic sale, an export.  Goods sent from
 * another state than Germany, and places the address does not tell,
 * are refused by name, never guessed.
 *
 * All checks that can reject an order happen here, before a number is
 * drawn: the treatment must be one kontor supports, every rate must be a
 * valid rate on the date of supply where the VAT is due, a tax-free
 * sale must not carry VAT the shop charged, and the tenant must have a
 * revenue account for every part (and a rounding account when the
 * invoice has a rounding amount).  What passes billing_make can be
 * numbered.
 */

#include "config.h"
#include "distsales.h"
#include "err.h"
#include "invoice.h"
#include "order.h"
#include "run.h"
#include "state.h"
#include "taxcalc.h"
#include "vatrates.h"
#include "vies.h"

/*
 * What billing needs besides the order, for one run of a tenant: its
 * configuration, the run, where the tenant lives (for the files its
 * configuration names), the EU VAT rates (read on first need) and the
 * running totals of EU distance sales (distsales.h).
 */
struct billing {
	const struct config *cfg;
	const struct run *run;
	const char *tenant_dir;
	struct vatrates *rates;
	int rates_tried;
	struct kerr rates_err;		/* why the rates could not be read */
	struct vies vies;		/* [tax] vies, read on first need */
	int vies_tried;
	struct kerr vies_err;
	struct state *st;
	struct distsales sales;		/* set up on the first order */
	struct distsales turnover;	/* for a small business, likewise */
	int sales_ready;
	int warned_threshold;		/* [tax] oss = below, crossed */
	int warned_small;		/* 1 near, 2 over § 19's limits */
};

/*
 * Starts billing for run r of the tenant in tenant_dir configured in c.
 * st, the tenant's state, gives the stored distance sales; NULL counts
 * none (tests, previews without a state).  Nothing is read yet, and
 * r may be filled in later, before the first billing_make.
 */
void	billing_init(struct billing *b, const struct config *c,
	    const struct run *r, const char *tenant_dir, struct state *st);
void	billing_release(struct billing *b);

/*
 * Fills inv (reset first) from o.  Strings are borrowed from o and the
 * configuration, or copied into inv's arena.  Notes that do not stop
 * the invoice go to notes (NULL: none is made).  KR_OK, or KR_BAD_INPUT /
 * KR_CONFIG with e naming the field that stops it; KR_IO when the VAT
 * rate tables cannot be read.
 */
int	billing_make(struct billing *b, const struct order *o,
	    struct invoice *inv, struct tax_notes *notes, struct kerr *e);

/*
 * Counts a document made outside billing_make (a credit note) into the
 * yearly totals of the run (distsales.h), so that the later orders of
 * the run are judged with it.  KR_OK or the state's error.
 */
int	billing_count(struct billing *b, const struct invoice *inv,
	    struct kerr *e);

/*
 * The date of supply of o in the tenant's zone: shipped, else paid, else
 * ordered.  KR_BAD_INPUT when none of them is a valid time.
 */
int	billing_supply_date(const struct order *o, char out[KTIME_DATE_MAX],
	    struct kerr *e);

/* The UNTDID 4461 payment means code for a shop's payment gateway. */
const char	*billing_payment_means(const char *gateway);

#endif

#ifndef KONTOR_FXINVOICE_H
#define KONTOR_FXINVOICE_H

/*
 * The EUR figures of an invoice in another currency (tax.md §13).
 *
 * The invoice stays in the currency the customer paid in; its VAT is
 * also stated in EUR (BT-6 = EUR, BT-111), and DATEV books it with a
 * rate and a base amount in EUR (Kurs, Basis-Umsatz).  Both use the BMF
 * monthly rate of the month of supply, from the rates file the seller
 * keeps ([tax] fx_rates in kontor.conf, fxrates.h).
 *
 * Every EUR figure is converted once from the invoice's own figure,
 * never summed from converted parts: BT-111 is the VAT total converted
 * (tax.md E10), each breakdown's EUR gross is its gross converted, and
 * the rounding amount likewise.  So the EUR gross of the breakdowns
 * need not add up to the converted invoice total; each booking matches
 * its own amount.
 *
 * The rates file is read once per process and kept (keyed by its path
 * and its identity on disk, so a changed file is read again).  An
 * invoice whose rate is missing is refused with a message naming the
 * month, the currency and the file; kontor never guesses a rate.
 */

#include "config.h"
#include "err.h"
#include "invoice.h"

/*
 * Fills the EUR figures of inv when its currency is not EUR: has_fx,
 * fx_rate_e6, fx_source (copied into inv's arena), vat_eur_minor,
 * rounding_eur_minor and every vat[].gross_eur_minor, from the rate of
 * inv->currency in the month of inv->supply_date.  An invoice in EUR is
 * left without them (has_fx 0).  The rates file is c->fx_rates, taken
 * relative to tenant_dir unless absolute; tenant_dir NULL means the
 * folder that holds c's kontor.conf.
 *
 * KR_OK; KR_CONFIG when no rates file is configured, it cannot be read
 * or is malformed, or it has no rate for that month and currency (e
 * names them and the file); KR_BAD_INPUT when the invoice has no date
 * of supply or an EUR figure DATEV cannot book (0.00 EUR for an amount
 * that is not 0, or more than ten integer digits; a rate of more than
 * four integer digits); KR_OVERFLOW when a figure does not fit.  On
 * failure has_fx stays 0.
 */
int	fxinvoice_apply(const struct config *c, const char *tenant_dir,
	    struct invoice *inv, struct kerr *e);

/*
 * Fills the same EUR figures from a given rate (units of inv->currency
 * per EUR, six decimals) and its source: a credit note takes the rate
 * of the invoice it corrects, so that it reverses exactly the EUR
 * figures that invoice booked.  The errors are fxinvoice_apply's for
 * the figures.
 */
int	fxinvoice_apply_rate(struct invoice *inv, int64_t rate_e6,
	    const char *source, struct kerr *e);

/* Forgets the rates file kept by fxinvoice_apply and frees it. */
void	fxinvoice_cache_release(void);

#endif

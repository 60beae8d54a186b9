#ifndef KONTOR_BILLING_H
#define KONTOR_BILLING_H

/*
 * From an order to an invoice: decides the tax treatment, checks every
 * condition under which the order may not be invoiced, computes the
 * figures (taxcalc.h) and fills in everything the invoice record holds
 * except its number.
 *
 * All checks that can reject an order happen here, before a number is
 * drawn: the treatment must be one kontor supports, every rate must be a
 * valid rate on the date of supply, and the tenant must have a revenue
 * account for every rate (and a rounding account when the invoice has a
 * rounding amount).  What passes billing_make can be numbered.
 */

#include "config.h"
#include "err.h"
#include "invoice.h"
#include "order.h"
#include "run.h"
#include "taxcalc.h"

/*
 * Fills inv (reset first) from o for the run r of the tenant configured
 * in c.  Strings are borrowed from o and c, or copied into inv's arena.
 * Notes that do not stop the invoice go to notes.  KR_OK, or
 * KR_BAD_INPUT / KR_CONFIG with e naming the field that stops it.
 */
int	billing_make(const struct config *c, const struct run *r,
	    const struct order *o, struct invoice *inv,
	    struct tax_notes *notes, struct kerr *e);

/*
 * The date of supply of o in the tenant's zone: shipped, else paid, else
 * ordered.  KR_BAD_INPUT when none of them is a valid time.
 */
int	billing_supply_date(const struct order *o, char out[KTIME_DATE_MAX],
	    struct kerr *e);

/* The UNTDID 4461 payment means code for a shop's payment gateway. */
const char	*billing_payment_means(const char *gateway);

#endif

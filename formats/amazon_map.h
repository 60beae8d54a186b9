#ifndef KONTOR_AMAZON_MAP_H
#define KONTOR_AMAZON_MAP_H

/*
 * What amazon.c and amazon_finance.c share while they map one Amazon
 * order; no other file includes this.  The public entry point is
 * amazon_order_map (import.h).
 */

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "json.h"
#include "order.h"

#define AMAZON_PATH	KERR_FIELD_MAX

/* One order being mapped: the members of one spool object. */
struct amazon_map {
	struct order *o;
	const struct jnode *order;	/* getOrder's payload */
	const struct jnode *items;	/* getOrderItems' payload */
	const struct jnode *events;	/* FinancialEvents, or NULL */
	char octx[AMAZON_PATH];		/* path of order */
	char ictx[AMAZON_PATH];		/* path of getOrderItems' payload */
	char ectx[AMAZON_PATH];		/* path of events */
	size_t n_facilitator;		/* items whose VAT Amazon collects */
	size_t n_seller;		/* items whose VAT the seller owes */
	int events_facilitator;		/* finances withheld VAT */
	struct kerr *e;
};

/*
 * An Amazon money object {"CurrencyCode", "Amount"} (Orders API) of the
 * order's currency.
 */
int	amazon_money(struct amazon_map *a, const struct jnode *obj,
	    const char *key, int required, int64_t *out, const char *ctx);

/*
 * Reads the financial events, when the spool object has them: the
 * shipment date, marketplace-withheld VAT, and the refunds onto the
 * order (amazon_finance.c).
 */
int	amazon_finances(struct amazon_map *a);

#endif

#ifndef KONTOR_SHOPIFY_MAP_H
#define KONTOR_SHOPIFY_MAP_H

/*
 * What shopify.c and shopify_refund.c share while they map one Shopify
 * order; no other file includes this.  The public entry point is
 * shopify_order_map (import.h).
 */

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "json.h"
#include "order.h"

#define SHOPIFY_PATH	KERR_FIELD_MAX

/* One order being mapped. */
struct shopify_map {
	struct order *o;
	const struct jnode *root;	/* the order object */
	const char *ctx;		/* path of root: "" or "order" */
	int presentment;		/* amounts from *_set twins */
	const struct jnode *apps;	/* discount_applications */
	int64_t *app_alloc;		/* money allocated per application,
					   in o's arena */
	size_t napps;
	int64_t loose_minor;		/* discounts allocated to no app */
	struct kerr *e;
};

/*
 * Reads the money member key of obj at scale into *out: from the
 * presentment_money of its key_set twin when the order is in the
 * buyer's currency and the twin is there, else from key itself.
 */
int	shopify_money(struct shopify_map *s, const struct jnode *obj,
	    const char *key, int scale, int required, int64_t *out,
	    const char *ctx);
/* As shopify_money, at the order currency's exponent. */
int	shopify_amount(struct shopify_map *s, const struct jnode *obj,
	    const char *key, int required, int64_t *out, const char *ctx);
/* *acc += v, or KR_OVERFLOW with e naming path. */
int	shopify_add(struct shopify_map *s, int64_t *acc, int64_t v,
	    const char *path);
/* 1 for a transaction that moved money: status success or none. */
int	shopify_tx_done(const struct jnode *t);

/* Maps the order's refunds[] (shopify_refund.c). */
int	shopify_refunds(struct shopify_map *s);

#endif

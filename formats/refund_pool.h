#ifndef KONTOR_REFUND_POOL_H
#define KONTOR_REFUND_POOL_H

/*
 * Refund objects waiting for their order.
 *
 * WooCommerce sends each refund as a document of its own, often in a
 * file next to its order's.  A stage that reads orders and refunds from
 * a stream of files keeps every refund here until the order it belongs
 * to comes by, then maps the refund onto that order (import_refund),
 * where it replaces the bare id/reason/total the order itself lists.
 *
 * The pool keeps a copy of each refund's JSON text, never a mapped
 * order, so it grows with the number of refunds and not with the number
 * of orders.  It is sorted by order id when an order first looks for
 * its refunds after refunds were added.  Everything in it is owned by
 * the pool and freed by refund_pool_release.
 */

#include <stddef.h>

#include "err.h"
#include "import.h"
#include "json.h"
#include "order.h"

struct pooled_refund {
	enum platform platform;
	char *shop;		/* the shop of the order it belongs to */
	char *order_id;		/* the order it belongs to */
	char *json;		/* the refund object as it came, NUL-ended */
	size_t json_len;
	char *file;		/* where it came from, for messages */
	char *path;		/* its JSON path in file ("" for all of it) */
	int used;		/* mapped onto an order at least once */
	int failed;		/* mapping it failed and was reported */
};

struct refund_pool {
	struct pooled_refund *items;	/* by shop, platform, order_id if
					 * sorted */
	size_t n, cap;
	int sorted;
	struct jdoc doc;		/* parses one refund at a time */
};

void	refund_pool_init(struct refund_pool *p);
void	refund_pool_release(struct refund_pool *p);

/*
 * Copies the refund object elem of platform pf, read from file at path,
 * into the pool, as a refund of an order of shop (NULL: the shop named
 * after the platform, as an order without a configured shop is).
 * KR_BAD_INPUT when it does not say which order it belongs to (e names
 * the field).
 */
int	refund_pool_add(struct refund_pool *p, enum platform pf,
	    const char *shop, const struct jnode *elem, const char *file,
	    const char *path, struct kerr *e);

/*
 * Called for a refund that could not be mapped onto its order: e says
 * why, with the refund's file and path already in e->file and e->field.
 */
typedef void (*refund_pool_fn)(void *arg, const struct pooled_refund *r,
    struct kerr *e);

/*
 * Maps every pooled refund of o's shop, platform and order id onto o (see
 * import_refund) and marks it used: an order of the same id in another
 * shop is another order.  A refund that fails is reported through fail
 * and leaves o as it was.  Returns how many were mapped.
 */
size_t	refund_pool_attach(struct refund_pool *p, struct order *o,
	    refund_pool_fn fail, void *arg);

/*
 * Maps the i-th pooled refund onto o alone (import_refund), for a refund
 * whose order is not among the files: o then carries what the order's
 * stored invoice says of it.  Marks it used, or failed with e naming its
 * file and path.  *out points to the refund in o.
 */
int	refund_pool_map(struct refund_pool *p, size_t i, struct order *o,
	    struct refund **out, struct kerr *e);

/* The i-th pooled refund, or NULL past the end. */
const struct pooled_refund	*refund_pool_at(const struct refund_pool *p,
				    size_t i);

#endif

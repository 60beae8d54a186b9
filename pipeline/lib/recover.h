#ifndef KONTOR_RECOVER_H
#define KONTOR_RECOVER_H

/*
 * Reading deliveries back into a state database that does not know them
 * (`kontor recover`).
 *
 * A state database put back from an older backup, or created afresh,
 * does not know the newest deliveries in out/, and numbering with it
 * would hand out invoice numbers that customers already hold.  Every
 * delivering stage therefore refuses such a tenant (deliver_check_known).
 * recover_deliveries reads the MANIFEST of every unknown delivery,
 * checks each file against the size and SHA-256 it lists, records the
 * delivery and its documents in the ledger as done, and raises every
 * number series past the highest number those documents carry.  After
 * that the tenant runs again, and no number is ever drawn twice.
 *
 * What a database cannot get back this way is the invoices themselves:
 * invoices numbered after the backup are known by number only, and an
 * invoice numbered but not yet delivered when the database was lost is
 * not known at all.  recover_deliveries says so; docs/tenant.md tells
 * what to do.
 */

#include "config.h"
#include "err.h"
#include "state.h"
#include "tenant.h"

struct recover_report {
	long deliveries;	/* read back */
	long documents;
	long unmatched;		/* numbers that match no series pattern */
};

/* Called with one line of news about what was read back. */
typedef void (*recover_fn)(void *arg, const char *line);

/*
 * Reads back every delivery folder of out/ the ledger does not know (see
 * above).  The caller holds the tenant lock.  A delivery whose files do
 * not match its MANIFEST is refused (KR_STATE naming it) and nothing of
 * it is recorded; deliveries read back before it stay recorded.
 */
int	recover_deliveries(const struct tenant *t, struct state *st,
	    recover_fn note, void *arg, struct recover_report *r,
	    struct kerr *e);

#endif

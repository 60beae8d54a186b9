#ifndef KONTOR_CREDITRUN_H
#define KONTOR_CREDITRUN_H

/*
 * kontor-tax's credit pass: the refunds that wait for credit notes
 * become credit notes in a taxbatch (taxbatch.h), which draws their
 * numbers from the credit notes' series, stores them and marks their
 * refunds done in one transaction.
 *
 * A refund of an invoiced order is recorded as waiting in the commit
 * that sees it (taxbatch_refunds); the pass after that commit takes
 * every waiting refund it has not looked at in this run, reads its
 * stored invoice and the credit notes made for that invoice before
 * (creditnote.h: none may give back more than was invoiced) and queues
 * its credit note.  A refund that cannot be credited stays waiting and
 * is reported once per run, by name, through the caller's function;
 * one that paid nothing back is marked void.
 *
 * A preview draws and stores nothing: its credit notes are provisional
 * (PREVIEW-n), made for the refunds the database holds and for those
 * the previewed batch would have recorded.
 *
 * The pass owns its scratch memory; strings of the documents it queued
 * are copied by the batch.
 */

#include <stdint.h>

#include "billing.h"
#include "config.h"
#include "creditnote.h"
#include "json.h"
#include "run.h"
#include "state.h"
#include "taxbatch.h"

/* Tells about a refund that was not credited: e says why. */
typedef void (*creditrun_report_fn)(void *arg, const char *file,
    const struct kerr *e, int void_refund);

struct creditrun {
	const struct config *cfg;
	const struct run *run;
	struct state *st;		/* NULL in a preview without one */
	int preview;
	long *n_preview;		/* the stage's PREVIEW-n counter */
	creditrun_report_fn report;
	void *arg;
	struct billing *bill;		/* counts the notes in its totals,
					 * or NULL */
	int64_t upto;			/* the last waiting refund looked at */
	int64_t pass_after;		/* upto when the pass began */
	/* where a pass stopped by a full batch goes on, and where the
	 * walk now under way stops */
	struct waiting_refund past, stop;
	int resume;

	/* the order whose refunds are being credited */
	char key[512];			/* "shop\norder id", "" for none */
	struct jdoc orig_doc;
	struct invoice orig;
	struct creditnote_tally tally;
	int have_orig;

	struct jdoc doc;		/* a refund, or an earlier note */
	struct order o;			/* holds the refund */
	struct invoice cn;

	long n_made, n_failed, n_void;	/* in this run */

	/* a preview: the refunds its batches credited ("shop\norder\nid") */
	char **seen;
	size_t nseen, cap_seen;
};

/* Life cycle: the pass borrows everything given to it. */
void	creditrun_init(struct creditrun *cr, const struct config *cfg,
	    const struct run *run, struct state *st, int preview,
	    long *n_preview, creditrun_report_fn report, void *arg);
void	creditrun_release(struct creditrun *cr);

/*
 * Queues into b the credit notes of the waiting refunds in the database
 * that this run has not looked at yet.  KR_OK, the database's error, or
 * KR_TOO_BIG when b filled up (taxbatch_full) before the last of them:
 * commit b, clear it and call again, and the pass goes on after the
 * refund it stopped at.
 */
int	creditrun_waiting(struct creditrun *cr, struct taxbatch *b,
	    struct kerr *e);

/*
 * Preview only: queues into to the provisional credit notes of the
 * refunds that the previewed batch done would have recorded, against
 * its provisional invoices or the stored ones.  Call it before
 * creditrun_waiting, which then leaves out the refunds it credited: the
 * refund as the stream has it stands for the one the database holds, as
 * it would once recorded.  Refunds credited before are left out.
 */
int	creditrun_preview(struct creditrun *cr, const struct taxbatch *done,
	    struct taxbatch *to, struct kerr *e);

#endif

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "creditrun.h"
#include "sha256.h"

/* One refund to credit, from the database or from a previewed batch. */
struct job {
	const char *shop, *order_id, *refund_id, *invoice_number;
	const char *currency;
	const char *json;		/* the refund, NULL when not kept */
	const char *source;
	const char *invoice;		/* its invoice's record, or NULL */
	size_t invoice_len;		/* to look it up in the database */
};

void
creditrun_init(struct creditrun *cr, const struct config *cfg,
    const struct run *run, struct state *st, int preview, long *n_preview,
    creditrun_report_fn report, void *arg)
{
	memset(cr, 0, sizeof(*cr));
	cr->cfg = cfg;
	cr->run = run;
	cr->st = st;
	cr->preview = preview;
	cr->n_preview = n_preview;
	cr->report = report;
	cr->arg = arg;
	jdoc_init(&cr->orig_doc);
	jdoc_init(&cr->doc);
	invoice_init(&cr->orig);
	invoice_init(&cr->cn);
	order_init(&cr->o);
}

static void
forget_order(struct creditrun *cr)
{
	if (cr->have_orig)
		creditnote_tally_release(&cr->tally);
	cr->have_orig = 0;
	cr->key[0] = '\0';
}

/* Where a walk of the waiting refunds stopped: shop, order id, rowid. */
static void
mark_free(struct waiting_refund *m)
{
	free((char *)m->shop);
	free((char *)m->order_id);
	memset(m, 0, sizeof(*m));
}

static void
mark_set(struct waiting_refund *m, const struct waiting_refund *w)
{
	mark_free(m);
	m->shop = xstrdup(w->shop);
	m->order_id = xstrdup(w->order_id);
	m->rowid = w->rowid;
}

void
creditrun_release(struct creditrun *cr)
{
	size_t i;

	mark_free(&cr->past);
	mark_free(&cr->stop);
	for (i = 0; i < cr->nseen; i++)
		free(cr->seen[i]);
	free(cr->seen);
	forget_order(cr);
	order_release(&cr->o);
	invoice_release(&cr->cn);
	invoice_release(&cr->orig);
	jdoc_release(&cr->doc);
	jdoc_release(&cr->orig_doc);
	memset(cr, 0, sizeof(*cr));
}

/* An earlier credit note of the order counts into the tally. */
static int
count_earlier(void *arg, const char *number, const char *json, size_t len)
{
	struct creditrun *cr = arg;
	struct kerr e;

	(void)number;
	kerr_clear(&e);
	if (jdoc_parse(&cr->doc, json, len, &e) != KR_OK ||
	    invoice_read(&cr->cn, cr->doc.root, &e) != KR_OK)
		return KR_BAD_INPUT;	/* stored bytes that do not read */
	creditnote_tally_add(&cr->tally, &cr->cn);
	return KR_OK;
}

/* Reads the invoice of job's order, unless it is the one read last. */
static int
load_order(struct creditrun *cr, const struct job *j, struct kerr *e)
{
	struct stored_invoice si;
	char key[sizeof(cr->key)];
	int rc;

	snprintf(key, sizeof(key), "%s\n%s", j->shop, j->order_id);
	if (cr->have_orig && strcmp(key, cr->key) == 0)
		return KR_OK;
	forget_order(cr);
	memset(&si, 0, sizeof(si));
	if (j->invoice == NULL) {
		rc = state_find_invoice(cr->st, j->shop, j->order_id, "380",
		    NULL, &si, e);
		if (rc == KR_NOT_FOUND)
			return kerr_set(e, KR_BAD_INPUT, "", "its invoice %s "
			    "is not stored", j->invoice_number);
		if (rc != KR_OK)
			return rc;
	}
	rc = jdoc_parse(&cr->orig_doc, j->invoice ? j->invoice : si.json,
	    j->invoice ? j->invoice_len : si.json_len, e);
	stored_invoice_release(&si);
	if (rc == KR_OK)
		rc = invoice_read(&cr->orig, cr->orig_doc.root, e);
	if (rc != KR_OK)
		return kerr_set(e, KR_BAD_INPUT, "", "the invoice %s does "
		    "not read back", j->invoice_number);
	creditnote_tally_init(&cr->tally, &cr->orig);
	cr->have_orig = 1;
	snprintf(cr->key, sizeof(cr->key), "%s", key);
	if (cr->st == NULL)
		return KR_OK;
	rc = state_each_credit_note(cr->st, j->shop, j->order_id,
	    count_earlier, cr, e);
	if (rc == KR_BAD_INPUT)
		kerr_set(e, KR_BAD_INPUT, "", "a credit note of invoice %s "
		    "does not read back", j->invoice_number);
	if (rc != KR_OK)
		forget_order(cr);
	return rc;
}

static int
read_refund(struct creditrun *cr, const struct job *j, struct kerr *e)
{
	int rc;

	if (j->json == NULL)
		return kerr_set(e, KR_BAD_INPUT, "", "it was recorded before "
		    "kontor kept refunds whole; it is credited once its order "
		    "(or refund file) is read again");
	order_reset(&cr->o);
	if ((rc = jdoc_parse(&cr->doc, j->json, strlen(j->json), e)) !=
	    KR_OK ||
	    (rc = order_set_currency(&cr->o, j->currency, "currency", e)) !=
	    KR_OK)
		return rc;
	return refund_read(&cr->o, order_add_refund(&cr->o), cr->doc.root,
	    "refund", e);
}

static int
queue_note(struct creditrun *cr, const struct job *j, struct taxbatch *b,
    struct kerr *e)
{
	char hash[SHA256_HEX], number[32];
	struct invoice *cn = &cr->cn;
	int rc;

	cn->source_file = j->source;
	if (cr->preview) {
		snprintf(number, sizeof(number), "PREVIEW-%06ld",
		    ++*cr->n_preview);
		cn->number = number;
		cn->provisional = 1;
	}
	sha256_buf_hex(j->json, strlen(j->json), hash);
	rc = taxbatch_credit(b, cn, hash, !cr->preview, e);
	if (rc != KR_OK)
		return rc;
	creditnote_tally_add(&cr->tally, cn);
	cr->n_made++;
	/* The yearly totals of the later orders of this run see it. */
	if (cr->bill != NULL)
		return billing_count(cr->bill, cn, e);
	return KR_OK;
}

/* Tells about a refund that gets no credit note now; KR_OK goes on. */
static int
not_credited(struct creditrun *cr, const struct job *j, struct kerr *e,
    int void_refund)
{
	char msg[KERR_MSG_MAX], field[KERR_FIELD_MAX];

	snprintf(msg, sizeof(msg), "%s", e->msg);
	snprintf(field, sizeof(field), "%s", e->field);
	kerr_set(e, e->code, field, "refund %s of order %s (invoice %s) "
	    "%s: %s", j->refund_id, j->order_id, j->invoice_number,
	    void_refund ? "gets no credit note" : "waits for its credit note",
	    msg);
	cr->report(cr->arg, j->source, e, void_refund);
	return KR_OK;
}

/* Credits one refund into b; KR_OK unless the database failed. */
static int
credit(struct creditrun *cr, const struct job *j, struct taxbatch *b,
    struct kerr *fatal)
{
	struct kerr e;
	int rc;

	kerr_clear(&e);
	rc = load_order(cr, j, &e);
	if (rc == KR_OK)
		rc = read_refund(cr, j, &e);
	if (rc == KR_OK)
		rc = creditnote_make(cr->cfg, cr->run, &cr->orig,
		    &cr->o.refunds[0], &cr->tally, &cr->cn, &e);
	if (rc == KR_OK)
		rc = queue_note(cr, j, b, &e);
	if (rc == KR_OK)
		return KR_OK;
	if (rc == KR_STATE || rc == KR_IO || rc == KR_BUSY) {
		*fatal = e;
		return rc;
	}
	if (rc == KR_NOT_FOUND) {
		cr->n_void++;
		if (!cr->preview)
			taxbatch_later(b, TB_REFUND_VOID, j->source, j->shop,
			    j->order_id, j->refund_id);
		return not_credited(cr, j, &e, 1);
	}
	cr->n_failed++;
	return not_credited(cr, j, &e, 0);
}

/* A refund the database holds as credited (or void). */
static int
credited_before(struct creditrun *cr, const struct tb_refund *r)
{
	char status[16];

	if (cr->st == NULL)
		return 0;
	return state_refund_status(cr->st, r->shop, r->order_id,
	    r->refund_id, status, NULL) != KR_OK ||
	    (status[0] != '\0' && strcmp(status, "waiting") != 0);
}

static char *
seen_key(const char *shop, const char *order_id, const char *refund_id)
{
	size_t n = strlen(shop) + strlen(order_id) + strlen(refund_id) + 3;
	char *k = xmalloc(n);

	snprintf(k, n, "%s\n%s\n%s", shop, order_id, refund_id);
	return k;
}

static int
seen(const struct creditrun *cr, const char *shop, const char *order_id,
    const char *refund_id)
{
	char *k = seen_key(shop, order_id, refund_id);
	size_t i;
	int found = 0;

	for (i = 0; i < cr->nseen && !found; i++)
		found = strcmp(cr->seen[i], k) == 0;
	free(k);
	return found;
}

static void
see(struct creditrun *cr, const struct tb_refund *r)
{
	if (cr->nseen == cr->cap_seen) {
		cr->cap_seen = cr->cap_seen ? cr->cap_seen * 2 : 16;
		cr->seen = xreallocarray(cr->seen, cr->cap_seen,
		    sizeof(*cr->seen));
	}
	cr->seen[cr->nseen++] = seen_key(r->shop, r->order_id, r->refund_id);
}

struct walk {
	struct creditrun *cr;
	struct taxbatch *b;
	struct kerr *e;
};

static int
on_waiting(void *arg, const struct waiting_refund *w)
{
	struct walk *wk = arg;
	struct job j;
	int rc;

	memset(&j, 0, sizeof(j));
	j.shop = w->shop;
	j.order_id = w->order_id;
	j.refund_id = w->refund_id;
	j.invoice_number = w->invoice_number;
	j.currency = w->currency;
	j.json = w->json;
	j.source = w->source_file;
	if (w->rowid > wk->cr->upto)
		wk->cr->upto = w->rowid;
	if (wk->cr->preview && seen(wk->cr, w->shop, w->order_id,
	    w->refund_id))
		return KR_OK;
	rc = credit(wk->cr, &j, wk->b, wk->e);
	if (rc != KR_OK || !taxbatch_full(wk->b))
		return rc;
	mark_set(&wk->cr->stop, w);
	return KR_TOO_BIG;	/* stops the walk */
}

/*
 * A pass takes the refunds after the mark of its start; a batch that
 * fills up stops it, and the next call goes on where it stopped.
 */
int
creditrun_waiting(struct creditrun *cr, struct taxbatch *b, struct kerr *e)
{
	struct walk wk = { cr, b, e };
	int rc;

	if (cr->st == NULL)
		return KR_OK;
	if (!cr->resume)
		cr->pass_after = cr->upto;
	rc = state_each_refund_waiting(cr->st, cr->pass_after,
	    cr->resume ? &cr->past : NULL, on_waiting, &wk, e);
	mark_free(&cr->past);
	cr->resume = rc == KR_TOO_BIG;
	if (cr->resume) {
		cr->past = cr->stop;
		memset(&cr->stop, 0, sizeof(cr->stop));
	}
	return rc;
}

int
creditrun_preview(struct creditrun *cr, const struct taxbatch *done,
    struct taxbatch *to, struct kerr *e)
{
	struct job j;
	size_t i;
	int rc;

	for (i = 0; i < done->nrw; i++) {
		const struct tb_refund *r = &done->rw[i];

		memset(&j, 0, sizeof(j));
		j.shop = r->shop;
		j.order_id = r->order_id;
		j.refund_id = r->refund_id;
		j.invoice_number = r->number ? r->number : "(preview)";
		j.currency = r->currency;
		j.json = r->json;
		j.source = r->file;
		if (r->number == NULL)
			taxbatch_record(done, r->seg, &j.invoice,
			    &j.invoice_len);
		if (r->number != NULL && credited_before(cr, r))
			continue;
		see(cr, r);
		if ((rc = credit(cr, &j, to, e)) != KR_OK)
			return rc;
	}
	return KR_OK;
}

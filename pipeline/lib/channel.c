#include <stdlib.h>
#include <string.h>

#include "channel.h"

struct channel_run {
	const struct tenant *t;
	struct state *st;
	const char *run_id;
	const char *channel;
	const struct channel_ops *ops;
	int (*read)(struct invoice *, const struct jnode *, struct kerr *);
	void *arg;
	struct delivery d;
	struct channel_stats *stats;
	struct jdoc doc;
	struct invoice inv;
	long open_delivered;	/* stats' counts of the open delivery */
	long open_skipped;
	int rc;			/* a failure that stops the delivery */
	int full;		/* the walk stopped: the delivery is full */
	char **refused;		/* numbers refused in this run */
	size_t nrefused;
	struct kerr *e;
};

static void
refuse(struct channel_run *w, const char *number, struct kerr *e)
{
	w->stats->refused++;
	w->refused = xreallocarray(w->refused, w->nrefused + 1,
	    sizeof(*w->refused));
	w->refused[w->nrefused++] = xstrdup(number);
	if (w->ops->refused != NULL)
		w->ops->refused(w->arg, number, e);
}

/* Refused already in this run (a walk after a full delivery). */
static int
refused_before(const struct channel_run *w, const char *number)
{
	size_t i;

	for (i = 0; i < w->nrefused; i++)
		if (strcmp(w->refused[i], number) == 0)
			return 1;
	return 0;
}

/*
 * What the audit log keeps of the committed deliveries: the first one's
 * id and files (the ledger and each MANIFEST have them all), and how
 * many there were.
 */
static void
note_delivery(struct channel_stats *stats, const struct delivery *d)
{
	struct buf b;
	size_t i;

	if (stats->committed++ > 0)
		return;
	snprintf(stats->delivery, sizeof(stats->delivery), "%s", d->id);
	buf_init(&b, 0);
	for (i = 0; i < d->nfiles; i++)
		buf_printf(&b, "%s %s\n", d->files[i].name,
		    d->files[i].sha256);
	stats->files = buf_take(&b, NULL);
}

/* Finishes and commits the open delivery (when it covers anything). */
static int
commit_one(struct channel_run *w, struct kerr *e)
{
	int rc, delivered;

	rc = w->ops->finish(w->arg, &w->d, e);
	if (rc == KR_OK)
		rc = deliver_commit(&w->d, &delivered, e);
	if (rc == KR_OK && delivered)
		note_delivery(w->stats, &w->d);
	return rc;
}

/*
 * Commits a full delivery and begins the next one of the same run, so
 * that a night of more documents than one delivery holds goes out whole.
 * It runs between walks: a commit inside one would upgrade the walk's
 * read snapshot, which fails when another stage wrote since it began.
 */
static int
next_delivery(struct channel_run *w, struct kerr *e)
{
	int rc;

	rc = commit_one(w, e);
	if (rc != KR_OK)
		return rc;	/* channel_close aborts it */
	w->open_delivered = w->open_skipped = 0;
	deliver_release(&w->d);
	return deliver_begin(&w->d, w->t, w->st, w->run_id, w->channel, e);
}

/*
 * Books inv, the invoice stored under number, into the open delivery:
 * KR_OK when it is covered or refused, or the failure that stops the
 * delivery (the files are broken), with w->e saying why.
 */
static int
book(struct channel_run *w, const char *number, const struct invoice *inv)
{
	struct kerr e;
	int rc;

	kerr_clear(&e);
	if (invoice_check_sums(inv, &e) != KR_OK) {
		refuse(w, number, &e);
		return KR_OK;
	}
	rc = w->ops->book(w->arg, &w->d, inv, &e);
	if (rc == KR_OK || rc == KR_NOT_FOUND) {
		deliver_add_doc(&w->d, number);
		w->stats->delivered++;
		w->stats->skipped += rc == KR_NOT_FOUND;
		w->open_delivered++;
		w->open_skipped += rc == KR_NOT_FOUND;
		return KR_OK;
	}
	if (rc == KR_IO || rc == KR_NOMEM) {
		*w->e = e;
		w->rc = rc;
		return rc;	/* the files are broken: stop */
	}
	refuse(w, number, &e);
	return KR_OK;
}

static int
offer(void *arg, const char *number, const char *json, size_t len)
{
	struct channel_run *w = arg;
	struct kerr e;

	kerr_clear(&e);
	if (refused_before(w, number))
		return KR_OK;
	if (deliver_full(&w->d)) {
		w->full = 1;
		return KR_TOO_BIG;	/* stops the walk */
	}
	w->stats->offered++;
	if (jdoc_parse(&w->doc, json, len, &e) != KR_OK ||
	    w->read(&w->inv, w->doc.root, &e) != KR_OK) {
		refuse(w, number, &e);
		return KR_OK;
	}
	return book(w, number, &w->inv);
}

int
channel_open(struct channel_run **cr, const struct tenant *t,
    struct state *st, const char *run_id, const char *channel,
    const struct channel_ops *ops, void *arg, struct channel_stats *stats,
    struct kerr *e)
{
	struct channel_run *w;
	int rc;

	memset(stats, 0, sizeof(*stats));
	w = xcalloc(1, sizeof(*w));
	rc = deliver_begin(&w->d, t, st, run_id, channel, e);
	if (rc != KR_OK) {
		free(w);
		*cr = NULL;
		return rc;
	}
	w->t = t;
	w->st = st;
	w->run_id = run_id;
	w->channel = channel;
	w->ops = ops;
	w->read = ops->read != NULL ? ops->read : invoice_read;
	w->arg = arg;
	w->stats = stats;
	w->e = e;
	jdoc_init(&w->doc);
	invoice_init(&w->inv);
	*cr = w;
	return KR_OK;
}

int
channel_walk(struct channel_run *w, struct kerr *e)
{
	int rc;

	w->e = e;
	do {
		w->full = 0;
		rc = state_each_undelivered(w->st, w->channel, offer, w, e);
		if (w->full)
			rc = next_delivery(w, e);
		else if (rc == KR_OK && w->rc != KR_OK)
			rc = w->rc;
	} while (rc == KR_OK && w->full);
	return rc;
}

int
channel_offer(struct channel_run *w, const struct invoice *inv,
    struct kerr *e)
{
	int rc;

	w->e = e;
	if (deliver_full(&w->d) && (rc = next_delivery(w, e)) != KR_OK)
		return rc;
	w->stats->offered++;
	return book(w, inv->number, inv);
}

int
channel_close(struct channel_run *w, int commit, struct kerr *e)
{
	int rc = KR_OK;

	if (w == NULL)
		return KR_OK;
	w->e = e;
	if (commit)
		rc = commit_one(w, e);
	if (!commit || rc != KR_OK) {
		/* What the open delivery covered was not delivered. */
		w->stats->delivered -= w->open_delivered;
		w->stats->skipped -= w->open_skipped;
		deliver_abort(&w->d);
	}
	while (w->nrefused > 0)
		free(w->refused[--w->nrefused]);
	free(w->refused);
	invoice_release(&w->inv);
	jdoc_release(&w->doc);
	deliver_release(&w->d);
	free(w);
	return rc;
}

int
channel_deliver(const struct tenant *t, struct state *st,
    const char *run_id, const char *channel, const struct channel_ops *ops,
    void *arg, struct channel_stats *stats, struct kerr *e)
{
	struct channel_run *w;
	int rc;

	rc = channel_open(&w, t, st, run_id, channel, ops, arg, stats, e);
	if (rc != KR_OK)
		return rc;
	rc = channel_walk(w, e);
	if (rc != KR_OK) {
		channel_close(w, 0, e);
		return rc;
	}
	return channel_close(w, 1, e);
}

int
channel_check_stored(struct state *st, const struct invoice *inv,
    const struct jnode *root, const char *raw, size_t raw_len,
    struct kerr *e)
{
	struct stored_invoice si;
	struct jdoc d;
	int rc;

	if (inv->provisional)
		return kerr_set(e, KR_BAD_INPUT, "provisional",
		    "invoice %s is provisional (from a preview) and is never "
		    "delivered", inv->number);
	memset(&si, 0, sizeof(si));
	rc = state_find_invoice(st, inv->shop, inv->order_id, inv->doc_type,
	    inv->refund_id, &si, e);
	if (rc == KR_OK && strcmp(si.number, inv->number) != 0)
		rc = kerr_set(e, KR_BAD_INPUT, "number", "the tenant stored "
		    "%s for this order, not %s: only the stored invoice is "
		    "delivered", si.number, inv->number);
	else if (rc == KR_NOT_FOUND)
		rc = kerr_set(e, KR_BAD_INPUT, "number",
		    "invoice %s was not numbered for this tenant: only "
		    "invoices its own kontor-tax stored are delivered",
		    inv->number);
	/* The stored bytes as kontor-tax wrote them need no second look. */
	if (rc == KR_OK && !(raw_len == si.json_len &&
	    memcmp(raw, si.json, raw_len) == 0)) {
		jdoc_init(&d);
		rc = jdoc_parse(&d, si.json, si.json_len, e);
		if (rc == KR_OK && !jequal(root, d.root))
			rc = kerr_set(e, KR_BAD_INPUT, "number", "invoice %s "
			    "differs from the one the tenant stored under "
			    "that number: a changed invoice is never "
			    "delivered", inv->number);
		jdoc_release(&d);
	}
	stored_invoice_release(&si);
	return rc;
}

int
channel_stored_copy(struct state *st, const char *line, size_t len)
{
	static const char key[] = "\"number\":\"";
	char number[64];
	const char *at, *end;
	struct kerr e;
	int copy = 0;

	kerr_clear(&e);
	(void)state_read_begin(st, &e);
	/*
	 * The first number member is the record's own as kontor-tax
	 * writes it (a stored invoice holds no other before it); a quote
	 * inside a string is escaped, so none can look like this key.
	 * When it is another, the bytes will not match.
	 */
	at = memmem(line, len, key, sizeof(key) - 1);
	if (at == NULL)
		return 0;
	at += sizeof(key) - 1;
	end = memchr(at, '"', len - (size_t)(at - line));
	if (end == NULL || (size_t)(end - at) >= sizeof(number) ||
	    memchr(at, '\\', (size_t)(end - at)) != NULL)
		return 0;
	memcpy(number, at, (size_t)(end - at));
	number[end - at] = '\0';
	kerr_clear(&e);
	return state_invoice_same(st, number, line, len, &copy, &e) ==
	    KR_OK && copy;
}

void
channel_end_lookups(void *db)
{
	state_read_end(db);
}

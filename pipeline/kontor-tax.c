/*
 * kontor-tax: orders in, invoices out.
 *
 * Reads canonical `order` records, decides each order's tax treatment,
 * computes its VAT (billing.h), draws its invoice number from the
 * tenant's series and stores the whole invoice in the state database in
 * the same commit, then writes the `invoice` record.  Commits are batched;
 * records go out only after their batch is committed, and the spool files
 * of committed orders move to cur/.  Records of other types pass through
 * untouched and in order.
 *
 * The refunds of invoiced orders, those in the orders and those that
 * came as `refund` records after their order was invoiced, are recorded
 * in the commit; after each commit the credit notes of all waiting
 * refunds are made (creditrun.h), numbered from the credit notes'
 * series and stored in a commit of their own, and go out as `invoice`
 * records of type 381.
 *
 * With --preview nothing is drawn, stored or moved: the invoices and
 * credit notes are marked provisional and numbered PREVIEW-n.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "billing.h"
#include "buf.h"
#include "creditrun.h"
#include "datevdeliver.h"
#include "dec.h"
#include "deliver.h"
#include "fs.h"
#include "import.h"
#include "msg.h"
#include "order.h"
#include "record.h"
#include "run.h"
#include "spool.h"
#include "spoolrun.h"
#include "state.h"
#include "taxbatch.h"
#include "tenant.h"

struct taxrun {
	struct tenant t;
	struct state *st;	/* NULL in a preview without a database */
	struct run run;
	int have_run;
	int preview;
	int wait;		/* --wait: for a busy tenant's lock */
	struct rec_out out;
	struct order o;
	struct invoice inv;
	struct tax_notes notes;
	struct billing bill;
	struct taxbatch b;
	struct taxbatch cb;	/* the credit notes after b's commit */
	struct buf committed;	/* a commit's output, kept for the next */
	struct creditrun cr;
	struct order ro;	/* a refund record */
	struct jdoc doc;
	struct taxbatch_series series;
	const char *input;
	const char *rates;	/* --rates FILE, or NULL */
	char rates_path[PATH_MAX];
	char month[8];		/* cur/ folder of this run: "YYYY-MM" */
	struct taxbatch_result res;	/* what the commits numbered */
	long n_read, n_waiting, n_set_aside;
	long n_rejected, n_passed, n_preview, n_refunds_new;
	long n_preview_no;	/* PREVIEW-n numbers given out */
	long n_refunds_read, n_refunds_waiting, n_credit_waiting;
	long n_unmoved;		/* committed, not in cur/ */
	long n_unrejected;	/* refused, not in rejected/ */
	long n_held;		/* waiting for the configuration */
	int unsynced;		/* a moved file's folder not synced */
	int spool;		/* --spool: read the spool, not records */
	int spool_status;	/* the exit status of its reading */
	long line;		/* records taken from it so far */
	int fatal;		/* exit status of a fatal error, or 0 */
	int datev;		/* --datev: deliver the bookings too */
	int datev_open;		/* dd was opened */
	struct datev_delivery dd;
	char outdir[PATH_MAX];	/* the tenant's out/, as dd names it */
};

static const char usage_text[] =
    "usage: kontor-tax --tenant DIR [-qvw] [--preview] [--rates FILE] "
    "[--datev] [--spool | FILE]\n";

static void
usage(int status)
{
	FILE *fp = status == 0 ? stdout : stderr;

	fputs(usage_text, fp);
	if (status == 0)
		fputs("\n"
		    "  -t, --tenant DIR  the tenant whose orders these are\n"
		    "  -p, --preview     draw no numbers, store and move "
		    "nothing\n"
		    "  -r, --rates FILE  the BMF monthly exchange rates, "
		    "instead of [tax] fx_rates\n"
		    "  -s, --spool       read the tenant's spool itself, as "
		    "kontor-spool does\n"
		    "  -d, --datev       deliver the DATEV bookings too, as "
		    "kontor-datev -o DIR/out\n"
		    "                    does after it\n"
		    "  -q, --quiet       errors only\n"
		    "  -v, --verbose     also notes\n"
		    "  -w, --wait        wait for a busy tenant instead of "
		    "exiting 75\n"
		    "  -h, --help        this text\n"
		    "  -V, --version     the version\n", fp);
	exit(status);
}

/* Says e about the record of file (NULL: the input) at line. */
static void
say_error(struct taxrun *tr, struct kerr *e, const char *file, long line)
{
	if (e->file[0] == '\0')
		kerr_where(e, file ? file : tr->input,
		    taxbatch_from_spool(file) ? 0 : line);
	msg_error(e);
}

/* Reports a rejected record and remembers it for the database. */
static void
reject(struct taxrun *tr, const struct order *o, struct kerr *e,
    const char *file, long line)
{
	char text[KERR_TEXT_MAX];
	size_t i;

	say_error(tr, e, file, line);
	tr->n_rejected++;
	if (tr->preview)
		return;
	kerr_format(e, text, sizeof(text));
	taxbatch_later(&tr->b, TB_REJECT, file, o ? o->shop : NULL,
	    o ? o->order_id : NULL, text);
	if (o == NULL)
		return;
	for (i = 0; i < o->nsource_also; i++)
		taxbatch_later(&tr->b, TB_REJECT, o->source_also[i], o->shop,
		    o->order_id, text);
}

/*
 * Invoices of a series are dated in the order of their numbers: a run
 * dated before the last invoice (a replayed stream, a clock set back) is
 * refused before it numbers anything.
 */
static void
check_run_date(struct taxrun *tr)
{
	char last[11];
	struct kerr e;

	if (tr->preview || tr->st == NULL)
		return;
	kerr_clear(&e);
	if (state_last_issue_date(tr->st, last, &e) != KR_OK) {
		msg_error(&e);
		tr->fatal = EX_KIOERR;
		return;
	}
	if (last[0] == '\0' || strcmp(tr->run.date, last) >= 0)
		return;
	msg_errorf("the run's date %s is before %s, the date of the last "
	    "invoice: invoices would be dated out of the order of their "
	    "numbers (a replayed stream, or a clock set back?); nothing is "
	    "numbered", tr->run.date, last);
	tr->fatal = EX_KCONFIG;
}

/* The run's time and an id no earlier run of the tenant had. */
static int
new_run(struct taxrun *tr, struct kerr *e)
{
	if (run_start(&tr->run, tr->t.name, tr->t.cfg.timezone, e) != KR_OK ||
	    (tr->st != NULL && state_fresh_run_id(tr->st, tr->run.id,
	    sizeof(tr->run.id), e) != KR_OK))
		return e->code;
	return KR_OK;
}

static void
start_run(struct taxrun *tr)
{
	struct kerr e;

	kerr_clear(&e);
	if (new_run(tr, &e) != KR_OK) {
		msg_error(&e);
		exit(EX_KCONFIG);
	}
	tr->have_run = 1;
	if (run_write(&tr->run, &tr->out) != KR_OK) {
		msg_errorf("cannot write the output");
		exit(EX_KIOERR);
	}
	memcpy(tr->month, tr->run.date, 7);
	tr->month[7] = '\0';
	check_run_date(tr);
}

static int
adopt_run(struct taxrun *tr, const struct rec *r, struct kerr *e)
{
	int rc;

	rc = run_read(&tr->run, r->root, e);
	if (rc != KR_OK)
		return rc;
	/* A stream of another tenant, or in another zone, is not ours. */
	if ((tr->run.tenant[0] != '\0' && strcmp(tr->run.tenant,
	    tr->t.name) != 0) || strcmp(tr->run.zone, tr->t.cfg.timezone) !=
	    0)
		return kerr_set(e, KR_CONFIG, "tenant", "the run record is of "
		    "tenant \"%s\" in zone %s, not of \"%s\" in zone %s: "
		    "its records are not numbered here", tr->run.tenant,
		    tr->run.zone, tr->t.name, tr->t.cfg.timezone);
	tr->have_run = 1;
	memcpy(tr->month, tr->run.date, 7);
	tr->month[7] = '\0';
	taxbatch_raw(&tr->b, r->raw, r->raw_len);
	check_run_date(tr);
	return KR_OK;
}

/*
 * An order numbered before: the same amounts give the stored invoice
 * again (a crash may have kept it from being delivered, and its spool
 * file from moving); other amounts are refused, never re-invoiced.
 */
static void
already_invoiced(struct taxrun *tr, const struct order *o,
    struct stored_invoice *si, const char *hash, long line)
{
	struct kerr e;

	if (strcmp(si->order_hash, hash) != 0) {
		kerr_clear(&e);
		kerr_set(&e, KR_BAD_INPUT, "", "order %s was invoiced as %s "
		    "and has other amounts now; it is not invoiced again "
		    "(a correction needs a credit note)", o->order_number,
		    si->number);
		reject(tr, o, &e, o->source_file, line);
		return;
	}
	msg_note("order %s: already invoiced as %s", o->order_number,
	    si->number);
	taxbatch_raw(&tr->b, si->json, si->json_len);
	taxbatch_moves(&tr->b, o);
	taxbatch_refunds(&tr->b, o, si->number);
	tr->res.again++;
}

static int
lookup(struct taxrun *tr, const struct order *o, struct stored_invoice *si,
    struct kerr *e)
{
	int rc;

	if (tr->st == NULL)
		return KR_NOT_FOUND;
	/* The batch's lookups share one read transaction (flush_batch). */
	rc = state_read_begin(tr->st, e);
	if (rc != KR_OK)
		return rc;
	return state_find_invoice(tr->st, o->shop, o->order_id, "380", NULL,
	    si, e);
}

static void
order_waits(struct taxrun *tr, const struct order *o, int invoiced)
{
	if (invoiced) {
		msg_note("order %s: an older snapshot of an invoiced order",
		    o->order_number);
		if (!tr->preview)
			taxbatch_moves(&tr->b, o);
		return;
	}
	msg_note("order %s waits: %s", o->order_number,
	    o->status_reason ? o->status_reason : "not ready to invoice");
	tr->n_waiting++;
}

/* The set_aside record goes out with its batch, after the commit. */
static void
add_set_aside(struct taxrun *tr, const struct order *o, const char *reason)
{
	struct buf tmp;
	struct jw w;

	buf_init(&tmp, 0);
	jw_init(&w, &tmp);
	jw_obj(&w);
	jw_kv_str(&w, "type", "set_aside");
	jw_kv_str(&w, "v", REC_VERSION);
	jw_key_lit(&w, "source");
	jw_obj(&w);
	jw_kv_str(&w, "file", o->source_file);
	jw_obj_end(&w);
	jw_kv_str(&w, "shop", o->shop);
	jw_kv_str(&w, "platform", o->platform);
	jw_kv_str(&w, "order_id", o->order_id);
	jw_kv_str(&w, "order_number", o->order_number);
	jw_kv_str(&w, "reason", reason);
	jw_obj_end(&w);
	taxbatch_raw(&tr->b, tmp.data, tmp.len);
	buf_release(&tmp);
}

static void
order_cancelled(struct taxrun *tr, const struct order *o,
    struct stored_invoice *si, int invoiced)
{
	char reason[256];

	if (invoiced) {
		msg_warn("%s: order %s was cancelled after it was invoiced as "
		    "%s; it needs a cancellation (credit note)",
		    o->source_file, o->order_number, si->number);
		return;
	}
	snprintf(reason, sizeof(reason), "cancelled before invoicing%s%s",
	    o->cancelled_at ? ": cancelled_at " : "",
	    o->cancelled_at ? o->cancelled_at : "");
	tr->n_set_aside++;
	if (tr->preview)
		return;
	add_set_aside(tr, o, reason);
	taxbatch_later(&tr->b, TB_SET_ASIDE, o->source_file, o->shop,
	    o->order_id, reason);
	taxbatch_moves(&tr->b, o);
}

/* Queues the computed invoice; its number is drawn at the commit. */
static int
queue_invoice(struct taxrun *tr, const struct order *o, const char *hash,
    struct kerr *e)
{
	int rc;

	tr->inv.number = "";
	rc = taxbatch_invoice(&tr->b, &tr->inv, o, hash, 1, e);
	if (rc != KR_OK)
		return rc;
	taxbatch_moves(&tr->b, o);
	taxbatch_refunds(&tr->b, o, NULL);
	return KR_OK;
}

static int
preview_invoice(struct taxrun *tr, const struct order *o, struct kerr *e)
{
	char number[32];
	int rc;

	snprintf(number, sizeof(number), "PREVIEW-%06ld",
	    tr->n_preview_no + 1);
	tr->inv.number = number;
	tr->inv.provisional = 1;
	rc = taxbatch_invoice(&tr->b, &tr->inv, o, NULL, 0, e);
	if (rc != KR_OK)
		return rc;
	tr->n_preview_no++;
	tr->n_preview++;
	taxbatch_refunds(&tr->b, o, NULL);
	return KR_OK;
}

static void
print_notes(struct taxrun *tr, const char *file)
{
	char *p, *nl;

	if (tr->notes.n == 0)
		return;
	for (p = tr->notes.text.data; p != NULL; p = nl) {
		nl = strchr(p, '\n');
		if (nl != NULL)
			*nl++ = '\0';
		msg_warn("%s: %s", file, p);
	}
	buf_reset(&tr->notes.text);
	tr->notes.n = 0;
}

/*
 * A fault of the tenant's own configuration or tables (kontor.conf, the
 * exchange rates, the VAT rates, the VIES confirmations; a month the
 * exchange rates do not have yet) is not the order's: the order waits,
 * unnumbered and in the spool, and the next run takes it once the fault
 * is mended.  It is said as an error, also under -q, and the exit status
 * is that of a configuration fault.
 */
static void
order_held(struct taxrun *tr, const struct order *o, struct kerr *e,
    long line)
{
	say_error(tr, e, o->source_file, line);
	tr->n_waiting++;
	tr->n_held++;
}

static void
order_ready(struct taxrun *tr, const struct order *o, const char *hash,
    long line)
{
	char supply[KTIME_DATE_MAX];
	struct tax_notes *notes = &tr->notes;
	struct kerr e;

	/* Notes are warnings: with -q none is written, so none is made. */
	if (msg_level() < MSG_NORMAL)
		notes = NULL;
	kerr_clear(&e);
	/* An order supplied after the run's date is not invoiced yet. */
	if (billing_supply_date(o, supply, &e) == KR_OK &&
	    strcmp(supply, tr->run.date) > 0) {
		msg_warn("%s: order %s waits: supplied on %s, after the run's "
		    "date %s", o->source_file ? o->source_file : tr->input,
		    o->order_number, supply, tr->run.date);
		tr->n_waiting++;
		return;
	}
	kerr_clear(&e);
	if (billing_make(&tr->bill, o, &tr->inv, notes, &e) != KR_OK) {
		buf_reset(&tr->notes.text);
		tr->notes.n = 0;
		if (e.code == KR_CONFIG)
			order_held(tr, o, &e, line);
		else
			reject(tr, o, &e, o->source_file, line);
		return;
	}
	print_notes(tr, o->source_file ? o->source_file : tr->input);
	if ((tr->preview ? preview_invoice(tr, o, &e) :
	    queue_invoice(tr, o, hash, &e)) != KR_OK)
		reject(tr, o, &e, o->source_file, line);
}

/*
 * A shop key the tenant does not know would start a second history for
 * the same orders (spool.h, spool_shop_known): the record is refused.
 */
static int
shop_known(struct taxrun *tr, const struct order *o, long line)
{
	char why[KERR_MSG_MAX];
	struct kerr e;

	kerr_clear(&e);
	if (spool_shop_known(&tr->t, import_platforms, o->shop, &e) == KR_OK)
		return 1;
	snprintf(why, sizeof(why), "%s", e.msg);
	kerr_set(&e, KR_BAD_INPUT, "shop", "%s", why);
	reject(tr, o, &e, o->source_file, line);
	return 0;
}

/* An order read and checked, from record line (0: none) of the input. */
static void
take_order(struct taxrun *tr, const struct order *o, long line)
{
	struct stored_invoice si;
	char hash[65];
	struct kerr e;
	int found;

	kerr_clear(&e);
	if (!shop_known(tr, o, line))
		return;
	memset(&si, 0, sizeof(si));
	found = lookup(tr, o, &si, &e);
	if (found != KR_OK && found != KR_NOT_FOUND) {
		msg_error(&e);
		tr->fatal = EX_KSOFTWARE;
		return;
	}
	order_amounts_hash(o, hash);
	if (o->status == ORDER_PENDING)
		order_waits(tr, o, found == KR_OK);
	else if (o->status == ORDER_CANCELLED)
		order_cancelled(tr, o, &si, found == KR_OK);
	else if (found == KR_OK)
		already_invoiced(tr, o, &si, hash, line);
	else
		order_ready(tr, o, hash, line);
	stored_invoice_release(&si);
}

static void
handle_order(struct taxrun *tr, const struct rec *r)
{
	struct order *o = &tr->o;
	struct kerr e;

	kerr_clear(&e);
	tr->n_read++;
	if (rec_check_version(r, REC_MAJOR, &e) != KR_OK ||
	    order_read(o, r->root, &e) != KR_OK ||
	    order_check(o, &e) != KR_OK) {
		const char *file = NULL, *line = NULL;

		rec_source(r->root, &file, &line);
		reject(tr, o->shop ? o : NULL, &e, file, r->line);
		return;
	}
	take_order(tr, o, r->line);
}

/*
 * The refund must be in the invoice's currency and price basis: Mode G
 * invoices are made from gross prices.  KR_OK or KR_BAD_INPUT.
 */
static int
refund_fits(struct taxrun *tr, const struct order *o,
    const struct stored_invoice *si, struct kerr *e)
{
	const char *cur, *mode;
	int rc;

	rc = jdoc_parse(&tr->doc, si->json, si->json_len, e);
	if (rc != KR_OK)
		return kerr_set(e, KR_STATE, "", "the stored invoice %s does "
		    "not read back", si->number);
	cur = jstr(jget(tr->doc.root, "currency"));
	mode = jstr(jget(tr->doc.root, "mode"));
	if (cur == NULL || mode == NULL || strcmp(cur, o->currency) != 0 ||
	    (mode[0] == 'G') != (o->prices == PRICES_GROSS))
		return kerr_set(e, KR_BAD_INPUT, "prices", "the refund is in "
		    "%s %s prices, but invoice %s of order %s is in %s %s "
		    "prices", o->currency, o->prices == PRICES_GROSS ?
		    "gross" : "net", si->number, o->order_number,
		    cur ? cur : "?", mode && mode[0] == 'G' ? "gross" : "net");
	return KR_OK;
}

/* A refund of an order never invoiced needs no credit note. */
static int
refund_set_aside(struct taxrun *tr, const struct order *o)
{
	struct kerr e;

	kerr_clear(&e);
	if (tr->st == NULL || state_is_set_aside(tr->st, o->shop, o->order_id,
	    &e) != KR_OK)
		return 0;
	msg_warn("%s: refund %s of order %s: the order was set aside before "
	    "it was invoiced, so the refund needs no credit note",
	    o->source_file, o->refunds[0].id, o->order_number);
	if (!tr->preview)
		taxbatch_moves(&tr->b, o);
	return 1;
}

/*
 * A refund that came after its order was invoiced: it waits for its
 * credit note against the stored invoice (or the one queued in this
 * batch), and its file moves to cur/ with the commit.  While the order
 * is not invoiced, the file stays in the spool.
 */
static void
refund_of_invoice(struct taxrun *tr, const struct order *o,
    const struct rec *r)
{
	struct stored_invoice si;
	struct kerr e;
	long seg;
	int rc;

	memset(&si, 0, sizeof(si));
	kerr_clear(&e);
	rc = lookup(tr, o, &si, &e);
	if (rc == KR_OK && (rc = refund_fits(tr, o, &si, &e)) == KR_OK)
		taxbatch_refund(&tr->b, o, &o->refunds[0], si.number, 0);
	stored_invoice_release(&si);
	if (rc == KR_BAD_INPUT)
		reject(tr, o, &e, o->source_file, r->line);
	if (rc != KR_NOT_FOUND) {
		if (rc == KR_OK && !tr->preview)
			taxbatch_moves(&tr->b, o);
		if (rc != KR_OK && rc != KR_BAD_INPUT) {
			msg_error(&e);
			tr->fatal = EX_KSOFTWARE;
		}
		return;
	}
	seg = taxbatch_queued(&tr->b, o->shop, o->order_id);
	if (seg >= 0) {
		taxbatch_refund(&tr->b, o, &o->refunds[0], NULL, (size_t)seg);
		if (!tr->preview)
			taxbatch_moves(&tr->b, o);
		return;
	}
	if (refund_set_aside(tr, o))
		return;
	msg_warn("%s: refund %s of order %s waits in the spool: the order is "
	    "not invoiced yet", o->source_file ? o->source_file : tr->input,
	    o->refunds[0].id, o->order_number);
	tr->n_refunds_waiting++;
}

static void
handle_refund(struct taxrun *tr, const struct rec *r)
{
	struct order *o = &tr->ro;
	struct kerr e;

	kerr_clear(&e);
	tr->n_refunds_read++;
	if (rec_check_version(r, REC_MAJOR, &e) != KR_OK ||
	    refund_record_read(o, r->root, &e) != KR_OK) {
		const char *file = NULL, *line = NULL;

		rec_source(r->root, &file, &line);
		reject(tr, NULL, &e, file, r->line);
		return;
	}
	if (shop_known(tr, o, r->line))
		refund_of_invoice(tr, o, r);
}

/*
 * A spool file whose order is committed and cannot be moved stays for
 * the next run, which finds its order stored and moves it then; but
 * until someone mends the folder, every night reads it again, so it
 * is said as an error, also under -q, and the exit status says so.  A
 * refused file that cannot go to rejected/ is refused again by the
 * next run, which has nothing of it stored: the summary says so.
 */
static void
move_file(void *arg, const char *file, const char *reason)
{
	struct taxrun *tr = arg;
	struct kerr e;
	int rc;

	kerr_clear(&e);
	if (reason != NULL)
		rc = spool_reject(&tr->t, file, reason, &e);
	else
		rc = spool_move_cur(&tr->t, file, tr->month, &e);
	if (rc == KR_OK || rc == KR_NOT_FOUND)
		return;
	msg_error(&e);
	if (reason != NULL)
		tr->n_unrejected++;
	else
		tr->n_unmoved++;
}

static void
move_files(struct taxrun *tr, const struct taxbatch *b)
{
	struct kerr e;

	taxbatch_each_move(b, move_file, tr);
	kerr_clear(&e);
	if (spool_sync(&tr->t, &e) != KR_OK) {
		msg_error(&e);
		tr->unsynced = 1;
	}
}

/* The refunds the commit recorded wait for the credit pass. */
static void
count_refunds(struct taxrun *tr, const struct taxbatch *b)
{
	size_t i;

	for (i = 0; i < b->nrw; i++) {
		const struct tb_refund *r = &b->rw[i];

		if (!r->added)
			continue;
		tr->n_refunds_new++;
		msg_note("%s: order %s: refund %s of %s %s recorded",
		    r->file ? r->file : tr->input, r->order_number,
		    r->refund_id, r->amount, r->currency);
	}
}

/*
 * --datev: the DATEV delivery begins before the first commit, so that
 * its walk books only what earlier runs left undelivered, and every
 * invoice this run stores is offered from memory (datevdeliver.h).
 */
static void
open_datev(struct taxrun *tr)
{
	struct datev_delivery *dd = &tr->dd;
	struct kerr e;

	tr->datev_open = 1;
	dd->cfg = &tr->t.cfg;
	dd->t = &tr->t;
	dd->db = tr->st;
	dd->run_id = tr->run.id;
	dd->run_time_utc = tr->run.time_utc;
	dd->out = tr->outdir;
	dd->quiet = msg_level() == MSG_QUIET;
	kerr_clear(&e);
	if (!tr->have_run && new_run(tr, &e) != KR_OK) {
		kerr_print(&e, "kontor-datev");
		dd->rc = e.code;
		return;
	}
	dd->run_time = tr->run.time;
	state_read_end(tr->st);
	(void)datev_delivery_open(dd);
}

static void
book_new(void *arg, const struct invoice *inv)
{
	struct taxrun *tr = arg;

	datev_delivery_offer(&tr->dd, inv);
}

/*
 * Ends the DATEV delivery with the audit row kontor-datev's would have,
 * and returns its status.
 */
static int
close_datev(struct taxrun *tr, const char *tenant)
{
	char *argv[7];
	int argc = 0;

	if (!tr->datev_open)
		open_datev(tr);
	argv[argc++] = "kontor-datev";
	argv[argc++] = "--tenant";
	argv[argc++] = (char *)tenant;
	argv[argc++] = "-o";
	argv[argc++] = tr->outdir;
	if (msg_level() != MSG_NORMAL)
		argv[argc++] = msg_level() == MSG_QUIET ? "-q" : "-v";
	argv[argc] = NULL;
	return datev_delivery_close(&tr->dd, argc, argv);
}

/*
 * The output of a commit is a batch's records, megabytes of them: it
 * goes into the same buffer every time, since a buffer that large,
 * freed, goes back to the kernel, and the next batch's writes into a
 * new one fault its pages in again.
 */
static void
commit_batch(struct taxrun *tr, struct taxbatch *b)
{
	struct buf *out = &tr->committed;
	struct kerr e;

	if (taxbatch_empty(b))
		return;
	if (tr->datev && !tr->datev_open)
		open_datev(tr);
	buf_reset(out);
	kerr_clear(&e);
	if (taxbatch_commit(b, tr->preview ? NULL : tr->st, &tr->series,
	    tr->run.id, out, &tr->res, &e) != KR_OK) {
		msg_error(&e);
		msg_errorf("the batch was rolled back: none of its numbers "
		    "is used");
		tr->fatal = e.code == KR_CONFIG ? EX_KCONFIG : EX_KIOERR;
		return;
	}
	if (out->len > 0 &&
	    fwrite(out->data, 1, out->len, stdout) != out->len) {
		msg_errorf("cannot write the output");
		tr->fatal = EX_KIOERR;
	}
	if (!tr->preview) {
		move_files(tr, b);
		count_refunds(tr, b);
	}
	if (tr->datev_open)
		taxbatch_each_new(b, book_new, tr);
}

/* A refund that gets no credit note in this run, said once per run. */
static void
not_credited(void *arg, const char *file, const struct kerr *e,
    int void_refund)
{
	struct taxrun *tr = arg;

	if (!void_refund)
		tr->n_credit_waiting++;
	msg_warn("%s: %s", file != NULL ? file : tr->input, e->msg);
}

/*
 * After the orders' commit: the credit notes of every waiting refund
 * not looked at yet in this run, in commits of their own, as many as
 * it takes to hold them (a night may find a backlog of thousands).
 */
static void
credit_pass(struct taxrun *tr)
{
	struct kerr e;
	int rc;

	kerr_clear(&e);
	rc = tr->preview ? creditrun_preview(&tr->cr, &tr->b, &tr->cb, &e) :
	    KR_OK;
	do {
		if (rc == KR_OK || rc == KR_TOO_BIG)
			rc = creditrun_waiting(&tr->cr, &tr->cb, &e);
		if (rc != KR_OK && rc != KR_TOO_BIG) {
			msg_error(&e);
			tr->fatal = kerr_exit_status(e.code);
			return;
		}
		commit_batch(tr, &tr->cb);
		taxbatch_clear(&tr->cb);
	} while (rc == KR_TOO_BIG && !tr->fatal);
}

static void
flush_batch(struct taxrun *tr)
{
	if (tr->st != NULL)
		state_read_end(tr->st);
	commit_batch(tr, &tr->b);
	if (!tr->fatal)
		credit_pass(tr);
	taxbatch_clear(&tr->b);
	taxbatch_clear(&tr->cb);
}

static void
handle_record(struct taxrun *tr, const struct rec *r)
{
	struct kerr e;

	kerr_clear(&e);
	if (strcmp(r->type, "run") == 0 && tr->have_run) {
		/* The same run again passes; another is a bad record. */
		if (run_check_same(&tr->run, r->root, &e) == KR_OK) {
			taxbatch_raw(&tr->b, r->raw, r->raw_len);
			return;
		}
		kerr_where(&e, tr->input, r->line);
		msg_error(&e);
		tr->n_rejected++;
		return;
	}
	if (strcmp(r->type, "run") == 0) {
		if (adopt_run(tr, r, &e) != KR_OK) {
			kerr_where(&e, tr->input, r->line);
			msg_error(&e);
			tr->fatal = kerr_exit_status(e.code);
			if (tr->fatal == EX_REJECTED)
				tr->fatal = EX_KCONFIG;
		}
		return;
	}
	if (!tr->have_run)
		start_run(tr);
	if (strcmp(r->type, "order") == 0) {
		handle_order(tr, r);
		return;
	}
	if (strcmp(r->type, "refund") == 0) {
		handle_refund(tr, r);
		return;
	}
	taxbatch_raw(&tr->b, r->raw, r->raw_len);
	tr->n_passed++;
}

/* Commits the batch once it is full. */
static void
batch_full(struct taxrun *tr)
{
	if (taxbatch_full(&tr->b))
		flush_batch(tr);
}

/*
 * Handles the records of fp, counting lines on from *line, which it
 * leaves at the last line read.
 */
static void
read_records(struct taxrun *tr, FILE *fp, long *line)
{
	struct rec_in in;
	struct rec r;
	struct kerr e;
	int rc;

	rec_in_init(&in, fp, tr->input);
	in.line = *line;
	for (;;) {
		kerr_clear(&e);
		rc = rec_next(&in, &r, &e);
		if (rc == KR_NOT_FOUND)
			break;
		if (rc == KR_IO) {
			msg_error(&e);
			tr->fatal = EX_KIOERR;
			break;
		}
		if (rc != KR_OK) {
			msg_error(&e);
			tr->n_rejected++;
			continue;
		}
		handle_record(tr, &r);
		if (tr->fatal)
			break;
		batch_full(tr);
		if (tr->fatal)
			break;
	}
	*line = in.line;
	rec_in_release(&in);
}

/* After the last record: the last batch. */
static void
end_input(struct taxrun *tr)
{
	if (!tr->fatal) {
		if (!tr->have_run)
			start_run(tr);
		flush_batch(tr);
	}
	if (tr->st != NULL)
		state_read_end(tr->st);
}

static void
read_input(struct taxrun *tr, FILE *fp)
{
	long line = 0;

	read_records(tr, fp, &line);
	end_input(tr);
}

/*
 * What the spool's reading puts (--spool): the one order of a file as
 * the structure it was mapped into, which needs no reading again, and
 * other records as lines, numbered on as if they came down a pipe.
 */
static int
from_spool(void *arg, const char *text, size_t len, struct order *o)
{
	struct taxrun *tr = arg;
	FILE *fp;

	msg_init("kontor-tax", msg_level());
	if (o != NULL) {
		tr->line++;
		tr->n_read++;
		if (!tr->have_run)
			start_run(tr);
		if (!tr->fatal)
			take_order(tr, o, tr->line);
		if (!tr->fatal)
			batch_full(tr);
	} else if ((fp = fmemopen((void *)text, len, "r")) == NULL) {
		msg_errorf("cannot read the spool's records: %s",
		    strerror(errno));
		tr->fatal = EX_KSOFTWARE;
	} else {
		read_records(tr, fp, &tr->line);
		fclose(fp);
	}
	msg_init("kontor-spool", msg_level());
	return tr->fatal;
}

/*
 * Reads the tenant's spool as kontor-spool does, in this process.  Its
 * reading gets the audit row and the status kontor-spool's would.
 */
static void
read_spool(struct taxrun *tr, const char *tenant)
{
	const struct spool_sink sink = { from_spool, tr };
	struct spool_opts so;
	struct spoolrun *sr;
	char *argv[5];
	int argc = 0;

	memset(&so, 0, sizeof(so));
	so.tenant = tenant;
	so.preview = tr->preview;
	argv[argc++] = "kontor-spool";
	argv[argc++] = "--tenant";
	argv[argc++] = (char *)tenant;
	if (msg_level() != MSG_NORMAL)
		argv[argc++] = msg_level() == MSG_QUIET ? "-q" : "-v";
	argv[argc] = NULL;
	msg_init("kontor-spool", msg_level());
	tr->spool_status = spoolrun_open(&sr, &so, &sink);
	if (tr->spool_status == 0) {
		tr->spool_status = spoolrun_read(sr);
		tr->spool_status = spoolrun_close(sr, argc, argv,
		    tr->spool_status);
	}
	msg_init("kontor-tax", msg_level());
	end_input(tr);
}

/* Returns status, or EX_KIOERR when the row cannot be written. */
static int
write_audit(struct taxrun *tr, int argc, char **argv, int status)
{
	char counts[768];
	struct kerr e;

	if (tr->st == NULL || tr->preview)
		return status;
	snprintf(counts, sizeof(counts), "read=%ld invoiced=%ld again=%ld "
	    "waiting=%ld set_aside=%ld rejected=%ld refunds=%ld first=%s "
	    "last=%s credited=%ld credit_waiting=%ld credit_first=%s "
	    "credit_last=%s", tr->n_read, tr->res.invoiced, tr->res.again,
	    tr->n_waiting, tr->n_set_aside, tr->n_rejected, tr->n_refunds_new,
	    tr->res.first, tr->res.last, tr->res.credited,
	    tr->n_credit_waiting, tr->res.credit_first, tr->res.credit_last);
	kerr_clear(&e);
	if (state_audit_command(tr->st, tr->run.id, tr->run.time_utc, argc,
	    argv, counts, "", status, &e) != KR_OK) {
		msg_error(&e);
		return kerr_worse_status(status, EX_KIOERR);
	}
	return status;
}

/* " (first to last)", " (first)" or "" into out. */
static const char *
range(char *out, size_t size, const char *first, const char *last)
{
	if (first[0] == '\0')
		snprintf(out, size, "%s", "");
	else if (strcmp(first, last) == 0)
		snprintf(out, size, " (%s)", first);
	else
		snprintf(out, size, " (%s to %s)", first, last);
	return out;
}

static void
summary(const struct taxrun *tr)
{
	const struct taxbatch_result *r = &tr->res;
	char inv[160], cn[160];

	if (tr->n_held > 0)
		msg_errorf("%ld order%s wait%s for the tenant's configuration "
		    "or tables to be mended (see above); the next run takes "
		    "%s", tr->n_held, tr->n_held == 1 ? "" : "s",
		    tr->n_held == 1 ? "s" : "", tr->n_held == 1 ? "it" :
		    "them");
	if (tr->preview) {
		msg_info("preview: %ld orders read, %ld provisional invoices, "
		    "%ld provisional credit notes, %ld already invoiced, %ld "
		    "waiting, %ld rejected", tr->n_read, tr->n_preview,
		    tr->cr.n_made, tr->res.again, tr->n_waiting,
		    tr->n_rejected);
		return;
	}
	msg_info("%ld order%s read: %ld invoiced%s, %ld credit note%s%s, "
	    "%ld already invoiced, %ld waiting, %ld set aside, %ld rejected",
	    tr->n_read, tr->n_read == 1 ? "" : "s", r->invoiced,
	    range(inv, sizeof(inv), r->first, r->last), r->credited,
	    r->credited == 1 ? "" : "s", range(cn, sizeof(cn),
	    r->credit_first, r->credit_last), r->again, tr->n_waiting,
	    tr->n_set_aside, tr->n_rejected);
	if (tr->n_unmoved > 0)
		msg_errorf("%ld spool file%s could not be moved (see above): "
		    "%s committed, and the next run moves %s", tr->n_unmoved,
		    tr->n_unmoved == 1 ? "" : "s",
		    tr->n_unmoved == 1 ? "its order is" : "their orders are",
		    tr->n_unmoved == 1 ? "it" : "them");
	if (tr->n_unrejected > 0)
		msg_errorf("%ld refused spool file%s could not be moved to "
		    "rejected/ (see above): the next run refuses %s again",
		    tr->n_unrejected, tr->n_unrejected == 1 ? "" : "s",
		    tr->n_unrejected == 1 ? "it" : "them");
	if (tr->n_credit_waiting > 0)
		msg_info("%ld refund%s wait%s for credit notes (see above)",
		    tr->n_credit_waiting, tr->n_credit_waiting == 1 ? "" : "s",
		    tr->n_credit_waiting == 1 ? "s" : "");
}

/*
 * The input of a pipe, or any input that is not a regular file, copied
 * to an unlinked file in TMPDIR (or /tmp) and read from there: bounded
 * memory, however long the input.  NULL with e set on failure.
 */
static FILE *
keep_input(FILE *fp, struct kerr *e)
{
	const char *dir;
	char chunk[65536];
	FILE *tmp;
	size_t n;

	if ((tmp = fs_tmpfile(&dir)) == NULL) {
		kerr_set(e, KR_IO, "", "cannot make a temporary file in %s "
		    "to keep the input in: %s", dir, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (fwrite(chunk, 1, n, tmp) != n)
			break;
	if (ferror(fp) || ferror(tmp) || fflush(tmp) != 0 ||
	    fseek(tmp, 0, SEEK_SET) != 0) {
		kerr_set(e, KR_IO, "", "cannot keep the input in a temporary "
		    "file in %s: %s", dir, strerror(errno));
		fclose(tmp);
		return NULL;
	}
	return tmp;
}

/*
 * The tenant lock, for numbering.  With --wait a busy tenant is waited
 * for, but its holder may be the kontor-tax of this very pipe's
 * upstream, which lets go only after its last record is read: input
 * that is not a regular file is read to its end first (keep_input), so
 * that no stage before this one is left blocked on a full pipe.  As in
 * a delivery (deliver_lock), a lock held a second after the input
 * ended belongs to another run, and is said once.
 */
/* Says whom a busy tenant is waited for. */
static void
tax_busy(void *arg, const struct kerr *e)
{
	const struct taxrun *tr = arg;
	char who[160];

	tenant_lock_holder(&tr->t, who, sizeof(who));
	msg_info("%s%s; waiting for it", e->msg, who);
}

static int
lock_tenant(struct taxrun *tr, FILE **fp, struct kerr *e)
{
	struct stat st;
	FILE *tmp;
	int rc;

	rc = tenant_lock(&tr->t, 0, e);
	if (rc != KR_BUSY || !tr->wait)
		return rc;
	kerr_clear(e);
	if (!tr->spool &&
	    (fstat(fileno(*fp), &st) != 0 || !S_ISREG(st.st_mode))) {
		if ((tmp = keep_input(*fp, e)) == NULL)
			return KR_IO;
		if (*fp != stdin)
			fclose(*fp);
		*fp = tmp;
	}
	return tenant_lock_patiently(&tr->t, tax_busy, tr, e);
}

static int
open_state(struct taxrun *tr, FILE **fp)
{
	char path[PATH_MAX];
	struct kerr e;

	kerr_clear(&e);
	/* A preview changes nothing: not even a new database. */
	if (tr->preview && (tenant_path(&tr->t, STATE_FILE, path, &e) !=
	    KR_OK || access(path, F_OK) != 0))
		return KR_OK;
	/*
	 * Numbering holds the tenant lock: the running totals that decide
	 * a treatment (the distance-sales threshold, the small business
	 * limits) are read before a batch's commit, so two numbering
	 * stages at once could both take the last room under a limit.
	 */
	if ((!tr->preview && lock_tenant(tr, fp, &e) != KR_OK) ||
	    state_open(&tr->st, tr->t.dir, &e) != KR_OK ||
	    (!tr->preview && deliver_check_known(&tr->t, tr->st, &e) !=
	    KR_OK)) {
		msg_error(&e);
		state_close(tr->st);
		tr->st = NULL;
		return kerr_exit_status(e.code);
	}
	return KR_OK;
}

/*
 * --rates FILE stands for [tax] fx_rates; the file is named relative
 * to the current folder, as on any command line.
 */
static int
use_rates(struct taxrun *tr)
{
	char cwd[PATH_MAX];
	int n;

	if (tr->rates[0] == '/')
		n = snprintf(tr->rates_path, sizeof(tr->rates_path), "%s",
		    tr->rates);
	else if (getcwd(cwd, sizeof(cwd)) != NULL)
		n = snprintf(tr->rates_path, sizeof(tr->rates_path), "%s/%s",
		    cwd, tr->rates);
	else {
		msg_errorf("%s: cannot tell the current folder: %s",
		    tr->rates, strerror(errno));
		return EX_KIOERR;
	}
	if (n < 0 || (size_t)n >= sizeof(tr->rates_path)) {
		msg_errorf("%s: the path is too long", tr->rates);
		return EX_KUSAGE;
	}
	tr->t.cfg.fx_rates = tr->rates_path;
	return 0;
}

static const char *
parse_args(struct taxrun *tr, int argc, char **argv)
{
	static const struct option opts[] = {
		{"tenant", required_argument, NULL, 't'},
		{"preview", no_argument, NULL, 'p'},
		{"rates", required_argument, NULL, 'r'},
		{"spool", no_argument, NULL, 's'},
		{"datev", no_argument, NULL, 'd'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"wait", no_argument, NULL, 'w'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	enum msg_level level = MSG_NORMAL;
	const char *tenant = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "dhpqr:st:vVw", opts, NULL)) !=
	    -1) {
		switch (c) {
		case 't':
			tenant = optarg;
			break;
		case 'r':
			tr->rates = optarg;
			break;
		case 's':
			tr->spool = 1;
			break;
		case 'd':
			tr->datev = 1;
			break;
		case 'p':
			tr->preview = 1;
			break;
		case 'q':
			level = MSG_QUIET;
			break;
		case 'v':
			level = MSG_VERBOSE;
			break;
		case 'w':
			tr->wait = 1;
			break;
		case 'h':
			usage(0);
			break;
		case 'V':
			printf("kontor-tax %s\n", KONTOR_VERSION);
			exit(0);
		default:
			usage(EX_KUSAGE);
		}
	}
	msg_init("kontor-tax", level);
	if (tenant == NULL || argc - optind > (tr->spool ? 0 : 1) ||
	    (tr->datev && tr->preview)) {
		if (tenant == NULL)
			msg_errorf("--tenant DIR is required");
		else if (tr->datev && tr->preview)
			msg_errorf("--datev delivers: not with --preview");
		else if (tr->spool)
			msg_errorf("--spool reads the spool: no FILE too");
		usage(EX_KUSAGE);
	}
	snprintf(tr->outdir, sizeof(tr->outdir), "%s/out", tenant);
	tr->input = optind < argc ? argv[optind] : "-";
	return tenant;
}

int
main(int argc, char **argv)
{
	static struct taxrun tr;
	const char *tenant;
	struct kerr e;
	FILE *fp = stdin;
	int status;

	tenant = parse_args(&tr, argc, argv);
	kerr_clear(&e);
	if ((tr.preview ? tenant_open_preview(&tr.t, tenant, &e) :
	    tenant_open(&tr.t, tenant, &e)) != KR_OK) {
		msg_error(&e);
		return kerr_exit_status(e.code);
	}
	if (tr.rates != NULL && (status = use_rates(&tr)) != 0) {
		tenant_close(&tr.t);
		return status;
	}
	if (strcmp(tr.input, "-") != 0 && (fp = fopen(tr.input, "r")) ==
	    NULL) {
		msg_errorf("%s: cannot open: %s", tr.input, strerror(errno));
		tenant_close(&tr.t);
		return EX_KIOERR;
	}
	if ((status = open_state(&tr, &fp)) != KR_OK) {
		if (fp != stdin)
			fclose(fp);
		state_close(tr.st);
		tenant_close(&tr.t);
		return status;
	}
	rec_out_init(&tr.out, stdout);
	order_init(&tr.o);
	order_init(&tr.ro);
	jdoc_init(&tr.doc);
	invoice_init(&tr.inv);
	tax_notes_init(&tr.notes);
	billing_init(&tr.bill, &tr.t.cfg, &tr.run, tr.t.dir, tr.st);
	taxbatch_init(&tr.b);
	taxbatch_init(&tr.cb);
	if (tr.datev) {
		taxbatch_keep_booking(&tr.b);
		taxbatch_keep_booking(&tr.cb);
	}
	buf_init(&tr.committed, 0);
	tr.series.invoice = tr.t.cfg.number_pattern;
	tr.series.credit = tr.t.cfg.credit_pattern;
	creditrun_init(&tr.cr, &tr.t.cfg, &tr.run, tr.st, tr.preview,
	    &tr.n_preview_no, not_credited, &tr);
	tr.cr.bill = &tr.bill;

	if (tr.spool)
		read_spool(&tr, tenant);
	else
		read_input(&tr, fp);
	summary(&tr);
	status = tr.fatal ? tr.fatal : tr.n_unmoved > 0 ||
	    tr.n_unrejected > 0 || tr.unsynced ? EX_KIOERR :
	    tr.n_held > 0 ? EX_KCONFIG : tr.n_rejected > 0 ? EX_REJECTED : 0;
	status = msg_close_stdout(status);
	status = write_audit(&tr, argc, argv, status);
	status = kerr_worse_status(status, tr.spool_status);
	if (tr.datev)
		status = kerr_run_status(status, close_datev(&tr, tenant));

	creditrun_release(&tr.cr);
	taxbatch_release(&tr.cb);
	taxbatch_release(&tr.b);
	buf_release(&tr.committed);
	billing_release(&tr.bill);
	tax_notes_release(&tr.notes);
	invoice_release(&tr.inv);
	jdoc_release(&tr.doc);
	order_release(&tr.ro);
	order_release(&tr.o);
	rec_out_release(&tr.out);
	if (fp != stdin)
		fclose(fp);
	state_close(tr.st);
	tenant_close(&tr.t);
	return status;
}

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "datevdeliver.h"
#include "deliver.h"
#include "msg.h"

#define PROG	"kontor-datev"

static void
say(const char *file, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "kontor-datev: file: field: message", as kontor-datev says it. */
static void
say(const char *file, const char *field, const char *fmt, ...)
{
	struct kerr k;
	va_list ap;

	kerr_clear(&k);
	va_start(ap, fmt);
	kerr_vset(&k, KR_OK, field, fmt, ap);
	va_end(ap);
	kerr_where(&k, file, 0);
	kerr_print(&k, PROG);
}

void
datev_say_summary(int quiet, long n_read, const long *delivered,
    long n_rejected, const struct datev_writer *w)
{
	long rows = w != NULL ? w->n_rows : 0;
	char part[40] = "";

	if (quiet)
		return;
	if (delivered != NULL)
		snprintf(part, sizeof(part), "%ld delivered, ", *delivered);
	say(NULL, "", "%ld %s read, %s%ld rejected, %ld %s written, "
	    "%ld characters transliterated, %ld control characters replaced",
	    n_read, msg_plural(n_read, "invoice", "invoices"), part,
	    n_rejected, rows, msg_plural(rows, "booking", "bookings"),
	    w != NULL ? w->n_translit : 0, w != NULL ? w->n_control : 0);
}

/* The batch files go into the open delivery's temp folder. */

static int
dd_open_file(void *arg, const char *name, FILE **fp, struct kerr *e)
{
	struct datev_delivery *dd = arg;

	*fp = deliver_open_file(dd->d, name, e);
	return *fp != NULL ? KR_OK : e->code;
}

static int
dd_close_file(void *arg, FILE *fp, const char *name, struct kerr *e)
{
	struct datev_delivery *dd = arg;

	return deliver_close_file(dd->d, fp, name, e);
}

static void
dd_discard(void *arg, FILE *fp, const char *name)
{
	(void)arg;
	(void)name;
	fclose(fp);	/* the temp folder goes with the aborted delivery */
}

/* The writer starts with the first invoice booked. */
static int
writer_start(struct datev_delivery *dd)
{
	struct kerr e;

	if (dd->writer_open)
		return KR_OK;
	kerr_clear(&e);
	if (datev_writer_init(&dd->w, dd->cfg, &dd->sink, dd->run_time,
	    &e) != KR_OK) {
		kerr_where(&e, dd->cfg->path, 0);
		kerr_print(&e, PROG);
		return e.code;
	}
	dd->writer_open = 1;
	return KR_OK;
}

static int
dd_book(void *arg, struct delivery *d, const struct invoice *inv,
    struct kerr *e)
{
	struct datev_delivery *dd = arg;
	struct datev_note note;
	int rc;

	dd->d = d;
	if (writer_start(dd) != KR_OK)
		return kerr_set(e, KR_IO, NULL, "cannot start the batches");
	rc = datev_writer_add_invoice(&dd->w, inv, &note, e);
	if (rc == KR_OK && note.doc_no_mapped && !dd->quiet)
		say(NULL, "number", "invoice \"%s\": Belegfeld 1 written "
		    "as \"%s\" (DATEV takes A-Z a-z 0-9 $ %% - / only)",
		    inv->number, note.doc_no);
	return rc;
}

static int
dd_finish(void *arg, struct delivery *d, struct kerr *e)
{
	struct datev_delivery *dd = arg;

	dd->d = d;
	if (!dd->writer_open)
		return KR_OK;
	return datev_writer_finish(&dd->w, e);
}

static void
dd_refused(void *arg, const char *number, const struct kerr *e)
{
	struct datev_delivery *dd = arg;
	struct kerr k = *e;

	kerr_where(&k, number, 0);
	kerr_print(&k, PROG);
	say(number, "", "stays undelivered on the DATEV channel until it "
	    "can be booked");
	dd->n_rejected++;
}

static const struct channel_ops ops = {
	dd_book, dd_finish, dd_refused, invoice_read_booking
};

/* A failure that gives the delivery up, said once. */
static void
give_up(struct datev_delivery *dd, const struct kerr *e)
{
	kerr_print(e, PROG);
	dd->rc = e->code;
	channel_close(dd->cr, 0, &(struct kerr){ 0 });
	dd->cr = NULL;
}

int
datev_delivery_open(struct datev_delivery *dd)
{
	struct kerr e;
	int rc;

	dd->sink = (struct datev_sink){ dd, dd_open_file, dd_close_file,
	    dd_discard };
	dd->cr = NULL;
	dd->writer_open = 0;
	dd->rc = KR_OK;
	memset(&dd->cs, 0, sizeof(dd->cs));
	kerr_clear(&e);
	rc = deliver_settle(dd->t, dd->db, &e);
	if (rc == KR_OK)
		rc = channel_open(&dd->cr, dd->t, dd->db, dd->run_id, "datev",
		    &ops, dd, &dd->cs, &e);
	if (rc != KR_OK) {
		kerr_print(&e, PROG);
		dd->rc = rc;
		return rc;
	}
	rc = channel_walk(dd->cr, &e);
	if (rc != KR_OK)
		give_up(dd, &e);
	return rc;
}

void
datev_delivery_offer(struct datev_delivery *dd, const struct invoice *inv)
{
	struct kerr e;

	if (dd->cr == NULL)
		return;
	kerr_clear(&e);
	if (channel_offer(dd->cr, inv, &e) != KR_OK)
		give_up(dd, &e);
}

/*
 * The audit row, whose bookings are those of a committed delivery
 * (delivered).  Returns status, or EX_KIOERR when the row cannot be
 * written.
 */
static int
audit(struct datev_delivery *dd, int argc, char **argv, int status,
    int delivered)
{
	struct buf counts;
	struct kerr e;

	buf_init(&counts, 0);
	buf_printf(&counts, "invoices=%ld offered=%ld delivered=%ld "
	    "bookings=%ld rejected=%ld delivery=%s", dd->n_read,
	    dd->cs.offered, dd->cs.delivered, delivered && dd->writer_open ?
	    dd->w.n_rows : 0, dd->n_rejected, dd->cs.delivery[0] ?
	    dd->cs.delivery : "-");
	kerr_clear(&e);
	if (state_audit_command(dd->db, dd->run_id, dd->run_time_utc, argc,
	    argv, counts.data, dd->cs.files, status, &e) != KR_OK) {
		kerr_print(&e, PROG);
		status = kerr_worse_status(status, EX_KIOERR);
	}
	buf_release(&counts);
	return status;
}

/* Where the bookings went. */
static void
report(const struct datev_delivery *dd)
{
	size_t i;

	if (dd->quiet)
		return;
	if (!dd->cs.committed) {
		say(NULL, "", "nothing new to deliver");
		return;
	}
	for (i = 0; i < dd->w.nbatch; i++) {
		char path[PATH_MAX];

		snprintf(path, sizeof(path), "%s/%s/%s", dd->out,
		    dd->cs.delivery, dd->w.batch[i].name);
		say(path, "", "delivered %ld bookings",
		    dd->w.batch[i].n_rows);
	}
}

int
datev_delivery_close(struct datev_delivery *dd, int argc, char **argv)
{
	struct kerr e;
	int rc = dd->rc, status;

	kerr_clear(&e);
	if (dd->cr != NULL) {
		rc = channel_close(dd->cr, 1, &e);
		dd->cr = NULL;
		if (rc != KR_OK)
			kerr_print(&e, PROG);
	}
	if (rc == KR_OK)
		report(dd);
	/* A delivery that failed wrote no booking anyone will import. */
	datev_say_summary(dd->quiet, dd->n_read, &dd->cs.delivered,
	    dd->n_rejected, rc == KR_OK && dd->writer_open ? &dd->w : NULL);
	status = rc != KR_OK ? kerr_exit_status(rc) == EX_REJECTED ?
	    EX_KIOERR : kerr_exit_status(rc) : dd->n_rejected > 0 ?
	    EX_REJECTED : EX_KOK;
	status = audit(dd, argc, argv, status, rc == KR_OK);
	free(dd->cs.files);
	dd->cs.files = NULL;
	if (dd->writer_open)
		datev_writer_release(&dd->w);
	dd->writer_open = 0;
	return status;
}

/*
 * kontor-datev: books invoice records as DATEV EXTF Buchungsstapel
 * files, one per month, or checks such files.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "channel.h"
#include "config.h"
#include "datev.h"
#include "datev_check.h"
#include "datevdeliver.h"
#include "err.h"
#include "fs.h"
#include "invoice.h"
#include "ktime.h"
#include "msg.h"
#include "nameset.h"
#include "outfile.h"
#include "record.h"
#include "run.h"
#include "state.h"
#include "tenant.h"
#include "tmpname.h"

#ifndef KONTOR_VERSION
#define KONTOR_VERSION	"0"
#endif

#define PROG		"kontor-datev"

static const char synopsis[] =
    "usage: kontor-datev [-qv] [-c file | -t dir] -o dir | -o -\n"
    "       kontor-datev --check file ...\n";

struct opts {
	int argc;		/* the command line, for the audit log */
	char **argv;
	const char *tenant;	/* -t: the tenant directory */
	const char *config;	/* -c: a configuration file */
	const char *out;	/* -o: a directory, or "-" */
	int check;
	int quiet;
	int verbose;
};

/* A sink into a directory: each file atomically (outfile.h). */
struct dir_sink {
	const char *dir;
	struct outfile *file;
	size_t nfile;
	int failed;		/* the folder took no batch file */
	long n_refused;		/* batch files not tried since */
};

/* A sink to standard output: one batch, copied out at the end. */
struct stdout_sink {
	char name[DATEV_NAME_MAX];
	FILE *tmp;
};

struct stage {
	const struct opts *o;
	struct config cfg;
	struct tenant t;	/* delivery mode only */
	struct state *db;	/* delivery mode only */
	int delivering;		/* -o is the tenant's own out/ */
	struct run run;
	int have_run;
	const struct datev_sink *sink;
	struct datev_writer w;
	int writer_open;
	long n_invoices;	/* invoice records read */
	long n_numbered;	/* booked ones that are not provisional */
	long n_rejected;
	long n_unbooked;	/* invoices the folder had no file for */
	int io_error;
	struct dir_sink *dir;	/* with -o DIR, else NULL */
	struct nameset booked;	/* Belegfeld 1 of the invoices booked */
};

static void
usage(void)
{
	fputs(synopsis, stderr);
	exit(EX_KUSAGE);
}

static void
help(void)
{
	fputs(synopsis, stdout);
	fputs("\n"
	    "  -c, --config FILE   read the tenant configuration FILE\n"
	    "  -t, --tenant DIR    the tenant: read DIR/kontor.conf; -o "
	    "DIR/out delivers\n"
	    "                      its stored invoices on the DATEV "
	    "channel\n"
	    "  -o, --output DIR    write one EXTF_Buchungsstapel_YYYY-MM.csv "
	    "per month\n"
	    "                      into DIR; - writes one batch to stdout\n"
	    "      --check         check DATEV files instead of writing\n"
	    "  -q, --quiet         no warnings, no summary\n"
	    "  -v, --verbose       a note for every invoice\n"
	    "  -h, --help          this text\n"
	    "  -V, --version       the version\n", stdout);
	exit(EX_KOK);
}

static void
vsay(const char *file, long line, const char *field, const char *fmt,
    va_list ap)
{
	struct kerr k;

	kerr_clear(&k);
	kerr_vset(&k, KR_OK, field, fmt, ap);
	kerr_where(&k, file, line);
	kerr_print(&k, PROG);
}

static void
say(const char *file, long line, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/*
 * "prog: file:line: field: message" on stderr, whatever -q says.  Names
 * and numbers from the input go through kerr_print, which shows them
 * safely on a terminal; no message of this program prints them itself.
 */
static void
say(const char *file, long line, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsay(file, line, field, fmt, ap);
	va_end(ap);
}

static void
warnx_(const struct stage *st, const char *file, long line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* As say, for a warning or note: nothing with -q. */
static void
warnx_(const struct stage *st, const char *file, long line,
    const char *fmt, ...)
{
	va_list ap;

	if (st->o->quiet)
		return;
	va_start(ap, fmt);
	vsay(file, line, "", fmt, ap);
	va_end(ap);
}

static void
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"check", no_argument, NULL, 'K'},
		{"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'},
		{"output", required_argument, NULL, 'o'},
		{"quiet", no_argument, NULL, 'q'},
		{"tenant", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	int ch;

	memset(o, 0, sizeof(*o));
	o->argc = argc;
	o->argv = argv;
	while ((ch = getopt_long(argc, argv, "c:ho:qt:vV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'c':
			o->config = optarg;
			break;
		case 'h':
			help();
			break;
		case 'K':
			o->check = 1;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 't':
			o->tenant = optarg;
			break;
		case 'v':
			o->verbose = 1;
			break;
		case 'V':
			printf(PROG " %s\n", KONTOR_VERSION);
			exit(EX_KOK);
		default:
			usage();
		}
	}
	if (o->check) {
		if (optind == argc || o->out != NULL)
			usage();
		return;
	}
	if (o->out == NULL || (o->config != NULL && o->tenant != NULL) ||
	    optind != argc)
		usage();
}

/* Sinks */

static int
dir_open(void *arg, const char *name, FILE **fp, struct kerr *e)
{
	struct dir_sink *d = arg;
	int rc;

	/*
	 * A batch's name is ours, not the input's: a file that cannot be
	 * created is the folder's fault, said once, not for each invoice.
	 */
	if (d->failed) {
		d->n_refused++;
		return kerr_set(e, KR_IO, NULL, "%s: takes no file", d->dir);
	}
	d->file = xreallocarray(d->file, d->nfile + 1, sizeof(*d->file));
	rc = outfile_open(&d->file[d->nfile], d->dir, name, e);
	if (rc == KR_IO)
		d->failed = 1;
	if (rc != KR_OK)
		return rc;
	*fp = d->file[d->nfile++].fp;
	return KR_OK;
}

static struct outfile *
dir_find(struct dir_sink *d, FILE *fp)
{
	size_t i;

	for (i = 0; i < d->nfile; i++)
		if (d->file[i].fp == fp)
			return &d->file[i];
	KBUG("a batch stream the directory sink did not open");
}

static int
dir_close(void *arg, FILE *fp, const char *name, struct kerr *e)
{
	(void)name;
	return outfile_commit(dir_find(arg, fp), e);
}

static void
dir_discard(void *arg, FILE *fp, const char *name)
{
	(void)name;
	outfile_abort(dir_find(arg, fp));
}

/* Names a temp file of an older kontor, removed (tmpname_old_fn). */
static void
old_temp_removed(void *arg, const char *path)
{
	warnx_(arg, path, 0, "removed, a temp file an older kontor left over "
	    "a day ago");
}

/*
 * Before writing into dir: signals remove the temp files of batches not
 * yet whole, and those that killed runs and older kontors left are
 * removed now.
 */
static void
dir_sweep(struct stage *st, const char *dir)
{
	long n;

	tmpname_trap_signals();
	if (tmpname_sweep(dir, &n, old_temp_removed, st) == KR_OK && n > 0 &&
	    st->o->verbose)
		say(dir, 0, "", "removed %ld temp files that killed runs "
		    "left", n);
}

static int
stdout_open(void *arg, const char *name, FILE **fp, struct kerr *e)
{
	struct stdout_sink *s = arg;
	const char *dir;

	if (s->tmp != NULL)
		return kerr_set(e, KR_BAD_INPUT, NULL, "-o - writes one "
		    "batch, %s, and this one belongs into %s; use -o DIR for "
		    "more than one month", s->name, name);
	s->tmp = fs_tmpfile(&dir);
	if (s->tmp == NULL)
		return kerr_set(e, KR_IO, NULL, "cannot create a temporary "
		    "file in %s: %s", dir, strerror(errno));
	snprintf(s->name, sizeof(s->name), "%s", name);
	*fp = s->tmp;
	return KR_OK;
}

static int
stdout_close(void *arg, FILE *fp, const char *name, struct kerr *e)
{
	char chunk[8192];
	size_t n;
	int rc = KR_OK;

	(void)arg;
	(void)name;
	if (fflush(fp) != 0 || fseek(fp, 0, SEEK_SET) != 0)
		rc = KR_IO;
	while (rc == KR_OK && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (fwrite(chunk, 1, n, stdout) != n)
			rc = KR_IO;
	if (ferror(fp) || fflush(stdout) != 0)
		rc = KR_IO;
	fclose(fp);
	if (rc != KR_OK)
		return kerr_set(e, KR_IO, NULL, "writing to stdout: %s",
		    strerror(errno));
	return KR_OK;
}

static void
stdout_discard(void *arg, FILE *fp, const char *name)
{
	(void)arg;
	(void)name;
	fclose(fp);
}

/* Setting up */

static int
load_config(struct stage *st)
{
	char path[4096];
	struct kerr e;
	int rc;

	kerr_clear(&e);
	if (st->o->config != NULL)
		snprintf(path, sizeof(path), "%s", st->o->config);
	else
		snprintf(path, sizeof(path), "%s/" CONFIG_FILE,
		    st->o->tenant != NULL ? st->o->tenant : ".");
	rc = config_load(&st->cfg, path, &e);
	if (rc == KR_OK)
		rc = ktime_set_zone(st->cfg.timezone, &e);
	if (rc != KR_OK) {
		if (e.file[0] == '\0')
			kerr_where(&e, path, 0);
		kerr_print(&e, PROG);
	}
	return rc;
}

/* The writer starts with the first invoice, once the run is known. */
static int
writer_start(struct stage *st)
{
	struct kerr e;
	int rc;

	if (st->writer_open)
		return KR_OK;
	kerr_clear(&e);
	if (!st->have_run) {
		rc = run_start(&st->run, "", st->cfg.timezone, &e);
		if (rc != KR_OK) {
			kerr_print(&e, PROG);
			return rc;
		}
		st->have_run = 1;
	}
	rc = datev_writer_init(&st->w, &st->cfg, st->sink, st->run.time, &e);
	if (rc != KR_OK) {
		kerr_where(&e, st->cfg.path, 0);
		kerr_print(&e, PROG);
		return rc;
	}
	st->writer_open = 1;
	return KR_OK;
}

/* Handling records */

static void
reject(struct stage *st, struct kerr *e, const struct rec *r)
{
	kerr_where(e, "-", r->line);
	kerr_print(e, PROG);
	if (e->code == KR_IO)
		st->io_error = 1;
	st->n_rejected++;
}

static void
take_run(struct stage *st, const struct rec *r)
{
	struct kerr e;

	kerr_clear(&e);
	/* The same run again changes nothing; another is refused. */
	if (st->have_run) {
		if (run_check_same(&st->run, r->root, &e) != KR_OK)
			reject(st, &e, r);
		return;
	}
	if (rec_check_version(r, REC_MAJOR, &e) != KR_OK ||
	    run_read(&st->run, r->root, &e) != KR_OK) {
		reject(st, &e, r);
		return;
	}
	st->have_run = 1;
}

static void
note_invoice(struct stage *st, const struct rec *r,
    const struct invoice *inv, const struct datev_note *n)
{
	if (n->doc_no_mapped && !st->o->quiet)
		say("-", r->line, "number", "Belegfeld 1 \"%s\" written as "
		    "\"%s\" (DATEV takes A-Z a-z 0-9 $ %% - / only)",
		    inv->number, n->doc_no);
	if (st->o->verbose)
		say("-", r->line, "", "invoice \"%s\": %ld bookings into %s, "
		    "%ld characters transliterated", inv->number, n->n_rows,
		    n->file ? n->file : "no file",
		    n->n_translit + n->n_control);
}

/*
 * KR_OK when no invoice of this run has gone under the Belegfeld 1 of
 * inv yet.  A stream may hold a number twice (two exports put together)
 * or two numbers that DATEV shows alike ("RE.1", "RE_1"), and DATEV
 * would book the second as well and match open items on either; a
 * delivery books the stored invoices, one per number, and needs none
 * of this.  A number too long for Belegfeld 1 is left to the writer.
 */
static int
first_booking(struct stage *st, const struct invoice *inv, struct kerr *e)
{
	char doc_no[DATEV_DOCNO_MAX + 1];
	int added;

	if (datev_docno_map(inv->number, DATEV_DOCNO_MAX, doc_no,
	    sizeof(doc_no)) != KR_OK)
		return KR_OK;
	if (nameset_add(&st->booked, doc_no, &added, e) != KR_OK)
		return e->code;
	if (!added)
		return kerr_set(e, KR_BAD_INPUT, "number", "invoice "
		    "\"%.64s\": Belegfeld 1 \"%s\" is booked in this run "
		    "already: the stream holds this number twice, or "
		    "numbers that differ only in characters DATEV does not "
		    "take", inv->number, doc_no);
	return KR_OK;
}

/* Puts the invoice's number in front of a message about it. */
static void
name_invoice(struct kerr *e, const struct invoice *inv)
{
	char msg[KERR_MSG_MAX], field[KERR_FIELD_MAX];

	snprintf(msg, sizeof(msg), "%s", e->msg);
	snprintf(field, sizeof(field), "%s", e->field);
	kerr_set(e, e->code, field, "invoice \"%.64s\": %s", inv->number,
	    msg);
}

static void
take_invoice(struct stage *st, const struct rec *r, struct invoice *inv)
{
	struct datev_note note;
	struct kerr e;
	long refused;

	kerr_clear(&e);
	st->n_invoices++;
	if (rec_check_version(r, REC_MAJOR, &e) != KR_OK ||
	    invoice_read(inv, r->root, &e) != KR_OK) {
		reject(st, &e, r);
		return;
	}
	if (invoice_check_sums(inv, &e) != KR_OK) {
		name_invoice(&e, inv);
		reject(st, &e, r);
		return;
	}
	/* Delivering books the stored invoices afterwards (channel.h). */
	if (st->delivering) {
		if (channel_check_stored(st->db, inv, r->root, r->raw,
		    r->raw_len, &e) != KR_OK)
			reject(st, &e, r);
		return;
	}
	if (first_booking(st, inv, &e) != KR_OK) {
		reject(st, &e, r);
		return;
	}
	if (inv->provisional)
		warnx_(st, "-", r->line, "warning: invoice \"%s\" is "
		    "provisional (a preview): booked for review, not for "
		    "import", inv->number);
	refused = st->dir != NULL ? st->dir->n_refused : 0;
	if (datev_writer_add_invoice(&st->w, inv, &note, &e) != KR_OK) {
		if (st->dir != NULL && st->dir->n_refused > refused) {
			st->n_unbooked++;
			st->n_rejected++;
			st->io_error = 1;
			return;
		}
		reject(st, &e, r);
		return;
	}
	if (!inv->provisional)
		st->n_numbered++;
	note_invoice(st, r, inv, &note);
}

/*
 * 1 when delivering and r is a copy of an invoice the tenant stored:
 * it passes take_invoice's checks unread (channel_stored_copy).  A
 * failed look-up says 0, and take_invoice's own look-up reports it.
 * The look-ups share a read transaction until the next read of the
 * pipe (channel_end_lookups).
 */
static int
stored_copy(struct stage *st, const struct rec *r)
{
	return st->delivering && channel_stored_copy(st->db, r->raw,
	    r->raw_len);
}

/*
 * Reads the record stream and books every invoice into the writer.
 * Other records are not passed on: this stage's output is files.
 * Returns KR_OK, or the code that stopped the stream (KR_IO, KR_CONFIG).
 */
static int
stage_read(struct stage *st, FILE *in)
{
	struct rec_in ri;
	struct invoice inv;
	struct kerr e;
	struct rec r;
	int rc;

	rec_in_init(&ri, in, "-");
	if (st->delivering)
		rec_in_on_read(&ri, channel_end_lookups, st->db);
	invoice_init(&inv);
	for (;;) {
		kerr_clear(&e);
		rc = rec_read(&ri, &r, &e);
		if (rc == KR_NOT_FOUND || rc == KR_IO)
			break;
		if (rc == KR_OK && stored_copy(st, &r)) {
			st->n_invoices++;
			continue;
		}
		if (rc == KR_OK)
			rc = rec_parse(&ri, &r, &e);
		if (rc != KR_OK)
			reject(st, &e, &r);
		else if (strcmp(r.type, "run") == 0)
			take_run(st, &r);
		else if (strcmp(r.type, "invoice") == 0 &&
		    (st->delivering || (rc = writer_start(st)) == KR_OK))
			take_invoice(st, &r, &inv);
		if (rc == KR_CONFIG)
			break;
	}
	if (rc == KR_IO)
		kerr_print(&e, PROG);
	/* The delivery reads from a snapshot taken under the lock. */
	if (st->delivering)
		channel_end_lookups(st->db);
	invoice_release(&inv);
	rec_in_release(&ri);
	return rc == KR_NOT_FOUND ? KR_OK : rc;
}

/* Finishes every batch and tells what was written. */
static int
stage_finish(struct stage *st)
{
	struct kerr e;
	size_t i;
	int rc;

	if (!st->writer_open)
		return KR_OK;
	kerr_clear(&e);
	rc = datev_writer_finish(&st->w, &e);
	if (rc != KR_OK)
		kerr_print(&e, PROG);
	for (i = 0; i < st->w.nbatch; i++) {
		const struct datev_batch *b = &st->w.batch[i];
		char path[PATH_MAX];

		if (!b->done || strcmp(st->o->out, "-") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", st->o->out, b->name);
		warnx_(st, path, 0, "wrote %ld bookings", b->n_rows);
	}
	return rc;
}

/*
 * Bookings of numbered invoices written anywhere but into the tenant's
 * out/ are no delivery: the ledger does not know them, so the next
 * delivery books the same invoices again (or already did).  People use
 * this to look at bookings; it must not end up imported twice.
 */
static void
warn_not_delivered(const struct stage *st)
{
	size_t i, done = 0;
	int stdout_batch;

	for (i = 0; st->writer_open && i < st->w.nbatch; i++)
		done += st->w.batch[i].done;
	if (st->n_numbered == 0 || done == 0)
		return;
	stdout_batch = strcmp(st->o->out, "-") == 0;
	warnx_(st, stdout_batch ? NULL : st->o->out, 0, "warning: not a "
	    "delivery: %ld numbered %s booked here %s delivered into the "
	    "tenant's out/ as well, by the next delivery or an earlier "
	    "one; do not import %s, or DATEV holds %s bookings twice",
	    st->n_numbered, st->n_numbered == 1 ? "invoice" : "invoices",
	    st->n_numbered == 1 ? "is" : "are", stdout_batch ?
	    "the batch on standard output" : "these files",
	    st->n_numbered == 1 ? "its" : "their");
}

/* What the stage did. */
static void
stage_summary(const struct stage *st)
{
	datev_say_summary(st->o->quiet, st->n_invoices, NULL, st->n_rejected,
	    st->writer_open ? &st->w : NULL);
}

/*
 * The booking run: records from stdin into batches through sink.  The
 * tenant delivery mode (files into the tenant's out/ under the
 * journal of deliver.h) calls this with a sink over deliver_open_file
 * and deliver_close_file, and commits the delivery afterwards.
 */
static int
stage_run(struct stage *st, const struct datev_sink *sink)
{
	int rc, rc2;

	st->sink = sink;
	nameset_init(&st->booked);
	rc = stage_read(st, stdin);
	rc2 = stage_finish(st);
	if (st->n_unbooked > 0)
		say(st->o->out, 0, "", "%ld more invoices not booked: the "
		    "folder took no batch file, the first refused above",
		    st->n_unbooked);
	warn_not_delivered(st);
	stage_summary(st);
	if (st->writer_open)
		datev_writer_release(&st->w);
	nameset_release(&st->booked);
	if (rc != KR_OK)
		return kerr_exit_status(rc);
	if (rc2 != KR_OK || st->io_error)
		return EX_KIOERR;
	return st->n_rejected > 0 ? EX_REJECTED : EX_KOK;
}

/* Checking files */

struct check_ctx {
	const char *file;
	int quiet;
};

static void
check_report(void *arg, const struct datev_finding *f)
{
	const struct check_ctx *c = arg;
	char field[KERR_FIELD_MAX] = "";

	if (f->severity == DATEV_CHECK_WARNING && c->quiet)
		return;
	if (f->column > 0)
		snprintf(field, sizeof(field), "%s %d (%s)", f->header ?
		    "field" : "column", f->column, f->name ? f->name : "?");
	say(c->file, f->line, field, "%s%s", f->severity ==
	    DATEV_CHECK_WARNING ? "warning: " : "", f->msg);
}

/* One line per file: what was checked and what was found. */
static void
check_summary(const char *file, const struct datev_check_stats *st)
{
	char errors[64], warnings[64] = "";

	if (st->n_errors == 0)
		snprintf(errors, sizeof(errors), "no errors");
	else
		snprintf(errors, sizeof(errors), "%ld %s", st->n_errors,
		    msg_plural(st->n_errors, "error", "errors"));
	if (st->n_warnings > 0)
		snprintf(warnings, sizeof(warnings), ", %ld %s",
		    st->n_warnings, msg_plural(st->n_warnings, "warning",
		    "warnings"));
	say(file, 0, "", "%ld %s, %s%s", st->n_rows, msg_plural(st->n_rows,
	    "booking", "bookings"), errors, warnings);
}

/* Opens file for checking; NULL after saying why not. */
static FILE *
check_open(const char *file)
{
	struct stat sb;
	FILE *fp;

	if (strcmp(file, "-") == 0)
		return stdin;
	fp = fopen(file, "rb");
	if (fp == NULL) {
		say(file, 0, "", "cannot open it: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		say(file, 0, "", "is a directory, not a DATEV file");
		fclose(fp);
		return NULL;
	}
	return fp;
}

static int
check_one(const char *file, const struct opts *o)
{
	struct check_ctx c = { file, o->quiet };
	struct datev_check_stats stats;
	struct kerr e;
	FILE *fp;
	int rc;

	kerr_clear(&e);
	fp = check_open(file);
	if (fp == NULL)
		return EX_KIOERR;
	rc = datev_check_stream(fp, check_report, &c, &stats, &e);
	if (fp != stdin)
		fclose(fp);
	if (rc != KR_OK) {
		kerr_where(&e, file, 0);
		kerr_print(&e, PROG);
		return EX_KIOERR;
	}
	if (!o->quiet)
		check_summary(file, &stats);
	return stats.n_errors > 0 ? EX_REJECTED : EX_KOK;
}

static int
check_files(int argc, char **argv, const struct opts *o)
{
	int status = EX_KOK, i;

	for (i = optind; i < argc; i++) {
		int s = check_one(argv[i], o);

		if (s > status)
			status = s;
	}
	return status;
}

/* Delivering into the tenant's out/ (datevdeliver.h) */

/* Says why the delivery waits, unless quiet. */
static void
dv_busy(void *arg, const struct kerr *e)
{
	const struct stage *st = arg;

	if (!st->o->quiet)
		say("", 0, "", "%s; waiting for it", e->msg);
}

/*
 * Reads the stream (checking its invoices), then delivers every stored
 * invoice that the DATEV channel has not had yet.
 */
static int
deliver_run(struct stage *st)
{
	struct datev_delivery dd;
	struct kerr e;
	int rc;

	rc = stage_read(st, stdin);
	if (rc != KR_OK)
		return kerr_exit_status(rc);
	kerr_clear(&e);
	rc = deliver_lock(&st->t, st->db, dv_busy, st, &e);
	if (rc != KR_OK) {
		kerr_print(&e, PROG);
		return kerr_exit_status(rc);
	}
	if (!st->have_run && run_start(&st->run, st->t.name,
	    st->cfg.timezone, &e) == KR_OK && state_fresh_run_id(st->db,
	    st->run.id, sizeof(st->run.id), &e) == KR_OK)
		st->have_run = 1;
	memset(&dd, 0, sizeof(dd));
	dd.cfg = &st->cfg;
	dd.t = &st->t;
	dd.db = st->db;
	dd.run_id = st->run.id;
	dd.run_time_utc = st->run.time_utc;
	dd.run_time = st->run.time;
	dd.out = st->o->out;
	dd.quiet = st->o->quiet;
	dd.n_read = st->n_invoices;
	dd.n_rejected = st->n_rejected;
	(void)datev_delivery_open(&dd);
	return datev_delivery_close(&dd, st->o->argc, st->o->argv);
}

/*
 * Opens the database for a delivery.  The lock comes after the input
 * (deliver_lock).
 */
static int
open_delivery(struct stage *st)
{
	struct kerr e;

	kerr_clear(&e);
	if (state_open(&st->db, st->t.dir, &e) != KR_OK) {
		kerr_print(&e, PROG);
		return kerr_exit_status(e.code);
	}
	st->delivering = 1;
	return EX_KOK;
}

/*
 * With --tenant the configuration is the tenant's.  Only a delivery
 * makes the tenant's folders (its out/, which an earlier stage of the
 * same pipe may not have made yet), so that batches written elsewhere
 * change nothing in the tenant.
 */
static int
open_tenant(struct stage *st, int deliver)
{
	struct kerr e;

	kerr_clear(&e);
	if ((deliver ? tenant_open(&st->t, st->o->tenant, &e) :
	    tenant_open_preview(&st->t, st->o->tenant, &e)) != KR_OK) {
		kerr_print(&e, PROG);
		return kerr_exit_status(e.code);
	}
	st->cfg = st->t.cfg;
	return EX_KOK;
}

static int
is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

int
main(int argc, char **argv)
{
	char owner[PATH_MAX];
	struct dir_sink dir = { NULL, NULL, 0 };
	struct stdout_sink out = { "", NULL };
	struct datev_sink sink;
	struct stage st;
	struct opts o;
	int status, deliver;

	parse_opts(argc, argv, &o);
	if (o.check)
		return check_files(argc, argv, &o);

	memset(&st, 0, sizeof(st));
	st.o = &o;
	st.t.lock_fd = -1;
	if (o.tenant != NULL) {
		deliver = strcmp(o.out, "-") != 0 &&
		    tenant_is_out(o.tenant, o.out);
		status = open_tenant(&st, deliver);
		if (status != EX_KOK)
			return status;
		if (deliver) {
			status = open_delivery(&st);
			if (status == EX_KOK)
				status = deliver_run(&st);
			state_close(st.db);
			tenant_close(&st.t);
			return status;
		}
	} else if (load_config(&st) != KR_OK) {
		return EX_KCONFIG;
	}
	if (strcmp(o.out, "-") != 0 && !is_dir(o.out)) {
		say(o.out, 0, "", "not a directory to write batches into");
		status = EX_KIOERR;
		goto out;
	}
	if (strcmp(o.out, "-") != 0 && tenant_owns_out(o.out, owner)) {
		say(o.out, 0, "", "the out/ folder of the tenant %s takes "
		    "deliveries only: deliver with --tenant %s, or write "
		    "these batches into another folder", owner, owner);
		status = EX_KUSAGE;
		goto out;
	}
	dir.dir = o.out;
	if (strcmp(o.out, "-") != 0)
		dir_sweep(&st, o.out);
	if (strcmp(o.out, "-") == 0)
		sink = (struct datev_sink){ &out, stdout_open, stdout_close,
		    stdout_discard };
	else {
		sink = (struct datev_sink){ &dir, dir_open, dir_close,
		    dir_discard };
		st.dir = &dir;
	}
	status = stage_run(&st, &sink);
out:
	free(dir.file);
	if (o.tenant != NULL)
		tenant_close(&st.t);
	else
		config_release(&st.cfg);
	return status;
}

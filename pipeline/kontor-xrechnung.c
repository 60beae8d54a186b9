/*
 * kontor-xrechnung: writes invoice records as EN 16931 e-invoices
 * (XRechnung, EN 16931, ZUGFeRD/Factur-X profiles) in UBL 2.1 or CII
 * D16B, one XML file per invoice, each checked before it goes out; or
 * delivers the tenant's stored invoices on the e-invoice channel; or
 * checks e-invoice files.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "channel.h"
#include "cii.h"
#include "einvoice.h"
#include "einvoice_check.h"
#include "err.h"
#include "invoice.h"
#include "msg.h"
#include "nameset.h"
#include "outdir.h"
#include "record.h"
#include "run.h"
#include "state.h"
#include "tenant.h"
#include "tmpname.h"
#include "ubl.h"

#ifndef KONTOR_VERSION
#define KONTOR_VERSION	"0"
#endif

#define PROG		"kontor-xrechnung"
#define CHANNEL		"einvoice"
#define DOC_MAX		((size_t)64 << 20)	/* one document */

static const char synopsis[] =
    "usage: kontor-xrechnung [-qv] [-p profile] [-s ubl | cii] [-t dir]\n"
    "           [--no-check] [--schemas dir] -o dir | -o -\n"
    "       kontor-xrechnung [-qv] [-p profile] [--schemas dir] --check "
    "file ...\n";

struct opts {
	int argc;		/* the command line, for the audit log */
	char **argv;
	const char *tenant;	/* -t */
	const char *out;	/* -o: a directory, or "-" */
	enum einv_syntax syntax;
	enum einv_profile profile;
	int profile_set;
	int check;		/* --check FILE... */
	int no_check;
};

struct stage {
	const struct opts *o;
	struct tenant t;
	struct state *db;	/* delivery mode only */
	int delivering;		/* -o is the tenant's own out/ */
	struct run run;
	int have_run;
	struct buf doc;		/* the document being made */
	struct xmlw_tree tree;	/* its tree, in memory reused for the next */
	struct nameset names;	/* file names written in this run */
	struct outdir od;	/* -o DIR, not delivering */
	int to_dir;		/* od is in use */
	long n_unwritten;	/* documents the folder refused */
	const char *stdout_number;	/* -o -: the invoice written */
	long n_invoices;	/* invoice records read */
	long n_written;		/* documents written or delivered */
	long n_rejected;
	int io_error;
	int stop;		/* a KR_* code that ends the stream */
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
	    "  -o, --output DIR    write one FILE.xml per invoice into DIR;\n"
	    "                      - writes one invoice's document to "
	    "stdout\n"
	    "  -p, --profile P     xrechnung (default), en16931, "
	    "zugferd-en16931,\n"
	    "                      zugferd-basic, zugferd-extended\n"
	    "  -s, --syntax S      ubl (default) or cii (ZUGFeRD: cii)\n"
	    "  -t, --tenant DIR    the tenant; -o DIR/out delivers its "
	    "stored\n"
	    "                      invoices on the e-invoice channel\n"
	    "      --no-check      skip the checks (previews outside out/ "
	    "only)\n"
	    "      --schemas DIR   check against the XSDs in DIR\n"
	    "      --check         check e-invoice files instead of "
	    "writing\n"
	    "  -q, --quiet         no warnings, no summary\n"
	    "  -v, --verbose       a note for every invoice\n"
	    "  -h, --help          this text\n"
	    "  -V, --version       the version\n", stdout);
	exit(EX_KOK);
}

static void
set_profile(struct opts *o, const char *arg)
{
	if (einv_profile_parse(arg, &o->profile) != KR_OK) {
		msg_errorf("--profile: expected xrechnung, en16931, "
		    "zugferd-en16931, zugferd-basic or zugferd-extended, "
		    "got \"%s\"", arg);
		usage();
	}
	o->profile_set = 1;
}

static void
set_syntax(struct opts *o, const char *arg, int *syntax_set)
{
	if (einv_syntax_parse(arg, &o->syntax) != KR_OK) {
		msg_errorf("--syntax: expected ubl or cii, got \"%s\"", arg);
		usage();
	}
	*syntax_set = 1;
}

/* What the options say together; usage() when they contradict. */
static void
check_opts(struct opts *o, int syntax_set, int optind_, int argc)
{
	if (o->check) {
		if (optind_ == argc || o->out != NULL || o->tenant != NULL ||
		    syntax_set || o->no_check)
			usage();
		return;
	}
	if (o->out == NULL || optind_ != argc)
		usage();
	if (!syntax_set && !einv_profile_allows(o->profile, EINV_UBL))
		o->syntax = EINV_CII;
	if (!einv_profile_allows(o->profile, o->syntax)) {
		msg_errorf("profile %s is written in CII only: use "
		    "--syntax cii", einv_profile_name(o->profile));
		usage();
	}
}

static void
parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option longopts[] = {
		{"check", no_argument, NULL, 'K'},
		{"help", no_argument, NULL, 'h'},
		{"no-check", no_argument, NULL, 'N'},
		{"output", required_argument, NULL, 'o'},
		{"profile", required_argument, NULL, 'p'},
		{"quiet", no_argument, NULL, 'q'},
		{"schemas", required_argument, NULL, 'S'},
		{"syntax", required_argument, NULL, 's'},
		{"tenant", required_argument, NULL, 't'},
		{"verbose", no_argument, NULL, 'v'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	enum msg_level level = MSG_NORMAL;
	int ch, syntax_set = 0;

	memset(o, 0, sizeof(*o));
	o->argc = argc;
	o->argv = argv;
	o->syntax = EINV_UBL;
	o->profile = EINV_XRECHNUNG;
	msg_init(PROG, level);
	while ((ch = getopt_long(argc, argv, "ho:p:qs:t:vV", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			help();
			break;
		case 'K':
			o->check = 1;
			break;
		case 'N':
			o->no_check = 1;
			break;
		case 'o':
			o->out = optarg;
			break;
		case 'p':
			set_profile(o, optarg);
			break;
		case 'q':
			level = MSG_QUIET;
			break;
		case 's':
			set_syntax(o, optarg, &syntax_set);
			break;
		case 'S':
			/* The checker reads it (einvoice_check.h). */
			if (setenv("KONTOR_SCHEMAS", optarg, 1) != 0)
				usage();
			break;
		case 't':
			o->tenant = optarg;
			break;
		case 'v':
			level = MSG_VERBOSE;
			break;
		case 'V':
			printf(PROG " %s\n", KONTOR_VERSION);
			exit(EX_KOK);
		default:
			usage();
		}
	}
	msg_init(PROG, level);
	check_opts(o, syntax_set, optind, argc);
}

/* Making one document */

struct report {
	const char *where;	/* "-:12: ", "FILE: " or "" */
	const char *number;	/* the invoice, or NULL */
	int quiet;
};

static void
report_finding(void *arg, const struct einvoice_finding *f)
{
	const struct report *r = arg;

	if (!f->fatal && r->quiet)
		return;
	/* msg_errorf escapes what came from the document. */
	msg_errorf("%s%s%s%s%s%s: %s%s%s%s", r->where,
	    r->number != NULL ? "invoice " : "",
	    r->number != NULL ? r->number : "",
	    r->number != NULL ? ": " : "", f->fatal ? "" : "warning: ",
	    f->rule != NULL ? f->rule : "?", f->msg != NULL ? f->msg : "",
	    f->where != NULL && f->where[0] != '\0' ? " (" : "",
	    f->where != NULL ? f->where : "",
	    f->where != NULL && f->where[0] != '\0' ? ")" : "");
}

/* "prog: -:12: invoice RE-1: field: message" */
static void
report_kerr(const char *where, const char *number, const struct kerr *e)
{
	if (e->field[0] != '\0')
		msg_errorf("%sinvoice %s: %s: %s", where, number, e->field,
		    e->msg);
	else
		msg_errorf("%sinvoice %s: %s", where, number, e->msg);
}

/*
 * Writes inv into st->doc in the chosen syntax and profile, and its
 * tree into st->tree.
 */
static int
doc_write(struct stage *st, const struct invoice *inv, struct kerr *e)
{
	buf_reset(&st->doc);
	if (st->o->syntax == EINV_UBL)
		return ubl_write(inv, st->o->profile, &st->doc, &st->tree, e);
	return cii_write(inv, st->o->profile, &st->doc, &st->tree, e);
}

/*
 * Makes inv's document in st->doc and checks it (unless --no-check):
 * what the record must hold, kontor's VAT self-check, then the check of
 * the document.  Prints every problem itself.  KR_OK when the document
 * may go out; KR_BAD_INPUT when the invoice is refused; KR_CONFIG or
 * KR_NOMEM when the check could not run.
 */
static int
doc_make(struct stage *st, const struct invoice *inv, const char *where)
{
	struct report r = { where, inv->number, msg_level() == MSG_QUIET };
	struct einvoice_check_stats cs;
	struct kerr e;
	int rc;

	kerr_clear(&e);
	rc = einvoice_ready(inv, st->o->profile, &e);
	if (rc == KR_OK && !st->o->no_check)
		rc = einvoice_check_vat(inv, &e);
	if (rc == KR_OK)
		rc = doc_write(st, inv, &e);
	if (rc != KR_OK) {
		report_kerr(where, inv->number, &e);
		return rc;
	}
	if (st->o->no_check)
		return KR_OK;
	rc = einvoice_check_tree(st->tree.doc, st->doc.len, st->o->syntax,
	    st->o->profile, report_finding, &r, &cs, &e);
	if (rc == KR_OK && getenv("KONTOR_SCHEMAS") != NULL &&
	    getenv("KONTOR_SCHEMAS")[0] != '\0') {
		struct einvoice_check_stats xs;

		rc = einvoice_check_xsd(st->doc.data, st->doc.len,
		    st->o->syntax, strcmp(inv->doc_type, "381") == 0 ?
		    EINV_DOC_CREDITNOTE : EINV_DOC_INVOICE,
		    getenv("KONTOR_SCHEMAS"), report_finding, &r, &xs, &e);
		cs.fatal += xs.fatal;
	}
	if (rc != KR_OK) {
		msg_error(&e);
		return rc;
	}
	return cs.fatal > 0 ? KR_BAD_INPUT : KR_OK;
}

/*
 * The invoice's file name, new in this run: two invoices of one run
 * never share a file, whether the stream holds a number twice or two
 * numbers that only differ in characters a file name cannot hold.
 * KR_OK, KR_BAD_INPUT, or KR_IO when the set of names cannot be kept.
 */
static int
doc_name(struct stage *st, const struct invoice *inv,
    char name[EINV_NAME_MAX], struct kerr *e)
{
	int added;

	if (einvoice_file_name(inv->number, name, e) != KR_OK)
		return KR_BAD_INPUT;
	if (nameset_add(&st->names, name, &added, e) != KR_OK)
		return e->code;
	/* Delivering reads the stored invoices, not the stream. */
	if (!added && st->delivering)
		return kerr_set(e, KR_BAD_INPUT, "number", "%s was written "
		    "for another document of this delivery already: their "
		    "numbers differ only in characters a file name cannot "
		    "hold (invoice.number_pattern, credit_pattern)", name);
	if (!added)
		return kerr_set(e, KR_BAD_INPUT, "number", "%s was written "
		    "for another invoice of this run already: the stream "
		    "holds this number twice, or numbers that differ only in "
		    "characters a file name cannot hold", name);
	return KR_OK;
}

/* Writing: a directory or stdout */

/* Names a document that a flush could not rename (outdir_lost_fn). */
static void
dir_lost(void *arg, const char *path, const char *label, int err)
{
	(void)arg;
	msg_errorf("%s: %s: not written: cannot rename its temp file to "
	    "this name: %s", label, path, strerror(err));
}

/*
 * Makes the documents written so far visible under their names; those
 * it cannot are refused after all, each named by dir_lost.
 */
static void
flush_dir(struct stage *st)
{
	long lost = st->od.n_lost;
	struct kerr e;

	kerr_clear(&e);
	if (outdir_flush(&st->od, &e) == KR_OK)
		return;
	msg_error(&e);
	st->io_error = 1;
	st->n_written -= st->od.n_lost - lost;
	st->n_rejected += st->od.n_lost - lost;
}

static int
write_stdout(struct stage *st, const struct invoice *inv, struct kerr *e)
{
	if (st->stdout_number != NULL)
		return kerr_set(e, KR_BAD_INPUT, NULL, "-o - writes one "
		    "invoice's document, and %s went out already; use -o DIR "
		    "for more than one", st->stdout_number);
	st->stdout_number = xstrdup(inv->number);
	if (fwrite(st->doc.data, 1, st->doc.len, stdout) != st->doc.len ||
	    fflush(stdout) != 0)
		return kerr_set(e, KR_IO, NULL, "writing to stdout: %s",
		    strerror(errno));
	return KR_OK;
}

/* Handling records */

static void
reject(struct stage *st, struct kerr *e, const struct rec *r)
{
	kerr_where(e, "-", r->line);
	msg_error(e);
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

/*
 * A sale the marketplace was the deemed supplier of has no e-invoice:
 * the marketplace invoices the consumer (tax.md §9).
 */
static int
no_einvoice(const struct invoice *inv, const char *where)
{
	if (inv->treatment == NULL ||
	    strcmp(inv->treatment, "deemed-supplier") != 0)
		return 0;
	msg_note("%sinvoice %s: no e-invoice: the marketplace invoices the "
	    "consumer as deemed supplier", where, inv->number);
	return 1;
}

/* Writes one invoice read from the stream (not delivering). */
static void
write_invoice(struct stage *st, const struct rec *r,
    const struct invoice *inv)
{
	char where[32], name[EINV_NAME_MAX], label[EINV_NAME_MAX + 64];
	struct kerr e;
	int rc;

	kerr_clear(&e);
	snprintf(where, sizeof(where), "-:%ld: ", r->line);
	snprintf(label, sizeof(label), "%sinvoice %s", where, inv->number);
	if (no_einvoice(inv, where))
		return;
	rc = doc_make(st, inv, where);
	/* The folder refused a file: one line said so, the rest count. */
	if (rc == KR_OK && st->n_unwritten > 0) {
		st->n_unwritten++;
		st->n_rejected++;
		return;
	}
	if (rc == KR_OK && strcmp(st->o->out, "-") == 0)
		rc = write_stdout(st, inv, &e);
	else if (rc == KR_OK && (rc = doc_name(st, inv, name, &e)) == KR_OK)
		rc = outdir_put(&st->od, name, label, st->doc.data,
		    st->doc.len, &e);
	if (rc == KR_OK) {
		st->n_written++;
		/* Said of what was written, not of what a folder refused. */
		if (inv->provisional)
			msg_warn("-:%ld: invoice %s is provisional (a "
			    "preview): written for review, never for sending",
			    r->line, inv->number);
		msg_note("-:%ld: invoice %s: %s", r->line, inv->number,
		    strcmp(st->o->out, "-") == 0 ? "written to stdout" : name);
		if (st->to_dir && outdir_full(&st->od))
			flush_dir(st);
		return;
	}
	if (e.code != KR_OK)
		report_kerr(where, inv->number, &e);
	if (rc == KR_IO)
		st->io_error = 1;
	/* Only the folder makes outdir_put fail with KR_IO (outdir.h). */
	if (rc == KR_IO && st->to_dir)
		st->n_unwritten++;
	if (rc == KR_CONFIG || rc == KR_NOMEM)
		st->stop = rc;	/* the check cannot run for any invoice */
	st->n_rejected++;
}

static void
take_invoice(struct stage *st, const struct rec *r, struct invoice *inv)
{
	char where[32];
	struct kerr e;

	kerr_clear(&e);
	st->n_invoices++;
	if (rec_check_version(r, REC_MAJOR, &e) != KR_OK ||
	    invoice_read(inv, r->root, &e) != KR_OK) {
		reject(st, &e, r);
		return;
	}
	if (invoice_check_sums(inv, &e) != KR_OK) {
		snprintf(where, sizeof(where), "-:%ld: ", r->line);
		report_kerr(where, inv->number, &e);
		st->n_rejected++;
		return;
	}
	/* Delivering writes the stored invoices afterwards (channel.h). */
	if (st->delivering) {
		if (channel_check_stored(st->db, inv, r->root, r->raw,
		    r->raw_len, &e) != KR_OK)
			reject(st, &e, r);
		return;
	}
	write_invoice(st, r, inv);
}

/*
 * 1 when delivering and r is a copy of an invoice the tenant stored:
 * it passes take_invoice's checks unread (channel_stored_copy), since
 * the delivery writes the stored invoice and not r.  A failed look-up
 * says 0, and take_invoice's own look-up reports it.  The look-ups
 * share a read transaction until the next read of the pipe
 * (channel_end_lookups).
 */
static int
stored_copy(struct stage *st, const struct rec *r)
{
	return st->delivering && channel_stored_copy(st->db, r->raw,
	    r->raw_len);
}

/*
 * Reads the record stream.  Other records are not passed on: this
 * stage's output is files.  Returns KR_OK or KR_IO.
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
		else if (strcmp(r.type, "invoice") == 0)
			take_invoice(st, &r, &inv);
		if (st->stop != KR_OK) {
			rc = st->stop;
			break;
		}
	}
	if (rc == KR_IO)
		msg_error(&e);
	/* The delivery reads from a snapshot taken under the lock. */
	if (st->delivering)
		channel_end_lookups(st->db);
	invoice_release(&inv);
	rec_in_release(&ri);
	return rc == KR_NOT_FOUND ? KR_OK : rc;
}

/* The schema folder, when one is named, must be a folder (78 if not). */
static int
check_schemas(void)
{
	const char *dir = getenv("KONTOR_SCHEMAS");
	struct stat sb;

	if (dir == NULL || dir[0] == '\0' || (stat(dir, &sb) == 0 &&
	    S_ISDIR(sb.st_mode)))
		return EX_KOK;
	msg_errorf("%s: not a folder of schemas (--schemas, KONTOR_SCHEMAS)",
	    dir);
	return EX_KCONFIG;
}

static void
stage_summary(const struct stage *st)
{
	msg_info("%ld %s read, %ld %s %s, %ld rejected", st->n_invoices,
	    msg_plural(st->n_invoices, "invoice", "invoices"), st->n_written,
	    msg_plural(st->n_written, "e-invoice", "e-invoices"),
	    st->delivering ? "delivered" : "written", st->n_rejected);
}

/* Names a temp file of an older kontor, removed (tmpname_old_fn). */
static void
old_temp_removed(void *arg, const char *path)
{
	(void)arg;
	msg_warn("%s: removed, a temp file an older kontor left over a day "
	    "ago", path);
}

static int
stage_run(struct stage *st)
{
	int rc;

	st->to_dir = strcmp(st->o->out, "-") != 0;
	if (st->to_dir) {
		tmpname_trap_signals();
		outdir_init(&st->od, st->o->out, old_temp_removed, NULL);
		st->od.on_lost = dir_lost;
		if (st->od.n_swept > 0)
			msg_note("%s: removed %ld temp files that killed runs "
			    "left", st->o->out, st->od.n_swept);
	}
	rc = stage_read(st, stdin);
	if (st->to_dir) {
		flush_dir(st);
		outdir_release(&st->od);
	}
	if (st->n_unwritten > 1)
		msg_errorf("%s: %ld e-invoices not written: the folder took "
		    "no file, the first refused above", st->o->out,
		    st->n_unwritten);
	stage_summary(st);
	if (rc != KR_OK)
		return kerr_exit_status(rc);
	if (st->io_error)
		return EX_KIOERR;
	return st->n_rejected > 0 ? EX_REJECTED : EX_KOK;
}

/* Delivering into the tenant's out/ (deliver.h, channel.h) */

static int
dv_book(void *arg, struct delivery *d, const struct invoice *inv,
    struct kerr *e)
{
	struct stage *st = arg;
	char name[EINV_NAME_MAX];
	int rc;

	if (inv->provisional)
		return kerr_set(e, KR_BAD_INPUT, "provisional", "a "
		    "provisional invoice is never delivered");
	if (no_einvoice(inv, ""))
		return KR_NOT_FOUND;
	rc = doc_make(st, inv, "");
	if (rc == KR_BAD_INPUT)
		return kerr_set(e, KR_BAD_INPUT, NULL, "%s", "");
	if (rc != KR_OK)
		return kerr_set(e, KR_IO, NULL, "the check could not run");
	if (deliver_full(d))
		KBUG("dv_book: delivery %s is full", d->id);
	rc = doc_name(st, inv, name, e);
	if (rc != KR_OK)
		return rc;
	rc = deliver_put_file(d, name, st->doc.data, st->doc.len, e);
	if (rc == KR_OK) {
		st->n_written++;
		msg_note("%s: %s", inv->number, name);
	}
	return rc;
}

static int
dv_finish(void *arg, struct delivery *d, struct kerr *e)
{
	(void)arg;
	(void)d;
	(void)e;
	return KR_OK;
}

static void
dv_refused(void *arg, const char *number, const struct kerr *e)
{
	struct stage *st = arg;

	if (e->msg[0] != '\0')		/* doc_make told already */
		report_kerr("", number, e);
	msg_errorf("invoice %s stays undelivered on the e-invoice channel "
	    "until it passes its checks", number);
	st->n_rejected++;
}

/* Returns status, or EX_KIOERR when the row cannot be written. */
static int
dv_audit(struct stage *st, const struct channel_stats *cs, int status)
{
	struct buf counts;
	struct kerr e;

	buf_init(&counts, 0);
	buf_printf(&counts, "invoices=%ld offered=%ld delivered=%ld "
	    "rejected=%ld syntax=%s profile=%s delivery=%s none_due=%ld",
	    st->n_invoices, cs->offered, cs->delivered, st->n_rejected,
	    einv_syntax_name(st->o->syntax), einv_profile_name(st->o->profile),
	    cs->delivery[0] ? cs->delivery : "-", cs->skipped);
	kerr_clear(&e);
	if (state_audit_command(st->db, st->run.id, st->run.time_utc,
	    st->o->argc, st->o->argv, counts.data, cs->files ? cs->files : "",
	    status, &e) != KR_OK) {
		msg_error(&e);
		status = kerr_worse_status(status, EX_KIOERR);
	}
	buf_release(&counts);
	return status;
}

/* What the deliveries of this run hold. */
static void
report_delivery(const struct stage *st, const struct channel_stats *cs)
{
	char more[64] = "", none[96] = "";

	if (cs->committed > 1)
		snprintf(more, sizeof(more), " and %d more deliveries",
		    cs->committed - 1);
	if (cs->skipped > 0)
		snprintf(none, sizeof(none), "; %ld sales to marketplaces as "
		    "deemed supplier need none", cs->skipped);
	msg_info("delivered %ld e-invoices into %s/%s%s%s",
	    cs->delivered - cs->skipped, st->o->out, cs->delivery, more,
	    none);
}

/* Says why the delivery waits. */
static void
dv_busy(void *arg, const struct kerr *e)
{
	(void)arg;
	msg_info("%s; waiting for it", e->msg);
}

/*
 * Reads the stream (checking its invoices), then, under the tenant lock,
 * delivers every stored invoice that the e-invoice channel has not had
 * yet.
 */
static int
deliver_run(struct stage *st)
{
	const struct channel_ops ops = { dv_book, dv_finish, dv_refused };
	struct channel_stats cs;
	struct kerr e;
	int rc, status;

	rc = stage_read(st, stdin);
	if (rc != KR_OK)
		return kerr_exit_status(rc);
	kerr_clear(&e);
	rc = deliver_lock(&st->t, st->db, dv_busy, NULL, &e);
	if (rc != KR_OK) {
		msg_error(&e);
		return kerr_exit_status(rc);
	}
	kerr_clear(&e);
	if (!st->have_run && run_start(&st->run, st->t.name,
	    st->t.cfg.timezone, &e) == KR_OK && state_fresh_run_id(st->db,
	    st->run.id, sizeof(st->run.id), &e) == KR_OK)
		st->have_run = 1;
	kerr_clear(&e);
	rc = channel_deliver(&st->t, st->db, st->run.id, CHANNEL, &ops, st,
	    &cs, &e);
	if (rc != KR_OK)
		msg_error(&e);
	else if (cs.committed > 0)
		report_delivery(st, &cs);
	else
		msg_info("nothing new to deliver");
	stage_summary(st);
	status = rc != KR_OK ? kerr_exit_status(rc) == EX_REJECTED ?
	    EX_KIOERR : kerr_exit_status(rc) : st->n_rejected > 0 ?
	    EX_REJECTED : EX_KOK;
	status = dv_audit(st, &cs, status);
	free(cs.files);
	return status;
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
		msg_error(&e);
		return kerr_exit_status(e.code);
	}
	st->delivering = 1;
	return EX_KOK;
}

/* Checking files */


static int
check_file(const char *file, const struct opts *o)
{
	struct report r = { NULL, NULL, msg_level() == MSG_QUIET };
	struct einvoice_check_opts co;
	struct einvoice_check_stats cs;
	char where[PATH_MAX + 4];
	struct kerr e;
	int rc;

	kerr_clear(&e);
	memset(&co, 0, sizeof(co));
	co.schemas_dir = getenv("KONTOR_SCHEMAS");
	if (co.schemas_dir != NULL && co.schemas_dir[0] == '\0')
		co.schemas_dir = NULL;
	co.force_profile = o->profile_set;
	co.profile = o->profile;
	snprintf(where, sizeof(where), "%s: ", file);
	r.where = where;
	rc = einvoice_check_file(file, &co, report_finding, &r, &cs, &e);
	if (rc != KR_OK) {
		kerr_where(&e, file, 0);
		msg_error(&e);
		return rc == KR_BAD_INPUT || rc == KR_TOO_BIG ? EX_REJECTED :
		    kerr_exit_status(rc);
	}
	msg_info("%s: %ld errors, %ld warnings", file, cs.fatal,
	    cs.warnings);
	return cs.fatal > 0 ? EX_REJECTED : EX_KOK;
}

static int
check_files(int argc, char **argv, const struct opts *o)
{
	int status = EX_KOK, i;

	for (i = optind; i < argc; i++) {
		int s = check_file(argv[i], o);

		if (s > status)
			status = s;
	}
	return status;
}

static int
is_dir(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Opens the tenant, and decides whether this run delivers. */
static int
open_tenant(struct stage *st)
{
	const struct opts *o = st->o;
	struct kerr e;
	int deliver;

	/* Only a delivery makes the tenant's folders. */
	deliver = strcmp(o->out, "-") != 0 && tenant_is_out(o->tenant,
	    o->out);
	kerr_clear(&e);
	if ((deliver ? tenant_open(&st->t, o->tenant, &e) :
	    tenant_open_preview(&st->t, o->tenant, &e)) != KR_OK) {
		msg_error(&e);
		return kerr_exit_status(e.code);
	}
	if (!deliver)
		return EX_KOK;
	if (o->no_check) {
		msg_errorf("--no-check is for previews: a delivery into %s "
		    "is always checked", o->out);
		return EX_KUSAGE;
	}
	return open_delivery(st);
}

int
main(int argc, char **argv)
{
	char owner[PATH_MAX];
	struct stage st;
	struct opts o;
	int status;

	parse_opts(argc, argv, &o);
	if ((status = check_schemas()) != EX_KOK)
		return status;
	if (o.check)
		return check_files(argc, argv, &o);

	memset(&st, 0, sizeof(st));
	st.o = &o;
	st.t.lock_fd = -1;
	buf_init(&st.doc, DOC_MAX);
	xmlw_tree_init(&st.tree);
	nameset_init(&st.names);
	status = EX_KOK;
	if (o.tenant != NULL)
		status = open_tenant(&st);
	if (status == EX_KOK && st.delivering) {
		status = deliver_run(&st);
	} else if (status == EX_KOK && strcmp(o.out, "-") != 0 &&
	    !is_dir(o.out)) {
		msg_errorf("%s: not a directory to write e-invoices into",
		    o.out);
		status = EX_KIOERR;
	} else if (status == EX_KOK && strcmp(o.out, "-") != 0 &&
	    tenant_owns_out(o.out, owner)) {
		msg_errorf("%s: the out/ folder of the tenant %s takes "
		    "deliveries only: deliver with --tenant %s, or write "
		    "these e-invoices into another folder", o.out, owner,
		    owner);
		status = EX_KUSAGE;
	} else if (status == EX_KOK) {
		status = stage_run(&st);
	}
	status = msg_close_stdout(status);

	state_close(st.db);
	if (o.tenant != NULL)
		tenant_close(&st.t);
	nameset_release(&st.names);
	free((char *)st.stdout_number);
	buf_release(&st.doc);
	xmlw_tree_release(&st.tree);
	return status;
}

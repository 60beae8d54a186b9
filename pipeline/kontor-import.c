/*
 * kontor-import: reads shop platform payloads (Shopify, WooCommerce, or
 * canonical order records) and writes one canonical "order" record per
 * order, after a "run" record.  A payload that cannot be mapped is
 * reported on stderr and skipped; the others go on.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "import.h"
#include "msg.h"
#include "ktime.h"
#include "order.h"
#include "record.h"
#include "refund_pool.h"
#include "run.h"

#define PROG		"kontor-import"
#define DEFAULT_ZONE	"Europe/Berlin"

enum pass {
	PASS_REFUNDS,		/* only collect refund objects */
	PASS_ORDERS		/* map and write orders */
};

struct importer {
	enum platform from;	/* PLATFORM_UNKNOWN: recognise each */
	const char *shop;	/* NULL: the platform's name */
	int verbose, quiet;
	struct rec_out out;
	struct order order;
	struct refund_pool pool;
	const char *file;	/* the file being read, as given */
	enum pass pass;
	int prescanned;		/* the file's refunds are pooled already */
	int write_failed;	/* the errno of the first, or -1 */
	int read_failed;
	long n_orders, n_rejected;
};

static const char synopsis[] =
    "usage: " PROG " [-qv] -f platform [-s shop] [file ...]\n";

static void
usage(void)
{
	fputs(synopsis, stderr);
	fputs("Try '" PROG " --help' for more.\n", stderr);
	exit(EX_KUSAGE);
}

static void
help(void)
{
	fputs(synopsis, stdout);
	fputs("\n"
	    "Writes canonical order records for shop platform payloads.\n"
	    "\n"
	    "  -f, --from PLATFORM  shopify, woocommerce, amazon, ebay, "
	    "shopware,\n"
	    "                       magento, plain (CSV), canonical or "
	    "auto\n"
	    "  -h, --help           this text\n"
	    "  -q, --quiet          no warnings\n"
	    "  -s, --shop ID        the shop id (default: the platform)\n"
	    "  -V, --version        the version\n"
	    "  -v, --verbose        say what each payload was taken for\n"
	    "\n"
	    "Without a file, or with \"-\", reads standard input.\n",
	    stdout);
	exit(fflush(stdout) == 0 ? EX_KOK : EX_KIOERR);
}

static void
report(struct importer *im, const char *path, struct kerr *e)
{
	import_locate(e, im->file, path);
	kerr_print(e, PROG);
	im->n_rejected++;
}

static void
note(const struct importer *im, const char *path, const char *what,
    const char *id)
{
	if (!im->verbose)
		return;
	msg_note("%s: %s%s%s %s", im->file, path, path[0] != '\0' ? ": " : "",
	    what, id ? id : "");
}

static void
refund_failed(void *arg, const struct pooled_refund *r, struct kerr *e)
{
	struct importer *im = arg;

	(void)r;
	kerr_print(e, PROG);
	im->n_rejected++;
}

/*
 * Says what elem is.  With --from, a payload recognised as another
 * platform's is refused rather than mapped field by field into errors.
 */
static int
elem_kind(struct importer *im, const struct jnode *elem, enum platform *p,
    enum payload_kind *kind, struct kerr *e)
{
	int rc;

	rc = import_detect(elem, p, kind, e);
	if (rc != KR_OK || im->from == PLATFORM_UNKNOWN || *p == im->from)
		return rc;
	return kerr_set(e, KR_BAD_INPUT, "",
	    "this looks like a %s payload, not %s (try --from auto)",
	    platform_name(*p), platform_name(im->from));
}

static int
take_refund(struct importer *im, enum platform p, const struct jnode *elem,
    const char *path)
{
	struct kerr e;

	if (im->pass == PASS_ORDERS && im->prescanned)
		return KR_OK;
	kerr_clear(&e);
	if (refund_pool_add(&im->pool, p, im->shop, elem, im->file, path,
	    &e) != KR_OK)
		report(im, path, &e);
	return KR_OK;
}

/*
 * A WooCommerce order lists only the total of each refund; without the
 * refund object itself, a credit note cannot say which lines went back.
 */
static void
warn_bare_refunds(const struct importer *im, const char *path)
{
	const struct order *o = &im->order;
	const struct refund *r;
	size_t i;

	if (strcmp(o->platform, "woocommerce") != 0)
		return;
	for (i = 0; i < o->nrefunds && !im->quiet; i++) {
		r = &o->refunds[i];
		if (r->nlines > 0 || r->amount_minor == 0)
			continue;
		msg_warn("%s: %s%srefund %s of order %s has no lines (its "
		    "refund object was not read)", im->file, path,
		    path[0] != '\0' ? ": " : "", r->id, o->order_number);
	}
}

/* Why a write just failed: errno, or -1 when it does not say. */
static int
write_errno(void)
{
	return errno != 0 ? errno : -1;
}

static int
put_order(struct importer *im, const char *path)
{
	struct kerr e;
	int rc;

	errno = 0;
	rc = order_write(&im->order, &im->out);
	if (rc == KR_OK) {
		im->n_orders++;
		return KR_OK;
	}
	if (rc != KR_TOO_BIG && rc != KR_BAD_INPUT) {
		im->write_failed = write_errno();
		return KR_IO;
	}
	kerr_clear(&e);
	if (rc == KR_BAD_INPUT)
		kerr_set(&e, rc, "", "the order's record would hold text that "
		    "is not valid UTF-8");
	else
		kerr_set(&e, rc, "", "the order's record would be longer than "
		    "%zu MiB", REC_LINE_MAX >> 20);
	report(im, path, &e);
	return KR_OK;
}

static int
take_order(struct importer *im, enum platform p, const struct jnode *elem,
    const char *path)
{
	struct order *o = &im->order;
	char what[48];
	struct kerr e;
	size_t n;

	kerr_clear(&e);
	snprintf(what, sizeof(what), "%s order", platform_name(p));
	if (import_order(p, elem, im->shop, o, &e) != KR_OK) {
		report(im, path, &e);
		return KR_OK;
	}
	o->source_file = im->file;
	o->source_line = NULL;
	o->source_path = path;
	note(im, path, what, o->order_number);
	n = refund_pool_attach(&im->pool, o, refund_failed, im);
	if (n > 0)
		note(im, path, "refunds attached to order", o->order_number);
	warn_bare_refunds(im, path);
	return put_order(im, path);
}

static int
take_elem(void *arg, const struct jnode *elem, const char *path,
    struct kerr *stream_err)
{
	struct importer *im = arg;
	enum payload_kind kind;
	enum platform p;
	struct kerr e;

	(void)stream_err;
	kerr_clear(&e);
	if (elem_kind(im, elem, &p, &kind, &e) != KR_OK) {
		if (im->pass == PASS_ORDERS)
			report(im, path, &e);
		return KR_OK;
	}
	if (kind == PAYLOAD_REFUND)
		return take_refund(im, p, elem, path);
	if (im->pass == PASS_REFUNDS)
		return KR_OK;
	return take_order(im, p, elem, path);
}

static FILE *
open_input(struct importer *im, const char *name)
{
	FILE *fp;
	struct kerr e;

	if (strcmp(name, "-") == 0)
		return stdin;
	fp = fopen(name, "r");
	if (fp != NULL || im->pass == PASS_REFUNDS)
		return fp;
	kerr_clear(&e);
	kerr_set(&e, KR_IO, "", "%s", strerror(errno));
	report(im, "", &e);
	return NULL;
}

/* One order of a plain CSV file, or why it was refused. */
static int
take_plain(void *arg, struct order *o, struct kerr *e)
{
	struct importer *im = arg;

	if (o == NULL) {
		kerr_where(e, im->file, e->line);
		kerr_print(e, PROG);
		im->n_rejected++;
		return KR_OK;
	}
	o->source_file = im->file;
	note(im, o->source_path, "plain order", o->order_number);
	return put_order(im, o->source_path);
}

/*
 * CSV goes to the plain import: with --from plain, or with --from auto
 * when the file does not start like JSON.  Returns 1 when fp was read.
 */
static int
read_plain(struct importer *im, FILE *fp, struct kerr *e)
{
	int csv = import_is_csv(fp);

	if (im->from != PLATFORM_PLAIN &&
	    (im->from != PLATFORM_UNKNOWN || !csv))
		return 0;
	if (im->pass == PASS_REFUNDS)
		return 1;
	if (!csv)
		kerr_set(e, KR_BAD_INPUT, "", "this looks like JSON, not the "
		    "plain CSV import (try --from auto)");
	else if (plain_read(fp, 1, im->shop, &im->order, take_plain, im, e) ==
	    KR_OK)
		return 1;
	if (im->write_failed)
		return 1;
	kerr_where(e, im->file, e->line);
	kerr_print(e, PROG);
	im->n_rejected++;
	return 1;
}

/* Streams one file through take_elem in the current pass. */
static void
read_file(struct importer *im, const char *name, int prescanned)
{
	struct kerr e;
	FILE *fp;
	int rc;

	im->file = name;
	im->prescanned = prescanned;
	fp = open_input(im, name);
	if (fp == NULL)
		return;
	kerr_clear(&e);
	if (read_plain(im, fp, &e)) {
		if (fp != stdin)
			fclose(fp);
		return;
	}
	rc = jstream_file(fp, import_envelope_keys, take_elem, im, &e);
	if (rc != KR_OK && !im->write_failed && im->pass == PASS_ORDERS) {
		kerr_where(&e, name, e.line);
		kerr_print(&e, PROG);
		im->n_rejected++;
		if (rc == KR_IO)
			im->read_failed = 1;
	}
	if (fp != stdin)
		fclose(fp);
}

/* 1 for a file that can be read twice: a regular file. */
static int
rereadable(const char *name)
{
	struct stat st;

	return strcmp(name, "-") != 0 && stat(name, &st) == 0 &&
	    S_ISREG(st.st_mode);
}

/*
 * Refund objects of regular files are pooled first, so that a refund
 * file may come before or after its order's.  Standard input is read
 * once; there a refund must come before its order.
 */
static void
read_all(struct importer *im, char **files, int nfiles)
{
	int i, scan = im->from == PLATFORM_UNKNOWN ||
	    im->from == PLATFORM_WOOCOMMERCE;

	im->pass = PASS_REFUNDS;
	for (i = 0; scan && i < nfiles; i++)
		if (rereadable(files[i]))
			read_file(im, files[i], 0);
	im->pass = PASS_ORDERS;
	for (i = 0; i < nfiles && !im->write_failed; i++)
		read_file(im, files[i], scan && rereadable(files[i]));
}

/* Refunds whose order never came are rejected, not dropped. */
static void
report_orphans(struct importer *im)
{
	const struct pooled_refund *r;
	struct kerr e;
	size_t i;

	for (i = 0; (r = refund_pool_at(&im->pool, i)) != NULL; i++) {
		if (r->used || r->failed)
			continue;
		kerr_clear(&e);
		kerr_set(&e, KR_BAD_INPUT, r->path,
		    "refund for order %s: that order does not follow in the "
		    "input, so the refund is not imported", r->order_id);
		kerr_where(&e, r->file, 0);
		kerr_print(&e, PROG);
		im->n_rejected++;
	}
}

/* The zone of the run: TZ when it names a zone, else Europe/Berlin. */
static int
set_zone(struct run *run, struct kerr *e)
{
	const char *tz = getenv("TZ");
	int rc;

	if (tz == NULL || tz[0] == '\0')
		tz = DEFAULT_ZONE;
	else if (tz[0] == ':')
		tz++;
	rc = ktime_set_zone(tz, e);
	if (rc != KR_OK) {
		snprintf(e->field, sizeof(e->field), "TZ");
		return rc;
	}
	return run_start(run, "", tz, e);
}

static void
check_options(struct importer *im, const char *from)
{
	if (from == NULL) {
		msg_errorf("--from is required");
		usage();
	}
	im->from = platform_from_name(from);
	if (im->from == PLATFORM_UNKNOWN && strcmp(from, "auto") != 0) {
		msg_errorf("--from: expected shopify, woocommerce, amazon, "
		    "ebay, shopware, magento, plain, canonical or auto, got "
		    "\"%s\"", from);
		usage();
	}
	if (im->shop != NULL && im->shop[0] == '\0') {
		msg_errorf("--shop: expected a shop id");
		usage();
	}
}

static void
parse_options(struct importer *im, int argc, char **argv)
{
	static const struct option longopts[] = {
		{"from", required_argument, NULL, 'f'},
		{"shop", required_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	const char *from = NULL;
	int c;

	while ((c = getopt_long(argc, argv, "f:hqs:Vv", longopts, NULL)) !=
	    -1) {
		switch (c) {
		case 'f':
			from = optarg;
			break;
		case 'h':
			help();
			break;
		case 'q':
			im->quiet = 1;
			im->verbose = 0;
			break;
		case 's':
			im->shop = optarg;
			break;
		case 'V':
			printf("%s %s\n", PROG, KONTOR_VERSION);
			exit(fflush(stdout) == 0 ? EX_KOK : EX_KIOERR);
		case 'v':
			im->verbose = !im->quiet;
			break;
		default:
			usage();
		}
	}
	msg_init(PROG, im->quiet ? MSG_QUIET : im->verbose ? MSG_VERBOSE :
	    MSG_NORMAL);
	check_options(im, from);
}

static int
finish(struct importer *im)
{
	int rc, err = im->write_failed;

	errno = 0;
	rc = rec_out_close(&im->out);
	if (rc != KR_OK && err == 0)
		err = write_errno();
	errno = 0;
	if (fclose(stdout) != 0) {
		rc = KR_IO;
		if (err == 0)
			err = write_errno();
	}
	if (rc != KR_OK || err != 0) {
		msg_errorf("standard output: cannot write%s%s",
		    err > 0 ? ": " : "", err > 0 ? strerror(err) : "");
		return EX_KIOERR;
	}
	if (im->verbose)
		msg_note("%ld orders written, %ld rejected", im->n_orders,
		    im->n_rejected);
	if (im->read_failed)
		return EX_KIOERR;
	return im->n_rejected > 0 ? EX_REJECTED : EX_KOK;
}

int
main(int argc, char **argv)
{
	static char *stdin_only[] = {"-"};
	struct importer im;
	struct run run;
	struct kerr e;
	int status;

	memset(&im, 0, sizeof(im));
	parse_options(&im, argc, argv);
	kerr_clear(&e);
	if (set_zone(&run, &e) != KR_OK) {
		kerr_print(&e, PROG);
		return kerr_exit_status(e.code);
	}

	rec_out_init(&im.out, stdout);
	order_init(&im.order);
	refund_pool_init(&im.pool);
	errno = 0;
	if (run_write(&run, &im.out) != KR_OK)
		im.write_failed = write_errno();
	else if (optind < argc)
		read_all(&im, argv + optind, argc - optind);
	else
		read_all(&im, stdin_only, 1);
	if (!im.write_failed)
		report_orphans(&im);
	status = finish(&im);

	refund_pool_release(&im.pool);
	order_release(&im.order);
	rec_out_release(&im.out);
	return status;
}

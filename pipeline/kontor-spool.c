/*
 * kontor-spool: a tenant's new order files in, canonical orders out.
 * The reading itself is spoolrun.c's, shared with kontor-tax --spool;
 * here are the command line and the output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "msg.h"
#include "record.h"
#include "spoolrun.h"

#ifndef KONTOR_VERSION
#define KONTOR_VERSION	"0"
#endif

static void
usage(int status)
{
	FILE *fp = status == 0 ? stdout : stderr;

	fputs("usage: kontor-spool --tenant DIR [-pqv] [--shop ID] "
	    "[FILE ...]\n", fp);
	if (status == 0)
		fputs("\n"
		    "  -t, --tenant DIR  the tenant whose spool is read\n"
		    "  -p, --preview     record nothing, move no file\n"
		    "  -s, --shop ID     the shop of files named on the "
		    "command line\n"
		    "  -q, --quiet       errors only\n"
		    "  -v, --verbose     also notes\n"
		    "  -h, --help        this text\n"
		    "  -V, --version     the version\n", fp);
	exit(status);
}

static void
parse_args(struct spool_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
		{"tenant", required_argument, NULL, 't'},
		{"preview", no_argument, NULL, 'p'},
		{"shop", required_argument, NULL, 's'},
		{"quiet", no_argument, NULL, 'q'},
		{"verbose", no_argument, NULL, 'v'},
		{"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'},
		{NULL, 0, NULL, 0}
	};
	enum msg_level level = MSG_NORMAL;
	int c;

	while ((c = getopt_long(argc, argv, "hpqs:t:vV", opts, NULL)) !=
	    -1) {
		switch (c) {
		case 't':
			o->tenant = optarg;
			break;
		case 'p':
			o->preview = 1;
			break;
		case 's':
			o->shop_opt = optarg;
			break;
		case 'q':
			level = MSG_QUIET;
			break;
		case 'v':
			level = MSG_VERBOSE;
			break;
		case 'h':
			usage(0);
			break;
		case 'V':
			printf("kontor-spool %s\n", KONTOR_VERSION);
			exit(0);
		default:
			usage(EX_KUSAGE);
		}
	}
	msg_init("kontor-spool", level);
	if (o->tenant == NULL) {
		msg_errorf("--tenant DIR is required");
		usage(EX_KUSAGE);
	}
	o->nfiles = argc - optind;
	o->files = argv + optind;
}

/* The records go to standard output as they come. */
static int
to_stdout(void *arg, const char *text, size_t len, struct order *o)
{
	struct rec_out *out = arg;

	(void)o;
	return rec_write(out, text, len) == KR_OK ? 0 : EX_KIOERR;
}

int
main(int argc, char **argv)
{
	struct spool_opts o = { 0 };
	struct spoolrun *sr;
	struct rec_out out;
	struct spool_sink sink;
	int status;

	parse_args(&o, argc, argv);
	rec_out_init(&out, stdout);
	sink.put = to_stdout;
	sink.arg = &out;
	if ((status = spoolrun_open(&sr, &o, &sink)) != 0) {
		rec_out_release(&out);
		return status;
	}
	status = spoolrun_read(sr);
	status = msg_close_stdout(status);
	status = spoolrun_close(sr, argc, argv, status);
	rec_out_release(&out);
	return status;
}

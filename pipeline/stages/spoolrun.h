#ifndef KONTOR_SPOOLRUN_H
#define KONTOR_SPOOLRUN_H

/*
 * Reading a tenant's spool into order records: the work of kontor-spool,
 * which writes the records to its standard output, and of kontor-tax
 * --spool, which takes them in the same process.
 *
 * The records go to a sink, a file's records once the whole file has
 * been mapped (a file that fails gives none).  When they are the one
 * order record of a file, the sink also gets that order as the
 * structure the record was written from, so that a reader in the same
 * process need not parse the record again; the structure stays valid
 * until the sink returns.
 *
 * Messages are said under the name kontor-spool; a sink that says
 * messages of its own sets its own name and sets it back.
 */

#include <stddef.h>

#include "order.h"

struct spool_opts {
	const char *tenant;	/* the tenant directory */
	const char *shop_opt;	/* --shop: the shop of named files, or NULL */
	int preview;		/* record nothing, move no file */
	int nfiles;		/* files named on the command line, or 0 */
	char **files;
};

/*
 * put gets lines of records, each ending in a newline, and o as said
 * above or NULL.  It returns 0 to go on, or the exit status that stops
 * the reading.
 */
struct spool_sink {
	int (*put)(void *arg, const char *text, size_t len, struct order *o);
	void *arg;
};

struct spoolrun;

/*
 * Opens the tenant and its state, starts the run and puts its run
 * record, and lists the files.  Returns 0 with *srp set, or the exit
 * status of the failure, said.
 */
int	spoolrun_open(struct spoolrun **srp, const struct spool_opts *o,
	    const struct spool_sink *sink);
/*
 * Reads every file and puts its records, says the summary, and returns
 * the exit status: 0, EX_REJECTED when an entry was refused or left
 * unread, or that of a failure.
 */
int	spoolrun_read(struct spoolrun *sr);
/*
 * Writes the audit row of the command argv with status, and frees sr.
 * Returns status, or EX_KIOERR when the row could not be written: the
 * run's report counts what the audit log holds.
 */
int	spoolrun_close(struct spoolrun *sr, int argc, char **argv,
	    int status);

#endif

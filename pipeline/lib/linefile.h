#ifndef KONTOR_LINEFILE_H
#define KONTOR_LINEFILE_H

/*
 * The small comma-separated files a seller keeps beside the tenant's
 * configuration (exchange rates, VIES confirmations): one record per
 * line, fields separated by commas, no quoting; blank lines and lines
 * starting with '#' are skipped.  Errors are KR_CONFIG and name the
 * file, the line and, in the field, the column ("column 2").
 */

#include "err.h"

#define LINEFILE_LINE_MAX	512	/* longer lines are refused */
#define LINEFILE_FIELDS_MAX	8

/*
 * Called for each record with its fields (NUL-terminated, in a buffer
 * the call may change) and its line number; a result other than KR_OK
 * stops the reading and is returned.
 */
typedef int	(*linefile_fn)(void *arg, char **field, int n, long line,
		    struct kerr *e);

/*
 * Reads path and calls fn for every record.  A record with fewer than
 * min or more than max fields is an error saying what was expected
 * (usage, e.g. "month,currency,rate[,source]"); so is a line longer
 * than LINEFILE_LINE_MAX or holding a NUL byte.  what names the file's
 * content in the message when it cannot be read ("the exchange rates").
 */
int	linefile_read(const char *path, int min, int max, const char *usage,
	    const char *what, linefile_fn fn, void *arg, struct kerr *e);

/* Fails e for column (from 1) of line in path with the message what. */
int	linefile_fail(struct kerr *e, const char *path, long line,
	    int column, const char *what);

#endif

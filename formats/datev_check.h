#ifndef KONTOR_DATEV_CHECK_H
#define KONTOR_DATEV_CHECK_H

/*
 * A checker of DATEV EXTF Buchungsstapel files, field by field, against
 * the rules of ../shared/spec/datev.md: encoding and line ends, the 31
 * header fields, the column names of line 2, and every booking's
 * columns (count, quoting, formats, lengths, pairs, dates inside the
 * header's period).
 *
 * It reads files kontor wrote as well as files from elsewhere, so it
 * shares no code with the writer (datev.h): its own tables and parsers
 * are there to catch the writer's mistakes.  Format versions 13, 12 and
 * 9 of the Buchungsstapel are known.
 *
 * Nothing is printed: each problem is handed to a callback as a finding
 * with its line, its column and a message.  What DATEV's import refuses
 * is an error; what it accepts but looks wrong (unquoted text, an
 * unusual column name, Leistungsdatum without its period) is a warning.
 */

#include <stdio.h>

#include "err.h"

enum datev_severity {
	DATEV_CHECK_ERROR,
	DATEV_CHECK_WARNING
};

struct datev_finding {
	int severity;		/* enum datev_severity */
	long line;		/* from 1; 0 for the file as a whole */
	int column;		/* from 1; 0 for the line as a whole */
	int header;		/* 1: column numbers a header field (line 1) */
	const char *name;	/* the column's or field's name, or NULL */
	const char *msg;
};

/* Gets each finding; the strings live until the callback returns. */
typedef void (*datev_check_fn)(void *arg, const struct datev_finding *f);

struct datev_check_stats {
	long n_errors;
	long n_warnings;
	long n_rows;		/* booking lines read */
};

/*
 * Checks the file read from fp (which stays the caller's) and calls fn
 * for every finding; stats (may be NULL) gets the counts.  Returns KR_OK
 * when the file could be read to its end, whatever it holds, or KR_IO
 * with e giving the system's reason (a directory, an I/O error); the
 * lines read until then are checked, but the file is not reported as
 * empty or short.
 */
int	datev_check_stream(FILE *fp, datev_check_fn fn, void *arg,
	    struct datev_check_stats *stats, struct kerr *e);

#endif

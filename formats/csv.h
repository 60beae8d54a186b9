#ifndef KONTOR_CSV_H
#define KONTOR_CSV_H

/*
 * A reader of RFC 4180 CSV: records of fields separated by commas, each
 * record ended by CRLF or LF, a field in double quotes when it holds a
 * comma, a quote (doubled) or a line break.  The text must be UTF-8
 * without NUL bytes; a UTF-8 byte order mark at the very start is
 * skipped, as spreadsheets write one.
 *
 * One record at a time: csv_next replaces the fields of the last one,
 * so memory stays bounded by the longest record (CSV_RECORD_MAX), never
 * by the file.  Nothing here prints; errors name the line.
 */

#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

#define CSV_RECORD_MAX	((size_t)1 << 20)	/* bytes in one record */
#define CSV_FIELDS_MAX	256

struct csv {
	FILE *fp;
	struct buf rec;		/* the fields, each NUL-terminated */
	size_t off[CSV_FIELDS_MAX];
	size_t nfields;
	long line;		/* the line the current record began on */
	long next_line;		/* the line the next record begins on */
	int at_start;		/* nothing read yet (byte order mark) */
};

/* Reads from fp, which stays the caller's; line counts from first. */
void	csv_init(struct csv *c, FILE *fp, long first_line);
void	csv_release(struct csv *c);

/*
 * Reads the next record.  KR_OK with c->nfields fields; KR_NOT_FOUND at
 * the end of the input; KR_BAD_INPUT (an unterminated quote, text after
 * a closing quote, invalid UTF-8, a NUL), KR_TOO_BIG or KR_IO with e's
 * line set.  Blank lines are skipped.
 */
int	csv_next(struct csv *c, struct kerr *e);

/* Field i of the current record, "" past the last one. */
const char	*csv_field(const struct csv *c, size_t i);

#endif

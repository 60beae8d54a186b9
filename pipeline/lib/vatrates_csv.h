#ifndef KONTOR_VATRATES_CSV_H
#define KONTOR_VATRATES_CSV_H

/*
 * The strict reader of the two rate files, shared by vatrates.c only.
 *
 * The files are UTF-8, comma separated, one header row, '\n' line ends
 * and no quoting.  A row is split in place; its fields stay valid until
 * the next row is read.  Every error names the file, the line and, in
 * the kerr's field, the column with its header name.
 */

#include <stddef.h>

#include "err.h"

#define RCSV_COLS_MAX	8
#define RCSV_PATH_MAX	4096

struct rcsv {
	char path[RCSV_PATH_MAX];	/* dir/name, for messages */
	char *text;			/* the whole file, NUL-terminated */
	char *next;			/* start of the next line */
	long line;			/* of the row just read */
	int ncol;			/* columns every row must have */
	const char *const *names;	/* their header names */
	char *col[RCSV_COLS_MAX];	/* the fields of the row just read */
};

/*
 * Reads dir/name (at most cap_bytes) and checks its header against the
 * ncol names.  The caller releases c with rcsv_release.
 */
int	rcsv_open(struct rcsv *c, const char *dir, const char *name,
	    const char *const *names, int ncol, size_t cap_bytes,
	    struct kerr *e);
void	rcsv_release(struct rcsv *c);

/*
 * Reads the next row into c->col.  *eof is set at the end of the file.
 * A row with another number of columns, a quote, a control character,
 * a carriage return or bytes that are not UTF-8 is KR_BAD_INPUT.
 */
int	rcsv_row(struct rcsv *c, int *eof, struct kerr *e);

/*
 * Records an error at column col (1-based) of the current row and
 * returns code.
 */
int	rcsv_fail(const struct rcsv *c, int col, int code, struct kerr *e,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

#endif

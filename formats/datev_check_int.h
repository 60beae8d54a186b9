#ifndef KONTOR_DATEV_CHECK_INT_H
#define KONTOR_DATEV_CHECK_INT_H

/*
 * Inside the DATEV checker: what datev_check.c (lines, fields, header,
 * names) and datev_check_row.c (booking rows) share.  Not for other
 * callers; use datev_check.h.
 */

#include <stddef.h>

#include "buf.h"
#include "config.h"
#include "datev_check.h"

#define CHK_LINE_MAX	((size_t)1 << 20)	/* one line, bytes */
#define CHK_ROWS_WARN	99999	/* Sage caps batches here (datev.md §4) */

/* One field of a line, unquoted; text is NUL-terminated. */
struct chk_field {
	const char *text;	/* Windows-1252 bytes */
	size_t off;		/* where text starts in chk.unq */
	size_t len;
	int quoted;
};

struct chk {
	datev_check_fn fn;
	void *arg;
	struct datev_check_stats stats;
	long line;			/* the current line, from 1 */
	struct buf raw;			/* the line as read */
	struct buf unq;			/* its fields, unquoted */
	struct chk_field *field;
	size_t nfield, cap_field;
	int utf8_warned;
	int read_errno;		/* why reading stopped early, or 0 */

	/* From the header, for the rows */
	int rows_ok;		/* the header allows checking rows */
	int ncols;		/* 125, 124 or 120 */
	int account_length;
	char wkz[4];		/* ledger currency */
	int skr;		/* chart: 3 (SKR03), 4 (SKR04), 0 other */
	long vom, bis;		/* period as YYYYMMDD */
};

/* Reports a finding on the current line; col 0 for the whole line. */
void	chk_report(struct chk *c, int severity, int col, const char *fmt,
	    ...) __attribute__((format(printf, 4, 5)));
/* A field quoted for a message, in UTF-8. */
const char	*chk_quote(const struct chk_field *f, char *out,
		    size_t size);
/* Windows-1252 bytes as UTF-8 into out. */
void	chk_utf8(const char *s, size_t len, char *out, size_t size);

/* The column's name in Windows-1252 (format version 13), or NULL. */
const char	*chk_column_name(int col);

/* The three kinds of line, and the end of the file. */
void	chk_header(struct chk *c);
void	chk_names(struct chk *c);
void	chk_row(struct chk *c);
void	chk_finish(struct chk *c);

/* Helpers for the rules */

/* 1 when s[0..len) is only digits and 1 <= len <= max. */
int	chk_digits(const char *s, size_t len, size_t max);
/* Parses TTMMJJJJ (rows) into *ymd (YYYYMMDD) when it is a real day. */
int	chk_date8(const char *s, size_t len, long *ymd);
/* Parses JJJJMMTT (header) the same way. */
int	chk_ymd8(const char *s, size_t len, long *ymd);
/* Days in month m of year y. */
int	chk_days(int y, int m);

#endif

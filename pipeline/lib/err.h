#ifndef KONTOR_ERR_H
#define KONTOR_ERR_H

/*
 * Error reporting for library code.
 *
 * Library functions (pipeline/lib, formats) never print and never exit.
 * They return a KR_* code and, where the caller passed one, fill a
 * struct kerr with where the problem is (file, line, field path) and what
 * it is.  Only a stage's main() turns a kerr into a diagnostic on stderr
 * and an exit status.  A diagnostic reads
 *
 *	prog: file:line: field: message
 *
 * with the parts that are unknown left out.  A diagnostic is one line of
 * valid UTF-8 whatever the input held: control characters (ESC, CR, LF,
 * ...) and bytes that are not UTF-8, in a file name or an order number,
 * are written as "\xNN" (utf8_escape), so that they can neither split a
 * log line nor steer a terminal.
 */

#include <stdarg.h>
#include <stddef.h>

enum kr {
	KR_OK = 0,
	KR_BAD_INPUT,		/* the input is wrong; reject it, go on */
	KR_NOMEM,
	KR_IO,			/* a read, write or fsync failed */
	KR_TOO_BIG,		/* a size cap was hit */
	KR_OVERFLOW,		/* a number does not fit its type */
	KR_CONFIG,		/* the tenant configuration is wrong */
	KR_STATE,		/* the state database refused or is corrupt */
	KR_BUSY,		/* the tenant lock is held elsewhere */
	KR_NOT_READY,		/* the order is not ready to invoice yet */
	KR_NOT_FOUND
};

/* Exit statuses of every kontor program (see EXIT STATUS in the pages). */
enum {
	EX_KOK = 0,		/* everything was processed */
	EX_REJECTED = 1,	/* some records or files were rejected */
	EX_KUSAGE = 2,		/* bad command line */
	EX_KSOFTWARE = 70,	/* internal error (a bug) */
	EX_KIOERR = 74,		/* input/output error */
	EX_KTEMPFAIL = 75,	/* tenant busy, try again later */
	EX_KCONFIG = 78		/* configuration error */
};

/* Room for spool/<shop>/<file> with the longest names a folder takes. */
#define KERR_FILE_MAX	512
#define KERR_FIELD_MAX	160
#define KERR_MSG_MAX	512
/* Room for kerr_format's text, escapes included. */
#define KERR_TEXT_MAX	\
	(4 * (KERR_FILE_MAX + KERR_FIELD_MAX + KERR_MSG_MAX + 16) + 1)

struct kerr {
	int code;			/* enum kr */
	long line;			/* input line, 0 when none */
	char file[KERR_FILE_MAX];	/* input file, "" when none */
	char field[KERR_FIELD_MAX];	/* field path, "" when none */
	char msg[KERR_MSG_MAX];
};

/* Clears e to "no error". */
void	kerr_clear(struct kerr *e);

/*
 * Records an error with its field path and a printf-style message and
 * returns code, so that `return kerr_set(e, KR_BAD_INPUT, ...)` reads well.
 * e may be NULL.  The file and line are left as they are.
 */
int	kerr_set(struct kerr *e, int code, const char *field,
	    const char *fmt, ...)
	    __attribute__((format(printf, 4, 5)));
int	kerr_vset(struct kerr *e, int code, const char *field,
	    const char *fmt, va_list ap);

/* Sets where the error happened.  file may be NULL, line may be 0. */
void	kerr_where(struct kerr *e, const char *file, long line);

/*
 * Writes "prog: file:line: field: message" to stderr, escaped as
 * kerr_format does.  Stages call it, libraries never do.
 */
void	kerr_print(const struct kerr *e, const char *prog);

/*
 * Formats "file:line: field: message" into buf (for stderr, .reason
 * files and the database): the one function that turns a kerr into
 * text.  Control characters and bytes that are not UTF-8 come out as
 * "\xNN"; KERR_TEXT_MAX bytes hold any kerr.
 */
void	kerr_format(const struct kerr *e, char *buf, size_t size);

/* Maps a KR_* code to the exit status a stage uses for it. */
int	kerr_exit_status(int code);
/*
 * The more serious of two exit statuses: any failure over a rejected
 * record (EX_REJECTED), that over success; of two failures the higher.
 */
int	kerr_worse_status(int a, int b);
/*
 * As kerr_worse_status, for the stages of one run: a fault of the
 * tenant's configuration or tables (EX_KCONFIG) gives way to any other
 * failure beside it, since mending the tables does not mend that.
 */
int	kerr_run_status(int a, int b);

/*
 * A program error: names the source position and aborts.  Never used for
 * bad input.
 */
#define KBUG(...) kbug(__FILE__, __LINE__, __VA_ARGS__)
_Noreturn void	kbug(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

#endif

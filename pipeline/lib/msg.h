#ifndef KONTOR_MSG_H
#define KONTOR_MSG_H

/*
 * What a stage tells its user on stderr.  Only a program's main() and
 * the code it calls directly use this; library code fills a struct kerr
 * instead (err.h).
 *
 * Quiet by default: notes only with -v, warnings unless -q, errors
 * always.  Every line starts with the program's name, and is one line
 * of valid UTF-8: control characters and bytes that are not UTF-8 in
 * what is said (a file name, an order number) are written as "\xNN",
 * by the same helper as kerr_format's (utf8_escape).
 */

#include "err.h"

enum msg_level {
	MSG_QUIET = 0,	/* -q: errors only */
	MSG_NORMAL = 1,	/* errors, warnings, the summary */
	MSG_VERBOSE = 2	/* -v: notes too */
};

/* Sets the program name and level for every later message. */
void	msg_init(const char *prog, enum msg_level level);
const char	*msg_prog(void);
enum msg_level	msg_level(void);

/* "prog: file:line: field: message" */
void	msg_error(const struct kerr *e);
void	msg_errorf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: warning: ..." unless quiet. */
void	msg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	msg_warn_kerr(const struct kerr *e);
/* "prog: ..." with -v only. */
void	msg_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "prog: ..." unless quiet: summaries. */
void	msg_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* one when n is 1, else many: "1 booking", "2 bookings" */
const char	*msg_plural(long n, const char *one, const char *many);

/*
 * Flushes and closes stdout; a failed write is a failed run.  Returns
 * status, or EX_KIOERR when stdout could not be written.
 */
int	msg_close_stdout(int status);

#endif

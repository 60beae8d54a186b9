#ifndef KONTOR_STATE_DB_H
#define KONTOR_STATE_DB_H

/*
 * Inside the state database: the connection, its cache of prepared
 * statements and the helpers that state.c, state_invoice.c and
 * state_ledger.c share.  Nothing outside those files includes this.
 *
 * Every statement is prepared once per connection, on first use, and
 * reset after each use, so that a night of a million invoices parses
 * its SQL a handful of times.
 */

#include <limits.h>
#include <stdint.h>
#include <sqlite3.h>

#include "err.h"
#include "ktime.h"
#include "state.h"

enum state_stmt {
	SQ_BEGIN,
	SQ_BEGIN_READ,
	SQ_COMMIT,
	SQ_ROLLBACK,
	SQ_SERIES_GET,
	SQ_SERIES_SET,
	SQ_INVOICE_FIND,
	SQ_INVOICE_JSON,
	SQ_INVOICE_ADD,
	SQ_UNDELIVERED,
	SQ_UPTO_GET,
	SQ_UPTO_SET,
	SQ_FIRST_UNDONE,
	SQ_DELIVERY_SPAN,
	SQ_LAST_INVOICE,
	SQ_SET_ASIDE_ADD,
	SQ_SET_ASIDE_FIND,
	SQ_REJECTION_ADD,
	SQ_DELIVERY_ADD,
	SQ_DELIVERY_FILE_ADD,
	SQ_DELIVERY_DOC_ADD,
	SQ_DOC_OWNER,
	SQ_DELIVERY_STATUS,
	SQ_DELIVERY_DONE,
	SQ_DELIVERY_DELETE,
	SQ_PENDING_IDS,
	SQ_DELIVERY_FILES,
	SQ_DELIVERY_COUNT,
	SQ_AUDIT_ADD,
	SQ_AUDIT_OF_RUN,
	SQ_FILES_OF_RUN,
	SQ_RUN_KNOWN,
	SQ_REFUND_WAIT,
	SQ_REFUNDS_WAITING,
	SQ_REFUNDS_TODO,
	SQ_REFUND_DONE,
	SQ_CREDITS_OF_ORDER,
	SQ_REFUND_STATUS,
	SQ_LAST_ISSUE_DATE,
	SQ_SALE_ADD,
	SQ_YEAR_EU,
	SQ_YEAR_TURNOVER,
	SQ_COUNT
};

/* A number series' key: the pattern's text around {N}, at most 131. */
#define SERIES_KEY_MAX	132
#define SERIES_HELD	4

/*
 * The last number of a series as the open transaction left it, kept
 * here and written to its row once, at the commit (state_series_flush),
 * not after every number drawn.
 */
struct series_held {
	char key[SERIES_KEY_MAX];
	int64_t last;
	int64_t stored;		/* the row's value, 0 without a row */
};

struct state {
	sqlite3 *db;
	sqlite3_stmt *stmt[SQ_COUNT];
	char path[PATH_MAX];
	int reading;		/* a transaction of state_read_begin */
	struct series_held held[SERIES_HELD];
	size_t nheld;
	struct series_held *drawn;	/* of the last number drawn */
};

/*
 * Sets *s to the prepared statement id, reset and ready for binding.
 * The statement stays the connection's; the caller resets it with
 * state_stmt_done when through with it.  KR_OK or state_fail's code.
 */
int	state_stmt(struct state *st, enum state_stmt id, sqlite3_stmt **s,
	    struct kerr *e);
void	state_stmt_done(sqlite3_stmt *s);

/*
 * Steps s.  KR_OK with *row (may be NULL) set to 1 when a row came, 0
 * when the statement is done; or state_fail's code with e filled with
 * what ("cannot store the invoice") and SQLite's message, and s reset.
 */
int	state_step(struct state *st, sqlite3_stmt *s, int *row,
	    const char *what, struct kerr *e);

/*
 * Fills e from the connection's last error and returns the KR_* code
 * for it: KR_IO for a disk or file error, KR_BUSY when another process
 * kept the database locked past the busy timeout, else KR_STATE.
 */
int	state_fail(struct state *st, const char *what, struct kerr *e);

/* Binds a string, or NULL for a NULL s; the string must outlive the
 * step. */
int	state_bind_text(sqlite3_stmt *s, int i, const char *text);

/* Runs one statement that returns no rows; KR_OK or state_fail's code. */
int	state_run(struct state *st, enum state_stmt id, const char *what,
	    struct kerr *e);

/* Steps s, which returns no rows, and resets it.  KR_OK or
 * state_fail's code. */
int	state_exec(struct state *st, sqlite3_stmt *s, const char *what,
	    struct kerr *e);

/*
 * The low-water mark of channel: every invoice with an id up to *upto
 * is covered by a done delivery on channel (0 when none is).
 */
int	state_upto_get(struct state *st, const char *channel, int64_t *upto,
	    struct kerr *e);

/*
 * Runs the query id, which takes no parameters, and copies the first
 * column of its first row into out ("" without a row).
 */
int	state_query_text(struct state *st, enum state_stmt id, char *out,
	    size_t size, const char *what, struct kerr *e);

/*
 * Writes the series the open transaction changed to their rows; the
 * commit does it first.  state_series_forget drops what is held without
 * writing it, as a rollback and a new transaction do.
 */
int	state_series_flush(struct state *st, struct kerr *e);
void	state_series_forget(struct state *st);

/* 1 while a transaction is open on the connection. */
int	state_in_transaction(const struct state *st);

/* The current time as RFC 3339 UTC, for bookkeeping columns. */
void	state_now(char out[KTIME_ISO_MAX]);

#endif

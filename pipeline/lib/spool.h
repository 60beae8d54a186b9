#ifndef KONTOR_SPOOL_H
#define KONTOR_SPOOL_H

/*
 * The spool: DIR/spool/<shop>/, one order per file as the platform
 * delivered it (or a canonical order record).  Like a Maildir: a
 * connector writes into spool/<shop>/tmp/ and renames the file in; once
 * kontor-tax has numbered and committed its order it moves the file to
 * spool/<shop>/cur/YYYY-MM/, so that a night reads only new files.  A
 * file that cannot be read or mapped goes to spool/<shop>/rejected/ with
 * a NAME.reason file beside it.
 *
 * Names are handled relative to the tenant directory
 * ("spool/shop-de/20261012-1042.json"); every function checks that a
 * name really is a file directly inside spool/<shop>/ before it touches
 * anything.
 */

#include <stddef.h>

#include "err.h"
#include "tenant.h"

struct spool_list {
	char **names;		/* relative paths, sorted by shop, then name */
	size_t n, cap;
};

/*
 * Lists the new files of every shop folder under spool/ (regular files
 * not starting with a dot; the tmp/, cur/ and rejected/ folders are
 * skipped).  The caller frees the list with spool_list_release.
 */
int	spool_scan(const struct tenant *t, struct spool_list *l,
	    struct kerr *e);
void	spool_list_release(struct spool_list *l);

/*
 * The shop id of a spool name ("spool/shop-de/x.json" -> "shop-de") into
 * out; KR_BAD_INPUT when name is not a spool file name.
 */
int	spool_shop_of(const char *name, char *out, size_t size,
	    struct kerr *e);

/*
 * Moves a spool file to spool/<shop>/cur/<month>/ (month "YYYY-MM"),
 * creating the folder.  The caller fsyncs the folders once per batch
 * with spool_sync.  A file that is already gone is not an error (a
 * crash after the move, before the commit was noticed).
 */
int	spool_move_cur(const struct tenant *t, const char *name,
	    const char *month, struct kerr *e);

/*
 * Moves a spool file to spool/<shop>/rejected/ and writes reason (one
 * line or more) into NAME.reason beside it.
 */
int	spool_reject(const struct tenant *t, const char *name,
	    const char *reason, struct kerr *e);

/*
 * fsyncs every folder of t's spool that a move touched since the last
 * call (the moves of other tenants wait for their own call).
 */
int	spool_sync(const struct tenant *t, struct kerr *e);

#endif

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

/* Longest name of a spool file: NAME.999.reason must fit NAME_MAX. */
#define SPOOL_FILE_NAME_MAX	240

/* What spool_scan found that is no new order file to read. */
enum spool_odd_kind {
	SPOOL_ODD_NAME,		/* a name kontor cannot use: moved aside */
	SPOOL_ODD_TYPE,		/* a folder, link, fifo, socket or device in
				   a shop folder: moved aside */
	SPOOL_ODD_FOLDER	/* under spool/, not a shop folder kontor
				   reads (or a file beside them): left alone */
};

struct spool_odd {
	enum spool_odd_kind kind;
	char *name;		/* "spool/<shop>/<entry>", "spool/<entry>" */
	char safe[32];		/* SPOOL_ODD_NAME: the name in rejected/ */
	struct kerr err;	/* what is wrong, file set to name */
};

struct spool_list {
	char **names;		/* relative paths, sorted by shop, then name */
	size_t n, cap;
	struct spool_odd *odd;	/* sorted by name */
	size_t nodd, capodd;
};

/*
 * Lists the new files of every shop folder under spool/ that kontor
 * reads: the folder of a configured shop ([shop ID] in kontor.conf), or
 * one named after a platform of platforms (a NULL-terminated list such
 * as {"shopify", "woocommerce", NULL}) that no configured shop takes.
 * In a shop folder, regular files are listed, names starting with a dot
 * and the folders tmp/, cur/ and rejected/ are skipped, and everything
 * else lands in l->odd with what is wrong with it: a file whose name is
 * not valid UTF-8, holds control characters or is longer than
 * SPOOL_FILE_NAME_MAX bytes (SPOOL_ODD_NAME), anything that is not a
 * regular file, never followed if it is a link (SPOOL_ODD_TYPE).  Other
 * folders under spool/, links to folders and files beside the shop
 * folders are SPOOL_ODD_FOLDER: nothing in them is read.  A missing
 * spool/ is an empty one.  The caller frees the list with
 * spool_list_release.
 */
int	spool_scan(const struct tenant *t, const char *const *platforms,
	    struct spool_list *l, struct kerr *e);
void	spool_list_release(struct spool_list *l);

/*
 * KR_OK when spool/<shop>/ is a shop folder spool_scan reads (see
 * there); otherwise KR_NOT_FOUND, with e's message saying why and what
 * to do (its file is left for the caller).
 */
int	spool_shop_known(const struct tenant *t, const char *const *platforms,
	    const char *shop, struct kerr *e);

/*
 * Moves what an odd entry of kind SPOOL_ODD_NAME or SPOOL_ODD_TYPE
 * names to spool/<shop>/rejected/, under odd->safe for a name kontor
 * cannot use, and writes reason into the .reason file beside it.  A link
 * moves as the link: nothing is followed.  KR_NOT_FOUND when the entry
 * is gone (another run moved it).
 */
int	spool_reject_odd(const struct tenant *t, const struct spool_odd *odd,
	    const char *reason, struct kerr *e);

/*
 * The shop id of a spool name ("spool/shop-de/x.json" -> "shop-de") into
 * out; KR_BAD_INPUT when name is not a spool file name.  A spool file
 * name is one spool_scan lists: the functions below refuse others.
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
 * line or more) into NAME.reason beside it.  KR_NOT_FOUND when the file
 * is gone (another run moved it).
 */
int	spool_reject(const struct tenant *t, const char *name,
	    const char *reason, struct kerr *e);

/*
 * fsyncs every folder of t's spool that a move touched since the last
 * call (the moves of other tenants wait for their own call).
 */
int	spool_sync(const struct tenant *t, struct kerr *e);

#endif

/*
 * Reading a tenant's spool (spoolrun.h): new order files in, canonical
 * orders out.
 *
 * Lists DIR/spool/<shop>/ (or takes the files named on the command line),
 * reads each file as the platform delivered it, or as a canonical order
 * record, and writes one `order` record per order, in file-name order,
 * each naming its source file.  WooCommerce delivers a refund as a file
 * of its own: such files are read first and joined to their order, whose
 * record then names them too.  A refund whose order is not among the
 * files but was invoiced before becomes a `refund` record, in the
 * currency and price basis of the stored invoice; one whose order is not
 * invoiced waits in the spool.  A file that cannot be read or mapped is
 * moved to spool/<shop>/rejected/ beside a .reason file; the others go
 * on.  Nothing here numbers or moves a good file: kontor-tax moves the
 * files of the orders it has committed.  With --preview nothing is
 * recorded or moved, and no state database is created (an existing one
 * is only read, for the invoices of refunds).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "import.h"
#include "msg.h"
#include "order.h"
#include "record.h"
#include "refund_pool.h"
#include "run.h"
#include "spool.h"
#include "spoolrun.h"
#include "state.h"
#include "tenant.h"
#include "utf8.h"

/* Only so much of a file is looked at for a refund's fields. */
#define SNIFF_BYTES	((size_t)64 << 10)
/*
 * A spool file is read whole into memory: one order as a platform
 * sends it, some kilobytes, where a file past this is no order file.
 */
#define SPOOL_FILE_MAX	JSON_DOC_MAX
/*
 * The errors of one file held back in memory until the file is refused
 * (see hold); past this, they wait in a temporary file.
 */
#define HELD_MAX	((size_t)1 << 20)

struct spoolrun {
	struct tenant t;
	struct state *st;		/* NULL in a preview */
	struct state *look;		/* for reading: st, or a preview's */
	struct jdoc doc;
	struct jstream js;		/* reads one file after another */
	struct run run;
	const struct spool_sink *sink;	/* where the records go */
	struct rec_out out;		/* the run and refund records */
	struct buf outbuf;		/* out's lines, not yet put */
	struct rec_out held;		/* order records into pending */
	struct refund_pool pool;
	struct order o;
	struct spool_list files;
	unsigned char *consumed;	/* per file: joined as a refund */
	struct once *once;		/* per named file: see keep_once */
	const char *shop_opt;		/* --shop for named files */
	int named;			/* files came from the command line */
	int preview;			/* --preview: change nothing */

	/* the file being read */
	const char *file;
	struct buf text;		/* its bytes, the buffer reused */
	char shop[128];
	enum platform platform;		/* UNKNOWN: recognise each payload */
	struct buf pending;		/* its records, out once all mapped */
	long file_orders;		/* orders of the current file */
	long file_refunds;		/* its refunds */
	int whole;			/* its order was the whole document */
	int file_failed;
	int not_regular;		/* it is no regular file any more */
	int text_once;			/* it is a named pipe, read once */
	int noatime;			/* files open without touching atime */
	struct kerr file_err;
	struct buf held_errors;		/* its error lines, not yet said */
	FILE *spill;			/* those past HELD_MAX, or NULL */
	off_t spilled;			/* bytes held in spill */

	long n_files, n_orders, n_refunds, n_rejected, n_waiting_refunds;
	long n_unread;			/* folders and files left unread */
	int fatal;
	int opened;			/* tenant and state are open */
};

/*
 * A file named on the command line that is no regular file, a pipe,
 * holds its bytes for one reading only: what the refund pass read of
 * it, or why it could not.
 */
struct once {
	int read;
	int rc;
	char *text;
	size_t len;
	struct kerr e;
};

static enum platform
shop_platform(const struct spoolrun *sr, const char *shop)
{
	const struct shop_cfg *c = config_shop(&sr->t.cfg, shop);

	if (c != NULL)
		return platform_from_name(c->platform);
	return platform_from_name(shop);
}

/*
 * Puts the lines of b into the sink, with the order o they were written
 * from when they are its record alone, and empties b.
 */
static void
put(struct spoolrun *sr, struct buf *b, struct order *o)
{
	int status;

	if (b->len == 0 || sr->fatal)
		return;
	status = sr->sink->put(sr->sink->arg, b->data, b->len, o);
	if (status != 0)
		sr->fatal = status;
	buf_reset(b);
}

static int
set_file(struct spoolrun *sr, const char *file)
{
	struct kerr e;

	sr->file = file;
	sr->file_failed = 0;
	sr->not_regular = 0;
	kerr_clear(&sr->file_err);
	buf_reset(&sr->pending);
	sr->file_orders = 0;
	sr->file_refunds = 0;
	sr->whole = 0;
	kerr_clear(&e);
	if (sr->named) {
		snprintf(sr->shop, sizeof(sr->shop), "%s",
		    sr->shop_opt ? sr->shop_opt : "");
		sr->platform = sr->shop_opt ? shop_platform(sr, sr->shop_opt) :
		    PLATFORM_UNKNOWN;
		return KR_OK;
	}
	if (spool_shop_of(file, sr->shop, sizeof(sr->shop), &e) != KR_OK) {
		kerr_where(&e, file, 0);
		msg_error(&e);
		return e.code;
	}
	sr->platform = shop_platform(sr, sr->shop);
	return KR_OK;
}

/*
 * Says the error lines held back (see hold) when say is set, and holds
 * none from then on.
 */
static void
end_held(struct spoolrun *sr, int say)
{
	char chunk[BUFSIZ];
	off_t left = sr->spilled;
	size_t k;

	if (say && sr->held_errors.len > 0)
		fwrite(sr->held_errors.data, 1, sr->held_errors.len, stderr);
	buf_reset(&sr->held_errors);
	if (left == 0)
		return;
	rewind(sr->spill);
	while (say && left > 0 && (k = fread(chunk, 1, left <
	    (off_t)sizeof(chunk) ? (size_t)left : sizeof(chunk),
	    sr->spill)) > 0) {
		fwrite(chunk, 1, k, stderr);
		left -= (off_t)k;
	}
	/* What lies past spilled is never read: no need to truncate. */
	rewind(sr->spill);
	sr->spilled = 0;
}

/*
 * Adds the line "PROG: text" to those held in sr->spill, after the ones
 * held in memory; KR_IO, with what was held before kept, when it cannot.
 */
static int
spill(struct spoolrun *sr, const char *text)
{
	struct buf *b = &sr->held_errors;
	const char *dir;
	off_t mark;

	if (sr->spill == NULL && (sr->spill = fs_tmpfile(&dir)) == NULL)
		return KR_IO;
	mark = sr->spilled;
	if (mark == 0 && b->len > 0)
		fwrite(b->data, 1, b->len, sr->spill);
	fprintf(sr->spill, "%s: %s\n", msg_prog(), text);
	if (fflush(sr->spill) != 0 || ferror(sr->spill)) {
		clearerr(sr->spill);
		fseeko(sr->spill, mark, SEEK_SET);
		return KR_IO;
	}
	sr->spilled = ftello(sr->spill);
	buf_reset(b);
	return KR_OK;
}

/*
 * Holds the error line of e back until the entry it is about is refused
 * (end_held), or dropped when another run has taken the entry: only the
 * run that moves an entry to rejected/ says what is wrong with it.
 * Only when neither memory nor a temporary file holds it, it is said at
 * once, after what was held.
 */
static void
hold(struct spoolrun *sr, const struct kerr *e)
{
	char text[KERR_TEXT_MAX];

	kerr_format(e, text, sizeof(text));
	if (sr->spilled == 0 && buf_printf(&sr->held_errors, "%s: %s\n",
	    msg_prog(), text) == KR_OK)
		return;
	if (spill(sr, text) == KR_OK)
		return;
	end_held(sr, 1);
	msg_error(e);
}

/* Remembers the first problem of the current file; the file is refused. */
static int
file_fails(struct spoolrun *sr, struct kerr *e, const char *path)
{
	import_locate(e, sr->file, path);
	hold(sr, e);
	if (!sr->file_failed)
		sr->file_err = *e;
	sr->file_failed = 1;
	return KR_OK;	/* go on: report every problem of the file */
}

/*
 * What an element is.  A shop configured for one platform refuses the
 * payload of another: a file in the wrong folder would otherwise be
 * booked as that shop's.
 */
static int
detect(struct spoolrun *sr, const struct jnode *elem, enum platform *p,
    enum payload_kind *kind, struct kerr *e)
{
	int rc = import_detect(elem, p, kind, e);

	if (rc != KR_OK)
		return rc;
	if (sr->platform != PLATFORM_UNKNOWN && *p != sr->platform &&
	    *p != PLATFORM_CANONICAL)
		return kerr_set(e, KR_BAD_INPUT, "",
		    "a %s payload in the spool of shop %s, which is a %s "
		    "shop", platform_name(*p), sr->shop,
		    platform_name(sr->platform));
	return KR_OK;
}

/*
 * Puts a refund of the current file into the pool, as one of an order of
 * the shop an order of the file would be booked to (import_order).
 */
static int
pool_refund(struct spoolrun *sr, enum platform p, const struct jnode *elem,
    const char *path, struct kerr *e)
{
	return refund_pool_add(&sr->pool, p, sr->shop[0] ? sr->shop : NULL,
	    elem, sr->file, path, e);
}

/* Pass 1: refund objects go into the pool, the rest waits for pass 2. */
static int
take_refund(void *arg, const struct jnode *elem, const char *path,
    struct kerr *e)
{
	struct spoolrun *sr = arg;
	enum payload_kind kind;
	enum platform p;

	if (detect(sr, elem, &p, &kind, e) != KR_OK || kind != PAYLOAD_REFUND)
		return KR_NOT_FOUND;	/* not a refund: pass 2 says why */
	if (pool_refund(sr, p, elem, path, e) != KR_OK)
		return KR_NOT_FOUND;
	return KR_OK;
}

/*
 * Only WooCommerce sends refunds as files of their own, and only a file
 * that mentions a refund's own fields can be one; the others are not
 * parsed twice.
 */
static int
maybe_refund(const char *text, size_t n)
{
	return memmem(text, n, "\"refunded_by\"", 13) != NULL ||
	    memmem(text, n, "\"refund_total\"", 14) != NULL;
}

/*
 * Reads the file at path whole into sr->text.  KR_NOT_FOUND when there
 * is no such file; e says why it cannot be read.
 *
 * A spool file was a regular file when the spool was listed, but
 * anything may have taken its name since: a link is not followed, and
 * a FIFO or device is not read (sr->not_regular), for a FIFO without a
 * writer would hold the night's run for ever.  A file named on the
 * command line may be a pipe, and a link to one.
 */
static int
load_file(struct spoolrun *sr, const char *path, struct kerr *e)
{
	struct stat st;
	int fd, rc, err, flags = O_RDONLY | O_CLOEXEC;

	sr->text_once = 0;
	if (!sr->named)
		flags |= O_NOFOLLOW | O_NONBLOCK;
	/*
	 * Reading a file the connector has just written would stamp its
	 * access time, a write to its inode for every order, which nobody
	 * reads: the file is moved once its order is committed.  Only the
	 * file's owner may ask for that not to happen.
	 */
	fd = sr->noatime ? open(path, flags | O_NOATIME) : -1;
	if (fd == -1 && (!sr->noatime || errno == EPERM)) {
		sr->noatime = 0;
		fd = open(path, flags);
	}
	if (fd == -1 && errno == ELOOP && !sr->named) {
		sr->not_regular = 1;
		return kerr_set(e, KR_BAD_INPUT, "", "not a regular file "
		    "since the spool was listed, but a symbolic link; kontor "
		    "does not follow links in the spool, so it moves to "
		    "rejected/");
	}
	if (fd == -1) {
		err = errno;
		kerr_set(e, KR_IO, "", "cannot open: %s", strerror(err));
		return err == ENOENT ? KR_NOT_FOUND : KR_IO;
	}
	if (sr->named && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))
		sr->text_once = 1;
	rc = sr->named ? fs_read_fd(fd, &sr->text) :
	    fs_read_regular(fd, &sr->text);
	err = errno;
	close(fd);
	if (rc == KR_BAD_INPUT) {
		sr->not_regular = 1;
		return kerr_set(e, rc, "", "not a regular file since the "
		    "spool was listed; a shop folder holds only order files, "
		    "so it moves to rejected/");
	}
	if (rc == KR_TOO_BIG)
		return kerr_set(e, rc, "", "larger than %zu MiB, which no "
		    "order file is", SPOOL_FILE_MAX >> 20);
	if (rc != KR_OK)
		return kerr_set(e, rc, "", "cannot read: %s", strerror(err));
	return KR_OK;
}

/*
 * Keeps what the refund pass's load_file of the i-th file gave, when it
 * was a named pipe, for read_file: opened again, the pipe would hold
 * nothing more, or wait for a writer that is gone.
 */
static void
keep_once(struct spoolrun *sr, size_t i, int rc, const struct kerr *e)
{
	struct once *o = &sr->once[i];

	o->read = 1;
	o->rc = rc;
	o->e = *e;
	if (rc == KR_OK) {
		o->text = xmalloc(sr->text.len + 1);
		memcpy(o->text, sr->text.data, sr->text.len);
		o->len = sr->text.len;
	}
}

/* What keep_once kept of the i-th file, into sr->text and e. */
static int
take_once(struct spoolrun *sr, size_t i, struct kerr *e)
{
	struct once *o = &sr->once[i];
	int rc = o->rc;

	*e = o->e;
	buf_reset(&sr->text);
	if (rc == KR_OK)
		rc = buf_add(&sr->text, o->text, o->len);
	free(o->text);
	o->text = NULL;
	return rc;
}

static void
collect_refunds(struct spoolrun *sr)
{
	char path[PATH_MAX];
	struct kerr e;
	size_t i;
	int rc;

	for (i = 0; i < sr->files.n; i++) {
		const char *name = sr->files.names[i];

		kerr_clear(&e);
		if (set_file(sr, name) != KR_OK ||
		    (sr->platform != PLATFORM_UNKNOWN &&
		    sr->platform != PLATFORM_WOOCOMMERCE))
			continue;
		if (sr->named ? snprintf(path, sizeof(path), "%s", name) < 0 :
		    tenant_path(&sr->t, name, path, &e) != KR_OK)
			continue;
		rc = load_file(sr, path, &e);
		if (sr->text_once)
			keep_once(sr, i, rc, &e);
		if (rc != KR_OK ||
		    !maybe_refund(sr->text.data, sr->text.len < SNIFF_BYTES ?
		    sr->text.len : SNIFF_BYTES))
			continue;
		if (jstream_bytes(&sr->js, sr->text.data, sr->text.len,
		    import_envelope_keys, take_refund, sr, &e) == KR_OK) {
			sr->consumed[i] = 1;
			sr->n_refunds++;
		}
	}
}

/* A refund whose order is not invoiced stays in the spool. */
static void
refund_waits(struct spoolrun *sr, const struct pooled_refund *r,
    const char *shop)
{
	struct kerr e;

	kerr_clear(&e);
	sr->n_waiting_refunds++;
	if (sr->look != NULL && state_is_set_aside(sr->look, shop,
	    r->order_id, &e) == KR_OK) {
		msg_warn("%s: refund of order %s: the order was set aside "
		    "before it was invoiced, so the refund needs no credit "
		    "note; take the file out of the spool", r->file,
		    r->order_id);
		return;
	}
	msg_warn("%s: refund of order %s waits in the spool: the order is "
	    "not invoiced yet", r->file, r->order_id);
}

static void
refund_failed(void *arg, const struct pooled_refund *r, struct kerr *e)
{
	struct spoolrun *sr = arg;

	(void)r;
	msg_error(e);
	sr->n_rejected++;
}

/* The refund files joined into o become part of its source. */
static void
attach_refunds(struct spoolrun *sr, struct order *o)
{
	const struct pooled_refund *r;
	size_t i;

	if (refund_pool_attach(&sr->pool, o, refund_failed, sr) == 0)
		return;
	for (i = 0; (r = refund_pool_at(&sr->pool, i)) != NULL; i++)
		if (r->used && strcmp(r->order_id, o->order_id) == 0 &&
		    strcmp(r->file, sr->file) != 0)
			order_add_source(o, r->file);
}

static int
write_order(struct spoolrun *sr, struct order *o, const char *path)
{
	o->source_file = sr->file;
	o->source_path = path[0] != '\0' ? path : NULL;
	return order_write(o, &sr->held);
}

/*
 * 1, with e set, when the current file has held an order before this one
 * at where.  A spool file holds one order: kontor-tax moves the file once
 * its order is numbered, which would carry any other order of the file
 * along unread, and an order of the file that waits or is refused would
 * leave the spool with the numbered one.
 */
static int
another_order(struct spoolrun *sr, const char *where, struct kerr *e)
{
	if (++sr->file_orders == 1)
		return 0;
	kerr_set(e, KR_BAD_INPUT, "", "a spool file holds one order, and "
	    "this one holds another from %s on; split the file", where);
	return 1;
}

/* Pass 2: each order of the current file, mapped and held back. */
static int
take_order(void *arg, const struct jnode *elem, const char *path,
    struct kerr *e)
{
	struct spoolrun *sr = arg;
	struct order *o = &sr->o;
	enum payload_kind kind;
	enum platform p;
	int rc;

	if (detect(sr, elem, &p, &kind, e) != KR_OK)
		return file_fails(sr, e, path);
	if (kind == PAYLOAD_REFUND) {
		if (pool_refund(sr, p, elem, path, e) != KR_OK)
			return file_fails(sr, e, path);
		sr->n_refunds++;
		sr->file_refunds++;
		return KR_OK;
	}
	if (another_order(sr, path, e))
		return file_fails(sr, e, "");
	if (import_order(p, elem, sr->shop[0] ? sr->shop : NULL, o, e) !=
	    KR_OK)
		return file_fails(sr, e, path);
	/*
	 * A kontor order record in a shop folder is the order of this file
	 * alone.  The files its record names besides were joined in by
	 * another reading; moved with this order, they would take along a
	 * waiting refund, or an order file this run has not read yet.
	 */
	if (p == PLATFORM_CANONICAL) {
		o->source_also = NULL;
		o->nsource_also = 0;
	}
	attach_refunds(sr, o);
	rc = write_order(sr, o, path);
	if (rc == KR_BAD_INPUT) {
		kerr_set(e, rc, "", "the order record would hold text that is "
		    "not valid UTF-8");
		return file_fails(sr, e, path);
	}
	if (rc != KR_OK) {
		kerr_set(e, KR_TOO_BIG, "", "the order record is too large");
		return file_fails(sr, e, path);
	}
	sr->n_orders++;
	sr->whole = path[0] == '\0';
	return KR_OK;
}

/*
 * Moves a refused spool entry (a file, or an odd entry when odd is not
 * NULL) to rejected/ and records why.  kontor-spool takes no tenant
 * lock, so the spool of another pipe may refuse the same entry at the
 * same time: the state database's write transaction makes the move and
 * the record one step, and the second finds the entry gone and records
 * nothing.  The error lines held for the entry are said only by the run
 * that moves it: for the other it is not a refusal at all, and they are
 * dropped.  KR_NOT_FOUND when another run has taken the entry.
 */
static int
reject_entry(struct spoolrun *sr, const char *file, const char *shop,
    const struct spool_odd *odd, const char *text)
{
	struct kerr e;
	int rc = KR_OK, txn = 0;

	kerr_clear(&e);
	if (sr->st != NULL && !sr->named) {
		txn = state_begin(sr->st, &e) == KR_OK;
		if (!txn)
			msg_error(&e);
	}
	kerr_clear(&e);
	if (!sr->named)
		rc = odd != NULL ? spool_reject_odd(&sr->t, odd, text, &e) :
		    spool_reject(&sr->t, file, text, &e);
	if (rc == KR_NOT_FOUND) {
		end_held(sr, 0);
		msg_note("%s: %s", file, e.msg);
		if (txn)
			state_rollback(sr->st);
		return rc;
	}
	end_held(sr, 1);
	if (rc != KR_OK)
		msg_error(&e);
	else if (!sr->named)
		msg_note("%s moved to rejected/", file);

	kerr_clear(&e);
	if (sr->st != NULL) {
		rc = state_reject(sr->st, sr->run.id, "spool", file, shop,
		    NULL, text, &e);
		if (rc == KR_OK && txn)
			rc = state_commit(sr->st, &e);
		if (rc != KR_OK)
			msg_error(&e);
		txn = txn && rc != KR_OK;
	}
	if (txn)
		state_rollback(sr->st);
	return KR_OK;
}

/*
 * Moves a refused spool file aside and records why.  A file that another
 * run has taken is counted as neither read nor refused: as one gone
 * before it was read.
 */
static void
reject_file(struct spoolrun *sr)
{
	char text[KERR_TEXT_MAX];
	struct spool_odd odd;

	sr->n_rejected++;
	if (sr->preview) {
		end_held(sr, 1);
		return;
	}
	kerr_format(&sr->file_err, text, sizeof(text));
	/* What is no regular file is moved as the listing moves one. */
	memset(&odd, 0, sizeof(odd));
	odd.kind = SPOOL_ODD_TYPE;
	odd.name = (char *)sr->file;
	if (reject_entry(sr, sr->file, sr->shop, sr->not_regular ? &odd :
	    NULL, text) == KR_NOT_FOUND) {
		sr->n_rejected--;
		sr->n_files--;
	}
}

/* The one order of a plain CSV spool file (see another_order). */
static int
take_plain(void *arg, struct order *o, struct kerr *e)
{
	struct spoolrun *sr = arg;
	int rc;

	if (o == NULL)
		return file_fails(sr, e, "");
	if (another_order(sr, o->source_path, e))
		return file_fails(sr, e, "");
	rc = write_order(sr, o, o->source_path);
	if (rc != KR_OK) {
		kerr_set(e, rc, "", "the order record is not valid or too "
		    "large");
		return file_fails(sr, e, "");
	}
	sr->n_orders++;
	return KR_OK;
}

/* Reads sr->text as the plain import when it is one; 1 when it was. */
static int
read_plain(struct spoolrun *sr, struct kerr *e)
{
	int csv = import_is_csv_text(sr->text.data, sr->text.len);
	FILE *fp;
	int rc;

	if (sr->platform != PLATFORM_PLAIN &&
	    (sr->platform != PLATFORM_UNKNOWN || !csv))
		return 0;
	if (sr->text.len == 0) {
		kerr_set(e, KR_BAD_INPUT, "", "an empty file: expected the "
		    "CSV of one order");
	} else if (!csv) {
		kerr_set(e, KR_BAD_INPUT, "", "a JSON file in the spool of "
		    "shop %s, which is a plain (CSV) shop", sr->shop);
	} else if ((fp = fmemopen(sr->text.data, sr->text.len, "r")) ==
	    NULL) {
		kerr_set(e, KR_IO, "", "cannot read: %s", strerror(errno));
	} else {
		rc = plain_read(fp, 1, sr->shop[0] ? sr->shop : NULL, &sr->o,
		    take_plain, sr, e);
		fclose(fp);
		if (rc == KR_OK && sr->file_orders == 0 && !sr->file_failed)
			rc = kerr_set(e, KR_BAD_INPUT, "", "the file holds no "
			    "order, only a header");
		if (rc == KR_OK)
			return 1;
	}
	file_fails(sr, e, "");
	return 1;
}

static void
read_file(struct spoolrun *sr, size_t i)
{
	const char *name = sr->files.names[i];
	char path[PATH_MAX];
	struct kerr e;
	int rc;

	kerr_clear(&e);
	if (set_file(sr, name) != KR_OK)
		return;
	sr->n_files++;
	if (sr->named)
		snprintf(path, sizeof(path), "%s", name);
	else if (tenant_path(&sr->t, name, path, &e) != KR_OK) {
		file_fails(sr, &e, "");
		reject_file(sr);
		return;
	}
	rc = sr->named && sr->once[i].read ? take_once(sr, i, &e) :
	    load_file(sr, path, &e);
	if (rc == KR_NOT_FOUND && !sr->named) {
		/*
		 * Gone since the listing: a kontor-tax of another pipe has
		 * invoiced and archived it.  Nothing of it is ours to do.
		 */
		msg_note("%s: gone since the spool was listed; another run "
		    "has taken it", sr->file);
		sr->n_files--;
		return;
	}
	if (rc == KR_OK && !read_plain(sr, &e)) {
		rc = jstream_bytes(&sr->js, sr->text.data, sr->text.len,
		    import_envelope_keys, take_order, sr, &e);
		/* An empty array or list would wait in the spool unsaid. */
		if (rc == KR_OK && sr->file_orders == 0 &&
		    sr->file_refunds == 0 && !sr->file_failed) {
			kerr_set(&e, KR_BAD_INPUT, "", "the file holds no "
			    "order and no refund");
			file_fails(sr, &e, "");
		}
	}
	if (rc != KR_OK)
		file_fails(sr, &e, "");
	if (sr->file_failed) {
		reject_file(sr);
		return;
	}
	/*
	 * sr->o still holds the file's one order when it was the whole
	 * document: the element of a list lives only while it is mapped.
	 */
	put(sr, &sr->pending, sr->file_orders == 1 && sr->whole ? &sr->o :
	    NULL);
}

/*
 * What the spool holds besides new order files.  A file with a name
 * kontor cannot use, and anything in a shop folder that is no regular
 * file, is moved to rejected/ like a bad order; a folder that is not a
 * shop is left alone, and said again on every run.
 */
static void
report_odd(struct spoolrun *sr)
{
	char text[KERR_TEXT_MAX], file[UTF8_ESCAPED_MAX(KERR_FILE_MAX)];
	char shop[KERR_FILE_MAX];
	const struct spool_odd *odd;
	size_t i;

	for (i = 0; i < sr->files.nodd; i++) {
		odd = &sr->files.odd[i];
		if (odd->kind == SPOOL_ODD_FOLDER) {
			msg_error(&odd->err);
			sr->n_unread++;
			continue;
		}
		if (sr->preview) {
			msg_error(&odd->err);
			sr->n_rejected++;
			continue;
		}
		kerr_format(&odd->err, text, sizeof(text));
		utf8_escape(odd->name, file, sizeof(file));
		snprintf(shop, sizeof(shop), "%.*s",
		    (int)strcspn(odd->name + strlen("spool/"), "/"),
		    odd->name + strlen("spool/"));
		hold(sr, &odd->err);
		if (reject_entry(sr, file, shop, odd, text) != KR_NOT_FOUND)
			sr->n_rejected++;
	}
}

/* The shop of a pooled refund's file, as set_file finds it. */
static int
refund_shop(struct spoolrun *sr, const struct pooled_refund *r, char *shop,
    size_t size)
{
	struct kerr e;

	kerr_clear(&e);
	if (sr->named) {
		snprintf(shop, size, "%s", sr->shop_opt ? sr->shop_opt :
		    platform_name(r->platform));
		return KR_OK;
	}
	return spool_shop_of(r->file, shop, size, &e);
}

/*
 * Fills o, which holds no order, with what the stored invoice of the
 * refund's order says: its key, number, currency and price basis (Mode
 * G invoices are made from gross prices).
 */
static int
order_of_invoice(struct spoolrun *sr, const struct stored_invoice *si,
    const char *shop, const struct pooled_refund *r, struct order *o,
    struct kerr *e)
{
	const char *cur, *mode, *number;

	if (jdoc_parse(&sr->doc, si->json, si->json_len, e) != KR_OK)
		return kerr_set(e, KR_STATE, "", "the stored invoice %s does "
		    "not read back", si->number);
	cur = jstr(jget(sr->doc.root, "currency"));
	mode = jstr(jget(sr->doc.root, "mode"));
	number = jstr(jget(sr->doc.root, "order_number"));
	order_reset(o);
	o->shop = order_strdup(o, shop);
	o->platform = platform_name(r->platform);
	o->order_id = order_strdup(o, r->order_id);
	o->order_number = order_strdup(o, number ? number : r->order_id);
	o->source_file = r->file;
	o->source_path = r->path[0] != '\0' ? r->path : NULL;
	o->prices = mode != NULL && mode[0] == 'G' ? PRICES_GROSS :
	    PRICES_NET;
	return order_set_currency(o, cur ? cur : "", "currency", e);
}

/*
 * A refund whose order was not among the new files: a refund record
 * when the order was invoiced, else it waits in the spool.
 */
static void
lone_refund(struct spoolrun *sr, size_t i, const struct pooled_refund *r)
{
	struct stored_invoice si;
	struct refund *rf;
	char shop[128] = "";
	struct kerr e;
	int rc = KR_NOT_FOUND;

	kerr_clear(&e);
	memset(&si, 0, sizeof(si));
	if (sr->look != NULL &&
	    refund_shop(sr, r, shop, sizeof(shop)) == KR_OK)
		rc = state_find_invoice(sr->look, shop, r->order_id, "380",
		    NULL, &si, &e);
	if (rc == KR_NOT_FOUND) {
		refund_waits(sr, r, shop);
		return;
	}
	if (rc == KR_OK)
		rc = order_of_invoice(sr, &si, shop, r, &sr->o, &e);
	stored_invoice_release(&si);
	if (rc == KR_OK && (rc = refund_pool_map(&sr->pool, i, &sr->o, &rf,
	    &e)) != KR_OK) {
		refund_failed(sr, r, &e);
		return;
	}
	if (rc == KR_OK && (rc = refund_record_write(&sr->o, rf,
	    &sr->out)) != KR_OK)
		kerr_set(&e, rc, "", "the refund record cannot be written");
	if (rc != KR_OK) {
		msg_error(&e);
		sr->fatal = kerr_exit_status(rc);
		return;
	}
	put(sr, &sr->outbuf, NULL);
}

static void
write_lone_refunds(struct spoolrun *sr)
{
	const struct pooled_refund *r;
	size_t i;

	for (i = 0; (r = refund_pool_at(&sr->pool, i)) != NULL; i++)
		if (!r->used && !r->failed)
			lone_refund(sr, i, r);
}

/* Returns status, or EX_KIOERR when the row cannot be written. */
static int
write_audit(struct spoolrun *sr, int argc, char **argv, int status)
{
	char counts[256];
	struct kerr e;

	if (sr->st == NULL)
		return status;
	/* read: the order files read, refused ones included */
	snprintf(counts, sizeof(counts), "read=%ld orders=%ld refunds=%ld "
	    "rejected=%ld refunds_waiting=%ld", sr->n_files, sr->n_orders,
	    sr->n_refunds, sr->n_rejected, sr->n_waiting_refunds);
	kerr_clear(&e);
	if (state_audit_command(sr->st, sr->run.id, sr->run.time_utc, argc,
	    argv, counts, "", status, &e) != KR_OK) {
		msg_error(&e);
		return kerr_worse_status(status, EX_KIOERR);
	}
	return status;
}

static int
list_files(struct spoolrun *sr, int argc, char **argv)
{
	struct kerr e;
	int i;

	kerr_clear(&e);
	if (argc == 0)
		return spool_scan(&sr->t, import_platforms, &sr->files, &e) ==
		    KR_OK ? KR_OK : (msg_error(&e), e.code);
	sr->named = 1;
	sr->files.names = xcalloc((size_t)argc, sizeof(char *));
	for (i = 0; i < argc; i++)
		sr->files.names[sr->files.n++] = xstrdup(argv[i]);
	return KR_OK;
}

/*
 * Files named on the command line belong to the shop --shop names, which
 * must be one whose folder spool_scan would read: any other name would
 * become a second key for the same orders.
 */
static int
check_shop_opt(struct spoolrun *sr)
{
	struct kerr e;

	kerr_clear(&e);
	if (sr->shop_opt == NULL || spool_shop_known(&sr->t, import_platforms,
	    sr->shop_opt, &e) == KR_OK)
		return 0;
	msg_errorf("--shop %s: %s", sr->shop_opt, e.msg);
	return EX_KUSAGE;
}

static int
open_to_read(struct spoolrun *sr, struct kerr *e)
{
	char path[PATH_MAX];

	if (tenant_path(&sr->t, STATE_FILE, path, e) != KR_OK)
		return e->code;
	if (access(path, F_OK) != 0)
		return KR_OK;
	return state_open(&sr->look, sr->t.dir, e);
}

static int
start(struct spoolrun *sr, const char *tenant)
{
	struct kerr e;
	int status;

	kerr_clear(&e);
	if ((sr->preview ? tenant_open_preview(&sr->t, tenant, &e) :
	    tenant_open(&sr->t, tenant, &e)) != KR_OK) {
		msg_error(&e);
		return kerr_exit_status(e.code);
	}
	if (import_check_shops(&sr->t.cfg, &e) != KR_OK) {
		msg_error(&e);
		tenant_close(&sr->t);
		return kerr_exit_status(e.code);
	}
	if ((status = check_shop_opt(sr)) != 0) {
		tenant_close(&sr->t);
		return status;
	}
	/* A preview creates no database; it reads one that is there. */
	if ((!sr->preview && state_open(&sr->st, sr->t.dir, &e) != KR_OK) ||
	    (sr->preview && open_to_read(sr, &e) != KR_OK) ||
	    run_start(&sr->run, sr->t.name, sr->t.cfg.timezone, &e) !=
	    KR_OK ||
	    (sr->st != NULL && state_fresh_run_id(sr->st, sr->run.id,
	    sizeof(sr->run.id), &e) != KR_OK)) {
		msg_error(&e);
		state_close(sr->st);
		state_close(sr->look);
		tenant_close(&sr->t);
		return kerr_exit_status(e.code);
	}
	if (sr->st != NULL)
		sr->look = sr->st;
	sr->opened = 1;
	if (run_write(&sr->run, &sr->out) != KR_OK) {
		msg_errorf("cannot write the run record");
		return EX_KSOFTWARE;
	}
	put(sr, &sr->outbuf, NULL);
	return sr->fatal;
}

int
spoolrun_open(struct spoolrun **srp, const struct spool_opts *o,
    const struct spool_sink *sink)
{
	struct spoolrun *sr;
	int status, rc;

	*srp = NULL;
	sr = xcalloc(1, sizeof(*sr));
	sr->sink = sink;
	sr->preview = o->preview;
	sr->shop_opt = o->shop_opt;
	sr->noatime = 1;
	buf_init(&sr->outbuf, 0);
	rec_out_init_buf(&sr->out, &sr->outbuf);
	refund_pool_init(&sr->pool);
	order_init(&sr->o);
	jdoc_init(&sr->doc);
	jstream_init(&sr->js);
	buf_init(&sr->pending, 0);
	buf_init(&sr->text, SPOOL_FILE_MAX);
	buf_init(&sr->held_errors, HELD_MAX);
	rec_out_init_buf(&sr->held, &sr->pending);
	status = start(sr, o->tenant);
	if (status == 0 && (rc = list_files(sr, o->nfiles, o->files)) !=
	    KR_OK)
		status = kerr_exit_status(rc);
	if (status != 0) {
		spoolrun_close(sr, 0, NULL, -1);
		return status;
	}
	sr->consumed = xcalloc(sr->files.n + 1, 1);
	if (sr->named)
		sr->once = xcalloc(sr->files.n + 1, sizeof(*sr->once));
	*srp = sr;
	return 0;
}

int
spoolrun_read(struct spoolrun *sr)
{
	size_t i;

	report_odd(sr);
	collect_refunds(sr);
	for (i = 0; i < sr->files.n && !sr->fatal; i++)
		if (!sr->consumed[i])
			read_file(sr, i);
	write_lone_refunds(sr);

	msg_info("%ld file%s: %ld order%s, %ld refund%s, %ld rejected",
	    sr->n_files + sr->n_refunds, sr->n_files + sr->n_refunds == 1 ?
	    "" : "s", sr->n_orders, sr->n_orders == 1 ? "" : "s",
	    sr->n_refunds, sr->n_refunds == 1 ? "" : "s", sr->n_rejected);
	return sr->fatal ? sr->fatal : sr->n_rejected > 0 ||
	    sr->n_unread > 0 ? EX_REJECTED : 0;
}

/* A status of -1: the run did not start, and has no audit row. */
int
spoolrun_close(struct spoolrun *sr, int argc, char **argv, int status)
{
	size_t i;

	if (sr == NULL)
		return status;
	if (status >= 0)
		status = write_audit(sr, argc, argv, status);
	free(sr->consumed);
	if (sr->once != NULL)
		for (i = 0; i < sr->files.n; i++)
			free(sr->once[i].text);
	free(sr->once);
	rec_out_release(&sr->held);
	buf_release(&sr->pending);
	buf_release(&sr->text);
	buf_release(&sr->held_errors);
	if (sr->spill != NULL)
		fclose(sr->spill);
	jdoc_release(&sr->doc);
	jstream_release(&sr->js);
	order_release(&sr->o);
	refund_pool_release(&sr->pool);
	spool_list_release(&sr->files);
	rec_out_release(&sr->out);
	buf_release(&sr->outbuf);
	/* What start opened and could not go on with, it closed itself. */
	if (sr->opened) {
		if (sr->look != sr->st)
			state_close(sr->look);
		state_close(sr->st);
		tenant_close(&sr->t);
	}
	free(sr);
	return status;
}

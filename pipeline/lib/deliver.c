#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "deliver.h"
#include "fs.h"
#include "sha256.h"

#define MANIFEST	"MANIFEST"
#define TMP_PREFIX	".tmp-"
/* The unlinked file of document keys, while it is being created. */
#define DOCS_FILE	".docs"
/* How many document keys go to the ledger in one call. */
#define DOCS_CHUNK	256
/* How many ids deliver_begin tries for one run and channel. */
#define ID_TRIES	1000

/* Names */

/* Letters, digits, '-', '_' and, past the first byte, '.'. */
static int
plain_word(const char *s, size_t max)
{
	size_t n = strlen(s), i;

	if (n == 0 || n > max || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '-' || s[i] == '_' || s[i] == '.'))
			return 0;
	return 1;
}

/*
 * A file name a delivery may hold: no slash, no leading dot, no space
 * or control character (the MANIFEST separates its fields by spaces).
 */
static int
valid_file_name(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '\0' || *p == '.' || strlen(s) > NAME_MAX)
		return 0;
	for (; *p != '\0'; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '/')
			return 0;
	return 1;
}

/* A document key for the MANIFEST: one line, no control characters. */
static int
valid_doc_key(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	if (*p == '\0')
		return 0;
	for (; *p != '\0'; p++)
		if (*p < ' ' || *p == 0x7f)
			return 0;
	return 1;
}

/*
 * DIR/top/<prefix><id>[/name] into out.  top is "out" or "archive",
 * prefix "" or TMP_PREFIX, name NULL for the folder itself.
 */
static int
deliver_path(char out[PATH_MAX], const struct tenant *t, const char *top,
    const char *prefix, const char *id, const char *name)
{
	int n;

	n = snprintf(out, PATH_MAX, "%s/%s/%s%s%s%s", t->dir, top, prefix,
	    id, name != NULL ? "/" : "", name != NULL ? name : "");
	if (n < 0 || n >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return KR_IO;
	}
	return KR_OK;
}

/* DIR/top ("out" or "archive") into out. */
static int
top_path(char out[PATH_MAX], const struct tenant *t, const char *top)
{
	if (snprintf(out, PATH_MAX, "%s/%s", t->dir, top) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return KR_IO;
	}
	return KR_OK;
}

/*
 * A failure in the tenant's folder top ("out" or "archive"), at the
 * delivery id ("" for top itself), named by its whole path, so that a
 * job running many tenants tells whose it is.
 */
static int
fail_io(struct kerr *e, const struct tenant *t, const char *top,
    const char *id, const char *what)
{
	char where[KERR_FILE_MAX];
	int saved = errno, n;

	n = snprintf(where, sizeof(where), "%s/%s%s%s", t->dir, top,
	    id[0] != '\0' ? "/" : "", id);
	/* A tenant too deep for a message is left out of it. */
	if (n < 0 || (size_t)n >= sizeof(where))
		snprintf(where, sizeof(where), "%s%s%.*s", top,
		    id[0] != '\0' ? "/" : "", DELIVER_ID_MAX, id);
	kerr_where(e, where, 0);
	return kerr_set(e, KR_IO, "", "%s: %s", what, strerror(saved));
}

/* Finishing: steps 3 and 4, also for deliver_settle */

/* archive/<id>/name is a hard link of out/<id>/name already. */
static int
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return lstat(a, &sa) == 0 && lstat(b, &sb) == 0 &&
	    sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/*
 * archive/<id>/name holds f's bytes already, as a file of its own: a
 * tenant copied or restored without its hard links (cp -R, rsync
 * without -H) has the delivered files twice.
 */
static int
same_bytes(const char *path, const struct delivery_file *f)
{
	char hex[SHA256_HEX];
	struct stat st;

	return lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    st.st_size == f->size_bytes &&
	    sha256_file_hex(path, hex) == KR_OK &&
	    strcmp(hex, f->sha256) == 0;
}

static int
archive_file(const struct tenant *t, const char *id,
    const struct delivery_file *f)
{
	char src[PATH_MAX], dst[PATH_MAX];

	if (!valid_file_name(f->name)) {
		errno = EINVAL;
		return KR_IO;
	}
	if (deliver_path(src, t, "out", "", id, f->name) != KR_OK ||
	    deliver_path(dst, t, "archive", "", id, f->name) != KR_OK)
		return KR_IO;
	if (chmod(src, 0444) != 0)
		return KR_IO;
	if (link(src, dst) == 0)
		return KR_OK;
	if (errno == EEXIST && (same_file(src, dst) || same_bytes(dst, f)))
		return KR_OK;
	return KR_IO;
}

/* Makes every file read-only and hard-links it into archive/<id>/. */
int
deliver_archive(const struct tenant *t, const char *id,
    const struct delivery_file *files, size_t nfiles, struct kerr *e)
{
	char dir[PATH_MAX], top[PATH_MAX];
	size_t i;

	if (deliver_path(dir, t, "archive", "", id, NULL) != KR_OK ||
	    fs_mkdir(dir, 0755, NULL) != KR_OK)
		return fail_io(e, t, "archive", id,
		    "cannot create the archive folder");
	for (i = 0; i < nfiles; i++)
		if (archive_file(t, id, &files[i]) != KR_OK)
			return fail_io(e, t, "archive", id, "cannot archive a "
			    "delivered file");
	if (top_path(top, t, "archive") != KR_OK ||
	    fs_sync_dir(dir) != KR_OK || fs_sync_dir(top) != KR_OK)
		return fail_io(e, t, "archive", id,
		    "cannot fsync the archive");
	return KR_OK;
}

/* Step 3: renames out/.tmp-<id> to out/<id> and fsyncs out/. */
static int
deliver_publish(const struct tenant *t, const char *id, struct kerr *e)
{
	char tmp[PATH_MAX], dst[PATH_MAX], out[PATH_MAX];

	if (deliver_path(tmp, t, "out", TMP_PREFIX, id, NULL) != KR_OK ||
	    deliver_path(dst, t, "out", "", id, NULL) != KR_OK ||
	    rename(tmp, dst) != 0)
		return fail_io(e, t, "out", id,
		    "cannot move the delivery into place");
	if (top_path(out, t, "out") != KR_OK || fs_sync_dir(out) != KR_OK)
		return fail_io(e, t, "out", id, "cannot fsync out/");
	return KR_OK;
}

/*
 * Renames out/.tmp-<id> to out/<id> unless renamed says that happened,
 * archives the files and marks the delivery done.  The archive comes
 * before the mark, so that a done delivery is always archived: a crash
 * in between leaves a pending row whose folder exists, which
 * deliver_settle finishes.
 */
static int
deliver_finish(const struct tenant *t, struct state *st, const char *id,
    const struct delivery_file *files, size_t nfiles, int renamed,
    struct kerr *e)
{
	int rc;

	rc = renamed ? KR_OK : deliver_publish(t, id, e);
	if (rc == KR_OK)
		rc = deliver_archive(t, id, files, nfiles, e);
	if (rc != KR_OK)
		return rc;
	return state_delivery_done(st, id, e);
}

/* Starting a delivery and writing its files */

/*
 * 1 when id is in use: a folder, a temp folder, an archive or a ledger
 * row; -1 when the ledger cannot be read.
 */
static int
id_taken(const struct tenant *t, struct state *st, const char *id)
{
	char path[PATH_MAX];

	if (deliver_path(path, t, "out", "", id, NULL) != KR_OK ||
	    fs_exists(path) != 0)
		return 1;
	if (deliver_path(path, t, "out", TMP_PREFIX, id, NULL) != KR_OK ||
	    fs_exists(path) != 0)
		return 1;
	if (deliver_path(path, t, "archive", "", id, NULL) != KR_OK ||
	    fs_exists(path) != 0)
		return 1;
	return state_delivery_known(st, id);
}

/*
 * Opens the file that keeps the document keys: made in the temp folder
 * and unlinked at once, so that it goes with the last close and a crash
 * leaves nothing of it.
 */
static int
docs_open(struct delivery *d, struct kerr *e)
{
	char path[PATH_MAX];
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", d->tmp_dir, DOCS_FILE) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return fail_io(e, d->t, "out", d->id,
		    "cannot keep the documents");
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0600);
	if (fd != -1 && unlink(path) == 0)
		d->docs = fdopen(fd, "w+");
	if (d->docs == NULL) {
		if (fd != -1)
			close(fd);
		return fail_io(e, d->t, "out", d->id,
		    "cannot keep the documents");
	}
	return KR_OK;
}

static int
deliver_pick_id(struct delivery *d, struct kerr *e)
{
	char path[PATH_MAX];
	int i, n, taken;

	for (i = 1; i <= ID_TRIES; i++) {
		if (i == 1)
			n = snprintf(d->id, sizeof(d->id), "%s-%s",
			    d->run_id, d->channel);
		else
			n = snprintf(d->id, sizeof(d->id), "%s-%s-%d",
			    d->run_id, d->channel, i);
		if (n < 0 || (size_t)n >= sizeof(d->id))
			return kerr_set(e, KR_BAD_INPUT, "run_id", "run id "
			    "\"%s\" makes a delivery id longer than %d "
			    "characters", d->run_id, DELIVER_ID_MAX - 1);
		taken = id_taken(d->t, d->st, d->id);
		if (taken < 0)
			return kerr_set(e, KR_STATE, "", "cannot read the "
			    "delivery ledger");
		if (taken)
			continue;
		if (deliver_path(path, d->t, "out", TMP_PREFIX, d->id,
		    NULL) != KR_OK)
			return fail_io(e, d->t, "out", d->id,
			    "cannot name the delivery folder");
		if (mkdir(path, 0755) == 0) {
			memcpy(d->tmp_dir, path, sizeof(d->tmp_dir));
			return docs_open(d, e);
		}
		if (errno != EEXIST)
			return fail_io(e, d->t, "out", d->id,
			    "cannot create the delivery folder");
	}
	return kerr_set(e, KR_STATE, "", "no free delivery id for run %s "
	    "on channel %s", d->run_id, d->channel);
}

int
deliver_begin(struct delivery *d, const struct tenant *t,
    struct state *st, const char *run_id, const char *channel,
    struct kerr *e)
{
	memset(d, 0, sizeof(*d));
	d->t = t;
	d->st = st;
	if (!plain_word(channel, sizeof(d->channel) - 1))
		return kerr_set(e, KR_BAD_INPUT, "channel", "expected a "
		    "channel name like \"datev\", got \"%.40s\"", channel);
	if (!plain_word(run_id, sizeof(d->run_id) - 1))
		return kerr_set(e, KR_BAD_INPUT, "run_id", "expected a run id "
		    "like \"20261204T020000Z\", got \"%.60s\"", run_id);
	memcpy(d->channel, channel, strlen(channel) + 1);
	memcpy(d->run_id, run_id, strlen(run_id) + 1);
	return deliver_pick_id(d, e);
}

static FILE *
file_create(struct delivery *d, const char *name, struct kerr *e)
{
	char path[PATH_MAX];
	FILE *fp;
	int fd;

	if (snprintf(path, sizeof(path), "%s/%s", d->tmp_dir, name) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		fail_io(e, d->t, "out", d->id,
		    "cannot create a delivery file");
		return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	fp = fd == -1 ? NULL : fdopen(fd, "w");
	if (fp == NULL) {
		if (fd != -1)
			close(fd);
		fail_io(e, d->t, "out", d->id,
		    "cannot create a delivery file");
	}
	return fp;
}

/* KR_OK when d may take one more file named name. */
static int
file_allowed(const struct delivery *d, const char *name, struct kerr *e)
{
	if (!valid_file_name(name) || strcmp(name, MANIFEST) == 0)
		return kerr_set(e, KR_BAD_INPUT, "", "\"%.100s\" cannot name "
		    "a delivered file: expected a plain name without spaces, "
		    "not starting with a dot, not MANIFEST", name);
	if (d->nfiles + 1 >= DELIVER_FILES_MAX)
		return kerr_set(e, KR_TOO_BIG, "", "a delivery holds at most "
		    "%d files", DELIVER_FILES_MAX - 1);
	return KR_OK;
}

FILE *
deliver_open_file(struct delivery *d, const char *name, struct kerr *e)
{
	if (file_allowed(d, name, e) != KR_OK)
		return NULL;
	return file_create(d, name, e);
}

/*
 * Flushes and closes fp (read-only from now on).  deliver_commit makes
 * all the files durable at once, before the ledger hears of them.
 */
static int
file_flush(FILE *fp)
{
	int fd = fileno(fp), rc = 0, saved;

	if (fflush(fp) != 0 || ferror(fp) || fchmod(fd, 0444) != 0)
		rc = -1;
	saved = errno;
	if (fclose(fp) != 0 && rc == 0)
		return -1;
	errno = saved;
	return rc;
}

/* Adds a written file to the delivery's list. */
static void
file_keep(struct delivery *d, const char *name,
    const char hex[SHA256_HEX], int64_t size)
{
	struct delivery_file *f;

	d->files = xreallocarray(d->files, d->nfiles + 1, sizeof(*d->files));
	f = &d->files[d->nfiles++];
	f->name = xstrdup(name);
	memcpy(f->sha256, hex, sizeof(f->sha256));
	f->size_bytes = size;
}

/* Hashes a file written through a stream, reading it back. */
static int
file_record(struct delivery *d, const char *path, const char *name)
{
	char hex[SHA256_HEX];
	struct stat st;

	if (sha256_file_hex(path, hex) != KR_OK || lstat(path, &st) != 0)
		return KR_IO;
	file_keep(d, name, hex, (int64_t)st.st_size);
	return KR_OK;
}

int
deliver_close_file(struct delivery *d, FILE *fp, const char *name,
    struct kerr *e)
{
	char path[PATH_MAX];
	int saved;

	if (snprintf(path, sizeof(path), "%s/%s", d->tmp_dir, name) >=
	    (int)sizeof(path))
		KBUG("deliver_close_file: \"%s\" was never opened", name);
	if (file_flush(fp) != 0 || file_record(d, path, name) != KR_OK) {
		saved = errno;
		unlink(path);
		errno = saved;
		return fail_io(e, d->t, "out", d->id,
		    "cannot write a delivery file");
	}
	return KR_OK;
}

/*
 * The bytes are hashed from memory, not read back as a stream's file
 * is: a read would come from the same page cache that took the write,
 * so it checks nothing more, and costs an open, a read and a close.
 */
int
deliver_put_file(struct delivery *d, const char *name, const void *data,
    size_t len, struct kerr *e)
{
	char path[PATH_MAX], hex[SHA256_HEX];
	struct sha256 s;
	int fd, rc, saved;

	if ((rc = file_allowed(d, name, e)) != KR_OK)
		return rc;
	if (snprintf(path, sizeof(path), "%s/%s", d->tmp_dir, name) >=
	    (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return fail_io(e, d->t, "out", d->id,
		    "cannot create a delivery file");
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd == -1)
		return fail_io(e, d->t, "out", d->id,
		    "cannot create a delivery file");
	if (fs_write_all(fd, data, len) != 0 || fchmod(fd, 0444) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		rc = -1;
	} else
		rc = close(fd);
	if (rc != 0) {
		saved = errno;
		unlink(path);
		errno = saved;
		return fail_io(e, d->t, "out", d->id,
		    "cannot write a delivery file");
	}
	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_hex(&s, hex);
	file_keep(d, name, hex, (int64_t)len);
	return KR_OK;
}

void
deliver_add_doc(struct delivery *d, const char *key)
{
	if (d->docs == NULL)
		KBUG("deliver_add_doc: delivery %s is not open", d->id);
	if (!valid_doc_key(key)) {
		if (d->bad_doc[0] == '\0')
			snprintf(d->bad_doc, sizeof(d->bad_doc), "%s",
			    key[0] != '\0' ? key : "\"\"");
		return;
	}
	fputs(key, d->docs);
	putc('\n', d->docs);
	d->ndocs++;
}

/*
 * Reads the next document key into *line (getline's buffer): 1 for a
 * key, 0 at the end.
 */
static int
docs_next(struct delivery *d, char **line, size_t *cap)
{
	ssize_t n = getline(line, cap, d->docs);

	if (n <= 0)
		return 0;
	if ((*line)[n - 1] == '\n')
		(*line)[n - 1] = '\0';
	return 1;
}

/* Back to the first key; KR_IO when a key could not be kept. */
static int
docs_rewind(struct delivery *d, struct kerr *e)
{
	if (fflush(d->docs) != 0 || ferror(d->docs) ||
	    fseek(d->docs, 0, SEEK_SET) != 0)
		return fail_io(e, d->t, "out", d->id,
		    "cannot keep the documents");
	return KR_OK;
}

/* Committing */

static int
manifest_write(struct delivery *d, struct kerr *e)
{
	char *line = NULL;
	size_t cap = 0, i;
	FILE *fp;

	if (d->bad_doc[0] != '\0')
		return kerr_set(e, KR_BAD_INPUT, "", "document key "
		    "\"%.60s\" is empty or holds a control character",
		    d->bad_doc);
	if (docs_rewind(d, e) != KR_OK)
		return KR_IO;
	fp = file_create(d, MANIFEST, e);
	if (fp == NULL)
		return KR_IO;
	fprintf(fp, "delivery %s\nrun %s\n", d->id, d->run_id);
	while (docs_next(d, &line, &cap))
		fprintf(fp, "doc %s %s\n", d->channel, line);
	free(line);
	for (i = 0; i < d->nfiles; i++)
		fprintf(fp, "file %s %lld %s\n", d->files[i].name,
		    (long long)d->files[i].size_bytes, d->files[i].sha256);
	return deliver_close_file(d, fp, MANIFEST, e);
}

/*
 * Records the document keys in the ledger, DOCS_CHUNK at a time, inside
 * the transaction of the pending row.
 */
static int
ledger_docs(struct delivery *d, struct delivery_row *row, struct kerr *e)
{
	char *key[DOCS_CHUNK], *line = NULL;
	size_t cap = 0, n = 0, i;
	int rc = docs_rewind(d, e), more = 1;

	while (rc == KR_OK && more) {
		more = docs_next(d, &line, &cap);
		if (more)
			key[n++] = xstrdup(line);
		if (n == DOCS_CHUNK || (!more && n > 0)) {
			row->docs = (const char *const *)key;
			row->ndocs = n;
			rc = state_delivery_docs(d->st, row, e);
			for (i = 0; i < n; i++)
				free(key[i]);
			n = 0;
		}
	}
	for (i = 0; i < n; i++)
		free(key[i]);
	free(line);
	return rc;
}

/* Step 2: the pending row, in a transaction of its own. */
static int
ledger_pending(struct delivery *d, struct kerr *e)
{
	struct delivery_row row = {
		.id = d->id, .channel = d->channel, .run_id = d->run_id,
		.files = d->files, .nfiles = d->nfiles,
	};
	int rc;

	rc = state_begin(d->st, e);
	if (rc != KR_OK)
		return rc;
	rc = state_delivery_pending(d->st, &row, e);
	if (rc == KR_OK)
		rc = ledger_docs(d, &row, e);
	if (rc == KR_OK)
		rc = state_commit(d->st, e);
	if (rc != KR_OK)
		state_rollback(d->st);
	return rc;
}

int
deliver_commit(struct delivery *d, int *delivered, struct kerr *e)
{
	int rc;

	*delivered = 0;
	if (d->ndocs == 0) {
		deliver_abort(d);
		return KR_OK;
	}
	rc = manifest_write(d, e);
	if (rc == KR_OK && fs_sync_folder(d->tmp_dir) != KR_OK)
		rc = fail_io(e, d->t, "out", d->id, "cannot make the delivery "
		    "durable");
	if (rc == KR_OK)
		rc = ledger_pending(d, e);
	if (rc != KR_OK) {
		deliver_abort(d);
		return rc;
	}

	/* From here on the ledger knows the delivery; whatever fails is
	 * finished by the next deliver_settle. */
	d->tmp_dir[0] = '\0';
	rc = deliver_finish(d->t, d->st, d->id, d->files, d->nfiles, 0, e);
	if (rc == KR_OK)
		*delivered = 1;
	return rc;
}

int
deliver_full(const struct delivery *d)
{
	return d->nfiles + 2 >= DELIVER_FILES_MAX;
}

void
deliver_abort(struct delivery *d)
{
	if (d->tmp_dir[0] != '\0')
		fs_remove_flat(d->tmp_dir);
	d->tmp_dir[0] = '\0';
}

void
deliver_release(struct delivery *d)
{
	size_t i;

	for (i = 0; i < d->nfiles; i++)
		free((char *)d->files[i].name);
	free(d->files);
	if (d->docs != NULL)
		fclose(d->docs);
	memset(d, 0, sizeof(*d));
}

/* Settling what a crash left */

struct settle {
	const struct tenant *t;
	struct state *st;
	struct kerr *e;
};

/* Every file of the ledger row is in the folder with its size and hash. */
static int
folder_complete(const char *dir, const struct delivery_file *files,
    size_t nfiles)
{
	char path[PATH_MAX], hex[SHA256_HEX];
	struct stat st;
	size_t i;

	for (i = 0; i < nfiles; i++) {
		if (!valid_file_name(files[i].name) ||
		    snprintf(path, sizeof(path), "%s/%s", dir,
		    files[i].name) >= (int)sizeof(path))
			return 0;
		if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
		    st.st_size != files[i].size_bytes ||
		    sha256_file_hex(path, hex) != KR_OK ||
		    strcmp(hex, files[i].sha256) != 0)
			return 0;
	}
	return 1;
}

static int
settle_one(void *arg, const char *id, const struct delivery_file *files,
    size_t nfiles)
{
	struct settle *s = arg;
	char dst[PATH_MAX], tmp[PATH_MAX];

	if (!plain_word(id, DELIVER_ID_MAX - 1))
		return kerr_set(s->e, KR_STATE, "", "the delivery ledger "
		    "holds a malformed delivery id \"%.80s\"", id);
	if (deliver_path(dst, s->t, "out", "", id, NULL) != KR_OK ||
	    deliver_path(tmp, s->t, "out", TMP_PREFIX, id, NULL) != KR_OK)
		return fail_io(s->e, s->t, "out", id,
		    "cannot name the delivery");

	if (fs_is_dir(dst))
		return deliver_finish(s->t, s->st, id, files, nfiles, 1,
		    s->e);
	if (fs_is_dir(tmp) && folder_complete(tmp, files, nfiles))
		return deliver_finish(s->t, s->st, id, files, nfiles, 0,
		    s->e);

	/* Neither folder is whole: the documents go out again. */
	if (fs_remove_flat(tmp) != KR_OK)
		return fail_io(s->e, s->t, "out", id,
		    "cannot remove an unfinished delivery");
	return state_delivery_drop(s->st, id, s->e);
}

/* Removes every out/.tmp-* folder; none has a pending row any more. */
static int
remove_orphans(const struct tenant *t, struct kerr *e)
{
	char out[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = KR_OK;

	d = top_path(out, t, "out") == KR_OK ? opendir(out) : NULL;
	if (d == NULL)
		return fail_io(e, t, "out", "", "cannot read out/");
	while (rc == KR_OK && (de = readdir(d)) != NULL) {
		if (strncmp(de->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", out, de->d_name) >=
		    (int)sizeof(path) || fs_remove_flat(path) != KR_OK)
			rc = fail_io(e, t, "out", de->d_name,
			    "cannot remove an unfinished delivery");
	}
	closedir(d);
	return rc;
}

int
deliver_lock(struct tenant *t, struct state *st, tenant_busy_fn *busy,
    void *arg, struct kerr *e)
{
	int rc;

	rc = tenant_lock_patiently(t, busy, arg, e);
	if (rc == KR_OK)
		rc = deliver_check_known(t, st, e);
	if (rc == KR_OK)
		rc = deliver_settle(t, st, e);
	return rc;
}

int
deliver_settle(const struct tenant *t, struct state *st, struct kerr *e)
{
	struct settle s = {t, st, e};
	int rc;

	rc = state_each_pending(st, settle_one, &s, e);
	if (rc != KR_OK)
		return rc;
	return remove_orphans(t, e);
}

/* Checks the delivery folders of top ("out" or "archive"). */
static int
check_known_in(const struct tenant *t, struct state *st, const char *top,
    struct kerr *e)
{
	char dir[PATH_MAX], path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = KR_OK, known;

	if (top_path(dir, t, top) != KR_OK)
		return fail_io(e, t, top, "", "path too long");
	d = opendir(dir);
	if (d == NULL && errno == ENOENT)
		return KR_OK;
	if (d == NULL)
		return fail_io(e, t, top, "", "cannot read the folder");
	while (rc == KR_OK && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || snprintf(path, sizeof(path),
		    "%s/%s", dir, de->d_name) >= (int)sizeof(path) ||
		    !fs_is_dir(path))
			continue;
		known = state_delivery_known(st, de->d_name);
		if (known == 1)
			continue;
		kerr_where(e, top, 0);
		rc = kerr_set(e, KR_STATE, "", known < 0 ? "cannot read the "
		    "delivery ledger for %s" : "delivery %s is not in the "
		    "state database, which may be older than %s/ (restored "
		    "from a backup?); numbering now would repeat numbers "
		    "already delivered; run `kontor recover`", de->d_name,
		    top);
	}
	closedir(d);
	return rc;
}

/*
 * Both out/ and archive/ count: out/ may have been cleaned, archive/
 * keeps every delivery for the whole retention period.
 */
int
deliver_check_known(const struct tenant *t, struct state *st,
    struct kerr *e)
{
	int rc = check_known_in(t, st, "out", e);

	if (rc == KR_OK)
		rc = check_known_in(t, st, "archive", e);
	return rc;
}

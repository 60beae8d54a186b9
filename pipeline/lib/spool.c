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
#include "fs.h"
#include "sha256.h"
#include "spool.h"
#include "utf8.h"

#define SPOOL_PREFIX	"spool/"
/* How many same-named files one cur/ month or rejected/ folder keeps. */
#define SPOOL_DUP_MAX	1000

/* A spool file name taken apart: spool/<shop>/<file>. */
struct spool_name {
	char shop[NAME_MAX + 1];
	char file[NAME_MAX + 1];
};

/* A set of folder paths. */
struct dirset {
	char **dir;
	size_t n, cap;
};

/* The folders spool_sync must fsync; see touch(). */
static struct dirset touched;

/*
 * A shop folder held open for the moves of a batch, and the cur/ month
 * folder its files go to: a night moves thousands of files, each with
 * one fstatat and one renameat2 relative to these, where each walked
 * the tenant's path three times.  Opened with the first move of a
 * batch, closed by spool_sync, so that none outlives its batch.
 */
struct held {
	char *path;		/* DIR/spool/<shop>, for messages */
	size_t dirlen;		/* of DIR in path */
	int fd;
	int cur;		/* cur/<month>, or -1 */
	char month[8];
	int changed;		/* HELD_SHOP, HELD_CUR: to fsync */
};

#define HELD_SHOP	1
#define HELD_CUR	2

static struct held *held;
static size_t nheld, capheld;

static int
is_reserved(const char *name)
{
	return strcmp(name, "tmp") == 0 || strcmp(name, "cur") == 0 ||
	    strcmp(name, "rejected") == 0;
}

/* NULL when file can be a spool file's name, else what is wrong. */
static const char *
file_name_problem(const char *file, char *buf, size_t size)
{
	size_t n = strlen(file);

	if (n > SPOOL_FILE_NAME_MAX) {
		snprintf(buf, size, "the file name is %zu bytes long, longer "
		    "than the %d bytes kontor takes", n, SPOOL_FILE_NAME_MAX);
		return buf;
	}
	if (!utf8_valid(file, n))
		return "the file name is not valid UTF-8";
	if (utf8_has_control(file, n))
		return "the file name holds control characters";
	return NULL;
}

/* Copies the component s[0..n) into out after checking it. */
static int
take_component(const char *s, size_t n, char out[NAME_MAX + 1])
{
	if (n == 0 || n > NAME_MAX || s[0] == '.' || memchr(s, '/', n))
		return 0;
	memcpy(out, s, n);
	out[n] = '\0';
	return 1;
}

static int
spool_name_parse(const char *name, struct spool_name *sn, struct kerr *e)
{
	const char *shop = NULL, *slash = NULL;
	char why[96];

	if (strncmp(name, SPOOL_PREFIX, strlen(SPOOL_PREFIX)) == 0) {
		shop = name + strlen(SPOOL_PREFIX);
		slash = strchr(shop, '/');
	}
	if (slash == NULL ||
	    !take_component(shop, (size_t)(slash - shop), sn->shop) ||
	    !take_component(slash + 1, strlen(slash + 1), sn->file) ||
	    is_reserved(sn->file) ||
	    file_name_problem(sn->file, why, sizeof(why)) != NULL) {
		kerr_where(e, name, 0);
		return kerr_set(e, KR_BAD_INPUT, "", "expected a spool file "
		    "name like \"spool/<shop>/<file>\", got \"%.200s\"", name);
	}
	return KR_OK;
}

int
spool_shop_of(const char *name, char *out, size_t size, struct kerr *e)
{
	struct spool_name sn;
	int rc;

	rc = spool_name_parse(name, &sn, e);
	if (rc != KR_OK)
		return rc;
	if (strlen(sn.shop) >= size) {
		kerr_where(e, name, 0);
		return kerr_set(e, KR_BAD_INPUT, "", "shop id \"%.100s\" is "
		    "longer than %zu characters", sn.shop, size - 1);
	}
	memcpy(out, sn.shop, strlen(sn.shop) + 1);
	return KR_OK;
}

/* Listing */

static void
list_add(struct spool_list *l, const char *shop, const char *file)
{
	size_t n = strlen(SPOOL_PREFIX) + strlen(shop) + strlen(file) + 2;
	char *s = xmalloc(n);

	snprintf(s, n, "%s%s/%s", SPOOL_PREFIX, shop, file);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->names = xreallocarray(l->names, l->cap, sizeof(*l->names));
	}
	l->names[l->n++] = s;
}

/* Adds an odd entry spool/<shop>/<file> (file NULL: spool/<shop>). */
static struct spool_odd *
odd_add(struct spool_list *l, enum spool_odd_kind kind, const char *shop,
    const char *file)
{
	struct spool_odd *o;
	struct buf b;
	size_t len;

	if (l->nodd == l->capodd) {
		l->capodd = l->capodd ? l->capodd * 2 : 16;
		l->odd = xreallocarray(l->odd, l->capodd, sizeof(*l->odd));
	}
	o = &l->odd[l->nodd++];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	buf_init(&b, 0);
	buf_printf(&b, "%s%s%s%s", SPOOL_PREFIX, shop, file ? "/" : "",
	    file ? file : "");
	o->name = buf_take(&b, &len);
	kerr_where(&o->err, o->name, 0);
	return o;
}

/* What kind of thing st is, for a message. */
static const char *
type_name(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return "a folder";
	if (S_ISLNK(st->st_mode))
		return "a symbolic link";
	if (S_ISFIFO(st->st_mode))
		return "a FIFO";
	if (S_ISSOCK(st->st_mode))
		return "a socket";
	if (S_ISCHR(st->st_mode) || S_ISBLK(st->st_mode))
		return "a device";
	return "not a regular file";
}

/* A name kontor cannot use goes to rejected/ under a name it can. */
static void
odd_name(struct spool_list *l, const char *shop, const char *file,
    const char *why)
{
	struct spool_odd *o = odd_add(l, SPOOL_ODD_NAME, shop, file);
	char hex[SHA256_HEX];

	sha256_buf_hex(file, strlen(file), hex);
	snprintf(o->safe, sizeof(o->safe), "badname-%.16s", hex);
	kerr_set(&o->err, KR_BAD_INPUT, "", "%s; it moves to rejected/ as "
	    "%s", why, o->safe);
}

/*
 * One entry of a shop folder: listed, skipped or odd.  type is what
 * readdir said it is: a regular file, as nearly every entry is, needs
 * no fstatat; anything else, or an entry of a file system that does
 * not say, is looked at.
 */
static void
scan_entry(int dirfd, const char *shop, const char *file,
    unsigned char type, struct spool_list *l)
{
	struct spool_odd *o;
	struct stat st;
	char why[96];
	const char *problem;

	if (type == DT_REG)
		st.st_mode = S_IFREG;
	else if (fstatat(dirfd, file, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return;		/* gone since readdir */
	if (is_reserved(file) && S_ISDIR(st.st_mode))
		return;
	problem = file_name_problem(file, why, sizeof(why));
	if (problem != NULL) {
		odd_name(l, shop, file, problem);
		return;
	}
	if (S_ISREG(st.st_mode) && !is_reserved(file)) {
		list_add(l, shop, file);
		return;
	}
	o = odd_add(l, SPOOL_ODD_TYPE, shop, file);
	if (S_ISREG(st.st_mode))
		kerr_set(&o->err, KR_BAD_INPUT, "", "not the folder %s/ "
		    "kontor keeps there, but a file; it moves to rejected/",
		    file);
	else
		kerr_set(&o->err, KR_BAD_INPUT, "", "not a regular file, but "
		    "%s; a shop folder holds only order files, so it moves "
		    "to rejected/", type_name(&st));
}

static int
scan_shop(int spool_fd, const char *shop, struct spool_list *l,
    struct kerr *e)
{
	struct dirent *de;
	DIR *d;
	int fd;

	fd = openat(spool_fd, shop, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	d = fd == -1 ? NULL : fdopendir(fd);
	if (d == NULL) {
		char where[NAME_MAX + 16];

		if (fd != -1)
			close(fd);
		snprintf(where, sizeof(where), "%s%s", SPOOL_PREFIX, shop);
		kerr_where(e, where, 0);
		return kerr_set(e, KR_IO, "", "cannot read the shop folder: "
		    "%s", strerror(errno));
	}
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			scan_entry(fd, shop, de->d_name, de->d_type, l);
	closedir(d);
	return KR_OK;
}

/* 1 when name is one of the NULL-terminated list. */
static int
listed(const char *const *list, const char *name)
{
	for (; list != NULL && *list != NULL; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

int
spool_shop_known(const struct tenant *t, const char *const *platforms,
    const char *shop, struct kerr *e)
{
	const struct config *c = &t->cfg;
	size_t i;

	if (config_shop(c, shop) != NULL)
		return KR_OK;
	if (!listed(platforms, shop))
		return kerr_set(e, KR_NOT_FOUND, "", "not a shop of this "
		    "tenant: add a [shop %s] section to kontor.conf, or move "
		    "the files into the folder of a configured shop", shop);
	for (i = 0; i < c->nshops; i++) {
		const char *id = c->shops[i].id;

		if (strcmp(c->shops[i].platform, shop) != 0)
			continue;
		return kerr_set(e, KR_NOT_FOUND, "", "not a shop of this "
		    "tenant, and shop %s takes its %s orders: move the files "
		    "into spool/%s/, or add a [shop %s] section to "
		    "kontor.conf", id, shop, id, shop);
	}
	return KR_OK;
}

/* One entry of spool/: a shop folder to read, or odd. */
static int
scan_top(int spool_fd, const struct tenant *t,
    const char *const *platforms, const char *name, struct spool_list *l,
    struct kerr *e)
{
	struct spool_odd *o;
	struct stat st;

	if (fstatat(spool_fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return KR_OK;	/* gone since readdir */
	if (S_ISDIR(st.st_mode)) {
		struct kerr why;

		kerr_clear(&why);
		if (spool_shop_known(t, platforms, name, &why) == KR_OK)
			return scan_shop(spool_fd, name, l, e);
		o = odd_add(l, SPOOL_ODD_FOLDER, name, NULL);
		kerr_set(&o->err, KR_NOT_FOUND, "", "%s; nothing in it is "
		    "read", why.msg);
		return KR_OK;
	}
	o = odd_add(l, SPOOL_ODD_FOLDER, name, NULL);
	if (S_ISLNK(st.st_mode))
		kerr_set(&o->err, KR_BAD_INPUT, "", "a symbolic link, which "
		    "kontor does not follow in the spool: make the shop "
		    "folder a real folder");
	else
		kerr_set(&o->err, KR_BAD_INPUT, "", "%s beside the shop "
		    "folders, where kontor reads nothing: move it into "
		    "spool/<shop>/", S_ISREG(st.st_mode) ? "a file" :
		    type_name(&st));
	return KR_OK;
}

/* Orders by shop, then by file name, both byte by byte. */
static int
name_cmp(const void *pa, const void *pb)
{
	const char *a = *(char *const *)pa + strlen(SPOOL_PREFIX);
	const char *b = *(char *const *)pb + strlen(SPOOL_PREFIX);
	size_t na = strcspn(a, "/"), nb = strcspn(b, "/");
	int c;

	c = memcmp(a, b, na < nb ? na : nb);
	if (c != 0)
		return c;
	if (na != nb)
		return na < nb ? -1 : 1;
	return strcmp(a + na, b + nb);
}

static int
odd_cmp(const void *pa, const void *pb)
{
	const struct spool_odd *a = pa, *b = pb;

	return name_cmp(&a->name, &b->name);
}

int
spool_scan(const struct tenant *t, const char *const *platforms,
    struct spool_list *l, struct kerr *e)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int fd, rc = KR_OK;

	memset(l, 0, sizeof(*l));
	rc = tenant_path(t, "spool", path, e);
	if (rc != KR_OK)
		return rc;
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	/* Only a preview's tenant_open leaves a missing spool/ missing. */
	if (fd == -1 && errno == ENOENT)
		return KR_OK;
	d = fd == -1 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd != -1)
			close(fd);
		kerr_where(e, "spool", 0);
		return kerr_set(e, KR_IO, "", "cannot read the spool: %s",
		    strerror(errno));
	}
	while (rc == KR_OK && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			rc = scan_top(fd, t, platforms, de->d_name, l, e);
	closedir(d);
	if (rc != KR_OK) {
		spool_list_release(l);
		return rc;
	}
	if (l->n > 1)
		qsort(l->names, l->n, sizeof(*l->names), name_cmp);
	if (l->nodd > 1)
		qsort(l->odd, l->nodd, sizeof(*l->odd), odd_cmp);
	return KR_OK;
}

void
spool_list_release(struct spool_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	for (i = 0; i < l->nodd; i++)
		free(l->odd[i].name);
	free(l->names);
	free(l->odd);
	memset(l, 0, sizeof(*l));
}

/* Moving */

/* Adds a copy of dir to the set unless it holds it already. */
static void
dirset_add(struct dirset *ds, const char *dir)
{
	size_t i;

	for (i = 0; i < ds->n; i++)
		if (strcmp(ds->dir[i], dir) == 0)
			return;
	if (ds->n == ds->cap) {
		ds->cap = ds->cap ? ds->cap * 2 : 16;
		ds->dir = xreallocarray(ds->dir, ds->cap, sizeof(*ds->dir));
	}
	ds->dir[ds->n++] = xstrdup(dir);
}

/* Remembers a folder whose entries changed, for spool_sync. */
static void
touch(const char *dir)
{
	dirset_add(&touched, dir);
}

static int
fail_io(struct kerr *e, const char *name, const char *what)
{
	kerr_where(e, name, 0);
	return kerr_set(e, KR_IO, "", "%s: %s", what, strerror(errno));
}

/*
 * A spool entry that went away between listing and rejecting: another
 * run's stage moved it, and recorded it, first.
 */
static int
taken(struct kerr *e, const char *name)
{
	kerr_where(e, name, 0);
	return kerr_set(e, KR_NOT_FOUND, "", "gone since the spool was "
	    "listed; another run has taken it");
}

/* 1 when h is the folder of shop[0..n) in t. */
static int
held_is(const struct held *h, const struct tenant *t, const char *shop,
    size_t n)
{
	const char *id = h->path + h->dirlen + 1 + strlen(SPOOL_PREFIX);

	return strncmp(h->path, t->dir, h->dirlen) == 0 &&
	    t->dir[h->dirlen] == '\0' && strncmp(id, shop, n) == 0 &&
	    id[n] == '\0';
}

/*
 * The folder of shop[0..n) in t, opened when not held yet (never
 * through a link); NULL with errno set when it cannot be opened.
 */
static struct held *
held_shop(const struct tenant *t, const char *shop, size_t n)
{
	char path[PATH_MAX];
	struct held *h;
	size_t i;
	int len, fd;

	for (i = 0; i < nheld; i++)
		if (held_is(&held[i], t, shop, n))
			return &held[i];
	len = snprintf(path, sizeof(path), "%s/%s%.*s", t->dir,
	    SPOOL_PREFIX, (int)n, shop);
	if (len < 0 || len >= (int)sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return NULL;
	if (nheld == capheld) {
		capheld = capheld ? capheld * 2 : 4;
		held = xreallocarray(held, capheld, sizeof(*held));
	}
	h = &held[nheld++];
	memset(h, 0, sizeof(*h));
	h->path = xstrdup(path);
	h->dirlen = strlen(t->dir);
	h->fd = fd;
	h->cur = -1;
	return h;
}

/*
 * What the shop folder of name is when it cannot be opened: not a
 * folder (a link, a file), or gone with the file, or unreadable.
 * errno is the open's.
 */
static int
shop_trouble(const struct tenant *t, const char *name,
    const struct spool_name *sn, int *gone, struct kerr *e)
{
	char shop[PATH_MAX];
	struct stat st;
	int saved = errno;

	if (snprintf(shop, PATH_MAX, "%s/%s%s", t->dir, SPOOL_PREFIX,
	    sn->shop) >= PATH_MAX)
		KBUG("shop folder longer than its file's path");
	if (lstat(shop, &st) == 0 && !S_ISDIR(st.st_mode)) {
		kerr_where(e, name, 0);
		return kerr_set(e, KR_BAD_INPUT, "", "spool/%s is not a "
		    "folder; kontor does not follow links in the spool",
		    sn->shop);
	}
	if (saved == ENOENT || saved == ENOTDIR) {
		*gone = 1;
		return KR_OK;
	}
	errno = saved;
	return fail_io(e, name, "cannot find the spool file");
}

/*
 * The held shop folder of a spool file into *hp, after checking that
 * it is a real folder (not a link) and the file a regular file.  *gone
 * is set when the file is not there any more.
 */
static int
spool_locate(const struct tenant *t, const char *name,
    const struct spool_name *sn, struct held **hp, int *gone,
    struct kerr *e)
{
	struct stat st;
	int rc;

	rc = tenant_path_check(t, name, e);
	if (rc != KR_OK)
		return rc;
	*gone = 0;
	*hp = held_shop(t, sn->shop, strlen(sn->shop));
	if (*hp == NULL)
		return shop_trouble(t, name, sn, gone, e);
	if (fstatat((*hp)->fd, sn->file, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT || errno == ENOTDIR) {
			*gone = 1;
			return KR_OK;
		}
		return fail_io(e, name, "cannot find the spool file");
	}
	if (!S_ISREG(st.st_mode)) {
		kerr_where(e, name, 0);
		return kerr_set(e, KR_BAD_INPUT, "", "not a regular file; a "
		    "spool holds only order files");
	}
	return KR_OK;
}

/* file, or file.N for N > 0, with suffix, into out. */
static int
candidate(char out[NAME_MAX + 1], const char *file, int n,
    const char *suffix)
{
	int len;

	if (n == 0)
		len = snprintf(out, NAME_MAX + 1, "%s%s", file, suffix);
	else
		len = snprintf(out, NAME_MAX + 1, "%s.%d%s", file, n, suffix);
	return len > 0 && len <= NAME_MAX;
}

/*
 * Moves file from the folder open at from into the one at to without
 * replacing anything: a file of the same name and the same bytes means
 * the move happened before (file is removed); a different one keeps
 * both, the new one as NAME.1, NAME.2, ...
 */
static int
move_into(int from, const char *file, int to)
{
	char dst[NAME_MAX + 1];
	const char *name = file;
	int n, same;

	for (n = 0; n < SPOOL_DUP_MAX; n++) {
		if (n > 0) {
			if (!candidate(dst, file, n, "")) {
				errno = ENAMETOOLONG;
				return KR_IO;
			}
			name = dst;
		}
		if (fs_rename_noreplace(from, file, to, name) == KR_OK)
			return KR_OK;
		if (errno != EEXIST)
			return KR_IO;
		same = fs_same_content(from, file, to, name);
		if (same == 1)
			return unlinkat(from, file, 0) == 0 ? KR_OK : KR_IO;
	}
	errno = EEXIST;
	return KR_IO;
}

static int
valid_month(const char *m)
{
	return strlen(m) == 7 && m[0] >= '1' && m[0] <= '9' &&
	    m[1] >= '0' && m[1] <= '9' && m[2] >= '0' && m[2] <= '9' &&
	    m[3] >= '0' && m[3] <= '9' && m[4] == '-' &&
	    ((m[5] == '0' && m[6] >= '1' && m[6] <= '9') ||
	    (m[5] == '1' && m[6] >= '0' && m[6] <= '2'));
}

/*
 * Opens the folder sub in the folder open at parent, making it when
 * missing: parent is h's shop folder when parent_rel is NULL, else its
 * folder parent_rel.  A folder made changes its parent, which is then
 * fsynced with the batch.  -1 with errno set.
 */
static int
open_sub(struct held *h, int parent, const char *parent_rel,
    const char *sub)
{
	char path[PATH_MAX];
	int fd, created;

	fd = fs_open_subdir(parent, sub, 0755, &created);
	if (fd == -1 || !created)
		return fd;
	if (parent_rel == NULL)
		h->changed |= HELD_SHOP;
	else if (snprintf(path, sizeof(path), "%s/%s", h->path,
	    parent_rel) < (int)sizeof(path))
		touch(path);
	return fd;
}

/*
 * Holds h's cur/<month> folder open, made when missing; again says that
 * the one held went away since.
 */
static int
hold_cur(struct held *h, const char *month, int again)
{
	int cur;

	if (!again && h->cur != -1 && strcmp(h->month, month) == 0)
		return KR_OK;
	if (h->cur != -1) {
		/* The month's moves so far must still be made durable. */
		if ((h->changed & HELD_CUR) && fsync(h->cur) != 0)
			return KR_IO;
		close(h->cur);
		h->cur = -1;
		h->changed &= ~HELD_CUR;
	}
	cur = open_sub(h, h->fd, NULL, "cur");
	if (cur == -1)
		return KR_IO;
	h->cur = open_sub(h, cur, "cur", month);
	close(cur);
	if (h->cur == -1)
		return KR_IO;
	memcpy(h->month, month, sizeof(h->month));
	return KR_OK;
}

int
spool_move_cur(const struct tenant *t, const char *name,
    const char *month, struct kerr *e)
{
	struct spool_name sn;
	struct held *h;
	int rc, gone;

	rc = spool_name_parse(name, &sn, e);
	if (rc != KR_OK)
		return rc;
	if (!valid_month(month)) {
		kerr_where(e, name, 0);
		return kerr_set(e, KR_BAD_INPUT, "", "expected a month like "
		    "\"2026-10\" for cur/, got \"%.20s\"", month);
	}
	rc = spool_locate(t, name, &sn, &h, &gone, e);
	if (rc != KR_OK || gone)
		return rc;

	if (hold_cur(h, month, 0) != KR_OK)
		return fail_io(e, name, "cannot create the cur/ folder");
	rc = move_into(h->fd, sn.file, h->cur);
	if (rc != KR_OK && errno == ENOENT) {
		/* The folder went away since it was made: make it again. */
		if (hold_cur(h, month, 1) != KR_OK)
			return fail_io(e, name, "cannot create the cur/ "
			    "folder");
		rc = move_into(h->fd, sn.file, h->cur);
	}
	if (rc != KR_OK)
		return fail_io(e, name, "cannot move the file to cur/");
	h->changed |= HELD_SHOP | HELD_CUR;
	return KR_OK;
}

/*
 * A free name in the folder open at dir for the rejected file.  A
 * NAME.reason without its NAME is left from a crash between the two
 * steps of spool_reject and is written over.
 */
static int
reject_target(int dir, const char *file, char out[NAME_MAX + 1])
{
	int n;

	for (n = 0; n < SPOOL_DUP_MAX; n++) {
		if (!candidate(out, file, n, ".reason")) {
			errno = ENAMETOOLONG;
			return KR_IO;
		}
		out[strlen(out) - strlen(".reason")] = '\0';
		if (fs_exists_at(dir, out) == 0)
			return KR_OK;
	}
	errno = EEXIST;
	return KR_IO;
}

/* Writes the reason, ending in a newline, as target.reason in dir. */
static int
write_reason(int dir, const char *target, const char *reason)
{
	char name[NAME_MAX + 1];
	struct buf b;
	int rc;

	if (snprintf(name, sizeof(name), "%s.reason", target) >=
	    (int)sizeof(name)) {
		errno = ENAMETOOLONG;
		return KR_IO;
	}
	buf_init(&b, 0);
	rc = buf_adds(&b, reason);
	if (rc == KR_OK && (b.len == 0 || b.data[b.len - 1] != '\n'))
		rc = buf_addc(&b, '\n');
	if (rc == KR_OK)
		rc = fs_write_atomic(dir, name, b.data, b.len);
	else
		errno = EFBIG;
	buf_release(&b);
	return rc;
}

/*
 * Moves entry, in h's shop folder, to rejected/ under base (or base.N)
 * after writing reason beside it.  name is for messages.
 */
static int
reject_into(const char *name, struct held *h, const char *entry,
    const char *base, const char *reason, struct kerr *e)
{
	char target[NAME_MAX + 1], path[PATH_MAX];
	int dir, rc;

	/* Rejections are few: the folder is opened for each, so that one
	 * removed meanwhile is made again. */
	dir = open_sub(h, h->fd, NULL, "rejected");
	if (dir == -1)
		return fail_io(e, name, "cannot create the rejected/ folder");
	if (reject_target(dir, base, target) != KR_OK)
		rc = fail_io(e, name, "no free name in rejected/");
	/* The reason first: a crash then leaves the order in the spool,
	 * to be rejected again, never a rejected file without a reason. */
	else if (write_reason(dir, target, reason) != KR_OK)
		rc = fail_io(e, name, "cannot write the .reason file");
	else if (fs_rename_noreplace(h->fd, entry, dir, target) != KR_OK)
		rc = fail_io(e, name, "cannot move the file to rejected/");
	else
		rc = KR_OK;
	close(dir);
	if (rc != KR_OK)
		return rc;
	h->changed |= HELD_SHOP;
	if (snprintf(path, sizeof(path), "%s/rejected", h->path) <
	    (int)sizeof(path))
		touch(path);
	return KR_OK;
}

int
spool_reject(const struct tenant *t, const char *name, const char *reason,
    struct kerr *e)
{
	struct spool_name sn;
	struct held *h;
	int rc, gone;

	rc = spool_name_parse(name, &sn, e);
	if (rc == KR_OK)
		rc = spool_locate(t, name, &sn, &h, &gone, e);
	if (rc != KR_OK)
		return rc;
	if (gone)
		return taken(e, name);
	return reject_into(name, h, sn.file, sn.file, reason, e);
}

int
spool_reject_odd(const struct tenant *t, const struct spool_odd *odd,
    const char *reason, struct kerr *e)
{
	const char *rest = odd->name + strlen(SPOOL_PREFIX), *entry;
	struct held *h;
	struct stat st;

	entry = strchr(rest, '/');
	if (odd->kind == SPOOL_ODD_FOLDER || entry == NULL ||
	    strchr(entry + 1, '/') != NULL)
		KBUG("spool_reject_odd of \"%s\"", odd->name);
	entry++;
	if (strlen(t->dir) + 1 + strlen(odd->name) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return fail_io(e, odd->name, "cannot reject it");
	}
	h = held_shop(t, rest, (size_t)(entry - 1 - rest));
	if (h == NULL) {
		kerr_where(e, odd->name, 0);
		return kerr_set(e, KR_BAD_INPUT, "", "its shop folder is not "
		    "a folder; kontor does not follow links in the spool");
	}
	if (fstatat(h->fd, entry, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return errno == ENOENT ? taken(e, odd->name) :
		    fail_io(e, odd->name, "cannot reject it");
	return reject_into(odd->name, h, entry, odd->kind == SPOOL_ODD_NAME ?
	    odd->safe : entry, reason, e);
}

/* fsyncs what moves changed in h, naming the folder that fails. */
static int
sync_held(const struct held *h, struct kerr *e)
{
	char path[PATH_MAX];
	const char *where = h->path;

	if ((h->changed & HELD_SHOP) && fsync(h->fd) != 0)
		goto fail;
	if ((h->changed & HELD_CUR) && fsync(h->cur) != 0) {
		snprintf(path, sizeof(path), "%s/cur/%s", h->path, h->month);
		where = path;
		goto fail;
	}
	return KR_OK;
fail:
	kerr_where(e, where, 0);
	return kerr_set(e, KR_IO, "", "cannot fsync the folder: %s",
	    strerror(errno));
}

/* 1 when path lies inside the tenant directory. */
static int
in_tenant(const struct tenant *t, const char *path)
{
	size_t n = strlen(t->dir);

	return strncmp(path, t->dir, n) == 0 && path[n] == '/';
}

int
spool_sync(const struct tenant *t, struct kerr *e)
{
	size_t i, kept = 0;
	int rc = KR_OK;

	for (i = 0; i < nheld; i++) {
		struct held *h = &held[i];

		if (h->dirlen != strlen(t->dir) || !in_tenant(t, h->path)) {
			held[kept++] = *h;
			continue;
		}
		if (rc == KR_OK)
			rc = sync_held(h, e);
		if (h->cur != -1)
			close(h->cur);
		close(h->fd);
		free(h->path);
	}
	nheld = kept;
	kept = 0;
	for (i = 0; i < touched.n; i++) {
		if (!in_tenant(t, touched.dir[i])) {
			touched.dir[kept++] = touched.dir[i];
			continue;
		}
		if (rc == KR_OK && fs_sync_dir(touched.dir[i]) != KR_OK) {
			kerr_where(e, touched.dir[i], 0);
			rc = kerr_set(e, KR_IO, "", "cannot fsync the folder: "
			    "%s", strerror(errno));
		}
		free(touched.dir[i]);
	}
	touched.n = kept;
	return rc;
}

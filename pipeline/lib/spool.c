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
#include "spool.h"

#define SPOOL_PREFIX	"spool/"
/* How many same-named files one cur/ month or rejected/ folder keeps. */
#define SPOOL_DUP_MAX	1000

/* A spool file name taken apart: spool/<shop>/<file>. */
struct spool_name {
	char shop[NAME_MAX + 1];
	char file[NAME_MAX + 1];
};

/* The folders spool_sync must fsync; see touch(). */
static struct {
	char **dir;
	size_t n, cap;
} touched;

static int
is_reserved(const char *name)
{
	return strcmp(name, "tmp") == 0 || strcmp(name, "cur") == 0 ||
	    strcmp(name, "rejected") == 0;
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

	if (strncmp(name, SPOOL_PREFIX, strlen(SPOOL_PREFIX)) == 0) {
		shop = name + strlen(SPOOL_PREFIX);
		slash = strchr(shop, '/');
	}
	if (slash == NULL ||
	    !take_component(shop, (size_t)(slash - shop), sn->shop) ||
	    !take_component(slash + 1, strlen(slash + 1), sn->file) ||
	    is_reserved(sn->file)) {
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

/* A regular file, never a link to one, a folder, a device or a fifo. */
static int
is_regular(int dirfd, const struct dirent *de)
{
	struct stat st;

	if (de->d_type != DT_UNKNOWN)
		return de->d_type == DT_REG;
	return fstatat(dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISREG(st.st_mode);
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
	if (fd == -1 && (errno == ENOTDIR || errno == ELOOP))
		return KR_OK;	/* a file or a link beside the shops */
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
		if (de->d_name[0] != '.' && !is_reserved(de->d_name) &&
		    is_regular(fd, de))
			list_add(l, shop, de->d_name);
	closedir(d);
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

int
spool_scan(const struct tenant *t, struct spool_list *l, struct kerr *e)
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
			rc = scan_shop(fd, de->d_name, l, e);
	closedir(d);
	if (rc != KR_OK) {
		spool_list_release(l);
		return rc;
	}
	if (l->n > 1)
		qsort(l->names, l->n, sizeof(*l->names), name_cmp);
	return KR_OK;
}

void
spool_list_release(struct spool_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->names[i]);
	free(l->names);
	memset(l, 0, sizeof(*l));
}

/* Moving */

/* Remembers a folder whose entries changed, for spool_sync. */
static void
touch(const char *dir)
{
	size_t i;

	for (i = 0; i < touched.n; i++)
		if (strcmp(touched.dir[i], dir) == 0)
			return;
	if (touched.n == touched.cap) {
		touched.cap = touched.cap ? touched.cap * 2 : 16;
		touched.dir = xreallocarray(touched.dir, touched.cap,
		    sizeof(*touched.dir));
	}
	touched.dir[touched.n++] = xstrdup(dir);
}

static int
fail_io(struct kerr *e, const char *name, const char *what)
{
	kerr_where(e, name, 0);
	return kerr_set(e, KR_IO, "", "%s: %s", what, strerror(errno));
}

/*
 * The paths of a spool file and of its shop folder, after checking that
 * the shop folder is a real folder (not a link) and the file a regular
 * file.  *gone is set when the file is not there any more.
 */
static int
spool_locate(const struct tenant *t, const char *name,
    const struct spool_name *sn, char src[PATH_MAX], char shop[PATH_MAX],
    int *gone, struct kerr *e)
{
	struct stat st;
	int rc;

	rc = tenant_path(t, name, src, e);
	if (rc != KR_OK)
		return rc;
	if (snprintf(shop, PATH_MAX, "%s/spool/%s", t->dir, sn->shop) >=
	    PATH_MAX)
		KBUG("shop folder longer than its file's path");
	*gone = 0;
	if (lstat(shop, &st) == 0 && !S_ISDIR(st.st_mode)) {
		kerr_where(e, name, 0);
		return kerr_set(e, KR_BAD_INPUT, "", "spool/%s is not a "
		    "folder; kontor does not follow links in the spool",
		    sn->shop);
	}
	if (lstat(src, &st) != 0) {
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

/* dir/file, or dir/file.N for N > 0. */
static int
candidate(char out[PATH_MAX], const char *dir, const char *file, int n,
    const char *suffix)
{
	int len;

	if (n == 0)
		len = snprintf(out, PATH_MAX, "%s/%s%s", dir, file, suffix);
	else
		len = snprintf(out, PATH_MAX, "%s/%s.%d%s", dir, file, n,
		    suffix);
	return len > 0 && len < PATH_MAX;
}

/*
 * Moves src into dir without replacing anything: a file of the same name
 * and the same bytes means the move happened before (src is removed); a
 * different one keeps both, the new one as NAME.1, NAME.2, ...
 */
static int
move_into(const char *src, const char *dir, const char *file)
{
	char dst[PATH_MAX];
	int n, same;

	for (n = 0; n < SPOOL_DUP_MAX; n++) {
		if (!candidate(dst, dir, file, n, "")) {
			errno = ENAMETOOLONG;
			return KR_IO;
		}
		if (fs_rename_noreplace(src, dst) == KR_OK)
			return KR_OK;
		if (errno != EEXIST)
			return KR_IO;
		same = fs_same_content(src, dst);
		if (same == 1)
			return unlink(src) == 0 ? KR_OK : KR_IO;
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

/* Creates parent/sub when missing; a new folder changes parent. */
static int
make_sub(char out[PATH_MAX], const char *parent, const char *sub)
{
	int created;

	if (snprintf(out, PATH_MAX, "%s/%s", parent, sub) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return KR_IO;
	}
	if (fs_mkdir(out, 0755, &created) != KR_OK)
		return KR_IO;
	if (created)
		touch(parent);
	return KR_OK;
}

int
spool_move_cur(const struct tenant *t, const char *name,
    const char *month, struct kerr *e)
{
	char src[PATH_MAX], shop[PATH_MAX], cur[PATH_MAX], dir[PATH_MAX];
	struct spool_name sn;
	int rc, gone;

	rc = spool_name_parse(name, &sn, e);
	if (rc != KR_OK)
		return rc;
	if (!valid_month(month)) {
		kerr_where(e, name, 0);
		return kerr_set(e, KR_BAD_INPUT, "", "expected a month like "
		    "\"2026-10\" for cur/, got \"%.20s\"", month);
	}
	rc = spool_locate(t, name, &sn, src, shop, &gone, e);
	if (rc != KR_OK || gone)
		return rc;

	if (make_sub(cur, shop, "cur") != KR_OK ||
	    make_sub(dir, cur, month) != KR_OK)
		return fail_io(e, name, "cannot create the cur/ folder");
	if (move_into(src, dir, sn.file) != KR_OK)
		return fail_io(e, name, "cannot move the file to cur/");
	touch(shop);
	touch(dir);
	return KR_OK;
}

/*
 * A free name in dir for the rejected file.  A NAME.reason without its
 * NAME is left from a crash between the two steps of spool_reject and
 * is written over.
 */
static int
reject_target(const char *dir, const char *file, char out[NAME_MAX + 1])
{
	char path[PATH_MAX];
	const char *base;
	int n;

	for (n = 0; n < SPOOL_DUP_MAX; n++) {
		if (!candidate(path, dir, file, n, ".reason") ||
		    strlen(strrchr(path, '/') + 1) > NAME_MAX) {
			errno = ENAMETOOLONG;
			return KR_IO;
		}
		path[strlen(path) - strlen(".reason")] = '\0';
		if (fs_exists(path) == 0) {
			base = strrchr(path, '/') + 1;
			memcpy(out, base, strlen(base) + 1);
			return KR_OK;
		}
	}
	errno = EEXIST;
	return KR_IO;
}

/* Writes the reason, ending in a newline, as dir/target.reason. */
static int
write_reason(const char *dir, const char *target, const char *reason)
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

int
spool_reject(const struct tenant *t, const char *name, const char *reason,
    struct kerr *e)
{
	char src[PATH_MAX], shop[PATH_MAX], dir[PATH_MAX], dst[PATH_MAX];
	char target[NAME_MAX + 1];
	struct spool_name sn;
	int rc, gone;

	rc = spool_name_parse(name, &sn, e);
	if (rc == KR_OK)
		rc = spool_locate(t, name, &sn, src, shop, &gone, e);
	if (rc != KR_OK)
		return rc;
	if (gone) {
		errno = ENOENT;
		return fail_io(e, name, "cannot reject the spool file");
	}

	if (make_sub(dir, shop, "rejected") != KR_OK)
		return fail_io(e, name, "cannot create the rejected/ folder");
	if (reject_target(dir, sn.file, target) != KR_OK)
		return fail_io(e, name, "no free name in rejected/");
	/* The reason first: a crash then leaves the order in the spool,
	 * to be rejected again, never a rejected file without a reason. */
	if (write_reason(dir, target, reason) != KR_OK)
		return fail_io(e, name, "cannot write the .reason file");
	if (snprintf(dst, sizeof(dst), "%s/%s", dir, target) >=
	    (int)sizeof(dst))
		KBUG("rejected/ target longer than checked");
	if (fs_rename_noreplace(src, dst) != KR_OK)
		return fail_io(e, name, "cannot move the file to rejected/");
	touch(shop);
	touch(dir);
	return KR_OK;
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

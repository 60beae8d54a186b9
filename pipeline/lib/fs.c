#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "fs.h"

int
fs_sync_dir(const char *path)
{
	int fd, rc, saved;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return KR_IO;
	rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc == 0 ? KR_OK : KR_IO;
}

/*
 * syncfs writes out everything dirty on the file system, whoever wrote
 * it: the spool files a connector has just written, another tenant's
 * delivery.  That pays for a delivery of thousands of documents, one
 * call for all; a DATEV batch and its manifest are two files, and an
 * fsync each writes out only them.
 */
#define SYNC_EACH_MAX	16	/* files fsynced one by one, at most */

static int
sync_path(int dirfd, const char *path)
{
	int fd, rc = 0;

	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1 || fsync(fd) != 0)
		rc = -1;
	if (fd != -1)
		close(fd);
	return rc;
}

/*
 * Calls fn for each entry of the folder open at dirfd but those whose
 * name starts with a dot, while it returns 0; -1 when the folder
 * cannot be read, else what fn returned last.
 */
static int
each_entry(int dirfd, int (*fn)(int, const char *, void *), void *arg)
{
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	fd = dup(dirfd);
	d = fd == -1 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd != -1)
			close(fd);
		return -1;
	}
	/* The copy shares the position a walk before left at the end. */
	rewinddir(d);
	while (rc == 0 && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			rc = fn(dirfd, de->d_name, arg);
	closedir(d);
	return rc;
}

static int
sync_entry(int dirfd, const char *name, void *arg)
{
	(void)arg;
	return sync_path(dirfd, name);
}

#ifdef __linux__
/* 1 once more than SYNC_EACH_MAX entries were counted. */
static int
count_entry(int dirfd, const char *name, void *arg)
{
	size_t *n = arg;

	(void)dirfd;
	(void)name;
	return ++*n > SYNC_EACH_MAX;
}
#endif

/*
 * Makes files of the folder open at dirfd durable: the n paths, or
 * every file in the folder when paths is NULL.  On Linux more than
 * SYNC_EACH_MAX of them take one syncfs of the file system.
 */
static int
sync_files(int dirfd, char *const *paths, const int *fds, size_t n)
{
	size_t i;
	int rc = 0;

#ifdef __linux__
	if (paths == NULL) {
		n = 0;
		rc = each_entry(dirfd, count_entry, &n);
		if (rc == -1)
			return -1;
	}
	if (n > SYNC_EACH_MAX)
		return syncfs(dirfd);
#endif
	if (paths == NULL)
		return each_entry(dirfd, sync_entry, NULL);
	for (i = 0; rc == 0 && i < n; i++)
		rc = fds != NULL && fds[i] >= 0 ? fsync(fds[i]) :
		    sync_path(AT_FDCWD, paths[i]);
	return rc;
}

/*
 * Opens the folder path (with O_NOFOLLOW when nofollow), makes the files
 * sync_files names durable, then the folder itself when and_folder.
 */
static int
sync_in_folder(const char *path, int nofollow, char *const *paths,
    const int *fds, size_t n, int and_folder)
{
	int fd, rc, saved;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    (nofollow ? O_NOFOLLOW : 0));
	if (fd == -1)
		return KR_IO;
	rc = sync_files(fd, paths, fds, n);
	if (rc == 0 && and_folder)
		rc = fsync(fd);
	saved = errno;
	close(fd);
	errno = saved;
	return rc == 0 ? KR_OK : KR_IO;
}

int
fs_sync_folder(const char *path)
{
	return sync_in_folder(path, 1, NULL, NULL, 0, 1);
}

int
fs_sync_files(const char *dir, char *const *paths, const int *fds,
    size_t n)
{
	return sync_in_folder(dir, 0, paths, fds, n, 0);
}

int
fs_mkdir(const char *path, mode_t mode, int *created)
{
	if (created != NULL)
		*created = 0;
	if (mkdir(path, mode) == 0) {
		if (created != NULL)
			*created = 1;
		return KR_OK;
	}
	if (errno != EEXIST)
		return KR_IO;
	if (!fs_is_dir(path)) {
		errno = ENOTDIR;
		return KR_IO;
	}
	return KR_OK;
}

int
fs_open_subdir(int dirfd, const char *name, mode_t mode, int *created)
{
	int fd, flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;

	*created = 0;
	fd = openat(dirfd, name, flags);
	if (fd == -1 && errno == ENOENT) {
		if (mkdirat(dirfd, name, mode) == 0)
			*created = 1;
		else if (errno != EEXIST)
			return -1;
		fd = openat(dirfd, name, flags);
	}
	/* A link (ELOOP under O_NOFOLLOW) is no folder either. */
	if (fd == -1 && (errno == ELOOP || errno == ENOTDIR))
		errno = ENOTDIR;
	return fd;
}

int
fs_exists(const char *path)
{
	return fs_exists_at(AT_FDCWD, path);
}

int
fs_exists_at(int dirfd, const char *name)
{
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

int
fs_is_dir(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
fs_rename_noreplace(int fromfd, const char *from, int tofd, const char *to)
{
	if (renameat2(fromfd, from, tofd, to, RENAME_NOREPLACE) == 0)
		return KR_OK;
	if (errno != EINVAL && errno != ENOSYS)
		return KR_IO;

	/* The file system has no RENAME_NOREPLACE: link refuses to
	 * replace, and a crash in between leaves two names of one file,
	 * which the spool's callers already treat as a repeated move. */
	if (linkat(fromfd, from, tofd, to, 0) != 0)
		return KR_IO;
	if (unlinkat(fromfd, from, 0) != 0)
		return KR_IO;
	return KR_OK;
}

static int
open_regular(int dirfd, const char *path, struct stat *st)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd == -1)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

static int
same_bytes(int fa, int fb)
{
	char a[16384], b[16384];
	ssize_t na, nb;

	for (;;) {
		na = read(fa, a, sizeof(a));
		if (na < 0)
			return -1;
		nb = 0;
		while (nb < na) {
			ssize_t r = read(fb, b + nb, (size_t)(na - nb));

			if (r < 0)
				return -1;
			if (r == 0)
				return 0;
			nb += r;
		}
		if (na == 0)
			return read(fb, b, 1) == 0;
		if (memcmp(a, b, (size_t)na) != 0)
			return 0;
	}
}

int
fs_same_content(int dira, const char *a, int dirb, const char *b)
{
	struct stat sa, sb;
	int fa, fb, rc;

	fa = open_regular(dira, a, &sa);
	if (fa == -1)
		return -1;
	fb = open_regular(dirb, b, &sb);
	if (fb == -1) {
		close(fa);
		return -1;
	}
	rc = sa.st_size != sb.st_size ? 0 : same_bytes(fa, fb);
	close(fa);
	close(fb);
	return rc;
}

int
fs_write_all(int fd, const void *p, size_t n)
{
	const char *s = p;

	while (n > 0) {
		ssize_t w = write(fd, s, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Room for what fstat cannot size: a pipe, a file in /proc. */
#define READ_GUESS	((size_t)16 << 10)

/* After b's cap: KR_OK when fd holds no more, else KR_TOO_BIG. */
static int
read_past_cap(int fd)
{
	ssize_t n;
	char c;

	while ((n = read(fd, &c, 1)) < 0 && errno == EINTR)
		;
	if (n < 0)
		return KR_IO;
	return n == 0 ? KR_OK : KR_TOO_BIG;
}

/*
 * Reads fd whole into b; when regular is set, only a regular file.  The
 * first read asks for one byte more than fstat says the file holds, so
 * that the read after its last byte, which finds the end, has room to
 * ask for.  Should the file hold more, the buffer doubles each time it
 * is full.
 */
static int
read_whole(int fd, struct buf *b, int regular)
{
	struct stat st;
	size_t want, room;
	ssize_t n;

	buf_reset(b);
	if (fstat(fd, &st) != 0)
		return KR_IO;
	if (regular && !S_ISREG(st.st_mode))
		return KR_BAD_INPUT;
	/* Reading all the cap holds only to find more is no use. */
	if (regular && (uintmax_t)st.st_size > b->cap_bytes)
		return KR_TOO_BIG;
	want = S_ISREG(st.st_mode) && st.st_size > 0 ?
	    (size_t)st.st_size + 1 : READ_GUESS;
	for (;;) {
		room = b->cap_bytes - b->len;
		if (room == 0)
			return read_past_cap(fd);
		if (want > room)
			want = room;
		if (buf_grow(b, want) != KR_OK)
			return KR_TOO_BIG;
		if (room > b->alloc - b->len - 1)
			room = b->alloc - b->len - 1;
		n = read(fd, b->data + b->len, room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return KR_IO;
		if (n == 0)
			return KR_OK;
		b->len += (size_t)n;
		b->data[b->len] = '\0';
		want = 1;	/* a full buffer doubles */
	}
}

int
fs_read_fd(int fd, struct buf *b)
{
	return read_whole(fd, b, 0);
}

/*
 * A FIFO, a device or a socket is never read: a FIFO without a writer
 * would wait for one for ever, a device may never end.
 */
int
fs_read_regular(int fd, struct buf *b)
{
	return read_whole(fd, b, 1);
}

static int
fs_write_tmp(int dirfd, const char *tmp, const void *p, size_t n)
{
	int fd, saved;

	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd == -1 && errno == EEXIST && unlinkat(dirfd, tmp, 0) == 0)
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL |
		    O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd == -1)
		return KR_IO;
	if (fs_write_all(fd, p, n) != 0 || fsync(fd) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return KR_IO;
	}
	return close(fd) == 0 ? KR_OK : KR_IO;
}

int
fs_write_atomic(int dirfd, const char *name, const void *p, size_t n)
{
	char tmp[NAME_MAX + 1];
	int saved;

	if (snprintf(tmp, sizeof(tmp), ".%s.tmp", name) >=
	    (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return KR_IO;
	}
	if (fs_write_tmp(dirfd, tmp, p, n) != KR_OK ||
	    renameat(dirfd, tmp, dirfd, name) != 0) {
		saved = errno;
		unlinkat(dirfd, tmp, 0);
		errno = saved;
		return KR_IO;
	}
	return KR_OK;
}

int
fs_remove_flat(const char *path)
{
	struct dirent *de;
	DIR *d;
	int fd, rc = KR_OK, saved = 0;

	fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		return errno == ENOENT ? KR_OK : KR_IO;
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return KR_IO;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(fd, de->d_name, 0) != 0) {
			saved = errno;
			rc = KR_IO;
		}
	}
	closedir(d);
	if (rc == KR_OK && rmdir(path) != 0)
		return KR_IO;
	errno = saved;
	return rc;
}

void
fs_self_dir(char *out, size_t size)
{
	char path[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
	char *slash;

	out[0] = '\0';
	if (n <= 0)
		return;
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (slash == NULL)
		return;
	*slash = '\0';
	snprintf(out, size, "%s", path);
}

FILE *
fs_fopen_regular(const char *path)
{
	struct stat st;
	FILE *fp = NULL;
	int fd, flags, err;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) != 0)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		err = S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
	else if ((flags = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0 ||
	    (fp = fdopen(fd, "r")) == NULL)
		err = errno;
	else
		return fp;
	close(fd);
	errno = err;
	return NULL;
}

FILE *
fs_tmpfile(const char **dir)
{
	char path[PATH_MAX];
	FILE *fp;
	int fd, saved;

	*dir = getenv("TMPDIR");
	if (*dir == NULL || (*dir)[0] == '\0')
		*dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/kontor.XXXXXX", *dir) >=
	    sizeof(path)) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	fd = mkstemp(path);
	if (fd == -1)
		return NULL;
	unlink(path);
	fp = fdopen(fd, "w+");
	if (fp == NULL) {
		saved = errno;
		close(fd);
		errno = saved;
	}
	return fp;
}

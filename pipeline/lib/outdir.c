/*
 * Output files in batches, each appearing whole or not at all (outdir.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "outdir.h"
#include "tmpname.h"

/*
 * 1 when files without a name can be made in dir (O_TMPFILE) and given
 * one later through /proc/self/fd: not every file system can, and a
 * chroot may lack /proc.
 */
static int
unnamed_works(const char *dir)
{
	char self[64];
	int fd, ok;

	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
	if (fd == -1)
		return 0;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", fd);
	ok = access(self, F_OK) == 0;
	close(fd);
	return ok;
}

/*
 * How many descriptors a batch may hold open: the soft limit less room
 * for everything else the process opens, at most a batch's worth.
 */
static size_t
fd_room(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY)
		return OUTDIR_BATCH;
	if (rl.rlim_cur <= 64)
		return 0;
	return rl.rlim_cur - 64 < OUTDIR_BATCH ? (size_t)rl.rlim_cur - 64 :
	    OUTDIR_BATCH;
}

void
outdir_init(struct outdir *od, const char *dir, tmpname_old_fn *on_old,
    void *arg)
{
	memset(od, 0, sizeof(*od));
	snprintf(od->dir, sizeof(od->dir), "%s", dir);
	od->tmp = xcalloc(OUTDIR_BATCH, sizeof(*od->tmp));
	od->path = xcalloc(OUTDIR_BATCH, sizeof(*od->path));
	od->label = xcalloc(OUTDIR_BATCH, sizeof(*od->label));
	od->slot = xcalloc(OUTDIR_BATCH, sizeof(*od->slot));
	od->fd = xcalloc(OUTDIR_BATCH, sizeof(*od->fd));
	od->unnamed = getenv("KONTOR_NAMED_TEMP") == NULL &&
	    unnamed_works(dir);
	od->fd_room = fd_room();
	/* Best effort: a folder that cannot be read fails at the writing. */
	if (tmpname_sweep(dir, &od->n_swept, on_old, arg) != KR_OK)
		od->n_swept = 0;
}

/*
 * Writes data into a file of od's folder that has no name yet; its
 * descriptor, or -1 when that cannot be done (and a named temp file is
 * made instead).
 */
static int
write_unnamed(struct outdir *od, const void *data, size_t len)
{
	int fd;

	if (!od->unnamed || od->n_open >= od->fd_room)
		return -1;
	fd = open(od->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
	if (fd == -1)
		return -1;
	if (fs_write_all(fd, data, len) != 0) {
		close(fd);	/* the file goes with its descriptor */
		return -1;
	}
	return fd;
}

/* Writes the temp file for name into tmp, registered in *slot. */
static int
write_tmp(struct outdir *od, const char *name, char tmp[PATH_MAX],
    int *slot, const void *data, size_t len)
{
	int fd, rc, saved;

	fd = tmpname_open(od->dir, name, 0666, tmp, slot);
	if (fd == -1)
		return KR_IO;
	rc = fs_write_all(fd, data, len);
	saved = errno;
	if (close(fd) != 0 && rc == 0) {
		rc = -1;
		saved = errno;
	}
	if (rc == 0)
		return KR_OK;
	unlink(tmp);
	tmpname_forget(*slot);
	errno = saved;
	return KR_IO;
}

int
outdir_put(struct outdir *od, const char *name, const char *label,
    const void *data, size_t len, struct kerr *e)
{
	char tmp[PATH_MAX], path[PATH_MAX];
	int slot;

	if (outdir_full(od))
		KBUG("outdir_put: %zu files pending in %s", od->n_pending,
		    od->dir);
	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL)
		return kerr_set(e, KR_BAD_INPUT, NULL, "not a plain file "
		    "name: \"%s\"", name);
	/* A name too long is the name's fault: other names may fit. */
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", od->dir, name) >=
	    sizeof(path))
		return kerr_set(e, KR_BAD_INPUT, NULL, "path too long: %s/%s",
		    od->dir, name);
	od->fd[od->n_pending] = write_unnamed(od, data, len);
	if (od->fd[od->n_pending] >= 0) {
		od->tmp[od->n_pending] = NULL;
		od->n_open++;
		slot = -1;
	} else if (write_tmp(od, name, tmp, &slot, data, len) != KR_OK) {
		return kerr_set(e, errno == ENAMETOOLONG ? KR_BAD_INPUT :
		    KR_IO, NULL, "%s: cannot write: %s", path,
		    strerror(errno));
	} else {
		od->tmp[od->n_pending] = xstrdup(tmp);
	}
	od->path[od->n_pending] = xstrdup(path);
	od->label[od->n_pending] = xstrdup(label != NULL ? label : "");
	od->slot[od->n_pending] = slot;
	od->n_pending++;
	return KR_OK;
}

int
outdir_full(const struct outdir *od)
{
	return od->n_pending >= OUTDIR_BATCH;
}

/* Removes pending file i, which was not made visible. */
static void
lose(struct outdir *od, size_t i)
{
	if (od->fd[i] >= 0) {
		close(od->fd[i]);	/* a file without a name goes too */
		od->n_open--;
	} else if (od->tmp[i] != NULL) {
		unlink(od->tmp[i]);
	}
	od->fd[i] = -1;
	od->n_lost++;
}

/*
 * Gives pending file i its name: a file without one gets it by a link,
 * or, where the name is taken, by a link to a temp name renamed over
 * it; a temp file by a rename.  0, or -1 with errno set.
 */
static int
publish(struct outdir *od, size_t i)
{
	char self[64], tmp[PATH_MAX];
	int fd, slot, rc, saved;

	if (od->fd[i] < 0)
		return rename(od->tmp[i], od->path[i]);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", od->fd[i]);
	if (linkat(AT_FDCWD, self, AT_FDCWD, od->path[i],
	    AT_SYMLINK_FOLLOW) == 0)
		rc = 0;
	else if (errno != EEXIST)
		rc = -1;
	else if ((fd = tmpname_open(od->dir, strrchr(od->path[i], '/') + 1,
	    0600, tmp, &slot)) == -1)
		rc = -1;
	else {
		close(fd);
		rc = unlink(tmp) == 0 && linkat(AT_FDCWD, self, AT_FDCWD, tmp,
		    AT_SYMLINK_FOLLOW) == 0 ? 0 : -1;
		if (rc == 0 && rename(tmp, od->path[i]) != 0) {
			saved = errno;
			unlink(tmp);
			errno = saved;
			rc = -1;
		}
		tmpname_forget(slot);
	}
	saved = errno;
	close(od->fd[i]);
	od->fd[i] = -1;
	od->n_open--;
	errno = saved;
	return rc;
}

/* Frees the pending lists' strings; nothing is pending afterwards. */
static void
clear(struct outdir *od)
{
	size_t i;

	for (i = 0; i < od->n_pending; i++) {
		tmpname_forget(od->slot[i]);
		free(od->tmp[i]);
		free(od->path[i]);
		free(od->label[i]);
		od->tmp[i] = od->path[i] = od->label[i] = NULL;
	}
	od->n_pending = 0;
}

int
outdir_flush(struct outdir *od, struct kerr *e)
{
	size_t i, n = od->n_pending;
	long lost = od->n_lost;
	int saved = 0;

	if (n == 0)
		return KR_OK;
	if (fs_sync_files(od->dir, od->tmp, od->fd, n) != KR_OK) {
		saved = errno;
		for (i = 0; i < n; i++)
			lose(od, i);
		clear(od);
		return kerr_set(e, KR_IO, NULL, "%s: cannot sync the %zu "
		    "files written last, which are not there: %s", od->dir,
		    n, strerror(saved));
	}
	for (i = 0; i < n; i++) {
		if (publish(od, i) == 0) {
			od->n_done++;
			continue;
		}
		if (saved == 0)
			saved = errno;
		if (od->on_lost != NULL)
			od->on_lost(od->lost_arg, od->path[i], od->label[i],
			    errno);
		lose(od, i);
	}
	clear(od);
	if (fs_sync_dir(od->dir) != KR_OK)
		return kerr_set(e, KR_IO, NULL, "%s: fsync of the folder "
		    "failed: %s", od->dir, strerror(errno));
	if (od->n_lost > lost && od->on_lost != NULL)
		return kerr_set(e, KR_IO, NULL, "%s: %ld of the files written "
		    "last are not there (each named above)", od->dir,
		    od->n_lost - lost);
	if (od->n_lost > lost)
		return kerr_set(e, KR_IO, NULL, "%s: cannot rename %ld of "
		    "the files written last to their names: %s", od->dir,
		    od->n_lost - lost, strerror(saved));
	return KR_OK;
}

void
outdir_release(struct outdir *od)
{
	size_t i;

	for (i = 0; i < od->n_pending; i++)
		lose(od, i);
	clear(od);
	free(od->tmp);
	free(od->path);
	free(od->label);
	free(od->slot);
	free(od->fd);
	od->tmp = od->path = od->label = NULL;
	od->slot = od->fd = NULL;
}

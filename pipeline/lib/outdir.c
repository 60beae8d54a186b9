/*
 * Output files in batches, each appearing whole or not at all (outdir.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "fs.h"
#include "outdir.h"
#include "tmpname.h"

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
	/* Best effort: a folder that cannot be read fails at the writing. */
	if (tmpname_sweep(dir, &od->n_swept, on_old, arg) != KR_OK)
		od->n_swept = 0;
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
	if (write_tmp(od, name, tmp, &slot, data, len) != KR_OK)
		return kerr_set(e, errno == ENAMETOOLONG ? KR_BAD_INPUT :
		    KR_IO, NULL, "%s: cannot write: %s", path,
		    strerror(errno));
	od->tmp[od->n_pending] = xstrdup(tmp);
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
	unlink(od->tmp[i]);
	od->n_lost++;
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
	if (fs_sync_files(od->dir, od->tmp, n) != KR_OK) {
		saved = errno;
		for (i = 0; i < n; i++)
			lose(od, i);
		clear(od);
		return kerr_set(e, KR_IO, NULL, "%s: cannot sync the %zu "
		    "files written last, which are not there: %s", od->dir,
		    n, strerror(saved));
	}
	for (i = 0; i < n; i++) {
		if (rename(od->tmp[i], od->path[i]) == 0) {
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
	od->tmp = od->path = od->label = NULL;
	od->slot = NULL;
}

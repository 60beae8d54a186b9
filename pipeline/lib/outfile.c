#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outfile.h"
#include "tmpname.h"

static int
outfile_fail(struct outfile *f, const char *path, const char *what,
    struct kerr *e)
{
	int saved = errno;

	outfile_abort(f);
	return kerr_set(e, KR_IO, NULL, "%s: %s: %s", path, what,
	    strerror(saved));
}

int
outfile_open(struct outfile *f, const char *dir, const char *name,
    struct kerr *e)
{
	int fd;

	memset(f, 0, sizeof(*f));
	f->slot = -1;
	if (name[0] == '\0' || name[0] == '.' || strchr(name, '/') != NULL)
		return kerr_set(e, KR_BAD_INPUT, NULL, "not a plain file "
		    "name: \"%s\"", name);
	if ((size_t)snprintf(f->path, sizeof(f->path), "%s/%s", dir, name) >=
	    sizeof(f->path))
		return kerr_set(e, KR_IO, NULL, "path too long: %s/%s", dir,
		    name);
	snprintf(f->dir, sizeof(f->dir), "%s", dir);
	fd = tmpname_open(dir, name, 0600, f->tmp, &f->slot);
	if (fd == -1) {
		f->tmp[0] = '\0';
		return outfile_fail(f, f->path, "cannot create", e);
	}
	f->fp = fdopen(fd, "wb");
	if (f->fp == NULL) {
		close(fd);
		return outfile_fail(f, f->tmp, "cannot open", e);
	}
	return KR_OK;
}

static int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	int rc;

	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

int
outfile_commit(struct outfile *f, struct kerr *e)
{
	mode_t mask;

	if (f->fp == NULL)
		KBUG("outfile_commit without an open file");
	mask = umask(0);
	umask(mask);
	if (fflush(f->fp) != 0 || ferror(f->fp))
		return outfile_fail(f, f->tmp, "write failed", e);
	if (fchmod(fileno(f->fp), 0666 & ~mask) != 0 ||
	    fsync(fileno(f->fp)) != 0)
		return outfile_fail(f, f->tmp, "fsync failed", e);
	if (fclose(f->fp) != 0) {
		f->fp = NULL;
		return outfile_fail(f, f->tmp, "close failed", e);
	}
	f->fp = NULL;
	if (rename(f->tmp, f->path) != 0)
		return outfile_fail(f, f->path, "cannot rename the temp "
		    "file", e);
	f->tmp[0] = '\0';
	tmpname_forget(f->slot);
	f->slot = -1;
	if (sync_dir(f->dir) != 0)
		return outfile_fail(f, f->dir, "fsync of the folder failed",
		    e);
	return KR_OK;
}

void
outfile_abort(struct outfile *f)
{
	if (f->fp != NULL)
		fclose(f->fp);
	f->fp = NULL;
	if (f->tmp[0] != '\0') {
		unlink(f->tmp);
		tmpname_forget(f->slot);
	}
	f->tmp[0] = '\0';
	f->slot = -1;
}

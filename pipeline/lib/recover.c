#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "deliver.h"
#include "recover.h"
#include "sha256.h"

#define MANIFEST_MAX	((size_t)16 << 20)

struct manifest {
	char id[DELIVER_ID_MAX];
	char run[64];
	char channel[32];
	struct delivery_file *files;
	size_t nfiles;
	char **names;		/* the files' names, owned */
	char **docs;
	size_t ndocs;
};

static void
manifest_release(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->nfiles; i++)
		free(m->names[i]);
	for (i = 0; i < m->ndocs; i++)
		free(m->docs[i]);
	free(m->names);
	free(m->files);
	free(m->docs);
	memset(m, 0, sizeof(*m));
}

static void
manifest_add_file(struct manifest *m, const char *name, long long size,
    const char *sha)
{
	struct delivery_file *f;

	m->files = xreallocarray(m->files, m->nfiles + 1, sizeof(*m->files));
	m->names = xreallocarray(m->names, m->nfiles + 1, sizeof(*m->names));
	m->names[m->nfiles] = xstrdup(name);
	f = &m->files[m->nfiles++];
	memset(f, 0, sizeof(*f));
	snprintf(f->sha256, sizeof(f->sha256), "%s", sha);
	f->size_bytes = size;
}

/* One MANIFEST line; 0 when it is not one kontor writes. */
static int
manifest_line(struct manifest *m, char *line)
{
	char a[256], b[256], c[256];
	long long size;

	if (sscanf(line, "delivery %63s", a) == 1)
		return snprintf(m->id, sizeof(m->id), "%s", a) > 0;
	if (sscanf(line, "run %63s", a) == 1)
		return snprintf(m->run, sizeof(m->run), "%s", a) > 0;
	if (sscanf(line, "doc %31s %255s", a, b) == 2) {
		if (m->channel[0] != '\0' && strcmp(m->channel, a) != 0)
			return 0;
		snprintf(m->channel, sizeof(m->channel), "%.31s", a);
		m->docs = xreallocarray(m->docs, m->ndocs + 1,
		    sizeof(*m->docs));
		m->docs[m->ndocs++] = xstrdup(b);
		return 1;
	}
	if (sscanf(line, "file %255s %lld %255s", a, &size, c) == 3 &&
	    strlen(c) == SHA256_HEX - 1) {
		manifest_add_file(m, a, size, c);
		return 1;
	}
	return 0;
}

static int
manifest_read(const char *path, struct manifest *m, struct kerr *e)
{
	FILE *fp = fopen(path, "r");
	char line[1024];
	long n = 0;

	if (fp == NULL)
		return kerr_set(e, KR_STATE, "", "cannot read %s", path);
	while (fgets(line, sizeof(line), fp) != NULL) {
		n++;
		line[strcspn(line, "\n")] = '\0';
		if (!manifest_line(m, line)) {
			fclose(fp);
			kerr_where(e, path, n);
			return kerr_set(e, KR_STATE, "", "not a line of a "
			    "kontor MANIFEST: \"%.60s\"", line);
		}
	}
	fclose(fp);
	if (m->id[0] == '\0' || m->run[0] == '\0')
		return kerr_set(e, KR_STATE, "", "%s names no delivery or run",
		    path);
	return KR_OK;
}

/* Checks every listed file, and lists the MANIFEST itself for the ledger. */
static int
manifest_verify(const char *dir, struct manifest *m, struct kerr *e)
{
	char path[PATH_MAX + 300], sha[SHA256_HEX];
	struct stat sb;
	size_t i;

	for (i = 0; i < m->nfiles; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, m->names[i]);
		if (stat(path, &sb) != 0 || sb.st_size !=
		    m->files[i].size_bytes || sha256_file_hex(path, sha) !=
		    KR_OK || strcmp(sha, m->files[i].sha256) != 0)
			return kerr_set(e, KR_STATE, "", "%s does not match "
			    "its MANIFEST (size or SHA-256): delivery %s is "
			    "not read back", path, m->id);
	}
	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	if (stat(path, &sb) != 0 || sha256_file_hex(path, sha) != KR_OK)
		return kerr_set(e, KR_STATE, "", "cannot read %s", path);
	manifest_add_file(m, "MANIFEST", (long long)sb.st_size, sha);
	for (i = 0; i < m->nfiles; i++)
		m->files[i].name = m->names[i];
	return KR_OK;
}

/* Raises the series of each document past it; counts the strays. */
static int
raise_series(const struct tenant *t, struct state *st,
    const struct manifest *m, struct recover_report *r, struct kerr *e)
{
	const struct config *c = &t->cfg;
	size_t i;
	int rc;

	for (i = 0; i < m->ndocs; i++) {
		rc = state_series_raise(st, c->number_pattern, m->docs[i], e);
		if (rc == KR_NOT_FOUND)
			rc = state_series_raise(st, c->credit_pattern,
			    m->docs[i], e);
		if (rc == KR_NOT_FOUND) {
			r->unmatched++;
			continue;
		}
		if (rc != KR_OK)
			return rc;
	}
	return KR_OK;
}

static int
record(const struct tenant *t, struct state *st, const struct manifest *m,
    int archived, struct recover_report *r, struct kerr *e)
{
	struct delivery_row row;
	int rc;

	memset(&row, 0, sizeof(row));
	row.id = m->id;
	row.channel = m->channel[0] ? m->channel : "datev";
	row.run_id = m->run;
	row.files = m->files;
	row.nfiles = m->nfiles;
	row.docs = (const char *const *)m->docs;
	row.ndocs = m->ndocs;
	rc = state_begin(st, e);
	if (rc != KR_OK)
		return rc;
	rc = state_delivery_pending(st, &row, e);
	if (rc == KR_OK)
		rc = raise_series(t, st, m, r, e);
	if (rc == KR_OK)
		rc = state_commit(st, e);
	if (rc != KR_OK) {
		state_rollback(st);
		return rc;
	}
	/*
	 * The archive before the mark, as deliver_finish does: a delivery
	 * that cannot be archived stays pending, and the next run or
	 * recover finishes it once archive/ is mended.
	 */
	if (!archived)
		rc = deliver_archive(t, m->id, m->files, m->nfiles, e);
	if (rc == KR_OK)
		rc = state_delivery_done(st, m->id, e);
	return rc;
}

/* Reads back the delivery id from top/<id>/ ("out" or "archive"). */
static int
read_back(const struct tenant *t, struct state *st, const char *top,
    const char *id, recover_fn note, void *arg, struct recover_report *r,
    struct kerr *e)
{
	char dir[PATH_MAX], path[PATH_MAX + 16], line[512];
	struct manifest m;
	int rc;

	if (snprintf(dir, sizeof(dir), "%s/%s/%s", t->dir, top, id) >=
	    (int)sizeof(dir))
		return kerr_set(e, KR_STATE, "", "path too long");
	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	memset(&m, 0, sizeof(m));
	rc = manifest_read(path, &m, e);
	if (rc == KR_OK && strcmp(m.id, id) != 0)
		rc = kerr_set(e, KR_STATE, "", "%s names delivery %s, not %s",
		    path, m.id, id);
	if (rc == KR_OK)
		rc = manifest_verify(dir, &m, e);
	if (rc == KR_OK)
		rc = record(t, st, &m, strcmp(top, "archive") == 0, r, e);
	if (rc == KR_OK) {
		r->deliveries++;
		r->documents += (long)m.ndocs;
		snprintf(line, sizeof(line), "read back delivery %s from "
		    "%s/: %zu document%s on channel %s", id, top, m.ndocs,
		    m.ndocs == 1 ? "" : "s",
		    m.channel[0] ? m.channel : "datev");
		note(arg, line);
	}
	manifest_release(&m);
	return rc;
}

/* Reads back the unknown deliveries of top ("out" or "archive"). */
static int
recover_in(const struct tenant *t, struct state *st, const char *top,
    recover_fn note, void *arg, struct recover_report *r, struct kerr *e)
{
	char dir[PATH_MAX];
	struct dirent **list;
	int i, n, rc = KR_OK;

	if (snprintf(dir, sizeof(dir), "%s/%s", t->dir, top) >=
	    (int)sizeof(dir))
		return kerr_set(e, KR_STATE, "", "path too long");
	n = scandir(dir, &list, NULL, alphasort);
	if (n < 0)
		return errno == ENOENT ? KR_OK :
		    kerr_set(e, KR_IO, "", "cannot list %s", dir);
	for (i = 0; i < n; i++) {
		const char *id = list[i]->d_name;

		if (rc == KR_OK && id[0] != '.' &&
		    state_delivery_known(st, id) == 0)
			rc = read_back(t, st, top, id, note, arg, r, e);
		free(list[i]);
	}
	free(list);
	return rc;
}

/*
 * out/ first, where a delivery is complete with its archive links made
 * here; then archive/, which keeps what out/ may have lost.
 */
int
recover_deliveries(const struct tenant *t, struct state *st,
    recover_fn note, void *arg, struct recover_report *r, struct kerr *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = recover_in(t, st, "out", note, arg, r, e);
	if (rc == KR_OK)
		rc = recover_in(t, st, "archive", note, arg, r, e);
	return rc;
}

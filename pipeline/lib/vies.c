#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "ktime.h"
#include "linefile.h"
#include "vies.h"

static int
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

static int
vies_line(void *arg, char **f, int nf, long n, struct kerr *e)
{
	struct vies *v = arg;
	struct vies_entry *x;
	struct vatid id;

	(void)nf;
	if (vatid_check(f[0], &id) != VATID_CHECKSUM_VALID &&
	    id.status != VATID_SYNTAX_ONLY)
		return linefile_fail(e, v->path, n, 1, id.msg);
	if (strlen(f[1]) != 10 || !ktime_valid_date(f[1]))
		return linefile_fail(e, v->path, n, 2, "expected the day of "
		    "the confirmation like \"2026-10-20\"");
	if (f[2][0] == '\0' || strlen(f[2]) >= VIES_NUMBER_MAX ||
	    !printable(f[2]))
		return linefile_fail(e, v->path, n, 3, "expected the VIES "
		    "consultation number, letters and digits without spaces");
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 32;
		v->entry = xreallocarray(v->entry, v->cap, sizeof(*v->entry));
	}
	x = &v->entry[v->n++];
	memcpy(x->id, id.id, sizeof(x->id));
	memcpy(x->date, f[1], sizeof(x->date));
	memcpy(x->number, f[2], strlen(f[2]) + 1);
	return KR_OK;
}

int
vies_load(struct vies *v, const char *path, struct kerr *e)
{
	int rc;

	memset(v, 0, sizeof(*v));
	v->path = xstrdup(path);
	rc = linefile_read(path, 3, 3, "VAT id,date,consultation number",
	    "the VIES confirmations", vies_line, v, e);
	if (rc != KR_OK)
		vies_release(v);
	return rc;
}

void
vies_release(struct vies *v)
{
	free(v->entry);
	free(v->path);
	memset(v, 0, sizeof(*v));
}

const struct vies_entry *
vies_find(const struct vies *v, const char *id, const char *day)
{
	const struct vies_entry *best = NULL;
	size_t i;

	for (i = 0; i < v->n; i++) {
		const struct vies_entry *x = &v->entry[i];

		if (strcmp(x->id, id) != 0 || strcmp(x->date, day) > 0)
			continue;
		if (best == NULL || strcmp(x->date, best->date) >= 0)
			best = x;
	}
	return best;
}

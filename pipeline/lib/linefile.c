#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fs.h"
#include "linefile.h"

int
linefile_fail(struct kerr *e, const char *path, long line, int column,
    const char *what)
{
	char field[32];

	kerr_where(e, path, line);
	snprintf(field, sizeof(field), "column %d", column);
	return kerr_set(e, KR_CONFIG, field, "%s", what);
}

/* Splits line at its commas; returns the number of fields, or max + 1
 * when there are more. */
static int
split(char *line, char **field, int max)
{
	int n = 0;

	field[n++] = line;
	for (; *line != '\0'; line++) {
		if (*line != ',')
			continue;
		*line = '\0';
		if (n == max)
			return max + 1;
		field[n++] = line + 1;
	}
	return n;
}

int
linefile_read(const char *path, int min, int max, const char *usage,
    const char *what, linefile_fn fn, void *arg, struct kerr *e)
{
	char line[LINEFILE_LINE_MAX + 2], *field[LINEFILE_FIELDS_MAX], *start;
	char msg[160];
	long n = 0;
	size_t len;
	FILE *fp;
	int nf, rc = KR_OK;

	if (max > LINEFILE_FIELDS_MAX)
		KBUG("linefile: %d fields", max);
	fp = fs_fopen_regular(path);
	if (fp == NULL) {
		kerr_where(e, path, 0);
		return kerr_set(e, KR_CONFIG, "", "cannot read %s: %s", what,
		    errno == EINVAL ? "not a regular file" : strerror(errno));
	}
	while (rc == KR_OK && fgets(line, sizeof(line), fp) != NULL) {
		n++;
		len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			rc = linefile_fail(e, path, n, 1, "the line is longer "
			    "than 512 bytes");
			break;
		}
		if ((len == 0 || line[len - 1] != '\n') && !feof(fp)) {
			rc = linefile_fail(e, path, n, 1, "the line holds a "
			    "NUL byte");
			break;
		}
		line[strcspn(line, "\r\n")] = '\0';
		start = line;
		/* A byte order mark, as spreadsheets write it. */
		if (n == 1 && strncmp(start, "\xEF\xBB\xBF", 3) == 0)
			start += 3;
		if (start[0] == '\0' || start[0] == '#')
			continue;
		nf = split(start, field, max);
		if (nf < min || nf > max) {
			snprintf(msg, sizeof(msg), "expected %s", usage);
			rc = linefile_fail(e, path, n, 1, msg);
			break;
		}
		rc = fn(arg, field, nf, n, e);
	}
	if (rc == KR_OK && ferror(fp)) {
		kerr_where(e, path, n);
		rc = kerr_set(e, KR_CONFIG, "", "cannot read %s: %s", what,
		    strerror(errno));
	}
	fclose(fp);
	return rc;
}

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "fs.h"
#include "vatrates_csv.h"

int
rcsv_fail(const struct rcsv *c, int col, int code, struct kerr *e,
    const char *fmt, ...)
{
	char field[KERR_FIELD_MAX];
	va_list ap;

	if (col >= 1 && col <= c->ncol)
		snprintf(field, sizeof(field), "column %d (%s)", col,
		    c->names[col - 1]);
	else if (col >= 1)
		snprintf(field, sizeof(field), "column %d", col);
	else
		field[0] = '\0';
	kerr_where(e, c->path, c->line);
	va_start(ap, fmt);
	kerr_vset(e, code, field, fmt, ap);
	va_end(ap);
	return code;
}

static int
rcsv_slurp(struct rcsv *c, size_t cap_bytes, struct kerr *e)
{
	FILE *fp;
	struct buf b;
	char chunk[8192];
	size_t n;
	int rc = KR_OK;

	fp = fs_fopen_regular(c->path);
	if (fp == NULL)
		return rcsv_fail(c, 0, KR_IO, e, "cannot open: %s",
		    strerror(errno));
	buf_init(&b, cap_bytes);
	while (rc == KR_OK && (n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		rc = buf_add(&b, chunk, n);
	if (rc == KR_OK && ferror(fp))
		rc = rcsv_fail(c, 0, KR_IO, e, "cannot read");
	else if (rc != KR_OK)
		rc = rcsv_fail(c, 0, KR_TOO_BIG, e, "larger than %zu KiB",
		    cap_bytes >> 10);
	fclose(fp);
	if (rc == KR_OK && memchr(b.data ? b.data : "", '\0', b.len) != NULL)
		rc = rcsv_fail(c, 0, KR_BAD_INPUT, e, "not a text file");
	if (rc != KR_OK) {
		buf_release(&b);
		return rc;
	}
	c->text = buf_take(&b, NULL);
	c->next = c->text;
	return KR_OK;
}

/* The column (1-based) that byte p of the row starting at row lies in. */
static int
rcsv_column(const char *row, const char *p)
{
	int col = 1;

	for (; row < p; row++)
		if (*row == ',')
			col++;
	return col;
}

/* Length of the UTF-8 sequence at p, or 0 when it is not one. */
static int
utf8_len(const unsigned char *p)
{
	int n, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	for (i = 1; i < n; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

static int
rcsv_check_bytes(struct rcsv *c, const char *row, size_t len,
    struct kerr *e)
{
	const unsigned char *p = (const unsigned char *)row;
	size_t i = 0;
	int n;

	while (i < len) {
		if (p[i] == '\r')
			return rcsv_fail(c, rcsv_column(row, row + i),
			    KR_BAD_INPUT, e, "carriage return: the file "
			    "must have \\n line ends");
		if (p[i] == '"')
			return rcsv_fail(c, rcsv_column(row, row + i),
			    KR_BAD_INPUT, e, "quote: fields are not quoted "
			    "in this file");
		if (p[i] < 0x20 || p[i] == 0x7f)
			return rcsv_fail(c, rcsv_column(row, row + i),
			    KR_BAD_INPUT, e, "control character 0x%02x",
			    p[i]);
		n = utf8_len(p + i);
		if (n == 0 || i + (size_t)n > len)
			return rcsv_fail(c, rcsv_column(row, row + i),
			    KR_BAD_INPUT, e, "not UTF-8");
		i += (size_t)n;
	}
	return KR_OK;
}

/* Splits the row in place into c->col; NUL-terminates each field. */
static int
rcsv_split(struct rcsv *c, char *row, struct kerr *e)
{
	char *p = row;
	int n = 0;

	for (;;) {
		if (n == c->ncol)
			return rcsv_fail(c, n + 1, KR_BAD_INPUT, e,
			    "more than %d columns", c->ncol);
		c->col[n++] = p;
		p = strchr(p, ',');
		if (p == NULL)
			break;
		*p++ = '\0';
	}
	if (n < c->ncol)
		return rcsv_fail(c, n + 1, KR_BAD_INPUT, e,
		    "%d columns, expected %d", n, c->ncol);
	return KR_OK;
}

int
rcsv_row(struct rcsv *c, int *eof, struct kerr *e)
{
	char *row = c->next, *end;
	size_t len;
	int rc;

	*eof = 0;
	if (*row == '\0') {
		*eof = 1;
		return KR_OK;
	}
	c->line++;
	end = strchr(row, '\n');
	len = end != NULL ? (size_t)(end - row) : strlen(row);
	c->next = end != NULL ? end + 1 : row + len;
	if (len == 0)
		return rcsv_fail(c, 0, KR_BAD_INPUT, e, "empty line");
	rc = rcsv_check_bytes(c, row, len, e);
	if (rc != KR_OK)
		return rc;
	row[len] = '\0';
	return rcsv_split(c, row, e);
}

static int
rcsv_header(struct rcsv *c, struct kerr *e)
{
	int eof, rc, i;

	if ((unsigned char)c->text[0] == 0xef)
		return rcsv_fail(c, 1, KR_BAD_INPUT, e,
		    "byte order mark: the file must start with its header");
	rc = rcsv_row(c, &eof, e);
	if (rc != KR_OK)
		return rc;
	if (eof)
		return rcsv_fail(c, 0, KR_BAD_INPUT, e, "empty file");
	for (i = 0; i < c->ncol; i++)
		if (strcmp(c->col[i], c->names[i]) != 0)
			return rcsv_fail(c, i + 1, KR_BAD_INPUT, e,
			    "expected header \"%s\", got \"%s\"",
			    c->names[i], c->col[i]);
	return KR_OK;
}

int
rcsv_open(struct rcsv *c, const char *dir, const char *name,
    const char *const *names, int ncol, size_t cap_bytes, struct kerr *e)
{
	int n;

	memset(c, 0, sizeof(*c));
	if (ncol > RCSV_COLS_MAX)
		KBUG("rcsv_open: %d columns", ncol);
	c->names = names;
	c->ncol = ncol;
	n = snprintf(c->path, sizeof(c->path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(c->path)) {
		snprintf(c->path, sizeof(c->path), "%s", name);
		return rcsv_fail(c, 0, KR_IO, e, "folder name too long");
	}
	n = rcsv_slurp(c, cap_bytes, e);
	if (n != KR_OK)
		return n;
	return rcsv_header(c, e);
}

void
rcsv_release(struct rcsv *c)
{
	free(c->text);
	c->text = NULL;
	c->next = NULL;
}

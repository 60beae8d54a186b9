#include <string.h>

#include "csv.h"
#include "utf8.h"

void
csv_init(struct csv *c, FILE *fp, long first_line)
{
	memset(c, 0, sizeof(*c));
	c->fp = fp;
	buf_init(&c->rec, CSV_RECORD_MAX);
	c->next_line = first_line;
	c->at_start = 1;
}

void
csv_release(struct csv *c)
{
	buf_release(&c->rec);
	memset(c, 0, sizeof(*c));
}

const char *
csv_field(const struct csv *c, size_t i)
{
	return i < c->nfields ? c->rec.data + c->off[i] : "";
}

static int
csv_fail(struct csv *c, struct kerr *e, int code, const char *msg)
{
	kerr_set(e, code, "", "%s", msg);
	kerr_where(e, NULL, c->line);
	return code;
}

/* Ends the field being read; the next one starts after its NUL. */
static int
csv_end_field(struct csv *c, struct kerr *e)
{
	if (c->nfields == CSV_FIELDS_MAX)
		return csv_fail(c, e, KR_TOO_BIG, "more fields in a record "
		    "than kontor reads");
	if (buf_addc(&c->rec, '\0') != KR_OK)
		return csv_fail(c, e, KR_TOO_BIG, "a record longer than "
		    "1 MiB");
	c->off[++c->nfields] = c->rec.len;
	return KR_OK;
}

/*
 * The record is complete: every field must be UTF-8 without NUL, and
 * without a control character that XML cannot hold, as the JSON reader
 * checks its strings: the order is then refused here, with its file,
 * before it is numbered, not its record by a later stage.
 */
static int
csv_check(struct csv *c, struct kerr *e)
{
	size_t i, n;
	uint32_t ch;

	for (i = 0; i < c->nfields; i++) {
		n = c->off[i + 1] - c->off[i] - 1;
		if (memchr(c->rec.data + c->off[i], '\0', n) != NULL)
			return csv_fail(c, e, KR_BAD_INPUT,
			    "a NUL character in a field");
		if (!utf8_valid(c->rec.data + c->off[i], n))
			return csv_fail(c, e, KR_BAD_INPUT,
			    "invalid UTF-8 in a field");
		if ((ch = utf8_unwritable(c->rec.data + c->off[i], n)) != 0) {
			kerr_set(e, KR_BAD_INPUT, "", "a field with the "
			    "character U+%04X, which no invoice can carry",
			    (unsigned)ch);
			kerr_where(e, NULL, c->line);
			return KR_BAD_INPUT;
		}
	}
	return KR_OK;
}

/* A quoted field, from after its opening quote to after its closing. */
static int
csv_quoted(struct csv *c, struct kerr *e)
{
	int ch;

	for (;;) {
		ch = getc(c->fp);
		if (ch == EOF)
			return csv_fail(c, e, KR_BAD_INPUT, ferror(c->fp) ?
			    "read error" : "a quoted field is not closed");
		if (ch == '"') {
			ch = getc(c->fp);
			if (ch != '"') {
				if (ch != EOF)
					ungetc(ch, c->fp);
				return KR_OK;
			}
		}
		if (ch == '\n')
			c->next_line++;
		if (buf_addc(&c->rec, ch) != KR_OK)
			return csv_fail(c, e, KR_TOO_BIG, "a record longer "
			    "than 1 MiB");
	}
}

/* A UTF-8 byte order mark at the start is skipped; nothing else is. */
static int
csv_skip_bom(struct csv *c, struct kerr *e)
{
	int ch;

	c->at_start = 0;
	ch = getc(c->fp);
	if (ch != 0xEF) {
		if (ch != EOF)
			ungetc(ch, c->fp);
		return KR_OK;
	}
	if (getc(c->fp) == 0xBB && getc(c->fp) == 0xBF)
		return KR_OK;
	c->line = c->next_line;
	return csv_fail(c, e, KR_BAD_INPUT, "the file starts with bytes "
	    "that are neither text nor a UTF-8 byte order mark");
}

/* After a closing quote only a separator or the record's end may come. */
static int
csv_after_quote(struct csv *c, int ch, struct kerr *e)
{
	if (ch == ',' || ch == '\n' || ch == '\r' || ch == EOF)
		return KR_OK;
	return csv_fail(c, e, KR_BAD_INPUT,
	    "text after the closing quote of a field");
}

static int
csv_read(struct csv *c, struct kerr *e)
{
	int ch, quoted = 0, rc;

	for (;;) {
		ch = getc(c->fp);
		if (quoted && (rc = csv_after_quote(c, ch, e)) != KR_OK)
			return rc;
		if (ch == '"' && c->rec.len == c->off[c->nfields]) {
			if ((rc = csv_quoted(c, e)) != KR_OK)
				return rc;
			quoted = 1;
			continue;
		}
		quoted = 0;
		if (ch == ',') {
			if ((rc = csv_end_field(c, e)) != KR_OK)
				return rc;
			continue;
		}
		if (ch == '\r') {
			ch = getc(c->fp);
			if (ch != '\n' && ch != EOF)
				ungetc(ch, c->fp);
			ch = '\n';
		}
		if (ch == '\n' || ch == EOF) {
			if (ch == '\n')
				c->next_line++;
			if (ch == EOF && ferror(c->fp))
				return csv_fail(c, e, KR_IO, "read error");
			return csv_end_field(c, e);
		}
		if (buf_addc(&c->rec, ch) != KR_OK)
			return csv_fail(c, e, KR_TOO_BIG, "a record longer "
			    "than 1 MiB");
	}
}

int
csv_next(struct csv *c, struct kerr *e)
{
	int ch, rc;

	if (c->at_start && (rc = csv_skip_bom(c, e)) != KR_OK)
		return rc;
	for (;;) {
		buf_reset(&c->rec);
		c->nfields = 0;
		c->off[0] = 0;
		c->line = c->next_line;
		ch = getc(c->fp);
		if (ch == EOF)
			return ferror(c->fp) ? csv_fail(c, e, KR_IO,
			    "read error") : KR_NOT_FOUND;
		ungetc(ch, c->fp);
		if ((rc = csv_read(c, e)) != KR_OK)
			return rc;
		/* A blank line is one empty field: no record. */
		if (c->nfields == 1 && c->off[1] == 1)
			continue;
		return csv_check(c, e);
	}
}

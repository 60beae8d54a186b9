#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "record.h"

#define REC_CHUNK	((size_t)64 << 10)
/*
 * Standard output's buffer when records go to a pipe or a file: with
 * stdio's own 4 KiB a night's order records leave in some thousands of
 * pieces, each waking the next stage for one read.  (glibc takes the
 * size only with a buffer given.)
 */
static char stdout_buf[64 << 10];

void
rec_in_init(struct rec_in *in, FILE *fp, const char *name)
{
	memset(in, 0, sizeof(*in));
	in->fp = fp;
	in->name = name;
	buf_init(&in->line_buf, REC_LINE_MAX + 1);
	jdoc_init(&in->doc);
	in->chunk = xmalloc(REC_CHUNK);
}

void
rec_in_release(struct rec_in *in)
{
	buf_release(&in->line_buf);
	jdoc_release(&in->doc);
	free(in->chunk);
	in->chunk = NULL;
}

void
rec_in_on_read(struct rec_in *in, void (*fn)(void *), void *arg)
{
	in->on_read = fn;
	in->on_read_arg = arg;
}

/*
 * Reads one line into line_buf, without the newline.  A line over the cap
 * is consumed to its end and reported as KR_TOO_BIG.
 */
static int
rec_read_line(struct rec_in *in)
{
	int too_big = 0;

	buf_reset(&in->line_buf);
	for (;;) {
		char *nl;
		size_t n;

		if (in->chunk_pos == in->chunk_len) {
			if (in->eof)
				break;
			if (in->on_read != NULL)
				in->on_read(in->on_read_arg);
			in->chunk_len = fread(in->chunk, 1, REC_CHUNK, in->fp);
			in->chunk_pos = 0;
			if (in->chunk_len == 0) {
				in->eof = 1;
				if (ferror(in->fp))
					return KR_IO;
				break;
			}
		}
		nl = memchr(in->chunk + in->chunk_pos, '\n',
		    in->chunk_len - in->chunk_pos);
		n = nl ? (size_t)(nl - (in->chunk + in->chunk_pos)) :
		    in->chunk_len - in->chunk_pos;
		if (!too_big && buf_add(&in->line_buf,
		    in->chunk + in->chunk_pos, n) != KR_OK)
			too_big = 1;
		in->chunk_pos += n;
		if (nl != NULL) {
			in->chunk_pos++;
			in->line++;
			return too_big ? KR_TOO_BIG : KR_OK;
		}
	}
	if (in->line_buf.len == 0 && !too_big)
		return KR_NOT_FOUND;
	in->line++;	/* a last line without its newline */
	return too_big ? KR_TOO_BIG : KR_OK;
}

static int
rec_parse_version(const char *v, int *major, int *minor)
{
	char *end;
	long ma, mi;

	errno = 0;
	ma = strtol(v, &end, 10);
	if (end == v || *end != '.' || errno != 0 || ma < 0 || ma > 999)
		return KR_BAD_INPUT;
	v = end + 1;
	mi = strtol(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0 || mi < 0 || mi > 999)
		return KR_BAD_INPUT;
	*major = (int)ma;
	*minor = (int)mi;
	return KR_OK;
}

int
rec_read(struct rec_in *in, struct rec *r, struct kerr *e)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = rec_read_line(in);
	if (rc == KR_NOT_FOUND || rc == KR_IO) {
		if (rc == KR_IO)
			kerr_set(e, KR_IO, NULL, "read error: %s",
			    strerror(errno));
		return rc;
	}

	kerr_where(e, in->name, in->line);
	r->line = in->line;
	if (rc == KR_TOO_BIG)
		return kerr_set(e, KR_TOO_BIG, NULL,
		    "record longer than %zu MiB", REC_LINE_MAX >> 20);
	/*
	 * An empty line is no record, as a line of blanks is not: no stage
	 * writes one, so it says that something between two stages went
	 * wrong, and skipping it unsaid would hide that.
	 */
	if (in->line_buf.len == 0)
		return kerr_set(e, KR_BAD_INPUT, NULL, "an empty line: "
		    "expected a record (a JSON object)");
	r->raw = in->line_buf.data;
	r->raw_len = in->line_buf.len;
	return KR_OK;
}

/*
 * 1 when the line is only "{" or "[" between blanks: a record spread
 * over many lines, as jq prints it without -c.  Each of its lines is
 * malformed alone, and what yajl says of the first does not tell why.
 */
static int
opens_only(const char *p, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		if (p[i] == ' ' || p[i] == '\t' || p[i] == '\r')
			continue;
		if ((p[i] != '{' && p[i] != '[') || n++ > 0)
			return 0;
	}
	return n == 1;
}

int
rec_parse(struct rec_in *in, struct rec *r, struct kerr *e)
{
	const char *v;
	int rc;

	rc = jdoc_parse(&in->doc, r->raw, r->raw_len, e);
	kerr_where(e, in->name, r->line);
	if (rc == KR_BAD_INPUT && opens_only(r->raw, r->raw_len))
		return kerr_set(e, KR_BAD_INPUT, NULL, "malformed record: "
		    "the line holds only the start of a JSON value; records "
		    "are one JSON object per line, not pretty-printed (jq "
		    "needs -c)");
	if (rc != KR_OK)
		return rc;

	r->root = in->doc.root;
	if (r->root->type != J_OBJECT)
		return kerr_set(e, KR_BAD_INPUT, NULL,
		    "expected a record (a JSON object), got %s",
		    jtype_name(r->root));
	r->type = jstr(jget(r->root, "type"));
	if (r->type == NULL)
		return kerr_set(e, KR_BAD_INPUT, "type",
		    "expected the record type as a string");
	v = jstr(jget(r->root, "v"));
	if (v == NULL || rec_parse_version(v, &r->v_major, &r->v_minor) !=
	    KR_OK)
		return kerr_set(e, KR_BAD_INPUT, "v",
		    "expected a version like \"1.0\", got %s",
		    v ? v : jtype_name(jget(r->root, "v")));
	return KR_OK;
}

int
rec_next(struct rec_in *in, struct rec *r, struct kerr *e)
{
	int rc = rec_read(in, r, e);

	return rc == KR_OK ? rec_parse(in, r, e) : rc;
}

int
rec_check_version(const struct rec *r, int major, struct kerr *e)
{
	if (r->v_major == major)
		return KR_OK;
	return kerr_set(e, KR_BAD_INPUT, "v",
	    "%s record version %d.%d is not known here (expected %d.x)",
	    r->type, r->v_major, r->v_minor, major);
}

void
rec_out_init(struct rec_out *o, FILE *fp)
{
	/* Before anything is written; a terminal keeps its lines. */
	if (fp == stdout && !isatty(fileno(fp)))
		setvbuf(fp, stdout_buf, _IOFBF, sizeof(stdout_buf));
	o->fp = fp;
	o->to = NULL;
	buf_init(&o->b, REC_LINE_MAX);
	jw_init(&o->w, &o->b);
}

void
rec_out_init_buf(struct rec_out *o, struct buf *to)
{
	rec_out_init(o, NULL);
	o->to = to;
}

/* Writes or appends n bytes; KR_OK, KR_TOO_BIG or KR_IO. */
static int
rec_put(struct rec_out *o, const char *p, size_t n)
{
	if (o->to != NULL)
		return buf_add(o->to, p, n);
	return fwrite(p, 1, n, o->fp) == n ? KR_OK : KR_IO;
}

void
rec_out_release(struct rec_out *o)
{
	buf_release(&o->b);
}

struct jw *
rec_begin(struct rec_out *o, const char *type)
{
	buf_reset(&o->b);
	jw_init(&o->w, &o->b);
	jw_obj(&o->w);
	jw_kv_str(&o->w, "type", type);
	jw_kv_str(&o->w, "v", REC_VERSION);
	return &o->w;
}

int
rec_end(struct rec_out *o)
{
	int rc;

	jw_obj_end(&o->w);
	rc = jw_status(&o->w);
	if (rc != KR_OK)
		return rc;
	buf_addc(&o->b, '\n');
	return rec_put(o, o->b.data, o->b.len);
}

int
rec_write(struct rec_out *o, const char *lines, size_t len)
{
	return rec_put(o, lines, len);
}

int
rec_pass(struct rec_out *o, const struct rec *r)
{
	int rc = rec_put(o, r->raw, r->raw_len);

	return rc == KR_OK ? rec_put(o, "\n", 1) : rc;
}

int
rec_out_close(struct rec_out *o)
{
	if (o->to != NULL)
		return KR_OK;
	if (fflush(o->fp) != 0 || ferror(o->fp))
		return KR_IO;
	return KR_OK;
}

void
rec_source(const struct jnode *root, const char **file, const char **line)
{
	const struct jnode *src = jget(root, "source");

	*file = jstr(jget(src, "file"));
	*line = jstr(jget(src, "line"));
}

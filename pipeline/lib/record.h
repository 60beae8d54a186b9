#ifndef KONTOR_RECORD_H
#define KONTOR_RECORD_H

/*
 * The record stream between stages (docs/records.md).
 *
 * One JSON object per line, each with "type" and "v" ("MAJOR.MINOR").
 * A reader hands over one record at a time together with its raw bytes,
 * so that a stage can pass a record it does not handle through untouched.
 * A line that is not a JSON object with a type, an empty line too, is a
 * bad record: reported, skipped, and the stream goes on.  Lines longer
 * than REC_LINE_MAX are refused the same way.
 */

#include <stdio.h>

#include "buf.h"
#include "err.h"
#include "json.h"

#define REC_LINE_MAX	((size_t)16 << 20)	/* 16 MiB */
#define REC_MAJOR	1
#define REC_VERSION	"1.0"

struct rec_in {
	FILE *fp;
	const char *name;	/* for messages: a file name or "-" */
	long line;		/* line number of the current record */
	struct buf line_buf;
	struct jdoc doc;
	char *chunk;		/* read buffer */
	size_t chunk_len, chunk_pos;
	int eof;
	void (*on_read)(void *);	/* rec_in_on_read */
	void *on_read_arg;
};

struct rec {
	const char *type;		/* "order", "invoice", "run", ... */
	int v_major, v_minor;
	const struct jnode *root;	/* the whole record */
	const char *raw;		/* the line, without its newline */
	size_t raw_len;
	long line;
};

/* Reads records from fp; name is used in messages.  fp stays the caller's. */
void	rec_in_init(struct rec_in *in, FILE *fp, const char *name);
void	rec_in_release(struct rec_in *in);

/*
 * Has fn(arg) called before each read from the stream, which may wait
 * for the stage before: what is already read came before it, what the
 * read brings may be newer.  kontor-datev and kontor-xrechnung end
 * the read transaction that their lookups of the records read so far
 * share.
 */
void	rec_in_on_read(struct rec_in *in, void (*fn)(void *), void *arg);

/*
 * Reads the next record into r; r and everything it points to stay valid
 * until the next call.  Returns KR_OK, KR_NOT_FOUND at the end of input,
 * KR_BAD_INPUT or KR_TOO_BIG for a line that is not a record (e filled;
 * the caller reports it and calls again), or KR_IO.
 */
int	rec_next(struct rec_in *in, struct rec *r, struct kerr *e);

/*
 * rec_next in two steps, for a stage that can take some lines by their
 * bytes alone: rec_read reads the next line into r (raw, raw_len and
 * line set, the rest empty) with the same results as rec_next for a
 * line it cannot read; rec_parse then parses it and fills the rest of
 * r, with the same results as rec_next for a line that is no record.
 */
int	rec_read(struct rec_in *in, struct rec *r, struct kerr *e);
int	rec_parse(struct rec_in *in, struct rec *r, struct kerr *e);

/*
 * Checks that a record of a type the caller handles has a major version
 * the caller knows.  Returns KR_OK or KR_BAD_INPUT with e filled.
 */
int	rec_check_version(const struct rec *r, int major, struct kerr *e);

/* Writing records */

struct rec_out {
	FILE *fp;
	struct buf *to;		/* lines go here instead of fp */
	struct buf b;
	struct jw w;
};

/*
 * Records go to fp.  When it is stdout, it must not have been written to
 * yet: its buffer is made larger unless it is a terminal.
 */
void	rec_out_init(struct rec_out *o, FILE *fp);
/*
 * As rec_out_init, for a stage that holds records back: each line is
 * appended to to, which stays the caller's, instead of being written.
 */
void	rec_out_init_buf(struct rec_out *o, struct buf *to);
void	rec_out_release(struct rec_out *o);
/*
 * Starts a record of the given type: writes {"type":..,"v":.. and leaves
 * the object open for the caller's fields.  Returns the writer.
 */
struct jw	*rec_begin(struct rec_out *o, const char *type);
/*
 * Closes the record and writes the line.  KR_OK, KR_TOO_BIG (also when
 * the line does not fit into the buffer of rec_out_init_buf), or KR_IO.
 */
int	rec_end(struct rec_out *o);
/* Writes lines of records made elsewhere.  KR_OK, KR_TOO_BIG or KR_IO. */
int	rec_write(struct rec_out *o, const char *lines, size_t len);
/* Writes r's line as it came.  KR_OK or KR_IO. */
int	rec_pass(struct rec_out *o, const struct rec *r);
/* Flushes and checks the stream for write errors.  KR_OK or KR_IO. */
int	rec_out_close(struct rec_out *o);

/*
 * Reads a record's "source" member: the file it came from ("spool/shop/
 * 4711.json", or "-" for a stream) and the line in it ("" when none).
 * Either may come back NULL.
 */
void	rec_source(const struct jnode *root, const char **file,
	    const char **line);

#endif

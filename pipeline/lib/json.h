#ifndef KONTOR_JSON_H
#define KONTOR_JSON_H

/*
 * The project's one JSON reader and one JSON writer.
 *
 * Reading is done with yajl's callback parser, which hands over every
 * number as the text that was written, so a value is never squeezed
 * through a double.  The callbacks build a compact tree in an arena:
 * a node's children sit next to each other in one array, strings and
 * number texts are NUL-terminated copies.  All of a document's memory is
 * released at once by jdoc_reset or jdoc_release, except its member
 * names: a struct jdoc keeps one copy of each name it has read
 * (jkeys.h), for all the documents it reads, until jdoc_release.
 *
 * Large inputs stream: jstream hands over one element at a time (each
 * order of a top-level array, or of an array inside a list envelope such
 * as {"orders": [...]} or {"orders": {"elements": [...]}}), and frees it
 * before the next, so memory stays bounded by the largest element, not
 * the input.
 *
 * Reading refuses a string or member name that is not strict UTF-8
 * (utf8.h) or holds a NUL byte (\u0000) after unescaping, so every
 * string in a tree is a C string of valid UTF-8.
 *
 * Writing goes into a struct buf through struct jw, which adds commas and
 * escapes strings; amounts are written as decimal strings (DESIGN §2).
 * The writer refuses text that is not valid UTF-8 (jw_status), so a line
 * it writes is always valid JSON.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "buf.h"
#include "err.h"

enum jtype {
	J_NULL,
	J_FALSE,
	J_TRUE,
	J_NUMBER,	/* str holds the number's text as written */
	J_STRING,
	J_ARRAY,
	J_OBJECT
};

struct jnode {
	enum jtype type;
	uint32_t n;		/* children (array, object) or bytes (str) */
	const char *key;	/* member name inside an object, else NULL */
	union {
		const char *str;		/* J_STRING, J_NUMBER */
		const struct jnode *kids;	/* J_ARRAY, J_OBJECT */
	} u;
};

#define JSON_DEPTH_MAX	256
#define JSON_DOC_MAX	((size_t)256 << 20)	/* 256 MiB of tree */

struct arena;
struct jkeys;

struct jdoc {
	struct arena *arena;
	struct jkeys *keys;	/* member names, kept over documents */
	const struct jnode *root;
	struct jnode *pending;	/* the parser's scratch, kept for reuse */
	size_t apending;
};

/*
 * 1 when a and b hold the same JSON: the same members whatever their
 * order, the same elements in order, the same text of every string and
 * number.
 */
int	jequal(const struct jnode *a, const struct jnode *b);

/* Reading a whole document */

void	jdoc_init(struct jdoc *d);
void	jdoc_release(struct jdoc *d);
/*
 * Frees the tree but keeps the arena's first block and the member
 * names for reuse.
 */
void	jdoc_reset(struct jdoc *d);

/*
 * Parses text (len bytes) into d, replacing what d held.  On failure
 * fills e with the position (in field: the path of the member being
 * read and the byte, "lines[2].name at byte 81", or "byte N" outside
 * any member; the line in e->line, counted from 1) and a message, and
 * returns KR_BAD_INPUT or KR_TOO_BIG.  Invalid UTF-8 or a NUL character
 * in a string or a member name is an error.
 */
int	jdoc_parse(struct jdoc *d, const char *text, size_t len,
	    struct kerr *e);

/* Looking things up; every function accepts a NULL node. */

/* The member key of an object, or NULL. */
const struct jnode *jget(const struct jnode *obj, const char *key);
/* Element i of an array, or NULL. */
const struct jnode *jat(const struct jnode *arr, size_t i);
/* Children count of an array or object, 0 otherwise. */
size_t	jlen(const struct jnode *n);
/* The string of a J_STRING node, else NULL. */
const char *jstr(const struct jnode *n);
/* The text of a J_STRING or J_NUMBER node, else NULL. */
const char *jtext(const struct jnode *n);
/* 1 for J_NULL or a missing node. */
int	jis_null(const struct jnode *n);
/* Short name of a node's type for messages ("string", "number", ...). */
const char *jtype_name(const struct jnode *n);

/* Iterating: for (c = jfirst(n); c != NULL; c = jnext(n, c)) */
const struct jnode *jfirst(const struct jnode *n);
const struct jnode *jnext(const struct jnode *n, const struct jnode *c);

/* Streaming */

/*
 * Called once per element.  path names where the element stood
 * ("[3]", "orders[3]", or "" for a document that was not a list); the
 * element and everything it points to live until the callback returns.
 * Return KR_OK to go on; any other code stops the stream with it.
 */
typedef int (*jstream_fn)(void *arg, const struct jnode *elem,
    const char *path, struct kerr *e);

/*
 * Reads JSON from fp and calls fn for each element of the top-level
 * array, or of the array that one of envelope_keys (a NULL-terminated
 * list such as {"orders", "orders.elements", NULL}) names inside a
 * top-level object.  An envelope key is a path of member names joined by
 * dots: "orders" is an array member of the root, "orders.elements" the
 * array member "elements" of the root's object member "orders".  Only
 * the first array that matches is streamed; its elements' paths are the
 * key and the index ("orders.elements[3]").  Any other document is
 * handed over whole, once, with path "".  Returns KR_OK, the callback's
 * code, or KR_BAD_INPUT/KR_TOO_BIG/KR_IO for the input itself (e filled,
 * e->line set, and the field as jdoc_parse fills it, with the envelope
 * and index first: "orders[3].line_items[0].price at byte 812").
 */
int	jstream_file(FILE *fp, const char *const *envelope_keys,
	    jstream_fn fn, void *arg, struct kerr *e);

/*
 * What jstream_read keeps from one input to the next: its arenas, the
 * parser's scratch and the member names read so far, so that a stage
 * reading file after file stops allocating once it has warmed up.
 */
struct jstream {
	struct arena *main;	/* the document and its envelope */
	struct arena *elem;	/* one streamed element at a time */
	struct jkeys *keys;
	struct jnode *pending;
	size_t apending;
};

void	jstream_init(struct jstream *s);
void	jstream_release(struct jstream *s);
/*
 * As jstream_file, with the memory of s; what an earlier call handed
 * over is gone.
 */
int	jstream_read(struct jstream *s, FILE *fp,
	    const char *const *envelope_keys, jstream_fn fn, void *arg,
	    struct kerr *e);
/*
 * As jstream_read, for the len bytes at text, which hold the whole
 * input: a caller that has read a file into memory hands it over
 * without a FILE and its copying.
 */
int	jstream_bytes(struct jstream *s, const char *text, size_t len,
	    const char *const *envelope_keys, jstream_fn fn, void *arg,
	    struct kerr *e);

/* Writing */

#define JW_DEPTH_MAX	64

struct jw {
	struct buf *out;
	int depth;
	unsigned char need_comma[JW_DEPTH_MAX];
	int after_key;
	int rc;			/* first failure, sticky */
};

/* Writes into out, appending; out stays the caller's. */
void	jw_init(struct jw *w, struct buf *out);
/*
 * KR_OK; KR_TOO_BIG when out hit its cap somewhere on the way;
 * KR_BAD_INPUT when a string or key was not valid UTF-8 or held a NUL
 * (it was written as "" instead, so the output is no record to use).
 * The first failure sticks.
 */
int	jw_status(const struct jw *w);

void	jw_obj(struct jw *w);
void	jw_obj_end(struct jw *w);
void	jw_arr(struct jw *w);
void	jw_arr_end(struct jw *w);
void	jw_key(struct jw *w, const char *key);
void	jw_str(struct jw *w, const char *s);
void	jw_strn(struct jw *w, const char *s, size_t n);
void	jw_null(struct jw *w);
void	jw_bool(struct jw *w, int v);
/* A decimal as a JSON string with exactly scale decimals. */
void	jw_dec(struct jw *w, int64_t v, int scale);
/* A decimal as a JSON string without trailing fractional zeros. */
void	jw_dec_trim(struct jw *w, int64_t v, int scale);
/* A whole number as a JSON string ("42"). */
void	jw_int(struct jw *w, long long v);
/* Copies a parsed node, with its subtree, into the output. */
void	jw_node(struct jw *w, const struct jnode *n);

/*
 * Key-value shorthands; jw_kv_str writes nothing when s is NULL.  The
 * key is a string literal (the compiler refuses anything else), which
 * JW_LKEY quotes at compile time with the comma that may come before
 * it: the writer copies it as it stands, without measuring it or
 * looking for bytes to escape on every record.  jw_key_lit is jw_key
 * for such a key.
 */
#define JW_LKEY(key)	",\"" key "\":", sizeof(key) + 3
#define jw_key_lit(w, key)	jw_lkey((w), JW_LKEY(key))
#define jw_kv_str(w, key, s)	jw_lkv_str((w), JW_LKEY(key), (s))
#define jw_kv_dec(w, key, v, scale) \
	jw_lkv_dec((w), JW_LKEY(key), (v), (scale))
#define jw_kv_int(w, key, v)	jw_lkv_int((w), JW_LKEY(key), (v))
#define jw_kv_bool(w, key, v)	jw_lkv_bool((w), JW_LKEY(key), (v))
/* A key made by JW_LKEY: n bytes at lkey, the first a comma. */
void	jw_lkey(struct jw *w, const char *lkey, size_t n);
void	jw_lkv_str(struct jw *w, const char *lkey, size_t n, const char *s);
void	jw_lkv_dec(struct jw *w, const char *lkey, size_t n, int64_t v,
	    int scale);
void	jw_lkv_int(struct jw *w, const char *lkey, size_t n, long long v);
void	jw_lkv_bool(struct jw *w, const char *lkey, size_t n, int v);

#endif

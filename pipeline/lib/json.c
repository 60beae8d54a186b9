#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_parse.h>

#include "arena.h"
#include "dec.h"
#include "jkeys.h"
#include "json.h"
#include "utf8.h"

/* Tree building from yajl callbacks */

struct frame {
	enum jtype type;
	size_t start;		/* index of the first child in pending */
	const char *key;	/* the container's own member name */
	size_t index;		/* next element index (arrays) */
	int split;		/* elements go to the stream callback */
	int loose_keys;		/* a member name not in the builder's keys */
};

/* Room left in a block of an arena for the text of strings and names. */
struct textblock {
	char *p;
	size_t left;
};

struct builder {
	struct arena *main;	/* document and envelope */
	struct arena *elem;	/* one streamed element at a time */
	struct arena *cur;
	struct textblock text[2];	/* in main, in elem */
	struct textblock *tcur;		/* the one in cur */
	struct jkeys *keys;	/* member names, each kept once */
	struct jnode *pending;
	size_t npending, apending;
	int depth;
	const char *key;	/* member name for the next value */
	const struct jnode *root;
	int rc;			/* why a callback stopped the parse */
	char why[128];		/* the message when the text itself is bad */

	/* streaming */
	const char *const *envelope_keys;
	int envelope_depth;	/* names in the longest envelope key */
	jstream_fn fn;
	void *arg;
	struct kerr *err;
	int emitted;
	int split_seen;	/* a list was found: never hand over the root */
	int in_split;	/* the container on top is a list being split */

	/* Last: builder_init leaves it, b_open sets each frame it opens. */
	struct frame stack[JSON_DEPTH_MAX];
};

static int
b_fail(struct builder *b, int rc)
{
	b->rc = rc;
	return 0;
}

/*
 * Strings and member names, after unescaping, must be valid UTF-8
 * (utf8.h) without NUL bytes: the tree hands out C strings, and a NUL
 * would cut "spool/shop-de/x.json\u0000/../.." to something else than
 * what was written.  yajl's own check lets overlong forms through.  A
 * control character that XML cannot hold is refused here too, so that
 * an order is refused before it is numbered, not its e-invoice after.
 */
static int
b_check_odd_text(struct builder *b, const char *s, size_t len,
    const char *what)
{
	uint32_t c;

	if (utf8_text_ok(s, len))
		return 1;
	if (memchr(s, '\0', len) != NULL)
		snprintf(b->why, sizeof(b->why),
		    "%s with a NUL character (\\u0000)", what);
	else if (!utf8_valid(s, len))
		snprintf(b->why, sizeof(b->why), "invalid UTF-8 in %s", what);
	else if ((c = utf8_unwritable(s, len)) != 0)
		snprintf(b->why, sizeof(b->why), "%s with the character "
		    "U+%04X, which no invoice can carry", what, (unsigned)c);
	else
		return 1;
	return b_fail(b, KR_BAD_INPUT);
}

/* Text that is not all printable ASCII gets the closer look. */
static int
b_check_text(struct builder *b, const char *s, size_t len, const char *what)
{
	return utf8_plain_text(s, len) || b_check_odd_text(b, s, len, what);
}

/*
 * A value is starting; inside a split array it goes to the element
 * arena.  Every value asks: the builder keeps the answer, as it opens
 * and closes containers, not looked up on the stack each time.
 */
static void
b_begin_value(struct builder *b)
{
	if (b->in_split) {
		b->cur = b->elem;
		b->tcur = &b->text[1];
	}
}

#define TEXT_BLOCK	4096

/*
 * Copies len bytes of s and a NUL into the current arena.  Strings and
 * member names are most of a tree's allocations and need no alignment:
 * they are cut from a block taken from the arena, not each allocated
 * from it.  A text longer than a block gets one of its own.
 */
static inline char *
b_text_room(struct builder *b, size_t len)
{
	struct textblock *t = b->tcur;
	char *p;

	if (len >= t->left) {
		if (len >= TEXT_BLOCK)
			return arena_alloc(b->cur, len + 1);
		p = arena_alloc(b->cur, TEXT_BLOCK);
		if (p == NULL)
			return NULL;
		t->p = p;
		t->left = TEXT_BLOCK;
	}
	p = t->p;
	t->p += len + 1;
	t->left -= len + 1;
	return p;
}

static char *
b_strndup(struct builder *b, const char *s, size_t len)
{
	char *p = b_text_room(b, len);

	if (p == NULL)
		return NULL;
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/*
 * The path of the next element of the split array on top of the stack:
 * "[3]" for a top-level array, else the member names of the envelope
 * joined by dots, "orders.elements[3]".
 */
static void
b_elem_path(const struct builder *b, char *path, size_t size)
{
	size_t len = 0;
	int i, n;

	path[0] = '\0';
	for (i = 1; i < b->depth; i++) {
		n = snprintf(path + len, size - len, "%s%s", i > 1 ? "." : "",
		    b->stack[i].key);
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	snprintf(path + len, size - len, "[%zu]",
	    b->stack[b->depth - 1].index);
}

static int
b_emit(struct builder *b, const struct jnode *n)
{
	struct frame *f = &b->stack[b->depth - 1];
	char path[160];
	int rc;

	b_elem_path(b, path, sizeof(path));
	f->index++;
	b->emitted++;

	rc = b->fn(b->arg, n, path, b->err);
	arena_reset(b->elem);
	memset(&b->text[1], 0, sizeof(b->text[1]));
	b->cur = b->main;
	b->tcur = &b->text[0];
	if (rc != KR_OK)
		return b_fail(b, rc);
	return 1;
}

/*
 * A value is complete: hand it over, or keep it for its parent.  The
 * common case, a value kept for its parent with room for it, is
 * b_value; the rest is here.
 */
static int
b_value_slow(struct builder *b, const struct jnode *n)
{
	if (b->depth == 0) {
		struct jnode *r = arena_alloc(b->main, sizeof(*r));

		if (r == NULL)
			return b_fail(b, KR_TOO_BIG);
		*r = *n;
		b->root = r;
		return 1;
	}
	if (b->stack[b->depth - 1].split)
		return b_emit(b, n);

	if (b->npending == b->apending) {
		size_t na = b->apending ? b->apending * 2 : 256;

		if (na * sizeof(*n) > JSON_DOC_MAX)
			return b_fail(b, KR_TOO_BIG);
		b->pending = xreallocarray(b->pending, na, sizeof(*n));
		b->apending = na;
	}
	if (b->stack[b->depth - 1].type == J_ARRAY)
		b->stack[b->depth - 1].index++;
	b->pending[b->npending++] = *n;
	return 1;
}

static inline int
b_value(struct builder *b, const struct jnode *n)
{
	struct frame *f;

	if (b->depth == 0 || b->in_split || b->npending == b->apending)
		return b_value_slow(b, n);
	f = &b->stack[b->depth - 1];
	if (f->type == J_ARRAY)
		f->index++;
	b->pending[b->npending++] = *n;
	return 1;
}

/* A scalar of the current member; text is its copy, or NULL. */
static int
b_scalar_node(struct builder *b, enum jtype t, const char *text,
    size_t len)
{
	struct jnode n;

	n.type = t;
	n.n = (uint32_t)len;
	n.key = b->key;
	n.u.str = text;
	b->key = NULL;
	return b_value(b, &n);
}

static int
b_scalar(struct builder *b, enum jtype t, const char *s, size_t len)
{
	char *p = NULL;

	b_begin_value(b);
	if (s != NULL) {
		if (len > UINT32_MAX)
			return b_fail(b, KR_TOO_BIG);
		p = b_strndup(b, s, len);
		if (p == NULL)
			return b_fail(b, KR_TOO_BIG);
	}
	return b_scalar_node(b, t, p, len);
}

static int
cb_null(void *ctx)
{
	return b_scalar(ctx, J_NULL, NULL, 0);
}

static int
cb_bool(void *ctx, int v)
{
	return b_scalar(ctx, v ? J_TRUE : J_FALSE, NULL, 0);
}

static int
cb_number(void *ctx, const char *s, size_t len)
{
	return b_scalar(ctx, J_NUMBER, s, len);
}

/*
 * A string is copied and looked at in one pass; only one that is not
 * all printable ASCII is looked at again.
 */
static int
cb_string(void *ctx, const unsigned char *s, size_t len)
{
	struct builder *b = ctx;
	const char *text = (const char *)s;
	char *p = NULL;

	b_begin_value(b);
	if (len <= UINT32_MAX)
		p = b_text_room(b, len);
	if (p == NULL) {
		if (!b_check_text(b, text, len, "a string"))
			return 0;
		return b_fail(b, KR_TOO_BIG);
	}
	if (!utf8_copy_plain_text(p, text, len) &&
	    !b_check_odd_text(b, text, len, "a string"))
		return 0;
	p[len] = '\0';
	return b_scalar_node(b, J_STRING, p, len);
}

/*
 * 1 when the open objects from the root down, and then key, spell the
 * envelope path env: "orders" is a member of the root, "orders.elements"
 * a member of the root's member "orders".
 */
static int
envelope_path_is(const struct builder *b, const char *env)
{
	const char *p = env;
	int i;

	for (i = 1; i <= b->depth; i++) {
		const char *name = i < b->depth ? b->stack[i].key : b->key;

		if (b->stack[i - 1].type != J_OBJECT || name == NULL)
			return 0;
		/* The name is the part of env up to the next dot. */
		while (*name != '\0' && *p != '.' && *name == *p) {
			name++;
			p++;
		}
		if (*name != '\0' || (*p != '.' && *p != '\0'))
			return 0;
		if (i < b->depth) {
			if (*p != '.')
				return 0;
			p++;
		}
	}
	return *p == '\0';
}

/* 1 when the array about to open is the list of an envelope. */
static int
envelope_match(const struct builder *b)
{
	const char *const *k;

	if (b->fn == NULL || b->depth < 1 || b->key == NULL ||
	    b->split_seen || b->depth > b->envelope_depth)
		return 0;
	for (k = b->envelope_keys; k != NULL && *k != NULL; k++)
		if (envelope_path_is(b, *k))
			return 1;
	return 0;
}

static int
b_open(struct builder *b, enum jtype t)
{
	struct frame *f;

	if (b->depth == JSON_DEPTH_MAX)
		return b_fail(b, KR_TOO_BIG);
	b_begin_value(b);
	f = &b->stack[b->depth];
	f->type = t;
	f->start = b->npending;
	f->key = b->key;
	f->index = 0;
	f->loose_keys = 0;
	f->split = t == J_ARRAY && b->fn != NULL &&
	    (b->depth == 0 || envelope_match(b));
	if (f->split)
		b->split_seen = 1;
	b->key = NULL;
	b->depth++;
	b->in_split = f->split;
	return 1;
}

static int
key_order(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * A member name that comes twice in one object: readers disagree on
 * which of the two counts, so kontor takes neither.  The check runs on
 * every object of every record.  When every name of an object is one
 * the builder keeps (jkeys.h), each is looked at once (jkeys_twice).
 * Otherwise, and an order's objects hold up to some sixty members,
 * small objects are compared pair by pair, larger ones through a table
 * of their names' hashes, and the largest sorted, so that a hostile
 * object of a million members costs no more than sorting them.
 */
#define KEYS_PAIRWISE	8	/* members compared pair by pair */
#define KEYS_HASHED	64	/* members looked up by their hashes */
#define KEYS_SLOTS	128	/* a power of two, twice KEYS_HASHED */

static const char *
twice_pairwise(const struct jnode *kids, size_t count)
{
	size_t i, j;

	for (i = 1; i < count; i++)
		for (j = 0; j < i; j++)
			if (kids[i].key[0] == kids[j].key[0] &&
			    strcmp(kids[i].key, kids[j].key) == 0)
				return kids[i].key;
	return NULL;
}

/* FNV-1a: names are short, and only their equality matters here. */
static uint32_t
key_hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static const char *
twice_hashed(const struct jnode *kids, size_t count)
{
	uint32_t hash[KEYS_HASHED];
	unsigned char slot[KEYS_SLOTS];	/* 1 + a member's index, or 0 */
	size_t i, j, k;

	memset(slot, 0, sizeof(slot));
	for (i = 0; i < count; i++) {
		hash[i] = key_hash(kids[i].key);
		for (k = hash[i] & (KEYS_SLOTS - 1); slot[k] != 0;
		    k = (k + 1) & (KEYS_SLOTS - 1)) {
			j = slot[k] - 1u;
			if (hash[j] == hash[i] &&
			    strcmp(kids[j].key, kids[i].key) == 0)
				return kids[i].key;
		}
		slot[k] = (unsigned char)(i + 1);
	}
	return NULL;
}

/* 0 (with b's failure set) when there is no room to sort. */
static int
twice_sorted(struct builder *b, const struct jnode *kids, size_t count,
    const char **twice)
{
	const char **keys;
	size_t i;

	keys = arena_alloc(b->cur, count * sizeof(*keys));
	if (keys == NULL)
		return b_fail(b, KR_TOO_BIG);
	for (i = 0; i < count; i++)
		keys[i] = kids[i].key;
	qsort(keys, count, sizeof(*keys), key_order);
	for (i = 1; i < count && *twice == NULL; i++)
		if (strcmp(keys[i], keys[i - 1]) == 0)
			*twice = keys[i];
	return 1;
}

/* 0 (with b's failure set) when a name comes twice or cannot be checked. */
static int
b_check_keys(struct builder *b, const struct frame *f,
    const struct jnode *kids, size_t count)
{
	const char *twice = NULL;

	if (!f->loose_keys)
		twice = jkeys_twice(b->keys, kids, count);
	else if (count <= KEYS_PAIRWISE)
		twice = twice_pairwise(kids, count);
	else if (count <= KEYS_HASHED)
		twice = twice_hashed(kids, count);
	else if (!twice_sorted(b, kids, count, &twice))
		return 0;
	if (twice == NULL)
		return 1;
	snprintf(b->why, sizeof(b->why), "the member \"%.48s\" comes twice "
	    "in one object", twice);
	b->key = twice;		/* the path of the message ends in it */
	return b_fail(b, KR_BAD_INPUT);
}

static int
b_close(struct builder *b)
{
	struct frame *f = &b->stack[b->depth - 1];
	size_t count = b->npending - f->start;
	struct jnode n, *kids = NULL;

	if (count > UINT32_MAX)
		return b_fail(b, KR_TOO_BIG);
	if (count > 0) {
		kids = arena_alloc(b->cur, count * sizeof(*kids));
		if (kids == NULL)
			return b_fail(b, KR_TOO_BIG);
		memcpy(kids, b->pending + f->start, count * sizeof(*kids));
	}
	b->npending = f->start;
	if (f->type == J_OBJECT && count > 1 && !b_check_keys(b, f, kids,
	    count))
		return 0;

	memset(&n, 0, sizeof(n));
	n.type = f->type;
	n.n = (uint32_t)count;
	n.key = f->key;
	n.u.kids = kids;
	b->depth--;
	b->in_split = b->depth > 0 && b->stack[b->depth - 1].split;
	return b_value(b, &n);
}

static int
cb_start_map(void *ctx)
{
	return b_open(ctx, J_OBJECT);
}

static int
cb_start_array(void *ctx)
{
	return b_open(ctx, J_ARRAY);
}

static int
cb_end(void *ctx)
{
	return b_close(ctx);
}

/*
 * A member name seen before is the copy kept in b->keys, checked when
 * it was first seen.  A name the table cannot take is copied into the
 * current arena (inside a streamed element, that element's), and its
 * object checks its names for one that comes twice the slow way.
 */
static int
cb_key(void *ctx, const unsigned char *s, size_t len)
{
	struct builder *b = ctx;
	const char *name = (const char *)s;
	const char *p;
	uint32_t hash;

	p = jkeys_find(b->keys, name, len, &hash);
	if (p != NULL) {
		b->key = p;
		return 1;
	}
	if (!b_check_text(b, name, len, "a member name"))
		return 0;
	p = jkeys_add(b->keys, name, len, hash);
	if (p == NULL) {
		p = b_strndup(b, name, len);
		if (p == NULL)
			return b_fail(b, KR_TOO_BIG);
		b->stack[b->depth - 1].loose_keys = 1;
	}
	b->key = p;
	return 1;
}

static const yajl_callbacks callbacks = {
	cb_null, cb_bool, NULL, NULL, cb_number, cb_string,
	cb_start_map, cb_key, cb_end, cb_start_array, cb_end
};

/*
 * Clears all but the stack: clearing its 256 frames for every record
 * would cost more than parsing a small one.
 */
static void
builder_init(struct builder *b, struct arena *main, struct jkeys *keys)
{
	memset(b, 0, offsetof(struct builder, stack));
	b->keys = keys;
	b->main = main;
	b->cur = main;
	b->tcur = &b->text[0];
}

static long
count_lines(const char *p, size_t n)
{
	long lines = 0;
	const char *q = p, *end = p + n;

	while ((q = memchr(q, '\n', (size_t)(end - q))) != NULL) {
		lines++;
		q++;
	}
	return lines;
}

/* Appends s (n bytes) to the path in p (size bytes, len used). */
static void
path_add(char *p, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + n >= size)
		n = size - 1 - *len;
	memcpy(p + *len, s, n);
	*len += n;
	p[*len] = '\0';
}

/*
 * The path of the value being read when the parse stopped, from the
 * open containers on the stack ("orders[3].line_items[0].price"), made
 * only then: each frame keeps its own member name and, for an array,
 * the index of the element being read.  In an object between members
 * the path ends at the object.
 */
static void
b_path(const struct builder *b, char *p, size_t size)
{
	const struct frame *up;
	const char *name;
	char idx[24];
	size_t len = 0;
	int i;

	p[0] = '\0';
	for (i = 1; i <= b->depth; i++) {
		up = &b->stack[i - 1];
		if (up->type == J_ARRAY) {
			snprintf(idx, sizeof(idx), "[%zu]", up->index);
			path_add(p, size, &len, idx, strlen(idx));
			continue;
		}
		name = i < b->depth ? b->stack[i].key : b->key;
		if (name == NULL)
			break;
		if (len > 0)
			path_add(p, size, &len, ".", 1);
		path_add(p, size, &len, name, strlen(name));
	}
}

/*
 * "PATH at byte N", or "byte N" at the top.  A path too long for a
 * message keeps its end, where the value is.
 */
static void
b_where(const struct builder *b, size_t byte, char *where, size_t size)
{
	char path[512];
	size_t n;

	b_path(b, path, sizeof(path));
	n = strlen(path);
	if (n == 0)
		snprintf(where, size, "byte %zu", byte);
	else if (n <= 100)
		snprintf(where, size, "%s at byte %zu", path, byte);
	else
		snprintf(where, size, "...%s at byte %zu", path + n - 97,
		    byte);
}

/*
 * Fills e for a failed parse.  consumed counts bytes of text that yajl
 * had taken when it stopped; lines_before counts newlines before text.
 */
static int
parse_error(yajl_handle h, struct builder *b, const char *text, size_t len,
    size_t offset, long lines_before, struct kerr *e)
{
	size_t consumed = yajl_get_bytes_consumed(h);
	char where[KERR_FIELD_MAX];

	if (consumed > len)
		consumed = len;
	kerr_where(e, NULL, lines_before + count_lines(text, consumed) + 1);
	b_where(b, offset + consumed, where, sizeof(where));
	if (b->rc == KR_TOO_BIG)
		return kerr_set(e, KR_TOO_BIG, where,
		    "JSON nested deeper than %d or larger than %zu MiB",
		    JSON_DEPTH_MAX, JSON_DOC_MAX >> 20);
	if (b->why[0] != '\0')
		return kerr_set(e, KR_BAD_INPUT, where, "%s", b->why);
	if (b->rc != KR_OK)
		return b->rc;	/* the stream callback filled e */

	{
		unsigned char *m = yajl_get_error(h, 0,
		    (const unsigned char *)text, len);
		char msg[200];
		size_t n;

		snprintf(msg, sizeof(msg), "%s",
		    m ? (char *)m : "parse error");
		yajl_free_error(h, m);
		n = strlen(msg);
		while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ' ||
		    msg[n - 1] == '.'))
			msg[--n] = '\0';
		return kerr_set(e, KR_BAD_INPUT, where, "malformed JSON: %s",
		    msg);
	}
}

/*
 * yajl decodes a \uD800..\uDBFF escape that no \uDC00..\uDFFF escape
 * follows into "?", and pairs a high surrogate with whatever escape
 * comes next: a string other than the one written.  struct uscan finds
 * such escapes in the raw text, chunk by chunk, before yajl sees them.
 * (A lone low surrogate comes out of yajl as bytes b_check_text
 * refuses.)
 */
enum { US_TEXT, US_BACKSLASH, US_HEX, US_PAIR_BACKSLASH, US_PAIR_U };

struct uscan {
	int state;		/* US_* */
	int ndigits;		/* of the \u escape being read */
	unsigned value;
	int high;		/* a high surrogate waits for its pair */
};

static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	return -1;
}

/* One hex digit of a \u escape; 0 when it breaks a surrogate pair. */
static int
uscan_digit(struct uscan *u, unsigned char c)
{
	int v = hex_value(c);

	if (v < 0) {		/* not JSON: yajl says so */
		u->state = US_TEXT;
		u->high = 0;
		return 1;
	}
	u->value = u->value << 4 | (unsigned)v;
	if (++u->ndigits < 4)
		return 1;
	u->state = US_TEXT;
	if (u->high) {
		u->high = 0;
		return u->value >= 0xdc00 && u->value <= 0xdfff;
	}
	if (u->value >= 0xd800 && u->value <= 0xdbff) {
		u->high = 1;
		u->state = US_PAIR_BACKSLASH;
	}
	return 1;
}

/* How much of text[0..n) holds no broken surrogate pair: n when all. */
static size_t
uscan_feed(struct uscan *u, const char *text, size_t n)
{
	const char *bs;
	size_t i = 0;

	while (i < n) {
		unsigned char c = (unsigned char)text[i];

		switch (u->state) {
		case US_TEXT:
			bs = memchr(text + i, '\\', n - i);
			if (bs == NULL)
				return n;
			i = (size_t)(bs - text);
			u->state = US_BACKSLASH;
			break;
		case US_BACKSLASH:
		case US_PAIR_U:
			if (c == 'u') {
				u->state = US_HEX;
				u->ndigits = 0;
				u->value = 0;
			} else if (u->state == US_PAIR_U) {
				return i;
			} else {
				u->state = US_TEXT;
			}
			break;
		case US_HEX:
			if (!uscan_digit(u, c))
				return i;
			break;
		case US_PAIR_BACKSLASH:
			if (c != '\\')
				return i;
			u->state = US_PAIR_U;
			break;
		}
		i++;
	}
	return n;
}

/*
 * Hands text (n bytes, the input's bytes from offset on, after lines
 * newlines) to yajl, and stops at a broken surrogate pair.
 */
static int
feed(yajl_handle h, struct builder *b, struct uscan *u, const char *text,
    size_t n, size_t offset, long lines, struct kerr *e)
{
	size_t good = uscan_feed(u, text, n);
	char where[KERR_FIELD_MAX];

	if (yajl_parse(h, (const unsigned char *)text, good) !=
	    yajl_status_ok)
		return parse_error(h, b, text, good, offset, lines, e);
	if (good == n)
		return KR_OK;
	kerr_where(e, NULL, lines + count_lines(text, good) + 1);
	b_where(b, offset + good, where, sizeof(where));
	return kerr_set(e, KR_BAD_INPUT, where, "a string with a lone "
	    "UTF-16 surrogate (a \\uD800 to \\uDBFF escape without its pair)");
}

static yajl_handle
parser_new(struct builder *b)
{
	yajl_handle h = yajl_alloc(&callbacks, NULL, b);

	if (h == NULL) {
		fputs("kontor: out of memory\n", stderr);
		abort();
	}
	/* b_check_text checks strictly, and names what it found. */
	yajl_config(h, yajl_dont_validate_strings, 1);
	return h;
}

void
jdoc_init(struct jdoc *d)
{
	memset(d, 0, sizeof(*d));
}

void
jdoc_release(struct jdoc *d)
{
	arena_free(d->arena);
	jkeys_free(d->keys);
	free(d->pending);
	memset(d, 0, sizeof(*d));
}

void
jdoc_reset(struct jdoc *d)
{
	arena_reset(d->arena);
	d->root = NULL;
}

int
jdoc_parse(struct jdoc *d, const char *text, size_t len, struct kerr *e)
{
	struct builder b;
	struct uscan u;
	yajl_handle h;
	yajl_status st;
	int rc = KR_OK;

	if (d->arena == NULL)
		d->arena = arena_new(JSON_DOC_MAX);
	if (d->keys == NULL)
		d->keys = jkeys_new();
	jdoc_reset(d);
	builder_init(&b, d->arena, d->keys);
	/* A stream of records parses one after another: no malloc each. */
	b.pending = d->pending;
	b.apending = d->apending;
	h = parser_new(&b);

	memset(&u, 0, sizeof(u));
	rc = feed(h, &b, &u, text, len, 0, 0, e);
	if (rc == KR_OK) {
		st = yajl_complete_parse(h);
		/* What is missing is missing at the end of the text. */
		if (st != yajl_status_ok)
			rc = parse_error(h, &b, "", 0, len,
			    count_lines(text, len), e);
		else
			d->root = b.root;
	}

	yajl_free(h);
	d->pending = b.pending;
	d->apending = b.apending;
	return rc;
}

void
jstream_init(struct jstream *s)
{
	s->main = arena_new(JSON_DOC_MAX);
	s->elem = arena_new(JSON_DOC_MAX);
	s->keys = jkeys_new();
	s->pending = NULL;
	s->apending = 0;
}

void
jstream_release(struct jstream *s)
{
	arena_free(s->main);
	arena_free(s->elem);
	jkeys_free(s->keys);
	free(s->pending);
	memset(s, 0, sizeof(*s));
}

/* Sets b up to read one input with the memory of s; the parser. */
static yajl_handle
stream_begin(struct jstream *s, struct builder *b,
    const char *const *envelope_keys, jstream_fn fn, void *arg,
    struct kerr *e)
{
	const char *const *k;
	const char *p;
	int depth;

	arena_reset(s->main);
	arena_reset(s->elem);
	builder_init(b, s->main, s->keys);
	b->elem = s->elem;
	b->pending = s->pending;
	b->apending = s->apending;
	b->envelope_keys = envelope_keys;
	/* An array deeper than that is no envelope's, unlooked at. */
	for (k = envelope_keys; k != NULL && *k != NULL; k++) {
		depth = 1;
		for (p = *k; (p = strchr(p, '.')) != NULL; p++)
			depth++;
		if (depth > b->envelope_depth)
			b->envelope_depth = depth;
	}
	b->fn = fn;
	b->arg = arg;
	b->err = e;
	return parser_new(b);
}

/*
 * The input ended after offset bytes: what is missing is missing at
 * its end, on the line after lines newlines and those in tail[0..n),
 * which are counted only then.  A document that was no list goes to
 * the callback whole.
 */
static int
stream_end(yajl_handle h, struct builder *b, size_t offset, long lines,
    const char *tail, size_t n, struct kerr *e)
{
	if (yajl_complete_parse(h) != yajl_status_ok)
		return parse_error(h, b, "", 0, offset,
		    lines + count_lines(tail, n), e);
	if (!b->split_seen && b->root != NULL)
		return b->fn(b->arg, b->root, "", e);
	return KR_OK;
}

/* Gives s back what b grew. */
static void
stream_done(struct jstream *s, struct builder *b, yajl_handle h)
{
	yajl_free(h);
	s->pending = b->pending;
	s->apending = b->apending;
}

int
jstream_read(struct jstream *s, FILE *fp, const char *const *envelope_keys,
    jstream_fn fn, void *arg, struct kerr *e)
{
	struct builder b;
	struct uscan u;
	yajl_handle h;
	char chunk[65536];
	size_t n, offset = 0;
	long lines = 0;
	int rc = KR_OK;

	h = stream_begin(s, &b, envelope_keys, fn, arg, e);
	memset(&u, 0, sizeof(u));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		rc = feed(h, &b, &u, chunk, n, offset, lines, e);
		if (rc != KR_OK)
			goto out;
		offset += n;
		lines += count_lines(chunk, n);
	}
	if (ferror(fp))
		rc = kerr_set(e, KR_IO, NULL, "read error");
	else
		rc = stream_end(h, &b, offset, lines, "", 0, e);
out:
	stream_done(s, &b, h);
	return rc;
}

int
jstream_bytes(struct jstream *s, const char *text, size_t len,
    const char *const *envelope_keys, jstream_fn fn, void *arg,
    struct kerr *e)
{
	struct builder b;
	struct uscan u;
	yajl_handle h;
	int rc;

	h = stream_begin(s, &b, envelope_keys, fn, arg, e);
	memset(&u, 0, sizeof(u));
	rc = feed(h, &b, &u, text, len, 0, 0, e);
	if (rc == KR_OK)
		rc = stream_end(h, &b, len, 0, text, len, e);
	stream_done(s, &b, h);
	return rc;
}

int
jstream_file(FILE *fp, const char *const *envelope_keys, jstream_fn fn,
    void *arg, struct kerr *e)
{
	struct jstream s;
	int rc;

	jstream_init(&s);
	rc = jstream_read(&s, fp, envelope_keys, fn, arg, e);
	jstream_release(&s);
	return rc;
}

/* Lookups */

const struct jnode *
jget(const struct jnode *obj, const char *key)
{
	const struct jnode *kid;
	uint32_t i;

	if (obj == NULL || obj->type != J_OBJECT)
		return NULL;
	/*
	 * Most names differ in their first two bytes: strcmp only the
	 * others.  (A name of one byte ends at the second.)
	 */
	for (i = 0; i < obj->n; i++) {
		kid = &obj->u.kids[i];
		if (kid->key[0] == key[0] && (key[0] == '\0' ||
		    (kid->key[1] == key[1] && strcmp(kid->key, key) == 0)))
			return kid;
	}
	return NULL;
}

int
jequal(const struct jnode *a, const struct jnode *b)
{
	const struct jnode *kid;
	uint32_t i;

	if (a->type != b->type || a->n != b->n)
		return 0;
	switch (a->type) {
	case J_NUMBER:
	case J_STRING:
		return memcmp(a->u.str, b->u.str, a->n) == 0;
	case J_ARRAY:
		for (i = 0; i < a->n; i++)
			if (!jequal(&a->u.kids[i], &b->u.kids[i]))
				return 0;
		return 1;
	case J_OBJECT:
		/* Names are unique in an object, so equal counts suffice. */
		for (i = 0; i < a->n; i++) {
			kid = jget(b, a->u.kids[i].key);
			if (kid == NULL || !jequal(&a->u.kids[i], kid))
				return 0;
		}
		return 1;
	default:
		return 1;
	}
}

const struct jnode *
jat(const struct jnode *arr, size_t i)
{
	if (arr == NULL || arr->type != J_ARRAY || i >= arr->n)
		return NULL;
	return &arr->u.kids[i];
}

size_t
jlen(const struct jnode *n)
{
	if (n == NULL || (n->type != J_ARRAY && n->type != J_OBJECT))
		return 0;
	return n->n;
}

const char *
jstr(const struct jnode *n)
{
	return n != NULL && n->type == J_STRING ? n->u.str : NULL;
}

const char *
jtext(const struct jnode *n)
{
	if (n == NULL || (n->type != J_STRING && n->type != J_NUMBER))
		return NULL;
	return n->u.str;
}

int
jis_null(const struct jnode *n)
{
	return n == NULL || n->type == J_NULL;
}

const char *
jtype_name(const struct jnode *n)
{
	static const char *const names[] = {
		"null", "false", "true", "number", "string", "array", "object"
	};

	if (n == NULL)
		return "nothing";
	return names[n->type];
}

const struct jnode *
jfirst(const struct jnode *n)
{
	return jlen(n) > 0 ? &n->u.kids[0] : NULL;
}

const struct jnode *
jnext(const struct jnode *n, const struct jnode *c)
{
	if (c == NULL || c + 1 >= n->u.kids + n->n)
		return NULL;
	return c + 1;
}

/* Writer */

void
jw_init(struct jw *w, struct buf *out)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
}

int
jw_status(const struct jw *w)
{
	return w->rc;
}

/*
 * Most pieces are a few bytes that fit: they are copied here, without a
 * call into buf_add, which takes the rest (growing, or failing as it
 * says).
 */
static void
jw_put(struct jw *w, const char *s, size_t n)
{
	struct buf *b = w->out;
	int rc;

	if (n < b->alloc - b->len && b->len + n <= b->cap_bytes) {
		memcpy(b->data + b->len, s, n);
		b->len += n;
		b->data[b->len] = '\0';
		return;
	}
	rc = buf_add(b, s, n);
	if (rc != KR_OK && w->rc == KR_OK)
		w->rc = rc;
}

/* Comma and nesting bookkeeping before any value. */
static void
jw_sep(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->need_comma[w->depth - 1])
			jw_put(w, ",", 1);
		w->need_comma[w->depth - 1] = 1;
	}
}

static void
jw_open(struct jw *w, char c)
{
	jw_sep(w);
	if (w->depth == JW_DEPTH_MAX)
		KBUG("JSON writer nested too deep");
	jw_put(w, &c, 1);
	w->need_comma[w->depth++] = 0;
}

static void
jw_close(struct jw *w, char c)
{
	if (w->depth == 0)
		KBUG("JSON writer closes more than it opened");
	w->depth--;
	jw_put(w, &c, 1);
}

void
jw_obj(struct jw *w)
{
	jw_open(w, '{');
}

void
jw_obj_end(struct jw *w)
{
	jw_close(w, '}');
}

void
jw_arr(struct jw *w)
{
	jw_open(w, '[');
}

void
jw_arr_end(struct jw *w)
{
	jw_close(w, ']');
}

/*
 * Text that is not valid UTF-8, or holds a NUL, would make the line
 * something no reader here takes: the writer refuses it, writes "" in
 * its place and fails with KR_BAD_INPUT from then on.
 */
static int
jw_text_ok(struct jw *w, const char *s, size_t n)
{
	if (utf8_plain(s, n) || (memchr(s, '\0', n) == NULL &&
	    utf8_valid(s, n)))
		return 1;
	if (w->rc == KR_OK)
		w->rc = KR_BAD_INPUT;
	jw_put(w, "\"\"", 2);
	return 0;
}

/*
 * The top bit of each byte of v that JSON needs escaped: below 0x20, a
 * quote or a backslash (bytes from 0x80 up are never marked).
 */
static uint64_t
json_escape64(uint64_t v)
{
	const uint64_t ones = 0x0101010101010101u;

	return ((v - ones * 0x20) | ((v ^ ones * '"') - ones) |
	    ((v ^ ones * '\\') - ones)) & ~v & ones * 0x80;
}

/* s quoted, with what JSON needs escaped. */
static void
jw_escaped(struct jw *w, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	if (!jw_text_ok(w, s, n))
		return;
	jw_put(w, "\"", 1);
	for (i = 0; i < n; i++) {
		unsigned char c;
		char esc[7];
		uint64_t v;

		/* Eight bytes with nothing to escape are passed over. */
		if (i + 8 <= n) {
			memcpy(&v, s + i, 8);
			if (json_escape64(v) == 0) {
				i += 7;
				continue;
			}
		}
		c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		jw_put(w, s + run, i - run);
		run = i + 1;
		switch (c) {
		case '"':
			jw_put(w, "\\\"", 2);
			break;
		case '\\':
			jw_put(w, "\\\\", 2);
			break;
		case '\n':
			jw_put(w, "\\n", 2);
			break;
		case '\t':
			jw_put(w, "\\t", 2);
			break;
		case '\r':
			jw_put(w, "\\r", 2);
			break;
		default:
			memcpy(esc, "\\u00", 4);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			jw_put(w, esc, 6);
		}
	}
	jw_put(w, s + run, n - run);
	jw_put(w, "\"", 1);
}

/*
 * What jw_quoted does with text that needs escaping, or with text that
 * does not but found no room: it fails as buf_grow says.
 */
static void
jw_quoted_slow(struct jw *w, const char *s, size_t n, const char *after,
    size_t n_after)
{
	int rc;

	if (!utf8_json_verbatim(s, n)) {
		jw_escaped(w, s, n);
		jw_put(w, after, n_after);
		return;
	}
	rc = buf_grow(w->out, n + 2 + n_after);
	if (rc != KR_OK && w->rc == KR_OK)
		w->rc = rc;
}

/*
 * s quoted, then the n_after bytes at after (a member name's colon).
 * Printable ASCII, which nearly all text of a record is, goes into the
 * output in one piece, looked at as it is copied.
 */
static void
jw_quoted(struct jw *w, const char *s, size_t n, const char *after,
    size_t n_after)
{
	struct buf *b = w->out;
	size_t total = n + 2 + n_after, i;
	char *p;

	/* As buf_add: grow only when short. */
	if ((total >= b->alloc - b->len || b->len + total > b->cap_bytes) &&
	    buf_grow(b, total) != KR_OK) {
		jw_quoted_slow(w, s, n, after, n_after);
		return;
	}
	p = b->data + b->len;
	if (!utf8_copy_json_verbatim(p + 1, s, n)) {
		jw_quoted_slow(w, s, n, after, n_after);
		return;
	}
	p[0] = '"';
	p[n + 1] = '"';
	for (i = 0; i < n_after; i++)
		p[n + 2 + i] = after[i];
	b->len += total;
	b->data[b->len] = '\0';
}

void
jw_key(struct jw *w, const char *key)
{
	jw_sep(w);
	jw_quoted(w, key, strlen(key), ":", 1);
	w->after_key = 1;
}

void
jw_strn(struct jw *w, const char *s, size_t n)
{
	jw_sep(w);
	jw_quoted(w, s, n, "", 0);
}

void
jw_str(struct jw *w, const char *s)
{
	jw_strn(w, s, strlen(s));
}

void
jw_null(struct jw *w)
{
	jw_sep(w);
	jw_put(w, "null", 4);
}

void
jw_bool(struct jw *w, int v)
{
	jw_sep(w);
	if (v)
		jw_put(w, "true", 4);
	else
		jw_put(w, "false", 5);
}

/*
 * A number's text of n bytes, made by dec_format_len at b + 1 (b holds
 * DEC_BUFSZ + 2 bytes): a sign, digits and a point need no escaping and
 * no UTF-8 check, and go out quoted in one piece.
 */
static void
jw_quoted_number(struct jw *w, char *b, size_t n)
{
	b[0] = '"';
	b[n + 1] = '"';
	jw_sep(w);
	jw_put(w, b, n + 2);
}

void
jw_dec(struct jw *w, int64_t v, int scale)
{
	char b[DEC_BUFSZ + 2];

	jw_quoted_number(w, b, dec_format_len(v, scale, b + 1));
}

void
jw_dec_trim(struct jw *w, int64_t v, int scale)
{
	char b[DEC_BUFSZ + 2];

	jw_quoted_number(w, b, dec_format_trim_len(v, scale, b + 1));
}

void
jw_int(struct jw *w, long long v)
{
	char b[DEC_BUFSZ + 2];

	_Static_assert(sizeof(long long) == sizeof(int64_t), "int64_t");
	/* as "%lld" writes it */
	jw_quoted_number(w, b, dec_format_len(v, 0, b + 1));
}

void
jw_node(struct jw *w, const struct jnode *n)
{
	const struct jnode *c;

	switch (n->type) {
	case J_NULL:
		jw_null(w);
		break;
	case J_FALSE:
	case J_TRUE:
		jw_bool(w, n->type == J_TRUE);
		break;
	case J_NUMBER:
		jw_sep(w);
		jw_put(w, n->u.str, n->n);
		break;
	case J_STRING:
		jw_strn(w, n->u.str, n->n);
		break;
	case J_ARRAY:
		jw_arr(w);
		for (c = jfirst(n); c != NULL; c = jnext(n, c))
			jw_node(w, c);
		jw_arr_end(w);
		break;
	case J_OBJECT:
		jw_obj(w);
		for (c = jfirst(n); c != NULL; c = jnext(n, c)) {
			jw_key(w, c->key);
			jw_node(w, c);
		}
		jw_obj_end(w);
		break;
	}
}

/*
 * A key from JW_LKEY: the comma (when a member came before) and the
 * quoted key with its colon, in one piece.
 */
void
jw_lkey(struct jw *w, const char *lkey, size_t n)
{
	if (w->after_key) {
		w->after_key = 0;
		jw_put(w, lkey + 1, n - 1);
	} else if (w->depth > 0 && w->need_comma[w->depth - 1]) {
		jw_put(w, lkey, n);
	} else {
		if (w->depth > 0)
			w->need_comma[w->depth - 1] = 1;
		jw_put(w, lkey + 1, n - 1);
	}
	w->after_key = 1;
}

void
jw_lkv_str(struct jw *w, const char *lkey, size_t n, const char *s)
{
	if (s == NULL)
		return;
	jw_lkey(w, lkey, n);
	jw_str(w, s);
}

void
jw_lkv_dec(struct jw *w, const char *lkey, size_t n, int64_t v, int scale)
{
	jw_lkey(w, lkey, n);
	jw_dec(w, v, scale);
}

void
jw_lkv_int(struct jw *w, const char *lkey, size_t n, long long v)
{
	jw_lkey(w, lkey, n);
	jw_int(w, v);
}

void
jw_lkv_bool(struct jw *w, const char *lkey, size_t n, int v)
{
	jw_lkey(w, lkey, n);
	jw_bool(w, v);
}

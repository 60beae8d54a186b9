#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "jkeys.h"

#define JKEYS_SLOTS	2048	/* a power of two, twice JKEYS_MAX */
#define JKEYS_POOL	((size_t)64 << 10)	/* bytes for the names */

struct jkey {
	uint64_t seen;		/* the jkeys_twice call that saw it last */
	struct jkey *next[2];	/* the names that came after it lately */
	uint32_t hash;
	uint32_t len;
	char text[];		/* len bytes and a NUL */
};

struct jkeys {
	uint64_t serial;	/* of the last jkeys_twice call */
	struct jkey *last;	/* the name found or added last */
	size_t count;
	size_t used;		/* bytes of pool */
	struct jkey *slot[JKEYS_SLOTS];
	uint64_t pool[JKEYS_POOL / sizeof(uint64_t)];
};

struct jkeys *
jkeys_new(void)
{
	struct jkeys *k = xmalloc(sizeof(*k));

	k->serial = 0;
	k->last = NULL;
	k->count = 0;
	k->used = 0;
	memset(k->slot, 0, sizeof(k->slot));
	return k;
}

void
jkeys_free(struct jkeys *k)
{
	free(k);
}

static uint64_t
load64(const char *s)
{
	uint64_t v;

	memcpy(&v, s, 8);
	return v;
}

static uint64_t
load32(const char *s)
{
	uint32_t v;

	memcpy(&v, s, 4);
	return v;
}

static uint64_t
mix(uint64_t h, uint64_t w)
{
	h = (h ^ w) * UINT64_C(0xff51afd7ed558ccd);
	return h ^ h >> 32;
}

/*
 * Names are short: eight bytes at a time, and the last bytes read as
 * one word that may overlap the one before, so no byte loop runs.
 */
static uint32_t
name_hash(const char *s, size_t len)
{
	uint64_t h = len * UINT64_C(0x9e3779b97f4a7c15);
	size_t i;

	if (len >= 8) {
		for (i = 0; i + 8 < len; i += 8)
			h = mix(h, load64(s + i));
		return (uint32_t)mix(h, load64(s + len - 8));
	}
	if (len >= 4)
		return (uint32_t)mix(h, load32(s) | load32(s + len - 4) << 32);
	if (len > 0)
		return (uint32_t)mix(h, (uint64_t)(unsigned char)s[0] |
		    (uint64_t)(unsigned char)s[len / 2] << 8 |
		    (uint64_t)(unsigned char)s[len - 1] << 16);
	return (uint32_t)h;
}

/* 1 when a and b hold the same len bytes; a word at a time, as above. */
static inline int
same_bytes(const char *a, const char *b, size_t len)
{
	size_t i;

	if (len >= 8) {
		for (i = 0; i + 8 < len; i += 8)
			if (load64(a + i) != load64(b + i))
				return 0;
		return load64(a + len - 8) == load64(b + len - 8);
	}
	if (len >= 4)
		return load32(a) == load32(b) &&
		    load32(a + len - 4) == load32(b + len - 4);
	for (i = 0; i < len; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* 1 when e is the name s[0..len). */
static inline int
is_name(const struct jkey *e, const char *s, size_t len)
{
	return e != NULL && e->len == len && same_bytes(e->text, s, len);
}

/* e, found or added, came after the name found last. */
static void
follows(struct jkeys *k, struct jkey *e)
{
	struct jkey *p = k->last;

	k->last = e;
	if (p == NULL || p->next[0] == e)
		return;
	p->next[1] = p->next[0];
	p->next[0] = e;
}

/*
 * A platform writes the names of its documents in much the same order
 * every time: the name after the last one found is most often one of
 * the two that came after it lately, and is then found with a
 * comparison or two and no hash.  (Names such as "amount" come in
 * many places, each followed by its own names.)
 */
const char *
jkeys_find(struct jkeys *k, const char *s, size_t len, uint32_t *hash)
{
	struct jkey *e;
	uint32_t h;
	size_t i;

	if (k->last != NULL) {
		e = k->last->next[0];
		if (is_name(e, s, len)) {
			k->last = e;
			return e->text;
		}
		e = k->last->next[1];
		if (is_name(e, s, len)) {
			follows(k, e);
			return e->text;
		}
	}
	h = name_hash(s, len);
	*hash = h;
	for (i = h & (JKEYS_SLOTS - 1); (e = k->slot[i]) != NULL;
	    i = (i + 1) & (JKEYS_SLOTS - 1))
		if (e->hash == h && is_name(e, s, len)) {
			follows(k, e);
			return e->text;
		}
	return NULL;
}

const char *
jkeys_add(struct jkeys *k, const char *s, size_t len, uint32_t hash)
{
	struct jkey *e;
	size_t size, i;

	size = (offsetof(struct jkey, text) + len + 1 + 7) & ~(size_t)7;
	if (len > JKEYS_LEN_MAX || k->count == JKEYS_MAX ||
	    size > sizeof(k->pool) - k->used)
		return NULL;
	e = (struct jkey *)((char *)k->pool + k->used);
	k->used += size;
	k->count++;
	e->seen = 0;
	e->next[0] = NULL;
	e->next[1] = NULL;
	e->hash = hash;
	e->len = (uint32_t)len;
	memcpy(e->text, s, len);
	e->text[len] = '\0';

	for (i = hash & (JKEYS_SLOTS - 1); k->slot[i] != NULL;
	    i = (i + 1) & (JKEYS_SLOTS - 1))
		;
	k->slot[i] = e;
	follows(k, e);
	return e->text;
}

/*
 * Each call stamps the names it sees with a number of its own: a name
 * that already bears it came before in the same object.
 */
const char *
jkeys_twice(struct jkeys *k, const struct jnode *kids, size_t n)
{
	struct jkey *e;
	uint64_t serial = ++k->serial;
	size_t i;

	for (i = 0; i < n; i++) {
		e = (struct jkey *)(void *)(kids[i].key -
		    offsetof(struct jkey, text));
		if (e->seen == serial)
			return kids[i].key;
		e->seen = serial;
	}
	return NULL;
}

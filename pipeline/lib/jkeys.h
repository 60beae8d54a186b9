#ifndef KONTOR_JKEYS_H
#define KONTOR_JKEYS_H

/*
 * The member names of parsed JSON, each kept once.
 *
 * An order or a record repeats a few hundred member names over and over
 * ("price", "quantity", ...).  The JSON reader keeps one copy of each
 * name in a struct jkeys, checked once when it is first seen, and hands
 * out the same pointer for every later occurrence.  The table is
 * bounded: at most JKEYS_MAX names of at most JKEYS_LEN_MAX bytes each;
 * past that jkeys_add returns NULL and the reader copies the name as it
 * copies any other text, so hostile input costs no more memory than the
 * table's fixed size.
 *
 * Every interned name carries a stamp, so that a name that comes twice
 * in one object is found with one look at each of its members
 * (jkeys_twice).  Names stay valid until jkeys_free.
 */

#include <stddef.h>
#include <stdint.h>

#include "json.h"

#define JKEYS_MAX	1024	/* names kept */
#define JKEYS_LEN_MAX	64	/* bytes of the longest name kept */

struct jkeys;

/* An empty table; free with jkeys_free. */
struct jkeys	*jkeys_new(void);
void	jkeys_free(struct jkeys *k);

/*
 * The interned copy of the name s[0..len), a NUL-terminated string, or
 * NULL when the table does not hold it; *hash then gets the name's
 * hash, which jkeys_add takes.  The table remembers which name came
 * after which, so that names that come in the order they came before
 * are found without hashing them.
 */
const char *jkeys_find(struct jkeys *k, const char *s, size_t len,
	    uint32_t *hash);
/*
 * Interns the name s[0..len), which jkeys_find did not find, with the
 * hash it gave.  The caller has checked the name.  NULL when the table
 * is full or the name too long.
 */
const char *jkeys_add(struct jkeys *k, const char *s, size_t len,
	    uint32_t hash);

/*
 * The first member name of kids[0..n) that an earlier member of them
 * has too, or NULL.  Every name must be one k handed out.
 */
const char *jkeys_twice(struct jkeys *k, const struct jnode *kids,
	    size_t n);

#endif

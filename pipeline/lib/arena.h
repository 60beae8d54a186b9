#ifndef KONTOR_ARENA_H
#define KONTOR_ARENA_H

/*
 * A region allocator: many small allocations, freed all at once.
 *
 * Parsed JSON trees and the strings of one order or invoice live in an
 * arena and die together.  arena_reset keeps the first block so that a
 * stage handling one record after another stops calling malloc once it
 * has warmed up.  Growth past cap_bytes fails (NULL), never aborts, so
 * outside input cannot make an arena grow without bound.
 */

#include <stddef.h>

struct arena;

/* A new empty arena that may grow to cap_bytes.  Free with arena_free. */
struct arena	*arena_new(size_t cap_bytes);
void	arena_free(struct arena *a);
/* Frees everything allocated so far; keeps the first block. */
void	arena_reset(struct arena *a);

/* n bytes aligned for any type, or NULL past the cap. */
void	*arena_alloc(struct arena *a, size_t n);
/* A NUL-terminated copy of s[0..n), or NULL past the cap. */
char	*arena_strndup(struct arena *a, const char *s, size_t n);
/* As arena_strndup, for a NUL-terminated s; NULL stays NULL. */
char	*arena_strdup(struct arena *a, const char *s);
/*
 * Appends a zeroed element of size bytes to the array *arr of *n
 * elements with room for *cap, moving it to a new block of twice the
 * room when it is full (the old block stays until the arena is reset).
 * Returns the new element, or NULL past the cap.
 */
void	*arena_push(struct arena *a, void **arr, size_t *n, size_t *cap,
	    size_t size);

/* printf into the arena; NULL past the cap. */
char	*arena_printf(struct arena *a, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

#endif

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"

struct ablock {
	struct ablock *next;
	size_t size, used;
	max_align_t data[];
};

struct arena {
	struct ablock *head;
	size_t total_bytes;
	size_t cap_bytes;
};

#define ARENA_BLOCK	((size_t)64 << 10)

struct arena *
arena_new(size_t cap_bytes)
{
	struct arena *a = xcalloc(1, sizeof(*a));

	a->cap_bytes = cap_bytes;
	return a;
}

void
arena_reset(struct arena *a)
{
	struct ablock *b, *next, *keep = NULL;

	if (a == NULL)
		return;
	/* Keep one standard-sized block, free the rest. */
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		if (keep == NULL && b->size == ARENA_BLOCK)
			keep = b;
		else
			free(b);
	}
	a->head = keep;
	a->total_bytes = 0;
	if (keep != NULL) {
		keep->next = NULL;
		keep->used = 0;
		a->total_bytes = keep->size;
	}
}

void
arena_free(struct arena *a)
{
	struct ablock *b, *next;

	if (a == NULL)
		return;
	for (b = a->head; b != NULL; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void *
arena_alloc(struct arena *a, size_t n)
{
	struct ablock *b = a->head;
	size_t align = sizeof(max_align_t), size;
	void *p;

	if (n > a->cap_bytes)
		return NULL;
	n = (n + align - 1) / align * align;
	if (b != NULL && b->size - b->used >= n) {
		p = (char *)b->data + b->used;
		b->used += n;
		return p;
	}

	size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
	if (a->total_bytes + size > a->cap_bytes)
		return NULL;
	b = xmalloc(sizeof(*b) + size);
	b->size = size;
	b->used = n;
	a->total_bytes += size;
	/* A one-off large block goes behind the head, which stays current. */
	if (a->head != NULL && size > ARENA_BLOCK) {
		b->next = a->head->next;
		a->head->next = b;
	} else {
		b->next = a->head;
		a->head = b;
	}
	return b->data;
}

char *
arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (p == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
arena_strdup(struct arena *a, const char *s)
{
	if (s == NULL)
		return NULL;
	return arena_strndup(a, s, strlen(s));
}

void *
arena_push(struct arena *a, void **arr, size_t *n, size_t *cap, size_t size)
{
	char *p;

	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 8;

		p = arena_alloc(a, ncap * size);
		if (p == NULL)
			return NULL;
		if (*n > 0)
			memcpy(p, *arr, *n * size);
		*arr = p;
		*cap = ncap;
	}
	p = (char *)*arr + *n * size;
	memset(p, 0, size);
	(*n)++;
	return p;
}

char *
arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;

	p = arena_alloc(a, (size_t)n + 1);
	if (p == NULL)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

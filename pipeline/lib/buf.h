#ifndef KONTOR_BUF_H
#define KONTOR_BUF_H

/*
 * A growable byte buffer with a size cap.
 *
 * Invariants: after buf_init the buffer is usable and empty; data is
 * never NULL once something was added and is always NUL-terminated (the
 * terminator is not counted in len).  Growing past cap_bytes fails with
 * KR_TOO_BIG and leaves the contents as they were, so outside input can
 * never make a buffer grow without bound.  Out of memory aborts the
 * process: a short-lived filter has nothing better to do.
 */

#include <stddef.h>
#include <stdarg.h>

#define BUF_CAP_DEFAULT	((size_t)64 << 20)	/* 64 MiB */

struct buf {
	char *data;		/* NULL until first growth */
	size_t len;		/* bytes used, without the NUL */
	size_t alloc;		/* bytes allocated */
	size_t cap_bytes;	/* len may never exceed this */
};

/* Life cycle */

/* Starts an empty buffer that may hold up to cap_bytes (0: default). */
void	buf_init(struct buf *b, size_t cap_bytes);
/* Frees the memory; the buffer is empty and usable again. */
void	buf_release(struct buf *b);
/* Empties the buffer but keeps its memory for reuse. */
void	buf_reset(struct buf *b);
/*
 * Hands the bytes to the caller, who frees them with free(); the buffer
 * is empty afterwards.  Never returns NULL.
 */
char	*buf_take(struct buf *b, size_t *len);

/* Adding; each returns KR_OK or KR_TOO_BIG. */

int	buf_add(struct buf *b, const void *p, size_t n);
int	buf_adds(struct buf *b, const char *s);
int	buf_addc(struct buf *b, int c);
int	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
int	buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Makes room for n more bytes without changing len. */
int	buf_grow(struct buf *b, size_t n);

/* Allocation helpers that abort on failure. */
void	*xmalloc(size_t n);
void	*xcalloc(size_t n, size_t size);
void	*xreallocarray(void *p, size_t n, size_t size);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);

#endif

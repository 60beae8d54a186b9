#ifndef KONTOR_CP1252_H
#define KONTOR_CP1252_H

/*
 * UTF-8 to Windows-1252, the encoding DATEV import files use.
 *
 * The conversion itself is done by the C library's iconv ("WINDOWS-1252"
 * from "UTF-8", without //TRANSLIT).  A character that Windows-1252 does
 * not have is replaced by kontor's own fixed table (Latin Extended-A,
 * the Romanian comma letters, dashes, spaces and quotes of General
 * Punctuation, fullwidth ASCII), never by glibc's //TRANSLIT, whose
 * result depends on the locale; what the table does not know becomes
 * "?".  Every replacement is counted, so nothing is lost silently.
 *
 * Control characters (tab, CR, LF, the C0 and C1 ranges, DEL, the line
 * and paragraph separators) may not appear in a DATEV field: each becomes
 * one space and is counted apart.  A combining mark after a letter is
 * composed with it where Windows-1252 has the composed letter ("a" and
 * U+0308 give "ä"); any other combining mark is dropped and counted.
 *
 * The output never holds one of the five code points Windows-1252 leaves
 * undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D), and each output byte is one
 * character, so a field's length in characters is its length in bytes.
 */

#include <iconv.h>
#include <stddef.h>

#include "buf.h"
#include "err.h"

struct cp1252 {
	iconv_t cd;
	long n_translit;	/* characters replaced from the table or "?" */
	long n_unknown;		/* of those, the ones that became "?" */
	long n_control;		/* control characters turned into spaces */
};

/* Life cycle */

/* Opens the converter; KR_CONFIG when the C library lacks it. */
int	cp1252_init(struct cp1252 *c, struct kerr *e);
void	cp1252_release(struct cp1252 *c);
/* Sets the three counters back to zero. */
void	cp1252_reset_counts(struct cp1252 *c);

/* Converting */

/*
 * Appends the Windows-1252 form of the UTF-8 text s[0..len) to out and
 * adds to the counters.  Invalid UTF-8 (bad sequences, overlong forms,
 * surrogates, code points past U+10FFFF) fails with KR_BAD_INPUT, a
 * message naming the byte offset, and out as it was before the call.
 * KR_TOO_BIG when out hits its cap.  out stays the caller's.
 */
int	cp1252_add(struct cp1252 *c, struct buf *out, const char *s,
	    size_t len, struct kerr *e);

/* 1 when byte b is one of the five code points Windows-1252 leaves out. */
int	cp1252_undefined(unsigned char b);

#endif

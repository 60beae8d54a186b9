#ifndef KONTOR_UTF8_H
#define KONTOR_UTF8_H

/*
 * Strict UTF-8, and text made safe for a terminal or a log line.
 *
 * Valid means what RFC 3629 allows: the shortest encoding of each code
 * point (no overlong forms such as C0 AF for '/'), no surrogates
 * U+D800..U+DFFF encoded directly, nothing above U+10FFFF, and no
 * sequence cut short.  Every reader of outside text (JSON, file names)
 * checks with these functions, so the rest of kontor can rely on valid
 * UTF-8.
 */

#include <stddef.h>
#include <stdint.h>

/*
 * The length (1 to 4) of the valid UTF-8 sequence at the start of s,
 * which holds n bytes (n > 0), with its code point in *cp (cp may be
 * NULL); 0 when the bytes there are not valid UTF-8.
 */
size_t	utf8_seq(const char *s, size_t n, uint32_t *cp);

/* 1 when the n bytes at s are valid UTF-8 (NUL bytes count as valid). */
int	utf8_valid(const char *s, size_t n);

/*
 * 1 when the n bytes at s are all ASCII and none is NUL: text that is
 * valid UTF-8 without a closer look, as nearly all member names and
 * most values are.
 */
int	utf8_plain(const char *s, size_t n);

/*
 * The first character of valid UTF-8 text that no XML document can hold
 * (a C0 control other than tab, line feed and carriage return, U+FFFE,
 * U+FFFF), or 0 when there is none.
 */
uint32_t	utf8_unwritable(const char *s, size_t n);

/*
 * 1 when the n bytes at s are valid UTF-8 without a NUL byte and
 * without a character utf8_unwritable finds: text every reader and
 * every invoice takes.
 */
int	utf8_text_ok(const char *s, size_t n);

/* 1 when the n bytes at s are all ASCII from space to DEL. */
int	utf8_plain_text(const char *s, size_t n);
/*
 * Copies the n bytes at s to dst (which has room for n) and says what
 * utf8_plain_text(s, n) says, in one pass over the bytes.
 */
int	utf8_copy_plain_text(char *dst, const char *s, size_t n);

/*
 * 1 when the n bytes at s are all ASCII from space to DEL and none is a
 * quotation mark or backslash: text a JSON string holds as it is.
 */
int	utf8_json_verbatim(const char *s, size_t n);
/*
 * Copies the n bytes at s to dst (which has room for n) and says what
 * utf8_json_verbatim(s, n) says, in one pass over the bytes.
 */
int	utf8_copy_json_verbatim(char *dst, const char *s, size_t n);

/*
 * The length of the longest start of the NUL-terminated s that is at
 * most max bytes and does not cut a character in two: what "%.*s"
 * should print of s when it may print max bytes.
 */
int	utf8_prefix(const char *s, size_t max);

/*
 * 1 when the n bytes at s hold a control character: a byte 0x00 to
 * 0x1f or 0x7f, or a C1 control U+0080 to U+009F.
 */
int	utf8_has_control(const char *s, size_t n);

/*
 * Copies the NUL-terminated s into out (size bytes, size > 0), writing
 * every control character (as utf8_has_control) and every byte that is
 * not part of valid UTF-8 as "\xNN", one escape per byte, so that the
 * result is valid UTF-8 on one line and cannot steer a terminal.  Cuts
 * the text where out is full, never inside an escape or a character.
 * Returns out.
 */
char	*utf8_escape(const char *s, char *out, size_t size);

/* The size of out that holds any escaped text of n bytes. */
#define UTF8_ESCAPED_MAX(n)	((n) * 4 + 1)

#endif

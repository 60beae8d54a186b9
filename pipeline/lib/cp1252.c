#include <errno.h>
#include <string.h>

#include "cp1252.h"

/*
 * Latin Extended-A, U+0100 to U+017F, in order.  NULL marks the letters
 * Windows-1252 has itself (Œ œ Š š Ÿ Ž ž); iconv converts those.
 */
static const char *const latin_ext_a[128] = {
	"A", "a", "A", "a", "A", "a", "C", "c",		/* 0100 */
	"C", "c", "C", "c", "C", "c", "D", "d",		/* 0108 */
	"D", "d", "E", "e", "E", "e", "E", "e",		/* 0110 */
	"E", "e", "E", "e", "G", "g", "G", "g",		/* 0118 */
	"G", "g", "G", "g", "H", "h", "H", "h",		/* 0120 */
	"I", "i", "I", "i", "I", "i", "I", "i",		/* 0128 */
	"I", "i", "IJ", "ij", "J", "j", "K", "k",	/* 0130 */
	"k", "L", "l", "L", "l", "L", "l", "L",		/* 0138 */
	"l", "L", "l", "N", "n", "N", "n", "N",		/* 0140 */
	"n", "'n", "N", "n", "O", "o", "O", "o",	/* 0148 */
	"O", "o", NULL, NULL, "R", "r", "R", "r",	/* 0150 */
	"R", "r", "S", "s", "S", "s", "S", "s",		/* 0158 */
	NULL, NULL, "T", "t", "T", "t", "T", "t",	/* 0160 */
	"U", "u", "U", "u", "U", "u", "U", "u",		/* 0168 */
	"U", "u", "U", "u", "W", "w", "Y", "y",		/* 0170 */
	NULL, "Z", "z", "Z", "z", NULL, NULL, "s"	/* 0178 */
};

/* Single code points outside Latin Extended-A, sorted by code point. */
static const struct {
	unsigned long cp;
	const char *to;
} translit_table[] = {
	{0x018F, "E"}, {0x01CD, "A"}, {0x01CE, "a"}, {0x01CF, "I"},
	{0x01D0, "i"}, {0x01D1, "O"}, {0x01D2, "o"}, {0x01D3, "U"},
	{0x01D4, "u"}, {0x0218, "S"}, {0x0219, "s"}, {0x021A, "T"},
	{0x021B, "t"}, {0x0259, "e"}, {0x02B9, "'"}, {0x02BA, "\""},
	{0x02BB, "'"}, {0x02BC, "'"}, {0x02DD, "\""},
	{0x2000, " "}, {0x2001, " "}, {0x2002, " "}, {0x2003, " "},
	{0x2004, " "}, {0x2005, " "}, {0x2006, " "}, {0x2007, " "},
	{0x2008, " "}, {0x2009, " "}, {0x200A, " "}, {0x200B, ""},
	{0x200C, ""}, {0x200D, ""}, {0x200E, ""}, {0x200F, ""},
	{0x2010, "-"}, {0x2011, "-"}, {0x2012, "-"}, {0x2015, "-"},
	{0x2016, "||"}, {0x2017, "_"}, {0x201B, "'"}, {0x201F, "\""},
	{0x2023, ">"}, {0x2024, "."}, {0x2025, ".."}, {0x2027, "-"},
	{0x202F, " "}, {0x2032, "'"}, {0x2033, "\""}, {0x2035, "'"},
	{0x2036, "\""}, {0x2043, "-"}, {0x2044, "/"}, {0x204E, "*"},
	{0x205F, " "}, {0x2060, ""}, {0x20A4, "\xA3"}, {0x2116, "No"},
	{0x2190, "<-"}, {0x2192, "->"}, {0x2212, "-"}, {0x2215, "/"},
	{0x2217, "*"}, {0x2219, "\xB7"}, {0x2264, "<="}, {0x2265, ">="},
	{0x2500, "-"}, {0x2502, "|"}, {0x3000, " "}, {0xFEFF, ""},
};

/* Latin-1 letters a combining mark may build on the base letter before it. */
static const struct {
	unsigned long mark;
	const char *base;
	const char *composed;	/* Windows-1252 bytes, one per base letter */
} compose_table[] = {
	{0x0300, "AEIOUaeiou",
	    "\xC0\xC8\xCC\xD2\xD9\xE0\xE8\xEC\xF2\xF9"},
	{0x0301, "AEIOUYaeiouy",
	    "\xC1\xC9\xCD\xD3\xDA\xDD\xE1\xE9\xED\xF3\xFA\xFD"},
	{0x0302, "AEIOUaeiou",
	    "\xC2\xCA\xCE\xD4\xDB\xE2\xEA\xEE\xF4\xFB"},
	{0x0303, "ANOano", "\xC3\xD1\xD5\xE3\xF1\xF5"},
	{0x0308, "AEIOUYaeiouy",
	    "\xC4\xCB\xCF\xD6\xDC\x9F\xE4\xEB\xEF\xF6\xFC\xFF"},
	{0x030A, "Aa", "\xC5\xE5"},
	{0x030C, "SZsz", "\x8A\x8E\x9A\x9E"},
	{0x0327, "Cc", "\xC7\xE7"},
};

int
cp1252_undefined(unsigned char b)
{
	return b == 0x81 || b == 0x8D || b == 0x8F || b == 0x90 || b == 0x9D;
}

/*
 * The bytes kontor writes for code point cp when Windows-1252 lacks it
 * ("L" for U+0141), or NULL when the table has no entry.  The empty
 * string drops the character (zero-width characters).
 */
static const char *
translit_lookup(unsigned long cp)
{
	size_t lo = 0, hi = sizeof(translit_table) / sizeof(translit_table[0]);

	if (cp >= 0x0100 && cp <= 0x017F)
		return latin_ext_a[cp - 0x0100];
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (translit_table[mid].cp == cp)
			return translit_table[mid].to;
		if (translit_table[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
cp1252_init(struct cp1252 *c, struct kerr *e)
{
	memset(c, 0, sizeof(*c));
	c->cd = iconv_open("WINDOWS-1252", "UTF-8");
	if (c->cd == (iconv_t)-1)
		return kerr_set(e, KR_CONFIG, NULL, "the C library cannot "
		    "convert to Windows-1252: %s", strerror(errno));
	return KR_OK;
}

void
cp1252_release(struct cp1252 *c)
{
	if (c->cd != (iconv_t)-1 && c->cd != NULL)
		iconv_close(c->cd);
	c->cd = NULL;
}

void
cp1252_reset_counts(struct cp1252 *c)
{
	c->n_translit = 0;
	c->n_unknown = 0;
	c->n_control = 0;
}

/*
 * Decodes one UTF-8 sequence at s (avail bytes).  Returns its length, or
 * 0 when the bytes are not valid UTF-8.
 */
static size_t
utf8_decode(const unsigned char *s, size_t avail, unsigned long *cp)
{
	static const unsigned long min[] = {0, 0x80, 0x800, 0x10000};
	size_t n, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0)
		n = 2;
	else if ((s[0] & 0xF0) == 0xE0)
		n = 3;
	else if ((s[0] & 0xF8) == 0xF0)
		n = 4;
	else
		return 0;
	if (n > avail)
		return 0;
	*cp = s[0] & (0x7F >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[i] & 0x3F);
	}
	if (*cp < min[n - 1] || *cp > 0x10FFFF ||
	    (*cp >= 0xD800 && *cp <= 0xDFFF))
		return 0;
	return n;
}

static int
is_control(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
	    cp == 0x2029;
}

static int
is_combining(unsigned long cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) ||
	    (cp >= 0x1AB0 && cp <= 0x1AFF) || (cp >= 0x1DC0 && cp <= 0x1DFF) ||
	    (cp >= 0x20D0 && cp <= 0x20FF) || (cp >= 0xFE20 && cp <= 0xFE2F);
}

/*
 * Builds the composed letter from the last byte written and a combining
 * mark.  Returns 1 when it did; the byte is replaced in place.
 */
static int
compose(struct buf *out, size_t start, unsigned long mark)
{
	const char *at;
	size_t i;

	if (out->len <= start)
		return 0;
	for (i = 0; i < sizeof(compose_table) / sizeof(compose_table[0]);
	    i++) {
		if (compose_table[i].mark != mark)
			continue;
		at = strchr(compose_table[i].base, out->data[out->len - 1]);
		if (at == NULL || out->data[out->len - 1] == '\0')
			return 0;
		out->data[out->len - 1] =
		    compose_table[i].composed[at - compose_table[i].base];
		return 1;
	}
	return 0;
}

/* Converts one code point with iconv; 1 with *b set, 0 when it lacks it. */
static int
iconv_one(struct cp1252 *c, const char *seq, size_t n, unsigned char *b)
{
	char in[4], outb[4];
	char *ip = in, *op = outb;
	size_t il = n, ol = sizeof(outb);

	memcpy(in, seq, n);
	iconv(c->cd, NULL, NULL, NULL, NULL);
	if (iconv(c->cd, &ip, &il, &op, &ol) == (size_t)-1 ||
	    ol != sizeof(outb) - 1)
		return 0;
	*b = (unsigned char)outb[0];
	if (cp1252_undefined(*b))
		KBUG("iconv gave undefined Windows-1252 byte 0x%02X", *b);
	return 1;
}

/* Everything that is not plain ASCII goes through here. */
static int
add_special(struct cp1252 *c, struct buf *out, size_t start,
    unsigned long cp, const char *seq, size_t n)
{
	const char *to;
	unsigned char b;

	if (is_control(cp)) {
		c->n_control++;
		return buf_addc(out, ' ');
	}
	if (iconv_one(c, seq, n, &b))
		return buf_addc(out, b);
	if (is_combining(cp)) {
		if (compose(out, start, cp))
			return KR_OK;
		c->n_translit++;
		return KR_OK;
	}
	c->n_translit++;
	if (cp >= 0xFF01 && cp <= 0xFF5E)	/* fullwidth ASCII */
		return buf_addc(out, (int)(cp - 0xFEE0));
	to = translit_lookup(cp);
	if (to != NULL)
		return buf_adds(out, to);
	c->n_unknown++;
	return buf_addc(out, '?');
}

int
cp1252_add(struct cp1252 *c, struct buf *out, const char *s, size_t len,
    struct kerr *e)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t start = out->len, i = 0, n;
	struct cp1252 saved = *c;
	unsigned long cp;
	int rc = KR_OK;

	while (i < len && rc == KR_OK) {
		/* A run of printable ASCII goes over as it is, at once. */
		for (n = 0; i + n < len && u[i + n] >= 0x20 && u[i + n] < 0x7F;
		    n++)
			;
		if (n > 0) {
			rc = buf_add(out, s + i, n);
			i += n;
			continue;
		}
		n = utf8_decode(u + i, len - i, &cp);
		if (n == 0) {
			out->len = start;
			if (out->data != NULL)
				out->data[start] = '\0';
			*c = saved;
			return kerr_set(e, KR_BAD_INPUT, NULL, "invalid UTF-8 "
			    "at byte %zu (0x%02X)", i, u[i]);
		}
		rc = add_special(c, out, start, cp, s + i, n);
		i += n;
	}
	if (rc != KR_OK)
		return kerr_set(e, rc, NULL, "text too long for its buffer");
	return KR_OK;
}

/*
 * A thin layer over libxml2's xmlTextWriter (xmlw.h).
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include "xmlw.h"

static void
xmlw_fail(struct xmlw *x, const char *what)
{
	if (x->rc != KR_OK)
		return;
	x->rc = kerr_set(x->e, KR_NOMEM, NULL, "writing the XML failed "
	    "at %s", what);
}

int
xmlw_begin(struct xmlw *x, struct kerr *e)
{
	memset(x, 0, sizeof(*x));
	x->e = e;
	x->b = xmlBufferCreate();
	if (x->b != NULL)
		x->w = xmlNewTextWriterMemory(x->b, 0);
	if (x->w == NULL || xmlTextWriterSetIndent(x->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->w, BAD_CAST "  ") < 0 ||
	    xmlTextWriterStartDocument(x->w, "1.0", "UTF-8", NULL) < 0) {
		xmlw_release(x);
		return kerr_set(e, KR_NOMEM, NULL, "cannot start an XML "
		    "document");
	}
	return KR_OK;
}

int
xmlw_blank(const char *s)
{
	if (s == NULL)
		return 1;
	for (; *s != '\0'; s++)
		if (!isspace((unsigned char)*s))
			return 0;
	return 1;
}

/*
 * The length of the UTF-8 sequence at s if it encodes a character XML
 * 1.0 allows (tab, newline, carriage return, U+0020 to U+D7FF, U+E000
 * to U+FFFD, U+10000 to U+10FFFF), else 0; *cp gets the code point.
 */
static size_t
xml_char(const unsigned char *s, uint32_t *cp)
{
	size_t n, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ||
		    s[0] == '\r';
	}
	if ((s[0] & 0xE0) == 0xC0) {
		n = 2;
		c = s[0] & 0x1F;
	} else if ((s[0] & 0xF0) == 0xE0) {
		n = 3;
		c = s[0] & 0x0F;
	} else if ((s[0] & 0xF8) == 0xF0) {
		n = 4;
		c = s[0] & 0x07;
	} else {
		*cp = s[0];
		return 0;
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*cp = s[0];
			return 0;
		}
		c = c << 6 | (s[i] & 0x3F);
	}
	*cp = c;
	if ((n == 2 && c < 0x80) || (n == 3 && c < 0x800) ||
	    (n == 4 && c < 0x10000) || c > 0x10FFFF ||
	    (c >= 0xD800 && c <= 0xDFFF) || c == 0xFFFE || c == 0xFFFF)
		return 0;
	return n;
}

/* Refuses text that XML cannot carry, naming the element. */
static int
xmlw_check_text(struct xmlw *x, const char *name, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	uint32_t cp;
	size_t n;

	while (*p != '\0') {
		n = xml_char(p, &cp);
		if (n == 0) {
			x->rc = kerr_set(x->e, KR_BAD_INPUT, name, "character "
			    "%zu of the text is U+%04X or a byte that is not "
			    "UTF-8, which an XML document cannot carry",
			    (size_t)(p - (const unsigned char *)text) + 1,
			    (unsigned)cp);
			return 0;
		}
		p += n;
	}
	return 1;
}

void
xmlw_start(struct xmlw *x, const char *name)
{
	if (x->rc == KR_OK &&
	    xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		xmlw_fail(x, name);
}

void
xmlw_end(struct xmlw *x)
{
	if (x->rc == KR_OK && xmlTextWriterEndElement(x->w) < 0)
		xmlw_fail(x, "the end of an element");
}

void
xmlw_attr(struct xmlw *x, const char *name, const char *value)
{
	if (x->rc != KR_OK || xmlw_blank(value) ||
	    !xmlw_check_text(x, name, value))
		return;
	if (xmlTextWriterWriteAttribute(x->w, BAD_CAST name,
	    BAD_CAST value) < 0)
		xmlw_fail(x, name);
}

void
xmlw_text_attr(struct xmlw *x, const char *name, const char *text,
    const char *attr, const char *value)
{
	if (x->rc != KR_OK || xmlw_blank(text) ||
	    !xmlw_check_text(x, name, text))
		return;
	xmlw_start(x, name);
	if (attr != NULL)
		xmlw_attr(x, attr, value);
	if (x->rc == KR_OK &&
	    xmlTextWriterWriteString(x->w, BAD_CAST text) < 0)
		xmlw_fail(x, name);
	xmlw_end(x);
}

void
xmlw_text(struct xmlw *x, const char *name, const char *text)
{
	xmlw_text_attr(x, name, text, NULL, NULL);
}

int
xmlw_finish(struct xmlw *x, struct buf *out)
{
	int rc;

	if (x->rc == KR_OK && (xmlTextWriterEndDocument(x->w) < 0 ||
	    xmlTextWriterFlush(x->w) < 0))
		xmlw_fail(x, "the end of the document");
	if (x->rc == KR_OK)
		x->rc = buf_add(out, xmlBufferContent(x->b),
		    (size_t)xmlBufferLength(x->b));
	if (x->rc == KR_OK && (out->len == 0 ||
	    out->data[out->len - 1] != '\n'))
		x->rc = buf_addc(out, '\n');
	if (x->rc == KR_TOO_BIG)
		kerr_set(x->e, KR_TOO_BIG, NULL, "the document is larger "
		    "than its buffer allows");
	rc = x->rc;
	xmlw_release(x);
	return rc;
}

void
xmlw_release(struct xmlw *x)
{
	if (x->w != NULL)
		xmlFreeTextWriter(x->w);
	if (x->b != NULL)
		xmlBufferFree(x->b);
	x->w = NULL;
	x->b = NULL;
}

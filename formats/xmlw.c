/*
 * A thin layer over libxml2's tree and its serializer (xmlw.h).
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include <libxml/xmlsave.h>

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
	x->doc = xmlNewDoc(BAD_CAST "1.0");
	if (x->doc == NULL)
		return kerr_set(e, KR_NOMEM, NULL, "cannot start an XML "
		    "document");
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

/* 1 when the namespace ns has the prefix p[0..n), or none for n 0. */
static int
has_prefix(const xmlNs *ns, const char *p, size_t n)
{
	if (n == 0)
		return ns->prefix == NULL;
	return ns->prefix != NULL &&
	    strncmp((const char *)ns->prefix, p, n) == 0 &&
	    ns->prefix[n] == '\0';
}

/*
 * The namespace the root declared for the prefix of name ("cbc:ID"),
 * or for no prefix; NULL when there is none (yet).  *local gets the
 * name without its prefix.
 */
static xmlNs *
xmlw_ns(const struct xmlw *x, const char *name, const char **local)
{
	const char *colon = strchr(name, ':');
	size_t n = colon != NULL ? (size_t)(colon - name) : 0, i;

	*local = colon != NULL ? colon + 1 : name;
	for (i = 0; i < x->n_ns; i++)
		if (has_prefix(x->ns[i], name, n))
			return x->ns[i];
	return NULL;
}

/*
 * Opens the element name holding text (may be NULL): the root, whose
 * namespace may be declared after it, or a child of the open element,
 * whose prefix must have been declared.
 */
static void
xmlw_open(struct xmlw *x, const char *name, const char *text)
{
	const char *local;
	xmlNs *ns = xmlw_ns(x, name, &local);
	xmlNode *n;

	if (x->cur != NULL) {
		if (ns == NULL)
			KBUG("xmlw: no namespace declared for %s", name);
		n = xmlNewTextChild(x->cur, ns, BAD_CAST local,
		    BAD_CAST text);
	} else {
		if (xmlDocGetRootElement(x->doc) != NULL)
			KBUG("xmlw: a second root element %s", name);
		if ((size_t)(local - name) > sizeof(x->root_prefix))
			KBUG("xmlw: the prefix of %s is too long", name);
		memcpy(x->root_prefix, name, local == name ? 0 :
		    (size_t)(local - name) - 1);
		n = xmlNewDocRawNode(x->doc, ns, BAD_CAST local,
		    BAD_CAST text);
		if (n != NULL)
			xmlDocSetRootElement(x->doc, n);
	}
	if (n == NULL) {
		xmlw_fail(x, name);
		return;
	}
	x->cur = n;
}

void
xmlw_start(struct xmlw *x, const char *name)
{
	if (x->rc == KR_OK)
		xmlw_open(x, name, NULL);
}

void
xmlw_end(struct xmlw *x)
{
	if (x->rc != KR_OK)
		return;
	if (x->cur == NULL)
		KBUG("xmlw_end without an open element");
	x->cur = x->cur->parent != NULL &&
	    x->cur->parent->type == XML_ELEMENT_NODE ? x->cur->parent : NULL;
}

/*
 * Declares the namespace uri for prefix (NULL: the default namespace)
 * on the root, which takes it when the prefix is its own.
 */
static void
xmlw_declare(struct xmlw *x, const char *prefix, const char *uri)
{
	xmlNode *root = x->cur;
	xmlNs *ns;

	if (root->parent == NULL || root->parent->type != XML_DOCUMENT_NODE)
		KBUG("xmlw: namespace %s declared below the root", uri);
	if (x->n_ns == XMLW_NS_MAX)
		KBUG("xmlw: more than %d namespaces", XMLW_NS_MAX);
	ns = xmlNewNs(root, BAD_CAST uri, BAD_CAST prefix);
	if (ns == NULL) {
		xmlw_fail(x, "a namespace declaration");
		return;
	}
	x->ns[x->n_ns++] = ns;
	if (root->ns == NULL &&
	    has_prefix(ns, x->root_prefix, strlen(x->root_prefix)))
		xmlSetNs(root, ns);
}

void
xmlw_attr(struct xmlw *x, const char *name, const char *value)
{
	if (x->rc != KR_OK || xmlw_blank(value) ||
	    !xmlw_check_text(x, name, value))
		return;
	if (x->cur == NULL)
		KBUG("xmlw_attr %s outside an element", name);
	if (strcmp(name, "xmlns") == 0)
		xmlw_declare(x, NULL, value);
	else if (strncmp(name, "xmlns:", 6) == 0)
		xmlw_declare(x, name + 6, value);
	else if (xmlNewProp(x->cur, BAD_CAST name, BAD_CAST value) == NULL)
		xmlw_fail(x, name);
}

void
xmlw_text_attr(struct xmlw *x, const char *name, const char *text,
    const char *attr, const char *value)
{
	if (x->rc != KR_OK || xmlw_blank(text) ||
	    !xmlw_check_text(x, name, text))
		return;
	xmlw_open(x, name, text);
	if (attr != NULL)
		xmlw_attr(x, attr, value);
	xmlw_end(x);
}

void
xmlw_text(struct xmlw *x, const char *name, const char *text)
{
	xmlw_text_attr(x, name, text, NULL, NULL);
}

/* libxml2's serializer writes into the caller's buffer through this. */
struct xmlw_sink {
	struct buf *out;
	int too_big;
};

static int
xmlw_put(void *arg, const char *p, int n)
{
	struct xmlw_sink *s = arg;

	if (buf_add(s->out, p, (size_t)n) != KR_OK) {
		s->too_big = 1;
		return -1;
	}
	return n;
}

/* Appends the document's text to out: UTF-8, indented, as xmlw.h says. */
static void
xmlw_serialize(struct xmlw *x, struct buf *out)
{
	struct xmlw_sink sink = { out, 0 };
	xmlSaveCtxt *sc;
	int rc;

	sc = xmlSaveToIO(xmlw_put, NULL, &sink, "UTF-8", XML_SAVE_FORMAT);
	if (sc == NULL) {
		xmlw_fail(x, "the start of the text");
		return;
	}
	rc = xmlSaveDoc(sc, x->doc) < 0;
	if (xmlSaveClose(sc) < 0 || rc)
		xmlw_fail(x, "the text of the document");
	if (sink.too_big)
		x->rc = kerr_set(x->e, KR_TOO_BIG, NULL, "the document is "
		    "larger than its buffer allows");
	else if (x->rc == KR_OK && (out->len == 0 ||
	    out->data[out->len - 1] != '\n'))
		x->rc = buf_addc(out, '\n');
}

int
xmlw_finish(struct xmlw *x, struct buf *out, xmlDoc **tree)
{
	int rc;

	if (x->rc == KR_OK && x->cur != NULL)
		KBUG("xmlw_finish with the element %s open", x->cur->name);
	if (x->rc == KR_OK && x->root_prefix[0] != '\0' &&
	    xmlDocGetRootElement(x->doc)->ns == NULL)
		KBUG("xmlw: the root's prefix %s is not declared",
		    x->root_prefix);
	if (x->rc == KR_OK)
		xmlw_serialize(x, out);
	rc = x->rc;
	if (rc == KR_OK && tree != NULL) {
		*tree = x->doc;
		x->doc = NULL;
	}
	xmlw_release(x);
	return rc;
}

void
xmlw_release(struct xmlw *x)
{
	if (x->doc != NULL)
		xmlFreeDoc(x->doc);
	x->doc = NULL;
	x->cur = NULL;
}

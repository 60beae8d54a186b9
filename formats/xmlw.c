/*
 * A thin layer over libxml2's tree structures, built in an arena, with
 * a serializer of its own (xmlw.h).
 */
#include <ctype.h>
#include <stdint.h>
#include <string.h>

#include <libxml/parserInternals.h>

#include "xmlw.h"

static void
xmlw_fail(struct xmlw *x, const char *what)
{
	if (x->rc != KR_OK)
		return;
	x->rc = kerr_set(x->e, KR_NOMEM, NULL, "writing the XML failed "
	    "at %s", what);
}

void
xmlw_tree_init(struct xmlw_tree *t)
{
	t->arena = NULL;
	t->doc = NULL;
}

void
xmlw_tree_release(struct xmlw_tree *t)
{
	arena_free(t->arena);
	xmlw_tree_init(t);
}

/* n zeroed bytes of the tree's arena, or NULL (x failed) past its cap. */
static void *
xmlw_alloc(struct xmlw *x, size_t n, const char *what)
{
	void *p = arena_alloc(x->tree->arena, n);

	if (p == NULL) {
		xmlw_fail(x, what);
		return NULL;
	}
	return memset(p, 0, n);
}

/* A copy of s in the tree's arena, or NULL (x failed) past its cap. */
static xmlChar *
xmlw_strdup(struct xmlw *x, const char *s, const char *what)
{
	char *p = arena_strdup(x->tree->arena, s);

	if (p == NULL)
		xmlw_fail(x, what);
	return BAD_CAST p;
}

/*
 * The document node, with what xmlNewDoc would set: a tree built by
 * hand (XML_DOC_USERBUILT) in UTF-8, version 1.0, no standalone.
 */
static xmlDoc *
xmlw_new_doc(struct xmlw *x)
{
	xmlDoc *d = xmlw_alloc(x, sizeof(*d), "the document");

	if (d == NULL)
		return NULL;
	d->type = XML_DOCUMENT_NODE;
	d->version = xmlw_strdup(x, "1.0", "the document");
	d->standalone = -1;
	d->compression = -1;
	d->doc = d;
	d->charset = XML_CHAR_ENCODING_UTF8;
	d->properties = XML_DOC_USERBUILT;
	return d->version != NULL ? d : NULL;
}

int
xmlw_begin(struct xmlw *x, struct xmlw_tree *tree, struct kerr *e)
{
	memset(x, 0, sizeof(*x));
	x->e = e;
	x->tree = tree != NULL ? tree : &x->own;
	if (x->tree->arena == NULL)
		x->tree->arena = arena_new(XMLW_TREE_MAX);
	else
		arena_reset(x->tree->arena);
	x->tree->doc = NULL;
	x->doc = xmlw_new_doc(x);
	if (x->doc == NULL) {
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

/*
 * Refuses text that XML cannot carry, naming the element; *len gets the
 * length of text when it is fine.
 */
static int
xmlw_check_text(struct xmlw *x, const char *name, const char *text,
    size_t *len)
{
	const unsigned char *p = (const unsigned char *)text;
	uint32_t cp;
	size_t n;

	for (;;) {
		/* Printable ASCII, nearly all of it, needs no decoding. */
		while (*p >= 0x20 && *p < 0x80)
			p++;
		if (*p == '\0')
			break;
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
	*len = (size_t)(p - (const unsigned char *)text);
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

/* Appends n to the children of parent (an element or the document). */
static void
add_child(xmlNode *parent, xmlNode *n)
{
	n->parent = parent;
	n->prev = parent->last;
	if (parent->last != NULL)
		parent->last->next = n;
	else
		parent->children = n;
	parent->last = n;
}

/*
 * A text node holding a copy of text (len bytes), the last child of
 * parent.
 */
static xmlNode *
xmlw_new_text(struct xmlw *x, xmlNode *parent, const char *text,
    size_t len, const char *what)
{
	xmlNode *t = xmlw_alloc(x, sizeof(*t), what);
	xmlChar *copy;

	if (t == NULL)
		return NULL;
	copy = arena_alloc(x->tree->arena, len + 1);
	if (copy == NULL) {
		xmlw_fail(x, what);
		return NULL;
	}
	memcpy(copy, text, len);
	copy[len] = '\0';
	t->type = XML_TEXT_NODE;
	t->name = xmlStringText;
	t->doc = x->doc;
	t->content = copy;
	add_child(parent, t);
	return t;
}

/*
 * An element as xmlw lays it out: libxml2's node, which is all the tree
 * shows, and the name as the writer gave it, for the serializer.
 */
struct xmlw_element {
	xmlNode node;		/* first, so that the node is the element */
	const char *qname;	/* "pfx:local", kept (xmlw.h) */
	size_t qlen;
};

/* An element holding text, with its text node and the text's bytes. */
struct xmlw_text_element {
	struct xmlw_element el;
	xmlNode text;
	xmlChar bytes[];	/* the text, NUL-terminated */
};

/*
 * The element nm->name in namespace nm->ns, the last child of parent,
 * holding text of len bytes unless text is NULL: one piece of the
 * arena.  Its name is the writer's, not a copy.
 */
static xmlNode *
xmlw_new_element(struct xmlw *x, xmlNode *parent,
    const struct xmlw_name *nm, const char *text, size_t len)
{
	struct xmlw_text_element *te;
	struct xmlw_element *el;
	xmlNode *n;

	el = arena_alloc(x->tree->arena, text == NULL ? sizeof(*el) :
	    sizeof(*te) + len + 1);
	if (el == NULL) {
		xmlw_fail(x, nm->name);
		return NULL;
	}
	memset(el, 0, text == NULL ? sizeof(*el) : sizeof(*te));
	el->qname = nm->name;
	el->qlen = nm->len;
	n = &el->node;
	n->type = XML_ELEMENT_NODE;
	n->doc = x->doc;
	n->ns = nm->ns;
	n->name = BAD_CAST (nm->name + nm->local);
	add_child(parent, n);
	if (text != NULL) {
		te = (struct xmlw_text_element *)el;
		memcpy(te->bytes, text, len);
		te->bytes[len] = '\0';
		te->text.type = XML_TEXT_NODE;
		te->text.name = xmlStringText;
		te->text.doc = x->doc;
		te->text.content = te->bytes;
		add_child(n, &te->text);
	}
	return n;
}

/*
 * The name looked up: its namespace, found once a document for each
 * element name (by its address, which xmlw.h keeps unchanged), and
 * again while it has none (the root's, before its declaration).
 */
static const struct xmlw_name *
xmlw_name(struct xmlw *x, const char *name)
{
	uint64_t h = (uint64_t)(uintptr_t)name * 0x9E3779B97F4A7C15u;
	struct xmlw_name *nm = &x->names[h >> 58 & (XMLW_NAMES - 1)];
	const char *local;

	if (nm->name == name && nm->ns != NULL)
		return nm;
	nm->name = name;
	nm->ns = xmlw_ns(x, name, &local);
	nm->local = (size_t)(local - name);
	nm->len = nm->local + strlen(local);
	return nm;
}

/*
 * Opens the element name holding text of len bytes (text may be NULL):
 * the root, whose namespace may be declared after it, or a child of the
 * open element, whose prefix must have been declared.
 */
static void
xmlw_open(struct xmlw *x, const char *name, const char *text, size_t len)
{
	const struct xmlw_name *nm = xmlw_name(x, name);
	xmlNode *n;

	if (x->cur != NULL) {
		if (nm->ns == NULL)
			KBUG("xmlw: no namespace declared for %s", name);
		n = xmlw_new_element(x, x->cur, nm, text, len);
	} else {
		if (x->doc->children != NULL)
			KBUG("xmlw: a second root element %s", name);
		if (nm->local > sizeof(x->root_prefix))
			KBUG("xmlw: the prefix of %s is too long", name);
		memcpy(x->root_prefix, name, nm->local == 0 ? 0 :
		    nm->local - 1);
		n = xmlw_new_element(x, (xmlNode *)x->doc, nm, text, len);
	}
	if (n != NULL)
		x->cur = n;
}

void
xmlw_start(struct xmlw *x, const char *name)
{
	if (x->rc == KR_OK)
		xmlw_open(x, name, NULL, 0);
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
	xmlNs *ns, **end;

	if (root->parent == NULL || root->parent->type != XML_DOCUMENT_NODE)
		KBUG("xmlw: namespace %s declared below the root", uri);
	if (x->n_ns == XMLW_NS_MAX)
		KBUG("xmlw: more than %d namespaces", XMLW_NS_MAX);
	for (end = &root->nsDef; *end != NULL; end = &(*end)->next)
		if (xmlStrEqual((*end)->prefix, BAD_CAST prefix))
			KBUG("xmlw: the prefix of %s declared twice", uri);
	ns = xmlw_alloc(x, sizeof(*ns), "a namespace declaration");
	if (ns == NULL)
		return;
	ns->type = XML_LOCAL_NAMESPACE;
	ns->href = xmlw_strdup(x, uri, "a namespace declaration");
	if (prefix != NULL)
		ns->prefix = xmlw_strdup(x, prefix, "a namespace declaration");
	if (ns->href == NULL || (prefix != NULL && ns->prefix == NULL))
		return;
	*end = ns;
	x->ns[x->n_ns++] = ns;
	if (root->ns == NULL &&
	    has_prefix(ns, x->root_prefix, strlen(x->root_prefix)))
		root->ns = ns;
}

/* The attribute name="value", the last of the open element's. */
static void
xmlw_new_attr(struct xmlw *x, const char *name, const char *value,
    size_t len)
{
	xmlAttr *a = xmlw_alloc(x, sizeof(*a), name), **end;

	if (a == NULL)
		return;
	a->type = XML_ATTRIBUTE_NODE;
	a->doc = x->doc;
	a->name = xmlw_strdup(x, name, name);
	if (a->name == NULL ||
	    xmlw_new_text(x, (xmlNode *)a, value, len, name) == NULL)
		return;
	for (end = &x->cur->properties; *end != NULL; end = &(*end)->next)
		a->prev = *end;
	a->parent = x->cur;
	*end = a;
}

void
xmlw_attr(struct xmlw *x, const char *name, const char *value)
{
	size_t len;

	if (x->rc != KR_OK || xmlw_blank(value) ||
	    !xmlw_check_text(x, name, value, &len))
		return;
	if (x->cur == NULL)
		KBUG("xmlw_attr %s outside an element", name);
	if (strcmp(name, "xmlns") == 0)
		xmlw_declare(x, NULL, value);
	else if (strncmp(name, "xmlns:", 6) == 0)
		xmlw_declare(x, name + 6, value);
	else
		xmlw_new_attr(x, name, value, len);
}

void
xmlw_text_attr(struct xmlw *x, const char *name, const char *text,
    const char *attr, const char *value)
{
	size_t len;

	if (x->rc != KR_OK || xmlw_blank(text) ||
	    !xmlw_check_text(x, name, text, &len))
		return;
	xmlw_open(x, name, text, len);
	if (attr != NULL)
		xmlw_attr(x, attr, value);
	xmlw_end(x);
}

void
xmlw_text(struct xmlw *x, const char *name, const char *text)
{
	xmlw_text_attr(x, name, text, NULL, NULL);
}

/*
 * The serializer.  It writes what libxml2's xmlsave writes for the
 * trees xmlw builds (elements with namespace declarations, attributes
 * and text, nothing else) when asked for UTF-8 with XML_SAVE_FORMAT,
 * byte for byte: the XML declaration; each element on a line of its
 * own, indented by two spaces a level up to XMLW_INDENT_MAX levels,
 * unless its parent holds text; an element without children as
 * <x/>; in text <, >, & and CR as references, in attribute values
 * also ", tab and newline.  All else goes out as it is: xmlw let in
 * only UTF-8 that XML can carry.  Writing it here saves xmlsave's
 * output buffers and its UTF-8 to UTF-8 conversion, which cost more
 * than building the tree.
 */
#define XMLW_INDENT_MAX	30

struct xmlw_out {
	struct buf *b;
	char *p;		/* where the next byte goes, in b's data */
	char *end;		/* how far b takes bytes without growing */
	int rc;			/* KR_OK until the buffer is full */
};

/* Points p and end into b, whose len says how much is written. */
static void
out_sync(struct xmlw_out *o)
{
	struct buf *b = o->b;
	size_t room = b->alloc - 1 - b->len;

	if (room > b->cap_bytes - b->len)
		room = b->cap_bytes - b->len;
	o->p = b->data + b->len;
	o->end = o->p + room;
}

/*
 * What does not fit: the buffer grows, or, past its cap, the output
 * fails and takes nothing more (end stays at p).
 */
static void
put_slow(struct xmlw_out *o, const char *s, size_t n)
{
	if (o->rc != KR_OK)
		return;
	o->b->len = (size_t)(o->p - o->b->data);
	o->rc = buf_add(o->b, s, n);
	if (o->rc == KR_OK)
		out_sync(o);
	else
		o->end = o->p;
}

/*
 * Most pieces are a few bytes: copied straight into the room the
 * buffer has, with one comparison, and NUL-terminated once, at the end
 * (xmlw_serialize).
 */
static inline void
put(struct xmlw_out *o, const char *s, size_t n)
{
	if ((size_t)(o->end - o->p) >= n) {
		memcpy(o->p, s, n);
		o->p += n;
	} else {
		put_slow(o, s, n);
	}
}

static void
put_str(struct xmlw_out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* The reference for byte c in text (attr 0) or an attribute value. */
static const char *
entity(unsigned char c, int attr)
{
	switch (c) {
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '&':
		return "&amp;";
	case '\r':
		return "&#13;";
	case '"':
		return attr ? "&quot;" : NULL;
	case '\n':
		return attr ? "&#10;" : NULL;
	case '\t':
		return attr ? "&#9;" : NULL;
	}
	return NULL;
}

static void
put_escaped(struct xmlw_out *o, const xmlChar *s, int attr)
{
	const xmlChar *run = s;
	const char *ent;

	for (; *s != '\0'; s++) {
		/* Every byte that may need a reference is below '?'. */
		if (*s > '>')
			continue;
		ent = entity(*s, attr);
		if (ent == NULL)
			continue;
		put(o, (const char *)run, (size_t)(s - run));
		put_str(o, ent);
		run = s + 1;
	}
	put(o, (const char *)run, (size_t)(s - run));
}

static void
put_indent(struct xmlw_out *o, int level)
{
	static const char spaces[2 * XMLW_INDENT_MAX] =
	    "                                        "
	    "                    ";

	put(o, spaces, 2 * (size_t)(level < XMLW_INDENT_MAX ? level :
	    XMLW_INDENT_MAX));
}

static void
put_qname(struct xmlw_out *o, const xmlNs *ns, const xmlChar *name)
{
	if (ns != NULL && ns->prefix != NULL) {
		put_str(o, (const char *)ns->prefix);
		put(o, ":", 1);
	}
	put_str(o, (const char *)name);
}

/*
 * The namespace declarations and attributes of n.  Namespace names are
 * the writers' constants, which never need xmlsave's other quotes.
 */
static void
put_attrs(struct xmlw_out *o, const xmlNode *n)
{
	const xmlNs *ns;
	const xmlAttr *a;
	const xmlNode *t;

	for (ns = n->nsDef; ns != NULL; ns = ns->next) {
		if (strchr((const char *)ns->href, '"') != NULL)
			KBUG("xmlw: a quote in the namespace %s", ns->href);
		put(o, " xmlns", 6);
		if (ns->prefix != NULL) {
			put(o, ":", 1);
			put_str(o, (const char *)ns->prefix);
		}
		put(o, "=\"", 2);
		put_str(o, (const char *)ns->href);
		put(o, "\"", 1);
	}
	for (a = n->properties; a != NULL; a = a->next) {
		put(o, " ", 1);
		put_qname(o, a->ns, a->name);
		put(o, "=\"", 2);
		for (t = a->children; t != NULL; t = t->next) {
			if (t->type != XML_TEXT_NODE)
				KBUG("xmlw: attribute %s holds a node of type "
				    "%d", a->name, (int)t->type);
			put_escaped(o, t->content, 1);
		}
		put(o, "\"", 1);
	}
}

/* 1 when n has a text child: then nothing inside n is indented. */
static int
holds_text(const xmlNode *n)
{
	const xmlNode *c;

	for (c = n->children; c != NULL; c = c->next)
		if (c->type == XML_TEXT_NODE)
			return 1;
	return 0;
}

static void
put_element(struct xmlw_out *o, const xmlNode *n, int level, int format)
{
	const struct xmlw_element *el = (const struct xmlw_element *)n;
	const xmlNode *c;

	put(o, "<", 1);
	put(o, el->qname, el->qlen);
	put_attrs(o, n);
	if (n->children == NULL) {
		put(o, "/>", 2);
		return;
	}
	put(o, ">", 1);
	format = format && !holds_text(n);
	if (format)
		put(o, "\n", 1);
	for (c = n->children; c != NULL; c = c->next) {
		if (c->type == XML_TEXT_NODE) {
			put_escaped(o, c->content, 0);
		} else if (c->type == XML_ELEMENT_NODE) {
			if (format)
				put_indent(o, level + 1);
			put_element(o, c, level + 1, format);
		} else {
			KBUG("xmlw: element %s holds a node of type %d",
			    n->name, (int)c->type);
		}
		if (format)
			put(o, "\n", 1);
	}
	if (format)
		put_indent(o, level);
	put(o, "</", 2);
	put(o, el->qname, el->qlen);
	put(o, ">", 1);
}

/* Appends the document's text to out, as xmlw.h says. */
static void
xmlw_serialize(struct xmlw *x, struct buf *out)
{
	struct xmlw_out o = { out, NULL, NULL, KR_OK };

	o.rc = buf_grow(out, 1);
	if (o.rc == KR_OK) {
		out_sync(&o);
		put_str(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
		put_element(&o, xmlDocGetRootElement(x->doc), 0, 1);
		put(&o, "\n", 1);
	}
	if (o.rc == KR_OK) {
		out->len = (size_t)(o.p - out->data);
		out->data[out->len] = '\0';
	}
	if (o.rc != KR_OK)
		x->rc = kerr_set(x->e, KR_TOO_BIG, NULL, "the document is "
		    "larger than its buffer allows");
}

int
xmlw_finish(struct xmlw *x, struct buf *out)
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
	if (rc == KR_OK)
		x->tree->doc = x->doc;
	xmlw_release(x);
	return rc;
}

void
xmlw_release(struct xmlw *x)
{
	xmlw_tree_release(&x->own);
	x->doc = NULL;
	x->cur = NULL;
}

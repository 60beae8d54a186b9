/*
 * Reading e-invoice XML safely, and walking the tree by namespace.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>

#include "einvoice_xml.h"

static const struct {
	const char *prefix;
	size_t len;		/* of prefix */
	const char *uri;
} prefixes[] = {
	{"cbc", 3, EINV_NS_CBC}, {"cac", 3, EINV_NS_CAC},
	{"inv", 3, EINV_NS_INV}, {"cn", 2, EINV_NS_CN},
	{"rsm", 3, EINV_NS_RSM}, {"ram", 3, EINV_NS_RAM},
	{"udt", 3, EINV_NS_UDT}, {"qdt", 3, EINV_NS_QDT},
};

/* Prolog scanning */

static long
line_at(const char *xml, size_t off)
{
	long line = 1;
	size_t i;

	for (i = 0; i < off; i++)
		if (xml[i] == '\n')
			line++;
	return line;
}

static const char *
find(const char *p, const char *end, const char *what)
{
	size_t n = strlen(what);

	for (; p + n <= end; p++)
		if (memcmp(p, what, n) == 0)
			return p;
	return NULL;
}

/*
 * Refuses an encoding declaration other than UTF-8 in the XML
 * declaration decl[0..n).
 */
static int
check_encoding(const char *decl, size_t n, struct kerr *e)
{
	const char *p = find(decl, decl + n, "encoding");
	char enc[32];
	size_t i = 0;
	char q;

	if (p == NULL)
		return KR_OK;
	p += strlen("encoding");
	while (p < decl + n && (*p == ' ' || *p == '=' || *p == '\t'))
		p++;
	if (p >= decl + n || (*p != '"' && *p != '\''))
		return KR_OK;	/* malformed: libxml2 will say so */
	q = *p++;
	while (p < decl + n && *p != q && i + 1 < sizeof(enc))
		enc[i++] = *p++;
	enc[i] = '\0';
	if (strcasecmp(enc, "UTF-8") == 0)
		return KR_OK;
	return kerr_set(e, KR_BAD_INPUT, "line 1",
	    "expected a UTF-8 document, got encoding \"%s\"", enc);
}

static int
check_bom(const unsigned char *u, size_t len, struct kerr *e)
{
	if (len >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) ||
	    (u[0] == 0xFF && u[1] == 0xFE) || u[0] == 0 || u[1] == 0))
		return kerr_set(e, KR_BAD_INPUT, "line 1",
		    "expected a UTF-8 document, got UTF-16 or UTF-32");
	return KR_OK;
}

/*
 * Walks the prolog up to the root element: the XML declaration,
 * comments, processing instructions and white space.  A DOCTYPE (or any
 * other markup declaration) is refused.
 */
static int
check_prolog(const char *xml, size_t len, struct kerr *e)
{
	const char *p = xml, *end = xml + len, *q;
	int rc;

	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	else if ((rc = check_bom((const unsigned char *)p, len, e)) != KR_OK)
		return rc;
	while (p < end) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			p++;
		} else if (end - p >= 5 && memcmp(p, "<?xml", 5) == 0 &&
		    p + 5 < end && strchr(" \t\r\n", p[5]) != NULL) {
			q = find(p, end, "?>");
			if (q == NULL)
				return KR_OK;
			rc = check_encoding(p, (size_t)(q - p), e);
			if (rc != KR_OK)
				return rc;
			p = q + 2;
		} else if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			q = find(p + 4, end, "-->");
			if (q == NULL)
				return KR_OK;
			p = q + 3;
		} else if (end - p >= 2 && memcmp(p, "<?", 2) == 0) {
			q = find(p, end, "?>");
			if (q == NULL)
				return KR_OK;
			p = q + 2;
		} else if (end - p >= 2 && memcmp(p, "<!", 2) == 0) {
			char where[32];

			snprintf(where, sizeof(where), "line %ld",
			    line_at(xml, (size_t)(p - xml)));
			return kerr_set(e, KR_BAD_INPUT, where,
			    "a document type declaration (DOCTYPE) is "
			    "refused: an e-invoice needs none, and it could "
			    "declare or load entities");
		} else {
			return KR_OK;	/* the root element, or junk */
		}
	}
	return KR_OK;
}

/*
 * Refuses any stretch of more than EINV_TEXT_MAX_BYTES without a '<'
 * (no text node or attribute value can be larger than that), and more
 * than EINV_MARKUP_MAX '<' (the tree would grow too large).
 */
static int
check_runs(const char *xml, size_t len, struct kerr *e)
{
	const char *p = xml, *end = xml + len, *lt;
	size_t n_lt = 0;
	char where[32];

	for (;;) {
		lt = memchr(p, '<', (size_t)(end - p));
		if (lt == NULL)
			lt = end;
		if ((size_t)(lt - p) > EINV_TEXT_MAX_BYTES)
			break;
		if (lt == end)
			return KR_OK;
		if (++n_lt > EINV_MARKUP_MAX) {
			snprintf(where, sizeof(where), "line %ld",
			    line_at(xml, (size_t)(lt - xml)));
			return kerr_set(e, KR_TOO_BIG, where, "expected at "
			    "most %d tags, got more", EINV_MARKUP_MAX);
		}
		p = lt + 1;
	}
	snprintf(where, sizeof(where), "line %ld",
	    line_at(xml, (size_t)(p - xml)));
	return kerr_set(e, KR_TOO_BIG, where,
	    "expected texts of at most %zu bytes, got one of more",
	    EINV_TEXT_MAX_BYTES);
}

/* Checking the tree */

static int
check_node_sizes(const xmlNode *n, struct kerr *e)
{
	const xmlAttr *at;
	char where[32];
	int rc;

	for (; n != NULL; n = n->next) {
		size_t size = 0;

		if ((n->type == XML_TEXT_NODE ||
		    n->type == XML_CDATA_SECTION_NODE ||
		    n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE) &&
		    n->content != NULL)
			size = strlen((const char *)n->content);
		for (at = n->type == XML_ELEMENT_NODE ? n->properties : NULL;
		    at != NULL; at = at->next) {
			const xmlNode *v = at->children;

			if (v != NULL && v->content != NULL &&
			    strlen((const char *)v->content) > size)
				size = strlen((const char *)v->content);
		}
		if (size > EINV_TEXT_MAX_BYTES) {
			snprintf(where, sizeof(where), "line %ld",
			    (long)xmlGetLineNo(n));
			return kerr_set(e, KR_TOO_BIG, where,
			    "expected texts of at most %zu bytes, got %zu",
			    EINV_TEXT_MAX_BYTES, size);
		}
		if (n->type == XML_ELEMENT_NODE) {
			rc = check_node_sizes(n->children, e);
			if (rc != KR_OK)
				return rc;
		}
	}
	return KR_OK;
}

static int
parse_error(xmlParserCtxt *ctxt, struct kerr *e)
{
	const xmlError *err = xmlCtxtGetLastError(ctxt);
	char msg[256], where[32];
	size_t n;

	if (err == NULL || err->message == NULL)
		return kerr_set(e, KR_BAD_INPUT, NULL,
		    "expected well-formed XML, got something else");
	snprintf(msg, sizeof(msg), "%s", err->message);
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	snprintf(where, sizeof(where), "line %d", err->line);
	return kerr_set(e, KR_BAD_INPUT, where,
	    "expected well-formed UTF-8 XML: %s", msg);
}

int
einv_xml_read(const char *xml, size_t len, xmlDoc **doc, struct kerr *e)
{
	/*
	 * Deliberately absent: XML_PARSE_NOENT (entity substitution),
	 * XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_DTDVALID,
	 * XML_PARSE_XINCLUDE and XML_PARSE_HUGE (which lifts libxml2's
	 * own limits).
	 */
	const int opts = XML_PARSE_NONET | XML_PARSE_NOERROR |
	    XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
	xmlParserCtxt *ctxt;
	int rc;

	*doc = NULL;
	if (len > EINV_DOC_MAX_BYTES)
		return kerr_set(e, KR_TOO_BIG, NULL,
		    "expected a document of at most %zu bytes, got %zu",
		    EINV_DOC_MAX_BYTES, len);
	if (len > INT32_MAX)
		return kerr_set(e, KR_TOO_BIG, NULL, "document too large");
	rc = check_prolog(xml, len, e);
	if (rc == KR_OK)
		rc = check_runs(xml, len, e);
	if (rc != KR_OK)
		return rc;

	xmlInitParser();
	ctxt = xmlNewParserCtxt();
	if (ctxt == NULL)
		return kerr_set(e, KR_NOMEM, NULL, "out of memory");
	*doc = xmlCtxtReadMemory(ctxt, xml, (int)len, NULL, "UTF-8", opts);
	if (*doc == NULL || !ctxt->wellFormed) {
		rc = parse_error(ctxt, e);
		if (*doc != NULL)
			xmlFreeDoc(*doc);
		*doc = NULL;
		xmlFreeParserCtxt(ctxt);
		return rc;
	}
	xmlFreeParserCtxt(ctxt);

	rc = check_node_sizes((*doc)->children, e);
	if (rc != KR_OK) {
		xmlFreeDoc(*doc);
		*doc = NULL;
	}
	return rc;
}

/* Walking by namespace */

/*
 * Parses the step "pfx:name" at p, up to a '/' or the end, into nm (the
 * local name not NUL-terminated); returns where it ends.
 */
static const char *
step_parse(const char *p, struct einv_name *nm)
{
	const char *end = strchrnul(p, '/');
	const char *colon = memchr(p, ':', (size_t)(end - p));
	size_t i, n;

	if (colon == NULL)
		KBUG("qname without prefix: %.*s", (int)(end - p), p);
	n = (size_t)(colon - p);
	nm->local = colon + 1;
	nm->len = (size_t)(end - nm->local);
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (prefixes[i].len == n &&
		    memcmp(prefixes[i].prefix, p, n) == 0) {
			nm->uri = prefixes[i].uri;
			return end;
		}
	KBUG("unknown prefix in %.*s", (int)(end - p), p);
}

/* 1 when n is the element nm; the local name first, cheaper. */
static int
name_is(const xmlNode *n, const struct einv_name *nm)
{
	const char *name = (const char *)n->name;

	if (n->type != XML_ELEMENT_NODE || n->ns == NULL ||
	    name[0] != nm->local[0] ||
	    strncmp(name, nm->local, nm->len) != 0 || name[nm->len] != '\0')
		return 0;
	return strcmp((const char *)n->ns->href, nm->uri) == 0;
}

xmlNode *
einv_xml_first(const xmlNode *node, const struct einv_name *nm)
{
	xmlNode *c;

	if (node == NULL)
		return NULL;
	for (c = node->children; c != NULL; c = c->next)
		if (name_is(c, nm))
			return c;
	return NULL;
}

int
einv_xml_is(const xmlNode *node, const char *qname)
{
	struct einv_name nm;

	step_parse(qname, &nm);
	return node != NULL && name_is(node, &nm);
}

xmlNode *
einv_xml_child(const xmlNode *node, const char *qname)
{
	struct einv_name nm;

	step_parse(qname, &nm);
	return einv_xml_first(node, &nm);
}

xmlNode *
einv_xml_next(const xmlNode *node)
{
	xmlNode *c;

	for (c = node->next; c != NULL; c = c->next)
		if (c->type == XML_ELEMENT_NODE && c->ns != NULL &&
		    node->ns != NULL &&
		    strcmp((const char *)c->name,
		    (const char *)node->name) == 0 &&
		    (c->ns == node->ns ||
		    strcmp((const char *)c->ns->href,
		    (const char *)node->ns->href) == 0))
			return c;
	return NULL;
}

xmlNode *
einv_xml_path(const xmlNode *node, const char *path)
{
	const char *p = path;
	struct einv_name nm;

	while (node != NULL && *p != '\0') {
		p = step_parse(p, &nm);
		node = einv_xml_first(node, &nm);
		p += *p == '/';
	}
	return (xmlNode *)node;
}

/*
 * The text of el when it is one text node or none, as nearly every
 * element of an e-invoice is: then the model points into the tree, which
 * outlives it, and neither libxml2's copy nor the arena's is needed.
 */
static const xmlChar *
plain_text(const xmlNode *el)
{
	const xmlNode *c = el->children;

	if (c == NULL)
		return BAD_CAST "";
	if (c->next == NULL && c->type == XML_TEXT_NODE && c->content != NULL)
		return c->content;
	return NULL;
}

int
einv_xml_text(struct arena *a, const xmlNode *el, struct einv_val *v)
{
	const xmlChar *t;
	xmlChar *s;

	v->s = NULL;
	v->node = el;
	if (el == NULL)
		return KR_OK;
	t = plain_text(el);
	if (t != NULL) {
		v->s = (const char *)t;
		return KR_OK;
	}
	s = xmlNodeGetContent(el);
	v->s = arena_strdup(a, s != NULL ? (const char *)s : "");
	xmlFree(s);
	return v->s == NULL ? KR_TOO_BIG : KR_OK;
}

int
einv_xml_val(struct arena *a, const xmlNode *node, const char *path,
    struct einv_val *v)
{
	return einv_xml_text(a, einv_xml_path(node, path), v);
}

int
einv_xml_attr(struct arena *a, const xmlNode *el, const char *name,
    struct einv_val *v)
{
	const xmlAttr *p;
	const xmlChar *t;
	xmlChar *s;

	v->s = NULL;
	v->node = el;
	if (el == NULL)
		return KR_OK;
	/*
	 * Without a DTD (a DOCTYPE is refused) an attribute is there or
	 * not, with no default to look up: the common case takes no copy.
	 */
	if (el->doc == NULL || (el->doc->intSubset == NULL &&
	    el->doc->extSubset == NULL)) {
		for (p = el->properties; p != NULL; p = p->next)
			if (p->ns == NULL && xmlStrEqual(p->name,
			    (const xmlChar *)name))
				break;
		if (p == NULL)
			return KR_OK;
		t = plain_text((const xmlNode *)p);
		if (t != NULL) {
			v->s = (const char *)t;
			return KR_OK;
		}
	}
	s = xmlGetNoNsProp(el, (const xmlChar *)name);
	if (s == NULL)
		return KR_OK;
	v->s = arena_strdup(a, (const char *)s);
	xmlFree(s);
	return v->s == NULL ? KR_TOO_BIG : KR_OK;
}

int
einv_xml_num(struct arena *a, const xmlNode *node, const char *path,
    struct einv_num *n)
{
	return einv_xml_num_at(a, einv_xml_path(node, path), n);
}

int
einv_xml_num_at(struct arena *a, const xmlNode *el, struct einv_num *n)
{
	struct einv_val v, cur, unit;

	memset(n, 0, sizeof(*n));
	if (einv_xml_text(a, el, &v) != KR_OK ||
	    einv_xml_attr(a, el, "currencyID", &cur) != KR_OK ||
	    einv_xml_attr(a, el, "unitCode", &unit) != KR_OK)
		return KR_TOO_BIG;
	n->s = v.s;
	n->node = el;
	n->currency = cur.s;
	n->unit = unit.s;
	einv_num_parse(n);
	return KR_OK;
}

/* Reading by tables */

/*
 * A walk of einv_xml_fields: the arena, and the namespaces last found to
 * be each field's, so that the URI of most elements is compared once a
 * walk rather than once an element.
 */
struct fields_walk {
	struct arena *a;
	const xmlNs *ns[2];
	const char *uri[2];
};

static int	fields_read(struct fields_walk *w, const xmlNode *el,
		    const struct einv_table *t, char *base);

/* 1 when the namespace of element c is the URI uri. */
static int
ns_is(struct fields_walk *w, const xmlNode *c, const char *uri)
{
	if (c->ns == NULL)
		return 0;
	if ((c->ns == w->ns[0] && uri == w->uri[0]) ||
	    (c->ns == w->ns[1] && uri == w->uri[1]))
		return 1;
	if (strcmp((const char *)c->ns->href, uri) != 0)
		return 0;
	w->ns[1] = w->ns[0];
	w->uri[1] = w->uri[0];
	w->ns[0] = c->ns;
	w->uri[0] = uri;
	return 1;
}

/* The field of t (not in seen) that element c is, or t->n. */
static size_t
field_of(struct fields_walk *w, const xmlNode *c,
    const struct einv_table *t, uint64_t seen)
{
	const char *name = (const char *)c->name;
	size_t i;

	for (i = 0; i < t->n; i++) {
		const struct einv_name *nm = &t->field[i].name;

		if ((seen & (uint64_t)1 << i) != 0 ||
		    nm->local[0] != name[0] ||
		    strncmp(name, nm->local, nm->len) != 0 ||
		    name[nm->len] != '\0' || !ns_is(w, c, nm->uri))
			continue;
		return i;
	}
	return t->n;
}

static int
take(struct fields_walk *w, const xmlNode *el, const struct einv_field *f,
    char *base)
{
	int rc;

	switch (f->take) {
	case EINV_TAKE_VAL:
		return einv_xml_text(w->a, el,
		    (struct einv_val *)(base + f->off));
	case EINV_TAKE_NUM:
		return einv_xml_num_at(w->a, el,
		    (struct einv_num *)(base + f->off));
	case EINV_TAKE_ID:
		rc = einv_xml_text(w->a, el,
		    (struct einv_val *)(base + f->off));
		if (rc != KR_OK)
			return rc;
		return einv_xml_attr(w->a, el, "schemeID",
		    (struct einv_val *)(base + f->off2));
	case EINV_TAKE_NODE:
		*(const void **)(base + f->off) = el;
		return KR_OK;
	case EINV_TAKE_IN:
		if (f->off != EINV_NOWHERE)
			*(const void **)(base + f->off) = el;
		return fields_read(w, el, f->in, base);
	}
	KBUG("field take %d", (int)f->take);
}

static int
fields_read(struct fields_walk *w, const xmlNode *el,
    const struct einv_table *t, char *base)
{
	uint64_t seen = 0, all;
	const xmlNode *c;
	size_t i;
	int rc = KR_OK;

	if (t->n == 0 || t->n > EINV_FIELDS_MAX)
		KBUG("a table of %zu fields", t->n);
	all = t->n == EINV_FIELDS_MAX ? ~(uint64_t)0 :
	    ((uint64_t)1 << t->n) - 1;
	for (c = el->children; c != NULL && seen != all; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		i = field_of(w, c, t, seen);
		if (i == t->n)
			continue;
		seen |= (uint64_t)1 << i;
		if (take(w, c, &t->field[i], base) != KR_OK)
			rc = KR_TOO_BIG;
	}
	return rc;
}

int
einv_xml_fields(struct arena *a, const xmlNode *el,
    const struct einv_table *t, void *base)
{
	struct fields_walk w = { a, { NULL, NULL }, { NULL, NULL } };

	if (el == NULL)
		return KR_OK;
	return fields_read(&w, el, t, base);
}

int
einv_xml_is_vat(const struct einv_val *v)
{
	return einv_is_nocase(v->s, "VAT");
}

int
einv_xml_cat(struct arena *a, const xmlNode *el,
    const struct einv_table *t, struct einv_cat *c)
{
	int rc;

	memset(c, 0, sizeof(*c));
	c->node = el;
	if (el == NULL)
		return KR_OK;
	rc = einv_xml_fields(a, el, t, c);
	c->code_as_is = t->vat_untrimmed;
	c->vat_trimmed = einv_xml_is_vat(&c->scheme);
	if (t->vat_untrimmed)
		c->vat = c->scheme.s != NULL &&
		    strcasecmp(c->scheme.s, "VAT") == 0;
	else
		c->vat = c->vat_trimmed;
	return rc;
}

int
einv_xml_ac(struct arena *a, const xmlNode *el,
    const struct einv_table *ac_t, const struct einv_table *cat_t,
    struct einv_ac *ac)
{
	int rc;

	ac->node = el;
	rc = einv_xml_fields(a, el, ac_t, ac);
	if (einv_is(ac->indicator.s, "true") || einv_is(ac->indicator.s, "1"))
		ac->charge = 1;
	else if (einv_is(ac->indicator.s, "false") ||
	    einv_is(ac->indicator.s, "0"))
		ac->charge = 0;
	else
		ac->charge = -1;
	if (einv_xml_cat(a, ac->cat.node, cat_t, &ac->cat) != KR_OK)
		rc = KR_TOO_BIG;
	return rc;
}

/* Empty elements */

static int
kept(const xmlNode *el, const char *const *keep)
{
	for (; keep != NULL && *keep != NULL; keep++)
		if (einv_xml_is(el, *keep))
			return 1;
	return 0;
}

/* 1 when el holds one text node, and more than white space in it. */
static int
is_filled_leaf(const xmlNode *el)
{
	const xmlNode *t = el->children;

	return t != NULL && t->next == NULL && t->type == XML_TEXT_NODE &&
	    !einv_blank((const char *)t->content);
}

/*
 * Records the empty elements of the element el and below, in document
 * order, in one walk: an element is empty when no child is an element
 * and no text or CDATA child holds more than white space.  Most elements
 * are filled leaves, which need no walk of their own.
 */
static int
empty_walk(struct arena *a, const xmlNode *el, const char *const *keep,
    struct einvoice *inv)
{
	const xmlNode *c;
	const void **slot;
	int empty = 1;

	for (c = el->children; c != NULL; c = c->next) {
		if (c->type == XML_ELEMENT_NODE) {
			empty = 0;
			if (!is_filled_leaf(c) &&
			    empty_walk(a, c, keep, inv) != KR_OK)
				return KR_TOO_BIG;
		} else if (empty && (c->type == XML_TEXT_NODE ||
		    c->type == XML_CDATA_SECTION_NODE) &&
		    !einv_blank((const char *)c->content)) {
			empty = 0;
		}
	}
	if (!empty || kept(el, keep))
		return KR_OK;
	slot = einv_push(a, &inv->empty, &inv->n_empty, &inv->cap_empty,
	    sizeof(*inv->empty));
	if (slot == NULL)
		return KR_TOO_BIG;
	*slot = el;
	return KR_OK;
}

int
einv_xml_empty(struct arena *a, const xmlNode *root,
    const char *const *keep, struct einvoice *inv)
{
	if (root->type != XML_ELEMENT_NODE)
		return KR_OK;
	return empty_walk(a, root, keep, inv);
}

void *
einv_push(struct arena *a, void *arr, size_t *n, size_t *cap, size_t size)
{
	return arena_push(a, (void **)arr, n, cap, size);
}

/* Locations */

static const char *
prefix_of(const xmlNode *n)
{
	size_t i;

	if (n->ns == NULL)
		return NULL;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strcmp(prefixes[i].uri, (const char *)n->ns->href) == 0)
			return prefixes[i].prefix;
	return n->ns->prefix ? (const char *)n->ns->prefix : NULL;
}

/* Position of n among its siblings of the same name, 0 when alone. */
static int
position(const xmlNode *n)
{
	const xmlNode *c;
	int pos = 0, count = 0;

	if (n->parent == NULL || n->parent->type != XML_ELEMENT_NODE)
		return 0;
	for (c = n->parent->children; c != NULL; c = c->next) {
		if (c->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)c->name,
		    (const char *)n->name) != 0 ||
		    (c->ns == NULL) != (n->ns == NULL) ||
		    (c->ns != NULL && strcmp((const char *)c->ns->href,
		    (const char *)n->ns->href) != 0))
			continue;
		count++;
		if (c == n)
			pos = count;
	}
	return count > 1 ? pos : 0;
}

static size_t
where_step(const xmlNode *n, char *buf, size_t size)
{
	const char *pfx = prefix_of(n);
	int pos = position(n);
	int len;

	if (n->parent == NULL || n->parent->type != XML_ELEMENT_NODE) {
		/* The root: UBL roots without prefix, as the specs write. */
		if (pfx != NULL && (strcmp(pfx, "inv") == 0 ||
		    strcmp(pfx, "cn") == 0))
			pfx = NULL;
	}
	if (pos > 0)
		len = snprintf(buf, size, "/%s%s%s[%d]", pfx ? pfx : "",
		    pfx ? ":" : "", (const char *)n->name, pos);
	else
		len = snprintf(buf, size, "/%s%s%s", pfx ? pfx : "",
		    pfx ? ":" : "", (const char *)n->name);
	return len < 0 ? 0 : (size_t)len;
}

void
einv_where(const void *node, char *buf, size_t size)
{
	const xmlNode *chain[64], *n = node;
	size_t depth = 0, used = 0, i;

	buf[0] = '\0';
	for (; n != NULL && n->type == XML_ELEMENT_NODE; n = n->parent)
		if (depth < sizeof(chain) / sizeof(chain[0]))
			chain[depth++] = n;
	for (i = depth; i > 0 && used + 1 < size; i--)
		used += where_step(chain[i - 1], buf + used, size - used);
	if (used >= size)
		buf[size - 1] = '\0';
}

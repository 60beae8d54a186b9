#ifndef KONTOR_EINVOICE_XML_H
#define KONTOR_EINVOICE_XML_H

/*
 * Safe reading of e-invoice XML with libxml2, and the small tree
 * helpers the UBL and CII readers share.
 *
 * einv_xml_read refuses, before libxml2 builds anything: documents over
 * EINV_DOC_MAX_BYTES, encodings other than UTF-8, a DOCTYPE anywhere in
 * the prolog (so no entity can be declared), any run of more than
 * EINV_TEXT_MAX_BYTES without markup, and more than EINV_MARKUP_MAX
 * tags.  libxml2 then parses with the
 * network off, no entity substitution, no DTD loading, no XInclude and
 * its default (non-huge) limits, and every text, CDATA section, comment
 * and attribute value of the tree is checked against EINV_TEXT_MAX_BYTES
 * again.  Nothing is printed: libxml2's messages go into the kerr.
 *
 * Paths name elements with the prefixes of the official XPaths (cbc,
 * cac; rsm, ram, udt, qdt), whatever prefixes the document uses, since
 * matching is by namespace URI.
 */

#include <stddef.h>

#include <libxml/tree.h>

#include "arena.h"
#include "einvoice_int.h"

#define EINV_NS_INV \
	"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
#define EINV_NS_CN \
	"urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2"
#define EINV_NS_CAC "urn:oasis:names:specification:ubl:schema:xsd:" \
	"CommonAggregateComponents-2"
#define EINV_NS_CBC "urn:oasis:names:specification:ubl:schema:xsd:" \
	"CommonBasicComponents-2"
#define EINV_NS_RSM \
	"urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
#define EINV_NS_RAM "urn:un:unece:uncefact:data:standard:" \
	"ReusableAggregateBusinessInformationEntity:100"
#define EINV_NS_UDT \
	"urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
#define EINV_NS_QDT \
	"urn:un:unece:uncefact:data:standard:QualifiedDataType:100"

/*
 * Parses xml[0..len) with the safeguards above.  On KR_OK *doc is the
 * tree, freed by the caller with xmlFreeDoc.  Otherwise KR_BAD_INPUT or
 * KR_TOO_BIG with e filled (field "line N" where known).
 */
int	einv_xml_read(const char *xml, size_t len, xmlDoc **doc,
	    struct kerr *e);

/*
 * An element name fixed at compile time: its namespace URI and its local
 * name, for the readers' tables and look-ups that parse no path.
 */
struct einv_name {
	const char *uri;
	const char *local;
	size_t len;		/* of local */
};

#define EINV_NAME(uri, local)	{ (uri), (local), sizeof(local) - 1 }

/* What a field of a table takes from the element it names. */
enum einv_take {
	EINV_TAKE_VAL,		/* its text, a struct einv_val */
	EINV_TAKE_NUM,		/* its decimal, a struct einv_num */
	EINV_TAKE_ID,		/* its text and @schemeID, two einv_val */
	EINV_TAKE_NODE,		/* the element itself, a const void * */
	EINV_TAKE_IN		/* the element (if asked) and its children */
};

#define EINV_NOWHERE	((size_t)-1)
#define EINV_FIELDS_MAX	64

struct einv_table;

/*
 * One field: where in the struct read into (offsetof) the element named
 * goes; EINV_TAKE_ID puts @schemeID at off2, EINV_TAKE_IN reads the
 * element's children by the table in, into the same struct, and stores
 * the element at off unless off is EINV_NOWHERE.
 */
struct einv_field {
	struct einv_name name;
	enum einv_take take;
	size_t off;
	size_t off2;
	const struct einv_table *in;
};

/*
 * The fields read from one element; no name twice, at most 64.  A VAT
 * category's table tells how its scheme names VAT (einv_xml_cat).
 */
struct einv_table {
	const struct einv_field *field;
	size_t n;
	int vat_untrimmed;	/* "VAT" in any case, no white space */
};

#define EINV_TABLE(f)	{ (f), sizeof(f) / sizeof((f)[0]), 0 }
#define EINV_TABLE_VAT_UNTRIMMED(f) \
	{ (f), sizeof(f) / sizeof((f)[0]), 1 }
#define EINV_F_VAL(name, type, m) \
	{ name, EINV_TAKE_VAL, offsetof(type, m), EINV_NOWHERE, NULL }
#define EINV_F_NUM(name, type, m) \
	{ name, EINV_TAKE_NUM, offsetof(type, m), EINV_NOWHERE, NULL }
#define EINV_F_ID(name, type, m, scheme) \
	{ name, EINV_TAKE_ID, offsetof(type, m), offsetof(type, scheme), NULL }
#define EINV_F_NODE(name, type, m) \
	{ name, EINV_TAKE_NODE, offsetof(type, m), EINV_NOWHERE, NULL }
#define EINV_F_IN(name, t) \
	{ name, EINV_TAKE_IN, EINV_NOWHERE, EINV_NOWHERE, &(t) }
#define EINV_F_NODE_IN(name, type, m, t) \
	{ name, EINV_TAKE_IN, offsetof(type, m), EINV_NOWHERE, &(t) }

/*
 * Reads the element children of el (may be NULL) by t into the struct
 * at base, in one walk: each field takes the first child of its name, as
 * einv_xml_path would find it.  Fields whose element is absent are left
 * as they are, so base starts zeroed (absent).  Texts as einv_xml_text.
 * Returns KR_OK or KR_TOO_BIG.
 */
int	einv_xml_fields(struct arena *a, const xmlNode *el,
	    const struct einv_table *t, void *base);

/*
 * A VAT category from el (may be NULL) by t into c, zeroed first; t puts
 * the tax scheme (UBL) or type code (CII) into c->scheme, and c->vat
 * tells whether it is VAT, in any case, as the official rules ask: in
 * UBL around white space too (normalize-space), in CII only as it
 * stands (t->vat_untrimmed).
 */
int	einv_xml_cat(struct arena *a, const xmlNode *el,
	    const struct einv_table *t, struct einv_cat *c);
/*
 * An allowance or charge from el by ac_t into ac, which starts zeroed,
 * and its VAT category, whose element ac_t puts into ac->cat.node, by
 * cat_t.  ac->charge from the indicator: 1 true, 0 false, -1 neither.
 */
int	einv_xml_ac(struct arena *a, const xmlNode *el,
	    const struct einv_table *ac_t, const struct einv_table *cat_t,
	    struct einv_ac *ac);
/* 1 when v is "VAT", in any case and white space. */
int	einv_xml_is_vat(const struct einv_val *v);

/* The first element child of node (may be NULL) named nm, or NULL. */
xmlNode	*einv_xml_first(const xmlNode *node, const struct einv_name *nm);

/*
 * The first element child of node named "pfx:name" (prefixes as above),
 * or NULL.  einv_xml_next gives the next sibling of the same name.
 */
xmlNode	*einv_xml_child(const xmlNode *node, const char *qname);
xmlNode	*einv_xml_next(const xmlNode *node);
/* Follows "a:x/b:y/..." through first children; NULL when absent. */
xmlNode	*einv_xml_path(const xmlNode *node, const char *path);
/* 1 when node is the element qname. */
int	einv_xml_is(const xmlNode *node, const char *qname);

/*
 * The text of the element at path below node; v->s stays NULL when the
 * element is absent.  The text of an element that holds one text node
 * or none is the tree's own, which the caller keeps until it is done
 * with v; other text (CDATA, comments, entities inside) is joined into
 * a.  Returns KR_OK or KR_TOO_BIG.
 */
int	einv_xml_val(struct arena *a, const xmlNode *node, const char *path,
	    struct einv_val *v);
/* The same for an element given directly (may be NULL). */
int	einv_xml_text(struct arena *a, const xmlNode *el,
	    struct einv_val *v);
/* An attribute of el (may be NULL) as a value at el. */
int	einv_xml_attr(struct arena *a, const xmlNode *el, const char *name,
	    struct einv_val *v);
/* A decimal with its currencyID and unitCode attributes, parsed. */
int	einv_xml_num(struct arena *a, const xmlNode *node, const char *path,
	    struct einv_num *n);
/* The same for an element given directly (may be NULL). */
int	einv_xml_num_at(struct arena *a, const xmlNode *el,
	    struct einv_num *n);

/*
 * Records in inv every empty element (no child element, only white
 * space) below root, except those named in keep (NULL-terminated
 * qnames), for Peppol R008.
 */
int	einv_xml_empty(struct arena *a, const xmlNode *root,
	    const char *const *keep, struct einvoice *inv);

/* Appends to a growable array in the arena; NULL when it is full. */
void	*einv_push(struct arena *a, void *arr, size_t *n, size_t *cap,
	    size_t size);

#endif

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

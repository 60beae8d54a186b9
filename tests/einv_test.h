#ifndef KONTOR_EINV_TEST_H
#define KONTOR_EINV_TEST_H

/*
 * Helpers for the e-invoice writer tests: invoice records read from
 * tests/data/einvoice/, and the written document read back with
 * libxml2 and asked with XPath.  The assertions use the test's own
 * XPath, never the writer's code.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

#include "buf.h"
#include "einvoice_check.h"
#include "invoice.h"
#include "invoice_data.h"
#include "json.h"

struct einv_case {
	struct jdoc doc;
	struct invoice inv;
	struct buf out;
	xmlDocPtr xml;
	xmlXPathContextPtr xp;
	char text[1024];	/* the last string asked for */
};

/* Reads tests/data/DIR/NAME.jsonl, one invoice record. */
static inline void
einv_case_load_from(struct einv_case *c, const char *dir, const char *name)
{
	memset(c, 0, sizeof(*c));
	jdoc_init(&c->doc);
	invoice_init(&c->inv);
	buf_init(&c->out, 0);
	invoice_data_read(&c->doc, &c->inv, dir, name);
}

/* Reads tests/data/einvoice/NAME.jsonl, one invoice record. */
static inline void
einv_case_load(struct einv_case *c, const char *name)
{
	einv_case_load_from(c, "einvoice", name);
}

/* Parses c->out and readies XPath with the prefixes of both syntaxes. */
static inline void
einv_case_parse(struct einv_case *c)
{
	static const char *const ns[][2] = {
		{"inv", "urn:oasis:names:specification:ubl:schema:xsd:"
		    "Invoice-2"},
		{"cn", "urn:oasis:names:specification:ubl:schema:xsd:"
		    "CreditNote-2"},
		{"cac", "urn:oasis:names:specification:ubl:schema:xsd:"
		    "CommonAggregateComponents-2"},
		{"cbc", "urn:oasis:names:specification:ubl:schema:xsd:"
		    "CommonBasicComponents-2"},
		{"rsm", "urn:un:unece:uncefact:data:standard:"
		    "CrossIndustryInvoice:100"},
		{"ram", "urn:un:unece:uncefact:data:standard:"
		    "ReusableAggregateBusinessInformationEntity:100"},
		{"udt", "urn:un:unece:uncefact:data:standard:"
		    "UnqualifiedDataType:100"},
		{"qdt", "urn:un:unece:uncefact:data:standard:"
		    "QualifiedDataType:100"},
	};
	size_t i;

	c->xml = xmlReadMemory(c->out.data, (int)c->out.len, "test.xml",
	    NULL, XML_PARSE_NONET);
	ck_assert_msg(c->xml != NULL, "the document does not parse");
	c->xp = xmlXPathNewContext(c->xml);
	ck_assert_ptr_nonnull(c->xp);
	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		xmlXPathRegisterNs(c->xp, BAD_CAST ns[i][0],
		    BAD_CAST ns[i][1]);
}

static inline void
einv_case_release(struct einv_case *c)
{
	if (c->xp != NULL)
		xmlXPathFreeContext(c->xp);
	if (c->xml != NULL)
		xmlFreeDoc(c->xml);
	buf_release(&c->out);
	invoice_release(&c->inv);
	jdoc_release(&c->doc);
}

/* string(expr); valid until the next call. */
static inline const char *
xp_str(struct einv_case *c, const char *expr)
{
	xmlXPathObjectPtr o;
	char q[1200];

	snprintf(q, sizeof(q), "string(%s)", expr);
	o = xmlXPathEvalExpression(BAD_CAST q, c->xp);
	ck_assert_msg(o != NULL, "bad XPath %s", expr);
	snprintf(c->text, sizeof(c->text), "%s",
	    o->stringval ? (const char *)o->stringval : "");
	xmlXPathFreeObject(o);
	return c->text;
}

/* count(expr) */
static inline long
xp_count(struct einv_case *c, const char *expr)
{
	xmlXPathObjectPtr o;
	long n;

	o = xmlXPathEvalExpression(BAD_CAST expr, c->xp);
	ck_assert_msg(o != NULL, "bad XPath %s", expr);
	n = o->nodesetval != NULL ? o->nodesetval->nodeNr : 0;
	xmlXPathFreeObject(o);
	return n;
}

#define ck_xp_str(c, expr, want)	ck_assert_msg(strcmp(xp_str(c, \
	expr), want) == 0, "%s: got \"%s\", want \"%s\"", expr, (c)->text, \
	want)
#define ck_xp_count(c, expr, want)	ck_assert_msg(xp_count(c, expr) == \
	(want), "%s: %ld nodes, want %d", expr, xp_count(c, expr), want)

/* Index of name in order[] (NULL-terminated), or -1. */
static inline int
einv_order_index(const char *const *order, const char *name)
{
	int i;

	for (i = 0; order[i] != NULL; i++)
		if (strcmp(order[i], name) == 0)
			return i;
	return -1;
}

/*
 * Asserts that the child elements of every node expr selects are named
 * in order[] (local names) and come in its order; at least one node.
 */
static inline void
einv_assert_order(struct einv_case *c, const char *expr,
    const char *const *order)
{
	xmlXPathObjectPtr o;
	xmlNodePtr n;
	int i, at, k;

	o = xmlXPathEvalExpression(BAD_CAST expr, c->xp);
	ck_assert_msg(o != NULL && o->nodesetval != NULL &&
	    o->nodesetval->nodeNr > 0, "%s selects nothing", expr);
	for (i = 0; i < o->nodesetval->nodeNr; i++) {
		at = -1;
		for (n = o->nodesetval->nodeTab[i]->children; n != NULL;
		    n = n->next) {
			if (n->type != XML_ELEMENT_NODE)
				continue;
			k = einv_order_index(order, (const char *)n->name);
			ck_assert_msg(k >= 0, "%s: unexpected child %s", expr,
			    n->name);
			ck_assert_msg(k >= at, "%s: %s out of order", expr,
			    n->name);
			at = k;
		}
	}
	xmlXPathFreeObject(o);
}

/* Asserts that no element is empty or only white space. */
static inline void
einv_assert_no_empty(struct einv_case *c)
{
	ck_xp_count(c, "//*[not(*) and normalize-space(.) = '']", 0);
}

/*
 * Asserts that every amount text (selected by expr) has exactly two
 * decimals, as EUR has.
 */
static inline void
einv_assert_two_decimals(struct einv_case *c, const char *expr)
{
	xmlXPathObjectPtr o;
	xmlChar *t;
	const char *dot;
	int i;

	o = xmlXPathEvalExpression(BAD_CAST expr, c->xp);
	ck_assert_msg(o != NULL && o->nodesetval != NULL &&
	    o->nodesetval->nodeNr > 0, "%s selects nothing", expr);
	for (i = 0; i < o->nodesetval->nodeNr; i++) {
		t = xmlNodeGetContent(o->nodesetval->nodeTab[i]);
		dot = strchr((const char *)t, '.');
		ck_assert_msg(dot != NULL && strlen(dot) == 3 &&
		    strspn((const char *)t, "-0123456789.") ==
		    strlen((const char *)t), "%s: amount \"%s\"",
		    o->nodesetval->nodeTab[i]->name, t);
		xmlFree(t);
	}
	xmlXPathFreeObject(o);
}

/*
 * Validates c->out with the project's check against the XSD in
 * $KONTOR_SHARED/schemas (../shared/schemas when unset); returns 0
 * without checking when the schemas are not there.
 */
static inline int
einv_assert_xsd(struct einv_case *c, enum einv_syntax s,
    enum einv_profile p)
{
	const char *shared = getenv("KONTOR_SHARED");
	struct einvoice_check_stats st;
	char dir[4096], probe[4200];
	struct kerr e;
	FILE *fp;

	snprintf(dir, sizeof(dir), "%s/schemas", shared ? shared :
	    "../shared");
	snprintf(probe, sizeof(probe), "%s/cii-d16b/"
	    "CrossIndustryInvoice_100pD16B.xsd", dir);
	fp = fopen(probe, "r");
	if (fp == NULL)
		return 0;
	fclose(fp);
	setenv("KONTOR_SCHEMAS", dir, 1);
	kerr_clear(&e);
	ck_assert_int_eq(einvoice_check_doc(c->out.data, c->out.len, s, p,
	    NULL, NULL, &st, &e), KR_OK);
	ck_assert_msg(st.fatal == 0, "%ld schema errors", st.fatal);
	return 1;
}

#endif

#ifndef KONTOR_EINVOICE_MUT_H
#define KONTOR_EINVOICE_MUT_H

/*
 * Mutations of the hand-written e-invoices in tests/data/einvoice/: a
 * list of operations applied to one valid document.  XPath operations
 * (delete every match, set the text of every match) run first on the
 * parsed tree; text substitutions (replace the first occurrence, which
 * must exist) run afterwards on the serialised document.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>

/*
 * Check's asserts talk to the test runner, even when they hold; the
 * driver modes of the test programs run outside it and set mut_driver.
 */
static int mut_driver;

#define MUT_ASSERT(cond, ...) do { \
	if (!mut_driver) { \
		ck_assert_msg(cond, __VA_ARGS__); \
	} else if (!(cond)) { \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		exit(2); \
	} \
} while (0)

enum mut_op {
	OP_END,
	OP_DEL,		/* delete every node a matches */
	OP_SET,		/* set the text of every node a matches to b */
	OP_INS,		/* insert the fragment b before each match of a */
	OP_APP,		/* append the fragment b to each match of a */
	OP_SUB		/* replace the first text a by b */
};

struct op {
	enum mut_op kind;
	const char *a;		/* XPath, or the text to find */
	const char *b;		/* the new text or fragment */
};

enum mut_base { BASE_UBL, BASE_UBL_CN, BASE_CII, N_BASES };

/*
 * One test document: a base, up to two valid variants applied in turn,
 * then its own operations; expect names the exact set of rule ids the
 * checker must report in the profile given (fatal and warning alike).
 */
struct mutation {
	const char *name;
	enum mut_base base;
	int profile;			/* enum einv_profile */
	const struct op *pre;		/* a valid variant, or NULL */
	const struct op ops[5];
	const char *expect;		/* rule ids, space-separated */
	const struct op *pre2;		/* a second variant, or NULL */
};

#define DEL(a)		{OP_DEL, a, NULL}
#define SET(a, b)	{OP_SET, a, b}
#define INS(a, b)	{OP_INS, a, b}
#define APP(a, b)	{OP_APP, a, b}
#define SUB(a, b)	{OP_SUB, a, b}

static const char *const mut_base_file[N_BASES] = {
	"ubl-invoice.xml", "ubl-creditnote.xml", "cii-invoice.xml"
};

/* The valid documents, read once. */
static char *mut_base_text[N_BASES];
static size_t mut_base_len[N_BASES];

static inline char *
mut_slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *s;
	long n;

	MUT_ASSERT(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	s = malloc((size_t)n + 1);
	MUT_ASSERT(s != NULL, "out of memory");
	*len = fread(s, 1, (size_t)n, fp);
	s[*len] = '\0';
	fclose(fp);
	return s;
}

static inline void
mut_load_bases(void)
{
	const char *top = getenv("KONTOR_TOP");
	char path[4096];
	int i;

	for (i = 0; i < N_BASES; i++) {
		if (mut_base_text[i] != NULL)
			continue;
		snprintf(path, sizeof(path), "%s/tests/data/einvoice/%s",
		    top ? top : ".", mut_base_file[i]);
		mut_base_text[i] = mut_slurp(path, &mut_base_len[i]);
	}
}

static inline void
mut_register(xmlXPathContext *x)
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

	for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++)
		xmlXPathRegisterNs(x, (const xmlChar *)ns[i][0],
		    (const xmlChar *)ns[i][1]);
}

/*
 * Parses fragment in the context of node's parent and inserts it before
 * node, or in the context of node and appends it to node's children.
 */
static inline void
mut_insert(xmlNode *node, const char *fragment, int append,
    const char *name)
{
	xmlNode *list = NULL, *n, *next;
	xmlParserErrors rc;

	rc = xmlParseInNodeContext(append ? node : node->parent, fragment,
	    (int)strlen(fragment), XML_PARSE_NONET, &list);
	MUT_ASSERT(rc == XML_ERR_OK, "%s: bad fragment %s", name, fragment);
	for (n = list; n != NULL; n = next) {
		next = n->next;
		xmlUnlinkNode(n);
		if (append)
			xmlAddChild(node, n);
		else
			xmlAddPrevSibling(node, n);
	}
}

static inline void
mut_xpath(xmlDoc *doc, const struct op *op, const char *name)
{
	xmlXPathContext *x = xmlXPathNewContext(doc);
	xmlXPathObject *r;
	int i, n;

	mut_register(x);
	r = xmlXPathEvalExpression((const xmlChar *)op->a, x);
	MUT_ASSERT(r != NULL && r->nodesetval != NULL &&
	    r->nodesetval->nodeNr > 0, "%s: no match for %s", name, op->a);
	n = r->nodesetval->nodeNr;
	for (i = n - 1; i >= 0; i--) {
		xmlNode *node = r->nodesetval->nodeTab[i];

		if (op->kind == OP_SET && node->type == XML_ATTRIBUTE_NODE) {
			xmlSetProp(node->parent, node->name,
			    (const xmlChar *)op->b);
		} else if (op->kind == OP_SET) {
			xmlNodeSetContent(node, (const xmlChar *)"");
			xmlNodeAddContent(node, (const xmlChar *)op->b);
		} else if (op->kind == OP_INS || op->kind == OP_APP) {
			mut_insert(node, op->b, op->kind == OP_APP, name);
		} else if (node->type == XML_ATTRIBUTE_NODE) {
			xmlRemoveProp((xmlAttr *)node);
		} else {
			xmlUnlinkNode(node);
			xmlFreeNode(node);
		}
	}
	xmlXPathFreeObject(r);
	xmlXPathFreeContext(x);
}

static inline char *
mut_sub(char *text, const struct op *op, const char *name)
{
	char *at = strstr(text, op->a), *out;
	size_t na = strlen(op->a), nb = strlen(op->b), n = strlen(text);

	MUT_ASSERT(at != NULL, "%s: text not found: %s", name, op->a);
	out = malloc(n - na + nb + 1);
	MUT_ASSERT(out != NULL, "out of memory");
	memcpy(out, text, (size_t)(at - text));
	memcpy(out + (at - text), op->b, nb);
	strcpy(out + (at - text) + nb, at + na);
	free(text);
	return out;
}

static inline char *
mut_apply_ops(char *text, const struct op *ops, const char *name)
{
	xmlDoc *doc;
	xmlChar *dump;
	const struct op *op;
	int n, any = 0;

	for (op = ops; op != NULL && op->kind != OP_END; op++)
		any |= op->kind != OP_SUB;
	if (any) {
		doc = xmlReadMemory(text, (int)strlen(text), NULL, NULL,
		    XML_PARSE_NONET);
		MUT_ASSERT(doc != NULL, "%s: cannot parse", name);
		for (op = ops; op->kind != OP_END; op++)
			if (op->kind != OP_SUB)
				mut_xpath(doc, op, name);
		xmlDocDumpMemoryEnc(doc, &dump, &n, "UTF-8");
		free(text);
		text = strdup((const char *)dump);
		xmlFree(dump);
		xmlFreeDoc(doc);
	}
	for (op = ops; op != NULL && op->kind != OP_END; op++)
		if (op->kind == OP_SUB)
			text = mut_sub(text, op, name);
	return text;
}

/*
 * The document of a mutation: base, then the variant's operations, then
 * its own.  The caller frees the text.
 */
static inline char *
mut_build(const struct mutation *m)
{
	char *text;

	mut_load_bases();
	text = strdup(mut_base_text[m->base]);
	MUT_ASSERT(text != NULL, "out of memory");
	text = mut_apply_ops(text, m->pre, m->name);
	text = mut_apply_ops(text, m->pre2, m->name);
	return mut_apply_ops(text, m->ops, m->name);
}

#endif

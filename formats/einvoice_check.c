/*
 * The e-invoice check, first layer only: well-formedness and the XSD of
 * the syntax.  The business rules (EN 16931, XRechnung) come on top.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>

#include "einvoice_check.h"

#define SCHEMA_UBL_INVOICE	"ubl-2.1/maindoc/UBL-Invoice-2.1.xsd"
#define SCHEMA_UBL_CREDIT	"ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd"
#define SCHEMA_CII		"cii-d16b/CrossIndustryInvoice_100pD16B.xsd"

#define NS_UBL_INVOICE	"urn:oasis:names:specification:ubl:schema:xsd:" \
			"Invoice-2"
#define NS_UBL_CREDIT	"urn:oasis:names:specification:ubl:schema:xsd:" \
			"CreditNote-2"
#define NS_CII		"urn:un:unece:uncefact:data:standard:" \
			"CrossIndustryInvoice:100"

struct chk {
	einvoice_finding_fn fn;
	void *arg;
	struct einvoice_check_stats *stats;
	const char *rule;
};

/*
 * Parsed schemas are kept for the life of the process: parsing the UBL
 * set costs far more than validating one invoice against it.
 */
static struct {
	char path[PATH_MAX];
	xmlSchemaPtr schema;
} schema_cache[3];

static void
chk_report(struct chk *c, int fatal, const char *msg, const char *where)
{
	struct einvoice_finding f = { c->rule, fatal, msg, where };

	if (fatal)
		c->stats->fatal++;
	else
		c->stats->warnings++;
	if (c->fn != NULL)
		c->fn(c->arg, &f);
}

/* libxml2's structured error handler: one finding per message. */
static void
chk_error(void *arg, xmlErrorPtr err)
{
	struct chk *c = arg;
	char msg[512], where[48];
	size_t n;

	snprintf(msg, sizeof(msg), "%s", err->message ? err->message :
	    "unknown error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	snprintf(where, sizeof(where), "line %d", err->line);
	chk_report(c, err->level >= XML_ERR_ERROR, msg,
	    err->line > 0 ? where : NULL);
}

/* Collects the first error of parsing a schema into a kerr. */
static void
schema_error(void *arg, xmlErrorPtr err)
{
	struct kerr *e = arg;
	char msg[KERR_MSG_MAX];
	size_t n;

	if (e->code != KR_OK || err->level < XML_ERR_ERROR)
		return;
	snprintf(msg, sizeof(msg), "%s", err->message ? err->message :
	    "cannot parse the schema");
	n = strlen(msg);
	while (n > 0 && msg[n - 1] == '\n')
		msg[--n] = '\0';
	if (err->file != NULL)
		kerr_set(e, KR_CONFIG, NULL, "%s:%d: %s", err->file,
		    err->line, msg);
	else
		kerr_set(e, KR_CONFIG, NULL, "%s", msg);
}

static xmlSchemaPtr
schema_load(const char *dir, const char *rel, struct kerr *e)
{
	xmlExternalEntityLoader loader;
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr s;
	char path[PATH_MAX];
	size_t i;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, rel) >=
	    sizeof(path)) {
		kerr_set(e, KR_CONFIG, NULL, "schema path too long");
		return NULL;
	}
	for (i = 0; i < 3 && schema_cache[i].schema != NULL; i++)
		if (strcmp(schema_cache[i].path, path) == 0)
			return schema_cache[i].schema;
	if (i == 3)
		i = 0;		/* another folder: replace the first */

	pc = xmlSchemaNewParserCtxt(path);
	if (pc == NULL) {
		kerr_set(e, KR_NOMEM, NULL, "out of memory");
		return NULL;
	}
	/* a schema from elsewhere may import by URL: never fetch it */
	kerr_clear(e);
	loader = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
	xmlSetStructuredErrorFunc(e, schema_error);
	s = xmlSchemaParse(pc);
	xmlSetStructuredErrorFunc(NULL, NULL);
	xmlSetExternalEntityLoader(loader);
	xmlSchemaFreeParserCtxt(pc);
	if (s == NULL) {
		if (e->code == KR_OK)
			kerr_set(e, KR_CONFIG, NULL, "%s: cannot load the "
			    "schema (KONTOR_SCHEMAS names the folder)", path);
		return NULL;
	}
	kerr_clear(e);
	if (schema_cache[i].schema != NULL)
		xmlSchemaFree(schema_cache[i].schema);
	snprintf(schema_cache[i].path, sizeof(schema_cache[i].path), "%s",
	    path);
	schema_cache[i].schema = s;
	return s;
}

/* Which schema the root element asks for; NULL when none fits. */
static const char *
schema_for(const xmlDoc *doc, enum einv_syntax syntax)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	const char *ns;

	if (root == NULL || root->ns == NULL || root->ns->href == NULL)
		return NULL;
	ns = (const char *)root->ns->href;
	if (syntax == EINV_UBL && strcmp(ns, NS_UBL_INVOICE) == 0 &&
	    xmlStrcmp(root->name, BAD_CAST "Invoice") == 0)
		return SCHEMA_UBL_INVOICE;
	if (syntax == EINV_UBL && strcmp(ns, NS_UBL_CREDIT) == 0 &&
	    xmlStrcmp(root->name, BAD_CAST "CreditNote") == 0)
		return SCHEMA_UBL_CREDIT;
	if (syntax == EINV_CII && strcmp(ns, NS_CII) == 0 &&
	    xmlStrcmp(root->name, BAD_CAST "CrossIndustryInvoice") == 0)
		return SCHEMA_CII;
	return NULL;
}

static int
check_xsd(struct chk *c, xmlDocPtr doc, const char *rel, struct kerr *e)
{
	const char *dir = getenv("KONTOR_SCHEMAS");
	xmlSchemaValidCtxtPtr vc;
	xmlSchemaPtr s;

	if (dir == NULL || dir[0] == '\0')
		return KR_OK;
	s = schema_load(dir, rel, e);
	if (s == NULL)
		return e->code;
	vc = xmlSchemaNewValidCtxt(s);
	if (vc == NULL)
		return kerr_set(e, KR_NOMEM, NULL, "out of memory");
	c->rule = "XSD";
	xmlSchemaSetValidStructuredErrors(vc, chk_error, c);
	if (xmlSchemaValidateDoc(vc, doc) != 0 && c->stats->fatal == 0)
		chk_report(c, 1, "the document is not valid against the "
		    "schema", NULL);
	xmlSchemaFreeValidCtxt(vc);
	return KR_OK;
}

int
einvoice_check_doc(const char *xml, size_t len, enum einv_syntax syntax,
    enum einv_profile profile, einvoice_finding_fn fn, void *arg,
    struct einvoice_check_stats *stats, struct kerr *e)
{
	struct einvoice_check_stats own;
	struct chk c = { fn, arg, stats != NULL ? stats : &own, "XML" };
	const char *rel;
	xmlDocPtr doc;
	int rc;

	(void)profile;
	memset(c.stats, 0, sizeof(*c.stats));
	if (len > INT_MAX) {
		chk_report(&c, 1, "the document is larger than 2 GiB", NULL);
		return KR_OK;
	}

	xmlSetStructuredErrorFunc(&c, chk_error);
	doc = xmlReadMemory(xml, (int)len, "invoice.xml", NULL,
	    XML_PARSE_NONET);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc == NULL) {
		if (c.stats->fatal == 0)
			chk_report(&c, 1, "the document is not well-formed "
			    "XML", NULL);
		return KR_OK;
	}

	rel = schema_for(doc, syntax);
	rc = KR_OK;
	if (rel == NULL)
		chk_report(&c, 1, syntax == EINV_UBL ? "the root element is "
		    "not a UBL 2.1 Invoice or CreditNote" : "the root element "
		    "is not a CII D16B CrossIndustryInvoice", NULL);
	else
		rc = check_xsd(&c, doc, rel, e);
	xmlFreeDoc(doc);
	return rc;
}

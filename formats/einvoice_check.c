/*
 * The e-invoice checker's entry points: reporting findings, telling
 * syntax and profile, running the rule sets, the XSD, and --check on a
 * file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlschemas.h>

#include "buf.h"
#include "einvoice_xml.h"

#define CEN_ID	"urn:cen.eu:en16931:2017"
#define XR_ID	CEN_ID "#compliant#urn:xeinkauf.de:kosit:xrechnung_3.0"

/* Findings */

void
einv_report(struct einv_ctx *c, const char *rule, int fatal,
    const void *node, const char *fmt, ...)
{
	struct einvoice_finding f;
	char msg[EINV_MSG_MAX], where[EINV_WHERE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	einv_where(node != NULL ? node : c->inv->root, where, sizeof(where));
	if (c->stats != NULL) {
		if (fatal)
			c->stats->fatal++;
		else
			c->stats->warnings++;
	}
	if (c->fn == NULL)
		return;
	f.rule = rule;
	f.fatal = fatal;
	f.msg = msg;
	f.where = where;
	c->fn(c->arg, &f);
}

void
einv_rules_run(struct einv_ctx *c)
{
	einv_rules_core(c);
	einv_rules_calc(c);
	einv_rules_vat(c);
	einv_rules_codes(c);
	if (c->profile == EINV_XRECHNUNG) {
		einv_rules_de(c);
		einv_rules_peppol(c);
	}
}

/* Profiles */


/* BT-24 values and the profile each names. */
static const struct {
	const char *id;
	enum einv_profile profile;
} spec_ids[] = {
	{CEN_ID "#compliant#urn:factur-x.eu:1p0:basic", EINV_ZUGFERD_BASIC},
	{CEN_ID "#compliant#urn:zugferd.de:2p0:basic", EINV_ZUGFERD_BASIC},
	{CEN_ID "#conformant#urn:factur-x.eu:1p0:extended",
	    EINV_ZUGFERD_EXTENDED},
	{CEN_ID "#conformant#urn:zugferd.de:2p0:extended",
	    EINV_ZUGFERD_EXTENDED},
};

static int
profile_of(const char *bt24, enum einv_syntax syntax,
    enum einv_profile *out, struct kerr *e)
{
	char id[512];
	size_t i;

	einv_norm(bt24, id, sizeof(id));
	if (strcmp(id, XR_ID) == 0 ||
	    strncmp(id, XR_ID "#", strlen(XR_ID) + 1) == 0) {
		*out = EINV_XRECHNUNG;
		return KR_OK;
	}
	for (i = 0; i < sizeof(spec_ids) / sizeof(spec_ids[0]); i++)
		if (strcmp(id, spec_ids[i].id) == 0) {
			*out = spec_ids[i].profile;
			return KR_OK;
		}
	if (strcmp(id, CEN_ID) == 0 ||
	    strncmp(id, CEN_ID "#", strlen(CEN_ID) + 1) == 0) {
		*out = syntax == EINV_CII ? EINV_ZUGFERD_EN16931 :
		    EINV_EN16931;
		return KR_OK;
	}
	return kerr_set(e, KR_BAD_INPUT, "BT-24",
	    "expected the specification identifier of an EN 16931 invoice "
	    "(XRechnung, EN 16931, ZUGFeRD BASIC, EN 16931 or EXTENDED), "
	    "got \"%s\"", id);
}

static int
syntax_of(const xmlNode *root, enum einv_syntax *syntax,
    enum einv_doctype *doctype, struct kerr *e)
{
	if (einv_xml_is(root, "inv:Invoice") ||
	    einv_xml_is(root, "cn:CreditNote")) {
		*syntax = EINV_UBL;
		*doctype = einv_xml_is(root, "cn:CreditNote") ?
		    EINV_DOC_CREDITNOTE : EINV_DOC_INVOICE;
		return KR_OK;
	}
	if (einv_xml_is(root, "rsm:CrossIndustryInvoice")) {
		*syntax = EINV_CII;
		*doctype = EINV_DOC_INVOICE;
		return KR_OK;
	}
	return kerr_set(e, KR_BAD_INPUT, NULL,
	    "expected a UBL 2.1 Invoice or CreditNote or a CII "
	    "CrossIndustryInvoice, got the root element \"%s\" in %s%s%s",
	    root ? (const char *)root->name : "",
	    root && root->ns ? "namespace \"" : "no namespace",
	    root && root->ns ? (const char *)root->ns->href : "",
	    root && root->ns ? "\"" : "");
}

/* Detects from a parsed tree; profile may be NULL. */
static int
detect_tree(const xmlDoc *doc, enum einv_syntax *syntax,
    enum einv_profile *profile, enum einv_doctype *doctype,
    struct kerr *e)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	struct arena *a;
	struct einv_val id;
	enum einv_doctype dt;
	int rc;

	rc = syntax_of(root, syntax, doctype ? doctype : &dt, e);
	if (rc != KR_OK || profile == NULL)
		return rc;
	a = arena_new(64 * 1024);
	if (a == NULL)
		return kerr_set(e, KR_NOMEM, NULL, "out of memory");
	if (*syntax == EINV_UBL)
		rc = einv_xml_val(a, root, "cbc:CustomizationID", &id);
	else
		rc = einv_xml_val(a, root, "rsm:ExchangedDocumentContext/"
		    "ram:GuidelineSpecifiedDocumentContextParameter/ram:ID",
		    &id);
	if (rc != KR_OK)
		rc = kerr_set(e, KR_BAD_INPUT, "BT-24", "expected a "
		    "specification identifier (BT-24), got a huge one");
	else if (id.s == NULL)
		rc = kerr_set(e, KR_BAD_INPUT, "BT-24", "the specification "
		    "identifier (BT-24) is missing: cannot tell the profile");
	else
		rc = profile_of(id.s, *syntax, profile, e);
	arena_free(a);
	return rc;
}

int
einvoice_detect(const char *xml, size_t len, enum einv_syntax *syntax,
    enum einv_profile *profile, enum einv_doctype *doctype, struct kerr *e)
{
	xmlDoc *doc;
	int rc;

	rc = einv_xml_read(xml, len, &doc, e);
	if (rc != KR_OK)
		return rc;
	rc = detect_tree(doc, syntax, profile, doctype, e);
	xmlFreeDoc(doc);
	return rc;
}

/* The rules on a parsed tree */

static int
check_tree(const xmlDoc *doc, enum einv_syntax syntax,
    enum einv_profile profile,
    einvoice_finding_fn fn, void *arg, struct einvoice_check_stats *stats,
    size_t len, struct kerr *e)
{
	const xmlNode *root = xmlDocGetRootElement(doc);
	enum einv_syntax found;
	enum einv_doctype dt;
	struct einvoice inv;
	struct einv_ctx ctx;
	struct arena *a;
	int rc;

	rc = syntax_of(root, &found, &dt, e);
	if (rc == KR_OK && found != syntax)
		rc = kerr_set(e, KR_BAD_INPUT, NULL, "expected a %s document, "
		    "got %s", syntax == EINV_UBL ? "UBL" : "CII",
		    found == EINV_UBL ? "UBL" : "CII");
	if (rc != KR_OK)
		return rc;

	a = arena_new(2 * len + ((size_t)16 << 20));
	if (a == NULL)
		return kerr_set(e, KR_NOMEM, NULL, "out of memory");
	memset(&inv, 0, sizeof(inv));
	rc = syntax == EINV_UBL ? einv_read_ubl(root, &inv, a) :
	    einv_read_cii(root, &inv, a);
	if (rc != KR_OK) {
		arena_free(a);
		return kerr_set(e, KR_TOO_BIG, NULL,
		    "the document holds more than kontor reads in memory");
	}
	ctx.inv = &inv;
	ctx.profile = profile;
	ctx.fn = fn;
	ctx.arg = arg;
	ctx.stats = stats;
	einv_rules_run(&ctx);
	arena_free(a);
	return KR_OK;
}

int
einvoice_check_doc(const char *xml, size_t len, enum einv_syntax syntax,
    enum einv_profile profile, einvoice_finding_fn fn, void *arg,
    struct einvoice_check_stats *stats, struct kerr *e)
{
	xmlDoc *doc;
	int rc;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	rc = einv_xml_read(xml, len, &doc, e);
	if (rc != KR_OK)
		return rc;
	rc = check_tree(doc, syntax, profile, fn, arg, stats, len, e);
	xmlFreeDoc(doc);
	return rc;
}

int
einvoice_check_tree(const xmlDoc *doc, size_t len, enum einv_syntax syntax,
    enum einv_profile profile, einvoice_finding_fn fn, void *arg,
    struct einvoice_check_stats *stats, struct kerr *e)
{
	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	return check_tree(doc, syntax, profile, fn, arg, stats, len, e);
}

/* The XML schemas */

static struct schema_cache {
	char path[4096];
	xmlSchema *schema;
} schemas[3];

struct xsd_run {
	einvoice_finding_fn fn;
	void *arg;
	struct einvoice_check_stats *stats;
	char first[256];		/* the first error loading a schema */
};

static void
xsd_load_error(void *arg, xmlError *err)
{
	struct xsd_run *r = arg;

	if (r->first[0] == '\0' && err != NULL && err->message != NULL) {
		snprintf(r->first, sizeof(r->first), "%s", err->message);
		r->first[strcspn(r->first, "\n")] = '\0';
	}
}

static void
xsd_valid_error(void *arg, xmlError *err)
{
	struct xsd_run *r = arg;
	struct einvoice_finding f;
	char msg[EINV_MSG_MAX], where[32];
	size_t n;

	if (err == NULL || err->level < XML_ERR_ERROR)
		return;
	snprintf(msg, sizeof(msg), "%s", err->message ? err->message : "");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		msg[--n] = '\0';
	snprintf(where, sizeof(where), "line %d", err->line);
	if (r->stats != NULL)
		r->stats->fatal++;
	if (r->fn == NULL)
		return;
	f.rule = "XSD";
	f.fatal = 1;
	f.msg = msg;
	f.where = where;
	r->fn(r->arg, &f);
}

static int
xsd_path(const char *dir, enum einv_syntax syntax, enum einv_doctype dt,
    char *path, size_t size, int *slot)
{
	const char *rel;
	int n;

	if (syntax == EINV_CII) {
		rel = "cii-d16b/CrossIndustryInvoice_100pD16B.xsd";
		*slot = 2;
	} else if (dt == EINV_DOC_CREDITNOTE) {
		rel = "ubl-2.1/maindoc/UBL-CreditNote-2.1.xsd";
		*slot = 1;
	} else {
		rel = "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd";
		*slot = 0;
	}
	n = snprintf(path, size, "%s/%s", dir, rel);
	return n > 0 && (size_t)n < size ? KR_OK : KR_CONFIG;
}

/* libxml2 reports a schema file it cannot open through its globals. */
static void
xsd_generic_error(void *arg, const char *fmt, ...)
{
	struct xsd_run *r = arg;
	va_list ap;

	if (r->first[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(r->first, sizeof(r->first), fmt, ap);
	va_end(ap);
	r->first[strcspn(r->first, "\n")] = '\0';
}

/*
 * Loads (or finds in the cache) the schema.  The network stays off, and
 * libxml2's global error handlers are pointed at run for the time, so
 * that nothing is printed.
 */
static int
xsd_get(const char *dir, enum einv_syntax syntax, enum einv_doctype dt,
    xmlSchema **out, struct kerr *e)
{
	struct schema_cache *sc;
	struct xsd_run run;
	xmlSchemaParserCtxt *pctxt;
	xmlExternalEntityLoader old;
	xmlGenericErrorFunc old_generic;
	xmlStructuredErrorFunc old_structured;
	void *old_generic_arg, *old_structured_arg;
	char path[4096];
	int slot;

	if (xsd_path(dir, syntax, dt, path, sizeof(path), &slot) != KR_OK)
		return kerr_set(e, KR_CONFIG, "schemas", "folder name too "
		    "long");
	sc = &schemas[slot];
	if (sc->schema != NULL && strcmp(sc->path, path) == 0) {
		*out = sc->schema;
		return KR_OK;
	}
	if (sc->schema != NULL)
		xmlSchemaFree(sc->schema);
	sc->schema = NULL;

	memset(&run, 0, sizeof(run));
	xmlInitParser();
	old = xmlGetExternalEntityLoader();
	old_generic = xmlGenericError;
	old_generic_arg = xmlGenericErrorContext;
	old_structured = xmlStructuredError;
	old_structured_arg = xmlStructuredErrorContext;
	xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
	xmlSetGenericErrorFunc(&run, xsd_generic_error);
	xmlSetStructuredErrorFunc(&run, xsd_load_error);
	pctxt = xmlSchemaNewParserCtxt(path);
	if (pctxt != NULL) {
		xmlSchemaSetParserStructuredErrors(pctxt, xsd_load_error,
		    &run);
		sc->schema = xmlSchemaParse(pctxt);
		xmlSchemaFreeParserCtxt(pctxt);
	}
	xmlSetStructuredErrorFunc(old_structured_arg, old_structured);
	xmlSetGenericErrorFunc(old_generic_arg, old_generic);
	xmlSetExternalEntityLoader(old);
	if (sc->schema == NULL)
		return kerr_set(e, KR_CONFIG, "schemas", "cannot load the "
		    "schema %s: %s", path, run.first[0] ? run.first :
		    "no such file or not a schema");
	snprintf(sc->path, sizeof(sc->path), "%s", path);
	*out = sc->schema;
	return KR_OK;
}

static int
xsd_tree(xmlDoc *doc, enum einv_syntax syntax, enum einv_doctype dt,
    const char *dir, einvoice_finding_fn fn, void *arg,
    struct einvoice_check_stats *stats, struct kerr *e)
{
	xmlSchema *schema;
	xmlSchemaValidCtxt *vctxt;
	xmlExternalEntityLoader old;
	xmlGenericErrorFunc old_generic;
	void *old_generic_arg;
	struct xsd_run run;
	int rc;

	rc = xsd_get(dir, syntax, dt, &schema, e);
	if (rc != KR_OK)
		return rc;
	vctxt = xmlSchemaNewValidCtxt(schema);
	if (vctxt == NULL)
		return kerr_set(e, KR_NOMEM, NULL, "out of memory");
	memset(&run, 0, sizeof(run));
	run.fn = fn;
	run.arg = arg;
	run.stats = stats;
	xmlSchemaSetValidStructuredErrors(vctxt, xsd_valid_error, &run);
	old = xmlGetExternalEntityLoader();
	old_generic = xmlGenericError;
	old_generic_arg = xmlGenericErrorContext;
	xmlSetExternalEntityLoader(xmlNoNetExternalEntityLoader);
	xmlSetGenericErrorFunc(&run, xsd_generic_error);
	rc = xmlSchemaValidateDoc(vctxt, doc);
	xmlSetGenericErrorFunc(old_generic_arg, old_generic);
	xmlSetExternalEntityLoader(old);
	xmlSchemaFreeValidCtxt(vctxt);
	if (rc < 0)
		return kerr_set(e, KR_BAD_INPUT, NULL, "the XML schema "
		    "validation failed internally (%d)", rc);
	return KR_OK;
}

int
einvoice_check_xsd(const char *xml, size_t len, enum einv_syntax syntax,
    enum einv_doctype doctype, const char *schemas_dir,
    einvoice_finding_fn fn, void *arg, struct einvoice_check_stats *stats,
    struct kerr *e)
{
	xmlDoc *doc;
	int rc;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	rc = einv_xml_read(xml, len, &doc, e);
	if (rc != KR_OK)
		return rc;
	rc = xsd_tree(doc, syntax, doctype, schemas_dir, fn, arg, stats, e);
	xmlFreeDoc(doc);
	return rc;
}

void
einvoice_check_cleanup(void)
{
	size_t i;

	for (i = 0; i < sizeof(schemas) / sizeof(schemas[0]); i++) {
		if (schemas[i].schema != NULL)
			xmlSchemaFree(schemas[i].schema);
		schemas[i].schema = NULL;
		schemas[i].path[0] = '\0';
	}
}

/* --check on a file */

/*
 * Reads the whole file into one allocation of its size, refusing a file
 * larger than the cap unread; *data is the caller's to free.
 */
static int
slurp(const char *path, char **data, size_t *len, struct kerr *e)
{
	struct stat st;
	size_t size, got = 0;
	ssize_t n;
	int fd, rc = KR_OK;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return kerr_set(e, KR_IO, NULL, "cannot open: %s",
		    strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return kerr_set(e, KR_IO, NULL, "not a regular file");
	}
	if ((size_t)st.st_size > EINV_DOC_MAX_BYTES) {
		close(fd);
		return kerr_set(e, KR_TOO_BIG, NULL, "expected a document of "
		    "at most %zu bytes, got %lld", EINV_DOC_MAX_BYTES,
		    (long long)st.st_size);
	}
	size = (size_t)st.st_size;
	*data = xmalloc(size + 1);
	while (got <= size) {
		n = read(fd, *data + got, size + 1 - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	if (n < 0)
		rc = kerr_set(e, KR_IO, NULL, "read: %s", strerror(errno));
	else if (got != size)
		rc = kerr_set(e, KR_IO, NULL, "the file changed while it "
		    "was read");
	close(fd);
	if (rc != KR_OK) {
		free(*data);
		*data = NULL;
		return rc;
	}
	(*data)[size] = '\0';
	*len = size;
	return KR_OK;
}

static int
check_file_tree(xmlDoc *doc, size_t len, const struct einvoice_check_opts *o,
    einvoice_finding_fn fn, void *arg, struct einvoice_check_stats *stats,
    struct kerr *e)
{
	enum einv_syntax syntax;
	enum einv_profile profile;
	enum einv_doctype dt;
	int force = o != NULL && o->force_profile;
	int rc;

	rc = detect_tree(doc, &syntax, force ? NULL : &profile, &dt, e);
	if (rc != KR_OK)
		return rc;
	if (force)
		profile = o->profile;
	if (o != NULL && o->schemas_dir != NULL) {
		rc = xsd_tree(doc, syntax, dt, o->schemas_dir, fn, arg,
		    stats, e);
		if (rc != KR_OK)
			return rc;
	}
	return check_tree(doc, syntax, profile, fn, arg, stats, len, e);
}

int
einvoice_check_file(const char *path, const struct einvoice_check_opts *o,
    einvoice_finding_fn fn, void *arg, struct einvoice_check_stats *stats,
    struct kerr *e)
{
	char *data = NULL;
	size_t len = 0;
	xmlDoc *doc;
	int rc;

	if (stats != NULL)
		memset(stats, 0, sizeof(*stats));
	rc = slurp(path, &data, &len, e);
	if (rc == KR_OK) {
		rc = einv_xml_read(data, len, &doc, e);
		if (rc == KR_OK) {
			rc = check_file_tree(doc, len, o, fn, arg, stats, e);
			xmlFreeDoc(doc);
		}
		free(data);
	}
	if (rc != KR_OK)
		kerr_where(e, path, 0);
	return rc;
}

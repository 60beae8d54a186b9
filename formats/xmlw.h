#ifndef KONTOR_XMLW_H
#define KONTOR_XMLW_H

/*
 * Writing an XML document with libxml2, for the e-invoice writers: the
 * calls build the document's libxml2 tree, and xmlw_finish serializes
 * it (UTF-8, indented by two spaces, escaped: the bytes libxml2's
 * xmlsave writes for it) and can hand the tree on, so that the checker
 * reads the very document that is written without parsing its text
 * again.  This layer adds what the e-invoice rules ask of every
 * element:
 *
 *	- an element whose text is NULL, empty or only white space is not
 *	  written at all (Peppol R008: no empty elements);
 *	- text that XML 1.0 cannot carry (control characters, bytes that
 *	  are not UTF-8) is refused, never dropped or changed.
 *
 * The first failure sticks: every later call does nothing, and
 * xmlw_finish returns it.  Element names carry their prefix ("cbc:ID");
 * the root element declares the namespaces with xmlw_attr ("xmlns",
 * "xmlns:cbc"), and every other element's prefix must be declared
 * there.
 */

#include <libxml/tree.h>

#include "buf.h"
#include "err.h"

#define XMLW_NS_MAX	8	/* namespaces the root may declare */
#define XMLW_PREFIX_MAX	16	/* the root's prefix, with its NUL */

struct xmlw {
	xmlDoc *doc;
	xmlNode *cur;		/* the element open now, NULL outside */
	xmlNs *ns[XMLW_NS_MAX];	/* declared on the root */
	size_t n_ns;
	char root_prefix[XMLW_PREFIX_MAX];	/* "" for none */
	int rc;			/* KR_OK until the first failure */
	struct kerr *e;		/* says what failed */
};

/*
 * Starts a document.  KR_OK or KR_NOMEM; on failure nothing needs
 * releasing.
 */
int	xmlw_begin(struct xmlw *x, struct kerr *e);

/* Opens and closes an element. */
void	xmlw_start(struct xmlw *x, const char *name);
void	xmlw_end(struct xmlw *x);

/*
 * An attribute of the element just opened, or the declaration of a
 * namespace ("xmlns", "xmlns:pfx"); nothing when value is blank.
 */
void	xmlw_attr(struct xmlw *x, const char *name, const char *value);

/* <name>text</name>, or nothing when text is blank. */
void	xmlw_text(struct xmlw *x, const char *name, const char *text);

/*
 * <name attr="value">text</name>, or nothing when text is blank; the
 * attribute is left out when value is blank.
 */
void	xmlw_text_attr(struct xmlw *x, const char *name, const char *text,
	    const char *attr, const char *value);

/* 1 when s is NULL or holds only white space. */
int	xmlw_blank(const char *s);

/*
 * Ends the document and appends its text to out; when tree is not NULL
 * and all went well, *tree gets the document's tree, which the caller
 * frees with xmlFreeDoc.  Releases the writer either way.  Returns the
 * first failure (KR_BAD_INPUT for text XML cannot carry, KR_NOMEM,
 * KR_TOO_BIG) or KR_OK.
 */
int	xmlw_finish(struct xmlw *x, struct buf *out, xmlDoc **tree);

/* Releases the writer without finishing; safe after xmlw_finish. */
void	xmlw_release(struct xmlw *x);

#endif

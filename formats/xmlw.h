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
 * there.  Element names are kept, not copied: give string constants,
 * or strings that stay as they are while the tree lives.
 */

#include <libxml/tree.h>

#include "arena.h"
#include "buf.h"
#include "err.h"

#define XMLW_NS_MAX	8	/* namespaces the root may declare */
#define XMLW_NAMES	64	/* element names remembered, a power of 2 */
#define XMLW_PREFIX_MAX	16	/* the root's prefix, with its NUL */
/*
 * The most a document's tree may take: about 150 bytes an element and
 * as much a text, for documents that stay below 64 MiB of text.
 */
#define XMLW_TREE_MAX	((size_t)1 << 30)

/*
 * Where a document's tree lives: libxml2's structures, allocated in an
 * arena rather than one by one with libxml2's allocator, so that
 * building a tree takes no malloc per node and freeing it is resetting
 * the arena, which the next document reuses.  The tree is for reading
 * (the checker reads it, libxml2's read-only calls work on it); never
 * give it to xmlFreeDoc or to a libxml2 call that changes a tree.
 */
struct xmlw_tree {
	struct arena *arena;	/* NULL until the first document */
	xmlDoc *doc;		/* the last document finished, or NULL */
};

void	xmlw_tree_init(struct xmlw_tree *t);
/* Frees the arena and with it the last document's tree. */
void	xmlw_tree_release(struct xmlw_tree *t);

/* An element name looked up once a document: its namespace, its parts. */
struct xmlw_name {
	const char *name;	/* the writer's "pfx:local"; NULL: unused */
	xmlNs *ns;		/* NULL until its prefix is declared */
	size_t local;		/* where the local name starts in name */
	size_t len;		/* of name */
};

struct xmlw {
	struct xmlw_tree own;	/* the tree when the caller keeps none */
	struct xmlw_tree *tree;	/* own, or the caller's */
	xmlDoc *doc;
	xmlNode *cur;		/* the element open now, NULL outside */
	xmlNs *ns[XMLW_NS_MAX];	/* declared on the root */
	size_t n_ns;
	char root_prefix[XMLW_PREFIX_MAX];	/* "" for none */
	struct xmlw_name names[XMLW_NAMES];	/* by the name's address */
	int rc;			/* KR_OK until the first failure */
	struct kerr *e;		/* says what failed */
};

/*
 * Starts a document whose tree goes into tree (may be NULL: the writer
 * keeps it to itself and frees it when done), which loses the document
 * it held.  KR_OK or KR_NOMEM; on failure nothing needs releasing.
 */
int	xmlw_begin(struct xmlw *x, struct xmlw_tree *tree, struct kerr *e);

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
 * Ends the document and appends its text to out; when all went well
 * and the caller gave a tree to xmlw_begin, tree->doc is the document's
 * tree, valid until the next xmlw_begin with that tree or
 * xmlw_tree_release.  Releases the writer either way.  Returns the
 * first failure (KR_BAD_INPUT for text XML cannot carry, KR_NOMEM,
 * KR_TOO_BIG) or KR_OK.
 */
int	xmlw_finish(struct xmlw *x, struct buf *out);

/* Releases the writer without finishing; safe after xmlw_finish. */
void	xmlw_release(struct xmlw *x);

#endif

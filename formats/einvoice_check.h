#ifndef KONTOR_EINVOICE_CHECK_H
#define KONTOR_EINVOICE_CHECK_H

/*
 * kontor's own checker of EN 16931 e-invoices: the business rules of
 * EN 16931 (BR-*, BR-CO-*, BR-DEC-*, the VAT category rules, the code
 * lists kontor can meet), and for XRechnung the BR-DE-* rules and the
 * Peppol rules XRechnung adopts, in UBL 2.1 (Invoice, CreditNote) and
 * UN/CEFACT CII D16B.  docs/einvoice-check.md lists every rule it
 * implements, with its severity, and the ones it leaves out.
 *
 * Reading is safe for documents from anywhere: a document with a
 * DOCTYPE is refused before libxml2 sees it, so no entity is ever
 * declared, loaded or expanded; nothing touches the network; a document
 * larger than EINV_DOC_MAX_BYTES or with more than EINV_MARKUP_MAX tags,
 * any text larger than EINV_TEXT_MAX_BYTES, and anything but UTF-8 are
 * refused before a tree is built.
 *
 * Nothing is printed.  Each finding goes to a callback with its rule id,
 * whether it is fatal (the document must not be delivered), a message
 * and an XPath-like location of the element concerned (or of the element
 * that lacks a child).  The strings live until the callback returns.
 */

#include <stddef.h>

#include <libxml/tree.h>

#include "err.h"

#define EINV_DOC_MAX_BYTES	((size_t)64 << 20)	/* 64 MiB */
#define EINV_TEXT_MAX_BYTES	((size_t)1 << 20)	/* 1 MiB */
/*
 * At most this many '<' (tags, comments, ...): a tree of tiny elements
 * takes some 250 bytes per element, so this keeps libxml2's tree of any
 * document accepted below about 150 MB.  An invoice of 10,000 lines has
 * about 600,000.
 */
#define EINV_MARKUP_MAX		1000000

enum einv_syntax {
	EINV_UBL,
	EINV_CII
};

/*
 * Which rules apply.  XRECHNUNG: EN 16931 plus BR-DE-* and the Peppol
 * rules of XRechnung 3.0, with KoSIT's severities.  All others: the
 * EN 16931 core rules only (the ZUGFeRD/Factur-X profiles' own
 * schematron is not implemented).
 */
enum einv_profile {
	EINV_XRECHNUNG,
	EINV_EN16931,
	EINV_ZUGFERD_EN16931,
	EINV_ZUGFERD_BASIC,
	EINV_ZUGFERD_EXTENDED
};

/* For the XSD: which UBL document; CII has one for both. */
enum einv_doctype {
	EINV_DOC_INVOICE,
	EINV_DOC_CREDITNOTE
};

struct einvoice_finding {
	const char *rule;	/* "BR-CO-10", "PEPPOL-EN16931-R008", "XSD" */
	int fatal;		/* 1 fatal, 0 warning or information */
	const char *msg;
	const char *where;	/* "/Invoice/cac:InvoiceLine[2]/cbc:ID" */
};

typedef void (*einvoice_finding_fn)(void *arg,
    const struct einvoice_finding *f);

/* The counts of one call: every checking function starts them at 0. */
struct einvoice_check_stats {
	long fatal, warnings;
};

/* Checking one document in memory */

/*
 * Checks the document xml[0..len) as syntax and profile say and calls fn
 * (may be NULL) for every finding; stats (may be NULL) gets the counts
 * added.  Returns KR_OK when the document could be checked, whatever the
 * findings; KR_BAD_INPUT with e filled when it is not a well-formed,
 * safe XML document with the root element of the syntax;
 * KR_TOO_BIG when it is larger than EINV_DOC_MAX_BYTES.
 */
int	einvoice_check_doc(const char *xml, size_t len,
	    enum einv_syntax syntax, enum einv_profile profile,
	    einvoice_finding_fn fn, void *arg,
	    struct einvoice_check_stats *stats, struct kerr *e);

/*
 * Checks the tree of a document that ubl_write or cii_write built, as
 * einvoice_check_doc checks the text they serialized from it, with the
 * same findings, but without parsing that text again; len is the size
 * of the text, which bounds the memory the check may take.  Returns
 * KR_OK, KR_BAD_INPUT when the root is not the syntax's, or KR_TOO_BIG.
 */
int	einvoice_check_tree(const xmlDoc *doc, size_t len,
	    enum einv_syntax syntax, enum einv_profile profile,
	    einvoice_finding_fn fn, void *arg,
	    struct einvoice_check_stats *stats, struct kerr *e);

/*
 * Tells the syntax from the root element and the profile from the
 * specification identifier BT-24; doctype (may be NULL) gets Invoice or
 * CreditNote.  Reads with the same safeguards as einvoice_check_doc.
 * Returns KR_OK, or KR_BAD_INPUT with e filled when the root is neither
 * a UBL Invoice/CreditNote nor a CII CrossIndustryInvoice, or when BT-24
 * names no profile kontor checks (Factur-X MINIMUM and BASIC WL are not
 * EN 16931 invoices).
 */
int	einvoice_detect(const char *xml, size_t len,
	    enum einv_syntax *syntax, enum einv_profile *profile,
	    enum einv_doctype *doctype, struct kerr *e);

/* Profile names as --profile spells them: einvoice.h, einv_profile_name. */

/* The XML schemas */

/*
 * Validates the document against the XSD of its syntax found under
 * schemas_dir (ubl-2.1/maindoc/UBL-Invoice-2.1.xsd or
 * UBL-CreditNote-2.1.xsd, cii-d16b/CrossIndustryInvoice_100pD16B.xsd)
 * and reports every schema error as a fatal finding "XSD" whose where is
 * "line N".  The schema is loaded without network access and kept for
 * later calls with the same folder until einvoice_check_cleanup.
 * Returns KR_OK when the document could be validated, KR_BAD_INPUT for
 * a document that cannot be read, KR_CONFIG with e filled when the
 * schema cannot be loaded.
 */
int	einvoice_check_xsd(const char *xml, size_t len,
	    enum einv_syntax syntax, enum einv_doctype doctype,
	    const char *schemas_dir, einvoice_finding_fn fn, void *arg,
	    struct einvoice_check_stats *stats, struct kerr *e);

/* Frees the cached schemas. */
void	einvoice_check_cleanup(void);

/* Checking a file (--check) */

struct einvoice_check_opts {
	/*
	 * The folder with ubl-2.1/ and cii-d16b/, as --schemas DIR or
	 * KONTOR_SCHEMAS give it; NULL: no XSD validation.
	 */
	const char *schemas_dir;
	int force_profile;		/* 1: use profile, not BT-24 */
	enum einv_profile profile;
};

/*
 * Reads the file at path (at most EINV_DOC_MAX_BYTES, refused before
 * reading when larger), detects syntax and profile (unless o forces the
 * profile), validates against the XSD when o->schemas_dir is set, then
 * checks the rules.  o may be NULL.  Returns KR_OK when the file could be
 * checked, whatever the findings; KR_IO, KR_TOO_BIG, KR_BAD_INPUT or
 * KR_CONFIG with e filled (e->file is path) otherwise.
 */
int	einvoice_check_file(const char *path,
	    const struct einvoice_check_opts *o, einvoice_finding_fn fn,
	    void *arg, struct einvoice_check_stats *stats, struct kerr *e);

#endif

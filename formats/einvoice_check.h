#ifndef KONTOR_EINVOICE_CHECK_H
#define KONTOR_EINVOICE_CHECK_H

/*
 * Checking an e-invoice document before it goes out (DESIGN §6): the
 * XML must be well-formed and, where the schemas are at hand, valid
 * against the XSD of its syntax.
 *
 * The schemas are taken from the folder that KONTOR_SCHEMAS names
 * (ubl-2.1/maindoc/UBL-Invoice-2.1.xsd, ubl-2.1/maindoc/
 * UBL-CreditNote-2.1.xsd, cii-d16b/CrossIndustryInvoice_100pD16B.xsd
 * below it); without it the XSD layer is skipped.  Reading never loads
 * external entities and never touches the network.
 *
 * Nothing is printed: each problem is handed to a callback as a finding
 * with the rule it breaks ("XSD" for the schema, "XML" for a document
 * that does not parse), whether it is fatal, a message and where in the
 * document it is.
 */

#include <stddef.h>

#include "err.h"

enum einv_syntax {
	EINV_UBL,
	EINV_CII
};

enum einv_profile {
	EINV_XRECHNUNG,
	EINV_EN16931,
	EINV_ZUGFERD_EN16931,
	EINV_ZUGFERD_BASIC,
	EINV_ZUGFERD_EXTENDED
};

struct einvoice_finding {
	const char *rule;	/* "BR-CO-15", "XSD", ... */
	int fatal;		/* 1 rejects the document */
	const char *msg;
	const char *where;	/* an element or a line, or NULL */
};

/* Gets each finding; the strings live until the callback returns. */
typedef void (*einvoice_finding_fn)(void *arg,
    const struct einvoice_finding *f);

struct einvoice_check_stats {
	long fatal, warnings;
};

/*
 * Checks the document xml (len bytes) written in syntax for profile and
 * calls fn for every finding; stats (may be NULL) gets the counts.
 * Returns KR_OK when the check ran, whatever it found, KR_CONFIG when
 * the schema folder lacks a schema, or KR_NOMEM; e says why.
 */
int	einvoice_check_doc(const char *xml, size_t len,
	    enum einv_syntax syntax, enum einv_profile profile,
	    einvoice_finding_fn fn, void *arg,
	    struct einvoice_check_stats *stats, struct kerr *e);

#endif

#ifndef KONTOR_CII_H
#define KONTOR_CII_H

/*
 * The UN/CEFACT Cross Industry Invoice (CII D16B) writer of EN 16931
 * e-invoices: one CrossIndustryInvoice for invoices (TypeCode 380) and
 * credit notes (381, with the preceding invoice in
 * InvoiceReferencedDocument).  The same document serves XRechnung,
 * plain EN 16931 and the ZUGFeRD/Factur-X profiles, which differ in
 * the specification identifier BT-24.
 *
 * Every business term kontor fills (../shared/spec/einvoice.md §3) is
 * written in the element order of the D16B schema, amounts with exactly
 * the currency's decimals and a currencyID where the rules need one
 * (the VAT total, BT-110); no element is written empty except
 * ApplicableHeaderTradeDelivery, which the schema requires.
 */

#include "buf.h"
#include "einvoice_check.h"
#include "err.h"
#include "invoice.h"
#include "xmlw.h"

/*
 * Writes inv as a complete CII document of profile p and appends it to
 * out.  When tree is not NULL and all went well, tree->doc is the
 * document's tree, from which out's text was serialized, for
 * einvoice_check_tree (xmlw.h says how long it lives).  The caller has
 * checked inv with einvoice_ready.  KR_OK, KR_BAD_INPUT (text an
 * XML document cannot carry, e naming the element), KR_NOMEM or
 * KR_TOO_BIG.
 */
int	cii_write(const struct invoice *inv, enum einv_profile p,
	    struct buf *out, struct xmlw_tree *tree, struct kerr *e);

#endif

#ifndef KONTOR_UBL_H
#define KONTOR_UBL_H

/*
 * The OASIS UBL 2.1 writer of EN 16931 e-invoices: an Invoice for an
 * invoice record of type 380, a CreditNote (CreditNoteLine,
 * CreditedQuantity, BillingReference to the preceding invoice) for 381.
 *
 * Every business term kontor fills (../shared/spec/einvoice.md §3) is
 * written in the element order of the UBL 2.1 schemas, every amount
 * with its currencyID and exactly the currency's decimals, and no
 * element is ever written empty.  The writer does not recompute
 * anything: the figures are the record's.
 */

#include "buf.h"
#include "einvoice_check.h"
#include "err.h"
#include "invoice.h"
#include "xmlw.h"

/*
 * Writes inv as a complete UBL document of profile p (EINV_XRECHNUNG
 * or EINV_EN16931) and appends it to out.  When tree is not NULL and
 * all went well, tree->doc is the document's tree, from which out's
 * text was serialized, for einvoice_check_tree (xmlw.h says how long it
 * lives).  The caller has checked inv with einvoice_ready.  KR_OK,
 * KR_BAD_INPUT (a profile UBL cannot carry, or text an XML document
 * cannot carry, e naming the element), KR_NOMEM or KR_TOO_BIG.
 */
int	ubl_write(const struct invoice *inv, enum einv_profile p,
	    struct buf *out, struct xmlw_tree *tree, struct kerr *e);

#endif

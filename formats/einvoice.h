#ifndef KONTOR_EINVOICE_H
#define KONTOR_EINVOICE_H

/*
 * What the e-invoice writers (ubl.h, cii.h) and kontor-xrechnung share:
 * the profiles and their specification identifiers (BT-24), what an
 * invoice record must hold before it can become an EN 16931 document,
 * kontor's own VAT self-check, file names, and telling a document's
 * syntax and profile from its root element and BT-24.
 *
 * Business term numbers (BT-n, BG-n) are those of EN 16931-1;
 * ../shared/spec/einvoice.md is the project's summary.
 */

#include <stddef.h>

#include "dec.h"
#include "einvoice_check.h"
#include "err.h"
#include "invoice.h"

/* BT-23, the business process: Peppol's billing process. */
#define EINV_PROCESS_ID	"urn:fdc:peppol.eu:2017:poacc:billing:01:1.0"

/*
 * BT-6, the VAT accounting currency of an invoice in another currency
 * (tax.md §13); an invoice in EUR has neither BT-6 nor BT-111
 * (PEPPOL-EN16931-R005).
 */
#define EINV_TAX_CURRENCY	"EUR"

/* Longest file name einvoice_file_name writes, NUL included. */
#define EINV_NAME_MAX	128

/* Names and identifiers */

/*
 * Parses a profile name as the command line gives it: "xrechnung",
 * "en16931", "zugferd-en16931", "zugferd-basic", "zugferd-extended".
 * KR_OK or KR_BAD_INPUT.
 */
int	einv_profile_parse(const char *name, enum einv_profile *p);
const char	*einv_profile_name(enum einv_profile p);
/* The specification identifier BT-24 of a profile. */
const char	*einv_profile_id(enum einv_profile p);
/* 1 when profile p can be written in syntax s (ZUGFeRD: CII only). */
int	einv_profile_allows(enum einv_profile p, enum einv_syntax s);

/* "ubl" or "cii".  KR_OK or KR_BAD_INPUT. */
int	einv_syntax_parse(const char *name, enum einv_syntax *s);
const char	*einv_syntax_name(enum einv_syntax s);

/* Before writing */

/*
 * Checks that inv holds what a document of profile p needs and that the
 * writers can carry: an invoice (380) or credit note (381); in another
 * currency than EUR its VAT total in EUR (fx: BT-6, BT-111), in EUR
 * none; dates as YYYY-MM-DD, the number, names and countries of seller
 * and buyer, at least one line and one VAT breakdown, every line's
 * name and unit, the IBAN for payment means 58, and a scheme with every
 * electronic address.  By VAT category (einvoice.md §5): only S, Z, E,
 * AE, K, G and O, with their rates (above 0 for S, 0 for the others);
 * an exemption reason in every breakdown of E, AE, K, G and O and
 * none in S and Z; the seller's VAT id for K and G, its VAT id or tax
 * number for S, Z, E and AE; the buyer's VAT id for K and AE; the
 * deliver-to country for K; O alone, in one breakdown.  And a seller
 * named by a VAT id or register id (BR-CO-26).  XRechnung also needs
 * the electronic addresses of seller (BT-34) and buyer (BT-49), the
 * buyer reference (BT-10) and the payment means (BT-81); none of them
 * is ever invented.  KR_OK or KR_BAD_INPUT with e naming the field
 * and the business term or rule.
 */
int	einvoice_ready(const struct invoice *inv, enum einv_profile p,
	    struct kerr *e);

/*
 * kontor's own check of the VAT per breakdown, stricter than EN 16931:
 * BT-117 may differ from round(BT-116 x BT-119 / 100) by at most one
 * minor unit (0.01 EUR), which is what Mode G can leave (tax.md §3).
 * KR_OK or KR_BAD_INPUT with e naming the breakdown.
 */
int	einvoice_check_vat(const struct invoice *inv, struct kerr *e);

/* What the writers derive from the record */

/*
 * BT-31 and BT-48, the VAT ids of seller and buyer, or NULL: an invoice
 * with category O (not subject to VAT) carries neither (BR-O-02..04).
 */
const char	*einv_seller_vat_id(const struct invoice *inv);
const char	*einv_buyer_vat_id(const struct invoice *inv);
/* BT-44: the buyer's company when the record names one, else its name. */
const char	*einv_buyer_name(const struct invoice *inv);
/* BT-56: the buyer's person when a company is named too, else NULL. */
const char	*einv_buyer_contact(const struct invoice *inv);
/* BT-70: the deliver-to company when named, else the person. */
const char	*einv_delivery_name(const struct invoice *inv);
/* BT-82: the payment means text, the shop's payment gateway. */
const char	*einv_pay_text(const struct invoice *inv);
/*
 * BT-83: the remittance information: the invoice number for a credit
 * transfer (30, 58), else the gateway's transaction id (may be NULL).
 */
const char	*einv_remittance(const struct invoice *inv);
/* 1 when the payment means is a credit transfer to an IBAN (BG-17). */
int	einv_pay_account(const struct invoice *inv);

/* Formatting */

/* An amount with exactly the currency's decimals ("19.90"). */
char	*einv_amount(const struct invoice *inv, int64_t minor,
	    char buf[DEC_BUFSZ]);
/* A rate without trailing zeros ("19", "5.5", "0"). */
char	*einv_rate(int64_t rate_bp, char buf[DEC_BUFSZ]);
/* "YYYY-MM-DD" as CII's format 102, "YYYYMMDD" (9 bytes). */
void	einv_date102(const char *iso, char out[9]);

/*
 * The file name of an invoice's document: its number with every
 * character outside A-Z a-z 0-9 . _ - replaced by '_', a leading dot
 * too, and ".xml" appended (out has EINV_NAME_MAX bytes).  KR_OK, or
 * KR_BAD_INPUT for an empty number or one too long for a file name.
 */
int	einvoice_file_name(const char *number, char out[EINV_NAME_MAX],
	    struct kerr *e);

/* Reading back */


#endif

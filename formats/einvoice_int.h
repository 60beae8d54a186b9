#ifndef KONTOR_EINVOICE_INT_H
#define KONTOR_EINVOICE_INT_H

/*
 * The e-invoice checker's inside: one semantic model of an invoice,
 * filled from UBL (einvoice_ubl.c) or CII (einvoice_cii.c), and the rule
 * sets that judge it (einvoice_rules.c, einvoice_vat.c, einvoice_codes.c,
 * einvoice_de.c).
 *
 * Every value keeps its text exactly as written (NULL when the element
 * is absent) and the XML node it came from, so that a finding can name
 * the element.  Numbers are held as int64 millionths (EINV_SCALE) beside
 * their text; the rules compute with them in 128 bits and round the way
 * the official schematron does.  The arrays of a model live in its arena
 * and die with it; its strings are mostly the texts of the libxml2
 * document, the others in the arena.  Nodes and texts belong to the
 * document, which must outlive the model.  A model built by hand (tests)
 * may leave every node NULL.
 */

#include <stdint.h>

#include "arena.h"
#include "einvoice_check.h"

#define EINV_SCALE	6		/* numbers in millionths */
#define EINV_ONE	1000000LL	/* 1 at EINV_SCALE */
#define EINV_INT_DIGITS_MAX	12	/* larger numbers are refused */

#define EINV_MSG_MAX	512
#define EINV_WHERE_MAX	512

/* A value: its text as written, or NULL when the element is absent. */
struct einv_val {
	const char *s;
	const void *node;	/* xmlNode, NULL when absent or built */
};

/* A decimal value with the attributes the rules read. */
struct einv_num {
	const char *s;		/* text as written, NULL when absent */
	const void *node;
	const char *currency;	/* @currencyID, NULL when absent */
	const char *unit;	/* @unitCode, NULL when absent */
	int64_t e6;		/* the value at EINV_SCALE, when ok */
	int ok;			/* 1: s is a decimal */
	int decimals;		/* characters after the first '.' */
};

/* A VAT category: BT-95/96, BT-102/103, BT-118/119/120/121, BT-151/152. */
struct einv_cat {
	const void *node;	/* NULL when the group is absent */
	struct einv_val code;
	struct einv_num rate;
	int vat;		/* the tax scheme / type code is VAT */
	int vat_trimmed;	/* so it is after white space is trimmed:
				   the same in UBL, BR-CO-17's test in CII */
	struct einv_val reason, reason_code;
	struct einv_val scheme;	/* UBL TaxScheme/ID, CII TypeCode */
	int code_as_is;		/* CII: the category rules compare the
				   code as it stands, UBL's trim it */
};

/* An allowance or charge, document level (BG-20/21) or line (BG-27/28). */
struct einv_ac {
	const void *node;
	struct einv_val indicator;
	int charge;		/* 1 charge, 0 allowance, -1 not a boolean */
	struct einv_num amount, base, percent;
	struct einv_val reason, reason_code;
	struct einv_cat cat;	/* document level only */
};

struct einv_party {
	const void *node;	/* NULL when the party is absent */
	struct einv_val name;		/* BT-27, BT-44, BT-59, BT-62 */
	struct einv_val trading_name;	/* BT-28, BT-45 */
	struct einv_val id;		/* BT-29, BT-46, BT-60: the first */
	struct einv_val sepa_id;	/* BT-90 on the seller (UBL) */
	struct einv_val legal_id;	/* BT-30, BT-47, BT-61 */
	struct einv_val vat_id;		/* BT-31, BT-48, BT-63 */
	struct einv_val tax_number;	/* BT-32 */
	int n_tax_ids;			/* every tax registration */
	struct einv_val endpoint;	/* BT-34, BT-49 */
	struct einv_val endpoint_scheme;
	const void *addr_node;		/* BG-5, BG-8, BG-12 */
	struct einv_val street, city, postcode, country;
	const void *contact_node;	/* BG-6, BG-9 */
	struct einv_val contact_name, phone, email;
};

struct einv_line {
	const void *node;
	struct einv_val id;		/* BT-126 */
	struct einv_num qty;		/* BT-129, unit BT-130 */
	struct einv_num net;		/* BT-131 */
	const void *price_node;
	struct einv_num price;		/* BT-146 */
	struct einv_num base_qty;	/* BT-149, unit BT-150 */
	const void *gross_node;		/* UBL Price/AllowanceCharge */
	struct einv_val gross_indicator;
	struct einv_num gross;		/* BT-148 */
	struct einv_num discount;	/* BT-147 */
	struct einv_cat cat;		/* BT-151, BT-152: the first */
	int n_cat;			/* VAT categories given */
	struct einv_val name;		/* BT-153 */
	struct einv_val std_id;		/* BT-157, scheme in std_scheme */
	struct einv_val std_scheme;
	const void *period_node;	/* BG-26 */
	struct einv_val period_start, period_end;
	struct einv_ac *ac;		/* BG-27, BG-28 */
	size_t n_ac, cap_ac;
};

/* One VAT breakdown (BG-23). */
struct einv_vat {
	const void *node;
	struct einv_num taxable;	/* BT-116 */
	struct einv_num tax;		/* BT-117 */
	struct einv_cat cat;		/* BT-118..BT-121 */
	int total;			/* index into taxtotal, -1 none */
};

/* A total VAT amount: UBL TaxTotal/TaxAmount, CII TaxTotalAmount. */
struct einv_taxtotal {
	const void *node;		/* UBL TaxTotal; CII the amount */
	struct einv_num amount;
	int n_sub;			/* breakdowns under it */
	int summed;			/* BR-CO-14 applies to it */
};

/* Payment instructions (BG-16). */
struct einv_pm {
	const void *node;
	struct einv_val code;		/* BT-81 */
	const void *account_node;	/* BG-17 */
	struct einv_val account_id;	/* BT-84: IBAN or other */
	struct einv_val account_iban;	/* CII IBANID */
	struct einv_val account_other;	/* CII ProprietaryID */
	const void *card_node;		/* BG-18 */
	struct einv_val card_pan;	/* BT-87 */
	const void *mandate_node;	/* BG-19 (UBL PaymentMandate) */
	struct einv_val mandate_id;	/* BT-89 (UBL) */
	struct einv_val debited_id;	/* BT-91 */
	const void *payer_bank_node;	/* CII only */
	const void *payee_bank_node;	/* CII only */
};

struct einv_ref {
	const void *node;
	struct einv_val id, date;	/* BT-25, BT-26 */
};

struct einvoice {
	enum einv_syntax syntax;
	int credit_note;		/* UBL CreditNote root */
	const void *root;

	struct einv_val customization;	/* BT-24 */
	const void *context_node;	/* CII ExchangedDocumentContext */
	struct einv_val profile_id;	/* BT-23 */
	struct einv_val number;		/* BT-1 */
	struct einv_val issue_date;	/* BT-2 */
	struct einv_val type_code;	/* BT-3 */
	struct einv_val currency;	/* BT-5 */
	struct einv_val tax_currency;	/* BT-6 */
	struct einv_val tax_point_date;	/* BT-7 */
	struct einv_val due_date;	/* BT-9 */
	struct einv_val buyer_ref;	/* BT-10 */
	struct einv_val terms;		/* BT-20: the first */
	const void *terms_node;		/* UBL PaymentTerms / CII terms */
	struct einv_val mandate_id;	/* BT-89 (CII) */
	struct einv_val creditor_id;	/* BT-90 (CII) */
	const void *settlement_node;	/* CII header settlement */
	const void *trade_node;		/* CII SupplyChainTradeTransaction */
	struct einv_val *note;		/* BT-22 */
	size_t n_note, cap_note;

	struct einv_party seller, buyer, payee, taxrep;

	const void *delivery_node;	/* BG-13 */
	struct einv_val delivery_date;	/* BT-72 */
	struct einv_party deliver_to;	/* BT-70, BG-15 in its address */

	const void *period_node;	/* BG-14 */
	struct einv_val period_start, period_end;
	struct einv_val period_code;	/* BT-8 */

	struct einv_ref *ref;		/* BG-3 */
	size_t n_ref, cap_ref;
	struct einv_pm *pm;		/* BG-16 */
	size_t n_pm, cap_pm;
	struct einv_ac *ac;		/* BG-20, BG-21 */
	size_t n_ac, cap_ac;

	const void *totals_node;	/* BG-22 */
	struct einv_num line_total;	/* BT-106 */
	struct einv_num allowance_total;	/* BT-107 */
	struct einv_num charge_total;	/* BT-108 */
	struct einv_num tax_exclusive;	/* BT-109 */
	struct einv_num tax_inclusive;	/* BT-112 */
	struct einv_num prepaid;	/* BT-113 */
	struct einv_num rounding;	/* BT-114 */
	struct einv_num payable;	/* BT-115 */

	struct einv_taxtotal *taxtotal;	/* BT-110, BT-111 */
	size_t n_taxtotal, cap_taxtotal;
	struct einv_vat *vat;		/* BG-23 */
	size_t n_vat, cap_vat;
	struct einv_line *line;		/* BG-25 */
	size_t n_line, cap_line;

	const void **empty;		/* empty elements (Peppol R008) */
	size_t n_empty, cap_empty;
	const void **bad_num;		/* not decimals: reported once */
	size_t n_bad_num, cap_bad_num;
};

/* Where a rule set reports to. */
struct einv_ctx {
	const struct einvoice *inv;
	enum einv_profile profile;
	einvoice_finding_fn fn;
	void *arg;
	struct einvoice_check_stats *stats;
};

enum { EINV_WARN = 0, EINV_FATAL = 1 };

/* Reporting (einvoice_check.c) */

/*
 * Hands one finding to the callback: rule, severity, the location of
 * node (the root when node is NULL) and a printf-style message.
 */
void	einv_report(struct einv_ctx *c, const char *rule, int fatal,
	    const void *node, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/* Writes the XPath-like location of node into buf. */
void	einv_where(const void *node, char *buf, size_t size);

/* Values and numbers (einvoice_val.c) */

/* 1 when the element is present (even empty). */
int	einv_has(const struct einv_val *v);
int	einv_has_num(const struct einv_num *n);
/* 1 when absent or only white space (XPath normalize-space = ''). */
int	einv_blank(const char *s);
/* 1 when s, white space trimmed, equals code. */
int	einv_is(const char *s, const char *code);
/* The same in any case of ASCII letters. */
int	einv_is_nocase(const char *s, const char *code);
/* 1 when s equals code as it stands, white space and all. */
int	einv_is_as_is(const char *s, const char *code);
/*
 * 1 when currency_id, an amount's @currencyID, is the invoice currency
 * (BT-5) as it stands: the official rules pick the amounts in it by
 * plain string equality, white space and all.
 */
int	einv_in_invoice_currency(const struct einvoice *inv,
	    const char *currency_id);
/* Copies s with white space trimmed and inner runs collapsed. */
void	einv_norm(const char *s, char *buf, size_t size);

/*
 * Fills n->e6, n->ok and n->decimals from n->s.  A decimal is an
 * optional sign, digits, an optional point and digits, with white space
 * around; more than EINV_SCALE fractional digits are rounded half away
 * from zero (dec.h), more than EINV_INT_DIGITS_MAX integer digits are
 * refused.
 */
void	einv_num_parse(struct einv_num *n);

/* Division rounding towards negative infinity; b > 0. */
__int128	einv_floor_div(__int128 a, __int128 b);
/*
 * round(x * 100) div 100 as XPath rounds: halves towards positive
 * infinity.  x and the result are at EINV_SCALE.
 */
int64_t	einv_round2_xpath(__int128 x);
/* round(x) of XPath at EINV_SCALE: the integer, halves up. */
int64_t	einv_round0_xpath(int64_t x);
/* Formats an EINV_SCALE value trimmed of trailing zeros, at least 2. */
char	*einv_fmt(__int128 x, char *buf, size_t size);

/* The model (einvoice_ubl.c, einvoice_cii.c) */

/*
 * Reads the tree whose root is root (xmlNode of a parsed document) into
 * inv; strings and arrays go to a.  Returns KR_OK, or KR_TOO_BIG when the
 * arena is full.
 */
int	einv_read_ubl(const void *root, struct einvoice *inv,
	    struct arena *a);
int	einv_read_cii(const void *root, struct einvoice *inv,
	    struct arena *a);

/* Rule sets; each reports through c */

void	einv_rules_core(struct einv_ctx *c);	/* BR-01..BR-65 */
void	einv_rules_calc(struct einv_ctx *c);	/* BR-CO-* */
void	einv_rules_vat(struct einv_ctx *c);	/* BR-S/Z/E/AE/IC/G/O-* */
void	einv_rules_codes(struct einv_ctx *c);	/* BR-CL-*, BR-DEC-* */
void	einv_rules_de(struct einv_ctx *c);	/* BR-DE-* */
void	einv_rules_peppol(struct einv_ctx *c);	/* PEPPOL-EN16931-R* */

/* Runs every rule set that applies to c->profile. */
void	einv_rules_run(struct einv_ctx *c);

/* Code lists (einvoice_codes.c): 1 when code is in the list. */
int	einv_code_country(const char *code);
int	einv_code_vat_category(const char *code);

#endif

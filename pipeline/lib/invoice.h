#ifndef KONTOR_INVOICE_H
#define KONTOR_INVOICE_H

/*
 * The invoice: what kontor-tax numbers, stores and emits, and what every
 * writing stage (DATEV, e-invoices, bundles) reads (docs/records.md,
 * record type "invoice").  A credit note is an invoice with doc_type
 * "381" and a preceding invoice.
 *
 * The record is complete in itself: seller and buyer as they were when
 * the number was drawn, lines, allowances and charges, the VAT breakdown
 * with the revenue account of each part, and the totals.  Later stages
 * never recompute it and never look anything up in the order.
 *
 * Strings are borrowed as in struct order: they point into the parsed
 * record or into inv->arena.  Amounts are minor units of the invoice
 * currency; rates basis points; quantities QTY_SCALE; net unit prices
 * NET_PRICE_SCALE.
 */

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "err.h"
#include "json.h"
#include "order.h"
#include "record.h"

#define NET_PRICE_SCALE	4	/* BT-146 carries four decimals */
#define CATEGORY_MAX	3	/* "S", "Z", "E", "AE", "K", "G", "O" */

struct inv_party {
	const char *name;	/* legal or person name */
	const char *company;	/* buyer's company, when it has one */
	struct address addr;
	const char *vat_id;
	const char *tax_number;		/* seller only */
	const char *register_id;	/* seller only: HRB */
	const char *contact_name;	/* seller only */
	const char *contact_phone;
	const char *contact_email;
	const char *endpoint;		/* electronic address, BT-34/49 */
	const char *endpoint_scheme;	/* "EM" for e-mail */
};

struct inv_line {
	const char *id;			/* "1", "2", ... (BT-126) */
	const char *order_line;		/* the order line it came from */
	const char *sku;
	const char *name;
	const char *unit;
	int64_t qty_e4;
	char category[CATEGORY_MAX];
	int64_t rate_bp;
	int64_t net_minor;		/* BT-131, after the allowance */
	int64_t gross_minor;		/* Mode G: what the customer paid */
	int64_t allowance_minor;	/* line allowance, net (BG-27) */
	const char *allowance_reason;
	int64_t net_price_e4;		/* BT-146, before the allowance */
};

struct inv_adjust {
	int charge;			/* 1 charge (BG-21), 0 allowance */
	const char *reason;
	const char *reason_code;	/* UNTDID 7161 / 5189 */
	char category[CATEGORY_MAX];
	int64_t rate_bp;
	int64_t net_minor;		/* positive */
	int64_t gross_minor;		/* Mode G */
};

struct inv_vat {
	char category[CATEGORY_MAX];
	int64_t rate_bp;
	int64_t taxable_minor;		/* BT-116 */
	int64_t vat_minor;		/* BT-117 */
	int64_t gross_minor;		/* taxable + vat */
	int64_t delta_minor;		/* Mode G: vat - round(taxable*r) */
	const char *exemption_reason;	/* BT-120 */
	const char *exemption_code;	/* BT-121 */
	const char *account;		/* revenue account it is booked on */
	const char *tax_key;		/* DATEV BU-Schlüssel, "" for none */
	char country[3];		/* state whose VAT this is ("FR" for
					 * OSS); "" for Germany */
	int64_t gross_eur_minor;	/* gross in EUR cents when the invoice
					 * is in another currency (has_fx) */
};

struct invoice {
	const char *source_file;
	const char *source_line;
	const char *run_id;
	const char *number;		/* BT-1 */
	const char *doc_type;		/* "380" invoice, "381" credit note */
	int provisional;		/* a preview: no number drawn */
	const char *issue_date;		/* YYYY-MM-DD, BT-2 */
	const char *supply_date;	/* YYYY-MM-DD, BT-72 */
	const char *shop;
	const char *platform;
	const char *order_id;
	const char *order_number;
	const char *refund_id;		/* credit notes */
	const char *preceding_number;	/* BT-25 */
	const char *preceding_date;	/* BT-26 */
	char currency[4];
	int exponent;
	char mode;			/* 'G' gross-priced, 'N' net-priced */
	const char *treatment;		/* "domestic", ... */
	const char *treatment_reason;

	struct inv_party seller;
	struct inv_party buyer;
	struct address delivery;
	const char *buyer_reference;	/* BT-10 */

	struct inv_line *lines;
	size_t nlines, cap_lines;
	struct inv_adjust *adjusts;
	size_t nadjusts, cap_adjusts;
	struct inv_vat *vat;
	size_t nvat, cap_vat;

	int64_t line_net_minor;		/* BT-106 */
	int64_t allowances_minor;	/* BT-107 */
	int64_t charges_minor;		/* BT-108 */
	int64_t net_minor;		/* BT-109 */
	int64_t vat_total_minor;	/* BT-110 */
	int64_t gross_minor;		/* BT-112 */
	int64_t paid_minor;		/* BT-113 */
	int64_t rounding_minor;		/* BT-114 */
	int64_t due_minor;		/* BT-115 */

	/*
	 * An invoice in another currency states its VAT in EUR too (BT-6,
	 * BT-111), converted with the BMF monthly rate of the month of
	 * supply (tax.md §13).
	 */
	int has_fx;
	int64_t fx_rate_e6;		/* units of currency per EUR */
	const char *fx_source;		/* "BMF 2026-10" */
	int64_t vat_eur_minor;		/* BT-111, EUR cents */
	int64_t rounding_eur_minor;	/* BT-114 in EUR cents */

	const char *buyer_vat_check;	/* how far the buyer's VAT id was
					 * checked (vatid.h), "" if none */
	int64_t marketplace_vat_minor;	/* deemed supplier: the VAT the
					 * marketplace collected from the
					 * consumer, not part of the invoice */
	const char *vies_number;	/* a VIES confirmation of the id the
					 * user recorded (vies.h), or NULL */
	const char *vies_date;
	const char *note;		/* BT-22: the legal note (exemption) */

	const char *pay_means;		/* UNTDID 4461, BT-81 */
	const char *pay_gateway;
	const char *pay_transaction;
	const char *pay_terms;		/* BT-20 */
	const char *pay_iban;		/* BT-84, for transfers */

	const char *debitor;		/* DATEV personal account */
	const char *rounding_account;	/* books rounding_minor */

	struct arena *arena;
};

/* Life cycle, as for struct order */
void	invoice_init(struct invoice *inv);
void	invoice_release(struct invoice *inv);
void	invoice_reset(struct invoice *inv);

struct inv_line		*invoice_add_line(struct invoice *inv);
struct inv_adjust	*invoice_add_adjust(struct invoice *inv);
struct inv_vat		*invoice_add_vat(struct invoice *inv);
const char	*invoice_strdup(struct invoice *inv, const char *s);

/*
 * Writes inv as an "invoice" record into a buffer (so that the exact
 * bytes can be stored and hashed before they go out).  Appends to out.
 */
int	invoice_to_json(const struct invoice *inv, struct buf *out);
/* Writes inv as one record line. */
int	invoice_write(const struct invoice *inv, struct rec_out *out);
/* Reads an "invoice" record; every field checked, e names a bad one. */
int	invoice_read(struct invoice *inv, const struct jnode *root,
	    struct kerr *e);
/*
 * As invoice_read, but only what booking the invoice needs (DATEV) and
 * what invoice_check_sums checks: the head, the parties' VAT ids, the
 * category, rate and net amount of each line, allowance and charge, the
 * VAT breakdown, the totals, fx and booking.  The rest stays NULL or 0
 * and is neither read nor checked.
 */
int	invoice_read_booking(struct invoice *inv, const struct jnode *root,
	    struct kerr *e);

/*
 * Copies into to what invoice_read_booking reads of an invoice, from
 * inv, an invoice in memory, with every string and array in a; the rest
 * of to is NULL or 0, as after invoice_read_booking.  to->arena stays
 * NULL: to is read, never grown.
 */
void	invoice_copy_booking(struct invoice *to, const struct invoice *inv,
	    struct arena *a);

/*
 * Checks the sums a well-formed invoice keeps (BT-106 = sum of BT-131,
 * BT-109 = BT-106 - BT-107 + BT-108, per breakdown the taxable amount is
 * the sum of its lines and adjustments, BT-110 = sum of BT-117, BT-112 =
 * BT-109 + BT-110, BT-115 = BT-112 - BT-113 + BT-114).  A failure is a
 * program error in kontor-tax or a damaged record; e says which sum.
 */
int	invoice_check_sums(const struct invoice *inv, struct kerr *e);

/*
 * The character that stands for number[i] in the file name of the
 * number's documents: A-Z a-z 0-9 . _ - as they are, a leading dot and
 * everything else as '_'.  The one mapping from numbers to file names:
 * einvoice_file_name writes with it, and the configuration check
 * refuses invoice and credit series that it would make alike.
 */
char	invoice_file_char(const char *number, size_t i);

#endif

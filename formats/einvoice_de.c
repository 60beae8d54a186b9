/*
 * The XRechnung 3.0 rules of KoSIT's schematron 2.5.0 (BR-DE-*), as far
 * as kontor can break them.  Severities are those of KoSIT's validator
 * configuration: BR-DE-17, -19, -20, -21, -26, -27 and -28 are warnings,
 * BR-DE-TMP-32 is information (reported as a warning), all others are
 * fatal.  Left out: BR-DE-22 (attachments, which kontor does not send),
 * BR-TMP-2 (external document links), the extension and CVD rules
 * (BR-DEX-*, BR-DE-CVD-*).  The Peppol rules XRechnung adopts are in
 * einvoice_peppol.c.
 */
#include <stdio.h>
#include <string.h>

#include "einvoice_int.h"

#define UBL(c)	((c)->inv->syntax == EINV_UBL)

#define XR_ID	"urn:cen.eu:en16931:2017#compliant#" \
	"urn:xeinkauf.de:kosit:xrechnung_3.0"

static void
need(struct einv_ctx *c, const char *rule, const void *ctx,
    const struct einv_val *v, const char *what)
{
	if (einv_blank(v->s))
		einv_report(c, rule, EINV_FATAL, v->node ? v->node : ctx,
		    "%s is %s", what, v->s == NULL ? "missing" : "empty");
}

/* BR-DE-27: at least three digits. */
static int
phone_ok(const char *s)
{
	int digits = 0;

	for (; s != NULL && *s != '\0'; s++)
		digits += *s >= '0' && *s <= '9';
	return digits >= 3;
}

static int
is_space(int ch)
{
	return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/*
 * BR-DE-28: one '@' with something on both sides, the domain made of
 * dot-separated non-empty labels, no white space anywhere.
 */
static int
email_ok(const char *s)
{
	char e[256];
	const char *at, *p;
	int label = 0, dots = 0;

	einv_norm(s, e, sizeof(e));
	at = strchr(e, '@');
	if (at == NULL || at == e || strchr(at + 1, '@') != NULL)
		return 0;
	for (p = e; *p != '\0'; p++)
		if (is_space((unsigned char)*p))
			return 0;
	for (p = at + 1; *p != '\0'; p++) {
		if (*p == '.') {
			if (label == 0)
				return 0;
			dots++;
			label = 0;
		} else {
			label++;
		}
	}
	return dots > 0 && label > 0;
}

static void
rules_seller(struct einv_ctx *c)
{
	const struct einv_party *s = &c->inv->seller;

	if (s->node != NULL && s->contact_node == NULL)
		einv_report(c, "BR-DE-2", EINV_FATAL, s->node,
		    "the seller contact (BG-6) is missing");
	if (s->addr_node != NULL) {
		need(c, "BR-DE-3", s->addr_node, &s->city,
		    "the seller city (BT-37)");
		need(c, "BR-DE-4", s->addr_node, &s->postcode,
		    "the seller post code (BT-38)");
	}
	if (s->contact_node == NULL)
		return;
	need(c, "BR-DE-5", s->contact_node, &s->contact_name,
	    "the seller contact point (BT-41)");
	need(c, "BR-DE-6", s->contact_node, &s->phone,
	    "the seller contact telephone (BT-42)");
	need(c, "BR-DE-7", s->contact_node, &s->email,
	    "the seller contact e-mail (BT-43)");
	if (!phone_ok(s->phone.s))
		einv_report(c, "BR-DE-27", EINV_WARN,
		    s->phone.node ? s->phone.node : s->contact_node,
		    "the seller telephone (BT-42) should hold at least three "
		    "digits");
	if (!email_ok(s->email.s))
		einv_report(c, "BR-DE-28", EINV_WARN,
		    s->email.node ? s->email.node : s->contact_node,
		    "the seller e-mail (BT-43) should be one address with "
		    "exactly one @");
}

static void
rules_addresses(struct einv_ctx *c)
{
	const struct einv_party *b = &c->inv->buyer, *d = &c->inv->deliver_to;

	if (b->addr_node != NULL) {
		need(c, "BR-DE-8", b->addr_node, &b->city,
		    "the buyer city (BT-52)");
		need(c, "BR-DE-9", b->addr_node, &b->postcode,
		    "the buyer post code (BT-53)");
	}
	if (d->addr_node != NULL) {
		need(c, "BR-DE-10", d->addr_node, &d->city,
		    "the deliver-to city (BT-77)");
		need(c, "BR-DE-11", d->addr_node, &d->postcode,
		    "the deliver-to post code (BT-78)");
	}
}

/* BR-DE-16: S, Z, E, AE, K, G, L, M need BT-31, BT-32 or BG-11. */
static void
rule_tax_ids(struct einv_ctx *c)
{
	static const char *const codes[] = {
		"S", "Z", "E", "AE", "K", "G", "L", "M"
	};
	const struct einvoice *inv = c->inv;
	size_t i, k;
	int used = 0;

	for (i = 0; i < inv->n_line + inv->n_ac; i++) {
		const struct einv_cat *cat = i < inv->n_line ?
		    &inv->line[i].cat : &inv->ac[i - inv->n_line].cat;

		for (k = 0; k < sizeof(codes) / sizeof(codes[0]); k++)
			used |= cat->node != NULL && einv_is(cat->code.s,
			    codes[k]);
	}
	if (used && einv_blank(inv->seller.vat_id.s) &&
	    einv_blank(inv->seller.tax_number.s) && inv->taxrep.node == NULL)
		einv_report(c, "BR-DE-16", EINV_FATAL,
		    inv->seller.node ? inv->seller.node : inv->root,
		    "taxed supplies need the seller's VAT identifier (BT-31) "
		    "or tax number (BT-32)");
}

/*
 * BR-DE-18: each line of the first payment terms that starts with '#'
 * is #SKONTO#TAGE=n#PROZENT=n.nn# with an optional #BASISBETRAG=n.nn
 * before the closing '#', and the last such line ends with a line break.
 */
static int
skonto_line_ok(const char *line)
{
	const char *p = line;

	if (strncmp(p, "#SKONTO#TAGE=", 13) != 0)
		return 0;
	p += 13;
	if (*p < '0' || *p > '9')
		return 0;
	p += strspn(p, "0123456789");
	if (strncmp(p, "#PROZENT=", 9) != 0)
		return 0;
	p += 9;
	if (strspn(p, "0123456789") == 0)
		return 0;
	p += strspn(p, "0123456789");
	if (p[0] != '.' || strspn(p + 1, "0123456789") < 2)
		return 0;
	p += 3;
	if (strncmp(p, "#BASISBETRAG=", 13) == 0) {
		p += 13;
		p += *p == '-';
		if (strspn(p, "0123456789") == 0)
			return 0;
		p += strspn(p, "0123456789");
		if (p[0] != '.' || strspn(p + 1, "0123456789") < 2)
			return 0;
		p += 3;
	}
	return strcmp(p, "#") == 0;
}

static int
skonto_ok(const char *terms)
{
	const char *p = terms, *nl, *after = NULL;
	char line[512];
	int skonto = 0;

	for (; p != NULL && *p != '\0'; p = nl ? nl + 1 : NULL) {
		const char *first, *last;
		size_t n;

		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		first = memchr(p, '#', n);
		last = first ? memrchr(p, '#', n) : NULL;
		if (first != NULL && last > first + 1)
			after = last + 1;	/* the text after "#.+#" */
		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		einv_norm(line, line, sizeof(line));
		if (line[0] == '#' && !skonto_line_ok(line))
			return 0;
		skonto |= line[0] == '#';
	}
	if (!skonto || after == NULL)
		return 1;	/* no cash discount lines: nothing to check */
	for (; *after != '\0' && is_space((unsigned char)*after); after++)
		if (*after == '\n')
			return 1;
	return 0;
}

/* BR-DE-1, -15, -16, -17, -18, -21, -26, BR-DE-TMP-32. */
static void
rules_document(struct einv_ctx *c)
{
	static const char *const types[] = {
		"326", "380", "384", "389", "381", "875", "876", "877"
	};
	const struct einvoice *inv = c->inv;
	size_t i;
	int ok = 0, periods = inv->n_line > 0;

	if (inv->n_pm == 0)
		einv_report(c, "BR-DE-1", EINV_FATAL, inv->root,
		    "the payment instructions (BG-16) are missing");
	need(c, "BR-DE-15", inv->root, &inv->buyer_ref,
	    "the buyer reference (BT-10)");
	rule_tax_ids(c);
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		ok |= einv_is(inv->type_code.s, types[i]);
	if (!ok)
		einv_report(c, "BR-DE-17", EINV_WARN, inv->type_code.node ?
		    inv->type_code.node : inv->root, "the invoice type code "
		    "(BT-3) should be 326, 380, 384, 389, 381, 875, 876 or "
		    "877");
	if (inv->terms.s != NULL && !skonto_ok(inv->terms.s))
		einv_report(c, "BR-DE-18", EINV_FATAL, inv->terms.node,
		    "cash discount lines in the payment terms (BT-20) must "
		    "read #SKONTO#TAGE=n#PROZENT=n.nn# and end with a line "
		    "break");
	if (inv->customization.s == NULL ||
	    (strcmp(inv->customization.s, XR_ID) != 0 &&
	    strncmp(inv->customization.s, XR_ID "#", strlen(XR_ID) + 1) != 0))
		einv_report(c, "BR-DE-21", EINV_WARN,
		    inv->customization.node ? inv->customization.node :
		    inv->root, "the specification identifier (BT-24) should "
		    "be %s", XR_ID);
	if (einv_is(inv->type_code.s, "384") && inv->n_ref == 0)
		einv_report(c, "BR-DE-26", EINV_WARN, inv->root,
		    "a corrected invoice (384) should name the invoice it "
		    "corrects (BG-3)");
	for (i = 0; i < inv->n_line; i++)
		periods &= inv->line[i].period_node != NULL;
	if (inv->delivery_date.s == NULL && inv->period_node == NULL &&
	    !periods)
		einv_report(c, "BR-DE-TMP-32", EINV_WARN, inv->root,
		    "give the delivery date (BT-72), the invoicing period "
		    "(BG-14) or a period on every line");
}

/* The IBAN check of BR-DE-19 and BR-DE-20 (ISO 13616 mod 97). */
static int
iban_ok(const char *s)
{
	char iban[64];
	size_t n = 0, i;
	unsigned rem = 0;

	for (; s != NULL && *s != '\0'; s++)
		if (!is_space((unsigned char)*s) && n + 1 < sizeof(iban))
			iban[n++] = *s;
	iban[n] = '\0';
	if (n < 4 || n > 34 || iban[0] < 'A' || iban[0] > 'Z' ||
	    iban[1] < 'A' || iban[1] > 'Z' || iban[2] < '0' ||
	    iban[2] > '9' || iban[3] < '0' || iban[3] > '9')
		return 0;
	for (i = 4; i < n; i++)
		if (!((iban[i] >= '0' && iban[i] <= '9') ||
		    (iban[i] >= 'A' && iban[i] <= 'Z') ||
		    (iban[i] >= 'a' && iban[i] <= 'z')))
			return 0;
	for (i = 0; i < n; i++) {
		int ch = (unsigned char)iban[(i + 4) % n];

		if (ch <= '9')
			rem = (rem * 10 + (unsigned)(ch - '0')) % 97;
		else
			rem = (rem * 100 + (unsigned)(ch - 55)) % 97;
	}
	return rem == 1;
}

/* 1 when the CII document holds any part of a direct debit (BG-19). */
static int
cii_debit(const struct einvoice *inv, const struct einv_pm *pm)
{
	return inv->mandate_id.s != NULL || inv->creditor_id.s != NULL ||
	    (pm != NULL && pm->debited_id.s != NULL);
}

static int
has_debit(const struct einv_ctx *c, const struct einv_pm *pm)
{
	return UBL(c) ? pm->mandate_node != NULL : cii_debit(c->inv, pm);
}

/* BR-DE-23 to BR-DE-25 and BR-DE-19, BR-DE-20 for one BG-16. */
static void
rules_means(struct einv_ctx *c, const struct einv_pm *pm)
{
	int transfer = einv_is(pm->code.s, "30") || einv_is(pm->code.s, "58");
	int card = einv_is(pm->code.s, "48") || einv_is(pm->code.s, "54") ||
	    einv_is(pm->code.s, "55");
	const char *iban = UBL(c) ? pm->account_id.s : pm->account_iban.s;

	if (transfer && pm->account_node == NULL)
		einv_report(c, "BR-DE-23-a", EINV_FATAL, pm->node,
		    "a credit transfer (%s) needs the payee account (BG-17)",
		    pm->code.s);
	if (transfer && (pm->card_node != NULL || has_debit(c, pm)))
		einv_report(c, "BR-DE-23-b", EINV_FATAL, pm->node,
		    "a credit transfer must not carry card (BG-18) or direct "
		    "debit (BG-19) data");
	if (einv_is(pm->code.s, "58") && !iban_ok(iban))
		einv_report(c, "BR-DE-19", EINV_WARN, pm->account_node ?
		    pm->account_node : pm->node, "the payment account "
		    "(BT-84) should be a valid IBAN, got \"%s\"",
		    iban ? iban : "");
	if (card && pm->card_node == NULL)
		einv_report(c, "BR-DE-24-a", EINV_FATAL, pm->node,
		    "a card payment (%s) needs the card data (BG-18)",
		    pm->code.s);
	if (card && (pm->account_node != NULL || has_debit(c, pm)))
		einv_report(c, "BR-DE-24-b", EINV_FATAL, pm->node,
		    "a card payment must not carry account (BG-17) or "
		    "direct debit (BG-19) data");
	if (!einv_is(pm->code.s, "59"))
		return;
	if (!has_debit(c, pm))
		einv_report(c, "BR-DE-25-a", EINV_FATAL, pm->node,
		    "a direct debit (59) needs the direct debit data (BG-19)");
	if (pm->account_node != NULL || pm->card_node != NULL ||
	    (!UBL(c) && (pm->payee_bank_node != NULL ||
	    pm->payer_bank_node != NULL)))
		einv_report(c, "BR-DE-25-b", EINV_FATAL, pm->node,
		    "a direct debit must not carry account (BG-17) or card "
		    "(BG-18) data");
	if (!iban_ok(pm->debited_id.s))
		einv_report(c, "BR-DE-20", EINV_WARN, pm->mandate_node ?
		    pm->mandate_node : pm->node, "the debited account "
		    "(BT-91) should be a valid IBAN, got \"%s\"",
		    pm->debited_id.s ? pm->debited_id.s : "");
}

/* BR-DE-30, BR-DE-31: a direct debit names creditor and account. */
static void
rules_debit(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	int debit = 0, debited = 0;
	size_t i;

	for (i = 0; i < inv->n_pm; i++) {
		debit |= has_debit(c, &inv->pm[i]);
		debited |= inv->pm[i].debited_id.s != NULL;
	}
	if (!UBL(c))
		debit |= cii_debit(inv, NULL);
	if (!debit)
		return;
	if (UBL(c) ? (inv->seller.sepa_id.s == NULL &&
	    inv->payee.sepa_id.s == NULL) : (inv->creditor_id.s == NULL ||
	    (inv->mandate_id.s == NULL && !debited)))
		einv_report(c, "BR-DE-30", EINV_FATAL, inv->root,
		    "a direct debit (BG-19) needs the creditor identifier "
		    "(BT-90)");
	if (!debited || (!UBL(c) && inv->mandate_id.s == NULL &&
	    inv->creditor_id.s == NULL))
		einv_report(c, "BR-DE-31", EINV_FATAL, inv->root,
		    "a direct debit (BG-19) needs the debited account "
		    "(BT-91)");
}

void
einv_rules_de(struct einv_ctx *c)
{
	const struct einvoice *inv = c->inv;
	size_t i;

	rules_document(c);
	rules_seller(c);
	rules_addresses(c);
	for (i = 0; i < inv->n_pm; i++)
		rules_means(c, &inv->pm[i]);
	rules_debit(c);
	for (i = 0; i < inv->n_vat; i++)
		if (einv_blank(inv->vat[i].cat.rate.s))
			einv_report(c, "BR-DE-14", EINV_FATAL,
			    inv->vat[i].cat.node ? inv->vat[i].cat.node :
			    inv->vat[i].node, "the VAT rate (BT-119) is "
			    "missing");
}

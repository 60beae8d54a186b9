/*
 * The bookings of an invoice or credit note (datev.md §7): the part of
 * the DATEV writer that knows struct invoice.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "datev.h"
#include "dec.h"
#include "jfield.h"
#include "ktime.h"
#include "vatid.h"

#define BOOKING_TEXT_MAX	256	/* before the 60-character check */

static int
inv_fail(struct kerr *e, const struct invoice *inv, const char *field,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
inv_fail(struct kerr *e, const struct invoice *inv, const char *field,
    const char *fmt, ...)
{
	char msg[KERR_MSG_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return kerr_set(e, KR_BAD_INPUT, field, "invoice \"%.64s\": %s",
	    inv->number ? inv->number : "", msg);
}

static int
is_set(const char *s)
{
	return s != NULL && s[0] != '\0';
}

static int
digits_only(const char *s)
{
	return is_set(s) && s[strspn(s, "0123456789")] == '\0';
}

static int
check_head(const struct config *cfg, const struct invoice *inv,
    struct kerr *e)
{
	if (strcmp(inv->doc_type, "380") != 0 &&
	    strcmp(inv->doc_type, "381") != 0)
		return inv_fail(e, inv, "doc_type", "expected \"380\" or "
		    "\"381\", got \"%.10s\"", inv->doc_type);
	if (!ktime_valid_date(inv->issue_date))
		return inv_fail(e, inv, "issue_date", "expected a date like "
		    "\"2026-12-04\", got \"%.20s\"", inv->issue_date);
	if (cfg->service_dates && !ktime_valid_date(inv->supply_date))
		return inv_fail(e, inv, "supply_date", "expected a date like "
		    "\"2026-12-04\", got \"%.20s\"", inv->supply_date);
	return KR_OK;
}

/* 1 when acct is a general ledger account: 1 to n digits, not 0. */
static int
ledger_ok(const struct config *cfg, const char *acct)
{
	return is_set(acct) && digits_only(acct) && strlen(acct) <=
	    (size_t)cfg->account_length && acct[strspn(acct, "0")] != '\0';
}

/* The account at field, or why it is none. */
static int
check_ledger(const struct config *cfg, const struct invoice *inv,
    const char *acct, const char *field, struct kerr *e)
{
	if (ledger_ok(cfg, acct))
		return KR_OK;
	if (!is_set(acct))
		return inv_fail(e, inv, field, "no account to book on");
	return inv_fail(e, inv, field, "expected a general ledger account "
	    "of 1 to %d digits (datev.account_length), got \"%.20s\"",
	    cfg->account_length, acct);
}

/* "vat[i].key", for a breakdown's field that is refused. */
static const char *
vat_field(char field[48], size_t i, const char *key)
{
	char elem[48];

	jf_path_index(elem, sizeof(elem), "", "vat", i);
	jf_path(field, 48, elem, key);
	return field;
}

static int
check_accounts(const struct config *cfg, const struct invoice *inv,
    struct kerr *e)
{
	const char *d = inv->debitor;
	char field[48];
	size_t i;

	if (!is_set(d))
		return inv_fail(e, inv, "booking.debitor", "no debitor");
	if (!digits_only(d) || strlen(d) != (size_t)cfg->account_length + 1 ||
	    d[0] < '1' || d[0] > '6')
		return inv_fail(e, inv, "booking.debitor", "expected a "
		    "debitor of %d digits starting with 1 to 6, got \"%.20s\"",
		    cfg->account_length + 1, d);
	for (i = 0; i < inv->nvat; i++) {
		const struct inv_vat *v = &inv->vat[i];

		if (!ledger_ok(cfg, v->account))
			return check_ledger(cfg, inv, v->account,
			    vat_field(field, i, "account"), e);
		if (is_set(v->tax_key) && (!digits_only(v->tax_key) ||
		    strlen(v->tax_key) > 4))
			return inv_fail(e, inv, vat_field(field, i, "tax_key"),
			    "expected a DATEV key of up to 4 digits, got "
			    "\"%.10s\"", v->tax_key);
	}
	if (inv->rounding_minor != 0)
		return check_ledger(cfg, inv, inv->rounding_account,
		    "booking.rounding_account", e);
	return KR_OK;
}

/* The EUR figure of a foreign amount: there when the amount is. */
static int
check_eur(const struct invoice *inv, int64_t amount_minor, int64_t eur,
    const char *field, struct kerr *e)
{
	if (amount_minor == 0)
		return KR_OK;
	if (eur == 0 || (eur < 0) != (amount_minor < 0))
		return inv_fail(e, inv, field, "expected the amount in EUR "
		    "for Basis-Umsatz, of the same sign as the amount in %s",
		    inv->currency);
	return KR_OK;
}

/*
 * Columns 3 to 6 (datev.md §3, §4): an invoice in another currency is
 * booked in it, with the BMF rate as Kurs and its EUR figures as
 * Basis-Umsatz, all of them from the record (fxinvoice.h).
 */
static int
check_fx(const struct invoice *inv, struct kerr *e)
{
	char field[48];
	size_t i;
	int rc;

	if (strcmp(inv->currency, "EUR") == 0) {
		if (inv->has_fx)
			return inv_fail(e, inv, "fx", "an invoice in EUR has "
			    "no exchange rate");
		return KR_OK;
	}
	if (!inv->has_fx)
		return inv_fail(e, inv, "fx", "an invoice in %s needs its EUR "
		    "figures (fx) for Kurs and Basis-Umsatz", inv->currency);
	if (inv->exponent < 0 || inv->exponent > 2)
		return inv_fail(e, inv, "currency", "amounts in %s have %d "
		    "decimals; DATEV books two at most", inv->currency,
		    inv->exponent);
	if (inv->fx_rate_e6 <= 0 || inv->fx_rate_e6 > DATEV_RATE_MAX)
		return inv_fail(e, inv, "fx.rate", "DATEV takes a Kurs above "
		    "0 with at most four integer digits");
	for (i = 0; i < inv->nvat; i++) {
		if ((rc = check_eur(inv, inv->vat[i].gross_minor,
		    inv->vat[i].gross_eur_minor,
		    vat_field(field, i, "gross_eur"), e)) != KR_OK)
			return rc;
	}
	return check_eur(inv, inv->rounding_minor, inv->rounding_eur_minor,
	    "fx.rounding", e);
}

/*
 * Which of the EU columns 40, 41 and 123 a treatment fills (datev.md
 * §3, §7, §8): the destination country, its rate and the seller's VAT
 * id for a distance sale under OSS; the buyer's VAT id for a tax-free
 * intra-EU supply; none for the rest.  A treatment not in the list is
 * refused rather than booked without the columns it may need.
 */
enum eu_cols {
	EU_NONE,
	EU_OSS,		/* 40 destination state, 41 its rate, 123 own id */
	EU_INTRA	/* 40 the buyer's VAT id */
};

static const struct {
	const char *name;
	enum eu_cols cols;
} treatments[] = {
	{"domestic", EU_NONE},
	{"domestic-b2b", EU_NONE},
	{"eu-consumer-de", EU_NONE},
	{"export", EU_NONE},
	{"small-business", EU_NONE},
	{"deemed-supplier", EU_NONE},	/* to the marketplace, no VAT */
	{"oss", EU_OSS},
	{"intra-eu", EU_INTRA},
};

/* The VAT prefixes of the member states and XI; Greece is EL. */
static int
eu_prefix(const char *cc)
{
	static const char list[] = "AT BE BG CY CZ DE DK EE EL ES FI FR HR "
	    "HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI";
	size_t i;

	if (strlen(cc) != 2)
		return 0;
	for (i = 0; i + 2 <= sizeof(list) - 1; i += 3)
		if (memcmp(list + i, cc, 2) == 0)
			return 1;
	return 0;
}

static int
eu_cols_of(const struct invoice *inv, enum eu_cols *cols, struct kerr *e)
{
	size_t i;

	for (i = 0; i < sizeof(treatments) / sizeof(treatments[0]); i++)
		if (inv->treatment != NULL &&
		    strcmp(inv->treatment, treatments[i].name) == 0) {
			*cols = treatments[i].cols;
			return KR_OK;
		}
	return inv_fail(e, inv, "treatment", "kontor does not book the "
	    "treatment \"%.30s\"", inv->treatment ? inv->treatment : "");
}

/* A VAT id as DATEV's EU columns take it: normalised, EU prefix. */
static int
eu_vat_id(const struct invoice *inv, const char *id, const char *field,
    char out[VATID_MAX], struct kerr *e)
{
	struct vatid v;

	if (!is_set(id))
		return inv_fail(e, inv, field, "treatment %s: EU-Land u. "
		    "UStID needs this VAT id, and the invoice has none",
		    inv->treatment);
	if (vatid_check(id, &v) == VATID_SYNTAX_INVALID || v.id[0] == '\0' ||
	    !eu_prefix(v.prefix))
		return inv_fail(e, inv, field, "\"%.20s\" is no EU VAT id "
		    "DATEV can take: %s", id, v.msg);
	memcpy(out, v.id, VATID_MAX);
	return KR_OK;
}

/* A member state's ISO code as DATEV's EU columns spell it: GR is EL. */
static void
eu_spell(const char *iso, char out[3])
{
	snprintf(out, 3, "%s", strcmp(iso, "GR") == 0 ? "EL" : iso);
}

/* The destination state of a breakdown under OSS, as DATEV spells it. */
static int
eu_country(const struct invoice *inv, size_t k, struct kerr *e)
{
	const char *cc = inv->vat[k].country;
	char field[48], out[3];

	eu_spell(cc, out);
	if (eu_prefix(out) && strcmp(out, "DE") != 0)
		return KR_OK;
	snprintf(field, sizeof(field), "vat[%zu].country", k);
	return inv_fail(e, inv, field, "a distance sale under OSS needs the "
	    "member state the goods went to, got \"%.4s\"", cc);
}

/* The EU columns of the invoice's rows, by treatment. */
struct eu {
	enum eu_cols cols;
	char dest[VATID_MAX];		/* 40 for EU_INTRA */
	char origin[VATID_MAX];		/* 123 for EU_OSS */
};

static int
eu_make(const struct invoice *inv, struct eu *eu, struct kerr *e)
{
	size_t i;
	int rc;

	memset(eu, 0, sizeof(*eu));
	if ((rc = eu_cols_of(inv, &eu->cols, e)) != KR_OK)
		return rc;
	if (eu->cols == EU_INTRA) {
		if ((rc = eu_vat_id(inv, inv->buyer.vat_id, "buyer.vat_id",
		    eu->dest, e)) != KR_OK)
			return rc;
		if (strncmp(eu->dest, "DE", 2) == 0)
			return inv_fail(e, inv, "buyer.vat_id", "an intra-EU "
			    "supply needs the VAT id of another member state, "
			    "got \"%.20s\"", eu->dest);
	}
	if (eu->cols != EU_OSS)
		return KR_OK;
	if ((rc = eu_vat_id(inv, inv->seller.vat_id, "seller.vat_id",
	    eu->origin, e)) != KR_OK)
		return rc;
	for (i = 0; i < inv->nvat; i++)
		if (inv->vat[i].gross_minor != 0 &&
		    (rc = eu_country(inv, i, e)) != KR_OK)
			return rc;
	return KR_OK;
}

/* What every row of the invoice shares. */
struct common {
	char doc_no[DATEV_DOCNO_MAX + 1];
	char text[BOOKING_TEXT_MAX];
	char text_rounding[BOOKING_TEXT_MAX];
	char side;		/* of the debitor for a positive amount */
};

static char
other_side(char side)
{
	return side == 'S' ? 'H' : 'S';
}

/*
 * a, b and c one after the other into out (size bytes), cut where it is
 * full as snprintf would cut them: the texts of every invoice's rows.
 */
static void
concat(char *out, size_t size, const char *a, const char *b, const char *c)
{
	const char *part[3] = { a, b, c };
	size_t len = 0, n;
	int i;

	for (i = 0; i < 3; i++) {
		n = strlen(part[i]);
		if (n > size - 1 - len)
			n = size - 1 - len;
		memcpy(out + len, part[i], n);
		len += n;
	}
	out[len] = '\0';
}

/* The length of s in Windows-1252, as DATEV counts; counts nothing. */
static size_t
text_length(struct datev_writer *w, const char *s)
{
	long translit = w->enc.n_translit, unknown = w->enc.n_unknown;
	long control = w->enc.n_control;
	struct buf b;
	size_t len;

	buf_init(&b, BOOKING_TEXT_MAX);
	len = cp1252_add(&w->enc, &b, s, strlen(s), NULL) == KR_OK ? b.len :
	    (size_t)-1;
	buf_release(&b);
	w->enc.n_translit = translit;
	w->enc.n_unknown = unknown;
	w->enc.n_control = control;
	return len;
}

static int
common_make(struct datev_writer *w, const struct invoice *inv,
    struct common *c, struct kerr *e)
{
	const struct shop_cfg *shop = config_shop(w->cfg, inv->shop);
	const char *name = shop != NULL && is_set(shop->name) ? shop->name :
	    inv->shop;

	if (!is_set(inv->number))
		return inv_fail(e, inv, "number", "no invoice number");
	if (datev_docno_map(inv->number, DATEV_DOCNO_MAX, c->doc_no,
	    sizeof(c->doc_no)) != KR_OK)
		return inv_fail(e, inv, "number", "Belegfeld 1 takes at most "
		    "%d characters", DATEV_DOCNO_MAX);
	concat(c->text, sizeof(c->text), name, " ", inv->order_number);
	/*
	 * The rounding booking says so where the text leaves room; its
	 * account tells it apart anyway.  Never cut the order number.
	 */
	concat(c->text_rounding, sizeof(c->text_rounding), c->text,
	    " Rundung", "");
	if (text_length(w, c->text_rounding) > DATEV_TEXT_MAX)
		concat(c->text_rounding, sizeof(c->text_rounding), c->text,
		    "", "");
	c->side = strcmp(inv->doc_type, "381") == 0 ? 'H' : 'S';
	return KR_OK;
}

/*
 * A row over amount_minor of the invoice's currency; with fx, eur_minor
 * is its Basis-Umsatz (checked by check_fx to have the same sign).
 */
static void
row_fill(const struct config *cfg, const struct invoice *inv,
    const struct common *c, int64_t amount_minor, int64_t eur_minor,
    struct datev_row *r)
{
	memset(r, 0, sizeof(*r));
	/* DATEV's amounts have two decimals: 11900 JPY is 11900,00. */
	amount_minor *= dec_pow10(2 - inv->exponent);
	r->amount_minor = amount_minor < 0 ? -amount_minor : amount_minor;
	r->side = amount_minor < 0 ? other_side(c->side) : c->side;
	r->currency = inv->currency;
	if (inv->has_fx) {
		r->rate_e6 = inv->fx_rate_e6;
		r->base_minor = eur_minor < 0 ? -eur_minor : eur_minor;
		r->base_currency = "EUR";
	}
	r->account = inv->debitor;
	r->doc_date = inv->issue_date;
	r->doc_no = c->doc_no;
	r->text = c->text;
	r->order_no = inv->order_number;
	if (cfg->service_dates) {
		r->supply_date = inv->supply_date;
		r->period_date = inv->supply_date;
	}
}

/* Columns 40, 41 and 123 of the row of breakdown v. */
static void
row_eu(const struct eu *eu, const struct inv_vat *v, char cc[3],
    struct datev_row *r)
{
	if (eu->cols == EU_INTRA) {
		r->eu_dest = eu->dest;
	} else if (eu->cols == EU_OSS) {
		eu_spell(v->country, cc);
		r->eu_dest = cc;
		r->has_eu_rate = 1;
		r->eu_rate_bp = v->rate_bp;
		r->eu_origin = eu->origin;
	}
}

/*
 * The rows of inv into rows (room for nvat + 1), the destination
 * countries into cc (nvat entries); returns how many rows.
 */
static size_t
rows_make(const struct config *cfg, const struct invoice *inv,
    const struct common *c, const struct eu *eu, char (*cc)[3],
    struct datev_row *rows)
{
	size_t i, n = 0;

	for (i = 0; i < inv->nvat; i++) {
		const struct inv_vat *v = &inv->vat[i];

		if (v->gross_minor == 0)
			continue;	/* nothing to book */
		row_fill(cfg, inv, c, v->gross_minor, v->gross_eur_minor,
		    &rows[n]);
		rows[n].contra = v->account;
		rows[n].tax_key = v->tax_key;
		row_eu(eu, v, cc[i], &rows[n]);
		n++;
	}
	if (inv->rounding_minor != 0) {
		row_fill(cfg, inv, c, inv->rounding_minor,
		    inv->rounding_eur_minor, &rows[n]);
		rows[n].contra = inv->rounding_account;
		rows[n].text = c->text_rounding;
		n++;
	}
	return n;
}

/* The invoice field a DATEV column's value came from. */
static const char *
source_field(const char *column)
{
	static const struct {
		const char *column, *field;
	} map[] = {
		{"Buchungstext", "order_number"},
		{"Auftragsnummer", "order_number"},
		{"Belegdatum", "issue_date"},
		{"Leistungsdatum", "supply_date"},
		{"Datum Zuord. Steuerperiode", "supply_date"},
		{"Umsatz (ohne Soll/Haben-Kz)", "vat"},
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].column, column) == 0)
			return map[i].field;
	return column;
}

/* Names the invoice and its field in an error from the row writer. */
static int
rows_fail(struct kerr *e, const struct invoice *inv, int rc)
{
	char column[KERR_FIELD_MAX], msg[KERR_MSG_MAX];

	if (e == NULL)
		return rc;
	snprintf(column, sizeof(column), "%s", e->field);
	snprintf(msg, sizeof(msg), "%s", e->msg);
	kerr_set(e, rc, source_field(column), "invoice \"%.64s\": %s%s%s",
	    inv->number, column[0] != '\0' ? column : "",
	    column[0] != '\0' ? ": " : "", msg);
	return rc;
}

/* Breakdowns whose rows fit on the stack, with a rounding row. */
#define ROWS_ON_STACK	8

int
datev_writer_add_invoice(struct datev_writer *w, const struct invoice *inv,
    struct datev_note *note, struct kerr *e)
{
	struct datev_row stack_rows[ROWS_ON_STACK], *rows;
	char stack_cc[ROWS_ON_STACK][3], (*cc)[3];
	struct common c;
	struct eu eu;
	size_t n;
	int rc;

	if (note != NULL)
		memset(note, 0, sizeof(*note));
	if ((rc = check_head(w->cfg, inv, e)) != KR_OK ||
	    (rc = check_accounts(w->cfg, inv, e)) != KR_OK ||
	    (rc = check_fx(inv, e)) != KR_OK ||
	    (rc = eu_make(inv, &eu, e)) != KR_OK ||
	    (rc = common_make(w, inv, &c, e)) != KR_OK)
		return rc;

	if (inv->nvat + 1 <= ROWS_ON_STACK) {
		rows = stack_rows;
		cc = stack_cc;
		memset(cc, 0, sizeof(stack_cc));
	} else {
		rows = xcalloc(inv->nvat + 1, sizeof(*rows));
		cc = xcalloc(inv->nvat + 1, sizeof(*cc));
	}
	n = rows_make(w->cfg, inv, &c, &eu, cc, rows);
	rc = datev_writer_add_rows(w, rows, n, note, e);
	if (rows != stack_rows) {
		free(cc);
		free(rows);
	}
	if (rc != KR_OK)
		return rows_fail(e, inv, rc);

	w->n_invoices++;
	if (note != NULL) {
		concat(note->doc_no, sizeof(note->doc_no), c.doc_no, "", "");
		note->doc_no_mapped = strcmp(c.doc_no, inv->number) != 0;
	}
	return KR_OK;
}

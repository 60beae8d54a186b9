#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "currency.h"
#include "dec.h"
#include "distsales.h"

/* The figures of a document, in the order distsales_figures keeps them */
enum figure {
	FIG_YEAR, FIG_TREATMENT, FIG_CURRENCY, FIG_NET, FIG_VAT_EUR,
	FIG_GROSS_EUR, FIG_COUNT
};

void
distsales_init(struct distsales *ds, enum distsales_kind kind,
    struct state *st, long prior_eur, const char *run_date)
{
	memset(ds, 0, sizeof(*ds));
	ds->kind = kind;
	ds->prev_limit = kind == DISTSALES_EU ? DISTSALES_THRESHOLD :
	    SMALL_PREV_LIMIT;
	ds->cur_limit = kind == DISTSALES_EU ? DISTSALES_THRESHOLD :
	    SMALL_LIMIT;
	ds->st = st;
	ds->prior_cents = (int64_t)prior_eur * 100;
	ds->run_year = atoi(run_date);
}

struct sum {
	int64_t cents;
	char year[8];
	struct kerr *e;
};

static int
bad_amount(struct sum *s, const struct distance_sale_row *r,
    const char *field, const char *value)
{
	return kerr_set(s->e, KR_BAD_INPUT, field, "a stored %s document "
	    "of %s has the amount \"%.40s\", which the yearly totals "
	    "cannot count", r->doc_type, s->year, value);
}

/*
 * The net of one stored document in EUR cents: its net total for a EUR
 * invoice; otherwise the EUR gross of its breakdown less its EUR VAT,
 * the figures its conversion fixed when it was issued.
 */
static int
add_row(void *arg, const struct distance_sale_row *r)
{
	struct sum *s = arg;
	int64_t net = 0, part, vat;
	const char *p = r->gross_eur;
	int x;

	if (strcmp(r->currency, "EUR") == 0) {
		if (dec_parse(r->net, (size_t)-1, 2, &net) != KR_OK)
			return bad_amount(s, r, "totals.net", r->net);
	} else {
		x = currency_exponent(r->currency);
		if (x < 0 || dec_parse(r->vat_eur, (size_t)-1, 2, &vat) !=
		    KR_OK)
			return bad_amount(s, r, "fx.vat", r->vat_eur);
		while (*p != '\0') {
			size_t n = strcspn(p, " ");

			if (dec_parse(p, n, 2, &part) != KR_OK ||
			    dec_add(net, part, &net) != KR_OK)
				return bad_amount(s, r, "vat.gross_eur",
				    r->gross_eur);
			p += n + (p[n] == ' ');
		}
		net -= vat;
	}
	if (strcmp(r->doc_type, "381") == 0)
		net = -net;
	if (dec_add(s->cents, net, &s->cents) != KR_OK)
		return bad_amount(s, r, "totals.net", r->net);
	return KR_OK;
}

static int
slot(struct distsales *ds, int year, struct kerr *e)
{
	struct sum s;
	int i, rc;

	for (i = 0; i < ds->nyears; i++)
		if (ds->year[i] == year)
			return i;
	if (ds->nyears == DISTSALES_YEARS) {
		kerr_set(e, KR_BAD_INPUT, "supply_date", "orders of more than "
		    "%d calendar years in one run: run the older ones "
		    "separately", DISTSALES_YEARS);
		return -1;
	}
	s.cents = year == ds->run_year - 1 ? ds->prior_cents : 0;
	s.e = e;
	snprintf(s.year, sizeof(s.year), "%04d", year);
	if (ds->st != NULL) {
		rc = state_each_sale(ds->st, s.year, ds->kind ==
		    DISTSALES_EU ? "eu" : "turnover", add_row, &s, e);
		if (rc != KR_OK)
			return -1;
	}
	i = ds->nyears++;
	ds->year[i] = year;
	ds->cents[i] = s.cents;
	return i;
}

int
distsales_total(struct distsales *ds, int year, int64_t *cents,
    struct kerr *e)
{
	int i = slot(ds, year, e);

	if (i < 0)
		return e->code;
	*cents = ds->cents[i];
	return KR_OK;
}

int
distsales_over(struct distsales *ds, int year, int64_t cents, int *over,
    struct kerr *e)
{
	int64_t prev = 0, cur = 0;
	int rc;

	if ((rc = distsales_total(ds, year - 1, &prev, e)) != KR_OK ||
	    (rc = distsales_total(ds, year, &cur, e)) != KR_OK)
		return rc;
	*over = prev > ds->prev_limit || cur + cents > ds->cur_limit;
	return KR_OK;
}

int
distsales_add(struct distsales *ds, int year, int64_t cents,
    struct kerr *e)
{
	int i = slot(ds, year, e);

	if (i < 0)
		return e->code;
	ds->cents[i] += cents;
	return KR_OK;
}

/* Appends s, and with end set the NUL that ends a figure, to b. */
static void
figure_put(struct buf *b, const char *s, int end)
{
	if (buf_adds(b, s) != KR_OK || (end && buf_addc(b, '\0') != KR_OK))
		KBUG("the figures of a document do not fit a buffer");
}

/* Starts figure f in b, or notes it as absent (NULL) when s is NULL. */
static void
figure_add(struct buf *b, size_t at[FIG_COUNT], enum figure f,
    const char *s)
{
	at[f] = (size_t)-1;
	if (s == NULL)
		return;
	at[f] = b->len;
	figure_put(b, s, 1);
}

static const char *
figure_at(const char *text, const size_t at[FIG_COUNT], enum figure f)
{
	return at[f] == (size_t)-1 ? NULL : text + at[f];
}

/*
 * The strings are the record's own: invoice_to_json writes the same
 * fields with the same dec_format, and the version 5 upgrade of the
 * state database reads them out of stored records with the expressions
 * that summed them before.  An absent field is NULL, as SQLite's JSON
 * functions give it.
 */
void
distsales_figures(const struct invoice *inv, struct distance_sale_row *row,
    char **text)
{
	char d[DEC_BUFSZ], year[5];
	size_t at[FIG_COUNT], i, n;
	struct buf b;

	buf_init(&b, 0);
	if (inv->supply_date != NULL) {
		n = strnlen(inv->supply_date, sizeof(year) - 1);
		memcpy(year, inv->supply_date, n);
		year[n] = '\0';
	}
	figure_add(&b, at, FIG_YEAR, inv->supply_date ? year : NULL);
	figure_add(&b, at, FIG_TREATMENT, inv->treatment);
	figure_add(&b, at, FIG_CURRENCY, inv->currency);
	figure_add(&b, at, FIG_NET, dec_format(inv->net_minor,
	    inv->exponent, d));
	figure_add(&b, at, FIG_VAT_EUR, inv->has_fx ?
	    dec_format(inv->vat_eur_minor, 2, d) : NULL);
	at[FIG_GROSS_EUR] = (size_t)-1;
	if (inv->has_fx && inv->nvat > 0) {
		at[FIG_GROSS_EUR] = b.len;
		for (i = 0; i < inv->nvat; i++) {
			figure_put(&b, i > 0 ? " " : "", 0);
			figure_put(&b, dec_format(inv->vat[i].gross_eur_minor,
			    2, d), i + 1 == inv->nvat);
		}
	}
	*text = buf_take(&b, NULL);
	memset(row, 0, sizeof(*row));
	row->supply_year = figure_at(*text, at, FIG_YEAR);
	row->treatment = figure_at(*text, at, FIG_TREATMENT);
	row->currency = figure_at(*text, at, FIG_CURRENCY);
	row->net = figure_at(*text, at, FIG_NET);
	row->vat_eur = figure_at(*text, at, FIG_VAT_EUR);
	row->gross_eur = figure_at(*text, at, FIG_GROSS_EUR);
}

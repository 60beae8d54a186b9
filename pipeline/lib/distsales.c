#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "currency.h"
#include "dec.h"
#include "distsales.h"

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

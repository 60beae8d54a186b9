#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "dec.h"
#include "ktime.h"
#include "vatrates.h"
#include "vatrates_csv.h"

#define TABLE_DATE	20260101L	/* the day eu-vat-rates.csv shows */
#define WINDOW_START	20210701L	/* the history is complete from here */
#define NTYPES		4

/* The rate types as the files name them, in the order of struct rates. */
enum { T_STANDARD, T_REDUCED, T_SUPER, T_PARKING };

static const char *const type_key[NTYPES] = {
	"standard", "reduced", "super_reduced", "parking"
};

/* The countries the table must have, each once: the 27 and XI. */
static const char *const member[] = {
	"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
	"FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT",
	"NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"
};
#define NMEMBER	((int)(sizeof(member) / sizeof(member[0])))

static const char *const table_col[] = {
	"country_code", "country_name_en", "standard_rate", "reduced_rates",
	"super_reduced_rate", "parking_rate", "valid_from", "source"
};
static const char *const hist_col[] = {
	"country", "rate_type", "old", "new", "effective_date", "source",
	"note"
};

/* The rates of one country in one period, each type highest first. */
struct rates {
	int n[NTYPES];
	int64_t bp[NTYPES][VATRATES_PER_TYPE_MAX];
};

struct period {
	long from;			/* first day, as YYYYMMDD */
	struct rates r;
};

struct country {
	char code[3];
	long line;			/* its row in the table */
	long valid_from;		/* of the standard rate */
	long covered_from;		/* first day the data answer for */
	struct rates table;		/* on TABLE_DATE */
	struct period *period;		/* ascending by from */
	size_t n_period;
};

struct change {
	char country[3];
	int type;
	int64_t old_bp;			/* -1 when none */
	int64_t new_bp;			/* -1 when none */
	long date;
	long line;
};

struct vatrates {
	struct country country[NMEMBER];
	int n_country;
	struct change *change;		/* sorted by country, date, line */
	size_t n_change;
	char hist_path[RCSV_PATH_MAX];
};

static long
ymd_of(const char *s)
{
	return atol(s) * 10000 + atol(s + 5) * 100 + atol(s + 8);
}

static const char *
ymd_format(long ymd, char out[KTIME_DATE_MAX])
{
	snprintf(out, KTIME_DATE_MAX, "%04u-%02u-%02u",
	    (unsigned)(ymd / 10000) % 10000u, (unsigned)(ymd / 100) % 100u,
	    (unsigned)ymd % 100u);
	return out;
}

static const char *
bp_format(int64_t bp, char out[DEC_BUFSZ])
{
	return dec_format_trim(bp, RATE_SCALE, out);
}

/* Field parsers: each returns KR_OK or KR_BAD_INPUT with a message. */

/* A rate as the files write it: "19", "5.5", "25.5", "2.1". */
static int
parse_rate(const struct rcsv *c, int col, const char *s, int64_t *bp,
    struct kerr *e)
{
	size_t i = 0, int_digits, frac_digits = 0;

	while (s[i] >= '0' && s[i] <= '9')
		i++;
	int_digits = i;
	if (s[i] == '.') {
		for (i++; s[i] >= '0' && s[i] <= '9'; i++)
			frac_digits++;
		if (frac_digits == 0)
			i = 0;
	}
	if (s[i] != '\0' || int_digits == 0 || int_digits > 2 ||
	    frac_digits > 2 || (int_digits == 2 && s[0] == '0') ||
	    dec_parse(s, (size_t)-1, RATE_SCALE, bp) != KR_OK || *bp == 0)
		return rcsv_fail(c, col, KR_BAD_INPUT, e, "expected a rate "
		    "above 0 and below 100 like \"19\" or \"5.5\", got \"%s\"",
		    s);
	return KR_OK;
}

static int
parse_date(const struct rcsv *c, int col, const char *s, long *ymd,
    struct kerr *e)
{
	if (!ktime_valid_date(s))
		return rcsv_fail(c, col, KR_BAD_INPUT, e, "expected a date "
		    "like \"2026-01-01\", got \"%s\"", s);
	*ymd = ymd_of(s);
	return KR_OK;
}

/* Source keys: "tedb26;hist", each of a-z, 0-9 and '-'. */
static int
parse_source(const struct rcsv *c, int col, const char *s, struct kerr *e)
{
	size_t i, key_len = 0;

	for (i = 0;; i++) {
		if (s[i] == ';' || s[i] == '\0') {
			if (key_len == 0)
				break;
			if (s[i] == '\0')
				return KR_OK;
			key_len = 0;
		} else if ((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-') {
			key_len++;
		} else {
			break;
		}
	}
	return rcsv_fail(c, col, KR_BAD_INPUT, e, "expected source keys "
	    "like \"tedb26;hist\", got \"%s\"", s);
}

static int
member_index(const char *code)
{
	int i;

	for (i = 0; i < NMEMBER; i++)
		if (strcmp(member[i], code) == 0)
			return i;
	return -1;
}

static struct country *
country_find(const struct vatrates *vr, const char *code)
{
	int i;

	for (i = 0; i < vr->n_country; i++)
		if (strcmp(vr->country[i].code, code) == 0)
			return (struct country *)&vr->country[i];
	return NULL;
}

/* Inserts bp into the rates of type t, keeping them highest first. */
static int
rates_add(struct rates *r, int t, int64_t bp)
{
	int i;

	if (r->n[t] == VATRATES_PER_TYPE_MAX)
		return KR_TOO_BIG;
	for (i = r->n[t]; i > 0 && r->bp[t][i - 1] < bp; i--)
		r->bp[t][i] = r->bp[t][i - 1];
	r->bp[t][i] = bp;
	r->n[t]++;
	return KR_OK;
}

static int
rates_has(const struct rates *r, int t, int64_t bp)
{
	int i;

	for (i = 0; i < r->n[t]; i++)
		if (r->bp[t][i] == bp)
			return 1;
	return 0;
}

static void
rates_remove(struct rates *r, int t, int64_t bp)
{
	int i, j;

	for (i = 0; i < r->n[t]; i++)
		if (r->bp[t][i] == bp) {
			for (j = i + 1; j < r->n[t]; j++)
				r->bp[t][j - 1] = r->bp[t][j];
			r->n[t]--;
			return;
		}
}

/*
 * Adds the rate s of column col, or nothing for "", to the rates of type
 * t; it must be below below_bp.
 */
static int
table_rate(const struct rcsv *c, int col, const char *s, int t,
    struct rates *r, int64_t below_bp, struct kerr *e)
{
	char a[DEC_BUFSZ], b[DEC_BUFSZ];
	int64_t bp;
	int rc;

	if (s[0] == '\0')
		return KR_OK;
	rc = parse_rate(c, col, s, &bp, e);
	if (rc != KR_OK)
		return rc;
	if (bp >= below_bp)
		return rcsv_fail(c, col, KR_BAD_INPUT, e, "rate %s is not "
		    "below %s", bp_format(bp, a), bp_format(below_bp, b));
	return rates_add(r, t, bp);
}

/* The reduced rates: "13;10", highest first, each below the standard. */
static int
table_reduced(const struct rcsv *c, struct rates *r, struct kerr *e)
{
	char *s = c->col[3], *semi;
	int64_t below = r->bp[T_STANDARD][0];
	int rc;

	if (*s == '\0')
		return KR_OK;
	for (;;) {
		semi = strchr(s, ';');
		if (semi != NULL)
			*semi = '\0';
		if (*s == '\0')
			return rcsv_fail(c, 4, KR_BAD_INPUT, e,
			    "empty rate in the list");
		rc = table_rate(c, 4, s, T_REDUCED, r, below, e);
		if (rc == KR_OK && r->n[T_REDUCED] > 0)
			below = r->bp[T_REDUCED][r->n[T_REDUCED] - 1];
		if (rc == KR_TOO_BIG)
			return rcsv_fail(c, 4, rc, e, "more than %d rates",
			    VATRATES_PER_TYPE_MAX);
		if (rc != KR_OK)
			return rc;
		if (semi == NULL)
			return KR_OK;
		s = semi + 1;
	}
}

static int
table_country(struct vatrates *vr, const struct rcsv *c, struct kerr *e)
{
	const char *code = c->col[0];
	int i = member_index(code);

	if (i < 0)
		return rcsv_fail(c, 1, KR_BAD_INPUT, e, "expected the code of "
		    "an EU member state (GR for Greece) or XI, got \"%s\"",
		    code);
	if (country_find(vr, code) != NULL)
		return rcsv_fail(c, 1, KR_BAD_INPUT, e, "second row for %s",
		    code);
	if (c->col[1][0] == '\0')
		return rcsv_fail(c, 2, KR_BAD_INPUT, e, "empty country name");
	memcpy(vr->country[vr->n_country].code, code, 3);
	vr->country[vr->n_country].line = c->line;
	return KR_OK;
}

static int
table_row(struct vatrates *vr, struct rcsv *c, struct kerr *e)
{
	struct country *k = &vr->country[vr->n_country];
	char tmp[KTIME_DATE_MAX];
	int64_t bp;
	int rc;

	rc = table_country(vr, c, e);
	if (rc == KR_OK)
		rc = parse_rate(c, 3, c->col[2], &bp, e);
	if (rc == KR_OK)
		rc = rates_add(&k->table, T_STANDARD, bp);
	if (rc == KR_OK)
		rc = table_reduced(c, &k->table, e);
	if (rc == KR_OK)
		rc = table_rate(c, 5, c->col[4], T_SUPER, &k->table, 500,
		    e);
	if (rc == KR_OK)
		rc = table_rate(c, 6, c->col[5], T_PARKING, &k->table, bp,
		    e);
	if (rc == KR_OK)
		rc = parse_date(c, 7, c->col[6], &k->valid_from, e);
	if (rc == KR_OK && k->valid_from > TABLE_DATE)
		rc = rcsv_fail(c, 7, KR_BAD_INPUT, e, "standard rate valid "
		    "from %s, after the table's day %s", c->col[6],
		    ymd_format(TABLE_DATE, tmp));
	if (rc == KR_OK)
		rc = parse_source(c, 8, c->col[7], e);
	if (rc != KR_OK)
		return rc;
	vr->n_country++;
	return KR_OK;
}

static int
load_table(struct vatrates *vr, const char *dir, struct kerr *e)
{
	struct rcsv c;
	int eof, rc, i;

	rc = rcsv_open(&c, dir, VATRATES_FILE, table_col, 8,
	    VATRATES_FILE_MAX, e);
	while (rc == KR_OK) {
		rc = rcsv_row(&c, &eof, e);
		if (rc != KR_OK || eof)
			break;
		rc = table_row(vr, &c, e);
	}
	if (rc == KR_OK)
		for (i = 0; i < NMEMBER; i++)
			if (country_find(vr, member[i]) == NULL) {
				c.line = 0;
				rc = rcsv_fail(&c, 0, KR_BAD_INPUT, e,
				    "no row for %s", member[i]);
				break;
			}
	rcsv_release(&c);
	return rc;
}

static int
hist_type(const struct rcsv *c, int *type, struct kerr *e)
{
	int t;

	for (t = 0; t < NTYPES; t++)
		if (strcmp(c->col[1], type_key[t]) == 0) {
			*type = t;
			return KR_OK;
		}
	return rcsv_fail(c, 2, KR_BAD_INPUT, e, "expected standard, "
	    "reduced, super_reduced or parking, got \"%s\"", c->col[1]);
}

static int
hist_values(const struct rcsv *c, struct change *ch, struct kerr *e)
{
	int rc = KR_OK;

	ch->old_bp = ch->new_bp = -1;
	if (c->col[2][0] != '\0')
		rc = parse_rate(c, 3, c->col[2], &ch->old_bp, e);
	if (rc == KR_OK && c->col[3][0] != '\0')
		rc = parse_rate(c, 4, c->col[3], &ch->new_bp, e);
	if (rc != KR_OK)
		return rc;
	if (ch->old_bp < 0 && ch->new_bp < 0)
		return rcsv_fail(c, 3, KR_BAD_INPUT, e,
		    "neither an old nor a new rate");
	if (ch->old_bp == ch->new_bp)
		return rcsv_fail(c, 4, KR_BAD_INPUT, e,
		    "the new rate is the old one");
	if (ch->type == T_STANDARD && (ch->old_bp < 0 || ch->new_bp < 0))
		return rcsv_fail(c, ch->old_bp < 0 ? 3 : 4, KR_BAD_INPUT, e,
		    "a standard rate is replaced, never introduced or "
		    "abolished");
	return KR_OK;
}

static int
hist_row(struct vatrates *vr, const struct rcsv *c, struct kerr *e)
{
	struct change *ch = &vr->change[vr->n_change];
	int rc;

	memset(ch, 0, sizeof(*ch));
	if (country_find(vr, c->col[0]) == NULL)
		return rcsv_fail(c, 1, KR_BAD_INPUT, e, "\"%s\" is not a "
		    "country of %s", c->col[0], VATRATES_FILE);
	memcpy(ch->country, c->col[0], 3);
	ch->line = c->line;
	rc = hist_type(c, &ch->type, e);
	if (rc == KR_OK)
		rc = hist_values(c, ch, e);
	if (rc == KR_OK)
		rc = parse_date(c, 5, c->col[4], &ch->date, e);
	if (rc == KR_OK)
		rc = parse_source(c, 6, c->col[5], e);
	if (rc != KR_OK)
		return rc;
	vr->n_change++;
	return KR_OK;
}

static int
load_history(struct vatrates *vr, const char *dir, struct kerr *e)
{
	struct rcsv c;
	int eof, rc;

	rc = rcsv_open(&c, dir, VATRATES_HISTORY_FILE, hist_col, 7,
	    VATRATES_FILE_MAX, e);
	snprintf(vr->hist_path, sizeof(vr->hist_path), "%s", c.path);
	vr->change = xcalloc(VATRATES_HISTORY_MAX, sizeof(*vr->change));
	while (rc == KR_OK) {
		rc = rcsv_row(&c, &eof, e);
		if (rc != KR_OK || eof)
			break;
		if (vr->n_change == VATRATES_HISTORY_MAX)
			rc = rcsv_fail(&c, 0, KR_TOO_BIG, e, "more than %d "
			    "rows", VATRATES_HISTORY_MAX);
		else
			rc = hist_row(vr, &c, e);
	}
	rcsv_release(&c);
	return rc;
}

static int
change_cmp(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	int c = strcmp(x->country, y->country);

	if (c != 0)
		return c;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Replaying */

static int
change_fail(const struct vatrates *vr, const struct change *ch, int col,
    int code, struct kerr *e, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static int
change_fail(const struct vatrates *vr, const struct change *ch, int col,
    int code, struct kerr *e, const char *fmt, ...)
{
	char field[KERR_FIELD_MAX];
	va_list ap;

	snprintf(field, sizeof(field), "column %d (%s)", col,
	    hist_col[col - 1]);
	kerr_where(e, vr->hist_path, ch->line);
	va_start(ap, fmt);
	kerr_vset(e, code, field, fmt, ap);
	va_end(ap);
	return code;
}

/*
 * Whether an earlier row of the same group already took value v of
 * type t out (which = 0) or put it in (which = 1): rows that merge two
 * rates into one name the new rate twice.
 */
static int
group_seen(const struct change *g, size_t i, int64_t v, int forward,
    int which)
{
	size_t j;
	int64_t w;

	for (j = 0; j < i; j++) {
		if (g[j].type != g[i].type)
			continue;
		w = (forward == (which == 0)) ? g[j].old_bp : g[j].new_bp;
		if (w == v)
			return 1;
	}
	return 0;
}

/*
 * Applies the n rows of one country and day to r: forward turns the
 * rates before the day into those from the day on, backward the other
 * way round.  Every rate a row takes out must be in force, every rate it
 * puts in must not be, and one standard rate must remain.
 */
static int
rates_step(const struct vatrates *vr, struct rates *r,
    const struct change *g, size_t n, int forward, struct kerr *e)
{
	char a[DEC_BUFSZ], d[KTIME_DATE_MAX];
	size_t i;
	int64_t v;

	for (i = 0; i < n; i++) {
		v = forward ? g[i].old_bp : g[i].new_bp;
		if (v < 0 || group_seen(g, i, v, forward, 0))
			continue;
		if (!rates_has(r, g[i].type, v))
			return change_fail(vr, &g[i], forward ? 3 : 4,
			    KR_BAD_INPUT, e, "%s has no %s rate %s %s %s, "
			    "so this row cannot %s it", g[i].country,
			    type_key[g[i].type], bp_format(v, a),
			    forward ? "before" : "from",
			    ymd_format(g[i].date, d),
			    forward ? "replace" : "have introduced");
		rates_remove(r, g[i].type, v);
	}
	for (i = 0; i < n; i++) {
		v = forward ? g[i].new_bp : g[i].old_bp;
		if (v < 0 || group_seen(g, i, v, forward, 1))
			continue;
		if (rates_has(r, g[i].type, v))
			return change_fail(vr, &g[i], forward ? 4 : 3,
			    KR_BAD_INPUT, e, "%s already has the %s rate %s "
			    "%s %s", g[i].country, type_key[g[i].type],
			    bp_format(v, a), forward ? "from" : "before",
			    ymd_format(g[i].date, d));
		if (rates_add(r, g[i].type, v) != KR_OK)
			return change_fail(vr, &g[i], forward ? 4 : 3,
			    KR_TOO_BIG, e, "more than %d %s rates",
			    VATRATES_PER_TYPE_MAX, type_key[g[i].type]);
	}
	if (r->n[T_STANDARD] != 1)
		return change_fail(vr, &g[0], 4, KR_BAD_INPUT, e, "%s has "
		    "%d standard rates %s %s", g[0].country,
		    r->n[T_STANDARD], forward ? "from" : "before",
		    ymd_format(g[0].date, d));
	return KR_OK;
}

/* The number of rows of g[0..n) that share g[0]'s day. */
static size_t
group_len(const struct change *g, size_t n)
{
	size_t i = 1;

	while (i < n && g[i].date == g[0].date)
		i++;
	return i;
}

/*
 * The table's valid_from says when the standard rate took effect; the
 * history must agree: no later change of the standard rate up to the
 * table's day, and a change on that very day when the data cover it.
 */
static int
check_valid_from(const struct vatrates *vr, const struct country *k,
    const struct change *g, size_t n, struct kerr *e)
{
	char a[KTIME_DATE_MAX];
	size_t i;
	int seen = 0;

	for (i = 0; i < n; i++) {
		if (g[i].type != T_STANDARD || g[i].date > TABLE_DATE)
			continue;
		if (g[i].date > k->valid_from)
			return change_fail(vr, &g[i], 5, KR_BAD_INPUT, e,
			    "the standard rate of %s changes after %s, the "
			    "valid_from of %s", k->code,
			    ymd_format(k->valid_from, a), VATRATES_FILE);
		if (g[i].date == k->valid_from)
			seen = 1;
	}
	if (!seen && k->valid_from >= k->covered_from) {
		kerr_where(e, vr->hist_path, 0);
		return kerr_set(e, KR_BAD_INPUT, "", "no row changes the "
		    "standard rate of %s on %s, the valid_from of %s",
		    k->code, ymd_format(k->valid_from, a), VATRATES_FILE);
	}
	return KR_OK;
}

/*
 * Builds the periods of country k from its n history rows g (sorted by
 * day): one period before the first change and one from each day that
 * has changes.  The period holding TABLE_DATE is the table; earlier ones
 * undo the changes one day after another, later ones apply them.
 */
static int
country_periods(const struct vatrates *vr, struct country *k,
    const struct change *g, size_t n, struct kerr *e)
{
	size_t day[VATRATES_HISTORY_MAX], nday = 0, i, len, now;
	int rc;

	for (i = 0; i < n; i += group_len(g + i, n - i))
		day[nday++] = i;
	k->covered_from = WINDOW_START;
	if (n > 0 && g[0].date < WINDOW_START)
		k->covered_from = g[0].date;
	k->n_period = nday + 1;
	k->period = xcalloc(k->n_period, sizeof(*k->period));
	for (now = 0; now < nday && g[day[now]].date <= TABLE_DATE; now++)
		;
	k->period[now].r = k->table;
	for (i = now; i > 0; i--) {
		k->period[i - 1].r = k->period[i].r;
		len = group_len(g + day[i - 1], n - day[i - 1]);
		rc = rates_step(vr, &k->period[i - 1].r, g + day[i - 1], len,
		    0, e);
		if (rc != KR_OK)
			return rc;
	}
	for (i = now + 1; i <= nday; i++) {
		k->period[i].r = k->period[i - 1].r;
		len = group_len(g + day[i - 1], n - day[i - 1]);
		rc = rates_step(vr, &k->period[i].r, g + day[i - 1], len, 1,
		    e);
		if (rc != KR_OK)
			return rc;
	}
	k->period[0].from = k->covered_from;
	for (i = 1; i <= nday; i++)
		k->period[i].from = g[day[i - 1]].date;
	return check_valid_from(vr, k, g, n, e);
}

static int
replay(struct vatrates *vr, struct kerr *e)
{
	size_t first = 0, n;
	struct country *k;
	int i, rc;

	qsort(vr->change, vr->n_change, sizeof(*vr->change), change_cmp);
	for (i = 0; i < vr->n_country; i++) {
		k = &vr->country[i];
		while (first < vr->n_change &&
		    strcmp(vr->change[first].country, k->code) < 0)
			first++;
		for (n = 0; first + n < vr->n_change &&
		    strcmp(vr->change[first + n].country, k->code) == 0; n++)
			;
		rc = country_periods(vr, k, vr->change + first, n, e);
		if (rc != KR_OK)
			return rc;
	}
	return KR_OK;
}

static int
country_cmp(const void *a, const void *b)
{
	return strcmp(((const struct country *)a)->code,
	    ((const struct country *)b)->code);
}

int
vatrates_load(struct vatrates **out, const char *dir, struct kerr *e)
{
	struct vatrates *vr = xcalloc(1, sizeof(*vr));
	int rc;

	*out = NULL;
	rc = load_table(vr, dir, e);
	if (rc == KR_OK)
		rc = load_history(vr, dir, e);
	if (rc == KR_OK) {
		qsort(vr->country, (size_t)vr->n_country,
		    sizeof(vr->country[0]), country_cmp);
		rc = replay(vr, e);
	}
	if (rc != KR_OK) {
		vatrates_free(vr);
		return rc;
	}
	*out = vr;
	return KR_OK;
}

void
vatrates_free(struct vatrates *vr)
{
	int i;

	if (vr == NULL)
		return;
	for (i = 0; i < vr->n_country; i++)
		free(vr->country[i].period);
	free(vr->change);
	free(vr);
}

/* Queries */

static int
lookup(const struct vatrates *vr, const char *country, const char *date,
    const struct rates **r, struct kerr *e)
{
	const struct country *k;
	char a[KTIME_DATE_MAX];
	long ymd;
	size_t i;

	if (date == NULL || !ktime_valid_date(date))
		return kerr_set(e, KR_BAD_INPUT, "date", "expected a date "
		    "like \"2026-01-01\", got \"%s\"", date ? date : "");
	k = country == NULL ? NULL : country_find(vr, country);
	if (k == NULL && country != NULL && strcmp(country, "EL") == 0)
		return kerr_set(e, KR_NOT_FOUND, "country", "EL is Greece's "
		    "VAT prefix; its rates are under GR");
	if (k == NULL)
		return kerr_set(e, KR_NOT_FOUND, "country", "no VAT rates for "
		    "\"%s\": not an EU member state or XI",
		    country ? country : "");
	ymd = ymd_of(date);
	if (ymd < k->covered_from)
		return kerr_set(e, KR_NOT_FOUND, "date", "the rate data for "
		    "%s start on %s, not before %s", k->code,
		    ymd_format(k->covered_from, a), date);
	for (i = k->n_period; i > 1 && k->period[i - 1].from > ymd; i--)
		;
	*r = &k->period[i - 1].r;
	return KR_OK;
}

int
vatrates_standard(const struct vatrates *vr, const char *country,
    const char *date, int64_t *rate_bp, struct kerr *e)
{
	return vatrates_rate(vr, country, date, VAT_RATE_STANDARD, rate_bp,
	    e);
}

static void
set_add(struct vat_rate_set *set, int64_t bp)
{
	int i;

	for (i = 0; i < set->n; i++)
		if (set->rate_bp[i] == bp)
			return;
	for (i = set->n; i > 0 && set->rate_bp[i - 1] < bp; i--)
		set->rate_bp[i] = set->rate_bp[i - 1];
	set->rate_bp[i] = bp;
	set->n++;
}

int
vatrates_set(const struct vatrates *vr, const char *country,
    const char *date, struct vat_rate_set *set, struct kerr *e)
{
	const struct rates *r;
	int rc, t, i;

	set->n = 0;
	rc = lookup(vr, country, date, &r, e);
	if (rc != KR_OK)
		return rc;
	for (t = 0; t < NTYPES; t++)
		for (i = 0; i < r->n[t]; i++)
			set_add(set, r->bp[t][i]);
	set_add(set, 0);
	return KR_OK;
}

int
vatrates_check(const struct vatrates *vr, const char *country,
    const char *date, int64_t rate_bp, struct kerr *e)
{
	struct vat_rate_set set;
	char a[DEC_BUFSZ], list[VATRATES_SET_MAX * 8];
	size_t len = 0;
	int rc, i;

	rc = vatrates_set(vr, country, date, &set, e);
	if (rc != KR_OK)
		return rc;
	for (i = 0; i < set.n; i++)
		if (set.rate_bp[i] == rate_bp)
			return KR_OK;
	list[0] = '\0';
	for (i = 0; i < set.n && len < sizeof(list); i++)
		len += (size_t)snprintf(list + len, sizeof(list) - len,
		    "%s%s", i > 0 ? ", " : "", bp_format(set.rate_bp[i], a));
	return kerr_set(e, KR_BAD_INPUT, "rate", "%s is not a VAT rate of "
	    "%s on %s (the rates are %s)", bp_format(rate_bp, a), country,
	    date, list);
}

int
vatrates_rate(const struct vatrates *vr, const char *country,
    const char *date, enum vat_rate_type type, int64_t *rate_bp,
    struct kerr *e)
{
	static const int table_type[] = {
		[VAT_RATE_STANDARD] = T_STANDARD,
		[VAT_RATE_REDUCED] = T_REDUCED,
		[VAT_RATE_REDUCED_LOW] = T_REDUCED,
		[VAT_RATE_SUPER_REDUCED] = T_SUPER,
		[VAT_RATE_PARKING] = T_PARKING,
		[VAT_RATE_ZERO] = -1
	};
	const struct rates *r;
	int rc, t;

	if ((int)type < 0 || type > VAT_RATE_ZERO)
		KBUG("vatrates_rate: type %d", (int)type);
	rc = lookup(vr, country, date, &r, e);
	if (rc != KR_OK)
		return rc;
	t = table_type[type];
	if (t < 0) {
		*rate_bp = 0;
		return KR_OK;
	}
	if (r->n[t] == 0)
		return kerr_set(e, KR_NOT_FOUND, "rate", "%s has no %s rate "
		    "on %s", country, vatrates_type_name(type), date);
	*rate_bp = type == VAT_RATE_REDUCED_LOW ? r->bp[t][r->n[t] - 1] :
	    r->bp[t][0];
	return KR_OK;
}

/* Names */

static const char *const rate_type_name[] = {
	[VAT_RATE_STANDARD] = "standard",
	[VAT_RATE_REDUCED] = "reduced",
	[VAT_RATE_REDUCED_LOW] = "reduced_low",
	[VAT_RATE_SUPER_REDUCED] = "super_reduced",
	[VAT_RATE_PARKING] = "parking",
	[VAT_RATE_ZERO] = "zero"
};

int
vatrates_type_parse(const char *name, enum vat_rate_type *type)
{
	int i;

	for (i = 0; i <= VAT_RATE_ZERO; i++)
		if (name != NULL && strcmp(name, rate_type_name[i]) == 0) {
			*type = (enum vat_rate_type)i;
			return KR_OK;
		}
	return KR_BAD_INPUT;
}

const char *
vatrates_type_name(enum vat_rate_type type)
{
	if ((int)type < 0 || type > VAT_RATE_ZERO)
		KBUG("vatrates_type_name: type %d", (int)type);
	return rate_type_name[type];
}

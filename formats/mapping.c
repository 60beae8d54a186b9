#include <stdio.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "dec.h"
#include "jfield.h"
#include "ktime.h"
#include "mapping.h"
#include "utf8.h"

/* 1 when s ends in "Z" or in an offset "+HH:MM" / "-HH:MM". */
static int
time_has_zone(const char *s)
{
	size_t n = strlen(s);

	if (n > 0 && (s[n - 1] == 'Z' || s[n - 1] == 'z'))
		return 1;
	return n > 16 && (s[n - 6] == '+' || s[n - 6] == '-') &&
	    s[n - 3] == ':';
}

int
mapping_time_text(struct order *o, const char *s, int bare, const char **out,
    const char *path, struct kerr *e)
{
	char text[64], utc[KTIME_ISO_MAX];
	size_t n = strlen(s);
	int zone = time_has_zone(s);
	time_t t;

	if (!zone && bare == MAPPING_NEED_ZONE)
		return kerr_set(e, KR_BAD_INPUT, path,
		    "expected a time with an offset like "
		    "\"2026-10-12T18:40:05+02:00\", got \"%.40s\"", s);
	/* s, with a "Z" when it names no zone. */
	if (n <= 40) {
		memcpy(text, s, n);
		text[n] = 'Z';
		text[n + !zone] = '\0';
	}
	if (n > 40 || ktime_parse(text, &t) != KR_OK)
		return kerr_set(e, KR_BAD_INPUT, path,
		    "expected a time like \"%s\", got \"%.40s\"",
		    bare == MAPPING_BARE_UTC ? "2026-10-12T16:40:05" :
		    "2026-10-12T18:40:05+02:00", s);
	ktime_format_utc(t, utc);
	*out = order_strdup(o, utc);
	return KR_OK;
}

int
mapping_time(struct order *o, const struct jnode *obj, const char *key,
    int bare, int required, const char **out, const char *ctx,
    struct kerr *e)
{
	char path[KERR_FIELD_MAX];
	const char *s = NULL;
	int rc;

	rc = jf_str(obj, key, required, &s, ctx, e);
	if (rc != KR_OK || s == NULL)
		return rc;
	jf_path(path, sizeof(path), ctx, key);
	return mapping_time_text(o, s, bare, out, path, e);
}

int
mapping_text(const struct jnode *obj, const char *key, const char **out,
    const char *ctx, struct kerr *e)
{
	const char *s = NULL;
	int rc;

	*out = NULL;
	rc = jf_text(obj, key, JF_OPTIONAL, &s, ctx, e);
	if (rc != KR_OK)
		return rc;
	if (s != NULL && s[0] != '\0')
		*out = s;
	return KR_OK;
}

int
mapping_id_valid(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && n <= MAPPING_ID_DIGITS && s[n] == '\0' && s[0] != '0';
}

int
mapping_id(const struct jnode *obj, const char *key, int required,
    const char **out, const char *ctx, struct kerr *e)
{
	const struct jnode *n = jget(obj, key);
	char path[KERR_FIELD_MAX], q[64];

	if (jis_null(n)) {
		if (!required)
			return KR_OK;
		jf_path(path, sizeof(path), ctx, key);
		return kerr_set(e, KR_BAD_INPUT, path, "required field is %s",
		    n == NULL ? "missing" : "null");
	}
	if ((n->type == J_NUMBER || n->type == J_STRING) &&
	    mapping_id_valid(n->u.str)) {
		*out = n->u.str;
		return KR_OK;
	}
	jf_path(path, sizeof(path), ctx, key);
	return kerr_set(e, KR_BAD_INPUT, path, "expected an id of up to %d "
	    "digits like 5400810067362 or \"5400810067362\" (no sign, "
	    "fraction, exponent or leading zero; not 0), got %s",
	    MAPPING_ID_DIGITS, jf_quote(n, q, sizeof(q)));
}

int
mapping_key(const struct jnode *obj, const char *key, const char *chars,
    size_t min_len, size_t max_len, int required, const char **out,
    const char *ctx, struct kerr *e)
{
	const struct jnode *n = jget(obj, key);
	char path[KERR_FIELD_MAX], q[64];
	size_t len;

	jf_path(path, sizeof(path), ctx, key);
	if (jis_null(n)) {
		if (!required)
			return KR_OK;
		return kerr_set(e, KR_BAD_INPUT, path, "required field is %s",
		    n == NULL ? "missing" : "null");
	}
	if (n->type == J_STRING) {
		len = strlen(n->u.str);
		if (len >= min_len && len <= max_len &&
		    strspn(n->u.str, chars) == len && n->u.str[0] != '-' &&
		    n->u.str[len - 1] != '-') {
			*out = n->u.str;
			return KR_OK;
		}
	}
	return kerr_set(e, KR_BAD_INPUT, path, "expected an id of %zu to %zu "
	    "characters of \"%s\" as a string, got %s", min_len, max_len,
	    chars, jf_quote(n, q, sizeof(q)));
}

int
mapping_money(const struct order *o, const struct jnode *obj,
    const char *key, const char *amount_key, const char *currency_key,
    int required, int64_t *out, const char *ctx, struct kerr *e)
{
	char path[KERR_FIELD_MAX], cpath[KERR_FIELD_MAX];
	const struct jnode *m;
	const char *cur = NULL;
	int rc;

	rc = jf_object(obj, key, required, &m, ctx, e);
	if (rc != KR_OK || m == NULL)
		return rc;
	jf_path(path, sizeof(path), ctx, key);
	rc = jf_str(m, currency_key, JF_REQUIRED, &cur, path, e);
	if (rc != KR_OK)
		return rc;
	if (strcmp(cur, o->currency) != 0) {
		jf_path(cpath, sizeof(cpath), path, currency_key);
		return kerr_set(e, KR_BAD_INPUT, cpath,
		    "expected the order's currency \"%s\", got \"%.10s\"",
		    o->currency, cur);
	}
	return jf_dec(m, amount_key, o->exponent, JF_REQUIRED, out, path, e);
}

int
mapping_add(int64_t *acc, int64_t v, const char *path, struct kerr *e)
{
	if (dec_add(*acc, v, acc) == KR_OK)
		return KR_OK;
	return kerr_set(e, KR_OVERFLOW, path, "amounts too large to add up");
}

const char *
mapping_reason(struct order *o, const char *what, const char *value)
{
	char text[128];

	snprintf(text, sizeof(text), "%s %.*s", what,
	    utf8_prefix(value, 80), value);
	return order_strdup(o, text);
}

/*
 * The VAT rates kontor can tell apart by their tax, per country.  The
 * rate tables of every country, with their history, belong to the
 * cross-border rules (pipeline/lib/vatrates); until those land, only
 * Germany is known.
 */
static const struct {
	char country[3];
	int64_t rate_bp[4];	/* -1 ends the list */
} snap_tables[] = {
	{"DE", {1900, 700, 0, -1}},
};

static const int64_t *
snap_rates(const char *country)
{
	size_t i;

	for (i = 0; i < sizeof(snap_tables) / sizeof(snap_tables[0]); i++)
		if (strcmp(snap_tables[i].country, country) == 0)
			return snap_tables[i].rate_bp;
	return NULL;
}

/* "19, 7, 0 %" */
static const char *
snap_list(const int64_t *rates, char *buf, size_t size)
{
	char r[DEC_BUFSZ];
	size_t len = 0;
	int i, n;

	buf[0] = '\0';
	for (i = 0; rates[i] >= 0; i++) {
		n = snprintf(buf + len, size - len, "%s%s", i > 0 ? ", " : "",
		    dec_format_trim(rates[i], RATE_SCALE, r));
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	snprintf(buf + len, size - len, " %%");
	return buf;
}

/* The tax a rate puts on amount (in it, or on top of it). */
static int64_t
snap_tax(int64_t amount, int64_t rate_bp, int gross)
{
	return (int64_t)dec_div_round((__int128)amount * rate_bp,
	    gross ? 10000 + rate_bp : 10000);
}

/* "1.56 in 23.90 is 6.98 %": the rate the figures say, for messages. */
static void
snap_said(int64_t amount, int64_t tax, int gross, int exp, char *buf,
    size_t size)
{
	char a[DEC_BUFSZ], t[DEC_BUFSZ], r[DEC_BUFSZ];
	int64_t base = gross ? amount - tax : amount;

	dec_format(tax, exp, t);
	dec_format(amount, exp, a);
	if (base <= 0) {
		snprintf(buf, size, "%s %s %s", t, gross ? "in" : "on", a);
		return;
	}
	snprintf(buf, size, "%s %s %s is %s %%", t, gross ? "in" : "on", a,
	    dec_format((int64_t)dec_div_round((__int128)tax * 10000, base),
	    2, r));
}

int
mapping_snap_rate(const char *country, int64_t amount_minor,
    int64_t tax_minor, int gross, int exp, int64_t *rate_bp,
    const char *field, struct kerr *e)
{
	const int64_t *rates = snap_rates(country);
	int64_t exact = -1, near = -1, d;
	int nexact = 0, nnear = 0, i;
	char said[96], list[64];

	if (rates == NULL)
		return kerr_set(e, KR_BAD_INPUT, field,
		    "the platform states no VAT rate, and this importer "
		    "derives a line's rate from its tax only for ship-to "
		    "Germany, not for \"%s\"",
		    country[0] != '\0' ? country : "(none)");
	snap_said(amount_minor, tax_minor, gross, exp, said, sizeof(said));
	if (amount_minor <= 0)
		return kerr_set(e, KR_BAD_INPUT, field,
		    "the platform states no VAT rate, and tax %s tells none",
		    said);
	for (i = 0; rates[i] >= 0; i++) {
		d = snap_tax(amount_minor, rates[i], gross) - tax_minor;
		if (d == 0 && nexact++ == 0)
			exact = rates[i];
		if ((d == 1 || d == -1) && nnear++ == 0)
			near = rates[i];
	}
	if (nexact == 1 || (nexact == 0 && nnear == 1)) {
		*rate_bp = nexact == 1 ? exact : near;
		return KR_OK;
	}
	return kerr_set(e, KR_BAD_INPUT, field, "the platform states no VAT "
	    "rate, and tax %s, which fits %s the VAT rates of %s (%s)", said,
	    nexact + nnear == 0 ? "none of" : "more than one of", country,
	    snap_list(rates, list, sizeof(list)));
}

int
mapping_settle_parts(int64_t total, int64_t *part, size_t n, int exp,
    const char *field, struct kerr *e)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int64_t sum = 0, left;
	size_t i, big = 0;

	if (n == 0)
		return KR_OK;
	for (i = 0; i < n; i++) {
		sum += part[i];
		if ((part[i] < 0 ? -part[i] : part[i]) >
		    (part[big] < 0 ? -part[big] : part[big]))
			big = i;
	}
	left = total - sum;
	if (left > (int64_t)n || left < -(int64_t)n)
		return kerr_set(e, KR_BAD_INPUT, field,
		    "the parts add up to %s, not to the total %s",
		    dec_format(sum, exp, b1), dec_format(total, exp, b2));
	part[big] += left;
	return KR_OK;
}

int
mapping_each(const struct jnode *obj, const char *key, int required,
    const char *ctx, mapping_each_fn fn, void *arg, struct kerr *e)
{
	const struct jnode *arr, *n;
	char path[KERR_FIELD_MAX];
	size_t i = 0;
	int rc;

	rc = jf_array(obj, key, required, &arr, ctx, e);
	for (n = jfirst(arr); rc == KR_OK && n != NULL; n = jnext(arr, n),
	    i++) {
		jf_path_index(path, sizeof(path), ctx, key, i);
		rc = fn(arg, n, i, path);
	}
	return rc;
}

int
mapping_qty(const struct jnode *obj, const char *key, int64_t *qty_e4,
    const char *ctx, struct kerr *e)
{
	char path[KERR_FIELD_MAX], b[DEC_BUFSZ];
	int rc;

	rc = jf_dec(obj, key, QTY_SCALE, JF_REQUIRED, qty_e4, ctx, e);
	if (rc != KR_OK)
		return rc;
	if (*qty_e4 > 0)
		return KR_OK;
	jf_path(path, sizeof(path), ctx, key);
	return kerr_set(e, KR_BAD_INPUT, path,
	    "expected a quantity above 0, got \"%s\"",
	    dec_format_trim(*qty_e4, QTY_SCALE, b));
}

int
mapping_country(const struct jnode *obj, const char *key, char out[3],
    const char *ctx, struct kerr *e)
{
	char path[KERR_FIELD_MAX];
	const char *s = NULL;
	int rc;

	out[0] = '\0';
	rc = jf_str(obj, key, JF_OPTIONAL, &s, ctx, e);
	if (rc != KR_OK || s == NULL || s[0] == '\0')
		return rc;
	if (strlen(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' &&
	    s[1] <= 'Z') {
		memcpy(out, s, 3);
		return KR_OK;
	}
	jf_path(path, sizeof(path), ctx, key);
	return kerr_set(e, KR_BAD_INPUT, path,
	    "expected an ISO 3166 country code like \"DE\", got \"%.20s\"",
	    s);
}

/* A street as an array of lines: the first, and the rest joined. */
static int
address_lines(struct order *o, const struct jnode *arr, struct address *a,
    const char *path, struct kerr *e)
{
	const struct jnode *n;
	char q[64];
	size_t i = 0;

	for (n = jfirst(arr); n != NULL; n = jnext(arr, n), i++) {
		if (n->type != J_STRING)
			return kerr_set(e, KR_BAD_INPUT, path,
			    "expected the street as strings, got %s in line "
			    "%zu", jf_quote(n, q, sizeof(q)), i);
		if (n->u.str[0] == '\0')
			continue;
		if (a->street == NULL)
			a->street = n->u.str;
		else
			mapping_add_reason(o, &a->street2, n->u.str);
	}
	return KR_OK;
}

int
mapping_address(struct order *o, const struct jnode *obj,
    const struct mapping_addr_keys *k, struct address *a, const char *ctx,
    struct kerr *e)
{
	const char *first = NULL, *last = NULL;
	const struct jnode *street = k->street ? jget(obj, k->street) : NULL;
	char path[KERR_FIELD_MAX];
	int rc = KR_OK;

	if (street != NULL && street->type == J_ARRAY) {
		jf_path(path, sizeof(path), ctx, k->street);
		rc = address_lines(o, street, a, path, e);
	} else if (k->street != NULL)
		rc = mapping_text(obj, k->street, &a->street, ctx, e);
	if (rc == KR_OK && k->street2 != NULL && a->street2 == NULL)
		rc = mapping_text(obj, k->street2, &a->street2, ctx, e);
	if (rc == KR_OK && k->first != NULL)
		rc = mapping_text(obj, k->first, &first, ctx, e);
	if (rc == KR_OK && k->last != NULL)
		rc = mapping_text(obj, k->last, &last, ctx, e);
	if (rc == KR_OK && k->name != NULL)
		rc = mapping_text(obj, k->name, &a->name, ctx, e);
	if (rc == KR_OK && k->company != NULL)
		rc = mapping_text(obj, k->company, &a->company, ctx, e);
	if (rc == KR_OK && k->postcode != NULL)
		rc = mapping_text(obj, k->postcode, &a->postcode, ctx, e);
	if (rc == KR_OK && k->city != NULL)
		rc = mapping_text(obj, k->city, &a->city, ctx, e);
	if (rc == KR_OK && k->region != NULL)
		rc = mapping_text(obj, k->region, &a->region, ctx, e);
	if (rc != KR_OK)
		return rc;
	if (first != NULL || last != NULL)
		a->name = mapping_join(o, first, last);
	return k->country == NULL ? KR_OK :
	    mapping_country(obj, k->country, a->country, ctx, e);
}

const char *
mapping_join(struct order *o, const char *first, const char *last)
{
	struct buf b;
	const char *s;

	if (first == NULL || first[0] == '\0')
		return last != NULL && last[0] != '\0' ? last : NULL;
	if (last == NULL || last[0] == '\0')
		return first;
	buf_init(&b, 0);
	buf_printf(&b, "%s %s", first, last);
	s = order_strndup(o, b.data, b.len);
	buf_release(&b);
	return s;
}

/* 1 when code is one of the comma-separated items of list. */
static int
reason_listed(const char *list, const char *code)
{
	size_t n = strlen(code);
	const char *p = list;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, code, n) == 0 && (p[n] == '\0' || p[n] == ','))
			return 1;
		p = strchr(p, ',');
		if (p != NULL)
			p += 2;		/* ", " */
	}
	return 0;
}

void
mapping_add_reason(struct order *o, const char **list, const char *code)
{
	struct buf b;

	if (code == NULL || code[0] == '\0')
		return;
	if (*list == NULL) {
		*list = code;
		return;
	}
	if (reason_listed(*list, code))
		return;
	buf_init(&b, 0);
	buf_printf(&b, "%s, %s", *list, code);
	*list = order_strndup(o, b.data, b.len);
	buf_release(&b);
}

int
mapping_unit_price(int64_t amount_minor, int exp, int64_t qty_e4,
    int64_t *unit_e6)
{
	if (qty_e4 <= 0 || exp < 0 || exp > PRICE_SCALE)
		KBUG("unit price of quantity %lld at exponent %d",
		    (long long)qty_e4, exp);
	return dec_muldiv(amount_minor, dec_pow10(PRICE_SCALE - exp +
	    QTY_SCALE), qty_e4, unit_e6);
}

int
mapping_line_amount(int64_t qty_e4, int64_t unit_e6, int exp,
    int64_t *amount_minor)
{
	return dec_muldiv(qty_e4, unit_e6, dec_pow10(QTY_SCALE + PRICE_SCALE -
	    exp), amount_minor);
}

int
mapping_check_line(const struct order *o, const struct order_line *l,
    const char *ctx, struct kerr *e)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ], b3[DEC_BUFSZ];

	if (l->amount_minor < 0)
		return kerr_set(e, KR_BAD_INPUT, ctx,
		    "the line's amount %s is below 0",
		    dec_format(l->amount_minor, o->exponent, b1));
	if (l->discount_minor < 0 || l->discount_minor > l->amount_minor)
		return kerr_set(e, KR_BAD_INPUT, ctx,
		    "the line's discount %s is not between 0 and its amount "
		    "%s", dec_format(l->discount_minor, o->exponent, b1),
		    dec_format(l->amount_minor, o->exponent, b2));
	if (l->rate_bp < 0 || l->rate_bp > 10000)
		return kerr_set(e, KR_BAD_INPUT, ctx,
		    "the line's tax rate %s %% is not between 0 and 100",
		    dec_format_trim(l->rate_bp, RATE_SCALE, b3));
	return KR_OK;
}

/* Lines and shipping after their discounts, less unallocated discounts. */
static int
order_goods_sum(const struct order *o, int64_t *sum)
{
	int64_t s = 0;
	size_t i;
	int rc = KR_OK;

	for (i = 0; i < o->nlines && rc == KR_OK; i++) {
		rc = dec_add(s, o->lines[i].amount_minor, &s);
		if (rc == KR_OK)
			rc = dec_sub(s, o->lines[i].discount_minor, &s);
	}
	for (i = 0; i < o->nshipping && rc == KR_OK; i++) {
		rc = dec_add(s, o->shipping[i].amount_minor, &s);
		if (rc == KR_OK)
			rc = dec_sub(s, o->shipping[i].discount_minor, &s);
	}
	for (i = 0; i < o->ndiscounts && rc == KR_OK; i++)
		if (!o->discounts[i].allocated)
			rc = dec_sub(s, o->discounts[i].amount_minor, &s);
	*sum = s;
	return rc;
}

/* The stated tax, or the lines' and shipping's taxes when none is. */
static int
order_tax_sum(const struct order *o, int64_t *sum)
{
	int64_t s = 0;
	size_t i;
	int rc = KR_OK;

	if (o->has_tax_total) {
		*sum = o->tax_total_minor;
		return KR_OK;
	}
	for (i = 0; i < o->nlines && rc == KR_OK; i++)
		rc = dec_add(s, o->lines[i].tax_minor, &s);
	for (i = 0; i < o->nshipping && rc == KR_OK; i++)
		rc = dec_add(s, o->shipping[i].tax_minor, &s);
	*sum = s;
	return rc;
}

int
mapping_check_totals(const struct order *o, const char *field,
    struct kerr *e)
{
	char b1[DEC_BUFSZ], b2[DEC_BUFSZ];
	int64_t sum, tax, diff;
	const char *what = "lines and shipping after discounts";

	if (order_goods_sum(o, &sum) != KR_OK)
		return kerr_set(e, KR_OVERFLOW, field,
		    "order %s: the amounts are too large to add up",
		    o->order_number);
	if (o->prices == PRICES_NET) {
		if (order_tax_sum(o, &tax) != KR_OK ||
		    dec_add(sum, tax, &sum) != KR_OK)
			return kerr_set(e, KR_OVERFLOW, field,
			    "order %s: the amounts are too large to add up",
			    o->order_number);
		what = "lines and shipping after discounts, plus the tax,";
	}
	if (dec_sub(sum, o->total_minor, &diff) != KR_OK)
		diff = INT64_MAX;
	if (diff == 0 || (o->prices == PRICES_NET && (diff == 1 ||
	    diff == -1)))
		return KR_OK;
	return kerr_set(e, KR_BAD_INPUT, field,
	    "order %s: %s add up to %s, but the platform states a total of "
	    "%s", o->order_number, what, dec_format(sum, o->exponent, b1),
	    dec_format(o->total_minor, o->exponent, b2));
}

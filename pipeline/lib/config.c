/*
 * Reading the tenant configuration: the file, its sections and lines,
 * [seller], [invoice] and the shops.  [datev] and [accounts] are in
 * config_datev.c.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config_int.h"
#include "cp1252.h"
#include "fs.h"
#include "invoice.h"
#include "utf8.h"

#define CONFIG_FILE_MAX	((size_t)1 << 20)
#define CONFIG_ARENA_MAX	((size_t)8 << 20)

int
cfg_fail(struct parser *p, long line, const char *key, const char *fmt,
    ...)
{
	va_list ap;

	va_start(ap, fmt);
	kerr_vset(p->e, KR_CONFIG, key, fmt, ap);
	va_end(ap);
	kerr_where(p->e, p->c->path, line);
	return KR_CONFIG;
}

static char *
trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
	    end[-1] == '\r'))
		*--end = '\0';
	return s;
}


static const char *
cdup(struct parser *p, const char *s)
{
	char *d = arena_strdup(p->c->arena, s);

	if (d == NULL)
		KBUG("configuration larger than its arena");
	return d;
}

static int
valid_shop_id(const char *s)
{
	if (*s == '\0' || *s == '.' || strlen(s) > 64)
		return 0;
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
		    *s == '.'))
			return 0;
	return 1;
}

/*
 * Refuses a section kontor does not know, and one given twice: the
 * second would silently merge into the first, so that a copied shop
 * section with another name or platform changed half of the first.
 */
static int
check_section(struct parser *p, const char *sec, const char *arg,
    long line)
{
	static const char *const known[] = {"seller", "invoice", "tax",
	    "datev", "accounts"};
	char names[64] = "";
	size_t i;

	if (strcmp(sec, "shop") == 0) {
		if (arg == NULL || !valid_shop_id(arg))
			return cfg_fail(p, line, "", "expected a shop section "
			    "like \"[shop shop-de]\" (an id of up to 64 "
			    "letters, digits, '-', '_', '.')");
	} else {
		for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(sec, known[i]) == 0)
				break;
		if (i == sizeof(known) / sizeof(known[0])) {
			/* Named from the list, so the two never differ. */
			for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
				snprintf(names + strlen(names),
				    sizeof(names) - strlen(names), "%s, ",
				    known[i]);
			return cfg_fail(p, line, "", "unknown section "
			    "\"[%.40s]\" (known: %sshop ID)", sec, names);
		}
		if (arg != NULL)
			return cfg_fail(p, line, "", "section \"[%s]\" takes "
			    "no name, got \"%.40s\"", sec, arg);
	}
	for (i = 0; i < p->nsec; i++)
		if (strcmp(p->sec[i].name, sec) == 0 && (arg == NULL ||
		    strcmp(p->sec[i].arg, arg) == 0))
			return cfg_fail(p, line, "", "section \"[%s%s%s]\" "
			    "again (first on line %ld); give each section "
			    "once", sec, arg ? " " : "", arg ? arg : "",
			    p->sec[i].line);
	if (p->nsec == p->cap_sec) {
		p->cap_sec = p->cap_sec ? p->cap_sec * 2 : 16;
		p->sec = xreallocarray(p->sec, p->cap_sec, sizeof(*p->sec));
	}
	p->sec[p->nsec].name = sec;
	p->sec[p->nsec].arg = arg;
	p->sec[p->nsec++].line = line;
	return KR_OK;
}

static int
parse_section(struct parser *p, char *s, long line, const char **sec,
    const char **arg)
{
	char *end = strchr(s, ']'), *sp;

	if (end == NULL || trim(end + 1)[0] != '\0')
		return cfg_fail(p, line, "", "expected a section like "
		    "\"[seller]\", got \"%.40s\"", s);
	*end = '\0';
	s = trim(s + 1);
	sp = strpbrk(s, " \t");
	*arg = NULL;
	if (sp != NULL) {
		*sp = '\0';
		*arg = cdup(p, trim(sp + 1));
	}
	*sec = cdup(p, s);
	return check_section(p, *sec, *arg, line);
}

static int
add_kv(struct parser *p, const char *sec, const char *arg, char *s,
    long line)
{
	char *eq = strchr(s, '=');
	struct kv *kv;

	if (sec == NULL)
		return cfg_fail(p, line, "", "a key outside any section; "
		    "start with a section like \"[seller]\"");
	if (eq == NULL)
		return cfg_fail(p, line, "", "expected \"key = value\", "
		    "got \"%.40s\"", s);
	*eq = '\0';
	if (p->nkv == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 64;
		p->kv = xreallocarray(p->kv, p->cap, sizeof(*p->kv));
	}
	kv = &p->kv[p->nkv++];
	kv->section = sec;
	kv->section_arg = arg;
	kv->key = cdup(p, trim(s));
	kv->value = cdup(p, trim(eq + 1));
	kv->line = line;
	kv->used = 0;
	if (kv->key[0] == '\0')
		return cfg_fail(p, line, "", "a line with an empty key");
	return KR_OK;
}

static int
parse_text(struct parser *p, char *text)
{
	const char *sec = NULL, *arg = NULL;
	char *line, *next;
	long n = 0;
	int rc;

	for (line = text; line != NULL; line = next) {
		char *s;

		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		n++;
		s = trim(line);
		if (*s == '\0' || *s == '#' || *s == ';')
			continue;
		if (!utf8_valid(s, strlen(s)))
			return cfg_fail(p, n, "",
			    "the line is not valid UTF-8");
		if (*s == '[')
			rc = parse_section(p, s, n, &sec, &arg);
		else
			rc = add_kv(p, sec, arg, s, n);
		if (rc != KR_OK)
			return rc;
	}
	return KR_OK;
}

static const char *
kv_arg(const struct kv *kv)
{
	return kv->section_arg != NULL ? kv->section_arg : "";
}

/* Orders keys by section, section name, key, and then by line. */
static int
kv_cmp(const void *a, const void *b)
{
	const struct kv *x = *(const struct kv *const *)a;
	const struct kv *y = *(const struct kv *const *)b;
	int d;

	if ((d = strcmp(x->section, y->section)) != 0 ||
	    (d = strcmp(kv_arg(x), kv_arg(y))) != 0 ||
	    (d = strcmp(x->key, y->key)) != 0)
		return d;
	return (x->line > y->line) - (x->line < y->line);
}

/*
 * Refuses a key given twice in its section: the second would silently
 * win over the first, so that an edit appended below an old value, or
 * a line copied and half changed, decided what the invoices say.  The
 * keys are sorted, not compared pairwise, so that a file of many lines
 * is checked in about n log n steps; the first line given again is
 * named.
 */
static int
check_twice(struct parser *p)
{
	const struct kv **v, *dup = NULL, *first = NULL;
	size_t i;

	if (p->nkv < 2)
		return KR_OK;
	v = xreallocarray(NULL, p->nkv, sizeof(*v));
	for (i = 0; i < p->nkv; i++)
		v[i] = &p->kv[i];
	qsort(v, p->nkv, sizeof(*v), kv_cmp);
	for (i = 1; i < p->nkv; i++) {
		if (strcmp(v[i]->section, v[i - 1]->section) != 0 ||
		    strcmp(kv_arg(v[i]), kv_arg(v[i - 1])) != 0 ||
		    strcmp(v[i]->key, v[i - 1]->key) != 0)
			continue;
		if (dup == NULL || v[i]->line < dup->line) {
			dup = v[i];
			first = v[i - 1];
		}
	}
	free(v);
	if (dup == NULL)
		return KR_OK;
	if (dup->section_arg != NULL)
		return cfg_fail(p, dup->line, "", "shop %s: %s: given again "
		    "(first on line %ld); give each key once",
		    dup->section_arg, dup->key, first->line);
	return cfg_fail(p, dup->line, "", "%s.%s: given again (first on "
	    "line %ld); give each key once", dup->section, dup->key,
	    first->line);
}

struct kv *
cfg_find(struct parser *p, const char *sec, const char *key)
{
	struct kv *found = NULL;
	size_t i;

	for (i = 0; i < p->nkv; i++) {
		struct kv *kv = &p->kv[i];

		if (strcmp(kv->section, sec) == 0 && kv->section_arg == NULL &&
		    strcmp(kv->key, key) == 0) {
			kv->used = 1;
			found = kv;
		}
	}
	return found;
}

long
cfg_line(struct parser *p, const char *sec, const char *key)
{
	struct kv *kv = cfg_find(p, sec, key);

	return kv != NULL ? kv->line : 0;
}

int
cfg_get_str(struct parser *p, const char *sec, const char *key, int required,
    const char *def, const char **out)
{
	struct kv *kv = cfg_find(p, sec, key);

	if (kv == NULL || kv->value[0] == '\0') {
		if (required)
			return cfg_fail(p, kv ? kv->line : 0, "", "%s.%s: "
			    "required key is %s", sec, key,
			    kv ? "empty" : "missing");
		*out = def;
		return KR_OK;
	}
	*out = kv->value;
	return KR_OK;
}

int
cfg_all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* The keys of [seller] and where they go. */
static const struct {
	const char *key;
	int required;
	const char *def;
	size_t off;
} seller_keys[] = {
	{"name", 1, NULL, offsetof(struct config, seller_name)},
	{"street", 1, NULL, offsetof(struct config, seller_street)},
	{"postcode", 1, NULL, offsetof(struct config, seller_postcode)},
	{"city", 1, NULL, offsetof(struct config, seller_city)},
	{"country", 0, "DE", offsetof(struct config, seller_country)},
	{"vat_id", 0, NULL, offsetof(struct config, seller_vat_id)},
	{"tax_number", 0, NULL, offsetof(struct config, seller_tax_number)},
	{"register_id", 0, NULL,
	    offsetof(struct config, seller_register_id)},
	{"contact_name", 0, NULL, offsetof(struct config, contact_name)},
	{"contact_phone", 0, NULL, offsetof(struct config, contact_phone)},
	{"contact_email", 0, NULL, offsetof(struct config, contact_email)},
	{"endpoint", 0, NULL, offsetof(struct config, endpoint)},
	{"endpoint_scheme", 0, "EM",
	    offsetof(struct config, endpoint_scheme)},
	{"iban", 0, NULL, offsetof(struct config, iban)},
	{"bic", 0, NULL, offsetof(struct config, bic)},
	{"timezone", 0, "Europe/Berlin", offsetof(struct config, timezone)},
};

static int
load_seller(struct parser *p)
{
	struct config *c = p->c;
	struct kv *kv;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(seller_keys) / sizeof(seller_keys[0]); i++) {
		rc = cfg_get_str(p, "seller", seller_keys[i].key,
		    seller_keys[i].required, seller_keys[i].def,
		    (const char **)((char *)c + seller_keys[i].off));
		if (rc != KR_OK)
			return rc;
	}

	if (strcmp(c->seller_country, "DE") != 0) {
		kv = cfg_find(p, "seller", "country");
		return cfg_fail(p, kv ? kv->line : 0, "seller.country",
		    "kontor supports sellers established in Germany (\"DE\"), "
		    "got \"%s\"", c->seller_country);
	}
	if (c->seller_vat_id == NULL && c->seller_tax_number == NULL)
		return cfg_fail(p, 0, "seller.vat_id", "a seller needs a VAT "
		    "id or a tax number (seller.tax_number) on its invoices");
	if (c->seller_vat_id != NULL && (strncmp(c->seller_vat_id, "DE",
	    2) != 0 || strlen(c->seller_vat_id) != 11 ||
	    !cfg_all_digits(c->seller_vat_id + 2))) {
		kv = cfg_find(p, "seller", "vat_id");
		return cfg_fail(p, kv->line, "seller.vat_id", "expected a "
		    "German VAT id like \"DE123456789\", got \"%s\"",
		    c->seller_vat_id);
	}
	return KR_OK;
}

/* DATEV's Belegfeld 1 characters (datev.md §4); others are written '-'. */
static int
docno_char(char ch)
{
	return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
	    (ch >= '0' && ch <= '9') || ch == '$' || ch == '%' || ch == '-' ||
	    ch == '/';
}

/* The length of the placeholder at p ("{YYYY}", "{NNN}"), or 0. */
static size_t
placeholder(const char *p, size_t *digits, int *counter)
{
	size_t n = 1;

	*counter = 0;
	if (strncmp(p, "{YYYY}", 6) == 0) {
		*digits = 4;
		return 6;
	}
	if (strncmp(p, "{YY}", 4) == 0 || strncmp(p, "{MM}", 4) == 0) {
		*digits = 2;
		return 4;
	}
	while (p[n] == 'N')
		n++;
	if (n == 1 || p[n] != '}')
		return 0;
	*counter = 1;
	*digits = n - 1;
	return n + 1;
}

/*
 * Reads a number pattern (docs/config.md): text, {YYYY}, {YY}, {MM} and
 * one {N...}.  *longest gets the length of its longest number, and
 * shape (size bytes) the pattern as DATEV's Belegfeld 1 shows it, text
 * outside DATEV's characters as '-'.  Returns NULL, or what is wrong.
 */
static const char *
pattern_scan(const char *pat, size_t *longest, char *shape, size_t size)
{
	size_t digits, width = 0, n = 0, skip;
	const char *p;
	int counter;

	*longest = 0;
	for (p = pat; *p != '\0'; p += skip) {
		skip = 1;
		/* Numbers go into file names, CSV and XML. */
		if (*p <= ' ' || *p > '~' || *p == '"' || *p == '\\')
			return "letters, digits and punctuation other than "
			    "'\"' and '\\' only";
		if (*p == '}')
			return "a '}' without its '{'";
		if (*p == '{') {
			skip = placeholder(p, &digits, &counter);
			if (skip == 0)
				return "unknown placeholder; known are "
				    "{YYYY}, {YY}, {MM} and {N...}";
			if (counter && width > 0)
				return "more than one counter {N...}";
			if (counter)
				width = digits;
			*longest += digits;
		} else {
			(*longest)++;
		}
		if (n + skip < size) {
			memcpy(shape + n, p, skip);
			if (skip == 1 && !docno_char(*p))
				shape[n] = '-';
			n += skip;
		}
	}
	shape[n] = '\0';
	if (width == 0)
		return "expected one run of digits like {NNNNNN}";
	if (width > 12)
		return "at most 12 digits ({NNNNNNNNNNNN})";
	return NULL;
}

static int
check_pattern(struct parser *p, const char *key, const char *pat,
    char *shape, size_t size)
{
	long line = cfg_line(p, "invoice", key);
	const char *why;
	size_t longest;

	why = pattern_scan(pat, &longest, shape, size);
	if (why != NULL)
		return cfg_fail(p, line, "", "invoice.%s: %s, got \"%s\"",
		    key, why, pat);
	if (longest > CONFIG_NUMBER_MAX)
		return cfg_fail(p, line, "", "invoice.%s: its numbers have up "
		    "to %zu characters, DATEV's Belegfeld 1 takes at most %d, "
		    "got \"%s\"", key, longest, CONFIG_NUMBER_MAX, pat);
	return KR_OK;
}

/*
 * A checked pattern spelled out as one of its numbers: each placeholder
 * digit as '0', with digit[i] set.
 */
struct spelled {
	char s[CONFIG_NUMBER_MAX + 1];
	char digit[CONFIG_NUMBER_MAX];
	size_t n;
};

static void
spell(const char *pat, struct spelled *sp)
{
	size_t digits, i, skip;
	const char *p;
	int counter;

	sp->n = 0;
	for (p = pat; *p != '\0'; p += skip) {
		skip = *p == '{' ? placeholder(p, &digits, &counter) : 0;
		if (skip == 0) {
			skip = 1;
			sp->digit[sp->n] = 0;
			sp->s[sp->n++] = *p;
			continue;
		}
		for (i = 0; i < digits; i++) {
			sp->digit[sp->n] = 1;
			sp->s[sp->n++] = '0';
		}
	}
	sp->s[sp->n] = '\0';
}

/* How number[i] is written: in the number itself, or in Belegfeld 1. */
static char
as_is(const char *number, size_t i)
{
	return number[i];
}

static char
as_docno(const char *number, size_t i)
{
	return docno_char(number[i]) ? number[i] : '-';
}

static int
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * 1 when a number of series a and one of series b can come out alike
 * where map writes them: at each place the same character, or a digit
 * facing a placeholder digit.  A number's map keeps its length.
 */
static int
series_meet(const struct spelled *a, const struct spelled *b,
    char (*map)(const char *, size_t))
{
	size_t i;
	char x, y;

	if (a->n != b->n)
		return 0;
	for (i = 0; i < a->n; i++) {
		x = map(a->s, i);
		y = map(b->s, i);
		if (x != y && !(a->digit[i] && is_digit(y)) &&
		    !(b->digit[i] && is_digit(x)))
			return 0;
	}
	return 1;
}

/*
 * Invoices and credit notes are two series: no number of one may be
 * one of the other, nor look like one in DATEV's Belegfeld 1 (open
 * items are matched on it), nor take the same file name (the documents
 * of a delivery would replace each other).
 */
static int
load_patterns(struct parser *p)
{
	struct config *c = p->c;
	char inv[2 * CONFIG_NUMBER_MAX + 16], cre[sizeof(inv)];
	struct spelled a, b;
	long line;
	int rc;

	if ((rc = check_pattern(p, "number_pattern", c->number_pattern, inv,
	    sizeof(inv))) != KR_OK ||
	    (rc = check_pattern(p, "credit_pattern", c->credit_pattern, cre,
	    sizeof(cre))) != KR_OK)
		return rc;
	spell(c->number_pattern, &a);
	spell(c->credit_pattern, &b);
	line = cfg_line(p, "invoice", "credit_pattern");
	if (strcmp(c->number_pattern, c->credit_pattern) == 0 ||
	    series_meet(&a, &b, as_is))
		return cfg_fail(p, line, "invoice.credit_pattern", "credit "
		    "notes need their own series, and \"%s\" gives numbers "
		    "of number_pattern \"%s\"", c->credit_pattern,
		    c->number_pattern);
	if (series_meet(&a, &b, as_docno))
		return cfg_fail(p, line, "invoice.credit_pattern", "\"%s\" "
		    "and number_pattern \"%s\" can give the same number in "
		    "DATEV's Belegfeld 1 (as \"%s\" and \"%s\"), which takes "
		    "A-Z a-z 0-9 $ %% - / only (kontor writes other "
		    "characters as '-'); credit notes need a series of their "
		    "own there too", c->credit_pattern, c->number_pattern, cre,
		    inv);
	if (series_meet(&a, &b, invoice_file_char))
		return cfg_fail(p, line, "invoice.credit_pattern", "\"%s\" "
		    "and number_pattern \"%s\" can give numbers with the "
		    "same file name, as e-invoices are named with A-Z a-z 0-9 "
		    ". _ - only (kontor writes other characters as '_'); "
		    "credit notes need a series of their own there too",
		    c->credit_pattern, c->number_pattern);
	return KR_OK;
}

static int
load_invoice(struct parser *p)
{
	struct config *c = p->c;
	int rc;

	if ((rc = cfg_get_str(p, "invoice", "number_pattern", 0,
	    "RE-{YYYY}-{NNNNNN}", &c->number_pattern)) ||
	    (rc = cfg_get_str(p, "invoice", "credit_pattern", 0,
	    "GS-{YYYY}-{NNNNNN}", &c->credit_pattern)) ||
	    (rc = cfg_get_str(p, "invoice", "terms_paid", 0,
	    "Bezahlt im Shop.", &c->terms_paid)) ||
	    (rc = cfg_get_str(p, "invoice", "terms_transfer", 0,
	    "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
	    &c->terms_transfer)))
		return rc;
	return load_patterns(p);
}

static struct shop_cfg *
shop_for(struct parser *p, const char *id)
{
	struct config *c = p->c;
	size_t i;

	for (i = 0; i < c->nshops; i++)
		if (strcmp(c->shops[i].id, id) == 0)
			return &c->shops[i];
	c->shops = xreallocarray(c->shops, c->nshops + 1, sizeof(*c->shops));
	memset(&c->shops[c->nshops], 0, sizeof(c->shops[0]));
	c->shops[c->nshops].id = id;
	return &c->shops[c->nshops++];
}

/* The line of key in the section of shop id, or 0. */
static long
shop_line(const struct parser *p, const char *id, const char *key)
{
	long line = 0;
	size_t i;

	for (i = 0; i < p->nkv; i++)
		if (strcmp(p->kv[i].section, "shop") == 0 &&
		    strcmp(p->kv[i].section_arg, id) == 0 &&
		    strcmp(p->kv[i].key, key) == 0)
			line = p->kv[i].line;
	return line;
}

/*
 * The shop's name starts DATEV's Buchungstext, "<name> <order number>"
 * (60 characters), counted as DATEV sees it: in Windows-1252 after
 * kontor's transliteration (cp1252.h).
 */
static int
check_shop_name(struct parser *p, struct cp1252 *enc,
    const struct shop_cfg *s)
{
	const char *key = s->name == s->platform ? "platform" : "name";
	long line = shop_line(p, s->id, key);
	struct kerr e;
	struct buf b;
	size_t len;
	int rc;

	kerr_clear(&e);
	buf_init(&b, 0);
	cp1252_reset_counts(enc);
	rc = cp1252_add(enc, &b, s->name, strlen(s->name), &e);
	len = b.len;
	buf_release(&b);
	if (rc != KR_OK)
		return cfg_fail(p, line, "", "shop %s: %s: %s", s->id, key,
		    e.msg);
	if (enc->n_control > 0)
		return cfg_fail(p, line, "", "shop %s: %s: no control "
		    "characters such as tabs, got \"%s\"", s->id, key,
		    s->name);
	if (len > CONFIG_SHOP_NAME_MAX)
		return cfg_fail(p, line, "", "shop %s: %s: \"%s\" has %zu "
		    "characters in DATEV, at most %d fit: the name starts "
		    "the Buchungstext \"<name> <order number>\" of %d "
		    "characters, with room for an order number of %d; give "
		    "the shop a shorter name", s->id, key, s->name, len,
		    CONFIG_SHOP_NAME_MAX, CONFIG_TEXT_MAX,
		    CONFIG_TEXT_MAX - CONFIG_SHOP_NAME_MAX - 1);
	return KR_OK;
}

static int
load_shop_lines(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nkv; i++) {
		struct kv *kv = &p->kv[i];
		struct shop_cfg *s;

		if (strcmp(kv->section, "shop") != 0)
			continue;
		kv->used = 1;
		s = shop_for(p, kv->section_arg);
		if (strcmp(kv->key, "platform") == 0)
			s->platform = kv->value;
		else if (strcmp(kv->key, "name") == 0)
			s->name = kv->value;
		else
			return cfg_fail(p, kv->line, "",
			    "shop %s: unknown key \"%s\" (known: "
			    "platform, name)", s->id, kv->key);
	}
	return KR_OK;
}

static int
get_choice(struct parser *p, const char *key, const char *const *names,
    int def, int *out)
{
	const char *v;
	int i;

	cfg_get_str(p, "tax", key, 0, NULL, &v);
	if (v == NULL) {
		*out = def;
		return KR_OK;
	}
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(v, names[i]) == 0) {
			*out = i;
			return KR_OK;
		}
	return cfg_fail(p, cfg_line(p, "tax", key), "", "tax.%s: expected "
	    "one of %s%s%s%s%s, got \"%s\"", key, names[0],
	    names[1] ? ", " : "", names[1] ? names[1] : "",
	    names[1] && names[2] ? ", " : "", names[1] && names[2] ?
	    names[2] : "", v);
}

static int
load_tax(struct parser *p)
{
	static const char *const oss[] = {"registered", "threshold", "below",
	    NULL};
	static const char *const yesno[] = {"no", "yes", NULL};
	struct config *c = p->c;
	const char *prior;
	int v, rc;

	if ((rc = get_choice(p, "oss", oss, OSS_THRESHOLD, &v)) != KR_OK)
		return rc;
	c->oss = (enum oss_mode)v;
	if ((rc = get_choice(p, "small_business", yesno, 0, &v)) != KR_OK)
		return rc;
	c->small_business = v;
	cfg_get_str(p, "tax", "vat_rates", 0, NULL, &c->vat_rates);
	cfg_get_str(p, "tax", "fx_rates", 0, NULL, &c->fx_rates);
	cfg_get_str(p, "tax", "vies", 0, NULL, &c->vies);
	cfg_get_str(p, "tax", "oss_prior_year_eur", 0, "0", &prior);
	if (!cfg_all_digits(prior) || strlen(prior) > 12)
		return cfg_fail(p, cfg_line(p, "tax", "oss_prior_year_eur"),
		    "", "tax.oss_prior_year_eur: expected whole euros, got "
		    "\"%s\"", prior);
	c->oss_prior_eur = strtol(prior, NULL, 10);
	return KR_OK;
}

static int
load_shops(struct parser *p)
{
	struct cp1252 enc;
	size_t i;
	int rc;

	rc = load_shop_lines(p);
	if (rc != KR_OK)
		return rc;
	rc = cp1252_init(&enc, p->e);
	if (rc != KR_OK)
		return rc;
	for (i = 0; i < p->c->nshops && rc == KR_OK; i++) {
		struct shop_cfg *s = &p->c->shops[i];

		if (s->platform == NULL || s->platform[0] == '\0') {
			rc = cfg_fail(p, shop_line(p, s->id, "platform"), "",
			    "shop %s: required key platform is %s", s->id,
			    s->platform ? "empty" : "missing");
			break;
		}
		if (s->name == NULL || s->name[0] == '\0')
			s->name = s->platform;
		rc = check_shop_name(p, &enc, s);
	}
	cp1252_release(&enc);
	return rc;
}

/* Every key must be known: a typo must not silently fall back to a default. */
static int
check_unused(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nkv; i++)
		if (!p->kv[i].used)
			return cfg_fail(p, p->kv[i].line, "", "%s.%s: unknown "
			    "key (docs/config.md lists the keys)",
			    p->kv[i].section, p->kv[i].key);
	return KR_OK;
}

static int
read_file(struct config *c, const char *path, char **text, struct kerr *e)
{
	FILE *fp = fs_fopen_regular(path);
	struct buf b;
	char chunk[8192];
	size_t n;

	if (fp == NULL) {
		kerr_where(e, path, 0);
		return kerr_set(e, errno == ENOENT ? KR_CONFIG : KR_IO, "",
		    "cannot open the configuration: %s", strerror(errno));
	}
	buf_init(&b, CONFIG_FILE_MAX);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (buf_add(&b, chunk, n) != KR_OK) {
			fclose(fp);
			buf_release(&b);
			kerr_where(e, path, 0);
			return kerr_set(e, KR_CONFIG, "",
			    "configuration larger than %zu KiB",
			    CONFIG_FILE_MAX >> 10);
		}
	fclose(fp);
	if (memchr(b.data ? b.data : "", '\0', b.len) != NULL) {
		buf_release(&b);
		kerr_where(e, path, 0);
		return kerr_set(e, KR_CONFIG, "", "not a text file");
	}
	(void)c;
	*text = buf_take(&b, NULL);
	return KR_OK;
}

int
config_load(struct config *c, const char *path, struct kerr *e)
{
	struct parser p;
	char *text = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	c->arena = arena_new(CONFIG_ARENA_MAX);
	c->path = arena_strdup(c->arena, path);
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.e = e;

	rc = read_file(c, path, &text, e);
	if (rc == KR_OK)
		rc = parse_text(&p, text);
	if (rc == KR_OK)
		rc = check_twice(&p);
	if (rc == KR_OK && (rc = load_seller(&p)) == KR_OK &&
	    (rc = load_invoice(&p)) == KR_OK &&
	    (rc = load_tax(&p)) == KR_OK &&
	    (rc = cfg_load_datev(&p)) == KR_OK &&
	    (rc = cfg_load_accounts(&p)) == KR_OK &&
	    (rc = load_shops(&p)) == KR_OK)
		rc = check_unused(&p);
	free(text);
	free(p.kv);
	free(p.sec);
	if (rc != KR_OK)
		config_release(c);
	return rc;
}

void
config_release(struct config *c)
{
	free(c->shops);
	arena_free(c->arena);
	memset(c, 0, sizeof(*c));
}

const struct shop_cfg *
config_shop(const struct config *c, const char *id)
{
	size_t i;

	for (i = 0; i < c->nshops; i++)
		if (strcmp(c->shops[i].id, id) == 0)
			return &c->shops[i];
	return NULL;
}

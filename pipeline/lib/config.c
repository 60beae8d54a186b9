#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "config.h"
#include "utf8.h"

#define CONFIG_FILE_MAX	((size_t)1 << 20)
#define CONFIG_ARENA_MAX	((size_t)8 << 20)

/* One "key = value" line as read, before it is checked. */
struct kv {
	const char *section;	/* "seller", "shop", ... */
	const char *section_arg;	/* "shop-de" in [shop shop-de] */
	const char *key;
	const char *value;
	long line;
	int used;
};

struct parser {
	struct config *c;
	struct kerr *e;
	struct kv *kv;
	size_t nkv, cap;
};

static int
cfg_fail(struct parser *p, long line, const char *key, const char *fmt,
    ...) __attribute__((format(printf, 4, 5)));

static int
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
	return KR_OK;
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

/* Looks up section.key (the last one given wins) and marks it used. */
static struct kv *
find(struct parser *p, const char *sec, const char *key)
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

static int
get_str(struct parser *p, const char *sec, const char *key, int required,
    const char *def, const char **out)
{
	struct kv *kv = find(p, sec, key);

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

static int
get_long(struct parser *p, const char *sec, const char *key, long min,
    long max, long def, int required, long *out)
{
	struct kv *kv = find(p, sec, key);
	char *end;
	long v;

	if (kv == NULL || kv->value[0] == '\0') {
		if (required)
			return cfg_fail(p, kv ? kv->line : 0, "", "%s.%s: "
			    "required key is %s", sec, key,
			    kv ? "empty" : "missing");
		*out = def;
		return KR_OK;
	}
	errno = 0;
	v = strtol(kv->value, &end, 10);
	if (*end != '\0' || errno != 0 || v < min || v > max ||
	    kv->value[0] == '-' || kv->value[0] == '+')
		return cfg_fail(p, kv->line, "", "%s.%s: expected a whole "
		    "number from %ld to %ld, got \"%s\"", sec, key, min, max,
		    kv->value);
	*out = v;
	return KR_OK;
}

static int
all_digits(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

static int
load_seller(struct parser *p)
{
	struct config *c = p->c;
	struct kv *kv;
	int rc;

	if ((rc = get_str(p, "seller", "name", 1, NULL, &c->seller_name)) ||
	    (rc = get_str(p, "seller", "street", 1, NULL,
	    &c->seller_street)) ||
	    (rc = get_str(p, "seller", "postcode", 1, NULL,
	    &c->seller_postcode)) ||
	    (rc = get_str(p, "seller", "city", 1, NULL, &c->seller_city)) ||
	    (rc = get_str(p, "seller", "country", 0, "DE",
	    &c->seller_country)) ||
	    (rc = get_str(p, "seller", "vat_id", 0, NULL,
	    &c->seller_vat_id)) ||
	    (rc = get_str(p, "seller", "tax_number", 0, NULL,
	    &c->seller_tax_number)) ||
	    (rc = get_str(p, "seller", "register_id", 0, NULL,
	    &c->seller_register_id)) ||
	    (rc = get_str(p, "seller", "contact_name", 0, NULL,
	    &c->contact_name)) ||
	    (rc = get_str(p, "seller", "contact_phone", 0, NULL,
	    &c->contact_phone)) ||
	    (rc = get_str(p, "seller", "contact_email", 0, NULL,
	    &c->contact_email)) ||
	    (rc = get_str(p, "seller", "endpoint", 0, NULL, &c->endpoint)) ||
	    (rc = get_str(p, "seller", "endpoint_scheme", 0, "EM",
	    &c->endpoint_scheme)) ||
	    (rc = get_str(p, "seller", "iban", 0, NULL, &c->iban)) ||
	    (rc = get_str(p, "seller", "bic", 0, NULL, &c->bic)) ||
	    (rc = get_str(p, "seller", "timezone", 0, "Europe/Berlin",
	    &c->timezone)))
		return rc;

	if (strcmp(c->seller_country, "DE") != 0) {
		kv = find(p, "seller", "country");
		return cfg_fail(p, kv ? kv->line : 0, "seller.country",
		    "kontor supports sellers established in Germany (\"DE\"), "
		    "got \"%s\"", c->seller_country);
	}
	if (c->seller_vat_id == NULL && c->seller_tax_number == NULL)
		return cfg_fail(p, 0, "seller.vat_id", "a seller needs a VAT "
		    "id or a tax number (seller.tax_number) on its invoices");
	if (c->seller_vat_id != NULL && (strncmp(c->seller_vat_id, "DE",
	    2) != 0 || strlen(c->seller_vat_id) != 11 ||
	    !all_digits(c->seller_vat_id + 2))) {
		kv = find(p, "seller", "vat_id");
		return cfg_fail(p, kv->line, "seller.vat_id", "expected a "
		    "German VAT id like \"DE123456789\", got \"%s\"",
		    c->seller_vat_id);
	}
	return KR_OK;
}

static int
check_pattern(struct parser *p, const char *key, const char *pat)
{
	const char *n = strstr(pat, "{N");
	struct kv *kv = find(p, "invoice", key);
	size_t width = 0;

	if (n != NULL)
		for (n++; *n == 'N'; n++)
			width++;
	if (width == 0 || *n != '}' || strstr(n, "{N") != NULL)
		return cfg_fail(p, kv ? kv->line : 0, "",
		    "invoice.%s: expected one run of digits like "
		    "{NNNNNN} in the pattern, got \"%s\"", key, pat);
	if (width > 12)
		return cfg_fail(p, kv ? kv->line : 0, "",
		    "invoice.%s: at most 12 digits ({NNNNNNNNNNNN}), "
		    "got %zu", key, width);
	/* Numbers go into file names, CSV and XML: printable ASCII only. */
	for (n = pat; *n != '\0'; n++)
		if (*n <= ' ' || *n > '~' || *n == '"' || *n == '\\')
			return cfg_fail(p, kv ? kv->line : 0, "",
			    "invoice.%s: letters, digits and punctuation "
			    "other than '\"' and '\\' only, got \"%s\"", key,
			    pat);
	return KR_OK;
}

static int
load_invoice(struct parser *p)
{
	struct config *c = p->c;
	int rc;

	if ((rc = get_str(p, "invoice", "number_pattern", 0,
	    "RE-{YYYY}-{NNNNNN}", &c->number_pattern)) ||
	    (rc = get_str(p, "invoice", "credit_pattern", 0,
	    "GS-{YYYY}-{NNNNNN}", &c->credit_pattern)) ||
	    (rc = get_str(p, "invoice", "terms_paid", 0, "Bezahlt im Shop.",
	    &c->terms_paid)) ||
	    (rc = get_str(p, "invoice", "terms_transfer", 0,
	    "Zahlbar innerhalb von 14 Tagen ohne Abzug.",
	    &c->terms_transfer)) ||
	    (rc = check_pattern(p, "number_pattern", c->number_pattern)) ||
	    (rc = check_pattern(p, "credit_pattern", c->credit_pattern)))
		return rc;
	if (strcmp(c->number_pattern, c->credit_pattern) == 0)
		return cfg_fail(p, 0, "invoice.credit_pattern", "credit notes "
		    "need their own series, not the invoices' pattern");
	return KR_OK;
}

static int
load_chart(struct parser *p)
{
	struct config *c = p->c;
	const char *chart;
	int rc;

	rc = get_str(p, "datev", "chart", 0, "SKR03", &chart);
	if (rc != KR_OK)
		return rc;
	if (strcmp(chart, "SKR03") == 0)
		c->chart = 3;
	else if (strcmp(chart, "SKR04") == 0)
		c->chart = 4;
	else
		return cfg_fail(p, find(p, "datev", "chart")->line,
		    "datev.chart", "expected \"SKR03\" or \"SKR04\", got "
		    "\"%s\"", chart);
	return KR_OK;
}

static int
load_fiscal_year(struct parser *p)
{
	struct config *c = p->c;
	const char *fy;
	struct kv *kv;
	int m, d;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};

	get_str(p, "datev", "fiscal_year_start", 0, "01-01", &fy);
	kv = find(p, "datev", "fiscal_year_start");
	if (strlen(fy) != 5 || sscanf(fy, "%2d-%2d", &m, &d) != 2 ||
	    fy[2] != '-' || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return cfg_fail(p, kv ? kv->line : 0,
		    "datev.fiscal_year_start", "expected the month and day "
		    "the fiscal year starts, like \"01-01\", got \"%s\"", fy);
	c->fy_start_month = m;
	c->fy_start_day = d;
	return KR_OK;
}

static int
check_account_digits(struct parser *p, const char *key, const char *acct,
    size_t min, size_t max, long line)
{
	size_t n = strlen(acct);

	if (!all_digits(acct) || n < min || n > max || acct[0] == '0')
		return cfg_fail(p, line, key, "expected an account of %zu to "
		    "%zu digits, got \"%s\"", min, max, acct);
	return KR_OK;
}

static int
load_datev(struct parser *p)
{
	struct config *c = p->c;
	const char *mode, *dates;
	long n;
	int rc;

	if ((rc = get_long(p, "datev", "consultant", 1001, 9999999, 0, 1,
	    &c->consultant)) ||
	    (rc = get_long(p, "datev", "client", 1, 99999, 0, 1,
	    &c->client)) ||
	    (rc = load_chart(p)) ||
	    (rc = get_long(p, "datev", "account_length", 4, 8, 4, 0, &n)))
		return rc;
	c->account_length = (int)n;
	if ((rc = load_fiscal_year(p)) != KR_OK)
		return rc;

	get_str(p, "datev", "debitor_mode", 0, "collective", &mode);
	if (strcmp(mode, "collective") != 0)
		return cfg_fail(p, find(p, "datev", "debitor_mode")->line,
		    "datev.debitor_mode", "expected \"collective\" (one "
		    "debitor for all customers), got \"%s\"", mode);
	c->debitor_mode = DEBITOR_COLLECTIVE;
	get_str(p, "datev", "debitor", 0, c->account_length == 4 ? "10000" :
	    NULL, &c->debitor);
	if (c->debitor == NULL)
		return cfg_fail(p, 0, "datev.debitor", "required with an "
		    "account length other than 4");
	rc = check_account_digits(p, "datev.debitor", c->debitor,
	    (size_t)c->account_length + 1, (size_t)c->account_length + 1,
	    find(p, "datev", "debitor") ? find(p, "datev", "debitor")->line :
	    0);
	if (rc != KR_OK)
		return rc;
	if (c->debitor[0] > '6')
		return cfg_fail(p, find(p, "datev", "debitor")->line,
		    "datev.debitor", "a debitor starts with 1 to 6 (7 to 9 "
		    "are creditors), got \"%s\"", c->debitor);

	get_str(p, "datev", "service_dates", 0, "yes", &dates);
	if (strcmp(dates, "yes") != 0 && strcmp(dates, "no") != 0)
		return cfg_fail(p, find(p, "datev", "service_dates")->line,
		    "datev.service_dates", "expected \"yes\" or \"no\", got "
		    "\"%s\"", dates);
	c->service_dates = strcmp(dates, "yes") == 0;
	get_str(p, "datev", "exported_by", 0, "kontor", &c->exported_by);
	get_str(p, "datev", "dictation", 0, "", &c->dictation);
	return KR_OK;
}

static int
valid_from(const char *s)
{
	int y, m, d;

	return strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d", &y, &m, &d) == 3 &&
	    s[4] == '-' && s[7] == '-' && m >= 1 && m <= 12 && d >= 1 &&
	    d <= 31;
}

static int
load_accounts(struct parser *p)
{
	struct config *c = p->c;
	size_t i, n = 0;
	int rc;

	for (i = 0; i < p->nkv; i++)
		if (strcmp(p->kv[i].section, "accounts") == 0)
			n++;
	c->accounts = arena_alloc(c->arena,
	    (n ? n : 1) * sizeof(*c->accounts));
	for (i = 0; i < p->nkv; i++) {
		struct kv *kv = &p->kv[i];
		struct account_cfg *a;
		const char *at;

		if (strcmp(kv->section, "accounts") != 0)
			continue;
		kv->used = 1;
		a = &c->accounts[c->naccounts++];
		at = strchr(kv->key, '@');
		a->key = at ? arena_strndup(c->arena, kv->key,
		    (size_t)(at - kv->key)) : kv->key;
		a->from = at ? at + 1 : "";
		a->account = kv->value;
		if (at != NULL && !valid_from(a->from))
			return cfg_fail(p, kv->line, "",
			    "accounts.%s: expected a start date like "
			    "\"@2027-01-01\" after the key", kv->key);
		rc = check_account_digits(p, "", a->account, 1,
		    (size_t)c->account_length, kv->line);
		if (rc != KR_OK)
			return cfg_fail(p, kv->line, "",
			    "accounts.%s: expected a general ledger "
			    "account of 1 to %d digits, got \"%s\"",
			    kv->key, c->account_length, a->account);
	}
	return KR_OK;
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

static int
load_shops(struct parser *p)
{
	size_t i;

	for (i = 0; i < p->nkv; i++) {
		struct kv *kv = &p->kv[i];
		struct shop_cfg *s;

		if (strcmp(kv->section, "shop") != 0)
			continue;
		if (kv->section_arg == NULL || !valid_shop_id(kv->section_arg))
			return cfg_fail(p, kv->line, "",
			    "expected a shop section like "
			    "\"[shop shop-de]\" (letters, digits, '-', "
			    "'_', '.')");
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
	for (i = 0; i < p->c->nshops; i++) {
		struct shop_cfg *s = &p->c->shops[i];

		if (s->platform == NULL)
			return cfg_fail(p, 0, "", "shop %s: required key "
			    "platform is missing", s->id);
		if (s->name == NULL)
			s->name = s->platform;
	}
	return KR_OK;
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
	FILE *fp = fopen(path, "r");
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
	if (rc == KR_OK && (rc = load_seller(&p)) == KR_OK &&
	    (rc = load_invoice(&p)) == KR_OK &&
	    (rc = load_datev(&p)) == KR_OK &&
	    (rc = load_accounts(&p)) == KR_OK &&
	    (rc = load_shops(&p)) == KR_OK)
		rc = check_unused(&p);
	free(text);
	free(p.kv);
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

/* Defaults of ../spec/datev.md §7: SKR03, then SKR04. */
static const struct {
	const char *key, *skr03, *skr04;
} defaults[] = {
	{"revenue.19", "8400", "4400"},
	{"revenue.7", "8300", "4300"},
	{"revenue.intra_eu", "8125", "4125"},
	{"revenue.export", "8120", "4120"},
	{"revenue.oss", "8320", "4320"},
	{"reduction.19", "8720", "4720"},
	{"reduction.7", "8710", "4710"},
	{"reduction.intra_eu", "8724", "4724"},
	{"reduction.export", "8705", "4705"},
};

const char *
config_account(const struct config *c, const char *key, const char *date)
{
	const struct account_cfg *best = NULL;
	size_t i;

	for (i = 0; i < c->naccounts; i++) {
		const struct account_cfg *a = &c->accounts[i];

		if (strcmp(a->key, key) != 0 || strcmp(a->from, date) > 0)
			continue;
		if (best == NULL || strcmp(a->from, best->from) >= 0)
			best = a;
	}
	if (best != NULL)
		return best->account;
	for (i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
		if (strcmp(defaults[i].key, key) == 0)
			return c->chart == 4 ? defaults[i].skr04 :
			    defaults[i].skr03;
	return NULL;
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

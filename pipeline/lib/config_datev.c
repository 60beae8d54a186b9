/*
 * The [datev] and [accounts] sections of the tenant configuration, and
 * the account lookup.  Every value that goes into a DATEV file is
 * checked here against DATEV's rules (../spec/datev.md §2 and §4), so
 * that a tenant whose configuration DATEV would refuse is refused by
 * every stage at its start, before kontor-tax draws a number that could
 * then not be delivered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "dec.h"
#include "ktime.h"

#define LETTERS	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
#define DIGITS	"0123456789"

static int
get_long(struct parser *p, const char *sec, const char *key, long min,
    long max, long def, int required, long *out)
{
	struct kv *kv = cfg_find(p, sec, key);
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
load_chart(struct parser *p)
{
	struct config *c = p->c;
	const char *chart;
	int rc;

	rc = cfg_get_str(p, "datev", "chart", 0, "SKR03", &chart);
	if (rc != KR_OK)
		return rc;
	if (strcmp(chart, "SKR03") == 0)
		c->chart = 3;
	else if (strcmp(chart, "SKR04") == 0)
		c->chart = 4;
	else
		return cfg_fail(p, cfg_line(p, "datev", "chart"),
		    "datev.chart", "expected \"SKR03\" or \"SKR04\", got "
		    "\"%s\"", chart);
	return KR_OK;
}

/*
 * "MM-DD", and DD must be 01: a DATEV batch never spans two fiscal
 * years, and kontor writes one batch per calendar month.
 */
static int
load_fiscal_year(struct parser *p)
{
	struct config *c = p->c;
	long line = cfg_line(p, "datev", "fiscal_year_start");
	const char *fy;
	int m, d;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};

	cfg_get_str(p, "datev", "fiscal_year_start", 0, "01-01", &fy);
	if (strlen(fy) != 5 || sscanf(fy, "%2d-%2d", &m, &d) != 2 ||
	    fy[2] != '-' || strspn(fy, DIGITS "-") != 5 || m < 1 || m > 12 ||
	    d < 1 || d > mdays[m - 1])
		return cfg_fail(p, line, "datev.fiscal_year_start", "expected "
		    "the month and day the fiscal year starts, like "
		    "\"01-01\", got \"%s\"", fy);
	if (d != 1)
		return cfg_fail(p, line, "datev.fiscal_year_start", "kontor "
		    "writes one DATEV batch per month and a batch never "
		    "spans two fiscal years, so the fiscal year must start "
		    "on the first of a month, like \"%02d-01\", got \"%s\"",
		    m, fy);
	c->fy_start_month = m;
	c->fy_start_day = d;
	return KR_OK;
}

static int
check_account_digits(struct parser *p, const char *key, const char *acct,
    size_t min, size_t max, long line)
{
	size_t n = strlen(acct);

	if (!cfg_all_digits(acct) || n < min || n > max || acct[0] == '0')
		return cfg_fail(p, line, key, "expected an account of %zu to "
		    "%zu digits, got \"%s\"", min, max, acct);
	return KR_OK;
}

static int
load_debitor(struct parser *p)
{
	struct config *c = p->c;
	long line = cfg_line(p, "datev", "debitor");
	const char *mode;
	int rc;

	cfg_get_str(p, "datev", "debitor_mode", 0, "collective", &mode);
	if (strcmp(mode, "collective") != 0)
		return cfg_fail(p, cfg_line(p, "datev", "debitor_mode"),
		    "datev.debitor_mode", "expected \"collective\" (one "
		    "debitor for all customers), got \"%s\"", mode);
	c->debitor_mode = DEBITOR_COLLECTIVE;
	cfg_get_str(p, "datev", "debitor", 0, c->account_length == 4 ?
	    "10000" : NULL, &c->debitor);
	if (c->debitor == NULL)
		return cfg_fail(p, 0, "datev.debitor", "required with an "
		    "account length other than 4");
	rc = check_account_digits(p, "datev.debitor", c->debitor,
	    (size_t)c->account_length + 1, (size_t)c->account_length + 1,
	    line);
	if (rc != KR_OK)
		return rc;
	if (c->debitor[0] > '6')
		return cfg_fail(p, line, "datev.debitor", "a debitor starts "
		    "with 1 to 6 (7 to 9 are creditors), got \"%s\"",
		    c->debitor);
	return KR_OK;
}

/* Header fields 9 and 18 (datev.md §2). */
static int
load_header_texts(struct parser *p)
{
	struct config *c = p->c;
	const char *x, *d;

	cfg_get_str(p, "datev", "exported_by", 0, "kontor", &x);
	if (strlen(x) > CONFIG_EXPORTED_BY_MAX ||
	    strspn(x, LETTERS DIGITS "_") != strlen(x))
		return cfg_fail(p, cfg_line(p, "datev", "exported_by"),
		    "datev.exported_by", "expected up to %d letters, digits "
		    "or '_' (DATEV header field 9, Exportiert von), got "
		    "\"%s\"", CONFIG_EXPORTED_BY_MAX, x);
	cfg_get_str(p, "datev", "dictation", 0, "", &d);
	if (d[0] != '\0' && (strlen(d) != 2 ||
	    strspn(d, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 2))
		return cfg_fail(p, cfg_line(p, "datev", "dictation"),
		    "datev.dictation", "expected two capital letters like "
		    "\"KT\", or nothing (DATEV header field 18, "
		    "Diktatk\xC3\xBCrzel), got \"%s\"", d);
	c->exported_by = x;
	c->dictation = d;
	return KR_OK;
}

int
cfg_load_datev(struct parser *p)
{
	struct config *c = p->c;
	const char *dates;
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
	if ((rc = load_fiscal_year(p)) != KR_OK ||
	    (rc = load_debitor(p)) != KR_OK)
		return rc;

	cfg_get_str(p, "datev", "service_dates", 0, "yes", &dates);
	if (strcmp(dates, "yes") != 0 && strcmp(dates, "no") != 0)
		return cfg_fail(p, cfg_line(p, "datev", "service_dates"),
		    "datev.service_dates", "expected \"yes\" or \"no\", got "
		    "\"%s\"", dates);
	c->service_dates = strcmp(dates, "yes") == 0;
	return load_header_texts(p);
}

/* [accounts] */

/* Defaults of ../spec/datev.md §7: SKR03, then SKR04. */
static const struct {
	const char *key, *skr03, *skr04;
} defaults[] = {
	{"revenue.19", "8400", "4400"},
	{"revenue.7", "8300", "4300"},
	{"revenue.intra_eu", "8125", "4125"},
	{"revenue.export", "8120", "4120"},
	{"revenue.oss", "8320", "4320"},
	{"revenue.small_business", "8195", "4185"},
	{"revenue.deemed_supplier", "8338", "4338"},
	{"key.oss", "240", "240"},
	{"reduction.19", "8720", "4720"},
	{"reduction.7", "8710", "4710"},
	{"reduction.intra_eu", "8724", "4724"},
	{"reduction.export", "8705", "4705"},
};

/* The keys kontor looks up besides revenue.RATE and reduction.RATE. */
static const char *const named_keys[] = {
	"revenue.intra_eu", "revenue.export", "revenue.oss",
	"revenue.small_business", "revenue.deemed_supplier", "key.oss",
	"reduction.intra_eu", "reduction.export", "rounding",
};

/*
 * The OSS keys per destination: "revenue.oss.FR", "revenue.oss.FR.20",
 * "key.oss.AT.4.9".  The country is a member state's ISO code other
 * than DE (GR for Greece, XI for Northern Ireland); the rate as
 * rate_check wants it.
 */
static int oss_key_ok(const char *key);

/*
 * How a rate key is spelt where kontor looks it up: the percentage with
 * trailing zeros dropped (dec_format_trim), "19", "7", "5.5", "0".
 */
static int
rate_check(const char *rate, char canon[DEC_BUFSZ])
{
	int64_t bp;

	canon[0] = '\0';
	if (rate[0] == '\0' || strspn(rate, DIGITS ".") != strlen(rate) ||
	    dec_parse(rate, (size_t)-1, RATE_SCALE, &bp) != KR_OK ||
	    bp >= 100 * 100)
		return 0;
	dec_format_trim(bp, RATE_SCALE, canon);
	return strcmp(canon, rate) == 0;
}

/*
 * Checks the key part of an [accounts] line (before any '@'), which
 * line names as written.  A misspelt key would never be looked up, so
 * the account it names would silently not be used.
 */
static int
check_account_key(struct parser *p, const struct kv *kv, const char *key)
{
	char canon[DEC_BUFSZ];
	const char *rate = NULL;
	size_t i;

	for (i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (strcmp(key, named_keys[i]) == 0)
			return KR_OK;
	if (oss_key_ok(key))
		return KR_OK;
	if (strncmp(key, "revenue.oss.", 12) == 0 ||
	    strncmp(key, "key.oss.", 8) == 0)
		return cfg_fail(p, kv->line, "", "accounts.%s: expected "
		    "%.*s.CC or %.*s.CC.RATE with the ISO code of a member "
		    "state other than DE (GR, XI) and a rate like 20 or 5.5",
		    kv->key, (int)(strchr(key + 4, '.') - key),
		    key, (int)(strchr(key + 4, '.') - key), key);
	if (strncmp(key, "revenue.", 8) == 0)
		rate = key + 8;
	else if (strncmp(key, "reduction.", 10) == 0)
		rate = key + 10;
	if (rate != NULL && rate_check(rate, canon))
		return KR_OK;
	if (rate != NULL && canon[0] != '\0')
		return cfg_fail(p, kv->line, "", "accounts.%s: write the rate "
		    "as kontor looks it up, \"%.*s%s\"", kv->key,
		    (int)(rate - key), key, canon);
	return cfg_fail(p, kv->line, "", "accounts.%s: unknown key (known: "
	    "revenue.RATE and reduction.RATE with a VAT rate in percent "
	    "like 19, 7, 5.5 or 0, revenue.intra_eu, revenue.export, "
	    "revenue.oss[.CC[.RATE]], key.oss[.CC[.RATE]], "
	    "revenue.small_business, revenue.deemed_supplier, "
	    "reduction.intra_eu, reduction.export, rounding)", kv->key);
}

static int
oss_key_ok(const char *key)
{
	static const char members[] = "AT BE BG CY CZ DK EE ES FI FR GR "
	    "HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK XI";
	const char *cc;
	char canon[DEC_BUFSZ], code[3];

	if (strncmp(key, "revenue.oss.", 12) == 0)
		cc = key + 12;
	else if (strncmp(key, "key.oss.", 8) == 0)
		cc = key + 8;
	else
		return 0;
	if (strlen(cc) < 2 || (cc[2] != '\0' && cc[2] != '.'))
		return 0;
	memcpy(code, cc, 2);
	code[2] = '\0';
	if (strstr(members, code) == NULL ||
	    code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
		return 0;
	return cc[2] == '\0' || rate_check(cc + 3, canon);
}

static int
zeros(const char *s, size_t n)
{
	while (n-- > 0)
		if (*s++ != '0')
			return 0;
	return 1;
}

int
config_automatic_account(int chart, int account_length, const char *account,
    size_t n)
{
	static const char *const skr03[] = {"8400", "8300"};
	static const char *const skr04[] = {"4400", "4300"};
	const char *const *acct = chart == 3 ? skr03 : skr04;
	size_t i, pad;

	if ((chart != 3 && chart != 4) || account_length < 4)
		return 0;
	pad = (size_t)account_length - 4;
	if (n != 4 + pad)
		return 0;
	for (i = 0; i < 2; i++)
		if (memcmp(account, acct[i], 4) == 0 &&
		    zeros(account + 4, pad))
			return 1;
	return 0;
}

static int
load_account(struct parser *p, struct kv *kv, struct account_cfg *a)
{
	struct config *c = p->c;
	const char *at = strchr(kv->key, '@');
	int rc;

	a->key = at ? arena_strndup(c->arena, kv->key,
	    (size_t)(at - kv->key)) : kv->key;
	a->from = at ? at + 1 : "";
	a->account = kv->value;
	rc = check_account_key(p, kv, a->key);
	if (rc != KR_OK)
		return rc;
	if (at != NULL && !ktime_valid_date(a->from))
		return cfg_fail(p, kv->line, "", "accounts.%s: expected a "
		    "start date like \"@2027-01-01\" after the key",
		    kv->key);
	/* An empty value counts as not given: the default holds. */
	if (a->account[0] == '\0')
		return KR_NOT_FOUND;
	if (strncmp(a->key, "key.", 4) == 0 &&
	    check_account_digits(p, "", a->account, 1, 4, kv->line) != KR_OK)
		return cfg_fail(p, kv->line, "", "accounts.%s: expected a "
		    "DATEV tax key (BU-Schlüssel) of 1 to 4 digits, got "
		    "\"%s\"", kv->key, a->account);
	if (strncmp(a->key, "key.", 4) == 0)
		return KR_OK;
	rc = check_account_digits(p, "", a->account, 1,
	    (size_t)c->account_length, kv->line);
	if (rc != KR_OK)
		return cfg_fail(p, kv->line, "", "accounts.%s: expected a "
		    "general ledger account of 1 to %d digits, got \"%s\"",
		    kv->key, c->account_length, a->account);
	/* OSS bookings carry a tax key, which an automatic account
	 * refuses (datev.md §4, §8). */
	if (strncmp(a->key, "revenue.oss", 11) == 0 &&
	    config_automatic_account(c->chart, c->account_length,
	    a->account, strlen(a->account)))
		return cfg_fail(p, kv->line, "", "accounts.%s: %s is an "
		    "automatic account of SKR0%d, which carries German VAT "
		    "and takes no tax key; OSS sales need an account without "
		    "automatic (SKR03 8320, SKR04 4320)", kv->key, a->account,
		    c->chart);
	return KR_OK;
}

/*
 * The chart's defaults as DATEV reads them at the client's account
 * length: DATEV lengthens an account by appending zeros and reads a
 * shorter number with leading zeros, so SKR04 4400 at six digits is
 * 440000, and "4400" there would be account 004400.  Tax keys stay.
 */
static int
pad_defaults(struct config *c)
{
	size_t i, n = sizeof(defaults) / sizeof(defaults[0]);
	size_t len = (size_t)c->account_length;

	c->account_defaults = arena_alloc(c->arena,
	    n * sizeof(*c->account_defaults));
	if (c->account_defaults == NULL)
		KBUG("configuration larger than its arena");
	for (i = 0; i < n; i++) {
		const char *a = c->chart == 4 ? defaults[i].skr04 :
		    defaults[i].skr03;
		size_t k = strlen(a);
		char *s;

		if (strncmp(defaults[i].key, "key.", 4) == 0 || k >= len) {
			c->account_defaults[i] = a;
			continue;
		}
		s = arena_alloc(c->arena, len + 1);
		if (s == NULL)
			KBUG("configuration larger than its arena");
		memcpy(s, a, k);
		memset(s + k, '0', len - k);
		s[len] = '\0';
		c->account_defaults[i] = s;
	}
	return KR_OK;
}

int
cfg_load_accounts(struct parser *p)
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

		if (strcmp(kv->section, "accounts") != 0)
			continue;
		kv->used = 1;
		rc = load_account(p, kv, &c->accounts[c->naccounts++]);
		if (rc == KR_NOT_FOUND) {
			c->naccounts--;
			continue;
		}
		if (rc != KR_OK)
			return rc;
	}
	return pad_defaults(c);
}

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
			return c->account_defaults[i];
	return NULL;
}

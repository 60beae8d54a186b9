#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "jfield.h"
#include "utf8.h"

/*
 * Appends the n bytes at s to the path in buf (size bytes, *len used),
 * cut where it is full, as snprintf would cut it.  Paths are made for
 * every array element a mapper visits, not only for messages, so they
 * are put together here rather than by snprintf.
 */
static void
path_put(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

void
jf_path(char *buf, size_t size, const char *ctx, const char *key)
{
	size_t len = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	if (ctx != NULL && ctx[0] != '\0') {
		path_put(buf, size, &len, ctx, strlen(ctx));
		path_put(buf, size, &len, ".", 1);
	}
	path_put(buf, size, &len, key, strlen(key));
}

void
jf_path_index(char *buf, size_t size, const char *ctx, const char *key,
    size_t i)
{
	char digits[24];
	size_t len, n = sizeof(digits);

	if (size == 0)
		return;
	/* "ctx.key" is cut to a field's room before its index is added. */
	jf_path(buf, size < KERR_FIELD_MAX ? size : KERR_FIELD_MAX, ctx,
	    key);
	len = strlen(buf);
	do
		digits[--n] = (char)('0' + i % 10);
	while ((i /= 10) > 0);
	path_put(buf, size, &len, "[", 1);
	path_put(buf, size, &len, digits + n, sizeof(digits) - n);
	path_put(buf, size, &len, "]", 1);
}

const char *
jf_quote(const struct jnode *n, char *buf, size_t size)
{
	if (n == NULL)
		snprintf(buf, size, "nothing");
	else if (n->type == J_STRING && n->n > 40)
		snprintf(buf, size, "\"%.*s...\"", utf8_prefix(n->u.str, 40),
		    n->u.str);
	else if (n->type == J_STRING)
		snprintf(buf, size, "\"%s\"", n->u.str);
	else if (n->type == J_NUMBER)
		snprintf(buf, size, "%.40s", n->u.str);
	else
		snprintf(buf, size, "%s", jtype_name(n));
	return buf;
}

int
jf_has(const struct jnode *obj, const char *key)
{
	return !jis_null(jget(obj, key));
}

/* Looks the member up; KR_NOT_FOUND when missing and optional. */
static int
jf_lookup(const struct jnode *obj, const char *key, int required,
    const struct jnode **out, const char *ctx, struct kerr *e)
{
	char path[KERR_FIELD_MAX];
	const struct jnode *n = jget(obj, key);

	*out = n;
	if (!jis_null(n))
		return KR_OK;
	if (!required)
		return KR_NOT_FOUND;
	jf_path(path, sizeof(path), ctx, key);
	return kerr_set(e, KR_BAD_INPUT, path, "required field is %s",
	    n == NULL ? "missing" : "null");
}

static int
jf_wrong(const struct jnode *n, const char *key, const char *ctx,
    const char *what, struct kerr *e)
{
	char path[KERR_FIELD_MAX], q[64];

	jf_path(path, sizeof(path), ctx, key);
	return kerr_set(e, KR_BAD_INPUT, path, "expected %s, got %s", what,
	    jf_quote(n, q, sizeof(q)));
}

int
jf_str(const struct jnode *obj, const char *key, int required,
    const char **out, const char *ctx, struct kerr *e)
{
	const struct jnode *n;
	int rc;

	rc = jf_lookup(obj, key, required, &n, ctx, e);
	if (rc != KR_OK)
		return rc == KR_NOT_FOUND ? KR_OK : rc;
	if (n->type != J_STRING)
		return jf_wrong(n, key, ctx, "a string", e);
	*out = n->u.str;
	return KR_OK;
}

int
jf_text(const struct jnode *obj, const char *key, int required,
    const char **out, const char *ctx, struct kerr *e)
{
	const struct jnode *n;
	int rc;

	rc = jf_lookup(obj, key, required, &n, ctx, e);
	if (rc != KR_OK)
		return rc == KR_NOT_FOUND ? KR_OK : rc;
	switch (n->type) {
	case J_STRING:
	case J_NUMBER:
		*out = n->u.str;
		return KR_OK;
	default:
		return jf_wrong(n, key, ctx, "a string or number", e);
	}
}

int
jf_id(const struct jnode *obj, const char *key, int required,
    const char **out, const char *ctx, struct kerr *e)
{
	const char *s = NULL;
	size_t n;
	int rc;

	rc = jf_text(obj, key, required, &s, ctx, e);
	if (rc != KR_OK || s == NULL)
		return rc;
	n = strlen(s);
	if (n > 0 && !utf8_has_control(s, n) && s[0] != ' ' &&
	    s[n - 1] != ' ') {
		*out = s;
		return KR_OK;
	}
	return jf_wrong(jget(obj, key), key, ctx, "an id of printable text "
	    "(not empty, no control characters, no space at either end)",
	    e);
}

/* Why n, the member key of ctx, is no decimal at scale. */
static int
jf_dec_fail(const struct jnode *n, const char *key, int scale, int rc,
    int64_t *out, const char *ctx, struct kerr *e)
{
	char path[KERR_FIELD_MAX], q[64];

	if (n->type != J_STRING && n->type != J_NUMBER)
		return jf_wrong(n, key, ctx, "a decimal", e);
	jf_path(path, sizeof(path), ctx, key);
	jf_quote(n, q, sizeof(q));
	if (rc == KR_OVERFLOW)
		return kerr_set(e, KR_OVERFLOW, path,
		    "number %s is too large", q);
	if (n->n > 0 && dec_parse_round(n->u.str, n->n, scale, out) ==
	    KR_OK)
		return kerr_set(e, KR_BAD_INPUT, path,
		    "expected at most %d decimal places, got %s", scale, q);
	return kerr_set(e, KR_BAD_INPUT, path,
	    "expected a decimal like \"19\" or \"7.0\", got %s", q);
}

/* The decimal n, the member key of ctx holds. */
static int
jf_dec_at(const struct jnode *n, const char *key, int scale, int round,
    int64_t *out, const char *ctx, struct kerr *e)
{
	int rc = KR_BAD_INPUT;

	if (n->type == J_STRING || n->type == J_NUMBER) {
		if (round)
			rc = dec_parse_round(n->u.str, n->n, scale, out);
		else
			rc = dec_parse(n->u.str, n->n, scale, out);
		if (rc == KR_OK)
			return KR_OK;
	}
	return jf_dec_fail(n, key, scale, rc, out, ctx, e);
}

static int
jf_dec_any(const struct jnode *obj, const char *key, int scale,
    int required, int round, int64_t *out, const char *ctx, struct kerr *e)
{
	const struct jnode *n;
	int rc;

	rc = jf_lookup(obj, key, required, &n, ctx, e);
	if (rc != KR_OK)
		return rc == KR_NOT_FOUND ? KR_OK : rc;
	return jf_dec_at(n, key, scale, round, out, ctx, e);
}

int
jf_dec(const struct jnode *obj, const char *key, int scale, int required,
    int64_t *out, const char *ctx, struct kerr *e)
{
	return jf_dec_any(obj, key, scale, required, 0, out, ctx, e);
}

int
jf_dec_has(const struct jnode *obj, const char *key, int scale, int *has,
    int64_t *out, const char *ctx, struct kerr *e)
{
	const struct jnode *n;
	int rc;

	rc = jf_lookup(obj, key, 0, &n, ctx, e);
	*has = rc == KR_OK;
	if (rc != KR_OK)
		return rc == KR_NOT_FOUND ? KR_OK : rc;
	return jf_dec_at(n, key, scale, 0, out, ctx, e);
}

int
jf_dec_round(const struct jnode *obj, const char *key, int scale,
    int required, int64_t *out, const char *ctx, struct kerr *e)
{
	return jf_dec_any(obj, key, scale, required, 1, out, ctx, e);
}

/* The number of decimals of the record decimal s, or -1 if it is none. */
static int
rec_dec_places(const char *s, size_t n)
{
	size_t i = 0, start, frac;

	if (i < n && s[i] == '-')
		i++;
	start = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == start || (i - start > 1 && s[start] == '0'))
		return -1;
	if (i == n)
		return 0;
	if (s[i++] != '.')
		return -1;
	start = i;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	frac = i - start;
	if (frac == 0 || i != n || frac > DEC_SCALE_MAX)
		return -1;
	return (int)frac;
}

int
jf_rec_dec(const struct jnode *obj, const char *key, int scale, int flags,
    int *has, int64_t *out, const char *ctx, struct kerr *e)
{
	char path[KERR_FIELD_MAX], q[64], like[24];
	const struct jnode *n;
	int rc, places;

	rc = jf_lookup(obj, key, flags & JF_REQUIRED, &n, ctx, e);
	if (has != NULL)
		*has = rc == KR_OK;
	if (rc != KR_OK)
		return rc == KR_NOT_FOUND ? KR_OK : rc;
	places = n->type == J_STRING ? rec_dec_places(n->u.str, n->n) : -1;
	if (places >= 0 && ((flags & JF_EXACT) ? places == scale :
	    places <= scale)) {
		rc = dec_parse(n->u.str, n->n, scale, out);
		if (rc == KR_OK)
			return KR_OK;
	}
	jf_path(path, sizeof(path), ctx, key);
	jf_quote(n, q, sizeof(q));
	if (rc == KR_OVERFLOW)
		return kerr_set(e, KR_OVERFLOW, path, "number %s is too large",
		    q);
	if (flags & JF_EXACT) {
		snprintf(like, sizeof(like), "\"10%s%.*s\"", scale > 0 ? "." :
		    "", scale, "000000000000");
		return kerr_set(e, KR_BAD_INPUT, path, "expected a decimal "
		    "string with exactly %d decimal%s like %s, got %s", scale,
		    scale == 1 ? "" : "s", like, q);
	}
	return kerr_set(e, KR_BAD_INPUT, path, "expected a decimal string "
	    "with at most %d decimal%s like \"2\"%s, got %s", scale,
	    scale == 1 ? "" : "s", scale > 0 ? " or \"2.5\"" : "", q);
}

int
jf_amount(const struct jnode *obj, const char *key, int exponent,
    int required, int64_t *out, const char *ctx, struct kerr *e)
{
	return jf_rec_dec(obj, key, exponent, required | JF_EXACT, NULL, out,
	    ctx, e);
}

int
jf_amount_has(const struct jnode *obj, const char *key, int exponent,
    int *has, int64_t *out, const char *ctx, struct kerr *e)
{
	return jf_rec_dec(obj, key, exponent, JF_EXACT, has, out, ctx, e);
}

int
jf_rec_num(const struct jnode *obj, const char *key, int scale,
    int required, int64_t *out, const char *ctx, struct kerr *e)
{
	return jf_rec_dec(obj, key, scale, required, NULL, out, ctx, e);
}

int
jf_bool(const struct jnode *obj, const char *key, int required, int *out,
    const char *ctx, struct kerr *e)
{
	const struct jnode *n;
	int rc;

	rc = jf_lookup(obj, key, required, &n, ctx, e);
	if (rc != KR_OK)
		return rc == KR_NOT_FOUND ? KR_OK : rc;
	if (n->type == J_TRUE || n->type == J_FALSE) {
		*out = n->type == J_TRUE;
		return KR_OK;
	}
	if (n->type == J_STRING) {
		if (strcmp(n->u.str, "true") == 0 ||
		    strcmp(n->u.str, "yes") == 0) {
			*out = 1;
			return KR_OK;
		}
		if (strcmp(n->u.str, "false") == 0 ||
		    strcmp(n->u.str, "no") == 0) {
			*out = 0;
			return KR_OK;
		}
	}
	return jf_wrong(n, key, ctx, "true or false", e);
}

int
jf_array(const struct jnode *obj, const char *key, int required,
    const struct jnode **out, const char *ctx, struct kerr *e)
{
	const struct jnode *n;
	int rc;

	*out = NULL;
	rc = jf_lookup(obj, key, required, &n, ctx, e);
	if (rc != KR_OK)
		return rc == KR_NOT_FOUND ? KR_OK : rc;
	if (n->type != J_ARRAY)
		return jf_wrong(n, key, ctx, "an array", e);
	*out = n;
	return KR_OK;
}

int
jf_object(const struct jnode *obj, const char *key, int required,
    const struct jnode **out, const char *ctx, struct kerr *e)
{
	const struct jnode *n;
	int rc;

	*out = NULL;
	rc = jf_lookup(obj, key, required, &n, ctx, e);
	if (rc != KR_OK)
		return rc == KR_NOT_FOUND ? KR_OK : rc;
	if (n->type != J_OBJECT)
		return jf_wrong(n, key, ctx, "an object", e);
	*out = n;
	return KR_OK;
}

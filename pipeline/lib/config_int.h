#ifndef KONTOR_CONFIG_INT_H
#define KONTOR_CONFIG_INT_H

/*
 * Inside config_load: what config.c (the file, [seller], [invoice] and
 * the shops) and config_datev.c ([datev] and [accounts]) share.  Not
 * for other callers; use config.h.
 *
 * The file is read whole into a list of "key = value" lines first; each
 * section's loader then looks its keys up, marks them used and checks
 * their values.  A key nobody used is unknown, and an error.
 */

#include "config.h"

/* One "key = value" line as read, before it is checked. */
struct kv {
	const char *section;	/* "seller", "shop", ... */
	const char *section_arg;	/* "shop-de" in [shop shop-de] */
	const char *key;
	const char *value;
	long line;
	int used;
};

/* One section header as read, to find a section given twice. */
struct section_seen {
	const char *name;	/* "seller", "shop", ... */
	const char *arg;	/* the shop id, or NULL */
	long line;
};

struct parser {
	struct config *c;
	struct kerr *e;
	struct kv *kv;
	size_t nkv, cap;
	struct section_seen *sec;
	size_t nsec, cap_sec;
};

/*
 * Fills p->e with the configuration file, line (0: the file as a whole),
 * key (may be "") and message, and returns KR_CONFIG.
 */
int	cfg_fail(struct parser *p, long line, const char *key,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Looks up section.key, which is given once, and marks it used. */
struct kv	*cfg_find(struct parser *p, const char *sec,
		    const char *key);
/* The line of section.key, or 0 when it is not given. */
long	cfg_line(struct parser *p, const char *sec, const char *key);

/*
 * The value of section.key into *out, or def when it is missing or
 * empty; KR_CONFIG when it is required and missing or empty.
 */
int	cfg_get_str(struct parser *p, const char *sec, const char *key,
	    int required, const char *def, const char **out);

/* 1 when s is one or more ASCII digits. */
int	cfg_all_digits(const char *s);

/* The sections that config_datev.c reads. */
int	cfg_load_datev(struct parser *p);
int	cfg_load_accounts(struct parser *p);

#endif

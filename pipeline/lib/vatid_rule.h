#ifndef KONTOR_VATID_RULE_H
#define KONTOR_VATID_RULE_H

/*
 * The per-state rules behind vatid_check, and the arithmetic they share.
 * Internal to vatid.c and vatid_rule.c.
 *
 * A rule's check reads the normalised id in v->id (prefix included),
 * may complete it there (a leading 0), and sets v->status and v->msg
 * through vatid_verdict.
 */

#include <stddef.h>

#include "vatid.h"

struct vatid_rule {
	char prefix[3];
	char country[3];
	void (*check)(struct vatid *v);
};

/* The rule for the prefix id starts with, or NULL. */
const struct vatid_rule	*vatid_rule_find(const char *id);

/* Sets status and message. */
void	vatid_verdict(struct vatid *v, enum vatid_status status,
	    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* CHECKSUM_VALID when want == got, else CHECKSUM_INVALID naming both. */
void	vatid_digit(struct vatid *v, char want, char got,
	    const char *method);

/* CHECKSUM_VALID when ok, else CHECKSUM_INVALID. */
void	vatid_sum(struct vatid *v, int ok, const char *method);

/* Whether s[0..n) are all digits. */
int	vatid_digits(const char *s, size_t n);

/* The sum of digit i times weight[i] over s[0..n). */
int	vatid_weighted(const char *s, const int *weight, size_t n);

/* The ISO 7064 MOD 11,10 check digit of the digits s[0..n). */
char	vatid_mod11_10(const char *s, size_t n);

/* Whether the digits s[0..n), check digit last, pass the Luhn test. */
int	vatid_luhn(const char *s, size_t n);

/*
 * The remainder mod 97 of s[0..n) read as ISO 7064 MOD 97-10 reads it:
 * digits as they are, letters A..Z as 10..35.
 */
int	vatid_mod97(const char *s, size_t n);

#endif

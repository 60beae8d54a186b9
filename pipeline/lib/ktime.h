#ifndef KONTOR_KTIME_H
#define KONTOR_KTIME_H

/*
 * Time stamps and calendar dates.
 *
 * Records carry times in RFC 3339 UTC ("2026-10-12T16:40:05Z"); dates
 * that matter for tax and accounting (invoice date, date of supply,
 * DATEV periods) are calendar dates in the tenant's time zone.  A process
 * serves one tenant, so the zone is set once with ktime_set_zone and all
 * local conversions use it.
 */

#include <time.h>

#include "err.h"

#define KTIME_ISO_MAX	32	/* "2026-10-12T16:40:05Z" and NUL, padded */
#define KTIME_DATE_MAX	11	/* "2026-10-12" and NUL */

/*
 * Parses an RFC 3339 time: "YYYY-MM-DDTHH:MM:SS", optional fraction,
 * then "Z" or "+HH:MM"/"-HH:MM".  Without an offset the time is taken as
 * local time in the zone set by ktime_set_zone.  A bare date
 * "YYYY-MM-DD" is midnight local time.  KR_OK or KR_BAD_INPUT, also
 * for a time less than a day from either end of the years 1900 to 9999,
 * whose date would leave them in some zone.
 */
int	ktime_parse(const char *s, time_t *out);

/* Writes t as "YYYY-MM-DDTHH:MM:SSZ". */
void	ktime_format_utc(time_t t, char out[KTIME_ISO_MAX]);

/* The calendar date of t in the current zone, "YYYY-MM-DD". */
void	ktime_local_date(time_t t, char out[KTIME_DATE_MAX]);

/* Broken-down local time of t in the current zone. */
void	ktime_local(time_t t, struct tm *tm);

/*
 * Makes zone (an IANA name such as "Europe/Berlin") the zone of all
 * local conversions.  KR_CONFIG when the system does not know it.
 */
int	ktime_set_zone(const char *zone, struct kerr *e);

/* Checks "YYYY-MM-DD" for a real calendar day. */
int	ktime_valid_date(const char *s);

#endif

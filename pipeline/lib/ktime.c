#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktime.h"

static int
digits(const char *s, int n, int *out)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 1;
}

static int
days_in_month(int y, int m)
{
	static const int d[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return d[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long
days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int
parse_date(const char *s, int *y, int *m, int *d)
{
	if (!digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, m) ||
	    s[7] != '-' || !digits(s + 8, 2, d))
		return 0;
	if (*y < 1900 || *y > 9999 || *m < 1 || *m > 12 || *d < 1 ||
	    *d > days_in_month(*y, *m))
		return 0;
	return 1;
}

int
ktime_valid_date(const char *s)
{
	int y, m, d;

	return strlen(s) == 10 && parse_date(s, &y, &m, &d);
}

static int
local_to_time(struct tm *tm, time_t *out)
{
	tm->tm_isdst = -1;
	*out = mktime(tm);
	return *out == (time_t)-1 ? KR_BAD_INPUT : KR_OK;
}

static int
parse_time(const char *s, time_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, oh, om;
	const char *p;
	long long t;
	struct tm tm;

	if (s == NULL || !parse_date(s, &y, &mo, &d))
		return KR_BAD_INPUT;
	p = s + 10;
	if (*p == '\0') {
		memset(&tm, 0, sizeof(tm));
		tm.tm_year = y - 1900;
		tm.tm_mon = mo - 1;
		tm.tm_mday = d;
		return local_to_time(&tm, out);
	}
	if ((*p != 'T' && *p != ' ') || !digits(p + 1, 2, &h) ||
	    p[3] != ':' || !digits(p + 4, 2, &mi) || p[6] != ':' ||
	    !digits(p + 7, 2, &se) || h > 23 || mi > 59 || se > 60)
		return KR_BAD_INPUT;
	p += 9;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;

	t = days_from_civil(y, mo, d) * 86400LL + h * 3600 + mi * 60 + se;
	if (*p == 'Z' && p[1] == '\0') {
		*out = (time_t)t;
		return KR_OK;
	}
	if ((*p == '+' || *p == '-') && digits(p + 1, 2, &oh) &&
	    p[3] == ':' && digits(p + 4, 2, &om) && p[6] == '\0' &&
	    oh <= 23 && om <= 59) {
		long long off = oh * 3600 + om * 60;

		*out = (time_t)(*p == '+' ? t - off : t + off);
		return KR_OK;
	}
	if (*p != '\0')
		return KR_BAD_INPUT;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = se;
	return local_to_time(&tm, out);
}

/*
 * A time must stay within the years a date is read in (1900 to 9999)
 * in UTC and in every zone, up to 26 hours away: "9999-12-31T23:59:59Z"
 * is 10000-01-01 in Berlin, a date no record, invoice or DATEV batch
 * can hold, and "1900-01-01T00:00:00+01:00" is 1899 in UTC, which the
 * next stage would refuse by its stream line instead of its file.
 */
int
ktime_parse(const char *s, time_t *out)
{
	long long lo = days_from_civil(1900, 1, 2) * 86400LL;
	long long hi = days_from_civil(9999, 12, 31) * 86400LL;

	if (parse_time(s, out) != KR_OK || (long long)*out < lo ||
	    (long long)*out >= hi)
		return KR_BAD_INPUT;
	return KR_OK;
}

void
ktime_format_utc(time_t t, char out[KTIME_ISO_MAX])
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, KTIME_ISO_MAX, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void
ktime_local(time_t t, struct tm *tm)
{
	localtime_r(&t, tm);
}

void
ktime_local_date(time_t t, char out[KTIME_DATE_MAX])
{
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(out, KTIME_DATE_MAX, "%Y-%m-%d", &tm);
}

int
ktime_set_zone(const char *zone, struct kerr *e)
{
	char path[512];
	const char *dir = getenv("TZDIR");

	if (zone == NULL || zone[0] == '\0' || zone[0] == '/' ||
	    strstr(zone, "..") != NULL)
		return kerr_set(e, KR_CONFIG, "timezone",
		    "expected a zone name like \"Europe/Berlin\", got \"%s\"",
		    zone ? zone : "");
	snprintf(path, sizeof(path), "%s/%s",
	    dir ? dir : "/usr/share/zoneinfo", zone);
	if (strcmp(zone, "UTC") != 0 && access(path, R_OK) != 0)
		return kerr_set(e, KR_CONFIG, "timezone",
		    "time zone \"%s\" is not installed (package tzdata)",
		    zone);
	setenv("TZ", zone, 1);
	tzset();
	return KR_OK;
}

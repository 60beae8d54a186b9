#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jfield.h"
#include "run.h"

static void
run_make_id(struct run *r, int pinned)
{
	struct tm tm;
	char stamp[32];

	gmtime_r(&r->time, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	/* A pinned clock gives a pinned id; otherwise two runs in the same
	 * second still differ by their process id. */
	if (pinned)
		snprintf(r->id, sizeof(r->id), "%s", stamp);
	else
		snprintf(r->id, sizeof(r->id), "%s-%ld", stamp,
		    (long)getpid());
}

int
run_start(struct run *r, const char *tenant, const char *zone,
    struct kerr *e)
{
	const char *now = getenv("KONTOR_NOW"), *id;

	memset(r, 0, sizeof(*r));
	if (now != NULL && now[0] != '\0') {
		if (ktime_parse(now, &r->time) != KR_OK)
			return kerr_set(e, KR_CONFIG, "KONTOR_NOW",
			    "expected a time like \"2026-12-04T02:00:00Z\", "
			    "got \"%s\"", now);
	} else {
		r->time = time(NULL);
	}
	snprintf(r->tenant, sizeof(r->tenant), "%s", tenant ? tenant : "");
	snprintf(r->zone, sizeof(r->zone), "%s", zone);
	ktime_format_utc(r->time, r->time_utc);
	ktime_local_date(r->time, r->date);
	run_make_id(r, now != NULL && now[0] != '\0');
	/* `kontor run` names the run for the stages it starts. */
	id = getenv("KONTOR_RUN_ID");
	if (id != NULL && id[0] != '\0') {
		if (strlen(id) >= sizeof(r->id) ||
		    strpbrk(id, "/\"\\") != NULL)
			return kerr_set(e, KR_CONFIG, "KONTOR_RUN_ID",
			    "expected a run id like \"20261204T020000Z\", "
			    "got \"%.60s\"", id);
		snprintf(r->id, sizeof(r->id), "%s", id);
	}
	return KR_OK;
}

/* The members of a run record, as strings (tenant may be NULL). */
static int
run_fields(const struct jnode *root, const char **id, const char **tenant,
    const char **t, const char **zone, struct kerr *e)
{
	int rc;

	if ((rc = jf_str(root, "run_id", 1, id, "", e)) != KR_OK ||
	    (rc = jf_str(root, "tenant", 0, tenant, "", e)) != KR_OK ||
	    (rc = jf_str(root, "time", 1, t, "", e)) != KR_OK)
		return rc;
	return jf_str(root, "zone", 1, zone, "", e);
}

int
run_read(struct run *r, const struct jnode *root, struct kerr *e)
{
	const char *id = NULL, *tenant = NULL, *t = NULL, *zone = NULL;
	int rc;

	memset(r, 0, sizeof(*r));
	if ((rc = run_fields(root, &id, &tenant, &t, &zone, e)) != KR_OK)
		return rc;
	if (ktime_parse(t, &r->time) != KR_OK)
		return kerr_set(e, KR_BAD_INPUT, "time",
		    "expected a time like \"2026-12-04T02:00:00Z\", "
		    "got \"%s\"", t);
	if (strlen(id) >= sizeof(r->id) || strlen(zone) >= sizeof(r->zone))
		return kerr_set(e, KR_BAD_INPUT, "run_id",
		    "run id or zone too long");
	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(r->tenant, sizeof(r->tenant), "%s", tenant ? tenant : "");
	snprintf(r->zone, sizeof(r->zone), "%s", zone);
	ktime_format_utc(r->time, r->time_utc);
	rc = ktime_set_zone(r->zone, e);
	if (rc != KR_OK)
		return rc;
	ktime_local_date(r->time, r->date);
	return KR_OK;
}

int
run_check_same(const struct run *r, const struct jnode *root,
    struct kerr *e)
{
	const char *id = NULL, *tenant = NULL, *t = NULL, *zone = NULL;
	time_t when;
	int rc;

	if ((rc = run_fields(root, &id, &tenant, &t, &zone, e)) != KR_OK)
		return rc;
	if (strcmp(id, r->id) == 0 && strcmp(tenant ? tenant : "",
	    r->tenant) == 0 && ktime_parse(t, &when) == KR_OK &&
	    when == r->time && strcmp(zone, r->zone) == 0)
		return KR_OK;
	/* One pipe has one run: its dates and numbers must agree. */
	return kerr_set(e, KR_BAD_INPUT, "run_id", "a second run record "
	    "(run \"%.48s\", tenant \"%.64s\", %.32s, %.64s) unlike the "
	    "stream's run (\"%s\", tenant \"%.64s\", %s, %s)", id,
	    tenant ? tenant : "", t, zone, r->id, r->tenant, r->time_utc,
	    r->zone);
}

int
run_write(const struct run *r, struct rec_out *out)
{
	struct jw *w = rec_begin(out, "run");

	jw_kv_str(w, "run_id", r->id);
	jw_kv_str(w, "tenant", r->tenant);
	jw_kv_str(w, "time", r->time_utc);
	jw_kv_str(w, "zone", r->zone);
	jw_kv_str(w, "date", r->date);
	return rec_end(out);
}

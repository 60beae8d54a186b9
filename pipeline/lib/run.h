#ifndef KONTOR_RUN_H
#define KONTOR_RUN_H

/*
 * The run: one nightly job or one pipe, possibly spread over several
 * processes.  The first stage writes a "run" record; later stages adopt
 * it, so that invoice dates, the year in invoice numbers, DATEV
 * timestamps and audit rows agree across the processes of a pipe, also
 * across midnight.
 *
 * The run's time comes from the clock, or from KONTOR_NOW (an RFC 3339
 * time) so that tests give byte-identical output; KONTOR_RUN_ID names
 * the run (`kontor run` sets both for the stages it starts).
 */

#include <time.h>

#include "err.h"
#include "json.h"
#include "ktime.h"
#include "record.h"

struct run {
	char id[48];			/* "20261204T020000Z-1a2b" */
	char tenant[128];		/* tenant directory's base name */
	time_t time;
	char time_utc[KTIME_ISO_MAX];	/* "2026-12-04T02:00:00Z" */
	char zone[64];			/* "Europe/Berlin" */
	char date[KTIME_DATE_MAX];	/* the run's date in zone */
};

/*
 * Starts a new run for tenant (may be "") in zone, which must already be
 * set with ktime_set_zone.  KR_CONFIG when KONTOR_NOW is not a time.
 */
int	run_start(struct run *r, const char *tenant, const char *zone,
	    struct kerr *e);

/* Adopts a "run" record read from the stream. */
int	run_read(struct run *r, const struct jnode *root, struct kerr *e);

/*
 * KR_OK when the "run" record root, met after the stream's run r, is r
 * again (its id, tenant, time and zone); else KR_BAD_INPUT with e saying
 * which run it is.  Reads nothing into r and sets no zone, so a refused
 * record changes nothing.
 */
int	run_check_same(const struct run *r, const struct jnode *root,
	    struct kerr *e);

/* Writes the "run" record. */
int	run_write(const struct run *r, struct rec_out *out);

#endif

/*
 * The CPU a limit line spends in its own loop, for bench/run's
 * measure_inner: the programs print it as "U user, S system".
 */
#ifndef BENCH_CPUTIME_H
#define BENCH_CPUTIME_H

#include <sys/resource.h>
#include <sys/time.h>

/* Microseconds of CPU this process has used, user and system. */
static inline void
cpu_now(long long *user, long long *sys)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	*user = ru.ru_utime.tv_sec * 1000000LL + ru.ru_utime.tv_usec;
	*sys = ru.ru_stime.tv_sec * 1000000LL + ru.ru_stime.tv_usec;
}

#endif

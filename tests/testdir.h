#ifndef KONTOR_TESTDIR_H
#define KONTOR_TESTDIR_H

/*
 * Scratch directories for the unit tests: made under $TMPDIR (or /tmp)
 * with mkdtemp, removed with everything in them by testdir_remove.
 */

#include <check.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static inline void
testdir_make(char *out, size_t size, const char *what)
{
	const char *tmp = getenv("TMPDIR");
	int n;

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	n = snprintf(out, size, "%s/kontor-%s.XXXXXX", tmp, what);
	ck_assert(n > 0 && (size_t)n < size);
	ck_assert_ptr_nonnull(mkdtemp(out));
}

static inline int
testdir_unlink_one(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		return rmdir(path);
	return unlink(path);
}

static inline void
testdir_remove(const char *dir)
{
	ck_assert_int_eq(nftw(dir, testdir_unlink_one, 16,
	    FTW_DEPTH | FTW_PHYS), 0);
}

/* Writes text into dir/rel (the folders must exist). */
static inline void
testdir_write(const char *dir, const char *rel, const char *text)
{
	char path[4096];
	FILE *fp;

	ck_assert_int_lt(snprintf(path, sizeof(path), "%s/%s", dir, rel),
	    (int)sizeof(path));
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(text, fp);
	ck_assert_int_eq(fclose(fp), 0);
}

/*
 * A minimal tenant configuration, shaped like fixtures/tenant-demo's:
 * the required keys only.
 */
#define TESTDIR_CONF \
	"[seller]\n" \
	"name = Prüf Handel GmbH\n" \
	"street = Teststraße 1\n" \
	"postcode = 10115\n" \
	"city = Berlin\n" \
	"vat_id = DE123456789\n" \
	"timezone = Europe/Berlin\n" \
	"\n" \
	"[invoice]\n" \
	"number_pattern = RE-{YYYY}-{NNNNNN}\n" \
	"credit_pattern = GS-{YYYY}-{NNNNNN}\n" \
	"\n" \
	"[datev]\n" \
	"consultant = 1001\n" \
	"client = 1\n" \
	"\n" \
	"[shop shop-de]\n" \
	"platform = shopify\n"

/* A scratch tenant directory with TESTDIR_CONF as its kontor.conf. */
static inline void
testdir_tenant(char *out, size_t size, const char *what)
{
	testdir_make(out, size, what);
	testdir_write(out, "kontor.conf", TESTDIR_CONF);
}

#endif

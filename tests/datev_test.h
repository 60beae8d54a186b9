#ifndef KONTOR_DATEV_TEST_H
#define KONTOR_DATEV_TEST_H

/*
 * Helpers for the DATEV writer tests: the test's own field splitter (not
 * the writer's) and a sink that keeps finished batch files in memory.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "datev.h"

/*
 * Field n (from 1) of a DATEV line, unquoted, into f; returns the number
 * of fields in the line.  Quoted fields may hold ';' and doubled quotes.
 */
static inline int
field(const char *line, int n, char *f, size_t size)
{
	int col = 1, q = 0;
	size_t k = 0;
	const char *p;

	f[0] = '\0';
	for (p = line; *p != '\0' && *p != '\r'; p++) {
		if (*p == '"' && q && p[1] == '"') {
			if (col == n && k + 1 < size)
				f[k++] = '"';
			p++;
		} else if (*p == '"') {
			q = !q;
		} else if (*p == ';' && !q) {
			col++;
		} else if (col == n && k + 1 < size) {
			f[k++] = *p;
		}
		if (col == n)
			f[k] = '\0';
	}
	return col;
}

/* A sink that keeps finished files in memory. */

#define MEM_FILES	4

struct mem_sink {
	char name[MEM_FILES][DATEV_NAME_MAX];
	char *data[MEM_FILES];
	size_t len[MEM_FILES];
	FILE *fp[MEM_FILES];
	int n;
};

static inline int
mem_open(void *arg, const char *name, FILE **fp, struct kerr *e)
{
	struct mem_sink *m = arg;

	(void)e;
	ck_assert_int_lt(m->n, MEM_FILES);
	snprintf(m->name[m->n], DATEV_NAME_MAX, "%s", name);
	m->fp[m->n] = tmpfile();
	ck_assert_ptr_nonnull(m->fp[m->n]);
	*fp = m->fp[m->n++];
	return KR_OK;
}

static inline int
mem_close(void *arg, FILE *fp, const char *name, struct kerr *e)
{
	struct mem_sink *m = arg;
	long size;
	int i;

	(void)name;
	(void)e;
	for (i = 0; i < m->n && m->fp[i] != fp; i++)
		;
	ck_assert_int_lt(i, m->n);
	fflush(fp);
	size = ftell(fp);
	rewind(fp);
	m->data[i] = calloc(1, (size_t)size + 1);
	m->len[i] = fread(m->data[i], 1, (size_t)size, fp);
	fclose(fp);
	m->fp[i] = NULL;
	return KR_OK;
}

static inline void
mem_discard(void *arg, FILE *fp, const char *name)
{
	(void)arg;
	(void)name;
	fclose(fp);
}

static inline void
mem_free(struct mem_sink *m)
{
	int i;

	for (i = 0; i < m->n; i++)
		free(m->data[i]);
}

/* Line n (from 1) of a file, as a pointer into it. */
static inline const char *
line_of(const char *data, int n)
{
	for (; n > 1 && data != NULL; n--) {
		data = strstr(data, "\r\n");
		if (data != NULL)
			data += 2;
	}
	return data;
}

static inline int
count_lines(const char *data, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i + 1 < len; i++)
		if (data[i] == '\r' && data[i + 1] == '\n')
			n++;
	return n;
}

#endif

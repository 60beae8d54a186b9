/*
 * jsontok: the limit lines of the stages that read JSON.  Tokenises every
 * regular file of the folders named with yajl's callback parser, whose
 * callbacks do nothing, and says how many files and bytes it read.
 *
 *	jsontok DIR ...
 *	jsontok -f INVOICES -d DB DIR ...
 *
 * What a stage reading the same spool costs beyond this is its own work.
 *
 * With -f, the limit of the nightly pipe: besides tokenising, each file
 * is given the work that the design fixes for every order whatever code
 * does it.  The invoice records of INVOICES (JSON Lines, as kontor-tax
 * wrote them for the same orders) are stored whole, one per file, in a
 * new SQLite database DB set up as kontor's state is (WAL, synchronous
 * FULL, 16 KiB pages), a unique key per order and per number, committed
 * a thousand at a time; after each commit the files of the batch are
 * moved into DIR/cur/YYYY-MM/ without replacing anything.  Invoice
 * records left over when the files are done (credit notes) go into the
 * last batch.  The files are taken in name order, as kontor takes them,
 * and only this loop is timed: the last line says "U user, S system" in
 * CPU seconds.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>
#include <yajl/yajl_parse.h>

#include "cputime.h"

#define BATCH	1000

static int
on_null(void *ctx)
{
	(void)ctx;
	return 1;
}

static int
on_bool(void *ctx, int v)
{
	(void)ctx;
	(void)v;
	return 1;
}

static int
on_text(void *ctx, const char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
	return 1;
}

/* A string or a key. */
static int
on_key(void *ctx, const unsigned char *s, size_t n)
{
	(void)ctx;
	(void)s;
	(void)n;
	return 1;
}

static const yajl_callbacks cb = {
	on_null, on_bool, NULL, NULL, on_text, on_key, on_null, on_key,
	on_null, on_null, on_null,
};

/* Tokenises one file; the bytes read, or -1. */
static long
tokenise(int dirfd, const char *name)
{
	unsigned char chunk[65536];
	yajl_handle h;
	long total = 0;
	ssize_t n;
	int fd, ok = 1;

	fd = openat(dirfd, name, O_RDONLY);
	if (fd == -1)
		return -1;
	h = yajl_alloc(&cb, NULL, NULL);
	while (ok && (n = read(fd, chunk, sizeof(chunk))) > 0) {
		ok = yajl_parse(h, chunk, (size_t)n) == yajl_status_ok;
		total += n;
	}
	ok = ok && yajl_complete_parse(h) == yajl_status_ok;
	yajl_free(h);
	close(fd);
	return ok ? total : -1;
}

static void
die(const char *what, const char *detail)
{
	fprintf(stderr, "jsontok: %s: %s\n", what, detail);
	exit(1);
}

/* The invoice records of a JSON Lines file, each line one string. */
struct lines {
	char	*text;
	char	**line;
	size_t	 n;
};

static void
lines_read(struct lines *l, const char *path)
{
	size_t cap = 0, len = 0, want;
	char *p, *end;
	FILE *fp;

	fp = fopen(path, "r");
	if (fp == NULL)
		die(path, strerror(errno));
	l->text = NULL;
	do {
		want = cap ? cap * 2 : 1 << 20;
		l->text = realloc(l->text, want + 1);
		if (l->text == NULL)
			die(path, "out of memory");
		cap = want;
		len += fread(l->text + len, 1, cap - len, fp);
	} while (len == cap);
	fclose(fp);
	l->text[len] = '\0';
	l->line = NULL;
	l->n = 0;
	cap = 0;
	for (p = l->text; *p != '\0'; p = end + 1) {
		end = strchr(p, '\n');
		if (end == NULL)
			die(path, "the last line has no end");
		*end = '\0';
		if (strncmp(p, "{\"type\":\"invoice\",", 18) != 0)
			continue;
		if (l->n == cap) {
			cap = cap ? cap * 2 : 4096;
			l->line = realloc(l->line, cap * sizeof(*l->line));
			if (l->line == NULL)
				die(path, "out of memory");
		}
		l->line[l->n++] = p;
	}
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of dir, in name order. */
static char **
names_read(const char *dir, size_t *count)
{
	size_t n = 0, cap = 0;
	struct dirent *de;
	char **name = NULL;
	DIR *d;

	d = opendir(dir);
	if (d == NULL)
		die(dir, strerror(errno));
	while ((de = readdir(d)) != NULL) {
		if (de->d_type != DT_REG)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 4096;
			name = realloc(name, cap * sizeof(*name));
			if (name == NULL)
				die(dir, "out of memory");
		}
		if ((name[n++] = strdup(de->d_name)) == NULL)
			die(dir, "out of memory");
	}
	closedir(d);
	qsort(name, n, sizeof(*name), by_name);
	*count = n;
	return name;
}

struct floor {
	sqlite3		*db;
	sqlite3_stmt	*put;
	struct lines	 inv;
	size_t		 stored;
	long		 files, bytes;
};

static void
db_exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		die(sql, sqlite3_errmsg(db));
}

static void
floor_open(struct floor *f, const char *invoices, const char *path)
{
	memset(f, 0, sizeof(*f));
	lines_read(&f->inv, invoices);
	if (sqlite3_open(path, &f->db) != SQLITE_OK)
		die(path, sqlite3_errmsg(f->db));
	db_exec(f->db, "PRAGMA page_size = 16384");
	db_exec(f->db, "PRAGMA journal_mode = WAL");
	db_exec(f->db, "PRAGMA synchronous = FULL");
	db_exec(f->db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, "
	    "order_key TEXT NOT NULL UNIQUE, number TEXT NOT NULL UNIQUE, "
	    "json BLOB NOT NULL)");
	if (sqlite3_prepare_v2(f->db, "INSERT INTO invoices (order_key, "
	    "number, json) VALUES (?, ?, ?)", -1, &f->put, NULL) != SQLITE_OK)
		die(path, sqlite3_errmsg(f->db));
}

/* Stores the next invoice record under key. */
static void
floor_store(struct floor *f, const char *key)
{
	char number[32];
	const char *rec;

	if (f->stored == f->inv.n)
		return;
	rec = f->inv.line[f->stored];
	snprintf(number, sizeof(number), "%010zu", f->stored++);
	sqlite3_bind_text(f->put, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(f->put, 2, number, -1, SQLITE_TRANSIENT);
	sqlite3_bind_blob(f->put, 3, rec, (int)strlen(rec), SQLITE_STATIC);
	if (sqlite3_step(f->put) != SQLITE_DONE)
		die(key, sqlite3_errmsg(f->db));
	sqlite3_reset(f->put);
}

/* Moves the batch's files from dir into cur, after their commit. */
static void
floor_commit(struct floor *f, int dir, int cur, char **name, size_t n)
{
	size_t i;

	db_exec(f->db, "COMMIT");
	for (i = 0; i < n; i++)
		if (renameat2(dir, name[i], cur, name[i],
		    RENAME_NOREPLACE) != 0)
			die(name[i], strerror(errno));
}

static void
floor_dir(struct floor *f, const char *path, const char *month)
{
	char key[512], sub[32];
	size_t i, n, from;
	char **name;
	int dir, cur;
	long got;

	name = names_read(path, &n);
	dir = open(path, O_RDONLY | O_DIRECTORY);
	snprintf(sub, sizeof(sub), "cur/%s", month);
	if (dir == -1 || (mkdirat(dir, "cur", 0755) != 0 && errno != EEXIST)
	    || (mkdirat(dir, sub, 0755) != 0 && errno != EEXIST) ||
	    (cur = openat(dir, sub, O_RDONLY | O_DIRECTORY)) == -1)
		die(path, strerror(errno));
	for (from = 0; from < n; from = i) {
		db_exec(f->db, "BEGIN IMMEDIATE");
		for (i = from; i < n && i - from < BATCH; i++) {
			if ((got = tokenise(dir, name[i])) < 0)
				die(name[i], "not JSON");
			f->files++;
			f->bytes += got;
			snprintf(key, sizeof(key), "%s/%s", path, name[i]);
			floor_store(f, key);
		}
		floor_commit(f, dir, cur, name + from, i - from);
	}
	close(cur);
	close(dir);
	for (i = 0; i < n; i++)
		free(name[i]);
	free(name);
}

static void
floor_close(struct floor *f)
{
	char key[32];

	db_exec(f->db, "BEGIN IMMEDIATE");
	while (f->stored < f->inv.n) {
		snprintf(key, sizeof(key), "left-%zu", f->stored);
		floor_store(f, key);
	}
	db_exec(f->db, "COMMIT");
	sqlite3_finalize(f->put);
	if (sqlite3_close(f->db) != SQLITE_OK)
		die("close", "the database is still busy");
	free(f->inv.line);
	free(f->inv.text);
}

static int
usage(void)
{
	fprintf(stderr, "usage: jsontok DIR ...\n"
	    "       jsontok -f INVOICES -d DB DIR ...\n");
	return 2;
}

int
main(int argc, char **argv)
{
	const char *invoices = NULL, *db = NULL;
	long long u0, s0, u1, s1;
	long files = 0, bytes = 0, n;
	struct dirent *de;
	struct floor f;
	char month[8];
	time_t now;
	int i, c;
	DIR *d;

	while ((c = getopt(argc, argv, "f:d:")) != -1) {
		if (c == 'f')
			invoices = optarg;
		else if (c == 'd')
			db = optarg;
		else
			return usage();
	}
	if (optind == argc || (invoices == NULL) != (db == NULL))
		return usage();
	if (invoices != NULL) {
		now = time(NULL);
		strftime(month, sizeof(month), "%Y-%m", localtime(&now));
		floor_open(&f, invoices, db);
		cpu_now(&u0, &s0);
		for (i = optind; i < argc; i++)
			floor_dir(&f, argv[i], month);
		floor_close(&f);
		cpu_now(&u1, &s1);
		printf("%ld files, %ld bytes, %zu invoices stored, "
		    "%lld.%06lld user, %lld.%06lld system\n", f.files,
		    f.bytes, f.stored, (u1 - u0) / 1000000,
		    (u1 - u0) % 1000000, (s1 - s0) / 1000000,
		    (s1 - s0) % 1000000);
		return 0;
	}
	for (i = optind; i < argc; i++) {
		d = opendir(argv[i]);
		if (d == NULL) {
			perror(argv[i]);
			return 1;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_type != DT_REG)
				continue;
			n = tokenise(dirfd(d), de->d_name);
			if (n < 0) {
				fprintf(stderr, "jsontok: %s/%s: not JSON\n",
				    argv[i], de->d_name);
				return 1;
			}
			files++;
			bytes += n;
		}
		closedir(d);
	}
	printf("%ld files, %ld bytes\n", files, bytes);
	return 0;
}

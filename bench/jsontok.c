/*
 * jsontok: the limit line of the stages that read JSON.  Tokenises every
 * regular file of the folders named with yajl's callback parser, whose
 * callbacks do nothing, and says how many files and bytes it read.
 *
 *	jsontok DIR ...
 *
 * What a stage reading the same spool costs beyond this is its own work.
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_parse.h>

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

int
main(int argc, char **argv)
{
	long files = 0, bytes = 0, n;
	struct dirent *de;
	int i;
	DIR *d;

	for (i = 1; i < argc; i++) {
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

/*
 * spoolgen: fills a tenant's spool with generated order files for the
 * benchmarks.
 *
 *	spoolgen -n COUNT -t TENANT SHOP=TEMPLATE.json ...
 *
 * Each file is a copy of one of the templates (real platform payloads),
 * taken in turn, with its order id and number replaced by new ones, so
 * that every file has the size and shape of a real order and maps to an
 * order of its own.  Files are named <sequence>-<id>.json, so that the
 * spool reads them in the order they were made.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "json.h"

#define TEMPLATES_MAX	16

struct tmpl {
	char shop[64];
	struct jdoc doc;
	int shopify;		/* the order is wrapped as {"order": ...} */
};

static int
is_id_key(const char *k)
{
	return strcmp(k, "id") == 0 || strcmp(k, "number") == 0 ||
	    strcmp(k, "order_number") == 0;
}

/* Writes the order object o with id and number set to id. */
static void
put_order(struct jw *w, const struct jnode *o, int shopify, long id)
{
	const struct jnode *c;
	char s[32];

	jw_obj(w);
	for (c = jfirst(o); c != NULL; c = jnext(o, c)) {
		jw_key(w, c->key);
		if (is_id_key(c->key)) {
			snprintf(s, sizeof(s), "%ld", id);
			jw_str(w, s);
		} else if (shopify && strcmp(c->key, "name") == 0) {
			snprintf(s, sizeof(s), "#%ld", id);
			jw_str(w, s);
		} else {
			jw_node(w, c);
		}
	}
	jw_obj_end(w);
}

static void
load(struct tmpl *t, const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct buf b;
	struct kerr e;
	char chunk[65536];
	size_t n;
	FILE *fp;

	if (eq == NULL || (size_t)(eq - arg) >= sizeof(t->shop)) {
		fprintf(stderr, "spoolgen: expected SHOP=FILE, got %s\n", arg);
		exit(2);
	}
	memcpy(t->shop, arg, (size_t)(eq - arg));
	t->shop[eq - arg] = '\0';
	fp = fopen(eq + 1, "r");
	if (fp == NULL) {
		fprintf(stderr, "spoolgen: %s: %s\n", eq + 1, strerror(errno));
		exit(1);
	}
	buf_init(&b, 0);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_add(&b, chunk, n);
	fclose(fp);
	jdoc_init(&t->doc);
	kerr_clear(&e);
	if (jdoc_parse(&t->doc, b.data, b.len, &e) != KR_OK) {
		fprintf(stderr, "spoolgen: %s: %s\n", eq + 1, e.msg);
		exit(1);
	}
	t->shopify = jget(t->doc.root, "order") != NULL;
	buf_release(&b);
}

static void
emit(const char *tenant, const struct tmpl *t, long seq, long id,
    struct buf *b)
{
	char path[4096];
	struct jw w;
	FILE *fp;

	buf_reset(b);
	jw_init(&w, b);
	if (t->shopify) {
		jw_obj(&w);
		jw_key(&w, "order");
		put_order(&w, jget(t->doc.root, "order"), 1, id);
		jw_obj_end(&w);
	} else {
		put_order(&w, t->doc.root, 0, id);
	}
	snprintf(path, sizeof(path), "%s/spool/%s/%09ld-%ld.json", tenant,
	    t->shop, seq, id);
	fp = fopen(path, "w");
	if (fp == NULL || fwrite(b->data, 1, b->len, fp) != b->len ||
	    fclose(fp) != 0) {
		fprintf(stderr, "spoolgen: %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	struct tmpl t[TEMPLATES_MAX];
	const char *tenant = NULL;
	long count = 0, i, first = 1000000;
	char dir[4096];
	struct buf b;
	int c, nt = 0;

	while ((c = getopt(argc, argv, "f:n:t:")) != -1) {
		if (c == 'n')
			count = strtol(optarg, NULL, 10);
		else if (c == 't')
			tenant = optarg;
		else if (c == 'f')
			first = strtol(optarg, NULL, 10);
		else
			exit(2);
	}
	if (tenant == NULL || count <= 0 || optind == argc ||
	    argc - optind > TEMPLATES_MAX) {
		fputs("usage: spoolgen -n COUNT -t TENANT [-f FIRST_ID] "
		    "SHOP=TEMPLATE.json ...\n", stderr);
		return 2;
	}
	for (; optind < argc; optind++, nt++) {
		load(&t[nt], argv[optind]);
		snprintf(dir, sizeof(dir), "%s/spool/%s", tenant, t[nt].shop);
		mkdir(dir, 0755);
	}
	buf_init(&b, 0);
	for (i = 0; i < count; i++)
		emit(tenant, &t[i % nt], i, first + i, &b);
	buf_release(&b);
	for (i = 0; i < nt; i++)
		jdoc_release(&t[i].doc);
	return 0;
}

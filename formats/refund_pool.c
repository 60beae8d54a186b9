#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "refund_pool.h"

/* A refund's JSON is small; one this large is not a refund. */
#define REFUND_JSON_MAX	((size_t)4 << 20)

void
refund_pool_init(struct refund_pool *p)
{
	memset(p, 0, sizeof(*p));
	jdoc_init(&p->doc);
}

void
refund_pool_release(struct refund_pool *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->items[i].shop);
		free(p->items[i].order_id);
		free(p->items[i].json);
		free(p->items[i].file);
		free(p->items[i].path);
	}
	free(p->items);
	jdoc_release(&p->doc);
	memset(p, 0, sizeof(*p));
}

/* Orders the refund r against the order (shop, pf, order_id). */
static int
pooled_cmp(const struct pooled_refund *r, const char *shop, enum platform pf,
    const char *order_id)
{
	int c = strcmp(r->shop, shop);

	if (c != 0)
		return c;
	if (r->platform != pf)
		return r->platform < pf ? -1 : 1;
	return strcmp(r->order_id, order_id);
}

static int
pooled_sort_cmp(const void *a, const void *b)
{
	const struct pooled_refund *rb = b;

	return pooled_cmp(a, rb->shop, rb->platform, rb->order_id);
}

static void
pool_sort(struct refund_pool *p)
{
	if (!p->sorted && p->n > 1)
		qsort(p->items, p->n, sizeof(*p->items), pooled_sort_cmp);
	p->sorted = 1;
}

/* The first item not before (shop, pf, order_id). */
static size_t
pool_lower(const struct refund_pool *p, const char *shop, enum platform pf,
    const char *order_id)
{
	size_t lo = 0, hi = p->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (pooled_cmp(&p->items[mid], shop, pf, order_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A zeroed new item at the end; the pool is no longer sorted. */
static struct pooled_refund *
pool_append(struct refund_pool *p)
{
	struct pooled_refund *r;

	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->items = xreallocarray(p->items, p->cap, sizeof(*p->items));
	}
	r = &p->items[p->n++];
	memset(r, 0, sizeof(*r));
	p->sorted = 0;
	return r;
}

int
refund_pool_add(struct refund_pool *p, enum platform pf, const char *shop,
    const struct jnode *elem, const char *file, const char *path,
    struct kerr *e)
{
	char order_id[IMPORT_ID_MAX];
	struct pooled_refund *r;
	struct buf b;
	struct jw w;
	int rc;

	rc = import_refund_order_id(pf, elem, order_id, e);
	if (rc != KR_OK)
		return rc;
	buf_init(&b, REFUND_JSON_MAX);
	jw_init(&w, &b);
	jw_node(&w, elem);
	if (jw_status(&w) != KR_OK) {
		buf_release(&b);
		return kerr_set(e, KR_TOO_BIG, "",
		    "a refund larger than %zu MiB", REFUND_JSON_MAX >> 20);
	}
	r = pool_append(p);
	r->platform = pf;
	r->shop = xstrdup(shop != NULL ? shop : platform_name(pf));
	r->order_id = xstrdup(order_id);
	r->json = buf_take(&b, &r->json_len);
	r->file = xstrdup(file);
	r->path = xstrdup(path);
	return KR_OK;
}

static int
pooled_map(struct refund_pool *p, struct pooled_refund *r,
    struct order *o, struct refund **out, struct kerr *e)
{
	char order_id[IMPORT_ID_MAX];
	int rc;

	rc = jdoc_parse(&p->doc, r->json, r->json_len, e);
	if (rc == KR_OK)
		rc = import_refund(r->platform, p->doc.root, o, out,
		    order_id, e);
	jdoc_reset(&p->doc);
	return rc;
}

size_t
refund_pool_attach(struct refund_pool *p, struct order *o,
    refund_pool_fn fail, void *arg)
{
	enum platform pf = platform_from_name(o->platform);
	size_t i, mapped = 0;
	struct kerr e;

	if (o->order_id == NULL || o->shop == NULL)
		return 0;
	pool_sort(p);
	for (i = pool_lower(p, o->shop, pf, o->order_id); i < p->n; i++) {
		struct pooled_refund *r = &p->items[i];
		struct refund *out;

		if (pooled_cmp(r, o->shop, pf, o->order_id) != 0)
			break;
		kerr_clear(&e);
		if (pooled_map(p, r, o, &out, &e) != KR_OK) {
			import_locate(&e, r->file, r->path);
			r->failed = 1;
			fail(arg, r, &e);
			continue;
		}
		r->used = 1;
		mapped++;
	}
	return mapped;
}

const struct pooled_refund *
refund_pool_at(const struct refund_pool *p, size_t i)
{
	return i < p->n ? &p->items[i] : NULL;
}

int
refund_pool_map(struct refund_pool *p, size_t i, struct order *o,
    struct refund **out, struct kerr *e)
{
	struct pooled_refund *r;
	int rc;

	if (i >= p->n)
		KBUG("no refund %zu in the pool", i);
	r = &p->items[i];
	rc = pooled_map(p, r, o, out, e);
	if (rc != KR_OK) {
		import_locate(e, r->file, r->path);
		r->failed = 1;
		return rc;
	}
	r->used = 1;
	return KR_OK;
}

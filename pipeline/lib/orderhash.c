/*
 * The hash of an order's amounts, stored with its invoice: an order that
 * comes back with other amounts after it was invoiced is recognised and
 * refused instead of being invoiced twice or silently changed.
 */
#include <stdio.h>
#include <string.h>

#include "dec.h"
#include "order.h"
#include "sha256.h"

/*
 * The hashed text is gathered here and given to SHA-256 a buffer at a
 * time, not a field and a separator at a time.
 */
struct hashtext {
	struct sha256 s;
	size_t len;
	char b[512];
};

static void
add_bytes(struct hashtext *h, const char *t, size_t n)
{
	if (n > sizeof(h->b) - h->len) {
		sha256_update(&h->s, h->b, h->len);
		h->len = 0;
		if (n > sizeof(h->b)) {
			sha256_update(&h->s, t, n);
			return;
		}
	}
	memcpy(h->b + h->len, t, n);
	h->len += n;
}

static void
add_text(struct hashtext *h, const char *t)
{
	if (t != NULL)
		add_bytes(h, t, strlen(t));
	add_bytes(h, "|", 1);
}

static void
add_num(struct hashtext *h, int64_t v)
{
	char b[DEC_BUFSZ];

	add_text(h, dec_format(v, 0, b));	/* as "%lld" writes it */
}

void
order_amounts_hash(const struct order *o, char out[65])
{
	struct hashtext h;
	size_t i;

	sha256_init(&h.s);
	h.len = 0;
	add_text(&h, o->currency);
	add_num(&h, o->prices);
	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];

		add_text(&h, "L");
		add_text(&h, l->id);
		add_num(&h, l->qty_e4);
		add_num(&h, l->amount_minor);
		add_num(&h, l->discount_minor);
		add_num(&h, l->rate_bp);
	}
	for (i = 0; i < o->nshipping; i++) {
		add_text(&h, "S");
		add_num(&h, o->shipping[i].amount_minor);
		add_num(&h, o->shipping[i].discount_minor);
	}
	for (i = 0; i < o->ndiscounts; i++) {
		add_text(&h, "D");
		add_num(&h, o->discounts[i].amount_minor);
		add_num(&h, o->discounts[i].allocated);
		if (o->discounts[i].rate_bp >= 0) {
			add_text(&h, "R");
			add_num(&h, o->discounts[i].rate_bp);
		}
	}
	add_text(&h, "T");
	add_num(&h, o->total_minor);
	add_text(&h, o->shipping_addr.country);
	add_text(&h, o->billing.country);
	/* Added later: only orders that have them hash them. */
	if (o->deemed_supplier) {
		add_text(&h, "M");
		add_num(&h, o->marketplace_vat_minor);
	}
	if (o->ship_from[0] != '\0') {
		add_text(&h, "F");
		add_text(&h, o->ship_from);
	}
	sha256_update(&h.s, h.b, h.len);
	sha256_hex(&h.s, out);
}

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

static void
add_text(struct sha256 *s, const char *t)
{
	if (t != NULL)
		sha256_update(s, t, strlen(t));
	sha256_update(s, "|", 1);
}

static void
add_num(struct sha256 *s, int64_t v)
{
	char b[DEC_BUFSZ];

	add_text(s, dec_format(v, 0, b));	/* as "%lld" writes it */
}

void
order_amounts_hash(const struct order *o, char out[65])
{
	struct sha256 s;
	size_t i;

	sha256_init(&s);
	add_text(&s, o->currency);
	add_num(&s, o->prices);
	for (i = 0; i < o->nlines; i++) {
		const struct order_line *l = &o->lines[i];

		add_text(&s, "L");
		add_text(&s, l->id);
		add_num(&s, l->qty_e4);
		add_num(&s, l->amount_minor);
		add_num(&s, l->discount_minor);
		add_num(&s, l->rate_bp);
	}
	for (i = 0; i < o->nshipping; i++) {
		add_text(&s, "S");
		add_num(&s, o->shipping[i].amount_minor);
		add_num(&s, o->shipping[i].discount_minor);
	}
	for (i = 0; i < o->ndiscounts; i++) {
		add_text(&s, "D");
		add_num(&s, o->discounts[i].amount_minor);
		add_num(&s, o->discounts[i].allocated);
		if (o->discounts[i].rate_bp >= 0) {
			add_text(&s, "R");
			add_num(&s, o->discounts[i].rate_bp);
		}
	}
	add_text(&s, "T");
	add_num(&s, o->total_minor);
	add_text(&s, o->shipping_addr.country);
	add_text(&s, o->billing.country);
	/* Added later: only orders that have them hash them. */
	if (o->deemed_supplier) {
		add_text(&s, "M");
		add_num(&s, o->marketplace_vat_minor);
	}
	if (o->ship_from[0] != '\0') {
		add_text(&s, "F");
		add_text(&s, o->ship_from);
	}
	sha256_hex(&s, out);
}

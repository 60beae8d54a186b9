#ifndef KONTOR_INVOICE_DATA_H
#define KONTOR_INVOICE_DATA_H

/*
 * The hand-written invoice records of tests/data/invoices/ (one record
 * per file; the README there gives every figure's computation), read
 * with the project's own reader and checked for their sums.
 */

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoice.h"
#include "json.h"

/*
 * Reads tests/data/DIR/NAME.jsonl into doc and inv (both initialised by
 * the caller, released by it too).
 */
static inline void
invoice_data_read(struct jdoc *doc, struct invoice *inv, const char *dir,
    const char *name)
{
	const char *top = getenv("KONTOR_TOP");
	char path[4096], *text;
	struct kerr e;
	size_t len;
	FILE *fp;
	long n;

	snprintf(path, sizeof(path), "%s/tests/data/%s/%s.jsonl",
	    top ? top : ".", dir, name);
	fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot open %s", path);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	text = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(text);
	len = fread(text, 1, (size_t)n, fp);
	fclose(fp);
	while (len > 0 && text[len - 1] == '\n')
		len--;
	kerr_clear(&e);
	ck_assert_int_eq(jdoc_parse(doc, text, len, &e), KR_OK);
	free(text);
	ck_assert_msg(invoice_read(inv, doc->root, &e) == KR_OK,
	    "%s: %s: %s", name, e.field, e.msg);
	ck_assert_msg(invoice_check_sums(inv, &e) == KR_OK, "%s: %s: %s",
	    name, e.field, e.msg);
}

#endif

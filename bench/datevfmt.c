/*
 * datevfmt: the limit line of kontor-datev.  Formats COUNT Buchungsstapel
 * rows of the width of the sample row in a tight loop: amount, sign,
 * currency, accounts, date, document number and text from integers, the
 * remaining fields copied as the sample has them; writes them to stdout.
 *
 *	datevfmt COUNT FILE.csv		(FILE: a delivered EXTF batch)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sample row: the third line of the batch. */
static size_t
sample_tail(const char *file, char *tail, size_t cap)
{
	char line[8192];
	const char *p;
	FILE *fp;
	int i;

	fp = fopen(file, "r");
	for (i = 0; fp != NULL && i < 3; i++)
		if (fgets(line, sizeof(line), fp) == NULL)
			break;
	if (fp != NULL)
		fclose(fp);
	if (i < 3)
		return 0;
	/* The fields after the 14th (Buchungstext) are copied. */
	for (p = line, i = 0; i < 14 && p != NULL; i++)
		p = strchr(p + 1, ';');
	if (p == NULL || strlen(p) >= cap)
		return 0;
	memcpy(tail, p, strlen(p) + 1);
	return strlen(tail);
}

int
main(int argc, char **argv)
{
	static char out[1 << 16];
	char tail[8192], row[8192];
	size_t used = 0, ntail;
	long n, i, cents;
	int len;

	if (argc != 3 || (n = strtol(argv[1], NULL, 10)) <= 0 ||
	    (ntail = sample_tail(argv[2], tail, sizeof(tail))) == 0) {
		fputs("usage: datevfmt count file.csv\n", stderr);
		return 2;
	}
	for (i = 0; i < n; i++) {
		cents = 100 + i * 37 % 100000;
		len = snprintf(row, sizeof(row), "%ld,%02ld;\"S\";\"EUR\";;;"
		    "\"\";10000;%d;\"\";%02ld%02ld;\"RE-2026-%06ld\";\"\";;"
		    "\"Shopify #%ld\"", cents / 100, cents % 100,
		    i % 2 ? 8400 : 8300, 1 + i % 28, 1 + i % 12, i % 1000000,
		    1000000 + i);
		memcpy(row + len, tail, ntail);
		len += (int)ntail;
		if (used + (size_t)len > sizeof(out)) {
			fwrite(out, 1, used, stdout);
			used = 0;
		}
		memcpy(out + used, row, (size_t)len);
		used += (size_t)len;
	}
	fwrite(out, 1, used, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}

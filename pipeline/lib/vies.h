#ifndef KONTOR_VIES_H
#define KONTOR_VIES_H

/*
 * Confirmations of buyers' VAT ids by the EU's VIES service, as the
 * seller (or the accountant) obtained them: kontor never queries VIES
 * itself (tax.md §7), but carries a confirmation the user recorded into
 * the invoice of an intra-EU supply to that buyer, as evidence of the
 * id's validity.  The file is named by [tax] vies in kontor.conf:
 *
 *	# VAT id,date of the confirmation,VIES consultation number
 *	ATU48173621,2026-10-20,WAPIAAAAZ6S4sGTs
 *
 * Each id is taken in any spelling vatid.h accepts and must pass its
 * checks; only valid results are recorded.  The latest confirmation of
 * an id on or before a given day counts.
 */

#include <stddef.h>

#include "err.h"
#include "vatid.h"

#define VIES_NUMBER_MAX	64

struct vies_entry {
	char id[VATID_MAX];		/* normalised */
	char date[11];			/* YYYY-MM-DD */
	char number[VIES_NUMBER_MAX];	/* the consultation number */
};

struct vies {
	char *path;
	struct vies_entry *entry;
	size_t n, cap;
};

/*
 * Reads the file at path; every bad line is an error naming the file,
 * the line and the column.  Release with vies_release.
 */
int	vies_load(struct vies *v, const char *path, struct kerr *e);
void	vies_release(struct vies *v);

/*
 * The latest confirmation of the normalised id dated on or before day,
 * or NULL.
 */
const struct vies_entry	*vies_find(const struct vies *v, const char *id,
			    const char *day);

#endif

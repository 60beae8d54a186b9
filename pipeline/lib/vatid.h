#ifndef KONTOR_VATID_H
#define KONTOR_VATID_H

/*
 * EU VAT identification numbers (../shared/spec/tax.md §7).
 *
 * vatid_check normalises a VAT id as a buyer typed it and checks it
 * offline: the syntax of the issuing member state and, where that state
 * defines one, its check digit.  The result says how far the id was
 * checked.  A correct check digit proves only that the id is well
 * formed; whether it was issued, is still valid and belongs to the buyer
 * only the VIES service of the European Commission can tell, and kontor
 * never queries it (docs/tax-data.md).
 *
 * Normalising drops spaces, dots and dashes and upper-cases letters.  The
 * prefix is the VAT prefix, not the ISO code: EL for Greece (GR is
 * turned into EL, and the message says so) and XI for Northern Ireland;
 * GB ids are British, not EU ones, and fail.  A few ids are completed as
 * their states publish them (BE with 9 digits and EL with 8 get their
 * leading 0), and the message says so too.
 *
 * Nothing is allocated; the result lives in the caller's struct.
 */

#define VATID_MAX	16	/* normalised id with prefix, NUL included */
#define VATID_INPUT_MAX	64	/* longer input is refused unread */
#define VATID_MSG_MAX	200

enum vatid_status {
	VATID_SYNTAX_INVALID,	/* not an id of that state's form */
	VATID_CHECKSUM_INVALID,	/* the form is right, the check digit not */
	VATID_SYNTAX_ONLY,	/* the form is right; no check digit known */
	VATID_CHECKSUM_VALID	/* form and check digit are right */
};

struct vatid {
	enum vatid_status status;
	char id[VATID_MAX];	/* normalised with prefix, "" if none */
	char prefix[3];		/* the VAT prefix: "EL", "XI", "" if none */
	char country[3];	/* issuing state, ISO: "GR", "XI", "" */
	char msg[VATID_MSG_MAX];	/* what was checked or found wrong */
};

/*
 * Checks text (NUL-terminated, may be NULL) and fills v; returns
 * v->status.  Never fails otherwise and never goes on the network.
 */
enum vatid_status	vatid_check(const char *text, struct vatid *v);

/*
 * "syntax_invalid", "checksum_invalid", "syntax_only" or
 * "checksum_valid", for records.
 */
const char	*vatid_status_name(enum vatid_status status);

#endif

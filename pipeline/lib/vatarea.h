#ifndef KONTOR_VATAREA_H
#define KONTOR_VATAREA_H

/*
 * Where a delivery of goods ends, for the place of supply
 * (../shared/spec/tax.md §1, ../shared/data/README.md): Germany itself,
 * another part of the EU VAT area, or outside it.
 *
 * The seller is established in Germany.  Northern Ireland (XI, or GB
 * with a BT postcode) is EU territory for goods; Monaco counts as
 * France and the Isle of Man as the United Kingdom.  The territories of
 * member states outside the EU VAT area are third countries: the Canary
 * Islands, Ceuta and Melilla, the French overseas departments and
 * collectivities, Åland, Heligoland, Büsingen, Livigno, Campione
 * d'Italia and Mount Athos; they are recognised by their own ISO codes
 * (GP, GF, MQ, RE, YT, MF, BL, AX, IC, EA, ...) or by the postcode
 * under the member state's code.  Where the postcode is needed to tell
 * and is missing or not of the country's form, the answer is
 * "ambiguous", never a guess.
 *
 * Nothing here is loaded or allocated; the rules are facts of the VAT
 * Directive (Art. 6) and of the postal codes.
 */

#include "err.h"

#define VATAREA_REASON_MAX	200

enum vatarea_kind {
	VATAREA_DOMESTIC,	/* Germany: German VAT */
	VATAREA_EU,		/* another member state, or XI for goods */
	VATAREA_THIRD,		/* outside the EU VAT area: an export */
	VATAREA_AMBIGUOUS	/* the address does not tell which */
};

struct vatarea {
	enum vatarea_kind kind;
	/*
	 * The country whose VAT rules apply: the member state ("FR" for an
	 * address in MC, "XI" for Northern Ireland, "GR" for Greece); for
	 * a third country the territory's own code where it has one
	 * ("IC", "GP", "AX", "GB" for IM) and otherwise the code given.
	 */
	char country[3];
	char reason[VATAREA_REASON_MAX];	/* why, for messages */
};

/*
 * Classifies the ship-to address of goods by its country code (ISO
 * 3166-1 alpha-2, either case; XI, EL, UK, IC, EA and XK are taken too)
 * and postcode (may be NULL or "").  Fills out and returns KR_OK when
 * the place is clear.  When it is not, out->kind is VATAREA_AMBIGUOUS
 * and the result KR_BAD_INPUT with e's field "postcode"; a country code
 * that is no country at all is KR_BAD_INPUT with field "country".  The
 * reason says what was found either way.
 */
int	vatarea_classify(const char *country, const char *postcode,
	    struct vatarea *out, struct kerr *e);

/* "domestic", "eu", "third" or "ambiguous". */
/*
 * 1 when country, as given, is an ISO 3166 alpha-2 code, XI (Northern
 * Ireland), or EL, UK, IC or EA, which the invoice writes as their ISO
 * code, or XK (Kosovo), which it writes as 1A: what an address on an
 * e-invoice can carry (BR-CL-14).
 */
int	vatarea_code_known(const char *country);
const char	*vatarea_kind_name(enum vatarea_kind kind);

#endif

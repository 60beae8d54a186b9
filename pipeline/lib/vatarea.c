#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "vatarea.h"

#define POSTCODE_MAX	16

/* ISO 3166-1 alpha-2, sorted, two letters each. */
static const char iso_codes[] =
	"ADAEAFAGAIALAMAOAQARASATAUAWAXAZBABBBDBEBFBGBHBIBJBLBMBNBOBQ"
	"BRBSBTBVBWBYBZCACCCDCFCGCHCICKCLCMCNCOCRCUCVCWCXCYCZDEDJDKDM"
	"DODZECEEEGEHERESETFIFJFKFMFOFRGAGBGDGEGFGGGHGIGLGMGNGPGQGRGS"
	"GTGUGWGYHKHMHNHRHTHUIDIEILIMINIOIQIRISITJEJMJOJPKEKGKHKIKMKN"
	"KPKRKWKYKZLALBLCLILKLRLSLTLULVLYMAMCMDMEMFMGMHMKMLMMMNMOMPMQ"
	"MRMSMTMUMVMWMXMYMZNANCNENFNGNINLNONPNRNUNZOMPAPEPFPGPHPKPLPM"
	"PNPRPSPTPWPYQARERORSRURWSASBSCSDSESGSHSISJSKSLSMSNSOSRSSSTSV"
	"SXSYSZTCTDTFTGTHTJTKTLTMTNTOTRTTTVTWTZUAUGUMUSUYUZVAVCVEVGVI"
	"VNVUWFWSYEYTZAZMZW";

/* The member states other than Germany. */
static const char eu_codes[] =
	"ATBEBGCYCZDKEEESFIFRGRHRHUIEITLTLULVMTNLPLPTROSESISK";

/*
 * Territories with an ISO code of their own (or a code the customs
 * union reserved) that lie outside the EU VAT area although they belong
 * to a member state.
 */
static const struct {
	char code[3];
	const char *name;
} outside_code[] = {
	{"AX", "Åland"},
	{"BL", "Saint-Barthélemy"},
	{"EA", "Ceuta and Melilla"},
	{"GF", "French Guiana"},
	{"GP", "Guadeloupe"},
	{"IC", "the Canary Islands"},
	{"MF", "Saint-Martin"},
	{"MQ", "Martinique"},
	{"RE", "Réunion"},
	{"YT", "Mayotte"},
};

/* Territories told by the postcode under their state's code. */
static const struct {
	char country[3];
	const char *prefix;		/* of the 5-digit postcode */
	char code[3];			/* own code, "" when none */
	const char *name;
} outside_postcode[] = {
	{"DE", "27498", "", "Heligoland"},
	{"DE", "78266", "", "Büsingen am Hochrhein"},
	{"ES", "35", "IC", "the Canary Islands (Las Palmas)"},
	{"ES", "38", "IC", "the Canary Islands (Santa Cruz de Tenerife)"},
	{"ES", "51", "EA", "Ceuta"},
	{"ES", "52", "EA", "Melilla"},
	{"FI", "22", "AX", "Åland"},
	{"FR", "971", "GP", "Guadeloupe"},
	{"FR", "972", "MQ", "Martinique"},
	{"FR", "973", "GF", "French Guiana"},
	{"FR", "974", "RE", "Réunion"},
	{"FR", "975", "PM", "Saint-Pierre-et-Miquelon"},
	{"FR", "976", "YT", "Mayotte"},
	{"FR", "977", "BL", "Saint-Barthélemy"},
	{"FR", "978", "MF", "Saint-Martin"},
	{"FR", "986", "WF", "Wallis and Futuna"},
	{"FR", "987", "PF", "French Polynesia"},
	{"FR", "988", "NC", "New Caledonia"},
	{"GR", "63086", "", "Mount Athos"},
	{"IT", "00120", "VA", "the Vatican City"},
	{"IT", "22061", "", "Campione d'Italia"},
	{"IT", "23041", "", "Livigno"},
	{"IT", "4789", "SM", "San Marino"},
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

static int
in_codes(const char *list, const char *code)
{
	size_t i;

	for (i = 0; list[i] != '\0'; i += 2)
		if (list[i] == code[0] && list[i + 1] == code[1])
			return 1;
	return 0;
}

static int
set(struct vatarea *out, enum vatarea_kind kind, const char *country,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
set(struct vatarea *out, enum vatarea_kind kind, const char *country,
    const char *fmt, ...)
{
	va_list ap;

	out->kind = kind;
	memcpy(out->country, country, 2);
	out->country[2] = '\0';
	va_start(ap, fmt);
	vsnprintf(out->reason, sizeof(out->reason), fmt, ap);
	va_end(ap);
	return KR_OK;
}

/*
 * The postcode without spaces and dashes, in upper case, into pc; 0
 * when it is too long or holds anything but letters and digits.
 */
static int
postcode_norm(const char *in, char pc[POSTCODE_MAX])
{
	size_t n = 0;

	pc[0] = '\0';
	for (; in != NULL && *in != '\0'; in++) {
		if (*in == ' ' || *in == '-')
			continue;
		if (n + 1 == POSTCODE_MAX)
			return 0;
		if (*in >= 'a' && *in <= 'z')
			pc[n++] = (char)(*in - 'a' + 'A');
		else if ((*in >= 'A' && *in <= 'Z') ||
		    (*in >= '0' && *in <= '9'))
			pc[n++] = *in;
		else
			return 0;
	}
	pc[n] = '\0';
	return 1;
}

static int
five_digits(const char *pc)
{
	int i;

	for (i = 0; i < 5; i++)
		if (pc[i] < '0' || pc[i] > '9')
			return 0;
	return pc[5] == '\0';
}

static int
ambiguous(struct vatarea *out, const char *cc, const char *postcode,
    struct kerr *e, const char *what)
{
	set(out, VATAREA_AMBIGUOUS, cc, "%s address with %s%s%s: %s", cc,
	    postcode != NULL && *postcode != '\0' ? "postcode \"" :
	    "no postcode", postcode != NULL ? postcode : "",
	    postcode != NULL && *postcode != '\0' ? "\"" : "", what);
	return kerr_set(e, KR_BAD_INPUT, "postcode", "%s", out->reason);
}

/* The member states whose postcode can name a territory outside. */
static const char *
territory_hint(const char *cc)
{
	static const struct {
		char cc[3];
		const char *hint;
	} hint[] = {
		{"DE", "Heligoland (27498) and Büsingen (78266) are outside "
		    "the EU VAT area"},
		{"ES", "the Canary Islands (35, 38), Ceuta (51) and Melilla "
		    "(52) are outside the EU VAT area"},
		{"FI", "Åland (22) is outside the EU VAT area"},
		{"FR", "the overseas departments (97, 98) are outside the EU "
		    "VAT area, Monaco (980) counts as France"},
		{"GR", "Mount Athos (63086) is outside the EU VAT area"},
		{"IT", "Livigno (23041), Campione d'Italia (22061), San "
		    "Marino (4789) and the Vatican (00120) are outside the "
		    "EU VAT area"},
	};
	size_t i;

	for (i = 0; i < NELEM(hint); i++)
		if (strcmp(hint[i].cc, cc) == 0)
			return hint[i].hint;
	return NULL;
}

/* A member state whose postcode may name a territory outside. */
static int
by_postcode(const char *cc, const char *postcode, struct vatarea *out,
    struct kerr *e)
{
	enum vatarea_kind in = strcmp(cc, "DE") == 0 ? VATAREA_DOMESTIC :
	    VATAREA_EU;
	char pc[POSTCODE_MAX];
	size_t i;

	if (!postcode_norm(postcode, pc))
		return ambiguous(out, cc, postcode, e, territory_hint(cc));
	if (strcmp(cc, "FI") == 0 && strncmp(pc, "AX", 2) == 0)
		return set(out, VATAREA_THIRD, "AX", "Åland (postcode %s): "
		    "outside the EU VAT area", postcode);
	if (!five_digits(pc))
		return ambiguous(out, cc, postcode, e, territory_hint(cc));
	for (i = 0; i < NELEM(outside_postcode); i++)
		if (strcmp(outside_postcode[i].country, cc) == 0 &&
		    strncmp(pc, outside_postcode[i].prefix,
		    strlen(outside_postcode[i].prefix)) == 0)
			return set(out, VATAREA_THIRD,
			    outside_postcode[i].code[0] != '\0' ?
			    outside_postcode[i].code : cc,
			    "%s (%s %s): outside the EU VAT area",
			    outside_postcode[i].name, cc, pc);
	if (strcmp(cc, "FR") == 0 && strncmp(pc, "980", 3) == 0)
		return set(out, VATAREA_EU, "FR", "Monaco (FR %s) counts as "
		    "France", pc);
	if (strcmp(cc, "FR") == 0 && pc[0] == '9' &&
	    (pc[1] == '7' || pc[1] == '8'))
		return set(out, VATAREA_THIRD, cc, "French overseas territory "
		    "(FR %s): outside the EU VAT area", pc);
	return set(out, in, cc, "%s %s", in == VATAREA_DOMESTIC ?
	    "Germany" : "EU member state", cc);
}

static int
united_kingdom(const char *postcode, struct vatarea *out, struct kerr *e)
{
	char pc[POSTCODE_MAX];

	if (!postcode_norm(postcode, pc) || pc[0] == '\0')
		return ambiguous(out, "GB", postcode, e, "Northern Ireland "
		    "(BT) is in the EU VAT area for goods, Great Britain is "
		    "not");
	if (pc[0] == 'B' && pc[1] == 'T' && pc[2] >= '0' && pc[2] <= '9')
		return set(out, VATAREA_EU, "XI", "Northern Ireland (postcode "
		    "%s): EU VAT rules for goods", postcode);
	return set(out, VATAREA_THIRD, "GB", "Great Britain: outside the "
	    "EU VAT area");
}

/* The country code in upper case; 0 when it is not two letters. */
static int
code_norm(const char *in, char cc[3])
{
	int i;

	for (i = 0; i < 2; i++) {
		if (in == NULL || in[i] == '\0')
			return 0;
		if (in[i] >= 'a' && in[i] <= 'z')
			cc[i] = (char)(in[i] - 'a' + 'A');
		else if (in[i] >= 'A' && in[i] <= 'Z')
			cc[i] = in[i];
		else
			return 0;
	}
	cc[2] = '\0';
	return in[2] == '\0';
}

/* Codes that stand for another: returns the one to classify. */
static const char *
alias(const char *cc)
{
	if (strcmp(cc, "EL") == 0)
		return "GR";
	if (strcmp(cc, "UK") == 0)
		return "GB";
	return cc;
}

int
vatarea_classify(const char *country, const char *postcode,
    struct vatarea *out, struct kerr *e)
{
	char given[3];
	const char *cc;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->kind = VATAREA_AMBIGUOUS;
	if (!code_norm(country, given))
		return kerr_set(e, KR_BAD_INPUT, "country", "expected a "
		    "two-letter country code, got \"%s\"",
		    country != NULL ? country : "");
	cc = alias(given);
	if (strcmp(cc, "XI") == 0)
		return set(out, VATAREA_EU, "XI", "Northern Ireland: EU VAT "
		    "rules for goods");
	if (strcmp(cc, "MC") == 0)
		return set(out, VATAREA_EU, "FR", "Monaco counts as France");
	if (strcmp(cc, "IM") == 0)
		return set(out, VATAREA_THIRD, "GB", "the Isle of Man counts "
		    "as the United Kingdom: outside the EU VAT area");
	if (strcmp(cc, "GB") == 0)
		return united_kingdom(postcode, out, e);
	for (i = 0; i < NELEM(outside_code); i++)
		if (strcmp(outside_code[i].code, cc) == 0)
			return set(out, VATAREA_THIRD, cc, "%s (%s): outside "
			    "the EU VAT area", outside_code[i].name, cc);
	if (territory_hint(cc) != NULL)
		return by_postcode(cc, postcode, out, e);
	if (in_codes(eu_codes, cc))
		return set(out, VATAREA_EU, cc, "EU member state %s", cc);
	if (in_codes(iso_codes, cc) || strcmp(cc, "XK") == 0)
		return set(out, VATAREA_THIRD, cc, "%s: outside the EU VAT "
		    "area", cc);
	return kerr_set(e, KR_BAD_INPUT, "country", "\"%s\" is not an ISO "
	    "3166 country code", country);
}

int
vatarea_code_known(const char *country)
{
	/* The invoice writes these as GR, GB, ES and 1A (billing.c). */
	static const char mapped[] = "ELUKICEAXK";

	if (country == NULL || strlen(country) != 2)
		return 0;
	return in_codes(iso_codes, country) || in_codes(mapped, country) ||
	    strcmp(country, "XI") == 0;
}

const char *
vatarea_kind_name(enum vatarea_kind kind)
{
	static const char *const name[] = {
		[VATAREA_DOMESTIC] = "domestic",
		[VATAREA_EU] = "eu",
		[VATAREA_THIRD] = "third",
		[VATAREA_AMBIGUOUS] = "ambiguous"
	};

	if ((int)kind < 0 || kind > VATAREA_AMBIGUOUS)
		KBUG("vatarea_kind_name: kind %d", (int)kind);
	return name[kind];
}

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "einvoice.h"
#include "einvoice_check.h"
#include "einvoice_variants.h"
#include "err.h"

/*
 * Every rule of the e-invoice checker against the hand-written documents
 * of tests/data/einvoice/ (valid: no finding at all) and one or more
 * mutations each.  A mutation names the exact set of rule ids (fatal and
 * warning) the checker must report, no more, no less; the valid variants
 * of einvoice_variants.h have the empty set.
 *
 * The same table feeds the end-to-end cross-check with the official
 * validator (tests/e2e/0410-einvoice-checker-rules): with
 * EINV_MUTATIONS_OUT=dir this program writes every mutation to dir and a
 * manifest instead of testing; with EINV_CHECK_FILES=1 it checks the
 * files named on its command line (profile from EINV_PROFILE, XSD from
 * EINV_SCHEMAS) and prints one line per finding.
 */

#include "einvoice_muts_core.h"
#include "einvoice_muts_vat.h"
#include "einvoice_muts_de.h"

/* The three tables as one list. */
static const struct {
	const struct mutation *m;
	size_t n;
} tables[] = {
	{muts, sizeof(muts) / sizeof(muts[0])},
	{muts_vat, sizeof(muts_vat) / sizeof(muts_vat[0])},
	{muts_de, sizeof(muts_de) / sizeof(muts_de[0])},
};

static size_t
n_mutations(void)
{
	size_t i, n = 0;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++)
		n += tables[i].n;
	return n;
}

static const struct mutation *
mutation_at(size_t k)
{
	size_t i;

	for (i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (k < tables[i].n)
			return &tables[i].m[k];
		k -= tables[i].n;
	}
	return NULL;
}

/* The rule ids found, sorted and unique, as one space-separated line. */
#define FOUND_MAX	64

struct found {
	char id[FOUND_MAX][48];
	int n;
	char detail[4096];
};

static void
collect(void *arg, const struct einvoice_finding *f)
{
	struct found *fd = arg;
	size_t used = strlen(fd->detail);
	int i;

	snprintf(fd->detail + used, sizeof(fd->detail) - used,
	    "\n  %s %s %s: %s", f->rule, f->fatal ? "fatal" : "warning",
	    f->where, f->msg);
	for (i = 0; i < fd->n; i++)
		if (strcmp(fd->id[i], f->rule) == 0)
			return;
	ck_assert_int_lt(fd->n, FOUND_MAX);
	snprintf(fd->id[fd->n++], sizeof(fd->id[0]), "%s", f->rule);
}

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* Sorts the words of list into out, one space between. */
static void
sort_words(const char *list, char *out, size_t size)
{
	char ids[FOUND_MAX][48], copy[1024], *tok, *save = NULL;
	int n = 0, i;

	snprintf(copy, sizeof(copy), "%s", list);
	for (tok = strtok_r(copy, " ", &save); tok != NULL && n < FOUND_MAX;
	    tok = strtok_r(NULL, " ", &save))
		snprintf(ids[n++], sizeof(ids[0]), "%s", tok);
	qsort(ids, (size_t)n, sizeof(ids[0]), cmp_id);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, ids[i], size - strlen(out) - 1);
	}
}

static enum einv_syntax
syntax_of(enum mut_base b)
{
	return b == BASE_CII ? EINV_CII : EINV_UBL;
}

static void
check_mutation(const struct mutation *m, struct found *fd)
{
	struct einvoice_check_stats st = {0, 0};
	struct kerr e;
	char *doc = mut_build(m);
	int rc;

	memset(fd, 0, sizeof(*fd));
	kerr_clear(&e);
	rc = einvoice_check_doc(doc, strlen(doc), syntax_of(m->base),
	    (enum einv_profile)m->profile, collect, fd, &st, &e);
	ck_assert_msg(rc == KR_OK, "%s: %s", m->name, e.msg);
	ck_assert_int_eq(st.fatal + st.warnings, (long)
	    (strlen(fd->detail) ? st.fatal + st.warnings : 0));
	free(doc);
}

START_TEST(einvoice_mutation_gives_exactly_its_rules)
{
	const struct mutation *m = mutation_at((size_t)_i);
	char want[1024], got[1024], list[1024] = "";
	struct found fd;
	int i;

	check_mutation(m, &fd);
	for (i = 0; i < fd.n; i++) {
		strncat(list, fd.id[i], sizeof(list) - strlen(list) - 2);
		strcat(list, " ");
	}
	sort_words(m->expect, want, sizeof(want));
	sort_words(list, got, sizeof(got));
	ck_assert_msg(strcmp(want, got) == 0,
	    "%s: expected {%s}, got {%s}:%s", m->name, want, got, fd.detail);
}
END_TEST

/*
 * The rules the checker implements; each must be the point of at least
 * one mutation (docs/einvoice-check.md lists them with severities).
 */
static const char *const implemented[] = {
	"BR-01", "BR-02", "BR-03", "BR-04", "BR-05", "BR-06", "BR-07",
	"BR-08", "BR-09", "BR-10", "BR-11", "BR-12", "BR-13", "BR-14",
	"BR-15", "BR-16", "BR-17", "BR-18", "BR-19", "BR-20", "BR-21",
	"BR-22", "BR-23", "BR-24", "BR-25", "BR-26", "BR-27", "BR-28",
	"BR-29", "BR-30", "BR-31", "BR-32", "BR-33", "BR-36", "BR-37",
	"BR-38", "BR-41", "BR-42", "BR-43", "BR-44", "BR-45", "BR-46",
	"BR-47", "BR-48", "BR-49", "BR-50", "BR-51", "BR-53", "BR-55",
	"BR-56", "BR-57", "BR-61", "BR-62", "BR-63", "BR-64",
	"BR-CO-03", "BR-CO-04", "BR-CO-09", "BR-CO-10", "BR-CO-11",
	"BR-CO-12", "BR-CO-13", "BR-CO-14", "BR-CO-15", "BR-CO-16",
	"BR-CO-17", "BR-CO-18", "BR-CO-19", "BR-CO-20", "BR-CO-21",
	"BR-CO-22", "BR-CO-23", "BR-CO-24", "BR-CO-25", "BR-CO-26",
	"BR-DEC-01", "BR-DEC-02", "BR-DEC-05", "BR-DEC-06", "BR-DEC-09",
	"BR-DEC-10", "BR-DEC-11", "BR-DEC-12", "BR-DEC-13", "BR-DEC-14",
	"BR-DEC-16", "BR-DEC-17", "BR-DEC-18", "BR-DEC-19",
	"BR-DEC-20", "BR-DEC-23", "BR-DEC-24", "BR-DEC-25", "BR-DEC-27",
	"BR-DEC-28",
	"BR-CL-01", "BR-CL-03", "BR-CL-04", "BR-CL-05", "BR-CL-14",
	"BR-CL-16", "BR-CL-17", "BR-CL-18", "BR-CL-22", "BR-CL-23",
	"BR-CL-25",
	"BR-S-01", "BR-S-02", "BR-S-03", "BR-S-04", "BR-S-05", "BR-S-06",
	"BR-S-07", "BR-S-08", "BR-S-09", "BR-S-10",
	"BR-Z-01", "BR-Z-02", "BR-Z-03", "BR-Z-04", "BR-Z-05", "BR-Z-06",
	"BR-Z-07", "BR-Z-08", "BR-Z-09", "BR-Z-10",
	"BR-E-01", "BR-E-02", "BR-E-03", "BR-E-04", "BR-E-05", "BR-E-06",
	"BR-E-07", "BR-E-08", "BR-E-09", "BR-E-10",
	"BR-AE-01", "BR-AE-02", "BR-AE-03", "BR-AE-04", "BR-AE-05",
	"BR-AE-06", "BR-AE-07", "BR-AE-08", "BR-AE-09", "BR-AE-10",
	"BR-IC-01", "BR-IC-02", "BR-IC-03", "BR-IC-04", "BR-IC-05",
	"BR-IC-06", "BR-IC-07", "BR-IC-08", "BR-IC-09", "BR-IC-10",
	"BR-IC-11", "BR-IC-12",
	"BR-G-01", "BR-G-02", "BR-G-03", "BR-G-04", "BR-G-05", "BR-G-06",
	"BR-G-07", "BR-G-08", "BR-G-09", "BR-G-10",
	"BR-O-01", "BR-O-02", "BR-O-03", "BR-O-04", "BR-O-05", "BR-O-06",
	"BR-O-07", "BR-O-08", "BR-O-09", "BR-O-10", "BR-O-11", "BR-O-12",
	"BR-O-13", "BR-O-14",
	"BR-DE-1", "BR-DE-2", "BR-DE-3", "BR-DE-4", "BR-DE-5", "BR-DE-6",
	"BR-DE-7", "BR-DE-8", "BR-DE-9", "BR-DE-10", "BR-DE-11",
	"BR-DE-14", "BR-DE-15", "BR-DE-16", "BR-DE-17", "BR-DE-18",
	"BR-DE-19", "BR-DE-20", "BR-DE-21", "BR-DE-23-a", "BR-DE-23-b",
	"BR-DE-24-a", "BR-DE-24-b", "BR-DE-25-a", "BR-DE-25-b",
	"BR-DE-26", "BR-DE-27", "BR-DE-28", "BR-DE-30", "BR-DE-31",
	"BR-DE-TMP-32",
	"PEPPOL-EN16931-R001", "PEPPOL-EN16931-R005", "PEPPOL-EN16931-R008",
	"PEPPOL-EN16931-R010", "PEPPOL-EN16931-R020", "PEPPOL-EN16931-R040",
	"PEPPOL-EN16931-R041", "PEPPOL-EN16931-R042", "PEPPOL-EN16931-R043",
	"PEPPOL-EN16931-R043-1", "PEPPOL-EN16931-R044",
	"PEPPOL-EN16931-R046", "PEPPOL-EN16931-R053",
	"PEPPOL-EN16931-R054", "PEPPOL-EN16931-R061",
	"PEPPOL-EN16931-R120", "PEPPOL-EN16931-R121",
	"PEPPOL-EN16931-R130",
	"UBL-DT-01", "UBL-SR-48", "CII-SR-454",
	"KONTOR-DECIMAL", "KONTOR-DATE",
};

START_TEST(einvoice_every_rule_has_a_mutation)
{
	size_t i, k;

	for (i = 0; i < sizeof(implemented) / sizeof(implemented[0]); i++) {
		char pat[64];
		int seen = 0;

		snprintf(pat, sizeof(pat), " %s ", implemented[i]);
		for (k = 0; k < n_mutations() && !seen; k++) {
			char padded[1100];

			snprintf(padded, sizeof(padded), " %s ",
			    mutation_at(k)->expect);
			seen = strstr(padded, pat) != NULL;
		}
		ck_assert_msg(seen, "no mutation for %s", implemented[i]);
	}
}
END_TEST

/* Under the EN 16931 profiles no XRechnung rule is applied. */
START_TEST(einvoice_core_profiles_skip_the_xrechnung_rules)
{
	static const enum einv_profile core[] = {
		EINV_EN16931, EINV_ZUGFERD_EN16931, EINV_ZUGFERD_BASIC,
		EINV_ZUGFERD_EXTENDED
	};
	struct mutation m = {"ubl-br-de-15", BASE_UBL, 0, NULL,
	    {DEL("/*/cbc:BuyerReference"), DEL("/*/cbc:ProfileID")}, "", NULL};
	struct found fd;
	size_t i;

	for (i = 0; i < sizeof(core) / sizeof(core[0]); i++) {
		m.profile = core[i];
		check_mutation(&m, &fd);
		ck_assert_msg(fd.n == 0, "profile %s:%s",
		    einv_profile_name(core[i]), fd.detail);
	}
}
END_TEST

/* Where a finding points: the element, with positions among siblings. */
START_TEST(einvoice_findings_name_the_element)
{
	struct mutation m = {"where", BASE_UBL, XR, NULL,
	    {SET(UL(2) "/cbc:LineExtensionAmount", "12.560")}, "", NULL};
	struct found fd;

	check_mutation(&m, &fd);
	ck_assert_msg(strstr(fd.detail, "BR-DEC-23 fatal /Invoice/"
	    "cac:InvoiceLine[2]/cbc:LineExtensionAmount: expected an amount "
	    "with at most 2 decimals, got \"12.560\"") != NULL, "%s",
	    fd.detail);
}
END_TEST

START_TEST(einvoice_detects_syntax_and_profile)
{
	static const struct {
		enum mut_base base;
		const char *bt24;
		int rc;
		enum einv_profile profile;
	} cases[] = {
		{BASE_UBL, NULL, KR_OK, EINV_XRECHNUNG},
		{BASE_CII, NULL, KR_OK, EINV_XRECHNUNG},
		{BASE_UBL, "urn:cen.eu:en16931:2017", KR_OK, EINV_EN16931},
		{BASE_CII, "urn:cen.eu:en16931:2017", KR_OK,
		    EINV_ZUGFERD_EN16931},
		{BASE_CII, "urn:cen.eu:en16931:2017#compliant#"
		    "urn:factur-x.eu:1p0:basic", KR_OK, EINV_ZUGFERD_BASIC},
		{BASE_CII, "urn:cen.eu:en16931:2017#conformant#"
		    "urn:factur-x.eu:1p0:extended", KR_OK,
		    EINV_ZUGFERD_EXTENDED},
		{BASE_UBL, "urn:cen.eu:en16931:2017#compliant#"
		    "urn:xeinkauf.de:kosit:xrechnung_3.0#conformant#"
		    "urn:xeinkauf.de:kosit:extension:xrechnung_3.0", KR_OK,
		    EINV_XRECHNUNG},
		{BASE_CII, "urn:factur-x.eu:1p0:minimum", KR_BAD_INPUT, 0},
		{BASE_UBL, "urn:example:something", KR_BAD_INPUT, 0},
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *path = cases[i].base == BASE_CII ?
		    "//ram:GuidelineSpecifiedDocumentContextParameter/ram:ID" :
		    "/*/cbc:CustomizationID";
		struct mutation m = {"detect", cases[i].base, XR, NULL,
		    {{cases[i].bt24 ? OP_SET : OP_END, path, cases[i].bt24}},
		    "", NULL};
		enum einv_syntax syntax;
		enum einv_profile profile;
		enum einv_doctype dt;
		struct kerr e;
		char *doc;
		int rc;

		doc = mut_build(&m);
		kerr_clear(&e);
		rc = einvoice_detect(doc, strlen(doc), &syntax, &profile, &dt,
		    &e);
		ck_assert_msg(rc == cases[i].rc, "case %zu: %s", i, e.msg);
		if (rc == KR_OK) {
			ck_assert_int_eq(syntax, syntax_of(cases[i].base));
			ck_assert_int_eq(profile, cases[i].profile);
		}
		free(doc);
	}
}
END_TEST

START_TEST(einvoice_refuses_the_wrong_syntax)
{
	struct kerr e;
	int rc;

	mut_load_bases();
	kerr_clear(&e);
	rc = einvoice_check_doc(mut_base_text[BASE_CII],
	    mut_base_len[BASE_CII], EINV_UBL, EINV_XRECHNUNG, NULL, NULL,
	    NULL, &e);
	ck_assert_int_eq(rc, KR_BAD_INPUT);
	ck_assert_str_eq(e.msg, "expected a UBL document, got CII");
}
END_TEST

START_TEST(einvoice_xsd_names_a_schema_it_cannot_load)
{
	struct kerr e;
	int rc;

	mut_load_bases();
	kerr_clear(&e);
	rc = einvoice_check_xsd(mut_base_text[BASE_UBL],
	    mut_base_len[BASE_UBL], EINV_UBL, EINV_DOC_INVOICE,
	    "/nonexistent", NULL, NULL, NULL, &e);
	ck_assert_int_eq(rc, KR_CONFIG);
	ck_assert_msg(strncmp(e.msg, "cannot load the schema /nonexistent/"
	    "ubl-2.1/maindoc/UBL-Invoice-2.1.xsd: ", 69) == 0, "%s", e.msg);
	einvoice_check_cleanup();
}
END_TEST

START_TEST(einvoice_profile_names_round_trip)
{
	enum einv_profile p;

	ck_assert_int_eq(einv_profile_parse("zugferd-basic", &p), KR_OK);
	ck_assert_int_eq(p, EINV_ZUGFERD_BASIC);
	ck_assert_str_eq(einv_profile_name(EINV_XRECHNUNG), "xrechnung");
	ck_assert_int_eq(einv_profile_parse("xrechnung-2", &p),
	    KR_BAD_INPUT);
}
END_TEST

/* Driver modes for the end-to-end cross-check */

static int
write_mutations(const char *dir)
{
	char path[4096], want[1024];
	FILE *manifest, *fp;
	size_t k;

	snprintf(path, sizeof(path), "%s/MANIFEST", dir);
	manifest = fopen(path, "w");
	if (manifest == NULL)
		return 1;
	for (k = 0; k < n_mutations(); k++) {
		const struct mutation *m = mutation_at(k);
		char *doc = mut_build(m);

		snprintf(path, sizeof(path), "%s/%s.xml", dir, m->name);
		fp = fopen(path, "w");
		if (fp == NULL || fputs(doc, fp) == EOF || fclose(fp) != 0)
			return 1;
		sort_words(m->expect, want, sizeof(want));
		fprintf(manifest, "%s\t%s\t%s\n", m->name,
		    einv_profile_name((enum einv_profile)m->profile),
		    want);
		free(doc);
	}
	return fclose(manifest) != 0;
}

static void
print_finding(void *arg, const struct einvoice_finding *f)
{
	printf("%s\t%s\t%s\t%s\t%s\n", (const char *)arg, f->rule,
	    f->fatal ? "fatal" : "warning", f->where, f->msg);
}

static int
check_files(int argc, char **argv)
{
	struct einvoice_check_opts o = {NULL, 0, EINV_XRECHNUNG};
	const char *profile = getenv("EINV_PROFILE");
	int i, status = 0;

	o.schemas_dir = getenv("EINV_SCHEMAS");
	if (profile != NULL && profile[0] != '\0') {
		if (einv_profile_parse(profile, &o.profile) != KR_OK)
			return 2;
		o.force_profile = 1;
	}
	for (i = 1; i < argc; i++) {
		struct einvoice_check_stats st = {0, 0};
		struct kerr e;

		kerr_clear(&e);
		if (einvoice_check_file(argv[i], &o, print_finding, argv[i],
		    &st, &e) != KR_OK) {
			printf("%s\tERROR\tfatal\t%s\t%s\n", argv[i], e.field,
			    e.msg);
			status = 1;
		}
	}
	einvoice_check_cleanup();
	return status;
}

static Suite *
einvoice_rules_suite(void)
{
	Suite *s = suite_create("einvoice_rules");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, einvoice_mutation_gives_exactly_its_rules, 0,
	    (int)n_mutations());
	tcase_add_test(tc, einvoice_every_rule_has_a_mutation);
	tcase_add_test(tc, einvoice_core_profiles_skip_the_xrechnung_rules);
	tcase_add_test(tc, einvoice_findings_name_the_element);
	tcase_add_test(tc, einvoice_detects_syntax_and_profile);
	tcase_add_test(tc, einvoice_refuses_the_wrong_syntax);
	tcase_add_test(tc, einvoice_profile_names_round_trip);
	tcase_add_test(tc, einvoice_xsd_names_a_schema_it_cannot_load);
	suite_add_tcase(s, tc);
	return s;
}

int
main(int argc, char **argv)
{
	const char *out = getenv("EINV_MUTATIONS_OUT");
	SRunner *sr;
	int failed;

	mut_driver = 1;
	if (out != NULL && out[0] != '\0')
		return write_mutations(out);
	if (getenv("EINV_CHECK_FILES") != NULL)
		return check_files(argc, argv);
	mut_driver = 0;
	sr = srunner_create(einvoice_rules_suite());
	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? 0 : 1;
}

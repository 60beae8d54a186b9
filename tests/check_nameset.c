#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "err.h"
#include "nameset.h"

START_TEST(nameset_tells_a_new_name_from_one_it_holds)
{
	struct nameset ns;
	struct kerr e;
	int added;

	nameset_init(&ns);
	kerr_clear(&e);
	ck_assert_int_eq(nameset_add(&ns, "RE-1.xml", &added, &e), KR_OK);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(nameset_add(&ns, "RE-2.xml", &added, &e), KR_OK);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(nameset_add(&ns, "RE-1.xml", &added, &e), KR_OK);
	ck_assert_int_eq(added, 0);
	/* Names are compared byte for byte, case included. */
	ck_assert_int_eq(nameset_add(&ns, "re-1.xml", &added, &e), KR_OK);
	ck_assert_int_eq(added, 1);
	ck_assert_int_eq(ns.n, 3);
	nameset_release(&ns);
	ck_assert_ptr_null(ns.db);
}
END_TEST

/*
 * More names than its page cache holds: the set goes on in its
 * temporary file and still knows the first names.
 */
START_TEST(nameset_holds_more_names_than_its_cache)
{
	struct nameset ns;
	struct kerr e;
	char name[64];
	long i, n = 60000;
	int added;

	nameset_init(&ns);
	kerr_clear(&e);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "RE-2026-%08ld.xml",
		    (i * 7919) % n);
		ck_assert_int_eq(nameset_add(&ns, name, &added, &e), KR_OK);
		ck_assert_int_eq(added, 1);
	}
	for (i = 0; i < n; i += 997) {
		snprintf(name, sizeof(name), "RE-2026-%08ld.xml", i);
		ck_assert_int_eq(nameset_add(&ns, name, &added, &e), KR_OK);
		ck_assert_int_eq(added, 0);
	}
	ck_assert_int_eq(ns.n, n);
	nameset_release(&ns);
}
END_TEST

START_TEST(nameset_release_of_an_empty_set_is_fine)
{
	struct nameset ns;

	nameset_init(&ns);
	nameset_release(&ns);
	nameset_release(&ns);
}
END_TEST

static Suite *
nameset_suite(void)
{
	Suite *s = suite_create("nameset");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, nameset_tells_a_new_name_from_one_it_holds);
	tcase_add_test(tc, nameset_holds_more_names_than_its_cache);
	tcase_add_test(tc, nameset_release_of_an_empty_set_is_fine);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(nameset_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

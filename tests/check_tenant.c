#include <check.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "tenant.h"
#include "testdir.h"

static int
is_dir(const char *dir, const char *sub)
{
	char path[PATH_MAX + 64];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, sub);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

START_TEST(tenant_open_makes_its_folders_and_takes_the_base_name)
{
	char dir[PATH_MAX], given[PATH_MAX + 8];
	const char *base;
	struct tenant t;
	struct kerr e;

	testdir_tenant(dir, sizeof(dir), "tenant");
	snprintf(given, sizeof(given), "%s///", dir);
	kerr_clear(&e);

	ck_assert_int_eq(tenant_open(&t, given, &e), KR_OK);
	ck_assert_str_eq(t.dir, dir);
	base = strrchr(dir, '/') + 1;
	ck_assert_str_eq(t.name, base);
	ck_assert_str_eq(t.cfg.seller_name, "Prüf Handel GmbH");
	ck_assert_str_eq(getenv("TZ"), "Europe/Berlin");
	ck_assert_int_eq(t.lock_fd, -1);
	ck_assert(is_dir(dir, "spool"));
	ck_assert(is_dir(dir, "out"));
	ck_assert(is_dir(dir, "archive"));
	tenant_close(&t);
	testdir_remove(dir);
}
END_TEST

START_TEST(tenant_open_refuses_what_is_not_a_tenant)
{
	char dir[PATH_MAX], path[PATH_MAX + 16];
	struct tenant t;
	struct kerr e;

	testdir_make(dir, sizeof(dir), "tenant");
	kerr_clear(&e);
	ck_assert_int_eq(tenant_open(&t, dir, &e), KR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.file, "kontor.conf"));

	testdir_write(dir, "plain", "x");
	snprintf(path, sizeof(path), "%s/plain", dir);
	ck_assert_int_eq(tenant_open(&t, path, &e), KR_CONFIG);
	ck_assert_ptr_nonnull(strstr(e.msg, "not a directory"));

	snprintf(path, sizeof(path), "%s/missing", dir);
	ck_assert_int_eq(tenant_open(&t, path, &e), KR_CONFIG);
	ck_assert_int_eq(tenant_open(&t, "", &e), KR_CONFIG);
	tenant_close(&t);
	testdir_remove(dir);
}
END_TEST

START_TEST(tenant_open_names_an_unknown_time_zone)
{
	char dir[PATH_MAX];
	struct tenant t;
	struct kerr e;

	testdir_make(dir, sizeof(dir), "tenant");
	testdir_write(dir, "kontor.conf", "[seller]\nname = A\nstreet = B\n"
	    "postcode = 1\ncity = C\nvat_id = DE123456789\n"
	    "timezone = Mars/Olympus\n[datev]\nconsultant = 1001\n"
	    "client = 1\n");
	kerr_clear(&e);
	ck_assert_int_eq(tenant_open(&t, dir, &e), KR_CONFIG);
	ck_assert_str_eq(e.field, "seller.timezone");
	ck_assert_ptr_nonnull(strstr(e.msg, "Mars/Olympus"));
	testdir_remove(dir);
}
END_TEST

START_TEST(tenant_path_refuses_paths_that_leave_the_tenant)
{
	static const char *const bad[] = {
		"../x", "/etc/passwd", "spool/../..", ".hidden", "a//b", "",
		"spool/.tmp/x", "spool/shop/..", "a/./b", "spool/", "..",
	};
	char dir[PATH_MAX], out[PATH_MAX], want[PATH_MAX + 32];
	char *huge;
	struct tenant t;
	struct kerr e;
	size_t i;

	testdir_tenant(dir, sizeof(dir), "tenant");
	ck_assert_int_eq(tenant_open(&t, dir, NULL), KR_OK);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		kerr_clear(&e);
		ck_assert_msg(tenant_path(&t, bad[i], out, &e) ==
		    KR_BAD_INPUT, "accepted \"%s\"", bad[i]);
		ck_assert_str_ne(e.msg, "");
	}

	huge = malloc(PATH_MAX);
	memset(huge, 'a', PATH_MAX - 1);
	huge[PATH_MAX - 1] = '\0';
	ck_assert_int_eq(tenant_path(&t, huge, out, &e), KR_BAD_INPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "too long"));
	free(huge);

	ck_assert_int_eq(tenant_path(&t, "spool/shop-de/x.json", out, &e),
	    KR_OK);
	snprintf(want, sizeof(want), "%s/spool/shop-de/x.json", dir);
	ck_assert_str_eq(out, want);
	tenant_close(&t);
	testdir_remove(dir);
}
END_TEST

START_TEST(tenant_lock_is_busy_while_another_open_holds_it)
{
	char dir[PATH_MAX];
	struct tenant a, b;
	struct kerr e;

	testdir_tenant(dir, sizeof(dir), "tenant");
	ck_assert_int_eq(tenant_open(&a, dir, NULL), KR_OK);
	ck_assert_int_eq(tenant_open(&b, dir, NULL), KR_OK);
	kerr_clear(&e);

	/* flock conflicts between two open file descriptions, even in one
	 * process, so this stands for a second run. */
	ck_assert_int_eq(tenant_lock(&a, 0, &e), KR_OK);
	ck_assert_int_ge(a.lock_fd, 0);
	ck_assert_int_eq(a.lock_inherited, 0);
	ck_assert_int_eq(tenant_lock(&b, 0, &e), KR_BUSY);
	ck_assert_ptr_nonnull(strstr(e.msg, "is busy"));
	ck_assert_int_eq(b.lock_fd, -1);

	tenant_close(&a);
	ck_assert_int_eq(tenant_lock(&b, 0, &e), KR_OK);
	tenant_close(&b);
	testdir_remove(dir);
}
END_TEST

START_TEST(tenant_lock_adopts_an_inherited_descriptor_of_its_own_file)
{
	char dir[PATH_MAX], other[PATH_MAX], num[16];
	struct tenant parent, child, stranger;
	struct kerr e;
	int copy;

	testdir_tenant(dir, sizeof(dir), "tenant");
	testdir_tenant(other, sizeof(other), "other");
	ck_assert_int_eq(tenant_open(&parent, dir, NULL), KR_OK);
	ck_assert_int_eq(tenant_open(&child, dir, NULL), KR_OK);
	ck_assert_int_eq(tenant_open(&stranger, other, NULL), KR_OK);
	ck_assert_int_eq(tenant_lock(&parent, 0, NULL), KR_OK);
	ck_assert_int_eq(tenant_lock(&stranger, 0, NULL), KR_OK);

	/* The lock file of another tenant is not accepted: the child opens
	 * its own, which the parent's lock blocks. */
	copy = dup(stranger.lock_fd);
	snprintf(num, sizeof(num), "%d", copy);
	setenv("KONTOR_LOCK_FD", num, 1);
	kerr_clear(&e);
	ck_assert_int_eq(tenant_lock(&child, 0, &e), KR_BUSY);
	close(copy);

	/* A copy of the parent's descriptor is adopted. */
	copy = dup(parent.lock_fd);
	snprintf(num, sizeof(num), "%d", copy);
	setenv("KONTOR_LOCK_FD", num, 1);
	ck_assert_int_eq(tenant_lock(&child, 0, &e), KR_OK);
	ck_assert_int_eq(child.lock_fd, copy);
	ck_assert_int_eq(child.lock_inherited, 1);
	tenant_close(&child);

	setenv("KONTOR_LOCK_FD", "three", 1);
	ck_assert_int_eq(tenant_lock(&child, 0, &e), KR_CONFIG);
	ck_assert_str_eq(e.field, "KONTOR_LOCK_FD");
	unsetenv("KONTOR_LOCK_FD");

	tenant_close(&parent);
	tenant_close(&stranger);
	testdir_remove(dir);
	testdir_remove(other);
}
END_TEST

START_TEST(tenant_fs_remote_name_knows_network_file_systems)
{
	char dir[PATH_MAX], fstype[32] = "";

	ck_assert_str_eq(tenant_fs_remote_name(0x6969, NULL), "nfs");
	ck_assert_str_eq(tenant_fs_remote_name(0xFF534D42UL, NULL), "cifs");
	ck_assert_str_eq(tenant_fs_remote_name(0xFE534D42UL, NULL), "smb2");
	ck_assert_str_eq(tenant_fs_remote_name(0x01021997, NULL), "9p");
	ck_assert_str_eq(tenant_fs_remote_name(0x65735546, "fuse.sshfs"),
	    "sshfs");
	ck_assert_ptr_null(tenant_fs_remote_name(0x65735546, "fuse.encfs"));
	ck_assert_ptr_null(tenant_fs_remote_name(0x65735546, NULL));
	/* ext4, tmpfs, overlay */
	ck_assert_ptr_null(tenant_fs_remote_name(0xEF53, NULL));
	ck_assert_ptr_null(tenant_fs_remote_name(0x01021994, NULL));
	ck_assert_ptr_null(tenant_fs_remote_name(0x794C7630, NULL));

	testdir_make(dir, sizeof(dir), "tenant");
	ck_assert_int_eq(tenant_fs_is_remote(dir, fstype, sizeof(fstype)), 0);
	ck_assert_int_eq(rmdir(dir), 0);
	ck_assert_int_eq(tenant_fs_is_remote(dir, fstype, sizeof(fstype)),
	    -1);
}
END_TEST

static Suite *
tenant_suite(void)
{
	Suite *s = suite_create("tenant");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc,
	    tenant_open_makes_its_folders_and_takes_the_base_name);
	tcase_add_test(tc, tenant_open_refuses_what_is_not_a_tenant);
	tcase_add_test(tc, tenant_open_names_an_unknown_time_zone);
	tcase_add_test(tc, tenant_path_refuses_paths_that_leave_the_tenant);
	tcase_add_test(tc, tenant_lock_is_busy_while_another_open_holds_it);
	tcase_add_test(tc,
	    tenant_lock_adopts_an_inherited_descriptor_of_its_own_file);
	tcase_add_test(tc, tenant_fs_remote_name_knows_network_file_systems);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(tenant_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

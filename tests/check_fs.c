#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "fs.h"
#include "testdir.h"

/* n bytes that differ from one place to the next. */
static char *
pattern(size_t n)
{
	char *p = malloc(n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (char)('a' + i % 23 + i / 4096 % 3);
	p[n] = '\0';
	return p;
}

/* A descriptor of an unlinked temporary file holding n bytes of p. */
static int
file_of(const char *p, size_t n)
{
	FILE *fp = tmpfile();
	int fd;

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(p, 1, n, fp), n);
	ck_assert_int_eq(fflush(fp), 0);
	fd = dup(fileno(fp));
	fclose(fp);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
	return fd;
}

/*
 * A file is read whole, whatever its size, into a buffer that the next
 * file reuses; and from where its descriptor stands.
 */
START_TEST(fs_read_fd_reads_a_file_whole)
{
	static const size_t size[] = { 40000, 0, 1, 16384, 16385, 3 };
	char *p = pattern(40000);
	struct buf b;
	size_t i;
	int fd;

	buf_init(&b, 0);
	for (i = 0; i < sizeof(size) / sizeof(size[0]); i++) {
		fd = file_of(p, size[i]);
		ck_assert_int_eq(fs_read_fd(fd, &b), KR_OK);
		close(fd);
		ck_assert_uint_eq(b.len, size[i]);
		ck_assert_ptr_nonnull(b.data);
		ck_assert_int_eq(memcmp(b.data, p, size[i]), 0);
		ck_assert_int_eq(b.data[b.len], '\0');
	}
	fd = file_of(p, 5000);
	ck_assert_int_eq(lseek(fd, 1000, SEEK_SET), 1000);
	ck_assert_int_eq(fs_read_fd(fd, &b), KR_OK);
	close(fd);
	ck_assert_uint_eq(b.len, 4000);
	ck_assert_int_eq(memcmp(b.data, p + 1000, 4000), 0);
	buf_release(&b);
	free(p);
}
END_TEST

/* The read end of a pipe that a child fills with n bytes of p. */
static int
pipe_of(const char *p, size_t n, pid_t *pid)
{
	int fds[2];

	ck_assert_int_eq(pipe(fds), 0);
	*pid = fork();
	ck_assert_int_ge(*pid, 0);
	if (*pid == 0) {
		close(fds[0]);
		_exit(fs_write_all(fds[1], p, n) == 0 ? 0 : 1);
	}
	close(fds[1]);
	return fds[0];
}

static void
reap(pid_t pid)
{
	int status;

	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status));
}

/*
 * What fstat cannot size, a pipe, is read whole too, however many
 * times the buffer has to grow: as a file that grew since fstat is.
 */
START_TEST(fs_read_fd_reads_a_pipe_whole)
{
	size_t n = 300000;
	char *p = pattern(n);
	struct buf b;
	pid_t pid;
	int fd;

	buf_init(&b, 0);
	fd = pipe_of(p, n, &pid);
	ck_assert_int_eq(fs_read_fd(fd, &b), KR_OK);
	close(fd);
	reap(pid);
	ck_assert_uint_eq(b.len, n);
	ck_assert_int_eq(memcmp(b.data, p, n), 0);
	buf_release(&b);
	free(p);
}
END_TEST

/* A file of the buffer's cap fits; one byte more does not. */
START_TEST(fs_read_fd_keeps_to_the_cap)
{
	size_t cap = 20000;
	char *p = pattern(cap + 1);
	struct buf b;
	pid_t pid;
	int fd;

	buf_init(&b, cap);
	fd = file_of(p, cap);
	ck_assert_int_eq(fs_read_fd(fd, &b), KR_OK);
	close(fd);
	ck_assert_uint_eq(b.len, cap);
	ck_assert_int_eq(memcmp(b.data, p, cap), 0);

	fd = file_of(p, cap + 1);
	ck_assert_int_eq(fs_read_fd(fd, &b), KR_TOO_BIG);
	close(fd);
	ck_assert_uint_le(b.len, cap);

	fd = pipe_of(p, cap, &pid);
	ck_assert_int_eq(fs_read_fd(fd, &b), KR_OK);
	close(fd);
	reap(pid);
	ck_assert_uint_eq(b.len, cap);

	fd = pipe_of(p, cap + 1, &pid);
	ck_assert_int_eq(fs_read_fd(fd, &b), KR_TOO_BIG);
	close(fd);
	reap(pid);
	buf_release(&b);
	free(p);
}
END_TEST

START_TEST(fs_read_fd_fails_on_what_cannot_be_read)
{
	struct buf b;
	int fd;

	buf_init(&b, 0);
	ck_assert_int_eq(fs_read_fd(-1, &b), KR_IO);
	fd = file_of("x", 1);
	close(fd);
	ck_assert_int_eq(fs_read_fd(fd, &b), KR_IO);
	buf_release(&b);
}
END_TEST

/*
 * fs_read_regular reads a regular file as fs_read_fd does, and leaves
 * a pipe unread: a FIFO in a spool may have no writer, and a read would
 * wait for one.
 */
START_TEST(fs_read_regular_reads_no_pipe)
{
	size_t n = 5000;
	char *p = pattern(n);
	struct buf b;
	ssize_t got;
	int fds[2], fd;

	buf_init(&b, 0);
	fd = file_of(p, n);
	ck_assert_int_eq(fs_read_regular(fd, &b), KR_OK);
	close(fd);
	ck_assert_uint_eq(b.len, n);
	ck_assert_int_eq(memcmp(b.data, p, n), 0);

	ck_assert_int_eq(pipe(fds), 0);
	ck_assert_int_eq(write(fds[1], "x", 1), 1);
	ck_assert_int_eq(fs_read_regular(fds[0], &b), KR_BAD_INPUT);
	ck_assert_uint_eq(b.len, 0);
	got = read(fds[0], p, 1);
	ck_assert_int_eq(got, 1);
	close(fds[0]);
	close(fds[1]);
	buf_release(&b);
	free(p);
}
END_TEST

/* A regular file past the cap is refused before a byte is read. */
START_TEST(fs_read_regular_refuses_past_the_cap_unread)
{
	size_t cap = 20000;
	char *p = pattern(cap + 1);
	struct buf b;
	int fd;

	buf_init(&b, cap);
	fd = file_of(p, cap);
	ck_assert_int_eq(fs_read_regular(fd, &b), KR_OK);
	close(fd);
	ck_assert_uint_eq(b.len, cap);

	fd = file_of(p, cap + 1);
	ck_assert_int_eq(fs_read_regular(fd, &b), KR_TOO_BIG);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_int_eq(lseek(fd, 0, SEEK_CUR), 0);
	close(fd);
	buf_release(&b);
	free(p);
}
END_TEST

/* Makes n small files named 0 .. n-1 in dir; their paths into paths. */
static void
files_in(const char *dir, int n, char paths[][512])
{
	FILE *fp;
	int i;

	for (i = 0; i < n; i++) {
		snprintf(paths[i], 512, "%s/%d", dir, i);
		fp = fopen(paths[i], "w");
		ck_assert_ptr_nonnull(fp);
		fprintf(fp, "file %d\n", i);
		ck_assert_int_eq(fclose(fp), 0);
	}
}

/*
 * A folder of a few files and one of many are made durable (fsync each,
 * or one syncfs); a folder or a file of a few that is not there is an
 * error, as a file that cannot be fsynced is.
 */
START_TEST(fs_sync_a_few_files_and_many)
{
	static char paths[40][512];
	char dir[256], *list[40], gone[600];
	int i;

	testdir_make(dir, sizeof(dir), "sync");
	files_in(dir, 3, paths);
	for (i = 0; i < 3; i++)
		list[i] = paths[i];
	ck_assert_int_eq(fs_sync_folder(dir), KR_OK);
	ck_assert_int_eq(fs_sync_files(dir, list, NULL, 3), KR_OK);
	ck_assert_int_eq(unlink(paths[2]), 0);
	ck_assert_int_eq(fs_sync_files(dir, list, NULL, 3), KR_IO);

	files_in(dir, 40, paths);
	for (i = 0; i < 40; i++)
		list[i] = paths[i];
	ck_assert_int_eq(fs_sync_folder(dir), KR_OK);
	ck_assert_int_eq(fs_sync_files(dir, list, NULL, 40), KR_OK);

	snprintf(gone, sizeof(gone), "%s/none", dir);
	ck_assert_int_eq(fs_sync_folder(gone), KR_IO);
	testdir_remove(dir);
}
END_TEST

static Suite *
fs_suite(void)
{
	Suite *s = suite_create("fs");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, fs_read_fd_reads_a_file_whole);
	tcase_add_test(tc, fs_read_fd_reads_a_pipe_whole);
	tcase_add_test(tc, fs_read_fd_keeps_to_the_cap);
	tcase_add_test(tc, fs_read_fd_fails_on_what_cannot_be_read);
	tcase_add_test(tc, fs_read_regular_reads_no_pipe);
	tcase_add_test(tc, fs_read_regular_refuses_past_the_cap_unread);
	tcase_add_test(tc, fs_sync_a_few_files_and_many);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(fs_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "outdir.h"
#include "testdir.h"
#include "tmpname.h"

/* How many entries of dir start with a dot, . and .. aside. */
static int
hidden_entries(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int n = 0;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] == '.' && strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

/* The bytes of dir/name, or "" when there is no such file. */
static const char *
content(const char *dir, const char *name)
{
	static char text[256];
	char path[4200];
	size_t n;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	text[0] = '\0';
	fp = fopen(path, "r");
	if (fp == NULL)
		return text;
	n = fread(text, 1, sizeof(text) - 1, fp);
	text[n] = '\0';
	fclose(fp);
	return text;
}

/* A fresh folder dir and od writing into it. */
/*
 * Every case runs twice: with files that get a name only at the flush
 * (O_TMPFILE, where the file system has it), and with named temp
 * files, as where it has not.
 */
static int named_only;

static void
start(struct outdir *od, char *dir, size_t size)
{
	testdir_make(dir, size, "outdir");
	outdir_init(od, dir, NULL, NULL);
	if (named_only)
		od->unnamed = 0;
}

/* The hidden entries n pending files of od leave in the folder. */
static int
pending_seen(const struct outdir *od, int n)
{
	return od->unnamed ? 0 : n;
}

START_TEST(outdir_files_appear_under_their_names_only_at_the_flush)
{
	struct outdir od;
	struct kerr e;
	char dir[4096];

	named_only = _i == 0;
	start(&od, dir, sizeof(dir));
	kerr_clear(&e);
	ck_assert_int_eq(outdir_put(&od, "a.xml", NULL,
	    "<a/>\n", 5, &e), KR_OK);
	ck_assert_int_eq(outdir_put(&od, "b.xml", NULL,
	    "<b/>\n", 5, &e), KR_OK);
	ck_assert_str_eq(content(dir, "a.xml"), "");
	ck_assert_int_eq(hidden_entries(dir), pending_seen(&od, 2));

	ck_assert_int_eq(outdir_flush(&od, &e), KR_OK);
	ck_assert_str_eq(content(dir, "a.xml"), "<a/>\n");
	ck_assert_str_eq(content(dir, "b.xml"), "<b/>\n");
	ck_assert_int_eq(hidden_entries(dir), 0);
	ck_assert_int_eq(od.n_done, 2);
	ck_assert_int_eq(od.n_lost, 0);
	outdir_release(&od);
	testdir_remove(dir);
}
END_TEST

START_TEST(outdir_gives_files_the_permissions_the_umask_leaves)
{
	struct outdir od;
	struct stat sb;
	struct kerr e;
	char dir[4096], path[4200];
	mode_t old = umask(027);

	named_only = _i == 0;
	start(&od, dir, sizeof(dir));
	kerr_clear(&e);
	ck_assert_int_eq(outdir_put(&od, "a.xml", NULL, "x", 1, &e), KR_OK);
	ck_assert_int_eq(outdir_flush(&od, &e), KR_OK);
	snprintf(path, sizeof(path), "%s/a.xml", dir);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0640);
	outdir_release(&od);
	umask(old);
	testdir_remove(dir);
}
END_TEST

START_TEST(outdir_replaces_a_file_of_the_same_name)
{
	struct outdir od;
	struct kerr e;
	char dir[4096];

	named_only = _i == 0;
	start(&od, dir, sizeof(dir));
	testdir_write(dir, "a.xml", "old\n");
	kerr_clear(&e);
	ck_assert_int_eq(outdir_put(&od, "a.xml", NULL,
	    "new\n", 4, &e), KR_OK);
	ck_assert_str_eq(content(dir, "a.xml"), "old\n");
	ck_assert_int_eq(outdir_flush(&od, &e), KR_OK);
	ck_assert_str_eq(content(dir, "a.xml"), "new\n");
	outdir_release(&od);
	testdir_remove(dir);
}
END_TEST

START_TEST(outdir_refuses_names_that_are_not_plain)
{
	struct outdir od;
	struct kerr e;
	char dir[4096];

	named_only = _i == 0;
	start(&od, dir, sizeof(dir));
	kerr_clear(&e);
	ck_assert_int_eq(outdir_put(&od, "", NULL, "x", 1, &e), KR_BAD_INPUT);
	ck_assert_int_eq(outdir_put(&od, ".a", NULL,
	    "x", 1, &e), KR_BAD_INPUT);
	ck_assert_int_eq(outdir_put(&od, "../a", NULL,
	    "x", 1, &e), KR_BAD_INPUT);
	ck_assert_int_eq(hidden_entries(dir), 0);
	outdir_release(&od);
	testdir_remove(dir);
}
END_TEST

START_TEST(outdir_release_removes_the_files_not_flushed)
{
	struct outdir od;
	struct kerr e;
	char dir[4096];

	named_only = _i == 0;
	start(&od, dir, sizeof(dir));
	kerr_clear(&e);
	ck_assert_int_eq(outdir_put(&od, "a.xml", NULL, "x", 1, &e), KR_OK);
	outdir_release(&od);
	ck_assert_int_eq(hidden_entries(dir), 0);
	ck_assert_str_eq(content(dir, "a.xml"), "");
	ck_assert_int_eq(od.n_lost, 1);
	testdir_remove(dir);
}
END_TEST

/* What on_lost was told: one line per file, "path|label|errno". */
static char lost_seen[8400];

static void
lost_note(void *arg, const char *path, const char *label, int err)
{
	size_t n = strlen(lost_seen);

	ck_assert_ptr_eq(arg, lost_seen);
	snprintf(lost_seen + n, sizeof(lost_seen) - n, "%s|%s|%d\n", path,
	    label, err);
}

START_TEST(outdir_counts_a_file_it_cannot_rename_as_lost)
{
	struct outdir od;
	struct kerr e;
	char dir[4096], sub[4200], want[8400];

	named_only = _i == 0;
	start(&od, dir, sizeof(dir));
	od.on_lost = lost_note;
	od.lost_arg = lost_seen;
	lost_seen[0] = '\0';
	snprintf(sub, sizeof(sub), "%s/b.xml", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	testdir_write(dir, "b.xml/keep", "x");
	snprintf(sub, sizeof(sub), "%s/d.xml", dir);
	ck_assert_int_eq(mkdir(sub, 0755), 0);
	testdir_write(dir, "d.xml/keep", "x");
	kerr_clear(&e);
	ck_assert_int_eq(outdir_put(&od, "a.xml", "A-1", "a", 1, &e), KR_OK);
	ck_assert_int_eq(outdir_put(&od, "b.xml", "B-2", "b", 1, &e), KR_OK);
	ck_assert_int_eq(outdir_put(&od, "c.xml", NULL, "c", 1, &e), KR_OK);
	ck_assert_int_eq(outdir_put(&od, "d.xml", "D-4", "d", 1, &e), KR_OK);
	ck_assert_int_eq(outdir_flush(&od, &e), KR_IO);
	/* Each file that failed is named with its label; the rest go on. */
	ck_assert_int_eq(od.n_done, 2);
	ck_assert_int_eq(od.n_lost, 2);
	snprintf(want, sizeof(want), "%s/b.xml|B-2|%d\n%s/d.xml|D-4|%d\n",
	    dir, EISDIR, dir, EISDIR);
	ck_assert_str_eq(lost_seen, want);
	ck_assert(strstr(e.msg, "2 of the files written last") != NULL);
	ck_assert_str_eq(content(dir, "a.xml"), "a");
	ck_assert_str_eq(content(dir, "c.xml"), "c");
	ck_assert_int_eq(hidden_entries(dir), 0);
	outdir_release(&od);
	testdir_remove(dir);
}
END_TEST

START_TEST(outdir_is_full_after_a_batch_of_files)
{
	struct outdir od;
	struct kerr e;
	char dir[4096], name[32];
	int i;

	named_only = _i == 0;
	start(&od, dir, sizeof(dir));
	kerr_clear(&e);
	for (i = 0; i < OUTDIR_BATCH; i++) {
		ck_assert(!outdir_full(&od));
		snprintf(name, sizeof(name), "%d.xml", i);
		ck_assert_int_eq(outdir_put(&od, name, NULL,
		    "x", 1, &e), KR_OK);
	}
	ck_assert(outdir_full(&od));
	ck_assert_int_eq(outdir_flush(&od, &e), KR_OK);
	ck_assert(!outdir_full(&od));
	ck_assert_int_eq(od.n_done, OUTDIR_BATCH);
	outdir_release(&od);
	testdir_remove(dir);
}
END_TEST

/*
 * A child that makes the temp file for dir/name, tells through the
 * pipe, and then either exits at once (as SIGKILL would leave it) or
 * waits to be killed.  Returns its pid once the file exists.
 */
static pid_t
writer(const char *dir, const char *name, int stay)
{
	char tmp[PATH_MAX], c;
	int fd, slot, p[2];
	pid_t pid;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(p[0]);
		fd = tmpname_open(dir, name, 0666, tmp, &slot);
		if (fd == -1 || write(p[1], "x", 1) != 1)
			_exit(1);
		if (stay)
			pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	if (!stay)
		ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
	return pid;
}

START_TEST(outdir_removes_the_temp_files_of_a_dead_writer_only)
{
	struct outdir od;
	char dir[4096];
	pid_t live;

	named_only = _i == 0;
	testdir_make(dir, sizeof(dir), "outdir");
	writer(dir, "dead.xml", 0);
	live = writer(dir, "live.xml", 1);
	/* Hidden files of other makers are none of its business. */
	testdir_write(dir, ".dead.xml.Ab12Cd", "x");
	testdir_write(dir, ".profile", "x");
	ck_assert_int_eq(hidden_entries(dir), 4);

	outdir_init(&od, dir, NULL, NULL);
	ck_assert_int_eq(od.n_swept, 1);
	ck_assert_int_eq(hidden_entries(dir), 3);
	outdir_release(&od);

	ck_assert_int_eq(kill(live, SIGKILL), 0);
	ck_assert_int_eq(waitpid(live, NULL, 0), live);
	outdir_init(&od, dir, NULL, NULL);
	ck_assert_int_eq(od.n_swept, 1);
	ck_assert_int_eq(hidden_entries(dir), 2);
	outdir_release(&od);
	testdir_remove(dir);
}
END_TEST

/* What outdir_init named through old_told, and how many. */
static char told[4200];
static int n_told;

static void
old_told(void *arg, const char *path)
{
	(void)arg;
	n_told++;
	snprintf(told, sizeof(told), "%s", path);
}

/*
 * dir/name made age_s seconds old: a file made with kind 'f', a folder
 * with 'd', what is there (a link itself) with '-'.
 */
static void
aged(const char *dir, const char *name, long age_s, int kind)
{
	struct timespec t[2];
	char path[4200];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (kind == 'd')
		ck_assert_int_eq(mkdir(path, 0755), 0);
	else if (kind == 'f')
		testdir_write(dir, name, "x");
	t[0].tv_sec = time(NULL) - age_s;
	t[0].tv_nsec = 0;
	t[1] = t[0];
	ck_assert_int_eq(utimensat(AT_FDCWD, path, t, AT_SYMLINK_NOFOLLOW),
	    0);
}

/* 1 when dir/name is there (a link itself, not followed). */
static int
there(const char *dir, const char *name)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return lstat(path, &st) == 0;
}

START_TEST(outdir_removes_an_older_kontors_temp_files_a_day_old_only)
{
	static const char *const kept[] = {
		".RE-2.xml.Ab12Cd",		/* not a day old */
		".notes.txt.Ab12Cd",		/* no name kontor writes */
		".xml.Ab12Cd",
		".RE 2.xml.Ab12Cd",		/* no number kontor names */
		"..RE-2.xml.Ab12Cd",
		".RE-3.xml.Ab12C",		/* not mkstemp's six */
		".RE-3.xml.Ab-2Cd",
		".RE-3.xml.Ab12Cde",
		".EXTF_Buchungsstapel_2026-1.csv.Ab12Cd",
		".EXTF_Buchungsstapel_2026-10.txt.Ab12Cd",
		".RE-4.xml.Ab12Cd",		/* a second name */
		".RE-5.xml.Ab12Cd",		/* a folder */
		".RE-6.xml.Ab12Cd",		/* a link */
		"RE-7.xml.Ab12Cd",		/* not hidden */
		".RE-8.xml.backup",		/* a word, not mkstemp's */
		".RE-9..xml.Ab12Cd",		/* a dot kontor never ends */
		NULL
	};
	const long day = 24 * 60 * 60;
	char dir[4096], a[4200], b[4200];
	struct outdir od;
	size_t i;

	named_only = _i == 0;
	testdir_make(dir, sizeof(dir), "outdir");
	aged(dir, ".RE-1.xml.Ab12Cd", day + 60, 'f');
	aged(dir, ".EXTF_Buchungsstapel_2026-10.csv.x9Y8z7", 40 * day, 'f');
	aged(dir, kept[0], day - 60, 'f');
	for (i = 1; i < 11; i++)
		aged(dir, kept[i], 2 * day, 'f');
	snprintf(a, sizeof(a), "%s/%s", dir, kept[10]);
	snprintf(b, sizeof(b), "%s/RE-4-copy.xml", dir);
	ck_assert_int_eq(link(a, b), 0);
	aged(dir, kept[11], 2 * day, 'd');
	snprintf(a, sizeof(a), "%s/%s", dir, kept[12]);
	ck_assert_int_eq(symlink(".RE-1.xml.Ab12Cd", a), 0);
	aged(dir, kept[12], 2 * day, '-');
	for (i = 13; kept[i] != NULL; i++)
		aged(dir, kept[i], 2 * day, 'f');

	n_told = 0;
	outdir_init(&od, dir, old_told, NULL);
	ck_assert_int_eq(od.n_swept, 0);
	ck_assert_int_eq(n_told, 2);
	ck_assert(!there(dir, ".RE-1.xml.Ab12Cd"));
	ck_assert(!there(dir, ".EXTF_Buchungsstapel_2026-10.csv.x9Y8z7"));
	snprintf(a, sizeof(a), "%s/.RE-1.xml.Ab12Cd", dir);
	snprintf(b, sizeof(b), "%s/.EXTF_Buchungsstapel_2026-10.csv.x9Y8z7",
	    dir);
	ck_assert(strcmp(told, a) == 0 || strcmp(told, b) == 0);
	for (i = 0; kept[i] != NULL; i++)
		ck_assert_msg(there(dir, kept[i]), "%s was removed", kept[i]);
	outdir_release(&od);
	testdir_remove(dir);
}
END_TEST

START_TEST(outdir_files_pending_at_sigterm_are_removed)
{
	struct outdir od;
	struct kerr e;
	char dir[4096], c;
	int p[2], status;
	pid_t pid;

	named_only = _i == 0;
	testdir_make(dir, sizeof(dir), "outdir");
	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ne(pid, -1);
	if (pid == 0) {
		close(p[0]);
		tmpname_trap_signals();
		outdir_init(&od, dir, NULL, NULL);
		if (named_only)
			od.unnamed = 0;
		kerr_clear(&e);
		if (outdir_put(&od, "a.xml", NULL, "a", 1, &e) != KR_OK ||
		    outdir_flush(&od, &e) != KR_OK ||
		    outdir_put(&od, "b.xml", NULL, "b", 1, &e) != KR_OK ||
		    outdir_put(&od, "c.xml", NULL, "c", 1, &e) != KR_OK ||
		    write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], &c, 1), 1);
	close(p[0]);
	outdir_init(&od, dir, NULL, NULL);
	ck_assert_int_eq(hidden_entries(dir),
	    named_only ? 2 : pending_seen(&od, 2));
	outdir_release(&od);

	ck_assert_int_eq(kill(pid, SIGTERM), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	ck_assert_int_eq(WTERMSIG(status), SIGTERM);
	ck_assert_int_eq(hidden_entries(dir), 0);
	ck_assert_str_eq(content(dir, "a.xml"), "a");
	ck_assert_str_eq(content(dir, "b.xml"), "");
	testdir_remove(dir);
}
END_TEST

/*
 * Past the descriptors a batch may hold open, files get temp names; all
 * of them appear at the flush.
 */
START_TEST(outdir_holds_no_more_descriptors_than_it_may)
{
	struct outdir od;
	struct kerr e;
	char dir[4096], name[16], text[16];
	int i;

	named_only = _i == 0;
	start(&od, dir, sizeof(dir));
	od.fd_room = 2;
	kerr_clear(&e);
	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "%d.xml", i);
		snprintf(text, sizeof(text), "<%d/>", i);
		ck_assert_int_eq(outdir_put(&od, name, NULL, text,
		    strlen(text), &e), KR_OK);
	}
	ck_assert_uint_le(od.n_open, 2);
	ck_assert_int_eq(hidden_entries(dir), od.unnamed ? 3 : 5);
	ck_assert_int_eq(outdir_flush(&od, &e), KR_OK);
	ck_assert_uint_eq(od.n_open, 0);
	ck_assert_int_eq(hidden_entries(dir), 0);
	ck_assert_int_eq(od.n_done, 5);
	ck_assert_str_eq(content(dir, "4.xml"), "<4/>");
	outdir_release(&od);
	testdir_remove(dir);
}
END_TEST

static Suite *
outdir_suite(void)
{
	Suite *s = suite_create("outdir");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc,
	    outdir_files_appear_under_their_names_only_at_the_flush, 0, 2);
	tcase_add_loop_test(tc,
	    outdir_gives_files_the_permissions_the_umask_leaves, 0, 2);
	tcase_add_loop_test(tc, outdir_replaces_a_file_of_the_same_name, 0, 2);
	tcase_add_loop_test(tc, outdir_refuses_names_that_are_not_plain, 0, 2);
	tcase_add_loop_test(tc,
	    outdir_release_removes_the_files_not_flushed, 0, 2);
	tcase_add_loop_test(tc,
	    outdir_counts_a_file_it_cannot_rename_as_lost, 0, 2);
	tcase_add_loop_test(tc, outdir_is_full_after_a_batch_of_files, 0, 2);
	tcase_add_loop_test(tc,
	    outdir_removes_the_temp_files_of_a_dead_writer_only, 0, 2);
	tcase_add_loop_test(tc,
	    outdir_removes_an_older_kontors_temp_files_a_day_old_only, 0, 2);
	tcase_add_loop_test(tc,
	    outdir_files_pending_at_sigterm_are_removed, 0, 2);
	tcase_add_loop_test(tc,
	    outdir_holds_no_more_descriptors_than_it_may, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	SRunner *sr = srunner_create(outdir_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

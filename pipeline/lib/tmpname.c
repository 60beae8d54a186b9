/*
 * Hidden temp files that a killed writer does not leave (tmpname.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "err.h"
#include "tmpname.h"

/* Tries of tmpname_open when a dead writer's name is in the way. */
#define OPEN_TRIES	64
#define HOST_HEX	16
/* An older kontor's temp file is left alone while younger than this. */
#define OLD_TEMP_AGE_S	(24 * 60 * 60)
/* Its mkstemp suffix: ".XXXXXX", six letters or digits. */
#define OLD_TEMP_SUFFIX	7

/*
 * The registered paths, read by the signal handler: a slot is set only
 * after its string is complete, and cleared before the string is freed.
 */
static char *volatile slot_path[TMPNAME_SLOTS];
static int slot_next;
static unsigned long seq;
static char host[HOST_HEX + 1];
static int host_sure;	/* host holds the boot id and pid namespace */

/* h with the n bytes at p added (FNV-1a, 64 bits). */
static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ c[i]) * 1099511628211u;
	return h;
}

/* The kernel's boot id into id; 0, or -1 where there is none. */
static int
boot_id(char id[64])
{
	ssize_t n;
	int fd;

	fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return -1;
	n = read(fd, id, 63);
	close(fd);
	if (n < 32)
		return -1;
	id[n] = '\0';
	return 0;
}

/*
 * Sixteen hex digits that name this writer's world, once: the host's
 * name, the kernel's boot id and the pid namespace.  A pid means the
 * same process only under the same kernel and in the same namespace: a
 * container with the host's name, or another machine of that name on a
 * shared folder, must not take a live writer's pid for a dead one.
 * Where the boot id or the namespace cannot be read, host_sure stays 0
 * and tmpname_sweep removes nothing.
 */
static const char *
host_tag(void)
{
	char name[256] = "", id[64];
	uint64_t h = 14695981039346656037u;
	struct stat ns;

	if (host[0] != '\0')
		return host;
	if (gethostname(name, sizeof(name) - 1) != 0)
		name[0] = '\0';
	h = fnv(h, name, strlen(name) + 1);
	if (boot_id(id) == 0 && stat("/proc/self/ns/pid", &ns) == 0) {
		h = fnv(h, id, strlen(id));
		h = fnv(h, &ns.st_dev, sizeof(ns.st_dev));
		h = fnv(h, &ns.st_ino, sizeof(ns.st_ino));
		host_sure = 1;
	}
	snprintf(host, sizeof(host), "%016llx", (unsigned long long)h);
	return host;
}

/* Registers a copy of path; -1 when every slot is taken. */
static int
slot_take(const char *path)
{
	char *copy;
	int i, j;

	for (i = 0; i < TMPNAME_SLOTS; i++) {
		j = (slot_next + i) % TMPNAME_SLOTS;
		if (slot_path[j] != NULL)
			continue;
		copy = xstrdup(path);
		slot_path[j] = copy;
		slot_next = (j + 1) % TMPNAME_SLOTS;
		return j;
	}
	return -1;
}

void
tmpname_forget(int slot)
{
	char *p;

	if (slot < 0 || slot >= TMPNAME_SLOTS)
		return;
	p = slot_path[slot];
	slot_path[slot] = NULL;
	free(p);
}

int
tmpname_open(const char *dir, const char *name, mode_t mode,
    char tmp[PATH_MAX], int *slot)
{
	int fd, i, n;

	*slot = -1;
	for (i = 0; i < OPEN_TRIES; i++) {
		n = snprintf(tmp, PATH_MAX, "%s/.%s.%s-%ld-%lu", dir, name,
		    host_tag(), (long)getpid(), seq++);
		if (n < 0 || n >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return -1;
		}
		/* Registered before it exists: a signal in between finds
		 * nothing to remove, never a file it does not know. */
		*slot = slot_take(tmp);
		if (*slot == -1) {
			errno = ENOSPC;
			return -1;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, mode);
		if (fd != -1)
			return fd;
		n = errno;
		tmpname_forget(*slot);
		*slot = -1;
		errno = n;
		if (errno != EEXIST)
			return -1;
	}
	return -1;
}

/*
 * The writer's pid when ent is a temp file name of this host, kernel
 * and pid namespace, else 0:
 * ".NAME.<host>-<pid>-<seq>" with NAME not empty.
 */
static pid_t
temp_writer(const char *ent)
{
	const char *dot = strrchr(ent, '.'), *p;
	char *end;
	long pid;

	if (ent[0] != '.' || dot == NULL || dot - ent < 2 ||
	    strncmp(dot + 1, host_tag(), HOST_HEX) != 0 ||
	    dot[1 + HOST_HEX] != '-')
		return 0;
	p = dot + 2 + HOST_HEX;
	if (*p < '1' || *p > '9')
		return 0;
	errno = 0;
	pid = strtol(p, &end, 10);
	if (errno != 0 || pid <= 0 || pid > INT_MAX || *end != '-' ||
	    end[1] < '0' || end[1] > '9')
		return 0;
	for (p = end + 1; *p >= '0' && *p <= '9'; p++)
		continue;
	return *p == '\0' ? (pid_t)pid : 0;
}

/* 1 when no process pid exists (EPERM: one does, of another user). */
static int
writer_dead(pid_t pid)
{
	return pid != getpid() && kill(pid, 0) == -1 && errno == ESRCH;
}

/*
 * 1 when the n bytes at s are ASCII digits, or with alpha also letters
 * and the bytes of extra.
 */
static int
all_of(const char *s, size_t n, int alpha, const char *extra)
{
	size_t i;
	char c;

	for (i = 0; i < n; i++) {
		c = s[i];
		if ((c < '0' || c > '9') && (!alpha || ((c < 'a' || c > 'z') &&
		    (c < 'A' || c > 'Z') && strchr(extra, c) == NULL)))
			return 0;
	}
	return 1;
}

/*
 * 1 when name[0..n) names a file that kontor writes into a folder of
 * the user's: an e-invoice "X.xml" (X its number, each byte that is no
 * ASCII letter, digit, '_', '-' or inner '.' made a '_') or a DATEV
 * batch "EXTF_Buchungsstapel_YYYY-MM.csv".
 */
static int
kontor_file_name(const char *name, size_t n)
{
	static const char batch[] = "EXTF_Buchungsstapel_";
	const size_t nb = sizeof(batch) - 1;
	const char *m;

	if (n > 4 && memcmp(name + n - 4, ".xml", 4) == 0)
		return name[0] != '.' && name[n - 5] != '.' &&
		    all_of(name, n - 4, 1, "_-.");
	if (n != nb + strlen("YYYY-MM.csv") || memcmp(name, batch, nb) != 0)
		return 0;
	m = name + nb;
	return all_of(m, 4, 0, "") && m[4] == '-' && all_of(m + 5, 2, 0, "") &&
	    memcmp(m + 7, ".csv", 4) == 0;
}

/*
 * 1 when the n bytes at s hold a digit or a capital: mkstemp's suffix
 * nearly always does, a word such as "backup" that a person put after
 * a name never.
 */
static int
not_a_word(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((s[i] >= '0' && s[i] <= '9') ||
		    (s[i] >= 'A' && s[i] <= 'Z'))
			return 1;
	return 0;
}

/*
 * 1 when ent is the temp file of an older kontor, which named them
 * ".NAME.XXXXXX" after mkstemp (NAME a kontor_file_name, XXXXXX not a
 * word in small letters: one such file in about 180 is kept), and sb says
 * that it is a regular file with no other name, of this user, unchanged
 * for OLD_TEMP_AGE_S: its writer is long gone, and the name names no
 * writer to ask.
 */
static int
old_temp(const char *ent, const struct stat *sb, time_t now)
{
	size_t n = strlen(ent);

	if (n < 2 + OLD_TEMP_SUFFIX || ent[0] != '.' ||
	    ent[n - OLD_TEMP_SUFFIX] != '.' ||
	    !all_of(ent + n - OLD_TEMP_SUFFIX + 1, OLD_TEMP_SUFFIX - 1, 1,
	    "") ||
	    !not_a_word(ent + n - OLD_TEMP_SUFFIX + 1, OLD_TEMP_SUFFIX - 1) ||
	    !kontor_file_name(ent + 1, n - 1 - OLD_TEMP_SUFFIX))
		return 0;
	return S_ISREG(sb->st_mode) && sb->st_nlink == 1 &&
	    sb->st_uid == geteuid() && sb->st_mtime < now - OLD_TEMP_AGE_S;
}

/* Removes dir/ent, of an older kontor, and says so through on_old. */
static void
remove_old(int fd, const char *dir, const char *ent, tmpname_old_fn *on_old,
    void *arg)
{
	char path[PATH_MAX];

	if (unlinkat(fd, ent, 0) != 0 || on_old == NULL)
		return;
	snprintf(path, sizeof(path), "%s/%s", dir, ent);
	on_old(arg, path);
}

int
tmpname_sweep(const char *dir, long *removed, tmpname_old_fn *on_old,
    void *arg)
{
	time_t now = time(NULL);
	struct dirent *de;
	struct stat sb;
	pid_t pid;
	DIR *d;
	int fd;

	*removed = 0;
	host_tag();
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	d = fd == -1 ? NULL : fdopendir(fd);
	if (d == NULL) {
		if (fd != -1)
			close(fd);
		return KR_IO;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.' ||
		    fstatat(fd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (old_temp(de->d_name, &sb, now)) {
			remove_old(fd, dir, de->d_name, on_old, arg);
			continue;
		}
		/* Unsure whose pids names hold: nobody's files are dead. */
		pid = host_sure ? temp_writer(de->d_name) : 0;
		if (pid == 0 || !writer_dead(pid) || !S_ISREG(sb.st_mode))
			continue;
		if (unlinkat(fd, de->d_name, 0) == 0)
			(*removed)++;
	}
	closedir(d);
	return KR_OK;
}

/*
 * Removes the registered temp files and dies of sig.  Only unlink,
 * signal and raise: all safe in a handler.
 */
static void
on_signal(int sig)
{
	char *p;
	int i;

	for (i = 0; i < TMPNAME_SLOTS; i++) {
		p = slot_path[i];
		if (p != NULL)
			unlink(p);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

void
tmpname_trap_signals(void)
{
	static const int sigs[] = { SIGTERM, SIGINT, SIGHUP };
	struct sigaction sa, old;
	size_t i;

	host_tag();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigfillset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) != 0 ||
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

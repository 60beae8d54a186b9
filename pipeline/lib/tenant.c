#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include "fs.h"
#include "ktime.h"
#include "tenant.h"

/* Tries, 50 ms apart, before a busy tenant is said to be waited for. */
#define LOCK_GRACE_TRIES	20

#define LOCK_FILE	".lock"
#define FUSE_MAGIC	0x65735546UL

/*
 * File systems refused by their statfs magic (linux/magic.h).  Each is
 * a network or cluster file system on which SQLite's locks or its WAL
 * shared memory cannot be trusted.
 */
static const struct {
	unsigned long magic;
	const char *name;
} remote_magic[] = {
	{0x6969UL, "nfs"},
	{0x517BUL, "smb"},
	{0xFE534D42UL, "smb2"},
	{0xFF534D42UL, "cifs"},
	{0x73757245UL, "coda"},
	{0x5346414FUL, "afs"},
	{0x6B414653UL, "afs"},
	{0x564CUL, "ncpfs"},
	{0x01021997UL, "9p"},
	{0x00C36400UL, "ceph"},
	{0x0BD00BD0UL, "lustre"},
	{0x20030528UL, "orangefs"},
};

/*
 * FUSE file systems that reach over the network, by the subtype that
 * /proc/self/mountinfo shows ("fuse.sshfs").  Other FUSE file systems
 * (encfs, bindfs, virtiofs, ...) pass.
 */
static const char *const remote_fuse[] = {
	"sshfs", "rclone", "s3fs", "gcsfuse", "goofys", "glusterfs",
	"ceph-fuse", "curlftpfs", "davfs", "juicefs", "blobfuse",
	"blobfuse2",
};

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))

const char *
tenant_fs_remote_name(unsigned long f_type, const char *mount_type)
{
	size_t i;

	f_type &= 0xFFFFFFFFUL;
	for (i = 0; i < NELEM(remote_magic); i++)
		if (remote_magic[i].magic == f_type)
			return remote_magic[i].name;
	if (f_type != FUSE_MAGIC || mount_type == NULL)
		return NULL;
	if (strncmp(mount_type, "fuse.", 5) == 0)
		mount_type += 5;
	else if (strncmp(mount_type, "fuseblk.", 8) == 0)
		mount_type += 8;
	for (i = 0; i < NELEM(remote_fuse); i++)
		if (strcmp(remote_fuse[i], mount_type) == 0)
			return remote_fuse[i];
	return NULL;
}

/*
 * The file system type that mountinfo gives for the mount of device
 * dev ("fuse.sshfs"), into out; "" when it cannot be told.
 */
static void
mount_type_of(dev_t dev, char *out, size_t size)
{
	char line[4096];
	unsigned int maj, min;
	FILE *fp;

	out[0] = '\0';
	fp = fopen("/proc/self/mountinfo", "re");
	if (fp == NULL)
		return;
	/* "36 35 0:52 / /mnt rw - fuse.sshfs host:/ rw,...": the device
	 * is the third field, the type follows " - ". */
	while (fgets(line, sizeof(line), fp) != NULL) {
		char *sep = strstr(line, " - ");

		if (sep == NULL ||
		    sscanf(line, "%*u %*u %u:%u", &maj, &min) != 2 ||
		    maj != major(dev) || min != minor(dev))
			continue;
		sep += 3;
		sep[strcspn(sep, " \n")] = '\0';
		snprintf(out, size, "%s", sep);
		break;
	}
	fclose(fp);
}

int
tenant_fs_is_remote(const char *path, char *fstype, size_t size)
{
	char mtype[128] = "";
	const char *name;
	struct statfs sf;
	struct stat st;

	if (statfs(path, &sf) != 0 || stat(path, &st) != 0)
		return -1;
	if (((unsigned long)sf.f_type & 0xFFFFFFFFUL) == FUSE_MAGIC)
		mount_type_of(st.st_dev, mtype, sizeof(mtype));
	name = tenant_fs_remote_name((unsigned long)sf.f_type, mtype);
	if (name == NULL)
		return 0;
	if (fstype != NULL && size > 0)
		snprintf(fstype, size, "%s", name);
	return 1;
}

/* dir/name for a name kontor chooses; tenant_set_dir left room for it. */
static void
tenant_join(const struct tenant *t, const char *name, char out[PATH_MAX])
{
	if (snprintf(out, PATH_MAX, "%s/%s", t->dir, name) >= PATH_MAX)
		KBUG("tenant path longer than checked: %s", name);
}

static int
tenant_set_dir(struct tenant *t, const char *dir, struct kerr *e)
{
	size_t n = strlen(dir);

	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n == 0)
		return kerr_set(e, KR_CONFIG, "", "the tenant directory "
		    "name is empty");
	/* Leave room for the longest name kontor makes below it. */
	if (n + 1 + NAME_MAX + 64 >= sizeof(t->dir)) {
		kerr_where(e, dir, 0);
		return kerr_set(e, KR_CONFIG, "", "the tenant directory's "
		    "path is too long");
	}
	memcpy(t->dir, dir, n);
	t->dir[n] = '\0';
	return KR_OK;
}

static int
tenant_check_dir(struct tenant *t, struct kerr *e)
{
	char fstype[64];
	struct stat st;
	int remote;

	if (stat(t->dir, &st) != 0)
		remote = -1;
	else if (!S_ISDIR(st.st_mode))
		remote = -2;
	else
		remote = tenant_fs_is_remote(t->dir, fstype, sizeof(fstype));
	if (remote == 0)
		return KR_OK;

	kerr_where(e, t->dir, 0);
	if (remote == -1)
		return kerr_set(e, errno == ENOENT ? KR_CONFIG : KR_IO, "",
		    "cannot open the tenant directory: %s", strerror(errno));
	if (remote == -2)
		return kerr_set(e, KR_CONFIG, "", "the tenant is not a "
		    "directory");
	return kerr_set(e, KR_CONFIG, "", "the tenant directory is on a "
	    "network file system (%s), where the state database's locks "
	    "do not work; move it to a local disk", fstype);
}

static int
tenant_load_config(struct tenant *t, struct kerr *e)
{
	char path[PATH_MAX];
	int rc;

	tenant_join(t, CONFIG_FILE, path);
	rc = config_load(&t->cfg, path, e);
	if (rc != KR_OK)
		return rc;
	rc = ktime_set_zone(t->cfg.timezone, e);
	if (rc != KR_OK) {
		if (e != NULL)
			snprintf(e->field, sizeof(e->field),
			    "seller.timezone");
		kerr_where(e, path, 0);
		config_release(&t->cfg);
	}
	return rc;
}

static int
tenant_make_dirs(struct tenant *t, struct kerr *e)
{
	static const char *const sub[] = {"spool", "out", "archive"};
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < NELEM(sub); i++) {
		tenant_join(t, sub[i], path);
		if (fs_mkdir(path, 0755, NULL) != KR_OK) {
			kerr_where(e, path, 0);
			return kerr_set(e, KR_IO, "", "cannot create the "
			    "folder: %s", strerror(errno));
		}
	}
	return KR_OK;
}

/* The base name of the directory, for the run record. */
static void
tenant_set_name(struct tenant *t)
{
	const char *base = strrchr(t->dir, '/');
	char *real = NULL;
	size_t n;

	base = base != NULL && base[1] != '\0' ? base + 1 : t->dir;
	if (strcmp(base, ".") == 0 || strcmp(base, "..") == 0 ||
	    strcmp(base, "/") == 0) {
		real = realpath(t->dir, NULL);
		if (real != NULL && strrchr(real, '/') != NULL &&
		    strrchr(real, '/')[1] != '\0')
			base = strrchr(real, '/') + 1;
	}
	n = strlen(base);
	if (n >= sizeof(t->name))
		n = sizeof(t->name) - 1;
	memcpy(t->name, base, n);
	t->name[n] = '\0';
	free(real);
}

static int
tenant_open_as(struct tenant *t, const char *dir, int preview,
    struct kerr *e)
{
	int rc;

	memset(t, 0, sizeof(*t));
	t->lock_fd = -1;
	rc = tenant_set_dir(t, dir, e);
	if (rc == KR_OK)
		rc = tenant_check_dir(t, e);
	if (rc == KR_OK)
		rc = tenant_load_config(t, e);
	if (rc != KR_OK)
		return rc;
	rc = preview ? KR_OK : tenant_make_dirs(t, e);
	if (rc != KR_OK) {
		config_release(&t->cfg);
		return rc;
	}
	tenant_set_name(t);
	return KR_OK;
}

int
tenant_open(struct tenant *t, const char *dir, struct kerr *e)
{
	return tenant_open_as(t, dir, 0, e);
}

int
tenant_open_preview(struct tenant *t, const char *dir, struct kerr *e)
{
	return tenant_open_as(t, dir, 1, e);
}

int
tenant_owns_out(const char *out, char *dir)
{
	char real[PATH_MAX], conf[PATH_MAX];
	char *slash;

	if (realpath(out, real) == NULL)
		return 0;
	slash = strrchr(real, '/');
	if (slash == NULL || slash == real || strcmp(slash + 1, "out") != 0)
		return 0;
	*slash = '\0';
	if (snprintf(conf, sizeof(conf), "%s/" CONFIG_FILE, real) >=
	    (int)sizeof(conf) || access(conf, F_OK) != 0)
		return 0;
	snprintf(dir, PATH_MAX, "%s", real);
	return 1;
}

int
tenant_is_out(const char *dir, const char *out)
{
	char a[PATH_MAX], b[PATH_MAX], path[PATH_MAX];
	char *slash;
	size_t n;

	if (snprintf(path, sizeof(path), "%s/out", dir) >= (int)sizeof(path))
		return 0;
	if (realpath(out, a) != NULL)
		return realpath(path, b) != NULL && strcmp(a, b) == 0;
	/* Not there yet: its parent must be dir, its name "out". */
	n = strlen(out);
	while (n > 1 && out[n - 1] == '/')
		n--;
	if (n >= sizeof(path))
		return 0;
	memcpy(path, out, n);
	path[n] = '\0';
	slash = strrchr(path, '/');
	if (strcmp(slash != NULL ? slash + 1 : path, "out") != 0)
		return 0;
	if (slash == NULL)
		snprintf(path, sizeof(path), ".");
	else if (slash == path)
		path[1] = '\0';
	else
		*slash = '\0';
	return realpath(path, a) != NULL && realpath(dir, b) != NULL &&
	    strcmp(a, b) == 0;
}

void
tenant_close(struct tenant *t)
{
	config_release(&t->cfg);
	if (t->lock_fd >= 0)
		close(t->lock_fd);
	t->lock_fd = -1;
	t->lock_inherited = 0;
}

/*
 * The descriptor named by KONTOR_LOCK_FD when it is open on this very
 * lock file (same device and inode), else -1.  KR_CONFIG when the
 * variable is not a number.
 */
static int
lock_fd_inherited(const char *path, int *fd, struct kerr *e)
{
	const char *env = getenv("KONTOR_LOCK_FD");
	struct stat a, b;
	char *end;
	long n;

	*fd = -1;
	if (env == NULL || env[0] == '\0')
		return KR_OK;
	errno = 0;
	n = strtol(env, &end, 10);
	if (*end != '\0' || errno != 0 || n < 0 || n > INT_MAX ||
	    env[0] < '0' || env[0] > '9')
		return kerr_set(e, KR_CONFIG, "KONTOR_LOCK_FD", "expected the "
		    "number of an open file descriptor, got \"%s\"", env);
	if (fstat((int)n, &a) != 0 || lstat(path, &b) != 0)
		return KR_OK;
	if (S_ISREG(a.st_mode) && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino)
		*fd = (int)n;
	return KR_OK;
}

static int
lock_take(int fd, int wait)
{
	int rc;

	do
		rc = flock(fd, LOCK_EX | (wait ? 0 : LOCK_NB));
	while (rc != 0 && errno == EINTR);
	return rc;
}

int
tenant_lock(struct tenant *t, int wait, struct kerr *e)
{
	char path[PATH_MAX];
	int fd, rc;

	if (t->lock_fd >= 0)
		return KR_OK;
	tenant_join(t, LOCK_FILE, path);
	rc = lock_fd_inherited(path, &fd, e);
	if (rc != KR_OK)
		return rc;
	t->lock_inherited = fd >= 0;
	if (fd == -1)
		fd = open(path, O_RDONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
		    0644);
	if (fd == -1) {
		kerr_where(e, path, 0);
		return kerr_set(e, KR_IO, "", "cannot open the tenant lock: "
		    "%s", strerror(errno));
	}

	if (lock_take(fd, wait) != 0) {
		if (errno == EWOULDBLOCK) {
			rc = kerr_set(e, KR_BUSY, "", "tenant %s is busy: "
			    "another run holds its lock", t->dir);
		} else {
			kerr_where(e, path, 0);
			rc = kerr_set(e, KR_IO, "", "cannot take the tenant "
			    "lock: %s", strerror(errno));
		}
		close(fd);
		t->lock_inherited = 0;
		return rc;
	}
	t->lock_fd = fd;
	return KR_OK;
}

/*
 * A line of /proc/locks reads "N: FLOCK  ADVISORY  WRITE PID MAJ:MIN:INO
 * START END", the device numbers in hex; a line with "->" after the
 * number is a process waiting for the lock, not holding it.
 */
void
tenant_lock_holder(const struct tenant *t, char *out, size_t size)
{
	char path[PATH_MAX], line[256], comm[64];
	unsigned int maj, min;
	unsigned long ino;
	struct stat st;
	long pid = -1;
	FILE *fp;
	size_t n;

	out[0] = '\0';
	tenant_join(t, LOCK_FILE, path);
	if (stat(path, &st) != 0 || (fp = fopen("/proc/locks", "r")) == NULL)
		return;
	while (pid == -1 && fgets(line, sizeof(line), fp) != NULL) {
		long p;

		if (sscanf(line, "%*d: FLOCK %*s %*s %ld %x:%x:%lu", &p, &maj,
		    &min, &ino) == 4 && maj == major(st.st_dev) &&
		    min == minor(st.st_dev) && ino == (unsigned long)st.st_ino)
			pid = p;
	}
	fclose(fp);
	if (pid <= 0)
		return;
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	comm[0] = '\0';
	if ((fp = fopen(path, "r")) != NULL) {
		if (fgets(comm, sizeof(comm), fp) == NULL)
			comm[0] = '\0';
		fclose(fp);
	}
	n = strcspn(comm, "\n");
	comm[n] = '\0';
	if (n > 0)
		snprintf(out, size, " (%s, process %ld)", comm, pid);
	else
		snprintf(out, size, " (process %ld)", pid);
}

static const char *
path_problem(const char *rel)
{
	const char *c = rel;

	if (rel[0] == '\0')
		return "is empty";
	if (rel[0] == '/')
		return "is absolute; expected a path inside the tenant";
	for (;;) {
		size_t n = strcspn(c, "/");

		if (n == 0)
			return "has an empty component";
		if (n == 2 && c[0] == '.' && c[1] == '.')
			return "has a \"..\" component, which would leave the "
			    "tenant directory";
		if (c[0] == '.')
			return "has a component starting with a dot";
		if (c[n] == '\0')
			return NULL;
		c += n + 1;
	}
}

int
tenant_path_check(const struct tenant *t, const char *rel, struct kerr *e)
{
	const char *why = path_problem(rel);

	if (why != NULL)
		return kerr_set(e, KR_BAD_INPUT, "", "path \"%.200s\" %s", rel,
		    why);
	if (strlen(t->dir) + 1 + strlen(rel) >= PATH_MAX)
		return kerr_set(e, KR_BAD_INPUT, "", "path \"%.200s\" is too "
		    "long", rel);
	return KR_OK;
}

int
tenant_path(const struct tenant *t, const char *rel, char *out,
    struct kerr *e)
{
	int rc = tenant_path_check(t, rel, e);

	if (rc == KR_OK &&
	    snprintf(out, PATH_MAX, "%s/%s", t->dir, rel) >= PATH_MAX)
		KBUG("path longer than checked");
	return rc;
}

int
tenant_lock_patiently(struct tenant *t, tenant_busy_fn *busy, void *arg,
    struct kerr *e)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	int rc, tries = 0;

	while ((rc = tenant_lock(t, 0, e)) == KR_BUSY &&
	    tries++ < LOCK_GRACE_TRIES) {
		kerr_clear(e);
		nanosleep(&pause, NULL);
	}
	if (rc != KR_BUSY)
		return rc;
	if (busy != NULL)
		busy(arg, e);
	kerr_clear(e);
	return tenant_lock(t, 1, e);
}

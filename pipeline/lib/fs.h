#ifndef KONTOR_FS_H
#define KONTOR_FS_H

/*
 * File system steps shared by the spool and the deliveries: making a
 * change durable (fsync of a folder), writing a file atomically, moving
 * a file without ever replacing another.
 *
 * None of these follows a symbolic link in the last component of a path
 * it creates, moves or removes.  Each returns KR_OK or KR_IO with errno
 * saying why, so that the caller can name the file in its message.
 */

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

/* fsyncs the folder at path, so that entries made in it are durable. */
int	fs_sync_dir(const char *path);

/*
 * Makes the folder at path durable with every file in it: an fsync per
 * file, or for more than a few files on Linux one syncfs of its file
 * system (which also writes out what others wrote there), then an
 * fsync of the folder.
 */
int	fs_sync_folder(const char *path);

/*
 * Makes n files of the folder dir durable: an fsync of each, or for
 * more than a few on Linux one syncfs of dir's file system (which also
 * writes out what others wrote there).  File i is the open descriptor
 * fds[i], or where fds is NULL or fds[i] is -1 the path paths[i].  Their
 * names in dir are not made durable: fsync dir for that.
 */
int	fs_sync_files(const char *dir, char *const *paths, const int *fds,
	    size_t n);

/* Writes all n bytes at p to fd, going on after EINTR. */
int	fs_write_all(int fd, const void *p, size_t n);

struct buf;

/*
 * Reads what fd holds, from where it stands to its end, into b, which
 * is emptied first and holds at most its cap: a regular file in one
 * read sized from fstat and one more that finds the end; a pipe, or a
 * file that grew since, in as many as it takes.  KR_OK; KR_TOO_BIG
 * when fd holds more than the cap; KR_IO with errno set.
 */
int	fs_read_fd(int fd, struct buf *b);

/*
 * As fs_read_fd, for a file that must be a regular one, such as a
 * spool file: KR_BAD_INPUT, nothing read, when fd is open on anything
 * else, and KR_TOO_BIG, nothing read, when the whole file is larger
 * than b's cap, wherever fd stands in it.
 */
int	fs_read_regular(int fd, struct buf *b);

/*
 * Creates the folder path with mode.  An existing folder is fine (and
 * *created, when not NULL, says whether this call made it); anything
 * else in its place, a symbolic link included, fails with ENOTDIR.
 */
int	fs_mkdir(const char *path, mode_t mode, int *created);

/*
 * Opens the folder name in the folder open at dirfd, creating it with
 * mode when missing (*created says whether this call made it).
 * Anything else in its place, a symbolic link included, fails with
 * ENOTDIR.  The descriptor, or -1 with errno set.
 */
int	fs_open_subdir(int dirfd, const char *name, mode_t mode,
	    int *created);

/*
 * 1 when something exists at path (the link itself for a symbolic
 * link), 0 when nothing does, -1 when it cannot be told (errno set).
 * fs_exists_at looks for name in the folder open at dirfd.
 */
int	fs_exists(const char *path);
int	fs_exists_at(int dirfd, const char *name);

/* 1 when path is a folder and not a symbolic link, else 0. */
int	fs_is_dir(const char *path);

/*
 * Renames from (in the folder open at fromfd) to to (in the one at
 * tofd), failing with EEXIST instead of replacing what is at to.  Where
 * the file system cannot rename without replacing, a hard link and an
 * unlink do the same.  AT_FDCWD takes a path as it is.
 */
int	fs_rename_noreplace(int fromfd, const char *from, int tofd,
	    const char *to);

/* 1 when the regular files a (in the folder open at dira) and b (at
 * dirb) have the same bytes, 0 when not, -1 when either cannot be read
 * (errno set). */
int	fs_same_content(int dira, const char *a, int dirb, const char *b);

/*
 * Writes n bytes as name in the folder open at dirfd: into a hidden
 * temporary file there, fsync'd, then renamed over name.  The caller
 * fsyncs the folder.
 */
int	fs_write_atomic(int dirfd, const char *name, const void *p,
	    size_t n);

/*
 * Removes the folder path and the files directly in it.  A subfolder
 * makes it fail (ENOTEMPTY): it never removes more than one level.  A
 * folder that does not exist is fine.
 */
int	fs_remove_flat(const char *path);

/*
 * Opens the regular file at path for reading, as fopen(path, "r") does,
 * but never blocks on a FIFO or a device: anything but a regular file
 * fails with EINVAL (a folder with EISDIR).  NULL with errno set.
 */
FILE	*fs_fopen_regular(const char *path);

/*
 * A temporary file for reading and writing, in TMPDIR (or /tmp, which
 * *dir is set to either way, for a message), unlinked at once so that
 * nothing of it outlives the process.  NULL with errno set on failure.
 */
FILE	*fs_tmpfile(const char **dir);

/*
 * The folder the running program was started from (its executable's,
 * symbolic links resolved), into out; "" when the system does not tell.
 */
void	fs_self_dir(char *out, size_t size);

#endif

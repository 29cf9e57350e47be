// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Writing a file safely; see lib/fs.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/openat2.h>

#include "lib/fs.h"

bool swauth_safewrite_no_tmpfile;

/*
 * The visible temporary files, for the signal handler: a slot is filled
 * with signals blocked, then marked used; the handler only unlinkat()s.
 */
enum { SLOTS = 8 };
static struct {
	volatile sig_atomic_t used;
	int dir_fd;
	char tmp[NAME_MAX + 1];
} slots[SLOTS];

/*
 * The signals whose default action ends the process and that a handler can
 * catch, other than the synchronous ones (SIGSEGV and friends, which come
 * from a bug, not from outside).
 */
static const int sigs[] = {
	SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ, SIGALRM, SIGUSR1, SIGUSR2,
	SIGVTALRM,
};

static void block(sigset_t *old)
{
	sigset_t set;
	size_t i;

	sigemptyset(&set);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&set, sigs[i]);
	pthread_sigmask(SIG_BLOCK, &set, old);
}

static void unblock(const sigset_t *old)
{
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* With the signals blocked. */
static int slot_add(int dir_fd, const char *tmp)
{
	int i;

	for (i = 0; i < SLOTS; i++) {
		if (!__atomic_exchange_n(&slots[i].used, 1, __ATOMIC_SEQ_CST)) {
			slots[i].dir_fd = dir_fd;
			strcpy(slots[i].tmp, tmp);
			return i;
		}
	}
	return -1;
}

static void slot_del(int i)
{
	if (i >= 0) {
		slots[i].tmp[0] = '\0';
		__atomic_store_n(&slots[i].used, 0, __ATOMIC_SEQ_CST);
	}
}

static void on_signal(int sig)
{
	int i, e = errno;

	for (i = 0; i < SLOTS; i++)
		if (slots[i].used && slots[i].tmp[0])
			unlinkat(slots[i].dir_fd, slots[i].tmp, 0);
	errno = e;
	signal(sig, SIG_DFL);
	raise(sig);
}

/**
 * swauth_safewrite_signals() - remove the temporary files on the signals of sigs[]
 *
 * Each is then raised again with its default action. A signal that is
 * ignored (a background job's SIGINT, a write's SIGXFSZ) stays ignored.
 */
void swauth_safewrite_signals(void)
{
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
		if (sigaction(sigs[i], NULL, &old) || old.sa_handler == SIG_IGN)
			continue;
		sigaction(sigs[i], &sa, NULL);
	}
}

/**
 * swauth_safewrite_is_tmp() - whether @name is one of our temporary files
 * @name: a directory entry
 *
 * Return: true for ".NAME.swauth-XXXXXX" and swcopy's older ".NAME.swcopy-XXXXXX".
 */
bool swauth_safewrite_is_tmp(const char *name)
{
	const char *p = strrchr(name, '.');
	size_t n = strlen(name);

	if (name[0] != '.' || !p || p == name || n < 14)
		return false;
	return strlen(p) == 14 && (!strncmp(p, ".swauth-", 8) || !strncmp(p, ".swcopy-", 8));
}

enum { TRUSTED_LINKS_MAX = 40 };

/*
 * @path from @start_fd (or from "/" when absolute), one component at a
 * time; a symbolic link is followed only when root or the caller owns it.
 * Returns an O_PATH fd of the directory, or -errno; *@bad gets the uid of
 * a refused link's owner. With @beneath (openat2()'s fallback), no link is
 * followed (-ELOOP) and ".." is refused (-EXDEV).
 */
static int walk(int start_fd, const char *path, bool beneath, int *links, uid_t *bad)
{
	char buf[PATH_MAX], target[PATH_MAX], *comp, *save = NULL;
	struct stat st;
	ssize_t n;
	int fd, next;

	if (strlen(path) >= sizeof(buf))
		return -ENAMETOOLONG;
	if (beneath && path[0] == '/')
		return -EXDEV;
	strcpy(buf, path);
	if (path[0] == '/' || start_fd == AT_FDCWD)
		fd = open(path[0] == '/' ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	else
		fd = fcntl(start_fd, F_DUPFD_CLOEXEC, 3);
	if (fd < 0)
		return -errno;
	for (comp = strtok_r(buf, "/", &save); comp; comp = strtok_r(NULL, "/", &save)) {
		next = -ENOTDIR;
		if (beneath && !strcmp(comp, ".."))
			next = -EXDEV;
		else if (fstatat(fd, comp, &st, AT_SYMLINK_NOFOLLOW))
			next = -errno;
		else if (S_ISLNK(st.st_mode) && beneath)
			next = -ELOOP;
		else if (S_ISLNK(st.st_mode) && st.st_uid && st.st_uid != geteuid()) {
			*bad = st.st_uid;
			next = -ELOOP;
		} else if (S_ISLNK(st.st_mode) && ++*links > TRUSTED_LINKS_MAX) {
			next = -ELOOP;
		} else if (S_ISLNK(st.st_mode)) {
			n = readlinkat(fd, comp, target, sizeof(target) - 1);
			if (n < 0)
				next = -errno;
			else {
				target[n] = '\0';
				next = walk(fd, target, false, links, bad);
			}
		} else if (S_ISDIR(st.st_mode)) {
			next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (next < 0)
				next = -errno;
		}
		close(fd);
		if (next < 0)
			return next;
		fd = next;
	}
	return fd;
}

/**
 * swauth_dir_open_trusted_at() - open a directory, following only trusted links
 * @start_fd: where a relative @path starts (AT_FDCWD or a directory fd)
 * @path: the directory
 * @err: filled on failure
 *
 * Every symbolic link on the way, the last component's too, is followed
 * only when root or the caller owns it: another user's link, say in a
 * sticky world-writable directory, never leads a write elsewhere.
 *
 * Return: the fd (O_RDONLY|O_DIRECTORY|O_CLOEXEC), or -errno (-ELOOP for
 * another user's link).
 */
int swauth_dir_open_trusted_at(int start_fd, const char *path, struct swauth_error *err)
{
	uid_t bad = (uid_t)-1;
	int links = 0, fd, dir;

	fd = walk(start_fd, path[0] ? path : ".", false, &links, &bad);
	if (fd == -ELOOP && bad != (uid_t)-1)
		return swauth_error_set(err, -ELOOP,
					"directory %s: the path goes through a symbolic link owned by uid %u (refused: only root's and your own links are followed)",
					path, (unsigned int)bad);
	if (fd < 0)
		return swauth_error_set(err, fd, "directory %s: %s", path, strerror(-fd));
	dir = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(fd);
	if (dir < 0)
		return swauth_error_set(err, -errno, "directory %s: %s", path, strerror(errno));
	return dir;
}

/* swauth_dir_open_trusted() - swauth_dir_open_trusted_at() from the working directory */
int swauth_dir_open_trusted(const char *path, struct swauth_error *err)
{
	return swauth_dir_open_trusted_at(AT_FDCWD, path, err);
}

/**
 * swauth_dir_open_beneath() - open a subdirectory that stays beneath @root_fd
 * @root_fd: a file system's directory
 * @rel: the subdirectory, relative; "" or "." for @root_fd itself
 * @what: how to name it in a message
 * @err: filled on failure
 *
 * No symbolic link is followed and ".." may not leave @root_fd
 * (openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)).
 *
 * Return: the fd, or -errno (-ELOOP for a symbolic link on the way).
 */
int swauth_dir_open_beneath(int root_fd, const char *rel, const char *what,
			    struct swauth_error *err)
{
	struct open_how how = {
		.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS,
	};
	int links = 0;
	uid_t bad;
	long fd;

	if (!rel[0] || !strcmp(rel, "."))
		rel = ".";
	fd = syscall(SYS_openat2, root_fd, rel, &how, sizeof(how));
	if (fd < 0 && errno == ENOSYS) {
		fd = walk(root_fd, rel, true, &links, &bad);
		if (fd >= 0) {
			int dir = openat((int)fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

			close((int)fd);
			fd = dir < 0 ? -errno : dir;
		}
	} else if (fd < 0) {
		fd = -errno;
	}
	if (fd == -ELOOP)
		return swauth_error_set(err, -ELOOP,
					"%s: the path goes through a symbolic link (refused: the files of a file system stay in its directory)",
					what);
	if (fd == -EXDEV)
		return swauth_error_set(err, -EXDEV, "%s: the path leaves the file system", what);
	if (fd < 0)
		return swauth_error_set(err, (int)fd, "%s: %s", what, strerror((int)-fd));
	return (int)fd;
}

static void random_suffix(char out[7])
{
	static const char abc[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[6];
	int i;

	if (getrandom(r, sizeof(r), 0) != sizeof(r))
		for (i = 0; i < 6; i++)
			r[i] = (unsigned char)rand();
	for (i = 0; i < 6; i++)
		out[i] = abc[r[i] % (sizeof(abc) - 1)];
	out[6] = '\0';
}

static void tmp_name(const char *name, char *out)
{
	char suffix[7];

	random_suffix(suffix);
	snprintf(out, NAME_MAX + 1, ".%.*s.swauth-%s", NAME_MAX - 16, name, suffix);
}

/* A symbolic link at @name that the caller or root owns: its target instead. */
static int follow_own(struct swauth_safewrite *w, struct swauth_error *err)
{
	char target[PATH_MAX], *slash, *base = target;
	ssize_t n;
	int fd;

	n = readlinkat(w->dir_fd, w->name, target, sizeof(target) - 1);
	if (n < 0)
		return swauth_error_set(err, -errno, "%s: %s", w->name, strerror(errno));
	target[n] = '\0';
	slash = strrchr(target, '/');
	if (slash)
		base = slash + 1;
	if (!base[0] || !strcmp(base, ".") || !strcmp(base, "..") || strlen(base) > NAME_MAX)
		return swauth_error_set(err, -EINVAL, "%s -> %s: not a file", w->name, target);
	strcpy(w->name, base);
	if (slash == target)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		strcpy(target, ".");
	fd = swauth_dir_open_trusted_at(w->dir_fd, target, err);
	if (fd < 0)
		return fd;
	close(w->dir_fd);
	w->dir_fd = fd;
	return 0;
}

/**
 * swauth_safewrite_open() - start writing @name in @dir_fd
 * @w: the write; on success the caller commits or aborts it
 * @dir_fd: the directory (swauth_dir_open_trusted(), swauth_dir_open_beneath()); dup()ed
 * @name: the file's name in it, one component
 * @mode: of the new file
 * @flags: SWAUTH_SAFEWRITE_*
 * @err: filled on failure
 *
 * Return: 0 or -errno (-EISDIR when @name is neither a regular file nor a link).
 */
int swauth_safewrite_open(struct swauth_safewrite *w, int dir_fd, const char *name,
			  mode_t mode, unsigned int flags, struct swauth_error *err)
{
	bool exists = false;
	struct stat st;
	sigset_t old;
	int ret, i;

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->slot = -1;
	if (!name[0] || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    strlen(name) > NAME_MAX) {
		w->dir_fd = -1;
		return swauth_error_set(err, -EINVAL, "'%s' is not a file name", name);
	}
	strcpy(w->name, name);
	w->dir_fd = fcntl(dir_fd, F_DUPFD_CLOEXEC, 3);
	if (w->dir_fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", name, strerror(errno));
	if (!fstatat(w->dir_fd, w->name, &st, AT_SYMLINK_NOFOLLOW)) {
		if (S_ISLNK(st.st_mode) && (flags & SWAUTH_SAFEWRITE_FOLLOW_OWN) &&
		    (st.st_uid == geteuid() || st.st_uid == 0)) {
			ret = follow_own(w, err);
			if (ret)
				goto fail;
			if (fstatat(w->dir_fd, w->name, &st, AT_SYMLINK_NOFOLLOW))
				st.st_mode = S_IFLNK;	/* gone meanwhile: replaced */
		}
		if (S_ISREG(st.st_mode))
			exists = true;
		else if (!S_ISLNK(st.st_mode)) {
			ret = swauth_error_set(err, -EISDIR, "%s: not a regular file", w->name);
			goto fail;
		}
	}
	if (exists && (flags & SWAUTH_SAFEWRITE_KEEP_MODE))
		mode = st.st_mode & 07777;
	if (!swauth_safewrite_no_tmpfile && !access("/proc/self/fd", X_OK)) {
		w->fd = openat(w->dir_fd, ".", O_TMPFILE | O_RDWR | O_CLOEXEC, mode & 0777);
		w->anon = w->fd >= 0;
	}
	for (i = 0; w->fd < 0 && i < 100; i++) {
		tmp_name(w->name, w->tmp);
		block(&old);
		w->fd = openat(w->dir_fd, w->tmp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW |
			       O_CLOEXEC, 0600);
		if (w->fd >= 0)
			w->slot = slot_add(w->dir_fd, w->tmp);
		ret = -errno;
		unblock(&old);
		if (w->fd < 0 && ret != -EEXIST) {
			w->tmp[0] = '\0';
			ret = swauth_error_set(err, ret, "creating a file next to %s: %s",
					       w->name, strerror(-ret));
			goto fail;
		}
	}
	if (w->fd < 0) {
		w->tmp[0] = '\0';
		ret = swauth_error_set(err, -EEXIST, "no free temporary name next to %s", w->name);
		goto fail;
	}
	if (fchmod(w->fd, mode)) {
		ret = swauth_error_set(err, -errno, "%s: %s", w->name, strerror(errno));
		goto fail;
	}
	/* Keep the owner where we may; an unprivileged caller keeps its own. */
	if (exists && (flags & SWAUTH_SAFEWRITE_KEEP_MODE) &&
	    (st.st_uid != geteuid() || st.st_gid != getegid()) &&
	    fchown(w->fd, st.st_uid, st.st_gid) && errno != EPERM) {
		ret = swauth_error_set(err, -errno, "%s: %s", w->name, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	swauth_safewrite_abort(w);
	return ret;
}

/**
 * swauth_safewrite_write() - append to the new file
 * @w: an open write
 * @buf: the bytes
 * @len: how many
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swauth_safewrite_write(struct swauth_safewrite *w, const void *buf, size_t len,
			   struct swauth_error *err)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(w->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return swauth_error_set(err, n ? -errno : -EIO, "writing %s: %s", w->name,
						strerror(n ? errno : EIO));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/**
 * swauth_safewrite_seal() - fsync the new file and keep it only open for reading
 * @w: an open write
 * @err: filled on failure
 *
 * A verifier that refuses a file open for writing accepts w->fd then.
 *
 * Return: 0 or -errno.
 */
int swauth_safewrite_seal(struct swauth_safewrite *w, struct swauth_error *err)
{
	char proc[64];
	int fd;

	if (fsync(w->fd))
		return swauth_error_set(err, -errno, "writing %s: %s", w->name, strerror(errno));
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", w->fd);
	fd = w->anon ? open(proc, O_RDONLY | O_CLOEXEC) :
		       openat(w->dir_fd, w->tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return swauth_error_set(err, -errno, "reopening %s: %s", w->name, strerror(errno));
	if (close(w->fd)) {
		w->fd = fd;
		return swauth_error_set(err, -errno, "writing %s: %s", w->name, strerror(errno));
	}
	w->fd = fd;
	return 0;
}

/* Links the unnamed file as w->tmp (signals blocked, slot taken). */
static int link_anon(struct swauth_safewrite *w)
{
	char proc[64];
	int i, ret = -EEXIST;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", w->fd);
	for (i = 0; i < 100 && ret == -EEXIST; i++) {
		tmp_name(w->name, w->tmp);
		ret = 0;
		if (linkat(w->fd, "", w->dir_fd, w->tmp, AT_EMPTY_PATH) &&
		    linkat(AT_FDCWD, proc, w->dir_fd, w->tmp, AT_SYMLINK_FOLLOW))
			ret = -errno;
	}
	if (ret)
		w->tmp[0] = '\0';
	else
		w->slot = slot_add(w->dir_fd, w->tmp);
	return ret;
}

/**
 * swauth_safewrite_commit() - fsync, rename into place, fsync the directory
 * @w: an open write; closed on return
 * @err: filled on failure
 *
 * Return: 0; or -errno, the old file as it was and no temporary left; or
 * -errno of syncing the directory, after the rename (the message says so).
 */
int swauth_safewrite_commit(struct swauth_safewrite *w, struct swauth_error *err)
{
	sigset_t old;
	int ret = 0;

	if (fsync(w->fd)) {
		ret = swauth_error_set(err, -errno, "writing %s: %s", w->name, strerror(errno));
		goto out;
	}
	block(&old);
	if (w->anon)
		ret = link_anon(w);
	if (!ret && renameat(w->dir_fd, w->tmp, w->dir_fd, w->name))
		ret = -errno;
	if (!ret) {
		slot_del(w->slot);
		w->slot = -1;
		w->tmp[0] = '\0';
	}
	unblock(&old);
	if (ret) {
		swauth_error_set(err, ret, "putting %s in place: %s", w->name, strerror(-ret));
		goto out;
	}
	if (fsync(w->dir_fd))
		ret = swauth_error_set(err, -errno,
				       "%s is in place, but syncing its directory failed: %s",
				       w->name, strerror(errno));
out:
	swauth_safewrite_abort(w);
	return ret;
}

/**
 * swauth_safewrite_abort() - drop the new file and close @w
 * @w: an open, committed or aborted write
 */
void swauth_safewrite_abort(struct swauth_safewrite *w)
{
	sigset_t old;

	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
	block(&old);
	if (w->tmp[0] && w->dir_fd >= 0)
		unlinkat(w->dir_fd, w->tmp, 0);
	w->tmp[0] = '\0';
	slot_del(w->slot);
	w->slot = -1;
	unblock(&old);
	if (w->dir_fd >= 0)
		close(w->dir_fd);
	w->dir_fd = -1;
}

/**
 * swauth_dir_open_parent() - open the directory of @path
 * @path: a file's path
 * @name: receives where the file's name starts in @path
 * @err: filled on failure
 *
 * Return: the fd (swauth_dir_open_trusted()), or -errno.
 */
int swauth_dir_open_parent(const char *path, const char **name, struct swauth_error *err)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];

	if (strlen(path) >= sizeof(dir))
		return swauth_error_set(err, -ENAMETOOLONG, "%s: name too long", path);
	if (!slash)
		strcpy(dir, ".");
	else if (slash == path)
		strcpy(dir, "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	*name = slash ? slash + 1 : path;
	return swauth_dir_open_trusted(dir, err);
}

/**
 * swauth_dir_create() - create a directory where there is none
 * @path: the directory; its parent must exist, and is opened with
 *	swauth_dir_open_trusted()
 * @mode: the mode of a new directory, exactly, whatever the umask
 * @err: filled on failure
 *
 * Whatever is at @path already is left as it is: a later write into it
 * says what is wrong with it.
 *
 * Return: 0 or -errno.
 */
int swauth_dir_create(const char *path, mode_t mode, struct swauth_error *err)
{
	const char *name;
	int dfd, fd, ret = 0;

	dfd = swauth_dir_open_parent(path, &name, err);
	if (dfd < 0)
		return dfd;
	if (mkdirat(dfd, name, mode)) {
		if (errno != EEXIST)
			ret = swauth_error_set(err, -errno, "creating %s: %s", path,
					       strerror(errno));
		close(dfd);
		return ret;
	}
	fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchmod(fd, mode))
		ret = swauth_error_set(err, -errno, "setting the mode of %s: %s", path,
				       strerror(errno));
	if (fd >= 0)
		close(fd);
	close(dfd);
	return ret;
}

/**
 * swauth_safewrite_at() - write a whole file @name in @dir_fd safely
 * @dir_fd: its directory (swauth_dir_open_trusted(), swauth_dir_open_beneath())
 * @name: the file's name in it, one component
 * @buf: the contents
 * @len: their length
 * @mode: of a new file
 * @flags: SWAUTH_SAFEWRITE_*
 * @err: filled on failure
 *
 * Return: 0 or -errno; on failure @name is as it was.
 */
int swauth_safewrite_at(int dir_fd, const char *name, const void *buf, size_t len, mode_t mode,
			unsigned int flags, struct swauth_error *err)
{
	struct swauth_safewrite w;
	int ret;

	ret = swauth_safewrite_open(&w, dir_fd, name, mode, flags, err);
	if (ret)
		return ret;
	ret = swauth_safewrite_write(&w, buf, len, err);
	if (ret) {
		swauth_safewrite_abort(&w);
		return ret;
	}
	return swauth_safewrite_commit(&w, err);
}

/**
 * swauth_safewrite_path() - write a whole file at @path safely
 * @path: the file; its directory is opened with swauth_dir_open_trusted()
 * @buf: the contents
 * @len: their length
 * @mode: of a new file
 * @flags: SWAUTH_SAFEWRITE_*
 * @err: filled on failure
 *
 * Return: 0 or -errno; on failure @path is as it was.
 */
int swauth_safewrite_path(const char *path, const void *buf, size_t len, mode_t mode,
			  unsigned int flags, struct swauth_error *err)
{
	const char *name;
	int dfd, ret;

	dfd = swauth_dir_open_parent(path, &name, err);
	if (dfd < 0)
		return dfd;
	ret = swauth_safewrite_at(dfd, name, buf, len, mode, flags, err);
	close(dfd);
	return ret;
}

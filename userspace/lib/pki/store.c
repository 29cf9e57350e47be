// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The PKI store's directory (lib/pki.h): found, checked, never invented.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/fs.h"
#include "lib/pki.h"

/* swpki_store_path() - the store's path: @opt (--dir), $SWPKI_DIR, or SWPKI_DIR */
const char *swpki_store_path(const char *opt)
{
	const char *env = getenv("SWPKI_DIR");

	if (opt && opt[0])
		return opt;
	if (env && env[0])
		return env;
	return SWPKI_DIR;
}

/* A directory of the store: ours (or root's), a directory, nobody else's to write. */
static int check_dir(int fd, const char *path, const char *sub, struct swauth_error *err)
{
	struct stat st;

	if (fstat(fd, &st))
		return swauth_error_set(err, -errno, "%s/%s: %s", path, sub, strerror(errno));
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return swauth_error_set(err, -EPERM,
					"%s/%s is owned by uid %u, not by root or you (refused)",
					path, sub, (unsigned int)st.st_uid);
	if (st.st_mode & 022)
		return swauth_error_set(err, -EPERM,
					"%s/%s may be written by others (mode %04o; chmod go-w it)",
					path, sub, (unsigned int)(st.st_mode & 07777));
	return 0;
}

static int open_sub(struct swpki_store *s, const char *sub, bool create,
		    struct swauth_error *err)
{
	int fd, ret;

	fd = openat(s->dir_fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(s->dir_fd, sub, 0700) && errno != EEXIST)
			return swauth_error_set(err, -errno, "%s/%s: %s", s->path, sub,
						strerror(errno));
		fd = openat(s->dir_fd, sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		if (errno == ENOENT)
			return swauth_error_set(err, -ENOENT,
						"%s/%s does not exist: not a PKI store (is the disk mounted?)",
						s->path, sub);
		return swauth_error_set(err, -errno, "%s/%s: %s", s->path, sub,
					errno == ELOOP ? "a symbolic link (refused)" :
					strerror(errno));
	}
	ret = check_dir(fd, s->path, sub, err);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/**
 * swpki_store_open_certs() - open a certificate directory outside the store
 * @path: absolute
 * @err: filled on failure
 *
 * Checked as the store's own directories are: no symbolic link on the way,
 * owned by root or the caller, writable by nobody else.
 *
 * Return: the descriptor, or -errno.
 */
int swpki_store_open_certs(const char *path, struct swauth_error *err)
{
	int fd, ret;

	fd = swauth_dir_open_trusted(path, err);
	if (fd < 0)
		return fd;
	ret = check_dir(fd, path, ".", err);
	if (ret) {
		close(fd);
		return ret;
	}
	return fd;
}

/* The certificate directory DIR/pki.conf names, if any, as s->certs_fd. */
static int open_storage(struct swpki_store *s, struct swauth_error *err)
{
	struct swauth_error e = { 0 };
	char path[PATH_MAX];
	int fd, ret;

	ret = swpki_cert_storage_get(s->dir_fd, path, sizeof(path), &e);
	if (ret)
		return swauth_error_set(err, ret, "%s/%s", s->path, e.msg);
	if (!path[0])
		return 0;
	fd = swpki_store_open_certs(path, &e);
	if (fd < 0)
		return swauth_error_set(err, fd, "the certificate storage: %s", e.msg);
	close(s->certs_fd);
	s->certs_fd = fd;
	return 0;
}

/**
 * swpki_store_open() - open the store's directories
 * @s: filled; swpki_store_close() it
 * @path: DIR (swpki_store_path())
 * @create: make what is missing (DIR only when its parent exists)
 * @err: filled on failure
 *
 * The process is made not dumpable first (the store holds private keys and
 * PINs that would be in a core file).
 *
 * Return: 0 or -errno; -ENOENT for a store that is not there.
 */
/*
 * A store is made only where its file system is: @path below a mount point
 * of /etc/fstab that is not mounted now (the directory is on its parent's
 * device) would get a new, empty store on the disk beneath, hiding the
 * real one once the disk is mounted.
 */
static int check_mounted(const char *path, struct swauth_error *err)
{
	struct stat here, up;
	char parent[PATH_MAX];
	struct mntent *m;
	size_t len;
	FILE *f;
	int ret = 0;

	f = setmntent("/etc/fstab", "r");
	if (!f)
		return 0;
	while (!ret && (m = getmntent(f))) {
		len = strlen(m->mnt_dir);
		if (m->mnt_dir[0] != '/' || len < 2 || len + 4 > sizeof(parent) ||
		    strncmp(path, m->mnt_dir, len) || (path[len] && path[len] != '/'))
			continue;
		memcpy(parent, m->mnt_dir, len);
		memcpy(parent + len, "/..", 4);
		if (stat(m->mnt_dir, &here) || stat(parent, &up) || here.st_dev != up.st_dev)
			continue;
		ret = swauth_error_set(err, -ENODEV,
				       "%s is on %s, which /etc/fstab mounts and which is not mounted: no store is made there (mount it first)",
				       path, m->mnt_dir);
	}
	endmntent(f);
	return ret;
}

int swpki_store_open(struct swpki_store *s, const char *path, bool create,
		     struct swauth_error *err)
{
	int ret, fd;

	/* It holds private keys and PINs: no core file, no ptrace by the same user. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	memset(s, 0, sizeof(*s));
	s->dir_fd = s->keys_fd = s->tp_fd = s->certs_fd = -1;
	if (strlen(path) >= sizeof(s->path))
		return swauth_error_set(err, -ENAMETOOLONG, "%s: name too long", path);
	strcpy(s->path, path);
	if (create) {
		ret = check_mounted(path, err);
		if (!ret)
			ret = swauth_dir_create(path, 0700, err);
		if (ret)
			return ret;
	}
	s->dir_fd = swauth_dir_open_trusted(path, err);
	if (s->dir_fd < 0) {
		ret = s->dir_fd;
		if (ret == -ENOENT)
			swauth_error_set(err, ret,
					 "%s does not exist: no PKI store there (is the disk mounted? `swpki key generate` makes one)",
					 path);
		s->dir_fd = -1;
		return ret;
	}
	ret = check_dir(s->dir_fd, path, ".", err);
	if (!ret && (fd = open_sub(s, "keys", create, err)) < 0)
		ret = fd;
	else if (!ret)
		s->keys_fd = fd;
	if (!ret && (fd = open_sub(s, "trustpoints", create, err)) < 0)
		ret = fd;
	else if (!ret)
		s->tp_fd = fd;
	if (!ret && (fd = open_sub(s, "certs", create, err)) < 0)
		ret = fd;
	else if (!ret)
		s->certs_fd = fd;
	if (!ret)
		ret = open_storage(s, err);
	if (ret)
		swpki_store_close(s);
	return ret;
}

void swpki_store_close(struct swpki_store *s)
{
	int *fds[] = { &s->dir_fd, &s->keys_fd, &s->tp_fd, &s->certs_fd };
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++) {
		if (*fds[i] >= 0)
			close(*fds[i]);
		*fds[i] = -1;
	}
}

/**
 * swpki_dir_stream() - a DIR stream to list a directory of the store
 * @fd: the directory (struct swpki_store's fds)
 *
 * The stream has a descriptor of its own (closedir() leaves @fd open) and
 * starts at the directory's first entry.
 *
 * Return: the stream, or NULL with errno set.
 */
DIR *swpki_dir_stream(int fd)
{
	int own = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = own < 0 ? NULL : fdopendir(own);
	int e = errno;

	if (!d && own >= 0) {
		close(own);
		errno = e;
	}
	return d;
}

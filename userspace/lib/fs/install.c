// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Atomic file replacement: copy to ".NAME.swauth-XXXXXX" in the
 * destination's directory (same file system, so rename(2) is atomic),
 * fsync, let the caller check the copy, rename over the destination,
 * fsync the directory. A failure at any step before the rename removes the
 * temporary file and leaves the destination untouched.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "lib/fs.h"

enum { COPY_CHUNK = 64 * 1024 };

static int write_all(int fd, const uint8_t *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Hash what @src_fd reads; when @out_fd >= 0, also write it there.
 * @what names the source for messages.
 */
static int copy_hash(int src_fd, int out_fd, const char *what, const char *out_name,
		     uint8_t sha256[SWAUTH_SHA256_LEN], struct swauth_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *buf = malloc(COPY_CHUNK);
	unsigned int len = 0;
	ssize_t n;
	int ret = 0;

	if (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		ret = swauth_error_set(err, -ENOMEM, "SHA256: OpenSSL cannot start the hash");
		goto out;
	}
	while ((n = read(src_fd, buf, COPY_CHUNK)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = swauth_error_set(err, -errno, "reading %s: %s", what, strerror(errno));
			goto out;
		}
		if (EVP_DigestUpdate(ctx, buf, (size_t)n) != 1) {
			ret = swauth_error_set(err, -EIO, "SHA256: OpenSSL failed");
			goto out;
		}
		if (out_fd >= 0) {
			ret = write_all(out_fd, buf, (size_t)n);
			if (ret) {
				swauth_error_set(err, ret, "writing %s: %s", out_name,
						 strerror(-ret));
				goto out;
			}
		}
	}
	if (EVP_DigestFinal_ex(ctx, sha256, &len) != 1 || len != SWAUTH_SHA256_LEN)
		ret = swauth_error_set(err, -EIO, "SHA256: OpenSSL failed");
out:
	free(buf);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

/**
 * swauth_file_sha256() - the SHA-256 of a whole regular file
 * @path: the file
 * @sha256: receives the digest
 * @err: filled on failure
 *
 * Return: 0, -EINVAL when @path is not a regular file, or -errno.
 */
int swauth_file_sha256(const char *path, uint8_t sha256[SWAUTH_SHA256_LEN],
		       struct swauth_error *err)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (fstat(fd, &st))
		ret = swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	else if (!S_ISREG(st.st_mode))
		ret = swauth_error_set(err, -EINVAL, "%s: not a regular file", path);
	else
		ret = copy_hash(fd, -1, path, NULL, sha256, err);
	close(fd);
	return ret;
}

/**
 * swauth_fd_snapshot() - a private, sealed copy of a file, and its SHA-256
 * @fd: the file, read from its current offset to its end
 * @what: names it in messages
 * @sha256: receives the digest of the bytes copied
 * @err: filled on failure
 *
 * The copy (a memfd: memory, or swap) cannot be written, grown or shrunk
 * by anyone: what is later read from it is exactly what was hashed,
 * whatever happens to the file meanwhile.
 *
 * Return: the copy's fd, at offset 0, or -errno.
 */
int swauth_fd_snapshot(int fd, const char *what, uint8_t sha256[SWAUTH_SHA256_LEN],
		       struct swauth_error *err)
{
	int copy, ret;

	copy = memfd_create("swauth-snapshot", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0)
		return swauth_error_set(err, -errno, "a copy of %s in memory: %s", what,
					strerror(errno));
	ret = copy_hash(fd, copy, what, "its copy in memory", sha256, err);
	if (!ret && (fcntl(copy, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK |
					       F_SEAL_SEAL) ||
		     lseek(copy, 0, SEEK_SET)))
		ret = swauth_error_set(err, -errno, "sealing the copy of %s: %s", what,
				       strerror(errno));
	if (ret) {
		close(copy);
		return ret;
	}
	return copy;
}

/* Split @dest into the directory (without the trailing slash) and the name. */
static int split_path(const char *dest, char *dir, size_t dir_len, const char **base,
		      struct swauth_error *err)
{
	const char *slash = strrchr(dest, '/');

	if (!slash || !slash[1])
		return swauth_error_set(err, -EINVAL, "%s: not an absolute path to a file", dest);
	*base = slash + 1;
	if (slash == dest)
		snprintf(dir, dir_len, "/");
	else if ((size_t)(slash - dest) < dir_len)
		snprintf(dir, dir_len, "%.*s", (int)(slash - dest), dest);
	else
		return swauth_error_set(err, -ENAMETOOLONG, "%s: path too long", dest);
	return 0;
}

/**
 * swauth_install_prepare() - copy @src next to @dest, ready to replace it
 * @in: the installation; on success the caller must commit or abort it
 * @src: the new file's contents
 * @dest: the file to replace, an absolute path; a symbolic link is
 *	followed, so that its target is replaced and the link stays
 * @err: filled on failure
 *
 * The copy gets the mode (and, when the caller may, the owner) of the
 * existing destination, 0644 when there is none; it is fsynced and closed,
 * so that a verifier that refuses files open for writing accepts it.
 * in->sha256 is the SHA-256 of the bytes copied.
 *
 * Return: 0, or -errno; on failure nothing is left behind.
 */
int swauth_install_prepare(struct swauth_install *in, const char *src, const char *dest,
			   struct swauth_error *err)
{
	char dir[PATH_MAX], resolved[PATH_MAX];
	mode_t mode = 0644;
	bool exists = false;
	int src_fd = -1, fd = -1, ret;
	struct stat st, dst;
	const char *base = NULL;

	memset(in, 0, sizeof(*in));
	in->dir_fd = -1;
	if (dest[0] != '/')
		return swauth_error_set(err, -EINVAL, "%s: not an absolute path", dest);
	if (!lstat(dest, &dst) && S_ISLNK(dst.st_mode)) {
		if (!realpath(dest, resolved))
			return swauth_error_set(err, -errno, "%s: %s", dest, strerror(errno));
		dest = resolved;
	}
	if (strlen(dest) >= sizeof(in->dest))
		return swauth_error_set(err, -ENAMETOOLONG, "%s: path too long", dest);
	strcpy(in->dest, dest);
	ret = split_path(in->dest, dir, sizeof(dir), &base, err);
	if (ret)
		return ret;

	if (!stat(in->dest, &dst)) {
		if (!S_ISREG(dst.st_mode))
			return swauth_error_set(err, -EINVAL, "%s: not a regular file", in->dest);
		exists = true;
		mode = dst.st_mode & 07777;
	} else if (errno != ENOENT) {
		return swauth_error_set(err, -errno, "%s: %s", in->dest, strerror(errno));
	}

	src_fd = open(src, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (src_fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", src, strerror(errno));
	if (fstat(src_fd, &st)) {
		ret = swauth_error_set(err, -errno, "%s: %s", src, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = swauth_error_set(err, -EINVAL, "%s: not a regular file", src);
		goto fail;
	}

	in->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (in->dir_fd < 0) {
		ret = swauth_error_set(err, -errno, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	if ((size_t)snprintf(in->tmp, sizeof(in->tmp), "%s/.%s.swauth-XXXXXX",
			     strcmp(dir, "/") ? dir : "", base) >= sizeof(in->tmp)) {
		in->tmp[0] = '\0';
		ret = swauth_error_set(err, -ENAMETOOLONG, "%s: path too long", in->dest);
		goto fail;
	}
	fd = mkostemp(in->tmp, O_CLOEXEC);
	if (fd < 0) {
		ret = swauth_error_set(err, -errno, "creating a temporary file in %s: %s", dir,
				       strerror(errno));
		in->tmp[0] = '\0';
		goto fail;
	}
	ret = copy_hash(src_fd, fd, src, in->tmp, in->sha256, err);
	if (ret)
		goto fail;
	if (fchmod(fd, mode)) {
		ret = swauth_error_set(err, -errno, "%s: %s", in->tmp, strerror(errno));
		goto fail;
	}
	/* Keep the owner where we may; an unprivileged caller keeps its own. */
	if (exists && (dst.st_uid != geteuid() || dst.st_gid != getegid()) &&
	    fchown(fd, dst.st_uid, dst.st_gid) && errno != EPERM) {
		ret = swauth_error_set(err, -errno, "%s: %s", in->tmp, strerror(errno));
		goto fail;
	}
	if (fsync(fd)) {
		ret = swauth_error_set(err, -errno, "syncing %s: %s", in->tmp, strerror(errno));
		goto fail;
	}
	ret = close(fd);
	fd = -1;
	if (ret) {
		ret = swauth_error_set(err, -errno, "writing %s: %s", in->tmp, strerror(errno));
		goto fail;
	}
	close(src_fd);
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	close(src_fd);
	swauth_install_abort(in);
	return ret;
}

/**
 * swauth_install_commit() - rename the copy over the destination
 * @in: a prepared installation; closed on return
 * @err: filled on failure
 *
 * Return: 0; -errno of rename(2), the destination untouched and the copy
 * removed; or -errno of syncing the directory, after the rename (the new
 * file is in place but may not survive a power cut).
 */
int swauth_install_commit(struct swauth_install *in, struct swauth_error *err)
{
	int ret = 0;

	if (!in->tmp[0] || in->dir_fd < 0)
		return swauth_error_set(err, -EINVAL, "nothing to install");
	if (rename(in->tmp, in->dest)) {
		ret = swauth_error_set(err, -errno, "renaming %s to %s: %s", in->tmp, in->dest,
				       strerror(errno));
		swauth_install_abort(in);
		return ret;
	}
	in->tmp[0] = '\0';
	if (fsync(in->dir_fd))
		ret = swauth_error_set(err, -errno,
				       "%s was replaced, but syncing its directory failed: %s",
				       in->dest, strerror(errno));
	swauth_install_abort(in);
	return ret;
}

/**
 * swauth_install_abort() - remove the copy, if any, and close @in
 * @in: a prepared (or committed) installation
 */
void swauth_install_abort(struct swauth_install *in)
{
	if (in->tmp[0])
		unlink(in->tmp);
	in->tmp[0] = '\0';
	if (in->dir_fd >= 0)
		close(in->dir_fd);
	in->dir_fd = -1;
}

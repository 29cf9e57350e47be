// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Atomic file replacement through the safe-write primitive (safewrite.c):
 * the copy is written next to the destination, in its directory opened by
 * fd, fsynced, checked by the caller, renamed over the destination, and
 * the directory fsynced. A failure at any step before the rename leaves
 * the destination untouched and no temporary file.
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

/*
 * Hash what @src_fd reads; when @out is not NULL, also write it there.
 * @what names the source for messages.
 */
static int copy_hash(int src_fd, struct swauth_safewrite *out, const char *what,
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
		if (out) {
			ret = swauth_safewrite_write(out, buf, (size_t)n, err);
			if (ret)
				goto out;
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
		ret = copy_hash(fd, NULL, path, sha256, err);
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
	/* Only written to, as copy_hash() does: no directory, no name to link. */
	struct swauth_safewrite out = { .dir_fd = -1, .slot = -1, .name = "the copy in memory" };
	int copy, ret;

	copy = memfd_create("swauth-snapshot", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (copy < 0)
		return swauth_error_set(err, -errno, "a copy of %s in memory: %s", what,
					strerror(errno));
	out.fd = copy;
	ret = copy_hash(fd, &out, what, sha256, err);
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

/**
 * swauth_install_prepare() - copy @src next to @dest, ready to replace it
 * @in: the installation; on success the caller must commit or abort it
 * @src: the new file's contents
 * @dest: the file to replace, an absolute path. A symbolic link that root
 *	or the caller owns is followed, so that its target is replaced and
 *	the link stays; another user's link is replaced, never written
 *	through, and a directory on the way reached through another user's
 *	link is refused (swauth_dir_open_trusted())
 * @err: filled on failure
 *
 * The copy gets the mode (and, when the caller may, the owner) of the
 * existing destination, 0644 when there is none; it is fsynced and open
 * only for reading, so that a verifier that refuses files open for
 * writing accepts it: in->tmp names it (/proc/self/fd/N). in->sha256 is
 * the SHA-256 of the bytes copied.
 *
 * Return: 0, or -errno; on failure nothing is left behind.
 */
int swauth_install_prepare(struct swauth_install *in, const char *src, const char *dest,
			   struct swauth_error *err)
{
	const char *base = NULL;
	int src_fd, dir_fd, ret;
	struct stat st;

	memset(in, 0, sizeof(*in));
	in->w.fd = -1;
	in->w.dir_fd = -1;
	if (dest[0] != '/')
		return swauth_error_set(err, -EINVAL, "%s: not an absolute path", dest);
	if (strlen(dest) >= sizeof(in->dest))
		return swauth_error_set(err, -ENAMETOOLONG, "%s: path too long", dest);
	strcpy(in->dest, dest);
	if (dest[strlen(dest) - 1] == '/')
		return swauth_error_set(err, -EINVAL, "%s: not an absolute path to a file", dest);

	src_fd = open(src, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (src_fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", src, strerror(errno));
	if (fstat(src_fd, &st)) {
		ret = swauth_error_set(err, -errno, "%s: %s", src, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = swauth_error_set(err, -EINVAL, "%s: not a regular file", src);
		goto out;
	}
	dir_fd = swauth_dir_open_parent(in->dest, &base, err);
	if (dir_fd < 0) {
		ret = dir_fd;
		goto out;
	}
	ret = swauth_safewrite_open(&in->w, dir_fd, base, 0644,
				    SWAUTH_SAFEWRITE_FOLLOW_OWN | SWAUTH_SAFEWRITE_KEEP_MODE, err);
	close(dir_fd);
	if (ret == -EISDIR)
		ret = swauth_error_set(err, -EINVAL, "%s: not a regular file", in->dest);
	if (ret)
		goto out;
	ret = copy_hash(src_fd, &in->w, src, in->sha256, err);
	if (!ret)
		ret = swauth_safewrite_seal(&in->w, err);
	if (ret) {
		swauth_safewrite_abort(&in->w);
		goto out;
	}
	snprintf(in->tmp, sizeof(in->tmp), "/proc/self/fd/%d", in->w.fd);
out:
	close(src_fd);
	return ret;
}

/**
 * swauth_install_commit() - rename the copy over the destination
 * @in: a prepared installation; closed on return
 * @err: filled on failure
 *
 * Return: 0; -errno of the rename, the destination untouched and the copy
 * removed; or -errno of syncing the directory, after the rename (the new
 * file is in place but may not survive a power cut).
 */
int swauth_install_commit(struct swauth_install *in, struct swauth_error *err)
{
	if (!in->tmp[0] || in->w.fd < 0)
		return swauth_error_set(err, -EINVAL, "nothing to install");
	in->tmp[0] = '\0';
	return swauth_safewrite_commit(&in->w, err);
}

/**
 * swauth_install_abort() - remove the copy, if any, and close @in
 * @in: a prepared (or committed) installation
 */
void swauth_install_abort(struct swauth_install *in)
{
	in->tmp[0] = '\0';
	swauth_safewrite_abort(&in->w);
}

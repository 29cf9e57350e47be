// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The checksums swcopy records for the files it copies in (B5.1): one
 * line per file in DIR/.swcopy-sums, written with lib/safewrite.h (a
 * symbolic link planted as the record is replaced, never written through).
 * Only the managed file systems (flash: and its kin) have one. An upload
 * checks the file against its line first, so that an image damaged on the
 * file system is not sent on. Two kinds of line:
 *
 *   SHA256  NAME         the whole file's SHA-256 (the format of sha256sum(1))
 *   image:SHA256  NAME   an image copied with /verify: the SHA-256 of its
 *                        header, manifest and signature, whose payload
 *                        matched the digest the manifest carries
 *                        (swauth_image_seal_digest()): the digests the
 *                        verification computed anyway, no pass of its own
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/config.h"
#include "lib/fs.h"
#include "lib/image.h"
#include "swcopy/sums.h"

enum { SUMS_MAX = 256 * 1024 };
#define SUMS_NAME ".swcopy-sums"
#define IMAGE_TAG "image:"

/**
 * swcopy_hex() - a digest in lower-case hex, as sums, show and --json print it
 * @buf: the digest
 * @len: its length
 * @out: 2 * @len + 1 bytes
 */
void swcopy_hex(const uint8_t *buf, size_t len, char *out)
{
	size_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", buf[i]);
	out[2 * len] = '\0';
}

/* The record of @dir_fd; a symbolic link there is no record. */
static char *read_sums(int dir_fd, size_t *len)
{
	char *text = calloc(1, SUMS_MAX + 1);
	ssize_t n;
	int fd;

	*len = 0;
	if (!text)
		return NULL;
	fd = openat(dir_fd, SUMS_NAME, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		while (*len < SUMS_MAX && (n = read(fd, text + *len, SUMS_MAX - *len)) > 0)
			*len += (size_t)n;
		close(fd);
	}
	text[*len] = '\0';
	return text;
}

/*
 * The line of @name in @text, or NULL; @hex points to its digest, @image
 * tells which kind it is.
 */
static const char *find(const char *text, const char *name, const char **hex, bool *image)
{
	const char *p = text;
	size_t n = strlen(name), tag = strlen(IMAGE_TAG);

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		bool img = len > tag && !memcmp(p, IMAGE_TAG, tag);
		size_t skip = img ? tag : 0;

		if (len == skip + 2 * SWAUTH_SHA256_LEN + 2 + n &&
		    !memcmp(p + skip + 2 * SWAUTH_SHA256_LEN + 2, name, n)) {
			*hex = p + skip;
			*image = img;
			return p;
		}
		p += len + (nl ? 1 : 0);
	}
	return NULL;
}

/**
 * swcopy_sums_record() - record the digest of DIR/NAME
 * @dir_fd: the file's directory in its file system
 * @name: the file's name in it
 * @sha: its SHA-256, or with @image swauth_image_seal_digest()'s
 * @image: @sha is an image's seal digest (see the top of this file)
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swcopy_sums_record(int dir_fd, const char *name, const uint8_t sha[SWAUTH_SHA256_LEN],
		       bool image, struct swauth_error *err)
{
	struct swauth_safewrite w;
	char line[2 * SWAUTH_SHA256_LEN + 1];
	const char *old, *hex;
	size_t len, used = 0;
	char *text, *out;
	bool img;
	int ret;

	if (strchr(name, '\n'))
		return swauth_error_set(err, -EINVAL, "a file name with a newline");
	text = read_sums(dir_fd, &len);
	out = malloc(SUMS_MAX + PATH_MAX + 80);
	if (!text || !out) {
		free(text);
		free(out);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	old = find(text, name, &hex, &img);
	if (old) {
		memcpy(out, text, (size_t)(old - text));
		used = (size_t)(old - text);
		old = strchr(old, '\n');
		old = old ? old + 1 : "";
		used += (size_t)sprintf(out + used, "%s", old);
	} else {
		used = (size_t)sprintf(out, "%s", text);
	}
	swcopy_hex(sha, SWAUTH_SHA256_LEN, line);
	sprintf(out + used, "%s%s  %s\n", image ? IMAGE_TAG : "", line, name);
	ret = swauth_safewrite_open(&w, dir_fd, SUMS_NAME, 0644, 0, err);
	if (!ret) {
		ret = swauth_safewrite_write(&w, out, strlen(out), err);
		if (ret)
			swauth_safewrite_abort(&w);
		else
			ret = swauth_safewrite_commit(&w, err);
	}
	free(text);
	free(out);
	return ret;
}

/**
 * swcopy_sums_check() - check DIR/NAME against its record
 * @dir_fd: the file's directory in its file system
 * @name: the file's name in it
 * @sha: the file's SHA-256 now
 * @fd: the file's bytes now (read with pread(2)), for an image's record
 *
 * Return: 0 when it matches, -ENOENT when none is recorded, -EBADMSG when
 * it differs (for an image: its seal digest, or its payload from the
 * digest in its manifest).
 */
int swcopy_sums_check(int dir_fd, const char *name, const uint8_t sha[SWAUTH_SHA256_LEN],
		      int fd)
{
	uint8_t seal[SWAUTH_SHA256_LEN];
	char line[2 * SWAUTH_SHA256_LEN + 1];
	struct swauth_error err;
	const char *rec, *hex;
	bool image = false;
	size_t len;
	char *text;
	int ret;

	text = read_sums(dir_fd, &len);
	if (!text)
		return -ENOMEM;
	rec = find(text, name, &hex, &image);
	ret = rec ? 0 : -ENOENT;
	if (rec && image) {
		swauth_error_clear(&err);
		ret = swauth_image_seal_digest(fd, true, seal, &err);
		sha = seal;
	}
	swcopy_hex(sha, SWAUTH_SHA256_LEN, line);
	if (!ret && memcmp(hex, line, 2 * SWAUTH_SHA256_LEN))
		ret = -EBADMSG;
	free(text);
	/* A record that cannot be checked is not a match. */
	return ret == -ENOENT ? ret : ret ? -EBADMSG : 0;
}

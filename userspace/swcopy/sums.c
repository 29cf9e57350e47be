// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The checksums swcopy records for the files it copies in (B5.1): one
 * "SHA256  NAME" line per file in DIR/.swcopy-sums, the format of
 * sha256sum(1), written with lib/safewrite.h (a symbolic link planted as
 * the record is replaced, never written through). Only the managed file
 * systems (flash: and its kin) have one. An upload checks the file against its
 * line first, so that an image damaged on the file system is not sent on.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/config.h"
#include "lib/fs.h"
#include "swcopy/sums.h"

enum { SUMS_MAX = 256 * 1024 };
#define SUMS_NAME ".swcopy-sums"

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

/* The line of @name in @text, or NULL. */
static const char *find(const char *text, const char *name)
{
	const char *p = text;
	size_t n = strlen(name);

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len == 2 * SWAUTH_SHA256_LEN + 2 + n && !memcmp(p + 2 * SWAUTH_SHA256_LEN + 2, name, n))
			return p;
		p += len + (nl ? 1 : 0);
	}
	return NULL;
}

/**
 * swcopy_sums_record() - record the SHA-256 of DIR/NAME
 * @dir_fd: the file's directory in its file system
 * @name: the file's name in it
 * @sha: its SHA-256
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swcopy_sums_record(int dir_fd, const char *name, const uint8_t sha[SWAUTH_SHA256_LEN],
		       struct swauth_error *err)
{
	struct swauth_safewrite w;
	char line[2 * SWAUTH_SHA256_LEN + 1];
	const char *old;
	size_t len, used = 0;
	char *text, *out;
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
	old = find(text, name);
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
	sprintf(out + used, "%s  %s\n", line, name);
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
 * swcopy_sums_check() - check DIR/NAME against its recorded SHA-256
 * @dir_fd: the file's directory in its file system
 * @name: the file's name in it
 * @sha: the file's SHA-256 now
 *
 * Return: 0 when it matches, -ENOENT when none is recorded, -EBADMSG when
 * it differs.
 */
int swcopy_sums_check(int dir_fd, const char *name, const uint8_t sha[SWAUTH_SHA256_LEN])
{
	char line[2 * SWAUTH_SHA256_LEN + 1];
	const char *rec;
	size_t len;
	char *text;
	int ret;

	text = read_sums(dir_fd, &len);
	if (!text)
		return -ENOMEM;
	rec = find(text, name);
	swcopy_hex(sha, SWAUTH_SHA256_LEN, line);
	ret = !rec ? -ENOENT : memcmp(rec, line, 2 * SWAUTH_SHA256_LEN) ? -EBADMSG : 0;
	free(text);
	return ret;
}

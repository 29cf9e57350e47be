// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Resolving `flash:NAME` and its kin to a file path. A prefixed NAME stays
 * inside its directory: a ".." component, an empty NAME (or an empty last
 * component, "flash:dir/") is refused. Control characters (and an embedded
 * NUL, which a C caller could otherwise cut the name at) are refused in
 * every spelling, prefixed or plain, because the result is written to
 * swauth.conf and shown to operators. A plain path is returned as given:
 * ".." is legitimate there; turning it absolute is the caller's business.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "lib/fs.h"

static const struct {
	const char *prefix;	/* with the colon */
	const char *def;
	size_t off;		/* of the directory in struct swauth_config */
} file_systems[] = {
	{ "flash:", SWAUTH_FLASH_DIR, offsetof(struct swauth_config, flash_dir) },
	{ "flash0:", SWAUTH_FLASH0_DIR, offsetof(struct swauth_config, flash0_dir) },
	{ "flash1:", SWAUTH_FLASH1_DIR, offsetof(struct swauth_config, flash1_dir) },
	{ "usbflash0:", SWAUTH_USBFLASH0_DIR, offsetof(struct swauth_config, usbflash0_dir) },
	{ "usbflash1:", SWAUTH_USBFLASH1_DIR, offsetof(struct swauth_config, usbflash1_dir) },
	{ "nvram:", SWAUTH_NVRAM_DIR, offsetof(struct swauth_config, nvram_dir) },
};
#define N_FS (sizeof(file_systems) / sizeof(file_systems[0]))

static const char *fs_dir(const struct swauth_config *cfg, size_t i)
{
	const char *dir = cfg ? (const char *)cfg + file_systems[i].off : "";

	return dir[0] ? dir : file_systems[i].def;
}

/**
 * swauth_storage_prefix() - the file systems' prefixes, one by one
 * @i: from 0
 *
 * Return: the @i-th prefix ("flash:", ...), or NULL past the last.
 */
const char *swauth_storage_prefix(size_t i)
{
	return i < N_FS ? file_systems[i].prefix : NULL;
}

/**
 * swauth_storage_dir() - the directory of a file system
 * @cfg: the configuration, or NULL for the defaults
 * @prefix: "flash:", "flash0:", "flash1:", "usbflash0:", "usbflash1:" or "nvram:"
 *
 * Return: the directory, or NULL for an unknown prefix.
 */
const char *swauth_storage_dir(const struct swauth_config *cfg, const char *prefix)
{
	size_t i;

	for (i = 0; i < N_FS; i++)
		if (!strcmp(prefix, file_systems[i].prefix))
			return fs_dir(cfg, i);
	return NULL;
}

/**
 * swauth_storage_fs_of() - the file system a `flash:NAME` names
 * @cfg: the configuration, or NULL for the defaults
 * @spec: what the user typed
 *
 * Return: the file system's directory when @spec starts with a known
 * prefix, else NULL (a plain path).
 */
const char *swauth_storage_fs_of(const struct swauth_config *cfg, const char *spec)
{
	size_t i;

	for (i = 0; i < N_FS; i++)
		if (!strncmp(spec, file_systems[i].prefix, strlen(file_systems[i].prefix)))
			return fs_dir(cfg, i);
	return NULL;
}

/* The length of a "word:" prefix (colon included) at @s, or 0. */
static size_t prefix_len(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == ':')
			return i ? i + 1 : 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_'))
			return 0;
	}
	return 0;
}

/**
 * swauth_storage_resolve_n() - the file path of a `flash:NAME` or a plain path
 * @cfg: the configuration (its *-dir settings), or NULL for the defaults
 * @spec: what the user typed, @len bytes (need not be NUL-terminated)
 * @len: its length
 * @path: receives the file path
 * @path_len: size of @path
 * @err: filled on failure
 *
 * Return: 0, -EINVAL for a refused name (the message says why), -ENOENT for
 * an unknown file system, -ENAMETOOLONG when the result does not fit.
 */
int swauth_storage_resolve_n(const struct swauth_config *cfg, const char *spec, size_t len,
			     char *path, size_t path_len, struct swauth_error *err)
{
	const char *name, *dir = NULL, *comp, *end = spec + len;
	size_t i, plen, nlen;
	int n;

	if (!len)
		return swauth_error_set(err, -EINVAL, "empty file name");
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)spec[i];

		if (c == '\0')
			return swauth_error_set(err, -EINVAL, "the file name contains a NUL byte");
		if (c < 0x20 || c == 0x7f)
			return swauth_error_set(err, -EINVAL,
						"the file name contains a control character (0x%02x)",
						c);
	}
	plen = prefix_len(spec, len);
	if (!plen) {
		if (len >= path_len)
			return swauth_error_set(err, -ENAMETOOLONG, "the file name is too long");
		memcpy(path, spec, len);
		path[len] = '\0';
		return 0;
	}
	for (i = 0; i < N_FS; i++)
		if (strlen(file_systems[i].prefix) == plen &&
		    !memcmp(spec, file_systems[i].prefix, plen))
			dir = fs_dir(cfg, i);
	if (!dir)
		return swauth_error_set(err, -ENOENT,
					"unknown file system '%.*s' (known: " SWAUTH_STORAGE_KNOWN ")",
					(int)plen, spec);
	name = spec + plen;
	while (name < end && *name == '/')
		name++;
	nlen = (size_t)(end - name);
	if (!nlen)
		return swauth_error_set(err, -EINVAL, "'%.*s': no file name after '%.*s'",
					(int)len, spec, (int)plen, spec);
	if (end[-1] == '/')
		return swauth_error_set(err, -EINVAL, "'%.*s' names a directory, not a file",
					(int)len, spec);
	for (comp = name; comp < end;) {
		const char *slash = memchr(comp, '/', (size_t)(end - comp));
		size_t clen = slash ? (size_t)(slash - comp) : (size_t)(end - comp);

		if (clen == 2 && comp[0] == '.' && comp[1] == '.')
			return swauth_error_set(err, -EINVAL,
						"'%.*s': '..' may not leave the file system",
						(int)len, spec);
		comp += clen + (slash ? 1 : 0);
	}
	n = snprintf(path, path_len, "%s/%.*s", dir, (int)nlen, name);
	if (n < 0 || (size_t)n >= path_len)
		return swauth_error_set(err, -ENAMETOOLONG, "'%.*s': the file name is too long",
					(int)len, spec);
	return 0;
}

/* swauth_storage_resolve() - swauth_storage_resolve_n() of a C string */
int swauth_storage_resolve(const struct swauth_config *cfg, const char *spec, char *path,
			   size_t path_len, struct swauth_error *err)
{
	return swauth_storage_resolve_n(cfg, spec, strlen(spec), path, path_len, err);
}

/* The length of the file system directory that holds @path, 0 when none; @fs its index. */
static size_t fs_holding(const struct swauth_config *cfg, const char *path, size_t *fs)
{
	size_t i, dlen;

	for (i = 0; i < N_FS; i++) {
		const char *dir = fs_dir(cfg, i);

		dlen = strlen(dir);
		while (dlen > 1 && dir[dlen - 1] == '/')
			dlen--;
		if (!strncmp(path, dir, dlen) && path[dlen] == '/' && path[dlen + 1]) {
			*fs = i;
			return dlen;
		}
	}
	return 0;
}

/**
 * swauth_storage_display() - how to show a file path to an operator
 * @cfg: the configuration, or NULL for the defaults
 * @path: a file path
 * @buf: receives "flash:NAME" when @path lies in a file system's directory,
 *       else @path itself (truncated to @len)
 * @len: size of @buf
 */
void swauth_storage_display(const struct swauth_config *cfg, const char *path, char *buf,
			    size_t len)
{
	size_t fs, dlen = fs_holding(cfg, path, &fs);

	if (dlen)
		snprintf(buf, len, "%s%s", file_systems[fs].prefix, path + dlen + 1);
	else
		snprintf(buf, len, "%s", path);
}

/**
 * swauth_storage_open() - open a file to read, confined to its file system
 * @cfg: the configuration, or NULL for the defaults
 * @path: a path from swauth_storage_resolve()
 * @flags: open(2) flags beyond O_RDONLY|O_NOCTTY|O_CLOEXEC
 * @err: filled on failure
 *
 * A file in a file system's directory (flash:sub/x) is opened beneath it,
 * through no symbolic link (swauth_dir_open_beneath(), then O_NOFOLLOW):
 * a link in flash: does not make another file readable as flash:NAME. A
 * plain path is opened as it is.
 *
 * Return: the fd, or -errno (-ELOOP for a symbolic link).
 */
int swauth_storage_open(const struct swauth_config *cfg, const char *path, int flags,
			struct swauth_error *err)
{
	char show[PATH_MAX + 16], rel[PATH_MAX] = ".";
	size_t fs, dlen = fs_holding(cfg, path, &fs);
	const char *name, *slash;
	int root, dir, fd;

	flags |= O_RDONLY | O_NOCTTY | O_CLOEXEC;
	if (!dlen) {
		fd = open(path, flags);
		return fd < 0 ? swauth_error_set(err, -errno, "%s: %s", path, strerror(errno)) : fd;
	}
	swauth_storage_display(cfg, path, show, sizeof(show));
	name = path + dlen + 1;
	slash = strrchr(name, '/');
	if (slash) {
		snprintf(rel, sizeof(rel), "%.*s", (int)(slash - name), name);
		name = slash + 1;
	}
	root = swauth_dir_open_trusted(fs_dir(cfg, fs), err);
	if (root < 0)
		return root;
	dir = swauth_dir_open_beneath(root, rel, show, err);
	close(root);
	if (dir < 0)
		return dir;
	fd = openat(dir, name, flags | O_NOFOLLOW);
	if (fd < 0 && errno == ELOOP)
		fd = swauth_error_set(err, -ELOOP,
				      "%s: a symbolic link (refused: the files of a file system stay in its directory)",
				      show);
	else if (fd < 0)
		fd = swauth_error_set(err, -errno, "%s: %s", show, strerror(errno));
	close(dir);
	return fd;
}

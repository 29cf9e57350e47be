// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Changing one setting of swauth.conf (`swauth boot system`): the file is
 * read, the one line of the keyword replaced (its trailing comment kept),
 * appended, or removed, every other line and comment kept byte for byte;
 * the new text must parse before it is written. It is written to a
 * temporary file in the same directory, fsynced, renamed over the old one
 * and the directory fsynced: a reader sees the old file or the new one,
 * never a mix, and a crash loses at most the change (lib/fs.h: safewrite). A
 * symbolic link to the file that the caller or root owns stays one: its
 * target is replaced; anyone else's link is replaced, not written through. A missing file is created
 * (0644); an existing file keeps its mode. For root, swauth.conf's missing
 * directory is created too (0755), so that a fresh install needs no mkdir.
 */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/config.h"
#include "lib/fs.h"

enum { EDIT_MAX_SIZE = 64 * 1024 };

/* The whole file in a malloc()ed NUL-terminated buffer; "" when missing. */
static int read_text(const char *path, char **text, struct swauth_error *err)
{
	size_t n;
	FILE *f;

	*text = malloc(EDIT_MAX_SIZE + 1);
	if (!*text)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	f = fopen(path, "re");
	if (!f && errno == ENOENT) {
		(*text)[0] = '\0';
		return 0;
	}
	if (!f)
		return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	n = fread(*text, 1, EDIT_MAX_SIZE + 1, f);
	if (ferror(f)) {
		fclose(f);
		return swauth_error_set(err, -EIO, "%s: read error", path);
	}
	fclose(f);
	if (n > EDIT_MAX_SIZE)
		return swauth_error_set(err, -EFBIG, "%s: larger than %d bytes", path,
					EDIT_MAX_SIZE);
	if (memchr(*text, '\0', n))
		return swauth_error_set(err, -EINVAL, "%s: contains a NUL byte", path);
	(*text)[n] = '\0';
	return 0;
}

/* Whether the line [p, p+len) sets @keyword (first word, before any '#'). */
static bool line_sets(const char *p, size_t len, const char *keyword)
{
	size_t k = strlen(keyword);

	while (len && (*p == ' ' || *p == '\t')) {
		p++;
		len--;
	}
	return len >= k && !memcmp(p, keyword, k) &&
	       (len == k || p[k] == ' ' || p[k] == '\t' || p[k] == '\r' || p[k] == '#');
}

/* The new text: @old with @keyword's line set to @value, or removed when NULL. */
static char *edit_text(const char *old, const char *keyword, const char *value)
{
	size_t cap = strlen(old) + strlen(keyword) + (value ? strlen(value) : 0) + 8, off = 0;
	char *out = malloc(cap);
	const char *p = old, *nl;
	bool done = false;

	if (!out)
		return NULL;
	while (*p) {
		size_t len, full;

		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		full = len + (nl ? 1 : 0);
		if (!line_sets(p, len, keyword)) {
			memcpy(out + off, p, full);
			off += full;
		} else if (value && !done) {
			/* "keyword value", then the old line's comment and end. */
			const char *tail = memchr(p, '#', len);
			size_t tlen;

			off += (size_t)sprintf(out + off, "%s %s", keyword, value);
			if (tail) {
				/* Fits: the tail is part of the line not copied. */
				tlen = (size_t)(p + len - tail);
				out[off++] = ' ';
				memcpy(out + off, tail, tlen);
				off += tlen;
			} else if (len && p[len - 1] == '\r') {
				out[off++] = '\r';
			}
			if (nl)
				out[off++] = '\n';
			done = true;
		}
		p += full;
	}
	if (value && !done) {
		if (off && out[off - 1] != '\n')
			out[off++] = '\n';
		off += (size_t)sprintf(out + off, "%s %s\n", keyword, value);
	}
	out[off] = '\0';
	return out;
}

/**
 * swauth_file_replace() - replace a small text file atomically
 * @path: the file; a symbolic link there that the caller or root owns is
 *	followed and stays, any other link is replaced (lib/fs.h: safewrite)
 * @text: its new contents, NUL-terminated
 * @err: filled on failure
 *
 * An existing file keeps its mode (and owner, where we may); a new one is
 * 0644. On failure @path is as it was and no temporary file is left.
 *
 * Return: 0 or -errno.
 */
int swauth_file_replace(const char *path, const char *text, struct swauth_error *err)
{
	return swauth_safewrite_path(path, text, strlen(text), 0644,
				     SWAUTH_SAFEWRITE_FOLLOW_OWN | SWAUTH_SAFEWRITE_KEEP_MODE, err);
}

/**
 * swauth_conf_set() - set or remove one keyword of a keyword file
 * @s: its keywords
 * @path: the file; created when missing
 * @keyword: e.g. "boot-image"
 * @value: its new value (one word, no '#'), or NULL to remove the line
 * @err: filled on failure
 *
 * The file must parse before and after the change; on any failure it is
 * left as it was. A credentials file (a schema with a secret keyword) is
 * written by root only, and always with mode 0600, whatever mode it had.
 *
 * Return: 0, -EINVAL (a syntax error, or a @value the file cannot hold),
 * -EPERM (credentials by another user than root), or -errno.
 */
int swauth_conf_set(const struct swauth_conf_schema *s, const char *path, const char *keyword,
		    const char *value, struct swauth_error *err)
{
	char *old = NULL, *text = NULL;
	void *cfg;
	const char *base = strrchr(path, '/');
	bool secret = swauth_conf_has_secret(s);
	int ret;

	base = base ? base + 1 : path;
	if (!swauth_conf_find(s, keyword))
		return swauth_error_set(err, -EINVAL, "unknown setting '%s'", keyword);
	if (value && (!value[0] || strpbrk(value, " \t\r\n#")))
		return swauth_error_set(err, -EINVAL,
					"'%s' cannot be written to %s: a value may not be empty or contain a blank or '#'",
					secret ? "the value" : value, base);
	if (secret && geteuid() != 0)
		return swauth_error_set(err, -EPERM,
					"%s holds a password: only root writes it (it is kept root's, mode 0600)",
					path);
	cfg = calloc(1, s->size);
	if (!cfg)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	ret = read_text(path, &old, err);
	if (ret) {
		free(old);
		free(cfg);
		return ret;
	}
	ret = swauth_conf_parse(s, old, base, cfg, err);
	if (!ret) {
		text = edit_text(old, keyword, value);
		if (!text)
			ret = swauth_error_set(err, -ENOMEM, "out of memory");
	}
	memset(old, 0, strlen(old));
	free(old);
	if (!ret)
		ret = swauth_conf_parse(s, text, base, cfg, err);
	memset(cfg, 0, s->size);
	free(cfg);
	if (!text)
		return ret;
	if (!ret && secret)
		/* A new file each time: root's (we are root), 0600. */
		ret = swauth_safewrite_path(path, text, strlen(text), 0600,
					    SWAUTH_SAFEWRITE_FOLLOW_OWN, err);
	else if (!ret)
		ret = swauth_file_replace(path, text, err);
	memset(text, 0, strlen(text));
	free(text);
	return ret;
}

/*
 * swauth_config_set() - swauth_conf_set() of swauth.conf; as root, its
 * directory (/etc/swauth) is created first when missing, root's, 0755
 */
int swauth_config_set(const char *path, const char *keyword, const char *value,
		      struct swauth_error *err)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];
	int ret;

	/* "/etc/swauth//swauth.conf" is in /etc/swauth, not in "/etc/swauth/" */
	while (slash && slash > path && slash[-1] == '/')
		slash--;
	if (geteuid() == 0 && slash && slash != path) {
		if ((size_t)(slash - path) >= sizeof(dir))
			return swauth_error_set(err, -ENAMETOOLONG, "%s: name too long", path);
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
		ret = swauth_dir_create(dir, 0755, err);
		if (ret)
			return ret;
	}
	return swauth_conf_set(&swauth_config_schema, path, keyword, value, err);
}

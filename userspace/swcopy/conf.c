// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * /etc/swauth/swcopy.conf (or $SWCOPY_CONFIG): the seeds' `ip ftp
 * username`, `ip ftp password` and `file prompt`, and transfer defaults.
 * "keyword value" lines, '#' comments; every keyword once; anything else
 * is an error naming the line. The file holds a password: it is written
 * with mode 0600 and never printed.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/config.h"
#include "lib/xfer.h"
#include "swcopy/conf.h"

enum kind { K_WORD, K_PROMPT, K_UINT };

static const struct keyword {
	const char *name;
	enum kind kind;
	unsigned long min, max;
} keywords[] = {
	{ "ftp-username", K_WORD, 0, 0 },
	{ "ftp-password", K_WORD, 0, 0 },
	{ "file-prompt", K_PROMPT, 0, 0 },
	{ "tftp-blksize", K_UINT, 8, 65464 },
	{ "tftp-windowsize", K_UINT, 1, TFTP_WINDOW_MAX },
	{ "timeout", K_UINT, 100, 600000 },
	{ "retries", K_UINT, 1, 100 },
};

enum { NKEYWORDS = sizeof(keywords) / sizeof(keywords[0]) };

static const char *const prompts[] = { "alert", "noisy", "quiet" };

/**
 * swcopy_conf_path() - $SWCOPY_CONFIG, or the default
 *
 * Return: the path.
 */
const char *swcopy_conf_path(void)
{
	const char *env = getenv("SWCOPY_CONFIG");

	return env && env[0] ? env : SWCOPY_CONF_PATH;
}

static const struct keyword *find(const char *name)
{
	size_t i;

	for (i = 0; i < NKEYWORDS; i++)
		if (!strcmp(name, keywords[i].name))
			return &keywords[i];
	return NULL;
}

/* Checks @val for @k and stores it in @c. */
static int set(struct swcopy_conf *c, const struct keyword *k, const char *val,
	       const char *where, struct swauth_error *err)
{
	unsigned long v;
	char *end;
	size_t i;

	switch (k->kind) {
	case K_WORD:
		if (strlen(val) >= SWCOPY_WORD_MAX)
			return swauth_error_set(err, -EINVAL, "%s'%s' is too long", where, k->name);
		strcpy(k->name[4] == 'u' ? c->ftp_username : c->ftp_password, val);
		return 0;
	case K_PROMPT:
		for (i = 0; i < 3; i++)
			if (!strcmp(val, prompts[i])) {
				c->file_prompt = (enum swcopy_prompt)i;
				return 0;
			}
		return swauth_error_set(err, -EINVAL,
					"%s'file-prompt' is alert, noisy or quiet, not '%s'", where,
					val);
	default:
		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno || end == val || *end || val[0] == '-' || v < k->min || v > k->max)
			return swauth_error_set(err, -EINVAL,
						"%s'%s' takes a number from %lu to %lu, not '%s'",
						where, k->name, k->min, k->max, val);
		if (!strcmp(k->name, "tftp-blksize"))
			c->tftp_blksize = (unsigned int)v;
		else if (!strcmp(k->name, "tftp-windowsize"))
			c->tftp_windowsize = (unsigned int)v;
		else if (!strcmp(k->name, "timeout"))
			c->timeout_ms = (unsigned int)v;
		else
			c->retries = (unsigned int)v;
		return 0;
	}
}

/**
 * swcopy_conf_parse() - parse the text of swcopy.conf
 * @text: NUL-terminated
 * @name: the file's name, for messages
 * @c: receives the settings; defaults first
 * @err: filled on failure: "NAME:LINE: ..."
 *
 * Return: 0 or -EINVAL.
 */
int swcopy_conf_parse(const char *text, const char *name, struct swcopy_conf *c,
		      struct swauth_error *err)
{
	bool seen[NKEYWORDS] = { false };
	char line[512], where[300], *kw, *val, *extra, *save, *hash;
	unsigned int lineno = 0;
	const struct keyword *k;
	const char *p = text;
	size_t len;
	int ret;

	memset(c, 0, sizeof(*c));
	while (*p) {
		lineno++;
		len = strcspn(p, "\n");
		if (len >= sizeof(line))
			return swauth_error_set(err, -EINVAL, "%s:%u: line too long", name, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (p[len] ? 1 : 0);
		hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		save = NULL;
		kw = strtok_r(line, " \t\r", &save);
		if (!kw)
			continue;
		val = strtok_r(NULL, " \t\r", &save);
		extra = strtok_r(NULL, " \t\r", &save);
		k = find(kw);
		if (!k)
			return swauth_error_set(err, -EINVAL, "%s:%u: unknown keyword '%s'", name,
						lineno, kw);
		if (seen[k - keywords])
			return swauth_error_set(err, -EINVAL, "%s:%u: '%s' is given twice", name,
						lineno, kw);
		seen[k - keywords] = true;
		if (!val || extra)
			return swauth_error_set(err, -EINVAL, "%s:%u: '%s' takes one value", name,
						lineno, kw);
		snprintf(where, sizeof(where), "%s:%u: ", name, lineno);
		ret = set(c, k, val, where, err);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * swcopy_conf_load() - read swcopy.conf; a missing file sets nothing
 * @path: the file
 * @c: receives the settings
 * @err: filled on failure
 *
 * Return: 0, -EINVAL, or -errno of reading.
 */
int swcopy_conf_load(const char *path, struct swcopy_conf *c, struct swauth_error *err)
{
	char text[16384];
	const char *base = strrchr(path, '/');
	size_t n;
	FILE *f;

	memset(c, 0, sizeof(*c));
	f = fopen(path, "re");
	if (!f && errno == ENOENT)
		return 0;
	if (!f)
		return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	n = fread(text, 1, sizeof(text) - 1, f);
	if (ferror(f) || n == sizeof(text) - 1) {
		fclose(f);
		return swauth_error_set(err, -EINVAL, "%s: unreadable or too large", path);
	}
	fclose(f);
	text[n] = '\0';
	if (memchr(text, '\0', n))
		return swauth_error_set(err, -EINVAL, "%s: contains a NUL byte", path);
	return swcopy_conf_parse(text, base ? base + 1 : path, c, err);
}

/**
 * swcopy_conf_set() - set (or, with @value NULL, remove) one keyword
 * @path: the file; created with mode 0600 when missing
 * @keyword: e.g. "ftp-username"
 * @value: the new value
 * @err: filled on failure
 *
 * The file must parse before and after; it is replaced atomically and
 * keeps mode 0600, since it may hold a password.
 *
 * Return: 0, -EINVAL, or -errno.
 */
int swcopy_conf_set(const char *path, const char *keyword, const char *value,
		    struct swauth_error *err)
{
	char old[16384] = "", text[16384 + 600], line[512], first[64], *p, *nl;
	struct swcopy_conf c;
	const struct keyword *k = find(keyword);
	size_t used = 0, n;
	FILE *f;
	int fd, ret;

	if (!k)
		return swauth_error_set(err, -EINVAL, "unknown setting '%s'", keyword);
	if (value && (!value[0] || strpbrk(value, " \t\r\n#")))
		return swauth_error_set(err, -EINVAL,
					"'%s' may not be empty or hold a blank or '#'", keyword);
	if (value) {
		ret = set(&c, k, value, "", err);
		if (ret)
			return ret;
	}
	ret = swcopy_conf_load(path, &c, err);
	if (ret)
		return ret;
	f = fopen(path, "re");
	if (f) {
		n = fread(old, 1, sizeof(old) - 1, f);
		old[n] = '\0';
		fclose(f);
	}
	for (p = old; *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (sscanf(line, "%63s", first) == 1 && !strcmp(first, keyword))
			continue;
		used += (size_t)snprintf(text + used, sizeof(text) - used, "%s\n", line);
	}
	if (value)
		snprintf(text + used, sizeof(text) - used, "%s %s\n", keyword, value);
	/* A new file is made 0600 first: the replacement keeps that mode. */
	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	close(fd);
	return swauth_file_replace(path, text, err);
}

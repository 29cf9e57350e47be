// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * A strict parser of swauth.conf: an unknown keyword, a missing or extra
 * value, a keyword given twice or a relative path is an error naming the
 * file and line ("swauth.conf:3: unknown keyword 'bot-image'"), so that a
 * typo never silently leaves a check without its image.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config.h"

enum { CONFIG_MAX_SIZE = 64 * 1024 };

/**
 * swauth_config_path() - where the configuration is read from
 *
 * Return: $SWAUTH_CONFIG when set and not empty, else SWAUTH_CONFIG_PATH.
 */
const char *swauth_config_path(void)
{
	const char *env = getenv(SWAUTH_CONFIG_ENV);

	return env && env[0] ? env : SWAUTH_CONFIG_PATH;
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int parse_line(char *line, const char *name, unsigned int lineno,
		      struct swauth_config *cfg, struct swauth_error *err)
{
	static const char ws[] = " \t\r";
	char *hash = strchr(line, '#'), *kw, *val, *extra, *save = NULL, *field;

	if (hash)
		*hash = '\0';
	kw = strtok_r(line, ws, &save);
	if (!kw)
		return 0;
	val = strtok_r(NULL, ws, &save);
	extra = strtok_r(NULL, ws, &save);
	if (!strcmp(kw, "boot-image"))
		field = cfg->boot_image;
	else if (!strcmp(kw, "bootloader-image"))
		field = cfg->bootloader_image;
	else if (!strcmp(kw, "flash-dir"))
		field = cfg->flash_dir;
	else if (!strcmp(kw, "usbflash0-dir"))
		field = cfg->usbflash0_dir;
	else if (!strcmp(kw, "nvram-dir"))
		field = cfg->nvram_dir;
	else
		return swauth_error_set(err, -EINVAL, "%s:%u: unknown keyword '%s'", name, lineno,
					kw);
	if (!val)
		return swauth_error_set(err, -EINVAL, "%s:%u: '%s' needs a PATH", name, lineno, kw);
	if (extra)
		return swauth_error_set(err, -EINVAL,
					"%s:%u: '%s' takes one PATH, found also '%s'", name,
					lineno, kw, extra);
	if (val[0] != '/')
		return swauth_error_set(err, -EINVAL,
					"%s:%u: '%s' needs an absolute path, not '%s'", name,
					lineno, kw, val);
	if (field[0])
		return swauth_error_set(err, -EINVAL, "%s:%u: '%s' is given twice", name, lineno,
					kw);
	if (strlen(val) >= PATH_MAX)
		return swauth_error_set(err, -ENAMETOOLONG, "%s:%u: the path of '%s' is too long",
					name, lineno, kw);
	strcpy(field, val);
	return 0;
}

/**
 * swauth_config_parse() - parse the text of a configuration file
 * @text: the file's contents, NUL-terminated
 * @name: the file's name for messages
 * @cfg: receives the settings; cleared first
 * @err: filled on failure, "NAME:LINE: ..."
 *
 * Return: 0 or -EINVAL (-ENAMETOOLONG for a path of PATH_MAX or more).
 */
int swauth_config_parse(const char *text, const char *name, struct swauth_config *cfg,
			struct swauth_error *err)
{
	char line[PATH_MAX + 64];
	unsigned int lineno = 0;
	const char *p = text, *nl;
	size_t len;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	while (*p) {
		lineno++;
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line))
			return swauth_error_set(err, -EINVAL, "%s:%u: line too long", name, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		ret = parse_line(line, name, lineno, cfg, err);
		if (ret)
			return ret;
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

/**
 * swauth_config_load() - read and parse a configuration file
 * @path: the file, usually swauth_config_path()
 * @cfg: receives the settings; cleared first
 * @err: filled on failure
 *
 * A missing file is no error: nothing is configured.
 *
 * Return: 0, -EINVAL for a syntax error, -EFBIG for a file over 64 KiB, or
 * -errno of reading it.
 */
int swauth_config_load(const char *path, struct swauth_config *cfg, struct swauth_error *err)
{
	char *text;
	size_t n;
	FILE *f;
	int ret;

	memset(cfg, 0, sizeof(*cfg));
	f = fopen(path, "re");
	if (!f && errno == ENOENT)
		return 0;
	if (!f)
		return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	text = malloc(CONFIG_MAX_SIZE + 1);
	if (!text) {
		fclose(f);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	n = fread(text, 1, CONFIG_MAX_SIZE + 1, f);
	if (ferror(f))
		ret = swauth_error_set(err, -EIO, "%s: read error", path);
	else if (n > CONFIG_MAX_SIZE)
		ret = swauth_error_set(err, -EFBIG, "%s: larger than %d bytes", path,
				       CONFIG_MAX_SIZE);
	else if (memchr(text, '\0', n))
		ret = swauth_error_set(err, -EINVAL, "%s: contains a NUL byte", path);
	else
		ret = 0;
	fclose(f);
	if (!ret) {
		text[n] = '\0';
		ret = swauth_config_parse(text, basename_of(path), cfg, err);
	}
	free(text);
	return ret;
}

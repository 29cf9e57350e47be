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
#include <stdbool.h>
#include <stddef.h>
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

enum value_kind { V_PATH, V_DIGEST, V_WORD };

static const char *const value_names[] = { "PATH", "DIGEST", "NAME" };

/* The keywords, where each goes, and what its value is. */
static const struct keyword {
	const char *name;
	size_t offset, size;
	enum value_kind kind;
} keywords[] = {
#define PATH_KW(kw, field) { kw, offsetof(struct swauth_config, field), \
			     sizeof(((struct swauth_config *)0)->field), V_PATH }
	PATH_KW("boot-image", boot_image),
	PATH_KW("bootloader-image", bootloader_image),
	PATH_KW("flash-dir", flash_dir),
	PATH_KW("flash0-dir", flash0_dir),
	PATH_KW("flash1-dir", flash1_dir),
	PATH_KW("usbflash0-dir", usbflash0_dir),
	PATH_KW("usbflash1-dir", usbflash1_dir),
	PATH_KW("nvram-dir", nvram_dir),
	PATH_KW("boot-dir", boot_dir),
	PATH_KW("state-dir", state_dir),
	PATH_KW("run-dir", run_dir),
#undef PATH_KW
	{ "boot-image-digest", offsetof(struct swauth_config, boot_image_digest),
	  sizeof(((struct swauth_config *)0)->boot_image_digest), V_DIGEST },
	{ "bootloader-image-digest", offsetof(struct swauth_config, bootloader_image_digest),
	  sizeof(((struct swauth_config *)0)->bootloader_image_digest), V_DIGEST },
	{ "bootloader-image-key", offsetof(struct swauth_config, bootloader_image_key),
	  sizeof(((struct swauth_config *)0)->bootloader_image_key), V_WORD },
	{ "platform", offsetof(struct swauth_config, platform),
	  sizeof(((struct swauth_config *)0)->platform), V_WORD },
};

/* A platform name: letters, digits, '.', '_' and '-'. */
static bool is_word(const char *s)
{
	return !s[strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")];
}

static bool is_digest(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return !s[n] && (n == 64 || n == 96 || n == 128);
}

static int parse_line(char *line, const char *name, unsigned int lineno,
		      struct swauth_config *cfg, struct swauth_error *err)
{
	static const char ws[] = " \t\r";
	char *hash = strchr(line, '#'), *kw, *val, *extra, *save = NULL, *field;
	const struct keyword *k = NULL;
	size_t i;

	if (hash)
		*hash = '\0';
	kw = strtok_r(line, ws, &save);
	if (!kw)
		return 0;
	val = strtok_r(NULL, ws, &save);
	extra = strtok_r(NULL, ws, &save);
	for (i = 0; i < sizeof(keywords) / sizeof(keywords[0]) && !k; i++)
		if (!strcmp(kw, keywords[i].name))
			k = &keywords[i];
	if (!k)
		return swauth_error_set(err, -EINVAL, "%s:%u: unknown keyword '%s'", name, lineno,
					kw);
	field = (char *)cfg + k->offset;
	if (!val)
		return swauth_error_set(err, -EINVAL, "%s:%u: '%s' needs a %s", name, lineno, kw,
					value_names[k->kind]);
	if (extra)
		return swauth_error_set(err, -EINVAL,
					"%s:%u: '%s' takes one %s, found also '%s'", name,
					lineno, kw, value_names[k->kind], extra);
	if (k->kind == V_DIGEST && !is_digest(val))
		return swauth_error_set(err, -EINVAL,
					"%s:%u: '%s' needs 64, 96 or 128 lower-case hex digits, not '%s'",
					name, lineno, kw, val);
	if (k->kind == V_WORD && !is_word(val))
		return swauth_error_set(err, -EINVAL,
					"%s:%u: '%s' takes letters, digits, '.', '_' and '-', not '%s'",
					name, lineno, kw, val);
	if (k->kind == V_PATH && val[0] != '/')
		return swauth_error_set(err, -EINVAL,
					"%s:%u: '%s' needs an absolute path, not '%s'", name,
					lineno, kw, val);
	if (field[0])
		return swauth_error_set(err, -EINVAL, "%s:%u: '%s' is given twice", name, lineno,
					kw);
	if (strlen(val) >= k->size)
		return swauth_error_set(err, -ENAMETOOLONG, "%s:%u: the %s of '%s' is too long",
					name, lineno, k->kind == V_PATH ? "path" : "value", kw);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The one parser of the tools' keyword files, swauth.conf and swcopy.conf
 * (each a struct swauth_conf_schema): an unknown keyword, a missing or
 * extra value, a keyword given twice or a malformed value is an error
 * naming the file and line ("swauth.conf:3: unknown keyword 'bot-image'"),
 * so that a typo never silently leaves a check without its image. A file
 * that holds a password is read only when nobody else may read it.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

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

static const char *const value_names[] = {
	[SWAUTH_CONF_PATH] = "PATH", [SWAUTH_CONF_DIGEST] = "DIGEST",
	[SWAUTH_CONF_WORD] = "NAME", [SWAUTH_CONF_TEXT] = "VALUE",
	[SWAUTH_CONF_SECRET] = "VALUE", [SWAUTH_CONF_UINT] = "NUMBER",
	[SWAUTH_CONF_CHOICE] = "VALUE",
};

/* The keywords of swauth.conf, where each goes, and what its value is. */
#define KW(kw, field, kind) { kw, offsetof(struct swauth_config, field), \
			      sizeof(((struct swauth_config *)0)->field), kind, 0, 0, NULL, NULL }
static const struct swauth_conf_key swauth_keys[] = {
	KW("boot-image", boot_image, SWAUTH_CONF_PATH),
	KW("bootloader-image", bootloader_image, SWAUTH_CONF_PATH),
	KW("flash-dir", flash_dir, SWAUTH_CONF_PATH),
	KW("flash0-dir", flash0_dir, SWAUTH_CONF_PATH),
	KW("flash1-dir", flash1_dir, SWAUTH_CONF_PATH),
	KW("usbflash0-dir", usbflash0_dir, SWAUTH_CONF_PATH),
	KW("usbflash1-dir", usbflash1_dir, SWAUTH_CONF_PATH),
	KW("nvram-dir", nvram_dir, SWAUTH_CONF_PATH),
	KW("boot-dir", boot_dir, SWAUTH_CONF_PATH),
	KW("state-dir", state_dir, SWAUTH_CONF_PATH),
	KW("run-dir", run_dir, SWAUTH_CONF_PATH),
	KW("boot-image-digest", boot_image_digest, SWAUTH_CONF_DIGEST),
	KW("bootloader-image-digest", bootloader_image_digest, SWAUTH_CONF_DIGEST),
	KW("bootloader-image-key", bootloader_image_key, SWAUTH_CONF_WORD),
	KW("platform", platform, SWAUTH_CONF_WORD),
};
#undef KW

const struct swauth_conf_schema swauth_config_schema = {
	.keys = swauth_keys,
	.n_keys = sizeof(swauth_keys) / sizeof(swauth_keys[0]),
	.size = sizeof(struct swauth_config),
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

/**
 * swauth_conf_find() - a keyword of a schema
 * @s: the schema
 * @name: the keyword
 *
 * Return: the key, or NULL when @s has no such keyword.
 */
const struct swauth_conf_key *swauth_conf_find(const struct swauth_conf_schema *s,
					       const char *name)
{
	size_t i;

	for (i = 0; i < s->n_keys; i++)
		if (!strcmp(name, s->keys[i].name))
			return &s->keys[i];
	return NULL;
}

/**
 * swauth_conf_value() - check one value and store it
 * @k: its keyword
 * @val: the value, one word
 * @where: "NAME:LINE: " or "" for messages
 * @out: the settings
 * @err: filled on failure
 *
 * Return: 0, -EINVAL, or -ENAMETOOLONG for a path too long for its field.
 */
int swauth_conf_value(const struct swauth_conf_key *k, const char *val, const char *where,
		      void *out, struct swauth_error *err)
{
	char *field = (char *)out + k->offset;
	unsigned long v;
	char *end;
	size_t i;

	switch (k->kind) {
	case SWAUTH_CONF_DIGEST:
		if (!is_digest(val))
			return swauth_error_set(err, -EINVAL,
						"%s'%s' needs 64, 96 or 128 lower-case hex digits, not '%s'",
						where, k->name, val);
		break;
	case SWAUTH_CONF_WORD:
		if (!is_word(val))
			return swauth_error_set(err, -EINVAL,
						"%s'%s' takes letters, digits, '.', '_' and '-', not '%s'",
						where, k->name, val);
		break;
	case SWAUTH_CONF_PATH:
		if (val[0] != '/')
			return swauth_error_set(err, -EINVAL,
						"%s'%s' needs an absolute path, not '%s'", where,
						k->name, val);
		break;
	case SWAUTH_CONF_UINT:
		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno || end == val || *end || val[0] == '-' || v < k->min || v > k->max)
			return swauth_error_set(err, -EINVAL,
						"%s'%s' takes a number from %lu to %lu, not '%s'",
						where, k->name, k->min, k->max, val);
		*(unsigned int *)(void *)field = (unsigned int)v;
		return 0;
	case SWAUTH_CONF_CHOICE:
		for (i = 0; k->choices[i]; i++)
			if (!strcmp(val, k->choices[i])) {
				*(unsigned int *)(void *)field = (unsigned int)i;
				return 0;
			}
		return swauth_error_set(err, -EINVAL, "%s'%s' is %s, not '%s'", where,
					k->name, k->choice_list, val);
	default:
		break;
	}
	if (strlen(val) >= k->size)
		return swauth_error_set(err, k->kind == SWAUTH_CONF_PATH ? -ENAMETOOLONG : -EINVAL,
					"%sthe %s of '%s' is too long", where,
					k->kind == SWAUTH_CONF_PATH ? "path" : "value", k->name);
	strcpy(field, val);
	return 0;
}

static int parse_line(const struct swauth_conf_schema *s, char *line, const char *name,
		      unsigned int lineno, void *out, bool *seen, struct swauth_error *err)
{
	static const char ws[] = " \t\r";
	char *hash = strchr(line, '#'), *kw, *val, *extra, *save = NULL, where[300];
	const struct swauth_conf_key *k;

	if (hash)
		*hash = '\0';
	kw = strtok_r(line, ws, &save);
	if (!kw)
		return 0;
	val = strtok_r(NULL, ws, &save);
	extra = strtok_r(NULL, ws, &save);
	k = swauth_conf_find(s, kw);
	if (!k)
		return swauth_error_set(err, -EINVAL, "%s:%u: unknown keyword '%s'", name, lineno,
					kw);
	if (!val)
		return swauth_error_set(err, -EINVAL, "%s:%u: '%s' needs a %s", name, lineno, kw,
					value_names[k->kind]);
	if (extra)
		return swauth_error_set(err, -EINVAL,
					"%s:%u: '%s' takes one %s, found also '%s'", name,
					lineno, kw, value_names[k->kind], extra);
	if (seen[k - s->keys])
		return swauth_error_set(err, -EINVAL, "%s:%u: '%s' is given twice", name, lineno,
					kw);
	seen[k - s->keys] = true;
	snprintf(where, sizeof(where), "%s:%u: ", name, lineno);
	return swauth_conf_value(k, val, where, out, err);
}

/**
 * swauth_conf_parse() - parse the text of a keyword file
 * @s: its keywords
 * @text: the file's contents, NUL-terminated
 * @name: the file's name for messages
 * @out: receives the settings (@s->size bytes); cleared first
 * @err: filled on failure, "NAME:LINE: ..."
 *
 * Lines are "keyword value"; '#' starts a comment; blank lines are
 * ignored; an unknown keyword, a missing or extra value, a keyword given
 * twice or a malformed value is an error naming the file and line.
 *
 * Return: 0 or -EINVAL (-ENAMETOOLONG for a path too long for its field).
 */
int swauth_conf_parse(const struct swauth_conf_schema *s, const char *text, const char *name,
		      void *out, struct swauth_error *err)
{
	bool seen[SWAUTH_CONF_MAX_KEYS] = { false };
	char line[PATH_MAX + 64];
	unsigned int lineno = 0;
	const char *p = text, *nl;
	size_t len;
	int ret;

	memset(out, 0, s->size);
	while (*p) {
		lineno++;
		nl = strchr(p, '\n');
		len = nl ? (size_t)(nl - p) : strlen(p);
		if (len >= sizeof(line))
			return swauth_error_set(err, -EINVAL, "%s:%u: line too long", name, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		ret = parse_line(s, line, name, lineno, out, seen, err);
		if (ret)
			return ret;
		p += len + (nl ? 1 : 0);
	}
	return 0;
}

/**
 * swauth_conf_has_secret() - whether @s has a secret keyword
 * @s: the keywords of a file
 *
 * Return: true when its file is a credentials file.
 */
bool swauth_conf_has_secret(const struct swauth_conf_schema *s)
{
	size_t i;

	for (i = 0; i < s->n_keys; i++)
		if (s->keys[i].kind == SWAUTH_CONF_SECRET)
			return true;
	return false;
}

/* Whether the settings hold a secret (a SWAUTH_CONF_SECRET value). */
static bool holds_secret(const struct swauth_conf_schema *s, const void *out)
{
	size_t i;

	for (i = 0; i < s->n_keys; i++)
		if (s->keys[i].kind == SWAUTH_CONF_SECRET &&
		    ((const char *)out)[s->keys[i].offset])
			return true;
	return false;
}

/**
 * swauth_secret_file_check() - may a file that holds a secret be read?
 * @path: for messages
 * @fd: the file, open
 * @err: filled on refusal
 *
 * As ssh does for its keys: not when group or others may read or write it,
 * nor when anyone but root or the caller owns it.
 *
 * Return: 0, or -EACCES (or -errno of fstat()).
 */
int swauth_secret_file_check(const char *path, int fd, struct swauth_error *err)
{
	struct stat st;

	if (fstat(fd, &st))
		return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (st.st_uid != 0 && st.st_uid != geteuid())
		return swauth_error_set(err, -EACCES,
					"%s holds a password but belongs to uid %u, not root: refused",
					path, (unsigned int)st.st_uid);
	if (st.st_mode & 077)
		return swauth_error_set(err, -EACCES,
					"%s holds a password but is readable by group or others (mode %04o): refused; run 'chmod 600 %s'",
					path, (unsigned int)(st.st_mode & 07777), path);
	return 0;
}

/* swauth_config_parse() - swauth_conf_parse() of swauth.conf */
int swauth_config_parse(const char *text, const char *name, struct swauth_config *cfg,
			struct swauth_error *err)
{
	return swauth_conf_parse(&swauth_config_schema, text, name, cfg, err);
}

/**
 * swauth_conf_load() - read and parse a keyword file
 * @s: its keywords
 * @path: the file
 * @out: receives the settings; cleared first
 * @err: filled on failure
 *
 * A missing file is no error: nothing is configured. A file that holds a
 * secret must pass swauth_secret_file_check(). A file that may hold one
 * (@s has a secret keyword) makes the process not dumpable before its
 * first byte is read, whatever the secret is then used for: no core file,
 * no ptrace, /proc/PID/mem or /proc/PID/environ by its own user.
 *
 * Return: 0, -EINVAL for a syntax error, -EFBIG for a file over 64 KiB,
 * -EACCES for a secret others may read, or -errno of reading it.
 */
int swauth_conf_load(const struct swauth_conf_schema *s, const char *path, void *out,
		     struct swauth_error *err)
{
	char *text;
	size_t n;
	FILE *f;
	int ret;

	memset(out, 0, s->size);
	f = fopen(path, "re");
	if (!f && errno == ENOENT)
		return 0;
	if (!f)
		return swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
	if (swauth_conf_has_secret(s))
		prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
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
	if (!ret) {
		text[n] = '\0';
		ret = swauth_conf_parse(s, text, basename_of(path), out, err);
	}
	if (!ret && holds_secret(s, out))
		ret = swauth_secret_file_check(path, fileno(f), err);
	if (ret)
		memset(out, 0, s->size);
	fclose(f);
	free(text);
	return ret;
}

/* swauth_config_load() - swauth_conf_load() of swauth.conf */
int swauth_config_load(const char *path, struct swauth_config *cfg, struct swauth_error *err)
{
	return swauth_conf_load(&swauth_config_schema, path, cfg, err);
}

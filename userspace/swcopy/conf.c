// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * /etc/swauth/swcopy.conf (or $SWCOPY_CONFIG): the seeds' `ip ftp
 * username`, `ip ftp password` and `file prompt`, and transfer defaults.
 * "keyword value" lines, '#' comments; every keyword once; anything else
 * is an error naming the line (lib/config's parser, this file's
 * keywords). The file may hold a password: it is written by root with
 * mode 0600, never printed, and not read while others may read it.
 */

#include <stddef.h>
#include <stdlib.h>

#include "lib/config.h"
#include "lib/xfer.h"
#include "swcopy/conf.h"

static const char *const prompts[] = { "alert", "noisy", "quiet", NULL };

#define KW(kw, field, kind, min, max) { kw, offsetof(struct swcopy_conf, field), \
	sizeof(((struct swcopy_conf *)0)->field), kind, min, max, NULL, NULL }
static const struct swauth_conf_key keys[] = {
	KW("ftp-username", ftp_username, SWAUTH_CONF_TEXT, 0, 0),
	KW("ftp-password", ftp_password, SWAUTH_CONF_SECRET, 0, 0),
	{ "file-prompt", offsetof(struct swcopy_conf, file_prompt),
	  sizeof(((struct swcopy_conf *)0)->file_prompt), SWAUTH_CONF_CHOICE, 0, 0, prompts,
	  "alert, noisy or quiet" },
	KW("tftp-blksize", tftp_blksize, SWAUTH_CONF_UINT, 8, 65464),
	KW("tftp-windowsize", tftp_windowsize, SWAUTH_CONF_UINT, 1, TFTP_WINDOW_MAX),
	KW("timeout", timeout_ms, SWAUTH_CONF_UINT, 100, 600000),
	KW("retries", retries, SWAUTH_CONF_UINT, 1, 100),
};
#undef KW

static const struct swauth_conf_schema schema = {
	.keys = keys,
	.n_keys = sizeof(keys) / sizeof(keys[0]),
	.size = sizeof(struct swcopy_conf),
};

/**
 * swcopy_conf_keyword() - the keywords of swcopy.conf, one by one
 * @i: from 0
 *
 * Return: the @i-th keyword, or NULL past the last.
 */
const char *swcopy_conf_keyword(size_t i)
{
	return i < schema.n_keys ? keys[i].name : NULL;
}

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

/* swcopy_conf_parse() - the text of swcopy.conf; see swauth_conf_parse() */
int swcopy_conf_parse(const char *text, const char *name, struct swcopy_conf *c,
		      struct swauth_error *err)
{
	return swauth_conf_parse(&schema, text, name, c, err);
}

/* swcopy_conf_load() - read swcopy.conf; see swauth_conf_load() */
int swcopy_conf_load(const char *path, struct swcopy_conf *c, struct swauth_error *err)
{
	return swauth_conf_load(&schema, path, c, err);
}

/* swcopy_conf_set() - set or remove one keyword; see swauth_conf_set() */
int swcopy_conf_set(const char *path, const char *keyword, const char *value,
		    struct swauth_error *err)
{
	return swauth_conf_set(&schema, path, keyword, value, err);
}

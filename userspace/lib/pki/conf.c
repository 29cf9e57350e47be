// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * DIR/pki.conf, the store's own settings (lib/pki.h, "The store's
 * settings"): one parser, which knows every line, and one writer.
 */

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/fs.h"
#include "lib/pki.h"

enum { PKI_CONF_MAX = 16 * 1024 };

static const struct {
	const char *kw;		/* with its trailing space */
	size_t off;		/* the field of struct swpki_conf */
	bool absolute;		/* the value must start with '/' */
} settings[] = {
	{ "crypto pki certificate storage ", offsetof(struct swpki_conf, storage), true },
	{ "token module ", offsetof(struct swpki_conf, token_module), false },
};

/**
 * swpki_conf_read() - the store's settings
 * @dir_fd: DIR
 * @c: filled; "" for what pki.conf does not set (and when there is none)
 * @err: filled on failure
 *
 * Return: 0; -EBADMSG for a line pki.conf may not hold (named by its
 * number), a value set twice or too long; or what reading said.
 */
int swpki_conf_read(int dir_fd, struct swpki_conf *c, struct swauth_error *err)
{
	char *text, *line, *next, *val;
	unsigned int n = 0;
	unsigned char *buf;
	size_t len, i;
	int ret;

	memset(c, 0, sizeof(*c));
	ret = swpki_read_at(dir_fd, SWPKI_PKI_CONF, SWPKI_PKI_CONF, PKI_CONF_MAX, &buf, &len, err);
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	text = (char *)buf;
	if (strlen(text) != len)
		ret = swauth_error_set(err, -EBADMSG, "%s: holds a NUL byte", SWPKI_PKI_CONF);
	for (line = text; !ret && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		n++;
		for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
			if (!strncmp(line, settings[i].kw, strlen(settings[i].kw)))
				break;
		if (i == sizeof(settings) / sizeof(settings[0])) {
			ret = swauth_error_set(err, -EBADMSG,
					       "%s:%u: not a setting ('crypto pki certificate storage /PATH' or 'token module PATH')",
					       SWPKI_PKI_CONF, n);
			break;
		}
		val = (char *)c + settings[i].off;
		line += strlen(settings[i].kw);
		if (val[0])
			ret = swauth_error_set(err, -EBADMSG, "%s:%u: %sset twice", SWPKI_PKI_CONF, n,
					       settings[i].kw);
		else if (!line[0] || strlen(line) >= PATH_MAX ||
			 (settings[i].absolute && line[0] != '/'))
			ret = swauth_error_set(err, -EBADMSG, "%s:%u: %s%s expected", SWPKI_PKI_CONF,
					       n, settings[i].kw,
					       settings[i].absolute ? "/PATH" : "PATH");
		else
			strcpy(val, line);
	}
	free(buf);
	return ret;
}

/**
 * swpki_conf_write() - write the store's settings (safe-write, mode 0600)
 * @dir_fd: DIR
 * @c: the settings; "" ones are left out
 * @err: filled on failure
 *
 * Return: 0 or -errno; on failure pki.conf is as it was.
 */
int swpki_conf_write(int dir_fd, const struct swpki_conf *c, struct swauth_error *err)
{
	char out[sizeof(settings) / sizeof(settings[0]) * (PATH_MAX + 40)];
	const char *val;
	size_t n = 0, i;

	for (i = 0; i < sizeof(settings) / sizeof(settings[0]); i++) {
		val = (const char *)c + settings[i].off;
		if (val[0])
			n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%s\n", settings[i].kw, val);
	}
	return swauth_safewrite_at(dir_fd, SWPKI_PKI_CONF, out, n, 0600, 0, err);
}

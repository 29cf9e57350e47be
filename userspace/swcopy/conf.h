/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy.conf: see conf.c and swcopy(8).
 */

#ifndef SWCOPY_CONF_H
#define SWCOPY_CONF_H

#include "lib/core.h"

#define SWCOPY_CONF_PATH "/etc/swauth/swcopy.conf"

enum { SWCOPY_WORD_MAX = 128 };

/* The seeds' `file prompt`: alert (the default), noisy, quiet. */
enum swcopy_prompt { SWCOPY_PROMPT_ALERT, SWCOPY_PROMPT_NOISY, SWCOPY_PROMPT_QUIET };

struct swcopy_conf {
	char ftp_username[SWCOPY_WORD_MAX];	/* "" when not set */
	char ftp_password[SWCOPY_WORD_MAX];
	unsigned int file_prompt;		/* enum swcopy_prompt */
	unsigned int tftp_blksize, tftp_windowsize;	/* 0: not set */
	unsigned int timeout_ms, retries;		/* 0: not set */
};

const char *swcopy_conf_path(void);
const char *swcopy_conf_keyword(size_t i);
int swcopy_conf_parse(const char *text, const char *name, struct swcopy_conf *c,
		      struct swauth_error *err);
int swcopy_conf_load(const char *path, struct swcopy_conf *c, struct swauth_error *err);
int swcopy_conf_set(const char *path, const char *keyword, const char *value,
		    struct swauth_error *err);

#endif /* SWCOPY_CONF_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * /etc/swauth/swauth.conf: the images the key commands check by default
 * (the seeds' `boot system` and the upgradable ROMmon). Lines are
 * "keyword value"; '#' starts a comment; blank lines are ignored.
 */

#ifndef SWAUTH_LIB_CONFIG_H
#define SWAUTH_LIB_CONFIG_H

#include <limits.h>

#include "lib/error.h"

#define SWAUTH_CONFIG_PATH "/etc/swauth/swauth.conf"
#define SWAUTH_CONFIG_ENV "SWAUTH_CONFIG"

struct swauth_config {
	char boot_image[PATH_MAX];		/* "" when not configured */
	char bootloader_image[PATH_MAX];	/* "" when not configured */
	/* The file systems of lib/storage.h; "" means the default directory. */
	char flash_dir[PATH_MAX];		/* flash-dir */
	char usbflash0_dir[PATH_MAX];		/* usbflash0-dir */
	char nvram_dir[PATH_MAX];		/* nvram-dir */
};

const char *swauth_config_path(void);
int swauth_config_parse(const char *text, const char *name, struct swauth_config *cfg,
			struct swauth_error *err);
int swauth_config_load(const char *path, struct swauth_config *cfg, struct swauth_error *err);
/* userspace/lib/config-edit.c: set or remove one keyword, atomically. */
int swauth_config_set(const char *path, const char *keyword, const char *value,
		      struct swauth_error *err);

#endif /* SWAUTH_LIB_CONFIG_H */

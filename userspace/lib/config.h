/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth.conf and swcopy.conf: one parser, and editing a key in place.
 */

#ifndef SWAUTH_LIB_CONFIG_H
#define SWAUTH_LIB_CONFIG_H

#include <limits.h>

#include "lib/core.h"

/*
 * /etc/swauth/swauth.conf: the images the key commands check by default
 * (the seeds' `boot system` and the upgradable ROMmon), the file systems
 * and the reload directories. Lines are "keyword value"; '#' starts a
 * comment; blank lines are ignored. Every value is an absolute path but
 * boot-image-digest's, which is lower-case hex, and platform's, a name.
 */

#define SWAUTH_CONFIG_PATH "/etc/swauth/swauth.conf"
#define SWAUTH_CONFIG_ENV "SWAUTH_CONFIG"

struct swauth_config {
	char boot_image[PATH_MAX];		/* "" when not configured */
	char bootloader_image[PATH_MAX];	/* "" when not configured */
	/* The file systems of lib/storage.h; "" means the default directory. */
	char flash_dir[PATH_MAX];		/* flash-dir */
	char flash0_dir[PATH_MAX];		/* flash0-dir */
	char flash1_dir[PATH_MAX];		/* flash1-dir */
	char usbflash0_dir[PATH_MAX];		/* usbflash0-dir */
	char usbflash1_dir[PATH_MAX];		/* usbflash1-dir */
	char nvram_dir[PATH_MAX];		/* nvram-dir */
	/* Reload (lib/reload.h); "" means the default directory. */
	char boot_dir[PATH_MAX];		/* boot-dir: what the firmware boots */
	char state_dir[PATH_MAX];		/* state-dir: the last reload */
	char run_dir[PATH_MAX];			/* run-dir: the scheduled reload */
	/* boot-image-digest: the payload digest `boot system` verified, hex. */
	char boot_image_digest[2 * 64 + 1];
	/* What `upgrade bootloader` installed: its payload digest, its key. */
	char bootloader_image_digest[2 * 64 + 1];	/* bootloader-image-digest */
	char bootloader_image_key[32];		/* bootloader-image-key, "production-B" */
	/* platform: this machine's name in image headers; "" means uname -m. */
	char platform[32];
};

const char *swauth_config_path(void);
int swauth_config_parse(const char *text, const char *name, struct swauth_config *cfg,
			struct swauth_error *err);
int swauth_config_load(const char *path, struct swauth_config *cfg, struct swauth_error *err);
/* userspace/lib/config-edit.c: set or remove one keyword, atomically. */
int swauth_config_set(const char *path, const char *keyword, const char *value,
		      struct swauth_error *err);
int swauth_file_replace(const char *path, const char *text, struct swauth_error *err);

#endif /* SWAUTH_LIB_CONFIG_H */

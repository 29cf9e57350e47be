/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth.conf and swcopy.conf: one parser, and editing a key in place.
 */

#ifndef SWAUTH_LIB_CONFIG_H
#define SWAUTH_LIB_CONFIG_H

#include <limits.h>
#include <stddef.h>

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

/*
 * The one parser of the tools' keyword files (config/config.c): a schema
 * names each keyword, the field of the settings struct it fills and the
 * kind of its value. swauth.conf's is swauth_config_schema; swcopy.conf's
 * lives with swcopy. A SECRET value makes its file a credentials file:
 * read only when nobody but root or the caller owns it and nobody else may
 * read it (swauth_secret_file_check()), written 0600 by root.
 */
enum swauth_conf_kind {
	SWAUTH_CONF_PATH,	/* an absolute path */
	SWAUTH_CONF_DIGEST,	/* 64, 96 or 128 lower-case hex digits */
	SWAUTH_CONF_WORD,	/* letters, digits, '.', '_', '-' */
	SWAUTH_CONF_TEXT,	/* any one word */
	SWAUTH_CONF_SECRET,	/* any one word, a password */
	SWAUTH_CONF_UINT,	/* unsigned int from min to max */
	SWAUTH_CONF_CHOICE,	/* unsigned int: the index in choices */
};

enum { SWAUTH_CONF_MAX_KEYS = 32 };

struct swauth_conf_key {
	const char *name;
	size_t offset, size;		/* of the field in the settings */
	enum swauth_conf_kind kind;
	unsigned long min, max;		/* SWAUTH_CONF_UINT */
	const char *const *choices;	/* SWAUTH_CONF_CHOICE, NULL-terminated */
	const char *choice_list;	/* for messages: "alert, noisy or quiet" */
};

struct swauth_conf_schema {
	const struct swauth_conf_key *keys;
	size_t n_keys;			/* at most SWAUTH_CONF_MAX_KEYS */
	size_t size;			/* of the settings struct */
};

extern const struct swauth_conf_schema swauth_config_schema;

const struct swauth_conf_key *swauth_conf_find(const struct swauth_conf_schema *s,
					       const char *name);
int swauth_conf_value(const struct swauth_conf_key *k, const char *val, const char *where,
		      void *out, struct swauth_error *err);
int swauth_conf_parse(const struct swauth_conf_schema *s, const char *text, const char *name,
		      void *out, struct swauth_error *err);
int swauth_conf_load(const struct swauth_conf_schema *s, const char *path, void *out,
		     struct swauth_error *err);
int swauth_conf_set(const struct swauth_conf_schema *s, const char *path, const char *keyword,
		    const char *value, struct swauth_error *err);
bool swauth_conf_has_secret(const struct swauth_conf_schema *s);
int swauth_secret_file_check(const char *path, int fd, struct swauth_error *err);

const char *swauth_config_path(void);
int swauth_config_parse(const char *text, const char *name, struct swauth_config *cfg,
			struct swauth_error *err);
int swauth_config_load(const char *path, struct swauth_config *cfg, struct swauth_error *err);
/* userspace/lib/config-edit.c: set or remove one keyword, atomically. */
int swauth_config_set(const char *path, const char *keyword, const char *value,
		      struct swauth_error *err);
int swauth_file_replace(const char *path, const char *text, struct swauth_error *err);

#endif /* SWAUTH_LIB_CONFIG_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * IOS-style file system prefixes: `flash:NAME`, `usbflash0:NAME` and
 * `nvram:NAME` (also `flash:/NAME`) name NAME in a directory of
 * swauth.conf (flash-dir, usbflash0-dir, nvram-dir), with the defaults
 * below. Anything without a "word:" prefix is a plain path.
 */

#ifndef SWAUTH_LIB_STORAGE_H
#define SWAUTH_LIB_STORAGE_H

#include <stddef.h>

#include "lib/config.h"
#include "lib/error.h"

#define SWAUTH_FLASH_DIR "/var/lib/swauth/flash"
#define SWAUTH_USBFLASH0_DIR "/var/lib/swauth/usbflash0"
#define SWAUTH_NVRAM_DIR "/var/lib/swauth/nvram"

const char *swauth_storage_dir(const struct swauth_config *cfg, const char *prefix);
const char *swauth_storage_fs_of(const struct swauth_config *cfg, const char *spec);
int swauth_storage_resolve_n(const struct swauth_config *cfg, const char *spec, size_t len,
			     char *path, size_t path_len, struct swauth_error *err);
int swauth_storage_resolve(const struct swauth_config *cfg, const char *spec, char *path,
			   size_t path_len, struct swauth_error *err);
void swauth_storage_display(const struct swauth_config *cfg, const char *path, char *buf,
			    size_t len);

#endif /* SWAUTH_LIB_STORAGE_H */

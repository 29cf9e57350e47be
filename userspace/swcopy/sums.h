/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The SHA-256 of the files swcopy copied in (sums.c).
 */

#ifndef SWCOPY_SUMS_H
#define SWCOPY_SUMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/core.h"
#include "lib/fs.h"

void swcopy_hex(const uint8_t *buf, size_t len, char *out);
int swcopy_sums_record(int dir_fd, const char *name, const uint8_t sha[SWAUTH_SHA256_LEN],
		       bool image, struct swauth_error *err);
int swcopy_sums_check(int dir_fd, const char *name, const uint8_t sha[SWAUTH_SHA256_LEN],
		      int fd);

#endif /* SWCOPY_SUMS_H */

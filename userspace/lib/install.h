/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Replacing a file atomically, in two steps so that the caller can check
 * the copy before it goes live: swauth_install_prepare() copies the source
 * into a temporary file next to the destination and fsyncs it; the caller
 * verifies that copy (install->tmp); swauth_install_commit() renames it over
 * the destination and fsyncs the directory, or swauth_install_abort()
 * removes it. The destination is never partly written: it is the old file
 * or the complete new one.
 */

#ifndef SWAUTH_LIB_INSTALL_H
#define SWAUTH_LIB_INSTALL_H

#include <limits.h>
#include <stdint.h>

#include "lib/error.h"

enum { SWAUTH_SHA256_LEN = 32 };

struct swauth_install {
	int dir_fd;			/* the destination's directory, -1 when closed */
	char dest[PATH_MAX];		/* the file replaced (a symlink's target) */
	char tmp[PATH_MAX];		/* the temporary copy, "" when there is none */
	uint8_t sha256[SWAUTH_SHA256_LEN];	/* of the bytes copied into tmp */
};

int swauth_install_prepare(struct swauth_install *in, const char *src, const char *dest,
			   struct swauth_error *err);
int swauth_install_commit(struct swauth_install *in, struct swauth_error *err);
void swauth_install_abort(struct swauth_install *in);
int swauth_file_sha256(const char *path, uint8_t sha256[SWAUTH_SHA256_LEN],
		       struct swauth_error *err);

#endif /* SWAUTH_LIB_INSTALL_H */

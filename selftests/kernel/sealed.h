/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The running-image record that leads a sealed initramfs copy
 * (kmod/running.c): a cpio "newc" entry named swauth-running, then the
 * trailer. Tests compare what follows it with the image's initramfs.
 */

#ifndef SWAUTH_SELFTEST_SEALED_H
#define SWAUTH_SELFTEST_SEALED_H

#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#define SEALED_ENTRY 128	/* header and "swauth-running", padded to 4 */
#define SEALED_TRAILER 124	/* header and "TRAILER!!!", padded to 4 */

/* The record's length at the front of fd, or -1 when there is none. */
static inline off_t sealed_record_len(int fd)
{
	static const char name[] = "swauth-running";
	char head[SEALED_ENTRY + 1], size[9];

	if (pread(fd, head, SEALED_ENTRY, 0) != SEALED_ENTRY ||
	    memcmp(head, "070701", 6) || memcmp(head + 110, name, sizeof(name)))
		return -1;
	memcpy(size, head + 6 + 6 * 8, 8);
	size[8] = '\0';
	return SEALED_ENTRY + ((strtol(size, NULL, 16) + 3) & ~3L) + SEALED_TRAILER;
}

#endif /* SWAUTH_SELFTEST_SEALED_H */

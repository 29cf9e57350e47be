// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * An LD_PRELOAD shim for the host tests: a file system without O_TMPFILE
 * (vfat), for an unmodified binary. openat(O_TMPFILE) fails EOPNOTSUPP as
 * it does there; every other openat() is the C library's.
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>

typedef int (*openat_fn)(int, const char *, int, ...);

static int shim(int dir_fd, const char *path, int flags, mode_t mode)
{
	openat_fn real;

	if ((flags & O_TMPFILE) == O_TMPFILE) {
		errno = EOPNOTSUPP;
		return -1;
	}
	real = (openat_fn)dlsym(RTLD_NEXT, "openat");
	return real(dir_fd, path, flags, mode);
}

int openat(int dir_fd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & O_CREAT || (flags & O_TMPFILE) == O_TMPFILE)
		mode = va_arg(ap, mode_t);
	va_end(ap);
	return shim(dir_fd, path, flags, mode);
}

/* The same call under its large-file name (glibc's alias on 64-bit). */
int openat64(int dir_fd, const char *path, int flags, ...) __attribute__((alias("openat")));

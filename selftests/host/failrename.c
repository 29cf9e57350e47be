// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * An LD_PRELOAD shim for the host tests: a write that fails at a chosen
 * point, for an unmodified binary. Every safe write ends in renameat();
 * with FAILRENAME_AT=N in the environment the Nth renameat() of the
 * process fails ENOSPC, as on a full disk; every other is the C
 * library's.
 */

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

typedef int (*renameat_fn)(int, const char *, int, const char *);

int renameat(int old_dir, const char *old_path, int new_dir, const char *new_path)
{
	static unsigned long calls;
	const char *at = getenv("FAILRENAME_AT");
	renameat_fn real;

	if (at && strtoul(at, NULL, 10) == ++calls) {
		fprintf(stderr, "failrename: renameat() #%lu fails ENOSPC\n", calls);
		errno = ENOSPC;
		return -1;
	}
	real = (renameat_fn)dlsym(RTLD_NEXT, "renameat");
	return real(old_dir, old_path, new_dir, new_path);
}

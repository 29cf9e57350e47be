/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The one way libswauth and its tools write a file (safewrite.c): the new
 * contents go to an unnamed file (O_TMPFILE) in the destination's
 * directory, or where the file system has none to ".NAME.swauth-XXXXXX"
 * created O_EXCL|O_NOFOLLOW; the file is fsynced, linked and renameat()ed
 * over NAME, and the directory is fsynced. Everything is relative to a
 * directory fd opened O_DIRECTORY|O_NOFOLLOW, so no name is resolved twice.
 * A symbolic link at NAME is replaced, never written through (unless the
 * caller asks to follow a link that the caller or root owns). A failure,
 * or SIGINT, SIGTERM or SIGHUP once swauth_safewrite_signals() was called,
 * leaves NAME as it was and no temporary file.
 */

#ifndef SWAUTH_LIB_SAFEWRITE_H
#define SWAUTH_LIB_SAFEWRITE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "lib/error.h"

/* Follow a symbolic link at NAME when its owner is the caller or root. */
#define SWAUTH_SAFEWRITE_FOLLOW_OWN	0x1
/* Keep the mode of an existing file (else @mode); keep its owner where we may. */
#define SWAUTH_SAFEWRITE_KEEP_MODE	0x2

struct swauth_safewrite {
	int dir_fd;			/* the directory, ours; -1 when closed */
	int fd;				/* the new file; -1 when closed */
	bool anon;			/* fd is an O_TMPFILE, not linked yet */
	int slot;			/* in the signal handler's list, or -1 */
	char name[NAME_MAX + 1];	/* the final name in dir_fd */
	char tmp[NAME_MAX + 1];		/* the visible temporary, "" when none */
};

/* For tests: never use O_TMPFILE. */
extern bool swauth_safewrite_no_tmpfile;

int swauth_dir_open(const char *path, struct swauth_error *err);
int swauth_dir_open_beneath(int root_fd, const char *rel, const char *what,
			    struct swauth_error *err);
int swauth_safewrite_open(struct swauth_safewrite *w, int dir_fd, const char *name,
			  mode_t mode, unsigned int flags, struct swauth_error *err);
int swauth_safewrite_write(struct swauth_safewrite *w, const void *buf, size_t len,
			   struct swauth_error *err);
int swauth_safewrite_seal(struct swauth_safewrite *w, struct swauth_error *err);
int swauth_safewrite_commit(struct swauth_safewrite *w, struct swauth_error *err);
void swauth_safewrite_abort(struct swauth_safewrite *w);
int swauth_safewrite_path(const char *path, const void *buf, size_t len, mode_t mode,
			  unsigned int flags, struct swauth_error *err);
void swauth_safewrite_signals(void);
bool swauth_safewrite_is_tmp(const char *name);

#endif /* SWAUTH_LIB_SAFEWRITE_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * File systems and safe writes: flash:NAME and friends, the one way to
 * write a file, and replacing an installed file.
 */

#ifndef SWAUTH_LIB_FS_H
#define SWAUTH_LIB_FS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "lib/config.h"
#include "lib/core.h"

/*
 * The one way libswauth and its tools write a file (safewrite.c): the new
 * contents go to an unnamed file (O_TMPFILE) in the destination's
 * directory, or where the file system has none to ".NAME.swauth-XXXXXX"
 * created O_EXCL|O_NOFOLLOW; the file is fsynced, linked and renameat()ed
 * over NAME, and the directory is fsynced. Everything is relative to a
 * directory fd opened O_DIRECTORY|O_NOFOLLOW, so no name is resolved twice.
 * A symbolic link at NAME is replaced, never written through (unless the
 * caller asks to follow a link that the caller or root owns). A failure,
 * or once swauth_safewrite_signals() was called a signal that ends the
 * process (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXFSZ, SIGALRM,
 * SIGUSR1, SIGUSR2, SIGVTALRM), leaves NAME as it was and no temporary file.
 */

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

int swauth_dir_open_trusted_at(int start_fd, const char *path, struct swauth_error *err);
int swauth_dir_open_trusted(const char *path, struct swauth_error *err);
int swauth_dir_open_parent(const char *path, const char **name, struct swauth_error *err);
int swauth_dir_create(const char *path, mode_t mode, struct swauth_error *err);
int swauth_dir_open_beneath(int root_fd, const char *rel, const char *what,
			    struct swauth_error *err);
int swauth_safewrite_open(struct swauth_safewrite *w, int dir_fd, const char *name,
			  mode_t mode, unsigned int flags, struct swauth_error *err);
int swauth_safewrite_write(struct swauth_safewrite *w, const void *buf, size_t len,
			   struct swauth_error *err);
int swauth_safewrite_seal(struct swauth_safewrite *w, struct swauth_error *err);
int swauth_safewrite_commit(struct swauth_safewrite *w, struct swauth_error *err);
void swauth_safewrite_abort(struct swauth_safewrite *w);
int swauth_safewrite_at(int dir_fd, const char *name, const void *buf, size_t len, mode_t mode,
			unsigned int flags, struct swauth_error *err);
int swauth_safewrite_path(const char *path, const void *buf, size_t len, mode_t mode,
			  unsigned int flags, struct swauth_error *err);
void swauth_safewrite_signals(void);
bool swauth_safewrite_is_tmp(const char *name);

/*
 * IOS-style file system prefixes (FEATURES A7.4): `flash:NAME`,
 * `flash0:NAME`, `flash1:NAME`, `usbflash0:NAME`, `usbflash1:NAME` and
 * `nvram:NAME` (also `flash:/NAME`) name NAME in a directory of
 * swauth.conf (flash-dir, flash0-dir, flash1-dir, usbflash0-dir,
 * usbflash1-dir, nvram-dir), with the defaults below. Anything without a
 * "word:" prefix is a plain path.
 */

#define SWAUTH_FLASH_DIR "/var/lib/swauth/flash"
#define SWAUTH_FLASH0_DIR "/var/lib/swauth/flash0"
#define SWAUTH_FLASH1_DIR "/var/lib/swauth/flash1"
#define SWAUTH_USBFLASH0_DIR "/var/lib/swauth/usbflash0"
#define SWAUTH_USBFLASH1_DIR "/var/lib/swauth/usbflash1"
#define SWAUTH_NVRAM_DIR "/var/lib/swauth/nvram"

const char *swauth_storage_prefix(size_t i);
const char *swauth_storage_dir(const struct swauth_config *cfg, const char *prefix);
const char *swauth_storage_fs_of(const struct swauth_config *cfg, const char *spec);
int swauth_storage_resolve_n(const struct swauth_config *cfg, const char *spec, size_t len,
			     char *path, size_t path_len, struct swauth_error *err);
int swauth_storage_resolve(const struct swauth_config *cfg, const char *spec, char *path,
			   size_t path_len, struct swauth_error *err);
void swauth_storage_display(const struct swauth_config *cfg, const char *path, char *buf,
			    size_t len);
/* The known prefixes, for messages. */
#define SWAUTH_STORAGE_KNOWN "flash:, flash0:, flash1:, usbflash0:, usbflash1:, nvram:"
int swauth_storage_open(const struct swauth_config *cfg, const char *path, int flags,
			struct swauth_error *err);

/*
 * Replacing a file atomically, in two steps so that the caller can check
 * the copy before it goes live: swauth_install_prepare() copies the source
 * through swauth_safewrite_open() next to the destination and fsyncs it;
 * the caller verifies that copy (install->tmp, a /proc/self/fd path);
 * swauth_install_commit() renames it over the destination and fsyncs the
 * directory, or swauth_install_abort() removes it. The destination is
 * never partly written: it is the old file or the complete new one.
 */

enum { SWAUTH_SHA256_LEN = 32 };

struct swauth_install {
	struct swauth_safewrite w;	/* the copy */
	char dest[PATH_MAX];		/* the file replaced, as named */
	char tmp[64];			/* the copy to read, "" when there is none */
	uint8_t sha256[SWAUTH_SHA256_LEN];	/* of the bytes copied into tmp */
};

int swauth_install_prepare(struct swauth_install *in, const char *src, const char *dest,
			   struct swauth_error *err);
int swauth_install_commit(struct swauth_install *in, struct swauth_error *err);
void swauth_install_abort(struct swauth_install *in);
int swauth_file_sha256(const char *path, uint8_t sha256[SWAUTH_SHA256_LEN],
		       struct swauth_error *err);
int swauth_fd_snapshot(int fd, const char *what, uint8_t sha256[SWAUTH_SHA256_LEN],
		       struct swauth_error *err);

/*
 * The disk clean-up utility of the Auto-Upgrade Manager (cleanup.c;
 * Documentation/admin-guide.rst, "Cleaning up flash"). swauth_cleanup_plan()
 * lists what the configured categories (`autoupgrade disk-cleanup`) would
 * delete on the file system that needs space; swauth_cleanup_execute()
 * deletes from that list, one file at a time, until enough is free
 * (`disk-management auto|confirm|no`). The protected files (running, boot
 * and fallback image) are never deleted, whatever name they have; nor is
 * anything that is not a regular file of one name, anything behind a
 * symbolic link, or anything in a subdirectory of a flash directory.
 */

/* In deletion order: what can never be used first, images last. */
enum swauth_cleanup_category {
	SWAUTH_CLEANUP_IRRECOVERABLE,	/* left-over temporaries, unbootable images */
	SWAUTH_CLEANUP_CRASHINFO,	/* kernel crash dumps and reports */
	SWAUTH_CLEANUP_CORE,		/* core dumps */
	SWAUTH_CLEANUP_IMAGE,		/* complete system images, unprotected */
	SWAUTH_CLEANUP_CATEGORIES
};

#define SWAUTH_CLEANUP_BIT(category)	(1U << (category))
#define SWAUTH_CLEANUP_ALL		(SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_CATEGORIES) - 1)

/* `disk-management no|auto|confirm`. */
enum swauth_cleanup_mode {
	SWAUTH_CLEANUP_NO,
	SWAUTH_CLEANUP_AUTO,
	SWAUTH_CLEANUP_CONFIRM,
};

#define SWAUTH_CRASH_DIR "/var/crash"
#define SWAUTH_COREDUMP_DIR "/var/lib/systemd/coredump"
/* One per prefix of swauth_storage_prefix(). */
enum { SWAUTH_CLEANUP_FLASH_MAX = 6 };

struct swauth_cleanup_dir {
	const char *path;	/* the directory */
	const char *prefix;	/* "flash:" for messages; NULL: the path and "/" */
};

/* Free bytes on the file system of @target_fd into *@bytes; 0 or -errno. */
typedef int swauth_cleanup_free_fn(int target_fd, uint64_t *bytes, void *arg);

struct swauth_cleanup_request {
	unsigned int policy;			/* SWAUTH_CLEANUP_BIT()s */
	const struct swauth_cleanup_dir *flash;	/* the flash directories */
	size_t n_flash;
	const char *crash_dir;			/* NULL: SWAUTH_CRASH_DIR; "": none */
	const char *coredump_dir;		/* NULL: SWAUTH_COREDUMP_DIR; "": none */
	const char *const *protect;		/* paths of files never deleted */
	size_t n_protect;
	const char *platform;			/* this machine's; NULL or "": not judged */
	/* The floor per enum swauth_key_type ('A'..'Z', 0 none); NULL: not judged. */
	const uint32_t *floors;
	const char *target;			/* a directory on the file system to free */
	const char *target_name;		/* for messages, e.g. "flash:"; NULL: target */
	uint64_t needed;			/* bytes that must be free there */
	swauth_cleanup_free_fn *free_space;	/* NULL: fstatvfs(), f_bavail * f_frsize */
	void *free_arg;
};

struct swauth_cleanup_file {
	unsigned int category;			/* enum swauth_cleanup_category */
	size_t dir;				/* in the plan's dir_fds */
	char name[NAME_MAX + 1];		/* in that directory */
	char display[PATH_MAX + 16];		/* "flash:NAME" or a path */
	char why[160];				/* e.g. "an image for platform X, this is Y" */
	dev_t dev;				/* what was planned */
	ino_t ino;
	uint64_t size;				/* st_size */
	uint64_t frees;				/* st_blocks * 512: what deleting frees */
	struct timespec mtime;
};

struct swauth_cleanup_plan {
	struct swauth_cleanup_file *files;	/* in deletion order */
	size_t n;
	uint64_t needed;			/* as requested */
	uint64_t free_now;			/* when planned */
	uint64_t free_after;			/* free_now + every file's frees */
	char target_name[PATH_MAX];
	/* Private to cleanup.c. */
	int target_fd;
	dev_t target_dev;
	int *dir_fds;
	size_t n_dirs;
	char **protect_paths;
	size_t n_protect_paths;
	struct { dev_t dev; ino_t ino; } *protect;
	size_t n_protect;
	swauth_cleanup_free_fn *free_space;
	void *free_arg;
};

/* > 0: delete @f; 0: keep it and go on; < 0: stop. */
typedef int swauth_cleanup_confirm_fn(const struct swauth_cleanup_file *f, void *arg);
/* @status 0: deleted; else -errno, why it was kept, and @msg says so. */
typedef void swauth_cleanup_report_fn(const struct swauth_cleanup_file *f, int status,
				      const char *msg, void *arg);

const char *swauth_cleanup_category_name(unsigned int category);
int swauth_cleanup_category_parse(const char *name, unsigned int *category);
size_t swauth_cleanup_flash_dirs(const struct swauth_config *cfg, struct swauth_cleanup_dir *dirs,
				 size_t max);
int swauth_cleanup_plan(const struct swauth_cleanup_request *req, struct swauth_cleanup_plan *plan,
			struct swauth_error *err);
void swauth_cleanup_plan_free(struct swauth_cleanup_plan *plan);
void swauth_cleanup_describe(const struct swauth_cleanup_file *f, char *buf, size_t len);
int swauth_cleanup_execute(struct swauth_cleanup_plan *plan, enum swauth_cleanup_mode mode,
			   swauth_cleanup_confirm_fn *confirm, swauth_cleanup_report_fn *report,
			   void *arg, struct swauth_error *err);

#endif /* SWAUTH_LIB_FS_H */

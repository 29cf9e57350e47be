/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy's parts: the copy's state (struct copy), and the files that
 * handle it by concern: args.c (switches and options), prompt.c (the
 * questions and the local and remote sides), creds.c (the seeds'
 * credentials), progress.c, json.c (--json), erase.c (/erase); swcopy.c
 * runs a copy. cmds.c: the subcommands besides copy.
 */

#ifndef SWCOPY_H
#define SWCOPY_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "lib/cli.h"
#include "lib/config.h"
#include "lib/core.h"
#include "lib/fs.h"
#include "lib/image.h"
#include "lib/xfer.h"
#include "swcopy/conf.h"

enum progress { PROGRESS_AUTO, PROGRESS_BAR, PROGRESS_MARKS, PROGRESS_NONE };

/* One '!' for this many bytes, 70 to a line, as IOS prints them. */
enum { MARK_BYTES = 512 * 1024, MARKS_PER_LINE = 70 };

struct copy {
	struct swcopy_conf conf;
	struct swauth_config cfg;
	struct verify_opts vo;
	struct swauth_xfer_opts xo;
	bool erase, verify, noverify, json, yes, interactive, md5;
	const char *expect;	/* --expect-hash: 32 (MD5) or 64 (SHA-256) hex digits */
	bool have_sums;		/* a download arrived whole, with its digests: */
	bool whole_sha;		/* sha256 is the whole file's (not with /verify) */
	uint8_t sha256[SWAUTH_SHA256_LEN], md5sum[16];
	enum progress progress;
	const char *ca_file, *ssh_key, *known_hosts;
	char password[SWAUTH_URL_USER_MAX];	/* --password-file's, "" when none */
	struct swauth_url src, dst;
	char src_path[PATH_MAX], dst_path[PATH_MAX];	/* local sides, resolved */
	const char *src_fs, *dst_fs;	/* their file systems' directories, or NULL */
	char src_show[PATH_MAX + 300], dst_show[PATH_MAX + 300];
	uint64_t total, marks;
	unsigned int resumes;	/* of the download, for --json */
	bool line_start;	/* progress output: the cursor is at a line's start */
	struct timespec start;
	FILE *out;		/* stdout, or stderr with --json */
};

/* args.c */
int swcopy_args(struct copy *c, int argc, char *argv[], const char *words[2], bool *done);
int swcopy_complete(int argc, char *argv[]);

/* prompt.c */
enum { SWCOPY_HOST_MAX = 256 };
const char *swcopy_last_host(const struct copy *c, char *buf, size_t len);
void swcopy_remember_host(const struct copy *c, const char *host);
void swcopy_say(struct copy *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool swcopy_ask(struct copy *c, const char *question, const char *def, char *answer,
		size_t len);
bool swcopy_confirm(struct copy *c, const char *question);
int swcopy_complete_remote(struct copy *c, struct swauth_url *u, const char *def_path,
			   bool source);
int swcopy_local_side(struct copy *c, const char *spec, const char *def, char *path,
		      size_t len, char *show, size_t show_len, const char **fs);

/* creds.c */
void swcopy_credentials(struct copy *c, struct swauth_url *u);
void swcopy_hold_secret(void);
int swcopy_scrub_argv(int argc, char *argv[]);

/* progress.c */
double swcopy_elapsed(const struct copy *c);
void swcopy_progress(void *arg, uint64_t done, uint64_t total);
void swcopy_resumed(void *arg, uint64_t offset, unsigned int n, unsigned int max);
void swcopy_progress_end(struct copy *c);

/* json.c */
void swcopy_json_summary(struct copy *c, bool ok, uint64_t bytes, double secs,
			 const struct swauth_verify_result *res, const char *by,
			 const char *error);

/* swcopy.c: the directory of a local side, for lib/fs.h's safe writes. */
int swcopy_open_parent(const char *fs, const char *path, const char *show, char *name,
		       size_t len, struct swauth_error *err);

/* erase.c */
int swcopy_erase(struct copy *c);

/* cmds.c */
int swcopy_config_main(int argc, char *argv[]);
int swcopy_show_main(int argc, char *argv[]);

#endif /* SWCOPY_H */

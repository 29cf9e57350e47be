/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth reload, by concern: the words after the options
 * (reload-parse.c), sealing and kexec and the reboot (reload-kexec.c),
 * the cold reload's boot-dir (reload-bootdir.c), the scheduled reload and
 * cancel (reload-schedule.c); cmd-reload.c is the command.
 */

#ifndef SWAUTH_RELOAD_H
#define SWAUTH_RELOAD_H

#include <limits.h>
#include <stdbool.h>
#include <time.h>

#include "lib/boot.h"
#include "lib/cli.h"
#include "lib/config.h"
#include "lib/image.h"

struct reload {
	const char *subcmd;
	struct swauth_config cfg;
	bool warm, trial, yes, scheduled;
	struct verify_opts o;		/* for the check when scheduling */
	const char *image_arg;		/* --image, or NULL for boot-image */
	const char *append;		/* --append, or NULL for this cmdline */
	char path[PATH_MAX];		/* the image */
	char sched_path[PATH_MAX];	/* run-dir/reload */
	struct swauth_reload_record rec;
	struct swauth_verify_result res;
};

/* reload-parse.c */
int reload_parse_words(struct reload *r, int argc, char *argv[], time_t now, time_t *when,
		       bool *do_cancel);
int reload_new_id(char *id);

/* reload-kexec.c */
int reload_check_image(struct reload *r);
int reload_seal(struct reload *r);
void reload_close_sealed(struct reload *r);
int reload_kexec_load(struct reload *r);
void reload_kexec_unload(void);
int reload_reboot(struct reload *r);

/* reload-bootdir.c */
int reload_install_boot(struct reload *r);

/* reload-schedule.c */
void reload_klog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void reload_say(const struct reload *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
bool reload_alive(const struct swauth_reload_record *rec);
int reload_cancel(struct reload *r);
int reload_schedule_check(struct reload *r, time_t now, time_t when);
int reload_schedule_start(struct reload *r, time_t when);

/* cmd-reload.c: the reload itself; a scheduled one calls it when its time comes. */
int reload_now(struct reload *r);

#endif

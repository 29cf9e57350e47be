/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swupgraded's parts: the daemon's state (struct upgraded), the control
 * socket and its clients (swupgraded.c), the job and its steps (job.c),
 * the steps that run in a child of the daemon (steps.c).
 *
 * The protocol on run-dir/swupgrade.sock (SOCK_SEQPACKET): a request is
 * one packet of NUL-separated words ("getversion", URL, "at", "7:30");
 * the daemon answers with packets "M text" (a line for the operator) and
 * ends with "X N" (the exit status for the command). A client that started
 * a job gets the job's lines until the job rests (ready, scheduled, done,
 * failed, aborted); it may go away at any time, the job goes on. A step's
 * question (disk-management confirm) reaches that client as "Q text"; it
 * answers with the words "A" and "yes" or "no". A job nobody follows gets
 * "no" to every question.
 */

#ifndef SWUPGRADE_H
#define SWUPGRADE_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "lib/boot.h"
#include "lib/cli.h"
#include "lib/config.h"
#include "lib/xfer.h"

/* A tool's words (at most 12) and the verification options after them. */
enum { UPGRADED_CLIENTS = 8, UPGRADED_LOG_LINES = 64, UPGRADED_LINE_MAX = 512,
       UPGRADED_ARGS_MAX = 16 + 4 * SWAUTH_TRUST_DIRS_MAX };

/* step_fallback(): the image that came back is not the one deleted. */
enum { UPGRADED_EXIT_DIFFERS = 9 };

struct upgraded_client {
	int fd;			/* -1: free */
	uid_t uid;
	bool follow;		/* gets the job's lines, then its status */
};

struct upgraded {
	struct swauth_config cfg;
	struct swauth_upgrade_conf conf;
	char job_path[PATH_MAX];
	char tool_dir[PATH_MAX];	/* where swauth and swcopy are: ours */
	struct verify_opts vo;		/* --userspace, --trust-dir, --rollover-dir */
	struct swauth_upgrade_job job;
	bool have_job;
	char url[PATH_MAX];		/* the source as given, password and all; memory only */
	/* getversion locator: what the locate step asks with; memory only. */
	char loc_user[256], loc_pass[256], loc_image[256];
	int listen_fd, timer_fd, sig_fd;
	struct upgraded_client clients[UPGRADED_CLIENTS];
	/* The step running in a child, if any. */
	pid_t step_pid;
	int step_pidfd, step_out;
	int step_in;			/* the step's stdin: answers to its questions */
	bool asking;			/* a question waits for the follower */
	/* Its output's unfinished line; the locate step's "@url URL" fits whole. */
	char partial[SWAUTH_LOCATOR_REPLY_MAX + 8];
	struct cli_child_lines lines;	/* over partial, to job_step_line() */
	bool aborting;			/* abortversion: the step is being stopped */
	bool stopping;			/* the daemon is stopping */
	bool confirmed;			/* swupgrade confirm ended the health step */
	bool deadline_passed;		/* the deadline ended the health step */
	/* The job's last lines, for swupgrade show. */
	char log[UPGRADED_LOG_LINES][UPGRADED_LINE_MAX];
	unsigned int log_next, log_count;
};

/* swupgraded.c */
void upgraded_say(struct upgraded *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void upgraded_send(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void upgraded_job_rests(struct upgraded *d, int status);
const char *upgraded_log_line(const struct upgraded *d, unsigned int i);

/* mail.c */
void upgraded_mail(struct upgraded *d);

/* job.c */
int job_recover(struct upgraded *d);
void job_request(struct upgraded *d, struct upgraded_client *c, int argc, char *argv[]);
void job_step_done(struct upgraded *d, int status);
void job_step_line(struct upgraded *d, const char *line);
void job_timer(struct upgraded *d);
void job_show(struct upgraded *d, int fd);
void job_show_json(struct upgraded *d, int fd);
void job_answer(struct upgraded *d, const char *answer);

/* steps.c: each runs in the child and returns its exit status. */
int step_locate(struct upgraded *d);
int step_space(struct upgraded *d);
int step_check(struct upgraded *d);
int step_health(struct upgraded *d);
int step_fallback(struct upgraded *d);
bool upgraded_fallback_same(const struct upgraded *d, const char *path);
bool upgraded_same_file(const char *a, const char *b);
int step_start(struct upgraded *d, int (*fn)(struct upgraded *d), char *const argv[]);
int step_run_sync(struct upgraded *d, char *const argv[]);

#endif /* SWUPGRADE_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth reload at a time: a process that waits for the time on
 * CLOCK_REALTIME (so setting the clock forward brings it on) and is named
 * in run-dir/reload; `cancel` stops it. The image is verified when the
 * reload is scheduled and again, by sealing, when it happens. With no
 * terminal by then, messages go to the kernel log.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "swauth/reload.h"
#include "swauth/subcommands.h"

/* A line in the kernel log, for a scheduled reload that has no terminal. */
void reload_klog(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int fd, n;

	n = snprintf(msg, sizeof(msg), "<5>swauth-reload: ");
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	/* One write is one record; /dev/kmsg cannot seek, so no stdio. Best effort. */
	fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		n = (int)write(fd, msg, strlen(msg));
		close(fd);
	}
}

/* Errors go to stderr, and to the kernel log when no one is watching. */
void reload_say(const struct reload *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->scheduled)
		reload_klog("%s", msg);
	else
		cli_msg(r->subcmd, "%s", msg);
}

/* 1 when @rec names a waiting process, 0 when it is stale. */
bool reload_alive(const struct swauth_reload_record *rec)
{
	return rec->pid > 1 && (!kill((pid_t)rec->pid, 0) || errno == EPERM);
}

int reload_cancel(struct reload *r)
{
	struct swauth_reload_record rec;
	struct swauth_error err;
	int ret;

	swauth_error_clear(&err);
	ret = swauth_reload_record_read(r->sched_path, &rec, &err);
	if (ret == -ENOENT) {
		printf("No reload is scheduled.\n");
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (ret) {
		cli_msg(r->subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	if (reload_alive(&rec) && kill((pid_t)rec.pid, SIGTERM) && errno != ESRCH) {
		cli_msg(r->subcmd, "stopping the scheduled reload (pid %ld): %s", rec.pid,
			strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	if (unlink(r->sched_path) && errno != ENOENT) {
		cli_msg(r->subcmd, "%s: %s", r->sched_path, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	printf("***\n*** --- SHUTDOWN ABORTED ---\n***\n");
	return CLI_EXIT_OK;
}

/* The waiting process: sleep until @when, then reload unless cancelled. */
static void wait_and_reload(struct reload *r, time_t when)
{
	struct swauth_reload_record rec;
	struct timespec ts = { .tv_sec = when };
	struct swauth_error err;
	int fd;

	setsid();
	fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
	if (chdir("/"))
		_exit(CLI_EXIT_SYSTEM);
	r->scheduled = true;
	r->yes = true;
	while (clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
	/* Cancelled, or replaced after a cancel: not ours to do. */
	if (swauth_reload_record_read(r->sched_path, &rec, &err) || rec.pid != (long)getpid())
		_exit(CLI_EXIT_OK);
	unlink(r->sched_path);
	reload_klog("scheduled reload of %s: %s", r->rec.name, r->rec.reason[0] ? r->rec.reason :
		    "Reload Command");
	_exit(reload_now(r));
}

/* Before the question: nothing scheduled yet, and the image verifies now. */
int reload_schedule_check(struct reload *r, time_t now, time_t when)
{
	char at[96], in[96], by[VERIFIED_BY_LEN];
	struct swauth_reload_record cur;
	struct swauth_error err;
	int ret;

	swauth_error_clear(&err);
	ret = swauth_reload_record_read(r->sched_path, &cur, &err);
	if (!ret && reload_alive(&cur)) {
		swauth_reload_format_time((time_t)cur.time, at, sizeof(at));
		cli_msg(r->subcmd, "a reload is already scheduled for %s; cancel it first with '%s reload cancel'",
			at, PROG_NAME);
		return CLI_EXIT_USAGE;
	}
	if (ret && ret != -ENOENT) {
		cli_msg(r->subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	ret = verify_run(r->subcmd, r->path, &r->o, &r->res, by, sizeof(by));
	if (!ret)
		ret = reload_check_image(r);
	if (ret)
		return ret;
	printf("Image %s verified (%s key %c) by %s\n", r->rec.name,
	       swauth_key_type_name(verify_signer_type(&r->res)), verify_signer_version(&r->res), by);
	swauth_reload_format_time(when, at, sizeof(at));
	swauth_reload_format_in(now, when, in, sizeof(in));
	printf("Reload scheduled for %s (in %s)\n", at, in);
	return CLI_EXIT_OK;
}

/* After the question: the waiting process, named in run-dir/reload. */
int reload_schedule_start(struct reload *r, time_t when)
{
	const char *run = swauth_reload_dir(&r->cfg, SWAUTH_DIR_RUN);
	struct swauth_error err;
	pid_t pid;

	swauth_error_clear(&err);
	if (mkdir(run, 0755) && errno != EEXIST) {
		cli_msg(r->subcmd, "%s: %s", run, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		cli_msg(r->subcmd, "fork: %s", strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	if (!pid)
		wait_and_reload(r, when);
	r->rec.pid = pid;
	r->rec.time = when;
	if (swauth_reload_record_write(r->sched_path, &r->rec, &err)) {
		kill(pid, SIGTERM);
		cli_msg(r->subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	return CLI_EXIT_OK;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swupgraded: the Auto-Upgrade Manager's daemon. It owns the one upgrade
 * job (job.c), listens on run-dir/swupgrade.sock for swupgrade, and runs
 * each step of the job in a child whose lines it logs to syslog, keeps for
 * swupgrade show and passes to the client that follows the job. One
 * thread, one poll(): the socket, the clients, the step's output and its
 * pidfd, a timerfd for the scheduled reload, a signalfd for SIGTERM.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/fs.h"
#include "swupgrade/swupgrade.h"

#ifndef SWAUTH_VERSION
#error "build with -DSWAUTH_VERSION=\"...\" (userspace/build.mk does)"
#endif

const char *cli_version(void)
{
	return SWAUTH_VERSION;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: swupgraded [--userspace] [--trust-dir DIR]... [--rollover-dir DIR]...\n\n"
		   "The Auto-Upgrade Manager's daemon: runs the upgrade jobs that swupgrade(8)\n"
		   "asks for, one at a time, and keeps each job's state in state-dir/upgrade so\n"
		   "that a restart or a power cut resumes or cleanly ends it. It listens on\n"
		   "run-dir/swupgrade.sock and logs every step to syslog (daemon facility).\n"
		   "It runs in the foreground, as systemd's Type=simple wants.\n\n"
		   "The verification options are passed on to swcopy and swauth, and steer\n"
		   "the check of the downloaded image:\n"
		   VERIFY_OPTIONS_HELP
		   "  -h, --help              show this help\n"
		   "  -V, --version           show the version\n");
}

void upgraded_send(int fd, const char *fmt, ...)
{
	char buf[SWAUTH_UPGRADE_MSG_MAX];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(buf))
		n = sizeof(buf) - 1;
	/* A client that went away or is too slow loses the line, not the job. */
	(void)send(fd, buf, (size_t)n, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void drop_client(struct upgraded_client *c)
{
	close(c->fd);
	c->fd = -1;
	c->follow = false;
}

/**
 * upgraded_say() - one line of the job: syslog, the job's log, its followers
 * @d: the daemon
 * @fmt: the line, without a newline
 */
void upgraded_say(struct upgraded *d, const char *fmt, ...)
{
	char line[UPGRADED_LINE_MAX];
	va_list ap;
	int i;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	syslog(LOG_NOTICE, "%s", line);
	snprintf(d->log[d->log_next], sizeof(d->log[0]), "%s", line);
	d->log_next = (d->log_next + 1) % UPGRADED_LOG_LINES;
	if (d->log_count < UPGRADED_LOG_LINES)
		d->log_count++;
	for (i = 0; i < UPGRADED_CLIENTS; i++)
		if (d->clients[i].fd >= 0 && d->clients[i].follow)
			upgraded_send(d->clients[i].fd, "M %s", line);
}

/**
 * upgraded_log_line() - the job's log, oldest line first
 * @d: the daemon
 * @i: 0 for the oldest line kept
 *
 * Return: the @i-th line, or NULL past the newest.
 */
const char *upgraded_log_line(const struct upgraded *d, unsigned int i)
{
	if (i >= d->log_count)
		return NULL;
	return d->log[(d->log_next + UPGRADED_LOG_LINES - d->log_count + i) % UPGRADED_LOG_LINES];
}

/* upgraded_job_rests() - the job stopped moving: its followers get @status and go */
void upgraded_job_rests(struct upgraded *d, int status)
{
	int i;

	for (i = 0; i < UPGRADED_CLIENTS; i++)
		if (d->clients[i].fd >= 0 && d->clients[i].follow) {
			upgraded_send(d->clients[i].fd, "X %d", status);
			drop_client(&d->clients[i]);
		}
}

static int listen_socket(struct upgraded *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct swauth_error err;
	const char *dir = swauth_reload_dir(&d->cfg, SWAUTH_DIR_RUN);
	int fd, probe;

	if (swauth_upgrade_socket_path(&d->cfg, sa.sun_path, sizeof(sa.sun_path))) {
		fprintf(stderr, "swupgraded: %s/%s: path too long\n", dir, SWAUTH_UPGRADE_SOCKET);
		return -1;
	}
	swauth_error_clear(&err);
	if (swauth_dir_create(dir, 0755, &err) && err.code != -EEXIST) {
		fprintf(stderr, "swupgraded: %s\n", err.msg);
		return -1;
	}
	/* Another daemon answering there: leave it alone. */
	probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (probe >= 0 && !connect(probe, (struct sockaddr *)&sa, sizeof(sa))) {
		close(probe);
		fprintf(stderr, "swupgraded: another swupgraded listens on %s\n", sa.sun_path);
		return -1;
	}
	if (probe >= 0)
		close(probe);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	unlink(sa.sun_path);
	/* Anyone may connect (swupgrade show); changes need root (job.c). */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(sa.sun_path, 0666) ||
	    listen(fd, 8)) {
		fprintf(stderr, "swupgraded: %s: %s\n", sa.sun_path, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

static void accept_client(struct upgraded *d)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	int fd, i;

	fd = accept4(d->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len))
		cred.uid = (uid_t)-1;
	for (i = 0; i < UPGRADED_CLIENTS && d->clients[i].fd >= 0; i++)
		;
	/*
	 * Full: room for root is made at the cost of a client that follows
	 * no job and is not root, so that users who open connections and
	 * say nothing cannot lock root out.
	 */
	if (i == UPGRADED_CLIENTS && cred.uid == 0)
		for (i = 0; i < UPGRADED_CLIENTS; i++)
			if (!d->clients[i].follow && d->clients[i].uid != 0) {
				drop_client(&d->clients[i]);
				break;
			}
	if (i == UPGRADED_CLIENTS || cred.uid == (uid_t)-1) {
		upgraded_send(fd, "M %%swupgraded is busy with other clients; try again");
		upgraded_send(fd, "X %d", CLI_EXIT_SYSTEM);
		close(fd);
		return;
	}
	d->clients[i].fd = fd;
	d->clients[i].uid = cred.uid;
	d->clients[i].follow = false;
}

/* One request: words separated (and ended) by NUL bytes. */
static void client_request(struct upgraded *d, struct upgraded_client *c)
{
	char buf[SWAUTH_UPGRADE_MSG_MAX + 1], *argv[32], *p;
	ssize_t n = recv(c->fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	int argc = 0;

	if (n <= 0) {
		if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
			/* A follower gone with a question open said no. */
			if (c->follow && d->asking)
				job_answer(d, "no");
			drop_client(c);
		}
		return;
	}
	buf[n] = '\0';
	for (p = buf; p < buf + n && argc < 31; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	/* An answer nobody asked for is dropped: it would fill the step's stdin. */
	if (c->follow && argc == 2 && !strcmp(argv[0], "A")) {
		if (d->asking)
			job_answer(d, argv[1]);
		return;
	}
	if (!argc || p < buf + n) {
		upgraded_send(c->fd, "M %%Bad request");
		upgraded_send(c->fd, "X %d", CLI_EXIT_USAGE);
		drop_client(c);
		return;
	}
	job_request(d, c, argc, argv);
	/* A locator password must not linger in the daemon's memory. */
	explicit_bzero(buf, sizeof(buf));
	if (!c->follow)
		drop_client(c);
}

static void step_line(void *arg, const char *line)
{
	job_step_line(arg, line);
}

static void step_exited(struct upgraded *d)
{
	int code = cli_child_reap(d->step_pid, &d->step_pidfd, &d->step_out, &d->lines);

	d->step_pid = 0;
	if (d->step_in >= 0) {
		close(d->step_in);
		d->step_in = -1;
	}
	job_step_done(d, code);
}

static int setup(struct upgraded *d)
{
	struct swauth_error err;
	int i;

	for (i = 0; i < UPGRADED_CLIENTS; i++)
		d->clients[i].fd = -1;
	d->step_pidfd = d->step_out = d->step_in = -1;
	d->lines = (struct cli_child_lines){ .buf = d->partial, .size = sizeof(d->partial),
					     .line = step_line, .arg = d };
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &d->cfg, &err)) {
		fprintf(stderr, "swupgraded: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (cli_tool_dir(d->tool_dir, sizeof(d->tool_dir))) {
		fprintf(stderr, "swupgraded: cannot find its own directory\n");
		return CLI_EXIT_SYSTEM;
	}
	snprintf(d->job_path, sizeof(d->job_path), "%s/upgrade",
		 swauth_reload_dir(&d->cfg, SWAUTH_DIR_STATE));
	if (cli_daemon_fds(&d->sig_fd, &d->timer_fd)) {
		fprintf(stderr, "swupgraded: %s\n", strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	d->listen_fd = listen_socket(d);
	if (d->listen_fd < 0)
		return CLI_EXIT_SYSTEM;
	openlog("swupgraded", LOG_PID, LOG_DAEMON);
	return job_recover(d) ? CLI_EXIT_SYSTEM : CLI_EXIT_OK;
}

static int run(struct upgraded *d)
{
	struct pollfd p[5 + UPGRADED_CLIENTS];
	struct signalfd_siginfo si;
	uint64_t ticks;
	int i, n;

	for (;;) {
		p[0] = (struct pollfd){ .fd = d->listen_fd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = d->sig_fd, .events = POLLIN };
		p[2] = (struct pollfd){ .fd = d->timer_fd, .events = POLLIN };
		p[3] = (struct pollfd){ .fd = d->step_out, .events = POLLIN };
		p[4] = (struct pollfd){ .fd = d->step_pidfd, .events = POLLIN };
		for (i = 0; i < UPGRADED_CLIENTS; i++)
			p[5 + i] = (struct pollfd){ .fd = d->clients[i].fd, .events = POLLIN };
		n = poll(p, 5 + UPGRADED_CLIENTS, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return CLI_EXIT_SYSTEM;
		if (p[1].revents && read(d->sig_fd, &si, sizeof(si)) == sizeof(si)) {
			syslog(LOG_NOTICE, "stopping on signal %u", si.ssi_signo);
			return CLI_EXIT_OK;
		}
		if (p[3].revents && d->step_out >= 0)
			cli_child_read(&d->step_out, &d->lines);
		/* The step ended: its lines first (all it wrote is in the pipe). */
		if (p[4].revents && d->step_pidfd >= 0)
			step_exited(d);
		if (p[2].revents && read(d->timer_fd, &ticks, sizeof(ticks)) == sizeof(ticks))
			job_timer(d);
		for (i = 0; i < UPGRADED_CLIENTS; i++)
			if (p[5 + i].revents && d->clients[i].fd >= 0)
				client_request(d, &d->clients[i]);
		if (p[0].revents)
			accept_client(d);
	}
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static struct upgraded d;
	int opt, ret;

	cli_prog_name = "swupgraded";
	while ((opt = getopt_long(argc, argv, "hV" VERIFY_OPTSTRING, options, NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("swupgraded %s\n", cli_version());
			return CLI_EXIT_OK;
		default:
			if (verify_opt("", &d.vo, opt, optarg) == 0)
				break;
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "swupgraded: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	ret = setup(&d);
	if (ret)
		return ret;
	ret = run(&d);
	/* A step in progress is ended as if aborted; the job says so. */
	if (d.step_pid > 0) {
		d.stopping = true;
		kill(-d.step_pid, SIGTERM);
		step_exited(&d);
	}
	return ret;
}

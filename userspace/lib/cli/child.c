// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * A daemon's child (lib/cli.h): swupgraded's steps and swpkid's `swpki
 * enroll` run in a process group of their own that dies with the daemon;
 * the daemon polls the child's output, cut into lines, and its pidfd,
 * beside its signals and its timer.
 */

#include <errno.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cli.h"

/**
 * cli_daemon_fds() - a poll() daemon's signals and timer
 * @sig_fd: set to a signalfd for SIGTERM, SIGINT and SIGHUP, which are
 *          blocked (cli_child_fork() unblocks them in a child)
 * @timer_fd: set to a CLOCK_REALTIME timerfd
 *
 * SIGPIPE is ignored: a client or a child gone is a write error.
 *
 * Return: 0, or -1 with errno set.
 */
int cli_daemon_fds(int *sig_fd, int *timer_fd)
{
	sigset_t mask;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGHUP);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	signal(SIGPIPE, SIG_IGN);
	*sig_fd = signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK);
	if (*sig_fd < 0)
		return -1;
	*timer_fd = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC | TFD_NONBLOCK);
	return *timer_fd < 0 ? -1 : 0;
}

/**
 * cli_child_fork() - fork a child in a process group of its own
 * @in: its standard input, or -1 to keep the daemon's
 * @out: its standard output and error, or -1 to keep the daemon's
 *
 * The child dies with the daemon (PR_SET_PDEATHSIG), unblocks the signals
 * the daemon blocks for its signalfd and gets SIGPIPE's default back; it
 * _exit()s with CLI_EXIT_SYSTEM when it cannot.
 *
 * Return: the child's PID in the daemon (its process group's ID too), 0 in
 * the child, -1 when fork() failed.
 */
pid_t cli_child_fork(int in, int out)
{
	sigset_t mask;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid > 0)
		setpgid(pid, pid);
	if (pid)
		return pid;
	setpgid(0, 0);
	/* A child never outlives the daemon that would record its end. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() == 1)
		_exit(CLI_EXIT_SYSTEM);
	sigemptyset(&mask);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	signal(SIGPIPE, SIG_DFL);
	if ((in >= 0 && dup2(in, STDIN_FILENO) < 0) ||
	    (out >= 0 && (dup2(out, STDOUT_FILENO) < 0 || dup2(out, STDERR_FILENO) < 0)))
		_exit(CLI_EXIT_SYSTEM);
	return 0;
}

static void line_end(struct cli_child_lines *l)
{
	l->buf[l->len] = '\0';
	if (l->len)
		l->line(l->arg, l->buf);
	l->len = 0;
}

/**
 * cli_child_read() - read what the child wrote, and pass on each line
 * @fd: the pipe's read end (non-blocking); closed and set to -1 at its end
 * @l: the unfinished line and where lines go
 *
 * A line longer than the buffer is cut at its size; CRs are dropped.
 *
 * Return: 1 after reading, 0 when nothing is there now, -1 at the end.
 */
int cli_child_read(int *fd, struct cli_child_lines *l)
{
	char buf[4096];
	ssize_t n = read(*fd, buf, sizeof(buf));
	ssize_t i;

	if (n <= 0) {
		if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
			close(*fd);
			*fd = -1;
		}
		return n < 0 && errno == EAGAIN ? 0 : -1;
	}
	for (i = 0; i < n; i++) {
		if (buf[i] == '\n' || l->len == l->size - 1) {
			line_end(l);
			if (buf[i] == '\n')
				continue;
		}
		if (buf[i] != '\r')
			l->buf[l->len++] = buf[i];
	}
	return 1;
}

/**
 * cli_child_reap() - the child ended (or must): its group killed, reaped
 * @pid: the child (from cli_child_fork())
 * @pidfd: its pidfd, closed and set to -1
 * @fd: its output's read end, drained, closed and set to -1
 * @l: where its last lines go, the unfinished one too
 *
 * What it left behind in its process group is killed first, before the
 * wait: until then its PID, the group's ID, cannot be reused. All it wrote
 * is then in the pipe; a process it left behind holding the pipe open does
 * not hold the daemon up.
 *
 * Return: its exit code, 128 + the signal that killed it, or 127 when it
 * cannot be waited for.
 */
int cli_child_reap(pid_t pid, int *pidfd, int *fd, struct cli_child_lines *l)
{
	int status = 0;

	kill(-pid, SIGKILL);
	if (waitpid(pid, &status, 0) < 0)
		status = 0x7f00;
	close(*pidfd);
	*pidfd = -1;
	while (*fd >= 0 && cli_child_read(fd, l) > 0)
		;
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	if (l->len)
		line_end(l);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

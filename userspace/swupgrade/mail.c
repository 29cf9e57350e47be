// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The status mail (the seeds' `autoupgrade status email`): at the end of
 * every job (done, failed, aborted), when swupgrade.conf names both a
 * recipient and an SMTP server. It is sent by a grandchild of the daemon,
 * so that a slow mail server delays nothing; the outcome goes to syslog.
 */

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "lib/xfer.h"
#include "swupgrade/swupgrade.h"

static void compose(const struct upgraded *d, char *subject, size_t slen, char *body,
		    size_t blen)
{
	char host[64] = "", t[64];
	const char *line;
	size_t used = 0;
	unsigned int i;
	int w;

	gethostname(host, sizeof(host) - 1);
	snprintf(subject, slen, "swupgrade on %.63s: %s: %.100s", host,
		 swauth_upgrade_state_name(d->job.state), d->job.image);
	/* The subject is printable ASCII, whatever the image's name holds. */
	for (i = 0; subject[i]; i++)
		if (subject[i] < 0x20 || subject[i] > 0x7e)
			subject[i] = '?';
	swauth_reload_format_time((time_t)d->job.started, t, sizeof(t));
	w = snprintf(body, blen,
		     "Upgrade job %s on %s\n\nState:   %s (step %s)\nImage:   %s\nSource:  %s\nStarted: %s\nStatus:  %s\n\nLog:\n",
		     d->job.id, host, swauth_upgrade_state_name(d->job.state),
		     swauth_upgrade_step_name(d->job.step), d->job.image, d->job.source, t,
		     d->job.message);
	if (w < 0 || (size_t)w >= blen)
		return;
	used = (size_t)w;
	for (i = 0; (line = upgraded_log_line(d, i)); i++) {
		w = snprintf(body + used, blen - used, "  %s\n", line);
		if (w < 0 || (size_t)w >= blen - used)
			return;
		used += (size_t)w;
	}
}

/*
 * The grandchild outlives the daemon by up to the mail's timeout: it
 * keeps none of its descriptors (a restarted daemon would find the old
 * socket still listening, clients would wait on it) and dies of the
 * signals the daemon blocks for its signalfd.
 */
static void leave_daemon(const struct upgraded *d)
{
	int fds[] = { d->listen_fd, d->sig_fd, d->timer_fd, d->step_pidfd, d->step_out,
		      d->step_in };
	sigset_t none;
	size_t i;

	for (i = 0; i < sizeof(fds) / sizeof(fds[0]); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	for (i = 0; i < UPGRADED_CLIENTS; i++)
		if (d->clients[i].fd >= 0)
			close(d->clients[i].fd);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/**
 * upgraded_mail() - mail the job's end, when configured
 * @d: the daemon
 */
void upgraded_mail(struct upgraded *d)
{
	static char body[SWAUTH_MAIL_BODY_MAX];
	char subject[SWAUTH_MAIL_SUBJECT_MAX + 1];
	struct swauth_mail m = { .server = d->conf.smtp_server, .to = d->conf.email_recipient,
				 .subject = subject, .body = body };
	struct swauth_error err;
	pid_t pid;

	if (!d->conf.smtp_server[0] || !d->conf.email_recipient[0])
		return;
	compose(d, subject, sizeof(subject), body, sizeof(body));
	pid = fork();
	if (pid < 0) {
		syslog(LOG_ERR, "status mail to %s not sent: %m", m.to);
		return;
	}
	if (pid) {
		waitpid(pid, NULL, 0);
		return;
	}
	if (fork())
		_exit(0);
	leave_daemon(d);
	swauth_error_clear(&err);
	if (swauth_mail_send(&m, &err))
		syslog(LOG_ERR, "status mail to %s not sent: %s", m.to, err.msg);
	else
		syslog(LOG_NOTICE, "status mail to %s sent: %s", m.to, subject);
	_exit(0);
}

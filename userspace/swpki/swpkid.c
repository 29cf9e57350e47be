// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpkid: auto-enrollment (E6). It enrolls every trustpoint with
 * `auto-enroll` that has no usable certificate, and renews each certificate
 * at the trustpoint's percentage of its lifetime (lib/pki.h: the schedule),
 * by running `swpki enroll TP --auto [--renew] [--regenerate]` from its own
 * directory, one at a time, in a child of its own process group that dies
 * with it. The timers, failed attempts included, live in DIR/swpkid.state
 * so that a restart or a power cut continues them. One thread, one poll():
 * a signalfd (SIGTERM and SIGINT stop, SIGHUP rereads the trustpoints), a
 * timerfd at the next due time, the child's output and its pidfd.
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
#include <sys/file.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/pki.h"

#ifndef SWAUTH_VERSION
#error "build with -DSWAUTH_VERSION=\"...\" (userspace/build.mk does)"
#endif

#define LOCK_FILE "swpkid.lock"

enum {
	LINE_MAX_LEN = 512,
	STOP_GRACE_MS = 5000,	/* a child asked to stop gets this long, then SIGKILL */
};

/* One auto-enrolled trustpoint: its timer and what the child is given. */
struct timer {
	struct swpki_auto_entry e;
	unsigned int retry_period;	/* minutes */
	unsigned int retry_count;
	bool regenerate;
	char *conf;			/* its configuration when last read */
};

struct swpkid {
	struct swpki_store s;
	char tool[PATH_MAX];		/* swpki, next to swpkid */
	int lock_fd, sig_fd, timer_fd;
	struct timer *t;
	size_t n;
	/* The child, when one runs (pid > 0), and which timer it serves. */
	pid_t pid;
	int pidfd, out;
	size_t cur;
	bool hup;			/* SIGHUP came while a child ran */
	bool open;			/* s is open */
	char partial[LINE_MAX_LEN];
	struct cli_child_lines lines;	/* over partial, to child_line() */
	char last[LINE_MAX_LEN];	/* its last line: the reason of a failure */
};

const char *cli_version(void)
{
	return SWAUTH_VERSION;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: swpkid [--dir DIR]\n\n"
		   "Auto-enrollment: enrolls every trustpoint configured with auto-enroll that\n"
		   "has no usable certificate, and renews each certificate at the trustpoint's\n"
		   "percentage of its lifetime, by running `swpki enroll TP --auto` from its own\n"
		   "directory. Failures are retried every retry period up to the retry count.\n"
		   "The timers are kept in DIR/swpkid.state (`swpki show timers`); a restart\n"
		   "continues them. SIGHUP rereads the trustpoints; SIGTERM stops. It runs in\n"
		   "the foreground and logs one line per event to standard error.\n\n"
		   "  --dir DIR      the PKI store (default $SWPKI_DIR, else %s)\n"
		   "  -h, --help     show this help\n"
		   "  -V, --version  show the version\n", SWPKI_DIR);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const char *when(time_t t, char *buf, size_t len)
{
	swpki_time_text(t, buf, len);
	return buf;
}

static const char *what(const struct swpki_auto_entry *e)
{
	return e->action == SWPKI_AUTO_ENROLL ? "enrollment" : "renewal";
}

static void free_timers(struct timer *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(t[i].conf);
	free(t);
}

static struct timer *find(struct timer *t, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(t[i].e.tp, name))
			return &t[i];
	return NULL;
}

static void save(struct swpkid *d)
{
	struct swauth_error err = { 0 };
	struct swpki_auto_entry *v = calloc(d->n ? d->n : 1, sizeof(*v));
	size_t i;

	if (!v) {
		say("%%PKI-3-AUTOENROLL_STATE: cannot write %s/%s: out of memory", d->s.path,
		    SWPKI_AUTO_STATE);
		return;
	}
	for (i = 0; i < d->n; i++)
		v[i] = d->t[i].e;
	if (swpki_auto_state_save(&d->s, v, d->n, &err))
		say("%%PKI-3-AUTOENROLL_STATE: cannot write %s/%s: %s", d->s.path,
		    SWPKI_AUTO_STATE, err.msg);
	free(v);
}

static void announce(const struct timer *t)
{
	char at[32];

	if (t->e.status == SWPKI_AUTO_GIVEN_UP)
		say("%%PKI-6-AUTOENROLL: trustpoint %s: %s given up after %u failed attempts",
		    t->e.tp, what(&t->e), t->e.attempts);
	else if (t->e.action == SWPKI_AUTO_ENROLL && !t->e.attempts)
		say("%%PKI-6-AUTOENROLL: trustpoint %s: no usable certificate, enrolling", t->e.tp);
	else
		say("%%PKI-6-AUTOENROLL: trustpoint %s: %s%s at %s", t->e.tp,
		    t->e.attempts ? "retry of the " : "", what(&t->e),
		    when(t->e.at, at, sizeof(at)));
}

/*
 * The timer of @tp, planned from its certificates, merged with what was
 * known of it (@prev: the old timer or the state file's entry). The same
 * action for the same certificate keeps its retry time and attempts; a
 * given-up one gets a new round when @fresh (a start, a changed
 * configuration).
 */
static int plan(struct swpkid *d, const struct swpki_trustpoint *tp,
		const struct swpki_auto_entry *prev, bool fresh, struct timer *t)
{
	struct swauth_error err = { 0 };
	int ret;

	ret = swpki_auto_plan(&d->s, tp, time(NULL), &t->e, &err);
	if (ret) {
		say("%%PKI-3-AUTOENROLL: trustpoint %s: %s", tp->name, err.msg);
		return ret;
	}
	t->retry_period = tp->retry_period;
	t->retry_count = tp->retry_count;
	t->regenerate = tp->auto_enroll_regenerate || tp->regenerate;
	if (prev && prev->action == t->e.action && !strcmp(prev->serial, t->e.serial) &&
	    prev->status != SWPKI_AUTO_SCHEDULED && !(fresh && prev->status == SWPKI_AUTO_GIVEN_UP))
		t->e = *prev;
	return 0;
}

/* Auto-enrollment needs a CA to ask: SCEP (enrollment url) or a profile. */
static bool can_auto_enroll(const struct swpki_trustpoint *tp)
{
	return (tp->enroll == SWPKI_ENROLL_URL &&
		(!strncmp(tp->url, "http://", 7) || !strncmp(tp->url, "https://", 8))) ||
	       tp->enroll == SWPKI_ENROLL_PROFILE;
}

/*
 * (Re)read the trustpoints: @old[0..nold) are the state file's entries at
 * a start (@start), else the timers are d->t's. Never while a child runs:
 * its timer must stay where it is until it ends.
 */
static void reload(struct swpkid *d, const struct swpki_auto_entry *old, size_t nold, bool start)
{
	struct swauth_error err = { 0 };
	struct swpki_trustpoint tp;
	struct timer *nt, *o;
	char **names = NULL, *conf;
	size_t i, j, n = 0, count = 0;

	if (swpki_tp_list(&d->s, &names, &n, &err)) {
		say("%%PKI-3-AUTOENROLL: %s; the timers are unchanged", err.msg);
		return;
	}
	nt = calloc(n ? n : 1, sizeof(*nt));
	if (!nt) {
		say("%%PKI-3-AUTOENROLL: out of memory; the timers are unchanged");
		swpki_tp_list_free(names, n);
		return;
	}
	for (i = 0; i < n; i++) {
		const struct swpki_auto_entry *prev = NULL;
		bool changed = start;

		if (swpki_tp_load(&d->s, names[i], &tp, &err)) {
			say("%%PKI-3-AUTOENROLL: %s", err.msg);
			continue;
		}
		if (!tp.auto_enroll)
			continue;
		if (!can_auto_enroll(&tp)) {
			say("%%PKI-4-AUTOENROLL: trustpoint %s: auto-enroll needs enrollment url http:// (SCEP) or an enrollment profile; skipped",
			    tp.name);
			continue;
		}
		if (swpki_tp_format(&tp, &conf, &err)) {
			say("%%PKI-3-AUTOENROLL: trustpoint %s: %s", tp.name, err.msg);
			continue;
		}
		o = find(d->t, d->n, tp.name);
		if (o) {
			prev = &o->e;
			changed = strcmp(o->conf, conf) != 0;
		}
		for (j = 0; !o && j < nold; j++)
			if (!strcmp(old[j].tp, tp.name))
				prev = &old[j];
		if (plan(d, &tp, prev, changed, &nt[count])) {
			free(conf);
			continue;
		}
		nt[count].conf = conf;
		if (!o || o->e.action != nt[count].e.action || o->e.at != nt[count].e.at ||
		    o->e.status != nt[count].e.status)
			announce(&nt[count]);
		count++;
	}
	swpki_tp_list_free(names, n);
	free_timers(d->t, d->n);
	d->t = nt;
	d->n = count;
	save(d);
}

static void start(struct swpkid *d, size_t i)
{
	struct timer *t = &d->t[i];
	char *argv[10];
	int p[2], argc = 0;
	pid_t pid;

	argv[argc++] = d->tool;
	argv[argc++] = "--dir";
	argv[argc++] = d->s.path;
	argv[argc++] = "enroll";
	argv[argc++] = t->e.tp;
	argv[argc++] = "--auto";
	if (t->e.action == SWPKI_AUTO_RENEW) {
		argv[argc++] = "--renew";
		if (t->regenerate)
			argv[argc++] = "--regenerate";
	}
	argv[argc] = NULL;
	say("%%PKI-6-AUTOENROLL: trustpoint %s: %s%s started (%s)", t->e.tp,
	    t->e.attempts ? "retry of the " : "", what(&t->e), "swpki enroll --auto");
	if (pipe2(p, O_CLOEXEC)) {
		say("%%PKI-3-AUTOENROLL: trustpoint %s: %s", t->e.tp, strerror(errno));
		return;
	}
	pid = cli_child_fork(-1, p[1]);
	if (!pid) {
		execv(argv[0], argv);
		printf("swpkid: cannot run %s: %s\n", argv[0], strerror(errno));
		fflush(stdout);
		_exit(127);
	}
	close(p[1]);
	if (pid < 0) {
		say("%%PKI-3-AUTOENROLL: trustpoint %s: %s", t->e.tp, strerror(errno));
		close(p[0]);
		return;
	}
	d->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (d->pidfd < 0) {
		say("%%PKI-3-AUTOENROLL: trustpoint %s: %s", t->e.tp, strerror(errno));
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(p[0]);
		return;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	d->pid = pid;
	d->out = p[0];
	d->cur = i;
	d->lines.len = 0;
	d->last[0] = '\0';
}

/* Each line of the child: the last one is the reason of a failure. */
static void child_line(void *arg, const char *line)
{
	struct swpkid *d = arg;

	snprintf(d->last, sizeof(d->last), "%s", line);
}

/* The child is gone or goes: reap it and its group; its exit code. */
static int reap(struct swpkid *d)
{
	int code = cli_child_reap(d->pid, &d->pidfd, &d->out, &d->lines);

	d->pid = 0;
	return code;
}

static void failed(struct timer *t, int code, const char *reason)
{
	char at[32];

	t->e.attempts++;
	if (t->e.attempts > t->retry_count) {
		t->e.status = SWPKI_AUTO_GIVEN_UP;
		say("%%PKI-3-AUTOENROLL_FAIL: trustpoint %s: %s failed (exit %d): %s", t->e.tp,
		    what(&t->e), code, reason);
		say("%%PKI-3-AUTOENROLL_GIVEUP: trustpoint %s: %s given up after %u failed attempts; swpkid tries again at its next start or when the trustpoint's configuration changes (SIGHUP)",
		    t->e.tp, what(&t->e), t->e.attempts);
		return;
	}
	t->e.status = SWPKI_AUTO_RETRY;
	t->e.at = time(NULL) + (time_t)t->retry_period * 60;
	say("%%PKI-3-AUTOENROLL_FAIL: trustpoint %s: %s failed (exit %d): %s; retry %u of %u at %s",
	    t->e.tp, what(&t->e), code, reason, t->e.attempts, t->retry_count,
	    when(t->e.at, at, sizeof(at)));
}

static void child_exited(struct swpkid *d)
{
	struct swauth_error err = { 0 };
	struct timer *t = &d->t[d->cur];
	struct swpki_auto_entry before = t->e;
	struct swpki_trustpoint tp;
	char reason[LINE_MAX_LEN * 4];
	int code = reap(d);

	swauth_escape(reason, sizeof(reason), d->last, strlen(d->last));
	if (code) {
		failed(t, code, reason[0] ? reason : "no message");
	} else if (swpki_tp_load(&d->s, t->e.tp, &tp, &err) ||
		   swpki_auto_plan(&d->s, &tp, time(NULL), &t->e, &err)) {
		t->e = before;
		failed(t, code, err.msg);
	} else if (t->e.action == before.action && !strcmp(t->e.serial, before.serial) &&
		   t->e.at <= time(NULL)) {
		/* A success that changed nothing must not run again at once. */
		t->e = before;
		failed(t, code, "swpki enroll reported success, but the certificate is unchanged");
	} else {
		say("%%PKI-6-CERTRET: Certificate received from Certificate Authority for trustpoint %s",
		    t->e.tp);
		announce(t);
	}
	save(d);
}

/* The next timer due (status not given up), or -1. */
static long next_timer(const struct swpkid *d)
{
	long best = -1;
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->t[i].e.status != SWPKI_AUTO_GIVEN_UP &&
		    (best < 0 || d->t[i].e.at < d->t[(size_t)best].e.at))
			best = (long)i;
	return best;
}

/*
 * A timer is due: planned again from the store first, so that a
 * certificate renewed by hand, or a percentage changed without a SIGHUP,
 * is not renewed again. Returns whether it is still due.
 */
static bool still_due(struct swpkid *d, struct timer *t)
{
	struct swauth_error err = { 0 };
	struct swpki_trustpoint tp;
	struct timer nt = *t;

	if (swpki_tp_load(&d->s, t->e.tp, &tp, &err) || plan(d, &tp, &t->e, false, &nt))
		return true;
	if (nt.e.at > time(NULL)) {
		*t = nt;
		announce(t);
		save(d);
		return false;
	}
	*t = nt;
	return true;
}

/* Start what is due, else arm the timerfd for the next one. */
static void schedule(struct swpkid *d)
{
	struct itimerspec its = { 0 };
	long i;

	if (d->pid > 0)
		return;
	i = next_timer(d);
	while (i >= 0 && d->t[i].e.at <= time(NULL) && !still_due(d, &d->t[i]))
		i = next_timer(d);
	if (i >= 0 && d->t[i].e.at <= time(NULL)) {
		start(d, (size_t)i);
		if (d->pid > 0)
			return;
		/* It could not even start: a failed attempt like any other. */
		failed(&d->t[i], CLI_EXIT_SYSTEM, "swpki could not be started");
		save(d);
		i = next_timer(d);
	}
	if (i >= 0)
		its.it_value.tv_sec = d->t[i].e.at > 0 ? d->t[i].e.at : 1;
	timerfd_settime(d->timer_fd, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &its, NULL);
}

static int lock_store(struct swpkid *d)
{
	char pid[32] = "";
	ssize_t n;

	d->lock_fd = openat(d->s.dir_fd, LOCK_FILE, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
			    0600);
	if (d->lock_fd < 0) {
		fprintf(stderr, "swpkid: %s/%s: %s\n", d->s.path, LOCK_FILE, strerror(errno));
		return -1;
	}
	if (flock(d->lock_fd, LOCK_EX | LOCK_NB)) {
		n = pread(d->lock_fd, pid, sizeof(pid) - 1, 0);
		pid[n > 0 ? n : 0] = '\0';
		pid[strcspn(pid, "\n")] = '\0';
		fprintf(stderr, "swpkid: another swpkid%s%s%s serves the store %s (%s/%s is locked); only one may\n",
			pid[0] ? " (PID " : "", pid, pid[0] ? ")" : "", d->s.path, d->s.path,
			LOCK_FILE);
		return -1;
	}
	n = snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	if (ftruncate(d->lock_fd, 0) || pwrite(d->lock_fd, pid, (size_t)n, 0) != n)
		fprintf(stderr, "swpkid: %s/%s: %s\n", d->s.path, LOCK_FILE, strerror(errno));
	return 0;
}

static int setup(struct swpkid *d, const char *dir)
{
	struct swauth_error err = { 0 };
	struct swpki_auto_entry *old = NULL;
	char here[PATH_MAX];
	size_t nold = 0;
	int ret;

	d->lines = (struct cli_child_lines){ .buf = d->partial, .size = sizeof(d->partial),
					     .line = child_line, .arg = d };
	if (swpki_store_open(&d->s, swpki_store_path(dir), false, &err)) {
		fprintf(stderr, "swpkid: %s\n", err.msg);
		return CLI_EXIT_USAGE;
	}
	d->open = true;
	if (lock_store(d))
		return CLI_EXIT_SYSTEM;
	if (cli_tool_dir(here, sizeof(here)) ||
	    (size_t)snprintf(d->tool, sizeof(d->tool), "%s/swpki", here) >= sizeof(d->tool)) {
		fprintf(stderr, "swpkid: cannot find its own directory\n");
		return CLI_EXIT_SYSTEM;
	}
	if (cli_daemon_fds(&d->sig_fd, &d->timer_fd)) {
		fprintf(stderr, "swpkid: %s\n", strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	say("swpkid %s: serving the store %s", SWAUTH_VERSION, d->s.path);
	ret = swpki_auto_state_load(&d->s, &old, &nold, &err);
	if (ret && ret != -ENOENT)
		say("%%PKI-3-AUTOENROLL_STATE: %s; the timers are recomputed from the certificates",
		    err.msg);
	reload(d, ret ? NULL : old, ret ? 0 : nold, true);
	free(old);
	return CLI_EXIT_OK;
}

/* Stop the child, if one runs: SIGTERM to its group, then SIGKILL. */
static void stop_child(struct swpkid *d)
{
	struct pollfd p = { .fd = d->pidfd, .events = POLLIN };
	int code;

	if (d->pid <= 0)
		return;
	kill(-d->pid, SIGTERM);
	while (poll(&p, 1, STOP_GRACE_MS) < 0 && errno == EINTR)
		;
	code = reap(d);
	say("%%PKI-6-AUTOENROLL: trustpoint %s: %s stopped with swpkid (exit %d); it runs again at the next start",
	    d->t[d->cur].e.tp, what(&d->t[d->cur].e), code);
}

static int run(struct swpkid *d)
{
	struct signalfd_siginfo si;
	struct pollfd p[4];
	uint64_t ticks;
	int n;

	for (;;) {
		schedule(d);
		p[0] = (struct pollfd){ .fd = d->sig_fd, .events = POLLIN };
		p[1] = (struct pollfd){ .fd = d->timer_fd, .events = POLLIN };
		p[2] = (struct pollfd){ .fd = d->out, .events = POLLIN };
		p[3] = (struct pollfd){ .fd = d->pidfd, .events = POLLIN };
		n = poll(p, 4, -1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return CLI_EXIT_SYSTEM;
		if (p[0].revents && read(d->sig_fd, &si, sizeof(si)) == sizeof(si)) {
			if (si.ssi_signo != SIGHUP) {
				say("swpkid: stopping on signal %u", si.ssi_signo);
				return CLI_EXIT_OK;
			}
			d->hup = true;
		}
		/* Read errors (ECANCELED: the clock was set) only mean: look again. */
		if (p[1].revents && read(d->timer_fd, &ticks, sizeof(ticks)) < 0 &&
		    errno != EAGAIN && errno != ECANCELED)
			return CLI_EXIT_SYSTEM;
		if (p[2].revents && d->out >= 0)
			cli_child_read(&d->out, &d->lines);
		if (p[3].revents && d->pid > 0)
			child_exited(d);
		if (d->hup && d->pid <= 0) {
			d->hup = false;
			say("swpkid: SIGHUP: rereading the trustpoints");
			reload(d, NULL, 0, false);
		}
	}
}

int main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	static struct swpkid d = { .lock_fd = -1, .sig_fd = -1, .timer_fd = -1, .pidfd = -1,
				   .out = -1 };
	const char *dir = NULL;
	int opt, ret;

	cli_prog_name = "swpkid";
	while ((opt = getopt_long(argc, argv, "hV", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			dir = optarg;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("swpkid %s\n", cli_version());
			return CLI_EXIT_OK;
		default:
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "swpkid: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	ret = setup(&d, dir);
	if (!ret)
		ret = run(&d);
	stop_child(&d);
	free_timers(d.t, d.n);
	if (d.open)
		swpki_store_close(&d.s);
	return ret;
}

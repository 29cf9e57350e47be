// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The upgrade job: its steps in order, what each outcome leads to, and
 * what survives a restart. Every change of state is written to
 * state-dir/upgrade before the step it announces begins, so that after a
 * crash the record never claims less than was done.
 *
 *   getversion:  locate - space - download - check -> ready | schedule
 *   runversion:  ready -> schedule
 *   schedule:    at its time (now: at once) boot-image - reload
 *
 * The configured boot image changes only right before the reload, so a
 * power cut before that boots the old image; a failure after it puts the
 * old boot image back.
 */

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <time.h>
#include <syslog.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/fs.h"
#include "lib/xfer.h"
#include "swupgrade/swupgrade.h"

static bool busy(const struct upgraded *d)
{
	return d->have_job && (d->job.state == SWAUTH_UPGRADE_RUNNING ||
			       d->job.state == SWAUTH_UPGRADE_SCHEDULED ||
			       d->job.state == SWAUTH_UPGRADE_RELOADING ||
			       d->job.state == SWAUTH_UPGRADE_CONFIRMING ||
			       d->job.state == SWAUTH_UPGRADE_ROLLBACK);
}

/* Record the job; a job that cannot be recorded does not go on. */
static int save(struct upgraded *d)
{
	struct swauth_error err;

	d->job.updated = time(NULL);
	swauth_error_clear(&err);
	if (swauth_upgrade_job_write(d->job_path, &d->job, &err)) {
		upgraded_say(d, "%%Cannot record the upgrade's state: %s", err.msg);
		return -1;
	}
	return 0;
}

static void disarm(struct upgraded *d)
{
	struct itimerspec off = { 0 };

	timerfd_settime(d->timer_fd, 0, &off, NULL);
}

static void tool(const struct upgraded *d, const char *name, char *buf, size_t len)
{
	snprintf(buf, len, "%s/%s", d->tool_dir, name);
}

/* Put back the boot image the job replaced; false when that failed. */
static bool restore_boot(struct upgraded *d)
{
	char swauth[PATH_MAX + 16];
	char *clear[] = { swauth, "boot", "system", "--clear", NULL };
	char *set[] = { swauth, "boot", "system", d->job.prev_boot, NULL };

	if (!d->job.boot_switched)
		return true;
	tool(d, "swauth", swauth, sizeof(swauth));
	if (step_run_sync(d, d->job.prev_boot[0] ? set : clear))
		return false;
	d->job.boot_switched = 0;
	upgraded_say(d, "%%Boot image restored to %s",
		     d->job.prev_boot[0] ? d->job.prev_boot : "none (cleared)");
	return true;
}

/* A job that does not end in the new image takes back what it downloaded. */
static void remove_download(struct upgraded *d)
{
	struct swauth_reload_record running;
	struct swauth_error err;
	char where[PATH_MAX];
	const char *name;
	bool reloaded;
	int dir;

	if (!d->job.downloaded)
		return;
	/*
	 * Only what a download writes: flash:NAME, at the path that name has
	 * now; never a path the record alone names.
	 */
	swauth_error_clear(&err);
	if (strncmp(d->job.image, "flash:", 6) || strchr(d->job.image + 6, '/') ||
	    swauth_storage_resolve(&d->cfg, d->job.image, where, sizeof(where), &err) ||
	    strcmp(where, d->job.path)) {
		upgraded_say(d, "%%Kept %s: the job record's path %s is not where %s is", d->job.image,
			     d->job.path, d->job.image);
		return;
	}
	/*
	 * Never the image the system runs or boots, whatever went before:
	 * while boot_switched, boot-image may be this image (d->cfg is from
	 * before the switch), as when it could not be set back.
	 */
	if (d->job.boot_switched || upgraded_same_file(d->job.path, d->cfg.boot_image))
		return;
	if (swauth_running_image(&d->cfg, &running, &reloaded)) {
		/* Not knowing what runs after a reload: keep it. */
		if (d->job.step >= SWAUTH_STEP_BOOT_IMAGE)
			return;
	} else if (upgraded_same_file(d->job.path, running.image)) {
		return;
	}
	dir = swauth_dir_open_parent(d->job.path, &name, &err);
	if (dir < 0 || (unlinkat(dir, name, 0) && errno != ENOENT)) {
		upgraded_say(d, "%%Cannot delete %s, which this job downloaded: %s", d->job.image,
			     dir < 0 ? err.msg : strerror(errno));
	} else {
		d->job.downloaded = 0;
		upgraded_say(d, "%%Deleted %s, which this job downloaded", d->job.image);
	}
	if (dir >= 0)
		close(dir);
}

/* The job rests in @state with its message: recorded, said, its followers told @status. */
static void settle(struct upgraded *d, enum swauth_upgrade_state state, int status)
{
	d->job.state = state;
	save(d);
	upgraded_say(d, "%s", d->job.message);
	upgraded_job_rests(d, status);
}

static void rest(struct upgraded *d, enum swauth_upgrade_state state, int status,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void rest(struct upgraded *d, enum swauth_upgrade_state state, int status,
		 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(d->job.message, sizeof(d->job.message), fmt, ap);
	va_end(ap);
	settle(d, state, status);
}

/*
 * The job's end, once the previous image is back if it had to go: the
 * old boot image back where the job had changed it, the image it
 * downloaded deleted unless the job is done, the record written, the
 * line said, the followers told @status.
 */
/*
 * The reload went in on trial (swauth reload --trial: cold, on trial;
 * warm, staged): a job done in the new image confirms it to the boot
 * loader; a system that the boot loader took back to the previous pair
 * keeps that one. A job that fails while the trial's pair runs leaves the
 * trial, so the next boot goes back; a staged pair that did not become
 * the system goes, and so does a cold trial whose reboot did not come
 * (swauth_bootdir_unstage()).
 */
static void settle_boot_loader(struct upgraded *d, enum swauth_upgrade_state state)
{
	const char *entry = swauth_boot_entry(&d->cfg);
	struct swauth_error err;
	char said[256];
	size_t n;

	if (!entry || (state != SWAUTH_UPGRADE_DONE && strcmp(entry, "previous"))) {
		swauth_bootdir_unstage(&d->cfg);
		return;
	}
	swauth_error_clear(&err);
	if (!swauth_bootdir_confirm(&d->cfg, said, sizeof(said), &err)) {
		upgraded_say(d, "%%Boot loader: %s", said);
		return;
	}
	n = strlen(d->job.message);
	snprintf(d->job.message + n, sizeof(d->job.message) - n,
		 "; warning: the boot loader's trial could not be ended (%s): swauth boot confirm",
		 err.msg);
}

static void finish(struct upgraded *d, enum swauth_upgrade_state state, int status)
{
	size_t n;

	settle_boot_loader(d, state);

	if (!restore_boot(d)) {
		n = strlen(d->job.message);
		snprintf(d->job.message + n, sizeof(d->job.message) - n,
			 "; the old boot image %s could not be set back: set it with swauth boot system",
			 d->job.prev_boot[0] ? d->job.prev_boot : "(none)");
	}
	if (state != SWAUTH_UPGRADE_DONE)
		remove_download(d);
	settle(d, state, status);
	upgraded_mail(d);
}

static void rollback_reload(struct upgraded *d, const char *why);

/* What the job does once the previous image is back: a rollback goes on, a job ends. */
static void after_fallback(struct upgraded *d)
{
	enum swauth_upgrade_state then = d->job.fallback_then;

	if (then == SWAUTH_UPGRADE_ROLLBACK)
		rollback_reload(d, d->job.message);
	else
		finish(d, then, then == SWAUTH_UPGRADE_DONE ? CLI_EXIT_OK : CLI_EXIT_VERIFY_FAILED);
}

/*
 * The fallback step ended with @status: its outcome goes into the job's
 * message (a failure is a warning, not the job's failure), then the end.
 */
static void fallback_done(struct upgraded *d, int status)
{
	size_t n = strlen(d->job.message);

	d->job.fallback = status ? SWAUTH_FALLBACK_FAILED : SWAUTH_FALLBACK_RESTORED;
	if (status) {
		snprintf(d->job.message + n, sizeof(d->job.message) - n,
			 "; warning: the previous image %s could not be downloaded again from %s (%s): swcopy /verify %s %s gets it",
			 d->job.fallback_image, d->job.fallback_url,
			 status == CLI_EXIT_VERIFY_FAILED ? "it failed verification" :
			 status == UPGRADED_EXIT_DIFFERS ? "another image came, not the one deleted" :
			 d->aborting ? "aborted" : "the download failed",
			 d->job.fallback_url, d->job.fallback_image);
		/* A job that ends before its switch leaves boot-image naming that file. */
		n = strlen(d->job.message);
		if (!d->job.boot_switched && d->job.fallback_then != SWAUTH_UPGRADE_DONE &&
		    d->job.fallback_then != SWAUTH_UPGRADE_ROLLBACK)
			snprintf(d->job.message + n, sizeof(d->job.message) - n,
				 "; until then the boot image %s is absent", d->cfg.boot_image);
	} else
		snprintf(d->job.message + n, sizeof(d->job.message) - n,
			 "; the previous image %s was downloaded again from %s%s",
			 d->job.fallback_image, d->job.fallback_url,
			 d->job.fallback_then == SWAUTH_UPGRADE_DONE ? " as the fallback" : "");
	d->aborting = false;
	after_fallback(d);
}

/*
 * The space step deleted the previous boot image: it comes back from
 * fallback-url through swcopy /verify (nothing partial is ever left), the
 * same file by its SHA-256 (step_fallback()), before the job goes on to
 * fallback-then.
 */
static void fallback(struct upgraded *d)
{
	char where[PATH_MAX];
	struct swauth_error err;

	/* Only what arm_fallback() records: flash:NAME, never a path the record alone names. */
	if (strncmp(d->job.fallback_image, "flash:", 6) || strchr(d->job.fallback_image + 6, '/')) {
		upgraded_say(d, "%%The job record's fallback image %s is not flash:NAME",
			     d->job.fallback_image);
		fallback_done(d, CLI_EXIT_USAGE);
		return;
	}
	swauth_error_clear(&err);
	if (!swauth_storage_resolve(&d->cfg, d->job.fallback_image, where, sizeof(where), &err) &&
	    !access(where, F_OK)) {
		/* The deletion had not happened (or the image came back before a cut). */
		if (upgraded_fallback_same(d, where)) {
			d->job.fallback = SWAUTH_FALLBACK_NONE;
			after_fallback(d);
			return;
		}
		/* swcopy put another image there before a cut: the step replaces it. */
		upgraded_say(d, "%%%s is not the image that was deleted (its SHA-256 differs)",
			     d->job.fallback_image);
	}
	d->job.state = SWAUTH_UPGRADE_RUNNING;
	d->job.step = SWAUTH_STEP_FALLBACK;
	upgraded_say(d, "%%Downloading the previous image %s again from %s", d->job.fallback_image,
		     d->job.fallback_url);
	if (save(d) || step_start(d, step_fallback, NULL))
		fallback_done(d, CLI_EXIT_SYSTEM);
}

static void end_job(struct upgraded *d, enum swauth_upgrade_state state, int status,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void end_job(struct upgraded *d, enum swauth_upgrade_state state, int status,
		    const char *fmt, ...)
{
	va_list ap;

	disarm(d);
	d->aborting = false;
	va_start(ap, fmt);
	vsnprintf(d->job.message, sizeof(d->job.message), fmt, ap);
	va_end(ap);
	if (d->job.fallback == SWAUTH_FALLBACK_DELETED) {
		/*
		 * The job's download goes first (by the step it ended at), making
		 * room, unless it is the boot image now: then it stays until the
		 * previous image is back and set back (finish()).
		 */
		if (state != SWAUTH_UPGRADE_DONE)
			remove_download(d);
		d->job.fallback_then = state;
		fallback(d);
		return;
	}
	finish(d, state, status);
}

static void fail(struct upgraded *d, const char *why)
{
	end_job(d, SWAUTH_UPGRADE_FAILED, CLI_EXIT_VERIFY_FAILED,
		"%%Upgrade to %s failed at step %s: %s", d->job.image,
		swauth_upgrade_step_name(d->job.step), why);
}

static void begin(struct upgraded *d, enum swauth_upgrade_step step,
		  int (*fn)(struct upgraded *d), char *const argv[])
{
	d->job.step = step;
	if (save(d)) {
		fail(d, "its state cannot be recorded");
		return;
	}
	if (step_start(d, fn, argv))
		fail(d, "cannot start the step");
}

static void download(struct upgraded *d)
{
	char swcopy[PATH_MAX + 16];
	char *argv[] = { swcopy, "/verify", "--yes", "--progress", "marks", d->url,
			 d->job.image, NULL };

	tool(d, "swcopy", swcopy, sizeof(swcopy));
	upgraded_say(d, "%%Downloading %s to %s", d->job.source, d->job.image);
	begin(d, SWAUTH_STEP_DOWNLOAD, NULL, argv);
}

/* The reload into the boot image: the new one, or on rollback the previous one. */
static void reload(struct upgraded *d, bool back)
{
	char swauth[PATH_MAX + 16], reason[64];
	char *warm[] = { swauth, "reload", "--warm", "--yes", "reason", reason, NULL };
	char *warm_trial[] = { swauth, "reload", "--warm", "--trial", "--yes", "reason", reason,
			       NULL };
	char *cold[] = { swauth, "reload", "--yes", "reason", reason, NULL };
	char *trial[] = { swauth, "reload", "--trial", "--yes", "reason", reason, NULL };

	tool(d, "swauth", swauth, sizeof(swauth));
	snprintf(reason, sizeof(reason), "swupgrade job %s%s", d->job.id, back ? " rollback" : "");
	d->job.state = back ? SWAUTH_UPGRADE_ROLLBACK : SWAUTH_UPGRADE_RELOADING;
	if (swauth_boot_id(d->job.boot_id, sizeof(d->job.boot_id)))
		d->job.boot_id[0] = '\0';
	upgraded_say(d, "%%Reloading (%s) into %s", d->job.kind == SWAUTH_RELOAD_WARM ? "warm" :
		     "cold", back ? d->job.prev_boot : d->job.image);
	/* The new image goes to boot-dir on trial; a rollback's previous image is known good. */
	if (d->job.kind == SWAUTH_RELOAD_WARM)
		begin(d, back ? SWAUTH_STEP_ROLLBACK : SWAUTH_STEP_RELOAD, NULL,
		      back ? warm : warm_trial);
	else
		begin(d, back ? SWAUTH_STEP_ROLLBACK : SWAUTH_STEP_RELOAD, NULL,
		      back ? cold : trial);
}

/*
 * The rollback's reload into the previous boot image; @why goes into the
 * job's end when that image cannot be set.
 */
static void rollback_reload(struct upgraded *d, const char *why)
{
	static char because[sizeof(d->job.message)];

	snprintf(because, sizeof(because), "%s", why);
	d->job.step = SWAUTH_STEP_ROLLBACK;
	if (!d->job.prev_boot[0] || !restore_boot(d)) {
		d->job.downloaded = 0;
		end_job(d, SWAUTH_UPGRADE_FAILED, CLI_EXIT_VERIFY_FAILED,
			"%%Rollback from %s failed: the previous boot image %s cannot be set; the system runs %s (%s)",
			d->job.image, d->job.prev_boot[0] ? d->job.prev_boot : "(none)",
			d->job.image, because);
		return;
	}
	reload(d, true);
}

/*
 * The new image did not prove itself: the previous boot image back (first
 * downloaded again when the space step deleted it), and a reload into it.
 * After it, job_recover() ends the job as rolled back.
 */
static void rollback(struct upgraded *d, const char *why)
{
	disarm(d);
	d->job.step = SWAUTH_STEP_ROLLBACK;
	snprintf(d->job.message, sizeof(d->job.message), "%%Rolling back from %s: %s",
		 d->job.image, why);
	upgraded_say(d, "%s", d->job.message);
	if (d->job.fallback == SWAUTH_FALLBACK_DELETED) {
		d->job.fallback_then = SWAUTH_UPGRADE_ROLLBACK;
		fallback(d);
		return;
	}
	rollback_reload(d, why);
}

/*
 * The system came up in the new image. Without health checks the job is
 * done; with them it is on probation until they pass (and, with confirm,
 * until swupgrade confirm) or the deadline rolls it back.
 */
static void came_up(struct upgraded *d)
{
	struct itimerspec at = { 0 };
	char t[64];

	if (!d->conf.health_check[0]) {
		d->job.boot_switched = 0;
		end_job(d, SWAUTH_UPGRADE_DONE, CLI_EXIT_OK, "%%Upgrade done: the system runs %s",
			d->job.image);
		return;
	}
	d->job.state = SWAUTH_UPGRADE_CONFIRMING;
	d->job.deadline = time(NULL) + d->conf.confirm_deadline;
	swauth_reload_format_time((time_t)d->job.deadline, t, sizeof(t));
	snprintf(d->job.message, sizeof(d->job.message),
		 "%%The system runs %s on probation: health checks %s, by %s or it rolls back",
		 d->job.image, d->conf.health_check, t);
	at.it_value.tv_sec = d->job.deadline;
	timerfd_settime(d->timer_fd, TFD_TIMER_ABSTIME, &at, NULL);
	upgraded_say(d, "%s", d->job.message);
	begin(d, SWAUTH_STEP_HEALTH, step_health, NULL);
}

static bool wants_confirm(const struct upgraded *d)
{
	const char *list = d->conf.health_check;
	char word[256];

	while (swauth_health_check_next(&list, word, sizeof(word)) > 0)
		if (!strcmp(word, "confirm"))
			return true;
	return false;
}

/*
 * The reload's time came: boot-image first, then the reload itself. The
 * image is set by the payload digest check verified, not verified again
 * (the reload's seal verifies it and refuses another digest); a job
 * recorded without one has it verified again.
 */
static void boot_image(struct upgraded *d)
{
	struct swauth_error err;
	char swauth[PATH_MAX + 16];
	char *argv[] = { swauth, "boot", "system", d->job.image, "--verified-digest",
			 d->job.verified_digest, NULL };

	if (!d->job.verified_digest[0])
		argv[4] = NULL;
	tool(d, "swauth", swauth, sizeof(swauth));
	disarm(d);
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &d->cfg, &err)) {
		d->job.step = SWAUTH_STEP_BOOT_IMAGE;
		fail(d, err.msg);
		return;
	}
	d->job.state = SWAUTH_UPGRADE_RUNNING;
	snprintf(d->job.prev_boot, sizeof(d->job.prev_boot), "%s", d->cfg.boot_image);
	/*
	 * Recorded as switched before the switch: a power cut after swauth
	 * boot system wrote swauth.conf, before the next record, must still
	 * put prev_boot back (which is harmless when the switch had not happened).
	 */
	d->job.boot_switched = 1;
	begin(d, SWAUTH_STEP_BOOT_IMAGE, NULL, argv);
}

static void schedule(struct upgraded *d)
{
	struct itimerspec at = { .it_value.tv_sec = d->job.when };
	char t[64], in[32];
	time_t now = time(NULL);

	d->job.step = SWAUTH_STEP_SCHEDULE;
	if (d->job.when <= now) {
		boot_image(d);
		return;
	}
	d->job.state = SWAUTH_UPGRADE_SCHEDULED;
	swauth_reload_format_time((time_t)d->job.when, t, sizeof(t));
	swauth_reload_format_in(now, (time_t)d->job.when, in, sizeof(in));
	snprintf(d->job.message, sizeof(d->job.message),
		 "Reload into %s scheduled for %s (in %s)", d->job.image, t, in);
	if (save(d)) {
		fail(d, "its state cannot be recorded");
		return;
	}
	timerfd_settime(d->timer_fd, TFD_TIMER_ABSTIME, &at, NULL);
	upgraded_say(d, "%s", d->job.message);
	upgraded_job_rests(d, CLI_EXIT_OK);
}

/* After check: rest as ready, or go on to the reload's schedule. */
static void checked(struct upgraded *d)
{
	if (!d->job.when) {
		rest(d, SWAUTH_UPGRADE_READY, CLI_EXIT_OK,
		     "%%Image %s is ready: swupgrade runversion reloads into it", d->job.image);
		return;
	}
	schedule(d);
}

/**
 * job_step_done() - the step's child ended with @status; on to the next
 * @d: the daemon
 * @status: the child's exit status (128 + N: killed by signal N)
 */
void job_step_done(struct upgraded *d, int status)
{
	const char *step = swauth_upgrade_step_name(d->job.step);

	/* Stopped, the next daemon downloads the previous image again. */
	if (d->job.step == SWAUTH_STEP_FALLBACK) {
		if (d->stopping)
			save(d);
		else
			fallback_done(d, status);
		return;
	}
	/* On probation the job outlives the daemon: the next one checks again. */
	if (d->stopping && d->job.step == SWAUTH_STEP_HEALTH) {
		save(d);
		return;
	}
	if (d->stopping) {
		end_job(d, SWAUTH_UPGRADE_FAILED, CLI_EXIT_SYSTEM,
			"%%Upgrade to %s interrupted at step %s: swupgraded stopped", d->job.image,
			step);
		return;
	}
	if (d->confirmed) {
		d->confirmed = false;
		disarm(d);
		d->job.boot_switched = 0;
		end_job(d, SWAUTH_UPGRADE_DONE, CLI_EXIT_OK,
			"%%Upgrade done: %s confirmed by the operator", d->job.image);
		return;
	}
	if (d->deadline_passed) {
		d->deadline_passed = false;
		rollback(d, "its health checks did not pass by the deadline");
		return;
	}
	if (d->aborting) {
		end_job(d, SWAUTH_UPGRADE_ABORTED, CLI_EXIT_VERIFY_FAILED,
			"%%Upgrade to %s aborted at step %s", d->job.image, step);
		return;
	}
	switch (d->job.step) {
	case SWAUTH_STEP_LOCATE:
		explicit_bzero(d->loc_pass, sizeof(d->loc_pass));
		if (status || !d->url[0])
			fail(d, "the image locator gave no URL");
		else
			begin(d, SWAUTH_STEP_SPACE, step_space, NULL);
		return;
	case SWAUTH_STEP_SPACE:
		if (status)
			fail(d, "the server did not answer the size probe, or the image does not fit");
		else
			download(d);
		return;
	case SWAUTH_STEP_DOWNLOAD:
		if (status == CLI_EXIT_VERIFY_FAILED)
			fail(d, "the image failed verification; nothing was kept");
		else if (status)
			fail(d, "the download failed; nothing was kept");
		else {
			d->job.downloaded = 1;
			begin(d, SWAUTH_STEP_CHECK, step_check, NULL);
		}
		return;
	case SWAUTH_STEP_CHECK:
		if (status)
			fail(d, "the image does not meet the requirements");
		else
			checked(d);
		return;
	case SWAUTH_STEP_BOOT_IMAGE:
		if (status) {
			fail(d, "the boot image could not be set");
			return;
		}
		reload(d, false);
		return;
	case SWAUTH_STEP_RELOAD:
		/* A reload that happens does not come back. */
		fail(d, "the reload did not happen");
		return;
	case SWAUTH_STEP_HEALTH:
		if (status) {
			rollback(d, "the health checks did not pass");
		} else if (wants_confirm(d)) {
			upgraded_say(d, "%%Health checks passed: swupgrade confirm makes %s final",
				     d->job.image);
			save(d);
		} else {
			disarm(d);
			d->job.boot_switched = 0;
			end_job(d, SWAUTH_UPGRADE_DONE, CLI_EXIT_OK,
				"%%Upgrade done: %s passed its health checks", d->job.image);
		}
		return;
	case SWAUTH_STEP_ROLLBACK:
		d->job.downloaded = 0;
		end_job(d, SWAUTH_UPGRADE_FAILED, CLI_EXIT_VERIFY_FAILED,
			"%%Rollback from %s failed: the reload into %s did not happen; the boot image is %s again",
			d->job.image, d->job.prev_boot, d->job.prev_boot);
		return;
	default:
		fail(d, "unexpected step");
		return;
	}
}

/**
 * job_step_line() - one line the step printed
 * @d: the daemon
 * @line: without its newline
 *
 * "@kind warm", "@kind cold" and "@verified-digest HEX" are check's word
 * to the daemon, not for the operator.
 */
void job_step_line(struct upgraded *d, const char *line)
{
	int i;

	if (d->job.step == SWAUTH_STEP_CHECK && !strncmp(line, "@kind ", 6)) {
		d->job.kind = strcmp(line + 6, "warm") ? SWAUTH_RELOAD_COLD : SWAUTH_RELOAD_WARM;
		return;
	}
	if (d->job.step == SWAUTH_STEP_CHECK && !strncmp(line, "@verified-digest ", 17)) {
		snprintf(d->job.verified_digest, sizeof(d->job.verified_digest), "%s", line + 17);
		return;
	}
	if (d->job.step == SWAUTH_STEP_LOCATE && !strncmp(line, "@url ", 5)) {
		snprintf(d->url, sizeof(d->url), "%s", line + 5);
		return;
	}
	if (d->job.step == SWAUTH_STEP_SPACE && !strncmp(line, "@fallback-sha256 ", 17)) {
		snprintf(d->job.fallback_sha256, sizeof(d->job.fallback_sha256), "%s", line + 17);
		return;
	}
	/* The step deletes the previous image once the record says so, not before. */
	if (d->job.step == SWAUTH_STEP_SPACE && !strcmp(line, "@fallback-deleted")) {
		d->job.fallback = SWAUTH_FALLBACK_DELETED;
		if (save(d))
			d->job.fallback = SWAUTH_FALLBACK_NONE;
		job_answer(d, d->job.fallback == SWAUTH_FALLBACK_DELETED ? "yes" : "no");
		return;
	}
	if (d->job.step == SWAUTH_STEP_SPACE && !strncmp(line, "@ask ", 5)) {
		for (i = 0; i < UPGRADED_CLIENTS; i++)
			if (d->clients[i].fd >= 0 && d->clients[i].follow) {
				upgraded_send(d->clients[i].fd, "Q %s", line + 5);
				d->asking = true;
				return;
			}
		upgraded_say(d, "%%Nobody to ask: %s no", line + 5);
		job_answer(d, "no");
		return;
	}
	upgraded_say(d, "%s", line);
}

/**
 * job_answer() - the answer to the step's question, "yes" or anything else (no)
 * @d: the daemon
 * @answer: the follower's word
 */
void job_answer(struct upgraded *d, const char *answer)
{
	const char *a = strcmp(answer, "yes") ? "no\n" : "yes\n";

	d->asking = false;
	if (d->step_in >= 0 && write(d->step_in, a, strlen(a)) < 0)
		upgraded_say(d, "%%The step did not take the answer: %s", strerror(errno));
}

/* job_timer() - the scheduled reload's time */
void job_timer(struct upgraded *d)
{
	if (!d->have_job)
		return;
	if (d->job.state == SWAUTH_UPGRADE_SCHEDULED) {
		boot_image(d);
	} else if (d->job.state == SWAUTH_UPGRADE_CONFIRMING) {
		if (d->step_pid > 0) {
			d->deadline_passed = true;
			kill(-d->step_pid, SIGTERM);
			return;
		}
		rollback(d, "it was not confirmed by the deadline");
	}
}

static void reply(struct upgraded_client *c, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void reply(struct upgraded_client *c, int status, const char *fmt, ...)
{
	char line[UPGRADED_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	upgraded_send(c->fd, "M %s", line);
	upgraded_send(c->fd, "X %d", status);
}

/*
 * "now", "at now" (the seeds' own example), "at HH:MM [MON DAY]",
 * "in [HHH:]MM": the reload's time into @when. Returns the words used, or
 * -1 after replying.
 */
static int parse_when(struct upgraded_client *c, int argc, char *argv[], int64_t *when)
{
	struct swauth_error err;
	time_t now = time(NULL), t;
	int used;

	if (!strcmp(argv[0], "now") || (argc > 1 && !strcmp(argv[0], "at") &&
					 !strcmp(argv[1], "now"))) {
		*when = now;
		return strcmp(argv[0], "now") ? 2 : 1;
	}
	swauth_error_clear(&err);
	if (swauth_reload_parse_when(argc, argv, now, &t, &used, &err)) {
		reply(c, CLI_EXIT_USAGE, "%%%s", err.msg);
		return -1;
	}
	*when = t;
	return used;
}

/*
 * Where the image goes (flash:NAME, NAME the URL's last component) or is
 * (a local source); never over the boot image or the running one.
 */
static int locate(struct upgraded *d, struct upgraded_client *c, const char *src)
{
	struct swauth_reload_record running;
	struct swauth_error err;
	struct swauth_url u;
	char shown[sizeof(d->conf.locator_url)];
	const char *name;
	bool reloaded;

	swauth_error_clear(&err);
	if (!strcmp(src, "locator")) {
		u.scheme = SWAUTH_URL_HTTPS;
		snprintf(u.path, sizeof(u.path), "/%s", d->loc_image);
	} else if (swauth_url_parse(src, &u, &err)) {
		reply(c, CLI_EXIT_USAGE, "%%%s", err.msg);
		return -1;
	}
	if (u.scheme == SWAUTH_URL_FILE) {
		snprintf(d->job.image, sizeof(d->job.image), "%s", src);
	} else {
		name = strrchr(u.path, '/');
		name = name ? name + 1 : u.path;
		if (!name[0] || !strcmp(name, ".") || !strcmp(name, "..")) {
			reply(c, CLI_EXIT_USAGE, "%%%s names no file", src);
			return -1;
		}
		/* Hidden names in flash: are the tools' own (.swcopy-sums, temporaries). */
		if (name[0] == '.') {
			reply(c, CLI_EXIT_USAGE, "%%%s: an image's name does not start with a dot",
			      src);
			return -1;
		}
		snprintf(d->job.image, sizeof(d->job.image), "flash:%s", name);
	}
	if (swauth_storage_resolve(&d->cfg, d->job.image, d->job.path, sizeof(d->job.path),
				   &err)) {
		reply(c, CLI_EXIT_USAGE, "%%%s", err.msg);
		return -1;
	}
	if (d->job.path[0] != '/') {
		reply(c, CLI_EXIT_USAGE, "%%%s: give flash:NAME or an absolute path", src);
		return -1;
	}
	if (upgraded_same_file(d->job.path, d->cfg.boot_image)) {
		reply(c, CLI_EXIT_VERIFY_FAILED, "%%%s is the boot image already", d->job.image);
		return -1;
	}
	if (!swauth_running_image(&d->cfg, &running, &reloaded) &&
	    upgraded_same_file(d->job.path, running.image)) {
		reply(c, CLI_EXIT_VERIFY_FAILED, "%%%s is the running image", d->job.image);
		return -1;
	}
	if (strcmp(src, "locator"))
		swauth_url_redact(src, d->job.source, sizeof(d->job.source));
	else
		snprintf(d->job.source, sizeof(d->job.source), "locator %.2000s, image %.255s, user %.255s",
			 swauth_url_redact(d->conf.locator_url, shown, sizeof(shown)), d->loc_image,
			 d->loc_user);
	return u.scheme == SWAUTH_URL_FILE ? 0 : 1;
}

/*
 * fallback-url set: the boot image, when it is flash:NAME, is what the
 * space step may delete, and fallback-url/NAME where it comes back from.
 */
static void arm_fallback(struct upgraded *d)
{
	const char *name = strrchr(d->cfg.boot_image, '/');
	struct swauth_error err;
	char where[PATH_MAX];

	if (!d->conf.fallback_url[0] || !name || !name[1])
		return;
	snprintf(d->job.fallback_image, sizeof(d->job.fallback_image), "flash:%s", name + 1);
	swauth_error_clear(&err);
	if (swauth_storage_resolve(&d->cfg, d->job.fallback_image, where, sizeof(where), &err) ||
	    !upgraded_same_file(where, d->cfg.boot_image) ||
	    swauth_fallback_url(d->conf.fallback_url, name + 1, d->job.fallback_url,
				sizeof(d->job.fallback_url)))
		d->job.fallback_image[0] = d->job.fallback_url[0] = '\0';
}

static void new_id(char *id)
{
	unsigned char r[SWAUTH_RELOAD_ID_LEN / 2];
	size_t i;

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r))
		memset(r, 0, sizeof(r));
	for (i = 0; i < sizeof(r); i++)
		sprintf(id + 2 * i, "%02x", r[i]);
}

static void getversion(struct upgraded *d, struct upgraded_client *c, int argc, char *argv[])
{
	static struct swauth_upgrade_job replaced, fresh;
	static char ended[sizeof(replaced.message) + 32];
	struct swauth_error err;
	char conf[PATH_MAX];
	enum swauth_cleanup_mode disk = SWAUTH_CLEANUP_NO;
	bool had_ready;
	int64_t when = 0;
	int i, used, remote, first;

	if (argc < 2) {
		reply(c, CLI_EXIT_USAGE, "%%getversion needs a URL or flash:NAME");
		return;
	}
	first = 2;
	if (!strcmp(argv[1], "locator")) {
		if (argc < 8 || strcmp(argv[2], "username") || strcmp(argv[4], "password") ||
		    strcmp(argv[6], "image")) {
			reply(c, CLI_EXIT_USAGE,
			      "%%getversion locator username USER password PASSWORD image NAME");
			return;
		}
		if (strchr(argv[7], '/') || strlen(argv[7]) >= sizeof(d->loc_image) ||
		    strlen(argv[3]) >= sizeof(d->loc_user) ||
		    strlen(argv[5]) >= sizeof(d->loc_pass)) {
			reply(c, CLI_EXIT_USAGE, "%%The locator's user, password or image is not usable");
			return;
		}
		first = 8;
	}
	for (i = first; i < argc; i += used) {
		if (!strcmp(argv[i], "disk-management")) {
			if (i + 1 == argc || swauth_disk_mgmt_parse(argv[i + 1], &disk)) {
				reply(c, CLI_EXIT_USAGE,
				      "%%disk-management takes auto, confirm or no");
				return;
			}
			used = 2;
		} else if (!strcmp(argv[i], "now") || !strcmp(argv[i], "at") ||
			   !strcmp(argv[i], "in")) {
			used = parse_when(c, argc - i, argv + i, &when);
			if (used < 0)
				return;
		} else {
			reply(c, CLI_EXIT_USAGE, "%%Unexpected '%s' after the URL", argv[i]);
			return;
		}
	}
	if (busy(d)) {
		reply(c, CLI_EXIT_VERIFY_FAILED,
		      "%%An upgrade is in progress (job %s, %s): swupgrade abortversion stops it",
		      d->job.id, swauth_upgrade_state_name(d->job.state));
		return;
	}
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &d->cfg, &err) ||
	    swauth_upgrade_conf_path(conf, sizeof(conf)) ||
	    swauth_upgrade_conf_load(conf, &d->conf, &err)) {
		reply(c, CLI_EXIT_USAGE, "%%%s", err.msg[0] ? err.msg : "swupgrade.conf: path too long");
		return;
	}
	/* A ready job that deleted the previous image ends first, bringing it back. */
	if (d->have_job && d->job.state == SWAUTH_UPGRADE_READY &&
	    d->job.fallback == SWAUTH_FALLBACK_DELETED) {
		c->follow = true;
		end_job(d, SWAUTH_UPGRADE_ABORTED, CLI_EXIT_VERIFY_FAILED,
			"%%Upgrade to %s (job %s, ready) ended by a new getversion: it deleted the previous image %s, which comes back first; run getversion again",
			d->job.image, d->job.id, d->job.fallback_image);
		return;
	}
	if (first == 8 && !d->conf.locator_url[0]) {
		reply(c, CLI_EXIT_USAGE,
		      "%%No image locator is configured: swupgrade config locator-url URL");
		return;
	}
	replaced = d->job;
	had_ready = d->have_job && d->job.state == SWAUTH_UPGRADE_READY;
	memset(&d->job, 0, sizeof(d->job));
	if (first == 8) {
		snprintf(d->loc_user, sizeof(d->loc_user), "%s", argv[3]);
		snprintf(d->loc_pass, sizeof(d->loc_pass), "%s", argv[5]);
		snprintf(d->loc_image, sizeof(d->loc_image), "%s", argv[7]);
	}
	remote = locate(d, c, argv[1]);
	if (remote < 0) {
		explicit_bzero(d->loc_pass, sizeof(d->loc_pass));
		d->job = replaced;
		return;
	}
	/* A ready job that a new getversion replaces ends, taking its download back. */
	if (had_ready) {
		fresh = d->job;
		d->job = replaced;
		end_job(d, SWAUTH_UPGRADE_ABORTED, CLI_EXIT_VERIFY_FAILED,
			"%%Upgrade to %s (job %s, ready) replaced by a new getversion",
			d->job.image, d->job.id);
		snprintf(ended, sizeof(ended), "%s%s", d->job.message,
			 replaced.downloaded && !d->job.downloaded ? ": its download deleted" : "");
		d->job = fresh;
	}
	new_id(d->job.id);
	d->have_job = true;
	d->job.state = SWAUTH_UPGRADE_RUNNING;
	d->job.step = SWAUTH_STEP_LOCATE;
	d->job.started = time(NULL);
	d->job.disk = disk;
	d->job.when = when;
	arm_fallback(d);
	snprintf(d->url, sizeof(d->url), "%s", first == 8 ? "" : argv[1]);
	d->log_count = d->log_next = 0;
	c->follow = true;
	upgraded_say(d, "%%Upgrade job %s: %s to %s", d->job.id, d->job.source, d->job.image);
	if (had_ready)
		upgraded_say(d, "%s", ended);
	if (first == 8)
		begin(d, SWAUTH_STEP_LOCATE, step_locate, NULL);
	else if (remote)
		begin(d, SWAUTH_STEP_SPACE, step_space, NULL);
	else
		begin(d, SWAUTH_STEP_CHECK, step_check, NULL);
}

static void runversion(struct upgraded *d, struct upgraded_client *c, int argc, char *argv[])
{
	int64_t when = time(NULL);
	int used = 0;

	if (argc > 1) {
		used = parse_when(c, argc - 1, argv + 1, &when);
		if (used < 0)
			return;
	}
	if (1 + used != argc) {
		reply(c, CLI_EXIT_USAGE, "%%Unexpected '%s'", argv[1 + used]);
		return;
	}
	if (!d->have_job || (d->job.state != SWAUTH_UPGRADE_READY &&
			     d->job.state != SWAUTH_UPGRADE_SCHEDULED)) {
		reply(c, CLI_EXIT_VERIFY_FAILED,
		      "%%No downloaded image waits for a reload: run swupgrade getversion first");
		return;
	}
	disarm(d);
	d->job.when = when;
	c->follow = true;
	schedule(d);
}

static void abortversion(struct upgraded *d, struct upgraded_client *c)
{
	if (!busy(d)) {
		reply(c, CLI_EXIT_VERIFY_FAILED, "%%No upgrade in progress to abort");
		return;
	}
	if (d->job.state == SWAUTH_UPGRADE_CONFIRMING) {
		reply(c, CLI_EXIT_VERIFY_FAILED,
		      "%%%s runs on probation: swupgrade confirm keeps it; a failed check or the deadline rolls it back",
		      d->job.image);
		return;
	}
	if (d->job.state == SWAUTH_UPGRADE_RELOADING || d->job.state == SWAUTH_UPGRADE_ROLLBACK) {
		reply(c, CLI_EXIT_VERIFY_FAILED, "%%The reload into %s has begun; too late to abort",
		      d->job.image);
		return;
	}
	/* A rollback begins by downloading the previous image again: not aborted either. */
	if (d->job.step == SWAUTH_STEP_FALLBACK && d->job.fallback_then == SWAUTH_UPGRADE_ROLLBACK) {
		reply(c, CLI_EXIT_VERIFY_FAILED, "%%The rollback from %s has begun; too late to abort",
		      d->job.image);
		return;
	}
	if (d->step_pid > 0) {
		d->aborting = true;
		kill(-d->step_pid, SIGTERM);
		reply(c, CLI_EXIT_OK, "%%Aborting the upgrade to %s at step %s", d->job.image,
		      swauth_upgrade_step_name(d->job.step));
		return;
	}
	end_job(d, SWAUTH_UPGRADE_ABORTED, CLI_EXIT_VERIFY_FAILED,
		"%%Upgrade to %s aborted; the reload is cancelled", d->job.image);
	reply(c, CLI_EXIT_OK, "%%Upgrade to %s aborted", d->job.image);
}

/* swupgrade confirm: the new image on probation is final. */
static void confirm(struct upgraded *d, struct upgraded_client *c)
{
	if (!d->have_job || d->job.state != SWAUTH_UPGRADE_CONFIRMING) {
		reply(c, CLI_EXIT_VERIFY_FAILED, "%%No upgrade waits for confirmation");
		return;
	}
	if (d->step_pid > 0) {
		/* The requester follows the job to its end, once the step is stopped. */
		upgraded_send(c->fd, "M %%Upgrade to %s confirmed", d->job.image);
		c->follow = true;
		d->confirmed = true;
		kill(-d->step_pid, SIGTERM);
		return;
	}
	disarm(d);
	d->job.boot_switched = 0;
	end_job(d, SWAUTH_UPGRADE_DONE, CLI_EXIT_OK, "%%Upgrade done: %s confirmed by the operator",
		d->job.image);
	reply(c, CLI_EXIT_OK, "%s", d->job.message);
}

/**
 * job_request() - a client's request
 * @d: the daemon
 * @c: the client; its follow flag set when it is to get the job's lines
 * @argc: the words
 * @argv: the words: the command first
 */
void job_request(struct upgraded *d, struct upgraded_client *c, int argc, char *argv[])
{
	if (!strcmp(argv[0], "show")) {
		if (argc == 2 && !strcmp(argv[1], "--json"))
			job_show_json(d, c->fd);
		else
			job_show(d, c->fd);
		upgraded_send(c->fd, "X %d", CLI_EXIT_OK);
		return;
	}
	if (c->uid != 0 && c->uid != geteuid()) {
		reply(c, CLI_EXIT_SYSTEM, "%%Permission denied: swupgrade %s needs root", argv[0]);
		return;
	}
	if (!strcmp(argv[0], "getversion"))
		getversion(d, c, argc, argv);
	else if (!strcmp(argv[0], "runversion"))
		runversion(d, c, argc, argv);
	else if (!strcmp(argv[0], "abortversion") && argc == 1)
		abortversion(d, c);
	else if (!strcmp(argv[0], "confirm") && argc == 1)
		confirm(d, c);
	else
		reply(c, CLI_EXIT_USAGE, "%%Bad request '%s'", argv[0]);
}

/**
 * job_recover() - the job as the last daemon left it
 * @d: the daemon
 *
 * A step in progress was cut (the daemon stopped, the system went down):
 * the job ends there, with the old boot image back. A scheduled reload
 * whose time is still ahead waits again; one whose time passed is missed.
 * A reload that was started either came up in the new image (done) or
 * did not (failed, the old boot image back).
 *
 * Return: 0; a record that cannot be read (malformed, or not a regular
 * file: a FIFO, a symbolic link, a device) is not waited on nor followed;
 * its path and why go to syslog and stderr, and the daemon serves with no
 * job. The next getversion replaces a malformed record; it fails, its
 * state cannot be recorded, while anything else is there (the safe write
 * replaces regular files only), until root removes it.
 */
int job_recover(struct upgraded *d)
{
	struct swauth_reload_record running;
	struct swauth_error err;
	char boot_id[40] = "", conf[PATH_MAX];
	bool reloaded;

	swauth_error_clear(&err);
	if (swauth_upgrade_conf_path(conf, sizeof(conf)) ||
	    swauth_upgrade_conf_load(conf, &d->conf, &err))
		syslog(LOG_ERR, "%s", err.msg[0] ? err.msg : "swupgrade.conf: path too long");
	swauth_error_clear(&err);
	if (swauth_upgrade_job_read(d->job_path, &d->job, &err)) {
		if (err.code != -ENOENT) {
			syslog(LOG_ERR, "%s; starting with no job", err.msg);
			fprintf(stderr, "swupgraded: %s; starting with no job\n", err.msg);
		}
		return 0;
	}
	d->have_job = true;
	switch (d->job.state) {
	case SWAUTH_UPGRADE_RUNNING:
		if (d->job.step == SWAUTH_STEP_FALLBACK && d->job.fallback == SWAUTH_FALLBACK_DELETED) {
			fallback(d);
			break;
		}
		end_job(d, SWAUTH_UPGRADE_FAILED, CLI_EXIT_SYSTEM,
			"%%Upgrade to %s interrupted at step %s: swupgraded or the system stopped",
			d->job.image, swauth_upgrade_step_name(d->job.step));
		break;
	case SWAUTH_UPGRADE_SCHEDULED:
		if (d->job.when > time(NULL)) {
			schedule(d);
			break;
		}
		rest(d, SWAUTH_UPGRADE_READY, CLI_EXIT_OK,
		     "%%The reload into %s was missed: swupgraded or the system was down at its time; swupgrade runversion reloads",
		     d->job.image);
		break;
	case SWAUTH_UPGRADE_RELOADING:
		swauth_boot_id(boot_id, sizeof(boot_id));
		if (!strcmp(boot_id, d->job.boot_id)) {
			fail(d, "the reload did not happen (swupgraded restarted)");
		} else if (!swauth_running_image(&d->cfg, &running, &reloaded) &&
			   upgraded_same_file(running.image, d->job.path)) {
			came_up(d);
		} else {
			fail(d, swauth_boot_entry(&d->cfg) &&
				!strcmp(swauth_boot_entry(&d->cfg), "previous") ?
			     "the system did not come up in the new image: the boot loader went back to the previous one" :
			     "the system did not come up in the new image");
		}
		break;
	case SWAUTH_UPGRADE_CONFIRMING:
		/* A restart on probation: the checks again, the deadline kept. */
		if (swauth_running_image(&d->cfg, &running, &reloaded) ||
		    !upgraded_same_file(running.image, d->job.path)) {
			fail(d, "the system no longer runs the new image");
		} else if (d->job.deadline <= time(NULL)) {
			rollback(d, "it was not confirmed by the deadline");
		} else {
			struct itimerspec at = { .it_value.tv_sec = d->job.deadline };

			timerfd_settime(d->timer_fd, TFD_TIMER_ABSTIME, &at, NULL);
			begin(d, SWAUTH_STEP_HEALTH, step_health, NULL);
		}
		break;
	case SWAUTH_UPGRADE_ROLLBACK:
		/* end_job() deletes the new image unless it runs or boots after all. */
		if (!swauth_running_image(&d->cfg, &running, &reloaded) &&
		    upgraded_same_file(running.image, d->job.prev_boot))
			end_job(d, SWAUTH_UPGRADE_FAILED, CLI_EXIT_VERIFY_FAILED,
				"%%Upgrade to %s rolled back: the system runs %s again",
				d->job.image, d->job.prev_boot);
		else
			end_job(d, SWAUTH_UPGRADE_FAILED, CLI_EXIT_VERIFY_FAILED,
				"%%Rollback from %s did not come up in %s; the boot image is %s",
				d->job.image, d->job.prev_boot, d->job.prev_boot);
		break;
	default:
		break;
	}
	return 0;
}

static void show_time(int fd, const char *label, int64_t t)
{
	char buf[64];

	swauth_reload_format_time((time_t)t, buf, sizeof(buf));
	upgraded_send(fd, "M   %-22s %s", label, buf);
}

/**
 * job_show() - the seeds' show autoupgrade configuration, then the job
 * @d: the daemon
 * @fd: the client
 */
void job_show(struct upgraded *d, int fd)
{
	struct swauth_upgrade_conf conf;
	struct swauth_error err;
	char path[PATH_MAX], shown[sizeof(conf.locator_url)];
	const char *line;
	unsigned int i;

	swauth_error_clear(&err);
	if (swauth_upgrade_conf_path(path, sizeof(path)) ||
	    swauth_upgrade_conf_load(path, &conf, &err)) {
		upgraded_send(fd, "M %%%s", err.msg[0] ? err.msg : "swupgrade.conf: path too long");
		memset(&conf, 0, sizeof(conf));
	}
	upgraded_send(fd, "M Auto-Upgrade Manager configuration (%s):", path);
	upgraded_send(fd, "M   %-22s %s", "disk-cleanup:", conf.disk_cleanup[0] ?
		      conf.disk_cleanup : "none");
	/* A password written into it by hand is not shown to everyone. */
	upgraded_send(fd, "M   %-22s %s", "locator-url:", conf.locator_url[0] ?
		      swauth_url_redact(conf.locator_url, shown, sizeof(shown)) : "none");
	upgraded_send(fd, "M   %-22s %s", "locator-ca:", conf.locator_ca[0] ?
		      conf.locator_ca : "the system's");
	upgraded_send(fd, "M   %-22s %s", "email-recipient:", conf.email_recipient[0] ?
		      conf.email_recipient : "none");
	upgraded_send(fd, "M   %-22s %s", "smtp-server:", conf.smtp_server[0] ?
		      conf.smtp_server : "none");
	upgraded_send(fd, "M   %-22s %u MiB", "space-margin:", conf.space_margin);
	upgraded_send(fd, "M   %-22s %s", "fallback-url:", conf.fallback_url[0] ?
		      conf.fallback_url : "none (the boot image is never deleted)");
	if (!d->have_job) {
		upgraded_send(fd, "M No upgrade job");
		return;
	}
	upgraded_send(fd, "M Upgrade job %s:", d->job.id);
	upgraded_send(fd, "M   %-22s %s", "State:", swauth_upgrade_state_name(d->job.state));
	upgraded_send(fd, "M   %-22s %s", "Step:", swauth_upgrade_step_name(d->job.step));
	upgraded_send(fd, "M   %-22s %s", "Source:", d->job.source);
	upgraded_send(fd, "M   %-22s %s", "Image:", d->job.image);
	upgraded_send(fd, "M   %-22s %s", "Disk management:",
		      swauth_disk_mgmt_name(d->job.disk));
	if (d->job.when)
		show_time(fd, "Reload at:", d->job.when);
	if (d->job.state == SWAUTH_UPGRADE_CONFIRMING)
		show_time(fd, "Confirm by:", d->job.deadline);
	if (d->job.state == SWAUTH_UPGRADE_READY || d->job.step > SWAUTH_STEP_CHECK)
		upgraded_send(fd, "M   %-22s %s", "Reload kind:",
			      d->job.kind == SWAUTH_RELOAD_WARM ? "warm" : "cold");
	if (d->job.boot_switched || d->job.prev_boot[0])
		upgraded_send(fd, "M   %-22s %s", "Previous boot image:",
			      d->job.prev_boot[0] ? d->job.prev_boot : "none");
	if (d->job.fallback != SWAUTH_FALLBACK_NONE)
		upgraded_send(fd, "M   %-22s %s (%s; from %s)", "Fallback image:",
			      d->job.fallback_image,
			      d->job.fallback == SWAUTH_FALLBACK_DELETED ? "deleted to make room" :
			      d->job.fallback == SWAUTH_FALLBACK_RESTORED ? "downloaded again" :
			      "could not be downloaded again",
			      d->job.fallback_url);
	show_time(fd, "Started:", d->job.started);
	show_time(fd, "Updated:", d->job.updated);
	if (d->job.message[0])
		upgraded_send(fd, "M   %-22s %s", "Status:", d->job.message);
	if (!upgraded_log_line(d, 0))
		return;
	upgraded_send(fd, "M Log:");
	for (i = 0; (line = upgraded_log_line(d, i)); i++)
		upgraded_send(fd, "M   %s", line);
}

static void json_time(struct swauth_json *j, const char *key, int64_t t)
{
	if (t > 0)
		swauth_json_u64(j, key, (uint64_t)t);
	else
		swauth_json_null(j, key);
}

/**
 * job_show_json() - swupgrade show --json: the settings and the job as one
 * JSON object, in one packet "J {...}"
 * @d: the daemon
 * @fd: the client
 */
void job_show_json(struct upgraded *d, int fd)
{
	struct swauth_upgrade_conf conf;
	struct swauth_error err;
	struct swauth_json j;
	char path[PATH_MAX], *text = NULL;
	size_t len = 0;
	const char *line;
	unsigned int i;
	FILE *f;

	swauth_error_clear(&err);
	if (swauth_upgrade_conf_path(path, sizeof(path)) ||
	    swauth_upgrade_conf_load(path, &conf, &err))
		memset(&conf, 0, sizeof(conf));
	f = open_memstream(&text, &len);
	if (!f)
		return;
	fputs("J ", f);
	swauth_json_init(&j, f);
	swauth_json_object_begin(&j, NULL);
	swauth_json_object_begin(&j, "configuration");
	swauth_json_string(&j, "disk-cleanup", conf.disk_cleanup);
	swauth_json_string(&j, "locator-url", conf.locator_url);
	swauth_json_string(&j, "locator-ca", conf.locator_ca);
	swauth_json_string(&j, "email-recipient", conf.email_recipient);
	swauth_json_string(&j, "smtp-server", conf.smtp_server);
	swauth_json_u64(&j, "space-margin", conf.space_margin);
	swauth_json_string(&j, "health-check", conf.health_check);
	swauth_json_u64(&j, "confirm-deadline", conf.confirm_deadline);
	swauth_json_string(&j, "fallback-url", conf.fallback_url);
	swauth_json_object_end(&j);
	if (!d->have_job) {
		swauth_json_null(&j, "job");
	} else {
		swauth_json_object_begin(&j, "job");
		swauth_json_string(&j, "id", d->job.id);
		swauth_json_string(&j, "state", swauth_upgrade_state_name(d->job.state));
		swauth_json_string(&j, "step", swauth_upgrade_step_name(d->job.step));
		swauth_json_string(&j, "source", d->job.source);
		swauth_json_string(&j, "image", d->job.image);
		swauth_json_string(&j, "disk-management", swauth_disk_mgmt_name(d->job.disk));
		json_time(&j, "reload-at", d->job.when);
		swauth_json_string(&j, "reload-kind",
				   d->job.kind == SWAUTH_RELOAD_WARM ? "warm" : "cold");
		swauth_json_string(&j, "previous-boot-image", d->job.prev_boot);
		swauth_json_string(&j, "fallback-image", d->job.fallback_image);
		swauth_json_string(&j, "fallback-url", d->job.fallback_url);
		swauth_json_string(&j, "fallback", swauth_fallback_state_name(d->job.fallback));
		json_time(&j, "confirm-by", d->job.state == SWAUTH_UPGRADE_CONFIRMING ?
			  d->job.deadline : 0);
		json_time(&j, "started", d->job.started);
		json_time(&j, "updated", d->job.updated);
		swauth_json_string(&j, "status", d->job.message);
		swauth_json_array_begin(&j, "log");
		for (i = 0; (line = upgraded_log_line(d, i)); i++)
			swauth_json_string(&j, NULL, line);
		swauth_json_array_end(&j);
		swauth_json_object_end(&j);
	}
	swauth_json_object_end(&j);
	if (!swauth_json_finish(&j) && !fclose(f) && text && len <= SWAUTH_UPGRADE_JSON_MAX)
		(void)send(fd, text, len, MSG_NOSIGNAL | MSG_DONTWAIT);
	else
		upgraded_send(fd, "M %%The job does not fit in JSON's %d bytes",
			      SWAUTH_UPGRADE_JSON_MAX);
	free(text);
}

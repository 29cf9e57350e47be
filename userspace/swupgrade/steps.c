// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The job's steps run in a child of swupgraded, in a process group of
 * their own (so that abortversion stops the step and whatever it
 * started), with stdout and stderr on a pipe the daemon reads line by
 * line. A step is a tool of ours (swcopy, swauth: found next to
 * swupgraded, never on $PATH) or a function below.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/fs.h"
#include "lib/image.h"
#include "lib/xfer.h"
#include "swupgrade/swupgrade.h"

enum { MIB = 1 << 20 };

/* upgraded_same_file() - the same file, by name or by device and inode */
bool upgraded_same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	if (!a[0] || !b[0])
		return false;
	return !strcmp(a, b) || (!stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev &&
				 sa.st_ino == sb.st_ino);
}

/*
 * @in with the verification options swupgraded was given after it (every
 * tool we run takes them, and getopt_long() finds them after operands).
 */
static void with_verify_opts(const struct upgraded *d, char *const in[],
			     char *out[UPGRADED_ARGS_MAX])
{
	unsigned int n = 0, i;

	for (i = 0; in[i] && n < UPGRADED_ARGS_MAX - 1; i++)
		out[n++] = in[i];
	if (d->vo.userspace)
		out[n++] = "--userspace";
	for (i = 0; i < d->vo.n_keys; i++) {
		out[n++] = "--trust-dir";
		out[n++] = (char *)d->vo.dirs.keys[i];
	}
	for (i = 0; i < d->vo.n_rollover; i++) {
		out[n++] = "--rollover-dir";
		out[n++] = (char *)d->vo.dirs.rollover[i];
	}
	out[n] = NULL;
}

/* Run the tool @argv with the verification options; never returns. */
static void exec_tool(const struct upgraded *d, char *const argv[]) __attribute__((noreturn));
static void exec_tool(const struct upgraded *d, char *const argv[])
{
	char *args[UPGRADED_ARGS_MAX];

	with_verify_opts(d, argv, args);
	execv(args[0], args);
	printf("%%Cannot run %s: %s\n", args[0], strerror(errno));
	fflush(stdout);
	_exit(127);
}

static pid_t spawn(struct upgraded *d, int (*fn)(struct upgraded *d), char *const argv[],
		   int in, int out)
{
	pid_t pid = cli_child_fork(in, out);

	if (pid)
		return pid;
	if (fn) {
		int ret = fn(d);

		fflush(stdout);
		_exit(ret);
	}
	exec_tool(d, argv);
}

/**
 * step_start() - run a step in a child; the daemon polls its output and end
 * @d: the daemon
 * @fn: the function to run, or NULL to run @argv
 * @argv: a tool and its words (verification options are added)
 *
 * Return: 0 or -1.
 */
int step_start(struct upgraded *d, int (*fn)(struct upgraded *d), char *const argv[])
{
	int p[2], q[2];
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	if (pipe2(q, O_CLOEXEC)) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	pid = spawn(d, fn, argv, q[0], p[1]);
	close(p[1]);
	close(q[0]);
	if (pid < 0) {
		close(p[0]);
		close(q[1]);
		return -1;
	}
	d->step_pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (d->step_pidfd < 0) {
		kill(-pid, SIGKILL);
		waitpid(pid, NULL, 0);
		close(p[0]);
		close(q[1]);
		return -1;
	}
	d->step_pid = pid;
	d->step_out = p[0];
	d->step_in = q[1];
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	d->lines.len = 0;
	return 0;
}

/**
 * step_run_sync() - run a quick tool and wait for it; its lines go to the job
 * @d: the daemon
 * @argv: the tool and its words
 *
 * Return: its exit status, or -1 when it could not run.
 */
int step_run_sync(struct upgraded *d, char *const argv[])
{
	char buf[UPGRADED_LINE_MAX];
	int p[2], status;
	FILE *f;
	pid_t pid;

	if (pipe2(p, O_CLOEXEC))
		return -1;
	pid = spawn(d, NULL, argv, -1, p[1]);
	close(p[1]);
	f = fdopen(p[0], "r");
	if (pid < 0 || !f) {
		if (f)
			fclose(f);
		else
			close(p[0]);
		if (pid > 0)
			waitpid(pid, NULL, 0);
		return -1;
	}
	while (fgets(buf, sizeof(buf), f)) {
		buf[strcspn(buf, "\r\n")] = '\0';
		if (buf[0])
			upgraded_say(d, "%s", buf);
	}
	fclose(f);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

/* A sink that learns the announced size and stops the transfer there. */
struct probe {
	struct swauth_sink sink;
	uint64_t total;
	bool known;
};

static int probe_size(struct swauth_sink *sink, uint64_t total)
{
	struct probe *p = (struct probe *)sink;

	p->total = total;
	p->known = true;
	return -ECANCELED;
}

static int probe_write(struct swauth_sink *sink, const void *buf, size_t len)
{
	(void)sink;
	(void)buf;
	(void)len;
	return -ECANCELED;
}

/**
 * step_locate() - the image locator's URL for the image (the seeds' IDA)
 * @d: the daemon (in the child)
 *
 * Prints "@url URL" for the daemon; the URL may carry credentials, so it
 * is never printed otherwise.
 *
 * Return: 0 with the URL, else 1.
 */
int step_locate(struct upgraded *d)
{
	struct swauth_locator l = {
		.url = d->conf.locator_url, .ca_file = d->conf.locator_ca[0] ? d->conf.locator_ca : NULL,
		.username = d->loc_user, .password = d->loc_pass, .image = d->loc_image,
	};
	char url[SWAUTH_LOCATOR_REPLY_MAX], shown[SWAUTH_LOCATOR_REPLY_MAX];
	struct swauth_error err;

	swauth_error_clear(&err);
	if (swauth_locator_get(&l, url, sizeof(url), &err)) {
		explicit_bzero(d->loc_pass, sizeof(d->loc_pass));
		printf("%%%s\n", err.msg);
		return 1;
	}
	explicit_bzero(d->loc_pass, sizeof(d->loc_pass));
	printf("%%The locator places %s at %s\n", d->loc_image,
	       swauth_url_redact(url, shown, sizeof(shown)));
	printf("@url %s\n", url);
	explicit_bzero(url, sizeof(url));
	return 0;
}

/* disk-management confirm: the daemon passes the question on. */
static int ask_delete(const struct swauth_cleanup_file *f, void *arg)
{
	char what[PATH_MAX + 256], answer[16];

	(void)arg;
	swauth_cleanup_describe(f, what, sizeof(what));
	printf("@ask Delete %s? [yes/no]: \n", what);
	fflush(stdout);
	if (!fgets(answer, sizeof(answer), stdin))
		return -1;
	return strcmp(answer, "yes\n") ? 0 : 1;
}

static void deleted(const struct swauth_cleanup_file *f, int status, const char *msg, void *arg)
{
	(void)arg;
	if (status)
		printf("%%Kept %s: %s\n", f->display, msg);
	else
		printf("%%Deleted %s (%s)\n", f->display, swauth_cleanup_category_name(f->category));
	fflush(stdout);
}

/*
 * Not enough space in @dir: the disk clean-up utility, by the job's
 * disk-management and the configured disk-cleanup categories. The
 * running image, the boot image and the job's own target are never
 * deleted. Returns 0 when @need bytes are free now.
 */
static int clean_up(struct upgraded *d, const char *dir, uint64_t need)
{
	struct swauth_cleanup_dir dirs[SWAUTH_CLEANUP_FLASH_MAX];
	struct swauth_reload_record running;
	struct swauth_cleanup_request req = { 0 };
	struct swauth_cleanup_plan plan;
	struct swauth_error err;
	const char *protect[3];
	size_t n_protect = 0;
	bool reloaded;
	int ret;

	if (swauth_disk_cleanup_policy(d->conf.disk_cleanup, &req.policy)) {
		printf("%%disk-cleanup '%s' is not valid\n", d->conf.disk_cleanup);
		return -1;
	}
	if (d->cfg.boot_image[0])
		protect[n_protect++] = d->cfg.boot_image;
	if (!swauth_running_image(&d->cfg, &running, &reloaded) && running.image[0])
		protect[n_protect++] = running.image;
	protect[n_protect++] = d->job.path;
	req.flash = dirs;
	req.n_flash = swauth_cleanup_flash_dirs(&d->cfg, dirs, SWAUTH_CLEANUP_FLASH_MAX);
	req.protect = protect;
	req.n_protect = n_protect;
	req.platform = d->cfg.platform;
	req.target = dir;
	req.target_name = "flash:";
	req.needed = need;
	swauth_error_clear(&err);
	ret = swauth_cleanup_plan(&req, &plan, &err);
	if (!ret) {
		if (d->job.disk != SWAUTH_CLEANUP_NO)
			printf("%%Disk clean-up (%s) of %s: %zu file(s) would free %llu bytes\n",
			       swauth_disk_mgmt_name(d->job.disk),
			       req.policy ? d->conf.disk_cleanup : "no categories configured",
			       plan.n, (unsigned long long)(plan.free_after - plan.free_now));
		ret = swauth_cleanup_execute(&plan, d->job.disk, ask_delete, deleted, d, &err);
	}
	swauth_cleanup_plan_free(&plan);
	if (ret)
		printf("%s\n", err.msg);
	return ret;
}

/* The SHA-256 of @path, in lower-case hex; 0 or -errno. */
static int sha256_hex(const char *path, char hex[2 * SWAUTH_SHA256_LEN + 1],
		      struct swauth_error *err)
{
	uint8_t sum[SWAUTH_SHA256_LEN];
	size_t i;
	int ret = swauth_file_sha256(path, sum, err);

	if (ret)
		return ret;
	for (i = 0; i < sizeof(sum); i++)
		sprintf(hex + 2 * i, "%02x", sum[i]);
	return 0;
}

/* @path verified by the one verification policy, with the daemon's options. */
static int verify(const struct upgraded *d, const char *path, struct swauth_verify_result *res,
		  struct swauth_policy_choice *c, struct swauth_error *err)
{
	struct swauth_policy p = { .userspace = d->vo.userspace, .dirs = &d->vo.dirs,
				   .cfg = &d->cfg };

	return swauth_policy_verify(&p, path, res, c, err);
}

/*
 * The directory @path, opened through trusted links only
 * (swauth_dir_open_trusted()), when it is root's (or the daemon's) and no
 * one else may write in it; else -1 with why in @why.
 */
static int open_guarded(const char *path, char *why, size_t len)
{
	struct swauth_error err;
	struct stat st;
	int fd;

	swauth_error_clear(&err);
	fd = swauth_dir_open_trusted(path, &err);
	if (fd < 0) {
		snprintf(why, len, "%s", err.msg);
		return -1;
	}
	if (fstat(fd, &st) || (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(why, len, "%s is another user's, or others may write in it", path);
		close(fd);
		return -1;
	}
	return fd;
}

/*
 * The record of the pair the boot loader boots, boot-dir/current/image,
 * read only as reload leaves it: boot-dir/current a directory of boot-dir
 * or a link to one by its name, both directories guarded
 * (open_guarded()), and no trial pending (boot-dir/grubenv: the boot
 * loader may go back to boot-dir/previous). 0, or -1 with why in @why.
 */
static int booted_record(const struct upgraded *d, struct swauth_reload_record *rec, char *why,
			 size_t len)
{
	const char *boot = swauth_reload_dir(&d->cfg, SWAUTH_DIR_BOOT);
	char path[PATH_MAX + 16], to[PATH_MAX], trial[8];
	struct swauth_error err;
	int boot_fd, fd;
	ssize_t n;

	boot_fd = open_guarded(boot, why, len);
	if (boot_fd < 0)
		return -1;
	n = readlinkat(boot_fd, "current", to, sizeof(to) - 1);
	to[n > 0 ? n : 0] = '\0';
	swauth_error_clear(&err);
	if (n >= 0 && (strchr(to, '/') || !strcmp(to, ".") || !strcmp(to, "..")))
		snprintf(why, len, "boot-dir/current links out of boot-dir (to %.200s)", to);
	else if (swauth_bootdir_trial(boot_fd, trial, sizeof(trial), &err))
		snprintf(why, len, "%s", err.msg);
	else if (trial[0])
		snprintf(why, len, "a trial is pending (boot-dir/grubenv: swauth_trial=%s): the boot loader may go back to boot-dir/previous",
			 trial);
	else
		why[0] = '\0';
	close(boot_fd);
	if (why[0])
		return -1;
	snprintf(path, sizeof(path), "%s/current", boot);
	fd = open_guarded(path, why, len);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(path, sizeof(path), "%s/current/image", boot);
	if (swauth_reload_record_read(path, rec, &err)) {
		snprintf(why, len, "%s", err.msg);
		return -1;
	}
	return 0;
}

/*
 * The system runs the previous image (@running): its file may go only
 * when the boot loader boots that image without it, from boot-dir's own
 * kernel and initramfs. So boot-dir/current/image names the same image,
 * with the payload digest the running image was loaded with, and the
 * file still verifies with that payload digest. True then, else false
 * with why in @why.
 */
static bool boot_dir_holds(const struct upgraded *d, const struct swauth_reload_record *running,
			   char *why, size_t len)
{
	static struct swauth_verify_result res;
	char hex[2 * SWAUTH_VERIFY_DIGEST_MAX + 1];
	struct swauth_reload_record booted;
	struct swauth_policy_choice c;
	struct swauth_error err;

	if (booted_record(d, &booted, why, len))
		return false;
	if (!upgraded_same_file(booted.image, running->image)) {
		snprintf(why, len, "boot-dir/current holds %s", booted.image);
		return false;
	}
	if (!booted.digest[0]) {
		snprintf(why, len, "boot-dir/current/image records no payload digest");
		return false;
	}
	if (strcmp(booted.digest, running->digest)) {
		snprintf(why, len, "boot-dir/current holds payload digest %s, the system runs %s",
			 booted.digest, running->digest[0] ? running->digest : "(none recorded)");
		return false;
	}
	swauth_error_clear(&err);
	if (verify(d, d->cfg.boot_image, &res, &c, &err) ||
	    res.verdict != SWAUTH_VERDICT_OK) {
		snprintf(why, len, "it does not verify: %s",
			 err.msg[0] ? err.msg : swauth_verdict_message(res.verdict));
		return false;
	}
	verify_digest_hex(&res, hex);
	if (strcmp(hex, booted.digest)) {
		snprintf(why, len, "its payload digest is %s, boot-dir's copy's %s", hex,
			 booted.digest);
		return false;
	}
	return true;
}

/*
 * fallback-url is set and the clean-up did not make room: the previous
 * boot image goes too (disk-management confirm asks first); while the
 * system runs it, only when boot-dir holds its copy (boot_dir_holds()).
 * The job downloads it again when it ends and keeps it only when it is
 * the same file. "@fallback-sha256 HEX" and "@fallback-deleted" tell the
 * daemon before the deletion, which waits for its "yes": the job record
 * says so. Returns 0 when it went.
 */
static int drop_previous(struct upgraded *d)
{
	struct swauth_reload_record running;
	struct swauth_error err;
	char answer[16], hex[2 * SWAUTH_SHA256_LEN + 1], why[PATH_MAX + 256];
	const char *name;
	bool reloaded;
	int dir;

	if (!swauth_running_image(&d->cfg, &running, &reloaded) &&
	    upgraded_same_file(running.image, d->cfg.boot_image)) {
		if (!boot_dir_holds(d, &running, why, sizeof(why))) {
			printf("%%Kept %s, the previous image: the system runs it and boot-dir does not hold its copy: %s\n",
			       d->job.fallback_image, why);
			return -1;
		}
		printf("%%The system runs %s from boot-dir's copy (payload digest %s): its file may go\n",
		       d->job.fallback_image, running.digest);
	}
	if (d->job.disk == SWAUTH_CLEANUP_CONFIRM) {
		printf("@ask Delete %s, the previous image (downloaded again from %s when the job ends)? [yes/no]: \n",
		       d->job.fallback_image, d->job.fallback_url);
		fflush(stdout);
		if (!fgets(answer, sizeof(answer), stdin) || strcmp(answer, "yes\n")) {
			printf("%%Kept %s, the previous image\n", d->job.fallback_image);
			return -1;
		}
	}
	swauth_error_clear(&err);
	if (sha256_hex(d->cfg.boot_image, hex, &err)) {
		printf("%%Kept %s, the previous image: %s\n", d->job.fallback_image, err.msg);
		return -1;
	}
	/* The daemon answers yes once the record says so: no cut loses the image unrecorded. */
	printf("@fallback-sha256 %s\n@fallback-deleted\n", hex);
	fflush(stdout);
	if (!fgets(answer, sizeof(answer), stdin) || strcmp(answer, "yes\n")) {
		printf("%%Kept %s, the previous image: its deletion could not be recorded\n",
		       d->job.fallback_image);
		return -1;
	}
	dir = swauth_dir_open_parent(d->cfg.boot_image, &name, &err);
	if (dir < 0 || (unlinkat(dir, name, 0) && errno != ENOENT)) {
		printf("%%Kept %s, the previous image: %s\n", d->job.fallback_image,
		       dir < 0 ? err.msg : strerror(errno));
		if (dir >= 0)
			close(dir);
		return -1;
	}
	close(dir);
	printf("%%Deleted %s, the previous image: downloaded again from %s when the job ends\n",
	       d->job.fallback_image, d->job.fallback_url);
	return 0;
}

/**
 * step_space() - the image's size from the server, against the free space
 * @d: the daemon (in the child)
 *
 * The size is what the server announces (Content-Length, FTP SIZE, TFTP
 * tsize); one the server does not announce is left to the download, which
 * stops when the file system is full and leaves nothing.
 *
 * When it does not fit with space-margin MiB to spare, the disk clean-up
 * utility makes room as disk-management says (no: it does not); when that
 * is not enough and fallback-url is set, the previous boot image goes too.
 *
 * Return: 0 when the image fits, else 1.
 */
int step_space(struct upgraded *d)
{
	struct probe p = { .sink = { .size = probe_size, .write = probe_write } };
	struct swauth_xfer_opts o = { 0 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct statvfs vfs;
	char dir[PATH_MAX], *slash;
	uint64_t free_bytes, need;
	int ret;

	swauth_error_clear(&err);
	if (swauth_url_parse(d->url, &u, &err)) {
		printf("%%%s\n", err.msg);
		return 1;
	}
	memset(&r, 0, sizeof(r));
	if (u.scheme == SWAUTH_URL_TFTP)
		ret = swauth_tftp_get(&u, &o, &p.sink, &r, &err);
	else
		ret = swauth_curl_get(&u, &o, &p.sink, &r, &err);
	if (ret && ret != -ECANCELED) {
		printf("%%Cannot get %s: %s\n", d->job.source, err.msg);
		return 1;
	}
	if (!p.known) {
		printf("%%The server does not announce the size: the download checks the space as the image arrives\n");
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s", d->job.path);
	slash = strrchr(dir, '/');
	if (slash)
		*(slash == dir ? slash + 1 : slash) = '\0';
	if (statvfs(dir, &vfs)) {
		printf("%%%s: %s\n", dir, strerror(errno));
		return 1;
	}
	free_bytes = (uint64_t)vfs.f_bavail * vfs.f_frsize;
	need = p.total + (uint64_t)d->conf.space_margin * MIB;
	printf("%%Image size %llu bytes, %llu bytes free, %llu needed with the %u MiB margin\n",
	       (unsigned long long)p.total, (unsigned long long)free_bytes,
	       (unsigned long long)need, d->conf.space_margin);
	if (free_bytes >= need || !clean_up(d, dir, need))
		return 0;
	if (!d->job.fallback_image[0] || d->job.disk == SWAUTH_CLEANUP_NO || drop_previous(d))
		return 1;
	if (!statvfs(dir, &vfs) && (uint64_t)vfs.f_bavail * vfs.f_frsize >= need)
		return 0;
	return clean_up(d, dir, need) ? 1 : 0;
}

/* Deletes @path, the fallback image's file; 0 when it is gone, else -1 with why printed. */
static int remove_fallback(const struct upgraded *d, const char *path)
{
	struct swauth_error err;
	const char *name;
	int dir, ret = 0;

	swauth_error_clear(&err);
	dir = swauth_dir_open_parent(path, &name, &err);
	if (dir < 0) {
		printf("%%Cannot delete %s: %s\n", d->job.fallback_image, err.msg);
		return -1;
	}
	if (unlinkat(dir, name, 0) && errno != ENOENT) {
		printf("%%Cannot delete %s: %s\n", d->job.fallback_image, strerror(errno));
		ret = -1;
	}
	close(dir);
	return ret;
}

/**
 * upgraded_fallback_same() - whether @path is the previous image the space
 * step deleted
 * @d: the daemon
 * @path: the file at the fallback image's name
 *
 * Return: true when its SHA-256 is the one recorded before the deletion;
 * never without one, nor when it cannot be read.
 */
bool upgraded_fallback_same(const struct upgraded *d, const char *path)
{
	char hex[2 * SWAUTH_SHA256_LEN + 1];
	struct swauth_error err;

	swauth_error_clear(&err);
	return d->job.fallback_sha256[0] && !sha256_hex(path, hex, &err) &&
	       !strcmp(hex, d->job.fallback_sha256);
}

/**
 * step_fallback() - the previous image again: swcopy /verify from its
 * fallback URL, then its SHA-256 against the deleted image's
 * @d: the daemon (in the child)
 *
 * A file at the image's name is not the deleted image (the daemon
 * compared before it started the step: swcopy had put another image
 * there before a cut): it goes first. Another image that verifies (an
 * older one, say) is deleted again: only the image the job deleted comes
 * back.
 *
 * Return: 0 when it is back, swcopy's exit status when the copy failed,
 * UPGRADED_EXIT_DIFFERS when it was another image.
 */
int step_fallback(struct upgraded *d)
{
	char swcopy[PATH_MAX + 16], where[PATH_MAX], hex[2 * SWAUTH_SHA256_LEN + 1];
	char *argv[] = { swcopy, "/verify", "--yes", "--progress", "marks", d->job.fallback_url,
			 d->job.fallback_image, NULL };
	struct swauth_error err;
	int status;
	pid_t pid;

	swauth_error_clear(&err);
	if (swauth_storage_resolve(&d->cfg, d->job.fallback_image, where, sizeof(where), &err)) {
		printf("%%%s\n", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	if (remove_fallback(d, where))
		return CLI_EXIT_SYSTEM;
	snprintf(swcopy, sizeof(swcopy), "%s/swcopy", d->tool_dir);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return CLI_EXIT_SYSTEM;
	if (!pid) {
		if (prctl(PR_SET_PDEATHSIG, SIGKILL))
			_exit(CLI_EXIT_SYSTEM);
		exec_tool(d, argv);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return CLI_EXIT_SYSTEM;
	if (WEXITSTATUS(status))
		return WEXITSTATUS(status);
	if (sha256_hex(where, hex, &err)) {
		printf("%%%s\n", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	if (d->job.fallback_sha256[0] && !strcmp(hex, d->job.fallback_sha256))
		return 0;
	if (!remove_fallback(d, where))
		printf("%%Deleted %s again: it verifies, but it is not the image that was deleted (SHA-256 %s, not %s)\n",
		       d->job.fallback_image, hex,
		       d->job.fallback_sha256[0] ? d->job.fallback_sha256 : "none recorded");
	return UPGRADED_EXIT_DIFFERS;
}

/* MemAvailable of /proc/meminfo, in bytes; 0 when unknown. */
static uint64_t mem_available(void)
{
	unsigned long long kib = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "MemAvailable: %llu kB", &kib) == 1)
			break;
	fclose(f);
	return (uint64_t)kib * 1024;
}

static bool kexec_allowed(void)
{
	char c = '1';
	int fd = open("/proc/sys/kernel/kexec_load_disabled", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, &c, 1) != 1)
		c = '1';
	close(fd);
	return c == '0';
}

/**
 * step_check() - the requirements: a verified system image for this
 * platform with a bootable payload, and what kind of reload it can have
 * @d: the daemon (in the child)
 *
 * The module verifies when it is loaded (the one verification policy),
 * else OpenSSL. A warm reload needs kexec allowed and memory for the
 * image twice over (the loaded kernel and initramfs, and their sealed
 * copies); else the reload is cold. Prints "@kind warm" or "@kind cold"
 * for the daemon, and "@verified-digest HEX", the payload digest of this
 * verification: the boot-image step sets the image by it without
 * verifying it again (swauth boot system --verified-digest), and the
 * reload's seal refuses a file with another.
 *
 * Return: 0 when the image meets them, else 1.
 */
int step_check(struct upgraded *d)
{
	static struct swauth_verify_result res;
	char digest[2 * SWAUTH_VERIFY_DIGEST_MAX + 1];
	struct swauth_policy_choice c;
	struct swauth_error err;
	uint64_t avail;

	swauth_error_clear(&err);
	if (verify(d, d->job.path, &res, &c, &err)) {
		printf("%%%s: %s\n", d->job.image, err.msg);
		return 1;
	}
	if (swauth_system_image_check(&d->cfg, d->job.path, d->job.image, &res, &err)) {
		printf("%%%s\n", err.msg);
		return 1;
	}
	printf("%%%s verified by %s (%s key %c)\n", d->job.image, c.by,
	       swauth_key_type_token(verify_signer_type(&res)), verify_signer_version(&res));
	verify_digest_hex(&res, digest);
	printf("@verified-digest %s\n", digest);
	avail = mem_available();
	if (!kexec_allowed()) {
		printf("%%Cold reload: kexec is disabled on this system\n");
		printf("@kind cold\n");
	} else if (avail < 2 * res.file_size) {
		printf("%%Cold reload: %llu MiB of memory available, a warm reload needs %llu MiB\n",
		       (unsigned long long)(avail / MIB),
		       (unsigned long long)(2 * res.file_size / MIB));
		printf("@kind cold\n");
	} else {
		printf("%%Warm reload possible\n");
		printf("@kind warm\n");
	}
	return 0;
}

/* The health checks that run a command: it passes when the command exits 0. */
static const struct health_command {
	const char *prefix;	/* "unit=": the check's argument follows */
	char *argv[8];		/* the command, the argument appended */
	const char *failed;	/* what another exit status means */
} health_commands[] = {
	{ "unit=", { "systemctl", "is-active", "--quiet" }, "the unit is not active" },
	{ "ping=", { "ping", "-n", "-q", "-c", "1", "-W", "2" }, "no answer" },
};

/* Run @h's command on @arg quietly and judge its exit status; prints why it failed. */
static bool command_healthy(const char *check, const struct health_command *h, char *arg)
{
	char *argv[sizeof(h->argv) / sizeof(h->argv[0]) + 1];
	int status, null, ret = -1;
	size_t n;
	pid_t pid;

	for (n = 0; h->argv[n]; n++)
		argv[n] = h->argv[n];
	argv[n++] = arg;
	argv[n] = NULL;
	pid = fork();
	if (!pid) {
		null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null >= 0) {
			dup2(null, STDOUT_FILENO);
			dup2(null, STDERR_FILENO);
		}
		execvp(argv[0], argv);
		_exit(127);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		ret = WEXITSTATUS(status);
	if (ret == 127)
		printf("%%Health check %s: cannot run %s\n", check, argv[0]);
	else if (ret)
		printf("%%Health check %s: %s\n", check, h->failed);
	return !ret;
}

/* One health check; prints why it failed. */
static bool healthy(struct upgraded *d, const char *check)
{
	static struct swauth_verify_result res;
	struct swauth_reload_record running;
	struct swauth_policy_choice c;
	struct swauth_error err;
	char arg[256];
	bool reloaded;
	size_t i, len;

	if (!strcmp(check, "verify")) {
		swauth_error_clear(&err);
		if (swauth_running_image(&d->cfg, &running, &reloaded) ||
		    !upgraded_same_file(running.image, d->job.path)) {
			printf("%%Health check verify: the system does not run %s\n", d->job.image);
			return false;
		}
		if (verify(d, running.image, &res, &c, &err) ||
		    res.verdict != SWAUTH_VERDICT_OK) {
			printf("%%Health check verify: %s does not verify: %s\n", d->job.image,
			       err.msg[0] ? err.msg : swauth_verdict_message(res.verdict));
			return false;
		}
		return true;
	}
	for (i = 0; i < sizeof(health_commands) / sizeof(health_commands[0]); i++) {
		len = strlen(health_commands[i].prefix);
		if (!strncmp(check, health_commands[i].prefix, len)) {
			snprintf(arg, sizeof(arg), "%s", check + len);
			return command_healthy(check, &health_commands[i], arg);
		}
	}
	return true;
}

/**
 * step_health() - the configured health checks of the new image, again
 * and again until they all pass (the daemon's deadline ends the step)
 * @d: the daemon (in the child)
 *
 * Return: 0 once every check passed.
 */
int step_health(struct upgraded *d)
{
	const char *list;
	char word[256];
	bool all;
	int ret;

	for (;;) {
		all = true;
		list = d->conf.health_check;
		while ((ret = swauth_health_check_next(&list, word, sizeof(word))) > 0)
			if (strcmp(word, "confirm") && !healthy(d, word))
				all = false;
		if (all && !ret) {
			printf("%%Health checks passed\n");
			return 0;
		}
		fflush(stdout);
		sleep(5);
	}
}

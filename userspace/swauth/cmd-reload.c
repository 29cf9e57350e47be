// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth reload: the seeds' `reload [/verify | /noverify] [in MMM |
 * in HHH:MM | at HH:MM [MON DAY] [TEXT] | reason TEXT | cancel]`
 * (FEATURES A11.1, C5.5), and `swauth show reload`.
 *
 * Every reload loads the boot image through the module: it verifies the
 * image and hands back sealed read-only copies of its kernel and
 * initramfs (SWAUTH_IOC_SEAL). A warm reload passes those copies to
 * kexec_file_load(2); a cold reload writes them into boot-dir, which the
 * firmware's boot loader boots, switching a symbolic link so that
 * boot-dir/current is the old pair or the new one, never a mix, and then
 * reboots. Nothing read from the image file by userspace is ever loaded,
 * so a tampered, revoked or unverified image never runs, and an image
 * replaced after `boot system` verified it is refused by its digest.
 *
 * A scheduled reload is a process that waits for the time on
 * CLOCK_REALTIME (so setting the clock forward brings it on) and is named
 * in run-dir/reload; `cancel` stops it. The image is verified when the
 * reload is scheduled and again, by sealing, when it happens.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <linux/kexec.h>
#include <linux/reboot.h>

#include "lib/boot.h"
#include "lib/cli.h"
#include "lib/config.h"
#include "lib/fs.h"
#include "lib/image.h"
#include "lib/netlink.h"
#include "swauth/subcommands.h"

enum { CMDLINE_MAX = 4096 };

struct reload {
	const char *subcmd;
	struct swauth_config cfg;
	bool warm, yes, scheduled;
	struct verify_opts o;		/* for the check when scheduling */
	const char *image_arg;		/* --image, or NULL for boot-image */
	const char *append;		/* --append, or NULL for this cmdline */
	char path[PATH_MAX];		/* the image */
	char sched_path[PATH_MAX];	/* run-dir/reload */
	struct swauth_reload_record rec;
	struct swauth_verify_result res;
};

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s [/verify|/noverify] [OPTIONS] [in MMM | in HHH:MM |\n"
		   "                     at HH:MM [MON DAY]] [TEXT...]\n", PROG_NAME, subcmd);
	fprintf(f, "       %s %s [/verify|/noverify] [OPTIONS] reason TEXT...\n", PROG_NAME,
		subcmd);
	fprintf(f, "       %s %s cancel\n\n", PROG_NAME, subcmd);
	fprintf(f, "Reload into the boot image (boot-image in swauth.conf, or --image), now or\n"
		   "at a time: 'in MMM' minutes, 'in HHH:MM', or 'at HH:MM' today (tomorrow\n"
		   "when past) or on MON DAY; at most 24 days ahead. TEXT is the reason that\n"
		   "'swauth show version' gives after the reload. The module verifies the image\n"
		   "and seals its kernel and initramfs; only the sealed copies are loaded, by\n"
		   "kexec (--warm) or by writing them to boot-dir and rebooting (cold).\n"
		   "/verify is what always happens; /noverify is accepted and ignored.\n"
		   "'cancel' stops the scheduled reload.\n\n");
	fprintf(f, "  -w, --warm          kexec into the image instead of rebooting\n");
	fprintf(f, "  -i, --image FILE    the image (flash:NAME or a path) instead of boot-image\n");
	fprintf(f, "  -a, --append ARGS   the new kernel's command line for --warm\n"
		   "                      (default: this one's)\n");
	fprintf(f, "  -y, --yes           do not ask for confirmation (needed without a terminal)\n");
	fprintf(f, "When scheduling, the image is checked now with the module, else in userspace:\n");
	fprintf(f, "%s", VERIFY_OPTIONS_HELP);
	fprintf(f, "  -h, --help          show this help\n\n");
	fprintf(f, "Exits 0 when the reload is scheduled or cancelled (a reload now does not\n"
		   "return), 1 when the image is refused or there is nothing to cancel, 2 on a\n"
		   "usage or configuration error, 3 on a system error.\n");
}

/* A line in the kernel log, for a scheduled reload that has no terminal. */
static void klog(const char *fmt, ...)
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
static void say(const struct reload *r, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (r->scheduled)
		klog("%s", msg);
	else
		cli_msg(r->subcmd, "%s", msg);
}

static void hex(const uint8_t *buf, uint32_t len, char *out)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", buf[i]);
	out[2 * len] = '\0';
}

/*
 * The checks of a verified image beyond its signature: a system image
 * for this platform, and, when it is the configured boot image, the one
 * `boot system` verified (its digest).
 */
static int check_image(struct reload *r)
{
	const struct swauth_verify_result *res = &r->res;
	char digest[2 * SWAUTH_VERIFY_DIGEST_MAX + 1], msg[128];

	if (res->verdict != SWAUTH_VERDICT_OK) {
		say(r, "%s: not loaded: %s", r->rec.name, swauth_verdict_message(res->verdict));
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (res->image_type != SWAUTH_IMAGE_PRODUCTION && res->image_type != SWAUTH_IMAGE_SPECIAL) {
		say(r, "%s: not loaded: a %s image is not a system image", r->rec.name,
		    swauth_image_type_token(res->image_type));
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (!verify_platform_ok(res, r->cfg.platform, msg, sizeof(msg))) {
		say(r, "%s: not loaded: %s", r->rec.name, msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	verify_digest_hex(res, digest);
	if (!r->image_arg && r->cfg.boot_image_digest[0] &&
	    strcmp(digest, r->cfg.boot_image_digest)) {
		say(r, "%s: not loaded: the file changed since 'swauth boot system' verified it; run 'swauth boot system' again to boot the new file",
		    r->rec.name);
		return CLI_EXIT_VERIFY_FAILED;
	}
	snprintf(r->rec.digest, sizeof(r->rec.digest), "%s", digest);
	snprintf(r->rec.key, sizeof(r->rec.key), "%s %c",
		 swauth_key_type_token(verify_signer_type(res)), verify_signer_version(res));
	return CLI_EXIT_OK;
}

/* Asks the module to seal the image. */
static int module_seal(struct reload *r)
{
	struct swauth_error err;
	int fd, ret;

	swauth_error_clear(&err);
	fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		say(r, "%s: %s", r->path, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	ret = swauth_seal_kernel(fd, &r->res, &err);
	close(fd);
	/* The module refused the image itself: wrong type, platform or payload. */
	if (ret == -EMEDIUMTYPE || ret == -ENOEXEC || ret == -EBADMSG) {
		say(r, "%s: not loaded: %s", r->rec.name, err.msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (ret && r->scheduled) {
		klog("%s: not loaded: %s", r->rec.name, err.msg);
		return CLI_EXIT_SYSTEM;
	}
	if (ret)
		return cli_fail(r->subcmd, ret, &err);
	return check_image(r);
}

/* Copies a sealed part into boot-dir/ID/NAME. */
static int write_part(struct reload *r, int dir_fd, const char *name, int src)
{
	char buf[1 << 16];
	ssize_t n, w;
	off_t off = 0;
	int fd, ret = 0;

	fd = openat(dir_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		ret = -errno;
	while (!ret && (n = pread(src, buf, sizeof(buf), off)) != 0) {
		if (n < 0) {
			ret = -errno;
			break;
		}
		for (w = 0; !ret && w < n;) {
			ssize_t k = write(fd, buf + w, (size_t)(n - w));

			if (k < 0)
				ret = -errno;
			else
				w += k;
		}
		off += n;
	}
	if (fd >= 0 && !ret && fsync(fd))
		ret = -errno;
	if (fd >= 0 && close(fd) && !ret)
		ret = -errno;
	if (ret)
		say(r, "writing %s/%s/%s: %s", swauth_reload_dir(&r->cfg, SWAUTH_DIR_BOOT),
		    r->rec.id, name, strerror(-ret));
	return ret;
}

static void remove_dir(int boot_fd, const char *name)
{
	static const char *const files[] = { "vmlinuz", "initrd.img", "image" };
	int fd = openat(boot_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	size_t i;

	if (fd >= 0) {
		for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
			unlinkat(fd, files[i], 0);
		close(fd);
	}
	unlinkat(boot_fd, name, AT_REMOVEDIR);
}

/*
 * boot-dir/ID/{vmlinuz,initrd.img,image}, then boot-dir/current -> ID by
 * rename(2) of a new link, then the old directory goes. A failure before
 * the rename leaves boot-dir/current as it was.
 */
static int install_boot(struct reload *r)
{
	const char *boot = swauth_reload_dir(&r->cfg, SWAUTH_DIR_BOOT);
	char old[SWAUTH_RELOAD_ID_LEN + 8] = "", path[PATH_MAX], text[256];
	struct swauth_error err;
	int boot_fd, dir_fd = -1, ret;
	ssize_t n;

	if (mkdir(boot, 0755) && errno != EEXIST) {
		say(r, "%s: %s", boot, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	boot_fd = open(boot, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (boot_fd < 0) {
		say(r, "%s: %s", boot, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	n = readlinkat(boot_fd, "current", old, sizeof(old) - 1);
	old[n > 0 ? n : 0] = '\0';
	ret = mkdirat(boot_fd, r->rec.id, 0755) ? -errno : 0;
	if (!ret) {
		dir_fd = openat(boot_fd, r->rec.id, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		ret = dir_fd < 0 ? -errno : 0;
	}
	if (ret)
		say(r, "%s/%s: %s", boot, r->rec.id, strerror(-ret));
	if (!ret)
		ret = write_part(r, dir_fd, "vmlinuz", (int)r->res.kernel_fd);
	if (!ret)
		ret = write_part(r, dir_fd, "initrd.img", (int)r->res.initrd_fd);
	if (!ret) {
		swauth_error_clear(&err);
		snprintf(path, sizeof(path), "%s/%s/image", boot, r->rec.id);
		ret = swauth_reload_record_write(path, &r->rec, &err);
		if (ret)
			say(r, "%s", err.msg);
	}
	if (!ret && fsync(dir_fd))
		ret = -errno;
	if (!ret) {
		snprintf(text, sizeof(text), ".current.%s", r->rec.id);
		unlinkat(boot_fd, text, 0);
		if (symlinkat(r->rec.id, boot_fd, text) ||
		    renameat(boot_fd, text, boot_fd, "current") || fsync(boot_fd)) {
			ret = -errno;
			say(r, "%s/current: %s", boot, strerror(errno));
			unlinkat(boot_fd, text, 0);
		}
	}
	if (dir_fd >= 0)
		close(dir_fd);
	if (ret)
		remove_dir(boot_fd, r->rec.id);
	else if (old[0] && strcmp(old, r->rec.id) && !strchr(old, '/'))
		remove_dir(boot_fd, old);
	close(boot_fd);
	return ret ? CLI_EXIT_SYSTEM : CLI_EXIT_OK;
}

/* Writes state-dir/last-reload; @old receives what it replaced. */
static int record_last(struct reload *r, struct swauth_reload_record *old, bool *had_old)
{
	const char *state = swauth_reload_dir(&r->cfg, SWAUTH_DIR_STATE);
	char path[PATH_MAX + 32];
	struct swauth_error err;

	swauth_error_clear(&err);
	snprintf(path, sizeof(path), "%s/last-reload", state);
	*had_old = !swauth_reload_record_read(path, old, &err);
	if (mkdir(state, 0755) && errno != EEXIST) {
		say(r, "%s: %s", state, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	if (swauth_reload_record_write(path, &r->rec, &err)) {
		say(r, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	return CLI_EXIT_OK;
}

static void unrecord_last(struct reload *r, const struct swauth_reload_record *old,
			  bool had_old)
{
	char path[PATH_MAX + 32];
	struct swauth_error err;

	snprintf(path, sizeof(path), "%s/last-reload", swauth_reload_dir(&r->cfg, SWAUTH_DIR_STATE));
	if (!had_old || swauth_reload_record_write(path, old, &err))
		unlink(path);
}

/* Closes the sealed copies the module gave, if it gave them. */
static void close_sealed(struct reload *r)
{
	if (r->res.has & SWAUTH_VERIFY_HAS_KERNEL_FD)
		close((int)r->res.kernel_fd);
	if (r->res.has & SWAUTH_VERIFY_HAS_INITRD_FD)
		close((int)r->res.initrd_fd);
	r->res.has &= ~(SWAUTH_VERIFY_HAS_KERNEL_FD | SWAUTH_VERIFY_HAS_INITRD_FD);
}

/* The reload itself: seal, load or install, record, reboot. */
static int reload_now(struct reload *r)
{
	static struct swauth_reload_record old;
	char base[CMDLINE_MAX], cmdline[CMDLINE_MAX];
	bool had_old = false;
	int ret;

	ret = module_seal(r);
	if (ret) {
		close_sealed(r);
		return ret;
	}
	r->rec.time = time(NULL);
	if (!r->scheduled)
		printf("Image %s verified (%s key %c) and sealed\n", r->rec.name,
		       swauth_key_type_name(verify_signer_type(&r->res)), verify_signer_version(&r->res));
	if (r->warm) {
		ret = r->append ? (snprintf(base, sizeof(base), "%s", r->append), 0) :
				  swauth_read_cmdline(base, sizeof(base));
		if (!ret)
			ret = swauth_reload_warm_cmdline(base, r->rec.id, cmdline, sizeof(cmdline));
		if (ret) {
			say(r, "the new kernel's command line: %s", strerror(-ret));
			close_sealed(r);
			return CLI_EXIT_SYSTEM;
		}
		if (syscall(SYS_kexec_file_load, (int)r->res.kernel_fd, (int)r->res.initrd_fd,
			    strlen(cmdline) + 1, cmdline, 0UL)) {
			say(r, "kexec_file_load: %s", strerror(errno));
			close_sealed(r);
			return CLI_EXIT_SYSTEM;
		}
		close_sealed(r);
		if (!cli_confirm(r->subcmd, stdout, "Proceed with reload? [confirm]", CLI_ASK_CONFIRM, r->yes)) {
			syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL,
				(unsigned long)KEXEC_FILE_UNLOAD);
			printf("Reload cancelled\n");
			return CLI_EXIT_VERIFY_FAILED;
		}
	} else {
		if (!cli_confirm(r->subcmd, stdout, "Proceed with reload? [confirm]", CLI_ASK_CONFIRM, r->yes)) {
			close_sealed(r);
			printf("Reload cancelled\n");
			return CLI_EXIT_VERIFY_FAILED;
		}
		ret = install_boot(r);
		close_sealed(r);
		if (ret)
			return ret;
	}
	ret = record_last(r, &old, &had_old);
	if (ret)
		return ret;
	if (r->scheduled)
		klog("reloading (%s) into %s", r->warm ? "warm" : "cold", r->rec.name);
	else
		printf("Reloading (%s) into %s\n", r->warm ? "warm" : "cold", r->rec.name);
	fflush(stdout);
	sync();
	reboot(r->warm ? LINUX_REBOOT_CMD_KEXEC : LINUX_REBOOT_CMD_RESTART);
	say(r, "reboot: %s", strerror(errno));
	unrecord_last(r, &old, had_old);
	return CLI_EXIT_SYSTEM;
}

/* 1 when @rec names a waiting process, 0 when it is stale. */
static bool alive(const struct swauth_reload_record *rec)
{
	return rec->pid > 1 && (!kill((pid_t)rec->pid, 0) || errno == EPERM);
}

static int cancel(struct reload *r)
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
	if (alive(&rec) && kill((pid_t)rec.pid, SIGTERM) && errno != ESRCH) {
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
	klog("scheduled reload of %s: %s", r->rec.name, r->rec.reason[0] ? r->rec.reason :
		"Reload Command");
	_exit(reload_now(r));
}

static int schedule(struct reload *r, time_t now, time_t when)
{
	const char *run = swauth_reload_dir(&r->cfg, SWAUTH_DIR_RUN);
	char at[96], in[96], by[VERIFIED_BY_LEN];
	struct swauth_reload_record cur;
	struct swauth_error err;
	pid_t pid;
	int ret;

	swauth_error_clear(&err);
	ret = swauth_reload_record_read(r->sched_path, &cur, &err);
	if (!ret && alive(&cur)) {
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
		ret = check_image(r);
	if (ret)
		return ret;
	printf("Image %s verified (%s key %c) by %s\n", r->rec.name,
	       swauth_key_type_name(verify_signer_type(&r->res)), verify_signer_version(&r->res), by);
	swauth_reload_format_time(when, at, sizeof(at));
	swauth_reload_format_in(now, when, in, sizeof(in));
	printf("Reload scheduled for %s (in %s)\n", at, in);
	if (!cli_confirm(r->subcmd, stdout, "Proceed with reload? [confirm]", CLI_ASK_CONFIRM, r->yes)) {
		printf("Reload not scheduled\n");
		return CLI_EXIT_VERIFY_FAILED;
	}
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

/* The words after the options: [/verify|/noverify] [in|at ...|reason ...|cancel]. */
static int parse_words(struct reload *r, int argc, char *argv[], time_t now, time_t *when,
		       bool *do_cancel)
{
	struct swauth_error err;
	int i = 0, used = 0, verify = 0;
	size_t len = 0;

	for (; i < argc && argv[i][0] == '/'; i++) {
		if (strcmp(argv[i], "/verify") && strcmp(argv[i], "/noverify")) {
			cli_msg(r->subcmd, "unknown switch '%s' (known: /verify, /noverify)",
				argv[i]);
			return CLI_EXIT_USAGE;
		}
		if (verify && verify != (argv[i][1] == 'v' ? 1 : 2)) {
			cli_msg(r->subcmd, "/verify and /noverify exclude each other");
			return CLI_EXIT_USAGE;
		}
		verify = argv[i][1] == 'v' ? 1 : 2;
	}
	if (verify == 2)
		printf("/noverify ignored: every image is verified by the module before it is loaded\n");
	if (i < argc && !strcmp(argv[i], "cancel")) {
		if (verify || i + 1 < argc) {
			cli_msg(r->subcmd, "'cancel' takes nothing else, found '%s'",
				verify ? argv[0] : argv[i + 1]);
			return CLI_EXIT_USAGE;
		}
		*do_cancel = true;
		return CLI_EXIT_OK;
	}
	if (i < argc && (!strcmp(argv[i], "in") || !strcmp(argv[i], "at"))) {
		swauth_error_clear(&err);
		if (swauth_reload_parse_when(argc - i, argv + i, now, when, &used, &err)) {
			cli_msg(r->subcmd, "%s", err.msg);
			return CLI_EXIT_USAGE;
		}
		i += used;
	} else if (i < argc && !strcmp(argv[i], "reason")) {
		if (++i == argc) {
			cli_msg(r->subcmd, "'reason' needs a TEXT");
			return CLI_EXIT_USAGE;
		}
	} else if (i < argc) {
		cli_msg(r->subcmd, "unknown word '%s' (expected in, at, reason or cancel)",
			argv[i]);
		return CLI_EXIT_USAGE;
	}
	for (; i < argc; i++) {
		if (strchr(argv[i], '\n') ||
		    len + strlen(argv[i]) + 1 >= sizeof(r->rec.reason)) {
			cli_msg(r->subcmd, "the reason must be one line of at most %d characters",
				SWAUTH_RELOAD_REASON_MAX - 1);
			return CLI_EXIT_USAGE;
		}
		len += (size_t)sprintf(r->rec.reason + len, "%s%s", len ? " " : "", argv[i]);
	}
	return CLI_EXIT_OK;
}

static int new_id(char *id)
{
	uint8_t rnd[SWAUTH_RELOAD_ID_LEN / 2];

	if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd))
		return -errno;
	hex(rnd, sizeof(rnd), id);
	return 0;
}

int reload_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "warm", no_argument, NULL, 'w' },
		{ "image", required_argument, NULL, 'i' },
		{ "append", required_argument, NULL, 'a' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static struct reload r;
	struct swauth_error err;
	bool do_cancel = false;
	time_t now = time(NULL), when = 0;
	int opt, ret;

	memset(&r, 0, sizeof(r));
	r.subcmd = argv[0];
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":wi:a:yh" VERIFY_OPTSTRING, options, NULL)) != -1) {
		switch (opt) {
		case 'w':
			r.warm = true;
			break;
		case 'i':
			r.image_arg = optarg;
			break;
		case 'a':
			r.append = optarg;
			break;
		case 'y':
			r.yes = true;
			break;
		case 'h':
			usage(stdout, r.subcmd);
			return CLI_EXIT_OK;
		default:
			ret = verify_opt(r.subcmd, &r.o, opt, optarg);
			if (ret == 0)
				break;
			if (ret == 1)
				cli_bad_option(r.subcmd, argc, argv, opt);
			usage(stderr, r.subcmd);
			return CLI_EXIT_USAGE;
		}
	}
	ret = parse_words(&r, argc - optind, argv + optind, now, &when, &do_cancel);
	if (ret) {
		fprintf(stderr, "Try '%s %s --help'.\n", PROG_NAME, r.subcmd);
		return ret;
	}
	if (r.append && !r.warm) {
		cli_msg(r.subcmd, "--append is for --warm: a cold reload boots what the boot loader is set to");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &r.cfg, &err)) {
		cli_msg(r.subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	snprintf(r.sched_path, sizeof(r.sched_path), "%s/reload",
		 swauth_reload_dir(&r.cfg, SWAUTH_DIR_RUN));
	if (do_cancel)
		return cancel(&r);
	if (cli_need_terminal(r.subcmd, r.yes))
		return CLI_EXIT_USAGE;
	if (!r.image_arg && !r.cfg.boot_image[0]) {
		cli_msg(r.subcmd, "no boot image: set one with '%s boot system FILE' or give --image",
			PROG_NAME);
		return CLI_EXIT_USAGE;
	}
	if (swauth_storage_resolve(&r.cfg, r.image_arg ?: r.cfg.boot_image, r.path,
				   sizeof(r.path), &err)) {
		cli_msg(r.subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	ret = new_id(r.rec.id);
	if (!ret)
		ret = swauth_boot_id(r.rec.boot_id, sizeof(r.rec.boot_id));
	if (ret) {
		cli_msg(r.subcmd, "%s", strerror(-ret));
		return CLI_EXIT_SYSTEM;
	}
	r.rec.kind = r.warm ? SWAUTH_RELOAD_WARM : SWAUTH_RELOAD_COLD;
	snprintf(r.rec.image, sizeof(r.rec.image), "%s", r.path);
	swauth_storage_display(&r.cfg, r.path, r.rec.name, sizeof(r.rec.name));
	if (when)
		return schedule(&r, now, when);
	return reload_now(&r);
}

/* swauth show reload: the scheduled reload, if any. */
int show_reload_main(int argc, char *argv[])
{
	static struct swauth_config cfg;
	struct swauth_reload_record rec;
	struct swauth_error err;
	char path[PATH_MAX], at[96], in[96];
	int ret;

	if (argc > 1) {
		if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
			printf("Usage: %s show reload\n\nShow the scheduled reload, if any.\n",
			       PROG_NAME);
			return CLI_EXIT_OK;
		}
		cli_msg("show reload", "unexpected argument '%s'", argv[1]);
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err)) {
		cli_msg("show reload", "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	snprintf(path, sizeof(path), "%s/reload", swauth_reload_dir(&cfg, SWAUTH_DIR_RUN));
	ret = swauth_reload_record_read(path, &rec, &err);
	if (ret == -ENOENT || (!ret && !alive(&rec))) {
		printf("No reload is scheduled.\n");
		return CLI_EXIT_OK;
	}
	if (ret) {
		cli_msg("show reload", "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	swauth_reload_format_time((time_t)rec.time, at, sizeof(at));
	swauth_reload_format_in(time(NULL), (time_t)rec.time, in, sizeof(in));
	printf("Reload scheduled for %s (in %s)\n", at, in);
	printf("Reload type: %s\n", rec.kind == SWAUTH_RELOAD_WARM ? "warm (kexec)" :
	       "cold (reboot)");
	printf("Image: %s (%s)\n", rec.name, rec.key[0] ? rec.key : "key unknown");
	printf("Reload reason: %s\n", rec.reason[0] ? rec.reason : "Reload Command");
	return CLI_EXIT_OK;
}

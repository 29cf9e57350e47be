// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth show running: the seeds' `show software authenticity running`
 * (FEATURES A7.1, A7.2), the booted system image and the boot loader,
 * each verified again now. swauth show version: the seeds' `show version`
 * lines (A7.7): boot loader, uptime, how the system came up, the system
 * image file and the last reload reason.
 *
 * Which image runs is known to the module when it measured the initramfs
 * this kernel booted (GET_STATUS, SWAUTH_A_RUNNING): show running then
 * shows the module's record, and names the file only when the one the
 * reload records name verifies now with the same payload. Otherwise the
 * reload records name it, see swauth_running_image(), and show running
 * says that the module does not know. A system that swauth did not start
 * has no running image to show: show running says so and exits 0.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "lib/boot.h"
#include "lib/cli.h"
#include "lib/config.h"
#include "lib/fs.h"
#include "lib/image.h"
#include "lib/netlink.h"
#include "swauth/subcommands.h"

struct running {
	bool known;			/* rec is the running image */
	bool reloaded;			/* this boot came from the reload in rec */
	struct swauth_reload_record rec;
};

static void find_running(const struct swauth_config *cfg, struct running *run)
{
	memset(run, 0, sizeof(*run));
	run->known = !swauth_running_image(cfg, &run->rec, &run->reloaded);
}

static void section(const char *title)
{
	size_t n = strlen(title) + 7;

	printf("%s\n", title);
	while (n--)
		putchar('-');
	putchar('\n');
}

/* "kernel (swauth.ko 1.0)" -> Verifier Name "swauth.ko", Version "1.0". */
static void print_verifier(const char *verified_by)
{
	const char *ko = strstr(verified_by, "swauth.ko");
	int n = 0;

	printf("    Verifier Information\n");
	if (ko) {
		ko += strlen("swauth.ko");
		ko += strspn(ko, " ");
		n = (int)strcspn(ko, ")");
		printf("        Verifier Name         : swauth.ko\n");
		printf("        Verifier Version      : %.*s\n", n, n ? ko : "-");
	} else {
		printf("        Verifier Name         : %s\n", verified_by);
		printf("        Verifier Version      : -\n");
	}
}

static void print_note(const char *note)
{
	if (note)
		printf("Running image                 : %s\n", note);
}

/*
 * One section, @note (or NULL) after the file's name; false when the image
 * does not verify (or is not there).
 */
static bool show_image(const char *subcmd, const struct verify_opts *o, const char *title,
		       const char *name, const char *path, const char *digest, const char *note)
{
	static struct swauth_verify_result res;
	char by[VERIFIED_BY_LEN], msg[512], hexd[2 * SWAUTH_VERIFY_DIGEST_MAX + 1];
	bool ok;

	section(title);
	if (!path) {
		printf("%s\n", name);
		print_note(note);
		return true;
	}
	printf("File Name                     : %s\n", name);
	print_note(note);
	if (verify_run(subcmd, path, o, &res, by, sizeof(by))) {
		printf("Verdict                       : could not be verified (see above)\n");
		return false;
	}
	if ((res.has & SWAUTH_VERIFY_HAS_HEADER) == SWAUTH_VERIFY_HAS_HEADER)
		verify_print_credentials(stdout, &res);
	print_verifier(by);
	ok = res.verdict == SWAUTH_VERDICT_OK;
	swauth_verdict_describe(&res, msg, sizeof(msg));
	printf("Verdict                       : %s%s\n", ok ? "verified" : "FAILED: ",
	       ok ? "" : msg);
	verify_digest_hex(&res, hexd);
	if (digest && digest[0] && strcmp(digest, hexd)) {
		printf("WARNING: %s is not the file that was loaded: it changed since\n", name);
		ok = false;
	}
	return ok;
}

static int load_config(const char *subcmd, struct swauth_config *cfg)
{
	struct swauth_error err;

	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

/*
 * The options of both commands (the verifier's, --help and nothing else),
 * the configuration and the running image.
 * Return: -1 to go on, else the exit code.
 */
static int prepare(const char *subcmd, int argc, char *argv[], const char *what,
		   struct verify_opts *o, struct swauth_config *cfg, struct running *run)
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":h" VERIFY_OPTSTRING, options, NULL)) != -1) {
		if (opt == 'h') {
			printf("Usage: %s %s [--userspace] [--trust-dir DIR]...\n\n%s\n%s", PROG_NAME,
			       subcmd, what, VERIFY_OPTIONS_HELP);
			return CLI_EXIT_OK;
		}
		if (verify_opt_argv(subcmd, o, argc, argv, opt, optarg))
			return CLI_EXIT_USAGE;
	}
	if (optind < argc) {
		cli_msg(subcmd, "unexpected argument '%s'", argv[optind]);
		return CLI_EXIT_USAGE;
	}
	ret = load_config(subcmd, cfg);
	if (ret)
		return ret;
	find_running(cfg, run);
	return -1;
}

/*
 * Whether the file the reload records name is the image the module
 * measured: it verifies now, with the same payload digest.
 * Return: NULL when it is, else why not.
 */
static const char *file_not_running(const char *subcmd, const struct verify_opts *o,
				    const char *path, const struct swauth_status *st,
				    char *why, size_t len)
{
	static struct swauth_verify_result res;
	char by[VERIFIED_BY_LEN], msg[512];

	if (verify_run(subcmd, path, o, &res, by, sizeof(by)))
		return "it could not be verified (see above)";
	if (res.verdict != SWAUTH_VERDICT_OK) {
		swauth_verdict_describe(&res, msg, sizeof(msg));
		snprintf(why, len, "it does not verify now: %s", msg);
		return why;
	}
	if (!(st->has & SWAUTH_STATUS_HAS_EMBEDDED_DIGEST) ||
	    res.embedded_digest_len != st->embedded_digest_len ||
	    memcmp(res.embedded_digest, st->embedded_digest, st->embedded_digest_len))
		return "its payload is not the one the module measured";
	return NULL;
}

/*
 * The system image the module measured at boot: its record, and the file
 * only when the reload records name one that is that image.
 */
static void show_measured(const char *subcmd, const struct verify_opts *o,
			  const struct running *run, const struct swauth_status *st)
{
	char why[600], by[VERIFIED_BY_LEN], hexd[2 * SWAUTH_STATUS_DIGEST_MAX + 1];
	const char *not_running = "no reload record names it";
	uint32_t i;

	section("SYSTEM IMAGE");
	if (run->known)
		not_running = file_not_running(subcmd, o, run->rec.image, st, why, sizeof(why));
	if (!not_running)
		printf("File Name                     : %s\n", run->rec.name);
	else if (run->known)
		printf("File Name                     : unknown (the reload records name %s, but %s)\n",
		       run->rec.name, not_running);
	else
		printf("File Name                     : unknown (%s)\n", not_running);
	print_note("known by the module: measured at boot");
	printf("Image Name                    : %s\n", st->image_name);
	printf("Image Version                 : %s\n", st->image_version);
	printf("Image type                    : %s\n", swauth_key_type_name(st->signer_key_type));
	printf("    Hash Algorithm            : %s\n", swauth_hash_algo_name(st->hash_algo));
	printf("    Key Version               : %c\n", swauth_status_running_signer(st));
	snprintf(by, sizeof(by), "swauth.ko %s", st->has & SWAUTH_STATUS_HAS_VERSION ?
		 st->version : "");
	print_verifier(by);
	printf("Running Kernel                : %s\n", st->running_kernel);
	for (i = 0; i < st->embedded_digest_len; i++)
		sprintf(hexd + 2 * i, "%02x", st->embedded_digest[i]);
	hexd[2 * i] = '\0';
	printf("Payload Digest                : %s\n", hexd);
	printf("Verdict                       : verified by the module at boot\n");
}

/* Whether the kernel may start only what swauth sealed (swauth enforce). */
static void show_enforcement(const struct swauth_status *st, const char *fail)
{
	putchar('\n');
	section("KEXEC ENFORCEMENT");
	if (fail)
		printf("Enforcement                   : unknown (%s)\n", fail);
	else if (!(st->has & SWAUTH_STATUS_HAS_ENFORCE))
		printf("Enforcement                   : not supported by this module\n");
	else
		printf("Enforcement                   : %s\n", st->enforce ?
		       "on: only images sealed by swauth can be started" :
		       "off: any kernel can be started");
}

int show_running_main(int argc, char *argv[])
{
	const char *subcmd = "show running";
	static struct swauth_config cfg;
	static struct swauth_status st;
	static struct running run;
	char loader[PATH_MAX + 16], note[SWAUTH_STATUS_WHY_LEN + SWAUTH_ERROR_MSG_LEN + 96];
	struct verify_opts o = { 0 };
	struct swauth_error err;
	const char *why;
	bool ok = true;
	int ret;

	ret = prepare(subcmd, argc, argv,
		      "Show the running system image and the boot loader, each verified\n"
		      "again now, in the layout of `show software authenticity running`.\n"
		      "Exits 0 when what is known verified (on a system that swauth did not\n"
		      "start, the image is reported unknown), 1 when one did not verify.\n",
		      &o, &cfg, &run);
	if (ret >= 0)
		return ret;
	swauth_error_clear(&err);
	ret = swauth_status_fetch(&st, &err);
	why = ret ? "its status could not be read" : swauth_status_running_why(&st);
	if (why)
		snprintf(note, sizeof(note), "%sthe module does not know what runs (%s%s%s)",
			 run.known ? "named by the reload records: " : "", why, ret ? ": " : "",
			 ret ? err.msg : "");
	if (!why) {
		show_measured(subcmd, &o, &run, &st);
	} else if (run.known) {
		ok = show_image(subcmd, &o, "SYSTEM IMAGE", run.rec.name, run.rec.image,
				run.rec.digest, note);
	} else {
		/* Not a failure: what is known is shown, and exits 0. */
		show_image(subcmd, &o, "SYSTEM IMAGE",
			   "unknown: this system was not started by swauth reload", NULL, NULL, note);
	}
	if (cfg.bootloader_image[0]) {
		swauth_storage_display(&cfg, cfg.bootloader_image, loader, sizeof(loader));
		ok = show_image(subcmd, &o, "BOOT LOADER", loader, cfg.bootloader_image,
				cfg.bootloader_image_digest, NULL) && ok;
	} else {
		show_image(subcmd, &o, "BOOT LOADER", "not configured (bootloader-image)", NULL,
			   NULL, NULL);
	}
	show_enforcement(&st, ret ? err.msg : NULL);
	return cli_stdout_done(subcmd, ok ? CLI_EXIT_OK : CLI_EXIT_VERIFY_FAILED);
}

/* "8 hours, 41 minutes", as IOS says it. */
static void format_uptime(long secs, char *buf, size_t len)
{
	long d = secs / 86400, h = secs / 3600 % 24, m = secs / 60 % 60;
	size_t used = 0;

	buf[0] = '\0';
	if (d)
		used += (size_t)snprintf(buf, len, "%ld day%s, ", d, d == 1 ? "" : "s");
	if (d || h)
		used += (size_t)snprintf(buf + used, len - used, "%ld hour%s, ", h,
					 h == 1 ? "" : "s");
	snprintf(buf + used, len - used, "%ld minute%s", m, m == 1 ? "" : "s");
}

int show_version_main(int argc, char *argv[])
{
	const char *subcmd = "show version";
	static struct swauth_config cfg;
	static struct swauth_verify_result res;
	static struct running run;
	char host[256] = "", up[96], at[96], by[VERIFIED_BY_LEN], loader[PATH_MAX + 16];
	struct verify_opts o = { 0 };
	struct statvfs vfs;
	struct sysinfo si;
	const char *flash;
	int ret;

	ret = prepare(subcmd, argc, argv,
		      "Show the boot loader (verified now), uptime, how and why the system\n"
		      "was last reloaded, and the system image file.\n", &o, &cfg, &run);
	if (ret >= 0)
		return ret;
	printf("swauth software, Version %s\n", cli_version());
	if (cfg.bootloader_image[0]) {
		swauth_storage_display(&cfg, cfg.bootloader_image, loader, sizeof(loader));
		if (!verify_run(subcmd, cfg.bootloader_image, &o, &res, by, sizeof(by)) &&
		    res.verdict == SWAUTH_VERDICT_OK)
			printf("ROM: %s, Version %s (%s)\n", res.image_name[0] ? res.image_name : "-",
			       res.image_version[0] ? res.image_version : "-", loader);
		else
			printf("ROM: %s does not verify\n", loader);
	} else {
		printf("ROM: not configured (bootloader-image)\n");
	}
	gethostname(host, sizeof(host) - 1);
	if (sysinfo(&si)) {
		cli_msg(subcmd, "sysinfo: %s", strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	format_uptime(si.uptime, up, sizeof(up));
	printf("%s uptime is %s\n", host, up);
	if (run.reloaded) {
		swauth_reload_format_time((time_t)run.rec.time, at, sizeof(at));
		printf("%s at %s\n", run.rec.kind == SWAUTH_RELOAD_WARM ?
		       "System restarted by warm reload (kexec)" : "System returned to ROM by reload",
		       at);
	}
	if (run.known)
		printf("System image file is \"%s\"\n", run.rec.name);
	else
		printf("System image file is unknown (not started by swauth reload)\n");
	printf("Last reload reason: %s\n", !run.reloaded ? "Unknown (not a swauth reload)" :
	       run.rec.reason[0] ? run.rec.reason : "Reload Command");
	printf("%llu K bytes of memory.\n",
	       (unsigned long long)si.totalram * si.mem_unit / 1024);
	flash = swauth_storage_dir(&cfg, "flash:");
	if (!statvfs(flash, &vfs))
		printf("%llu K bytes of flash: (%s), %llu K free.\n",
		       (unsigned long long)vfs.f_blocks * vfs.f_frsize / 1024, flash,
		       (unsigned long long)vfs.f_bavail * vfs.f_frsize / 1024);
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

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
 *
 * This file is the command; the parts are in swauth/reload.h.
 */

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lib/boot.h"
#include "lib/cli.h"
#include "lib/config.h"
#include "lib/fs.h"
#include "swauth/reload.h"
#include "swauth/subcommands.h"

enum { OPT_TRIAL = 1000 };

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
	fprintf(f, "      --trial         write the image's kernel and initramfs to boot-dir on\n"
		   "                      trial (warm too): the boot loader boots them once at\n"
		   "                      most (a warm reload's kexec is that once), then goes\n"
		   "                      back to the present ones unless '%s boot confirm' runs\n"
		   "                      in the new system\n", PROG_NAME);
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

/* The reload itself: seal, load or install, record, reboot. */
int reload_now(struct reload *r)
{
	int ret;

	ret = reload_seal(r);
	if (ret) {
		reload_close_sealed(r);
		return ret;
	}
	r->rec.time = time(NULL);
	if (!r->scheduled)
		printf("Image %s verified (%s key %c) and sealed\n", r->rec.name,
		       swauth_key_type_name(verify_signer_type(&r->res)), verify_signer_version(&r->res));
	if (r->warm) {
		ret = reload_kexec_load(r);
		if (ret)
			return ret;
		if (!cli_confirm(r->subcmd, stdout, "Proceed with reload? [confirm]", CLI_ASK_CONFIRM,
				 r->yes)) {
			reload_close_sealed(r);
			reload_kexec_unload();
			printf("Reload cancelled\n");
			return CLI_EXIT_VERIFY_FAILED;
		}
		ret = r->trial ? reload_install_boot(r) : CLI_EXIT_OK;
		reload_close_sealed(r);
		if (ret) {
			reload_kexec_unload();
			return ret;
		}
	} else {
		if (!cli_confirm(r->subcmd, stdout, "Proceed with reload? [confirm]", CLI_ASK_CONFIRM,
				 r->yes)) {
			reload_close_sealed(r);
			printf("Reload cancelled\n");
			return CLI_EXIT_VERIFY_FAILED;
		}
		ret = reload_install_boot(r);
		reload_close_sealed(r);
		if (ret)
			return ret;
	}
	return reload_reboot(r);
}

static int schedule(struct reload *r, time_t now, time_t when)
{
	int ret;

	ret = reload_schedule_check(r, now, when);
	if (ret)
		return ret;
	if (!cli_confirm(r->subcmd, stdout, "Proceed with reload? [confirm]", CLI_ASK_CONFIRM,
			 r->yes)) {
		printf("Reload not scheduled\n");
		return CLI_EXIT_VERIFY_FAILED;
	}
	return reload_schedule_start(r, when);
}

int reload_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "warm", no_argument, NULL, 'w' },
		{ "trial", no_argument, NULL, OPT_TRIAL },
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
		case OPT_TRIAL:
			r.trial = true;
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
	ret = reload_parse_words(&r, argc - optind, argv + optind, now, &when, &do_cancel);
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
		return reload_cancel(&r);
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
	ret = reload_new_id(r.rec.id);
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
	if (ret == -ENOENT || (!ret && !reload_alive(&rec))) {
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

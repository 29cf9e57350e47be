// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth upgrade bootloader FILE [--yes]: the seeds' `upgrade rom-monitor
 * file`. FILE is verified as `swauth verify` does (the module, else
 * OpenSSL) and must be a boot loader image; the seeds' ROMMON LOAD test
 * lines say which kind of key signed it; after confirmation it replaces
 * the configured bootloader-image atomically. The copy that goes live is
 * itself verified and must hash the same as FILE did when it was checked,
 * so a FILE changed in between is refused, and the old boot loader stays
 * whole on every failure.
 */

#include <limits.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/config.h"
#include "lib/fs.h"
#include "lib/image.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s bootloader FILE [--yes] [--userspace] [--trust-dir DIR]...\n\n",
		PROG_NAME, subcmd);
	fprintf(f, "Replace the boot loader (bootloader-image in %s) with FILE,\n"
		   "as `upgrade rom-monitor file` does. FILE must verify (the module verifies\n"
		   "when it is loaded, else OpenSSL in userspace) and be a boot loader image.\n"
		   "After confirmation the new boot loader is written next to the old one,\n"
		   "verified again and renamed over it: the old one stays whole on any failure.\n"
		   "Exits 0 when the boot loader was replaced, 1 when FILE was refused or the\n"
		   "upgrade cancelled, 2 on a usage or configuration error.\n\n",
		swauth_config_path());
	fprintf(f, "  -y, --yes               do not ask for confirmation (needed without a terminal)\n");
	fprintf(f, "%s", VERIFY_OPTIONS_HELP);
	fprintf(f, "  -h, --help              show this help\n");
}

/* A good verdict on a boot loader image, or the reason why not, reported. */
static int check_image(const char *subcmd, const char *path,
		       const struct swauth_verify_result *res, const char *platform)
{
	char msg[512];

	if (res->verdict != SWAUTH_VERDICT_OK) {
		swauth_verdict_describe(res, msg, sizeof(msg));
		cli_msg(subcmd, "%s: digital signature verification failed: %s", path, msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (res->image_type != SWAUTH_IMAGE_BOOTLOADER) {
		cli_msg(subcmd, "%s is a %s image, not a boot loader image", path,
			swauth_image_type_token(res->image_type));
		return CLI_EXIT_VERIFY_FAILED;
	}
	if (!swauth_platform_ok(res, platform, msg, sizeof(msg))) {
		cli_msg(subcmd, "%s: %s", path, msg);
		return CLI_EXIT_VERIFY_FAILED;
	}
	return CLI_EXIT_OK;
}

/*
 * What was installed, for upgrade-status and show running: the payload
 * digest and the key, in swauth.conf.
 */
static int record(const char *subcmd, const struct swauth_verify_result *res)
{
	char digest[2 * SWAUTH_VERIFY_DIGEST_MAX + 1], key[32];
	struct swauth_error err;
	int ret;

	verify_digest_hex(res, digest);
	snprintf(key, sizeof(key), "%s-%c", swauth_key_type_token(verify_signer_type(res)),
		 verify_signer_version(res));
	swauth_error_clear(&err);
	ret = swauth_config_set(swauth_config_path(), "bootloader-image-digest", digest, &err);
	if (!ret)
		ret = swauth_config_set(swauth_config_path(), "bootloader-image-key", key, &err);
	if (ret) {
		cli_msg(subcmd, "the boot loader was upgraded, but recording it failed: %s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	return CLI_EXIT_OK;
}

static int install(const char *subcmd, const char *file, const char *dest,
		   const struct verify_opts *o, const struct swauth_verify_result *first,
		   const uint8_t sha256[SWAUTH_SHA256_LEN], const char *platform)
{
	static struct swauth_verify_result again;
	char verified_by[VERIFIED_BY_LEN];
	struct swauth_install in;
	struct swauth_error err;
	int ret;

	swauth_error_clear(&err);
	if (swauth_install_prepare(&in, file, dest, &err)) {
		cli_msg(subcmd, "%s; the boot loader was not changed", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	/* What goes live is what was verified and confirmed, byte for byte. */
	ret = verify_run(subcmd, in.tmp, o, &again, verified_by, sizeof(verified_by));
	if (ret) {
		swauth_install_abort(&in);
		return ret;
	}
	if (memcmp(in.sha256, sha256, SWAUTH_SHA256_LEN) || check_image(subcmd, in.tmp, &again, platform) ||
	    verify_signer_type(&again) != verify_signer_type(first) ||
	    verify_signer_version(&again) != verify_signer_version(first)) {
		swauth_install_abort(&in);
		cli_msg(subcmd, "%s changed after it was verified; the boot loader was not changed",
			file);
		return CLI_EXIT_VERIFY_FAILED;
	}
	swauth_error_clear(&err);
	ret = swauth_install_commit(&in, &err);
	if (ret) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	return CLI_EXIT_OK;
}

static int upgrade_bootloader(const char *subcmd, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "yes", no_argument, NULL, 'y' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static struct swauth_config cfg;
	static struct swauth_verify_result res;
	char verified_by[VERIFIED_BY_LEN];
	char path[PATH_MAX];
	uint8_t sha256[SWAUTH_SHA256_LEN];
	struct verify_opts o = { 0 };
	struct swauth_error err;
	const char *file;
	bool yes = false;
	int ret;

	ret = verify_getopt(subcmd, argc, argv, options, 'y', &yes, &o);
	if (ret == 'h') {
		usage(stdout, subcmd);
		return CLI_EXIT_OK;
	}
	if (ret) {
		usage(stderr, subcmd);
		return ret;
	}
	if (!cli_one_operand(subcmd, argc, argv, "FILE")) {
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (cli_resolve_file(subcmd, argv[optind], path, sizeof(path)))
		return CLI_EXIT_USAGE;
	file = path;

	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (!cfg.bootloader_image[0]) {
		cli_msg(subcmd, "no boot loader is configured: add a line 'bootloader-image /absolute/path' to %s (or name another file with %s)",
			swauth_config_path(), SWAUTH_CONFIG_ENV);
		return CLI_EXIT_USAGE;
	}
	if (cli_need_terminal(subcmd, yes))
		return CLI_EXIT_USAGE;

	ret = verify_run(subcmd, file, &o, &res, verified_by, sizeof(verified_by));
	if (ret)
		return ret;
	ret = check_image(subcmd, file, &res, cfg.platform);
	if (ret)
		return ret;
	swauth_error_clear(&err);
	if (swauth_file_sha256(file, sha256, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}

	printf("Platform Field Upgradeable ROMMON LOAD test\n");
	printf("___________________________________________\n");
	printf("RSA Signature Verification Passed ...\n");
	printf("ROM: Digitally Signed %s Software\n", swauth_key_type_name(verify_signer_type(&res)));
	printf("Verified by: %s\n", verified_by);
	printf("\n");
	printf("This command will replace the boot loader at %s.\n", cfg.bootloader_image);
	if (!cli_confirm(subcmd, stdout, "Continue? [yes/no]: ", CLI_ASK_YES_NO, yes)) {
		printf("Upgrade cancelled\n");
		return CLI_EXIT_VERIFY_FAILED;
	}
	printf("ROMMON image upgrade in progress.\n");
	fflush(stdout);

	ret = install(subcmd, file, cfg.bootloader_image, &o, &res, sha256, cfg.platform);
	if (ret)
		return ret;
	ret = record(subcmd, &res);
	if (ret)
		return ret;
	printf("Boot loader upgraded: %s (%s key %c)\n", cfg.bootloader_image,
	       swauth_key_type_token(verify_signer_type(&res)), verify_signer_version(&res));
	printf("It is used from the next boot; nothing was restarted.\n");
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

int upgrade_main(int argc, char *argv[])
{
	const char *subcmd = argv[0];

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, subcmd);
		return CLI_EXIT_OK;
	}
	if (argc < 2) {
		cli_msg(subcmd, "missing what to upgrade: bootloader");
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (strcmp(argv[1], "bootloader")) {
		cli_msg(subcmd, "cannot upgrade '%s': only bootloader", argv[1]);
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	return upgrade_bootloader(subcmd, argc - 1, argv + 1);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth boot system FILE | --clear: the seeds' `boot system flash:NAME`
 * (FEATURES A11.2). FILE (`flash:NAME`, `usbflash0:NAME`, `nvram:NAME` or
 * a path) is verified as `swauth verify` does (the module, else OpenSSL)
 * and must be a system image (production or special); only then is its
 * absolute path recorded as boot-image in swauth.conf, which is rewritten
 * atomically. A refused FILE leaves the file untouched. With
 * --verified-digest (swupgraded, after its check step verified FILE) FILE
 * is not verified again: its header must carry that payload digest, which
 * becomes boot-image-digest, and swauth reload refuses any other when it
 * seals the image (lib/image/system.c, swauth_system_image_pinned()).
 *
 * swauth show boot [--json]: the BOOT variable (boot-image) and the boot
 * loader (bootloader-image), each verified again now.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/boot.h"
#include "lib/cli.h"
#include "lib/config.h"
#include "lib/core.h"
#include "lib/fs.h"
#include "lib/image.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s system FILE [--userspace] [--trust-dir DIR]...\n", PROG_NAME,
		subcmd);
	fprintf(f, "       %s %s system FILE --verified-digest HEX\n", PROG_NAME, subcmd);
	fprintf(f, "       %s %s system --clear\n", PROG_NAME, subcmd);
	fprintf(f, "       %s %s confirm\n\n", PROG_NAME, subcmd);
	fprintf(f, "Set the image to boot (boot-image in %s), as `boot system` does.\n"
		   "FILE is flash:NAME, usbflash0:NAME, nvram:NAME or a path. It must verify\n"
		   "(the module verifies when it is loaded, else OpenSSL in userspace) and be a\n"
		   "system image signed with a production or special key; the configuration is\n"
		   "then rewritten atomically, its other lines kept. --clear removes boot-image.\n"
		   "Exits 0 when the boot image was set, 1 when FILE was refused, 2 on a usage or\n"
		   "configuration error, 3 when FILE cannot be read.\n\n"
		   "confirm: the kernel and initramfs the boot loader booted from boot-dir are the\n"
		   "ones to boot from now on. After 'reload --trial' the boot loader boots the new\n"
		   "pair once and then goes back to the previous one; confirm ends that trial (or,\n"
		   "booted from the previous pair, drops the new one). Exits 0, 1 when the boot\n"
		   "loader did not boot this system from boot-dir or boot-dir/current was written\n"
		   "in this boot, 3 on a system error.\n\n",
		swauth_config_path());
	fprintf(f, "  -c, --clear             remove the boot image setting (`no boot system`)\n");
	fprintf(f, "  -d, --verified-digest HEX  FILE verified earlier with payload digest HEX\n"
		   "                          (lower-case hex): not verified again, its header must\n"
		   "                          carry HEX; swauth reload refuses another digest\n");
	fprintf(f, "%s", VERIFY_OPTIONS_HELP);
	fprintf(f, "  -h, --help              show this help\n");
}

/* An absolute spelling of @path (plain relative paths are taken from the cwd). */
static int absolute(const char *subcmd, const char *path, char *out, size_t len)
{
	char cwd[PATH_MAX];
	int n;

	if (path[0] == '/') {
		n = snprintf(out, len, "%s", path);
	} else {
		if (!getcwd(cwd, sizeof(cwd))) {
			cli_msg(subcmd, "cannot find the current directory: %s", strerror(errno));
			return CLI_EXIT_SYSTEM;
		}
		n = snprintf(out, len, "%s/%s", cwd, path);
	}
	if (n < 0 || (size_t)n >= len) {
		cli_msg(subcmd, "%s: the path is too long", path);
		return CLI_EXIT_USAGE;
	}
	return CLI_EXIT_OK;
}

static int boot_clear(const char *subcmd)
{
	struct swauth_error err;
	int ret;

	swauth_error_clear(&err);
	ret = swauth_config_set(swauth_config_path(), "boot-image", NULL, &err);
	if (!ret)
		ret = swauth_config_set(swauth_config_path(), "boot-image-digest", NULL, &err);
	if (ret) {
		cli_msg(subcmd, "%s", err.msg);
		return ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SYSTEM;
	}
	printf("Boot image cleared: BOOT variable is not set\n");
	return CLI_EXIT_OK;
}

/* FILE refused (@ret -EKEYREJECTED) or not checked (-errno): the exit code, reported. */
static int refused(const char *subcmd, int ret, const struct swauth_error *err)
{
	cli_msg(subcmd, "%s; the boot image was not changed", err->msg);
	return ret == -EKEYREJECTED ? CLI_EXIT_VERIFY_FAILED : CLI_EXIT_SYSTEM;
}

/* FILE verified now, as `swauth verify` does; 0 or the exit code, reported. */
static int verified(const char *subcmd, const struct swauth_config *cfg, const char *path,
		    const char *file, const struct verify_opts *o,
		    struct swauth_verify_result *res, char verified_by[VERIFIED_BY_LEN])
{
	struct swauth_error err;
	int ret;

	ret = verify_run(subcmd, path, o, res, verified_by, VERIFIED_BY_LEN);
	if (ret)
		return ret;
	/*
	 * The payload's layout is checked now rather than at a scheduled
	 * reload hours later; the digest recorded makes reload refuse a file
	 * that changed after this.
	 */
	swauth_error_clear(&err);
	ret = swauth_system_image_check(cfg, path, file, res, &err);
	return ret ? refused(subcmd, ret, &err) : CLI_EXIT_OK;
}

/*
 * --verified-digest: FILE's payload digest from a verification that came
 * before (swupgraded's check step). Its header is read, never trusted:
 * it can only refuse FILE. 0 or the exit code, reported.
 */
static int pinned(const char *subcmd, const struct swauth_config *cfg, const char *path,
		  const char *file, const char *digest, struct swauth_verify_result *res)
{
	struct swauth_error err;
	int ret;

	swauth_error_clear(&err);
	ret = swauth_system_image_pinned(cfg, path, file, digest, res, &err);
	return ret ? refused(subcmd, ret, &err) : CLI_EXIT_OK;
}

/* A payload digest as --verified-digest takes it: SHA-256, -384 or -512, lower-case hex. */
static bool digest_valid(const char *hex)
{
	size_t n = strlen(hex);

	return (n == 64 || n == 96 || n == 128) && strspn(hex, "0123456789abcdef") == n;
}

static int boot_system(const char *subcmd, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "clear", no_argument, NULL, 'c' },
		{ "verified-digest", required_argument, NULL, 'd' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static struct swauth_config cfg;
	static struct swauth_verify_result res;
	char verified_by[VERIFIED_BY_LEN] = "", resolved[PATH_MAX], path[PATH_MAX];
	char digest[2 * SWAUTH_VERIFY_DIGEST_MAX + 1];
	struct verify_opts o = { 0 };
	struct swauth_error err;
	const char *file, *pin = NULL;
	bool clear = false;
	int ret, opt;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":hcd:" VERIFY_OPTSTRING, options, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout, subcmd);
			return CLI_EXIT_OK;
		}
		if (opt == 'c') {
			clear = true;
		} else if (opt == 'd') {
			pin = optarg;
		} else if (verify_opt_argv(subcmd, &o, argc, argv, opt, optarg)) {
			usage(stderr, subcmd);
			return CLI_EXIT_USAGE;
		}
	}
	if (pin && (clear || !digest_valid(pin))) {
		cli_msg(subcmd, clear ? "--verified-digest names no digest to clear" :
			"--verified-digest takes a SHA-256, SHA-384 or SHA-512 digest in lower-case hex, not '%s'",
			pin);
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (clear && optind < argc) {
		cli_msg(subcmd, "--clear takes no FILE, found '%s'", argv[optind]);
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (clear)
		return boot_clear(subcmd);
	if (!cli_one_operand(subcmd, argc, argv, "FILE")) {
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	file = argv[optind];

	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (swauth_storage_resolve(&cfg, file, resolved, sizeof(resolved), &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	ret = absolute(subcmd, resolved, path, sizeof(path));
	if (ret)
		return ret;

	if (pin) {
		ret = pinned(subcmd, &cfg, path, file, pin, &res);
		snprintf(digest, sizeof(digest), "%s", pin);
	} else {
		ret = verified(subcmd, &cfg, path, file, &o, &res, verified_by);
		verify_digest_hex(&res, digest);
	}
	if (ret)
		return ret;
	/*
	 * The digest first: a crash between the two writes leaves a digest
	 * the old image does not match, and reload refuses it, which is safe.
	 */
	swauth_error_clear(&err);
	ret = swauth_config_set(swauth_config_path(), "boot-image-digest", digest, &err);
	if (!ret)
		ret = swauth_config_set(swauth_config_path(), "boot-image", path, &err);
	if (ret) {
		cli_msg(subcmd, "%s", err.msg);
		return ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SYSTEM;
	}
	if (pin) {
		printf("Boot image set to %s (payload digest %s)\n", file, pin);
		printf("Verified by: the verification that gave this digest (--verified-digest); swauth reload verifies the image again as it seals it\n");
	} else {
		printf("Boot image set to %s (%s key %c)\n", file,
		       swauth_key_type_token(verify_signer_type(&res)), verify_signer_version(&res));
		printf("Verified by: %s\n", verified_by);
	}
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

static int boot_confirm(const char *subcmd, int argc)
{
	struct swauth_config cfg;
	struct swauth_error err;
	char said[256];
	int ret;

	if (argc > 1) {
		cli_msg(subcmd, "confirm takes no arguments");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	ret = swauth_bootdir_confirm(&cfg, said, sizeof(said), &err);
	if (ret) {
		cli_msg(subcmd, "%s", err.msg);
		return ret == -ENOENT || ret == -EAGAIN ? CLI_EXIT_VERIFY_FAILED : CLI_EXIT_SYSTEM;
	}
	printf("Boot loader: %s\n", said);
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

int boot_main(int argc, char *argv[])
{
	const char *subcmd = argv[0];

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout, subcmd);
		return CLI_EXIT_OK;
	}
	if (argc < 2) {
		cli_msg(subcmd, "missing what to do: system or confirm");
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "confirm"))
		return boot_confirm("boot confirm", argc - 1);
	if (strcmp(argv[1], "system")) {
		cli_msg(subcmd, "unknown boot setting '%s' (known: system, confirm)", argv[1]);
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	return boot_system("boot system", argc - 1, argv + 1);
}

/* One configured image, verified now. */
struct boot_entry {
	const char *variable;		/* "BOOT", "BOOTLDR" */
	const char *json_key;		/* "boot", "bootloader" */
	const char *path;		/* "" when not set */
	char display[PATH_MAX + 16];	/* flash:NAME or the path */
	bool checked;			/* verify_run() gave a verdict */
	struct swauth_verify_result res;
	char verified_by[VERIFIED_BY_LEN];
	char why[512];			/* the verdict, described */
};

static void check_entry(const char *subcmd, const struct swauth_config *cfg,
			const struct verify_opts *o, struct boot_entry *e)
{
	if (!e->path[0])
		return;
	swauth_storage_display(cfg, e->path, e->display, sizeof(e->display));
	e->checked = !verify_run(subcmd, e->path, o, &e->res, e->verified_by,
				 sizeof(e->verified_by));
	if (e->checked)
		swauth_verdict_describe(&e->res, e->why, sizeof(e->why));
	else
		snprintf(e->why, sizeof(e->why), "could not be verified (see the message above)");
}

static bool entry_ok(const struct boot_entry *e)
{
	return !e->path[0] || (e->checked && e->res.verdict == SWAUTH_VERDICT_OK);
}

static void print_entry(FILE *f, const struct boot_entry *e)
{
	if (!e->path[0]) {
		fprintf(f, "%s variable is not set\n", e->variable);
		return;
	}
	fprintf(f, "%s variable = %s\n", e->variable, e->display);
	fprintf(f, "  File                  : %s\n", e->path);
	if (e->checked && e->res.verdict == SWAUTH_VERDICT_OK) {
		fprintf(f, "  Image type            : %s\n",
			swauth_image_type_token(e->res.image_type));
		fprintf(f, "  Signature             : verified (%s key %c)\n",
			swauth_key_type_token(verify_signer_type(&e->res)), verify_signer_version(&e->res));
	} else {
		fprintf(f, "  Signature             : NOT verified: %s\n", e->why);
	}
	if (e->checked)
		fprintf(f, "  Verified by           : %s\n", e->verified_by);
}

static void json_entry(struct swauth_json *j, const struct boot_entry *e)
{
	char version[2] = { 0 };

	if (!e->path[0]) {
		swauth_json_null(j, e->json_key);
		return;
	}
	swauth_json_object_begin(j, e->json_key);
	swauth_json_string(j, "name", e->display);
	swauth_json_string(j, "path", e->path);
	if (e->checked) {
		swauth_json_string(j, "verdict", swauth_verdict_token(e->res.verdict));
		swauth_json_string(j, "verified_by", e->verified_by);
	} else {
		swauth_json_string(j, "verdict", "error");
		swauth_json_null(j, "verified_by");
	}
	if (e->checked && e->res.verdict == SWAUTH_VERDICT_OK) {
		version[0] = verify_signer_version(&e->res);
		swauth_json_string(j, "image_type", swauth_image_type_token(e->res.image_type));
		swauth_json_string(j, "key_type", swauth_key_type_token(verify_signer_type(&e->res)));
		swauth_json_string(j, "key_version", version);
	} else {
		swauth_json_string(j, "error", e->why);
	}
	swauth_json_object_end(j);
}

static void show_boot_usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s [--json] [--userspace] [--trust-dir DIR]...\n\n", PROG_NAME,
		subcmd);
	fprintf(f, "Show the boot image (BOOT variable, boot-image in %s) and the\n"
		   "boot loader (BOOTLDR, bootloader-image), each verified again now.\n"
		   "Exits 0 when each configured image verified (or none is configured),\n"
		   "1 when one did not.\n\n", swauth_config_path());
	fprintf(f, "  -j, --json              print one JSON object (keys in swauth(8), JSON OUTPUT)\n");
	fprintf(f, "%s", VERIFY_OPTIONS_HELP);
	fprintf(f, "  -h, --help              show this help\n");
}

/* swauth show boot [--json] [--userspace] [--trust-dir DIR]... */
int show_boot_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = "show boot";
	static struct swauth_config cfg;
	static struct boot_entry boot, loader;
	struct verify_opts o = { 0 };
	struct swauth_error err;
	struct swauth_json j;
	bool json = false;
	int ret;

	ret = verify_getopt(subcmd, argc, argv, options, 'j', &json, &o);
	if (ret == 'h') {
		show_boot_usage(stdout, subcmd);
		return CLI_EXIT_OK;
	}
	if (ret) {
		show_boot_usage(stderr, subcmd);
		return ret;
	}
	if (optind < argc) {
		cli_msg(subcmd, "unexpected argument '%s'", argv[optind]);
		show_boot_usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	ret = 0;
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	memset(&boot, 0, sizeof(boot));
	memset(&loader, 0, sizeof(loader));
	boot.variable = "BOOT";
	boot.json_key = "boot";
	boot.path = cfg.boot_image;
	loader.variable = "BOOTLDR";
	loader.json_key = "bootloader";
	loader.path = cfg.bootloader_image;
	check_entry(subcmd, &cfg, &o, &boot);
	check_entry(subcmd, &cfg, &o, &loader);
	if (json) {
		swauth_json_init(&j, stdout);
		swauth_json_object_begin(&j, NULL);
		swauth_json_string(&j, "config", swauth_config_path());
		json_entry(&j, &boot);
		json_entry(&j, &loader);
		swauth_json_object_end(&j);
		ret = swauth_json_finish(&j);
	} else {
		print_entry(stdout, &boot);
		print_entry(stdout, &loader);
	}
	if (ret) {
		cli_msg(subcmd, "writing JSON to standard output failed");
		return CLI_EXIT_SYSTEM;
	}
	return cli_stdout_done(subcmd, entry_ok(&boot) && entry_ok(&loader) ? CLI_EXIT_OK : CLI_EXIT_VERIFY_FAILED);
}

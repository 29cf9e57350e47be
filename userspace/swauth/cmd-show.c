// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth show file PATH [--json] [--userspace] [--trust-dir DIR]...:
 * `show software authenticity file`, the signature information of one
 * image file (FEATURES A7.3), and who verified it.
 *
 * swauth show keys [--json]: `show software authenticity keys` (A7.5).
 * swauth show upgrade-status [--json] [--type production|special]: the
 * five checks of A5.7, run before a key is revoked.
 */

#include <limits.h>
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/config.h"
#include "lib/netlink.h"
#include "swauth/key-print.h"
#include "swauth/subcommands.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s show file PATH [--json] [--userspace] [--trust-dir DIR]...\n",
		PROG_NAME);
	fprintf(f, "       %s show keys [--json]\n", PROG_NAME);
	fprintf(f, "       %s show upgrade-status [--json] [--type production|special]\n",
		PROG_NAME);
	fprintf(f, "       %s show boot [--json] [--userspace] [--trust-dir DIR]...\n",
		PROG_NAME);
	fprintf(f, "       %s show running [--userspace] [--trust-dir DIR]...\n", PROG_NAME);
	fprintf(f, "       %s show version\n", PROG_NAME);
	fprintf(f, "       %s show reload\n\n", PROG_NAME);
	fprintf(f, "Show the signature information of an image file: image type, signer\n"
		   "(common name, organization unit and name, certificate serial), hash and\n"
		   "signature algorithms, key version, and the verdict. The swauth module\n"
		   "verifies when it is loaded (or can be); otherwise OpenSSL in userspace\n"
		   "does, and the output says which.\n\n");
	fprintf(f, "  -j, --json              print one JSON object (keys in swauth(8), JSON OUTPUT)\n");
	fprintf(f, "%s", VERIFY_OPTIONS_HELP);
	fprintf(f, "  -h, --help              show this help\n");
}

static int show_file(const char *subcmd, int argc, char *argv[])
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	char verified_by[VERIFIED_BY_LEN];
	char path[PATH_MAX];
	static struct swauth_verify_result res;
	struct verify_opts o = { 0 };
	bool json = false;
	int ret;

	ret = verify_getopt(subcmd, argc, argv, options, 'j', &json, &o);
	if (ret == 'h') {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (ret) {
		usage(stderr);
		return ret;
	}
	if (!cli_one_operand(subcmd, argc, argv, "PATH")) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}

	if (cli_resolve_file(subcmd, argv[optind], path, sizeof(path)))
		return CLI_EXIT_USAGE;
	ret = verify_run(subcmd, path, &o, &res, verified_by, sizeof(verified_by));
	if (ret)
		return ret;
	if (!json) {
		verify_print_show(stdout, argv[optind], &res, verified_by);
	} else if (verify_print_show_json(stdout, argv[optind], &res, verified_by)) {
		cli_msg(subcmd, "writing JSON to standard output failed");
		return CLI_EXIT_SYSTEM;
	}
	return cli_stdout_done(subcmd, res.verdict == SWAUTH_VERDICT_OK ? CLI_EXIT_OK : CLI_EXIT_VERIFY_FAILED);
}

/* --json and --help, and for upgrade-status --type; no other argument. */
static int simple_args(const char *subcmd, int argc, char *argv[], bool *json, uint32_t *type)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "type", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, type ? ":jt:h" : ":jh", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			*json = true;
			break;
		case 't':
			if (!strcmp(optarg, "production")) {
				*type = SWAUTH_KEY_PRODUCTION;
				break;
			}
			if (!strcmp(optarg, "special")) {
				*type = SWAUTH_KEY_SPECIAL;
				break;
			}
			cli_msg(subcmd, "unknown key type '%s' (known: production, special)", optarg);
			usage(stderr);
			return CLI_EXIT_USAGE;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		default:
			cli_bad_option(subcmd, argc, argv, opt);
			usage(stderr);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_msg(subcmd, "unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

static int get_keys(const char *subcmd, struct swauth_key_list *keys)
{
	struct swauth_error err;
	struct swauth_nl *nl;
	int ret;

	swauth_error_clear(&err);
	ret = swauth_nl_open(&nl, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = swauth_keys_get(nl, keys, &err);
	swauth_nl_close(nl);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	return CLI_EXIT_OK;
}

static int finish(const char *subcmd, int json_ret, int code)
{
	if (json_ret) {
		cli_msg(subcmd, "writing JSON to standard output failed");
		return CLI_EXIT_SYSTEM;
	}
	return cli_stdout_done(subcmd, code);
}

static int show_keys(const char *subcmd, int argc, char *argv[])
{
	struct swauth_key_list keys = { 0 };
	bool json = false;
	int ret;

	ret = simple_args(subcmd, argc, argv, &json, NULL);
	if (ret >= 0)
		return ret;
	ret = get_keys(subcmd, &keys);
	if (ret)
		return ret;
	if (json) {
		ret = key_print_show_json(stdout, &keys);
	} else {
		key_print_show(stdout, &keys);
		ret = 0;
	}
	swauth_key_list_free(&keys);
	return finish(subcmd, ret, CLI_EXIT_OK);
}

/* Verify a configured image the way `show file` does; errors go into @img. */
static void verify_configured(const char *subcmd, const char *path, struct upgrade_image *img,
			      struct swauth_verify_result *res)
{
	char verified_by[VERIFIED_BY_LEN];
	struct verify_opts o = { 0 };

	img->path = path[0] ? path : NULL;
	if (!img->path)
		return;
	if (verify_run(subcmd, path, &o, res, verified_by, sizeof(verified_by)))
		img->error = "could not be verified (see above)";
	else
		img->res = res;
}

/* Whether @res is the boot loader upgrade bootloader recorded (or none was). */
static bool installed_loader(const struct swauth_config *cfg,
			     const struct swauth_verify_result *res)
{
	char digest[2 * SWAUTH_VERIFY_DIGEST_MAX + 1];

	if (!cfg->bootloader_image_digest[0])
		return true;
	verify_digest_hex(res, digest);
	return !strcmp(digest, cfg->bootloader_image_digest);
}

static int show_upgrade_status(const char *subcmd, int argc, char *argv[])
{
	static struct swauth_verify_result boot_res, bl_res;
	struct upgrade_image boot = { 0 }, bootloader = { 0 };
	struct swauth_key_list keys = { 0 };
	uint32_t type = SWAUTH_KEY_PRODUCTION;
	struct swauth_config cfg;
	struct swauth_error err;
	struct upgrade_status us;
	bool json = false, ok;
	int ret;

	ret = simple_args(subcmd, argc, argv, &json, &type);
	if (ret >= 0)
		return ret;
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	ret = get_keys(subcmd, &keys);
	if (ret)
		return ret;
	verify_configured(subcmd, cfg.boot_image, &boot, &boot_res);
	verify_configured(subcmd, cfg.bootloader_image, &bootloader, &bl_res);
	if (bootloader.res && !installed_loader(&cfg, bootloader.res))
		bootloader.error = "not the file 'swauth upgrade bootloader' installed";
	ok = upgrade_status_eval(&us, type, &keys, &boot, &bootloader);
	swauth_key_list_free(&keys);
	if (json) {
		ret = upgrade_status_print_json(stdout, &us);
	} else {
		upgrade_status_print(stdout, &us);
		ret = 0;
	}
	return finish(subcmd, ret, ok ? CLI_EXIT_OK : CLI_EXIT_VERIFY_FAILED);
}

int show_main(int argc, char *argv[])
{
	if (argc >= 2 && !strcmp(argv[1], "file"))
		return show_file("show file", argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "keys"))
		return show_keys("show keys", argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "boot"))
		return show_boot_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "reload"))
		return show_reload_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "running"))
		return show_running_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "version"))
		return show_version_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "upgrade-status"))
		return show_upgrade_status("show upgrade-status", argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc < 2)
		cli_msg(argv[0], "missing object: file, keys, upgrade-status, boot, running, version or reload");
	else
		cli_msg(argv[0], "unknown object '%s' (known: file, keys, upgrade-status, boot, running, version, reload)",
			argv[1]);
	usage(stderr);
	return CLI_EXIT_USAGE;
}

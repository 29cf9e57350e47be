// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * What each subcommand takes, for `swauth --complete` (lib/cli.h, struct
 * cli_cmd): its own subcommands, options and operands. main.c refuses to
 * complete when a subcommand of its table has no entry here, or this
 * table one that main.c does not dispatch; selftests/host/completion.t
 * checks the options against each subcommand's --help and getopt tables.
 */

#include <stddef.h>

#include "lib/cli.h"
#include "lib/netlink.h"
#include "swauth/subcommands.h"

static const char *const key_types[] = { "production", "special", NULL };
static const char *const sign_types[] = { "production", "special", "revocation", "bootloader",
					  NULL };
static const char *const hashes[] = { "sha256", "sha384", "sha512", NULL };
static const char *const enforce_words[] = { "on", "off", "status", NULL };
static const char *const reload_words[] = { "/verify", "/noverify", "in", "at", "reason",
					    "cancel", NULL };

#define HELP { "--help", CLI_ARG_NONE, NULL }
#define JSON { "--json", CLI_ARG_NONE, NULL }
#define YES { "--yes", CLI_ARG_NONE, NULL }

static const struct cli_opt help_opts[] = { HELP, { 0 } };
static const struct cli_opt json_opts[] = { JSON, HELP, { 0 } };
static const struct cli_opt yes_opts[] = { YES, HELP, { 0 } };
static const struct cli_opt verify_opts[] = { VERIFY_CLI_OPTS, HELP, { 0 } };
static const struct cli_opt json_verify_opts[] = { JSON, VERIFY_CLI_OPTS, HELP, { 0 } };
static const struct cli_opt upgrade_status_opts[] = {
	JSON, { "--type", CLI_ARG_NONE, key_types }, HELP, { 0 }
};
static const struct cli_opt key_add_opts[] = { { "--image", CLI_ARG_FS, NULL }, HELP, { 0 } };
static const struct cli_opt key_revoke_opts[] = {
	{ "--image", CLI_ARG_FS, NULL }, { "--bootloader", CLI_ARG_FILE, NULL },
	{ "--force", CLI_ARG_NONE, NULL }, HELP, { 0 }
};
static const struct cli_opt sign_opts[] = {
	{ "--key", CLI_ARG_FILE, NULL }, { "--cert", CLI_ARG_FILE, NULL },
	{ "--type", CLI_ARG_NONE, sign_types }, { "--key-version", CLI_ARG_TEXT, NULL },
	{ "--hash", CLI_ARG_NONE, hashes }, { "--name", CLI_ARG_TEXT, NULL },
	{ "--image-version", CLI_ARG_TEXT, NULL }, { "--platform", CLI_ARG_TEXT, NULL },
	{ "--build-time", CLI_ARG_TEXT, NULL }, { "--bundle-key", CLI_ARG_FILE, NULL },
	{ "--output", CLI_ARG_FILE, NULL }, HELP, { 0 }
};
static const struct cli_opt upgrade_opts[] = { YES, VERIFY_CLI_OPTS, HELP, { 0 } };
static const struct cli_opt reload_opts[] = {
	{ "--warm", CLI_ARG_NONE, NULL }, { "--trial", CLI_ARG_NONE, NULL },
	{ "--image", CLI_ARG_FS, NULL },
	{ "--append", CLI_ARG_TEXT, NULL }, YES, VERIFY_CLI_OPTS, HELP, { 0 }
};
static const struct cli_opt boot_opts[] = {
	{ "--clear", CLI_ARG_NONE, NULL }, { "--verified-digest", CLI_ARG_TEXT, NULL },
	VERIFY_CLI_OPTS, HELP, { 0 }
};

/* The debug categories of libswauth's table, and "all". */
static const char *debug_word(size_t i)
{
	size_t n;

	for (n = 0; swauth_debug_categories[n].name; n++)
		if (n == i)
			return swauth_debug_categories[n].name;
	return i == n ? "all" : NULL;
}

static const struct cli_cmd show_cmds[] = {
	{ "file", NULL, json_verify_opts, CLI_ARG_FS, NULL, NULL },
	{ "keys", NULL, json_opts, CLI_ARG_NONE, NULL, NULL },
	{ "upgrade-status", NULL, upgrade_status_opts, CLI_ARG_NONE, NULL, NULL },
	{ "boot", NULL, json_verify_opts, CLI_ARG_NONE, NULL, NULL },
	{ "running", NULL, verify_opts, CLI_ARG_NONE, NULL, NULL },
	{ "version", NULL, verify_opts, CLI_ARG_NONE, NULL, NULL },
	{ "reload", NULL, help_opts, CLI_ARG_NONE, NULL, NULL },
	{ 0 }
};

static const struct cli_cmd store_cmds[] = {
	{ "init", NULL, yes_opts, CLI_ARG_NONE, NULL, NULL },
	{ "reload", NULL, NULL, CLI_ARG_NONE, NULL, NULL },
	{ 0 }
};

static const struct cli_cmd key_cmds[] = {
	{ "provision", NULL, help_opts, CLI_ARG_FILE, NULL, NULL },
	{ "add", NULL, key_add_opts, CLI_ARG_NONE, key_types, NULL },
	{ "revoke", NULL, key_revoke_opts, CLI_ARG_NONE, key_types, NULL },
	{ "store", store_cmds, help_opts, CLI_ARG_NONE, NULL, NULL },
	{ "sync", NULL, help_opts, CLI_ARG_NONE, NULL, NULL },
	{ 0 }
};

static const struct cli_cmd upgrade_cmds[] = {
	{ "bootloader", NULL, upgrade_opts, CLI_ARG_FS, NULL, NULL },
	{ 0 }
};

static const struct cli_cmd boot_cmds[] = {
	{ "system", NULL, boot_opts, CLI_ARG_FS, NULL, NULL },
	{ "confirm", NULL, help_opts, CLI_ARG_NONE, NULL, NULL },
	{ 0 }
};

const struct cli_cmd swauth_complete_cmds[] = {
	{ "status", NULL, json_opts, CLI_ARG_NONE, NULL, NULL },
	{ "debug", NULL, help_opts, CLI_ARG_NONE, NULL, debug_word },
	{ "undebug", NULL, help_opts, CLI_ARG_NONE, NULL, debug_word },
	{ "show", show_cmds, help_opts, CLI_ARG_NONE, NULL, NULL },
	{ "verify", NULL, json_verify_opts, CLI_ARG_FS, NULL, NULL },
	{ "key", key_cmds, help_opts, CLI_ARG_NONE, NULL, NULL },
	{ "enforce", NULL, yes_opts, CLI_ARG_NONE, enforce_words, NULL },
	{ "monitor", NULL, json_opts, CLI_ARG_NONE, NULL, NULL },
	{ "sign", NULL, sign_opts, CLI_ARG_FILE, NULL, NULL },
	{ "upgrade", upgrade_cmds, help_opts, CLI_ARG_NONE, NULL, NULL },
	{ "reload", NULL, reload_opts, CLI_ARG_TEXT, reload_words, NULL },
	{ "boot", boot_cmds, help_opts, CLI_ARG_NONE, NULL, NULL },
	{ 0 }
};

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy config: the seeds' `ip ftp username U`, `ip ftp password P`,
 * `file prompt alert|noisy|quiet` and transfer defaults, in swcopy.conf.
 * swcopy show flash:: the files of a file system with their size, date and
 * SHA-256, and its used, available and total bytes (B2.7, B5.3).
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>

#include "lib/cli.h"
#include "lib/config.h"
#include "lib/fs.h"
#include "swcopy/conf.h"
#include "swcopy/sums.h"
#include "swcopy/swcopy.h"

static const char *const prompt_names[] = { "alert", "noisy", "quiet" };

static void config_usage(FILE *f)
{
	fprintf(f, "Usage: swcopy config                   show the settings\n"
		   "       swcopy config KEYWORD VALUE     set one (VALUE - reads it from stdin)\n"
		   "       swcopy config no KEYWORD        remove one\n\n"
		   "Keywords (in %s): ftp-username, ftp-password, file-prompt\n"
		   "(alert, noisy, quiet), tftp-blksize, tftp-windowsize, timeout (ms), retries.\n",
		swcopy_conf_path());
}

static void show_uint(const char *name, unsigned int v)
{
	if (v)
		printf("%-16s %u\n", name, v);
	else
		printf("%-16s (default)\n", name);
}

int swcopy_config_main(int argc, char *argv[])
{
	const char *subcmd = "config", *value;
	struct swcopy_conf c;
	struct swauth_error err;
	char line[SWCOPY_WORD_MAX + 2];

	swauth_error_clear(&err);
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		config_usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc == 1) {
		if (swcopy_conf_load(swcopy_conf_path(), &c, &err)) {
			cli_msg(subcmd, "%s", err.msg);
			return CLI_EXIT_USAGE;
		}
		printf("%-16s %s\n", "ftp-username", c.ftp_username[0] ? c.ftp_username :
		       "(not set: anonymous)");
		printf("%-16s %s\n", "ftp-password", c.ftp_password[0] ? "******** (set)" :
		       "(not set: username@hostname.domain)");
		printf("%-16s %s\n", "file-prompt", prompt_names[c.file_prompt]);
		show_uint("tftp-blksize", c.tftp_blksize);
		show_uint("tftp-windowsize", c.tftp_windowsize);
		show_uint("timeout", c.timeout_ms);
		show_uint("retries", c.retries);
		return CLI_EXIT_OK;
	}
	if (argc == 3 && !strcmp(argv[1], "no")) {
		if (swcopy_conf_set(swcopy_conf_path(), argv[2], NULL, &err)) {
			cli_msg(subcmd, "%s", err.msg);
			return err.code == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SYSTEM;
		}
		return CLI_EXIT_OK;
	}
	if (argc != 3) {
		config_usage(stderr);
		return CLI_EXIT_USAGE;
	}
	value = argv[2];
	if (!strcmp(argv[1], "ftp-password") && strcmp(value, "-")) {
		/* Out of /proc/PID/cmdline at once; "-" (stdin) is the way. */
		swcopy_hold_secret();
		value = strdup(argv[2]);
		if (!value) {
			cli_msg(subcmd, "out of memory");
			return CLI_EXIT_SYSTEM;
		}
		memset(argv[2], '*', strlen(argv[2]));
	}
	if (!strcmp(value, "-")) {
		if (!fgets(line, sizeof(line), stdin)) {
			cli_msg(subcmd, "no value on standard input");
			return CLI_EXIT_USAGE;
		}
		line[strcspn(line, "\r\n")] = '\0';
		value = line;
		if (!strcmp(argv[1], "ftp-password"))
			swcopy_hold_secret();
	}
	if (swcopy_conf_set(swcopy_conf_path(), argv[1], value, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return err.code == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SYSTEM;
	}
	return CLI_EXIT_OK;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* The files, and the temporary files an interrupted write left. */
static int only_files(const struct dirent *e)
{
	return e->d_name[0] != '.' || swauth_safewrite_is_tmp(e->d_name);
}

int swcopy_show_main(int argc, char *argv[])
{
	const char *subcmd = "show", *dir;
	struct swauth_config cfg;
	struct swauth_error err;
	struct dirent **names = NULL;
	char path[PATH_MAX * 2], when[64], hex[2 * SWAUTH_SHA256_LEN + 1];
	uint8_t sha[SWAUTH_SHA256_LEN];
	struct statvfs vfs;
	struct stat st;
	int n, i, shown = 0, stray = 0;

	if (argc != 2 || !strchr(argv[1], ':') || argv[1][strlen(argv[1]) - 1] != ':') {
		fprintf(argc == 2 && !strcmp(argv[1], "--help") ? stdout : stderr,
			"Usage: swcopy show flash:|flash0:|flash1:|usbflash0:|usbflash1:|nvram:\n");
		return argc == 2 && !strcmp(argv[1], "--help") ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	dir = swauth_storage_dir(&cfg, argv[1]);
	if (!dir) {
		cli_msg(subcmd, "unknown file system '%s' (known: " SWAUTH_STORAGE_KNOWN ")",
			argv[1]);
		return CLI_EXIT_USAGE;
	}
	n = scandir(dir, &names, only_files, by_name);
	if (n < 0 || statvfs(dir, &vfs)) {
		cli_msg(subcmd, "%s (%s): %s", argv[1], dir, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	printf("Directory of %s (%s)\n\n", argv[1], dir);
	printf("%4s %12s  %-20s  %-64s  %s\n", "-#-", "--length--", "-----date/time------",
	       "sha256", "name");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (lstat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (names[i]->d_name[0] == '.') {
			stray++;
			continue;
		}
		strftime(when, sizeof(when), "%b %d %Y %H:%M:%S", localtime(&st.st_mtime));
		if (swauth_file_sha256(path, sha, &err))
			snprintf(hex, sizeof(hex), "%-64s", "(unreadable)");
		else
			swcopy_hex(sha, SWAUTH_SHA256_LEN, hex);
		printf("%4d %12lld  %-20s  %s  %s\n", ++shown, (long long)st.st_size, when, hex,
		       names[i]->d_name);
	}
	if (stray)
		printf("\n%d stray temporary file%s (an interrupted write; safe to remove):\n",
		       stray, stray == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]->d_name);
		if (names[i]->d_name[0] == '.' && !lstat(path, &st) && S_ISREG(st.st_mode))
			printf("     %12lld  stray temporary  %s\n", (long long)st.st_size,
			       names[i]->d_name);
		free(names[i]);
	}
	free(names);
	printf("\n[%llu bytes used, %llu available, %llu total]\n",
	       (unsigned long long)(vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize,
	       (unsigned long long)vfs.f_bavail * vfs.f_frsize,
	       (unsigned long long)vfs.f_blocks * vfs.f_frsize);
	return CLI_EXIT_OK;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth reload --warm: kexec into the configured boot image. The module
 * verifies the image and hands back sealed read-only copies of its kernel
 * and initramfs (SWAUTH_CMD_SEAL_IMAGE); those, and nothing read from the
 * image file, go to kexec_file_load(2), so the bytes loaded are the bytes
 * verified. A tampered, revoked or unverified image is never loaded.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/reboot.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kexec.h>
#include <linux/reboot.h>

#include "lib/config.h"
#include "lib/nl.h"
#include "lib/storage.h"
#include "lib/verdict.h"
#include "lib/verify.h"
#include "swauth/cli.h"
#include "swauth/subcommands.h"

static void usage(FILE *f, const char *subcmd)
{
	fprintf(f, "Usage: %s %s --warm [--image FILE] [--append ARGS] [--yes]\n\n",
		PROG_NAME, subcmd);
	fprintf(f, "Reload into the boot image (boot-image in swauth.conf, or FILE) by\n"
		   "kexec: the swauth module verifies the image and seals its kernel and\n"
		   "initramfs, and only those sealed copies are loaded. Scheduled and cold\n"
		   "reloads are not implemented yet.\n\n");
	fprintf(f, "  -w, --warm          kexec into the image (required)\n");
	fprintf(f, "  -i, --image FILE    the image (flash:NAME or a path) instead of boot-image\n");
	fprintf(f, "  -a, --append ARGS   the new kernel's command line (default: this one's)\n");
	fprintf(f, "  -y, --yes           do not ask for confirmation (needed without a terminal)\n");
	fprintf(f, "  -h, --help          show this help\n");
}

static int read_cmdline(char *buf, size_t size)
{
	ssize_t n;
	int fd = open("/proc/cmdline", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -errno;
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' '))
		n--;
	buf[n] = '\0';
	return 0;
}

static bool confirm(void)
{
	char line[16];

	fputs("Proceed with reload? [confirm]", stdout);
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == '\n' || line[0] == 'y' || line[0] == 'Y';
}

/* Seals the image through the module; 0 with the two descriptors. */
static int seal(const char *subcmd, const char *path, struct swauth_verify_result *res)
{
	struct swauth_error err;
	struct swauth_nl *nl;
	int fd, ret;

	swauth_error_clear(&err);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_msg(subcmd, "%s: %s", path, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	ret = swauth_nl_open(&nl, &err);
	if (!ret) {
		ret = swauth_seal_kernel(nl, fd, res, &err);
		swauth_nl_close(nl);
	}
	close(fd);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	if (res->verdict != SWAUTH_VERDICT_OK) {
		cli_msg(subcmd, "%s: not loaded: %s", path, swauth_verdict_message(res->verdict));
		return CLI_EXIT_VERIFY_FAILED;
	}
	return CLI_EXIT_OK;
}

int reload_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "warm", no_argument, NULL, 'w' },
		{ "image", required_argument, NULL, 'i' },
		{ "append", required_argument, NULL, 'a' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	static struct swauth_verify_result res;
	static struct swauth_config cfg;
	char cmdline[4096], path[PATH_MAX];
	const char *subcmd = argv[0], *image = NULL, *append = NULL;
	bool warm = false, yes = false;
	struct swauth_error err;
	int opt, ret;

	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":wi:a:yh", options, NULL)) != -1) {
		switch (opt) {
		case 'w':
			warm = true;
			break;
		case 'i':
			image = optarg;
			break;
		case 'a':
			append = optarg;
			break;
		case 'y':
			yes = true;
			break;
		case 'h':
			usage(stdout, subcmd);
			return CLI_EXIT_OK;
		default:
			cli_bad_option(subcmd, argc, argv, opt);
			usage(stderr, subcmd);
			return CLI_EXIT_USAGE;
		}
	}
	if (optind < argc || !warm) {
		cli_msg(subcmd, warm ? "unexpected argument '%s'" :
			"only --warm (kexec) reloads are implemented so far", argv[optind]);
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (!yes && !isatty(STDIN_FILENO)) {
		cli_msg(subcmd, "not a terminal: confirm with --yes");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (!image && !cfg.boot_image[0]) {
		cli_msg(subcmd, "no boot image: set one with 'swauth boot system FILE' or give --image");
		return CLI_EXIT_USAGE;
	}
	if (swauth_storage_resolve(&cfg, image ?: cfg.boot_image, path, sizeof(path), &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	if (append) {
		snprintf(cmdline, sizeof(cmdline), "%s", append);
	} else {
		ret = read_cmdline(cmdline, sizeof(cmdline));
		if (ret) {
			cli_msg(subcmd, "/proc/cmdline: %s", strerror(-ret));
			return CLI_EXIT_SYSTEM;
		}
	}

	ret = seal(subcmd, path, &res);
	if (ret)
		return ret;
	printf("Image %s verified (%s key %c) and sealed\n", path,
	       swauth_key_type_name(res.signer_key_type), (char)res.signer_key_version);
	if (syscall(SYS_kexec_file_load, (int)res.kernel_fd, (int)res.initrd_fd,
		    strlen(cmdline) + 1, cmdline, 0UL)) {
		cli_msg(subcmd, "kexec_file_load: %s", strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	close((int)res.kernel_fd);
	close((int)res.initrd_fd);
	if (!yes && !confirm()) {
		syscall(SYS_kexec_file_load, -1, -1, 0UL, NULL, (unsigned long)KEXEC_FILE_UNLOAD);
		printf("Reload cancelled\n");
		return CLI_EXIT_VERIFY_FAILED;
	}
	printf("Reloading into %s\n", path);
	fflush(stdout);
	sync();
	reboot(LINUX_REBOOT_CMD_KEXEC);
	cli_msg(subcmd, "kexec: %s", strerror(errno));
	return CLI_EXIT_SYSTEM;
}

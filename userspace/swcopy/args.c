// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy's switches (/erase, /verify, /noverify), options and operands.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/config.h"
#include "lib/fs.h"
#include "swcopy/conf.h"
#include "swcopy/swcopy.h"

#ifndef SWAUTH_VERSION
#error "build with -DSWAUTH_VERSION=\"...\" (userspace/build.mk does)"
#endif

static const char *const subcmd = "copy";

static const struct option options[] = {
	{ "yes", no_argument, NULL, 'y' },
	{ "json", no_argument, NULL, 'j' },
	{ "progress", required_argument, NULL, 'p' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "retries", required_argument, NULL, 'R' },
	{ "blksize", required_argument, NULL, 'b' },
	{ "windowsize", required_argument, NULL, 'w' },
	{ "deadline", required_argument, NULL, 'D' },
	{ "ca-file", required_argument, NULL, 'C' },
	{ "ssh-key", required_argument, NULL, 'K' },
	{ "known-hosts", required_argument, NULL, 'H' },
	{ "md5", no_argument, NULL, 'M' },
	{ "expect-hash", required_argument, NULL, 'E' },
	{ "password-file", required_argument, NULL, 'P' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	VERIFY_OPTIONS,
	{ NULL, 0, NULL, 0 }
};
#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static void usage(FILE *f)
{
	fprintf(f, "Usage: swcopy [/erase] [/verify|/noverify] [OPTIONS] SRC DST\n"
		   "       swcopy config [KEYWORD [VALUE] | no KEYWORD]\n"
		   "       swcopy show flash:|flash0:|flash1:|usbflash0:|usbflash1:|nvram:\n\n"
		   "Copy an image between a server and a local file system, as IOS copy does.\n"
		   "SRC and DST: ftp://[user[:password]@]host[:port]/path (ftps:// implicit TLS,\n"
		   "ftpes:// AUTH TLS), tftp://host[:port]/path, http(s)://host[:port]/path,\n"
		   "scp://[user@]host[:port]/path, ftp: (and the\n"
		   "other schemes alone: swcopy asks), flash:NAME (flash0:, flash1:, usbflash0:,\n"
		   "usbflash1:, nvram:) or a path. A download is written to a temporary file and\n"
		   "renamed into place only when complete; /verify checks the image's signature\n"
		   "while it arrives and stops an untrusted one before its payload is fetched.\n\n");
	fprintf(f, "  /erase                 empty the destination file system first (asks; without\n"
		   "                         a terminal only with --yes)\n"
		   "  /verify, /noverify     check the image signature (default: no check)\n"
		   "  -y, --yes              answer the questions with their defaults\n"
		   "  -j, --json             a JSON summary on standard output (progress to stderr)\n"
		   "  -p, --progress MODE    auto (bar on a terminal, else marks), bar, marks, none\n"
		   "  -T, --timeout MS       per reply or packet (default 2000)\n"
		   "  -R, --retries N        before a silent server is given up (default 5); a\n"
		   "                         transfer without progress for MS * (N + 1) is too;\n"
		   "                         a cut FTP or HTTP(S) download resumes N times at most\n"
		   "      --deadline S       give the whole transfer at most S seconds\n"
		   "  -b, --blksize N        TFTP block size (default 1428)\n"
		   "  -w, --windowsize N     TFTP window (RFC 7440; default none, at most 32767)\n"
		   "      --ca-file FILE     HTTPS, FTPS: trust the certificates in FILE\n"
		   "      --ssh-key FILE     SCP: the private key (default: ~/.ssh's)\n"
		   "      --known-hosts FILE SCP: the known host keys (default ~/.ssh/known_hosts)\n"
		   "      --password-file FILE  the password for the URL's user: FILE's first line\n"
		   "                         (mode 0600, like an ssh key), or - to ask without echo\n"
		   "      --md5              also the whole file's MD5 (the seeds' CCO Hash line)\n"
		   "      --expect-hash HEX  refuse the copy unless the file's SHA-256 (64 hex\n"
		   "                         digits) or MD5 (32) is HEX, as the vendor published\n"
		   "%s"
		   "  -h, --help             show this help\n"
		   "  -V, --version          show the version\n\n"
		   "Exit status: 0 copied, 1 the image failed verification, 2 usage or\n"
		   "configuration error, 3 the copy failed (nothing was left behind).\n",
		VERIFY_OPTIONS_HELP);
}

static int parse_uint(const char *opt, const char *arg, unsigned long min, unsigned long max,
		      unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
		cli_msg(subcmd, "%s takes a number from %lu to %lu, not '%s'", opt, min, max, arg);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

/*
 * The seeds' switches, then the options, then SRC and DST into @words;
 * fills @c. Returns CLI_EXIT_OK to go on, with *@done set when --help or
 * --version was answered, or an exit status.
 */
int swcopy_args(struct copy *c, int argc, char *argv[], const char *words[2], bool *done)
{
	struct swauth_error err;
	int opt, ret, nwords = 0, i;

	memset(c, 0, sizeof(*c));
	c->out = stdout;
	/* The seeds' switches, anywhere before the operands. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "/erase"))
			c->erase = true;
		else if (!strcmp(argv[i], "/verify"))
			c->verify = true;
		else if (!strcmp(argv[i], "/noverify"))
			c->noverify = true;
		else if (argv[i][0] == '/' && argv[i][1] && !strchr(argv[i] + 1, '/') &&
			 access(argv[i], F_OK)) {
			cli_msg(subcmd, "unknown switch '%s' (known: /erase, /verify, /noverify)",
				argv[i]);
			return CLI_EXIT_USAGE;
		} else
			continue;
		argv[i] = NULL;
	}
	for (i = 1; i < argc; i++)
		if (!argv[i]) {
			memmove(argv + i, argv + i + 1, (size_t)(argc - i) * sizeof(*argv));
			argc--;
			i--;
		}
	if (c->verify && c->noverify) {
		cli_msg(subcmd, "/verify and /noverify exclude each other");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	if (swcopy_conf_load(swcopy_conf_path(), &c->conf, &err) ||
	    swauth_config_load(swauth_config_path(), &c->cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	c->xo.timeout_ms = c->conf.timeout_ms;
	c->xo.retries = c->conf.retries;
	c->xo.blksize = c->conf.tftp_blksize ? c->conf.tftp_blksize : 1428;
	c->xo.windowsize = c->conf.tftp_windowsize;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":yjp:T:R:b:w:hV" VERIFY_OPTSTRING, options,
				  NULL)) != -1) {
		switch (opt) {
		case 'y':
			c->yes = true;
			break;
		case 'j':
			c->json = true;
			break;
		case 'p':
			if (!strcmp(optarg, "auto"))
				c->progress = PROGRESS_AUTO;
			else if (!strcmp(optarg, "bar"))
				c->progress = PROGRESS_BAR;
			else if (!strcmp(optarg, "marks"))
				c->progress = PROGRESS_MARKS;
			else if (!strcmp(optarg, "none"))
				c->progress = PROGRESS_NONE;
			else {
				cli_msg(subcmd, "--progress is auto, bar, marks or none, not '%s'",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'T':
			if (parse_uint("--timeout", optarg, 100, 600000, &c->xo.timeout_ms))
				return CLI_EXIT_USAGE;
			break;
		case 'R':
			if (parse_uint("--retries", optarg, 1, 100, &c->xo.retries))
				return CLI_EXIT_USAGE;
			break;
		case 'b':
			if (parse_uint("--blksize", optarg, 8, 65464, &c->xo.blksize))
				return CLI_EXIT_USAGE;
			break;
		case 'w':
			if (parse_uint("--windowsize", optarg, 1, 65535, &c->xo.windowsize))
				return CLI_EXIT_USAGE;
			if (c->xo.windowsize > TFTP_WINDOW_MAX) {
				cli_msg(subcmd, "%%Warning: TFTP window %u is more than 16-bit block numbers tell apart: using %u",
					c->xo.windowsize, TFTP_WINDOW_MAX);
				c->xo.windowsize = TFTP_WINDOW_MAX;
			}
			break;
		case 'D':
			if (parse_uint("--deadline", optarg, 1, 86400, &c->xo.deadline_s))
				return CLI_EXIT_USAGE;
			break;
		case 'C':
			c->ca_file = optarg;
			break;
		case 'K':
			c->ssh_key = optarg;
			break;
		case 'H':
			c->known_hosts = optarg;
			break;
		case 'M':
			c->md5 = true;
			break;
		case 'P':
			ret = cli_read_password("copy", optarg, c->password, sizeof(c->password));
			if (ret)
				return ret;
			break;
		case 'E':
			if ((strlen(optarg) != 32 && strlen(optarg) != 64) ||
			    strspn(optarg, "0123456789abcdefABCDEF") != strlen(optarg)) {
				cli_msg(subcmd, "--expect-hash takes an MD5 (32 hex digits) or a SHA-256 (64), not '%s'",
					optarg);
				return CLI_EXIT_USAGE;
			}
			c->expect = optarg;
			c->md5 |= strlen(optarg) == 32;
			break;
		case 'h':
			usage(stdout);
			*done = true;
			return CLI_EXIT_OK;
		case 'V':
			printf("swcopy %s\n", SWAUTH_VERSION);
			*done = true;
			return CLI_EXIT_OK;
		default:
			ret = verify_opt(subcmd, &c->vo, opt, optarg);
			if (ret == 0)
				break;
			if (ret == 1)
				cli_bad_option(subcmd, argc, argv, opt);
			fprintf(stderr, "Try 'swcopy --help'.\n");
			return CLI_EXIT_USAGE;
		}
	}
	for (i = optind; i < argc; i++) {
		if (nwords == 2) {
			char shown[PATH_MAX];

			cli_msg(subcmd, "unexpected argument '%s' (give SRC and DST)",
				swauth_url_redact(argv[i], shown, sizeof(shown)));
			return CLI_EXIT_USAGE;
		}
		words[nwords++] = argv[i];
	}
	if (nwords != 2) {
		cli_msg(subcmd, "give SRC and DST");
		fprintf(stderr, "Try 'swcopy --help'.\n");
		return CLI_EXIT_USAGE;
	}
	c->interactive = isatty(STDIN_FILENO) && c->conf.file_prompt != SWCOPY_PROMPT_QUIET &&
			  !c->yes;
	if (c->json)
		c->out = stderr;
	if (c->progress == PROGRESS_AUTO)
		c->progress = isatty(fileno(c->out)) ? PROGRESS_BAR : PROGRESS_MARKS;
	c->xo.progress = swcopy_progress;
	c->xo.resumed = swcopy_resumed;
	c->xo.progress_arg = c;
	c->xo.ca_file = c->ca_file;
	c->xo.ssh_key = c->ssh_key;
	c->xo.known_hosts = c->known_hosts;
	return CLI_EXIT_OK;
}

/* For completion: the switches, and what the options above take. */
static const char *const switches[] = { "/erase", "/verify", "/noverify", NULL };
static const char *const progress_modes[] = { "auto", "bar", "marks", "none", NULL };
static const struct cli_opt opt_args[] = {
	{ "--progress", CLI_ARG_NONE, progress_modes },
	{ "--ca-file", CLI_ARG_FILE, NULL },
	{ "--ssh-key", CLI_ARG_FILE, NULL },
	{ "--known-hosts", CLI_ARG_FILE, NULL },
	{ "--password-file", CLI_ARG_FILE, NULL },
	VERIFY_CLI_OPTS,
	{ NULL, CLI_ARG_NONE, NULL }
};

static const struct cli_cmd config_no[] = {
	{ "no", NULL, NULL, CLI_ARG_NONE, NULL, swcopy_conf_keyword },
	{ NULL, NULL, NULL, CLI_ARG_NONE, NULL, NULL }
};

static const struct cli_cmd cmds[] = {
	{ "config", config_no, NULL, CLI_ARG_NONE, NULL, swcopy_conf_keyword },
	{ "show", NULL, NULL, CLI_ARG_NONE, NULL, swauth_storage_prefix },
	{ NULL, NULL, NULL, CLI_ARG_NONE, NULL, NULL }
};

/**
 * swcopy_complete() - `swcopy --complete WORD...`, for the bash completion
 * @argc: the words after --complete, the last being completed
 * @argv: them
 *
 * The options are getopt's table above, so none can be added without its
 * completion.
 *
 * Return: an exit status.
 */
int swcopy_complete(int argc, char *argv[])
{
	static char names[N_OPTIONS][32];
	static struct cli_opt opts[N_OPTIONS];
	const struct cli_cmd root = { "swcopy", cmds, opts, CLI_ARG_FS, switches, NULL };
	const struct cli_opt *a;
	size_t i;

	for (i = 0; options[i].name; i++) {
		snprintf(names[i], sizeof(names[i]), "--%s", options[i].name);
		opts[i].name = names[i];
		opts[i].arg = options[i].has_arg ? CLI_ARG_TEXT : CLI_ARG_NONE;
		opts[i].values = NULL;
		for (a = opt_args; a->name; a++) {
			if (!strcmp(a->name, names[i])) {
				opts[i].arg = a->arg;
				opts[i].values = a->values;
			}
		}
	}
	opts[i].name = NULL;
	cli_complete(stdout, &root, argc, argv);
	return cli_stdout_done("--complete", CLI_EXIT_OK);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 */

#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/config.h"
#include "lib/fs.h"

const char *cli_prog_name = "swauth";

/**
 * cli_msg() - print "swauth: <subcmd>: <message>" to stderr
 * @subcmd: the subcommand's name
 * @fmt: printf format, without the trailing newline
 */
void cli_msg(const char *subcmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: %s: ", PROG_NAME, subcmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/**
 * cli_fail() - report a libswauth failure
 * @subcmd: the subcommand's name
 * @ret: the -errno the library returned
 * @err: the library's message
 *
 * Return: the exit code for @ret: CLI_EXIT_NO_MODULE when the swauth module
 * is missing and could not be loaded (-ENOPKG), else CLI_EXIT_SYSTEM.
 */
int cli_fail(const char *subcmd, int ret, const struct swauth_error *err)
{
	cli_msg(subcmd, "%s", err->msg[0] ? err->msg : "unknown error");
	return ret == -ENOPKG ? CLI_EXIT_NO_MODULE : CLI_EXIT_SYSTEM;
}

/**
 * cli_help_or_bad_option() - the end of an option loop: --help, or an option not known
 * @subcmd: the subcommand's name
 * @argc: as given to getopt_long()
 * @argv: as given to getopt_long()
 * @opt: what getopt_long() returned: 'h', or '?' or ':' with opterr = 0
 * @usage: prints the subcommand's usage to a stream
 *
 * Return: CLI_EXIT_OK after the usage on standard output for 'h', else
 * CLI_EXIT_USAGE after the message and the usage on standard error.
 */
int cli_help_or_bad_option(const char *subcmd, int argc, char *argv[], int opt,
			   void (*usage)(FILE *f, const char *subcmd))
{
	if (opt == 'h') {
		usage(stdout, subcmd);
		return CLI_EXIT_OK;
	}
	cli_bad_option(subcmd, argc, argv, opt);
	usage(stderr, subcmd);
	return CLI_EXIT_USAGE;
}

/**
 * cli_stdout_done() - the exit code once standard output is flushed
 * @subcmd: the subcommand's name
 * @code: the exit code when everything was written
 *
 * Return: @code, or CLI_EXIT_SYSTEM (with a message) when writing failed.
 */
int cli_stdout_done(const char *subcmd, int code)
{
	if (fflush(stdout) || ferror(stdout)) {
		cli_msg(subcmd, "writing to standard output failed");
		return CLI_EXIT_SYSTEM;
	}
	return code;
}

/**
 * cli_bad_option() - report what getopt_long() rejected
 * @subcmd: the subcommand's name
 * @argc: as given to getopt_long()
 * @argv: as given to getopt_long()
 * @opt: what getopt_long() returned ('?' or ':'), with opterr = 0
 *
 * Return: CLI_EXIT_USAGE.
 */
int cli_bad_option(const char *subcmd, int argc, char *argv[], int opt)
{
	const char *arg = optind - 1 < argc ? argv[optind - 1] : "";

	if (opt == ':')
		cli_msg(subcmd, "option '%s' needs an argument", arg);
	else if (optopt)
		cli_msg(subcmd, "unknown option '-%c'", optopt);
	else
		cli_msg(subcmd, "unknown option '%s'", arg);
	return CLI_EXIT_USAGE;
}

/**
 * cli_parse_json() - parse the options of a subcommand that takes only
 *                    --json and --help, and no arguments
 * @argc: the subcommand's argc
 * @argv: the subcommand's argv; argv[0] is its name
 * @usage: prints the subcommand's usage to a stream
 * @json: set when --json was given
 *
 * Return: -1 to go on; else the exit status to return at once
 * (CLI_EXIT_OK after --help, CLI_EXIT_USAGE on a bad option or argument).
 */
int cli_parse_json(int argc, char *argv[], void (*usage)(FILE *f, const char *subcmd),
		   bool *json)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0];
	int opt;

	*json = false;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":jh", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			*json = true;
			break;
		case 'h':
		default:
			return cli_help_or_bad_option(subcmd, argc, argv, opt, usage);
		}
	}
	if (optind < argc) {
		cli_msg(subcmd, "unexpected argument '%s'", argv[optind]);
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	return -1;
}

/**
 * cli_one_operand() - check that exactly one operand follows the options
 * @subcmd: for the message
 * @argc: as given to the command
 * @argv: likewise; the operand is argv[optind]
 * @what: the operand's name in the message, e.g. "FILE"
 *
 * Return: true, or false after "missing WHAT" or "unexpected argument"
 * (the caller prints its usage).
 */
bool cli_one_operand(const char *subcmd, int argc, char *argv[], const char *what)
{
	if (argc - optind == 1)
		return true;
	if (argc == optind)
		cli_msg(subcmd, "missing %s", what);
	else
		cli_msg(subcmd, "unexpected argument '%s'", argv[optind + 1]);
	return false;
}

/**
 * cli_resolve_file() - the file a command's FILE operand names
 * @subcmd: for the message
 * @spec: what the user typed: flash:NAME and the other file systems of
 *	lib/fs.h (FEATURES A7.4), or a plain path
 * @path: receives the file path
 * @len: size of @path
 *
 * Return: 0, or CLI_EXIT_USAGE after a message (a malformed swauth.conf,
 * an unknown file system, a refused name).
 */
int cli_resolve_file(const char *subcmd, const char *spec, char *path, size_t len)
{
	static struct swauth_config cfg;
	struct swauth_error err;

	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err) ||
	    swauth_storage_resolve(&cfg, spec, path, len, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/**
 * cli_read_password() - --password-file FILE, or "-": a prompt without echo
 * @subcmd: for messages
 * @file: the file, or "-" for the terminal
 * @pw: receives the password (the first line)
 * @len: size of @pw
 *
 * The process is made not dumpable first.
 *
 * Return: 0, or CLI_EXIT_USAGE after a message (a file others may read, an
 * empty password, no terminal to ask on).
 */
int cli_read_password(const char *subcmd, const char *file, char *pw, size_t len)
{
	struct swauth_error err;
	struct termios old, quiet;
	bool tty = !strcmp(file, "-");
	FILE *f;
	int fd;

	/* Not dumpable from now on: no core file, no ptrace by its own user. */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	swauth_error_clear(&err);
	if (tty) {
		if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &old)) {
			cli_msg(subcmd, "--password-file -: standard input is not a terminal to ask on");
			return CLI_EXIT_USAGE;
		}
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fputs("Password: ", stderr);
		fflush(stderr);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		if (!fgets(pw, (int)len, stdin))
			pw[0] = '\0';
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	} else {
		fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
		if (fd < 0) {
			cli_msg(subcmd, "--password-file %s: %s", file, strerror(errno));
			return CLI_EXIT_USAGE;
		}
		if (swauth_secret_file_check(file, fd, &err)) {
			close(fd);
			cli_msg(subcmd, "%s", err.msg);
			return CLI_EXIT_USAGE;
		}
		f = fdopen(fd, "r");
		if (!f || !fgets(pw, (int)len, f))
			pw[0] = '\0';
		if (f)
			fclose(f);
		else
			close(fd);
	}
	pw[strcspn(pw, "\r\n")] = '\0';
	if (!pw[0]) {
		cli_msg(subcmd, "--password-file %s: no password", file);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/**
 * cli_subcmd_list() - a table of subcommands, one "  NAME  DESCRIPTION" line each
 * @f: where to
 * @cmds: the table
 * @n: its length
 * @width: the names' column
 */
void cli_subcmd_list(FILE *f, const struct cli_subcmd *cmds, size_t n, int width)
{
	size_t i;

	for (i = 0; i < n; i++)
		fprintf(f, "  %-*s %s\n", width, cmds[i].name, cmds[i].description);
}

/* cli_subcmd_find() - the entry of @cmds called @name, or NULL */
const struct cli_subcmd *cli_subcmd_find(const struct cli_subcmd *cmds, size_t n,
					 const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

/**
 * cli_tool_dir() - the directory of the running program, where a daemon
 * finds the tools it runs (swupgraded: swauth and swcopy; swpkid: swpki)
 * @buf: filled with the directory
 * @len: size of @buf
 *
 * Return: 0, or -1 when /proc/self/exe cannot say.
 */
int cli_tool_dir(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	char *slash;

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return -1;
	*slash = '\0';
	return 0;
}

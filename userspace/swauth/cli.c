// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>

#include "swauth/cli.h"

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

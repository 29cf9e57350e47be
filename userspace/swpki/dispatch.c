// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The second word of swpki's command groups (swpki show WHAT, swpki key
 * CMD): one table each, one way to pick from it.
 */

#include <stdio.h>
#include <string.h>

#include "swpki/subcommands.h"

static void group_usage(FILE *f, const char *group, const char *synopsis,
			const struct cli_subcmd *cmds, size_t n)
{
	fprintf(f, "Usage: %s %s %s\n\n", PROG_NAME, group, synopsis);
	cli_subcmd_list(f, cmds, n, 12);
}

/**
 * swpki_dispatch() - run the entry of @cmds that argv[1] names
 * @synopsis: what follows it in the usage line
 * @cmds: the table
 * @n: its length
 * @argc: the group's argc
 * @argv: the group's argv; argv[0] is the group's word
 *
 * Return: the entry's exit code; after --help CLI_EXIT_OK; for a missing or
 * unknown word CLI_EXIT_USAGE, after the usage on standard error.
 */
int swpki_dispatch(const char *synopsis, const struct cli_subcmd *cmds, size_t n, int argc,
		   char *argv[])
{
	const struct cli_subcmd *c;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		group_usage(stdout, argv[0], synopsis, cmds, n);
		return CLI_EXIT_OK;
	}
	c = argc >= 2 ? cli_subcmd_find(cmds, n, argv[1]) : NULL;
	if (c)
		return c->fn(argc - 1, argv + 1);
	if (argc >= 2)
		fprintf(stderr, "%s: %s: nothing called '%s'\n", PROG_NAME, argv[0], argv[1]);
	group_usage(stderr, argv[0], synopsis, cmds, n);
	return CLI_EXIT_USAGE;
}

/**
 * swpki_join_words() - argv[@first..@argc) as one sub-command line
 * @subcmd: for the message
 * @argc: the arguments' count
 * @argv: the arguments
 * @first: the first word
 * @line: receives the words separated by one blank ("" for none)
 * @size: its size
 *
 * Return: 0, or CLI_EXIT_USAGE after a message when it does not fit.
 */
int swpki_join_words(const char *subcmd, int argc, char *argv[], int first, char *line,
		     size_t size)
{
	int i;

	line[0] = '\0';
	for (i = first; i < argc; i++) {
		if (strlen(line) + strlen(argv[i]) + 2 > size) {
			cli_msg(subcmd, "the sub-command is too long");
			return CLI_EXIT_USAGE;
		}
		if (line[0])
			strcat(line, " ");
		strcat(line, argv[i]);
	}
	return 0;
}

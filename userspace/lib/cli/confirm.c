// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The one confirmation of a destructive action, for every tool: with --yes
 * it is given; without a terminal on standard input it is refused with the
 * hint to pass --yes (never assumed); on a terminal the question is asked,
 * IOS-style: "[confirm]" (Enter or y is yes) or "[yes/no]" (yes or y, any
 * case). End of input is no.
 */

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lib/cli.h"

/**
 * cli_need_terminal() - refuse early what would have to ask without a terminal
 * @subcmd: for the message
 * @yes: --yes was given
 *
 * Return: CLI_EXIT_OK when a question can be asked or need not be, else
 * CLI_EXIT_USAGE after "not a terminal: confirm with --yes".
 */
int cli_need_terminal(const char *subcmd, bool yes)
{
	if (yes || isatty(STDIN_FILENO))
		return CLI_EXIT_OK;
	cli_msg(subcmd, "not a terminal: confirm with --yes");
	return CLI_EXIT_USAGE;
}

/**
 * cli_confirm() - ask before a destructive action
 * @subcmd: for the message without a terminal
 * @out: where the question goes
 * @question: with its "[confirm]" or "[yes/no]" (and ": " or " " after it)
 * @style: CLI_ASK_CONFIRM (Enter or y is yes) or CLI_ASK_YES_NO (yes or y)
 * @yes: --yes was given: the answer is yes (shown after a [yes/no] question)
 *
 * Return: true for yes; false for no, end of input, or no terminal (then
 * with cli_need_terminal()'s message).
 */
bool cli_confirm(const char *subcmd, FILE *out, const char *question, enum cli_ask style,
		 bool yes)
{
	char line[64], *p, *end;

	if (yes) {
		if (style == CLI_ASK_YES_NO)
			fprintf(out, "%syes\n", question);
		return true;
	}
	if (cli_need_terminal(subcmd, false))
		return false;
	fputs(question, out);
	fflush(out);
	if (!fgets(line, sizeof(line), stdin)) {
		fputc('\n', out);
		return false;
	}
	if (style == CLI_ASK_CONFIRM)
		return line[0] == '\n' || line[0] == 'y' || line[0] == 'Y';
	for (p = line; *p == ' ' || *p == '\t'; p++)
		;
	end = p + strlen(p);
	while (end > p && strchr("\r\n \t", end[-1]))
		*--end = '\0';
	return !strcasecmp(p, "yes") || !strcasecmp(p, "y");
}

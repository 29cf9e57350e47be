// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Completion: the candidates for the last of the words typed after a
 * tool's name, from the tool's command tree (struct cli_cmd, lib/cli.h).
 * Words and option values are printed one a line; a file argument is the
 * line CLI_COMPLETE_FILE (or CLI_COMPLETE_DIR), and the bash function
 * lists the files itself, quoting every name.
 */

#include <string.h>

#include "lib/cli.h"
#include "lib/fs.h"

enum { MAX_WORDS = 256 };

/**
 * cli_cmd_find() - the entry of a command list with this name
 * @list: ended by a NULL name, or NULL
 * @name: the word
 *
 * Return: the entry, or NULL.
 */
const struct cli_cmd *cli_cmd_find(const struct cli_cmd *list, const char *name)
{
	for (; list && list->name; list++)
		if (!strcmp(list->name, name))
			return list;
	return NULL;
}

/* The option named by @word up to its '=', if any. */
static const struct cli_opt *opt_find(const struct cli_opt *o, const char *word)
{
	size_t len = strcspn(word, "=");

	for (; o && o->name; o++)
		if (strlen(o->name) == len && !strncmp(o->name, word, len))
			return o;
	return NULL;
}

static void offer(FILE *out, const char *word, const char *cur)
{
	if (!strncmp(word, cur, strlen(cur)))
		fprintf(out, "%s\n", word);
}

/*
 * The candidates for an operand or option value @cur. Nothing inside a file
 * system prefix (flash:NAME): the bash function would list the working
 * directory's files after the ':', names that are not the file system's.
 */
static void offer_arg(FILE *out, enum cli_arg arg, const char *const *values, const char *cur)
{
	const char *prefix;
	size_t i;

	if (strchr(cur, ':'))
		return;
	for (; values && *values; values++)
		offer(out, *values, cur);
	switch (arg) {
	case CLI_ARG_FS:
		for (i = 0; (prefix = swauth_storage_prefix(i)); i++)
			offer(out, prefix, cur);
		fprintf(out, "%s\n", CLI_COMPLETE_FILE);
		break;
	case CLI_ARG_FILE:
		fprintf(out, "%s\n", CLI_COMPLETE_FILE);
		break;
	case CLI_ARG_DIR:
		fprintf(out, "%s\n", CLI_COMPLETE_DIR);
		break;
	case CLI_ARG_NONE:
	case CLI_ARG_TEXT:
		break;
	}
}

/*
 * Bash splits a word at ':' and '=' (COMP_WORDBREAKS): "flash:x" arrives
 * as "flash", ":", "x". Join such pieces into @buf again; @words point
 * into it. Returns the number of words.
 */
static int join(int argc, char *const argv[], char *buf, size_t len, const char *words[])
{
	size_t used = 0;
	int i, n = 0;
	bool glue = false;

	for (i = 0; i < argc; i++) {
		bool brk = !strcmp(argv[i], ":") || !strcmp(argv[i], "=");
		size_t l = strlen(argv[i]);

		if (used + l + 1 > len)
			return -1;
		if ((brk || glue) && n > 0) {
			used--;
		} else {
			if (n == MAX_WORDS)
				return -1;
			words[n++] = buf + used;
		}
		memcpy(buf + used, argv[i], l + 1);
		used += l + 1;
		glue = brk;
	}
	return n;
}

/**
 * cli_complete() - print the candidates for the last word
 * @out: where to
 * @root: the tool itself: its options and subcommands
 * @argc: the words after the tool's name, the last being completed
 * @argv: them
 *
 * An option's value is completed after the option; a subcommand is offered
 * where no operand came yet; options are offered for a word beginning
 * with '-'. Nothing is offered inside a word with a file system prefix.
 */
void cli_complete(FILE *out, const struct cli_cmd *root, int argc, char *const argv[])
{
	static char buf[65536];
	const char *words[MAX_WORDS];
	const struct cli_cmd *node = root, *sub;
	const struct cli_opt *expect = NULL, *o;
	const char *cur;
	int i, n, operands = 0;

	n = join(argc, argv, buf, sizeof(buf), words);
	if (n < 1)
		return;
	for (i = 0; i < n - 1; i++) {
		const char *w = words[i];

		if (expect) {
			expect = NULL;
		} else if (w[0] == '-' && w[1]) {
			o = opt_find(node->opts, w);
			if (o && (o->arg != CLI_ARG_NONE || o->values) && !strchr(w, '='))
				expect = o;
		} else {
			sub = operands ? NULL : cli_cmd_find(node->sub, w);
			if (sub)
				node = sub;
			else
				operands++;
		}
	}
	cur = words[n - 1];
	if (expect) {
		offer_arg(out, expect->arg, expect->values, cur);
	} else if (cur[0] == '-' && strchr(cur, '=')) {
		o = opt_find(node->opts, cur);
		if (o)
			offer_arg(out, o->arg, o->values, strchr(cur, '=') + 1);
	} else if (cur[0] == '-') {
		for (o = node->opts; o && o->name; o++)
			offer(out, o->name, cur);
	} else if (!strchr(cur, ':')) {
		for (sub = operands ? NULL : node->sub; sub && sub->name; sub++)
			offer(out, sub->name, cur);
		if (node->word)
			for (i = 0; node->word((size_t)i); i++)
				offer(out, node->word((size_t)i), cur);
		offer_arg(out, node->operand, node->words, cur);
	}
}

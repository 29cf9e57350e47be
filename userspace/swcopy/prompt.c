// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy's questions (B1.1, B3.1): a value with a default, "[confirm]",\n * and the local and remote sides of a copy completed by asking.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/fs.h"
#include "swcopy/swcopy.h"

static const char *const subcmd = "copy";

/* Prints to the copy's stream (stderr under --json). */
void swcopy_say(struct copy *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void swcopy_say(struct copy *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fflush(c->out);
}

/* A question with a default; false when there is no one to ask. */
bool swcopy_ask(struct copy *c, const char *question, const char *def, char *answer,
		size_t len)
{
	char line[PATH_MAX];
	size_t n;

	if (!c->interactive)
		return false;
	fprintf(stderr, "%s [%s]? ", question, def ? def : "");
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	snprintf(answer, len, "%s", n ? line : (def ? def : ""));
	return true;
}

/* "[confirm]": Enter or y is yes. */
bool swcopy_confirm(struct copy *c, const char *question)
{
	char line[16];

	if (c->yes || !c->interactive)
		return true;
	fprintf(stderr, "%s [confirm]", question);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == '\n' || line[0] == 'y' || line[0] == 'Y';
}

/* "flash:" alone: a file system without a file name. */
static bool fs_only(const char *spec)
{
	size_t n = strlen(spec);

	return n > 1 && spec[n - 1] == ':' && !strchr(spec, '/');
}

/* Fills the parts of a remote URL that are missing, asking when it may. */
int swcopy_complete_remote(struct copy *c, struct swauth_url *u, const char *def_path,
			   bool source)
{
	char answer[PATH_MAX];

	if (!u->host[0]) {
		if (!swcopy_ask(c, "Address or name of remote host", NULL, answer, sizeof(answer)) ||
		    !answer[0]) {
			cli_msg(subcmd, "the remote host is missing%s", c->interactive ? "" :
				" (standard input is not a terminal: give it in the URL)");
			return CLI_EXIT_USAGE;
		}
		if (strlen(answer) >= sizeof(u->host) || strpbrk(answer, " /@")) {
			cli_msg(subcmd, "'%s' is not a host name or address", answer);
			return CLI_EXIT_USAGE;
		}
		strcpy(u->host, answer);
	}
	if (!u->path[0] || !strcmp(u->path, "/")) {
		if (!swcopy_ask(c, source ? "Source filename" : "Destination filename", def_path,
			 answer, sizeof(answer)) || !answer[0]) {
			cli_msg(subcmd, "the %s file name is missing%s",
				source ? "source" : "destination", c->interactive ? "" :
				" (standard input is not a terminal: give it in the URL)");
			return CLI_EXIT_USAGE;
		}
		if (strlen(answer) + 2 > sizeof(u->path)) {
			cli_msg(subcmd, "the file name is too long");
			return CLI_EXIT_USAGE;
		}
		sprintf(u->path, "%s%s", answer[0] == '/' ? "" : "/", answer);
	}
	return CLI_EXIT_OK;
}

/* Resolves a local side; @def is the name to offer for "flash:" alone. */
int swcopy_local_side(struct copy *c, const char *spec, const char *def, char *path,
		      size_t len, char *show, size_t show_len, const char **fs)
{
	char name[PATH_MAX], full[PATH_MAX + 16];
	struct swauth_error err;

	if (fs_only(spec)) {
		if (!def || !c->interactive || c->conf.file_prompt == SWCOPY_PROMPT_QUIET) {
			if (!def) {
				cli_msg(subcmd, "%s: a file name is needed", spec);
				return CLI_EXIT_USAGE;
			}
			snprintf(name, sizeof(name), "%s", def);
		} else if (!swcopy_ask(c, "Destination filename", def, name, sizeof(name)) || !name[0]) {
			cli_msg(subcmd, "the destination file name is missing");
			return CLI_EXIT_USAGE;
		}
		snprintf(full, sizeof(full), "%s%s", spec, name);
		spec = full;
	} else if (def && c->interactive && c->conf.file_prompt == SWCOPY_PROMPT_NOISY) {
		/* noisy: even a destination given in full is confirmed. */
		if (!swcopy_ask(c, "Destination filename", spec, full, sizeof(full)) || !full[0]) {
			cli_msg(subcmd, "the destination file name is missing");
			return CLI_EXIT_USAGE;
		}
		spec = full;
	}
	swauth_error_clear(&err);
	if (swauth_storage_resolve(&c->cfg, spec, path, len, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	snprintf(show, show_len, "%s", spec);
	*fs = swauth_storage_fs_of(&c->cfg, spec);
	return CLI_EXIT_OK;
}

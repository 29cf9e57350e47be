// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy's questions (B1.1, B3.1): a value with a default, "[confirm]",\n * and the local and remote sides of a copy completed by asking.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "lib/boot.h"
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
	char answer[PATH_MAX], last[SWCOPY_HOST_MAX];

	if (!u->host[0]) {
		if (!swcopy_ask(c, "Address or name of remote host",
				swcopy_last_host(c, last, sizeof(last)), answer, sizeof(answer)) ||
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

/* Where the last host is remembered: the tools' state directory. */
static void last_host_path(const struct copy *c, char *path, size_t len)
{
	snprintf(path, len, "%s/swcopy-last-host", swauth_reload_dir(&c->cfg, SWAUTH_DIR_STATE));
}

/* A host name or address as the URL parser takes it: no blank, '/', '@' or control. */
static bool host_ok(const char *h)
{
	const unsigned char *p;

	for (p = (const unsigned char *)h; *p; p++)
		if (*p <= ' ' || *p == 0x7f || *p == '/' || *p == '@')
			return false;
	return h[0] != '\0';
}

/**
 * swcopy_last_host() - the host of the last copy, the default of B3.1
 * @c: the copy
 * @buf: receives it
 * @len: size of @buf, at most SWCOPY_HOST_MAX
 *
 * Return: @buf, or NULL when none is remembered (or it is malformed).
 */
const char *swcopy_last_host(const struct copy *c, char *buf, size_t len)
{
	char path[PATH_MAX];
	FILE *f;

	last_host_path(c, path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return NULL;
	if (!fgets(buf, (int)len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return host_ok(buf) ? buf : NULL;
}

/*
 * swcopy_remember_host() - after a copy with a server: its host is the next
 * question's default. Only a convenience: a failure (no state directory,
 * not root) is silent.
 */
void swcopy_remember_host(const struct copy *c, const char *host)
{
	char path[PATH_MAX], text[SWCOPY_HOST_MAX + 1];
	struct swauth_error err;

	if (!host_ok(host) || strlen(host) >= SWCOPY_HOST_MAX)
		return;
	last_host_path(c, path, sizeof(path));
	snprintf(text, sizeof(text), "%s\n", host);
	swauth_error_clear(&err);
	swauth_safewrite_path(path, text, strlen(text), 0644, 0, &err);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The seeds' credentials (B1): the URL's, else configured, else anonymous;
 * and keeping a password secret: never left in /proc/PID/cmdline (a
 * `user:pass@` in an argument is overwritten at once) nor in a message, read from a prompt
 * without echo, from swcopy.conf or from --password-file (a credentials
 * file: see swauth_secret_file_check()), and the process not dumpable
 * while it holds one.
 */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/config.h"
#include "swcopy/swcopy.h"

/**
 * swcopy_hold_secret() - the process holds a password from now on
 *
 * Not dumpable: no core file, no ptrace or /proc/PID/mem by its own user.
 */
void swcopy_hold_secret(void)
{
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

/**
 * swcopy_scrub_argv() - no password left in /proc/PID/cmdline
 * @argc: main()'s
 * @argv: main()'s; an argument with a password, as swauth_url_secret()
 *	finds it (the parser's own authority split, and also without "//"),
 *	is replaced by a copy of its own, and the password in the original
 *	memory, which /proc/PID/cmdline shows, overwritten with '*'
 *
 * Called first thing in main(): the password was visible only from exec
 * until here.
 *
 * Return: 0, or -ENOMEM.
 */
int swcopy_scrub_argv(int argc, char *argv[])
{
	size_t off, len;
	char *copy;
	int i;

	for (i = 1; i < argc; i++) {
		if (!swauth_url_secret(argv[i], &off, &len))
			continue;
		copy = strdup(argv[i]);
		if (!copy)
			return -ENOMEM;
		swcopy_hold_secret();
		memset(argv[i] + off, '*', len);
		argv[i] = copy;
	}
	return 0;
}

/*
 * The seeds' credentials (B1): the URL's (or --password-file's), else
 * configured, else anonymous with the session user's USER@host.domain.
 */
void swcopy_credentials(struct copy *c, struct swauth_url *u)
{
	char host[256] = "localhost", fqdn[300], me[SWAUTH_URL_USER_MAX];
	struct addrinfo hints = { .ai_flags = AI_CANONNAME }, *ai = NULL;
	struct passwd *pw;
	size_t n;

	if (u->scheme == SWAUTH_URL_SCP && !u->has_user) {
		pw = getpwuid(getuid());
		snprintf(u->user, sizeof(u->user), "%s",
			 c->conf.ftp_username[0] ? c->conf.ftp_username :
			 pw ? pw->pw_name : "root");
		u->has_user = true;
	}
	if (!u->has_pass && c->password[0] && u->scheme != SWAUTH_URL_TFTP) {
		snprintf(u->pass, sizeof(u->pass), "%s", c->password);
		u->has_pass = true;
	}
	if (u->has_pass)
		swcopy_hold_secret();
	if (u->scheme != SWAUTH_URL_FTP && u->scheme != SWAUTH_URL_FTPS &&
	    u->scheme != SWAUTH_URL_FTPES)
		return;
	if (!u->has_user) {
		snprintf(u->user, sizeof(u->user), "%s",
			 c->conf.ftp_username[0] ? c->conf.ftp_username : "anonymous");
		u->has_user = true;
	}
	if (u->has_pass)
		return;
	u->has_pass = true;
	if (c->conf.ftp_password[0]) {
		snprintf(u->pass, sizeof(u->pass), "%s", c->conf.ftp_password);
		swcopy_hold_secret();
		return;
	}
	/* B1.2: the user of the session, not the FTP user name. */
	pw = getpwuid(getuid());
	snprintf(me, sizeof(me), "%s", pw ? pw->pw_name : u->user);
	gethostname(host, sizeof(host) - 1);
	snprintf(fqdn, sizeof(fqdn), "%s", host);
	if (!strchr(host, '.') && !getaddrinfo(host, NULL, &hints, &ai) && ai &&
	    ai->ai_canonname && strchr(ai->ai_canonname, '.'))
		snprintf(fqdn, sizeof(fqdn), "%s", ai->ai_canonname);
	if (ai)
		freeaddrinfo(ai);
	if (!strchr(fqdn, '.'))
		snprintf(fqdn + strlen(fqdn), sizeof(fqdn) - strlen(fqdn), ".localdomain");
	n = strlen(me);
	if (n + strlen(fqdn) + 2 <= sizeof(u->pass)) {
		memcpy(u->pass, me, n);
		u->pass[n] = '@';
		strcpy(u->pass + n + 1, fqdn);
	} else {
		strcpy(u->pass, "anonymous@localhost.localdomain");
	}
}

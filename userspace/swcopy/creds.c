// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The seeds' credentials (B1): the URL's, else configured, else anonymous.
 */

#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "swcopy/swcopy.h"

/* The seeds' credentials (B1): the URL's, else configured, else anonymous. */
void swcopy_credentials(struct copy *c, struct swauth_url *u)
{
	char host[256] = "localhost", fqdn[300];
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
		return;
	}
	gethostname(host, sizeof(host) - 1);
	snprintf(fqdn, sizeof(fqdn), "%s", host);
	if (!strchr(host, '.') && !getaddrinfo(host, NULL, &hints, &ai) && ai &&
	    ai->ai_canonname && strchr(ai->ai_canonname, '.'))
		snprintf(fqdn, sizeof(fqdn), "%s", ai->ai_canonname);
	if (ai)
		freeaddrinfo(ai);
	if (!strchr(fqdn, '.'))
		snprintf(fqdn + strlen(fqdn), sizeof(fqdn) - strlen(fqdn), ".localdomain");
	n = strlen(u->user);
	if (n + strlen(fqdn) + 2 <= sizeof(u->pass)) {
		memcpy(u->pass, u->user, n);
		u->pass[n] = '@';
		strcpy(u->pass + n + 1, fqdn);
	} else {
		strcpy(u->pass, "anonymous@localhost.localdomain");
	}
}

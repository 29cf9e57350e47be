// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swupgrade: the seeds' `upgrade automatic getversion|runversion|
 * abortversion`, `show autoupgrade configuration` and the `autoupgrade`
 * settings. The job itself is swupgraded's: this tool sends it the
 * request over run-dir/swupgrade.sock and prints what comes back; config
 * edits swupgrade.conf.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "lib/boot.h"
#include "lib/cli.h"
#include "lib/config.h"

#ifndef SWAUTH_VERSION
#error "build with -DSWAUTH_VERSION=\"...\" (userspace/build.mk does)"
#endif

const char *cli_version(void)
{
	return SWAUTH_VERSION;
}

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: swupgrade getversion URL|flash:NAME [now | at HH:MM [MON DAY] | in [HHH:]MM]\n"
		"                            [disk-management auto|confirm|no]\n"
		"       swupgrade getversion locator username USER [password PASSWORD] image NAME\n"
		"                            [--password-file FILE|-] [TIME] [disk-management ...]\n"
		"       swupgrade runversion [now | at HH:MM [MON DAY] | in [HHH:]MM]\n"
		"       swupgrade abortversion\n"
		"       swupgrade confirm\n"
		"       swupgrade show [--json]\n"
		"       swupgrade config [KEYWORD VALUE | no KEYWORD]\n"
		"       swupgrade            (asks what getversion needs; needs a terminal)\n\n"
		"The Auto-Upgrade Manager, through swupgraded. getversion downloads the image\n"
		"with /verify (an untrusted image stops before its payload, nothing partial is\n"
		"left), checks that it can boot here (a verified system image for this platform,\n"
		"space, memory for a warm reload) and, given a time, schedules the reload into\n"
		"it; without one the image waits for runversion. At the reload's time the image\n"
		"becomes the boot image and the system reloads into it (warm when possible);\n"
		"any failure puts the old boot image back. abortversion stops the job at any\n"
		"step before the reload. The locator form asks the image locator (locator-url)\n"
		"where NAME is; give its password with --password-file (a 0600 file, or - to\n"
		"be asked), not on the command line. show prints the settings and the job,\n"
		"its step and its last lines. The job goes on when swupgrade is interrupted.\n"
		"After the reload the new image runs on probation when health-check is set:\n"
		"the checks (verify: the image verifies and runs; unit=NAME: a systemd unit is\n"
		"active; ping=HOST: a host answers) must pass, and with confirm swupgrade\n"
		"confirm must be given, by confirm-deadline seconds (default 600), or the\n"
		"system rolls back to the previous image by itself. With fallback-url set,\n"
		"disk-management auto or confirm may also delete the previous boot image (never\n"
		"the running one) when nothing else makes room; the job downloads it again\n"
		"from fallback-url/NAME with /verify when it ends.\n\n"
		"config keywords (swupgrade.conf next to swauth.conf): disk-cleanup,\n"
		"locator-url, locator-ca, email-recipient, smtp-server (a status mail at the\n"
		"end of every job), space-margin (MiB kept free beside the image, default 16),\n"
		"health-check, confirm-deadline, fallback-url (the directory URL previous\n"
		"images are downloaded again from; no password).\n\n"
		"  -h, --help     show this help\n"
		"  -V, --version  show the version\n\n"
		"Exit status: 0 done (the job is ready, scheduled or done), 1 the job failed or\n"
		"was refused, 2 usage or configuration error, 3 swupgraded cannot be reached\n"
		"or refused the caller (changes need root).\n");
}

static int connect_daemon(const char *cmd)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct swauth_config cfg;
	struct swauth_error err;
	int fd;

	swauth_error_clear(&err);
	if (swauth_config_load(swauth_config_path(), &cfg, &err)) {
		cli_msg(cmd, "%s", err.msg);
		return -CLI_EXIT_USAGE;
	}
	if (swauth_upgrade_socket_path(&cfg, sa.sun_path, sizeof(sa.sun_path))) {
		cli_msg(cmd, "the control socket's path is too long");
		return -CLI_EXIT_USAGE;
	}
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		cli_msg(cmd, "swupgraded is not running (%s: %s); start it with systemctl start swupgraded",
			sa.sun_path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -CLI_EXIT_SYSTEM;
	}
	return fd;
}

/* A question of the job's (disk-management confirm): no without a terminal. */
static void answer(int fd, const char *cmd, const char *question)
{
	static const char yes[] = "A\0yes", no[] = "A\0no";
	bool y = cli_confirm(cmd, stdout, question, CLI_ASK_YES_NO, false);

	if (send(fd, y ? yes : no, y ? sizeof(yes) : sizeof(no), MSG_NOSIGNAL) < 0)
		cli_msg(cmd, "cannot answer swupgraded: %s", strerror(errno));
}

/* Send the words, print the lines that come back, return the status. */
static int request(int argc, char *argv[])
{
	static char buf[SWAUTH_UPGRADE_JSON_MAX + 1];
	size_t len = 0, n;
	ssize_t got;
	int fd, i;

	for (i = 0; i < argc; i++) {
		n = strlen(argv[i]) + 1;
		if (len + n > SWAUTH_UPGRADE_MSG_MAX) {
			cli_msg(argv[0], "the request is too long");
			return CLI_EXIT_USAGE;
		}
		memcpy(buf + len, argv[i], n);
		len += n;
	}
	fd = connect_daemon(argv[0]);
	if (fd < 0)
		return -fd;
	if (send(fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len) {
		cli_msg(argv[0], "cannot send to swupgraded: %s", strerror(errno));
		close(fd);
		return CLI_EXIT_SYSTEM;
	}
	while ((got = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
		buf[got] = '\0';
		if (buf[0] == 'X' && buf[1] == ' ') {
			close(fd);
			fflush(stdout);
			return atoi(buf + 2);
		}
		if (buf[0] == 'M' && buf[1] == ' ')
			printf("%s\n", buf + 2);
		if (buf[0] == 'J' && buf[1] == ' ')
			fputs(buf + 2, stdout);
		if (buf[0] == 'Q' && buf[1] == ' ')
			answer(fd, argv[0], buf + 2);
		fflush(stdout);
	}
	close(fd);
	cli_msg(argv[0], "swupgraded went away before the end of the request");
	return CLI_EXIT_SYSTEM;
}

static int config(int argc, char *argv[])
{
	struct swauth_upgrade_conf c;
	struct swauth_error err;
	char path[PATH_MAX];
	const char *kw;
	size_t i;

	if (swauth_upgrade_conf_path(path, sizeof(path))) {
		cli_msg("config", "swupgrade.conf's path is too long");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	if (argc == 0) {
		if (swauth_upgrade_conf_load(path, &c, &err)) {
			cli_msg("config", "%s", err.msg);
			return CLI_EXIT_USAGE;
		}
		printf("disk-cleanup %s\nlocator-url %s\nlocator-ca %s\nemail-recipient %s\nsmtp-server %s\nspace-margin %u\nhealth-check %s\nconfirm-deadline %u\nfallback-url %s\n",
		       c.disk_cleanup[0] ? c.disk_cleanup : "none",
		       c.locator_url[0] ? c.locator_url : "none",
		       c.locator_ca[0] ? c.locator_ca : "none",
		       c.email_recipient[0] ? c.email_recipient : "none",
		       c.smtp_server[0] ? c.smtp_server : "none", c.space_margin,
		       c.health_check[0] ? c.health_check : "none", c.confirm_deadline,
		       c.fallback_url[0] ? c.fallback_url : "none");
		return cli_stdout_done("config", CLI_EXIT_OK);
	}
	kw = !strcmp(argv[0], "no") ? (argc == 2 ? argv[1] : NULL) : (argc == 2 ? argv[0] : NULL);
	for (i = 0; kw && swauth_upgrade_conf_keyword(i) &&
		    strcmp(kw, swauth_upgrade_conf_keyword(i)); i++)
		;
	if (!kw || !swauth_upgrade_conf_keyword(i)) {
		cli_msg("config", "give KEYWORD VALUE or no KEYWORD; keywords: disk-cleanup, locator-url, locator-ca, email-recipient, smtp-server, space-margin, health-check, confirm-deadline, fallback-url");
		return CLI_EXIT_USAGE;
	}
	if (swauth_upgrade_conf_set(path, kw, strcmp(argv[0], "no") ? argv[1] : NULL, &err)) {
		cli_msg("config", "%s", err.msg);
		return err.code == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SYSTEM;
	}
	return CLI_EXIT_OK;
}

/* One answer from the terminal, without its newline; @def when empty. */
static bool ask(const char *question, const char *def, char *buf, size_t len)
{
	printf("%s%s%s%s: ", question, def ? " [" : "", def ? def : "", def ? "]" : "");
	fflush(stdout);
	if (!fgets(buf, (int)len, stdin))
		return false;
	buf[strcspn(buf, "\n")] = '\0';
	if (!buf[0] && def)
		snprintf(buf, len, "%s", def);
	return true;
}

/*
 * getversion's words; for the locator form without "password P", the
 * password comes from --password-file FILE (or - : asked without echo) and
 * is put in its place, so that it is not on the command line.
 */
static int getversion(int argc, char *argv[])
{
	char pw[256], *words[40];
	const char *file = NULL;
	int i, n = 0, ret;

	for (i = 0; i < argc && n < 36; i++) {
		if (!strcmp(argv[i], "--password-file") && i + 1 < argc) {
			file = argv[++i];
			continue;
		}
		words[n++] = argv[i];
	}
	if (i < argc) {
		cli_msg("getversion", "too many words");
		return CLI_EXIT_USAGE;
	}
	if (file && (n < 6 || strcmp(words[1], "locator") || strcmp(words[2], "username") ||
		     strcmp(words[4], "image"))) {
		cli_msg("getversion", "--password-file goes with: locator username USER image NAME");
		return CLI_EXIT_USAGE;
	}
	if (file) {
		ret = cli_read_password("getversion", file, pw, sizeof(pw));
		if (ret)
			return ret;
		memmove(words + 6, words + 4, (size_t)(n - 4) * sizeof(words[0]));
		words[4] = "password";
		words[5] = pw;
		n += 2;
	}
	words[n] = NULL;
	ret = request(n, words);
	explicit_bzero(pw, sizeof(pw));
	return ret;
}

/* C2.1: the questions of getversion, then getversion. */
static int interactive(void)
{
	char url[PATH_MAX], when[64], disk[16], *argv[12], *p;
	int argc = 0, ret;

	ret = cli_need_terminal("getversion", false);
	if (ret)
		return ret;
	if (!ask("Image to upgrade to (URL or flash:NAME)", NULL, url, sizeof(url)) || !url[0] ||
	    !ask("Reload into it: now, at HH:MM, in [HHH:]MM, or later with runversion", "later",
		 when, sizeof(when)) ||
	    !ask("Disk management when space is short (auto, confirm, no)", "no", disk,
		 sizeof(disk))) {
		cli_msg("getversion", "no answer: nothing was done");
		return CLI_EXIT_USAGE;
	}
	argv[argc++] = "getversion";
	argv[argc++] = url;
	if (strcmp(when, "later"))
		for (p = strtok(when, " "); p && argc < 8; p = strtok(NULL, " "))
			argv[argc++] = p;
	argv[argc++] = "disk-management";
	argv[argc++] = disk;
	return request(argc, argv);
}

int main(int argc, char *argv[])
{
	cli_prog_name = "swupgrade";
	if (argc == 1)
		return interactive();
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(stdout);
		return cli_stdout_done(NULL, CLI_EXIT_OK);
	}
	if (!strcmp(argv[1], "-V") || !strcmp(argv[1], "--version")) {
		printf("swupgrade %s\n", SWAUTH_VERSION);
		return cli_stdout_done(NULL, CLI_EXIT_OK);
	}
	if (!strcmp(argv[1], "config"))
		return config(argc - 2, argv + 2);
	if (!strcmp(argv[1], "getversion"))
		return getversion(argc - 1, argv + 1);
	if (!strcmp(argv[1], "runversion") || !strcmp(argv[1], "confirm") ||
	    !strcmp(argv[1], "abortversion") || !strcmp(argv[1], "show"))
		return request(argc - 1, argv + 1);
	cli_msg(argv[1], "unknown command");
	usage(stderr);
	return CLI_EXIT_USAGE;
}

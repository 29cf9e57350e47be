// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * /erase: the destination's file system emptied before the copy.
 */

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cli.h"
#include "swcopy/swcopy.h"

static const char *const subcmd = "copy";

/*
 * Removes the regular files of the destination's directory (/erase), in a
 * configured file system only (the caller checks). Asks twice through
 * cli_confirm(): without a terminal only --yes erases.
 */
int swcopy_erase(struct copy *c)
{
	char buf[PATH_MAX], path[PATH_MAX * 2];
	const char *dir;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", c->dst_path);
	dir = dirname(buf);
	if (!cli_confirm(subcmd, stderr, "Erase the destination file system before copying? [confirm]",
			 CLI_ASK_CONFIRM, c->yes) ||
	    !cli_confirm(subcmd, stderr, "Erasing it will remove all files! Continue? [confirm]",
			 CLI_ASK_CONFIRM, c->yes)) {
		cli_msg(subcmd, "not erased, nothing copied");
		return CLI_EXIT_USAGE;
	}
	d = opendir(dir);
	if (!d) {
		cli_msg(subcmd, "%s: %s", dir, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || lstat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (unlink(path)) {
			cli_msg(subcmd, "%s: %s", path, strerror(errno));
			closedir(d);
			return CLI_EXIT_SYSTEM;
		}
		n++;
	}
	closedir(d);
	swcopy_say(c, "Erased %d file%s in %s\n", n, n == 1 ? "" : "s", dir);
	return CLI_EXIT_OK;
}

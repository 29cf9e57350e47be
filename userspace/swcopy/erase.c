// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * /erase: the destination's file system emptied before the copy.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/cli.h"
#include "lib/fs.h"
#include "swcopy/swcopy.h"

static const char *const subcmd = "copy";

/*
 * Removes the regular files of the destination's directory (/erase), and
 * the stray temporary files of lib/fs.h's safe writes, in a configured file
 * system only (the caller checks). The directory is opened beneath the file
 * system's directory with no symbolic link on the way before anything is
 * asked or erased, and every name is removed relative to it. Asks twice
 * through cli_confirm(): without a terminal only --yes erases.
 */
int swcopy_erase(struct copy *c)
{
	char name[NAME_MAX + 1], dir[PATH_MAX];
	struct swauth_error err;
	struct dirent *e;
	struct stat st;
	int n = 0, fd;
	DIR *d;

	swauth_error_clear(&err);
	fd = swcopy_open_parent(c->dst_fs, c->dst_path, c->dst_show, name, sizeof(name), &err);
	if (fd < 0) {
		cli_msg(subcmd, "%s; nothing erased, nothing copied", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	if (!cli_confirm(subcmd, stderr, "Erase the destination file system before copying? [confirm]",
			 CLI_ASK_CONFIRM, c->yes) ||
	    !cli_confirm(subcmd, stderr, "Erasing it will remove all files! Continue? [confirm]",
			 CLI_ASK_CONFIRM, c->yes)) {
		close(fd);
		cli_msg(subcmd, "not erased, nothing copied");
		return CLI_EXIT_USAGE;
	}
	snprintf(dir, sizeof(dir), "%s", c->dst_path);
	*strrchr(dir, '/') = '\0';
	d = fdopendir(fd);
	if (!d) {
		cli_msg(subcmd, "%s: %s", dir, strerror(errno));
		close(fd);
		return CLI_EXIT_SYSTEM;
	}
	while ((e = readdir(d))) {
		if ((e->d_name[0] == '.' && !swauth_safewrite_is_tmp(e->d_name)) ||
		    fstatat(fd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode))
			continue;
		if (unlinkat(fd, e->d_name, 0)) {
			cli_msg(subcmd, "%s/%s: %s", dir, e->d_name, strerror(errno));
			closedir(d);
			return CLI_EXIT_SYSTEM;
		}
		n++;
	}
	closedir(d);
	swcopy_say(c, "Erased %d file%s in %s\n", n, n == 1 ? "" : "s", dir);
	return CLI_EXIT_OK;
}

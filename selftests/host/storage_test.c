// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * flash:NAME and its kin (lib/storage.c): every accepted spelling and every
 * refusal; the *-dir keywords of swauth.conf; and swauth_config_set()
 * (lib/config-edit.c), which must keep every other line byte for byte.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/config.h"
#include "lib/fs.h"

#include "kselftest_harness.h"

static struct swauth_config cfg;

TEST(resolve_defaults)
{
	static const struct { const char *spec, *path; } cases[] = {
		{ "flash:c3900.SPA", "/var/lib/swauth/flash/c3900.SPA" },
		{ "flash:/c3900.SPA", "/var/lib/swauth/flash/c3900.SPA" },
		{ "flash:dir/c3900.SPA", "/var/lib/swauth/flash/dir/c3900.SPA" },
		{ "usbflash0:x.SPA", "/var/lib/swauth/usbflash0/x.SPA" },
		{ "nvram:startup", "/var/lib/swauth/nvram/startup" },
		{ "flash:a..b", "/var/lib/swauth/flash/a..b" },
		{ "/boot/x.SPA", "/boot/x.SPA" },
		{ "rel/x.SPA", "rel/x.SPA" },
		{ "../x.SPA", "../x.SPA" },	/* a plain path may go up */
		{ "./flash:x", "./flash:x" },	/* no prefix: a path */
	};
	char path[PATH_MAX];
	struct swauth_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		swauth_error_clear(&err);
		EXPECT_EQ(0, swauth_storage_resolve(NULL, cases[i].spec, path, sizeof(path), &err))
			TH_LOG("%s: %s", cases[i].spec, err.msg);
		EXPECT_STREQ(cases[i].path, path);
	}
}

TEST(resolve_configured)
{
	struct swauth_error err;
	char path[PATH_MAX];

	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_config_parse("flash-dir /srv/flash/\nusbflash0-dir /media/usb\n"
					 "nvram-dir /srv/nvram\n", "c", &cfg, &err))
		TH_LOG("%s", err.msg);
	ASSERT_EQ(0, swauth_storage_resolve(&cfg, "flash:a.SPA", path, sizeof(path), &err));
	EXPECT_STREQ("/srv/flash//a.SPA", path);
	ASSERT_EQ(0, swauth_storage_resolve(&cfg, "usbflash0:/a.SPA", path, sizeof(path), &err));
	EXPECT_STREQ("/media/usb/a.SPA", path);
	ASSERT_EQ(0, swauth_storage_resolve(&cfg, "nvram:a", path, sizeof(path), &err));
	EXPECT_STREQ("/srv/nvram/a", path);
	EXPECT_STREQ("/media/usb", swauth_storage_dir(&cfg, "usbflash0:"));
	EXPECT_STREQ("/var/lib/swauth/nvram", swauth_storage_dir(NULL, "nvram:"));
	EXPECT_EQ(NULL, swauth_storage_dir(&cfg, "bootflash:"));

	/* The directories are absolute, once each, like every other path. */
	EXPECT_EQ(-EINVAL, swauth_config_parse("flash-dir flash\n", "c", &cfg, &err));
	EXPECT_STREQ("c:1: 'flash-dir' needs an absolute path, not 'flash'", err.msg);
	EXPECT_EQ(-EINVAL, swauth_config_parse("nvram-dir /a\nnvram-dir /b\n", "c", &cfg, &err));
	EXPECT_STREQ("c:2: 'nvram-dir' is given twice", err.msg);
	EXPECT_EQ(-EINVAL, swauth_config_parse("usbflash0-dir\n", "c", &cfg, &err));
	EXPECT_STREQ("c:1: 'usbflash0-dir' needs a PATH", err.msg);
}

TEST(resolve_refused)
{
	static const struct { const char *spec, *msg; int ret; } cases[] = {
		{ "bootflash:x.SPA",
		  "unknown file system 'bootflash:' (known: flash:, flash0:, flash1:, usbflash0:, usbflash1:, nvram:)", -ENOENT },
		{ "FLASH:x", "unknown file system 'FLASH:' (known: flash:, flash0:, flash1:, usbflash0:, usbflash1:, nvram:)",
		  -ENOENT },
		{ "tftp:x", "unknown file system 'tftp:' (known: flash:, flash0:, flash1:, usbflash0:, usbflash1:, nvram:)",
		  -ENOENT },
		{ "", "empty file name", -EINVAL },
		{ "flash:", "'flash:': no file name after 'flash:'", -EINVAL },
		{ "flash:/", "'flash:/': no file name after 'flash:'", -EINVAL },
		{ "nvram://", "'nvram://': no file name after 'nvram:'", -EINVAL },
		{ "flash:dir/", "'flash:dir/' names a directory, not a file", -EINVAL },
		{ "flash:..", "'flash:..': '..' may not leave the file system", -EINVAL },
		{ "flash:../etc/shadow", "'flash:../etc/shadow': '..' may not leave the file system",
		  -EINVAL },
		{ "usbflash0:a/../../b", "'usbflash0:a/../../b': '..' may not leave the file system",
		  -EINVAL },
		{ "flash:/..", "'flash:/..': '..' may not leave the file system", -EINVAL },
		{ "flash:a\nb", "the file name contains a control character (0x0a)", -EINVAL },
		{ "flash:a\tb", "the file name contains a control character (0x09)", -EINVAL },
		{ "/boot/a\x1b[2Jb", "the file name contains a control character (0x1b)", -EINVAL },
		{ "flash:a\x7f", "the file name contains a control character (0x7f)", -EINVAL },
	};
	struct swauth_error err;
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		swauth_error_clear(&err);
		EXPECT_EQ(cases[i].ret,
			  swauth_storage_resolve(NULL, cases[i].spec, path, sizeof(path), &err))
			TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].msg, err.msg);
	}
	/* An embedded NUL: the name is not cut short at it. */
	swauth_error_clear(&err);
	EXPECT_EQ(-EINVAL, swauth_storage_resolve_n(NULL, "flash:a\0b", 9, path, sizeof(path),
						    &err));
	EXPECT_STREQ("the file name contains a NUL byte", err.msg);
	/* Too long for the buffer. */
	EXPECT_EQ(-ENAMETOOLONG, swauth_storage_resolve(NULL, "flash:abcdefgh", path, 20, &err));
	EXPECT_EQ(-ENAMETOOLONG, swauth_storage_resolve(NULL, "/abcdefgh", path, 5, &err));
}

TEST(display)
{
	struct swauth_error err;
	char buf[PATH_MAX];

	swauth_storage_display(NULL, "/var/lib/swauth/flash/c.SPA", buf, sizeof(buf));
	EXPECT_STREQ("flash:c.SPA", buf);
	swauth_storage_display(NULL, "/var/lib/swauth/nvram/d/c", buf, sizeof(buf));
	EXPECT_STREQ("nvram:d/c", buf);
	swauth_storage_display(NULL, "/var/lib/swauth/flashy/c", buf, sizeof(buf));
	EXPECT_STREQ("/var/lib/swauth/flashy/c", buf);
	swauth_storage_display(NULL, "/boot/c", buf, sizeof(buf));
	EXPECT_STREQ("/boot/c", buf);
	ASSERT_EQ(0, swauth_config_parse("usbflash0-dir /u/\n", "c", &cfg, &err));
	swauth_storage_display(&cfg, "/u/x.SPA", buf, sizeof(buf));
	EXPECT_STREQ("usbflash0:x.SPA", buf);
}

static char *slurp(const char *path)
{
	static char buf[4096];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static int spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

TEST(config_set)
{
	char dir[] = "/tmp/swauth-cfgedit.XXXXXX", path[PATH_MAX], link[PATH_MAX];
	struct swauth_error err;
	struct stat st;
	char cmd[128];

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/swauth.conf", dir);

	/* Created when missing, 0644. */
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_config_set(path, "boot-image", "/f/a.SPA", &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("boot-image /f/a.SPA\n", slurp(path));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);

	/* Replaced in place, its comment and every other line kept. */
	ASSERT_EQ(0, spit(path, "# top\n\n  boot-image /old  # was\r\nbootloader-image /r # x\n"));
	ASSERT_EQ(0, chmod(path, 0600));
	ASSERT_EQ(0, swauth_config_set(path, "boot-image", "/f/b.SPA", &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("# top\n\nboot-image /f/b.SPA # was\r\nbootloader-image /r # x\n", slurp(path));
	ASSERT_EQ(0, stat(path, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);

	/* Removed; a commented-out line is not a setting. */
	ASSERT_EQ(0, spit(path, "#boot-image /x\nboot-image /y\nboot-imagex\n"));
	EXPECT_EQ(-EINVAL, swauth_config_set(path, "boot-image", NULL, &err));
	EXPECT_STREQ("swauth.conf:3: unknown keyword 'boot-imagex'", err.msg);
	EXPECT_STREQ("#boot-image /x\nboot-image /y\nboot-imagex\n", slurp(path));
	ASSERT_EQ(0, spit(path, "#boot-image /x\nboot-image /y\nnvram-dir /n"));
	ASSERT_EQ(0, swauth_config_set(path, "boot-image", NULL, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("#boot-image /x\nnvram-dir /n", slurp(path));
	/* Appended after a last line without its newline. */
	ASSERT_EQ(0, swauth_config_set(path, "boot-image", "/z", &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("#boot-image /x\nnvram-dir /n\nboot-image /z\n", slurp(path));

	/* Values the file cannot hold, and a result that would not parse. */
	EXPECT_EQ(-EINVAL, swauth_config_set(path, "boot-image", "/a b", &err));
	EXPECT_EQ(-EINVAL, swauth_config_set(path, "boot-image", "/a#b", &err));
	EXPECT_EQ(-EINVAL, swauth_config_set(path, "boot-image", "", &err));
	EXPECT_EQ(-EINVAL, swauth_config_set(path, "boot-image", "rel", &err));
	EXPECT_STREQ("swauth.conf:3: 'boot-image' needs an absolute path, not 'rel'", err.msg);
	EXPECT_STREQ("#boot-image /x\nnvram-dir /n\nboot-image /z\n", slurp(path));

	/* A symbolic link stays one; its target changes. */
	snprintf(link, sizeof(link), "%s/link.conf", dir);
	ASSERT_EQ(0, symlink("swauth.conf", link));
	ASSERT_EQ(0, swauth_config_set(link, "boot-image", "/w", &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, lstat(link, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_STREQ("#boot-image /x\nnvram-dir /n\nboot-image /w\n", slurp(path));

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ASSERT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN

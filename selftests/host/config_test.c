// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth.conf: good files, and every error with its line number.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lib/config.h"

#include "kselftest_harness.h"

static struct swauth_config cfg;

TEST(good)
{
	struct swauth_error err;

	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_config_parse("# swauth\n\n  boot-image   /boot/sys.SPB  # B\n"
					 "\tbootloader-image /boot/rom.SPB\r\n", "swauth.conf",
					 &cfg, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("/boot/sys.SPB", cfg.boot_image);
	EXPECT_STREQ("/boot/rom.SPB", cfg.bootloader_image);
	ASSERT_EQ(0, swauth_config_parse("", "swauth.conf", &cfg, &err));
	EXPECT_STREQ("", cfg.boot_image);
	ASSERT_EQ(0, swauth_config_parse("boot-image /x", "swauth.conf", &cfg, &err));
	EXPECT_STREQ("/x", cfg.boot_image);
	EXPECT_STREQ("", cfg.bootloader_image);
}

TEST(errors)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "# c\n\nbot-image /x\n", "swauth.conf:3: unknown keyword 'bot-image'" },
		{ "boot-image\n", "swauth.conf:1: 'boot-image' needs a PATH" },
		{ "boot-image # /x\n", "swauth.conf:1: 'boot-image' needs a PATH" },
		{ "\nbootloader-image /a /b\n",
		  "swauth.conf:2: 'bootloader-image' takes one PATH, found also '/b'" },
		{ "boot-image x.SPA\n", "swauth.conf:1: 'boot-image' needs an absolute path, not 'x.SPA'" },
		{ "boot-image /a\n#\nboot-image /b\n", "swauth.conf:3: 'boot-image' is given twice" },
		{ "Boot-Image /a\n", "swauth.conf:1: unknown keyword 'Boot-Image'" },
	};
	struct swauth_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		swauth_error_clear(&err);
		EXPECT_EQ(-EINVAL, swauth_config_parse(cases[i].text, "swauth.conf", &cfg, &err));
		EXPECT_STREQ(cases[i].msg, err.msg);
	}
}

/* The reload directories, the boot image's digest and the platform. */
TEST(reload_keywords)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "boot-image-digest ABCD\n",
		  "swauth.conf:1: 'boot-image-digest' needs 64, 96 or 128 lower-case hex digits, not 'ABCD'" },
		{ "boot-image-digest /x\n",
		  "swauth.conf:1: 'boot-image-digest' needs 64, 96 or 128 lower-case hex digits, not '/x'" },
		{ "boot-image-digest\n", "swauth.conf:1: 'boot-image-digest' needs a DIGEST" },
		{ "platform\n", "swauth.conf:1: 'platform' needs a NAME" },
		{ "platform a b\n", "swauth.conf:1: 'platform' takes one NAME, found also 'b'" },
		{ "platform x/y\n",
		  "swauth.conf:1: 'platform' takes letters, digits, '.', '_' and '-', not 'x/y'" },
		{ "platform aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
		  "swauth.conf:1: the value of 'platform' is too long" },
		{ "run-dir run\n", "swauth.conf:1: 'run-dir' needs an absolute path, not 'run'" },
		{ "state-dir /a\nstate-dir /a\n", "swauth.conf:2: 'state-dir' is given twice" },
	};
	char digest[129];
	char text[512];
	struct swauth_error err;
	size_t i;

	memset(digest, 'a', 128);
	digest[128] = '\0';
	snprintf(text, sizeof(text),
		 "boot-dir /boot/swauth\nstate-dir /var/lib/swauth\nrun-dir /run/swauth\n"
		 "boot-image-digest %s\nplatform c3900_x86-64.2\n", digest);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_config_parse(text, "swauth.conf", &cfg, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("/boot/swauth", cfg.boot_dir);
	EXPECT_STREQ("/var/lib/swauth", cfg.state_dir);
	EXPECT_STREQ("/run/swauth", cfg.run_dir);
	EXPECT_STREQ(digest, cfg.boot_image_digest);
	EXPECT_STREQ("c3900_x86-64.2", cfg.platform);
	digest[64] = '\0';
	snprintf(text, sizeof(text), "boot-image-digest %s\n", digest);
	EXPECT_EQ(0, swauth_config_parse(text, "swauth.conf", &cfg, &err));
	digest[63] = '\0';
	snprintf(text, sizeof(text), "boot-image-digest %s\n", digest);
	EXPECT_EQ(-EINVAL, swauth_config_parse(text, "swauth.conf", &cfg, &err));

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		swauth_error_clear(&err);
		EXPECT_NE(0, swauth_config_parse(cases[i].text, "swauth.conf", &cfg, &err));
		EXPECT_STREQ(cases[i].msg, err.msg);
	}
}

TEST(too_long)
{
	struct swauth_error err;
	char *text = malloc(PATH_MAX + 32);

	ASSERT_NE(NULL, text);
	strcpy(text, "boot-image /");
	memset(text + 12, 'a', PATH_MAX);
	text[12 + PATH_MAX] = '\0';
	EXPECT_EQ(-ENAMETOOLONG, swauth_config_parse(text, "c", &cfg, &err));
	EXPECT_STREQ("c:1: the path of 'boot-image' is too long", err.msg);
	free(text);
}

TEST(load_and_env)
{
	char path[] = "/tmp/swauth-conf-XXXXXX";
	struct swauth_error err;
	int fd = mkstemp(path);
	FILE *f;

	ASSERT_LE(0, fd);
	f = fdopen(fd, "w");
	ASSERT_NE(NULL, f);
	fputs("boot-image /b\nbootloader-image x\n", f);
	fclose(f);
	swauth_error_clear(&err);
	EXPECT_EQ(-EINVAL, swauth_config_load(path, &cfg, &err));
	/* Messages name the file by its base name. */
	EXPECT_NE(NULL, strstr(err.msg, "swauth-conf-")) TH_LOG("%s", err.msg);
	EXPECT_NE(NULL, strstr(err.msg, ":2: 'bootloader-image' needs an absolute path"))
		TH_LOG("%s", err.msg);
	unlink(path);
	/* A missing file configures nothing. */
	EXPECT_EQ(0, swauth_config_load(path, &cfg, &err));
	EXPECT_STREQ("", cfg.boot_image);

	setenv(SWAUTH_CONFIG_ENV, "/tmp/other.conf", 1);
	EXPECT_STREQ("/tmp/other.conf", swauth_config_path());
	setenv(SWAUTH_CONFIG_ENV, "", 1);
	EXPECT_STREQ(SWAUTH_CONFIG_PATH, swauth_config_path());
	unsetenv(SWAUTH_CONFIG_ENV);
	EXPECT_STREQ(SWAUTH_CONFIG_PATH, swauth_config_path());
}

TEST_HARNESS_MAIN

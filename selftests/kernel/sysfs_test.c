// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * /sys/kernel/swauth: one read-only value per file, consistent with the
 * netlink status.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "genl.h"
#include "kselftest_harness.h"

static const char *const files[] = {
	"version", "mode", "debug", "keys_rollover", "keys_production",
	"keys_special", "images_verified", "images_rejected", "verify_mem_peak",
	"boot", "boot_basis", "floor_production", "floor_special",
};

static int read_attr(const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/kernel/swauth/%s", name);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

TEST(read_only_files)
{
	char path[128];
	struct stat st;
	size_t i;

	ASSERT_EQ(0, module_ensure_loaded());
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/swauth/%s", files[i]);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(0444, st.st_mode & 07777) TH_LOG("%s", path);
		/* Not even root may write: there is no store method. */
		EXPECT_EQ(-1, open(path, O_WRONLY)) TH_LOG("%s", path);
		EXPECT_EQ(EACCES, errno);
	}
}

TEST(values_match_netlink)
{
	struct genl_status s;
	char buf[128];

	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, genl_set_debug(SWAUTH_DEBUG_F_REVOCATION));
	ASSERT_EQ(0, genl_get_status(&s));

	ASSERT_EQ(0, read_attr("version", buf, sizeof(buf)));
	buf[strcspn(buf, "\n")] = '\0';
	EXPECT_STREQ(s.version, buf);
	ASSERT_EQ(0, read_attr("mode", buf, sizeof(buf)));
	EXPECT_STREQ("verify-only\n", buf);
	ASSERT_EQ(0, read_attr("debug", buf, sizeof(buf)));
	EXPECT_EQ(SWAUTH_DEBUG_F_REVOCATION, strtoul(buf, NULL, 0));
	ASSERT_EQ(0, read_attr("keys_production", buf, sizeof(buf)));
	EXPECT_EQ(s.keys_production, strtoul(buf, NULL, 10));
	ASSERT_EQ(0, read_attr("images_rejected", buf, sizeof(buf)));
	EXPECT_EQ(s.images_rejected, strtoull(buf, NULL, 10));
	/* vm-run boots the kernel directly (QEMU's loader ID), never by kexec. */
	ASSERT_EQ(0, read_attr("boot", buf, sizeof(buf)));
	EXPECT_STREQ("cold\n", buf);
	EXPECT_EQ(SWAUTH_BOOT_COLD, s.boot);
	ASSERT_EQ(0, read_attr("boot_basis", buf, sizeof(buf)));
	EXPECT_STREQ("loader-id\n", buf);
	/* No floor yet. */
	ASSERT_EQ(0, read_attr("floor_production", buf, sizeof(buf)));
	EXPECT_STREQ("-\n", buf);
	ASSERT_EQ(0, read_attr("floor_special", buf, sizeof(buf)));
	EXPECT_STREQ("-\n", buf);
	ASSERT_EQ(0, genl_set_debug(0));
}

#define IMG "build/tests/images/"

/* A revocation shows in the floor files, as in the netlink status. */
TEST(floors_follow_revocation)
{
	char dir[] = "/tmp/swauth-sysfs-XXXXXX", params[64], buf[16];
	struct genl_change c;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(params, sizeof(params), "store_dir=%s", dir);
	ASSERT_EQ(0, module_reload(params));
	/* Only STORE_INIT creates a store in the empty directory. */
	ASSERT_EQ(0, genl_request(SWAUTH_CMD_STORE_INIT, SWAUTH_GENL_VERSION,
				  NULL, NULL, NULL));
	ASSERT_EQ(0, genl_provision(IMG "certs/production-A.der", NULL));
	ASSERT_EQ(0, genl_provision(IMG "certs/special-A.der", NULL));
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &c, NULL));
	ASSERT_EQ(0, genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				     NULL, 0, &c, NULL));
	ASSERT_EQ(0, read_attr("floor_special", buf, sizeof(buf)));
	EXPECT_STREQ("B\n", buf);
	ASSERT_EQ(0, read_attr("floor_production", buf, sizeof(buf)));
	EXPECT_STREQ("-\n", buf);
	ASSERT_EQ(0, read_attr("keys_special", buf, sizeof(buf)));
	EXPECT_STREQ("1\n", buf);
	EXPECT_EQ(0, module_reload(""));
}

TEST_HARNESS_MAIN

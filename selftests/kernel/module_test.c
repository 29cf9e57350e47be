// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Loading and unloading: the module comes and goes cleanly, repeatedly, and
 * with it the netlink family, the sysfs directory and the keyrings. The VM
 * runner fails the run on any kernel warning this provokes.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "genl.h"
#include "kselftest_harness.h"

static int keyrings_in_proc_keys(void)
{
	char line[512];
	int n = 0;
	FILE *f = fopen("/proc/keys", "r");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " keyring   .swauth_rollover:") ||
		    strstr(line, " keyring   .swauth_production:") ||
		    strstr(line, " keyring   .swauth_special:"))
			n++;
	fclose(f);
	return n;
}

TEST(load_unload_repeatedly)
{
	struct genl_status s;
	int i;

	ASSERT_EQ(0, module_ensure_loaded());
	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, module_unload()) TH_LOG("unload %d", i);
		EXPECT_EQ(-1, access("/sys/kernel/swauth", F_OK));
		EXPECT_EQ(-ENOENT, genl_get_status(&s));
		ASSERT_EQ(0, module_ensure_loaded()) TH_LOG("load %d", i);
		ASSERT_EQ(0, genl_get_status(&s));
		EXPECT_EQ(0, access("/sys/kernel/swauth/version", R_OK));
	}
}

/*
 * The live module owns exactly one keyring of each type. After unloading,
 * keys are garbage collected asynchronously, so only the lower bound is
 * checked across reloads; the count while loaded is exact once the
 * collector ran.
 */
TEST(keyrings_visible)
{
	int i;

	ASSERT_EQ(0, module_ensure_loaded());
	for (i = 0; i < 50 && keyrings_in_proc_keys() != 3; i++)
		usleep(100000);
	EXPECT_EQ(3, keyrings_in_proc_keys());
}

/* A second load of a loaded module is refused and changes nothing. */
TEST(double_load)
{
	struct genl_status s;
	int fd;

	ASSERT_EQ(0, module_ensure_loaded());
	fd = open(getenv("SWAUTH_MODULE"), O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, syscall(SYS_finit_module, fd, "", 0));
	EXPECT_EQ(EEXIST, errno);
	close(fd);
	ASSERT_EQ(0, genl_get_status(&s));
}

TEST_HARNESS_MAIN

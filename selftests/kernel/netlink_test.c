// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The generic netlink ABI of swauth.ko, one test per rule of
 * include/uapi/linux/swauth.h: what each command answers, and the exact
 * errno (and extack message) for every malformed or unauthorised request.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "genl.h"
#include "kselftest_harness.h"

FIXTURE(swauth) {
	uint32_t saved_debug;
};

FIXTURE_SETUP(swauth)
{
	struct genl_status s;

	ASSERT_EQ(0, module_ensure_loaded());
	ASSERT_EQ(0, genl_get_status(&s));
	self->saved_debug = s.debug;
}

FIXTURE_TEARDOWN(swauth)
{
	genl_set_debug(self->saved_debug);
}

/* The module reports its version, ABI, mode and built-in keys. */
TEST_F(swauth, status_reply)
{
	struct genl_status s;

	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_NE('\0', s.version[0]);
	EXPECT_EQ(SWAUTH_GENL_VERSION, s.abi_version);
	EXPECT_EQ(SWAUTH_MODE_VERIFY_ONLY, s.mode);
	/* The development hierarchy has one rollover key, built in. */
	EXPECT_EQ(1, s.keys_rollover);
	/* Nine values; the u64 ones may add padding attributes. */
	EXPECT_LE(9, s.nattrs);
}

/* SET_DEBUG takes effect and shows in the next status. */
TEST_F(swauth, set_debug_roundtrip)
{
	struct genl_status s;

	ASSERT_EQ(0, genl_set_debug(SWAUTH_DEBUG_F_ERRORS | SWAUTH_DEBUG_F_KEY));
	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_EQ(SWAUTH_DEBUG_F_ERRORS | SWAUTH_DEBUG_F_KEY, s.debug);
	ASSERT_EQ(0, genl_set_debug(0));
	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_EQ(0, s.debug);
	ASSERT_EQ(0, genl_set_debug(__SWAUTH_DEBUG_F_ALL));
	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_EQ(__SWAUTH_DEBUG_F_ALL, s.debug);
}

/* An unknown debug bit is refused with its own errno and message. */
TEST_F(swauth, set_debug_unknown_bit)
{
	const struct genl_attr attrs[] = {
		{ SWAUTH_A_DEBUG, __SWAUTH_DEBUG_F_ALL + 1 }, { 0 } };
	struct genl_status s;
	struct genl_ext ext;

	EXPECT_EQ(-EOPNOTSUPP, genl_request(SWAUTH_CMD_SET_DEBUG,
					    SWAUTH_GENL_VERSION, attrs, NULL,
					    &ext));
	EXPECT_STREQ("unknown debug category bit", ext.msg);
	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_EQ(self->saved_debug, s.debug);
}

/* SET_DEBUG without its attribute. */
TEST_F(swauth, set_debug_missing_attr)
{
	struct genl_ext ext;

	EXPECT_EQ(-EINVAL, genl_request(SWAUTH_CMD_SET_DEBUG,
					SWAUTH_GENL_VERSION, NULL, NULL,
					&ext));
	/* 6.1 names the missing attribute rather than saying so. */
	EXPECT_EQ(SWAUTH_A_DEBUG, ext.miss_type);
}

/* Strict validation: an attribute a command does not take is refused. */
TEST_F(swauth, unexpected_attr)
{
	const struct genl_attr debug[] = { { SWAUTH_A_DEBUG, 0 }, { 0 } };
	const struct genl_attr mode[] = { { SWAUTH_A_MODE, 1 }, { 0 } };
	const struct genl_attr beyond[] = { { SWAUTH_A_MAX + 1, 1 }, { 0 } };
	struct genl_ext ext;

	EXPECT_EQ(-EINVAL, genl_request(SWAUTH_CMD_GET_STATUS,
					SWAUTH_GENL_VERSION, debug, NULL, &ext));
	EXPECT_STREQ("Unsupported attribute", ext.msg);
	EXPECT_EQ(-EINVAL, genl_request(SWAUTH_CMD_SET_DEBUG,
					SWAUTH_GENL_VERSION, mode, NULL, NULL));
	EXPECT_EQ(-EINVAL, genl_request(SWAUTH_CMD_SET_DEBUG,
					SWAUTH_GENL_VERSION, beyond, NULL, NULL));
}

/* A request in another protocol version is refused before it runs. */
TEST_F(swauth, wrong_version)
{
	struct genl_ext ext;

	EXPECT_EQ(-EPFNOSUPPORT, genl_request(SWAUTH_CMD_GET_STATUS,
					      SWAUTH_GENL_VERSION + 1, NULL,
					      NULL, &ext));
	EXPECT_STREQ("unsupported swauth protocol version", ext.msg);
	EXPECT_EQ(-EPFNOSUPPORT, genl_request(SWAUTH_CMD_GET_STATUS, 0, NULL,
					      NULL, NULL));
}

/* Commands the module does not know. */
TEST_F(swauth, unknown_command)
{
	EXPECT_EQ(-EOPNOTSUPP, genl_request(SWAUTH_CMD_UNSPEC,
					    SWAUTH_GENL_VERSION, NULL, NULL, NULL));
	EXPECT_EQ(-EOPNOTSUPP, genl_request(SWAUTH_CMD_MAX + 1,
					    SWAUTH_GENL_VERSION, NULL, NULL, NULL));
}

/*
 * An unprivileged caller may read the status but gets EPERM on a
 * privileged command, and the state does not change.
 */
TEST_F(swauth, unprivileged)
{
	struct genl_status s;
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		/* nobody; dropping the uid drops every capability. */
		if (setgid(65534) || setuid(65534))
			_exit(10);
		if (genl_get_status(&s))
			_exit(11);
		if (genl_set_debug(__SWAUTH_DEBUG_F_ALL) != -EPERM)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, genl_get_status(&s));
	EXPECT_EQ(self->saved_debug, s.debug);
}

TEST_HARNESS_MAIN

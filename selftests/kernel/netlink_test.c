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
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>

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
	/* vm-run boots by QEMU's loader ID, a hint the module reports as such. */
	EXPECT_EQ(SWAUTH_BOOT_COLD, s.boot);
	EXPECT_EQ(SWAUTH_BOOT_BASIS_LOADER_ID, s.boot_basis);
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

/* A dump is refused in another version too, with the same message. */
TEST_F(swauth, wrong_version_dump)
{
	struct genl_keys *keys = malloc(sizeof(*keys));
	struct genl_ext ext;

	ASSERT_NE(NULL, keys);
	EXPECT_EQ(-EPFNOSUPPORT, genl_get_keys(SWAUTH_GENL_VERSION + 1, 0,
					       keys, &ext));
	EXPECT_STREQ("unsupported swauth protocol version", ext.msg);
	EXPECT_EQ(0, keys->n);
	EXPECT_EQ(-EPFNOSUPPORT, genl_get_keys(0, 0, keys, NULL));
	EXPECT_EQ(0, keys->n);
	ASSERT_EQ(0, genl_get_keys(SWAUTH_GENL_VERSION, 0, keys, NULL));
	EXPECT_EQ(1, keys->n);
	free(keys);
}

/* Descriptors are s32: a negative one is refused before it is looked at. */
TEST_F(swauth, negative_fd)
{
	const struct genl_attr add[] = { { SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL },
					 { SWAUTH_A_FD, (uint32_t)-1 }, { 0 } };
	const struct genl_attr revoke[] = {
		{ SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL },
		{ SWAUTH_A_FD, 0 }, { SWAUTH_A_BOOTLOADER_FD, (uint32_t)-5 },
		{ 0 } };
	struct genl_ext ext;

	EXPECT_EQ(-EBADF, genl_request(SWAUTH_CMD_KEY_ADD, SWAUTH_GENL_VERSION,
				       add, NULL, &ext));
	EXPECT_STREQ("not a file descriptor", ext.msg);
	EXPECT_EQ(-EBADF, genl_request(SWAUTH_CMD_KEY_REVOKE,
				       SWAUTH_GENL_VERSION, revoke, NULL, &ext));
	EXPECT_STREQ("not a file descriptor", ext.msg);
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

/*
 * Keeps uid 0 but only CAP_NET_ADMIN, in every set, as a network daemon
 * or a container runtime holds it. 0 or -errno.
 */
static int only_net_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {
		{ .effective = 1U << CAP_NET_ADMIN,
		  .permitted = 1U << CAP_NET_ADMIN },
	};
	int cap;

	for (cap = 0; cap < 64; cap++)
		if (cap != CAP_NET_ADMIN && prctl(PR_CAPBSET_DROP, cap) &&
		    errno != EINVAL)
			return -errno;
	return syscall(SYS_capset, &hdr, data) ? -errno : 0;
}

#define IMG "build/tests/images/"
#define CERTS IMG "certs/"

/*
 * CAP_NET_ADMIN is not enough to change trust: with key storage, a
 * special key B to revoke to and a production key B to provision, such a
 * process gets EPERM from PROVISION_KEY, KEY_ADD and KEY_REVOKE, and
 * nothing changes; SET_DEBUG and the queries still work.
 */
FIXTURE(privilege) {
	char dir[64];
};

FIXTURE_SETUP(privilege)
{
	char params[128];
	struct genl_change c;

	strcpy(self->dir, "/tmp/swauth-priv-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(params, sizeof(params), "store_dir=%s", self->dir);
	ASSERT_EQ(0, module_reload(params));
	/* Only STORE_INIT creates a store in the empty directory. */
	ASSERT_EQ(0, genl_request(SWAUTH_CMD_STORE_INIT, SWAUTH_GENL_VERSION,
				  NULL, NULL, NULL));
	ASSERT_EQ(0, genl_provision(CERTS "production-A.der", NULL));
	ASSERT_EQ(0, genl_provision(CERTS "special-A.der", NULL));
	ASSERT_EQ(0, genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				  &c, NULL));
}

FIXTURE_TEARDOWN(privilege)
{
	char cmd[128];

	module_reload("");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	system(cmd);
}

TEST_F(privilege, net_admin_changes_no_trust)
{
	struct genl_status before, after;
	struct genl_keys *keys;
	struct genl_change c;
	int status;
	pid_t pid;

	ASSERT_EQ(0, genl_get_status(&before));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct genl_status s;

		keys = malloc(sizeof(*keys));
		if (!keys || only_net_admin())
			_exit(10);
		if (genl_provision(CERTS "production-B.der", NULL) != -EPERM)
			_exit(11);
		if (genl_key_add(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-C.SPA",
				 &c, NULL) != -EPERM)
			_exit(12);
		if (genl_key_revoke(SWAUTH_KEY_SPECIAL, IMG "prod-A-special-B.SPA",
				    NULL, SWAUTH_REVOKE_F_FORCE, &c, NULL) != -EPERM)
			_exit(13);
		if (genl_set_debug(SWAUTH_DEBUG_F_SHOW) || genl_get_status(&s) ||
		    s.debug != SWAUTH_DEBUG_F_SHOW)
			_exit(14);
		if (genl_get_keys(SWAUTH_GENL_VERSION, 0, keys, NULL) ||
		    keys->n != 4)
			_exit(15);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, genl_get_status(&after));
	EXPECT_EQ(before.floor_production, after.floor_production);
	EXPECT_EQ(before.floor_special, after.floor_special);
	EXPECT_EQ(0, after.floor_special);
	EXPECT_EQ(before.keys_production, after.keys_production);
	EXPECT_EQ(before.keys_special, after.keys_special);
	EXPECT_EQ(2, after.keys_special);
	EXPECT_EQ(before.store_sequence, after.store_sequence);
	genl_set_debug(0);
}

TEST_HARNESS_MAIN

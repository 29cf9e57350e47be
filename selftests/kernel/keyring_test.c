// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The module's keyrings are visible but not writable from userspace: not by
 * root, not by anybody. Keys only enter through swauth's netlink commands.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <keyutils.h>

#include "genl.h"
#include "kselftest_harness.h"

/* Finds a keyring's serial in /proc/keys; 0 when absent. */
static key_serial_t find_keyring(const char *name)
{
	char line[512], want[64];
	key_serial_t id = 0;
	unsigned int serial;
	FILE *f = fopen("/proc/keys", "r");

	if (!f)
		return 0;
	snprintf(want, sizeof(want), " keyring   %s:", name);
	while (!id && fgets(line, sizeof(line), f))
		if (strstr(line, want) && sscanf(line, "%x", &serial) == 1 &&
		    !strstr(line, " dead "))
			id = (key_serial_t)serial;
	fclose(f);
	return id;
}

FIXTURE(keyring) {
	key_serial_t ids[3];
};

FIXTURE_SETUP(keyring)
{
	static const char *const names[] = {
		".swauth_rollover", ".swauth_production", ".swauth_special" };
	int i;

	ASSERT_EQ(0, module_ensure_loaded());
	for (i = 0; i < 3; i++) {
		self->ids[i] = find_keyring(names[i]);
		ASSERT_NE(0, self->ids[i]) TH_LOG("%s not in /proc/keys", names[i]);
	}
}

FIXTURE_TEARDOWN(keyring)
{
}

/* keyctl describe works: type, owner root, the dot-name. */
TEST_F(keyring, describe)
{
	char desc[256];
	int i;

	for (i = 0; i < 3; i++) {
		ASSERT_LT(0, keyctl_describe(self->ids[i], desc, sizeof(desc)));
		EXPECT_EQ(0, strncmp(desc, "keyring;0;0;", 12)) TH_LOG("%s", desc);
	}
}

/* Even root cannot add a key to a module keyring: no write permission. */
TEST_F(keyring, add_key_refused)
{
	int i;

	for (i = 0; i < 3; i++) {
		EXPECT_EQ(-1, add_key("user", "swauth-test", "x", 1, self->ids[i]));
		EXPECT_EQ(EACCES, errno);
	}
}

/* Nor link an existing key into one, nor clear it. */
TEST_F(keyring, link_and_clear_refused)
{
	key_serial_t user;
	int i;

	user = add_key("user", "swauth-test", "x", 1, KEY_SPEC_PROCESS_KEYRING);
	ASSERT_LT(0, user);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(-1, keyctl_link(user, self->ids[i]));
		EXPECT_EQ(EACCES, errno);
		EXPECT_EQ(-1, keyctl_clear(self->ids[i]));
		EXPECT_EQ(EACCES, errno);
	}
}

/* A userspace keyring cannot borrow the reserved dot-name. */
TEST(dot_name_reserved)
{
	EXPECT_EQ(-1, add_key("keyring", ".swauth_production", NULL, 0,
			      KEY_SPEC_PROCESS_KEYRING));
	EXPECT_EQ(EPERM, errno);
}

TEST_HARNESS_MAIN

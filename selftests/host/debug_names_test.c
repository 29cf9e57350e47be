// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Debug category names: the IOS keywords, exactly, and nothing else.
 */

#include <errno.h>
#include <string.h>

#include <linux/swauth.h>

#include "lib/netlink.h"

#include "kselftest_harness.h"

/* Every IOS keyword maps to its uapi bit. */
TEST(names_to_flags)
{
	static const struct { const char *name; uint32_t flag; } cases[] = {
		{ "envelope", SWAUTH_DEBUG_F_ENVELOPE },
		{ "errors", SWAUTH_DEBUG_F_ERRORS },
		{ "key", SWAUTH_DEBUG_F_KEY },
		{ "revocation", SWAUTH_DEBUG_F_REVOCATION },
		{ "show", SWAUTH_DEBUG_F_SHOW },
		{ "verbose", SWAUTH_DEBUG_F_VERBOSE },
		{ "all", __SWAUTH_DEBUG_F_ALL },
	};
	uint32_t flag;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		flag = 0;
		EXPECT_EQ(0, swauth_debug_from_name(cases[i].name, &flag)) TH_LOG("%s", cases[i].name);
		EXPECT_EQ(cases[i].flag, flag) TH_LOG("%s", cases[i].name);
	}
}

/* Case, prefixes, plurals and empty strings are not categories. */
TEST(unknown_names)
{
	static const char *const bad[] = {
		"bogus", "", "ERRORS", "error", "keys", "env", "all ", " key", "none",
	};
	uint32_t flag = 0xdead;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		EXPECT_EQ(-EINVAL, swauth_debug_from_name(bad[i], &flag)) TH_LOG("bad[%zu]", i);
	EXPECT_EQ(0xdead, flag);
}

/* The table covers __SWAUTH_DEBUG_F_ALL with one distinct bit per name. */
TEST(table_matches_uapi)
{
	const struct swauth_debug_category *c;
	uint32_t seen = 0;

	for (c = swauth_debug_categories; c->name; c++) {
		EXPECT_EQ(1, __builtin_popcount(c->flag)) TH_LOG("%s", c->name);
		EXPECT_EQ(0, seen & c->flag) TH_LOG("%s", c->name);
		seen |= c->flag;
		EXPECT_STREQ(c->name, swauth_debug_name(c->flag));
	}
	EXPECT_EQ(__SWAUTH_DEBUG_F_ALL, seen);
}

/* Bits outside the uapi set have no name. */
TEST(unknown_bits)
{
	EXPECT_EQ(NULL, swauth_debug_name(1U << 6));
	EXPECT_EQ(NULL, swauth_debug_name(1U << 31));
	EXPECT_EQ(NULL, swauth_debug_name(0));
	EXPECT_EQ(NULL, swauth_debug_name(SWAUTH_DEBUG_F_KEY | SWAUTH_DEBUG_F_SHOW));
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth_status_parse(): GET_STATUS replies built byte by byte with libmnl,
 * well-formed and malformed, as a kernel (or an attacker on a confused
 * socket) might send them.
 */

#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/swauth.h>

#include "lib/netlink.h"

#include "kselftest_harness.h"

enum { BUF_SIZE = 4096, FAMILY_ID = 0x20 };

#define HAS_ALL (SWAUTH_STATUS_HAS_VERSION | SWAUTH_STATUS_HAS_ABI_VERSION | \
		 SWAUTH_STATUS_HAS_MODE | SWAUTH_STATUS_HAS_DEBUG | \
		 SWAUTH_STATUS_HAS_KEYS_ROLLOVER | SWAUTH_STATUS_HAS_KEYS_PRODUCTION | \
		 SWAUTH_STATUS_HAS_KEYS_SPECIAL | SWAUTH_STATUS_HAS_IMAGES_VERIFIED | \
		 SWAUTH_STATUS_HAS_IMAGES_REJECTED | SWAUTH_STATUS_HAS_BOOT | \
		 SWAUTH_STATUS_HAS_BOOT_BASIS)

static struct nlmsghdr *start(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, BUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY_ID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SWAUTH_GENL_VERSION;
	return nlh;
}

/* Every attribute of version 1, except @skip (0 to skip none). */
static void put_all_but(struct nlmsghdr *nlh, uint16_t skip)
{
	if (skip != SWAUTH_A_VERSION)
		mnl_attr_put_strz(nlh, SWAUTH_A_VERSION, "1.2.3-test");
	if (skip != SWAUTH_A_ABI_VERSION)
		mnl_attr_put_u32(nlh, SWAUTH_A_ABI_VERSION, SWAUTH_GENL_VERSION);
	if (skip != SWAUTH_A_MODE)
		mnl_attr_put_u32(nlh, SWAUTH_A_MODE, SWAUTH_MODE_KEY_MANAGEMENT);
	if (skip != SWAUTH_A_DEBUG)
		mnl_attr_put_u32(nlh, SWAUTH_A_DEBUG, SWAUTH_DEBUG_F_ERRORS | SWAUTH_DEBUG_F_KEY);
	if (skip != SWAUTH_A_KEYS_ROLLOVER)
		mnl_attr_put_u32(nlh, SWAUTH_A_KEYS_ROLLOVER, 2);
	if (skip != SWAUTH_A_KEYS_PRODUCTION)
		mnl_attr_put_u32(nlh, SWAUTH_A_KEYS_PRODUCTION, 3);
	if (skip != SWAUTH_A_KEYS_SPECIAL)
		mnl_attr_put_u32(nlh, SWAUTH_A_KEYS_SPECIAL, 4);
	if (skip != SWAUTH_A_IMAGES_VERIFIED)
		mnl_attr_put_u64(nlh, SWAUTH_A_IMAGES_VERIFIED, 5);
	if (skip != SWAUTH_A_IMAGES_REJECTED)
		mnl_attr_put_u64(nlh, SWAUTH_A_IMAGES_REJECTED, 1ULL << 40);
	if (skip != SWAUTH_A_BOOT)
		mnl_attr_put_u32(nlh, SWAUTH_A_BOOT, SWAUTH_BOOT_WARM);
	if (skip != SWAUTH_A_BOOT_BASIS)
		mnl_attr_put_u32(nlh, SWAUTH_A_BOOT_BASIS, SWAUTH_BOOT_BASIS_LOADER_ID);
}

static int parse(struct nlmsghdr *nlh, struct swauth_status *st, struct swauth_error *err)
{
	swauth_error_clear(err);
	return swauth_status_parse(nlh, st, err);
}

/* A complete reply fills every field and sets every has-flag. */
TEST(full_reply)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;

	put_all_but(nlh, 0);
	ASSERT_EQ(0, parse(nlh, &st, &err));
	EXPECT_EQ(HAS_ALL, st.has);
	EXPECT_STREQ("1.2.3-test", st.version);
	EXPECT_EQ(SWAUTH_GENL_VERSION, st.abi_version);
	EXPECT_EQ(SWAUTH_MODE_KEY_MANAGEMENT, st.mode);
	EXPECT_EQ(SWAUTH_DEBUG_F_ERRORS | SWAUTH_DEBUG_F_KEY, st.debug);
	EXPECT_EQ(2, st.keys_rollover);
	EXPECT_EQ(3, st.keys_production);
	EXPECT_EQ(4, st.keys_special);
	EXPECT_EQ(5, st.images_verified);
	EXPECT_EQ(1ULL << 40, st.images_rejected);
	EXPECT_EQ(SWAUTH_BOOT_WARM, st.boot);
}

/* A reply with no attributes is valid and reports nothing. */
TEST(empty_reply)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;

	ASSERT_EQ(0, parse(nlh, &st, &err));
	EXPECT_EQ(0, st.has);
}

/* A missing attribute clears exactly its has-flag and leaves the field zero. */
TEST(missing_attribute_clears_has_flag)
{
	static const struct { uint16_t attr; uint32_t has; } cases[] = {
		{ SWAUTH_A_VERSION, SWAUTH_STATUS_HAS_VERSION },
		{ SWAUTH_A_MODE, SWAUTH_STATUS_HAS_MODE },
		{ SWAUTH_A_DEBUG, SWAUTH_STATUS_HAS_DEBUG },
		{ SWAUTH_A_KEYS_SPECIAL, SWAUTH_STATUS_HAS_KEYS_SPECIAL },
		{ SWAUTH_A_BOOT, SWAUTH_STATUS_HAS_BOOT },
		{ SWAUTH_A_BOOT_BASIS, SWAUTH_STATUS_HAS_BOOT_BASIS },
		{ SWAUTH_A_IMAGES_REJECTED, SWAUTH_STATUS_HAS_IMAGES_REJECTED },
	};
	char buf[BUF_SIZE];
	struct swauth_status st;
	struct swauth_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);

		put_all_but(nlh, cases[i].attr);
		ASSERT_EQ(0, parse(nlh, &st, &err));
		EXPECT_EQ(HAS_ALL & ~cases[i].has, st.has) TH_LOG("attribute %u", cases[i].attr);
	}
	EXPECT_EQ(0, st.images_rejected);
	EXPECT_EQ(3, st.keys_production);
}

/* Attributes from a newer module, UNSPEC and PAD are skipped whatever their length. */
TEST(unknown_attributes_ignored)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;
	char junk[13] = "not a number";

	mnl_attr_put(nlh, SWAUTH_A_MAX + 1, sizeof(junk), junk);
	mnl_attr_put(nlh, SWAUTH_A_UNSPEC, 3, junk);
	mnl_attr_put(nlh, SWAUTH_A_PAD, 0, NULL);
	put_all_but(nlh, 0);
	mnl_attr_put(nlh, 0x3fff, 1, junk);
	ASSERT_EQ(0, parse(nlh, &st, &err));
	EXPECT_EQ(HAS_ALL, st.has);
	EXPECT_EQ(4, st.keys_special);
	EXPECT_STREQ("", err.msg);
}

/* A u32 attribute of any other length than 4 is rejected and named. */
TEST(u32_wrong_length)
{
	static const uint16_t lens[] = { 0, 1, 2, 3, 5, 8 };
	char buf[BUF_SIZE];
	struct swauth_status st;
	struct swauth_error err;
	char data[8] = { 0 };
	size_t i;

	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);

		mnl_attr_put_strz(nlh, SWAUTH_A_VERSION, "v");
		mnl_attr_put(nlh, SWAUTH_A_MODE, lens[i], data);
		EXPECT_EQ(-EBADMSG, parse(nlh, &st, &err)) TH_LOG("length %u", lens[i]);
		EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_MODE")) TH_LOG("%s", err.msg);
		EXPECT_NE(NULL, strstr(err.msg, "expected 4")) TH_LOG("%s", err.msg);
	}
}

/* A u64 counter sent as a u32 is rejected, not read past its end. */
TEST(u64_wrong_length)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;

	mnl_attr_put_u32(nlh, SWAUTH_A_IMAGES_VERIFIED, 7);
	ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));
	EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_IMAGES_VERIFIED has length 4, expected 8"))
		TH_LOG("%s", err.msg);
}

/* The version string must carry its NUL inside the attribute. */
TEST(string_without_nul)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;

	mnl_attr_put(nlh, SWAUTH_A_VERSION, 3, "abc");
	ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));
	EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_VERSION is not NUL-terminated"))
		TH_LOG("%s", err.msg);
}

/* An empty string attribute (no NUL at all) is rejected too. */
TEST(string_empty_payload)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;

	mnl_attr_put(nlh, SWAUTH_A_VERSION, 0, NULL);
	ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));
	EXPECT_EQ(0, st.has);
}

/* SWAUTH_VERSION_LEN bytes with the NUL fit; one more does not. */
TEST(string_length_limit)
{
	char buf[BUF_SIZE], ver[SWAUTH_VERSION_LEN + 1];
	struct nlmsghdr *nlh;
	struct swauth_status st;
	struct swauth_error err;

	memset(ver, 'x', sizeof(ver));
	ver[SWAUTH_VERSION_LEN - 1] = '\0';
	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	mnl_attr_put(nlh, SWAUTH_A_VERSION, SWAUTH_VERSION_LEN, ver);
	ASSERT_EQ(0, parse(nlh, &st, &err));
	EXPECT_EQ(SWAUTH_VERSION_LEN - 1, strlen(st.version));

	ver[SWAUTH_VERSION_LEN - 1] = 'x';
	ver[SWAUTH_VERSION_LEN] = '\0';
	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	mnl_attr_put(nlh, SWAUTH_A_VERSION, SWAUTH_VERSION_LEN + 1, ver);
	ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));
	EXPECT_NE(NULL, strstr(err.msg, "at most 64")) TH_LOG("%s", err.msg);
}

/* An attribute whose length runs past the end of the message is an error, not EOF. */
TEST(truncated_attribute)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;

	mnl_attr_put_u32(nlh, SWAUTH_A_MODE, SWAUTH_MODE_VERIFY_ONLY);
	mnl_attr_put_u64(nlh, SWAUTH_A_IMAGES_VERIFIED, 1);
	nlh->nlmsg_len -= 4;
	ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));
	EXPECT_NE(NULL, strstr(err.msg, "truncated")) TH_LOG("%s", err.msg);

	/* Three stray bytes: too short for an attribute header. */
	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	mnl_attr_put_u32(nlh, SWAUTH_A_MODE, SWAUTH_MODE_VERIFY_ONLY);
	nlh->nlmsg_len += 3;
	ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));

	/* A u64 cut by two bytes: it would end inside the alignment padding. */
	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	mnl_attr_put_u64(nlh, SWAUTH_A_IMAGES_VERIFIED, 1);
	nlh->nlmsg_len -= 2;
	ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));
	EXPECT_NE(NULL, strstr(err.msg, "not a multiple of 4")) TH_LOG("%s", err.msg);
}

/* Too short for the genetlink header. */
TEST(short_message)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;

	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + GENL_HDRLEN - 1;
	ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));
	EXPECT_NE(NULL, strstr(err.msg, "too short")) TH_LOG("%s", err.msg);
}

/* A reply to another command is not a status. */
TEST(wrong_command)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_SET_DEBUG);
	struct swauth_status st;
	struct swauth_error err;

	put_all_but(nlh, 0);
	ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));
	EXPECT_EQ(0, st.has);
}

/* The record of a running image the module measured. */
static void put_measured(struct nlmsghdr *nlh, const uint8_t *digest, uint16_t digest_len)
{
	mnl_attr_put_u32(nlh, SWAUTH_A_RUNNING, SWAUTH_RUNNING_MEASURED);
	mnl_attr_put_strz(nlh, SWAUTH_A_IMAGE_NAME, "v2");
	mnl_attr_put_strz(nlh, SWAUTH_A_IMAGE_VERSION, "1.0");
	mnl_attr_put_u32(nlh, SWAUTH_A_IMAGE_TYPE, SWAUTH_IMAGE_PRODUCTION);
	mnl_attr_put_u32(nlh, SWAUTH_A_SIGNER_KEY_TYPE, SWAUTH_KEY_PRODUCTION);
	mnl_attr_put_u32(nlh, SWAUTH_A_SIGNER_KEY_VERSION, 'B');
	mnl_attr_put_u32(nlh, SWAUTH_A_HASH_ALGO, SWAUTH_HASH_SHA512);
	mnl_attr_put(nlh, SWAUTH_A_EMBEDDED_DIGEST, digest_len, digest);
	mnl_attr_put_u64(nlh, SWAUTH_A_BUILD_TIME, 1700000000);
	mnl_attr_put_strz(nlh, SWAUTH_A_RUNNING_KERNEL,
			  "6.1.0-57-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)");
}

/* MEASURED: the running image's record fills its fields. */
TEST(running_measured)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;
	uint8_t digest[64];
	size_t i;

	for (i = 0; i < sizeof(digest); i++)
		digest[i] = (uint8_t)(i * 3 + 1);
	put_all_but(nlh, 0);
	put_measured(nlh, digest, sizeof(digest));
	ASSERT_EQ(0, parse(nlh, &st, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(HAS_ALL | SWAUTH_STATUS_HAS_RUNNING | SWAUTH_STATUS_HAS_IMAGE_NAME |
		  SWAUTH_STATUS_HAS_IMAGE_VERSION | SWAUTH_STATUS_HAS_IMAGE_TYPE |
		  SWAUTH_STATUS_HAS_SIGNER_KEY_TYPE | SWAUTH_STATUS_HAS_SIGNER_KEY_VERSION |
		  SWAUTH_STATUS_HAS_HASH_ALGO | SWAUTH_STATUS_HAS_EMBEDDED_DIGEST |
		  SWAUTH_STATUS_HAS_BUILD_TIME | SWAUTH_STATUS_HAS_RUNNING_KERNEL, st.has);
	EXPECT_TRUE(swauth_status_running_measured(&st));
	EXPECT_EQ(NULL, swauth_status_running_why(&st));
	EXPECT_STREQ("v2", st.image_name);
	EXPECT_STREQ("1.0", st.image_version);
	EXPECT_EQ(SWAUTH_IMAGE_PRODUCTION, st.image_type);
	EXPECT_EQ(SWAUTH_KEY_PRODUCTION, st.signer_key_type);
	EXPECT_EQ('B', st.signer_key_version);
	EXPECT_EQ(SWAUTH_HASH_SHA512, st.hash_algo);
	EXPECT_EQ(64, st.embedded_digest_len);
	EXPECT_EQ(0, memcmp(digest, st.embedded_digest, sizeof(digest)));
	EXPECT_EQ(1700000000, st.build_time);
	EXPECT_STREQ("6.1.0-57-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.158-1 (2025-11-09)",
		     st.running_kernel);

	/* A shorter digest (SHA-256) keeps its length. */
	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	put_measured(nlh, digest, 32);
	ASSERT_EQ(0, parse(nlh, &st, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(32, st.embedded_digest_len);
}

/* UNKNOWN says why; an old module says nothing, and that is not knowing either. */
TEST(running_unknown)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;

	mnl_attr_put_u32(nlh, SWAUTH_A_RUNNING, SWAUTH_RUNNING_UNKNOWN);
	mnl_attr_put_strz(nlh, SWAUTH_A_RUNNING_WHY, "no swauth record in the initramfs");
	ASSERT_EQ(0, parse(nlh, &st, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(SWAUTH_STATUS_HAS_RUNNING | SWAUTH_STATUS_HAS_RUNNING_WHY, st.has);
	EXPECT_FALSE(swauth_status_running_measured(&st));
	EXPECT_STREQ("no swauth record in the initramfs", swauth_status_running_why(&st));

	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	mnl_attr_put_u32(nlh, SWAUTH_A_RUNNING, SWAUTH_RUNNING_UNKNOWN);
	ASSERT_EQ(0, parse(nlh, &st, &err));
	EXPECT_STREQ("the module does not say why", swauth_status_running_why(&st));

	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	mnl_attr_put_u32(nlh, SWAUTH_A_RUNNING, SWAUTH_RUNNING_MAX + 1);
	ASSERT_EQ(0, parse(nlh, &st, &err));
	EXPECT_FALSE(swauth_status_running_measured(&st));
	EXPECT_STREQ("the module reports a state this version of swauth does not know",
		     swauth_status_running_why(&st));

	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	put_all_but(nlh, 0);
	ASSERT_EQ(0, parse(nlh, &st, &err));
	EXPECT_FALSE(swauth_status_running_measured(&st));
	EXPECT_STREQ("the module does not report it", swauth_status_running_why(&st));
}

/* A malformed part of the running image's record is named. */
TEST(running_malformed)
{
	static const struct { uint16_t attr, len; const char *msg; } cases[] = {
		{ SWAUTH_A_RUNNING, 8, "SWAUTH_A_RUNNING has length 8, expected 4" },
		{ SWAUTH_A_IMAGE_TYPE, 2, "SWAUTH_A_IMAGE_TYPE has length 2, expected 4" },
		{ SWAUTH_A_BUILD_TIME, 4, "SWAUTH_A_BUILD_TIME has length 4, expected 8" },
		{ SWAUTH_A_EMBEDDED_DIGEST, 0,
		  "SWAUTH_A_EMBEDDED_DIGEST has length 0, expected 1 to 64" },
		{ SWAUTH_A_EMBEDDED_DIGEST, 65,
		  "SWAUTH_A_EMBEDDED_DIGEST has length 65, expected 1 to 64" },
		{ SWAUTH_A_RUNNING_WHY, 5, "SWAUTH_A_RUNNING_WHY is not NUL-terminated" },
		{ SWAUTH_A_IMAGE_NAME, 3, "SWAUTH_A_IMAGE_NAME is not NUL-terminated" },
		{ SWAUTH_A_RUNNING_KERNEL, 7, "SWAUTH_A_RUNNING_KERNEL is not NUL-terminated" },
	};
	char buf[BUF_SIZE], data[80];
	struct swauth_status st;
	struct swauth_error err;
	size_t i;

	memset(data, 'x', sizeof(data));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);

		mnl_attr_put(nlh, cases[i].attr, cases[i].len, data);
		EXPECT_EQ(-EBADMSG, parse(nlh, &st, &err)) TH_LOG("case %zu", i);
		EXPECT_NE(NULL, strstr(err.msg, cases[i].msg)) TH_LOG("%s", err.msg);
	}
}

/* Each string is bounded by its own field: the header's, or the kernel's. */
TEST(running_string_limits)
{
	static const struct { uint16_t attr; size_t max; } cases[] = {
		{ SWAUTH_A_IMAGE_NAME, SWAUTH_STATUS_NAME_LEN },
		{ SWAUTH_A_IMAGE_VERSION, SWAUTH_STATUS_IMAGE_VERSION_LEN },
		{ SWAUTH_A_RUNNING_WHY, SWAUTH_STATUS_WHY_LEN },
		{ SWAUTH_A_RUNNING_KERNEL, SWAUTH_STATUS_KERNEL_LEN },
	};
	char buf[BUF_SIZE], s[SWAUTH_STATUS_KERNEL_LEN + 1], msg[32];
	struct swauth_status st;
	struct swauth_error err;
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(s, 'x', sizeof(s));
		s[cases[i].max - 1] = '\0';
		nlh = start(buf, SWAUTH_CMD_GET_STATUS);
		mnl_attr_put(nlh, cases[i].attr, cases[i].max, s);
		ASSERT_EQ(0, parse(nlh, &st, &err)) TH_LOG("%s", err.msg);

		s[cases[i].max - 1] = 'x';
		s[cases[i].max] = '\0';
		nlh = start(buf, SWAUTH_CMD_GET_STATUS);
		mnl_attr_put(nlh, cases[i].attr, cases[i].max + 1, s);
		ASSERT_EQ(-EBADMSG, parse(nlh, &st, &err));
		snprintf(msg, sizeof(msg), "at most %zu allowed", cases[i].max);
		EXPECT_NE(NULL, strstr(err.msg, msg)) TH_LOG("%s", err.msg);
	}
}

/* The signer's version is a letter: 0 is not "no key". */
TEST(running_signer_version)
{
	static const uint32_t bad[] = { 0, 'A' - 1, 'Z' + 1, 'a' };
	char buf[BUF_SIZE];
	struct swauth_status st;
	struct swauth_error err;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);

		mnl_attr_put_u32(nlh, SWAUTH_A_SIGNER_KEY_VERSION, bad[i]);
		EXPECT_EQ(-EBADMSG, parse(nlh, &st, &err)) TH_LOG("%u", bad[i]);
		EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_SIGNER_KEY_VERSION is")) TH_LOG("%s", err.msg);
	}
}

/* Mode names used by both printers. */
TEST(mode_names)
{
	EXPECT_STREQ("verify-only", swauth_status_mode_name(SWAUTH_MODE_VERIFY_ONLY));
	EXPECT_STREQ("key-management", swauth_status_mode_name(SWAUTH_MODE_KEY_MANAGEMENT));
	EXPECT_STREQ("unknown", swauth_status_mode_name(SWAUTH_MODE_UNSPEC));
	EXPECT_STREQ("unknown", swauth_status_mode_name(SWAUTH_MODE_MAX + 1));
}

TEST_HARNESS_MAIN

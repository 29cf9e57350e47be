// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/verdict.c: every uapi value has its words, the words are unique, and
 * messages that can name the keys do.
 */

#include <string.h>

#include <linux/swauth.h>

#include "lib/image.h"

#include "kselftest_harness.h"

/* Every verdict has its own message and token; none falls back to "unknown". */
TEST(every_verdict_has_a_message)
{
	uint32_t v, w;

	for (v = 0; v <= SWAUTH_VERDICT_MAX; v++) {
		EXPECT_STRNE(swauth_verdict_message(SWAUTH_VERDICT_MAX + 1),
			     swauth_verdict_message(v)) {
			TH_LOG("verdict %u has no message", v);
		}
		EXPECT_STRNE("unknown", swauth_verdict_token(v)) {
			TH_LOG("verdict %u has no token", v);
		}
		for (w = 0; w < v; w++) {
			EXPECT_STRNE(swauth_verdict_message(w), swauth_verdict_message(v));
			EXPECT_STRNE(swauth_verdict_token(w), swauth_verdict_token(v));
		}
	}
	EXPECT_STREQ("ok", swauth_verdict_token(SWAUTH_VERDICT_OK));
	EXPECT_STREQ("bad magic: not a swauth image",
		     swauth_verdict_message(SWAUTH_VERDICT_BAD_MAGIC));
	EXPECT_STREQ("unknown", swauth_verdict_token(SWAUTH_VERDICT_MAX + 1));
}

TEST(names)
{
	uint32_t i;

	for (i = 1; i <= SWAUTH_IMAGE_MAX; i++)
		EXPECT_STRNE("Unknown image type", swauth_image_type_name(i));
	for (i = 1; i <= SWAUTH_KEY_MAX; i++)
		EXPECT_STRNE("Unknown key type", swauth_key_type_name(i));
	for (i = 1; i <= SWAUTH_HASH_MAX; i++)
		EXPECT_STRNE("unknown", swauth_hash_algo_name(i));
	EXPECT_STREQ("Production image", swauth_image_type_name(SWAUTH_IMAGE_PRODUCTION));
	EXPECT_STREQ("Bootloader image", swauth_image_type_name(SWAUTH_IMAGE_BOOTLOADER));
	EXPECT_STREQ("Release", swauth_key_type_name(SWAUTH_KEY_PRODUCTION));
	EXPECT_STREQ("Development", swauth_key_type_name(SWAUTH_KEY_SPECIAL));
	EXPECT_STREQ("SHA512", swauth_hash_algo_name(SWAUTH_HASH_SHA512));
	EXPECT_STREQ("Unknown image type", swauth_image_type_name(0));
	EXPECT_STREQ("unknown", swauth_hash_algo_name(SWAUTH_HASH_MAX + 1));
}

/* A mismatch names the key that signed and the key the header claims. */
TEST(describe_mismatch)
{
	struct swauth_verify_result r = {
		.has = SWAUTH_VERIFY_HAS_VERDICT | SWAUTH_VERIFY_HAS_KEY_TYPE |
		       SWAUTH_VERIFY_HAS_KEY_VERSION | SWAUTH_VERIFY_HAS_SIGNER_KEY_TYPE |
		       SWAUTH_VERIFY_HAS_SIGNER_KEY_VERSION,
		.verdict = SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH,
		.key_type = SWAUTH_KEY_PRODUCTION, .key_version = 'A',
		.signer_key_type = SWAUTH_KEY_SPECIAL, .signer_key_version = 'B',
	};
	char buf[256];

	swauth_verdict_describe(&r, buf, sizeof(buf));
	EXPECT_STREQ("signed by special key B, but the header claims production key A", buf);
	r.verdict = SWAUTH_VERDICT_UNKNOWN_KEY;
	swauth_verdict_describe(&r, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "no trusted production key A"));
	/* Without the fields to name, the generic message. */
	r.has = SWAUTH_VERIFY_HAS_VERDICT;
	swauth_verdict_describe(&r, buf, sizeof(buf));
	EXPECT_STREQ(swauth_verdict_message(SWAUTH_VERDICT_UNKNOWN_KEY), buf);
	r.verdict = SWAUTH_VERDICT_MAX + 3;
	swauth_verdict_describe(&r, buf, sizeof(buf));
	EXPECT_NE(NULL, strstr(buf, "unknown verdict"));
}

TEST_HARNESS_MAIN

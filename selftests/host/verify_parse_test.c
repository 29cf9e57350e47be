// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth_verify_parse(): VERIFY_IMAGE replies built byte by byte with
 * libmnl, well-formed and malformed, as a kernel (or an attacker on a
 * confused socket) might send them.
 */

#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/swauth.h>

#include "lib/verify.h"

#include "kselftest_harness.h"

enum { BUF_SIZE = 16384, FAMILY_ID = 0x20 };

static const uint8_t digest[64] = { 0xde, 0xad, 0xbe, 0xef, [63] = 0x42 };
static const uint8_t cert[300] = { 0x30, 0x82, 0x01, 0x28 };

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

/* A complete OK reply, SHA-512, except @skip (0 to skip none). */
static void put_all_but(struct nlmsghdr *nlh, uint16_t skip)
{
#define PUT32(a, v) do { if (skip != (a)) mnl_attr_put_u32(nlh, a, v); } while (0)
#define PUT64(a, v) do { if (skip != (a)) mnl_attr_put_u64(nlh, a, v); } while (0)
#define PUTS(a, v) do { if (skip != (a)) mnl_attr_put_strz(nlh, a, v); } while (0)
#define PUTB(a, p, l) do { if (skip != (a)) mnl_attr_put(nlh, a, l, p); } while (0)
	PUT32(SWAUTH_A_VERDICT, SWAUTH_VERDICT_OK);
	PUT64(SWAUTH_A_FILE_SIZE, 1000000);
	PUT32(SWAUTH_A_IMAGE_TYPE, SWAUTH_IMAGE_SPECIAL);
	PUT32(SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL);
	PUT32(SWAUTH_A_KEY_VERSION, 'B');
	PUT32(SWAUTH_A_HASH_ALGO, SWAUTH_HASH_SHA512);
	PUT64(SWAUTH_A_PAYLOAD_SIZE, 999000);
	PUT64(SWAUTH_A_BUILD_TIME, 1700000000);
	PUTS(SWAUTH_A_IMAGE_NAME, "c3900-universalk9-mz");
	PUTS(SWAUTH_A_IMAGE_VERSION, "15.0(1)M");
	PUTS(SWAUTH_A_PLATFORM, "c3900");
	PUT32(SWAUTH_A_SIG_BITS, 2048);
	PUTB(SWAUTH_A_EMBEDDED_DIGEST, digest, 64);
	PUT32(SWAUTH_A_SIGNER_KEY_TYPE, SWAUTH_KEY_SPECIAL);
	PUT32(SWAUTH_A_SIGNER_KEY_VERSION, 'B');
	PUTB(SWAUTH_A_SIGNER_CERT, cert, sizeof(cert));
	PUTB(SWAUTH_A_COMPUTED_DIGEST, digest, 64);
}

static int parse(struct nlmsghdr *nlh, struct swauth_verify_result *r, struct swauth_error *err)
{
	swauth_error_clear(err);
	return swauth_verify_parse(nlh, r, err);
}

FIXTURE(reply) {
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh;
	struct swauth_verify_result r;
	struct swauth_error err;
};

FIXTURE_SETUP(reply)
{
	self->nlh = start(self->buf, SWAUTH_CMD_VERIFY_IMAGE);
}

FIXTURE_TEARDOWN(reply)
{
}

/* A complete reply fills every field and sets every has-flag. */
TEST_F(reply, full)
{
	put_all_but(self->nlh, 0);
	ASSERT_EQ(0, parse(self->nlh, &self->r, &self->err)) {
		TH_LOG("%s", self->err.msg);
	}
	EXPECT_EQ(0x1ffff, self->r.has);
	EXPECT_EQ(SWAUTH_VERDICT_OK, self->r.verdict);
	EXPECT_EQ(1000000, self->r.file_size);
	EXPECT_EQ(SWAUTH_IMAGE_SPECIAL, self->r.image_type);
	EXPECT_EQ('B', self->r.key_version);
	EXPECT_EQ(999000, self->r.payload_size);
	EXPECT_EQ(1700000000, self->r.build_time);
	EXPECT_STREQ("c3900-universalk9-mz", self->r.image_name);
	EXPECT_STREQ("15.0(1)M", self->r.image_version);
	EXPECT_STREQ("c3900", self->r.platform);
	EXPECT_EQ(2048, self->r.sig_bits);
	EXPECT_EQ(64, self->r.embedded_digest_len);
	EXPECT_EQ(0, memcmp(digest, self->r.embedded_digest, 64));
	EXPECT_EQ(64, self->r.computed_digest_len);
	EXPECT_EQ(sizeof(cert), self->r.signer_cert_len);
	EXPECT_EQ(0, memcmp(cert, self->r.signer_cert, sizeof(cert)));
	EXPECT_EQ(SWAUTH_VERIFIER_KERNEL, self->r.verifier);
}

/* A verdict before the header parsed carries only the verdict and the size. */
TEST_F(reply, minimal_failure)
{
	mnl_attr_put_u32(self->nlh, SWAUTH_A_VERDICT, SWAUTH_VERDICT_BAD_MAGIC);
	mnl_attr_put_u64(self->nlh, SWAUTH_A_FILE_SIZE, 12);
	ASSERT_EQ(0, parse(self->nlh, &self->r, &self->err));
	EXPECT_EQ(SWAUTH_VERIFY_HAS_VERDICT | SWAUTH_VERIFY_HAS_FILE_SIZE, self->r.has);
	EXPECT_EQ(SWAUTH_VERDICT_BAD_MAGIC, self->r.verdict);
}

/* Unknown attributes, and SWAUTH_A_PAD, are skipped: later modules add some. */
TEST_F(reply, unknown_attributes_ignored)
{
	put_all_but(self->nlh, 0);
	mnl_attr_put_u64(self->nlh, SWAUTH_A_MAX + 1, 7);
	mnl_attr_put_u16(self->nlh, SWAUTH_A_PAD, 0);
	mnl_attr_put_u16(self->nlh, SWAUTH_A_CERT, 0);
	EXPECT_EQ(0, parse(self->nlh, &self->r, &self->err));
}

/* A newer module's verdict is a result, not a malformed reply. */
TEST_F(reply, unknown_verdict_kept)
{
	mnl_attr_put_u32(self->nlh, SWAUTH_A_VERDICT, SWAUTH_VERDICT_MAX + 5);
	mnl_attr_put_u64(self->nlh, SWAUTH_A_FILE_SIZE, 12);
	ASSERT_EQ(0, parse(self->nlh, &self->r, &self->err));
	EXPECT_EQ(SWAUTH_VERDICT_MAX + 5, self->r.verdict);
}

/* The two attributes every reply has. */
TEST_F(reply, missing_verdict)
{
	put_all_but(self->nlh, SWAUTH_A_VERDICT);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "SWAUTH_A_VERDICT"));
}

TEST_F(reply, missing_file_size)
{
	put_all_but(self->nlh, SWAUTH_A_FILE_SIZE);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "SWAUTH_A_FILE_SIZE"));
}

/* OK without the header's attributes would print an image we know nothing of. */
TEST_F(reply, ok_without_header)
{
	put_all_but(self->nlh, SWAUTH_A_PLATFORM);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

/* Each scalar attribute with a payload of the wrong size. */
TEST_F(reply, scalar_wrong_length)
{
	static const uint16_t scalars[] = {
		SWAUTH_A_VERDICT, SWAUTH_A_FILE_SIZE, SWAUTH_A_IMAGE_TYPE, SWAUTH_A_KEY_TYPE,
		SWAUTH_A_KEY_VERSION, SWAUTH_A_HASH_ALGO, SWAUTH_A_PAYLOAD_SIZE,
		SWAUTH_A_BUILD_TIME, SWAUTH_A_SIG_BITS, SWAUTH_A_SIGNER_KEY_TYPE,
		SWAUTH_A_SIGNER_KEY_VERSION,
	};
	size_t i;

	for (i = 0; i < sizeof(scalars) / sizeof(scalars[0]); i++) {
		struct nlmsghdr *nlh = start(self->buf, SWAUTH_CMD_VERIFY_IMAGE);

		put_all_but(nlh, scalars[i]);
		mnl_attr_put_u16(nlh, scalars[i], 1);
		EXPECT_EQ(-EBADMSG, parse(nlh, &self->r, &self->err)) {
			TH_LOG("attribute %u accepted with length 2", scalars[i]);
		}
		EXPECT_NE(NULL, strstr(self->err.msg, "has length 2"));
	}
}

/* Strings: unterminated, too long for the header field, empty payload. */
TEST_F(reply, string_unterminated)
{
	put_all_but(self->nlh, SWAUTH_A_IMAGE_NAME);
	mnl_attr_put(self->nlh, SWAUTH_A_IMAGE_NAME, 4, "abcd");
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "not NUL-terminated"));
}

TEST_F(reply, string_too_long)
{
	char name[80];

	memset(name, 'x', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	put_all_but(self->nlh, SWAUTH_A_PLATFORM);
	mnl_attr_put_strz(self->nlh, SWAUTH_A_PLATFORM, name);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "at most 32"));
}

TEST_F(reply, string_empty_payload)
{
	put_all_but(self->nlh, SWAUTH_A_IMAGE_VERSION);
	mnl_attr_put(self->nlh, SWAUTH_A_IMAGE_VERSION, 0, NULL);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

/* A digest must have the size of the hash the reply names. */
TEST_F(reply, embedded_digest_wrong_length)
{
	put_all_but(self->nlh, SWAUTH_A_EMBEDDED_DIGEST);
	mnl_attr_put(self->nlh, SWAUTH_A_EMBEDDED_DIGEST, 32, digest);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "SWAUTH_A_EMBEDDED_DIGEST has length 32, expected 64"));
}

TEST_F(reply, computed_digest_wrong_length)
{
	put_all_but(self->nlh, SWAUTH_A_COMPUTED_DIGEST);
	mnl_attr_put(self->nlh, SWAUTH_A_COMPUTED_DIGEST, 48, digest);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "SWAUTH_A_COMPUTED_DIGEST has length 48, expected 64"));
}

TEST_F(reply, digest_too_long)
{
	uint8_t big[65] = { 0 };

	put_all_but(self->nlh, SWAUTH_A_COMPUTED_DIGEST);
	mnl_attr_put(self->nlh, SWAUTH_A_COMPUTED_DIGEST, sizeof(big), big);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

/* SHA-256 digests with SHA-256 named are fine. */
TEST_F(reply, sha256_digests)
{
	put_all_but(self->nlh, 0);
	self->nlh = start(self->buf, SWAUTH_CMD_VERIFY_IMAGE);
	mnl_attr_put_u32(self->nlh, SWAUTH_A_VERDICT, SWAUTH_VERDICT_BAD_DIGEST);
	mnl_attr_put_u64(self->nlh, SWAUTH_A_FILE_SIZE, 1000);
	mnl_attr_put(self->nlh, SWAUTH_A_COMPUTED_DIGEST, 32, digest);
	mnl_attr_put_u32(self->nlh, SWAUTH_A_HASH_ALGO, SWAUTH_HASH_SHA256);
	mnl_attr_put(self->nlh, SWAUTH_A_EMBEDDED_DIGEST, 32, digest);
	EXPECT_EQ(0, parse(self->nlh, &self->r, &self->err)) {
		TH_LOG("%s", self->err.msg);
	}
	EXPECT_EQ(32, self->r.computed_digest_len);
}

TEST_F(reply, digest_without_hash_algo)
{
	put_all_but(self->nlh, SWAUTH_A_HASH_ALGO);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

TEST_F(reply, digest_with_unknown_hash_algo)
{
	put_all_but(self->nlh, SWAUTH_A_HASH_ALGO);
	mnl_attr_put_u32(self->nlh, SWAUTH_A_HASH_ALGO, SWAUTH_HASH_MAX + 1);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

/* The signer certificate: not empty, not larger than SWAUTH_CERT_MAX. */
TEST_F(reply, cert_empty)
{
	put_all_but(self->nlh, SWAUTH_A_SIGNER_CERT);
	mnl_attr_put(self->nlh, SWAUTH_A_SIGNER_CERT, 0, NULL);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

TEST_F(reply, cert_too_large)
{
	static uint8_t big[SWAUTH_CERT_MAX + 1];

	put_all_but(self->nlh, SWAUTH_A_SIGNER_CERT);
	mnl_attr_put(self->nlh, SWAUTH_A_SIGNER_CERT, sizeof(big), big);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

/* Key versions are letters. */
TEST_F(reply, key_version_not_a_letter)
{
	put_all_but(self->nlh, SWAUTH_A_KEY_VERSION);
	mnl_attr_put_u32(self->nlh, SWAUTH_A_KEY_VERSION, 'a');
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

TEST_F(reply, signer_version_not_a_letter)
{
	put_all_but(self->nlh, SWAUTH_A_SIGNER_KEY_VERSION);
	mnl_attr_put_u32(self->nlh, SWAUTH_A_SIGNER_KEY_VERSION, 0);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

/* One value per attribute: a second one would silently win. */
TEST_F(reply, duplicate_attribute)
{
	put_all_but(self->nlh, 0);
	mnl_attr_put_u32(self->nlh, SWAUTH_A_VERDICT, SWAUTH_VERDICT_BAD_DIGEST);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "twice"));
}

/* An attribute that runs past the end of the message. */
TEST_F(reply, truncated_attribute)
{
	put_all_but(self->nlh, 0);
	self->nlh->nlmsg_len -= 2;
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

TEST_F(reply, wrong_command)
{
	self->nlh = start(self->buf, SWAUTH_CMD_GET_STATUS);
	put_all_but(self->nlh, 0);
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

TEST_F(reply, too_short_for_genl)
{
	self->nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	EXPECT_EQ(-EBADMSG, parse(self->nlh, &self->r, &self->err));
}

TEST_HARNESS_MAIN

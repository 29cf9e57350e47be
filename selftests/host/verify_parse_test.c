// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth_verify_convert(): struct swauth_verify_arg as SWAUTH_IOC_VERIFY
 * and SWAUTH_IOC_SEAL fill it, well-formed and malformed, as a kernel (or
 * a module of another version, or a bug) might return it. A malformed
 * answer is an error with its own message, never a verdict.
 */

#include <errno.h>
#include <string.h>

#include <linux/swauth.h>

#include "lib/image.h"

#include "kselftest_harness.h"

static const uint8_t cert[300] = { 0x30, 0x82, 0x01, 0x28, [299] = 0x99 };

/* A complete OK answer of VERIFY, SHA-512, signed by special B. */
static void fill_ok(struct swauth_verify_arg *a)
{
	memset(a, 0, sizeof(*a));
	a->fd = 3;
	a->verdict = SWAUTH_VERDICT_OK;
	a->valid = SWAUTH_VERIFY_V_HEADER | SWAUTH_VERIFY_V_SIGNER | SWAUTH_VERIFY_V_COMPUTED;
	a->image_type = SWAUTH_IMAGE_SPECIAL;
	a->key_type = SWAUTH_KEY_SPECIAL;
	a->key_version = 'B';
	a->hash_algo = SWAUTH_HASH_SHA512;
	a->sig_bits = 2048;
	a->digest_size = 64;
	a->signer_key_type = SWAUTH_KEY_SPECIAL;
	a->signer_key_version = 'B';
	a->signer_cert_len = sizeof(cert);
	a->kernel_fd = -1;
	a->initrd_fd = -1;
	a->file_size = 1000000;
	a->payload_size = 999000;
	a->build_time = 1700000000;
	strcpy(a->image_name, "c3900-universalk9-mz");
	strcpy(a->image_version, "15.0(1)M");
	strcpy(a->platform, "c3900");
	memset(a->embedded_digest, 0xab, 64);
	memset(a->computed_digest, 0xab, 64);
}

FIXTURE(conv) {
	struct swauth_verify_arg a;
	struct swauth_verify_result r;
	struct swauth_error err;
};

FIXTURE_SETUP(conv)
{
	fill_ok(&self->a);
	swauth_error_clear(&self->err);
}

FIXTURE_TEARDOWN(conv)
{
}

static int conv(struct swauth_verify_arg *a, struct swauth_verify_result *r,
		struct swauth_error *err)
{
	swauth_error_clear(err);
	return swauth_verify_convert(a, cert, sizeof(cert), r, err);
}

/* A complete answer fills every field and sets every has-flag but the fds. */
TEST_F(conv, full)
{
	ASSERT_EQ(0, conv(&self->a, &self->r, &self->err)) {
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
	EXPECT_EQ(64, self->r.computed_digest_len);
	EXPECT_EQ(0xab, self->r.computed_digest[63]);
	EXPECT_EQ(sizeof(cert), self->r.signer_cert_len);
	EXPECT_EQ(0, memcmp(cert, self->r.signer_cert, sizeof(cert)));
	EXPECT_EQ(SWAUTH_VERIFIER_KERNEL, self->r.verifier);
}

/* A verdict before the header parsed carries only the verdict and the size. */
TEST_F(conv, minimal_failure)
{
	struct swauth_verify_arg *a = &self->a;

	memset(a, 0, sizeof(*a));
	a->verdict = SWAUTH_VERDICT_BAD_MAGIC;
	a->file_size = 12;
	a->kernel_fd = a->initrd_fd = -1;
	ASSERT_EQ(0, conv(a, &self->r, &self->err));
	EXPECT_EQ(SWAUTH_VERIFY_HAS_VERDICT | SWAUTH_VERIFY_HAS_FILE_SIZE, self->r.has);
	EXPECT_EQ(SWAUTH_VERDICT_BAD_MAGIC, self->r.verdict);
}

/* A SHA-256 image: 32-byte digests. */
TEST_F(conv, sha256)
{
	self->a.hash_algo = SWAUTH_HASH_SHA256;
	self->a.digest_size = 32;
	ASSERT_EQ(0, conv(&self->a, &self->r, &self->err));
	EXPECT_EQ(32, self->r.embedded_digest_len);
	EXPECT_EQ(32, self->r.computed_digest_len);
}

/* SEAL with the verdict OK: the two descriptors. */
TEST_F(conv, sealed)
{
	self->a.valid |= SWAUTH_VERIFY_V_SEALED;
	self->a.kernel_fd = 5;
	self->a.initrd_fd = 6;
	ASSERT_EQ(0, conv(&self->a, &self->r, &self->err));
	EXPECT_EQ(0x7ffff, self->r.has);
	EXPECT_EQ(5, self->r.kernel_fd);
	EXPECT_EQ(6, self->r.initrd_fd);
}

/* Each malformed answer: -EBADMSG with its own message. */
struct bad_case {
	const char *what;
	void (*spoil)(struct swauth_verify_arg *a);
	const char *msg;
};

#define SPOIL(name, body) static void name(struct swauth_verify_arg *a) { body; }

SPOIL(verdict_range, a->verdict = SWAUTH_VERDICT_MAX + 1)
SPOIL(valid_unknown, a->valid |= 1U << 4)
SPOIL(name_no_nul, memset(a->image_name, 'x', sizeof(a->image_name)))
SPOIL(version_no_nul, memset(a->image_version, 'x', sizeof(a->image_version)))
SPOIL(platform_no_nul, memset(a->platform, 'x', sizeof(a->platform)))
SPOIL(digest_size_wrong, a->digest_size = 32)
SPOIL(digest_size_huge, a->digest_size = 65)
SPOIL(hash_unknown, a->hash_algo = SWAUTH_HASH_MAX + 1)
SPOIL(image_type_zero, a->image_type = 0)
SPOIL(key_type_range, a->key_type = SWAUTH_KEY_MAX + 1)
SPOIL(key_version_bad, a->key_version = 'a')
SPOIL(signer_version_bad, a->signer_key_version = 0)
SPOIL(signer_type_bad, a->signer_key_type = 0)
SPOIL(cert_too_long, a->signer_cert_len = sizeof(cert) + 1)
SPOIL(cert_empty, a->signer_cert_len = 0)
SPOIL(ok_without_header, a->valid &= ~SWAUTH_VERIFY_V_HEADER)
SPOIL(computed_without_header,
      a->verdict = SWAUTH_VERDICT_BAD_DIGEST; a->valid &= ~SWAUTH_VERIFY_V_HEADER)
SPOIL(fds_without_sealed, a->kernel_fd = 5; a->initrd_fd = 6)
SPOIL(fd_zero_without_sealed, a->kernel_fd = 0)
SPOIL(sealed_negative_fd, a->valid |= SWAUTH_VERIFY_V_SEALED; a->kernel_fd = -1; a->initrd_fd = 4)
SPOIL(sealed_same_fd, a->valid |= SWAUTH_VERIFY_V_SEALED; a->kernel_fd = 4; a->initrd_fd = 4)
SPOIL(sealed_bad_verdict, a->valid |= SWAUTH_VERIFY_V_SEALED; a->kernel_fd = 4;
      a->initrd_fd = 5; a->verdict = SWAUTH_VERDICT_BAD_DIGEST)

static const struct bad_case bad_cases[] = {
	{ "verdict", verdict_range, "verdict 20 out of range" },
	{ "valid", valid_unknown, "unknown valid bits 0x10" },
	{ "name", name_no_nul, "image_name is not NUL-terminated" },
	{ "version", version_no_nul, "image_version is not NUL-terminated" },
	{ "platform", platform_no_nul, "platform is not NUL-terminated" },
	{ "digest size", digest_size_wrong, "digest size 32, expected 64 for hash algorithm 3" },
	{ "digest size", digest_size_huge, "digest size 65, expected 64 for hash algorithm 3" },
	{ "hash", hash_unknown, "hash algorithm 4 is unknown" },
	{ "image type", image_type_zero, "image type 0 out of range" },
	{ "key type", key_type_range, "key type 4 out of range" },
	{ "key version", key_version_bad, "key version 97 is not a letter A to Z" },
	{ "signer version", signer_version_bad, "signer key version 0 is not a letter A to Z" },
	{ "signer type", signer_type_bad, "signer key type 0 out of range" },
	{ "cert", cert_too_long, "signer certificate of 301 bytes, the buffer has 300" },
	{ "cert", cert_empty, "signer certificate of 0 bytes, the buffer has 300" },
	{ "header", ok_without_header, "verdict OK without the image header" },
	{ "header", computed_without_header, "a computed digest without the image header" },
	{ "fds", fds_without_sealed, "descriptors 5 and 6 without sealed copies" },
	{ "fds", fd_zero_without_sealed, "descriptors 0 and -1 without sealed copies" },
	{ "fds", sealed_negative_fd, "sealed copies as descriptors -1 and 4" },
	{ "fds", sealed_same_fd, "sealed copies as descriptors 4 and 4" },
	{ "fds", sealed_bad_verdict, "sealed copies with verdict 19" },
};

TEST_F(conv, malformed)
{
	char want[256];
	size_t i;

	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		fill_ok(&self->a);
		bad_cases[i].spoil(&self->a);
		EXPECT_EQ(-EBADMSG, conv(&self->a, &self->r, &self->err)) {
			TH_LOG("case %zu (%s) was accepted", i, bad_cases[i].what);
		}
		snprintf(want, sizeof(want), "malformed answer from swauth.ko: %s",
			 bad_cases[i].msg);
		EXPECT_STREQ(want, self->err.msg);
	}
}

/* A smaller caller buffer bounds the certificate, too. */
TEST_F(conv, cert_buffer_bound)
{
	swauth_error_clear(&self->err);
	EXPECT_EQ(-EBADMSG, swauth_verify_convert(&self->a, cert, 100, &self->r, &self->err));
	EXPECT_STREQ("malformed answer from swauth.ko: signer certificate of 300 bytes, the buffer has 100",
		     self->err.msg);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * `swauth show file` and `swauth verify` as a user runs them, with the
 * userspace verifier: the exact lines of the seeds' layouts (FEATURES
 * A7.3, A9.2), the JSON keys, and the exit codes. The expected digests and
 * serial are computed here independently with OpenSSL.
 */

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <linux/swauth.h>

#include "lib/image.h"
#include "selftests/host/imagegen.h"

#include "kselftest_harness.h"

enum { OUT_MAX = 16384, PAYLOAD_SIZE = 70000 };

FIXTURE(cli) {
	char dir[64];
	char keys[PATH_MAX];
	char image[PATH_MAX];
	char tool[PATH_MAX];
	char out[OUT_MAX];
	uint8_t payload[PAYLOAD_SIZE];
};

FIXTURE_SETUP(cli)
{
	char self_path[PATH_MAX];
	ssize_t n;
	size_t i;

	ASSERT_EQ(0, imagegen_keys_dir(self->keys, sizeof(self->keys)));
	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	ASSERT_LT(0, n);
	self_path[n] = '\0';
	snprintf(self->tool, sizeof(self->tool), "%s/bin/swauth", dirname(self_path));
	if (getenv("SWAUTH_BIN") && getenv("SWAUTH_BIN")[0])
		snprintf(self->tool, sizeof(self->tool), "%s", getenv("SWAUTH_BIN"));
	snprintf(self->dir, sizeof(self->dir), "/tmp/swauth-cli.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->image, sizeof(self->image), "%s/c3900.SPA", self->dir);
	for (i = 0; i < PAYLOAD_SIZE; i++)
		self->payload[i] = (uint8_t)(i ^ (i >> 9));
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE,
				   self->image));
}

FIXTURE_TEARDOWN(cli)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* Run the tool with @args (one shell word string); stdout in self->out. */
static int run(char *out, const char *tool, const char *args)
{
	char cmd[PATH_MAX * 4];
	size_t n;
	FILE *p;
	int status;

	snprintf(cmd, sizeof(cmd), "env -u SWAUTH_MODULE '%s' %s 2>/dev/null", tool, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	n = fread(out, 1, OUT_MAX - 1, p);
	out[n] = '\0';
	status = pclose(p);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void hex_lines(char *buf, size_t len, const char *label, const uint8_t *d, unsigned int n)
{
	size_t off = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (i % 16 == 0)
			off += snprintf(buf + off, len - off, "%-22s", i ? "" : label);
		off += snprintf(buf + off, len - off, "%02X", d[i]);
		if (i % 16 == 15 || i == n - 1)
			off += snprintf(buf + off, len - off, "\n");
	}
}

static void digest(const EVP_MD *md, const void *p, size_t len, uint8_t *out, unsigned int *n)
{
	EVP_Digest(p, len, out, n, md, NULL);
}

/* The MD5 of a whole file, computed here. */
static void file_md5(struct __test_metadata *_metadata, const char *path, uint8_t md5[16])
{
	uint8_t *file;
	unsigned int n;
	struct stat st;
	FILE *f;

	ASSERT_EQ(0, stat(path, &st));
	file = malloc(st.st_size);
	ASSERT_NE(NULL, file);
	f = fopen(path, "rb");
	ASSERT_NE(NULL, f);
	ASSERT_EQ((size_t)st.st_size, fread(file, 1, st.st_size, f));
	fclose(f);
	digest(EVP_md5(), file, st.st_size, md5, &n);
	free(file);
}

/* The seeds' `show software authenticity file` layout, line for line. */
TEST_F(cli, show_file_layout)
{
	char args[PATH_MAX * 2], cert[PATH_MAX], expected[2048];
	uint8_t der[SWAUTH_CERT_MAX];
	struct swauth_cert_info info;
	struct swauth_error err;
	size_t len;

	snprintf(cert, sizeof(cert), "%s/production-A.crt", self->keys);
	ASSERT_EQ(0, swauth_cert_read_file(cert, der, sizeof(der), &len, &err));
	ASSERT_EQ(0, swauth_cert_info(der, len, &info, &err));
	snprintf(args, sizeof(args), "show file --userspace -r '%s' -t '%s' '%s'", self->keys,
		 self->keys, self->image);
	ASSERT_EQ(0, run(self->out, self->tool, args));
	snprintf(expected, sizeof(expected),
		 "File Name                     : %s\n"
		 "Image type                    : Release\n"
		 "    Signer Information\n"
		 "        Common Name           : swauth production key A\n"
		 "        Organization Unit     : Release\n"
		 "        Organization Name     : swauth\n"
		 "    Certificate Serial Number : %s\n"
		 "    Hash Algorithm            : SHA512\n"
		 "    Signature Algorithm       : 2048-bit RSA\n"
		 "    Key Version               : A\n"
		 "Verdict                       : verified\n"
		 "Verified by                   : userspace (OpenSSL), --userspace\n",
		 self->image, info.serial);
	EXPECT_STREQ(expected, self->out);
}

/* Every documented JSON key is there, unknown ones as null. */
TEST_F(cli, show_file_json)
{
	static const char *const keys[] = {
		"\"file\":", "\"verdict\":\"ok\"", "\"verdict_code\":0", "\"message\":",
		"\"verifier\":\"userspace\"", "\"verified_by\":", "\"file_size\":",
		"\"image_type\":\"production\"", "\"key_type\":\"production\"",
		"\"key_version\":\"A\"", "\"hash_algorithm\":\"SHA512\"",
		"\"signature_bits\":2048", "\"payload_size\":70000", "\"build_time\":1700000000",
		"\"image_name\":\"test-image\"", "\"image_version\":\"1.0\"",
		"\"platform\":\"test\"", "\"embedded_digest\":\"", "\"computed_digest\":\"",
		"\"signer\":{\"key_type\":\"production\",\"key_version\":\"A\","
		"\"common_name\":\"swauth production key A\"", "\"organization_unit\":\"Release\"",
		"\"organization_name\":\"swauth\"", "\"serial\":\"",
	};
	char args[PATH_MAX * 2];
	size_t i;

	snprintf(args, sizeof(args), "show file --json -u -r '%s' -t '%s' '%s'", self->keys,
		 self->keys, self->image);
	ASSERT_EQ(0, run(self->out, self->tool, args));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *hit = strstr(self->out, keys[i]);

		if (!hit)
			TH_LOG("missing: %s", keys[i]);
		EXPECT_TRUE(hit != NULL);
	}

	/* A file that is not an image: header fields and signer are null. */
	snprintf(args, sizeof(args), "show file --json -u -r '%s' -t '%s' /dev/null", self->keys,
		 self->keys);
	EXPECT_EQ(1, run(self->out, self->tool, args));
	EXPECT_NE(NULL, strstr(self->out, "\"verdict\":\"not-regular\""));
	EXPECT_NE(NULL, strstr(self->out, "\"image_type\":null"));
	EXPECT_NE(NULL, strstr(self->out, "\"signer\":null"));
}

/* The seeds' `copy /verify` block, with hashes computed here. */
TEST_F(cli, verify_layout)
{
	char args[PATH_MAX * 2], expected[4096], block[1024];
	uint8_t sha[64], md5[16];
	unsigned int n;

	file_md5(_metadata, self->image, md5);
	digest(EVP_sha512(), self->payload, PAYLOAD_SIZE, sha, &n);

	snprintf(expected, sizeof(expected),
		 "Verifying file integrity of %s\nStarting image verification\n"
		 "Hash Computation:    100%% Done!\n", self->image);
	hex_lines(block, sizeof(block), "Computed Hash   SHA2: ", sha, 64);
	strcat(expected, block);
	strcat(expected, "\n");
	hex_lines(block, sizeof(block), "Embedded Hash   SHA2: ", sha, 64);
	strcat(expected, block);
	strcat(expected, "\n");
	hex_lines(block, sizeof(block), "CCO Hash        MD5 : ", md5, 16);
	strcat(expected, block);
	snprintf(block, sizeof(block),
		 "Digital signature successfully verified in file %s\n"
		 "Verified by: userspace (OpenSSL), --userspace\n", self->image);
	strcat(expected, block);

	snprintf(args, sizeof(args), "verify -u -r '%s' -t '%s' '%s'", self->keys, self->keys,
		 self->image);
	ASSERT_EQ(0, run(self->out, self->tool, args));
	EXPECT_STREQ(expected, self->out);
}

/* A changed payload: exit 1, both hashes shown, and the reason. */
TEST_F(cli, verify_bad_digest)
{
	char args[PATH_MAX * 2], line[PATH_MAX + 128];
	struct stat st;

	ASSERT_EQ(0, stat(self->image, &st));
	ASSERT_EQ(0, imagegen_flip(self->image, st.st_size - 1));
	snprintf(args, sizeof(args), "verify -u -r '%s' -t '%s' '%s'", self->keys, self->keys,
		 self->image);
	EXPECT_EQ(1, run(self->out, self->tool, args));
	EXPECT_NE(NULL, strstr(self->out, "Computed Hash   SHA2: "));
	EXPECT_NE(NULL, strstr(self->out, "Embedded Hash   SHA2: "));
	snprintf(line, sizeof(line),
		 "%%Error: digital signature verification failed in file %s: bad digest: the payload's SHA512 differs from the one that was signed\n",
		 self->image);
	EXPECT_NE(NULL, strstr(self->out, line)) {
		TH_LOG("%s", self->out);
	}
}

/* Rejected before the payload is read: no Computed Hash line. */
TEST_F(cli, show_file_unknown_key)
{
	char args[PATH_MAX * 3], trust[PATH_MAX];
	static const char *const only_b[] = { "production-B", NULL };

	snprintf(trust, sizeof(trust), "%s/trust", self->dir);
	ASSERT_EQ(0, imagegen_trust_dir(self->keys, trust, only_b));
	snprintf(args, sizeof(args), "show file -u -r '%s' -t '%s' '%s'", self->keys, trust,
		 self->image);
	EXPECT_EQ(1, run(self->out, self->tool, args));
	EXPECT_NE(NULL, strstr(self->out, "        Common Name           : -\n"));
	EXPECT_NE(NULL, strstr(self->out,
			       "Verdict                       : FAILED: no trusted production key A: the header names a key this system does not have\n"));
	snprintf(args, sizeof(args), "verify -u -r '%s' -t '%s' '%s'", self->keys, trust,
		 self->image);
	EXPECT_EQ(1, run(self->out, self->tool, args));
	EXPECT_EQ(NULL, strstr(self->out, "Computed Hash"));
	EXPECT_NE(NULL, strstr(self->out, "Embedded Hash   SHA2: "));
}

/* Without --userspace and without the module, userspace answers and says why. */
TEST_F(cli, fallback_says_so)
{
	char args[PATH_MAX * 2];

	if (!access("/sys/module/swauth", F_OK))
		SKIP(return, "the swauth module is loaded");
	snprintf(args, sizeof(args), "verify -r '%s' -t '%s' '%s'", self->keys, self->keys,
		 self->image);
	ASSERT_EQ(0, run(self->out, self->tool, args));
	EXPECT_NE(NULL, strstr(self->out, "Verified by: userspace (OpenSSL), module not loaded\n"));
}

/* Writes @text as DIR/floors, as `swauth key revoke` mirrors the module's. */
static void write_floors(struct __test_metadata *_metadata, const char *dir, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	snprintf(path, sizeof(path), "%s/floors", dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs(text, f);
	ASSERT_EQ(0, fclose(f));
}

/*
 * An image signed by a revoked key (below the floor the trust store
 * mirrors from the module) fails in userspace too, though its certificate
 * is still in the trust directory.
 */
TEST_F(cli, revoked_key_refused)
{
	static const char *const both[] = { "production-A", "production-B", NULL };
	char args[PATH_MAX * 3], trust[PATH_MAX];

	snprintf(trust, sizeof(trust), "%s/trust", self->dir);
	ASSERT_EQ(0, imagegen_trust_dir(self->keys, trust, both));
	snprintf(args, sizeof(args), "verify -u -r '%s' -t '%s' '%s'", self->keys, trust,
		 self->image);
	ASSERT_EQ(0, run(self->out, self->tool, args));
	write_floors(_metadata, trust, "production B\n");
	EXPECT_EQ(1, run(self->out, self->tool, args));
	EXPECT_NE(NULL, strstr(self->out, "no trusted production key A")) {
		TH_LOG("%s", self->out);
	}
	snprintf(args, sizeof(args), "show file -u -r '%s' -t '%s' '%s'", self->keys, trust,
		 self->image);
	EXPECT_EQ(1, run(self->out, self->tool, args));
	/* The floor of another type does not touch production keys. */
	write_floors(_metadata, trust, "special C\n");
	snprintf(args, sizeof(args), "verify -u -r '%s' -t '%s' '%s'", self->keys, trust,
		 self->image);
	EXPECT_EQ(0, run(self->out, self->tool, args));
}

/* A floors file that cannot be read as one is an error, never "no floors". */
TEST_F(cli, malformed_floors)
{
	static const char *const bad[] = {
		"production b\n", "production B", "production\n", "release B\n",
		"production B\nproduction C\n", "production BC\n", "production  B\n",
	};
	static const char *const only_a[] = { "production-A", NULL };
	char args[PATH_MAX * 3], trust[PATH_MAX];
	size_t i;

	snprintf(trust, sizeof(trust), "%s/trust", self->dir);
	ASSERT_EQ(0, imagegen_trust_dir(self->keys, trust, only_a));
	snprintf(args, sizeof(args), "verify -u -r '%s' -t '%s' '%s'", self->keys, trust,
		 self->image);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_floors(_metadata, trust, bad[i]);
		EXPECT_EQ(3, run(self->out, self->tool, args)) {
			TH_LOG("floors file \"%s\" was accepted", bad[i]);
		}
		EXPECT_EQ(NULL, strstr(self->out, "Verified by"));
	}
}

/* verify --json: one object, the verdict, who gave it and why, the digests. */
TEST_F(cli, verify_json)
{
	char args[PATH_MAX * 2], md5hex[40], want[128];
	uint8_t md5[16];
	struct stat st;
	unsigned int i;
	static const char *const keys[] = {
		"{\"file\":", "\"verdict\":\"ok\"", "\"verdict_code\":0", "\"message\":",
		"\"verifier\":\"userspace\"", "\"verifier_reason\":\"userspace-option\"",
		"\"verified_by\":\"userspace (OpenSSL), --userspace\"",
		"\"image_type\":\"production\"", "\"key_version\":\"A\"",
		"\"embedded_digest\":\"", "\"computed_digest\":\"",
		"\"signer\":{\"key_type\":\"production\"",
	};

	ASSERT_EQ(0, stat(self->image, &st));
	file_md5(_metadata, self->image, md5);
	for (i = 0; i < 16; i++)
		sprintf(md5hex + 2 * i, "%02x", md5[i]);

	snprintf(args, sizeof(args), "verify --json -u -r '%s' -t '%s' '%s'", self->keys,
		 self->keys, self->image);
	ASSERT_EQ(0, run(self->out, self->tool, args));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *hit = strstr(self->out, keys[i]);

		if (!hit)
			TH_LOG("missing: %s in %s", keys[i], self->out);
		EXPECT_TRUE(hit != NULL);
	}
	snprintf(want, sizeof(want), "\"md5\":\"%s\"", md5hex);
	EXPECT_NE(NULL, strstr(self->out, want));
	/* One line, the JSON object alone: none of the seeds' text. */
	EXPECT_EQ(NULL, strstr(self->out, "Verifying file integrity"));
	EXPECT_EQ('}', self->out[strlen(self->out) - 2]);
	EXPECT_EQ(strchr(self->out, '\n'), self->out + strlen(self->out) - 1);

	ASSERT_EQ(0, imagegen_flip(self->image, st.st_size - 1));
	EXPECT_EQ(1, run(self->out, self->tool, args));
	EXPECT_NE(NULL, strstr(self->out, "\"verdict\":\"bad-digest\""));
	/* Not a file: no MD5. */
	snprintf(args, sizeof(args), "verify --json -u -r '%s' -t '%s' /dev/null", self->keys,
		 self->keys);
	EXPECT_EQ(1, run(self->out, self->tool, args));
	EXPECT_NE(NULL, strstr(self->out, "\"md5\":null"));
}

TEST_F(cli, exit_codes)
{
	char args[PATH_MAX * 2];

	EXPECT_EQ(2, run(self->out, self->tool, "verify"));
	EXPECT_EQ(2, run(self->out, self->tool, "show"));
	EXPECT_EQ(2, run(self->out, self->tool, "show bogus"));
	EXPECT_EQ(2, run(self->out, self->tool, "show file a b"));
	EXPECT_EQ(2, run(self->out, self->tool, "verify --bogus x"));
	EXPECT_EQ(2, run(self->out, self->tool, "key"));
	EXPECT_EQ(2, run(self->out, self->tool, "key provision"));
	EXPECT_EQ(0, run(self->out, self->tool, "verify --help"));
	EXPECT_EQ(0, run(self->out, self->tool, "show file --help"));
	/* A missing image or trust directory is a system error, not a verdict. */
	snprintf(args, sizeof(args), "verify -u -r '%s' -t '%s' /nonexistent/x.SPA", self->keys,
		 self->keys);
	EXPECT_EQ(3, run(self->out, self->tool, args));
	snprintf(args, sizeof(args), "verify -u -t /nonexistent/keys '%s'", self->image);
	EXPECT_EQ(3, run(self->out, self->tool, args));
	/* Not a certificate: refused before any netlink. */
	EXPECT_EQ(3, run(self->out, self->tool, "key provision /dev/null"));
}

TEST_HARNESS_MAIN

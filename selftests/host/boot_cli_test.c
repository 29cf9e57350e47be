// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * `swauth boot system` and `swauth show boot` as a user runs them, with the
 * userspace verifier and a swauth.conf of their own (SWAUTH_CONFIG) whose
 * flash-dir is a temporary directory: a verified system image is recorded
 * with every other line of the file kept; a tampered image, a boot loader
 * image, a missing file and a bad file system name are refused with the
 * file unchanged byte for byte; --clear removes the setting; show boot in
 * text and JSON, set and unset.
 */

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/swauth.h>

#include "selftests/host/clirun.h"
#include "selftests/host/imagegen.h"

#include "kselftest_harness.h"

enum { OUT_MAX = 16384, PAYLOAD_SIZE = 40000, PAYLOAD_KERNEL = 30000 };

static void le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

FIXTURE(boot) {
	char dir[64];
	char keys[PATH_MAX];
	char tool[PATH_MAX];
	char conf[PATH_MAX];
	char conf_text[PATH_MAX * 2];	/* what the fixture wrote to conf */
	char flash[PATH_MAX];		/* flash-dir */
	char system[PATH_MAX];		/* flash:c3900.SPA, production A */
	char special[PATH_MAX];		/* flash:c3900.SSA, special B */
	char loader[PATH_MAX];		/* flash:rommon.SPB, a boot loader */
	char rommon[PATH_MAX];		/* bootloader-image (a copy of loader) */
	char verify[PATH_MAX * 3];
	char out[OUT_MAX];
	char err[OUT_MAX];
	uint8_t payload[PAYLOAD_SIZE];
};

FIXTURE_SETUP(boot)
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
	snprintf(self->dir, sizeof(self->dir), "/tmp/swauth-boot.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->verify, sizeof(self->verify), "-u -r '%s' -t '%s'", self->keys,
		 self->keys);
	snprintf(self->flash, sizeof(self->flash), "%s/flash", self->dir);
	ASSERT_EQ(0, mkdir(self->flash, 0755));

	/* A kernel and an initramfs, as a system image carries them. */
	for (i = 0; i < PAYLOAD_SIZE; i++)
		self->payload[i] = (uint8_t)(i * 13 ^ (i >> 7));
	le64(self->payload, PAYLOAD_KERNEL);
	le64(self->payload + 8 + PAYLOAD_KERNEL, PAYLOAD_SIZE - 16 - PAYLOAD_KERNEL);
	snprintf(self->system, sizeof(self->system), "%s/c3900.SPA", self->flash);
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE,
				   self->system));
	snprintf(self->special, sizeof(self->special), "%s/c3900.SSA", self->flash);
	ASSERT_EQ(0, imagegen_sign(self->keys, "special-B", SWAUTH_IMAGE_SPECIAL,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE,
				   self->special));
	snprintf(self->loader, sizeof(self->loader), "%s/rommon.SPB", self->flash);
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_BOOTLOADER,
				   SWAUTH_HASH_SHA256, NULL, self->payload, PAYLOAD_SIZE,
				   self->loader));
	snprintf(self->rommon, sizeof(self->rommon), "%s/rommon.bin", self->dir);
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_BOOTLOADER,
				   SWAUTH_HASH_SHA256, NULL, self->payload, PAYLOAD_SIZE,
				   self->rommon));

	snprintf(self->conf, sizeof(self->conf), "%s/swauth.conf", self->dir);
	snprintf(self->conf_text, sizeof(self->conf_text),
		 "# swauth.conf of the boot test\n"
		 "\n"
		 "bootloader-image %s   # the ROMMON\n"
		 "flash-dir %s\n"
		 "platform test\n"
		 "# end\n", self->rommon, self->flash);
	ASSERT_EQ(0, clirun_write_file(self->conf, self->conf_text, strlen(self->conf_text)));
}

FIXTURE_TEARDOWN(boot)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* Run the tool with @args under SWAUTH_CONFIG=@conf: output in self->out, self->err. */
static int run_conf(FIXTURE_DATA(boot) *self, const char *conf, const char *args)
{
	return clirun_run(self->dir, self->tool, conf, args, self->out, sizeof(self->out),
			  self->err, sizeof(self->err));
}

static int run(FIXTURE_DATA(boot) *self, const char *args)
{
	return run_conf(self, self->conf, args);
}


/*
 * The lines the tool writes for @path after @prefix: the payload digest of
 * its header (SHA-512 here), then the path.
 */
static void lines_for(const char *prefix, const char *path, char *buf, size_t len)
{
	char digest[2 * 64 + 1];
	uint8_t *img;
	size_t n, i;

	img = (uint8_t *)clirun_read_file(path, &n);
	for (i = 0; img && n >= 40 + 64 && i < 64; i++)
		sprintf(digest + 2 * i, "%02x", img[40 + i]);
	digest[2 * i] = '\0';
	free(img);
	snprintf(buf, len, "%sboot-image-digest %s\nboot-image %s\n", prefix, digest, path);
}

/* The fixture's text with the lines for @path. */
static void conf_with(FIXTURE_DATA(boot) *self, const char *path, char *buf, size_t len)
{
	lines_for(self->conf_text, path, buf, len);
}

TEST_F(boot, system_production)
{
	char args[PATH_MAX * 4], expected[PATH_MAX * 3];

	snprintf(args, sizeof(args), "boot system %s flash:c3900.SPA", self->verify);
	ASSERT_EQ(0, run(self, args)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_STREQ("Boot image set to flash:c3900.SPA (production key A)\n"
		     "Verified by: userspace (OpenSSL), --userspace\n", self->out);
	EXPECT_STREQ("", self->err);
	conf_with(self, self->system, expected, sizeof(expected));
	EXPECT_TRUE(clirun_holds(self->conf, expected));

	/* Again with flash:/NAME and a special image: the line is replaced. */
	snprintf(args, sizeof(args), "boot system %s flash:/c3900.SSA", self->verify);
	ASSERT_EQ(0, run(self, args)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_STREQ("Boot image set to flash:/c3900.SSA (special key B)\n"
		     "Verified by: userspace (OpenSSL), --userspace\n", self->out);
	conf_with(self, self->special, expected, sizeof(expected));
	EXPECT_TRUE(clirun_holds(self->conf, expected));
}

/* A plain path, relative to the current directory, is recorded absolute. */
TEST_F(boot, system_plain_path)
{
	char args[PATH_MAX * 4], expected[PATH_MAX * 3];

	snprintf(args, sizeof(args), "boot system %s '%s'", self->verify, self->system);
	ASSERT_EQ(0, run(self, args)) {
		TH_LOG("%s", self->err);
	}
	conf_with(self, self->system, expected, sizeof(expected));
	EXPECT_TRUE(clirun_holds(self->conf, expected));
	snprintf(args, sizeof(args), "boot system %s --clear", self->verify);
	ASSERT_EQ(0, run(self, "boot system --clear"));
	snprintf(args, sizeof(args), "-c 'cd \"%s\" && exec \"%s\" boot system %s c3900.SSA'",
		 self->flash, self->tool, self->verify);
	snprintf(expected, sizeof(expected), "env SWAUTH_CONFIG='%s' sh %s >/dev/null 2>&1",
		 self->conf, args);
	ASSERT_EQ(0, system(expected));
	conf_with(self, self->special, expected, sizeof(expected));
	EXPECT_TRUE(clirun_holds(self->conf, expected));
}

/*
 * No swauth.conf yet: an image for another platform (this machine is
 * uname -m without one) creates nothing; one for any platform creates it.
 */
TEST_F(boot, system_creates_config)
{
	char args[PATH_MAX * 4], conf[PATH_MAX], expected[PATH_MAX * 2], any[PATH_MAX];
	struct utsname u;
	struct stat st;

	ASSERT_EQ(0, uname(&u));
	snprintf(conf, sizeof(conf), "%s/new.conf", self->dir);
	snprintf(args, sizeof(args), "boot system %s '%s'", self->verify, self->system);
	EXPECT_EQ(1, run_conf(self, conf, args));
	snprintf(expected, sizeof(expected),
		 "swauth: boot system: %s: the image is for platform 'test', this system is '%s'; the boot image was not changed\n",
		 self->system, u.machine);
	EXPECT_STREQ(expected, self->err);
	EXPECT_NE(0, stat(conf, &st));

	snprintf(any, sizeof(any), "%s/any.SPA", self->flash);
	imagegen_platform = "";
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE, any));
	imagegen_platform = "test";
	snprintf(args, sizeof(args), "boot system %s '%s'", self->verify, any);
	ASSERT_EQ(0, run_conf(self, conf, args)) {
		TH_LOG("%s", self->err);
	}
	lines_for("", any, expected, sizeof(expected));
	EXPECT_TRUE(clirun_holds(conf, expected));
}

/*
 * A fresh install without /etc/swauth: root's tool creates swauth.conf's
 * directory, 0755 whatever the umask, root's; only the last component, so
 * a path whose parent is missing too still fails and creates nothing.
 */
TEST_F(boot, system_creates_config_dir)
{
	char args[PATH_MAX * 4], dir[PATH_MAX], conf[PATH_MAX], expected[PATH_MAX * 2];
	char any[PATH_MAX];
	struct stat st;
	mode_t old;

	if (geteuid() != 0)
		SKIP(return, "creating the directory is for root only");
	snprintf(any, sizeof(any), "%s/any.SPA", self->flash);
	imagegen_platform = "";
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE, any));
	imagegen_platform = "test";
	snprintf(args, sizeof(args), "boot system %s '%s'", self->verify, any);

	snprintf(dir, sizeof(dir), "%s/missing/etc-swauth", self->dir);
	snprintf(conf, sizeof(conf), "%s/swauth.conf", dir);
	EXPECT_EQ(3, run_conf(self, conf, args));
	EXPECT_NE(NULL, strstr(self->err, "No such file or directory")) TH_LOG("%s", self->err);
	EXPECT_NE(0, stat(dir, &st));

	snprintf(dir, sizeof(dir), "%s/etc-swauth", self->dir);
	snprintf(conf, sizeof(conf), "%s/swauth.conf", dir);
	old = umask(077);
	EXPECT_EQ(0, run_conf(self, conf, args)) TH_LOG("%s", self->err);
	umask(old);
	ASSERT_EQ(0, stat(dir, &st));
	EXPECT_TRUE(S_ISDIR(st.st_mode));
	EXPECT_EQ(0755, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	lines_for("", any, expected, sizeof(expected));
	EXPECT_TRUE(clirun_holds(conf, expected));

	/* A doubled slash before the name: the same directory, as before. */
	snprintf(conf, sizeof(conf), "%s//swauth.conf", dir);
	EXPECT_EQ(0, run_conf(self, conf, args)) TH_LOG("%s", self->err);
	snprintf(dir, sizeof(dir), "%s/etc-swauth2", self->dir);
	snprintf(conf, sizeof(conf), "%s//swauth.conf", dir);
	EXPECT_EQ(0, run_conf(self, conf, args)) TH_LOG("%s", self->err);
	ASSERT_EQ(0, stat(dir, &st));
	EXPECT_EQ(0755, st.st_mode & 07777);
	EXPECT_TRUE(clirun_holds(conf, expected));
}

TEST_F(boot, tampered_refused)
{
	char args[PATH_MAX * 4], msg[PATH_MAX + 256];
	struct stat st;

	ASSERT_EQ(0, stat(self->system, &st));
	ASSERT_EQ(0, imagegen_flip(self->system, st.st_size - 1));
	snprintf(args, sizeof(args), "boot system %s flash:c3900.SPA", self->verify);
	EXPECT_EQ(1, run(self, args));
	snprintf(msg, sizeof(msg),
		 "swauth: boot system: flash:c3900.SPA: digital signature verification failed: bad digest: the payload's SHA512 differs from the one that was signed; the boot image was not changed\n");
	EXPECT_STREQ(msg, self->err);
	EXPECT_STREQ("", self->out);
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
}

/*
 * A system image whose payload is not a kernel and an initramfs could
 * never be sealed: refused now, with the reload's words, not at a
 * scheduled reload. Truncated inside the second size, a size of 0, and
 * sizes that do not add up to the payload.
 */
TEST_F(boot, unbootable_payload_refused)
{
	static const uint64_t kernels[] = { 39990, 0, 20000 };
	char args[PATH_MAX * 4], path[PATH_MAX + 16];
	uint8_t payload[PAYLOAD_SIZE];
	size_t i;

	for (i = 0; i < sizeof(kernels) / sizeof(kernels[0]); i++) {
		memcpy(payload, self->payload, sizeof(payload));
		le64(payload, kernels[i]);
		snprintf(path, sizeof(path), "%s/bad.SPA", self->flash);
		ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
					   SWAUTH_HASH_SHA512, NULL, payload, PAYLOAD_SIZE, path));
		snprintf(args, sizeof(args), "boot system %s flash:bad.SPA", self->verify);
		EXPECT_EQ(1, run(self, args));
		EXPECT_STREQ("swauth: boot system: flash:bad.SPA: the payload is not a kernel and an initramfs; the boot image was not changed\n",
			     self->err);
		EXPECT_STREQ("", self->out);
		EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
	}
	/* The tool also reads what it checks: a tiny payload is no overflow. */
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, 17, path));
	EXPECT_EQ(1, run(self, args));
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
}

/* A verified image that is set already stays set when a tampered one is refused. */
TEST_F(boot, tampered_keeps_previous)
{
	char args[PATH_MAX * 4], expected[PATH_MAX * 3];
	struct stat st;

	snprintf(args, sizeof(args), "boot system %s flash:c3900.SPA", self->verify);
	ASSERT_EQ(0, run(self, args));
	conf_with(self, self->system, expected, sizeof(expected));
	ASSERT_EQ(0, stat(self->special, &st));
	ASSERT_EQ(0, imagegen_flip(self->special, 200));
	snprintf(args, sizeof(args), "boot system %s flash:c3900.SSA", self->verify);
	EXPECT_EQ(1, run(self, args));
	EXPECT_TRUE(clirun_holds(self->conf, expected));
}

TEST_F(boot, bootloader_refused)
{
	char args[PATH_MAX * 4];

	snprintf(args, sizeof(args), "boot system %s flash:rommon.SPB", self->verify);
	EXPECT_EQ(1, run(self, args));
	EXPECT_STREQ("swauth: boot system: flash:rommon.SPB is a bootloader image, not a system image (production or special); the boot image was not changed\n",
		     self->err);
	EXPECT_STREQ("", self->out);
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
}

TEST_F(boot, untrusted_refused)
{
	char args[PATH_MAX * 4], trust[PATH_MAX];
	static const char *const only_a[] = { "production-A", "special-A", NULL };

	snprintf(trust, sizeof(trust), "%s/trust", self->dir);
	ASSERT_EQ(0, imagegen_trust_dir(self->keys, trust, only_a));
	snprintf(args, sizeof(args), "boot system -u -r '%s' -t '%s' flash:c3900.SSA",
		 self->keys, trust);
	EXPECT_EQ(1, run(self, args));
	EXPECT_NE(NULL, strstr(self->err, "no trusted special key B"));
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
}

TEST_F(boot, missing_and_bad_names)
{
	char args[PATH_MAX * 4];

	snprintf(args, sizeof(args), "boot system %s flash:nonexistent.SPA", self->verify);
	EXPECT_EQ(3, run(self, args));
	EXPECT_STREQ("swauth: boot system: flash:nonexistent.SPA: No such file or directory\n",
		     self->err);
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));

	snprintf(args, sizeof(args), "boot system %s bootflash:c3900.SPA", self->verify);
	EXPECT_EQ(2, run(self, args));
	EXPECT_STREQ("swauth: boot system: unknown file system 'bootflash:' (known: flash:, flash0:, flash1:, usbflash0:, usbflash1:, nvram:)\n",
		     self->err);
	snprintf(args, sizeof(args), "boot system %s flash:../swauth.conf", self->verify);
	EXPECT_EQ(2, run(self, args));
	EXPECT_STREQ("swauth: boot system: 'flash:../swauth.conf': '..' may not leave the file system\n",
		     self->err);
	snprintf(args, sizeof(args), "boot system %s flash:", self->verify);
	EXPECT_EQ(2, run(self, args));
	snprintf(args, sizeof(args), "boot system %s \"$(printf 'flash:a\\033b')\"", self->verify);
	EXPECT_EQ(2, run(self, args));
	EXPECT_STREQ("swauth: boot system: the file name contains a control character (0x1b)\n",
		     self->err);
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
}

/* A broken swauth.conf is reported and not rewritten. */
TEST_F(boot, broken_config_untouched)
{
	char args[PATH_MAX * 4];
	static const char broken[] = "boot-image relative\n";

	ASSERT_EQ(0, clirun_write_file(self->conf, broken, strlen(broken)));
	snprintf(args, sizeof(args), "boot system %s '%s'", self->verify, self->system);
	EXPECT_EQ(2, run(self, args));
	EXPECT_NE(NULL, strstr(self->err, "needs an absolute path"));
	EXPECT_EQ(2, run(self, "boot system --clear"));
	EXPECT_TRUE(clirun_holds(self->conf, broken));
}

TEST_F(boot, clear)
{
	char args[PATH_MAX * 4];

	snprintf(args, sizeof(args), "boot system %s flash:c3900.SPA", self->verify);
	ASSERT_EQ(0, run(self, args));
	ASSERT_EQ(0, run(self, "boot system --clear"));
	EXPECT_STREQ("Boot image cleared: BOOT variable is not set\n", self->out);
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
	/* Clearing what is not set is no error and changes nothing. */
	ASSERT_EQ(0, run(self, "boot system --clear"));
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
	EXPECT_EQ(2, run(self, "boot system --clear flash:c3900.SPA"));
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
}

TEST_F(boot, exit_codes)
{
	EXPECT_EQ(2, run(self, "boot"));
	EXPECT_EQ(2, run(self, "boot bootldr x"));
	EXPECT_EQ(2, run(self, "boot system"));
	EXPECT_EQ(2, run(self, "boot system a b"));
	EXPECT_EQ(2, run(self, "boot system --bogus x"));
	EXPECT_EQ(0, run(self, "boot --help"));
	EXPECT_NE(NULL, strstr(self->out, "Usage: swauth boot system FILE"));
	EXPECT_EQ(0, run(self, "boot system --help"));
	EXPECT_EQ(0, run(self, "--help"));
	EXPECT_NE(NULL, strstr(self->out, "  boot "));
	EXPECT_EQ(0, run(self, "show boot --help"));
	EXPECT_NE(NULL, strstr(self->out, "Usage: swauth show boot [--json]"));
	EXPECT_EQ(2, run(self, "show boot extra"));
	EXPECT_NE(NULL, strstr(self->err, "swauth: show boot: unexpected argument 'extra'\n"));
	EXPECT_EQ(2, run(self, "show boot --bogus"));
	EXPECT_TRUE(clirun_holds(self->conf, self->conf_text));
}

/* Nothing configured: exit 0, both variables unset. */
TEST_F(boot, show_unset)
{
	char conf[PATH_MAX], expected[PATH_MAX * 2];

	snprintf(conf, sizeof(conf), "%s/none.conf", self->dir);
	EXPECT_EQ(0, run_conf(self, conf, "show boot"));
	EXPECT_STREQ("BOOT variable is not set\nBOOTLDR variable is not set\n", self->out);
	EXPECT_STREQ("", self->err);
	EXPECT_EQ(0, run_conf(self, conf, "show boot --json"));
	snprintf(expected, sizeof(expected),
		 "{\"config\":\"%s\",\"boot\":null,\"bootloader\":null}\n", conf);
	EXPECT_STREQ(expected, self->out);
}

TEST_F(boot, show_set)
{
	char args[PATH_MAX * 4], expected[PATH_MAX * 4];

	snprintf(args, sizeof(args), "boot system %s flash:c3900.SPA", self->verify);
	ASSERT_EQ(0, run(self, args));
	snprintf(args, sizeof(args), "show boot %s", self->verify);
	EXPECT_EQ(0, run(self, args)) {
		TH_LOG("%s", self->err);
	}
	snprintf(expected, sizeof(expected),
		 "BOOT variable = flash:c3900.SPA\n"
		 "  File                  : %s\n"
		 "  Image type            : production\n"
		 "  Signature             : verified (production key A)\n"
		 "  Verified by           : userspace (OpenSSL), --userspace\n"
		 "BOOTLDR variable = %s\n"
		 "  File                  : %s\n"
		 "  Image type            : bootloader\n"
		 "  Signature             : verified (production key A)\n"
		 "  Verified by           : userspace (OpenSSL), --userspace\n",
		 self->system, self->rommon, self->rommon);
	EXPECT_STREQ(expected, self->out);
	EXPECT_STREQ("", self->err);

	snprintf(args, sizeof(args), "show boot --json %s", self->verify);
	EXPECT_EQ(0, run(self, args));
	snprintf(expected, sizeof(expected),
		 "{\"config\":\"%s\","
		 "\"boot\":{\"name\":\"flash:c3900.SPA\",\"path\":\"%s\",\"verdict\":\"ok\","
		 "\"verified_by\":\"userspace (OpenSSL), --userspace\",\"image_type\":\"production\","
		 "\"key_type\":\"production\",\"key_version\":\"A\"},"
		 "\"bootloader\":{\"name\":\"%s\",\"path\":\"%s\",\"verdict\":\"ok\","
		 "\"verified_by\":\"userspace (OpenSSL), --userspace\",\"image_type\":\"bootloader\","
		 "\"key_type\":\"production\",\"key_version\":\"A\"}}\n",
		 self->conf, self->system, self->rommon, self->rommon);
	EXPECT_STREQ(expected, self->out);
}

/* Verified again each time: an image tampered after boot system shows, exit 1. */
TEST_F(boot, show_tampered_after_set)
{
	char args[PATH_MAX * 4];
	struct stat st;

	snprintf(args, sizeof(args), "boot system %s flash:c3900.SPA", self->verify);
	ASSERT_EQ(0, run(self, args));
	ASSERT_EQ(0, stat(self->system, &st));
	ASSERT_EQ(0, imagegen_flip(self->system, st.st_size - 1));
	snprintf(args, sizeof(args), "show boot %s", self->verify);
	EXPECT_EQ(1, run(self, args));
	EXPECT_NE(NULL, strstr(self->out, "BOOT variable = flash:c3900.SPA\n"));
	EXPECT_NE(NULL, strstr(self->out, "  Signature             : NOT verified: bad digest"));
	snprintf(args, sizeof(args), "show boot --json %s", self->verify);
	EXPECT_EQ(1, run(self, args));
	EXPECT_NE(NULL, strstr(self->out, "\"verdict\":\"bad-digest\""));
	/* A missing boot image: reported, exit 1, the boot loader still shown. */
	ASSERT_EQ(0, unlink(self->system));
	snprintf(args, sizeof(args), "show boot %s", self->verify);
	EXPECT_EQ(1, run(self, args));
	EXPECT_NE(NULL, strstr(self->out, "NOT verified: could not be verified"));
	EXPECT_NE(NULL, strstr(self->err, "No such file or directory"));
	EXPECT_NE(NULL, strstr(self->out, "BOOTLDR variable = "));
}

TEST_HARNESS_MAIN

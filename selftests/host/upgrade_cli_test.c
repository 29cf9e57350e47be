// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * `swauth upgrade bootloader` as a user runs it, with the userspace
 * verifier and a swauth.conf of its own (SWAUTH_CONFIG): the seeds' ROMMON
 * LOAD test lines for special and production signers, the refusals (not a
 * boot loader, tampered, no terminal without --yes, nothing configured)
 * each leaving the old boot loader byte for byte, and a successful upgrade
 * leaving exactly FILE's bytes and no temporary file. The confirmation
 * prompt is answered through a pseudo-terminal.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/swauth.h>

#include "selftests/host/clirun.h"
#include "selftests/host/imagegen.h"

#include "kselftest_harness.h"

enum { OUT_MAX = 16384, PAYLOAD_SIZE = 50000 };

static const char old_loader[] = "the old boot loader\n";

FIXTURE(upgrade) {
	char dir[64];
	char keys[PATH_MAX];
	char tool[PATH_MAX];
	char conf[PATH_MAX];
	char boot[PATH_MAX];		/* the directory of the boot loader */
	char dest[PATH_MAX];		/* bootloader-image */
	char special[PATH_MAX];		/* boot loader signed by special B */
	char production[PATH_MAX];	/* boot loader signed by production A */
	char system[PATH_MAX];		/* a production system image */
	char verify[PATH_MAX * 3];	/* the userspace verifier's options */
	char out[OUT_MAX];
	char err[OUT_MAX];
	uint8_t payload[PAYLOAD_SIZE];
};

static bool same_file(const char *a, const char *b)
{
	size_t la, lb;
	char *x = clirun_read_file(a, &la), *y = clirun_read_file(b, &lb);
	bool same = x && y && la == lb && !memcmp(x, y, la);

	free(x);
	free(y);
	return same;
}

/* The names in @dir, sorted, one per line. */
static void list_dir(const char *dir, char *buf, size_t len)
{
	struct dirent **names;
	size_t off = 0;
	int i, n = scandir(dir, &names, NULL, alphasort);

	buf[0] = '\0';
	for (i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") && strcmp(names[i]->d_name, ".."))
			off += snprintf(buf + off, len - off, "%s\n", names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
}

FIXTURE_SETUP(upgrade)
{
	char self_path[PATH_MAX], text[PATH_MAX + 64];
	ssize_t n;
	size_t i;

	ASSERT_EQ(0, imagegen_keys_dir(self->keys, sizeof(self->keys)));
	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	ASSERT_LT(0, n);
	self_path[n] = '\0';
	snprintf(self->tool, sizeof(self->tool), "%s/bin/swauth", dirname(self_path));
	if (getenv("SWAUTH_BIN") && getenv("SWAUTH_BIN")[0])
		snprintf(self->tool, sizeof(self->tool), "%s", getenv("SWAUTH_BIN"));
	snprintf(self->dir, sizeof(self->dir), "/tmp/swauth-upgrade.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->verify, sizeof(self->verify), "-u -r '%s' -t '%s'", self->keys,
		 self->keys);

	snprintf(self->boot, sizeof(self->boot), "%s/boot", self->dir);
	ASSERT_EQ(0, mkdir(self->boot, 0755));
	snprintf(self->dest, sizeof(self->dest), "%s/rommon.bin", self->boot);
	ASSERT_EQ(0, clirun_write_file(self->dest, old_loader, strlen(old_loader)));
	snprintf(self->conf, sizeof(self->conf), "%s/swauth.conf", self->dir);
	snprintf(text, sizeof(text), "# test\nplatform test\nbootloader-image %s\n", self->dest);
	ASSERT_EQ(0, clirun_write_file(self->conf, text, strlen(text)));

	for (i = 0; i < PAYLOAD_SIZE; i++)
		self->payload[i] = (uint8_t)(i * 7 ^ (i >> 8));
	snprintf(self->special, sizeof(self->special), "%s/C3900_RM2.srec.SSB", self->dir);
	ASSERT_EQ(0, imagegen_sign(self->keys, "special-B", SWAUTH_IMAGE_BOOTLOADER,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE,
				   self->special));
	snprintf(self->production, sizeof(self->production), "%s/C3900_RM2.srec.SPB", self->dir);
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_BOOTLOADER,
				   SWAUTH_HASH_SHA256, NULL, self->payload, PAYLOAD_SIZE,
				   self->production));
	snprintf(self->system, sizeof(self->system), "%s/c3900.SPA", self->dir);
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE,
				   self->system));
}

FIXTURE_TEARDOWN(upgrade)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* Run the tool with @args under SWAUTH_CONFIG=@conf: output in self->out, self->err. */
static int run_conf(FIXTURE_DATA(upgrade) *self, const char *conf, const char *args)
{
	return clirun_run(self->dir, self->tool, conf, args, self->out, sizeof(self->out),
			  self->err, sizeof(self->err));
}

static int run(FIXTURE_DATA(upgrade) *self, const char *args)
{
	return run_conf(self, self->conf, args);
}

/* Everything `upgrade bootloader` prints on success. */
static void expected_success(char *buf, size_t len, const char *kind, const char *dest,
			     const char *key)
{
	snprintf(buf, len,
		 "Platform Field Upgradeable ROMMON LOAD test\n"
		 "___________________________________________\n"
		 "RSA Signature Verification Passed ...\n"
		 "ROM: Digitally Signed %s Software\n"
		 "Verified by: userspace (OpenSSL), --userspace\n"
		 "\n"
		 "This command will replace the boot loader at %s.\n"
		 "Continue? [yes/no]: yes\n"
		 "ROMMON image upgrade in progress.\n"
		 "Boot loader upgraded: %s (%s)\n"
		 "It is used from the next boot; nothing was restarted.\n",
		 kind, dest, dest, key);
}

TEST_F(upgrade, special_key_development)
{
	char args[PATH_MAX * 4], expected[PATH_MAX * 3], names[1024];
	struct stat st;

	snprintf(args, sizeof(args), "upgrade bootloader %s --yes '%s'", self->verify,
		 self->special);
	ASSERT_EQ(0, run(self, args)) {
		TH_LOG("%s", self->err);
	}
	expected_success(expected, sizeof(expected), "Development", self->dest, "special key B");
	EXPECT_STREQ(expected, self->out);
	EXPECT_STREQ("", self->err);
	EXPECT_TRUE(same_file(self->special, self->dest));
	list_dir(self->boot, names, sizeof(names));
	EXPECT_STREQ("rommon.bin\n", names);
	/* The old file's mode is kept. */
	ASSERT_EQ(0, stat(self->dest, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
}

TEST_F(upgrade, production_key_release)
{
	char args[PATH_MAX * 4], expected[PATH_MAX * 3], names[1024], digest[65], *conf;
	struct stat st;
	uint8_t *img;
	size_t n, i;

	ASSERT_EQ(0, chmod(self->dest, 0600));
	snprintf(args, sizeof(args), "upgrade bootloader --yes %s '%s'", self->verify,
		 self->production);
	ASSERT_EQ(0, run(self, args)) {
		TH_LOG("%s", self->err);
	}
	expected_success(expected, sizeof(expected), "Release", self->dest, "production key A");
	EXPECT_STREQ(expected, self->out);
	EXPECT_TRUE(same_file(self->production, self->dest));
	list_dir(self->boot, names, sizeof(names));
	EXPECT_STREQ("rommon.bin\n", names);
	ASSERT_EQ(0, stat(self->dest, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);

	/* Recorded for upgrade-status: the payload digest (SHA-256 here) and the key. */
	conf = clirun_read_file(self->conf, &n);
	img = (uint8_t *)clirun_read_file(self->production, &n);
	ASSERT_NE(NULL, conf);
	ASSERT_NE(NULL, img);
	for (i = 0; i < 32; i++)
		sprintf(digest + 2 * i, "%02x", img[40 + i]);
	snprintf(expected, sizeof(expected),
		 "bootloader-image-digest %s\nbootloader-image-key production-A\n", digest);
	EXPECT_NE(NULL, strstr(conf, expected)) {
		TH_LOG("%s", conf);
	}
	free(conf);
	free(img);
}

/* No boot loader yet: it is created, 0644. */
TEST_F(upgrade, first_install)
{
	char args[PATH_MAX * 4], names[1024];
	struct stat st;

	ASSERT_EQ(0, unlink(self->dest));
	snprintf(args, sizeof(args), "upgrade bootloader --yes %s '%s'", self->verify,
		 self->special);
	ASSERT_EQ(0, run(self, args));
	EXPECT_TRUE(same_file(self->special, self->dest));
	ASSERT_EQ(0, stat(self->dest, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
	list_dir(self->boot, names, sizeof(names));
	EXPECT_STREQ("rommon.bin\n", names);
}

/* A symbolic link stays one: its target is replaced. */
TEST_F(upgrade, symlink_target_replaced)
{
	char args[PATH_MAX * 4], target[PATH_MAX], names[1024];
	struct stat st;

	snprintf(target, sizeof(target), "%s/rommon-1.0.bin", self->boot);
	ASSERT_EQ(0, rename(self->dest, target));
	ASSERT_EQ(0, symlink("rommon-1.0.bin", self->dest));
	snprintf(args, sizeof(args), "upgrade bootloader --yes %s '%s'", self->verify,
		 self->special);
	ASSERT_EQ(0, run(self, args)) {
		TH_LOG("%s", self->err);
	}
	ASSERT_EQ(0, lstat(self->dest, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_TRUE(same_file(self->special, target));
	list_dir(self->boot, names, sizeof(names));
	EXPECT_STREQ("rommon-1.0.bin\nrommon.bin\n", names);
}

TEST_F(upgrade, not_a_bootloader)
{
	char args[PATH_MAX * 4], msg[PATH_MAX + 128], names[1024];

	snprintf(args, sizeof(args), "upgrade bootloader --yes %s '%s'", self->verify,
		 self->system);
	EXPECT_EQ(1, run(self, args));
	snprintf(msg, sizeof(msg),
		 "swauth: upgrade: %s is a production image, not a boot loader image\n",
		 self->system);
	EXPECT_STREQ(msg, self->err);
	EXPECT_STREQ("", self->out);
	EXPECT_TRUE(clirun_holds(self->dest, old_loader));
	list_dir(self->boot, names, sizeof(names));
	EXPECT_STREQ("rommon.bin\n", names);
}

/* A boot loader for another platform is not installed. */
TEST_F(upgrade, other_platform_refused)
{
	char args[PATH_MAX * 4], msg[PATH_MAX + 256], text[PATH_MAX + 64], names[1024];

	snprintf(text, sizeof(text), "platform c3900\nbootloader-image %s\n", self->dest);
	ASSERT_EQ(0, clirun_write_file(self->conf, text, strlen(text)));
	snprintf(args, sizeof(args), "upgrade bootloader %s --yes '%s'", self->verify,
		 self->production);
	EXPECT_EQ(1, run(self, args));
	snprintf(msg, sizeof(msg),
		 "swauth: upgrade: %s: the image is for platform 'test', this system is 'c3900'\n",
		 self->production);
	EXPECT_STREQ(msg, self->err);
	EXPECT_TRUE(clirun_holds(self->dest, old_loader));
	list_dir(self->boot, names, sizeof(names));
	EXPECT_STREQ("rommon.bin\n", names);
}

TEST_F(upgrade, tampered_refused)
{
	char args[PATH_MAX * 4], msg[PATH_MAX + 256], names[1024];
	struct stat st;

	ASSERT_EQ(0, stat(self->special, &st));
	ASSERT_EQ(0, imagegen_flip(self->special, st.st_size - 1));
	snprintf(args, sizeof(args), "upgrade bootloader --yes %s '%s'", self->verify,
		 self->special);
	EXPECT_EQ(1, run(self, args));
	snprintf(msg, sizeof(msg),
		 "swauth: upgrade: %s: digital signature verification failed: bad digest: the payload's SHA512 differs from the one that was signed\n",
		 self->special);
	EXPECT_STREQ(msg, self->err);
	EXPECT_STREQ("", self->out);
	EXPECT_TRUE(clirun_holds(self->dest, old_loader));
	list_dir(self->boot, names, sizeof(names));
	EXPECT_STREQ("rommon.bin\n", names);
}

/* A key this system does not trust: refused, nothing written. */
TEST_F(upgrade, untrusted_key_refused)
{
	char args[PATH_MAX * 4], trust[PATH_MAX];
	static const char *const only_a[] = { "production-A", "special-A", NULL };

	snprintf(trust, sizeof(trust), "%s/trust", self->dir);
	ASSERT_EQ(0, imagegen_trust_dir(self->keys, trust, only_a));
	snprintf(args, sizeof(args), "upgrade bootloader --yes -u -r '%s' -t '%s' '%s'",
		 self->keys, trust, self->special);
	EXPECT_EQ(1, run(self, args));
	EXPECT_NE(NULL, strstr(self->err, "no trusted special key B"));
	EXPECT_TRUE(clirun_holds(self->dest, old_loader));
}

TEST_F(upgrade, no_terminal_needs_yes)
{
	char args[PATH_MAX * 4], names[1024];

	snprintf(args, sizeof(args), "upgrade bootloader %s '%s'", self->verify, self->special);
	EXPECT_EQ(2, run(self, args));
	EXPECT_STREQ("swauth: upgrade: not a terminal: confirm with --yes\n", self->err);
	EXPECT_STREQ("", self->out);
	EXPECT_TRUE(clirun_holds(self->dest, old_loader));
	list_dir(self->boot, names, sizeof(names));
	EXPECT_STREQ("rommon.bin\n", names);
}

TEST_F(upgrade, not_configured)
{
	char args[PATH_MAX * 4], empty[PATH_MAX], missing[PATH_MAX];

	snprintf(empty, sizeof(empty), "%s/empty.conf", self->dir);
	ASSERT_EQ(0, clirun_write_file(empty, "# nothing\n", 10));
	snprintf(args, sizeof(args), "upgrade bootloader --yes %s '%s'", self->verify,
		 self->special);
	EXPECT_EQ(2, run_conf(self, empty, args));
	EXPECT_NE(NULL, strstr(self->err, "swauth: upgrade: no boot loader is configured: add a line 'bootloader-image /absolute/path' to "));
	EXPECT_NE(NULL, strstr(self->err, empty));
	EXPECT_STREQ("", self->out);
	/* A missing file configures nothing either. */
	snprintf(missing, sizeof(missing), "%s/missing.conf", self->dir);
	EXPECT_EQ(2, run_conf(self, missing, args));
	EXPECT_NE(NULL, strstr(self->err, "no boot loader is configured"));
	/* A syntax error is reported as such. */
	ASSERT_EQ(0, clirun_write_file(empty, "bootloader-image relative\n", 26));
	EXPECT_EQ(2, run_conf(self, empty, args));
	EXPECT_NE(NULL, strstr(self->err, "needs an absolute path"));
	EXPECT_TRUE(clirun_holds(self->dest, old_loader));
}

/* The destination's directory does not exist: a system error, nothing made. */
TEST_F(upgrade, destination_directory_missing)
{
	char args[PATH_MAX * 4], conf[PATH_MAX], text[PATH_MAX + 64];
	struct stat st;

	snprintf(conf, sizeof(conf), "%s/other.conf", self->dir);
	snprintf(text, sizeof(text), "platform test\nbootloader-image %s/nodir/rommon.bin\n", self->dir);
	ASSERT_EQ(0, clirun_write_file(conf, text, strlen(text)));
	snprintf(args, sizeof(args), "upgrade bootloader --yes %s '%s'", self->verify,
		 self->special);
	EXPECT_EQ(3, run_conf(self, conf, args));
	EXPECT_NE(NULL, strstr(self->err, "the boot loader was not changed"));
	snprintf(text, sizeof(text), "%s/nodir", self->dir);
	EXPECT_NE(0, stat(text, &st));
}

TEST_F(upgrade, exit_codes)
{
	EXPECT_EQ(2, run(self, "upgrade"));
	EXPECT_EQ(2, run(self, "upgrade rom"));
	EXPECT_EQ(2, run(self, "upgrade bootloader"));
	EXPECT_EQ(2, run(self, "upgrade bootloader --yes a b"));
	EXPECT_EQ(2, run(self, "upgrade bootloader --bogus x"));
	EXPECT_EQ(0, run(self, "upgrade --help"));
	EXPECT_NE(NULL, strstr(self->out, "Usage: swauth upgrade bootloader FILE [--yes]"));
	EXPECT_EQ(0, run(self, "upgrade bootloader --help"));
	EXPECT_EQ(0, run(self, "--help"));
	EXPECT_NE(NULL, strstr(self->out, "  upgrade "));
	/* A missing FILE is a system error, after the configuration is checked. */
	EXPECT_EQ(3, run(self, "upgrade bootloader --yes -u /nonexistent/rm.SSB"));
	EXPECT_TRUE(clirun_holds(self->dest, old_loader));
}

/* Run the tool on a pseudo-terminal, typing @answer at the prompt. */
static int run_tty(FIXTURE_DATA(upgrade) *self, const char *file, const char *answer)
{
	char *const argv[] = { "swauth", "upgrade", "bootloader", "-u", "-r", self->keys,
			       "-t", self->keys, (char *)file, NULL };

	return clirun_tty(self->tool, self->conf, argv, "Continue? [yes/no]: ", answer,
			  self->out, OUT_MAX);
}

TEST_F(upgrade, prompt_no_cancels)
{
	char names[1024];

	EXPECT_EQ(1, run_tty(self, self->special, "no\n"));
	EXPECT_NE(NULL, strstr(self->out, "ROM: Digitally Signed Development Software"));
	EXPECT_NE(NULL, strstr(self->out, "Upgrade cancelled"));
	EXPECT_EQ(NULL, strstr(self->out, "upgrade in progress"));
	EXPECT_TRUE(clirun_holds(self->dest, old_loader));
	list_dir(self->boot, names, sizeof(names));
	EXPECT_STREQ("rommon.bin\n", names);
}

TEST_F(upgrade, prompt_yes_upgrades)
{
	EXPECT_EQ(0, run_tty(self, self->production, " Y\n")) {
		TH_LOG("%s", self->out);
	}
	EXPECT_NE(NULL, strstr(self->out, "ROM: Digitally Signed Release Software"));
	EXPECT_NE(NULL, strstr(self->out, "Boot loader upgraded: "));
	EXPECT_TRUE(same_file(self->production, self->dest));
}

TEST_HARNESS_MAIN

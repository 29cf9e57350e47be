// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth reload, show reload, show running and show version on the host,
 * with the userspace verifier and a swauth.conf whose directories are a
 * temporary tree. Nothing here reloads: a reload is scheduled far enough
 * ahead and cancelled (the teardown stops any that a failed test left),
 * and every refusal happens before the module would be asked to seal.
 * The reloads themselves run in the VM (selftests/vm/reload.t,
 * procedure.t).
 */

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <linux/swauth.h>

#include "lib/boot.h"
#include "selftests/host/clirun.h"
#include "selftests/host/imagegen.h"

#include "kselftest_harness.h"

enum { OUT_MAX = 16384, PAYLOAD_SIZE = 30000, PAYLOAD_KERNEL = 20000 };

FIXTURE(reload) {
	char dir[64];
	char keys[PATH_MAX];
	char tool[PATH_MAX];
	char conf[PATH_MAX];
	char flash[PATH_MAX];
	char system[PATH_MAX];		/* flash:c3900.SPA, production A */
	char rommon[PATH_MAX];		/* bootloader-image */
	char sched[PATH_MAX];		/* run-dir/reload */
	char verify[PATH_MAX * 3];
	char out[OUT_MAX];
	char err[OUT_MAX];
	uint8_t payload[PAYLOAD_SIZE];
};

static int run(FIXTURE_DATA(reload) *self, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int run(FIXTURE_DATA(reload) *self, const char *fmt, ...)
{
	char args[PATH_MAX * 4];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	return clirun_run(self->dir, self->tool, self->conf, args, self->out, sizeof(self->out),
			  self->err, sizeof(self->err));
}

/* swauth.conf with the temporary directories; this machine is @platform. */
static void write_conf(FIXTURE_DATA(reload) *self, const char *platform)
{
	char text[PATH_MAX * 8];

	snprintf(text, sizeof(text),
		 "flash-dir %s\nrun-dir %s/run\nstate-dir %s/state\nboot-dir %s/boot\n"
		 "bootloader-image %s\nplatform %s\n",
		 self->flash, self->dir, self->dir, self->dir, self->rommon, platform);
	clirun_write_file(self->conf, text, strlen(text));
}

FIXTURE_SETUP(reload)
{
	char self_path[PATH_MAX];
	ssize_t n;
	size_t i;

	ASSERT_EQ(0, imagegen_keys_dir(self->keys, sizeof(self->keys)));
	n = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	ASSERT_LT(0, n);
	self_path[n] = '\0';
	snprintf(self->tool, sizeof(self->tool), "%s/bin/swauth", dirname(self_path));
	snprintf(self->dir, sizeof(self->dir), "/tmp/swauth-reload.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->verify, sizeof(self->verify), "-u -r '%s' -t '%s'", self->keys,
		 self->keys);
	snprintf(self->flash, sizeof(self->flash), "%s/flash", self->dir);
	ASSERT_EQ(0, mkdir(self->flash, 0755));
	snprintf(self->sched, sizeof(self->sched), "%s/run/reload", self->dir);
	/* A kernel and an initramfs, as a system image carries them. */
	for (i = 0; i < PAYLOAD_SIZE; i++)
		self->payload[i] = (uint8_t)(i * 7 ^ (i >> 5));
	for (i = 0; i < 8; i++) {
		self->payload[i] = (uint8_t)((uint64_t)PAYLOAD_KERNEL >> (8 * i));
		self->payload[8 + PAYLOAD_KERNEL + i] =
			(uint8_t)((uint64_t)(PAYLOAD_SIZE - 16 - PAYLOAD_KERNEL) >> (8 * i));
	}
	snprintf(self->system, sizeof(self->system), "%s/c3900.SPA", self->flash);
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE,
				   self->system));
	snprintf(self->rommon, sizeof(self->rommon), "%s/rommon.SPB", self->dir);
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_BOOTLOADER,
				   SWAUTH_HASH_SHA256, NULL, self->payload, PAYLOAD_SIZE,
				   self->rommon));
	snprintf(self->conf, sizeof(self->conf), "%s/swauth.conf", self->dir);
	write_conf(self, "test");
	ASSERT_EQ(0, run(self, "boot system %s flash:c3900.SPA", self->verify)) {
		TH_LOG("%s", self->err);
	}
}

FIXTURE_TEARDOWN(reload)
{
	struct swauth_reload_record rec;
	struct swauth_error err;
	char cmd[128];

	/* A failed test may leave a waiting reload: stop it. */
	if (!swauth_reload_record_read(self->sched, &rec, &err) && rec.pid > 1)
		kill((pid_t)rec.pid, SIGTERM);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

static bool starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Whether @pid is gone, waiting up to 2 s for it (it is not our child). */
static bool gone(long pid)
{
	int i;

	for (i = 0; i < 200; i++) {
		if (kill((pid_t)pid, 0) && errno == ESRCH)
			return true;
		usleep(10000);
	}
	return false;
}

TEST_F(reload, schedule_show_cancel)
{
	struct swauth_reload_record rec;
	struct swauth_error err;
	struct stat st;
	char *line;

	ASSERT_EQ(0, run(self, "reload %s --yes in 30", self->verify)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_STREQ("", self->err);
	EXPECT_TRUE(starts(self->out,
		  "Image flash:c3900.SPA verified (Release key A) by userspace (OpenSSL), --userspace\n"
		  "Reload scheduled for "));
	line = strstr(self->out, "Reload scheduled for ");
	ASSERT_NE(NULL, line);
	EXPECT_NE(NULL, strstr(line, " (in 30 minutes)\n"));

	ASSERT_EQ(0, swauth_reload_record_read(self->sched, &rec, &err)) {
		TH_LOG("%s", err.msg);
	}
	EXPECT_EQ(SWAUTH_RELOAD_COLD, rec.kind);
	EXPECT_STREQ(self->system, rec.image);
	EXPECT_STREQ("flash:c3900.SPA", rec.name);
	EXPECT_STREQ("production A", rec.key);
	EXPECT_LE((int64_t)time(NULL) + 29 * 60, rec.time);
	EXPECT_EQ(0, kill((pid_t)rec.pid, 0));

	/* A second one is refused while the first waits. */
	EXPECT_EQ(2, run(self, "reload %s --yes --warm in 5", self->verify));
	EXPECT_NE(NULL, strstr(self->err, "swauth: reload: a reload is already scheduled for "));
	EXPECT_NE(NULL, strstr(self->err, "; cancel it first with 'swauth reload cancel'\n"));

	ASSERT_EQ(0, run(self, "show reload"));
	EXPECT_TRUE(starts(self->out, "Reload scheduled for "));
	EXPECT_NE(NULL, strstr(self->out, "\nReload type: cold (reboot)\n"
				      "Image: flash:c3900.SPA (production A)\n"
				      "Reload reason: Reload Command\n"));

	ASSERT_EQ(0, run(self, "reload cancel"));
	EXPECT_STREQ("***\n*** --- SHUTDOWN ABORTED ---\n***\n", self->out);
	EXPECT_TRUE(gone(rec.pid));
	EXPECT_NE(0, stat(self->sched, &st));

	EXPECT_EQ(1, run(self, "reload cancel"));
	EXPECT_STREQ("No reload is scheduled.\n", self->out);
	ASSERT_EQ(0, run(self, "show reload"));
	EXPECT_STREQ("No reload is scheduled.\n", self->out);
}

/* The words after the time are the reason; a stale record does not block. */
TEST_F(reload, reason_and_stale_record)
{
	struct swauth_reload_record rec;
	struct swauth_error err;
	char text[256], run_dir[PATH_MAX];

	snprintf(run_dir, sizeof(run_dir), "%s/run", self->dir);
	ASSERT_EQ(0, mkdir(run_dir, 0755));
	snprintf(text, sizeof(text), "id 00\nkind warm\ntime %lld\npid 999999999\n",
		 (long long)time(NULL) + 60);
	ASSERT_EQ(0, clirun_write_file(self->sched, text, strlen(text)));
	ASSERT_EQ(0, run(self, "show reload"));
	EXPECT_STREQ("No reload is scheduled.\n", self->out);

	ASSERT_EQ(0, run(self, "reload /verify %s --warm --yes in 2:00 maintenance window 7",
			 self->verify)) {
		TH_LOG("%s", self->err);
	}
	EXPECT_NE(NULL, strstr(self->out, " (in 2 hours)\n"));
	ASSERT_EQ(0, swauth_reload_record_read(self->sched, &rec, &err));
	EXPECT_STREQ("maintenance window 7", rec.reason);
	EXPECT_EQ(SWAUTH_RELOAD_WARM, rec.kind);
	ASSERT_EQ(0, run(self, "show reload"));
	EXPECT_NE(NULL, strstr(self->out, "Reload type: warm (kexec)\n"));
	EXPECT_NE(NULL, strstr(self->out, "Reload reason: maintenance window 7\n"));
	ASSERT_EQ(0, run(self, "reload cancel"));
	EXPECT_TRUE(gone(rec.pid));
}

/* On a terminal: the seeds' confirmation; anything but yes schedules nothing. */
TEST_F(reload, confirm_on_terminal)
{
	char *const argv[] = { "swauth", "reload", "-u", "-r", self->keys, "-t", self->keys,
			       "in", "10", NULL };
	struct swauth_reload_record rec;
	struct swauth_error err;
	struct stat st;

	EXPECT_EQ(1, clirun_tty(self->tool, self->conf, argv, "Proceed with reload? [confirm]",
				"n\n", self->out, OUT_MAX));
	EXPECT_NE(NULL, strstr(self->out, " (in 10 minutes)\r\nProceed with reload? [confirm]"));
	EXPECT_NE(NULL, strstr(self->out, "Reload not scheduled\r\n"));
	EXPECT_NE(0, stat(self->sched, &st));

	EXPECT_EQ(0, clirun_tty(self->tool, self->conf, argv, "Proceed with reload? [confirm]",
				"\n", self->out, OUT_MAX)) {
		TH_LOG("%s", self->out);
	}
	ASSERT_EQ(0, swauth_reload_record_read(self->sched, &rec, &err));
	ASSERT_EQ(0, run(self, "reload cancel"));
	EXPECT_TRUE(gone(rec.pid));
}

/* Each refusal says why and schedules nothing. */
TEST_F(reload, refused)
{
	char other[PATH_MAX], tampered[PATH_MAX], expected[PATH_MAX * 2];
	struct stat st;

	snprintf(tampered, sizeof(tampered), "%s/tampered.SPA", self->flash);
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE, tampered));
	ASSERT_EQ(0, imagegen_flip(tampered, 1000));
	EXPECT_EQ(1, run(self, "reload %s --yes --image flash:tampered.SPA in 5", self->verify));
	EXPECT_STREQ("swauth: reload: flash:tampered.SPA: not loaded: bad digest: the payload differs from the one that was signed\n",
		     self->err);

	EXPECT_EQ(1, run(self, "reload %s --yes --image '%s' in 5", self->verify, self->rommon));
	snprintf(expected, sizeof(expected),
		 "swauth: reload: %s: not loaded: a bootloader image is not a system image\n",
		 self->rommon);
	EXPECT_STREQ(expected, self->err);

	EXPECT_EQ(3, run(self, "reload %s --yes --image flash:none.SPA in 5", self->verify));
	EXPECT_NE(NULL, strstr(self->err, "flash:none.SPA: No such file or directory"));

	/* Replaced by another signed image after boot system: its digest differs. */
	snprintf(other, sizeof(other), "%s/other.SPA", self->dir);
	self->payload[100] ^= 1;
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE, other));
	ASSERT_EQ(0, rename(other, self->system));
	EXPECT_EQ(1, run(self, "reload %s --yes in 5", self->verify));
	EXPECT_STREQ("swauth: reload: flash:c3900.SPA: not loaded: the file changed since 'swauth boot system' verified it; run 'swauth boot system' again to boot the new file\n",
		     self->err);

	/* An image for another platform. */
	write_conf(self, "other");
	EXPECT_EQ(1, run(self, "reload %s --yes --image flash:c3900.SPA in 5", self->verify));
	EXPECT_STREQ("swauth: reload: flash:c3900.SPA: not loaded: the image is for platform 'test', this system is 'other'\n",
		     self->err);

	EXPECT_NE(0, stat(self->sched, &st));
}

TEST_F(reload, usage_errors)
{
	static const struct {
		const char *args, *msg;
	} cases[] = {
		{ "in 0", "swauth: reload: 'in 0': the delay must be at least a minute\n" },
		{ "at 24:00", "swauth: reload: 'at 24:00': give the time as HH:MM (00:00 to 23:59)\n" },
		{ "at 10:00 jan 1", "is in the past\n" },
		{ "in 577:00", "is more than 24 days away (576 hours at most)\n" },
		{ "soon", "swauth: reload: unknown word 'soon' (expected in, at, reason or cancel)\n" },
		{ "/fast", "swauth: reload: unknown switch '/fast' (known: /verify, /noverify)\n" },
		{ "/verify /noverify", "swauth: reload: /verify and /noverify exclude each other\n" },
		{ "reason", "swauth: reload: 'reason' needs a TEXT\n" },
		{ "cancel now", "swauth: reload: 'cancel' takes nothing else, found 'now'\n" },
		{ "--append x in 5", "swauth: reload: --append is for --warm" },
	};
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		EXPECT_EQ(2, run(self, "reload --yes %s", cases[i].args));
		EXPECT_NE(NULL, strstr(self->err, cases[i].msg)) {
			TH_LOG("for '%s': %s", cases[i].args, self->err);
		}
	}
	EXPECT_EQ(2, run(self, "reload in 5"));
	EXPECT_STREQ("swauth: reload: not a terminal: confirm with --yes\n", self->err);
	write_conf(self, "test");
	ASSERT_EQ(0, run(self, "boot system --clear"));
	EXPECT_EQ(2, run(self, "reload --yes in 5"));
	EXPECT_STREQ("swauth: reload: no boot image: set one with 'swauth boot system FILE' or give --image\n",
		     self->err);
	EXPECT_NE(0, stat(self->sched, &st));
}

/*
 * Not started by swauth reload, and no module here to say what runs: the
 * system image is unknown, and show running says why the module does not
 * know; what it knows (the boot loader) verified, so it exits 0.
 */
TEST_F(reload, show_running_unknown)
{
	EXPECT_EQ(0, run(self, "show running %s", self->verify));
	EXPECT_TRUE(starts(self->out,
		  "SYSTEM IMAGE\n-------------------\n"
		  "unknown: this system was not started by swauth reload\n"
		  "Running image                 : the module does not know what runs (its status could not be read: "));
	EXPECT_NE(NULL, strstr(self->out, ")\nBOOT LOADER\n------------------\n"));
	EXPECT_NE(NULL, strstr(self->out, "    Key Version               : A\n"
					  "    Verifier Information\n"
					  "        Verifier Name         : userspace (OpenSSL), --userspace\n"));
	ASSERT_EQ(0, run(self, "show version %s", self->verify));
	EXPECT_NE(NULL, strstr(self->out, "\nROM: test-image, Version 1.0 ("));
	EXPECT_NE(NULL, strstr(self->out, " uptime is "));
	EXPECT_NE(NULL, strstr(self->out,
		  "\nSystem image file is unknown (not started by swauth reload)\n"
		  "Last reload reason: Unknown (not a swauth reload)\n"));
}

/*
 * Records as a cold reload leaves them: boot-dir/current/image, and
 * state-dir/last-reload with the same id from another boot.
 */
static void cold_records(FIXTURE_DATA(reload) *self, const char *reason, const char *boot_id)
{
	char path[PATH_MAX], text[PATH_MAX * 3], digest[129];
	uint8_t *img;
	size_t n, i;

	img = (uint8_t *)clirun_read_file(self->system, &n);
	for (i = 0; img && i < 64; i++)
		sprintf(digest + 2 * i, "%02x", img[40 + i]);
	digest[128] = '\0';
	free(img);
	snprintf(path, sizeof(path), "%s/boot", self->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/boot/0123", self->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/boot/current", self->dir);
	symlink("0123", path);
	snprintf(text, sizeof(text),
		 "id 0123\nkind cold\ntime 833994300\nboot-id %s\nimage %s\n"
		 "name flash:c3900.SPA\ndigest %s\nkey production A\n%s%s%s",
		 boot_id, self->system, digest, reason[0] ? "reason " : "", reason, reason[0] ? "\n" : "");
	snprintf(path, sizeof(path), "%s/boot/0123/image", self->dir);
	clirun_write_file(path, text, strlen(text));
	snprintf(path, sizeof(path), "%s/state", self->dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/state/last-reload", self->dir);
	clirun_write_file(path, text, strlen(text));
}

TEST_F(reload, show_after_cold_reload)
{
	char other[PATH_MAX];

	setenv("TZ", "UTC", 1);
	cold_records(self, "new release", "elsewhere");
	ASSERT_EQ(0, run(self, "show running %s", self->verify)) {
		TH_LOG("%s%s", self->out, self->err);
	}
	EXPECT_TRUE(starts(self->out,
		  "SYSTEM IMAGE\n-------------------\n"
		  "File Name                     : flash:c3900.SPA\n"
		  "Running image                 : named by the reload records: the module does not know what runs (its status could not be read: "));
	EXPECT_NE(NULL, strstr(self->out, ")\nImage type                    : Release\n"));
	EXPECT_NE(NULL, strstr(self->out, "Verdict                       : verified\n"
					  "BOOT LOADER\n"));
	ASSERT_EQ(0, run(self, "show version %s", self->verify));
	EXPECT_NE(NULL, strstr(self->out,
		  "System returned to ROM by reload at 17:05:00 UTC Wed Jun 5 1996\n"
		  "System image file is \"flash:c3900.SPA\"\n"
		  "Last reload reason: new release\n"));

	/* The file replaced since it was loaded: show running says so. */
	snprintf(other, sizeof(other), "%s/other.SPA", self->dir);
	self->payload[100] ^= 1;
	ASSERT_EQ(0, imagegen_sign(self->keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA512, NULL, self->payload, PAYLOAD_SIZE, other));
	ASSERT_EQ(0, rename(other, self->system));
	EXPECT_EQ(1, run(self, "show running %s", self->verify));
	EXPECT_NE(NULL, strstr(self->out,
		  "WARNING: flash:c3900.SPA is not the file that was loaded: it changed since\n"));

	/* Tampered: the verdict says why. */
	ASSERT_EQ(0, imagegen_flip(self->system, 1000));
	EXPECT_EQ(1, run(self, "show running %s", self->verify));
	EXPECT_NE(NULL, strstr(self->out, "Verdict                       : FAILED: bad digest"));
}

/* The same boot as the one that asked for the reload: no reload happened yet. */
TEST_F(reload, show_version_same_boot)
{
	char boot_id[40];

	ASSERT_EQ(0, swauth_boot_id(boot_id, sizeof(boot_id)));
	cold_records(self, "", boot_id);
	ASSERT_EQ(0, run(self, "show version %s", self->verify));
	EXPECT_NE(NULL, strstr(self->out, "System image file is \"flash:c3900.SPA\"\n"
					  "Last reload reason: Unknown (not a swauth reload)\n"));
	EXPECT_EQ(NULL, strstr(self->out, "System returned to ROM"));
}

TEST_HARNESS_MAIN

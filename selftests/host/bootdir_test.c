// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/boot/bootdir.c: GRUB's environment block, read and written the way
 * GRUB's own grub-editenv does (checked against it), and the links of
 * boot-dir as reloads with and without --trial leave them.
 */

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/boot.h"
#include "lib/config.h"

#include "kselftest_harness.h"

/*
 * A power cut: every change of boot-dir the boot loader sees is a
 * rename(2) (a link, grubenv), so failing the renames from the
 * @cut_at-th on leaves boot-dir as a cut before it would (0: no cut).
 * The lib's calls bind to this definition, the real one is the C
 * library's.
 */
static int cut_at, renames;

int renameat(int old_fd, const char *old, int new_fd, const char *new)
{
	int (*real)(int, const char *, int, const char *);

	if (cut_at && ++renames >= cut_at) {
		errno = EIO;
		return -1;
	}
	real = (int (*)(int, const char *, int, const char *))dlsym(RTLD_NEXT, "renameat");
	return real(old_fd, old, new_fd, new);
}

static int put(const char *path, const char *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, buf, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

static ssize_t get(const char *path, char *buf, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, len);
	close(fd);
	return n;
}

/* What @cmd (grub-editenv FILE list) prints, or "(failed)". */
static const char *editenv_list(const char *cmd)
{
	static char list[256];
	FILE *p = popen(cmd, "r");
	size_t n;

	if (!p)
		return "(failed)";
	n = fread(list, 1, sizeof(list) - 1, p);
	list[n] = '\0';
	return pclose(p) ? "(failed)" : list;
}

FIXTURE(env) {
	char dir[64];
	char file[128];
	char cmd[512];
};

FIXTURE_SETUP(env)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/bootdir_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->file, sizeof(self->file), "%s/grubenv", self->dir);
}

FIXTURE_TEARDOWN(env)
{
	snprintf(self->cmd, sizeof(self->cmd), "rm -rf %s", self->dir);
	if (system(self->cmd))
		TH_LOG("cannot remove %s", self->dir);
}

/* What grub-editenv writes, swauth reads; what swauth writes, grub-editenv lists. */
TEST_F(env, grub_editenv_both_ways)
{
	char block[SWAUTH_GRUBENV_SIZE + 1], out[SWAUTH_GRUBENV_SIZE], val[16];
	struct swauth_error err;
	ssize_t n;

	snprintf(self->cmd, sizeof(self->cmd),
		 "grub-editenv %s create && grub-editenv %s set saved_entry=debian swauth_trial=1",
		 self->file, self->file);
	ASSERT_EQ(0, system(self->cmd));
	n = get(self->file, block, sizeof(block));
	ASSERT_EQ(SWAUTH_GRUBENV_SIZE, n);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_grubenv_get(block, (size_t)n, "swauth_trial", val, sizeof(val), &err))
		TH_LOG("%s", err.msg);
	EXPECT_STREQ("1", val);
	ASSERT_EQ(0, swauth_grubenv_get(block, (size_t)n, "swauth", val, sizeof(val), &err));
	EXPECT_STREQ("", val);

	ASSERT_EQ(0, swauth_grubenv_set(block, (size_t)n, "swauth_trial", "2", out, &err));
	ASSERT_EQ(0, put(self->file, out, sizeof(out)));
	snprintf(self->cmd, sizeof(self->cmd), "grub-editenv %s list", self->file);
	EXPECT_STREQ("saved_entry=debian\nswauth_trial=2\n", editenv_list(self->cmd));

	ASSERT_EQ(0, swauth_grubenv_set(out, sizeof(out), "swauth_trial", NULL, block, &err));
	ASSERT_EQ(0, put(self->file, block, SWAUTH_GRUBENV_SIZE));
	EXPECT_STREQ("saved_entry=debian\n", editenv_list(self->cmd));

	/* An empty block, as swauth creates it, is one grub-editenv reads. */
	ASSERT_EQ(0, swauth_grubenv_set(NULL, 0, "swauth_trial", "1", out, &err));
	ASSERT_EQ(0, put(self->file, out, sizeof(out)));
	EXPECT_STREQ("swauth_trial=1\n", editenv_list(self->cmd));
}

TEST(malformed)
{
	static const struct {
		size_t at;		/* where @with goes into a good block */
		const char *with;
		size_t wlen;		/* its bytes */
		size_t len;		/* the block's length */
		const char *msg;
	} cases[] = {
		{ 0, "", 0, SWAUTH_GRUBENV_SIZE - 1, "grubenv: 1023 bytes, GRUB's block is 1024" },
		{ 0, "", 0, SWAUTH_GRUBENV_SIZE + 1, "grubenv: 1025 bytes, GRUB's block is 1024" },
		{ 2, "X", 1, SWAUTH_GRUBENV_SIZE, "grubenv: no \"# GRUB Environment Block\" header" },
		{ 1000, "x", 1, SWAUTH_GRUBENV_SIZE, "grubenv: the padding is not '#'" },
		{ 40, "\\", 1, SWAUTH_GRUBENV_SIZE, "grubenv: a NUL byte or an escaped value" },
		{ 40, "", 1, SWAUTH_GRUBENV_SIZE, "grubenv: a NUL byte or an escaped value" },
		{ 25, "no equals sign\n", 15, SWAUTH_GRUBENV_SIZE,
		  "grubenv: the line \"no equals sign\" is not NAME=VALUE" },
		{ 25, "bad-name=1\n", 11, SWAUTH_GRUBENV_SIZE,
		  "grubenv: the line \"bad-name=1\" is not NAME=VALUE" },
		/* GRUB reads the last, save_env rewrites the first: 1 would stay 1. */
		{ 40, "swauth_trial=1\n", 15, SWAUTH_GRUBENV_SIZE,
		  "grubenv: swauth_trial is set twice" },
	};
	char good[SWAUTH_GRUBENV_SIZE + 1], block[SWAUTH_GRUBENV_SIZE + 1], val[16];
	char out[SWAUTH_GRUBENV_SIZE];
	struct swauth_error err;
	size_t i;

	ASSERT_EQ(0, swauth_grubenv_set(NULL, 0, "swauth_trial", "1", good, &err));
	good[SWAUTH_GRUBENV_SIZE] = '#';
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memcpy(block, good, sizeof(block));
		memcpy(block + cases[i].at, cases[i].with, cases[i].wlen);
		swauth_error_clear(&err);
		EXPECT_EQ(-EINVAL, swauth_grubenv_get(block, cases[i].len, "swauth_trial", val,
						      sizeof(val), &err)) TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].msg, err.msg);
		EXPECT_STREQ("", val);
		EXPECT_EQ(-EINVAL, swauth_grubenv_set(block, cases[i].len, "swauth_trial", "2", out,
						      &err));
	}
	EXPECT_EQ(-EINVAL, swauth_grubenv_set(good, SWAUTH_GRUBENV_SIZE, "swauth_trial", "2\nx=1",
					      out, &err));
	EXPECT_STREQ("grubenv: the value \"2\nx=1\" of swauth_trial", err.msg);
}

TEST(no_room)
{
	char a[SWAUTH_GRUBENV_SIZE], b[SWAUTH_GRUBENV_SIZE], name[32];
	struct swauth_error err;
	int i, ret = 0;

	ASSERT_EQ(0, swauth_grubenv_set(NULL, 0, "v0", "x", a, &err));
	for (i = 1; !ret; i++) {
		snprintf(name, sizeof(name), "some_variable_%d", i);
		ret = swauth_grubenv_set(a, sizeof(a), name, "0123456789abcdef", b, &err);
		if (!ret)
			memcpy(a, b, sizeof(a));
	}
	EXPECT_EQ(-E2BIG, ret);
	EXPECT_EQ(0, strncmp(err.msg, "grubenv: no room for some_variable_", 35));
	EXPECT_GT(i, 20);
}

static void pair(const char *dir, const char *id)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, id);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/%s/vmlinuz", dir, id);
	put(path, id, strlen(id));
}

static const char *link_of(const char *dir, const char *name)
{
	static char id[64];
	char path[256];
	ssize_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	n = readlink(path, id, sizeof(id) - 1);
	id[n > 0 ? n : 0] = '\0';
	return id;
}

/* swauth_trial, or why it cannot be read. */
static const char *trial(int fd)
{
	static char val[sizeof(((struct swauth_error *)0)->msg)];
	static struct swauth_error err;

	if (swauth_bootdir_trial(fd, val, sizeof(val), &err))
		return err.msg;
	return val;
}

static bool exists(const char *dir, const char *id)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, id);
	return !access(path, F_OK);
}

/* The links and the trial through a first install, two trials and a plain switch. */
TEST_F(env, switch_links)
{
	struct swauth_error err;
	int fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	swauth_error_clear(&err);
	/* No previous pair to go back to: a trial is a plain switch. */
	pair(self->dir, "aa");
	ASSERT_EQ(0, swauth_bootdir_switch(fd, "aa", SWAUTH_BOOTDIR_TRIAL, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("aa", link_of(self->dir, "current"));
	EXPECT_STREQ("", link_of(self->dir, "previous"));
	EXPECT_STREQ("", trial(fd));

	pair(self->dir, "bb");
	ASSERT_EQ(0, swauth_bootdir_switch(fd, "bb", SWAUTH_BOOTDIR_TRIAL, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("bb", link_of(self->dir, "current"));
	EXPECT_STREQ("aa", link_of(self->dir, "previous"));
	EXPECT_STREQ("1", trial(fd));

	/* A trial while one is pending keeps the last confirmed pair as previous. */
	pair(self->dir, "cc");
	ASSERT_EQ(0, swauth_bootdir_switch(fd, "cc", SWAUTH_BOOTDIR_TRIAL, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("cc", link_of(self->dir, "current"));
	EXPECT_STREQ("aa", link_of(self->dir, "previous"));
	EXPECT_STREQ("1", trial(fd));
	EXPECT_FALSE(exists(self->dir, "bb"));

	/* A warm reload's pair is staged: the boot loader's links stay. */
	pair(self->dir, "s1");
	ASSERT_EQ(0, swauth_bootdir_switch(fd, "s1", SWAUTH_BOOTDIR_STAGED, &err));
	pair(self->dir, "s2");
	ASSERT_EQ(0, swauth_bootdir_switch(fd, "s2", SWAUTH_BOOTDIR_STAGED, &err));
	EXPECT_STREQ("s2", link_of(self->dir, "staged"));
	EXPECT_STREQ("cc", link_of(self->dir, "current"));
	EXPECT_STREQ("aa", link_of(self->dir, "previous"));
	EXPECT_STREQ("1", trial(fd));
	EXPECT_FALSE(exists(self->dir, "s1"));

	/* A plain switch (a rollback's) ends the trial and keeps only its pair. */
	pair(self->dir, "dd");
	ASSERT_EQ(0, swauth_bootdir_switch(fd, "dd", SWAUTH_BOOTDIR_PLAIN, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("dd", link_of(self->dir, "current"));
	EXPECT_STREQ("", link_of(self->dir, "previous"));
	EXPECT_STREQ("", link_of(self->dir, "staged"));
	EXPECT_STREQ("", trial(fd));
	EXPECT_FALSE(exists(self->dir, "s2"));
	EXPECT_FALSE(exists(self->dir, "aa"));
	EXPECT_FALSE(exists(self->dir, "cc"));
	EXPECT_TRUE(exists(self->dir, "dd/vmlinuz"));

	/* A grubenv that anyone may write, or a link, is not believed. */
	ASSERT_EQ(0, chmod(self->file, 0666));
	EXPECT_STREQ("boot-dir/grubenv: not a regular file that only root may write", trial(fd));
	pair(self->dir, "ee");
	EXPECT_EQ(-EPERM, swauth_bootdir_switch(fd, "ee", SWAUTH_BOOTDIR_TRIAL, &err));
	EXPECT_STREQ("dd", link_of(self->dir, "current"));
	ASSERT_EQ(0, unlink(self->file));
	ASSERT_EQ(0, symlink("/etc/passwd", self->file));
	EXPECT_STREQ("boot-dir/grubenv: Too many levels of symbolic links", trial(fd));
	close(fd);
}

/* The pair GRUB's swauth.cfg boots: previous at swauth_trial=2, else current. */
static const char *grub_boots(const char *dir, int fd)
{
	return link_of(dir, strcmp(trial(fd), "2") ? "current" : "previous");
}

/*
 * A cut at any point of a switch boots the confirmed pair or the new one;
 * the pair of a trial that went back (the system runs previous,
 * swauth_trial=2) gets no second attempt. A trial not booted yet
 * (swauth_trial=1) may still have its one. A switch that fails there
 * leaves GRUB a pair that exists.
 */
TEST_F(env, cut_points)
{
	static const struct {
		const char *links;	/* shell commands in boot-dir, before the switch */
		const char *trial;	/* swauth_trial before, NULL for no grubenv */
		enum swauth_bootdir_mode mode;
		const char *current, *previous, *after;	/* once done */
	} cases[] = {
		{ "ln -s aa current", NULL, SWAUTH_BOOTDIR_TRIAL, "cc", "aa", "1" },
		{ "ln -s bb current && ln -s aa previous", "2", SWAUTH_BOOTDIR_TRIAL, "cc", "aa", "1" },
		{ "ln -s bb current && ln -s aa previous", "1", SWAUTH_BOOTDIR_TRIAL, "cc", "aa", "1" },
		{ "ln -s bb current && ln -s aa previous", "2", SWAUTH_BOOTDIR_PLAIN, "cc", "", "" },
	};
	char block[SWAUTH_GRUBENV_SIZE];
	const char *booted;
	struct swauth_error err;
	int fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), cut, done;
	size_t i;

	ASSERT_LE(0, fd);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (cut = 1, done = 0; !done; cut++) {
			snprintf(self->cmd, sizeof(self->cmd),
				 "cd %s && rm -rf * && mkdir aa bb cc && %s", self->dir,
				 cases[i].links);
			ASSERT_EQ(0, system(self->cmd));
			if (cases[i].trial) {
				ASSERT_EQ(0, swauth_grubenv_set(NULL, 0, "swauth_trial",
								cases[i].trial, block, &err));
				ASSERT_EQ(0, put(self->file, block, sizeof(block)));
			}
			renames = 0;
			cut_at = cut;
			done = !swauth_bootdir_switch(fd, "cc", cases[i].mode, &err);
			cut_at = 0;
			booted = grub_boots(self->dir, fd);
			EXPECT_TRUE(!strcmp(booted, "aa") || !strcmp(booted, "cc") ||
				    (!strcmp(booted, "bb") && cases[i].trial &&
				     !strcmp(cases[i].trial, "1")))
				TH_LOG("case %zu, a cut at rename %d: GRUB boots '%s' (trial %s)", i,
				       cut, booted, trial(fd));
			/* A failed switch: reload_install_boot() deletes the new pair. */
			if (!done)
				swauth_bootdir_remove(fd, "cc");
			EXPECT_TRUE(exists(self->dir, grub_boots(self->dir, fd)))
				TH_LOG("case %zu, failed at rename %d: GRUB boots '%s', which is gone",
				       i, cut, grub_boots(self->dir, fd));
		}
		EXPECT_STREQ(cases[i].current, link_of(self->dir, "current"));
		EXPECT_STREQ(cases[i].previous, link_of(self->dir, "previous"));
		EXPECT_STREQ(cases[i].after, trial(fd));
	}
	close(fd);
}

/*
 * This process sees @cmdline as /proc/cmdline, in a mount namespace of
 * its own (the harness runs each test in a child); false when it cannot.
 */
static bool fake_cmdline(const char *dir, const char *cmdline)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/cmdline", dir);
	if (put(path, cmdline, strlen(cmdline)) || unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
		return false;
	return !mount(path, "/proc/cmdline", NULL, MS_BIND, NULL);
}

/* boot-dir/@id/image, the record of a cold reload asked for in boot @boot_id. */
static int record(const char *dir, const char *id, const char *boot_id)
{
	static struct swauth_reload_record rec;
	struct swauth_error err;
	char path[256];

	memset(&rec, 0, sizeof(rec));
	rec.kind = SWAUTH_RELOAD_COLD;
	rec.time = 1;
	snprintf(rec.id, sizeof(rec.id), "%s", id);
	snprintf(rec.boot_id, sizeof(rec.boot_id), "%s", boot_id);
	snprintf(rec.name, sizeof(rec.name), "flash:%s.SPA", id);
	snprintf(path, sizeof(path), "%s/%s/image", dir, id);
	return swauth_reload_record_write(path, &rec, &err);
}

/*
 * boot-dir as GRUB leaves it after a trial's one boot: current -> bb,
 * previous -> aa, swauth_trial=2, both recorded in an earlier boot; @cfg
 * names it.
 */
static int trial_booted(const char *dir, struct swauth_config *cfg)
{
	char block[SWAUTH_GRUBENV_SIZE], path[256];
	struct swauth_error err;

	pair(dir, "aa");
	pair(dir, "bb");
	snprintf(cfg->boot_dir, sizeof(cfg->boot_dir), "%s", dir);
	snprintf(cfg->state_dir, sizeof(cfg->state_dir), "%s/state", dir);
	snprintf(path, sizeof(path), "%s/grubenv", dir);
	if (record(dir, "aa", "an-earlier-boot") || record(dir, "bb", "an-earlier-boot") ||
	    swauth_grubenv_set(NULL, 0, "swauth_trial", "2", block, &err) ||
	    put(path, block, sizeof(block)))
		return -1;
	snprintf(path, sizeof(path), "%s/current", dir);
	if (symlink("bb", path))
		return -1;
	snprintf(path, sizeof(path), "%s/previous", dir);
	return symlink("aa", path);
}

/*
 * GRUB went back to previous (swauth.entry=previous): confirm makes that
 * pair current, previous still names it; show running and a second
 * confirm still know it runs.
 */
TEST_F(env, confirm_previous)
{
	static struct swauth_config cfg;
	static struct swauth_reload_record rec;
	char boot_id[40], said[256];
	struct swauth_error err;
	bool reloaded;
	int fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, trial_booted(self->dir, &cfg));
	if (!fake_cmdline(self->dir, "root=/dev/vda ro swauth.entry=previous\n"))
		SKIP(return, "no mount namespace to give the test its own /proc/cmdline");

	ASSERT_EQ(0, swauth_running_image(&cfg, &rec, &reloaded));
	EXPECT_STREQ("aa", rec.id);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_bootdir_confirm(&cfg, said, sizeof(said), &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("the boot loader went back to the previous kernel and initramfs: it boots them from now on",
		     said);
	EXPECT_STREQ("aa", link_of(self->dir, "current"));
	EXPECT_STREQ("aa", link_of(self->dir, "previous"));
	EXPECT_STREQ("", trial(fd));
	EXPECT_FALSE(exists(self->dir, "bb"));

	ASSERT_EQ(0, swauth_running_image(&cfg, &rec, &reloaded));
	EXPECT_STREQ("aa", rec.id);
	EXPECT_STREQ("flash:aa.SPA", rec.name);
	ASSERT_EQ(0, swauth_bootdir_confirm(&cfg, said, sizeof(said), &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("aa", link_of(self->dir, "current"));
	EXPECT_STREQ("", trial(fd));
	EXPECT_TRUE(exists(self->dir, "aa/vmlinuz"));

	/* A pair written in this boot is current now: not the one that runs. */
	ASSERT_EQ(0, swauth_boot_id(boot_id, sizeof(boot_id)));
	pair(self->dir, "cc");
	ASSERT_EQ(0, record(self->dir, "cc", boot_id));
	ASSERT_EQ(0, swauth_bootdir_switch(fd, "cc", SWAUTH_BOOTDIR_PLAIN, &err));
	EXPECT_EQ(-ENOENT, swauth_running_image(&cfg, &rec, &reloaded));
	EXPECT_EQ(-ENOENT, swauth_bootdir_confirm(&cfg, said, sizeof(said), &err));
	close(fd);
}

/*
 * The boot loader's swauth.entry= comes last: one in GRUB_CMDLINE_LINUX
 * (say, copied from /proc/cmdline) does not make a system GRUB took back
 * to previous believe it runs the failed trial, which confirm would then
 * make the only pair.
 */
TEST_F(env, entry_last_word)
{
	static struct swauth_config cfg;
	static struct swauth_reload_record rec;
	bool reloaded;

	ASSERT_EQ(0, trial_booted(self->dir, &cfg));
	if (!fake_cmdline(self->dir, "root=/dev/vda swauth.entry=current ro swauth.entry=previous\n"))
		SKIP(return, "no mount namespace to give the test its own /proc/cmdline");
	EXPECT_STREQ("previous", swauth_boot_entry(&cfg));
	ASSERT_EQ(0, swauth_running_image(&cfg, &rec, &reloaded));
	EXPECT_STREQ("aa", rec.id);
}

/*
 * A boot-dir others may write is refused, sticky or not: a local user
 * could link current to a pair of theirs, or create grubenv or staged.
 */
TEST_F(env, loose_dir)
{
	static const mode_t modes[] = { 0777, 01777, 0775 };
	struct swauth_error err;
	size_t i;
	int fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	pair(self->dir, "aa");
	pair(self->dir, "bb");
	ASSERT_EQ(0, swauth_bootdir_switch(fd, "aa", SWAUTH_BOOTDIR_PLAIN, &err));
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		ASSERT_EQ(0, chmod(self->dir, modes[i]));
		swauth_error_clear(&err);
		EXPECT_EQ(-EPERM, swauth_bootdir_switch(fd, "bb", SWAUTH_BOOTDIR_TRIAL, &err));
		EXPECT_STREQ("boot-dir: another user's directory, or others may write in it: chown root and chmod go-w it",
			     err.msg);
		EXPECT_EQ(-EPERM, swauth_bootdir_switch(fd, "bb", SWAUTH_BOOTDIR_STAGED, &err));
		EXPECT_EQ(-EPERM, swauth_bootdir_switch(fd, "bb", SWAUTH_BOOTDIR_PLAIN, &err));
		EXPECT_STREQ("aa", link_of(self->dir, "current"));
		EXPECT_STREQ("", link_of(self->dir, "previous"));
		EXPECT_STREQ("", link_of(self->dir, "staged"));
	}
	ASSERT_EQ(0, chmod(self->dir, 0755));
	EXPECT_EQ(0, swauth_bootdir_switch(fd, "bb", SWAUTH_BOOTDIR_TRIAL, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("bb", link_of(self->dir, "current"));
	close(fd);
}

/*
 * A job that failed after its cold reload --trial wrote boot-dir, its
 * reboot never came (reboot(2) or last-reload failed): the next boot,
 * whenever it comes, boots the pair it had, not the failed job's; a trial
 * from an earlier boot, the one that runs, is not touched.
 */
TEST_F(env, unstage_trial_of_this_boot)
{
	static struct swauth_config cfg;
	char boot_id[40];
	struct swauth_error err;
	int fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, swauth_boot_id(boot_id, sizeof(boot_id)));
	ASSERT_EQ(0, trial_booted(self->dir, &cfg));
	pair(self->dir, "cc");
	ASSERT_EQ(0, record(self->dir, "cc", boot_id));
	if (!fake_cmdline(self->dir, "root=/dev/vda ro swauth.entry=current\n"))
		SKIP(return, "no mount namespace to give the test its own /proc/cmdline");

	/* bb runs on trial: left as it is. */
	swauth_bootdir_unstage(&cfg);
	EXPECT_STREQ("bb", link_of(self->dir, "current"));
	EXPECT_STREQ("aa", link_of(self->dir, "previous"));
	EXPECT_STREQ("2", trial(fd));

	/* cc, written in this boot on trial: gone, aa is what boots. */
	ASSERT_EQ(0, swauth_bootdir_switch(fd, "cc", SWAUTH_BOOTDIR_TRIAL, &err)) TH_LOG("%s", err.msg);
	EXPECT_STREQ("cc", link_of(self->dir, "current"));
	EXPECT_FALSE(exists(self->dir, "bb"));
	swauth_bootdir_unstage(&cfg);
	EXPECT_STREQ("aa", link_of(self->dir, "current"));
	EXPECT_STREQ("aa", link_of(self->dir, "previous"));
	EXPECT_STREQ("", trial(fd));
	EXPECT_FALSE(exists(self->dir, "cc"));
	EXPECT_TRUE(exists(self->dir, "aa/vmlinuz"));
	close(fd);
}

TEST_HARNESS_MAIN

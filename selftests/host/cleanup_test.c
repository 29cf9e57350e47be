// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/fs/cleanup.c, the disk clean-up utility, on a tree of real files:
 * images signed with keyrings/dev (good, old, truncated, with a bad header,
 * for another platform, of a later format, a boot loader), left-over and
 * busy temporaries of lib/fs/safewrite.c, ELF core files, kdump and
 * systemd-coredump files, protected images (by name, through a symbolic
 * link and through a hard link), symbolic links to files outside, a
 * subdirectory, another user's file. Each category lists exactly its
 * files; execution deletes by the plan and keeps what changed, what is
 * protected, what is declined, and stops when enough is free.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <linux/swauth.h>

#include "kmod/image.h"
#include "lib/fs.h"
#include "lib/image.h"
#include "selftests/host/imagegen.h"

#include "kselftest_harness.h"

enum { PAYLOAD_SIZE = 20000, OTHER_UID = 1234 };

/* What the callbacks saw, and the fake free space. */
struct seen {
	uint64_t base;		/* free before any deletion */
	uint64_t freed;		/* by the deletions reported */
	int free_calls;
	int decline;		/* the confirm callback says no to this call (1-based) */
	int stop;		/* ... and stops at this one */
	int confirms;
	const char *swap_from;	/* the confirm callback renames this over the file asked about */
	char log[2048];		/* "name=status " per report */
};

static int fake_free(int target_fd, uint64_t *bytes, void *arg)
{
	struct seen *s = arg;

	(void)target_fd;
	s->free_calls++;
	*bytes = s->base + s->freed;
	return 0;
}

static int confirm(const struct swauth_cleanup_file *f, void *arg)
{
	struct seen *s = arg;

	s->confirms++;
	if (s->swap_from) {
		char to[PATH_MAX], *base;

		snprintf(to, sizeof(to), "%s", s->swap_from);
		base = strrchr(to, '/') + 1;
		snprintf(base, sizeof(to) - (size_t)(base - to), "%s", f->name);
		if (rename(s->swap_from, to))
			fprintf(stderr, "# rename %s %s: %s\n", s->swap_from, to, strerror(errno));
		s->swap_from = NULL;
	}
	if (s->confirms == s->stop)
		return -EINTR;
	return s->confirms == s->decline ? 0 : 1;
}

static void report(const struct swauth_cleanup_file *f, int status, const char *msg, void *arg)
{
	struct seen *s = arg;
	size_t n = strlen(s->log);

	(void)msg;
	if (!status)
		s->freed += f->frees;
	snprintf(s->log + n, sizeof(s->log) - n, "%s=%d ", f->name, status);
}

FIXTURE(tree) {
	char dir[64];
	char flash[PATH_MAX], flash1[PATH_MAX], crash[PATH_MAX], coredump[PATH_MAX];
	char outside[PATH_MAX];
	char protect[3][PATH_MAX];
	const char *protect_list[3];
	struct swauth_cleanup_dir dirs[2];
	struct swauth_cleanup_request req;
	struct swauth_cleanup_plan plan;
	struct swauth_error err;
	struct seen seen;
	int busy_fd;
	char list[2048];
};

static int write_file(const char *path, const void *buf, size_t len, time_t mtime)
{
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != (ssize_t)len) {
		close(fd);
		return -EIO;
	}
	close(fd);
	return utimensat(AT_FDCWD, path, ts, 0) ? -errno : 0;
}

static int copy_file(const char *from, const char *to, time_t mtime)
{
	static char buf[PAYLOAD_SIZE * 2];
	ssize_t n;
	int fd = open(from, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, sizeof(buf));
	close(fd);
	return n <= 0 ? -EIO : write_file(to, buf, (size_t)n, mtime);
}

static int set_mtime(const char *path, time_t mtime)
{
	struct timespec ts[2] = { { mtime, 0 }, { mtime, 0 } };

	return utimensat(AT_FDCWD, path, ts, AT_SYMLINK_NOFOLLOW) ? -errno : 0;
}

/* A 64-bit little-endian ELF header of type ET_CORE. */
static int write_core(const char *path, time_t mtime)
{
	unsigned char h[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

	h[16] = 4;
	return write_file(path, h, sizeof(h), mtime);
}

static void path_of(char *out, const char *dir, const char *name)
{
	snprintf(out, PATH_MAX, "%s/%s", dir, name);
}

FIXTURE_SETUP(tree)
{
	static const uint8_t v2[4] = { 2 };
	char keys[PATH_MAX], p[PATH_MAX], q[PATH_MAX], good[PATH_MAX], sub[PATH_MAX];
	struct swauth_image_header h;
	unsigned char hb[SWAUTH_IMAGE_HEADER_SIZE];
	uint8_t *payload;
	size_t i;
	FILE *f;

	self->busy_fd = -1;
	ASSERT_EQ(0, imagegen_keys_dir(keys, sizeof(keys)));
	snprintf(self->dir, sizeof(self->dir), "/tmp/swauth-cleanup.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	path_of(self->flash, self->dir, "flash");
	path_of(self->flash1, self->dir, "flash1");
	path_of(self->crash, self->dir, "crash");
	path_of(self->coredump, self->dir, "coredump");
	path_of(self->outside, self->dir, "outside");
	ASSERT_EQ(0, mkdir(self->flash, 0755));
	ASSERT_EQ(0, mkdir(self->flash1, 0755));
	ASSERT_EQ(0, mkdir(self->crash, 0755));
	ASSERT_EQ(0, mkdir(self->coredump, 0755));
	ASSERT_EQ(0, mkdir(self->outside, 0755));

	payload = malloc(PAYLOAD_SIZE);
	ASSERT_NE(NULL, payload);
	for (i = 0; i < PAYLOAD_SIZE; i++)
		payload[i] = (uint8_t)(i * 13);
	path_of(good, self->outside, "victim.SPA");
	ASSERT_EQ(0, imagegen_sign(keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA256, NULL, payload, PAYLOAD_SIZE, good));
	imagegen_platform = "other";
	path_of(p, self->flash, "other.SPA");
	ASSERT_EQ(0, imagegen_sign(keys, "production-A", SWAUTH_IMAGE_PRODUCTION,
				   SWAUTH_HASH_SHA256, NULL, payload, PAYLOAD_SIZE, p));
	imagegen_platform = "test";
	ASSERT_EQ(0, set_mtime(p, 12));
	path_of(p, self->flash, "loader.SPA");
	ASSERT_EQ(0, imagegen_sign(keys, "special-B", SWAUTH_IMAGE_BOOTLOADER,
				   SWAUTH_HASH_SHA256, NULL, payload, PAYLOAD_SIZE, p));
	ASSERT_EQ(0, set_mtime(p, 36));
	free(payload);

	f = fopen(good, "rb");
	ASSERT_NE(NULL, f);
	ASSERT_EQ(sizeof(hb), fread(hb, 1, sizeof(hb), f));
	fclose(f);
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(hb, sizeof(hb), &h));

	/* irrecoverable: a left-over, a truncated image, a bad header; a busy temporary */
	path_of(p, self->flash, ".x.SPA.swauth-AbC123");
	ASSERT_EQ(0, copy_file(good, p, 10));
	path_of(p, self->flash, "truncated.SPA");
	ASSERT_EQ(0, copy_file(good, p, 11));
	ASSERT_EQ(0, imagegen_truncate(p, h.image_size - 1));
	ASSERT_EQ(0, set_mtime(p, 11));
	path_of(p, self->flash, "badhdr.SPA");
	ASSERT_EQ(0, copy_file(good, p, 13));
	ASSERT_EQ(0, imagegen_patch(p, 104, "\x01", 1));
	ASSERT_EQ(0, set_mtime(p, 13));
	path_of(p, self->flash, ".busy.SPA.swauth-XyZ789");
	ASSERT_EQ(0, copy_file(good, p, 14));
	self->busy_fd = open(p, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->busy_fd);

	/* core, and two files that are not */
	path_of(p, self->flash, "core");
	ASSERT_EQ(0, write_core(p, 20));
	path_of(p, self->flash, "core.1234");
	ASSERT_EQ(0, write_core(p, 21));
	path_of(p, self->flash, "core.99");
	ASSERT_EQ(0, write_file(p, "not a core file\n", 16, 22));
	path_of(p, self->flash, "core.txt");
	ASSERT_EQ(0, write_core(p, 23));

	/* images, the protected ones and those no category takes */
	path_of(p, self->flash, "old.SPA");
	ASSERT_EQ(0, copy_file(good, p, 30));
	path_of(p, self->flash, "good.SPA");
	ASSERT_EQ(0, copy_file(good, p, 31));
	path_of(p, self->flash, "running.SPA");
	ASSERT_EQ(0, copy_file(good, p, 32));
	snprintf(self->protect[0], PATH_MAX, "%s", p);
	path_of(p, self->flash, "boot.SPA");
	ASSERT_EQ(0, copy_file(good, p, 33));
	path_of(self->protect[1], self->outside, "bootlink");
	ASSERT_EQ(0, symlink(p, self->protect[1]));
	path_of(p, self->flash1, "fallback.SPA");
	ASSERT_EQ(0, copy_file(good, p, 34));
	path_of(self->protect[2], self->outside, "fallback-hard");
	ASSERT_EQ(0, link(p, self->protect[2]));
	path_of(p, self->flash, "future.SPA");
	ASSERT_EQ(0, copy_file(good, p, 35));
	ASSERT_EQ(0, imagegen_patch(p, 8, v2, sizeof(v2)));
	/* Another user's file: only root can make one. */
	if (!geteuid()) {
		path_of(p, self->flash, "foreign.SPA");
		ASSERT_EQ(0, copy_file(good, p, 37));
		ASSERT_EQ(0, chown(p, OTHER_UID, OTHER_UID));
	}
	path_of(p, self->flash, "twice.SPA");
	ASSERT_EQ(0, copy_file(good, p, 38));
	path_of(q, self->outside, "twice");
	ASSERT_EQ(0, link(p, q));
	path_of(p, self->flash, "notes.txt");
	ASSERT_EQ(0, write_file(p, "notes\n", 6, 39));
	path_of(p, self->flash, "alias.SPA");
	ASSERT_EQ(0, symlink("running.SPA", p));
	path_of(p, self->flash, "link.SPA");
	ASSERT_EQ(0, symlink(good, p));
	path_of(sub, self->flash, "sub");
	ASSERT_EQ(0, mkdir(sub, 0755));
	path_of(p, sub, "old2.SPA");
	ASSERT_EQ(0, copy_file(good, p, 1));

	/* crashinfo: top level, one kdump directory, nothing deeper, no link */
	path_of(p, self->crash, "a.crash");
	ASSERT_EQ(0, write_file(p, "crash report\n", 13, 5));
	if (!geteuid())
		ASSERT_EQ(0, chown(p, OTHER_UID, OTHER_UID));
	path_of(sub, self->crash, "202612070000");
	ASSERT_EQ(0, mkdir(sub, 0755));
	path_of(p, sub, "dump.202612070000");
	ASSERT_EQ(0, write_file(p, "vmcore", 6, 6));
	path_of(p, sub, "deeper");
	ASSERT_EQ(0, mkdir(p, 0755));
	path_of(q, p, "x");
	ASSERT_EQ(0, write_file(q, "x", 1, 1));
	path_of(p, self->crash, "link");
	ASSERT_EQ(0, symlink(good, p));

	/* systemd-coredump */
	path_of(p, self->coredump, "core.sshd.0.1.2.3.zst");
	ASSERT_EQ(0, write_file(p, "zstd", 4, 7));
	path_of(p, self->coredump, "notcore.txt");
	ASSERT_EQ(0, write_file(p, "x", 1, 2));

	self->dirs[0].path = self->flash;
	self->dirs[0].prefix = "flash:";
	self->dirs[1].path = self->flash1;
	self->dirs[1].prefix = "flash1:";
	for (i = 0; i < 3; i++)
		self->protect_list[i] = self->protect[i];
	memset(&self->req, 0, sizeof(self->req));
	self->req.flash = self->dirs;
	self->req.n_flash = 2;
	self->req.crash_dir = self->crash;
	self->req.coredump_dir = self->coredump;
	self->req.protect = self->protect_list;
	self->req.n_protect = 3;
	self->req.platform = "test";
	self->req.target = self->flash;
	self->req.target_name = "flash:";
	self->req.free_space = fake_free;
	self->req.free_arg = &self->seen;
	memset(&self->seen, 0, sizeof(self->seen));
	swauth_error_clear(&self->err);
	memset(&self->plan, 0, sizeof(self->plan));
	self->plan.target_fd = -1;
}

FIXTURE_TEARDOWN(tree)
{
	char cmd[128];

	swauth_cleanup_plan_free(&self->plan);
	if (self->busy_fd >= 0)
		close(self->busy_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* The plan as "category:name ..." in deletion order. */
static const char *listing(char *buf, size_t len, const struct swauth_cleanup_plan *plan)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < plan->n && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s:%s", i ? " " : "",
				      swauth_cleanup_category_name(plan->files[i].category),
				      plan->files[i].name);
	return buf;
}

static bool exists(const char *dir, const char *name)
{
	char p[PATH_MAX];
	struct stat st;

	path_of(p, dir, name);
	return !lstat(p, &st);
}

/* Whether every one of @names is in @dir; each missing one is named on stderr. */
static bool all_exist(const char *dir, const char *const *names, size_t n)
{
	bool all = true;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!exists(dir, names[i])) {
			fprintf(stderr, "# %s was deleted\n", names[i]);
			all = false;
		}
	}
	return all;
}

#define IRRECOVERABLE "irrecoverable:.x.SPA.swauth-AbC123 irrecoverable:truncated.SPA " \
	"irrecoverable:other.SPA irrecoverable:badhdr.SPA"
#define CRASHINFO "crashinfo:a.crash crashinfo:dump.202612070000"
#define CORE "core:core.sshd.0.1.2.3.zst core:core core:core.1234"
#define IMAGE "image:old.SPA image:good.SPA"

/* Each category alone lists exactly its files, oldest first. */
TEST_F(tree, categories)
{
	static const char *const want[SWAUTH_CLEANUP_CATEGORIES] = {
		IRRECOVERABLE, CRASHINFO, CORE, IMAGE,
	};
	unsigned int c;

	for (c = 0; c < SWAUTH_CLEANUP_CATEGORIES; c++) {
		self->req.policy = SWAUTH_CLEANUP_BIT(c);
		ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err)) {
			TH_LOG("%s", self->err.msg);
		}
		EXPECT_STREQ(want[c], listing(self->list, sizeof(self->list), &self->plan));
		swauth_cleanup_plan_free(&self->plan);
	}
}

/* All together: irrecoverable, crashinfo, core, image; the sums add up. */
TEST_F(tree, order_and_sums)
{
	uint64_t sum = 0;
	size_t i;

	self->req.policy = SWAUTH_CLEANUP_ALL;
	self->req.needed = 12345;
	self->seen.base = 1000;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_STREQ(IRRECOVERABLE " " CRASHINFO " " CORE " " IMAGE,
		     listing(self->list, sizeof(self->list), &self->plan));
	for (i = 0; i < self->plan.n; i++) {
		EXPECT_LT(0, self->plan.files[i].frees);
		sum += self->plan.files[i].frees;
	}
	EXPECT_EQ(12345, self->plan.needed);
	EXPECT_EQ(1000, self->plan.free_now);
	EXPECT_EQ(1000 + sum, self->plan.free_after);
	EXPECT_STREQ("flash:old.SPA", self->plan.files[self->plan.n - 2].display);
}

/*
 * auto, never enough: everything listed goes; the protected images (by
 * name, through a link, through a hard link), the link targets, the
 * subdirectory and every other file stay.
 */
TEST_F(tree, auto_deletes_only_the_plan)
{
	static const char *const kept[] = {
		".busy.SPA.swauth-XyZ789", "core.99", "core.txt", "running.SPA", "boot.SPA",
		"future.SPA", "loader.SPA", "twice.SPA", "notes.txt",
		"alias.SPA", "link.SPA", "sub/old2.SPA",
	};
	char d[PATH_MAX];
	size_t i;

	self->req.policy = SWAUTH_CLEANUP_ALL;
	self->req.needed = UINT64_MAX;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	ASSERT_EQ(11, self->plan.n);
	EXPECT_EQ(-ENOSPC, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_AUTO, NULL, report,
						  &self->seen, &self->err));
	snprintf(d, sizeof(d), "%%Not enough space on flash: (%" PRIu64 " bytes needed, %" PRIu64
		 " free)", UINT64_MAX, self->seen.freed);
	EXPECT_STREQ(d, self->err.msg);
	EXPECT_STREQ(".x.SPA.swauth-AbC123=0 truncated.SPA=0 other.SPA=0 badhdr.SPA=0 "
		     "a.crash=0 dump.202612070000=0 core.sshd.0.1.2.3.zst=0 core=0 core.1234=0 "
		     "old.SPA=0 good.SPA=0 ", self->seen.log);
	for (i = 0; i < self->plan.n; i++) {
		struct stat st;

		EXPECT_NE(0, fstatat(self->plan.dir_fds[self->plan.files[i].dir],
				     self->plan.files[i].name, &st, AT_SYMLINK_NOFOLLOW)) {
			TH_LOG("%s is still there", self->plan.files[i].display);
		}
	}
	EXPECT_FALSE(exists(self->crash, "202612070000/dump.202612070000"));
	EXPECT_EQ(!geteuid(), exists(self->flash, "foreign.SPA"));
	EXPECT_TRUE(all_exist(self->flash, kept, sizeof(kept) / sizeof(kept[0])));
	EXPECT_TRUE(exists(self->flash1, "fallback.SPA"));
	EXPECT_TRUE(exists(self->outside, "victim.SPA"));
	EXPECT_TRUE(exists(self->crash, "link"));
	EXPECT_TRUE(exists(self->crash, "202612070000/deeper/x"));
	EXPECT_TRUE(exists(self->coredump, "notcore.txt"));
}

/* A file renamed over a planned name between plan and execute is kept, unasked. */
TEST_F(tree, swapped_file_kept)
{
	char from[PATH_MAX], to[PATH_MAX];

	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_IMAGE);
	self->req.needed = UINT64_MAX;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	ASSERT_STREQ(IMAGE, listing(self->list, sizeof(self->list), &self->plan));
	path_of(from, self->flash, "notes.txt");
	path_of(to, self->flash, "old.SPA");
	ASSERT_EQ(0, rename(from, to));
	EXPECT_EQ(-ENOSPC, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_CONFIRM, confirm,
						  report, &self->seen, &self->err));
	EXPECT_STREQ("old.SPA=-116 good.SPA=0 ", self->seen.log);	/* -ESTALE */
	EXPECT_EQ(1, self->seen.confirms);	/* not asked about old.SPA */
	EXPECT_TRUE(exists(self->flash, "old.SPA"));
	EXPECT_FALSE(exists(self->flash, "good.SPA"));
}

/* The same while the operator is asked: the file is looked at again after the answer. */
TEST_F(tree, swapped_while_asked)
{
	char from[PATH_MAX];

	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_IMAGE);
	self->req.needed = UINT64_MAX;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	ASSERT_STREQ(IMAGE, listing(self->list, sizeof(self->list), &self->plan));
	path_of(from, self->flash, "notes.txt");
	self->seen.swap_from = from;
	EXPECT_EQ(-ENOSPC, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_CONFIRM, confirm,
						  report, &self->seen, &self->err));
	EXPECT_EQ(NULL, self->seen.swap_from);
	EXPECT_STREQ("old.SPA=-116 good.SPA=0 ", self->seen.log);	/* -ESTALE */
	EXPECT_TRUE(exists(self->flash, "old.SPA"));
	EXPECT_FALSE(exists(self->flash, "notes.txt"));
	EXPECT_EQ(2, self->seen.confirms);
}

/* What a message says about each file. */
TEST_F(tree, describe)
{
	char buf[PATH_MAX * 2], want[256];
	size_t i;

	self->req.policy = SWAUTH_CLEANUP_ALL;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	ASSERT_EQ(11, self->plan.n);
	for (i = 0; i < self->plan.n; i++) {
		const struct swauth_cleanup_file *f = &self->plan.files[i];

		swauth_cleanup_describe(f, buf, sizeof(buf));
		if (!strcmp(f->name, ".x.SPA.swauth-AbC123"))
			snprintf(want, sizeof(want), "flash:%s (irrecoverable: left over from an "
				 "interrupted copy, %" PRIu64 " bytes)", f->name, f->size);
		else if (!strcmp(f->name, "truncated.SPA"))
			snprintf(want, sizeof(want), "flash:%s (irrecoverable: truncated: the "
				 "payload is shorter than the header says, %" PRIu64 " bytes)",
				 f->name, f->size);
		else if (!strcmp(f->name, "other.SPA"))
			snprintf(want, sizeof(want), "flash:%s (irrecoverable: an image for platform "
				 "other, this is test, %" PRIu64 " bytes)", f->name, f->size);
		else if (!strcmp(f->name, "good.SPA"))
			snprintf(want, sizeof(want), "flash:%s (image: Production image test-image "
				 "1.0, %" PRIu64 " bytes)", f->name, f->size);
		else if (!strcmp(f->name, "core.1234"))
			snprintf(want, sizeof(want), "flash:%s (core: core dump, 64 bytes)", f->name);
		else if (!strcmp(f->name, "dump.202612070000"))
			snprintf(want, sizeof(want), "%s/202612070000/%s (crashinfo: crash dump or "
				 "report, 6 bytes)", self->crash, f->name);
		else
			continue;
		EXPECT_STREQ(want, buf);
	}
}

/* A protected path that names a planned file by execution time protects it. */
TEST_F(tree, protected_again_before_unlink)
{
	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_IMAGE);
	self->req.needed = UINT64_MAX;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	ASSERT_STREQ(IMAGE, listing(self->list, sizeof(self->list), &self->plan));
	ASSERT_EQ(0, unlink(self->protect[1]));
	ASSERT_EQ(0, symlink("../flash/old.SPA", self->protect[1]));
	EXPECT_EQ(-ENOSPC, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_AUTO, NULL, report,
						  &self->seen, &self->err));
	EXPECT_STREQ("old.SPA=-1 good.SPA=0 ", self->seen.log);	/* -EPERM */
	EXPECT_TRUE(exists(self->flash, "old.SPA"));
}

/* A protected path that names nothing protects nothing; one that cannot be looked at stops. */
TEST_F(tree, protected_path_unusable)
{
	char loop[PATH_MAX];

	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_IMAGE);
	path_of(self->protect[0], self->outside, "missing.SPA");
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_STREQ("image:old.SPA image:good.SPA image:running.SPA",
		     listing(self->list, sizeof(self->list), &self->plan));
	swauth_cleanup_plan_free(&self->plan);

	path_of(loop, self->outside, "loop");
	ASSERT_EQ(0, symlink("loop", loop));
	path_of(self->protect[0], self->outside, "loop");
	EXPECT_EQ(-ELOOP, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_EQ(0, strncmp(self->err.msg, "%Error checking protected file ", 31));
	EXPECT_NE(NULL, strstr(self->err.msg, "nothing deleted"));
}

/* A left-over someone opened after the plan is in use again: kept. */
TEST_F(tree, leftover_opened_after_plan_kept)
{
	char p[PATH_MAX];
	int fd;

	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_IRRECOVERABLE);
	self->req.needed = UINT64_MAX;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	ASSERT_STREQ(IRRECOVERABLE, listing(self->list, sizeof(self->list), &self->plan));
	path_of(p, self->flash, ".x.SPA.swauth-AbC123");
	fd = open(p, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-ENOSPC, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_AUTO, NULL, report,
						  &self->seen, &self->err));
	close(fd);
	EXPECT_STREQ(".x.SPA.swauth-AbC123=-16 truncated.SPA=0 other.SPA=0 badhdr.SPA=0 ",
		     self->seen.log);	/* -EBUSY */
	EXPECT_TRUE(exists(self->flash, ".x.SPA.swauth-AbC123"));
}

/* confirm: a no keeps that file and goes on; a negative answer stops. */
TEST_F(tree, confirm)
{
	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_CORE);
	self->req.needed = UINT64_MAX;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	ASSERT_STREQ(CORE, listing(self->list, sizeof(self->list), &self->plan));
	EXPECT_EQ(-EINVAL, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_CONFIRM, NULL,
						  report, &self->seen, &self->err));
	EXPECT_STREQ("disk-management confirm: nobody to ask", self->err.msg);
	EXPECT_EQ(-EINVAL, swauth_cleanup_execute(&self->plan, 7, confirm, report, &self->seen,
						  &self->err));
	EXPECT_EQ(0, self->seen.confirms);
	self->seen.decline = 2;
	self->seen.stop = 3;
	EXPECT_EQ(-EINTR, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_CONFIRM, confirm,
						 report, &self->seen, &self->err));
	EXPECT_STREQ("%Disk clean-up stopped before flash:core.1234", self->err.msg);
	EXPECT_STREQ("core.sshd.0.1.2.3.zst=0 core=-125 ", self->seen.log);	/* -ECANCELED */
	EXPECT_FALSE(exists(self->coredump, "core.sshd.0.1.2.3.zst"));
	EXPECT_TRUE(exists(self->flash, "core"));
	EXPECT_TRUE(exists(self->flash, "core.1234"));
	EXPECT_EQ(3, self->seen.confirms);
}

/* Deletion stops as soon as enough is free, and does not start when it is. */
TEST_F(tree, stops_when_enough)
{
	self->req.policy = SWAUTH_CLEANUP_ALL;
	self->seen.base = 1000;
	self->req.needed = 1001;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_EQ(0, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_AUTO, NULL, report,
					    &self->seen, &self->err));
	EXPECT_STREQ(".x.SPA.swauth-AbC123=0 ", self->seen.log);
	EXPECT_TRUE(exists(self->flash, "truncated.SPA"));

	self->seen.log[0] = '\0';
	self->plan.needed = 1000 + self->seen.freed;
	EXPECT_EQ(0, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_AUTO, NULL, report,
					    &self->seen, &self->err));
	EXPECT_STREQ("", self->seen.log);
	EXPECT_TRUE(exists(self->flash, "truncated.SPA"));
}

/* no: nothing is deleted, the message gives the space needed and free. */
TEST_F(tree, mode_no)
{
	self->req.policy = SWAUTH_CLEANUP_ALL;
	self->seen.base = 4096;
	self->req.needed = 1048576;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_EQ(-ENOSPC, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_NO, NULL, report,
						  &self->seen, &self->err));
	EXPECT_STREQ("%Not enough space on flash: (1048576 bytes needed, 4096 free)",
		     self->err.msg);
	EXPECT_STREQ("", self->seen.log);
	EXPECT_TRUE(exists(self->flash, ".x.SPA.swauth-AbC123"));
	self->plan.needed = 4096;
	EXPECT_EQ(0, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_NO, NULL, report,
					    &self->seen, &self->err));
}

/* An empty policy lists and deletes nothing. */
TEST_F(tree, empty_policy)
{
	self->req.policy = 0;
	self->req.needed = UINT64_MAX;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_EQ(0, self->plan.n);
	EXPECT_EQ(-ENOSPC, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_AUTO, NULL, report,
						  &self->seen, &self->err));
	EXPECT_STREQ("", self->seen.log);
	EXPECT_TRUE(exists(self->flash, ".x.SPA.swauth-AbC123"));
	EXPECT_TRUE(exists(self->flash, "old.SPA"));
}

/* The real free space (fstatvfs): enough already deletes nothing; never enough deletes all. */
TEST_F(tree, statvfs)
{
	static const char want[] =
		"%Not enough space on flash: (18446744073709551615 bytes needed, ";
	struct statvfs sv;
	uint64_t now;

	self->req.free_space = NULL;
	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_IMAGE);
	self->req.needed = 0;
	ASSERT_EQ(0, statvfs(self->flash, &sv));
	now = (uint64_t)sv.f_bavail * sv.f_frsize;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	/* Other processes write to this file system too. */
	EXPECT_GT(now / 100, now > self->plan.free_now ? now - self->plan.free_now :
						     self->plan.free_now - now);
	EXPECT_EQ(0, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_AUTO, NULL, report,
					    &self->seen, &self->err));
	EXPECT_STREQ("", self->seen.log);
	self->plan.needed = UINT64_MAX;
	EXPECT_EQ(-ENOSPC, swauth_cleanup_execute(&self->plan, SWAUTH_CLEANUP_AUTO, NULL, report,
						  &self->seen, &self->err));
	EXPECT_STREQ("old.SPA=0 good.SPA=0 ", self->seen.log);
	EXPECT_EQ(0, strncmp(self->err.msg, want, strlen(want))) {
		TH_LOG("%s", self->err.msg);
	}
}

/* Without this machine's platform, an image for another one is not judged unbootable. */
TEST_F(tree, no_platform)
{
	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_IRRECOVERABLE) |
			   SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_IMAGE);
	self->req.platform = NULL;
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_STREQ("irrecoverable:.x.SPA.swauth-AbC123 irrecoverable:truncated.SPA "
		     "irrecoverable:badhdr.SPA image:other.SPA " IMAGE,
		     listing(self->list, sizeof(self->list), &self->plan));
}

/* With the floors, a system image signed by a revoked key can never boot here. */
TEST_F(tree, revoked_key)
{
	uint32_t floors[SWAUTH_KEY_MAX + 1] = { 0 };

	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_IRRECOVERABLE);
	self->req.floors = floors;
	floors[SWAUTH_KEY_PRODUCTION] = 'A';
	floors[SWAUTH_KEY_SPECIAL] = 'C';	/* the boot loader's key: boot loaders are kept */
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_STREQ(IRRECOVERABLE, listing(self->list, sizeof(self->list), &self->plan));
	swauth_cleanup_plan_free(&self->plan);

	floors[SWAUTH_KEY_PRODUCTION] = 'B';
	ASSERT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_STREQ(IRRECOVERABLE " irrecoverable:old.SPA irrecoverable:good.SPA",
		     listing(self->list, sizeof(self->list), &self->plan));
	ASSERT_EQ(6, self->plan.n);
	EXPECT_STREQ("signed by production key A, revoked (floor B)", self->plan.files[5].why);
}

/* Files on another file system than the target free nothing there: not listed. */
TEST_F(tree, other_file_system)
{
	char shm[] = "/dev/shm/swauth-cleanup.XXXXXX", p[PATH_MAX];
	struct stat a, b;

	ASSERT_EQ(0, stat(self->flash, &a));
	if (stat("/dev/shm", &b) || a.st_dev == b.st_dev || !mkdtemp(shm))
		SKIP(return, "no /dev/shm on another file system");
	path_of(p, shm, "b.crash");
	ASSERT_EQ(0, write_file(p, "crash", 5, 3));
	self->req.crash_dir = shm;
	self->req.policy = SWAUTH_CLEANUP_BIT(SWAUTH_CLEANUP_CRASHINFO);
	EXPECT_EQ(0, swauth_cleanup_plan(&self->req, &self->plan, &self->err));
	EXPECT_EQ(0, self->plan.n);
	unlink(p);
	rmdir(shm);
}

/* The configuration words, and the file systems of swauth.conf. */
TEST(names)
{
	struct swauth_cleanup_dir dirs[SWAUTH_CLEANUP_FLASH_MAX + 1];
	unsigned int c = 99;

	ASSERT_EQ(0, swauth_cleanup_category_parse("crashinfo", &c));
	EXPECT_EQ(SWAUTH_CLEANUP_CRASHINFO, c);
	ASSERT_EQ(0, swauth_cleanup_category_parse("irrecoverable", &c));
	EXPECT_EQ(SWAUTH_CLEANUP_IRRECOVERABLE, c);
	EXPECT_EQ(-EINVAL, swauth_cleanup_category_parse("images", &c));
	EXPECT_STREQ("core", swauth_cleanup_category_name(SWAUTH_CLEANUP_CORE));
	EXPECT_EQ(NULL, swauth_cleanup_category_name(SWAUTH_CLEANUP_CATEGORIES));
	EXPECT_EQ(SWAUTH_CLEANUP_FLASH_MAX, swauth_cleanup_flash_dirs(NULL, dirs,
								      SWAUTH_CLEANUP_FLASH_MAX + 1));
	EXPECT_STREQ("flash:", dirs[0].prefix);
	EXPECT_STREQ(SWAUTH_FLASH_DIR, dirs[0].path);
	EXPECT_STREQ("nvram:", dirs[5].prefix);
	EXPECT_EQ(2, swauth_cleanup_flash_dirs(NULL, dirs, 2));
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/fs/safewrite.c where the file system has no O_TMPFILE
 * (swauth_safewrite_no_tmpfile): the visible temporary is created
 * O_EXCL|O_NOFOLLOW; a symbolic link at the final name is replaced, never
 * written through; a failure, an abort or SIGTERM leaves no temporary; the
 * mode is the one asked for (or the old file's), whatever the umask; the
 * file is fsynced before the rename and the directory after it.
 * swauth_dir_open_trusted() follows only links that root or the caller owns.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/fs.h"

#include "kselftest_harness.h"

/* What the library did, in order: 'f' fsync of a file, 'd' of a directory, 'r' a rename. */
static char trace[64];

static void note(char c)
{
	size_t n = strlen(trace);

	if (n + 1 < sizeof(trace))
		trace[n] = c;
}

/* The test's own fsync() and renameat(), which libswauth links against. */
int fsync(int fd)
{
	struct stat st;

	if (!fstat(fd, &st))
		note(S_ISDIR(st.st_mode) ? 'd' : 'f');
	return (int)syscall(SYS_fsync, fd);
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	note('r');
	return (int)syscall(SYS_renameat2, olddirfd, oldpath, newdirfd, newpath, 0);
}

FIXTURE(fallback) {
	char dir[64], path[128], victim[128];
	int dir_fd;
	struct swauth_error err;
};

FIXTURE_SETUP(fallback)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/swauth-safewrite.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(self->path, sizeof(self->path), "%s/out", self->dir);
	snprintf(self->victim, sizeof(self->victim), "%s/victim", self->dir);
	self->dir_fd = open(self->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, self->dir_fd);
	swauth_safewrite_no_tmpfile = true;
	memset(trace, 0, sizeof(trace));
	swauth_error_clear(&self->err);
}

FIXTURE_TEARDOWN(fallback)
{
	char cmd[128];

	close(self->dir_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

/* How many of our temporary files @dir holds. */
static int count_tmp(const char *dir)
{
	struct dirent *e;
	DIR *d = opendir(dir);
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (swauth_safewrite_is_tmp(e->d_name))
			n++;
	closedir(d);
	return n;
}

static bool holds(const char *path, const char *text)
{
	char buf[256];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return false;
	buf[n] = '\0';
	return !strcmp(buf, text);
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

TEST_F(fallback, visible_temporary_while_writing)
{
	struct swauth_safewrite w;
	struct stat st;

	ASSERT_EQ(0, swauth_safewrite_open(&w, self->dir_fd, "out", 0644, 0, &self->err));
	EXPECT_FALSE(w.anon);
	EXPECT_TRUE(swauth_safewrite_is_tmp(w.tmp));
	ASSERT_EQ(0, fstatat(self->dir_fd, w.tmp, &st, AT_SYMLINK_NOFOLLOW));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(1, count_tmp(self->dir));
	ASSERT_EQ(0, swauth_safewrite_write(&w, "new\n", 4, &self->err));
	ASSERT_EQ(0, swauth_safewrite_commit(&w, &self->err));
	EXPECT_TRUE(holds(self->path, "new\n"));
	EXPECT_EQ(0, count_tmp(self->dir));
}

/* Another user's link at the final name: replaced, its target untouched. */
TEST_F(fallback, symlink_at_name_replaced)
{
	struct stat st;

	put(self->victim, "victim\n");
	ASSERT_EQ(0, symlink(self->victim, self->path));
	ASSERT_EQ(0, lchown(self->path, 65534, 65534));
	ASSERT_EQ(0, swauth_safewrite_path(self->path, "new\n", 4, 0644,
					   SWAUTH_SAFEWRITE_FOLLOW_OWN, &self->err)) {
		TH_LOG("%s", self->err.msg);
	}
	EXPECT_TRUE(holds(self->victim, "victim\n"));
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_TRUE(holds(self->path, "new\n"));
	EXPECT_EQ(0, count_tmp(self->dir));
}

/* A link the caller owns, with SWAUTH_SAFEWRITE_FOLLOW_OWN: its target is replaced. */
TEST_F(fallback, own_symlink_followed)
{
	struct stat st;

	put(self->victim, "old\n");
	ASSERT_EQ(0, symlink("victim", self->path));
	ASSERT_EQ(0, swauth_safewrite_path(self->path, "new\n", 4, 0644,
					   SWAUTH_SAFEWRITE_FOLLOW_OWN, &self->err)) {
		TH_LOG("%s", self->err.msg);
	}
	ASSERT_EQ(0, lstat(self->path, &st));
	EXPECT_TRUE(S_ISLNK(st.st_mode));
	EXPECT_TRUE(holds(self->victim, "new\n"));
}

TEST_F(fallback, mode_whatever_the_umask)
{
	mode_t old = umask(077);
	struct stat st;

	ASSERT_EQ(0, swauth_safewrite_path(self->path, "x", 1, 0644, 0, &self->err));
	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0644, st.st_mode & 07777);
	ASSERT_EQ(0, chmod(self->path, 0600));
	ASSERT_EQ(0, swauth_safewrite_path(self->path, "y", 1, 0644, SWAUTH_SAFEWRITE_KEEP_MODE,
					   &self->err));
	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0600, st.st_mode & 07777);
	ASSERT_EQ(0, swauth_safewrite_path(self->path, "z", 1, 0640, 0, &self->err));
	ASSERT_EQ(0, stat(self->path, &st));
	EXPECT_EQ(0640, st.st_mode & 07777);
	umask(old);
}

/* The file is synced before the rename, the directory after it. */
TEST_F(fallback, fsync_order)
{
	ASSERT_EQ(0, swauth_safewrite_path(self->path, "x", 1, 0644, 0, &self->err));
	EXPECT_STREQ("frd", trace);
}

/* An abort, and a rename that fails, leave the old file and no temporary. */
TEST_F(fallback, failure_leaves_no_temporary)
{
	struct swauth_safewrite w;
	char sub[160];

	put(self->path, "old\n");
	ASSERT_EQ(0, swauth_safewrite_open(&w, self->dir_fd, "out", 0644, 0, &self->err));
	ASSERT_EQ(0, swauth_safewrite_write(&w, "new\n", 4, &self->err));
	swauth_safewrite_abort(&w);
	EXPECT_TRUE(holds(self->path, "old\n"));
	EXPECT_EQ(0, count_tmp(self->dir));

	ASSERT_EQ(0, swauth_safewrite_open(&w, self->dir_fd, "out", 0644, 0, &self->err));
	ASSERT_EQ(0, swauth_safewrite_write(&w, "new\n", 4, &self->err));
	/* Meanwhile the name became a directory that is not empty. */
	ASSERT_EQ(0, unlink(self->path));
	ASSERT_EQ(0, mkdir(self->path, 0755));
	snprintf(sub, sizeof(sub), "%s/keep", self->path);
	put(sub, "keep\n");
	EXPECT_NE(0, swauth_safewrite_commit(&w, &self->err));
	EXPECT_TRUE(holds(sub, "keep\n"));
	EXPECT_EQ(0, count_tmp(self->dir));
}

/* SIGTERM while the temporary is visible: the handler removes it. */
TEST_F(fallback, sigterm_leaves_no_temporary)
{
	struct swauth_safewrite w;
	int status;
	pid_t pid;

	put(self->path, "old\n");
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		swauth_safewrite_signals();
		if (swauth_safewrite_open(&w, self->dir_fd, "out", 0644, 0, &self->err) ||
		    swauth_safewrite_write(&w, "new\n", 4, &self->err) || count_tmp(self->dir) != 1)
			_exit(1);
		kill(getpid(), SIGTERM);
		_exit(2);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) {
		TH_LOG("status %#x", status);
	}
	EXPECT_TRUE(holds(self->path, "old\n"));
	EXPECT_EQ(0, count_tmp(self->dir));
}

/* swauth_dir_open_trusted(): root's and the caller's links are followed, no one else's. */
TEST_F(fallback, dir_open_trusted)
{
	char own[160], other[160], through[200], target[160];
	int fd;

	snprintf(target, sizeof(target), "%s/target", self->dir);
	ASSERT_EQ(0, mkdir(target, 0755));
	snprintf(own, sizeof(own), "%s/own", self->dir);
	ASSERT_EQ(0, symlink("target", own));
	fd = swauth_dir_open_trusted(own, &self->err);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	snprintf(other, sizeof(other), "%s/other", self->dir);
	ASSERT_EQ(0, symlink(target, other));
	ASSERT_EQ(0, lchown(other, 65534, 65534));
	EXPECT_EQ(-ELOOP, swauth_dir_open_trusted(other, &self->err));
	EXPECT_NE(NULL, strstr(self->err.msg, "symbolic link"));
	/* On the way, not only last. */
	snprintf(through, sizeof(through), "%s/.", other);
	EXPECT_EQ(-ELOOP, swauth_dir_open_trusted(through, &self->err));
	/* A trusted link to an untrusted one. */
	ASSERT_EQ(0, unlink(own));
	ASSERT_EQ(0, symlink("other", own));
	EXPECT_EQ(-ELOOP, swauth_dir_open_trusted(own, &self->err));
}

TEST_HARNESS_MAIN

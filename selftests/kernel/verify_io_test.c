// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * How VERIFY_IMAGE treats the file descriptor: only a descriptor open for
 * reading is accepted, a file open for writing is not verified, writers
 * are refused while verification runs, and unprivileged callers are
 * refused outright.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "genl.h"
#include "kselftest_harness.h"

#define GOOD "build/tests/images/ok-sha256.SPA"

FIXTURE(io) {
	char tmp[64];
};

FIXTURE_SETUP(io)
{
	int ret;

	ASSERT_EQ(0, module_ensure_loaded());
	ret = genl_provision("build/tests/images/certs/production-A.der", NULL);
	ASSERT_TRUE(ret == 0 || ret == -EEXIST);
	strcpy(self->tmp, "/tmp/swauth-io-XXXXXX");
	ASSERT_LE(0, mkstemp(self->tmp));
}

FIXTURE_TEARDOWN(io)
{
	unlink(self->tmp);
}

/* Not a descriptor, or not one open for reading: -EBADF and a message. */
TEST_F(io, bad_fd)
{
	struct genl_verify v;
	struct genl_ext ext;
	int fd;

	EXPECT_EQ(-EBADF, genl_verify(1000, &v, &ext));
	EXPECT_STREQ("not a file descriptor open for reading", ext.msg);
	fd = open(GOOD, O_WRONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBADF, genl_verify(fd, &v, NULL));
	close(fd);
	fd = open(GOOD, O_PATH);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EBADF, genl_verify(fd, &v, NULL));
	close(fd);
}

/* A file someone has open for writing is not verified. */
TEST_F(io, open_for_writing)
{
	struct genl_verify v;
	int rfd, wfd;

	wfd = open(self->tmp, O_WRONLY);
	ASSERT_LE(0, wfd);
	rfd = open(self->tmp, O_RDONLY);
	ASSERT_LE(0, rfd);
	ASSERT_EQ(0, genl_verify(rfd, &v, NULL));
	EXPECT_EQ(SWAUTH_VERDICT_WRITE_BUSY, v.verdict);
	close(wfd);
	close(rfd);
}

/*
 * While a large image is verified, opening it for writing fails with
 * ETXTBSY; afterwards it succeeds again and the verdict is unaffected.
 */
TEST_F(io, writers_refused_during_verification)
{
	const char *big = "/tmp/swauth-big.SPA";
	struct genl_verify v;
	int status, fd, busy = 0, tries;
	pid_t pid;

	/* A private copy: the test opens it for writing. */
	ASSERT_EQ(0, system("cp build/tests/images/big.SPA /tmp/swauth-big.SPA"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		fd = open(big, O_RDONLY);
		if (fd < 0)
			_exit(100);
		if (genl_verify(fd, &v, NULL))
			_exit(101);
		_exit(v.verdict);
	}
	for (tries = 0; tries < 2000 && !busy; tries++) {
		fd = open(big, O_WRONLY);
		if (fd < 0 && errno == ETXTBSY)
			busy = 1;
		else if (fd >= 0)
			close(fd);
		usleep(1000);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(busy) TH_LOG("no write was refused during verification");
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(SWAUTH_VERDICT_OK, WEXITSTATUS(status));
	fd = open(big, O_WRONLY);
	EXPECT_LE(0, fd);
	close(fd);
	unlink(big);
}

static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/swauth/refcnt", "r");
	long n = -1;

	if (f && fscanf(f, "%ld", &n) != 1)
		n = -1;
	if (f)
		fclose(f);
	return n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * A signed header that claims a 1 GiB payload, then 1 GiB of holes: the
 * signature verifies, so the module reads the whole payload. Holes in
 * tmpfs read as the zero page and take no memory.
 */
#define HUGE "/tmp/swauth-huge.SPA"
#define MAKE_HUGE \
	"set -e; d=$(mktemp -d); head -c 256 " GOOD " >$d/h; " \
	"printf '\\000' | dd of=$d/h bs=1 seek=25 conv=notrunc status=none; " \
	"printf '\\100' | dd of=$d/h bs=1 seek=27 conv=notrunc status=none; " \
	"openssl dgst -sha256 -sign keyrings/dev/production-A.key -out $d/s $d/h; " \
	"cat $d/h $d/s >" HUGE "; truncate -s $((512 + (1 << 30))) " HUGE "; rm -r $d"

/*
 * A caller killed while its image is read goes at once: the read stops
 * between chunks, the module lets go of everything (its reference count,
 * the file's write access) and the next verification works.
 */
TEST_F(io, killable)
{
	long refcnt = module_refcnt();
	int status, fd, busy = 0, tries;
	struct genl_verify v;
	double t;
	pid_t pid;

	ASSERT_EQ(0, system(MAKE_HUGE));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		fd = open(HUGE, O_RDONLY);
		_exit(fd < 0 ? 100 : genl_verify(fd, &v, NULL) ? 101 : 102);
	}
	/* Wait until the module holds the file, then give it a second. */
	for (tries = 0; tries < 5000 && !busy; tries++) {
		fd = open(HUGE, O_WRONLY);
		if (fd < 0 && errno == ETXTBSY)
			busy = 1;
		else if (fd >= 0)
			close(fd);
		usleep(1000);
	}
	EXPECT_TRUE(busy) TH_LOG("the verification never started");
	sleep(1);
	ASSERT_EQ(0, kill(pid, SIGKILL));
	t = now();
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_LT(now() - t, 2.0) TH_LOG("reaped after %.1f s", now() - t);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	EXPECT_EQ(refcnt, module_refcnt());
	fd = open(HUGE, O_WRONLY);
	EXPECT_LE(0, fd) TH_LOG("write access still denied: %s", strerror(errno));
	close(fd);
	unlink(HUGE);
	fd = open(GOOD, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, genl_verify(fd, &v, NULL));
	EXPECT_EQ(SWAUTH_VERDICT_OK, v.verdict);
	close(fd);
}

/* An unprivileged caller may not verify (nor hold a file's writers off). */
TEST_F(io, unprivileged)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct genl_verify v;
		int fd = open(GOOD, O_RDONLY);

		if (fd < 0 || setgid(65534) || setuid(65534))
			_exit(10);
		_exit(genl_verify(fd, &v, NULL) == -EPERM ? 0 : 11);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN

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
#include <sys/wait.h>
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

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * /dev/swauth and how SWAUTH_IOC_VERIFY treats its argument: only a
 * descriptor open for reading is accepted, a file open for writing is not
 * verified, writers are refused while verification runs, callers who may
 * not open the device are refused outright, and a killed caller stops the
 * read at once.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
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

/* Not a descriptor, or not one open for reading: -EBADF. */
TEST_F(io, bad_fd)
{
	struct genl_verify v;
	int fd;

	EXPECT_EQ(-EBADF, genl_verify(1000, &v, NULL));
	EXPECT_EQ(-EBADF, genl_verify(-1, &v, NULL));
	EXPECT_EQ(-EBADF, genl_verify(INT_MIN, &v, NULL));
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
	struct genl_verify v;
	int status, fd, p[2];
	char c;
	double t;
	pid_t pid;

	ASSERT_EQ(0, system(MAKE_HUGE));
	ASSERT_EQ(0, pipe(p));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		fd = open(HUGE, O_RDONLY);
		if (fd < 0 || write(p[1], "v", 1) != 1)
			_exit(100);
		_exit(genl_verify(fd, &v, NULL) ? 101 : 102);
	}
	close(p[1]);
	ASSERT_EQ(1, read(p[0], &c, 1));
	close(p[0]);
	/* A second into the read, which takes far longer than that. */
	sleep(1);
	fd = open(HUGE, O_WRONLY);
	EXPECT_EQ(-1, fd);
	EXPECT_EQ(ETXTBSY, errno) TH_LOG("the verification is not running");
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

/* The device: a character device only root may open. */
TEST_F(io, device)
{
	struct stat st;

	ASSERT_EQ(0, stat("/dev/" SWAUTH_DEV_NAME, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
	EXPECT_EQ(0, st.st_uid);
	EXPECT_EQ(10, major(st.st_rdev));	/* a misc device */
}

/*
 * Every field the module fills must be zero on entry, flags too; an
 * unknown ioctl is not one of the device's.
 */
TEST_F(io, bad_arg)
{
	struct swauth_verify_arg arg;
	int fd = open(GOOD, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	memset(&arg, 0, sizeof(arg));
	arg.fd = fd;
	EXPECT_EQ(0, dev_ioctl(SWAUTH_IOC_VERIFY, &arg));
	EXPECT_EQ(SWAUTH_VERDICT_OK, arg.verdict);
	EXPECT_EQ(-EINVAL, dev_ioctl(SWAUTH_IOC_VERIFY, &arg));
	memset(&arg, 0, sizeof(arg));
	arg.fd = fd;
	arg.flags = 1;
	EXPECT_EQ(-EINVAL, dev_ioctl(SWAUTH_IOC_VERIFY, &arg));
	EXPECT_EQ(-EINVAL, dev_ioctl(SWAUTH_IOC_SEAL, &arg));
	arg.flags = 0;
	arg.computed_digest[63] = 1;
	EXPECT_EQ(-EINVAL, dev_ioctl(SWAUTH_IOC_VERIFY, &arg));
	arg.computed_digest[63] = 0;
	arg.kernel_fd = -1;
	EXPECT_EQ(-EINVAL, dev_ioctl(SWAUTH_IOC_VERIFY, &arg));
	arg.kernel_fd = 0;
	EXPECT_EQ(-ENOTTY, dev_ioctl(_IOWR(SWAUTH_IOC_MAGIC, 3, struct swauth_verify_arg),
				     &arg));
	EXPECT_EQ(-EFAULT, dev_ioctl(SWAUTH_IOC_VERIFY, NULL));
	close(fd);
}

/* A certificate buffer too small gets -ENOSPC and the size it needs. */
TEST_F(io, cert_buffer)
{
	struct swauth_verify_arg arg;
	uint8_t small[16], cert[SWAUTH_CERT_MAX];
	int fd = open(GOOD, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	memset(&arg, 0, sizeof(arg));
	arg.fd = fd;
	arg.cert_buf = (uintptr_t)small;
	arg.cert_buf_len = sizeof(small);
	EXPECT_EQ(-ENOSPC, dev_ioctl(SWAUTH_IOC_VERIFY, &arg));
	EXPECT_LT(sizeof(small), arg.signer_cert_len);
	memset(&arg, 0, sizeof(arg));
	arg.fd = fd;
	arg.cert_buf = (uintptr_t)cert;
	arg.cert_buf_len = sizeof(cert);
	ASSERT_EQ(0, dev_ioctl(SWAUTH_IOC_VERIFY, &arg));
	EXPECT_EQ(SWAUTH_VERDICT_OK, arg.verdict);
	EXPECT_EQ(SWAUTH_VERIFY_V_HEADER | SWAUTH_VERIFY_V_SIGNER | SWAUTH_VERIFY_V_COMPUTED,
		  arg.valid);
	EXPECT_EQ(0x30, cert[0]);	/* a DER SEQUENCE */
	EXPECT_EQ(32, arg.digest_size);
	EXPECT_EQ(0, memcmp(arg.embedded_digest, arg.computed_digest, 32));
	EXPECT_EQ(-1, arg.kernel_fd);
	EXPECT_EQ(-1, arg.initrd_fd);
	EXPECT_STREQ("ok-sha256", arg.image_name);
	close(fd);
}

/* Who may not open the device may not verify (nor hold a file's writers off). */
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
		_exit(genl_verify(fd, &v, NULL) == -EACCES ? 0 : 11);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN

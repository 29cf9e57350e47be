// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * SWAUTH_IOC_SEAL: a verified system image comes back as sealed, immutable
 * copies of its kernel and initramfs, the very bytes that were hashed,
 * which kexec_file_load(2) accepts; changing the image file afterwards
 * changes nothing in them, and nothing comes back for an image that fails,
 * for a caller without CAP_SYS_BOOT, or when the answer cannot be
 * delivered.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/kexec.h>

#include "genl.h"
#include "kselftest_harness.h"
#include "sealed.h"

#define IMG "build/tests/images/"

/*
 * Whether an fd's content equals a file's: from its start, or (a sealed
 * initramfs) after the running-image record.
 */
static int same_content(int fd, const char *path, int record)
{
	static char a[1 << 16], b[1 << 16];
	off_t skip = record ? sealed_record_len(fd) : 0;
	ssize_t n, m;
	int ret = 1, pfd = open(path, O_RDONLY);

	if (pfd < 0 || skip < 0 || lseek(fd, skip, SEEK_SET) != skip)
		return 0;
	do {
		n = read(fd, a, sizeof(a));
		m = read(pfd, b, sizeof(b));
		if (n != m || n < 0 || memcmp(a, b, n))
			ret = 0;
	} while (ret && n > 0);
	close(pfd);
	return ret;
}

static int count_fds(void)
{
	char path[64];
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n += access(path, F_OK) == 0;
	}
	return n;
}

FIXTURE(seal) {
	struct genl_verify v;
	int fds[2];
};

FIXTURE_SETUP(seal)
{
	int ret;

	ASSERT_EQ(0, module_ensure_loaded());
	ret = genl_provision(IMG "certs/production-A.der", NULL);
	ASSERT_TRUE(ret == 0 || ret == -EEXIST);
	ret = genl_provision(IMG "certs/production-B.der", NULL);
	ASSERT_TRUE(ret == 0 || ret == -EEXIST);
}

FIXTURE_TEARDOWN(seal)
{
}

static int seal_path(const char *path, struct genl_verify *v, int fds[2],
		     struct genl_ext *ext)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = genl_seal(fd, v, fds, ext);
	close(fd);
	return ret;
}

/* The copies hold the kernel and initramfs bytes, and cannot be written. */
TEST_F(seal, copies)
{
	char c = 0;

	ASSERT_EQ(0, seal_path(IMG "system-A.SPA", &self->v, self->fds, NULL));
	EXPECT_EQ(SWAUTH_VERDICT_OK, self->v.verdict);
	ASSERT_LE(0, self->fds[0]);
	ASSERT_LE(0, self->fds[1]);
	EXPECT_TRUE(same_content(self->fds[0], IMG "system-kernel", 0));
	EXPECT_TRUE(same_content(self->fds[1], IMG "system-initrd", 1));
	EXPECT_EQ(-1, write(self->fds[0], &c, 1));
	EXPECT_EQ(EBADF, errno);
	EXPECT_EQ(FD_CLOEXEC, fcntl(self->fds[0], F_GETFD));
	close(self->fds[0]);
	close(self->fds[1]);
}

/*
 * Nothing changes a copy: not a reopen through /proc for writing, a write,
 * a resize, a shared writable mapping nor a new mode. They carry the
 * memfd seals that say so, and a read-only mode.
 */
TEST_F(seal, copies_immutable)
{
	static const char *const parts[2] = { IMG "system-kernel", IMG "system-initrd" };
	char path[64], c = 0;
	struct stat st;
	int fd, i;

	ASSERT_EQ(0, seal_path(IMG "system-A.SPA", &self->v, self->fds, NULL));
	ASSERT_EQ(SWAUTH_VERDICT_OK, self->v.verdict);
	for (i = 0; i < 2; i++) {
		fd = self->fds[i];
		ASSERT_LE(0, fd);
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		EXPECT_EQ(-1, open(path, O_RDWR));
		EXPECT_EQ(EPERM, errno);
		EXPECT_EQ(-1, open(path, O_WRONLY | O_TRUNC));
		EXPECT_EQ(EPERM, errno);
		EXPECT_EQ(-1, pwrite(fd, &c, 1, 0));
		EXPECT_EQ(EBADF, errno);
		EXPECT_EQ(-1, ftruncate(fd, 0));
		EXPECT_EQ(EINVAL, errno);
		EXPECT_EQ(-1, fallocate(fd, 0, 0, 1 << 20));
		EXPECT_EQ(EBADF, errno);
		EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ | PROT_WRITE,
					   MAP_SHARED, fd, 0));
		EXPECT_EQ(EACCES, errno);
		EXPECT_EQ(-1, fchmod(fd, 0666));
		EXPECT_EQ(EPERM, errno);
		EXPECT_EQ(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE,
			  fcntl(fd, F_GET_SEALS));
		ASSERT_EQ(0, fstat(fd, &st));
		EXPECT_EQ(0444, st.st_mode & 07777);
		EXPECT_TRUE(same_content(fd, parts[i], i));
		close(fd);
	}
}

/*
 * The copies say they are immutable (FS_IOC_GETFLAGS, statx), so that
 * their owner, the caller, cannot take S_IMMUTABLE away with
 * FS_IOC_SETFLAGS without CAP_LINUX_IMMUTABLE, and then change the mode.
 */
TEST_F(seal, immutable_flag_stays)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int flags = -1, status, i;
	pid_t pid;

	ASSERT_EQ(0, seal_path(IMG "system-A.SPA", &self->v, self->fds, NULL));
	ASSERT_EQ(SWAUTH_VERDICT_OK, self->v.verdict);
	ASSERT_EQ(0, ioctl(self->fds[0], FS_IOC_GETFLAGS, &flags));
	EXPECT_TRUE(flags & FS_IMMUTABLE_FL) TH_LOG("flags %#x", flags);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (syscall(SYS_capget, &h, d))
			_exit(10);
		d[0].effective &= ~(1U << CAP_LINUX_IMMUTABLE);
		if (syscall(SYS_capset, &h, d))
			_exit(11);
		for (i = 0; i < 2; i++) {
			flags = 0;
			if (ioctl(self->fds[i], FS_IOC_SETFLAGS, &flags) == 0)
				_exit(12 + i);
			if (fchmod(self->fds[i], 0644) == 0)
				_exit(14 + i);
		}
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(self->fds[0]);
	close(self->fds[1]);
}

/* Replacing the image after sealing does not reach the copies. */
TEST_F(seal, image_changed_afterwards)
{
	ASSERT_EQ(0, system("cp " IMG "system-A.SPA /tmp/swauth-sys.SPA"));
	ASSERT_EQ(0, seal_path("/tmp/swauth-sys.SPA", &self->v, self->fds, NULL));
	ASSERT_EQ(0, system("dd if=/dev/zero of=/tmp/swauth-sys.SPA bs=4096 seek=1 count=100 conv=notrunc 2>/dev/null"));
	EXPECT_TRUE(same_content(self->fds[0], IMG "system-kernel", 0));
	close(self->fds[0]);
	close(self->fds[1]);
	unlink("/tmp/swauth-sys.SPA");
}

/* kexec_file_load() takes the sealed copies; unloaded again at once. */
TEST_F(seal, kexec_file_load)
{
	const char cmdline[] = "console=ttyS0";

	ASSERT_EQ(0, seal_path(IMG "system-A.SPA", &self->v, self->fds, NULL));
	EXPECT_EQ(0, syscall(SYS_kexec_file_load, self->fds[0], self->fds[1],
			     sizeof(cmdline), cmdline, 0UL)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, syscall(SYS_kexec_file_load, -1, -1, 0, NULL,
			     (unsigned long)KEXEC_FILE_UNLOAD));
	close(self->fds[0]);
	close(self->fds[1]);
}

/* Failures hand out nothing: no descriptor appears in the caller. */
TEST_F(seal, refusals_leak_nothing)
{
	int before = count_fds();

	ASSERT_EQ(0, seal_path(IMG "system-tampered.SPA", &self->v, self->fds,
			       NULL));
	EXPECT_EQ(SWAUTH_VERDICT_BAD_DIGEST, self->v.verdict);
	EXPECT_EQ(-1, self->fds[0]);
	EXPECT_EQ(-EBADMSG, seal_path(IMG "ok-sha256.SPA", &self->v, self->fds,
				      NULL));
	EXPECT_EQ(-EMEDIUMTYPE, seal_path(IMG "ok-bootloader.SPB", &self->v,
					  self->fds, NULL));
	EXPECT_EQ(-EMEDIUMTYPE, seal_path(IMG "ok-revocation.SRA", &self->v,
					  self->fds, NULL));
	EXPECT_EQ(before, count_fds());
}

/* An image for another platform verifies but is not sealed. */
TEST_F(seal, other_platform)
{
	int before = count_fds(), fd;

	EXPECT_EQ(-ENOEXEC, seal_path(IMG "system-aarch64.SPA", &self->v,
				      self->fds, NULL));
	EXPECT_EQ(-1, self->fds[0]);
	EXPECT_EQ(before, count_fds());
	/* Verifying is not sealing: the image itself is fine. */
	fd = open(IMG "system-aarch64.SPA", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, genl_verify(fd, &self->v, NULL));
	EXPECT_EQ(SWAUTH_VERDICT_OK, self->v.verdict);
	close(fd);
}

/* An image that names this system's platform is sealed like one for any. */
TEST_F(seal, same_platform)
{
	ASSERT_EQ(0, seal_path(IMG "system-native.SPA", &self->v, self->fds, NULL));
	EXPECT_EQ(SWAUTH_VERDICT_OK, self->v.verdict);
	ASSERT_LE(0, self->fds[0]);
	EXPECT_TRUE(same_content(self->fds[0], IMG "system-kernel", 0));
	close(self->fds[0]);
	close(self->fds[1]);
}

/*
 * Without CAP_SYS_BOOT (dropped from the bounding set and from this
 * process's sets, as a service manager would) sealing is refused with
 * -EPERM; verifying still works.
 */
TEST_F(seal, needs_cap_sys_boot)
{
	int status;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
		struct __user_cap_data_struct d[2];
		int fd = open(IMG "system-A.SPA", O_RDONLY | O_CLOEXEC), fds[2];
		struct genl_verify v;

		if (fd < 0 || prctl(PR_CAPBSET_DROP, CAP_SYS_BOOT) ||
		    syscall(SYS_capget, &h, d))
			_exit(10);
		d[CAP_TO_INDEX(CAP_SYS_BOOT)].effective &= ~CAP_TO_MASK(CAP_SYS_BOOT);
		d[CAP_TO_INDEX(CAP_SYS_BOOT)].permitted &= ~CAP_TO_MASK(CAP_SYS_BOOT);
		d[CAP_TO_INDEX(CAP_SYS_BOOT)].inheritable &= ~CAP_TO_MASK(CAP_SYS_BOOT);
		if (syscall(SYS_capset, &h, d))
			_exit(11);
		if (genl_seal(fd, &v, fds, NULL) != -EPERM || fds[0] != -1)
			_exit(12);
		if (genl_verify(fd, &v, NULL) || v.verdict != SWAUTH_VERDICT_OK)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/*
 * An answer that cannot be written back (the argument in a read-only
 * mapping) gets -EFAULT, and the copies go with it: no descriptor appears,
 * no module reference stays behind.
 */
TEST_F(seal, undeliverable_leaks_nothing)
{
	int before = count_fds(), fd, i;
	long refcnt = module_refcnt();
	struct swauth_verify_arg *arg;

	fd = open(IMG "system-A.SPA", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	arg = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, arg);
	arg->fd = fd;
	ASSERT_EQ(0, mprotect(arg, 4096, PROT_READ));
	/* Twice: a leak of one reserved descriptor would show as a gap. */
	for (i = 0; i < 2; i++)
		EXPECT_EQ(-EFAULT, dev_ioctl(SWAUTH_IOC_SEAL, arg));
	EXPECT_EQ(before + 1, count_fds());
	EXPECT_EQ(refcnt, module_refcnt());
	munmap(arg, 4096);
	close(fd);
	/* The lowest free numbers are still free: the next seal gets them. */
	ASSERT_EQ(0, seal_path(IMG "system-A.SPA", &self->v, self->fds, NULL));
	EXPECT_EQ(SWAUTH_VERDICT_OK, self->v.verdict);
	EXPECT_EQ(before + 2, count_fds());
	close(self->fds[0]);
	close(self->fds[1]);
}

/* Appends le64 size and the bytes of the file at path to out. */
static int put_part(FILE *out, const char *path)
{
	static char buf[1 << 16];
	FILE *in = fopen(path, "rb");
	struct stat st;
	size_t n;
	int i;

	if (!in || fstat(fileno(in), &st))
		return -1;
	for (i = 0; i < 8; i++)
		fputc((int)(((uint64_t)st.st_size >> (8 * i)) & 0xff), out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	return ferror(out) ? -1 : 0;
}

/* A system image signed by a special key is sealed, with a warning. */
TEST_F(seal, special_key_warns)
{
	const char *payload = "/tmp/swauth-special-payload", *image = "/tmp/swauth-special.SSB";
	FILE *out = fopen(payload, "wb");
	int ret;

	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, put_part(out, IMG "system-kernel"));
	ASSERT_EQ(0, put_part(out, IMG "system-initrd"));
	ASSERT_EQ(0, fclose(out));
	ASSERT_EQ(0, system("swauth sign --key keyrings/dev/special-B.key "
			    "--cert keyrings/dev/special-B.crt --type special --key-version B "
			    "--name system-special /tmp/swauth-special-payload "
			    "-o /tmp/swauth-special.SSB >/dev/null"));
	ret = genl_provision(IMG "certs/special-B.der", NULL);
	ASSERT_TRUE(ret == 0 || ret == -EEXIST);
	ASSERT_EQ(0, system("dmesg -C"));
	ASSERT_EQ(0, seal_path(image, &self->v, self->fds, NULL));
	EXPECT_EQ(SWAUTH_VERDICT_OK, self->v.verdict);
	ASSERT_LE(0, self->fds[0]);
	EXPECT_TRUE(same_content(self->fds[0], IMG "system-kernel", 0));
	close(self->fds[0]);
	close(self->fds[1]);
	EXPECT_EQ(0, system("dmesg | grep -q 'swauth: %DIGISIGN-4-DEV_IMAGE: System software signed using special key version B'"));
	unlink(payload);
	unlink(image);
}

TEST_HARNESS_MAIN

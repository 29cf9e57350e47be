// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * kexecforge: what a process can hand kexec while swauth enforces it
 * (selftests/kernel/enforce_test.sh). Seals IMAGE through /dev/swauth,
 * then tries kexec_file_load(2) with the sealed copies, with the copies
 * reopened through /proc/self/fd, and with forgeries of them: a memfd
 * holding the same bytes under every memfd seal, a tmpfs file with the
 * same bytes made immutable, a sealed kernel with a forged initramfs,
 * and kexec_load(2). Prints one line per attempt, "NAME: loaded" or
 * "NAME: refused (ERRNO)", and unloads whatever loaded.
 *
 * Usage: kexecforge IMAGE TMPDIR
 *
 * Exit status: 0 when every attempt ran, 3 when one could not be set up.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/kexec.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/swauth.h>

static const char cmdline[] = "console=ttyS0";

static void report(const char *name, long ret)
{
	if (!ret)
		printf("%s: loaded\n", name);
	else
		printf("%s: refused (%s)\n", name, strerrorname_np(errno) ?: "?");
	/* Leave nothing loaded for the next attempt, nor for the test. */
	if (!ret)
		syscall(SYS_kexec_file_load, -1, -1, 0, NULL, KEXEC_FILE_UNLOAD);
}

static void try_file(const char *name, int kernel, int initrd)
{
	report(name, syscall(SYS_kexec_file_load, kernel, initrd, sizeof(cmdline), cmdline, 0));
}

/* A copy of what fd holds, in a new file made by make(). */
static int copy(int fd, int dst)
{
	char buf[1 << 16];
	off_t pos = 0;
	ssize_t n;

	if (dst < 0)
		return -1;
	while ((n = pread(fd, buf, sizeof(buf), pos)) > 0) {
		if (write(dst, buf, n) != n)
			return -1;
		pos += n;
	}
	return n < 0 ? -1 : dst;
}

static int memfd_copy(int fd)
{
	int m = copy(fd, memfd_create("swauth-kernel", MFD_ALLOW_SEALING | MFD_CLOEXEC));

	if (m >= 0 && fcntl(m, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW |
			    F_SEAL_WRITE))
		return -1;
	return m;
}

static int tmpfs_copy(int fd, const char *dir, const char *name)
{
	char path[4096];
	int t, flags = FS_IMMUTABLE_FL;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	t = copy(fd, open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0444));
	if (t < 0)
		return -1;
	close(t);
	t = open(path, O_RDONLY | O_CLOEXEC);
	if (t >= 0 && ioctl(t, FS_IOC_SETFLAGS, &flags))
		return -1;
	return t;
}

int main(int argc, char *argv[])
{
	struct swauth_verify_arg arg = { 0 };
	char path[64];
	int dev, k, i;

	if (argc != 3) {
		fprintf(stderr, "Usage: kexecforge IMAGE TMPDIR\n");
		return 3;
	}
	dev = open("/dev/swauth", O_RDWR | O_CLOEXEC);
	arg.fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (dev < 0 || arg.fd < 0 || ioctl(dev, SWAUTH_IOC_SEAL, &arg) ||
	    arg.verdict != SWAUTH_VERDICT_OK || !(arg.valid & SWAUTH_VERIFY_V_SEALED)) {
		fprintf(stderr, "kexecforge: cannot seal %s: %s\n", argv[1], strerror(errno));
		return 3;
	}
	try_file("sealed", arg.kernel_fd, arg.initrd_fd);

	snprintf(path, sizeof(path), "/proc/self/fd/%d", arg.kernel_fd);
	k = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", arg.initrd_fd);
	i = open(path, O_RDONLY | O_CLOEXEC);
	if (k < 0 || i < 0) {
		fprintf(stderr, "kexecforge: cannot reopen the sealed copies: %s\n",
			strerror(errno));
		return 3;
	}
	try_file("reopened", k, i);

	k = memfd_copy(arg.kernel_fd);
	i = memfd_copy(arg.initrd_fd);
	if (k < 0 || i < 0) {
		fprintf(stderr, "kexecforge: memfd copies: %s\n", strerror(errno));
		return 3;
	}
	try_file("memfd", k, i);
	try_file("sealed kernel, memfd initramfs", arg.kernel_fd, i);

	k = tmpfs_copy(arg.kernel_fd, argv[2], "vmlinuz");
	i = tmpfs_copy(arg.initrd_fd, argv[2], "initrd.img");
	if (k < 0 || i < 0) {
		fprintf(stderr, "kexecforge: tmpfs copies: %s\n", strerror(errno));
		return 3;
	}
	try_file("immutable tmpfs", k, i);

	/* Refused before anything is looked at: no segments needed. */
	report("kexec_load", syscall(SYS_kexec_load, 0UL, 0UL, NULL, KEXEC_ARCH_DEFAULT));
	return 0;
}

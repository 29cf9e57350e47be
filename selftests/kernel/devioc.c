// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * devioc: SWAUTH_IOC_VERIFY or SWAUTH_IOC_SEAL on one file, for scripted
 * kernel tests. Prints the verdict; for a seal that verified, compares the
 * sealed kernel and initramfs with the expected files, when given.
 *
 * Usage: devioc verify FILE
 *        devioc seal FILE [KERNEL INITRD]
 *        devioc load FILE
 *        devioc copy FILE KERNEL INITRD
 *
 * load seals FILE, hands the copies to kexec_file_load(2), unloads them
 * again and prints how much Shmem the copies took (scripts/bench-reload).
 * copy seals FILE and writes the copies to KERNEL and INITRD, for tests
 * that forge from them (selftests/vm/running.t).
 *
 * Exit status: 0 verdict OK (and, sealing, copies that equal KERNEL and
 * INITRD when given), 1 any other verdict, 2 a sealed copy differs or a
 * failed verdict came with copies, 3 the ioctl or a file failed (the
 * message says which).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/kexec.h>

#include <linux/swauth.h>

#include "sealed.h"

/*
 * Whether what fd holds, from pos, is exactly the file's content: from
 * its start, or (a sealed initramfs) after the running-image record.
 */
static bool same_content(int fd, const char *path, bool record)
{
	static char a[1 << 16], b[1 << 16];
	int pfd = open(path, O_RDONLY | O_CLOEXEC);
	off_t pos = record ? sealed_record_len(fd) : 0;
	bool same = pfd >= 0 && pos >= 0;
	ssize_t n, m;

	while (same) {
		n = pread(fd, a, sizeof(a), pos);
		m = read(pfd, b, sizeof(b));
		same = n == m && n >= 0 && !memcmp(a, b, n);
		if (n <= 0)
			break;
		pos += n;
	}
	if (pfd >= 0)
		close(pfd);
	return same;
}

/* Writes all of fd to a new file at path. */
static bool copy_out(int fd, const char *path)
{
	static char a[1 << 16];
	int out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	off_t pos = 0;
	ssize_t n = 0;

	while (out >= 0 && (n = pread(fd, a, sizeof(a), pos)) > 0 && write(out, a, n) == n)
		pos += n;
	if (out < 0 || n || close(out)) {
		fprintf(stderr, "devioc: writing %s: %s\n", path, strerror(errno));
		return false;
	}
	return true;
}

/* Shmem of /proc/meminfo, in kB; -1 when it cannot be read. */
static long shmem_kb(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Shmem: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

int main(int argc, char *argv[])
{
	static const char cmdline[] = "console=ttyS0";
	struct swauth_verify_arg arg = { 0 };
	bool load = argc == 3 && !strcmp(argv[1], "load");
	bool copy = argc == 5 && !strcmp(argv[1], "copy");
	bool seal = load || copy || ((argc == 3 || argc == 5) && !strcmp(argv[1], "seal"));
	long before = shmem_kb();
	int dev, ret;

	if (!seal && (argc != 3 || strcmp(argv[1], "verify"))) {
		fprintf(stderr, "Usage: devioc verify FILE | devioc seal FILE [KERNEL INITRD] | devioc load FILE | devioc copy FILE KERNEL INITRD\n");
		return 3;
	}
	dev = open("/dev/swauth", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		fprintf(stderr, "devioc: cannot open /dev/swauth: %s\n", strerror(errno));
		return 3;
	}
	arg.fd = open(argv[2], O_RDONLY | O_CLOEXEC);
	if (arg.fd < 0) {
		fprintf(stderr, "devioc: cannot open %s: %s\n", argv[2], strerror(errno));
		return 3;
	}
	if (ioctl(dev, seal ? SWAUTH_IOC_SEAL : SWAUTH_IOC_VERIFY, &arg)) {
		fprintf(stderr, "devioc: %s of %s failed: %s\n", argv[1], argv[2],
			strerror(errno));
		return 3;
	}
	printf("verdict %u payload %llu valid %#x\n", arg.verdict,
	       (unsigned long long)arg.payload_size, arg.valid);
	if (arg.verdict != SWAUTH_VERDICT_OK) {
		if (arg.valid & SWAUTH_VERIFY_V_SEALED) {
			fprintf(stderr, "devioc: copies sealed for a failed verdict\n");
			return 2;
		}
		return 1;
	}
	if (!seal)
		return 0;
	if (!(arg.valid & SWAUTH_VERIFY_V_SEALED)) {
		fprintf(stderr, "devioc: verdict OK but no sealed copies\n");
		return 3;
	}
	if (load) {
		printf("sealed copies %ld kB of Shmem\n", shmem_kb() - before);
		if (syscall(SYS_kexec_file_load, arg.kernel_fd, arg.initrd_fd, sizeof(cmdline),
			    cmdline, 0UL) ||
		    syscall(SYS_kexec_file_load, -1, -1, 0, NULL, (unsigned long)KEXEC_FILE_UNLOAD)) {
			fprintf(stderr, "devioc: kexec_file_load: %s\n", strerror(errno));
			return 3;
		}
		return 0;
	}
	if (argc == 3)
		return 0;
	if (copy)
		return copy_out(arg.kernel_fd, argv[3]) && copy_out(arg.initrd_fd, argv[4]) ? 0 : 3;
	ret = same_content(arg.kernel_fd, argv[3], false) &&
	      same_content(arg.initrd_fd, argv[4], true);
	printf("sealed copies %s\n", ret ? "equal the expected files" : "DIFFER");
	return ret ? 0 : 2;
}

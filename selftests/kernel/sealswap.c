// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * sealswap: can root change a sealed copy through swap (selftests/vm/
 * enforce.t)? Seals IMAGE, makes a memfd canary holding the initramfs'
 * bytes XOR 0x5a, pages both out (MADV_PAGEOUT, then memory.reclaim of
 * the cgroup CGROUP the caller runs in), looks for their pages on the swap
 * device DEV, or in the file behind it (O_DIRECT where it can; writes to
 * an active swap device itself are refused, not to the disk or loop
 * device file under it), overwrites the start of each found, then reads
 * both back. The canary shows that the attack works on ordinary shmem; a
 * sealed copy must never be found on the device nor change.
 *
 * Usage: sealswap IMAGE DEV CGROUP
 *
 * Prints "canary: found|not found, changed|unchanged" and the same for
 * "sealed". Exit status: 0, or 3 when it could not be set up.
 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/swauth.h>

#define PG 4096
#define MARK "SWAPPED-BY-ROOT!"

struct victim {
	const char *name;
	int fd;
	size_t pages;
	unsigned char *orig;
	unsigned long *hashes;	/* of each page of orig */
	int found;
};

static unsigned long page_hash(const unsigned char *p)
{
	unsigned long h = 1469598103934665603UL;
	int i;

	for (i = 0; i < PG; i++)
		h = (h ^ p[i]) * 1099511628211UL;
	return h;
}

static void page_out(struct victim *v)
{
	volatile unsigned char *m = mmap(NULL, v->pages * PG, PROT_READ, MAP_SHARED, v->fd, 0);
	size_t i;

	if (m == MAP_FAILED)
		return;
	for (i = 0; i < v->pages; i++)
		(void)m[i * PG];
	madvise((void *)m, v->pages * PG, MADV_PAGEOUT);
	munmap((void *)m, v->pages * PG);
}

/* Hashes v's pages once: the device is searched page by page against all of them. */
static int hash_pages(struct victim *v)
{
	size_t i;

	v->hashes = malloc(v->pages * sizeof(*v->hashes));
	for (i = 0; v->hashes && i < v->pages; i++)
		v->hashes[i] = page_hash(v->orig + i * PG);
	return v->hashes ? 0 : -1;
}

/* Whether page is one of v's (not one of its all-same-byte pages). */
static int is_page_of(const struct victim *v, const unsigned char *page)
{
	unsigned long h;
	size_t i;

	if (!memcmp(page, page + 1, PG - 1))
		return 0;
	h = page_hash(page);
	for (i = 0; i < v->pages; i++)
		if (v->hashes[i] == h && !memcmp(v->orig + i * PG, page, PG))
			return 1;
	return 0;
}

static void report(const struct victim *v)
{
	unsigned char *now = malloc(v->pages * PG);
	int changed = !now || pread(v->fd, now, v->pages * PG, 0) != (ssize_t)(v->pages * PG) ||
		      memcmp(now, v->orig, v->pages * PG);

	printf("%s: %s, %s\n", v->name, v->found ? "found" : "not found",
	       changed ? "changed" : "unchanged");
	free(now);
}

int main(int argc, char *argv[])
{
	struct swauth_verify_arg arg = { 0 };
	struct victim v[2] = { { .name = "canary" }, { .name = "sealed" } };
	unsigned char *buf;
	char reclaim[4096];
	struct stat st;
	ssize_t n, o;
	off_t off;
	int dev, i, k;

	if (argc != 4) {
		fprintf(stderr, "Usage: sealswap IMAGE DEV CGROUP\n");
		return 3;
	}
	dev = open("/dev/swauth", O_RDWR | O_CLOEXEC);
	arg.fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (dev < 0 || arg.fd < 0 || ioctl(dev, SWAUTH_IOC_SEAL, &arg) ||
	    arg.verdict != SWAUTH_VERDICT_OK || fstat(arg.initrd_fd, &st)) {
		perror("sealswap: seal");
		return 3;
	}
	v[1].fd = arg.initrd_fd;
	v[0].fd = memfd_create("canary", MFD_CLOEXEC);
	v[0].pages = v[1].pages = st.st_size / PG;
	v[0].orig = malloc(st.st_size);
	v[1].orig = malloc(st.st_size);
	if (!v[1].pages || v[0].fd < 0 || !v[0].orig || !v[1].orig ||
	    pread(v[1].fd, v[1].orig, st.st_size, 0) != st.st_size) {
		perror("sealswap: copy");
		return 3;
	}
	for (o = 0; o < st.st_size; o++)
		v[0].orig[o] = v[1].orig[o] ^ 0x5a;
	if (pwrite(v[0].fd, v[0].orig, st.st_size, 0) != st.st_size ||
	    hash_pages(&v[0]) || hash_pages(&v[1])) {
		perror("sealswap: canary");
		return 3;
	}
	for (i = 0; i < 2; i++)
		page_out(&v[i]);
	/* What went to swap is still in the swap cache: reclaim frees it. */
	snprintf(reclaim, sizeof(reclaim), "%s/memory.reclaim", argv[3]);
	for (i = 0; i < 2; i++) {
		/* The write fails when it could not reclaim all of it. */
		k = open(reclaim, O_WRONLY | O_CLOEXEC);
		if (k >= 0) {
			n = write(k, "64M", 3);
			close(k);
		}
		sleep(1);
	}
	dev = open(argv[2], O_RDWR | O_DIRECT | O_CLOEXEC);
	if (dev < 0)	/* a loop device's backing file on tmpfs */
		dev = open(argv[2], O_RDWR | O_CLOEXEC);
	if (dev < 0 || posix_memalign((void **)&buf, PG, 1 << 20)) {
		perror("sealswap: device");
		return 3;
	}
	for (off = 0; (n = pread(dev, buf, 1 << 20, off)) > 0; off += n) {
		for (o = 0; o + PG <= n; o += PG) {
			for (i = 0; i < 2; i++) {
				if (!is_page_of(&v[i], buf + o))
					continue;
				v[i].found = 1;
				memcpy(buf + o, MARK, strlen(MARK));
				if (pwrite(dev, buf + o, PG, off + o) != PG)
					perror("sealswap: write");
			}
		}
	}
	for (i = 0; i < 2; i++)
		report(&v[i]);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Which image runs, as the module measures it instead of taking anyone's
 * word for it.
 *
 * The sealed initramfs copy (seal.c) starts with a record: a cpio archive
 * whose one entry has no file type, which the kernel's unpacker skips
 * without creating anything (init/initramfs.c, do_header()), and whose
 * data is
 *
 *   "SWAUTHRR", le32 format 1, le32 size of the signed header, le64 size
 *   of the kernel, le64 size of the initramfs that follows the archive;
 *   the image's signed header (manifest, bundled certificate, signature);
 *   the image's kernel.
 *
 * A kernel started with retain_initrd keeps the memory the boot loader or
 * kexec put the initramfs in reserved for good, and no process can write
 * it: it is System RAM (no persistent-memory device or hole made with
 * memmap=), which /dev/mem does not reach (STRICT_DEVMEM), and lockdown
 * stops the other ways in. At load the module finds it from the boot
 * parameters, read through a sysfs mount of its own (boot.c), and hashes
 * the payload again: "le64 size, kernel, le64 size, initramfs", with the
 * kernel from the record, the initramfs as booted and both size fields
 * written from what it measured. That must give the manifest's payload
 * digest: then the booted initramfs is, byte for byte, the image's, and
 * the record's kernel too, whose version string must be this kernel's.
 *
 * The signature is checked each time the record is used, against the keys
 * trusted then: a key provisioned after load counts, a revoked one no
 * longer does.
 */

#include <crypto/algapi.h>
#include <crypto/hash.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <asm/unaligned.h>

#include "swauth.h"

#define RECORD_NAME "swauth-running"
#define TRAILER_NAME "TRAILER!!!"
#define RECORD_MAGIC "SWAUTHRR"
#define RECORD_FORMAT 1
#define RECORD_HEAD 32
#define HEADER_MAX (SWAUTH_IMAGE_HEADER_SIZE + SWAUTH_IMAGE_CERT_MAX + \
		    SWAUTH_IMAGE_SIG_MAX)
/* A kernel in the record: far more than any bzImage, and the cpio size field fits. */
#define KERNEL_MAX SZ_256M
#define KERNEL_VERSION_MAX 256
/* What swauth_running_record() writes at once: all but the kernel, or a piece of it. */
#define RECORD_BUF (FILE_ENTRY + RECORD_HEAD + HEADER_MAX)

/* cpio "newc": "070701" and 13 fields of 8 hex digits, then the name. */
#define CPIO_HEADER 110
#define CPIO_SIZE_FIELD (6 + 6 * 8)
#define CPIO_ENTRY(name) ALIGN(CPIO_HEADER + sizeof(name), 4)
#define FILE_ENTRY CPIO_ENTRY(RECORD_NAME)
#define TRAILER_ENTRY CPIO_ENTRY(TRAILER_NAME)

/* x86 setup header: "HdrS" at 0x202; the version string at 0x200 + le16 at 0x20e. */
#define SETUP_MAGIC 0x202
#define SETUP_KERNEL_VERSION 0x20e
#define SETUP_BASE 0x200

/* Measured once, at load. */
static struct {
	const char *why;	/* why it is unknown, or NULL */
	u8 *header;		/* the signed header, header_size bytes */
	u32 header_size;
	char kernel[KERNEL_VERSION_MAX + 1];	/* the record's kernel's version */
} running __ro_after_init = {
	.why = "not measured",
};

/* The record's data: everything but the kernel's bytes. */
static size_t record_head(const struct swauth_seal *s, u64 kernel_size,
			  u64 initramfs_size, u8 *out)
{
	memcpy(out, RECORD_MAGIC, 8);
	put_unaligned_le32(RECORD_FORMAT, out + 8);
	put_unaligned_le32(s->header_size, out + 12);
	put_unaligned_le64(kernel_size, out + 16);
	put_unaligned_le64(initramfs_size, out + 24);
	memcpy(out + RECORD_HEAD, s->header, s->header_size);
	return RECORD_HEAD + s->header_size;
}

/*
 * A newc entry of mode 0 (the kernel's unpacker creates nothing for it):
 * its header and name, padded to 4; its size.
 */
static size_t cpio_entry(u8 *out, const char *name, u32 size)
{
	size_t namesize = strlen(name) + 1, len = ALIGN(CPIO_HEADER + namesize, 4);
	char hdr[CPIO_HEADER + 1];

	/* ino, mode, uid, gid, nlink, mtime, filesize, 4 device numbers, namesize, check */
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 0, 0, 0, 0, 1, 0, size, 0, 0, 0, 0, (u32)namesize, 0);
	memcpy(out, hdr, CPIO_HEADER);
	memcpy(out + CPIO_HEADER, name, namesize);
	memset(out + CPIO_HEADER + namesize, 0, len - CPIO_HEADER - namesize);
	return len;
}

/* The bzImage's version string into out (KERNEL_VERSION_MAX + 1); false if none. */
static bool kernel_version(const u8 *kernel, u64 size, char *out)
{
	u64 off;
	size_t n;

	out[0] = '\0';
	if (size < SETUP_KERNEL_VERSION + 2 ||
	    memcmp(kernel + SETUP_MAGIC, "HdrS", 4))
		return false;
	off = get_unaligned_le16(kernel + SETUP_KERNEL_VERSION);
	if (!off || SETUP_BASE + off >= size)
		return false;
	n = min_t(u64, KERNEL_VERSION_MAX, size - SETUP_BASE - off);
	if (strnlen(kernel + SETUP_BASE + off, n) == n)
		return false;
	strscpy(out, kernel + SETUP_BASE + off, KERNEL_VERSION_MAX + 1);
	return true;
}

/**
 * swauth_running_record_size() - the size of a seal's record
 * @s: the seal, its kernel copy complete
 *
 * Return: the bytes swauth_running_record() writes.
 */
u64 swauth_running_record_size(const struct swauth_seal *s)
{
	return FILE_ENTRY + ALIGN(RECORD_HEAD + s->header_size +
				  s->parts[0].size, 4) + TRAILER_ENTRY;
}

/**
 * swauth_running_record() - write the record that leads a sealed initramfs
 * @s: the seal, its kernel copy complete and the signed header kept
 * @initramfs_size: the size of the image's initramfs, which follows
 * @to: the initramfs copy
 * @pos: where to write, advanced past the record
 *
 * Return: 0, -EINVAL when the seal lacks the header or the kernel, -EFBIG
 * for a kernel larger than KERNEL_MAX, -ENOMEM, or the error of reading
 * the kernel's copy or writing @to.
 */
int swauth_running_record(const struct swauth_seal *s, u64 initramfs_size,
			  struct file *to, loff_t *pos)
{
	struct file *kernel = s->parts[0].file;
	u64 ksize = s->parts[0].size;
	loff_t kpos = 0;
	size_t data, off;
	ssize_t n;
	u8 *buf;
	int ret = 0;

	if (!s->header || !kernel)
		return -EINVAL;
	if (ksize > KERNEL_MAX)
		return -EFBIG;
	buf = kmalloc(RECORD_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	BUILD_BUG_ON(RECORD_BUF < 4 + TRAILER_ENTRY);
	data = RECORD_HEAD + s->header_size + ksize;
	off = cpio_entry(buf, RECORD_NAME, data);
	off += record_head(s, ksize, initramfs_size, buf + off);
	if (kernel_write(to, buf, off, pos) != off)
		ret = -EIO;
	while (!ret && kpos < ksize) {
		n = kernel_read(kernel, buf, min_t(u64, RECORD_BUF, ksize - kpos), &kpos);
		if (n <= 0)
			ret = n ?: -EIO;
		else if (kernel_write(to, buf, n, pos) != n)
			ret = -EIO;
	}
	if (!ret) {
		off = ALIGN(data, 4) - data;
		memset(buf, 0, off);
		off += cpio_entry(buf + off, TRAILER_NAME, 0);
		if (kernel_write(to, buf, off, pos) != off)
			ret = -EIO;
	}
	kfree(buf);
	return ret;
}

/*
 * Why [start, start + size) is not System RAM whose every page is still
 * reserved, or NULL when it is: the initramfs the kernel kept, not memory
 * freed since, nor a range memmap= made persistent memory (a block device
 * root can write) or a hole after the kernel moved the initramfs out.
 */
static const char *check_range(u64 start, u64 size)
{
	unsigned long pfn, last;

	if (start + size < start ||
	    region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_INTERSECTS)
		return "the initramfs' range is not System RAM (memmap= on the command line?)";
	last = PHYS_PFN(start + size - 1);
	for (pfn = PHYS_PFN(start); pfn <= last; pfn++) {
		if (!pfn_valid(pfn) || !PageReserved(pfn_to_page(pfn)))
			break;
	}
	return pfn <= last ? "the initramfs' pages are not all reserved" : NULL;
}

/* "RELEASE (BUILDER@HOST) VERSION", the setup header's form of this kernel. */
static bool this_kernel(const char *kernel)
{
	const struct new_utsname *u = init_utsname();
	size_t rel = strlen(u->release), len = strlen(kernel);
	size_t ver = strlen(u->version);

	return len > rel + ver + 3 && !strncmp(kernel, u->release, rel) &&
	       !strncmp(kernel + rel, " (", 2) && kernel[len - ver - 1] == ' ' &&
	       !strcmp(kernel + len - ver, u->version);
}

static int hash_le64(struct shash_desc *desc, u64 v)
{
	u8 le[8];

	put_unaligned_le64(v, le);
	return crypto_shash_update(desc, le, sizeof(le));
}

static int hash_big(struct shash_desc *desc, const u8 *p, u64 size)
{
	int ret = 0;
	u64 k;

	while (!ret && size) {
		k = min_t(u64, size, SZ_1M);
		ret = crypto_shash_update(desc, p, k);
		p += k;
		size -= k;
		cond_resched();
	}
	return ret;
}

/* The payload again, from the record's kernel and the booted initramfs. */
static const char *check_digest(const struct swauth_image_header *hdr,
				const u8 *kernel, u64 ksize,
				const u8 *initramfs, u64 isize)
{
	struct crypto_shash *tfm = swauth_hash_tfm(hdr->hash_algo);
	u8 digest[SWAUTH_IMAGE_DIGEST_MAX];
	struct shash_desc *desc;
	int ret;

	desc = kzalloc(sizeof(*desc) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!desc)
		return "out of memory";
	desc->tfm = tfm;
	ret = crypto_shash_init(desc) ?: hash_le64(desc, ksize) ?:
	      hash_big(desc, kernel, ksize) ?: hash_le64(desc, isize) ?:
	      hash_big(desc, initramfs, isize) ?: crypto_shash_final(desc, digest);
	kfree_sensitive(desc);
	if (ret)
		return "the booted initramfs could not be hashed";
	if (crypto_memneq(digest, hdr->payload_digest, hdr->digest_size))
		return "the booted initramfs is not the one the record's image signed";
	return NULL;
}

/* The record at the front of the booted initramfs p, size bytes. */
static const char *check_record(const u8 *p, u64 size)
{
	struct swauth_image_header hdr;
	u8 expect[FILE_ENTRY];
	u64 data, ksize, isize, off;
	const u8 *d, *kernel;
	const char *why;
	char field[9];
	u8 *header;
	u32 hs;

	BUILD_BUG_ON(TRAILER_ENTRY > FILE_ENTRY);
	if (size < FILE_ENTRY || memcmp(p, "070701", 6))
		return "the initramfs does not start with a swauth record";
	memcpy(field, p + CPIO_SIZE_FIELD, 8);
	field[8] = '\0';
	if (kstrtoull(field, 16, &data) || data < RECORD_HEAD)
		return "the initramfs does not start with a swauth record";
	cpio_entry(expect, RECORD_NAME, data);
	if (memcmp(p, expect, FILE_ENTRY))
		return "the initramfs does not start with a swauth record";
	off = FILE_ENTRY + ALIGN(data, 4);
	cpio_entry(expect, TRAILER_NAME, 0);
	if (size < off + TRAILER_ENTRY || memcmp(p + off, expect, TRAILER_ENTRY))
		return "the swauth record is malformed";
	off += TRAILER_ENTRY;
	d = p + FILE_ENTRY;
	if (memcmp(d, RECORD_MAGIC, 8) || get_unaligned_le32(d + 8) != RECORD_FORMAT)
		return "the swauth record has an unknown format";
	hs = get_unaligned_le32(d + 12);
	ksize = get_unaligned_le64(d + 16);
	isize = get_unaligned_le64(d + 24);
	if (hs > HEADER_MAX || !ksize || ksize > KERNEL_MAX ||
	    RECORD_HEAD + hs + ksize != data)
		return "the swauth record is malformed";
	if (!isize || isize != size - off)
		return "the booted initramfs is not as long as the record says";
	d += RECORD_HEAD;
	kernel = d + hs;
	if (swauth_image_parse(d, hs, &hdr) != SWAUTH_VERDICT_OK ||
	    swauth_image_check_size(&hdr, hs + hdr.payload_size) != SWAUTH_VERDICT_OK)
		return "the swauth record holds no valid image header";
	why = check_digest(&hdr, kernel, ksize, p + off, isize);
	if (why)
		return why;
	if (!kernel_version(kernel, ksize, running.kernel))
		return "the image's kernel has no version string";
	if (!this_kernel(running.kernel))
		return "the image's kernel is not the running kernel";
	header = kmemdup(d, hs, GFP_KERNEL);
	if (!header)
		return "out of memory";
	running.header = header;
	running.header_size = hs;
	return NULL;
}

static const char *measure(void)
{
	const char *why;
	u64 start, size;
	void *p;

	switch (swauth_boot_ramdisk(&start, &size)) {
	case 0:
		break;
	case -ESRCH:
		return "the initramfs was not retained (no retain_initrd on the command line)";
	default:
		return "the boot parameters name no initramfs";
	}
	why = check_range(start, size);
	if (why)
		return why;
	p = memremap(start, size, MEMREMAP_WB);
	if (!p)
		return "the initramfs cannot be mapped";
	why = check_record(p, size);
	memunmap(p);
	return why;
}

/**
 * swauth_running_init() - measure the booted initramfs, once
 *
 * Needs the hash transforms and the boot parameters (swauth_boot_init()).
 */
void __init swauth_running_init(void)
{
	running.why = measure();
	if (running.why)
		pr_info("running image unknown: %s\n", running.why);
	else
		pr_info("running image measured: the booted initramfs is the one its record's image signed\n");
}

/**
 * swauth_running_uninit() - free the record
 */
void swauth_running_uninit(void)
{
	kfree(running.header);
}

/**
 * swauth_running_get() - the running image, checked against today's keys
 * @res: receives the header, verdict and signer, as swauth_verify_fd()
 *       gives them; swauth_verify_result_release() it after use
 * @why: receives why it is unknown, or NULL
 * @kernel: receives the running kernel's version string as the record
 *          named it ("" when unknown)
 *
 * Return: 0 when the module knows which image runs, -ENOENT when it does
 * not (@why says why), -ENOMEM.
 */
int swauth_running_get(struct swauth_verify_result *res, const char **why,
		       const char **kernel)
{
	int ret;

	memset(res, 0, sizeof(*res));
	*why = running.why;
	*kernel = running.why ? "" : running.kernel;
	if (running.why)
		return -ENOENT;
	ret = swauth_verify_header(running.header, running.header_size, res);
	if (ret) {
		*why = "out of memory";
		return ret;
	}
	if (res->verdict == SWAUTH_VERDICT_OK && !swauth_dev_seal_check(res))
		return 0;
	if (res->verdict == SWAUTH_VERDICT_UNKNOWN_KEY)
		*why = "the record's image is signed by a key not trusted now";
	else if (res->verdict == SWAUTH_VERDICT_OK)
		*why = "the record's image is not a system image for this machine";
	else
		*why = "the record's image signature does not verify";
	swauth_verify_result_release(res);
	return -ENOENT;
}

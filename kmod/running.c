// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Which image runs, as the module measures it instead of taking anyone's
 * word for it.
 *
 * The sealed initramfs copy (seal.c) starts with a record: a cpio archive
 * of one file, "swauth-running", which the kernel unpacks like early
 * microcode before the image's own initramfs. The file holds
 *
 *   "SWAUTHRR", le32 format 1, le32 sizes of the three parts below,
 *   le64 size of the image's initramfs;
 *   the image's signed header (manifest, bundled certificate, signature);
 *   the payload hash's exported state where the kernel ends;
 *   the kernel's version string, from its x86 setup header.
 *
 * A kernel started with retain_initrd keeps the memory the boot loader or
 * kexec put the initramfs in reserved for good: no process can write it
 * (/dev/mem reaches no RAM with STRICT_DEVMEM, and lockdown stops the other
 * ways in). At load the module finds it from the boot parameters, read
 * through a sysfs mount of its own (boot.c), and measures it: the hash
 * state, continued with the initramfs size field (which the module writes
 * from the size it measured) and the initramfs, must give the manifest's
 * payload digest. Only then is the booted initramfs, byte for byte, the
 * image's: another initramfs, or another split of the payload, would need
 * a hash state that gives the signed digest from other bytes, a second
 * preimage of SHA-2. The kernel is known by the version string the record
 * names, which must be this kernel's.
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
#define RECORD_MODE (S_IFREG | 0400)
#define TRAILER_NAME "TRAILER!!!"
#define RECORD_MAGIC "SWAUTHRR"
#define RECORD_FORMAT 1
#define RECORD_HEAD 32
#define KERNEL_VERSION_MAX 256
#define RECORD_MAX (RECORD_HEAD + SWAUTH_IMAGE_HEADER_SIZE + \
		    SWAUTH_IMAGE_CERT_MAX + SWAUTH_IMAGE_SIG_MAX + \
		    HASH_MAX_STATESIZE + KERNEL_VERSION_MAX)

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
	char kernel[KERNEL_VERSION_MAX + 1];
} running __ro_after_init = {
	.why = "not measured",
};

/* A newc entry's header and name, padded to 4; its size. */
static size_t cpio_entry(u8 *out, const char *name, u32 mode, u32 size)
{
	size_t namesize = strlen(name) + 1, len = ALIGN(CPIO_HEADER + namesize, 4);
	char hdr[CPIO_HEADER + 1];

	/* ino, mode, uid, gid, nlink, mtime, filesize, 4 device numbers, namesize, check */
	snprintf(hdr, sizeof(hdr),
		 "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 0, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, (u32)namesize, 0);
	memcpy(out, hdr, CPIO_HEADER);
	memcpy(out + CPIO_HEADER, name, namesize);
	memset(out + CPIO_HEADER + namesize, 0, len - CPIO_HEADER - namesize);
	return len;
}

/* The kernel's version string into out (KERNEL_VERSION_MAX + 1); its length, 0 if none. */
static size_t kernel_version(struct file *kernel, char *out)
{
	u8 setup[SETUP_KERNEL_VERSION + 2 - SETUP_MAGIC];
	loff_t pos = SETUP_MAGIC;
	ssize_t n;
	u16 off;

	out[0] = '\0';
	n = kernel_read(kernel, setup, sizeof(setup), &pos);
	if (n != sizeof(setup) || memcmp(setup, "HdrS", 4))
		return 0;
	off = get_unaligned_le16(setup + SETUP_KERNEL_VERSION - SETUP_MAGIC);
	if (!off)
		return 0;
	pos = SETUP_BASE + off;
	n = kernel_read(kernel, out, KERNEL_VERSION_MAX, &pos);
	if (n <= 0)
		return 0;
	out[n] = '\0';
	return strnlen(out, n) < n ? strlen(out) : 0;
}

/**
 * swauth_running_record() - the record that leads a sealed initramfs
 * @s: the seal, its kernel copy complete, the signed header and the hash
 *     state after the kernel kept
 * @initramfs_size: the size of the image's initramfs, which follows
 * @out: receives the record, a cpio archive; kfree() it
 * @len: receives its size, a multiple of 4
 *
 * Return: 0, -EINVAL when the seal lacks a part of it, -ENOMEM.
 */
int swauth_running_record(const struct swauth_seal *s, u64 initramfs_size,
			  u8 **out, size_t *len)
{
	char kernel[KERNEL_VERSION_MAX + 1];
	size_t klen, data, off;
	u8 *buf, *d;

	if (!s->header || !s->state_size || !s->parts[0].file)
		return -EINVAL;
	klen = kernel_version(s->parts[0].file, kernel);
	data = RECORD_HEAD + s->header_size + s->state_size + klen;
	*len = FILE_ENTRY + ALIGN(data, 4) + TRAILER_ENTRY;
	buf = kzalloc(*len, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	off = cpio_entry(buf, RECORD_NAME, RECORD_MODE, data);
	d = buf + off;
	memcpy(d, RECORD_MAGIC, 8);
	put_unaligned_le32(RECORD_FORMAT, d + 8);
	put_unaligned_le32(s->header_size, d + 12);
	put_unaligned_le32(s->state_size, d + 16);
	put_unaligned_le32(klen, d + 20);
	put_unaligned_le64(initramfs_size, d + 24);
	d += RECORD_HEAD;
	memcpy(d, s->header, s->header_size);
	d += s->header_size;
	memcpy(d, s->state, s->state_size);
	memcpy(d + s->state_size, kernel, klen);
	cpio_entry(buf + off + ALIGN(data, 4), TRAILER_NAME, 0, 0);
	*out = buf;
	return 0;
}

/* Whether every page of [start, start + size) is still reserved. */
static bool retained(u64 start, u64 size)
{
	unsigned long pfn, last;

	if (start + size < start)
		return false;
	last = PHYS_PFN(start + size - 1);
	for (pfn = PHYS_PFN(start); pfn <= last; pfn++) {
		if (!pfn_valid(pfn) || !PageReserved(pfn_to_page(pfn)))
			return false;
	}
	return true;
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

/* Continues the record's hash state with the booted initramfs. */
static const char *check_digest(const struct swauth_image_header *hdr,
				const u8 *state, u32 state_size,
				const u8 *initramfs, u64 size)
{
	struct crypto_shash *tfm = swauth_hash_tfm(hdr->hash_algo);
	u8 digest[SWAUTH_IMAGE_DIGEST_MAX], le[8];
	struct shash_desc *desc;
	int ret;
	u64 k;

	if (state_size != crypto_shash_statesize(tfm))
		return "the record's hash state is not of this kernel's hash";
	desc = kzalloc(sizeof(*desc) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!desc)
		return "out of memory";
	desc->tfm = tfm;
	put_unaligned_le64(size, le);
	ret = crypto_shash_import(desc, state) ?:
	      crypto_shash_update(desc, le, sizeof(le));
	while (!ret && size) {
		k = min_t(u64, size, SZ_1M);
		ret = crypto_shash_update(desc, initramfs, k);
		initramfs += k;
		size -= k;
		cond_resched();
	}
	ret = ret ?: crypto_shash_final(desc, digest);
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
	u32 data, hs, ss, ks;
	u8 expect[FILE_ENTRY];
	u64 isize, off;
	const u8 *d;
	char field[9];
	const char *why;
	u8 *header;

	BUILD_BUG_ON(TRAILER_ENTRY > FILE_ENTRY);
	if (size < FILE_ENTRY || memcmp(p, "070701", 6))
		return "the initramfs does not start with a swauth record";
	memcpy(field, p + CPIO_SIZE_FIELD, 8);
	field[8] = '\0';
	if (kstrtou32(field, 16, &data) || data < RECORD_HEAD || data > RECORD_MAX)
		return "the initramfs does not start with a swauth record";
	cpio_entry(expect, RECORD_NAME, RECORD_MODE, data);
	if (memcmp(p, expect, FILE_ENTRY))
		return "the initramfs does not start with a swauth record";
	off = FILE_ENTRY + ALIGN(data, 4);
	cpio_entry(expect, TRAILER_NAME, 0, 0);
	if (size < off + TRAILER_ENTRY || memcmp(p + off, expect, TRAILER_ENTRY))
		return "the swauth record is malformed";
	off += TRAILER_ENTRY;
	d = p + FILE_ENTRY;
	if (memcmp(d, RECORD_MAGIC, 8) || get_unaligned_le32(d + 8) != RECORD_FORMAT)
		return "the swauth record has an unknown format";
	hs = get_unaligned_le32(d + 12);
	ss = get_unaligned_le32(d + 16);
	ks = get_unaligned_le32(d + 20);
	isize = get_unaligned_le64(d + 24);
	if ((u64)RECORD_HEAD + hs + ss + ks != data || ks > KERNEL_VERSION_MAX)
		return "the swauth record is malformed";
	if (isize != size - off)
		return "the booted initramfs is not as long as the record says";
	d += RECORD_HEAD;
	if (swauth_image_parse(d, hs, &hdr) != SWAUTH_VERDICT_OK ||
	    swauth_image_check_size(&hdr, hs + hdr.payload_size) != SWAUTH_VERDICT_OK)
		return "the swauth record holds no valid image header";
	memcpy(running.kernel, d + hs + ss, ks);
	running.kernel[ks] = '\0';
	if (strlen(running.kernel) != ks || !this_kernel(running.kernel))
		return "the swauth record names another kernel";
	why = check_digest(&hdr, d + hs, ss, p + off, isize);
	if (why)
		return why;
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

	if (swauth_boot_ramdisk(&start, &size))
		return "the boot parameters name no initramfs";
	if (!retained(start, size))
		return "the initramfs was not retained (no retain_initrd on the command line)";
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

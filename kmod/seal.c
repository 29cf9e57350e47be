// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Sealed copies of a system image's kernel and initramfs. While the
 * payload streams through the hash, its two parts are written into shmem
 * files that only the module holds for writing; once the verdict is OK they
 * are sealed like a memfd (no write, truncation or growth, ever) and made
 * immutable, and only then does the caller get read-only descriptors. What kexec_file_load(2) then
 * reads is exactly what was hashed: there is no window in which the image
 * file could be swapped between verification and use.
 *
 * Payload layout: le64 kernel size, kernel, le64 initramfs size, initramfs.
 *
 * The initramfs copy starts with the running-image record (running.c): a
 * cpio archive of its own, which the kernel's unpacker passes over like
 * early microcode and the next module finds in the retained initramfs. It
 * holds the image's signed header and a copy of the kernel, so that the
 * module there can hash the whole payload again.
 */

#include <linux/fdtable.h>
#include <linux/fcntl.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pagemap.h>
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <asm/unaligned.h>

#include "swauth.h"

static const char *const part_names[SWAUTH_SEAL_PARTS] = {
	"swauth-kernel", "swauth-initrd",
};

/* Takes up to want more bytes of a size field; 1 when it is complete. */
static int take_size(struct swauth_seal *s, const u8 **p, size_t *n)
{
	size_t k = min_t(size_t, *n, sizeof(s->size_buf) - s->size_got);

	memcpy(s->size_buf + s->size_got, *p, k);
	s->size_got += k;
	*p += k;
	*n -= k;
	return s->size_got == sizeof(s->size_buf);
}

/**
 * swauth_seal_init() - prepare a seal
 * @s: the seal
 */
void swauth_seal_init(struct swauth_seal *s)
{
	int i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < SWAUTH_SEAL_PARTS; i++)
		s->fds[i] = -1;
}

/**
 * swauth_seal_header() - keep the signed header for the record
 * @s: the seal
 * @header: the image's manifest and signature, which verified
 * @size: their bytes
 *
 * Return: 0 or -ENOMEM (also kept in @s).
 */
int swauth_seal_header(struct swauth_seal *s, const u8 *header, u32 size)
{
	s->header = kmemdup(header, size, GFP_KERNEL);
	if (!s->header)
		return s->err = -ENOMEM;
	s->header_size = size;
	return 0;
}

/* Creates the next part's copy; the initramfs' starts with the record. */
static int start_part(struct swauth_seal *s, struct swauth_seal_part *part,
		      u64 size)
{
	u64 len = s->part ? swauth_running_record_size(s) : 0;
	int ret;

	/* On the seal file system: enforce.c admits only it. */
	part->file = shmem_file_setup_with_mnt(swauth_enforce_seal_mnt(),
					       part_names[s->part], len + size,
					       VM_NORESERVE);
	if (IS_ERR(part->file)) {
		ret = PTR_ERR(part->file);
		part->file = NULL;
		return ret;
	}
	/*
	 * Never to swap: a page written out could be changed on the swap
	 * device (root can write block devices even under lockdown) and
	 * read back after the seal.
	 */
	mapping_set_unevictable(part->file->f_mapping);
	part->size = len + size;
	if (!len)
		return 0;
	ret = swauth_running_record(s, size, part->file, &part->pos);
	if (ret)
		return ret;
	if (part->pos != len)
		return -EIO;
	return 0;
}

/**
 * swauth_seal_feed() - take the next payload bytes
 * @s: the seal, from swauth_seal_init()
 * @p: the bytes, in payload order
 * @n: how many
 *
 * Return: 0, or the first error (kept in @s): -EBADMSG for a payload that
 * is not a kernel and an initramfs, -EFBIG for a kernel too large for the
 * record, or the error of creating or writing a copy.
 */
int swauth_seal_feed(struct swauth_seal *s, const u8 *p, size_t n)
{
	struct swauth_seal_part *part;
	u64 size;
	ssize_t w;
	size_t k;

	while (n && !s->err) {
		if (s->part == SWAUTH_SEAL_PARTS) {
			s->err = -EBADMSG;
			break;
		}
		part = &s->parts[s->part];
		if (!part->file) {
			if (!take_size(s, &p, &n))
				break;
			size = get_unaligned_le64(s->size_buf);
			s->size_got = 0;
			if (!size || size > SWAUTH_IMAGE_PAYLOAD_MAX) {
				s->err = -EBADMSG;
				break;
			}
			s->err = start_part(s, part, size);
			continue;
		}
		k = min_t(u64, n, part->size - part->pos);
		w = kernel_write(part->file, p, k, &part->pos);
		if (w != k) {
			s->err = w < 0 ? w : -EIO;
			break;
		}
		p += k;
		n -= k;
		if (part->pos == part->size)
			s->part++;
	}
	return s->err;
}

/*
 * Makes a complete copy immutable before any descriptor of it exists, as
 * F_ADD_SEALS would (mm/memfd.c): no write, truncate, extension or further
 * seal through any file of it, and S_IMMUTABLE and a read-only mode so
 * that reopening it through /proc for writing or changing its mode fail
 * too. Only the module's own file was ever writable, and it never had a
 * writable mapping, so denying writable mappings cannot fail in practice.
 */
static int seal_part(struct file *file)
{
	struct inode *inode = file_inode(file);
	int ret;

	inode_lock(inode);
	ret = mapping_deny_writable(file->f_mapping);
	if (!ret) {
		SHMEM_I(inode)->seals |= F_SEAL_SEAL | F_SEAL_SHRINK |
					 F_SEAL_GROW | F_SEAL_WRITE;
		/*
		 * FS_IMMUTABLE_FL too: FS_IOC_SETFLAGS compares with it,
		 * so that taking S_IMMUTABLE away needs
		 * CAP_LINUX_IMMUTABLE, not only owning the copy.
		 */
		SHMEM_I(inode)->fsflags |= FS_IMMUTABLE_FL;
		inode->i_flags |= S_IMMUTABLE;
		inode->i_mode = S_IFREG | 0444;
	}
	inode_unlock(inode);
	return ret;
}

/**
 * swauth_seal_reserve() - seal the copies, open them read-only, reserve fds
 * @s: a seal fed the whole payload of an image that verified
 * @fds: receives the kernel's and the initramfs' descriptor numbers, to
 *       be given to the caller before swauth_seal_install() publishes them
 *
 * Return: 0, -EBADMSG for an incomplete payload, or the error of sealing
 * or opening a copy or allocating a descriptor (nothing is reserved then).
 */
int swauth_seal_reserve(struct swauth_seal *s, int fds[SWAUTH_SEAL_PARTS])
{
	int i, ret = 0;

	if (s->err || s->part != SWAUTH_SEAL_PARTS)
		return s->err ?: -EBADMSG;
	for (i = 0; i < SWAUTH_SEAL_PARTS; i++) {
		ret = seal_part(s->parts[i].file);
		if (ret)
			break;
		s->ro[i] = dentry_open(&s->parts[i].file->f_path,
				       O_RDONLY | O_LARGEFILE, current_cred());
		if (IS_ERR(s->ro[i])) {
			ret = PTR_ERR(s->ro[i]);
			s->ro[i] = NULL;
			break;
		}
		s->fds[i] = get_unused_fd_flags(O_CLOEXEC);
		if (s->fds[i] < 0) {
			ret = s->fds[i];
			break;
		}
		fds[i] = s->fds[i];
	}
	if (ret)
		swauth_seal_release(s);
	return ret;
}

/**
 * swauth_seal_install() - hand the reserved descriptors to the caller
 * @s: a seal swauth_seal_reserve() succeeded on
 */
void swauth_seal_install(struct swauth_seal *s)
{
	int i;

	for (i = 0; i < SWAUTH_SEAL_PARTS; i++) {
		fd_install(s->fds[i], s->ro[i]);
		s->ro[i] = NULL;
		s->fds[i] = -1;
	}
}

/**
 * swauth_seal_release() - drop what the seal holds
 * @s: the seal; descriptors already installed stay valid, reserved ones
 *     are given back
 */
void swauth_seal_release(struct swauth_seal *s)
{
	int i;

	for (i = 0; i < SWAUTH_SEAL_PARTS; i++) {
		if (s->fds[i] >= 0)
			put_unused_fd(s->fds[i]);
		s->fds[i] = -1;
		if (s->ro[i])
			fput(s->ro[i]);
		s->ro[i] = NULL;
		if (s->parts[i].file)
			fput(s->parts[i].file);
		s->parts[i].file = NULL;
	}
	kfree(s->header);
	s->header = NULL;
}

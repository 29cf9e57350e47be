// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * How the running kernel was started. A cold reload goes through the boot
 * chain (firmware, boot loader), which verifies what it starts; a warm
 * reload is a kexec from a running kernel, which only this module's seal
 * vouches for. Key revocation is refused after a warm reload.
 *
 * boot_params is not exported to modules, so on x86 it is read from its
 * copy in sysfs, through a sysfs mount of the module's own: no process can
 * mount a file of its choice over it (as it could over /sys in its mount
 * namespace). The boot protocol's loader ID is type_of_loader, whose high
 * nibble is the ID, at offset 0x210 of struct boot_params (0x1f1 for the
 * setup header, arch/x86/include/uapi/asm/bootparam.h, plus 0x1f into it);
 * where the initramfs was loaded is ramdisk_image and ramdisk_size (0x218,
 * 0x21c), with their high halves in ext_ramdisk_image and ext_ramdisk_size
 * (0xc0, 0xc4).
 * kexec_file_load(2) sets ID 0xD (arch/x86/kernel/kexec-bzimage64.c), as
 * kexec-tools does for kexec_load(2); boot loaders use their own IDs
 * (GRUB 0x7, QEMU's direct boot 0xB, Documentation/x86/boot.rst).
 *
 * The ID is a hint, not a proof: the caller of kexec_load(2) writes the
 * whole boot_params of the next kernel, loader ID included, so it can
 * pass a warm reload off as a cold one. The kind is reported with its
 * basis (SWAUTH_BOOT_BASIS_LOADER_ID) so that nobody mistakes it for
 * more, until enforcement of kexec (a later issue) blocks kexec_load(2).
 * A type_of_loader of 0 (never written) or 0xff (undefined, boot.rst)
 * says nothing: the kind stays unknown.
 */

#include <linux/cache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/module.h>
#include <asm/unaligned.h>

#include "swauth.h"

#define BOOT_PARAMS_PATH "kernel/boot_params/data"
#define EXT_RAMDISK_IMAGE 0x0c0
#define EXT_RAMDISK_SIZE 0x0c4
#define TYPE_OF_LOADER_OFFSET 0x210
#define RAMDISK_IMAGE 0x218
#define RAMDISK_SIZE 0x21c
#define BOOT_PARAMS_READ 0x220
/* More than any architecture's COMMAND_LINE_SIZE: a longer read is refused. */
#define CMDLINE_READ 8192
#define LOADER_ID_KEXEC 0xd
#define TYPE_OF_LOADER_UNSET 0x00
#define TYPE_OF_LOADER_UNDEFINED 0xff

/* Set once by swauth_boot_init(): how this kernel was started does not change. */
static enum swauth_boot boot_kind __ro_after_init = SWAUTH_BOOT_UNKNOWN;
static enum swauth_boot_basis boot_basis __ro_after_init = SWAUTH_BOOT_BASIS_NONE;
static u64 ramdisk_start __ro_after_init;
static u64 ramdisk_size __ro_after_init;
static bool ramdisk_retained __ro_after_init;

/*
 * Up to len bytes of path in a mount of fs that only the module sees (no
 * process can mount over it); the bytes read, or -errno.
 */
static ssize_t read_private(const char *fs, const char *path, void *buf,
			    size_t len)
{
	struct file_system_type *type = get_fs_type(fs);
	struct vfsmount *mnt;
	struct file *file;
	loff_t pos = 0;
	ssize_t n;

	if (!type)
		return -ENODEV;
	mnt = kern_mount(type);
	module_put(type->owner);
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	file = file_open_root_mnt(mnt, path, O_RDONLY, 0);
	if (IS_ERR(file)) {
		kern_unmount(mnt);
		return PTR_ERR(file);
	}
	n = kernel_read(file, buf, len, &pos);
	fput(file);
	kern_unmount(mnt);
	return n;
}

/* Whether two parameter names are the same, '-' and '_' alike, as the kernel has it. */
static bool param_is(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		if (*a != *b && !(strchr("-_", *a) && strchr("-_", *b)))
			return false;
	}
	return *a == *b;
}

/*
 * Whether the kernel kept its initramfs: retain_initrd, without a value,
 * before any "--" of this kernel's command line, parsed as the kernel
 * parses it (next_arg(), quotes included). Without it the initramfs'
 * pages went back to the page allocator, and pages kexec since loaded a
 * file into, reserved too, could sit where the initramfs was.
 */
static bool initrd_retained(void)
{
	char *buf, *args, *param, *val;
	bool kept = false;
	ssize_t n;

	buf = kmalloc(CMDLINE_READ + 1, GFP_KERNEL);
	if (!buf)
		return false;
	n = read_private("proc", "cmdline", buf, CMDLINE_READ);
	if (n <= 0 || n == CMDLINE_READ) {
		kfree(buf);
		return false;
	}
	buf[n] = '\0';
	strim(buf);
	args = skip_spaces(buf);
	while (*args) {
		args = next_arg(args, &param, &val);
		if (!val && !strcmp(param, "--"))
			break;
		if (!val && param_is(param, "retain_initrd"))
			kept = true;
	}
	kfree(buf);
	return kept;
}

/**
 * swauth_boot_init() - find out how the running kernel was started
 *
 * Leaves the kind SWAUTH_BOOT_UNKNOWN on other architectures and when the
 * boot parameters cannot be read; the module loads anyway.
 */
void __init swauth_boot_init(void)
{
	u8 type_of_loader;
	ssize_t n;
	u8 *bp;
	int ret;

	if (!IS_ENABLED(CONFIG_X86))
		return;
	bp = kmalloc(BOOT_PARAMS_READ, GFP_KERNEL);
	n = bp ? read_private("sysfs", BOOT_PARAMS_PATH, bp, BOOT_PARAMS_READ) : -ENOMEM;
	ret = n == BOOT_PARAMS_READ ? 0 : n < 0 ? n : -ENODATA;
	if (ret) {
		pr_warn("cannot read the boot parameters from sysfs %s (%d): boot kind unknown\n",
			BOOT_PARAMS_PATH, ret);
		kfree(bp);
		return;
	}
	type_of_loader = bp[TYPE_OF_LOADER_OFFSET];
	/* The kernel reserves no initramfs for loader ID 0 (early_reserve_initrd()). */
	if (type_of_loader != TYPE_OF_LOADER_UNSET) {
		ramdisk_start = get_unaligned_le32(bp + RAMDISK_IMAGE) |
				(u64)get_unaligned_le32(bp + EXT_RAMDISK_IMAGE) << 32;
		ramdisk_size = get_unaligned_le32(bp + RAMDISK_SIZE) |
			       (u64)get_unaligned_le32(bp + EXT_RAMDISK_SIZE) << 32;
		ramdisk_retained = ramdisk_start && ramdisk_size && initrd_retained();
	}
	kfree(bp);
	if (type_of_loader == TYPE_OF_LOADER_UNSET ||
	    type_of_loader == TYPE_OF_LOADER_UNDEFINED) {
		pr_warn("boot loader ID %#x says nothing: boot kind unknown\n",
			type_of_loader);
		return;
	}
	boot_basis = SWAUTH_BOOT_BASIS_LOADER_ID;
	if (type_of_loader >> 4 == LOADER_ID_KEXEC) {
		boot_kind = SWAUTH_BOOT_WARM;
		pr_info("started by a warm reload (kexec): key revocation needs a cold reload\n");
	} else {
		boot_kind = SWAUTH_BOOT_COLD;
	}
}

/**
 * swauth_boot_kind() - how the running kernel was started
 *
 * Return: an enum swauth_boot, fixed since the module was loaded.
 */
enum swauth_boot swauth_boot_kind(void)
{
	return boot_kind;
}

/**
 * swauth_boot_basis() - what swauth_boot_kind() is based on
 *
 * Return: SWAUTH_BOOT_BASIS_LOADER_ID when the kind comes from the boot
 * protocol's loader ID (a hint a kexec_load(2) caller can set), else
 * SWAUTH_BOOT_BASIS_NONE.
 */
enum swauth_boot_basis swauth_boot_basis(void)
{
	return boot_basis;
}

/**
 * swauth_boot_ramdisk() - where the boot loader or kexec put the initramfs
 * @start: receives its physical address
 * @size: receives its size
 *
 * Return: 0, -ENOENT when the boot parameters name none (or could not be
 * read), -ESRCH when the kernel did not keep it (no retain_initrd on its
 * command line). The caller still checks that the range is System RAM,
 * reserved: the kernel moves an initramfs that is not in mapped RAM.
 */
int swauth_boot_ramdisk(u64 *start, u64 *size)
{
	if (!ramdisk_start || !ramdisk_size)
		return -ENOENT;
	if (!ramdisk_retained)
		return -ESRCH;
	*start = ramdisk_start;
	*size = ramdisk_size;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * How the running kernel was started. A cold reload goes through the boot
 * chain (firmware, boot loader), which verifies what it starts; a warm
 * reload is a kexec from a running kernel, which only this module's seal
 * vouches for. Key revocation is refused after a warm reload.
 *
 * boot_params is not exported to modules, so on x86 the boot protocol's
 * loader ID is read from its copy in sysfs: type_of_loader, whose high
 * nibble is the ID, at offset 0x210 of struct boot_params (0x1f1 for the
 * setup header, arch/x86/include/uapi/asm/bootparam.h, plus 0x1f into it).
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
#include <linux/kernel_read_file.h>

#include "swauth.h"

#define BOOT_PARAMS_PATH "/sys/kernel/boot_params/data"
#define TYPE_OF_LOADER_OFFSET 0x210
#define LOADER_ID_KEXEC 0xd
#define TYPE_OF_LOADER_UNSET 0x00
#define TYPE_OF_LOADER_UNDEFINED 0xff

/* Set once by swauth_boot_init(): how this kernel was started does not change. */
static enum swauth_boot boot_kind __ro_after_init = SWAUTH_BOOT_UNKNOWN;
static enum swauth_boot_basis boot_basis __ro_after_init = SWAUTH_BOOT_BASIS_NONE;

/**
 * swauth_boot_init() - find out how the running kernel was started
 *
 * Leaves the kind SWAUTH_BOOT_UNKNOWN on other architectures and when the
 * boot parameters cannot be read; the module loads anyway.
 */
void __init swauth_boot_init(void)
{
	u8 type_of_loader;
	void *buf = &type_of_loader;
	size_t size;
	ssize_t n;

	if (!IS_ENABLED(CONFIG_X86))
		return;
	n = kernel_read_file_from_path(BOOT_PARAMS_PATH, TYPE_OF_LOADER_OFFSET,
				       &buf, sizeof(type_of_loader), &size,
				       READING_UNKNOWN);
	if (n != sizeof(type_of_loader)) {
		pr_warn("cannot read the boot loader ID from %s (%zd): boot kind unknown\n",
			BOOT_PARAMS_PATH, n);
		return;
	}
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

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Read-only state under /sys/kernel/swauth/, one value per file, documented
 * in Documentation/ABI/testing/sysfs-kernel-swauth. Nothing here can be
 * written: policy changes go through netlink, where they are checked.
 */

#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "swauth.h"

static const char *const mode_names[] = {
	[SWAUTH_MODE_VERIFY_ONLY] = "verify-only",
	[SWAUTH_MODE_KEY_MANAGEMENT] = "key-management",
};

static const char *const boot_names[] = {
	[SWAUTH_BOOT_UNKNOWN] = "unknown",
	[SWAUTH_BOOT_COLD] = "cold",
	[SWAUTH_BOOT_WARM] = "warm",
};

static const char *const boot_basis_names[] = {
	[SWAUTH_BOOT_BASIS_NONE] = "none",
	[SWAUTH_BOOT_BASIS_LOADER_ID] = "loader-id",
};

/* Created by swauth_sysfs_init(), removed by swauth_sysfs_uninit(). */
static struct kobject *swauth_kobj;

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", SWAUTH_VERSION);
}

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", mode_names[swauth_state_mode()]);
}

static ssize_t debug_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%#x\n", swauth_state_debug());
}

static ssize_t keys_rollover_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  swauth_keys_count(SWAUTH_KEY_ROLLOVER));
}

static ssize_t keys_production_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  swauth_keys_count(SWAUTH_KEY_PRODUCTION));
}

static ssize_t keys_special_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n",
			  swauth_keys_count(SWAUTH_KEY_SPECIAL));
}

static ssize_t images_verified_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", swauth_state_verified());
}

static ssize_t images_rejected_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", swauth_state_rejected());
}

static ssize_t verify_mem_peak_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%ld\n", swauth_state_mem_peak());
}

static ssize_t boot_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", boot_names[swauth_boot_kind()]);
}

static ssize_t boot_basis_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", boot_basis_names[swauth_boot_basis()]);
}

/* The floor's version letter, or "-" when the type has none. */
static ssize_t floor_show(u8 type, char *buf)
{
	u8 floor = swauth_keys_floor(type);

	return floor ? sysfs_emit(buf, "%c\n", floor) : sysfs_emit(buf, "-\n");
}

static ssize_t floor_production_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return floor_show(SWAUTH_KEY_PRODUCTION, buf);
}

static ssize_t floor_special_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return floor_show(SWAUTH_KEY_SPECIAL, buf);
}

static struct kobj_attribute version_attr = __ATTR_RO(version);
static struct kobj_attribute mode_attr = __ATTR_RO(mode);
static struct kobj_attribute debug_attr = __ATTR_RO(debug);
static struct kobj_attribute keys_rollover_attr = __ATTR_RO(keys_rollover);
static struct kobj_attribute keys_production_attr = __ATTR_RO(keys_production);
static struct kobj_attribute keys_special_attr = __ATTR_RO(keys_special);
static struct kobj_attribute images_verified_attr = __ATTR_RO(images_verified);
static struct kobj_attribute images_rejected_attr = __ATTR_RO(images_rejected);
static struct kobj_attribute verify_mem_peak_attr = __ATTR_RO(verify_mem_peak);
static struct kobj_attribute boot_attr = __ATTR_RO(boot);
static struct kobj_attribute boot_basis_attr = __ATTR_RO(boot_basis);
static struct kobj_attribute floor_production_attr = __ATTR_RO(floor_production);
static struct kobj_attribute floor_special_attr = __ATTR_RO(floor_special);

static struct attribute *swauth_attrs[] = {
	&version_attr.attr,
	&mode_attr.attr,
	&debug_attr.attr,
	&keys_rollover_attr.attr,
	&keys_production_attr.attr,
	&keys_special_attr.attr,
	&images_verified_attr.attr,
	&images_rejected_attr.attr,
	&verify_mem_peak_attr.attr,
	&boot_attr.attr,
	&boot_basis_attr.attr,
	&floor_production_attr.attr,
	&floor_special_attr.attr,
	NULL,
};

static const struct attribute_group swauth_attr_group = {
	.attrs = swauth_attrs,
};

/**
 * swauth_sysfs_init() - create /sys/kernel/swauth and its attributes
 *
 * Return: 0, -ENOMEM, or the error of sysfs_create_group().
 */
int swauth_sysfs_init(void)
{
	int ret;

	swauth_kobj = kobject_create_and_add("swauth", kernel_kobj);
	if (!swauth_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(swauth_kobj, &swauth_attr_group);
	if (ret) {
		kobject_put(swauth_kobj);
		swauth_kobj = NULL;
	}
	return ret;
}

/**
 * swauth_sysfs_uninit() - remove /sys/kernel/swauth
 *
 * Readers that have a file open finish first: kernfs drains them.
 */
void swauth_sysfs_uninit(void)
{
	kobject_put(swauth_kobj);
	swauth_kobj = NULL;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth.ko: verifies software images against keys it keeps in its own
 * keyrings. Each area starts in dependency order; the ways in for
 * userspace, /dev/swauth and the netlink family, come last so that nothing
 * is called before its state exists.
 */

#include <linux/init.h>
#include <linux/module.h>

#include "swauth.h"

static int __init swauth_mod_init(void)
{
	int ret;

	swauth_boot_init();
	ret = swauth_hash_init();
	if (ret)
		return ret;
	swauth_running_init();
	ret = swauth_enforce_init();
	if (ret)
		goto err_uninit_hash;
	ret = swauth_keyring_init();
	if (ret)
		goto err_uninit_enforce;
	swauth_storage_init();
	ret = swauth_keys_init();
	if (ret)
		goto err_uninit_storage;
	ret = swauth_sysfs_init();
	if (ret)
		goto err_uninit_keys;
	ret = swauth_dev_init();
	if (ret)
		goto err_uninit_sysfs;
	ret = swauth_genetlink_init();
	if (ret)
		goto err_uninit_dev;
	pr_info("version %s loaded\n", SWAUTH_VERSION);
	return 0;

err_uninit_dev:
	swauth_dev_uninit();
err_uninit_sysfs:
	swauth_sysfs_uninit();
err_uninit_keys:
	swauth_keys_uninit();
err_uninit_storage:
	swauth_storage_uninit();
	swauth_keyring_uninit();
err_uninit_enforce:
	swauth_enforce_uninit();
err_uninit_hash:
	swauth_running_uninit();
	swauth_hash_uninit();
	return ret;
}

static void __exit swauth_mod_exit(void)
{
	/* First: its work item sends netlink events. */
	swauth_enforce_uninit();
	swauth_genetlink_uninit();
	swauth_dev_uninit();
	swauth_sysfs_uninit();
	swauth_keys_uninit();
	swauth_storage_uninit();
	swauth_keyring_uninit();
	swauth_running_uninit();
	swauth_hash_uninit();
}

module_init(swauth_mod_init);
module_exit(swauth_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Verification of signed software images");
MODULE_AUTHOR("The swauth developers");
MODULE_VERSION(SWAUTH_VERSION);

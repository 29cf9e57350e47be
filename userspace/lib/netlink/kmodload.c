// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Load the swauth module when its netlink family is missing: the .ko file
 * named by $SWAUTH_MODULE, which is how tests and developers run a freshly
 * built module without installing it, else the installed module
 * (modules.dep, with its dependencies and modprobe.d options).
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libkmod.h>
#include <linux/swauth.h>

#include "lib/netlink.h"

enum { REASON_LEN = 384 };

/* libkmod logs its own errors to stderr by default; ours say it better. */
static void quiet_log(void *data, int priority, const char *file, int line,
		      const char *fn, const char *format, va_list args)
{
	(void)data, (void)priority, (void)file, (void)line, (void)fn, (void)format, (void)args;
}

static int load_installed(struct kmod_ctx *ctx, char *reason, size_t len)
{
	struct kmod_module *mod;
	int ret;

	ret = kmod_module_new_from_name(ctx, SWAUTH_GENL_NAME, &mod);
	if (ret < 0) {
		snprintf(reason, len, "%s: %s", SWAUTH_GENL_NAME, strerror(-ret));
		return ret;
	}
	/* new_from_name() succeeds for any name; only modules.dep knows the file. */
	if (!kmod_module_get_path(mod)) {
		snprintf(reason, len, "module not found (%s is not in %s/modules.dep)",
			 SWAUTH_GENL_NAME, kmod_get_dirname(ctx));
		ret = -ENOENT;
		goto out;
	}
	ret = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
	if (ret == -EEXIST)
		ret = 0;
	if (ret < 0)
		snprintf(reason, len, "loading %s: %s", kmod_module_get_path(mod),
			 strerror(-ret));
out:
	kmod_module_unref(mod);
	return ret;
}

static int load_file(struct kmod_ctx *ctx, const char *path, char *reason, size_t len)
{
	struct kmod_module *mod;
	int ret;

	ret = kmod_module_new_from_path(ctx, path, &mod);
	if (ret < 0) {
		snprintf(reason, len, "%s=%s: %s", SWAUTH_MODULE_ENV, path, strerror(-ret));
		return ret;
	}
	ret = kmod_module_insert_module(mod, 0, NULL);
	if (ret == -EEXIST)
		ret = 0;
	if (ret < 0)
		snprintf(reason, len, "loading %s: %s", path, strerror(-ret));
	kmod_module_unref(mod);
	return ret;
}

/**
 * swauth_kmodload() - load swauth.ko
 * @err: filled on failure with "the kernel has no swauth netlink family and
 *       the module could not be loaded: <reason>"
 *
 * Loads the file $SWAUTH_MODULE names when it is set (an explicit choice
 * wins over whatever is installed), else the installed module. A module
 * that is already loaded counts as loaded.
 *
 * Return: 0, or -ENOPKG whatever the underlying cause (not found, not
 * permitted, rejected by the kernel), which is in the message.
 */
int swauth_kmodload(struct swauth_error *err)
{
	const char *path = getenv(SWAUTH_MODULE_ENV);
	char reason[REASON_LEN] = "";
	struct kmod_ctx *ctx;
	int ret;

	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return swauth_error_set(err, -ENOPKG,
					"the kernel has no %s netlink family and the module could not be loaded: libkmod: %s",
					SWAUTH_GENL_NAME, strerror(errno ? errno : ENOMEM));
	kmod_set_log_fn(ctx, quiet_log, NULL);

	if (path && path[0])
		ret = load_file(ctx, path, reason, sizeof(reason));
	else
		ret = load_installed(ctx, reason, sizeof(reason));
	kmod_unref(ctx);
	if (!ret)
		return 0;
	if (ret == -ENOENT && !(path && path[0]))
		return swauth_error_set(err, -ENOPKG,
					"the kernel has no %s netlink family and the module could not be loaded: %s and %s is not set",
					SWAUTH_GENL_NAME, reason, SWAUTH_MODULE_ENV);
	return swauth_error_set(err, -ENOPKG,
				"the kernel has no %s netlink family and the module could not be loaded: %s",
				SWAUTH_GENL_NAME, reason);
}

/**
 * swauth_module_loaded() - whether swauth.ko is loaded
 *
 * Asks sysfs, which every network namespace sees, and not the netlink
 * family, which only the initial network namespace does: from another
 * one a loaded module's family is simply not found.
 *
 * Return: true when /sys/module/swauth exists.
 */
bool swauth_module_loaded(void)
{
	return !access(SWAUTH_MODULE_DIR, F_OK);
}

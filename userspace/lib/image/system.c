// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * What a verified image must be to become this system's boot image: the
 * one check `swauth boot system` and swupgraded's check step make, with
 * the same messages, after the one verification policy (policy.c) gave
 * its verdict.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "lib/config.h"
#include "lib/core.h"
#include "lib/fs.h"
#include "lib/image.h"

/**
 * swauth_platform_ok() - whether an image is for this machine
 * @res: the result, with the header's platform
 * @platform: this machine's platform (platform in swauth.conf), "" for uname -m
 * @msg: receives why not
 * @len: its size
 *
 * An empty platform in the image is for any machine; otherwise it must
 * be this machine's.
 *
 * Return: true when the image is for this machine.
 */
bool swauth_platform_ok(const struct swauth_verify_result *res, const char *platform,
			char *msg, size_t len)
{
	struct utsname u;

	if (!(res->has & SWAUTH_VERIFY_HAS_PLATFORM) || !res->platform[0])
		return true;
	if (!platform[0]) {
		if (uname(&u))
			return true;
		platform = u.machine;
	}
	if (!strcmp(res->platform, platform))
		return true;
	snprintf(msg, len, "the image is for platform '%s', this system is '%s'", res->platform,
		 platform);
	return false;
}

/**
 * swauth_system_image_check() - whether a verified image can be the boot image
 * @cfg: the configuration: this system's platform, and the file systems
 *       (flash: and the others) @path may lie in
 * @path: the image, as swauth_storage_open() takes it
 * @name: the image as the operator named it, for the messages
 * @res: its verification result, from the one verification policy
 * @err: why not, a sentence that begins with @name
 *
 * The verdict is OK, the image is a system image (production or special),
 * it is for this platform, and its payload is a kernel and an initramfs
 * that a reload can seal (swauth_payload_bootable()), checked now rather
 * than at a reload hours later.
 *
 * Return: 0; -EKEYREJECTED when the image is refused; -errno when @path
 * cannot be opened to check its payload.
 */
int swauth_system_image_check(const struct swauth_config *cfg, const char *path,
			      const char *name, const struct swauth_verify_result *res,
			      struct swauth_error *err)
{
	struct swauth_error why;
	char msg[512];
	int fd, ret;

	if (res->verdict != SWAUTH_VERDICT_OK) {
		swauth_verdict_describe(res, msg, sizeof(msg));
		return swauth_error_set(err, -EKEYREJECTED,
					"%s: digital signature verification failed: %s", name, msg);
	}
	if (res->image_type != SWAUTH_IMAGE_PRODUCTION && res->image_type != SWAUTH_IMAGE_SPECIAL)
		return swauth_error_set(err, -EKEYREJECTED,
					"%s is a %s image, not a system image (production or special)",
					name, swauth_image_type_token(res->image_type));
	if (!swauth_platform_ok(res, cfg->platform, msg, sizeof(msg)))
		return swauth_error_set(err, -EKEYREJECTED, "%s: %s", name, msg);
	swauth_error_clear(&why);
	fd = swauth_storage_open(cfg, path, O_NONBLOCK, &why);
	if (fd < 0)
		return swauth_error_set(err, fd, "%s: %s", name, why.msg);
	ret = swauth_payload_bootable(fd, res, &why);
	close(fd);
	if (ret)
		return swauth_error_set(err, -EKEYREJECTED, "%s: %s", name, why.msg);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * What a verified image must be to become this system's boot image: the
 * one check `swauth boot system` and swupgraded's check step make, with
 * the same messages, after the one verification policy (policy.c) gave
 * its verdict; and the same check without a verification of its own, for
 * an image whose payload digest an earlier verification gave (swupgraded's
 * boot-image step after its check step).
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

/* A system image for this platform: what the header says, checked. */
static int system_kind(const struct swauth_config *cfg, const char *name,
		       const struct swauth_verify_result *res, struct swauth_error *err)
{
	char msg[512];

	if (res->image_type != SWAUTH_IMAGE_PRODUCTION && res->image_type != SWAUTH_IMAGE_SPECIAL)
		return swauth_error_set(err, -EKEYREJECTED,
					"%s is a %s image, not a system image (production or special)",
					name, swauth_image_type_token(res->image_type));
	if (!swauth_platform_ok(res, cfg->platform, msg, sizeof(msg)))
		return swauth_error_set(err, -EKEYREJECTED, "%s: %s", name, msg);
	return 0;
}

/* A payload that a reload can seal, on @fd. */
static int bootable(int fd, const char *name, const struct swauth_verify_result *res,
		    struct swauth_error *err)
{
	struct swauth_error why;

	swauth_error_clear(&why);
	if (swauth_payload_bootable(fd, res, &why))
		return swauth_error_set(err, -EKEYREJECTED, "%s: %s", name, why.msg);
	return 0;
}

/* @path opened as swauth_storage_open() does, with the error given @name. */
static int open_image(const struct swauth_config *cfg, const char *path, const char *name,
		      struct swauth_error *err)
{
	struct swauth_error why;
	int fd;

	swauth_error_clear(&why);
	fd = swauth_storage_open(cfg, path, O_NONBLOCK, &why);
	if (fd < 0)
		return swauth_error_set(err, fd, "%s: %s", name, why.msg);
	return fd;
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
	char msg[512];
	int fd, ret;

	if (res->verdict != SWAUTH_VERDICT_OK) {
		swauth_verdict_describe(res, msg, sizeof(msg));
		return swauth_error_set(err, -EKEYREJECTED,
					"%s: digital signature verification failed: %s", name, msg);
	}
	ret = system_kind(cfg, name, res, err);
	if (ret)
		return ret;
	fd = open_image(cfg, path, name, err);
	if (fd < 0)
		return fd;
	ret = bootable(fd, name, res, err);
	close(fd);
	return ret;
}

/* Whether @hex (lower case) is the payload digest the header of @res carries. */
static bool same_digest(const struct swauth_verify_result *res, const char *hex)
{
	char two[3];
	uint32_t i;

	if (strlen(hex) != 2 * (size_t)res->embedded_digest_len)
		return false;
	for (i = 0; i < res->embedded_digest_len; i++) {
		snprintf(two, sizeof(two), "%02x", res->embedded_digest[i]);
		if (memcmp(two, hex + 2 * i, 2))
			return false;
	}
	return true;
}

/**
 * swauth_system_image_pinned() - whether an image verified earlier, by its
 * payload digest, can be the boot image, without verifying it again
 * @cfg: as for swauth_system_image_check()
 * @path: the image, as swauth_storage_open() takes it
 * @name: the image as the operator named it, for the messages
 * @digest: the payload digest (lower-case hex) of a verification of the
 *          image at @path whose verdict was OK and which passed
 *          swauth_system_image_check(): swupgraded's check step
 * @res: receives the header as the file holds it now (not verified)
 * @err: why not, a sentence that begins with @name
 *
 * Reads the header and the payload's two sizes, never the payload, and
 * checks nothing cryptographic: what it reads can only refuse the file (a
 * header that does not carry @digest: another image at the name, or the
 * image rewritten since; no system image for this platform; a payload
 * that is not a kernel and an initramfs). The boot image's digest is
 * @digest itself, not anything read here, and swauth reload refuses a
 * file whose verified digest is another when it seals it: a file that
 * keeps the header and changes the payload is refused there, by the
 * module, on the bytes it hashes.
 *
 * Return: 0; -EKEYREJECTED when the image is refused; -errno when @path
 * cannot be opened.
 */
int swauth_system_image_pinned(const struct swauth_config *cfg, const char *path,
			       const char *name, const char *digest,
			       struct swauth_verify_result *res, struct swauth_error *err)
{
	struct swauth_error why;
	int fd, ret;

	fd = open_image(cfg, path, name, err);
	if (fd < 0)
		return fd;
	swauth_error_clear(&why);
	ret = swauth_image_header_read(fd, res, &why);
	if (ret == -EBADMSG)
		ret = swauth_error_set(err, -EKEYREJECTED, "%s is not an image now: %s", name,
				       why.msg);
	else if (ret)
		ret = swauth_error_set(err, ret, "%s: %s", name, why.msg);
	else if (!same_digest(res, digest))
		ret = swauth_error_set(err, -EKEYREJECTED,
				       "%s changed since it was verified: its payload digest is not the one verified",
				       name);
	if (!ret)
		ret = system_kind(cfg, name, res, err);
	if (!ret)
		ret = bootable(fd, name, res, err);
	close(fd);
	return ret;
}

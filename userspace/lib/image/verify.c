// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The module's verification: SWAUTH_IOC_VERIFY and SWAUTH_IOC_SEAL on
 * /dev/swauth, and a strict converter of what they return into a struct
 * swauth_verify_result. A malformed answer (a verdict out of range, a
 * string without its NUL, a digest whose size is not its hash's, a
 * descriptor where none may be) is an error, never a verdict. Also
 * SWAUTH_CMD_PROVISION_KEY, over netlink.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "kmod/image.h"
#include "lib/image.h"
#include "lib/netlink.h"

#define SWAUTH_DEV_PATH "/dev/" SWAUTH_DEV_NAME

#define BAD(err, ...) swauth_error_set(err, -EBADMSG, "malformed answer from swauth.ko: " __VA_ARGS__)

#define VALID_ALL (SWAUTH_VERIFY_V_HEADER | SWAUTH_VERIFY_V_SIGNER | \
		   SWAUTH_VERIFY_V_COMPUTED | SWAUTH_VERIFY_V_SEALED)

static bool version_valid(uint32_t v)
{
	return v >= 'A' && v <= 'Z';
}

static bool key_type_valid(uint32_t t)
{
	return t > SWAUTH_KEY_UNSPEC && t <= SWAUTH_KEY_MAX;
}

/* Copies a NUL-terminated string field, or says which one is not. */
static int take_string(const char *name, const char *src, size_t size, char *dst,
		       struct swauth_error *err)
{
	if (!memchr(src, '\0', size))
		return BAD(err, "%s is not NUL-terminated", name);
	memcpy(dst, src, size);
	return 0;
}

static int convert_header(const struct swauth_verify_arg *arg, struct swauth_verify_result *res,
			  struct swauth_error *err)
{
	unsigned int dsize = swauth_image_digest_size(arg->hash_algo);
	int ret;

	if (arg->image_type == SWAUTH_IMAGE_UNSPEC || arg->image_type > SWAUTH_IMAGE_MAX)
		return BAD(err, "image type %u out of range", arg->image_type);
	if (!key_type_valid(arg->key_type))
		return BAD(err, "key type %u out of range", arg->key_type);
	if (!version_valid(arg->key_version))
		return BAD(err, "key version %u is not a letter A to Z", arg->key_version);
	if (!dsize)
		return BAD(err, "hash algorithm %u is unknown", arg->hash_algo);
	if (arg->digest_size != dsize || dsize > SWAUTH_VERIFY_DIGEST_MAX)
		return BAD(err, "digest size %u, expected %u for hash algorithm %u",
			   arg->digest_size, dsize, arg->hash_algo);
	ret = take_string("image_name", arg->image_name, sizeof(arg->image_name),
			  res->image_name, err) ?:
	      take_string("image_version", arg->image_version, sizeof(arg->image_version),
			  res->image_version, err) ?:
	      take_string("platform", arg->platform, sizeof(arg->platform), res->platform, err);
	if (ret)
		return ret;
	res->image_type = arg->image_type;
	res->key_type = arg->key_type;
	res->key_version = arg->key_version;
	res->hash_algo = arg->hash_algo;
	res->payload_size = arg->payload_size;
	res->build_time = arg->build_time;
	res->sig_bits = arg->sig_bits;
	memcpy(res->embedded_digest, arg->embedded_digest, dsize);
	res->embedded_digest_len = dsize;
	res->has |= SWAUTH_VERIFY_HAS_HEADER;
	return 0;
}

/**
 * swauth_verify_convert() - check and convert what the module returned
 * @arg: the struct SWAUTH_IOC_VERIFY or SWAUTH_IOC_SEAL filled
 * @cert: the buffer arg->cert_buf pointed to
 * @cert_len: its size
 * @res: receives the result; cleared first
 * @err: filled on failure
 *
 * Return: 0, or -EBADMSG for an answer that breaks the rules of the uapi
 * header: a verdict or enum out of range, an unknown valid bit, a string
 * without its NUL, a digest size that is not its hash's, a certificate
 * longer than the buffer, descriptors without SWAUTH_VERIFY_V_SEALED (or
 * negative with it), a verdict OK without the header.
 */
int swauth_verify_convert(const struct swauth_verify_arg *arg, const uint8_t *cert,
			  size_t cert_len, struct swauth_verify_result *res,
			  struct swauth_error *err)
{
	int ret;

	memset(res, 0, sizeof(*res));
	if (arg->verdict > SWAUTH_VERDICT_MAX)
		return BAD(err, "verdict %u out of range", arg->verdict);
	if (arg->valid & ~(uint32_t)VALID_ALL)
		return BAD(err, "unknown valid bits %#x", arg->valid & ~(uint32_t)VALID_ALL);
	res->verdict = arg->verdict;
	res->file_size = arg->file_size;
	res->has = SWAUTH_VERIFY_HAS_VERDICT | SWAUTH_VERIFY_HAS_FILE_SIZE;
	if (arg->valid & SWAUTH_VERIFY_V_HEADER) {
		ret = convert_header(arg, res, err);
		if (ret)
			return ret;
	} else if (arg->verdict == SWAUTH_VERDICT_OK) {
		return BAD(err, "verdict OK without the image header");
	} else if (arg->valid & SWAUTH_VERIFY_V_COMPUTED) {
		return BAD(err, "a computed digest without the image header");
	}
	if (arg->valid & SWAUTH_VERIFY_V_SIGNER) {
		if (!key_type_valid(arg->signer_key_type))
			return BAD(err, "signer key type %u out of range", arg->signer_key_type);
		if (!version_valid(arg->signer_key_version))
			return BAD(err, "signer key version %u is not a letter A to Z",
				   arg->signer_key_version);
		if (!arg->signer_cert_len || arg->signer_cert_len > cert_len ||
		    arg->signer_cert_len > sizeof(res->signer_cert))
			return BAD(err, "signer certificate of %u bytes, the buffer has %zu",
				   arg->signer_cert_len, cert_len);
		res->signer_key_type = arg->signer_key_type;
		res->signer_key_version = arg->signer_key_version;
		memcpy(res->signer_cert, cert, arg->signer_cert_len);
		res->signer_cert_len = arg->signer_cert_len;
		res->has |= SWAUTH_VERIFY_HAS_SIGNER_KEY_TYPE | SWAUTH_VERIFY_HAS_SIGNER_KEY_VERSION |
			    SWAUTH_VERIFY_HAS_SIGNER_CERT;
	}
	if (arg->valid & SWAUTH_VERIFY_V_COMPUTED) {
		memcpy(res->computed_digest, arg->computed_digest, res->embedded_digest_len);
		res->computed_digest_len = res->embedded_digest_len;
		res->has |= SWAUTH_VERIFY_HAS_COMPUTED_DIGEST;
	}
	if (arg->valid & SWAUTH_VERIFY_V_SEALED) {
		if (arg->verdict != SWAUTH_VERDICT_OK)
			return BAD(err, "sealed copies with verdict %u", arg->verdict);
		if (arg->kernel_fd < 0 || arg->initrd_fd < 0 || arg->kernel_fd == arg->initrd_fd)
			return BAD(err, "sealed copies as descriptors %d and %d", arg->kernel_fd,
				   arg->initrd_fd);
		res->kernel_fd = (uint32_t)arg->kernel_fd;
		res->initrd_fd = (uint32_t)arg->initrd_fd;
		res->has |= SWAUTH_VERIFY_HAS_KERNEL_FD | SWAUTH_VERIFY_HAS_INITRD_FD;
	} else if (arg->kernel_fd != -1 || arg->initrd_fd != -1) {
		return BAD(err, "descriptors %d and %d without sealed copies", arg->kernel_fd,
			   arg->initrd_fd);
	}
	res->verifier = SWAUTH_VERIFIER_KERNEL;
	return 0;
}

/*
 * Opens the device, loading the module first when it is not loaded, and
 * says why the device cannot be opened when it cannot.
 */
static int open_dev(const char *what, struct swauth_error *err)
{
	int dev = open(SWAUTH_DEV_PATH, O_RDWR | O_CLOEXEC), ret;

	if (dev < 0 && errno == ENOENT && !swauth_module_loaded()) {
		ret = swauth_kmodload(err);
		if (ret)
			return ret;
		dev = open(SWAUTH_DEV_PATH, O_RDWR | O_CLOEXEC);
	}
	if (dev >= 0)
		return dev;
	if (errno == ENOENT)
		return swauth_error_set(err, -ENODEV,
					"%s: swauth.ko is loaded but " SWAUTH_DEV_PATH
					" is missing (is devtmpfs mounted on /dev?)", what);
	return swauth_error_set(err, -errno, "%s: cannot open " SWAUTH_DEV_PATH ": %s", what,
				strerror(errno));
}

/* What each refusal of a seal means. */
static const char *seal_refusal(int code)
{
	switch (code) {
	case -EPERM:
		return "sealing needs CAP_SYS_BOOT";
	case -EMEDIUMTYPE:
		return "only a system image can be sealed";
	case -ENOEXEC:
		return "the image is for another platform than this system's";
	case -EBADMSG:
		return "the payload is not a kernel and an initramfs";
	default:
		return NULL;
	}
}

static int request_verify(unsigned long cmd, const char *what, int fd,
			  struct swauth_verify_result *res, struct swauth_error *err);

/*
 * The module refused to seal another platform's image: a verification,
 * which seals nothing, says which platform the image is for, and the
 * module's parameter which one this system is.
 */
static void platform_refusal(int fd, struct swauth_error *err)
{
	struct swauth_verify_result *res = malloc(sizeof(*res));
	struct swauth_error verr;
	struct utsname u;
	char mine[sizeof(u.machine)] = "";
	FILE *f;

	if (!res)
		return;
	if (request_verify(SWAUTH_IOC_VERIFY, "verify", fd, res, &verr) ||
	    !(res->has & SWAUTH_VERIFY_HAS_PLATFORM))
		goto out;
	f = fopen(SWAUTH_MODULE_DIR "/parameters/platform", "re");
	if (f) {
		if (!fgets(mine, sizeof(mine), f))
			mine[0] = '\0';
		mine[strcspn(mine, "\n")] = '\0';
		fclose(f);
	}
	/* An unset parameter reads "(null)": the module then uses uname -m. */
	if ((!mine[0] || !strcmp(mine, "(null)")) && !uname(&u))
		snprintf(mine, sizeof(mine), "%s", u.machine);
	if (mine[0] && strcmp(mine, "(null)"))
		swauth_error_set(err, -ENOEXEC, "the image is for platform '%s', this system is '%s'",
				 res->platform, mine);
out:
	free(res);
}

static int request_verify(unsigned long cmd, const char *what, int fd,
			  struct swauth_verify_result *res, struct swauth_error *err)
{
	static uint8_t cert[SWAUTH_CERT_MAX];
	struct swauth_verify_arg arg = {
		.fd = fd,
		.cert_buf = (uintptr_t)cert,
		.cert_buf_len = sizeof(cert),
	};
	const char *why;
	int dev, ret;

	memset(res, 0, sizeof(*res));
	if (fd < 0)
		return swauth_error_set(err, -EBADF, "%s: no file descriptor", what);
	dev = open_dev(what, err);
	if (dev < 0)
		return dev;
	ret = ioctl(dev, cmd, &arg) ? -errno : 0;
	close(dev);
	why = cmd == SWAUTH_IOC_SEAL ? seal_refusal(ret) : NULL;
	if (why) {
		swauth_error_set(err, ret, "%s", why);
		if (ret == -ENOEXEC)
			platform_refusal(fd, err);
		return ret;
	}
	if (ret)
		return swauth_error_set(err, ret, "%s: %s", what, strerror(-ret));
	ret = swauth_verify_convert(&arg, cert, sizeof(cert), res, err);
	if (ret && (arg.valid & SWAUTH_VERIFY_V_SEALED)) {
		/* Whatever they are, they are ours now: do not keep them. */
		if (arg.kernel_fd >= 0)
			close(arg.kernel_fd);
		if (arg.initrd_fd >= 0 && arg.initrd_fd != arg.kernel_fd)
			close(arg.initrd_fd);
	}
	return ret;
}

/**
 * swauth_verify_kernel() - have the module verify an image
 * @fd: a descriptor open for reading on the image
 * @res: receives the result
 * @err: filled on failure
 *
 * A failed verification is a result (@res->verdict), not an error: errors
 * are the request's own faults (the device missing or not to be opened,
 * -EBADF, -EINTR, a malformed answer), never a verdict.
 *
 * Return: 0, -ENOPKG when the module is not loaded and cannot be, -ENODEV
 * when it is but /dev/swauth is missing, -EBADMSG for a malformed answer,
 * or -errno.
 */
int swauth_verify_kernel(int fd, struct swauth_verify_result *res, struct swauth_error *err)
{
	return request_verify(SWAUTH_IOC_VERIFY, "verify", fd, res, err);
}

/* Reads the le64 at @off of @fd. */
static int read_le64(int fd, uint64_t off, uint64_t *v)
{
	uint8_t b[8];
	int i;

	if (pread(fd, b, sizeof(b), (off_t)off) != (ssize_t)sizeof(b))
		return -1;
	for (*v = 0, i = 7; i >= 0; i--)
		*v = *v << 8 | b[i];
	return 0;
}

/**
 * swauth_payload_bootable() - whether a system image's payload can be sealed
 * @fd: the image, open for reading
 * @res: its verification result (file and payload sizes)
 * @err: filled when it cannot
 *
 * The payload of a system image is what SWAUTH_IOC_SEAL copies for kexec:
 * le64 kernel size, the kernel, le64 initramfs size, the initramfs, both
 * sizes non-zero and nothing after. This checks that layout before the
 * image is set to boot, with the message a reload would give; the module
 * checks it again, on the bytes it hashes, when it seals.
 *
 * Return: 0, or -EBADMSG for another layout or a payload that cannot be read.
 */
int swauth_payload_bootable(int fd, const struct swauth_verify_result *res,
			    struct swauth_error *err)
{
	uint64_t start = res->file_size - res->payload_size, end = res->file_size;
	uint64_t kernel, initrd;

	/* Two sizes and at least a byte of each. */
	if (res->payload_size > res->file_size || res->payload_size < 18 ||
	    read_le64(fd, start, &kernel))
		goto bad;
	if (!kernel || kernel > SWAUTH_IMAGE_PAYLOAD_MAX || kernel > end - start - 16 ||
	    read_le64(fd, start + 8 + kernel, &initrd))
		goto bad;
	if (!initrd || initrd != end - start - 16 - kernel)
		goto bad;
	return 0;
bad:
	return swauth_error_set(err, -EBADMSG, "%s", seal_refusal(-EBADMSG));
}

/**
 * swauth_seal_kernel() - have the module verify and seal a system image
 * @fd: a descriptor open for reading on the image
 * @res: receives the result; with the verdict OK, @res->kernel_fd and
 *       @res->initrd_fd are read-only descriptors of the sealed kernel
 *       and initramfs, now the caller's to close
 * @err: filled on failure
 *
 * Return: 0, or -errno as for swauth_verify_kernel() and SWAUTH_IOC_SEAL
 * (-EPERM without CAP_SYS_BOOT, -EMEDIUMTYPE for an image that is not a
 * system image, -ENOEXEC for another platform's, -EBADMSG for a payload
 * that is not a kernel and an initramfs).
 */
int swauth_seal_kernel(int fd, struct swauth_verify_result *res, struct swauth_error *err)
{
	return request_verify(SWAUTH_IOC_SEAL, "seal", fd, res, err);
}

/**
 * swauth_key_provision() - add a production or special key to the kernel
 * @nl: an open handle
 * @der: the key's X.509 certificate, DER
 * @len: its size, at most SWAUTH_CERT_MAX
 * @err: filled on failure, with the kernel's extended ack when it sent one
 *
 * Return: 0 when the key is on its keyring; -E2BIG for a certificate that
 * is too large to send; else the kernel's -errno, as documented for
 * SWAUTH_CMD_PROVISION_KEY (-EPERM, -EBADMSG, -ENOKEY, -EKEYREJECTED,
 * -EINVAL, -EEXIST, -ENOSPC).
 */
int swauth_key_provision(struct swauth_nl *nl, const void *der, size_t len,
			 struct swauth_error *err)
{
	struct nlmsghdr *nlh;

	if (!len || len > SWAUTH_CERT_MAX)
		return swauth_error_set(err, -E2BIG,
					"PROVISION_KEY: the certificate has %zu bytes, 1 to %u allowed",
					len, SWAUTH_CERT_MAX);
	nlh = swauth_nl_request(nl, SWAUTH_CMD_PROVISION_KEY);
	mnl_attr_put(nlh, SWAUTH_A_CERT, len, der);
	return swauth_nl_transact(nl, nlh, "PROVISION_KEY", NULL, NULL, err);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * SWAUTH_CMD_VERIFY_IMAGE and SWAUTH_CMD_PROVISION_KEY: the requests, and
 * a strict parser of the VERIFY_IMAGE reply. Every known attribute is
 * checked for its exact type and length before it is read; the digests
 * must have the size of the hash the reply names; unknown attributes are
 * skipped (include/uapi/linux/swauth.h: later modules add to the list).
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "kmod/image.h"
#include "lib/nl.h"
#include "lib/verify.h"

enum attr_kind { K_U32, K_U64, K_STRING, K_BINARY };

struct attr_desc {
	const char *name;
	enum attr_kind kind;
	uint32_t has;
	size_t offset;		/* of the field in struct swauth_verify_result */
	size_t size;		/* of the field: the longest string or binary */
	size_t len_offset;	/* of the uint32_t length of a binary field */
};

#define FIELD(f) offsetof(struct swauth_verify_result, f), \
	sizeof(((struct swauth_verify_result *)0)->f)
#define SCALAR(attr, kind, field, bit) [attr] = { #attr, kind, bit, FIELD(field), 0 }
#define BINARY(attr, field, bit) \
	[attr] = { #attr, K_BINARY, bit, FIELD(field), \
		   offsetof(struct swauth_verify_result, field##_len) }

static const struct attr_desc attrs[SWAUTH_A_MAX + 1] = {
	SCALAR(SWAUTH_A_VERDICT, K_U32, verdict, SWAUTH_VERIFY_HAS_VERDICT),
	SCALAR(SWAUTH_A_FILE_SIZE, K_U64, file_size, SWAUTH_VERIFY_HAS_FILE_SIZE),
	SCALAR(SWAUTH_A_IMAGE_TYPE, K_U32, image_type, SWAUTH_VERIFY_HAS_IMAGE_TYPE),
	SCALAR(SWAUTH_A_KEY_TYPE, K_U32, key_type, SWAUTH_VERIFY_HAS_KEY_TYPE),
	SCALAR(SWAUTH_A_KEY_VERSION, K_U32, key_version, SWAUTH_VERIFY_HAS_KEY_VERSION),
	SCALAR(SWAUTH_A_HASH_ALGO, K_U32, hash_algo, SWAUTH_VERIFY_HAS_HASH_ALGO),
	SCALAR(SWAUTH_A_PAYLOAD_SIZE, K_U64, payload_size, SWAUTH_VERIFY_HAS_PAYLOAD_SIZE),
	SCALAR(SWAUTH_A_BUILD_TIME, K_U64, build_time, SWAUTH_VERIFY_HAS_BUILD_TIME),
	SCALAR(SWAUTH_A_IMAGE_NAME, K_STRING, image_name, SWAUTH_VERIFY_HAS_IMAGE_NAME),
	SCALAR(SWAUTH_A_IMAGE_VERSION, K_STRING, image_version, SWAUTH_VERIFY_HAS_IMAGE_VERSION),
	SCALAR(SWAUTH_A_PLATFORM, K_STRING, platform, SWAUTH_VERIFY_HAS_PLATFORM),
	SCALAR(SWAUTH_A_SIG_BITS, K_U32, sig_bits, SWAUTH_VERIFY_HAS_SIG_BITS),
	BINARY(SWAUTH_A_EMBEDDED_DIGEST, embedded_digest, SWAUTH_VERIFY_HAS_EMBEDDED_DIGEST),
	SCALAR(SWAUTH_A_SIGNER_KEY_TYPE, K_U32, signer_key_type,
	       SWAUTH_VERIFY_HAS_SIGNER_KEY_TYPE),
	SCALAR(SWAUTH_A_SIGNER_KEY_VERSION, K_U32, signer_key_version,
	       SWAUTH_VERIFY_HAS_SIGNER_KEY_VERSION),
	BINARY(SWAUTH_A_SIGNER_CERT, signer_cert, SWAUTH_VERIFY_HAS_SIGNER_CERT),
	BINARY(SWAUTH_A_COMPUTED_DIGEST, computed_digest, SWAUTH_VERIFY_HAS_COMPUTED_DIGEST),
	SCALAR(SWAUTH_A_KERNEL_FD, K_U32, kernel_fd, SWAUTH_VERIFY_HAS_KERNEL_FD),
	SCALAR(SWAUTH_A_INITRD_FD, K_U32, initrd_fd, SWAUTH_VERIFY_HAS_INITRD_FD),
};

#define BAD(err, ...) swauth_error_set(err, -EBADMSG, "malformed VERIFY_IMAGE reply: " __VA_ARGS__)

static int parse_attr(const struct nlattr *attr, struct swauth_verify_result *res,
		      struct swauth_error *err)
{
	uint16_t type = mnl_attr_get_type(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	const void *payload = mnl_attr_get_payload(attr);
	const struct attr_desc *d;
	char *field;

	if (type > SWAUTH_A_MAX || !attrs[type].name)
		return 0;	/* unknown, SWAUTH_A_PAD or SWAUTH_A_UNSPEC: skip */
	d = &attrs[type];
	field = (char *)res + d->offset;
	if (res->has & d->has)
		return BAD(err, "%s appears twice", d->name);

	switch (d->kind) {
	case K_U32:
		if (len != sizeof(uint32_t))
			return BAD(err, "%s has length %u, expected 4", d->name, len);
		memcpy(field, payload, sizeof(uint32_t));
		break;
	case K_U64:
		if (len != sizeof(uint64_t))
			return BAD(err, "%s has length %u, expected 8", d->name, len);
		memcpy(field, payload, sizeof(uint64_t));
		break;
	case K_STRING:
		if (!len || ((const char *)payload)[len - 1] != '\0')
			return BAD(err, "%s is not NUL-terminated", d->name);
		if (len > d->size)
			return BAD(err, "%s has length %u, at most %zu allowed", d->name, len, d->size);
		if (strlen(payload) != len - 1U)
			return BAD(err, "%s has a NUL inside", d->name);
		memcpy(field, payload, len);
		break;
	case K_BINARY: {
		uint32_t l = len;

		if (!len || len > d->size)
			return BAD(err, "%s has length %u, expected 1 to %zu", d->name, len, d->size);
		memcpy(field, payload, len);
		memcpy((char *)res + d->len_offset, &l, sizeof(l));
		break;
	}
	}
	res->has |= d->has;
	return 0;
}

static bool version_valid(uint32_t v)
{
	return v >= 'A' && v <= 'Z';
}

/* The rules between attributes, once all are read. */
static int check_reply(const struct swauth_verify_result *res, struct swauth_error *err)
{
	unsigned int dsize = swauth_image_digest_size(res->hash_algo);

	if (!(res->has & SWAUTH_VERIFY_HAS_VERDICT))
		return BAD(err, "no SWAUTH_A_VERDICT");
	if (!(res->has & SWAUTH_VERIFY_HAS_FILE_SIZE))
		return BAD(err, "no SWAUTH_A_FILE_SIZE");
	if ((res->has & SWAUTH_VERIFY_HAS_KEY_VERSION) && !version_valid(res->key_version))
		return BAD(err, "SWAUTH_A_KEY_VERSION is %u, not a letter A to Z", res->key_version);
	if ((res->has & SWAUTH_VERIFY_HAS_SIGNER_KEY_VERSION) &&
	    !version_valid(res->signer_key_version))
		return BAD(err, "SWAUTH_A_SIGNER_KEY_VERSION is %u, not a letter A to Z",
			   res->signer_key_version);
	if (res->has & (SWAUTH_VERIFY_HAS_EMBEDDED_DIGEST | SWAUTH_VERIFY_HAS_COMPUTED_DIGEST)) {
		if (!(res->has & SWAUTH_VERIFY_HAS_HASH_ALGO))
			return BAD(err, "a digest without SWAUTH_A_HASH_ALGO");
		if (!dsize)
			return BAD(err, "SWAUTH_A_HASH_ALGO %u is unknown, its digest size too",
				   res->hash_algo);
	}
	if ((res->has & SWAUTH_VERIFY_HAS_EMBEDDED_DIGEST) && res->embedded_digest_len != dsize)
		return BAD(err, "SWAUTH_A_EMBEDDED_DIGEST has length %u, expected %u",
			   res->embedded_digest_len, dsize);
	if ((res->has & SWAUTH_VERIFY_HAS_COMPUTED_DIGEST) && res->computed_digest_len != dsize)
		return BAD(err, "SWAUTH_A_COMPUTED_DIGEST has length %u, expected %u",
			   res->computed_digest_len, dsize);
	if (res->verdict == SWAUTH_VERDICT_OK &&
	    (res->has & SWAUTH_VERIFY_HAS_HEADER) != SWAUTH_VERIFY_HAS_HEADER)
		return BAD(err, "verdict OK without the image header's attributes");
	return 0;
}

/**
 * swauth_verify_parse() - parse one VERIFY_IMAGE reply
 * @nlh: the message; its nlmsg_len must not exceed the buffer it is in
 * @res: receives the result; cleared first
 * @err: filled on failure
 *
 * Return: 0, or -EBADMSG for a reply that is short, is not VERIFY_IMAGE,
 * is cut inside an attribute, carries a known attribute twice or with the
 * wrong length, lacks the verdict or file size, or has a digest whose
 * length is not the size of the hash named by SWAUTH_A_HASH_ALGO.
 */
int swauth_verify_parse(const struct nlmsghdr *nlh, struct swauth_verify_result *res,
			struct swauth_error *err)
{
	const struct genlmsghdr *genl;
	const struct nlattr *attr;
	const char *end;
	int ret;

	memset(res, 0, sizeof(*res));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
		return BAD(err, "%u bytes, too short for a genetlink header", nlh->nlmsg_len);
	genl = mnl_nlmsg_get_payload(nlh);
	/* SEAL_IMAGE answers like VERIFY_IMAGE, plus the two descriptors. */
	if (genl->cmd != SWAUTH_CMD_VERIFY_IMAGE && genl->cmd != SWAUTH_CMD_SEAL_IMAGE)
		return BAD(err, "command %u, expected %u", genl->cmd, SWAUTH_CMD_VERIFY_IMAGE);

	/*
	 * Not mnl_attr_for_each(): it bounds attributes by the aligned payload
	 * tail, so an attribute cut by less than the alignment would be read
	 * past nlmsg_len, and one that overruns ends the loop silently.
	 */
	end = (const char *)nlh + nlh->nlmsg_len;
	attr = (const struct nlattr *)((const char *)genl + GENL_HDRLEN);
	while ((const char *)attr < end) {
		if (!mnl_attr_ok(attr, (int)(end - (const char *)attr)))
			return BAD(err, "attribute truncated at offset %zu",
				   (size_t)((const char *)attr - (const char *)nlh));
		ret = parse_attr(attr, res, err);
		if (ret)
			return ret;
		attr = mnl_attr_next(attr);
	}
	ret = check_reply(res, err);
	if (ret)
		return ret;
	res->verifier = SWAUTH_VERIFIER_KERNEL;
	return 0;
}

struct verify_ctx {
	struct swauth_verify_result *res;
	bool seen;
};

static int verify_reply(const struct nlmsghdr *nlh, void *data, struct swauth_error *err)
{
	struct verify_ctx *ctx = data;

	if (ctx->seen)
		return swauth_error_set(err, -EBADMSG, "VERIFY_IMAGE: more than one reply");
	ctx->seen = true;
	return swauth_verify_parse(nlh, ctx->res, err);
}

/**
 * swauth_verify_kernel() - have the module verify an image
 * @nl: an open handle
 * @fd: a descriptor open for reading on the image
 * @res: receives the result
 * @err: filled on failure
 *
 * A failed verification is a result (@res->verdict), not an error: errors
 * are the request's own faults (-EPERM without CAP_NET_ADMIN, -EBADF, a
 * malformed reply).
 *
 * Return: 0, -EBADMSG for a malformed or missing reply, or -errno.
 */
static int request_verify(struct swauth_nl *nl, uint8_t cmd, const char *what, int fd,
			  struct swauth_verify_result *res, struct swauth_error *err)
{
	struct nlmsghdr *nlh = swauth_nl_request(nl, cmd);
	struct verify_ctx ctx = { .res = res };
	int ret;

	memset(res, 0, sizeof(*res));
	if (fd < 0)
		return swauth_error_set(err, -EBADF, "%s: no file descriptor", what);
	mnl_attr_put_u32(nlh, SWAUTH_A_FD, (uint32_t)fd);
	ret = swauth_nl_transact(nl, nlh, what, verify_reply, &ctx, err);
	if (ret)
		return ret;
	if (!ctx.seen)
		return swauth_error_set(err, -EBADMSG, "%s: the kernel sent no reply", what);
	return 0;
}

int swauth_verify_kernel(struct swauth_nl *nl, int fd, struct swauth_verify_result *res,
			 struct swauth_error *err)
{
	return request_verify(nl, SWAUTH_CMD_VERIFY_IMAGE, "VERIFY_IMAGE", fd, res, err);
}

/**
 * swauth_seal_kernel() - have the module verify and seal a system image
 * @nl: an open handle
 * @fd: a descriptor open for reading on the image
 * @res: receives the result; with the verdict OK, @res->kernel_fd and
 *       @res->initrd_fd are read-only descriptors of the verified kernel
 *       and initramfs, now the caller's to close
 * @err: filled on failure
 *
 * Return: 0, or -errno as for SWAUTH_CMD_SEAL_IMAGE (-EMEDIUMTYPE for an
 * image that is not a system image, -EBADMSG for a payload that is not a
 * kernel and an initramfs).
 */
int swauth_seal_kernel(struct swauth_nl *nl, int fd, struct swauth_verify_result *res,
		       struct swauth_error *err)
{
	return request_verify(nl, SWAUTH_CMD_SEAL_IMAGE, "SEAL_IMAGE", fd, res, err);
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

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * SWAUTH_CMD_GET_STATUS: the request, and a strict parser of its reply.
 * Every known attribute is checked for its exact type and length before it
 * is read; unknown attributes are skipped, because later modules may add
 * them (include/uapi/linux/swauth.h); a reply that is cut short or carries
 * a known attribute in the wrong shape is rejected with -EBADMSG.
 */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "lib/netlink.h"

struct attr_desc {
	const char *name;
	enum mnl_attr_data_type type;
	uint32_t has;
	size_t offset;		/* of the field in struct swauth_status */
	size_t size;		/* of the field: the longest string or binary */
	size_t len_offset;	/* binary: of the field that receives its length */
};

#define FIELD_SIZE(field) sizeof(((struct swauth_status *)0)->field)
#define ATTR(attr, mnltype, field, bit) \
	[attr] = { #attr, mnltype, bit, offsetof(struct swauth_status, field), \
		   FIELD_SIZE(field), 0 }
#define ATTR_BINARY(attr, field, len_field, bit) \
	[attr] = { #attr, MNL_TYPE_BINARY, bit, offsetof(struct swauth_status, field), \
		   FIELD_SIZE(field), offsetof(struct swauth_status, len_field) }

static const struct attr_desc attrs[SWAUTH_A_MAX + 1] = {
	ATTR(SWAUTH_A_VERSION, MNL_TYPE_NUL_STRING, version, SWAUTH_STATUS_HAS_VERSION),
	ATTR(SWAUTH_A_ABI_VERSION, MNL_TYPE_U32, abi_version, SWAUTH_STATUS_HAS_ABI_VERSION),
	ATTR(SWAUTH_A_MODE, MNL_TYPE_U32, mode, SWAUTH_STATUS_HAS_MODE),
	ATTR(SWAUTH_A_DEBUG, MNL_TYPE_U32, debug, SWAUTH_STATUS_HAS_DEBUG),
	ATTR(SWAUTH_A_KEYS_ROLLOVER, MNL_TYPE_U32, keys_rollover,
	     SWAUTH_STATUS_HAS_KEYS_ROLLOVER),
	ATTR(SWAUTH_A_KEYS_PRODUCTION, MNL_TYPE_U32, keys_production,
	     SWAUTH_STATUS_HAS_KEYS_PRODUCTION),
	ATTR(SWAUTH_A_KEYS_SPECIAL, MNL_TYPE_U32, keys_special, SWAUTH_STATUS_HAS_KEYS_SPECIAL),
	ATTR(SWAUTH_A_IMAGES_VERIFIED, MNL_TYPE_U64, images_verified,
	     SWAUTH_STATUS_HAS_IMAGES_VERIFIED),
	ATTR(SWAUTH_A_IMAGES_REJECTED, MNL_TYPE_U64, images_rejected,
	     SWAUTH_STATUS_HAS_IMAGES_REJECTED),
	ATTR(SWAUTH_A_FLOOR_PRODUCTION, MNL_TYPE_U32, floor_production,
	     SWAUTH_STATUS_HAS_FLOOR_PRODUCTION),
	ATTR(SWAUTH_A_FLOOR_SPECIAL, MNL_TYPE_U32, floor_special, SWAUTH_STATUS_HAS_FLOOR_SPECIAL),
	ATTR(SWAUTH_A_STORE_PRIMARY, MNL_TYPE_U32, store_primary, SWAUTH_STATUS_HAS_STORE_PRIMARY),
	ATTR(SWAUTH_A_STORE_BACKUP, MNL_TYPE_U32, store_backup, SWAUTH_STATUS_HAS_STORE_BACKUP),
	ATTR(SWAUTH_A_STORE_SEQUENCE, MNL_TYPE_U64, store_sequence,
	     SWAUTH_STATUS_HAS_STORE_SEQUENCE),
	ATTR(SWAUTH_A_BOOT, MNL_TYPE_U32, boot, SWAUTH_STATUS_HAS_BOOT),
	/* An s32 is a u32 on the wire. */
	ATTR(SWAUTH_A_STORE_ERROR, MNL_TYPE_U32, store_error, SWAUTH_STATUS_HAS_STORE_ERROR),
	ATTR(SWAUTH_A_BOOT_BASIS, MNL_TYPE_U32, boot_basis, SWAUTH_STATUS_HAS_BOOT_BASIS),
	ATTR(SWAUTH_A_ENFORCE, MNL_TYPE_U32, enforce, SWAUTH_STATUS_HAS_ENFORCE),
	ATTR(SWAUTH_A_KEXEC_REFUSED, MNL_TYPE_U64, kexec_refused,
	     SWAUTH_STATUS_HAS_KEXEC_REFUSED),
	ATTR(SWAUTH_A_RUNNING, MNL_TYPE_U32, running, SWAUTH_STATUS_HAS_RUNNING),
	ATTR(SWAUTH_A_RUNNING_WHY, MNL_TYPE_NUL_STRING, running_why,
	     SWAUTH_STATUS_HAS_RUNNING_WHY),
	ATTR(SWAUTH_A_IMAGE_NAME, MNL_TYPE_NUL_STRING, image_name, SWAUTH_STATUS_HAS_IMAGE_NAME),
	ATTR(SWAUTH_A_IMAGE_VERSION, MNL_TYPE_NUL_STRING, image_version,
	     SWAUTH_STATUS_HAS_IMAGE_VERSION),
	ATTR(SWAUTH_A_IMAGE_TYPE, MNL_TYPE_U32, image_type, SWAUTH_STATUS_HAS_IMAGE_TYPE),
	ATTR(SWAUTH_A_SIGNER_KEY_TYPE, MNL_TYPE_U32, signer_key_type,
	     SWAUTH_STATUS_HAS_SIGNER_KEY_TYPE),
	ATTR(SWAUTH_A_SIGNER_KEY_VERSION, MNL_TYPE_U32, signer_key_version,
	     SWAUTH_STATUS_HAS_SIGNER_KEY_VERSION),
	ATTR(SWAUTH_A_HASH_ALGO, MNL_TYPE_U32, hash_algo, SWAUTH_STATUS_HAS_HASH_ALGO),
	ATTR_BINARY(SWAUTH_A_EMBEDDED_DIGEST, embedded_digest, embedded_digest_len,
		    SWAUTH_STATUS_HAS_EMBEDDED_DIGEST),
	ATTR(SWAUTH_A_BUILD_TIME, MNL_TYPE_U64, build_time, SWAUTH_STATUS_HAS_BUILD_TIME),
	ATTR(SWAUTH_A_RUNNING_KERNEL, MNL_TYPE_NUL_STRING, running_kernel,
	     SWAUTH_STATUS_HAS_RUNNING_KERNEL),
};

static int parse_attr(const struct nlattr *attr, struct swauth_status *st,
		      struct swauth_error *err)
{
	uint16_t type = mnl_attr_get_type(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	const struct attr_desc *d;
	char *field;

	if (type > SWAUTH_A_MAX || !attrs[type].name)
		return 0;	/* unknown, SWAUTH_A_PAD or SWAUTH_A_UNSPEC: skip */
	d = &attrs[type];
	field = (char *)st + d->offset;

	if (mnl_attr_validate(attr, d->type) < 0) {
		if (d->type == MNL_TYPE_NUL_STRING && len)
			return swauth_error_set(err, -EBADMSG,
						"malformed GET_STATUS reply: %s is not NUL-terminated",
						d->name);
		return swauth_error_set(err, -EBADMSG,
					"malformed GET_STATUS reply: %s has length %u, expected %u",
					d->name, len, d->type == MNL_TYPE_U64 ? 8U :
					d->type == MNL_TYPE_U32 ? 4U : 1U);
	}
	switch (d->type) {
	case MNL_TYPE_NUL_STRING:
		if (len > d->size)
			return swauth_error_set(err, -EBADMSG,
						"malformed GET_STATUS reply: %s has length %u, at most %zu allowed",
						d->name, len, d->size);
		/* Validated: NUL-terminated within len <= the field size. */
		memcpy(field, mnl_attr_get_payload(attr), len);
		break;
	case MNL_TYPE_BINARY: {
		uint32_t n = len;

		if (!len || len > d->size)
			return swauth_error_set(err, -EBADMSG,
						"malformed GET_STATUS reply: %s has length %u, expected 1 to %zu",
						d->name, len, d->size);
		memcpy(field, mnl_attr_get_payload(attr), len);
		memcpy((char *)st + d->len_offset, &n, sizeof(n));
		break;
	}
	case MNL_TYPE_U32: {
		uint32_t v = mnl_attr_get_u32(attr);

		memcpy(field, &v, sizeof(v));
		break;
	}
	case MNL_TYPE_U64: {
		uint64_t v = mnl_attr_get_u64(attr);

		memcpy(field, &v, sizeof(v));
		break;
	}
	default:
		return swauth_error_set(err, -EINVAL, "internal error: %s has no parser", d->name);
	}
	/* A floor is a version letter or 0; anything else is not a floor. */
	if ((type == SWAUTH_A_FLOOR_PRODUCTION || type == SWAUTH_A_FLOOR_SPECIAL) &&
	    mnl_attr_get_u32(attr) && (mnl_attr_get_u32(attr) < 'A' || mnl_attr_get_u32(attr) > 'Z'))
		return swauth_error_set(err, -EBADMSG,
					"malformed GET_STATUS reply: %s is %u, not 0 or 'A'..'Z'",
					d->name, mnl_attr_get_u32(attr));
	if (type == SWAUTH_A_SIGNER_KEY_VERSION &&
	    (mnl_attr_get_u32(attr) < 'A' || mnl_attr_get_u32(attr) > 'Z'))
		return swauth_error_set(err, -EBADMSG,
					"malformed GET_STATUS reply: %s is %u, not 'A'..'Z'",
					d->name, mnl_attr_get_u32(attr));
	st->has |= d->has;
	return 0;
}

/**
 * swauth_status_parse() - parse one GET_STATUS reply
 * @nlh: the message; its nlmsg_len must not exceed the buffer it is in
 * @st: receives the state; cleared first
 * @err: filled on failure
 *
 * Return: 0, or -EBADMSG for a reply that is short or unaligned, is not
 * GET_STATUS, is cut inside an attribute, or carries a known attribute with the wrong
 * length or an unterminated string, or a floor or signer key version that is
 * not a version letter.
 */
int swauth_status_parse(const struct nlmsghdr *nlh, struct swauth_status *st,
			struct swauth_error *err)
{
	const struct genlmsghdr *genl;
	const struct nlattr *attr;
	int ret;

	memset(st, 0, sizeof(*st));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
		return swauth_error_set(err, -EBADMSG,
					"malformed GET_STATUS reply: %u bytes, too short for a genetlink header",
					nlh->nlmsg_len);
	/*
	 * The kernel pads every message to 4 bytes. An unaligned length would
	 * let mnl_attr_for_each() accept an attribute that ends up to three
	 * bytes past the message.
	 */
	if (nlh->nlmsg_len % MNL_ALIGNTO)
		return swauth_error_set(err, -EBADMSG,
					"malformed GET_STATUS reply: length %u is not a multiple of %d",
					nlh->nlmsg_len, MNL_ALIGNTO);
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd != SWAUTH_CMD_GET_STATUS)
		return swauth_error_set(err, -EBADMSG,
					"malformed GET_STATUS reply: command %u, expected %u",
					genl->cmd, SWAUTH_CMD_GET_STATUS);

	mnl_attr_for_each(attr, nlh, GENL_HDRLEN) {
		ret = parse_attr(attr, st, err);
		if (ret)
			return ret;
	}
	/* mnl_attr_for_each() stops silently at an attribute that overruns the message. */
	if ((const char *)attr != (const char *)mnl_nlmsg_get_payload_tail(nlh))
		return swauth_error_set(err, -EBADMSG,
					"malformed GET_STATUS reply: attribute truncated at offset %zu",
					(size_t)((const char *)attr - (const char *)nlh));
	return 0;
}

struct status_ctx {
	struct swauth_status *st;
	bool seen;
};

static int status_reply(const struct nlmsghdr *nlh, void *data, struct swauth_error *err)
{
	struct status_ctx *ctx = data;

	if (ctx->seen)
		return swauth_error_set(err, -EBADMSG, "GET_STATUS: more than one reply");
	ctx->seen = true;
	return swauth_status_parse(nlh, ctx->st, err);
}

/**
 * swauth_status_get() - ask the module for its state
 * @nl: an open handle
 * @st: receives the state
 * @err: filled on failure
 *
 * Return: 0, -EBADMSG for a malformed or missing reply, or -errno.
 */
int swauth_status_get(struct swauth_nl *nl, struct swauth_status *st, struct swauth_error *err)
{
	struct nlmsghdr *nlh = swauth_nl_request(nl, SWAUTH_CMD_GET_STATUS);
	struct status_ctx ctx = { .st = st };
	int ret;

	memset(st, 0, sizeof(*st));
	ret = swauth_nl_transact(nl, nlh, "GET_STATUS", status_reply, &ctx, err);
	if (ret)
		return ret;
	if (!ctx.seen)
		return swauth_error_set(err, -EBADMSG, "GET_STATUS: the kernel sent no reply");
	return 0;
}

/**
 * swauth_status_mode_name() - the name of a mode, as shown and in JSON
 * @mode: one of enum swauth_mode
 *
 * Return: "verify-only", "key-management", or "unknown".
 */
const char *swauth_status_mode_name(uint32_t mode)
{
	switch (mode) {
	case SWAUTH_MODE_VERIFY_ONLY:
		return "verify-only";
	case SWAUTH_MODE_KEY_MANAGEMENT:
		return "key-management";
	default:
		return "unknown";
	}
}

/**
 * swauth_store_state_name() - the name of a key storage state, as shown and in JSON
 * @state: one of enum swauth_store_state
 *
 * Return: "none", "ok", "repaired", "missing", "corrupt", "stale",
 * "recovered", "absent", "unreadable", or "unknown".
 */
const char *swauth_store_state_name(uint32_t state)
{
	static const char *const names[] = {
		[SWAUTH_STORE_NONE] = "none",
		[SWAUTH_STORE_OK] = "ok",
		[SWAUTH_STORE_REPAIRED] = "repaired",
		[SWAUTH_STORE_MISSING] = "missing",
		[SWAUTH_STORE_CORRUPT] = "corrupt",
		[SWAUTH_STORE_STALE] = "stale",
		[SWAUTH_STORE_RECOVERED] = "recovered",
		[SWAUTH_STORE_ABSENT] = "absent",
		[SWAUTH_STORE_UNREADABLE] = "unreadable",
	};

	return state < sizeof(names) / sizeof(names[0]) && names[state] ?
	       names[state] : "unknown";
}

/**
 * swauth_boot_name() - how the kernel was started, as shown and in JSON
 * @boot: one of enum swauth_boot
 *
 * Return: "cold", "warm", or "unknown" (also for a value this version does
 * not know).
 */
const char *swauth_boot_name(uint32_t boot)
{
	switch (boot) {
	case SWAUTH_BOOT_COLD:
		return "cold";
	case SWAUTH_BOOT_WARM:
		return "warm";
	default:
		return "unknown";
	}
}

/**
 * swauth_status_running_measured() - whether the module knows the running image
 * @st: the state
 *
 * Return: true when the module measured the running image at load
 * (SWAUTH_RUNNING_MEASURED): the image_* and signer_* fields are its record.
 */
bool swauth_status_running_measured(const struct swauth_status *st)
{
	return (st->has & SWAUTH_STATUS_HAS_RUNNING) && st->running == SWAUTH_RUNNING_MEASURED;
}

/**
 * swauth_status_running_why() - why the module does not know the running image
 * @st: the state
 *
 * A module older than SWAUTH_A_RUNNING does not say, and one that answers
 * with a state this version does not know is taken as not knowing.
 *
 * Return: NULL when it knows (swauth_status_running_measured()), else the
 * reason, in words for the operator.
 */
const char *swauth_status_running_why(const struct swauth_status *st)
{
	if (!(st->has & SWAUTH_STATUS_HAS_RUNNING))
		return "the module does not report it";
	if (st->running == SWAUTH_RUNNING_MEASURED)
		return NULL;
	if (st->running > SWAUTH_RUNNING_MAX)
		return "the module reports a state this version of swauth does not know";
	if ((st->has & SWAUTH_STATUS_HAS_RUNNING_WHY) && st->running_why[0])
		return st->running_why;
	return "the module does not say why";
}

/**
 * swauth_status_running_signer() - the version of the key that signed the running image
 * @st: the state, of a module that measured the running image
 *
 * Return: 'A'..'Z', or '?' when the module did not say.
 */
char swauth_status_running_signer(const struct swauth_status *st)
{
	return st->has & SWAUTH_STATUS_HAS_SIGNER_KEY_VERSION ? (char)st->signer_key_version : '?';
}

/**
 * swauth_enforce_set() - turn the enforcement of kexec on or off
 * @nl: an open handle
 * @on: the new state
 * @err: filled on failure, with the kernel's extended ack when it sent one
 *
 * Return: 0, or the kernel's -errno as documented for SWAUTH_CMD_ENFORCE:
 * -EALREADY when enforcement is in that state already, -EPERM without
 * CAP_SYS_ADMIN or from a kernel that runs no BPF LSM.
 */
int swauth_enforce_set(struct swauth_nl *nl, bool on, struct swauth_error *err)
{
	struct nlmsghdr *nlh = swauth_nl_request(nl, SWAUTH_CMD_ENFORCE);

	mnl_attr_put_u32(nlh, SWAUTH_A_ENFORCE, on);
	return swauth_nl_transact(nl, nlh, "ENFORCE", NULL, NULL, err);
}

/**
 * swauth_status_fetch() - open a handle, ask for the state, close it
 * @st: receives the state
 * @err: filled on failure
 *
 * Return: as swauth_nl_open() and swauth_status_get().
 */
int swauth_status_fetch(struct swauth_status *st, struct swauth_error *err)
{
	struct swauth_nl *nl;
	int ret;

	ret = swauth_nl_open(&nl, err);
	if (ret)
		return ret;
	ret = swauth_status_get(nl, st, err);
	swauth_nl_close(nl);
	return ret;
}

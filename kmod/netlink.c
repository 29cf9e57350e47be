// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The generic netlink family: the way into the module from userspace for
 * everything but reading images, which /dev/swauth does (dev.c).
 * include/uapi/linux/swauth.h documents every command.
 */

#include <linux/module.h>
#include <net/genetlink.h>

#include "swauth.h"

static struct genl_family swauth_genl_family;

/* GET_STATUS takes no attributes: an all-NLA_UNSPEC policy rejects any. */
static const struct nla_policy status_policy[SWAUTH_A_MAX + 1] = {};

static const struct nla_policy debug_policy[SWAUTH_A_MAX + 1] = {
	[SWAUTH_A_DEBUG] = { .type = NLA_U32 },
};

static const struct nla_policy provision_policy[SWAUTH_A_MAX + 1] = {
	[SWAUTH_A_CERT] = NLA_POLICY_RANGE(NLA_BINARY, 1, SWAUTH_CERT_MAX),
};

/* GET_KEYS takes no attributes either. */
static const struct nla_policy keys_policy[SWAUTH_A_MAX + 1] = {};

/* Descriptors are ints; a negative one gets -EBADF from fd_attr(). */
static const struct nla_policy key_add_policy[SWAUTH_A_MAX + 1] = {
	[SWAUTH_A_KEY_TYPE] = NLA_POLICY_RANGE(NLA_U32, SWAUTH_KEY_PRODUCTION,
					       SWAUTH_KEY_SPECIAL),
	[SWAUTH_A_FD] = { .type = NLA_S32 },
};

static const struct nla_policy key_revoke_policy[SWAUTH_A_MAX + 1] = {
	[SWAUTH_A_KEY_TYPE] = NLA_POLICY_RANGE(NLA_U32, SWAUTH_KEY_PRODUCTION,
					       SWAUTH_KEY_SPECIAL),
	[SWAUTH_A_FD] = { .type = NLA_S32 },
	[SWAUTH_A_BOOTLOADER_FD] = { .type = NLA_S32 },
	[SWAUTH_A_FLAGS] = NLA_POLICY_MASK(NLA_U32, __SWAUTH_REVOKE_F_ALL),
};

static const struct nla_policy enforce_policy[SWAUTH_A_MAX + 1] = {
	[SWAUTH_A_ENFORCE] = NLA_POLICY_MAX(NLA_U32, 1),
};

enum swauth_mcgrp {
	SWAUTH_MCGRP_EVENTS_ID,
};

static const struct genl_multicast_group swauth_mcgrps[] = {
	[SWAUTH_MCGRP_EVENTS_ID] = { .name = SWAUTH_MCGRP_EVENTS },
};

/* The running image as the module knows it, checked against today's keys. */
static int put_running(struct sk_buff *skb)
{
	struct swauth_verify_result res;
	const struct swauth_image_header *h = &res.hdr;
	const char *why, *kernel;
	int ret;

	ret = swauth_running_get(&res, &why, &kernel);
	if (ret == -ENOMEM)
		return ret;
	if (ret)
		return nla_put_u32(skb, SWAUTH_A_RUNNING, SWAUTH_RUNNING_UNKNOWN) ||
		       nla_put_string(skb, SWAUTH_A_RUNNING_WHY, why) ? -EMSGSIZE : 0;
	if (nla_put_u32(skb, SWAUTH_A_RUNNING, SWAUTH_RUNNING_MEASURED) ||
	    nla_put_string(skb, SWAUTH_A_IMAGE_NAME, h->name) ||
	    nla_put_string(skb, SWAUTH_A_IMAGE_VERSION, h->image_version) ||
	    nla_put_u32(skb, SWAUTH_A_IMAGE_TYPE, h->image_type) ||
	    nla_put_u32(skb, SWAUTH_A_SIGNER_KEY_TYPE, res.signer->type) ||
	    nla_put_u32(skb, SWAUTH_A_SIGNER_KEY_VERSION, res.signer->version) ||
	    nla_put_u32(skb, SWAUTH_A_HASH_ALGO, h->hash_algo) ||
	    nla_put(skb, SWAUTH_A_EMBEDDED_DIGEST, h->digest_size, h->payload_digest) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_BUILD_TIME, h->build_time, SWAUTH_A_PAD) ||
	    nla_put_string(skb, SWAUTH_A_RUNNING_KERNEL, kernel))
		ret = -EMSGSIZE;
	swauth_verify_result_release(&res);
	return ret;
}

static int put_status(struct sk_buff *skb)
{
	u64 refused;

	/* Clients size their buffers by the uapi limit. */
	BUILD_BUG_ON(sizeof(SWAUTH_VERSION) > SWAUTH_VERSION_LEN);

	if (nla_put_string(skb, SWAUTH_A_VERSION, SWAUTH_VERSION) ||
	    nla_put_u32(skb, SWAUTH_A_ABI_VERSION, SWAUTH_GENL_VERSION) ||
	    nla_put_u32(skb, SWAUTH_A_MODE, swauth_state_mode()) ||
	    nla_put_u32(skb, SWAUTH_A_DEBUG, swauth_state_debug()) ||
	    nla_put_u32(skb, SWAUTH_A_KEYS_ROLLOVER,
			swauth_keys_count(SWAUTH_KEY_ROLLOVER)) ||
	    nla_put_u32(skb, SWAUTH_A_KEYS_PRODUCTION,
			swauth_keys_count(SWAUTH_KEY_PRODUCTION)) ||
	    nla_put_u32(skb, SWAUTH_A_KEYS_SPECIAL,
			swauth_keys_count(SWAUTH_KEY_SPECIAL)) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_IMAGES_VERIFIED,
			      swauth_state_verified(), SWAUTH_A_PAD) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_IMAGES_REJECTED,
			      swauth_state_rejected(), SWAUTH_A_PAD) ||
	    nla_put_u32(skb, SWAUTH_A_FLOOR_PRODUCTION,
			swauth_keys_floor(SWAUTH_KEY_PRODUCTION)) ||
	    nla_put_u32(skb, SWAUTH_A_FLOOR_SPECIAL,
			swauth_keys_floor(SWAUTH_KEY_SPECIAL)) ||
	    nla_put_u32(skb, SWAUTH_A_STORE_PRIMARY,
			swauth_storage_state(SWAUTH_STORAGE_PRIMARY_COPY)) ||
	    nla_put_u32(skb, SWAUTH_A_STORE_BACKUP,
			swauth_storage_state(SWAUTH_STORAGE_BACKUP_COPY)) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_STORE_SEQUENCE,
			      swauth_storage_sequence(), SWAUTH_A_PAD) ||
	    nla_put_u32(skb, SWAUTH_A_BOOT, swauth_boot_kind()) ||
	    nla_put_u32(skb, SWAUTH_A_BOOT_BASIS, swauth_boot_basis()) ||
	    nla_put_u32(skb, SWAUTH_A_ENFORCE, swauth_enforce_state(&refused)) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_KEXEC_REFUSED, refused, SWAUTH_A_PAD) ||
	    (swauth_storage_error() &&
	     nla_put_s32(skb, SWAUTH_A_STORE_ERROR, swauth_storage_error())))
		return -EMSGSIZE;
	return put_running(skb);
}

static int swauth_get_status(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	swauth_dbg(SWAUTH_DEBUG_F_SHOW, "status requested by pid %u\n",
		   info->snd_portid);

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &swauth_genl_family, 0,
				SWAUTH_CMD_GET_STATUS);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free_msg;
	}
	ret = put_status(msg);
	if (ret)
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
	return ret;
}

static int swauth_provision_key(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *cert = info->attrs[SWAUTH_A_CERT];

	if (GENL_REQ_ATTR_CHECK(info, SWAUTH_A_CERT))
		return -EINVAL;
	return swauth_keys_provision(nla_data(cert), nla_len(cert),
				     info->extack);
}

static int put_change(struct sk_buff *skb, u8 cmd,
		      const struct swauth_key_change *r)
{
	struct nlattr *revoked;
	unsigned int i;

	if (nla_put_u32(skb, cmd == SWAUTH_CMD_KEY_ADD ? SWAUTH_A_KEY_VERSION :
			SWAUTH_A_FLOOR, r->version) ||
	    nla_put_s32(skb, SWAUTH_A_PRIMARY_RESULT,
			r->results[SWAUTH_STORAGE_PRIMARY_COPY]) ||
	    nla_put_s32(skb, SWAUTH_A_BACKUP_RESULT,
			r->results[SWAUTH_STORAGE_BACKUP_COPY]))
		return -EMSGSIZE;
	if (cmd != SWAUTH_CMD_KEY_REVOKE)
		return 0;
	revoked = nla_nest_start(skb, SWAUTH_A_REVOKED);
	if (!revoked)
		return -EMSGSIZE;
	for (i = 0; i < r->nrevoked; i++)
		if (nla_put_u32(skb, SWAUTH_A_KEY_VERSION, r->revoked[i]))
			return -EMSGSIZE;
	nla_nest_end(skb, revoked);
	return 0;
}

static int reply_change(struct genl_info *info, u8 cmd,
			const struct swauth_key_change *r)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &swauth_genl_family, 0, cmd);
	if (!hdr || put_change(msg, cmd, r)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * The descriptor in an NLA_S32 attribute, or -EBADF for a negative one:
 * the policy cannot say which errno a range violation gets.
 */
static int fd_attr(struct genl_info *info, const struct nlattr *attr)
{
	int fd = nla_get_s32(attr);

	if (fd < 0)
		NL_SET_ERR_MSG_ATTR(info->extack, attr, "not a file descriptor");
	return fd < 0 ? -EBADF : fd;
}

static int swauth_key_add(struct sk_buff *skb, struct genl_info *info)
{
	struct swauth_key_change r;
	int ret, fd;

	if (GENL_REQ_ATTR_CHECK(info, SWAUTH_A_KEY_TYPE) ||
	    GENL_REQ_ATTR_CHECK(info, SWAUTH_A_FD))
		return -EINVAL;
	fd = fd_attr(info, info->attrs[SWAUTH_A_FD]);
	if (fd < 0)
		return fd;
	ret = swauth_keys_add(nla_get_u32(info->attrs[SWAUTH_A_KEY_TYPE]), fd,
			      &r, info->extack);
	return ret ?: reply_change(info, SWAUTH_CMD_KEY_ADD, &r);
}

static int swauth_key_revoke(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *bl = info->attrs[SWAUTH_A_BOOTLOADER_FD];
	const struct nlattr *flags = info->attrs[SWAUTH_A_FLAGS];
	const struct nlattr *run = info->attrs[SWAUTH_A_FD];
	struct swauth_key_change r;
	int ret, fd = -1, bl_fd = -1;

	if (GENL_REQ_ATTR_CHECK(info, SWAUTH_A_KEY_TYPE))
		return -EINVAL;
	if (run) {
		fd = fd_attr(info, run);
		if (fd < 0)
			return fd;
	}
	if (bl) {
		bl_fd = fd_attr(info, bl);
		if (bl_fd < 0)
			return bl_fd;
	}
	ret = swauth_keys_revoke(nla_get_u32(info->attrs[SWAUTH_A_KEY_TYPE]),
				 fd, bl_fd, flags ? nla_get_u32(flags) : 0, &r,
				 info->extack);
	return ret ?: reply_change(info, SWAUTH_CMD_KEY_REVOKE, &r);
}

static int swauth_store_init(struct sk_buff *skb, struct genl_info *info)
{
	return swauth_keys_store_init(info->extack);
}

static int swauth_store_reload(struct sk_buff *skb, struct genl_info *info)
{
	return swauth_keys_store_reload(info->extack);
}

/*
 * The largest message of the dump, a key with a certificate of
 * SWAUTH_CERT_MAX bytes. It must fit an empty part of the dump, which is
 * NLMSG_GOODSIZE (under 4 KiB) unless the dump asks for more.
 */
#define KEY_MSG_SIZE nlmsg_total_size(GENL_HDRLEN +			\
				      3 * nla_total_size(sizeof(u32)) +	\
				      nla_total_size(SWAUTH_CERT_MAX))

/*
 * Runs before the first part of the dump is allocated
 * (__netlink_dump_start() calls it before netlink_dump()), so the size
 * applies to every part, the first one included.
 */
static int swauth_get_keys_start(struct netlink_callback *cb)
{
	cb->min_dump_alloc = KEY_MSG_SIZE;
	return 0;
}

/*
 * The dump's cursor: cb->args[0] is the next table index to look at.
 *
 * The version is checked here, not in .start: in 6.1 a .start callback
 * has no extack to explain its error, while a dump's error arrives in
 * NLMSG_DONE with the message (pre_doit runs for doit requests only).
 */
static int swauth_get_keys_dump(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	const struct genlmsghdr *genl = nlmsg_data(cb->nlh);
	unsigned long i = cb->args[0];
	struct swauth_key *k;
	u32 where;
	void *hdr;

	if (genl->version != SWAUTH_GENL_VERSION) {
		NL_SET_ERR_MSG(cb->extack, "unsupported swauth protocol version");
		return -EPFNOSUPPORT;
	}
	cb->seq = swauth_keys_generation();
	for (; i < (SWAUTH_KEY_MAX + 1) * SWAUTH_KEY_VERSIONS; i++) {
		u8 type = i / SWAUTH_KEY_VERSIONS, version = 'A' + i % SWAUTH_KEY_VERSIONS;

		k = swauth_keys_get(type, version);
		if (!k)
			continue;
		where = type == SWAUTH_KEY_ROLLOVER ? SWAUTH_KEY_F_BUILTIN : 0;
		if (swauth_storage_has(SWAUTH_STORAGE_PRIMARY_COPY, type, version))
			where |= SWAUTH_KEY_F_PRIMARY;
		if (swauth_storage_has(SWAUTH_STORAGE_BACKUP_COPY, type, version))
			where |= SWAUTH_KEY_F_BACKUP;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &swauth_genl_family,
				  NLM_F_MULTI, SWAUTH_CMD_GET_KEYS);
		if (!hdr ||
		    nla_put_u32(skb, SWAUTH_A_KEY_TYPE, type) ||
		    nla_put_u32(skb, SWAUTH_A_KEY_VERSION, version) ||
		    nla_put_u32(skb, SWAUTH_A_KEY_WHERE, where) ||
		    nla_put(skb, SWAUTH_A_CERT, k->cert_len, k->cert)) {
			swauth_keys_put(k);
			if (hdr)
				genlmsg_cancel(skb, hdr);
			/* Never end the dump short: say a key was left out. */
			if (!skb->len) {
				NL_SET_ERR_MSG(cb->extack, "a key does not fit a dump message");
				return -EMSGSIZE;
			}
			break;
		}
		genl_dump_check_consistent(cb, hdr);
		genlmsg_end(skb, hdr);
		swauth_keys_put(k);
	}
	cb->args[0] = i;
	return skb->len;
}

/* Multicasts an event that its caller filled; frees it on failure. */
static void event_send(struct sk_buff *msg, void *hdr, bool ok)
{
	if (!ok) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&swauth_genl_family, msg, 0, SWAUTH_MCGRP_EVENTS_ID,
			  GFP_KERNEL);
}

/*
 * The largest event, a kexec refusal: sized to it rather than to a page,
 * since a listener's receive buffer is charged for what is allocated and
 * a burst of page-sized events would overflow it after a few dozen.
 */
#define SWAUTH_EVENT_SIZE (5 * nla_total_size(sizeof(u32)) +		\
			   nla_total_size(TASK_COMM_LEN) +		\
			   nla_total_size(NAME_MAX + 1) +		\
			   nla_total_size_64bit(sizeof(u64)))

static struct sk_buff *event_new(enum swauth_event event, void **hdr)
{
	struct sk_buff *msg = genlmsg_new(SWAUTH_EVENT_SIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put(msg, 0, 0, &swauth_genl_family, 0, SWAUTH_CMD_EVENT);
	if (!*hdr || nla_put_u32(msg, SWAUTH_A_EVENT, event)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * swauth_genetlink_event() - tell listeners that keys changed
 * @event: what happened
 * @type: the key type
 * @version: the key's version, or the new floor
 *
 * Best effort: a listener that is too slow loses events (and can dump).
 */
void swauth_genetlink_event(enum swauth_event event, u8 type, u8 version)
{
	struct sk_buff *msg;
	void *hdr;

	msg = event_new(event, &hdr);
	if (msg)
		event_send(msg, hdr,
			   !nla_put_u32(msg, SWAUTH_A_KEY_TYPE, type) &&
			   !nla_put_u32(msg, event == SWAUTH_EVENT_FLOOR_RAISED ?
					SWAUTH_A_FLOOR : SWAUTH_A_KEY_VERSION, version));
}

/**
 * swauth_genetlink_enforce() - tell listeners that enforcement changed
 * @on: the new state
 */
void swauth_genetlink_enforce(bool on)
{
	struct sk_buff *msg;
	void *hdr;

	msg = event_new(SWAUTH_EVENT_ENFORCE, &hdr);
	if (msg)
		event_send(msg, hdr, !nla_put_u32(msg, SWAUTH_A_ENFORCE, on));
}

/**
 * swauth_genetlink_refusal() - tell listeners that a kexec load was refused
 * @what: enum swauth_refused_load
 * @pid: the caller's thread group
 * @uid: its uid
 * @comm: its name
 * @name: the file's last component, "" for none
 * @count: refusals so far
 */
void swauth_genetlink_refusal(u32 what, u32 pid, u32 uid, const char *comm,
			      const char *name, u64 count)
{
	struct sk_buff *msg;
	void *hdr;

	msg = event_new(SWAUTH_EVENT_KEXEC_REFUSED, &hdr);
	if (msg)
		event_send(msg, hdr,
			   !nla_put_u32(msg, SWAUTH_A_REFUSED, what) &&
			   !nla_put_u32(msg, SWAUTH_A_PID, pid) &&
			   !nla_put_u32(msg, SWAUTH_A_UID, uid) &&
			   !nla_put_string(msg, SWAUTH_A_COMM, comm) &&
			   (!name[0] || !nla_put_string(msg, SWAUTH_A_FILE_NAME, name)) &&
			   !nla_put_u64_64bit(msg, SWAUTH_A_KEXEC_REFUSED, count,
					      SWAUTH_A_PAD));
}

static int swauth_enforce(struct sk_buff *skb, struct genl_info *info)
{
	if (GENL_REQ_ATTR_CHECK(info, SWAUTH_A_ENFORCE))
		return -EINVAL;
	return swauth_enforce_set(nla_get_u32(info->attrs[SWAUTH_A_ENFORCE]),
				  info->extack);
}

static int swauth_set_debug(struct sk_buff *skb, struct genl_info *info)
{
	u32 mask;

	if (GENL_REQ_ATTR_CHECK(info, SWAUTH_A_DEBUG))
		return -EINVAL;
	mask = nla_get_u32(info->attrs[SWAUTH_A_DEBUG]);
	if (mask & ~__SWAUTH_DEBUG_F_ALL) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SWAUTH_A_DEBUG],
				    "unknown debug category bit");
		return -EOPNOTSUPP;
	}
	swauth_state_set_debug(mask);
	swauth_dbg(SWAUTH_DEBUG_F_VERBOSE, "debug categories set to %#x\n",
		   mask);
	return 0;
}

/*
 * Privileges match the harm (Documentation/netlink.rst has the table).
 * GENL_ADMIN_PERM in .flags is CAP_NET_ADMIN in the initial user
 * namespace, which network daemons and container runtimes hold: enough
 * for SET_DEBUG, never for trust. An operation that changes trust for
 * good (keys, floors, key storage) says so with one line,
 *
 *	.internal_flags = SWAUTH_NL_SYS_ADMIN,
 *
 * and swauth_pre_doit() then requires CAP_SYS_ADMIN in the initial user
 * namespace, of the process that opened the socket and of the sender
 * (netlink_capable()), before the operation sees the request. Queries
 * need nothing.
 */
#define SWAUTH_NL_SYS_ADMIN BIT(0)

/* Every request must speak this module's version of the protocol. */
static int swauth_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	if (info->genlhdr->version != SWAUTH_GENL_VERSION) {
		GENL_SET_ERR_MSG(info, "unsupported swauth protocol version");
		return -EPFNOSUPPORT;
	}
	if ((ops->internal_flags & SWAUTH_NL_SYS_ADMIN) &&
	    !netlink_capable(skb, CAP_SYS_ADMIN)) {
		if (ops->cmd == SWAUTH_CMD_ENFORCE)
			GENL_SET_ERR_MSG(info, "turning enforcement on or off needs CAP_SYS_ADMIN");
		else
			GENL_SET_ERR_MSG(info, "changing trusted keys needs CAP_SYS_ADMIN");
		return -EPERM;
	}
	return 0;
}

static const struct genl_ops swauth_genl_ops[] = {
	{
		.cmd = SWAUTH_CMD_GET_STATUS,
		.doit = swauth_get_status,
		.policy = status_policy,
		.maxattr = SWAUTH_A_MAX,
	},
	{
		.cmd = SWAUTH_CMD_SET_DEBUG,
		.doit = swauth_set_debug,
		.policy = debug_policy,
		.maxattr = SWAUTH_A_MAX,
		/* Init-namespace CAP_NET_ADMIN: the policy is machine-wide. */
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SWAUTH_CMD_PROVISION_KEY,
		.doit = swauth_provision_key,
		.policy = provision_policy,
		.maxattr = SWAUTH_A_MAX,
		.internal_flags = SWAUTH_NL_SYS_ADMIN,
	},
	{
		.cmd = SWAUTH_CMD_GET_KEYS,
		.start = swauth_get_keys_start,
		.dumpit = swauth_get_keys_dump,
		.policy = keys_policy,
		.maxattr = SWAUTH_A_MAX,
	},
	{
		.cmd = SWAUTH_CMD_KEY_ADD,
		.doit = swauth_key_add,
		.policy = key_add_policy,
		.maxattr = SWAUTH_A_MAX,
		.internal_flags = SWAUTH_NL_SYS_ADMIN,
	},
	{
		.cmd = SWAUTH_CMD_KEY_REVOKE,
		.doit = swauth_key_revoke,
		.policy = key_revoke_policy,
		.maxattr = SWAUTH_A_MAX,
		.internal_flags = SWAUTH_NL_SYS_ADMIN,
	},
	{
		.cmd = SWAUTH_CMD_STORE_INIT,
		.doit = swauth_store_init,
		.policy = status_policy,
		.maxattr = SWAUTH_A_MAX,
		.internal_flags = SWAUTH_NL_SYS_ADMIN,
	},
	{
		.cmd = SWAUTH_CMD_STORE_RELOAD,
		.doit = swauth_store_reload,
		.policy = status_policy,
		.maxattr = SWAUTH_A_MAX,
		.internal_flags = SWAUTH_NL_SYS_ADMIN,
	},
	{
		.cmd = SWAUTH_CMD_ENFORCE,
		.doit = swauth_enforce,
		.policy = enforce_policy,
		.maxattr = SWAUTH_A_MAX,
		.internal_flags = SWAUTH_NL_SYS_ADMIN,
	},
};

static struct genl_family swauth_genl_family __ro_after_init = {
	.ops = swauth_genl_ops,
	.n_ops = ARRAY_SIZE(swauth_genl_ops),
	.name = SWAUTH_GENL_NAME,
	.version = SWAUTH_GENL_VERSION,
	.module = THIS_MODULE,
	.pre_doit = swauth_pre_doit,
	.mcgrps = swauth_mcgrps,
	.n_mcgrps = ARRAY_SIZE(swauth_mcgrps),
	.parallel_ops = true,
};

/**
 * swauth_genetlink_init() - register the generic netlink family
 *
 * Return: 0 or the error of genl_register_family().
 */
int __init swauth_genetlink_init(void)
{
	return genl_register_family(&swauth_genl_family);
}

/**
 * swauth_genetlink_uninit() - unregister the family
 *
 * Returns only when no operation of the family runs any more.
 */
void __exit swauth_genetlink_uninit(void)
{
	genl_unregister_family(&swauth_genl_family);
}

/* Lets the genetlink controller load the module on first use. */
MODULE_ALIAS_GENL_FAMILY(SWAUTH_GENL_NAME);

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The generic netlink family: the only way into the module from userspace.
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

static const struct nla_policy verify_policy[SWAUTH_A_MAX + 1] = {
	[SWAUTH_A_FD] = { .type = NLA_U32 },
};

static const struct nla_policy provision_policy[SWAUTH_A_MAX + 1] = {
	[SWAUTH_A_CERT] = NLA_POLICY_RANGE(NLA_BINARY, 1, SWAUTH_CERT_MAX),
};

static int put_status(struct sk_buff *skb)
{
	/* Clients size their buffers by the uapi limit. */
	BUILD_BUG_ON(sizeof(SWAUTH_VERSION) > SWAUTH_VERSION_LEN);

	if (nla_put_string(skb, SWAUTH_A_VERSION, SWAUTH_VERSION) ||
	    nla_put_u32(skb, SWAUTH_A_ABI_VERSION, SWAUTH_GENL_VERSION) ||
	    nla_put_u32(skb, SWAUTH_A_MODE, swauth_state_mode()) ||
	    nla_put_u32(skb, SWAUTH_A_DEBUG, swauth_state_debug()) ||
	    nla_put_u32(skb, SWAUTH_A_KEYS_ROLLOVER,
			swauth_keyring_count(SWAUTH_KEY_ROLLOVER)) ||
	    nla_put_u32(skb, SWAUTH_A_KEYS_PRODUCTION,
			swauth_keyring_count(SWAUTH_KEY_PRODUCTION)) ||
	    nla_put_u32(skb, SWAUTH_A_KEYS_SPECIAL,
			swauth_keyring_count(SWAUTH_KEY_SPECIAL)) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_IMAGES_VERIFIED,
			      swauth_state_verified(), SWAUTH_A_PAD) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_IMAGES_REJECTED,
			      swauth_state_rejected(), SWAUTH_A_PAD))
		return -EMSGSIZE;
	return 0;
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

static int put_header(struct sk_buff *skb, const struct swauth_image_header *hdr)
{
	if (nla_put_u32(skb, SWAUTH_A_IMAGE_TYPE, hdr->image_type) ||
	    nla_put_u32(skb, SWAUTH_A_KEY_TYPE, hdr->key_type) ||
	    nla_put_u32(skb, SWAUTH_A_KEY_VERSION, hdr->key_version) ||
	    nla_put_u32(skb, SWAUTH_A_HASH_ALGO, hdr->hash_algo) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_PAYLOAD_SIZE, hdr->payload_size,
			      SWAUTH_A_PAD) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_BUILD_TIME, hdr->build_time,
			      SWAUTH_A_PAD) ||
	    nla_put_string(skb, SWAUTH_A_IMAGE_NAME, hdr->name) ||
	    nla_put_string(skb, SWAUTH_A_IMAGE_VERSION, hdr->image_version) ||
	    nla_put_string(skb, SWAUTH_A_PLATFORM, hdr->platform) ||
	    nla_put_u32(skb, SWAUTH_A_SIG_BITS, hdr->sig_size * 8) ||
	    nla_put(skb, SWAUTH_A_EMBEDDED_DIGEST, hdr->digest_size,
		    hdr->payload_digest))
		return -EMSGSIZE;
	return 0;
}

static int put_verify_result(struct sk_buff *skb,
			     const struct swauth_verify_result *res)
{
	const struct swauth_key *signer = res->signer;

	if (nla_put_u32(skb, SWAUTH_A_VERDICT, res->verdict) ||
	    nla_put_u64_64bit(skb, SWAUTH_A_FILE_SIZE, res->file_size,
			      SWAUTH_A_PAD))
		return -EMSGSIZE;
	if (res->have_header && put_header(skb, &res->hdr))
		return -EMSGSIZE;
	if (signer &&
	    (nla_put_u32(skb, SWAUTH_A_SIGNER_KEY_TYPE, signer->type) ||
	     nla_put_u32(skb, SWAUTH_A_SIGNER_KEY_VERSION, signer->version) ||
	     nla_put(skb, SWAUTH_A_SIGNER_CERT, signer->cert_len, signer->cert)))
		return -EMSGSIZE;
	if (res->have_computed &&
	    nla_put(skb, SWAUTH_A_COMPUTED_DIGEST, res->hdr.digest_size,
		    res->computed_digest))
		return -EMSGSIZE;
	return 0;
}

static int swauth_verify_image(struct sk_buff *skb, struct genl_info *info)
{
	struct swauth_verify_result *res;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, SWAUTH_A_FD))
		return -EINVAL;
	res = kmalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	swauth_state_mem(sizeof(*res));
	ret = swauth_verify_fd(nla_get_u32(info->attrs[SWAUTH_A_FD]), res);
	if (ret) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[SWAUTH_A_FD],
				    "not a file descriptor open for reading");
		goto out_free_res;
	}

	/* A certificate is at most SWAUTH_CERT_MAX; the rest is small. */
	msg = genlmsg_new(SWAUTH_CERT_MAX + NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out_free_res;
	}
	hdr = genlmsg_put_reply(msg, info, &swauth_genl_family, 0,
				SWAUTH_CMD_VERIFY_IMAGE);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free_msg;
	}
	ret = put_verify_result(msg, res);
	if (ret)
		goto err_free_msg;
	genlmsg_end(msg, hdr);
	kfree(res);
	swauth_state_mem(-(long)sizeof(*res));
	return genlmsg_reply(msg, info);

err_free_msg:
	nlmsg_free(msg);
out_free_res:
	kfree(res);
	swauth_state_mem(-(long)sizeof(*res));
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

/* Every request must speak this module's version of the protocol. */
static int swauth_pre_doit(const struct genl_ops *ops, struct sk_buff *skb,
			   struct genl_info *info)
{
	if (info->genlhdr->version != SWAUTH_GENL_VERSION) {
		GENL_SET_ERR_MSG(info, "unsupported swauth protocol version");
		return -EPFNOSUPPORT;
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
		.cmd = SWAUTH_CMD_VERIFY_IMAGE,
		.doit = swauth_verify_image,
		.policy = verify_policy,
		.maxattr = SWAUTH_A_MAX,
		/* It denies others write access to the file while it runs. */
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = SWAUTH_CMD_PROVISION_KEY,
		.doit = swauth_provision_key,
		.policy = provision_policy,
		.maxattr = SWAUTH_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family swauth_genl_family __ro_after_init = {
	.ops = swauth_genl_ops,
	.n_ops = ARRAY_SIZE(swauth_genl_ops),
	.name = SWAUTH_GENL_NAME,
	.version = SWAUTH_GENL_VERSION,
	.module = THIS_MODULE,
	.pre_doit = swauth_pre_doit,
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

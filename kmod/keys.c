// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The key table: which key of which type and version is trusted, with its
 * certificate. Rollover keys come from the certificates built into the
 * module; production and special keys are provisioned over netlink and
 * must be certified by a rollover key. A key's type and version come from
 * its certificate's subject, "swauth <type> key <V>", never from the caller.
 */

#include <linux/err.h>
#include <linux/key.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "swauth.h"

/* Serialises additions; lookups read a slot after its key is published. */
static DEFINE_MUTEX(keys_lock);

/* One slot per type and version letter; a slot is filled once. */
static struct swauth_key table[SWAUTH_KEY_MAX + 1][SWAUTH_KEY_VERSIONS];

static const char *const type_words[SWAUTH_KEY_MAX + 1] = {
	[SWAUTH_KEY_ROLLOVER] = "rollover",
	[SWAUTH_KEY_PRODUCTION] = "production",
	[SWAUTH_KEY_SPECIAL] = "special",
};

/*
 * The kernel describes an X.509 key as "<subject>: <key id>", where the
 * subject is the common name when that begins with the organisation. Our
 * certificates have O=swauth and CN="swauth <type> key <V>".
 */
static int parse_description(const char *desc, u8 *type, u8 *version)
{
	const char *p;
	int t;

	if (strncmp(desc, "swauth ", 7))
		return -EINVAL;
	desc += 7;
	for (t = SWAUTH_KEY_ROLLOVER; t <= SWAUTH_KEY_MAX; t++) {
		size_t len = strlen(type_words[t]);

		if (!strncmp(desc, type_words[t], len) &&
		    !strncmp(desc + len, " key ", 5))
			break;
	}
	if (t > SWAUTH_KEY_MAX)
		return -EINVAL;
	p = desc + strlen(type_words[t]) + 5;
	if (p[0] < 'A' || p[0] > 'Z' || p[1] != ':' || p[2] != ' ')
		return -EINVAL;
	*type = t;
	*version = p[0];
	return 0;
}

static struct swauth_key *slot(u8 type, u8 version)
{
	return &table[type][version - 'A'];
}

/* Must hold keys_lock. Publishes the slot last: readers check ->key. */
static int record(u8 type, u8 version, struct key *key, const u8 *der,
		  u32 len)
{
	struct swauth_key *k = slot(type, version);
	u8 *cert;

	lockdep_assert_held(&keys_lock);
	cert = kmemdup(der, len, GFP_KERNEL);
	if (!cert)
		return -ENOMEM;
	k->type = type;
	k->version = version;
	k->cert = cert;
	k->cert_len = len;
	/* Pairs with swauth_keys_find(): the fields above are seen first. */
	smp_store_release(&k->key, key_get(key));
	return 0;
}

static int __init add_rollover(const u8 *der, u32 len)
{
	key_ref_t ref;
	u8 type, version;
	int ret;

	ref = key_create_or_update(make_key_ref(swauth_keyring(SWAUTH_KEY_ROLLOVER), true),
				   "asymmetric", NULL, der, len,
				   (KEY_POS_ALL & ~KEY_POS_SETATTR) |
				   KEY_USR_VIEW | KEY_USR_READ,
				   KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_BUILT_IN |
				   KEY_ALLOC_BYPASS_RESTRICTION);
	if (IS_ERR(ref))
		return PTR_ERR(ref);
	ret = parse_description(key_ref_to_ptr(ref)->description, &type,
				&version);
	if (!ret && type != SWAUTH_KEY_ROLLOVER)
		ret = -EINVAL;
	if (!ret && slot(type, version)->key)
		ret = -EEXIST;
	if (!ret)
		ret = record(type, version, key_ref_to_ptr(ref), der, len);
	key_ref_put(ref);
	return ret;
}

/*
 * The certificates are DER SEQUENCEs with a two-byte length (0x30 0x82
 * hi lo), back to back, as the kernel's own load_certificate_list() reads
 * its system certificates.
 */
static int __init load_rollover_certs(void)
{
	const u8 *p = swauth_rollover_certs, *end = swauth_rollover_certs_end;
	int ret, n = 0;
	u32 len;

	while (end - p >= 4) {
		if (p[0] != 0x30 || p[1] != 0x82)
			return -EBADMSG;
		len = (p[2] << 8 | p[3]) + 4;
		if (len > end - p)
			return -EBADMSG;
		ret = add_rollover(p, len);
		if (ret) {
			pr_err("built-in rollover certificate %d: %d\n", n, ret);
			return ret;
		}
		p += len;
		n++;
	}
	if (p != end || !n)
		return -EBADMSG;
	return 0;
}

/**
 * swauth_keys_init() - trust the built-in rollover keys
 *
 * Return: 0, or an error when a built-in certificate does not load.
 */
int __init swauth_keys_init(void)
{
	int ret;

	mutex_lock(&keys_lock);
	ret = load_rollover_certs();
	mutex_unlock(&keys_lock);
	if (ret)
		swauth_keys_uninit();
	return ret;
}

/**
 * swauth_keys_uninit() - forget every key
 *
 * Called when nothing can look keys up any more (netlink is gone).
 */
void swauth_keys_uninit(void)
{
	struct swauth_key *k;
	int t, v;

	for (t = 0; t <= SWAUTH_KEY_MAX; t++) {
		for (v = 0; v < SWAUTH_KEY_VERSIONS; v++) {
			k = &table[t][v];
			key_put(k->key);
			kfree(k->cert);
			memset(k, 0, sizeof(*k));
		}
	}
}

/**
 * swauth_keys_find() - the trusted key of a type and version
 * @type: enum swauth_key_type
 * @version: 'A'..'Z'
 *
 * A filled slot never changes while the module is loaded, so the result
 * stays valid without a reference.
 *
 * Return: the key, or NULL when there is none.
 */
const struct swauth_key *swauth_keys_find(u8 type, u8 version)
{
	const struct swauth_key *k;

	if (type < SWAUTH_KEY_ROLLOVER || type > SWAUTH_KEY_MAX ||
	    version < 'A' || version > 'Z')
		return NULL;
	k = slot(type, version);
	/* Pairs with record(): a published key has its fields set. */
	return smp_load_acquire(&k->key) ? k : NULL;
}

/**
 * swauth_keys_provision() - trust a production or special key
 * @der: its X.509 certificate
 * @len: the certificate's size
 * @extack: where to say why it was refused
 *
 * Return: 0; -EBADMSG if the certificate does not parse, -ENOKEY if no
 * rollover key issued it, -EKEYREJECTED if its signature is bad, -EINVAL
 * if its subject does not follow the convention or names a rollover key,
 * -EEXIST if that type and version is present.
 */
int swauth_keys_provision(const u8 *der, u32 len,
			  struct netlink_ext_ack *extack)
{
	struct key *staging = swauth_keyring_staging();
	struct key *key;
	key_ref_t ref;
	u8 type, version;
	int ret;

	mutex_lock(&keys_lock);
	/* The staging keyring's restriction checks the rollover signature. */
	ref = key_create_or_update(make_key_ref(staging, true), "asymmetric",
				   NULL, der, len,
				   (KEY_POS_ALL & ~KEY_POS_SETATTR) |
				   KEY_USR_VIEW | KEY_USR_READ,
				   KEY_ALLOC_NOT_IN_QUOTA);
	if (IS_ERR(ref)) {
		ret = PTR_ERR(ref);
		if (ret == -ENOKEY)
			NL_SET_ERR_MSG(extack, "certificate not issued by a rollover key");
		else if (ret == -EKEYREJECTED)
			NL_SET_ERR_MSG(extack, "certificate signature does not verify");
		else
			NL_SET_ERR_MSG(extack, "not a valid X.509 certificate");
		goto out_unlock;
	}
	key = key_ref_to_ptr(ref);
	ret = parse_description(key->description, &type, &version);
	if (ret || type == SWAUTH_KEY_ROLLOVER) {
		NL_SET_ERR_MSG(extack,
			       "subject is not \"swauth production|special key <A-Z>\"");
		ret = -EINVAL;
		goto out_unlink;
	}
	if (slot(type, version)->key) {
		NL_SET_ERR_MSG(extack, "a key of this type and version is present");
		ret = -EEXIST;
		goto out_unlink;
	}
	ret = key_link(swauth_keyring(type), key);
	if (ret)
		goto out_unlink;
	ret = record(type, version, key, der, len);
	if (ret)
		key_unlink(swauth_keyring(type), key);
	else
		swauth_dbg(SWAUTH_DEBUG_F_KEY, "provisioned %s key %c\n",
			   type_words[type], version);

out_unlink:
	key_unlink(staging, key);
	key_ref_put(ref);
out_unlock:
	mutex_unlock(&keys_lock);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The module-owned keyrings, one per key type, plus a hidden staging
 * keyring where a certificate is parsed before the module knows its type.
 * Their names start with a dot, which add_key(2) refuses for new keyrings,
 * so userspace cannot fake them. Userspace may view, read and search the
 * type keyrings, never write or link to them: keys arrive only through
 * swauth's own privileged netlink operations, and even those pass the
 * restriction below.
 */

#include <crypto/public_key.h>
#include <keys/asymmetric-type.h>
#include <linux/cred.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/slab.h>

#include "swauth.h"

static const char *const keyring_names[SWAUTH_KEY_MAX + 1] = {
	[SWAUTH_KEY_ROLLOVER] = ".swauth_rollover",
	[SWAUTH_KEY_PRODUCTION] = ".swauth_production",
	[SWAUTH_KEY_SPECIAL] = ".swauth_special",
};

/* Set once by swauth_keyring_init(), cleared by swauth_keyring_uninit(). */
static struct key *keyrings[SWAUTH_KEY_MAX + 1];
static struct key *staging;

/*
 * The identities of the keys revoked since load: the restriction refuses
 * them whatever their certificate claims. Across loads the floors, which
 * key storage keeps, refuse them instead. Protected by deny_lock.
 */
static DEFINE_SPINLOCK(deny_lock);
static struct asymmetric_key_id *denied[2 * SWAUTH_KEY_VERSIONS];
static unsigned int ndenied;

static bool on_deny_list(const union key_payload *payload)
{
	const struct asymmetric_key_ids *ids = payload->data[asym_key_ids];
	bool found = false;
	unsigned int i;
	int j;

	spin_lock(&deny_lock);
	for (i = 0; i < ndenied && !found; i++)
		for (j = 0; j < 2 && !found; j++)
			found = ids && ids->id[j] &&
				asymmetric_key_id_same(ids->id[j], denied[i]);
	spin_unlock(&deny_lock);
	return found;
}

/**
 * swauth_keyring_deny() - refuse a key from now on
 * @key: a production or special key being revoked
 *
 * Return: 0, or -ENOMEM (the floor still refuses the key).
 */
int swauth_keyring_deny(const struct key *key)
{
	const struct asymmetric_key_ids *ids = asymmetric_key_ids(key);
	const struct asymmetric_key_id *id = ids->id[1] ?: ids->id[0];
	struct asymmetric_key_id *copy;

	copy = kmemdup(id, sizeof(*id) + id->len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	spin_lock(&deny_lock);
	/* Each key is revoked once: the list cannot overflow. */
	if (WARN_ON_ONCE(ndenied == ARRAY_SIZE(denied)))
		kfree(copy);
	else
		denied[ndenied++] = copy;
	spin_unlock(&deny_lock);
	return 0;
}

/*
 * The rollover keyring takes no key after init: the built-in rollover
 * certificates are added with KEY_ALLOC_BYPASS_RESTRICTION, anything else
 * is refused.
 */
static int restrict_link_by_nobody(struct key *keyring,
				   const struct key_type *type,
				   const union key_payload *payload,
				   struct key *restriction_key)
{
	return -EPERM;
}

/*
 * A production or special key must be certified by a rollover key: find
 * the issuer named by the certificate's authority key identifier on the
 * rollover keyring and check the certificate's signature with it. This is
 * restrict_link_by_signature(), which 6.1 does not export, plus the deny
 * list. Floors are checked where the module admits keys (keys.c): the key
 * type and version come from the key's description, which a restriction
 * does not see.
 */
static int restrict_link_by_rollover(struct key *keyring,
				     const struct key_type *type,
				     const union key_payload *payload,
				     struct key *rollover)
{
	const struct public_key_signature *sig;
	struct key *issuer;
	int ret;

	if (type != &key_type_asymmetric)
		return -EOPNOTSUPP;
	if (on_deny_list(payload))
		return -EKEYREVOKED;
	sig = payload->data[asym_auth];
	if (!sig)
		return -ENOPKG;
	if (!sig->auth_ids[0] && !sig->auth_ids[1] && !sig->auth_ids[2])
		return -ENOKEY;
	issuer = find_asymmetric_key(rollover, sig->auth_ids[0],
				     sig->auth_ids[1], sig->auth_ids[2], false);
	if (IS_ERR(issuer))
		return -ENOKEY;
	ret = verify_signature(issuer, sig);
	key_put(issuer);
	return ret ? -EKEYREJECTED : 0;
}

static struct key *keyring_create(const char *name, key_perm_t user_perm,
				  key_restrict_link_func_t check)
{
	struct key_restriction *restriction;
	struct key *keyring;

	restriction = kzalloc(sizeof(*restriction), GFP_KERNEL);
	if (!restriction)
		return ERR_PTR(-ENOMEM);
	restriction->check = check;
	if (check == restrict_link_by_rollover)
		restriction->key = key_get(keyrings[SWAUTH_KEY_ROLLOVER]);

	/*
	 * The possessor (the module) may do anything but change attributes;
	 * other users get user_perm at most, never KEY_USR_WRITE: a root
	 * shell must not be able to add a key behind the module's back.
	 */
	keyring = keyring_alloc(name, GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				current_cred(),
				(KEY_POS_ALL & ~KEY_POS_SETATTR) | user_perm,
				KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_SET_KEEP,
				restriction, NULL);
	if (IS_ERR(keyring)) {
		key_put(restriction->key);
		kfree(restriction);
	}
	return keyring;
}

/**
 * swauth_keyring_init() - create the keyrings
 *
 * The rollover keyring comes first: the others' restriction refers to it.
 *
 * Return: 0, or the error of the keyring that could not be created.
 */
int swauth_keyring_init(void)
{
	const key_perm_t visible = KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH;
	struct key *keyring;
	int type;

	for (type = SWAUTH_KEY_ROLLOVER; type <= SWAUTH_KEY_MAX; type++) {
		keyring = keyring_create(keyring_names[type], visible,
					 type == SWAUTH_KEY_ROLLOVER ?
					 restrict_link_by_nobody :
					 restrict_link_by_rollover);
		if (IS_ERR(keyring))
			goto err_uninit;
		keyrings[type] = keyring;
	}
	keyring = keyring_create(".swauth_staging", 0,
				 restrict_link_by_rollover);
	if (IS_ERR(keyring))
		goto err_uninit;
	staging = keyring;
	return 0;

err_uninit:
	pr_err("cannot allocate keyrings: %ld\n", PTR_ERR(keyring));
	swauth_keyring_uninit();
	return PTR_ERR(keyring);
}

/**
 * swauth_keyring_uninit() - drop the module's references to its keyrings
 *
 * Safe after a partial swauth_keyring_init(). A keyring is freed once no
 * process holds it any more; its keys go with it.
 */
void swauth_keyring_uninit(void)
{
	int type;

	key_put(staging);
	staging = NULL;
	while (ndenied)
		kfree(denied[--ndenied]);
	for (type = SWAUTH_KEY_MAX; type >= SWAUTH_KEY_ROLLOVER; type--) {
		key_put(keyrings[type]);
		keyrings[type] = NULL;
	}
}

/**
 * swauth_keyring() - the keyring of a key type
 * @type: SWAUTH_KEY_ROLLOVER, SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL
 *
 * Return: the keyring, without a reference; valid while the module is.
 */
struct key *swauth_keyring(enum swauth_key_type type)
{
	return keyrings[type];
}

/**
 * swauth_keyring_staging() - the staging keyring
 *
 * Certificates are parsed on it first; it holds a key only for the length
 * of one SWAUTH_CMD_PROVISION_KEY, under the key table's lock.
 *
 * Return: the keyring, without a reference; valid while the module is.
 */
struct key *swauth_keyring_staging(void)
{
	return staging;
}

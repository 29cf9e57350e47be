// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The module-owned keyrings, one per key type. Their names start with a dot,
 * which add_key(2) refuses for new keyrings, so userspace cannot fake them.
 * Userspace may view, read and search them, never write or link to them:
 * keys arrive only through swauth's own privileged netlink operations.
 */

#include <linux/cred.h>
#include <linux/err.h>
#include <linux/key.h>
#include <linux/slab.h>

#include "swauth.h"

static const char *const keyring_names[SWAUTH_KEYRING_COUNT] = {
	[SWAUTH_KEYRING_ROLLOVER] = ".swauth_rollover",
	[SWAUTH_KEYRING_PRODUCTION] = ".swauth_production",
	[SWAUTH_KEYRING_SPECIAL] = ".swauth_special",
};

/* Set once by swauth_keyring_init(), cleared by swauth_keyring_uninit(). */
static struct key *keyrings[SWAUTH_KEYRING_COUNT];

/*
 * Refuse every link that does not come from the module itself: the module
 * adds keys with KEY_ALLOC_BYPASS_RESTRICTION after its own checks, so
 * anything reaching this function came from userspace.
 */
static int restrict_link_by_swauth_only(struct key *keyring,
					const struct key_type *type,
					const union key_payload *payload,
					struct key *restriction_key)
{
	return -EPERM;
}

static struct key *keyring_create(const char *name)
{
	struct key_restriction *restriction;
	struct key *keyring;

	restriction = kzalloc(sizeof(*restriction), GFP_KERNEL);
	if (!restriction)
		return ERR_PTR(-ENOMEM);
	restriction->check = restrict_link_by_swauth_only;

	/*
	 * The possessor (the module) may do anything but change attributes;
	 * other users may only look. No KEY_USR_WRITE: a root shell must not
	 * be able to add a key behind the module's back.
	 */
	keyring = keyring_alloc(name, GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				current_cred(),
				(KEY_POS_ALL & ~KEY_POS_SETATTR) |
				KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH,
				KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_SET_KEEP,
				restriction, NULL);
	if (IS_ERR(keyring))
		kfree(restriction);
	return keyring;
}

/**
 * swauth_keyring_init() - create the keyrings
 *
 * Return: 0, or the error of the keyring that could not be created.
 */
int swauth_keyring_init(void)
{
	int i;

	for (i = 0; i < SWAUTH_KEYRING_COUNT; i++) {
		keyrings[i] = keyring_create(keyring_names[i]);
		if (IS_ERR(keyrings[i])) {
			int ret = PTR_ERR(keyrings[i]);

			pr_err("cannot allocate keyring %s: %d\n",
			       keyring_names[i], ret);
			keyrings[i] = NULL;
			swauth_keyring_uninit();
			return ret;
		}
	}
	return 0;
}

/**
 * swauth_keyring_uninit() - drop the module's references to its keyrings
 *
 * Safe after a partial swauth_keyring_init(). A keyring is freed once no
 * process holds it any more; its keys go with it.
 */
void swauth_keyring_uninit(void)
{
	int i;

	for (i = SWAUTH_KEYRING_COUNT - 1; i >= 0; i--) {
		key_put(keyrings[i]);
		keyrings[i] = NULL;
	}
}

/**
 * swauth_keyring_count() - how many keys a keyring holds
 * @id: which keyring
 *
 * Return: the number of keys linked to it.
 */
unsigned int swauth_keyring_count(enum swauth_keyring_id id)
{
	struct key *keyring = keyrings[id];
	unsigned int count;

	down_read(&keyring->sem);
	count = keyring->keys.nr_leaves_on_tree;
	up_read(&keyring->sem);
	return count;
}

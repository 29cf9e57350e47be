// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The key table: which key of which type and version is trusted, with its
 * certificate, and the floor of each type. Rollover keys come from the
 * certificates built into the module; production and special keys from
 * key storage, from images that carry them, or from the factory
 * (PROVISION_KEY), and must be certified by a rollover key. A key's type
 * and version come from its certificate's subject, "swauth <type> key <V>",
 * never from the caller. A floor only ever rises; keys below it are
 * revoked and never admitted again.
 *
 * Lookups are lockless (RCU) and take a reference; every change happens
 * under keys_lock, which also orders the writes to key storage.
 */

#include <linux/err.h>
#include <linux/key.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "swauth.h"

/* Serialises every change of the table, the floors and key storage. */
static DEFINE_MUTEX(keys_lock);

/* One slot per type and version letter. Written under keys_lock. */
static struct swauth_key __rcu *table[SWAUTH_KEY_MAX + 1][SWAUTH_KEY_VERSIONS];

/* The lowest trusted version of each type, 0 for none. Under keys_lock. */
static u8 floors[SWAUTH_KEY_MAX + 1];

/* Bumped on every change, so that dumps can tell they raced with one. */
static atomic_t generation = ATOMIC_INIT(1);

static const char *const type_words[SWAUTH_KEY_MAX + 1] = {
	[SWAUTH_KEY_ROLLOVER] = "rollover",
	[SWAUTH_KEY_PRODUCTION] = "production",
	[SWAUTH_KEY_SPECIAL] = "special",
};

/**
 * swauth_keys_type_name() - the word for a key type
 * @type: enum swauth_key_type
 *
 * Return: "rollover", "production" or "special".
 */
const char *swauth_keys_type_name(u8 type)
{
	return type <= SWAUTH_KEY_MAX && type_words[type] ? type_words[type] : "?";
}

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

static struct swauth_key __rcu **slot(u8 type, u8 version)
{
	return &table[type][version - 'A'];
}

static struct swauth_key *slot_key(u8 type, u8 version)
{
	return rcu_dereference_protected(*slot(type, version),
					 lockdep_is_held(&keys_lock));
}

static void release(struct kref *ref)
{
	struct swauth_key *k = container_of(ref, struct swauth_key, ref);

	key_put(k->key);
	kfree(k->cert);
	kfree_rcu(k, rcu);
}

/**
 * swauth_keys_put() - drop a reference swauth_keys_get() took
 * @k: the key, or NULL
 */
void swauth_keys_put(struct swauth_key *k)
{
	if (k)
		kref_put(&k->ref, release);
}

/**
 * swauth_keys_get() - the trusted key of a type and version
 * @type: enum swauth_key_type
 * @version: 'A'..'Z'
 *
 * Return: the key with a reference held (swauth_keys_put() it), or NULL.
 */
struct swauth_key *swauth_keys_get(u8 type, u8 version)
{
	struct swauth_key *k;

	if (type < SWAUTH_KEY_ROLLOVER || type > SWAUTH_KEY_MAX ||
	    version < 'A' || version > 'Z')
		return NULL;
	rcu_read_lock();
	k = rcu_dereference(*slot(type, version));
	if (k && !kref_get_unless_zero(&k->ref))
		k = NULL;
	rcu_read_unlock();
	return k;
}

/**
 * swauth_keys_floor() - the floor of a key type
 * @type: enum swauth_key_type
 *
 * Return: the lowest version still trusted, or 0 when there is no floor.
 */
u8 swauth_keys_floor(u8 type)
{
	return READ_ONCE(floors[type]);
}

/**
 * swauth_keys_generation() - a number that changes with every change
 *
 * Return: the current generation, never 0.
 */
unsigned int swauth_keys_generation(void)
{
	return atomic_read(&generation);
}

/* Must hold keys_lock. Publishes the key in its slot. */
static int record(u8 type, u8 version, struct key *key, const u8 *der,
		  u32 len)
{
	struct swauth_key *k;

	lockdep_assert_held(&keys_lock);
	k = kzalloc(sizeof(*k), GFP_KERNEL);
	if (!k)
		return -ENOMEM;
	k->cert = kmemdup(der, len, GFP_KERNEL);
	if (!k->cert) {
		kfree(k);
		return -ENOMEM;
	}
	kref_init(&k->ref);
	k->type = type;
	k->version = version;
	k->cert_len = len;
	k->key = key_get(key);
	rcu_assign_pointer(*slot(type, version), k);
	atomic_inc(&generation);
	return 0;
}

/*
 * Must hold keys_lock. Admits a production or special key from its
 * certificate: parsed on the staging keyring, whose restriction checks the
 * rollover signature, then named by its subject, held against the floor
 * and linked to its type's keyring. want is the type the caller expects,
 * or 0 for either. -EEXIST, with *type and *version, when that slot is
 * taken; the caller says so, unless it is the same key.
 */
static int admit(const u8 *der, u32 len, u8 want, u8 *type, u8 *version,
		 struct netlink_ext_ack *extack)
{
	struct key *staging = swauth_keyring_staging();
	struct key *key;
	key_ref_t ref;
	int ret;

	lockdep_assert_held(&keys_lock);
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
		else if (ret == -EKEYREVOKED)
			NL_SET_ERR_MSG(extack, "key revoked: on the deny list");
		else
			NL_SET_ERR_MSG(extack, "not a valid X.509 certificate");
		return ret;
	}
	key = key_ref_to_ptr(ref);
	ret = parse_description(key->description, type, version);
	if (ret || *type == SWAUTH_KEY_ROLLOVER) {
		NL_SET_ERR_MSG(extack,
			       "subject is not \"swauth production|special key <A-Z>\"");
		ret = -EINVAL;
		goto out_unlink;
	}
	if (want && *type != want) {
		NL_SET_ERR_MSG(extack, "the certificate is for another key type");
		ret = -EINVAL;
		goto out_unlink;
	}
	if (floors[*type] && *version < floors[*type]) {
		NL_SET_ERR_MSG(extack, "key version is below its type's floor: revoked");
		ret = -EKEYREVOKED;
		goto out_unlink;
	}
	if (slot_key(*type, *version)) {
		ret = -EEXIST;
		goto out_unlink;
	}
	ret = key_link(swauth_keyring(*type), key);
	if (ret)
		goto out_unlink;
	ret = record(*type, *version, key, der, len);
	if (ret)
		key_unlink(swauth_keyring(*type), key);
	else
		swauth_dbg(SWAUTH_DEBUG_F_KEY, "admitted %s key %c\n",
			   type_words[*type], *version);
out_unlink:
	key_unlink(staging, key);
	key_ref_put(ref);
	return ret;
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
	if (!ret && slot_key(type, version))
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

/*
 * Must hold keys_lock. Fills st with the table's state, for storage, under
 * the given sequence number.
 */
static void snapshot(struct swauth_store *st, u64 sequence)
{
	struct swauth_key *k;
	int t, v;

	lockdep_assert_held(&keys_lock);
	memset(st, 0, sizeof(*st));
	st->sequence = sequence;
	for (t = SWAUTH_KEY_PRODUCTION; t <= SWAUTH_KEY_SPECIAL; t++) {
		st->floors[t] = floors[t];
		for (v = 'A'; v <= 'Z'; v++) {
			k = slot_key(t, v);
			if (!k)
				continue;
			st->keys[st->nkeys].type = t;
			st->keys[st->nkeys].version = v;
			st->keys[st->nkeys].cert_len = k->cert_len;
			st->keys[st->nkeys].cert = k->cert;
			st->nkeys++;
		}
	}
}

/*
 * Must hold keys_lock. Writes the table to the copies of key storage in
 * the mask (SWAUTH_STORAGE_PRIMARY, _BACKUP), Primary first, under the
 * given sequence number; results[] gets each written copy's outcome (0 or
 * -errno). Every write takes a new sequence number, repairs included.
 */
static void commit(unsigned int copies, int results[SWAUTH_STORAGE_COPIES],
		   u64 sequence)
{
	struct swauth_store *st;
	int c;

	lockdep_assert_held(&keys_lock);
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st) {
		for (c = 0; c < SWAUTH_STORAGE_COPIES; c++)
			if (copies & BIT(c))
				results[c] = -ENOMEM;
		return;
	}
	snapshot(st, sequence);
	swauth_storage_write(st, copies, results);
	kfree(st);
}

/*
 * Must hold keys_lock. Rewrites the copies in bad, then the others, all
 * under one new sequence number, so that they end up identical and above
 * any sequence a torn copy's header named. A failed repair leaves the
 * good copies alone.
 */
static void repair(unsigned int bad)
{
	int results[SWAUTH_STORAGE_COPIES] = {};
	u64 sequence = swauth_storage_sequence() + 1;

	lockdep_assert_held(&keys_lock);
	commit(bad, results, sequence);
	if (results[SWAUTH_STORAGE_PRIMARY_COPY] ||
	    results[SWAUTH_STORAGE_BACKUP_COPY])
		return;
	if (bad != SWAUTH_STORAGE_ALL)
		commit(SWAUTH_STORAGE_ALL & ~bad, results, sequence);
}

static void drop(u8 type, u8 version, bool revoke);

/*
 * Must hold keys_lock. Reads key storage unless it was read already: the
 * floors any copy proves are raised in the module even when the store
 * cannot be read as a whole; once it reads, its keys are admitted and the
 * copies that need it are repaired.
 *
 * Return: 0 once key storage was read; swauth_storage_read()'s error.
 */
static int load_store(void)
{
	struct swauth_store *st;
	unsigned int i, bad;
	u8 type, version;
	int t, v, ret;

	lockdep_assert_held(&keys_lock);
	if (!swauth_storage_configured())
		return -EROFS;
	if (!swauth_storage_readable())
		return 0;
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	ret = swauth_storage_read(st, &bad);
	for (t = SWAUTH_KEY_PRODUCTION; t <= SWAUTH_KEY_SPECIAL; t++) {
		if (st->floors[t] <= floors[t])
			continue;
		WRITE_ONCE(floors[t], st->floors[t]);
		for (v = 'A'; v < floors[t]; v++)
			drop(t, v, true);
	}
	if (!ret) {
		for (i = 0; i < st->nkeys; i++) {
			ret = admit(st->keys[i].cert, st->keys[i].cert_len,
				    st->keys[i].type, &type, &version, NULL);
			if (ret && ret != -EEXIST)
				pr_warn("key storage: %s key %c not loaded: %d\n",
					swauth_keys_type_name(st->keys[i].type),
					st->keys[i].version, ret);
		}
		ret = 0;
		swauth_storage_release();
		if (bad)
			repair(bad);
	}
	kfree(st);
	return ret;
}

/*
 * Must hold keys_lock. Whether key storage can take a change: it is read
 * first if it was not; else the request is refused, and why.
 */
static int store_ready(struct netlink_ext_ack *extack)
{
	int ret = load_store();

	if (ret == -EROFS)
		NL_SET_ERR_MSG(extack, "no key storage configured");
	else if (ret == -ENOENT)
		NL_SET_ERR_MSG(extack,
			       "no key store in store_dir: create one with `swauth key store init`");
	else if (ret)
		NL_SET_ERR_MSG(extack,
			       "the key store cannot be read: key changes are refused until it is read again (`swauth key store reload`)");
	return ret;
}

/**
 * swauth_keys_init() - trust the built-in keys and those in key storage
 *
 * Return: 0, or an error when a built-in certificate does not load or
 * store_dir is not absolute. Key storage that cannot be read is reported
 * by its state and refuses key changes, and is not fatal.
 */
int __init swauth_keys_init(void)
{
	int ret;

	mutex_lock(&keys_lock);
	ret = load_rollover_certs();
	if (!ret)
		ret = swauth_storage_setup();
	if (!ret && swauth_storage_configured())
		load_store();
	mutex_unlock(&keys_lock);
	if (ret)
		swauth_keys_uninit();
	return ret;
}

/* Must hold keys_lock. Empties a slot; its key is revoked if asked. */
static void drop(u8 type, u8 version, bool revoke)
{
	struct swauth_key *k = slot_key(type, version);

	if (!k)
		return;
	RCU_INIT_POINTER(*slot(type, version), NULL);
	atomic_inc(&generation);
	if (revoke) {
		swauth_keyring_deny(k->key);
		key_revoke(k->key);
		key_unlink(swauth_keyring(type), k->key);
		swauth_dbg(SWAUTH_DEBUG_F_REVOCATION, "revoked %s key %c\n",
			   type_words[type], version);
	}
	swauth_keys_put(k);
}

/**
 * swauth_keys_uninit() - forget every key
 *
 * Called when nothing can look keys up any more (netlink is gone).
 */
void swauth_keys_uninit(void)
{
	int t, v;

	mutex_lock(&keys_lock);
	for (t = SWAUTH_KEY_ROLLOVER; t <= SWAUTH_KEY_MAX; t++)
		for (v = 'A'; v <= 'Z'; v++)
			drop(t, v, false);
	mutex_unlock(&keys_lock);
}

/**
 * swauth_keys_provision() - trust a production or special key
 * @der: its X.509 certificate
 * @len: the certificate's size
 * @extack: where to say why it was refused
 *
 * The key is also written to key storage when that is configured, which
 * must have been read then; a write failure is logged and reported by the
 * store state, not returned.
 *
 * Return: 0; -EBADMSG if the certificate does not parse, -ENOKEY if no
 * rollover key issued it, -EKEYREJECTED if its signature is bad, -EINVAL
 * if its subject does not follow the convention or names a rollover key,
 * -EKEYREVOKED below the floor, -EEXIST if that type and version is present,
 * -ENOENT when no key store was created, the read error when it cannot
 * be read.
 */
int swauth_keys_provision(const u8 *der, u32 len,
			  struct netlink_ext_ack *extack)
{
	int results[SWAUTH_STORAGE_COPIES];
	u8 type, version;
	int ret;

	ret = swauth_cert_check(der, len, extack);
	if (ret)
		return ret;
	mutex_lock(&keys_lock);
	ret = swauth_storage_configured() ? store_ready(extack) : 0;
	if (!ret)
		ret = admit(der, len, 0, &type, &version, extack);
	if (ret == -EEXIST)
		NL_SET_ERR_MSG(extack, "a key of this type and version is present");
	if (!ret && swauth_storage_configured())
		commit(SWAUTH_STORAGE_ALL, results,
		       swauth_storage_sequence() + 1);
	mutex_unlock(&keys_lock);
	if (!ret)
		swauth_genetlink_event(SWAUTH_EVENT_KEY_ADDED, type, version);
	return ret;
}

static bool same_cert(const struct swauth_key *k, const u8 *der, u32 len)
{
	return k && k->cert_len == len && !memcmp(k->cert, der, len);
}

/*
 * Verifies an image for a key operation: 0 and *res, -EKEYREJECTED when
 * it does not verify (the caller says which image), or the error.
 */
static int verify_for(unsigned int fd, struct swauth_verify_result *res,
		      struct netlink_ext_ack *extack)
{
	int ret = swauth_verify_fd(fd, res, NULL);

	if (ret) {
		NL_SET_ERR_MSG(extack, "not a file descriptor open for reading");
		return ret;
	}
	return res->verdict == SWAUTH_VERDICT_OK ? 0 : -EKEYREJECTED;
}

/*
 * Must hold keys_lock. Whether the key that signed an image is trusted
 * still: in its slot, and not below its type's floor. A revocation that
 * ran while the image was verified took it away.
 */
static bool still_trusted(const struct swauth_key *signer)
{
	lockdep_assert_held(&keys_lock);
	return slot_key(signer->type, signer->version) == signer &&
	       signer->version >= floors[signer->type];
}

/**
 * swauth_keys_add() - add the key an image carries, to both copies
 * @type: SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL
 * @fd: the image: a revocation image for a production key, a production
 *      image for a special key
 * @r: the version added and each copy's result (0, -EEXIST, -errno)
 * @extack: where to say why it was refused
 *
 * A copy that holds the key already is not written, so running the
 * command again completes an addition that reached only one copy.
 *
 * Return: 0 when the key is trusted (new or not); else the error.
 */
int swauth_keys_add(u8 type, unsigned int fd, struct swauth_key_change *r,
		    struct netlink_ext_ack *extack)
{
	struct swauth_verify_result *res;
	u8 want_image, t, v;
	bool added = false;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!swauth_storage_configured()) {
		NL_SET_ERR_MSG(extack, "no key storage configured");
		return -EROFS;
	}
	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	ret = verify_for(fd, res, extack);
	if (ret == -EKEYREJECTED)
		NL_SET_ERR_MSG(extack, "the image does not verify");
	if (ret)
		goto out_release;
	want_image = type == SWAUTH_KEY_PRODUCTION ? SWAUTH_IMAGE_REVOCATION :
						     SWAUTH_IMAGE_PRODUCTION;
	if (res->hdr.image_type != want_image) {
		if (type == SWAUTH_KEY_PRODUCTION)
			NL_SET_ERR_MSG(extack,
				       "a production key is added only from a revocation image");
		else
			NL_SET_ERR_MSG(extack,
				       "a special key is added only from a production image");
		ret = -EMEDIUMTYPE;
		goto out_release;
	}
	if (!res->bundled) {
		NL_SET_ERR_MSG(extack, "the image bundles no key");
		ret = -ENOKEY;
		goto out_release;
	}

	mutex_lock(&keys_lock);
	ret = store_ready(extack);
	if (ret)
		goto out_unlock;
	if (!still_trusted(res->signer)) {
		NL_SET_ERR_MSG(extack,
			       "the image's signer was revoked while the image was verified");
		ret = -EKEYREVOKED;
		goto out_unlock;
	}
	ret = admit(res->bundled, res->hdr.cert_size, type, &t, &v, extack);
	added = !ret;
	/* The same key, trusted already: complete the copies that lack it. */
	if (ret == -EEXIST) {
		if (same_cert(slot_key(t, v), res->bundled, res->hdr.cert_size))
			ret = 0;
		else
			NL_SET_ERR_MSG(extack,
				       "a key of this type and version is present");
	}
	if (!ret) {
		unsigned int copies = 0;
		int c;

		r->version = v;
		for (c = 0; c < SWAUTH_STORAGE_COPIES; c++) {
			if (swauth_storage_has(c, t, v))
				r->results[c] = -EEXIST;
			else
				copies |= BIT(c);
		}
		if (copies)
			commit(copies, r->results,
			       swauth_storage_sequence() + 1);
	}
out_unlock:
	mutex_unlock(&keys_lock);
	if (added)
		swauth_genetlink_event(SWAUTH_EVENT_KEY_ADDED, type, v);
out_release:
	swauth_verify_result_release(res);
	kfree(res);
	return ret;
}

/**
 * swauth_keys_store_init() - create key storage in store_dir
 * @extack: where to say why it was refused
 *
 * The only way a key store comes into being: both copies, with the keys
 * and floors the module holds, under a sequence number above any seen.
 *
 * Return: 0; -EROFS without store_dir, -EEXIST when a copy exists (the
 * store is read then), the read error when store_dir cannot be read, or
 * the first copy's error when neither could be created.
 */
int swauth_keys_store_init(struct netlink_ext_ack *extack)
{
	int results[SWAUTH_STORAGE_COPIES];
	struct swauth_store *st;
	int ret;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	mutex_lock(&keys_lock);
	ret = load_store();
	if (ret == -ENOENT) {
		snapshot(st, swauth_storage_sequence() + 1);
		ret = swauth_storage_create(st, results);
		if (ret)
			NL_SET_ERR_MSG(extack, "creating the key store failed");
	} else if (ret == -EROFS) {
		NL_SET_ERR_MSG(extack, "no key storage configured");
	} else if (ret) {
		NL_SET_ERR_MSG(extack, "the key store cannot be read");
	} else {
		NL_SET_ERR_MSG(extack, "a key store exists in store_dir");
		ret = -EEXIST;
	}
	mutex_unlock(&keys_lock);
	kfree(st);
	return ret;
}

/**
 * swauth_keys_store_reload() - read key storage that could not be read
 * @extack: where to say why it still cannot be
 *
 * Return: 0 once key storage was read (now or before); -EROFS, -ENOENT
 * or the read error as for a key change.
 */
int swauth_keys_store_reload(struct netlink_ext_ack *extack)
{
	int ret;

	mutex_lock(&keys_lock);
	ret = store_ready(extack);
	mutex_unlock(&keys_lock);
	return ret;
}

/* Must hold keys_lock. The highest version of a type present, or 0. */
static u8 newest(u8 type)
{
	int v;

	for (v = 'Z'; v >= 'A'; v--)
		if (slot_key(type, v))
			return v;
	return 0;
}

/* Whether an image is signed by a key about to be revoked. */
static bool signed_below(const struct swauth_verify_result *res, u8 type,
			 u8 floor)
{
	return res->signer->type == type && res->signer->version < floor;
}

/**
 * swauth_keys_revoke() - raise a type's floor to its newest key
 * @type: SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL
 * @fd: the running (boot) image, a production image, or -1: only when
 *      the module does not know which image runs (running.c), and then
 *      required
 * @bl_fd: the upgradable boot loader image, or -1
 * @flags: SWAUTH_REVOKE_F_* flags
 * @r: the new floor, the versions revoked and each copy's result
 * @extack: where to say why it was refused
 *
 * Return: 0 once the floor is raised in the module and written to at
 * least one copy of key storage (see @r); the first copy's error when it
 * reached neither, the floor raised in the module all the same; or the
 * error that stopped it before anything changed: -EOPNOTSUPP in a kernel
 * started by a warm reload, whatever @flags say, -ENOENT or the read
 * error when key storage was not read.
 */
int swauth_keys_revoke(u8 type, int fd, int bl_fd, u32 flags,
		       struct swauth_key_change *r,
		       struct netlink_ext_ack *extack)
{
	bool force = flags & SWAUTH_REVOKE_F_FORCE;
	struct swauth_verify_result *run, *bl = NULL;
	const char *why, *kernel;
	u8 floor;
	int ret, v;

	memset(r, 0, sizeof(*r));
	/*
	 * A warm reload (kexec) skipped the boot chain: only a cold reload
	 * verifies again what runs, and revocation is what makes the boot
	 * chain refuse the old keys. Force does not override this.
	 */
	if (swauth_boot_kind() == SWAUTH_BOOT_WARM) {
		NL_SET_ERR_MSG(extack,
			       "this system was started by a warm reload (kexec): key revocation needs a cold reload, so the boot chain verifies again");
		return -EOPNOTSUPP;
	}
	if (!swauth_storage_configured()) {
		NL_SET_ERR_MSG(extack, "no key storage configured");
		return -EROFS;
	}
	run = kcalloc(2, sizeof(*run), GFP_KERNEL);
	if (!run)
		return -ENOMEM;
	/* What the module measured at boot; a file only where it knows nothing. */
	ret = swauth_running_get(run, &why, &kernel);
	if (ret == -ENOMEM)
		goto out_release;
	if (!ret && fd >= 0) {
		NL_SET_ERR_MSG(extack,
			       "the module knows the running image: an image file is only for a system swauth did not start");
		ret = -EINVAL;
		goto out_release;
	}
	if (ret && fd < 0) {
		NL_SET_ERR_MSG(extack,
			       "the module does not know the running image: name its file");
		ret = -EINVAL;
		goto out_release;
	}
	if (ret) {
		ret = verify_for(fd, run, extack);
		if (ret == -EKEYREJECTED)
			NL_SET_ERR_MSG(extack, "the running image does not verify");
		if (ret)
			goto out_release;
	}
	if (run->hdr.image_type != SWAUTH_IMAGE_PRODUCTION) {
		NL_SET_ERR_MSG(extack, "keys are revoked only from a production image");
		ret = -EMEDIUMTYPE;
		goto out_release;
	}
	if (bl_fd >= 0) {
		bl = run + 1;
		ret = verify_for(bl_fd, bl, extack);
		if (ret == -EKEYREJECTED)
			NL_SET_ERR_MSG(extack, "the boot loader image does not verify");
		if (ret)
			goto out_release;
		if (bl->hdr.image_type != SWAUTH_IMAGE_BOOTLOADER) {
			NL_SET_ERR_MSG(extack, "the boot loader file is not a boot loader image");
			ret = -EMEDIUMTYPE;
			goto out_release;
		}
	}

	mutex_lock(&keys_lock);
	ret = store_ready(extack);
	if (ret)
		goto out_unlock;
	floor = newest(type);
	for (v = 'A'; floor && v < floor && !slot_key(type, v); v++)
		;
	if (!floor || v == floor) {
		NL_SET_ERR_MSG(extack, "no key of this type older than the newest to revoke");
		ret = -ENOKEY;
		goto out_unlock;
	}
	if (!force && signed_below(run, type, floor)) {
		NL_SET_ERR_MSG(extack,
			       "the running image is signed by a key below the new floor");
		ret = -EKEYREVOKED;
		goto out_unlock;
	}
	if (!force && bl && signed_below(bl, type, floor)) {
		NL_SET_ERR_MSG(extack,
			       "the boot loader is signed by a key below the new floor");
		ret = -EKEYREVOKED;
		goto out_unlock;
	}

	WRITE_ONCE(floors[type], floor);
	r->version = floor;
	for (v = 'A'; v < floor; v++) {
		if (!slot_key(type, v))
			continue;
		drop(type, v, true);
		r->revoked[r->nrevoked++] = v;
	}
	commit(SWAUTH_STORAGE_ALL, r->results, swauth_storage_sequence() + 1);
	if (r->results[SWAUTH_STORAGE_PRIMARY_COPY] &&
	    r->results[SWAUTH_STORAGE_BACKUP_COPY]) {
		NL_SET_ERR_MSG(extack,
			       "the new floor is held in memory only: writing key storage failed");
		ret = r->results[SWAUTH_STORAGE_PRIMARY_COPY];
	}
	mutex_unlock(&keys_lock);

	pr_info("%s keys below version %c revoked\n", type_words[type], floor);
	for (v = 0; v < r->nrevoked; v++)
		swauth_genetlink_event(SWAUTH_EVENT_KEY_REVOKED, type, r->revoked[v]);
	swauth_genetlink_event(SWAUTH_EVENT_FLOOR_RAISED, type, floor);
	if (bl && bl->signer->type == SWAUTH_KEY_SPECIAL)
		pr_warn("%%DIGISIGN-4-DEV_IMAGE: Upgradable rommon software signed using special key version %c\n",
			bl->signer->version);
	goto out_release;

out_unlock:
	mutex_unlock(&keys_lock);
out_release:
	swauth_verify_result_release(run);
	if (bl)
		swauth_verify_result_release(bl);
	kfree(run);
	return ret;
}

/**
 * swauth_keys_count() - how many keys of a type are trusted
 * @type: enum swauth_key_type
 *
 * Counts the module's own table, not the keyring: what the keyring holds
 * is the key subsystem's business.
 *
 * Return: the number of filled slots of the type.
 */
unsigned int swauth_keys_count(u8 type)
{
	unsigned int n = 0;
	int v;

	rcu_read_lock();
	for (v = 'A'; v <= 'Z'; v++)
		if (rcu_access_pointer(*slot(type, v)))
			n++;
	rcu_read_unlock();
	return n;
}

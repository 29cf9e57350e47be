// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The key pairs of the PKI store (lib/pki.h, "Key pairs"): generation,
 * installation, loading, listing, zeroization, encryption and locking,
 * PEM export and import. One pair's file is keyfile.c's; an unlocked key's
 * copy in the kernel's keyring is keyring.c's.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "lib/pki/keystore.h"

enum { N_USAGES = 3 };

const char *swpki_key_usage_text(enum swpki_key_usage usage)
{
	static const char *const text[] = {
		[SWPKI_KEY_GENERAL] = "General Purpose Key",
		[SWPKI_KEY_SIGNATURE] = "Signature Key",
		[SWPKI_KEY_ENCRYPTION] = "Encryption Key",
	};

	return text[usage];
}

/**
 * swpki_key_label_check() - is @label usable as a key pair's name
 * @label: at most SWPKI_LABEL_MAX printable ASCII characters, no '/' and
 *	no space, not starting with '.'
 * @err: filled when not
 *
 * Return: 0 or -EINVAL.
 */
int swpki_key_label_check(const char *label, struct swauth_error *err)
{
	size_t i, len = strlen(label);

	if (!len || len > SWPKI_LABEL_MAX || label[0] == '.')
		return swauth_error_set(err, -EINVAL,
					"bad key label '%.80s': 1 to %d characters, not starting with '.'",
					label, SWPKI_LABEL_MAX);
	for (i = 0; i < len; i++) {
		if (label[i] <= ' ' || label[i] > '~' || label[i] == '/')
			return swauth_error_set(err, -EINVAL,
						"bad key label: printable characters other than '/' and space only");
	}
	return 0;
}

/**
 * swpki_key_default_label() - the host's fully qualified name (E1.1)
 * @label: receives it: the canonical name of gethostname(), else the host name
 * @len: size of @label
 * @err: filled on failure
 *
 * Return: 0, or -EINVAL when the name is no usable label.
 */
int swpki_key_default_label(char *label, size_t len, struct swauth_error *err)
{
	struct addrinfo hints = { .ai_flags = AI_CANONNAME }, *ai = NULL;
	char host[256];

	if (gethostname(host, sizeof(host)))
		return swauth_error_set(err, -errno, "gethostname: %s", strerror(errno));
	host[sizeof(host) - 1] = '\0';
	if (!getaddrinfo(host, NULL, &hints, &ai) && ai && ai->ai_canonname)
		snprintf(label, len, "%s", ai->ai_canonname);
	else
		snprintf(label, len, "%s", host);
	if (ai)
		freeaddrinfo(ai);
	return swpki_key_label_check(label, err);
}

/**
 * swpki_passphrase_check() - is @pass a passphrase swpki takes (E1.12)
 * @pass: at least SWPKI_PASSPHRASE_MIN characters, no '?'
 * @err: filled when not
 *
 * Return: 0 or -EINVAL.
 */
int swpki_passphrase_check(const char *pass, struct swauth_error *err)
{
	if (strlen(pass) < SWPKI_PASSPHRASE_MIN || strlen(pass) > SWPKI_PASSPHRASE_MAX)
		return swauth_error_set(err, -EINVAL, "a passphrase has %d to %d characters",
					SWPKI_PASSPHRASE_MIN, SWPKI_PASSPHRASE_MAX);
	if (strchr(pass, '?'))
		return swauth_error_set(err, -EINVAL, "a passphrase may not contain '?'");
	return 0;
}

/* Which pairs of @label have a file (a link or a bad file counts). */
static unsigned int pairs_of(struct swpki_store *s, const char *label)
{
	char name[NAME_MAX + 1];
	unsigned int mask = 0;
	struct stat st;
	int u;

	for (u = 0; u < N_USAGES; u++) {
		keyfile_name(name, sizeof(name), label, (enum swpki_key_usage)u);
		if (!fstatat(s->keys_fd, name, &st, AT_SYMLINK_NOFOLLOW))
			mask |= 1U << u;
	}
	return mask;
}

bool swpki_key_exists(struct swpki_store *s, const char *label)
{
	return pairs_of(s, label) != 0;
}

static int read_pair(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		     struct keyfile *k, struct swauth_error *err)
{
	int ret = keyfile_read(s, label, usage, k, err);

	if (ret == -ENOENT)
		swauth_error_set(err, ret, "no %s key pair labelled %s in %s",
				 swpki_key_usage_word(usage), label, s->path);
	return ret;
}

/* Remove one pair: its file and its keyring copy. */
static int remove_pair(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		       struct swauth_error *err)
{
	char name[NAME_MAX + 1];

	keyring_drop(s, label, usage);
	keyfile_name(name, sizeof(name), label, usage);
	if (unlinkat(s->keys_fd, name, 0) && errno != ENOENT)
		return swauth_error_set(err, -errno, "removing %s/keys/%s: %s", s->path, name,
					strerror(errno));
	return 0;
}

/* E1.6: -EPERM when a pair of the store holds @pkey and is not exportable. */
static int stays_unexportable(struct swpki_store *s, EVP_PKEY *pkey, struct swauth_error *err)
{
	unsigned char *der = NULL;
	struct swpki_key_info *v;
	size_t i, n;
	int len, ret;

	len = i2d_PUBKEY(pkey, &der);
	if (len <= 0)
		return swauth_error_ossl(err, -EINVAL, "encoding the public key");
	ret = swpki_key_list(s, NULL, &v, &n, err);
	if (!ret) {
		for (i = 0; !ret && i < n; i++)
			if (!v[i].exportable && v[i].spki_len == (size_t)len &&
			    !memcmp(v[i].spki, der, (size_t)len))
				ret = swauth_error_set(err, -EPERM,
						       "key %s holds this private key and is not exportable: it never becomes exportable (refused; import without --exportable)",
						       v[i].label);
		free(v);
	}
	OPENSSL_free(der);
	return ret;
}

/**
 * swpki_key_store() - install a key pair (generation, import, rollover)
 * @s: the store
 * @label: its name (swpki_key_label_check())
 * @usage: general, or one of the usage keys; a general pair replaces the
 *	usage keys of @label, a usage key replaces its general pair
 * @pkey: the private key: RSA of SWPKI_RSA_BITS_MIN to _MAX bits, or
 *	EC on P-256 or P-384
 * @exportable: may be exported; fixed for the pair's life, and refused
 *	(-EPERM) when a pair of the store holds this key and is not (E1.6)
 * @err: filled on failure
 *
 * The pair is stored unencrypted, generated now; what was under the same
 * label and usage is replaced (and its keyring copy dropped).
 *
 * Return: 0 or -errno.
 */
int swpki_key_store(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		    EVP_PKEY *pkey, bool exportable, struct swauth_error *err)
{
	struct swpki_key_info info = { .usage = usage, .exportable = exportable };
	int ret, u;

	ret = swpki_key_label_check(label, err);
	if (!ret && exportable)
		ret = stays_unexportable(s, pkey, err);
	if (ret)
		return ret;
	strcpy(info.label, label);
	info.generated = time(NULL);
	keyring_drop(s, label, usage);
	ret = keyfile_write(s, &info, pkey, NULL, err);
	for (u = 0; !ret && u < N_USAGES; u++) {
		if ((usage == SWPKI_KEY_GENERAL) != (u == SWPKI_KEY_GENERAL))
			ret = remove_pair(s, label, (enum swpki_key_usage)u, err);
	}
	return ret;
}

/**
 * swpki_key_generate() - generate a key pair, or usage keys
 * @s: the store
 * @label: its name
 * @type: EVP_PKEY_RSA or EVP_PKEY_EC
 * @bits: RSA: SWPKI_RSA_BITS_MIN to SWPKI_RSA_BITS_MAX; EC: 256 or 384
 * @usage_keys: a signature and an encryption pair instead of a general one
 * @exportable: the pairs may be exported
 * @err: filled on failure
 *
 * What @label held is replaced: the caller asks first.
 *
 * Return: 0 or -errno (-EINVAL for a size out of bounds).
 */
int swpki_key_generate(struct swpki_store *s, const char *label, int type, unsigned int bits,
		       bool usage_keys, bool exportable, struct swauth_error *err)
{
	EVP_PKEY *pkey[2] = { NULL, NULL };
	int ret, i, n = usage_keys ? 2 : 1;

	ret = swpki_key_label_check(label, err);
	if (ret)
		return ret;
	if (type == EVP_PKEY_RSA && (bits < SWPKI_RSA_BITS_MIN || bits > SWPKI_RSA_BITS_MAX))
		return swauth_error_set(err, -EINVAL,
					"a modulus of %u bits: swpki generates %d to %d bits",
					bits, SWPKI_RSA_BITS_MIN, SWPKI_RSA_BITS_MAX);
	if (type == EVP_PKEY_EC && bits != 256 && bits != 384)
		return swauth_error_set(err, -EINVAL,
					"an EC key of %u bits: swpki generates 256 (P-256) and 384 (P-384)",
					bits);
	if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC)
		return swauth_error_set(err, -EINVAL, "swpki generates RSA and EC keys only");
	for (i = 0; i < n; i++) {
		pkey[i] = type == EVP_PKEY_RSA ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits) :
			EVP_PKEY_Q_keygen(NULL, NULL, "EC", bits == 256 ? "P-256" : "P-384");
		if (!pkey[i]) {
			ret = swauth_error_set(err, -EIO, "generating the key failed: %s",
					       ERR_reason_error_string(ERR_get_error()));
			goto out;
		}
	}
	if (usage_keys) {
		ret = swpki_key_store(s, label, SWPKI_KEY_SIGNATURE, pkey[0], exportable, err);
		if (!ret)
			ret = swpki_key_store(s, label, SWPKI_KEY_ENCRYPTION, pkey[1], exportable,
					      err);
	} else {
		ret = swpki_key_store(s, label, SWPKI_KEY_GENERAL, pkey[0], exportable, err);
	}
out:
	EVP_PKEY_free(pkey[0]);
	EVP_PKEY_free(pkey[1]);
	return ret;
}

/* The private key of @k: its own, or the keyring's; NULL: locked. */
static EVP_PKEY *private_key(struct swpki_store *s, struct keyfile *k)
{
	EVP_PKEY *pkey;

	if (!k->info.encrypted) {
		pkey = k->priv;
		k->priv = NULL;
		return pkey;
	}
	return keyring_get(s, k);
}

static void fill_info(struct swpki_store *s, struct keyfile *k, struct swpki_key_info *info)
{
	EVP_PKEY *pkey = NULL;

	k->info.locked = false;
	if (k->info.encrypted) {
		pkey = keyring_get(s, k);
		k->info.locked = !pkey;
		EVP_PKEY_free(pkey);
	}
	if (info)
		*info = k->info;
}

/* The pair for @usage; a usage key falls back to the label's general pair. */
static int read_for(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		    struct keyfile *k, struct swauth_error *err)
{
	int ret = swpki_key_label_check(label, err);

	if (ret)
		return ret;
	ret = keyfile_read(s, label, usage, k, err);
	if (ret == -ENOENT && usage != SWPKI_KEY_GENERAL)
		ret = keyfile_read(s, label, SWPKI_KEY_GENERAL, k, err);
	if (ret == -ENOENT)
		swauth_error_set(err, ret, "no key pair labelled %s in %s%s", label, s->path,
				 usage == SWPKI_KEY_GENERAL && pairs_of(s, label) ?
				 " (it has usage keys: name signature or encryption)" : "");
	return ret;
}

/**
 * swpki_key_info() - what is known of a pair without its private key
 * @s: the store
 * @label: its name
 * @usage: which pair; a signature or encryption pair is the label's
 *	general pair when it has no usage keys
 * @info: filled
 * @err: filled on failure
 *
 * Return: 0 or -errno (-ENOENT, -EBADMSG).
 */
int swpki_key_info(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		   struct swpki_key_info *info, struct swauth_error *err)
{
	struct keyfile k;
	int ret = read_for(s, label, usage, &k, err);

	if (ret)
		return ret;
	fill_info(s, &k, info);
	keyfile_free(&k);
	return 0;
}

/**
 * swpki_key_load() - a pair's private key, for use
 * @s: the store
 * @label: its name
 * @usage: as swpki_key_info()
 * @pkey: receives the private key; EVP_PKEY_free() it
 * @info: filled when not NULL
 * @err: filled on failure
 *
 * Return: 0 or -errno; -EKEYREJECTED when the key is locked.
 */
int swpki_key_load(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		   EVP_PKEY **pkey, struct swpki_key_info *info, struct swauth_error *err)
{
	struct keyfile k;
	int ret = read_for(s, label, usage, &k, err);

	if (ret)
		return ret;
	fill_info(s, &k, info);
	*pkey = private_key(s, &k);
	if (!*pkey)
		ret = swauth_error_set(err, -EKEYREJECTED,
				       "key %s is locked: swpki key unlock --label %s", label,
				       label);
	keyfile_free(&k);
	return ret;
}

static int cmp_info(const void *a, const void *b)
{
	const struct swpki_key_info *x = a, *y = b;
	int c = strcmp(x->label, y->label);

	return c ? c : (int)x->usage - (int)y->usage;
}

/* Call @fn for every pair file of the store (of @label only, when given). */
static int each_pair(struct swpki_store *s, const char *label,
		     int (*fn)(struct swpki_store *s, const char *label,
			       enum swpki_key_usage usage, void *arg, struct swauth_error *err),
		     void *arg, struct swauth_error *err)
{
	char name[SWPKI_LABEL_MAX + 1];
	struct dirent *de;
	size_t len;
	DIR *d;
	int u, ret = 0;

	d = swpki_dir_stream(s->keys_fd);
	if (!d)
		return swauth_error_set(err, -errno, "%s/keys: %s", s->path, strerror(errno));
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		u = keyfile_usage_of(de->d_name, &len);
		if (u < 0 || len > SWPKI_LABEL_MAX)
			continue;
		memcpy(name, de->d_name, len);
		name[len] = '\0';
		if ((!label || !strcmp(label, name)) && !swpki_key_label_check(name, err))
			ret = fn(s, name, (enum swpki_key_usage)u, arg, err);
	}
	closedir(d);
	return ret;
}

struct list {
	struct swpki_key_info *v;
	size_t n, cap;
};

static int list_one(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		    void *arg, struct swauth_error *err)
{
	struct list *l = arg;
	struct swpki_key_info *v;
	struct keyfile k;
	int ret;

	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 8;
		v = realloc(l->v, l->cap * sizeof(*v));
		if (!v)
			return swauth_error_set(err, -ENOMEM, "out of memory");
		l->v = v;
	}
	ret = keyfile_read(s, label, usage, &k, err);
	if (ret == -ENOENT)
		return 0;	/* removed meanwhile */
	if (ret)
		return ret;
	fill_info(s, &k, &l->v[l->n++]);
	keyfile_free(&k);
	return 0;
}

/**
 * swpki_key_list() - the store's key pairs, by label then usage
 * @s: the store
 * @label: only this label's, or NULL for all
 * @infos: receives an array; free() it
 * @n: receives its length
 * @err: filled on failure (a malformed file fails the list, named)
 *
 * Return: 0 or -errno.
 */
int swpki_key_list(struct swpki_store *s, const char *label, struct swpki_key_info **infos,
		   size_t *n, struct swauth_error *err)
{
	struct list l = { 0 };
	int ret;

	ret = each_pair(s, label, list_one, &l, err);
	if (ret) {
		free(l.v);
		return ret;
	}
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_info);
	*infos = l.v;
	*n = l.n;
	return 0;
}

static int zeroize_one(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		       void *arg, struct swauth_error *err)
{
	++*(unsigned int *)arg;
	return remove_pair(s, label, usage, err);
}

/**
 * swpki_key_zeroize() - remove key pairs (E1.9)
 * @s: the store
 * @label: every pair of this label, or NULL: every pair of the store
 * @err: filled on failure
 *
 * A malformed pair file is removed like any other.
 *
 * Return: 0 or -errno; -ENOENT when @label names no pair.
 */
int swpki_key_zeroize(struct swpki_store *s, const char *label, struct swauth_error *err)
{
	unsigned int n = 0;
	int ret;

	if (label) {
		ret = swpki_key_label_check(label, err);
		if (ret)
			return ret;
	}
	ret = each_pair(s, label, zeroize_one, &n, err);
	if (!ret && label && !n)
		ret = swauth_error_set(err, -ENOENT, "no key pair labelled %s in %s", label,
				       s->path);
	if (n && fsync(s->keys_fd) && !ret)
		ret = swauth_error_set(err, -errno, "%s/keys: %s", s->path, strerror(errno));
	return ret;
}

enum crypt_op { OP_ENCRYPT, OP_DECRYPT, OP_LOCK, OP_UNLOCK };

struct crypt {
	enum crypt_op op;
	const char *pass;
};

static int crypt_one(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		     void *arg, struct swauth_error *err)
{
	const struct crypt *c = arg;
	EVP_PKEY *pkey = NULL;
	struct keyfile k;
	int ret;

	ret = read_pair(s, label, usage, &k, err);
	if (ret)
		return ret;
	if ((c->op == OP_ENCRYPT) == k.info.encrypted) {
		ret = swauth_error_set(err, -EINVAL, "key %s is %s", label,
				       k.info.encrypted ? "already encrypted" :
				       "not encrypted: swpki key encrypt it first");
		goto out;
	}
	if (k.info.encrypted) {
		pkey = keyfile_decrypt(&k, c->pass);
		if (!pkey) {
			ret = swauth_error_set(err, -EKEYREJECTED,
					       "key %s: wrong passphrase", label);
			goto out;
		}
	} else {
		pkey = k.priv;
		k.priv = NULL;
	}
	switch (c->op) {
	case OP_ENCRYPT:
		ret = keyfile_write(s, &k.info, pkey, c->pass, err);
		/* Encrypted, it stays usable: unlocked (E3.1). */
		if (!ret)
			ret = keyring_put(s, &k, pkey, err);
		break;
	case OP_DECRYPT:
		ret = keyfile_write(s, &k.info, pkey, NULL, err);
		if (!ret)
			keyring_drop(s, label, usage);
		break;
	case OP_LOCK:
		keyring_drop(s, label, usage);
		break;
	case OP_UNLOCK:
		ret = keyring_put(s, &k, pkey, err);
		break;
	}
out:
	EVP_PKEY_free(pkey);
	keyfile_free(&k);
	return ret;
}

static int crypt_label(struct swpki_store *s, const char *label, enum crypt_op op,
		       const char *pass, struct swauth_error *err)
{
	struct crypt c = { op, pass };
	unsigned int mask;
	int ret, u;

	ret = swpki_key_label_check(label, err);
	if (!ret && op == OP_ENCRYPT)
		ret = swpki_passphrase_check(pass, err);
	if (ret)
		return ret;
	mask = pairs_of(s, label);
	if (!mask)
		return swauth_error_set(err, -ENOENT, "no key pair labelled %s in %s", label,
					s->path);
	for (u = 0; !ret && u < N_USAGES; u++) {
		if (mask & (1U << u))
			ret = crypt_one(s, label, (enum swpki_key_usage)u, &c, err);
	}
	return ret;
}

/**
 * swpki_key_encrypt() - encrypt the pairs of @label on disk (E3.1); they stay unlocked
 * @s: the store
 * @label: the pairs' name
 * @pass: the passphrase (swpki_passphrase_check())
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swpki_key_encrypt(struct swpki_store *s, const char *label, const char *pass,
		      struct swauth_error *err)
{
	return crypt_label(s, label, OP_ENCRYPT, pass, err);
}

/* swpki_key_decrypt() - store the pairs of @label unencrypted again (E3.4) */
int swpki_key_decrypt(struct swpki_store *s, const char *label, const char *pass,
		      struct swauth_error *err)
{
	return crypt_label(s, label, OP_DECRYPT, pass, err);
}

/* swpki_key_lock() - make the encrypted pairs of @label unusable (E3.2) */
int swpki_key_lock(struct swpki_store *s, const char *label, const char *pass,
		   struct swauth_error *err)
{
	return crypt_label(s, label, OP_LOCK, pass, err);
}

/* swpki_key_unlock() - make them usable until the next lock or reboot (E3.3) */
int swpki_key_unlock(struct swpki_store *s, const char *label, const char *pass,
		     struct swauth_error *err)
{
	return crypt_label(s, label, OP_UNLOCK, pass, err);
}

static char *bio_string(BIO *bio)
{
	char *data, *str;
	long len = BIO_get_mem_data(bio, &data);

	if (len <= 0)
		return NULL;
	str = malloc((size_t)len + 1);
	if (str) {
		memcpy(str, data, (size_t)len);
		str[len] = '\0';
	}
	return str;
}

/**
 * swpki_key_load_exportable() - a pair's private key, for an export
 * @s: the store
 * @label: its name
 * @usage: which pair
 * @pkey: receives the key pair
 * @err: filled on failure
 *
 * Every export of a private key goes through here: PEM and PKCS#12.
 *
 * Return: 0 or -errno: -EPERM for a pair that is not exportable,
 * -EKEYREJECTED for a locked one.
 */
int swpki_key_load_exportable(struct swpki_store *s, const char *label,
			      enum swpki_key_usage usage, EVP_PKEY **pkey,
			      struct swauth_error *err)
{
	struct swpki_key_info info;
	int ret;

	*pkey = NULL;
	ret = swpki_key_info(s, label, usage, &info, err);
	if (!ret && !info.exportable)
		ret = swauth_error_set(err, -EPERM,
				       "key %s is not exportable (refused; only a key generated or imported with --exportable is)",
				       label);
	if (!ret)
		ret = swpki_key_load(s, label, usage, pkey, NULL, err);
	return ret;
}

/**
 * swpki_key_export_pem() - a pair as PEM, its private key encrypted (E2.5)
 * @s: the store
 * @label: its name
 * @usage: which pair (as swpki_key_info())
 * @cipher: SWPKI_CIPHER_3DES (traditional PEM) or SWPKI_CIPHER_AES (PKCS#8)
 * @pass: the passphrase (swpki_passphrase_check())
 * @pub: receives the public key, PEM SubjectPublicKeyInfo; free() it
 * @prv: receives the encrypted private key; free() it
 * @err: filled on failure
 *
 * Return: 0 or -errno: -EPERM for a pair that is not exportable,
 * -EKEYREJECTED for a locked one.
 */
int swpki_key_export_pem(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
			 enum swpki_cipher cipher, const char *pass, char **pub,
			 char **prv, struct swauth_error *err)
{
	EVP_PKEY *pkey = NULL;
	BIO *b_pub, *b_prv;
	int ret, ok;

	*pub = *prv = NULL;
	ret = swpki_passphrase_check(pass, err);
	if (!ret)
		ret = swpki_key_load_exportable(s, label, usage, &pkey, err);
	if (ret)
		return ret;
	b_pub = BIO_new(BIO_s_mem());
	b_prv = BIO_new(BIO_s_secmem());
	ok = b_pub && b_prv && PEM_write_bio_PUBKEY(b_pub, pkey);
	if (ok && cipher == SWPKI_CIPHER_3DES)
		ok = PEM_write_bio_PrivateKey_traditional(b_prv, pkey, EVP_des_ede3_cbc(),
							  (const unsigned char *)pass,
							  (int)strlen(pass), NULL, NULL);
	else if (ok)
		ok = PEM_write_bio_PKCS8PrivateKey(b_prv, pkey, EVP_aes_256_cbc(), pass,
						   (int)strlen(pass), NULL, NULL);
	if (ok) {
		*pub = bio_string(b_pub);
		*prv = bio_string(b_prv);
	}
	if (!*pub || !*prv) {
		free(*pub);
		free(*prv);
		*pub = *prv = NULL;
		ret = swauth_error_set(err, -ENOMEM, "encoding key %s failed", label);
	}
	BIO_free(b_pub);
	BIO_free(b_prv);
	EVP_PKEY_free(pkey);
	return ret;
}

static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	int len = (int)strlen(u);

	(void)rwflag;
	if (len > size)
		return -1;
	memcpy(buf, u, (size_t)len);
	return len;
}

/* The public key of a PEM PUBLIC KEY or CERTIFICATE (E2.3's .pub). */
static EVP_PKEY *read_public(const char *pem, size_t len)
{
	BIO *bio = BIO_new_mem_buf(pem, (int)len);
	EVP_PKEY *pkey = NULL;
	X509 *x;

	if (!bio)
		return NULL;
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	if (!pkey && BIO_reset(bio) == 1) {
		x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		pkey = x ? X509_get_pubkey(x) : NULL;
		X509_free(x);
	}
	BIO_free(bio);
	return pkey;
}

/**
 * swpki_key_decode_pem() - the private key of PEM files, checked
 * @pub: the public key (PUBLIC KEY or a CERTIFICATE), or NULL: not checked
 * @pub_len: its length
 * @prv: the private key: encrypted traditional PEM or PKCS#8 (or plain)
 * @prv_len: its length
 * @pass: the passphrase it was encrypted with
 * @pkey: receives the private key; EVP_PKEY_free() it
 * @err: filled on failure
 *
 * Return: 0 or -errno; -EKEYREJECTED for a wrong passphrase, -EBADMSG
 * for PEM that holds no key or keys that do not match, -EINVAL for a key
 * swpki does not take (type, size, curve).
 */
int swpki_key_decode_pem(const char *pub, size_t pub_len, const char *prv, size_t prv_len,
			 const char *pass, EVP_PKEY **pkey, struct swauth_error *err)
{
	EVP_PKEY *pubkey = NULL;
	struct swpki_key_info info;
	unsigned long e;
	BIO *bio;
	int ret = 0;

	*pkey = NULL;
	if (pub) {
		pubkey = read_public(pub, pub_len);
		if (!pubkey)
			return swauth_error_set(err, -EBADMSG,
						"the public key is no PEM PUBLIC KEY or CERTIFICATE");
	}
	ERR_clear_error();
	bio = BIO_new_mem_buf(prv, (int)prv_len);
	if (bio)
		*pkey = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, (void *)pass);
	BIO_free(bio);
	if (!*pkey) {
		e = ERR_peek_last_error();
		if (ERR_GET_REASON(e) == PEM_R_BAD_DECRYPT || ERR_GET_REASON(e) == EVP_R_BAD_DECRYPT ||
		    ERR_GET_LIB(e) == ERR_LIB_PKCS12)
			ret = swauth_error_set(err, -EKEYREJECTED,
					       "the private key does not decrypt: wrong passphrase");
		else
			ret = swauth_error_set(err, -EBADMSG,
					       "the private key is no PEM private key");
	} else if (pubkey && EVP_PKEY_eq(*pkey, pubkey) != 1) {
		ret = swauth_error_set(err, -EBADMSG,
				       "the private key is not the public key's (refused)");
	} else {
		ret = keyfile_describe(*pkey, &info, err);
	}
	EVP_PKEY_free(pubkey);
	if (ret) {
		EVP_PKEY_free(*pkey);
		*pkey = NULL;
	}
	return ret;
}

/**
 * swpki_key_import_pem() - install a pair from PEM (E2.5)
 * @s: the store
 * @label: its name; what it held for @usage is replaced (the caller asks)
 * @usage: general, or one of the usage keys
 * @pub: @pub_len, @prv, @prv_len, @pass: as swpki_key_decode_pem()
 * @pub_len: see @pub
 * @prv: see @pub
 * @prv_len: see @pub
 * @pass: see @pub
 * @exportable: the pair may be exported again
 * @err: filled on failure
 *
 * Nothing is written unless the private key decrypts and matches @pub.
 *
 * Return: 0 or -errno, as swpki_key_decode_pem() and swpki_key_store().
 */
int swpki_key_import_pem(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
			 const char *pub, size_t pub_len, const char *prv, size_t prv_len,
			 const char *pass, bool exportable, struct swauth_error *err)
{
	EVP_PKEY *pkey = NULL;
	int ret;

	ret = swpki_key_label_check(label, err);
	if (!ret)
		ret = swpki_key_decode_pem(pub, pub_len, prv, prv_len, pass, &pkey, err);
	if (!ret)
		ret = swpki_key_store(s, label, usage, pkey, exportable, err);
	EVP_PKEY_free(pkey);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * One key pair's file in the store's keys/ directory (lib/pki.h, "Key
 * pairs"): written whole with the safe-write primitive, read back by a
 * parser that takes exactly what the writer writes and names the file in
 * every error.
 *
 *   swpki-key 1
 *   usage general|signature|encryption
 *   type rsa|ec
 *   bits N
 *   curve P-256|P-384          (ec only)
 *   exportable yes|no
 *   encrypted yes|no
 *   generated SECONDS-SINCE-1970
 *   -----BEGIN PUBLIC KEY-----            (SubjectPublicKeyInfo)
 *   -----BEGIN PRIVATE KEY-----           (PKCS#8), or
 *   -----BEGIN ENCRYPTED PRIVATE KEY----- (PKCS#8, AES-256-CBC, scrypt)
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/x509.h>

#include "lib/fs.h"
#include "lib/pki/keystore.h"

enum {
	KEYFILE_MAX = 64 * 1024,
	/* scrypt as `openssl pkcs8 -scrypt`: 16 MiB, within OpenSSL's default bound. */
	SCRYPT_N = 16384,
	SCRYPT_R = 8,
	SCRYPT_P = 1,
};

static const char *const usage_words[] = {
	[SWPKI_KEY_GENERAL] = "general",
	[SWPKI_KEY_SIGNATURE] = "signature",
	[SWPKI_KEY_ENCRYPTION] = "encryption",
};

const char *swpki_key_usage_word(enum swpki_key_usage usage)
{
	return usage_words[usage];
}

/* The usage NAME ends with (".general" ...), or -1. */
int keyfile_usage_of(const char *name, size_t *label_len)
{
	size_t len = strlen(name), w;
	int u;

	for (u = 0; u < 3; u++) {
		w = strlen(usage_words[u]);
		if (len > w + 1 && name[len - w - 1] == '.' && !strcmp(name + len - w, usage_words[u])) {
			*label_len = len - w - 1;
			return u;
		}
	}
	return -1;
}

void keyfile_name(char *name, size_t len, const char *label, enum swpki_key_usage usage)
{
	snprintf(name, len, "%s.%s", label, usage_words[usage]);
}

void keyfile_free(struct keyfile *k)
{
	EVP_PKEY_free(k->pub);
	EVP_PKEY_free(k->priv);
	X509_SIG_free(k->p8);
	memset(k, 0, sizeof(*k));
}

/* The type, size and curve of @pkey, checked against swpki's bounds. */
int keyfile_describe(EVP_PKEY *pkey, struct swpki_key_info *info, struct swauth_error *err)
{
	char group[64];
	unsigned char *p;
	int len;

	info->type = EVP_PKEY_get_base_id(pkey);
	info->bits = (unsigned int)EVP_PKEY_get_bits(pkey);
	info->curve[0] = '\0';
	if (info->type == EVP_PKEY_RSA) {
		if (info->bits < SWPKI_RSA_BITS_MIN || info->bits > SWPKI_RSA_BITS_MAX)
			return swauth_error_set(err, -EINVAL,
						"an RSA key of %u bits: swpki takes %u to %u bits",
						info->bits, SWPKI_RSA_BITS_MIN,
						SWPKI_RSA_BITS_MAX);
	} else if (info->type == EVP_PKEY_EC) {
		if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
						    sizeof(group), NULL))
			group[0] = '\0';
		if (!strcmp(group, "prime256v1"))
			strcpy(info->curve, "P-256");
		else if (!strcmp(group, "secp384r1"))
			strcpy(info->curve, "P-384");
		else
			return swauth_error_set(err, -EINVAL,
						"an EC key on curve '%s': swpki takes P-256 and P-384",
						group);
	} else {
		return swauth_error_set(err, -EINVAL,
					"a key of type %s: swpki takes RSA and ECDSA keys",
					OBJ_nid2sn(info->type));
	}
	len = i2d_PUBKEY(pkey, NULL);
	if (len <= 0 || (size_t)len > sizeof(info->spki))
		return swauth_error_set(err, -EINVAL, "the public key cannot be encoded");
	p = info->spki;
	info->spki_len = (size_t)i2d_PUBKEY(pkey, &p);
	return 0;
}

/* PKCS#8, encrypted with AES-256-CBC under scrypt. */
static int write_encrypted(BIO *bio, EVP_PKEY *pkey, const char *pass)
{
	PKCS8_PRIV_KEY_INFO *p8inf;
	X509_ALGOR *pbe;
	X509_SIG *p8 = NULL;
	int ok = 0;

	p8inf = EVP_PKEY2PKCS8(pkey);
	pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), NULL, 0, NULL, SCRYPT_N, SCRYPT_R,
				    SCRYPT_P);
	if (p8inf && pbe)
		p8 = PKCS8_set0_pbe(pass, (int)strlen(pass), p8inf, pbe);
	if (p8)
		ok = PEM_write_bio_PKCS8(bio, p8);
	else
		X509_ALGOR_free(pbe);
	X509_SIG_free(p8);
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	return ok;
}

/**
 * keyfile_write() - write a pair's file
 * @s: the store
 * @info: label, usage, exportable, generated (and the type, filled here)
 * @pkey: the private key
 * @pass: encrypt with it, or NULL
 * @err: filled on failure
 *
 * Return: 0 or -errno; on failure the file is as it was.
 */
int keyfile_write(struct swpki_store *s, struct swpki_key_info *info, EVP_PKEY *pkey,
		  const char *pass, struct swauth_error *err)
{
	struct swauth_safewrite w;
	char name[NAME_MAX + 1];
	BIO *bio;
	char *buf;
	long len;
	int ret, ok;

	ret = keyfile_describe(pkey, info, err);
	if (ret)
		return ret;
	info->encrypted = pass != NULL;
	bio = BIO_new(BIO_s_secmem());
	if (!bio)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	BIO_printf(bio, "swpki-key 1\nusage %s\ntype %s\nbits %u\n",
		   usage_words[info->usage], info->type == EVP_PKEY_RSA ? "rsa" : "ec",
		   info->bits);
	if (info->type == EVP_PKEY_EC)
		BIO_printf(bio, "curve %s\n", info->curve);
	BIO_printf(bio, "exportable %s\nencrypted %s\ngenerated %" PRId64 "\n",
		   info->exportable ? "yes" : "no", pass ? "yes" : "no",
		   (int64_t)info->generated);
	ok = PEM_write_bio_PUBKEY(bio, pkey);
	if (ok && pass)
		ok = write_encrypted(bio, pkey, pass);
	else if (ok)
		ok = PEM_write_bio_PKCS8PrivateKey(bio, pkey, NULL, NULL, 0, NULL, NULL);
	len = BIO_get_mem_data(bio, &buf);
	if (!ok || len <= 0) {
		BIO_free(bio);
		return swauth_error_set(err, -EIO, "encoding key %s failed", info->label);
	}
	keyfile_name(name, sizeof(name), info->label, info->usage);
	ret = swauth_safewrite_open(&w, s->keys_fd, name, 0600, 0, err);
	if (!ret)
		ret = swauth_safewrite_write(&w, buf, (size_t)len, err);
	if (!ret)
		ret = swauth_safewrite_commit(&w, err);
	else
		swauth_safewrite_abort(&w);
	BIO_free(bio);
	if (ret)
		swauth_error_set(err, ret, "writing %s/keys/%s: %s", s->path, name, err->msg);
	return ret;
}

/* The file's bytes, NUL-terminated; cleansed and freed by the caller. */
static int read_file(struct swpki_store *s, const char *name, char **buf, size_t *len,
		     struct swauth_error *err)
{
	struct stat st;
	ssize_t n;
	int fd;

	fd = openat(s->keys_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return -ENOENT;
		return swauth_error_set(err, -errno, "%s/keys/%s: %s", s->path, name,
					errno == ELOOP ? "a symbolic link (refused)" :
					strerror(errno));
	}
	if (fstat(fd, &st)) {
		close(fd);
		return swauth_error_set(err, -errno, "%s/keys/%s: %s", s->path, name,
					strerror(errno));
	}
	if (!S_ISREG(st.st_mode) || st.st_size > KEYFILE_MAX || (st.st_mode & 077) ||
	    (st.st_uid != geteuid() && st.st_uid != 0)) {
		close(fd);
		return swauth_error_set(err, -EBADMSG,
					"%s/keys/%s: not a key file of swpki (a regular file of at most %d bytes, mode 0600, yours or root's)",
					s->path, name, KEYFILE_MAX);
	}
	*buf = OPENSSL_secure_zalloc((size_t)st.st_size + 1);
	if (!*buf) {
		close(fd);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	n = read(fd, *buf, (size_t)st.st_size);
	close(fd);
	if (n != st.st_size) {
		OPENSSL_secure_clear_free(*buf, (size_t)st.st_size + 1);
		return swauth_error_set(err, -EIO, "%s/keys/%s: short read", s->path, name);
	}
	*len = (size_t)n;
	return 0;
}

static int bad(struct swpki_store *s, const char *name, struct swauth_error *err,
	       const char *what)
{
	return swauth_error_set(err, -EBADMSG, "%s/keys/%s: malformed key file: %s", s->path,
				name, what);
}

/* One "key value" line of the record into @k; -EBADMSG for anything else. */
static int parse_field(struct keyfile *k, const char *key, const char *val, unsigned int *seen)
{
	static const char *const keys[] = {
		"usage", "type", "bits", "curve", "exportable", "encrypted", "generated",
	};
	struct swpki_key_info *i = &k->info;
	unsigned long long v;
	char *end;
	size_t f;

	for (f = 0; f < sizeof(keys) / sizeof(keys[0]) && strcmp(key, keys[f]); f++)
		;
	if (f == sizeof(keys) / sizeof(keys[0]) || (*seen & (1U << f)))
		return -EBADMSG;
	*seen |= 1U << f;
	switch (f) {
	case 0:
		for (v = 0; v < 3 && strcmp(val, usage_words[v]); v++)
			;
		i->usage = (enum swpki_key_usage)v;
		return v < 3 ? 0 : -EBADMSG;
	case 1:
		i->type = !strcmp(val, "rsa") ? EVP_PKEY_RSA : !strcmp(val, "ec") ? EVP_PKEY_EC : 0;
		return i->type ? 0 : -EBADMSG;
	case 3:
		if (strcmp(val, "P-256") && strcmp(val, "P-384"))
			return -EBADMSG;
		strcpy(i->curve, val);
		return 0;
	case 4:
	case 5:
		if (strcmp(val, "yes") && strcmp(val, "no"))
			return -EBADMSG;
		*(f == 4 ? &i->exportable : &i->encrypted) = !strcmp(val, "yes");
		return 0;
	default:
		if (val[0] < '0' || val[0] > '9')
			return -EBADMSG;
		errno = 0;
		v = strtoull(val, &end, 10);
		if (errno || *end || v > (f == 2 ? 65536ULL : (unsigned long long)INT64_MAX))
			return -EBADMSG;
		if (f == 2)
			i->bits = (unsigned int)v;
		else
			i->generated = (time_t)v;
		return 0;
	}
}

/* The next PEM block of @bio, of type @type; its DER in *data. */
static bool pem_block(BIO *bio, const char *type, unsigned char **data, long *len)
{
	char *name = NULL, *header = NULL;
	bool ok;

	if (!PEM_read_bio(bio, &name, &header, data, len))
		return false;
	ok = !strcmp(name, type) && !header[0];
	OPENSSL_free(name);
	OPENSSL_free(header);
	if (!ok) {
		OPENSSL_clear_free(*data, (size_t)*len);
		*data = NULL;
	}
	return ok;
}

static int parse_keys(struct swpki_store *s, const char *name, struct keyfile *k, char *body,
		      size_t len, struct swauth_error *err)
{
	static const char pub_end[] = "-----END PUBLIC KEY-----\n";
	const char *prv_type = k->info.encrypted ? "ENCRYPTED PRIVATE KEY" : "PRIVATE KEY";
	char end[64];
	const unsigned char *p;
	unsigned char *der = NULL;
	char *pe;
	long dlen;
	BIO *bio;
	int ret = 0;

	snprintf(end, sizeof(end), "-----END %s-----\n", prv_type);
	pe = strstr(body, pub_end);
	if (strncmp(body, "-----BEGIN PUBLIC KEY-----\n", 27) || !pe ||
	    strncmp(pe + sizeof(pub_end) - 1, "-----BEGIN ", 11) || len < strlen(end) ||
	    strcmp(body + len - strlen(end), end))
		return bad(s, name, err, "truncated, or not a public key then a private key in PEM");
	bio = BIO_new_mem_buf(body, (int)len);
	if (!bio)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	if (!pem_block(bio, "PUBLIC KEY", &der, &dlen)) {
		ret = bad(s, name, err, "the public key's PEM is damaged");
		goto out;
	}
	p = der;
	k->pub = d2i_PUBKEY(NULL, &p, dlen);
	if (!k->pub || p != der + dlen) {
		ret = bad(s, name, err, "the public key's DER is damaged");
		goto out;
	}
	OPENSSL_free(der);
	der = NULL;
	if (!pem_block(bio, prv_type, &der, &dlen) || BIO_pending(bio)) {
		ret = bad(s, name, err, "the private key's PEM is damaged");
		goto out;
	}
	p = der;
	if (k->info.encrypted) {
		k->p8 = d2i_X509_SIG(NULL, &p, dlen);
	} else {
		PKCS8_PRIV_KEY_INFO *p8inf = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, dlen);

		k->priv = p8inf ? EVP_PKCS82PKEY(p8inf) : NULL;
		PKCS8_PRIV_KEY_INFO_free(p8inf);
	}
	if ((!k->p8 && !k->priv) || p != der + dlen) {
		ret = bad(s, name, err, "the private key's DER is damaged");
		goto out;
	}
	if (k->priv && EVP_PKEY_eq(k->priv, k->pub) != 1)
		ret = bad(s, name, err, "the private key does not match the public key");
out:
	OPENSSL_clear_free(der, der ? (size_t)dlen : 0);
	BIO_free(bio);
	return ret;
}

/**
 * keyfile_read() - read and check one pair's file
 * @s: the store
 * @label: the pair's label
 * @usage: and usage
 * @k: filled: info (without @locked), pub, and priv or p8; keyfile_free() it
 * @err: filled on failure (but not for -ENOENT)
 *
 * Return: 0, -ENOENT when there is no such file, -EBADMSG for a malformed
 * one, or another -errno.
 */
int keyfile_read(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		 struct keyfile *k, struct swauth_error *err)
{
	char name[NAME_MAX + 1], *buf = NULL, *line, *nl, *sp;
	struct swpki_key_info check;
	unsigned int seen = 0;
	size_t len = 0;
	int ret;

	memset(k, 0, sizeof(*k));
	keyfile_name(name, sizeof(name), label, usage);
	ret = read_file(s, name, &buf, &len, err);
	if (ret)
		return ret;
	if (strlen(buf) != len || strncmp(buf, "swpki-key 1\n", 12)) {
		ret = bad(s, name, err, "no \"swpki-key 1\" record");
		goto out;
	}
	for (line = buf + 12; strncmp(line, "-----BEGIN ", 11); line = nl + 1) {
		nl = strchr(line, '\n');
		sp = strchr(line, ' ');
		if (!nl || !sp || sp > nl) {
			ret = bad(s, name, err, "the record is truncated or has a line without a value");
			goto out;
		}
		*nl = *sp = '\0';
		if (parse_field(k, line, sp + 1, &seen)) {
			*sp = ' ';
			ret = swauth_error_set(err, -EBADMSG,
					       "%s/keys/%s: malformed key file: the line \"%.64s\" is not known or repeats",
					       s->path, name, line);
			goto out;
		}
	}
	strcpy(k->info.label, label);
	if (seen != (k->info.type == EVP_PKEY_EC ? 0x7fU : 0x77U) || k->info.usage != usage) {
		ret = bad(s, name, err, "the record lacks a field, or does not match the file's name");
		goto out;
	}
	ret = parse_keys(s, name, k, line, len - (size_t)(line - buf), err);
	if (ret)
		goto out;
	check = k->info;
	if (keyfile_describe(k->pub, &k->info, err) || check.type != k->info.type ||
	    check.bits != k->info.bits || strcmp(check.curve, k->info.curve))
		ret = bad(s, name, err, "the record's type, size or curve is not the public key's");
out:
	OPENSSL_secure_clear_free(buf, len + 1);
	if (ret)
		keyfile_free(k);
	return ret;
}

/* The private key of an encrypted pair, with @pass; NULL for a wrong one. */
EVP_PKEY *keyfile_decrypt(const struct keyfile *k, const char *pass)
{
	PKCS8_PRIV_KEY_INFO *p8inf;
	EVP_PKEY *pkey = NULL;

	p8inf = PKCS8_decrypt(k->p8, pass, (int)strlen(pass));
	if (p8inf)
		pkey = EVP_PKCS82PKEY(p8inf);
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	if (pkey && EVP_PKEY_eq(pkey, k->pub) != 1) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	return pkey;
}

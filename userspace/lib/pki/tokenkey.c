// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Key pairs generated on a token for the key store (lib/pki.h, "Keys on a
 * token", E1.1 `on`, E17.2): the pair is the token's (token.c); the store
 * keeps DIR/keys/LABEL.token, which names the token and holds the public
 * key, so that listings need no token and a trustpoint's rsakeypair or
 * eckeypair LABEL finds the token that holds its key.
 *
 *   token NAME
 *   generated SECONDS
 *   -----BEGIN PUBLIC KEY----- ...
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "lib/fs.h"
#include "lib/pki.h"
#include "lib/pki/keystore.h"

#define REF_SUFFIX ".token"

enum { REF_FILE_MAX = 4096 };

static void ref_name(char *name, size_t len, const char *label)
{
	snprintf(name, len, "%s" REF_SUFFIX, label);
}

/* Parse the record @buf of @file into @r. */
static int ref_parse(const char *file, const char *label, char *buf, size_t len,
		     struct swpki_token_keyref *r, struct swauth_error *err)
{
	char *pem = strstr(buf, "\n-----BEGIN PUBLIC KEY-----");
	long long generated;
	EVP_PKEY *pub = NULL;
	BIO *bio;
	int ret;

	memset(r, 0, sizeof(*r));
	if (!pem || sscanf(buf, "token %32s\ngenerated %lld\n", r->token, &generated) != 2)
		return swauth_error_set(err, -EBADMSG,
					"%s: malformed (token NAME, generated N, a public key)",
					file);
	bio = BIO_new_mem_buf(pem + 1, (int)(len - (size_t)(pem + 1 - buf)));
	if (bio)
		pub = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	BIO_free(bio);
	ERR_clear_error();
	if (!pub)
		return swauth_error_set(err, -EBADMSG, "%s: the public key is malformed", file);
	ret = keyfile_describe(pub, &r->info, err);
	EVP_PKEY_free(pub);
	snprintf(r->info.label, sizeof(r->info.label), "%s", label);
	r->info.usage = SWPKI_KEY_GENERAL;
	r->info.generated = (time_t)generated;
	return ret;
}

/**
 * swpki_token_keyref_get() - which token holds key pair @label
 * @s: the store
 * @label: the key's label
 * @r: receives the token's name and the key's description (never
 *     exportable, never encrypted: the token keeps it)
 * @err: filled on failure
 *
 * Return: 0, -ENOENT when @label is not a key on a token, or -errno.
 */
int swpki_token_keyref_get(struct swpki_store *s, const char *label,
			   struct swpki_token_keyref *r, struct swauth_error *err)
{
	char name[NAME_MAX + 1], what[PATH_MAX + NAME_MAX + 8];
	unsigned char *buf;
	size_t len;
	int ret;

	ret = swpki_key_label_check(label, err);
	if (ret)
		return ret;
	ref_name(name, sizeof(name), label);
	snprintf(what, sizeof(what), "%s/keys/%s", s->path, name);
	ret = swpki_read_at(s->keys_fd, name, what, REF_FILE_MAX, &buf, &len, err);
	if (ret)
		return ret;
	ret = ref_parse(what, label, (char *)buf, len, r, err);
	free(buf);
	return ret;
}

/**
 * swpki_token_keyref_list() - the key pairs of the store that are on a token
 * @s: the store
 * @refs: receives an array sorted by label; free() it
 * @n: receives its length
 * @err: filled on failure (a malformed record fails the list, named)
 *
 * Return: 0 or -errno.
 */
int swpki_token_keyref_list(struct swpki_store *s, struct swpki_token_keyref **refs, size_t *n,
			    struct swauth_error *err)
{
	struct swpki_token_keyref *v = NULL, *grown;
	char label[SWPKI_LABEL_MAX + 1];
	struct dirent *de;
	size_t len, count = 0;
	int ret = 0;
	DIR *d;

	d = swpki_dir_stream(s->keys_fd);
	if (!d)
		return swauth_error_set(err, -errno, "%s/keys: %s", s->path, strerror(errno));
	while (!ret && (de = readdir(d))) {
		len = strlen(de->d_name);
		if (de->d_name[0] == '.' || len <= strlen(REF_SUFFIX) ||
		    strcmp(de->d_name + len - strlen(REF_SUFFIX), REF_SUFFIX) ||
		    len - strlen(REF_SUFFIX) > SWPKI_LABEL_MAX)
			continue;
		memcpy(label, de->d_name, len - strlen(REF_SUFFIX));
		label[len - strlen(REF_SUFFIX)] = '\0';
		grown = realloc(v, (count + 1) * sizeof(*v));
		if (!grown) {
			ret = swauth_error_set(err, -ENOMEM, "out of memory");
			break;
		}
		v = grown;
		ret = swpki_token_keyref_get(s, label, &v[count], err);
		count += !ret;
	}
	closedir(d);
	if (ret) {
		free(v);
		return ret;
	}
	*refs = v;
	*n = count;
	return 0;
}

/* DIR/keys/LABEL.token for @pub, on @token. */
static int ref_write(struct swpki_store *s, const char *label, const char *token, EVP_PKEY *pub,
		     struct swauth_error *err)
{
	char name[NAME_MAX + 1], *data;
	BIO *bio = BIO_new(BIO_s_mem());
	long len;
	int ret;

	if (!bio || BIO_printf(bio, "token %s\ngenerated %lld\n", token,
			       (long long)time(NULL)) <= 0 || !PEM_write_bio_PUBKEY(bio, pub)) {
		BIO_free(bio);
		return swauth_error_set(err, -ENOMEM, "encoding key %s's record failed", label);
	}
	len = BIO_get_mem_data(bio, &data);
	ref_name(name, sizeof(name), label);
	ret = swauth_safewrite_at(s->keys_fd, name, data, (size_t)len, 0600, 0, err);
	BIO_free(bio);
	return ret;
}

/**
 * swpki_key_generate_on_token() - a key pair generated on a token (E1.1 `on`)
 * @s: the store, which records the pair as DIR/keys/LABEL.token
 * @token: the token's label (logged in with a kept PIN: `swpki token NAME login`)
 * @label: the pair's label, not used by the store nor by the token yet
 * @type: EVP_PKEY_RSA (SWPKI_TOKEN_RSA_MIN to _MAX bits) or EVP_PKEY_EC (P-256)
 * @bits: RSA's modulus; 256 for EC
 * @err: filled on failure
 *
 * The private key never leaves the token: non-exportable always. When the
 * record cannot be written, the pair is destroyed on the token.
 *
 * Return: 0, -EEXIST for a label in use, -EINVAL for a size, or -errno.
 */
int swpki_key_generate_on_token(struct swpki_store *s, const char *token, const char *label,
				int type, unsigned int bits, struct swauth_error *err)
{
	struct swpki_token_keyref r;
	struct swpki_token_key *keys = NULL;
	struct swpki_token *t = NULL;
	struct swauth_error e = { 0 };
	size_t n = 0, i;
	int ret;

	ret = swpki_key_label_check(label, err);
	if (ret)
		return ret;
	if (type == EVP_PKEY_EC && bits != 256)
		return swauth_error_set(err, -EINVAL,
					"an EC key on a token is P-256 (256 bits), not %u",
					bits);
	if (swpki_key_exists(s, label) || !swpki_token_keyref_get(s, label, &r, &e))
		return swauth_error_set(err, -EEXIST,
					"a key pair labelled %s exists (zeroize it first)", label);
	ret = swpki_token_open(&t, s, token, err);
	if (!ret)
		ret = swpki_token_generate(t, type == EVP_PKEY_RSA ? SWPKI_TOKEN_RSA :
					   SWPKI_TOKEN_EC_P256, bits, label, err);
	if (ret) {
		swpki_token_close(t);
		return ret;
	}
	ret = swpki_token_keys(t, &keys, &n, err);
	for (i = 0; !ret && i < n && (strcmp(keys[i].label, label) || !keys[i].pub); i++)
		;
	if (!ret && i == n)
		ret = swauth_error_set(err, -EIO, "token %s: the public key of %s is not found",
				       token, label);
	if (!ret)
		ret = ref_write(s, label, token, keys[i].pub, err);
	if (ret)
		swpki_token_zeroize(t, label, &e);
	swpki_token_keys_free(keys, n);
	swpki_token_close(t);
	return ret;
}

/**
 * swpki_key_load_any() - the private key of pair @label, in the store or on its token
 * @s: the store
 * @label: a trustpoint's rsakeypair or eckeypair
 * @usage: which pair (a key on a token is general-purpose)
 * @pkey: receives the key; EVP_PKEY_free() it
 * @t: receives the open token of a key on a token (else NULL);
 *     swpki_token_close() it after EVP_PKEY_free(*@pkey)
 * @err: filled on failure
 *
 * Return: 0 or -errno (swpki_key_load()'s, swpki_token_key_load()'s).
 */
int swpki_key_load_any(struct swpki_store *s, const char *label, enum swpki_key_usage usage,
		       EVP_PKEY **pkey, struct swpki_token **t, struct swauth_error *err)
{
	struct swpki_token_keyref r;
	int ret;

	*t = NULL;
	ret = swpki_token_keyref_get(s, label, &r, err);
	if (ret == -ENOENT)
		return swpki_key_load(s, label, usage, pkey, NULL, err);
	if (!ret && usage != SWPKI_KEY_GENERAL)
		ret = swauth_error_set(err, -ENOENT, "key %s on token %s is general-purpose",
				       label, r.token);
	if (!ret)
		ret = swpki_token_key_load(s, r.token, label, t, pkey, err);
	return ret;
}

/**
 * swpki_key_zeroize_on_token() - remove key pair @label from its token and the store
 * @s: the store
 * @label: a key generated by swpki_key_generate_on_token()
 * @err: filled on failure
 *
 * A pair already gone from the token (`swpki token NAME zeroize`) only
 * loses its record.
 *
 * Return: 0, -ENOENT when @label is not a key on a token, or -errno (the
 * record is kept when the token refuses).
 */
int swpki_key_zeroize_on_token(struct swpki_store *s, const char *label, struct swauth_error *err)
{
	struct swpki_token_keyref r;
	struct swpki_token *t;
	char name[NAME_MAX + 1];
	int ret;

	ret = swpki_token_keyref_get(s, label, &r, err);
	if (!ret)
		ret = swpki_token_open(&t, s, r.token, err);
	if (ret)
		return ret;
	ret = swpki_token_zeroize(t, label, err);
	swpki_token_close(t);
	if (ret && ret != -ENOENT)
		return ret;
	ref_name(name, sizeof(name), label);
	if (unlinkat(s->keys_fd, name, 0) || fsync(s->keys_fd))
		return swauth_error_set(err, -errno, "%s/keys/%s: %s", s->path, name,
					strerror(errno));
	return 0;
}

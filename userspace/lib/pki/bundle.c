// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * A trustpoint's credentials in one piece (lib/pki.h, "Export and import
 * of a trustpoint"): its key pair(s), labelled with the trustpoint's name,
 * its certificate(s) and its CA's, gathered for an export (PKCS#12, PEM)
 * and installed by an import all or nothing: every file the import may
 * write is read first, and put back as it was when a later write fails.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "lib/fs.h"
#include "lib/pki.h"
#include "lib/pki/keystore.h"

enum {
	BUNDLE_FILE_MAX = 256 * 1024,
	/* NAME.conf, three key files, the CA's and two identity certificates */
	BUNDLE_SAVED_MAX = 7,
};

static const enum swpki_cert_role identity_roles[2][2] = {
	{ SWPKI_CERT_GENERAL },
	{ SWPKI_CERT_SIGN, SWPKI_CERT_ENCR },
};

static const enum swpki_key_usage key_usages[2][2] = {
	{ SWPKI_KEY_GENERAL },
	{ SWPKI_KEY_SIGNATURE, SWPKI_KEY_ENCRYPTION },
};

/**
 * swpki_tp_bundle_free() - free what a bundle holds (its keys wiped)
 * @b: the bundle; zeroed
 */
void swpki_tp_bundle_free(struct swpki_tp_bundle *b)
{
	int i;

	for (i = 0; i < 2; i++) {
		EVP_PKEY_free(b->key[i]);
		X509_free(b->cert[i]);
	}
	sk_X509_pop_free(b->cas, X509_free);
	memset(b, 0, sizeof(*b));
}

/**
 * swpki_tp_bundle_load() - a trustpoint's credentials, for an export
 * @s: the store
 * @name: the trustpoint, which is its key pair's label (E2.1)
 * @b: receives the key pair(s) (the key store's export rule: exportable,
 *     unlocked), their certificates and the CA's; swpki_tp_bundle_free() it
 * @err: filled on failure
 *
 * Return: 0 or -errno: -ENOENT for a missing key pair, certificate or CA
 * certificate, -EPERM for a key that is not exportable, -EKEYREJECTED for
 * a locked one, -EINVAL for a certificate that is not its key's.
 */
int swpki_tp_bundle_load(struct swpki_store *s, const char *name, struct swpki_tp_bundle *b,
			 struct swauth_error *err)
{
	struct swpki_key_info *infos;
	struct swpki_cert *cas = NULL;
	size_t n, ncas = 0, i;
	int ret, k, nkeys;

	memset(b, 0, sizeof(*b));
	ret = swpki_key_list(s, name, &infos, &n, err);
	if (ret)
		return ret;
	b->usage_keys = n && infos[0].usage != SWPKI_KEY_GENERAL;
	free(infos);
	if (!n)
		return swauth_error_set(err, -ENOENT,
					"no key pair labelled %s (a trustpoint's key pair carries its name)",
					name);
	nkeys = b->usage_keys ? 2 : 1;
	for (k = 0; !ret && k < nkeys; k++) {
		ret = swpki_key_load_exportable(s, name, key_usages[b->usage_keys][k], &b->key[k],
						err);
		if (ret)
			break;
		b->cert[k] = swpki_cert_load(s, name, identity_roles[b->usage_keys][k], err);
		if (!b->cert[k])
			ret = swauth_error_set(err, -ENOENT,
					       "trustpoint %s has no %scertificate (enroll first)",
					       name, !b->usage_keys ? "" :
					       k ? "encryption " : "signature ");
		else if (X509_check_private_key(b->cert[k], b->key[k]) != 1)
			ret = swauth_error_set(err, -EINVAL,
					       "trustpoint %s's certificate is not its key pair's",
					       name);
	}
	if (!ret)
		ret = swpki_cert_list(s, name, SWPKI_CERT_CA, &cas, &ncas, err);
	if (!ret && !ncas)
		ret = swauth_error_set(err, -ENOENT,
				       "trustpoint %s has no CA certificate (authenticate it first)",
				       name);
	if (!ret && !(b->cas = sk_X509_new_null()))
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; !ret && i < ncas; i++) {
		if (!sk_X509_push(b->cas, cas[i].x509))
			ret = swauth_error_set(err, -ENOMEM, "out of memory");
		else
			cas[i].x509 = NULL;
	}
	swpki_cert_list_free(cas, ncas);
	ERR_clear_error();
	if (ret)
		swpki_tp_bundle_free(b);
	return ret;
}

/* -EINVAL unless @x is valid now (--check: E2.2). */
static int check_validity(X509 *x, const char *what, struct swauth_error *err)
{
	if (X509_cmp_current_time(X509_get0_notBefore(x)) >= 0)
		return swauth_error_set(err, -EINVAL, "the %s is not valid yet (refused: --check)",
					what);
	if (X509_cmp_current_time(X509_get0_notAfter(x)) <= 0)
		return swauth_error_set(err, -EINVAL,
					"the %s has expired (refused: --check)", what);
	return 0;
}

/* The certificate of @b->cas that issued and signed @cert, or NULL. */
static X509 *find_issuer(const struct swpki_tp_bundle *b, X509 *cert)
{
	X509 *ca;
	int i;

	for (i = 0; i < sk_X509_num(b->cas); i++) {
		ca = sk_X509_value(b->cas, i);
		if (X509_check_issued(ca, cert) == X509_V_OK &&
		    X509_verify(cert, X509_get0_pubkey(ca)) == 1)
			return ca;
	}
	return NULL;
}

/* Everything an import checks before it writes anything; *@issuer the CA. */
static int check_bundle(const struct swpki_tp_bundle *b, bool check, X509 **issuer,
			struct swauth_error *err)
{
	int k, i, ret = 0, type, nkeys = b->usage_keys ? 2 : 1;

	if (sk_X509_num(b->cas) <= 0)
		return swauth_error_set(err, -EINVAL,
					"no CA certificate given (the CA's certificate must come with the key)");
	*issuer = find_issuer(b, b->cert[0]);
	ERR_clear_error();
	if (!*issuer)
		return swauth_error_set(err, -EINVAL,
					"the certificate was not issued by the CA certificate given (refused)");
	for (k = 0; !ret && k < nkeys; k++) {
		type = EVP_PKEY_get_base_id(b->key[k]);
		if (type != EVP_PKEY_RSA && type != EVP_PKEY_EC)
			ret = swauth_error_set(err, -EINVAL,
					       "an RSA or EC key pair, not another kind");
		else if (X509_get_extension_flags(b->cert[k]) & EXFLAG_CA)
			ret = swauth_error_set(err, -EINVAL,
					       "the router's certificate is a CA certificate (refused)");
		else if (find_issuer(b, b->cert[k]) != *issuer)
			ret = swauth_error_set(err, -EINVAL,
					       "the certificates were not issued by one CA (refused)");
		else if (X509_check_private_key(b->cert[k], b->key[k]) != 1)
			ret = swauth_error_set(err, -EINVAL,
					       "the certificate is not the private key's (refused)");
		if (!ret && check)
			ret = check_validity(b->cert[k], "router's certificate", err);
	}
	for (i = 0; !ret && check && i < sk_X509_num(b->cas); i++)
		ret = check_validity(sk_X509_value(b->cas, i), "CA certificate", err);
	if (!ret)
		ret = swpki_cert_check_ca(*issuer, err);
	ERR_clear_error();
	return ret;
}

/* -EBUSY when key pair @name exists and a trustpoint but @name uses it. */
static int key_of_another(struct swpki_store *s, const char *name, struct swauth_error *err)
{
	char label[SWPKI_LABEL_MAX + 1], shadow[SWPKI_LABEL_MAX + 1];
	struct swauth_error e = { 0 };
	struct swpki_trustpoint tp;
	char **names;
	size_t i, n;
	int ret;

	if (!swpki_key_exists(s, name))
		return 0;
	ret = swpki_tp_list(s, &names, &n, err);
	if (ret)
		return ret;
	for (i = 0; !ret && i < n; i++)
		if (strcmp(names[i], name) && !swpki_tp_load(s, names[i], &tp, &e) &&
		    !swpki_tp_key_label(&tp, label, shadow, &e) && !strcmp(label, name))
			ret = swauth_error_set(err, -EBUSY,
					       "key pair %s is trustpoint %s's too: not replaced (refused)",
					       name, names[i]);
	swpki_tp_list_free(names, n);
	return ret;
}

/* A file an import may write, as it was before. */
struct saved {
	int dir_fd;
	char name[NAME_MAX + 1];
	mode_t mode;
	bool present;
	unsigned char *data;
	size_t len;
};

static int save(struct saved *v, int dir_fd, const char *name, mode_t mode,
		struct swauth_error *err)
{
	int ret;

	v->dir_fd = dir_fd;
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->mode = mode;
	ret = swpki_read_at(dir_fd, name, name, BUNDLE_FILE_MAX, &v->data, &v->len, err);
	v->present = !ret;
	if (ret == -ENOENT)
		ret = 0;
	return ret;
}

/* Put back every saved file; 0, or the first failure's -errno. */
static int restore(struct saved *v, size_t n, struct swauth_error *err)
{
	struct swauth_error e = { 0 };
	char first[sizeof(err->msg)];
	const char *why;
	int ret = 0, r;
	size_t i;

	snprintf(first, sizeof(first), "%s", err->msg);
	for (i = 0; i < n; i++) {
		if (v[i].present) {
			r = swauth_safewrite_at(v[i].dir_fd, v[i].name, v[i].data, v[i].len,
						v[i].mode, 0, &e);
			why = e.msg;
		} else {
			r = unlinkat(v[i].dir_fd, v[i].name, 0) && errno != ENOENT ? -errno : 0;
			why = strerror(-r);
		}
		if (r && !ret)
			ret = swauth_error_set(err, r, "%s; undoing the import failed too (%s: %s)",
					       first, v[i].name, why);
	}
	return ret;
}

static void saved_free(struct saved *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].data)
			OPENSSL_cleanse(v[i].data, v[i].len);
		free(v[i].data);
	}
}

/* The trustpoint @name names its key pair @name. */
static void name_key(struct swpki_trustpoint *tp, const struct swpki_tp_bundle *b)
{
	bool rsa = EVP_PKEY_get_base_id(b->key[0]) == EVP_PKEY_RSA;

	snprintf(rsa ? tp->rsakeypair : tp->eckeypair, sizeof(tp->rsakeypair), "%s", tp->name);
	(rsa ? tp->eckeypair : tp->rsakeypair)[0] = '\0';
	tp->rsa_size = rsa && b->usage_keys ? (unsigned int)EVP_PKEY_get_bits(b->key[0]) : 0;
	tp->rsa_encsize = rsa && b->usage_keys ? (unsigned int)EVP_PKEY_get_bits(b->key[1]) : 0;
}

/* The writes, in order: CA, certificates, key pairs, the trustpoint. */
static int write_all(struct swpki_store *s, struct swpki_trustpoint *tp,
		     const struct swpki_tp_bundle *b, X509 *issuer, bool exportable,
		     struct swauth_error *err)
{
	int k, ret, nkeys = b->usage_keys ? 2 : 1;

	ret = swpki_cert_add(s, tp->name, SWPKI_CERT_CA, issuer, err);
	for (k = 0; !ret && k < nkeys; k++)
		ret = swpki_cert_add(s, tp->name, identity_roles[b->usage_keys][k], b->cert[k],
				     err);
	for (k = 0; !ret && k < nkeys; k++)
		ret = swpki_key_store(s, tp->name, key_usages[b->usage_keys][k], b->key[k],
				      exportable, err);
	if (!ret)
		ret = swpki_tp_save(s, tp, err);
	return ret;
}

/* Remove @tp's certificate files that the import did not write. */
static void remove_old(struct swpki_store *s, struct swpki_cert *old, size_t n,
		       const struct saved *v, size_t nv)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nv; j++)
			if (v[j].dir_fd == s->certs_fd && !strcmp(v[j].name, old[i].file))
				break;
		if (j == nv)
			unlinkat(s->certs_fd, old[i].file, 0);
	}
	fsync(s->certs_fd);
}

/**
 * swpki_tp_import() - install a trustpoint's credentials, all or nothing
 * @s: the store
 * @name: the trustpoint, created when missing; its key pair gets its name
 *	(E2.1) and it names that pair (rsakeypair or eckeypair NAME)
 * @b: the key pair(s), their certificates and the CA's certificate(s):
 *	each certificate must be its key's, not a CA, issued by one of @b->cas,
 *	which must be a CA (swpki_cert_check_ca()); it is stored as the
 *	trustpoint's CA certificate
 * @exportable: the key pairs may be exported again (never settable later)
 * @check: refuse a certificate that has expired or is not valid yet (E2.2)
 * @err: filled on failure
 *
 * The trustpoint's certificates and a key pair of the same label are
 * replaced; a key pair of that label on a token is not (-EEXIST), nor one
 * another trustpoint uses (-EBUSY). Every file the import may write is read first; when a write
 * fails, each is put back as it was (an encrypted key pair so put back is
 * locked until unlocked again).
 *
 * Return: 0, or -errno with nothing changed: -EINVAL for credentials
 * refused by a check.
 */
int swpki_tp_import(struct swpki_store *s, const char *name, const struct swpki_tp_bundle *b,
		    bool exportable, bool check, struct swauth_error *err)
{
	struct saved v[BUNDLE_SAVED_MAX] = { 0 };
	struct swpki_token_keyref ref;
	struct swauth_error e = { 0 };
	struct swpki_trustpoint tp;
	struct swpki_cert *old = NULL;
	char file[NAME_MAX + 1];
	size_t nv = 0, nold = 0;
	X509 *issuer = NULL;
	int ret, k, u, nkeys = b->usage_keys ? 2 : 1;

	ret = swpki_key_label_check(name, err);
	if (!ret && !swpki_tp_name_valid(name))
		ret = swauth_error_set(err, -EINVAL, "'%s' is not a trustpoint name", name);
	if (!ret)
		ret = check_bundle(b, check, &issuer, err);
	if (!ret && !swpki_token_keyref_get(s, name, &ref, &e))
		ret = swauth_error_set(err, -EEXIST,
				       "key pair %s is on token %s: not replaced (zeroize it first)",
				       name, ref.token);
	if (!ret)
		ret = key_of_another(s, name, err);
	if (ret)
		return ret;
	ret = swpki_tp_load(s, name, &tp, err);
	if (ret == -ENOENT) {
		swpki_tp_init(&tp, name);
		ret = 0;
	}
	if (!ret)
		ret = swpki_cert_list(s, name, SWPKI_CERT_ANY, &old, &nold, err);
	snprintf(file, sizeof(file), "%s.conf", name);
	if (!ret)
		ret = save(&v[nv++], s->tp_fd, file, 0600, err);
	for (u = 0; !ret && u < 3; u++) {
		keyfile_name(file, sizeof(file), name, (enum swpki_key_usage)u);
		ret = save(&v[nv++], s->keys_fd, file, 0600, err);
	}
	if (!ret)
		ret = swpki_cert_file_name(name, SWPKI_CERT_CA, issuer, file, err);
	if (!ret)
		ret = save(&v[nv++], s->certs_fd, file, 0644, err);
	for (k = 0; !ret && k < nkeys; k++) {
		ret = swpki_cert_file_name(name, identity_roles[b->usage_keys][k], b->cert[k], file,
					   err);
		if (!ret)
			ret = save(&v[nv++], s->certs_fd, file, 0644, err);
	}
	if (!ret) {
		name_key(&tp, b);
		ret = write_all(s, &tp, b, issuer, exportable, err);
		if (ret)
			restore(v, nv, err);
		else
			remove_old(s, old, nold, v, nv);
	}
	swpki_cert_list_free(old, nold);
	saved_free(v, nv);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * What a device asks a CA to sign (lib/pki.h, "Requests"): the subject as
 * IOS builds it, the PKCS#10 request, its fingerprint, and the persistent
 * self-signed certificate (E8).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "lib/pki.h"

/*
 * "CN = r1, OU = lab , O=Example" (the seeds' x.500 form, most significant
 * first) appended to @name, one RDN each.
 */
static int parse_dn(const char *text, X509_NAME *name, struct swauth_error *err)
{
	char buf[SWPKI_DN_MAX], *p, *next, *eq, *k, *v, *end;

	if (strlen(text) >= sizeof(buf))
		return swauth_error_set(err, -EINVAL, "subject-name is longer than %d characters",
					SWPKI_DN_MAX - 1);
	strcpy(buf, text);
	for (p = buf; p; p = next) {
		next = strchr(p, ',');
		if (next)
			*next++ = '\0';
		eq = strchr(p, '=');
		if (!eq)
			return swauth_error_set(err, -EINVAL,
						"subject-name: '%s' is not TYPE=VALUE (as in CN=r1.example.com, O=Example)",
						p);
		*eq = '\0';
		for (k = p; *k == ' '; k++)
			;
		for (end = eq; end > k && end[-1] == ' '; end--)
			end[-1] = '\0';
		for (v = eq + 1; *v == ' '; v++)
			;
		for (end = v + strlen(v); end > v && end[-1] == ' '; end--)
			end[-1] = '\0';
		if (!*k || !*v)
			return swauth_error_set(err, -EINVAL, "subject-name: an empty type or value");
		if (OBJ_txt2nid(k) == NID_undef)
			return swauth_error_set(err, -EINVAL, "subject-name: unknown attribute type '%s'",
						k);
		if (!X509_NAME_add_entry_by_txt(name, k, MBSTRING_UTF8, (unsigned char *)v, -1,
						-1, 0))
			return swauth_error_ossl(err, -EINVAL, "subject-name");
	}
	return 0;
}

/**
 * swpki_subject() - the subject name a request or a self-signed certificate carries
 * @p: the trustpoint's subject-name, and what the last RDN holds (E5.3)
 * @out: set to the new name; X509_NAME_free() it
 * @err: filled on failure
 *
 * The configured subject-name's RDNs, then one multi-valued RDN with
 * unstructuredName (the FQDN, unless `fqdn none`), serialNumber and
 * unstructuredAddress, as IOS sends them (shown by OpenSSL as
 * hostname=...+serialNumber=...+ipaddress=...).
 *
 * Return: 0 or -errno (-EINVAL for a subject-name that cannot be parsed).
 */
int swpki_subject(const struct swpki_req_params *p, X509_NAME **out, struct swauth_error *err)
{
	X509_NAME *name = X509_NAME_new();
	int ret = 0, set = -1;

	if (!name)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	if (p->subject && p->subject[0])
		ret = parse_dn(p->subject, name, err);
	if (!ret && p->fqdn && p->fqdn[0]) {
		if (!X509_NAME_add_entry_by_NID(name, NID_pkcs9_unstructuredName, MBSTRING_ASC,
						(unsigned char *)p->fqdn, -1, -1, 0))
			ret = swauth_error_ossl(err, -EINVAL, "the FQDN");
		set = 1;
	}
	if (!ret && p->serial && p->serial[0] &&
	    !X509_NAME_add_entry_by_NID(name, NID_serialNumber, MBSTRING_ASC,
					(unsigned char *)p->serial, -1, -1, set > 0 ? -1 : 0))
		ret = swauth_error_ossl(err, -EINVAL, "the serial number");
	else if (!ret && p->serial && p->serial[0])
		set = 1;
	if (!ret && p->ip && p->ip[0] &&
	    !X509_NAME_add_entry_by_NID(name, NID_pkcs9_unstructuredAddress, MBSTRING_ASC,
					(unsigned char *)p->ip, -1, -1, set > 0 ? -1 : 0))
		ret = swauth_error_ossl(err, -EINVAL, "the IP address");
	if (!ret && !X509_NAME_entry_count(name))
		ret = swauth_error_set(err, -EINVAL,
				       "the subject would be empty: set subject-name, or keep the FQDN");
	if (ret) {
		X509_NAME_free(name);
		return ret;
	}
	*out = name;
	return 0;
}

/* The extended key usages of `usage ike|ssl-client|ssl-server`. */
static const char *eku_of(unsigned int usage, char *buf, size_t len)
{
	buf[0] = '\0';
	if (usage & SWPKI_USAGE_IKE)
		snprintf(buf + strlen(buf), len - strlen(buf), "%s1.3.6.1.5.5.7.3.17",
			 buf[0] ? "," : "");
	if (usage & SWPKI_USAGE_SSL_CLIENT)
		snprintf(buf + strlen(buf), len - strlen(buf), "%sclientAuth", buf[0] ? "," : "");
	if (usage & SWPKI_USAGE_SSL_SERVER)
		snprintf(buf + strlen(buf), len - strlen(buf), "%sserverAuth", buf[0] ? "," : "");
	return buf;
}

static const char *key_usage_of(enum swpki_req_key kind)
{
	switch (kind) {
	case SWPKI_REQ_SIGNATURE:
		return "critical,digitalSignature";
	case SWPKI_REQ_ENCRYPTION:
		return "critical,keyEncipherment";
	default:
		return "critical,digitalSignature,keyEncipherment";
	}
}

static int add_ext(STACK_OF(X509_EXTENSION) *exts, X509V3_CTX *ctx, int nid, const char *value,
		   struct swauth_error *err)
{
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);

	if (!ext)
		return swauth_error_ossl(err, -EINVAL, OBJ_nid2sn(nid));
	if (!sk_X509_EXTENSION_push(exts, ext)) {
		X509_EXTENSION_free(ext);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	return 0;
}

static const EVP_MD *md_of(const struct swpki_req_params *p, EVP_PKEY *key)
{
	const char *h = p->hash && p->hash[0] ? p->hash : NULL;

	if (!h && EVP_PKEY_is_a(key, "EC") && EVP_PKEY_get_bits(key) > 256)
		h = "SHA384";
	return EVP_get_digestbyname(h ? h : "SHA256");
}

/**
 * swpki_req_build() - a PKCS#10 request signed by @key
 * @key: the key pair (a token's key signs on the token)
 * @p: subject, challenge password, usage, hash
 * @out: set to the request; X509_REQ_free() it
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swpki_req_build(EVP_PKEY *key, const struct swpki_req_params *p, X509_REQ **out,
		    struct swauth_error *err)
{
	STACK_OF(X509_EXTENSION) *exts = sk_X509_EXTENSION_new_null();
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = NULL;
	X509V3_CTX ctx;
	char eku[128];
	int ret;

	if (!req || !exts) {
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	ret = swpki_subject(p, &name, err);
	if (ret)
		goto out;
	if (!X509_REQ_set_version(req, X509_REQ_VERSION_1) || !X509_REQ_set_subject_name(req, name) ||
	    !X509_REQ_set_pubkey(req, key)) {
		ret = swauth_error_ossl(err, -EINVAL, "the request");
		goto out;
	}
	X509V3_set_ctx(&ctx, NULL, NULL, req, NULL, 0);
	ret = add_ext(exts, &ctx, NID_key_usage, key_usage_of(p->key), err);
	if (!ret && eku_of(p->usage, eku, sizeof(eku))[0])
		ret = add_ext(exts, &ctx, NID_ext_key_usage, eku, err);
	if (!ret && p->san && p->san[0]) {
		char san[SWPKI_DN_MAX + 8];

		snprintf(san, sizeof(san), "DNS:%s", p->san);
		ret = add_ext(exts, &ctx, NID_subject_alt_name, san, err);
	}
	if (ret)
		goto out;
	if (!X509_REQ_add_extensions(req, exts)) {
		ret = swauth_error_ossl(err, -EINVAL, "the request's extensions");
		goto out;
	}
	if (p->challenge && p->challenge[0] &&
	    !X509_REQ_add1_attr_by_NID(req, NID_pkcs9_challengePassword, MBSTRING_UTF8,
				       (const unsigned char *)p->challenge, -1)) {
		ret = swauth_error_ossl(err, -EINVAL, "the challenge password");
		goto out;
	}
	if (!X509_REQ_sign(req, key, EVP_PKEY_is_a(key, "ED25519") ? NULL : md_of(p, key))) {
		ret = swauth_error_ossl(err, -EIO, "signing the request");
		goto out;
	}
	*out = req;
	req = NULL;
out:
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	X509_NAME_free(name);
	X509_REQ_free(req);
	return ret;
}

/**
 * swpki_hex_groups() - bytes as IOS prints a fingerprint: "8DA777BC 08477073 ..."
 * @buf: the bytes
 * @len: how many
 * @out: the text, cut at a whole byte when @size is short: 9 characters per 4 bytes is enough
 * @size: of @out
 */
void swpki_hex_groups(const unsigned char *buf, size_t len, char *out, size_t size)
{
	size_t i, o = 0;

	if (!size)
		return;
	out[0] = '\0';
	for (i = 0; i < len; i++) {
		size_t sep = i && !(i % 4);

		if (o + sep + 3 > size)
			break;
		if (sep)
			out[o++] = ' ';
		o += (size_t)snprintf(out + o, size - o, "%02X", buf[i]);
	}
}

/**
 * swpki_req_fingerprint() - the request fingerprint IOS shows: MD5 of its DER
 * @req: the request
 * @out: "8DA777BC 08477073 A5BE2403 812DD157"
 * @size: of @out (SWPKI_FP_MD5_LEN)
 *
 * Return: 0 or -EIO.
 */
int swpki_req_fingerprint(X509_REQ *req, char *out, size_t size)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n;
	EVP_MD *md5 = EVP_MD_fetch(NULL, "MD5", NULL);
	int ok = md5 && X509_REQ_digest(req, md5, md, &n);

	EVP_MD_free(md5);
	if (!ok)
		return -EIO;
	swpki_hex_groups(md, n, out, size);
	return 0;
}

/**
 * swpki_selfsigned_build() - the device's persistent self-signed certificate (E8.2)
 * @key: its key pair
 * @p: subject, hash, the subjectAltName (subject-alt-name)
 * @serial: the certificate's serial number
 * @days: its lifetime
 * @out: set to the certificate; X509_free() it
 * @err: filled on failure
 *
 * Issuer = subject, basicConstraints critical CA:TRUE, the key usages of
 * @p, subject and authority key identifiers equal.
 *
 * Return: 0 or -errno.
 */
int swpki_selfsigned_build(EVP_PKEY *key, const struct swpki_req_params *p, long serial,
			   unsigned int days, X509 **out, struct swauth_error *err)
{
	X509 *crt = X509_new();
	X509_NAME *name = NULL;
	X509V3_CTX ctx;
	char eku[128], san[SWPKI_DN_MAX + 8];
	struct {
		int nid;
		const char *value;
	} exts[] = {
		{ NID_basic_constraints, "critical,CA:TRUE" },
		{ NID_subject_key_identifier, "hash" },
		{ NID_authority_key_identifier, "keyid:always" },
		{ NID_key_usage, NULL },
		{ NID_ext_key_usage, NULL },
		{ NID_subject_alt_name, NULL },
	};
	size_t i;
	int ret;

	if (!crt)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	ret = swpki_subject(p, &name, err);
	if (ret)
		goto out;
	if (!X509_set_version(crt, X509_VERSION_3) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(crt), serial) ||
	    !X509_set_subject_name(crt, name) || !X509_set_issuer_name(crt, name) ||
	    !X509_gmtime_adj(X509_getm_notBefore(crt), 0) ||
	    !X509_time_adj_ex(X509_getm_notAfter(crt), (int)days, 0, NULL) ||
	    !X509_set_pubkey(crt, key)) {
		ret = swauth_error_ossl(err, -EINVAL, "the self-signed certificate");
		goto out;
	}
	exts[3].value = p->key == SWPKI_REQ_GENERAL ?
		"critical,digitalSignature,keyEncipherment,keyCertSign" : key_usage_of(p->key);
	exts[4].value = eku_of(p->usage, eku, sizeof(eku))[0] ? eku : NULL;
	if (p->san && p->san[0]) {
		snprintf(san, sizeof(san), "DNS:%s", p->san);
		exts[5].value = san;
	}
	X509V3_set_ctx(&ctx, crt, crt, NULL, NULL, 0);
	for (i = 0; i < sizeof(exts) / sizeof(exts[0]); i++) {
		X509_EXTENSION *ext;

		if (!exts[i].value)
			continue;
		ext = X509V3_EXT_conf_nid(NULL, &ctx, exts[i].nid, exts[i].value);
		if (!ext || !X509_add_ext(crt, ext, -1)) {
			X509_EXTENSION_free(ext);
			ret = swauth_error_ossl(err, -EINVAL, OBJ_nid2sn(exts[i].nid));
			goto out;
		}
		X509_EXTENSION_free(ext);
	}
	if (!X509_sign(crt, key, md_of(p, key))) {
		ret = swauth_error_ossl(err, -EIO, "signing the self-signed certificate");
		goto out;
	}
	*out = crt;
	crt = NULL;
out:
	X509_NAME_free(name);
	X509_free(crt);
	return ret;
}

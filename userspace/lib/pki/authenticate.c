// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * CA authentication (lib/pki.h, E4.3-E4.5): a CA certificate, and the RA's
 * when SCEP gives them, checked, shown, accepted and stored; or nothing
 * stored at all.
 */

#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "lib/cli.h"
#include "lib/pki.h"

/* swpki_print_fingerprint() - "LABEL 12EF53FA 355CD23E ..." and a newline */
void swpki_print_fingerprint(FILE *out, const char *label, const unsigned char *md,
			     unsigned int len)
{
	char hex[EVP_MAX_MD_SIZE * 9 / 4 + 4];

	swpki_hex_groups(md, len, hex, sizeof(hex));
	fprintf(out, "%s %s\n", label, hex);
}

/**
 * swpki_cert_check_ca() - a certificate that may be a trustpoint's CA:
 * basicConstraints CA:TRUE, and keyCertSign when it has a keyUsage
 *
 * Return: 0 or -EINVAL.
 */
int swpki_cert_check_ca(X509 *ca, struct swauth_error *err)
{
	uint32_t flags = X509_get_extension_flags(ca);

	if (flags & EXFLAG_INVALID)
		return swauth_error_set(err, -EINVAL,
					"the certificate has invalid extensions (refused)");
	if (!(flags & EXFLAG_BCONS) || !(flags & EXFLAG_CA))
		return swauth_error_set(err, -EINVAL,
					"not a CA certificate: no basicConstraints CA:TRUE (refused)");
	if ((flags & EXFLAG_KUSAGE) && !(X509_get_key_usage(ca) & KU_KEY_CERT_SIGN))
		return swauth_error_set(err, -EINVAL,
					"not a CA certificate: its keyUsage lacks keyCertSign (refused)");
	return 0;
}

/* An RA certificate: issued by @ca, with the key usage of its role(s). */
static int check_ra(X509 *ra, X509 *ca, bool *sign, bool *encr, struct swauth_error *err)
{
	uint32_t flags = X509_get_extension_flags(ra), ku = X509_get_key_usage(ra);

	if (X509_verify(ra, X509_get0_pubkey(ca)) != 1) {
		ERR_clear_error();
		return swauth_error_set(err, -EINVAL,
					"an RA certificate not signed by the CA certificate (refused)");
	}
	*sign = (flags & EXFLAG_KUSAGE) && (ku & KU_DIGITAL_SIGNATURE);
	*encr = (flags & EXFLAG_KUSAGE) && (ku & KU_KEY_ENCIPHERMENT);
	if (!*sign && !*encr)
		return swauth_error_set(err, -EINVAL,
					"an RA certificate without the key usage digitalSignature or keyEncipherment (refused)");
	return 0;
}

static bool fingerprint_matches(const struct swpki_trustpoint *tp, X509 *ca)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	const EVP_MD *type;
	unsigned int len;

	type = tp->fingerprint_len == SWPKI_FP_MD5 ? EVP_md5() :
	       tp->fingerprint_len == SWPKI_FP_SHA1 ? EVP_sha1() : EVP_sha256();
	if (!X509_digest(ca, type, md, &len) || len != tp->fingerprint_len)
		return false;
	return !CRYPTO_memcmp(md, tp->fingerprint, len);
}

/* swpki_print_fingerprints() - "Fingerprint MD5: ...", SHA1 and SHA256 lines after @indent */
void swpki_print_fingerprints(FILE *out, const char *indent, X509 *x509)
{
	static const struct {
		const char *label;
		const EVP_MD *(*md)(void);
	} fps[] = {
		{ "Fingerprint MD5:", EVP_md5 },
		{ "Fingerprint SHA1:", EVP_sha1 },
		{ "Fingerprint SHA256:", EVP_sha256 },
	};
	unsigned char md[EVP_MAX_MD_SIZE];
	char label[64];
	unsigned int len;
	size_t i;

	for (i = 0; i < sizeof(fps) / sizeof(fps[0]); i++) {
		snprintf(label, sizeof(label), "%s%s", indent, fps[i].label);
		if (X509_digest(x509, fps[i].md(), md, &len))
			swpki_print_fingerprint(out, label, md, len);
	}
}

/* Unlink the files named in @names[0..n) (an undo). */
static void unlink_names(struct swpki_store *s, char (*names)[NAME_MAX + 1], size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		unlinkat(s->certs_fd, names[i], 0);
}

/* swpki_cert_find() - the file of @tp's certificate @x509 in @role (SWPKI_CERT_ANY: any) */
int swpki_cert_find(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
		       X509 *x509, char *file, struct swauth_error *err)
{
	struct swpki_cert *v;
	size_t i, n;
	int ret;

	ret = swpki_cert_list(s, tp, role, &v, &n, err);
	if (ret)
		return ret;
	for (i = 0; i < n; i++)
		if (!X509_cmp(v[i].x509, x509))
			break;
	if (i < n)
		strcpy(file, v[i].file);
	else
		ret = swauth_error_set(err, -EIO, "the certificate just stored is not found");
	swpki_cert_list_free(v, n);
	return ret;
}

/* Store @ca and @ra as @tp's, then remove the CA and RA certificates it had. */
static int store_ca(struct swpki_store *s, const char *tp, X509 *ca, STACK_OF(X509) *ra,
		    struct swauth_error *err)
{
	static const enum swpki_cert_role roles[] = {
		SWPKI_CERT_CA, SWPKI_CERT_RA_SIGN, SWPKI_CERT_RA_ENCR
	};
	char added[1 + 2 * 8][NAME_MAX + 1];
	struct swpki_cert *old[3] = { NULL };
	size_t nold[3] = { 0 }, nadded = 0, i, j, k;
	bool sign, encr;
	int ret = 0, count = ra ? sk_X509_num(ra) : 0;

	if (count > 8)
		return swauth_error_set(err, -EINVAL, "%d RA certificates (8 at most)", count);
	for (i = 0; !ret && i < 3; i++)
		ret = swpki_cert_list(s, tp, roles[i], &old[i], &nold[i], err);
	if (!ret)
		ret = swpki_cert_add(s, tp, SWPKI_CERT_CA, ca, err);
	if (!ret)
		ret = swpki_cert_find(s, tp, SWPKI_CERT_CA, ca, added[nadded++], err);
	for (k = 0; !ret && k < (size_t)count; k++) {
		X509 *x = sk_X509_value(ra, (int)k);

		ret = check_ra(x, ca, &sign, &encr, err);
		if (!ret && sign && !(ret = swpki_cert_add(s, tp, SWPKI_CERT_RA_SIGN, x, err)))
			ret = swpki_cert_find(s, tp, SWPKI_CERT_RA_SIGN, x, added[nadded++], err);
		if (!ret && encr && !(ret = swpki_cert_add(s, tp, SWPKI_CERT_RA_ENCR, x, err)))
			ret = swpki_cert_find(s, tp, SWPKI_CERT_RA_ENCR, x, added[nadded++], err);
	}
	for (i = 0; i < 3; i++) {
		for (j = 0; !ret && j < nold[i]; j++) {
			for (k = 0; k < nadded && strcmp(added[k], old[i][j].file); k++)
				;
			if (k == nadded)
				unlinkat(s->certs_fd, old[i][j].file, 0);
		}
		swpki_cert_list_free(old[i], nold[i]);
	}
	if (ret)
		unlink_names(s, added, nadded);
	else
		fsync(s->certs_fd);
	return ret;
}

/**
 * swpki_tp_authenticate_cert() - accept @ca as @tp's CA certificate
 * @s: the store
 * @tp: its fingerprint, when set, decides without a question
 * @ca: the CA certificate (basicConstraints CA:TRUE; keyCertSign if keyUsage)
 * @ra: the RA certificates (SCEP GetCACert), or NULL: each signed by @ca with
 *	digitalSignature (the RA's signing certificate) or keyEncipherment
 *	(its encryption certificate) in its keyUsage, both roles covered
 * @interactive: a terminal may be asked
 * @yes: --yes: accept without a question when there is no fingerprint
 * @out: the fingerprints, the question, "Trustpoint CA certificate accepted."
 * @err: the reason of a refusal
 *
 * Return: 0 when stored; -EINVAL for a certificate refused by a check,
 * -EACCES when refused by the fingerprint or the operator, -errno. Nothing
 * is stored unless 0 is returned.
 */
int swpki_tp_authenticate_cert(struct swpki_store *s, const struct swpki_trustpoint *tp,
			       X509 *ca, STACK_OF(X509) *ra, bool interactive, bool yes,
			       FILE *out, struct swauth_error *err)
{
	bool sign, encr, any_sign = false, any_encr = false;
	int i, ret;

	ret = swpki_cert_check_ca(ca, err);
	for (i = 0; !ret && ra && i < sk_X509_num(ra); i++) {
		ret = check_ra(sk_X509_value(ra, i), ca, &sign, &encr, err);
		any_sign |= sign;
		any_encr |= encr;
	}
	if (ret)
		return ret;
	if (ra && sk_X509_num(ra) && (!any_sign || !any_encr))
		return swauth_error_set(err, -EINVAL,
					"no RA certificate with the key usage %s (refused)",
					any_sign ? "keyEncipherment" : "digitalSignature");
	fputs("Certificate has the following attributes:\n", out);
	swpki_print_fingerprints(out, "", ca);
	if (tp->fingerprint_len) {
		if (!fingerprint_matches(tp, ca))
			return swauth_error_set(err, -EACCES,
						"the CA certificate's fingerprint is not the one trustpoint %s is configured with (refused)",
						tp->name);
		fprintf(out, "Fingerprint matches the trustpoint's configured fingerprint.\n");
	} else if (!yes && !interactive) {
		return swauth_error_set(err, -EACCES,
					"no fingerprint configured for trustpoint %s and no terminal to ask: refused (configure `fingerprint HEX` or confirm with --yes)",
					tp->name);
	} else if (!cli_confirm("authenticate", out, "% Do you accept this certificate? [yes/no]: ",
				CLI_ASK_YES_NO, yes)) {
		return swauth_error_set(err, -EACCES, "CA certificate not accepted");
	}
	ret = store_ca(s, tp->name, ca, ra, err);
	if (ret)
		return ret;
	fputs("Trustpoint CA certificate accepted.\n", out);
	return 0;
}

/* Bare base64 (a paste without the BEGIN/END lines). */
static bool is_base64(const unsigned char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isalnum(buf[i]) && !strchr("+/=\r\n \t", buf[i]))
			return false;
	return len > 0;
}

/**
 * swpki_cert_parse() - one certificate, PEM, bare base64 or DER
 * @what: the source, for messages
 *
 * Return: 0 and *@x509, or -EINVAL with the reason.
 */
int swpki_cert_parse(const unsigned char *buf, size_t len, const char *what, X509 **x509,
		     struct swauth_error *err)
{
	char reason[256];
	const unsigned char *p = buf;
	BIO *bio = NULL;
	X509 *x = NULL, *extra;
	size_t skip = 0;
	int ret = 0;

	*x509 = NULL;
	while (skip < len && isspace(buf[skip]))
		skip++;
	if (skip == len)
		return swauth_error_set(err, -EINVAL, "%s: empty: no certificate", what);
	ERR_clear_error();
	if (buf[0] == 0x30) {
		x = d2i_X509(NULL, &p, (long)len);
		if (!x)
			ret = swauth_error_set(err, -EINVAL, "%s: malformed DER certificate (%s)", what,
					       swauth_ossl_reason(reason, sizeof(reason)));
		else if (p != buf + len)
			ret = swauth_error_set(err, -EINVAL,
					       "%s: %zu bytes after the DER certificate (refused)", what,
					       (size_t)(buf + len - p));
	} else if (len - skip > 10 && !memcmp(buf + skip, "-----BEGIN", 10)) {
		bio = BIO_new_mem_buf(buf + skip, (int)(len - skip));
		x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
		if (!x) {
			ret = swauth_error_set(err, -EINVAL, "%s: malformed PEM certificate (%s)", what,
					       swauth_ossl_reason(reason, sizeof(reason)));
		} else if ((extra = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
			X509_free(extra);
			ret = swauth_error_set(err, -EINVAL,
					       "%s: more than one certificate; one CA certificate expected",
					       what);
		}
	} else if (is_base64(buf + skip, len - skip)) {
		while (len > skip && isspace(buf[len - 1]))
			len--;
		bio = BIO_new(BIO_s_mem());
		if (bio && BIO_puts(bio, "-----BEGIN CERTIFICATE-----\n") > 0 &&
		    BIO_write(bio, buf + skip, (int)(len - skip)) > 0 &&
		    BIO_puts(bio, "\n-----END CERTIFICATE-----\n") > 0)
			x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
		if (!x)
			ret = swauth_error_set(err, -EINVAL, "%s: malformed base64 certificate (%s)",
					       what, swauth_ossl_reason(reason, sizeof(reason)));
	} else {
		ret = swauth_error_set(err, -EINVAL, "%s: neither a PEM nor a DER certificate", what);
	}
	BIO_free(bio);
	ERR_clear_error();
	if (ret) {
		X509_free(x);
		return ret;
	}
	*x509 = x;
	return 0;
}

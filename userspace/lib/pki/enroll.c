// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Enrollment (lib/pki.h, E5-E8): a trustpoint's key pairs found or made,
 * its requests built, sent to the CA by SCEP or an enrollment profile or
 * written to a file URL, and the certificates that come back checked and
 * installed by the rollover procedure, which a crash at any step leaves
 * with a key that matches its certificate once swpki_rollover_recover()
 * has run.
 */

#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "lib/pki.h"
#include "lib/xfer.h"
#include "lib/pki/keystore.h"

enum { CERT_FILE_MAX = 64 * 1024 };	/* BASE.ca, BASE.crt */

/*
 * The test hook: with SWPKI_TEST_HOOKS (the sanitizer build of the tests
 * only), SWPKI_TEST_KILL_AT=N makes the process kill itself (SIGKILL) at
 * rollover step N, to show what a crash there leaves.
 */
static void step(int n)
{
#ifdef SWPKI_TEST_HOOKS
	const char *at = getenv("SWPKI_TEST_KILL_AT");

	if (at && atoi(at) == n)
		raise(SIGKILL);
#else
	(void)n;
#endif
}

/* The usages of @tp's key pairs: one general pair, or usage keys. */
static unsigned int tp_usages(const struct swpki_trustpoint *tp, enum swpki_key_usage u[2])
{
	if (!tp->eckeypair[0] && tp->rsa_encsize) {
		u[0] = SWPKI_KEY_SIGNATURE;
		u[1] = SWPKI_KEY_ENCRYPTION;
		return 2;
	}
	u[0] = SWPKI_KEY_GENERAL;
	return 1;
}

static enum swpki_cert_role usage_role(enum swpki_key_usage u)
{
	return u == SWPKI_KEY_SIGNATURE ? SWPKI_CERT_SIGN :
	       u == SWPKI_KEY_ENCRYPTION ? SWPKI_CERT_ENCR : SWPKI_CERT_GENERAL;
}

/**
 * swpki_tp_key_label() - the label of @tp's key pair (E4.2, E5.10)
 * @tp: its rsakeypair or eckeypair label, else the host's FQDN
 * @label: receives it (SWPKI_LABEL_MAX + 1)
 * @shadow: receives the label new keys wait under until their certificate
 *	    is installed, "LABEL.rollover" (SWPKI_LABEL_MAX + 1), or NULL
 *
 * Return: 0 or -EINVAL.
 */
int swpki_tp_key_label(const struct swpki_trustpoint *tp, char *label, char *shadow,
		       struct swauth_error *err)
{
	int ret = 0;

	if (tp->eckeypair[0])
		snprintf(label, SWPKI_LABEL_MAX + 1, "%s", tp->eckeypair);
	else if (tp->rsakeypair[0])
		snprintf(label, SWPKI_LABEL_MAX + 1, "%s", tp->rsakeypair);
	else
		ret = swpki_key_default_label(label, SWPKI_LABEL_MAX + 1, err);
	if (ret || !shadow)
		return ret;
	if (strlen(label) + sizeof(".rollover") - 1 > SWPKI_LABEL_MAX)
		return swauth_error_set(err, -EINVAL,
					"key label %s is too long for its rollover name %s.rollover (%d characters at most)",
					label, label, SWPKI_LABEL_MAX);
	snprintf(shadow, SWPKI_LABEL_MAX + 1, "%s.rollover", label);
	return 0;
}

/* The public key of pair @label/@u, or NULL. */
static EVP_PKEY *pubkey_of(struct swpki_store *s, const char *label, enum swpki_key_usage u)
{
	struct swauth_error e = { 0 };
	struct swpki_key_info info;
	const unsigned char *p;

	struct swpki_token_keyref r;

	if (swpki_key_info(s, label, u, &info, &e)) {
		if (u != SWPKI_KEY_GENERAL || swpki_token_keyref_get(s, label, &r, &e))
			return NULL;
		info = r.info;
	}
	p = info.spki;
	return d2i_PUBKEY(NULL, &p, (long)info.spki_len);
}

static bool key_matches(struct swpki_store *s, const char *label, enum swpki_key_usage u,
			X509 *x509)
{
	EVP_PKEY *pub = pubkey_of(s, label, u);
	bool eq = pub && EVP_PKEY_eq(pub, X509_get0_pubkey(x509)) == 1;

	EVP_PKEY_free(pub);
	ERR_clear_error();
	return eq;
}

/* Remove @tp's certificates of @role but the file @keep. */
static int remove_role_but(struct swpki_store *s, const char *tp, enum swpki_cert_role role,
			   const char *keep, struct swauth_error *err)
{
	struct swpki_cert *v;
	size_t i, n;
	int ret = swpki_cert_list(s, tp, role, &v, &n, err);

	for (i = 0; !ret && i < n; i++)
		if (strcmp(v[i].file, keep) && unlinkat(s->certs_fd, v[i].file, 0) &&
		    errno != ENOENT)
			ret = swauth_error_set(err, -errno, "removing %s: %s", v[i].file,
					       strerror(errno));
	if (!ret)
		fsync(s->certs_fd);
	swpki_cert_list_free(v, n);
	return ret;
}

/* Switch usage @u to rollover certificate @c: key first, then certificate. */
static int switch_usage(struct swpki_store *s, const struct swpki_trustpoint *tp,
			const char *label, const char *shadow, enum swpki_key_usage u,
			const struct swpki_cert *c, FILE *out, struct swauth_error *err)
{
	char from[NAME_MAX + 1], to[NAME_MAX + 1], file[NAME_MAX + 1];
	enum swpki_cert_role role = usage_role(u);
	int ret;

	if (key_matches(s, shadow, u, c->x509)) {
		keyfile_name(from, sizeof(from), shadow, u);
		keyfile_name(to, sizeof(to), label, u);
		keyring_drop(s, label, u);
		if (renameat(s->keys_fd, from, s->keys_fd, to))
			return swauth_error_set(err, -errno, "%s/keys: renaming %s to %s: %s",
						s->path, from, to, strerror(errno));
		fsync(s->keys_fd);
		step(3);
	}
	if (!key_matches(s, label, u, c->x509))
		return 1;
	ret = swpki_cert_add(s, tp->name, role, c->x509, err);
	if (ret)
		return ret;
	step(4);
	ret = swpki_cert_file_name(tp->name, role, c->x509, file, err);
	if (!ret)
		ret = remove_role_but(s, tp->name, role, file, err);
	if (ret)
		return ret;
	if (role != SWPKI_CERT_GENERAL)
		ret = remove_role_but(s, tp->name, SWPKI_CERT_GENERAL, "", err);
	if (ret)
		return ret;
	step(5);
	if (unlinkat(s->certs_fd, c->file, 0) && errno != ENOENT)
		return swauth_error_set(err, -errno, "removing %s: %s", c->file, strerror(errno));
	fsync(s->certs_fd);
	if (out)
		fprintf(out, "%% Trustpoint %s: the new %s certificate and key are in use.\n",
			tp->name, swpki_key_usage_text(u));
	return 0;
}

/**
 * swpki_rollover_recover() - finish the switches a rollover left half done
 * @s: the store
 * @tp: the trustpoint
 * @out: a line for each switch finished, or NULL
 * @err: filled on failure
 *
 * A rollover certificate (TP#SERIAL-rollover.cer) is a new certificate
 * waiting to replace the identity certificate of its usage. Its key is the
 * shadow pair (LABEL.rollover), which is renamed over the pair in use
 * (one rename, atomic), or already the pair in use; the certificate then
 * takes its identity role and the old one goes. A rollover certificate
 * that matches neither key is stale and removed. A shadow pair without a
 * rollover certificate waits for its certificate (a manual enrollment)
 * and stays. Called at the start of enrollment and by every command that
 * uses a trustpoint's identity, and after each installation.
 *
 * Return: 0 or -errno.
 */
int swpki_rollover_recover(struct swpki_store *s, const struct swpki_trustpoint *tp,
			   FILE *out, struct swauth_error *err)
{
	char label[SWPKI_LABEL_MAX + 1], shadow[SWPKI_LABEL_MAX + 1];
	enum swpki_key_usage u[2];
	struct swpki_cert *v;
	unsigned int nu, j;
	size_t i, n;
	int ret;

	ret = swpki_cert_list(s, tp->name, SWPKI_CERT_ROLLOVER, &v, &n, err);
	if (ret || !n) {
		if (!ret)
			swpki_cert_list_free(v, n);
		return ret;
	}
	ret = swpki_tp_key_label(tp, label, shadow, err);
	nu = tp_usages(tp, u);
	for (i = 0; !ret && i < n; i++) {
		ret = 1;
		for (j = 0; ret == 1 && j < nu; j++)
			ret = switch_usage(s, tp, label, shadow, u[j], &v[i], out, err);
		if (ret == 1) {
			ret = 0;
			if (unlinkat(s->certs_fd, v[i].file, 0) && errno != ENOENT)
				ret = swauth_error_set(err, -errno, "removing %s: %s", v[i].file,
						       strerror(errno));
		}
	}
	swpki_cert_list_free(v, n);
	return ret;
}

/* The trustpoint's pair is on token @token (swpki key generate --on): used there. */
static int token_key(struct swpki_store *s, const struct swpki_trustpoint *tp, bool regenerate,
		     struct swpki_enroll_keys *k, const char *token, struct swauth_error *err)
{
	struct swauth_error e = { 0 };
	int ret;

	if (regenerate)
		return swauth_error_set(err, -EINVAL,
					"key %s is on token %s: regenerate it there (swpki key generate --on %s), not by enrollment",
					k->label, token, token);
	if (k->n != 1)
		return swauth_error_set(err, -EINVAL,
					"key %s is on token %s, a general-purpose pair: trustpoint %s wants usage keys",
					k->label, token, tp->name);
	ret = swpki_key_load_any(s, k->label, SWPKI_KEY_GENERAL, &k->cur[0], &k->token, err);
	if (ret)
		return ret;
	k->key[0] = k->cur[0];
	EVP_PKEY_up_ref(k->key[0]);
	k->cert[0] = swpki_cert_load(s, tp->name, SWPKI_CERT_GENERAL, &e);
	return 0;
}

/**
 * swpki_enroll_keys_get() - the key pairs a trustpoint's requests are for
 * @s: the store
 * @tp: rsakeypair LABEL [SIZE [ENCSIZE]] (ENCSIZE: usage keys), eckeypair
 *	LABEL, or the FQDN's general-purpose RSA pair
 * @regenerate: new pairs even when the label has some (`regenerate`)
 * @k: filled; swpki_enroll_keys_free() it
 * @out: "% Generating ..." lines, or NULL
 * @err: filled on failure
 *
 * A pair on a token (swpki key generate --on TOKEN) is used there, never
 * regenerated here. A missing pair is generated (non-exportable; RSA of
 * the rsakeypair's size, else 2048 bits; EC on P-256). A pair regenerated
 * goes under the
 * shadow label: the pair in use stays until the new certificate is
 * installed (E6.3); it is exportable when the old one was.
 *
 * Return: 0, -EKEYREJECTED for a locked key (the store's message), -errno.
 */
int swpki_enroll_keys_get(struct swpki_store *s, const struct swpki_trustpoint *tp,
			  bool regenerate, struct swpki_enroll_keys *k, FILE *out,
			  struct swauth_error *err)
{
	struct swauth_error e = { 0 };
	struct swpki_token_keyref ref;
	struct swpki_key_info info;
	const char *where;
	unsigned int i, bits;
	int ret, type = tp->eckeypair[0] ? EVP_PKEY_EC : EVP_PKEY_RSA;
	EVP_PKEY *pkey;
	bool exportable;

	memset(k, 0, sizeof(*k));
	ret = swpki_tp_key_label(tp, k->label, k->shadow, err);
	if (ret)
		return ret;
	k->n = tp_usages(tp, k->usage);
	if (!swpki_token_keyref_get(s, k->label, &ref, &e))
		return token_key(s, tp, regenerate, k, ref.token, err);
	for (i = 0; i < k->n; i++) {
		k->cert[i] = swpki_cert_load(s, tp->name, usage_role(k->usage[i]), &e);
		ret = swpki_key_load(s, k->label, k->usage[i], &k->cur[i], &info, err);
		if (ret == -ENOENT || (!ret && regenerate)) {
			exportable = !ret && info.exportable;
			where = ret ? k->label : k->shadow;
			bits = type == EVP_PKEY_EC ? 256 :
			       k->usage[i] == SWPKI_KEY_ENCRYPTION ? tp->rsa_encsize :
			       tp->rsa_size ? tp->rsa_size : SWPKI_RSA_BITS_DEFAULT;
			if (out)
				fprintf(out, "%% Generating %u bit %s keys (%s) under label %s ...\n",
					bits, type == EVP_PKEY_EC ? "EC" : "RSA",
					swpki_key_usage_word(k->usage[i]), where);
			pkey = type == EVP_PKEY_EC ? EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256") :
			       EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
			if (!pkey)
				return swauth_error_ossl(err, -EIO, "generating the key pair");
			if (type == EVP_PKEY_RSA &&
			    (bits < SWPKI_RSA_BITS_MIN || bits > SWPKI_RSA_BITS_MAX))
				ret = swauth_error_set(err, -EINVAL,
						       "a modulus of %u bits (%d to %d)", bits,
						       SWPKI_RSA_BITS_MIN, SWPKI_RSA_BITS_MAX);
			else
				ret = swpki_key_store(s, where, k->usage[i], pkey, exportable, err);
			if (ret) {
				EVP_PKEY_free(pkey);
				return ret;
			}
			k->made[i] = where;
			if (where == k->shadow) {
				k->key[i] = pkey;
				step(1);
			} else {
				EVP_PKEY_free(k->cur[i]);
				k->cur[i] = pkey;
				EVP_PKEY_up_ref(pkey);
				k->key[i] = pkey;
			}
		} else if (ret) {
			return ret;
		} else {
			k->key[i] = k->cur[i];
			EVP_PKEY_up_ref(k->key[i]);
		}
	}
	return 0;
}

/*
 * swpki_enroll_keys_abort() - remove the pairs swpki_enroll_keys_get()
 * generated, but those whose certificate got installed (the first of a
 * usage key pair's two enrollments)
 */
void swpki_enroll_keys_abort(struct swpki_store *s, const struct swpki_trustpoint *tp,
			     struct swpki_enroll_keys *k)
{
	struct swauth_error e = { 0 };
	char name[NAME_MAX + 1];
	unsigned int i;
	X509 *cert;
	bool used;

	for (i = 0; i < k->n; i++) {
		if (!k->made[i])
			continue;
		cert = swpki_cert_load(s, tp->name, usage_role(k->usage[i]), &e);
		used = cert && key_matches(s, k->made[i], k->usage[i], cert);
		X509_free(cert);
		keyfile_name(name, sizeof(name), k->made[i], k->usage[i]);
		if (!used && !unlinkat(s->keys_fd, name, 0))
			fsync(s->keys_fd);
	}
}

void swpki_enroll_keys_free(struct swpki_enroll_keys *k)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		EVP_PKEY_free(k->key[i]);
		EVP_PKEY_free(k->cur[i]);
		X509_free(k->cert[i]);
	}
	if (k->token)
		swpki_token_close(k->token);
	memset(k, 0, sizeof(*k));
}

/* The device's serial number (E5.3): see lib/pki.h. */
int swpki_device_serial(char *serial, size_t size, struct swauth_error *err)
{
	static const char *const files[] = { "/sys/class/dmi/id/product_serial",
					     "/etc/machine-id" };
	unsigned char *buf;
	size_t i, j, len, n;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (swauth_url_fetch(files[i], NULL, 4096, &buf, &len, err))
			continue;
		for (j = n = 0; j < len && n + 1 < size && (i == 0 || n < 16); j++)
			if (buf[j] > ' ' && buf[j] <= '~' && buf[j] != '/')
				serial[n++] = (char)buf[j];
		serial[n] = '\0';
		free(buf);
		if (n && strcmp(serial, "None") && strcmp(serial, "0"))
			return 0;
	}
	return swauth_error_set(err, -ENOENT,
				"no device serial number (/sys/class/dmi/id/product_serial, /etc/machine-id)");
}

/* The first IPv4 (else IPv6) address of interface @ifname. */
int swpki_iface_address(const char *ifname, char *addr, size_t size, struct swauth_error *err)
{
	struct ifaddrs *ifa, *p;
	int family;

	if (getifaddrs(&ifa))
		return swauth_error_set(err, -errno, "listing addresses: %s", strerror(errno));
	for (family = AF_INET; family; family = family == AF_INET ? AF_INET6 : 0) {
		for (p = ifa; p; p = p->ifa_next) {
			if (!p->ifa_addr || p->ifa_addr->sa_family != family ||
			    strcmp(p->ifa_name, ifname))
				continue;
			inet_ntop(family, family == AF_INET ?
				  (void *)&((struct sockaddr_in *)p->ifa_addr)->sin_addr :
				  (void *)&((struct sockaddr_in6 *)p->ifa_addr)->sin6_addr,
				  addr, (socklen_t)size);
			freeifaddrs(ifa);
			return 0;
		}
	}
	freeifaddrs(ifa);
	return swauth_error_set(err, -EADDRNOTAVAIL, "interface %s has no address", ifname);
}

/**
 * swpki_enroll_request() - the request for pair @i of @k (E5.3)
 * @tp: subject-name, fqdn, usage, hash
 * @a: the answers of the dialogue (challenge, serial, IP address); the
 *	challenge password is left out of a request for a file server
 *	(swpki_tp_is_file()), where anyone may read it
 * @fqdn: the device's FQDN
 *
 * Return: 0 and *@req, or -errno.
 */
int swpki_enroll_request(const struct swpki_trustpoint *tp, const struct swpki_enroll_keys *k,
			 unsigned int i, const struct swpki_enroll_answers *a, const char *fqdn,
			 X509_REQ **req, struct swauth_error *err)
{
	struct swpki_req_params p = {
		.subject = tp->subject_name_set && tp->subject_name[0] ? tp->subject_name : NULL,
		.fqdn = tp->fqdn_none ? NULL : fqdn,
		.serial = a->serial[0] ? a->serial : NULL,
		.ip = a->ip[0] ? a->ip : NULL,
		.challenge = a->challenge[0] && !swpki_tp_is_file(tp) ? a->challenge : NULL,
		.san = tp->enroll == SWPKI_ENROLL_SELFSIGNED && tp->subject_alt_name[0] ?
		       tp->subject_alt_name : NULL,
		.hash = tp->hash[0] ? tp->hash : NULL,
		.usage = tp->usage,
		.key = k->usage[i] == SWPKI_KEY_SIGNATURE ? SWPKI_REQ_SIGNATURE :
		       k->usage[i] == SWPKI_KEY_ENCRYPTION ? SWPKI_REQ_ENCRYPTION :
		       SWPKI_REQ_GENERAL,
	};

	return swpki_req_build(k->key[i], &p, req, err);
}

/* swpki_tp_xfer_opts() - the transfer options of @tp: its vrf and source interface */
void swpki_tp_xfer_opts(const struct swpki_trustpoint *tp, struct swauth_xfer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->vrf = tp->vrf[0] ? tp->vrf : NULL;
	o->source_iface = tp->source_interface[0] ? tp->source_interface : NULL;
}

static void tp_http(const struct swpki_trustpoint *tp, struct swpki_scep_http *h)
{
	memset(h, 0, sizeof(*h));
	h->vrf = tp->vrf[0] ? tp->vrf : NULL;
	h->source_iface = tp->source_interface[0] ? tp->source_interface : NULL;
}

/* swpki_tp_is_scep() - is @tp's enrollment SCEP (an http:// or https:// URL) */
bool swpki_tp_is_scep(const struct swpki_trustpoint *tp)
{
	return tp->enroll == SWPKI_ENROLL_URL &&
	       (!strncmp(tp->url, "http://", 7) || !strncmp(tp->url, "https://", 8));
}

/*
 * swpki_tp_is_file() - does @tp enroll through a file server (tftp://,
 * ftp://), whose files anyone may read or replace (E5.7)?
 */
bool swpki_tp_is_file(const struct swpki_trustpoint *tp)
{
	return tp->enroll == SWPKI_ENROLL_URL && !swpki_tp_is_scep(tp);
}

/**
 * swpki_tp_file_url() - BASE@suffix for a file URL enrollment (E5.7)
 * @tp: `enrollment url tftp://host/BASE` (or ftp://); BASE is the FQDN
 *	when the URL has no file part
 * @suffix: ".ca", ".req", "-sign.req", ".crt" ...
 * @url: receives it
 *
 * Return: 0 or -EINVAL (-ENAMETOOLONG).
 */
int swpki_tp_file_url(const struct swpki_trustpoint *tp, const char *suffix, char *url,
		      size_t size, struct swauth_error *err)
{
	char fqdn[SWPKI_LABEL_MAX + 1];
	const char *p = strstr(tp->url, "://");
	size_t len = strlen(tp->url);
	int ret;

	if (tp->enroll != SWPKI_ENROLL_URL || swpki_tp_is_scep(tp) || !p)
		return swauth_error_set(err, -EINVAL,
					"trustpoint %s has no file enrollment URL (tftp:// or ftp://)",
					tp->name);
	p = strchr(p + 3, '/');
	if (!p || tp->url[len - 1] == '/') {
		ret = swpki_key_default_label(fqdn, sizeof(fqdn), err);
		if (ret)
			return ret;
		ret = snprintf(url, size, "%s%s%s%s", tp->url, p ? "" : "/", fqdn, suffix);
	} else {
		ret = snprintf(url, size, "%s%s", tp->url, suffix);
	}
	if (ret < 0 || (size_t)ret >= size)
		return swauth_error_set(err, -ENAMETOOLONG, "the URL of %s is too long", suffix);
	return 0;
}

/* The certificate in the file BASE@suffix of @tp's file URL (DER, PEM or base64). */
static int fetch_file_cert(const struct swpki_trustpoint *tp, const char *suffix, X509 **x509,
			   struct swauth_error *err)
{
	char url[SWPKI_TP_URL_MAX + 128];
	struct swauth_xfer_opts o;
	unsigned char *buf;
	size_t len;
	int ret;

	ret = swpki_tp_file_url(tp, suffix, url, sizeof(url), err);
	if (ret)
		return ret;
	swpki_tp_xfer_opts(tp, &o);
	ret = swauth_url_fetch(url, &o, CERT_FILE_MAX, &buf, &len, err);
	if (ret)
		return ret;
	ret = swpki_cert_parse(buf, len, url, x509, err);
	free(buf);
	return ret;
}

/**
 * swpki_tp_fetch_ca() - @tp's CA certificate from its enrollment URL (E4.3, E5.7)
 * @tp: SCEP: GetCACert (the CA and its RA certificates); tftp:// or ftp://:
 *	the file BASE.ca (DER, PEM or base64)
 * @ca: set to the CA certificate
 * @ra: set to the RA certificates (SCEP), or NULL
 *
 * Return: 0 or -errno.
 */
int swpki_tp_fetch_ca(const struct swpki_trustpoint *tp, X509 **ca, STACK_OF(X509) **ra,
		      struct swauth_error *err)
{
	struct swpki_scep_http h;
	STACK_OF(X509) *certs = NULL;
	X509 *ra_sign = NULL, *ra_encr = NULL;
	int ret;

	*ca = NULL;
	*ra = NULL;
	if (swpki_tp_is_scep(tp)) {
		tp_http(tp, &h);
		ret = swpki_scep_getcacert(tp->url, &h, tp->name, &certs, ca, &ra_sign, &ra_encr,
					   err);
		if (ret)
			return ret;
		sk_X509_pop_free(certs, X509_free);
		if (ra_sign || ra_encr) {
			*ra = sk_X509_new_null();
			if (!*ra)
				ret = swauth_error_set(err, -ENOMEM, "out of memory");
			if (!ret && ra_sign && !sk_X509_push(*ra, ra_sign))
				ret = swauth_error_set(err, -ENOMEM, "out of memory");
			else if (!ret && ra_sign)
				ra_sign = NULL;
			if (!ret && ra_encr && !sk_X509_push(*ra, ra_encr))
				ret = swauth_error_set(err, -ENOMEM, "out of memory");
			else if (!ret && ra_encr)
				ra_encr = NULL;
		}
		X509_free(ra_sign);
		X509_free(ra_encr);
		return ret;
	}
	return fetch_file_cert(tp, ".ca", ca, err);
}

/**
 * swpki_enroll_check_cert() - an issued certificate for pair @i of @k
 * @ca: the trustpoint's CA: the certificate must chain to it
 *	(X509_verify_cert()), not be a CA, and carry @key
 *
 * Return: 0 or -EINVAL naming what is wrong.
 */
int swpki_enroll_check_cert(X509 *cert, X509 *ca, EVP_PKEY *key, struct swauth_error *err)
{
	X509_STORE *st = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	int ret = 0, v;

	if (!st || !ctx || !X509_STORE_add_cert(st, ca) ||
	    !X509_STORE_CTX_init(ctx, st, cert, NULL)) {
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
	} else if (EVP_PKEY_eq(X509_get0_pubkey(cert), key) != 1) {
		ret = swauth_error_set(err, -EINVAL,
				       "the certificate is not for this key pair (refused)");
	} else if (X509_get_extension_flags(cert) & EXFLAG_CA) {
		ret = swauth_error_set(err, -EINVAL, "the certificate is a CA's (refused)");
	} else if (X509_verify_cert(ctx) != 1) {
		v = X509_STORE_CTX_get_error(ctx);
		ret = swauth_error_set(err, -EINVAL,
				       "the certificate does not verify against the trustpoint's CA: %s (refused)",
				       X509_verify_cert_error_string(v));
	}
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(st);
	ERR_clear_error();
	return ret;
}

/**
 * swpki_enroll_install() - install @cert, issued for @tp's pair of @usage
 * @s: the store
 * @tp: the trustpoint
 * @cert: checked by swpki_enroll_check_cert()
 * @usage: its pair's usage: the certificate's role
 * @out: messages, or NULL
 *
 * Stored in the rollover role, then switched in by swpki_rollover_recover():
 * the pair and certificate in use stay until the new ones replace them.
 * What the certificate store would refuse in its role is refused first.
 *
 * Return: 0 or -errno.
 */
int swpki_enroll_install(struct swpki_store *s, const struct swpki_trustpoint *tp, X509 *cert,
			 enum swpki_key_usage usage, FILE *out, struct swauth_error *err)
{
	int ret = swpki_cert_add_check(s, tp->name, usage_role(usage), cert, err);

	if (!ret)
		ret = swpki_cert_add(s, tp->name, SWPKI_CERT_ROLLOVER, cert, err);

	if (ret)
		return ret;
	step(2);
	return swpki_rollover_recover(s, tp, out, err);
}

/* The CA and RA certificates @tp was authenticated with. */
static int stored_ca(struct swpki_store *s, const struct swpki_trustpoint *tp, X509 **ca,
		     X509 **ra_sign, X509 **ra_encr, struct swauth_error *err)
{
	struct swauth_error e = { 0 };

	*ca = swpki_cert_load(s, tp->name, SWPKI_CERT_CA, &e);
	if (!*ca)
		return swauth_error_set(err, -ENOENT,
					"trustpoint %s is not authenticated (no CA certificate): `swpki authenticate %s` first",
					tp->name, tp->name);
	*ra_sign = swpki_cert_load(s, tp->name, SWPKI_CERT_RA_SIGN, &e);
	*ra_encr = swpki_cert_load(s, tp->name, SWPKI_CERT_RA_ENCR, &e);
	return 0;
}

/* The CA's certificate for pair @i of @k: checked, announced, installed. */
static int take_cert(struct swpki_store *s, const struct swpki_trustpoint *tp,
		     const struct swpki_enroll_keys *k, unsigned int i, X509 *ca, X509 *cert,
		     FILE *out, struct swauth_error *err)
{
	int ret = swpki_enroll_check_cert(cert, ca, k->key[i], err);

	if (ret)
		return ret;
	if (out)
		fputs("%PKI-6-CERTRET: Certificate received from Certificate Authority\n", out);
	return swpki_enroll_install(s, tp, cert, k->usage[i], out, err);
}

struct pending {
	FILE *out;
	unsigned int period;
};

static void pending_note(void *arg, unsigned int n, unsigned int max)
{
	struct pending *p = arg;

	if (p->out) {
		fprintf(p->out,
			"%% Certificate request pending: polling the CA in %u second(s) (%u of %u)\n",
			p->period, n, max);
		fflush(p->out);
	}
}

/**
 * swpki_enroll_scep() - enroll @k's pairs by SCEP (E5.4, E5.5)
 * @s: the store
 * @tp: its enrollment URL, retry period and count, scep cipher
 * @k: the pairs; renewal (RenewalReq signed with the current certificate
 *     and key) where a pair has a certificate and the CA offers Renewal
 * @reqs: one request per pair
 * @out: progress ("% Enrollment in progress...", pending notes), or NULL
 *
 * The CA must still be the one @tp was authenticated with. Each issued
 * certificate is checked and installed (swpki_enroll_install()) as it
 * arrives.
 *
 * Return: 0 or -errno (-ESTALE: the CA changed since authentication).
 */
int swpki_enroll_scep(struct swpki_store *s, const struct swpki_trustpoint *tp,
		      const struct swpki_enroll_keys *k, X509_REQ *const *reqs, FILE *out,
		      struct swauth_error *err)
{
	struct pending pend = { .out = out, .period = tp->retry_period * 60 };
	X509 *ca = NULL, *ra_sign = NULL, *ra_encr = NULL, *got = NULL, *cert;
	STACK_OF(X509) *certs = NULL;
	X509 *xs = NULL, *xe = NULL;
	struct swpki_scep_caps caps;
	struct swpki_scep_http h;
	struct swpki_scep_enroll e;
	unsigned int i;
	int ret;

	ret = stored_ca(s, tp, &ca, &ra_sign, &ra_encr, err);
	if (ret)
		return ret;
	tp_http(tp, &h);
	ret = swpki_scep_getcacaps(tp->url, &h, &caps, err);
	if (!ret)
		ret = swpki_scep_getcacert(tp->url, &h, tp->name, &certs, &got, &xs, &xe, err);
	if (!ret && X509_cmp(got, ca))
		ret = swauth_error_set(err, -ESTALE,
				       "the CA certificate changed since authentication: swpki authenticate %s again",
				       tp->name);
	sk_X509_pop_free(certs, X509_free);
	X509_free(got);
	X509_free(xs);
	X509_free(xe);
	if (out && !ret) {
		fputs("% Enrollment in progress...\n", out);
		fflush(out);
	}
	for (i = 0; !ret && i < k->n; i++) {
		e = (struct swpki_scep_enroll){
			.url = tp->url, .http = &h, .caps = &caps, .ca = ca,
			.ra_sign = ra_sign, .ra_encr = ra_encr, .key = k->key[i], .csr = reqs[i],
			.cipher = (enum swpki_scep_cipher)tp->scep_cipher,
			.accept_des = tp->scep_accept_des,
			.retry_period_s = tp->retry_period * 60, .retry_count = tp->retry_count,
			.pending = pending_note, .arg = &pend,
		};
		if (k->cert[i] && k->cur[i] && caps.renewal &&
		    EVP_PKEY_eq(X509_get0_pubkey(k->cert[i]), k->cur[i]) == 1) {
			e.renew_cert = k->cert[i];
			e.renew_key = k->cur[i];
			if (out)
				fputs("% Renewal request (RenewalReq) signed with the current certificate\n",
				      out);
		}
		cert = NULL;
		ret = swpki_scep_enroll(&e, &cert, err);
		if (!ret)
			ret = take_cert(s, tp, k, i, ca, cert, out, err);
		X509_free(cert);
	}
	X509_free(ca);
	X509_free(ra_sign);
	X509_free(ra_encr);
	return ret;
}

/**
 * swpki_enroll_by_profile() - enroll @k's pairs through @tp's enrollment
 * profile (E7, swpki_profile_enroll())
 * @io: the terminal for the profile's prompts and paste
 * @out: messages, or NULL
 *
 * Each certificate is checked and installed as SCEP's are.
 *
 * Return: 0 or -errno.
 */
int swpki_enroll_by_profile(struct swpki_store *s, const struct swpki_trustpoint *tp,
			    const struct swpki_enroll_keys *k, X509_REQ *const *reqs,
			    const struct swpki_profile_io *io, FILE *out, struct swauth_error *err)
{
	X509 *ca = NULL, *ra_sign = NULL, *ra_encr = NULL, *cert;
	unsigned int i;
	int ret;

	ret = stored_ca(s, tp, &ca, &ra_sign, &ra_encr, err);
	X509_free(ra_sign);
	X509_free(ra_encr);
	for (i = 0; !ret && i < k->n; i++) {
		cert = NULL;
		ret = swpki_profile_enroll(s, tp, reqs[i], &cert, io, err);
		if (!ret)
			ret = take_cert(s, tp, k, i, ca, cert, out, err);
		X509_free(cert);
	}
	X509_free(ca);
	return ret;
}

/**
 * swpki_enroll_file() - write the requests to BASE.req (E5.7)
 * @tp: `enrollment url tftp://host/BASE` ... [pem]
 * @k: the pairs: BASE.req, or BASE-sign.req and BASE-encr.req
 * @reqs: one per pair
 *
 * Return: 0 or -errno.
 */
int swpki_enroll_file(const struct swpki_trustpoint *tp, const struct swpki_enroll_keys *k,
		      X509_REQ *const *reqs, struct swauth_error *err)
{
	struct swauth_xfer_opts o;
	char url[SWPKI_TP_URL_MAX + 128];
	unsigned int i;
	int ret = 0;
	char *data;
	long len;
	BIO *bio;

	swpki_tp_xfer_opts(tp, &o);
	for (i = 0; !ret && i < k->n; i++) {
		ret = swpki_tp_file_url(tp, k->n == 1 ? ".req" : i == 0 ? "-sign.req" : "-encr.req",
					url, sizeof(url), err);
		if (ret)
			break;
		bio = BIO_new(BIO_s_mem());
		if (!bio || !swpki_req_write(bio, reqs[i], tp->pem)) {
			BIO_free(bio);
			return swauth_error_ossl(err, -ENOMEM, "encoding the request");
		}
		len = BIO_get_mem_data(bio, &data);
		ret = swauth_url_send(url, &o, data, (size_t)len, err);
		BIO_free(bio);
	}
	return ret;
}

/**
 * swpki_req_write() - a request as the terminal and BASE.req carry it
 * @pem: with the BEGIN/END CERTIFICATE REQUEST lines (`pem`); else bare
 *	 base64
 *
 * Return: 1 or 0 (OpenSSL's error queue).
 */
int swpki_req_write(BIO *bio, X509_REQ *req, bool pem)
{
	unsigned char *der = NULL;
	BIO *b64;
	int len, ok;

	if (pem)
		return PEM_write_bio_X509_REQ(bio, req);
	len = i2d_X509_REQ(req, &der);
	b64 = BIO_new(BIO_f_base64());
	if (len <= 0 || !b64) {
		OPENSSL_free(der);
		BIO_free(b64);
		return 0;
	}
	BIO_push(b64, bio);
	ok = BIO_write(b64, der, len) == len && BIO_flush(b64) == 1;
	BIO_pop(b64);
	BIO_free(b64);
	OPENSSL_free(der);
	return ok;
}

/**
 * swpki_tp_import_cert() - the certificate of a manual enrollment (E5.6, E5.7)
 * @s: the store
 * @tp: authenticated; the certificate's key must be one of its pairs
 *	(the one in use, or the new one waiting under the shadow label)
 * @x509: issued by @tp's CA, not older (notBefore) than the certificate
 *	installed in its role: a file server's BASE.crt may be a replay
 * @role: set to the role it took (by the key usage of its pair)
 * @out: messages, or NULL
 *
 * Return: 0, -EINVAL for a certificate refused, -ENOENT when the
 * trustpoint is not authenticated, -errno. Nothing stored unless 0.
 */
int swpki_tp_import_cert(struct swpki_store *s, const struct swpki_trustpoint *tp, X509 *x509,
			 enum swpki_cert_role *role, FILE *out, struct swauth_error *err)
{
	char label[SWPKI_LABEL_MAX + 1], shadow[SWPKI_LABEL_MAX + 1];
	X509 *ca = NULL, *ra_sign = NULL, *ra_encr = NULL, *cur = NULL;
	struct swauth_error e = { 0 };
	enum swpki_key_usage u[2];
	EVP_PKEY *pub = NULL;
	unsigned int i, nu;
	int ret;

	ret = swpki_tp_key_label(tp, label, shadow, err);
	if (!ret)
		ret = stored_ca(s, tp, &ca, &ra_sign, &ra_encr, err);
	X509_free(ra_sign);
	X509_free(ra_encr);
	if (ret)
		return ret;
	nu = tp_usages(tp, u);
	for (i = 0; i < nu; i++) {
		if (key_matches(s, shadow, u[i], x509) || key_matches(s, label, u[i], x509))
			break;
	}
	if (X509_get_extension_flags(x509) & EXFLAG_CA)
		ret = swauth_error_set(err, -EINVAL,
				       "a CA certificate, not the router's (refused; `authenticate` takes the CA's)");
	else if (X509_check_issued(ca, x509) != X509_V_OK)
		ret = swauth_error_set(err, -EINVAL,
				       "the certificate was not issued by trustpoint %s's CA (refused)",
				       tp->name);
	else if (X509_cmp_current_time(X509_get0_notAfter(x509)) <= 0)
		ret = swauth_error_set(err, -EINVAL, "the certificate has expired (refused)");
	else if (i == nu)
		ret = swauth_error_set(err, -EINVAL,
				       "the certificate's key is not one of trustpoint %s's key pairs (label %s): refused",
				       tp->name, label);
	else if ((cur = swpki_cert_load(s, tp->name, usage_role(u[i]), &e)) &&
		 ASN1_TIME_compare(X509_get0_notBefore(x509), X509_get0_notBefore(cur)) < 0)
		ret = swauth_error_set(err, -EINVAL,
				       "the certificate is older than the certificate installed (a replay? refused)");
	if (!ret) {
		pub = X509_get_pubkey(x509);
		ret = swpki_enroll_check_cert(x509, ca, pub, err);
	}
	if (!ret)
		ret = swpki_enroll_install(s, tp, x509, u[i], out, err);
	if (!ret)
		*role = usage_role(u[i]);
	ERR_clear_error();
	EVP_PKEY_free(pub);
	X509_free(cur);
	X509_free(ca);
	return ret;
}

/**
 * swpki_tp_fetch_cert() - BASE.crt (BASE-sign.crt, BASE-encr.crt) from @tp's
 * file URL (E5.7)
 * @usage: which: SWPKI_KEY_GENERAL, _SIGNATURE or _ENCRYPTION
 *
 * Return: 0 and *@x509, or -errno.
 */
int swpki_tp_fetch_cert(const struct swpki_trustpoint *tp, enum swpki_key_usage usage,
			X509 **x509, struct swauth_error *err)
{
	return fetch_file_cert(tp, usage == SWPKI_KEY_SIGNATURE ? "-sign.crt" :
			       usage == SWPKI_KEY_ENCRYPTION ? "-encr.crt" : ".crt", x509, err);
}

/**
 * swpki_selfsigned_holder() - the trustpoint holding the device's one
 * persistent self-signed certificate (E8.3)
 * @name: receives its name, "" when none
 *
 * Return: 0 or -errno.
 */
int swpki_selfsigned_holder(struct swpki_store *s, char *name, size_t size,
			    struct swauth_error *err)
{
	struct swpki_trustpoint tp;
	struct swpki_cert *v;
	char **names;
	size_t i, n, nc;
	int ret;

	name[0] = '\0';
	ret = swpki_tp_list(s, &names, &n, err);
	if (ret)
		return ret;
	for (i = 0; !ret && i < n && !name[0]; i++) {
		ret = swpki_tp_load(s, names[i], &tp, err);
		if (ret || tp.enroll != SWPKI_ENROLL_SELFSIGNED)
			continue;
		ret = swpki_cert_list(s, tp.name, SWPKI_CERT_ANY, &v, &nc, err);
		if (!ret && nc)
			snprintf(name, size, "%s", tp.name);
		if (!ret)
			swpki_cert_list_free(v, nc);
	}
	swpki_tp_list_free(names, n);
	return ret;
}

/**
 * swpki_selfsigned_enroll() - make and store @tp's self-signed certificate (E8)
 * @s: the store
 * @tp: `enrollment selfsigned`; subject-alt-name, hash
 * @k: its pair (general)
 * @a: the serial number and IP address answered
 * @fqdn: the device's FQDN
 *
 * The certificate replaces the one @tp had; the caller asked.
 *
 * Return: 0 or -errno.
 */
int swpki_selfsigned_enroll(struct swpki_store *s, const struct swpki_trustpoint *tp,
			    const struct swpki_enroll_keys *k, const struct swpki_enroll_answers *a,
			    const char *fqdn, struct swauth_error *err)
{
	struct swpki_req_params p = {
		.subject = tp->subject_name_set && tp->subject_name[0] ? tp->subject_name : NULL,
		.fqdn = tp->fqdn_none ? NULL : fqdn,
		.serial = a->serial[0] ? a->serial : NULL,
		.ip = a->ip[0] ? a->ip : NULL,
		.san = tp->subject_alt_name[0] ? tp->subject_alt_name : NULL,
		.hash = tp->hash[0] ? tp->hash : NULL,
		.usage = tp->usage,
	};
	char file[NAME_MAX + 1];
	X509 *x509 = NULL;
	int ret;

	ret = swpki_selfsigned_build(k->key[0], &p, (long)time(NULL), SWPKI_SELFSIGNED_DAYS,
				     &x509, err);
	if (!ret)
		ret = swpki_cert_add(s, tp->name, SWPKI_CERT_GENERAL, x509, err);
	if (!ret)
		ret = swpki_cert_find(s, tp->name, SWPKI_CERT_ANY, x509, file, err);
	if (!ret)
		ret = remove_role_but(s, tp->name, SWPKI_CERT_ANY, file, err);
	X509_free(x509);
	return ret;
}

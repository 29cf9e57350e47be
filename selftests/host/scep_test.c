// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/pki/scep.c, the SCEP client, against real peers and a test CA.
 *
 * Every test runs in a network namespace of its own (unshare(CLONE_NEWNET),
 * loopback up): Debian's scepserver (micromdm) binds every interface.
 *
 *   real_*      against scepserver, started by the test on port 8080 with
 *               a CA made by `scepserver ca -init` and challenge "secret";
 *               certmonger (its daemon on a private D-Bus session bus,
 *               getcert) enrolls against the same server.
 *   fake_*      against the test CA below, a forked child on 127.0.0.1:8081
 *               that answers with replies built with OpenSSL, for what
 *               scepserver cannot say: PENDING then a grant, a reply
 *               encrypted with DES or an unknown cipher, a wrong
 *               transactionID or nonce, a foreign signature, garbage, a
 *               wrong Content-Type, a reply too large, an RA, GetCRL.
 */

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/cms.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "lib/pki.h"

#include "kselftest_harness.h"
#include "netns.h"

#define REAL_URL "http://127.0.0.1:8080/scep"
/* No path: IOS's /cgi-bin/pkiclient.exe, which the test CA requires. */
#define FAKE_URL "http://127.0.0.1:8081"
#define CHALLENGE "secret"

static EVP_PKEY *rsa_key(void)
{
	return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
}

static X509_REQ *make_csr(EVP_PKEY *key, const char *cn, const char *challenge)
{
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = X509_REQ_get_subject_name(req);

	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	X509_REQ_set_pubkey(req, key);
	if (challenge)
		X509_REQ_add1_attr_by_NID(req, NID_pkcs9_challengePassword, MBSTRING_ASC,
					  (const unsigned char *)challenge, -1);
	X509_REQ_sign(req, key, EVP_sha256());
	return req;
}

static X509 *read_pem(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	return x;
}

static void write_pem(const char *path, X509 *x)
{
	FILE *f = fopen(path, "w");

	PEM_write_X509(f, x);
	fclose(f);
}

/* `openssl verify -CAfile CA CERT` says OK. */
static bool openssl_verifies(const char *dir, const char *ca, X509 *cert)
{
	char path[300], cmd[1000];

	snprintf(path, sizeof(path), "%s/issued.pem", dir);
	write_pem(path, cert);
	snprintf(cmd, sizeof(cmd), "openssl verify -CAfile %s %s >&2", ca, path);
	return system(cmd) == 0;
}

static pid_t spawn(char *const argv[], const char *log)
{
	pid_t pid = fork();
	int fd;

	if (pid == 0) {
		fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static void stop(pid_t pid)
{
	if (pid > 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

/* ---- against scepserver ---- */

FIXTURE(real) {
	char dir[64];
	char ca_pem[128];
	pid_t server;
	struct swpki_scep_caps caps;
	X509 *ca;
	EVP_PKEY *key;
};

FIXTURE_SETUP(real)
{
	char depot[128], log[128], cmd[400];
	char *argv[] = { "scepserver", "-depot", depot, "-port", "8080", "-challenge", CHALLENGE,
			 "-allowrenew", "0", NULL };

	self->server = -1;
	if (!netns_own())
		SKIP(return, "no network namespace (needs root)");
	if (system("command -v scepserver >/dev/null"))
		SKIP(return, "scepserver is not installed (Debian package scep)");
	snprintf(self->dir, sizeof(self->dir), "/tmp/scep_test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	snprintf(depot, sizeof(depot), "%s/depot", self->dir);
	snprintf(log, sizeof(log), "%s/scepserver.log", self->dir);
	snprintf(self->ca_pem, sizeof(self->ca_pem), "%s/ca.pem", depot);
	snprintf(cmd, sizeof(cmd), "cd %s && scepserver ca -init -keySize 2048 -depot %s >/dev/null",
		 self->dir, depot);
	ASSERT_EQ(0, system(cmd));
	self->server = spawn(argv, log);
	ASSERT_TRUE(netns_wait_port(8080));
	self->ca = read_pem(self->ca_pem);
	ASSERT_NE(NULL, self->ca);
	self->key = rsa_key();
	ASSERT_NE(NULL, self->key);
}

FIXTURE_TEARDOWN(real)
{
	char cmd[128];

	stop(self->server);
	X509_free(self->ca);
	EVP_PKEY_free(self->key);
	if (self->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
		system(cmd);
	}
}

static struct swpki_scep_enroll enroll_of(const struct swpki_scep_caps *caps, X509 *ca,
					    EVP_PKEY *key, X509_REQ *csr)
{
	return (struct swpki_scep_enroll){ .url = REAL_URL, .caps = caps, .ca = ca, .key = key,
					   .csr = csr, .accept_des = true, .retry_period_s = 1,
					   .retry_count = 2 };
}

TEST_F(real, getcacaps_getcacert)
{
	STACK_OF(X509) *certs;
	X509 *ca, *ra_sign, *ra_encr;
	struct swauth_error err = { 0 };

	ASSERT_EQ(0, swpki_scep_getcacaps(REAL_URL, NULL, &self->caps, &err)) TH_LOG("%s", err.msg);
	EXPECT_TRUE(self->caps.post);
	EXPECT_TRUE(self->caps.sha256);
	EXPECT_TRUE(self->caps.sha1);
	EXPECT_TRUE(self->caps.aes);
	EXPECT_TRUE(self->caps.des3);
	EXPECT_TRUE(self->caps.renewal);
	EXPECT_TRUE(self->caps.standard);
	EXPECT_FALSE(self->caps.next_ca);

	ASSERT_EQ(0, swpki_scep_getcacert(REAL_URL, NULL, "ca", &certs, &ca, &ra_sign, &ra_encr,
					  &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, sk_X509_num(certs));
	EXPECT_EQ(0, X509_cmp(ca, self->ca));
	EXPECT_EQ(NULL, ra_sign);
	EXPECT_EQ(NULL, ra_encr);
	sk_X509_pop_free(certs, X509_free);
	X509_free(ca);

	/* Nothing listens: a clear error. */
	EXPECT_EQ(-ECONNREFUSED, swpki_scep_getcacaps("http://127.0.0.1:8089/scep", NULL,
						      &self->caps, &err));
	EXPECT_NE(NULL, strstr(err.msg, "connection refused")) TH_LOG("%s", err.msg);
	/* A source interface that does not exist. */
	struct swpki_scep_http h = { .source_iface = "nosuch0" };

	EXPECT_EQ(-ENODEV, swpki_scep_getcacaps(REAL_URL, &h, &self->caps, &err));
	EXPECT_NE(NULL, strstr(err.msg, "source interface nosuch0: no such interface"))
		TH_LOG("%s", err.msg);
	h.source_iface = "lo";
	EXPECT_EQ(0, swpki_scep_getcacaps(REAL_URL, &h, &self->caps, &err)) TH_LOG("%s", err.msg);
	/*
	 * A VRF is bound with SO_BINDTODEVICE (this kernel has no VRF
	 * devices: a missing one, then loopback, show the binding).
	 */
	h.source_iface = NULL;
	h.vrf = "novrf0";
	EXPECT_EQ(-ENODEV, swpki_scep_getcacaps(REAL_URL, &h, &self->caps, &err));
	EXPECT_NE(NULL, strstr(err.msg, "vrf novrf0: no such device")) TH_LOG("%s", err.msg);
	h.vrf = "lo";
	EXPECT_EQ(0, swpki_scep_getcacaps(REAL_URL, &h, &self->caps, &err)) TH_LOG("%s", err.msg);
}

/*
 * Enrollment with each cipher, by POST and by GET; the certificate verifies
 * and is ours. scepserver 2.1 always answers with DES-CBC: taken through
 * the legacy provider when asked for (accept_des, or cipher DES).
 */
TEST_F(real, enroll)
{
	static const enum swpki_scep_cipher ciphers[] = { SWPKI_SCEP_AES256, SWPKI_SCEP_AES128,
							  SWPKI_SCEP_DES3, SWPKI_SCEP_DES };
	struct swauth_error err = { 0 };
	struct swpki_scep_caps caps;
	unsigned int i, get;

	ASSERT_EQ(0, swpki_scep_getcacaps(REAL_URL, NULL, &self->caps, &err));
	for (get = 0; get < 2; get++) {
		caps = self->caps;
		caps.post = !get;
		for (i = 0; i < sizeof(ciphers) / sizeof(ciphers[0]); i++) {
			EVP_PKEY *key = rsa_key();
			X509_REQ *csr = make_csr(key, "router.example.com", CHALLENGE);
			struct swpki_scep_enroll e = enroll_of(&caps, self->ca, key, csr);
			X509 *cert = NULL;

			e.cipher = ciphers[i];
			ASSERT_EQ(0, swpki_scep_enroll(&e, &cert, &err))
				TH_LOG("cipher %u, %s: %s", i, get ? "GET" : "POST", err.msg);
			EXPECT_EQ(1, EVP_PKEY_eq(X509_get0_pubkey(cert), key));
			EXPECT_EQ(1, X509_verify(cert, X509_get0_pubkey(self->ca)));
			EXPECT_TRUE(openssl_verifies(self->dir, self->ca_pem, cert));
			X509_free(cert);
			X509_REQ_free(csr);
			EVP_PKEY_free(key);
		}
	}
}

/* A DES reply to a request that did not ask for DES is refused. */
TEST_F(real, des_reply_refused)
{
	X509_REQ *csr = make_csr(self->key, "router.example.com", CHALLENGE);
	struct swpki_scep_enroll e = enroll_of(NULL, self->ca, self->key, csr);
	struct swauth_error err = { 0 };
	X509 *cert = NULL;

	e.accept_des = false;
	EXPECT_EQ(-ENOPROTOOPT, swpki_scep_enroll(&e, &cert, &err));
	EXPECT_EQ(NULL, cert);
	EXPECT_NE(NULL, strstr(err.msg, "encrypted with DES-CBC, which is taken only when asked"))
		TH_LOG("%s", err.msg);
	X509_REQ_free(csr);
}

TEST_F(real, wrong_challenge)
{
	X509_REQ *csr = make_csr(self->key, "router.example.com", "wrong");
	struct swpki_scep_enroll e = enroll_of(NULL, self->ca, self->key, csr);
	struct swauth_error err = { 0 };
	X509 *cert = NULL;

	ASSERT_EQ(0, swpki_scep_getcacaps(REAL_URL, NULL, &self->caps, &err));
	e.caps = &self->caps;
	EXPECT_EQ(-EACCES, swpki_scep_enroll(&e, &cert, &err));
	EXPECT_EQ(NULL, cert);
	EXPECT_NE(NULL, strstr(err.msg, "the CA refused the request")) TH_LOG("%s", err.msg);
	fprintf(stderr, "# wrong challenge: %s\n", err.msg);
	X509_REQ_free(csr);
}

/* RenewalReq signed with the current certificate: a new certificate for a new key. */
TEST_F(real, renewal)
{
	X509_REQ *csr = make_csr(self->key, "router.example.com", CHALLENGE);
	struct swpki_scep_enroll e = enroll_of(NULL, self->ca, self->key, csr);
	struct swauth_error err = { 0 };
	EVP_PKEY *key2 = rsa_key();
	X509_REQ *csr2 = make_csr(key2, "router.example.com", CHALLENGE);
	X509 *cert = NULL, *cert2 = NULL;

	ASSERT_EQ(0, swpki_scep_getcacaps(REAL_URL, NULL, &self->caps, &err));
	e.caps = &self->caps;
	ASSERT_EQ(0, swpki_scep_enroll(&e, &cert, &err)) TH_LOG("%s", err.msg);
	e.key = key2;
	e.csr = csr2;
	e.renew_cert = cert;
	e.renew_key = self->key;
	ASSERT_EQ(0, swpki_scep_enroll(&e, &cert2, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, EVP_PKEY_eq(X509_get0_pubkey(cert2), key2));
	EXPECT_NE(0, ASN1_INTEGER_cmp(X509_get0_serialNumber(cert), X509_get0_serialNumber(cert2)));
	EXPECT_TRUE(openssl_verifies(self->dir, self->ca_pem, cert2));
	/* A CA that does not offer Renewal is not sent one. */
	self->caps.renewal = false;
	X509_free(cert2);
	cert2 = NULL;
	EXPECT_EQ(-EOPNOTSUPP, swpki_scep_enroll(&e, &cert2, &err));
	EXPECT_EQ(NULL, cert2);
	X509_free(cert);
	X509_REQ_free(csr);
	X509_REQ_free(csr2);
	EVP_PKEY_free(key2);
}

/*
 * certmonger, a second SCEP client, against the same scepserver: its daemon
 * on a private D-Bus session bus, its state in the test's directory. The
 * CA issues its certificate; certmonger 0.79 cannot open scepserver's
 * DES-CBC reply under OpenSSL 3 (no legacy provider: "unsupported"), so
 * when it has not written the certificate, the test takes it from
 * scepserver's depot. Then this client enrolls with the same CA: both
 * certificates verify against the one CA certificate.
 */
static const char certmonger_script[] =
	"set -eu\n"
	"cd \"$1\"\n"
	"mkdir -p cm/cas cm/requests cm/local cm/tmp home\n"
	"export HOME=\"$1/home\" CERTMONGER_CAS_DIR=\"$1/cm/cas\" CERTMONGER_REQUESTS_DIR=\"$1/cm/requests\"\n"
	"export CERTMONGER_LOCAL_CA_DIR=\"$1/cm/local\" CERTMONGER_TMPDIR=\"$1/cm/tmp\" CERTMONGER_CONFIG_DIR=\"$1/cm\"\n"
	"cat > cm/request.sh <<EOS\n"
	"getcert add-scep-ca -s -c swauth -u " REAL_URL " -r $1/depot/ca.pem -N $1/depot/ca.pem\n"
	"getcert request -s -c swauth -f $1/cm.crt -k $1/cm.key -L " CHALLENGE
	" -N CN=certmonger.example.com -w || true\n"
	"getcert list -s\n"
	"EOS\n"
	"dbus-run-session -- certmonger -s -n -d 2 -c \"sh $1/cm/request.sh\" > cm.log 2>&1 || true\n"
	"if [ -s cm.crt ]; then issued=cm.crt; else\n"
	"  echo '# certmonger did not store its certificate:' >&2\n"
	"  grep -m 3 'error:' cm.log | sed 's/^/# /' >&2 || true\n"
	"  issued=$(ls depot/certmonger.example.com.*.pem)\n"
	"fi\n"
	"openssl verify -CAfile depot/ca.pem \"$issued\" >&2\n"
	"a=$(openssl x509 -in \"$issued\" -noout -pubkey | openssl sha256)\n"
	"b=$(openssl pkey -in cm.key -pubout | openssl sha256)\n"
	"test \"$a\" = \"$b\"\n";

TEST_F(real, certmonger)
{
	X509_REQ *csr = make_csr(self->key, "router.example.com", CHALLENGE);
	struct swpki_scep_enroll e = enroll_of(NULL, self->ca, self->key, csr);
	struct swauth_error err = { 0 };
	char path[128], cmd[300];
	X509 *cert = NULL;
	FILE *f;

	if (system("command -v certmonger && command -v getcert && command -v dbus-run-session "
		   ">/dev/null") != 0)
		SKIP(return, "certmonger or dbus-run-session is not installed");
	snprintf(path, sizeof(path), "%s/certmonger.sh", self->dir);
	f = fopen(path, "w");
	ASSERT_NE(NULL, f);
	fputs(certmonger_script, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "sh %s %s >&2", path, self->dir);
	ASSERT_EQ(0, system(cmd));

	ASSERT_EQ(0, swpki_scep_getcacaps(REAL_URL, NULL, &self->caps, &err));
	e.caps = &self->caps;
	ASSERT_EQ(0, swpki_scep_enroll(&e, &cert, &err)) TH_LOG("%s", err.msg);
	EXPECT_TRUE(openssl_verifies(self->dir, self->ca_pem, cert));
	X509_free(cert);
	X509_REQ_free(csr);
}

/* ---- against the test CA ---- */

enum fake_mode {
	FAKE_GOOD,
	FAKE_PENDING,		/* PENDING twice, then the certificate */
	FAKE_DES,		/* the reply's envelope in DES-CBC */
	FAKE_UNKNOWN_CIPHER,	/* ... in Camellia-256-CBC */
	FAKE_BAD_TXID,
	FAKE_BAD_NONCE,
	FAKE_BAD_SIG,		/* signed by another key and certificate */
	FAKE_GARBAGE,
	FAKE_WRONG_TYPE,	/* Content-Type: text/html */
	FAKE_TOO_LARGE,
	FAKE_FAILURE,		/* FAILURE, badTime */
	FAKE_WRONG_KEY,		/* a certificate for another key */
	FAKE_RA,		/* an RA signs and decrypts */
	FAKE_RA_NO_USAGE,	/* the RA certificate lacks keyEncipherment */
	FAKE_FOREIGN_CRL,	/* a CRL signed by another key */
	FAKE_REDIRECT,		/* 302 to scepserver's port */
	FAKE_SILENT,		/* never answers a PKIOperation */
};

struct fake {
	enum fake_mode mode;
	X509 *ca, *ra, *other;
	EVP_PKEY *ca_key, *ra_key, *other_key;
	X509_REQ *csr;		/* the last request, for polls */
	EVP_PKEY *key;		/* the client's key ... */
	X509_REQ *req;		/* ... and its request */
	unsigned int operations;
	pid_t pid;
	int fd;
};

static X509 *make_cert(X509 *issuer, EVP_PKEY *issuer_key, const X509_NAME *subject,
		       EVP_PKEY *pub, const char *bc, const char *ku)
{
	X509 *x = X509_new();
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	unsigned char serial[8];
	BIGNUM *bn;

	RAND_bytes(serial, sizeof(serial));
	serial[0] &= 0x7f;
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x));
	BN_free(bn);
	X509_set_version(x, X509_VERSION_3);
	X509_set_subject_name(x, subject);
	X509_set_issuer_name(x, issuer ? X509_get_subject_name(issuer) : subject);
	X509_gmtime_adj(X509_getm_notBefore(x), -60);
	X509_gmtime_adj(X509_getm_notAfter(x), 24 * 3600);
	X509_set_pubkey(x, pub);
	X509V3_set_ctx(&ctx, issuer ? issuer : x, x, NULL, NULL, 0);
	if (bc) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_basic_constraints, bc);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	if (ku) {
		ext = X509V3_EXT_conf_nid(NULL, &ctx, NID_key_usage, ku);
		X509_add_ext(x, ext, -1);
		X509_EXTENSION_free(ext);
	}
	X509_sign(x, issuer_key, EVP_sha256());
	return x;
}

static X509 *make_named(X509 *issuer, EVP_PKEY *issuer_key, const char *cn, EVP_PKEY *pub,
			const char *bc, const char *ku)
{
	X509_NAME *name = X509_NAME_new();
	X509 *x;

	X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1, -1, 0);
	x = make_cert(issuer, issuer_key, name, pub, bc, ku);
	X509_NAME_free(name);
	return x;
}

/* A certificates-only PKCS#7 (DER) of @cert and @crl (either may be NULL). */
static unsigned char *degenerate_der(X509 *cert, X509 *cert2, X509_CRL *crl, size_t *len)
{
	PKCS7 *p7 = PKCS7_new();
	unsigned char *der = NULL;
	int n;

	PKCS7_set_type(p7, NID_pkcs7_signed);
	PKCS7_content_new(p7, NID_pkcs7_data);
	if (cert)
		PKCS7_add_certificate(p7, cert);
	if (cert2)
		PKCS7_add_certificate(p7, cert2);
	if (crl)
		PKCS7_add_crl(p7, crl);
	n = i2d_PKCS7(p7, &der);
	PKCS7_free(p7);
	*len = n > 0 ? (size_t)n : 0;
	return der;
}

static void send_reply(int fd, const char *type, const void *body, size_t len)
{
	char hdr[256];
	int n = snprintf(hdr, sizeof(hdr),
			 "HTTP/1.1 200 OK\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
			 type, len);

	if (write(fd, hdr, (size_t)n) < 0 || write(fd, body, len) < 0)
		return;
}

/* The envelope of the reply, to @to, in the mode's cipher. */
static unsigned char *seal_reply(struct fake *f, const unsigned char *data, size_t len, X509 *to,
				 size_t *out_len)
{
	struct swauth_error err;
	unsigned char *der = NULL;
	STACK_OF(X509) *recips;
	CMS_ContentInfo *cms;
	BIO *in;
	int n;

	if (f->mode != FAKE_UNKNOWN_CIPHER) {
		swpki_scep_seal(data, len, to, f->mode == FAKE_DES ? SWPKI_SCEP_DES :
				SWPKI_SCEP_AES256, &der, out_len, &err);
		return der;
	}
	recips = sk_X509_new_null();
	sk_X509_push(recips, to);
	in = BIO_new_mem_buf(data, (int)len);
	cms = CMS_encrypt(recips, in, EVP_camellia_256_cbc(), CMS_BINARY);
	n = i2d_CMS_ContentInfo(cms, &der);
	*out_len = n > 0 ? (size_t)n : 0;
	CMS_ContentInfo_free(cms);
	BIO_free(in);
	sk_X509_free(recips);
	return der;
}

static void answer_pki(struct fake *f, int fd, const unsigned char *body, size_t len)
{
	bool ra = f->mode == FAKE_RA;
	X509 *me = ra ? f->ra : f->ca, *signer = NULL, *issued = NULL;
	EVP_PKEY *my_key = ra ? f->ra_key : f->ca_key;
	struct swpki_scep_msg req, rep = { .type = SWPKI_SCEP_CERTREP, .fail_info = -1,
					   .has_sender_nonce = true, .has_recipient_nonce = true };
	unsigned char *inner = NULL, *deg = NULL, *der = NULL;
	const unsigned char *p;
	size_t inner_len, deg_len, der_len;
	struct swauth_error err;
	X509_CRL *crl = NULL;

	if (swpki_scep_msg_parse(body, len, NULL, &signer, &req, &err) ||
	    swpki_scep_open(req.content, req.content_len, me, my_key, true, &inner, &inner_len,
			    &err)) {
		fprintf(stderr, "# test CA: %s\n", err.msg);
		goto out;
	}
	if (req.type == SWPKI_SCEP_PKCSREQ || req.type == SWPKI_SCEP_RENEWALREQ) {
		p = inner;
		X509_REQ_free(f->csr);
		f->csr = d2i_X509_REQ(NULL, &p, (long)inner_len);
	}
	memcpy(rep.txid, req.txid, sizeof(rep.txid));
	memcpy(rep.recipient_nonce, req.sender_nonce, SWPKI_SCEP_NONCE_LEN);
	RAND_bytes(rep.sender_nonce, SWPKI_SCEP_NONCE_LEN);
	rep.status = SWPKI_SCEP_SUCCESS;
	if (f->mode == FAKE_PENDING && ++f->operations < 3) {
		rep.status = SWPKI_SCEP_PENDING;
	} else if (f->mode == FAKE_FAILURE) {
		rep.status = SWPKI_SCEP_FAILURE;
		rep.fail_info = SWPKI_SCEP_BADTIME;
	} else if (req.type == SWPKI_SCEP_GETCRL) {
		crl = X509_CRL_new();
		X509_CRL_set_version(crl, X509_CRL_VERSION_2);
		X509_CRL_set_issuer_name(crl, X509_get_subject_name(f->ca));
		X509_CRL_set1_lastUpdate(crl, X509_get0_notBefore(f->ca));
		X509_CRL_set1_nextUpdate(crl, X509_get0_notAfter(f->ca));
		X509_CRL_sign(crl, f->mode == FAKE_FOREIGN_CRL ? f->other_key : f->ca_key,
			      EVP_sha256());
		deg = degenerate_der(NULL, NULL, crl, &deg_len);
	} else {
		issued = make_cert(f->ca, f->ca_key, X509_REQ_get_subject_name(f->csr),
				   f->mode == FAKE_WRONG_KEY ? f->other_key :
				   X509_REQ_get0_pubkey(f->csr), NULL, "digitalSignature");
		deg = degenerate_der(issued, f->ca, NULL, &deg_len);
	}
	if (deg) {
		rep.content = seal_reply(f, deg, deg_len, signer, &rep.content_len);
	}
	if (f->mode == FAKE_BAD_TXID)
		snprintf(rep.txid, sizeof(rep.txid), "0123456789ABCDEF");
	if (f->mode == FAKE_BAD_NONCE)
		rep.recipient_nonce[0] ^= 1;
	if (f->mode == FAKE_BAD_SIG)
		swpki_scep_msg_build(&rep, f->other, f->other_key, EVP_sha256(), &der, &der_len, &err);
	else
		swpki_scep_msg_build(&rep, me, my_key, EVP_sha256(), &der, &der_len, &err);
	send_reply(fd, f->mode == FAKE_WRONG_TYPE ? "text/html" : "application/x-pki-message", der,
		   der_len);
out:
	OPENSSL_free(der);
	OPENSSL_free(rep.content);
	OPENSSL_free(deg);
	OPENSSL_free(inner);
	swpki_scep_msg_free(&req);
	X509_free(signer);
	X509_free(issued);
	X509_CRL_free(crl);
}

/* One request: read it, answer it. */
static void serve_one(struct fake *f, int fd)
{
	static char buf[SWPKI_SCEP_REPLY_MAX + 4096];
	size_t len = 0, body_len = 0;
	char *end = NULL, *cl;
	unsigned char *der;
	ssize_t n;

	while (len < sizeof(buf) - 1 && (!end || len < (size_t)(end - buf) + 4 + body_len)) {
		n = read(fd, buf + len, sizeof(buf) - 1 - len);
		if (n <= 0)
			return;
		len += (size_t)n;
		buf[len] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n"))) {
			cl = strcasestr(buf, "Content-Length:");
			body_len = cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0;
		}
	}
	if (!end)
		return;
	if (strncmp(strchr(buf, ' ') + 1, "/cgi-bin/pkiclient.exe?operation=", 33)) {
		dprintf(fd, "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
	} else if (strstr(buf, "operation=GetCACaps")) {
		send_reply(fd, "text/plain; charset=us-ascii", "POSTPKIOperation\nSHA-256\nAES\nRenewal\n",
			   37);
	} else if (strstr(buf, "operation=GetCACert")) {
		if (f->mode == FAKE_RA || f->mode == FAKE_RA_NO_USAGE) {
			der = degenerate_der(f->ra, f->ca, NULL, &len);
			send_reply(fd, "application/x-x509-ca-ra-cert", der, len);
		} else {
			der = NULL;
			n = i2d_X509(f->ca, &der);
			send_reply(fd, "application/x-x509-ca-cert", der, (size_t)n);
		}
		OPENSSL_free(der);
	} else if (f->mode == FAKE_REDIRECT) {
		dprintf(fd, "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:8080/scep\r\n"
			"Content-Length: 0\r\n\r\n");
	} else if (f->mode == FAKE_SILENT) {
		pause();
	} else if (f->mode == FAKE_GARBAGE) {
		send_reply(fd, "application/x-pki-message", "this is no pkiMessage", 21);
	} else if (f->mode == FAKE_TOO_LARGE) {
		memset(buf, 0, sizeof(buf));
		send_reply(fd, "application/x-pki-message", buf, sizeof(buf));
	} else {
		answer_pki(f, fd, (unsigned char *)end + 4, body_len);
	}
}

/* The test CA, in a child process on 127.0.0.1:8081. */
static void fake_start(struct fake *f, enum fake_mode mode)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons(8081) };
	int one = 1, c;

	f->mode = mode;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->fd = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(f->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(f->fd, (struct sockaddr *)&sin, sizeof(sin)) || listen(f->fd, 8))
		return;
	f->pid = fork();
	if (f->pid)
		return;
	for (;;) {
		c = accept(f->fd, NULL, NULL);
		if (c < 0)
			continue;
		serve_one(f, c);
		close(c);
	}
}

/* The test CA and a client's key and request, in a namespace of their own. */
static bool fake_init(struct fake *f)
{
	memset(f, 0, sizeof(*f));
	f->pid = -1;
	f->fd = -1;
	if (!netns_own())
		return false;
	f->key = rsa_key();
	f->req = make_csr(f->key, "router.example.com", CHALLENGE);
	f->ca_key = rsa_key();
	f->ra_key = rsa_key();
	f->other_key = rsa_key();
	f->ca = make_named(NULL, f->ca_key, "swauth test CA", f->ca_key, "critical,CA:TRUE",
			   "keyCertSign,cRLSign,digitalSignature,keyEncipherment");
	f->other = make_named(NULL, f->other_key, "swauth test CA", f->other_key,
			      "critical,CA:TRUE", NULL);
	return true;
}

static void fake_free(struct fake *f)
{
	stop(f->pid);
	if (f->fd >= 0)
		close(f->fd);
	X509_free(f->ca);
	X509_free(f->ra);
	X509_free(f->other);
	EVP_PKEY_free(f->ca_key);
	EVP_PKEY_free(f->ra_key);
	EVP_PKEY_free(f->other_key);
	X509_REQ_free(f->csr);
	EVP_PKEY_free(f->key);
	X509_REQ_free(f->req);
}

static struct swpki_scep_enroll fake_enroll(struct fake *f, EVP_PKEY *key, X509_REQ *csr)
{
	static const struct swpki_scep_caps caps = { .post = true, .sha256 = true, .aes = true,
						     .renewal = true };

	return (struct swpki_scep_enroll){ .url = FAKE_URL, .caps = &caps, .ca = f->ca,
					   .key = key, .csr = csr, .retry_period_s = 1,
					   .retry_count = 3 };
}

FIXTURE(fake) {
	struct fake f;
};

FIXTURE_SETUP(fake)
{
	if (!fake_init(&self->f))
		SKIP(return, "no network namespace (needs root)");
	ASSERT_NE(NULL, self->f.ca);
}

FIXTURE_TEARDOWN(fake)
{
	fake_free(&self->f);
}

static unsigned int pending_calls;

static void on_pending(void *arg, unsigned int n, unsigned int max)
{
	(void)arg;
	pending_calls++;
	fprintf(stderr, "# pending: poll %u of %u\n", n, max);
}

/* PENDING twice, then the certificate: two polls with the same transactionID. */
TEST_F(fake, pending_then_granted)
{
	struct swpki_scep_enroll e = fake_enroll(&self->f, self->f.key, self->f.req);
	struct swpki_scep_caps caps;
	struct swauth_error err = { 0 };
	X509 *cert = NULL;

	fake_start(&self->f, FAKE_PENDING);
	/* "text/plain; charset=us-ascii": the parameter is no other type. */
	ASSERT_EQ(0, swpki_scep_getcacaps(FAKE_URL, NULL, &caps, &err)) TH_LOG("%s", err.msg);
	EXPECT_TRUE(caps.post && caps.sha256 && caps.aes && caps.renewal);
	EXPECT_FALSE(caps.des3 || caps.sha1 || caps.standard);
	/* The default path is IOS's: another is not found. */
	EXPECT_EQ(-EIO, swpki_scep_getcacaps(FAKE_URL "/scep", NULL, &caps, &err));
	EXPECT_NE(NULL, strstr(err.msg, "HTTP status 404")) TH_LOG("%s", err.msg);
	e.pending = on_pending;
	ASSERT_EQ(0, swpki_scep_enroll(&e, &cert, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(2, pending_calls);
	EXPECT_EQ(1, EVP_PKEY_eq(X509_get0_pubkey(cert), self->f.key));
	EXPECT_EQ(1, X509_verify(cert, X509_get0_pubkey(self->f.ca)));
	X509_free(cert);
}

/* Still PENDING after the last poll: -EINPROGRESS, nothing returned. */
TEST_F(fake, pending_too_long)
{
	struct swpki_scep_enroll e = fake_enroll(&self->f, self->f.key, self->f.req);
	struct swauth_error err = { 0 };
	X509 *cert = NULL;

	fake_start(&self->f, FAKE_PENDING);
	e.retry_count = 1;
	EXPECT_EQ(-EINPROGRESS, swpki_scep_enroll(&e, &cert, &err));
	EXPECT_EQ(NULL, cert);
	EXPECT_NE(NULL, strstr(err.msg, "still pending after 1 polls")) TH_LOG("%s", err.msg);
}

/* A reply in DES-CBC: taken through the legacy provider when asked for. */
TEST_F(fake, des_reply)
{
	struct swpki_scep_enroll e = fake_enroll(&self->f, self->f.key, self->f.req);
	struct swauth_error err = { 0 };
	X509 *cert = NULL;

	fake_start(&self->f, FAKE_DES);
	EXPECT_EQ(-ENOPROTOOPT, swpki_scep_enroll(&e, &cert, &err));
	EXPECT_NE(NULL, strstr(err.msg, "DES-CBC")) TH_LOG("%s", err.msg);
	EXPECT_EQ(NULL, cert);
	e.cipher = SWPKI_SCEP_DES;
	ASSERT_EQ(0, swpki_scep_enroll(&e, &cert, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, EVP_PKEY_eq(X509_get0_pubkey(cert), self->f.key));
	X509_free(cert);
}

/* An RA: its certificates chosen by key usage; it signs and decrypts. */
TEST_F(fake, ra)
{
	struct swpki_scep_enroll e = fake_enroll(&self->f, self->f.key, self->f.req);
	struct swauth_error err = { 0 };
	STACK_OF(X509) *certs;
	X509 *ca, *ra_sign, *ra_encr, *cert = NULL;

	self->f.ra = make_named(self->f.ca, self->f.ca_key, "swauth test RA", self->f.ra_key,
				NULL, "digitalSignature,keyEncipherment");
	fake_start(&self->f, FAKE_RA);
	ASSERT_EQ(0, swpki_scep_getcacert(FAKE_URL, NULL, NULL, &certs, &ca, &ra_sign, &ra_encr,
					  &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(2, sk_X509_num(certs));
	EXPECT_EQ(0, X509_cmp(ca, self->f.ca));
	EXPECT_EQ(0, X509_cmp(ra_sign, self->f.ra));
	EXPECT_EQ(0, X509_cmp(ra_encr, self->f.ra));
	e.ra_sign = ra_sign;
	e.ra_encr = ra_encr;
	ASSERT_EQ(0, swpki_scep_enroll(&e, &cert, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, EVP_PKEY_eq(X509_get0_pubkey(cert), self->f.key));
	/* The CA's own certificate does not verify the RA's replies. */
	X509_free(cert);
	cert = NULL;
	e.ra_sign = NULL;
	EXPECT_EQ(-EBADMSG, swpki_scep_enroll(&e, &cert, &err));
	EXPECT_EQ(NULL, cert);
	sk_X509_pop_free(certs, X509_free);
	X509_free(ca);
	X509_free(ra_sign);
	X509_free(ra_encr);
}

/* An RA certificate without keyEncipherment is refused. */
TEST_F(fake, ra_without_key_usage)
{
	struct swauth_error err = { 0 };
	STACK_OF(X509) *certs;
	X509 *ca, *ra_sign, *ra_encr;

	self->f.ra = make_named(self->f.ca, self->f.ca_key, "swauth test RA", self->f.ra_key,
				NULL, "digitalSignature");
	fake_start(&self->f, FAKE_RA_NO_USAGE);
	EXPECT_EQ(-EKEYREJECTED, swpki_scep_getcacert(FAKE_URL, NULL, NULL, &certs, &ca, &ra_sign,
						      &ra_encr, &err));
	EXPECT_NE(NULL, strstr(err.msg, "lacks key usage keyEncipherment")) TH_LOG("%s", err.msg);
	EXPECT_EQ(NULL, certs);
	EXPECT_EQ(NULL, ca);
	EXPECT_EQ(NULL, ra_sign);
}

/* GetCRL with the issued certificate: the CRL, verified against the CA. */
TEST_F(fake, getcrl)
{
	struct swpki_scep_enroll e = fake_enroll(&self->f, self->f.key, self->f.req);
	struct swauth_error err = { 0 };
	X509_CRL *crl = NULL;
	X509 *cert = NULL;

	fake_start(&self->f, FAKE_GOOD);
	ASSERT_EQ(0, swpki_scep_enroll(&e, &cert, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, swpki_scep_getcrl(&e, cert, &crl, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(0, X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(self->f.ca)));
	X509_CRL_free(crl);
	crl = NULL;
	/* A CRL signed by another key is refused. */
	stop(self->f.pid);
	close(self->f.fd);
	fake_start(&self->f, FAKE_FOREIGN_CRL);
	EXPECT_EQ(-EBADMSG, swpki_scep_getcrl(&e, cert, &crl, &err));
	EXPECT_NE(NULL, strstr(err.msg, "the CRL is not signed by the CA")) TH_LOG("%s", err.msg);
	EXPECT_EQ(NULL, crl);
	X509_free(cert);
}

/* Each bad reply: refused with its own message, no certificate. */
FIXTURE(bad) {
	struct fake f;
};

FIXTURE_VARIANT(bad) {
	enum fake_mode mode;
	int code;
	const char *msg;
	unsigned int timeout_ms;
};

FIXTURE_VARIANT_ADD(bad, redirect) {
	.mode = FAKE_REDIRECT, .code = -EIO,
	.msg = "PKIOperation: HTTP status 302",
};

FIXTURE_VARIANT_ADD(bad, silent) {
	.mode = FAKE_SILENT, .code = -ETIMEDOUT,
	.msg = "no answer within 500 ms", .timeout_ms = 500,
};

FIXTURE_VARIANT_ADD(bad, wrong_txid) {
	.mode = FAKE_BAD_TXID, .code = -EPROTO,
	.msg = "transactionID is not ours (0123456789ABCDEF)",
};

FIXTURE_VARIANT_ADD(bad, wrong_nonce) {
	.mode = FAKE_BAD_NONCE, .code = -EPROTO,
	.msg = "recipientNonce is not our senderNonce",
};

FIXTURE_VARIANT_ADD(bad, bad_signature) {
	.mode = FAKE_BAD_SIG, .code = -EBADMSG,
	.msg = "not signed by the CA's (or RA's) signing certificate",
};

FIXTURE_VARIANT_ADD(bad, unknown_cipher) {
	.mode = FAKE_UNKNOWN_CIPHER, .code = -ENOPROTOOPT,
	.msg = "encrypted with an unknown algorithm (camellia-256-cbc)",
};

FIXTURE_VARIANT_ADD(bad, garbage) {
	.mode = FAKE_GARBAGE, .code = -EPROTO,
	.msg = "the reply is not a pkiMessage",
};

FIXTURE_VARIANT_ADD(bad, wrong_content_type) {
	.mode = FAKE_WRONG_TYPE, .code = -EPROTO,
	.msg = "Content-Type is \"text/html\", not application/x-pki-message",
};

FIXTURE_VARIANT_ADD(bad, too_large) {
	.mode = FAKE_TOO_LARGE, .code = -EPROTO,
	.msg = "the reply is longer than 262144 bytes",
};

FIXTURE_VARIANT_ADD(bad, failure) {
	.mode = FAKE_FAILURE, .code = -EACCES,
	.msg = "the CA refused the request: badTime",
};

FIXTURE_VARIANT_ADD(bad, not_our_key) {
	.mode = FAKE_WRONG_KEY, .code = -EPROTO,
	.msg = "holds no certificate for our key",
};

FIXTURE_SETUP(bad)
{
	if (!fake_init(&self->f))
		SKIP(return, "no network namespace (needs root)");
	fake_start(&self->f, variant->mode);
	ASSERT_LT(0, self->f.pid);
}

FIXTURE_TEARDOWN(bad)
{
	fake_free(&self->f);
}

TEST_F(bad, refused)
{
	struct swpki_scep_enroll e = fake_enroll(&self->f, self->f.key, self->f.req);
	struct swpki_scep_http h = { .timeout_ms = variant->timeout_ms };
	struct swauth_error err = { 0 };
	X509 *cert = NULL;

	e.http = &h;
	EXPECT_EQ(variant->code, swpki_scep_enroll(&e, &cert, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(NULL, cert);
	EXPECT_NE(NULL, strstr(err.msg, variant->msg)) TH_LOG("%s", err.msg);
	fprintf(stderr, "# %s\n", err.msg);
}

TEST_HARNESS_MAIN

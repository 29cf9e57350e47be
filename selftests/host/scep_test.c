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

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include "lib/pki.h"

#include "kselftest_harness.h"

#define REAL_URL "http://127.0.0.1:8080/scep"
#define FAKE_URL "http://127.0.0.1:8081/cgi-bin/pkiclient.exe"
#define CHALLENGE "secret"

/* A namespace of our own with loopback up; false when we may not. */
static bool own_netns(void)
{
	struct ifreq ifr = { 0 };
	int fd;
	bool ok;

	if (unshare(CLONE_NEWNET))
		return false;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "lo");
	ok = fd >= 0 && !ioctl(fd, SIOCGIFFLAGS, &ifr);
	ifr.ifr_flags |= IFF_UP;
	ok = ok && !ioctl(fd, SIOCSIFFLAGS, &ifr);
	if (fd >= 0)
		close(fd);
	return ok;
}

static bool wait_port(int port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int i, fd, ok;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (i = 0; i < 200; i++) {
		fd = socket(AF_INET, SOCK_STREAM, 0);
		ok = !connect(fd, (struct sockaddr *)&sin, sizeof(sin));
		close(fd);
		if (ok)
			return true;
		usleep(25000);
	}
	return false;
}

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
	if (!own_netns())
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
	ASSERT_TRUE(wait_port(8080));
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
	struct swpki_scep_http h = { .iface = "nosuch0" };

	EXPECT_EQ(-EHOSTUNREACH, swpki_scep_getcacaps(REAL_URL, &h, &self->caps, &err));
	TH_LOG("%s", err.msg);
	h.iface = "lo";
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

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/pki/profile.c, enrollment profiles (E7), against a CA that speaks
 * plain HTTP: selftests/host/profile-ca.py (python3's http.server, signing
 * with `openssl x509 -req`), started by each test on 127.0.0.1 in a
 * network namespace of its own, over HTTP (port 8081) and over HTTPS
 * requiring a client certificate (port 8443), stopped by PID. The CA
 * logs every request: the tests check what was substituted for $P1, $P2
 * and $REQ, and the client certificate's name.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "lib/pki.h"

#include "kselftest_harness.h"
#include "netns.h"

#define STUB "selftests/host/profile-ca.py"

static pid_t stub(const char *dir, const char *port, bool tls)
{
	char *argv[] = { "python3", STUB, (char *)port, (char *)dir, tls ? "--tls" : NULL, NULL };
	pid_t pid = fork();

	if (pid == 0) {
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

static int sh(const char *dir, const char *fmt, const char *arg)
{
	char cmd[2048], body[1800];

	snprintf(body, sizeof(body), fmt, arg);
	snprintf(cmd, sizeof(cmd), "cd %s && { %s; } >/dev/null 2>&1", dir, body);
	return system(cmd);
}

/* The CA's log: what it was sent. */
static char *ca_log(const char *dir)
{
	static char buf[16384];
	char path[256];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/log", dir);
	f = fopen(path, "r");
	n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	return buf;
}

FIXTURE(profile) {
	char dir[64], pki[96];
	pid_t http, https;
	struct swpki_store s;
	struct swpki_trustpoint tp;
	EVP_PKEY *key;
	X509_REQ *req;
	struct swauth_error err;
};

FIXTURE_SETUP(profile)
{
	struct swpki_req_params p = { .subject = "CN=router.example.com" };

	self->http = self->https = -1;
	self->s.dir_fd = -1;
	if (!netns_own())
		SKIP(return, "no network namespace (needs root)");
	snprintf(self->dir, sizeof(self->dir), "/tmp/pki_profile.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	ASSERT_EQ(0, sh(self->dir,
			"openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 30 -subj /CN=profile-ca -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign%s",
			""));
	ASSERT_EQ(0, sh(self->dir,
			"openssl crl2pkcs7 -nocrl -certfile ca.pem -outform DER -out ca.p7b%s",
			""));
	ASSERT_EQ(0, sh(self->dir,
			"openssl req -newkey rsa:2048 -nodes -keyout server.key -subj /CN=127.0.0.1 -out server.csr && printf 'subjectAltName=IP:127.0.0.1\\n' >san.ext && openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -set_serial 7 -days 30 -extfile san.ext -out server.pem%s",
			""));
	snprintf(self->pki, sizeof(self->pki), "%s/pki", self->dir);
	ASSERT_EQ(0, swpki_store_open(&self->s, self->pki, true, &self->err))
		TH_LOG("%s", self->err.msg);
	self->key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ASSERT_NE(NULL, self->key);
	ASSERT_EQ(0, swpki_req_build(self->key, &p, &self->req, &self->err))
		TH_LOG("%s", self->err.msg);
	swpki_tp_init(&self->tp, "TP");
	ASSERT_EQ(0, swpki_tp_apply(&self->tp, "enrollment profile E", &self->err));
	ASSERT_EQ(0, swpki_tp_save(&self->s, &self->tp, &self->err));
	self->http = stub(self->dir, "8081", false);
	self->https = stub(self->dir, "8443", true);
	ASSERT_TRUE(netns_wait_port(8081));
	ASSERT_TRUE(netns_wait_port(8443));
}

FIXTURE_TEARDOWN(profile)
{
	char cmd[128];

	stop(self->http);
	stop(self->https);
	swpki_store_close(&self->s);
	EVP_PKEY_free(self->key);
	X509_REQ_free(self->req);
	if (self->dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
		system(cmd);
	}
}

/* Profile E, from its sub-commands. */
static void set_profile(struct __test_metadata *_metadata, struct swpki_store *s,
			const char *const *lines)
{
	struct swauth_error err = { 0 };
	struct swpki_profile p;

	swpki_profile_init(&p, "E");
	for (; *lines; lines++)
		ASSERT_EQ(0, swpki_profile_apply(&p, *lines, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, swpki_profile_save(s, &p, &err)) TH_LOG("%s", err.msg);
}

/* Through profile E without a terminal; --yes for authentication. */
static int enroll(FIXTURE_DATA(profile) *self, X509 **cert)
{
	return swpki_profile_enroll(&self->s, &self->tp, self->req, cert, NULL, &self->err);
}

static int authenticate(FIXTURE_DATA(profile) *self)
{
	return swpki_profile_authenticate(&self->s, &self->tp, true, NULL, &self->err);
}

static bool is_ours(X509 *cert, EVP_PKEY *key)
{
	return cert && EVP_PKEY_eq(X509_get0_pubkey(cert), key) == 1;
}

TEST_F(profile, authenticate_der_and_pkcs7)
{
	static const char *const der[] = { "authentication url http://127.0.0.1:8081",
					    "authentication command GET /certs/cacert.der", NULL };
	static const char *const p7[] = { "authentication url http://127.0.0.1:8081/x",
					   "authentication command GET /certs/cacert.p7b", NULL };
	X509 *ca;

	set_profile(_metadata, &self->s, der);
	ASSERT_EQ(0, authenticate(self))
		TH_LOG("%s", self->err.msg);
	ca = swpki_cert_load(&self->s, "TP", SWPKI_CERT_CA, &self->err);
	EXPECT_NE(NULL, ca);
	X509_free(ca);
	EXPECT_NE(NULL, strstr(ca_log(self->dir), "GET /certs/cacert.der"));
	set_profile(_metadata, &self->s, p7);
	EXPECT_EQ(0, authenticate(self))
		TH_LOG("%s", self->err.msg);
	EXPECT_NE(NULL, strstr(ca_log(self->dir), "GET /certs/cacert.p7b"));
}

TEST_F(profile, authenticate_refusals)
{
	static const char *const garbage[] = { "authentication url http://127.0.0.1:8081",
						"authentication command GET /garbage", NULL };
	static const char *const html[] = { "authentication url http://127.0.0.1:8081",
					     "authentication command GET /html", NULL };
	static const char *const terminal[] = { "authentication terminal", NULL };
	X509 *ca;

	set_profile(_metadata, &self->s, garbage);
	EXPECT_EQ(-EBADMSG, authenticate(self));
	EXPECT_NE(NULL, strstr(self->err.msg, "is no certificate")) TH_LOG("%s", self->err.msg);
	set_profile(_metadata, &self->s, html);
	EXPECT_EQ(-EPROTO, authenticate(self));
	EXPECT_NE(NULL, strstr(self->err.msg, "HTML page")) TH_LOG("%s", self->err.msg);
	set_profile(_metadata, &self->s, terminal);
	EXPECT_EQ(-EACCES, authenticate(self));
	EXPECT_NE(NULL, strstr(self->err.msg, "no terminal")) TH_LOG("%s", self->err.msg);
	ca = swpki_cert_load(&self->s, "TP", SWPKI_CERT_CA, &self->err);
	EXPECT_EQ(NULL, ca);
	X509_free(ca);
}

TEST_F(profile, enroll_post_substituted)
{
	static const char *const lines[] = {
		"enrollment url http://127.0.0.1:8081/cgi",
		"enrollment command POST reference_number=$P2&authcode=$P1&retrievedAs=rawDER&pkcs10Request=$REQ",
		"parameter 1 value 4711-AB", "parameter 2 value 5001", NULL };
	unsigned char *der = NULL;
	char *b64, *esc, *log;
	X509 *cert = NULL;
	int len;

	set_profile(_metadata, &self->s, lines);
	ASSERT_EQ(0, enroll(self, &cert))
		TH_LOG("%s", self->err.msg);
	EXPECT_TRUE(is_ours(cert, self->key));
	X509_free(cert);
	/* $REQ: the request's DER in base64 on one line, URL-encoded (+, / and =). */
	len = i2d_X509_REQ(self->req, &der);
	b64 = malloc((size_t)len * 2 + 8);
	EVP_EncodeBlock((unsigned char *)b64, der, len);
	esc = malloc(strlen(b64) * 3 + 1);
	esc[0] = '\0';
	for (char *c = b64; *c; c++) {
		char one[4] = { *c };

		if (*c == '+' || *c == '/' || *c == '=')
			snprintf(one, sizeof(one), "%%%02X", *c);
		strcat(esc, one);
	}
	log = ca_log(self->dir);
	EXPECT_NE(NULL, strstr(log,
			       "POST /cgi reference_number=5001&authcode=4711-AB&retrievedAs=rawDER&pkcs10Request="))
		TH_LOG("%s", log);
	EXPECT_NE(NULL, strstr(log, esc)) TH_LOG("%s", log);
	free(esc);
	free(b64);
	OPENSSL_free(der);
}

TEST_F(profile, enroll_pem_pkcs7_get_raw)
{
	static const char *const pem[] = {
		"enrollment url http://127.0.0.1:8081/cgi",
		"enrollment command POST reference_number=$P2&authcode=$P1&retrievedAs=PEM&pkcs10Request=$REQ",
		"parameter 1 value 4711-AB", "parameter 2 value 5001", NULL };
	static const char *const p7[] = {
		"enrollment url http://127.0.0.1:8081/cgi",
		"enrollment command POST reference_number=$P2&authcode=$P1&retrievedAs=PKCS7&pkcs10Request=$REQ",
		"parameter 1 value 4711-AB", "parameter 2 value 5001", NULL };
	static const char *const get[] = { "enrollment url http://127.0.0.1:8081/ignored",
					    "enrollment command GET /get?code=$P1&req=$REQ",
					    "parameter 1 value 4711-AB", NULL };
	static const char *const raw[] = { "enrollment url http://127.0.0.1:8081/raw", NULL };
	X509 *cert = NULL;

	ASSERT_EQ(0, swpki_tp_apply(&self->tp, "enrollment profile E pem", &self->err));
	set_profile(_metadata, &self->s, pem);
	ASSERT_EQ(0, enroll(self, &cert))
		TH_LOG("%s", self->err.msg);
	EXPECT_TRUE(is_ours(cert, self->key));
	EXPECT_NE(NULL, strstr(ca_log(self->dir),
			       "pkcs10Request=-----BEGIN%20CERTIFICATE%20REQUEST-----"))
		TH_LOG("%s", ca_log(self->dir));
	X509_free(cert);
	ASSERT_EQ(0, swpki_tp_apply(&self->tp, "enrollment profile E", &self->err));
	set_profile(_metadata, &self->s, p7);
	ASSERT_EQ(0, enroll(self, &cert))
		TH_LOG("%s", self->err.msg);
	EXPECT_TRUE(is_ours(cert, self->key));
	X509_free(cert);
	set_profile(_metadata, &self->s, get);
	ASSERT_EQ(0, enroll(self, &cert))
		TH_LOG("%s", self->err.msg);
	EXPECT_TRUE(is_ours(cert, self->key));
	EXPECT_NE(NULL, strstr(ca_log(self->dir),
			       "GET /get?code=4711-AB&req=")) TH_LOG("%s", ca_log(self->dir));
	X509_free(cert);
	set_profile(_metadata, &self->s, raw);
	ASSERT_EQ(0, enroll(self, &cert))
		TH_LOG("%s", self->err.msg);
	EXPECT_TRUE(is_ours(cert, self->key));
	EXPECT_NE(NULL, strstr(ca_log(self->dir),
			       "application/pkcs10>")) TH_LOG("%s", ca_log(self->dir));
	X509_free(cert);
}

TEST_F(profile, enroll_parameters)
{
	static const char *const wrong[] = {
		"enrollment url http://127.0.0.1:8081/cgi",
		"enrollment command POST reference_number=$P2&authcode=$P1&pkcs10Request=$REQ",
		"parameter 1 value 4711-XX", "parameter 2 value 5001", NULL };
	static const char *const unset[] = {
		"enrollment url http://127.0.0.1:8081/cgi",
		"enrollment command POST reference_number=$P3&authcode=$P1&pkcs10Request=$REQ",
		"parameter 1 value 4711-AB", NULL };
	static const char *const prompt[] = {
		"enrollment url http://127.0.0.1:8081/cgi",
		"enrollment command POST reference_number=$P2&authcode=$P1&pkcs10Request=$REQ",
		"parameter 1 prompt Enter the authorization code:", "parameter 2 value 5001", NULL };
	char in_text[] = "4711-AB\n", out_text[256] = "";
	struct swpki_profile_io io = { .interactive = true };
	X509 *cert = NULL;

	set_profile(_metadata, &self->s, wrong);
	EXPECT_EQ(-EIO, enroll(self, &cert));
	EXPECT_NE(NULL, strstr(self->err.msg, "HTTP status 403")) TH_LOG("%s", self->err.msg);
	EXPECT_NE(NULL, strstr(ca_log(self->dir), "authcode=4711-XX"));
	set_profile(_metadata, &self->s, unset);
	EXPECT_EQ(-EINVAL, enroll(self, &cert));
	EXPECT_NE(NULL, strstr(self->err.msg, "$P3 is used but parameter 3 is not configured"))
		TH_LOG("%s", self->err.msg);
	set_profile(_metadata, &self->s, prompt);
	EXPECT_EQ(-EACCES, enroll(self, &cert));
	EXPECT_NE(NULL, strstr(self->err.msg, "there is no terminal")) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(NULL, cert);
	io.in = fmemopen(in_text, strlen(in_text), "r");
	io.out = fmemopen(out_text, sizeof(out_text), "w");
	ASSERT_EQ(0, swpki_profile_enroll(&self->s, &self->tp, self->req, &cert, &io, &self->err))
		TH_LOG("%s", self->err.msg);
	fclose(io.in);
	fclose(io.out);
	EXPECT_TRUE(is_ours(cert, self->key));
	EXPECT_STREQ("Enter the authorization code: ", out_text);
	X509_free(cert);
}

TEST_F(profile, enroll_bad_replies)
{
	static const char *const html[] = { "enrollment url http://127.0.0.1:8081",
					     "enrollment command GET /html", NULL };
	static const char *const garbage[] = { "enrollment url http://127.0.0.1:8081",
						"enrollment command GET /garbage", NULL };
	static const char *const ca_only[] = { "enrollment url http://127.0.0.1:8081",
						"enrollment command GET /certs/cacert.der", NULL };
	X509 *cert = NULL;

	set_profile(_metadata, &self->s, html);
	EXPECT_EQ(-EPROTO, enroll(self, &cert));
	EXPECT_NE(NULL, strstr(self->err.msg, "HTML page")) TH_LOG("%s", self->err.msg);
	set_profile(_metadata, &self->s, garbage);
	EXPECT_EQ(-EBADMSG, enroll(self, &cert));
	set_profile(_metadata, &self->s, ca_only);
	EXPECT_EQ(-EBADMSG, enroll(self, &cert));
	EXPECT_NE(NULL, strstr(self->err.msg,
			       "no certificate of the request's key")) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(NULL, cert);
}

/* `enrollment credential CRED`: TLS client authentication with CRED's certificate and key. */
TEST_F(profile, enroll_credential)
{
	static const char *const lines[] = {
		"enrollment url https://127.0.0.1:8443/cgi",
		"enrollment command POST reference_number=$P2&authcode=$P1&pkcs10Request=$REQ",
		"parameter 1 value 4711-AB", "parameter 2 value 5001",
		"enrollment credential CRED", NULL };
	static const char *const none[] = {
		"enrollment url https://127.0.0.1:8443/cgi",
		"enrollment command POST reference_number=$P2&authcode=$P1&pkcs10Request=$REQ",
		"parameter 1 value 4711-AB", "parameter 2 value 5001", NULL };
	struct swpki_trustpoint cred;
	char path[128];
	X509 *ca, *cc, *cert = NULL;
	EVP_PKEY *ck;
	FILE *f;

	/* The CA's certificate as TP's (the server's issuer) and as CRED's. */
	snprintf(path, sizeof(path), "%s/ca.pem", self->dir);
	f = fopen(path, "r");
	ca = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ASSERT_EQ(0, swpki_cert_add(&self->s, "TP", SWPKI_CERT_CA, ca, &self->err));
	ASSERT_EQ(0, swpki_cert_add(&self->s, "CRED", SWPKI_CERT_CA, ca, &self->err));
	X509_free(ca);
	/* CRED: key "credkey" and a certificate of it from the CA. */
	ASSERT_EQ(0, sh(self->dir,
			"openssl req -newkey rsa:2048 -nodes -keyout cred.key -subj /CN=cred.example.com -out cred.csr && openssl x509 -req -in cred.csr -CA ca.pem -CAkey ca.key -set_serial 9 -days 30 -out cred.pem%s",
			""));
	snprintf(path, sizeof(path), "%s/cred.pem", self->dir);
	f = fopen(path, "r");
	cc = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	snprintf(path, sizeof(path), "%s/cred.key", self->dir);
	f = fopen(path, "r");
	ck = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	ASSERT_EQ(0, swpki_key_store(&self->s, "credkey", SWPKI_KEY_GENERAL, ck, false, &self->err))
		TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, swpki_cert_add(&self->s, "CRED", SWPKI_CERT_GENERAL, cc, &self->err));
	swpki_tp_init(&cred, "CRED");
	ASSERT_EQ(0, swpki_tp_apply(&cred, "rsakeypair credkey", &self->err));
	ASSERT_EQ(0, swpki_tp_save(&self->s, &cred, &self->err));
	X509_free(cc);
	EVP_PKEY_free(ck);

	set_profile(_metadata, &self->s, none);
	EXPECT_NE(0, enroll(self, &cert));
	TH_LOG("without a client certificate: %s", self->err.msg);
	EXPECT_EQ(NULL, cert);
	set_profile(_metadata, &self->s, lines);
	ASSERT_EQ(0, enroll(self, &cert))
		TH_LOG("%s", self->err.msg);
	EXPECT_TRUE(is_ours(cert, self->key));
	EXPECT_NE(NULL, strstr(ca_log(self->dir),
			       "client=cred.example.com")) TH_LOG("%s", ca_log(self->dir));
	X509_free(cert);
}

/* The same with the credential's key on a PKCS#11 token (softhsm2): swpki_key_load_any(). */
TEST_F(profile, enroll_credential_on_token)
{
	static const char *const lines[] = {
		"enrollment url https://127.0.0.1:8443/cgi",
		"enrollment command POST reference_number=$P2&authcode=$P1&pkcs10Request=$REQ",
		"parameter 1 value 4711-AB", "parameter 2 value 5001",
		"enrollment credential TOKCRED", NULL };
	struct swpki_req_params rp = { .subject = "CN=tokcred.example.com" };
	struct swpki_trustpoint cred;
	struct swpki_token *t = NULL;
	X509_REQ *csr = NULL;
	EVP_PKEY *tk = NULL;
	X509 *ca, *cc, *cert = NULL;
	char path[160];
	FILE *f;

	if (access("/usr/lib/softhsm/libsofthsm2.so", R_OK) ||
	    system("command -v softhsm2-util >/dev/null"))
		SKIP(return, "softhsm2 is not installed");
	snprintf(path, sizeof(path), "%s/softhsm2.conf", self->dir);
	f = fopen(path, "w");
	fprintf(f,
		"directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n", self->dir);
	fclose(f);
	setenv("SOFTHSM2_CONF", path, 1);
	ASSERT_EQ(0, sh(self->dir,
			"softhsm2-util --init-token --free --label eToken --pin 4711 --so-pin 99999%s", ""));
	snprintf(path, sizeof(path), "%s/pki.conf", self->pki);
	f = fopen(path, "w");
	fprintf(f, "token module /usr/lib/softhsm/libsofthsm2.so\n");
	fclose(f);
	ASSERT_EQ(0, swpki_token_open(&t, &self->s,
				      "eToken", &self->err)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, swpki_token_login(t, "4711", &self->err)) TH_LOG("%s", self->err.msg);
	ASSERT_EQ(0, swpki_token_remember_pin(t, "4711", &self->err)) TH_LOG("%s", self->err.msg);
	swpki_token_close(t);
	ASSERT_EQ(0, swpki_key_generate_on_token(&self->s, "eToken", "tokkey", EVP_PKEY_RSA, 2048,
						 &self->err)) TH_LOG("%s", self->err.msg);
	/* TOKCRED: the CA's certificate, and one for the token's key, signed on the token. */
	ASSERT_EQ(0, swpki_key_load_any(&self->s, "tokkey", SWPKI_KEY_GENERAL, &tk, &t, &self->err))
		TH_LOG("%s", self->err.msg);
	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, swpki_req_build(tk, &rp, &csr, &self->err)) TH_LOG("%s", self->err.msg);
	EVP_PKEY_free(tk);
	swpki_token_close(t);
	snprintf(path, sizeof(path), "%s/tok.csr", self->dir);
	f = fopen(path, "w");
	PEM_write_X509_REQ(f, csr);
	fclose(f);
	X509_REQ_free(csr);
	ASSERT_EQ(0, sh(self->dir,
			"openssl x509 -req -in tok.csr -CA ca.pem -CAkey ca.key -set_serial 11 -days 30 -out tok.pem%s", ""));
	snprintf(path, sizeof(path), "%s/tok.pem", self->dir);
	f = fopen(path, "r");
	cc = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	snprintf(path, sizeof(path), "%s/ca.pem", self->dir);
	f = fopen(path, "r");
	ca = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ASSERT_EQ(0, swpki_cert_add(&self->s, "TP", SWPKI_CERT_CA, ca, &self->err));
	ASSERT_EQ(0, swpki_cert_add(&self->s, "TOKCRED", SWPKI_CERT_GENERAL, cc, &self->err));
	X509_free(ca);
	X509_free(cc);
	swpki_tp_init(&cred, "TOKCRED");
	ASSERT_EQ(0, swpki_tp_apply(&cred, "rsakeypair tokkey", &self->err));
	ASSERT_EQ(0, swpki_tp_save(&self->s, &cred, &self->err));

	set_profile(_metadata, &self->s, lines);
	ASSERT_EQ(0, enroll(self, &cert))
		TH_LOG("%s", self->err.msg);
	EXPECT_TRUE(is_ours(cert, self->key));
	EXPECT_NE(NULL, strstr(ca_log(self->dir),
			       "client=tokcred.example.com")) TH_LOG("%s", ca_log(self->dir));
	X509_free(cert);
}

TEST_HARNESS_MAIN

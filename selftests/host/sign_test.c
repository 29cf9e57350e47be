// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The signer (userspace/lib/image/sign.c): images it makes parse with the shared
 * parser, carry the payload's digest and a signature OpenSSL verifies with
 * the certificate's key, for each hash and RSA 2048/4096; what it refuses
 * it refuses with -EINVAL and without leaving any file behind; system
 * failures leave nothing behind either, and an existing output untouched.
 * The keys are keyrings/dev's (make generates them; $SWAUTH_KEYS names
 * another directory).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "kmod/image.h"
#include "kselftest_harness.h"
#include "lib/image.h"

static const char *keys_dir(void)
{
	static char dir[PATH_MAX];
	const char *env = getenv("SWAUTH_KEYS");
	char self[PATH_MAX];
	ssize_t n;

	if (env && env[0])
		return env;
	if (dir[0])
		return dir;
	/* build/tests/host/sign.t -> keyrings/dev */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n < 0)
		return "keyrings/dev";
	self[n] = '\0';
	snprintf(dir, sizeof(dir), "%s/../../../keyrings/dev", dirname(self));
	return dir;
}

static void key_paths(const char *name, char *key, char *cert)
{
	snprintf(key, PATH_MAX, "%s/%s.key", keys_dir(), name);
	snprintf(cert, PATH_MAX, "%s/%s.crt", keys_dir(), name);
}

static int write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");
	int ret = 0;

	if (!f)
		return -errno;
	if (len && fwrite(buf, 1, len, f) != len)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -EIO;
	return ret;
}

/* Read a whole file into a malloc()ed buffer; 0 or -errno. */
static int read_file(const char *path, unsigned char **buf, size_t *len)
{
	struct stat st;
	int fd, ret = 0;
	ssize_t n;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out;
	}
	*len = (size_t)st.st_size;
	*buf = malloc(*len ? *len : 1);
	if (!*buf) {
		ret = -ENOMEM;
		goto out;
	}
	n = read(fd, *buf, *len);
	if (n < 0 || (size_t)n != *len)
		ret = -EIO;
out:
	close(fd);
	return ret;
}

/*
 * How many entries besides . and .. a directory holds; with @hidden, only
 * those whose name starts with a dot (the signer's temporary files).
 */
static int count_names(const char *dir, int hidden)
{
	struct dirent *d;
	DIR *dp = opendir(dir);
	int n = 0;

	if (!dp)
		return -1;
	while ((d = readdir(dp)))
		if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
		    (!hidden || d->d_name[0] == '.'))
			n++;
	closedir(dp);
	return n;
}

static int count_entries(const char *dir)
{
	return count_names(dir, 0);
}

static const EVP_MD *md_of(int hash)
{
	return hash == SWAUTH_HASH_SHA256 ? EVP_sha256() :
	       hash == SWAUTH_HASH_SHA384 ? EVP_sha384() : EVP_sha512();
}

/* Verify @image like a verifier would, with OpenSSL and @cert_path. */
static int check_image(struct __test_metadata *_metadata, const unsigned char *img,
		       size_t len, const char *cert_path, int hash,
		       const unsigned char *payload, size_t payload_len)
{
	struct swauth_image_header hdr;
	unsigned char digest[64];
	unsigned int dlen;
	EVP_MD_CTX *ctx;
	X509 *cert;
	FILE *f;
	int ok;

	if (swauth_image_parse(img, len, &hdr) != SWAUTH_VERDICT_OK ||
	    swauth_image_check_size(&hdr, len) != SWAUTH_VERDICT_OK)
		return -1;
	if (hdr.hash_algo != hash || hdr.payload_size != payload_len ||
	    memcmp(img + hdr.payload_offset, payload, payload_len))
		return -2;
	if (!EVP_Digest(payload, payload_len, digest, &dlen, md_of(hash), NULL) ||
	    dlen != hdr.digest_size || memcmp(digest, hdr.payload_digest, dlen))
		return -3;
	f = fopen(cert_path, "r");
	if (!f)
		return -4;
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!cert)
		return -4;
	if (EVP_PKEY_get_size(X509_get0_pubkey(cert)) != hdr.sig_size) {
		X509_free(cert);
		return -5;
	}
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, md_of(hash), NULL,
					 X509_get0_pubkey(cert)) == 1 &&
	     EVP_DigestVerify(ctx, img + hdr.manifest_size, hdr.sig_size,
			      img, hdr.manifest_size) == 1;
	EVP_MD_CTX_free(ctx);
	X509_free(cert);
	return ok ? 0 : -6;
}

FIXTURE(sign) {
	char dir[64];
	char payload[PATH_MAX];
	char key[PATH_MAX];
	char cert[PATH_MAX];
	unsigned char data[100003];
	struct swauth_sign_params p;
	struct swauth_error err;
};

FIXTURE_VARIANT(sign) {
	const char *keyname;
	int hash;
	int sig_size;
};

FIXTURE_VARIANT_ADD(sign, rsa2048_sha256) { "production-A", SWAUTH_HASH_SHA256, 256 };
FIXTURE_VARIANT_ADD(sign, rsa2048_sha384) { "production-A", SWAUTH_HASH_SHA384, 256 };
FIXTURE_VARIANT_ADD(sign, rsa2048_sha512) { "production-A", SWAUTH_HASH_SHA512, 256 };
FIXTURE_VARIANT_ADD(sign, rsa4096_sha256) { "production-C", SWAUTH_HASH_SHA256, 512 };
FIXTURE_VARIANT_ADD(sign, rsa4096_sha384) { "production-C", SWAUTH_HASH_SHA384, 512 };
FIXTURE_VARIANT_ADD(sign, rsa4096_sha512) { "production-C", SWAUTH_HASH_SHA512, 512 };

FIXTURE_SETUP(sign)
{
	size_t i;

	snprintf(self->dir, sizeof(self->dir), "/tmp/swauth-sign-test.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	key_paths(variant->keyname, self->key, self->cert);
	if (access(self->key, R_OK))
		SKIP(return, "no development keys: run make (keyrings/gen-dev-keys)");
	for (i = 0; i < sizeof(self->data); i++)
		self->data[i] = (unsigned char)(i * 7 + (i >> 8));
	snprintf(self->payload, sizeof(self->payload), "%s/payload.bin", self->dir);
	ASSERT_EQ(0, write_file(self->payload, self->data, sizeof(self->data)));
	swauth_sign_params_init(&self->p);
	self->p.key_path = self->key;
	self->p.cert_path = self->cert;
	self->p.image_type = SWAUTH_IMAGE_PRODUCTION;
	self->p.key_version = variant->keyname[strlen(variant->keyname) - 1];
	self->p.hash_algo = (uint8_t)variant->hash;
	self->p.build_time = 1767225600;
	swauth_error_clear(&self->err);
}

FIXTURE_TEARDOWN(sign)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

TEST_F(sign, round_trip_file)
{
	char out[PATH_MAX], expect[PATH_MAX];
	struct swauth_image_header hdr;
	unsigned char *img;
	size_t len;

	ASSERT_EQ(0, swauth_sign_file(&self->p, self->payload, self->dir, out,
				      sizeof(out), &self->err)) {
		TH_LOG("%s", self->err.msg);
	}
	/* -o DIR: the payload's name and the .SPA-style extension. */
	snprintf(expect, sizeof(expect), "%s/payload.bin.SP%c", self->dir,
		 self->p.key_version);
	ASSERT_STREQ(expect, out);
	ASSERT_EQ(0, read_file(out, &img, &len));
	EXPECT_EQ(0, check_image(_metadata, img, len, self->cert, variant->hash,
				 self->data, sizeof(self->data)));
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(img, len, &hdr));
	EXPECT_EQ(variant->sig_size, hdr.sig_size);
	EXPECT_EQ(SWAUTH_KEY_PRODUCTION, hdr.key_type);
	EXPECT_EQ(self->p.key_version, hdr.key_version);
	EXPECT_EQ(1767225600, hdr.build_time);
	EXPECT_STREQ("payload.bin", hdr.name);
	EXPECT_STREQ("", hdr.image_version);
	EXPECT_EQ(0, hdr.cert_size);
	free(img);
	/* Only the image is left: no temporary file. */
	EXPECT_EQ(2, count_entries(self->dir));
}

TEST_F(sign, round_trip_mem_with_bundle)
{
	char out[PATH_MAX], bundle[PATH_MAX], bkey[PATH_MAX];
	struct swauth_image_header hdr;
	unsigned char *img, *der = NULL;
	X509 *cert;
	FILE *f;
	size_t len;
	int der_len;

	key_paths("special-B", bkey, bundle);
	snprintf(out, sizeof(out), "%s/image", self->dir);
	self->p.name = "c3900-universalk9-mz";
	self->p.image_version = "15.5(3)M";
	self->p.platform = "C3900";
	self->p.bundle_cert_path = bundle;
	ASSERT_EQ(0, swauth_sign_mem(&self->p, self->data, 5000, out, &self->err)) {
		TH_LOG("%s", self->err.msg);
	}
	ASSERT_EQ(0, read_file(out, &img, &len));
	EXPECT_EQ(0, check_image(_metadata, img, len, self->cert, variant->hash,
				 self->data, 5000));
	ASSERT_EQ(SWAUTH_VERDICT_OK, swauth_image_parse(img, len, &hdr));
	EXPECT_STREQ("c3900-universalk9-mz", hdr.name);
	EXPECT_STREQ("15.5(3)M", hdr.image_version);
	EXPECT_STREQ("C3900", hdr.platform);
	/* The bundled certificate is the DER of the PEM given. */
	f = fopen(bundle, "r");
	ASSERT_NE(NULL, f);
	cert = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	ASSERT_NE(NULL, cert);
	der_len = i2d_X509(cert, &der);
	X509_free(cert);
	ASSERT_EQ(der_len, hdr.cert_size);
	EXPECT_EQ(0, memcmp(img + SWAUTH_IMAGE_HEADER_SIZE, der, der_len));
	OPENSSL_free(der);
	free(img);
}

TEST_F(sign, deterministic_and_overwrites)
{
	char out[PATH_MAX];
	unsigned char *a, *b;
	size_t alen, blen;

	snprintf(out, sizeof(out), "%s/image", self->dir);
	ASSERT_EQ(0, write_file(out, "old", 3));
	ASSERT_EQ(0, swauth_sign_file(&self->p, self->payload, out, NULL, 0, &self->err));
	ASSERT_EQ(0, read_file(out, &a, &alen));
	ASSERT_EQ(0, swauth_sign_file(&self->p, self->payload, out, NULL, 0, &self->err));
	ASSERT_EQ(0, read_file(out, &b, &blen));
	ASSERT_EQ(alen, blen);
	EXPECT_EQ(0, memcmp(a, b, alen));
	free(a);
	free(b);
}

TEST_F(sign, empty_payload)
{
	char out[PATH_MAX];
	unsigned char *img;
	size_t len;

	snprintf(out, sizeof(out), "%s/empty.img", self->dir);
	self->p.name = "empty";
	ASSERT_EQ(0, swauth_sign_mem(&self->p, "", 0, out, &self->err));
	ASSERT_EQ(0, read_file(out, &img, &len));
	EXPECT_EQ(SWAUTH_IMAGE_HEADER_SIZE + variant->sig_size, len);
	EXPECT_EQ(0, check_image(_metadata, img, len, self->cert, variant->hash,
				 (const unsigned char *)"", 0));
	free(img);
}

/*
 * Sign with @p into @self->dir/out over an existing "old" file and expect
 * @ret, the old file untouched and no other file.
 */
static void expect_refused(struct __test_metadata *_metadata,
			   FIXTURE_DATA(sign) *self, const char *payload,
			   int ret, const char *msg_part)
{
	char out[PATH_MAX];
	unsigned char *buf;
	size_t len;

	snprintf(out, sizeof(out), "%s/out", self->dir);
	ASSERT_EQ(0, write_file(out, "old", 3));
	swauth_error_clear(&self->err);
	EXPECT_EQ(ret, swauth_sign_file(&self->p, payload, out, NULL, 0, &self->err));
	if (msg_part) {
		EXPECT_NE(NULL, strstr(self->err.msg, msg_part)) {
			TH_LOG("message: %s", self->err.msg);
		}
	}
	ASSERT_EQ(0, read_file(out, &buf, &len));
	EXPECT_EQ(3, len);
	EXPECT_EQ(0, memcmp(buf, "old", 3));
	free(buf);
	/* No temporary file. */
	EXPECT_EQ(0, count_names(self->dir, 1));
	unlink(out);
}

TEST_F(sign, refuses_key_type_of_other_image_type)
{
	char key[PATH_MAX], cert[PATH_MAX];

	/* A special key for a production image. */
	key_paths("special-A", key, cert);
	self->p.key_path = key;
	self->p.cert_path = cert;
	self->p.key_version = 'A';
	expect_refused(_metadata, self, self->payload, -EINVAL, "special key cannot sign");
	/* A production key for a special image. */
	key_paths("production-A", key, cert);
	self->p.image_type = SWAUTH_IMAGE_SPECIAL;
	expect_refused(_metadata, self, self->payload, -EINVAL, "cannot sign");
	/* A production key for a revocation image. */
	self->p.image_type = SWAUTH_IMAGE_REVOCATION;
	expect_refused(_metadata, self, self->payload, -EINVAL, "cannot sign");
	/* The rollover key for a bootloader image. */
	key_paths("rollover", key, cert);
	self->p.image_type = SWAUTH_IMAGE_BOOTLOADER;
	expect_refused(_metadata, self, self->payload, -EINVAL, "rollover key cannot sign");
	/* ... but for a revocation image it is right. */
	self->p.image_type = SWAUTH_IMAGE_REVOCATION;
	EXPECT_EQ(0, swauth_sign_file(&self->p, self->payload, self->dir, NULL, 0,
				      &self->err));
}

TEST_F(sign, refuses_key_version_mismatch)
{
	self->p.key_version = self->p.key_version == 'A' ? 'B' : 'A';
	expect_refused(_metadata, self, self->payload, -EINVAL, "not key version");
}

TEST_F(sign, refuses_key_not_matching_cert)
{
	char key[PATH_MAX], cert[PATH_MAX];

	key_paths("production-B", key, cert);
	self->p.key_path = key;
	expect_refused(_metadata, self, self->payload, -EINVAL, "does not match");
}

TEST_F(sign, refuses_bad_strings)
{
	char s[80], img[PATH_MAX];

	memset(s, 'x', sizeof(s));
	s[64] = '\0';
	self->p.name = s;
	expect_refused(_metadata, self, self->payload, -EINVAL, "too long");
	s[63] = '\0';
	EXPECT_EQ(0, swauth_sign_file(&self->p, self->payload, self->dir, NULL, 0,
				      &self->err));
	snprintf(img, sizeof(img), "%s/%s.SP%c", self->dir, s, self->p.key_version);
	ASSERT_EQ(0, unlink(img));
	self->p.name = "";
	expect_refused(_metadata, self, self->payload, -EINVAL, "empty");
	self->p.name = "tab\there";
	expect_refused(_metadata, self, self->payload, -EINVAL, "non-printable");
	self->p.name = "caf\xc3\xa9";
	expect_refused(_metadata, self, self->payload, -EINVAL, "non-printable");
	self->p.name = "ok";
	s[32] = '\0';
	self->p.image_version = s;
	expect_refused(_metadata, self, self->payload, -EINVAL, "image version");
	self->p.image_version = NULL;
	self->p.platform = s;
	expect_refused(_metadata, self, self->payload, -EINVAL, "platform");
	self->p.platform = "x\n";
	expect_refused(_metadata, self, self->payload, -EINVAL, "non-printable");
}

TEST_F(sign, refuses_bad_bundle)
{
	char bad[PATH_MAX];

	snprintf(bad, sizeof(bad), "%s/garbage.crt", self->dir);
	ASSERT_EQ(0, write_file(bad, "-----BEGIN CERTIFICATE-----\nAAAA\n", 33));
	self->p.bundle_cert_path = bad;
	expect_refused(_metadata, self, self->payload, -EINVAL,
		       "not an X.509 certificate");
	/* A private key is no certificate either. */
	self->p.bundle_cert_path = self->key;
	expect_refused(_metadata, self, self->payload, -EINVAL,
		       "not an X.509 certificate");
}

TEST_F(sign, refuses_bad_keys)
{
	char key[PATH_MAX], cert[PATH_MAX], cmd[PATH_MAX * 2 + 256];

	/* RSA 1024 and an EC key, with certificates that follow the CN rule. */
	snprintf(key, sizeof(key), "%s/k.key", self->dir);
	snprintf(cert, sizeof(cert), "%s/k.crt", self->dir);
	self->p.key_path = key;
	self->p.cert_path = cert;
	self->p.key_version = 'A';
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey rsa:1024 -nodes -keyout '%s' -out '%s' "
		 "-subj '/O=swauth/CN=swauth production key A' -days 1 "
		 ">/dev/null 2>&1", key, cert);
	ASSERT_EQ(0, system(cmd));
	expect_refused(_metadata, self, self->payload, -EINVAL, "RSA 1024");
	unlink(key);
	unlink(cert);
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
		 "-nodes -keyout '%s' -out '%s' "
		 "-subj '/O=swauth/CN=swauth production key A' -days 1 "
		 ">/dev/null 2>&1", key, cert);
	ASSERT_EQ(0, system(cmd));
	expect_refused(_metadata, self, self->payload, -EINVAL, "not an RSA key");
	unlink(key);
	unlink(cert);
	/* An RSA 2048 certificate outside the CN convention. */
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s' "
		 "-subj '/O=swauth/CN=swauth production key AB' -days 1 "
		 ">/dev/null 2>&1", key, cert);
	ASSERT_EQ(0, system(cmd));
	expect_refused(_metadata, self, self->payload, -EINVAL, "has CN");
	unlink(key);
	unlink(cert);
	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey rsa:2048 -nodes -keyout '%s' -out '%s' "
		 "-subj '/O=other/CN=swauth production key A' -days 1 "
		 ">/dev/null 2>&1", key, cert);
	ASSERT_EQ(0, system(cmd));
	expect_refused(_metadata, self, self->payload, -EINVAL, "O=swauth");
	unlink(key);
	unlink(cert);
	/* A key file that is not a key. */
	self->p.key_path = self->cert;
	self->p.cert_path = self->cert;
	expect_refused(_metadata, self, self->payload, -EINVAL, "private key");
}

TEST_F(sign, no_partial_file_on_system_failure)
{
	char out[PATH_MAX], missing[PATH_MAX];

	/* The payload cannot be read (a directory): fails after the temp file. */
	snprintf(out, sizeof(out), "%s/sub", self->dir);
	ASSERT_EQ(0, mkdir(out, 0755));
	EXPECT_EQ(-EISDIR, swauth_sign_file(&self->p, out, self->dir, NULL, 0, &self->err));
	EXPECT_EQ(0, count_entries(out));
	EXPECT_EQ(2, count_entries(self->dir));
	ASSERT_EQ(0, rmdir(out));
	/* A payload that does not exist, an output directory that does not. */
	snprintf(missing, sizeof(missing), "%s/missing", self->dir);
	EXPECT_EQ(-ENOENT, swauth_sign_file(&self->p, missing, self->dir, NULL, 0,
					    &self->err));
	snprintf(out, sizeof(out), "%s/missing/out", self->dir);
	EXPECT_EQ(-ENOENT, swauth_sign_file(&self->p, self->payload, out, NULL, 0,
					    &self->err));
	/* A read-only directory (root writes anyway: only as another user). */
	if (geteuid()) {
		ASSERT_EQ(0, chmod(self->dir, 0555));
		EXPECT_EQ(-EACCES, swauth_sign_file(&self->p, self->payload, self->dir,
						    NULL, 0, &self->err));
		ASSERT_EQ(0, chmod(self->dir, 0755));
	}
	/* Nothing was left behind by any of these. */
	EXPECT_EQ(1, count_entries(self->dir));
}

TEST(extensions)
{
	char ext[5];

	ASSERT_EQ(0, swauth_sign_extension(SWAUTH_IMAGE_PRODUCTION, SWAUTH_KEY_PRODUCTION, 'A', ext));
	EXPECT_STREQ(".SPA", ext);
	ASSERT_EQ(0, swauth_sign_extension(SWAUTH_IMAGE_SPECIAL, SWAUTH_KEY_SPECIAL, 'B', ext));
	EXPECT_STREQ(".SSB", ext);
	ASSERT_EQ(0, swauth_sign_extension(SWAUTH_IMAGE_BOOTLOADER, SWAUTH_KEY_PRODUCTION, 'B', ext));
	EXPECT_STREQ(".SPB", ext);
	ASSERT_EQ(0, swauth_sign_extension(SWAUTH_IMAGE_BOOTLOADER, SWAUTH_KEY_SPECIAL, 'B', ext));
	EXPECT_STREQ(".SSB", ext);
	ASSERT_EQ(0, swauth_sign_extension(SWAUTH_IMAGE_REVOCATION, SWAUTH_KEY_ROLLOVER, 'A', ext));
	EXPECT_STREQ(".SRA", ext);
	EXPECT_EQ(-EINVAL, swauth_sign_extension(SWAUTH_IMAGE_PRODUCTION, SWAUTH_KEY_SPECIAL, 'A', ext));
	EXPECT_EQ(-EINVAL, swauth_sign_extension(SWAUTH_IMAGE_REVOCATION, SWAUTH_KEY_PRODUCTION, 'A', ext));
	EXPECT_EQ(-EINVAL, swauth_sign_extension(SWAUTH_IMAGE_BOOTLOADER, SWAUTH_KEY_ROLLOVER, 'A', ext));
	EXPECT_EQ(-EINVAL, swauth_sign_extension(SWAUTH_IMAGE_UNSPEC, SWAUTH_KEY_PRODUCTION, 'A', ext));
	EXPECT_EQ(-EINVAL, swauth_sign_extension(SWAUTH_IMAGE_PRODUCTION, SWAUTH_KEY_PRODUCTION, 'a', ext));
}

TEST(names)
{
	uint8_t v;

	ASSERT_EQ(0, swauth_hash_from_name("sha384", &v));
	EXPECT_EQ(SWAUTH_HASH_SHA384, v);
	EXPECT_EQ(-EINVAL, swauth_hash_from_name("md5", &v));
	EXPECT_EQ(-EINVAL, swauth_hash_from_name("SHA512", &v));
	ASSERT_EQ(0, swauth_image_type_from_name("bootloader", &v));
	EXPECT_EQ(SWAUTH_IMAGE_BOOTLOADER, v);
	EXPECT_EQ(-EINVAL, swauth_image_type_from_name("rollover", &v));
}

TEST_HARNESS_MAIN

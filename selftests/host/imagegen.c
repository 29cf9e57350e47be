// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Test images: see imagegen.h. Helpers return 0 or -errno, so that a
 * failure points at the test's line, not at this file.
 */

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
#include <openssl/rsa.h>

#include "kmod/image.h"
#include "lib/image.h"
#include "selftests/host/imagegen.h"

const char *imagegen_platform = "test";

/* keyrings/dev of the tree the test binary was built in. */
int imagegen_keys_dir(char *dir, size_t len)
{
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (n < 0)
		return -errno;
	self[n] = '\0';
	/* build/tests/host/<name>.t */
	snprintf(dir, len, "%s/../../../keyrings/dev", dirname(self));
	return access(dir, R_OK) ? -errno : 0;
}

/* @key is e.g. "production-A": its .key and .crt, type and version from the name. */
int imagegen_sign(const char *keys, const char *key, uint8_t image_type, uint8_t hash_algo,
		  const char *bundle, const void *payload, size_t len, const char *out)
{
	char key_path[PATH_MAX], cert_path[PATH_MAX], bundle_path[PATH_MAX];
	struct swauth_sign_params p;
	struct swauth_error err;
	int ret;

	swauth_sign_params_init(&p);
	snprintf(key_path, sizeof(key_path), "%s/%s.key", keys, key);
	snprintf(cert_path, sizeof(cert_path), "%s/%s.crt", keys, key);
	p.key_path = key_path;
	p.cert_path = cert_path;
	p.image_type = image_type;
	p.key_version = key[strlen(key) - 1];
	if (!strcmp(key, "rollover"))
		p.key_version = 'A';
	p.hash_algo = hash_algo;
	p.name = "test-image";
	p.image_version = "1.0";
	p.platform = imagegen_platform;
	p.build_time = 1700000000;
	if (bundle) {
		snprintf(bundle_path, sizeof(bundle_path), "%s/%s.crt", keys, bundle);
		p.bundle_cert_path = bundle_path;
	}
	ret = swauth_sign_mem(&p, payload, len, out, &err);
	if (ret)
		fprintf(stderr, "# imagegen_sign %s: %s\n", key, err.msg);
	return ret;
}

int imagegen_patch(const char *path, uint64_t off, const void *bytes, size_t len)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = pwrite(fd, bytes, len, (off_t)off);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

int imagegen_flip(const char *path, uint64_t off)
{
	int fd = open(path, O_RDWR);
	uint8_t b;
	int ret = -EIO;

	if (fd < 0)
		return -errno;
	if (pread(fd, &b, 1, (off_t)off) == 1) {
		b ^= 0x01;
		if (pwrite(fd, &b, 1, (off_t)off) == 1)
			ret = 0;
	}
	close(fd);
	return ret;
}

int imagegen_truncate(const char *path, uint64_t size)
{
	return truncate(path, (off_t)size) ? -errno : 0;
}

int imagegen_append(const char *path, uint8_t byte)
{
	FILE *f = fopen(path, "ab");
	int ret;

	if (!f)
		return -errno;
	ret = fputc(byte, f) == EOF ? -EIO : 0;
	return fclose(f) ? -EIO : ret;
}

static const EVP_MD *md_of(unsigned int hash_algo)
{
	return hash_algo == SWAUTH_HASH_SHA256 ? EVP_sha256() :
	       hash_algo == SWAUTH_HASH_SHA384 ? EVP_sha384() : EVP_sha512();
}

/*
 * Sign the image's manifest again, as it now is, with @key: a header whose
 * claims were patched still carries a signature that verifies, made by a
 * key other than the one it names.
 */
int imagegen_resign(const char *path, const char *keys, const char *key)
{
	uint8_t buf[SWAUTH_IMAGE_HEADER_SIZE + SWAUTH_IMAGE_CERT_MAX + SWAUTH_IMAGE_SIG_MAX];
	struct swauth_image_header hdr;
	char key_path[PATH_MAX];
	EVP_PKEY *pkey = NULL;
	EVP_MD_CTX *ctx = NULL;
	EVP_PKEY_CTX *pctx;
	size_t siglen;
	FILE *f;
	int fd, ret = -EINVAL;
	ssize_t n;

	fd = open(path, O_RDWR);
	if (fd < 0)
		return -errno;
	n = pread(fd, buf, sizeof(buf), 0);
	if (n < SWAUTH_IMAGE_HEADER_SIZE || swauth_image_parse(buf, (size_t)n, &hdr) ||
	    (size_t)n < hdr.payload_offset)
		goto out;
	snprintf(key_path, sizeof(key_path), "%s/%s.key", keys, key);
	f = fopen(key_path, "r");
	if (!f)
		goto out;
	pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	ctx = EVP_MD_CTX_new();
	siglen = hdr.sig_size;
	if (!pkey || !ctx || (size_t)EVP_PKEY_get_size(pkey) != hdr.sig_size ||
	    EVP_DigestSignInit(ctx, &pctx, md_of(hdr.hash_algo), NULL, pkey) != 1 ||
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) != 1 ||
	    EVP_DigestSign(ctx, buf + hdr.manifest_size, &siglen, buf, hdr.manifest_size) != 1 ||
	    siglen != hdr.sig_size)
		goto out;
	if (pwrite(fd, buf + hdr.manifest_size, siglen, hdr.manifest_size) == (ssize_t)siglen)
		ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	close(fd);
	return ret;
}

/* A trust directory holding links to only @names (NULL-terminated) of @keys. */
int imagegen_trust_dir(const char *keys, const char *dir, const char *const names[])
{
	char from[PATH_MAX * 2], to[PATH_MAX * 2], abs[PATH_MAX];

	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	if (!realpath(keys, abs))
		return -errno;
	for (; *names; names++) {
		snprintf(from, sizeof(from), "%s/%s.crt", abs, *names);
		snprintf(to, sizeof(to), "%s/%s.crt", dir, *names);
		if (symlink(from, to) && errno != EEXIST)
			return -errno;
	}
	return 0;
}

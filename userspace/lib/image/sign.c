// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The image signer (sign.h). The header is laid out here byte by byte, as
 * Documentation/image-format.rst describes it, and then handed to the
 * shared parser (kmod/image.c) before it is signed: an image this file
 * writes is one the module's own parser accepts, or nothing is written.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "kmod/image.h"
#include "lib/fs.h"
#include "lib/image.h"

enum { COPY_CHUNK = 64 * 1024 };

static const char *const key_type_names[] = {
	[SWAUTH_KEY_ROLLOVER] = "rollover",
	[SWAUTH_KEY_PRODUCTION] = "production",
	[SWAUTH_KEY_SPECIAL] = "special",
};

static const char *const image_type_names[] = {
	[SWAUTH_IMAGE_PRODUCTION] = "production",
	[SWAUTH_IMAGE_SPECIAL] = "special",
	[SWAUTH_IMAGE_REVOCATION] = "revocation",
	[SWAUTH_IMAGE_BOOTLOADER] = "bootloader",
};

static const char *const hash_names[] = {
	[SWAUTH_HASH_SHA256] = "sha256",
	[SWAUTH_HASH_SHA384] = "sha384",
	[SWAUTH_HASH_SHA512] = "sha512",
};

/**
 * swauth_sign_params_init() - defaults: SHA-512, build time now
 * @p: the parameters to reset; everything else is zero or NULL
 */
void swauth_sign_params_init(struct swauth_sign_params *p)
{
	memset(p, 0, sizeof(*p));
	p->hash_algo = SWAUTH_HASH_SHA512;
	p->build_time = (uint64_t)time(NULL);
}

/**
 * swauth_hash_from_name() - parse "sha256", "sha384" or "sha512"
 * @name: the name, lower case
 * @hash_algo: set to the enum swauth_hash_algo value
 *
 * Return: 0, or -EINVAL for another name.
 */
int swauth_hash_from_name(const char *name, uint8_t *hash_algo)
{
	uint8_t i;

	for (i = 1; i <= SWAUTH_HASH_MAX; i++) {
		if (!strcmp(name, hash_names[i])) {
			*hash_algo = i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * swauth_image_type_from_name() - parse an image type name
 * @name: "production", "special", "revocation" or "bootloader"
 * @image_type: set to the enum swauth_image_type value
 *
 * Return: 0, or -EINVAL for another name.
 */
int swauth_image_type_from_name(const char *name, uint8_t *image_type)
{
	uint8_t i;

	for (i = 1; i <= SWAUTH_IMAGE_MAX; i++) {
		if (!strcmp(name, image_type_names[i])) {
			*image_type = i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * swauth_sign_extension() - the file-name extension of an image
 * @image_type: enum swauth_image_type
 * @key_type: enum swauth_key_type of the signing key
 * @key_version: 'A'..'Z'
 * @ext: receives ".S" + P, S or R + @key_version, NUL-terminated
 *
 * Return: 0, or -EINVAL when the key type may not sign the image type.
 */
int swauth_sign_extension(uint8_t image_type, uint8_t key_type,
			  char key_version, char ext[5])
{
	char c;

	switch (image_type) {
	case SWAUTH_IMAGE_PRODUCTION:
	case SWAUTH_IMAGE_SPECIAL:
	case SWAUTH_IMAGE_BOOTLOADER:
		/* The letter names the key, as for C3900_ROMMON_RM2.srec.SPB. */
		if (key_type == SWAUTH_KEY_PRODUCTION)
			c = 'P';
		else if (key_type == SWAUTH_KEY_SPECIAL)
			c = 'S';
		else
			return -EINVAL;
		if ((image_type == SWAUTH_IMAGE_PRODUCTION && c != 'P') ||
		    (image_type == SWAUTH_IMAGE_SPECIAL && c != 'S'))
			return -EINVAL;
		break;
	case SWAUTH_IMAGE_REVOCATION:
		if (key_type != SWAUTH_KEY_ROLLOVER)
			return -EINVAL;
		c = 'R';
		break;
	default:
		return -EINVAL;
	}
	if (key_version < 'A' || key_version > 'Z')
		return -EINVAL;
	ext[0] = '.';
	ext[1] = 'S';
	ext[2] = c;
	ext[3] = key_version;
	ext[4] = '\0';
	return 0;
}

/* A header string: printable ASCII, shorter than its field (NUL after). */
static int check_string(const char *what, const char *s, size_t field,
			int allow_empty, struct swauth_error *err)
{
	size_t i, len = strlen(s);

	if (!len && !allow_empty)
		return swauth_error_set(err, -EINVAL, "the %s is empty", what);
	if (len >= field)
		return swauth_error_set(err, -EINVAL,
					"the %s '%s' is too long (%zu bytes, at most %zu)",
					what, s, len, field - 1);
	for (i = 0; i < len; i++) {
		if (s[i] < 0x20 || s[i] > 0x7e)
			return swauth_error_set(err, -EINVAL,
						"the %s has a non-printable character at byte %zu (only printable ASCII)",
						what, i);
	}
	return 0;
}
static int load_cert(const char *what, const char *path, X509 **out,
		     struct swauth_error *err)
{
	char reason[256];
	X509 *cert;
	BIO *bio;

	bio = BIO_new_file(path, "rb");
	if (!bio) {
		int e = errno ? -errno : -EIO;

		ERR_clear_error();
		return swauth_error_set(err, e, "cannot open the %s '%s': %s",
					what, path, strerror(-e));
	}
	cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (!cert) {
		ERR_clear_error();
		if (BIO_reset(bio) == 0)
			cert = d2i_X509_bio(bio, NULL);
	}
	BIO_free(bio);
	if (!cert)
		return swauth_error_set(err, -EINVAL,
					"the %s '%s' is not an X.509 certificate (PEM or DER): %s",
					what, path, swauth_ossl_reason(reason, sizeof(reason)));
	*out = cert;
	return 0;
}

static int load_key(const char *path, EVP_PKEY **out, struct swauth_error *err)
{
	char reason[256];
	EVP_PKEY *pkey;
	BIO *bio;
	int bits;

	bio = BIO_new_file(path, "rb");
	if (!bio) {
		int e = errno ? -errno : -EIO;

		ERR_clear_error();
		return swauth_error_set(err, e, "cannot open the key '%s': %s",
					path, strerror(-e));
	}
	pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!pkey)
		return swauth_error_set(err, -EINVAL,
					"the key '%s' is not an unencrypted PEM private key: %s",
					path, swauth_ossl_reason(reason, sizeof(reason)));
	/* RSA PKCS#1 v1.5 only: RSA-PSS keys are a different type. */
	if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
		EVP_PKEY_free(pkey);
		return swauth_error_set(err, -EINVAL,
					"the key '%s' is not an RSA key (RSA 2048, 3072 or 4096 only)",
					path);
	}
	bits = EVP_PKEY_get_bits(pkey);
	if (bits != 2048 && bits != 3072 && bits != 4096) {
		EVP_PKEY_free(pkey);
		return swauth_error_set(err, -EINVAL,
					"the key '%s' is RSA %d (RSA 2048, 3072 or 4096 only)",
					path, bits);
	}
	*out = pkey;
	return 0;
}

/* The one entry of @nid in @name as a C string, or -1 (none, several). */
static int name_entry(X509_NAME *name, int nid, char *buf, size_t len)
{
	X509_NAME_ENTRY *e;
	unsigned char *utf8;
	int idx, n;

	idx = X509_NAME_get_index_by_NID(name, nid, -1);
	if (idx < 0 || X509_NAME_get_index_by_NID(name, nid, idx) >= 0)
		return -1;
	e = X509_NAME_get_entry(name, idx);
	n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(e));
	if (n < 0)
		return -1;
	if ((size_t)n >= len || memchr(utf8, '\0', (size_t)n)) {
		OPENSSL_free(utf8);
		return -1;
	}
	memcpy(buf, utf8, (size_t)n);
	buf[n] = '\0';
	OPENSSL_free(utf8);
	return 0;
}

/*
 * The key type and version a certificate stands for: O=swauth and
 * CN="swauth <rollover|production|special> key <V>" (keyrings/README).
 */
static int cert_identity(X509 *cert, const char *path, uint8_t *key_type,
			 char *key_version, struct swauth_error *err)
{
	X509_NAME *subject = X509_get_subject_name(cert);
	char o[64], cn[128];
	uint8_t t;

	if (name_entry(subject, NID_organizationName, o, sizeof(o)) ||
	    strcmp(o, "swauth"))
		return swauth_error_set(err, -EINVAL,
					"the certificate '%s' is not a swauth key's: its subject needs exactly one O=swauth",
					path);
	if (name_entry(subject, NID_commonName, cn, sizeof(cn)))
		return swauth_error_set(err, -EINVAL,
					"the certificate '%s' has no single common name",
					path);
	for (t = 1; t <= SWAUTH_KEY_MAX; t++) {
		size_t n = strlen(key_type_names[t]);

		/* "swauth " + type + " key " + one letter, nothing more. */
		if (!strncmp(cn, "swauth ", 7) &&
		    !strncmp(cn + 7, key_type_names[t], n) &&
		    !strncmp(cn + 7 + n, " key ", 5) &&
		    cn[12 + n] >= 'A' && cn[12 + n] <= 'Z' && !cn[13 + n]) {
			*key_type = t;
			*key_version = cn[12 + n];
			return 0;
		}
	}
	return swauth_error_set(err, -EINVAL,
				"the certificate '%s' has CN \"%s\"; a swauth key's is \"swauth <rollover|production|special> key <A-Z>\"",
				path, cn);
}

static int key_type_allowed(uint8_t image_type, uint8_t key_type)
{
	char ext[5];

	return !swauth_sign_extension(image_type, key_type, 'A', ext);
}

/* What the signer holds between checking its inputs and writing. */
struct signer {
	EVP_PKEY *pkey;
	X509 *cert;
	unsigned char *bundle;	/* DER, or NULL */
	int bundle_len;
	uint8_t key_type;
	const EVP_MD *md;
};

static void signer_free(struct signer *s)
{
	EVP_PKEY_free(s->pkey);
	X509_free(s->cert);
	OPENSSL_free(s->bundle);
}

static int signer_init(struct signer *s, const struct swauth_sign_params *p,
		       const char *name, struct swauth_error *err)
{
	char version = 0;
	X509 *bundle = NULL;
	int ret;

	memset(s, 0, sizeof(*s));
	if (p->image_type < 1 || p->image_type > SWAUTH_IMAGE_MAX)
		return swauth_error_set(err, -EINVAL, "unknown image type %u",
					p->image_type);
	s->md = swauth_cert_hash_md(p->hash_algo);
	if (!s->md)
		return swauth_error_set(err, -EINVAL, "unknown hash algorithm %u",
					p->hash_algo);
	if (p->key_version < 'A' || p->key_version > 'Z')
		return swauth_error_set(err, -EINVAL,
					"the key version must be a letter A to Z");
	if (!p->key_path || !p->cert_path)
		return swauth_error_set(err, -EINVAL, "a key and its certificate are needed");
	ret = check_string("image name", name, SWAUTH_IMAGE_NAME_SIZE, 0, err);
	if (!ret && p->image_version)
		ret = check_string("image version", p->image_version,
				   SWAUTH_IMAGE_VERSION_SIZE, 1, err);
	if (!ret && p->platform)
		ret = check_string("platform", p->platform,
				   SWAUTH_IMAGE_PLATFORM_SIZE, 1, err);
	if (ret)
		return ret;

	ret = load_key(p->key_path, &s->pkey, err);
	if (!ret)
		ret = load_cert("certificate", p->cert_path, &s->cert, err);
	if (ret)
		goto fail;
	if (EVP_PKEY_eq(X509_get0_pubkey(s->cert), s->pkey) != 1) {
		ERR_clear_error();
		ret = swauth_error_set(err, -EINVAL,
				       "the key '%s' does not match the certificate '%s'",
				       p->key_path, p->cert_path);
		goto fail;
	}
	ret = cert_identity(s->cert, p->cert_path, &s->key_type, &version, err);
	if (ret)
		goto fail;
	if (version != p->key_version) {
		ret = swauth_error_set(err, -EINVAL,
				       "the certificate '%s' is for %s key %c, not key version %c",
				       p->cert_path, key_type_names[s->key_type],
				       version, p->key_version);
		goto fail;
	}
	if (!key_type_allowed(p->image_type, s->key_type)) {
		ret = swauth_error_set(err, -EINVAL,
				       "a %s key cannot sign a %s image (production: production key; special: special key; revocation: rollover key; bootloader: production or special key)",
				       key_type_names[s->key_type],
				       image_type_names[p->image_type]);
		goto fail;
	}

	if (p->bundle_cert_path) {
		ret = load_cert("bundled certificate", p->bundle_cert_path, &bundle, err);
		if (ret)
			goto fail;
		s->bundle_len = i2d_X509(bundle, &s->bundle);
		X509_free(bundle);
		if (s->bundle_len <= 0) {
			ERR_clear_error();
			ret = swauth_error_set(err, -EINVAL,
					       "cannot encode the bundled certificate '%s'",
					       p->bundle_cert_path);
			goto fail;
		}
		if (s->bundle_len > SWAUTH_IMAGE_CERT_MAX) {
			ret = swauth_error_set(err, -EINVAL,
					       "the bundled certificate '%s' is %d bytes (at most %d)",
					       p->bundle_cert_path, s->bundle_len,
					       SWAUTH_IMAGE_CERT_MAX);
			goto fail;
		}
	}
	return 0;
fail:
	signer_free(s);
	memset(s, 0, sizeof(*s));
	return ret;
}

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void put_le64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static int write_all_at(int fd, const void *buf, size_t len, off_t off)
{
	const unsigned char *p = buf;
	ssize_t n;

	while (len) {
		n = pwrite(fd, p, len, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
		off += n;
	}
	return 0;
}

/*
 * Copy the payload to @out at @off while hashing it. Returns 0 or -errno
 * (with the message set), and the payload's size and digest.
 */
static int copy_payload(int in, const char *in_name, int out, off_t off,
			const EVP_MD *md, uint64_t *size, unsigned char *digest,
			struct swauth_error *err)
{
	EVP_MD_CTX *ctx;
	unsigned char *buf;
	uint64_t total = 0;
	ssize_t n;
	int ret = 0;

	buf = malloc(COPY_CHUNK);
	ctx = EVP_MD_CTX_new();
	if (!buf || !ctx || !EVP_DigestInit_ex(ctx, md, NULL)) {
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (;;) {
		n = read(in, buf, COPY_CHUNK);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			ret = swauth_error_set(err, -errno, "cannot read the payload '%s': %s",
					       in_name, strerror(errno));
			goto out;
		}
		if (!n)
			break;
		total += (uint64_t)n;
		if (total > SWAUTH_IMAGE_PAYLOAD_MAX) {
			ret = swauth_error_set(err, -EFBIG,
					       "the payload '%s' is larger than %llu bytes",
					       in_name, (unsigned long long)SWAUTH_IMAGE_PAYLOAD_MAX);
			goto out;
		}
		if (!EVP_DigestUpdate(ctx, buf, (size_t)n)) {
			ret = swauth_error_set(err, -EIO, "hashing the payload failed");
			goto out;
		}
		ret = write_all_at(out, buf, (size_t)n, off);
		if (ret) {
			swauth_error_set(err, ret, "cannot write the image: %s", strerror(-ret));
			goto out;
		}
		off += n;
	}
	if (!EVP_DigestFinal_ex(ctx, digest, NULL))
		ret = swauth_error_set(err, -EIO, "hashing the payload failed");
	*size = total;
out:
	ERR_clear_error();
	EVP_MD_CTX_free(ctx);
	free(buf);
	return ret;
}

static int sign_manifest(struct signer *s, const unsigned char *manifest,
			 size_t len, unsigned char *sig, size_t sig_size,
			 struct swauth_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	size_t n = sig_size;
	char reason[256];
	int ret = 0;

	/* RSA keys default to PKCS#1 v1.5 padding: what the kernel verifies. */
	if (!ctx || EVP_DigestSignInit(ctx, NULL, s->md, NULL, s->pkey) != 1 ||
	    EVP_DigestSign(ctx, sig, &n, manifest, len) != 1)
		ret = swauth_error_set(err, -EIO, "signing failed: %s",
				       swauth_ossl_reason(reason, sizeof(reason)));
	else if (n != sig_size)
		ret = swauth_error_set(err, -EIO, "the signature is %zu bytes, not %zu",
				       n, sig_size);
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* Whether @out names a directory, reached only through root's or our own links. */
static bool output_is_dir(const char *out)
{
	struct stat st;

	if (lstat(out, &st))
		return false;
	if (S_ISLNK(st.st_mode) && (st.st_uid == 0 || st.st_uid == geteuid()))
		return !stat(out, &st) && S_ISDIR(st.st_mode);
	return S_ISDIR(st.st_mode);
}

/*
 * Where the image goes: @out, or @out/NAME.EXT when @out is a directory;
 * @dir_fd receives its directory (swauth_dir_open_parent()) and @base
 * points at its name in @path.
 */
static int output_path(const char *out, const char *name, const char *ext, char *path,
		       size_t len, int *dir_fd, const char **base, struct swauth_error *err)
{
	int n;

	if (!output_is_dir(out)) {
		n = snprintf(path, len, "%s", out);
	} else {
		if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
			return swauth_error_set(err, -EINVAL,
						"the image name '%s' cannot be a file name; give -o a file",
						name);
		n = snprintf(path, len, "%s%s%s%s", out,
			     out[strlen(out) - 1] == '/' ? "" : "/", name, ext);
	}
	if (n < 0 || (size_t)n >= len)
		return swauth_error_set(err, -ENAMETOOLONG, "the output path is too long");
	*dir_fd = swauth_dir_open_parent(path, base, err);
	return *dir_fd < 0 ? *dir_fd : 0;
}

static int sign_fd(const struct swauth_sign_params *p, const char *name,
		   int in, const char *in_name, const char *out, char *written,
		   size_t written_len, struct swauth_error *err)
{
	unsigned char header[SWAUTH_IMAGE_HEADER_SIZE + SWAUTH_IMAGE_CERT_MAX];
	unsigned char sig[SWAUTH_IMAGE_SIG_MAX];
	char path[PATH_MAX], ext[5];
	struct swauth_safewrite w = { .fd = -1, .dir_fd = -1, .slot = -1 };
	struct swauth_image_header hdr;
	enum swauth_verdict verdict;
	struct signer s;
	size_t manifest_size, sig_size;
	uint64_t payload_size = 0;
	const char *base = NULL;
	int dir_fd = -1, ret;

	ret = signer_init(&s, p, name, err);
	if (ret)
		return ret;
	sig_size = (size_t)EVP_PKEY_get_size(s.pkey);
	manifest_size = SWAUTH_IMAGE_HEADER_SIZE + (size_t)s.bundle_len;
	swauth_sign_extension(p->image_type, s.key_type, p->key_version, ext);
	ret = output_path(out, name, ext, path, sizeof(path), &dir_fd, &base, err);
	if (!ret)
		ret = swauth_safewrite_open(&w, dir_fd, base, 0644, 0, err);
	if (ret)
		goto out;

	memset(header, 0, sizeof(header));
	ret = copy_payload(in, in_name, w.fd, (off_t)(manifest_size + sig_size),
			   s.md, &payload_size, header + OFF_DIGEST, err);
	if (ret)
		goto out;

	memcpy(header, swauth_image_magic, SWAUTH_IMAGE_MAGIC_SIZE);
	header[OFF_FORMAT_VERSION] = SWAUTH_IMAGE_FORMAT_V1;
	header[OFF_IMAGE_TYPE] = p->image_type;
	header[OFF_KEY_TYPE] = s.key_type;
	header[OFF_KEY_VERSION] = (unsigned char)p->key_version;
	header[OFF_HASH_ALGO] = p->hash_algo;
	put_le16(header + OFF_SIG_SIZE, (uint16_t)sig_size);
	put_le16(header + OFF_CERT_SIZE, (uint16_t)s.bundle_len);
	put_le64(header + OFF_PAYLOAD_SIZE, payload_size);
	put_le64(header + OFF_BUILD_TIME, p->build_time);
	memcpy(header + OFF_NAME, name, strlen(name));
	if (p->image_version)
		memcpy(header + OFF_IMAGE_VERSION, p->image_version,
		       strlen(p->image_version));
	if (p->platform)
		memcpy(header + OFF_PLATFORM, p->platform, strlen(p->platform));
	if (s.bundle_len)
		memcpy(header + SWAUTH_IMAGE_HEADER_SIZE, s.bundle, (size_t)s.bundle_len);

	/* What the module will check first, checked before signing. */
	verdict = swauth_image_parse(header, manifest_size, &hdr);
	if (verdict == SWAUTH_VERDICT_OK)
		verdict = swauth_image_check_size(&hdr, manifest_size + sig_size +
							payload_size);
	if (verdict != SWAUTH_VERDICT_OK) {
		ret = swauth_error_set(err, -EINVAL,
				       "internal error: the header fails its own parser (verdict %u)",
				       verdict);
		goto out;
	}

	ret = sign_manifest(&s, header, manifest_size, sig, sig_size, err);
	if (ret)
		goto out;
	ret = write_all_at(w.fd, header, manifest_size, 0);
	if (!ret)
		ret = write_all_at(w.fd, sig, sig_size, (off_t)manifest_size);
	if (ret) {
		swauth_error_set(err, ret, "cannot write '%s': %s", path, strerror(-ret));
		goto out;
	}
	ret = swauth_safewrite_commit(&w, err);
	if (!ret && written && written_len)
		snprintf(written, written_len, "%s", path);
out:
	swauth_safewrite_abort(&w);
	if (dir_fd >= 0)
		close(dir_fd);
	signer_free(&s);
	return ret;
}

/**
 * swauth_sign_file() - sign a payload file into an image
 * @p: the signing parameters (swauth_sign_params_init() for defaults)
 * @payload_path: the payload, read once from start to end
 * @out: the image file, or an existing directory: then the file in it is
 *       named @p->name (default: the payload's basename) plus the
 *       extension of swauth_sign_extension()
 * @written: receives the path of the written image; may be NULL
 * @written_len: the size of @written
 * @err: the reason for a failure
 *
 * Refuses a key that is not RSA 2048, 3072 or 4096, a certificate that
 * does not match the key or whose CN names another key type or version
 * than the image type and @p->key_version allow, header strings that do
 * not fit or are not printable ASCII, and a bundled certificate that does
 * not parse. Nothing is written then, nor on any later failure.
 *
 * Return: 0; -EINVAL for refused input; another -errno for a system error.
 */
int swauth_sign_file(const struct swauth_sign_params *p, const char *payload_path,
		     const char *out, char *written, size_t written_len,
		     struct swauth_error *err)
{
	const char *name = p->name;
	const char *base;
	int fd, ret;

	if (!name) {
		base = strrchr(payload_path, '/');
		name = base ? base + 1 : payload_path;
	}
	fd = open(payload_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return swauth_error_set(err, -errno, "cannot open the payload '%s': %s",
					payload_path, strerror(errno));
	ret = sign_fd(p, name, fd, payload_path, out, written, written_len, err);
	close(fd);
	return ret;
}

/**
 * swauth_sign_mem() - sign a payload in memory into an image
 * @p: the signing parameters; @p->name is required
 * @payload: the payload bytes
 * @len: how many
 * @out: the image file, or a directory as for swauth_sign_file()
 * @err: the reason for a failure
 *
 * For tests that need an image of a given payload.
 *
 * Return: as swauth_sign_file().
 */
int swauth_sign_mem(const struct swauth_sign_params *p, const void *payload,
		    size_t len, const char *out, struct swauth_error *err)
{
	int fd, ret;

	if (!p->name)
		return swauth_error_set(err, -EINVAL, "an image name is needed");
	fd = memfd_create("swauth-payload", MFD_CLOEXEC);
	if (fd < 0)
		return swauth_error_set(err, -errno, "memfd_create: %s", strerror(errno));
	ret = write_all_at(fd, payload, len, 0);
	if (ret) {
		close(fd);
		return swauth_error_set(err, ret, "cannot buffer the payload: %s",
					strerror(-ret));
	}
	ret = sign_fd(p, p->name, fd, "(memory)", out, NULL, 0, err);
	close(fd);
	return ret;
}

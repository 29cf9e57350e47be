// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The userspace verifier, on OpenSSL 3, for build servers and other
 * machines without the swauth module. It makes the module's checks in the
 * module's order (enum swauth_verdict) and fills the same result, so that
 * the CLI shows both alike; it only labels which one spoke.
 *
 * Trust is what the module would hold: rollover certificates (the module
 * builds them in; here, a directory), and production and special
 * certificates that a rollover certificate issued and whose common name
 * follows the convention "swauth <type> key <V>", unless a floors file in
 * a trust directory (trust.c) says that the key is revoked. The header
 * parser is the module's own (kmod/image.c). The manifest and signature,
 * at most 256 + SWAUTH_CERT_MAX + 512 bytes, are read into memory; the
 * payload is streamed through the hash in fixed-size chunks, in one pass.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "kmod/image.h"
#include "lib/image.h"

enum {
	CHUNK_SIZE = 64 * 1024,
	MAX_KEYS = 64,		/* per verification: far above any real keyring */
	PREFIX_MAX = SWAUTH_IMAGE_HEADER_SIZE + SWAUTH_IMAGE_CERT_MAX + SWAUTH_IMAGE_SIG_MAX,
};

struct trusted_key {
	X509 *cert;
	uint32_t type;		/* enum swauth_key_type */
	uint32_t version;	/* 'A'..'Z', or 0 for a rollover cert outside the convention */
};

struct trust {
	struct trusted_key keys[MAX_KEYS];
	unsigned int n;
};

static void trust_free(struct trust *t)
{
	while (t->n)
		X509_free(t->keys[--t->n].cert);
}

/* "swauth <type> key <V>": the convention that binds a key to type and version. */
static bool parse_cn(X509 *cert, uint32_t *type, uint32_t *version)
{
	static const uint32_t types[] = {
		SWAUTH_KEY_ROLLOVER, SWAUTH_KEY_PRODUCTION, SWAUTH_KEY_SPECIAL,
	};
	char cn[SWAUTH_CERT_FIELD_LEN], want[64];
	X509_NAME *subject = X509_get_subject_name(cert);
	int len = X509_NAME_get_text_by_NID(subject, NID_commonName, cn, sizeof(cn));
	size_t i;

	ERR_clear_error();
	if (len <= 0 || (size_t)len != strlen(cn))
		return false;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		size_t n = (size_t)snprintf(want, sizeof(want), "swauth %s key ",
					    swauth_key_type_token(types[i]));

		if ((size_t)len == n + 1 && !strncmp(cn, want, n) &&
		    cn[n] >= 'A' && cn[n] <= 'Z') {
			*type = types[i];
			*version = (uint32_t)cn[n];
			return true;
		}
	}
	return false;
}

static X509 *read_cert(const char *path)
{
	uint8_t der[SWAUTH_CERT_MAX];
	const unsigned char *p = der;
	struct swauth_error err;
	size_t len;

	if (swauth_cert_read_file(path, der, sizeof(der), &len, &err))
		return NULL;
	return d2i_X509(NULL, &p, (long)len);
}

static bool is_cert_name(const char *name)
{
	static const char *const suffixes[] = { ".crt", ".pem", ".der", ".cer" };
	size_t len = strlen(name), i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t s = strlen(suffixes[i]);

		if (len > s && !strcmp(name + len - s, suffixes[i]))
			return true;
	}
	return false;
}

static bool issued_by_rollover(const struct trust *t, X509 *cert)
{
	unsigned int i;

	for (i = 0; i < t->n; i++) {
		EVP_PKEY *pk;

		if (t->keys[i].type != SWAUTH_KEY_ROLLOVER)
			continue;
		pk = X509_get0_pubkey(t->keys[i].cert);
		if (X509_check_issued(t->keys[i].cert, cert) == X509_V_OK && pk &&
		    X509_verify(cert, pk) == 1) {
			ERR_clear_error();
			return true;
		}
	}
	ERR_clear_error();
	return false;
}

static bool have_key(const struct trust *t, uint32_t type, uint32_t version)
{
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->keys[i].type == type && t->keys[i].version == version)
			return true;
	return false;
}

/*
 * Add the certificates of one directory: rollover ones as they are (they
 * are the root of trust), the others only when a rollover key issued them
 * and their name follows the convention, as SWAUTH_CMD_PROVISION_KEY
 * demands. Files that are not certificates are skipped.
 */
static int load_dir(struct trust *t, const char *dir, bool rollover, bool must_exist,
		    const uint32_t floors[SWAUTH_KEY_MAX + 1], struct swauth_error *err)
{
	struct dirent **names;
	char path[PATH_MAX];
	int n, i, ret = 0;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		if (!must_exist && errno == ENOENT)
			return 0;
		return swauth_error_set(err, -errno, "trust directory %s: %s", dir,
					strerror(errno));
	}
	for (i = 0; i < n; i++) {
		uint32_t type = 0, version = 0;
		X509 *cert;

		if (ret || !is_cert_name(names[i]->d_name) ||
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir,
				     names[i]->d_name) >= sizeof(path))
			goto next;
		cert = read_cert(path);
		if (!cert)
			goto next;
		if (rollover) {
			if (!parse_cn(cert, &type, &version) || type != SWAUTH_KEY_ROLLOVER)
				version = 0;
			type = SWAUTH_KEY_ROLLOVER;
		} else if (!parse_cn(cert, &type, &version) || type == SWAUTH_KEY_ROLLOVER ||
			   version < floors[type] || !issued_by_rollover(t, cert) ||
			   have_key(t, type, version)) {
			X509_free(cert);
			goto next;
		}
		if (t->n == MAX_KEYS) {
			X509_free(cert);
			ret = swauth_error_set(err, -ENOSPC, "more than %d trusted certificates",
					       MAX_KEYS);
			goto next;
		}
		t->keys[t->n++] = (struct trusted_key){ cert, type, version };
next:
		free(names[i]);
	}
	free(names);
	ERR_clear_error();
	return ret;
}

static int load_trust(struct trust *t, const struct swauth_trust_dirs *dirs,
		      struct swauth_error *err)
{
	static const char *const def_rollover[] = { SWAUTH_ROLLOVER_DIR, NULL };
	static const char *const def_keys[] = { SWAUTH_KEYS_DIR, NULL };
	const char *const *rollover = dirs && dirs->rollover[0] ? dirs->rollover : def_rollover;
	const char *const *keys = dirs && dirs->keys[0] ? dirs->keys : def_keys;
	uint32_t floors[SWAUTH_KEY_MAX + 1] = { 0 }, dir_floors[SWAUTH_KEY_MAX + 1];
	const char *const *k;
	unsigned int i;
	int ret = 0;

	/* The highest floor any trust directory records holds for all of them. */
	for (k = keys; !ret && *k; k++) {
		ret = swauth_trust_floors_read(*k, dir_floors, err);
		for (i = 0; !ret && i <= SWAUTH_KEY_MAX; i++)
			floors[i] = dir_floors[i] > floors[i] ? dir_floors[i] : floors[i];
	}
	/* Rollover keys first: the others are checked against them. */
	for (; !ret && *rollover; rollover++)
		ret = load_dir(t, *rollover, true, rollover != def_rollover, floors, err);
	for (; !ret && *keys; keys++)
		ret = load_dir(t, *keys, false, keys != def_keys, floors, err);
	return ret;
}

/* RSA PKCS#1 v1.5 over hash(manifest), as `openssl dgst -sign` makes it. */
static bool signature_ok(X509 *cert, const EVP_MD *md, const uint8_t *manifest, size_t mlen,
			 const uint8_t *sig, size_t slen)
{
	EVP_PKEY *pkey = X509_get0_pubkey(cert);
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *ctx;
	bool ok = false;

	if (!pkey || EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA ||
	    (size_t)EVP_PKEY_get_size(pkey) != slen)
		goto out;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		goto out;
	if (EVP_DigestVerifyInit(ctx, &pctx, md, NULL, pkey) == 1 &&
	    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1)
		ok = EVP_DigestVerify(ctx, sig, slen, manifest, mlen) == 1;
	EVP_MD_CTX_free(ctx);
out:
	ERR_clear_error();
	return ok;
}

static void set_signer(struct swauth_verify_result *res, const struct trusted_key *k)
{
	unsigned char *p = res->signer_cert;
	int n = i2d_X509(k->cert, NULL);

	res->signer_key_type = k->type;
	res->signer_key_version = k->version;
	res->has |= SWAUTH_VERIFY_HAS_SIGNER_KEY_TYPE | SWAUTH_VERIFY_HAS_SIGNER_KEY_VERSION;
	if (n > 0 && (size_t)n <= sizeof(res->signer_cert) && i2d_X509(k->cert, &p) == n) {
		res->signer_cert_len = (uint32_t)n;
		res->has |= SWAUTH_VERIFY_HAS_SIGNER_CERT;
	}
}

/*
 * The claimed key, and when it did not make the signature (or is not
 * trusted here), every other trusted key, so that the verdict can say who
 * really signed; as kmod/verify.c does.
 */
static uint32_t check_signature(const struct trust *t, const struct swauth_image_header *hdr,
				const uint8_t *prefix, struct swauth_verify_result *res)
{
	const EVP_MD *md = swauth_cert_hash_md(hdr->hash_algo);
	const uint8_t *sig = prefix + hdr->manifest_size;
	const struct trusted_key *claimed = NULL;
	unsigned int i;

	for (i = 0; i < t->n; i++)
		if (t->keys[i].type == hdr->key_type && t->keys[i].version == hdr->key_version)
			claimed = &t->keys[i];
	if (claimed &&
	    signature_ok(claimed->cert, md, prefix, hdr->manifest_size, sig, hdr->sig_size)) {
		set_signer(res, claimed);
		return SWAUTH_VERDICT_OK;
	}
	for (i = 0; i < t->n; i++) {
		const struct trusted_key *k = &t->keys[i];

		if (k == claimed || !k->version ||
		    !signature_ok(k->cert, md, prefix, hdr->manifest_size, sig, hdr->sig_size))
			continue;
		set_signer(res, k);
		return k->type != hdr->key_type ? SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH :
						   SWAUTH_VERDICT_SIGNER_VERSION_MISMATCH;
	}
	return claimed ? SWAUTH_VERDICT_BAD_SIGNATURE : SWAUTH_VERDICT_UNKNOWN_KEY;
}

/* Read exactly @len bytes at @off; a short count means the file shrank. */
static ssize_t read_at(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = pread(fd, (char *)buf + done, len - done, off + (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (!n)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

static uint32_t hash_payload(int fd, const struct swauth_image_header *hdr,
			     struct swauth_verify_result *res)
{
	uint64_t left = hdr->payload_size;
	off_t off = (off_t)hdr->payload_offset;
	unsigned int dlen = 0;
	uint32_t verdict = SWAUTH_VERDICT_IO_ERROR;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *buf = malloc(CHUNK_SIZE);
	uint8_t probe;
	ssize_t n;

	if (!ctx || !buf || EVP_DigestInit_ex(ctx, swauth_cert_hash_md(hdr->hash_algo), NULL) != 1)
		goto out;
	while (left) {
		size_t want = left < CHUNK_SIZE ? (size_t)left : CHUNK_SIZE;

		n = read_at(fd, buf, want, off);
		if (n < 0)
			goto out;
		if ((size_t)n < want) {
			verdict = SWAUTH_VERDICT_TRUNCATED_PAYLOAD;	/* shrank since fstat */
			goto out;
		}
		if (EVP_DigestUpdate(ctx, buf, want) != 1)
			goto out;
		off += (off_t)want;
		left -= want;
	}
	n = read_at(fd, &probe, 1, off);
	if (n < 0)
		goto out;
	if (n) {
		verdict = SWAUTH_VERDICT_TRAILING_DATA;		/* grew since fstat */
		goto out;
	}
	if (EVP_DigestFinal_ex(ctx, res->computed_digest, &dlen) != 1 || dlen != hdr->digest_size)
		goto out;
	res->computed_digest_len = dlen;
	res->has |= SWAUTH_VERIFY_HAS_COMPUTED_DIGEST;
	verdict = memcmp(res->computed_digest, hdr->payload_digest, dlen) ?
		  SWAUTH_VERDICT_BAD_DIGEST : SWAUTH_VERDICT_OK;
out:
	free(buf);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return verdict;
}

static void set_header(struct swauth_verify_result *res, const struct swauth_image_header *hdr)
{
	res->image_type = hdr->image_type;
	res->key_type = hdr->key_type;
	res->key_version = hdr->key_version;
	res->hash_algo = hdr->hash_algo;
	res->payload_size = hdr->payload_size;
	res->build_time = hdr->build_time;
	memcpy(res->image_name, hdr->name, sizeof(res->image_name));
	memcpy(res->image_version, hdr->image_version, sizeof(res->image_version));
	memcpy(res->platform, hdr->platform, sizeof(res->platform));
	res->sig_bits = hdr->sig_size * 8U;
	memcpy(res->embedded_digest, hdr->payload_digest, hdr->digest_size);
	res->embedded_digest_len = hdr->digest_size;
	res->has |= SWAUTH_VERIFY_HAS_HEADER;
}

static uint32_t verify_fd(int fd, const struct trust *t, uint8_t *prefix,
			  struct swauth_verify_result *res)
{
	struct swauth_image_header hdr;
	uint32_t verdict;
	struct stat st;
	ssize_t n;

	if (fstat(fd, &st))
		return SWAUTH_VERDICT_IO_ERROR;
	if (!S_ISREG(st.st_mode))
		return SWAUTH_VERDICT_NOT_REGULAR;
	res->file_size = (uint64_t)st.st_size;
	res->has |= SWAUTH_VERIFY_HAS_FILE_SIZE;
	if (!st.st_size)
		return SWAUTH_VERDICT_EMPTY;

	n = read_at(fd, prefix, SWAUTH_IMAGE_HEADER_SIZE, 0);
	if (n < 0)
		return SWAUTH_VERDICT_IO_ERROR;
	if (!n)
		return SWAUTH_VERDICT_EMPTY;
	verdict = swauth_image_parse(prefix, (size_t)n, &hdr);
	if (verdict != SWAUTH_VERDICT_OK && verdict != SWAUTH_VERDICT_TYPE_NOT_ALLOWED)
		return verdict;
	set_header(res, &hdr);
	if (verdict)
		return verdict;
	verdict = swauth_image_check_size(&hdr, res->file_size);
	if (verdict)
		return verdict;

	n = read_at(fd, prefix + SWAUTH_IMAGE_HEADER_SIZE,
		    (size_t)hdr.payload_offset - SWAUTH_IMAGE_HEADER_SIZE, SWAUTH_IMAGE_HEADER_SIZE);
	if (n < 0)
		return SWAUTH_VERDICT_IO_ERROR;
	if ((size_t)n < hdr.payload_offset - SWAUTH_IMAGE_HEADER_SIZE)
		return SWAUTH_VERDICT_TRUNCATED_SIGNATURE;	/* shrank since fstat */

	verdict = check_signature(t, &hdr, prefix, res);
	if (verdict)
		return verdict;
	return hash_payload(fd, &hdr, res);
}

/* The header at the start of @fd, parsed and checked against the file's @size. */
static uint32_t read_header(int fd, uint8_t *prefix, uint64_t size,
			    struct swauth_image_header *hdr)
{
	ssize_t n = read_at(fd, prefix, SWAUTH_IMAGE_HEADER_SIZE, 0);
	uint32_t verdict;

	if (n < 0)
		return SWAUTH_VERDICT_IO_ERROR;
	verdict = swauth_image_parse(prefix, (size_t)n, hdr);
	return verdict ?: swauth_image_check_size(hdr, size);
}

/**
 * swauth_image_header_read() - an image's header as the file holds it now,
 * not verified
 * @fd: the image, read with pread(2)
 * @res: receives the file's size and the header's fields; no verdict
 * @err: filled on failure
 *
 * Nothing here checks the signature or reads the payload: what it returns
 * may refuse a file (swauth_system_image_pinned()), never vouch for one.
 *
 * Return: 0; -EBADMSG when @fd is not a well-formed image of its size; or
 * -errno.
 */
int swauth_image_header_read(int fd, struct swauth_verify_result *res, struct swauth_error *err)
{
	uint8_t prefix[SWAUTH_IMAGE_HEADER_SIZE];
	struct swauth_image_header hdr;
	uint32_t verdict;
	struct stat st;

	memset(res, 0, sizeof(*res));
	if (fstat(fd, &st))
		return swauth_error_set(err, -errno, "fstat: %s", strerror(errno));
	verdict = read_header(fd, prefix, (uint64_t)st.st_size, &hdr);
	if (verdict)
		return swauth_error_set(err, -EBADMSG, "%s", swauth_verdict_message(verdict));
	res->file_size = (uint64_t)st.st_size;
	res->has |= SWAUTH_VERIFY_HAS_FILE_SIZE;
	set_header(res, &hdr);
	return 0;
}

/**
 * swauth_image_seal_digest() - the digest that pins a whole image, cheaply
 * @fd: the image, read with pread(2)
 * @check_payload: also hash the payload and compare it with the digest its
 *                 manifest carries
 * @sha256: receives the SHA-256 of the header, manifest and signature
 * @err: filled on failure
 *
 * The manifest carries the payload's digest, so the SHA-256 of everything
 * before the payload, together with a payload that matches that digest,
 * pins every byte of the image: a record of it (swcopy's .swcopy-sums)
 * needs no pass over the payload when the payload's digest was just
 * verified, and a later check needs only the pass that verification makes.
 * Nothing here checks the signature.
 *
 * Return: 0; -EBADMSG when @fd is not a well-formed image of its size or
 * (with @check_payload) its payload does not match; or -errno.
 */
int swauth_image_seal_digest(int fd, bool check_payload, uint8_t sha256[32],
			     struct swauth_error *err)
{
	struct swauth_verify_result *res = calloc(1, sizeof(*res));
	uint8_t *prefix = malloc(PREFIX_MAX);
	struct swauth_image_header hdr;
	unsigned int len = 0;
	uint32_t verdict;
	struct stat st;
	ssize_t n;
	int ret;

	if (!res || !prefix) {
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	if (fstat(fd, &st)) {
		ret = swauth_error_set(err, -errno, "fstat: %s", strerror(errno));
		goto out;
	}
	verdict = read_header(fd, prefix, (uint64_t)st.st_size, &hdr);
	if (!verdict) {
		n = read_at(fd, prefix + SWAUTH_IMAGE_HEADER_SIZE,
			    (size_t)hdr.payload_offset - SWAUTH_IMAGE_HEADER_SIZE,
			    SWAUTH_IMAGE_HEADER_SIZE);
		if (n < 0 || (size_t)n < hdr.payload_offset - SWAUTH_IMAGE_HEADER_SIZE)
			verdict = SWAUTH_VERDICT_TRUNCATED_SIGNATURE;
	}
	if (!verdict && check_payload)
		verdict = hash_payload(fd, &hdr, res);
	if (verdict) {
		ret = swauth_error_set(err, -EBADMSG, "%s", swauth_verdict_message(verdict));
		goto out;
	}
	ret = 0;
	if (EVP_Digest(prefix, (size_t)hdr.payload_offset, sha256, &len, EVP_sha256(), NULL) != 1 ||
	    len != 32)
		ret = swauth_error_set(err, -EIO, "SHA256: OpenSSL failed");
out:
	ERR_clear_error();
	free(prefix);
	free(res);
	return ret;
}

/**
 * swauth_verify_user() - verify an image in userspace, with OpenSSL
 * @path: the image file
 * @dirs: where the trusted certificates are; NULL, or empty lists, for
 *        SWAUTH_ROLLOVER_DIR and SWAUTH_KEYS_DIR (which may be missing)
 * @res: receives the result; a failed verification is a verdict, not an
 *       error
 * @err: filled on failure
 *
 * Unlike the module, this cannot deny writers while it reads: a file that
 * changes during the check can give IO_ERROR, TRUNCATED_* or
 * TRAILING_DATA, and WRITE_BUSY is never reported.
 *
 * Return: 0, or -errno when @path cannot be opened or a directory given
 * in @dirs cannot be read.
 */
int swauth_verify_user(const char *path, const struct swauth_trust_dirs *dirs,
		       struct swauth_verify_result *res, struct swauth_error *err)
{
	struct trust *t;
	uint8_t *prefix;
	int fd, ret;

	memset(res, 0, sizeof(*res));
	t = calloc(1, sizeof(*t));
	prefix = malloc(PREFIX_MAX);
	if (!t || !prefix) {
		ret = swauth_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	ret = load_trust(t, dirs, err);
	if (ret)
		goto out;
	/* O_NONBLOCK: a FIFO must get its verdict, not hang the open. */
	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	res->verdict = verify_fd(fd, t, prefix, res);
	res->has |= SWAUTH_VERIFY_HAS_VERDICT;
	res->verifier = SWAUTH_VERIFIER_USERSPACE;
	close(fd);
out:
	if (t)
		trust_free(t);
	free(t);
	free(prefix);
	return ret;
}

/*
 * Verification of bytes as they arrive (swcopy /verify): the manifest is
 * checked as soon as it is complete, so that an untrusted image stops the
 * transfer before its payload is fetched, and the payload is hashed while
 * it streams, without a second pass over the file.
 */
struct swauth_verify_stream {
	struct trust trust;
	struct swauth_image_header hdr;
	uint8_t prefix[PREFIX_MAX];
	size_t got;			/* bytes of the prefix so far */
	uint64_t payload_got;
	uint64_t announced;		/* 0: unknown */
	bool have_hdr, signed_ok;
	uint32_t verdict;		/* a failure, once there is one */
	EVP_MD_CTX *md;
	struct swauth_verify_result *res;
};

/**
 * swauth_verify_stream_new() - start verifying bytes as they arrive
 * @dirs: the trust directories, as for swauth_verify_user()
 * @res: receives the result as it becomes known; kept by the stream
 * @sp: receives the stream
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swauth_verify_stream_new(const struct swauth_trust_dirs *dirs,
			     struct swauth_verify_result *res, struct swauth_verify_stream **sp,
			     struct swauth_error *err)
{
	struct swauth_verify_stream *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return swauth_error_set(err, -ENOMEM, "out of memory");
	ret = load_trust(&s->trust, dirs, err);
	if (ret) {
		trust_free(&s->trust);
		free(s);
		return ret;
	}
	memset(res, 0, sizeof(*res));
	res->verifier = SWAUTH_VERIFIER_USERSPACE;
	s->res = res;
	*sp = s;
	return 0;
}

/* Header, then manifest and signature: what decides before the payload. */
static uint32_t stream_prefix(struct swauth_verify_stream *s)
{
	uint32_t verdict;

	if (!s->have_hdr && s->got >= SWAUTH_IMAGE_HEADER_SIZE) {
		verdict = swauth_image_parse(s->prefix, s->got, &s->hdr);
		if (verdict != SWAUTH_VERDICT_OK && verdict != SWAUTH_VERDICT_TYPE_NOT_ALLOWED)
			return verdict;
		set_header(s->res, &s->hdr);
		if (verdict)
			return verdict;
		if (s->announced) {
			verdict = swauth_image_check_size(&s->hdr, s->announced);
			if (verdict)
				return verdict;
		}
		s->have_hdr = true;
	}
	if (s->have_hdr && !s->signed_ok && s->got >= s->hdr.payload_offset) {
		verdict = check_signature(&s->trust, &s->hdr, s->prefix, s->res);
		if (verdict)
			return verdict;
		s->md = EVP_MD_CTX_new();
		if (!s->md ||
		    EVP_DigestInit_ex(s->md, swauth_cert_hash_md(s->hdr.hash_algo), NULL) != 1)
			return SWAUTH_VERDICT_IO_ERROR;
		s->signed_ok = true;
	}
	return SWAUTH_VERDICT_OK;
}

/**
 * swauth_verify_stream_size() - the size the server announced
 * @s: the stream
 * @total: the whole file's size
 *
 * Return: SWAUTH_VERDICT_OK, or the verdict that the size already decides.
 */
uint32_t swauth_verify_stream_size(struct swauth_verify_stream *s, uint64_t total)
{
	s->announced = total;
	if (!total)
		s->verdict = SWAUTH_VERDICT_EMPTY;
	else if (s->have_hdr)
		s->verdict = swauth_image_check_size(&s->hdr, total);
	return s->verdict;
}

/**
 * swauth_verify_stream_signed() - whether the manifest has been checked
 * @s: the stream
 *
 * Return: true once the signature over the manifest verified; from then on
 * only the payload's digest is left to compute.
 */
bool swauth_verify_stream_signed(const struct swauth_verify_stream *s)
{
	return s->signed_ok;
}

/**
 * swauth_verify_stream_feed() - the next bytes of the image
 * @s: the stream
 * @buf: the bytes
 * @len: how many
 *
 * Return: SWAUTH_VERDICT_OK while the image may still be good, else the
 * verdict, final: an untrusted signature as soon as the manifest is in.
 */
uint32_t swauth_verify_stream_feed(struct swauth_verify_stream *s, const void *buf,
				   size_t len)
{
	const uint8_t *p = buf;
	size_t take;

	if (s->verdict)
		return s->verdict;
	if (!s->signed_ok) {
		take = s->have_hdr ? (size_t)s->hdr.payload_offset - s->got :
				     SWAUTH_IMAGE_HEADER_SIZE - s->got;
		while (len && !s->signed_ok) {
			take = take < len ? take : len;
			memcpy(s->prefix + s->got, p, take);
			s->got += take;
			p += take;
			len -= take;
			s->verdict = stream_prefix(s);
			if (s->verdict)
				return s->verdict;
			take = s->have_hdr ? (size_t)s->hdr.payload_offset - s->got : 0;
			if (!take && !s->signed_ok)
				break;
		}
	}
	if (!len)
		return SWAUTH_VERDICT_OK;
	if (s->payload_got + len > s->hdr.payload_size)
		return s->verdict = SWAUTH_VERDICT_TRAILING_DATA;
	if (EVP_DigestUpdate(s->md, p, len) != 1)
		return s->verdict = SWAUTH_VERDICT_IO_ERROR;
	s->payload_got += len;
	return SWAUTH_VERDICT_OK;
}

/**
 * swauth_verify_stream_end() - all bytes are in: the verdict
 * @s: the stream; freed
 *
 * Return: the verdict, also in the result given to swauth_verify_stream_new().
 */
uint32_t swauth_verify_stream_end(struct swauth_verify_stream *s)
{
	struct swauth_verify_result *res = s->res;
	unsigned int dlen = 0;
	uint32_t verdict = s->verdict;

	if (!verdict && !s->got)
		verdict = SWAUTH_VERDICT_EMPTY;
	else if (!verdict && !s->have_hdr)
		verdict = SWAUTH_VERDICT_TRUNCATED_HEADER;
	else if (!verdict && !s->signed_ok)
		verdict = SWAUTH_VERDICT_TRUNCATED_SIGNATURE;
	else if (!verdict && s->payload_got < s->hdr.payload_size)
		verdict = SWAUTH_VERDICT_TRUNCATED_PAYLOAD;
	if (!verdict && EVP_DigestFinal_ex(s->md, res->computed_digest, &dlen) == 1 &&
	    dlen == s->hdr.digest_size) {
		res->computed_digest_len = dlen;
		res->has |= SWAUTH_VERIFY_HAS_COMPUTED_DIGEST;
		verdict = memcmp(res->computed_digest, s->hdr.payload_digest, dlen) ?
			  SWAUTH_VERDICT_BAD_DIGEST : SWAUTH_VERDICT_OK;
	} else if (!verdict) {
		verdict = SWAUTH_VERDICT_IO_ERROR;
	}
	res->file_size = s->got + s->payload_got;
	res->verdict = verdict;
	res->has |= SWAUTH_VERIFY_HAS_VERDICT | SWAUTH_VERIFY_HAS_FILE_SIZE;
	swauth_verify_stream_free(s);
	return verdict;
}

/**
 * swauth_verify_stream_free() - drop a stream without a verdict
 * @s: the stream, or NULL
 */
void swauth_verify_stream_free(struct swauth_verify_stream *s)
{
	if (!s)
		return;
	EVP_MD_CTX_free(s->md);
	trust_free(&s->trust);
	free(s);
	ERR_clear_error();
}

/**
 * swauth_file_md5() - the MD5 of a whole file (the seeds' "CCO hash")
 * @path: the file
 * @md5: receives the digest
 * @err: filled on failure
 *
 * Return: 0, or -errno.
 */
int swauth_file_md5(const char *path, uint8_t md5[16], struct swauth_error *err)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t *buf = malloc(CHUNK_SIZE);
	unsigned int len = 0;
	int fd = -1, ret = 0;
	ssize_t n;

	if (!ctx || !buf || EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1) {
		ret = swauth_error_set(err, -ENOMEM, "MD5: OpenSSL cannot start the hash");
		goto out;
	}
	fd = open(path, O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = swauth_error_set(err, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	while ((n = read(fd, buf, CHUNK_SIZE)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = swauth_error_set(err, -errno, "reading %s: %s", path, strerror(errno));
			goto out;
		}
		EVP_DigestUpdate(ctx, buf, (size_t)n);
	}
	if (EVP_DigestFinal_ex(ctx, md5, &len) != 1 || len != 16)
		ret = swauth_error_set(err, -EIO, "MD5: OpenSSL failed");
out:
	if (fd >= 0)
		close(fd);
	free(buf);
	EVP_MD_CTX_free(ctx);
	ERR_clear_error();
	return ret;
}

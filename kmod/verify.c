// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Image verification. The image is read through the caller's file, in
 * the caller's context and in fixed-size chunks, with write access to the
 * file denied from the first byte to the verdict. Every byte is read once:
 * the first read holds the header, the bundled certificate and the
 * signature, and the header is parsed, the manifest hashed and the
 * signature checked on those very bytes, so a file system that answers a
 * second read differently has nothing to offer. The signature over the
 * manifest is checked before the payload is read, and the payload then
 * goes through the hash in one streaming pass: memory use does not depend
 * on the image's size. A fatal signal ends the read between chunks.
 */

#include <crypto/hash.h>
#include <crypto/algapi.h>
#include <crypto/public_key.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "swauth.h"

/*
 * Reads up to len bytes at *pos into buf, in the caller's context. A
 * short read is continued where it stopped, never restarted; only the end
 * of the file stops early. A fatal signal ends the read with -EINTR.
 *
 * Return: the bytes read, or -errno.
 */
static ssize_t read_upto(struct file *file, u8 *buf, size_t len, loff_t *pos)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		if (fatal_signal_pending(current))
			return -EINTR;
		n = kernel_read(file, buf + got, len - got, pos);
		if (n < 0)
			return fatal_signal_pending(current) ? -EINTR : n;
		if (n == 0)
			break;
		got += n;
	}
	return got;
}

/* Hashes bytes of the payload and gives the copy exactly those bytes. */
static int take_payload(struct shash_desc *desc, const u8 *p, size_t n,
			struct swauth_seal *seal)
{
	int ret = crypto_shash_update(desc, p, n);

	if (!ret && seal)
		swauth_seal_feed(seal, p, n);
	return ret;
}

/*
 * Streams the rest of the payload, left bytes of it from *pos, through the
 * hash, one chunk at a time in buf. The file must end exactly there.
 *
 * Return: 0 with res->verdict set when the file ended early or went on,
 * else -errno (-EINTR on a fatal signal).
 */
static int hash_rest(struct file *file, struct shash_desc *desc, u8 *buf,
		     u64 left, loff_t *pos, struct swauth_verify_result *res,
		     struct swauth_seal *seal)
{
	ssize_t n;
	int ret;

	while (left) {
		n = read_upto(file, buf, min_t(u64, left, SWAUTH_READ_CHUNK), pos);
		if (n < 0)
			return n;
		if (n == 0) {
			res->verdict = SWAUTH_VERDICT_TRUNCATED_PAYLOAD;
			return 0;
		}
		ret = take_payload(desc, buf, n, seal);
		if (ret)
			return ret;
		left -= n;
		cond_resched();
	}
	/* The size came from the inode; the end is what the reads find. */
	n = read_upto(file, buf, 1, pos);
	if (n < 0)
		return n;
	if (n)
		res->verdict = SWAUTH_VERDICT_TRAILING_DATA;
	return 0;
}

static bool signed_by(const struct swauth_key *k,
		      const struct swauth_image_header *hdr, u8 *sig,
		      u8 *digest)
{
	struct public_key_signature pks = {
		.s = sig,
		.s_size = hdr->sig_size,
		.digest = digest,
		.digest_size = hdr->digest_size,
		.pkey_algo = "rsa",
		.hash_algo = swauth_hash_name(hdr->hash_algo),
		.encoding = "pkcs1",
	};

	return k && verify_signature(k->key, &pks) == 0;
}

/*
 * The claimed key first. When it fails, any other trusted key that made
 * the signature tells the operator what really signed the image. The
 * signer found keeps its reference in res.
 */
static enum swauth_verdict check_signature(const struct swauth_image_header *hdr,
					   u8 *sig, u8 *digest,
					   struct swauth_verify_result *res)
{
	struct swauth_key *claimed, *k;
	bool had_claimed;
	int t, v;

	claimed = swauth_keys_get(hdr->key_type, hdr->key_version);
	had_claimed = claimed;
	if (signed_by(claimed, hdr, sig, digest)) {
		res->signer = claimed;
		return SWAUTH_VERDICT_OK;
	}
	swauth_keys_put(claimed);
	for (t = SWAUTH_KEY_ROLLOVER; t <= SWAUTH_KEY_MAX; t++) {
		for (v = 'A'; v <= 'Z'; v++) {
			if (t == hdr->key_type && v == hdr->key_version)
				continue;
			k = swauth_keys_get(t, v);
			if (!signed_by(k, hdr, sig, digest)) {
				swauth_keys_put(k);
				continue;
			}
			res->signer = k;
			return t == hdr->key_type ?
			       SWAUTH_VERDICT_SIGNER_VERSION_MISMATCH :
			       SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH;
		}
	}
	return had_claimed ? SWAUTH_VERDICT_BAD_SIGNATURE :
			     SWAUTH_VERDICT_UNKNOWN_KEY;
}

/*
 * The signature over the manifest in buf (hdr parsed from it), with the
 * bundled certificate kept for the caller: res->verdict says.
 */
static int check_manifest(struct shash_desc *desc, u8 *buf,
			  struct swauth_verify_result *res)
{
	const struct swauth_image_header *hdr = &res->hdr;
	u8 digest[SWAUTH_IMAGE_DIGEST_MAX];
	int ret;

	ret = crypto_shash_digest(desc, buf, hdr->manifest_size, digest);
	if (ret)
		goto out;
	if (hdr->cert_size) {
		res->bundled = kmemdup(buf + SWAUTH_IMAGE_HEADER_SIZE,
				       hdr->cert_size, GFP_KERNEL);
		if (!res->bundled) {
			ret = -ENOMEM;
			goto out;
		}
	}
	res->verdict = check_signature(hdr, buf + hdr->manifest_size, digest,
				       res);
out:
	memzero_explicit(digest, sizeof(digest));
	return ret;
}

/*
 * Everything after the header, decided on the got bytes of the first read
 * in buf: the manifest's digest, the signature, and the payload, whose
 * first bytes are already in buf and whose rest follows from offset got.
 * The caller checked that buf holds at least the manifest and signature,
 * and no more than the whole image.
 */
static int verify_body(struct file *file, struct swauth_verify_result *res,
		       u8 *buf, size_t got, struct swauth_seal *seal)
{
	const struct swauth_image_header *hdr = &res->hdr;
	size_t first = got - hdr->payload_offset;
	struct crypto_shash *tfm;
	struct shash_desc *desc;
	size_t desc_size;
	loff_t pos = got;
	int ret;

	tfm = swauth_hash_tfm(hdr->hash_algo);
	desc_size = sizeof(*desc) + crypto_shash_descsize(tfm);
	desc = kzalloc(desc_size, GFP_KERNEL);
	if (!desc) {
		ret = -ENOMEM;
		goto out;
	}
	desc->tfm = tfm;
	swauth_state_mem(desc_size);

	ret = check_manifest(desc, buf, res);
	if (ret || res->verdict != SWAUTH_VERDICT_OK)
		goto out_free_desc;
	if (seal) {
		ret = swauth_seal_header(seal, buf, hdr->payload_offset);
		if (ret)
			goto out_free_desc;
	}

	/* Only a trusted manifest gets its payload read. */
	ret = crypto_shash_init(desc) ?:
	      take_payload(desc, buf + hdr->payload_offset, first, seal) ?:
	      hash_rest(file, desc, buf, hdr->payload_size - first, &pos, res,
			seal);
	if (ret || res->verdict != SWAUTH_VERDICT_OK)
		goto out_free_desc;
	ret = crypto_shash_final(desc, res->computed_digest);
	if (ret)
		goto out_free_desc;
	res->have_computed = true;
	if (crypto_memneq(res->computed_digest, hdr->payload_digest,
			  hdr->digest_size))
		res->verdict = SWAUTH_VERDICT_BAD_DIGEST;

out_free_desc:
	kfree_sensitive(desc);
	swauth_state_mem(-desc_size);
out:
	return ret;
}

/*
 * One read from offset 0 brings the header, the bundled certificate and
 * the signature into one buffer; every decision is made on those bytes,
 * and the payload continues from where that read stopped.
 */
static int verify_file(struct file *file, struct swauth_verify_result *res,
		       struct swauth_seal *seal)
{
	struct swauth_image_header *hdr = &res->hdr;
	loff_t pos = 0;
	size_t want;
	ssize_t got;
	int ret = 0;
	u8 *buf;

	BUILD_BUG_ON(SWAUTH_IMAGE_HEADER_SIZE + SWAUTH_IMAGE_CERT_MAX +
		     SWAUTH_IMAGE_SIG_MAX > SWAUTH_READ_CHUNK);
	res->file_size = i_size_read(file_inode(file));
	if (!res->file_size) {
		res->verdict = SWAUTH_VERDICT_EMPTY;
		return 0;
	}
	buf = kvmalloc(SWAUTH_READ_CHUNK, GFP_KERNEL);
	if (!buf) {
		res->verdict = SWAUTH_VERDICT_IO_ERROR;
		return 0;
	}
	swauth_state_mem(SWAUTH_READ_CHUNK);
	want = min_t(u64, res->file_size, SWAUTH_READ_CHUNK);
	got = read_upto(file, buf, want, &pos);
	if (got < 0) {
		ret = got;
		goto out;
	}
	/* A file that ends before its inode's size is as long as its bytes. */
	if (got < want)
		res->file_size = got;
	res->verdict = swauth_image_parse(buf, got, hdr);
	res->have_header = res->verdict == SWAUTH_VERDICT_OK ||
			   res->verdict == SWAUTH_VERDICT_TYPE_NOT_ALLOWED;
	if (res->have_header)
		swauth_dbg(SWAUTH_DEBUG_F_ENVELOPE,
			   "envelope: image type %u, key type %u version %c, hash %u, signature %u bits, payload %llu bytes\n",
			   hdr->image_type, hdr->key_type, hdr->key_version,
			   hdr->hash_algo, hdr->sig_size * 8, hdr->payload_size);
	if (res->verdict == SWAUTH_VERDICT_OK)
		res->verdict = swauth_image_check_size(hdr, res->file_size);
	if (res->verdict == SWAUTH_VERDICT_OK)
		ret = verify_body(file, res, buf, got, seal);
out:
	kvfree(buf);
	swauth_state_mem(-SWAUTH_READ_CHUNK);
	if (ret == -EINTR)
		return ret;
	if (ret)
		res->verdict = SWAUTH_VERDICT_IO_ERROR;
	return 0;
}

/**
 * swauth_verify_header() - check an image's signed header held in memory
 * @buf: the manifest and the signature, as they lead the image
 * @len: their bytes
 * @res: the verdict, the header and the signer, as swauth_verify_fd()
 *       gives them; swauth_verify_result_release() it after use
 *
 * The payload is not there: whoever holds it compares its digest with
 * res->hdr.payload_digest.
 *
 * Return: 0 when a verdict was reached (which may be a failure), or
 * -ENOMEM.
 */
int swauth_verify_header(u8 *buf, size_t len, struct swauth_verify_result *res)
{
	struct crypto_shash *tfm;
	struct shash_desc *desc;
	size_t desc_size;
	int ret;

	memset(res, 0, sizeof(*res));
	res->verdict = swauth_image_parse(buf, len, &res->hdr);
	if (res->verdict == SWAUTH_VERDICT_OK)
		res->verdict = swauth_image_check_size(&res->hdr,
						       len + res->hdr.payload_size);
	res->have_header = res->verdict == SWAUTH_VERDICT_OK;
	if (!res->have_header)
		return 0;
	tfm = swauth_hash_tfm(res->hdr.hash_algo);
	desc_size = sizeof(*desc) + crypto_shash_descsize(tfm);
	desc = kzalloc(desc_size, GFP_KERNEL);
	if (!desc)
		return -ENOMEM;
	desc->tfm = tfm;
	ret = check_manifest(desc, buf, res);
	kfree_sensitive(desc);
	if (ret)
		swauth_verify_result_release(res);
	return ret;
}

/**
 * swauth_verify_result_release() - free what a result holds
 * @res: a result swauth_verify_fd() filled
 */
void swauth_verify_result_release(struct swauth_verify_result *res)
{
	swauth_keys_put(res->signer);
	res->signer = NULL;
	kfree(res->bundled);
	res->bundled = NULL;
}

/**
 * swauth_verify_fd() - verify the image behind a file descriptor
 * @fd: a descriptor of the calling process
 * @res: the verdict and what was learnt about the image on the way;
 *       swauth_verify_result_release() it after use
 * @seal: when not NULL, receives the payload as it is hashed
 *
 * Reads in the caller's context, holding no lock, with write access to the
 * file denied from the first byte to the verdict. Memory use does not
 * depend on the image's size.
 *
 * Return: 0 when a verdict was reached (which may be a failure), -EBADF
 * when @fd is not a file open for reading, -EINTR when the caller got a
 * fatal signal (@res then holds nothing).
 */
int swauth_verify_fd(int fd, struct swauth_verify_result *res,
		     struct swauth_seal *seal)
{
	struct fd f;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	if (fd < 0)
		return -EBADF;
	f = fdget(fd);
	if (!f.file)
		return -EBADF;
	if (!(f.file->f_mode & FMODE_READ)) {
		fdput(f);
		return -EBADF;
	}
	if (!S_ISREG(file_inode(f.file)->i_mode)) {
		res->verdict = SWAUTH_VERDICT_NOT_REGULAR;
	} else if (deny_write_access(f.file)) {
		res->verdict = SWAUTH_VERDICT_WRITE_BUSY;
	} else {
		/* From here to the verdict, nobody may write to the file. */
		ret = verify_file(f.file, res, seal);
		allow_write_access(f.file);
	}
	fdput(f);
	if (ret) {
		swauth_verify_result_release(res);
		return ret;
	}

	swauth_state_count(res->verdict == SWAUTH_VERDICT_OK);
	if (res->verdict != SWAUTH_VERDICT_OK)
		swauth_dbg(SWAUTH_DEBUG_F_ERRORS, "image rejected: verdict %d\n",
			   res->verdict);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Image verification. The image is read through the caller's file in
 * fixed-size chunks, with write access to the file denied from the first
 * byte to the verdict, so the bytes verified are the bytes on disk. The
 * signature over the manifest is checked before the payload is read, and
 * the payload then goes through the hash in one streaming pass: memory use
 * does not depend on the image's size.
 */

#include <crypto/hash.h>
#include <crypto/algapi.h>
#include <crypto/public_key.h>
#include <linux/completion.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "swauth.h"

/* Reads exactly len bytes at *pos, or fails: a short file is an error. */
static int read_exact(struct file *file, void *buf, size_t len, loff_t *pos)
{
	ssize_t n;

	while (len) {
		n = kernel_read(file, buf, len, pos);
		if (n < 0)
			return n;
		if (n == 0)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

/*
 * A read of the next chunk, done on another CPU while this one hashes the
 * current chunk: the copy out of the page cache then costs no time on the
 * hashing CPU. The worker reads through the caller's open file, whose
 * write access stays denied until the caller has waited for it.
 */
struct prefetch {
	struct work_struct work;
	struct completion done;
	struct file *file;
	void *buf;
	size_t len;
	loff_t pos;
	int ret;
};

static void prefetch_fn(struct work_struct *work)
{
	struct prefetch *p = container_of(work, struct prefetch, work);

	p->ret = read_exact(p->file, p->buf, p->len, &p->pos);
	complete(&p->done);
}

/*
 * Hashes len bytes of the file from *pos into desc, alternating between
 * the two chunk buffers: one is hashed while the other is filled.
 */
static int hash_range(struct file *file, struct shash_desc *desc,
		      u8 *chunks[2], u64 len, loff_t *pos,
		      struct swauth_seal *seal)
{
	struct prefetch p = { .file = file };
	size_t n, next;
	int cur = 0, ret;

	if (!len)
		return 0;
	INIT_WORK_ONSTACK(&p.work, prefetch_fn);
	init_completion(&p.done);
	n = min_t(u64, len, SWAUTH_READ_CHUNK);
	ret = read_exact(file, chunks[cur], n, pos);
	while (!ret) {
		len -= n;
		next = min_t(u64, len, SWAUTH_READ_CHUNK);
		if (next) {
			p.buf = chunks[!cur];
			p.len = next;
			p.pos = *pos;
			reinit_completion(&p.done);
			queue_work(system_unbound_wq, &p.work);
		}
		ret = crypto_shash_update(desc, chunks[cur], n);
		/* The copy gets exactly the bytes the hash got. */
		if (!ret && seal)
			swauth_seal_feed(seal, chunks[cur], n);
		if (!next)
			break;
		/* Always wait: the work item lives on this stack. */
		wait_for_completion(&p.done);
		*pos = p.pos;
		if (!ret)
			ret = p.ret;
		cur = !cur;
		n = next;
	}
	destroy_work_on_stack(&p.work);
	return ret;
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

/* Everything after the header: manifest, signature, payload. */
static int verify_body(struct file *file, struct swauth_verify_result *res,
		       u8 *chunks[2], struct swauth_seal *seal)
{
	const struct swauth_image_header *hdr = &res->hdr;
	u8 sig[SWAUTH_IMAGE_SIG_MAX], digest[SWAUTH_IMAGE_DIGEST_MAX];
	struct crypto_shash *tfm;
	struct shash_desc *desc;
	size_t desc_size;
	loff_t pos = 0;
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

	ret = crypto_shash_init(desc) ?:
	      hash_range(file, desc, chunks, hdr->manifest_size, &pos, NULL) ?:
	      crypto_shash_final(desc, digest) ?:
	      read_exact(file, sig, hdr->sig_size, &pos);
	if (ret)
		goto out_free_desc;
	/* The manifest is smaller than a chunk: it is all in chunks[0]. */
	BUILD_BUG_ON(SWAUTH_IMAGE_HEADER_SIZE + SWAUTH_IMAGE_CERT_MAX >
		     SWAUTH_READ_CHUNK);
	if (hdr->cert_size) {
		res->bundled = kmemdup(chunks[0] + SWAUTH_IMAGE_HEADER_SIZE,
				       hdr->cert_size, GFP_KERNEL);
		if (!res->bundled) {
			ret = -ENOMEM;
			goto out_free_desc;
		}
	}
	res->verdict = check_signature(hdr, sig, digest, res);
	if (res->verdict != SWAUTH_VERDICT_OK)
		goto out_free_desc;

	/* Only a trusted manifest gets its payload read. */
	ret = crypto_shash_init(desc) ?:
	      hash_range(file, desc, chunks, hdr->payload_size, &pos, seal) ?:
	      crypto_shash_final(desc, res->computed_digest);
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
	memzero_explicit(digest, sizeof(digest));
	return ret;
}

static enum swauth_verdict verify_file(struct file *file,
				       struct swauth_verify_result *res,
				       struct swauth_seal *seal)
{
	enum swauth_verdict verdict;
	u8 *chunks[2];
	loff_t pos = 0;
	size_t head;
	int ret;

	res->file_size = i_size_read(file_inode(file));
	if (!res->file_size)
		return SWAUTH_VERDICT_EMPTY;

	chunks[0] = kvmalloc_array(2, SWAUTH_READ_CHUNK, GFP_KERNEL);
	if (!chunks[0])
		return SWAUTH_VERDICT_IO_ERROR;
	chunks[1] = chunks[0] + SWAUTH_READ_CHUNK;
	swauth_state_mem(2 * SWAUTH_READ_CHUNK);
	head = min_t(u64, res->file_size, SWAUTH_IMAGE_HEADER_SIZE);
	ret = read_exact(file, chunks[0], head, &pos);
	if (ret) {
		verdict = SWAUTH_VERDICT_IO_ERROR;
		goto out;
	}
	verdict = swauth_image_parse(chunks[0], head, &res->hdr);
	res->have_header = verdict == SWAUTH_VERDICT_OK ||
			   verdict == SWAUTH_VERDICT_TYPE_NOT_ALLOWED;
	if (res->have_header)
		swauth_dbg(SWAUTH_DEBUG_F_ENVELOPE,
			   "envelope: image type %u, key type %u version %c, hash %u, signature %u bits, payload %llu bytes\n",
			   res->hdr.image_type, res->hdr.key_type,
			   res->hdr.key_version, res->hdr.hash_algo,
			   res->hdr.sig_size * 8, res->hdr.payload_size);
	if (verdict == SWAUTH_VERDICT_OK)
		verdict = swauth_image_check_size(&res->hdr, res->file_size);
	if (verdict != SWAUTH_VERDICT_OK)
		goto out;
	res->verdict = SWAUTH_VERDICT_OK;
	ret = verify_body(file, res, chunks, seal);
	verdict = ret ? SWAUTH_VERDICT_IO_ERROR : res->verdict;
out:
	kvfree(chunks[0]);
	swauth_state_mem(-2 * SWAUTH_READ_CHUNK);
	return verdict;
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
 * Return: 0 when a verdict was reached (which may be a failure), -EBADF
 * when @fd is not a file open for reading.
 */
int swauth_verify_fd(unsigned int fd, struct swauth_verify_result *res,
		     struct swauth_seal *seal)
{
	struct fd f = fdget(fd);

	memset(res, 0, sizeof(*res));
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
		res->verdict = verify_file(f.file, res, seal);
		allow_write_access(f.file);
	}
	fdput(f);

	swauth_state_count(res->verdict == SWAUTH_VERDICT_OK);
	if (res->verdict != SWAUTH_VERDICT_OK)
		swauth_dbg(SWAUTH_DEBUG_F_ERRORS, "image rejected: verdict %d\n",
			   res->verdict);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The module's private interfaces, one section per .c file. Every symbol
 * shared between files starts with swauth_; the rest is static.
 */

#ifndef _SWAUTH_H
#define _SWAUTH_H

#include <linux/kref.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <uapi/linux/swauth.h>

#include "image.h"
#include "keystore.h"

struct key;
struct netlink_ext_ack;

/* Limits and tunables. */
enum swauth_limits {
	/* Versions of a key type: the letters A to Z. */
	SWAUTH_KEY_VERSIONS = 26,
	/*
	 * Bytes read or hashed at a time, in the caller's context; a fatal
	 * signal is seen between two chunks. The first chunk holds the header,
	 * the bundled certificate and the signature together.
	 */
	SWAUTH_READ_CHUNK = 512 * 1024,
	/* A sealed system image: its kernel and its initramfs. */
	SWAUTH_SEAL_PARTS = 2,
};

/* The copies of key storage, written in this order. */
enum swauth_storage_copy {
	SWAUTH_STORAGE_PRIMARY_COPY,
	SWAUTH_STORAGE_BACKUP_COPY,
	SWAUTH_STORAGE_COPIES,
	SWAUTH_STORAGE_PRIMARY = 1 << SWAUTH_STORAGE_PRIMARY_COPY,
	SWAUTH_STORAGE_BACKUP = 1 << SWAUTH_STORAGE_BACKUP_COPY,
	SWAUTH_STORAGE_ALL = SWAUTH_STORAGE_PRIMARY | SWAUTH_STORAGE_BACKUP,
};

/* state.c */
enum swauth_mode swauth_state_mode(void);
u32 swauth_state_debug(void);
void swauth_state_set_debug(u32 mask);
u64 swauth_state_verified(void);
u64 swauth_state_rejected(void);
void swauth_state_count(bool verified);
void swauth_state_mem(long bytes);
long swauth_state_mem_peak(void);

/*
 * Log a debug message of the given category when it is switched on with
 * SWAUTH_CMD_SET_DEBUG. Ratelimited: a request can be made by any user.
 */
#define swauth_dbg(category, fmt, ...)					\
	do {								\
		if (swauth_state_debug() & (category))			\
			pr_info_ratelimited(fmt, ##__VA_ARGS__);	\
	} while (0)

/* enforce.c */
int __init swauth_enforce_init(void);
void swauth_enforce_uninit(void);
struct vfsmount *swauth_enforce_seal_mnt(void);
int swauth_enforce_set(bool on, struct netlink_ext_ack *extack);
bool swauth_enforce_state(u64 *refused);

/* boot.c */
void __init swauth_boot_init(void);
enum swauth_boot swauth_boot_kind(void);
enum swauth_boot_basis swauth_boot_basis(void);
int swauth_boot_ramdisk(u64 *start, u64 *size);

/* keyring.c */
int swauth_keyring_init(void);
void swauth_keyring_uninit(void);
struct key *swauth_keyring(enum swauth_key_type type);
struct key *swauth_keyring_staging(void);
int swauth_keyring_deny(const struct key *key);

/* rollover_certs.S: the built-in rollover certificates, concatenated DER */
extern const u8 swauth_rollover_certs[];
extern const u8 swauth_rollover_certs_end[];

/* keys.c */
struct swauth_key {
	struct kref ref;
	struct rcu_head rcu;
	u8 type;		/* enum swauth_key_type */
	u8 version;		/* 'A'..'Z' */
	u32 cert_len;
	u8 *cert;		/* its X.509 certificate, DER */
	struct key *key;	/* on the keyring of its type */
};

/* What KEY_ADD and KEY_REVOKE did. */
struct swauth_key_change {
	u8 version;		/* the key added, or the new floor */
	unsigned int nrevoked;
	u8 revoked[SWAUTH_KEY_VERSIONS];
	int results[SWAUTH_STORAGE_COPIES];	/* per copy: 0 or -errno */
};

int __init swauth_keys_init(void);
void swauth_keys_uninit(void);
const char *swauth_keys_type_name(u8 type);
struct swauth_key *swauth_keys_get(u8 type, u8 version);
void swauth_keys_put(struct swauth_key *k);
u8 swauth_keys_floor(u8 type);
unsigned int swauth_keys_generation(void);
int swauth_keys_provision(const u8 *der, u32 len,
			  struct netlink_ext_ack *extack);
int swauth_keys_add(u8 type, unsigned int fd, struct swauth_key_change *r,
		    struct netlink_ext_ack *extack);
int swauth_keys_revoke(u8 type, int fd, int bl_fd, u32 flags,
		       struct swauth_key_change *r,
		       struct netlink_ext_ack *extack);
int swauth_keys_store_init(struct netlink_ext_ack *extack);
int swauth_keys_store_reload(struct netlink_ext_ack *extack);
unsigned int swauth_keys_count(u8 type);

/* storage.c: the two copies of key storage (Documentation/key-store.rst) */
bool swauth_storage_configured(void);
void swauth_storage_init(void);
void swauth_storage_uninit(void);
int __init swauth_storage_setup(void);
int swauth_storage_read(struct swauth_store *st, unsigned int *repair);
void swauth_storage_release(void);
int swauth_storage_readable(void);
int swauth_storage_error(void);
void swauth_storage_write(const struct swauth_store *st, unsigned int mask,
			  int results[SWAUTH_STORAGE_COPIES]);
int swauth_storage_create(const struct swauth_store *st,
			  int results[SWAUTH_STORAGE_COPIES]);
bool swauth_storage_has(int copy, u8 type, u8 version);
u64 swauth_storage_sequence(void);
enum swauth_store_state swauth_storage_state(int copy);

/* hash.c */
struct crypto_shash;

int swauth_hash_init(void);
void swauth_hash_uninit(void);
struct crypto_shash *swauth_hash_tfm(unsigned int algo);
const char *swauth_hash_name(unsigned int algo);

/* seal.c */
struct file;

struct swauth_seal {
	struct swauth_seal_part {
		struct file *file;	/* the module's writable copy */
		u64 size;
		loff_t pos;
	} parts[SWAUTH_SEAL_PARTS];
	struct file *ro[SWAUTH_SEAL_PARTS];	/* read-only, for the caller */
	int fds[SWAUTH_SEAL_PARTS];		/* reserved, or -1 */
	int part;			/* the part being fed */
	u8 size_buf[8];			/* a size field being read */
	unsigned int size_got;
	int err;
	/* For the running-image record at the front of the initramfs copy. */
	u8 *header;			/* the image's signed header */
	u32 header_size;
};

void swauth_seal_init(struct swauth_seal *s);
int swauth_seal_header(struct swauth_seal *s, const u8 *header, u32 size);
int swauth_seal_feed(struct swauth_seal *s, const u8 *p, size_t n);
int swauth_seal_reserve(struct swauth_seal *s, int fds[SWAUTH_SEAL_PARTS]);
void swauth_seal_install(struct swauth_seal *s);
void swauth_seal_release(struct swauth_seal *s);

/* running.c: which image runs, measured from the booted initramfs */
void __init swauth_running_init(void);
void swauth_running_uninit(void);
u64 swauth_running_record_size(const struct swauth_seal *s);
int swauth_running_record(const struct swauth_seal *s, u64 initramfs_size,
			  struct file *to, loff_t *pos);
struct swauth_verify_result;
int swauth_running_get(struct swauth_verify_result *res, const char **why,
		       const char **kernel);

/* verify.c */
struct swauth_verify_result {
	enum swauth_verdict verdict;
	u64 file_size;
	bool have_header;	/* hdr is valid */
	bool have_computed;	/* computed_digest is valid */
	struct swauth_image_header hdr;
	struct swauth_key *signer;	/* a reference, or NULL */
	u8 *bundled;		/* the bundled certificate, hdr.cert_size */
	u8 computed_digest[SWAUTH_IMAGE_DIGEST_MAX];
};

int swauth_verify_fd(int fd, struct swauth_verify_result *res,
		     struct swauth_seal *seal);
void swauth_verify_result_release(struct swauth_verify_result *res);
int swauth_verify_header(u8 *buf, size_t len,
			 struct swauth_verify_result *res);

/* dev.c: /dev/swauth, SWAUTH_IOC_VERIFY and SWAUTH_IOC_SEAL */
int swauth_dev_seal_check(const struct swauth_verify_result *res);
int swauth_dev_init(void);
void swauth_dev_uninit(void);
/* cert.c */
int swauth_cert_check(const u8 *der, u32 len, struct netlink_ext_ack *extack);

/* sysfs.c */
int swauth_sysfs_init(void);
void swauth_sysfs_uninit(void);

/* netlink.c */
int swauth_genetlink_init(void);
void swauth_genetlink_uninit(void);
void swauth_genetlink_event(enum swauth_event event, u8 type, u8 version);
void swauth_genetlink_enforce(bool on);
void swauth_genetlink_refusal(u32 what, u32 pid, u32 uid, const char *comm,
			      const char *name, u64 count);

#endif /* _SWAUTH_H */

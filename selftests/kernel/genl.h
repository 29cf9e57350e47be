/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Test plumbing: raw generic netlink requests to the swauth family, and
 * raw ioctls on /dev/swauth, so that the tests can send what the swauth
 * tool never would (bad versions, unknown attributes, dirty arguments).
 * Helpers return -errno instead of asserting, so a failure points at the
 * test's line.
 */

#ifndef SWAUTH_SELFTEST_GENL_H
#define SWAUTH_SELFTEST_GENL_H

#include <stdint.h>
#include <linux/swauth.h>

struct genl_status {
	char version[SWAUTH_VERSION_LEN];
	uint32_t abi_version, mode, debug;
	uint32_t keys_rollover, keys_production, keys_special;
	uint64_t images_verified, images_rejected;
	uint32_t floor_production, floor_special;
	uint32_t store_primary, store_backup;
	uint64_t store_sequence;
	int32_t store_error;		/* SWAUTH_A_STORE_ERROR, 0 if none */
	uint32_t boot, boot_basis;
	unsigned int nattrs;
};

/* What KEY_ADD or KEY_REVOKE answered. */
struct genl_change {
	uint32_t version;		/* added, or the new floor */
	int32_t primary, backup;	/* per-copy results */
	unsigned int nrevoked;
	uint32_t revoked[26];
};

/* An attribute to add to a request; type 0 ends a list. */
struct genl_attr {
	uint16_t type;
	uint32_t value;
};

/* What an error reply's extended ack said. */
struct genl_ext {
	char msg[256];		/* NLMSGERR_ATTR_MSG, "" if none */
	uint32_t miss_type;	/* NLMSGERR_ATTR_MISS_TYPE, 0 if none */
};

/*
 * Sends one request to the swauth family: command cmd, genl header version
 * version, the given u32 attributes. On an error reply, the kernel's
 * extended ack is stored in ext when ext is not NULL. Returns 0 or -errno.
 */
int genl_request(uint8_t cmd, uint8_t version, const struct genl_attr *attrs,
		 struct genl_status *status, struct genl_ext *ext);

/* GET_STATUS with the right version and no attributes. */
int genl_get_status(struct genl_status *status);

/* SET_DEBUG with the given mask. */
int genl_set_debug(uint32_t mask);

/* What SWAUTH_IOC_VERIFY or SWAUTH_IOC_SEAL answered. */
struct genl_verify {
	uint32_t verdict;
	uint64_t file_size;
	uint32_t image_type, key_type, key_version, hash_algo, sig_bits;
	uint32_t signer_type, signer_version;	/* 0 when absent */
	size_t embedded_len, computed_len, signer_cert_len;
	char name[64];
	int have_header;
	int kernel_fd, initrd_fd;	/* SEAL: -1 when absent */
};

/* One ioctl on a descriptor of /dev/swauth opened for it; 0 or -errno. */
int dev_ioctl(unsigned long cmd, struct swauth_verify_arg *arg);

/*
 * SWAUTH_IOC_SEAL on fd; 0 with *v and the two descriptors (-1: none).
 * The device has no extended ack: ext, when not NULL, is cleared.
 */
int genl_seal(int fd, struct genl_verify *v, int fds[2], struct genl_ext *ext);

/* SWAUTH_IOC_VERIFY on fd; 0 with *v filled, or -errno. ext as above. */
int genl_verify(int fd, struct genl_verify *v, struct genl_ext *ext);

/* PROVISION_KEY with the DER certificate in the file at path. */
int genl_provision(const char *path, struct genl_ext *ext);

/* KEY_ADD of the key the image at path carries. */
int genl_key_add(uint32_t type, const char *path, struct genl_change *c,
		 struct genl_ext *ext);

/* KEY_REVOKE with the running image and boot loader (NULL: none) at paths. */
int genl_key_revoke(uint32_t type, const char *running, const char *bootloader,
		    uint32_t flags, struct genl_change *c, struct genl_ext *ext);

/* One message of the GET_KEYS dump. */
struct genl_key {
	uint32_t type, version, where;
	size_t cert_len;		/* bytes of SWAUTH_A_CERT, 0 if absent */
};

#define GENL_KEYS_MAX (3 * 26)

struct genl_keys {
	unsigned int n;
	struct genl_key keys[GENL_KEYS_MAX];
};

/*
 * The GET_KEYS dump with genl header version version, on a socket of its
 * own, read recv_len bytes at a time (0: 64 KiB); 0, or -errno from the
 * request's error, the dump's end or the socket (-ENOSPC: a message did
 * not fit recv_len).
 */
int genl_get_keys(uint8_t version, size_t recv_len, struct genl_keys *keys,
		  struct genl_ext *ext);

/* Reloads the module with these parameters ("" for none). */
int module_reload(const char *params);

/* Loads the module from $SWAUTH_MODULE unless it is loaded already. */
int module_ensure_loaded(void);

/* Unloads the module; 0 or -errno. */
int module_unload(void);

/* The module's reference count, -1 when it cannot be read. */
long module_refcnt(void);

#endif

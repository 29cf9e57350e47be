/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Test plumbing: raw generic netlink requests to the swauth family, so that
 * the tests can send what the swauth tool never would (bad versions,
 * unknown attributes). Helpers return -errno instead of asserting, so a
 * failure points at the test's line.
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
	unsigned int nattrs;
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

/* What SWAUTH_CMD_VERIFY_IMAGE answered. */
struct genl_verify {
	uint32_t verdict;
	uint64_t file_size;
	uint32_t image_type, key_type, key_version, hash_algo, sig_bits;
	uint32_t signer_type, signer_version;	/* 0 when absent */
	size_t embedded_len, computed_len, signer_cert_len;
	char name[64];
	int have_header;
};

/* VERIFY_IMAGE on fd; 0 with *v filled, or -errno. */
int genl_verify(int fd, struct genl_verify *v, struct genl_ext *ext);

/* PROVISION_KEY with the DER certificate in the file at path. */
int genl_provision(const char *path, struct genl_ext *ext);

/* Loads the module from $SWAUTH_MODULE unless it is loaded already. */
int module_ensure_loaded(void);

/* Unloads the module; 0 or -errno. */
int module_unload(void);

#endif

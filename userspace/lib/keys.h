/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Key storage commands as in-memory models: the GET_KEYS dump, KEY_ADD and
 * KEY_REVOKE (include/uapi/linux/swauth.h). Each parser checks every known
 * attribute's type and length, skips unknown attributes, and rejects a reply
 * that lacks what the uapi promises with -EBADMSG.
 */

#ifndef SWAUTH_LIB_KEYS_H
#define SWAUTH_LIB_KEYS_H

#include <stddef.h>
#include <stdint.h>

#include <linux/swauth.h>

#include "lib/error.h"

struct nlattr;
struct nlmsghdr;
struct swauth_nl;

enum {
	SWAUTH_KEYS_MAX = 256,		/* keys a GET_KEYS dump may list */
	SWAUTH_REVOKED_MAX = 26,	/* one per version letter */
	SWAUTH_KEYS_DUMP_TRIES = 4,	/* dumps tried before NLM_F_DUMP_INTR wins */
};

/* One trusted key, one GET_KEYS message. */
struct swauth_key {
	uint32_t type;			/* enum swauth_key_type */
	uint32_t version;		/* 'A'..'Z' */
	uint32_t where;			/* mask of enum swauth_key_where */
	uint32_t cert_len;
	uint8_t cert[SWAUTH_CERT_MAX];	/* DER */
};

struct swauth_key_list {
	size_t n;
	struct swauth_key *keys;	/* malloc'd; swauth_key_list_free() */
};

struct swauth_key_add_result {
	uint32_t version;		/* the version added */
	int32_t primary;		/* 0 written, -EEXIST present, else -errno */
	int32_t backup;
};

struct swauth_key_revoke_result {
	uint32_t floor;			/* the type's new floor */
	int32_t primary;
	int32_t backup;
	unsigned int n_revoked;
	uint32_t revoked[SWAUTH_REVOKED_MAX];	/* in reply order */
};

/* The walk every parser of this family shares: header checks, then each attribute. */
typedef int (*swauth_attr_fn)(const struct nlattr *attr, void *data, struct swauth_error *err);
int swauth_reply_walk(const struct nlmsghdr *nlh, uint8_t cmd, const char *what,
		      swauth_attr_fn fn, void *data, struct swauth_error *err);
int swauth_attr_u32(const struct nlattr *attr, const char *what, const char *name,
		    uint32_t *v, struct swauth_error *err);
int swauth_attr_version(const struct nlattr *attr, const char *what, const char *name,
			uint32_t *v, struct swauth_error *err);

int swauth_key_parse(const struct nlmsghdr *nlh, struct swauth_key *key,
		     struct swauth_error *err);
int swauth_key_add_parse(const struct nlmsghdr *nlh, struct swauth_key_add_result *res,
			 struct swauth_error *err);
int swauth_key_revoke_parse(const struct nlmsghdr *nlh, struct swauth_key_revoke_result *res,
			    struct swauth_error *err);

int swauth_keys_get(struct swauth_nl *nl, struct swauth_key_list *list,
		    struct swauth_error *err);
void swauth_key_list_free(struct swauth_key_list *list);
int swauth_key_list_append(struct swauth_key_list *list, const struct swauth_key *key);
int swauth_key_add(struct swauth_nl *nl, uint32_t type, int fd,
		   struct swauth_key_add_result *res, struct swauth_error *err);
int swauth_key_revoke(struct swauth_nl *nl, uint32_t type, int fd, int bootloader_fd,
		      uint32_t flags, struct swauth_key_revoke_result *res,
		      struct swauth_error *err);
int swauth_store_init(struct swauth_nl *nl, struct swauth_error *err);
int swauth_store_reload(struct swauth_nl *nl, struct swauth_error *err);

const struct swauth_key *swauth_key_newest(const struct swauth_key_list *list, uint32_t type);

#endif /* SWAUTH_LIB_KEYS_H */

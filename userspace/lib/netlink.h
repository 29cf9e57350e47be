/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The netlink client of the module: the family, loading the module through
 * libkmod, status, debug flags, key storage commands and events.
 */

#ifndef SWAUTH_LIB_NETLINK_H
#define SWAUTH_LIB_NETLINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/swauth.h>

#include "lib/core.h"

/*
 * The netlink transport of libswauth: a generic netlink socket bound to the
 * "swauth" family, and one request/reply transaction at a time. Only the
 * files of userspace/lib/ include this header; subcommands call the
 * per-command functions (status.h, debug.h) instead.
 */

struct nlmsghdr;
struct mnl_socket;
struct swauth_nl;

/*
 * Called once for every reply message of a transaction (not for the final
 * ack). Returns 0 or -errno with @err filled; the first failure is what
 * swauth_nl_transact() returns, once the kernel's ack has been read.
 */
typedef int (*swauth_nl_reply_fn)(const struct nlmsghdr *nlh, void *data,
				  struct swauth_error *err);

int swauth_nl_open(struct swauth_nl **nlp, struct swauth_error *err);
void swauth_nl_close(struct swauth_nl *nl);
struct nlmsghdr *swauth_nl_request(struct swauth_nl *nl, uint8_t cmd);
int swauth_nl_transact(struct swauth_nl *nl, struct nlmsghdr *req, const char *what,
		       swauth_nl_reply_fn fn, void *data, struct swauth_error *err);
int swauth_nl_dump(struct swauth_nl *nl, struct nlmsghdr *req, const char *what,
		   swauth_nl_reply_fn fn, void *data, struct swauth_error *err);
int swauth_nl_parse_error(const struct nlmsghdr *nlh, char *ext, size_t extlen);
struct nlmsghdr *swauth_nl_getfamily(struct swauth_nl *nl);
struct mnl_socket *swauth_nl_socket(struct swauth_nl *nl);

/*
 * Loading swauth.ko on demand through libkmod.
 */

/* Names a swauth.ko to load when none is installed in modules.dep. */
#define SWAUTH_MODULE_ENV "SWAUTH_MODULE"

/* The loaded module in sysfs, visible from every network namespace. */
#define SWAUTH_MODULE_DIR "/sys/module/" SWAUTH_GENL_NAME

int swauth_kmodload(struct swauth_error *err);
bool swauth_module_loaded(void);

/*
 * SWAUTH_CMD_GET_STATUS: the module's state as an in-memory model. Each
 * field is valid only when its SWAUTH_STATUS_HAS_* bit is set in @has, so
 * that "not reported by this module" is never confused with zero.
 */

struct nlmsghdr;
struct swauth_nl;

enum swauth_status_has {
	SWAUTH_STATUS_HAS_VERSION = 1U << 0,
	SWAUTH_STATUS_HAS_ABI_VERSION = 1U << 1,
	SWAUTH_STATUS_HAS_MODE = 1U << 2,
	SWAUTH_STATUS_HAS_DEBUG = 1U << 3,
	SWAUTH_STATUS_HAS_KEYS_ROLLOVER = 1U << 4,
	SWAUTH_STATUS_HAS_KEYS_PRODUCTION = 1U << 5,
	SWAUTH_STATUS_HAS_KEYS_SPECIAL = 1U << 6,
	SWAUTH_STATUS_HAS_IMAGES_VERIFIED = 1U << 7,
	SWAUTH_STATUS_HAS_IMAGES_REJECTED = 1U << 8,
	SWAUTH_STATUS_HAS_FLOOR_PRODUCTION = 1U << 9,
	SWAUTH_STATUS_HAS_FLOOR_SPECIAL = 1U << 10,
	SWAUTH_STATUS_HAS_STORE_PRIMARY = 1U << 11,
	SWAUTH_STATUS_HAS_STORE_BACKUP = 1U << 12,
	SWAUTH_STATUS_HAS_STORE_SEQUENCE = 1U << 13,
	SWAUTH_STATUS_HAS_BOOT = 1U << 14,
	SWAUTH_STATUS_HAS_STORE_ERROR = 1U << 15,
	SWAUTH_STATUS_HAS_BOOT_BASIS = 1U << 16,
	SWAUTH_STATUS_HAS_ENFORCE = 1U << 17,
	SWAUTH_STATUS_HAS_KEXEC_REFUSED = 1U << 18,
	SWAUTH_STATUS_HAS_RUNNING = 1U << 19,
	SWAUTH_STATUS_HAS_RUNNING_WHY = 1U << 20,
	SWAUTH_STATUS_HAS_IMAGE_NAME = 1U << 21,
	SWAUTH_STATUS_HAS_IMAGE_VERSION = 1U << 22,
	SWAUTH_STATUS_HAS_IMAGE_TYPE = 1U << 23,
	SWAUTH_STATUS_HAS_SIGNER_KEY_TYPE = 1U << 24,
	SWAUTH_STATUS_HAS_SIGNER_KEY_VERSION = 1U << 25,
	SWAUTH_STATUS_HAS_HASH_ALGO = 1U << 26,
	SWAUTH_STATUS_HAS_EMBEDDED_DIGEST = 1U << 27,
	SWAUTH_STATUS_HAS_BUILD_TIME = 1U << 28,
	SWAUTH_STATUS_HAS_RUNNING_KERNEL = 1U << 29,
};

/* Bounds of the running image's strings, with the NUL. */
enum {
	SWAUTH_STATUS_WHY_LEN = 256,
	SWAUTH_STATUS_NAME_LEN = 64,		/* the image header's field sizes */
	SWAUTH_STATUS_IMAGE_VERSION_LEN = 32,
	SWAUTH_STATUS_KERNEL_LEN = 256,		/* utsname release, a blank, version */
	SWAUTH_STATUS_DIGEST_MAX = 64,		/* SHA-512 */
};

struct swauth_status {
	uint32_t has;			/* mask of enum swauth_status_has */
	char version[SWAUTH_VERSION_LEN];
	uint32_t abi_version;
	uint32_t mode;			/* enum swauth_mode, possibly one we don't know */
	uint32_t debug;			/* mask of enum swauth_debug_flag */
	uint32_t keys_rollover;
	uint32_t keys_production;
	uint32_t keys_special;
	uint64_t images_verified;
	uint64_t images_rejected;
	/* Key storage (include/uapi/linux/swauth.h, "Key storage"). */
	uint32_t floor_production;	/* 'A'..'Z', or 0 for no floor */
	uint32_t floor_special;
	uint32_t store_primary;		/* enum swauth_store_state */
	uint32_t store_backup;
	uint64_t store_sequence;
	int32_t store_error;		/* -errno: why key storage is unreadable */
	uint32_t boot;			/* enum swauth_boot, possibly one we don't know */
	uint32_t boot_basis;		/* enum swauth_boot_basis, likewise */
	uint32_t enforce;		/* 1 while kexec is enforced */
	uint64_t kexec_refused;		/* kexec loads refused */
	/*
	 * The running image, as the module measured it at load: running is
	 * enum swauth_running; with SWAUTH_RUNNING_UNKNOWN running_why says
	 * why, with SWAUTH_RUNNING_MEASURED the rest is the image's record.
	 */
	uint32_t running;
	char running_why[SWAUTH_STATUS_WHY_LEN];
	char image_name[SWAUTH_STATUS_NAME_LEN];
	char image_version[SWAUTH_STATUS_IMAGE_VERSION_LEN];
	uint32_t image_type;		/* enum swauth_image_type */
	uint32_t signer_key_type;	/* enum swauth_key_type */
	uint32_t signer_key_version;	/* 'A'..'Z' */
	uint32_t hash_algo;		/* enum swauth_hash_algo */
	uint8_t embedded_digest[SWAUTH_STATUS_DIGEST_MAX];	/* the payload digest */
	uint32_t embedded_digest_len;
	uint64_t build_time;		/* seconds since the epoch, UTC */
	char running_kernel[SWAUTH_STATUS_KERNEL_LEN];	/* release and version */
};

int swauth_status_get(struct swauth_nl *nl, struct swauth_status *st, struct swauth_error *err);
int swauth_status_fetch(struct swauth_status *st, struct swauth_error *err);
int swauth_status_parse(const struct nlmsghdr *nlh, struct swauth_status *st,
			struct swauth_error *err);
const char *swauth_status_mode_name(uint32_t mode);
const char *swauth_store_state_name(uint32_t state);
const char *swauth_boot_name(uint32_t boot);
bool swauth_status_running_measured(const struct swauth_status *st);
const char *swauth_status_running_why(const struct swauth_status *st);
char swauth_status_running_signer(const struct swauth_status *st);
int swauth_enforce_set(struct swauth_nl *nl, bool on, struct swauth_error *err);

/*
 * Debug categories (enum swauth_debug_flag) by name, and
 * SWAUTH_CMD_SET_DEBUG.
 */

struct swauth_nl;

struct swauth_debug_category {
	const char *name;
	uint32_t flag;
};

/* In bit order; ends with { NULL, 0 }. */
extern const struct swauth_debug_category swauth_debug_categories[];

int swauth_debug_from_name(const char *name, uint32_t *flag);
const char *swauth_debug_name(uint32_t flag);
int swauth_debug_set(struct swauth_nl *nl, uint32_t mask, struct swauth_error *err);

/*
 * Key storage commands as in-memory models: the GET_KEYS dump, KEY_ADD and
 * KEY_REVOKE (include/uapi/linux/swauth.h). Each parser checks every known
 * attribute's type and length, skips unknown attributes, and rejects a reply
 * that lacks what the uapi promises with -EBADMSG.
 */

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

/*
 * SWAUTH_CMD_EVENT: the "events" multicast group of the swauth family, a
 * subscription to it on its own socket, and a strict parser of its
 * messages (include/uapi/linux/swauth.h, "Events").
 */

struct nlmsghdr;
struct swauth_events;

enum swauth_event_has {
	SWAUTH_EVENT_HAS_KEY_TYPE = 1U << 0,
	SWAUTH_EVENT_HAS_KEY_VERSION = 1U << 1,
	SWAUTH_EVENT_HAS_FLOOR = 1U << 2,
	SWAUTH_EVENT_HAS_ENFORCE = 1U << 3,
	SWAUTH_EVENT_HAS_REFUSED = 1U << 4,
	SWAUTH_EVENT_HAS_PID = 1U << 5,
	SWAUTH_EVENT_HAS_UID = 1U << 6,
	SWAUTH_EVENT_HAS_COMM = 1U << 7,
	SWAUTH_EVENT_HAS_FILE_NAME = 1U << 8,
	SWAUTH_EVENT_HAS_COUNT = 1U << 9,
};

struct swauth_event_msg {
	uint32_t has;			/* mask of enum swauth_event_has */
	uint32_t event;			/* enum swauth_event, possibly one we don't know */
	uint32_t key_type;		/* enum swauth_key_type */
	uint32_t key_version;		/* 'A'..'Z' */
	uint32_t floor;			/* 'A'..'Z', SWAUTH_EVENT_FLOOR_RAISED */
	uint32_t enforce;		/* SWAUTH_EVENT_ENFORCE: the new state */
	/* SWAUTH_EVENT_KEXEC_REFUSED */
	uint32_t refused;		/* enum swauth_refused_load */
	uint32_t pid;
	uint32_t uid;
	char comm[16];
	char file_name[64];		/* "" for kexec_load(2) */
	uint64_t count;			/* refusals so far */
};

typedef int (*swauth_event_fn)(const struct swauth_event_msg *e, void *data);

int swauth_event_parse(const struct nlmsghdr *nlh, struct swauth_event_msg *e,
		       struct swauth_error *err);
int swauth_events_parse_family(const struct nlmsghdr *nlh, uint16_t *family,
			       uint32_t *group, struct swauth_error *err);
int swauth_events_open(struct swauth_events **evp, struct swauth_error *err);
int swauth_events_recv(struct swauth_events *ev, swauth_event_fn fn, void *data,
		       struct swauth_error *err);
void swauth_events_close(struct swauth_events *ev);
const char *swauth_event_token(uint32_t event);
const char *swauth_refused_name(uint32_t refused);

#endif /* SWAUTH_LIB_NETLINK_H */

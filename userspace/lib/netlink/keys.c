// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * GET_KEYS, KEY_ADD and KEY_REVOKE: the requests, and strict parsers of
 * their replies. Attributes are walked by hand rather than with
 * mnl_attr_for_each(), which bounds them by the aligned payload tail and
 * stops silently at one that overruns the message (see verify.c).
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>

#include "lib/netlink.h"

/**
 * swauth_reply_walk() - check a reply's headers and call @fn for each attribute
 * @nlh: the message; its nlmsg_len must not exceed the buffer it is in
 * @cmd: the genetlink command the reply must carry
 * @what: the reply's name for messages, e.g. "GET_KEYS"
 * @fn: called for every attribute, known or not
 * @data: passed to @fn
 * @err: filled on failure
 *
 * Return: 0, @fn's -errno, or -EBADMSG for a message that is short,
 * unaligned, of another command, or cut inside an attribute.
 */
int swauth_reply_walk(const struct nlmsghdr *nlh, uint8_t cmd, const char *what,
		      swauth_attr_fn fn, void *data, struct swauth_error *err)
{
	const struct genlmsghdr *genl;
	const struct nlattr *attr;
	const char *end;
	int ret;

	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + GENL_HDRLEN)
		return swauth_error_set(err, -EBADMSG,
					"malformed %s reply: %u bytes, too short for a genetlink header",
					what, nlh->nlmsg_len);
	if (nlh->nlmsg_len % MNL_ALIGNTO)
		return swauth_error_set(err, -EBADMSG,
					"malformed %s reply: length %u is not a multiple of %d",
					what, nlh->nlmsg_len, MNL_ALIGNTO);
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd != cmd)
		return swauth_error_set(err, -EBADMSG, "malformed %s reply: command %u, expected %u",
					what, genl->cmd, cmd);
	end = (const char *)nlh + nlh->nlmsg_len;
	attr = (const struct nlattr *)((const char *)genl + GENL_HDRLEN);
	while ((const char *)attr < end) {
		if (!mnl_attr_ok(attr, (int)(end - (const char *)attr)))
			return swauth_error_set(err, -EBADMSG,
						"malformed %s reply: attribute truncated at offset %zu",
						what, (size_t)((const char *)attr - (const char *)nlh));
		ret = fn(attr, data, err);
		if (ret)
			return ret;
		attr = mnl_attr_next(attr);
	}
	return 0;
}

/**
 * swauth_attr_u32() - read an attribute that must be exactly a u32
 * @attr: the attribute
 * @what: the reply's name, for the message
 * @name: the attribute's name, for the message
 * @v: receives the value
 * @err: filled on failure
 *
 * Return: 0 or -EBADMSG.
 */
int swauth_attr_u32(const struct nlattr *attr, const char *what, const char *name,
		    uint32_t *v, struct swauth_error *err)
{
	if (mnl_attr_get_payload_len(attr) != sizeof(uint32_t))
		return swauth_error_set(err, -EBADMSG,
					"malformed %s reply: %s has length %u, expected 4", what,
					name, mnl_attr_get_payload_len(attr));
	*v = mnl_attr_get_u32(attr);
	return 0;
}

/**
 * swauth_attr_version() - read a u32 that must be a version letter 'A'..'Z'
 * @attr: the attribute
 * @what: the reply's name, for the message
 * @name: the attribute's name, for the message
 * @v: receives the value
 * @err: filled on failure
 *
 * Return: 0 or -EBADMSG.
 */
int swauth_attr_version(const struct nlattr *attr, const char *what, const char *name,
			uint32_t *v, struct swauth_error *err)
{
	int ret = swauth_attr_u32(attr, what, name, v, err);

	if (ret)
		return ret;
	if (*v < 'A' || *v > 'Z')
		return swauth_error_set(err, -EBADMSG,
					"malformed %s reply: %s is %u, not a version 'A'..'Z'", what,
					name, *v);
	return 0;
}

/* A per-copy result: 0 or a -errno. */
static int attr_result(const struct nlattr *attr, const char *what, const char *name,
		       int32_t *v, struct swauth_error *err)
{
	uint32_t u = 0;
	int ret = swauth_attr_u32(attr, what, name, &u, err);

	if (ret)
		return ret;
	*v = (int32_t)u;
	if (*v > 0 || *v < -4095)
		return swauth_error_set(err, -EBADMSG,
					"malformed %s reply: %s is %d, not 0 or a -errno", what,
					name, *v);
	return 0;
}

static int once(uint32_t *seen, uint16_t type, const char *what, const char *name,
		struct swauth_error *err)
{
	if (*seen & (1U << (type % 32)))
		return swauth_error_set(err, -EBADMSG, "malformed %s reply: %s appears twice",
					what, name);
	*seen |= 1U << (type % 32);
	return 0;
}

/* Bits of "seen" are attribute numbers modulo 32: the ones used here do not collide. */
#define SEEN(a) (1U << ((a) % 32))

struct key_ctx {
	struct swauth_key *key;
	uint32_t seen;
};

static int key_attr(const struct nlattr *attr, void *data, struct swauth_error *err)
{
	static const char what[] = "GET_KEYS";
	struct key_ctx *ctx = data;
	uint16_t type = mnl_attr_get_type(attr);
	uint16_t len = mnl_attr_get_payload_len(attr);
	int ret;

	switch (type) {
	case SWAUTH_A_KEY_TYPE:
		ret = once(&ctx->seen, type, what, "SWAUTH_A_KEY_TYPE", err);
		return ret ? ret : swauth_attr_u32(attr, what, "SWAUTH_A_KEY_TYPE",
						   &ctx->key->type, err);
	case SWAUTH_A_KEY_VERSION:
		ret = once(&ctx->seen, type, what, "SWAUTH_A_KEY_VERSION", err);
		return ret ? ret : swauth_attr_version(attr, what, "SWAUTH_A_KEY_VERSION",
						       &ctx->key->version, err);
	case SWAUTH_A_KEY_WHERE:
		ret = once(&ctx->seen, type, what, "SWAUTH_A_KEY_WHERE", err);
		return ret ? ret : swauth_attr_u32(attr, what, "SWAUTH_A_KEY_WHERE",
						   &ctx->key->where, err);
	case SWAUTH_A_CERT:
		ret = once(&ctx->seen, type, what, "SWAUTH_A_CERT", err);
		if (ret)
			return ret;
		if (!len || len > SWAUTH_CERT_MAX)
			return swauth_error_set(err, -EBADMSG,
						"malformed GET_KEYS reply: SWAUTH_A_CERT has length %u, 1 to %u allowed",
						len, SWAUTH_CERT_MAX);
		memcpy(ctx->key->cert, mnl_attr_get_payload(attr), len);
		ctx->key->cert_len = len;
		return 0;
	}
	return 0;	/* unknown: a later module's addition */
}

static int missing(uint32_t seen, uint32_t need, const char *what, struct swauth_error *err)
{
	static const struct { uint16_t type; const char *name; } names[] = {
		{ SWAUTH_A_KEY_TYPE, "SWAUTH_A_KEY_TYPE" },
		{ SWAUTH_A_KEY_VERSION, "SWAUTH_A_KEY_VERSION" },
		{ SWAUTH_A_KEY_WHERE, "SWAUTH_A_KEY_WHERE" },
		{ SWAUTH_A_CERT, "SWAUTH_A_CERT" },
		{ SWAUTH_A_FLOOR, "SWAUTH_A_FLOOR" },
		{ SWAUTH_A_PRIMARY_RESULT, "SWAUTH_A_PRIMARY_RESULT" },
		{ SWAUTH_A_BACKUP_RESULT, "SWAUTH_A_BACKUP_RESULT" },
		{ SWAUTH_A_EVENT, "SWAUTH_A_EVENT" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (need & SEEN(names[i].type) && !(seen & SEEN(names[i].type)))
			return swauth_error_set(err, -EBADMSG, "malformed %s reply: no %s", what,
						names[i].name);
	return 0;
}

/**
 * swauth_key_parse() - parse one message of the GET_KEYS dump
 * @nlh: the message
 * @key: receives the key; cleared first
 * @err: filled on failure
 *
 * Return: 0, or -EBADMSG for a malformed message or one without the key's
 * type, version, where mask or certificate.
 */
int swauth_key_parse(const struct nlmsghdr *nlh, struct swauth_key *key,
		     struct swauth_error *err)
{
	struct key_ctx ctx = { .key = key };
	int ret;

	memset(key, 0, sizeof(*key));
	ret = swauth_reply_walk(nlh, SWAUTH_CMD_GET_KEYS, "GET_KEYS", key_attr, &ctx, err);
	if (ret)
		return ret;
	return missing(ctx.seen, SEEN(SWAUTH_A_KEY_TYPE) | SEEN(SWAUTH_A_KEY_VERSION) |
		       SEEN(SWAUTH_A_KEY_WHERE) | SEEN(SWAUTH_A_CERT), "GET_KEYS", err);
}

struct change_ctx {
	const char *what;
	uint32_t seen;
	uint32_t *version;		/* KEY_ADD: the one version */
	uint32_t *floor;		/* KEY_REVOKE */
	int32_t *primary, *backup;
	struct swauth_key_revoke_result *revoke;
};

/*
 * SWAUTH_A_REVOKED: a nest (NLA_F_NESTED, as the kernel's nla_nest_start()
 * marks it) of one SWAUTH_A_KEY_VERSION per revoked version, walked with
 * the same bounds as the message.
 */
static int revoked_attr(const struct nlattr *nest, const char *what,
			struct swauth_key_revoke_result *r, struct swauth_error *err)
{
	const char *end = (const char *)nest + nest->nla_len;
	const struct nlattr *attr = mnl_attr_get_payload(nest);
	uint32_t v;
	int ret;

	if (!(nest->nla_type & NLA_F_NESTED))
		return swauth_error_set(err, -EBADMSG,
					"malformed %s reply: SWAUTH_A_REVOKED is not nested", what);
	while ((const char *)attr < end) {
		if (!mnl_attr_ok(attr, (int)(end - (const char *)attr)))
			return swauth_error_set(err, -EBADMSG,
						"malformed %s reply: SWAUTH_A_REVOKED holds a truncated attribute",
						what);
		if (mnl_attr_get_type(attr) != SWAUTH_A_KEY_VERSION)
			return swauth_error_set(err, -EBADMSG,
						"malformed %s reply: SWAUTH_A_REVOKED holds attribute %u, expected SWAUTH_A_KEY_VERSION",
						what, mnl_attr_get_type(attr));
		ret = swauth_attr_version(attr, what, "SWAUTH_A_KEY_VERSION", &v, err);
		if (ret)
			return ret;
		if (r->n_revoked == SWAUTH_REVOKED_MAX)
			return swauth_error_set(err, -EBADMSG,
						"malformed %s reply: more than %d revoked versions",
						what, SWAUTH_REVOKED_MAX);
		r->revoked[r->n_revoked++] = v;
		attr = mnl_attr_next(attr);
	}
	return 0;
}

static int change_attr(const struct nlattr *attr, void *data, struct swauth_error *err)
{
	struct change_ctx *ctx = data;
	uint16_t type = mnl_attr_get_type(attr);
	struct swauth_key_revoke_result *r = ctx->revoke;
	int ret;

	switch (type) {
	case SWAUTH_A_KEY_VERSION:
		if (r)
			return 0;
		ret = once(&ctx->seen, type, ctx->what, "SWAUTH_A_KEY_VERSION", err);
		return ret ? ret : swauth_attr_version(attr, ctx->what, "SWAUTH_A_KEY_VERSION",
						       ctx->version, err);
	case SWAUTH_A_REVOKED:
		if (!r)
			return 0;
		ret = once(&ctx->seen, type, ctx->what, "SWAUTH_A_REVOKED", err);
		return ret ? ret : revoked_attr(attr, ctx->what, r, err);
	case SWAUTH_A_FLOOR:
		if (!r)
			return 0;
		ret = once(&ctx->seen, type, ctx->what, "SWAUTH_A_FLOOR", err);
		return ret ? ret : swauth_attr_version(attr, ctx->what, "SWAUTH_A_FLOOR",
						       ctx->floor, err);
	case SWAUTH_A_PRIMARY_RESULT:
		ret = once(&ctx->seen, type, ctx->what, "SWAUTH_A_PRIMARY_RESULT", err);
		return ret ? ret : attr_result(attr, ctx->what, "SWAUTH_A_PRIMARY_RESULT",
					       ctx->primary, err);
	case SWAUTH_A_BACKUP_RESULT:
		ret = once(&ctx->seen, type, ctx->what, "SWAUTH_A_BACKUP_RESULT", err);
		return ret ? ret : attr_result(attr, ctx->what, "SWAUTH_A_BACKUP_RESULT",
					       ctx->backup, err);
	}
	return 0;
}

/**
 * swauth_key_add_parse() - parse the KEY_ADD reply
 * @nlh: the message
 * @res: receives the result; cleared first
 * @err: filled on failure
 *
 * Return: 0, or -EBADMSG for a malformed reply or one without the version
 * or a per-copy result.
 */
int swauth_key_add_parse(const struct nlmsghdr *nlh, struct swauth_key_add_result *res,
			 struct swauth_error *err)
{
	struct change_ctx ctx = {
		.what = "KEY_ADD", .version = &res->version,
		.primary = &res->primary, .backup = &res->backup,
	};
	int ret;

	memset(res, 0, sizeof(*res));
	ret = swauth_reply_walk(nlh, SWAUTH_CMD_KEY_ADD, ctx.what, change_attr, &ctx, err);
	if (ret)
		return ret;
	return missing(ctx.seen, SEEN(SWAUTH_A_KEY_VERSION) | SEEN(SWAUTH_A_PRIMARY_RESULT) |
		       SEEN(SWAUTH_A_BACKUP_RESULT), ctx.what, err);
}

/**
 * swauth_key_revoke_parse() - parse the KEY_REVOKE reply
 * @nlh: the message
 * @res: receives the result; cleared first
 * @err: filled on failure
 *
 * Return: 0, or -EBADMSG for a malformed reply, one without the floor or a
 * per-copy result, or a revoked version not below the floor.
 */
int swauth_key_revoke_parse(const struct nlmsghdr *nlh, struct swauth_key_revoke_result *res,
			    struct swauth_error *err)
{
	struct change_ctx ctx = {
		.what = "KEY_REVOKE", .floor = &res->floor,
		.primary = &res->primary, .backup = &res->backup, .revoke = res,
	};
	unsigned int i;
	int ret;

	memset(res, 0, sizeof(*res));
	ret = swauth_reply_walk(nlh, SWAUTH_CMD_KEY_REVOKE, ctx.what, change_attr, &ctx, err);
	if (!ret)
		ret = missing(ctx.seen, SEEN(SWAUTH_A_FLOOR) | SEEN(SWAUTH_A_PRIMARY_RESULT) |
			      SEEN(SWAUTH_A_BACKUP_RESULT), ctx.what, err);
	if (ret)
		return ret;
	for (i = 0; i < res->n_revoked; i++)
		if (res->revoked[i] >= res->floor)
			return swauth_error_set(err, -EBADMSG,
						"malformed KEY_REVOKE reply: revoked version %c is not below the floor %c",
						(char)res->revoked[i], (char)res->floor);
	return 0;
}

/**
 * swauth_key_list_append() - add a copy of @key to @list
 * @list: the list
 * @key: the key
 *
 * Return: 0, -E2BIG past SWAUTH_KEYS_MAX keys, or -ENOMEM.
 */
int swauth_key_list_append(struct swauth_key_list *list, const struct swauth_key *key)
{
	struct swauth_key *keys;

	if (list->n >= SWAUTH_KEYS_MAX)
		return -E2BIG;
	keys = realloc(list->keys, (list->n + 1) * sizeof(*keys));
	if (!keys)
		return -ENOMEM;
	list->keys = keys;
	list->keys[list->n++] = *key;
	return 0;
}

/**
 * swauth_key_list_free() - free a list's keys and empty it
 * @list: the list; may be NULL
 */
void swauth_key_list_free(struct swauth_key_list *list)
{
	if (!list)
		return;
	free(list->keys);
	list->keys = NULL;
	list->n = 0;
}

static int keys_reply(const struct nlmsghdr *nlh, void *data, struct swauth_error *err)
{
	struct swauth_key_list *list = data;
	static struct swauth_key key;
	int ret;

	ret = swauth_key_parse(nlh, &key, err);
	if (ret)
		return ret;
	ret = swauth_key_list_append(list, &key);
	if (ret == -E2BIG)
		return swauth_error_set(err, ret, "GET_KEYS: more than %d keys", SWAUTH_KEYS_MAX);
	if (ret)
		return swauth_error_set(err, ret, "out of memory");
	return 0;
}

/**
 * swauth_keys_get() - dump every trusted key
 * @nl: an open handle
 * @list: receives the keys, in dump order; free with swauth_key_list_free()
 * @err: filled on failure
 *
 * A dump that raced with a change (NLM_F_DUMP_INTR) is repeated, up to
 * SWAUTH_KEYS_DUMP_TRIES times in all.
 *
 * Return: 0; -EAGAIN when every try was interrupted; -EBADMSG for a
 * malformed message; the kernel's -errno.
 */
int swauth_keys_get(struct swauth_nl *nl, struct swauth_key_list *list,
		    struct swauth_error *err)
{
	struct nlmsghdr *nlh;
	int ret = -EAGAIN, i;

	list->n = 0;
	list->keys = NULL;
	for (i = 0; i < SWAUTH_KEYS_DUMP_TRIES && ret == -EAGAIN; i++) {
		swauth_key_list_free(list);
		nlh = swauth_nl_request(nl, SWAUTH_CMD_GET_KEYS);
		ret = swauth_nl_dump(nl, nlh, "GET_KEYS", keys_reply, list, err);
	}
	if (ret)
		swauth_key_list_free(list);
	return ret;
}

struct one_ctx {
	void *res;
	int (*parse)(const struct nlmsghdr *nlh, void *res, struct swauth_error *err);
	const char *what;
	bool seen;
};

static int one_reply(const struct nlmsghdr *nlh, void *data, struct swauth_error *err)
{
	struct one_ctx *ctx = data;

	if (ctx->seen)
		return swauth_error_set(err, -EBADMSG, "%s: more than one reply", ctx->what);
	ctx->seen = true;
	return ctx->parse(nlh, ctx->res, err);
}

static int parse_add(const struct nlmsghdr *nlh, void *res, struct swauth_error *err)
{
	return swauth_key_add_parse(nlh, res, err);
}

static int parse_revoke(const struct nlmsghdr *nlh, void *res, struct swauth_error *err)
{
	return swauth_key_revoke_parse(nlh, res, err);
}

/* Descriptors are NLA_S32 attributes. */
static void put_fd(struct nlmsghdr *nlh, uint16_t type, int fd)
{
	int32_t v = fd;

	mnl_attr_put(nlh, type, sizeof(v), &v);
}

/**
 * swauth_key_add() - add the key an image bundles to key storage
 * @nl: an open handle
 * @type: SWAUTH_KEY_PRODUCTION (from a revocation image) or
 *        SWAUTH_KEY_SPECIAL (from a production image)
 * @fd: a descriptor open for reading on the image
 * @res: receives the version and the per-copy results
 * @err: filled on failure, with the kernel's extended ack when it sent one
 *
 * Return: 0 when the kernel replied (look at @res for each copy); else the
 * kernel's -errno as documented for SWAUTH_CMD_KEY_ADD, or -EBADMSG.
 */
int swauth_key_add(struct swauth_nl *nl, uint32_t type, int fd,
		   struct swauth_key_add_result *res, struct swauth_error *err)
{
	struct nlmsghdr *nlh = swauth_nl_request(nl, SWAUTH_CMD_KEY_ADD);
	struct one_ctx ctx = { .res = res, .parse = parse_add, .what = "KEY_ADD" };
	int ret;

	memset(res, 0, sizeof(*res));
	if (fd < 0)
		return swauth_error_set(err, -EBADF, "KEY_ADD: no file descriptor");
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_TYPE, type);
	put_fd(nlh, SWAUTH_A_FD, fd);
	ret = swauth_nl_transact(nl, nlh, ctx.what, one_reply, &ctx, err);
	if (ret)
		return ret;
	if (!ctx.seen)
		return swauth_error_set(err, -EBADMSG, "KEY_ADD: the kernel sent no reply");
	return 0;
}

/**
 * swauth_key_revoke() - revoke every key of a type below the newest one
 * @nl: an open handle
 * @type: SWAUTH_KEY_PRODUCTION or SWAUTH_KEY_SPECIAL
 * @fd: a descriptor open for reading on the running (boot) image, or -1
 *      when the module knows it (SWAUTH_RUNNING_MEASURED): no SWAUTH_A_FD
 * @bootloader_fd: the upgradable boot loader, or -1 for none
 * @flags: SWAUTH_REVOKE_F_* flags
 * @res: receives the floor, the revoked versions and the per-copy results
 * @err: filled on failure, with the kernel's extended ack when it sent one
 *
 * Return: 0 when the kernel replied; else the kernel's -errno as documented
 * for SWAUTH_CMD_KEY_REVOKE, or -EBADMSG.
 */
int swauth_key_revoke(struct swauth_nl *nl, uint32_t type, int fd, int bootloader_fd,
		      uint32_t flags, struct swauth_key_revoke_result *res,
		      struct swauth_error *err)
{
	struct nlmsghdr *nlh = swauth_nl_request(nl, SWAUTH_CMD_KEY_REVOKE);
	struct one_ctx ctx = { .res = res, .parse = parse_revoke, .what = "KEY_REVOKE" };
	int ret;

	memset(res, 0, sizeof(*res));
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_TYPE, type);
	if (fd >= 0)
		put_fd(nlh, SWAUTH_A_FD, fd);
	if (bootloader_fd >= 0)
		put_fd(nlh, SWAUTH_A_BOOTLOADER_FD, bootloader_fd);
	if (flags)
		mnl_attr_put_u32(nlh, SWAUTH_A_FLAGS, flags);
	ret = swauth_nl_transact(nl, nlh, ctx.what, one_reply, &ctx, err);
	if (ret)
		return ret;
	if (!ctx.seen)
		return swauth_error_set(err, -EBADMSG, "KEY_REVOKE: the kernel sent no reply");
	return 0;
}

/* STORE_INIT and STORE_RELOAD: no attributes, an ack. */
static int store_request(struct swauth_nl *nl, uint8_t cmd, const char *what,
			 struct swauth_error *err)
{
	return swauth_nl_transact(nl, swauth_nl_request(nl, cmd), what, NULL, NULL, err);
}

/**
 * swauth_store_init() - create key storage where there is none
 * @nl: an open handle
 * @err: filled on failure, with the kernel's extended ack when it sent one
 *
 * Return: 0 once both copies exist; else the kernel's -errno as documented
 * for SWAUTH_CMD_STORE_INIT: -EEXIST when a copy exists already.
 */
int swauth_store_init(struct swauth_nl *nl, struct swauth_error *err)
{
	return store_request(nl, SWAUTH_CMD_STORE_INIT, "STORE_INIT", err);
}

/**
 * swauth_store_reload() - read key storage that could not be read
 * @nl: an open handle
 * @err: filled on failure, with the kernel's extended ack when it sent one
 *
 * Return: 0 once the module has read key storage; else the read error.
 */
int swauth_store_reload(struct swauth_nl *nl, struct swauth_error *err)
{
	return store_request(nl, SWAUTH_CMD_STORE_RELOAD, "STORE_RELOAD", err);
}

/**
 * swauth_key_newest() - the highest version of a type in a list
 * @list: the keys
 * @type: enum swauth_key_type
 *
 * Return: the key, or NULL when there is none of @type.
 */
const struct swauth_key *swauth_key_newest(const struct swauth_key_list *list, uint32_t type)
{
	const struct swauth_key *best = NULL;
	size_t i;

	for (i = 0; i < list->n; i++)
		if (list->keys[i].type == type && (!best || list->keys[i].version > best->version))
			best = &list->keys[i];
	return best;
}

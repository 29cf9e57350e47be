// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The key storage parsers: GET_STATUS's key storage attributes, GET_KEYS,
 * KEY_ADD and KEY_REVOKE replies, SWAUTH_CMD_EVENT messages and the events
 * group of a GETFAMILY reply, each well-formed and with every attribute
 * malformed in turn.
 */

#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/swauth.h>

#include "lib/netlink.h"

#include "kselftest_harness.h"

enum { BUF_SIZE = 16384, FAMILY_ID = 0x20 };

static const uint8_t cert[] = { 0x30, 0x03, 0x02, 0x01, 0x01 };

static struct nlmsghdr *start(void *buf, uint8_t cmd)
{
	struct nlmsghdr *nlh;
	struct genlmsghdr *genl;

	memset(buf, 0, BUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = FAMILY_ID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = SWAUTH_GENL_VERSION;
	return nlh;
}

/* A u32 attribute of the wrong length: two bytes. */
static void put_short(struct nlmsghdr *nlh, uint16_t type)
{
	mnl_attr_put_u16(nlh, type, 1);
}

static void put_key(struct nlmsghdr *nlh, uint16_t skip, uint16_t bad)
{
	if (skip != SWAUTH_A_KEY_TYPE) {
		if (bad == SWAUTH_A_KEY_TYPE)
			put_short(nlh, SWAUTH_A_KEY_TYPE);
		else
			mnl_attr_put_u32(nlh, SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL);
	}
	if (skip != SWAUTH_A_KEY_VERSION)
		mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, bad == SWAUTH_A_KEY_VERSION ? 'a' : 'B');
	if (skip != SWAUTH_A_KEY_WHERE) {
		if (bad == SWAUTH_A_KEY_WHERE)
			mnl_attr_put_u64(nlh, SWAUTH_A_KEY_WHERE, 6);
		else
			mnl_attr_put_u32(nlh, SWAUTH_A_KEY_WHERE,
					 SWAUTH_KEY_F_PRIMARY | SWAUTH_KEY_F_BACKUP);
	}
	if (skip != SWAUTH_A_CERT)
		mnl_attr_put(nlh, SWAUTH_A_CERT, bad == SWAUTH_A_CERT ? 0 : sizeof(cert), cert);
}

TEST(get_keys_good)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_KEYS);
	static struct swauth_key k;
	struct swauth_error err;
	const char junk[3] = "xy";

	put_key(nlh, 0, 0);
	mnl_attr_put(nlh, SWAUTH_A_MAX + 1, sizeof(junk), junk);	/* ignored */
	mnl_attr_put(nlh, SWAUTH_A_VERDICT, 1, junk);			/* not ours: ignored */
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_key_parse(nlh, &k, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(SWAUTH_KEY_SPECIAL, k.type);
	EXPECT_EQ('B', k.version);
	EXPECT_EQ(SWAUTH_KEY_F_PRIMARY | SWAUTH_KEY_F_BACKUP, k.where);
	EXPECT_EQ(sizeof(cert), k.cert_len);
	EXPECT_EQ(0, memcmp(cert, k.cert, sizeof(cert)));
}

TEST(get_keys_malformed)
{
	static const struct { uint16_t skip, bad; const char *msg; } cases[] = {
		{ SWAUTH_A_KEY_TYPE, 0, "no SWAUTH_A_KEY_TYPE" },
		{ SWAUTH_A_KEY_VERSION, 0, "no SWAUTH_A_KEY_VERSION" },
		{ SWAUTH_A_KEY_WHERE, 0, "no SWAUTH_A_KEY_WHERE" },
		{ SWAUTH_A_CERT, 0, "no SWAUTH_A_CERT" },
		{ 0, SWAUTH_A_KEY_TYPE, "SWAUTH_A_KEY_TYPE has length 2, expected 4" },
		{ 0, SWAUTH_A_KEY_VERSION, "SWAUTH_A_KEY_VERSION is 97, not a version" },
		{ 0, SWAUTH_A_KEY_WHERE, "SWAUTH_A_KEY_WHERE has length 8, expected 4" },
		{ 0, SWAUTH_A_CERT, "SWAUTH_A_CERT has length 0" },
	};
	static struct swauth_key k;
	char buf[BUF_SIZE];
	struct swauth_error err;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_KEYS);

		put_key(nlh, cases[i].skip, cases[i].bad);
		swauth_error_clear(&err);
		EXPECT_EQ(-EBADMSG, swauth_key_parse(nlh, &k, &err));
		EXPECT_NE(NULL, strstr(err.msg, cases[i].msg)) TH_LOG("%zu: %s", i, err.msg);
	}
}

TEST(get_keys_structure)
{
	static struct swauth_key k;
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh;
	struct swauth_error err;

	/* Twice the same attribute. */
	nlh = start(buf, SWAUTH_CMD_GET_KEYS);
	put_key(nlh, 0, 0);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, 'C');
	EXPECT_EQ(-EBADMSG, swauth_key_parse(nlh, &k, &err));
	EXPECT_NE(NULL, strstr(err.msg, "appears twice")) TH_LOG("%s", err.msg);
	/* Another command. */
	nlh = start(buf, SWAUTH_CMD_KEY_ADD);
	put_key(nlh, 0, 0);
	EXPECT_EQ(-EBADMSG, swauth_key_parse(nlh, &k, &err));
	EXPECT_NE(NULL, strstr(err.msg, "command 6, expected 5")) TH_LOG("%s", err.msg);
	/* An attribute cut short by the message length. */
	nlh = start(buf, SWAUTH_CMD_GET_KEYS);
	put_key(nlh, 0, 0);
	nlh->nlmsg_len -= 4;
	EXPECT_EQ(-EBADMSG, swauth_key_parse(nlh, &k, &err));
	EXPECT_NE(NULL, strstr(err.msg, "truncated")) TH_LOG("%s", err.msg);
	/* Too short for a genetlink header. */
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN;
	EXPECT_EQ(-EBADMSG, swauth_key_parse(nlh, &k, &err));
}

static void put_add(struct nlmsghdr *nlh, uint16_t skip, uint16_t bad)
{
	if (skip != SWAUTH_A_KEY_VERSION)
		mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, bad == SWAUTH_A_KEY_VERSION ? 0 : 'B');
	if (skip != SWAUTH_A_PRIMARY_RESULT) {
		if (bad == SWAUTH_A_PRIMARY_RESULT)
			mnl_attr_put_u32(nlh, SWAUTH_A_PRIMARY_RESULT, 5);
		else
			mnl_attr_put_u32(nlh, SWAUTH_A_PRIMARY_RESULT, 0);
	}
	if (skip != SWAUTH_A_BACKUP_RESULT) {
		if (bad == SWAUTH_A_BACKUP_RESULT)
			put_short(nlh, SWAUTH_A_BACKUP_RESULT);
		else
			mnl_attr_put_u32(nlh, SWAUTH_A_BACKUP_RESULT, (uint32_t)-EEXIST);
	}
}

TEST(key_add_reply)
{
	static const struct { uint16_t skip, bad; const char *msg; } cases[] = {
		{ SWAUTH_A_KEY_VERSION, 0, "no SWAUTH_A_KEY_VERSION" },
		{ SWAUTH_A_PRIMARY_RESULT, 0, "no SWAUTH_A_PRIMARY_RESULT" },
		{ SWAUTH_A_BACKUP_RESULT, 0, "no SWAUTH_A_BACKUP_RESULT" },
		{ 0, SWAUTH_A_KEY_VERSION, "SWAUTH_A_KEY_VERSION is 0, not a version" },
		{ 0, SWAUTH_A_PRIMARY_RESULT, "SWAUTH_A_PRIMARY_RESULT is 5, not 0 or a -errno" },
		{ 0, SWAUTH_A_BACKUP_RESULT, "SWAUTH_A_BACKUP_RESULT has length 2" },
	};
	struct swauth_key_add_result res;
	struct swauth_error err;
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_KEY_ADD);
	size_t i;

	put_add(nlh, 0, 0);
	mnl_attr_put_u32(nlh, SWAUTH_A_MAX + 5, 7);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_key_add_parse(nlh, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ('B', res.version);
	EXPECT_EQ(0, res.primary);
	EXPECT_EQ(-EEXIST, res.backup);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nlh = start(buf, SWAUTH_CMD_KEY_ADD);
		put_add(nlh, cases[i].skip, cases[i].bad);
		swauth_error_clear(&err);
		EXPECT_EQ(-EBADMSG, swauth_key_add_parse(nlh, &res, &err));
		EXPECT_NE(NULL, strstr(err.msg, cases[i].msg)) TH_LOG("%zu: %s", i, err.msg);
	}
	/* KEY_ADD names one version. */
	nlh = start(buf, SWAUTH_CMD_KEY_ADD);
	put_add(nlh, 0, 0);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, 'C');
	EXPECT_EQ(-EBADMSG, swauth_key_add_parse(nlh, &res, &err));
	EXPECT_NE(NULL, strstr(err.msg, "appears twice")) TH_LOG("%s", err.msg);
}

/*
 * A KEY_REVOKE reply: floor C, revoked A and B in SWAUTH_A_REVOKED, the
 * results. skip leaves an attribute out, bad spoils it; for
 * SWAUTH_A_REVOKED, nest says how (the enum below).
 */
enum nest_fault { NEST_OK, NEST_FLAT, NEST_INNER_TYPE, NEST_INNER_LEN,
		  NEST_RANGE, NEST_TRUNCATED, NEST_TOO_MANY };

static void put_revoke(struct nlmsghdr *nlh, uint16_t skip, uint16_t bad,
		       enum nest_fault nest)
{
	struct nlattr *n, *last;
	int i;

	if (skip != SWAUTH_A_FLOOR)
		mnl_attr_put_u32(nlh, SWAUTH_A_FLOOR, bad == SWAUTH_A_FLOOR ? '[' : 'C');
	if (skip != SWAUTH_A_REVOKED) {
		n = mnl_attr_nest_start(nlh, SWAUTH_A_REVOKED);
		if (nest == NEST_FLAT)
			n->nla_type &= ~NLA_F_NESTED;
		mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, 'A');
		last = mnl_nlmsg_get_payload_tail(nlh);
		if (nest == NEST_INNER_TYPE)
			mnl_attr_put_u32(nlh, SWAUTH_A_FLOOR, 'B');
		else if (nest == NEST_INNER_LEN)
			mnl_attr_put_u16(nlh, SWAUTH_A_KEY_VERSION, 'B');
		else if (nest == NEST_RANGE)
			mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, 'a');
		else
			mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION,
					 bad == SWAUTH_A_KEY_VERSION ? 'C' : 'B');
		for (i = 0; nest == NEST_TOO_MANY && i < 26; i++)
			mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, 'A');
		/* The last inner attribute claims more than the nest holds. */
		if (nest == NEST_TRUNCATED)
			last->nla_len += 8;
		mnl_attr_nest_end(nlh, n);
	}
	if (skip != SWAUTH_A_PRIMARY_RESULT)
		mnl_attr_put_u32(nlh, SWAUTH_A_PRIMARY_RESULT,
				 bad == SWAUTH_A_PRIMARY_RESULT ? (uint32_t)-5000 : 0);
	if (skip != SWAUTH_A_BACKUP_RESULT)
		mnl_attr_put_u32(nlh, SWAUTH_A_BACKUP_RESULT, (uint32_t)-EIO);
}

TEST(key_revoke_reply)
{
	static const struct {
		uint16_t skip, bad;
		enum nest_fault nest;
		const char *msg;
	} cases[] = {
		{ SWAUTH_A_FLOOR, 0, NEST_OK, "no SWAUTH_A_FLOOR" },
		{ SWAUTH_A_PRIMARY_RESULT, 0, NEST_OK, "no SWAUTH_A_PRIMARY_RESULT" },
		{ SWAUTH_A_BACKUP_RESULT, 0, NEST_OK, "no SWAUTH_A_BACKUP_RESULT" },
		{ 0, SWAUTH_A_FLOOR, NEST_OK, "SWAUTH_A_FLOOR is 91" },
		{ 0, SWAUTH_A_KEY_VERSION, NEST_OK, "revoked version C is not below the floor C" },
		{ 0, SWAUTH_A_PRIMARY_RESULT, NEST_OK, "SWAUTH_A_PRIMARY_RESULT is -5000" },
		{ 0, 0, NEST_FLAT, "SWAUTH_A_REVOKED is not nested" },
		{ 0, 0, NEST_INNER_TYPE, "holds attribute 38, expected SWAUTH_A_KEY_VERSION" },
		{ 0, 0, NEST_INNER_LEN, "SWAUTH_A_KEY_VERSION has length 2, expected 4" },
		{ 0, 0, NEST_RANGE, "SWAUTH_A_KEY_VERSION is 97, not a version" },
		{ 0, 0, NEST_TRUNCATED, "SWAUTH_A_REVOKED holds a truncated attribute" },
		{ 0, 0, NEST_TOO_MANY, "more than 26" },
	};
	struct swauth_key_revoke_result res;
	struct swauth_error err;
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_KEY_REVOKE);
	size_t i;

	put_revoke(nlh, 0, 0, NEST_OK);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_key_revoke_parse(nlh, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ('C', res.floor);
	EXPECT_EQ(2, res.n_revoked);
	EXPECT_EQ('A', res.revoked[0]);
	EXPECT_EQ('B', res.revoked[1]);
	EXPECT_EQ(0, res.primary);
	EXPECT_EQ(-EIO, res.backup);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		nlh = start(buf, SWAUTH_CMD_KEY_REVOKE);
		put_revoke(nlh, cases[i].skip, cases[i].bad, cases[i].nest);
		swauth_error_clear(&err);
		EXPECT_EQ(-EBADMSG, swauth_key_revoke_parse(nlh, &res, &err)) TH_LOG("%zu", i);
		EXPECT_NE(NULL, strstr(err.msg, cases[i].msg)) TH_LOG("%zu: %s", i, err.msg);
	}
	/* Twice. */
	nlh = start(buf, SWAUTH_CMD_KEY_REVOKE);
	put_revoke(nlh, 0, 0, NEST_OK);
	mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, SWAUTH_A_REVOKED));
	EXPECT_EQ(-EBADMSG, swauth_key_revoke_parse(nlh, &res, &err));
	EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_REVOKED appears twice")) TH_LOG("%s", err.msg);
	/* Nothing revoked: an empty nest, or none. */
	nlh = start(buf, SWAUTH_CMD_KEY_REVOKE);
	put_revoke(nlh, SWAUTH_A_REVOKED, 0, NEST_OK);
	ASSERT_EQ(0, swauth_key_revoke_parse(nlh, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(0, res.n_revoked);
	/* The old, flat form is no list of revoked versions. */
	nlh = start(buf, SWAUTH_CMD_KEY_REVOKE);
	put_revoke(nlh, SWAUTH_A_REVOKED, 0, NEST_OK);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, 'A');
	ASSERT_EQ(0, swauth_key_revoke_parse(nlh, &res, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(0, res.n_revoked);
}

TEST(status_key_storage)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	struct swauth_status st;
	struct swauth_error err;

	mnl_attr_put_u32(nlh, SWAUTH_A_FLOOR_PRODUCTION, 'B');
	mnl_attr_put_u32(nlh, SWAUTH_A_FLOOR_SPECIAL, 0);
	mnl_attr_put_u32(nlh, SWAUTH_A_STORE_PRIMARY, SWAUTH_STORE_OK);
	mnl_attr_put_u32(nlh, SWAUTH_A_STORE_BACKUP, SWAUTH_STORE_CORRUPT);
	mnl_attr_put_u64(nlh, SWAUTH_A_STORE_SEQUENCE, 1ULL << 33);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_status_parse(nlh, &st, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(SWAUTH_STATUS_HAS_FLOOR_PRODUCTION | SWAUTH_STATUS_HAS_FLOOR_SPECIAL |
		  SWAUTH_STATUS_HAS_STORE_PRIMARY | SWAUTH_STATUS_HAS_STORE_BACKUP |
		  SWAUTH_STATUS_HAS_STORE_SEQUENCE, st.has);
	EXPECT_EQ('B', st.floor_production);
	EXPECT_EQ(0, st.floor_special);
	EXPECT_EQ(SWAUTH_STORE_CORRUPT, st.store_backup);
	EXPECT_EQ(1ULL << 33, st.store_sequence);

	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	mnl_attr_put_u32(nlh, SWAUTH_A_FLOOR_SPECIAL, '@');
	EXPECT_EQ(-EBADMSG, swauth_status_parse(nlh, &st, &err));
	EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_FLOOR_SPECIAL is 64")) TH_LOG("%s", err.msg);
	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	mnl_attr_put_u32(nlh, SWAUTH_A_STORE_SEQUENCE, 1);
	EXPECT_EQ(-EBADMSG, swauth_status_parse(nlh, &st, &err));
	EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_STORE_SEQUENCE has length 4, expected 8"))
		TH_LOG("%s", err.msg);
	nlh = start(buf, SWAUTH_CMD_GET_STATUS);
	put_short(nlh, SWAUTH_A_STORE_PRIMARY);
	EXPECT_EQ(-EBADMSG, swauth_status_parse(nlh, &st, &err));

	EXPECT_STREQ("corrupt", swauth_store_state_name(SWAUTH_STORE_CORRUPT));
	EXPECT_STREQ("stale", swauth_store_state_name(SWAUTH_STORE_STALE));
	EXPECT_STREQ("unknown", swauth_store_state_name(SWAUTH_STORE_MAX + 1));
}

TEST(events)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_EVENT);
	struct swauth_event_msg e;
	struct swauth_error err;

	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_FLOOR_RAISED);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, 'B');
	mnl_attr_put_u32(nlh, SWAUTH_A_FLOOR, 'B');
	mnl_attr_put_u32(nlh, SWAUTH_A_MAX + 1, 0);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_event_parse(nlh, &e, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(SWAUTH_EVENT_FLOOR_RAISED, e.event);
	EXPECT_EQ('B', e.floor);
	EXPECT_STREQ("floor-raised", swauth_event_token(e.event));

	/* floor raised without its floor */
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_FLOOR_RAISED);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL);
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "no SWAUTH_A_FLOOR")) TH_LOG("%s", err.msg);
	/* key added without its version */
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_KEY_ADDED);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL);
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "no SWAUTH_A_KEY_VERSION")) TH_LOG("%s", err.msg);
	/* no event, no key type, bad lengths */
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL);
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "no SWAUTH_A_EVENT")) TH_LOG("%s", err.msg);
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_KEY_REVOKED);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, 'A');
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "no SWAUTH_A_KEY_TYPE")) TH_LOG("%s", err.msg);
	nlh = start(buf, SWAUTH_CMD_EVENT);
	put_short(nlh, SWAUTH_A_EVENT);
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_EVENT has length 2")) TH_LOG("%s", err.msg);
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_KEY_REVOKED);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_VERSION, 'z');
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "not a version")) TH_LOG("%s", err.msg);
	/* An event a later module adds parses, for the caller to skip. */
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_MAX + 1);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEY_TYPE, SWAUTH_KEY_SPECIAL);
	EXPECT_EQ(0, swauth_event_parse(nlh, &e, &err));
	EXPECT_STREQ("unknown", swauth_event_token(e.event));
}

/*
 * Enforcement events carry no key type; a refusal must name what, who and
 * the count, and strings must be terminated and fit.
 */
TEST(enforce_events)
{
	char buf[BUF_SIZE], longname[200];
	struct nlmsghdr *nlh = start(buf, SWAUTH_CMD_EVENT);
	struct swauth_event_msg e;
	struct swauth_error err;

	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_ENFORCE);
	mnl_attr_put_u32(nlh, SWAUTH_A_ENFORCE, 1);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_event_parse(nlh, &e, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1, e.enforce);
	EXPECT_STREQ("enforce", swauth_event_token(e.event));
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_ENFORCE);
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "no SWAUTH_A_ENFORCE")) TH_LOG("%s", err.msg);

	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_KEXEC_REFUSED);
	mnl_attr_put_u32(nlh, SWAUTH_A_REFUSED, SWAUTH_REFUSED_KEXEC_INITRD);
	mnl_attr_put_u32(nlh, SWAUTH_A_PID, 812);
	mnl_attr_put_u32(nlh, SWAUTH_A_UID, 0);
	mnl_attr_put_strz(nlh, SWAUTH_A_COMM, "kexec");
	mnl_attr_put_strz(nlh, SWAUTH_A_FILE_NAME, "initrd.img");
	mnl_attr_put_u64(nlh, SWAUTH_A_KEXEC_REFUSED, 3);
	ASSERT_EQ(0, swauth_event_parse(nlh, &e, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(812, e.pid);
	EXPECT_STREQ("kexec", e.comm);
	EXPECT_STREQ("initrd.img", e.file_name);
	EXPECT_EQ(3, e.count);
	EXPECT_STREQ("kexec_file_load initramfs", swauth_refused_name(e.refused));
	EXPECT_STREQ("unknown", swauth_refused_name(SWAUTH_REFUSED_MAX + 1));

	/* kexec_load has no file; without the count it is malformed. */
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_KEXEC_REFUSED);
	mnl_attr_put_u32(nlh, SWAUTH_A_REFUSED, SWAUTH_REFUSED_KEXEC_LOAD);
	mnl_attr_put_u32(nlh, SWAUTH_A_PID, 812);
	mnl_attr_put_u32(nlh, SWAUTH_A_UID, 0);
	mnl_attr_put_strz(nlh, SWAUTH_A_COMM, "kexec");
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "a kexec refusal without its caller, kind or count"))
		TH_LOG("%s", err.msg);
	/* A name too long for the field, an unterminated one, a repeat. */
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_KEXEC_REFUSED);
	mnl_attr_put_strz(nlh, SWAUTH_A_FILE_NAME, longname);
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_FILE_NAME is not a string of at most 63 bytes"))
		TH_LOG("%s", err.msg);
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_KEXEC_REFUSED);
	mnl_attr_put(nlh, SWAUTH_A_COMM, 5, "kexec");
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_KEXEC_REFUSED);
	mnl_attr_put_u32(nlh, SWAUTH_A_PID, 1);
	mnl_attr_put_u32(nlh, SWAUTH_A_PID, 2);
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_PID appears twice")) TH_LOG("%s", err.msg);
	nlh = start(buf, SWAUTH_CMD_EVENT);
	mnl_attr_put_u32(nlh, SWAUTH_A_EVENT, SWAUTH_EVENT_KEXEC_REFUSED);
	mnl_attr_put_u32(nlh, SWAUTH_A_KEXEC_REFUSED, 3);
	EXPECT_EQ(-EBADMSG, swauth_event_parse(nlh, &e, &err));
	EXPECT_NE(NULL, strstr(err.msg, "SWAUTH_A_KEXEC_REFUSED is not a u64")) TH_LOG("%s", err.msg);
}

static void put_group(struct nlmsghdr *nlh, const char *name, uint32_t id)
{
	struct nlattr *grp = mnl_attr_nest_start(nlh, 1);

	mnl_attr_put_u32(nlh, CTRL_ATTR_MCAST_GRP_ID, id);
	mnl_attr_put_strz(nlh, CTRL_ATTR_MCAST_GRP_NAME, name);
	mnl_attr_nest_end(nlh, grp);
}

TEST(mcast_group)
{
	char buf[BUF_SIZE];
	struct nlmsghdr *nlh = start(buf, CTRL_CMD_NEWFAMILY);
	struct nlattr *groups;
	struct swauth_error err;
	uint16_t family = 0;
	uint32_t group = 0;

	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1b);
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, "swauth");
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	put_group(nlh, "other", 3);
	put_group(nlh, SWAUTH_MCGRP_EVENTS, 9);
	mnl_attr_nest_end(nlh, groups);
	swauth_error_clear(&err);
	ASSERT_EQ(0, swauth_events_parse_family(nlh, &family, &group, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(0x1b, family);
	EXPECT_EQ(9, group);

	nlh = start(buf, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u16(nlh, CTRL_ATTR_FAMILY_ID, 0x1b);
	groups = mnl_attr_nest_start(nlh, CTRL_ATTR_MCAST_GROUPS);
	put_group(nlh, "other", 3);
	mnl_attr_nest_end(nlh, groups);
	EXPECT_EQ(-EOPNOTSUPP, swauth_events_parse_family(nlh, &family, &group, &err));

	nlh = start(buf, CTRL_CMD_NEWFAMILY);
	mnl_attr_put_u32(nlh, CTRL_ATTR_FAMILY_ID, 0x1b);
	EXPECT_EQ(-EBADMSG, swauth_events_parse_family(nlh, &family, &group, &err));
}

TEST(newest_key)
{
	struct swauth_key_list list = { 0 };
	static struct swauth_key k;

	EXPECT_EQ(NULL, swauth_key_newest(&list, SWAUTH_KEY_SPECIAL));
	k.type = SWAUTH_KEY_SPECIAL;
	k.version = 'B';
	ASSERT_EQ(0, swauth_key_list_append(&list, &k));
	k.version = 'A';
	ASSERT_EQ(0, swauth_key_list_append(&list, &k));
	k.type = SWAUTH_KEY_PRODUCTION;
	k.version = 'C';
	ASSERT_EQ(0, swauth_key_list_append(&list, &k));
	EXPECT_EQ('B', swauth_key_newest(&list, SWAUTH_KEY_SPECIAL)->version);
	EXPECT_EQ('C', swauth_key_newest(&list, SWAUTH_KEY_PRODUCTION)->version);
	swauth_key_list_free(&list);
	EXPECT_EQ(0, list.n);
}

TEST_HARNESS_MAIN

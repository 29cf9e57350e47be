// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth_nl_parse_error(): netlink acks and errors with and without the
 * extended ack message, capped (NETLINK_CAP_ACK) and not.
 */

#include <errno.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <linux/swauth.h>

#include "lib/netlink.h"

#include "kselftest_harness.h"

enum { BUF_SIZE = 4096 };

/*
 * An error for a SET_DEBUG request: the request is echoed in full unless
 * @capped, then the extack TLVs (@msg, if not NULL) follow.
 */
static struct nlmsghdr *error_msg(void *buf, int error, bool capped, const char *msg,
				  size_t msglen)
{
	char req_buf[256];
	struct nlmsghdr *req, *nlh;
	struct genlmsghdr *genl;
	struct nlmsgerr *e;
	size_t echo;

	memset(req_buf, 0, sizeof(req_buf));
	req = mnl_nlmsg_put_header(req_buf);
	req->nlmsg_type = 0x20;
	req->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	genl = mnl_nlmsg_put_extra_header(req, sizeof(*genl));
	genl->cmd = SWAUTH_CMD_SET_DEBUG;
	genl->version = SWAUTH_GENL_VERSION;
	mnl_attr_put_u32(req, SWAUTH_A_DEBUG, 1U << 31);

	memset(buf, 0, BUF_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = NLMSG_ERROR;
	echo = capped ? 0 : req->nlmsg_len - MNL_NLMSG_HDRLEN;
	e = mnl_nlmsg_put_extra_header(nlh, sizeof(*e) + echo);
	e->error = error;
	memcpy(&e->msg, req, sizeof(*req) + echo);
	if (capped)
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put(nlh, NLMSGERR_ATTR_OFFS, sizeof(uint32_t), &(uint32_t){ 20 });
		mnl_attr_put(nlh, NLMSGERR_ATTR_MSG, msglen, msg);
	}
	return nlh;
}

/* An ack is 0, with no message. */
TEST(ack)
{
	char buf[BUF_SIZE], ext[64] = "stale";

	EXPECT_EQ(0, swauth_nl_parse_error(error_msg(buf, 0, true, NULL, 0), ext, sizeof(ext)));
	EXPECT_STREQ("", ext);
}

/* A bare error gives its errno and no message. */
TEST(error_without_extack)
{
	char buf[BUF_SIZE], ext[64] = "stale";

	EXPECT_EQ(-EPERM, swauth_nl_parse_error(error_msg(buf, -EPERM, true, NULL, 0),
						ext, sizeof(ext)));
	EXPECT_STREQ("", ext);
}

/* The extack message is found after a capped echo... */
TEST(extack_capped)
{
	const char msg[] = "unknown debug category bit";
	char buf[BUF_SIZE], ext[64];

	EXPECT_EQ(-EOPNOTSUPP, swauth_nl_parse_error(error_msg(buf, -EOPNOTSUPP, true, msg,
							       sizeof(msg)), ext, sizeof(ext)));
	EXPECT_STREQ(msg, ext);
}

/* ...and after a full one. */
TEST(extack_uncapped)
{
	const char msg[] = "missing SWAUTH_A_DEBUG";
	char buf[BUF_SIZE], ext[64];

	EXPECT_EQ(-EINVAL, swauth_nl_parse_error(error_msg(buf, -EINVAL, false, msg,
							   sizeof(msg)), ext, sizeof(ext)));
	EXPECT_STREQ(msg, ext);
}

/* A message without its NUL is dropped; the errno still comes through. */
TEST(extack_without_nul)
{
	char buf[BUF_SIZE], ext[64];

	EXPECT_EQ(-EINVAL, swauth_nl_parse_error(error_msg(buf, -EINVAL, true, "abc", 3),
						 ext, sizeof(ext)));
	EXPECT_STREQ("", ext);
}

/* A long message is cut to the caller's buffer, still terminated. */
TEST(extack_truncated_to_buffer)
{
	const char msg[] = "0123456789abcdef";
	char buf[BUF_SIZE], ext[8];

	EXPECT_EQ(-EINVAL, swauth_nl_parse_error(error_msg(buf, -EINVAL, true, msg,
							   sizeof(msg)), ext, sizeof(ext)));
	EXPECT_STREQ("0123456", ext);
}

/* Too short for a struct nlmsgerr, or a positive "errno": malformed. */
TEST(malformed_error)
{
	char buf[BUF_SIZE], ext[64];
	struct nlmsghdr *nlh = error_msg(buf, -EPERM, true, NULL, 0);

	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 3;
	EXPECT_EQ(-EBADMSG, swauth_nl_parse_error(nlh, ext, sizeof(ext)));
	nlh = error_msg(buf, 5, true, NULL, 0);
	EXPECT_EQ(-EBADMSG, swauth_nl_parse_error(nlh, ext, sizeof(ext)));
}

/* An echoed length that points past the message does not make it read there. */
TEST(bogus_echo_length)
{
	const char msg[] = "hello";
	char buf[BUF_SIZE], ext[64];
	struct nlmsghdr *nlh = error_msg(buf, -EINVAL, false, msg, sizeof(msg));
	struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

	e->msg.nlmsg_len = 0xffff;
	EXPECT_EQ(-EINVAL, swauth_nl_parse_error(nlh, ext, sizeof(ext)));
	EXPECT_STREQ("", ext);
}

TEST_HARNESS_MAIN

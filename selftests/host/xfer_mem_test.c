// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * lib/xfer/mem.c and swauth_xfer_bind(): small files to and from a URL,
 * bounded, and the interface a PKI request leaves from. Each test runs in
 * a network namespace of its own, with an interface src0 (a bridge: this kernel may lack dummy and vrf) holding
 * 192.0.2.1 and one, src1, with no address; the servers are threads of the
 * test on 127.0.0.1 that write down the address the request came from.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/xfer.h"

#include "kselftest_harness.h"

struct server {
	int fd;
	unsigned short port;
	char peer[INET_ADDRSTRLEN];
	const char *reply;
	pthread_t thread;
};

/* One HTTP request, answered with s->reply; the peer's address noted. */
static void *http_once(void *arg)
{
	struct server *s = arg;
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	char buf[4096];
	int c = accept(s->fd, (struct sockaddr *)&peer, &len);

	if (c < 0)
		return NULL;
	inet_ntop(AF_INET, &peer.sin_addr, s->peer, sizeof(s->peer));
	if (read(c, buf, sizeof(buf)) > 0 && write(c, s->reply, strlen(s->reply)) < 0)
		s->peer[0] = '\0';
	close(c);
	return NULL;
}

/* One TFTP request, answered with ERROR 1 (file not found); the peer noted. */
static void *tftp_once(void *arg)
{
	static const char nf[] = "\0\5\0\1nope";
	struct server *s = arg;
	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	char buf[600];

	if (recvfrom(s->fd, buf, sizeof(buf), 0, (struct sockaddr *)&peer, &len) < 0)
		return NULL;
	inet_ntop(AF_INET, &peer.sin_addr, s->peer, sizeof(s->peer));
	sendto(s->fd, nf, sizeof(nf), 0, (struct sockaddr *)&peer, len);
	return NULL;
}

static int serve(struct server *s, int type, void *(*fn)(void *))
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);

	s->fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(s->fd, (struct sockaddr *)&a, &len) ||
	    (type == SOCK_STREAM && listen(s->fd, 1)))
		return -1;
	s->port = ntohs(a.sin_port);
	return fn ? pthread_create(&s->thread, NULL, fn, s) : 0;
}

FIXTURE(ns) {
	char dir[64];
};

FIXTURE_SETUP(ns)
{
	ASSERT_EQ(0, unshare(CLONE_NEWNET)) TH_LOG("unshare: %s", strerror(errno));
	ASSERT_EQ(0, system("ip link set lo up && ip link add src0 type bridge && "
			    "ip addr add 192.0.2.1/32 dev src0 && ip link set src0 up && "
			    "ip link add src1 type bridge && ip link set src1 up"));
	strcpy(self->dir, "/tmp/xfer_mem.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
}

FIXTURE_TEARDOWN(ns)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", self->dir);
	if (system(cmd))
		TH_LOG("could not remove %s", self->dir);
}

TEST_F(ns, http_from_source_interface)
{
	struct server s = { .reply = "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello" };
	struct swauth_xfer_opts o = { .source_iface = "src0" };
	struct swauth_error err;
	unsigned char *buf;
	char url[64];
	size_t len;

	ASSERT_EQ(0, serve(&s, SOCK_STREAM, http_once));
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/ca.cer", s.port);
	ASSERT_EQ(0, swauth_url_fetch(url, &o, 100, &buf, &len, &err)) TH_LOG("%s", err.msg);
	pthread_join(s.thread, NULL);
	EXPECT_EQ(5, len);
	EXPECT_STREQ("hello", (char *)buf);
	EXPECT_STREQ("192.0.2.1", s.peer);
	free(buf);
	close(s.fd);
}

TEST_F(ns, http_default_source)
{
	struct server s = { .reply = "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok" };
	struct swauth_error err;
	unsigned char *buf;
	char url[64];
	size_t len;

	ASSERT_EQ(0, serve(&s, SOCK_STREAM, http_once));
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/x", s.port);
	ASSERT_EQ(0, swauth_url_fetch(url, NULL, 100, &buf, &len, &err)) TH_LOG("%s", err.msg);
	pthread_join(s.thread, NULL);
	EXPECT_STREQ("127.0.0.1", s.peer);
	free(buf);
	close(s.fd);
}

TEST_F(ns, http_too_large_refused)
{
	struct server s = { .reply = "HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello" };
	struct swauth_error err;
	unsigned char *buf = (unsigned char *)"x";
	char url[64];
	size_t len;

	ASSERT_EQ(0, serve(&s, SOCK_STREAM, http_once));
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/x", s.port);
	EXPECT_EQ(-EFBIG, swauth_url_fetch(url, NULL, 4, &buf, &len, &err));
	EXPECT_NE(NULL, strstr(err.msg, "more than the 4 allowed")) TH_LOG("%s", err.msg);
	EXPECT_EQ(NULL, buf);
	pthread_join(s.thread, NULL);
	close(s.fd);
}

TEST_F(ns, tftp_from_source_interface)
{
	struct swauth_xfer_opts o = { .source_iface = "src0", .timeout_ms = 500, .retries = 1 };
	struct server s = { 0 };
	struct swauth_error err;
	unsigned char *buf;
	char url[64];
	size_t len;

	ASSERT_EQ(0, serve(&s, SOCK_DGRAM, tftp_once));
	snprintf(url, sizeof(url), "tftp://127.0.0.1:%u/r1.ca", s.port);
	EXPECT_EQ(-ENOENT, swauth_url_fetch(url, &o, 100, &buf, &len, &err)) TH_LOG("%s", err.msg);
	pthread_join(s.thread, NULL);
	EXPECT_STREQ("192.0.2.1", s.peer);
	close(s.fd);
}

TEST_F(ns, no_such_interface)
{
	struct swauth_xfer_opts o = { .source_iface = "nosuch0" };
	struct server s = { .reply = "" };
	struct swauth_error err;
	unsigned char *buf;
	char url[64];
	size_t len;

	ASSERT_EQ(0, serve(&s, SOCK_STREAM, NULL));
	snprintf(url, sizeof(url), "http://127.0.0.1:%u/x", s.port);
	EXPECT_EQ(-ENODEV, swauth_url_fetch(url, &o, 100, &buf, &len, &err));
	EXPECT_STREQ("source interface nosuch0: no such interface", err.msg);
	o.source_iface = "src1";
	EXPECT_EQ(-EADDRNOTAVAIL, swauth_url_fetch(url, &o, 100, &buf, &len, &err));
	EXPECT_STREQ("source interface src1 has no IPv4 address", err.msg);
	o.source_iface = NULL;
	o.vrf = "novrf";
	EXPECT_EQ(-ENODEV, swauth_url_fetch(url, &o, 100, &buf, &len, &err));
	EXPECT_STREQ("vrf novrf: no such device", err.msg);
	snprintf(url, sizeof(url), "tftp://127.0.0.1:%u/x", s.port);
	EXPECT_EQ(-ENODEV, swauth_url_fetch(url, &o, 100, &buf, &len, &err));
	close(s.fd);
}

TEST_F(ns, file_fetch_and_send)
{
	struct swauth_error err;
	unsigned char *buf;
	char path[128], link[128];
	size_t len;

	snprintf(path, sizeof(path), "%s/r1.req", self->dir);
	ASSERT_EQ(0, swauth_url_send(path, NULL, "REQ\n", 4, &err)) TH_LOG("%s", err.msg);
	ASSERT_EQ(0, swauth_url_fetch(path, NULL, 4, &buf, &len, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(4, len);
	EXPECT_STREQ("REQ\n", (char *)buf);
	free(buf);
	EXPECT_EQ(-EFBIG, swauth_url_fetch(path, NULL, 3, &buf, &len, &err));
	snprintf(link, sizeof(link), "%s/link", self->dir);
	ASSERT_EQ(0, symlink(path, link));
	EXPECT_EQ(-ELOOP, swauth_url_fetch(link, NULL, 100, &buf, &len, &err));
	EXPECT_NE(NULL, strstr(err.msg, "a symbolic link (refused)")) TH_LOG("%s", err.msg);
	EXPECT_EQ(-EINVAL, swauth_url_fetch(self->dir, NULL, 100, &buf, &len, &err));
}

TEST_HARNESS_MAIN

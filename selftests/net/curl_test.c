// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swauth_curl_get() and swauth_curl_put() (lib/curl.c) against real
 * servers on 127.0.0.1: vsftpd, sshd and the loopback HTTP(S) server that
 * selftests/host/curl.t starts (selftests/net/servers.sh) and describes in
 * SWT_* environment variables. Every transfer of the 50 MiB file must be
 * byte-identical; every failure must come back as the error of xfer.h with
 * the server's own words, quickly.
 */

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/xfer.h"

#include "kselftest_harness.h"

struct test_sink {
	struct swauth_sink s;
	int fd;
	int size_calls, writes;
	uint64_t announced, written;
	bool wrote_before_size;
	int fail_size;			/* size() returns this */
	int fail_write;			/* write() returns this, once 1 MiB arrived */
	pid_t kill_pid;			/* killed with its children after 1 MiB */
};

enum { MIB = 1 << 20, BIG_SIZE = 50 * MIB };

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static unsigned int env_port(const char *name)
{
	const char *v = env(name);

	return v ? (unsigned int)atoi(v) : 0;
}

/* SIGKILL @pid and everything it forked (vsftpd's session processes). */
static void kill_tree(pid_t pid)
{
	char path[64], buf[4096], *p, *end;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", pid, pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(buf, sizeof(buf), f))
			for (p = buf; *p; p = end) {
				long child = strtol(p, &end, 10);

				if (end == p)
					break;
				kill_tree((pid_t)child);
			}
		fclose(f);
	}
	kill(pid, SIGKILL);
}

static int sink_size(struct swauth_sink *s, uint64_t total)
{
	struct test_sink *t = (struct test_sink *)s;

	t->size_calls++;
	t->announced = total;
	if (t->fail_size)
		return swauth_error_set(&s->err, t->fail_size, "%llu bytes will not fit",
					(unsigned long long)total);
	return 0;
}

static int sink_write(struct swauth_sink *s, const void *buf, size_t len)
{
	struct test_sink *t = (struct test_sink *)s;

	if (!t->size_calls)
		t->wrote_before_size = true;
	t->writes++;
	if (t->written >= MIB && t->fail_write)
		return swauth_error_set(&s->err, t->fail_write, "the sink had enough");
	if (t->written >= MIB && t->kill_pid) {
		kill_tree(t->kill_pid);
		t->kill_pid = 0;
	}
	t->written += len;
	if (t->fd >= 0 && write(t->fd, buf, len) != (ssize_t)len)
		return swauth_error_set(&s->err, -EIO, "short write");
	return 0;
}

static void sink_init(struct test_sink *t, int fd)
{
	memset(t, 0, sizeof(*t));
	t->s.size = sink_size;
	t->s.write = sink_write;
	t->fd = fd;
}

static void url_init(struct swauth_url *u, enum swauth_url_scheme scheme, const char *port_env,
		     const char *path)
{
	memset(u, 0, sizeof(*u));
	u->scheme = scheme;
	snprintf(u->host, sizeof(u->host), "127.0.0.1");
	u->port = env_port(port_env);
	snprintf(u->path, sizeof(u->path), "%s", path);
}

static void url_user(struct swauth_url *u)
{
	snprintf(u->user, sizeof(u->user), "%s", env("SWT_FTP_USER"));
	snprintf(u->pass, sizeof(u->pass), "%s", env("SWT_FTP_PASS"));
}

static void opts_init(struct swauth_xfer_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->ca_file = env("SWT_CA");
	o->ssh_key = env("SWT_SSH_KEY");
	o->known_hosts = env("SWT_KNOWN_HOSTS");
}

/* Bytes at which two files differ, or -1 when one cannot be read. */
static long long diff_bytes(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	long long n = 0;
	int ca, cb;

	if (!fa || !fb) {
		n = -1;
		goto out;
	}
	do {
		ca = getc(fa);
		cb = getc(fb);
		n += ca != cb;
	} while (ca != EOF && cb != EOF);
out:
	if (fa)
		fclose(fa);
	if (fb)
		fclose(fb);
	return n;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void path_of(char *buf, size_t len, const char *rel)
{
	snprintf(buf, len, "%s/%s", env("SWT_DIR"), rel);
}

FIXTURE(srv) {
	char big[PATH_MAX], out[PATH_MAX];
	struct swauth_xfer_opts o;
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct test_sink t;
	int fd;
};

FIXTURE_SETUP(srv)
{
	if (!env("SWT_DIR"))
		SKIP(return, "no test servers: run selftests/host/curl.t");
	path_of(self->big, sizeof(self->big), "pub/big");
	snprintf(self->out, sizeof(self->out), "%s/out.%d", env("SWT_DIR"), getpid());
	self->fd = open(self->out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, self->fd);
	sink_init(&self->t, self->fd);
	opts_init(&self->o);
	swauth_error_clear(&self->err);
}

FIXTURE_TEARDOWN(srv)
{
	if (self->fd >= 0) {
		close(self->fd);
		unlink(self->out);
	}
}

struct progress {
	int calls;
	uint64_t done, total;
	bool backwards;
	struct resumes *resumes;	/* for o.resumed, or NULL */
};

static void on_progress(void *arg, uint64_t done, uint64_t total)
{
	struct progress *p = arg;

	p->backwards |= done < p->done;
	p->calls++;
	p->done = done;
	p->total = total;
}

/*
 * A complete download: the size first, every byte, progress, the peer on
 * lo; @res for o.resumed (may be NULL).
 */
static void check_get_resumes(struct __test_metadata *_metadata, FIXTURE_DATA(srv) *self,
			      struct resumes *res)
{
	struct progress p = { .resumes = res };
	int ret;

	self->o.progress = on_progress;
	self->o.progress_arg = &p;
	ret = swauth_curl_get(&self->u, &self->o, &self->t.s, &self->r, &self->err);
	ASSERT_EQ(0, ret) TH_LOG("%s", self->err.msg);
	EXPECT_LT(1, p.calls);
	EXPECT_EQ(BIG_SIZE, p.done);
	EXPECT_EQ(BIG_SIZE, p.total);
	EXPECT_FALSE(p.backwards);
	EXPECT_EQ(1, self->t.size_calls);
	EXPECT_EQ(BIG_SIZE, self->t.announced);
	EXPECT_FALSE(self->t.wrote_before_size);
	EXPECT_EQ(BIG_SIZE, self->r.bytes);
	EXPECT_STREQ("127.0.0.1", self->r.peer);
	EXPECT_STREQ("lo", self->r.iface);
	EXPECT_EQ(0, diff_bytes(self->big, self->out));
}

static void check_get(struct __test_metadata *_metadata, FIXTURE_DATA(srv) *self)
{
	check_get_resumes(_metadata, self, NULL);
}

TEST_F(srv, ftp_user_get)
{
	if (!env("SWT_FTP_USER"))
		SKIP(return, "no FTP test user (needs root)");
	url_init(&self->u, SWAUTH_URL_FTP, "SWT_FTP_PORT", "/big");
	url_user(&self->u);
	check_get(_metadata, self);
}

TEST_F(srv, ftp_anonymous_get)
{
	url_init(&self->u, SWAUTH_URL_FTP, "SWT_FTP_PORT", "/big");
	snprintf(self->u.user, sizeof(self->u.user), "anonymous");
	snprintf(self->u.pass, sizeof(self->u.pass), "swauth@router.example");
	check_get(_metadata, self);
}

TEST_F(srv, http_get)
{
	url_init(&self->u, SWAUTH_URL_HTTP, "SWT_HTTP_PORT", "/big");
	check_get(_metadata, self);
}

TEST_F(srv, https_get)
{
	url_init(&self->u, SWAUTH_URL_HTTPS, "SWT_HTTPS_PORT", "/big");
	check_get(_metadata, self);
}

TEST_F(srv, scp_get)
{
	char path[PATH_MAX];

	path_of(path, sizeof(path), "pub/big");
	url_init(&self->u, SWAUTH_URL_SCP, "SWT_SSH_PORT", path);
	snprintf(self->u.user, sizeof(self->u.user), "%s", env("SWT_SSH_USER"));
	check_get(_metadata, self);
}

/* Every byte but '/' and the unreserved ones goes percent-encoded. */
TEST_F(srv, odd_name_get)
{
	static const char name[] = "/odd name;type=a %41#?&+.bin";
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/pub%s", env("SWT_DIR"), name);
	ASSERT_EQ(0, link(self->big, path));
	url_init(&self->u, SWAUTH_URL_HTTP, "SWT_HTTP_PORT", name);
	check_get(_metadata, self);
	ASSERT_EQ(0, ftruncate(self->fd, 0));
	ASSERT_EQ(0, lseek(self->fd, 0, SEEK_SET));
	sink_init(&self->t, self->fd);
	url_init(&self->u, SWAUTH_URL_FTP, "SWT_FTP_PORT", name);
	snprintf(self->u.user, sizeof(self->u.user), "anonymous");
	check_get(_metadata, self);
	unlink(path);
}

static void check_put(struct __test_metadata *_metadata, FIXTURE_DATA(srv) *self,
		      const char *dest)
{
	int fd = open(self->big, O_RDONLY);
	struct progress p = { 0 };
	int ret;

	ASSERT_LE(0, fd);
	self->o.progress = on_progress;
	self->o.progress_arg = &p;
	ret = swauth_curl_put(&self->u, &self->o, fd, BIG_SIZE, &self->r, &self->err);
	close(fd);
	ASSERT_EQ(0, ret) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(BIG_SIZE, p.done);
	EXPECT_EQ(BIG_SIZE, p.total);
	EXPECT_EQ(BIG_SIZE, self->r.bytes);
	EXPECT_STREQ("127.0.0.1", self->r.peer);
	EXPECT_EQ(0, diff_bytes(self->big, dest));
	unlink(dest);
}

TEST_F(srv, ftp_user_put)
{
	char dest[PATH_MAX];

	if (!env("SWT_FTP_USER"))
		SKIP(return, "no FTP test user (needs root)");
	url_init(&self->u, SWAUTH_URL_FTP, "SWT_FTP_PORT", "/up-ftp");
	url_user(&self->u);
	path_of(dest, sizeof(dest), "user/up-ftp");
	check_put(_metadata, self, dest);
}

TEST_F(srv, http_put)
{
	char dest[PATH_MAX];

	url_init(&self->u, SWAUTH_URL_HTTP, "SWT_HTTP_PORT", "/up-http");
	path_of(dest, sizeof(dest), "pub/up-http");
	check_put(_metadata, self, dest);
}

TEST_F(srv, https_put)
{
	char dest[PATH_MAX];

	url_init(&self->u, SWAUTH_URL_HTTPS, "SWT_HTTPS_PORT", "/up-https");
	path_of(dest, sizeof(dest), "pub/up-https");
	check_put(_metadata, self, dest);
}

TEST_F(srv, scp_put)
{
	char dest[PATH_MAX];

	path_of(dest, sizeof(dest), "up-scp");
	url_init(&self->u, SWAUTH_URL_SCP, "SWT_SSH_PORT", dest);
	snprintf(self->u.user, sizeof(self->u.user), "%s", env("SWT_SSH_USER"));
	check_put(_metadata, self, dest);
}

/* A failed download: the error, the server's words, nothing in the sink. */
static void check_fail(struct __test_metadata *_metadata, FIXTURE_DATA(srv) *self, int code,
		       const char *words)
{
	int ret = swauth_curl_get(&self->u, &self->o, &self->t.s, &self->r, &self->err);

	EXPECT_EQ(code, ret) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(code, self->err.code) TH_LOG("%s", self->err.msg);
	EXPECT_NE(NULL, strstr(self->err.msg, words)) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(0, self->t.written);
}

TEST_F(srv, http_missing)
{
	url_init(&self->u, SWAUTH_URL_HTTP, "SWT_HTTP_PORT", "/no-such-file");
	check_fail(_metadata, self, -ENOENT, "404 File not found");
}

TEST_F(srv, ftp_missing)
{
	url_init(&self->u, SWAUTH_URL_FTP, "SWT_FTP_PORT", "/no-such-file");
	snprintf(self->u.user, sizeof(self->u.user), "anonymous");
	check_fail(_metadata, self, -ENOENT, "550 ");
}

TEST_F(srv, scp_missing)
{
	char path[PATH_MAX];

	path_of(path, sizeof(path), "pub/no-such-file");
	url_init(&self->u, SWAUTH_URL_SCP, "SWT_SSH_PORT", path);
	snprintf(self->u.user, sizeof(self->u.user), "%s", env("SWT_SSH_USER"));
	check_fail(_metadata, self, -ENOENT, "no-such-file");
}

TEST_F(srv, http_forbidden)
{
	url_init(&self->u, SWAUTH_URL_HTTP, "SWT_HTTP_PORT", "/secret");
	check_fail(_metadata, self, -EACCES, "403 Permission denied");
}

TEST_F(srv, ftp_forbidden)
{
	if (!env("SWT_FTP_USER"))
		SKIP(return, "no FTP test user (needs root)");
	url_init(&self->u, SWAUTH_URL_FTP, "SWT_FTP_PORT", "/secret");
	url_user(&self->u);
	check_fail(_metadata, self, -EACCES, "550 Failed to open file");
}

TEST_F(srv, ftp_wrong_password)
{
	if (!env("SWT_FTP_USER"))
		SKIP(return, "no FTP test user (needs root)");
	url_init(&self->u, SWAUTH_URL_FTP, "SWT_FTP_PORT", "/big");
	url_user(&self->u);
	snprintf(self->u.pass, sizeof(self->u.pass), "not-the-password");
	check_fail(_metadata, self, -EACCES, "530 Login incorrect");
	EXPECT_EQ(NULL, strstr(self->err.msg, "not-the-password"));
}

TEST_F(srv, https_untrusted)
{
	url_init(&self->u, SWAUTH_URL_HTTPS, "SWT_HTTPS_PORT", "/big");
	self->o.ca_file = NULL;
	check_fail(_metadata, self, -EKEYREJECTED, "cannot be trusted");
}

/* known_hosts has the key, but for another port: not this host. */
TEST_F(srv, scp_unknown_host)
{
	char hosts[PATH_MAX], line[1024], *key;
	FILE *in, *out;

	snprintf(hosts, sizeof(hosts), "%s.hosts", self->out);
	in = fopen(env("SWT_KNOWN_HOSTS"), "r");
	ASSERT_NE(NULL, in);
	ASSERT_NE(NULL, fgets(line, sizeof(line), in));
	fclose(in);
	key = strchr(line, ' ');
	ASSERT_NE(NULL, key);
	out = fopen(hosts, "w");
	ASSERT_NE(NULL, out);
	fprintf(out, "[127.0.0.1]:1%s", key);
	fclose(out);
	self->o.known_hosts = hosts;
	url_init(&self->u, SWAUTH_URL_SCP, "SWT_SSH_PORT", self->big);
	snprintf(self->u.user, sizeof(self->u.user), "%s", env("SWT_SSH_USER"));
	check_fail(_metadata, self, -EKEYREJECTED, "cannot be trusted");
	unlink(hosts);
}

/* A bound socket that does not listen: the port refuses connections. */
TEST_F(srv, server_down)
{
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	ASSERT_EQ(0, bind(s, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(0, getsockname(s, (struct sockaddr *)&sa, &len));
	url_init(&self->u, SWAUTH_URL_FTP, "none", "/big");
	self->u.port = ntohs(sa.sin_port);
	check_fail(_metadata, self, -ECONNREFUSED, "connection refused");
	url_init(&self->u, SWAUTH_URL_HTTP, "none", "/big");
	self->u.port = ntohs(sa.sin_port);
	check_fail(_metadata, self, -ECONNREFUSED, "connection refused");
	close(s);
}

/* A server that accepts the connection and never says a word. */
TEST_F(srv, server_silent)
{
	static const enum swauth_url_scheme schemes[] = { SWAUTH_URL_FTP, SWAUTH_URL_HTTP,
							  SWAUTH_URL_SCP };
	struct sockaddr_in sa = { .sin_family = AF_INET,
				  .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(sa);
	int s = socket(AF_INET, SOCK_STREAM, 0);
	double t0;
	size_t i;

	ASSERT_EQ(0, bind(s, (struct sockaddr *)&sa, sizeof(sa)));
	ASSERT_EQ(0, listen(s, 8));
	ASSERT_EQ(0, getsockname(s, (struct sockaddr *)&sa, &len));
	self->o.timeout_ms = 500;
	self->o.retries = 2;
	for (i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++) {
		url_init(&self->u, schemes[i], "none", "/big");
		self->u.port = ntohs(sa.sin_port);
		snprintf(self->u.user, sizeof(self->u.user), "root");
		t0 = now();
		check_fail(_metadata, self, -ETIMEDOUT, "stopped answering");
		EXPECT_GT(4.0, now() - t0) TH_LOG("scheme %d", schemes[i]);
	}
	close(s);
}

/*
 * The server dies after 1 MiB: a cut transfer, noticed without a hang; the
 * resume finds no server and says so.
 */
static void check_killed(struct __test_metadata *_metadata, FIXTURE_DATA(srv) *self)
{
	double t0 = now();
	int ret;

	ret = swauth_curl_get(&self->u, &self->o, &self->t.s, &self->r, &self->err);
	EXPECT_TRUE(ret == -EPROTO || ret == -ETIMEDOUT) TH_LOG("%d: %s", ret, self->err.msg);
	EXPECT_LT(self->t.written, BIG_SIZE);
	EXPECT_GT(20.0, now() - t0);
	if (ret == -EPROTO) {
		EXPECT_EQ(1, self->r.resumes);
		EXPECT_TRUE(strstr(self->err.msg, "and resume 1 of 5 failed: ") != NULL)
			TH_LOG("%s", self->err.msg);
	}
}

struct resumes {
	unsigned int calls, n, max;
	uint64_t offset[4];
};

static void on_resumed(void *arg, uint64_t offset, unsigned int n, unsigned int max)
{
	struct resumes *r = ((struct progress *)arg)->resumes;

	if (r->calls < 4)
		r->offset[r->calls] = offset;
	r->calls++;
	r->n = n;
	r->max = max;
}

/*
 * The server cuts its first two replies after 3 MiB of body: the download
 * resumes twice (Range), and the sink sees one stream, the size once, the
 * progress never backwards.
 */
TEST_F(srv, http_resume)
{
	struct resumes res = { 0 };

	url_init(&self->u, SWAUTH_URL_HTTP, "SWT_HTTPD_PORT", "/big");
	self->o.resumed = on_resumed;
	check_get_resumes(_metadata, self, &res);
	EXPECT_EQ(2, self->r.resumes);
	EXPECT_EQ(2, res.calls);
	EXPECT_EQ(2, res.n);
	EXPECT_EQ(5, res.max);
	EXPECT_EQ(3 * MIB, res.offset[0]);
	EXPECT_EQ(6 * MIB, res.offset[1]);
}

TEST_F(srv, http_killed)
{
	self->t.kill_pid = (pid_t)atoi(env("SWT_HTTPK_PID"));
	url_init(&self->u, SWAUTH_URL_HTTP, "SWT_HTTPK_PORT", "/big");
	check_killed(_metadata, self);
}

TEST_F(srv, ftp_killed)
{
	self->t.kill_pid = (pid_t)atoi(env("SWT_FTPK_PID"));
	url_init(&self->u, SWAUTH_URL_FTP, "SWT_FTPK_PORT", "/big");
	snprintf(self->u.user, sizeof(self->u.user), "anonymous");
	check_killed(_metadata, self);
}

/* The sink refuses at size(): nothing is written, its error comes back. */
TEST_F(srv, sink_refuses_size)
{
	static const enum swauth_url_scheme schemes[] = { SWAUTH_URL_FTP, SWAUTH_URL_HTTP };
	static const char *const ports[] = { "SWT_FTP_PORT", "SWT_HTTP_PORT" };
	size_t i;

	for (i = 0; i < 2; i++) {
		sink_init(&self->t, self->fd);
		self->t.fail_size = -ENOSPC;
		url_init(&self->u, schemes[i], ports[i], "/big");
		snprintf(self->u.user, sizeof(self->u.user), "anonymous");
		check_fail(_metadata, self, -ENOSPC, "52428800 bytes will not fit");
		EXPECT_EQ(0, self->t.writes);
	}
}

/* The sink refuses at write(): the transfer stops there. */
TEST_F(srv, sink_refuses_write)
{
	static const enum swauth_url_scheme schemes[] = { SWAUTH_URL_FTP, SWAUTH_URL_HTTP,
							  SWAUTH_URL_SCP };
	static const char *const ports[] = { "SWT_FTP_PORT", "SWT_HTTP_PORT", "SWT_SSH_PORT" };
	size_t i;
	int ret;

	for (i = 0; i < 3; i++) {
		sink_init(&self->t, self->fd);
		self->t.fail_write = -EFBIG;
		url_init(&self->u, schemes[i], ports[i],
			 schemes[i] == SWAUTH_URL_SCP ? self->big : "/big");
		snprintf(self->u.user, sizeof(self->u.user), "%s",
			 schemes[i] == SWAUTH_URL_SCP ? env("SWT_SSH_USER") : "anonymous");
		ret = swauth_curl_get(&self->u, &self->o, &self->t.s, &self->r, &self->err);
		EXPECT_EQ(-EFBIG, ret);
		EXPECT_STREQ("the sink had enough", self->err.msg);
		EXPECT_GT(4 * MIB, self->t.written);
	}
}

/* The corrupting proxy flips exactly one byte of the file in transit. */
TEST_F(srv, corrupting_proxy)
{
	int ret;

	url_init(&self->u, SWAUTH_URL_HTTP, "SWT_PROXY_PORT", "/big");
	ret = swauth_curl_get(&self->u, &self->o, &self->t.s, &self->r, &self->err);
	ASSERT_EQ(0, ret) TH_LOG("%s", self->err.msg);
	EXPECT_EQ(BIG_SIZE, self->t.written);
	EXPECT_EQ(1, diff_bytes(self->big, self->out));
}

/* What libcurl must never see: other schemes, odd hosts, no file name. */
TEST(malformed)
{
	static const struct {
		enum swauth_url_scheme scheme;
		const char *host, *path, *words;
	} cases[] = {
		{ SWAUTH_URL_TFTP, "h", "/f", "ftp, ftps, ftpes, http, https and scp URLs only" },
		{ SWAUTH_URL_FILE, "h", "/f", "ftp, ftps, ftpes, http, https and scp URLs only" },
		{ SWAUTH_URL_HTTP, "", "/f", "invalid host \"\"" },
		{ SWAUTH_URL_HTTP, "a/b", "/f", "invalid host \"a/b\"" },
		{ SWAUTH_URL_FTP, "u@h", "/f", "invalid host \"u@h\"" },
		{ SWAUTH_URL_FTP, "h", "/", "\"/\" does not name a file" },
		{ SWAUTH_URL_FTP, "h", "/dir/", "\"/dir/\" does not name a file" },
		{ SWAUTH_URL_SCP, "h", "f", "\"f\" does not name a file" },
	};
	struct swauth_xfer_result r;
	struct swauth_xfer_opts o = { 0 };
	struct swauth_error err;
	struct test_sink t;
	struct swauth_url u;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&u, 0, sizeof(u));
		u.scheme = cases[i].scheme;
		snprintf(u.host, sizeof(u.host), "%s", cases[i].host);
		snprintf(u.path, sizeof(u.path), "%s", cases[i].path);
		sink_init(&t, -1);
		EXPECT_EQ(-EINVAL, swauth_curl_get(&u, &o, &t.s, &r, &err));
		EXPECT_NE(NULL, strstr(err.msg, cases[i].words)) TH_LOG("%s", err.msg);
		EXPECT_EQ(-EINVAL, swauth_curl_put(&u, &o, -1, 0, &r, &err));
	}
	memset(&u, 0, sizeof(u));
	u.scheme = SWAUTH_URL_HTTP;
	u.port = 65536;
	snprintf(u.host, sizeof(u.host), "h");
	snprintf(u.path, sizeof(u.path), "/f");
	EXPECT_EQ(-EINVAL, swauth_curl_get(&u, &o, &t.s, &r, &err));
	EXPECT_STREQ("http URL: port 65536 is out of range (1-65535)", err.msg);
}

TEST_HARNESS_MAIN

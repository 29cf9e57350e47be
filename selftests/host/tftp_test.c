// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy's TFTP client (lib/xfer/tftp.c) against real servers on 127.0.0.1, each
 * started on a free port by the test and killed by its process group:
 * tftpd-hpa's in.tftpd (blksize, tsize, timeout) and atftpd 0.8 (windowsize;
 * unpacked into build/atftpd by host.mk, the tests skip without it). A fake
 * server in the test sends the replies no real server sends.
 */

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <netinet/in.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/xfer.h"

#include "kselftest_harness.h"

#define ATFTPD "build/atftpd/usr/sbin/atftpd"
#define IN_TFTPD "/usr/sbin/in.tftpd"

enum { BIG = 50 << 20, MEDIUM = 16 << 20 };

/* A UDP port nobody uses right now. */
static unsigned int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		return 0;
	close(fd);
	return ntohs(a.sin_port);
}

/* Whether something has bound 127.0.0.1:@port (or [::1]:@port). */
static bool port_taken(int family, unsigned int port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6, .sin6_port = htons(port),
				   .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	int fd = socket(family, SOCK_DGRAM, 0);
	bool taken;

	taken = family == AF_INET ? bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 :
				    bind(fd, (struct sockaddr *)&a6, sizeof(a6)) < 0;
	taken = taken && errno == EADDRINUSE;
	close(fd);
	return taken;
}

/* Start @argv in its own process group; wait until it listens. Return: its pid or -1. */
static pid_t start_server(char *const argv[], int family, unsigned int port)
{
	pid_t pid = fork();
	int i, fd;

	if (pid < 0)
		return -1;
	if (pid == 0) {
		setpgid(0, 0);
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	for (i = 0; i < 500; i++) {
		if (port_taken(family, port))
			return pid;
		if (waitpid(pid, NULL, WNOHANG) == pid)
			return -1;
		usleep(10000);
	}
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
	return -1;
}

/* in.tftpd forks a child per transfer: the whole group goes. */
static void stop_server(pid_t pid)
{
	if (pid <= 0)
		return;
	kill(-pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static pid_t start_hpa(const char *dir, int family, unsigned int port)
{
	char addr[64], user[64];
	char *argv[] = { IN_TFTPD, "--foreground", "--listen", "--address", addr, "--secure",
			 "--create", "--user", user, (char *)dir, NULL };

	snprintf(addr, sizeof(addr), family == AF_INET ? "127.0.0.1:%u" : "[::1]:%u", port);
	snprintf(user, sizeof(user), "%s", getpwuid(getuid())->pw_name);
	return start_server(argv, family, port);
}

static pid_t start_atftpd(const char *dir, unsigned int port)
{
	char portstr[16], user[64], group[64];
	char *argv[] = { ATFTPD, "--daemon", "--no-fork", "--port", portstr,
			 "--bind-address", "127.0.0.1", "--user", user, "--group", group,
			 "--logfile", "/dev/null", "--no-multicast", (char *)dir, NULL };

	snprintf(portstr, sizeof(portstr), "%u", port);
	snprintf(user, sizeof(user), "%s", getpwuid(getuid())->pw_name);
	snprintf(group, sizeof(group), "%s", getgrgid(getgid())->gr_name);
	return start_server(argv, AF_INET, port);
}

/* @size bytes that differ from block to block (xorshift), mode @mode. */
static int make_file(const char *path, uint64_t size, mode_t mode)
{
	uint64_t x = 0x9e3779b97f4a7c15ull ^ size, buf[8192], done = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		return -errno;
	while (done < size) {
		size_t i, n = size - done < sizeof(buf) ? (size_t)(size - done) : sizeof(buf);

		for (i = 0; i < sizeof(buf) / sizeof(buf[0]); i++) {
			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			buf[i] = x;
		}
		if (write(fd, buf, n) != (ssize_t)n) {
			close(fd);
			return -EIO;
		}
		done += n;
	}
	fchmod(fd, mode);
	close(fd);
	return 0;
}

/* Return: 0 when both files hold the same bytes, else -1. */
static int same_file(const char *a, const char *b)
{
	static char x[1 << 16], y[1 << 16];
	int fa = open(a, O_RDONLY), fb = open(b, O_RDONLY), ret = -1;

	for (;;) {
		ssize_t n = read(fa, x, sizeof(x)), m = read(fb, y, sizeof(y));

		if (n < 0 || n != m || memcmp(x, y, (size_t)n))
			break;
		if (n == 0) {
			ret = 0;
			break;
		}
	}
	close(fa);
	close(fb);
	return ret;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* A sink writing to a file, which can refuse on command. */
struct file_sink {
	struct swauth_sink s;
	int fd;
	bool sized, wrote;
	uint64_t total, written;
	bool size_after_write;		/* the bug this catches */
	int refuse_size;		/* returned by size() when not 0 */
	int refuse_write;		/* returned by write() once past refuse_at */
	uint64_t refuse_at;
	pid_t kill_at_half;		/* a server group killed halfway */
	unsigned int timeouts;		/* get_file(): the transfer's timed-out waits */
};

static int file_size(struct swauth_sink *s, uint64_t total)
{
	struct file_sink *f = (struct file_sink *)s;

	f->size_after_write = f->wrote;
	f->sized = true;
	f->total = total;
	if (f->refuse_size)
		return swauth_error_set(&s->err, f->refuse_size, "the flash has no room for %llu bytes",
					(unsigned long long)total);
	return 0;
}

static int file_write(struct swauth_sink *s, const void *buf, size_t len)
{
	struct file_sink *f = (struct file_sink *)s;

	f->wrote = true;
	if (f->refuse_write && f->written >= f->refuse_at)
		return f->refuse_write;
	if (f->kill_at_half > 0 && f->written >= BIG / 2) {
		stop_server(f->kill_at_half);
		f->kill_at_half = 0;
	}
	if (f->fd >= 0 && write(f->fd, buf, len) != (ssize_t)len)
		return swauth_error_set(&s->err, -EIO, "short write");
	f->written += len;
	return 0;
}

static void sink_init(struct file_sink *f, const char *path)
{
	memset(f, 0, sizeof(*f));
	f->s.size = file_size;
	f->s.write = file_write;
	f->fd = path ? open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
}

static void url_init(struct swauth_url *u, const char *host, unsigned int port, const char *name)
{
	memset(u, 0, sizeof(*u));
	u->scheme = SWAUTH_URL_TFTP;
	snprintf(u->host, sizeof(u->host), "%s", host);
	u->port = port;
	snprintf(u->path, sizeof(u->path), "/%s", name);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Download @name into @dir/@out. Return: what swauth_tftp_get() returned. */
static int get_file(const char *dir, unsigned int port, const char *name, const char *out,
		    const struct swauth_xfer_opts *o, struct file_sink *f, struct swauth_error *err)
{
	struct swauth_xfer_result r;
	struct swauth_url u;
	char path[PATH_MAX];
	int ret;

	snprintf(path, sizeof(path), "%s/%s", dir, out);
	url_init(&u, "127.0.0.1", port, name);
	sink_init(f, path);
	ret = swauth_tftp_get(&u, o, &f->s, &r, err);
	f->timeouts = r.timeouts;
	close(f->fd);
	if (!ret && r.bytes != f->written)
		return -EBADMSG;
	return ret;
}

static int put_file(const char *dir, unsigned int port, const char *name, const char *remote,
		    const struct swauth_xfer_opts *o, struct swauth_error *err)
{
	struct swauth_xfer_result r;
	struct swauth_url u;
	char path[PATH_MAX];
	struct stat st;
	int fd, ret;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	url_init(&u, "127.0.0.1", port, remote);
	ret = swauth_tftp_put(&u, o, fd, (uint64_t)st.st_size, &r, err);
	close(fd);
	if (!ret && r.bytes != (uint64_t)st.st_size)
		return -EBADMSG;
	return ret;
}

FIXTURE(hpa) {
	char dir[PATH_MAX];
	unsigned int port;
	pid_t pid;
};

FIXTURE_VARIANT(hpa) {
	unsigned int blksize;
};

FIXTURE_VARIANT_ADD(hpa, blk512) { .blksize = 512 };
FIXTURE_VARIANT_ADD(hpa, blk1428) { .blksize = 1428 };
FIXTURE_VARIANT_ADD(hpa, blk65464) { .blksize = 65464 };

static void start_fixture(struct __test_metadata *_metadata, char *dir, unsigned int *port,
		      pid_t *pid)
{
	char path[PATH_MAX];

	snprintf(dir, PATH_MAX, "/tmp/swauth-tftp.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(dir));
	chmod(dir, 0777);
	snprintf(path, sizeof(path), "%s/big", dir);
	ASSERT_EQ(0, make_file(path, BIG, 0644));
	*port = free_port();
	ASSERT_NE(0, *port);
	*pid = start_hpa(dir, AF_INET, *port);
	ASSERT_LT(0, *pid) TH_LOG("cannot start " IN_TFTPD);
}

FIXTURE_SETUP(hpa)
{
	start_fixture(_metadata, self->dir, &self->port, &self->pid);
}

FIXTURE_TEARDOWN(hpa)
{
	stop_server(self->pid);
	nftw(self->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* 50 MiB down, byte for byte; at 512 the block number wraps twice. */
TEST_F(hpa, download)
{
	struct swauth_xfer_opts o = { .blksize = variant->blksize };
	struct swauth_error err;
	struct file_sink f;
	char a[PATH_MAX], b[PATH_MAX];

	ASSERT_EQ(0, get_file(self->dir, self->port, "big", "copy", &o, &f, &err))
		TH_LOG("%s", err.msg);
	EXPECT_TRUE(f.sized);
	EXPECT_FALSE(f.size_after_write);
	EXPECT_EQ(BIG, f.total);
	snprintf(a, sizeof(a), "%s/big", self->dir);
	snprintf(b, sizeof(b), "%s/copy", self->dir);
	EXPECT_EQ(0, same_file(a, b));
}

TEST_F(hpa, upload)
{
	struct swauth_xfer_opts o = { .blksize = variant->blksize };
	struct swauth_error err;
	char a[PATH_MAX], b[PATH_MAX];

	ASSERT_EQ(0, put_file(self->dir, self->port, "big", "up", &o, &err)) TH_LOG("%s", err.msg);
	snprintf(a, sizeof(a), "%s/big", self->dir);
	snprintf(b, sizeof(b), "%s/up", self->dir);
	EXPECT_EQ(0, same_file(a, b));
}

FIXTURE(hpa1) {
	char dir[PATH_MAX];
	unsigned int port;
	pid_t pid;
};

FIXTURE_SETUP(hpa1)
{
	start_fixture(_metadata, self->dir, &self->port, &self->pid);
}

FIXTURE_TEARDOWN(hpa1)
{
	stop_server(self->pid);
	nftw(self->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Sizes around the block size: 0, a multiple (an empty last block), one more. */
TEST_F(hpa1, edge_sizes)
{
	static const uint64_t sizes[] = { 0, 1, 511, 512, 513, 1024, 65464 };
	struct swauth_xfer_opts o = { 0 };
	struct swauth_error err;
	struct file_sink f;
	char a[PATH_MAX], b[PATH_MAX];
	size_t i;

	snprintf(a, sizeof(a), "%s/edge", self->dir);
	snprintf(b, sizeof(b), "%s/edge.copy", self->dir);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ASSERT_EQ(0, make_file(a, sizes[i], 0644));
		ASSERT_EQ(0, get_file(self->dir, self->port, "edge", "edge.copy", &o, &f, &err))
			TH_LOG("%llu: %s", (unsigned long long)sizes[i], err.msg);
		EXPECT_EQ(sizes[i], f.written);
		EXPECT_EQ(0, same_file(a, b));
		ASSERT_EQ(0, put_file(self->dir, self->port, "edge", "edge.up", &o, &err))
			TH_LOG("%llu: %s", (unsigned long long)sizes[i], err.msg);
		snprintf(b, sizeof(b), "%s/edge.up", self->dir);
		EXPECT_EQ(0, same_file(a, b));
		snprintf(b, sizeof(b), "%s/edge.copy", self->dir);
	}
}

/* The server's own words, and the errno for them. */
TEST_F(hpa1, not_found)
{
	struct swauth_xfer_opts o = { .blksize = 1428 };
	struct swauth_error err;
	struct file_sink f;

	EXPECT_EQ(-ENOENT, get_file(self->dir, self->port, "nosuch", "x", &o, &f, &err));
	EXPECT_STREQ("127.0.0.1: /nosuch: File not found (TFTP error 1)", err.msg);
	EXPECT_FALSE(f.wrote);
}

TEST_F(hpa1, permission_denied)
{
	struct swauth_xfer_opts o = { 0 };
	struct swauth_error err;
	struct file_sink f;
	char path[PATH_MAX];

	/* in.tftpd serves only files anyone may read, and writes only those anyone may write. */
	snprintf(path, sizeof(path), "%s/secret", self->dir);
	ASSERT_EQ(0, make_file(path, 1000, 0600));
	EXPECT_EQ(-EACCES, get_file(self->dir, self->port, "secret", "x", &o, &f, &err));
	EXPECT_STREQ("127.0.0.1: /secret: File must have global read permissions (TFTP error 2)",
		     err.msg);
	EXPECT_EQ(-EACCES, put_file(self->dir, self->port, "big", "secret", &o, &err));
	EXPECT_STREQ("127.0.0.1: /secret: File must have global write permissions (TFTP error 2)",
		     err.msg);
}

TEST_F(hpa1, sink_refuses_size)
{
	struct swauth_xfer_opts o = { .blksize = 1428 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct file_sink f;

	url_init(&u, "127.0.0.1", self->port, "big");
	sink_init(&f, NULL);
	f.refuse_size = -ENOSPC;
	EXPECT_EQ(-ENOSPC, swauth_tftp_get(&u, &o, &f.s, &r, &err));
	EXPECT_STREQ("the flash has no room for 52428800 bytes", err.msg);
	EXPECT_FALSE(f.wrote);
	EXPECT_EQ(0, r.bytes);
}

TEST_F(hpa1, sink_refuses_write)
{
	struct swauth_xfer_opts o = { .blksize = 512 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct file_sink f;

	url_init(&u, "127.0.0.1", self->port, "big");
	sink_init(&f, NULL);
	f.refuse_write = -EIO;
	f.refuse_at = 100000;
	EXPECT_EQ(-EIO, swauth_tftp_get(&u, &o, &f.s, &r, &err));
	EXPECT_STREQ("127.0.0.1: the destination refused the data: Input/output error", err.msg);
	EXPECT_EQ(100352, r.bytes);
}

/* The server dies halfway: an error soon, not a hang and not success. */
TEST_F(hpa1, server_killed)
{
	struct swauth_xfer_opts o = { .blksize = 512, .timeout_ms = 1000, .retries = 3 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct file_sink f;
	double t0 = now_s();
	int ret;

	url_init(&u, "127.0.0.1", self->port, "big");
	sink_init(&f, NULL);
	f.kill_at_half = self->pid;
	ret = swauth_tftp_get(&u, &o, &f.s, &r, &err);
	self->pid = 0;
	EXPECT_TRUE(ret == -EPROTO || ret == -ETIMEDOUT) TH_LOG("%d %s", ret, err.msg);
	EXPECT_GT(BIG, r.bytes);
	EXPECT_GT(15, now_s() - t0);
}

TEST(ipv6)
{
	struct swauth_xfer_opts o = { .blksize = 1428 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct file_sink f;
	char dir[] = "/tmp/swauth-tftp.XXXXXX", path[PATH_MAX];
	unsigned int port = free_port();
	pid_t pid;

	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	ASSERT_EQ(0, make_file(path, 100000, 0644));
	pid = start_hpa(dir, AF_INET6, port);
	if (pid < 0) {
		nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
		SKIP(return, "no IPv6 loopback");
	}
	url_init(&u, "::1", port, "f");
	sink_init(&f, NULL);
	EXPECT_EQ(0, swauth_tftp_get(&u, &o, &f.s, &r, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(100000, r.bytes);
	EXPECT_STREQ("::1", r.peer);
	EXPECT_STREQ("lo", r.iface);
	stop_server(pid);
	nftw(dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* Nothing listens: the ICMP port unreachable ends it at once. */
TEST(server_down)
{
	struct swauth_xfer_opts o = { 0 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct file_sink f;
	double t0 = now_s();

	url_init(&u, "127.0.0.1", free_port(), "big");
	sink_init(&f, NULL);
	EXPECT_EQ(-ECONNREFUSED, swauth_tftp_get(&u, &o, &f.s, &r, &err));
	EXPECT_STREQ("127.0.0.1: no TFTP server answers there (port unreachable)", err.msg);
	EXPECT_STREQ("127.0.0.1", r.peer);
	EXPECT_GT(15, now_s() - t0);
	EXPECT_EQ(-ECONNREFUSED, swauth_tftp_put(&u, &o, 0, 0, &r, &err));
}

/* A socket that never answers: the retries run out. */
TEST(server_silent)
{
	struct swauth_xfer_opts o = { .timeout_ms = 300, .retries = 2 };
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct file_sink f;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	double t0 = now_s();

	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&a, &len));
	url_init(&u, "127.0.0.1", ntohs(a.sin_port), "big");
	sink_init(&f, NULL);
	EXPECT_EQ(-ETIMEDOUT, swauth_tftp_get(&u, &o, &f.s, &r, &err));
	EXPECT_STREQ("127.0.0.1: no answer to the request after 3 tries of 300 ms", err.msg);
	EXPECT_EQ(3, r.timeouts);
	EXPECT_LT(0.8, now_s() - t0);
	EXPECT_GT(15, now_s() - t0);
	close(fd);
}

TEST(bad_arguments)
{
	struct swauth_xfer_opts o = { .blksize = 65465 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct file_sink f;

	url_init(&u, "127.0.0.1", 69, "big");
	sink_init(&f, NULL);
	EXPECT_EQ(-EINVAL, swauth_tftp_get(&u, &o, &f.s, &r, &err));
	EXPECT_STREQ("TFTP block size 65465 is outside 8..65464", err.msg);
	o.blksize = 0;
	o.windowsize = 32768;
	EXPECT_EQ(-EINVAL, swauth_tftp_get(&u, &o, &f.s, &r, &err));
	EXPECT_STREQ("TFTP window size 32768 is above 32767: 16-bit block numbers could not tell a stale ACK from a new one",
		     err.msg);
	url_init(&u, "no.such.host.invalid", 69, "big");
	o.windowsize = 0;
	EXPECT_EQ(-EHOSTUNREACH, swauth_tftp_get(&u, &o, &f.s, &r, &err));
}

/*
 * The fake server, in a child process: it takes the request on its
 * listening port, then plays a script from a new port (its transfer ID),
 * checking each packet the client sends back. A step is a packet to send
 * (from the transfer port, or from a stranger's), a packet to expect
 * (opcode << 16 | block or error code), a request again (of a given
 * length) on the listening port, a quiet spell in which nothing may
 * arrive, or a pause of 100 ms. The parent learns through a pipe how many steps passed and
 * what arrived instead of the next one.
 */
enum fake_step_kind { SEND, SEND_STRANGER, EXPECT, EXPECT_STRANGER, REQUEST, QUIET, PAUSE };

struct fake_step {
	enum fake_step_kind kind;
	unsigned int op, num;		/* SEND of DATA, ACK: the header; EXPECT: what comes */
	size_t len;			/* SEND of DATA: payload bytes (block & 0xff each);
					 * REQUEST: its length */
	const char *raw;		/* SEND: this packet instead */
	size_t raw_len;
};

#define PKT(op, num) ((op) << 16 | (num))
#define DATA(n, l) { SEND, 3, n, l, NULL, 0 }
#define ACK(n) { SEND, 4, n, 0, NULL, 0 }
#define RAW(s) { SEND, 0, 0, 0, s, sizeof(s) - 1 }
#define WANT(op, n) { EXPECT, op, n, 0, NULL, 0 }
#define NOTHING { QUIET, 0, 0, 0, NULL, 0 }
#define PAUSED { PAUSE, 0, 0, 0, NULL, 0 }

struct fake {
	pid_t pid;
	int rd;
	unsigned int port;
};

static int fake_udp(struct sockaddr_in *a)
{
	socklen_t len = sizeof(*a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	memset(a, 0, sizeof(*a));
	a->sin_family = AF_INET;
	a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)a, sizeof(*a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)a, &len) < 0)
		_exit(2);
	return fd;
}

static ssize_t fake_len;		/* of the last packet fake_recv() took */

/* The next packet as opcode << 16 | number, or 0 after @ms of silence. */
static unsigned int fake_recv(int fd, struct sockaddr_in *from, int ms)
{
	static uint8_t buf[70000];
	struct pollfd p = { fd, POLLIN, 0 };
	socklen_t len = sizeof(*from);
	ssize_t n;

	if (poll(&p, 1, ms) != 1)
		return 0;
	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)from, &len);
	fake_len = n;
	if (n < 4)
		return 1;
	return PKT((unsigned int)buf[0] << 8 | buf[1], (unsigned int)buf[2] << 8 | buf[3]);
}

static void fake_play(int lfd, const struct fake_step *s, size_t n, int wr)
{
	static uint8_t pkt[70000];
	struct sockaddr_in me, client, from;
	int fd = fake_udp(&me), sfd = fake_udp(&me);
	unsigned int report[2] = { 0, 0 };
	size_t i, len;

	if (!fake_recv(lfd, &client, 3000))
		goto out;
	for (i = 0; i < n; i++, report[0]++) {
		switch (s[i].kind) {
		case SEND:
		case SEND_STRANGER:
			if (s[i].raw) {
				memcpy(pkt, s[i].raw, s[i].raw_len);
				len = s[i].raw_len;
			} else {
				pkt[0] = 0;
				pkt[1] = (uint8_t)s[i].op;
				pkt[2] = (uint8_t)(s[i].num >> 8);
				pkt[3] = (uint8_t)s[i].num;
				memset(pkt + 4, s[i].num & 0xff, s[i].len);
				len = 4 + s[i].len;
			}
			sendto(s[i].kind == SEND ? fd : sfd, pkt, len, 0,
			       (struct sockaddr *)&client, sizeof(client));
			break;
		case EXPECT:
		case EXPECT_STRANGER:
			report[1] = fake_recv(s[i].kind == EXPECT ? fd : sfd, &from, 3000);
			if (report[1] != PKT(s[i].op, s[i].num))
				goto out;
			break;
		case REQUEST:
			report[1] = fake_recv(lfd, &client, 3000);
			if (report[1] >> 16 != s[i].op || fake_len != (ssize_t)s[i].len)
				goto out;
			break;
		case QUIET:
			report[1] = fake_recv(fd, &from, 300);
			if (report[1])
				goto out;
			break;
		case PAUSE:
			usleep(100000);
			break;
		}
	}
out:
	if (write(wr, report, sizeof(report)) != sizeof(report))
		_exit(3);
	_exit(0);
}

static void fake_start(struct fake *fk, const struct fake_step *s, size_t n)
{
	struct sockaddr_in a;
	int lfd = fake_udp(&a), p[2];

	fk->port = ntohs(a.sin_port);
	fk->pid = -1;
	if (pipe(p) < 0)
		return;
	fk->pid = fork();
	if (fk->pid == 0) {
		close(p[0]);
		fake_play(lfd, s, n, p[1]);
	}
	close(lfd);
	close(p[1]);
	fk->rd = p[0];
}

/* Return: the steps that passed; *@got is what came instead of the next. */
static unsigned int fake_stop(struct fake *fk, unsigned int *got)
{
	unsigned int report[2] = { 0, 0 };

	if (read(fk->rd, report, sizeof(report)) != sizeof(report))
		report[0] = 0;
	waitpid(fk->pid, NULL, 0);
	close(fk->rd);
	*got = report[1];
	return report[0];
}

#define N(steps) (sizeof(steps) / sizeof(steps[0]))

/* Run a download against @steps; the script must play to its end. */
static int fake_get(struct __test_metadata *_metadata, const struct fake_step *steps, size_t n,
		    const struct swauth_xfer_opts *o, struct swauth_xfer_result *r,
		    struct swauth_error *err)
{
	struct swauth_url u;
	struct file_sink f;
	struct fake fk;
	unsigned int got;
	int ret;

	fake_start(&fk, steps, n);
	url_init(&u, "127.0.0.1", fk.port, "f");
	sink_init(&f, NULL);
	ret = swauth_tftp_get(&u, o, &f.s, r, err);
	EXPECT_EQ(n, fake_stop(&fk, &got)) TH_LOG("instead: %#x", got);
	if (!ret)
		EXPECT_EQ(f.written, r->bytes);
	return ret;
}

static int fake_put(struct __test_metadata *_metadata, const struct fake_step *steps, size_t n,
		    const struct swauth_xfer_opts *o, uint64_t size, struct swauth_error *err)
{
	struct swauth_xfer_result r;
	struct swauth_url u;
	struct fake fk;
	unsigned int got;
	int fd = open("/dev/zero", O_RDONLY), ret;

	fake_start(&fk, steps, n);
	url_init(&u, "127.0.0.1", fk.port, "f");
	ret = swauth_tftp_put(&u, o, fd, size, &r, err);
	close(fd);
	EXPECT_EQ(n, fake_stop(&fk, &got)) TH_LOG("instead: %#x", got);
	return ret;
}

/* Each bad reply gets a specific message, and the server an ERROR. */
TEST(malformed_replies)
{
	static const struct {
		struct fake_step step;
		unsigned int blksize;
		const char *msg;
		unsigned int answer;		/* the client's ERROR code */
	} cases[] = {
		{ RAW("\0\6blksize\0" "99999"), 1428,
		  "127.0.0.1: the server's OACK has an option without a value: 'blksize' = ''", 8 },
		{ RAW("\0\6blksize\0" "99999\0"), 1428,
		  "127.0.0.1: the server's OACK has a block size that was not asked for: 'blksize' = '99999'",
		  8 },
		{ RAW("\0\6blksize\0" "2000\0"), 1428,
		  "127.0.0.1: the server's OACK has a block size that was not asked for: 'blksize' = '2000'",
		  8 },
		{ RAW("\0\6blksize\0" "1x\0"), 1428,
		  "127.0.0.1: the server's OACK has a block size that was not asked for: 'blksize' = '1x'",
		  8 },
		{ RAW("\0\6windowsize\0" "4\0"), 0,
		  "127.0.0.1: the server's OACK has an option that was not asked for: 'windowsize' = '4'",
		  8 },
		{ RAW("\0\6color\0red\0"), 0,
		  "127.0.0.1: the server's OACK has an option that was not asked for: 'color' = 'red'",
		  8 },
		{ RAW("\0\6tsize\0" "5\0tsize\0" "5\0"), 0,
		  "127.0.0.1: the server's OACK repeats an option: 'tsize' = '5'", 8 },
		{ RAW("\0\6tsize\0" "-5\0"), 0,
		  "127.0.0.1: the server's OACK has a bad transfer size: 'tsize' = '-5'", 8 },
		{ RAW("\0\6tsize\0" "99999999999999999999\0"), 0,
		  "127.0.0.1: the server's OACK has a bad transfer size: 'tsize' = '99999999999999999999'",
		  8 },
		{ RAW("\0\6timeout\0" "9\0"), 0,
		  "127.0.0.1: the server's OACK changes the timeout: 'timeout' = '9'", 8 },
		{ RAW("\0\6tsize"), 0,
		  "127.0.0.1: the server's OACK has an option name without its end: '' = ''", 8 },
		{ RAW("\0\11\0\1"), 0, "127.0.0.1: the server sent an unexpected opcode 9", 4 },
		{ RAW("\0\4\0\1"), 0, "127.0.0.1: the server sent an unexpected opcode 4", 4 },
		{ RAW("\0\3"), 0, "127.0.0.1: the server sent a 2-byte packet", 4 },
		{ DATA(1, 596), 0, "127.0.0.1: block 1 has 596 bytes, more than the block size 512", 4 },
	};
	struct swauth_xfer_result r;
	struct swauth_error err;
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct swauth_xfer_opts o = { .blksize = cases[i].blksize, .timeout_ms = 1000,
					      .retries = 1 };
		const struct fake_step steps[] = { cases[i].step, WANT(5, cases[i].answer) };

		EXPECT_EQ(-EPROTO, fake_get(_metadata, steps, N(steps), &o, &r, &err))
			TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].msg, err.msg);
	}
}

/* The server's ERROR: its code picks the errno, its text is kept, made printable. */
TEST(server_errors)
{
	static const struct {
		struct fake_step step;
		int ret;
		const char *msg;
	} cases[] = {
		{ RAW("\0\5\0\0"), -EIO, "127.0.0.1: /f: no reason given (TFTP error 0)" },
		{ RAW("\0\5\0\1No\0"), -ENOENT, "127.0.0.1: /f: No (TFTP error 1)" },
		{ RAW("\0\5\0\3full\0"), -ENOSPC, "127.0.0.1: /f: full (TFTP error 3)" },
		{ RAW("\0\5\0\6\1\2\0"), -EEXIST, "127.0.0.1: /f: \\x01\\x02 (TFTP error 6)" },
		{ RAW("\0\5\0\7who"), -EACCES, "127.0.0.1: /f: who (TFTP error 7)" },
		{ RAW("\0\5\0\77x\0"), -EIO, "127.0.0.1: /f: x (TFTP error 63)" },
	};
	struct swauth_xfer_opts o = { .timeout_ms = 1000, .retries = 1 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	size_t i;

	for (i = 0; i < N(cases); i++) {
		const struct fake_step steps[] = { cases[i].step, NOTHING };

		EXPECT_EQ(cases[i].ret, fake_get(_metadata, steps, N(steps), &o, &r, &err));
		EXPECT_STREQ(cases[i].msg, err.msg);
	}
}

/* A server that ignores the options gets plain RFC 1350: no size, 512-byte blocks. */
TEST(options_ignored)
{
	const struct fake_step steps[] = { DATA(1, 512), WANT(4, 1), DATA(2, 100), WANT(4, 2) };
	struct swauth_xfer_opts o = { .blksize = 1428, .windowsize = 8, .timeout_ms = 1000,
				      .retries = 1 };
	struct swauth_xfer_result r;
	struct swauth_error err;

	EXPECT_EQ(0, fake_get(_metadata, steps, N(steps), &o, &r, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(612, r.bytes);
}

/* A server that refuses the options (ERROR 8) is asked again without them. */
TEST(options_refused)
{
	const struct fake_step steps[] = {
		RAW("\0\5\0\10no options\0"), { REQUEST, 1, 0, 10, NULL, 0 },
		DATA(1, 5), WANT(4, 1),
	};
	struct swauth_xfer_opts o = { .blksize = 1428, .windowsize = 8, .timeout_ms = 1000,
				      .retries = 1 };
	struct swauth_xfer_result r;
	struct swauth_error err;

	EXPECT_EQ(0, fake_get(_metadata, steps, N(steps), &o, &r, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(5, r.bytes);
}

/*
 * A server that keeps repeating an old block, every 100 ms for 2 s, is no
 * progress: the client resends its ACK and gives up on its own timeout
 * (250 ms, one retry), long before the repetitions stop.
 */
TEST(no_progress)
{
#define DRIP PAUSED, DATA(1, 512)
	const struct fake_step steps[] = {
		DATA(1, 512), WANT(4, 1), DRIP, DRIP, DRIP, DRIP, DRIP, DRIP, DRIP, DRIP, DRIP,
		DRIP, DRIP, DRIP, DRIP, DRIP, DRIP, DRIP, DRIP, DRIP, DRIP, DRIP, WANT(4, 1),
		WANT(5, 0),
	};
#undef DRIP
	struct swauth_xfer_opts o = { .timeout_ms = 250, .retries = 1 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct file_sink f;
	struct fake fk;
	unsigned int got;
	double t0 = now_s();

	fake_start(&fk, steps, N(steps));
	url_init(&u, "127.0.0.1", fk.port, "f");
	sink_init(&f, NULL);
	EXPECT_EQ(-ETIMEDOUT, swauth_tftp_get(&u, &o, &f.s, &r, &err));
	EXPECT_GT(1.5, now_s() - t0);
	EXPECT_STREQ("127.0.0.1: no answer during the transfer after 2 tries of 250 ms", err.msg);
	EXPECT_EQ(N(steps), fake_stop(&fk, &got)) TH_LOG("instead: %#x", got);
}

/* A packet from another port gets ERROR 5 and changes nothing. */
TEST(wrong_tid)
{
	const struct fake_step steps[] = {
		DATA(1, 512), WANT(4, 1),
		{ SEND_STRANGER, 3, 2, 6, NULL, 0 }, { EXPECT_STRANGER, 5, 5, 0, NULL, 0 },
		DATA(2, 6), WANT(4, 2),
	};
	struct swauth_xfer_opts o = { .timeout_ms = 1000, .retries = 1 };
	struct swauth_xfer_result r;
	struct swauth_error err;

	EXPECT_EQ(0, fake_get(_metadata, steps, N(steps), &o, &r, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(518, r.bytes);
}

/*
 * Sorcerer's Apprentice: a duplicate DATA is not acknowledged again (that
 * would make the server send every later block twice); a lost ACK is
 * resent when the client's own timeout expires.
 */
TEST(duplicates_and_timeouts)
{
	const struct fake_step steps[] = {
		DATA(1, 512), WANT(4, 1), DATA(1, 512), NOTHING,
		DATA(2, 512), WANT(4, 2), WANT(4, 2),
		DATA(3, 0), WANT(4, 3),
	};
	struct swauth_xfer_opts o = { .timeout_ms = 400, .retries = 2 };
	struct swauth_xfer_result r;
	struct swauth_error err;

	EXPECT_EQ(0, fake_get(_metadata, steps, N(steps), &o, &r, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(1024, r.bytes);
}

/* RFC 7440 section 4: after a gap, one ACK of the last block in order. */
TEST(window_gap)
{
	const struct fake_step steps[] = {
		RAW("\0\6windowsize\0" "4\0"), WANT(4, 0),
		DATA(1, 512), DATA(2, 512), DATA(4, 512), WANT(4, 2), DATA(5, 512), NOTHING,
		DATA(3, 512), DATA(4, 512), DATA(5, 512), DATA(6, 512), WANT(4, 6),
		DATA(7, 1), WANT(4, 7),
	};
	struct swauth_xfer_opts o = { .windowsize = 4, .timeout_ms = 1000, .retries = 1 };
	struct swauth_xfer_result r;
	struct swauth_error err;

	EXPECT_EQ(0, fake_get(_metadata, steps, N(steps), &o, &r, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(6 * 512 + 1, r.bytes);
}

/* tsize is a promise: more or fewer bytes than announced is an error. */
TEST(tsize_mismatch)
{
	const struct fake_step more[] = {
		RAW("\0\6tsize\0" "100\0"), WANT(4, 0), DATA(1, 101), WANT(5, 4),
	};
	const struct fake_step fewer[] = {
		RAW("\0\6tsize\0" "100\0"), WANT(4, 0), DATA(1, 99), WANT(5, 4),
	};
	struct swauth_xfer_opts o = { .timeout_ms = 1000, .retries = 1 };
	struct swauth_xfer_result r;
	struct swauth_error err;

	EXPECT_EQ(-EPROTO, fake_get(_metadata, more, N(more), &o, &r, &err));
	EXPECT_STREQ("127.0.0.1: the server sends more than the 100 bytes it announced", err.msg);
	EXPECT_EQ(-EPROTO, fake_get(_metadata, fewer, N(fewer), &o, &r, &err));
	EXPECT_STREQ("127.0.0.1: the server sent 99 bytes, not the 100 it announced", err.msg);
}

/* A sink's refusal reaches the server as an ERROR: 3 for a full disk. */
TEST(sink_error_to_server)
{
	const struct fake_step steps[] = { RAW("\0\6tsize\0" "100\0"), WANT(5, 3) };
	struct swauth_xfer_opts o = { .timeout_ms = 1000, .retries = 1 };
	struct swauth_xfer_result r;
	struct swauth_error err;
	struct swauth_url u;
	struct file_sink f;
	struct fake fk;
	unsigned int got;

	fake_start(&fk, steps, N(steps));
	url_init(&u, "127.0.0.1", fk.port, "f");
	sink_init(&f, NULL);
	f.refuse_size = -ENOSPC;
	EXPECT_EQ(-ENOSPC, swauth_tftp_get(&u, &o, &f.s, &r, &err));
	EXPECT_EQ(N(steps), fake_stop(&fk, &got)) TH_LOG("instead: %#x", got);
}

/* Uploads: duplicate ACKs resend nothing, a timeout resends, a partial ACK moves the window. */
TEST(upload_protocol)
{
	const struct fake_step sas[] = {
		ACK(0), WANT(3, 1), ACK(1), WANT(3, 2), ACK(1), NOTHING, ACK(2),
	};
	const struct fake_step timeout[] = {
		ACK(0), WANT(3, 1), WANT(3, 1), ACK(1), WANT(3, 2), ACK(2),
	};
	const struct fake_step window[] = {
		RAW("\0\6windowsize\0" "4\0tsize\0" "2570\0"),
		WANT(3, 1), WANT(3, 2), WANT(3, 3), WANT(3, 4), ACK(2),
		WANT(3, 3), WANT(3, 4), WANT(3, 5), WANT(3, 6), ACK(6),
	};
	const struct fake_step bad_tsize[] = { RAW("\0\6tsize\0" "1\0"), WANT(5, 8) };
	const struct fake_step bad_ack[] = { ACK(7), WANT(5, 4) };
	/* Long enough that only the NOTHING steps make it time out, even under load. */
	struct swauth_xfer_opts o = { .timeout_ms = 1000, .retries = 1 };
	struct swauth_error err;

	EXPECT_EQ(0, fake_put(_metadata, sas, N(sas), &o, 600, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(0, fake_put(_metadata, timeout, N(timeout), &o, 600, &err)) TH_LOG("%s", err.msg);
	o.windowsize = 4;
	EXPECT_EQ(0, fake_put(_metadata, window, N(window), &o, 2570, &err)) TH_LOG("%s", err.msg);
	EXPECT_EQ(-EPROTO, fake_put(_metadata, bad_tsize, N(bad_tsize), &o, 2570, &err));
	EXPECT_STREQ("127.0.0.1: the server's OACK has a bad transfer size: 'tsize' = '1'", err.msg);
	EXPECT_EQ(-EPROTO, fake_put(_metadata, bad_ack, N(bad_ack), &o, 2570, &err));
	EXPECT_STREQ("127.0.0.1: the server acknowledged block 7, not the request", err.msg);
}

FIXTURE(atftpd) {
	char dir[PATH_MAX];
	unsigned int port;
	pid_t pid;
};

FIXTURE_SETUP(atftpd)
{
	char path[PATH_MAX];

	self->pid = 0;
	snprintf(self->dir, sizeof(self->dir), "/tmp/swauth-tftp.XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	if (access(ATFTPD, X_OK))
		SKIP(return, ATFTPD " is missing (no atftpd package to unpack)");
	chmod(self->dir, 0777);
	snprintf(path, sizeof(path), "%s/medium", self->dir);
	ASSERT_EQ(0, make_file(path, MEDIUM, 0644));
	self->port = free_port();
	self->pid = start_atftpd(self->dir, self->port);
	ASSERT_LT(0, self->pid) TH_LOG("cannot start " ATFTPD);
}

FIXTURE_TEARDOWN(atftpd)
{
	stop_server(self->pid);
	nftw(self->dir, rm_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* RFC 7440 windows from 1 to 64, with small and the largest blocks. */
TEST_F(atftpd, windows)
{
	static const unsigned int sizes[] = { 1428, 65464 };
	struct swauth_error err;
	struct file_sink f;
	char a[PATH_MAX], b[PATH_MAX];
	unsigned int w;
	size_t i;

	/* 6.1's harness runs the test even when its setup skips. */
	if (!self->pid)
		SKIP(return, "no atftpd");

	snprintf(a, sizeof(a), "%s/medium", self->dir);
	snprintf(b, sizeof(b), "%s/copy", self->dir);
	for (i = 0; i < 2; i++) {
		for (w = 1; w <= 64; w *= 2) {
			struct swauth_xfer_opts o = {
				.blksize = sizes[i], .windowsize = w, .timeout_ms = 3000,
			};

			ASSERT_EQ(0, get_file(self->dir, self->port, "medium", "copy", &o, &f, &err))
				TH_LOG("blksize %u window %u: %s", sizes[i], w, err.msg);
			EXPECT_EQ(0, same_file(a, b));
			/*
			 * A window that stalls is restarted only by a timeout;
			 * counted, not timed, so that a loaded machine cannot fail it.
			 */
			EXPECT_EQ(0, f.timeouts) TH_LOG("blksize %u window %u", sizes[i], w);
		}
	}
}

TEST_F(atftpd, upload_windows)
{
	static const unsigned int windows[] = { 1, 4, 64 };
	struct swauth_error err;
	char a[PATH_MAX], b[PATH_MAX];
	size_t i;

	/* 6.1's harness runs the test even when its setup skips. */
	if (!self->pid)
		SKIP(return, "no atftpd");

	snprintf(a, sizeof(a), "%s/medium", self->dir);
	snprintf(b, sizeof(b), "%s/up", self->dir);
	for (i = 0; i < N(windows); i++) {
		struct swauth_xfer_opts o = { .blksize = 1428, .windowsize = windows[i] };

		ASSERT_EQ(0, put_file(self->dir, self->port, "medium", "up", &o, &err))
			TH_LOG("window %u: %s", windows[i], err.msg);
		EXPECT_EQ(0, same_file(a, b));
		unlink(b);
	}
}

TEST_F(atftpd, not_found)
{
	struct swauth_xfer_opts o = { .blksize = 1428, .windowsize = 16 };
	struct swauth_error err;
	struct file_sink f;

	/* 6.1's harness runs the test even when its setup skips. */
	if (!self->pid)
		SKIP(return, "no atftpd");

	EXPECT_EQ(-ENOENT, get_file(self->dir, self->port, "nosuch", "x", &o, &f, &err));
	EXPECT_STREQ("127.0.0.1: /nosuch: File not found (TFTP error 1)", err.msg);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swcopy: the seeds' `copy [/erase] [/verify | /noverify] SRC DST`
 * (FEATURES A9, B1-B5), `swcopy config` (`ip ftp username`, `ip ftp
 * password`, `file prompt`) and `swcopy show flash:`.
 *
 * A download goes through a sink (sink.c): a temporary file next to the
 * destination, renamed into place only when complete and, with /verify,
 * verified; with /verify the manifest is checked as soon as it arrives and
 * the payload is hashed while it streams. The module, when it is loaded,
 * gives the final verdict on the written file. Nothing partial is ever
 * left, and an existing file of the same name stays until the new one is
 * in place.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <netdb.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>

#include <openssl/evp.h>

#include "lib/cli.h"
#include "lib/config.h"
#include "lib/core.h"
#include "lib/fs.h"
#include "lib/image.h"
#include "lib/netlink.h"
#include "lib/xfer.h"
#include "swcopy/conf.h"
#include "swcopy/sink.h"
#include "swcopy/sums.h"
#include "swcopy/swcopy.h"

#ifndef SWAUTH_VERSION
#error "build with -DSWAUTH_VERSION=\"...\" (userspace/build.mk does)"
#endif

enum progress { PROGRESS_AUTO, PROGRESS_BAR, PROGRESS_MARKS, PROGRESS_NONE };

/* One '!' for this many bytes, 70 to a line, as IOS prints them. */
enum { MARK_BYTES = 512 * 1024, MARKS_PER_LINE = 70 };

struct copy {
	struct swcopy_conf conf;
	struct swauth_config cfg;
	struct verify_opts vo;
	struct swauth_xfer_opts xo;
	bool erase, verify, noverify, json, yes, interactive, md5;
	const char *expect;	/* --expect-hash: 32 (MD5) or 64 (SHA-256) hex digits */
	bool have_sums;		/* a download arrived whole, with its digests: */
	bool whole_sha;		/* sha256 is the whole file's (not with /verify) */
	uint8_t sha256[SWAUTH_SHA256_LEN], md5sum[16];
	enum progress progress;
	const char *ca_file, *ssh_key, *known_hosts;
	struct swauth_url src, dst;
	char src_path[PATH_MAX], dst_path[PATH_MAX];	/* local sides, resolved */
	const char *src_fs, *dst_fs;	/* their file systems' directories, or NULL */
	char src_show[PATH_MAX + 300], dst_show[PATH_MAX + 300];
	uint64_t total, marks;
	struct timespec start;
	FILE *out;		/* stdout, or stderr with --json */
};

static const char *const subcmd = "copy";

static void usage(FILE *f)
{
	fprintf(f, "Usage: swcopy [/erase] [/verify|/noverify] [OPTIONS] SRC DST\n"
		   "       swcopy config [KEYWORD [VALUE] | no KEYWORD]\n"
		   "       swcopy show flash:|usbflash0:|nvram:\n\n"
		   "Copy an image between a server and a local file system, as IOS copy does.\n"
		   "SRC and DST: ftp://[user[:password]@]host[:port]/path (ftps:// implicit TLS,\n"
		   "ftpes:// AUTH TLS), tftp://host[:port]/path, http(s)://host[:port]/path,\n"
		   "scp://[user@]host[:port]/path, ftp: (and the\n"
		   "other schemes alone: swcopy asks), flash:NAME, usbflash0:NAME, nvram:NAME or\n"
		   "a path. A download is written to a temporary file and renamed into place only\n"
		   "when complete; /verify checks the image's signature while it arrives and\n"
		   "stops an untrusted one before its payload is fetched.\n\n");
	fprintf(f, "  /erase                 empty the destination file system first (asks)\n"
		   "  /verify, /noverify     check the image signature (default: no check)\n"
		   "  -y, --yes              answer the questions with their defaults\n"
		   "  -j, --json             a JSON summary on standard output (progress to stderr)\n"
		   "  -p, --progress MODE    auto (bar on a terminal, else marks), bar, marks, none\n"
		   "  -T, --timeout MS       per reply or packet (default 2000)\n"
		   "  -R, --retries N        before a silent server is given up (default 5); a\n"
		   "                         transfer without progress for MS * (N + 1) is too\n"
		   "      --deadline S       give the whole transfer at most S seconds\n"
		   "  -b, --blksize N        TFTP block size (default 1428)\n"
		   "  -w, --windowsize N     TFTP window (RFC 7440; default none, at most 32767)\n"
		   "      --ca-file FILE     HTTPS, FTPS: trust the certificates in FILE\n"
		   "      --ssh-key FILE     SCP: the private key (default: ~/.ssh's)\n"
		   "      --known-hosts FILE SCP: the known host keys (default ~/.ssh/known_hosts)\n"
		   "      --md5              also the whole file's MD5 (the seeds' CCO Hash line)\n"
		   "      --expect-hash HEX  refuse the copy unless the file's SHA-256 (64 hex\n"
		   "                         digits) or MD5 (32) is HEX, as the vendor published\n"
		   "%s"
		   "  -h, --help             show this help\n"
		   "  -V, --version          show the version\n\n"
		   "Exit status: 0 copied, 1 the image failed verification, 2 usage or\n"
		   "configuration error, 3 the copy failed (nothing was left behind).\n",
		VERIFY_OPTIONS_HELP);
}

/* Prints to the copy's stream (stderr under --json). */
static void say(struct copy *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct copy *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfprintf(c->out, fmt, ap);
	va_end(ap);
	fflush(c->out);
}

/* A question with a default; false when there is no one to ask. */
static bool ask(struct copy *c, const char *question, const char *def, char *answer,
		size_t len)
{
	char line[PATH_MAX];
	size_t n;

	if (!c->interactive)
		return false;
	fprintf(stderr, "%s [%s]? ", question, def ? def : "");
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	snprintf(answer, len, "%s", n ? line : (def ? def : ""));
	return true;
}

/* "[confirm]": Enter or y is yes. */
static bool confirm(struct copy *c, const char *question)
{
	char line[16];

	if (c->yes || !c->interactive)
		return true;
	fprintf(stderr, "%s [confirm]", question);
	fflush(stderr);
	if (!fgets(line, sizeof(line), stdin))
		return false;
	return line[0] == '\n' || line[0] == 'y' || line[0] == 'Y';
}

static bool is_remote(const struct swauth_url *u)
{
	return u->scheme != SWAUTH_URL_FILE;
}

/* "flash:" alone: a file system without a file name. */
static bool fs_only(const char *spec)
{
	size_t n = strlen(spec);

	return n > 1 && spec[n - 1] == ':' && !strchr(spec, '/');
}

/* Fills the parts of a remote URL that are missing, asking when it may. */
static int complete_remote(struct copy *c, struct swauth_url *u, const char *def_path,
			   bool source)
{
	char answer[PATH_MAX];

	if (!u->host[0]) {
		if (!ask(c, "Address or name of remote host", NULL, answer, sizeof(answer)) ||
		    !answer[0]) {
			cli_msg(subcmd, "the remote host is missing%s", c->interactive ? "" :
				" (standard input is not a terminal: give it in the URL)");
			return CLI_EXIT_USAGE;
		}
		if (strlen(answer) >= sizeof(u->host) || strpbrk(answer, " /@")) {
			cli_msg(subcmd, "'%s' is not a host name or address", answer);
			return CLI_EXIT_USAGE;
		}
		strcpy(u->host, answer);
	}
	if (!u->path[0] || !strcmp(u->path, "/")) {
		if (!ask(c, source ? "Source filename" : "Destination filename", def_path,
			 answer, sizeof(answer)) || !answer[0]) {
			cli_msg(subcmd, "the %s file name is missing%s",
				source ? "source" : "destination", c->interactive ? "" :
				" (standard input is not a terminal: give it in the URL)");
			return CLI_EXIT_USAGE;
		}
		if (strlen(answer) + 2 > sizeof(u->path)) {
			cli_msg(subcmd, "the file name is too long");
			return CLI_EXIT_USAGE;
		}
		sprintf(u->path, "%s%s", answer[0] == '/' ? "" : "/", answer);
	}
	return CLI_EXIT_OK;
}

/* The seeds' credentials (B1): the URL's, else configured, else anonymous. */
static void credentials(struct copy *c, struct swauth_url *u)
{
	char host[256] = "localhost", fqdn[300];
	struct addrinfo hints = { .ai_flags = AI_CANONNAME }, *ai = NULL;
	struct passwd *pw;
	size_t n;

	if (u->scheme == SWAUTH_URL_SCP && !u->has_user) {
		pw = getpwuid(getuid());
		snprintf(u->user, sizeof(u->user), "%s",
			 c->conf.ftp_username[0] ? c->conf.ftp_username :
			 pw ? pw->pw_name : "root");
		u->has_user = true;
	}
	if (u->scheme != SWAUTH_URL_FTP && u->scheme != SWAUTH_URL_FTPS &&
	    u->scheme != SWAUTH_URL_FTPES)
		return;
	if (!u->has_user) {
		snprintf(u->user, sizeof(u->user), "%s",
			 c->conf.ftp_username[0] ? c->conf.ftp_username : "anonymous");
		u->has_user = true;
	}
	if (u->has_pass)
		return;
	u->has_pass = true;
	if (c->conf.ftp_password[0]) {
		snprintf(u->pass, sizeof(u->pass), "%s", c->conf.ftp_password);
		return;
	}
	gethostname(host, sizeof(host) - 1);
	snprintf(fqdn, sizeof(fqdn), "%s", host);
	if (!strchr(host, '.') && !getaddrinfo(host, NULL, &hints, &ai) && ai &&
	    ai->ai_canonname && strchr(ai->ai_canonname, '.'))
		snprintf(fqdn, sizeof(fqdn), "%s", ai->ai_canonname);
	if (ai)
		freeaddrinfo(ai);
	if (!strchr(fqdn, '.'))
		snprintf(fqdn + strlen(fqdn), sizeof(fqdn) - strlen(fqdn), ".localdomain");
	n = strlen(u->user);
	if (n + strlen(fqdn) + 2 <= sizeof(u->pass)) {
		memcpy(u->pass, u->user, n);
		u->pass[n] = '@';
		strcpy(u->pass + n + 1, fqdn);
	} else {
		strcpy(u->pass, "anonymous@localhost.localdomain");
	}
}

/*
 * The server's file as the Loading and Writing lines name it: relative to
 * the login directory (TFTP, FTP, HTTP: the seeds' form, without the first
 * '/'), and for SCP the path as the server takes it, absolute.
 */
static const char *remote_name(const struct swauth_url *u)
{
	return u->scheme == SWAUTH_URL_SCP ? u->path : u->path + 1;
}

static double elapsed(const struct copy *c)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - c->start.tv_sec) +
	       (double)(now.tv_nsec - c->start.tv_nsec) / 1e9;
}

static void progress(void *arg, uint64_t done, uint64_t total)
{
	struct copy *c = arg;
	double secs;
	int pct, i;

	if (total)
		c->total = total;
	if (c->progress == PROGRESS_MARKS) {
		while (c->marks < done / MARK_BYTES) {
			fputc('!', c->out);
			if (++c->marks % MARKS_PER_LINE == 0)
				fputc('\n', c->out);
		}
		fflush(c->out);
	} else if (c->progress == PROGRESS_BAR) {
		secs = elapsed(c);
		pct = c->total ? (int)(done * 100 / c->total) : 0;
		fputs("\r[", c->out);
		for (i = 0; i < 40; i++)
			fputc(c->total && i < pct * 40 / 100 ? '#' : ' ', c->out);
		fprintf(c->out, "] %3d%% %llu bytes %.1f MB/s", pct, (unsigned long long)done,
			secs > 0 ? (double)done / secs / 1e6 : 0.0);
		fflush(c->out);
	}
}

static void progress_end(struct copy *c)
{
	if (c->progress == PROGRESS_MARKS || c->progress == PROGRESS_BAR)
		fputc('\n', c->out);
	fflush(c->out);
}

/* Which transport moves @u. */
static int remote_get(struct copy *c, const struct swauth_url *u, struct swauth_sink *sink,
		      struct swauth_xfer_result *r, struct swauth_error *err)
{
	if (u->scheme == SWAUTH_URL_TFTP)
		return swauth_tftp_get(u, &c->xo, sink, r, err);
	return swauth_curl_get(u, &c->xo, sink, r, err);
}

static int remote_put(struct copy *c, const struct swauth_url *u, int fd, uint64_t size,
		      struct swauth_xfer_result *r, struct swauth_error *err)
{
	if (u->scheme == SWAUTH_URL_TFTP)
		return swauth_tftp_put(u, &c->xo, fd, size, r, err);
	return swauth_curl_put(u, &c->xo, fd, size, r, err);
}

/* A local source read into the sink, as a transport would. */
static int local_get(struct copy *c, struct swauth_sink *sink, struct swauth_xfer_result *r,
		     struct swauth_error *err)
{
	static char buf[1 << 16];
	struct stat st;
	ssize_t n;
	int fd, ret = 0;

	fd = open(c->src_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return swauth_error_set(err, -errno, "%s: %s", c->src_show, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return swauth_error_set(err, -EINVAL, "%s: not a regular file", c->src_show);
	}
	ret = sink->size(sink, (uint64_t)st.st_size);
	while (!ret && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			ret = swauth_error_set(err, -errno, "%s: %s", c->src_show, strerror(errno));
			break;
		}
		ret = sink->write(sink, buf, (size_t)n);
		r->bytes += (uint64_t)n;
		progress(c, r->bytes, (uint64_t)st.st_size);
	}
	close(fd);
	if (ret && sink->err.msg[0])
		*err = sink->err;
	return ret;
}

/* A reader of its own of the sink's finished file. */
static int open_reader(const struct swcopy_sink *s)
{
	char proc[64];

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", s->w.fd);
	return open(proc, O_RDONLY | O_CLOEXEC);
}

/*
 * The final verdict: the module's, on the written file. The stream's
 * (OpenSSL's, while the file arrived) stands only with --userspace or when
 * the module is not loaded and cannot be, and says so. Any other error
 * from the module fails the copy: never a userspace verdict in its place.
 */
static int final_verdict(const struct copy *c, struct swcopy_sink *s,
			 struct swauth_verify_result *res, char *by, size_t len,
			 struct swauth_error *err)
{
	static struct swauth_verify_result kres;
	struct swauth_error e;
	struct swauth_nl *nl;
	int fd, ret;

	if (c->vo.userspace) {
		snprintf(by, len, "userspace (OpenSSL), while the file arrived (--userspace)");
		return 0;
	}
	swauth_error_clear(&e);
	ret = swauth_nl_open(&nl, &e);
	if (ret == -ENOPKG) {
		snprintf(by, len, "userspace (OpenSSL), while the file arrived; the module is not loaded");
		return 0;
	}
	if (!ret) {
		/* The new file, sealed: open only for reading (sink.c). */
		fd = open_reader(s);
		ret = fd < 0 ? -errno : swauth_verify_kernel(fd, &kres, &e);
		if (fd >= 0)
			close(fd);
		swauth_nl_close(nl);
	}
	if (ret)
		return swauth_error_set(err, ret == -EBADMSG ? -EPROTO : ret,
					"the module could not verify %s: %s", c->dst_show,
					e.msg[0] ? e.msg : strerror(-ret));
	*res = kres;
	snprintf(by, len, "kernel (swauth.ko), on the written file");
	return 0;
}

/* A digest for --json, in lower-case hex. */
static void json_hex(struct swauth_json *j, const char *name, const uint8_t *buf, size_t len)
{
	char hex[2 * SWAUTH_SHA256_LEN + 1];

	swcopy_hex(buf, len, hex);
	swauth_json_string(j, name, hex);
}

static void json_summary(struct copy *c, bool ok, uint64_t bytes, double secs,
			 const struct swauth_verify_result *res, const char *by, const char *error)
{
	struct swauth_json j;

	swauth_json_init(&j, stdout);
	swauth_json_object_begin(&j, NULL);
	swauth_json_string(&j, "source", c->src_show);
	swauth_json_string(&j, "destination", c->dst_show);
	swauth_json_string(&j, "result", ok ? "ok" : "error");
	swauth_json_u64(&j, "bytes", bytes);
	swauth_json_u64(&j, "milliseconds", (uint64_t)(secs * 1000));
	swauth_json_u64(&j, "bytes_per_second", secs > 0 ? (uint64_t)((double)bytes / secs) : 0);
	if (c->have_sums && c->whole_sha)
		json_hex(&j, "sha256", c->sha256, sizeof(c->sha256));
	if (c->have_sums && c->md5)
		json_hex(&j, "md5", c->md5sum, sizeof(c->md5sum));
	if (res && by) {
		swauth_json_object_begin(&j, "verify");
		swauth_json_string(&j, "verdict", swauth_verdict_token(res->verdict));
		swauth_json_string(&j, "verified_by", by);
		swauth_json_object_end(&j);
	} else {
		swauth_json_null(&j, "verify");
	}
	if (error)
		swauth_json_string(&j, "error", error);
	else
		swauth_json_null(&j, "error");
	swauth_json_object_end(&j);
	swauth_json_finish(&j);
}

/* Removes the regular files of the destination's directory (/erase). */
static int erase_fs(struct copy *c)
{
	char buf[PATH_MAX], path[PATH_MAX * 2];
	const char *dir;
	struct dirent *e;
	struct stat st;
	DIR *d;
	int n = 0;

	snprintf(buf, sizeof(buf), "%s", c->dst_path);
	dir = dirname(buf);
	if (!confirm(c, "Erase the destination file system before copying?") ||
	    !confirm(c, "Erasing it will remove all files! Continue?")) {
		cli_msg(subcmd, "not erased, nothing copied");
		return CLI_EXIT_USAGE;
	}
	d = opendir(dir);
	if (!d) {
		cli_msg(subcmd, "%s: %s", dir, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	while ((e = readdir(d))) {
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || lstat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (unlink(path)) {
			cli_msg(subcmd, "%s: %s", path, strerror(errno));
			closedir(d);
			return CLI_EXIT_SYSTEM;
		}
		n++;
	}
	closedir(d);
	say(c, "Erased %d file%s in %s\n", n, n == 1 ? "" : "s", dir);
	return CLI_EXIT_OK;
}

/*
 * The copy's checksum, computed by the sink as the bytes went by, for a
 * later upload (B5.1), in the .swcopy-sums of the file's directory in its
 * file system; a failure only warns. A plain directory gets none.
 */
static void record_sum(struct copy *c, int dir_fd, const char *name,
		       const uint8_t sha[SWAUTH_SHA256_LEN], bool image)
{
	struct swauth_error err;

	if (!c->dst_fs)
		return;
	swauth_error_clear(&err);
	if (swcopy_sums_record(dir_fd, name, sha, image, &err))
		cli_msg(subcmd, "%%Warning: the checksum of %s was not recorded: %s", c->dst_show,
			err.msg);
}

/*
 * The directory of a local side, opened for the safe writes of
 * lib/safewrite.h: in a file system, beneath its directory with no
 * symbolic link on the way; a plain path's directory, not a link itself.
 * @name receives the file's name in it. Returns the fd or -errno.
 */
static int open_parent(const char *fs, const char *path, const char *show, char *name,
		       size_t len, struct swauth_error *err)
{
	char dir[PATH_MAX];
	const char *rel = path, *slash;
	int root, fd;

	if (fs) {
		rel = path + strlen(fs);
		while (*rel == '/')
			rel++;
	}
	slash = strrchr(rel, '/');
	snprintf(name, len, "%s", slash ? slash + 1 : rel);
	if (slash == rel)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - rel) : 1,
			 slash ? rel : ".");
	if (!fs) {
		fd = swauth_dir_open(dir, err);
		if (fd < 0) {
			snprintf(dir, sizeof(dir), "%s", err->msg);
			swauth_error_set(err, fd, "destination %s", dir);
		}
		return fd;
	}
	root = swauth_dir_open(fs, err);
	if (root < 0)
		return root;
	fd = swauth_dir_open_beneath(root, dir, show, err);
	close(root);
	return fd;
}

/*
 * --expect-hash: the published hash against the one computed as the bytes
 * arrived. Returns 0, or -EBADMSG after showing both.
 */
static int expect_hash(struct copy *c, struct swauth_error *err)
{
	bool md5 = strlen(c->expect) == 32;
	char hex[2 * SWAUTH_SHA256_LEN + 1];

	if (md5)
		swcopy_hex(c->md5sum, sizeof(c->md5sum), hex);
	else
		swcopy_hex(c->sha256, sizeof(c->sha256), hex);
	if (!strcasecmp(hex, c->expect)) {
		say(c, "Published hash %s: verified\n", md5 ? "MD5" : "SHA-256");
		return 0;
	}
	say(c, "%%Error: the file's %s is %s, not the published %s\n", md5 ? "MD5" : "SHA-256",
	    hex, c->expect);
	return swauth_error_set(err, -EBADMSG, "the file is not the one published");
}

/* Into a local file: from a server, or from another local file. */
static int download(struct copy *c)
{
	static struct swauth_verify_result res;
	struct swauth_xfer_result r = { 0 };
	struct swcopy_sink s;
	struct swauth_error err;
	char by[VERIFIED_BY_LEN] = "", iface[32], msg[SWAUTH_ERROR_MSG_LEN + 64];
	char name[PATH_MAX];
	struct stat st;
	double secs;
	int ret, dir_fd;

	if (!stat(c->dst_path, &st) && !c->yes && c->conf.file_prompt != SWCOPY_PROMPT_QUIET &&
	    !confirm(c, "%Warning: There is a file already existing with this name\n"
			"Do you want to over write?")) {
		cli_msg(subcmd, "not copied: %s exists", c->dst_show);
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	dir_fd = open_parent(c->dst_fs, c->dst_path, c->dst_show, name, sizeof(name), &err);
	if (dir_fd < 0) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	/* /verify records the image's own digests: no pass of its own (sums.c). */
	c->whole_sha = !c->verify || (c->expect && strlen(c->expect) == 64);
	ret = swcopy_sink_open(&s, dir_fd, name, c->dst_path, c->verify ? &c->vo.dirs : NULL,
			       c->whole_sha, c->md5, &res, &err);
	if (ret) {
		close(dir_fd);
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	if (is_remote(&c->src)) {
		say(c, "Accessing %s...\n", c->src_show);
		swauth_iface_named(c->src.host, false, iface, sizeof(iface));
		say(c, "Loading %s from %s%s%s%s: ", remote_name(&c->src), c->src.host,
		    iface[0] ? " (via " : "", iface, iface[0] ? ")" : "");
		ret = remote_get(c, &c->src, &s.sink, &r, &err);
	} else {
		say(c, "Copying %s to %s: ", c->src_show, c->dst_show);
		ret = local_get(c, &s.sink, &r, &err);
	}
	progress_end(c);
	if (r.redirect[0])
		say(c, "Redirected to %s\n", r.redirect);
	if (!ret)
		ret = swcopy_sink_finish(&s, &err);
	if (!ret) {
		memcpy(c->sha256, s.sha256, sizeof(c->sha256));
		memcpy(c->md5sum, s.md5sum, sizeof(c->md5sum));
		c->have_sums = true;
	}
	secs = elapsed(c);
	if (c->verify && !ret)
		ret = final_verdict(c, &s, &res, by, sizeof(by), &err);
	if (c->verify && (ret == -EBADMSG || !ret)) {
		if (ret)
			snprintf(by, sizeof(by), "userspace (OpenSSL), while the file arrived");
		verify_print_copy(c->out, c->dst_show, &res, ret || !c->whole_sha ? NULL : c->sha256,
				  ret || !c->md5 ? NULL : c->md5sum, by);
		if (!ret && res.verdict != SWAUTH_VERDICT_OK)
			ret = -EBADMSG;
	} else if (!ret && c->md5) {
		verify_print_cco(c->out, c->md5sum);
	}
	if (!ret && c->expect)
		ret = expect_hash(c, &err);
	if (ret) {
		swcopy_sink_abort(&s);
		close(dir_fd);
		snprintf(msg, sizeof(msg), "%s", err.msg[0] ? err.msg : strerror(-ret));
		if (ret != -EBADMSG)
			cli_msg(subcmd, "%s; nothing was written to %s", msg, c->dst_show);
		else
			cli_msg(subcmd, "%s: not copied, nothing was written", c->dst_show);
		if (c->json)
			json_summary(c, false, r.bytes, secs, c->verify ? &res : NULL,
				     c->verify ? by : NULL, msg);
		return ret == -EBADMSG ? CLI_EXIT_VERIFY_FAILED :
		       ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SYSTEM;
	}
	if (!c->whole_sha && c->dst_fs && swauth_image_seal_digest(s.fd, false, c->sha256, &err)) {
		cli_msg(subcmd, "%%Warning: the checksum of %s was not recorded: %s", c->dst_show,
			err.msg);
		c->dst_fs = NULL;
	}
	ret = swcopy_sink_commit(&s, &err);
	if (ret) {
		close(dir_fd);
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	record_sum(c, dir_fd, name, c->sha256, !c->whole_sha);
	close(dir_fd);
	say(c, "[OK - %llu bytes]\n\n", (unsigned long long)r.bytes);
	say(c, "%llu bytes copied in %.3f secs (%llu bytes/sec)\n", (unsigned long long)r.bytes,
	    secs, (unsigned long long)(secs > 0 ? (double)r.bytes / secs : 0));
	if (c->json)
		json_summary(c, true, r.bytes, secs, c->verify ? &res : NULL,
			     c->verify ? by : NULL, NULL);
	return CLI_EXIT_OK;
}

/* From a local file to a server. */
static int upload(struct copy *c)
{
	struct swauth_xfer_result r = { 0 };
	uint8_t sha[SWAUTH_SHA256_LEN];
	char iface[32], name[PATH_MAX];
	struct swauth_error err;
	struct stat st;
	double secs;
	int fd, copy, ret;

	fd = open(c->src_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		cli_msg(subcmd, "%s: %s", c->src_show, strerror(errno));
		return CLI_EXIT_SYSTEM;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		cli_msg(subcmd, "%s: not a regular file", c->src_show);
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	snprintf(name, sizeof(name), "%s", c->src_path);
	say(c, "Verifying checksum for '%s'... ", basename(name));
	/* What is sent is the copy of what was hashed, not the file again. */
	copy = swauth_fd_snapshot(fd, c->src_show, sha, &err);
	close(fd);
	if (copy < 0) {
		say(c, "FAILED\n");
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	fd = copy;
	st.st_size = lseek(fd, 0, SEEK_END);
	lseek(fd, 0, SEEK_SET);
	ret = -ENOENT;
	if (c->src_fs) {
		int dfd = open_parent(c->src_fs, c->src_path, c->src_show, name, sizeof(name),
				      &err);

		if (dfd < 0) {
			say(c, "FAILED\n");
			close(fd);
			cli_msg(subcmd, "%s", err.msg);
			return CLI_EXIT_SYSTEM;
		}
		ret = swcopy_sums_check(dfd, name, sha, fd);
		close(dfd);
	}
	if (ret == -EBADMSG) {
		say(c, "FAILED\n");
		close(fd);
		cli_msg(subcmd, "%s changed since it was copied in (its SHA-256 differs): not uploaded",
			c->src_show);
		return CLI_EXIT_VERIFY_FAILED;
	}
	say(c, ret == -ENOENT ? "none recorded (not copied in by swcopy)\n" : "OK\n");
	if (!confirm(c, "Upload to the server?")) {
		close(fd);
		cli_msg(subcmd, "not uploaded");
		return CLI_EXIT_USAGE;
	}
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	swauth_iface_named(c->dst.host, false, iface, sizeof(iface));
	say(c, "Writing %s to %s%s%s%s: ", remote_name(&c->dst), c->dst.host,
	    iface[0] ? " (via " : "", iface, iface[0] ? ")" : "");
	ret = remote_put(c, &c->dst, fd, (uint64_t)st.st_size, &r, &err);
	close(fd);
	progress_end(c);
	secs = elapsed(c);
	if (ret) {
		cli_msg(subcmd, "%s", err.msg[0] ? err.msg : strerror(-ret));
		if (c->json)
			json_summary(c, false, r.bytes, secs, NULL, NULL, err.msg);
		return CLI_EXIT_SYSTEM;
	}
	say(c, "Upload to server done\n");
	say(c, "%llu bytes copied in %.3f secs (%llu bytes/sec)\n", (unsigned long long)r.bytes,
	    secs, (unsigned long long)(secs > 0 ? (double)r.bytes / secs : 0));
	if (c->json)
		json_summary(c, true, r.bytes, secs, NULL, NULL, NULL);
	return CLI_EXIT_OK;
}

/* Resolves a local side; @def is the name to offer for "flash:" alone. */
static int local_side(struct copy *c, const char *spec, const char *def, char *path,
		      size_t len, char *show, size_t show_len, const char **fs)
{
	char name[PATH_MAX], full[PATH_MAX + 16];
	struct swauth_error err;

	if (fs_only(spec)) {
		if (!def || !c->interactive || c->conf.file_prompt == SWCOPY_PROMPT_QUIET) {
			if (!def) {
				cli_msg(subcmd, "%s: a file name is needed", spec);
				return CLI_EXIT_USAGE;
			}
			snprintf(name, sizeof(name), "%s", def);
		} else if (!ask(c, "Destination filename", def, name, sizeof(name)) || !name[0]) {
			cli_msg(subcmd, "the destination file name is missing");
			return CLI_EXIT_USAGE;
		}
		snprintf(full, sizeof(full), "%s%s", spec, name);
		spec = full;
	} else if (def && c->interactive && c->conf.file_prompt == SWCOPY_PROMPT_NOISY) {
		/* noisy: even a destination given in full is confirmed. */
		if (!ask(c, "Destination filename", spec, full, sizeof(full)) || !full[0]) {
			cli_msg(subcmd, "the destination file name is missing");
			return CLI_EXIT_USAGE;
		}
		spec = full;
	}
	swauth_error_clear(&err);
	if (swauth_storage_resolve(&c->cfg, spec, path, len, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	snprintf(show, show_len, "%s", spec);
	*fs = swauth_storage_fs_of(&c->cfg, spec);
	return CLI_EXIT_OK;
}

static int parse_uint(const char *opt, const char *arg, unsigned long min, unsigned long max,
		      unsigned int *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max) {
		cli_msg(subcmd, "%s takes a number from %lu to %lu, not '%s'", opt, min, max, arg);
		return -1;
	}
	*out = (unsigned int)v;
	return 0;
}

static int copy_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "json", no_argument, NULL, 'j' },
		{ "progress", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 'T' },
		{ "retries", required_argument, NULL, 'R' },
		{ "blksize", required_argument, NULL, 'b' },
		{ "windowsize", required_argument, NULL, 'w' },
		{ "deadline", required_argument, NULL, 'D' },
		{ "ca-file", required_argument, NULL, 'C' },
		{ "ssh-key", required_argument, NULL, 'K' },
		{ "known-hosts", required_argument, NULL, 'H' },
		{ "md5", no_argument, NULL, 'M' },
		{ "expect-hash", required_argument, NULL, 'E' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		VERIFY_OPTIONS,
		{ NULL, 0, NULL, 0 }
	};
	static struct copy c;
	struct swauth_error err;
	const char *words[2];
	char defname[PATH_MAX];
	int opt, ret, nwords = 0, i;

	memset(&c, 0, sizeof(c));
	c.out = stdout;
	/* The seeds' switches, anywhere before the operands. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "/erase"))
			c.erase = true;
		else if (!strcmp(argv[i], "/verify"))
			c.verify = true;
		else if (!strcmp(argv[i], "/noverify"))
			c.noverify = true;
		else if (argv[i][0] == '/' && argv[i][1] && !strchr(argv[i] + 1, '/') &&
			 access(argv[i], F_OK)) {
			cli_msg(subcmd, "unknown switch '%s' (known: /erase, /verify, /noverify)",
				argv[i]);
			return CLI_EXIT_USAGE;
		} else
			continue;
		argv[i] = NULL;
	}
	for (i = 1; i < argc; i++)
		if (!argv[i]) {
			memmove(argv + i, argv + i + 1, (size_t)(argc - i) * sizeof(*argv));
			argc--;
			i--;
		}
	if (c.verify && c.noverify) {
		cli_msg(subcmd, "/verify and /noverify exclude each other");
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	if (swcopy_conf_load(swcopy_conf_path(), &c.conf, &err) ||
	    swauth_config_load(swauth_config_path(), &c.cfg, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	c.xo.timeout_ms = c.conf.timeout_ms;
	c.xo.retries = c.conf.retries;
	c.xo.blksize = c.conf.tftp_blksize ? c.conf.tftp_blksize : 1428;
	c.xo.windowsize = c.conf.tftp_windowsize;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":yjp:T:R:b:w:hV" VERIFY_OPTSTRING, options,
				  NULL)) != -1) {
		switch (opt) {
		case 'y':
			c.yes = true;
			break;
		case 'j':
			c.json = true;
			break;
		case 'p':
			if (!strcmp(optarg, "auto"))
				c.progress = PROGRESS_AUTO;
			else if (!strcmp(optarg, "bar"))
				c.progress = PROGRESS_BAR;
			else if (!strcmp(optarg, "marks"))
				c.progress = PROGRESS_MARKS;
			else if (!strcmp(optarg, "none"))
				c.progress = PROGRESS_NONE;
			else {
				cli_msg(subcmd, "--progress is auto, bar, marks or none, not '%s'",
					optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		case 'T':
			if (parse_uint("--timeout", optarg, 100, 600000, &c.xo.timeout_ms))
				return CLI_EXIT_USAGE;
			break;
		case 'R':
			if (parse_uint("--retries", optarg, 1, 100, &c.xo.retries))
				return CLI_EXIT_USAGE;
			break;
		case 'b':
			if (parse_uint("--blksize", optarg, 8, 65464, &c.xo.blksize))
				return CLI_EXIT_USAGE;
			break;
		case 'w':
			if (parse_uint("--windowsize", optarg, 1, 65535, &c.xo.windowsize))
				return CLI_EXIT_USAGE;
			if (c.xo.windowsize > TFTP_WINDOW_MAX) {
				cli_msg(subcmd, "%%Warning: TFTP window %u is more than 16-bit block numbers tell apart: using %u",
					c.xo.windowsize, TFTP_WINDOW_MAX);
				c.xo.windowsize = TFTP_WINDOW_MAX;
			}
			break;
		case 'D':
			if (parse_uint("--deadline", optarg, 1, 86400, &c.xo.deadline_s))
				return CLI_EXIT_USAGE;
			break;
		case 'C':
			c.ca_file = optarg;
			break;
		case 'K':
			c.ssh_key = optarg;
			break;
		case 'H':
			c.known_hosts = optarg;
			break;
		case 'M':
			c.md5 = true;
			break;
		case 'E':
			if ((strlen(optarg) != 32 && strlen(optarg) != 64) ||
			    strspn(optarg, "0123456789abcdefABCDEF") != strlen(optarg)) {
				cli_msg(subcmd, "--expect-hash takes an MD5 (32 hex digits) or a SHA-256 (64), not '%s'",
					optarg);
				return CLI_EXIT_USAGE;
			}
			c.expect = optarg;
			c.md5 |= strlen(optarg) == 32;
			break;
		case 'h':
			usage(stdout);
			return CLI_EXIT_OK;
		case 'V':
			printf("swcopy %s\n", SWAUTH_VERSION);
			return CLI_EXIT_OK;
		default:
			ret = verify_opt(subcmd, &c.vo, opt, optarg);
			if (ret == 0)
				break;
			if (ret == 1)
				cli_bad_option(subcmd, argc, argv, opt);
			fprintf(stderr, "Try 'swcopy --help'.\n");
			return CLI_EXIT_USAGE;
		}
	}
	for (i = optind; i < argc; i++) {
		if (nwords == 2) {
			cli_msg(subcmd, "unexpected argument '%s' (give SRC and DST)", argv[i]);
			return CLI_EXIT_USAGE;
		}
		words[nwords++] = argv[i];
	}
	if (nwords != 2) {
		cli_msg(subcmd, "give SRC and DST");
		fprintf(stderr, "Try 'swcopy --help'.\n");
		return CLI_EXIT_USAGE;
	}
	c.interactive = isatty(STDIN_FILENO) && c.conf.file_prompt != SWCOPY_PROMPT_QUIET &&
			!c.yes;
	if (c.json)
		c.out = stderr;
	if (c.progress == PROGRESS_AUTO)
		c.progress = isatty(fileno(c.out)) ? PROGRESS_BAR : PROGRESS_MARKS;
	c.xo.progress = progress;
	c.xo.progress_arg = &c;
	c.xo.ca_file = c.ca_file;
	c.xo.ssh_key = c.ssh_key;
	c.xo.known_hosts = c.known_hosts;
	for (i = 0; i < 2; i++) {
		if (swauth_url_parse(words[i], i ? &c.dst : &c.src, &err)) {
			cli_msg(subcmd, "%s: %s", i ? "destination" : "source", err.msg);
			return CLI_EXIT_USAGE;
		}
	}
	if (is_remote(&c.src) && is_remote(&c.dst)) {
		cli_msg(subcmd, "both sides are servers: copy to a local file system first");
		return CLI_EXIT_USAGE;
	}
	if (is_remote(&c.src)) {
		ret = complete_remote(&c, &c.src, NULL, true);
		if (ret)
			return ret;
		credentials(&c, &c.src);
		swauth_url_display(&c.src, c.src_show, sizeof(c.src_show));
		snprintf(defname, sizeof(defname), "%s", strrchr(c.src.path, '/') + 1);
		ret = local_side(&c, words[1], defname, c.dst_path, sizeof(c.dst_path),
				 c.dst_show, sizeof(c.dst_show), &c.dst_fs);
	} else {
		ret = local_side(&c, words[0], NULL, c.src_path, sizeof(c.src_path), c.src_show,
				 sizeof(c.src_show), &c.src_fs);
		if (ret)
			return ret;
		snprintf(defname, sizeof(defname), "%s", basename(c.src_path));
		if (is_remote(&c.dst)) {
			/* Without a terminal the remote file is named as the local one. */
			if ((!c.dst.path[0] || !strcmp(c.dst.path, "/")) && !c.interactive &&
			    strlen(defname) + 2 <= sizeof(c.dst.path))
				sprintf(c.dst.path, "/%s", defname);
			ret = complete_remote(&c, &c.dst, defname, false);
			if (ret)
				return ret;
			credentials(&c, &c.dst);
			swauth_url_display(&c.dst, c.dst_show, sizeof(c.dst_show));
		} else {
			ret = local_side(&c, words[1], defname, c.dst_path, sizeof(c.dst_path),
					 c.dst_show, sizeof(c.dst_show), &c.dst_fs);
		}
	}
	if (ret)
		return ret;
	if ((c.md5 || c.expect) && is_remote(&c.dst)) {
		cli_msg(subcmd, "--md5 and --expect-hash are for copies to a local file system");
		return CLI_EXIT_USAGE;
	}
	if (c.erase) {
		if (is_remote(&c.dst) || !strchr(words[1], ':')) {
			cli_msg(subcmd, "/erase needs a file system destination (flash:, usbflash0:, nvram:)");
			return CLI_EXIT_USAGE;
		}
		ret = erase_fs(&c);
		if (ret)
			return ret;
	}
	return is_remote(&c.dst) ? upload(&c) : download(&c);
}

int main(int argc, char *argv[])
{
	cli_prog_name = "swcopy";
	/* A signal in the middle of a write leaves no temporary file. */
	swauth_safewrite_signals();
	if (argc >= 2 && !strcmp(argv[1], "config"))
		return swcopy_config_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return swcopy_show_main(argc - 1, argv + 1);
	return copy_main(argc, argv);
}

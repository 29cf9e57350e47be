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
#include <libgen.h>
#include <netdb.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

static const char *const subcmd = "copy";

static bool is_remote(const struct swauth_url *u)
{
	return u->scheme != SWAUTH_URL_FILE;
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

/*
 * The seeds' "Accessing URL..." line, ended by "Translating "NAME"...domain
 * server (ADDRESS) [OK]" for a name (B4.2); @addr receives the address the
 * Loading and Writing lines show: the name's first, or the address given.
 */
static void accessing(struct copy *c, const char *host, char *addr, size_t len)
{
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_STREAM };
	struct addrinfo *ai = NULL;
	char buf[INET6_ADDRSTRLEN] = "";

	swcopy_say(c, "Accessing %s...", c->src_show);
	snprintf(addr, len, "%s", host);
	if (!getaddrinfo(host, NULL, &hints, &ai)) {
		freeaddrinfo(ai);
		swcopy_say(c, "\n");
		return;
	}
	hints.ai_flags = 0;
	if (getaddrinfo(host, NULL, &hints, &ai) || !ai ||
	    getnameinfo(ai->ai_addr, ai->ai_addrlen, buf, sizeof(buf), NULL, 0, NI_NUMERICHOST)) {
		if (ai)
			freeaddrinfo(ai);
		swcopy_say(c, "Translating \"%s\"...domain server [FAILED]\n", host);
		return;
	}
	freeaddrinfo(ai);
	swcopy_say(c, "Translating \"%s\"...domain server (%s) [OK]\n", host, buf);
	snprintf(addr, len, "%s", buf);
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

	fd = swauth_storage_open(&c->cfg, c->src_path, 0, err);
	if (fd < 0)
		return fd;
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
		swcopy_progress(c, r->bytes, (uint64_t)st.st_size);
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

/* The policy of libswauth (lib/image.h, policy.c) with swcopy's options. */
static struct swauth_policy policy(const struct copy *c)
{
	return (struct swauth_policy){ .userspace = c->vo.userspace, .dirs = &c->vo.dirs };
}

/*
 * Whether the module will give the final verdict: then a verdict on trust
 * from the stream (an unknown signer) is not final (sink.c). An error
 * reaching the module counts as yes: final_verdict() reports it.
 */
static bool module_decides(const struct copy *c)
{
	const struct swauth_policy p = policy(c);
	struct swauth_policy_choice ch;
	struct swauth_error e;

	return swauth_policy_choose(&p, &ch, &e) || ch.verifier == SWAUTH_VERIFIER_KERNEL;
}

/*
 * The final verdict, as the policy says: the module's, on the written
 * file. The stream's (OpenSSL's, while the file arrived) stands only with
 * --userspace or when the module is not loaded and cannot be, and says
 * so. Any other error from the module fails the copy: never a userspace
 * verdict in its place.
 */
static int final_verdict(const struct copy *c, struct swcopy_sink *s,
			 struct swauth_verify_result *res, char *by, size_t len,
			 struct swauth_error *err)
{
	static struct swauth_verify_result kres;
	const struct swauth_policy p = policy(c);
	struct swauth_policy_choice ch;
	struct swauth_error e;
	int fd, ret;

	swauth_error_clear(&e);
	ret = swauth_policy_choose(&p, &ch, &e);
	if (!ret && ch.verifier == SWAUTH_VERIFIER_USERSPACE) {
		res->verifier = ch.verifier;
		res->why = ch.why;
		snprintf(by, len, "userspace (OpenSSL), while the file arrived%s",
			 ch.why == SWAUTH_WHY_ASKED ? " (--userspace)" : "; the module is not loaded");
		return 0;
	}
	if (!ret) {
		/* The new file, sealed: open only for reading (sink.c). */
		fd = open_reader(s);
		ret = fd < 0 ? -errno : swauth_policy_verify_fd(&p, &ch, fd, NULL, &kres, &e);
		if (fd >= 0)
			close(fd);
	}
	if (ret)
		return swauth_error_set(err, ret == -EBADMSG ? -EPROTO : ret,
					"the module could not verify %s: %s", c->dst_show,
					e.msg[0] ? e.msg : strerror(-ret));
	*res = kres;
	snprintf(by, len, "%.200s, on the written file", ch.by);
	return 0;
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
 * lib/fs.h: in a file system, beneath its directory with no symbolic
 * link on the way; a plain path's directory through no link but root's
 * and the caller's own (swauth_dir_open_trusted()).
 * @name receives the file's name in it. Returns the fd or -errno.
 */
int swcopy_open_parent(const char *fs, const char *path, const char *show, char *name,
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
		fd = swauth_dir_open_trusted(dir, err);
		if (fd < 0) {
			snprintf(dir, sizeof(dir), "%s", err->msg);
			swauth_error_set(err, fd, "destination %s", dir);
		}
		return fd;
	}
	root = swauth_dir_open_trusted(fs, err);
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
		swcopy_say(c, "Published hash %s: verified\n", md5 ? "MD5" : "SHA-256");
		return 0;
	}
	swcopy_say(c, "%%Error: the file's %s is %s, not the published %s\n", md5 ? "MD5" : "SHA-256",
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
	char name[PATH_MAX], addr[INET6_ADDRSTRLEN + SWCOPY_HOST_MAX];
	struct stat st;
	double secs;
	int ret, dir_fd;

	if (!stat(c->dst_path, &st) && !c->yes && c->conf.file_prompt != SWCOPY_PROMPT_QUIET &&
	    !swcopy_confirm(c, "%Warning: There is a file already existing with this name\n"
			"Do you want to over write?")) {
		cli_msg(subcmd, "not copied: %s exists", c->dst_show);
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	dir_fd = swcopy_open_parent(c->dst_fs, c->dst_path, c->dst_show, name, sizeof(name), &err);
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
	s.module_decides = c->verify && module_decides(c);
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	if (is_remote(&c->src)) {
		accessing(c, c->src.host, addr, sizeof(addr));
		swauth_iface_named(c->src.host, false, iface, sizeof(iface));
		swcopy_say(c, "Loading %s from %s%s%s%s: ", remote_name(&c->src), addr,
		    iface[0] ? " (via " : "", iface, iface[0] ? ")" : "");
		ret = remote_get(c, &c->src, &s.sink, &r, &err);
		c->resumes = r.resumes;
	} else {
		swcopy_say(c, "Copying %s to %s: ", c->src_show, c->dst_show);
		ret = local_get(c, &s.sink, &r, &err);
	}
	swcopy_progress_end(c);
	if (r.redirect[0])
		swcopy_say(c, "Redirected to %s\n", r.redirect);
	if (!ret)
		ret = swcopy_sink_finish(&s, &err);
	if (!ret) {
		memcpy(c->sha256, s.sha256, sizeof(c->sha256));
		memcpy(c->md5sum, s.md5sum, sizeof(c->md5sum));
		c->have_sums = true;
	}
	secs = swcopy_elapsed(c);
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
			swcopy_json_summary(c, false, r.bytes, secs, c->verify ? &res : NULL,
				     c->verify ? by : NULL, msg);
		return ret == -EBADMSG ? CLI_EXIT_VERIFY_FAILED :
		       ret == -EINVAL ? CLI_EXIT_USAGE : CLI_EXIT_SYSTEM;
	}
	if (r.unframed && !c->verify && !c->expect)
		cli_msg(subcmd,
			"%%Warning: %s gave no length for the file: a transfer cut short cannot be told from a whole one (use /verify or --expect-hash)",
			c->src.host);
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
	if (is_remote(&c->src))
		swcopy_remember_host(c, c->src.host);
	swcopy_say(c, "[OK - %llu bytes]\n\n", (unsigned long long)r.bytes);
	swcopy_say(c, "%llu bytes copied in %.3f secs (%llu bytes/sec)\n", (unsigned long long)r.bytes,
	    secs, (unsigned long long)(secs > 0 ? (double)r.bytes / secs : 0));
	if (c->json)
		swcopy_json_summary(c, true, r.bytes, secs, c->verify ? &res : NULL,
			     c->verify ? by : NULL, NULL);
	return CLI_EXIT_OK;
}

/* From a local file to a server. */
static int upload(struct copy *c)
{
	struct swauth_xfer_result r = { 0 };
	uint8_t sha[SWAUTH_SHA256_LEN];
	char iface[32], name[PATH_MAX], question[2 * PATH_MAX + 64];
	struct swauth_error err;
	struct stat st;
	double secs;
	int fd, copy, ret;

	swauth_error_clear(&err);
	fd = swauth_storage_open(&c->cfg, c->src_path, 0, &err);
	if (fd < 0) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		cli_msg(subcmd, "%s: not a regular file", c->src_show);
		return CLI_EXIT_USAGE;
	}
	swauth_error_clear(&err);
	snprintf(name, sizeof(name), "%s", c->src_path);
	swcopy_say(c, "Verifying checksum for '%s'... ", basename(name));
	/* What is sent is the copy of what was hashed, not the file again. */
	copy = swauth_fd_snapshot(fd, c->src_show, sha, &err);
	close(fd);
	if (copy < 0) {
		swcopy_say(c, "FAILED\n");
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	fd = copy;
	st.st_size = lseek(fd, 0, SEEK_END);
	lseek(fd, 0, SEEK_SET);
	ret = -ENOENT;
	if (c->src_fs) {
		int dfd = swcopy_open_parent(c->src_fs, c->src_path, c->src_show, name, sizeof(name),
				      &err);

		if (dfd < 0) {
			swcopy_say(c, "FAILED\n");
			close(fd);
			cli_msg(subcmd, "%s", err.msg);
			return CLI_EXIT_SYSTEM;
		}
		ret = swcopy_sums_check(dfd, name, sha, fd);
		close(dfd);
	}
	if (ret == -EBADMSG) {
		swcopy_say(c, "FAILED\n");
		close(fd);
		cli_msg(subcmd, "%s changed since it was copied in (its SHA-256 differs): not uploaded",
			c->src_show);
		return CLI_EXIT_VERIFY_FAILED;
	}
	swcopy_say(c, ret == -ENOENT ? "none recorded (not copied in by swcopy)\n" : "OK\n");
	snprintf(name, sizeof(name), "%s", c->src_path);
	snprintf(question, sizeof(question), "Copy '%s' from Flash to server\n  as '%s'? [yes/no] ",
		 basename(name), remote_name(&c->dst));
	if (c->interactive && !cli_confirm(subcmd, stderr, question, CLI_ASK_YES_NO, false)) {
		close(fd);
		cli_msg(subcmd, "not uploaded");
		return CLI_EXIT_USAGE;
	}
	clock_gettime(CLOCK_MONOTONIC, &c->start);
	swauth_iface_named(c->dst.host, false, iface, sizeof(iface));
	swcopy_say(c, "Writing %s to %s%s%s%s: ", remote_name(&c->dst), c->dst.host,
	    iface[0] ? " (via " : "", iface, iface[0] ? ")" : "");
	ret = remote_put(c, &c->dst, fd, (uint64_t)st.st_size, &r, &err);
	close(fd);
	swcopy_progress_end(c);
	secs = swcopy_elapsed(c);
	if (ret) {
		cli_msg(subcmd, "%s", err.msg[0] ? err.msg : strerror(-ret));
		if (c->json)
			swcopy_json_summary(c, false, r.bytes, secs, NULL, NULL, err.msg);
		return CLI_EXIT_SYSTEM;
	}
	swcopy_say(c, "Upload to server done\n");
	swcopy_remember_host(c, c->dst.host);
	swcopy_say(c, "%llu bytes copied in %.3f secs (%llu bytes/sec)\n", (unsigned long long)r.bytes,
	    secs, (unsigned long long)(secs > 0 ? (double)r.bytes / secs : 0));
	if (c->json)
		swcopy_json_summary(c, true, r.bytes, secs, NULL, NULL, NULL);
	return CLI_EXIT_OK;
}

static int copy_main(int argc, char *argv[])
{
	static struct copy c;
	struct swauth_error err;
	const char *words[2];
	char defname[PATH_MAX];
	bool done = false;
	int ret, i;

	ret = swcopy_args(&c, argc, argv, words, &done);
	if (ret || done)
		return ret;
	swauth_error_clear(&err);
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
		ret = swcopy_complete_remote(&c, &c.src, NULL, true);
		if (ret)
			return ret;
		swcopy_credentials(&c, &c.src);
		swauth_url_display(&c.src, c.src_show, sizeof(c.src_show));
		snprintf(defname, sizeof(defname), "%s", strrchr(c.src.path, '/') + 1);
		ret = swcopy_local_side(&c, words[1], defname, c.dst_path, sizeof(c.dst_path),
				 c.dst_show, sizeof(c.dst_show), &c.dst_fs);
	} else {
		ret = swcopy_local_side(&c, words[0], NULL, c.src_path, sizeof(c.src_path), c.src_show,
				 sizeof(c.src_show), &c.src_fs);
		if (ret)
			return ret;
		snprintf(defname, sizeof(defname), "%s", basename(c.src_path));
		if (is_remote(&c.dst)) {
			/* Without a terminal the remote file is named as the local one. */
			if ((!c.dst.path[0] || !strcmp(c.dst.path, "/")) && !c.interactive &&
			    strlen(defname) + 2 <= sizeof(c.dst.path))
				sprintf(c.dst.path, "/%s", defname);
			ret = swcopy_complete_remote(&c, &c.dst, defname, false);
			if (ret)
				return ret;
			swcopy_credentials(&c, &c.dst);
			swauth_url_display(&c.dst, c.dst_show, sizeof(c.dst_show));
		} else {
			ret = swcopy_local_side(&c, words[1], defname, c.dst_path, sizeof(c.dst_path),
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
		if (is_remote(&c.dst) || !c.dst_fs) {
			cli_msg(subcmd, "/erase needs a configured file system as the destination (flash:, flash0:, flash1:, usbflash0:, usbflash1:, nvram:), not '%s'",
				words[1]);
			return CLI_EXIT_USAGE;
		}
		ret = swcopy_erase(&c);
		if (ret)
			return ret;
	}
	return is_remote(&c.dst) ? upload(&c) : download(&c);
}

int main(int argc, char *argv[])
{
	cli_prog_name = "swcopy";
	if (argc >= 2 && !strcmp(argv[1], "--complete"))
		return swcopy_complete(argc - 2, argv + 2);
	/* First: a password in an argument leaves /proc/PID/cmdline. */
	if (swcopy_scrub_argv(argc, argv)) {
		cli_msg("copy", "out of memory");
		return CLI_EXIT_SYSTEM;
	}
	/* A signal in the middle of a write leaves no temporary file. */
	swauth_safewrite_signals();
	if (argc >= 2 && !strcmp(argv[1], "config"))
		return swcopy_config_main(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return swcopy_show_main(argc - 1, argv + 1);
	return copy_main(argc, argv);
}

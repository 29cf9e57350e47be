// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * hostilefs: a FUSE file system that lies, for the kernel tests. It serves
 * one file, MOUNTPOINT/image, with direct I/O so that the page cache never
 * hides what each read returns:
 *
 *   image=FILE   the bytes every read returns, and the file's size
 *   first=FILE   the bytes the NTH read that covers offset AT returns
 *                instead (nth=1 and at=0 by default): a forged header for
 *                a reader that reads the header twice, or a payload that
 *                changes between two reads of the same range
 *   stall=OFF    the first read that covers OFF blocks until the daemon
 *                gets SIGUSR1 (then it is answered) or the kernel
 *                interrupts the request because its caller got a signal
 *                (then it fails with EINTR)
 *   log=FILE     one line per read: offset, length and what was served
 *
 * Usage: hostilefs MOUNTPOINT [-f] -o image=FILE[,first=FILE][,at=OFF]
 *                  [,nth=N][,stall=OFF][,log=FILE]
 */

#define FUSE_USE_VERSION 31

#include <errno.h>
#include <fcntl.h>
#include <fuse_lowlevel.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMAGE_INO 2
#define IMAGE_NAME "image"

struct conf {
	char *image;
	char *first;
	char *log;
	unsigned long long at;
	long long stall;
	int nth;
};

#define CONF_OPT(t, field) { t, offsetof(struct conf, field), 0 }
static const struct fuse_opt conf_opts[] = {
	CONF_OPT("image=%s", image),
	CONF_OPT("first=%s", first),
	CONF_OPT("log=%s", log),
	CONF_OPT("at=%llu", at),
	CONF_OPT("stall=%lld", stall),
	CONF_OPT("nth=%d", nth),
	FUSE_OPT_END
};

static struct conf conf = { .stall = -1, .nth = 1 };
static int image_fd = -1, first_fd = -1;
static off_t image_size;
static FILE *log_file;

/* Protected by lock: the reads seen so far and the stall's state. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int hits;
static bool stalled, released, interrupted;

static void logf_read(off_t off, size_t size, const char *what)
{
	if (!log_file)
		return;
	fprintf(log_file, "read %lld %zu %s\n", (long long)off, size, what);
	fflush(log_file);
}

static void fill_attr(fuse_ino_t ino, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	if (ino == FUSE_ROOT_ID) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else {
		st->st_mode = S_IFREG | 0644;
		st->st_nlink = 1;
		st->st_size = image_size;
	}
}

static void hfs_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	struct fuse_entry_param e = { .ino = IMAGE_INO };

	if (parent != FUSE_ROOT_ID || strcmp(name, IMAGE_NAME)) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	fill_attr(IMAGE_INO, &e.attr);
	fuse_reply_entry(req, &e);
}

static void hfs_getattr(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	struct stat st;

	(void)fi;
	if (ino != FUSE_ROOT_ID && ino != IMAGE_INO) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	fill_attr(ino, &st);
	fuse_reply_attr(req, &st, 0);
}

static void hfs_open(fuse_req_t req, fuse_ino_t ino, struct fuse_file_info *fi)
{
	if (ino != IMAGE_INO) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	if ((fi->flags & O_ACCMODE) != O_RDONLY) {
		fuse_reply_err(req, EACCES);
		return;
	}
	fi->direct_io = 1;
	fuse_reply_open(req, fi);
}

static void on_interrupt(fuse_req_t req, void *data)
{
	(void)req;
	(void)data;
	pthread_mutex_lock(&lock);
	interrupted = true;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&lock);
}

/* Blocks until released or interrupted; true when interrupted first. */
static bool stall(fuse_req_t req)
{
	bool intr;

	fuse_req_interrupt_func(req, on_interrupt, NULL);
	pthread_mutex_lock(&lock);
	while (!released && !interrupted)
		pthread_cond_wait(&wake, &lock);
	intr = !released;
	pthread_mutex_unlock(&lock);
	return intr;
}

static bool covers(off_t off, size_t size, unsigned long long x)
{
	return (unsigned long long)off <= x && x - (unsigned long long)off < size;
}

static void hfs_read(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	bool forged = false, do_stall = false;
	ssize_t n;
	char *buf;

	(void)ino;
	(void)fi;
	pthread_mutex_lock(&lock);
	if (first_fd >= 0 && covers(off, size, conf.at))
		forged = ++hits == conf.nth;
	if (conf.stall >= 0 && !stalled && covers(off, size, conf.stall))
		do_stall = stalled = true;
	pthread_mutex_unlock(&lock);

	logf_read(off, size, do_stall ? "stalled" : forged ? "first" : "image");
	if (do_stall && stall(req)) {
		logf_read(off, size, "interrupted");
		fuse_reply_err(req, EINTR);
		return;
	}
	if (do_stall)
		logf_read(off, size, "released");
	buf = malloc(size ? size : 1);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	n = pread(forged ? first_fd : image_fd, buf, size, off);
	if (n < 0)
		fuse_reply_err(req, errno);
	else
		fuse_reply_buf(req, buf, n);
	free(buf);
}

static const struct fuse_lowlevel_ops ops = {
	.lookup = hfs_lookup,
	.getattr = hfs_getattr,
	.open = hfs_open,
	.read = hfs_read,
};

/* SIGUSR1 releases the stalled read; blocked in every other thread. */
static void *release_on_signal(void *arg)
{
	sigset_t *set = arg;
	int sig;

	for (;;) {
		if (sigwait(set, &sig))
			continue;
		pthread_mutex_lock(&lock);
		released = true;
		pthread_cond_broadcast(&wake);
		pthread_mutex_unlock(&lock);
	}
	return NULL;
}

static int open_source(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fprintf(stderr, "hostilefs: cannot open %s: %s\n", path, strerror(errno));
	return fd;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts = { 0 };
	struct fuse_session *se = NULL;
	pthread_t releaser;
	struct stat st;
	sigset_t set;
	int ret = 1;

	if (fuse_opt_parse(&args, &conf, conf_opts, NULL) ||
	    fuse_parse_cmdline(&args, &opts))
		goto out;
	if (!opts.mountpoint || !conf.image || conf.nth < 1) {
		fprintf(stderr, "Usage: %s MOUNTPOINT [-f] -o image=FILE[,first=FILE][,at=OFF]"
			"[,nth=N][,stall=OFF][,log=FILE]\n", argv[0]);
		goto out;
	}
	image_fd = open_source(conf.image);
	if (image_fd < 0 || fstat(image_fd, &st))
		goto out;
	image_size = st.st_size;
	if (conf.first) {
		first_fd = open_source(conf.first);
		if (first_fd < 0)
			goto out;
	}
	if (conf.log) {
		log_file = fopen(conf.log, "we");
		if (!log_file) {
			fprintf(stderr, "hostilefs: cannot open %s: %s\n", conf.log,
				strerror(errno));
			goto out;
		}
	}

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) ||
	    pthread_create(&releaser, NULL, release_on_signal, &set))
		goto out;

	se = fuse_session_new(&args, &ops, sizeof(ops), NULL);
	if (!se)
		goto out;
	if (fuse_set_signal_handlers(se))
		goto out;
	if (fuse_session_mount(se, opts.mountpoint))
		goto out_handlers;
	if (fuse_daemonize(opts.foreground) == 0)
		ret = fuse_session_loop_mt(se, 0) ? 1 : 0;
	fuse_session_unmount(se);
out_handlers:
	fuse_remove_signal_handlers(se);
out:
	if (se)
		fuse_session_destroy(se);
	if (log_file)
		fclose(log_file);
	if (first_fd >= 0)
		close(first_fd);
	if (image_fd >= 0)
		close(image_fd);
	free(opts.mountpoint);
	free(conf.image);
	free(conf.first);
	free(conf.log);
	fuse_opt_free_args(&args);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The download sink of swcopy; see sink.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "lib/fs.h"
#include "lib/image.h"
#include "swcopy/sink.h"


static struct swcopy_sink *of(struct swauth_sink *sink)
{
	return (struct swcopy_sink *)sink;
}

/* The verdict of the stream, in the result and as a reason to stop. */
static int refuse(struct swcopy_sink *s, uint32_t verdict, struct swauth_error *err)
{
	s->verdict = verdict;
	s->res->verdict = verdict;
	s->res->has |= SWAUTH_VERIFY_HAS_VERDICT;
	return swauth_error_set(err, -EBADMSG, "%%Error: digital signature verification failed: %s",
				swauth_verdict_message(verdict));
}

static int refused(struct swcopy_sink *s, uint32_t verdict)
{
	return refuse(s, verdict, &s->sink.err);
}

/*
 * A verdict on trust (an unknown signer) from the userspace verifier while
 * the module gives the final verdict: the module's keys are what count,
 * so the stream stops verifying and the transfer goes on. Return: whether
 * the verdict was left to the module.
 */
static bool defer(struct swcopy_sink *s, uint32_t verdict)
{
	if (!s->module_decides || !swauth_verdict_on_trust(verdict))
		return false;
	s->deferred = verdict;
	s->res->verdict = verdict;
	s->res->has |= SWAUTH_VERIFY_HAS_VERDICT;
	return true;
}

static int sink_size(struct swauth_sink *sink, uint64_t total)
{
	struct swcopy_sink *s = of(sink);
	struct statvfs vfs;
	uint32_t verdict;

	s->announced = total;
	if (!fstatvfs(s->fd, &vfs) && (uint64_t)vfs.f_bavail * vfs.f_frsize < total)
		return swauth_error_set(&s->sink.err, -ENOSPC,
					"%s: not enough space: %llu bytes needed, %llu free",
					s->dest, (unsigned long long)total,
					(unsigned long long)vfs.f_bavail * vfs.f_frsize);
	if (s->verify) {
		verdict = swauth_verify_stream_size(s->verify, total);
		if (verdict)
			return refused(s, verdict);
	}
	return 0;
}

static int write_all(struct swcopy_sink *s, const void *buf, size_t len,
		     struct swauth_error *err)
{
	const uint8_t *p = buf;
	ssize_t n;

	while (len) {
		n = write(s->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return swauth_error_set(err, -errno, "writing %s: %s", s->dest,
						strerror(errno));
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static uint8_t *slot(struct swcopy_sink *s, int i)
{
	return s->mem + (size_t)i * SINK_BUF_SIZE;
}

/*
 * Writeback of what is written is started every SYNC_STEP bytes, so that
 * the disk works while the transfer goes on and fsync finds little to do.
 */
enum { SYNC_STEP = 8 << 20 };

/* The writer's work on one buffer: the file's digest, write, writeback. */
static int write_one(struct swcopy_sink *s, int i, struct swauth_error *err)
{
	int ret;

	if (s->sha && EVP_DigestUpdate(s->sha, slot(s, i), s->fill[i]) != 1)
		return swauth_error_set(err, -EIO, "hashing %s failed", s->dest);
	ret = write_all(s, slot(s, i), s->fill[i], err);
	if (ret)
		return ret;
	s->wrote += s->fill[i];
	if (s->wrote - s->synced >= SYNC_STEP) {
		/* Only a hint: fsync() in swcopy_sink_finish() is what counts. */
		sync_file_range(s->fd, (off_t)s->synced, (off_t)(s->wrote - s->synced),
				SYNC_FILE_RANGE_WRITE);
		s->synced = s->wrote;
	}
	return 0;
}

/* The verifier's: the payload digest past what was verified early, MD5. */
static int verify_one(struct swcopy_sink *s, int i, struct swauth_error *err)
{
	uint32_t verdict;

	/* s->deferred is read only for buffers handed over after it was set. */
	if (s->verify && s->fill[i] > s->fed[i] && !s->deferred) {
		verdict = swauth_verify_stream_feed(s->verify, slot(s, i) + s->fed[i],
						    s->fill[i] - s->fed[i]);
		if (verdict)
			return refuse(s, verdict, err);
	}
	if (s->md5 && EVP_DigestUpdate(s->md5, slot(s, i), s->fill[i]) != 1)
		return swauth_error_set(err, -EIO, "hashing %s failed", s->dest);
	return 0;
}

/* The smallest count of buffers a worker finished. */
static unsigned long slowest(const struct swcopy_sink *s)
{
	unsigned long min = s->done[0];
	unsigned int k;

	for (k = 1; k < s->nworkers; k++)
		min = s->done[k] < min ? s->done[k] : min;
	return min;
}

/*
 * Worker @k takes the buffers in the order they were handed over, each
 * at its own pace; a buffer is free again once every worker is past it.
 * After an error the workers only pass the buffers.
 */
static void work_loop(struct swcopy_sink *s, unsigned int k,
		      int (*work)(struct swcopy_sink *s, int i, struct swauth_error *err))
{
	struct swauth_error err;
	bool skip;
	int i, ret;

	pthread_mutex_lock(&s->mu);
	for (;;) {
		while (s->done[k] == s->handed && !s->quit)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->done[k] == s->handed)
			break;
		i = (int)(s->done[k] % SINK_BUFS);
		skip = s->werr || s->quit;
		pthread_mutex_unlock(&s->mu);
		swauth_error_clear(&err);
		ret = skip ? 0 : work(s, i, &err);
		pthread_mutex_lock(&s->mu);
		if (ret && !s->werr) {
			s->werr = ret;
			s->werr_msg = err;
		}
		s->done[k]++;
		pthread_cond_broadcast(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
}

static void *writer(void *s)
{
	work_loop(s, 0, write_one);
	return NULL;
}

static void *verifier(void *s)
{
	work_loop(s, 1, verify_one);
	return NULL;
}

/* The buffer being filled. */
static int cur(const struct swcopy_sink *s)
{
	return (int)(s->handed % SINK_BUFS);
}

/*
 * Hands the buffer being filled to the workers and waits until the next
 * one is free. Returns a worker's error, if one had one.
 */
static int handoff(struct swcopy_sink *s)
{
	int ret;

	pthread_mutex_lock(&s->mu);
	ret = s->werr;
	if (!ret && s->fill[cur(s)]) {
		s->handed++;
		pthread_cond_broadcast(&s->cv);
		while (s->handed - slowest(s) == SINK_BUFS && !s->werr)
			pthread_cond_wait(&s->cv, &s->mu);
		ret = s->werr;
		if (!ret) {
			s->fill[cur(s)] = 0;
			s->fed[cur(s)] = 0;
		}
	}
	pthread_mutex_unlock(&s->mu);
	if (ret)
		s->sink.err = s->werr_msg;
	return ret;
}

/* Waits until the workers have nothing left. Returns an error, if any. */
static int drain(struct swcopy_sink *s)
{
	int ret = handoff(s);

	pthread_mutex_lock(&s->mu);
	while (slowest(s) != s->handed)
		pthread_cond_wait(&s->cv, &s->mu);
	ret = ret ? ret : s->werr;
	pthread_mutex_unlock(&s->mu);
	if (ret)
		s->sink.err = s->werr_msg;
	return ret;
}

/*
 * Until the manifest is checked the bytes are verified here, so that an
 * untrusted image stops the transfer at once; then the verifier does it.
 */
static int sink_write(struct swauth_sink *sink, const void *buf, size_t len)
{
	struct swcopy_sink *s = of(sink);
	const uint8_t *p = buf;
	uint32_t verdict;
	size_t take;
	bool early;
	int ret;

	while (len) {
		if (s->fill[cur(s)] == SINK_BUF_SIZE) {
			ret = handoff(s);
			if (ret)
				return ret;
		}
		take = SINK_BUF_SIZE - s->fill[cur(s)];
		take = take < len ? take : len;
		early = s->verify && !s->signed_seen && !s->deferred;
		if (early) {
			verdict = swauth_verify_stream_feed(s->verify, p, take);
			if (verdict && !defer(s, verdict))
				return refused(s, verdict);
			s->signed_seen = swauth_verify_stream_signed(s->verify);
		}
		memcpy(slot(s, cur(s)) + s->fill[cur(s)], p, take);
		s->fill[cur(s)] += take;
		if (early)
			s->fed[cur(s)] = s->fill[cur(s)];
		s->written += take;
		p += take;
		len -= take;
	}
	return 0;
}

/**
 * swcopy_sink_open() - a new file for NAME in @dir_fd (lib/safewrite.h)
 * @s: the sink
 * @dir_fd: the destination's directory
 * @name: the destination's name in it; a symbolic link there is replaced
 * @dest: the destination as messages name it
 * @verify_dirs: with /verify, the trust of the streaming verifier; else NULL
 * @sha256: the SHA-256 of the whole file (in sha256 once finished)
 * @md5: also the MD5 of the whole file (in md5sum once finished)
 * @res: with /verify, receives the stream's result
 * @err: filled on failure
 *
 * Return: 0 or -errno.
 */
int swcopy_sink_open(struct swcopy_sink *s, int dir_fd, const char *name, const char *dest,
		     const struct swauth_trust_dirs *verify_dirs, bool sha256, bool md5,
		     struct swauth_verify_result *res, struct swauth_error *err)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->fd = s->w.fd = s->w.dir_fd = -1;
	s->w.slot = -1;
	s->sink.size = sink_size;
	s->sink.write = sink_write;
	if (strlen(dest) >= sizeof(s->dest))
		return swauth_error_set(err, -ENAMETOOLONG, "%s: name too long", dest);
	strcpy(s->dest, dest);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->mem = malloc(SINK_BUFS * SINK_BUF_SIZE);
	s->sha = sha256 ? EVP_MD_CTX_new() : NULL;
	s->md5 = md5 ? EVP_MD_CTX_new() : NULL;
	if (!s->mem || (sha256 && !s->sha) || (md5 && !s->md5) ||
	    (sha256 && EVP_DigestInit_ex(s->sha, EVP_sha256(), NULL) != 1) ||
	    (md5 && EVP_DigestInit_ex(s->md5, EVP_md5(), NULL) != 1)) {
		swcopy_sink_abort(s);
		return swauth_error_set(err, -ENOMEM, "out of memory");
	}
	ret = swauth_safewrite_open(&s->w, dir_fd, name, 0644, 0, err);
	if (ret) {
		if (ret == -EISDIR)
			swauth_error_set(err, -EISDIR, "%s: not a regular file", dest);
		swcopy_sink_abort(s);
		return ret;
	}
	s->fd = s->w.fd;
	if (verify_dirs) {
		s->res = res;
		ret = swauth_verify_stream_new(verify_dirs, res, &s->verify, err);
		if (ret) {
			swcopy_sink_abort(s);
			return ret;
		}
	}
	ret = -pthread_create(&s->workers[0], NULL, writer, s);
	if (!ret)
		s->nworkers++;
	if (!ret && (s->verify || s->md5)) {
		ret = -pthread_create(&s->workers[1], NULL, verifier, s);
		if (!ret)
			s->nworkers++;
	}
	if (ret) {
		swcopy_sink_abort(s);
		return swauth_error_set(err, ret, "starting a thread: %s", strerror(-ret));
	}
	return 0;
}

/* Stops the worker threads, once they finished what they have. */
static void stop_workers(struct swcopy_sink *s)
{
	if (!s->nworkers)
		return;
	pthread_mutex_lock(&s->mu);
	s->quit = true;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
	while (s->nworkers)
		pthread_join(s->workers[--s->nworkers], NULL);
}

/**
 * swcopy_sink_finish() - everything arrived: sync, close, verdict
 * @s: the sink
 * @err: filled on failure
 *
 * With /verify the stream's verdict is in the result given to
 * swcopy_sink_open(); a bad one is -EBADMSG here, unless it was left to
 * the module (@s->deferred). A size announced but not
 * reached is -EPROTO.
 *
 * Return: 0 or -errno; on failure the caller aborts.
 */
int swcopy_sink_finish(struct swcopy_sink *s, struct swauth_error *err)
{
	unsigned int n = 0;
	uint32_t verdict;
	int ret;

	ret = drain(s);
	stop_workers(s);
	if (ret) {
		*err = s->sink.err;
		return ret;
	}
	if ((s->sha && (EVP_DigestFinal_ex(s->sha, s->sha256, &n) != 1 || n != sizeof(s->sha256))) ||
	    (s->md5 && (EVP_DigestFinal_ex(s->md5, s->md5sum, &n) != 1 || n != sizeof(s->md5sum))))
		return swauth_error_set(err, -EIO, "hashing %s failed", s->dest);
	if (s->announced && s->written < s->announced)
		return swauth_error_set(err, -EPROTO,
					"the transfer ended after %llu of %llu bytes",
					(unsigned long long)s->written,
					(unsigned long long)s->announced);
	if (s->announced && s->written > s->announced)
		return swauth_error_set(err, -EPROTO, "%llu bytes arrived, %llu were announced",
					(unsigned long long)s->written,
					(unsigned long long)s->announced);
	/* Synced and open only for reading: the module's verdict needs that. */
	ret = swauth_safewrite_seal(&s->w, err);
	s->fd = s->w.fd;
	if (ret)
		return ret;
	if (s->verify && s->deferred) {
		swauth_verify_stream_free(s->verify);
		s->verify = NULL;
	} else if (s->verify) {
		verdict = swauth_verify_stream_end(s->verify);
		s->verify = NULL;
		if (verdict) {
			s->verdict = verdict;
			return swauth_error_set(err, -EBADMSG,
						"%%Error: digital signature verification failed: %s",
						swauth_verdict_message(verdict));
		}
	}
	return 0;
}

/**
 * swcopy_sink_commit() - rename the finished file into place
 * @s: a finished sink; closed on return
 * @err: filled on failure
 *
 * Return: 0 or -errno (the destination is then as it was, unless the
 * message says that only syncing its directory failed).
 */
int swcopy_sink_commit(struct swcopy_sink *s, struct swauth_error *err)
{
	int ret = swauth_safewrite_commit(&s->w, err);

	s->fd = -1;
	swcopy_sink_abort(s);
	return ret;
}

/**
 * swcopy_sink_abort() - drop the new file and close everything
 * @s: the sink
 */
void swcopy_sink_abort(struct swcopy_sink *s)
{
	stop_workers(s);	/* first: they write to s->fd */
	s->fd = -1;
	swauth_safewrite_abort(&s->w);
	swauth_verify_stream_free(s->verify);
	s->verify = NULL;
	free(s->mem);
	s->mem = NULL;
	EVP_MD_CTX_free(s->sha);
	s->sha = NULL;
	EVP_MD_CTX_free(s->md5);
	s->md5 = NULL;
}

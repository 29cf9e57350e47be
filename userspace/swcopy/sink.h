/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Where a download goes: a new file in the destination's directory
 * (lib/safewrite.h: unnamed where the file system allows), put in place
 * only after the whole image arrived (and, with /verify,
 * verified). Until then the destination, if it exists, is untouched; on
 * any failure the temporary file is removed.
 *
 * The transport's thread only copies bytes into a ring of 1 MiB buffers
 * (and, with /verify, checks the manifest as soon as it is in). Meanwhile
 * the full buffers are worked on by two threads, each at its own pace:
 * the writer hashes the file (SHA-256, for sums.c, unless /verify's own
 * digests are recorded instead) and writes it, starting
 * its writeback as it goes so that the final fsync has little left to wait
 * for; the verifier hashes the payload (/verify) and the file's MD5 (when
 * asked). Hashing thus runs on the other CPUs while the next bytes arrive.
 */

#ifndef SWCOPY_SINK_H
#define SWCOPY_SINK_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "lib/fs.h"
#include "lib/image.h"
#include "lib/xfer.h"

enum { SINK_BUFS = 4, SINK_BUF_SIZE = 1 << 20 };

struct swcopy_sink {
	struct swauth_sink sink;	/* first: the transports see this */
	struct swauth_safewrite w;		/* the new file (lib/safewrite.h) */
	int fd;					/* w.fd, for the writer */
	char dest[PATH_MAX];			/* as messages name it */
	uint64_t announced, written;
	struct swauth_verify_stream *verify;	/* with /verify */
	struct swauth_verify_result *res;
	uint32_t verdict;			/* the stream's, once it failed */
	bool signed_seen;			/* the stream checked the manifest */
	bool module_decides;			/* the module gives the final verdict */
	uint32_t deferred;			/* a verdict on trust left to the module */
	EVP_MD_CTX *sha;			/* of the whole file, when asked */
	EVP_MD_CTX *md5;			/* of the whole file, when asked */
	uint8_t sha256[32], md5sum[16];		/* once finished */
	uint64_t wrote, synced;			/* the writer's; writeback started */
	/* The buffers and the worker threads; mu guards what follows it. */
	uint8_t *mem;				/* SINK_BUFS buffers */
	size_t fill[SINK_BUFS];
	size_t fed[SINK_BUFS];			/* leading bytes already verified */
	pthread_t workers[2];			/* the writer, the verifier */
	unsigned int nworkers;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned long handed;			/* buffers handed over so far */
	unsigned long done[2];			/* and finished, by each worker */
	bool quit;
	int werr;				/* a worker's error, in werr_msg */
	struct swauth_error werr_msg;
};

int swcopy_sink_open(struct swcopy_sink *s, int dir_fd, const char *name, const char *dest,
		     const struct swauth_trust_dirs *verify_dirs, bool sha256, bool md5,
		     struct swauth_verify_result *res, struct swauth_error *err);
int swcopy_sink_finish(struct swcopy_sink *s, struct swauth_error *err);
int swcopy_sink_commit(struct swcopy_sink *s, struct swauth_error *err);
void swcopy_sink_abort(struct swcopy_sink *s);

#endif /* SWCOPY_SINK_H */

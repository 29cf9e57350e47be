/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Where a download goes: a temporary file next to the destination, renamed
 * into place only after the whole image arrived (and, with /verify,
 * verified). Until then the destination, if it exists, is untouched; on
 * any failure the temporary file is removed.
 */

#ifndef SWCOPY_SINK_H
#define SWCOPY_SINK_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "lib/verify.h"
#include "lib/xfer.h"

struct swcopy_sink {
	struct swauth_sink sink;	/* first: the transports see this */
	int fd, dir_fd;
	char dest[PATH_MAX];
	char tmp[PATH_MAX + 32];
	uint64_t announced, written;
	struct swauth_verify_stream *verify;	/* with /verify */
	struct swauth_verify_result *res;
	uint32_t verdict;			/* the stream's, once it failed */
	uint8_t *buf;				/* writes are gathered here */
	size_t buffered;
};

int swcopy_sink_open(struct swcopy_sink *s, const char *dest,
		     const struct swauth_trust_dirs *verify_dirs,
		     struct swauth_verify_result *res, struct swauth_error *err);
int swcopy_sink_finish(struct swcopy_sink *s, struct swauth_error *err);
int swcopy_sink_commit(struct swcopy_sink *s, struct swauth_error *err);
void swcopy_sink_abort(struct swcopy_sink *s);

#endif /* SWCOPY_SINK_H */

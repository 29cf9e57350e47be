// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * --json: the summary of a copy on standard output.
 */

#include "lib/core.h"
#include "swcopy/sums.h"
#include "swcopy/swcopy.h"

/* A digest for --json, in lower-case hex. */
static void json_hex(struct swauth_json *j, const char *name, const uint8_t *buf, size_t len)
{
	char hex[2 * SWAUTH_SHA256_LEN + 1];

	swcopy_hex(buf, len, hex);
	swauth_json_string(j, name, hex);
}

void swcopy_json_summary(struct copy *c, bool ok, uint64_t bytes, double secs,
			 const struct swauth_verify_result *res, const char *by, const char *error)
{
	struct swauth_json j;

	swauth_json_init(&j, stdout);
	swauth_json_object_begin(&j, NULL);
	swauth_json_string(&j, "source", c->src_show);
	swauth_json_string(&j, "destination", c->dst_show);
	swauth_json_string(&j, "result", ok ? "ok" : "error");
	swauth_json_u64(&j, "bytes", bytes);
	swauth_json_u64(&j, "resumes", c->resumes);
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

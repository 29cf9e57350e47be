/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Words for what SWAUTH_CMD_VERIFY_IMAGE reports: one operator-readable
 * message per enum swauth_verdict value, a stable token per verdict for
 * --json, and the display names of image types, key types and hash
 * algorithms (the seeds' "Release"/"Development", "SHA512").
 */

#ifndef SWAUTH_LIB_VERDICT_H
#define SWAUTH_LIB_VERDICT_H

#include <stddef.h>
#include <stdint.h>

struct swauth_verify_result;

const char *swauth_verdict_message(uint32_t verdict);
const char *swauth_verdict_token(uint32_t verdict);
int swauth_verdict_describe(const struct swauth_verify_result *res, char *buf, size_t len);
const char *swauth_image_type_name(uint32_t image_type);
const char *swauth_image_type_token(uint32_t image_type);
const char *swauth_key_type_name(uint32_t key_type);
const char *swauth_key_type_token(uint32_t key_type);
const char *swauth_hash_algo_name(uint32_t hash_algo);

#endif /* SWAUTH_LIB_VERDICT_H */

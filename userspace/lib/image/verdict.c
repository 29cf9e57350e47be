// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Messages for verdicts and names for the header's enums. The tables are
 * indexed by the uapi enums and checked for completeness by
 * selftests/host/verdict_test.c, so a verdict added to the uapi header
 * without a message fails the build's tests, not an operator.
 */

#include <stdbool.h>
#include <stdio.h>

#include <linux/swauth.h>

#include "lib/image.h"

static const struct {
	const char *token;	/* stable, for --json */
	const char *message;	/* for people */
} verdicts[SWAUTH_VERDICT_MAX + 1] = {
	[SWAUTH_VERDICT_OK] = { "ok", "the signature and the payload digest verified" },
	[SWAUTH_VERDICT_NOT_REGULAR] = { "not-regular",
		"not a regular file (a directory, device or pipe cannot be an image)" },
	[SWAUTH_VERDICT_EMPTY] = { "empty", "the file is empty" },
	[SWAUTH_VERDICT_WRITE_BUSY] = { "write-busy",
		"the file is open for writing by another process" },
	[SWAUTH_VERDICT_IO_ERROR] = { "io-error", "reading the file failed" },
	[SWAUTH_VERDICT_TRUNCATED_HEADER] = { "truncated-header",
		"truncated: the file ends inside the 256-byte image header" },
	[SWAUTH_VERDICT_BAD_MAGIC] = { "bad-magic", "bad magic: not a swauth image" },
	[SWAUTH_VERDICT_BAD_FORMAT_VERSION] = { "bad-format-version",
		"unsupported image format version (this verifier knows version 1)" },
	[SWAUTH_VERDICT_BAD_HEADER] = { "bad-header",
		"malformed image header: a field is out of range or a reserved byte is set" },
	[SWAUTH_VERDICT_SIZE_OVERFLOW] = { "size-overflow",
		"malformed image header: the payload size is beyond the format's limit" },
	[SWAUTH_VERDICT_TYPE_NOT_ALLOWED] = { "type-not-allowed",
		"the image type may not be signed by the key type the header names" },
	[SWAUTH_VERDICT_TRUNCATED_MANIFEST] = { "truncated-manifest",
		"truncated: the file ends inside the bundled certificate" },
	[SWAUTH_VERDICT_TRUNCATED_SIGNATURE] = { "truncated-signature",
		"truncated: the file ends inside the signature" },
	[SWAUTH_VERDICT_TRUNCATED_PAYLOAD] = { "truncated-payload",
		"truncated: the payload is shorter than the header says" },
	[SWAUTH_VERDICT_TRAILING_DATA] = { "trailing-data",
		"trailing data: the file goes on after the end of the image" },
	[SWAUTH_VERDICT_UNKNOWN_KEY] = { "unknown-key",
		"no trusted key of the type and version the header names" },
	[SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH] = { "signer-type-mismatch",
		"signed by a key of another type than the header claims" },
	[SWAUTH_VERDICT_SIGNER_VERSION_MISMATCH] = { "signer-version-mismatch",
		"signed by another version of the key than the header claims" },
	[SWAUTH_VERDICT_BAD_SIGNATURE] = { "bad-signature",
		"bad signature: no trusted key made it, or the manifest was changed" },
	[SWAUTH_VERDICT_BAD_DIGEST] = { "bad-digest",
		"bad digest: the payload differs from the one that was signed" },
};

/**
 * swauth_verdict_message() - the generic message of a verdict
 * @verdict: one of enum swauth_verdict
 *
 * Return: a sentence fragment without a trailing period, or "unknown
 * verdict" for a value this build does not know (a newer module).
 */
const char *swauth_verdict_message(uint32_t verdict)
{
	if (verdict > SWAUTH_VERDICT_MAX || !verdicts[verdict].message)
		return "unknown verdict (the module is newer than this tool)";
	return verdicts[verdict].message;
}

/**
 * swauth_verdict_token() - the stable --json name of a verdict
 * @verdict: one of enum swauth_verdict
 *
 * Return: e.g. "ok", "bad-magic"; "unknown" for a value this build lacks.
 */
const char *swauth_verdict_token(uint32_t verdict)
{
	if (verdict > SWAUTH_VERDICT_MAX || !verdicts[verdict].token)
		return "unknown";
	return verdicts[verdict].token;
}

/**
 * swauth_verdict_on_trust() - whether a verdict depends on the keys trusted
 * @verdict: one of enum swauth_verdict
 *
 * The verdicts another verifier, holding other keys, may give otherwise:
 * no such key, signed by another key, a signature no key made. The others
 * follow from the file alone.
 *
 * Return: true for those.
 */
bool swauth_verdict_on_trust(uint32_t verdict)
{
	return verdict == SWAUTH_VERDICT_UNKNOWN_KEY ||
	       verdict == SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH ||
	       verdict == SWAUTH_VERDICT_SIGNER_VERSION_MISMATCH ||
	       verdict == SWAUTH_VERDICT_BAD_SIGNATURE;
}

/**
 * swauth_verifier_why_token() - the --json name of why a verifier decided
 * @why: one of enum swauth_verifier_why
 *
 * Return: "module", "userspace-option", "module-not-loaded", or "unknown".
 */
const char *swauth_verifier_why_token(uint32_t why)
{
	switch (why) {
	case SWAUTH_WHY_MODULE:
		return "module";
	case SWAUTH_WHY_ASKED:
		return "userspace-option";
	case SWAUTH_WHY_NO_MODULE:
		return "module-not-loaded";
	}
	return "unknown";
}

static const char *const image_types[SWAUTH_IMAGE_MAX + 1][2] = {
	[SWAUTH_IMAGE_PRODUCTION] = { "production", "Production image" },
	[SWAUTH_IMAGE_SPECIAL] = { "special", "Special image" },
	[SWAUTH_IMAGE_REVOCATION] = { "revocation", "Revocation image" },
	[SWAUTH_IMAGE_BOOTLOADER] = { "bootloader", "Bootloader image" },
};

/* The seeds call production keys "Release" and special keys "Development". */
static const char *const key_types[SWAUTH_KEY_MAX + 1][2] = {
	[SWAUTH_KEY_ROLLOVER] = { "rollover", "Rollover" },
	[SWAUTH_KEY_PRODUCTION] = { "production", "Release" },
	[SWAUTH_KEY_SPECIAL] = { "special", "Development" },
};

static const char *const hash_algos[SWAUTH_HASH_MAX + 1] = {
	[SWAUTH_HASH_SHA256] = "SHA256",
	[SWAUTH_HASH_SHA384] = "SHA384",
	[SWAUTH_HASH_SHA512] = "SHA512",
};

/**
 * swauth_image_type_name() - the display name of an image type
 * @image_type: one of enum swauth_image_type
 *
 * Return: e.g. "Production image", or "Unknown image type".
 */
const char *swauth_image_type_name(uint32_t image_type)
{
	if (image_type > SWAUTH_IMAGE_MAX || !image_types[image_type][1])
		return "Unknown image type";
	return image_types[image_type][1];
}

/**
 * swauth_image_type_token() - the --json name of an image type
 * @image_type: one of enum swauth_image_type
 *
 * Return: "production", "special", "revocation", "bootloader" or "unknown".
 */
const char *swauth_image_type_token(uint32_t image_type)
{
	if (image_type > SWAUTH_IMAGE_MAX || !image_types[image_type][0])
		return "unknown";
	return image_types[image_type][0];
}

/**
 * swauth_key_type_name() - the display name of a key type
 * @key_type: one of enum swauth_key_type
 *
 * Return: "Release" (production), "Development" (special), "Rollover", or
 * "Unknown key type".
 */
const char *swauth_key_type_name(uint32_t key_type)
{
	if (key_type > SWAUTH_KEY_MAX || !key_types[key_type][1])
		return "Unknown key type";
	return key_types[key_type][1];
}

/**
 * swauth_key_type_token() - the name of a key type in --json and in the
 * certificate common name convention
 * @key_type: one of enum swauth_key_type
 *
 * Return: "rollover", "production", "special" or "unknown".
 */
const char *swauth_key_type_token(uint32_t key_type)
{
	if (key_type > SWAUTH_KEY_MAX || !key_types[key_type][0])
		return "unknown";
	return key_types[key_type][0];
}

/**
 * swauth_hash_algo_name() - the display name of a hash algorithm
 * @hash_algo: one of enum swauth_hash_algo
 *
 * Return: "SHA256", "SHA384", "SHA512" or "unknown".
 */
const char *swauth_hash_algo_name(uint32_t hash_algo)
{
	if (hash_algo > SWAUTH_HASH_MAX || !hash_algos[hash_algo])
		return "unknown";
	return hash_algos[hash_algo];
}

static char version_char(uint32_t v)
{
	return v >= 'A' && v <= 'Z' ? (char)v : '?';
}

/**
 * swauth_verdict_describe() - the message of a verdict, naming what the
 * result knows
 * @res: a verification result; its verdict must be set
 * @buf: receives the message, without a trailing newline
 * @len: size of @buf
 *
 * Where the result says which keys or sizes are involved, the message
 * names them ("signed by special key B, but the header claims production
 * key A"); otherwise it is swauth_verdict_message().
 *
 * Return: what snprintf() returns.
 */
int swauth_verdict_describe(const struct swauth_verify_result *res, char *buf, size_t len)
{
	const uint32_t claimed = SWAUTH_VERIFY_HAS_KEY_TYPE | SWAUTH_VERIFY_HAS_KEY_VERSION;
	const uint32_t signer = SWAUTH_VERIFY_HAS_SIGNER_KEY_TYPE |
				SWAUTH_VERIFY_HAS_SIGNER_KEY_VERSION;
	bool has_claimed = (res->has & claimed) == claimed;
	bool has_signer = (res->has & signer) == signer;

	switch (res->verdict) {
	case SWAUTH_VERDICT_TYPE_NOT_ALLOWED:
		if (!(res->has & SWAUTH_VERIFY_HAS_IMAGE_TYPE) || !has_claimed)
			break;
		return snprintf(buf, len, "a %s may not be signed by a %s key (the header names %s key %c)",
				swauth_image_type_name(res->image_type),
				swauth_key_type_token(res->key_type),
				swauth_key_type_token(res->key_type),
				version_char(res->key_version));
	case SWAUTH_VERDICT_TRUNCATED_MANIFEST:
	case SWAUTH_VERDICT_TRUNCATED_SIGNATURE:
	case SWAUTH_VERDICT_TRUNCATED_PAYLOAD:
	case SWAUTH_VERDICT_TRAILING_DATA:
		if (!(res->has & SWAUTH_VERIFY_HAS_FILE_SIZE))
			break;
		return snprintf(buf, len, "%s (the file has %llu bytes)",
				swauth_verdict_message(res->verdict),
				(unsigned long long)res->file_size);
	case SWAUTH_VERDICT_UNKNOWN_KEY:
		if (!has_claimed)
			break;
		return snprintf(buf, len,
				"no trusted %s key %c: the header names a key this system does not have",
				swauth_key_type_token(res->key_type), version_char(res->key_version));
	case SWAUTH_VERDICT_SIGNER_TYPE_MISMATCH:
	case SWAUTH_VERDICT_SIGNER_VERSION_MISMATCH:
		if (!has_claimed || !has_signer)
			break;
		return snprintf(buf, len, "signed by %s key %c, but the header claims %s key %c",
				swauth_key_type_token(res->signer_key_type),
				version_char(res->signer_key_version),
				swauth_key_type_token(res->key_type),
				version_char(res->key_version));
	case SWAUTH_VERDICT_BAD_SIGNATURE:
		if (!has_claimed)
			break;
		return snprintf(buf, len,
				"bad signature: %s key %c did not make it and no other trusted key did, or the manifest was changed",
				swauth_key_type_token(res->key_type), version_char(res->key_version));
	case SWAUTH_VERDICT_BAD_DIGEST:
		if (!(res->has & SWAUTH_VERIFY_HAS_HASH_ALGO))
			break;
		return snprintf(buf, len,
				"bad digest: the payload's %s differs from the one that was signed",
				swauth_hash_algo_name(res->hash_algo));
	default:
		break;
	}
	if (res->verdict > SWAUTH_VERDICT_MAX)
		return snprintf(buf, len, "unknown verdict %u (the module is newer than this tool)",
				res->verdict);
	return snprintf(buf, len, "%s", swauth_verdict_message(res->verdict));
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Running a verification for the CLI, as the one policy of libswauth says
 * (lib/image.h, policy.c), and printing its result: every output says
 * which verifier gave the verdict, and why that one.
 */

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "lib/cli.h"
#include "lib/config.h"
#include "lib/core.h"
#include "lib/image.h"

enum { HEX_PER_LINE = 16, HASH_LABEL_WIDTH = 22 };

/**
 * verify_opt() - handle one of VERIFY_OPTIONS
 * @subcmd: the subcommand's name, for messages
 * @o: the options so far
 * @opt: what getopt_long() returned
 * @arg: optarg
 *
 * Return: 0 when @opt was one of ours, 1 when it was not, CLI_EXIT_USAGE on
 * too many directories.
 */
int verify_opt(const char *subcmd, struct verify_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case 'u':
		o->userspace = true;
		return 0;
	case 't':
	case 'r': {
		unsigned int *n = opt == 't' ? &o->n_keys : &o->n_rollover;
		const char **list = opt == 't' ? o->dirs.keys : o->dirs.rollover;

		if (*n + 1 >= SWAUTH_TRUST_DIRS_MAX) {
			cli_msg(subcmd, "at most %d directories per option", SWAUTH_TRUST_DIRS_MAX - 1);
			return CLI_EXIT_USAGE;
		}
		list[(*n)++] = arg;
		return 0;
	}
	}
	return 1;
}

/**
 * verify_opt_argv() - verify_opt(), and the message for an option that is not ours
 * @subcmd: the subcommand's name, for messages
 * @o: the options so far
 * @argc: the command's argc, for cli_bad_option()
 * @argv: its argv
 * @opt: what getopt_long() returned
 * @arg: optarg
 *
 * Return: 0 when @opt was one of ours, else CLI_EXIT_USAGE (the message shown).
 */
int verify_opt_argv(const char *subcmd, struct verify_opts *o, int argc, char *argv[], int opt,
		    const char *arg)
{
	int ret = verify_opt(subcmd, o, opt, arg);

	if (ret != 1)
		return ret;
	cli_bad_option(subcmd, argc, argv, opt);
	return CLI_EXIT_USAGE;
}

/**
 * verify_getopt() - parse --help, one option of the command's own and VERIFY_OPTIONS
 * @subcmd: the subcommand's name, for messages
 * @argc: the command's argc
 * @argv: its argv
 * @options: for getopt_long(): "help" ('h'), @flag's and VERIFY_OPTIONS
 * @flag: the letter of the command's own option (no argument)
 * @flag_set: set to true when @flag is given
 * @o: receives VERIFY_OPTIONS
 *
 * Return: 0 with optind at the first operand, 'h' for --help, or
 * CLI_EXIT_USAGE after a message (the caller prints its usage).
 */
int verify_getopt(const char *subcmd, int argc, char *argv[], const struct option *options,
		  char flag, bool *flag_set, struct verify_opts *o)
{
	char optstring[] = ":hX" VERIFY_OPTSTRING;
	int opt;

	optstring[2] = flag;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, optstring, options, NULL)) != -1) {
		if (opt == 'h')
			return 'h';
		if (opt == flag)
			*flag_set = true;
		else if (verify_opt_argv(subcmd, o, argc, argv, opt, optarg))
			return CLI_EXIT_USAGE;
	}
	return 0;
}

/**
 * verify_run() - verify @path as the policy says (lib/image.h, policy.c)
 * @subcmd: the subcommand's name, for messages
 * @path: the image file; in a file system of swauth.conf, confined to it
 *	(swauth_storage_open())
 * @o: the options
 * @res: receives the result, with who gave the verdict and why
 * @verified_by: receives who gave the verdict, e.g. "kernel (swauth.ko 1.0)"
 * @len: size of @verified_by
 *
 * Return: CLI_EXIT_OK when @res holds a verdict (good or bad), else the
 * exit code of the failure, which has been reported: an error from the
 * module too, never a userspace verdict in its place.
 */
int verify_run(const char *subcmd, const char *path, const struct verify_opts *o,
	       struct swauth_verify_result *res, char *verified_by, size_t len)
{
	static struct swauth_config cfg;
	struct swauth_policy p = { .userspace = o->userspace, .dirs = &o->dirs, .cfg = &cfg };
	struct swauth_policy_choice c;
	struct swauth_error err;
	int ret;

	swauth_error_clear(&err);
	ret = swauth_config_load(swauth_config_path(), &cfg, &err);
	if (!ret)
		ret = swauth_policy_verify(&p, path, res, &c, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	snprintf(verified_by, len, "%s", c.by);
	return CLI_EXIT_OK;
}

/* "Release" and "Development" for system images, as the seeds show them. */
static const char *image_type_display(const struct swauth_verify_result *res, char *buf,
				      size_t len)
{
	switch (res->image_type) {
	case SWAUTH_IMAGE_PRODUCTION:
	case SWAUTH_IMAGE_SPECIAL:
		return swauth_key_type_name(res->key_type);
	case SWAUTH_IMAGE_BOOTLOADER:
		snprintf(buf, len, "%s (%s)", swauth_image_type_name(res->image_type),
			 swauth_key_type_name(res->key_type));
		return buf;
	default:
		return swauth_image_type_name(res->image_type);
	}
}

static bool signer_info(const struct swauth_verify_result *res, struct swauth_cert_info *info)
{
	struct swauth_error err;

	memset(info, 0, sizeof(*info));
	return (res->has & SWAUTH_VERIFY_HAS_SIGNER_CERT) &&
	       !swauth_cert_info(res->signer_cert, res->signer_cert_len, info, &err);
}

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

/**
 * verify_signer_type() - the type of the key that signed, else the claimed one
 * @res: the result
 *
 * Return: an enum swauth_key_type.
 */
uint32_t verify_signer_type(const struct swauth_verify_result *res)
{
	return (res->has & SWAUTH_VERIFY_HAS_SIGNER_KEY_TYPE) ? res->signer_key_type :
								  res->key_type;
}

/**
 * verify_signer_version() - the version of the key that signed, else the claimed one
 * @res: the result
 *
 * Return: 'A'..'Z', or '?'.
 */
char verify_signer_version(const struct swauth_verify_result *res)
{
	uint32_t v = (res->has & SWAUTH_VERIFY_HAS_SIGNER_KEY_VERSION) ?
		     res->signer_key_version : res->key_version;

	return v >= 'A' && v <= 'Z' ? (char)v : '?';
}

/**
 * verify_digest_hex() - the payload digest of the header, lower-case hex
 * @res: the result
 * @out: receives the text, 2 * SWAUTH_VERIFY_DIGEST_MAX + 1 bytes
 */
void verify_digest_hex(const struct swauth_verify_result *res, char *out)
{
	uint32_t i;

	for (i = 0; i < res->embedded_digest_len && i < SWAUTH_VERIFY_DIGEST_MAX; i++)
		sprintf(out + 2 * i, "%02x", res->embedded_digest[i]);
	out[2 * i] = '\0';
}

/**
 * verify_print_credentials() - the seeds' image credentials block
 * @f: where to print
 * @res: the result, with the header
 *
 * From "Image type" to "Key Version", as `show software authenticity file`
 * and `running` print them (FEATURES A7.2, A7.3). The signer block shows
 * the certificate of the key that really made the signature, "-" where no
 * key did; Key Version is that key's version, or the claimed one when no
 * key signed.
 */
void verify_print_credentials(FILE *f, const struct swauth_verify_result *res)
{
	struct swauth_cert_info info;
	char type[64];
	bool have_signer = signer_info(res, &info);

	fprintf(f, "Image type                    : %s\n",
		image_type_display(res, type, sizeof(type)));
	fprintf(f, "    Signer Information\n");
	fprintf(f, "        Common Name           : %s\n",
		or_dash(have_signer ? info.common_name : NULL));
	fprintf(f, "        Organization Unit     : %s\n",
		or_dash(have_signer ? info.org_unit : NULL));
	fprintf(f, "        Organization Name     : %s\n",
		or_dash(have_signer ? info.org_name : NULL));
	fprintf(f, "    Certificate Serial Number : %s\n",
		or_dash(have_signer ? info.serial : NULL));
	fprintf(f, "    Hash Algorithm            : %s\n", swauth_hash_algo_name(res->hash_algo));
	fprintf(f, "    Signature Algorithm       : %u-bit RSA\n", res->sig_bits);
	fprintf(f, "    Key Version               : %c\n", verify_signer_version(res));
}

/**
 * verify_print_show() - `show software authenticity file`, the seeds' layout
 * @f: where to print
 * @path: the file as the user named it
 * @res: the result
 * @verified_by: who gave the verdict
 */
void verify_print_show(FILE *f, const char *path, const struct swauth_verify_result *res,
		       const char *verified_by)
{
	char msg[512];

	fprintf(f, "File Name                     : %s\n", path);
	if ((res->has & SWAUTH_VERIFY_HAS_HEADER) == SWAUTH_VERIFY_HAS_HEADER)
		verify_print_credentials(f, res);
	swauth_verdict_describe(res, msg, sizeof(msg));
	if (res->verdict == SWAUTH_VERDICT_OK)
		fprintf(f, "Verdict                       : verified\n");
	else
		fprintf(f, "Verdict                       : FAILED: %s\n", msg);
	fprintf(f, "Verified by                   : %s\n", verified_by);
}

static void json_hex(struct swauth_json *j, const char *key, const uint8_t *buf, uint32_t len,
		     bool have)
{
	char hex[2 * SWAUTH_VERIFY_DIGEST_MAX + 1];
	uint32_t i;

	if (!have || len > SWAUTH_VERIFY_DIGEST_MAX) {
		swauth_json_null(j, key);
		return;
	}
	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", buf[i]);
	hex[2 * len] = '\0';
	swauth_json_string(j, key, hex);
}

static void json_str(struct swauth_json *j, const char *key, const char *value, bool have)
{
	if (have)
		swauth_json_string(j, key, value);
	else
		swauth_json_null(j, key);
}

static void json_version(struct swauth_json *j, const char *key, uint32_t v, bool have)
{
	char s[2] = { (char)v, '\0' };

	json_str(j, key, s, have && v >= 'A' && v <= 'Z');
}

/* The keys `show file --json` and `verify --json` share, in one object. */
static void json_result(struct swauth_json *j, const char *path,
			const struct swauth_verify_result *res, const char *verified_by)
{
	bool hdr = (res->has & SWAUTH_VERIFY_HAS_HEADER) == SWAUTH_VERIFY_HAS_HEADER;
	struct swauth_cert_info info;
	bool have_signer = signer_info(res, &info);
	char msg[512];

	swauth_verdict_describe(res, msg, sizeof(msg));
	swauth_json_string(j, "file", path);
	swauth_json_string(j, "verdict", swauth_verdict_token(res->verdict));
	swauth_json_u64(j, "verdict_code", res->verdict);
	swauth_json_string(j, "message", msg);
	swauth_json_string(j, "verifier",
			   res->verifier == SWAUTH_VERIFIER_KERNEL ? "kernel" : "userspace");
	swauth_json_string(j, "verifier_reason", swauth_verifier_why_token(res->why));
	swauth_json_string(j, "verified_by", verified_by);
	if (res->has & SWAUTH_VERIFY_HAS_FILE_SIZE)
		swauth_json_u64(j, "file_size", res->file_size);
	else
		swauth_json_null(j, "file_size");
	json_str(j, "image_type", swauth_image_type_token(res->image_type), hdr);
	json_str(j, "key_type", swauth_key_type_token(res->key_type), hdr);
	json_version(j, "key_version", res->key_version, hdr);
	json_str(j, "hash_algorithm", swauth_hash_algo_name(res->hash_algo), hdr);
	if (hdr) {
		swauth_json_u64(j, "signature_bits", res->sig_bits);
		swauth_json_u64(j, "payload_size", res->payload_size);
		swauth_json_u64(j, "build_time", res->build_time);
	} else {
		swauth_json_null(j, "signature_bits");
		swauth_json_null(j, "payload_size");
		swauth_json_null(j, "build_time");
	}
	json_str(j, "image_name", res->image_name, hdr);
	json_str(j, "image_version", res->image_version, hdr);
	json_str(j, "platform", res->platform, hdr);
	json_hex(j, "embedded_digest", res->embedded_digest, res->embedded_digest_len,
		 res->has & SWAUTH_VERIFY_HAS_EMBEDDED_DIGEST);
	json_hex(j, "computed_digest", res->computed_digest, res->computed_digest_len,
		 res->has & SWAUTH_VERIFY_HAS_COMPUTED_DIGEST);
	if (res->has & SWAUTH_VERIFY_HAS_SIGNER_KEY_TYPE) {
		swauth_json_object_begin(j, "signer");
		swauth_json_string(j, "key_type", swauth_key_type_token(res->signer_key_type));
		json_version(j, "key_version", res->signer_key_version,
			     res->has & SWAUTH_VERIFY_HAS_SIGNER_KEY_VERSION);
		json_str(j, "common_name", info.common_name, have_signer);
		json_str(j, "organization_unit", info.org_unit, have_signer && info.org_unit[0]);
		json_str(j, "organization_name", info.org_name, have_signer && info.org_name[0]);
		json_str(j, "serial", info.serial, have_signer);
		swauth_json_object_end(j);
	} else {
		swauth_json_null(j, "signer");
	}
}

/**
 * verify_print_show_json() - the result as one JSON object
 * @f: where to print
 * @path: the file as the user named it
 * @res: the result
 * @verified_by: who gave the verdict
 *
 * Every key is always present (null when unknown); the keys are listed in
 * swauth(8), JSON OUTPUT.
 *
 * Return: 0, or -EIO when writing failed.
 */
int verify_print_show_json(FILE *f, const char *path, const struct swauth_verify_result *res,
			   const char *verified_by)
{
	struct swauth_json j;

	swauth_json_init(&j, f);
	swauth_json_object_begin(&j, NULL);
	json_result(&j, path, res, verified_by);
	swauth_json_object_end(&j);
	return swauth_json_finish(&j);
}

/**
 * verify_print_verify_json() - `swauth verify --json`: the result as one object
 * @f: where to print
 * @path: the file as the user named it
 * @res: the result
 * @md5: the MD5 of the whole file, or NULL when there is none (not a file)
 * @verified_by: who gave the verdict
 *
 * The keys of verify_print_show_json(), and "md5"; swauth(8), JSON OUTPUT.
 *
 * Return: 0, or -EIO when writing failed.
 */
int verify_print_verify_json(FILE *f, const char *path, const struct swauth_verify_result *res,
			     const uint8_t *md5, const char *verified_by)
{
	struct swauth_json j;

	swauth_json_init(&j, f);
	swauth_json_object_begin(&j, NULL);
	json_result(&j, path, res, verified_by);
	json_hex(&j, "md5", md5, 16, md5 != NULL);
	swauth_json_object_end(&j);
	return swauth_json_finish(&j);
}

/**
 * verify_print_hex_block() - a digest as `copy /verify` shows it
 * @f: where to print
 * @label: the label, e.g. "Computed Hash   SHA2: ", HASH_LABEL_WIDTH wide
 * @buf: the digest
 * @len: its length
 *
 * Uppercase hex, 16 bytes a line, continuation lines indented under the
 * first, then an empty line.
 */
void verify_print_hex_block(FILE *f, const char *label, const uint8_t *buf, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++) {
		if (i % HEX_PER_LINE == 0)
			fprintf(f, "%-*s", HASH_LABEL_WIDTH, i ? "" : label);
		fprintf(f, "%02X", buf[i]);
		if (i % HEX_PER_LINE == HEX_PER_LINE - 1 || i == len - 1)
			fputc('\n', f);
	}
}

/**
 * verify_print_cco() - the seeds' CCO Hash line: a file's MD5
 * @f: where to print
 * @md5: the MD5 of the whole file
 */
void verify_print_cco(FILE *f, const uint8_t md5[16])
{
	verify_print_hex_block(f, "CCO Hash        MD5 : ", md5, 16);
}

/**
 * verify_print_copy() - the seeds' `copy /verify` block
 * @f: where to print
 * @path: the file as the user named it
 * @res: the result
 * @sha256: the SHA-256 of the whole file, or NULL when it was not computed
 * @md5: the MD5 of the whole file (the seeds' CCO Hash), or NULL likewise
 * @verified_by: who gave the verdict
 *
 * The hash lines appear only for what was computed: a failure before the
 * payload was hashed shows no Computed Hash.
 */
void verify_print_copy(FILE *f, const char *path, const struct swauth_verify_result *res,
		       const uint8_t *sha256, const uint8_t *md5, const char *verified_by)
{
	char msg[512];

	fprintf(f, "Verifying file integrity of %s\n", path);
	fprintf(f, "Starting image verification\n");
	if (res->has & SWAUTH_VERIFY_HAS_COMPUTED_DIGEST) {
		fprintf(f, "Hash Computation:    100%% Done!\n");
		verify_print_hex_block(f, "Computed Hash   SHA2: ", res->computed_digest,
				       res->computed_digest_len);
		fputc('\n', f);
	}
	if (res->has & SWAUTH_VERIFY_HAS_EMBEDDED_DIGEST) {
		verify_print_hex_block(f, "Embedded Hash   SHA2: ", res->embedded_digest,
				       res->embedded_digest_len);
		fputc('\n', f);
	}
	if (sha256) {
		verify_print_hex_block(f, "File Hash       SHA2: ", sha256, 32);
		fputc('\n', f);
	}
	if (md5)
		verify_print_cco(f, md5);
	if (res->verdict == SWAUTH_VERDICT_OK) {
		fprintf(f, "Digital signature successfully verified in file %s\n", path);
	} else {
		swauth_verdict_describe(res, msg, sizeof(msg));
		fprintf(f, "%%Error: digital signature verification failed in file %s: %s\n",
			path, msg);
	}
	fprintf(f, "Verified by: %s\n", verified_by);
}

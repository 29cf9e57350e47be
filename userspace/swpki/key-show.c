// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki show key mypubkey rsa|ec [LABEL]: IOS `show crypto key mypubkey
 * rsa` (FEATURES E1.7), in the seeds' layout or as JSON.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "swpki/subcommands.h"

static void show_key_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s show %s mypubkey rsa|ec [LABEL] [--json]\n\n"
		"The public keys of the store's RSA (or EC) key pairs, or of LABEL's.\n",
		PROG_NAME, subcmd);
}

/* "Key Data:" and DER in the seeds' layout: 4-byte groups, 8 a line (E1.7). */
void key_data_print(const unsigned char *der, size_t len)
{
	size_t i;

	printf("Key Data:\n");
	for (i = 0; i < len; i++)
		printf("%s%02X%s", i % 32 == 0 ? " " : "", der[i],
		       i % 32 == 31 || i == len - 1 ? "\n" : i % 4 == 3 ? " " : "");
}

static void print_key(const struct swpki_key_info *k, const char *token)
{
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct tm tm;

	gmtime_r(&k->generated, &tm);
	printf("%% Key pair was generated at: %02d:%02d:%02d UTC %s %d %d\n", tm.tm_hour,
	       tm.tm_min, tm.tm_sec, months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900);
	printf("Key name: %s\nUsage: %s\n", k->label, swpki_key_usage_text(k->usage));
	if (k->encrypted)
		printf("*** The key is protected and %s. ***\n", k->locked ? "LOCKED" : "UNLOCKED");
	printf("Key is %sexportable.\n", k->exportable ? "" : "not ");
	if (token)
		printf("Key is on token %s.\n", token);
	key_data_print(k->spki, k->spki_len);
}

static void json_key(struct swauth_json *j, const struct swpki_key_info *k, const char *token)
{
	char hex[2 * SWPKI_SPKI_MAX + 1];
	size_t i;

	for (i = 0; i < k->spki_len; i++)
		snprintf(hex + 2 * i, 3, "%02x", k->spki[i]);
	hex[2 * k->spki_len] = '\0';
	swauth_json_object_begin(j, NULL);
	swauth_json_string(j, "label", k->label);
	swauth_json_string(j, "usage", swpki_key_usage_word(k->usage));
	swauth_json_string(j, "type", k->type == EVP_PKEY_RSA ? "rsa" : "ec");
	swauth_json_u64(j, "bits", k->bits);
	if (k->curve[0])
		swauth_json_string(j, "curve", k->curve);
	swauth_json_u64(j, "exportable", k->exportable);
	swauth_json_u64(j, "encrypted", k->encrypted);
	swauth_json_u64(j, "locked", k->locked);
	swauth_json_u64(j, "generated", (uint64_t)k->generated);
	swauth_json_string(j, "public_key", hex);
	if (token)
		swauth_json_string(j, "token", token);
	swauth_json_object_end(j);
}

int show_key_main(int argc, char *argv[])
{
	const char *subcmd = argv[0], *label;
	struct swauth_error err = { 0 };
	struct swpki_token_keyref *refs = NULL;
	struct swpki_key_info *v;
	struct swauth_json j;
	struct swpki_store s;
	bool json = false;
	size_t n, i, nrefs = 0, on_token = 0;
	int a, ret, type;

	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--json")) {
			json = true;
			memmove(argv + a, argv + a + 1, (size_t)(argc - a - 1) * sizeof(*argv));
			argc--;
			a--;
		} else if (!strcmp(argv[a], "-h") || !strcmp(argv[a], "--help")) {
			show_key_usage(stdout, subcmd);
			return CLI_EXIT_OK;
		}
	}
	if (argc < 3 || argc > 4 || strcmp(argv[1], "mypubkey") ||
	    key_type_word(subcmd, argv[2], &type)) {
		show_key_usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	label = argc == 4 ? argv[3] : NULL;
	if (label && swpki_key_label_check(label, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), false, &err);
	if (!ret)
		ret = swpki_key_list(&s, label, &v, &n, &err);
	if (!ret && (ret = swpki_token_keyref_list(&s, &refs, &nrefs, &err)))
		free(v);
	swpki_store_close(&s);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	for (i = 0; label && i < nrefs; i++)
		on_token += !strcmp(refs[i].info.label, label);
	if (label && !n && !on_token) {
		free(refs);
		free(v);
		cli_msg(subcmd, "no key pair labelled %s", label);
		return CLI_EXIT_SYSTEM;
	}
	if (json) {
		swauth_json_init(&j, stdout);
		swauth_json_array_begin(&j, NULL);
	}
	for (i = 0; i < n; i++) {
		if (v[i].type != type)
			continue;
		if (json)
			json_key(&j, &v[i], NULL);
		else
			print_key(&v[i], NULL);
	}
	for (i = 0; i < nrefs; i++) {
		if (refs[i].info.type != type || (label && strcmp(label, refs[i].info.label)))
			continue;
		if (json)
			json_key(&j, &refs[i].info, refs[i].token);
		else
			print_key(&refs[i].info, refs[i].token);
	}
	free(refs);
	free(v);
	if (json) {
		swauth_json_array_end(&j);
		if (swauth_json_finish(&j)) {
			cli_msg(subcmd, "writing to standard output failed");
			return CLI_EXIT_SYSTEM;
		}
	}
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

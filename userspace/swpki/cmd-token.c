// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki token: PKCS#11 tokens (IOS `crypto pki token`, E18) and the key
 * pairs made on them; swpki show token.
 */

#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "swpki/subcommands.h"

#define SUBCMD "token"

static void usage(FILE *f)
{
	fprintf(f, "Usage: %s token list\n", PROG_NAME);
	fprintf(f, "       %s token NAME login --pin-file FILE\n", PROG_NAME);
	fprintf(f, "       %s token NAME logout\n", PROG_NAME);
	fprintf(f, "       %s token NAME change-pin [--pin-file OLD] --new-pin-file NEW\n",
		PROG_NAME);
	fprintf(f, "       %s token NAME max-retries N\n", PROG_NAME);
	fprintf(f, "       %s token NAME removal-timeout SECONDS\n", PROG_NAME);
	fprintf(f, "       %s token NAME generate rsa|ec --label LABEL [--modulus BITS]\n",
		PROG_NAME);
	fprintf(f, "       %s token NAME zeroize --label LABEL\n", PROG_NAME);
	fprintf(f, "       %s token NAME request --label LABEL --subject 'CN=..,O=..'\n\n",
		PROG_NAME);
	fprintf(f, "NAME is the token's PKCS#11 label. A PIN is read from a file of root's\n");
	fprintf(f, "(mode 0600) or, with FILE '-', asked on the terminal; never from the\n");
	fprintf(f, "command line. RSA keys on a token are %d to %d bits.\n",
		SWPKI_TOKEN_RSA_MIN, SWPKI_TOKEN_RSA_MAX);
}

static void usage_sub(FILE *f, const char *subcmd)
{
	(void)subcmd;
	usage(f);
}

struct token_args {
	const char *pin_file;
	const char *new_pin_file;
	const char *label;
	const char *subject;
	unsigned long modulus;
	int nargs;			/* operands after the verb */
	char **args;
};

static bool parse_number(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return s[0] >= '0' && s[0] <= '9' && !*end && !errno && *out <= max;
}

/* The verb's options. A PIN on the command line is refused by name. */
static int parse(int argc, char *argv[], struct token_args *a)
{
	static const struct option options[] = {
		{ "pin-file", required_argument, NULL, 'p' },
		{ "new-pin-file", required_argument, NULL, 'n' },
		{ "label", required_argument, NULL, 'l' },
		{ "modulus", required_argument, NULL, 'm' },
		{ "subject", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const pins[] = { "--pin", "--new-pin" };
	size_t j, len;
	int i, opt;

	for (i = 1; i < argc; i++) {
		for (j = 0; j < sizeof(pins) / sizeof(pins[0]); j++) {
			len = strlen(pins[j]);
			if (strncmp(argv[i], pins[j], len) || !strncmp(argv[i] + len, "-file", 5))
				continue;
			cli_msg(SUBCMD, "%s: a PIN is never taken on the command line (anyone may read it with ps): %s-file FILE",
				pins[j], pins[j]);
			return CLI_EXIT_USAGE;
		}
	}
	memset(a, 0, sizeof(*a));
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
		switch (opt) {
		case 'p':
			a->pin_file = optarg;
			break;
		case 'n':
			a->new_pin_file = optarg;
			break;
		case 'l':
			a->label = optarg;
			break;
		case 's':
			a->subject = optarg;
			break;
		case 'm':
			if (!parse_number(optarg, 65536, &a->modulus)) {
				cli_msg(SUBCMD, "--modulus '%s': a number of bits", optarg);
				return CLI_EXIT_USAGE;
			}
			break;
		default:
			return cli_help_or_bad_option(SUBCMD, argc, argv, opt, usage_sub) ==
			       CLI_EXIT_OK ? -1 : CLI_EXIT_USAGE;
		}
	}
	a->nargs = argc - optind;
	a->args = argv + optind;
	return 0;
}

static int open_store(struct swpki_store *s, struct swauth_error *err)
{
	return swpki_store_open(s, swpki_store_path(swpki_dir), false, err);
}

/* A slot's text as the token gives it, escaped for the terminal (a token's own words). */
struct shown_slot {
	char description[4 * 65], label[4 * (SWPKI_TOKEN_NAME_MAX + 1)];
	char manufacturer[4 * 33], model[4 * 17], serial[4 * 17];
};

static void shown_slot(struct shown_slot *v, const struct swpki_token_slot *s)
{
	swauth_escape(v->description, sizeof(v->description), s->description, SIZE_MAX);
	swauth_escape(v->label, sizeof(v->label), s->label, SIZE_MAX);
	swauth_escape(v->manufacturer, sizeof(v->manufacturer), s->manufacturer, SIZE_MAX);
	swauth_escape(v->model, sizeof(v->model), s->model, SIZE_MAX);
	swauth_escape(v->serial, sizeof(v->serial), s->serial, SIZE_MAX);
}

static int token_list(int argc)
{
	struct swauth_error err = { 0 };
	struct swpki_token_slot *slots;
	struct shown_slot v;
	char module[PATH_MAX];
	struct swpki_store s;
	size_t i, n;
	int ret;

	if (argc > 2) {
		cli_msg(SUBCMD, "list takes no argument");
		return CLI_EXIT_USAGE;
	}
	ret = open_store(&s, &err);
	if (!ret)
		ret = swpki_token_slots(&s, &slots, &n, module, sizeof(module), &err);
	if (ret) {
		swpki_store_close(&s);
		return cli_fail(SUBCMD, ret, &err);
	}
	printf("PKCS#11 module %s: %zu slot%s\n", module, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		shown_slot(&v, &slots[i]);
		if (!slots[i].present) {
			printf("Slot 0x%lx (%s): no token\n", slots[i].id, v.description);
			continue;
		}
		if (!slots[i].initialized) {
			printf("Slot 0x%lx (%s): an uninitialised token\n", slots[i].id,
			       v.description);
			continue;
		}
		printf("Slot 0x%lx (%s): token %s, %s %s, serial %s%s\n", slots[i].id,
		       v.description, v.label, v.manufacturer, v.model, v.serial,
		       slots[i].user_pin_locked ? ", user PIN locked" : "");
	}
	free(slots);
	swpki_store_close(&s);
	return cli_stdout_done(SUBCMD, CLI_EXIT_OK);
}

/* max-retries N, removal-timeout S: kept in the store; max-retries resets the count. */
static int token_set(struct swpki_store *s, const char *name, const char *verb,
		     const struct token_args *a, struct swauth_error *err)
{
	struct swpki_token_state st;
	unsigned long v;
	int ret;

	if (a->nargs != 1 || !parse_number(a->args[0], SWPKI_TOKEN_SETTING_MAX, &v) ||
	    (!strcmp(verb, "max-retries") && !v)) {
		cli_msg(SUBCMD, "%s: one number, please%s", verb,
			strcmp(verb, "max-retries") ? "" : " (1 or more)");
		return CLI_EXIT_USAGE;
	}
	ret = swpki_token_state_get(s, name, &st, err);
	if (ret)
		return cli_fail(SUBCMD, ret, err);
	if (!strcmp(verb, "max-retries")) {
		st.max_retries = (unsigned int)v;
		st.failed_logins = 0;
	} else {
		st.removal_timeout = (unsigned int)v;
	}
	ret = swpki_token_state_set(s, name, &st, err);
	if (ret)
		return cli_fail(SUBCMD, ret, err);
	if (!strcmp(verb, "max-retries"))
		printf("Token %s: max-retries %lu, failed login count reset\n", name, v);
	else
		printf("Token %s: removal timeout %lu\n", name, v);
	return CLI_EXIT_OK;
}

static int read_pin(const char *file, const char *opt, char *pin, size_t len)
{
	if (!file) {
		cli_msg(SUBCMD, "%s FILE is needed", opt);
		return CLI_EXIT_USAGE;
	}
	return cli_read_password(SUBCMD, file, pin, len);
}

static int token_login(struct swpki_token *t, const char *name, const struct token_args *a,
		       struct swauth_error *err)
{
	char pin[SWPKI_TOKEN_PIN_MAX + 2];
	int ret;

	ret = read_pin(a->pin_file, "--pin-file", pin, sizeof(pin));
	if (ret)
		return ret;
	ret = swpki_token_login(t, pin, err);
	if (!ret)
		ret = swpki_token_remember_pin(t, pin, err);
	OPENSSL_cleanse(pin, sizeof(pin));
	if (ret)
		return cli_fail(SUBCMD, ret, err);
	printf("Token login to %s successful\n", name);
	printf("%%CRYPTO-6-TOKENLOGIN: Cryptographic Token %s Login Successful\n", name);
	return CLI_EXIT_OK;
}

static int token_change_pin(struct swpki_token *t, const char *name, const struct token_args *a,
			    struct swauth_error *err)
{
	char old[SWPKI_TOKEN_PIN_MAX + 2], new[SWPKI_TOKEN_PIN_MAX + 2];
	int ret;

	ret = read_pin(a->new_pin_file, "--new-pin-file", new, sizeof(new));
	if (!ret && a->pin_file)
		ret = read_pin(a->pin_file, "--pin-file", old, sizeof(old));
	if (!ret) {
		ret = swpki_token_change_pin(t, a->pin_file ? old : NULL, new, err);
		if (ret)
			ret = cli_fail(SUBCMD, ret, err);
		else
			printf("Token %s: user PIN changed\n", name);
	}
	OPENSSL_cleanse(old, sizeof(old));
	OPENSSL_cleanse(new, sizeof(new));
	return ret;
}

static int token_generate(struct swpki_token *t, const char *name, const struct token_args *a,
			  struct swauth_error *err)
{
	enum swpki_token_alg alg;
	unsigned int bits;
	int ret;

	if (a->nargs != 1 || (strcmp(a->args[0], "rsa") && strcmp(a->args[0], "ec"))) {
		cli_msg(SUBCMD, "generate: rsa or ec, please");
		return CLI_EXIT_USAGE;
	}
	if (!a->label) {
		cli_msg(SUBCMD, "generate: --label LABEL is needed");
		return CLI_EXIT_USAGE;
	}
	alg = strcmp(a->args[0], "rsa") ? SWPKI_TOKEN_EC_P256 : SWPKI_TOKEN_RSA;
	if (alg == SWPKI_TOKEN_EC_P256 && a->modulus) {
		cli_msg(SUBCMD, "generate ec: --modulus is for RSA keys (EC keys on a token are P-256)");
		return CLI_EXIT_USAGE;
	}
	bits = alg == SWPKI_TOKEN_RSA ? (a->modulus ? (unsigned int)a->modulus : 2048) : 256;
	ret = swpki_token_generate(t, alg, bits, a->label, err);
	if (ret)
		return cli_fail(SUBCMD, ret, err);
	if (alg == SWPKI_TOKEN_RSA)
		printf("The name for the keys will be: %s\n%% The key modulus size is %u bits\n",
		       a->label, bits);
	else
		printf("The name for the keys will be: %s\n%% The EC key is P-256\n", a->label);
	printf("%%CRYPTO-6-TOKENSTOREKEY: Key %s stored on Cryptographic Token %s Successfully\n",
	       a->label, name);
	return CLI_EXIT_OK;
}

/* A PKCS#10 request (lib/pki/request.c) signed on the token with key @label, PEM on stdout. */
static int token_request(struct swpki_store *s, const char *name, const struct token_args *a,
			 struct swauth_error *err)
{
	struct swpki_req_params p = { .subject = a->subject, .key = SWPKI_REQ_GENERAL };
	struct swpki_token *t = NULL;
	X509_REQ *req = NULL;
	EVP_PKEY *pkey = NULL;
	int ret;

	if (!a->label || !a->subject) {
		cli_msg(SUBCMD, "request: --label LABEL and --subject 'CN=..' are needed");
		return CLI_EXIT_USAGE;
	}
	ret = swpki_token_key_load(s, name, a->label, &t, &pkey, err);
	if (ret)
		return cli_fail(SUBCMD, ret, err);
	ret = swpki_token_check(t, err);
	if (!ret && (ret = swpki_req_build(pkey, &p, &req, err)) && swpki_token_check(t, err))
		ret = err->code;
	if (!ret && !PEM_write_X509_REQ(stdout, req))
		ret = swauth_error_set(err, -EIO, "standard output: the request was not written");
	X509_REQ_free(req);
	EVP_PKEY_free(pkey);
	swpki_token_close(t);
	return ret ? cli_fail(SUBCMD, ret, err) : CLI_EXIT_OK;
}

static int token_verb(struct swpki_store *s, const char *name, const char *verb,
		      const struct token_args *a, struct swauth_error *err)
{
	struct swpki_token *t;
	int ret;

	if (!strcmp(verb, "logout")) {
		ret = swpki_token_logout(s, name, err);
		if (ret)
			return cli_fail(SUBCMD, ret, err);
		printf("Token %s logged out\n", name);
		return CLI_EXIT_OK;
	}
	ret = swpki_token_open(&t, s, name, err);
	if (ret)
		return cli_fail(SUBCMD, ret, err);
	if (!strcmp(verb, "login"))
		ret = token_login(t, name, a, err);
	else if (!strcmp(verb, "change-pin"))
		ret = token_change_pin(t, name, a, err);
	else if (!strcmp(verb, "generate"))
		ret = token_generate(t, name, a, err);
	else if (!a->label)
		ret = (cli_msg(SUBCMD, "zeroize: --label LABEL is needed"), CLI_EXIT_USAGE);
	else if ((ret = swpki_token_zeroize(t, a->label, err)))
		ret = cli_fail(SUBCMD, ret, err);
	else
		printf("Key %s removed from token %s\n", a->label, name);
	swpki_token_close(t);
	return ret;
}

int token_main(int argc, char *argv[])
{
	static const char *const verbs[] = {
		"login", "logout", "change-pin", "max-retries", "removal-timeout", "generate",
		"zeroize", "request",
	};
	struct swauth_error err = { 0 };
	struct token_args a;
	struct swpki_store s;
	const char *name, *verb;
	size_t i;
	int ret;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		usage(stdout);
		return CLI_EXIT_OK;
	}
	if (argc >= 2 && !strcmp(argv[1], "list"))
		return token_list(argc);
	if (argc < 3) {
		usage(stderr);
		return CLI_EXIT_USAGE;
	}
	name = argv[1];
	verb = argv[2];
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]) && strcmp(verb, verbs[i]); i++)
		;
	if (i == sizeof(verbs) / sizeof(verbs[0])) {
		cli_msg(SUBCMD, "%s: not a token command (login, logout, change-pin, max-retries, removal-timeout, generate, zeroize, request)",
			verb);
		return CLI_EXIT_USAGE;
	}
	ret = parse(argc - 2, argv + 2, &a);
	if (ret)
		return ret < 0 ? CLI_EXIT_OK : ret;
	if (a.nargs && strcmp(verb, "max-retries") && strcmp(verb, "removal-timeout") &&
	    strcmp(verb, "generate")) {
		cli_msg(SUBCMD, "%s: unexpected '%s'", verb, a.args[0]);
		return CLI_EXIT_USAGE;
	}
	ret = open_store(&s, &err);
	if (ret)
		return cli_fail(SUBCMD, ret, &err);
	if (!strcmp(verb, "max-retries") || !strcmp(verb, "removal-timeout"))
		ret = token_set(&s, name, verb, &a, &err);
	else if (!strcmp(verb, "request"))
		ret = token_request(&s, name, &a, &err);
	else
		ret = token_verb(&s, name, verb, &a, &err);
	swpki_store_close(&s);
	return ret == CLI_EXIT_OK ? cli_stdout_done(SUBCMD, ret) : ret;
}

/* The seeds' Key Data layout (key-show.c). */
static void print_key_data(EVP_PKEY *pub)
{
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(pub, &der);

	key_data_print(der, len > 0 ? (size_t)len : 0);
	OPENSSL_free(der);
}

static void show_one(struct swpki_store *s, const struct swpki_token_slot *slot)
{
	char label[4 * (SWPKI_TOKEN_LABEL_MAX + 1)];
	struct swauth_error err = { 0 };
	struct shown_slot v;
	struct swpki_token_key *keys;
	struct swpki_token_state st;
	struct swpki_token *t;
	size_t i, n;

	shown_slot(&v, slot);
	printf("Token %s is slot 0x%lx (%s %s, serial %s)\n", v.label, slot->id,
	       v.manufacturer, v.model, v.serial);
	if (!swpki_token_state_get(s, slot->label, &st, &err))
		printf(" Failed logins: %u of max-retries %u\n Removal timeout: %u\n",
		       st.failed_logins, st.max_retries, st.removal_timeout);
	if (swpki_token_open(&t, s, slot->label, &err) ||
	    swpki_token_keys(t, &keys, &n, &err)) {
		printf(" Keys: %s\n", err.msg);
		swpki_token_close(t);
		return;
	}
	for (i = 0; i < n; i++) {
		printf("Key name: %s\n", swauth_escape(label, sizeof(label), keys[i].label, SIZE_MAX));
		printf(" Storage: token %s\n", v.label);
		if (keys[i].alg == SWPKI_TOKEN_RSA)
			printf("Usage: General Purpose Key (RSA, %u bits)\n", keys[i].bits);
		else
			printf("Usage: General Purpose Key (ECDSA P-256)\n");
		if (!keys[i].has_private)
			printf("Private key not seen (not logged in).\n");
		else if (keys[i].extractable || !keys[i].sensitive)
			printf("Key is exportable.\n");
		else
			printf("Key is not exportable.\n");
		if (keys[i].pub)
			print_key_data(keys[i].pub);
	}
	swpki_token_keys_free(keys, n);
	swpki_token_close(t);
}

/* swpki show token [NAME]: the module's tokens, swpki's state of each, their keys. */
int show_token_main(int argc, char *argv[])
{
	struct swauth_error err = { 0 };
	struct swpki_token_slot *slots;
	char module[PATH_MAX];
	struct swpki_store s;
	size_t i, n, shown = 0;
	int ret;

	if (argc > 2) {
		cli_msg("show token", "takes one token's name at most: '%s'", argv[2]);
		return CLI_EXIT_USAGE;
	}
	ret = open_store(&s, &err);
	if (!ret)
		ret = swpki_token_slots(&s, &slots, &n, module, sizeof(module), &err);
	if (ret) {
		swpki_store_close(&s);
		return cli_fail("show token", ret, &err);
	}
	printf("PKCS#11 module: %s\n", module);
	for (i = 0; i < n; i++) {
		if (!slots[i].initialized || (argc == 2 && strcmp(argv[1], slots[i].label)))
			continue;
		show_one(&s, &slots[i]);
		shown++;
	}
	free(slots);
	swpki_store_close(&s);
	if (argc == 2 && !shown) {
		cli_msg("show token", "no token labelled %s (`swpki token list`)", argv[1]);
		return CLI_EXIT_SYSTEM;
	}
	return cli_stdout_done("show token", CLI_EXIT_OK);
}

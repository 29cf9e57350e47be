// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki key: IOS `crypto key` (FEATURES E1-E3): generate, zeroize,
 * encrypt, decrypt, lock, unlock here; export and import in key-pem.c.
 */

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "swpki/subcommands.h"

static const struct cli_subcmd keys[] = {
	{ "generate", key_generate_main, "Generate an RSA or EC key pair (or usage keys)" },
	{ "zeroize", key_zeroize_main, "Remove one label's key pairs, or all" },
	{ "export", key_export_main, "Export an exportable key pair as PEM" },
	{ "import", key_import_main, "Import a key pair from PEM" },
	{ "encrypt", key_crypt_main, "Encrypt a key pair with a passphrase (stays unlocked)" },
	{ "decrypt", key_crypt_main, "Store an encrypted key pair unencrypted again" },
	{ "lock", key_crypt_main, "Make an encrypted key pair unusable until unlocked" },
	{ "unlock", key_crypt_main, "Make an encrypted key pair usable until locked or reboot" },
};

int key_main(int argc, char *argv[])
{
	return swpki_dispatch("<cmd> rsa|ec [<args>]", keys, sizeof(keys) / sizeof(keys[0]), argc,
			      argv);
}

/**
 * key_type_word() - the rsa|ec operand
 * @subcmd: for the message
 * @word: what was typed, or NULL
 * @type: receives EVP_PKEY_RSA or EVP_PKEY_EC
 *
 * Return: 0, or CLI_EXIT_USAGE after a message.
 */
int key_type_word(const char *subcmd, const char *word, int *type)
{
	if (word && !strcmp(word, "rsa"))
		*type = EVP_PKEY_RSA;
	else if (word && !strcmp(word, "ec"))
		*type = EVP_PKEY_EC;
	else {
		cli_msg(subcmd, "rsa or ec expected%s%s", word ? ", not " : "", word ? word : "");
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/**
 * key_label() - --label, else the host's FQDN (E1.1)
 * @subcmd: for the message
 * @opt: --label's value, or NULL
 * @label: receives it (SWPKI_LABEL_MAX + 1 bytes)
 *
 * Return: 0, or CLI_EXIT_USAGE after a message.
 */
int key_label(const char *subcmd, const char *opt, char *label)
{
	struct swauth_error err = { 0 };

	if (opt) {
		if (swpki_key_label_check(opt, &err)) {
			cli_msg(subcmd, "%s", err.msg);
			return CLI_EXIT_USAGE;
		}
		strcpy(label, opt);
		return 0;
	}
	if (swpki_key_default_label(label, SWPKI_LABEL_MAX + 1, &err)) {
		cli_msg(subcmd, "no default label: %s (give --label)", err.msg);
		return CLI_EXIT_USAGE;
	}
	return 0;
}

/**
 * key_passphrase() - --passphrase-file FILE, or the terminal ("-")
 * @subcmd: for the message
 * @file: the file, or NULL or "-": a prompt without echo
 * @pass: receives it (SWPKI_PASSPHRASE_MAX + 2 bytes)
 * @check: a new passphrase: swpki_passphrase_check() it (E1.12)
 *
 * Return: 0, or CLI_EXIT_USAGE after a message.
 */
int key_passphrase(const char *subcmd, const char *file, char *pass, bool check)
{
	struct swauth_error err = { 0 };
	int ret;

	if (!file && !isatty(STDIN_FILENO)) {
		cli_msg(subcmd, "no terminal to ask the passphrase on: give --passphrase-file FILE");
		return CLI_EXIT_USAGE;
	}
	ret = cli_read_password(subcmd, file ? file : "-", pass, SWPKI_PASSPHRASE_MAX + 2);
	if (!ret && check && swpki_passphrase_check(pass, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		ret = CLI_EXIT_USAGE;
	}
	if (ret)
		OPENSSL_cleanse(pass, SWPKI_PASSPHRASE_MAX + 2);
	return ret;
}

/*
 * The rsa|ec word against the label's pairs: a readable pair of the other
 * type is not this command's (false after a message). A pair that cannot
 * be read is left to the command, which names the file.
 */
bool key_type_matches(const char *subcmd, struct swpki_store *s, const char *label, int type)
{
	struct swauth_error err = { 0 };
	struct swpki_key_info info;

	if (swpki_key_info(s, label, SWPKI_KEY_SIGNATURE, &info, &err) || info.type == type)
		return true;
	cli_msg(subcmd, "key %s is %s key, not %s one", label,
		info.type == EVP_PKEY_RSA ? "an RSA" : "an EC",
		type == EVP_PKEY_RSA ? "an RSA" : "an EC");
	return false;
}

/* A label already used: ask (E1.2's "Do you really want to replace them?"). */
bool key_replace_ok(const char *subcmd, struct swpki_store *s, const char *label, bool yes)
{
	if (!swpki_key_exists(s, label))
		return true;
	printf("%% You already have keys defined named %s.\n", label);
	return cli_confirm(subcmd, stdout, "% Do you really want to replace them? [yes/no]: ",
			   CLI_ASK_YES_NO, yes);
}

static void generate_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s key %s rsa [--label L] [--modulus N] [--usage-keys] [--exportable] [--yes]\n"
		"       %s key %s ec [--label L] [--keysize 256|384] [--exportable] [--yes]\n"
		"       %s key %s rsa|ec --on TOKEN [--label L] [--modulus N]\n\n"
		"Generate a key pair named L (default: the host's fully qualified name):\n"
		"RSA of N bits (%d to %d, default %d), or ECDSA on P-256 or P-384.\n\n"
		"  --usage-keys   a signature and an encryption pair instead of one\n"
		"  --exportable   the pairs may be exported (never settable later)\n"
		"  --on TOKEN     generate the pair on PKCS#11 token TOKEN (`%s token TOKEN\n"
		"                 login` first): RSA of %d to %d bits or P-256, never exportable;\n"
		"                 a trustpoint's rsakeypair or eckeypair L then uses it\n"
		"  -y, --yes      replace an existing label without asking\n",
		PROG_NAME, subcmd, PROG_NAME, subcmd, PROG_NAME, subcmd, SWPKI_RSA_BITS_MIN,
		SWPKI_RSA_BITS_MAX, SWPKI_RSA_BITS_DEFAULT, PROG_NAME, SWPKI_TOKEN_RSA_MIN,
		SWPKI_TOKEN_RSA_MAX);
}

static int parse_uint(const char *subcmd, const char *what, const char *s, unsigned int *v)
{
	char *end;
	unsigned long n;

	n = strtoul(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || n > 65536) {
		cli_msg(subcmd, "%s: a number expected, not '%s'", what, s);
		return CLI_EXIT_USAGE;
	}
	*v = (unsigned int)n;
	return 0;
}

/* E1.1 `on`: the seeds' lines, then the pair made on @token. */
static int generate_on_token(const char *subcmd, struct swpki_store *s, const char *token,
			     const char *label, int type, unsigned int bits)
{
	struct swauth_error err = { 0 };
	int ret;

	if (type == EVP_PKEY_RSA)
		printf("%% The key modulus size is %u bits\n"
		       "%% Generating %u bit RSA keys, keys will be on-token, non-exportable...",
		       bits, bits);
	else
		printf("%% The key size is %u bits (P-%u)\n"
		       "%% Generating %u bit EC keys, keys will be on-token, non-exportable...",
		       bits, bits, bits);
	fflush(stdout);
	ret = swpki_key_generate_on_token(s, token, label, type, bits, &err);
	swpki_store_close(s);
	if (ret) {
		printf("[FAILED]\n");
		return cli_fail(subcmd, ret, &err);
	}
	printf("[OK]\n%%CRYPTO-6-TOKENSTOREKEY: Key %s stored on Cryptographic Token %s Successfully\n",
	       label, token);
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

int key_generate_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "label", required_argument, NULL, 'l' },
		{ "modulus", required_argument, NULL, 'm' },
		{ "keysize", required_argument, NULL, 'k' },
		{ "usage-keys", no_argument, NULL, 'u' },
		{ "exportable", no_argument, NULL, 'e' },
		{ "yes", no_argument, NULL, 'y' },
		{ "on", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0], *label_opt = NULL, *token = NULL;
	char label[SWPKI_LABEL_MAX + 1];
	struct swauth_error err = { 0 };
	bool usage_keys = false, exportable = false, yes = false, bits_set = false;
	unsigned int bits = 0;
	struct swpki_store s;
	int opt, ret, type;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:m:k:uehyo:", options, NULL)) != -1) {
		switch (opt) {
		case 'o':
			token = optarg;
			break;
		case 'l':
			label_opt = optarg;
			break;
		case 'm':
		case 'k':
			if (parse_uint(subcmd, opt == 'm' ? "--modulus" : "--keysize", optarg,
				       &bits))
				return CLI_EXIT_USAGE;
			bits_set = true;
			break;
		case 'u':
			usage_keys = true;
			break;
		case 'e':
			exportable = true;
			break;
		case 'y':
			yes = true;
			break;
		default:
			return cli_help_or_bad_option(subcmd, argc, argv, opt, generate_usage);
		}
	}
	if (optind + 1 != argc || key_type_word(subcmd, argv[optind], &type)) {
		generate_usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (type == EVP_PKEY_EC && usage_keys) {
		cli_msg(subcmd, "--usage-keys is for RSA keys");
		return CLI_EXIT_USAGE;
	}
	if (token && (usage_keys || exportable || yes)) {
		cli_msg(subcmd, "--on TOKEN: %s", usage_keys ? "one general-purpose pair, no --usage-keys" :
			exportable ? "keys on a token are never exportable" :
			"a label in use is refused, never replaced (--yes)");
		return CLI_EXIT_USAGE;
	}
	if (!bits_set)
		bits = type == EVP_PKEY_RSA ? SWPKI_RSA_BITS_DEFAULT : 256;
	if (key_label(subcmd, label_opt, label))
		return CLI_EXIT_USAGE;
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), true, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	printf("The name for the keys will be: %s\n", label);
	if (token)
		return generate_on_token(subcmd, &s, token, label, type, bits);
	if (!key_replace_ok(subcmd, &s, label, yes)) {
		swpki_store_close(&s);
		return CLI_EXIT_USAGE;
	}
	if (type == EVP_PKEY_RSA)
		printf("%% The key modulus size is %u bits\n"
		       "%% Generating %u bit RSA keys, keys will be %s...", bits, bits,
		       exportable ? "exportable" : "non-exportable");
	else
		printf("%% The key size is %u bits (P-%u)\n"
		       "%% Generating %u bit EC keys, keys will be %s...", bits, bits, bits,
		       exportable ? "exportable" : "non-exportable");
	fflush(stdout);
	ret = swpki_key_generate(&s, label, type, bits, usage_keys, exportable, &err);
	swpki_store_close(&s);
	if (ret) {
		printf("[FAILED]\n");
		return cli_fail(subcmd, ret, &err);
	}
	printf("[OK]\n");
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

static void zeroize_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s key %s rsa|ec [LABEL] [--yes]\n\n"
		"Remove the key pairs named LABEL, or without LABEL all RSA (or EC) key pairs.\n\n"
		"  -y, --yes      do not ask\n",
		PROG_NAME, subcmd);
}

/* Every label holding a pair of @type; a file that cannot be read stops it. */
static int zeroize_type(const char *subcmd, struct swpki_store *s, int type)
{
	struct swauth_error err = { 0 };
	struct swpki_key_info *v;
	size_t n, i;
	int ret;

	ret = swpki_key_list(s, NULL, &v, &n, &err);
	if (ret) {
		cli_msg(subcmd, "%s (remove it by its label)", err.msg);
		return CLI_EXIT_SYSTEM;
	}
	for (i = 0; !ret && i < n; i++) {
		if (v[i].type == type && (!i || strcmp(v[i].label, v[i - 1].label)))
			ret = swpki_key_zeroize(s, v[i].label, &err);
	}
	free(v);
	return ret ? cli_fail(subcmd, ret, &err) : CLI_EXIT_OK;
}

int key_zeroize_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0], *label;
	struct swauth_error err = { 0 };
	struct swpki_store s;
	bool yes = false;
	int opt, ret, type;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":yh", options, NULL)) != -1) {
		if (opt != 'y')
			return cli_help_or_bad_option(subcmd, argc, argv, opt, zeroize_usage);
		yes = true;
	}
	if (optind >= argc || argc - optind > 2 || key_type_word(subcmd, argv[optind], &type)) {
		zeroize_usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	label = argv[optind + 1];
	if (label && swpki_key_label_check(label, &err)) {
		cli_msg(subcmd, "%s", err.msg);
		return CLI_EXIT_USAGE;
	}
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), false, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	if (label && !key_type_matches(subcmd, &s, label, type)) {
		swpki_store_close(&s);
		return CLI_EXIT_USAGE;
	}
	if (label)
		printf("%% Keys to be removed are named %s.\n", label);
	else
		printf("%% All %s keys will be removed.\n", type == EVP_PKEY_RSA ? "RSA" : "EC");
	printf("%% All router certs issued using these keys will also be removed.\n");
	if (!cli_confirm(subcmd, stdout, "Do you really want to remove these keys? [yes/no]: ",
			 CLI_ASK_YES_NO, yes)) {
		swpki_store_close(&s);
		return CLI_EXIT_USAGE;
	}
	if (label) {
		ret = swpki_key_zeroize_on_token(&s, label, &err);
		if (ret == -ENOENT)
			ret = swpki_key_zeroize(&s, label, &err);
		ret = ret ? cli_fail(subcmd, ret, &err) : CLI_EXIT_OK;
	} else {
		ret = zeroize_type(subcmd, &s, type);
	}
	swpki_store_close(&s);
	return ret;
}

static void crypt_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s key %s%s rsa|ec [--label L] [--passphrase-file FILE]\n\n",
		PROG_NAME, subcmd, strcmp(subcmd, "encrypt") && strcmp(subcmd, "decrypt") ? "" :
		" [--write]");
	if (!strcmp(subcmd, "encrypt"))
		fprintf(f, "Encrypt the key pairs named L on disk (PKCS#8, AES-256-CBC, scrypt);\n"
			"they stay usable (unlocked) until locked or until the next reboot.\n"
			"The passphrase has at least %d characters and no '?'.\n",
			SWPKI_PASSPHRASE_MIN);
	else if (!strcmp(subcmd, "decrypt"))
		fprintf(f, "Store the encrypted key pairs named L unencrypted again.\n");
	else if (!strcmp(subcmd, "lock"))
		fprintf(f, "Make the encrypted key pairs named L unusable until unlocked.\n");
	else
		fprintf(f, "Make the encrypted key pairs named L usable until locked or\n"
			"until the next reboot (the key is kept in the kernel's keyring).\n");
	fprintf(f, "\n  --label L                the pairs (default: the host's FQDN)\n"
		"  --passphrase-file FILE   read the passphrase from FILE (mode 0600);\n"
		"                           default: ask on the terminal\n");
	if (!strcmp(subcmd, "encrypt") || !strcmp(subcmd, "decrypt"))
		fprintf(f, "  --write                  accepted for IOS's `write`: the store is\n"
			"                           always written at once\n");
}

int key_crypt_main(int argc, char *argv[])
{
	static const struct option options[] = {
		{ "label", required_argument, NULL, 'l' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "write", no_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0], *label_opt = NULL, *pfile = NULL;
	char label[SWPKI_LABEL_MAX + 1], pass[SWPKI_PASSPHRASE_MAX + 2];
	bool write_ok = !strcmp(subcmd, "encrypt") || !strcmp(subcmd, "decrypt");
	struct swauth_error err = { 0 };
	struct swpki_store s;
	int opt, ret, type;

	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":l:p:wh", options, NULL)) != -1) {
		switch (opt) {
		case 'l':
			label_opt = optarg;
			break;
		case 'p':
			pfile = optarg;
			break;
		case 'w':
			if (write_ok)
				break;
			/* fall through */
		default:
			return cli_help_or_bad_option(subcmd, argc, argv, opt == 'w' ? '?' : opt,
						      crypt_usage);
		}
	}
	if (optind + 1 != argc || key_type_word(subcmd, argv[optind], &type)) {
		crypt_usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	if (key_label(subcmd, label_opt, label))
		return CLI_EXIT_USAGE;
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), false, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = key_type_matches(subcmd, &s, label, type) ? 0 : CLI_EXIT_USAGE;
	if (!ret)
		ret = key_passphrase(subcmd, pfile, pass, !strcmp(subcmd, "encrypt"));
	if (ret) {
		swpki_store_close(&s);
		return ret;
	}
	if (!strcmp(subcmd, "encrypt"))
		ret = swpki_key_encrypt(&s, label, pass, &err);
	else if (!strcmp(subcmd, "decrypt"))
		ret = swpki_key_decrypt(&s, label, pass, &err);
	else if (!strcmp(subcmd, "lock"))
		ret = swpki_key_lock(&s, label, pass, &err);
	else
		ret = swpki_key_unlock(&s, label, pass, &err);
	OPENSSL_cleanse(pass, sizeof(pass));
	swpki_store_close(&s);
	return ret ? cli_fail(subcmd, ret, &err) : CLI_EXIT_OK;
}

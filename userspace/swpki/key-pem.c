// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki key export|import: IOS `crypto key export|import rsa LABEL pem`
 * (FEATURES E2.3-E2.5). The files are BASE.pub and BASE.prv, for usage
 * keys BASE-sign.* and BASE-encr.*; BASE is a path, flash:NAME and its
 * kin, or a URL of the transfer library (tftp, ftp, http(s), scp), or the
 * terminal.
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "lib/fs.h"
#include "lib/xfer.h"
#include "swpki/subcommands.h"

enum { PEM_FILE_MAX = 64 * 1024 };

const char *const pem_suffixes[] = {
	[SWPKI_KEY_GENERAL] = "",
	[SWPKI_KEY_SIGNATURE] = "-sign",
	[SWPKI_KEY_ENCRYPTION] = "-encr",
};

/* free() what may hold a private key, wiped first. */
void pem_wipe_free(char *buf, size_t len)
{
	OPENSSL_cleanse(buf, len);
	free(buf);
}

struct pem_opts {
	const char *url;		/* BASE, or NULL: --terminal */
	const char *pfile;
	enum swpki_cipher cipher;
	bool usage_keys, exportable, yes;
	int type;
	const char *label;
};

/* @data to @url: a file through the safe write (@mode), else an upload. */
int pem_put(const char *subcmd, const char *url, const void *data, size_t len, mode_t mode)
{
	struct swauth_error err = { 0 };
	struct swauth_url u;
	char path[PATH_MAX];
	int ret;

	ret = swauth_url_parse(url, &u, &err);
	if (!ret && u.scheme == SWAUTH_URL_FILE) {
		if (cli_resolve_file(subcmd, url, path, sizeof(path)))
			return CLI_EXIT_USAGE;
		ret = swauth_safewrite_path(path, data, len, mode, 0, &err);
	} else if (!ret) {
		ret = swauth_url_send(url, NULL, data, len, &err);
	}
	return ret ? cli_fail(subcmd, ret, &err) : 0;
}

/* @url's bytes, NUL-terminated, in *data; pem_wipe_free() it. */
int pem_get(const char *subcmd, const char *url, char **data, size_t *len)
{
	struct swauth_error err = { 0 };
	int ret;

	ret = swauth_url_fetch(url, NULL, PEM_FILE_MAX, (unsigned char **)data, len, &err);
	return ret ? cli_fail(subcmd, ret, &err) : 0;
}

/* --cipher aes|3des: 0, or CLI_EXIT_USAGE after a message. */
int pem_cipher(const char *subcmd, const char *word, enum swpki_cipher *cipher)
{
	if (strcmp(word, "aes") && strcmp(word, "3des")) {
		cli_msg(subcmd, "--cipher: aes or 3des, not '%s'", word);
		return CLI_EXIT_USAGE;
	}
	*cipher = strcmp(word, "aes") ? SWPKI_CIPHER_3DES : SWPKI_CIPHER_AES;
	return 0;
}

/* Return: -1 to go on, else the exit code (after --help, or a message). */
static int parse_pem_opts(int argc, char *argv[], struct pem_opts *p, bool import,
			  void (*usage)(FILE *f, const char *subcmd))
{
	static const struct option options[] = {
		{ "url", required_argument, NULL, 'u' },
		{ "terminal", no_argument, NULL, 't' },
		{ "cipher", required_argument, NULL, 'c' },
		{ "passphrase-file", required_argument, NULL, 'p' },
		{ "usage-keys", no_argument, NULL, 'k' },
		{ "exportable", no_argument, NULL, 'e' },
		{ "yes", no_argument, NULL, 'y' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *subcmd = argv[0];
	bool terminal = false;
	int opt;

	memset(p, 0, sizeof(*p));
	p->cipher = SWPKI_CIPHER_AES;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, ":u:tc:p:keyh", options, NULL)) != -1) {
		if ((import && opt == 'c') || (!import && strchr("key", opt)))
			opt = '?';
		switch (opt) {
		case 'u':
			p->url = optarg;
			break;
		case 't':
			terminal = true;
			break;
		case 'c':
			if (pem_cipher(subcmd, optarg, &p->cipher))
				return CLI_EXIT_USAGE;
			break;
		case 'p':
			p->pfile = optarg;
			break;
		case 'k':
			p->usage_keys = true;
			break;
		case 'e':
			p->exportable = true;
			break;
		case 'y':
			p->yes = true;
			break;
		default:
			return cli_help_or_bad_option(subcmd, argc, argv, opt, usage);
		}
	}
	if (argc - optind != 3 || key_type_word(subcmd, argv[optind], &p->type) ||
	    strcmp(argv[optind + 2], "pem") || terminal == !!p->url) {
		if (argc - optind == 3 && terminal == !!p->url)
			cli_msg(subcmd, "one of --url and --terminal");
		usage(stderr, subcmd);
		return CLI_EXIT_USAGE;
	}
	p->label = argv[optind + 1];
	return -1;
}

static void export_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s key %s rsa|ec LABEL pem --url BASE|--terminal [--cipher aes|3des]\n"
		"       [--passphrase-file FILE]\n\n"
		"Export the exportable key pairs named LABEL: the public key to BASE.pub, the\n"
		"private key encrypted with the passphrase to BASE.prv (usage keys: BASE-sign.*\n"
		"and BASE-encr.*). BASE is a path, flash:NAME, or a tftp, ftp, http(s) or scp URL.\n\n"
		"  --cipher aes    PKCS#8, AES-256-CBC (the default)\n"
		"  --cipher 3des   traditional PEM, DEK-Info: DES-EDE3-CBC\n"
		"  --passphrase-file FILE   the passphrase (at least %d characters, no '?');\n"
		"                           default: ask on the terminal\n",
		PROG_NAME, subcmd, SWPKI_PASSPHRASE_MIN);
}

static int export_pair(const char *subcmd, struct swpki_store *s, const struct pem_opts *p,
		       enum swpki_key_usage usage, const char *pass)
{
	struct swauth_error err = { 0 };
	char name[PATH_MAX + 16], shown[PATH_MAX + 16];
	char *pub, *prv;
	int ret;

	ret = swpki_key_export_pem(s, p->label, usage, p->cipher, pass, &pub, &prv, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	printf("%% Key name: %s\nUsage: %s\n", p->label, swpki_key_usage_text(usage));
	if (!p->url) {
		printf("%s%s", pub, prv);
	} else {
		snprintf(name, sizeof(name), "%s%s.pub", p->url, pem_suffixes[usage]);
		printf("Exporting public key...\nWriting file to %s\n",
		       swauth_url_redact(name, shown, sizeof(shown)));
		ret = pem_put(subcmd, name, pub, strlen(pub), 0644);
		snprintf(name, sizeof(name), "%s%s.prv", p->url, pem_suffixes[usage]);
		if (!ret)
			printf("Exporting private key...\nWriting file to %s\n",
			       swauth_url_redact(name, shown, sizeof(shown)));
		if (!ret)
			ret = pem_put(subcmd, name, prv, strlen(prv), 0600);
	}
	free(pub);
	pem_wipe_free(prv, strlen(prv));
	return ret;
}

int key_export_main(int argc, char *argv[])
{
	const char *subcmd = argv[0];
	char pass[SWPKI_PASSPHRASE_MAX + 2], label[SWPKI_LABEL_MAX + 1];
	struct swauth_error err = { 0 };
	struct swpki_key_info *v;
	struct pem_opts p;
	struct swpki_store s;
	size_t n, i;
	int ret;

	ret = parse_pem_opts(argc, argv, &p, false, export_usage);
	if (ret >= 0)
		return ret;
	if (key_label(subcmd, p.label, label))
		return CLI_EXIT_USAGE;
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), false, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	ret = swpki_key_list(&s, p.label, &v, &n, &err);
	if (ret) {
		swpki_store_close(&s);
		return cli_fail(subcmd, ret, &err);
	}
	if (!n) {
		cli_msg(subcmd, "no key pair labelled %s", p.label);
		ret = CLI_EXIT_USAGE;
	} else if (!key_type_matches(subcmd, &s, p.label, p.type)) {
		ret = CLI_EXIT_USAGE;
	}
	if (!ret)
		ret = key_passphrase(subcmd, p.pfile, pass, true);
	for (i = 0; !ret && i < n; i++)
		ret = export_pair(subcmd, &s, &p, v[i].usage, pass);
	OPENSSL_cleanse(pass, sizeof(pass));
	free(v);
	swpki_store_close(&s);
	return ret ? ret : cli_stdout_done(subcmd, CLI_EXIT_OK);
}

static void import_usage(FILE *f, const char *subcmd)
{
	fprintf(f,
		"Usage: %s key %s rsa|ec LABEL pem [--usage-keys] [--exportable] --url BASE|--terminal\n"
		"       [--passphrase-file FILE] [--yes]\n\n"
		"Import a key pair as LABEL from BASE.pub and BASE.prv (usage keys: BASE-sign.*\n"
		"and BASE-encr.*), or pasted on the terminal. The private key is decrypted with\n"
		"the passphrase; nothing is stored unless it decrypts and matches the public key.\n\n"
		"  --exportable   the pair may be exported again (never settable later)\n"
		"  --usage-keys   import a signature and an encryption pair\n"
		"  -y, --yes      replace an existing label without asking\n",
		PROG_NAME, subcmd);
}

/* A PEM block pasted on the terminal, up to a blank line or "quit". */
char *pem_read_terminal(const char *what, bool blank_ends)
{
	char line[1024], *buf = calloc(1, PEM_FILE_MAX + 1);
	size_t len = 0, l;

	if (!buf)
		return NULL;
	printf("%% Enter PEM-formatted %s.\n%% End with %s\"quit\" on a line by itself.\n", what,
	       blank_ends ? "a blank line or " : "");
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		if (!strcmp(line, "quit\n") || (blank_ends && !strcmp(line, "\n") && len))
			break;
		l = strlen(line);
		if (len + l > PEM_FILE_MAX)
			break;
		memcpy(buf + len, line, l);
		len += l;
	}
	OPENSSL_cleanse(line, sizeof(line));
	return buf;
}

/* One pair's PEM files read and decoded: its private key in *pkey. */
static int read_pair(const char *subcmd, const struct pem_opts *p, enum swpki_key_usage usage,
		     const char *pass, EVP_PKEY **pkey)
{
	static const char *const words[] = { "", " SIGNATURE", " ENCRYPTION" };
	char name[PATH_MAX + 16], shown[PATH_MAX + 16], what[64];
	struct swauth_error err = { 0 };
	char *pub = NULL, *prv = NULL;
	size_t pub_len = 0, prv_len = 0;
	int ret = 0;

	if (p->url) {
		snprintf(name, sizeof(name), "%s%s.pub", p->url, pem_suffixes[usage]);
		printf("%% Importing public%s key or certificate PEM file...\nReading file from %s\n",
		       words[usage], swauth_url_redact(name, shown, sizeof(shown)));
		ret = pem_get(subcmd, name, &pub, &pub_len);
		snprintf(name, sizeof(name), "%s%s.prv", p->url, pem_suffixes[usage]);
		if (!ret)
			printf("%% Importing private%s key PEM file...\nReading file from %s\n",
			       words[usage], swauth_url_redact(name, shown, sizeof(shown)));
		if (!ret)
			ret = pem_get(subcmd, name, &prv, &prv_len);
	} else {
		snprintf(what, sizeof(what), "%spublic key or certificate", words[usage] + !!usage);
		pub = pem_read_terminal(what, true);
		snprintf(what, sizeof(what), "encrypted private%s key", words[usage]);
		prv = pub ? pem_read_terminal(what, false) : NULL;
		if (!prv)
			ret = cli_fail(subcmd, -ENOMEM, &err);
		else {
			pub_len = strlen(pub);
			prv_len = strlen(prv);
		}
	}
	if (!ret) {
		ret = swpki_key_decode_pem(pub, pub_len, prv, prv_len, pass, pkey, &err);
		if (ret)
			ret = cli_fail(subcmd, ret, &err);
	}
	free(pub);
	if (prv)
		pem_wipe_free(prv, prv_len);
	return ret;
}

int key_import_main(int argc, char *argv[])
{
	const char *subcmd = argv[0];
	char pass[SWPKI_PASSPHRASE_MAX + 2], label[SWPKI_LABEL_MAX + 1];
	static const enum swpki_key_usage general[] = { SWPKI_KEY_GENERAL };
	static const enum swpki_key_usage usage_keys[] = { SWPKI_KEY_SIGNATURE,
							    SWPKI_KEY_ENCRYPTION };
	const enum swpki_key_usage *usages;
	EVP_PKEY *pkey[2] = { NULL, NULL };
	struct swauth_error err = { 0 };
	struct pem_opts p;
	struct swpki_store s;
	int ret, i, n;

	ret = parse_pem_opts(argc, argv, &p, true, import_usage);
	if (ret >= 0)
		return ret;
	if (key_label(subcmd, p.label, label))
		return CLI_EXIT_USAGE;
	usages = p.usage_keys ? usage_keys : general;
	n = p.usage_keys ? 2 : 1;
	ret = swpki_store_open(&s, swpki_store_path(swpki_dir), true, &err);
	if (ret)
		return cli_fail(subcmd, ret, &err);
	if (!key_replace_ok(subcmd, &s, p.label, p.yes))
		ret = CLI_EXIT_USAGE;
	if (!ret)
		ret = key_passphrase(subcmd, p.pfile, pass, false);
	/* Every pair read and checked before the first is stored. */
	for (i = 0; !ret && i < n; i++)
		ret = read_pair(subcmd, &p, usages[i], pass, &pkey[i]);
	OPENSSL_cleanse(pass, sizeof(pass));
	for (i = 0; !ret && i < n; i++) {
		ret = swpki_key_store(&s, p.label, usages[i], pkey[i], p.exportable, &err);
		if (ret)
			ret = cli_fail(subcmd, ret, &err);
	}
	EVP_PKEY_free(pkey[0]);
	EVP_PKEY_free(pkey[1]);
	swpki_store_close(&s);
	if (ret)
		return ret;
	printf("%% Key pair import succeeded.\n");
	return cli_stdout_done(subcmd, CLI_EXIT_OK);
}

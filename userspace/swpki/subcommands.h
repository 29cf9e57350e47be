/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki's subcommands. Each is called with its own name in argv[0] and
 * returns an exit code (enum cli_exit); the store's path is swpki_dir.
 */

#ifndef SWPKI_SUBCOMMANDS_H
#define SWPKI_SUBCOMMANDS_H

#include <sys/types.h>

#include "lib/cli.h"
#include "lib/pki.h"

/* --dir DIR, or NULL: swpki_store_path() chooses. */
extern const char *swpki_dir;

/* A group's table of second words (dispatch.c). */
int swpki_dispatch(const char *synopsis, const struct cli_subcmd *cmds, size_t n, int argc,
		   char *argv[]);
int swpki_join_words(const char *subcmd, int argc, char *argv[], int first, char *line,
		     size_t size);

int show_main(int argc, char *argv[]);
int key_main(int argc, char *argv[]);
/* Trustpoints and certificates (cmd-trustpoint.c, cmd-authenticate.c). */
int trustpoint_main(int argc, char *argv[]);
int authenticate_main(int argc, char *argv[]);
int import_main(int argc, char *argv[]);
int enroll_main(int argc, char *argv[]);	/* cmd-enroll.c */
int certificate_main(int argc, char *argv[]);
/* `swpki token ...` (cmd-token.c) */
int token_main(int argc, char *argv[]);

/* `swpki show WORD...`: one entry per thing shown (cmd-show.c). */
int show_storage_main(int argc, char *argv[]);
int show_key_main(int argc, char *argv[]);	/* key-show.c */
void key_data_print(const unsigned char *der, size_t len);
int show_trustpoints_main(int argc, char *argv[]);
int show_certificates_main(int argc, char *argv[]);
int show_timers_main(int argc, char *argv[]);
int show_token_main(int argc, char *argv[]);

/* `swpki key WORD...` (cmd-key.c; export and import in key-pem.c). */
int key_generate_main(int argc, char *argv[]);
int key_zeroize_main(int argc, char *argv[]);
int key_crypt_main(int argc, char *argv[]);
int key_export_main(int argc, char *argv[]);
int key_import_main(int argc, char *argv[]);
int key_type_word(const char *subcmd, const char *word, int *type);
int key_label(const char *subcmd, const char *opt, char *label);
int key_passphrase(const char *subcmd, const char *file, char *pass, bool check);
bool key_type_matches(const char *subcmd, struct swpki_store *s, const char *label, int type);
bool key_replace_ok(const char *subcmd, struct swpki_store *s, const char *label, bool yes);
/* key-pem.c's PEM files, also for a trustpoint's (cmd-export.c) */
extern const char *const pem_suffixes[];	/* "", "-sign", "-encr" by key usage */
int pem_put(const char *subcmd, const char *url, const void *data, size_t len, mode_t mode);
int pem_get(const char *subcmd, const char *url, char **data, size_t *len);
char *pem_read_terminal(const char *what, bool blank_ends);
void pem_wipe_free(char *buf, size_t len);
int pem_cipher(const char *subcmd, const char *word, enum swpki_cipher *cipher);

/* `swpki profile LABEL ...`, authentication by a profile (cmd-profile.c) */
int profile_main(int argc, char *argv[]);
int profile_authenticate(const char *subcmd, const char *name, bool yes);

/* `swpki export|import TP pkcs12|pem` (cmd-export.c) */
int export_main(int argc, char *argv[]);
int tp_import_main(int argc, char *argv[]);

#endif /* SWPKI_SUBCOMMANDS_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * swpki's subcommands. Each is called with its own name in argv[0] and
 * returns an exit code (enum cli_exit); the store's path is swpki_dir.
 */

#ifndef SWPKI_SUBCOMMANDS_H
#define SWPKI_SUBCOMMANDS_H

#include "lib/cli.h"
#include "lib/pki.h"

/* --dir DIR, or NULL: swpki_store_path() chooses. */
extern const char *swpki_dir;

int show_main(int argc, char *argv[]);
/* Trustpoints and certificates (cmd-trustpoint.c, cmd-authenticate.c). */
int trustpoint_main(int argc, char *argv[]);
int authenticate_main(int argc, char *argv[]);
int import_main(int argc, char *argv[]);
int certificate_main(int argc, char *argv[]);
/* `swpki token ...` (cmd-token.c) */
int token_main(int argc, char *argv[]);

/* `swpki show WORD...`: one entry per thing shown (cmd-show.c). */
int show_storage_main(int argc, char *argv[]);
int show_trustpoints_main(int argc, char *argv[]);
int show_certificates_main(int argc, char *argv[]);
int show_timers_main(int argc, char *argv[]);
int show_token_main(int argc, char *argv[]);

#endif /* SWPKI_SUBCOMMANDS_H */

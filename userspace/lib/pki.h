/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The PKI client (swpki, swpkid): the store of keys, trustpoints and
 * certificates, and what reads and writes it. OpenSSL 3 throughout.
 */

#ifndef SWAUTH_LIB_PKI_H
#define SWAUTH_LIB_PKI_H

#include <limits.h>
#include <stdbool.h>

#include "lib/core.h"

/*
 * The store (pki/store.c): one directory, root's alone (0700, owned by the
 * caller or root, nobody else may write it), holding
 *
 *   keys/          the key pairs (pki/keystore.c)
 *   trustpoints/   one NAME.conf per trustpoint (pki/trustpoint.c)
 *   certs/         the certificates, NAME#SERIAL[CA].cer, unless the
 *                  store's configuration names another local directory
 *                  (pki/certstore.c)
 *
 * Its path is --dir, else the environment's SWPKI_DIR, else SWPKI_DIR
 * below. Opening never creates DIR itself: a store that is missing (a disk
 * not mounted) is an error, never an empty store. swpki_store_open() with
 * @create makes DIR's missing subdirectories, and DIR when its parent
 * exists.
 */
#define SWPKI_DIR "/var/lib/swauth/pki"

struct swpki_store {
	int dir_fd;			/* DIR, O_DIRECTORY; -1 when closed */
	int keys_fd;			/* DIR/keys */
	int tp_fd;			/* DIR/trustpoints */
	int certs_fd;			/* DIR/certs */
	char path[PATH_MAX];		/* DIR, for messages */
};

const char *swpki_store_path(const char *opt);
int swpki_store_open(struct swpki_store *s, const char *path, bool create,
		     struct swauth_error *err);
void swpki_store_close(struct swpki_store *s);

#endif /* SWAUTH_LIB_PKI_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Writes the seed corpus of keystore_fuzz: valid key stores built with
 * kmod/keystore.c (with correct CRCs, which random mutation alone would
 * almost never produce). Usage: keystore_seeds DIR [CERT.der...]; each
 * certificate given becomes a production key of the next version in one
 * more seed.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kmod/keystore.h"

static unsigned char file[SWAUTH_STORE_MAX_SIZE];
static unsigned char certs[8][SWAUTH_CERT_MAX];

static int write_seed(const char *dir, const char *name, const struct swauth_store *st)
{
	size_t size = swauth_store_size(st);
	char path[4096];
	FILE *f;

	if (swauth_store_build(st, file, sizeof(file)))
		return -1;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(file, 1, size, f) != size || fclose(f)) {
		perror(path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct swauth_store st = { .sequence = 1 };
	int i, ret = 0;
	FILE *f;

	if (argc < 2 || argc - 2 > 8) {
		fprintf(stderr, "Usage: %s DIR [CERT.der...] (at most 8)\n", argv[0]);
		return 2;
	}
	ret |= write_seed(argv[1], "empty", &st);

	st.sequence = 9;
	st.floors[SWAUTH_KEY_PRODUCTION] = 'B';
	st.floors[SWAUTH_KEY_SPECIAL] = 'C';
	ret |= write_seed(argv[1], "floors", &st);

	/* Short made-up certificates: the store does not parse them. */
	memset(certs[0], 0x30, 16);
	st.keys[0] = (struct swauth_store_key){ SWAUTH_KEY_PRODUCTION, 'B', 16, certs[0] };
	st.keys[1] = (struct swauth_store_key){ SWAUTH_KEY_PRODUCTION, 'D', 3, certs[0] };
	st.keys[2] = (struct swauth_store_key){ SWAUTH_KEY_SPECIAL, 'C', 1, certs[0] };
	st.keys[3] = (struct swauth_store_key){ SWAUTH_KEY_SPECIAL, 'Z', 7, certs[0] };
	st.nkeys = 4;
	ret |= write_seed(argv[1], "keys", &st);

	memset(&st, 0, sizeof(st));
	st.sequence = 2;
	for (i = 2; i < argc; i++) {
		size_t n;

		f = fopen(argv[i], "rb");
		if (!f) {
			perror(argv[i]);
			return 1;
		}
		n = fread(certs[i - 2], 1, SWAUTH_CERT_MAX, f);
		fclose(f);
		st.keys[st.nkeys] = (struct swauth_store_key){
			SWAUTH_KEY_PRODUCTION, (__u8)('A' + i - 2), (__u16)n, certs[i - 2]
		};
		st.nkeys++;
	}
	if (st.nkeys)
		ret |= write_seed(argv[1], "dev-certs", &st);
	return ret ? 1 : 0;
}

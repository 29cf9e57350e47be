// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * libFuzzer target for the key-store parser and builder (kmod/keystore.c),
 * which read the key storage files in the kernel at every load. Besides
 * memory safety (ASan, UBSan), it checks the format's promises: a file
 * that parses is rebuilt byte for byte from what was parsed, every parsed
 * key obeys the rules (sorted, above its floor, inside the file), the
 * header-only parse agrees with the full one, and the sequence and floors
 * stay valid when the body is rejected. Built by `make fuzz` into
 * build/fuzz/keystore_fuzz; the seed corpus (build/fuzz/corpus/keystore/)
 * comes from selftests/fuzz/keystore_seeds.c.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kmod/keystore.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_header_agrees(const struct swauth_store *full, int ret,
				const uint8_t *data, size_t size)
{
	struct swauth_store hdr;
	int hret = swauth_store_parse_header(data, size, &hdr);

	CHECK(hret >= 0 && hret <= SWAUTH_STORE_E_BAD_HEADER);
	CHECK(hdr.nkeys == 0);
	if (hret) {
		/* Whatever the header check rejects, the full parse does too. */
		CHECK(ret == hret);
		CHECK(!hdr.sequence && !full->sequence);
		CHECK(!memcmp(hdr.floors, full->floors, sizeof(hdr.floors)));
		return;
	}
	/* Past a valid header, the full parse keeps its sequence and floors. */
	CHECK(ret == SWAUTH_STORE_E_OK || ret == SWAUTH_STORE_E_TRUNCATED ||
	      ret > SWAUTH_STORE_E_BAD_HEADER);
	CHECK(hdr.sequence >= 1 && hdr.sequence == full->sequence);
	CHECK(!memcmp(hdr.floors, full->floors, sizeof(hdr.floors)));
	if (ret)
		CHECK(full->nkeys == 0);
}

static void check_one(const uint8_t *data, size_t size)
{
	static struct swauth_store st, again;
	const struct swauth_store_key *k;
	uint8_t *out;
	unsigned int i;
	int ret;

	ret = swauth_store_parse(data, size, &st);
	CHECK(ret >= 0 && ret <= SWAUTH_STORE_E_MAX);
	CHECK(swauth_store_strerror(ret)[0]);
	check_header_agrees(&st, ret, data, size);
	if (ret)
		return;

	CHECK(size >= SWAUTH_STORE_HEADER_SIZE && size <= SWAUTH_STORE_MAX_SIZE);
	CHECK(st.nkeys <= SWAUTH_STORE_MAX_KEYS);
	for (i = 0; i < st.nkeys; i++) {
		k = &st.keys[i];
		CHECK(k->type == SWAUTH_KEY_PRODUCTION || k->type == SWAUTH_KEY_SPECIAL);
		CHECK(k->version >= 'A' && k->version <= 'Z');
		CHECK(k->version >= st.floors[k->type]);
		CHECK(k->cert_len >= 1 && k->cert_len <= SWAUTH_CERT_MAX);
		CHECK(k->cert >= data + SWAUTH_STORE_HEADER_SIZE &&
		      k->cert + k->cert_len <= data + size);
		CHECK(swauth_store_find(&st, k->type, k->version) == (int)i);
		if (i)
			CHECK(k->type > k[-1].type ||
			      (k->type == k[-1].type && k->version > k[-1].version));
	}

	/* What parsed is rebuilt byte for byte, and parses the same again. */
	CHECK(swauth_store_size(&st) == size);
	out = malloc(size);
	CHECK(out);
	CHECK(swauth_store_build(&st, out, size - 1) == -ENOSPC);
	CHECK(swauth_store_build(&st, out, size) == 0);
	CHECK(!memcmp(out, data, size));
	CHECK(swauth_store_parse(out, size, &again) == SWAUTH_STORE_E_OK);
	CHECK(again.sequence == st.sequence && again.nkeys == st.nkeys);
	free(out);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * Each input twice: as it is, and with its CRCs made right. Mutations
 * almost never keep a CRC valid, so without the second pass the records
 * would hardly ever be parsed.
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t body_size;
	uint8_t *copy;

	check_one(data, size);
	if (size < SWAUTH_STORE_HEADER_SIZE)
		return 0;
	copy = malloc(size);
	CHECK(copy);
	memcpy(copy, data, size);
	body_size = (uint32_t)copy[28] | (uint32_t)copy[29] << 8 |
		    (uint32_t)copy[30] << 16 | (uint32_t)copy[31] << 24;
	if (body_size <= size - SWAUTH_STORE_HEADER_SIZE)
		put_le32(copy + 32, swauth_store_crc32(0, copy + SWAUTH_STORE_HEADER_SIZE,
						       body_size));
	put_le32(copy + 12, 0);
	put_le32(copy + 12, swauth_store_crc32(0, copy, SWAUTH_STORE_HEADER_SIZE));
	check_one(copy, size);
	free(copy);
	return 0;
}

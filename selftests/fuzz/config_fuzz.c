// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * libFuzzer target for the swauth.conf parser (userspace/lib/config/
 * config.c), which root's tools read at every start. Besides memory safety
 * (ASan, UBSan), it checks the parser's promises: every setting it returns
 * is terminated inside its field and of its kind (an absolute path, a
 * digest of 64, 96 or 128 lower-case hex digits, a name), a failure names
 * the file and the line, and the settings written back as "keyword value"
 * lines parse to the same configuration. Built by `make fuzz` into
 * build/fuzz/config_fuzz; the seeds (build/fuzz/corpus/config/) are
 * configuration files as the tools and the tests write them.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/config.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum kind { PATH, DIGEST, WORD };

static const struct {
	const char *name;
	size_t offset, size;
	enum kind kind;
} fields[] = {
#define F(kw, field, kind) { kw, offsetof(struct swauth_config, field), \
			     sizeof(((struct swauth_config *)0)->field), kind }
	F("boot-image", boot_image, PATH),
	F("bootloader-image", bootloader_image, PATH),
	F("flash-dir", flash_dir, PATH),
	F("flash0-dir", flash0_dir, PATH),
	F("flash1-dir", flash1_dir, PATH),
	F("usbflash0-dir", usbflash0_dir, PATH),
	F("usbflash1-dir", usbflash1_dir, PATH),
	F("nvram-dir", nvram_dir, PATH),
	F("boot-dir", boot_dir, PATH),
	F("state-dir", state_dir, PATH),
	F("run-dir", run_dir, PATH),
	F("boot-image-digest", boot_image_digest, DIGEST),
	F("bootloader-image-digest", bootloader_image_digest, DIGEST),
	F("bootloader-image-key", bootloader_image_key, WORD),
	F("platform", platform, WORD),
#undef F
};

static bool of_kind(const char *v, enum kind kind)
{
	size_t n;

	switch (kind) {
	case PATH:
		return v[0] == '/' && !strpbrk(v, " \t\r\n#");
	case DIGEST:
		n = strspn(v, "0123456789abcdef");
		return !v[n] && (n == 64 || n == 96 || n == 128);
	default:
		n = strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");
		return v[0] && !v[n];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct swauth_config cfg, again;
	static char text[64 * 1024 + 1], written[sizeof(cfg) + 1024];
	struct swauth_error err = { 0 };
	size_t i, used = 0;
	int ret;

	/* swauth_config_load() refuses NUL bytes and files over 64 KiB. */
	if (size >= sizeof(text) || memchr(data, '\0', size))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	ret = swauth_config_parse(text, "swauth.conf", &cfg, &err);
	if (ret) {
		CHECK(ret == -EINVAL || ret == -ENAMETOOLONG);
		CHECK(err.code == ret && !strncmp(err.msg, "swauth.conf:", 12));
		CHECK(memchr(err.msg, '\0', sizeof(err.msg)));
		return 0;
	}

	/* Every setting is of its kind, and written back it parses the same. */
	written[0] = '\0';
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		const char *v = (const char *)&cfg + fields[i].offset;

		CHECK(memchr(v, '\0', fields[i].size));
		if (!v[0])
			continue;
		CHECK(of_kind(v, fields[i].kind));
		used += (size_t)snprintf(written + used, sizeof(written) - used, "%s %s\n",
					 fields[i].name, v);
		CHECK(used < sizeof(written));
	}
	CHECK(swauth_config_parse(written, "swauth.conf", &again, &err) == 0);
	CHECK(!memcmp(&cfg, &again, sizeof(cfg)));
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * libFuzzer target for the swcopy.conf parser (userspace/swcopy/conf.c),
 * which holds the FTP credentials and the transfer defaults. Besides
 * memory safety (ASan, UBSan), it checks the parser's promises: the words
 * are terminated inside their fields and hold no blank or '#', the numbers
 * are inside the ranges swcopy(8) gives, a failure names the file and the
 * line, and the settings written back parse to the same configuration.
 * Built by `make fuzz` into build/fuzz/swcopy_conf_fuzz; the seeds
 * (build/fuzz/corpus/swcopy_conf/) are files as `swcopy config` writes them.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "swcopy/conf.h"

#define CHECK(cond) do { if (!(cond)) __builtin_trap(); } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool word_ok(const char *w, size_t size)
{
	return memchr(w, '\0', size) && !strpbrk(w, " \t\r\n#");
}

/* 0 (not set) or inside [min, max]. */
static bool in_range(unsigned int v, unsigned int min, unsigned int max)
{
	return !v || (v >= min && v <= max);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const prompts[] = { "alert", "noisy", "quiet" };
	static char text[16384], written[1024];
	static struct swcopy_conf c, again;
	const struct {
		const char *name, *value;
	} words[] = {
		{ "ftp-username", c.ftp_username }, { "ftp-password", c.ftp_password },
	};
	const struct {
		const char *name;
		const unsigned int *value;
	} numbers[] = {
		{ "tftp-blksize", &c.tftp_blksize }, { "tftp-windowsize", &c.tftp_windowsize },
		{ "timeout", &c.timeout_ms }, { "retries", &c.retries },
	};
	struct swauth_error err = { 0 };
	size_t i;
	int ret, n;

	/* swcopy_conf_load() reads at most 16383 bytes, and no NUL. */
	if (size >= sizeof(text) || memchr(data, '\0', size))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	ret = swcopy_conf_parse(text, "swcopy.conf", &c, &err);
	if (ret) {
		CHECK(ret == -EINVAL);
		CHECK(err.code == ret && !strncmp(err.msg, "swcopy.conf:", 12));
		CHECK(memchr(err.msg, '\0', sizeof(err.msg)));
		return 0;
	}
	CHECK(word_ok(c.ftp_username, sizeof(c.ftp_username)));
	CHECK(word_ok(c.ftp_password, sizeof(c.ftp_password)));
	CHECK(c.file_prompt <= SWCOPY_PROMPT_QUIET);
	CHECK(in_range(c.tftp_blksize, 8, 65464) && in_range(c.tftp_windowsize, 1, 65535));
	CHECK(in_range(c.timeout_ms, 100, 600000) && in_range(c.retries, 1, 100));

	/* Written back, the settings parse the same. */
	n = snprintf(written, sizeof(written), "file-prompt %s\n", prompts[c.file_prompt]);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].value[0])
			n += snprintf(written + n, sizeof(written) - (size_t)n, "%s %s\n",
				      words[i].name, words[i].value);
	for (i = 0; i < sizeof(numbers) / sizeof(numbers[0]); i++)
		if (*numbers[i].value)
			n += snprintf(written + n, sizeof(written) - (size_t)n, "%s %u\n",
				      numbers[i].name, *numbers[i].value);
	CHECK((size_t)n < sizeof(written));
	CHECK(swcopy_conf_parse(written, "swcopy.conf", &again, &err) == 0);
	CHECK(!memcmp(&c, &again, sizeof(c)));
	return 0;
}

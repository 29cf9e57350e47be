/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * The CLI tests' plumbing: whole files in and out, and the swauth tool run
 * as a subprocess with its own swauth.conf, its output captured.
 */

#ifndef SWAUTH_TEST_CLIRUN_H
#define SWAUTH_TEST_CLIRUN_H

#include <stdbool.h>
#include <stddef.h>

int clirun_write_file(const char *path, const void *buf, size_t len);
char *clirun_read_file(const char *path, size_t *len);
bool clirun_holds(const char *path, const char *text);
int clirun_run(const char *dir, const char *tool, const char *conf, const char *args,
	       char *out, size_t out_len, char *err, size_t err_len);
int clirun_tty(const char *tool, const char *conf, char *const argv[], const char *prompt,
	       const char *answer, char *out, size_t out_len);

#endif /* SWAUTH_TEST_CLIRUN_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * For the host tests that start servers (netns.c): a network namespace
 * of the test's own, and waiting for a server's port.
 */

#ifndef SWAUTH_SELFTESTS_NETNS_H
#define SWAUTH_SELFTESTS_NETNS_H

#include <stdbool.h>

bool netns_own(void);
bool netns_wait_port(int port);

#endif /* SWAUTH_SELFTESTS_NETNS_H */

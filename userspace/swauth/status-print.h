/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Printing a struct swauth_status for people and as JSON. Both printers use
 * the same model, so they always agree; a field the module did not report
 * prints as "unknown" and as JSON null.
 */

#ifndef SWAUTH_STATUS_PRINT_H
#define SWAUTH_STATUS_PRINT_H

#include <stdio.h>

#include "lib/netlink.h"

void status_print_human(FILE *f, const struct swauth_status *st);
int status_print_json(FILE *f, const struct swauth_status *st);

#endif /* SWAUTH_STATUS_PRINT_H */

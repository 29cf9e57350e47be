/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Copyright (C) 2026 The swauth developers.
 *
 * Loading swauth.ko on demand through libkmod.
 */

#ifndef SWAUTH_LIB_KMODLOAD_H
#define SWAUTH_LIB_KMODLOAD_H

#include "lib/error.h"

/* Names a swauth.ko to load when none is installed in modules.dep. */
#define SWAUTH_MODULE_ENV "SWAUTH_MODULE"

int swauth_kmodload(struct swauth_error *err);

#endif /* SWAUTH_LIB_KMODLOAD_H */

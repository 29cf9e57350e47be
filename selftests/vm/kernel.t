#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# One VM boot runs every kernel test against the freshly built module (a
# boot costs ~15 s under TCG, so the tests share it). The VM runner fails
# the whole file on any kernel warning, BUG or oops in the guest's log.
# Two CPUs, not vm-run's one: the race tests (threads and processes on
# one device, key or netlink socket) must really run side by side.

cd "$(dirname "$0")/../.." || exit 1
exec scripts/vm-run --smp 2 -- selftests/kernel/run-guest \
	build/tests/kernel/*_test selftests/kernel/*_test.sh

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Key storage that fails closed (Documentation/key-store.rst): a store is
# created only by store init, an unreadable one (not mounted yet, EIO, a
# FIFO, a symbolic link) refuses key changes and is never written, and
# store_dir is resolved from init's root with the module's credentials.
# One boot with a --disk; selftests/vm/store-guest.sh runs in the guest.

cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
scripts/vm-run --timeout 900 --disk "$tmp/disk" -- sh selftests/vm/store-guest.sh

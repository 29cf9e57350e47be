#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Runs each libFuzzer target (selftests/fuzz/, built by `make fuzz`) for a
# bounded number of inputs from its seed corpus, so that `make check`
# exercises the image parser with ASan and UBSan on inputs nobody wrote.
# New corpus entries go to a scratch directory; the build's corpus stays
# as made. SKIPs without clang.

set -u
cd "$(dirname "$0")/../.." || exit 1

echo "1..1"
fuzzer=build/fuzz/image_fuzz
corpus=build/fuzz/corpus/image
if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	echo "ok 1 # SKIP clang is not installed (scripts/deps installs it)"
	exit 0
fi
if [ ! -x "$fuzzer" ] || [ ! -d "$corpus" ]; then
	echo "not ok 1 - image_fuzz runs: $fuzzer or $corpus missing (run make fuzz)"
	exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$fuzzer" -runs="${FUZZ_RUNS:-1000000}" -seed=1 -max_len=4096 -max_total_time=60 \
	-artifact_prefix="$tmp/" "$tmp" "$corpus" >"$tmp/log" 2>&1
if [ $? -eq 0 ]; then
	echo "ok 1 - image_fuzz: $(grep -o 'Done [0-9]* runs' "$tmp/log" | tail -n 1)"
else
	echo "not ok 1 - image_fuzz found a failure"
	tail -n 40 "$tmp/log" | sed 's/^/# /'
	for f in "$tmp"/crash-* "$tmp"/timeout-* "$tmp"/leak-*; do
		[ -f "$f" ] && { echo "# input:"; od -A d -t x1 "$f" | head -n 20 | sed 's/^/# /'; }
	done
	exit 1
fi

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Runs each libFuzzer target (selftests/fuzz/, built by `make fuzz`) for a
# bounded number of inputs from its seed corpus, so that `make check`
# exercises the image parser and the key-store parser and builder with
# ASan and UBSan on inputs nobody wrote. New corpus entries go to a
# scratch directory; the build's corpus stays as made. SKIPs without clang.

set -u
cd "$(dirname "$0")/../.." || exit 1

# name, then the longest input worth trying
targets="image:4096 keystore:8192"

echo "1..2"
if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	echo "ok 1 # SKIP clang is not installed (scripts/deps installs it)"
	echo "ok 2 # SKIP clang is not installed (scripts/deps installs it)"
	exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
status=0
for t in $targets; do
	n=$((n + 1))
	name=${t%%:*}
	max_len=${t#*:}
	fuzzer=build/fuzz/${name}_fuzz
	corpus=build/fuzz/corpus/$name
	if [ ! -x "$fuzzer" ] || [ ! -d "$corpus" ]; then
		echo "not ok $n - ${name}_fuzz runs: $fuzzer or $corpus missing (run make fuzz)"
		status=1
		continue
	fi
	mkdir "$tmp/$name"
	"$fuzzer" -runs="${FUZZ_RUNS:-1000000}" -seed=1 -max_len="$max_len" -max_total_time=60 \
		-artifact_prefix="$tmp/$name/" "$tmp/$name" "$corpus" >"$tmp/$name.log" 2>&1
	if [ $? -eq 0 ]; then
		echo "ok $n - ${name}_fuzz: $(grep -o 'Done [0-9]* runs' "$tmp/$name.log" | tail -n 1)"
	else
		echo "not ok $n - ${name}_fuzz found a failure"
		tail -n 40 "$tmp/$name.log" | sed 's/^/# /'
		for f in "$tmp/$name"/crash-* "$tmp/$name"/timeout-* "$tmp/$name"/leak-*; do
			[ -f "$f" ] && { echo "# input:"; od -A d -t x1 "$f" | head -n 20 | sed 's/^/# /'; }
		done
		status=1
	fi
done
exit $status

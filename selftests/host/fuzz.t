#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# Runs each libFuzzer target (selftests/fuzz/, built by `make fuzz`) for a
# bounded number of inputs from its seed corpus, so that `make check`
# exercises the image parser, the key-store parser and builder, the URL
# and configuration parsers, the streaming verifier, the TFTP client and
# the checks on HTTP and FTP replies with ASan and UBSan on inputs nobody
# wrote, a few seconds each. With
# FUZZ_TIME=SECONDS (`make fuzz-long`) each runs that long instead, without
# a bound on the inputs. New corpus entries and failing inputs go to a
# scratch directory, or to $FUZZ_FOUND/<name>/ when that is set, to be
# kept; the build's corpus stays as made. SKIPs without clang.

set -u
cd "$(dirname "$0")/../.." || exit 1

# name, the longest input worth trying, and the inputs to run in `make
# check` (the streaming verifier loads its trust for every input: slow)
targets="image:4096:1000000 keystore:8192:1000000 url:4096:100000 config:8192:100000
	swcopy_conf:4096:100000 verify_stream:8192:50 tftp:8192:5000 reply:4096:50000"
count=$(echo $targets | wc -w)

echo "1..$count"
if ! command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
	for n in $(seq "$count"); do
		echo "ok $n # SKIP clang is not installed (scripts/deps installs it)"
	done
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
	runs=${max_len#*:}
	max_len=${max_len%:*}
	if [ -n "${FUZZ_TIME:-}" ]; then
		bound="-runs=-1 -seed=0 -max_total_time=$FUZZ_TIME"
	else
		bound="-runs=${FUZZ_RUNS:-$runs} -seed=1 -max_total_time=60"
	fi
	fuzzer=build/fuzz/${name}_fuzz
	corpus=build/fuzz/corpus/$name
	if [ ! -x "$fuzzer" ] || [ ! -d "$corpus" ]; then
		echo "not ok $n - ${name}_fuzz runs: $fuzzer or $corpus missing (run make fuzz)"
		status=1
		continue
	fi
	found=$tmp/$name
	[ -n "${FUZZ_FOUND:-}" ] && found=$FUZZ_FOUND/$name
	mkdir -p "$found"
	# shellcheck disable=SC2086 # $bound is three options
	"$fuzzer" $bound -max_len="$max_len" \
		-artifact_prefix="$found/" "$found" "$corpus" >"$tmp/$name.log" 2>&1
	if [ $? -eq 0 ]; then
		echo "ok $n - ${name}_fuzz: $(grep -o 'Done [0-9]* runs' "$tmp/$name.log" | tail -n 1)"
	else
		echo "not ok $n - ${name}_fuzz found a failure"
		tail -n 40 "$tmp/$name.log" | sed 's/^/# /'
		for f in "$found"/crash-* "$found"/timeout-* "$found"/leak-*; do
			[ -f "$f" ] && { echo "# input:"; od -A d -t x1 "$f" | head -n 20 | sed 's/^/# /'; }
		done
		status=1
	fi
done
exit $status

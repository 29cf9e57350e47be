# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# For the host tests written in sh: TAP lines, a temporary directory
# removed at exit (with the processes named in $pids), and run() that
# keeps a command's exit status in $rc and its output in $tmp/out and
# $tmp/err, shown by show(). The test exits with $fail.

tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
run() {
	"$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
show() { sed 's/^/# /' "$tmp/out" "$tmp/err"; }

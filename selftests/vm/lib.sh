# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# What the VM tests share, sourced by them from the top of the tree: a
# temporary directory removed on exit, the guest's console log of the
# last run in it ($SWAUTH_VM_CONSOLE, see scripts/vm-run), TAP's
# "ok N - what", and has().
#
# ok STATUS WHAT prints "ok" or "not ok"; at the first failure it shows
# $tmp/out (the guest's output, where the test keeps it), vm-run's own
# lines in $tmp/boot*, and the tail of the guest's console, as comments on
# stderr. The test ends with
# `exit $fail`.

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SWAUTH_VM_CONSOLE=$tmp/console.log
export SWAUTH_VM_CONSOLE
fail=0
n=0

ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
		return
	fi
	echo "not ok $n - $2"
	if [ $fail -eq 0 ]; then
		[ ! -f "$tmp/out" ] || sed 's/^/# /' "$tmp/out" >&2
		# What vm-run said of the boots a test keeps apart ($tmp/bootN).
		for f in "$tmp"/boot*; do
			[ ! -f "$f" ] || grep -h '^vm-run: \|^qemu: ' "$f" | sed 's/^/# /' >&2
		done
		[ ! -f "$SWAUTH_VM_CONSOLE" ] ||
			tail -n 40 "$SWAUTH_VM_CONSOLE" | sed 's/^/# console: /' >&2
	fi
	fail=1
}

# has TEXT: the guest's output in $tmp/out has TEXT, a fixed string.
has() {
	grep -qF -- "$1" "$tmp/out"
}

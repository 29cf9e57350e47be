# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# For the host tests written in sh, sourced from the repository's root:
# ok STATUS TEXT prints one TAP line (TEXT as it is: printf, not echo) and
# returns STATUS, so that `ok $? TEXT || show-why` works; the test exits with
# $fail. When $tap_diag names files, a failure shows them as comments on
# stderr, which prove shows (its stdout comments it hides, also in CI).

n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		printf 'ok %s - %s\n' "$n" "$2"
	else
		printf 'not ok %s - %s\n' "$n" "$2"
		fail=1
		[ -z "${tap_diag:-}" ] || sed 's/^/#   | /' $tap_diag >&2 2>/dev/null
	fi
	return "$1"
}

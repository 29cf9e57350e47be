#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The swauth tool against the live module, inside the VM: it loads the
# module on demand through libkmod, reports status in text and JSON, and
# switches debug categories. TAP output.

set -u
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

echo "1..8"

# Not loaded: swauth status loads it from $SWAUTH_MODULE.
rmmod swauth 2>/dev/null
out=$(swauth status 2>&1)
ok $? "status loads the module on demand"
test -d /sys/module/swauth
ok $? "module is loaded afterwards"
printf '%s\n' "$out" | sed 's/^/# /'
printf '%s\n' "$out" | grep -q 'verify-only'
ok $? "status names the mode"

json=$(swauth status --json)
printf '%s\n' "$json" | grep -q '"abi_version":1'
ok $? "status --json has abi_version"
printf '%s\n' "$json" | grep -q '"mode":"verify-only"'
ok $? "status --json has mode"

swauth debug errors key >/dev/null
test "$(cat /sys/kernel/swauth/debug)" = 0x6
ok $? "debug errors key sets the mask"
swauth undebug all >/dev/null
test "$(cat /sys/kernel/swauth/debug)" = 0x0
ok $? "undebug all clears it"

# An unprivileged user may read status but not change debugging.
setpriv --reuid=65534 --regid=65534 --clear-groups swauth debug errors >/dev/null 2>&1
test $? -eq 3 && test "$(cat /sys/kernel/swauth/debug)" = 0x0
ok $? "unprivileged debug is refused (exit 3) and changes nothing"

exit $fail

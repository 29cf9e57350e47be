#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swauth monitor prints the module's key events as they happen: a key
# added, keys revoked, the floor raised. TAP output.

set -u
img=build/tests/images
store=$(mktemp -d)
mon=$(mktemp)
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

echo "1..5"
rmmod swauth 2>/dev/null
insmod "$SWAUTH_MODULE" store_dir="$store"
swauth key store init --yes >/dev/null
swauth key provision keyrings/dev/production-A.crt >/dev/null
swauth key provision keyrings/dev/special-A.crt >/dev/null

swauth monitor >"$mon" 2>&1 &
pid=$!
sleep 1
printf 'boot-image %s/%s\n' "$PWD" "$img/prod-A-special-B.SPA" >"$store/conf"
SWAUTH_CONFIG=$store/conf swauth key add special >/dev/null
SWAUTH_CONFIG=$store/conf swauth key revoke special >/dev/null
sleep 1
kill -INT $pid
wait $pid
ok $? "monitor exits 0 on SIGINT"
sed 's/^/# /' "$mon"
grep -qx 'key added: special B' "$mon"
ok $? "key added: special B"
grep -qx 'key revoked: special A' "$mon"
ok $? "key revoked: special A"
grep -qx 'floor raised: special B' "$mon"
ok $? "floor raised: special B"
test "$(grep -c . "$mon")" -eq 3
ok $? "nothing else was printed"
rm -rf "$store" "$mon"
exit $fail

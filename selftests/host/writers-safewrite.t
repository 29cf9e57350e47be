#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The writers other than swcopy's sink (issue 13, point 1), sanitizer builds
# run as root: `swauth sign`'s output and `swauth upgrade bootloader`'s
# destination are written through lib/fs/safewrite.c. Another user (nobody,
# through setpriv) plants symbolic links in a sticky world-writable
# directory and in a directory of its own; root must never write through
# them. SIGTERM while `swauth sign` reads its payload leaves no temporary
# file. A `flash:sub/x` source whose subdirectory is a symbolic link is
# refused by swcopy, and by `swauth boot system`, `verify` and `show file`
# before anything is verified.

cd "$(dirname "$0")/../.." || exit 1
repo=$PWD
swauth=${SWAUTH:-$repo/build/tests/host/bin/swauth}
swcopy=${SWCOPY:-$repo/build/tests/host/bin/swcopy}
img=$repo/build/tests/images
keys=$repo/keyrings/dev
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
. selftests/host/tap.sh
run() {
	"$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
show() { sed 's/^/# /' "$tmp/out" "$tmp/err"; }
# No temporary file (ours, or mkstemp's XXXXXX) in $1.
no_tmp() { ! ls -A "$1" | grep -q '^\..*\.\(swauth-\)\?......$'; }
# Another user's symbolic link: $1 -> $2.
plant() { setpriv --reuid=65534 --regid=65534 --clear-groups ln -s "$2" "$1"; }

chmod 755 "$tmp"
mkdir -p "$tmp/pub" "$tmp/home" "$tmp/victimdir" "$tmp/flash" "$tmp/outside"
chmod 1777 "$tmp/pub"
chown 65534:65534 "$tmp/home"
echo victim >"$tmp/victim"
export SWAUTH_CONFIG=$tmp/swauth.conf SWCOPY_CONFIG=$tmp/swcopy.conf
sign="$swauth sign -k $keys/production-A.key -c $keys/production-A.crt -t production -K A"
echo "payload" >"$tmp/payload"

echo "1..15"

# Relative outputs, a directory and a file name, from the working directory.
mkdir "$tmp/rel"
(cd "$tmp" && run $sign payload -o rel && test "$(cat "$tmp/out")" = rel/payload.SPA &&
	run $sign payload -o rel/c.SPA && test -s rel/payload.SPA && test -s rel/c.SPA)
ok $? "sign: a relative directory or file as the output"

# swauth sign -o NAME, NAME another user's link to a file or a directory.
plant "$tmp/pub/a.SPA" "$tmp/victim"
run $sign "$tmp/payload" -o "$tmp/pub/a.SPA"
show
test $rc -eq 0 && test "$(cat "$tmp/victim")" = victim && ! test -L "$tmp/pub/a.SPA" &&
	test -s "$tmp/pub/a.SPA"
ok $? "sign: another user's link to a file as the output is replaced, its target untouched"

plant "$tmp/pub/b.SPA" "$tmp/victimdir"
run $sign "$tmp/payload" -o "$tmp/pub/b.SPA"
show
test $rc -eq 0 && test -z "$(ls -A "$tmp/victimdir")" && ! test -L "$tmp/pub/b.SPA" &&
	test -s "$tmp/pub/b.SPA"
ok $? "sign: another user's link to a directory as the output is replaced, nothing written in the directory"

setpriv --reuid=65534 --regid=65534 --clear-groups ln -s "$tmp/victimdir" "$tmp/home/d"
run $sign "$tmp/payload" -o "$tmp/home/d/c.SPA"
show
test $rc -ne 0 && test -z "$(ls -A "$tmp/victimdir")" && grep -q "symbolic link" "$tmp/err"
ok $? "sign: an output directory that is another user's link is refused"

# Root's own link is root's choice: followed.
ln -s "$tmp/victimdir" "$tmp/pub/own"
run $sign "$tmp/payload" -o "$tmp/pub/own/d.SPA"
show
test $rc -eq 0 && test -s "$tmp/victimdir/d.SPA" && rm -f "$tmp/victimdir/d.SPA"
ok $? "sign: root's own link to the output directory is followed"

# SIGTERM while sign waits for the rest of its payload.
mkfifo "$tmp/fifo"
$sign "$tmp/fifo" -n e -o "$tmp/pub/e.SPA" </dev/null >"$tmp/out" 2>"$tmp/err" &
pid=$!
(echo start; sleep 30) >"$tmp/fifo" &
writer=$!
pids=$writer
sleep 1
kill -TERM $pid
wait $pid
rc=$?
kill "$writer" 2>/dev/null
test $rc -ne 0 && ! test -e "$tmp/pub/e.SPA" && no_tmp "$tmp/pub"
ok $? "sign: SIGTERM in the middle leaves neither the image nor a temporary file"
ls -A "$tmp/pub" | sed 's/^/# /'

# swauth upgrade bootloader: the destination or its directory planted.
boot=$tmp/pub/rommon.bin
printf 'bootloader-image %s\nflash-dir %s\n' "$boot" "$tmp/flash" >"$SWAUTH_CONFIG"
plant "$boot" "$tmp/victim"
run "$swauth" upgrade bootloader --yes -u -r "$keys" -t "$keys" "$img/bl-special-B.SSB"
show
test $rc -eq 0 && test "$(cat "$tmp/victim")" = victim && ! test -L "$boot" &&
	cmp -s "$boot" "$img/bl-special-B.SSB"
ok $? "upgrade bootloader: another user's link as the destination is replaced, its target untouched"
test "$(stat -c %a "$boot")" = 644 && no_tmp "$tmp/pub"
ok $? "upgrade bootloader: the new file is 0644, no temporary file left"

plant "$tmp/pub/bootdir" "$tmp/victimdir"
printf 'bootloader-image %s\n' "$tmp/pub/bootdir/rommon.bin" >"$SWAUTH_CONFIG"
run "$swauth" upgrade bootloader --yes -u -r "$keys" -t "$keys" "$img/bl-special-B.SSB"
show
test $rc -ne 0 && test -z "$(ls -A "$tmp/victimdir")" && grep -q "symbolic link" "$tmp/err"
ok $? "upgrade bootloader: a destination directory that is another user's link is refused"

# A flash:sub/x source: the subdirectory a symbolic link out of flash:.
printf 'flash-dir %s\n' "$tmp/flash" >"$SWAUTH_CONFIG"
cp "$img/ok-sha512.SPA" "$tmp/outside/x.SPA"
cp "$img/system-native.SPA" "$tmp/outside/s.SPA"
ln -s "$tmp/outside" "$tmp/flash/sub"
run "$swcopy" flash:sub/x.SPA "$tmp/copy.SPA"
show
test $rc -ne 0 && ! test -e "$tmp/copy.SPA" && grep -q "symbolic link" "$tmp/err"
ok $? "swcopy: a flash:sub/x source through a symlinked subdirectory is refused"

run "$swauth" boot system -u -r "$keys" -t "$keys" flash:sub/s.SPA
show
test $rc -ne 0 && ! grep -q "^boot-image" "$SWAUTH_CONFIG" && grep -q "symbolic link" "$tmp/err"
ok $? "boot system: a flash:sub/x image through a symlinked subdirectory is refused"
# Not an image at all: verifying it would fail with another message.
echo garbage >"$tmp/outside/bad.SPA"
run "$swauth" boot system -u -r "$keys" -t "$keys" flash:sub/bad.SPA
show
test $rc -ne 0 && grep -q "flash:sub/bad.SPA: the path goes through a symbolic link" "$tmp/err" &&
	! test -s "$tmp/out"
ok $? "boot system: the image through a symlinked subdirectory is refused before it is verified"

run "$swauth" verify -u -r "$keys" -t "$keys" flash:sub/x.SPA
show
test $rc -ne 0 && grep -q "flash:sub/x.SPA: the path goes through a symbolic link" "$tmp/err" &&
	! test -s "$tmp/out"
ok $? "verify: a flash:sub/x image through a symlinked subdirectory is refused"

run "$swauth" show file -u -r "$keys" -t "$keys" flash:sub/x.SPA
show
test $rc -ne 0 && grep -q "flash:sub/x.SPA: the path goes through a symbolic link" "$tmp/err" &&
	! test -s "$tmp/out"
ok $? "show file: a flash:sub/x image through a symlinked subdirectory is refused"

ln -s "$tmp/outside/x.SPA" "$tmp/flash/y.SPA"
run "$swcopy" flash:y.SPA "$tmp/copy2.SPA"
show
test $rc -ne 0 && ! test -e "$tmp/copy2.SPA" && grep -q "symbolic link" "$tmp/err"
ok $? "swcopy: a flash: source that is a symbolic link out of flash: is refused"

exit $fail

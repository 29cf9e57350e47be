#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# How swcopy writes files (issue 13, point 1), a sanitizer build as root:
# a symlink planted as .swcopy-sums or as the destination is replaced, never
# written through; a symlinked subdirectory of flash: is refused; SIGTERM
# and SIGINT in the middle of a download (from a server of this test's own
# that sends a few bytes and then nothing) leave no temporary file and the
# old file intact, with the other signals that end a process too, on a file
# system without O_TMPFILE (notmpfile.so, an LD_PRELOAD shim: as on vfat,
# the temporary file has a name); a write that fails keeps the old file;
# `show` reports a stray temporary file. Another user's link in the middle
# of a plain destination is refused. /erase refuses a symlinked
# subdirectory before erasing anything, and removes stray temporary files.

cd "$(dirname "$0")/../.." || exit 1
repo=$PWD
swcopy=${SWCOPY:-$repo/build/tests/host/bin/swcopy}
img=$repo/build/tests/images
tmp=$(mktemp -d)
srv=
cleanup() {
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
. selftests/host/swcopy-lib.sh
# No temporary file in $1.
no_tmp() { ! ls -A "$1" | grep -q '^\..*\.\(swcopy\|swauth\)-......$'; }

mkdir -p "$tmp/flash" "$tmp/usb" "$tmp/nvram" "$tmp/pub" "$tmp/outside"
chmod 1777 "$tmp/pub"
export SWAUTH_CONFIG=$tmp/swauth.conf SWCOPY_CONFIG=$tmp/swcopy.conf
printf 'flash-dir %s\nusbflash0-dir %s\nnvram-dir %s\n' "$tmp/flash" "$tmp/usb" \
	"$tmp/nvram" >"$SWAUTH_CONFIG"
cp "$img/ok-sha512.SPA" "$tmp/flash/c3900.SPA"
size=$(stat -c %s "$tmp/flash/c3900.SPA")
# The victims: files that a planted link points at.
echo victim >"$tmp/victim"
echo victim2 >"$tmp/victim2"
# A local user's links, as a local user makes them in a sticky directory.
user=nobody
plant() { ln -s "$1" "$2" && chown -h "$user" "$2"; }

echo "1..20"

plant "$tmp/victim" "$tmp/pub/.swcopy-sums"
run flash:c3900.SPA "$tmp/pub/x.SPA"
show
test $rc -eq 0 && test "$(cat "$tmp/victim")" = victim && cmp -s "$tmp/flash/c3900.SPA" "$tmp/pub/x.SPA"
ok $? "a symlink as .swcopy-sums in a plain directory: its target untouched"
test -L "$tmp/pub/.swcopy-sums" && no_tmp "$tmp/pub"
ok $? "a plain directory gets no checksum record"

plant "$tmp/victim" "$tmp/usb/.swcopy-sums"
run flash:c3900.SPA usbflash0:c3900.SPA
show
test $rc -eq 0 && test "$(cat "$tmp/victim")" = victim && ! test -L "$tmp/usb/.swcopy-sums" &&
	grep -q "  c3900.SPA$" "$tmp/usb/.swcopy-sums"
ok $? "a symlink as .swcopy-sums in usbflash0: is replaced by the record, its target untouched"

plant "$tmp/victim2" "$tmp/pub/y.SPA"
run flash:c3900.SPA "$tmp/pub/y.SPA"
show
test $rc -eq 0 && test "$(cat "$tmp/victim2")" = victim2 && ! test -L "$tmp/pub/y.SPA" &&
	cmp -s "$tmp/flash/c3900.SPA" "$tmp/pub/y.SPA"
ok $? "a symlink as the destination is replaced, its target untouched"

ln -s "$tmp/outside" "$tmp/flash/sub"
run flash:c3900.SPA flash:sub/x.SPA
show
test $rc -ne 0 && ! test -e "$tmp/outside/x.SPA" && test -z "$(ls -A "$tmp/outside")" &&
	echo "$err" | grep -q 'flash:sub/x.SPA.*symbolic link'
ok $? "a symlinked subdirectory of flash: is refused with a clear error"

# Another user's link as a middle component of a plain destination.
mkdir -p "$tmp/vd/etcsub"
plant "$tmp/vd" "$tmp/pub/nl"
run flash:c3900.SPA "$tmp/pub/nl/etcsub/passwd"
show
test $rc -ne 0 && ! test -e "$tmp/vd/etcsub/passwd" && echo "$err" | grep -q 'symbolic link'
ok $? "another user's link in the middle of a plain destination is refused"

# /erase into a symlinked subdirectory: refused before anything is erased.
mkdir "$tmp/outside2"
echo victim >"$tmp/outside2/v.SPA"
ln -s "$tmp/outside2" "$tmp/flash/sub2"
run /erase --yes flash:c3900.SPA flash:sub2/x.SPA
show
test $rc -ne 0 && test "$(cat "$tmp/outside2/v.SPA")" = victim && test -e "$tmp/flash/c3900.SPA" &&
	echo "$err" | grep -q 'flash:sub2.*goes through a symbolic link'
ok $? "/erase into a symlinked subdirectory of flash: is refused, nothing erased"

# /erase removes stray temporary files, not other dot files.
echo old >"$tmp/nvram/n.cfg"
touch "$tmp/nvram/.n.cfg.swauth-AbC123" "$tmp/nvram/.keep"
run /erase --yes flash:c3900.SPA nvram:c3900.SPA
show
test $rc -eq 0 && ! test -e "$tmp/nvram/n.cfg" && no_tmp "$tmp/nvram" &&
	test -e "$tmp/nvram/.keep" && cmp -s "$tmp/flash/c3900.SPA" "$tmp/nvram/c3900.SPA"
ok $? "/erase removes the stray temporary files too"

# A download that fails to write: the old file stays, nothing else is left.
echo old >"$tmp/usb/big.bin"
head -c 3000000 /dev/zero >"$tmp/flash/big.bin"
(ulimit -f 1024; trap '' XFSZ; exec "$swcopy" flash:big.bin usbflash0:big.bin) \
	</dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
show
echo "# exit $rc"
ls -A "$tmp/usb" | sed 's/^/# /'
test $rc -eq 3 && test "$(cat "$tmp/usb/big.bin")" = old && no_tmp "$tmp/usb"
ok $? "a write that fails keeps the old file and leaves no temporary"

# A server that sends the headers and a few bytes of a large file, then
# nothing: the download is in the middle when the signal comes.
cat >"$tmp/slow.py" <<'PY'
import socket, sys, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
while True:
    c, _ = s.accept()
    c.recv(4096)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n" + b"x" * 4000)
    time.sleep(0.1)
PY
python3 "$tmp/slow.py" >"$tmp/port" &
srv=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
port=$(cat "$tmp/port")
# Without O_TMPFILE, as on vfat, the temporary file has a name until the
# rename: the only case where a signal could leave one behind.
notmpfile=$repo/build/tests/host/notmpfile.so
for sig in TERM INT HUP QUIT PIPE XFSZ ALRM USR1 USR2 VTALRM; do
	echo old >"$tmp/usb/s.bin"
	# A background job of a shell ignores SIGINT and SIGQUIT, python
	# SIGPIPE and SIGXFSZ: python gives them back.
	(ulimit -c 0
	exec env LD_PRELOAD="$notmpfile" ASAN_OPTIONS=verify_asan_link_order=0 python3 -c 'import os, signal, sys
for s in signal.Signals:
    if s not in (signal.SIGKILL, signal.SIGSTOP):
        signal.signal(s, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$swcopy" -T 60000 -p none \
		"http://127.0.0.1:$port/s.bin" usbflash0:s.bin </dev/null >"$tmp/out" 2>"$tmp/err") &
	pid=$!
	sleep 1.5
	ls -A "$tmp/usb" | sed 's/^/# during: /'
	kill -s "$sig" "$pid"
	# Still running 10 s later: the signal did not end it (a failure).
	i=0
	while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	[ $i -lt 100 ] || kill -s KILL "$pid"
	wait "$pid"
	rc=$?
	[ $i -lt 100 ] || rc=0
	ls -A "$tmp/usb" | sed 's/^/# /'
	echo "# exit $rc"
	sed 's/^/# /' "$tmp/err"
	test $rc -ne 0 && test "$(cat "$tmp/usb/s.bin")" = old && no_tmp "$tmp/usb"
	ok $? "SIG$sig in the middle of a download: no temporary file, the old file kept"
done

touch "$tmp/flash/.c3900.SPA.swcopy-AbC123"
run show flash:
show
test $rc -eq 0 && echo "$out" | grep -q 'stray.*\.c3900\.SPA\.swcopy-AbC123'
ok $? "show flash: reports a stray temporary file"

exit $fail

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swcopy (a sanitizer build) against hostile and broken servers on
# 127.0.0.1 (selftests/net/hostile.py), started here and stopped by PID on
# exit: no wrong file is ever accepted as complete, the old image is kept
# and no temporary is left; server text reaches the terminal escaped;
# redirects go from http to https but never to another scheme.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
swcopy=$root/build/tests/host/bin/swcopy

skip() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ -x "$swcopy" ] || skip "$swcopy is not built (run make)"
for c in python3 openssl; do
	command -v "$c" >/dev/null || skip "no $c (run scripts/deps)"
done

SRV_NET_DIR=$root/selftests/net
. "$SRV_NET_DIR/servers.sh"
tmp=$(mktemp -d)
trap 'srv_stop_all; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
. selftests/host/swcopy-lib.sh
show() { sed 's/^/# /' "$tmp/out" "$tmp/err" | tr -d '\033\007\015\233'; }
# old_kept: flash:a.SPA is still "old", with no temporary beside it.
old_kept() {
	test "$(cat "$tmp/flash/a.SPA")" = old &&
		test "$(ls -A "$tmp/flash" | grep -v '^\.swcopy-sums$')" = a.SPA
}
# refused PATTERN URL...: exit 3, PATTERN in the error, the old file kept.
refused() {
	pattern=$1
	shift
	echo old >"$tmp/flash/a.SPA"
	run "$@" flash:a.SPA
	show
	test $rc -eq 3 && old_kept && grep -q -e "$pattern" "$tmp/err"
}
now() { date +%s%N; }
# timed ARGS...: run, with the seconds it took in $secs (one decimal).
timed() {
	t0=$(now)
	run "$@"
	secs=$(awk -v ns=$(($(now) - t0)) 'BEGIN { printf "%.1f", ns / 1e9 }')
}
between() { awk -v s="$secs" -v lo="$1" -v hi="$2" 'BEGIN { exit !(s >= lo && s <= hi) }'; }
# raw: what swcopy printed holds ESC, BEL, CR or the 8-bit CSI.
raw() { LC_ALL=C grep -q "$(printf '[\033\007\015\233]')" "$tmp/out" "$tmp/err"; }

mkdir -p "$tmp/flash" "$tmp/pub" "$tmp/srv"
head -c 100000 /dev/urandom >"$tmp/data"
cp "$tmp/data" "$tmp/pub/data"
chmod 644 "$tmp/pub/data"
export SWAUTH_CONFIG=$tmp/swauth.conf SWCOPY_CONFIG=$tmp/swcopy.conf
printf 'flash-dir %s\n' "$tmp/flash" >"$SWAUTH_CONFIG"

bail() {
	echo "Bail out! the test servers did not start: $1"
	exit 1
}
srv_init "$tmp/srv"
srv_spawn_py HTTP "$SRV_NET_DIR/hostile.py" http "$tmp/data" || bail "hostile http"
srv_spawn_py FTP "$SRV_NET_DIR/hostile.py" ftp "$tmp/data" || bail "hostile ftp"
srv_spawn_py TFTP "$SRV_NET_DIR/hostile.py" tftp "$tmp/data" || bail "hostile tftp"
srv_spawn_py OTHER "$SRV_NET_DIR/hostile.py" http "$tmp/data" 127.0.0.2 || bail "hostile http on 127.0.0.2"
srv_http_start HTTPS "$tmp/pub" tls || bail "httpd.py (TLS)"
http=http://127.0.0.1:$HTTP_PORT
ftp=ftp://127.0.0.1:$FTP_PORT

echo "1..33"

run "$http/200" flash:a.SPA
show
test $rc -eq 0 && cmp -s "$tmp/data" "$tmp/flash/a.SPA"
ok $? "HTTP 200: the file arrives whole"

for s in "206 Partial Content" "204 No Content" "304 Not Modified" "300 Multiple Choices" \
	"302 Found"; do
	refused "HTTP/1.1 $s.*only status 200" "$http/${s%% *}"
	ok $? "HTTP $s: refused, the old file kept"
done

refused 'invalid Content-Length "12abc"' "$http/cl-12abc"
ok $? "HTTP Content-Length: 12abc is invalid framing"
refused 'invalid Content-Length "0x10"' "$http/cl-0x10"
ok $? "HTTP Content-Length: 0x10 is invalid framing"
refused 'conflicting Content-Length' "$http/cl-two"
ok $? "HTTP two different Content-Length headers are invalid framing"

run "$ftp/ok" flash:a.SPA
show
test $rc -eq 0 && cmp -s "$tmp/data" "$tmp/flash/a.SPA"
ok $? "FTP: the file arrives whole"
refused '100000 bytes arrived, 1000 were announced' "$ftp/short"
ok $? "FTP: a SIZE smaller than the file does not cut it; refused"
refused 'malformed SIZE reply "213 -5"' "$ftp/neg"
ok $? "FTP: 213 -5 is refused"
refused 'malformed SIZE reply "213 12abc"' "$ftp/bad"
ok $? "FTP: 213 12abc is refused"
rm -f "$tmp/flash/"*
run "$ftp/nosize" flash:a.SPA
show
test $rc -eq 0 && cmp -s "$tmp/data" "$tmp/flash/a.SPA"
ok $? "FTP: a server without SIZE: the bytes until the data connection's end"

esc='\\x1b\[2J\\x1b\]0;owned\\x07\\r\[OK\]\\x9b31m'
refused "$esc" "$http/esc" && ! raw
ok $? "HTTP: a reason phrase with terminal escapes is printed escaped"
refused "$esc" "$ftp/esc" && ! raw
ok $? "FTP: a 550 reply with terminal escapes is printed escaped"
refused "$esc" "tftp://127.0.0.1:$TFTP_PORT/oack" && ! raw
ok $? "TFTP: an OACK option with terminal escapes is printed escaped"
refused "$esc" "tftp://127.0.0.1:$TFTP_PORT/err" && ! raw
ok $? "TFTP: an ERROR text with terminal escapes is printed escaped"

refused 'redirect to file:///etc/passwd refused' "$http/to-file"
ok $? "HTTP: a redirect to file:// is refused, the old file kept"
rm -f "$tmp/flash/"*
run "$http/to-200" flash:a.SPA
test $rc -eq 0 && cmp -s "$tmp/data" "$tmp/flash/a.SPA"
ok $? "HTTP: a redirect to http is followed"
rm -f "$tmp/flash/"*
run --ca-file "$tmp/srv/ca.crt" "$http/to-https/$HTTPS_PORT/data" flash:a.SPA
show
test $rc -eq 0 && cmp -s "$tmp/data" "$tmp/flash/a.SPA"
ok $? "HTTP: a redirect to https is followed"

rm -f "$tmp/flash/"*
run "$http/to-host/127.0.0.2/$OTHER_PORT/200" flash:a.SPA
show
test $rc -eq 0 && cmp -s "$tmp/data" "$tmp/flash/a.SPA" &&
	grep -q "Redirected to http://127.0.0.2:$OTHER_PORT/200" "$tmp/out"
ok $? "HTTP: a redirect to another host is followed, and the output says where to"

rm -f "$tmp/flash/"*
refused 'the transfer was cut' "$ftp/cut"
ok $? "FTP without SIZE: a data connection closed halfway (426) is refused"

# -T 300 -R 2: 900 ms without a byte of progress is a stalled transfer.
timed -T 300 -R 2 "$http/trickle/1/20" flash:a.SPA
show
echo "# took $secs s"
test $rc -eq 3 && grep -q 'no progress' "$tmp/err" && between 0.9 3
ok $? "HTTP trickling 1 byte/s: given up for no progress (-T 300 -R 2)"
timed -T 300 -R 2 "$http/trickle/2/8" flash:a.SPA
show
echo "# took $secs s"
test $rc -eq 0 && test "$(cat "$tmp/flash/a.SPA")" = "$(head -c 8 "$tmp/data")"
ok $? "HTTP sending 2 bytes/s: never given up (-T 300 -R 2)"
timed --deadline 2 "$http/trickle/2/8" flash:a.SPA
show
echo "# took $secs s"
test $rc -eq 3 && grep -q 'deadline' "$tmp/err" && between 1.9 3.5
ok $? "HTTP: --deadline 2 ends a transfer that makes progress but takes longer"

run -b 512 "tftp://127.0.0.1:$TFTP_PORT/wrongport" flash:a.SPA
show
test $rc -eq 0 && cmp -s "$tmp/data" "$tmp/flash/a.SPA" &&
	test "$(cat "$tmp/data.wrongport" 2>/dev/null)" -ge 100
ok $? "TFTP: packets from another port are ignored and answered with ERROR 5"

head -c 524280 /dev/urandom >"$tmp/flash/big"
timed -T 300 -R 2 -b 8 -w 65535 flash:big "tftp://127.0.0.1:$TFTP_PORT/stale"
show
test $rc -ne 0 && ! grep -q 'Upload to server done' "$tmp/out"
ok $? "TFTP upload: a stale ACK does not count as progress, nor the failed upload as done"
grep -q 'window 65535 .*32767' "$tmp/err"
ok $? "TFTP: a window of 65535 is clamped to what block numbers tell apart, and said"

run "$http/200" flash:up.bin
cp "$tmp/data" "$tmp/orig"
rm -f "$tmp/data.wrq" "$tmp/data.go" "$tmp/data.got"
(
	i=0
	while [ ! -e "$tmp/data.wrq" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done
	printf 'EVIL' | dd of="$tmp/flash/up.bin" bs=1 seek=5000 conv=notrunc 2>/dev/null
	touch "$tmp/data.go"
) &
writer=$!
run -T 1000 flash:up.bin "tftp://127.0.0.1:$TFTP_PORT/slow"
wait "$writer"
show
test $rc -eq 0 && cmp -s "$tmp/orig" "$tmp/data.got"
ok $? "upload: the bytes sent are the bytes hashed, though the file changed after"

# No length and no chunks: the end of the connection is the end of the file,
# and a cut is not told from a whole file. Said, unless /verify or
# --expect-hash checks it.
run "$http/no-length" flash:a.SPA
show
test $rc -eq 0 && grep -q "%Warning: 127.0.0.1 gave no length for the file: a transfer cut short cannot be told from a whole one (use /verify or --expect-hash)" "$tmp/err"
ok $? "HTTP without Content-Length or chunks: copied with a warning"
run /verify "$http/no-length" flash:b.SPA
show
test $rc -ne 0 && ! test -e "$tmp/flash/b.SPA" && ! grep -q 'gave no length' "$tmp/err"
ok $? "HTTP without a length, /verify: the short image is refused"
run "$http/chunked" flash:a.SPA
show
test $rc -eq 0 && cmp -s "$tmp/data" "$tmp/flash/a.SPA" && ! grep -q 'gave no length' "$tmp/err"
ok $? "HTTP chunked: framed, no warning"

exit $fail

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swcopy (a sanitizer build) resuming cut downloads, against servers on
# 127.0.0.1 started here and stopped by PID on exit: the loopback HTTP
# server cutting its replies (selftests/net/httpd.py --drop-after), and
# real vsftpd, slowed down, whose session processes are killed in the
# middle of a transfer. A resumed image is byte for byte the server's and
# passes /verify; a continuation that is not the file (tampered bytes, the
# whole file again, another version) never makes a file; the resumes are
# bounded by --retries; a download whose end only the close marks is not
# resumed.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
swcopy=$root/build/tests/host/bin/swcopy
img=$root/build/tests/images

skip() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ -x "$swcopy" ] || skip "$swcopy is not built (run make)"
[ -d "$img/certs" ] || skip "$img is not built (run make)"
[ "$(id -u)" -eq 0 ] || skip "vsftpd needs root"
for c in vsftpd python3 ps; do
	command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || skip "no $c (run scripts/deps)"
done

SRV_NET_DIR=$root/selftests/net
. "$SRV_NET_DIR/servers.sh"
tmp=$(mktemp -d)
bg=
stop() {
	[ -n "$bg" ] && kill "$bg" 2>/dev/null
	srv_stop_all
	rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 1' INT TERM
chmod 755 "$tmp"
. selftests/host/swcopy-lib.sh
nothing_left() { test -z "$(ls -A "$tmp/flash" | grep -v '^\.swcopy-sums$')"; }
# got NAME: flash:NAME is the server's image, byte for byte.
got() { cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/$1"; }
# resumed AT N MAX: swcopy said it resumed at byte AT, attempt N of MAX.
resumed() { grep -q "^%Resumed at $1 bytes (attempt $2 of $3)$" "$tmp/out" "$tmp/err"; }
no_resume() { ! grep -q '^%Resumed' "$tmp/out" "$tmp/err"; }
# say TEXT: swcopy's error holds TEXT.
say() { grep -q -e "$1" "$tmp/err"; }

bail() {
	echo "Bail out! $1"
	exit 1
}
# A 16 MiB system image signed by production key A.
mkdir -p "$tmp/pub" "$tmp/flash" "$tmp/srv"
head -c $((16 << 20)) /dev/urandom >"$tmp/payload"
"$root/build/bin/swauth" sign --key keyrings/dev/production-A.key \
	--cert keyrings/dev/production-A.crt --type production --key-version A \
	--name c3900 "$tmp/payload" -o "$tmp/pub/c3900.SPA" >/dev/null || bail "swauth sign"
chmod 644 "$tmp/pub/c3900.SPA"
size=$(stat -c %s "$tmp/pub/c3900.SPA")
cut=$((5 << 20))

export SWAUTH_CONFIG=$tmp/swauth.conf SWCOPY_CONFIG=$tmp/swcopy.conf
printf 'flash-dir %s\n' "$tmp/flash" >"$SWAUTH_CONFIG"
trust="-u -r $img/certs -t $img/certs"

srv_init "$tmp/srv"
# One server per behaviour after the cut; each cuts its first reply after
# 5 MiB of body, DROP3 its first three replies, DROP9 nine; TAMPER and
# TAMPER2 are the same, one for each test.
srv_http_start DROP "$tmp/pub" --drop-after $cut || bail "httpd.py --drop-after"
srv_http_start DROPS "$tmp/pub" tls --drop-after $cut || bail "httpd.py (TLS) --drop-after"
srv_http_start DROP3 "$tmp/pub" --drop-after $cut --drops 3 || bail "httpd.py --drops 3"
srv_http_start DROP9 "$tmp/pub" --drop-after $cut --drops 9 || bail "httpd.py --drops 9"
srv_http_start TAMPER "$tmp/pub" --drop-after $cut --tamper || bail "httpd.py --tamper"
srv_http_start TAMPER2 "$tmp/pub" --drop-after $cut --tamper || bail "httpd.py --tamper"
srv_http_start NORANGE "$tmp/pub" --drop-after $cut --ignore-range || bail "httpd.py --ignore-range"
srv_http_start CHANGE "$tmp/pub" --drop-after $cut --change || bail "httpd.py --change"
srv_http_start NOLEN "$tmp/pub" --drop-after $cut --no-length || bail "httpd.py --no-length"
srv_http_start CHUNK "$tmp/pub" --drop-after $cut --chunked || bail "httpd.py --chunked"
# Each resume waits: 1 s (SLOW, nine cuts), or longer than any test (MUTE).
srv_http_start SLOW "$tmp/pub" --drop-after $((1 << 20)) --drops 9 --delay 1 ||
	bail "httpd.py --delay"
srv_http_start MUTE "$tmp/pub" --drop-after $cut --delay 60 || bail "httpd.py --delay"
# vsftpd at 2 MB/s per session: the 16 MiB image takes eight seconds, so
# the cut lands in the transfer even when the test waits seconds for a CPU.
SRV_FTP_EXTRA="anon_max_rate=2000000" srv_ftp_start FTP "$tmp/pub" || bail vsftpd

echo "1..16"

url=http://127.0.0.1
run /verify $trust --json "$url:$DROP_PORT/c3900.SPA" flash:
show
test $rc -eq 0 && got c3900.SPA && resumed $cut 1 5 &&
	grep -q '^Digital signature successfully verified in file flash:c3900.SPA$' "$tmp/err" &&
	grep -q "\"bytes\":$size,\"resumes\":1," "$tmp/out"
ok $? "HTTP cut at 5 MiB: resumed once, the same bytes, /verify passes, --json counts it"

rm -f "$tmp/flash/"*
run --ca-file "$tmp/srv/ca.crt" "https://127.0.0.1:$DROPS_PORT/c3900.SPA" flash:
show
test $rc -eq 0 && got c3900.SPA && resumed $cut 1 5
ok $? "HTTPS cut at 5 MiB: resumed, the same bytes"

rm -f "$tmp/flash/"*
run /verify $trust --retries 3 "$url:$DROP3_PORT/c3900.SPA" flash:
show
test $rc -eq 0 && got c3900.SPA && resumed $cut 1 3 && resumed $((2 * cut)) 2 3 &&
	resumed $((3 * cut)) 3 3
ok $? "HTTP cut three times, --retries 3: three resumes, /verify passes"

rm -f "$tmp/flash/"*
run /verify $trust --retries 2 --json "$url:$DROP9_PORT/c3900.SPA" flash:
show
test $rc -eq 3 && nothing_left && resumed $((2 * cut)) 2 2 && ! resumed $((3 * cut)) 3 2 &&
	say "cut again at $((3 * cut)) of $size bytes, after 2 resumes (at most 2)" &&
	grep -q '"result":"error",.*"resumes":2,' "$tmp/out"
ok $? "HTTP cut more often than --retries: an error after 2 resumes, no file"

run /verify $trust "$url:$TAMPER_PORT/c3900.SPA" flash:
show
test $rc -eq 1 && nothing_left && resumed $cut 1 5 && grep -q 'bad digest' "$tmp/out"
ok $? "a tampered continuation (a valid 206): /verify refuses the image, no file"

run "$url:$TAMPER2_PORT/c3900.SPA" flash:
show
test $rc -eq 0 && ! got c3900.SPA && resumed $cut 1 5
ok $? "without /verify the tampered continuation is copied: the server does tamper"
rm -f "$tmp/flash/"*

run "$url:$NORANGE_PORT/c3900.SPA" flash:
show
test $rc -eq 3 && nothing_left &&
	say "127.0.0.1: the server does not resume: it answered the request for the rest with the whole file (HTTP/1.1 200 OK) (resuming at $cut of $size bytes); nothing was written"
ok $? "a server that ignores Range (200): the server does not resume, no file"

run "$url:$CHANGE_PORT/c3900.SPA" flash:
show
test $rc -eq 3 && nothing_left &&
	say "127.0.0.1: the file changed on the server: its ETag differs (resuming at $cut of $size bytes)"
ok $? "the file changed on the server (another ETag): said so, no file"

run /verify $trust "$url:$NOLEN_PORT/c3900.SPA" flash:
show
test $rc -ne 0 && nothing_left && no_resume
ok $? "HTTP without Content-Length cut: not resumed, /verify fails, no file"

run "$url:$CHUNK_PORT/c3900.SPA" flash:
show
test $rc -eq 3 && nothing_left && no_resume && say 'the transfer was cut'
ok $? "HTTP chunked cut: not resumed, the transfer was cut, no file"

# descendants PID: the processes under PID (vsftpd's session processes).
descendants() {
	for d in $(ps -o pid= --ppid "$1"); do
		echo "$d"
		descendants "$d"
	done
}
# ftp_cut ARGS...: swcopy --json ARGS (as run does), its FTP sessions
# killed once 1 MiB (two marks) has arrived, after the command in
# $before_cut; their PIDs in $sessions.
ftp_cut() {
	# Emptied first: the child's own redirection may come after the loop's
	# first look, which would count the last test's marks.
	: >"$tmp/out"
	: >"$tmp/err"
	"$swcopy" --json "$@" </dev/null >"$tmp/out" 2>"$tmp/err" &
	bg=$!
	i=0
	while [ "$(tr -cd '!' <"$tmp/err" | wc -c)" -lt 2 ] && [ $i -lt 400 ] &&
		kill -0 "$bg" 2>/dev/null; do
		sleep 0.05
		i=$((i + 1))
	done
	eval "$before_cut"
	sessions=$(descendants "$FTP_PID")
	[ -n "$sessions" ] && kill -KILL $sessions
	wait "$bg"
	rc=$?
	bg=
	show
}
before_cut=:
ftp_cut /verify $trust "ftp://127.0.0.1:$FTP_PORT/c3900.SPA" flash:
at=$(sed -n 's/^%Resumed at \([0-9]*\) bytes (attempt 1 of 5)$/\1/p' "$tmp/err")
test $rc -eq 0 && test -n "$sessions" && got c3900.SPA && test -n "$at" &&
	test "$at" -ge $((1 << 20)) && test "$at" -lt "$size" &&
	grep -q '^Digital signature successfully verified in file flash:c3900.SPA$' "$tmp/err" &&
	grep -q '"resumes":1,' "$tmp/out"
ok $? "FTP: vsftpd's session killed at $at bytes: REST resumes, the same bytes, /verify passes"
rm -f "$tmp/flash/"*

# The file is replaced by a shorter one while the first session still
# sends the old one (open): the resume sees another SIZE.
cp "$tmp/pub/c3900.SPA" "$tmp/pub/moved.SPA"
head -c 1000 "$tmp/payload" >"$tmp/pub/short"
chmod 644 "$tmp/pub/moved.SPA" "$tmp/pub/short"
before_cut='mv "$tmp/pub/short" "$tmp/pub/moved.SPA"'
ftp_cut "ftp://127.0.0.1:$FTP_PORT/moved.SPA" flash:
test $rc -eq 3 && test -n "$sessions" && nothing_left && grep -q '^%Resumed at' "$tmp/err" &&
	say "127.0.0.1: the file changed on the server: its SIZE is now 1000 (resuming at [0-9]* of $size bytes)"
ok $? "FTP: the file replaced during the transfer: its SIZE changed, said so, no file"

run --json "$url:$DROP_PORT/c3900.SPA" flash:
test $rc -eq 0 && got c3900.SPA && no_resume && grep -q '"resumes":0,' "$tmp/out"
ok $? "a server that cut once serves whole afterwards: no resume, \"resumes\":0"
rm -f "$tmp/flash/"*

run --retries 1 "$url:$DROP9_PORT/c3900.SPA" flash:
test $rc -eq 3 && nothing_left && resumed $cut 1 1 && say 'after 1 resumes (at most 1)'
ok $? "--retries 1 bounds the resumes to one"

now() { date +%s%N; }
# secs_since T0: the seconds since T0 (now's nanoseconds), one decimal.
secs_since() { awk -v ns=$(($(now) - $1)) 'BEGIN { printf "%.1f", ns / 1e9 }'; }
below() { awk -v s="$1" -v hi="$2" 'BEGIN { exit !(s < hi) }'; }

# Nine resumes answered after 1 s each would pass a deadline of 4 s that
# each attempt had for its own: all nine would happen. Spanning them, the
# deadline ends the transfer before the ninth, which cannot start before
# 8 s, however loaded the machine; the first starts after the first 1 MiB.
t0=$(now)
run --retries 9 --deadline 4 "$url:$SLOW_PORT/c3900.SPA" flash:
secs=$(secs_since "$t0")
show
test $rc -eq 3 && nothing_left && resumed $((1 << 20)) 1 9 &&
	say 'did not end within its deadline of 4 s' && ! grep -q 'attempt 9 of 9' "$tmp/out" "$tmp/err"
ok $? "--deadline spans the resumes: given up after $secs s, before the ninth resume, no file"

t0=$(now)
run -T 200 -R 2 "$url:$MUTE_PORT/c3900.SPA" flash:
secs=$(secs_since "$t0")
show
test $rc -eq 3 && nothing_left && resumed $cut 1 2 && say 'stopped answering: no progress for 600 ms' &&
	below "$secs" 30
ok $? "a resume answered by silence: given up as a stalled transfer after $secs s, no file"

exit $fail

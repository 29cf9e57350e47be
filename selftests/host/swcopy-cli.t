#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swcopy's dialogue and secrets (issue 13, points 3, 4 and 6), a sanitizer
# build against the loopback HTTP server and small servers of this file's
# own, started here and stopped by PID: /erase only on a configured file
# system and, without a terminal, only with --yes; a group- or
# world-readable credentials file refused; swcopy config makes swcopy.conf
# 0600; a password in a URL scrubbed from /proc/PID/cmdline while the
# transfer runs; the seeds' upload question, the last host as the default,
# the Translating line, the session user in the default FTP password; every
# file system prefix in swcopy and swauth; swauth show running without what
# swauth reload records.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
swcopy=$root/build/tests/host/bin/swcopy
swauth=$root/build/tests/host/bin/swauth
img=$root/build/tests/images
[ -x "$swcopy" ] || { echo "1..0 # SKIP $swcopy is not built (run make)"; exit 0; }

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
. selftests/host/swcopy-lib.sh

srv_init "$tmp/srv"
mkdir -p "$tmp/flash" "$tmp/f0" "$tmp/f1" "$tmp/usb0" "$tmp/usb1" "$tmp/nvram" "$tmp/state" \
	"$tmp/pub" "$tmp/a:b"
export SWAUTH_CONFIG=$tmp/swauth.conf SWCOPY_CONFIG=$tmp/swcopy.conf
printf 'flash-dir %s\nflash0-dir %s\nflash1-dir %s\nusbflash0-dir %s\nusbflash1-dir %s\nnvram-dir %s\nstate-dir %s\n' \
	"$tmp/flash" "$tmp/f0" "$tmp/f1" "$tmp/usb0" "$tmp/usb1" "$tmp/nvram" "$tmp/state" \
	>"$SWAUTH_CONFIG"
cp "$img/ok-sha512.SPA" "$tmp/flash/c3900.SPA"
cp "$img/ok-sha512.SPA" "$tmp/pub/c3900.SPA"
chmod 644 "$tmp/pub/c3900.SPA"
srv_http_start HTTP "$tmp/pub" || exit 1

echo "1..33"

# Point 3: /erase.
echo keep >"$tmp/a:b/keep"
run /erase --yes flash:c3900.SPA "$tmp/a:b/x.SPA"
show
test $rc -eq 2 && test -e "$tmp/a:b/keep" && grep -q 'configured file system' "$tmp/err"
ok $? "/erase on a plain directory whose name holds a colon is refused, nothing erased"
echo keep >"$tmp/usb0/keep"
run /erase flash:c3900.SPA usbflash0:e.SPA
show
test $rc -eq 2 && test -e "$tmp/usb0/keep" && ! test -e "$tmp/usb0/e.SPA" && grep -q -- '--yes' "$tmp/err"
ok $? "/erase without a terminal and without --yes: refused with a hint, nothing erased"
run /erase --yes flash:c3900.SPA usbflash0:e.SPA
test $rc -eq 0 && ! test -e "$tmp/usb0/keep" && cmp -s "$tmp/flash/c3900.SPA" "$tmp/usb0/e.SPA"
ok $? "/erase --yes without a terminal: erased, then copied"
if [ -x "$swauth" ]; then
	"$swauth" reload </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	show
	test $rc -eq 2 && grep -q 'not a terminal.*--yes' "$tmp/err"
	ok $? "swauth reload without a terminal: refused, the same hint"
else
	ok 1 "swauth reload without a terminal: $swauth is not built"
fi

# Point 4: credentials.
printf 'ftp-username alice\nftp-password sEcret\n' >"$SWCOPY_CONFIG"
chmod 644 "$SWCOPY_CONFIG"
run "ftp://127.0.0.1:1/x" flash:x
show
test $rc -eq 2 && grep -q 'readable by group or others' "$tmp/err" && grep -q 'chmod 600' "$tmp/err"
ok $? "a world-readable swcopy.conf with a password is refused, with a hint"
printf 'alice\n' | "$swcopy" config ftp-username - >/dev/null 2>"$tmp/err"
printf 'sEcret2\n' | "$swcopy" config ftp-password - >/dev/null 2>>"$tmp/err"
test "$(stat -c %a:%u "$SWCOPY_CONFIG")" = 600:0 && grep -q '^ftp-password sEcret2$' "$SWCOPY_CONFIG"
ok $? "swcopy config ftp-password makes an existing 0644 swcopy.conf 0600, owned by root"
run config
test $rc -eq 0 && grep -q 'ftp-username *alice' "$tmp/out"
ok $? "the 0600 swcopy.conf is read"
rm -f "$SWCOPY_CONFIG"
printf 'pw\n' >"$tmp/pwfile"
chmod 640 "$tmp/pwfile"
run --password-file "$tmp/pwfile" "ftp://u@127.0.0.1:1/x" flash:x
show
test $rc -eq 2 && grep -q 'readable by group or others' "$tmp/err"
ok $? "--password-file: a group-readable file is refused"

# A server that accepts and never answers: the transfer stays running.
python3 -c '
import socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(8)
print(s.getsockname()[1], flush=True)
conns = []
while True:
    conns.append(s.accept()[0])
' >"$tmp/mute.port" &
mute=$!
SRV_PIDS="$SRV_PIDS $mute"
i=0
while [ ! -s "$tmp/mute.port" ] && [ $i -lt 300 ]; do sleep 0.01; i=$((i + 1)); done
mport=$(head -n 1 "$tmp/mute.port")
# bg_cmdline ARGS...: swcopy ARGS in the background (its PID in $bg), and
# its /proc/PID/cmdline a second later in $tmp/cmdline.
bg_cmdline() {
	"$swcopy" "$@" </dev/null >"$tmp/bg.out" 2>&1 &
	bg=$!
	sleep 1
	tr '\0' ' ' <"/proc/$bg/cmdline" >"$tmp/cmdline"
	sed 's/^/# cmdline: /' "$tmp/cmdline"; echo
}
bg_cmdline -T 5000 -R 1 "http://bob:hUnter2pw@127.0.0.1:$mport/x" flash:x
! grep -q hUnter2pw "$tmp/cmdline" && grep -q "127.0.0.1:$mport/x" "$tmp/cmdline"
ok $? "a password in the URL is not in /proc/PID/cmdline while the transfer runs"
kill "$bg" 2>/dev/null
wait "$bg" 2>/dev/null
bg=
# Point 6: the seeds' dialogue.
tty "[yes/no]=no" -- flash:c3900.SPA "http://127.0.0.1:$HTTP_PORT/up.SPA"
sed 's/^/# /' "$tmp/out"
test $rc -eq 2 && tr -d '\r' <"$tmp/out" | grep -q "^Copy 'c3900.SPA' from Flash to server$" &&
	tr -d '\r' <"$tmp/out" | grep -q "^  as 'up.SPA'? \[yes/no\] " && ! test -e "$tmp/pub/up.SPA"
ok $? "upload: the seeds' question, Copy 'X' from Flash to server as 'Y'? [yes/no]; no stops it"
run "http://127.0.0.1:$HTTP_PORT/c3900.SPA" flash:h.SPA
test $rc -eq 0
ok $? "a download from 127.0.0.1"
tty "Address or name of remote host [127.0.0.1]? =" "Source filename []? =c3900.SPA" \
	"Destination filename [c3900.SPA]? =h2.SPA" -- "http:" flash:
sed 's/^/# /' "$tmp/out"
tr -d '\r' <"$tmp/out" | grep -q '^Address or name of remote host \[127\.0\.0\.1\]? $' &&
	tr -d '\r' <"$tmp/out" | grep -q '^Loading c3900.SPA from 127\.0\.0\.1'
ok $? "the host question offers the last host as its default; Enter takes it"
run "http://localhost:$HTTP_PORT/c3900.SPA" flash:t.SPA
show
test $rc -eq 0 &&
	grep -q "^Accessing http://localhost:$HTTP_PORT/c3900.SPA\.\.\.Translating \"localhost\"\.\.\.domain server (127\.0\.0\.1) \[OK\]$" "$tmp/out" &&
	grep -q "^Loading c3900.SPA from 127\.0\.0\.1" "$tmp/out"
ok $? "a name: the Translating line, and Loading from the resolved address"
run "http://127.0.0.1:$HTTP_PORT/c3900.SPA" flash:t2.SPA
test $rc -eq 0 && ! grep -q Translating "$tmp/out" && grep -q "^Loading c3900.SPA from 127\.0\.0\.1" "$tmp/out"
ok $? "an address: no Translating line"

# The default FTP password: USER@host.domain of the session user (B1.2).
# pass_server FILE: an FTP server that writes the password it is given
# to FILE and refuses it; sets PASS_PORT.
pass_server() {
	python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(1)
print(s.getsockname()[1], flush=True)
c, _ = s.accept(); f = c.makefile("rwb")
f.write(b"220 hi\r\n"); f.flush()
while True:
    l = f.readline()
    if not l: break
    if l.startswith(b"USER"): f.write(b"331 pass\r\n")
    elif l.startswith(b"PASS"):
        open(sys.argv[1], "wb").write(l[5:].strip()); f.write(b"530 no\r\n")
    else: f.write(b"500 no\r\n")
    f.flush()
' "$1" >"$tmp/pass.port" &
	SRV_PIDS="$SRV_PIDS $!"
	i=0
	while [ ! -s "$tmp/pass.port" ] && [ $i -lt 300 ]; do sleep 0.01; i=$((i + 1)); done
	PASS_PORT=$(head -n 1 "$tmp/pass.port")
	: >"$tmp/pass.port"
}
pass_server "$tmp/pass"
run -T 3000 -R 1 "ftp://127.0.0.1:$PASS_PORT/x" flash:x
me=$(id -un)
echo "# PASS: $(cat "$tmp/pass" 2>/dev/null)"
grep -q "^$me@" "$tmp/pass"
ok $? "anonymous FTP: the default password names the session user ($me@...)"
printf 'fromFile\n' >"$tmp/pwfile"
chmod 600 "$tmp/pwfile"
pass_server "$tmp/pass2"
run -T 3000 -R 1 --password-file "$tmp/pwfile" "ftp://bob@127.0.0.1:$PASS_PORT/x" flash:x
test "$(cat "$tmp/pass2" 2>/dev/null)" = fromFile
ok $? "--password-file: a 0600 file gives the password"
# Not dumpable while it holds a password: a process of the same unprivileged
# user may not read its environment.
# nobody_hidden CONFIG URL: swcopy of user nobody with SWCOPY_CONFIG=CONFIG
# copies URL from the server that never answers; true when it runs and
# another process of nobody cannot read its /proc/PID/environ.
nobody_hidden() {
	setpriv --reuid=nobody --regid=nogroup --clear-groups env SWCOPY_CONFIG="$1" \
		SWAUTH_CONFIG=/nonexistent "$swcopy" -T 5000 -R 1 "$2" /tmp/swcopy-cli-$$ \
		</dev/null >/dev/null 2>&1 &
	bg=$!
	sleep 1
	! setpriv --reuid=nobody --regid=nogroup --clear-groups cat "/proc/$bg/environ" \
		>/dev/null 2>&1 && kill -0 "$bg"
	set -- $?
	kill "$bg" 2>/dev/null
	wait "$bg" 2>/dev/null
	bg=
	return "$1"
}
nobody=false
command -v setpriv >/dev/null && setpriv --reuid=nobody --regid=nogroup --clear-groups \
	test -x "$swcopy" && nobody=true
if $nobody; then
	nobody_hidden /nonexistent "http://bob:pw@127.0.0.1:$mport/x"
	ok $? "not dumpable while a password is held: its own user cannot read its memory"
else
	ok 0 "# SKIP setpriv or access to $swcopy for nobody"
fi

# A raw '?' or '#' in the password is part of it (swcopy's URLs have no
# query or fragment: the authority ends at the first '/'), for the scrubber
# as for the parser: both split the authority with swauth_url_authority().
for ch in '?' '#'; do
	bg_cmdline -T 5000 -R 1 "ftp://user:se${ch}cRet7@127.0.0.1:$mport/x.bin" flash:y.bin
	kill -0 "$bg" && ! grep -q cRet7 "$tmp/cmdline" && grep -q "user:\*\{8\}@127.0.0.1:$mport/x.bin" "$tmp/cmdline"
	ok $? "a password with a raw '$ch' is not in /proc/PID/cmdline while the transfer runs"
	kill "$bg" 2>/dev/null
	wait "$bg" 2>/dev/null
	bg=
	pass_server "$tmp/pass-$ch"
	run -T 3000 -R 1 "ftp://user:se${ch}cRet7@127.0.0.1:$PASS_PORT/x.bin" flash:y.bin
	echo "# PASS: $(cat "$tmp/pass-$ch" 2>/dev/null)"
	test "$(cat "$tmp/pass-$ch" 2>/dev/null)" = "se${ch}cRet7"
	ok $? "a raw '$ch' in the password: the server receives it as written"
done
# user:password@ scrubbed and never echoed without '://' too.
run "ftp:/user:hUnter4@h/x" flash:y.bin
show
test $rc -eq 2 && ! grep -q hUnter4 "$tmp/err" && grep -q "ftp:/user:\*@h/x" "$tmp/err"
ok $? "'ftp:/user:PASS@h/x': refused, the message shows the password as '*'"
run flash:a flash:b "ftp://user:hUnter5@h/x"
show
test $rc -eq 2 && ! grep -q hUnter5 "$tmp/err" && grep -q "ftp://user:\*@h/x" "$tmp/err"
ok $? "an unexpected argument with a password: the message shows it as '*'"
bg_cmdline -T 5000 -R 1 "http://127.0.0.1:$mport/x" "flash:u:hUnter3@y.bin"
kill -0 "$bg" && ! grep -q hUnter3 "$tmp/cmdline" && grep -q "http://127.0.0.1:$mport/x flash:u:\*\*\*\*\*\*\*@y.bin" "$tmp/cmdline"
ok $? "'word:user:PASS@...' without '//' is scrubbed from /proc/PID/cmdline; other arguments are kept"
kill "$bg" 2>/dev/null
wait "$bg" 2>/dev/null
bg=
# The configured ftp-password, loaded for an HTTP copy that does not use
# it: not dumpable either.
if $nobody; then
	cdir=$(mktemp -d)
	chmod 755 "$cdir"
	printf 'ftp-password sEcret9\n' >"$cdir/swcopy.conf"
	chmod 600 "$cdir/swcopy.conf"
	chown nobody "$cdir/swcopy.conf"
	nobody_hidden "$cdir/swcopy.conf" "http://127.0.0.1:$mport/x"
	ok $? "an ftp-password in swcopy.conf, HTTP copy: its own user cannot read its memory"
	rm -rf "$cdir"
else
	ok 0 "# SKIP setpriv or access to $swcopy for nobody"
fi

# Every file system prefix (A7.4).
for fs in flash0 flash1 usbflash0 usbflash1 nvram; do
	run flash:c3900.SPA "$fs:p.SPA"
	d=$tmp/$fs
	case $fs in flash0) d=$tmp/f0 ;; flash1) d=$tmp/f1 ;; usbflash0) d=$tmp/usb0 ;;
		usbflash1) d=$tmp/usb1 ;; esac
	test $rc -eq 0 && cmp -s "$tmp/flash/c3900.SPA" "$d/p.SPA"
	ok $? "swcopy to $fs:"
done
"$swauth" show file -u -r "$img/certs" -t "$img/certs" flash1:p.SPA >"$tmp/out" 2>"$tmp/err"
rc=$?
show
test $rc -eq 0 && grep -q 'flash1:p.SPA' "$tmp/out"
ok $? "swauth show file flash1:NAME"
"$swauth" verify -u -r "$img/certs" -t "$img/certs" usbflash1:p.SPA >"$tmp/out" 2>"$tmp/err"
rc=$?
show
test $rc -eq 0
ok $? "swauth verify usbflash1:NAME"
SWAUTH_MODULE=/nonexistent "$swauth" show running >"$tmp/out" 2>"$tmp/err"
rc=$?
test $rc -eq 0 && grep -q '^unknown: this system was not started by swauth reload$' "$tmp/out"
ok $? "swauth show running on a system swauth did not start: exit 0, what it knows"
exit $fail

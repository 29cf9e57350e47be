#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swupgraded against hostile peers: an image locator whose URL is longer
# than a line of a step (its password must not spill into the job's log,
# which anyone may read with swupgrade show), a root who writes a password
# into locator-url, a mail server that never answers (the mail grandchild
# must not keep the daemon's socket or block SIGTERM, or a restart is
# refused), an unprivileged user who sends what only a follower or root
# may send or who changes a setting, a FIFO or a symbolic link planted
# at the job record, and another image put at the name between the check
# step's verification and the boot-image step, which sets the image by
# the digest check verified and does not verify it again.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
. selftests/host/tap.sh

skip() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ -x build/bin/swupgraded ] || skip "build/bin/swupgraded is not built (run make)"
[ "$(id -u)" -eq 0 ] || skip "runs the daemon as root"
command -v python3 >/dev/null || skip "no python3 (run scripts/deps)"
command -v setpriv >/dev/null || skip "no setpriv"

SRV_NET_DIR=$root/selftests/net
. "$SRV_NET_DIR/servers.sh"
tmp=$(mktemp -d)
mailpid=
cleanup() {
	stop_daemon
	[ -n "$mailpid" ] && kill -KILL "$mailpid" 2>/dev/null
	srv_stop_all
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
chmod 755 "$tmp"
img=$root/build/tests/images
trust="--userspace --rollover-dir $img/certs --trust-dir $img/certs"
swupgrade=$root/build/bin/swupgrade
. selftests/host/swupgrade-lib.sh
asuser() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }

make_images || exit 1
sign other c2900 "$tmp/payload" "$tmp/flash/other.SPA" || exit 1
# v2 again, signed the same way, of another kernel: another payload digest.
head -c 300000 /dev/urandom >"$tmp/kernel2"
{ le64 300000; cat "$tmp/kernel2"; le64 200000; cat "$tmp/initrd"; } >"$tmp/payload2"
sign v2 c3900 "$tmp/payload2" "$tmp/v2.other" || exit 1
# v2's payload, for the platform c2900: v2's payload digest, another header.
sign v2 c2900 "$tmp/payload" "$tmp/v2.c2900" || exit 1
chmod 755 "$tmp/pub"
chmod 644 "$tmp/pub/"*

export SWAUTH_CONFIG=$tmp/swauth.conf
write_config "$tmp/flash" "$tmp/flash/v1.SPA"

bail() {
	echo "Bail out! $1"
	exit 1
}
srv_init "$tmp/srv"
srv_http_start HTTP "$tmp/pub" || bail "the HTTP server did not start"
# The download server's password, 120 bytes written %XX: past byte 511 of
# the locate step's "@url URL" line.
repeat() { /usr/bin/python3 -c 'import sys; print(sys.argv[2] * int(sys.argv[1]))' "$@"; }
secret=$(repeat 40 %5A%71%37)
user=$(repeat 40 %75%75%75)
loc_pass="lp$$-secret"
srv_locator_start LOC "$tmp/locator.log" "noc:$loc_pass" \
	--images "http://$user:$secret@127.0.0.1:$HTTP_PORT" || bail "the locator did not start"
srv_silent_start MUTE || bail "the silent server did not start"


echo "1..27"

start_daemon
run config locator-url "https://127.0.0.1:$LOC_PORT/locate"
run config locator-ca "$tmp/srv/ca.crt"
printf '%s\n' "$loc_pass" >"$tmp/pw"
chmod 600 "$tmp/pw"
run getversion locator username noc image v2.SPA --password-file "$tmp/pw"
[ $rc -eq 0 ] && has "is ready" && [ -f "$tmp/flash/v2.SPA" ]
ok $? "a locator URL longer than a line of the step reaches the download whole" || why
asuser "$swupgrade" show >"$tmp/out" 2>&1
! grep -q "%5A%71%37" "$tmp/out" && has "Upgrade job"
ok $? "swupgrade show (any user) holds no part of the download server's password" || why

# Every request but show is root's: refused by the peer's credentials
# (SO_PEERCRED) before it is looked at, the job unchanged. runversion
# asks for a time, not now: a reload that got through would be scheduled,
# not started.
"$swupgrade" show >"$tmp/show.root" 2>&1
refused() {
	req=$1
	asuser "$swupgrade" "$@" </dev/null >"$tmp/out" 2>&1
	rc=$?
	"$swupgrade" show >"$tmp/show.after" 2>&1
	[ $rc -eq 3 ] && has "%Permission denied: swupgrade $req needs root" &&
		cmp -s "$tmp/show.root" "$tmp/show.after"
}
refused getversion "http://127.0.0.1:$HTTP_PORT/v2.SPA" at 23:59
ok $? "getversion as user nobody is refused, the job unchanged" || why
refused runversion in 30
ok $? "runversion as user nobody is refused, the job unchanged" || why
refused confirm
ok $? "confirm as user nobody is refused, the job unchanged" || why
refused abortversion
ok $? "abortversion as user nobody is refused, the job unchanged" || why
# config edits swupgrade.conf, root's file in root's directory.
cp "$tmp/swupgrade.conf" "$tmp/conf.before"
asuser "$swupgrade" config space-margin 1 </dev/null >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] && has "swupgrade: config: creating a file next to swupgrade.conf: Permission denied" &&
	cmp -s "$tmp/conf.before" "$tmp/swupgrade.conf"
ok $? "config space-margin 1 as user nobody is refused, swupgrade.conf unchanged" || why
asuser "$swupgrade" show </dev/null >"$tmp/out" 2>&1
[ $? -eq 0 ] && cmp -s "$tmp/show.root" "$tmp/out"
ok $? "show as user nobody works and shows what root sees" || why
rm -f "$tmp/flash/v2.SPA"

run config locator-url "https://noc:hunter2@127.0.0.1:$LOC_PORT/locate"
[ $rc -ne 0 ] && ! grep -q hunter2 "$tmp/swupgrade.conf"
ok $? "config refuses a locator-url with a password, as the locator does" || why
# A root who writes it by hand: show does not pass it on.
printf 'locator-url https://noc:hunter2@127.0.0.1:%s/locate\n' "$LOC_PORT" >"$tmp/swupgrade.conf"
asuser "$swupgrade" show >"$tmp/out" 2>&1
! has hunter2 && has "locator-url:"
ok $? "swupgrade show (any user) redacts a password written into locator-url" || why

# Only a follower answers a question; anyone else is refused.
asuser /usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.send(b"A\0yes\0")
print(s.recv(4096).decode())
print(s.recv(4096).decode())' "$tmp/run/swupgrade.sock" >"$tmp/out" 2>&1
has "Permission denied" && has "X "
ok $? "an answer from an unprivileged client that follows no job is refused" || why

# A follower that answers questions nobody asked, many times over while
# the space step waits for a server that never answers: the daemon must
# not block on the step's full stdin.
/usr/bin/python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
s.connect(sys.argv[1])
s.send(b"getversion\0http://127.0.0.1:%s/mute.SPA\0" % sys.argv[2].encode())
for i in range(40000):
    s.send(b"A\0yes\0")
print("sent", flush=True)' "$tmp/run/swupgrade.sock" "$MUTE_PORT" >"$tmp/answers" 2>&1 &
apid=$!
i=0
while ! grep -qs sent "$tmp/answers" && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
timeout 5 "$swupgrade" show >"$tmp/out" 2>&1 && has "Step:                  space" &&
	grep -q sent "$tmp/answers"
ok $? "40000 answers nobody asked for: the daemon still answers show" || why
timeout 5 "$swupgrade" abortversion >/dev/null 2>&1
kill "$apid" 2>/dev/null
wait "$apid" 2>/dev/null

# A record that names a path of its own: recovery deletes only what a
# download writes, flash:NAME where that name is now.
stop_daemon
echo keep >"$tmp/victim"
printf 'id 0123\nstate running\nstep check\nimage flash:v9.SPA\npath %s\ndownloaded yes\n' \
	"$tmp/victim" >"$tmp/state/upgrade"
start_daemon
run show
[ -f "$tmp/victim" ] && has "Kept flash:v9.SPA" && has "interrupted at step check"
ok $? "recovery keeps a file the job record names outside the image's place" || why

# A FIFO at the job record: opening it must not wait for a writer that
# never comes. The daemon refuses it, says why on stderr and in syslog,
# and serves with no job; it deletes nothing it did not write, so a
# getversion fails cleanly until root removes it.
stop_daemon
rm -f "$tmp/state/upgrade"
mkfifo "$tmp/state/upgrade"
: >"$tmp/daemon.log"
start_daemon
timeout 10 "$swupgrade" show >"$tmp/out" 2>&1 && kill -0 "$dpid" && has "No upgrade job" &&
	grep -qF "$tmp/state/upgrade: a FIFO, not a regular file: refused" "$tmp/daemon.log"
ok $? "a FIFO at the job record: the daemon starts with no job and names the refused path" ||
	{ why; sed 's/^/# daemon: /' "$tmp/daemon.log" >&2; }
if ! timeout 10 "$swupgrade" show >/dev/null 2>&1; then
	# Stuck in the open, SIGTERM blocked: killed, and no FIFO for the rest.
	kill -KILL "$dpid"
	wait "$dpid" 2>/dev/null
	dpid=
	rm -f "$tmp/state/upgrade"
	start_daemon
fi
run getversion "http://127.0.0.1:$HTTP_PORT/v2.SPA"
[ $rc -ne 0 ] && has "%Cannot record the upgrade's state: upgrade: not a regular file" &&
	has "failed at step space" && [ -p "$tmp/state/upgrade" ] && [ ! -e "$tmp/flash/v2.SPA" ]
ok $? "getversion with the FIFO there fails before the download, the FIFO left to root" || why

# A symbolic link there, to a record that would be a scheduled job: not
# followed, refused by name, its target untouched.
stop_daemon
printf 'id 0456\nstate scheduled\nstep schedule\nimage flash:v8.SPA\nwhen 4102444800\n' \
	>"$tmp/elsewhere"
cp "$tmp/elsewhere" "$tmp/elsewhere.before"
rm -f "$tmp/state/upgrade"
ln -s "$tmp/elsewhere" "$tmp/state/upgrade"
: >"$tmp/daemon.log"
start_daemon
timeout 10 "$swupgrade" show >"$tmp/out" 2>&1 && has "No upgrade job" && ! has 0456 &&
	grep -qF "$tmp/state/upgrade: a symbolic link, not a regular file: refused" "$tmp/daemon.log" &&
	cmp -s "$tmp/elsewhere" "$tmp/elsewhere.before"
ok $? "a symbolic link at the job record is not followed: no job, the path named" ||
	{ why; sed 's/^/# daemon: /' "$tmp/daemon.log" >&2; }
rm -f "$tmp/state/upgrade"
start_daemon

# One verification from the check step to the boot image: check records
# the payload digest it verified, and the boot-image step sets the image
# by it (swauth boot system --verified-digest) instead of verifying it
# again; what is at the name then must carry that digest (the reload's
# seal, in the VM, refuses a file whose verified digest is another).
digest() {
	build/bin/swauth verify --json $trust "$1" |
		/usr/bin/python3 -c 'import json, sys; print(json.load(sys.stdin)["embedded_digest"])'
}
verified_digest() { sed -n 's/^verified-digest //p' "$tmp/state/upgrade"; }
boot_image() { sed -n 's/^boot-image //p' "$SWAUTH_CONFIG"; }
d2=$(digest "$tmp/pub/v2.SPA")
run getversion "http://127.0.0.1:$HTTP_PORT/v2.SPA"
[ $rc -eq 0 ] && has "is ready" && [ -n "$d2" ] && [ "$(verified_digest)" = "$d2" ]
ok $? "check records the payload digest it verified in the job record" ||
	{ why; echo "# digest $d2, recorded '$(verified_digest)'" >&2; }
run runversion now
[ $rc -eq 1 ] && has "Boot image set to flash:v2.SPA (payload digest $d2)" &&
	! has "Boot image set to flash:v2.SPA (production key A)" &&
	has "the reload did not happen" && [ "$(boot_image)" = "$tmp/flash/v1.SPA" ]
ok $? "the boot-image step sets the image by check's digest, without a verification of its own" ||
	why

run getversion "http://127.0.0.1:$HTTP_PORT/v2.SPA"
mv "$tmp/v2.other" "$tmp/flash/v2.SPA"
run runversion now
[ $rc -eq 1 ] && has "failed at step boot-image" &&
	has "flash:v2.SPA changed since it was verified: its payload digest is not the one verified; the boot image was not changed" &&
	! has "Boot image set to flash:v2.SPA" && [ "$(boot_image)" = "$tmp/flash/v1.SPA" ]
ok $? "another valid image put at the name after check is refused at the boot-image step" || why

# A job recorded before the digest was (or without it): verified again.
run getversion "http://127.0.0.1:$HTTP_PORT/v2.SPA"
stop_daemon
sed -i '/^verified-digest /d' "$tmp/state/upgrade"
start_daemon
run runversion now
[ $rc -eq 1 ] && has "Boot image set to flash:v2.SPA (production key A)" &&
	has "Verified by: userspace (OpenSSL)" && [ "$(boot_image)" = "$tmp/flash/v1.SPA" ]
ok $? "a job record without check's digest has the image verified again at boot-image" || why

# swauth boot system --verified-digest itself. Its header can only refuse.
boot_pinned() {
	build/bin/swauth boot system "$@" </dev/null >"$tmp/out" 2>&1
	rc=$?
}
cp "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA"
cp "$SWAUTH_CONFIG" "$tmp/conf.before"
boot_pinned flash:v2.SPA --verified-digest "$(printf '%s' "$d2" | tr 0-9a-f 1-9a-f0)"
[ $rc -eq 1 ] && has "flash:v2.SPA changed since it was verified" &&
	cmp -s "$tmp/conf.before" "$SWAUTH_CONFIG"
ok $? "boot system --verified-digest refuses a file whose header carries another digest" || why
cp "$tmp/v2.c2900" "$tmp/flash/v2.SPA"
boot_pinned flash:v2.SPA --verified-digest "$d2"
[ $rc -eq 1 ] && has "flash:v2.SPA: the image is for platform 'c2900', this system is 'c3900'" &&
	cmp -s "$tmp/conf.before" "$SWAUTH_CONFIG"
ok $? "boot system --verified-digest refuses the digest's payload under another platform's header" ||
	why
boot_pinned flash:v2.SPA --verified-digest "$(printf '%s' "$d2" | tr a-f A-F)"
[ $rc -eq 2 ] && has "lower-case hex" && cmp -s "$tmp/conf.before" "$SWAUTH_CONFIG"
upper=$?
boot_pinned flash:v2.SPA --verified-digest "${d2%?}"
[ $upper -eq 0 ] && [ $rc -eq 2 ] && has "lower-case hex" &&
	cmp -s "$tmp/conf.before" "$SWAUTH_CONFIG"
ok $? "boot system --verified-digest refuses a digest that is not lower-case hex of a digest's size" ||
	why
cp "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA"
boot_pinned flash:v2.SPA --verified-digest "$d2"
[ $rc -eq 0 ] && has "Boot image set to flash:v2.SPA (payload digest $d2)" &&
	[ "$(boot_image)" = "$tmp/flash/v2.SPA" ] &&
	[ "$(sed -n 's/^boot-image-digest //p' "$SWAUTH_CONFIG")" = "$d2" ]
ok $? "boot system --verified-digest records that digest as boot-image-digest" || why
cp "$tmp/conf.before" "$SWAUTH_CONFIG"
rm -f "$tmp/flash/v2.SPA"

# The status mail to a server that never answers: 30 s of a grandchild.
printf 'email-recipient noc@example.org\nsmtp-server 127.0.0.1:%s\n' "$MUTE_PORT" \
	>"$tmp/swupgrade.conf"
run getversion flash:other.SPA
[ $rc -ne 0 ] && has "failed at step check"
ok $? "a job that fails sends its mail to the silent server" || why
sleep 0.5
for p in /proc/[0-9]*; do
	pid=${p#/proc/}
	[ "$pid" != "$dpid" ] && [ "$(readlink "$p/exe" 2>/dev/null)" = "$root/build/bin/swupgraded" ] &&
		grep -qzx "SWAUTH_CONFIG=$SWAUTH_CONFIG" "$p/environ" 2>/dev/null && mailpid=$pid
done
sigblk=$(sed -n 's/^SigBlk:[[:space:]]*//p' "/proc/${mailpid:-0}/status" 2>/dev/null)
stop_daemon
start_daemon
kill -0 "$dpid" 2>/dev/null && timeout 5 "$swupgrade" show >"$tmp/out" 2>&1 && has "failed"
ok $? "a restart while the mail waits for its server: the new daemon listens" ||
	sed 's/^/# /' "$tmp/daemon.log" >&2
[ -n "$mailpid" ] && [ "$sigblk" = 0000000000000000 ] && kill -TERM "$mailpid" && i=0 &&
	while kill -0 "$mailpid" 2>/dev/null && [ $i -lt 20 ]; do
		sleep 0.1
		i=$((i + 1))
	done && ! kill -0 "$mailpid" 2>/dev/null
ok $? "the mail grandchild (pid ${mailpid:-not found}, signals blocked ${sigblk:-?}) dies of SIGTERM"
mailpid=
exit $fail

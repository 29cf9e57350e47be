#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swupgrade and swupgraded on the host, against real servers on 127.0.0.1
# (selftests/net): getversion from HTTP and flash:, the checks that refuse
# an image (tampered, unbootable, wrong platform, the boot image itself),
# a server down, a bad URL, a time in the past, a second job, abortversion
# of a scheduled reload and of a download in progress, runversion, a
# daemon restart with a scheduled job and with a step in progress, the
# permission check, swupgrade.conf. The reload itself needs the module and
# runs in the VM; here the daemon's `now` reaches it and sees it fail on
# a host without the module, and the old boot image must be back.

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
command -v script >/dev/null || skip "no script (bsdutils)"
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || skip "no python3-aiosmtpd (run scripts/deps)"

SRV_NET_DIR=$root/selftests/net
. "$SRV_NET_DIR/servers.sh"
tmp=$(mktemp -d)
small_mounted=
tftpd_pid=
cleanup() {
	stop_daemon
	[ -n "$tftpd_pid" ] && kill "$tftpd_pid" 2>/dev/null
	[ -n "$small_mounted" ] && umount "$tmp/small"
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

make_images || exit 1
sign other c2900 "$tmp/payload" "$tmp/pub/other.SPA" || exit 1
head -c 4000 /dev/urandom >"$tmp/junk"
sign unbootable c3900 "$tmp/junk" "$tmp/pub/unbootable.SPA" || exit 1
cp "$tmp/pub/v2.SPA" "$tmp/pub/tampered.SPA"
tamper "$tmp/pub/tampered.SPA" 200000
# The slow image: 4 MiB, served at 200 KiB/s by hostile.py's /trickle.
head -c $((4 << 20)) /dev/urandom >"$tmp/kernel4"
{ le64 $((4 << 20)); cat "$tmp/kernel4"; le64 200000; cat "$tmp/initrd"; } >"$tmp/payload4"
sign slow c3900 "$tmp/payload4" "$tmp/slow" || exit 1
slow_size=$(stat -c %s "$tmp/slow")
chmod 644 "$tmp/pub/"*

export SWAUTH_CONFIG=$tmp/swauth.conf
write_config "$tmp/flash" "$tmp/flash/v1.SPA"
upconf=$tmp/swupgrade.conf
cp "$SWAUTH_CONFIG" "$tmp/orig.conf"

bail() {
	echo "Bail out! $1"
	exit 1
}
srv_init "$tmp/srv"
chmod 755 "$tmp/pub"
srv_http_start HTTP "$tmp/pub" || bail "the HTTP server did not start"
srv_http_start HTTPDROP "$tmp/pub" --drop-after 300000 --drops 2 ||
	bail "the dropping HTTP server did not start"
srv_ftp_start FTP "$tmp/pub" || bail "vsftpd did not start"
tport=$(srv_free_port)
in.tftpd --foreground --listen --address "127.0.0.1:$tport" --secure --user root "$tmp/pub" &
tftpd_pid=$!
srv_spawn_py HOSTILE "$SRV_NET_DIR/hostile.py" http "$tmp/slow" || bail "hostile.py did not start"
url=http://127.0.0.1:$HTTP_PORT
mkdir -p "$tmp/mail"
srv_smtp_start SMTP "$tmp/mail" || bail "the SMTP sink did not start"
loc_pass="lp$$-secret"
srv_locator_start LOC "$tmp/locator.log" "noc:$loc_pass" --images "$url" ||
	bail "the locator did not start"

# slow_getversion: a getversion of the slow image in the background
# ($gpid, its output in $tmp/follow), 1 s into its download.
slow_getversion() {
	"$swupgrade" getversion "http://127.0.0.1:$HOSTILE_PORT/trickle/200000/$slow_size" \
		</dev/null >"$tmp/follow" 2>&1 &
	gpid=$!
	i=0
	while ! grep -q '^step download' "$tmp/state/upgrade" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	sleep 1
}
state() { sed -n 's/^state //p' "$tmp/state/upgrade"; }
boot_image() { sed -n 's/^boot-image //p' "$SWAUTH_CONFIG"; }

echo "1..60"

# swupgrade.conf, without the daemon.
run config disk-cleanup crashinfo,core
run config smtp-server smtp.example.net
run config
[ $rc -eq 0 ] && has "disk-cleanup crashinfo,core" && has "smtp-server smtp.example.net" &&
	has "space-margin 16"
ok $? "config sets and shows disk-cleanup and smtp-server; space-margin defaults to 16" || why
cp "$upconf" "$tmp/conf.before"
run config disk-cleanup crashinfo,nothing
[ $rc -eq 2 ] && has "disk-cleanup takes crashinfo, core, image and irrecoverable" &&
	cmp -s "$upconf" "$tmp/conf.before"
ok $? "config refuses an unknown disk-cleanup category and keeps the file" || why
run config no smtp-server
run config colour blue
[ $rc -eq 2 ] && has "keywords: disk-cleanup" && ! grep -q smtp-server "$upconf"
ok $? "config no KEYWORD removes it; an unknown keyword is refused" || why

run show
[ $rc -eq 3 ] && has "swupgraded is not running"
ok $? "without the daemon, swupgrade says so and exits 3" || why
run </dev/null
[ $rc -ne 0 ] && has "terminal"
ok $? "without arguments and without a terminal nothing is asked and nothing done" || why

start_daemon
run show
[ $rc -eq 0 ] && has "Auto-Upgrade Manager configuration" && has "No upgrade job"
ok $? "show: the configuration and no job" || why

run getversion "$url/v2.SPA"
[ $rc -eq 0 ] && has "Downloading $url/v2.SPA to flash:v2.SPA" && has "verified by" &&
	has "is ready" && cmp -s "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA" && [ "$(state)" = ready ]
ok $? "getversion from HTTP: downloaded with /verify, checked, ready; the record says ready" ||
	why
[ "$(boot_image)" = "$tmp/flash/v1.SPA" ]
ok $? "getversion without a time leaves the boot image alone"
run show --json
[ $rc -eq 0 ] && /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
j = d["job"]
assert j["state"] == "ready" and j["image"] == "flash:v2.SPA", j
assert d["configuration"]["space-margin"] == 16
assert any("is ready" in l for l in j["log"])' "$tmp/out"
ok $? "show --json: one JSON object with the settings, the job and its log" || why

run runversion in 30
[ $rc -eq 0 ] && has "scheduled for" && [ "$(state)" = scheduled ]
ok $? "runversion in 30 schedules the reload" || why
run getversion "$url/other.SPA"
[ $rc -eq 1 ] && has "An upgrade is in progress"
ok $? "a second job is refused while one is scheduled" || why

stop_daemon
start_daemon
run show
has "State:                 scheduled" && [ "$(state)" = scheduled ]
ok $? "a daemon restart keeps the scheduled reload" || why

setpriv --reuid=nobody --regid=nogroup --clear-groups "$swupgrade" abortversion \
	</dev/null >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] && has "Permission denied" && [ "$(state)" = scheduled ]
ok $? "an unprivileged caller cannot abort" || why
setpriv --reuid=nobody --regid=nogroup --clear-groups "$swupgrade" show \
	</dev/null >"$tmp/out" 2>&1
[ $? -eq 0 ] && has "scheduled"
ok $? "an unprivileged caller may show" || why

# Unprivileged users holding every connection open cannot lock root out.
setpriv --reuid=nobody --regid=nogroup --clear-groups /usr/bin/python3 -c '
import socket, sys, time
s = [socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET) for i in range(12)]
n = 0
for c in s:
    try:
        c.connect(sys.argv[1])
        n += 1
    except OSError:
        pass
print(n, flush=True)
time.sleep(30)' "$tmp/run/swupgrade.sock" >"$tmp/idle" 2>&1 &
idle=$!
i=0
until [ -s "$tmp/idle" ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
run show
kill $idle 2>/dev/null
wait $idle 2>/dev/null
[ $rc -eq 0 ] && has "scheduled" && [ "$(cat "$tmp/idle")" -ge 8 ]
ok $? "idle connections of another user do not lock root out" || why

run abortversion
[ $rc -eq 0 ] && has "aborted" && [ "$(state)" = aborted ] &&
	[ "$(boot_image)" = "$tmp/flash/v1.SPA" ]
ok $? "abortversion cancels the scheduled reload; the boot image is unchanged" || why
run show
[ ! -e "$tmp/flash/v2.SPA" ] && has "Deleted flash:v2.SPA, which this job downloaded"
ok $? "an aborted job deletes the image it downloaded" || why
run abortversion
[ $rc -eq 1 ] && has "No upgrade in progress"
ok $? "abortversion with nothing in progress says so" || why

rm -f "$tmp/flash/tampered.SPA"
run getversion "$url/tampered.SPA" at 23:59
[ $rc -eq 1 ] && has "failed verification" && [ ! -e "$tmp/flash/tampered.SPA" ] &&
	[ "$(state)" = failed ] && [ -z "$(ls -A "$tmp/flash" | grep -v -e '^v[12].SPA$' -e '^\.swcopy')" ]
ok $? "a tampered image fails at download and leaves nothing" || why

run getversion "$url/unbootable.SPA"
[ $rc -eq 1 ] && has "at step check" &&
	has "%flash:unbootable.SPA: the payload is not a kernel and an initramfs"
ok $? "an image whose payload cannot boot fails at check, as boot system says it" || why

run getversion "$url/other.SPA"
[ $rc -eq 1 ] && has "at step check" &&
	has "%flash:other.SPA: the image is for platform 'c2900', this system is 'c3900'"
ok $? "an image for another platform fails at check, as boot system says it" || why

run getversion flash:v1.SPA
[ $rc -eq 1 ] && has "is the boot image already"
ok $? "the boot image itself is refused" || why

port=$(srv_free_port)
run getversion "http://127.0.0.1:$port/v2.SPA"
[ $rc -eq 1 ] && has "Cannot get" && has "at step space"
ok $? "a server that is down fails at the space step, with the reason" || why

run getversion "$url/.swcopy-sums"
[ $rc -eq 2 ] && has "does not start with a dot"
ok $? "an image name that would be one of the tools' hidden files is refused" || why
run getversion "gopher://127.0.0.1/v2.SPA"
[ $rc -eq 2 ]
ok $? "a bad URL is a usage error" || why
run getversion "$url/v2.SPA" at 10:00 Jan 1
[ $rc -eq 2 ]
ok $? "a time in the past is refused" || why
run getversion "$url/v2.SPA" disk-management sometimes
[ $rc -eq 2 ] && has "disk-management takes auto, confirm or no"
ok $? "a bad disk-management is refused" || why

# Abort in the middle of a slow download (4 MiB at 200 KiB/s).
slow_getversion
run abortversion
wait $gpid
grc=$?
[ $rc -eq 0 ] && [ $grc -eq 1 ] && grep -q "aborted at step download" "$tmp/follow" &&
	[ "$(state)" = aborted ] && [ ! -e "$tmp/flash/$slow_size" ] &&
	[ -z "$(ls -A "$tmp/flash" | grep -v -e '^v[12].SPA$' -e '^\.swcopy')" ]
ok $? "abortversion during a download stops it; nothing partial is left" || {
	echo "# rc $rc, getversion's $grc, state $(state), flash: $(ls -A "$tmp/flash")" >&2
	sed 's/^/# /' "$tmp/follow" "$tmp/out" >&2
}

# The daemon killed during a download: the step dies with it, the next
# daemon ends the job.
slow_getversion
kill -9 "$dpid"
wait "$dpid" 2>/dev/null
dpid=
wait $gpid
grc=$?
sleep 0.5
pgrep -f "trickle/200000/$slow_size" >/dev/null
left=$?
start_daemon
run show
[ $grc -eq 3 ] && [ $left -eq 1 ] && [ "$(state)" = failed ] &&
	has "interrupted at step download" && [ ! -e "$tmp/flash/$slow_size" ]
ok $? "a killed daemon takes its download with it; the next one ends the job" ||
	sed 's/^/# /' "$tmp/follow" "$tmp/out" >&2

# getversion now: the boot image switches, the reload fails (no module
# on the host), the old boot image is back.
cp "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA"
run getversion flash:v2.SPA now
[ $rc -eq 1 ] && has "Boot image set to flash:v2.SPA" || has "Boot image set to $tmp/flash/v2.SPA"
ok $? "getversion now sets the boot image before the reload" || why
has "the reload did not happen" && has "Boot image restored to $tmp/flash/v1.SPA" &&
	[ "$(boot_image)" = "$tmp/flash/v1.SPA" ] && [ "$(state)" = failed ] &&
	cmp -s "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA"
ok $? "a reload that fails puts the old boot image back; a local image is kept" || why

# The status mail at a job's end; the image locator.
run config email-recipient "noc@example.org
Bcc: x@example.org"
[ $rc -eq 2 ] && ! grep -q email-recipient "$upconf"
ok $? "config refuses a recipient with a line break" || why
run config locator-url "http://127.0.0.1:$LOC_PORT/locate"
[ $rc -eq 2 ] && has "https://"
ok $? "config refuses a locator URL that is not https" || why
run config email-recipient noc@example.org
run config smtp-server "127.0.0.1:$SMTP_PORT"
run config locator-url "https://127.0.0.1:$LOC_PORT/locate"
run config locator-ca "$tmp/srv/ca.crt"
run getversion "$url/other.SPA"
i=0
while ! grep -qs "failed" "$tmp/mail/1.eml" && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
grep -q "^Subject: swupgrade on .*: failed: flash:other.SPA" "$tmp/mail/1.eml" &&
	grep -q "at step check" "$tmp/mail/1.eml" && grep -q "^rcpt noc@example.org" "$tmp/mail/1.env"
ok $? "a failed job mails its end to the recipient, with the reason" ||
	sed 's/^/# /' "$tmp/mail/"* >&2
printf '%s\n' "$loc_pass" >"$tmp/pw"
chmod 600 "$tmp/pw"
rm -f "$tmp/flash/v2.SPA"
run getversion locator username noc image v2.SPA --password-file "$tmp/pw"
[ $rc -eq 0 ] && has "The locator places v2.SPA at $url/v2.SPA" && has "is ready" &&
	cmp -s "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA" &&
	grep -q "\"password\": \[\"$loc_pass\"\]" "$tmp/locator.log"
ok $? "getversion through the image locator: the URL it gives is downloaded" || why
run getversion locator username noc password wrong image crypto
[ $rc -eq 1 ] && has "bad user name or password" && has "at step locate"
ok $? "a locator that refuses the credentials fails the job with its words" || why
run show
! grep -rqs -e "$loc_pass" -e wrong "$tmp/state" "$tmp/out" "$tmp/mail" "$tmp/daemon.log"
ok $? "the locator password is in no record, output, mail or log"
run config no locator-url
run getversion locator username noc password x image v2.SPA
[ $rc -eq 2 ] && has "No image locator is configured"
ok $? "the locator form without a locator-url is refused" || why
run config no email-recipient
run config no smtp-server

# The seeds' interactive mode (C2.1), on a terminal.
rm -f "$tmp/flash/v2.SPA"
printf '%s\n' "$url/v2.SPA" later no | script -qec "$swupgrade" /dev/null >"$tmp/out" 2>&1
has "Image to upgrade to (URL or flash:NAME)" && has "Disk management when space is short" &&
	has "is ready" && cmp -s "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA"
ok $? "without arguments on a terminal swupgrade asks for getversion's words and runs it" || why

# FTP, TFTP, and an HTTP download cut twice that resumes.
for proto in "ftp://127.0.0.1:$FTP_PORT" "tftp://127.0.0.1:$tport"; do
	rm -f "$tmp/flash/v2.SPA"
	run getversion "$proto/v2.SPA"
	[ $rc -eq 0 ] && has "is ready" && cmp -s "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA"
	ok $? "getversion over ${proto%%:*}: downloaded, verified, ready" || why
done
cp "$tmp/pub/v2.SPA" "$tmp/flash/spare.SPA"
run getversion flash:spare.SPA
[ $rc -eq 0 ] && has "(job " && has "ready) replaced by a new getversion: its download deleted" &&
	[ ! -e "$tmp/flash/v2.SPA" ] && [ -e "$tmp/flash/spare.SPA" ]
ok $? "a new getversion ends the ready job it replaces and deletes that job's download" || why
rm -f "$tmp/flash/spare.SPA"
rm -f "$tmp/flash/v2.SPA"
run getversion "http://127.0.0.1:$HTTPDROP_PORT/v2.SPA"
[ $rc -eq 0 ] && has "%Resumed at" && has "is ready" && cmp -s "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA"
ok $? "a dropped HTTP download resumes where it stopped; the image is whole and verified" || why

# A step in progress when the daemon stops (SIGTERM) ends the job there.
slow_getversion
stop_daemon
wait $gpid
grep -q "interrupted at step download: swupgraded stopped" "$tmp/follow" &&
	[ "$(state)" = failed ] && [ ! -e "$tmp/flash/$slow_size" ]
ok $? "a daemon stopped during a download ends the job and says why" ||
	sed 's/^/# /' "$tmp/follow" >&2

start_daemon
build/bin/swupgraded $trust >"$tmp/second" 2>&1
[ $? -ne 0 ] && grep -q "another swupgraded listens" "$tmp/second"
ok $? "a second daemon refuses to start" || sed 's/^/# /' "$tmp/second" >&2
stop_daemon

# After the reload (simulated: the job's record says reloading from
# another boot, boot-dir's record says the firmware booted v2): probation.
came_up() { # HEALTH-CHECK
	stop_daemon
	cp "$tmp/pub/v2.SPA" "$tmp/flash/v2.SPA"
	mkdir -p "$tmp/boot/current"
	printf 'id 0123456789abcdef0123456789abcdef\nkind cold\ntime 1\nimage %s\n' \
		"$tmp/flash/v2.SPA" >"$tmp/boot/current/image"
	printf 'flash-dir %s\nstate-dir %s\nrun-dir %s\nboot-dir %s\nplatform c3900\nboot-image %s\n' \
		"$tmp/flash" "$tmp/state" "$tmp/run" "$tmp/boot" "$tmp/flash/v2.SPA" >"$SWAUTH_CONFIG"
	printf '%s\n' "id 00000000000000000000000000000001" "state reloading" "step reload" \
		"started 1" "updated 1" "source $url/v2.SPA" "image flash:v2.SPA" \
		"path $tmp/flash/v2.SPA" "disk-management no" "when 1" "kind cold" \
		"previous-boot-image $tmp/flash/v1.SPA" "boot-switched yes" "downloaded yes" \
		"boot-id not-this-boot" >"$tmp/state/upgrade"
	run config health-check "$1"
	run config confirm-deadline 10
	start_daemon
}
came_up ping=127.0.0.1,verify
i=0
until [ "$(state)" = done ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
run show
[ "$(state)" = done ] && has "passed its health checks" && [ "$(boot_image)" = "$tmp/flash/v2.SPA" ]
ok $? "after the reload the new image passes its health checks (ping, verify): done" || why
came_up verify,confirm
sleep 1
run show
has "State:                 confirming" && has "Confirm by:"
ok $? "with confirm in health-check the new image waits on probation" || why
run abortversion
[ $rc -eq 1 ] && has "on probation"
ok $? "a job on probation cannot be aborted, only confirmed or rolled back" || why
stop_daemon
start_daemon
run show
has "State:                 confirming" && [ "$(boot_image)" = "$tmp/flash/v2.SPA" ]
ok $? "a daemon restarted on probation keeps the job on probation and the new boot image" || why
run confirm
[ $rc -eq 0 ] && [ "$(state)" = done ] && [ "$(boot_image)" = "$tmp/flash/v2.SPA" ] &&
	[ -e "$tmp/flash/v2.SPA" ]
ok $? "swupgrade confirm makes the new image final" || why
came_up unit=swupgrade-test-none.service
sleep 2
run show
has "Health check unit=swupgrade-test-none.service:" && [ "$(state)" = confirming ]
ok $? "a failing health check is retried until the deadline" || why
i=0
until [ "$(state)" = failed ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
run show
[ "$(state)" = failed ] && has "Rolling back from flash:v2.SPA" &&
	has "Boot image restored to $tmp/flash/v1.SPA" && [ "$(boot_image)" = "$tmp/flash/v1.SPA" ] &&
	[ -e "$tmp/flash/v2.SPA" ]
ok $? "at the deadline the system rolls back: the previous boot image is back (the reload needs the VM)" ||
	why
run config no health-check
stop_daemon
cp "$tmp/orig.conf" "$SWAUTH_CONFIG"

# disk-management on a small flash: (an 8 MiB tmpfs) that holds the boot
# image v1 (0.5 MiB) and an old image (4.2 MiB): 3.3 MiB free, and the new
# 3.2 MiB image needs 4.2 MiB with a 1 MiB margin.
mkdir -p "$tmp/small"
mount -t tmpfs -o size=8m,mode=0755 swupgrade-test "$tmp/small" || bail "cannot mount a tmpfs"
small_mounted=1
head -c $((3 << 20)) /dev/urandom >"$tmp/kernel3"
{ le64 $((3 << 20)); cat "$tmp/kernel3"; le64 200000; cat "$tmp/initrd"; } >"$tmp/payload3"
sign new c3900 "$tmp/payload3" "$tmp/pub/new.SPA" || exit 1
head -c $((4 << 20)) /dev/urandom >"$tmp/kernel-old"
{ le64 $((4 << 20)); cat "$tmp/kernel-old"; le64 200000; cat "$tmp/initrd"; } >"$tmp/payload-old"
sign old c3900 "$tmp/payload-old" "$tmp/small/old.SPA" || exit 1
cp "$tmp/flash/v1.SPA" "$tmp/small/v1.SPA"
chmod 644 "$tmp/pub/new.SPA"
write_config "$tmp/small" "$tmp/small/v1.SPA"
run config space-margin 1
run config no disk-cleanup
start_daemon
run getversion "$url/new.SPA" disk-management no
[ $rc -eq 1 ] && has "Not enough space on flash:" && [ -e "$tmp/small/old.SPA" ] &&
	[ ! -e "$tmp/small/new.SPA" ]
ok $? "disk-management no: not enough space fails with the space needed; nothing deleted" || why
run getversion "$url/new.SPA" disk-management auto
[ $rc -eq 1 ] && has "no categories configured" && [ -e "$tmp/small/old.SPA" ]
ok $? "disk-management auto without disk-cleanup categories deletes nothing" || why
run config disk-cleanup image
run getversion "$url/new.SPA" disk-management confirm
[ $rc -eq 1 ] && [ -e "$tmp/small/old.SPA" ] && has "Kept flash:old.SPA"
ok $? "disk-management confirm without a terminal keeps every file" || why
printf 'no\n' | script -qec "$swupgrade getversion $url/new.SPA disk-management confirm" \
	/dev/null >"$tmp/out" 2>&1
[ -e "$tmp/small/old.SPA" ] && has "Delete flash:old.SPA" && has "Kept flash:old.SPA"
ok $? "disk-management confirm asks file by file; no keeps it" || why
printf 'yes\n' | script -qec "$swupgrade getversion $url/new.SPA disk-management confirm" \
	/dev/null >"$tmp/out" 2>&1
[ ! -e "$tmp/small/old.SPA" ] && has "Deleted flash:old.SPA (image)" && has "is ready" &&
	cmp -s "$tmp/pub/new.SPA" "$tmp/small/new.SPA" && [ -e "$tmp/small/v1.SPA" ]
ok $? "disk-management confirm: yes deletes the old image; the boot image stays; the new one arrives" || why
rm -f "$tmp/small/new.SPA"
cp "$tmp/pub/v2.SPA" "$tmp/small/spare.SPA"
sign old c3900 "$tmp/payload-old" "$tmp/small/old.SPA" || exit 1
run getversion "$url/new.SPA" disk-management auto
[ $rc -eq 0 ] && [ ! -e "$tmp/small/spare.SPA" ] && [ ! -e "$tmp/small/old.SPA" ] &&
	[ "$(grep -o 'Deleted flash:[a-z]*.SPA' "$tmp/out" | tr '\n' ' ')" = \
		"Deleted flash:spare.SPA Deleted flash:old.SPA " ] &&
	[ -e "$tmp/small/v1.SPA" ] && cmp -s "$tmp/pub/new.SPA" "$tmp/small/new.SPA"
ok $? "disk-management auto deletes unprotected images, oldest first, until the image fits; the boot image stays" || why
rm -f "$tmp/small/new.SPA"

# A step that leaves a process behind, holding the step's output open: a
# copy of the daemon beside a swcopy that starts one and fails. The step
# ends when its own process does, and what it left goes with it.
mkdir "$tmp/fakebin"
cp build/bin/swupgraded build/bin/swauth "$tmp/fakebin/"
cat >"$tmp/fakebin/swcopy" <<'EOF2'
#!/bin/sh
sleep 300 &
echo $! >"${0%/*}/left.pid"
echo "%fake swcopy: cut off"
exit 3
EOF2
chmod 755 "$tmp/fakebin/swcopy"
swupgraded=$tmp/fakebin/swupgraded
start_daemon
"$swupgrade" getversion "$url/new.SPA" </dev/null >"$tmp/out" 2>&1 &
getv=$!
i=0
while kill -0 "$getv" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill "$getv" 2>/dev/null
wait "$getv"
rc=$?
[ $rc -ne 0 ] && [ $rc -lt 124 ] && has "fake swcopy: cut off" && [ "$(state)" = failed ]
ok $? "a step that leaves a process holding its output ends when the step does" || why
# Killed: gone, or a zombie until its new parent reaps it.
left=$(cat "$tmp/fakebin/left.pid" 2>/dev/null)
[ -n "$left" ] && case $(ps -o stat= -p "$left") in "" | Z*) true ;; *) false ;; esac
ok $? "what the step left in its process group is killed at the step's end" ||
	{ [ -n "$left" ] && kill "$left"; }
stop_daemon
swupgraded=

exit $fail

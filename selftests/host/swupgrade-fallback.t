#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# fallback-url (the seeds' C5.4): on a flash: where only one image fits,
# the space step deletes the previous boot image to make room, and the
# job downloads it again through swcopy /verify when it ends. Against
# real HTTP servers on 127.0.0.1 (selftests/net) and an 8 MiB tmpfs as
# flash:. The reload itself needs the VM: here it is simulated as in
# swupgrade.t (the job's record says reloading from another boot,
# boot-dir's record says the firmware booted the new image), or fails on
# the host for the failure path.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
. selftests/host/tap.sh

skip() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ -x build/bin/swupgraded ] || skip "build/bin/swupgraded is not built (run make)"
[ "$(id -u)" -eq 0 ] || skip "runs the daemon as root and mounts a tmpfs"
command -v python3 >/dev/null || skip "no python3 (run scripts/deps)"
/usr/bin/python3 -c "import aiosmtpd" 2>/dev/null || skip "no python3-aiosmtpd (run scripts/deps)"

SRV_NET_DIR=$root/selftests/net
. "$SRV_NET_DIR/servers.sh"
tmp=$(mktemp -d)
small_mounted=
cleanup() {
	stop_daemon
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

bail() {
	echo "Bail out! $1"
	exit 1
}

# flash: is an 8 MiB tmpfs holding the boot image old.SPA (3.4 MiB); the
# new image (3.4 MiB) needs 5.4 MiB with a 2 MiB margin: it fits only
# where old.SPA was, and old.SPA fits again beside it without the margin.
make_images || exit 1
mkdir -p "$tmp/small" "$tmp/old" "$tmp/mail"
mount -t tmpfs -o size=8m,mode=0755 swupgrade-fallback "$tmp/small" || bail "cannot mount a tmpfs"
small_mounted=1
image3() { # NAME OUT: a signed 3.4 MiB image
	head -c $((3 << 20)) /dev/urandom >"$tmp/k-$1"
	{ le64 $((3 << 20)); cat "$tmp/k-$1"; le64 200000; cat "$tmp/initrd"; } >"$tmp/p-$1"
	sign "$1" c3900 "$tmp/p-$1" "$2"
}
image3 new "$tmp/pub/new.SPA" && image3 old "$tmp/old/old.SPA" || exit 1
head -c $((3 << 20)) /dev/urandom >"$tmp/k-other"
{ le64 $((3 << 20)); cat "$tmp/k-other"; le64 200000; cat "$tmp/initrd"; } >"$tmp/p-other"
sign other c2900 "$tmp/p-other" "$tmp/pub/other.SPA" || exit 1
cp "$tmp/old/old.SPA" "$tmp/pub/old.SPA"
cp "$tmp/old/old.SPA" "$tmp/pub/tampered.SPA"
tamper "$tmp/pub/tampered.SPA" 200000
chmod 755 "$tmp/pub" "$tmp/old"
chmod 644 "$tmp/pub/"* "$tmp/old/"*

export SWAUTH_CONFIG=$tmp/swauth.conf
upconf=$tmp/swupgrade.conf
# config BOOT: swauth.conf with flash: on the tmpfs, boot-dir and boot-image BOOT.
config() {
	printf 'flash-dir %s\nstate-dir %s\nrun-dir %s\nboot-dir %s\nplatform c3900\nboot-image %s\n' \
		"$tmp/small" "$tmp/state" "$tmp/run" "$tmp/boot" "$1" >"$SWAUTH_CONFIG"
}
# fresh: flash: holds only the boot image old.SPA; nothing runs from boot-dir.
fresh() {
	rm -f "$tmp/small/new.SPA"
	cp "$tmp/old/old.SPA" "$tmp/small/old.SPA"
	rm -rf "$tmp/boot"
	config "$tmp/small/old.SPA"
}
# record DIR IMAGE [DIGEST]: DIR/image, the record of a cold reload into
# IMAGE (with the payload digest DIGEST).
record() {
	mkdir -p "$1"
	printf 'id 0123456789abcdef0123456789abcdef\nkind cold\ntime 1\nimage %s\n' "$2" >"$1/image"
	[ -z "${3-}" ] || echo "digest $3" >>"$1/image"
}
# running IMAGE [DIGEST]: boot-dir's record says the firmware booted IMAGE.
running() { record "$tmp/boot/current" "$@"; }
# booted IMAGE DIGEST: boot-dir as a cold reload into IMAGE leaves it,
# boot-dir/current a link to boot-dir/ID, which holds the record.
bootid=0123456789abcdef0123456789abcdef
booted() {
	rm -rf "$tmp/boot"
	record "$tmp/boot/$bootid" "$1" "$2"
	ln -s "$bootid" "$tmp/boot/current"
}
# payload_digest IMAGE: the payload digest IMAGE's header carries.
payload_digest() {
	build/bin/swauth verify $trust --json "$1" | sed -n 's/.*"embedded_digest":"\([0-9a-f]*\)".*/\1/p'
}
# reloaded: the ready job's reload into new.SPA, simulated, then the daemon.
reloaded() {
	stop_daemon
	running "$tmp/small/new.SPA"
	config "$tmp/small/new.SPA"
	sed -i -e 's/^state .*/state reloading/' -e 's/^step .*/step reload/' \
		-e '/^previous-boot-image /d' -e '/^boot-switched /d' -e '/^boot-id /d' \
		"$tmp/state/upgrade"
	printf '%s\n' "previous-boot-image $tmp/small/old.SPA" "boot-switched yes" \
		"boot-id not-this-boot" >>"$tmp/state/upgrade"
	start_daemon
}
state() { sed -n 's/^state //p' "$tmp/state/upgrade"; }
field() { sed -n "s/^$1 //p" "$tmp/state/upgrade"; }
boot_image() { sed -n 's/^boot-image //p' "$SWAUTH_CONFIG"; }
wait_state() { # STATE: until the job's record says STATE (20 s)
	i=0
	until [ "$(state)" = "$1" ] || [ $i -ge 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
# on_probation: from a fresh flash:, new.SPA downloaded (the previous image
# deleted for it), reloaded into, and held on probation by a health check
# that cannot pass, whose deadline is 10 s away.
on_probation() {
	fresh
	start_daemon
	run getversion "$url/new.SPA" disk-management auto
	run config health-check unit=swupgrade-test-none.service
	run config confirm-deadline 10
	reloaded
	wait_state confirming
}
# no_partial: flash: holds no file but the images and swcopy's sums.
no_partial() {
	[ -z "$(ls -A "$tmp/small" | grep -v -e '^new\.SPA$' -e '^old\.SPA$' -e '^\.swcopy-sums$')" ]
}
# mail_has N TEXT: the N-th status mail arrived (10 s) and has TEXT.
mail_has() {
	i=0
	while [ ! -s "$tmp/mail/$1.eml" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	/usr/bin/python3 -c 'import quopri, sys
sys.stdout.write(quopri.decodestring(open(sys.argv[1], "rb").read()).decode())' \
		"$tmp/mail/$1.eml" | grep -qF -- "$2"
}
# shows LABEL VALUE: swupgrade show's line LABEL VALUE is in $tmp/out.
shows() { has "$(printf '%-22s %s' "$1" "$2")"; }

srv_init "$tmp/srv"
srv_http_start HTTP "$tmp/pub" || bail "the HTTP server did not start"
srv_http_start OLD "$tmp/old" || bail "the HTTP server of the old image did not start"
srv_smtp_start SMTP "$tmp/mail" || bail "the SMTP sink did not start"
url=http://127.0.0.1:$HTTP_PORT
old=http://127.0.0.1:$OLD_PORT/

echo "1..39"

fresh
run config space-margin 2
run config disk-cleanup image
run config fallback-url "http://noc:secret@127.0.0.1:$OLD_PORT/"
[ $rc -eq 2 ] && has "fallback-url: no password" && ! grep -q fallback-url "$upconf"
ok $? "config refuses a fallback-url with a password (the job record keeps the URL)" || why
run config fallback-url "flash:images/"
[ $rc -eq 2 ] && has "fallback-url: must be the URL of a server's directory" &&
	! grep -q fallback-url "$upconf"
ok $? "config refuses a fallback-url that is not a server's" || why

start_daemon
run getversion "$url/new.SPA" disk-management auto
[ $rc -eq 1 ] && has "Not enough space on flash:" && has "at step space" &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && [ ! -e "$tmp/small/new.SPA" ]
ok $? "without fallback-url the boot image stays and the job fails with the space needed" || why

run config fallback-url "$old"
run show
[ $rc -eq 0 ] && shows fallback-url: "$old"
ok $? "show: the fallback-url" || why
run getversion "$url/new.SPA" disk-management no
[ $rc -eq 1 ] && has "Not enough space on flash:" && ! has "previous image" &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && [ ! -e "$tmp/small/new.SPA" ]
ok $? "with fallback-url, disk-management no still deletes nothing and fails with the space needed" ||
	why

# The system runs the previous image: its file goes only when boot-dir
# holds its copy, the same image with the same payload digest.
digest=$(payload_digest "$tmp/old/old.SPA")
other=$(payload_digest "$tmp/pub/new.SPA")
[ -n "$digest" ] && [ -n "$other" ] || bail "swauth verify gave no payload digest"
kept() { # WHY: the running previous image kept for WHY, the job failed with the space needed
	[ $rc -eq 1 ] &&
		has "Kept flash:old.SPA, the previous image: the system runs it and boot-dir does not hold its copy: $1" &&
		has "Not enough space on flash:" && has "at step space" &&
		cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && [ ! -e "$tmp/small/new.SPA" ]
}
running "$tmp/small/old.SPA" "$other"
run getversion "$url/new.SPA" disk-management auto
kept "its payload digest is $digest, boot-dir's copy's $other"
ok $? "the running previous image whose boot-dir record has another payload digest is kept" || why
rm -rf "$tmp/boot"

run getversion "$url/new.SPA" disk-management confirm
[ $rc -eq 1 ] && has "Kept flash:old.SPA, the previous image" &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA"
ok $? "disk-management confirm without anyone to ask keeps the previous image" || why

# The status mails from here on: 1 done, 2 to 4 failed, 5 aborted, 6 done with a warning.
run config email-recipient noc@example.org
run config smtp-server "127.0.0.1:$SMTP_PORT"
run getversion "$url/new.SPA" disk-management auto
[ $rc -eq 0 ] && has "Deleted flash:old.SPA, the previous image: downloaded again from ${old}old.SPA" &&
	has "is ready" && cmp -s "$tmp/pub/new.SPA" "$tmp/small/new.SPA" &&
	[ ! -e "$tmp/small/old.SPA" ] && [ "$(field fallback)" = deleted ] &&
	[ "$(field fallback-url)" = "${old}old.SPA" ] && [ "$(field fallback-image)" = flash:old.SPA ] &&
	[ "$(field fallback-sha256)" = "$(sha256sum <"$tmp/old/old.SPA" | cut -d' ' -f1)" ]
ok $? "with fallback-url the previous image makes room; the job records where it comes back from" ||
	why
reloaded
wait_state done
run show
[ "$(state)" = done ] && [ "$(field fallback)" = restored ] &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && [ "$(boot_image)" = "$tmp/small/new.SPA" ] &&
	shows "Fallback image:" "flash:old.SPA (downloaded again; from ${old}old.SPA)" &&
	has "the previous image flash:old.SPA was downloaded again from ${old}old.SPA as the fallback" &&
	no_partial
ok $? "after the upgrade the previous image comes back byte-identical as the fallback" || why
mail_has 1 "was downloaded again from ${old}old.SPA"
ok $? "the status mail says the fallback came back" || sed 's/^/# /' "$tmp/mail/"* >&2

# A job that fails after the deletion brings the previous image back,
# then the boot image (the reload needs the module: it fails here).
fresh
start_daemon
run getversion "$url/new.SPA" disk-management auto
run runversion now
wait_state failed
[ "$(state)" = failed ] && [ "$(field fallback)" = restored ] &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && [ "$(boot_image)" = "$tmp/small/old.SPA" ] &&
	grep -q "downloaded again from ${old}old.SPA" "$tmp/state/upgrade" &&
	no_partial
ok $? "a job that fails after deleting the previous image downloads it again and sets it back as the boot image" ||
	{ why; sed 's/^/# /' "$tmp/state/upgrade" >&2; }

# The new image fails its health check by the deadline: the previous
# image comes back first, then the rollback sets it as the boot image (its
# reload needs the VM).
on_probation
i=0
until [ "$(state)" = failed ] || [ $i -ge 300 ]; do sleep 0.1; i=$((i + 1)); done
run show
[ "$(state)" = failed ] && [ "$(field fallback)" = restored ] && has "Rolling back from flash:new.SPA" &&
	has "Downloading the previous image flash:old.SPA again" &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && [ "$(boot_image)" = "$tmp/small/old.SPA" ] &&
	has "Boot image restored to $tmp/small/old.SPA" && no_partial
ok $? "a rollback first downloads the deleted previous image again, then sets it as the boot image" ||
	why
run config no health-check

# A job that fails before the boot image changed: its download goes, then
# the previous image comes back; the boot image never changed.
fresh
start_daemon
run getversion "$url/other.SPA" disk-management auto
[ $rc -eq 1 ] && has "at step check" && has "Deleted flash:other.SPA, which this job downloaded" &&
	[ "$(field fallback)" = restored ] && cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" &&
	[ "$(boot_image)" = "$tmp/small/old.SPA" ] && [ ! -e "$tmp/small/other.SPA" ] &&
	has "was downloaded again from ${old}old.SPA" && no_partial
ok $? "a job that fails its check after deleting the previous image deletes its download, then brings the previous image back" ||
	why

# A new getversion ends a ready job that deleted the previous image: it
# comes back first, and the new getversion is not started.
fresh
start_daemon
run getversion "$url/new.SPA" disk-management auto
run getversion "$url/v2.SPA"
[ $rc -eq 1 ] && has "ended by a new getversion: it deleted the previous image flash:old.SPA, which comes back first" &&
	[ "$(state)" = aborted ] && [ "$(field fallback)" = restored ] &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && [ ! -e "$tmp/small/new.SPA" ] &&
	[ ! -e "$tmp/small/v2.SPA" ] && [ "$(boot_image)" = "$tmp/small/old.SPA" ] && no_partial
ok $? "a new getversion ends the ready job that deleted the previous image, which comes back first" ||
	why

# The server of the old image down: the upgrade is done, with a warning.
fresh
start_daemon
run getversion "$url/new.SPA" disk-management auto
kill "$OLD_PID"
wait "$OLD_PID" 2>/dev/null
reloaded
wait_state done
run show
[ "$(state)" = done ] && [ "$(field fallback)" = failed ] && [ ! -e "$tmp/small/old.SPA" ] &&
	has "warning: the previous image flash:old.SPA could not be downloaded again from ${old}old.SPA (the download failed)" &&
	shows "Fallback image:" "flash:old.SPA (could not be downloaded again" &&
	[ "$(boot_image)" = "$tmp/small/new.SPA" ] && no_partial
ok $? "the old image's server down: the upgrade is done, show warns, nothing partial is left" || why
mail_has 6 "warning: the previous image flash:old.SPA could not be downloaded again"
ok $? "the status mail carries the warning" || sed 's/^/# /' "$tmp/mail/6.eml" >&2

# A daemon (re)started during the fallback step downloads it again.
# restart FALLBACK-URL [FALLBACK-IMAGE]: the record of a done job in its
# fallback step (the image flash:old.SPA unless given).
restart() {
	stop_daemon
	sed -i -e 's/^state .*/state running/' -e 's/^step .*/step fallback/' \
		-e 's/^fallback .*/fallback deleted/' -e '/^fallback-then /d' \
		-e "s|^fallback-url .*|fallback-url $1|" \
		-e "s|^fallback-image .*|fallback-image ${2:-flash:old.SPA}|" "$tmp/state/upgrade"
	echo "fallback-then done" >>"$tmp/state/upgrade"
	sed -i "s|^message .*|message %Upgrade done: the system runs flash:new.SPA|" "$tmp/state/upgrade"
	start_daemon
	wait_state done
}
restart "$url/tampered.SPA"
run show
[ "$(state)" = done ] && [ "$(field fallback)" = failed ] && [ ! -e "$tmp/small/old.SPA" ] &&
	has "could not be downloaded again from $url/tampered.SPA (it failed verification)" && no_partial
ok $? "a tampered previous image fails /verify: not kept, the upgrade stays done with a warning" ||
	why
restart "$url/new.SPA"
run show
[ "$(state)" = done ] && [ "$(field fallback)" = failed ] && [ ! -e "$tmp/small/old.SPA" ] &&
	has "it verifies, but it is not the image that was deleted" &&
	has "could not be downloaded again from $url/new.SPA (another image came, not the one deleted)" &&
	cmp -s "$tmp/pub/new.SPA" "$tmp/small/new.SPA" && no_partial
ok $? "another signed image served for the previous one is deleted again: only the image deleted comes back" ||
	why
restart "$url/old.SPA" flash:../outside.SPA
run show
[ "$(state)" = done ] && [ "$(field fallback)" = failed ] &&
	has "fallback image flash:../outside.SPA is not flash:NAME" && [ ! -e "$tmp/outside.SPA" ] &&
	[ ! -e "$tmp/small/old.SPA" ] && no_partial
ok $? "a job record whose fallback image is not flash:NAME is not followed: nothing is written" ||
	why
restart "$url/old.SPA"
run show
[ "$(state)" = done ] && [ "$(field fallback)" = restored ] &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && has "Downloading the previous image flash:old.SPA again"
ok $? "a daemon restarted in the fallback step downloads the previous image again" || why
run abortversion
[ $rc -eq 1 ] && has "No upgrade in progress"
ok $? "after the fallback step the job rests" || why

run show --json
[ $rc -eq 0 ] && /usr/bin/python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
j = d["job"]
assert d["configuration"]["fallback-url"] == sys.argv[2], d["configuration"]
assert j["fallback"] == "restored" and j["fallback-image"] == "flash:old.SPA", j
assert j["fallback-url"] == sys.argv[3], j' "$tmp/out" "$old" "$url/old.SPA"
ok $? "show --json: fallback-url, and the job's fallback image, its URL and what became of it" || why

run config no fallback-url
run show
[ $rc -eq 0 ] && shows fallback-url: none
ok $? "config no fallback-url: show says the boot image is never deleted" || why

# power_cut: the daemon killed now (its step dies with it), as a power cut
# stops both, and the client reaped; $recorded and $at_cut keep what the
# record said then (fallback, state). Then the next daemon, until the job
# ends failed, and its show.
power_cut() {
	kill -KILL "$dpid"
	wait "$dpid" 2>/dev/null
	dpid=
	wait "$cli"
	recorded=$(field fallback)
	at_cut=$(state)
	start_daemon
	wait_state failed
	run show
}

# A cut between the deletion of the previous image and its record: the
# daemon frozen (SIGSTOP) while the space step waits for the image's size,
# then killed while the step goes on, as a power cut stops both. The
# step deletes only once the record says so.
run config fallback-url "$url/"
fresh
start_daemon
kill -STOP "$HTTP_PID"
"$swupgrade" getversion "$url/new.SPA" disk-management auto </dev/null >"$tmp/out" 2>&1 &
cli=$!
i=0
until { [ "$(state)" = running ] && [ "$(field step)" = space ]; } || [ $i -ge 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -STOP "$dpid"
kill -CONT "$HTTP_PID"
i=0
while [ -e "$tmp/small/old.SPA" ] && [ $i -lt 30 ]; do
	sleep 0.1
	i=$((i + 1))
done
power_cut
[ "$(state)" = failed ] && cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" &&
	[ "$(boot_image)" = "$tmp/small/old.SPA" ] && [ ! -e "$tmp/small/new.SPA" ] && no_partial
ok $? "a cut between the deletion of the previous image and its record: the boot image is there after the restart" ||
	{ why; echo "# the record said fallback '$recorded' at the cut" >&2; }

# A cut in the fallback step after swcopy put another signed image at
# flash:old.SPA, before the comparison: the next daemon compares too.
sed -i '/^fallback-sha256 /d' "$tmp/state/upgrade"
echo "fallback-sha256 $(sha256sum <"$tmp/old/old.SPA" | cut -d' ' -f1)" >>"$tmp/state/upgrade"
cp "$tmp/pub/new.SPA" "$tmp/small/old.SPA"
restart "$url/old.SPA"
run show
[ "$(state)" = done ] && [ "$(field fallback)" = restored ] &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && has "is not the image that was deleted" &&
	no_partial
ok $? "a restart finds another image at the previous image's name: replaced by the one deleted" ||
	{ why; sed 's/^/# /' "$tmp/state/upgrade" >&2; }

# The reload fails after the boot image became the new image, while
# swauth started the system from a third image (boot-dir's record) and the
# previous image's server is down: the new image stays, the boot image.
run config fallback-url "$old"
fresh
start_daemon
running "$tmp/small/third.SPA"
run getversion "$url/new.SPA" disk-management auto
run runversion now
wait_state failed
run show
[ "$(state)" = failed ] && [ "$(field fallback)" = failed ] && [ ! -e "$tmp/small/old.SPA" ] &&
	[ "$(boot_image)" = "$tmp/small/new.SPA" ] && cmp -s "$tmp/pub/new.SPA" "$tmp/small/new.SPA" &&
	has "could not be set back" && no_partial
ok $? "a failed reload whose previous image cannot come back keeps the new image, the boot image" ||
	{ why; sed 's/^/# /' "$tmp/state/upgrade" >&2; }
rm -rf "$tmp/boot"

# A job that fails before the boot image changed, the previous image's
# server down: boot-image names the deleted file, and the status says so.
fresh
start_daemon
run getversion "$url/other.SPA" disk-management auto
run show
[ "$(state)" = failed ] && [ "$(field fallback)" = failed ] && [ ! -e "$tmp/small/old.SPA" ] &&
	[ "$(boot_image)" = "$tmp/small/old.SPA" ] &&
	has "could not be downloaded again from ${old}old.SPA" &&
	has "until then the boot image $tmp/small/old.SPA is absent" && no_partial
ok $? "a failed job whose previous image cannot come back: show says the boot image is absent" ||
	why

# into_fallback URL: the record of a done job in its fallback step, the
# previous image to come from URL, for the next daemon.
into_fallback() {
	stop_daemon
	sed -i -e 's/^state .*/state running/' -e 's/^step .*/step fallback/' \
		-e 's/^fallback .*/fallback deleted/' -e '/^fallback-then /d' \
		-e "s|^fallback-url .*|fallback-url $1|" "$tmp/state/upgrade"
	echo "fallback-then done" >>"$tmp/state/upgrade"
}

# abortversion while the re-download waits on its server: the step stops,
# the job ends as fallback-then says, with the warning; nothing partial.
into_fallback "$url/old.SPA"
kill -STOP "$HTTP_PID"
start_daemon
sleep 0.5
run abortversion
kill -CONT "$HTTP_PID"
wait_state done
run show
[ "$(state)" = done ] && [ "$(field fallback)" = failed ] && [ ! -e "$tmp/small/old.SPA" ] &&
	has "could not be downloaded again from $url/old.SPA (aborted)" && no_partial
ok $? "abortversion during the fallback step: the job ends done with the warning, nothing partial" ||
	why

# flash: fills during the re-download: swcopy stops and leaves nothing.
head -c $((6 << 20)) /dev/zero >"$tmp/small/filler"
into_fallback "$url/old.SPA"
start_daemon
wait_state done
run show
rm -f "$tmp/small/filler"
[ "$(state)" = done ] && [ "$(field fallback)" = failed ] && [ ! -e "$tmp/small/old.SPA" ] &&
	has "could not be downloaded again from $url/old.SPA (the download failed)" && no_partial
ok $? "flash: full during the re-download: nothing partial, the job done with the warning" ||
	why

# A rollback is not aborted, not even while it downloads the previous
# image again (its server frozen): the rollback goes on once it answers.
run config fallback-url "$url/"
on_probation
kill -STOP "$HTTP_PID"
i=0
until [ "$(field step)" = fallback ] || [ $i -ge 300 ]; do
	sleep 0.1
	i=$((i + 1))
done
run abortversion
cp "$tmp/out" "$tmp/abort.out"
abort_rc=$rc
kill -CONT "$HTTP_PID"
wait_state failed
run show
[ $abort_rc -eq 1 ] && grep -qF "The rollback from flash:new.SPA has begun; too late to abort" "$tmp/abort.out" &&
	[ "$(state)" = failed ] && [ "$(field fallback)" = restored ] &&
	[ "$(boot_image)" = "$tmp/small/old.SPA" ] && cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" &&
	has "Boot image restored to $tmp/small/old.SPA" && no_partial
ok $? "abortversion during a rollback's fallback step is refused; the rollback goes on" ||
	{ sed 's/^/# /' "$tmp/abort.out" >&2; why; }
run config no health-check
rm -rf "$tmp/boot"

# Where boot-dir's record cannot be trusted, or the boot loader may not
# boot it, the running previous image is kept: a boot-dir/current out of
# boot-dir, another user's link or directory, a boot-dir others may write
# in, a trial pending, a record without a payload digest (each else as
# test 37's).
run config fallback-url "$url/"
fresh
start_daemon
mkdir -p "$tmp/elsewhere"
record "$tmp/elsewhere" "$tmp/small/old.SPA" "$digest"
rm -rf "$tmp/boot"
mkdir -p "$tmp/boot"
ln -s "$tmp/elsewhere" "$tmp/boot/current"
run getversion "$url/new.SPA" disk-management auto
kept "boot-dir/current links out of boot-dir (to $tmp/elsewhere)"
ok $? "a boot-dir/current that links out of boot-dir is not trusted" || why
booted "$tmp/small/old.SPA" "$digest"
chown -h nobody "$tmp/boot/current"
run getversion "$url/new.SPA" disk-management auto
kept "directory $tmp/boot/current: the path goes through a symbolic link owned by uid $(id -u nobody)"
ok $? "a boot-dir/current link that is not root's is not followed" || why
booted "$tmp/small/old.SPA" "$digest"
chown nobody "$tmp/boot/$bootid"
run getversion "$url/new.SPA" disk-management auto
kept "$tmp/boot/current is another user's, or others may write in it"
ok $? "a boot-dir/current directory that is not root's is not trusted" || why
booted "$tmp/small/old.SPA" "$digest"
chmod 777 "$tmp/boot"
run getversion "$url/new.SPA" disk-management auto
kept "$tmp/boot is another user's, or others may write in it"
ok $? "a boot-dir that others may write in is not trusted" || why
booted "$tmp/small/old.SPA" "$digest"
{
	printf '# GRUB Environment Block\nswauth_trial=2\n'
	head -c 984 /dev/zero | tr '\0' '#'
} >"$tmp/boot/grubenv"
run getversion "$url/new.SPA" disk-management auto
kept "a trial is pending (boot-dir/grubenv: swauth_trial=2): the boot loader may go back to boot-dir/previous"
ok $? "while a trial is pending in boot-dir/grubenv the running previous image is kept" || why
rm -rf "$tmp/boot"
running "$tmp/small/old.SPA"
run getversion "$url/new.SPA" disk-management auto
kept "boot-dir/current/image records no payload digest"
ok $? "a boot-dir record without a payload digest does not vouch for the running previous image" ||
	why
rm -rf "$tmp/boot" "$tmp/elsewhere"

# The system runs the previous image from boot-dir's copy: its file makes
# room, and comes back after the upgrade.
fresh
booted "$tmp/small/old.SPA" "$digest"
start_daemon
run getversion "$url/new.SPA" disk-management auto
[ $rc -eq 0 ] &&
	has "The system runs flash:old.SPA from boot-dir's copy (payload digest $digest): its file may go" &&
	has "Deleted flash:old.SPA, the previous image: downloaded again from $url/old.SPA" &&
	[ ! -e "$tmp/small/old.SPA" ] && [ "$(field fallback)" = deleted ] &&
	cmp -s "$tmp/pub/new.SPA" "$tmp/small/new.SPA"
ok $? "the running previous image whose boot-dir copy matches makes room" || why
reloaded
wait_state done
run show
[ "$(state)" = done ] && [ "$(field fallback)" = restored ] &&
	cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" && [ "$(boot_image)" = "$tmp/small/new.SPA" ] &&
	has "the previous image flash:old.SPA was downloaded again from $url/old.SPA as the fallback" &&
	no_partial
ok $? "after the upgrade the running image deleted comes back byte-identical" || why

# A cut (the daemon killed, its step with it) right after the record
# says the running previous image is deleted: the next daemon brings it
# back, or finds it still there when the step died before its deletion
# (fallback none: the same file, by its SHA-256). The record is read with
# shell builtins only, so the kill follows within a loop's turn.
fresh
booted "$tmp/small/old.SPA" "$digest"
start_daemon
"$swupgrade" getversion "$url/new.SPA" disk-management auto </dev/null >"$tmp/out" 2>&1 &
cli=$!
i=0
seen=
while [ -z "$seen" ] && [ $i -lt 200000 ]; do
	while IFS= read -r line; do
		[ "$line" = "fallback deleted" ] && seen=1
	done <"$tmp/state/upgrade"
	i=$((i + 1))
done
power_cut
[ "$recorded" = deleted ] && [ "$at_cut" = running ] && [ "$(state)" = failed ] &&
	case $(field fallback) in restored | none) ;; *) false ;; esac && cmp -s "$tmp/old/old.SPA" "$tmp/small/old.SPA" &&
	[ "$(boot_image)" = "$tmp/small/old.SPA" ] && [ ! -e "$tmp/small/new.SPA" ] && no_partial
ok $? "a cut right after the record says the running previous image is deleted: it comes back" ||
	{ why; echo "# at the cut the record said fallback '$recorded', state '$at_cut'" >&2; }
rm -rf "$tmp/boot"
stop_daemon

exit $fail

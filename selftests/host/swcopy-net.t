#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swcopy (a sanitizer build) against real servers on 127.0.0.1, started
# here and stopped by PID on exit: in.tftpd (tftp-hpa), vsftpd (anonymous
# and a throwaway system user), the loopback HTTP(S) server, sshd and the
# corrupting proxy (selftests/net/servers.sh). A 50 MiB signed image goes
# down and up with and without /verify; the IOS credential rules are
# checked by which FTP root answers; errors leave no file behind. Refusals
# (HTTP 401, FTP 550 and 553, SCP without permission) and a file system
# filled by a download of unannounced size say why, keep the old file and
# leave no temporary; anonymous FTP uploads into a directory "ftp" owns;
# FTPS (ftpes://, ftps://) against vsftpd with TLS, with the right CA and
# with another.

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
[ "$(id -u)" -eq 0 ] || skip "vsftpd, in.tftpd and sshd need root"
for c in vsftpd sshd in.tftpd python3 openssl useradd; do
	command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || skip "no $c (run scripts/deps)"
done

SRV_NET_DIR=$root/selftests/net
. "$SRV_NET_DIR/servers.sh"
tmp=$(mktemp -d)
tftpd_pid=
stop() {
	[ -n "$tftpd_pid" ] && /bin/kill -TERM -- "-$tftpd_pid" 2>/dev/null
	mountpoint -q "$tmp/full" 2>/dev/null && umount "$tmp/full"
	srv_stop_all
	rm -rf "$tmp"
}
trap stop EXIT
trap 'exit 1' INT TERM
chmod 755 "$tmp"
. selftests/host/swcopy-lib.sh
nothing_left() { test -z "$(ls -A "$tmp/flash" | grep -v '^\.swcopy-sums$')"; }
# old_kept NAME: flash: holds NAME, still "old", and nothing else (no
# .NAME.swcopy-* temporary either).
old_kept() {
	test "$(cat "$tmp/flash/$1")" = old &&
		test "$(ls -A "$tmp/flash" | grep -v '^\.swcopy-sums$')" = "$1"
}
# secret PASS: PASS shows in what swcopy printed.
secret() { grep -q -e "$1" "$tmp/out" "$tmp/err"; }

# A 50 MiB system image signed by production key A, and one signed by a
# key this system does not trust (a forged certificate, as in make-images).
mkdir -p "$tmp/pub" "$tmp/tftp" "$tmp/flash" "$tmp/srv"
head -c $((50 << 20)) /dev/urandom >"$tmp/payload"
"$root/build/bin/swauth" sign --key keyrings/dev/production-A.key \
	--cert keyrings/dev/production-A.crt --type production --key-version A \
	--name c3900 "$tmp/payload" -o "$tmp/pub/c3900.SPA" >/dev/null || exit 1
cp "$img/forged.img" "$tmp/pub/forged.SPA"
size=$(stat -c %s "$tmp/pub/c3900.SPA")
cp "$tmp/pub/c3900.SPA" "$tmp/pub/forged.SPA" "$tmp/tftp/"
echo anonymous >"$tmp/pub/who"
chmod 644 "$tmp/pub/"* "$tmp/tftp/"*
: >"$tmp/tftp/up.SPA"
chmod 666 "$tmp/tftp/up.SPA"
# Only root may read "secret"; only "ftp" (anonymous FTP) may write upload/.
echo secret >"$tmp/pub/secret"
chmod 600 "$tmp/pub/secret"
mkdir "$tmp/pub/upload"
chown ftp "$tmp/pub/upload"
http_user=swauth http_pass=hpw$$x

export SWAUTH_CONFIG=$tmp/swauth.conf SWCOPY_CONFIG=$tmp/swcopy.conf
printf 'flash-dir %s\n' "$tmp/flash" >"$SWAUTH_CONFIG"
trust="-u -r $img/certs -t $img/certs"

bail() {
	echo "Bail out! the test servers did not start: $1"
	exit 1
}
srv_init "$tmp/srv"
srv_ftp_user "$tmp/user" || bail "FTP user"
cp "$tmp/pub/c3900.SPA" "$tmp/user/"
echo user >"$tmp/user/who"
chown -R "$SRV_FTP_USER" "$tmp/user"
srv_ftp_start FTP "$tmp/pub" local || bail vsftpd
# vsftpd with TLS required for logins and data: explicit (AUTH TLS) and
# implicit; a certificate for 127.0.0.1 from the test CA, and a second CA
# that trusts nobody here.
srv_tls_cert || bail "openssl: no test certificate"
mkdir -p "$tmp/other"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=swauth-other-ca -keyout "$tmp/other/ca.key" -out "$tmp/other/ca.crt" \
	2>/dev/null || bail "openssl: no second CA"
tls="ssl_enable=YES
rsa_cert_file=$tmp/srv/server.crt
rsa_private_key_file=$tmp/srv/server.key
allow_anon_ssl=YES
force_anon_logins_ssl=YES
force_anon_data_ssl=YES
require_ssl_reuse=NO"
SRV_FTP_EXTRA=$tls srv_ftp_start FTPES "$tmp/pub" || bail "vsftpd (explicit TLS)"
SRV_FTP_EXTRA="$tls
implicit_ssl=YES" srv_ftp_start FTPS "$tmp/pub" || bail "vsftpd (implicit TLS)"
srv_http_start HTTP "$tmp/pub" || bail http
srv_http_start HTTPS "$tmp/pub" tls || bail https
srv_http_start HTTPAUTH "$tmp/pub" --auth "$http_user:$http_pass" || bail "http --auth"
srv_http_start HTTPCHUNK "$tmp/pub" --chunked || bail "http --chunked"
srv_ssh_start SSH || bail sshd
srv_proxy_start PROXY "$HTTP_PORT" 300000 || bail proxy
tport=$(python3 -c 'import socket; s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
setsid in.tftpd --foreground --listen --address "127.0.0.1:$tport" --secure --create \
	--user root "$tmp/tftp" &
tftpd_pid=$!
sleep 0.3
kill -0 "$tftpd_pid" || bail in.tftpd

echo "1..46"

run /verify $trust "tftp://127.0.0.1:$tport/c3900.SPA" flash:
show
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/c3900.SPA"
ok $? "TFTP: a 50 MiB image with /verify arrives whole"
grep -q "^Accessing tftp://127.0.0.1:$tport/c3900.SPA...$" "$tmp/out" &&
	grep -q "^Loading c3900.SPA from 127.0.0.1 (via lo): !!!" "$tmp/out" &&
	grep -q "^\[OK - $size bytes\]$" "$tmp/out" &&
	grep -q '^Digital signature successfully verified in file flash:c3900.SPA$' "$tmp/out"
ok $? "TFTP: the seeds' Accessing, Loading (via lo) !!!, [OK] and verification lines"

rm -f "$tmp/flash/"*
run /verify $trust --json "tftp://127.0.0.1:$tport/forged.SPA" flash:f.SPA
bytes=$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' "$tmp/out")
test $rc -eq 1 && nothing_left && test -n "$bytes" && test "$bytes" -lt 1048576
ok $? "TFTP /verify: an untrusted image stops the transfer before its payload ($bytes bytes)"

run "tftp://127.0.0.1:$tport/nothere.SPA" flash:n.SPA
show
test $rc -eq 3 && nothing_left && grep -q 'File not found' "$tmp/err"
ok $? "TFTP: a missing file is the server's error, no file left"

echo old >"$tmp/flash/keep.SPA"
run --timeout 300 --retries 2 "tftp://127.0.0.1:1/c3900.SPA" flash:keep.SPA
test $rc -eq 3 && test "$(cat "$tmp/flash/keep.SPA")" = old && test "$(ls "$tmp/flash")" = keep.SPA
ok $? "TFTP: no server, the old file kept"
rm -f "$tmp/flash/"*

run "tftp://127.0.0.1:$tport/c3900.SPA" flash:up.SPA
run --yes flash:up.SPA "tftp://127.0.0.1:$tport/up.SPA"
show
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/tftp/up.SPA" &&
	grep -q "^Verifying checksum for 'up.SPA'... OK$" "$tmp/out" &&
	grep -q '^Upload to server done$' "$tmp/out"
ok $? "TFTP upload: the recorded checksum first, then Upload to server done"
printf x | dd of="$tmp/flash/up.SPA" bs=1 seek=1000 conv=notrunc status=none
: >"$tmp/tftp/up.SPA"
run --yes flash:up.SPA "tftp://127.0.0.1:$tport/up.SPA"
test $rc -eq 1 && grep -q "^Verifying checksum for 'up.SPA'... FAILED$" "$tmp/out" &&
	test ! -s "$tmp/tftp/up.SPA"
ok $? "TFTP upload: a file changed since it was copied in is not sent"
rm -f "$tmp/flash/"* "$tmp/flash/.swcopy-sums"

# /verify records the image's own digests (no pass of its own): the
# upload checks its header, manifest and signature against the record and
# its payload against the digest the manifest carries.
run /verify $trust "tftp://127.0.0.1:$tport/c3900.SPA" flash:up.SPA
run --yes flash:up.SPA "tftp://127.0.0.1:$tport/up.SPA"
show
test $rc -eq 0 && grep -q '^image:[0-9a-f]\{64\}  up.SPA$' "$tmp/flash/.swcopy-sums" &&
	grep -q "^Verifying checksum for 'up.SPA'... OK$" "$tmp/out" &&
	cmp -s "$tmp/pub/c3900.SPA" "$tmp/tftp/up.SPA"
ok $? "TFTP upload of a /verify copy: its recorded image digests first, then the upload"
for at in 100 $(($(stat -c %s "$tmp/flash/up.SPA") - 10)); do
	cp "$tmp/flash/up.SPA" "$tmp/good"
	printf x | dd of="$tmp/flash/up.SPA" bs=1 seek=$at conv=notrunc status=none
	: >"$tmp/tftp/up.SPA"
	run --yes flash:up.SPA "tftp://127.0.0.1:$tport/up.SPA"
	test $rc -eq 1 && grep -q "^Verifying checksum for 'up.SPA'... FAILED$" "$tmp/out" &&
		test ! -s "$tmp/tftp/up.SPA"
	ok $? "TFTP upload of a /verify copy changed at byte $at (header, payload): not sent"
	cp "$tmp/good" "$tmp/flash/up.SPA"
done
rm -f "$tmp/flash/"* "$tmp/flash/.swcopy-sums"

tty "Source filename []? =c3900.SPA" "Destination filename [c3900.SPA]? =" -- \
	"tftp://127.0.0.1:$tport/" flash:
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/c3900.SPA"
ok $? "on a terminal: the seeds' Source filename and Destination filename questions"
echo changed >"$tmp/pub/changed" && chmod 644 "$tmp/pub/changed" && cp "$tmp/pub/changed" "$tmp/tftp/"
tty "Do you want to over write? [confirm]=n" -- "tftp://127.0.0.1:$tport/changed" flash:c3900.SPA
test $rc -eq 2 && grep -q 'There is a file already existing with this name' "$tmp/out" &&
	cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/c3900.SPA"
ok $? "on a terminal: overwriting is confirmed; no keeps the file"
echo "file-prompt noisy" >"$SWCOPY_CONFIG"
tty "Destination filename [flash:n.SPA]? =flash:noisy.SPA" -- \
	"tftp://127.0.0.1:$tport/c3900.SPA" flash:n.SPA
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/noisy.SPA" && ! test -e "$tmp/flash/n.SPA"
ok $? "file-prompt noisy: even a full destination is asked"
rm -f "$SWCOPY_CONFIG"
rm -f "$tmp/flash/"* "$tmp/flash/.swcopy-sums"

run "ftp://127.0.0.1:$FTP_PORT/who" flash:who
test $rc -eq 0 && test "$(cat "$tmp/flash/who")" = anonymous
ok $? "FTP: no user anywhere is anonymous"
swcopy_conf() {
	printf 'ftp-username %s\nftp-password %s\n' "$1" "$2" >"$SWCOPY_CONFIG"
	chmod 600 "$SWCOPY_CONFIG"
}
swcopy_conf "$SRV_FTP_USER" "$SRV_FTP_PASS"
run --yes "ftp://127.0.0.1:$FTP_PORT/who" flash:who
test $rc -eq 0 && test "$(cat "$tmp/flash/who")" = user
ok $? "FTP: the configured user and password log in"
swcopy_conf nobody wrong
run --yes "ftp://$SRV_FTP_USER:$SRV_FTP_PASS@127.0.0.1:$FTP_PORT/who" flash:who
test $rc -eq 0 && test "$(cat "$tmp/flash/who")" = user
ok $? "FTP: the URL's user and password win over the configured ones"
swcopy_conf nobody "$SRV_FTP_PASS"
run --yes "ftp://$SRV_FTP_USER@127.0.0.1:$FTP_PORT/who" flash:who
test $rc -eq 0
ok $? "FTP: the URL's user with the configured password"
swcopy_conf "$SRV_FTP_USER" wrong
echo old >"$tmp/flash/who"
run --yes "ftp://127.0.0.1:$FTP_PORT/who" flash:who
test $rc -eq 3 && test "$(cat "$tmp/flash/who")" = old && ! grep -q wrong "$tmp/out" "$tmp/err"
ok $? "FTP: a wrong password is refused, never printed, the old file kept"
rm -f "$SWCOPY_CONFIG" "$tmp/flash/"*

run /verify $trust "ftp://$SRV_FTP_USER:$SRV_FTP_PASS@127.0.0.1:$FTP_PORT/c3900.SPA" flash:
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/c3900.SPA" &&
	! grep -q "$SRV_FTP_PASS" "$tmp/out" "$tmp/err" &&
	grep -q "^Accessing ftp://127.0.0.1:$FTP_PORT/c3900.SPA...$" "$tmp/out"
ok $? "FTP: 50 MiB with /verify; the URL is shown without the credentials"
run --yes flash:c3900.SPA "ftp://$SRV_FTP_USER:$SRV_FTP_PASS@127.0.0.1:$FTP_PORT/up.SPA"
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/user/up.SPA"
ok $? "FTP upload to the user's directory"
rm -f "$tmp/flash/"*

run /verify $trust "http://127.0.0.1:$HTTP_PORT/c3900.SPA" flash:
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/c3900.SPA"
ok $? "HTTP: 50 MiB with /verify"
rm -f "$tmp/flash/"*
run --ca-file "$tmp/srv/ca.crt" "https://127.0.0.1:$HTTPS_PORT/c3900.SPA" flash:
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/c3900.SPA"
ok $? "HTTPS with the test CA"
rm -f "$tmp/flash/"*
run "https://127.0.0.1:$HTTPS_PORT/c3900.SPA" flash:
test $rc -eq 3 && nothing_left
ok $? "HTTPS: an untrusted certificate is refused, no file left"

run "http://127.0.0.1:$HTTP_PORT/nothere" flash:x
show
test $rc -eq 3 && nothing_left && grep -q '404' "$tmp/err"
ok $? "HTTP: 404 says so, no file left"

run /verify $trust "http://127.0.0.1:$PROXY_PORT/c3900.SPA" flash:
show
test $rc -eq 1 && nothing_left && grep -q 'bad digest' "$tmp/out"
ok $? "a byte corrupted in transit: /verify refuses the image, no file left"

run --ssh-key "$tmp/srv/id_ed25519" --known-hosts "$tmp/srv/known_hosts" \
	"scp://root@127.0.0.1:$SSH_PORT$tmp/pub/c3900.SPA" flash:
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/c3900.SPA"
ok $? "SCP: download"
run --yes --ssh-key "$tmp/srv/id_ed25519" --known-hosts "$tmp/srv/known_hosts" \
	flash:c3900.SPA "scp://root@127.0.0.1:$SSH_PORT$tmp/scp-up.SPA"
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/scp-up.SPA"
ok $? "SCP: upload"
rm -f "$tmp/flash/"*

# Refusals and a full file system: exit 3, the reason, the old file kept.
echo old >"$tmp/flash/a.SPA"
run "http://127.0.0.1:$HTTPAUTH_PORT/c3900.SPA" flash:a.SPA
show
test $rc -eq 3 && old_kept a.SPA && grep -q '^swcopy: copy: 127.0.0.1: HTTP/1.1 401 Unauthorized; nothing was written to flash:a.SPA$' "$tmp/err"
ok $? "HTTP 401 without credentials: refused, the old file kept"
run "http://$http_user:wrong$$@127.0.0.1:$HTTPAUTH_PORT/c3900.SPA" flash:a.SPA
test $rc -eq 3 && old_kept a.SPA && grep -q '401 Unauthorized' "$tmp/err" && ! secret "wrong$$"
ok $? "HTTP 401 with a wrong password: refused, never printed, the old file kept"
run --yes "http://$http_user:$http_pass@127.0.0.1:$HTTPAUTH_PORT/c3900.SPA" flash:a.SPA
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/a.SPA" && ! secret "$http_pass" &&
	grep -q "^Accessing http://127.0.0.1:$HTTPAUTH_PORT/c3900.SPA...$" "$tmp/out"
ok $? "HTTP Basic authentication with the URL's user and password, the password not shown"
rm -f "$tmp/flash/"*

run "http://127.0.0.1:$HTTPCHUNK_PORT/c3900.SPA" flash:
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/c3900.SPA"
ok $? "HTTP chunked, no Content-Length: 50 MiB arrive whole"
rm -f "$tmp/flash/"*
mkdir "$tmp/full"
if mount -t tmpfs -o size=1m swcopy-test "$tmp/full" 2>/dev/null; then
	echo old >"$tmp/full/c3900.SPA"
	run "http://127.0.0.1:$HTTPCHUNK_PORT/c3900.SPA" "$tmp/full/c3900.SPA"
	show
	test $rc -eq 3 && test "$(cat "$tmp/full/c3900.SPA")" = old &&
		test "$(ls -A "$tmp/full")" = c3900.SPA &&
		grep -q "^swcopy: copy: writing $tmp/full/c3900.SPA: No space left on device; nothing was written" "$tmp/err"
	ok $? "a size not announced fills a 1 MiB tmpfs: No space left, no temporary, the old file kept"
	umount "$tmp/full"
else
	ok 0 "# SKIP a full file system: cannot mount a tmpfs here"
fi

echo old >"$tmp/flash/s.SPA"
run "ftp://127.0.0.1:$FTP_PORT/secret" flash:s.SPA
show
test $rc -eq 3 && old_kept s.SPA &&
	grep -q '^swcopy: copy: 127.0.0.1: 550 Failed to open file. (Permission denied); nothing was written to flash:s.SPA$' "$tmp/err"
ok $? "FTP: a file anonymous may not read is a refusal (550), the old file kept"

ssh="--ssh-key $tmp/srv/id_ed25519 --known-hosts $tmp/srv/known_hosts"
run $ssh "scp://$SRV_FTP_USER@127.0.0.1:$SSH_PORT$tmp/pub/who" flash:w &&
	cmp -s "$tmp/pub/who" "$tmp/flash/w" && rm -f "$tmp/flash/w" &&
	run $ssh "scp://$SRV_FTP_USER@127.0.0.1:$SSH_PORT$tmp/pub/secret" flash:s.SPA
show
test $rc -eq 3 && old_kept s.SPA &&
	grep -q "^swcopy: copy: 127.0.0.1: $tmp/pub/secret: no such file, or not readable (.*); nothing was written to flash:s.SPA$" "$tmp/err"
ok $? "SCP: a file the user may not read (but logged in) is an error, the old file kept"
run --yes $ssh flash:s.SPA "scp://$SRV_FTP_USER@127.0.0.1:$SSH_PORT$tmp/pub/scp-denied"
show
test $rc -eq 3 && ! test -e "$tmp/pub/scp-denied" &&
	grep -q "^swcopy: copy: 127.0.0.1: $tmp/pub/scp-denied: refused: no such directory, or not writable (.*)$" "$tmp/err"
ok $? "SCP: an upload into a directory the user may not write is refused"
rm -f "$tmp/flash/"*

cp "$tmp/pub/c3900.SPA" "$tmp/flash/"
run --yes flash:c3900.SPA "ftp://127.0.0.1:$FTP_PORT/upload/c3900.SPA"
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/pub/upload/c3900.SPA" &&
	grep -q '^Upload to server done$' "$tmp/out"
ok $? "FTP: an anonymous upload into upload/ arrives whole"
run --yes flash:c3900.SPA "ftp://127.0.0.1:$FTP_PORT/c3900-anon.SPA"
show
test $rc -eq 3 && ! test -e "$tmp/pub/c3900-anon.SPA" &&
	grep -q '^swcopy: copy: 127.0.0.1: 553 Could not create file. (Permission denied)$' "$tmp/err"
ok $? "FTP: an anonymous upload outside upload/ is refused (553)"
echo new >"$tmp/flash/new.SPA"
run --yes flash:new.SPA "ftp://127.0.0.1:$FTP_PORT/upload/c3900.SPA"
show
test $rc -eq 3 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/pub/upload/c3900.SPA" &&
	grep -q '553 Could not create file. (Permission denied)$' "$tmp/err"
ok $? "FTP: anonymous may not overwrite what is there"
rm -f "$tmp/flash/"*

# The server goes away in the middle (small blocks make the copy last):
# noticed after the retries, no hang, no file.
( sleep 0.5; /bin/kill -KILL -- "-$tftpd_pid" ) &
killer=$!
run --json --blksize 512 --timeout 300 --retries 2 "tftp://127.0.0.1:$tport/c3900.SPA" flash:
wait "$killer"
tftpd_pid=
bytes=$(sed -n 's/.*"bytes":\([0-9]*\).*/\1/p' "$tmp/out")
test $rc -eq 3 && nothing_left && test -n "$bytes" && test "$bytes" -lt "$size"
ok $? "the server killed mid-transfer ($bytes of $size bytes): an error, no file left"

# FTPS: the server is authenticated before the password is sent.
ca=$tmp/srv/ca.crt
rm -f "$tmp/flash/"*
run --ca-file "$ca" "ftpes://127.0.0.1:$FTPES_PORT/c3900.SPA" flash:a.SPA
show
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/a.SPA"
ok $? "ftpes:// (AUTH TLS): the file arrives whole with the right CA"
run --ca-file "$ca" "ftps://127.0.0.1:$FTPS_PORT/c3900.SPA" flash:b.SPA
show
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/flash/b.SPA"
ok $? "ftps:// (implicit TLS): the file arrives whole with the right CA"
for u in "ftpes://127.0.0.1:$FTPES_PORT" "ftps://127.0.0.1:$FTPS_PORT"; do
	run --ca-file "$tmp/other/ca.crt" "$u/c3900.SPA" flash:c.SPA
	show
	test $rc -eq 3 && grep -q 'cannot be trusted' "$tmp/err" && test ! -e "$tmp/flash/c.SPA"
	ok $? "${u%%:*}://: a server certificate from another CA fails the copy"
done
run "ftps://127.0.0.1:$FTPS_PORT/c3900.SPA" flash:c.SPA
show
test $rc -eq 3 && grep -q 'cannot be trusted' "$tmp/err"
ok $? "ftps://: the test CA is not trusted without --ca-file"
rm -f "$tmp/pub/upload/a.SPA"
run --yes --ca-file "$ca" flash:a.SPA "ftpes://127.0.0.1:$FTPES_PORT/upload/a.SPA"
show
test $rc -eq 0 && cmp -s "$tmp/pub/c3900.SPA" "$tmp/pub/upload/a.SPA"
ok $? "ftpes://: an upload arrives whole"
run "ftp://127.0.0.1:$FTPES_PORT/c3900.SPA" flash:d.SPA
show
test $rc -eq 3 && test ! -e "$tmp/flash/d.SPA"
ok $? "plain ftp:// to a server that requires TLS: refused, nothing written"

exit $fail

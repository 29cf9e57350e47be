#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swcopy (a sanitizer build) over FTPS against vsftpd on 127.0.0.1 with
# TLS required for logins and data, started here and stopped by PID:
# ftpes:// (explicit TLS, AUTH TLS) and ftps:// (implicit TLS) download and
# upload with the test CA given by --ca-file; another CA fails the copy
# before a password is sent; plain ftp:// is refused by such a server.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
swcopy=$root/build/tests/host/bin/swcopy

skip() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ -x "$swcopy" ] || skip "$swcopy is not built (run make)"
[ "$(id -u)" -eq 0 ] || skip "vsftpd needs root"
for c in python3 openssl vsftpd; do
	command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || skip "no $c (run scripts/deps)"
done
PATH=$PATH:/usr/sbin

SRV_NET_DIR=$root/selftests/net
. "$SRV_NET_DIR/servers.sh"
tmp=$(mktemp -d)
trap 'srv_stop_all; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
run() {
	"$swcopy" --yes "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
show() { sed 's/^/# /' "$tmp/out" "$tmp/err"; }
bail() {
	echo "Bail out! $1"
	exit 1
}

chmod 755 "$tmp"
mkdir -p "$tmp/flash" "$tmp/pub/upload" "$tmp/srv" "$tmp/other"
head -c 300000 /dev/urandom >"$tmp/pub/data"
chmod 644 "$tmp/pub/data"
chown ftp "$tmp/pub/upload"
export SWAUTH_CONFIG=$tmp/swauth.conf SWCOPY_CONFIG=$tmp/swcopy.conf
printf 'flash-dir %s\n' "$tmp/flash" >"$SWAUTH_CONFIG"

srv_init "$tmp/srv"
srv_tls_cert || bail "openssl: no test certificate"
# A second CA, with a certificate for the same name: trusted by nobody here.
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
ca=$tmp/srv/ca.crt

echo "1..7"

run --ca-file "$ca" "ftpes://127.0.0.1:$FTPES_PORT/data" flash:a.bin
show
test $rc -eq 0 && cmp -s "$tmp/pub/data" "$tmp/flash/a.bin"
ok $? "ftpes:// (AUTH TLS): the file arrives whole with the right CA"

run --ca-file "$ca" "ftps://127.0.0.1:$FTPS_PORT/data" flash:b.bin
show
test $rc -eq 0 && cmp -s "$tmp/pub/data" "$tmp/flash/b.bin"
ok $? "ftps:// (implicit TLS): the file arrives whole with the right CA"

run --ca-file "$tmp/other/ca.crt" "ftpes://127.0.0.1:$FTPES_PORT/data" flash:c.bin
show
test $rc -eq 3 && grep -q 'cannot be trusted' "$tmp/err" && test ! -e "$tmp/flash/c.bin"
ok $? "ftpes://: a server certificate from another CA fails the copy"

run --ca-file "$tmp/other/ca.crt" "ftps://127.0.0.1:$FTPS_PORT/data" flash:c.bin
show
test $rc -eq 3 && grep -q 'cannot be trusted' "$tmp/err" && test ! -e "$tmp/flash/c.bin"
ok $? "ftps://: a server certificate from another CA fails the copy"

run "ftps://127.0.0.1:$FTPS_PORT/data" flash:c.bin
show
test $rc -eq 3 && grep -q 'cannot be trusted' "$tmp/err"
ok $? "ftps://: the test CA is not trusted without --ca-file"

run --ca-file "$ca" flash:a.bin "ftpes://127.0.0.1:$FTPES_PORT/upload/a.bin"
show
test $rc -eq 0 && cmp -s "$tmp/pub/data" "$tmp/pub/upload/a.bin"
ok $? "ftpes://: an upload arrives whole"

run "ftp://127.0.0.1:$FTPES_PORT/data" flash:d.bin
show
test $rc -eq 3 && test ! -e "$tmp/flash/d.bin"
ok $? "plain ftp:// to a server that requires TLS: refused, nothing written"

exit $fail

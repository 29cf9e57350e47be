#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# libswauth's FTP, HTTP(S) and SCP transports (selftests/net/curl_test.c)
# against real servers on 127.0.0.1, started here from
# selftests/net/servers.sh and stopped by PID on exit: vsftpd (anonymous
# and a throwaway system user), the loopback HTTP and HTTPS server, sshd,
# one more HTTP server and vsftpd for the tests to kill, one that cuts its
# first two replies (--drop-after), and the corrupting proxy.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
test=$root/build/tests/net/curl_test

skip() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ -x "$test" ] || skip "build/tests/net/curl_test is not built (run make)"
[ "$(id -u)" -eq 0 ] || skip "vsftpd and sshd need root"
for c in vsftpd sshd ssh-keygen python3 openssl useradd; do
	command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || skip "no $c (run scripts/deps)"
done

SRV_NET_DIR=$root/selftests/net
. "$SRV_NET_DIR/servers.sh"
dir=$(mktemp -d)
trap 'srv_stop_all; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
chmod 755 "$dir"
srv_init "$dir/srv"
mkdir "$dir/pub"
head -c $((50 << 20)) /dev/urandom >"$dir/pub/big"
echo secret >"$dir/pub/secret"
chmod 644 "$dir/pub/big"
chmod 600 "$dir/pub/secret"

fail() {
	echo "Bail out! the test servers did not start: $1"
	exit 1
}
if srv_ftp_user "$dir/user"; then
	ln "$dir/pub/big" "$dir/user/big"
	cp "$dir/pub/secret" "$dir/user/secret"
	export SWT_FTP_USER="$SRV_FTP_USER" SWT_FTP_PASS="$SRV_FTP_PASS"
fi
srv_ftp_start FTP "$dir/pub" local || fail vsftpd
srv_ftp_start FTPK "$dir/pub" || fail vsftpd
srv_http_start HTTP "$dir/pub" || fail httpd.py
srv_http_start HTTPK "$dir/pub" || fail httpd.py
srv_http_start HTTPS "$dir/pub" tls || fail "httpd.py (TLS)"
srv_http_start HTTPD "$dir/pub" --drop-after $((3 << 20)) --drops 2 || fail "httpd.py --drop-after"
srv_ssh_start SSH || fail sshd
# Byte 3 MiB of the reply lies well inside the file.
srv_proxy_start PROXY "$HTTP_PORT" $((3 << 20)) || fail corrupt-proxy.py

export SWT_DIR="$dir" SWT_FTP_PORT="$FTP_PORT" SWT_FTPK_PORT="$FTPK_PORT" \
	SWT_FTPK_PID="$FTPK_PID" SWT_HTTP_PORT="$HTTP_PORT" SWT_HTTPK_PORT="$HTTPK_PORT" \
	SWT_HTTPK_PID="$HTTPK_PID" SWT_HTTPD_PORT="$HTTPD_PORT" SWT_HTTPS_PORT="$HTTPS_PORT" SWT_CA="$SRV_DIR/ca.crt" \
	SWT_SSH_PORT="$SSH_PORT" SWT_SSH_USER="$(id -un)" SWT_SSH_KEY="$SRV_DIR/id_ed25519" \
	SWT_KNOWN_HOSTS="$SRV_DIR/known_hosts" SWT_PROXY_PORT="$PROXY_PORT"
"$test"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swpki enroll (issue 16, point 5; FEATURES E4.3-E4.5, E5.1-E5.9, E6.3,
# E8.1-E8.3) with the sanitizer build and a store in a temporary
# directory, against Debian's scepserver and in.tftpd (tftp-hpa), both
# started here inside a network namespace of the test's own (scepserver
# binds every interface) and stopped by PID: CA authentication over SCEP
# and from BASE.ca; enrollment by SCEP (the certificate verifies with
# `openssl verify`, its key is the trustpoint's), a wrong challenge and a
# CA changed since authentication refused with the store untouched,
# renewal by RenewalReq, a rollover with a new key killed at each step and
# recovered (the key always matches the certificate), usage keys (two
# certificates), terminal enrollment on a pseudo-terminal and its import,
# TFTP enrollment (BASE.req signed by `openssl x509 -req` into BASE.crt),
# a certificate for another key refused, the self-signed certificate (one
# per device), no terminal without --auto refused, a locked key refused.

cd "$(dirname "$0")/../.." || exit 1
repo=$PWD
. selftests/host/tap.sh
skip() { echo "1..0 # SKIP $1"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "a network namespace needs root"
for c in scepserver in.tftpd python3 openssl unshare ip; do
	command -v "$c" >/dev/null || skip "$c is not installed"
done
if [ -z "${SWPKI_ENROLL_NETNS:-}" ]; then
	SWPKI_ENROLL_NETNS=1 exec unshare -n "$0" "$@"
fi
ip link set lo up || skip "no loopback in the namespace"

swpki=${SWPKI:-$repo/build/tests/host/bin/swpki}
tmp=$(mktemp -d)
pids=
trap 'for p in $pids; do kill "$p" 2>/dev/null; done; rm -rf "$tmp"' EXIT
[ -z "${KEEP:-}" ] || trap - EXIT
export SWAUTH_CONFIG=$tmp/swauth.conf
: >"$SWAUTH_CONFIG"
pki=$tmp/pki
run() {
	"$swpki" --dir "$pki" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
}
tap_diag="$tmp/out $tmp/err"
url=http://127.0.0.1:8080/scep
# The store's files and their contents, for "nothing changed".
digest() { (cd "$pki" && find . -type f | sort | xargs sha256sum) ; }
# TP's identity certificates (general: TP#SERIAL.cer; $2: -sign, -encr,
# -rollover), not its CA's.
idfile() {
	for f in $(ls "$pki/certs" | grep "^$1#[0-9A-F]*$2\.cer$"); do
		openssl x509 -inform DER -in "$pki/certs/$f" -noout -ext basicConstraints 2>/dev/null |
			grep -q "CA:TRUE" || echo "$f"
	done
}
# Does key LABEL.USAGE's public key match certificate FILE (DER)?
matches() {
	sed -n '/BEGIN PUBLIC KEY/,/END PUBLIC KEY/p' "$pki/keys/$1" | \
		openssl pkey -pubin -outform DER 2>/dev/null | sha256sum >"$tmp/k1"
	openssl x509 -inform DER -in "$2" -noout -pubkey | \
		openssl pkey -pubin -outform DER | sha256sum >"$tmp/k2"
	cmp -s "$tmp/k1" "$tmp/k2"
}

start_scep() {
	if ! test -d "$tmp/$1"; then
		mkdir -p "$tmp/$1"
		(cd "$tmp/$1" && scepserver ca -init -keySize 2048 -depot "$tmp/$1/depot" \
			>/dev/null 2>&1) || return 1
	fi
	scepserver -depot "$tmp/$1/depot" -port 8080 -challenge secret -allowrenew 0 \
		>"$tmp/$1/log" 2>&1 &
	scep_pid=$!
	pids="$pids $scep_pid"
	python3 -c 'import socket, time
for _ in range(200):
    try:
        socket.create_connection(("127.0.0.1", 8080)).close()
        raise SystemExit(0)
    except OSError:
        time.sleep(0.05)
raise SystemExit(1)'
}
stop_scep() { kill "$scep_pid"; wait "$scep_pid" 2>/dev/null; }

echo "1..13"

start_scep ca1 || { echo "Bail out! scepserver"; exit 1; }
fp=$(openssl x509 -in "$tmp/ca1/depot/ca.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')

# --- Authentication over SCEP, with a pre-entered fingerprint ---
for line in "enrollment url $url" "fingerprint $fp" "subject-name CN=r1.example.com, O=Lab" \
	"scep accept-des-reply" "rsakeypair r1" "password secret"; do
	"$swpki" --dir "$pki" trustpoint TP $line >/dev/null 2>&1 || true
done
mkdir -p "$pki" 2>/dev/null
run trustpoint TP
grep -q "scep accept-des-reply" "$tmp/out"
ok $? "trustpoint TP: scep accept-des-reply kept"
run authenticate TP
test $rc -eq 0 && grep -q "Fingerprint matches" "$tmp/out" && ls "$pki/certs" | grep -q "CA.cer$"
ok $? "authenticate TP over SCEP (GetCACert) with the configured fingerprint"

# --- Enrollment without a terminal ---
run enroll TP
test $rc -ne 0 && grep -q "no terminal to ask on" "$tmp/err"
ok $? "enroll without a terminal and without --auto or --yes is refused"
run enroll TP --auto
test $rc -eq 0 && grep -q "%PKI-6-CERTRET: Certificate received" "$tmp/out" &&
	grep -q "^Fingerprint: [0-9A-F]\{8\} " "$tmp/out"
ok $? "enroll --auto by SCEP: the certificate received"
id=$(idfile TP)
openssl x509 -inform DER -in "$pki/certs/$id" -out "$tmp/id.pem" 2>/dev/null
openssl verify -CAfile "$tmp/ca1/depot/ca.pem" "$tmp/id.pem" >/dev/null 2>&1 &&
	matches r1.general "$pki/certs/$id" && test "$(stat -c %a "$pki/keys/r1.general")" = 600
ok $? "the certificate verifies with openssl verify -CAfile and carries key r1"

# --- Refusals that leave the store as it was ---
for line in "enrollment url $url" "scep accept-des-reply" "rsakeypair r2" "password wrong"; do
	"$swpki" --dir "$pki" trustpoint TW $line >/dev/null 2>&1
done
"$swpki" --dir "$pki" authenticate TW --yes >/dev/null 2>&1
before=$(digest)
run enroll TW --auto
test $rc -ne 0 && grep -qi "badRequest\|refused\|FAILURE" "$tmp/err" && test "$(digest)" = "$before"
ok $? "a wrong challenge: a clear failure, the store byte-identical (no key r2 left)"

stop_scep
start_scep ca2 || { echo "Bail out! scepserver (a second CA)"; exit 1; }
before=$(digest)
run enroll TP --auto --renew
test $rc -ne 0 && grep -q "the CA certificate changed since authentication: swpki authenticate TP again" \
	"$tmp/err" && test "$(digest)" = "$before"
ok $? "a CA changed since authentication: refused, the store byte-identical"
stop_scep
start_scep ca1 || { echo "Bail out! scepserver (the first CA again)"; exit 1; }

# --- Renewal, rollover ---
old=$(idfile TP)
keysum=$(sha256sum <"$pki/keys/r1.general")
run enroll TP --auto --renew
new=$(idfile TP)
test $rc -eq 0 && grep -q "RenewalReq" "$tmp/out" && test -n "$new" && test "$new" != "$old" &&
	! test -e "$pki/certs/$old" && test "$(sha256sum <"$pki/keys/r1.general")" = "$keysum" &&
	matches r1.general "$pki/certs/$new" && test -z "$(idfile TP -rollover)"
ok $? "renew: a RenewalReq signed with the current certificate, the new one replaces it, the key kept"

# A new key pair, the process killed at each step of the rollover: after
# the recovery (any command that loads the trustpoint) the key in use
# matches the one identity certificate.
good=0
for step in 1 2 3 4 5; do
	old=$(idfile TP)
	SWPKI_TEST_KILL_AT=$step "$swpki" --dir "$pki" enroll TP --auto --renew --regenerate \
		</dev/null >"$tmp/out" 2>"$tmp/err"
	krc=$?
	"$swpki" --dir "$pki" show certificates TP >/dev/null 2>&1
	id=$(idfile TP)
	if [ $krc -eq 137 ] && [ "$(echo "$id" | wc -w)" -eq 1 ] && matches r1.general "$pki/certs/$id" &&
		test -z "$(idfile TP -rollover)"; then
		good=$((good + 1))
	else
		echo "# rollover killed at step $step: rc $krc, identity '$id'" >&2
	fi
	case $step in
	1) test "$id" = "$old" && test -e "$pki/keys/r1.rollover.general" || good=0 ;;
	*) test "$id" != "$old" && ! test -e "$pki/keys/r1.rollover.general" || good=0 ;;
	esac
done
test $good -eq 5
ok $? "rollover killed (SIGKILL) at each of its 5 steps: the key always matches the certificate"
run enroll TP --auto --renew --regenerate
id=$(idfile TP)
test $rc -eq 0 && matches r1.general "$pki/certs/$id" && ! test -e "$pki/keys/r1.rollover.general"
ok $? "renew --regenerate to the end: the new key and certificate in use, no shadow left"

# --- Usage keys: two requests, two certificates ---
for line in "enrollment url $url" "scep accept-des-reply" "rsakeypair u 2048 1024" "password secret"; do
	"$swpki" --dir "$pki" trustpoint TU $line >/dev/null 2>&1
done
"$swpki" --dir "$pki" authenticate TU --yes >/dev/null 2>&1
run enroll TU --auto
s=$(idfile TU -sign) e=$(idfile TU -encr)
test $rc -eq 0 && test -n "$s" && test -n "$e" && matches u.signature "$pki/certs/$s" &&
	matches u.encryption "$pki/certs/$e" && grep -q "^Signature key Fingerprint:" "$tmp/out" &&
	grep -q "^Encryption key Fingerprint:" "$tmp/out" && test -z "$(idfile TU)"
ok $? "usage keys (rsakeypair u 2048 1024): two requests, the -sign and -encr certificates"

# --- A locked key ---
printf 'locked-pass\n' >"$tmp/pf"
chmod 600 "$tmp/pf"
"$swpki" --dir "$pki" key generate rsa --label lk --modulus 1024 --yes </dev/null >/dev/null 2>&1
"$swpki" --dir "$pki" key encrypt rsa --label lk --passphrase-file "$tmp/pf" >/dev/null 2>&1
"$swpki" --dir "$pki" key lock rsa --label lk --passphrase-file "$tmp/pf" >/dev/null 2>&1
for line in "enrollment url $url" "scep accept-des-reply" "rsakeypair lk" "password secret"; do
	"$swpki" --dir "$pki" trustpoint TL $line >/dev/null 2>&1
done
"$swpki" --dir "$pki" authenticate TL --yes >/dev/null 2>&1
before=$(digest)
run enroll TL --auto
test $rc -ne 0 && grep -q "key lk is locked: swpki key unlock --label lk" "$tmp/err" &&
	test "$(digest)" = "$before"
ok $? "a locked key: refused with the key store's message, nothing stored"

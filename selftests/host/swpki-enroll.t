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
# per device), no terminal without --auto refused, a locked key refused;
# micromdm's scepclient (package scep) enrolling a key swpki exported, and
# swpki importing scepclient's key and certificate as openssl pkcs12
# -export writes them.

cd "$(dirname "$0")/../.." || exit 1
skip() { echo "1..0 # SKIP $1"; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "a network namespace needs root"
for c in scepserver in.tftpd python3 openssl unshare ip; do
	command -v "$c" >/dev/null || skip "$c is not installed"
done
if [ -z "${SWPKI_ENROLL_NETNS:-}" ]; then
	SWPKI_ENROLL_NETNS=1 exec unshare -n "$0" "$@"
fi
ip link set lo up || skip "no loopback in the namespace"
. selftests/host/swpki-lib.sh
[ -z "${KEEP:-}" ] || trap - EXIT
url=http://127.0.0.1:8080/scep
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
# tpset NAME SUB-COMMAND: one sub-command ("password X" through standard
# input, as swpki takes it).
tpset() {
	case $2 in
	"password "*) echo "${2#password }" | "$swpki" --dir "$pki" trustpoint "$1" password - ;;
	*) "$swpki" --dir "$pki" trustpoint "$1" $2 </dev/null ;;
	esac >/dev/null 2>&1
}
# mktp NAME SUB-COMMAND...: a SCEP trustpoint, authenticated (--yes).
mktp() {
	name=$1
	shift
	for line in "enrollment url $url" "scep accept-des-reply" "$@"; do
		tpset "$name" "$line"
	done
	"$swpki" --dir "$pki" authenticate "$name" --yes >/dev/null 2>&1
}

echo "1..31"

start_scep ca1 || { echo "Bail out! scepserver"; exit 1; }
fp=$(openssl x509 -in "$tmp/ca1/depot/ca.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')

# --- Authentication over SCEP, with a pre-entered fingerprint ---
for line in "enrollment url $url" "fingerprint $fp" "subject-name CN=r1.example.com, O=Lab" \
	"scep accept-des-reply" "rsakeypair r1" "password secret"; do
	tpset TP "$line"
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
mktp TW "rsakeypair r2" "password wrong"
before=$(snapshot)
run enroll TW --auto
test $rc -ne 0 && grep -q "the CA refused the request: badRequest" "$tmp/err" && test "$(snapshot)" = "$before"
ok $? "a wrong challenge: a clear failure, the store byte-identical (no key r2 left)"

stop_scep
start_scep ca2 || { echo "Bail out! scepserver (a second CA)"; exit 1; }
before=$(snapshot)
run enroll TP --auto --renew
test $rc -ne 0 && grep -q "the CA certificate changed since authentication: swpki authenticate TP again" \
	"$tmp/err" && test "$(snapshot)" = "$before"
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
mktp TU "rsakeypair u 2048 1024" "password secret"
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
mktp TL "rsakeypair lk" "password secret"
before=$(snapshot)
run enroll TL --auto
test $rc -ne 0 && grep -q "key lk is locked: swpki key unlock --label lk" "$tmp/err" &&
	test "$(snapshot)" = "$before"
ok $? "a locked key: refused with the key store's message, nothing stored"

# --- Manual enrollment, with a CA made here (scepserver's key is encrypted) ---
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca3.key" -out "$tmp/ca3.pem" -days 30 \
	-subj "/O=Lab/CN=manual-ca" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
fp3=$(openssl x509 -in "$tmp/ca3.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')
sign() { openssl x509 -req -in "$1" -CA "$tmp/ca3.pem" -CAkey "$tmp/ca3.key" -days 30 \
	-set_serial "$2" -out "$3" >/dev/null 2>&1; }

# --- Terminal enrollment on a pseudo-terminal, then import ---
# pty_run PROMPT ANSWER ... -- ARGS...: swpki ARGS on a pseudo-terminal
# (pty-answer.py), each answer once its prompt appears.
pty_run() {
	left=$#
	while [ $left -gt 0 ]; do
		a=$1
		shift
		left=$((left - 1))
		if [ "$a" = "--" ]; then
			set -- "$@" -- "$swpki" --dir "$pki"
		else
			set -- "$@" "$a"
		fi
	done
	python3 selftests/host/pty-answer.py "$@" >"$tmp/pty" 2>"$tmp/err"
	rc=$?
	tr -d '\r' <"$tmp/pty" >"$tmp/out"
}
for line in "enrollment terminal pem" "rsakeypair t1 1024" "subject-name CN=t1.example.com"; do
	"$swpki" --dir "$pki" trustpoint TT $line >/dev/null 2>&1
done
"$swpki" --dir "$pki" authenticate TT --file "$tmp/ca3.pem" --yes >/dev/null 2>&1
pty_run "Password:" pw-t1-1234 "Re-enter password:" pw-t1-1234 \
	"serial number in the subject name? [yes/no]: " yes \
	"Include an IP address in the subject name? [no]: " yes \
	"Enter Interface name or IP Address[]: " 192.0.2.7 \
	"Display Certificate Request to terminal? [yes/no]: " yes \
	"Redisplay enrollment request? [yes/no]: " no -- enroll TT
sed -n '/BEGIN CERTIFICATE REQUEST/,/END CERTIFICATE REQUEST/p' "$tmp/out" >"$tmp/t1.req"
openssl req -in "$tmp/t1.req" -noout -text >"$tmp/t1.txt" 2>&1
test $rc -eq 0 && grep -q "Certificate Request follows:" "$tmp/out" &&
	grep -q "^Fingerprint: " "$tmp/out" && grep -q "CN *= *t1.example.com" "$tmp/t1.txt" &&
	grep -q "192.0.2.7" "$tmp/t1.txt" && grep -q "serialNumber" "$tmp/t1.txt" &&
	grep -q "pw-t1-1234" "$tmp/t1.txt" && ! grep -q "pw-t1-1234" "$tmp/out" &&
	openssl req -in "$tmp/t1.req" -noout -verify >/dev/null 2>&1
ok $? "enrollment terminal pem on a terminal: the dialogue, the PEM request (challenge, serial, IP)"
sign "$tmp/t1.req" 77 "$tmp/t1.pem"
openssl req -new -newkey rsa:1024 -nodes -keyout "$tmp/x.key" -subj /CN=x -out "$tmp/x.req" \
	>/dev/null 2>&1
sign "$tmp/x.req" 78 "$tmp/x.pem"
before=$(snapshot)
run import TT certificate --file "$tmp/x.pem"
test $rc -ne 0 && grep -q "the certificate's key is not one of trustpoint TT's key pairs" "$tmp/err" &&
	test "$(snapshot)" = "$before"
ok $? "import of a certificate for another key: refused, nothing stored"
run import TT certificate --file "$tmp/t1.pem"
test $rc -eq 0 && grep -q "% Router Certificate successfully imported" "$tmp/out" &&
	test "$(idfile TT)" = "TT#4D.cer" && matches t1.general "$pki/certs/TT#4D.cer"
ok $? "import TT certificate: the CA-signed certificate of the request installed"

# The SCEP dialogue of E5.4 on a terminal.
mktp TI "rsakeypair ti 1024"
pty_run "Password:" secret "Re-enter password:" secret \
	"serial number in the subject name? [yes/no]: " no \
	"Include an IP address in the subject name? [no]: " "" \
	"Request certificate from CA? [yes/no]: " yes -- enroll TI
test $rc -eq 0 && grep -q "^% Create a challenge password." "$tmp/out" &&
	grep -q "^% The subject name in the certificate will be: " "$tmp/out" &&
	grep -q "^% Certificate request sent to Certificate Authority" "$tmp/out" &&
	grep -q "^%PKI-6-CERTRET: Certificate received from Certificate Authority" "$tmp/out" &&
	! grep -q secret "$tmp/out" && matches ti.general "$pki/certs/$(idfile TI)"
ok $? "the SCEP dialogue on a terminal (E5.4): challenge twice, questions, the certificate"

# --- TFTP enrollment: BASE.ca, BASE.req, BASE.crt ---
mkdir -p "$tmp/tftp"
openssl x509 -in "$tmp/ca3.pem" -outform DER -out "$tmp/tftp/r9.ca"
# Every address of the namespace: getaddrinfo(AI_ADDRCONFIG) finds no
# 127.0.0.1 where loopback is the only interface.
tport=6969
in.tftpd -4 --foreground --listen --address ":$tport" --secure --create --user root "$tmp/tftp" &
pids="$pids $!"
sleep 0.3
for line in "enrollment url tftp://127.0.0.1:$tport/r9" "rsakeypair t9 1024" "fingerprint $fp3"; do
	"$swpki" --dir "$pki" trustpoint TF $line >/dev/null 2>&1
done
run authenticate TF
test $rc -eq 0 && grep -q "Fingerprint matches" "$tmp/out" && ls "$pki/certs" | grep -q "^TF#.*CA.cer$"
ok $? "authenticate TF from tftp://.../r9.ca (DER)"
run enroll TF --auto
test $rc -eq 0 && grep -q "% Certificate request sent to file system" "$tmp/out" &&
	{ echo "-----BEGIN CERTIFICATE REQUEST-----"; cat "$tmp/tftp/r9.req"
	  echo "-----END CERTIFICATE REQUEST-----"; } >"$tmp/r9.pem" &&
	sign "$tmp/r9.pem" 98 "$tmp/r9-old.crt" && sleep 1 &&
	sign "$tmp/r9.pem" 99 "$tmp/tftp/r9.crt"
ok $? "enroll TF: r9.req written over TFTP (base64), signed by the CA into r9.crt"
run import TF certificate
test $rc -eq 0 && test "$(idfile TF)" = "TF#63.cer" && matches t9.general "$pki/certs/TF#63.cer"
ok $? "import TF certificate: r9.crt fetched over TFTP, verified and installed"
# Anyone may write r9.crt: an older certificate of the same key (one the
# CA may have revoked since) does not replace the one installed.
cp "$tmp/r9-old.crt" "$tmp/tftp/r9.crt"
before=$(snapshot "$pki")
run import TF certificate
test $rc -ne 0 && grep -q "older than the certificate installed" "$tmp/err" &&
	test "$(snapshot "$pki")" = "$before"
ok $? "import TF certificate of an older r9.crt (a replay): refused, nothing changed"
# Anyone may read a TFTP server's files: the challenge password stays out
# of the request written there.
for line in "enrollment url tftp://127.0.0.1:$tport/r8" "rsakeypair t7 1024" "password chal1enge42"; do
	tpset TH "$line"
done
"$swpki" --dir "$pki" authenticate TH --file "$tmp/ca3.pem" --yes >/dev/null 2>&1
run enroll TH --auto
{ echo "-----BEGIN CERTIFICATE REQUEST-----"; cat "$tmp/tftp/r8.req"
  echo "-----END CERTIFICATE REQUEST-----"; } >"$tmp/r8.pem"
openssl req -in "$tmp/r8.pem" -noout -text >"$tmp/r8.txt" 2>&1
test $rc -eq 0 && grep -q "Subject Public Key Info" "$tmp/r8.txt" &&
	! grep -qi "challengePassword\|chal1enge42" "$tmp/r8.txt" &&
	grep -q "^% The challenge password is not put in a request written to a file server" "$tmp/out"
ok $? "TFTP enrollment: no challenge password in BASE.req (readable by anyone there), said"
# Usage keys, and no file part: BASE is the FQDN (E5.7).
for line in "enrollment url tftp://127.0.0.1:$tport/" "rsakeypair t8 1024 1024"; do
	"$swpki" --dir "$pki" trustpoint TG $line >/dev/null 2>&1
done
"$swpki" --dir "$pki" authenticate TG --file "$tmp/ca3.pem" --yes >/dev/null 2>&1
run enroll TG --auto
fqdn=$(sed -n 's/^% The fully-qualified domain name in the certificate will be: //p' "$tmp/out")
for u in sign encr; do
	{ echo "-----BEGIN CERTIFICATE REQUEST-----"; cat "$tmp/tftp/$fqdn-$u.req"
	  echo "-----END CERTIFICATE REQUEST-----"; } >"$tmp/tg-$u.pem"
done
sign "$tmp/tg-sign.pem" 101 "$tmp/tftp/$fqdn-sign.crt"
sign "$tmp/tg-encr.pem" 102 "$tmp/tftp/$fqdn-encr.crt"
run import TG certificate
test $rc -eq 0 && test -n "$fqdn" && test "$(idfile TG -sign)" = "TG#65-sign.cer" &&
	test "$(idfile TG -encr)" = "TG#66-encr.cer" && matches t8.signature "$pki/certs/TG#65-sign.cer" &&
	matches t8.encryption "$pki/certs/TG#66-encr.cer"
ok $? "TFTP usage keys, no file part: FQDN-sign.req and -encr.req, both .crt imported"
# The trustpoint's source interface goes into every transfer.
"$swpki" --dir "$pki" trustpoint TG source interface nosuch0 >/dev/null 2>&1
mktp TV "source interface nosuch0"
run authenticate TV --yes
ra=$rc
grep -q "source interface nosuch0: no such interface" "$tmp/err"
re=$?
run import TG certificate
test $ra -ne 0 && test $re -eq 0 && test $rc -ne 0 && grep -q "nosuch0" "$tmp/err"
ok $? "source interface: used by SCEP (authenticate) and TFTP (import)"

# --- An enrollment profile (E7): profile-ca.py signs the posted request ---
pca=$tmp/pca
mkdir "$pca"
cp "$tmp/ca3.pem" "$tmp/ca3.key" "$pca/" && mv "$pca/ca3.pem" "$pca/ca.pem" && mv "$pca/ca3.key" "$pca/ca.key"
python3 selftests/host/profile-ca.py 8081 "$pca" 2>"$tmp/pca.err" &
pids="$pids $!"
i=0
while ! [ -e "$pca/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
for line in "authentication url http://127.0.0.1:8081" "authentication command GET /certs/cacert.der" \
	"enrollment url http://127.0.0.1:8081/raw"; do
	"$swpki" --dir "$pki" profile PR $line >/dev/null 2>&1
done
for line in "enrollment profile PR" "rsakeypair tq 1024" "fingerprint $fp3"; do
	tpset TQ "$line"
done
"$swpki" --dir "$pki" authenticate TQ >/dev/null 2>&1
run enroll TQ --auto
id=$(idfile TQ)
test $rc -eq 0 && grep -q "^%PKI-6-CERTRET" "$tmp/out" && grep -q "^POST /raw" "$pca/log" &&
	test -n "$id" && matches tq.general "$pki/certs/$id"
ok $? "enrollment profile: the request posted by the profile, the certificate checked and installed"

# --- A trustpoint key on a token (softhsm2): the request signed there ---
module=/usr/lib/softhsm/libsofthsm2.so
if command -v softhsm2-util >/dev/null && [ -e "$module" ]; then
	mkdir -p "$tmp/tokens"
	printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\nlog.level = ERROR\n' \
		"$tmp" >"$tmp/softhsm2.conf"
	export SOFTHSM2_CONF="$tmp/softhsm2.conf"
	softhsm2-util --init-token --free --label eToken --pin 4711 --so-pin 99999 >/dev/null
	echo "token module $module" >"$pki/pki.conf"
	printf '4711\n' >"$tmp/pin"
	chmod 600 "$tmp/pin"
	"$swpki" --dir "$pki" token eToken login --pin-file "$tmp/pin" >/dev/null 2>&1
	"$swpki" --dir "$pki" key generate rsa --on eToken --label tk --modulus 1024 \
		</dev/null >/dev/null 2>&1
	for line in "enrollment profile PR" "rsakeypair tk" "fingerprint $fp3"; do
		tpset TK "$line"
	done
	"$swpki" --dir "$pki" authenticate TK >/dev/null 2>&1
	run enroll TK --auto --regenerate
	r1=$rc
	grep -q "key tk is on token eToken: regenerate it there" "$tmp/err"
	e1=$?
	run enroll TK --auto
	id=$(idfile TK)
	test $r1 -ne 0 && test $e1 -eq 0 && test $rc -eq 0 && test -n "$id" &&
		openssl x509 -inform DER -in "$pki/certs/$id" -noout -pubkey >"$tmp/tk.pub" &&
		pkcs11-tool --module "$module" --token-label eToken --read-object --type pubkey \
			--label tk 2>/dev/null | openssl pkey -pubin -inform DER 2>/dev/null |
		cmp -s - "$tmp/tk.pub"
	ok $? "a trustpoint key on a token: enrolled through it (the certificate's key is the token's); --regenerate refused"
else
	ok 0 "# SKIP softhsm2 is not installed"
fi

# --- Self-signed: one per device ---
for line in "enrollment selfsigned" "rsakeypair ss 2048" "subject-alt-name ss.example.com" \
	"hash sha384" "serial-number none" "ip-address none"; do
	"$swpki" --dir "$pki" trustpoint SS $line >/dev/null 2>&1
done
run enroll SS --auto
f=$(ls "$pki/certs" | grep "^SS#")
openssl x509 -inform DER -in "$pki/certs/$f" -noout -text >"$tmp/ss.txt" 2>&1
test $rc -eq 0 && grep -q "Router Self Signed Certificate successfully created" "$tmp/out" &&
	grep -q "DNS:ss.example.com" "$tmp/ss.txt" && grep -q "sha384WithRSAEncryption" "$tmp/ss.txt" &&
	matches ss.general "$pki/certs/$f" &&
	test "$("$swpki" --dir "$pki" show certificates SS | head -n 1)" = "Router Self-Signed Certificate"
ok $? "enrollment selfsigned: the certificate (SAN, hash sha384) of key ss, shown as self-signed"
# A local HTTPS service (E8) serves it from the store as it is: the key
# file (OpenSSL's PEM reader passes over its record lines) and the
# certificate; a client that trusts that certificate connects.
openssl x509 -inform DER -in "$pki/certs/$f" -out "$tmp/ss.pem" 2>/dev/null
openssl s_server -accept 127.0.0.1:8443 -cert "$tmp/ss.pem" -key "$pki/keys/ss.general" -www \
	>"$tmp/s_server.log" 2>&1 &
sspid=$!
pids="$pids $sspid"
sleep 1
echo | timeout 10 openssl s_client -connect 127.0.0.1:8443 -CAfile "$tmp/ss.pem" \
	-verify_return_error >"$tmp/s_client.log" 2>&1
test $? -eq 0 && grep -q 'Verify return code: 0 (ok)' "$tmp/s_client.log"
ok $? "a local HTTPS server uses the self-signed certificate and its key file in place" ||
	sed 's/^/# /' "$tmp/s_server.log" "$tmp/s_client.log" >&2
kill "$sspid" 2>/dev/null
"$swpki" --dir "$pki" trustpoint SS2 enrollment selfsigned >/dev/null 2>&1
before=$(snapshot)
run enroll SS2 --auto
test $rc -ne 0 && grep -q "trustpoint SS already holds the device's self-signed certificate" \
	"$tmp/err" && test "$(snapshot)" = "$before"
ok $? "a second trustpoint's self-signed certificate: refused naming SS, nothing stored"
pty_run "Do you want to replace it? [yes/no]: " no -- enroll SS
test $rc -ne 0 && test "$(ls "$pki/certs" | grep "^SS#")" = "$f"
ok $? "re-enrolling SS asks to replace; 'no' keeps the certificate"
# --- micromdm's scepclient and swpki, with one CA (ca1) ---
# swpki's exported key (PEM, made plain PKCS#1 by openssl: scepclient reads
# no other form) enrolled by scepclient; the certificate imported into
# swpki's trustpoint, which checks it against the key and the CA.
mkdir "$tmp/sc"
secret scpass sc-passphrase
run key generate rsa --label sc --modulus 2048 --exportable --yes
run key export rsa sc pem --url "$tmp/sc/sc" --passphrase-file "$tmp/scpass"
openssl pkey -in "$tmp/sc/sc.prv" -passin "file:$tmp/scpass" -traditional -out "$tmp/sc/sc.key" \
	2>/dev/null
(cd "$tmp/sc" && timeout 60 scepclient -server-url "$url" -private-key sc.key -certificate sc.crt \
	-challenge secret -cn sc.example.com >log 2>&1)
mktp SC "rsakeypair sc"
run import SC certificate --file "$tmp/sc/sc.crt"
test $rc -eq 0 && idf=$(idfile SC) && test -n "$idf" && matches sc.general "$pki/certs/$idf"
ok $? "scepclient enrolls swpki's exported key; swpki imports its certificate for that key" ||
	sed 's/^/# scepclient: /' "$tmp/sc/log" >&2
# scepclient's own key and certificate, with the CA, as openssl pkcs12
# -export writes them: swpki imports the trustpoint whole.
mkdir "$tmp/sc2"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 2>/dev/null |
	openssl pkey -traditional -out "$tmp/sc2/k.pem"
(cd "$tmp/sc2" && timeout 60 scepclient -server-url "$url" -private-key k.pem -certificate c.pem \
	-challenge secret -cn sc2.example.com >log 2>&1) &&
	openssl pkcs12 -export -inkey "$tmp/sc2/k.pem" -in "$tmp/sc2/c.pem" \
		-certfile "$tmp/ca1/depot/ca.pem" -passout "file:$tmp/scpass" -out "$tmp/sc2/sc2.p12"
run import SC2 pkcs12 "$tmp/sc2/sc2.p12" --passphrase-file "$tmp/scpass"
test $rc -eq 0 && idf=$(idfile SC2) && test -n "$idf" &&
	openssl x509 -inform DER -in "$pki/certs/$idf" -noout -subject | grep -q sc2.example.com &&
	openssl x509 -in "$tmp/sc2/c.pem" -noout -pubkey >"$tmp/sc2/a.pub" &&
	openssl x509 -inform DER -in "$pki/certs/$idf" -noout -pubkey | cmp -s - "$tmp/sc2/a.pub"
ok $? "scepclient's key and certificate, exported by openssl pkcs12: swpki imports the trustpoint" ||
	sed 's/^/# scepclient: /' "$tmp/sc2/log" >&2

exit "$fail"

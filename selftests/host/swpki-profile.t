#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swpki profile LABEL (IOS `crypto pki profile enrollment`, E7) with the
# sanitizer build and a store in a temporary directory: the seeds' example
# profile written in IOS syntax and read back, the refusals of bad
# sub-commands (nothing written), `no`, --delete; and `swpki authenticate
# TP` through a trustpoint's profile against profile-ca.py (python3's
# http.server on 127.0.0.1, started here and stopped by PID): the CA
# certificate fetched by the profile's command, and an HTML error page
# and garbage refused with nothing stored. Enrollment through a profile
# is pki_profile_test.c's.

cd "$(dirname "$0")/../.." || exit 1
. selftests/host/swpki-lib.sh
conf=$pki/profiles/E.conf

echo "1..13"

run profile E authentication url http://entrust:81
test $rc -eq 0 && test "$(stat -c %a "$conf")" = 600 && test "$(stat -c %a "$pki/profiles")" = 700
ok $? "profile E created (profiles/E.conf 0600 in a 0700 directory)"
for line in "authentication command GET /certs/cacert.der" \
	"enrollment url http://entrust:81/cda-cgi/clientcgi.exe" \
	"enrollment command POST reference_number=\$P2&authcode=\$P1&retrievedAs=rawDER&action=getServerCert&pkcs10Request=\$REQ" \
	"parameter 1 value aaaa-bbbb-cccc" "parameter 2 value 5001" "parameter 3 prompt Enter the code:" \
	"enrollment credential Entrust"; do
	# shellcheck disable=SC2086
	run profile E $line || break
	[ $rc -eq 0 ] || break
done
cat >"$tmp/want" <<'EOF'
crypto pki profile enrollment E
 authentication url http://entrust:81
 authentication command GET /certs/cacert.der
 enrollment url http://entrust:81/cda-cgi/clientcgi.exe
 enrollment credential Entrust
 enrollment command POST reference_number=$P2&authcode=$P1&retrievedAs=rawDER&action=getServerCert&pkcs10Request=$REQ
 parameter 1 value aaaa-bbbb-cccc
 parameter 2 value 5001
 parameter 3 prompt Enter the code:
EOF
test $rc -eq 0 && cmp -s "$tmp/want" "$conf" && cmp -s "$tmp/want" "$tmp/out"
ok $? "the seeds' example profile (E7.2), in IOS syntax on disk and shown" || diff "$tmp/want" "$conf" >&2

before=$(cat "$conf")
bad=0
for line in "authentication url ftp://x" "authentication command PUT /x" "authentication command GET x" \
	"parameter 0 value x" "parameter 10 value x" "parameter 1 value two words" "parameter 1 maybe x" \
	"enrollment credential bad/name" "enrollment terminal pem" "colour blue"; do
	# shellcheck disable=SC2086
	run profile E $line
	if [ $rc -ne 2 ] || [ "$(cat "$conf")" != "$before" ]; then
		echo "# '$line': rc $rc" >&2
		bad=1
	fi
done
test $bad -eq 0
ok $? "ten bad sub-commands refused (exit 2), the profile unchanged"
run profile E authentication command GET x
grep -q "GET takes a path" "$tmp/err"
ok $? "a refusal names its reason"

run profile E authentication terminal
test $rc -eq 0 && grep -qx " authentication terminal" "$conf" && ! grep -q "authentication url" "$conf"
ok $? "authentication terminal replaces authentication url"
run profile E no parameter
test $rc -eq 0 && ! grep -q "parameter" "$conf"
ok $? "no parameter removes the parameters"
printf 'crypto pki profile enrollment F\n authentication url http://x\n' >"$pki/profiles/E.conf.bad"
mv "$pki/profiles/E.conf.bad" "$conf"
run profile E
test $rc -ne 0 && grep -q "E.conf:1: expected 'crypto pki profile enrollment E'" "$tmp/err"
ok $? "a file of another name is refused, with its line"
run profile --delete E
test $rc -eq 0 && ! test -e "$conf"
ok $? "--delete removes the profile"

# --- swpki authenticate TP through its profile ---
ca=$tmp/ca
mkdir "$ca"
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$ca/ca.key" -out "$ca/ca.pem" -days 30 -subj /CN=profile-ca \
	-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign >/dev/null 2>&1
openssl crl2pkcs7 -nocrl -certfile "$ca/ca.pem" -outform DER -out "$ca/ca.p7b"
port=$((20000 + $$ % 20000))
python3 selftests/host/profile-ca.py "$port" "$ca" 2>"$tmp/stub.err" &
pids="$pids $!"
i=0
while ! [ -e "$ca/ready" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
fp=$(openssl x509 -in "$ca/ca.pem" -noout -fingerprint -sha256 | sed 's/.*=//; s/://g')
run trustpoint TP enrollment profile P
run trustpoint TP fingerprint "$fp"
run profile P authentication url "http://127.0.0.1:$port"
run profile P authentication command GET /html
run authenticate TP
test $rc -ne 0 && grep -q "HTML page" "$tmp/err" && ! ls "$pki/certs" | grep -q '^TP#'
ok $? "authenticate TP by its profile: an HTML page refused, nothing stored"
run profile P authentication command GET /garbage
run authenticate TP
test $rc -ne 0 && grep -q "is no certificate" "$tmp/err" && ! ls "$pki/certs" | grep -q '^TP#'
ok $? "garbage refused, nothing stored"
run profile P authentication command GET /certs/cacert.p7b
run authenticate TP
test $rc -eq 0 && grep -q "Fingerprint matches the trustpoint's configured fingerprint." "$tmp/out" &&
	grep -q "GET /certs/cacert.p7b" "$ca/log" && ls "$pki/certs" | grep -q '^TP#.*CA\.cer$'
ok $? "authenticate TP by its profile: the CA certificate of a PKCS#7 reply, checked by fingerprint"
run trustpoint TP3 enrollment profile P pem
r1=$rc
run trustpoint TP3 enrollment profile P pam
test $r1 -eq 0 && grep -qx " enrollment profile P pem" "$pki/trustpoints/TP3.conf" && test $rc -eq 2
ok $? "a trustpoint's enrollment profile LABEL pem (the request as PEM); another word refused"
run trustpoint TP2 enrollment profile P
run authenticate TP2
test $rc -ne 0 && grep -q "no terminal to ask" "$tmp/err" && ! ls "$pki/certs" | grep -q '^TP2#'
ok $? "without a fingerprint and a terminal: refused"

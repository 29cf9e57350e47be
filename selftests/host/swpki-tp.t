#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swpki's trustpoints, certificate store and CA authentication (issue 16,
# points 3 and 4; FEATURES E4, E5.1, E5.3, E17.1), with the sanitizer build
# and a store in a temporary directory: the trustpoint configuration's
# round trip and the refusal of bad lines, an atomic write under a file
# size limit, a symbolic link at a trustpoint's name, authentication by a
# configured fingerprint, by --yes and by an operator on a pseudo-terminal,
# the refusals (fingerprint mismatch, no terminal, not a CA, malformed PEM
# and DER) that store nothing, the show commands' layouts, the relocation
# of the certificate storage and its refusal of a remote location.

cd "$(dirname "$0")/../.." || exit 1
. selftests/host/swpki-lib.sh
certs() { ls -A "$pki/certs" 2>/dev/null; }
sha() { openssl x509 -in "$1" -noout -fingerprint -"$2" | sed 's/.*=//; s/://g'; }

# A CA (keyUsage keyCertSign, a CDP), another CA, a leaf (CA:FALSE) and a
# CA whose keyUsage lacks keyCertSign.
mk() {
	name=$1 subj=$2
	shift 2
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/$name.key" -out "$tmp/$name.pem" \
		-days 365 -subj "$subj" "$@" >/dev/null 2>&1
}
mk ca "/C=US/O=Company/CN=tpca-root" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" \
	-addext "crlDistributionPoints=URI:http://tpca-root/CertEnroll/tpca-root.crl"
mk other "/O=Other/CN=other-root" -addext "basicConstraints=critical,CA:TRUE"
mk leaf "/CN=leaf.example.com" -addext "basicConstraints=critical,CA:FALSE"
mk nosign "/CN=no-keycertsign" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,digitalSignature"
openssl x509 -in "$tmp/ca.pem" -outform DER -out "$tmp/ca.der"
serial=$(openssl x509 -in "$tmp/ca.pem" -noout -serial | sed 's/.*=//')
cafile="TP#${serial}CA.cer"

echo "1..56"

# --- The trustpoint's configuration ---
run trustpoint TP enrollment url http://ca.example/cgi-bin/pkiclient.exe
test $rc -eq 0 && test "$(stat -c %a "$pki/trustpoints/TP.conf")" = 600
ok $? "trustpoint TP created (0600) with an enrollment url"
for line in "enrollment retry period 5" "enrollment retry count 20" "enrollment mode ra" \
	"subject-name cn=router.example.com, o=Company" "ip-address 192.0.2.1" \
	"serial-number none" "usage ike ssl-server" "rsakeypair tpkey 2048" \
	"fingerprint 12EF53FA 355CD23E 12EF53FA 355CD23E" "source interface eth0" "vrf blue" \
	"auto-enroll 70 regenerate" "hash sha256"; do
	# shellcheck disable=SC2086
	"$swpki" --dir "$pki" trustpoint TP $line >/dev/null 2>"$tmp/err" || echo "$line" >>"$tmp/failed"
done
# The challenge password comes from standard input (swpki-hostile.t 8-9).
echo s3cret | "$swpki" --dir "$pki" trustpoint TP password - >/dev/null 2>"$tmp/err" || echo password >>"$tmp/failed"
cat >"$tmp/expect" <<'EOF'
crypto pki trustpoint TP
 enrollment url http://ca.example/cgi-bin/pkiclient.exe
 enrollment mode ra
 enrollment retry period 5
 enrollment retry count 20
 subject-name cn=router.example.com, o=Company
 ip-address 192.0.2.1
 serial-number none
 password s3cret
 usage ike ssl-server
 rsakeypair tpkey 2048
 fingerprint 12EF53FA 355CD23E 12EF53FA 355CD23E
 source interface eth0
 vrf blue
 auto-enroll 70 regenerate
 hash sha256
EOF
! test -e "$tmp/failed" && cmp -s "$tmp/expect" "$pki/trustpoints/TP.conf"
ok $? "every sub-command stored in IOS syntax, one a line" || diff "$tmp/expect" "$pki/trustpoints/TP.conf" >&2
run trustpoint TP
test $rc -eq 0 && cmp -s "$tmp/expect" "$tmp/out"
ok $? "the stored file reads back to the same configuration (round trip)"
cp "$pki/trustpoints/TP.conf" "$tmp/before"
run trustpoint TP bogus 1
test $rc -eq 2 && grep -q "unknown keyword 'bogus'" "$tmp/err" && cmp -s "$tmp/before" "$pki/trustpoints/TP.conf"
ok $? "an unknown keyword is refused by name, the file unchanged"
run trustpoint TP enrollment retry period 0
test $rc -eq 2 && grep -q "retry period: 0 is out of range (1-60 minutes)" "$tmp/err"
ok $? "retry period 0 is refused"
run trustpoint TP enrollment retry period 61
test $rc -eq 2 && grep -q "retry period: 61 is out of range" "$tmp/err" && cmp -s "$tmp/before" "$pki/trustpoints/TP.conf"
ok $? "retry period 61 is refused, the file unchanged"
run trustpoint TP enrollment retry count 101
test $rc -eq 2 && grep -q "retry count: 101 is out of range (1-100)" "$tmp/err"
ok $? "retry count 101 is refused"
run trustpoint TP fingerprint 12EF53FG
test $rc -eq 2 && grep -q "fingerprint: 'G' is not a hex digit" "$tmp/err"
ok $? "a fingerprint with a non-hex digit is refused"
run trustpoint TP fingerprint 12EF53FA 355CD2
test $rc -eq 2 && grep -q "fingerprint: 14 hex digits; an MD5 (32), SHA-1 (40) or SHA-256 (64)" "$tmp/err" &&
	cmp -s "$tmp/before" "$pki/trustpoints/TP.conf"
ok $? "a fingerprint of the wrong length is refused, the file unchanged"
run trustpoint TP no fingerprint
test $rc -eq 0 && ! grep -q fingerprint "$pki/trustpoints/TP.conf" && grep -q '^ vrf blue$' "$pki/trustpoints/TP.conf"
ok $? "'no fingerprint' removes that line only"
printf 'crypto pki trustpoint BAD\n enrollment terminal\n ocsp url http://x\n' >"$pki/trustpoints/BAD.conf"
run show trustpoints BAD
test $rc -ne 0 && grep -q "trustpoints/BAD.conf:3: unknown keyword 'ocsp'" "$tmp/err"
ok $? "a stored file with an unknown keyword: the error names the file and the line"
rm -f "$pki/trustpoints/BAD.conf"

# A failed write (a file size limit of 0: EFBIG) leaves the old file.
cp "$pki/trustpoints/TP.conf" "$tmp/before"
(ulimit -f 0; trap '' XFSZ; exec "$swpki" --dir "$pki" trustpoint TP vrf red) \
	</dev/null >"$tmp/out" 2>"$tmp/err"
rc=$?
test $rc -ne 0 && cmp -s "$tmp/before" "$pki/trustpoints/TP.conf" &&
	test "$(ls -A "$pki/trustpoints")" = TP.conf
ok $? "a failed write leaves the old trustpoint file and no temporary file"

# A symbolic link at a trustpoint's name is never followed.
echo victim >"$tmp/victim"
ln -s "$tmp/victim" "$pki/trustpoints/EVIL.conf"
run trustpoint EVIL vrf x
test $rc -ne 0 && grep -q "EVIL.conf: a symbolic link (refused)" "$tmp/err" && test "$(cat "$tmp/victim")" = victim
ok $? "a symbolic link at NAME.conf is refused, its target untouched"
rm -f "$pki/trustpoints/EVIL.conf"

# --- CA authentication ---
run trustpoint TP fingerprint "$(sha "$tmp/ca.pem" sha256)"
run authenticate TP --file "$tmp/ca.pem"
test $rc -eq 0 && grep -q "^Fingerprint MD5: $(sha "$tmp/ca.pem" md5 | sed 's/\(........\)/\1 /g; s/ $//')$" "$tmp/out" &&
	grep -q "^Trustpoint CA certificate accepted.$" "$tmp/out" && ! grep -q "accept this" "$tmp/out" &&
	test "$(certs)" = "$cafile"
ok $? "a matching SHA-256 fingerprint: accepted without a question, stored as TP#SERIALCA.cer"
test "$(stat -c %a "$pki/certs/$cafile")" = 644 && cmp -s "$tmp/ca.der" "$pki/certs/$cafile"
ok $? "the CA certificate is stored DER, mode 0644"
grep -q "^Certificate has the following attributes:$" "$tmp/out" &&
	grep -q "^Fingerprint SHA1: $(sha "$tmp/ca.pem" sha1 | sed 's/\(........\)/\1 /g; s/ $//')$" "$tmp/out" &&
	grep -q "^Fingerprint SHA256: $(sha "$tmp/ca.pem" sha256 | sed 's/\(........\)/\1 /g; s/ $//')$" "$tmp/out"
ok $? "MD5, SHA-1 and SHA-256 fingerprints shown in 8-hex groups"

run trustpoint TP2 enrollment terminal
run trustpoint TP2 fingerprint "$(sha "$tmp/other.pem" md5)"
run authenticate TP2 --file "$tmp/ca.der"
test $rc -eq 1 && grep -q "fingerprint is not the one trustpoint TP2 is configured with" "$tmp/err" &&
	test "$(certs)" = "$cafile"
ok $? "a mismatching MD5 fingerprint: refused, nothing stored"
run trustpoint TP2 fingerprint "$(sha "$tmp/ca.pem" sha1)"
run authenticate TP2 --file "$tmp/ca.der"
test $rc -eq 0 && test -e "$pki/certs/TP2#${serial}CA.cer"
ok $? "a matching SHA-1 fingerprint accepts a DER certificate"

run trustpoint TP3
run authenticate TP3 --file "$tmp/ca.pem"
test $rc -eq 1 && grep -q "no fingerprint configured for trustpoint TP3 and no terminal" "$tmp/err" &&
	! certs | grep -q '^TP3#'
ok $? "no fingerprint and no terminal: refused, nothing stored (E4.4)"
run authenticate TP3 --file "$tmp/leaf.pem" --yes
test $rc -eq 1 && grep -q "not a CA certificate: no basicConstraints CA:TRUE" "$tmp/err" && ! certs | grep -q '^TP3#'
ok $? "a certificate that is not a CA is refused, even with --yes"
run authenticate TP3 --file "$tmp/nosign.pem" --yes
test $rc -eq 1 && grep -q "keyUsage lacks keyCertSign" "$tmp/err" && ! certs | grep -q '^TP3#'
ok $? "a CA certificate whose keyUsage lacks keyCertSign is refused"
head -c 300 "$tmp/ca.pem" >"$tmp/trunc.pem"
echo "-----END CERTIFICATE-----" >>"$tmp/trunc.pem"
run authenticate TP3 --file "$tmp/trunc.pem" --yes
test $rc -eq 1 && grep -q "trunc.pem: malformed PEM certificate" "$tmp/err" && ! certs | grep -q '^TP3#'
ok $? "malformed PEM is refused with its own message, nothing stored"
head -c 400 "$tmp/ca.der" >"$tmp/trunc.der"
run authenticate TP3 --file "$tmp/trunc.der" --yes
test $rc -eq 1 && grep -q "trunc.der: malformed DER certificate" "$tmp/err" && ! certs | grep -q '^TP3#'
ok $? "malformed DER is refused with its own message, nothing stored"
cat "$tmp/ca.der" "$tmp/ca.der" >"$tmp/double.der"
run authenticate TP3 --file "$tmp/double.der" --yes
test $rc -eq 1 && grep -q "bytes after the DER certificate" "$tmp/err"
ok $? "trailing bytes after DER are refused"
run authenticate TP3 --file "$tmp/ca.pem" --yes
test $rc -eq 0 && grep -q '^% Do you accept this certificate? \[yes/no\]: yes$' "$tmp/out" &&
	test -e "$pki/certs/TP3#${serial}CA.cer"
ok $? "--yes accepts without a fingerprint"

# From an http:// URL (lib/xfer.h), a server on 127.0.0.1 stopped by PID.
mkdir "$tmp/www"
cp "$tmp/ca.pem" "$tmp/www/ca.pem"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$tmp/www" >"$tmp/http.log" 2>&1 &
pids="$pids $!"
for _ in $(seq 50); do grep -q 'port [1-9]' "$tmp/http.log" && break; sleep 0.1; done
port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$tmp/http.log")
run trustpoint TP6 fingerprint "$(sha "$tmp/ca.pem" sha256)"
run authenticate TP6 --file "http://127.0.0.1:$port/ca.pem"
test $rc -eq 0 && test -e "$pki/certs/TP6#${serial}CA.cer"
ok $? "the CA certificate fetched from an http:// URL"
run authenticate TP6 --file "http://127.0.0.1:$port/missing.pem" --yes
test $rc -ne 0 && test "$(certs | grep -c '^TP6#')" = 1
ok $? "a URL that cannot be fetched: an error, nothing changed"

# Pasted on the terminal (E4.5): the base64 body alone, up to "quit".
run trustpoint TP4
sed '/-----/d' "$tmp/ca.pem" >"$tmp/paste"
echo quit >>"$tmp/paste"
"$swpki" --dir "$pki" authenticate TP4 --yes <"$tmp/paste" >"$tmp/out" 2>"$tmp/err"
rc=$?
test $rc -eq 0 && head -n 2 "$tmp/out" | tr '\n' '|' |
	grep -q '^Enter the base 64 encoded CA certificate.|End with a blank line or the word "quit" on a line by itself|$' &&
	test -e "$pki/certs/TP4#${serial}CA.cer"
ok $? "a pasted base64 certificate, with the seeds' prompts"

# An operator on a pseudo-terminal answers the question.
pty_auth() {
	selftests/host/pty-answer.py '[yes/no]: ' "$3" "$swpki" --dir "$pki" authenticate "$1" --file "$2" \
		>"$tmp/out" 2>"$tmp/err"
	rc=$?
}
run trustpoint TP5
pty_auth TP5 "$tmp/ca.pem" no
test $rc -eq 1 && grep -q "Do you accept this certificate" "$tmp/out" && ! certs | grep -q '^TP5#'
ok $? "on a terminal, 'no' refuses: nothing stored"
pty_auth TP5 "$tmp/ca.pem" yes
test $rc -eq 0 && grep -q "Trustpoint CA certificate accepted." "$tmp/out" && test -e "$pki/certs/TP5#${serial}CA.cer"
ok $? "on a terminal, 'yes' accepts and stores"

# --- show ---
run show certificates TP
cat >"$tmp/expect" <<EOF
CA Certificate
  Status: Available
  Certificate Serial Number: $serial
  Certificate Usage: Signature
  Issuer:
    cn=tpca-root
    o=Company
    c=US
  Subject:
    cn=tpca-root
    o=Company
    c=US
  CRL Distribution Points:
    http://tpca-root/CertEnroll/tpca-root.crl
  Validity Date:
EOF
test $rc -eq 0 && head -n 15 "$tmp/out" | cmp -s "$tmp/expect" - &&
	grep -q '^    start date: [0-2][0-9]:[0-5][0-9]:[0-5][0-9] GMT [A-Z][a-z][a-z] [1-9][0-9]* 20[0-9][0-9]$' "$tmp/out" &&
	grep -q '^    end   date: ' "$tmp/out" && tail -n 1 "$tmp/out" | grep -q '^  Associated Trustpoints: TP$'
ok $? "show certificates: the seeds' layout, the DN least-significant RDN first"
run show certificates TP verbose
test $rc -eq 0 && grep -q '^  Fingerprint SHA256: ' "$tmp/out" && grep -q '^    Public Key Size: 2048 bit$' "$tmp/out"
ok $? "show certificates verbose adds the key and the fingerprints"
run trustpoint NOCA
run show trustpoints NOCA
test $rc -eq 0 && grep -q '^  Not authenticated: no CA certificate' "$tmp/out" &&
	grep -q '^  No certificate (not enrolled).$' "$tmp/out"
ok $? "show trustpoints: a trustpoint without certificates says so"
run show trustpoints TP
printf 'Trustpoint TP:\n  Subject Name:\n  cn=tpca-root\n  o=Company\n  c=US\n  Serial Number: %s\n  No certificate (not enrolled).\n' \
	"$serial" >"$tmp/expect"
test $rc -eq 0 && cmp -s "$tmp/expect" "$tmp/out"
ok $? "show trustpoints TP: the CA's subject and serial (E4.7)"
run show trustpoints TP status
test $rc -eq 0 && grep -q '^  Issuing CA certificate configured:$' "$tmp/out" &&
	grep -q '^    Issuing CA authenticated ....... Yes$' "$tmp/out" &&
	grep -q '^    Certificate(s) ................. No$' "$tmp/out"
ok $? "show trustpoints TP status: the CA configured, no certificate"
run show timers
test $rc -eq 0 && test "$(sed -n 1p "$tmp/out")" = "PKI Timers" &&
	sed -n 2p "$tmp/out" | grep -q '^|       0d 00:00:00  ENROLL TP  at [0-2][0-9]:[0-5][0-9]:[0-5][0-9] GMT ' &&
	test "$(wc -l <"$tmp/out")" = 2
ok $? "show timers: TP (auto-enroll) has no certificate: enrolled at once"

# --- The certificate storage (E17.1) ---
echo "token module /usr/lib/x/softhsm2.so" >"$pki/pki.conf"
run certificate storage "$tmp/newcerts"
test $rc -eq 0 && grep -q '^Requested directory does not exist -- created$' "$tmp/out" &&
	grep -qx "token module /usr/lib/x/softhsm2.so" "$pki/pki.conf" &&
	grep -q "^Certificates will be stored in $tmp/newcerts/\$" "$tmp/out" &&
	test "$(stat -c %a "$tmp/newcerts")" = 700 && cmp -s "$tmp/ca.der" "$tmp/newcerts/$cafile"
ok $? "certificate storage DIR: created 0700, the certificates copied there, pki.conf's other lines kept"
run show storage
test $rc -eq 0 && test "$(cat "$tmp/out")" = "Certificates will be stored in $tmp/newcerts/"
ok $? "show storage names the new directory"
run show certificates TP
test $rc -eq 0 && grep -q '^CA Certificate$' "$tmp/out"
ok $? "the certificates are read from the new directory"
cp "$pki/pki.conf" "$tmp/before"
run certificate storage tftp://server/certs
test $rc -eq 2 && grep -q "a remote location" "$tmp/err" && cmp -s "$tmp/before" "$pki/pki.conf"
ok $? "a remote storage location is refused, the setting unchanged"

# --- Importing the certificate of manual enrollment (E5.6) ---
openssl req -new -newkey rsa:2048 -nodes -keyout "$tmp/router.key" -subj "/O=Company/CN=router.example.com" \
	-out "$tmp/router.csr" >/dev/null 2>&1
openssl x509 -req -in "$tmp/router.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial 0x1234CA \
	-days 30 -out "$tmp/router.pem" >/dev/null 2>&1
openssl x509 -req -in "$tmp/router.csr" -CA "$tmp/other.pem" -CAkey "$tmp/other.key" \
	-days 30 -out "$tmp/foreign.pem" >/dev/null 2>&1
# An expired certificate of the CA, through `openssl ca` (3.0's x509 has no -not_after).
touch "$tmp/index.txt"
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\nnew_certs_dir=%s\nrand_serial=yes\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n' \
	"$tmp" "$tmp" >"$tmp/ca.cnf"
openssl ca -batch -config "$tmp/ca.cnf" -cert "$tmp/ca.pem" -keyfile "$tmp/ca.key" -in "$tmp/router.csr" \
	-startdate 20200101000000Z -enddate 20200201000000Z -notext -out "$tmp/expired.pem" >/dev/null 2>&1
run import NOCA certificate --file "$tmp/router.pem"
test $rc -ne 0 && grep -q "trustpoint NOCA is not authenticated" "$tmp/err" && ! ls -A "$tmp/newcerts" | grep -q '^NOCA#'
ok $? "import into a trustpoint without a CA certificate is refused"
run import TP certificate --file "$tmp/foreign.pem"
test $rc -eq 1 && grep -q "not issued by trustpoint TP's CA" "$tmp/err" && test "$(ls -A "$tmp/newcerts" | grep -c '^TP#')" = 1
ok $? "a certificate of another CA is refused, nothing stored"
run import TP certificate --file "$tmp/ca.pem"
test $rc -eq 1 && grep -q "a CA certificate, not the router's" "$tmp/err"
ok $? "a CA certificate is refused by import"
run import TP certificate --file "$tmp/expired.pem"
test -s "$tmp/expired.pem" && test $rc -eq 1 && grep -q "has expired" "$tmp/err"
ok $? "an expired certificate is refused"
# The router's key is the trustpoint's (rsakeypair tpkey): import checks it.
printf 'router-pass\n' >"$tmp/rpass"
chmod 600 "$tmp/rpass"
openssl pkey -in "$tmp/router.key" -pubout -out "$tmp/rk.pub" 2>/dev/null
openssl pkey -in "$tmp/router.key" -aes256 -passout pass:router-pass -out "$tmp/rk.prv" 2>/dev/null
"$swpki" --dir "$pki" key import rsa tpkey pem --url "$tmp/rk" --passphrase-file "$tmp/rpass" \
	--yes </dev/null >/dev/null 2>&1
sed '/-----/d' "$tmp/router.pem" >"$tmp/paste"
"$swpki" --dir "$pki" import TP certificate <"$tmp/paste" >"$tmp/out" 2>"$tmp/err"
rc=$?
test $rc -eq 0 && head -n 1 "$tmp/out" | grep -q '^Enter the base 64 encoded certificate.$' &&
	grep -q '^% Router Certificate successfully imported$' "$tmp/out" && test -e "$tmp/newcerts/TP#1234CA.cer"
ok $? "a pasted router certificate is imported as TP#SERIAL.cer"
run show certificates TP
test $rc -eq 0 && head -n 1 "$tmp/out" | grep -q '^Certificate$' && grep -q '^    Name: router.example.com$' "$tmp/out" &&
	grep -q '^    renew date: ' "$tmp/out" && grep -c '^CA Certificate$' "$tmp/out" | grep -q '^1$'
ok $? "show certificates: the router's certificate (serial ending in CA) first, then the CA's"
run show trustpoints TP
test $rc -eq 0 && grep -q '^  Certificate configured.$' "$tmp/out"
ok $? "show trustpoints: Certificate configured."
run show timers
test $rc -eq 0 && grep -q '^| *[0-9]*d [0-9][0-9]:[0-9][0-9]:[0-9][0-9]  RENEW TP  at .* GMT ' "$tmp/out"
ok $? "show timers: the auto-enroll renewal of TP"

# --- Deleting a trustpoint ---
run trustpoint --delete TP2
test $rc -ne 0 && test -e "$pki/trustpoints/TP2.conf"
ok $? "trustpoint --delete without a terminal or --yes is refused"
run trustpoint --delete TP2 --yes
test $rc -eq 0 && ! test -e "$pki/trustpoints/TP2.conf" && ! ls -A "$tmp/newcerts" | grep -q '^TP2#'
ok $? "trustpoint --delete --yes removes the trustpoint and its certificates"

echo garbage >"$tmp/newcerts/TP3#00.cer"
run show certificates TP3
test $rc -ne 0 && grep -q 'TP3#00.cer: not a DER certificate' "$tmp/err"
ok $? "a damaged certificate file is reported by name"
run trustpoint --delete TP3 --yes
test $rc -eq 0 && ! ls -A "$tmp/newcerts" | grep -q '^TP3#' && ! test -e "$pki/trustpoints/TP3.conf"
ok $? "a trustpoint with a damaged certificate file can still be deleted"

cat "$tmp/ca.pem" "$tmp/other.pem" >"$tmp/two.pem"
cp "$tmp/newcerts/TP6#${serial}CA.cer" "$tmp/tp6.before"
run authenticate TP6 --file "$tmp/two.pem" --yes
test $rc -eq 1 && grep -q "two.pem: more than one certificate" "$tmp/err" &&
	test "$(ls -A "$tmp/newcerts" | grep -c '^TP6#')" = 1 && cmp -s "$tmp/tp6.before" "$tmp/newcerts/TP6#${serial}CA.cer"
ok $? "a PEM file with two certificates is refused, the CA certificate unchanged"

# --- pki.conf: every line known (lib/pki/conf.c) ---
cp "$pki/pki.conf" "$tmp/conf.good"
printf 'crypto pki certificate storage %s\nstorage-typo /x\n' "$tmp/newcerts" >"$pki/pki.conf"
run show storage
test $rc -ne 0 && grep -q "pki.conf:2: not a setting" "$tmp/err"
ok $? "pki.conf: an unknown line is refused by its number, never ignored"
printf 'token module /a.so\ntoken module /b.so\n' >"$pki/pki.conf"
run show storage
test $rc -ne 0 && grep -q "pki.conf:2: token module set twice" "$tmp/err"
ok $? "pki.conf: a setting given twice is refused"
printf 'crypto pki certificate storage relative/dir\n' >"$pki/pki.conf"
run show storage
test $rc -ne 0 && grep -q "pki.conf:1: crypto pki certificate storage /PATH expected" "$tmp/err"
ok $? "pki.conf: a relative storage path is refused"
cp "$tmp/conf.good" "$pki/pki.conf"

exit $fail

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swpki export|import TP pkcs12|pem (issue 16 point 1; FEATURES E2.1-E2.4,
# E2.6), with the sanitizer build and stores in a temporary directory:
# interoperability with openssl (swpki imports what `openssl pkcs12 -export`
# writes; openssl pkcs12, pkey and x509 read what swpki exports), the
# seeds' messages and prompts, the refusals (wrong passphrase, truncated
# PKCS#12, no CA certificate, a "CA" that is not one, malformed PEM, a key
# that is not the certificate's, an expired chain with --check, a key that
# is not exportable or is locked), each leaving the stores unchanged, and
# the import's all or nothing shown by failing each of its writes in turn
# (failrename.so, an LD_PRELOAD shim: the Nth renameat() fails ENOSPC).

cd "$(dirname "$0")/../.." || exit 1
command -v keyctl >/dev/null || { echo "1..0 # SKIP keyctl (keyutils) is not installed"; exit 0; }
. selftests/host/swpki-lib.sh
failrename=$repo/build/tests/host/failrename.so
pubkey() { openssl pkey -pubout -outform DER 2>/dev/null | sha256sum; }

# A CA, a router's key and certificate, another CA's certificate of the
# same key, a non-CA issuer, an expired certificate, usage keys.
mkca() {
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/$1.key" -out "$tmp/$1.pem" -days 365 \
		-subj "/O=Company/CN=$1" -addext "basicConstraints=critical,$2" \
		-addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" >/dev/null 2>&1
}
mkcert() { # NAME ISSUER [openssl x509 options]
	name=$1 issuer=$2
	shift 2
	[ -e "$tmp/$name.key" ] || openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 \
		-out "$tmp/$name.key" 2>/dev/null
	openssl req -new -key "$tmp/$name.key" -subj "/CN=$name.example.com" -out "$tmp/$name.csr" 2>/dev/null
	openssl x509 -req -in "$tmp/$name.csr" -CA "$tmp/$issuer.pem" -CAkey "$tmp/$issuer.key" -set_serial "0x$(openssl rand -hex 8)" \
		-days 30 "$@" -out "$tmp/$name.pem" 2>/dev/null
}
mkca ca CA:TRUE
mkca notca CA:FALSE
mkcert r1 ca
mkcert r2 ca
mkcert fake notca
echo "keyUsage=critical,digitalSignature" >"$tmp/sign.ext"
echo "keyUsage=critical,keyEncipherment" >"$tmp/encr.ext"
mkcert sign ca -extfile "$tmp/sign.ext"
mkcert encr ca -extfile "$tmp/encr.ext"
touch "$tmp/index.txt"
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\nnew_certs_dir=%s\nunique_subject=no\nrand_serial=yes\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n' \
	"$tmp" "$tmp" >"$tmp/ca.cnf"
openssl ca -batch -config "$tmp/ca.cnf" -cert "$tmp/ca.pem" -keyfile "$tmp/ca.key" -in "$tmp/r2.csr" \
	-startdate 20200101000000Z -enddate 20200201000000Z -notext -out "$tmp/expired.pem" >/dev/null 2>&1
printf 'mypassword123\n' >"$tmp/pf"
printf 'wrongpassword\n' >"$tmp/wrong"
chmod 600 "$tmp/pf" "$tmp/wrong"
p12() { # OUT KEY CERT [openssl pkcs12 -export options]
	o=$1 k=$2 c=$3
	shift 3
	openssl pkcs12 -export -inkey "$tmp/$k.key" -in "$tmp/$c.pem" -passout "file:$tmp/pf" \
		-out "$tmp/$o.p12" "$@" 2>/dev/null
}
p12 r1 r1 r1 -certfile "$tmp/ca.pem"
p12 r2 r2 r2 -certfile "$tmp/ca.pem"
p12 r1-3des r1 r1 -certfile "$tmp/ca.pem" -certpbe PBE-SHA1-3DES -keypbe PBE-SHA1-3DES -macalg sha1
p12 noca r1 r1
p12 r1-legacy r1 r1 -certfile "$tmp/ca.pem" -legacy
p12 fake fake fake -certfile "$tmp/notca.pem"
p12 expired r2 expired -certfile "$tmp/ca.pem"
head -c 1000 "$tmp/r1.p12" >"$tmp/trunc.p12"

echo "1..41"

# --- PKCS#12 (E2.1) ---
run import TP pkcs12 "$tmp/r1.p12" --passphrase-file "$tmp/pf"
test $rc -eq 0 && grep -qx "CRYPTO_PKI:Imported PKCS12 file successfully." "$tmp/out" &&
	grep -qx "%CRYPTO-6-PKCS12IMPORT_SUCCESS:PKCS #12 Successfully Imported." "$tmp/out" &&
	! grep -q "Source filename" "$tmp/out" &&
	grep -qx " rsakeypair TP" "$pki/trustpoints/TP.conf" && test -f "$pki/keys/TP.general" &&
	test "$(ls "$pki/certs" | grep -c '^TP#.*CA\.cer$')" = 1 &&
	test "$(ls "$pki/certs" | grep -c '^TP#')" = 2
ok $? "import of openssl's PKCS#12: trustpoint TP created, key TP, CA and router certificates" || exit 1
run show key mypubkey rsa TP
keydata() { sed -n '/^Key Data:/,$p' "$tmp/out" | sed 1d | tr -d ' \n' | tr A-F a-f; }
test $rc -eq 0 && grep -qx "Key name: TP" "$tmp/out" && grep -qx "Key is not exportable." "$tmp/out" &&
	test "$(keydata)" = "$(openssl pkey -in "$tmp/r1.key" -pubout -outform DER 2>/dev/null | od -An -tx1 | tr -d ' \n')"
ok $? "show key mypubkey: the imported key TP, r1's public key, not exportable"
run export TP pkcs12 "$tmp/ne.p12" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "key TP is not exportable" "$tmp/err" && ! test -e "$tmp/ne.p12"
ok $? "a key imported without --exportable: its export is refused, nothing written"

before=$(snapshot "$pki")
run import TP pkcs12 "$tmp/r1.p12" --passphrase-file "$tmp/wrong"
test $rc -ne 0 && grep -q "wrong passphrase" "$tmp/err" && test "$(snapshot "$pki")" = "$before"
ok $? "a wrong passphrase: refused, nothing changed"
run import TP pkcs12 "$tmp/trunc.p12" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "truncated" "$tmp/err" && test "$(snapshot "$pki")" = "$before"
ok $? "a truncated PKCS#12 file: refused, nothing changed"
run import TP pkcs12 "$tmp/noca.p12" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "the CA's certificate" "$tmp/err" && test "$(snapshot "$pki")" = "$before"
ok $? "a PKCS#12 file without the CA certificate: refused (E2.1), nothing changed"
run import TP pkcs12 "$tmp/fake.p12" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -qi "not a CA\|CA:TRUE" "$tmp/err" && test "$(snapshot "$pki")" = "$before"
ok $? "a \"CA\" certificate that is not a CA: refused, nothing changed"
run import NEW pkcs12 "$tmp/expired.p12" --passphrase-file "$tmp/pf" --check
test $rc -ne 0 && grep -q "has expired (refused: --check)" "$tmp/err" && test "$(snapshot "$pki")" = "$before"
ok $? "an expired certificate with --check: refused, no trustpoint NEW"
run import NEW pkcs12 "$tmp/expired.p12" --passphrase-file "$tmp/pf"
test $rc -eq 0 && test -f "$pki/trustpoints/NEW.conf"
ok $? "the same without --check: imported"

# E1.6: a key the store holds as not exportable never becomes exportable,
# neither by importing it again over its trustpoint nor under another name.
before=$(snapshot "$pki")
run import TP pkcs12 "$tmp/r1-3des.p12" --passphrase-file "$tmp/pf" --exportable
test $rc -ne 0 && grep -q "key TP holds this private key and is not exportable" "$tmp/err" &&
	test "$(snapshot "$pki")" = "$before"
ok $? "TP's non-exportable key re-imported --exportable over TP: refused (E1.6), nothing changed"
run import OTHER pkcs12 "$tmp/r1.p12" --passphrase-file "$tmp/pf" --exportable
test $rc -ne 0 && grep -q "key TP holds this private key and is not exportable" "$tmp/err" &&
	test "$(snapshot "$pki")" = "$before"
ok $? "the same key imported --exportable under another name: refused (E1.6), nothing changed"
# A key pair another trustpoint uses is not replaced by an import.
run trustpoint X rsakeypair TP
before=$(snapshot "$pki")
run import TP pkcs12 "$tmp/r2.p12" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "key pair TP is trustpoint X's too" "$tmp/err" &&
	test "$(snapshot "$pki")" = "$before"
ok $? "import over TP whose key pair trustpoint X uses too: refused, nothing changed"
run trustpoint --delete X --yes
run key zeroize rsa TP --yes
run import TP pkcs12 "$tmp/r1-3des.p12" --passphrase-file "$tmp/pf" --exportable
test $rc -eq 0
ok $? "once zeroized, a 3DES PKCS#12 file (SHA-1 MAC) imported --exportable over TP"
run export TP pkcs12 "$tmp/out.p12" --passphrase-file "$tmp/pf"
test $rc -eq 0 && grep -qx "Writing pkcs12 file to $tmp/out.p12" "$tmp/out" &&
	grep -qx "CRYPTO_PKI:Exported PKCS12 file successfully." "$tmp/out" &&
	grep -qx "%CRYPTO-6-PKCS12EXPORT_SUCCESS:PKCS #12 Successfully Exported." "$tmp/out" &&
	! grep -q "Destination filename" "$tmp/out" && test "$(stat -c %a "$tmp/out.p12")" = 600
ok $? "export pkcs12: the seeds' messages, no question without a terminal, mode 0600"
openssl pkcs12 -in "$tmp/out.p12" -passin "file:$tmp/pf" -nodes -out "$tmp/out.pem" 2>/dev/null &&
	test "$(pubkey <"$tmp/out.pem")" = "$(pubkey <"$tmp/r1.key")" &&
	test "$(grep -c 'BEGIN CERTIFICATE' "$tmp/out.pem")" = 2 &&
	openssl pkcs12 -in "$tmp/out.p12" -passin "file:$tmp/pf" -info -noout 2>&1 | grep -q "AES-256-CBC"
ok $? "openssl pkcs12 reads the export (AES-256): the key, its certificate and the CA's"
run export TP pkcs12 "$tmp/out3.p12" --passphrase-file "$tmp/pf" --cipher 3des
openssl pkcs12 -in "$tmp/out3.p12" -passin "file:$tmp/pf" -info -noout 2>&1 | grep -q "pbeWithSHA1And3-KeyTripleDES-CBC"
ok $? "export --cipher 3des: PBE SHA1 3DES"
# On a terminal IOS's question, whose answer replaces the file name.
selftests/host/pty-answer.py ']? ' second.p12 "$swpki" --dir "$pki" export TP pkcs12 \
	"$tmp/first.p12" --passphrase-file "$tmp/pf" >"$tmp/out" 2>"$tmp/err"
test $? -eq 0 && grep -q "^Destination filename \[first.p12\]? " "$tmp/out" &&
	grep -q "Writing pkcs12 file to $tmp/second.p12" "$tmp/out" &&
	test -s "$tmp/second.p12" && ! test -e "$tmp/first.p12"
ok $? "on a terminal: \"Destination filename [first.p12]?\", the answer names the file"
openssl pkcs12 -in "$tmp/out.p12" -passin "file:$tmp/wrong" -nodes >/dev/null 2>&1
test $? -ne 0
ok $? "openssl refuses the export with a wrong passphrase"
"$swpki" --dir "$tmp/pki2" import B pkcs12 "$tmp/out.p12" --passphrase-file "$tmp/pf" </dev/null >/dev/null 2>&1 &&
	"$swpki" --dir "$tmp/pki2" show key mypubkey rsa B </dev/null >"$tmp/showb" 2>&1 &&
	grep -qx " rsakeypair B" "$tmp/pki2/trustpoints/B.conf"
ok $? "swpki imports its own export under another name (B) on another store"

openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/ec.key" -subj /CN=ec.example.com \
	-out "$tmp/ec.csr" 2>/dev/null
openssl x509 -req -in "$tmp/ec.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial 0x4711 -days 30 \
	-out "$tmp/ec.pem" 2>/dev/null
p12 ec ec ec -certfile "$tmp/ca.pem"
run import ECTP pkcs12 "$tmp/ec.p12" --passphrase-file "$tmp/pf"
test $rc -eq 0 && grep -qx " eckeypair ECTP" "$pki/trustpoints/ECTP.conf" &&
	! grep -q rsakeypair "$pki/trustpoints/ECTP.conf" && run show key mypubkey ec ECTP &&
	grep -qx "Key name: ECTP" "$tmp/out"
ok $? "an ECDSA P-256 PKCS#12 file: the trustpoint names its key with eckeypair"

run import LEGACY pkcs12 "$tmp/r1-legacy.p12" --passphrase-file "$tmp/pf"
test $rc -eq 0 && run show key mypubkey rsa LEGACY && grep -qx "Key name: LEGACY" "$tmp/out"
ok $? "an old PKCS#12 file (openssl -legacy: RC2-40) through OpenSSL's legacy provider"

# A locked key is refused.
run key encrypt rsa --label TP --passphrase-file "$tmp/pf"
run key lock rsa --label TP --passphrase-file "$tmp/pf"
run export TP pkcs12 "$tmp/locked.p12" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "locked" "$tmp/err" && ! test -e "$tmp/locked.p12"
ok $? "a locked key: export refused, nothing written"
run key unlock rsa --label TP --passphrase-file "$tmp/pf"
run key decrypt rsa --label TP --passphrase-file "$tmp/pf"
kr_purge "$pki"

# --- PEM (E2.2-E2.4, E2.6) ---
run export TP pem --url "$tmp/exp" --passphrase-file "$tmp/pf" --cipher 3des
test $rc -eq 0 && test "$(sed -n 1p "$tmp/out")" = "% Exporting CA certificate..." &&
	grep -qx "Writing file to $tmp/exp.ca" "$tmp/out" && grep -qx "% Key name: TP" "$tmp/out" &&
	grep -qx "Usage: General Purpose Key" "$tmp/out" && grep -qx "Writing file to $tmp/exp.prv" "$tmp/out" &&
	grep -qx "Writing file to $tmp/exp.crt" "$tmp/out" &&
	grep -q "^DEK-Info: DES-EDE3-CBC," "$tmp/exp.prv" && test "$(stat -c %a "$tmp/exp.prv")" = 600
ok $? "export pem --url: BASE.ca, BASE.prv (3DES, 0600), BASE.crt, with the seeds' messages"
openssl pkey -in "$tmp/exp.prv" -passin "file:$tmp/pf" -out "$tmp/exp.key" 2>/dev/null &&
	test "$(pubkey <"$tmp/exp.key")" = "$(pubkey <"$tmp/r1.key")" &&
	openssl x509 -in "$tmp/exp.crt" -noout -subject | grep -q "r1.example.com" &&
	openssl x509 -in "$tmp/exp.ca" -noout -subject | grep -q "CN = ca"
ok $? "openssl pkey and x509 read the PEM export with the passphrase"
run export TP pem --terminal --passphrase-file "$tmp/pf"
test $rc -eq 0 && test "$(grep '^%' "$tmp/out" | tr '\n' '|')" = "% CA certificate:|% Key name: TP|% Certificate:|" &&
	grep -q "BEGIN ENCRYPTED PRIVATE KEY" "$tmp/out"
ok $? "export pem --terminal: CA certificate, key and certificate in E2.4's order (AES PKCS#8)"

run import P pem --url "$tmp/exp" --passphrase-file "$tmp/pf"
test $rc -eq 0 && grep -qx "% Importing CA certificate..." "$tmp/out" &&
	grep -qx "Reading file from $tmp/exp.prv" "$tmp/out" && grep -qx "% PEM files import succeeded." "$tmp/out" &&
	grep -qx " rsakeypair P" "$pki/trustpoints/P.conf" && test "$(ls "$pki/certs" | grep -c '^P#')" = 2
ok $? "import pem --url: trustpoint P with its key and certificates"
run export P pem --url "$tmp/p" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "not exportable" "$tmp/err"
ok $? "after import pem without --exportable the key is not exportable (E2.3)"

{ cat "$tmp/ca.pem"; echo; cat "$tmp/exp.prv"; echo quit; cat "$tmp/exp.crt"; echo; } >"$tmp/paste"
"$swpki" --dir "$pki" import T pem --terminal --passphrase-file "$tmp/pf" <"$tmp/paste" >"$tmp/out" 2>"$tmp/err"
test $? -eq 0 && test "$(grep '^%' "$tmp/out" | tr '\n' '|')" = \
'% Enter PEM-formatted CA certificate.|% End with a blank line or "quit" on a line by itself.|% Enter PEM-formatted encrypted private key.|% End with "quit" on a line by itself.|% Enter PEM-formatted certificate.|% End with a blank line or "quit" on a line by itself.|% PEM files import succeeded.|' &&
	test -f "$pki/keys/T.general"
ok $? "import pem --terminal: E2.6's prompts, the pasted files imported"

before=$(snapshot "$pki")
cp "$tmp/exp.ca" "$tmp/bad.ca"; cp "$tmp/exp.prv" "$tmp/bad.prv"
sed '3s/./#/' "$tmp/exp.crt" >"$tmp/bad.crt"
run import P pem --url "$tmp/bad" --passphrase-file "$tmp/pf"
test $rc -ne 0 && test "$(snapshot "$pki")" = "$before"
ok $? "a malformed PEM certificate: refused, nothing changed"
run import P pem --url "$tmp/exp" --passphrase-file "$tmp/wrong"
test $rc -ne 0 && grep -qi "passphrase" "$tmp/err" && test "$(snapshot "$pki")" = "$before"
ok $? "import pem with a wrong passphrase: refused, nothing changed"
cp "$tmp/r2.pem" "$tmp/bad.crt"
run import P pem --url "$tmp/bad" --passphrase-file "$tmp/pf"
test $rc -ne 0 && test "$(snapshot "$pki")" = "$before"
ok $? "a certificate that is not the private key's: refused, nothing changed"
cp "$tmp/notca.pem" "$tmp/bad.ca"; cp "$tmp/exp.crt" "$tmp/bad.crt"
run import P pem --url "$tmp/bad" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "not issued by the CA certificate given" "$tmp/err" && test "$(snapshot "$pki")" = "$before"
ok $? "a CA file of another issuer: refused, nothing changed"
openssl pkcs12 -in "$tmp/expired.p12" -passin "file:$tmp/pf" -nodes -nocerts 2>/dev/null |
	openssl pkcs8 -topk8 -v2 aes-256-cbc -passout "file:$tmp/pf" -out "$tmp/old.prv" 2>/dev/null
cp "$tmp/ca.pem" "$tmp/old.ca"; cp "$tmp/expired.pem" "$tmp/old.crt"
run import OLD pem --check --url "$tmp/old" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "has expired (refused: --check)" "$tmp/err" && test "$(snapshot "$pki")" = "$before"
ok $? "import pem --check of an expired certificate: refused, nothing changed (E2.2)"

openssl ca -batch -config "$tmp/ca.cnf" -cert "$tmp/ca.pem" -keyfile "$tmp/ca.key" -in "$tmp/r2.csr" \
	-startdate 20991201000000Z -enddate 21000101000000Z -notext -out "$tmp/old.crt" >/dev/null 2>&1
run import OLD pem --check --url "$tmp/old" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "is not valid yet (refused: --check)" "$tmp/err" && test "$(snapshot "$pki")" = "$before"
ok $? "import pem --check of a certificate not valid yet: refused, nothing changed"

# Usage keys: BASE-sign.* and BASE-encr.*.
for u in sign encr; do
	openssl pkcs8 -topk8 -v2 aes-256-cbc -in "$tmp/$u.key" -passout "file:$tmp/pf" -out "$tmp/u-$u.prv" 2>/dev/null
	cp "$tmp/$u.pem" "$tmp/u-$u.crt"
done
cp "$tmp/ca.pem" "$tmp/u.ca"
run import U pem --usage-keys --exportable --url "$tmp/u" --passphrase-file "$tmp/pf"
test $rc -eq 0 && test -f "$pki/keys/U.signature" && test -f "$pki/keys/U.encryption" &&
	ls "$pki/certs" | grep -q '^U#.*-sign\.cer$' && ls "$pki/certs" | grep -q '^U#.*-encr\.cer$'
ok $? "import pem --usage-keys: two key pairs, -sign and -encr certificates"
{ cat "$tmp/ca.pem"; echo; cat "$tmp/u-sign.prv"; echo quit; cat "$tmp/sign.pem"; echo;
	cat "$tmp/u-encr.prv"; echo quit; cat "$tmp/encr.pem"; echo; } >"$tmp/paste"
"$swpki" --dir "$pki" import UT pem --usage-keys --terminal --passphrase-file "$tmp/pf" <"$tmp/paste" >"$tmp/out" 2>"$tmp/err"
test $? -eq 0 && test "$(grep '^% Enter' "$tmp/out" | tr '\n' '|')" = \
'% Enter PEM-formatted CA certificate.|% Enter PEM-formatted encrypted private SIGNATURE key.|% Enter PEM-formatted SIGNATURE certificate.|% Enter PEM-formatted encrypted private ENCRYPTION key.|% Enter PEM-formatted ENCRYPTION certificate.|' &&
	test -f "$pki/keys/UT.signature" && test -f "$pki/keys/UT.encryption"
ok $? "import pem --usage-keys --terminal: E2.6's SIGNATURE and ENCRYPTION prompts"
run export U pem --url "$tmp/ux" --passphrase-file "$tmp/pf"
test $rc -eq 0 && for f in ux.ca ux-sign.prv ux-sign.crt ux-encr.prv ux-encr.crt; do test -s "$tmp/$f" || exit 1; done &&
	cmp -s "$tmp/ux-encr.crt" "$tmp/encr.pem"
ok $? "export pem of usage keys: BASE-sign.* and BASE-encr.*"
run export U pkcs12 "$tmp/u.p12" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "usage keys" "$tmp/err" && ! test -e "$tmp/u.p12"
ok $? "usage keys do not fit one PKCS#12 file: refused"

# --- All or nothing: each write of an import fails in turn ---
# A fresh trustpoint (every file new), then over TP (every file replaced).
allornothing() { # TP FILE
	i=1 fails=0
	while [ $i -le 20 ]; do
		before=$(snapshot "$pki")
		FAILRENAME_AT=$i LD_PRELOAD=$failrename ASAN_OPTIONS=verify_asan_link_order=0 \
			"$swpki" --dir "$pki" import "$1" pkcs12 "$2" --passphrase-file "$tmp/pf" \
			</dev/null >"$tmp/out" 2>"$tmp/err"
		rc=$?
		grep -q "failrename: renameat() #$i fails" "$tmp/err" || break
		if [ $rc -eq 0 ] || [ "$(snapshot "$pki")" != "$before" ]; then
			echo "# write $i failed but the store changed (rc $rc)" >&2
			return 1
		fi
		fails=$((fails + 1)) i=$((i + 1))
	done
	[ $rc -eq 0 ] && [ "$(snapshot "$pki")" != "$before" ] && [ $fails -ge 4 ] ||
		{ echo "# $fails writes failed, rc $rc at the end" >&2; return 1; }
}
allornothing FRESH "$tmp/r1.p12"
ok $? "import into a new trustpoint: a failure at each of its writes leaves the store unchanged"
allornothing TP "$tmp/r2.p12"
ok $? "import over TP (key, certificates, configuration replaced): the same at each write"
run export TP pkcs12 "$tmp/x.p12" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "not exportable" "$tmp/err" && run show key mypubkey rsa TP && test $rc -eq 0
ok $? "after the replacement TP holds r2's key (imported without --exportable)"

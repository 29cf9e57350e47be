#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swpki key generate rsa|ec --on TOKEN (E1.1 `on`, E17.2) against softhsm2
# (a sanitizer build of swpki): the pair is made on the token, not
# extractable, recorded in the store (keys/LABEL.token) and listed by
# `show key mypubkey` as on the token with the token's public key; the
# refusals (--exportable, --usage-keys, a label in use, RSA above the
# token's bound, no login) that leave the store and the token unchanged;
# zeroize removes the pair from the token and the store.

cd "$(dirname "$0")/../.." || exit 1
. selftests/host/swpki-lib.sh
softhsm_init
p11() { pkcs11-tool --module "$module" --token-label eToken --login --pin 4711 "$@" 2>/dev/null; }
keydata() { sed -n '/^Key Data:/,$p' "$tmp/out" | sed 1d | tr -d ' \n' | tr A-F a-f; }

mkdir -p "$pki/keys" "$pki/trustpoints" "$pki/certs"
chmod -R 700 "$pki"
softhsm2-util --init-token --free --label eToken --pin 4711 --so-pin 99999 >/dev/null || exit 1
echo "token module $module" >"$tmp/pki/pki.conf"
printf '4711\n' >"$tmp/pin"
chmod 600 "$tmp/pin"

echo "1..11"

before=$(snapshot)
run key generate rsa --on eToken --label tk1 --modulus 1024
test $rc -ne 0 && ! test -e "$tmp/pki/keys/tk1.token" && ! p11 --list-objects | grep -q "label: *tk1"
ok $? "before a login: refused, nothing on the token, no record"

run token eToken login --pin-file "$tmp/pin"
run key generate rsa --on eToken --label tk1 --modulus 1024
test $rc -eq 0 && grep -qx "% Generating 1024 bit RSA keys, keys will be on-token, non-exportable...\[OK\]" "$tmp/out" &&
	grep -qx "%CRYPTO-6-TOKENSTOREKEY: Key tk1 stored on Cryptographic Token eToken Successfully" "$tmp/out" &&
	grep -qx "token eToken" "$tmp/pki/keys/tk1.token" && ! grep -q PRIVATE "$tmp/pki/keys/tk1.token"
ok $? "generate rsa --on eToken: the seeds' lines, a record naming the token, no private key in the store"
p11 --list-objects --type privkey >"$tmp/objs"
grep -A8 "label: *tk1" "$tmp/objs" | grep -q "Access: *sensitive, always sensitive, never extractable"
ok $? "the private key is on the token: sensitive, never extractable" || cat "$tmp/objs" >&2
run show key mypubkey rsa tk1
p11 --read-object --type pubkey --label tk1 -o "$tmp/tk1.der"
test $rc -eq 0 && grep -qx "Key name: tk1" "$tmp/out" && grep -qx "Key is not exportable." "$tmp/out" &&
	grep -qx "Key is on token eToken." "$tmp/out" &&
	test "$(keydata)" = "$(od -An -tx1 <"$tmp/tk1.der" | tr -d ' \n')"
ok $? "show key mypubkey: tk1 on token eToken, the token's public key"

run key generate ec --on eToken --label tk2
run show key mypubkey ec --json
test "$(python3 -c 'import json,sys; k=json.load(open(sys.argv[1]))[0]; print(k["label"], k["curve"], k["token"], k["exportable"])' "$tmp/out")" = \
	"tk2 P-256 eToken 0"
ok $? "generate ec --on eToken: P-256, listed in JSON with its token"

before=$(snapshot)
run key generate rsa --on eToken --label tk3 --exportable
r1=$rc
run key generate rsa --on eToken --label tk3 --usage-keys
test $r1 -eq 2 && grep -q "usage-keys" "$tmp/err" && test $rc -eq 2 && test "$(snapshot)" = "$before"
ok $? "--exportable and --usage-keys with --on: refused"
run key generate rsa --on eToken --label tk1
test $rc -ne 0 && grep -q "a key pair labelled tk1 exists" "$tmp/err" && test "$(snapshot)" = "$before"
ok $? "a label in use: refused, nothing replaced"
run key generate rsa --label soft --modulus 1024
run key generate rsa --on eToken --label soft --modulus 1024
test $rc -ne 0 && ! p11 --list-objects | grep -q "label: *soft"
ok $? "a label of a key in the store: refused, nothing made on the token"
run key generate rsa --on eToken --label big --modulus 4096
test $rc -ne 0 && ! test -e "$tmp/pki/keys/big.token"
ok $? "RSA above the token's 2048 bits: refused"

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 30 -subj /CN=ca \
	-addext basicConstraints=critical,CA:TRUE >/dev/null 2>&1
openssl req -newkey rsa:2048 -nodes -keyout "$tmp/r.key" -subj /CN=r -out "$tmp/r.csr" >/dev/null 2>&1
openssl x509 -req -in "$tmp/r.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial 5 -days 30 \
	-out "$tmp/r.pem" >/dev/null 2>&1
printf 'mypassword123\n' >"$tmp/pf"
chmod 600 "$tmp/pf"
openssl pkcs12 -export -inkey "$tmp/r.key" -in "$tmp/r.pem" -certfile "$tmp/ca.pem" \
	-passout "file:$tmp/pf" -out "$tmp/r.p12"
before=$(snapshot)
run import tk1 pkcs12 "$tmp/r.p12" --passphrase-file "$tmp/pf"
test $rc -ne 0 && grep -q "key pair tk1 is on token eToken: not replaced" "$tmp/err" &&
	test "$(snapshot)" = "$before"
ok $? "a PKCS#12 import does not shadow a key on a token: refused, nothing changed"

run key zeroize rsa tk1 --yes
test $rc -eq 0 && ! test -e "$tmp/pki/keys/tk1.token" && ! p11 --list-objects | grep -q "label: *tk1"
ok $? "zeroize rsa tk1: gone from the token and the store"

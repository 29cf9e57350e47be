#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swpki token against softhsm2 (a sanitizer build of swpki): a token made
# by softhsm2-util in a temporary directory (SOFTHSM2_CONF is the test's
# own), login with a good and a bad PIN, max-retries reached (a correct
# PIN refused too until the count is reset), RSA 2048 and ECDSA P-256
# generated on the token and not extractable, a request signed on the
# token and verified by openssl, RSA above 2048 refused, a PIN on the
# command line refused, a wrong module, a token removed between two
# operations and during one, logout, change-pin, zeroize, p11-kit's proxy.

cd "$(dirname "$0")/../.." || exit 1
. selftests/host/swpki-lib.sh
softhsm_init
p11() { pkcs11-tool --module "$module" --token-label eToken "$@"; }

mkdir -p "$pki/keys" "$pki/trustpoints" "$pki/certs" "$tmp/empty"
chmod -R 700 "$pki"
softhsm2-util --init-token --free --label eToken --pin 4711 --so-pin 99999 >/dev/null || exit 1
echo "token module $module" >"$tmp/pki/pki.conf"
secret pin 4711
secret bad 0000
secret new 123456

echo "1..36"

run token list
test $rc -eq 0 && echo "$out" | grep -q "^PKCS#11 module $module: " &&
	echo "$out" | grep -q '^Slot 0x[0-9a-f]* (SoftHSM slot ID .*): token eToken, SoftHSM project SoftHSM v2, serial [0-9a-f]*$'
ok $? "token list: the module, the slot and the token softhsm2-util made"

echo "token module $tmp/nonexistent.so" >"$tmp/pki/pki.conf"
run token list
test $rc -eq 3 && echo "$err" | grep -q "^swpki: token: token module $tmp/nonexistent.so cannot be loaded: .* (set \`token module PATH\` in $tmp/pki/pki.conf)$"
ok $? "a wrong module path: named, with where to set it"
echo "token module $(ls /lib/x86_64-linux-gnu/libz.so.1)" >"$tmp/pki/pki.conf"
run token eToken login --pin-file "$tmp/pin"
test $rc -eq 3 && echo "$err" | grep -q 'is not a PKCS#11 module (no C_GetFunctionList)$'
ok $? "a library that is not a PKCS#11 module is refused"
echo "token module $module" >"$tmp/pki/pki.conf"

before=$(snapshot)
run token eToken login --pin 4711
test $rc -eq 2 && echo "$err" | grep -q '^swpki: token: --pin: a PIN is never taken on the command line (anyone may read it with ps): --pin-file FILE$' &&
	test "$(snapshot)" = "$before"
ok $? "--pin on the command line is refused, nothing written"
run token eToken login --pin=4711
test $rc -eq 2 && ! echo "$err" | grep -q 4711
ok $? "--pin=PIN is refused too, and the PIN is not echoed"

chmod 644 "$tmp/pin"
run token eToken login --pin-file "$tmp/pin"
test $rc -eq 2 && echo "$err" | grep -q 'readable by group or others'
ok $? "a PIN file others may read is refused"
chmod 600 "$tmp/pin"

run token eToken login --pin-file "$tmp/bad"
test $rc -eq 3 && echo "$err" | grep -q '^swpki: token: token eToken: wrong PIN (failed login 1 of max-retries 15)$' &&
	test ! -e "$tmp/pki/tokens/eToken.pin"
ok $? "a wrong PIN: refused, counted against the default max-retries 15, not kept"

run token eToken login --pin-file "$tmp/pin"
test $rc -eq 0 && echo "$out" | grep -qx "Token login to eToken successful" &&
	echo "$out" | grep -qx "%CRYPTO-6-TOKENLOGIN: Cryptographic Token eToken Login Successful" &&
	test "$(stat -c %a "$tmp/pki/tokens/eToken.pin")" = 600 &&
	grep -qx 'failed-logins 0' "$tmp/pki/tokens/eToken.conf"
ok $? "the right PIN: logged in, the PIN kept 0600, the failure count reset"

run token eToken max-retries 3
test $rc -eq 0 && test "$out" = "Token eToken: max-retries 3, failed login count reset"
ok $? "max-retries 3"
for i in 1 2 3; do run token eToken login --pin-file "$tmp/bad"; done
test $rc -eq 3 && echo "$err" | grep -q 'wrong PIN (failed login 3 of max-retries 3)$'
ok $? "three wrong PINs counted"
run token eToken login --pin-file "$tmp/pin"
test $rc -eq 3 && echo "$err" | grep -q '^swpki: token: token eToken: 3 failed logins reached max-retries 3: login refused without trying the token; check the PIN, then reset the count with `swpki token eToken max-retries N`$'
ok $? "past max-retries even the right PIN is refused without C_Login"
run token eToken generate ec --label refused
test $rc -eq 3 && echo "$err" | grep -q 'reached max-retries 3' &&
	! p11 -O 2>/dev/null | grep -q 'label: *refused'
ok $? "past max-retries the kept PIN is not tried either: nothing generated"
run token eToken max-retries 15
run token eToken login --pin-file "$tmp/pin"
test $rc -eq 0
ok $? "max-retries N resets the count: the right PIN logs in again"

run token eToken generate rsa --label k1
test $rc -eq 0 && echo "$out" | grep -q '^% The key modulus size is 2048 bits$' &&
	echo "$out" | grep -q '^%CRYPTO-6-TOKENSTOREKEY: Key k1 stored on Cryptographic Token eToken Successfully$'
ok $? "RSA 2048 generated on the token, the seeds' messages"
run token eToken generate ec --label k2
test $rc -eq 0 && echo "$out" | grep -q '^% The EC key is P-256$'
ok $? "ECDSA P-256 generated on the token"
run token eToken generate rsa --label k3 --modulus 4096
test $rc -eq 3 && echo "$err" | grep -q '^swpki: token: RSA keys on a token are 1024 to 2048 bits (E18.1): 4096 refused$' &&
	! p11 -O 2>/dev/null | grep -q 'label: *k3'
ok $? "RSA 4096 on the token refused, no object made"
run token eToken generate ec --label k2
test $rc -eq 3 && echo "$err" | grep -q 'already holds a key labelled k2'
ok $? "a label already on the token is refused"

p11 -O 2>/dev/null >"$tmp/objects"
test "$(grep -c 'Access: *sensitive, always sensitive, never extractable, local' "$tmp/objects")" -eq 0 &&
	p11 --login --pin 4711 -O 2>/dev/null >"$tmp/objects" &&
	test "$(grep -c 'Access: *sensitive, always sensitive, never extractable, local' "$tmp/objects")" -eq 2
ok $? "pkcs11-tool: both private keys are private (hidden without a login), sensitive and never extractable"
for k in k1 k2; do
	p11 --login --pin 4711 --read-object --type privkey --label $k -o "$tmp/$k.key" >/dev/null 2>&1
done
test ! -s "$tmp/k1.key" && test ! -s "$tmp/k2.key"
ok $? "pkcs11-tool --read-object --type privkey reads nothing of either key"

for k in k1 k2; do
	run token eToken request --label $k --subject CN=r1.example.com,O=Example
	cp "$tmp/out" "$tmp/$k.csr"
done
openssl req -in "$tmp/k1.csr" -verify -noout 2>&1 | grep -q '^Certificate request self-signature verify OK$' &&
	openssl req -in "$tmp/k2.csr" -verify -noout 2>&1 | grep -q '^Certificate request self-signature verify OK$' &&
	openssl req -in "$tmp/k1.csr" -noout -subject | grep -q '^subject=CN = r1.example.com, O = Example$'
ok $? "requests signed on the token with the RSA and the EC key verify with openssl req -verify"
sed 's/^\(.\{20\}\)A/\1B/; s/^\(.\{20\}\)[^AB]/\1A/' "$tmp/k1.csr" >"$tmp/bad.csr"
! openssl req -in "$tmp/bad.csr" -verify -noout >/dev/null 2>&1
ok $? "a changed request does not verify (the check above can fail)"

ok_pub=0
for k in k1 k2; do
	p11 --read-object --type pubkey --label $k -o "$tmp/$k.pub" 2>/dev/null &&
		openssl req -in "$tmp/$k.csr" -pubkey -noout | openssl pkey -pubin -outform DER |
		cmp -s - "$tmp/$k.pub" || ok_pub=1
done
ok $ok_pub "the public keys read from the token are the requests' keys"

pkcs11-tool --module "$module" --token-label eToken --login --pin 4711 --keypairgen \
	--key-type rsa:1024 --label ext --extractable --usage-sign >/dev/null 2>&1
run show token eToken
show_der=$(echo "$out" | sed -n '/^Key name: k1$/,/^Key name:/p' | sed -n '/^Key Data:/,/^Key name:/p' |
	grep '^ ' | tr -d ' \n')
test $rc -eq 0 && echo "$out" | grep -q '^Token eToken is slot 0x[0-9a-f]* (SoftHSM project SoftHSM v2, serial [0-9a-f]*)$' &&
	echo "$out" | grep -A3 '^Key name: k1$' | grep -q '^Key is not exportable.$' &&
	echo "$out" | grep -A3 '^Key name: k2$' | grep -q '^Usage: General Purpose Key (ECDSA P-256)$' &&
	echo "$out" | grep -A3 '^Key name: ext$' | grep -q '^Key is exportable.$' &&
	test "$show_der" = "$(od -An -tx1 -v "$tmp/k1.pub" | tr -d ' \n' | tr a-f A-F)"
ok $? "show token: the keys, 'not exportable' for ours, 'exportable' for an extractable one, the key data"

before=$(snapshot)
mkdir "$tmp/away" && mv "$tmp/tokens"/* "$tmp/away"
run token eToken generate ec --label k4
test $rc -eq 3 && echo "$err" | grep -q "^swpki: token: no token labelled eToken in module $module (is it plugged in? \`swpki token list\`)$" &&
	test "$(snapshot)" = "$before"
ok $? "a token removed between two operations: a clear error, nothing written"
mv "$tmp/away"/* "$tmp/tokens"
SOFTHSM2_CONF=$tmp/empty/softhsm2.conf run token eToken generate ec --label k4
test $rc -eq 3 && echo "$err" | grep -q "^swpki: token: token module $module: initialisation failed (CKR 0x[0-9a-f]*): is the token store it is configured with there?$" &&
	test "$(snapshot)" = "$before"
ok $? "a module whose token store is gone: a clear error, nothing written"

# During one: login opens the token, then waits for its PIN on a FIFO;
# the token goes away meanwhile.
mid_login() {
	rm -f "$tmp/fifo" && mkfifo -m 600 "$tmp/fifo"
	run token eToken logout
	before=$(snapshot)
	"$swpki" --dir "$tmp/pki" token eToken login --pin-file "$tmp/fifo" >"$tmp/out" 2>"$tmp/err" &
	pid=$!
	sleep 1
	mv "$tmp/tokens" "$tmp/tokens.away"
	echo 4711 >"$tmp/fifo"
	wait $pid
	rc=$?
	err=$(cat "$tmp/err")
	mv "$tmp/tokens.away" "$tmp/tokens"
}
mid_login
test $rc -eq 3 && echo "$err" | grep -q "^swpki: token: token eToken was removed (serial [0-9a-f]*, module $module): its keys are unloaded; nothing was written$" &&
	test "$(snapshot)" = "$before" && test ! -e "$tmp/pki/tokens/eToken.pin"
ok $? "a token removed during a login (removal timeout 0): a clear error, no PIN kept, nothing written"
run token eToken removal-timeout 30
mid_login
test $rc -eq 3 && echo "$err" | grep -q '^swpki: token: token eToken was removed: its keys stay loaded [0-9]* more seconds (removal-timeout 30)$' &&
	test "$(snapshot)" = "$before"
ok $? "with removal-timeout 30 the same is a wait for the token, still nothing written"
run token eToken removal-timeout 0

run token eToken login --pin-file "$tmp/pin"
run token eToken change-pin --new-pin-file "$tmp/new"
test $rc -eq 0 && test "$out" = "Token eToken: user PIN changed" &&
	test "$(cat "$tmp/pki/tokens/eToken.pin")" = 123456
ok $? "change-pin: the token's PIN and the kept one changed"
run token eToken login --pin-file "$tmp/pin"
test $rc -eq 3 && echo "$err" | grep -q 'wrong PIN' &&
	run token eToken login --pin-file "$tmp/new" && test $rc -eq 0
ok $? "after change-pin the old PIN is wrong and the new one logs in"

run token eToken zeroize --label k2
test $rc -eq 0 && ! p11 --login --pin 123456 -O 2>/dev/null | grep -q 'label: *k2$' &&
	p11 --login --pin 123456 -O 2>/dev/null | grep -q 'label: *k1$'
ok $? "zeroize removes the key pair from the token, and only it"
run token eToken zeroize --label k2
test $rc -eq 3 && echo "$err" | grep -q '^swpki: token: token eToken holds no key labelled k2$'
ok $? "zeroize of a key that is not there: a clear error"

run token eToken logout
test $rc -eq 0 && test ! -e "$tmp/pki/tokens/eToken.pin"
run token eToken generate ec --label k5
test $rc -eq 3 && echo "$err" | grep -q '^swpki: token: token eToken: not logged in (`swpki token eToken login --pin-file FILE`)$'
ok $? "logout forgets the PIN: on-token operations are refused until the next login"
run show token eToken
test $rc -eq 0 && echo "$out" | grep -A3 '^Key name: k1$' | grep -q '^Private key not seen (not logged in).$'
ok $? "show token after logout: the public keys, the private ones not seen"
run token eToken login --pin-file -
test $rc -eq 2 && echo "$err" | grep -q 'standard input is not a terminal' &&
	test ! -e "$tmp/pki/tokens/eToken.pin"
ok $? "--pin-file - without a terminal is refused"

# Without `token module`, p11-kit's proxy, which loads softhsm2 from p11-kit's configuration.
rm "$tmp/pki/pki.conf"
run token list
test $rc -eq 0 && echo "$out" | grep -q '^PKCS#11 module p11-kit-proxy.so: ' &&
	echo "$out" | grep -q ': token eToken, SoftHSM project SoftHSM v2, serial ' &&
	run token eToken login --pin-file "$tmp/new" && test $rc -eq 0 &&
	run token eToken request --label k1 --subject CN=proxy && test $rc -eq 0 &&
	openssl req -in "$tmp/out" -verify -noout >/dev/null 2>&1
ok $? "the default module, p11-kit's proxy: the token listed, a request signed on it"

# A token's record that is not understood stops swpki: a garbled count of
# failed logins is never read as 0.
cp "$tmp/pki/tokens/eToken.conf" "$tmp/token.conf.good"
printf 'max-retries 3\nfailed-logins 2x\n' >"$tmp/pki/tokens/eToken.conf"
run token eToken login --pin-file "$tmp/new"
test $rc -ne 0 && echo "$err" | grep -q "tokens/eToken.conf: 'failed-logins 2x' is not max-retries, removal-timeout or failed-logins N"
ok $? "a malformed token record is refused by name, no login tried"
cp "$tmp/token.conf.good" "$tmp/pki/tokens/eToken.conf"

exit $fail

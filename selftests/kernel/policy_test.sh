#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The one verification policy (issue 13, point 2), inside the VM with the
# module loaded: an error from the module (a caller who may not open
# /dev/swauth) is an error for verify, show file and boot system, never a
# userspace verdict; key provision feeds the userspace trust store, so that
# --userspace trusts what the module was given; and swcopy /verify does not
# take a signer unknown to userspace as final while the module, which
# trusts it, decides. From another network namespace, where the module's
# netlink family is not visible, files are still verified by the module
# (through /dev/swauth), and what needs netlink is an error, never a
# userspace verdict. The trust-store mirror drops the keys the module no
# longer holds, and only its own files. TAP output.

set -u
img=build/tests/images
. selftests/host/tap.sh
# has TEXT STRING: the text contains the string.
has() { case $1 in *"$2"*) return 0 ;; esac; printf '%s\n' "$1" | sed 's/^/# /'; return 1; }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"; }

echo "1..17"
rmmod swauth 2>/dev/null
rm -rf /etc/swauth/keys
w=$(mktemp -d)
chmod 0755 "$w"
mkdir "$w/rollover" "$w/empty" "$w/flash"
cp keyrings/dev/rollover.crt "$w/rollover/"
export SWAUTH_CONFIG=$w/swauth.conf SWCOPY_CONFIG=$w/swcopy.conf
printf 'flash-dir %s\n' "$w/flash" >"$SWAUTH_CONFIG"

swauth key provision keyrings/dev/production-A.crt >/dev/null
ok $? "key provision loads the module and provisions production A"
cmp -s keyrings/dev/production-A.crt /etc/swauth/keys/production-A.der ||
	openssl x509 -in keyrings/dev/production-A.crt -outform DER |
	cmp -s - /etc/swauth/keys/production-A.der
ok $? "key provision installs the certificate in the userspace trust store"
out=$(swauth verify --userspace -r "$w/rollover" "$img/ok-sha512.SPA" 2>&1)
test $? -eq 0 && has "$out" "Verified by: userspace (OpenSSL), --userspace"
ok $? "verify --userspace trusts the provisioned key without --trust-dir"

for cmd in "verify" "show file" "boot system"; do
	out=$(nobody swauth $cmd "$img/ok-sha512.SPA" 2>&1)
	rc=$?
	test $rc -eq 3 && has "$out" "cannot open /dev/swauth: Permission denied"
	ok $? "$cmd by a caller who may not open /dev/swauth: an error (exit $rc)"
	! has "$out" "Verified by" >/dev/null && ! has "$out" "userspace (OpenSSL)" >/dev/null
	ok $? "... and no userspace verdict in the module's place"
done

out=$(swcopy /verify -r "$w/rollover" -t "$w/empty" "$img/ok-sha512.SPA" flash:k.SPA 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
test $rc -eq 0 && cmp -s "$img/ok-sha512.SPA" "$w/flash/k.SPA" &&
	has "$out" "Verified by: kernel (swauth.ko"
ok $? "swcopy /verify: a signer unknown to userspace but trusted by the module is accepted"
out=$(swcopy /verify -u -r "$w/rollover" -t "$w/empty" "$img/ok-sha512.SPA" flash:u.SPA 2>&1)
test $? -eq 1 && ! test -e "$w/flash/u.SPA" && has "$out" "no trusted production key A"
ok $? "... with --userspace, userspace trust is final: refused"

# Another network namespace: the module's netlink family is not there.
if ip netns add swauth-policy 2>/dev/null; then
	ns="ip netns exec swauth-policy"
else
	ns="unshare -n"
fi
out=$($ns swauth verify "$img/ok-sha512.SPA" 2>&1)
test $? -eq 0 && has "$out" "Verified by: kernel (swauth.ko"
ok $? "verify from another network namespace: the module's verdict"
out=$($ns swcopy /verify -r "$w/rollover" -t "$w/empty" "$img/ok-sha512.SPA" flash:n.SPA 2>&1)
test $? -eq 0 && cmp -s "$img/ok-sha512.SPA" "$w/flash/n.SPA" &&
	has "$out" "Verified by: kernel (swauth.ko"
ok $? "swcopy /verify from another network namespace: the module's verdict"
out=$($ns swauth show file "$img/ok-sha512.SPA" 2>&1)
test $? -eq 0 && has "$out" "kernel (swauth.ko"
ok $? "show file from another network namespace: the module's verdict"
out=$($ns swauth status 2>&1)
test $? -eq 3 && has "$out" "not reachable from this network namespace"
ok $? "status from another network namespace: an error that says why"
ip netns delete swauth-policy 2>/dev/null

# The mirror drops what the module no longer holds, and only its own files.
echo operator >/etc/swauth/keys/operator.der
echo operator >/etc/swauth/keys/production-A.der.orig
rmmod swauth
swauth key provision keyrings/dev/production-B.crt >/dev/null &&
	test -e /etc/swauth/keys/production-B.der && ! test -e /etc/swauth/keys/production-A.der
ok $? "after a reload with another key, the mirror no longer holds production A"
test -e /etc/swauth/keys/operator.der && test -e /etc/swauth/keys/production-A.der.orig
ok $? "... and the operator's other files stay"

rm -rf "$w" /etc/swauth/keys
exit $fail

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swauth key provision, show file and verify against the live module,
# inside the VM: the kernel gives the verdict, the tool says so, and the
# exit status follows it. TAP output.

set -u
img=build/tests/images
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}
# has TEXT STRING: the text contains the string.
has() { case $1 in *"$2"*) return 0 ;; esac; printf '%s\n' "$1" | sed 's/^/# /'; return 1; }

echo "1..14"
rmmod swauth 2>/dev/null

out=$(swauth key provision keyrings/dev/production-A.crt 2>&1)
ok $? "key provision loads the module and provisions production A"
has "$out" "Provisioned swauth production key A (serial 5A0101)"
ok $? "key provision names the key and its serial"
out=$(swauth key provision keyrings/dev/production-A.crt 2>&1)
test $? -eq 3 && has "$out" "is already provisioned"
ok $? "a duplicate is refused (exit 3) with its reason"
out=$(swauth key provision $img/certs/forged-production.der 2>&1)
test $? -eq 3 && has "$out" "not issued by a rollover key"
ok $? "a forged certificate is refused (exit 3) with its reason"

out=$(swauth show file $img/ok-sha512.SPA)
ok $? "show file of a good image exits 0"
has "$out" "Verdict                       : verified"
ok $? "show file says verified"
has "$out" "Verified by                   : kernel (swauth.ko "
ok $? "show file says the kernel verified"
has "$out" "Signature Algorithm       : 2048-bit RSA"
ok $? "show file gives the signature algorithm"
json=$(swauth show file --json $img/ok-sha256.SPA)
has "$json" '"verifier":"kernel"' && has "$json" '"verdict":"ok"'
ok $? "show file --json: kernel, ok"

out=$(swauth verify $img/ok-sha512.SPA)
ok $? "verify of a good image exits 0"
has "$out" "Digital signature successfully verified in file $img/ok-sha512.SPA"
ok $? "verify prints the success line"
out=$(swauth verify $img/flip-payload.img)
test $? -eq 1 && has "$out" "%Error: digital signature verification failed"
ok $? "verify of a tampered payload exits 1 with the error line"
has "$out" "bad digest"
ok $? "verify says why"
test "$(cat /sys/kernel/swauth/images_rejected)" -ge 1
ok $? "the kernel counted the rejection"

exit $fail

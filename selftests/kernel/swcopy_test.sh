#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swcopy /verify with the module loaded, inside the VM: the image is
# checked while it arrives, and the module gives the final verdict on the
# written file; --userspace never asks the module and says so; an error
# from the module (a caller who may not open /dev/swauth) fails the copy
# instead of standing in a userspace verdict. TAP output.

set -u
img=build/tests/images
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; fail=1; fi
}

echo "1..6"
swauth key provision keyrings/dev/production-A.crt >/dev/null 2>&1
w=$(mktemp -d)
export SWAUTH_CONFIG=$w/swauth.conf SWCOPY_CONFIG=$w/swcopy.conf
mkdir "$w/flash"
printf 'flash-dir %s\n' "$w/flash" >"$SWAUTH_CONFIG"
trust="-r $img/certs -t $img/certs"

out=$(swcopy /verify $trust "$img/ok-sha512.SPA" flash:ok.SPA 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
test $rc -eq 0 && cmp -s "$img/ok-sha512.SPA" "$w/flash/ok.SPA"
ok $? "swcopy /verify copies a good image"
printf '%s\n' "$out" | grep -q '^Verified by: kernel (swauth.ko [^)]*), on the written file$'
ok $? "the module gives the final verdict on the written file"
swcopy /verify $trust "$img/flip-payload.img" flash:bad.SPA >/dev/null 2>&1
test $? -eq 1 && ! test -e "$w/flash/bad.SPA"
ok $? "a tampered image is refused and not written"
out=$(swcopy /verify -u $trust "$img/ok-sha512.SPA" flash:user.SPA 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
test $rc -eq 0 && printf '%s\n' "$out" |
	grep -q '^Verified by: userspace (OpenSSL), while the file arrived (--userspace)$'
ok $? "--userspace verifies in userspace and says so (it was ignored before)"
chmod 0777 "$w" "$w/flash"
out=$(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
	swcopy /verify $trust "$img/ok-sha512.SPA" flash:nobody.SPA 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/# /'
test $rc -ne 0 && ! test -e "$w/flash/nobody.SPA" &&
	printf '%s\n' "$out" | grep -q 'the module could not verify flash:nobody.SPA: '
ok $? "an error from the module fails the copy (before: OpenSSL's verdict, 'the module is not loaded')"
! printf '%s\n' "$out" | grep -q 'Verified by: userspace'
ok $? "... and no userspace verdict stands in for the module's"
rm -rf "$w"
exit $fail

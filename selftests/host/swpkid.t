#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# swpkid, auto-enrollment (issue 16 point 6, FEATURES E6), the sanitizer
# build with a store in a temporary directory, run in the background of the
# test and stopped by PID.
#
# Part 1 drives the daemon's own logic with a scripted swpki beside a copy
# of swpkid (swpkid runs swpki from its own directory): the script records
# each call and answers as the enroll contract says (exit 0 with a new
# certificate of a test CA, issued with `openssl ca` for validities of
# seconds; exit 3 with the CA unreachable; or it hangs). Checked: a
# trustpoint without a certificate is enrolled at start; a renewal runs at
# notBefore + 50% of the lifetime, with --renew and --regenerate, the old
# certificate gone; kill -9 while waiting, then a restart: the renewal at
# its time, and one due during the downtime at the start; failures retried
# and counted in swpkid.state, kept across a restart, given up after the
# retry count, tried again at the next start and on a changed
# configuration, not on a SIGHUP alone; the child's reason in the log,
# escaped; a malformed state file named and recomputed from the
# certificates, nothing enrolled blindly; a second daemon refused; SIGTERM
# stops it with no child left, kill -9 takes the child along; `swpki show
# timers` from the state file.
#
# Part 2 is the end-to-end run against the real `swpki enroll` and Debian's
# scepserver in a network namespace of its own (unshare -n): enrollment at
# start, and the renewal of a certificate issued near its renewal point by
# scepserver's CA, the old one removed.

cd "$(dirname "$0")/../.." || exit 1
# The whole test in a network namespace of its own, when it may make one:
# scepserver (part 2) binds every interface.
if [ -z "${SWPKID_T_NETNS:-}" ] && unshare -n true 2>/dev/null; then
	SWPKID_T_NETNS=1 exec unshare -n sh "$0" "$@"
fi
netns=
[ -n "${SWPKID_T_NETNS:-}" ] && ip link set lo up 2>/dev/null && netns=1
repo=$PWD
swpki=${SWPKI:-$repo/build/tests/host/bin/swpki}
swpkid=${SWPKID:-$repo/build/tests/host/bin/swpkid}
for b in "$swpki" "$swpkid"; do
	[ -x "$b" ] || { echo "1..0 # SKIP $b is not built (make $b)"; exit 0; }
done
tmp=$(mktemp -d)
pids=
cleanup() {
	for p in $pids; do kill -9 "$p" 2>/dev/null; done
	for f in "$tmp"/*.pid; do [ -f "$f" ] && kill -9 "$(cat "$f")" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
. selftests/host/tap.sh
export SWAUTH_CONFIG=$tmp/swauth.conf
: >"$SWAUTH_CONFIG"
pki=$tmp/pki
log=$tmp/swpkid.log
state=$pki/swpkid.state
tap_diag="$log $tmp/calls $tmp/out $tmp/err"
: >"$tmp/calls"

echo "1..44"

run() {
	"$swpki" --dir "$pki" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

# wait_for SECONDS 'CONDITION': until CONDITION (evaluated each time) holds,
# at most SECONDS.
wait_for() {
	t=$(($1 * 10))
	while ! eval "$2" 2>/dev/null; do
		t=$((t - 1))
		[ $t -gt 0 ] || return 1
		sleep 0.1
	done
}

calls() { wc -l <"$tmp/calls"; }
# gone PID: no such process, or only a zombie left for init to reap.
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat"; }
logged() { grep -q -e "$1" "$log"; }
state_line() { sed -n "s/^TP //p" "$state" 2>/dev/null; }
field() { state_line | cut -d' ' -f"$1"; }

# A test CA; the router's request, signed again for each certificate.
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$tmp/ca.key" -out "$tmp/ca.pem" -days 30 \
	-subj "/O=Test/CN=swpkid-test-ca" -addext "basicConstraints=critical,CA:TRUE" \
	-addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
openssl req -new -newkey rsa:2048 -nodes -keyout "$tmp/r1.key" -subj "/CN=r1.example.com" \
	-out "$tmp/r1.csr" >/dev/null 2>&1
touch "$tmp/index.txt"
printf '[ca]\ndefault_ca=d\n[d]\ndatabase=%s/index.txt\nnew_certs_dir=%s\nrand_serial=yes\nunique_subject=no\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n' \
	"$tmp" "$tmp" >"$tmp/ca.cnf"

# issue FROM TO OUT: a DER certificate valid from now+FROM to now+TO seconds.
cat >"$tmp/issue.sh" <<EOF
issue() {
	now=\$(date +%s)
	openssl ca -batch -config "$tmp/ca.cnf" -cert "$tmp/ca.pem" -keyfile "$tmp/ca.key" \\
		-in "$tmp/r1.csr" -startdate "\$(date -u -d @\$((now + \$1)) +%Y%m%d%H%M%SZ)" \\
		-enddate "\$(date -u -d @\$((now + \$2)) +%Y%m%d%H%M%SZ)" -notext \\
		-out "$tmp/issued.pem" >/dev/null 2>&1 &&
	openssl x509 -in "$tmp/issued.pem" -outform DER -out "\$3"
}
EOF
. "$tmp/issue.sh"

# install FROM TO: TP's identity certificate replaced by a new one.
install_cert() {
	[ -f "$tmp/current" ] && rm -f "$pki/certs/$(cat "$tmp/current")"
	issue "$1" "$2" "$tmp/new.der" || return 1
	s=$(openssl x509 -inform DER -in "$tmp/new.der" -noout -serial | sed 's/.*=//')
	mv "$tmp/new.der" "$pki/certs/TP#$s.cer"
	echo "TP#$s.cer" >"$tmp/current"
	echo "$s"
}

# The scripted swpki: the enroll contract's answers, chosen by $tmp/mode.
mkdir "$tmp/bin"
cp "$swpkid" "$tmp/bin/swpkid"
cat >"$tmp/bin/swpki" <<EOF
#!/bin/sh
echo "\$(date +%s) \$*" >>"$tmp/calls"
. "$tmp/issue.sh"
case \$(cat "$tmp/mode") in
ok)
	issue \$(cat "$tmp/validity") "$tmp/next.der" || exit 3
	s=\$(openssl x509 -inform DER -in "$tmp/next.der" -noout -serial | sed 's/.*=//')
	[ -f "$tmp/current" ] && rm -f "$pki/certs/\$(cat "$tmp/current")"
	mv "$tmp/next.der" "$pki/certs/TP#\$s.cer"
	echo "TP#\$s.cer" >"$tmp/current"
	echo "%PKI-6-CERTRET: Certificate received from Certificate Authority"
	exit 0 ;;
fail)
	echo "% Sending the request to http://127.0.0.1:9/cgi-bin/pkiclient.exe"
	printf 'swpki: enroll: TP: Connection refused \033]0;title\007\n'
	exit 3 ;;
hang)
	sleep 300 &
	echo \$! >"$tmp/grandchild.pid"
	echo \$\$ >"$tmp/child.pid"
	wait
	exit 3 ;;
hang1)
	echo \$\$ >"$tmp/child.pid"
	exec sleep 300 ;;
esac
exit 3
EOF
chmod 0755 "$tmp/bin/swpki"

daemon() {
	"$tmp/bin/swpkid" --dir "$pki" </dev/null >>"$log" 2>&1 &
	dpid=$!
	pids="$pids $dpid"
}
# stop: SIGTERM, and its exit code in $drc.
stop() {
	kill -TERM "$dpid"
	wait "$dpid"
	drc=$?
}

run trustpoint TP enrollment url http://127.0.0.1:9/cgi-bin/pkiclient.exe
run trustpoint TP auto-enroll 50
run trustpoint TP enrollment retry count 1
test $rc -eq 0 && grep -q '^ auto-enroll 50$' "$pki/trustpoints/TP.conf"
ok $? "trustpoint TP: auto-enroll 50, retry count 1"

# --- Enrollment at start, then the renewal at 50% of the lifetime ---
echo ok >"$tmp/mode"
echo "-170 190" >"$tmp/validity"
start=$(date +%s)
daemon
wait_for 10 'logged "CERTRET"' && wait_for 5 'test -n "$(field 5)"'
test "$(calls)" = 1 && grep -q " --dir $pki enroll TP --auto\$" "$tmp/calls"
ok $? "a trustpoint with auto-enroll and no certificate is enrolled at start (enroll TP --auto)"
logged '^%PKI-6-CERTRET: Certificate received from Certificate Authority for trustpoint TP$'
ok $? "the log says %PKI-6-CERTRET: Certificate received from Certificate Authority"
serial1=$(sed 's/^TP#\(.*\)\.cer$/\1/' "$tmp/current")
at=$(field 2)
test "$(field 1)" = renew && test "$(field 3)" = 0 && test "$(field 4)" = scheduled &&
	test "$(field 5)" = "$serial1" && test "$at" -ge $((start + 8)) &&
	test "$at" -le $(($(date +%s) + 12))
ok $? "swpkid.state: TP renew at notBefore + 50% (10 s from now), 0 attempts, for serial $serial1"
test "$(stat -c %a "$state")" = 600 && test "$(head -n 1 "$state")" = "swpkid-state 1"
ok $? "swpkid.state is 0600 and begins with its format line"
run show timers
test $rc -eq 0 && sed -n 2p "$tmp/out" | grep -q '^|       0d 00:00:[01][0-9]  RENEW TP  at [0-9:]* GMT '
ok $? "show timers: RENEW TP, in seconds, at what time"
run trustpoint TP auto-enroll 50 regenerate
kill -HUP "$dpid"
echo "-60 86400" >"$tmp/validity"
wait_for 25 'test "$(calls)" = 2'
when=$(tail -n 1 "$tmp/calls" | cut -d' ' -f1)
tail -n 1 "$tmp/calls" | grep -q " enroll TP --auto --renew --regenerate\$" && test "$when" -ge "$at" &&
	test "$when" -le $((at + 3))
ok $? "the renewal ran at its time ($when, due $at) with --renew --regenerate (auto-enroll 50 regenerate, SIGHUP)"
wait_for 5 'test "$(field 5)" != "$serial1"'
serial2=$(sed 's/^TP#\(.*\)\.cer$/\1/' "$tmp/current")
! test -e "$pki/certs/TP#$serial1.cer" && test -e "$pki/certs/TP#$serial2.cer" &&
	test "$(field 5)" = "$serial2" && test "$(field 2)" -ge $(($(date +%s) + 43000))
ok $? "after the renewal: the old certificate gone, the next renewal half a day away"
test "$(grep -c 'CERTRET' "$log")" = 2 && kill -0 "$dpid"
ok $? "a second %PKI-6-CERTRET; swpkid still runs"

# --- One swpkid per store ---
"$tmp/bin/swpkid" --dir "$pki" >"$tmp/out" 2>"$tmp/err"
rc=$?
test $rc -eq 3 && grep -q "another swpkid (PID $dpid) serves the store $pki" "$tmp/err" &&
	kill -0 "$dpid"
ok $? "a second swpkid on the same store is refused, naming the first one's PID"
stop
test $drc -eq 0 && logged 'stopping on signal 15'
ok $? "SIGTERM stops swpkid with exit code 0"

# --- kill -9 while a renewal waits, then a restart ---
: >"$log"
serial=$(install_cert -168 192)
daemon
wait_for 5 'test "$(field 5)" = "$serial"'
at=$(field 2)
nc=$(calls)
kill -9 "$dpid"
wait "$dpid" 2>/dev/null
sleep 2
test "$(calls)" = "$nc" && test "$(field 5)" = "$serial"
ok $? "kill -9 while waiting: nothing ran, the state file kept the timer"
daemon
wait_for 20 'test "$(calls)" = $((nc + 1))'
when=$(tail -n 1 "$tmp/calls" | cut -d' ' -f1)
test "$when" -ge "$at" && test "$when" -le $((at + 3)) &&
	tail -n 1 "$tmp/calls" | grep -q -e '--renew'
ok $? "after the restart the renewal ran at its time ($when, due $at)"
stop
serial=$(install_cert -176 184)
nc=$(calls)
daemon
wait_for 5 'test "$(field 5)" = "$serial"'
at=$(field 2)
kill -9 "$dpid"
wait "$dpid" 2>/dev/null
d=$((at - $(date +%s) + 2))
[ "$d" -ge 0 ] && [ "$d" -le 10 ] || d=0
sleep $d
test "$(calls)" = "$nc" && [ "$d" -gt 0 ]
ok $? "a renewal due while swpkid is down does not run"
restart=$(date +%s)
daemon
wait_for 5 'test "$(calls)" = $((nc + 1))'
ok $? "it runs at the next start (due $at, restarted $restart)"
stop

# --- A certificate renewed by hand while swpkid waits: not renewed again ---
: >"$log"
serial=$(install_cert -172 188)
nc=$(calls)
daemon
wait_for 5 'test "$(field 5)" = "$serial"'
at=$(field 2)
serial=$(install_cert -60 86400)
d=$((at - $(date +%s) + 2))
[ "$d" -ge 0 ] && [ "$d" -le 10 ] || d=0
sleep $d
test "$(calls)" = "$nc" && test "$(field 5)" = "$serial" &&
	test "$(field 2)" -gt $(($(date +%s) + 40000)) && [ "$d" -gt 0 ]
ok $? "a certificate renewed by hand while swpkid waits: planned again at the due time, not renewed"
stop

# --- The CA down: retries counted, kept across a restart, then given up ---
: >"$log"
rm -f "$pki/certs/$(cat "$tmp/current")" "$tmp/current"
echo fail >"$tmp/mode"
nc=$(calls)
daemon
wait_for 10 'test "$(field 3)" = 1'
t=$(date +%s)
test "$(calls)" = $((nc + 1)) && test "$(field 1)" = enroll && test "$(field 4)" = retry &&
	test "$(field 5)" = - && test "$(field 2)" -ge $((t + 55)) && test "$(field 2)" -le $((t + 61))
ok $? "the CA down: swpkid.state shows enroll, 1 attempt, retry a retry period (1 minute) later"
logged '^%PKI-3-AUTOENROLL_FAIL: trustpoint TP: enrollment failed (exit 3): swpki: enroll: TP: Connection refused \\x1b\]0;title\\x07; retry 1 of 1 at '
ok $? "the failure is logged with the child's reason, escaped"
run show timers
test $rc -eq 0 && sed -n 2p "$tmp/out" | grep -q '^|       0d 00:0[01]:[0-9][0-9]  RETRY TP  at .* (enrollment, 1 failed attempts of at most 2)$'
ok $? "show timers: RETRY TP, the attempts made"
stop
at=$(field 2)
daemon
wait_for 5 'logged "retry of the enrollment at"'
sleep 1
test "$(calls)" = $((nc + 1)) && test "$(field 3)" = 1 && test "$(field 2)" = "$at"
ok $? "a restart keeps the attempt count and the retry time (not run again at once)"
stop
# Time moves on: the retry is made due by hand.
sed -i "s/^TP enroll [0-9]* 1 retry -\$/TP enroll $(date +%s) 1 retry -/" "$state"
daemon
wait_for 10 'logged "AUTOENROLL_GIVEUP"'
test "$(calls)" = $((nc + 2)) && test "$(field 3)" = 2 && test "$(field 4)" = given-up
ok $? "the last retry fails: given up, 2 failed attempts in swpkid.state"
logged "^%PKI-3-AUTOENROLL_GIVEUP: trustpoint TP: enrollment given up after 2 failed attempts; swpkid tries again at its next start or when the trustpoint's configuration changes (SIGHUP)\$"
ok $? "giving up is logged, saying when it is tried again"
run show timers
test $rc -eq 0 && sed -n 2p "$tmp/out" | grep -q '^|         given up  ENROLL TP  after 2 failed attempts'
ok $? "show timers: given up"
kill -HUP "$dpid"
wait_for 5 'logged "SIGHUP: rereading"'
sleep 1
test "$(calls)" = $((nc + 2)) && test "$(field 4)" = given-up
ok $? "SIGHUP without a configuration change: still given up, nothing run"
run trustpoint TP enrollment retry period 2
kill -HUP "$dpid"
wait_for 10 'test "$(calls)" = $((nc + 3))'
wait_for 5 'test "$(field 4)" = retry'
t=$(date +%s)
test "$(field 3)" = 1 && test "$(field 2)" -ge $((t + 115)) && test "$(field 2)" -le $((t + 121))
ok $? "a changed configuration (retry period 2) and SIGHUP: a new round, retried 2 minutes later"
stop
sed -i "s/^TP enroll [0-9]* 1 retry -\$/TP enroll $(date +%s) 1 retry -/" "$state"
daemon
wait_for 10 'test "$(field 4)" = given-up'
stop
nc=$(calls)
daemon
wait_for 10 'test "$(calls)" = $((nc + 1))'
wait_for 5 'test "$(field 4)" = retry'
test "$(field 3)" = 1
ok $? "given up, then restarted: tried again at the start, a new count"
stop

# --- A malformed state file ---
: >"$log"
echo ok >"$tmp/mode"
serial=$(install_cert -60 86400)
printf 'swpkid-state 1\nTP renew 12 x\n' >"$state"
nc=$(calls)
daemon
wait_for 10 'logged "swpkid.state: line 2"'
sleep 1
logged "^%PKI-3-AUTOENROLL_STATE: $pki/swpkid.state: line 2: expected NAME ACTION AT ATTEMPTS STATUS SERIAL; the timers are recomputed from the certificates\$"
ok $? "a malformed swpkid.state is named in the log, with its line"
test "$(calls)" = "$nc" && test "$(field 5)" = "$serial" && test "$(field 1)" = renew &&
	test "$(field 4)" = scheduled
ok $? "nothing enrolled blindly: the timer recomputed from the certificate, the file rewritten"
stop
printf 'swpkid-state 1\nTP renew 12 0 scheduled\n' >"$state"
run trustpoint TP2 auto-enroll
run show timers
test $rc -eq 0 && test "$(grep -c "swpkid.state: line 2: expected NAME" "$tmp/err")" = 1 &&
	sed -n 2p "$tmp/out" | grep -q '  RENEW TP  at ' &&
	sed -n 3p "$tmp/out" | grep -q '  ENROLL TP2  at '
ok $? "show timers with a malformed state file: the error once, then the schedule from the certificates"
run trustpoint --delete TP2 --yes
printf 'swpkid-state 1\nTP renew 12 0 scheduled %s\n' "$serial" >"$state"
run show timers
test $rc -eq 0 && sed -n 2p "$tmp/out" | grep -q '^|       0d 00:00:00  RENEW TP  at 00:00:12 GMT Jan 1 1970$'
ok $? "show timers reads swpkid's timer from the state file"
rm -f "$state"

# --- SIGTERM with a child running: no child left; kill -9 takes it along ---
: >"$log"
rm -f "$pki/certs/$(cat "$tmp/current")" "$tmp/current"
echo hang >"$tmp/mode"
daemon
wait_for 10 'test -s "$tmp/grandchild.pid"'
child=$(cat "$tmp/child.pid")
grandchild=$(cat "$tmp/grandchild.pid")
kill -0 "$child" && kill -0 "$grandchild"
ok $? "swpki runs (PID $child, its own child $grandchild)"
stop
test $drc -eq 0 && gone "$child" && gone "$grandchild"
ok $? "SIGTERM: swpkid exits 0, swpki and what it started are gone"
logged '^%PKI-6-AUTOENROLL: trustpoint TP: enrollment stopped with swpkid (exit 143); it runs again at the next start$' &&
	test "$(field 3)" = 0 && test "$(field 4)" = scheduled
ok $? "the stopped attempt is logged and not counted"
rm -f "$tmp/child.pid" "$tmp/grandchild.pid"
echo hang1 >"$tmp/mode"
daemon
wait_for 10 'test -s "$tmp/child.pid"'
child=$(cat "$tmp/child.pid")
kill -9 "$dpid"
wait "$dpid" 2>/dev/null
wait_for 5 'gone "$child"'
ok $? "kill -9 of swpkid: its swpki child dies with it"
rm -f "$tmp/child.pid"

# --- Bad invocations ---
"$swpkid" --dir "$tmp/none" >"$tmp/out" 2>"$tmp/err"
rc=$?
test $rc -eq 2 && grep -q "^swpkid: .*$tmp/none" "$tmp/err" && ! test -e "$tmp/none"
ok $? "a missing store is refused (exit 2), not created"
"$swpkid" --bogus >"$tmp/out" 2>"$tmp/err"
test $? -eq 2 && grep -q '^Usage: swpkid' "$tmp/err"
ok $? "an unknown option: usage, exit 2"
"$swpkid" --help >"$tmp/out" 2>"$tmp/err" && grep -q -e '--dir DIR' "$tmp/out" &&
	grep -q SIGHUP "$tmp/out"
ok $? "--help names --dir and SIGHUP"

# --- Part 2: against the real swpki enroll and scepserver ---
e2e_skip=
if ! "$swpki" enroll --help >/dev/null 2>&1; then
	e2e_skip="swpki has no enroll subcommand yet (branch i16-enroll not merged)"
elif ! command -v scepserver >/dev/null; then
	e2e_skip="scepserver is not installed (Debian package scep)"
elif [ -z "$netns" ]; then
	e2e_skip="no network namespace (unshare -n needs root)"
fi
if [ -n "$e2e_skip" ]; then
	for i in 1 2 3 4 5 6 7; do
		ok 0 "# SKIP $e2e_skip"
	done
	exit $fail
fi
pki=$tmp/pki2
state=$pki/swpkid.state
# swpkid runs the swpki of its own directory: now the real one.
ln -sf "$swpki" "$tmp/bin/swpki"
: >"$log"
mkdir "$tmp/scep"
(cd "$tmp/scep" && scepserver ca -init -keySize 2048 -depot depot >/dev/null 2>&1)
depot=$tmp/scep/depot
scepserver -depot "$depot" -port 8080 -challenge secret -allowrenew 0 >"$tmp/scep/log" 2>&1 &
pids="$pids $!"
wait_for 10 'curl -sf -o /dev/null "http://127.0.0.1:8080/scep?operation=GetCACaps"'
# The router's key pair, imported so that the test can sign a request of
# its own for it.
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$tmp/k1.pem" 2>/dev/null
openssl pkey -in "$tmp/k1.pem" -pubout -out "$tmp/k1.pub"
openssl pkey -in "$tmp/k1.pem" -aes256 -passout pass:swpkid-test -out "$tmp/k1.prv"
echo swpkid-test >"$tmp/pass"
chmod 600 "$tmp/pass"
run trustpoint TP enrollment url http://127.0.0.1:8080/scep
run key import rsa r1 pem --url "$tmp/k1" --passphrase-file "$tmp/pass" --yes
r1=$rc
run trustpoint TP rsakeypair r1
run trustpoint TP subject-name CN=r1.example.com
echo secret | "$swpki" --dir "$pki" trustpoint TP password - >"$tmp/out" 2>"$tmp/err"
pw=$?
# Debian's scepserver answers with DES-CBC.
run trustpoint TP scep accept-des-reply
run trustpoint TP auto-enroll 50 regenerate
run authenticate TP --file "$depot/ca.pem" --yes
test $r1 -eq 0 && test $pw -eq 0 && test $rc -eq 0 && test "$(ls "$pki/certs" | wc -l)" = 1
ok $? "scepserver runs; trustpoint TP authenticated, key r1 imported, auto-enroll 50 regenerate"
idcert() { ls "$pki/certs" | grep -v 'CA\.cer$'; }
daemon
wait_for 60 'logged CERTRET'
cert1=$(idcert)
test -n "$cert1" && openssl x509 -inform DER -in "$pki/certs/$cert1" -out "$tmp/c1.pem" &&
	openssl verify -CAfile "$depot/ca.pem" "$tmp/c1.pem" >/dev/null &&
	test "$(openssl x509 -in "$tmp/c1.pem" -noout -pubkey)" = "$(cat "$tmp/k1.pub")"
ok $? "enrolled at start through SCEP: $cert1, issued by scepserver's CA for key r1"
stop
# A certificate of scepserver's CA for r1, renewed 12 seconds from now.
openssl req -new -key "$tmp/k1.pem" -subj "/CN=r1.example.com" -out "$tmp/k1.csr"
now=$(date +%s)
# scepserver's ca.key is encrypted with an empty password.
openssl ca -batch -config "$tmp/ca.cnf" -cert "$depot/ca.pem" -keyfile "$depot/ca.key" -passin pass: \
	-in "$tmp/k1.csr" -startdate "$(date -u -d @$((now - 168)) +%Y%m%d%H%M%SZ)" \
	-enddate "$(date -u -d @$((now + 192)) +%Y%m%d%H%M%SZ)" -notext -out "$tmp/short.pem" \
	>/dev/null 2>&1
rm -f "$pki/certs/$cert1"
run import TP certificate --file "$tmp/short.pem"
short=$(idcert)
test $rc -eq 0 && test -n "$short" && test "$short" != "$cert1"
ok $? "a certificate of the CA near its renewal point installed: $short"
sserial=$(echo "$short" | sed 's/^TP#\(.*\)\.cer$/\1/')
daemon
wait_for 5 'test "$(field 5)" = "$sserial"'
at=$(field 2)
test "$(field 1)" = renew && test "$at" -ge $((now + 10)) && test "$at" -le $((now + 14))
ok $? "swpkid schedules its renewal 12 s from now"
wait_for 60 'test "$(grep -c CERTRET "$log")" = 2'
done_at=$(date +%s)
cert2=$(idcert)
test -n "$cert2" && test "$cert2" != "$short" && ! test -e "$pki/certs/$short" &&
	test "$done_at" -ge "$at"
ok $? "renewed at its time through SCEP (due $at, done $done_at): $cert2, the old one removed"
openssl x509 -inform DER -in "$pki/certs/$cert2" -out "$tmp/c2.pem" &&
	openssl verify -CAfile "$depot/ca.pem" "$tmp/c2.pem" >/dev/null &&
	test "$(openssl x509 -in "$tmp/c2.pem" -noout -pubkey)" != "$(cat "$tmp/k1.pub")"
ok $? "the new certificate is the CA's, for a regenerated key (auto-enroll regenerate)"
test "$(field 5)" = "$(echo "$cert2" | sed 's/^TP#\(.*\)\.cer$/\1/')" &&
	test "$(field 2)" -gt $(($(date +%s) + 86400))
ok $? "swpkid.state: the next renewal for the new certificate, days away"
stop
exit $fail

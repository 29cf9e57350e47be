#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# The status mail (lib/xfer/mail.c) against an SMTP sink on Debian's
# python3-aiosmtpd (selftests/net/smtpd.py: plain, refusing every
# recipient for good or for now, STARTTLS required, SMTPS), and the image locator
# (lib/xfer/locator.c) against the test locator (selftests/net/locator.py)
# over HTTPS with a test CA; both through build/tests/net/mail-locator.
# The servers run on 127.0.0.1 and are stopped by PID on exit.

set -u
cd "$(dirname "$0")/../.." || exit 1
root=$(pwd)
drv=$root/build/tests/net/mail-locator

skip() {
	echo "1..0 # SKIP $1"
	exit 0
}
[ -x "$drv" ] || skip "build/tests/net/mail-locator is not built (make selftests)"
for c in python3 openssl; do
	command -v "$c" >/dev/null || skip "no $c (run scripts/deps)"
done
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || skip "no python3-aiosmtpd (run scripts/deps)"

. "$root/selftests/host/tap.sh"
SRV_NET_DIR=$root/selftests/net
. "$SRV_NET_DIR/servers.sh"
dir=$(mktemp -d)
trap 'srv_stop_all; rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
srv_init "$dir/srv"
mkdir "$dir/mail" "$dir/rejected" "$dir/busy" "$dir/tls" "$dir/smtps"

bail() {
	echo "Bail out! the test servers did not start: $1"
	exit 1
}
srv_smtp_start SMTP "$dir/mail" || bail smtpd.py
srv_smtp_start REJECT "$dir/rejected" --rcpt-reply '550 5.1.1 no such user' ||
	bail "smtpd.py --rcpt-reply"
srv_smtp_start BUSY "$dir/busy" --rcpt-reply '450 4.2.1 mailbox busy, try later' ||
	bail "smtpd.py --rcpt-reply"
srv_smtp_start STARTTLS "$dir/tls" --starttls || bail "smtpd.py --starttls"
srv_smtp_start SMTPS "$dir/smtps" --smtps || bail "smtpd.py --smtps"
srv_silent_start SILENT || bail "the silent listener"
pass='p&w=d +%s3cr3t'
srv_locator_start LOC "$dir/locator.log" "ops:$pass" || bail locator.py
down=$(srv_free_port)
ca=$SRV_DIR/ca.crt

out=$dir/out
errf=$dir/err
# run ARGS...: the driver, its stdout in $out and stderr in $errf.
run() {
	"$drv" "$@" >"$out" 2>"$errf"
}
# fails ENAME TEXT ARGS...: the driver fails with ENAME and a message holding TEXT.
fails() {
	want=$1 text=$2
	shift 2
	! run "$@" && grep -q "^$want: " "$errf" && grep -qF -- "$text" "$errf"
}
show() {
	sed 's/^/# /' "$errf" "$out" >&2
}
mails() {
	find "$1" -name '*.eml' | wc -l
}

# --- The status mail. ---
body=$dir/body
{
	printf 'swupgrade on router1: the upgrade to 17.3.SPA succeeded.\n'
	printf '.\n'
	printf '..two dots\n'
	printf 'a line that ends with a blank \n'
	printf 'Bcc: not-a-header@example.org\n'
	printf 'caf\303\251 = utf-8\n'
	python3 -c 'print("x" * 300)'
	printf 'last line\n'
} >"$body"
subject='swupgrade router1: upgrade succeeded'
run mail "127.0.0.1:$SMTP_PORT" ops@example.org "$subject" "$body"
ok $? "a status mail is accepted by the sink" || show
# check_mail EML ENV FROM: the headers in this order, exactly; the body
# decoded as it was given; every line CRLF-ended and at most 78 bytes.
check_mail() {
	python3 - "$1" "$2" "$3" "$subject" "$body" <<'PY'
import email, email.policy, re, sys
eml, env, sender, subject, body = sys.argv[1:]
raw = open(eml, "rb").read()
msg = email.message_from_bytes(raw, policy=email.policy.compat32)
names = [k for k, _ in msg.items()]
want = ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version", "Content-Type",
        "Content-Transfer-Encoding"]
assert names == want, names
assert re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep"
                    r"|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d [+-]\d{4}", msg["Date"]), msg["Date"]
assert msg["From"] == sender, msg["From"]
assert msg["To"] == "ops@example.org", msg["To"]
assert msg["Subject"] == subject, msg["Subject"]
assert re.fullmatch(r"<[0-9a-f]{32}@" + re.escape(sender.split("@")[1]) + ">",
                    msg["Message-ID"]), msg["Message-ID"]
assert msg["MIME-Version"] == "1.0"
assert msg["Content-Type"] == "text/plain; charset=utf-8"
assert msg["Content-Transfer-Encoding"] == "quoted-printable"
got = msg.get_payload(decode=True).replace(b"\r\n", b"\n")
assert got == open(body, "rb").read(), got
lines = raw.split(b"\r\n")
assert lines[-1] == b"" and all(b"\n" not in l and b"\r" not in l for l in lines), "line ends"
assert all(len(l) <= 78 for l in lines), "a line longer than 78 bytes"
assert open(env).read() == "from %s\nrcpt ops@example.org\n" % sender, open(env).read()
PY
}
host=$(hostname)
case "$host" in
*[!A-Za-z0-9.-]* | "") host=localhost ;;
esac
check_mail "$dir/mail/1.eml" "$dir/mail/1.env" "swupgrade@$host"
ok $? "it has exactly Date, From (swupgrade@HOSTNAME), To, Subject, Message-ID, MIME-Version, Content-Type and the body as given, in CRLF lines of 78 bytes at most"
python3 -c 'import sys
lines = open(sys.argv[1], "rb").read().split(b"\r\n")
assert b"." in lines and b"..two dots" in lines' "$dir/mail/1.eml"
ok $? "a body line that is a single '.' arrives intact (dot-stuffed on the wire), and so does '..'"

run mail -f "noc+alerts@ops.example.org" "smtp://127.0.0.1:$SMTP_PORT/" ops@example.org \
	"$subject" "$body" &&
	check_mail "$dir/mail/2.eml" "$dir/mail/2.env" noc+alerts@ops.example.org
ok $? "smtp://HOST:PORT/ and a given sender: From and the envelope are that sender" || show

i=0 bad=0
for rcpt in "$(printf 'ops@example.org\r\nBcc: x@evil.test')" "$(printf 'ops@example.org\nx')" \
	'ops@example.org@evil.test' 'ops@evil.test ops@example.org' '' 'ops' \
	'Ops <ops@example.org>' 'ops@example.org,x@evil.test' '.ops@example.org' \
	'ops@-example.org' "ops@$(python3 -c 'print("a" * 250)')"; do
	i=$((i + 1))
	fails EINVAL 'recipient: ' mail "127.0.0.1:$down" "$rcpt" "$subject" "$body" ||
		{ echo "# recipient $i" >&2; show; bad=1; }
done
[ $bad = 0 ]
ok $? "recipients with CR/LF, two @, a blank, none, no @, a name, a list, bad dots or domains, too long: EINVAL before any connection"
fails EINVAL 'line break (CR or LF)' mail "127.0.0.1:$down" "$(printf 'a\r\nb@example.org')" \
	"$subject" "$body" &&
	fails EINVAL 'contains a blank' mail "127.0.0.1:$down" 'a b@example.org' "$subject" "$body" &&
	fails EINVAL 'exactly one @' mail "127.0.0.1:$down" 'a@b@example.org' "$subject" "$body" &&
	fails EINVAL 'the address is empty' mail "127.0.0.1:$down" '' "$subject" "$body"
ok $? "each of those says what is wrong: line break, blank, not one @, empty" || show

before=$(mails "$dir/mail")
fails EINVAL 'subject: contains a line break' mail "127.0.0.1:$SMTP_PORT" ops@example.org \
	"$(printf 'done\r\nBcc: x@evil.test')" "$body" &&
	fails EINVAL 'subject: contains a line break' mail "127.0.0.1:$SMTP_PORT" \
		ops@example.org "$(printf 'done\nBcc: x@evil.test')" "$body" &&
	fails EINVAL 'subject: contains a control or non-ASCII byte (0xc3)' \
		mail "127.0.0.1:$SMTP_PORT" ops@example.org "$(printf 'caf\303\251')" "$body" &&
	fails EINVAL 'sender: the address contains a line break' \
		mail -f "$(printf 'a@b.org\r\nBcc: x@evil.test')" "127.0.0.1:$SMTP_PORT" \
		ops@example.org "$subject" "$body" &&
	[ "$(mails "$dir/mail")" = "$before" ] && ! grep -rq 'evil' "$dir/mail"
ok $? "a subject or sender with CR or LF, or a non-ASCII subject, is refused: no mail, no added header" || show

fails EINVAL 'smtp-server: ' mail "http://127.0.0.1:$SMTP_PORT" ops@example.org s "$body" &&
	fails EINVAL 'no path or user' mail "smtp://127.0.0.1:$SMTP_PORT/x" ops@example.org s "$body" &&
	fails EINVAL 'no path or user' mail "u@127.0.0.1:$SMTP_PORT" ops@example.org s "$body" &&
	fails EINVAL 'smtp-server: port' mail "127.0.0.1:99999" ops@example.org s "$body"
ok $? "an smtp-server that is not [smtp[s]://]HOST[:PORT] is refused" || show

big=$dir/big
head -c $((64 * 1024 + 1)) /dev/zero | tr '\0' x >"$big"
fails EINVAL 'subject: longer than 200 bytes' mail "127.0.0.1:$SMTP_PORT" ops@example.org \
	"$(python3 -c 'print("s" * 201)')" "$body" &&
	fails EINVAL 'body: missing, or longer than 65536 bytes' mail "127.0.0.1:$SMTP_PORT" \
		ops@example.org "$subject" "$big" &&
	[ "$(mails "$dir/mail")" = "$before" ]
ok $? "a subject over 200 bytes or a body over 64 KiB is refused" || show

# The default ports, where nothing listens here.
if python3 -c 'import socket, sys
for port in 25, 465:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        sys.exit(1)
    except ConnectionRefusedError:
        pass'; then
	fails ECONNREFUSED "mail server 127.0.0.1 port 25: connection refused" \
		mail 127.0.0.1 ops@example.org "$subject" "$body" &&
		fails ECONNREFUSED "mail server 127.0.0.1 port 465: connection refused" \
			mail smtps://127.0.0.1 ops@example.org "$subject" "$body"
	ok $? "the default ports are 25, and 465 for smtps://" || show
else
	n=$((n + 1))
	echo "ok $n # SKIP something listens on port 25 or 465 here"
fi

fails ECONNREFUSED "mail server 127.0.0.1 port $down: connection refused" \
	mail "127.0.0.1:$down" ops@example.org "$subject" "$body"
ok $? "no server: ECONNREFUSED, naming the server and the port" || show

fails EACCES "mail server 127.0.0.1 refused the mail: 550 5.1.1 no such user" \
	mail "127.0.0.1:$REJECT_PORT" ops@example.org "$subject" "$body" &&
	[ "$(mails "$dir/rejected")" = 0 ]
ok $? "a server that refuses the recipient: EACCES with its reply, 550 5.1.1 no such user" || show
fails EAGAIN "mail server 127.0.0.1 refused the mail for now: 450 4.2.1 mailbox busy, try later" \
	mail "127.0.0.1:$BUSY_PORT" ops@example.org "$subject" "$body" &&
	[ "$(mails "$dir/busy")" = 0 ]
ok $? "a server that refuses it for now: EAGAIN with its reply" || show
fails EHOSTUNREACH "mail server no-such-host.invalid: " mail -t 3000 no-such-host.invalid \
	ops@example.org "$subject" "$body"
ok $? "a mail server name that does not resolve: EHOSTUNREACH" || show

start=$(date +%s)
fails ETIMEDOUT 'no answer within 1000 ms' mail -t 1000 "127.0.0.1:$SILENT_PORT" \
	ops@example.org "$subject" "$body" && [ $(($(date +%s) - start)) -le 5 ]
ok $? "a server that never answers: ETIMEDOUT after the timeout given" || show

run mail -s -c "$ca" "smtp://127.0.0.1:$STARTTLS_PORT" ops@example.org "$subject" "$body" &&
	check_mail "$dir/tls/1.eml" "$dir/tls/1.env" "swupgrade@$host"
ok $? "STARTTLS with the server's CA: the mail arrives" || show
fails EKEYREJECTED 'cannot be trusted' mail -s "127.0.0.1:$STARTTLS_PORT" ops@example.org \
	"$subject" "$body" && [ "$(mails "$dir/tls")" = 1 ]
ok $? "STARTTLS to a server whose certificate is not trusted: EKEYREJECTED, nothing sent" || show
fails EPROTO 'does not offer STARTTLS: nothing was sent' mail -s -c "$ca" \
	"127.0.0.1:$SMTP_PORT" ops@example.org "$subject" "$body"
ok $? "STARTTLS required from a server without it: EPROTO" || show
fails EACCES '530' mail "127.0.0.1:$STARTTLS_PORT" ops@example.org "$subject" "$body"
ok $? "plain SMTP to a server that requires STARTTLS: its refusal is quoted" || show
run mail -c "$ca" "smtps://127.0.0.1:$SMTPS_PORT" ops@example.org "$subject" "$body" &&
	check_mail "$dir/smtps/1.eml" "$dir/smtps/1.env" "swupgrade@$host" &&
	fails EKEYREJECTED 'cannot be trusted' mail "smtps://127.0.0.1:$SMTPS_PORT" \
		ops@example.org "$subject" "$body"
ok $? "smtps:// with the server's CA: the mail arrives; without it: EKEYREJECTED" || show

# --- The image locator. ---
loc=https://127.0.0.1:$LOC_PORT/cgi-bin/new-ida/locator/locator.pl
all=$dir/locator-outputs
: >"$all"
# locate ARGS...: the driver, its outputs also kept in $all.
locate() {
	run locate "$@"
	rc=$?
	cat "$out" "$errf" >>"$all"
	return $rc
}
# refused ENAME TEXT ARGS...
refused() {
	want=$1 text=$2
	shift 2
	! locate "$@" && grep -q "^$want: " "$errf" && grep -qF -- "$text" "$errf"
}

image='c3825 adventerprisek9&mz=124+2.SPA'
locate -c "$ca" "$loc" ops "$pass" "$image" &&
	[ "$(cat "$out")" = "https://127.0.0.1:$LOC_PORT/images/c3825%20adventerprisek9%26mz%3D124%2B2.SPA" ]
ok $? "good credentials: the download URL" || show
python3 - "$dir/locator.log" "$pass" "$image" <<'PY'
import json, sys
req = json.loads(open(sys.argv[1]).readline())
assert req["type"] == "application/x-www-form-urlencoded", req["type"]
assert req["fields"] == {"username": ["ops"], "password": [sys.argv[2]],
                         "image": [sys.argv[3]]}, req["fields"]
assert req["raw"].startswith("username=ops&password=p%26w%3Dd%20%2B%25s3cr3t&image="), req["raw"]
PY
ok $? "the request is a form of username, password and image, each percent-encoded"

refused EACCES "locator 127.0.0.1 refused (HTTP status 403): bad user name or password" \
	-c "$ca" "$loc" ops wrong "$image"
ok $? "bad credentials: EACCES with the locator's words" || show
refused EACCES "refused (HTTP status 403): not authorised for cryptographic images: register at https://locator.test/register" \
	-c "$ca" "$loc" ops "$pass" crypto && ! grep -q 'second line' "$errf"
ok $? "not authorised (C4.3, C5.2): the first line of the reply, verbatim" || show
refused ENOENT "refused (HTTP status 404): no such image" -c "$ca" "$loc" ops "$pass" missing
ok $? "an image the locator does not know: ENOENT" || show
refused EIO "refused (HTTP status 500): internal error" -c "$ca" "$loc" ops "$pass" broken
ok $? "another error status: EIO with the locator's words" || show
e200=$(python3 -c 'print("e" * 200)')
refused EACCES "refused (HTTP status 403): $e200" -c "$ca" "$loc" ops "$pass" longerror &&
	! grep -q "${e200}e" "$errf"
ok $? "the locator's words are cut at 200 bytes" || show
refused EACCES "refused (HTTP status 403): not registered" -c "$ca" "$loc" ops "$pass" longpage
ok $? "a refusal whose page is longer than 4096 bytes still gives its status and first line" || show
locate -c "$ca" "$loc" ops "$pass" crlf && [ "$(cat "$out")" = "https://127.0.0.1/crlf.SPA" ]
ok $? "a reply line ended by CRLF is taken" || show
refused EINVAL "the image name is longer than 255 bytes" -c "$ca" "$loc" ops "$pass" \
	"$(python3 -c 'print("i" * 256)')" &&
	refused EINVAL "the user name contains a control character" -c "$ca" "$loc" \
		"$(printf 'ops\r\nX-Evil: 1')" "$pass" "$image"
ok $? "a field over 255 bytes or with a control character: EINVAL" || show
refused EPROTO "the reply is longer than 4096 bytes" -c "$ca" "$loc" ops "$pass" long
ok $? "a reply longer than 4096 bytes is refused" || show
refused EPROTO 'the reply has more than the one line "url=URL"' -c "$ca" "$loc" ops "$pass" twolines
ok $? "a reply of two lines is refused" || show
refused EPROTO "unusable URL: 'file': unknown scheme" -c "$ca" "$loc" ops "$pass" file &&
	refused EPROTO '"javascript:alert(1)" is not an ftp, ftps, ftpes, tftp, http, https or scp URL' \
		-c "$ca" "$loc" ops "$pass" javascript
ok $? "a file:// or javascript: URL is refused" || show
refused EPROTO "answered 302, a redirect, which is not followed" -c "$ca" "$loc" ops "$pass" redirect
ok $? "a redirect is not followed" || show
refused EKEYREJECTED "locator 127.0.0.1 cannot be trusted" "$loc" ops "$pass" "$image"
ok $? "a locator whose certificate is not trusted: EKEYREJECTED" || show
sent=$(wc -l <"$dir/locator.log")
refused EINVAL "locator-url: must be https://" -c "$ca" "http://127.0.0.1:$LOC_PORT/x" ops \
	"$pass" "$image" &&
	refused EINVAL "locator-url: must not hold a user or password" -c "$ca" \
		"https://u:p@127.0.0.1:$LOC_PORT/x" ops "$pass" "$image" &&
	refused EINVAL "the password is empty" -c "$ca" "$loc" ops '' "$image" &&
	[ "$(wc -l <"$dir/locator.log")" = "$sent" ]
ok $? "an http:// locator URL, one with credentials, or an empty password: EINVAL, nothing sent" || show
start=$(date +%s)
refused ETIMEDOUT "no answer within 1000 ms" -t 1000 -c "$ca" \
	"https://127.0.0.1:$SILENT_PORT/x" ops "$pass" "$image" && [ $(($(date +%s) - start)) -le 5 ]
ok $? "a locator that never answers: ETIMEDOUT after the timeout given" || show
refused EACCES "refused (HTTP status 403): wrong password: ***" -c "$ca" "$loc" ops "$pass" echo
ok $? "a reply that repeats the password shows *** in its place" || show
! grep -qF -- "$pass" "$all" && ! grep -qF 's3cr3t' "$all"
ok $? "the password appears in no output of the locator cases" ||
	grep -F 's3cr3t' "$all" | sed 's/^/# /' >&2

echo "1..$n"
exit $fail

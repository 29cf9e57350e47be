# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# What the swcopy host tests share, sourced from the repository's root by
# sh scripts that set $swcopy and $tmp: ok (tap.sh); run (swcopy with
# stdin /dev/null, its output in $tmp/out and $tmp/err and in $out and
# $err, its status in $rc); show (both as TAP comments); tty (swcopy on a
# terminal). A failed ok shows both on stderr too (tap.sh's $tap_diag).

. selftests/host/tap.sh
tap_diag="$tmp/out $tmp/err"
run() {
	"$swcopy" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
	rc=$?
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}
show() { sed 's/^/# /' "$tmp/out" "$tmp/err"; }
# tty ANSWERS... -- ARGS: swcopy on a terminal; each ANSWER is
# "QUESTION=REPLY", sent when QUESTION appears. Its output in $tmp/out, its
# status in $rc; a swcopy silent for 30 s is killed (status 99).
tty() {
	SWCOPY=$swcopy python3 - "$@" >"$tmp/out" <<'PY'
import os, pty, select, sys
args = sys.argv[1:]
sep = args.index("--")
answers = [a.split("=", 1) for a in args[:sep]]
pid, fd = pty.fork()
if pid == 0:
    os.execv(os.environ["SWCOPY"], ["swcopy"] + args[sep + 1:])
out = b""
while select.select([fd], [], [], 30)[0]:
    try:
        data = os.read(fd, 65536)
    except OSError:
        break
    if not data:
        break
    out += data
    if answers and answers[0][0].encode() in out:
        os.write(fd, answers.pop(0)[1].encode() + b"\n")
        out += b"\n"
else:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.WEXITSTATUS(status) if os.WIFEXITED(status) else 99)
PY
	rc=$?
}

#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# For the host tests: run a command on a pseudo-terminal, answer PROMPT with
# ANSWER (once the terminal's echo is off when --no-echo is given: a
# password prompt comes first, and its TCSAFLUSH would discard an answer
# typed before), print what the terminal showed and exit with the
# command's status. The command is killed after 30 seconds. With "--",
# each PROMPT is answered in turn, once it appears after the previous one.
#
#   pty-answer.py [--no-echo] PROMPT ANSWER COMMAND [ARG...]
#   pty-answer.py [--no-echo] PROMPT ANSWER [PROMPT ANSWER...] -- COMMAND [ARG...]

import os
import pty
import signal
import sys
import termios
import time

args = sys.argv[1:]
no_echo = args[:1] == ["--no-echo"]
if no_echo:
    args = args[1:]
cut = args.index("--") if "--" in args else 2
talk, cmd = args[:cut], args[cut + (cut < len(args) and args[cut] == "--"):]
talk = [(talk[i].encode(), talk[i + 1].encode() + b"\n") for i in range(0, len(talk), 2)]
pid, fd = pty.fork()
if pid == 0:
    os.execv(cmd[0], cmd)
signal.signal(signal.SIGALRM, lambda *_: os.kill(pid, signal.SIGKILL))
signal.alarm(30)
out, seen = b"", 0
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
    while talk and talk[0][0] in out[seen:]:
        seen = out.index(talk[0][0], seen) + len(talk[0][0])
        for _ in range(500):
            if not no_echo or not termios.tcgetattr(fd)[3] & termios.ECHO:
                break
            time.sleep(0.01)
        os.write(fd, talk[0][1])
        talk = talk[1:]
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(status))

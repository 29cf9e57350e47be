#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# An SMTP sink for the status mail tests, on Debian's python3-aiosmtpd
# (hence /usr/bin/python3, where Debian installs it). Each mail accepted
# is written to OUTDIR/N.eml as it arrived after DATA (dot-stuffing
# undone), with its envelope in OUTDIR/N.env: "from ADDR" and one "rcpt
# ADDR" line per recipient. --rcpt-reply REPLY answers every RCPT TO with
# REPLY (a refusal such as "550 5.1.1 no such user"); --starttls CERT KEY offers STARTTLS and
# requires it before MAIL; --smtps CERT KEY speaks TLS from the first
# byte. aiosmtpd's own log (a client that refused the certificate, say)
# goes to OUTDIR/smtpd.log. Prints the port it listens on, then serves
# until killed.
# Usage: smtpd.py OUTDIR [--rcpt-reply REPLY] [--starttls CERT KEY | --smtps CERT KEY]

import argparse
import asyncio
import logging
import os
import ssl
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, outdir, rcpt_reply):
        self.outdir = outdir
        self.rcpt_reply = rcpt_reply
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.outdir, str(self.count))
        with open(base + ".env", "w") as f:
            f.write("from %s\n" % envelope.mail_from)
            for rcpt in envelope.rcpt_tos:
                f.write("rcpt %s\n" % rcpt)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 Message accepted for delivery"


def tls(cert, key):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(cert, key)
    return ctx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--rcpt-reply")
    ap.add_argument("--starttls", nargs=2, metavar=("CERT", "KEY"))
    ap.add_argument("--smtps", nargs=2, metavar=("CERT", "KEY"))
    a = ap.parse_args()
    log = logging.getLogger("mail.log")
    log.addHandler(logging.FileHandler(os.path.join(a.outdir, "smtpd.log")))
    log.propagate = False
    handler = Sink(a.outdir, a.rcpt_reply)
    kwargs = {}
    if a.starttls:
        kwargs = {"tls_context": tls(*a.starttls), "require_starttls": True}

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(
        lambda: SMTP(handler, hostname="sink.test", **kwargs), "127.0.0.1", 0,
        ssl=tls(*a.smtps) if a.smtps else None))
    print(server.sockets[0].getsockname()[1], flush=True)
    loop.run_forever()


if __name__ == "__main__":
    sys.exit(main())

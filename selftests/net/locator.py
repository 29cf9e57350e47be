#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# An image locator for the tests (Documentation/swupgrade.rst, "Image
# locator"), over HTTPS: a POST of the form fields username, password and
# image. Each request's fields are appended to LOG as one JSON line. With
# the right credentials (--user USER:PASS) the image decides the answer:
#   NAME.SPA   200 "url=https://HOST:PORT/images/NAME.SPA", or with
#              --images URL "url=URL/NAME.SPA"
#   crypto     403 "not authorised for cryptographic images: register ..."
#   missing    404 "no such image"
#   broken     500 "internal error"
#   longerror  403, a first line of 300 bytes
#   longpage   403, "not registered" and a page of 10000 bytes
#   crlf       200 "url=https://127.0.0.1/crlf.SPA", ended by CRLF
#   long       200, a body of 5000 bytes
#   twolines   200, two url= lines
#   file       200 "url=file:///etc/passwd"
#   javascript 200 "url=javascript:alert(1)"
#   redirect   302 to another locator
#   echo       403 whose text repeats the password
# Wrong credentials: 403 "bad user name or password". Anything but a POST
# of application/x-www-form-urlencoded with exactly those three fields,
# once each: 400. Prints the port it listens on, then serves until killed.
# Usage: locator.py LOG --cert PEM --key PEM --user USER:PASS [--images URL]

import argparse
import http.server
import json
import os
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from httpd import Server, serve  # noqa: E402

ANSWERS = {
    "crypto": (403, "not authorised for cryptographic images: register at "
                    "https://locator.test/register\nsecond line\n"),
    "missing": (404, "no such image\n"),
    "broken": (500, "internal error\n"),
    "longerror": (403, "e" * 300 + "\n"),
    "longpage": (403, "not registered\n" + "p" * 10000 + "\n"),
    "crlf": (200, "url=https://127.0.0.1/crlf.SPA\r\n"),
    "long": (200, "url=https://127.0.0.1/" + "a" * 5000 + "\n"),
    "twolines": (200, "url=https://127.0.0.1/a.SPA\nurl=https://127.0.0.1/b.SPA\n"),
    "file": (200, "url=file:///etc/passwd\n"),
    "javascript": (200, "url=javascript:alert(1)\n"),
}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def reply(self, code, text, headers=()):
        body = text.encode()
        self.send_response(code)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length).decode("ascii", "replace")
        ctype = self.headers.get("Content-Type", "")
        try:
            fields = urllib.parse.parse_qs(raw, keep_blank_values=True,
                                           strict_parsing=True, errors="strict")
        except ValueError:
            fields = {}
        with open(self.server.log, "a") as f:
            f.write(json.dumps({"type": ctype, "raw": raw, "fields": fields}) + "\n")
        if (ctype != "application/x-www-form-urlencoded" or
                sorted(fields) != ["image", "password", "username"] or
                any(len(v) != 1 for v in fields.values())):
            return self.reply(400, "malformed request\n")
        user, password, image = (fields[k][0] for k in ("username", "password", "image"))
        if image == "echo":
            return self.reply(403, "wrong password: %s\n" % password)
        if "%s:%s" % (user, password) != self.server.user:
            return self.reply(403, "bad user name or password\n")
        if image == "redirect":
            return self.reply(302, "moved\n", [("Location", "https://127.0.0.1:1/other")])
        if image in ANSWERS:
            return self.reply(*ANSWERS[image])
        base = self.server.images or "https://127.0.0.1:%d/images" % self.server.server_address[1]
        return self.reply(200, "url=%s/%s\n" % (base, urllib.parse.quote(image)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--cert", required=True)
    ap.add_argument("--key", required=True)
    ap.add_argument("--user", required=True, metavar="USER:PASS")
    ap.add_argument("--images", metavar="URL")
    a = ap.parse_args()
    srv = Server(("127.0.0.1", 0), Handler)
    srv.log = a.log
    srv.user = a.user
    srv.images = a.images
    serve(srv, a.cert, a.key)


if __name__ == "__main__":
    sys.exit(main())

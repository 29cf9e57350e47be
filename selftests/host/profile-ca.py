#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# A CA that speaks plain HTTP, for the enrollment profile tests
# (swpki-profile.t, pki_profile_test.c): it signs with `openssl x509 -req`.
#
#   profile-ca.py PORT DIR [--tls]
#
# DIR holds ca.pem and ca.key (the CA), ca.p7b (its certs-only PKCS#7),
# and with --tls server.pem and server.key; the server then requires a
# client certificate issued by the CA. Every request is logged to
# DIR/log as "METHOD PATH BODY [client=CN]". Paths:
#
#   GET /certs/cacert.der        the CA certificate, DER
#   GET /certs/cacert.p7b        a PKCS#7 of it
#   GET /garbage                 200 with bytes that are no certificate
#   GET /html                    200 with an HTML error page
#   POST /cgi (form)             authcode must be 4711-AB, reference_number
#                                5001; pkcs10Request base64 DER or PEM;
#                                retrievedAs rawDER, PEM or PKCS7; else 403
#   GET /get?req=...&code=...    the same by GET (code 4711-AB)
#   POST /raw (application/pkcs10)  the DER request, signed

import base64
import http.server
import os
import ssl
import subprocess
import sys
import urllib.parse

PORT, DIR = int(sys.argv[1]), sys.argv[2]
TLS = "--tls" in sys.argv[3:]


def sign(der):
    req = os.path.join(DIR, "req.der")
    with open(req, "wb") as f:
        f.write(der)
    out = subprocess.run(["openssl", "x509", "-req", "-inform", "DER", "-in", req,
                          "-CA", os.path.join(DIR, "ca.pem"), "-CAkey", os.path.join(DIR, "ca.key"),
                          "-set_serial", "0x" + os.urandom(8).hex(), "-days", "30",
                          "-outform", "DER"], capture_output=True, check=True)
    return out.stdout


def request_der(text):
    text = text.strip()
    if text.startswith("-----BEGIN"):
        body = "".join(l for l in text.splitlines() if not l.startswith("-----"))
        return base64.b64decode(body)
    return base64.b64decode(text)


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def log(self, body):
        client = ""
        if TLS:
            cert = self.connection.getpeercert() or {}
            for rdn in cert.get("subject", ()):
                for k, v in rdn:
                    if k == "commonName":
                        client = " client=" + v
        with open(os.path.join(DIR, "log"), "a") as f:
            f.write("%s %s %s%s\n" % (self.command, self.path, body, client))

    def reply(self, status, ctype, data):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def refuse(self):
        self.reply(403, "text/html", b"<html><body>Forbidden</body></html>")

    def cert(self, der, form):
        how = form.get("retrievedAs", ["rawDER"])[0]
        if how == "PEM":
            pem = subprocess.run(["openssl", "x509", "-inform", "DER"], input=der,
                                 capture_output=True, check=True).stdout
            self.reply(200, "application/x-pem-file", pem)
        elif how == "PKCS7":
            pem = subprocess.run(["openssl", "x509", "-inform", "DER"], input=der,
                                 capture_output=True, check=True).stdout
            path = os.path.join(DIR, "issued.pem")
            with open(path, "wb") as f:
                f.write(pem)
            p7 = subprocess.run(["openssl", "crl2pkcs7", "-nocrl", "-certfile", path,
                                 "-certfile", os.path.join(DIR, "ca.pem"), "-outform", "DER"],
                                capture_output=True, check=True).stdout
            self.reply(200, "application/pkcs7-mime", p7)
        else:
            self.reply(200, "application/pkix-cert", der)

    def do_GET(self):
        self.log("")
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/certs/cacert.der":
            with open(os.path.join(DIR, "ca.pem"), "rb") as f:
                pem = f.read()
            der = subprocess.run(["openssl", "x509", "-outform", "DER"], input=pem,
                                 capture_output=True, check=True).stdout
            self.reply(200, "application/pkix-cert", der)
        elif url.path == "/certs/cacert.p7b":
            with open(os.path.join(DIR, "ca.p7b"), "rb") as f:
                self.reply(200, "application/pkcs7-mime", f.read())
        elif url.path == "/garbage":
            self.reply(200, "application/octet-stream", b"\x30\x03garbage, not DER")
        elif url.path == "/html":
            self.reply(200, "text/html", b"<html><body>Internal error</body></html>")
        elif url.path == "/get":
            form = urllib.parse.parse_qs(url.query)
            if form.get("code") != ["4711-AB"]:
                return self.refuse()
            self.cert(sign(request_der(form["req"][0])), form)
        else:
            self.reply(404, "text/html", b"<html>not found</html>")

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/raw":
            self.log("<%d bytes %s>" % (len(body), self.headers.get("Content-Type")))
            return self.reply(200, "application/pkix-cert", sign(body))
        self.log(body.decode(errors="replace"))
        form = urllib.parse.parse_qs(body.decode(errors="replace"))
        if form.get("authcode") != ["4711-AB"] or form.get("reference_number") != ["5001"]:
            return self.refuse()
        self.cert(sign(request_der(form["pkcs10Request"][0])), form)


server = http.server.HTTPServer(("127.0.0.1", PORT), Handler)
if TLS:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(os.path.join(DIR, "server.pem"), os.path.join(DIR, "server.key"))
    ctx.load_verify_locations(os.path.join(DIR, "ca.pem"))
    ctx.verify_mode = ssl.CERT_REQUIRED
    server.socket = ctx.wrap_socket(server.socket, server_side=True)
with open(os.path.join(DIR, "ready"), "w") as f:
    f.write("%d\n" % os.getpid())
server.serve_forever()

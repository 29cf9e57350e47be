#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# Copyright (C) 2026 The swauth developers.
#
# A loopback HTTP(S) server for the transfer tests: GET and HEAD with
# Content-Length, PUT (written to a temporary file, renamed when complete),
# 404 for a missing file, 403 for a file that is not world-readable or a
# PUT outside the root. Prints the port it listens on, then serves until
# killed. Usage: httpd.py ROOT [--port N] [--cert PEM --key PEM]

import argparse
import http.server
import os
import ssl
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    # HTTP/1.1: keep-alive, and "Expect: 100-continue" answered on PUT.
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def target(self):
        path = self.path.split("?", 1)[0]
        rel = os.path.normpath(http.server.urllib.parse.unquote(path)).lstrip("/")
        full = os.path.join(self.server.root, rel)
        if rel.startswith("..") or not full.startswith(self.server.root):
            return None
        return full

    def reply(self, code, text):
        body = (text + "\n").encode()
        self.send_response(code, text)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self):
        path = self.target()
        if path is None:
            return self.reply(403, "Forbidden path")
        try:
            st = os.stat(path)
        except FileNotFoundError:
            return self.reply(404, "File not found")
        if not os.path.isfile(path) or not st.st_mode & 0o004:
            return self.reply(403, "Permission denied")
        with open(path, "rb") as f:
            self.send_response(200)
            self.send_header("Content-Type", "application/octet-stream")
            self.send_header("Content-Length", str(st.st_size))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.flush()
                self.connection.sendfile(f)

    do_HEAD = do_GET

    def do_PUT(self):
        path = self.target()
        length = self.headers.get("Content-Length")
        if path is None or not os.path.isdir(os.path.dirname(path)):
            return self.reply(403, "Forbidden path")
        if length is None or not length.isdigit():
            return self.reply(411, "Length required")
        left = int(length)
        tmp = path + ".part"
        with open(tmp, "wb") as f:
            while left:
                chunk = self.rfile.read(min(left, 1 << 20))
                if not chunk:
                    break
                f.write(chunk)
                left -= len(chunk)
        if left:
            os.unlink(tmp)
            self.close_connection = True
            return
        os.rename(tmp, path)
        self.reply(201, "Created")


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that hangs up mid-reply is what some tests do.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    a = ap.parse_args()
    srv = Server(("127.0.0.1", a.port), Handler)
    srv.root = os.path.realpath(a.root)
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())

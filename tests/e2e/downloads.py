#!/usr/bin/env python3
"""Stands in for download hosts the rehearsal tests cannot reach (sh.rustup.rs,
static.rust-lang.org, github.com, index.crates.io, static.crates.io): an HTTPS server that
answers GET https://HOST/PATH with the file ROOT/HOST/PATH (ROOT/HOST/index for "/"), or 404.
Every request is appended to LOG as "HOST PATH STATUS", so a test can tell what was fetched.

    downloads.py ADDRESS CERT KEY ROOT LOG
"""
import http.server
import os
import ssl
import sys

address, cert, key, root, log = sys.argv[1:6]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        host = (self.headers.get("Host") or "").split(":")[0]
        path = self.path.split("?")[0]
        relative = path.lstrip("/") or "index"
        file = os.path.realpath(os.path.join(root, host, relative))
        status = 404
        body = b"not found\n"
        if file.startswith(os.path.realpath(os.path.join(root, host)) + os.sep) and os.path.isfile(file):
            status = 200
            with open(file, "rb") as f:
                body = f.read()
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"{host} {path} {status}\n")
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer((address, 443), Handler)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(cert, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
server.serve_forever()

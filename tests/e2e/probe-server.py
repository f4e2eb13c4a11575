#!/usr/bin/env python3
"""A loopback stand-in for a payments service, for tests/e2e/probe.sh.

    probe-server.py PORTFILE [--no-problem] [--no-request-id]
        [--no-idempotency] [--no-rate-limit] [--slow-forever] [--page-dups]

With no switch it keeps the contract `bkgen probe` checks; each switch
breaks one part of it. Writes the port it listens on to PORTFILE. The
token is "Bearer probe-token".
"""
import hashlib
import json
import os
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FLAGS = set(sys.argv[2:])
LOCK = threading.Lock()
PAYMENTS = []          # newest last
KEYS = {}              # Idempotency-Key -> (fingerprint, status, body)
BUCKET = {"tokens": 40.0, "at": time.monotonic()}
BURST, RPS = 40.0, 5.0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    wbufsize = 65536                 # headers and body in one segment
    disable_nagle_algorithm = True
    timeout = None if "--slow-forever" in FLAGS else 1

    def log_message(self, *args):
        pass

    def send(self, status, doc, ctype="application/json", headers=()):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        if "--no-request-id" not in FLAGS:
            self.send_header("X-Request-Id", self.headers.get("X-Request-Id") or str(uuid.uuid4()))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def problem(self, status, title, errors=None, headers=()):
        if "--no-problem" in FLAGS:
            return self.send(status, {"error": title}, "text/plain", headers)
        doc = {"type": "https://example.test/problems/%d" % status, "title": title, "status": status}
        if errors is not None:
            doc["errors"] = errors
        self.send(status, doc, "application/problem+json", headers)

    def limited(self):
        if "--no-rate-limit" in FLAGS:
            return False
        with LOCK:
            now = time.monotonic()
            BUCKET["tokens"] = min(BURST, BUCKET["tokens"] + (now - BUCKET["at"]) * RPS)
            BUCKET["at"] = now
            if BUCKET["tokens"] >= 1:
                BUCKET["tokens"] -= 1
                return False
        self.problem(429, "Too Many Requests", headers=[("Retry-After", "1")])
        return True

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def route(self, method):
        path, _, query = self.path.partition("?")
        raw = self.body()
        if path in ("/health/live", "/health/ready"):
            if method != "GET":
                return self.problem(405, "Method Not Allowed", headers=[("Allow", "GET")])
            return self.send(200, {"status": "ok"})
        if path != "/v1/payments":
            return self.problem(404, "Not Found")
        if method not in ("GET", "POST"):
            return self.problem(405, "Method Not Allowed", headers=[("Allow", "GET, POST")])
        if self.headers.get("Authorization") != "Bearer probe-token":
            return self.problem(401, "Unauthorized")
        if self.limited():
            return None
        if method == "GET":
            return self.list(dict(p.split("=", 1) for p in query.split("&") if "=" in p))
        return self.create(raw)

    def create(self, raw):
        try:
            doc = json.loads(raw)
        except ValueError:
            return self.problem(400, "Bad Request", [{"field": "body", "message": "not JSON"}])
        errors = [{"field": f, "message": "invalid"} for f, ok in (
            ("amount", isinstance(doc.get("amount"), int) and doc.get("amount") > 0),
            ("currency", isinstance(doc.get("currency"), str)),
            ("customer_id", isinstance(doc.get("customer_id"), str))) if not ok]
        if errors:
            return self.problem(422, "Unprocessable Content", errors)
        key = self.headers.get("Idempotency-Key")
        fp = hashlib.sha256(raw).hexdigest()
        with LOCK:
            if key in KEYS and "--no-idempotency" not in FLAGS:
                if KEYS[key][0] != fp:
                    return self.problem(409, "Idempotency-Key reused")
                return self.send(KEYS[key][1], KEYS[key][2])
            pay = dict(doc, id=str(uuid.uuid4()), status="captured")
            PAYMENTS.append(pay)
            KEYS[key] = (fp, 201, pay)
        return self.send(201, pay)

    def list(self, q):
        limit = int(q.get("limit", "20"))
        start = int(q.get("cursor", "0"))
        with LOCK:
            items = list(reversed(PAYMENTS))
        page = items[start:start + limit]
        step = limit - 1 if "--page-dups" in FLAGS and limit > 1 else limit
        nxt = str(start + step) if start + limit < len(items) else None
        return self.send(200, {"data": page, "next_cursor": nxt})

    def do_GET(self):
        self.route("GET")

    def do_POST(self):
        self.route("POST")

    def do_PUT(self):
        self.route("PUT")

    def do_DELETE(self):
        self.route("DELETE")


def main():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    with open(sys.argv[1] + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(sys.argv[1] + ".tmp", sys.argv[1])
    srv.serve_forever()


if __name__ == "__main__":
    main()

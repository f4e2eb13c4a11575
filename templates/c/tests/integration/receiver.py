#!/usr/bin/env python3
"""Loopback webhook receiver for the integration tests.

Verifies each delivery's signature (HMAC-SHA256 over "timestamp.body") and
answers by the payment's customer_id: "dead-*" always 500, "flaky-*" 500 on
the first two attempts of an event, anything else 200. Every delivery is
appended as one JSON line to the log file."""
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

port_file, log_file, secret = sys.argv[1], sys.argv[2], sys.argv[3].encode()
lock = threading.Lock()
attempts = {}


class Handler(BaseHTTPRequestHandler):
    timeout = 10  # a stalled client must not hold a thread forever

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        ts = self.headers.get("Webhook-Timestamp", "")
        sig = self.headers.get("Webhook-Signature", "")
        want = "v1=" + hmac.new(secret, ts.encode() + b"." + body, hashlib.sha256).hexdigest()
        event = json.loads(body)
        customer = (event.get("data") or {}).get("customer_id", "")
        with lock:
            n = attempts[event["id"]] = attempts.get(event["id"], 0) + 1
            if customer.startswith("dead-") or (customer.startswith("flaky-") and n <= 2):
                status = 500
            else:
                status = 200
            with open(log_file, "a") as f:
                f.write(json.dumps({
                    "id": event["id"], "header_id": self.headers.get("Webhook-Id"),
                    "type": event["type"], "customer": customer, "attempt": n,
                    "status": status, "sig_ok": hmac.compare_digest(sig, want),
                    "traceparent": self.headers.get("traceparent", ""),
                }) + "\n")
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(port_file, "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()

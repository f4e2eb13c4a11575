"""Tiny internal metrics endpoint served with the standard library."""
import json
import logging
from http.server import BaseHTTPRequestHandler, HTTPServer, SimpleHTTPRequestHandler, ThreadingHTTPServer
import http.server

log = logging.getLogger(__name__)


class MetricsHandler(BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"requests": 42}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class AdminHandler(BaseHTTPRequestHandler):
    timeout = 30  # seconds; StreamRequestHandler applies it to the socket

    def do_GET(self):
        self.send_response(204)
        self.end_headers()


class ExplicitNoTimeout(BaseHTTPRequestHandler):
    timeout = None

    def do_POST(self):
        self.send_response(202)
        self.end_headers()


class SocketTimeoutHandler(BaseHTTPRequestHandler):
    def setup(self):
        super().setup()
        self.request.settimeout(15)

    def do_GET(self):
        self.send_response(204)
        self.end_headers()


def serve_metrics(port: int) -> None:
    # bkgen: expect server-timeout
    server = ThreadingHTTPServer(("0.0.0.0", port), MetricsHandler)
    server.serve_forever()


def serve_legacy(port: int) -> None:
    # bkgen: expect server-timeout
    http.server.HTTPServer(("", port), ExplicitNoTimeout).serve_forever()


def serve_admin(port: int) -> None:
    # bkgen: ok server-timeout
    with ThreadingHTTPServer(("127.0.0.1", port), AdminHandler) as server:
        server.serve_forever()


def serve_socket_timeout(port: int) -> None:
    # bkgen: ok server-timeout
    HTTPServer(("127.0.0.1", port), SocketTimeoutHandler).serve_forever()


def serve_static(port: int) -> None:
    # A stdlib handler is a developer tool (python -m http.server): not reported.
    # bkgen: ok server-timeout
    HTTPServer(("", port), SimpleHTTPRequestHandler).serve_forever()

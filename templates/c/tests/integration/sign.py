#!/usr/bin/env python3
"""sign.py SECRET TIMESTAMP BODY: prints v1=<hex HMAC-SHA256(SECRET, "TIMESTAMP.BODY")>."""
import hashlib
import hmac
import sys

secret, ts, body = sys.argv[1], sys.argv[2], sys.argv[3]
print("v1=" + hmac.new(secret.encode(), f"{ts}.{body}".encode(), hashlib.sha256).hexdigest())

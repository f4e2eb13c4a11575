#!/usr/bin/env python3
"""Mints test JWTs independently of the service's own code.

usage: jwt.py SECRET SUB SCOPE [exp_offset] [aud] [alg] [nbf_offset]
alg "none" produces an unsigned token; "bad" a token with a wrong signature."""
import base64
import hashlib
import hmac
import json
import sys
import time


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


secret, sub, scope = sys.argv[1], sys.argv[2], sys.argv[3]
exp_offset = int(sys.argv[4]) if len(sys.argv) > 4 else 3600
aud = sys.argv[5] if len(sys.argv) > 5 else "acme-payments"
alg = sys.argv[6] if len(sys.argv) > 6 else "HS256"
now = int(time.time())
claims = {"sub": sub, "scope": scope, "aud": aud, "iat": now, "exp": now + exp_offset}
if len(sys.argv) > 7:
    claims["nbf"] = now + int(sys.argv[7])
header = {"alg": "none" if alg == "none" else "HS256", "typ": "JWT"}
signing = b64(json.dumps(header).encode()) + "." + b64(json.dumps(claims).encode())
mac = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
if alg == "none":
    print(signing + ".")
elif alg == "bad":
    print(signing + "." + b64(bytes(32)))
else:
    print(signing + "." + b64(mac))

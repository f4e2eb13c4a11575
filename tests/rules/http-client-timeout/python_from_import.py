"""Webhook delivery with the request functions imported by name."""
from requests import get, post as http_post

from .settings import HOOK_TIMEOUT


def deliver(url, payload):
    # bkgen: expect http-client-timeout
    return http_post(url, json=payload)


def deliver_bounded(url, payload):
    # bkgen: ok http-client-timeout
    return http_post(url, json=payload, timeout=HOOK_TIMEOUT)


def probe(url):
    # bkgen: expect http-client-timeout
    return get(url).status_code


def probe_bounded(url):
    # bkgen: ok http-client-timeout
    return get(url, timeout=(3.05, 10)).status_code


def settings_value(settings, key):
    # A dict's get is not requests'.
    # bkgen: ok http-client-timeout
    return settings.get(key)

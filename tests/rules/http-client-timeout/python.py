"""Client for the inventory service."""
import logging

import aiohttp
import httpx
import requests
from aiohttp import ClientSession

log = logging.getLogger(__name__)

INVENTORY_URL = "http://inventory:8000"
DEFAULT_TIMEOUT = 5


class InventoryClient:
    def __init__(self, base_url=INVENTORY_URL):
        self.base_url = base_url
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "orders/1.4"

    def stock(self, sku):
        # bkgen: expect http-client-timeout
        resp = self.session.get(f"{self.base_url}/stock/{sku}")
        resp.raise_for_status()
        return resp.json()["available"]

    def reserve(self, sku, qty):
        # bkgen: ok http-client-timeout
        resp = self.session.post(
            f"{self.base_url}/reservations",
            json={"sku": sku, "qty": qty},
            timeout=DEFAULT_TIMEOUT,
        )
        return resp.json()

    def release(self, reservation_id, **kwargs):
        # bkgen: ok http-client-timeout
        return self.session.delete(f"{self.base_url}/reservations/{reservation_id}", **kwargs)


def fetch_catalog():
    # bkgen: expect http-client-timeout
    resp = requests.get(f"{INVENTORY_URL}/catalog")
    return resp.json()


def push_prices(prices):
    # bkgen: expect http-client-timeout
    requests.post(f"{INVENTORY_URL}/prices", json=prices, timeout=None)
    # bkgen: ok http-client-timeout
    requests.post(f"{INVENTORY_URL}/prices/ack", json={"n": len(prices)}, timeout=(3.05, 27))


def sync_all(skus):
    with requests.Session() as s:
        for sku in skus:
            # bkgen: expect http-client-timeout
            s.put(f"{INVENTORY_URL}/sync/{sku}", data=b"")


# Same file, different kind of session: SQLAlchemy's Session.get(Model, pk).
def load_reservation(SessionLocal, reservation_model, reservation_id):
    with SessionLocal() as s:
        # bkgen: ok http-client-timeout
        return s.get(reservation_model, reservation_id)


def lookup(cache, sku):
    # bkgen: ok http-client-timeout
    hit = cache.get(sku)
    # bkgen: ok http-client-timeout
    headers = {"Accept": "application/json"}.get("Accept")
    return hit, headers


def warehouse_status():
    # bkgen: ok http-client-timeout
    a = httpx.get(f"{INVENTORY_URL}/warehouses")
    # bkgen: expect http-client-timeout
    b = httpx.get(f"{INVENTORY_URL}/warehouses/all", timeout=None)
    # bkgen: expect http-client-timeout
    c = httpx.Client(base_url=INVENTORY_URL, timeout=httpx.Timeout(None))
    # bkgen: ok http-client-timeout
    d = httpx.Client(base_url=INVENTORY_URL, timeout=httpx.Timeout(5.0, connect=2.0))
    return a, b, c, d


async def stream_events():
    # bkgen: expect http-client-timeout
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{INVENTORY_URL}/events") as resp:
            return await resp.text()


async def stream_events_bounded(timeout):
    # bkgen: ok http-client-timeout
    async with aiohttp.ClientSession(timeout=timeout) as session:
        async with session.get(f"{INVENTORY_URL}/events") as resp:
            return await resp.text()


async def make_session():
    # bkgen: expect http-client-timeout
    return ClientSession(raise_for_status=True)

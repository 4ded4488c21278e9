"""Helpers for the cross-service tests."""

import time

import httpx

DEMO_PASSWORD = "demo-password"


def login(client: httpx.Client, username: str) -> dict[str, str]:
    response = client.post("/auth/token", data={"username": username, "password": DEMO_PASSWORD})
    response.raise_for_status()
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def wait_until(condition, timeout: float = 30, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


_number_block = [int(time.time()) % 100_000 * 1000 + 300_000_000]


def fresh_individual_numbers(count: int) -> int:
    """A block of individual numbers no earlier test session or test used (topics outlive a test database)."""
    first = _number_block[0]
    _number_block[0] += count
    return first

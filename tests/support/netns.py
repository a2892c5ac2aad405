"""A private network namespace with a veth pair (192.0.2.1 and .2, the documentation range): Janus skips loopback
for ICE and aioice drops 127.0.0.1, so conference media needs real interfaces; these exist only inside it."""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager


def _ip(*args: str) -> None:
    subprocess.run(["ip", *args], check=True, capture_output=True)


@contextmanager
def network_namespace() -> Iterator[str]:
    if os.geteuid() != 0:
        raise RuntimeError("the conference media tests make a network namespace: run them as root (as CI does)")
    name = f"ct{secrets.token_hex(3)}"
    _ip("netns", "add", name)
    try:
        run = ("netns", "exec", name, "ip")
        _ip(*run, "link", "set", "lo", "up")
        _ip(*run, "link", "add", "v0", "type", "veth", "peer", "name", "v1")
        for device, address in (("v0", "192.0.2.1/24"), ("v1", "192.0.2.2/24")):
            _ip(*run, "addr", "add", address, "dev", device)
            _ip(*run, "link", "set", device, "up")
        yield name
    finally:
        subprocess.run(["ip", "netns", "del", name], capture_output=True)


def inside(namespace: str, args: list[str]) -> list[str]:
    return ["ip", "netns", "exec", namespace, *args]

"""Room addresses: `janus://host:port/room/1234` (HTTP API) or `januss://…` (HTTPS), never with a password."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit


class AddressError(ValueError):
    """An address that is not a Janus room; the message says why."""


@dataclass(frozen=True)
class RoomAddress:
    host: str
    port: int
    room: int
    tls: bool = False
    base_path: str = "/janus"

    @property
    def api(self) -> str:
        """The Janus HTTP API root, e.g. http://127.0.0.1:8088/janus."""
        return f"{'https' if self.tls else 'http'}://{self.host}:{self.port}{self.base_path}"

    def __str__(self) -> str:
        return f"{'januss' if self.tls else 'janus'}://{self.host}:{self.port}/room/{self.room}"


def parse_room(address: str) -> RoomAddress:
    url = urlsplit(address)
    if url.scheme not in ("janus", "januss"):
        raise AddressError(f"expected janus://host:port/room/N, got {address!r}")
    if url.password or url.username:
        raise AddressError("a room address never holds credentials: the room's PIN and secret come from the "
                           "secrets store (`controlroom secrets set conference/room-N`)")
    parts = [p for p in url.path.split("/") if p]
    if len(parts) != 2 or parts[0] != "room" or not parts[1].isdigit() or not 0 < int(parts[1]) < 2**53:
        raise AddressError(f"expected …/room/<number> in {address!r}")
    try:
        port = url.port or (8089 if url.scheme == "januss" else 8088)
    except ValueError as exc:
        raise AddressError(f"bad port in {address!r}: {exc}") from None
    if not url.hostname:
        raise AddressError(f"no host in {address!r}")
    return RoomAddress(url.hostname, port, int(parts[1]), url.scheme == "januss")

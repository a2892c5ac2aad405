"""The source contract and the registry that picks a source from an address's scheme."""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Protocol
from urllib.parse import urlsplit

from feeds.core.records import FeedStatus, LinkState, Record


class Sink(Protocol):
    def submit(self, record: Record, ack: Callable[[], None] | None = None) -> None: ...
    def reject(self, feed: str, origin: str, reason: str, sample: bytes | str = b"") -> None: ...
    def status(self, status: FeedStatus) -> None: ...
    def file_seen(self, digest: str) -> bool: ...
    def mark_file(self, digest: str, name: str, records: int) -> None: ...
    def last_seq(self, publisher: str) -> int | None: ...


@dataclass(frozen=True)
class FeedSpec:
    """One configured feed: its name, its address (the scheme picks the source) and the source's options."""

    name: str
    address: str
    options: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Option:
    """One configurable option of a source: its type, default and a phrase for error messages."""

    kind: type | tuple[type, ...]
    default: Any
    help: str = ""


class Source(ABC):
    """A feed: owns its own thread(s), turns the outside world into records for the sink."""

    schemes: ClassVar[tuple[str, ...]] = ()
    options: ClassVar[dict[str, Option]] = {}

    def __init__(self, name: str, address: str, options: dict[str, Any], sink: Sink) -> None:
        self.name = name
        self.address = address
        self.url = urlsplit(address)
        self.opts = {key: options.get(key, opt.default) for key, opt in self.options.items()}
        self.sink = sink
        self._stop = threading.Event()
        self.state = FeedStatus(name, LinkState.CONNECTING)

    def set_state(self, state: LinkState, detail: str = "") -> None:
        if state == self.state.state and detail == self.state.detail:
            return
        since = self.state.since if state == self.state.state else time.time()
        self.state = FeedStatus(self.name, state, since, detail)
        self.sink.status(self.state)

    @classmethod  # noqa: B027 (a hook: most addresses need no check)
    def check_address(cls, address: str) -> None:
        """Raise ValueError when the address cannot work (checked when the configuration is read)."""

    @abstractmethod
    def start(self) -> None: ...

    def stop(self) -> None:
        self._stop.set()

    def publish(self, record: Record, retain: bool = False, on_sent: Callable[[], None] | None = None) -> None:
        """Send a record out through this feed (scenes, alert actions); `on_sent` runs once it is delivered
        (for MQTT: acknowledged by the broker). Not every source can publish."""
        raise NotImplementedError(f"feed {self.name} ({self.url.scheme}://) cannot publish")


class ThreadedSource(Source):
    """A source run by one thread of its own: subclasses write `run()` (return when `_stop` is set) and may
    override `unblock()` to wake a blocking read on the way out."""

    thread_prefix: ClassVar[str] = "source"
    join_timeout_s: ClassVar[float] = 3.0

    def start(self) -> None:
        self.before_start()
        self._thread = threading.Thread(target=self.run, name=f"{self.thread_prefix}-{self.name}", daemon=True)
        self._thread.start()

    def before_start(self) -> None:
        """Prepare what the thread needs, on the caller's thread (errors surface at start)."""

    @abstractmethod
    def run(self) -> None: ...

    def unblock(self) -> None:
        """Interrupt what the thread may be blocked on (a socket read)."""

    def stop(self) -> None:
        super().stop()
        self.unblock()
        thread = getattr(self, "_thread", None)
        if thread is not None:
            thread.join(timeout=self.join_timeout())

    def join_timeout(self) -> float:
        """How long `stop()` waits for the thread."""
        return self.join_timeout_s


_REGISTRY: dict[str, type[Source]] = {}


def register(cls: type[Source]) -> type[Source]:
    for scheme in cls.schemes:
        _REGISTRY[scheme] = cls
    return cls


def source_class(address: str) -> type[Source]:
    """The source class for an address, or ValueError naming the known schemes."""
    _load_builtin_sources()
    scheme = urlsplit(address).scheme
    if scheme not in _REGISTRY:
        known = ", ".join(f"{s}://" for s in sorted(_REGISTRY))
        raise ValueError(f"unknown address scheme {scheme + '://' if scheme else address!r}; known: {known}")
    return _REGISTRY[scheme]


def _load_builtin_sources() -> None:
    import feeds.sources  # noqa: F401  (registers the generic schemes)
    from feeds.core.domain import import_all

    import_all("source_modules")  # and those the domains add (ais+tcp://…)

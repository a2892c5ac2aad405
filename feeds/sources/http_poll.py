"""http(s)://… — a REST endpoint polled with requests: timeouts, retries, conditional GET, a byte cap."""

from __future__ import annotations

import email.utils
import json
import logging
import time
from typing import Any, ClassVar

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ResponseError
from urllib3.util.retry import Retry

from feeds.core.payloads import PayloadError, parse_record_json
from feeds.core.records import LinkState
from feeds.sources.base import Option, Sink, ThreadedSource, register

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    pass


MAX_RETRY_AFTER_IN_REQUEST_S = 10.0


def retry_after_s(value: str | None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date); None when absent or invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class PoliteRetry(Retry):
    """urllib3's Retry, but a Retry-After longer than MAX_RETRY_AFTER_IN_REQUEST_S is not slept inside the
    request (uninterruptible, state not updated, urllib3 allows up to 6 h): the 429/503 is handed back and
    the poll loop waits it out instead. An unparseable Retry-After is ignored (plain backoff)."""

    def get_retry_after(self, response: Any) -> float | None:
        return retry_after_s(response.headers.get("Retry-After"))

    def increment(self, method: str | None = None, url: str | None = None, response: Any = None,
                  error: Exception | None = None, _pool: Any = None, _stacktrace: Any = None) -> PoliteRetry:
        if response is not None and self.respect_retry_after_header \
                and response.status in self.RETRY_AFTER_STATUS_CODES:
            wait = self.get_retry_after(response)
            if wait is not None and wait > MAX_RETRY_AFTER_IN_REQUEST_S:
                raise MaxRetryError(_pool, url or "", ResponseError(f"Retry-After {wait:.0f} s"))
        return super().increment(method, url, response, error, _pool, _stacktrace)


def make_session(retries: int) -> requests.Session:
    session = requests.Session()
    retry = PoliteRetry(total=retries, backoff_factor=0.5, status_forcelist=[429, 500, 502, 503, 504],
                        allowed_methods=["GET"], respect_retry_after_header=True, raise_on_status=False)
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def read_capped(response: requests.Response, cap: int) -> bytes:
    """The body, refusing to read more than `cap` bytes whatever Content-Length claims."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > cap:
        raise BodyTooLarge(f"Content-Length {declared} exceeds the {cap}-byte limit")
    chunks, size = [], 0
    for chunk in response.iter_content(64 * 1024):
        size += len(chunk)
        if size > cap:
            raise BodyTooLarge(f"body exceeds the {cap}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def records_of(body: Any) -> list[Any]:
    """The list of record objects in a body: a bare list, or {"records": [...]}."""
    if isinstance(body, dict) and isinstance(body.get("records"), list):
        return body["records"]
    if isinstance(body, list):
        return body
    raise PayloadError('body must be a JSON list of records or {"records": [...]}')


@register
class HttpSource(ThreadedSource):
    schemes = ("http", "https")
    thread_prefix = "http"
    options: ClassVar[dict[str, Option]] = {
        "interval_s": Option((int, float), 60.0, "seconds between polls"),
        "connect_timeout_s": Option((int, float), 5.0, "connect timeout"),
        "read_timeout_s": Option((int, float), 15.0, "read timeout"),
        "retries": Option(int, 3, "retries on 429/5xx, with backoff and Retry-After"),
        "max_body_bytes": Option(int, 8 * 1024 * 1024, "largest body accepted"),
        "ca_certs": Option(str, "", "CA bundle of the internal CA (https)"),
        "stale_after_s": Option((int, float), 0, "age after which values are shown stale (0: per tile)"),
    }

    def __init__(self, name: str, address: str, options: dict[str, Any], sink: Sink) -> None:
        super().__init__(name, address, options, sink)
        # Set up here rather than in start(), so poll_once() also works without the polling thread.
        self.session = make_session(self.opts["retries"])
        if self.opts["ca_certs"]:
            self.session.verify = self.opts["ca_certs"]
        self._validators: dict[str, str] = {}
        self._failures = 0
        self._retry_after = 0.0

    def join_timeout(self) -> float:  # a request in flight finishes within its timeouts
        return float(self.opts["connect_timeout_s"] + self.opts["read_timeout_s"] + 1)

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                ok = self.poll_once()
            except Exception as exc:  # a bug must not silently kill the feed's thread
                log.exception("feed %s: poll failed", self.name)
                self._failed(f"internal error: {type(exc).__name__}: {exc}")
                ok = False
            self._failures = 0 if ok else self._failures + 1
            # After failures, poll sooner than the interval but back off: 2, 4, 8 … capped by the interval.
            wait = self.opts["interval_s"] if ok else min(self.opts["interval_s"], 2.0 ** self._failures)
            # A Retry-After the server asked for (429/503) is honoured here, interruptibly.
            self._stop.wait(max(wait, self._retry_after))

    def poll_once(self) -> bool:
        """One conditional GET; True when the endpoint answered usefully (200 with a usable body, or 304)."""
        self._retry_after = 0.0
        try:
            response = self.session.get(self.address, headers=self._validators, stream=True,
                                        timeout=(self.opts["connect_timeout_s"], self.opts["read_timeout_s"]))
        except requests.RequestException as exc:
            self._failed(f"request failed: {type(exc).__name__}: {exc}")
            return False
        with response:
            if response.status_code == 304:
                self.set_state(LinkState.CONNECTED, "304 not modified")
                return True
            if response.status_code != 200:
                wait = None
                if response.status_code in Retry.RETRY_AFTER_STATUS_CODES:
                    wait = retry_after_s(response.headers.get("Retry-After"))
                self._retry_after = wait or 0.0
                self._failed(f"HTTP {response.status_code}"
                             + (f", retry after {wait:.0f} s" if wait is not None else ""))
                return False
            try:
                body = read_capped(response, self.opts["max_body_bytes"])
            except (BodyTooLarge, requests.RequestException) as exc:
                self.sink.reject(self.name, self.address, str(exc))
                self._failed(str(exc))
                return False
        return self._accept(body, response.headers)

    def _accept(self, body: bytes, headers: Any) -> bool:
        try:
            items = records_of(json.loads(body.decode("utf-8")))
        except (ValueError, RecursionError) as exc:  # not UTF-8, not JSON (too deep, huge ints), wrong shape
            self.sink.reject(self.name, self.address, f"unusable body: {exc}", body[:200])
            self.set_state(LinkState.RECONNECTING, "garbage body")
            return False
        for index, item in enumerate(items):
            try:
                record = parse_record_json(item if isinstance(item, dict) else {}, self.name)
            except (ValueError, OverflowError) as exc:  # PayloadError, or a number too big for a float
                reason = exc.reason if isinstance(exc, PayloadError) else f"{type(exc).__name__}: {exc}"
                self.sink.reject(self.name, f"{self.address} [{index}]", reason, json.dumps(item)[:200])
                continue
            self.sink.submit(record)
        self._validators = {}
        if headers.get("ETag"):
            self._validators["If-None-Match"] = headers["ETag"]
        if headers.get("Last-Modified"):
            self._validators["If-Modified-Since"] = headers["Last-Modified"]
        self.set_state(LinkState.CONNECTED, f"{len(items)} records")
        return True

    def _failed(self, why: str) -> None:
        log.warning("feed %s: %s", self.name, why)
        self.set_state(LinkState.RECONNECTING, why)

"""http(s)://… — a REST endpoint polled with requests: timeouts, retries, conditional GET, a byte cap."""

from __future__ import annotations

import json
import logging
import threading
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from feeds.payloads import PayloadError, parse_record_json
from feeds.records import LinkState
from feeds.source import Option, Source, register

log = logging.getLogger(__name__)


class BodyTooLarge(Exception):
    pass


def make_session(retries: int) -> requests.Session:
    session = requests.Session()
    retry = Retry(total=retries, backoff_factor=0.5, status_forcelist=[429, 500, 502, 503, 504],
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
class HttpSource(Source):
    schemes = ("http", "https")
    options = {
        "interval_s": Option((int, float), 60.0, "seconds between polls"),
        "connect_timeout_s": Option((int, float), 5.0, "connect timeout"),
        "read_timeout_s": Option((int, float), 15.0, "read timeout"),
        "retries": Option(int, 3, "retries on 429/5xx, with backoff and Retry-After"),
        "max_body_bytes": Option(int, 8 * 1024 * 1024, "largest body accepted"),
        "ca_certs": Option(str, "", "CA bundle of the internal CA (https)"),
        "stale_after_s": Option((int, float), 0, "age after which values are shown stale (0: per tile)"),
    }

    def start(self) -> None:
        self.session = make_session(self.opts["retries"])
        if self.opts["ca_certs"]:
            self.session.verify = self.opts["ca_certs"]
        self._validators: dict[str, str] = {}
        self._failures = 0
        self._thread = threading.Thread(target=self._run, name=f"http-{self.name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        super().stop()
        self._thread.join(timeout=self.opts["connect_timeout_s"] + self.opts["read_timeout_s"] + 1)

    def _run(self) -> None:
        while not self._stop.is_set():
            ok = self.poll_once()
            self._failures = 0 if ok else self._failures + 1
            # After failures, poll sooner than the interval but back off: 2, 4, 8 … capped by the interval.
            wait = self.opts["interval_s"] if ok else min(self.opts["interval_s"], 2.0 ** self._failures)
            self._stop.wait(wait)

    def poll_once(self) -> bool:
        """One conditional GET; True when the endpoint answered usefully (200 or 304)."""
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
                self._failed(f"HTTP {response.status_code}")
                return False
            try:
                body = read_capped(response, self.opts["max_body_bytes"])
            except (BodyTooLarge, requests.RequestException) as exc:
                self.sink.reject(self.name, self.address, str(exc))
                self._failed(str(exc))
                return False
        self._accept(body, response.headers)
        return True

    def _accept(self, body: bytes, headers: Any) -> None:
        try:
            items = records_of(json.loads(body.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError, PayloadError) as exc:
            self.sink.reject(self.name, self.address, f"unusable body: {exc}", body[:200])
            self.set_state(LinkState.RECONNECTING, "garbage body")
            return
        for index, item in enumerate(items):
            try:
                record = parse_record_json(item if isinstance(item, dict) else {}, self.name)
            except PayloadError as exc:
                self.sink.reject(self.name, f"{self.address} [{index}]", exc.reason, json.dumps(item)[:200])
                continue
            self.sink.submit(record)
        self._validators = {}
        if headers.get("ETag"):
            self._validators["If-None-Match"] = headers["ETag"]
        if headers.get("Last-Modified"):
            self._validators["If-Modified-Since"] = headers["Last-Modified"]
        self.set_state(LinkState.CONNECTED, f"{len(items)} records")

    def _failed(self, why: str) -> None:
        log.warning("feed %s: %s", self.name, why)
        self.set_state(LinkState.RECONNECTING, why)

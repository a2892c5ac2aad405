"""The REST source against a real HTTP server on loopback, scripted per test, feeding a real cache."""

from __future__ import annotations

import json
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from feeds.core.records import LinkState, SceneCommand
from feeds.ingest.writer import Ingestor
from feeds.sources.http_poll import HttpSource
from feeds.store import Cache
from tests.support.waiting import wait_until

TS = 1_790_000_000

Script = Callable[[BaseHTTPRequestHandler, int], None]


@dataclass
class Seen:
    at: float
    headers: dict[str, str]


class Server:
    """A ThreadingHTTPServer on 127.0.0.1 whose GET answers come from `script(handler, n)` (n counts from 1)."""

    def __init__(self) -> None:
        self.script: Script = lambda h, n: reply(h, 404, b"no script")
        self.seen: list[Seen] = []
        self.release = threading.Event()  # set at teardown: stalled handlers give up
        self.bytes_sent = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                outer.seen.append(Seen(time.monotonic(), dict(self.headers.items())))
                try:
                    outer.script(self, len(outer.seen))
                except OSError:  # the client hung up (byte cap, timeout): expected in several tests
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                       daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/readings"

    def close(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def promise_good_send_part(h: BaseHTTPRequestHandler, size: int) -> None:
    """Headers promising the whole good body, then only its first `size` bytes."""
    h.send_response(200)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(GOOD)))
    h.end_headers()
    h.wfile.write(GOOD[:size])
    h.wfile.flush()


def reply(h: BaseHTTPRequestHandler, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
          content_type: str = "application/json") -> None:
    h.send_response(status)
    if status != 304:
        h.send_header("Content-Type", content_type)
        h.send_header("Content-Length", str(len(body)))
    for name, value in (headers or {}).items():
        h.send_header(name, value)
    h.end_headers()
    if status != 304:
        h.wfile.write(body)


def indicator(key: str, value: object, ts: object = TS, **extra: object) -> dict:
    return {"v": 1, "kind": "indicator", "key": key, "value": value, "ts": ts, **extra}


def body_of(*items: object) -> bytes:
    return json.dumps({"records": list(items)}).encode()


GOOD = body_of(indicator("aqi/hanoi", 42, unit="AQI"), indicator("water/red-river", 3.25, TS + 5, unit="m"))


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.close()


@pytest.fixture
def rig(tmp_path: Path):
    cache = Cache(tmp_path / "cache.sqlite")
    ingestor = Ingestor(cache, deliver=lambda records: None)
    ingestor.start()
    yield cache, ingestor
    ingestor.stop()
    cache.close()


def make_source(server: Server, ingestor: Ingestor, **options: object) -> HttpSource:
    opts = {"interval_s": 60, "connect_timeout_s": 2, "read_timeout_s": 2, "retries": 0}
    opts.update(options)
    return HttpSource("rest", server.url, opts, ingestor)


def flush(ingestor: Ingestor) -> None:
    """Wait until everything submitted so far is committed (batches commit in order)."""
    done = threading.Event()
    ingestor.submit(SceneCommand(target="test-flush", scene="flush", layout={}, ts=time.time(), source="test"),
                    ack=done.set)
    assert done.wait(5), "the cache writer did not commit"


def samples(cache: Cache) -> list[str]:
    return [row[0] for row in cache.db.conn.execute("SELECT sample FROM rejects ORDER BY id")]


def test_records_reach_the_cache_with_their_own_timestamp_and_source(server, rig):
    cache, ingestor = rig
    alert = {"v": 1, "kind": "alert", "id": "a-1", "key": "flood/hanoi", "severity": "warning",
             "title": "Mực nước cao", "ts": "2026-09-22T10:00:00+07:00"}
    server.script = lambda h, n: reply(h, 200, body_of(indicator("aqi/hanoi", 42, unit="AQI"), alert))
    source = make_source(server, ingestor)
    assert source.poll_once() is True
    flush(ingestor)
    latest = cache.latest()
    assert set(latest) == {"aqi/hanoi"}
    assert (latest["aqi/hanoi"].value, latest["aqi/hanoi"].ts) == (42.0, TS)
    assert (latest["aqi/hanoi"].source, latest["aqi/hanoi"].unit) == ("rest", "AQI")
    [stored_alert] = cache.alerts()
    assert (stored_alert.id, stored_alert.source, stored_alert.title) == ("a-1", "rest", "Mực nước cao")
    assert source.state.state == LinkState.CONNECTED
    assert source.state.detail == "2 records"
    assert cache.rejects() == []


def test_etag_gives_304_and_cached_values_stay(server, rig):
    cache, ingestor = rig
    current = {"etag": '"v1"', "body": GOOD}

    def script(h: BaseHTTPRequestHandler, n: int) -> None:
        if h.headers.get("If-None-Match") == current["etag"]:
            reply(h, 304, headers={"ETag": current["etag"]})
        else:
            reply(h, 200, current["body"], {"ETag": current["etag"]})

    server.script = script
    source = make_source(server, ingestor)
    assert source.poll_once() is True
    flush(ingestor)
    before = cache.latest()
    assert len(before) == 2

    assert source.poll_once() is True
    assert server.seen[1].headers.get("If-None-Match") == '"v1"'
    assert source.state.state == LinkState.CONNECTED
    assert source.state.detail == "304 not modified"
    flush(ingestor)
    assert cache.latest() == before
    assert cache.count("history") == 2

    current.update(etag='"v2"', body=body_of(indicator("aqi/hanoi", 57, TS + 300)))
    assert source.poll_once() is True
    flush(ingestor)
    assert cache.latest()["aqi/hanoi"].value == 57.0
    assert cache.latest()["water/red-river"].value == 3.25  # a key the new body does not mention stays
    assert cache.history("aqi/hanoi") == [(TS, 42.0), (TS + 300, 57.0)]
    source.poll_once()
    assert server.seen[3].headers.get("If-None-Match") == '"v2"'
    assert source.state.detail == "304 not modified"


def test_last_modified_is_sent_back_as_if_modified_since(server, rig):
    cache, ingestor = rig
    stamp = "Tue, 22 Sep 2026 03:00:00 GMT"

    def script(h: BaseHTTPRequestHandler, n: int) -> None:
        if h.headers.get("If-Modified-Since") == stamp:
            reply(h, 304)
        else:
            reply(h, 200, GOOD, {"Last-Modified": stamp})

    server.script = script
    source = make_source(server, ingestor)
    assert source.poll_once() is True
    assert "If-Modified-Since" not in server.seen[0].headers
    assert source.poll_once() is True
    assert server.seen[1].headers.get("If-Modified-Since") == stamp
    assert source.state.detail == "304 not modified"
    flush(ingestor)
    assert cache.count("history") == 2


def test_500_then_200_is_retried_within_one_poll(server, rig):
    cache, ingestor = rig
    server.script = lambda h, n: reply(h, 500, b"boom", content_type="text/plain") if n == 1 else reply(h, 200, GOOD)
    source = make_source(server, ingestor, retries=2)
    assert source.poll_once() is True
    assert len(server.seen) == 2
    assert source.state.state == LinkState.CONNECTED
    flush(ingestor)
    assert cache.count("latest") == 2


def test_persistent_503_gives_bounded_retries_with_backoff_and_keeps_old_values(server, rig):
    cache, ingestor = rig
    server.script = lambda h, n: reply(h, 200, GOOD) if n == 1 else reply(h, 503, b"busy", content_type="text/plain")
    source = make_source(server, ingestor, retries=2)
    assert source.poll_once() is True
    flush(ingestor)
    before = cache.latest()

    assert source.poll_once() is False
    assert len(server.seen) == 1 + 3  # the first poll, then one try and two retries: bounded
    gaps = [b.at - a.at for a, b in zip(server.seen[1:], server.seen[2:])]
    assert gaps[1] >= 0.9  # backoff: 0.5 * 2 s before the second retry
    assert source.state.state == LinkState.RECONNECTING
    assert source.state.detail == "HTTP 503"
    assert cache.latest() == before  # the cached values (with their own ts, hence their age) remain


def test_429_with_retry_after_is_honoured(server, rig):
    cache, ingestor = rig

    def script(h: BaseHTTPRequestHandler, n: int) -> None:
        if n == 1:
            reply(h, 429, b"slow down", {"Retry-After": "1"}, content_type="text/plain")
        else:
            reply(h, 200, GOOD)

    server.script = script
    source = make_source(server, ingestor, retries=1)
    assert source.poll_once() is True
    assert len(server.seen) == 2
    assert server.seen[1].at - server.seen[0].at >= 0.95  # without Retry-After the first retry is immediate
    flush(ingestor)
    assert cache.count("latest") == 2


def test_long_retry_after_does_not_block_the_request_and_defers_the_next_poll(server, rig):
    _cache, ingestor = rig
    server.script = lambda h, n: reply(h, 429, b"quota", {"Retry-After": "3600"}, content_type="text/plain")
    source = make_source(server, ingestor, retries=2, interval_s=0.1)
    started = time.monotonic()
    assert source.poll_once() is False
    assert time.monotonic() - started < 2  # not an hour asleep inside requests
    assert len(server.seen) == 1
    assert source.state.state == LinkState.RECONNECTING
    assert source.state.detail == "HTTP 429, retry after 3600 s"

    source.start()  # the loop polls at once, gets 429 again, then waits the hour out (interruptibly)
    wait_until(lambda: len(server.seen) >= 2, 3, "the polling loop's first request")
    assert len(server.seen) == 2
    time.sleep(0.5)  # a duration: interval_s is 0.1, a loop ignoring Retry-After would have polled several times
    assert len(server.seen) == 2
    started = time.monotonic()
    source.stop()
    assert time.monotonic() - started < 1
    assert not source._thread.is_alive()


def test_html_garbage_is_rejected_with_a_sample_and_keeps_values_and_validators(server, rig):
    cache, ingestor = rig

    def script(h: BaseHTTPRequestHandler, n: int) -> None:
        if n == 1:
            reply(h, 200, GOOD, {"ETag": '"v1"'})
        elif n == 2:
            reply(h, 200, b"<html><body><h1>502 Bad Gateway</h1></body></html>", {"ETag": '"proxy"'},
                  content_type="text/html")
        elif h.headers.get("If-None-Match") == '"v1"':
            reply(h, 304)
        else:
            reply(h, 200, b"[]", {"ETag": '"empty"'})

    server.script = script
    source = make_source(server, ingestor)
    assert source.poll_once() is True
    flush(ingestor)
    before = cache.latest()

    assert source.poll_once() is False
    assert source.state.state == LinkState.RECONNECTING
    assert source.state.detail == "garbage body"
    [reject] = cache.rejects()
    assert reject["feed"] == "rest" and reject["origin"] == server.url
    assert reject["reason"].startswith("unusable body:")
    assert samples(cache)[0].startswith("<html><body><h1>502 Bad Gateway")
    flush(ingestor)
    assert cache.latest() == before

    assert source.poll_once() is True  # still conditional on the last good body's ETag
    assert server.seen[2].headers.get("If-None-Match") == '"v1"'
    assert source.state.detail == "304 not modified"
    assert cache.latest() == before


def test_truncated_json_is_rejected_and_its_etag_not_kept(server, rig):
    cache, ingestor = rig

    def script(h: BaseHTTPRequestHandler, n: int) -> None:
        if n == 1:
            reply(h, 200, GOOD[: len(GOOD) // 2], {"ETag": '"half"'})
        elif h.headers.get("If-None-Match") == '"half"':
            reply(h, 304)
        else:
            reply(h, 200, GOOD, {"ETag": '"whole"'})

    server.script = script
    source = make_source(server, ingestor)
    assert source.poll_once() is False
    [reject] = cache.rejects()
    assert reject["reason"].startswith("unusable body: Unterminated string")
    assert samples(cache)[0] == GOOD[: len(GOOD) // 2].decode()[:200]
    assert cache.count("latest") == 0

    assert source.poll_once() is True
    assert "If-None-Match" not in server.seen[1].headers  # the ETag of an unusable body was not stored
    flush(ingestor)
    assert cache.count("latest") == 2
    assert source.state.detail == "2 records"


def test_connection_dropped_mid_body_is_rejected(server, rig):
    cache, ingestor = rig

    def script(h: BaseHTTPRequestHandler, n: int) -> None:
        if n == 1:
            reply(h, 200, GOOD)
            return
        promise_good_send_part(h, 40)
        h.close_connection = True  # the server dies mid-transfer

    server.script = script
    source = make_source(server, ingestor)
    assert source.poll_once() is True
    flush(ingestor)
    before = cache.latest()
    assert source.poll_once() is False
    assert source.state.state == LinkState.RECONNECTING
    [reject] = cache.rejects()
    assert "Connection broken: IncompleteRead(40 bytes read" in reject["reason"]
    flush(ingestor)
    assert cache.latest() == before


def test_wrong_schema_entries_are_rejected_one_by_one_and_good_ones_kept(server, rig):
    cache, ingestor = rig
    body = (b'[' + json.dumps(indicator("aqi/hanoi", 42)).encode() + b','
            b'{"v":1,"kind":"indicator","key":"aqi/hue","value":"high","ts":1790000000},'
            b'{"v":1,"kind":"weather","key":"x","value":1,"ts":1790000000},'
            b'42,'
            b'{"v":1,"kind":"indicator","key":"aqi/nan","value":NaN,"ts":1790000000},'
            b'{"v":1,"kind":"indicator","key":"aqi/huge","value":1' + b"0" * 400 + b',"ts":1790000000},'
            b'{"v":1,"kind":"indicator","key":"aqi/nots","value":1},'
            + json.dumps(indicator("aqi/hcm", 61, TS + 60)).encode() + b']')
    server.script = lambda h, n: reply(h, 200, body)
    source = make_source(server, ingestor)
    assert source.poll_once() is True
    flush(ingestor)
    assert set(cache.latest()) == {"aqi/hanoi", "aqi/hcm"}
    rejects = {r["origin"]: r["reason"] for r in cache.rejects()}
    assert set(rejects) == {f"{server.url} [{i}]" for i in range(1, 7)}
    assert "must be int or float" in rejects[f"{server.url} [1]"]
    assert "unknown or missing kind 'weather'" in rejects[f"{server.url} [2]"]
    assert "missing kind" in rejects[f"{server.url} [3]"]
    assert "not a finite number" in rejects[f"{server.url} [4]"]
    assert "OverflowError" in rejects[f"{server.url} [5]"]
    assert "ts" in rejects[f"{server.url} [6]"]
    assert source.state.state == LinkState.CONNECTED


@pytest.mark.parametrize("body, reason", [
    (b'{"data": []}', 'body must be a JSON list of records or {"records": [...]}'),
    (b'"just a string"', 'body must be a JSON list of records'),
    (b"[" * 100_000, "recursion"),  # nesting too deep for the JSON decoder
    (b"[1" + b"0" * 5000 + b"]", "integer string conversion"),  # too many digits for an int
    (b"\xff\xfe[]", "utf-8"),
])
def test_unusable_bodies_are_rejected_without_killing_the_poller(server, rig, body, reason):
    cache, ingestor = rig
    server.script = lambda h, n: reply(h, 200, body, {"ETag": '"x"'})
    source = make_source(server, ingestor)
    assert source.poll_once() is False
    [reject] = cache.rejects()
    assert reason.lower() in reject["reason"].lower()
    assert source.state.state == LinkState.RECONNECTING
    source.poll_once()
    assert "If-None-Match" not in server.seen[1].headers


def test_endless_chunked_body_aborts_at_the_byte_cap_with_bounded_memory(server, rig):
    cache, ingestor = rig
    chunk = b" " * 65536

    def script(h: BaseHTTPRequestHandler, n: int) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        h.wfile.write(b"1\r\n[\r\n")
        while not server.release.is_set():
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            server.bytes_sent += len(chunk)

    server.script = script
    cap = 1024 * 1024
    source = make_source(server, ingestor, max_body_bytes=cap)
    tracemalloc.start()
    try:
        started = time.monotonic()
        assert source.poll_once() is False
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert elapsed < 5
    assert server.bytes_sent >= cap  # the server really sent more than the cap before the client gave up
    assert peak < 8 * cap  # memory stays around the cap, not the (endless) body
    [reject] = cache.rejects()
    assert reject["reason"] == f"body exceeds the {cap}-byte limit"
    assert source.state.state == LinkState.RECONNECTING
    assert source.state.detail == f"body exceeds the {cap}-byte limit"
    assert cache.count("latest") == 0


def test_declared_huge_content_length_is_refused_before_reading(server, rig):
    cache, ingestor = rig

    def script(h: BaseHTTPRequestHandler, n: int) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(1 << 30))
        h.end_headers()
        h.wfile.write(b"[" + b" " * 4096)
        h.wfile.flush()
        server.release.wait(10)  # would take ages to send the promised gigabyte

    server.script = script
    source = make_source(server, ingestor, max_body_bytes=1_000_000)
    started = time.monotonic()
    assert source.poll_once() is False
    assert time.monotonic() - started < 1
    [reject] = cache.rejects()
    assert reject["reason"] == "Content-Length 1073741824 exceeds the 1000000-byte limit"
    assert source.state.state == LinkState.RECONNECTING


def test_stall_after_headers_fires_the_read_timeout_and_keeps_values(server, rig):
    cache, ingestor = rig

    def script(h: BaseHTTPRequestHandler, n: int) -> None:
        if n == 1:
            reply(h, 200, GOOD)
            return
        promise_good_send_part(h, 10)
        server.release.wait(10)  # slow loris: headers and a few bytes, then nothing

    server.script = script
    source = make_source(server, ingestor, read_timeout_s=0.5)
    assert source.poll_once() is True
    flush(ingestor)
    before = cache.latest()
    started = time.monotonic()
    assert source.poll_once() is False
    elapsed = time.monotonic() - started
    assert 0.4 <= elapsed < 3
    [reject] = cache.rejects()
    assert "timed out" in reject["reason"].lower()
    assert source.state.state == LinkState.RECONNECTING
    assert cache.latest() == before


def test_stall_before_headers_fires_the_read_timeout(server, rig):
    _cache, ingestor = rig
    server.script = lambda h, n: server.release.wait(10)  # accepts the request, never answers
    source = make_source(server, ingestor, read_timeout_s=0.4, retries=1)
    started = time.monotonic()
    assert source.poll_once() is False
    elapsed = time.monotonic() - started
    assert 0.7 <= elapsed < 3  # one try and one retry, each cut at the read timeout
    assert len(server.seen) == 2
    assert source.state.state == LinkState.RECONNECTING
    assert source.state.detail.startswith("request failed:")
    assert "timed out" in source.state.detail.lower()


def test_dead_server_keeps_the_cached_values(server, rig):
    cache, ingestor = rig
    server.script = lambda h, n: reply(h, 200, GOOD)
    source = make_source(server, ingestor, retries=1, connect_timeout_s=0.5)
    assert source.poll_once() is True
    flush(ingestor)
    before = cache.latest()
    server.close()
    source.session.close()  # drop the kept-alive connection, as a restart of the server would
    assert source.poll_once() is False
    assert source.state.state == LinkState.RECONNECTING
    assert source.state.detail.startswith("request failed: ConnectionError")
    assert cache.latest() == before


def test_polling_thread_survives_garbage_and_stops_promptly(server, rig):
    cache, ingestor = rig
    answers = [b"[" * 100_000, b"<html>oops</html>", GOOD]
    server.script = lambda h, n: reply(h, 200, answers[min(n, 3) - 1])
    source = make_source(server, ingestor, interval_s=0.05)
    source.start()
    wait_until(lambda: cache.count("latest") >= 2, 5, "the good answer in the cache")
    assert cache.count("latest") == 2
    assert len(cache.rejects()) == 2
    started = time.monotonic()
    source.stop()
    assert time.monotonic() - started < 1
    assert not source._thread.is_alive()
    assert source.state.state == LinkState.CONNECTED

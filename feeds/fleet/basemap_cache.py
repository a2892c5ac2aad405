"""Raster map tiles from an on-premises tile server, kept in a local MBTiles file (Qt-free).

MBTiles is SQLite with ``tiles(zoom_level, tile_column, tile_row, tile_data)`` and ``metadata(name, value)``;
rows use TMS numbering, so the XYZ row ``y`` of a web map is stored as ``2^z - 1 - y``. A tile is taken
from the file when present and fresh; otherwise it is fetched from the server and stored. When the
server cannot be reached, a stale tile is still served, so the map keeps working while it is down.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from pathlib import Path

import requests

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS metadata (name TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB,
                                  fetched REAL DEFAULT 0,
                                  PRIMARY KEY (zoom_level, tile_column, tile_row));
"""
MAX_ZOOM = 22


def tms_row(z: int, y: int) -> int:
    """The MBTiles (TMS) row of XYZ row `y` at zoom `z` (the flip is its own inverse)."""
    return (1 << z) - 1 - y


def valid_tile(z: int, x: int, y: int) -> bool:
    return 0 <= z <= MAX_ZOOM and 0 <= x < (1 << z) and 0 <= y < (1 << z)


class MBTiles:
    """A thread-safe MBTiles file; `fetched` (epoch seconds, an extra column) says when a tile was stored."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(self.path), check_same_thread=False)
        with self._lock, self._conn:
            self._conn.executescript(SCHEMA)
            self._conn.execute("INSERT OR IGNORE INTO metadata VALUES ('name', 'controlroom tile cache')")
            self._conn.execute("INSERT OR IGNORE INTO metadata VALUES ('format', 'png')")

    def get(self, z: int, x: int, y: int) -> tuple[bytes, float] | None:
        """The tile at XYZ (z, x, y) and when it was stored, or None."""
        with self._lock:
            row = self._conn.execute(
                "SELECT tile_data, fetched FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                (z, x, tms_row(z, y))).fetchone()
        return (bytes(row[0]), row[1] or 0.0) if row else None

    def put(self, z: int, x: int, y: int, data: bytes, fetched: float | None = None) -> None:
        with self._lock, self._conn:
            self._conn.execute("INSERT OR REPLACE INTO tiles VALUES (?, ?, ?, ?, ?)",
                               (z, x, tms_row(z, y), sqlite3.Binary(data), fetched or time.time()))

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class BasemapFetcher:
    """Serves tiles from the MBTiles cache, fetching missing or stale ones from `server` on worker threads.

    `server` is a URL template with {z}, {x}, {y} (e.g. ``http://tiles.ioc.local/osm/{z}/{x}/{y}.png``),
    or empty for a cache-only map. `request(z, x, y, done)` returns at once; `done(data or None)` is
    called from a worker thread.
    """

    def __init__(self, store: MBTiles, server: str = "", max_age_s: float = 30 * 86400.0, timeout_s: float = 5.0,
                 workers: int = 2, session: requests.Session | None = None) -> None:
        self.store = store
        self.server = server
        self.max_age_s = max_age_s
        self.timeout_s = timeout_s
        self.session = session or requests.Session()
        self.fetched = 0
        self.failed = 0
        self._queue: list[tuple[int, int, int, Callable[[bytes | None], None]]] = []
        self._cv = threading.Condition()
        self._stop = False
        self._threads = [threading.Thread(target=self._run, name=f"tiles-{i}", daemon=True) for i in range(workers)]
        for thread in self._threads:
            thread.start()

    def request(self, z: int, x: int, y: int, done: Callable[[bytes | None], None]) -> None:
        with self._cv:
            self._queue.append((z, x, y, done))
            self._cv.notify()

    def get(self, z: int, x: int, y: int) -> bytes | None:
        """Blocking: the tile from the cache if fresh, else from the server, else the stale cached one."""
        if not valid_tile(z, x, y):
            return None
        cached = self.store.get(z, x, y)
        if cached and (not self.server or time.time() - cached[1] < self.max_age_s):
            return cached[0]
        if self.server:
            url = self.server.format(z=z, x=x, y=y)
            try:
                response = self.session.get(url, timeout=self.timeout_s)
                if response.status_code == 200 and response.content:
                    self.store.put(z, x, y, response.content)
                    self.fetched += 1
                    return response.content
                log.warning("tile server answered %s for %s", response.status_code, url)
            except requests.RequestException as exc:
                log.warning("tile server unreachable (%s); serving cached tiles", type(exc).__name__)
            self.failed += 1
        return cached[0] if cached else None

    def _run(self) -> None:
        while True:
            with self._cv:
                while not self._queue and not self._stop:
                    self._cv.wait()
                if self._stop:
                    return
                z, x, y, done = self._queue.pop()  # newest first: the tiles in view now
            try:
                data = self.get(z, x, y)
            except Exception:  # a broken tile must not kill the worker
                log.exception("tile %s/%s/%s failed", z, x, y)
                data = None
            done(data)

    def stop(self) -> None:
        with self._cv:
            self._stop = True
            self._cv.notify_all()
        for thread in self._threads:
            thread.join(timeout=2)

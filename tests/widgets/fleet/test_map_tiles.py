"""tiles:// — MBTiles cache (TMS rows), filled from an on-premises tile server, kept when it is down."""

from __future__ import annotations

import http.server
import sqlite3
import threading

import pytest

from widgets.fleet.basemap_scheme import prepare_web_engine

prepare_web_engine()

from PySide6.QtCore import QBuffer, QIODevice  # noqa: E402
from PySide6.QtGui import QColor, QImage  # noqa: E402
from PySide6.QtWebEngineCore import QWebEngineProfile  # noqa: E402

from feeds.fleet.basemap_cache import BasemapFetcher, MBTiles, tms_row  # noqa: E402

ALL_TILES_LOADED = ("document.querySelectorAll('img.leaflet-tile-loaded').length > 0 &&"
                    " document.querySelectorAll('img.leaflet-tile:not(.leaflet-tile-loaded)').length === 0")


def png(colour: str = "#336699") -> bytes:
    image = QImage(256, 256, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(buffer.data())


class TileServer:
    def __init__(self, body: bytes) -> None:
        self.requests: list[str] = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.requests.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "image/png")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/osm/{{z}}/{{x}}/{{y}}.png"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def test_mbtiles_stores_tms_rows(tmp_path):
    store = MBTiles(tmp_path / "t.mbtiles")
    store.put(9, 406, 226, b"tile")
    assert store.get(9, 406, 226)[0] == b"tile"
    rows = sqlite3.connect(tmp_path / "t.mbtiles").execute("SELECT zoom_level, tile_column, tile_row FROM tiles")
    assert rows.fetchall() == [(9, 406, 511 - 226)] == [(9, 406, tms_row(9, 226))]
    assert store.get(9, 406, 227) is None
    store.close()


def test_fetcher_fills_the_cache_and_survives_the_server_going_down(tmp_path):
    server = TileServer(png())
    fetcher = BasemapFetcher(MBTiles(tmp_path / "t.mbtiles"), server.url, max_age_s=0.0, timeout_s=1.0)
    first = fetcher.get(9, 406, 226)
    assert first and first.startswith(b"\x89PNG") and server.requests == ["/osm/9/406/226.png"]
    server.stop()
    assert fetcher.get(9, 406, 226) == first  # stale, server down: still served
    assert fetcher.get(9, 407, 226) is None and fetcher.failed == 2
    assert fetcher.get(30, 0, 0) is None  # not a tile
    fetcher.stop()


@pytest.fixture
def profiles(app):
    """New off-the-record profiles, each with its own scheme handler. They are kept until the test is over, so
    they outlive its pages (a profile released while a page still uses it makes QtWebEngine warn)."""
    made: list[QWebEngineProfile] = []

    def new() -> QWebEngineProfile:
        made.append(QWebEngineProfile())
        return made[-1]

    yield new


def test_page_shows_tiles_through_the_scheme_and_keeps_them_offline(app, qtbot, tmp_path, profiles):
    from desktop.windows.basemap import install_basemap_source
    from tests.widgets.fleet.test_vessel_map import LOCAL_SCHEMES, SHOTS, Recorder, js
    from widgets.fleet.basemap_scheme import PAGE_URL
    from widgets.fleet.map_view import VesselMapWidget

    recorder = Recorder()
    profile = profiles()
    profile.setUrlRequestInterceptor(recorder)
    server = TileServer(png())
    handler = install_basemap_source(server.url, tmp_path / "tiles.mbtiles", profile)
    widget = VesselMapWidget(tile_url=PAGE_URL, panel=False, profile=profile)
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.view.ready, timeout=30000)
    qtbot.waitUntil(lambda: js(qtbot, widget.view, ALL_TILES_LOADED) is True, timeout=20000)
    assert server.requests and handler.served > 0
    assert any(u.startswith("tiles:") for u in recorder.urls)
    assert not [u for u in recorder.urls if u.split(":", 1)[0] not in LOCAL_SCHEMES]
    stored = sqlite3.connect(tmp_path / "tiles.mbtiles").execute("SELECT count(*) FROM tiles").fetchone()[0]
    assert stored == len(set(server.requests))
    widget.close()
    handler.fetcher.stop()
    # The server goes down and the program restarts: the map still shows the tiles, from the MBTiles file.
    server.stop()
    again = profiles()
    handler = install_basemap_source(server.url, tmp_path / "tiles.mbtiles", again)
    widget = VesselMapWidget(tile_url=PAGE_URL, panel=False, profile=again)
    qtbot.addWidget(widget)
    widget.resize(800, 600)
    widget.show()
    qtbot.waitUntil(lambda: widget.view.ready, timeout=30000)
    qtbot.waitUntil(lambda: js(qtbot, widget.view, ALL_TILES_LOADED) is True, timeout=20000)
    # Every tile the restarted page asked for came from the MBTiles file (the view may ask for fewer).
    assert handler.served > 0 and handler.missing == 0
    qtbot.wait(300)
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(SHOTS / "vessel_map_tiles_offline.png"))
    widget.close()
    handler.fetcher.stop()

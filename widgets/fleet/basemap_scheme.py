"""Raster tiles for the offline map, served to the page through a ``tiles://`` URL scheme (no web server).

The page asks for ``tiles://base/{z}/{x}/{y}``; `BasemapSchemeHandler` answers from the fetcher it is given
(`feeds.fleet.basemap_cache`: an MBTiles file, filled from an on-premises tile server when one is
configured; the application opens it, see `desktop.windows.basemap`). Lookups and fetches
run on the fetcher's threads; replies are made on the GUI thread. The scheme must be registered before
the QApplication exists: `prepare_web_engine()` (called by `desktop.application.make_application`).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, QObject, Qt, Signal, Slot
from PySide6.QtWebEngineCore import QWebEngineUrlRequestJob, QWebEngineUrlSchemeHandler

log = logging.getLogger(__name__)

SCHEME = b"tiles"
PAGE_URL = "tiles://base/{z}/{x}/{y}"
_TILE_PATH = re.compile(r"/(\d{1,2})/(\d{1,7})/(\d{1,7})(?:\.\w+)?$")


def prepare_web_engine() -> None:
    """Call before the QApplication exists: registers the tiles:// scheme and shares GL contexts."""
    from PySide6.QtWebEngineCore import QWebEngineUrlScheme

    if QCoreApplication.instance() is not None:
        return
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "QTWEBENGINE_DISABLE_SANDBOX" not in os.environ:
        # Chromium refuses to start as root with its sandbox on; the map page is local-only, so run it
        # without one rather than crash, and say so (a wall should not run as root).
        logging.getLogger(__name__).warning("running as root: the map's web engine runs without its sandbox")
        os.environ["QTWEBENGINE_DISABLE_SANDBOX"] = "1"
    QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    if QWebEngineUrlScheme.schemeByName(SCHEME).name() != SCHEME:
        scheme = QWebEngineUrlScheme(SCHEME)
        scheme.setSyntax(QWebEngineUrlScheme.Syntax.Path)
        scheme.setFlags(QWebEngineUrlScheme.Flag.LocalScheme | QWebEngineUrlScheme.Flag.LocalAccessAllowed
                        | QWebEngineUrlScheme.Flag.CorsEnabled)
        QWebEngineUrlScheme.registerScheme(scheme)


def content_type(data: bytes) -> bytes:
    if data[:3] == b"\xff\xd8\xff":
        return b"image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return b"image/webp"
    return b"image/png"


class BasemapSource(Protocol):
    """Answers a tile request on its own thread (feeds.fleet.basemap_cache.BasemapFetcher)."""

    def request(self, z: int, x: int, y: int, done: Callable[[bytes | None], None]) -> None: ...


class BasemapSchemeHandler(QWebEngineUrlSchemeHandler):
    _done = Signal(int, object)

    def __init__(self, fetcher: BasemapSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fetcher = fetcher
        self._jobs: dict[int, QWebEngineUrlRequestJob] = {}
        self._ids = itertools.count(1)
        self.served = 0
        self.missing = 0
        self._done.connect(self._reply, Qt.ConnectionType.QueuedConnection)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:
        match = _TILE_PATH.search(job.requestUrl().path())
        if not match:
            job.fail(QWebEngineUrlRequestJob.Error.UrlInvalid)
            return
        z, x, y = (int(g) for g in match.groups())
        ident = next(self._ids)
        self._jobs[ident] = job
        job.destroyed.connect(lambda *_: self._jobs.pop(ident, None))
        self.fetcher.request(z, x, y, lambda data: self._done.emit(ident, data))

    @Slot(int, object)
    def _reply(self, ident: int, data: bytes | None) -> None:
        job = self._jobs.pop(ident, None)
        if job is None:  # the page no longer wants it
            return
        if not data:
            self.missing += 1
            job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
            return
        buffer = QBuffer(job)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.served += 1
        job.reply(content_type(data), buffer)

"""The raster base map of the vessel map: opens the MBTiles cache and its fetcher, serves them as tiles://."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWebEngineCore import QWebEngineProfile

from feeds.fleet.basemap_cache import BasemapFetcher, MBTiles
from widgets.fleet.basemap_scheme import PAGE_URL, SCHEME, BasemapSchemeHandler

DEFAULT_TILE_CACHE = Path.home() / ".cache" / "controlroom" / "tiles.mbtiles"
_installed: dict[int, BasemapSchemeHandler] = {}


def install_basemap_source(server: str, cache_path: str | Path,
                        profile: QWebEngineProfile | None = None) -> BasemapSchemeHandler:
    """Serve tiles:// on `profile` (default: the default profile) from `cache_path`, filled from `server`.

    One handler per profile: a second call returns the first handler.
    """
    profile = profile or QWebEngineProfile.defaultProfile()
    handler = _installed.get(id(profile))
    if handler is None:
        fetcher = BasemapFetcher(MBTiles(cache_path), server)
        handler = BasemapSchemeHandler(fetcher, profile)
        profile.installUrlSchemeHandler(SCHEME, handler)
        _installed[id(profile)] = handler
    return handler


def basemap_url(server: str, cache: str) -> str:
    """For TileContext.basemap: install the source for a map tile's options, return the page's URL template."""
    install_basemap_source(server, Path(cache).expanduser() if cache else DEFAULT_TILE_CACHE)
    return PAGE_URL

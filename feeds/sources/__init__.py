"""Generic sources, one module per address scheme on the threaded base of `base`; importing this package
registers them (domains add their own schemes through their declaration)."""

from feeds.sources import drop_folder, http_poll, mqtt, simulated  # noqa: F401

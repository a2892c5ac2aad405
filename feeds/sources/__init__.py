"""Built-in sources, one module per address scheme; importing this package registers them."""

from feeds.sources import ais_stream, drop_folder, http_poll, mqtt, simulated  # noqa: F401

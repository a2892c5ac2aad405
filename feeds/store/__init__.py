"""The SQLite store: one file, split into stores per concern (series, alerts, scenes, intake, events),
versioned migrations, retention. `Cache` is what the rest of the program opens."""

from feeds.store.base import CacheFull
from feeds.store.cache import Cache, StoreResult
from feeds.store.database import StoreUnavailable

__all__ = ["Cache", "CacheFull", "StoreResult", "StoreUnavailable"]

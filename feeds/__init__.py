"""Feeds: sources, typed records, derived values and the offline cache (no Qt widgets)."""

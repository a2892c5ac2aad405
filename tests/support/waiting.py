"""The one way tests wait for something to happen: poll a condition until it holds, or fail saying what."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable


def wait_until(predicate: Callable[[], object], timeout_s: float = 10.0,
               what: str | Callable[[], str] = "the condition", interval_s: float = 0.02, app=None) -> object:
    """Poll `predicate` until it returns something truthy and return that; AssertionError after `timeout_s`.

    `what` says what was awaited, for the failure message; a callable is called only then (so it can show
    the state at that moment). Between polls Qt events are processed, so widgets and queued signals keep
    going, but only when a QApplication (`app`, else the running instance) exists: this never imports Qt,
    so tests of Qt-free code stay Qt-free.
    """
    deadline = time.monotonic() + timeout_s
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            break
        _process_events(app)
        time.sleep(interval_s)
    raise AssertionError(f"timed out after {timeout_s:g} s waiting for {what() if callable(what) else what}")


def _process_events(app) -> None:
    qtcore = sys.modules.get("PySide6.QtCore")
    if qtcore is None:  # Qt was never imported: nothing to process, and no reason to import it
        return
    app = app or qtcore.QCoreApplication.instance()
    if app is not None and app.thread() == qtcore.QThread.currentThread():  # events belong to the GUI thread
        app.processEvents()

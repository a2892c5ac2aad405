"""Shared fixtures: headless Qt with the bundled font and theme, a real Mosquitto, a temporary cache."""

from __future__ import annotations

import os

# Two 1920×1080 offscreen screens, so multi-screen placement and re-homing are exercised for real.
_SCREENS = os.path.join(os.path.dirname(__file__), "data", "offscreen_screens.json")
os.environ.setdefault("QT_QPA_PLATFORM", f"offscreen:configfile={_SCREENS}")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from tests.support.broker import Broker  # noqa: E402

# The SMTP server and HTTP servers of the notification tests (fixtures `mailbox`, `http_servers`).
pytest_plugins = ["tests.support.notify_peers"]


@pytest.fixture(autouse=True)
def _private_data_folder(tmp_path: Path, monkeypatch):
    """Accounts and audit databases (the per-user data folder) stay inside each test's own folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


@pytest.fixture
def broker(tmp_path: Path):
    server = Broker(tmp_path / "broker").start()
    yield server
    server.stop()


@pytest.fixture
def app(qapp):
    """The QApplication set up as the program sets it up (font, theme)."""
    from desktop.application import make_application

    return make_application([])


@pytest.fixture
def cache(tmp_path: Path):
    from feeds.store import Cache

    store = Cache(tmp_path / "cache.sqlite")
    yield store
    store.close()

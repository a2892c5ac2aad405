"""feeds is Qt-free (the import-linter contract), and so are its tests: none of them needs a QApplication."""

from __future__ import annotations

import sys

import pytest

QT_FIXTURES = {"app", "qapp", "qtbot", "qtlog", "qtmodeltester"}

def _qt_application() -> object | None:
    qtcore = sys.modules.get("PySide6.QtCore")  # never imported from here
    return qtcore.QCoreApplication.instance() if qtcore is not None else None


@pytest.fixture(autouse=True)
def _no_qt(request):
    """Fail a test of feeds that asks for Qt, creates a QApplication or imports Qt widgets.

    pytest-qt imports PySide6.QtWidgets when it starts, and with pytest-xdist an earlier test in the same
    worker may have created the QApplication: only what changes during this test is held against it."""
    asked = sorted(QT_FIXTURES & set(request.fixturenames))
    if asked:
        pytest.fail(f"a test of feeds asks for Qt fixtures {', '.join(asked)}: it belongs under tests/desktop "
                    "or tests/widgets", pytrace=False)
    widgets_before = "PySide6.QtWidgets" in sys.modules
    had_application = _qt_application() is not None
    yield
    if not widgets_before and "PySide6.QtWidgets" in sys.modules:
        pytest.fail("a test of feeds imported PySide6.QtWidgets", pytrace=False)
    if not had_application and _qt_application() is not None:
        pytest.fail("a test of feeds created a QApplication", pytrace=False)

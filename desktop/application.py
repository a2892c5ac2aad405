"""The Qt application as every role runs it: bundled fonts (Vietnamese coverage), theme, translations."""

from __future__ import annotations

import logging
import sys
from importlib import resources as importlib_resources
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from widgets.fleet.basemap_scheme import prepare_web_engine

log = logging.getLogger(__name__)
APP_NAME = "controlroom"


def resource_path(*parts: str) -> Path:
    return Path(str(importlib_resources.files("resources").joinpath(*parts)))


def load_fonts(app: QApplication) -> str:
    """Register the bundled Noto Sans (Vietnamese coverage); the offscreen platform has no system fonts."""
    family = ""
    for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        font_id = QFontDatabase.addApplicationFont(str(resource_path("fonts", name)))
        if font_id >= 0 and not family:
            family = QFontDatabase.applicationFontFamilies(font_id)[0]
    if family:
        app.setFont(QFont(family, 10))
    else:
        log.error("bundled font could not be loaded; Vietnamese text may show missing glyphs")
    return family


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Vietnamese is a translation of the English source strings; Qt's own strings too."""
    translators: list[QTranslator] = []
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if language == "vi" else QLocale.Language.English))
    if language != "vi":
        return translators
    ours = QTranslator(app)
    if ours.load(str(resource_path("i18n", "controlroom_vi.qm"))):
        translators.append(ours)
    else:
        log.error("Vietnamese translation file is missing; the interface stays in English")
    qt_own = QTranslator(app)
    if qt_own.load(QLocale(QLocale.Language.Vietnamese), "qtbase", "_",
                   QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        translators.append(qt_own)
    for translator in translators:
        app.installTranslator(translator)
    return translators


def make_application(argv: list[str]) -> QApplication:
    # Painting re-enters Python for every pyqtgraph item, and each re-entry waits for the GIL; with
    # feed threads busy, the default 5 ms switch interval turns one frame into hundreds of ms.
    sys.setswitchinterval(0.0005)
    prepare_web_engine()  # the map's tiles:// scheme: registered before the QApplication exists
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName("IOC")
    load_fonts(app)
    app.setStyleSheet(resource_path("themes", "dark.qss").read_text(encoding="utf-8"))
    return app

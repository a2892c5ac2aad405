"""One screen of a wall or leader terminal: a header and a grid of tiles; applies scenes pushed to it."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget

from desktop.config.layouts import ScreenLayout
from desktop.scenes import scene_target
from desktop.windows.tile_grid import TileGrid
from feeds.core.records import Alert, FeedStatus, LinkState, Severity
from feeds.store import Cache
from widgets.base.tile import TileContext

log = logging.getLogger(__name__)


class TerminalWindow(QWidget):
    signOutRequested = Signal()  # leader terminals: the person signed in leaves

    def __init__(self, terminal: str, screen: int, context: TileContext, cache: Cache, role: str = "wall",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.terminal = terminal
        self.role = role
        self.screen_index = screen
        self.context = context
        self.scene_name = ""
        self.layout: ScreenLayout | None = None
        self.applied_at: float | None = None
        self.setObjectName("terminal")
        self.setWindowTitle(f"controlroom — {self.target}")
        self.resize(1600, 900)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = QWidget()
        header.setObjectName("header")
        row = QHBoxLayout(header)
        row.setContentsMargins(16, 6, 16, 6)
        self.title_label = QLabel()
        self.title_label.setObjectName("screenTitle")
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.title_label, 1)
        row.addWidget(self.notice)
        self.user_label = QLabel()
        self.user_label.setObjectName("signedInUser")
        self.sign_out = QPushButton(self.tr("Sign out"))
        self.sign_out.setObjectName("signOutButton")
        self.sign_out.setMinimumHeight(48)  # a finger on the leaders' tablets
        self.sign_out.clicked.connect(self.signOutRequested)
        for widget in (self.user_label, self.sign_out):
            widget.setVisible(role != "wall")
            row.addWidget(widget)
        outer.addWidget(header)
        self.banner = QLabel()
        self.banner.setObjectName("alertBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        outer.addWidget(self.banner)
        self.grid = TileGrid(context, cache)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.grid)
        outer.addWidget(self.pages, 1)
        self.page_buttons = QHBoxLayout()
        row.insertLayout(1, self.page_buttons)
        self._statuses: dict[str, FeedStatus] = {}

    def add_page(self, title: str, widget: QWidget) -> None:
        """Another page beside the tile grid (the leader's meetings), each reached by a button in the header."""
        if not self.page_buttons.count():
            self._page_button(self.tr("Dashboard"), self.grid)
        self.pages.addWidget(widget)
        self._page_button(title, widget)

    def _page_button(self, title: str, widget: QWidget) -> None:
        button = QPushButton(title)
        button.setObjectName("pageButton")
        button.setCheckable(True)
        button.setAutoExclusive(True)
        button.setChecked(widget is self.pages.currentWidget())
        button.setMinimumHeight(48)
        button.clicked.connect(lambda: self.pages.setCurrentWidget(widget))
        self.page_buttons.addWidget(button)

    def show_page(self, widget: QWidget) -> None:
        self.pages.setCurrentWidget(widget)
        for i in range(self.page_buttons.count()):
            button = self.page_buttons.itemAt(i).widget()
            button.setChecked(i == self.pages.indexOf(widget))

    @property
    def target(self) -> str:
        return scene_target(self.terminal, self.screen_index)

    def apply(self, scene: str, layout: ScreenLayout) -> None:
        self.scene_name = scene
        self.layout = layout
        self.applied_at = time.time()
        title = layout.title_en if self.context.language == "en" and layout.title_en else layout.title
        self.title_label.setText(title or scene)
        self.grid.apply(layout, list(self._statuses.values()))
        log.info("%s shows scene %r (%d tiles)", self.target, scene, len(layout.tiles))

    def show_user(self, label: str) -> None:
        self.user_label.setText(label)

    def show_status(self, status: FeedStatus) -> None:
        self._statuses[status.feed] = status
        self.grid.show_status(status)
        down = sorted(name for name, s in self._statuses.items() if s.state != LinkState.CONNECTED)
        self.notice.setText(self.tr("no connection: %1 — showing last known data").replace("%1", ", ".join(down))
                            if down else "")

    def show_banner(self, alert: Alert | None, others: int, language: str) -> None:
        """The most serious unacknowledged alert across the top of the screen (hidden when there is none)."""
        if alert is None:
            self.banner.hide()
            return
        title = alert.title_en if language == "en" and alert.title_en else alert.title
        since = self.tr("since %1").replace("%1", time.strftime("%H:%M", time.localtime(alert.first_seen)))
        text = f"⚠ {severity_text(alert.severity)} — {title} — {since}"
        if alert.count > 1:
            text += f" (×{alert.count})"
        if others > 0:
            text += "   " + self.tr("+%1 more unacknowledged").replace("%1", str(others))
        self.banner.setText(text)
        self.banner.setProperty("severity", alert.severity.value)
        self.banner.style().unpolish(self.banner)
        self.banner.style().polish(self.banner)
        self.banner.show()


def severity_text(severity: Severity) -> str:
    names = {Severity.INFO: QCoreApplication.translate("severity", "INFO"),
             Severity.WARNING: QCoreApplication.translate("severity", "WARNING"),
             Severity.CRITICAL: QCoreApplication.translate("severity", "CRITICAL"),
             Severity.EMERGENCY: QCoreApplication.translate("severity", "EMERGENCY")}
    return names[severity]

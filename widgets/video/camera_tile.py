"""Camera tile: paints the newest frame a stream worker handed over, with the stream's health on top.

The tile never opens a stream: desktop/cameras.py binds a worker to it and calls `show_frame`/`show_health`
from the GUI thread. The tile only paints; it says when it is shown, hidden or resized (`viewChanged`), so the
binding can stop decoding for a hidden tile and pick the main or sub-stream for its size.
"""

from __future__ import annotations

import re
import time

from PySide6.QtCore import QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QImage, QPainter, QPen
from PySide6.QtWidgets import QMenu, QVBoxLayout, QWidget

from feeds.core.records import Measurement, Record
from feeds.video.frames import Frame, StreamHealth, StreamState
from widgets.base.registry import register_tile
from widgets.base.tile import Tile

SIGNAL_LOST = "MẤT TÍN HIỆU / SIGNAL LOST"  # bilingual on purpose, as operators know it
STATE_DOT = {StreamState.LIVE: "#3fb950", StreamState.CONNECTING: "#8b949e", StreamState.STALLED: "#d29922",
             StreamState.LOST: "#f85149", StreamState.ERROR: "#f85149"}


def _hms(ts: float) -> str:
    return time.strftime("%H:%M:%S", time.localtime(ts))


class VideoView(QWidget):
    """The picture: the newest frame fitted in the widget, greyed when the signal is lost, and the overlay."""

    def __init__(self, tile: CameraTile) -> None:
        super().__init__()
        self.tile = tile
        self.image: QImage | None = None
        self.grey: QImage | None = None
        self._buffer = None  # keeps the numpy array behind `image` alive
        self.frames_painted = 0
        self.painted_seq = 0
        self.paint_latencies: list[float] = []  # frame received → painted (s), for the bench
        self._pending: Frame | None = None
        self.setMinimumSize(64, 36)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_frame(self, frame: Frame) -> None:
        h, w = frame.image.shape[:2]
        self._buffer = frame.image
        self.image = QImage(frame.image.data, w, h, frame.image.strides[0], QImage.Format.Format_RGB32)
        self.grey = None
        self._pending = frame
        self.update()

    paint_s = 0.0  # all views: time spent painting (bench)

    def paintEvent(self, event) -> None:
        started = time.perf_counter()
        self._paint()
        VideoView.paint_s += time.perf_counter() - started

    def _paint(self) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#05070a"))
        tile = self.tile
        health = tile.health
        lost = health is not None and health.state in (StreamState.LOST, StreamState.ERROR)
        image = self.image
        if image is not None and lost:
            if self.grey is None:
                self.grey = image.convertToFormat(QImage.Format.Format_Grayscale8)
            image = self.grey
        if image is not None:
            iw, ih = image.width(), image.height()
            scale = min(self.width() / iw, self.height() / ih)
            target = QRectF((self.width() - iw * scale) / 2, (self.height() - ih * scale) / 2, iw * scale, ih * scale)
            if abs(scale - 1.0) < 0.01:
                painter.drawImage(int(target.x()), int(target.y()), image)
            else:
                painter.drawImage(target, image)
            if lost:
                painter.fillRect(self.rect(), QColor(0, 0, 0, 110))
        if self._pending is not None:
            self.frames_painted += 1
            self.painted_seq = self._pending.seq
            if len(self.paint_latencies) < 20000:
                self.paint_latencies.append(time.monotonic() - self._pending.grabbed_mono)
            self._pending = None
        self._overlay(painter, lost)
        painter.end()

    def _text_box(self, painter: QPainter, text: str, x: float, y: float, colour: str = "#ffffff",
                  align_right: bool = False) -> float:
        metrics = painter.fontMetrics()
        w, h = metrics.horizontalAdvance(text) + 12, metrics.height() + 4
        if align_right:
            x -= w
        painter.fillRect(QRectF(x, y, w, h), QColor(0, 0, 0, 150))
        painter.setPen(QColor(colour))
        painter.drawText(QRectF(x + 6, y + 2, w - 12, h - 4), Qt.AlignmentFlag.AlignVCenter, text)
        return h

    def _overlay(self, painter: QPainter, lost: bool) -> None:
        tile = self.tile
        health = tile.health
        font = QFont(painter.font())
        font.setPixelSize(max(11, min(18, self.height() // 18)))
        painter.setFont(font)
        state = health.state if health else StreamState.CONNECTING
        # live dot, state and measured frame rate, top right (the camera burns its own name in top left)
        metrics = painter.fontMetrics()
        dot = metrics.height() * 0.55
        label = tile.state_text()
        if health and health.state == StreamState.LIVE and tile.fps_shown:
            label += f" · {tile.fps_shown:.0f} fps"
        box_w = metrics.horizontalAdvance(label) + dot + 22
        x0 = self.width() - 6 - box_w
        painter.fillRect(QRectF(x0, 6, box_w, metrics.height() + 4), QColor(0, 0, 0, 150))
        painter.setBrush(QColor(STATE_DOT[state]))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QRectF(x0 + 6, 6 + (metrics.height() + 4 - dot) / 2, dot, dot))
        painter.setPen(QColor("#ffffff"))
        painter.drawText(QRectF(x0 + 12 + dot, 8, box_w, metrics.height()), Qt.AlignmentFlag.AlignVCenter, label)
        line = painter.fontMetrics().height() + 4
        y = self.height() - 6 - line
        stats = tile.stats_text()
        if stats:  # bottom right: the camera burns its clock in bottom left
            self._text_box(painter, stats, self.width() - 6, y, "#f0c674", True)
            y -= line + 2
        if tile.degraded:
            self._text_box(painter, tile.degraded, self.width() - 6, y, "#d29922", True)
        if lost or (health and health.state == StreamState.ERROR):
            big = QFont(font)
            big.setPixelSize(max(14, min(40, self.width() // 22)))
            big.setBold(True)
            painter.setFont(big)
            rect = QRectF(0, self.height() / 2 - big.pixelSize() * 1.6, self.width(), big.pixelSize() * 1.8)
            painter.setPen(QPen(QColor("#f85149")))
            headline = SIGNAL_LOST if state == StreamState.LOST else tile.tr("CAMERA ERROR")
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, headline)
            painter.setFont(font)
            painter.setPen(QColor("#e6edf3"))
            detail = tile.lost_text()
            painter.drawText(QRectF(8, rect.bottom(), self.width() - 16, font.pixelSize() * 4),
                             Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap,
                             detail)


@register_tile
class CameraTile(Tile):
    """Options: `camera` (a camera id from the configuration's [cameras]) or `cameras` (a list, cycled every
    `carousel_s` seconds). Key `traffic/#` (or `traffic/<camera>/#`) shows that intersection's statistics."""

    type_name = "camera"
    viewChanged = Signal()  # shown, hidden or resized: the binding re-decides what to decode
    cameraChanged = Signal(str)  # the carousel moved on
    clicked = Signal()
    maximiseRequested = Signal()

    def build(self, body: QWidget) -> None:
        opts = self.spec.options
        cameras = opts.get("cameras") or ([opts["camera"]] if opts.get("camera") else [])
        if not cameras or not all(isinstance(c, str) and c for c in cameras):
            raise ValueError("a camera tile needs options.camera or options.cameras (camera ids)")
        self.cameras: list[str] = list(cameras)
        self.index = 0
        self.display_names: dict[str, str] = {}
        self.health: StreamHealth | None = None
        self.stats: dict[str, dict[str, Measurement]] = {}
        self.degraded = ""
        self.fps_shown = 0.0
        self._shown_times: list[float] = []
        self.last_frame_ts: float | None = None
        self.stream_kind = ""  # "main" / "sub", set by the binding
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view = VideoView(self)
        layout.addWidget(self.view)
        self.layout().setContentsMargins(4, 4, 4, 2)
        self.carousel = QTimer(self)
        self.carousel.timeout.connect(self.next_camera)
        period = float(opts.get("carousel_s", 0) or 0)
        if len(self.cameras) > 1 and period > 0:
            self.carousel.start(int(period * 1000))
        self.freshness.setText(self.tr("connecting…"))

    # -- what is shown --
    @property
    def camera(self) -> str:
        return self.cameras[self.index]

    def title(self) -> str:
        return super().title() or self.spec.options.get("camera", "")

    def set_display_name(self, camera: str, name: str) -> None:
        self.display_names[camera] = name
        if (camera == self.camera and not (self.spec.title or self.spec.title_en)) or len(self.cameras) > 1:
            self.title_label.setText(self.display_names.get(self.camera, self.camera))

    def next_camera(self) -> None:
        self.index = (self.index + 1) % len(self.cameras)
        if self.display_names.get(self.camera):
            self.title_label.setText(self.display_names[self.camera])
        self.cameraChanged.emit(self.camera)
        self.view.update()

    def show_frame(self, frame: Frame) -> None:
        self.view.set_frame(frame)
        self.last_frame_ts = frame.ts
        now = time.monotonic()
        self._shown_times.append(now)
        while self._shown_times and now - self._shown_times[0] > 2.0:
            del self._shown_times[0]

    def show_health(self, health: StreamHealth) -> None:
        old = self.health
        self.health = health
        if health.state == StreamState.ERROR and (old is None or old.state != StreamState.ERROR):
            self.setProperty("state", "stale")
            self.style().unpolish(self)
            self.style().polish(self)
        elif health.state == StreamState.LIVE and self.property("state") != "live":
            self.setProperty("state", "live")
            self.style().unpolish(self)
            self.style().polish(self)
        self.refresh_age(time.time())

    def state_text(self) -> str:
        name = self.display_names.get(self.camera, "")
        state = self.health.state if self.health else StreamState.CONNECTING
        words = {StreamState.LIVE: self.tr("LIVE"), StreamState.CONNECTING: self.tr("connecting…"),
                 StreamState.STALLED: self.tr("stalled"), StreamState.LOST: self.tr("signal lost"),
                 StreamState.ERROR: self.tr("error")}
        return f"{words[state]}" if not name or name == self.title_label.text() else f"{words[state]} · {name}"

    def lost_text(self) -> str:
        health = self.health
        if health is None:
            return ""
        if health.state == StreamState.ERROR:
            return self.tr("Cannot show camera: %1").replace("%1", health.detail)
        lines = [self.tr("lost at %1").replace("%1", _hms(health.since))]
        if self.last_frame_ts:
            lines.append(self.tr("last picture %1").replace("%1", _hms(self.last_frame_ts)))
        lines.append(self.tr("reconnecting…"))
        return " · ".join(lines)

    def stats_text(self) -> str:
        values = self.stats.get(self.camera, {})
        parts = []
        if "violations" in values:
            parts.append(self.tr("violations %1").replace("%1", f"{values['violations'].value:.0f}"))
        if "flow" in values:
            parts.append(self.tr("flow %1 veh/h").replace("%1", f"{values['flow'].value:.0f}"))
        return " · ".join(parts)

    # -- records (traffic statistics) --
    def wants(self, record: Record) -> bool:
        return isinstance(record, Measurement) and record.key.startswith("traffic/") and \
            record.key.split("/")[1] in self.cameras and (not self.spec.feed or record.source == self.spec.feed)

    def show_records(self, records: list[Record]) -> None:
        for record in records:
            if isinstance(record, Measurement):
                parts = record.key.split("/")
                if len(parts) >= 3:
                    self.stats.setdefault(parts[1], {})[parts[-1]] = record
        self.view.update()

    def refresh_age(self, now: float) -> None:
        mono = time.monotonic()
        times = [t for t in self._shown_times if mono - t <= 2.0]
        self.fps_shown = (len(times) - 1) / (times[-1] - times[0]) if len(times) > 2 and times[-1] - times[0] > 0.8 \
            else 0.0
        health = self.health
        if health is None or health.state == StreamState.CONNECTING:
            text = self.tr("connecting…")
        elif self.last_frame_ts:
            text = self.tr("last frame %1").replace("%1", _hms(self.last_frame_ts))
            if health.state == StreamState.LIVE and self.fps_shown:
                text += f" · {self.fps_shown:.0f} fps"
        else:
            text = self.tr("no picture yet")
        if self.stream_kind:
            text += " · " + (self.tr("main stream") if self.stream_kind == "main" else self.tr("sub-stream"))
        if self.freshness.text() != text:
            self.freshness.setText(text)
        self.view.update()

    # -- evidence --
    def snapshot(self) -> tuple[QImage, str] | None:
        """The newest frame (as received, not greyed, no overlay) and a timestamped PNG file name for it;
        the application writes the file."""
        if self.view.image is None or self.last_frame_ts is None:
            return None
        safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", self.camera)
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.last_frame_ts))
        return self.view.image.copy(), f"{safe}-{stamp}-{int(self.last_frame_ts * 1000) % 1000:03d}.png"

    # -- events --
    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.viewChanged.emit()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self.viewChanged.emit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.viewChanged.emit()

    def mouseReleaseEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        self.maximiseRequested.emit()

    def contextMenuEvent(self, event) -> None:
        menu = QMenu(self)
        menu.addAction(QAction(self.tr("Maximise / restore"), menu, triggered=self.maximiseRequested.emit))
        snap = QAction(self.tr("Snapshot (PNG)"), menu)
        snap.triggered.connect(lambda: getattr(self, "snapshot_requested", lambda: None)())  # noqa: PLW0108 (set later)
        menu.addAction(snap)
        menu.exec(event.globalPos())

    def video_size(self) -> tuple[int, int]:
        return self.view.width(), self.view.height()

    def on_screen(self) -> bool:
        """Visible, in a window that is not minimised, and not covered by a maximised tile."""
        window = self.window()
        return self.isVisible() and not window.isMinimized() and not self.visibleRegion().isEmpty()

"""Binds camera tiles to stream workers: one worker per shown tile, stopped when the tile is hidden; the grid
uses the sub-stream, a maximised tile or one larger than the sub-stream uses the main stream; a whole-wall
decode budget degrades tiles (lower frame rate, then sub-stream, then a still every few seconds)."""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QComboBox, QDockWidget, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop.config.layouts import ScreenLayout
from desktop.scenes import make_push
from desktop.windows.tile_grid import TileGrid
from feeds.identity.roles import Target
from feeds.video.config import CameraConfig
from feeds.video.frames import Frame, StreamHealth, StreamState
from feeds.video.streams import VideoStream
from widgets.base.registry import create_tile
from widgets.base.spec import TileSpec
from widgets.video.camera_tile import CameraTile

log = logging.getLogger(__name__)

# Degradation levels of the wall decode budget: (display fps of grid tiles, force sub-stream, still period s)
LEVELS = ((25.0, False, 0.0), (10.0, False, 0.0), (10.0, True, 0.0), (0.0, True, 5.0))


class _Bridge(QObject):
    """Worker thread → GUI thread, newest frame only: at most one delivery is ever pending."""

    frameReady = Signal()
    healthReady = Signal(object)

    def __init__(self, tile: CameraTile) -> None:
        super().__init__()
        self.tile = tile
        self.closed = False
        self._lock = threading.Lock()
        self._newest: Frame | None = None
        self._pending = False
        self.dropped = 0  # frames replaced before the GUI took them
        self.frameReady.connect(self._deliver)
        self.healthReady.connect(self._health)

    def on_frame(self, frame: Frame) -> None:  # worker thread
        with self._lock:
            if self._newest is not None:
                self.dropped += 1
            self._newest = frame
            send, self._pending = not self._pending, True
        if send and not self.closed:
            self.frameReady.emit()

    def on_health(self, health: StreamHealth) -> None:  # worker or watchdog thread
        if not self.closed:
            self.healthReady.emit(health)

    @Slot()
    def _deliver(self) -> None:
        with self._lock:
            frame, self._newest, self._pending = self._newest, None, False
        if frame is not None and not self.closed:
            self.tile.show_frame(frame)

    @Slot(object)
    def _health(self, health: StreamHealth) -> None:
        if not self.closed:
            self.tile.show_health(health)


class _Binding:
    def __init__(self, tile: CameraTile, camera: str, address: str, kind: str, stream: VideoStream,
                 bridge: _Bridge) -> None:
        self.tile, self.camera, self.address, self.kind, self.stream, self.bridge = \
            tile, camera, address, kind, stream, bridge

    def close(self) -> None:
        self.bridge.closed = True
        self.stream.stop()


class CameraManager(QObject):
    """Owns every stream worker of this process; tiles come from the grids it is attached to."""

    levelChanged = Signal(int)
    healthChanged = Signal(str, object)  # camera id, StreamHealth of one of its streams

    def __init__(self, cameras: dict[str, CameraConfig], language: str = "vi", snapshot_dir: Path | None = None,
                 open_timeout_s: float = 5.0, read_timeout_s: float = 2.5, budget: bool = True,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cameras = cameras
        self.language = language
        self.snapshot_dir = snapshot_dir or Path.home() / "controlroom-snapshots"
        self.open_timeout_s = open_timeout_s
        self.read_timeout_s = read_timeout_s
        self.grids: list[TileGrid] = []
        self.bindings: dict[int, _Binding] = {}  # id(tile) → binding
        self.tiles: dict[int, CameraTile] = {}
        self.level = 0
        self.budget = budget
        # Bindings whose stream was stopped, kept until their worker thread has ended: a bridge (a QObject)
        # must never lose its last reference in a worker thread, whose end would then destroy it there while
        # the GUI thread delivers its queued frames (a SIGSEGV seen in the tests' event processing).
        self.retired: list[_Binding] = []
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self.refresh)
        self._budget_timer = QTimer(self)
        self._budget_timer.timeout.connect(self._check_budget)
        self._budget_timer.start(1000)
        self._last_check = (time.monotonic(), time.process_time())
        self._hot, self._cool = 0, 0
        self.hotspot: HotspotPane | None = None

    # -- attaching --
    def attach(self, grid: TileGrid) -> None:
        self.grids.append(grid)
        grid.tilesChanged.connect(lambda g=grid: self._scan(g))
        self._scan(grid)

    def _scan(self, grid: TileGrid) -> None:
        for tile in grid.tiles:
            if isinstance(tile, CameraTile) and id(tile) not in self.tiles:
                self.add_tile(tile, grid)
        self.schedule()

    def add_tile(self, tile: CameraTile, grid: TileGrid | None = None) -> None:
        self.tiles[id(tile)] = tile
        for camera in tile.cameras:
            config = self.cameras.get(camera)
            if config is not None:
                tile.set_display_name(camera, config.title(self.language))
        tile.viewChanged.connect(self.schedule)
        tile.cameraChanged.connect(lambda _c: self.schedule(0))
        key = id(tile)
        tile.destroyed.connect(lambda _o=None: self._forget(key))
        tile.snapshot_requested = lambda t=tile: self.snapshot(t)
        if grid is not None:
            tile.maximiseRequested.connect(lambda t=tile, g=grid: (g.maximise(t), self.schedule(0)))
            tile.clicked.connect(lambda t=tile, g=grid: self._clicked(t, g))

    def _forget(self, key: int) -> None:
        self.tiles.pop(key, None)
        binding = self.bindings.pop(key, None)
        if binding is not None:
            self._retire(binding)

    def _retire(self, binding: _Binding) -> None:
        binding.close()
        self.retired = [b for b in self.retired if b.stream.alive()]
        self.retired.append(binding)

    def schedule(self, delay_ms: int = 30) -> None:
        """Re-decide soon (coalesces the bursts of show/resize events of a layout change)."""
        self._refresh_timer.start(delay_ms)

    # -- deciding what each tile decodes --
    def choose(self, tile: CameraTile, grid_maximised: bool) -> tuple[str, str] | None:
        """(address, "main"/"sub") for the tile's current camera, or None for an unknown camera."""
        config = self.cameras.get(tile.camera)
        if config is None:
            return None
        _fps, force_sub, _still = LEVELS[self.level]
        w, h = tile.video_size()
        big = grid_maximised or w > config.sub_size[0] * 1.1 or h > config.sub_size[1] * 1.1
        if config.sub and (not big or (force_sub and not grid_maximised)):
            return config.sub, "sub"
        return config.main, "main"

    def refresh(self) -> None:
        for key, tile in list(self.tiles.items()):
            try:
                shown = tile.on_screen()
            except RuntimeError:  # deleted underneath us
                self._forget(key)
                continue
            binding = self.bindings.get(key)
            if not shown:
                if binding is not None:
                    self._retire(self.bindings.pop(key))
                continue
            maximised = any(g.maximised is tile for g in self.grids) or tile is getattr(self.hotspot, "tile", None)
            choice = self.choose(tile, maximised)
            if choice is None:
                if binding is not None:
                    self._retire(self.bindings.pop(key))
                tile.show_health(StreamHealth("", StreamState.ERROR, time.time(),
                                              detail=f"unknown camera {tile.camera!r}"))
                continue
            address, kind = choice
            fps, _sub, still = LEVELS[self.level] if not maximised else LEVELS[0]
            size = tile.video_size()
            if binding is not None and binding.address == address and binding.camera == tile.camera \
                    and binding.stream.still_every_s == still:
                binding.stream.set_size(size)
                binding.stream.set_fps(fps or 1.0)
                continue
            if binding is not None:
                self._retire(binding)  # the tile keeps the old picture until the new stream's first frame
            bridge = _Bridge(tile)
            bridge.healthReady.connect(lambda health, camera=tile.camera: self.healthChanged.emit(camera, health))
            stream = VideoStream(address, bridge.on_frame, bridge.on_health, size=size, fps=fps or 1.0,
                                 open_timeout_s=self.open_timeout_s, read_timeout_s=self.read_timeout_s,
                                 still_every_s=still, name=self.cameras[tile.camera].name,
                                 threads=2 if maximised else 1)
            self.bindings[key] = _Binding(tile, tile.camera, address, kind, stream, bridge)
            tile.stream_kind = kind
            tile.degraded = self.notice() if not maximised else ""
            stream.start()
            log.info("camera %s: decoding %s stream %s at %dx%d", tile.camera, kind, address, *size)
        for binding in self.bindings.values():
            binding.tile.degraded = self.notice() if binding.tile.stream_kind and not any(
                g.maximised is binding.tile for g in self.grids) else ""

    def notice(self) -> str:
        if self.level == 0:
            return ""
        words = {1: self.tr("reduced frame rate (wall overloaded)"), 2: self.tr("sub-stream (wall overloaded)"),
                 3: self.tr("still every %1 s (wall overloaded)").replace("%1", f"{LEVELS[3][2]:g}")}
        return words[self.level]

    def set_level(self, level: int) -> None:
        level = max(0, min(len(LEVELS) - 1, level))
        if level != self.level:
            log.warning("video wall decode budget: level %d → %d", self.level, level)
            self.level = level
            self.levelChanged.emit(level)
            self.refresh()

    def _check_budget(self) -> None:
        now, cpu = time.monotonic(), time.process_time()
        wall, used = now - self._last_check[0], cpu - self._last_check[1]
        self._last_check = (now, cpu)
        self.refresh()  # catches what sends no event to the tiles: a minimised or restored window
        if not self.budget or not self.bindings or wall <= 0:
            return
        lag = wall - 1.0  # how late this one-second timer fired: the GUI thread's backlog
        load = used / (wall * (os.cpu_count() or 1))
        if load > 0.9 or lag > 0.3:
            self._hot, self._cool = self._hot + 1, 0
        elif load < 0.5 and lag < 0.1:
            self._cool, self._hot = self._cool + 1, 0
        else:
            self._hot = self._cool = 0
        if self._hot >= 3:
            self._hot = 0
            self.set_level(self.level + 1)
        elif self._cool >= 10 and self.level:
            self._cool = 0
            self.set_level(self.level - 1)

    # -- operator features --
    def _clicked(self, tile: CameraTile, grid: TileGrid) -> None:
        if self.hotspot is not None and grid is self.hotspot.source_grid:
            self.hotspot.show_camera(tile.camera)

    def snapshot(self, tile: CameraTile) -> Path | None:
        """Write the tile's newest frame as a timestamped PNG in the snapshot folder."""
        taken = tile.snapshot()
        if taken is None:
            log.warning("snapshot of %s: no picture yet", tile.camera)
            return None
        image, name = taken
        path = self.snapshot_dir / name
        try:
            self.snapshot_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            log.error("snapshot of %s: cannot create %s: %s", tile.camera, self.snapshot_dir, exc)
            return None
        if not image.save(str(path)):
            log.error("snapshot of %s: could not write %s", tile.camera, path)
            return None
        log.info("snapshot of %s saved as %s", tile.camera, path)
        return path

    def attach_operator(self, window) -> HotspotPane:
        """The hotspot pane of the operator console: a click on a camera tile shows it large there."""
        self.hotspot = HotspotPane(self, window)
        return self.hotspot

    def decoding(self) -> dict[str, str]:
        """camera → stream kind, for every tile that currently decodes."""
        return {b.camera: b.kind for b in self.bindings.values()}

    def stop(self) -> None:
        """Stop every worker; they stay referenced here (see `retired`) until `join` sees them end."""
        for binding in self.bindings.values():
            self._retire(binding)
        self.bindings.clear()
        self._budget_timer.stop()

    def join(self, timeout_s: float = 5.0) -> bool:
        """Wait for every worker thread to end (after stop or retirement); True when all did."""
        deadline = time.monotonic() + timeout_s
        streams = [b.stream for b in (*self.retired, *self.bindings.values())]
        for stream in streams:
            stream.stop(max(0.01, deadline - time.monotonic()))
        return not any(s.alive() for s in streams)


class HotspotPane(QDockWidget):
    """Operator console dock: the clicked camera large, a snapshot button and push-to-wall."""

    def __init__(self, manager: CameraManager, window) -> None:
        super().__init__(window.tr("Hotspot"), window)
        self.setObjectName("hotspot")
        self.manager = manager
        self.window_ = window
        self.source_grid: TileGrid = window.grid
        self.tile: CameraTile | None = None
        body = QWidget()
        self.box = QVBoxLayout(body)
        self.box.setContentsMargins(4, 4, 4, 4)
        self.placeholder = QLabel(self.tr("Click a camera to show it here"))
        self.box.addWidget(self.placeholder, 1)
        row = QHBoxLayout()
        self.snap_button = QPushButton(self.tr("Snapshot"))
        self.snap_button.clicked.connect(self.snapshot)
        self.target_box = QComboBox()
        self.target_box.addItems(list((getattr(window, "target_box", None) and
                                      [window.target_box.itemText(i) for i in range(window.target_box.count())])
                                      or []))
        push = QPushButton(self.tr("Push camera"))
        push.clicked.connect(lambda: self.push(self.target_box.currentText()))
        row.addWidget(self.snap_button)
        row.addStretch(1)
        row.addWidget(self.target_box)
        row.addWidget(push)
        self.box.addLayout(row)
        self.setWidget(body)
        self.setMinimumWidth(480)
        window.addDockWidget(Qt_right(), self)
        log_dock = window.findChild(QDockWidget, "sceneLog")
        if log_dock is not None:  # a tab beside the scene log; it comes to the front when a camera is clicked
            window.tabifyDockWidget(log_dock, self)
            log_dock.raise_()

    def show_camera(self, camera: str) -> None:
        if self.tile is not None:
            self.box.removeWidget(self.tile)
            self.tile.hide()
            self.tile.deleteLater()
        self.placeholder.hide()
        self.show()
        self.raise_()
        config = self.manager.cameras.get(camera)
        spec = TileSpec(type="camera", title=config.name if config else camera,
                        title_en=config.name_en if config else "", key="traffic/#", options={"camera": camera})
        self.tile = create_tile(spec, self.window_.context)
        self.box.insertWidget(0, self.tile, 1)
        self.manager.add_tile(self.tile)
        self.manager.schedule(0)

    def snapshot(self) -> Path | None:
        return self.manager.snapshot(self.tile) if self.tile is not None else None

    def camera_layout(self) -> ScreenLayout | None:
        if self.tile is None:
            return None
        spec = replace(self.tile.spec, row=0, col=0)
        return ScreenLayout(name=f"camera-{self.tile.camera}", title=spec.title, title_en=spec.title_en,
                            rows=1, cols=1, tiles=(spec,))

    def push(self, target: str) -> None:
        """Send the hotspot's camera, full screen, to a wall screen (a one-tile scene)."""
        layout = self.camera_layout()
        window = self.window_
        if layout is None or not target or not window.permitted("scene.push", Target(screen=target)):
            return
        command = make_push(layout.name, layout, target, window.user)
        window.pushRequested.emit(command)
        window.cache.log_scene("push", command.scene, target, window.user, command.ts)
        window._log_line(command.ts, "push", command.scene, target, window.user)


def Qt_right():
    from PySide6.QtCore import Qt

    return Qt.DockWidgetArea.RightDockWidgetArea

"""The GUI's responsiveness under load: the longest gap between runs of a 5 ms timer, beyond its period."""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QTimer


class StallMeter:
    """Start it in the GUI thread; `max_ms` is the worst stall of the event loop since."""

    def __init__(self, period_ms: int = 5) -> None:
        self.period_ms = period_ms
        self.max_ms = 0.0
        self._clock = QElapsedTimer()
        self._last = 0
        self._timer = QTimer()
        self._timer.timeout.connect(self._beat)

    def _beat(self) -> None:
        now = self._clock.elapsed()
        if self._last:
            self.max_ms = max(self.max_ms, now - self._last - self.period_ms)
        self._last = now

    def start(self) -> None:
        self._clock.start()
        self._timer.start(self.period_ms)

    def stop(self) -> None:
        self._timer.stop()

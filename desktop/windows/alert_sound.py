"""The audible alarm for new critical and emergency alerts; silent (never failing) without an audio device."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QObject, QUrl

from feeds.core.records import Severity

log = logging.getLogger(__name__)

AUDIBLE = {Severity.CRITICAL: 1, Severity.EMERGENCY: 3}  # severity → times the sound is played


def default_sound() -> Path:
    return Path(str(resources.files("resources").joinpath("sounds", "alert.wav")))


class AlertSound(QObject):
    """Plays the alert sound for critical (once) and emergency (three times) alerts.

    `played` counts the requests that would sound, whether or not an audio device exists, so tests and
    the status bar can tell the alarm was raised on a headless machine too.
    """

    def __init__(self, path: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.played = 0
        self._muted = False
        self._effect = self._make_effect(path or default_sound())

    def _make_effect(self, path: Path):
        try:
            from PySide6.QtMultimedia import QMediaDevices, QSoundEffect

            if QMediaDevices.defaultAudioOutput().isNull():
                raise RuntimeError("no audio output device")
            if not path.is_file():
                raise FileNotFoundError(path)
            effect = QSoundEffect(self)
            effect.setSource(QUrl.fromLocalFile(str(path)))
            return effect
        except Exception as error:
            log.warning("alert sound unavailable, alerts stay silent: %s", error)
            return None

    @property
    def available(self) -> bool:
        return self._effect is not None

    @property
    def muted(self) -> bool:
        return self._muted

    @muted.setter
    def muted(self, value: bool) -> None:
        self._muted = bool(value)
        if self._effect is not None and self._muted:
            self._effect.stop()

    def play(self, severity: Severity) -> bool:
        """Sound the alarm for `severity`; True if it counts as played (audible severity, not muted)."""
        loops = AUDIBLE.get(Severity(severity), 0)
        if not loops or self._muted:
            return False
        self.played += 1
        if self._effect is not None:
            self._effect.setLoopCount(loops)
            self._effect.play()
        return True

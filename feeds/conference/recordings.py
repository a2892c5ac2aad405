"""A room's recordings, kept on premises: Janus's recorder writes each publisher's audio and video as .mjr files
into [conference] recordings; this lists them with who and when, and turns one into a file any player opens
(`janus-pp-rec`, Debian's janus-tools).

The program's members ask Janus to name their files `room-ROOM-NAME-MICROSECONDS-KIND-MINDEX.mjr` (NAME the display
name, percent-encoded), so a listing says who spoke; other clients' files keep Janus's own
`videoroom-ROOM-user-ID-MICROSECONDS-KIND-MINDEX.mjr`."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote

OURS = re.compile(r"^room-(\d+)-(.+)-(\d{10,})-(audio|video|data)-(\d+)\.mjr$")
JANUS = re.compile(r"^videoroom-(\d+)-user-(\d+)-(\d{10,})-(audio|video|data)-(\d+)\.mjr$")
EXTENSIONS = {"video": ".webm", "audio": ".opus"}


class RecordingError(RuntimeError):
    pass


@dataclass(frozen=True)
class Recording:
    path: Path
    room: int
    participant: str  # the display name (or "#ID" for a client that is not ours)
    kind: str  # audio or video
    started: float  # epoch seconds
    size: int  # bytes

    def describe(self) -> str:
        import datetime

        when = datetime.datetime.fromtimestamp(self.started).strftime("%H:%M:%S %d/%m/%Y")
        kind = "hình" if self.kind == "video" else "tiếng"
        return f"{self.path.name} — {self.participant}, {kind}, từ {when}, {self.size / 1e6:.1f} MB"


def recording_base(room: int, display: str, now: float) -> str:
    """What a member asks Janus to call its recordings (Janus adds -KIND-MINDEX.mjr)."""
    return f"room-{room}-{quote(display, safe='')}-{int(now * 1_000_000)}"


def parse_name(path: Path) -> Recording | None:
    ours, janus = OURS.match(path.name), JANUS.match(path.name)
    found = ours or janus
    if found is None:
        return None
    room, who, micros, kind, _ = found.groups()
    participant = unquote(who) if ours else f"#{who}"
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return Recording(path, int(room), participant, kind, int(micros) / 1_000_000, size)


def list_recordings(folder: Path, room: int | None = None) -> list[Recording]:
    """The .mjr files in FOLDER (of ROOM only, if given), oldest first; a folder not there yet holds none."""
    if not folder.is_dir():
        return []
    found = [r for r in (parse_name(p) for p in folder.glob("*.mjr")) if r is not None]
    return sorted((r for r in found if room is None or r.room == room), key=lambda r: (r.started, r.path.name))


def convert(recording: Recording, out_dir: Path, timeout_s: float = 300) -> Path:
    """RECORDING as .webm (video) or .opus (audio) in OUT_DIR, made by janus-pp-rec; RecordingError if it cannot."""
    tool = shutil.which("janus-pp-rec")
    if tool is None:
        raise RecordingError("janus-pp-rec is not installed (Debian package janus-tools)")
    if recording.kind not in EXTENSIONS:
        raise RecordingError(f"{recording.path.name}: only audio and video are converted")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / (recording.path.stem + EXTENSIONS[recording.kind])
    try:
        done = subprocess.run([tool, str(recording.path), str(target)], check=False, capture_output=True, text=True,
                              timeout=timeout_s)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RecordingError(f"{recording.path.name}: janus-pp-rec failed: {exc}") from exc
    if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
        raise RecordingError(f"{recording.path.name}: janus-pp-rec failed: {(done.stderr or done.stdout)[-300:]}")
    return target

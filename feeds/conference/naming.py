"""Who a participant is, from the display name they join Janus with.

Janus 1.1 (Debian 12) carries no metadata with a participant, only a display name, and tells the room when it
changes. The program's members therefore join as "Tên — Đơn vị", add " · mic tắt" / " · camera tắt" while their
microphone or camera is off, and share content as a second participant "Trình chiếu: Tên — Đơn vị". The name stays
readable in any other client (a browser shows exactly that); a display name that follows none of it is a name."""

from __future__ import annotations

from dataclasses import dataclass

UNIT = " — "
MIC_OFF = " · mic tắt"
CAMERA_OFF = " · camera tắt"
PRESENTING = "Trình chiếu: "


@dataclass(frozen=True)
class Who:
    name: str
    unit: str = ""
    mic_off: bool = False
    camera_off: bool = False
    presentation: bool = False  # a shared screen, window or paper, not a person's camera


def display_for(who: Who) -> str:
    text = (PRESENTING if who.presentation else "") + who.name + (UNIT + who.unit if who.unit else "")
    return text + (MIC_OFF if who.mic_off else "") + (CAMERA_OFF if who.camera_off else "")


def parse_display(display: str) -> Who:
    text = display.strip()
    flags = {}
    for marker in (CAMERA_OFF, MIC_OFF):
        flags[marker] = text.endswith(marker)
        if flags[marker]:
            text = text[: -len(marker)]
    presentation = text.startswith(PRESENTING)
    if presentation:
        text = text[len(PRESENTING):]
    name, _, unit = text.partition(UNIT)
    return Who(name.strip() or display, unit.strip(), flags[MIC_OFF], flags[CAMERA_OFF], presentation)

"""A leader's tablet in a conference test, run inside the test's network namespace: the program's call panel and
controller (offscreen), signed in as PRINCIPAL with the real permission rules; it taps Join, sends its camera and
a test tone, turns the microphone off half-way, shares its screen if asked, screenshots the panel and writes
what it saw."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True, help="janus://host:port/room/N")
    parser.add_argument("--role", default="leader")
    parser.add_argument("--camera", default="sim://camera/1")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--share", action="store_true")
    parser.add_argument("--shot", type=Path, required=True)
    parser.add_argument("--stats", type=Path, required=True)
    args = parser.parse_args()

    from PySide6.QtWidgets import QApplication

    from desktop.conference.call import CallController
    from feeds.conference.naming import Who
    from feeds.conference.settings import parse_conference
    from feeds.core.config import SectionContext
    from feeds.identity.roles import Principal, Role, authorize
    from feeds.identity.settings import IdentitySettings
    from widgets.conference.call_panel import CallPanel

    app = QApplication([])
    settings = parse_conference({"rooms": {"xa": {"address": args.address, "description": "Phường Hải Lĩnh"}},
                                 "camera": args.camera, "microphone": "tone://"}, SectionContext("site.toml"))
    principal = Principal("lanhdao", Role(args.role), "tinh", "Lãnh đạo tỉnh")
    units = IdentitySettings().units
    checked: list[str] = []

    def check(action, target):
        checked.append(action)
        return authorize(principal, action, target, units)

    panel = CallPanel([("xa", "Phường Hải Lĩnh")])
    panel.resize(1280, 800)
    panel.show()
    call = CallController(panel, settings, lambda: Who("Lãnh đạo tỉnh", "UBND tỉnh"), check, "vi")
    panel.join.click()
    began = time.time()
    toggled = shared = False
    while time.time() < began + args.seconds:
        app.processEvents()
        time.sleep(0.01)
        if not toggled and time.time() > began + args.seconds / 2:
            panel.microphone.click()  # off
            toggled = True
        if args.share and not shared and time.time() > began + args.seconds / 3:
            panel.share.click()
            shared = True
    panel.grab().save(str(args.shot))
    seats = {str(i): {"name": s.who.name, "unit": s.who.unit, "frames": s.frames}
             for i, s in panel.view.seats.items()}
    stats = {"seats": seats, "status": panel.status.text(), "checked": checked, "chair": call.chair,
             "state": call.member.state if call.member else "", "self_view": panel.self_view.isVisible(),
             "chair_buttons": panel.mute.isVisible()}
    call.stop()
    args.stats.write_text(json.dumps(stats, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Janus's configuration for the site's rooms, written by the program (`controlroom conference janus-config`).

Only the VideoRoom plugin and the HTTP transport are loaded (their libraries linked into private folders), the
HTTP API listens where it is told, and each room of [conference] gets its moderation secret and PIN from the
secrets store: the files hold them, so they are written 0600."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from feeds.conference.settings import ConferenceSettings

LIBRARIES = Path("/usr/lib/x86_64-linux-gnu/janus")
PLUGINS = ("libjanus_videoroom.so",)
TRANSPORTS = ("libjanus_http.so",)


@dataclass(frozen=True)
class JanusListen:
    host: str = "127.0.0.1"
    port: int = 8088
    rtp_ports: tuple[int, int] = (20000, 40000)


def _value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)  # libconfig strings: double quotes, backslash escapes


def _block(name: str, values: dict[str, object]) -> str:
    return f"{name}: {{\n" + "".join(f"    {k} = {_value(v)}\n" for k, v in values.items()) + "}\n"


def _write(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def write_janus_config(folder: Path, settings: ConferenceSettings, listen: JanusListen,
                       secret: Callable[[str], str | None], libraries: Path = LIBRARIES) -> Path:
    """Write the configuration into FOLDER; the path to pass as `janus -C … -F FOLDER`."""
    for sub in ("plugins", "transports", "empty"):
        (folder / sub).mkdir(parents=True, exist_ok=True)
    for sub, names in (("plugins", PLUGINS), ("transports", TRANSPORTS)):
        for name in names:
            source, link = libraries / sub / name, folder / sub / name
            if not source.exists():
                raise FileNotFoundError(f"{source} is missing: install Debian's janus package")
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(source)
    _write(folder / "janus.jcfg", _block("general", {
        "configs_folder": str(folder), "plugins_folder": str(folder / "plugins"),
        "transports_folder": str(folder / "transports"), "events_folder": str(folder / "empty"),
        "loggers_folder": str(folder / "empty"), "debug_level": 4, "session_timeout": 60,
    }) + _block("media", {"rtp_port_range": f"{listen.rtp_ports[0]}-{listen.rtp_ports[1]}"})
        + _block("nat", {"nice_debug": False}))
    _write(folder / "janus.transport.http.jcfg", _block("general", {
        "json": "compact", "base_path": "/janus", "http": True, "port": listen.port, "ip": listen.host,
        "https": False}) + _block("admin", {"admin_http": False}))
    rooms = []
    for room in settings.rooms.values():
        values: dict[str, object] = {"description": room.description, "publishers": room.publishers,
                                     "audiolevel_event": True, "audio_active_packets": 15,
                                     "audio_level_average": 40, "notify_joining": True, "record": room.record}
        moderation = secret(room.secret_name)
        if moderation:
            values["secret"] = moderation
        pin = secret(room.pin_name)
        if pin:
            values["pin"] = pin
        if room.record and settings.recordings is not None:
            settings.recordings.mkdir(parents=True, exist_ok=True)
            values["rec_dir"] = str(settings.recordings)
        rooms.append(_block(f"room-{room.address.room}", values))
    _write(folder / "janus.plugin.videoroom.jcfg", _block("general", {}) + "".join(rooms))
    return folder / "janus.jcfg"

"""AIS NMEA 0183 (``!AIVDM``/``!AIVDO``) as a feed, decoded with pyais via `feeds.fleet.ais.AisDecoder`.

- ``ais+tcp://host:port`` — a TCP client of an AIS receiver or aggregator; reconnects with back-off.
- ``ais+udp://bind-host:port`` — datagrams sent to this machine (one or more lines each).
- ``ais+file:///path/to/log.nmea`` — a recorded file, read once (``follow = true``: keep reading
  what is appended, like ``tail -f``).

Positions become `VesselPosition` records keyed ``vessel/<MMSI>``; static data (names, lengths; AIS
types 5, 19, 24) is remembered and carried on that vessel's next positions. Unavailable positions
(91°/181°), out-of-range ones and 0,0 are rejected by the decoder and never drawn.
"""

from __future__ import annotations

import logging
import socket
from pathlib import Path
from typing import ClassVar
from urllib.parse import unquote

from feeds.core.records import LinkState
from feeds.fleet.ais import AisDecoder, VesselReport, VesselStatic
from feeds.fleet.records import VesselPosition, vessel_key
from feeds.sources.base import Option, ThreadedSource, register

log = logging.getLogger(__name__)
MAX_LINE = 4096


@register
class AisStreamSource(ThreadedSource):
    schemes = ("ais+tcp", "ais+udp", "ais+file")
    thread_prefix = "ais"
    options: ClassVar[dict[str, Option]] = {
        "follow": Option(bool, False, "ais+file: keep reading lines appended to the file"),
        "max_backoff_s": Option((int, float), 30.0, "longest wait between reconnection attempts"),
        "stale_after_s": Option((int, float), 0, "age after which values are shown stale (0: per tile)"),
    }

    @classmethod
    def check_address(cls, address: str) -> None:
        scheme, rest = address.split("://", 1)
        if scheme == "ais+file":
            if not rest.startswith("/"):
                raise ValueError("ais+file:// needs an absolute path, e.g. ais+file:///var/lib/ais/today.nmea")
            return
        _host, _, port = rest.rstrip("/").rpartition(":")
        if not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError(f"{scheme}:// needs host:port, got {rest!r}")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.decoder = AisDecoder(source=self.name)
        self.static: dict[str, VesselStatic] = {}
        self.lines = 0
        self._sock: socket.socket | None = None

    def unblock(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            except OSError:
                pass

    # -- decoding ---------------------------------------------------------------------------------------
    def take_line(self, line: bytes | str) -> None:
        """Decode one NMEA line and submit the positions it completes."""
        self.lines += 1
        before = dict(self.decoder.stats.rejected)
        for item in self.decoder.feed(line[:MAX_LINE]):
            if isinstance(item, VesselStatic):
                known = self.static.get(item.id)
                self.static[item.id] = VesselStatic(item.id, item.time, item.name or (known.name if known else None),
                                                    item.length_m or (known.length_m if known else None), item.source)
            elif isinstance(item, VesselReport):
                self.sink.submit(self.position(item))
        reasons = [r for r, n in self.decoder.stats.rejected.items() if n > before.get(r, 0)]
        if reasons:
            reason = ", ".join(reasons)
            sample = line if isinstance(line, bytes) else line.encode("utf-8", "replace")
            self.sink.reject(self.name, "nmea", reason, sample[:200])

    def position(self, report: VesselReport) -> VesselPosition:
        static = self.static.get(report.id)
        return VesselPosition(key=vessel_key(report.id), ts=report.time, source=self.name, lat=report.lat,
                              lon=report.lon, sog=report.sog, cog=report.cog, distress=report.distress,
                              name=(static.name or "") if static else "",
                              length_m=static.length_m if static else None)

    # -- transports -------------------------------------------------------------------------------------
    def run(self) -> None:
        scheme = self.url.scheme
        try:
            if scheme == "ais+file":
                self._read_file(Path(unquote(self.url.path)))
            elif scheme == "ais+udp":
                self._read_udp()
            else:
                self._read_tcp()
        except Exception as exc:  # never let a transport bug end the program silently
            log.exception("AIS feed %s stopped", self.name)
            self.set_state(LinkState.OFFLINE, f"{type(exc).__name__}: {exc}")

    def _read_file(self, path: Path) -> None:
        try:
            handle = path.open("rb")
        except OSError as exc:
            self.set_state(LinkState.OFFLINE, f"cannot open {path}: {exc.strerror}")
            return
        with handle:
            self.set_state(LinkState.CONNECTED, str(path))
            while not self._stop.is_set():
                line = handle.readline()
                if line:
                    self.take_line(line)
                elif self.opts["follow"]:
                    self._stop.wait(0.5)
                else:
                    break
        self.decoder.finish()

    def _host_port(self) -> tuple[str, int]:
        host, _, port = self.url.netloc.rpartition(":")
        return host.strip("[]") or "0.0.0.0", int(port)

    def _read_udp(self) -> None:
        host, port = self._host_port()
        sock = self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.settimeout(0.5)
        self.set_state(LinkState.CONNECTED, f"listening on udp {host}:{port}")
        while not self._stop.is_set():
            try:
                datagram = sock.recv(65535)
            except TimeoutError:
                continue
            except OSError:
                break
            for line in datagram.splitlines():
                self.take_line(line)

    def _read_tcp(self) -> None:
        host, port = self._host_port()
        backoff = 1.0
        while not self._stop.is_set():
            try:
                sock = self._sock = socket.create_connection((host, port), timeout=5)
            except OSError as exc:
                self.set_state(LinkState.RECONNECTING, f"{host}:{port}: {exc.strerror or exc}")
                self._stop.wait(backoff)
                backoff = min(self.opts["max_backoff_s"], backoff * 2)
                continue
            backoff = 1.0
            self.set_state(LinkState.CONNECTED, f"tcp {host}:{port}")
            sock.settimeout(1.0)
            buffer = b""
            while not self._stop.is_set():
                try:
                    chunk = sock.recv(65536)
                except TimeoutError:
                    continue
                except OSError:
                    break
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    self.take_line(line)
                if len(buffer) > MAX_LINE:  # a line that never ends is not NMEA
                    buffer = b""
            sock.close()
            if not self._stop.is_set():
                self.set_state(LinkState.RECONNECTING, f"tcp {host}:{port}: connection closed")
                self._stop.wait(backoff)

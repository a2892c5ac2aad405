"""ais+tcp://, ais+udp://, ais+file:// feeds: NMEA lines become vessel positions; 91/181 never does."""

from __future__ import annotations

import socket
import threading
import time

import pyais
import pytest

from feeds.fleet.ais_source import AisStreamSource
from feeds.fleet.records import VesselPosition
from feeds.sources.base import source_class
from tests.support.waiting import wait_until


class ListSink:
    def __init__(self) -> None:
        self.records: list = []
        self.rejects: list = []
        self.statuses: list = []

    def submit(self, record, ack=None) -> None:
        self.records.append(record)

    def reject(self, feed, origin, reason, sample=b"") -> None:
        self.rejects.append(reason)

    def status(self, status) -> None:
        self.statuses.append(status)


def lines() -> list[str]:
    out = pyais.encode_dict({"type": 5, "mmsi": 574123456, "shipname": "TH 90123 TS", "to_bow": 15,
                             "to_stern": 5}, sentence_type="VDM", seq_id=3)
    out += pyais.encode_dict({"type": 1, "mmsi": 574123456, "lat": 19.61, "lon": 106.42, "speed": 6.5,
                              "course": 87.0}, sentence_type="VDM")
    out += pyais.encode_dict({"type": 1, "mmsi": 574000009, "lat": 91, "lon": 181}, sentence_type="VDM")
    out += ["garbage"]
    return out


def check(sink: ListSink) -> None:
    (position,) = sink.records
    assert isinstance(position, VesselPosition)
    assert position.key == "vessel/574123456" and position.name == "TH 90123 TS" and position.length_m == 20.0
    assert (position.lat, position.lon) == pytest.approx((19.61, 106.42), abs=1e-4)
    assert "position not available" in sink.rejects and len(sink.rejects) == 2


def test_schemes_are_registered_and_addresses_checked():
    for address in ("ais+tcp://10.0.0.5:4001", "ais+udp://0.0.0.0:10110", "ais+file:///var/ais.nmea"):
        assert source_class(address) is AisStreamSource
        AisStreamSource.check_address(address)
    with pytest.raises(ValueError):
        AisStreamSource.check_address("ais+tcp://host")
    with pytest.raises(ValueError):
        AisStreamSource.check_address("ais+file://relative.nmea")


def test_file(tmp_path):
    path = tmp_path / "log.nmea"
    path.write_text("\n".join(lines()) + "\n", encoding="ascii")
    sink = ListSink()
    source = AisStreamSource("ais", f"ais+file://{path}", {}, sink)
    source.start()
    source._thread.join(timeout=5)
    check(sink)


def test_tcp():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    read = threading.Event()

    def serve():
        conn, _ = server.accept()
        with conn:
            data = ("\r\n".join(lines()) + "\r\n").encode()
            conn.sendall(data[:50])  # a line split across packets
            time.sleep(0.05)  # a duration, not a wait: the rest comes in a later packet
            conn.sendall(data[50:])
            read.wait(5)  # the connection stays up until the source has read every line

    threading.Thread(target=serve, daemon=True).start()
    sink = ListSink()
    source = AisStreamSource("ais", f"ais+tcp://127.0.0.1:{port}", {}, sink)
    source.start()
    wait_until(lambda: len(sink.rejects) == 2, 5, lambda: f"two rejects, have {sink.rejects}")
    read.set()
    source.stop()
    server.close()
    check(sink)


def test_udp():
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    sink = ListSink()
    source = AisStreamSource("ais", f"ais+udp://127.0.0.1:{port}", {}, sink)
    source.start()
    wait_until(lambda: any(s.state.value == "connected" for s in sink.statuses), 5, "the socket to be bound")
    all_lines = lines()
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sender:
        sender.sendto("\n".join(all_lines[:2]).encode(), ("127.0.0.1", port))  # the two parts of type 5
        for line in all_lines[2:]:
            sender.sendto(line.encode(), ("127.0.0.1", port))
    wait_until(lambda: len(sink.rejects) == 2, 5, lambda: f"two rejects, have {sink.rejects}")
    source.stop()
    check(sink)

"""AIS NMEA decoding (multi-part, checksums, not-available positions) and the CSV position reader."""

from __future__ import annotations

from functools import reduce

import pyais
import pytest

from feeds.fleet.ais import (
    AisDecoder,
    ReadStats,
    Rejected,
    VesselReport,
    VesselStatic,
    format_time,
    parse_time,
    read_nmea,
    read_positions_csv,
)

T0 = 1_714_521_600  # 2024-05-01T00:00:00Z
# From the pyais README: a class A position report off San Francisco.
README_SENTENCE = "!AIVDM,1,1,,B,15NG6V0P01G?cFhE`R2IU?wn28R>,0*05"


def encode(data: dict, seq_id: int | None = None) -> list[str]:
    return pyais.encode_dict(data, sentence_type="VDM", seq_id=seq_id)


def tag(ts: int) -> str:
    body = f"c:{ts}"
    return "\\" + body + f"*{reduce(lambda acc, ch: acc ^ ord(ch), body, 0):02X}" + "\\"


def decode(lines: list[str]) -> tuple[list[VesselReport | VesselStatic], ReadStats]:
    stats = ReadStats()
    records = list(read_nmea(lines, clock=lambda: float(T0), stats=stats))
    return records, stats


def test_real_sentence_decodes_to_its_known_values():
    (record,), stats = decode([README_SENTENCE])
    assert record == VesselReport("367380120", T0, 37.806948, -122.404333, 0.1, 245.2, False, "ais")
    assert stats.reports == 1 and not stats.rejected


def test_distress_from_navigational_status_14_and_from_sart_mmsi():
    lines = encode({"type": 1, "mmsi": 574000001, "lat": 19.5, "lon": 106.2, "status": 14})
    lines += encode({"type": 1, "mmsi": 970012345, "lat": 19.5, "lon": 106.2})
    lines += encode({"type": 1, "mmsi": 574000002, "lat": 19.5, "lon": 106.2, "status": 0})
    records, _ = decode(lines)
    assert [r.distress for r in records] == [True, True, False]


def test_multipart_type_5_gives_name_and_length():
    lines = encode({"type": 5, "mmsi": 574123456, "shipname": "TH 90123 TS", "to_bow": 15, "to_stern": 5}, seq_id=3)
    assert len(lines) == 2
    records, stats = decode(lines)
    assert records == [VesselStatic("574123456", T0, "TH 90123 TS", 20.0, "ais")]
    assert stats.static == 1 and not stats.rejected


def test_interleaved_multipart_messages_are_kept_apart_by_sequence_id():
    first = encode({"type": 5, "mmsi": 574000001, "shipname": "A", "to_bow": 20, "to_stern": 10}, seq_id=1)
    second = encode({"type": 5, "mmsi": 574000002, "shipname": "B", "to_bow": 10, "to_stern": 5}, seq_id=2)
    records, stats = decode([first[0], second[0], first[1], second[1]])
    assert [(r.id, r.name, r.length_m) for r in records] == [("574000001", "A", 30.0), ("574000002", "B", 15.0)]
    assert not stats.rejected


def test_broken_multipart_sequences_are_counted_not_decoded():
    part1, part2 = encode({"type": 5, "mmsi": 574000001, "shipname": "A", "to_bow": 20, "to_stern": 10}, seq_id=4)
    records, stats = decode([part2, part1, part1, part2, part1])
    assert [r.id for r in records] == ["574000001"]  # only the third and fourth lines make a message
    assert stats.rejected == {"out-of-sequence fragment": 1, "incomplete multi-part message": 2}


def test_bad_checksum_is_rejected_and_counted():
    good = encode({"type": 1, "mmsi": 574000001, "lat": 19.5, "lon": 106.2})[0]
    bad = good[:-2] + ("00" if not good.endswith("00") else "01")
    records, stats = decode([bad, good])
    assert [r.id for r in records] == ["574000001"]
    assert stats.rejected == {"bad checksum": 1}
    assert stats.examples == ["line 1: bad checksum"]


def test_position_not_available_is_never_a_report():
    lines = encode({"type": 1, "mmsi": 574000001, "lat": 91, "lon": 181})
    lines += encode({"type": 18, "mmsi": 574000002, "lat": 91, "lon": 106.2})
    lines += encode({"type": 1, "mmsi": 574000003, "lat": 0, "lon": 0})
    records, stats = decode(lines)
    assert records == []
    assert stats.rejected == {"position not available": 2, "null position (0,0)": 1}


def test_class_b_speed_and_course_not_available_become_none():
    message = {"type": 18, "mmsi": 574000009, "lat": 19.05, "lon": 106.05, "speed": 102.3, "course": 360}
    (record,), _ = decode(encode(message))
    assert (record.lat, record.lon, record.sog, record.cog) == (19.05, 106.05, None, None)


def test_type_24_part_b_gives_length_and_part_a_the_name():
    lines = encode({"type": 24, "mmsi": 574000010, "partno": 0, "shipname": "TH 1 TS"})
    lines += encode({"type": 24, "mmsi": 574000010, "partno": 1, "to_bow": 9, "to_stern": 7})
    records, _ = decode(lines)
    assert [(r.name, r.length_m) for r in records] == [("TH 1 TS", None), (None, 16.0)]


def test_time_from_tag_block_or_leading_timestamp_else_clock():
    sentence = encode({"type": 1, "mmsi": 574000001, "lat": 19.5, "lon": 106.2})[0]
    lines = [tag(T0 + 60) + sentence, "2024-05-01T00:02:00Z " + sentence, f"{T0 + 180}000 {sentence}", sentence]
    records, stats = decode(lines)
    assert [r.time - T0 for r in records] == [60, 120, 180, 0]
    assert not stats.rejected


def test_garbage_is_counted_and_never_fatal():
    lines = ["", "hello", "$GPGGA,123519,4807.038,N,01131.000,E,1,08,0.9,545.4,M,46.9,M,,*47", "!AIVDM,1,1",
             "!AIVDM,1,1,,A,1,0*00", "\x00\xff!!", "# comment", README_SENTENCE]
    records, stats = decode(lines)
    assert [r.id for r in records] == ["367380120"]
    assert stats.lines == 6 and sum(stats.rejected.values()) == 5


def test_decoder_feeds_line_by_line_like_a_socket():
    decoder = AisDecoder(source="udp:10110", clock=lambda: 5.0)
    part1, part2 = encode({"type": 5, "mmsi": 574000001, "shipname": "A", "to_bow": 20, "to_stern": 10}, seq_id=1)
    assert decoder.feed(part1.encode()) == []
    (static,) = decoder.feed(part2.encode())
    assert (static.source, static.time) == ("udp:10110", 5.0)


# --- CSV --------------------------------------------------------------------------------------


def read_csv(text: str) -> tuple[list[VesselReport], ReadStats]:
    stats = ReadStats()
    return list(read_positions_csv(text.splitlines(), stats=stats)), stats


def test_csv_without_header_is_positional():
    (record,), _ = read_csv("TH-1,2024-05-01T00:00:00Z,19.5,106.2,5.5,90,1")
    assert record == VesselReport("TH-1", T0, 19.5, 106.2, 5.5, 90.0, True, "csv")


def test_csv_header_may_reorder_and_omit_columns():
    (record,), stats = read_csv("lat,lon,id,time,note\n19.5,106.2,TH-2,1714521600,hello\n")
    assert (record.id, record.time, record.sog, record.distress) == ("TH-2", T0, None, False)
    assert stats.reports == 1


def test_malformed_csv_rows_are_counted_by_reason_with_line_numbers():
    text = "\n".join(
        [
            "id,time,lat,lon,sog,cog,distress",
            "# a comment",
            "A,2024-05-01T00:00:00,19.5,106.2",
            "B,yesterday,19.5,106.2",
            "C,2024-05-01T00:00:00Z,91,181",
            "D,2024-05-01T00:00:00Z,19.5,106.2,,,maybe",
            ",2024-05-01T00:00:00Z,19.5,106.2",
            "E,2024-05-01T00:00:00Z,19.5,106.2,1,2,0,extra",
            "F,2024-05-01T00:00:00Z,19.5",
        ]
    )
    records, stats = read_csv(text)
    assert [r.id for r in records] == ["A"]
    assert stats.rejected == {
        "bad time": 1,
        "position not available": 1,
        "bad distress flag": 1,
        "missing id": 1,
        "too many fields": 1,
        "missing position": 1,
    }
    assert stats.examples[0] == "line 4: bad time"


def test_parse_and_format_time():
    assert parse_time("2024-05-01T07:00:00+07:00") == T0
    assert parse_time("2024-05-01 00:00:00") == T0  # no zone: UTC
    assert parse_time(f"{T0}500") == T0 + 0.5  # milliseconds
    assert format_time(T0) == "2024-05-01T00:00:00Z"
    with pytest.raises(Rejected):
        parse_time("nan")

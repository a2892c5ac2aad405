"""The wire format of docs/feeds.md: round trips and refusals with reasons."""

from __future__ import annotations

import json

import pytest

from feeds.core.payloads import PayloadError, encode, parse_message, parse_resend, topic_for
from feeds.core.records import AlertAction, AlertEvent, Measurement, SceneCommand, SeqHeartbeat, Severity
from feeds.indicators.scenario import Simulator


def test_every_simulated_record_survives_the_wire():
    sim = Simulator(seed=1, speed=3600)
    records = [*sim.start(1790000000.0, backfill=2), sim.next_alert(1790000001.0)]
    for record in records:
        back = parse_message(topic_for(record), encode(record), record.source)
        assert back == record


def test_scene_and_heartbeat_messages():
    scene = SceneCommand(target="wall-1/0", scene="Tổng quan", layout={"name": "x", "rows": 1}, ts=1_790_000_000.5,
                         source="op", by="nguyen.van.a")
    assert parse_message(topic_for(scene), encode(scene), "op") == scene
    beat = parse_message("ioc/v1/status/sim7", b'{"v":1,"publisher":"sim7","last_seq":12,"ts":1790000000}', "f")
    assert beat == SeqHeartbeat("sim7", 12, 1_790_000_000.0)


def test_naive_iso_time_is_vietnam_time():
    record = parse_message("ioc/v1/indicator/x", b'{"v":1,"key":"x","value":1,"ts":"2026-11-23T07:00:00"}', "f")
    assert record.ts == 1_795_392_000.0  # 2026-11-23T00:00:00Z


@pytest.mark.parametrize("topic,payload,reason", [
    ("ioc/v1/indicator/x", b"{oops", "invalid JSON"),
    ("ioc/v1/indicator/x", b"[1, 2]", "must be a JSON object"),
    ("ioc/v1/indicator/x", b'{"v":2,"key":"x","value":1,"ts":1}', "schema version"),
    ("ioc/v1/indicator/x", b'{"v":1,"key":"x","value":NaN,"ts":1}', "NaN is not a valid number"),
    ("ioc/v1/indicator/x", b'{"v":1,"key":"x","value":Infinity,"ts":1}', "Infinity"),
    ("ioc/v1/indicator/x", b'{"v":1,"key":"x","value":"7","ts":1}', "'value' must be"),
    ("ioc/v1/indicator/x", b'{"v":1,"key":"x","value":true,"ts":1}', "'value' must be"),
    ("ioc/v1/indicator/x", b'{"v":1,"value":1,"ts":1}', "missing field 'key'"),
    ("ioc/v1/indicator/x", b'{"v":1,"key":"x","value":1,"ts":-5}', "not a valid epoch"),
    ("ioc/v1/indicator/x", '{"v":1,"key":"x","value":1,"ts":"hôm qua"}'.encode(), "ISO 8601"),
    ("ioc/v1/indicator/x", b"\xc3\x28", "not UTF-8"),
    ("ioc/v1/alert/x", b'{"v":1,"id":"a","key":"x","severity":"panic","title":"t","ts":1}', "unknown severity"),
    ("ioc/v1/weather/x", b'{"v":1}', "unknown message kind"),
    ("elsewhere/x", b'{"v":1}', "outside ioc/v1"),
    ("ioc/v1/status/p", b'{"v":1,"publisher":"p","last_seq":-1,"ts":1}', "must not be negative"),
    ("ioc/v1/alert/x", b'{"v":1,"id":"","key":"x","severity":"info","title":"t","ts":1}', "'id' must not be empty"),
    ("ioc/v1/alert/x", b'{"v":1,"id":"a","key":"x","severity":"info","title":" ","ts":1}', "'title' must not be"),
    ("ioc/v1/alert/x", b'{"v":1,"id":"a","key":"x","severity":"info","title":"t","ts":1,'
                       b'"location":{"lat":91,"lon":105}}', "outside the globe"),
    ("ioc/v1/alert/x", b'{"v":1,"id":"a","key":"x","severity":"info","title":"t","ts":1,'
                       b'"location":{"lat":19.8}}', "missing field 'lon'"),
    ("ioc/v1/alert/x", b'{"v":1,"id":"a","key":"x","severity":"info","title":"t","ts":1,"clear":"yes"}',
     "'clear' must be bool"),
    ("ioc/v1/alert/x", ('{"v":1,"id":"a","key":"x","severity":"info","ts":1,"title":"' + "x" * 600 + '"}').encode(),
     "longer than 500"),
    ("ioc/v1/alert_action/a", b'{"v":1,"id":"x","alert_id":"a","action":"delete","by":"an","ts":1}',
     "unknown alert action 'delete'"),
    ("ioc/v1/alert_action/a", b'{"v":1,"id":"x","alert_id":"a","action":"ack","ts":1}', "missing field 'by'"),
])
def test_malformed_payloads_are_refused_with_a_reason(topic, payload, reason):
    with pytest.raises(PayloadError) as caught:
        parse_message(topic, payload, "feed")
    assert reason in caught.value.reason


def test_alerts_and_actions_survive_the_wire():
    alert = AlertEvent(id="vessel/TH-1/violating@1", key="vessel/TH-1/boundary", severity=Severity.CRITICAL,
                       title="Tàu TH-1 vi phạm ranh giới", ts=1_790_000_000.25, source="bus",
                       title_en="Vessel TH-1 crossed the boundary", entity="vessel/TH-1", type="boundary",
                       domain="vessel", location=(19.5, 106.2), link="vessel:TH-1", rule="r", clear=False)
    assert parse_message(topic_for(alert), encode(alert), "bus") == alert
    cleared = AlertEvent(id="c", key="air/x/aqi", severity=Severity.INFO, title="", ts=1_790_000_000.0, source="bus",
                         clear=True)
    assert parse_message(topic_for(cleared), encode(cleared), "bus") == cleared  # a clear needs no title
    action = AlertAction(id="a1", alert_id="x/+#y", action="assign", by="Nguyễn Văn An", ts=1_790_000_000.5,
                         source="bus", text="Đội kỹ thuật", data={"k": 1})
    assert topic_for(action) == "ioc/v1/alert_action/x___y"  # no wildcard and no extra level in the topic
    assert parse_message(topic_for(action), encode(action), "bus") == action


def test_oversize_payload_is_refused_before_decoding():
    body = json.dumps({"v": 1, "key": "x", "value": 1, "ts": 1, "pad": "x" * (10 * 1024 * 1024)}).encode()
    with pytest.raises(PayloadError, match="exceeds"):
        parse_message("ioc/v1/indicator/x", body, "feed")


def test_resend_requests():
    assert parse_resend(b'{"v":1,"publisher":"p","seqs":[3,4],"by":"c"}') == [3, 4]
    with pytest.raises(PayloadError):
        parse_resend(b'{"v":1,"seqs":[0, "x"]}')


def test_records_refuse_non_finite_values_even_when_built_in_code():
    with pytest.raises(ValueError):
        Measurement(key="x", value=float("nan"), ts=1.0, source="s")


@pytest.mark.parametrize("payload", [
    b"[" * 100_000,
    b'{"v":1,"key":"x","value":' + b"9" * 5000 + b',"ts":1}',
    b'{"v":1,"key":"x","value":' + b"9" * 400 + b',"ts":1}',
])
def test_pathological_json_is_refused_not_raised(payload):
    with pytest.raises(PayloadError, match=r"unusable payload|exceeds|must be"):
        parse_message("ioc/v1/indicator/x", payload, "feed")


def test_domain_kinds_parse_without_importing_their_module_first():
    code = ("from feeds.core.payloads import PayloadError, parse_record_json\n"
            "try:\n    parse_record_json({'kind': 'vessel'}, 'rest')\n"
            "except PayloadError as exc:\n    print(exc.reason)\n")
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "unknown or missing kind" not in out.stdout and "missing field" in out.stdout

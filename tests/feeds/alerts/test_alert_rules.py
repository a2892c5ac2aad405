"""Threshold rules from the configuration: parsing with named keys, hysteresis, rates, silences, stable ids."""

from __future__ import annotations

import dataclasses
import logging
import tomllib
from typing import Any

import pytest

from feeds.alerts.rules import Rule, RuleEngine, RuleError, parse_rules
from feeds.core.records import AlertEvent, Measurement, SceneCommand, Severity

PM25 = {"name": "pm25-cao", "keys": ["air/*/pm25"], "when": "above", "limit": 55.0}


class FakeClock:
    """A wall clock the test moves by hand."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def reading(value: float, ts: float, key: str = "air/st01/pm25", unit: str = "µg/m³") -> Measurement:
    return Measurement(key, value, ts, "sim", unit=unit, label="PM2.5")


def engine(*tables: dict[str, Any], clock: FakeClock | None = None) -> RuleEngine:
    return RuleEngine(parse_rules(list(tables)), clock=clock or FakeClock())


def feed(rules: RuleEngine, values: list[float], key: str = "air/st01/pm25", step: float = 60.0) -> list[AlertEvent]:
    """One reading per batch, `step` seconds apart."""
    return [event for i, value in enumerate(values) for event in rules([reading(value, i * step, key)])]


def test_values_hovering_around_the_limit_raise_once_and_clear_once() -> None:
    events = feed(engine(PM25), [54, 56, 54.5, 56, 55.5, 49])
    assert [(e.clear, e.ts, e.extra["value"]) for e in events] == [(False, 60.0, 56.0), (True, 300.0, 49.0)]
    raised, cleared = events
    assert raised.id == "rule/pm25-cao/air/st01/pm25/60.000"
    assert cleared.id == "rule/pm25-cao/air/st01/pm25/300.000/clear"
    assert (raised.entity, raised.type, raised.domain, raised.rule) == ("air/st01", "pm25-cao", "air", "pm25-cao")
    assert raised.identity == cleared.identity == "air/st01|pm25-cao"
    assert raised.severity is Severity.WARNING and raised.source == "rules"
    assert raised.extra == {"value": 56.0, "limit": 55.0, "clear_at": 52.25, "unit": "µg/m³", "rule": "pm25-cao"}


def test_explicit_clear_at_is_the_hysteresis() -> None:
    events = feed(engine(PM25 | {"clear_at": 40.0}), [60, 45, 41, 39.9])
    assert [e.clear for e in events] == [False, True]
    assert events[1].extra["value"] == 39.9


def test_count_needs_that_many_consecutive_readings() -> None:
    rules = engine(PM25 | {"count": 3})
    assert feed(rules, [56, 56, 54, 56, 56]) == []  # the 54 breaks the run
    assert [e.extra["value"] for e in rules([reading(57, 1000)])] == [57.0]
    assert rules([reading(58, 1060)]) == []  # already active


def test_below_rule_raises_under_the_limit_and_clears_above_clear_at() -> None:
    oxygen = {"name": "do-thap", "keys": "water/*/do", "when": "below", "limit": 4.0, "severity": "critical",
              "type": "oxy"}
    events = feed(engine(oxygen), [5.0, 3.9, 4.1, 4.15, 4.3], key="water/nm01/do")
    assert [(e.clear, e.extra["value"]) for e in events] == [(False, 3.9), (True, 4.3)]
    assert events[0].extra["clear_at"] == pytest.approx(4.2)
    assert (events[0].severity, events[0].type, events[0].entity) == (Severity.CRITICAL, "oxy", "water/nm01")


def test_rate_compares_with_the_value_one_window_earlier() -> None:
    rising = {"name": "muc-nuoc", "keys": ["water/*/level"], "when": "rate", "limit": 2.0, "window_s": 600}
    rules = engine(rising)
    key = "water/s1/level"

    def at(minute: int, value: float) -> list[AlertEvent]:
        return rules([reading(value, minute * 60.0, key, unit="cm")])

    assert at(0, 100) == []
    assert at(4, 130) == []  # 7.5 cm/min, but the oldest reading is younger than half the window
    raised = at(5, 130)  # (130 − 100) / 5 min
    assert [(e.clear, e.extra["rate"]) for e in raised] == [(False, 6.0)]
    assert raised[0].extra["value"] == 130.0 and raised[0].extra["window_s"] == 600.0
    assert at(12, 140) == []  # base: minute 0, at or just before 12 − 10; 40 / 12 min is still above 2
    cleared = at(14, 140)  # base: minute 4 (130); 10 / 10 min is under clear_at 1.6
    assert [(e.clear, e.extra["rate"]) for e in cleared] == [(True, 1.0)]
    assert [e.clear for e in at(30, 200)] == [False]


def test_rate_clears_below_clear_at_and_falling_fast_raises_too() -> None:
    rules = engine({"name": "r", "keys": "k/*/v", "when": "rate", "limit": 2.0, "window_s": 120})
    events = feed(rules, [0, 0, 10, 12, 12.5, 12.6, 0, -10], key="k/a/v")  # one reading a minute
    assert [(e.clear, e.ts, e.extra["rate"]) for e in events] == [
        (False, 120.0, 5.0),  # (10 − 0) / 2 min
        (True, 240.0, 1.25),  # (12.5 − 10) / 2 min < clear_at 1.6
        (False, 360.0, -6.25),  # (0 − 12.5) / 2 min: falling fast
    ]


def test_nodata_raises_once_per_silence_on_the_engine_clock_and_clears_on_data() -> None:
    clock = FakeClock(1000.0)
    silent = {"name": "mat-tin-hieu", "keys": ["air/*/pm25", "water/nm01/ph"], "when": "nodata", "after_min": 5,
              "title": "Trạm {entity_id} mất tín hiệu {minutes} phút", "title_en": "{key} silent for {minutes} min"}
    rules = engine(silent, clock=clock)
    assert rules([reading(30, 9e12)]) == []  # a simulated feed far ahead of the wall clock
    assert rules.tick(1299.0) == []
    raised = rules.tick(1301.0)
    assert sorted(e.key for e in raised) == ["air/st01/pm25", "water/nm01/ph"]  # the exact key was never heard
    air = next(e for e in raised if e.key == "air/st01/pm25")
    assert (air.id, air.ts, air.clear) == ("rule/mat-tin-hieu/air/st01/pm25/nodata/1000.000", 1301.0, False)
    assert (air.title, air.title_en) == ("Trạm st01 mất tín hiệu 5 phút", "air/st01/pm25 silent for 5 min")
    assert rules.tick(1400.0) == []

    clock.now = 1500.0
    cleared = rules([reading(31, 9e12 + 60)])
    assert [(e.id, e.clear, e.ts) for e in cleared] == [
        ("rule/mat-tin-hieu/air/st01/pm25/nodata/1000.000/clear", True, 1500.0)]
    assert rules.tick(1700.0) == []  # 200 s since the data: only the pH stays raised, and not again
    assert [e.id for e in rules.tick(1801.0)] == ["rule/mat-tin-hieu/air/st01/pm25/nodata/1500.000"]


def test_nodata_wildcard_key_never_seen_does_not_raise() -> None:
    rules = engine({"name": "n", "keys": "air/*/pm25", "when": "nodata", "after_min": 1})
    assert rules.tick(1e9) == []


def test_out_of_order_and_redelivered_readings_are_ignored() -> None:
    rules = engine(PM25 | {"count": 2})
    assert rules([reading(60, 100)]) == []
    assert rules([reading(60, 100)]) == []  # the same reading redelivered is not a second one
    assert [e.ts for e in rules([reading(61, 160)])] == [160.0]
    assert rules([reading(10, 120)]) == []  # late: the state already moved past it
    assert [e.clear for e in rules([reading(10, 220)])] == [True]


def test_a_batch_is_evaluated_in_time_order() -> None:
    events = engine(PM25)([reading(40, 20), reading(56, 10)])
    assert [(e.ts, e.clear) for e in events] == [(10.0, False), (20.0, True)]


def test_two_engines_fed_the_same_data_produce_identical_events() -> None:
    readings = [reading(v, 60.0 * i, key) for i, v in enumerate([50, 60, 70, 40, 58])
                for key in ("air/st01/pm25", "air/st02/pm25")]
    first = engine(PM25)(readings)
    second = engine(PM25)
    split = second(readings[:3]) + second(readings[3:7]) + second(readings[7:])
    assert len(first) == 6 and first == split
    assert len({e.id for e in first}) == 6


def test_vietnamese_templates_render_with_every_placeholder() -> None:
    rule = PM25 | {
        "title": "PM2.5 tại {entity} vượt {limit:g} µg/m³ ({value:g})",
        "title_en": "PM2.5 at {entity_id} above {limit:g} {unit} ({value:.1f})",
        "detail": "Quy tắc {rule}: {label} ({key}) đo được {value:g} {unit}",
        "detail_en": "{label} reading",
        "link": "station:{entity_id}",
    }
    (event,) = engine(rule)([reading(56.25, 0)])
    assert event.title == "PM2.5 tại air/st01 vượt 55 µg/m³ (56.25)"
    assert event.title_en == "PM2.5 at st01 above 55 µg/m³ (56.2)"
    assert event.detail == "Quy tắc pm25-cao: PM2.5 (air/st01/pm25) đo được 56.25 µg/m³"
    assert event.detail_en == "PM2.5 reading" and event.link == "station:st01"
    assert event.title.encode("utf-8").decode("utf-8") == event.title


def test_default_titles_exist_in_both_languages() -> None:
    (event,) = engine(PM25)([reading(60, 0)])
    assert event.title == "air/st01/pm25 vượt ngưỡng 55: 60 µg/m³"
    assert event.title_en == "air/st01/pm25 above 55: 60 µg/m³"
    assert event.detail == "" and event.link == ""


def test_a_template_that_fails_at_runtime_falls_back_to_the_raw_text(caplog: pytest.LogCaptureFixture) -> None:
    rule = dataclasses.replace(parse_rules([PM25])[0], title="{nope} vượt ngưỡng")  # bypasses parse_rules
    with caplog.at_level(logging.WARNING, logger="feeds.alerts.rules"):
        (event,) = RuleEngine([rule], clock=FakeClock())([reading(60, 0)])
    assert event.title == "{nope} vượt ngưỡng"
    assert "cannot format" in caplog.text


def test_other_records_are_ignored() -> None:
    rules = engine(PM25)
    others = [AlertEvent("a", "air/st01/pm25", Severity.CRITICAL, "x", 0.0, "sim"),
              SceneCommand("wall", "s", {}, 0.0, "op")]
    assert rules(others) == []
    assert rules._watches == {}


def test_state_is_kept_only_for_matching_keys() -> None:
    rules = engine(PM25)
    rules([reading(60, 0, key=f"traffic/cam{i}/flow") for i in range(500)] + [reading(60, 0)])
    assert list(rules._watches) == [(0, "air/st01/pm25")]


def test_huge_values_work() -> None:
    (event,) = engine(PM25)([reading(1e300, 0)])
    assert event.title_en == "air/st01/pm25 above 55: 1e+300 µg/m³"
    rate = engine({"name": "r", "keys": "k/*/v", "when": "rate", "limit": 1.0, "window_s": 60})
    (fast,) = feed(rate, [-1.7e308, 1.7e308], key="k/a/v")
    assert fast.extra["rate"] == pytest.approx(1.7976931348623157e308)  # clamped: finite, so storable


def test_parsed_rule_carries_every_field_and_the_defaults() -> None:
    text = """
[[alerts.rules]]
name = "pm25-cao"
keys = "air/*/pm25"
when = "above"
limit = 55
severity = "critical"
escalate_after_min = 15
notify = ["email", "sms"]
procedure = "khong-khi-o-nhiem"

[[alerts.rules]]
name = "im-lang"
keys = ["water/nm01/ph"]
when = "nodata"
after_min = 10
type = "nodata"
notify = "email"
"""
    above, silent = parse_rules(tomllib.loads(text)["alerts"]["rules"])
    assert above == Rule(name="pm25-cao", keys=("air/*/pm25",), when="above", limit=55.0, clear_at=52.25,
                         window_s=300.0, after_s=None, count=1, severity=Severity.CRITICAL, type="pm25-cao",
                         title=above.title, title_en=above.title_en, escalate_after_s=900.0,
                         notify=("email", "sms"), procedure="khong-khi-o-nhiem")
    assert (silent.after_s, silent.limit, silent.clear_at, silent.type, silent.notify) == (
        600.0, None, None, "nodata", ("email",))
    assert silent.severity is Severity.WARNING


@pytest.mark.parametrize(("when", "limit", "clear_at"),
                         [("below", 4.0, 4.2), ("rate", 2.0, 1.6), ("above", -10, -10.5)])
def test_default_clear_at(when: str, limit: float, clear_at: float) -> None:
    (rule,) = parse_rules([{"name": "r", "keys": "k", "when": when, "limit": limit}])
    assert rule.clear_at == pytest.approx(clear_at)


@pytest.mark.parametrize(("change", "key", "message"), [
    ({"limit": "55"}, "alerts.rules[1].limit", "expected a number"),
    ({"limit": True}, "alerts.rules[1].limit", "expected a number"),
    ({"limit": float("nan")}, "alerts.rules[1].limit", "finite"),
    ({"limit": None}, "alerts.rules[1].limit", "missing"),
    ({"when": "sometimes"}, "alerts.rules[1].when", "above, below, rate, nodata"),
    ({"when": None}, "alerts.rules[1].when", "missing"),
    ({"name": ""}, "alerts.rules[1].name", "non-empty"),
    ({"name": "a"}, "alerts.rules[1].name", "duplicate rule name 'a' (also alerts.rules[0])"),
    ({"keys": []}, "alerts.rules[1].keys", "missing"),
    ({"keys": ["air/*", 3]}, "alerts.rules[1].keys[1]", "non-empty string"),
    ({"keys": {"a": 1}}, "alerts.rules[1].keys", "array of strings"),
    ({"threshold": 5}, "alerts.rules[1].threshold", "unknown key"),
    ({"clear_at": 60}, "alerts.rules[1].clear_at", "at most the limit 55"),
    ({"count": 0}, "alerts.rules[1].count", "positive integer"),
    ({"count": 1.5}, "alerts.rules[1].count", "positive integer"),
    ({"window_s": 60}, "alerts.rules[1].window_s", "only by rate"),
    ({"after_min": 5}, "alerts.rules[1].after_min", "only by nodata"),
    ({"severity": "high"}, "alerts.rules[1].severity", "info, warning, critical, emergency"),
    ({"type": 3}, "alerts.rules[1].type", "expected a string"),
    ({"escalate_after_min": -1}, "alerts.rules[1].escalate_after_min", "positive"),
    ({"notify": [""]}, "alerts.rules[1].notify[0]", "non-empty"),
    ({"procedure": 7}, "alerts.rules[1].procedure", "expected a string"),
    ({"title": "{station} vượt ngưỡng"}, "alerts.rules[1].title", "unknown placeholder {station}"),
    ({"title_en": "{value.real}"}, "alerts.rules[1].title_en", "unknown placeholder {value.real}"),
    ({"detail": "{minutes} phút"}, "alerts.rules[1].detail", "unknown placeholder {minutes}"),
    ({"detail_en": "{value:d}"}, "alerts.rules[1].detail_en", "cannot format"),
    ({"link": "station:{entity_id"}, "alerts.rules[1].link", "cannot read"),
    ({"title": "{}"}, "alerts.rules[1].title", "unknown placeholder {}"),
])
def test_every_parse_error_names_the_dotted_key(change: dict[str, Any], key: str, message: str) -> None:
    second = {k: v for k, v in (PM25 | {"name": "b"} | change).items() if v is not None}
    with pytest.raises(RuleError) as caught:
        parse_rules([PM25 | {"name": "a"}, second])
    assert caught.value.key == key
    assert message in caught.value.message
    assert str(caught.value).startswith(f"{key}: ")


@pytest.mark.parametrize(("table", "key", "message"), [
    ({"name": "n", "keys": "k", "when": "nodata"}, "alerts.rules[0].after_min", "missing"),
    ({"name": "n", "keys": "k", "when": "nodata", "after_min": 5, "limit": 1}, "alerts.rules[0].limit", "only by"),
    ({"name": "n", "keys": "k", "when": "nodata", "after_min": 5, "title": "{value}"}, "alerts.rules[0].title",
     "unknown placeholder {value}"),
    ({"name": "n", "keys": "k", "when": "rate", "limit": -2}, "alerts.rules[0].limit", "positive"),
    ({"name": "n", "keys": "k", "when": "rate", "limit": 2, "clear_at": 3}, "alerts.rules[0].clear_at", "between"),
    ({"name": "n", "keys": "k", "when": "below", "limit": 2, "clear_at": 1}, "alerts.rules[0].clear_at", "at least"),
])
def test_kind_specific_parse_errors(table: dict[str, Any], key: str, message: str) -> None:
    with pytest.raises(RuleError) as caught:
        parse_rules([table])
    assert (caught.value.key, message in caught.value.message) == (key, True)


@pytest.mark.parametrize("items", [{"name": "x"}, "rules"])
def test_rules_must_be_an_array(items: Any) -> None:
    with pytest.raises(RuleError, match=r"^alerts\.rules: expected an array"):
        parse_rules(items)


def test_a_rule_that_is_not_a_table() -> None:
    with pytest.raises(RuleError, match=r"^site\.rules\[0\]: expected a table"):
        parse_rules(["pm25"], path="site.rules")

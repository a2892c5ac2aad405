"""The simulator's determinism and cadence; coalescing; the sequence-gap tracker."""

from __future__ import annotations

from feeds.core.records import Measurement
from feeds.indicators.scenario import INDICATORS, MONTH, Simulator
from feeds.ingest.coalesce import LatestByKey
from feeds.sources.sequence import SequenceTracker


def values(seed: int) -> list[float]:
    sim = Simulator(seed=seed, speed=3600)
    records = sim.start(1_790_000_000.0, backfill=3) + sim.due(1_790_000_000.0 + 10)
    return [r.value for r in records if isinstance(r, Measurement)]


def test_same_seed_same_values_other_seed_other_values():
    assert values(5) == values(5)
    assert values(5) != values(6)


def test_cadence_is_the_real_one_divided_by_speed():
    sim = Simulator(seed=1, speed=3600, alert_period_s=1e12)
    sim.start(0.0, backfill=1)
    due = sim.due(3.0)  # 3 s at 3600× = 3 h of real time
    keys = [r.key for r in due]
    assert keys.count("feedback/overdue") == 1  # every 3 h
    assert keys.count("services/overdue") == 2  # every 1.5 h
    assert keys.count("docs/overdue") == 1  # every 2 h
    assert "econ/grdp_growth" not in keys  # monthly
    monthly = [r.key for r in sim.due(MONTH / 3600 + 0.001)]
    assert "econ/grdp_growth" in monthly  # the monthly values arrive after a compressed month


def test_values_stay_within_plausible_bounds_and_carry_labels():
    sim = Simulator(seed=9, speed=1e5)
    records = sim.start(0.0, backfill=50) + sim.due(50.0)
    bounds = {spec.key: (spec.lo, spec.hi) for spec in INDICATORS}
    for record in records:
        if isinstance(record, Measurement):
            lo, hi = bounds[record.key]
            assert lo <= record.value <= hi
            assert record.label and record.unit


def test_alert_sequence_is_gapless_and_ids_are_unique_per_run():
    sim = Simulator(seed=2, speed=1, alert_period_s=1)
    sim.start(100.0)
    alerts = [sim.next_alert(100.0 + i) for i in range(5)]
    assert [a.seq for a in alerts] == [1, 2, 3, 4, 5]
    assert len({a.id for a in alerts}) == 5
    other = Simulator(seed=2, speed=1)
    other.start(200.0)
    assert other.next_alert(200.0).id != alerts[0].id


def test_coalescing_keeps_only_the_newest_few_per_key():
    buffer = LatestByKey(depth=3)
    assert buffer.put_many([Measurement(key="x", value=float(i), ts=float(i), source="s") for i in range(100)])
    assert not buffer.put_many([Measurement(key="y", value=1.0, ts=50.5, source="s")])
    drained = buffer.drain()
    assert [(r.key, r.value) for r in drained] == [("y", 1.0), ("x", 97.0), ("x", 98.0), ("x", 99.0)]
    assert buffer.drain() == []


def test_sequence_tracker_finds_gaps_and_lost_tails_after_a_grace_period():
    gaps = SequenceTracker(grace_s=2, retry_s=5)
    for seq in (10, 11, 14, 15):
        gaps.seen("p", seq, now=0.0)
    assert gaps.due(1.0) == {}  # still within the grace period (may arrive late)
    assert gaps.due(2.5) == {"p": [12, 13]}
    assert gaps.due(3.0) == {}  # not asked again before retry_s
    gaps.seen("p", 12, now=3.0)
    gaps.heartbeat("p", 17, now=3.0)  # the publisher says it sent up to 17
    assert gaps.due(8.0) == {"p": [13, 16, 17]}
    for seq in (13, 16, 17):
        gaps.seen("p", seq, now=8.0)
    assert gaps.missing() == 0


def test_sequence_tracker_does_not_ask_for_what_predates_the_cache():
    gaps = SequenceTracker(grace_s=0, retry_s=0)
    gaps.baseline("p", 500)
    gaps.seen("p", 502, now=0.0)
    assert gaps.due(1.0) == {"p": [501]}

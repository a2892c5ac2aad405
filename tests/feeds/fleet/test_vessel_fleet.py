"""The vessel record kinds, the sim://fleet scenario and the geofence processor (no Qt)."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest

from feeds.core.payloads import PayloadError, encode, parse_message, parse_record_json, topic_for
from feeds.fleet.geofence import AlertEvent
from feeds.fleet.records import VesselPosition, VesselStateChange, length_class
from feeds.fleet.tracking import FleetTracker
from feeds.sim.scenarios import make_scenario

OPTIONS = {"seed": 7, "speed": 60.0, "alert_period_s": 1200.0, "source": "fleet", "scale": 0}
T0 = 1_800_000_000.0


def test_position_round_trips_mqtt_and_rest():
    rec = VesselPosition(key="vessel/TH-90123-TS", ts=T0, source="x", lat=19.7, lon=106.4, sog=3.2, cog=88.0,
                         name="Hoàng Long 09", owner="Lê Văn Hùng", length_m=16.5)
    back = parse_message(topic_for(rec), encode(rec), "x")
    assert back == rec
    assert topic_for(rec) == "ioc/v1/vessel/vessel/TH-90123-TS"
    assert parse_record_json(json.loads(encode(rec)), "x") == rec


@pytest.mark.parametrize("lat,lon", [(91, 181), (0, 0), (19.7, 200), (float("nan"), 106)])
def test_unavailable_or_bad_positions_are_refused(lat, lon):
    data = {"v": 1, "key": "vessel/TH-1-TS", "ts": T0, "lat": lat, "lon": lon}
    with pytest.raises(PayloadError):
        VesselPosition.from_payload(data, "x")


def test_fleet_scenario_default_size_ids_and_determinism():
    a = make_scenario("fleet", dict(OPTIONS))
    b = make_scenario("fleet", dict(OPTIONS))
    ra, rb = a.start(T0, backfill=0), b.start(T0, backfill=0)
    assert ra == rb
    assert len({r.key for r in ra}) == len(ra) == 2000
    assert all(re.fullmatch(r"vessel/TH-9\d{4}-TS", r.key) for r in ra)
    assert {length_class(r.length_m) for r in ra} == {"<12 m", "12–15 m", "15–24 m", "≥24 m"}
    assert all(19.0 < r.lat < 20.3 and 105.5 < r.lon < 107.6 for r in ra)
    later = a.due(T0 + 3600)  # speed 60: one simulated day and a half
    assert len(later) > 100 * 1900


def test_fleet_scales_to_10k():
    sim = make_scenario("fleet", {**OPTIONS, "scale": 10000})
    assert len(sim.start(T0, backfill=0)) > 9800


def test_processor_classifies_and_raises_alerts_on_transitions():
    now = [T0]
    tracker = FleetTracker(clock=lambda: now[0])
    sim = make_scenario("fleet", dict(OPTIONS))
    out = tracker(sim.start(T0, backfill=0))
    states = [r for r in out if isinstance(r, VesselStateChange)]
    alerts = [r for r in out if isinstance(r, AlertEvent)]
    assert len(states) == len(tracker.ids)  # every vessel gets a first state
    seen = {s.state for s in states}
    assert {"inside", "at_port", "near_boundary", "violating"} <= seen
    assert alerts and all(a.key.startswith("vessel/") for a in alerts)
    assert not tracker([])  # nothing changed
    # Silence: one vessel stops reporting for longer than its legal interval.
    import math
    vessel = next(v for v in tracker.ids if math.isfinite(tracker.interval[tracker.index[v]]))
    i = tracker.index[vessel]
    now[0] = T0 + tracker.interval[i] + 60
    out = tracker.check(now[0])
    lost = [r for r in out if isinstance(r, VesselStateChange) and r.vessel_id == vessel]
    assert lost and lost[0].state == "lost_signal" and lost[0].escalation_level >= 0
    assert any(isinstance(r, AlertEvent) and r.key == f"vessel/{vessel}/lost_signal" for r in out)


def test_tracks_are_stored_and_cannot_be_edited(cache):
    sim = make_scenario("fleet", dict(OPTIONS))
    records = sim.start(T0, backfill=3)
    cache.store(records)
    one = records[-1].key
    track = cache.events("vessel", one)
    assert len(track) == 4 and all(isinstance(p, VesselPosition) for p in track)
    with pytest.raises(sqlite3.DatabaseError), cache._lock:
        cache.db.conn.execute("UPDATE events SET data = '{}' WHERE key = ?", (one,))


def test_last_known_positions_and_states_for_an_offline_start(cache):
    """What a fleet map tile starts from (its last_known_kinds: positions and states), e.g. after an offline start."""
    sim = make_scenario("fleet", dict(OPTIONS))
    records = sim.start(T0, backfill=2)
    records += FleetTracker(clock=lambda: T0)(records)
    cache.store(records)
    known = [r for kind in (VesselPosition.kind, VesselStateChange.kind) for r in cache.latest_events(kind)]
    positions = [r for r in known if isinstance(r, VesselPosition)]
    assert len(positions) == len({r.key for r in records if isinstance(r, VesselPosition)})
    newest: dict[str, float] = {}
    for r in records:
        if isinstance(r, VesselPosition):
            newest[r.key] = max(newest.get(r.key, 0.0), r.ts)
    assert all(p.ts == newest[p.key] for p in positions)
    assert len([r for r in known if isinstance(r, VesselStateChange)]) == len(positions)

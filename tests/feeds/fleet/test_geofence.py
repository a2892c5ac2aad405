"""Geofence: geodesic distances, zones from GeoJSON (holes, multi-polygons, ports), states, alerts."""

from __future__ import annotations

import math

import numpy as np
import pytest

from feeds.core.records import Severity
from feeds.fleet import geodesy
from feeds.fleet.ais import VesselReport
from feeds.fleet.geofence import (
    DAY_S,
    ESCALATION_STEPS,
    HOUR_S,
    TransitionTracker,
    VesselState,
    ZoneError,
    ZoneKind,
    ZoneSet,
    classify,
    classify_many,
    escalation_step,
    points_in_polygon,
    reporting_interval_s,
)
from tests.support.paths import DATA

ZONES = DATA / "vessels" / "zones.geojson"
T0 = 1_714_521_600.0  # 2024-05-01T00:00:00Z


@pytest.fixture(scope="module")
def zones() -> ZoneSet:
    return ZoneSet.load(ZONES)


@pytest.fixture(scope="module")
def bundled() -> ZoneSet:
    return ZoneSet.bundled()


def report(lat: float, lon: float, time: float = T0, distress: bool = False) -> VesselReport:
    return VesselReport("v1", time, lat, lon, None, None, distress, "test")


def state_at(zones: ZoneSet, lat: float, lon: float, **kwargs) -> tuple[str, str | None]:
    status = classify(zones, report(lat, lon), T0, **kwargs)
    return status.state.value, status.zone


# --- geodesy ---------------------------------------------------------------------------------


def test_vincenty_matches_the_published_flinders_peak_to_buninyong_distance():
    flinders = (-(37 + 57 / 60 + 3.72030 / 3600), 144 + 25 / 60 + 29.52440 / 3600)
    buninyong = (-(37 + 39 / 60 + 10.15610 / 3600), 143 + 55 / 60 + 35.38390 / 3600)
    assert geodesy.distance_m(*flinders, *buninyong) == pytest.approx(54_972.271, abs=0.001)


def test_distance_to_polyline_agrees_with_brute_force_within_a_hundredth_of_a_percent(bundled):
    segments = bundled.boundary_segments
    rng = np.random.default_rng(7)
    lat, lon = rng.uniform(17.0, 22.0, 60), rng.uniform(104.5, 110.0, 60)
    t = np.linspace(0.0, 1.0, 2001)
    brute = np.full(lat.shape, np.inf)
    for lon1, lat1, lon2, lat2 in segments:
        along = geodesy.distance_nm(lat[:, None], lon[:, None], lat1 + t * (lat2 - lat1), lon1 + t * (lon2 - lon1))
        brute = np.minimum(brute, along.min(axis=1))
    fast = geodesy.distance_to_segments_nm(lat, lon, segments)
    # Samples at most 50 m apart put the brute force within centimetres of the true minimum, from above.
    assert np.all(fast >= brute - 1 / geodesy.METRES_PER_NM)
    assert np.all((fast - brute) / brute < 1e-4)


def test_distance_to_a_meridian_segment_is_the_distance_along_the_parallel():
    segment = np.array([[106.5, 18.9, 106.5, 19.6]])
    expected = geodesy.distance_nm(19.1, 106.46, 19.1, 106.5)
    assert geodesy.distance_to_segments_nm([19.1], [106.46], segment)[0] == pytest.approx(expected, rel=1e-6)
    beyond_end = geodesy.distance_nm(19.7, 106.5, 19.6, 106.5)
    assert geodesy.distance_to_segments_nm([19.7], [106.5], segment)[0] == pytest.approx(beyond_end, rel=1e-9)


# --- point in polygon -----------------------------------------------------------------------


def test_ray_through_a_vertex_counts_once():
    diamond = ZoneSet.from_geojson(
        {
            "type": "Feature",
            "properties": {"name": "diamond", "kind": "permitted"},
            "geometry": {"type": "Polygon", "coordinates": [[[106, 19], [106.1, 19.1], [106, 19.2], [105.9, 19.1]]]},
        }
    ).zones[0]
    lat, lon = np.array([19.1, 19.1, 19.1, 19.15]), np.array([105.8, 106.0, 106.2, 106.0])
    assert points_in_polygon(lat, lon, diamond.edges).tolist() == [False, True, False, True]


def test_open_ring_is_closed_and_contains_its_interior():
    zone = ZoneSet.from_geojson(
        {
            "type": "Feature",
            "properties": {"name": "open", "kind": "restricted"},
            "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1]]]},
        }
    ).zones[0]
    assert zone.contains([0.5, 0.5], [0.5, 1.5]).tolist() == [True, False]


# --- states on the test zones ---------------------------------------------------------------


def test_inside_a_hole_of_the_permitted_area_is_violating(zones):
    assert state_at(zones, 19.25, 106.25) == ("violating", None)
    assert state_at(zones, 19.25, 106.15) == ("inside", "Ngư trường A")


def test_second_part_of_a_multipolygon_is_permitted_and_the_gap_is_not(zones):
    assert state_at(zones, 19.1, 106.7) == ("inside", "Ngư trường A")
    assert state_at(zones, 19.1, 106.55) == ("violating", None)  # violating outranks near_boundary


def test_restricted_inside_permitted_is_violating_and_named(zones):
    assert state_at(zones, 19.40, 106.40) == ("violating", "Khu bảo tồn X")


def test_near_boundary_follows_the_configured_distance(zones):
    assert state_at(zones, 19.1, 106.46) == ("near_boundary", "Ngư trường A")  # 2.27 nm
    assert state_at(zones, 19.1, 106.46, near_nm=2.0) == ("inside", "Ngư trường A")


def test_point_port_radius_is_geodesic(zones):
    # 0.0081° and 0.0099° of latitude at 19°N are 897 m and 1096 m; the radius is 1000 m.
    assert state_at(zones, 19.05 + 0.0081, 106.05) == ("at_port", "Cảng điểm")
    assert state_at(zones, 19.05 + 0.0099, 106.05) == ("inside", "Ngư trường A")


def test_port_outranks_violating_and_distress_outranks_everything(zones):
    assert state_at(zones, 19.41, 105.91) == ("at_port", "Cảng đa giác")  # outside the permitted area
    status = classify(zones, report(19.41, 105.91, time=T0 - DAY_S, distress=True), T0)
    assert status.state is VesselState.DISTRESS


def test_lost_signal_outranks_port(zones):
    status = classify(zones, report(19.05, 106.05, time=T0 - 3 * HOUR_S), T0, length_m=30)
    assert status.state is VesselState.LOST_SIGNAL
    assert status.zone == "Cảng điểm"


def test_without_permitted_zones_outside_everything_is_inside():
    only_boundary = ZoneSet.from_geojson(
        {
            "type": "Feature",
            "properties": {"name": "line", "kind": "boundary"},
            "geometry": {"type": "MultiLineString", "coordinates": [[[0, 0], [0, 1]], [[2, 0], [2, 1]]]},
        }
    )
    status = classify(only_boundary, report(0.5, 1.0), T0)
    assert (status.state, status.zone) == (VesselState.INSIDE, None)
    assert status.boundary_nm == pytest.approx(60.0, rel=0.01)  # 1° of longitude at the equator


def test_no_boundary_gives_no_distance():
    port_only = ZoneSet.from_geojson(
        {
            "type": "Feature",
            "properties": {"name": "p", "kind": "port", "radius_m": 500},
            "geometry": {"type": "Point", "coordinates": [106, 19]},
        }
    )
    assert classify(port_only, report(19.5, 106.5), T0).boundary_nm is None


def test_vectorised_and_single_classification_agree(zones):
    rng = np.random.default_rng(3)
    lat = np.r_[rng.uniform(18.95, 19.55, 298), 19.05, 19.41]  # the last two are at the ports
    lon = np.r_[rng.uniform(105.85, 106.85, 298), 106.05, 105.91]
    silence = rng.uniform(0, 4 * HOUR_S, 300)
    distress = rng.random(300) < 0.05
    many = classify_many(zones, lat, lon, silence_s=silence, distress=distress)
    for i in range(300):
        one = classify(zones, report(lat[i], lon[i], time=T0 - silence[i], distress=bool(distress[i])), T0)
        assert one.state is many.state(i)
    assert len({many.state(i) for i in range(300)}) == len(VesselState)


# --- the bundled Thanh Hóa zones and the real boundary --------------------------------------


def test_bundled_zones_have_every_kind_and_the_ports(bundled):
    kinds = {zone.kind for zone in bundled.zones}
    assert kinds == set(ZoneKind)
    names = {zone.name for zone in bundled.of_kind(ZoneKind.PORT)}
    assert {"Cảng cá Lạch Hới (Sầm Sơn)", "Cảng cá Lạch Bạng", "Cảng Nghi Sơn"} <= names


def test_both_sides_of_the_gulf_of_tonkin_line(bundled):
    # Between points 13 and 14 the line runs along 19°25'26"N; PRC waters lie south of that step.
    prc = classify(bundled, report(19.40, 107.28), T0)
    vn = classify(bundled, report(19.44, 107.28), T0)
    assert (prc.state, prc.zone) == (VesselState.VIOLATING, "Vùng biển Trung Quốc trong Vịnh Bắc Bộ")
    assert (vn.state, vn.zone) == (VesselState.NEAR_BOUNDARY, "Vùng biển Thanh Hóa (ước lượng)")
    assert prc.boundary_nm == pytest.approx(geodesy.distance_nm(19.40, 107.28, 19.423889, 107.28), rel=1e-3)
    assert state_at(bundled, 19.75, 106.30) == ("inside", "Vùng biển Thanh Hóa (ước lượng)")
    assert state_at(bundled, 19.77, 105.90) == ("at_port", "Cảng cá Lạch Hới (Sầm Sơn)")


def test_bach_long_vi_is_15_to_16_nm_from_the_line(bundled):
    # geo.md: with point 11 at 19°57'33"N the line passes 15-16 nm from the island.
    assert 15.0 < bundled.boundary_nm(20.13, 107.72)[0] < 16.5


# --- legal reporting interval and escalation -----------------------------------------------


@pytest.mark.parametrize(
    ("length_m", "hours"),
    [(15.0, 3), (23.9, 3), (24.0, 2), (40.0, 2), (None, 2), (12.0, math.inf)],
)
def test_reporting_interval_by_length(length_m, hours):
    assert reporting_interval_s(length_m) == hours * HOUR_S


def test_lost_signal_only_after_the_legal_interval(zones):
    def state(length_m, silent_h):
        return classify(zones, report(19.1, 106.1, time=T0 - silent_h * HOUR_S), T0, length_m=length_m).state

    assert state(20, 2.9) is VesselState.INSIDE
    assert state(20, 3.1) is VesselState.LOST_SIGNAL
    assert state(30, 2.1) is VesselState.LOST_SIGNAL
    assert state(None, 2.1) is VesselState.LOST_SIGNAL
    assert state(10, 48) is VesselState.INSIDE


@pytest.mark.parametrize(("hours", "level"), [(4.9, None), (5, 1), (7.9, 1), (8, 2), (24, 3), (239, 3), (240, 4)])
def test_escalation_steps(hours, level):
    step = escalation_step(hours * HOUR_S)
    assert (step.level if step else None) == level


def test_escalation_is_reported_for_silent_vessels_only(zones):
    late = classify(zones, report(19.1, 106.1, time=T0 - 9 * HOUR_S), T0, length_m=20)
    assert late.escalation == ESCALATION_STEPS[1]
    small = classify(zones, report(19.1, 106.1, time=T0 - 9 * HOUR_S), T0, length_m=10)
    assert small.escalation is None


# --- alerts on transitions ------------------------------------------------------------------


def test_transitions_raise_alerts_with_severity(zones):
    tracker = TransitionTracker()

    def update(lat, lon, silent_h=0.0, distress=False):
        status = classify(zones, report(lat, lon, time=T0 - silent_h * HOUR_S, distress=distress), T0)
        return tracker.update("v1", status, T0)

    assert update(19.1, 106.1) is None  # first seen, inside
    near = update(19.1, 106.46)
    assert (near.severity, near.extra["previous"], near.extra["state"]) == (Severity.WARNING, "inside", "near_boundary")
    assert update(19.1, 106.46) is None  # no change, no alert
    assert update(19.4, 106.4).severity is Severity.CRITICAL
    assert update(19.1, 106.1, silent_h=6).extra["escalation_level"] == 1
    assert update(19.1, 106.1, silent_h=25).severity is Severity.CRITICAL
    assert update(19.1, 106.1, distress=True).severity is Severity.EMERGENCY


def test_first_sight_of_a_violating_vessel_raises_an_alert(zones):
    alert = TransitionTracker().update("v9", classify(zones, report(19.4, 106.4), T0), T0, (19.4, 106.4))
    assert alert is not None and alert.key == "vessel/v9/boundary" and alert.extra["previous"] is None
    assert (alert.identity, alert.link, alert.location, alert.clear) == (
        "vessel/v9|boundary", "vessel:v9", (19.4, 106.4), False)


def test_a_vessel_back_inside_clears_the_alert_of_the_state_it_left(zones):
    tracker = TransitionTracker()
    tracker.update("v9", classify(zones, report(19.1, 106.1), T0), T0)
    lost = tracker.update("v9", classify(zones, report(19.1, 106.1, time=T0 - 9 * HOUR_S), T0, length_m=20), T0)
    assert lost.alert_type == "lost_signal" and not lost.clear
    back = tracker.update("v9", classify(zones, report(19.1, 106.1), T0 + 60), T0 + 60)
    assert (back.alert_type, back.clear, back.title_en) == ("lost_signal", True, "Vessel v9 back in the permitted area")


# --- zone file errors -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("properties", "geometry", "message"),
    [
        ({"name": "x", "kind": "fishing"}, {"type": "Point", "coordinates": [106, 19]}, "properties.kind"),
        ({"name": "x", "kind": "port"}, {"type": "Point", "coordinates": [106, 19]}, "radius_m"),
        ({"name": "x", "kind": "restricted"}, {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "cannot be"),
        ({"kind": "boundary"}, {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "properties.name"),
        ({"name": "x", "kind": "boundary"}, {"type": "LineString", "coordinates": [[0, 0], [1, 95]]}, "within"),
    ],
)
def test_bad_zone_features_are_refused_with_a_reason(properties, geometry, message):
    with pytest.raises(ZoneError, match=message):
        ZoneSet.from_geojson({"type": "Feature", "properties": properties, "geometry": geometry})


def test_transition_alerts_have_readable_vietnamese_titles():
    from feeds.fleet.geofence import TransitionTracker, VesselStatus

    tracker = TransitionTracker()
    near = VesselStatus(state=VesselState.NEAR_BOUNDARY, boundary_nm=4.24, zone=None, silence_s=0.0, escalation=None)
    alert = tracker.update("TH-90123-TS", near, 1000.0)
    assert alert.title == "Tàu TH-90123-TS đến gần ranh giới (4,2 hải lý)"
    assert alert.title_en == "Vessel TH-90123-TS near the boundary (4.2 nm)"
    assert alert.detail == "new → near_boundary"
    assert tracker.update("TH-90123-TS", near, 1001.0) is None  # no change, no alert
    from feeds.fleet.geofence import ESCALATION_STEPS
    silent = VesselStatus(state=VesselState.LOST_SIGNAL, boundary_nm=30.0, zone=None, silence_s=9 * 3600.0,
                          escalation=ESCALATION_STEPS[1])
    assert tracker.update("TH-90123-TS", silent, 2000.0).title == "Tàu TH-90123-TS mất tín hiệu quá 8 giờ"

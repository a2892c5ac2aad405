"""The fleet model behind the vessel map and its panels."""

from __future__ import annotations

from feeds.fleet.records import VesselPosition, VesselStateChange
from widgets.fleet.fleet_model import FleetModel

T0 = 1_800_000_000.0


def test_the_map_model_keeps_the_newest_position_and_state_whatever_order_they_come_in():
    """Stored records are read off the GUI thread and can arrive after live ones: they must not win."""
    model = FleetModel()
    live = [VesselPosition(key="vessel/TH-1", ts=T0 + 60, source="fleet", lat=19.7, lon=106.3),
            VesselStateChange(key="vessel/TH-1", ts=T0 + 60, source="fleet", state="violating")]
    stored = [VesselPosition(key="vessel/TH-1", ts=T0, source="fleet", lat=19.5, lon=106.1),
              VesselStateChange(key="vessel/TH-1", ts=T0, source="fleet", state="inside")]
    model.apply(live)
    model.apply(stored)
    vessel = model.vessels["TH-1"]
    assert (vessel.lat, vessel.state, vessel.ts, vessel.state_ts) == (19.7, "violating", T0 + 60, T0 + 60)

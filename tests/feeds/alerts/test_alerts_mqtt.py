"""Alerts over a real Mosquitto: a burst across a broker restart, and two consoles working on one alert."""

from __future__ import annotations

from feeds.alerts.book import AlertBook
from feeds.core.records import LinkState
from feeds.ingest.writer import Ingestor
from feeds.sources.mqtt import MqttSource
from feeds.store import Cache
from tests.support.restart import simulate_across_restart
from tests.support.waiting import wait_until


def test_a_burst_of_1000_alerts_across_a_broker_restart_is_stored_and_counted_exactly_once(broker, tmp_path):
    cache = Cache(tmp_path / "c.sqlite")
    ingestor = Ingestor(cache, deliver=lambda records: None)
    book = AlertBook(cache)
    ingestor.add_processor(book)
    ingestor.start()
    source = MqttSource("bus", f"{broker.url}/ioc/v1/alert/#", {"client_id": "t-storm"}, ingestor)
    source.start()
    wait_until(lambda: source.state.state == LinkState.CONNECTED, 10, "the subscriber to connect")
    out = simulate_across_restart(broker, source, "--alert-storm", "1000", "--storm-sources", "50",
                                  "--duration", "3", "--linger", "6")
    assert "published alerts: 1000" in out
    wait_until(lambda: cache.count("alerts") >= 1000, 30, lambda: f"1000 alerts, have {cache.count('alerts')}")
    rows = cache.run("SELECT count(*), count(DISTINCT seq), min(seq), max(seq) FROM alerts")
    assert rows == [(1000, 1000, 1, 1000)]
    wait_until(lambda: cache.run("SELECT sum(json_extract(data, '$.count')) FROM alert_state")[0][0] == 1000, 10,
             "the alert counts to add up to 1000")
    states = cache.alert_states()
    assert len(states) == 50 and {a.count for a in states} == {20}  # one open alert per source, 20 triggers each
    assert book.open_count == 50
    source.stop()
    ingestor.stop()
    cache.close()

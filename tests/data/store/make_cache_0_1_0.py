"""Made with release 0.1.0 (commit 37b054f): a cache with a row in every table, for the migration test."""
import sys, time
from feeds.cache import Cache
from feeds.records import Measurement, AlertEvent, AlertAction, SceneCommand, Severity
from feeds.vessels import VesselPosition
from feeds.alert_book import AlertBook
path = sys.argv[1]
c = Cache(path)
t = 1764547200.0  # 2025-12-01
recs = [Measurement("econ/cpi", 3.4 + i / 10, t + i * 60, "sim", "%", "CPI") for i in range(5)]
recs += [AlertEvent("a1", "air/sam-son/aqi", Severity.CRITICAL, "AQI vượt ngưỡng", t + 10, "aqi", seq=1,
                    publisher="p1", title_en="AQI above threshold", link="station:sam-son")]
recs += [SceneCommand("wall-1/0", "moi-truong", {"name": "x", "rows": 1, "cols": 1, "tiles": []}, t, "ops", "ops")]
recs += [VesselPosition("vessel/TH-90001-TS", t + 5, "fleet", 19.7, 106.0, 5.0, 90.0, name="Tàu 1")]
book = AlertBook(c)
derived = book(recs)
c.store(recs + derived)
alert_id = [r for r in derived if type(r).__name__ == "Alert"][0].id
c.store([AlertAction("act1", alert_id, "ack", "Trực ban", t + 20, "local", "đã nhận")])
c.reject("ioc", "ioc/v1/indicator/x", "invalid JSON", b"{oops")
c.log_scene("push", "moi-truong", "wall-1/0", "ops", t)
c.save_scene("tong-quan", {"name": "tong-quan"}, "ops")
c.mark_file("abc", "readings.csv", 3)
c.close()
import sqlite3
conn = sqlite3.connect(path)
for (name,) in conn.execute("select name from sqlite_master where type='table'"):
    print(name, conn.execute(f"select count(*) from {name}").fetchone()[0])
conn.execute("PRAGMA wal_checkpoint(TRUNCATE)"); conn.close()

"""Scenes: what each terminal screen shows (`scene_state`), the log of pushes and applies (`scene_log`),
and the scenes operators saved by name (`saved_scenes`)."""

from __future__ import annotations

import json
import sqlite3
import time
from typing import Any

from feeds.core.records import SceneCommand
from feeds.store.base import StoreBase

UPSERT_SCENE = """
INSERT INTO scene_state (target, scene, layout, ts, by) VALUES (?, ?, ?, ?, ?)
ON CONFLICT(target) DO UPDATE SET scene=excluded.scene, layout=excluded.layout, ts=excluded.ts, by=excluded.by
WHERE excluded.ts >= scene_state.ts
"""



class SceneStore(StoreBase):
    def _store_scenes(self, conn: sqlite3.Connection, scenes: list[SceneCommand]) -> int:
        conn.executemany(UPSERT_SCENE, [
            (s.target, s.scene, json.dumps(s.layout, ensure_ascii=False), s.ts, s.by) for s in scenes])
        return len(scenes)

    def log_scene(self, action: str, scene: str, target: str, by: str, ts: float | None = None) -> bool:
        return self._write("INSERT INTO scene_log (ts, action, scene, target, by) VALUES (?, ?, ?, ?, ?)",
                           (ts or time.time(), action, scene, target, by), f"the scene {action} of {scene!r}")

    def save_scene(self, name: str, layout: dict[str, Any], by: str) -> bool:
        return self._write(
            "INSERT INTO saved_scenes (name, layout, by, ts) VALUES (?, ?, ?, ?) ON CONFLICT(name) DO UPDATE"
            " SET layout=excluded.layout, by=excluded.by, ts=excluded.ts",
            (name, json.dumps(layout, ensure_ascii=False), by, time.time()), f"the scene {name!r}")

    def saved_scenes(self) -> dict[str, dict[str, Any]]:
        with self._lock:
            rows = self.db.conn.execute("SELECT name, layout FROM saved_scenes ORDER BY name").fetchall()
        return {name: json.loads(layout) for name, layout in rows}


    def scene_for(self, target: str) -> SceneCommand | None:
        with self._lock:
            row = self.db.conn.execute(
                "SELECT target, scene, layout, ts, by FROM scene_state WHERE target = ?", (target,)).fetchone()
        if row is None:
            return None
        return SceneCommand(target=row[0], scene=row[1], layout=json.loads(row[2]), ts=row[3], source="cache",
                            by=row[4])

    def scene_log(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self.db.conn.execute("SELECT ts, action, scene, target, by FROM scene_log ORDER BY id").fetchall()
        return [dict(zip(("ts", "action", "scene", "target", "by"), r)) for r in rows]


"""Backups: a folder that is not one, or whose manifest is garbage, is refused before anything is replaced."""

from __future__ import annotations

import json
import sqlite3

import pytest

from feeds.store.backup import MANIFEST, BackupError, backup, restore


def _database(path, rows):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.executemany("INSERT INTO t VALUES (?)", [(r,) for r in rows])
    conn.commit()
    conn.close()


@pytest.mark.parametrize("manifest", ["not json", "[]", '{"files": [1, 2]}', '{"files": {"cache": "x"}}',
                                      '{"created": 1}'])
def test_a_garbage_manifest_is_refused_and_nothing_is_replaced(tmp_path, manifest):
    live = tmp_path / "cache.sqlite"
    _database(live, [1, 2, 3])
    before = live.read_bytes()
    folder = tmp_path / "bk"
    folder.mkdir()
    (folder / MANIFEST).write_text(manifest, encoding="utf-8")
    (folder / "cache.sqlite").write_bytes(b"garbage")
    with pytest.raises(BackupError, match="not a controlroom backup"):
        restore(folder, {"cache": live})
    assert live.read_bytes() == before


def test_a_folder_without_a_manifest_is_not_a_backup(tmp_path):
    with pytest.raises(BackupError, match="not a controlroom backup"):
        restore(tmp_path, {"cache": tmp_path / "cache.sqlite"})


def test_a_copy_that_is_not_a_database_is_refused_even_with_a_matching_hash(tmp_path):
    import hashlib

    live = tmp_path / "cache.sqlite"
    _database(live, [1])
    copied = backup({"cache": live}, tmp_path / "bk")
    assert [c.name for c in copied] == ["cache"]
    junk = b"SQLite format 3\x00" + b"\x00" * 200
    (tmp_path / "bk" / "cache.sqlite").write_bytes(junk)
    manifest = json.loads((tmp_path / "bk" / MANIFEST).read_text(encoding="utf-8"))
    manifest["files"]["cache"]["sha256"] = hashlib.sha256(junk).hexdigest()  # someone fixed the hash up too
    (tmp_path / "bk" / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupError, match="damaged"):
        restore(tmp_path / "bk", {"cache": live})
    conn = sqlite3.connect(live)
    assert conn.execute("SELECT x FROM t").fetchall() == [(1,)]
    conn.close()

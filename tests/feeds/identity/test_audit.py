"""The hash chain finds a changed, deleted or reordered entry; the table refuses edits."""

from __future__ import annotations

import sqlite3

import pytest

from feeds.identity.audit import GENESIS, check_chain, write_csv


def _fill(identity, n=20):
    for i in range(n):
        identity.audit.append("an", "tinh", "alert.ack", f"alert-{i}", "ok", f"lần {i} — đã xác nhận")


def _raw(identity):
    """A connection without the append-only triggers, as someone editing the file would have."""
    conn = sqlite3.connect(identity.path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    return conn


def test_an_untouched_chain_verifies(identity):
    _fill(identity)
    check = identity.audit.verify()
    assert check.intact and check.entries == 20
    first = next(identity.audit.entries())
    assert first.prev == GENESIS and first.seq == 1


def test_the_table_refuses_update_and_delete(identity):
    _fill(identity, 2)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        identity.conn.execute("UPDATE audit SET outcome = 'refused' WHERE seq = 1")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        identity.conn.execute("DELETE FROM audit WHERE seq = 2")


@pytest.mark.parametrize(("tamper", "first_bad"), [
    ("UPDATE audit SET actor = 'mallory' WHERE seq = 7", 7),
    ("DELETE FROM audit WHERE seq = 7", 8),
    ("DELETE FROM audit WHERE seq IN (19, 20)", 19),  # the newest: found by the recorded head
    ("UPDATE audit SET seq = CASE seq WHEN 7 THEN 8 ELSE 7 END WHERE seq IN (7, 8)", 7),
])
def test_tampering_breaks_the_chain(identity, tamper, first_bad):
    _fill(identity)
    raw = _raw(identity)
    if "CASE" in tamper:  # swap two rows: through a free seq, the primary key being unique
        raw.execute("UPDATE audit SET seq = 1000 WHERE seq = 7")
        raw.execute("UPDATE audit SET seq = 7 WHERE seq = 8")
        raw.execute("UPDATE audit SET seq = 8 WHERE seq = 1000")
    else:
        raw.execute(tamper)
    raw.close()
    check = identity.audit.verify()
    assert not check.intact and check.first_bad == first_bad, check


def test_recomputed_hashes_after_an_edit_still_break_at_the_next_entry(identity):
    """Someone who recomputes the edited entry's hash breaks the link to the next one."""
    from feeds.identity.audit import entry_hash

    _fill(identity)
    raw = _raw(identity)
    row = raw.execute("SELECT seq, ts, actor, unit, terminal, action, target, outcome, detail, prev FROM audit "
                      "WHERE seq = 5").fetchone()
    forged = entry_hash(*row[:2], "mallory", *row[3:])
    raw.execute("UPDATE audit SET actor = 'mallory', hash = ? WHERE seq = 5", (forged,))
    raw.close()
    check = identity.audit.verify()
    assert check.first_bad == 6 and "previous entry" in check.problem


def test_export_writes_csv_from_a_date(identity, tmp_path):
    import csv
    import io

    _fill(identity, 3)
    out = io.StringIO()
    assert write_csv(identity.audit.entries(), out) == 3
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert rows[0][:3] == ["time", "seq", "ts"] and rows[1][-3] == "lần 0 — đã xác nhận"
    later = next(iter(identity.audit.entries(after_seq=2))).ts
    assert len(list(identity.audit.entries(since_ts=later))) == 1


def test_check_chain_of_nothing_is_intact():
    assert check_chain([]).intact

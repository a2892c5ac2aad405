"""The append-only audit trail: each entry hashes its content with the previous entry's hash (SHA-256)."""

from __future__ import annotations

import csv
import hashlib
import json
import math
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, fields
from typing import TextIO

GENESIS = "0" * 64
COLUMNS = ("seq", "ts", "actor", "unit", "terminal", "action", "target", "outcome", "detail", "prev", "hash")


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    ts: float
    actor: str
    unit: str
    terminal: str
    action: str  # sign_in, sign_out, scene.push, alert.ack, kiosk.exit …
    target: str
    outcome: str  # ok, refused, failed, locked
    detail: str
    prev: str
    hash: str

    def expected_hash(self) -> str:
        return entry_hash(self.seq, self.ts, self.actor, self.unit, self.terminal, self.action, self.target,
                          self.outcome, self.detail, self.prev)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> AuditEntry:
        """Raises ValueError/TypeError/KeyError for a malformed entry."""
        values = {f.name: data[f.name] for f in fields(cls)}
        for name in ("actor", "unit", "terminal", "action", "target", "outcome", "detail", "prev", "hash"):
            if not isinstance(values[name], str):
                raise TypeError(f"{name} is not text")
        seq, ts = values["seq"], values["ts"]
        if not isinstance(seq, int) or isinstance(seq, bool) or not isinstance(ts, (int, float)):
            raise TypeError("seq or ts is not a number")
        if not 1 <= seq < 2**63 or not math.isfinite(ts) or isinstance(ts, bool):
            raise ValueError(f"seq {seq} or ts {ts} is out of range")
        return cls(**values)  # type: ignore[arg-type]


def entry_hash(seq: int, ts: float, actor: str, unit: str, terminal: str, action: str, target: str, outcome: str,
               detail: str, prev: str) -> str:
    body = json.dumps([seq, ts, actor, unit, terminal, action, target, outcome, detail, prev], ensure_ascii=False,
                      separators=(",", ":"))
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainCheck:
    entries: int
    first_bad: int | None = None  # seq of the first entry that does not match
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.first_bad is None


def check_chain(entries: Iterable[AuditEntry]) -> ChainCheck:
    """Recompute every hash in order: a changed, deleted, inserted or reordered entry breaks the chain."""
    prev, expected_seq, count = GENESIS, 1, 0
    for entry in entries:
        count += 1
        if entry.seq != expected_seq:
            why = "entries are missing" if entry.seq > expected_seq else "out of order"
            return ChainCheck(count, entry.seq, f"entry {entry.seq} follows entry {expected_seq - 1}: {why}")
        if entry.prev != prev:
            return ChainCheck(count, entry.seq, f"entry {entry.seq} does not follow the previous entry's hash")
        if entry.expected_hash() != entry.hash:
            return ChainCheck(count, entry.seq, f"entry {entry.seq} was changed: its hash does not match its content")
        prev, expected_seq = entry.hash, expected_seq + 1
    return ChainCheck(count)


def _rows(cursor: sqlite3.Cursor) -> Iterator[AuditEntry]:
    for row in cursor:
        yield AuditEntry(*row)


class AuditLog:
    """This database's chain. Safe from several threads and processes: the chain head is read and the entry
    written in one immediate transaction."""

    def __init__(self, conn: sqlite3.Connection, terminal: str, lock: threading.RLock | None = None) -> None:
        self.conn = conn
        self.terminal = terminal
        self._lock = lock or threading.RLock()  # shared with the account store of the same connection
        self.listeners: list[Callable[[AuditEntry], None]] = []  # given each new entry (the MQTT relay)

    def append(self, actor: str, unit: str, action: str, target: str = "", outcome: str = "ok", detail: str = "",
               terminal: str | None = None) -> AuditEntry:
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                row = self.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
                ts = round(time.time(), 6)
                term = self.terminal if terminal is None else terminal
                digest = entry_hash(seq, ts, actor, unit, term, action, target, outcome, detail, prev)
                entry = AuditEntry(seq, ts, actor, unit, term, action, target, outcome, detail, prev, digest)
                self.conn.execute(f"INSERT INTO audit VALUES ({','.join('?' * len(COLUMNS))})",
                                  [getattr(entry, c) for c in COLUMNS])
                # the chain's head, so that removing the newest entries is found too
                self.conn.execute("INSERT INTO meta VALUES ('head', ?) ON CONFLICT(key) DO UPDATE SET "
                                  "value = excluded.value", (f"{seq}:{digest}",))
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        for listener in self.listeners:
            listener(entry)
        return entry

    def entries(self, since_ts: float = 0.0, after_seq: int = 0, limit: int | None = None) -> Iterator[AuditEntry]:
        sql = f"SELECT {','.join(COLUMNS)} FROM audit WHERE ts >= ? AND seq > ? ORDER BY seq"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return _rows(self.conn.execute(sql, (since_ts, after_seq)))

    def last(self, action: str, target: str) -> AuditEntry | None:
        """The newest entry of ACTION on TARGET, if any."""
        row = self.conn.execute(f"SELECT {','.join(COLUMNS)} FROM audit WHERE action = ? AND target = ? "
                                "ORDER BY seq DESC LIMIT 1", (action, target)).fetchone()
        return AuditEntry(*row) if row else None

    def verify(self) -> ChainCheck:
        """The chain, and its last entry against the recorded head and what the relay has already sent."""
        check = check_chain(self.entries())
        if not check.intact:
            return check
        meta = dict(self.conn.execute("SELECT key, value FROM meta WHERE key IN ('head', 'published_seq')"))
        last = self.conn.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        last_seq, last_hash = last if last else (0, GENESIS)
        head = str(meta.get("head", "0:"))
        head_seq = int(head.split(":", 1)[0]) if head.split(":", 1)[0].isdigit() else last_seq + 1
        if ("head" in meta and meta["head"] != f"{last_seq}:{last_hash}") or head_seq < last_seq:
            return ChainCheck(check.entries, last_seq + 1 if head_seq > last_seq else last_seq,
                              f"the newest entries were removed: the trail ends at {last_seq}, its head was "
                              f"{head_seq}" if head_seq > last_seq else f"entry {last_seq} is not the recorded head")
        published = str(meta.get("published_seq", "0"))
        if not published.isdigit() or int(published) > last_seq:
            return ChainCheck(check.entries, last_seq + 1, f"entries after {last_seq} were removed: the collector "
                                                           f"already has up to {meta['published_seq']}")
        return check

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM audit").fetchone()[0])


def write_csv(entries: Iterable[AuditEntry], out: TextIO) -> int:
    """CSV with a header row and one row per entry (times in ISO 8601, local time); the number of rows."""
    writer = csv.writer(out)
    writer.writerow(["time", *COLUMNS])
    count = 0
    for entry in entries:
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(entry.ts))
        writer.writerow([stamp, *(getattr(entry, c) for c in COLUMNS)])
        count += 1
    return count


class SiteAudit:
    """The collector's copy of every terminal's chain, keyed by (chain, seq); a re-sent entry is kept once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._lock = threading.Lock()

    def add(self, chain: str, entry: AuditEntry, terminal: str) -> str | None:
        """Keep ENTRY: None when kept, else the hash already kept at its place (the same: a re-sent entry).
        A chain belongs to the terminal it was first seen from; another terminal cannot write into it."""
        with self._lock:
            owner = self.conn.execute("SELECT terminal FROM site_audit WHERE chain = ? AND terminal NOT LIKE "
                                      "'cli@%' LIMIT 1", (chain,)).fetchone()
            if owner is not None and owner[0] != terminal and not entry.terminal.startswith("cli@"):
                raise ValueError(f"chain {chain} belongs to terminal {owner[0]!r}, not {terminal!r}")
            cursor = self.conn.execute(
                f"INSERT OR IGNORE INTO site_audit VALUES (?, {','.join('?' * len(COLUMNS))}, ?)",
                [chain, *(getattr(entry, c) for c in COLUMNS), time.time()])
            if cursor.rowcount == 1:
                return None
            row = self.conn.execute("SELECT hash FROM site_audit WHERE chain = ? AND seq = ?",
                                    (chain, entry.seq)).fetchone()
        return str(row[0])

    def chains(self) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT DISTINCT chain FROM site_audit ORDER BY chain")]

    def entries(self, chain: str) -> Iterator[AuditEntry]:
        return _rows(self.conn.execute(f"SELECT {','.join(COLUMNS)} FROM site_audit WHERE chain = ? ORDER BY seq",
                                       (chain,)))

    def verify(self) -> dict[str, ChainCheck]:
        return {chain: check_chain(self.entries(chain)) for chain in self.chains()}

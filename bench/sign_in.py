"""Sign-in cost and audit-trail throughput on this machine.

`sign_in_ms`: one local sign-in (argon2id verify with the recommended profile, the failure counter, the audit
entry), median of N; goal 100–500 ms (slow to guess, quick for a person). It is set beside the bare argon2
verify of the same hash (`argon2_verify_ms`), the floor a sign-in cannot beat.
`audit_appends_per_s`: entries appended one by one, each in its own transaction with its SHA-256 chained to
the previous one; goal ≥ 5,000/s. It is set beside plain single-row INSERT transactions into the same kind of
table in the same WAL database (`sqlite_inserts_per_s`), the limit the chain costs against.

Run: python bench/sign_in.py [--sign-ins 15 --appends 20000]
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feeds.identity.passwords import DEFAULT_PROFILE, hasher
from feeds.identity.roles import Role
from feeds.identity.service import Identity
from feeds.identity.settings import IdentitySettings


def sign_in_ms(folder: Path, count: int) -> tuple[float, float]:
    identity = Identity(IdentitySettings(), "bench", folder / "signin.sqlite")
    identity.accounts.add("an", "mat-khau-dung", Role.DUTY_OPERATOR, "tinh")
    phc = identity.accounts.get("an").hash
    times, bare = [], []
    for _ in range(count):
        start = time.perf_counter()
        assert identity.signin.sign_in("an", "mat-khau-dung", "bench").ok
        times.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        hasher(DEFAULT_PROFILE).verify(phc, "mat-khau-dung")
        bare.append((time.perf_counter() - start) * 1000)
    identity.close()
    return statistics.median(times), statistics.median(bare)


def audit_appends_per_s(folder: Path, count: int) -> float:
    identity = Identity(IdentitySettings(), "bench", folder / "audit.sqlite")
    start = time.perf_counter()
    for i in range(count):
        identity.audit.append("an", "tinh", "alert.ack", f"alert-{i}", "ok", "xác nhận cảnh báo")
    elapsed = time.perf_counter() - start
    assert identity.audit.verify().intact
    identity.close()
    return count / elapsed


def sqlite_inserts_per_s(folder: Path, count: int) -> float:
    conn = sqlite3.connect(folder / "plain.sqlite", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY, ts REAL, actor TEXT, unit TEXT, terminal TEXT, "
                 "action TEXT, target TEXT, outcome TEXT, detail TEXT, prev TEXT, hash TEXT)")
    start = time.perf_counter()
    for i in range(count):
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (NULL, ?, 'an', 'tinh', 'bench', 'alert.ack', ?, 'ok', 'x', ?, ?)",
                     (time.time(), f"alert-{i}", "0" * 64, "0" * 64))
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - start
    conn.close()
    return count / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sign-ins", type=int, default=15)
    parser.add_argument("--appends", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        signin, bare = sign_in_ms(folder, args.sign_ins)
        appends = audit_appends_per_s(folder, args.appends)
        plain = sqlite_inserts_per_s(folder, args.appends)
    print(f"sign_in_ms: {signin:.1f}")
    print(f"argon2_verify_ms: {bare:.1f}")
    print(f"sign_in_goal_met: {100 <= signin <= 500}")
    print(f"audit_appends_per_s: {appends:.0f}")
    print(f"sqlite_inserts_per_s: {plain:.0f}")
    print(f"audit_vs_plain_inserts: {appends / plain:.2f}")
    print(f"audit_goal_met: {appends >= 5000}")


if __name__ == "__main__":
    main()

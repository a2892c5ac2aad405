"""Waiting on real parts, and running the simulator through a broker restart."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

from feeds.records import LinkState

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate: Callable[[], object], timeout_s: float, what: str | Callable[[], str]) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what() if callable(what) else what}")


def simulate_across_restart(broker, source, *args: str) -> str:
    """Run `controlroom simulate ARGS` against `broker`, restarting the broker 1.5 s in while `source`
    (a subscriber) notices; the simulator's output once it has finished."""
    sim = subprocess.Popen([sys.executable, "-m", "desktop.cli", "simulate", "--broker", broker.url, *args],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)
    broker.stop()
    wait_for(lambda: source.state.state == LinkState.RECONNECTING, 10, "the subscriber to notice")
    time.sleep(1.0)
    broker.start()
    out, err = sim.communicate(timeout=90)
    assert sim.returncode == 0, err
    return out

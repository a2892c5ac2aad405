"""Running the simulator through a broker restart."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from feeds.core.records import LinkState
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]


def simulate_across_restart(broker, source, *args: str) -> str:
    """Run `controlroom simulate ARGS` against `broker`, restarting the broker 1.5 s in while `source`
    (a subscriber) notices; the simulator's output once it has finished."""
    sim = subprocess.Popen([sys.executable, "-m", "desktop.commands.cli", "simulate", "--broker", broker.url, *args],
                           cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # a duration, not a wait: the simulator publishes for a while before the broker goes
    broker.stop()
    wait_until(lambda: source.state.state == LinkState.RECONNECTING, 10, "the subscriber to notice")
    time.sleep(1.0)  # a duration: the broker stays down for a second, messages pile up at the simulator
    broker.start()
    out, err = sim.communicate(timeout=90)
    assert sim.returncode == 0, err
    return out

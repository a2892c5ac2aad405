"""A stand-alone MQTT consumer (source → writer → cache) for tests that kill the process mid-way.

With --crash-before-commit the process dies (os._exit) the first time the writer is about to commit:
the messages it received were never acknowledged, so the broker must deliver them again.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

from feeds.cache import Cache
from feeds.ingest import Ingestor
from feeds.sources.mqtt import MqttSource


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--cache", required=True)
    parser.add_argument("--expect", type=int, default=0, help="exit once this many alerts are stored")
    parser.add_argument("--timeout", type=float, default=20)
    parser.add_argument("--crash-before-commit", action="store_true")
    args = parser.parse_args()
    cache = Cache(args.cache)
    if args.crash_before_commit:
        def crash(records):  # the test double of "killed between receipt and commit"
            os._exit(9)
        cache.store = crash
    ingestor = Ingestor(cache, deliver=lambda records: None)
    ingestor.start()
    source = MqttSource("bus", args.address, {"client_id": args.client_id}, ingestor)
    source.start()
    print("started", flush=True)
    deadline = time.monotonic() + args.timeout
    while time.monotonic() < deadline:
        if args.expect and cache.count("alerts") >= args.expect:
            break
        time.sleep(0.05)
    time.sleep(0.3)  # let the acknowledgements leave
    source.stop()
    ingestor.stop()
    print(f"alerts {cache.count('alerts')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A stand-alone MQTT consumer (source → writer → cache) for tests that kill the process mid-way.

With --crash-before-commit the process dies (os._exit) the first time the writer is about to commit:
the messages it received were never acknowledged, so the broker must deliver them again.
"""

from __future__ import annotations

import argparse
import os
import sys
import threading
import time

import feeds.sources.mqtt as mqtt_source
from feeds.ingest.writer import Ingestor
from feeds.sources.mqtt import MqttSource
from feeds.store import Cache
from tests.support.waiting import wait_until


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
    subscribed = threading.Event()
    make_client = mqtt_source.make_client

    def client_telling_its_subscription(*options, **named):
        client = make_client(*options, **named)
        client.on_subscribe = lambda *_: subscribed.set()  # the broker's SUBACK
        return client

    mqtt_source.make_client = client_telling_its_subscription
    ingestor = Ingestor(cache, deliver=lambda records: None)
    ingestor.start()
    source = MqttSource("bus", args.address, {"client_id": args.client_id}, ingestor)
    source.start()
    print("started", flush=True)
    wait_until(subscribed.is_set, args.timeout, "the broker to acknowledge the subscription")
    print("subscribed", flush=True)  # from now on the broker keeps this session's messages
    if args.expect:
        try:
            wait_until(lambda: cache.count("alerts") >= args.expect, args.timeout, f"{args.expect} alerts")
        except AssertionError as exc:
            print(exc, file=sys.stderr)  # the count printed below shows how far it got
    else:
        time.sleep(args.timeout)  # a duration: receive for that long (--crash-before-commit dies before)
    ingestor.stop()  # first: every committed batch has acknowledged its messages to the client…
    source.stop()  # …whose disconnect goes out after those acknowledgements
    print(f"alerts {cache.count('alerts')}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

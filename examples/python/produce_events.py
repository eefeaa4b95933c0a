#!/usr/bin/env python3
"""Publish JSON events to Tributary from Python, and report any of them that were dead-lettered.

Needs confluent-kafka (Debian: apt-get install python3-confluent-kafka). Run against a broker
where the model exists, e.g.:

    ./tributary broker &                       # or your own cluster
    ./tributary run &
    ./tributary models create py-demo --algorithm logistic --features x1,x2
    /usr/bin/python3 examples/python/produce_events.py --model py-demo

Their predictions are Avro: examples/python/read_predictions.py decodes them.
"""
import argparse
import json
import random
import time

from confluent_kafka import Consumer, Producer


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--model", default="py-demo")
    parser.add_argument("--events", type=int, default=2000)
    args = parser.parse_args()

    producer = Producer({"bootstrap.servers": args.bootstrap_servers})
    rng = random.Random(42)
    run = f"py-{int(time.time())}"
    for i in range(args.events):
        x1, x2 = rng.gauss(0, 1), rng.gauss(5, 2)
        label = 1 if 2 * x1 - 0.5 * (x2 - 5) + rng.gauss(0, 0.5) > 0 else 0
        event = {"id": f"{run}-{i}", "model": args.model,
                 "features": {"x1": x1, "x2": x2}, "label": label}
        producer.produce("tributary.events", key=event["id"], value=json.dumps(event))
        producer.poll(0)
    producer.flush()
    print(f"published {args.events} labelled events for model {args.model}")

    consumer = Consumer({"bootstrap.servers": args.bootstrap_servers, "group.id": run,
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
    consumer.subscribe(["tributary.dead-letters"])
    # Predictions are Avro: read_predictions.py decodes them. Dead letters keep the
    # original JSON bytes and carry the reason in headers, readable from any language.
    deadline = time.time() + 5
    dead = 0
    while time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            continue
        headers = dict(msg.headers() or [])
        if msg.value() and msg.value().decode(errors="replace").find(run) >= 0:
            dead += 1
            print("dead letter:", headers.get("tributary.error.message", b"").decode())
    consumer.close()
    print(f"{dead} of this run's events were dead-lettered")


if __name__ == "__main__":
    main()

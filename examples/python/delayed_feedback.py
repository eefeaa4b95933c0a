#!/usr/bin/env python3
"""Publish events without labels, then their labels seconds later, and watch the model learn.

Each round publishes unlabelled JSON events to tributary.events, reads their predictions (Avro,
decoded with the writer schema that tributary.schemas holds for the fingerprint in each record's
header), then publishes the true labels to tributary.feedback keyed by the event ids. The score
function joins each label with the event it kept waiting and trains on it, so the next round is
scored by newer versions, and its accuracy climbs.

Needs confluent-kafka and avro (Debian: apt-get install python3-confluent-kafka python3-avro), a
broker, the functions, and a model that waits for labels:

    ./tributary broker &
    ./tributary run &
    ./tributary models create py-feedback --algorithm logistic --features x1,x2 --label-wait 5m
    /usr/bin/python3 examples/python/delayed_feedback.py --model py-feedback
"""
import argparse
import io
import json
import random
import time

import avro.io
import avro.schema
from confluent_kafka import Consumer, Producer, TopicPartition

PREDICTION = "dev.tributary.schema.Prediction"


class WriterSchemas:
    """The writer schemas on tributary.schemas (key RecordName/FINGERPRINT, value the schema's JSON)."""

    def __init__(self, bootstrap, topic="tributary.schemas"):
        self.bootstrap, self.topic, self.readers = bootstrap, topic, {}

    def reload(self):
        consumer = Consumer({"bootstrap.servers": self.bootstrap, "group.id": "unused",
                             "enable.auto.commit": False, "isolation.level": "read_committed"})
        low, high = consumer.get_watermark_offsets(TopicPartition(self.topic, 0), timeout=10)
        consumer.assign([TopicPartition(self.topic, 0, low)])
        while high > low:
            msg = consumer.poll(5)
            if msg is None:
                break
            if not msg.error() and msg.key() and msg.value():
                schema = avro.schema.parse(msg.value().decode())
                self.readers[msg.key().decode()] = avro.io.DatumReader(schema)
            if msg.offset() + 1 >= high:
                break
        consumer.close()

    def decode(self, record, value):
        """Avro single-object encoding: C3 01, the schema's 8-byte fingerprint, then the datum."""
        if value[:2] != b"\xc3\x01":
            raise ValueError("not Avro single-object encoding")
        key = f"{record}/{value[2:10].hex().upper()}"
        if key not in self.readers:
            self.reload()
        return self.readers[key].read(avro.io.BinaryDecoder(io.BytesIO(value[10:])))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--model", default="py-feedback")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--events", type=int, default=500, help="events per round")
    parser.add_argument("--delay", type=float, default=3.0, help="seconds between an event and its label")
    parser.add_argument("--pause", type=float, default=6.0,
                        help="seconds after the labels before the next round (a version is published every 5 s by default)")
    args = parser.parse_args()

    schemas = WriterSchemas(args.bootstrap_servers)
    schemas.reload()
    producer = Producer({"bootstrap.servers": args.bootstrap_servers, "enable.idempotence": True})
    predictions = Consumer({"bootstrap.servers": args.bootstrap_servers, "group.id": f"py-feedback-{time.time()}",
                            "isolation.level": "read_committed", "enable.auto.commit": False})
    meta = predictions.list_topics("tributary.predictions", timeout=10).topics["tributary.predictions"]
    ends = []
    for p in meta.partitions:
        _, high = predictions.get_watermark_offsets(TopicPartition("tributary.predictions", p), timeout=10)
        ends.append(TopicPartition("tributary.predictions", p, high))
    predictions.assign(ends)  # from now on: this run's predictions only

    rng = random.Random(7)
    run = f"py-{int(time.time())}"
    for r in range(1, args.rounds + 1):
        truth = {}
        for i in range(args.events):
            x1, x2 = rng.gauss(0, 1), rng.gauss(5, 2)
            event_id = f"{run}-{r}-{i}"
            truth[event_id] = 1 if 2 * x1 - 0.5 * (x2 - 5) + rng.gauss(0, 0.5) > 0 else 0
            event = {"id": event_id, "model": args.model, "features": {"x1": x1, "x2": x2}}  # no label
            producer.produce("tributary.events", key=event_id, value=json.dumps(event))
            producer.poll(0)
        producer.flush()
        sent_at = time.time()

        scored, versions, right = 0, set(), 0
        deadline = time.time() + 60
        while scored < len(truth) and time.time() < deadline:
            msg = predictions.poll(0.5)
            if msg is None or msg.error():
                continue
            p = schemas.decode(PREDICTION, msg.value())
            if p["eventId"] in truth:
                scored += 1
                versions.add(p["modelVersion"])
                right += int(p["predictedClass"] == truth[p["eventId"]])
        if scored < len(truth):
            raise SystemExit(f"only {scored} of {len(truth)} events were scored within 60 s: is `tributary run` up?")
        print(f"round {r}: {scored} events scored by version {'/'.join(map(str, sorted(versions)))}, "
              f"accuracy {right / scored:.3f}", flush=True)

        time.sleep(max(0.0, sent_at + args.delay - time.time()))  # the labels come later
        for event_id, label in truth.items():
            producer.produce("tributary.feedback", key=event_id,
                             value=json.dumps({"id": event_id, "model": args.model, "label": label}))
            producer.poll(0)
        producer.flush()
        print(f"         {len(truth)} labels sent {time.time() - sent_at:.1f} s after their events", flush=True)
        time.sleep(args.pause)  # the model learns them and publishes a version
    predictions.close()
    print(f"See the versions: ./tributary models versions {args.model}")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Read Tributary's Avro predictions from Python, decoded with their writer schemas.

Each prediction is Avro single-object encoding: C3 01, the writer schema's 8-byte fingerprint,
then the record. The writers register their schemas on the compacted tributary.schemas topic
(key RecordName/FINGERPRINT, value the schema's JSON), so this reads that topic first and decodes
each prediction with the schema its fingerprint names. Needs only confluent-kafka (Debian:
apt-get install python3-confluent-kafka); no Avro library.

    /usr/bin/python3 examples/python/read_predictions.py --max 5

A function with `outputFormat: json` (or `tributary run --output-format json`) writes plain JSON
instead, which any consumer reads as it is.
"""
import argparse
import json
import struct
import time

from confluent_kafka import Consumer, TopicPartition


def read_schemas(bootstrap, topic):
    """Every registered writer schema, by the fingerprint as the single-object header holds it."""
    consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": f"py-schemas-{time.time()}",
                         "enable.auto.commit": False, "isolation.level": "read_committed"})
    metadata = consumer.list_topics(topic, timeout=10).topics[topic]
    partitions = [TopicPartition(topic, p, 0) for p in metadata.partitions]
    ends = {p.partition: consumer.get_watermark_offsets(p, timeout=10)[1] for p in partitions}
    consumer.assign(partitions)
    schemas, done = {}, {p for p, end in ends.items() if end == 0}
    while len(done) < len(partitions):
        msg = consumer.poll(1.0)
        if msg is None or msg.error():
            continue
        if msg.value() is not None:
            fingerprint = msg.key().decode().split("/")[-1]
            schemas[fingerprint] = json.loads(msg.value())
        if msg.offset() + 1 >= ends[msg.partition()]:
            done.add(msg.partition())
    consumer.close()
    return schemas


class Reader:
    """Avro's binary encoding, for the types Tributary's records use."""

    def __init__(self, data):
        self.data, self.pos = data, 0

    def long(self):
        shift = result = 0
        while True:
            byte = self.data[self.pos]
            self.pos += 1
            result |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return (result >> 1) ^ -(result & 1)

    def raw(self, n):
        self.pos += n
        return self.data[self.pos - n:self.pos]

    def read(self, schema, named):
        if isinstance(schema, list):  # a union: the branch's index, then its value
            return self.read(schema[self.long()], named)
        if isinstance(schema, str):
            kind = schema
        else:
            kind = schema["type"]
            if kind in ("record", "enum", "fixed"):
                named[schema["name"]] = schema
                named[schema.get("namespace", "") + "." + schema["name"]] = schema
            elif isinstance(kind, (dict, list)):
                return self.read(kind, named)
        if kind in named and not isinstance(schema, dict):
            return self.read(named[kind], named)
        if kind == "null":
            return None
        if kind == "boolean":
            return self.raw(1) != b"\x00"
        if kind in ("int", "long"):
            return self.long()
        if kind == "float":
            return struct.unpack("<f", self.raw(4))[0]
        if kind == "double":
            return struct.unpack("<d", self.raw(8))[0]
        if kind == "bytes":
            return self.raw(self.long())
        if kind == "string":
            return self.raw(self.long()).decode()
        if kind == "record":
            return {f["name"]: self.read(f["type"], named) for f in schema["fields"]}
        if kind == "enum":
            return schema["symbols"][self.long()]
        if kind == "fixed":
            return self.raw(schema["size"])
        if kind in ("array", "map"):
            items = [] if kind == "array" else {}
            while True:
                n = self.long()
                if n == 0:
                    return items
                if n < 0:
                    n = -n
                    self.long()  # the block's size in bytes
                for _ in range(n):
                    if kind == "array":
                        items.append(self.read(schema["items"], named))
                    else:
                        key = self.raw(self.long()).decode()
                        items[key] = self.read(schema["values"], named)
        raise ValueError(f"unsupported Avro type {kind!r}")


def decode(value, schemas):
    """A single-object encoded record, with the writer schema its header names."""
    if value[:2] != b"\xc3\x01":
        raise ValueError("not Avro single-object encoding")
    fingerprint = value[2:10].hex().upper()
    schema = schemas.get(fingerprint) or schemas.get(fingerprint.lower())
    if schema is None:
        raise ValueError(f"no schema registered for fingerprint {fingerprint}")
    reader = Reader(value)
    reader.pos = 10
    return reader.read(schema, {})


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bootstrap-servers", default="127.0.0.1:9092")
    parser.add_argument("--topic", default="tributary.predictions")
    parser.add_argument("--schemas-topic", default="tributary.schemas")
    parser.add_argument("--max", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=10, help="seconds to wait for predictions")
    args = parser.parse_args()

    schemas = read_schemas(args.bootstrap_servers, args.schemas_topic)
    consumer = Consumer({"bootstrap.servers": args.bootstrap_servers, "group.id": f"py-read-{time.time()}",
                         "auto.offset.reset": "earliest", "isolation.level": "read_committed"})
    consumer.subscribe([args.topic])
    read, deadline = 0, time.time() + args.timeout
    while read < args.max and time.time() < deadline:
        msg = consumer.poll(0.5)
        if msg is None or msg.error():
            continue
        print(json.dumps(decode(msg.value(), schemas)))
        read += 1
    consumer.close()
    if read == 0:
        raise SystemExit(f"no prediction on {args.topic} within {args.timeout} s")


if __name__ == "__main__":
    main()

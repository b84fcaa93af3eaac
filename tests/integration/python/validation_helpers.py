"""Helpers for the produce-time validation tests: Avro schemas and a mix of
valid and invalid records for them, Confluent's wire-format prefix, reading a
partition to its end, and the metrics the broker exposes."""

import json
import struct
import time

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from kafka_helpers import create_topic, unique_topic

ORDER_SCHEMA = json.dumps({
    "type": "record", "name": "Order", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "item", "type": "string"}],
})
OTHER_SCHEMA = json.dumps({
    "type": "record", "name": "Refund", "namespace": "com.example",
    "fields": [{"name": "amount", "type": "double"}],
})

FULL_DLQ = {"strata.value.schema.validation": "full", "strata.schema.validation.failure": "dlq"}


def registry_client(broker):
    return SchemaRegistryClient({"url": broker.registry_url})


def read_to_end(broker, topic, partition=0, timeout=60):
    """Every record of one partition, up to its end at the time of reading."""
    c = Consumer({
        "bootstrap.servers": broker.bootstrap, "group.id": "strata-it-unused",
        "enable.auto.commit": False, "enable.partition.eof": True, "fetch.wait.max.ms": 100,
    })
    try:
        c.assign([TopicPartition(topic, partition, 0)])
        out = []
        deadline = time.monotonic() + timeout
        while True:
            assert time.monotonic() < deadline, f"timed out reading {topic}[{partition}] after {len(out)} records"
            for m in c.consume(num_messages=1000, timeout=0.5):
                if m.error():
                    if m.error().code() == KafkaError._PARTITION_EOF:
                        return out
                    raise KafkaException(m.error())
                out.append(m)
    finally:
        c.close()


def frame(schema_id, data):
    return b"\x00" + struct.pack(">i", schema_id) + data


def dlq_topic_and_mixed_records(broker, prefix, count, topic_configs=FULL_DLQ):
    """A topic (`full`/`dlq` unless `topic_configs` say otherwise) with the
    Order schema registered under its value subject (and Refund under another
    subject), and `count` records for it: (topic, order_id, other_id, [(kind, value)])."""
    topic = create_topic(broker, unique_topic(prefix), partitions=1, **topic_configs)
    sr = registry_client(broker)
    order_id = sr.register_schema(f"{topic}-value", Schema(ORDER_SCHEMA, "AVRO"))
    other_id = sr.register_schema("refunds-value", Schema(OTHER_SCHEMA, "AVRO"))
    serializer = AvroSerializer(sr, ORDER_SCHEMA, conf={"auto.register.schemas": False})
    ctx = SerializationContext(topic, MessageField.VALUE)
    return topic, order_id, other_id, mixed_records(lambda v: serializer(v, ctx), other_id, order_id, count)


def mixed_records(serialize, other_id, order_id, count):
    """(kind, value) for record i: valid, malformed, wrong schema ID, no prefix."""
    records = []
    for i in range(count):
        kind = ("valid", "malformed", "wrong_id", "no_prefix", "valid")[i % 5]
        if kind == "valid":
            value = serialize({"id": i, "item": f"item-{i}"})
        elif kind == "malformed":
            value = frame(order_id, b"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01")
        elif kind == "wrong_id":
            value = frame(other_id, struct.pack("<d", 1.5))  # valid Refund data, wrong subject
        else:
            value = json.dumps({"id": i}).encode()
        records.append((kind, value))
    return records


def metric(broker, series):
    """The value of one sample ("name{labels}") of the broker's /metrics, or None."""
    for line in broker.metrics().splitlines():
        name, _, value = line.rpartition(" ")
        if name == series:
            return float(value)
    return None

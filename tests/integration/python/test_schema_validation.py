"""Produce-time schema validation and dead-letter routing, end to end.

Schemas are registered through the broker's embedded registry with
confluent-kafka-python's own client and serializers; records are produced by
librdkafka (inside confluent-kafka) with idempotence and each codec, and read
back from the topic and its dead-letter topic. Configuration (aliases, broker
defaults, custom dead-letter topics) is in test_schema_validation_configs.py,
crashes in test_schema_dlq_crash.py.
"""

import json
import struct
import time

import pytest
from confluent_kafka import TIMESTAMP_CREATE_TIME, KafkaError
from confluent_kafka.schema_registry import Schema
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from kafka_helpers import create_topic, producer, unique_topic
from validation_helpers import (ORDER_SCHEMA, OTHER_SCHEMA, dlq_topic_and_mixed_records, frame, metric, read_to_end,
                                registry_client)


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_dlq_mode_splits_valid_and_invalid_records_in_idempotent_compressed_batches(broker_factory, codec):
    broker = broker_factory()
    topic, order_id, other_id, records = dlq_topic_and_mixed_records(broker, "orders", 500)

    p = producer(broker, **{"enable.idempotence": True, "compression.type": codec, "linger.ms": 20,
                            "batch.num.messages": 64})
    # Producer timestamps an hour old, 7 ms apart: not what the broker would stamp.
    first_ts = int(time.time() * 1000) - 3_600_000
    errors = []
    for i, (_, value) in enumerate(records):
        p.produce(topic, key=str(i).encode(), value=value, partition=0, headers={"n": str(i)},
                  timestamp=first_ts + 7 * i, on_delivery=lambda err, msg: errors.append(err) if err else None)
        p.poll(0)
    assert p.flush(60) == 0
    assert errors == [], "every record is acknowledged: invalid ones are dead-lettered, not refused"

    kept = read_to_end(broker, topic)
    assert [int(m.key()) for m in kept] == [i for i, (k, _) in enumerate(records) if k == "valid"]
    assert [m.value() for m in kept] == [v for k, v in records if k == "valid"]
    assert [m.timestamp() for m in kept] == [(TIMESTAMP_CREATE_TIME, first_ts + 7 * int(m.key())) for m in kept]
    offsets = [m.offset() for m in kept]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)

    letters = read_to_end(broker, f"{topic}.dlq")
    invalid = [(i, k, v) for i, (k, v) in enumerate(records) if k != "valid"]
    assert [int(m.key()) for m in letters] == [i for i, _, _ in invalid]
    for m, (i, kind, value) in zip(letters, invalid):
        headers = dict(m.headers())
        assert m.value() == value
        # The record's own timestamp, even where the batch was compressed.
        assert m.timestamp() == (TIMESTAMP_CREATE_TIME, first_ts + 7 * i)
        assert headers["n"] == str(i).encode()
        assert headers["strata.dlq.source.topic"] == topic.encode()
        assert headers["strata.dlq.source.partition"] == b"0"
        assert headers["strata.dlq.reason"], "the reason is never empty"
        if kind == "malformed":
            assert headers["strata.dlq.schema.id"] == str(order_id).encode()
        elif kind == "wrong_id":
            assert headers["strata.dlq.schema.id"] == str(other_id).encode()
            assert f"{topic}-value".encode() in headers["strata.dlq.reason"]
        else:
            assert "strata.dlq.schema.id" not in headers
            assert b"no schema ID" in headers["strata.dlq.reason"]

    series = f'{{topic="{topic}"}}'
    assert metric(broker, "strata_schema_records_validated_total" + series) == len(records)
    assert metric(broker, "strata_schema_records_dead_lettered_total" + series) == len(invalid)
    assert metric(broker, "strata_schema_records_rejected_total" + series) == 0
    assert metric(broker, "strata_schema_validation_seconds_total" + series) > 0


def test_reject_mode_fails_the_batch_with_invalid_record_and_keeps_serving(broker_factory):
    broker = broker_factory()
    topic = create_topic(broker, unique_topic("strict"), partitions=1, **{
        "strata.value.schema.validation": "full",
    })
    sr = registry_client(broker)
    order_id = sr.register_schema(f"{topic}-value", Schema(ORDER_SCHEMA, "AVRO"))
    serializer = AvroSerializer(sr, ORDER_SCHEMA, conf={"auto.register.schemas": False})
    ctx = SerializationContext(topic, MessageField.VALUE)

    # Good records first: they pass, and the producer has its metadata and
    # connection before the batch under test.
    p = producer(broker, **{"linger.ms": 60000, "batch.num.messages": 10, "retries": 0})
    good = []
    for i in range(5):
        p.produce(topic, value=serializer({"id": i, "item": "y"}, ctx), partition=0,
                  on_delivery=lambda err, msg: good.append(err))
    assert p.flush(30) == 0
    assert good == [None] * 5

    # One batch of exactly these ten records: sent when the tenth arrives.
    results = []
    batch = [serializer({"id": i, "item": "x"}, ctx) for i in range(9)] + [frame(order_id, b"\xff")]
    for value in batch:
        p.produce(topic, value=value, partition=0, on_delivery=lambda err, msg: results.append(err))
    assert p.flush(30) == 0
    assert len(results) == 10
    assert all(e is not None and e.code() == KafkaError.INVALID_RECORD for e in results), results

    p.produce(topic, value=serializer({"id": 5, "item": "y"}, ctx), partition=0,
              on_delivery=lambda err, msg: good.append(err))
    assert p.flush(30) == 0
    assert good == [None] * 6, "the producer carries on after the rejection"
    assert len(read_to_end(broker, topic)) == 6, "nothing of the rejected batch is appended"
    series = f'{{topic="{topic}"}}'
    assert metric(broker, "strata_schema_records_rejected_total" + series) == 1
    assert metric(broker, "strata_schema_records_validated_total" + series) == 16
    assert metric(broker, "strata_schema_records_dead_lettered_total" + series) == 0


def order_protobuf_class():
    """A generated-style message class for `message Order { int64 id = 1; string item = 2; }`,
    built from a descriptor at run time (no protoc needed)."""
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
    fd = descriptor_pb2.FileDescriptorProto(name="order.proto", package="com.example", syntax="proto3")
    msg = fd.message_type.add(name="Order")
    msg.field.add(name="id", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
                  label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    msg.field.add(name="item", number=2, type=descriptor_pb2.FieldDescriptorProto.TYPE_STRING,
                  label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fd)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("com.example.Order"))


def serializer_pairs(sr):
    """(format, serializer, deserializer, make(i), read(obj)) for Confluent's three serializers."""
    from confluent_kafka.schema_registry.avro import AvroDeserializer
    from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
    from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
    json_schema = json.dumps({
        "$schema": "http://json-schema.org/draft-07/schema#", "title": "Order", "type": "object",
        "properties": {"id": {"type": "integer"}, "item": {"type": "string"}},
        "required": ["id", "item"], "additionalProperties": False,
    })
    order = order_protobuf_class()
    return {
        "avro": (AvroSerializer(sr, ORDER_SCHEMA), AvroDeserializer(sr),
                 lambda i: {"id": i, "item": f"item-{i}"}, lambda o: (o["id"], o["item"])),
        "json": (JSONSerializer(json_schema, sr), JSONDeserializer(json_schema),
                 lambda i: {"id": i, "item": f"item-{i}"}, lambda o: (o["id"], o["item"])),
        "protobuf": (ProtobufSerializer(order, sr, {"use.deprecated.format": False}),
                     # Given the registry, it reads writer schemas with format=serialized.
                     ProtobufDeserializer(order, {"use.deprecated.format": False}, sr),
                     lambda i: order(id=i, item=f"item-{i}"), lambda o: (o.id, o.item)),
    }


@pytest.mark.parametrize("fmt", ["avro", "json", "protobuf"])
def test_confluent_serializers_register_produce_and_consume_with_full_validation(broker_factory, fmt):
    broker = broker_factory()
    topic = create_topic(broker, unique_topic(fmt), partitions=1, **{
        "strata.value.schema.validation": "full",
        "strata.schema.validation.failure": "dlq",
    })
    sr = registry_client(broker)
    serializer, deserializer, make, read = serializer_pairs(sr)[fmt]
    ctx = SerializationContext(topic, MessageField.VALUE)
    p = producer(broker, **{"enable.idempotence": True, "compression.type": "lz4"})
    for i in range(200):
        p.produce(topic, value=serializer(make(i), ctx), partition=0)
    # The serializer registered the schema on first use; a record whose data
    # does not fit it (a truncated copy of a valid one) is caught by full validation.
    truncated = serializer(make(999), ctx)[:-3]
    p.produce(topic, value=truncated, partition=0)
    assert p.flush(30) == 0

    versions = sr.get_versions(f"{topic}-value")
    assert versions == [1]
    kept = read_to_end(broker, topic)
    assert [read(deserializer(m.value(), ctx)) for m in kept] == [(i, f"item-{i}") for i in range(200)]
    assert [m.value() for m in read_to_end(broker, f"{topic}.dlq")] == [truncated]


def test_keys_and_record_name_strategies_are_validated_on_their_own(broker_factory):
    from confluent_kafka.schema_registry import record_subject_name_strategy
    broker = broker_factory()
    topic = create_topic(broker, unique_topic("keyed"), partitions=1, **{
        "strata.key.schema.validation": "id",
        "strata.value.schema.validation": "full",
        "strata.value.subject.name.strategy": "RecordNameStrategy",
        "strata.schema.validation.failure": "dlq",
    })
    sr = registry_client(broker)
    key_id = sr.register_schema(f"{topic}-key", Schema('"string"', "AVRO"))
    # RecordNameStrategy: the value subject is the record's full name, not the topic's.
    serializer = AvroSerializer(sr, ORDER_SCHEMA, conf={"subject.name.strategy": record_subject_name_strategy})
    ctx = SerializationContext(topic, MessageField.VALUE)
    good_value = serializer({"id": 1, "item": "a"}, ctx)
    assert sr.get_versions("com.example.Order") == [1]
    good_key = frame(key_id, b"\x02k")

    topic_subject_id = sr.register_schema(f"{topic}-value", Schema(ORDER_SCHEMA, "AVRO"))
    p = producer(broker)
    p.produce(topic, key=good_key, value=good_value, partition=0)          # passes
    p.produce(topic, key=b"raw key", value=good_value, partition=0)        # key has no prefix
    p.produce(topic, key=None, value=good_value, partition=0)              # null keys are not checked
    refund_id = sr.register_schema("refunds-value", Schema(OTHER_SCHEMA, "AVRO"))
    refund = frame(refund_id, struct.pack("<d", 2.5))  # subject com.example.Refund: not registered
    p.produce(topic, key=good_key, value=refund, partition=0)
    assert p.flush(30) == 0
    kept = read_to_end(broker, topic)
    assert [(m.key(), m.value()) for m in kept] == [(good_key, good_value), (None, good_value)]
    letters = read_to_end(broker, f"{topic}.dlq")
    assert [m.key() for m in letters] == [b"raw key", good_key]
    reasons = [dict(m.headers())["strata.dlq.reason"] for m in letters]
    assert reasons[0].startswith(b"key")
    assert b"com.example.Refund" in reasons[1] and reasons[1].startswith(b"value")
    assert topic_subject_id == sr.lookup_schema("com.example.Order", Schema(ORDER_SCHEMA, "AVRO")).schema_id

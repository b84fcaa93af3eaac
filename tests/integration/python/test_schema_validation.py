"""Produce-time schema validation and dead-letter routing, end to end.

Schemas are registered through the broker's embedded registry with
confluent-kafka-python's own client and serializers; records are produced by
librdkafka (inside confluent-kafka) with idempotence and each codec, and read
back from the topic and its dead-letter topic.
"""

import json
import struct
import time

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition
from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from kafka_helpers import create_topic, producer, unique_topic

ORDER_SCHEMA = json.dumps({
    "type": "record", "name": "Order", "namespace": "com.example",
    "fields": [{"name": "id", "type": "long"}, {"name": "item", "type": "string"}],
})
OTHER_SCHEMA = json.dumps({
    "type": "record", "name": "Refund", "namespace": "com.example",
    "fields": [{"name": "amount", "type": "double"}],
})

DLQ_HEADERS = ("strata.dlq.source.topic", "strata.dlq.source.partition", "strata.dlq.reason")


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


def dlq_topic_and_mixed_records(broker, prefix, count):
    """A `full`/`dlq` topic with the Order schema registered under its value
    subject (and Refund under another subject), and `count` records for it:
    (topic, order_id, other_id, [(kind, value)])."""
    topic = create_topic(broker, unique_topic(prefix), partitions=1, **{
        "strata.value.schema.validation": "full",
        "strata.schema.validation.failure": "dlq",
    })
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


@pytest.mark.parametrize("codec", ["none", "gzip", "snappy", "lz4", "zstd"])
def test_dlq_mode_splits_valid_and_invalid_records_in_idempotent_compressed_batches(broker_factory, codec):
    broker = broker_factory()
    topic, order_id, other_id, records = dlq_topic_and_mixed_records(broker, "orders", 500)

    p = producer(broker, **{"enable.idempotence": True, "compression.type": codec, "linger.ms": 20,
                            "batch.num.messages": 64})
    errors = []
    for i, (_, value) in enumerate(records):
        p.produce(topic, key=str(i).encode(), value=value, partition=0, headers={"n": str(i)},
                  on_delivery=lambda err, msg: errors.append(err) if err else None)
        p.poll(0)
    assert p.flush(60) == 0
    assert errors == [], "every record is acknowledged: invalid ones are dead-lettered, not refused"

    kept = read_to_end(broker, topic)
    assert [int(m.key()) for m in kept] == [i for i, (k, _) in enumerate(records) if k == "valid"]
    assert [m.value() for m in kept] == [v for k, v in records if k == "valid"]
    offsets = [m.offset() for m in kept]
    assert offsets == sorted(offsets) and len(set(offsets)) == len(offsets)

    letters = read_to_end(broker, f"{topic}.dlq")
    invalid = [(i, k, v) for i, (k, v) in enumerate(records) if k != "valid"]
    assert [int(m.key()) for m in letters] == [i for i, _, _ in invalid]
    for m, (i, kind, value) in zip(letters, invalid):
        headers = dict(m.headers())
        assert m.value() == value
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

    metrics = broker.metrics()
    assert f'strata_schema_records_dead_lettered_total{{topic="{topic}"}} {len(invalid)}' in metrics


def test_reject_mode_fails_the_batch_with_invalid_record_and_keeps_serving(broker_factory):
    broker = broker_factory()
    topic = create_topic(broker, unique_topic("strict"), partitions=1, **{
        "strata.value.schema.validation": "full",
    })
    sr = registry_client(broker)
    order_id = sr.register_schema(f"{topic}-value", Schema(ORDER_SCHEMA, "AVRO"))
    serializer = AvroSerializer(sr, ORDER_SCHEMA, conf={"auto.register.schemas": False})
    ctx = SerializationContext(topic, MessageField.VALUE)

    # One batch of exactly these ten records: sent when the tenth arrives.
    p = producer(broker, **{"linger.ms": 5000, "batch.num.messages": 10, "retries": 0})
    results = []
    batch = [serializer({"id": i, "item": "x"}, ctx) for i in range(9)] + [frame(order_id, b"\xff")]
    for value in batch:
        p.produce(topic, value=value, partition=0, on_delivery=lambda err, msg: results.append(err))
    assert p.flush(30) == 0
    assert len(results) == 10
    assert all(e is not None and e.code() == KafkaError.INVALID_RECORD for e in results), results

    good = []
    for i in range(5):
        p.produce(topic, value=serializer({"id": i, "item": "y"}, ctx), partition=0,
                  on_delivery=lambda err, msg: good.append(err))
    assert p.flush(30) == 0
    assert good == [None] * 5
    assert len(read_to_end(broker, topic)) == 5
    assert f'strata_schema_records_rejected_total{{topic="{topic}"}} 1' in broker.metrics()


def test_confluent_alias_enables_id_validation(broker_factory):
    broker = broker_factory()
    topic = create_topic(broker, unique_topic("aliased"), partitions=1, **{
        "confluent.value.schema.validation": "true",
        "strata.schema.validation.failure": "dlq",
    })
    sr = registry_client(broker)
    order_id = sr.register_schema(f"{topic}-value", Schema(ORDER_SCHEMA, "AVRO"))
    p = producer(broker)
    # `id` checks the prefix and subject only: undecodable data with a good ID passes.
    p.produce(topic, value=frame(order_id, b"\xff"), partition=0)
    p.produce(topic, value=b"no prefix", partition=0)
    assert p.flush(30) == 0
    assert [m.value() for m in read_to_end(broker, topic)] == [frame(order_id, b"\xff")]
    assert [m.value() for m in read_to_end(broker, f"{topic}.dlq")] == [b"no prefix"]


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


def test_no_record_is_lost_between_topic_and_dead_letter_topic_across_kill_9(broker_factory):
    broker = broker_factory()
    topic, _, _, records = dlq_topic_and_mixed_records(broker, "crash", 3000)

    p = producer(broker, **{"enable.idempotence": True, "compression.type": "zstd", "linger.ms": 5,
                            "batch.num.messages": 50, "message.timeout.ms": 120000})
    errors = []
    for i, (_, value) in enumerate(records):
        if i in (1000, 2000):
            broker.kill9()  # in-flight batches are retried against the restarted broker
            broker.start()
        while True:
            try:
                p.produce(topic, key=str(i).encode(), value=value, partition=0,
                          on_delivery=lambda err, msg: errors.append(err) if err else None)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
    assert p.flush(120) == 0
    assert errors == []

    valid = [i for i, (k, _) in enumerate(records) if k == "valid"]
    invalid = [i for i, (k, _) in enumerate(records) if k != "valid"]
    kept = [int(m.key()) for m in read_to_end(broker, topic)]
    assert kept == valid, "the topic holds every valid record exactly once, in order"
    letters = [int(m.key()) for m in read_to_end(broker, f"{topic}.dlq")]
    # A crash after the dead letters were synced but before the batch was
    # appended makes the retried batch dead-letter them again: at least once there.
    assert sorted(set(letters)) == invalid


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

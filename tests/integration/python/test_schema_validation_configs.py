"""How a topic's validation is configured, end to end: Confluent's config
names as aliases (topic and broker level, the io.confluent... strategy class
names), a custom `strata.dlq.topic`, and broker-wide defaults, which reach
every user topic but none of the topics the broker creates for itself (the
dead-letter topic, `_schemas`, `__consumer_offsets`)."""

import struct

from confluent_kafka import Consumer, KafkaError, TopicPartition
from confluent_kafka.admin import ConfigResource, ConfigSource
from confluent_kafka.schema_registry import Schema, record_subject_name_strategy, topic_record_subject_name_strategy
from confluent_kafka.schema_registry.avro import AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

from kafka_helpers import admin, create_topic, producer, unique_topic
from validation_helpers import (FULL_DLQ, ORDER_SCHEMA, OTHER_SCHEMA, dlq_topic_and_mixed_records, frame, read_to_end,
                                registry_client)

KEY_SCHEMA = '{"type": "record", "name": "OrderKey", "namespace": "com.example", "fields": [{"name": "k", "type": "string"}]}'


def topic_config(broker, topic, name):
    """(value, source) of one config of a topic, as DescribeConfigs reports it."""
    a = admin(broker)
    resource = ConfigResource("topic", topic)
    entries = a.describe_configs([resource], request_timeout=20)[resource].result(timeout=30)
    return entries[name].value, entries[name].source


def topic_names(broker):
    # list_topics() without a topic: naming one would auto-create it.
    return set(admin(broker).list_topics(timeout=20).topics)


def produce_values(broker, topic, values, **conf):
    """Produces (key, value) pairs to partition 0; returns the delivery errors (None when delivered)."""
    p = producer(broker, **conf)
    results = []
    for key, value in values:
        p.produce(topic, key=key, value=value, partition=0, on_delivery=lambda err, msg: results.append(err))
    assert p.flush(30) == 0
    return results


def test_confluent_alias_enables_id_validation(broker_factory):
    broker = broker_factory()
    topic = create_topic(broker, unique_topic("aliased"), partitions=1, **{
        "confluent.value.schema.validation": "true",
        "strata.schema.validation.failure": "dlq",
    })
    sr = registry_client(broker)
    order_id = sr.register_schema(f"{topic}-value", Schema(ORDER_SCHEMA, "AVRO"))
    # `id` checks the prefix and subject only: undecodable data with a good ID passes.
    assert produce_values(broker, topic, [(None, frame(order_id, b"\xff")), (None, b"no prefix")]) == [None, None]
    assert [m.value() for m in read_to_end(broker, topic)] == [frame(order_id, b"\xff")]
    assert [m.value() for m in read_to_end(broker, f"{topic}.dlq")] == [b"no prefix"]


def test_confluent_key_validation_and_strategy_class_names(broker_factory):
    broker = broker_factory()
    topic = create_topic(broker, unique_topic("confluent"), partitions=1, **{
        "confluent.key.schema.validation": "true",
        "confluent.key.subject.name.strategy": "io.confluent.kafka.serializers.subject.TopicRecordNameStrategy",
        "confluent.value.schema.validation": "true",
        "confluent.value.subject.name.strategy": "io.confluent.kafka.serializers.subject.RecordNameStrategy",
        "strata.schema.validation.failure": "dlq",
    })
    sr = registry_client(broker)
    key_ser = AvroSerializer(sr, KEY_SCHEMA, conf={"subject.name.strategy": topic_record_subject_name_strategy})
    value_ser = AvroSerializer(sr, ORDER_SCHEMA, conf={"subject.name.strategy": record_subject_name_strategy})
    key = key_ser({"k": "a"}, SerializationContext(topic, MessageField.KEY))
    value = value_ser({"id": 1, "item": "x"}, SerializationContext(topic, MessageField.VALUE))
    # The serializers registered under the subjects those strategies name.
    assert sr.get_versions(f"{topic}-com.example.OrderKey") == [1]
    assert sr.get_versions("com.example.Order") == [1]
    # A Refund ID: registered, but not under com.example.Refund.
    refund = frame(sr.register_schema("refunds-value", Schema(OTHER_SCHEMA, "AVRO")), struct.pack("<d", 2.5))
    # The Order schema under the topic's own subjects: right for TopicNameStrategy only.
    topic_key_id = sr.register_schema(f"{topic}-key", Schema(ORDER_SCHEMA, "AVRO"))
    wrong_key = frame(topic_key_id, b"\x02\x02a")

    sent = [(key, value), (b"raw key", value), (key, refund), (wrong_key, value), (None, value)]
    assert produce_values(broker, topic, sent) == [None] * len(sent)
    assert [(m.key(), m.value()) for m in read_to_end(broker, topic)] == [(key, value), (None, value)]
    letters = read_to_end(broker, f"{topic}.dlq")
    assert [(m.key(), m.value()) for m in letters] == [(b"raw key", value), (key, refund), (wrong_key, value)]
    reasons = [dict(m.headers())["strata.dlq.reason"].decode() for m in letters]
    assert reasons[0].startswith("key has no schema ID"), reasons
    assert reasons[1].startswith("value") and "com.example.Refund" in reasons[1], reasons
    assert reasons[2].startswith("key") and f"{topic}-com.example.Order" in reasons[2], reasons


def test_a_custom_dead_letter_topic_receives_the_failed_records(broker_factory):
    broker = broker_factory()
    quarantine = unique_topic("quarantine")
    topic, _, _, records = dlq_topic_and_mixed_records(broker, "custom", 20,
                                                       {**FULL_DLQ, "strata.dlq.topic": quarantine})
    assert produce_values(broker, topic, [(str(i).encode(), v) for i, (_, v) in enumerate(records)],
                          **{"enable.idempotence": True, "compression.type": "lz4"}) == [None] * len(records)

    assert [int(m.key()) for m in read_to_end(broker, topic)] == [i for i, (k, _) in enumerate(records) if k == "valid"]
    letters = read_to_end(broker, quarantine)
    assert [int(m.key()) for m in letters] == [i for i, (k, _) in enumerate(records) if k != "valid"]
    assert all(dict(m.headers())["strata.dlq.source.topic"] == topic.encode() for m in letters)
    assert f"{topic}.dlq" not in topic_names(broker)
    assert topic_config(broker, quarantine, "strata.value.schema.validation")[0] == "none"


def test_broker_wide_defaults_validate_user_topics_but_not_the_brokers_own(broker_factory):
    broker = broker_factory([f"{k}={v}" for k, v in FULL_DLQ.items()])
    # No validation config on the topic: the broker's defaults apply.
    topic, _, _, records = dlq_topic_and_mixed_records(broker, "defaults", 20, {})
    assert topic_config(broker, topic, "strata.value.schema.validation") == ("full", ConfigSource.STATIC_BROKER_CONFIG.value)
    assert produce_values(broker, topic, [(str(i).encode(), v) for i, (_, v) in enumerate(records)]) \
        == [None] * len(records)
    assert [int(m.key()) for m in read_to_end(broker, topic)] == [i for i, (k, _) in enumerate(records) if k == "valid"]
    invalid = [i for i, (k, _) in enumerate(records) if k != "valid"]
    assert [int(m.key()) for m in read_to_end(broker, f"{topic}.dlq")] == invalid

    # The dead-letter topic takes anything, rather than dead-lettering its own records.
    assert produce_values(broker, f"{topic}.dlq", [(b"by hand", b"no prefix")]) == [None]
    assert read_to_end(broker, f"{topic}.dlq")[-1].value() == b"no prefix"
    # A topic may still opt out.
    plain = create_topic(broker, unique_topic("plain"), partitions=1, **{"strata.value.schema.validation": "none"})
    assert produce_values(broker, plain, [(None, b"no prefix")]) == [None]

    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": unique_topic("g")})
    try:
        c.commit(offsets=[TopicPartition(topic, 0, 1)], asynchronous=False)  # creates __consumer_offsets
    finally:
        c.close()
    names = topic_names(broker)
    assert {"_schemas", "__consumer_offsets", f"{topic}.dlq"} <= names
    assert f"{topic}.dlq.dlq" not in names and f"{plain}.dlq" not in names
    for own in ("_schemas", "__consumer_offsets", f"{topic}.dlq"):
        for name in ("strata.key.schema.validation", "strata.value.schema.validation"):
            assert topic_config(broker, own, name) == ("none", ConfigSource.DYNAMIC_TOPIC_CONFIG.value), (own, name)


def test_a_broker_wide_confluent_alias_rejects_unprefixed_records(broker_factory):
    broker = broker_factory(["confluent.value.schema.validation=true"])
    topic = create_topic(broker, unique_topic("strict"), partitions=1)
    order_id = registry_client(broker).register_schema(f"{topic}-value", Schema(ORDER_SCHEMA, "AVRO"))
    errors = produce_values(broker, topic, [(None, b"no prefix")], retries=0)
    assert [e.code() if e else None for e in errors] == [KafkaError.INVALID_RECORD]
    assert produce_values(broker, topic, [(None, frame(order_id, b"\x02\x02a"))]) == [None]
    assert [m.value() for m in read_to_end(broker, topic)] == [frame(order_id, b"\x02\x02a")]

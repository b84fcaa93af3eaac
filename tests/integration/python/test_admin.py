"""AdminClient against Strata: topic create/list/delete/partitions and Kafka's error codes."""

import pytest
from confluent_kafka import KafkaError, KafkaException
from confluent_kafka.admin import ConfigResource, ConfigSource, NewPartitions, NewTopic, ResourceType

from kafka_helpers import admin, consumer, create_topic, produce_all, producer, read_partitions, unique_topic, watermarks

T = 20  # seconds for any admin future


def error_of(future):
    with pytest.raises(KafkaException) as e:
        future.result(timeout=T)
    return e.value.args[0]


def listed(a, topic=None):
    return a.list_topics(topic=topic, timeout=T).topics


def test_create_list_delete(broker):
    a = admin(broker)
    names = [unique_topic("adm"), unique_topic("adm"), unique_topic("adm")]
    fs = a.create_topics([NewTopic(names[0], 1, 1), NewTopic(names[1], 4, 1),
                          NewTopic(names[2], 2, replication_factor=-1)], operation_timeout=10)
    for n in names:
        assert fs[n].result(timeout=T) is None

    md = a.list_topics(timeout=T)
    for n, parts in zip(names, [1, 4, 2]):
        assert n in md.topics, f"{n} not listed"
        t = md.topics[n]
        assert t.error is None
        assert sorted(t.partitions) == list(range(parts))
        for p in t.partitions.values():
            assert p.error is None
            assert p.leader == 1
            assert p.replicas == [1]
            assert p.isrs == [1]
    assert [b.id for b in md.brokers.values()] == [1]
    assert md.brokers[1].host == "127.0.0.1" and md.brokers[1].port == broker.port

    fs = a.delete_topics([names[0], names[1]], operation_timeout=10)
    assert fs[names[0]].result(timeout=T) is None
    assert fs[names[1]].result(timeout=T) is None
    topics = listed(a)
    assert names[0] not in topics and names[1] not in topics
    assert names[2] in topics


def test_create_existing_topic_is_topic_already_exists(broker):
    a = admin(broker)
    name = create_topic(broker, unique_topic("dup"), partitions=2)
    err = error_of(a.create_topics([NewTopic(name, 5, 1)])[name])
    assert err.code() == KafkaError.TOPIC_ALREADY_EXISTS, err
    # The existing topic is untouched.
    assert sorted(listed(a)[name].partitions) == [0, 1]


def test_invalid_topic_names(broker):
    a = admin(broker)
    names = ["bad name", "bad/name", "..", ".", "x" * 250, "tab\there", "semi;colon", "ünïcode"]
    wrong = []
    for name in names:
        err = error_of(a.create_topics([NewTopic(name, 1, 1)])[name])
        if err.code() != KafkaError.TOPIC_EXCEPTION:  # INVALID_TOPIC_EXCEPTION (17)
            wrong.append((name, err))
    assert not wrong
    topics = listed(a)
    assert not [n for n in names if n in topics]


def test_replication_factor_above_broker_count(broker):
    a = admin(broker)
    name = unique_topic("rf")
    err = error_of(a.create_topics([NewTopic(name, 1, 3)])[name])
    assert err.code() == KafkaError.INVALID_REPLICATION_FACTOR, err
    assert name not in listed(a)


def test_invalid_partition_count(broker):
    a = admin(broker)
    name = unique_topic("np")
    err = error_of(a.create_topics([NewTopic(name, 0, 1)])[name])
    assert err.code() == KafkaError.INVALID_PARTITIONS, err
    assert name not in listed(a)


def test_validate_only_creates_nothing(broker):
    a = admin(broker)
    name = unique_topic("vo")
    assert a.create_topics([NewTopic(name, 3, 1)], validate_only=True)[name].result(timeout=T) is None
    assert name not in listed(a)
    err = error_of(a.create_topics([NewTopic(name, 1, 3)], validate_only=True)[name])
    assert err.code() == KafkaError.INVALID_REPLICATION_FACTOR, err


def test_one_bad_topic_does_not_fail_the_batch(broker):
    a = admin(broker)
    good, bad = unique_topic("good"), unique_topic("bad")
    fs = a.create_topics([NewTopic(good, 2, 1), NewTopic(bad, 1, 3)])
    assert fs[good].result(timeout=T) is None
    assert error_of(fs[bad]).code() == KafkaError.INVALID_REPLICATION_FACTOR
    topics = listed(a)
    assert good in topics and bad not in topics


def test_delete_unknown_topic(broker):
    a = admin(broker)
    name = unique_topic("nope")
    err = error_of(a.delete_topics([name])[name])
    assert err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART, err


def test_delete_then_recreate_starts_empty(broker):
    a = admin(broker)
    name = create_topic(broker, unique_topic("re"), partitions=2)
    p = producer(broker)
    produce_all(p, [(name, i % 2, None, b"old-%d" % i, None, None) for i in range(100)])
    assert watermarks(broker, name, 2) == {0: (0, 50), 1: (0, 50)}
    assert a.delete_topics([name])[name].result(timeout=T) is None
    assert name not in listed(a)
    create_topic(broker, name, partitions=1)
    assert watermarks(broker, name, 1) == {0: (0, 0)}
    p2 = producer(broker)
    reports = produce_all(p2, [(name, 0, None, b"new-%d" % i, None, None) for i in range(10)])
    assert [r[2] for r in reports] == list(range(10))
    got = read_partitions(broker, name, {0: 10})
    assert [m.value() for m in got[0]] == [b"new-%d" % i for i in range(10)]


def test_create_partitions(broker):
    a = admin(broker)
    name = create_topic(broker, unique_topic("cp"), partitions=1)
    p = producer(broker)
    produce_all(p, [(name, 0, None, b"before-%d" % i, None, None) for i in range(10)])

    assert a.create_partitions([NewPartitions(name, 4)])[name].result(timeout=T) is None
    assert sorted(listed(a, name)[name].partitions) == [0, 1, 2, 3]

    # The new partitions take writes; the old one kept its data.
    p2 = producer(broker)
    reports = produce_all(p2, [(name, q, None, b"after-%d" % q, None, None) for q in range(4)])
    assert [(r[1], r[2], r[3]) for r in reports] == [(0, 10, None), (1, 0, None), (2, 0, None), (3, 0, None)]
    got = read_partitions(broker, name, {0: 11, 1: 1, 2: 1, 3: 1})
    assert [m.value() for m in got[0]] == [b"before-%d" % i for i in range(10)] + [b"after-0"]
    assert [got[q][0].value() for q in (1, 2, 3)] == [b"after-1", b"after-2", b"after-3"]

    # Shrinking or keeping the count is INVALID_PARTITIONS; unknown topics are unknown.
    for n in (2, 4):
        err = error_of(a.create_partitions([NewPartitions(name, n)])[name])
        assert err.code() == KafkaError.INVALID_PARTITIONS, err
    assert sorted(listed(a, name)[name].partitions) == [0, 1, 2, 3]
    missing = unique_topic("cpx")
    err = error_of(a.create_partitions([NewPartitions(missing, 3)])[missing])
    assert err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART, err

    # validate_only changes nothing.
    assert a.create_partitions([NewPartitions(name, 6)], validate_only=True)[name].result(timeout=T) is None
    assert sorted(listed(a, name)[name].partitions) == [0, 1, 2, 3]


def test_metadata_for_unknown_topic_without_auto_create(broker):
    """A consumer handle (allow.auto.create.topics=false) asking for an unknown topic
    gets UNKNOWN_TOPIC_OR_PART and creates nothing."""
    name = unique_topic("unk")
    c = consumer(broker)
    try:
        t = c.list_topics(topic=name, timeout=T).topics[name]
    finally:
        c.close()
    assert t.error is not None and t.error.code() == KafkaError.UNKNOWN_TOPIC_OR_PART, t.error
    assert name not in listed(admin(broker))


def test_metadata_auto_creates_for_producers(broker):
    """auto.create.topics.enable=true (the default): a producer's Metadata request for an
    unknown topic creates it with num.partitions partitions, as Kafka does."""
    name = unique_topic("auto")
    p = producer(broker)
    reports = produce_all(p, [(name, -1, None, b"x", None, None)])
    assert reports[0][3] is None and reports[0][2] == 0
    assert sorted(listed(admin(broker), name)[name].partitions) == [0]


# ---- AlterConfigs (the legacy API, which librdkafka's alter_configs sends) ----------

def topic_overrides(a, name):
    """The topic's configs that are overrides (source DYNAMIC_TOPIC_CONFIG), name -> value."""
    resource = ConfigResource(ResourceType.TOPIC, name)
    entries = a.describe_configs([resource])[resource].result(timeout=T)
    return {k: e.value for k, e in entries.items() if e.source == ConfigSource.DYNAMIC_TOPIC_CONFIG.value}


def alter(a, name, configs, validate_only=False):
    resource = ConfigResource(ResourceType.TOPIC, name, set_config=configs)
    return a.alter_configs([resource], validate_only=validate_only)[resource]


def test_alter_configs_replaces_the_whole_override_set(broker):
    a = admin(broker)
    name = create_topic(broker, unique_topic("altcfg"), **{"segment.bytes": "1048576"})
    assert topic_overrides(a, name) == {"segment.bytes": "1048576"}

    assert alter(a, name, {"retention.ms": "3600000", "max.message.bytes": "2000000"}).result(timeout=T) is None
    # segment.bytes was not named again: AlterConfigs drops it (Kafka's semantics;
    # IncrementalAlterConfigs is the API that keeps the others).
    assert topic_overrides(a, name) == {"retention.ms": "3600000", "max.message.bytes": "2000000"}

    assert alter(a, name, {"retention.ms": "60000"}, validate_only=True).result(timeout=T) is None
    assert topic_overrides(a, name) == {"retention.ms": "3600000", "max.message.bytes": "2000000"}


def test_alter_configs_errors_leave_the_topic_as_it_was(broker):
    a = admin(broker)
    name = create_topic(broker, unique_topic("altcfg"), **{"retention.ms": "3600000"})
    err = error_of(alter(a, name, {"retention.ms": "soon"}))
    assert err.code() == KafkaError.INVALID_CONFIG, err
    err = error_of(alter(a, name, {"no.such.config": "1"}))
    assert err.code() == KafkaError.INVALID_CONFIG, err
    assert topic_overrides(a, name) == {"retention.ms": "3600000"}

    err = error_of(alter(a, unique_topic("missing"), {"retention.ms": "1000"}))
    assert err.code() == KafkaError.UNKNOWN_TOPIC_OR_PART, err

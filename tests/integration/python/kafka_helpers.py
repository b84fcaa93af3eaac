"""Small helpers over confluent-kafka shared by the tests.

Consumers use assign() with explicit offsets and never commit: Strata has no
consumer groups yet, and librdkafka needs a group.id value even for assign().
"""

import time
import uuid

from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic


def wait_until(condition, what, timeout=60.0, interval=0.1):
    """Polls `condition` until it returns something true, and returns that.
    After `timeout` seconds the test fails, naming `what`. This is how a
    test waits for something the broker or a client does in its own time:
    on the condition, with a generous deadline, never a fixed sleep."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def unique_topic(prefix="t"):
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def admin(broker, **conf):
    return AdminClient({"bootstrap.servers": broker.bootstrap, **conf})


def create_topic(broker, name, partitions=1, **config):
    a = admin(broker)  # must outlive the future: destroying it fails pending requests
    fs = a.create_topics(
        [NewTopic(name, num_partitions=partitions, replication_factor=1, config=config)],
        operation_timeout=10, request_timeout=15)
    fs[name].result(timeout=20)
    return name


def producer(broker, **conf):
    base = {
        "bootstrap.servers": broker.bootstrap,
        "linger.ms": 5,
        "acks": "all",
    }
    base.update(conf)
    return Producer(base)


def consumer(broker, **conf):
    base = {
        "bootstrap.servers": broker.bootstrap,
        "group.id": "strata-it-unused",  # required by librdkafka; never used to commit
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "auto.offset.reset": "error",
        "fetch.wait.max.ms": 100,
    }
    base.update(conf)
    return Consumer(base)


def produce_all(p, records, timeout=120):
    """Produces (topic, partition, key, value, headers, timestamp) tuples; returns the
    delivery reports as a list of (topic, partition, offset, error) in record order."""
    reports = [None] * len(records)

    def cb(i):
        def done(err, msg):
            reports[i] = (msg.topic(), msg.partition(), msg.offset(), err)
        return done

    for i, (topic, partition, key, value, headers, ts) in enumerate(records):
        kwargs = {"key": key, "value": value, "partition": partition, "on_delivery": cb(i)}
        if headers is not None:
            kwargs["headers"] = headers
        if ts is not None:
            kwargs["timestamp"] = ts
        while True:
            try:
                p.produce(topic, **kwargs)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
    remaining = p.flush(timeout)
    assert remaining == 0, f"{remaining} records not delivered within {timeout}s"
    return reports


def read_partitions(broker, topic, ends, start=0, timeout=60, **conf):
    """Reads each partition p of topic from `start` up to offset ends[p] (exclusive).
    Returns {partition: [Message, ...]} in offset order; fails on any error."""
    c = consumer(broker, **conf)
    try:
        parts = [p for p, end in ends.items() if end > start]
        c.assign([TopicPartition(topic, p, start) for p in parts])
        out = {p: [] for p in ends}
        deadline = time.monotonic() + timeout
        pending = set(parts)
        while pending:
            assert time.monotonic() < deadline, (
                f"timed out reading {topic}: got "
                f"{ {p: len(v) for p, v in out.items()} } of {ends} (from {start})")
            for m in c.consume(num_messages=10000, timeout=0.5):
                if m.error():
                    if m.error().code() == KafkaError._PARTITION_EOF:
                        continue
                    raise KafkaException(m.error())
                p = m.partition()
                if m.offset() >= ends[p]:
                    continue
                out[p].append(m)
                if m.offset() == ends[p] - 1:
                    pending.discard(p)
        return out
    finally:
        c.close()


def committed_offsets(broker, group, topic, partitions):
    """The group's committed offsets, {partition: next offset}, for the partitions
    that have one (OffsetFetch, without joining the group)."""
    c = Consumer({"bootstrap.servers": broker.bootstrap, "group.id": group})
    try:
        got = c.committed([TopicPartition(topic, p) for p in range(partitions)], timeout=30)
    finally:
        c.close()
    return {tp.partition: tp.offset for tp in got if tp.offset >= 0}


def watermarks(broker, topic, partitions):
    c = consumer(broker)
    try:
        return {p: c.get_watermark_offsets(TopicPartition(topic, p), timeout=10)
                for p in range(partitions)}
    finally:
        c.close()

"""Committed offsets of a consumer group survive a clean broker restart and a
kill -9: a group member commits after every batch, consumes one batch more
without committing it and closes; the broker restarts (or is killed and started
again); a new member of the group resumes exactly at the committed positions,
so it consumes the uncommitted batch again and nothing before it. Classic
protocol and group.protocol=consumer."""

import time

import pytest
from confluent_kafka import Consumer, KafkaError, TopicPartition

from group_member import member_config
from kafka_helpers import committed_offsets, create_topic, produce_all, producer, unique_topic, watermarks

PARTITIONS = 4
TOTAL = 8_000


def consume_batch(c):
    msgs = c.consume(num_messages=200, timeout=0.5)
    for m in msgs:
        if m.error() is not None and m.error().code() != KafkaError._PARTITION_EOF:
            raise AssertionError(f"consume error: {m.error()}")
    return [m for m in msgs if m.error() is None]


@pytest.mark.parametrize("protocol", ["classic", "consumer"])
@pytest.mark.parametrize("how", ["restart", "kill9"])
def test_group_member_resumes_at_committed_offsets(broker_factory, protocol, how):
    broker = broker_factory(["group.initial.rebalance.delay.ms=0", "group.consumer.heartbeat.interval.ms=500"])
    topic = create_topic(broker, unique_topic("resume"), partitions=PARTITIONS)
    group = unique_topic("resume-group")
    p = producer(broker)
    reports = produce_all(p, [(topic, i % PARTITIONS, f"k{i}".encode(), str(i).encode(), None, None) for i in range(TOTAL)])
    assert all(r[3] is None for r in reports)
    ends = {part: hi for part, (_, hi) in watermarks(broker, topic, PARTITIONS).items()}
    assert sum(ends.values()) == TOTAL

    conf = member_config(broker.bootstrap, group, protocol, "range", 10_000)
    first = Consumer(conf)
    first.subscribe([topic])
    mine = {}  # partition -> next offset this member committed
    consumed = 0
    deadline = time.monotonic() + 60
    while consumed < TOTAL // 2:
        assert time.monotonic() < deadline, f"the first member consumed only {consumed}"
        batch = consume_batch(first)
        if not batch:
            continue
        consumed += len(batch)
        offsets = {}
        for m in batch:
            offsets[m.partition()] = m.offset() + 1
        first.commit(offsets=[TopicPartition(topic, part, o) for part, o in offsets.items()], asynchronous=False)
        mine.update(offsets)
    uncommitted = []
    while not uncommitted:
        assert time.monotonic() < deadline, "the first member found no batch to leave uncommitted"
        uncommitted = consume_batch(first)
    first.close()  # no auto-commit: the last batch stays uncommitted
    assert committed_offsets(broker, group, topic, PARTITIONS) == mine

    if how == "restart":
        broker.restart()
    else:
        broker.kill9()
        broker.start()

    after = committed_offsets(broker, group, topic, PARTITIONS)
    assert after == mine, "committed offsets came back"
    # The uncommitted batch lies past the committed offsets: it must be read again.
    assert all(m.offset() >= mine.get(m.partition(), 0) for m in uncommitted)

    second = Consumer(conf)
    second.subscribe([topic])
    want = sum(ends[part] - after.get(part, 0) for part in range(PARTITIONS))
    got = {part: [] for part in range(PARTITIONS)}
    deadline = time.monotonic() + 60
    try:
        while sum(len(v) for v in got.values()) < want:
            assert time.monotonic() < deadline, (
                f"the second member consumed {sum(len(v) for v in got.values())} of {want}")
            for m in consume_batch(second):
                got[m.partition()].append(m.offset())
    finally:
        second.close()
    for part in range(PARTITIONS):
        start = after.get(part, 0)
        assert got[part] == list(range(start, ends[part])), (
            f"partition {part}: resumed at {got[part][:1]}, committed {after.get(part)}")

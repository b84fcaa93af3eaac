"""Committed offsets of a consumer group survive a clean broker restart and a
kill -9 (classic protocol and group.protocol=consumer):
- a group member commits after every batch, consumes one batch more without
  committing it and closes; after the restart a new member of the group resumes
  exactly at the committed positions, so it consumes that batch again and
  nothing before it;
- two members keep running while the broker restarts under them, with every
  record they consumed committed: they carry on with the records produced
  afterwards and consume none twice, whether they keep their partitions or
  are handed them again from the committed offsets."""

import time

import pytest
from confluent_kafka import Consumer, KafkaError, TopicPartition

from group_member import Ledger, member_config, start_thread
from kafka_helpers import committed_offsets, create_topic, produce_all, producer, unique_topic, watermarks
from test_group_crash import await_until, produce_range

PARTITIONS = 4
TOTAL = 8_000


def consume_batch(c):
    msgs = c.consume(num_messages=200, timeout=0.5)
    for m in msgs:
        if m.error() is not None and m.error().code() != KafkaError._PARTITION_EOF:
            raise AssertionError(f"consume error: {m.error()}")
    return [m for m in msgs if m.error() is None]


def group_setup(broker_factory, name):
    """A broker, a topic and a group name for one test."""
    broker = broker_factory(["group.initial.rebalance.delay.ms=0", "group.consumer.heartbeat.interval.ms=500"])
    return broker, create_topic(broker, unique_topic(name), partitions=PARTITIONS), unique_topic(name + "-group")


@pytest.mark.parametrize("protocol", ["classic", "consumer"])
@pytest.mark.parametrize("how", ["restart", "kill9"])
def test_group_member_resumes_at_committed_offsets(broker_factory, protocol, how):
    broker, topic, group = group_setup(broker_factory, "resume")
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


@pytest.mark.parametrize("protocol", ["classic", "consumer"])
@pytest.mark.parametrize("how", ["restart", "kill9"])
def test_live_members_carry_on_across_a_broker_restart(broker_factory, protocol, how):
    broker, topic, group = group_setup(broker_factory, "live")
    members = [Ledger("a"), Ledger("b")]
    errors = []
    conf = member_config(broker.bootstrap, group, protocol, "range", 15_000)
    running = [start_thread(conf, topic, m, errors) for m in members]

    def state():
        return f"{members} errors={errors}"

    def consumed():
        return {n for m in members for _, _, n in m.snapshot()}

    try:
        await_until("the members share the partitions",
                    lambda: all(len(m.assignment) == PARTITIONS // 2 for m in members), state, errors)
        p = producer(broker)
        produce_range(p, topic, 0, TOTAL // 2)
        await_until("the first half is consumed and committed",
                    lambda: len(consumed()) == TOTAL // 2
                    and sum(committed_offsets(broker, group, topic, PARTITIONS).values()) == TOTAL // 2,
                    state, errors)
        if how == "restart":
            broker.restart()
        else:
            broker.kill9()
            broker.start()
        assert sum(committed_offsets(broker, group, topic, PARTITIONS).values()) == TOTAL // 2
        p = producer(broker)
        produce_range(p, topic, TOTAL // 2, TOTAL)
        await_until("every record is consumed", lambda: len(consumed()) == TOTAL, state, errors)
        await_until("every record is committed",
                    lambda: sum(committed_offsets(broker, group, topic, PARTITIONS).values()) == TOTAL,
                    state, errors)
    finally:
        for control, _ in running:
            control.leave.set()
        for _, t in running:
            t.join(60)
    assert errors == []
    seen = {}
    twice = []
    for m in members:
        for part, off, n in m.snapshot():
            if n in seen:
                twice.append((n, seen[n], (m.name, part, off)))
            seen[n] = (m.name, part, off)
    assert twice[:20] == [], f"{len(twice)} records consumed twice although every record was committed"

"""confluent-kafka Producer -> Strata -> Consumer, compared record by record."""

import random

import pytest
from confluent_kafka import TIMESTAMP_CREATE_TIME

from kafka_helpers import create_topic, produce_all, producer, read_partitions, unique_topic

BASE_TS = 1_700_000_000_000
CODECS = ["none", "gzip", "snappy", "lz4", "zstd"]


def make_records(topic, count, partitions, seed):
    """Deterministic records covering null/empty/binary keys and values, no/duplicate/
    null-valued headers, and explicit (not monotonic) timestamps."""
    rnd = random.Random(seed)
    words = [b"alpha", b"beta", b"gamma", b"delta", b"\x00\xff\x10", b"\xe2\x82\xac"]
    out = []
    for i in range(count):
        if i % 11 == 0:
            key = None
        elif i % 23 == 0:
            key = b""
        else:
            key = b"key-%d-" % i + rnd.choice(words)
        if i % 7 == 0:
            value = None
        elif i % 19 == 0:
            value = b""
        else:
            value = b"value-%d:" % i + b" ".join(rnd.choice(words) for _ in range(rnd.randrange(0, 40)))
            if i % 97 == 0:
                value += rnd.randbytes(2000)  # incompressible
        if i % 5 == 0:
            headers = None
        else:
            headers = [("seq", b"%d" % i), ("dup", b"a"), ("dup", b"b")]
            if i % 3 == 0:
                headers.append(("nul", None))
            if i % 4 == 0:
                headers.append(("empty", b""))
        ts = BASE_TS + i * 3 - (1000 if i % 13 == 0 else 0)
        out.append((topic, i % partitions, key, value, headers, ts))
    return out


def expected_by_partition(records, partitions):
    exp = {p: [] for p in range(partitions)}
    for r in records:
        exp[r[1]].append(r)
    return exp


def assert_exact(records, reports, got, partitions):
    exp = expected_by_partition(records, partitions)
    # Delivery reports: no errors, offsets dense from 0 in produce order per partition.
    next_offset = {p: 0 for p in range(partitions)}
    for rec, (topic, part, off, err) in zip(records, reports):
        assert err is None, f"delivery failed: {err}"
        assert (topic, part) == (rec[0], rec[1])
        assert off == next_offset[part], f"partition {part}: reported offset {off}, expected {next_offset[part]}"
        next_offset[part] += 1
    for p in range(partitions):
        msgs = got[p]
        assert len(msgs) == len(exp[p]), f"partition {p}: {len(msgs)} records read, {len(exp[p])} produced"
        for off, (m, (topic, _, key, value, headers, ts)) in enumerate(zip(msgs, exp[p])):
            where = f"{topic}[{p}]@{off}"
            assert m.offset() == off, where
            assert m.key() == key, where
            assert m.value() == value, where
            assert m.headers() == headers, where
            assert m.timestamp() == (TIMESTAMP_CREATE_TIME, ts), where


@pytest.mark.parametrize("codec,idempotent", [(c, True) for c in CODECS] + [("none", False), ("zstd", False)])
def test_round_trip_exact(broker, codec, idempotent):
    partitions = 3
    count = 20_000
    topic = create_topic(broker, unique_topic(f"rt-{codec}"), partitions=partitions)
    records = make_records(topic, count, partitions, seed=CODECS.index(codec) * 2 + idempotent)
    p = producer(broker, **{"compression.type": codec, "enable.idempotence": idempotent})
    reports = produce_all(p, records)
    ends = {q: sum(1 for r in records if r[1] == q) for q in range(partitions)}
    got = read_partitions(broker, topic, ends)
    assert_exact(records, reports, got, partitions)


def test_per_partition_order_with_keyed_partitioning(broker):
    """Keyed records through librdkafka's partitioner: each partition holds exactly its
    keys' records, in produce order, at dense offsets; a key never spans partitions."""
    partitions = 6
    count = 30_000
    topic = create_topic(broker, unique_topic("order"), partitions=partitions)
    p = producer(broker, **{"enable.idempotence": True, "compression.type": "lz4",
                            "linger.ms": 2, "batch.num.messages": 500})
    reports = {}

    def cb(err, msg):
        assert err is None, err
        reports[int(msg.value().split(b":")[0])] = (msg.partition(), msg.offset())

    for i in range(count):
        while True:
            try:
                p.produce(topic, key=b"k%d" % (i % 257), value=b"%d:payload" % i, on_delivery=cb)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)
    assert p.flush(60) == 0
    assert len(reports) == count
    per_part = {q: [] for q in range(partitions)}
    key_part = {}
    for i in range(count):
        part, off = reports[i]
        assert key_part.setdefault(i % 257, part) == part
        per_part[part].append((off, i))
    assert sum(1 for v in per_part.values() if v) > 1, "partitioner put everything in one partition"
    ends = {q: len(v) for q, v in per_part.items()}
    got = read_partitions(broker, topic, ends)
    for q in range(partitions):
        seqs = [i for _, i in per_part[q]]
        assert [off for off, _ in per_part[q]] == list(range(len(seqs))), f"partition {q}: reported offsets not dense in order"
        read = [int(m.value().split(b":")[0]) for m in got[q]]
        assert read == seqs, f"partition {q}: order differs"
        assert [m.key() for m in got[q]] == [b"k%d" % (i % 257) for i in seqs]

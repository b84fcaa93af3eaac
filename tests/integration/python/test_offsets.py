"""ListOffsets through librdkafka: offsets_for_times and watermarks."""

from confluent_kafka import OFFSET_BEGINNING, OFFSET_END, TopicPartition

from kafka_helpers import consumer, create_topic, produce_all, producer, unique_topic, watermarks

BASE_TS = 1_600_000_000_000


def offsets_for_times(broker, topic, partition_ts):
    """One ListOffsets per (partition, timestamp): a request may name a partition once."""
    c = consumer(broker)
    out = []
    try:
        for p, ts in partition_ts:
            (tp,) = c.offsets_for_times([TopicPartition(topic, p, ts)], timeout=10)
            assert tp.error is None, tp.error
            out.append(tp.offset)
    finally:
        c.close()
    return out


def test_offsets_for_times_and_watermarks(broker):
    topic = create_topic(broker, unique_topic("ts"), partitions=2)
    # Partition 0: 3,000 records, timestamps BASE + 10*i, compressed batches of various
    # sizes so lookups land inside batches. Partition 1: stays empty.
    p = producer(broker, **{"compression.type": "zstd", "batch.num.messages": 37, "linger.ms": 1})
    n = 3000
    produce_all(p, [(topic, 0, None, b"v%d" % i, None, BASE_TS + 10 * i) for i in range(n)])

    assert watermarks(broker, topic, 2) == {0: (0, n), 1: (0, 0)}

    probes = [
        (BASE_TS - 1_000_000, 0),          # before everything: first offset
        (BASE_TS, 0),                      # exact first
        (BASE_TS + 1, 1),                  # between 0 and 1
        (BASE_TS + 10 * 1234, 1234),       # exact hit in the middle
        (BASE_TS + 10 * 1234 + 5, 1235),   # between records
        (BASE_TS + 10 * 36 + 1, 37),       # a batch boundary
        (BASE_TS + 10 * (n - 1), n - 1),   # exact last
        (BASE_TS + 10 * (n - 1) + 1, -1),  # after the last: no offset (OFFSET_END)
    ]
    got = offsets_for_times(broker, topic, [(0, ts) for ts, _ in probes])
    assert got == [want for _, want in probes], list(zip(probes, got))

    # Special timestamps: -2 earliest, -1 latest; an empty partition answers -1 for a time.
    got = offsets_for_times(broker, topic, [(0, OFFSET_BEGINNING), (0, OFFSET_END), (1, BASE_TS), (1, OFFSET_END)])
    assert got == [0, n, -1, 0]


def test_offsets_for_times_out_of_order_timestamps(broker):
    """Kafka semantics: the earliest offset whose timestamp is >= the target, even when
    timestamps go backwards within the partition."""
    topic = create_topic(broker, unique_topic("ooo"), partitions=1)
    stamps = [100, 300, 200, 400, 250, 500]
    for ts in stamps:  # one batch per record
        p = producer(broker)
        produce_all(p, [(topic, 0, None, b"%d" % ts, None, BASE_TS + ts)])
    want = {50: 0, 100: 0, 150: 1, 250: 1, 301: 3, 450: 5, 501: -1}
    got = offsets_for_times(broker, topic, [(0, BASE_TS + t) for t in want])
    assert dict(zip(want, got)) == want

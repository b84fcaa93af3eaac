"""The Prometheus endpoint counts what was produced."""

import re

from kafka_helpers import create_topic, produce_all, producer, unique_topic, wait_until

SAMPLE = re.compile(r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?P<labels>[^}]*)\})?\s+(?P<value>\S+)')


def samples(text, name):
    """{frozenset(labels): value} of every sample of metric `name`."""
    out = {}
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m or m.group("name") != name:
            continue
        labels = frozenset(re.findall(r'(\w+)="((?:[^"\\]|\\.)*)"', m.group("labels") or ""))
        out[labels] = float(m.group("value"))
    return out


def topic_total(text, name, topic):
    return sum(v for labels, v in samples(text, name).items() if ("topic", topic) in labels)


def test_messages_in_total_matches_produced(broker):
    a = create_topic(broker, unique_topic("ma"), partitions=3)
    b = create_topic(broker, unique_topic("mb"), partitions=1)
    # Before any produce the series may be absent; either way it is not above 0.
    assert topic_total(broker.metrics(), "strata_topic_messages_in_total", a) == 0

    # Many records per batch (compressed) so records, not batches, must be counted.
    p = producer(broker, **{"compression.type": "lz4", "linger.ms": 20})
    produce_all(p, [(a, i % 3, None, b"x%d" % i, None, None) for i in range(12_345)])
    p2 = producer(broker, **{"enable.idempotence": True})
    produce_all(p2, [(b, 0, b"k", b"y%d" % i, [("h", b"1")], None) for i in range(678)])

    def counted():
        text = broker.metrics()
        got = (topic_total(text, "strata_topic_messages_in_total", a),
               topic_total(text, "strata_topic_messages_in_total", b))
        return text if got == (12_345, 678) else None

    text = wait_until(counted, "strata_topic_messages_in_total to count 12,345 and 678 records")
    assert "# TYPE strata_topic_messages_in_total counter" in text

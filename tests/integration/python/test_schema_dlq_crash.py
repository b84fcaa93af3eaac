"""Dead-letter routing across broker crashes, with an idempotent acks=all
producer (librdkafka) that retries what was in flight.

The guarantee (include/strata/schema/produce_validator.h,
docs/schema-validation.md): the topic holds every valid record exactly once,
the dead-letter topic every invalid record at least once. A crash after a
batch's dead letters were written but before the topic's append makes the
retried batch dead-letter its records again.
"""

from kafka_helpers import producer
from validation_helpers import dlq_topic_and_mixed_records, read_to_end

CRASH_FAULT = "STRATA_TEST_CRASH_AFTER_DLQ_WRITE"


def idempotent_producer(broker):
    return producer(broker, **{"enable.idempotence": True, "acks": "all", "compression.type": "zstd",
                               "linger.ms": 5, "batch.num.messages": 50, "message.timeout.ms": 120000})


def send(p, topic, records, first, last, errors):
    """Queues records[first:last], keyed by their index."""
    for i in range(first, last):
        while True:
            try:
                p.produce(topic, key=str(i).encode(), value=records[i][1], partition=0,
                          on_delivery=lambda err, msg: errors.append(err) if err else None)
                break
            except BufferError:
                p.poll(0.05)
        p.poll(0)


def kinds(records):
    valid = [i for i, (k, _) in enumerate(records) if k == "valid"]
    return valid, [i for i, (k, _) in enumerate(records) if k != "valid"]


def test_no_record_is_lost_between_topic_and_dead_letter_topic_across_kill_9(broker_factory):
    broker = broker_factory()
    topic, _, _, records = dlq_topic_and_mixed_records(broker, "crash", 3000)
    p = idempotent_producer(broker)
    errors = []
    for first, last in ((0, 1000), (1000, 2000), (2000, 3000)):
        if first:
            broker.kill9()  # in-flight batches are retried against the restarted broker
            broker.start()
        send(p, topic, records, first, last, errors)
    assert p.flush(120) == 0
    assert errors == []

    valid, invalid = kinds(records)
    kept = [int(m.key()) for m in read_to_end(broker, topic)]
    assert kept == valid, "the topic holds every valid record exactly once, in order"
    letters = [int(m.key()) for m in read_to_end(broker, f"{topic}.dlq")]
    assert sorted(set(letters)) == invalid, "every invalid record is dead-lettered at least once"


def test_a_crash_between_the_dead_letter_write_and_the_append(broker_factory):
    # The fault kills the broker right after its first dead-letter write is
    # synced, before the topic's append: the window kill -9 cannot aim at.
    broker = broker_factory(env={CRASH_FAULT: "1"})
    topic, _, _, records = dlq_topic_and_mixed_records(broker, "window", 200)
    p = idempotent_producer(broker)
    errors = []
    # A valid record first: the producer's sequence is past 0 when the crash comes.
    send(p, topic, records, 0, 1, errors)
    assert p.flush(60) == 0 and errors == []

    send(p, topic, records, 1, len(records), errors)
    rc = broker.wait_exit(timeout=120)
    assert rc == -9, f"the broker should have killed itself, exited with {rc}:\n{broker.log_tail()}"
    assert f"{CRASH_FAULT}: killing the broker after the dead-letter write" in broker.log_path.read_text()

    broker.env = {}
    broker.start()
    assert p.flush(120) == 0
    assert errors == [], "the producer's retries land on the restarted broker"

    valid, invalid = kinds(records)
    kept = [int(m.key()) for m in read_to_end(broker, topic)]
    assert kept == valid, "the topic holds every valid record exactly once, in order"
    letters = [int(m.key()) for m in read_to_end(broker, f"{topic}.dlq")]
    assert sorted(set(letters)) == invalid, "every invalid record is dead-lettered at least once"
    # The crashed batch's dead letters were durable before the crash and its
    # retry wrote them again: those are there twice, nothing more than twice.
    twice = sorted({i for i in letters if letters.count(i) == 2})
    assert twice, "the dead letters written before the crash survive it"
    assert all(letters.count(i) <= 2 for i in invalid)
    assert twice == [i for i in invalid if twice[0] <= i <= twice[-1]], "one batch's records, in a row"

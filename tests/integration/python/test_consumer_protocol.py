"""KIP-848 consumer groups through librdkafka (group.protocol=consumer): the
broker assigns partitions; members that commit after every batch consume every
record exactly once, also while members join and leave."""

import threading
import time

from kafka_helpers import consumer, create_topic, produce_all, producer, unique_topic, wait_until


def run_member(broker, topic, group, seen, dupes, lock, stop, owned, name):
    c = consumer(broker, **{
        "group.id": group,
        "group.protocol": "consumer",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "enable.auto.offset.store": True,  # commit() commits what consume() returned
    })
    c.subscribe([topic])
    try:
        while not stop.is_set():
            msgs = c.consume(num_messages=500, timeout=0.2)
            batch = [m for m in msgs if m.error() is None]
            with lock:
                for m in batch:
                    key = (m.partition(), m.offset())
                    if key in seen:
                        dupes.append(key)
                    seen.add(key)
            if batch:
                c.commit(asynchronous=False)
            owned[name] = {tp.partition for tp in c.assignment()}
    finally:
        c.close()


def test_members_share_partitions_and_consume_every_record_once(broker_factory):
    broker = broker_factory(["group.consumer.heartbeat.interval.ms=500"])
    topic = create_topic(broker, unique_topic("kip848"), partitions=6)
    total = 12_000
    p = producer(broker)
    reports = produce_all(p, [(topic, i % 6, None, f"v{i}".encode(), None, None) for i in range(total)])
    assert all(r[3] is None for r in reports)

    seen, dupes, lock, stop, owned = set(), [], threading.Lock(), threading.Event(), {}
    group = unique_topic("group")
    threads = []
    for n in range(2):
        t = threading.Thread(target=run_member,
                             args=(broker, topic, group, seen, dupes, lock, stop, owned, f"m{n}"))
        t.start()
        threads.append(t)
        if n == 0:
            # The second member joins a group whose first member owns everything.
            wait_until(lambda: len(owned.get("m0", ())) == 6, "the first member to own all 6 partitions")

    deadline = time.time() + 90
    settled_view = {}
    while time.time() < deadline:
        with lock:
            done = len(seen) >= total
        # Snapshot before stopping: once one member closes, the other takes everything.
        settled_view = dict(owned)
        settled = len(settled_view) == 2 and all(len(s) == 3 for s in settled_view.values())
        if done and settled:
            break
        time.sleep(0.1)
    stop.set()
    for t in threads:
        t.join(30)

    assert len(seen) == total
    assert dupes == []
    assert len(settled_view) == 2 and all(len(s) == 3 for s in settled_view.values()), settled_view
    assert settled_view["m0"].isdisjoint(settled_view["m1"]), settled_view

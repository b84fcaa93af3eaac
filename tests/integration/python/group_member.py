"""One consumer-group member (confluent-kafka, so librdkafka) that commits after
every batch, and again for the partitions a rebalance takes away: a member that
keeps committing never hands on a record it consumed.

Runs on a thread of the test (run_member with a Ledger as the sink), or as a
process of its own (`python group_member.py bootstrap group topic protocol
assignor|- session_ms`) that reports on stdout, line by line, so a test can
SIGKILL it: "A 0,3,5" assignment, "R partition offset number" consumed, "K"
holding (nothing is committed from here on), "H" held (consumed a batch after
HOLD and committed none of it). It reads HOLD
(stop committing) and LEAVE (close) from stdin.
"""

import sys
import threading

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition


def member_config(bootstrap, group, protocol, assignor, session_ms):
    conf = {
        "bootstrap.servers": bootstrap,
        "group.id": group,
        "group.protocol": protocol,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
        "fetch.wait.max.ms": 100,
    }
    if protocol == "classic":
        # With group.protocol=consumer the broker owns the assignor and the session.
        conf.update({"partition.assignment.strategy": assignor,
                     "session.timeout.ms": session_ms,
                     "heartbeat.interval.ms": 500})
    return conf


class Control:
    def __init__(self):
        self.hold = threading.Event()
        self.leave = threading.Event()


def run_member(conf, topic, sink, control):
    c = Consumer(conf)
    pending = {}  # partition -> next offset, consumed but not committed
    owned = set()  # c.assignment() lags behind inside the callbacks

    def commit(partitions):
        offsets = [TopicPartition(topic, p, pending[p]) for p in partitions if p in pending]
        if not offsets:
            return
        try:
            c.commit(offsets=offsets, asynchronous=False)
        except KafkaException as e:
            if e.args[0].code() != KafkaError.REBALANCE_IN_PROGRESS:
                raise
            return  # a cooperative rebalance is under way: committed again afterwards
        for tp in offsets:
            if pending.get(tp.partition) == tp.offset:
                del pending[tp.partition]

    def on_assign(consumer, partitions):
        owned.update(tp.partition for tp in partitions)
        sink.assigned(set(owned))

    def on_revoke(consumer, partitions):
        if not control.hold.is_set():
            commit([tp.partition for tp in partitions])
        owned.difference_update(tp.partition for tp in partitions)
        sink.assigned(set(owned))

    def on_lost(consumer, partitions):
        for tp in partitions:  # gone without a chance to commit: someone else's now
            pending.pop(tp.partition, None)
        owned.difference_update(tp.partition for tp in partitions)
        sink.assigned(set(owned))

    c.subscribe([topic], on_assign=on_assign, on_revoke=on_revoke, on_lost=on_lost)
    holding = False
    try:
        while not control.leave.is_set():
            if control.hold.is_set() and not holding:
                holding = True  # every later look at control.hold sees it too
                sink.holding()
            batch = [m for m in c.consume(num_messages=500, timeout=0.2) if m.error() is None]
            for m in batch:
                sink.consumed(m.partition(), m.offset(), int(m.value()))
                pending[m.partition()] = m.offset() + 1
            sink.batch_done()
            if control.hold.is_set():
                if batch:
                    sink.held()
            else:
                commit(list(pending))
    finally:
        c.close()


def start_thread(conf, topic, sink, errors):
    """Runs a member on a thread of the test; returns (control, thread). What it
    raises lands in errors (a thread's exception is lost otherwise)."""
    control = Control()

    def run():
        try:
            run_member(conf, topic, sink, control)
        except Exception as e:
            errors.append(e)

    t = threading.Thread(target=run)
    t.start()
    return control, t


class Ledger:
    """What one member reported, kept in the test's process (the sink of a member
    thread, or fed by replay() from a member process's lines)."""

    def __init__(self, name):
        self.name = name
        self.lock = threading.Lock()
        self.records = []  # (partition, offset, number)
        self.assignment = set()
        self.held_batches = 0
        self.is_holding = False

    def assigned(self, partitions):
        self.assignment = set(partitions)

    def consumed(self, partition, offset, number):
        with self.lock:
            self.records.append((partition, offset, number))

    def batch_done(self):
        pass

    def holding(self):
        self.is_holding = True

    def held(self):
        self.held_batches += 1

    def snapshot(self):
        with self.lock:
            return list(self.records)

    def __repr__(self):
        return f"{self.name}(consumed={len(self.records)}, assignment={sorted(self.assignment)}, held={self.held_batches})"


class LineSink:
    """Reports events as lines on a stream; flushed before a commit, so a record
    committed is a record reported."""

    def __init__(self, out):
        self.out = out

    def assigned(self, partitions):
        self.out.write("A " + ",".join(str(p) for p in sorted(partitions)) + "\n")
        self.out.flush()

    def consumed(self, partition, offset, number):
        self.out.write(f"R {partition} {offset} {number}\n")

    def batch_done(self):
        self.out.flush()

    def holding(self):
        self.out.write("K\n")
        self.out.flush()

    def held(self):
        self.out.write("H\n")
        self.out.flush()


def replay(line, sink):
    """Applies one line a LineSink wrote to sink."""
    f = line.split()
    if not f:
        return
    if f[0] == "A":
        sink.assigned({int(p) for p in f[1].split(",")} if len(f) > 1 else set())
    elif f[0] == "R" and len(f) == 4:
        sink.consumed(int(f[1]), int(f[2]), int(f[3]))
    elif f[0] == "K":
        sink.holding()
    elif f[0] == "H":
        sink.held()


def main(argv):
    bootstrap, group, topic, protocol, assignor, session_ms = argv
    control = Control()

    def commands():
        for line in sys.stdin:
            if line.strip() == "HOLD":
                control.hold.set()
            elif line.strip() == "LEAVE":
                break
        control.leave.set()

    threading.Thread(target=commands, daemon=True).start()
    run_member(member_config(bootstrap, group, protocol, assignor, int(session_ms)), topic,
               LineSink(sys.stdout), control)


if __name__ == "__main__":
    main(sys.argv[1:])

"""librdkafka group members (confluent-kafka) leave and crash mid-stream: three
members share a 12-partition topic while numbered records are produced; one
closes, one (a process of its own) is SIGKILLed holding records it consumed
but did not commit. Every record is consumed, and the only records consumed
twice are the killed member's uncommitted ones (as the broker had its
committed offsets at the kill). Eager (range), cooperative-sticky and
group.protocol=consumer."""

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from group_member import Ledger, member_config, replay, start_thread
from kafka_helpers import committed_offsets, create_topic, producer, unique_topic

PARTITIONS = 12
TOTAL = 30_000


def share_partitions(*members):
    """Every partition owned by exactly one member, each owning its even share: the
    settled assignment, which nothing moves until the next member leaves or dies."""
    sets = [m.assignment for m in members]
    return all(len(s) == PARTITIONS // len(members) for s in sets) and sum(len(s) for s in sets) == PARTITIONS and len(set().union(*sets)) == PARTITIONS


def await_until(what, cond, state, errors, timeout=120):
    deadline = time.time() + timeout
    while not cond():
        assert not errors, f"{what}: member errors {errors}"
        assert time.time() < deadline, f"timed out waiting until {what}: {state()}"
        time.sleep(0.2)


def produce_range(p, topic, start, end):
    failed = []

    def done(err, msg):
        if err is not None:
            failed.append(err)

    for i in range(start, end):
        while True:
            try:
                p.produce(topic, key=f"k{i}".encode(), value=str(i).encode(), on_delivery=done)
                break
            except BufferError:
                p.poll(0.1)
        p.poll(0)
    assert p.flush(60) == 0
    assert failed == []


def uncovered(at_kill, leaver, victim, survivor):
    covered = bytearray(TOTAL)
    for live in (leaver, survivor):
        for _, _, n in live.snapshot():
            covered[n] = 1
    for p, o, n in victim.snapshot():
        if o < at_kill.get(p, 0):
            covered[n] = 1
    return [n for n in range(TOTAL) if not covered[n]][:20]


@pytest.mark.timeout(300)
@pytest.mark.parametrize("protocol,assignor", [
    ("classic", "range"),
    ("classic", "cooperative-sticky"),
    ("consumer", None),
])
def test_members_leave_and_crash_while_records_are_produced(broker_factory, protocol, assignor):
    broker = broker_factory(["group.initial.rebalance.delay.ms=0",
                             "group.consumer.heartbeat.interval.ms=500",
                             "group.consumer.session.timeout.ms=8000"])
    topic = create_topic(broker, unique_topic("crash"), partitions=PARTITIONS)
    group = unique_topic("crash-group")
    leaver, victim, survivor = Ledger("leaver"), Ledger("victim"), Ledger("survivor")
    errors = []
    conf = member_config(broker.bootstrap, group, protocol, assignor, 30_000)
    leaver_control, leaver_thread = start_thread(conf, topic, leaver, errors)
    survivor_control, survivor_thread = start_thread(conf, topic, survivor, errors)
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("group_member.py")), broker.bootstrap, group, topic,
         protocol, assignor or "-", "6000"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def read_victim():
        for line in proc.stdout:
            replay(line, victim)

    threading.Thread(target=read_victim, daemon=True).start()

    def state():
        return f"{leaver} {victim} {survivor} errors={errors}"

    p = producer(broker)
    try:
        await_until("three members share the partitions",
                    lambda: share_partitions(leaver, victim, survivor), state, errors)
        produce_range(p, topic, 0, TOTAL * 3 // 10)
        await_until("the leaver consumes", lambda: leaver.snapshot(), state, errors)
        leaver_control.leave.set()
        leaver_thread.join(60)
        assert not leaver_thread.is_alive()

        produce_range(p, topic, TOTAL * 3 // 10, TOTAL * 6 // 10)
        await_until("the other two share the partitions", lambda: share_partitions(victim, survivor), state, errors)
        proc.stdin.write("HOLD\n")
        proc.stdin.flush()
        await_until("the victim stops committing", lambda: victim.is_holding, state, errors)
        produce_range(p, topic, TOTAL * 6 // 10, TOTAL * 8 // 10)
        await_until("the victim consumes without committing", lambda: victim.held_batches > 0, state, errors)
        proc.kill()  # SIGKILL
        proc.wait(30)
        # Nobody else owns the victim's partitions until its session expires: these
        # are its committed offsets, and what it consumed from them on was never committed.
        at_kill = committed_offsets(broker, group, topic, PARTITIONS)

        produce_range(p, topic, TOTAL * 8 // 10, TOTAL)
        await_until("every record is consumed by a live member or committed by the victim",
                    lambda: not uncovered(at_kill, leaver, victim, survivor), state, errors)
        survivor_control.leave.set()
        survivor_thread.join(60)
        assert not survivor_thread.is_alive()
        assert errors == []

        lost = [(p_, o) for p_, o, _ in victim.snapshot() if o >= at_kill.get(p_, 0)]
        assert lost, "the victim died holding uncommitted records"
        consumers = {}
        for m in (leaver, victim, survivor):
            for p_, o, n in m.snapshot():
                excused = m is victim and o >= at_kill.get(p_, 0)
                consumers.setdefault(n, []).append(("victim-uncommitted" if excused else m.name, p_, o))
        wrong = [(n, who) for n, who in consumers.items()
                 if len(who) > 1 and not (len(who) == 2 and sum(w[0] == "victim-uncommitted" for w in who) == 1)]
        assert wrong[:20] == [], f"records consumed twice other than the victim's {len(lost)} uncommitted ones"

        end = committed_offsets(broker, group, topic, PARTITIONS)
        assert len(end) == PARTITIONS and sum(end.values()) == TOTAL, end
    finally:
        proc.kill()
        leaver_control.leave.set()
        survivor_control.leave.set()
        leaver_thread.join(30)
        survivor_thread.join(30)

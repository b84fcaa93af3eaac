'use strict';
// kafkajs group members leave and crash mid-stream: three members share a
// 12-partition topic while numbered records are produced; one disconnects, one
// (a process of its own) is SIGKILLed holding records it consumed but did not
// commit. Every record is consumed, and the only records consumed twice are the
// killed member's uncommitted ones (as the broker had its committed offsets at
// the kill).
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const path = require('node:path');
const readline = require('node:readline');
const { Kafka, logLevel, Partitioners } = require('kafkajs');
const { Broker, sleep } = require('./broker');
const { runMember, replay } = require('./member');

const PARTITIONS = 12;
const TOTAL = 20_000;

class Ledger {
  constructor(name) {
    this.name = name;
    this.records = []; // [partition, offset, number]
    this.assignment = new Set();
    this.heldBatches = 0;
    this.isHolding = false;
    this.errors = [];
  }
  assigned(partitions) { this.assignment = partitions; }
  consumed(partition, offset, number) { this.records.push([partition, offset, number]); }
  batchDone() {}
  holding() { this.isHolding = true; }
  held() { this.heldBatches++; }
  error(e) { this.errors.push(String(e)); }
  toString() {
    return `${this.name}(consumed=${this.records.length}, assignment=[${[...this.assignment]}], held=${this.heldBatches}, errors=${this.errors})`;
  }
}

// Every partition owned by exactly one member, each owning its even share: the
// settled assignment, which nothing moves until the next member leaves or dies.
function sharePartitions(...members) {
  const union = new Set();
  let sum = 0;
  for (const m of members) {
    if (m.assignment.size !== PARTITIONS / members.length) return false;
    for (const p of m.assignment) union.add(p);
    sum += m.assignment.size;
  }
  return union.size === PARTITIONS && sum === PARTITIONS;
}

async function awaitUntil(what, cond, ledgers, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    const errors = ledgers.flatMap((l) => l.errors);
    assert.deepEqual(errors, [], `${what}: member errors`);
    assert.ok(Date.now() < deadline, `timed out waiting until ${what}: ${ledgers.join(' ')}`);
    await sleep(200);
  }
}

async function produceRange(producer, topic, from, to) {
  for (let i = from; i < to; i += 1000) {
    const messages = [];
    for (let n = i; n < Math.min(to, i + 1000); n++) messages.push({ key: `k${n}`, value: String(n) });
    await producer.send({ topic, acks: -1, messages });
  }
}

async function committed(admin, group, topic) {
  const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  const out = new Map();
  for (const { partition, offset } of t.partitions) if (Number(offset) >= 0) out.set(partition, Number(offset));
  return out;
}

function uncovered(atKill, leaver, victim, survivor) {
  const covered = new Uint8Array(TOTAL);
  for (const live of [leaver, survivor]) for (const [, , n] of live.records) covered[n] = 1;
  for (const [p, o, n] of victim.records) if (o < (atKill.get(p) ?? 0)) covered[n] = 1;
  const missing = [];
  for (let n = 0; n < TOTAL && missing.length < 20; n++) if (!covered[n]) missing.push(n);
  return missing;
}

test('kafkajs members leave and crash while records are produced', { timeout: 300_000 }, async () => {
  const broker = new Broker(['group.initial.rebalance.delay.ms=0']);
  await broker.start();
  const kafka = new Kafka({ clientId: 'strata-it', brokers: [broker.bootstrap], logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  const topic = 'crash-kafkajs';
  const group = 'crash-group-kafkajs';
  const leaver = new Ledger('leaver');
  const victim = new Ledger('victim');
  const survivor = new Ledger('survivor');
  const ledgers = [leaver, victim, survivor];
  const leaverControl = { hold: false };
  const survivorControl = { hold: false };
  let proc;
  let failed = true;
  try {
    await admin.connect();
    await producer.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
    await runMember({ bootstrap: broker.bootstrap, group, topic, sessionTimeout: 30_000, sink: leaver, control: leaverControl });
    await runMember({ bootstrap: broker.bootstrap, group, topic, sessionTimeout: 30_000, sink: survivor, control: survivorControl });
    proc = spawn(process.execPath, [path.join(__dirname, 'member.js'), broker.bootstrap, group, topic, '6000'],
      { stdio: ['pipe', 'pipe', 'inherit'] });
    readline.createInterface({ input: proc.stdout }).on('line', (line) => replay(line, victim));
    const victimExited = new Promise((resolve) => proc.once('exit', resolve));

    await awaitUntil('three members share the partitions', () => sharePartitions(leaver, victim, survivor), ledgers);
    await produceRange(producer, topic, 0, TOTAL * 0.3);
    await awaitUntil('the leaver consumes', () => leaver.records.length > 0, ledgers);
    await leaverControl.leave();

    await produceRange(producer, topic, TOTAL * 0.3, TOTAL * 0.6);
    await awaitUntil('the other two share the partitions', () => sharePartitions(victim, survivor), ledgers);
    proc.stdin.write('HOLD\n');
    await awaitUntil('the victim stops committing', () => victim.isHolding, ledgers);
    await produceRange(producer, topic, TOTAL * 0.6, TOTAL * 0.8);
    await awaitUntil('the victim consumes without committing', () => victim.heldBatches > 0, ledgers);
    proc.kill('SIGKILL');
    await victimExited;
    // Nobody else owns the victim's partitions until its session expires: these are
    // its committed offsets, and what it consumed from them on was never committed.
    const atKill = await committed(admin, group, topic);

    await produceRange(producer, topic, TOTAL * 0.8, TOTAL);
    await awaitUntil('every record is consumed by a live member or committed by the victim',
      () => uncovered(atKill, leaver, victim, survivor).length === 0, ledgers);
    await survivorControl.leave();

    const lost = victim.records.filter(([p, o]) => o >= (atKill.get(p) ?? 0));
    assert.ok(lost.length > 0, 'the victim died holding uncommitted records');
    const by = new Map();
    for (const m of ledgers) {
      for (const [p, o, n] of m.records) {
        const who = m === victim && o >= (atKill.get(p) ?? 0) ? 'victim-uncommitted' : m.name;
        if (!by.has(n)) by.set(n, []);
        by.get(n).push(`${who}@${p}:${o}`);
      }
    }
    const wrong = [];
    for (const [n, who] of by) {
      if (who.length === 1) continue;
      const ok = who.length === 2 && who.filter((w) => w.startsWith('victim-uncommitted')).length === 1;
      if (!ok && wrong.length < 20) wrong.push(`record ${n} by ${who}`);
    }
    assert.deepEqual(wrong, [], `records consumed twice other than the victim's ${lost.length} uncommitted ones`);

    const end = await committed(admin, group, topic);
    assert.equal(end.size, PARTITIONS);
    assert.equal([...end.values()].reduce((a, b) => a + b, 0), TOTAL);
    console.log(`kafkajs: ${ledgers.join(' ')}, the victim's uncommitted records: ${lost.length}`);
    failed = false;
  } finally {
    if (proc) proc.kill('SIGKILL');
    for (const c of [leaverControl, survivorControl]) if (c.leave) await c.leave().catch(() => {});
    await producer.disconnect().catch(() => {});
    await admin.disconnect().catch(() => {});
    if (failed) console.error(`---- broker log ----\n${broker.logTail(150)}`);
    await broker.stop({ keepLog: failed });
  }
});

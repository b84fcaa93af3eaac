'use strict';
// One kafkajs consumer-group member (classic protocol, kafkajs's round-robin
// assignor, eager rebalancing) that commits after every batch, so it never
// hands on a record it consumed. Runs inside the test (runMember with a ledger
// as the sink) or as a process of its own, `node member.js bootstrap group topic
// sessionTimeoutMs`, so that a test can SIGKILL it. Then it reports on stdout,
// line by line: "A 0,3,5" assignment, "R partition offset number" consumed,
// "K" holding (nothing is committed from here on), "H" held (consumed a batch after HOLD and committed none of it); it reads
// HOLD (stop committing) and LEAVE (close) from stdin.
const { Kafka, logLevel } = require('kafkajs');

/** Starts a member; resolves once it runs. control: { hold, leave() } filled in here. */
async function runMember({ bootstrap, group, topic, sessionTimeout, sink, control }) {
  const kafka = new Kafka({ clientId: 'strata-it-member', brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({
    groupId: group,
    sessionTimeout,
    heartbeatInterval: 500,
    rebalanceTimeout: 30_000,
    maxWaitTimeInMs: 200,
  });
  consumer.on(consumer.events.GROUP_JOIN, (e) => {
    sink.assigned(new Set(e.payload.memberAssignment[topic] || []));
  });
  consumer.on(consumer.events.CRASH, (e) => sink.error(e.payload.error));
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    eachBatch: async ({ batch, isStale, resolveOffset }) => {
      if (batch.messages.length === 0 || isStale()) return;
      for (const m of batch.messages) {
        sink.consumed(batch.partition, Number(m.offset), Number(m.value.toString()));
        resolveOffset(m.offset); // the fetch position moves on
      }
      sink.batchDone();
      if (control.hold) {
        sink.held();
        return;
      }
      const next = Number(batch.messages[batch.messages.length - 1].offset) + 1;
      await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(next) }]);
    },
  });
  control.leave = () => consumer.disconnect();
}

/** Reports events as lines, flushed before a commit: a record committed is a record reported. */
class LineSink {
  constructor(write) {
    this.write = write;
    this.buffer = [];
  }
  assigned(partitions) {
    this.write(`A ${[...partitions].sort((a, b) => a - b).join(',')}\n`);
  }
  consumed(partition, offset, number) {
    this.buffer.push(`R ${partition} ${offset} ${number}\n`);
  }
  batchDone() {
    this.write(this.buffer.join(''));
    this.buffer = [];
  }
  holding() {
    this.write('K\n');
  }
  held() {
    this.write('H\n');
  }
  error(e) {
    this.write(`E ${String(e).replace(/\n/g, ' ')}\n`);
  }
}

/** Applies one line a LineSink wrote to sink. */
function replay(line, sink) {
  const f = line.trim().split(' ');
  if (f[0] === 'A') sink.assigned(new Set(f.length > 1 && f[1] ? f[1].split(',').map(Number) : []));
  else if (f[0] === 'R' && f.length === 4) sink.consumed(Number(f[1]), Number(f[2]), Number(f[3]));
  else if (f[0] === 'K') sink.holding();
  else if (f[0] === 'H') sink.held();
  else if (f[0] === 'E') sink.error(line.slice(2));
}

module.exports = { runMember, replay };

if (require.main === module) {
  const [bootstrap, group, topic, sessionTimeout] = process.argv.slice(2);
  const control = { hold: false, leave: null };
  // Synchronous writes: what was reported is out of the process before the commit.
  const fs = require('node:fs');
  const sink = new LineSink((s) => fs.writeSync(1, s));
  let input = '';
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (d) => {
    input += d;
    let nl;
    while ((nl = input.indexOf('\n')) >= 0) {
      const cmd = input.slice(0, nl).trim();
      input = input.slice(nl + 1);
      if (cmd === 'HOLD') {
        control.hold = true; // read by every later batch: one thread
        sink.holding();
      }
      if (cmd === 'LEAVE' && control.leave) control.leave().then(() => process.exit(0));
    }
  });
  runMember({ bootstrap, group, topic, sessionTimeout: Number(sessionTimeout), sink, control }).catch((e) => {
    sink.error(e);
    process.exit(1);
  });
}

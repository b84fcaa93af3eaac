'use strict';
// One real build/strata process for a test file: a fresh temporary data
// directory, free 127.0.0.1 ports, output captured to a log file. The binary
// comes from STRATA_BINARY, else build/strata under the repository root.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function acceptsConnections(port) {
  return new Promise((resolve) => {
    const c = net.connect({ host: '127.0.0.1', port });
    c.once('connect', () => { c.destroy(); resolve(true); });
    c.once('error', () => resolve(false));
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

class Broker {
  constructor(overrides = []) {
    this.overrides = overrides;
    this.binary = process.env.STRATA_BINARY || path.resolve(__dirname, '../../../build/strata');
  }

  get bootstrap() {
    return `127.0.0.1:${this.port}`;
  }

  async start() {
    if (!fs.existsSync(this.binary)) throw new Error(`strata binary not found: ${this.binary} (set STRATA_BINARY)`);
    this.root = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-nodeit-'));
    this.logPath = path.join(this.root, 'broker.log');
    this.port = await freePort();
    const adminPort = await freePort();
    this.registryPort = await freePort();
    const args = [
      '--override', `log.dirs=${path.join(this.root, 'data')}`,
      '--override', `listeners=PLAINTEXT://127.0.0.1:${this.port}`,
      '--override', `advertised.listeners=PLAINTEXT://127.0.0.1:${this.port}`,
      '--override', `admin.listeners=http://127.0.0.1:${adminPort}`,
      '--override', `schema.registry.listeners=http://127.0.0.1:${this.registryPort}`,
    ];
    for (const o of this.overrides) args.push('--override', o);
    const log = fs.openSync(this.logPath, 'a');
    this.proc = spawn(this.binary, args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    this.exited = new Promise((resolve) => this.proc.once('exit', (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      if (this.proc.exitCode !== null) throw new Error(`strata exited at start-up:\n${this.logTail()}`);
      if (await acceptsConnections(this.port)) return;
      await sleep(50);
    }
    this.proc.kill('SIGKILL');
    throw new Error(`strata did not listen within 20 s:\n${this.logTail()}`);
  }

  /** SIGTERM and wait; throws unless it exits cleanly. Keeps the data dir when keepLog. */
  async stop({ keepLog = false } = {}) {
    if (!this.proc) return;
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 30_000);
    const { code, signal } = await this.exited;
    clearTimeout(timer);
    this.proc = null;
    if (code !== 0) throw new Error(`strata exited with ${code ?? signal} on SIGTERM:\n${this.logTail()}`);
    if (!keepLog) fs.rmSync(this.root, { recursive: true, force: true });
  }

  logTail(lines = 80) {
    try {
      return fs.readFileSync(this.logPath, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '(no log)';
    }
  }
}

module.exports = { Broker, sleep };

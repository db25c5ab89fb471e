// Benchmark of the Trace Lab's worker in headless Chromium against native `cachesim mrc`, on the
// issue's trace: 10M requests of Zipf(1.0) over 1M keys as oracleGeneral records (240 MB),
// generated here, the same every run. Prints each figure; asserts nothing (speed is measured, not
// tested). Needs a release build of the app (`trunk build --release`) and of cachesim
// (`cargo build --release --bin cachesim`):
//
//   node scripts/bench-trace-lab.mjs [requests]
import { execFileSync } from 'node:child_process';
import { openSync, writeSync, closeSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServer, launchBrowser } from '../tests/e2e/harness.mjs';

const REQUESTS = Number(process.argv[2] ?? 10_000_000);
const KEYS = 1_000_000;
const CACHESIM = resolve(import.meta.dirname, '../target/release/cachesim');

/** Writes REQUESTS Zipf(1.0) keys over KEYS keys (inverse CDF, a seeded xorshift) as records. */
function writeTrace(path) {
  const cumulative = new Float64Array(KEYS);
  let sum = 0;
  for (let rank = 0; rank < KEYS; rank += 1) {
    sum += 1 / (rank + 1);
    cumulative[rank] = sum;
  }
  let state = 0x2545f4914f6cdd1dn;
  const next = () => {
    state ^= (state << 13n) & 0xffffffffffffffffn;
    state ^= state >> 7n;
    state ^= (state << 17n) & 0xffffffffffffffffn;
    return Number(state >> 11n) / 2 ** 53;
  };
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(24 * 65_536);
  let filled = 0;
  for (let i = 0; i < REQUESTS; i += 1) {
    const target = next() * sum;
    let low = 0;
    let high = KEYS - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (cumulative[middle] < target) low = middle + 1;
      else high = middle;
    }
    const at = filled * 24;
    chunk.writeUInt32LE(Math.floor(i / 1000), at);
    chunk.writeBigUInt64LE(BigInt(low + 1), at + 4);
    chunk.writeUInt32LE(100 + ((low * 2654435761) % 62900), at + 12);
    chunk.writeBigInt64LE(-1n, at + 16);
    filled += 1;
    if (filled === 65_536) {
      writeSync(fd, chunk);
      filled = 0;
    }
  }
  writeSync(fd, chunk.subarray(0, filled * 24));
  closeSync(fd);
}

/** Seconds `cachesim` takes with `args` (median of 3). */
function native(args) {
  const times = [];
  for (let round = 0; round < 3; round += 1) {
    const started = process.hrtime.bigint();
    execFileSync(CACHESIM, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    times.push(Number(process.hrtime.bigint() - started) / 1e9);
  }
  return times.sort((a, b) => a - b)[1];
}

/** Seconds from posting the run to the worker's curves, in the page (median of 3). */
async function inWorker(page, run) {
  const times = [];
  for (let round = 0; round < 3; round += 1) {
    const seconds = await page.evaluate(async (run) => {
      const file = document.querySelector('#bench-file').files[0];
      const worker = new Worker('./trace_worker_loader.js');
      const result = await new Promise((resolve) => {
        let started = 0;
        worker.onmessage = (event) => {
          if (event.data.kind === 'ready') {
            started = performance.now();
            worker.postMessage({ run, file });
          } else if (event.data.kind === 'done' || event.data.kind === 'failed') {
            resolve({ seconds: (performance.now() - started) / 1000, reply: event.data });
          }
        };
      });
      worker.terminate();
      if (result.reply.kind === 'failed') throw new Error(result.reply.message);
      return result.seconds;
    }, run);
    times.push(seconds);
  }
  return times.sort((a, b) => a - b)[1];
}

if (!existsSync(CACHESIM)) throw new Error(`build ${CACHESIM} first: cargo build --release --bin cachesim`);
const dir = mkdtempSync(join(tmpdir(), 'bench-trace-lab-'));
const trace = join(dir, 'zipf.oracleGeneral');
let started = Date.now();
writeTrace(trace);
console.log(`trace: ${REQUESTS} requests, Zipf(1.0) over ${KEYS} keys, ${trace} (${((Date.now() - started) / 1000).toFixed(1)} s to write)`);

const server = await startServer();
const browser = await launchBrowser();
const page = await browser.newPage();
await page.goto(`${server.origin}/?demo=lru`);
await page.evaluate(() => {
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'bench-file';
  document.body.append(input);
});
await page.setInputFiles('#bench-file', trace);

const file = (policies, sample) => ({
  source: { kind: 'file', name: 'zipf.oracleGeneral', format: { kind: 'oracle-general' } },
  policies,
  sample,
  in_bytes: false,
});
const eight = ['lru', 'fifo', 'clock', 'sieve', 'arc', 's3fifo', 'tinylfu', 'opt'];
const rows = [
  ['exact LRU curve (stack distances)', file(['lru'], { kind: 'every' }), ['--policy', 'lru']],
  ['SHARDS 1% LRU curve', file(['lru'], { kind: 'rate', rate: 0.01 }), ['--policy', 'lru', '--sample', '0.01']],
  ['8 policies x 12 sizes, SHARDS 1%', file(eight, { kind: 'rate', rate: 0.01 }), ['--policy', eight.join(','), '--sample', '0.01']],
  ['fifo x 12 sizes, exact (replay speed)', file(['fifo'], { kind: 'every' }), ['--policy', 'fifo', '--threads', '1']],
];
for (const [what, run, args] of rows) {
  const worker = await inWorker(page, run);
  const cli = native(['mrc', '--trace', trace, ...args]);
  console.log(`${what}: worker ${worker.toFixed(2)} s, native cachesim ${cli.toFixed(2)} s, ratio (native/worker) ${(cli / worker).toFixed(2)}`);
}
await browser.close();
await server.close();

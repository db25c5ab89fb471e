// The Trace Lab's Web Worker, built by Trunk into dist/ beside the app: started from a page served at
// the root and under a sub-path, sent a trace as a File, it replies with progress and then the very
// curves `cachesim mrc` prints for the same file (cachesim is the debug build `cargo test` made);
// a file that is no trace gets one sentence naming where; terminating it stops a run; and the app's
// pages never fetch it on their own.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SUB_PATH, openPage, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();
const CACHESIM = resolve(import.meta.dirname, '../../target/debug/cachesim');

/** A text trace of `requests` keys drawn from a skewed, seeded sequence over `keys` keys. */
function textTrace(requests, keys) {
  let state = 0x9e3779b97f4a7c15n;
  const lines = [];
  for (let i = 0; i < requests; i += 1) {
    state ^= state << 13n; state &= (1n << 64n) - 1n;
    state ^= state >> 7n;
    state ^= state << 17n; state &= (1n << 64n) - 1n;
    const a = Number(state % BigInt(keys));
    const b = Number((state >> 20n) % BigInt(keys));
    lines.push(`item-${Math.min(a, b)}`);
  }
  return lines.join('\n') + '\n';
}

/** Runs the worker in `page` on a File of `bytes` named `name`; resolves to every reply. */
async function runWorker(page, name, bytes, run) {
  return page.evaluate(async ({ name, bytes, run }) => {
    const worker = new Worker('./trace_worker_loader.js');
    const replies = [];
    const done = new Promise((resolve) => {
      worker.onmessage = (event) => {
        replies.push(event.data);
        if (event.data.kind === 'ready') {
          worker.postMessage({ run, file: new File([new Uint8Array(bytes)], name) });
        }
        if (event.data.kind === 'done' || event.data.kind === 'failed') resolve();
      };
      worker.onerror = (event) => { replies.push({ kind: 'error', message: event.message }); resolve(); };
    });
    await done;
    worker.terminate();
    return replies;
  }, { name, bytes: Array.from(bytes), run });
}

const POLICIES = ['lru', 'fifo', 's3fifo', 'sieve', 'opt'];

describe('the Trace Lab worker', () => {
  for (const base of ['/', SUB_PATH]) {
    test(`served at ${base}, it gives cachesim mrc's curves for the same file`, async () => {
      assert.ok(existsSync(CACHESIM), `${CACHESIM} is built by cargo test (run make test)`);
      const page = await openPage(env.browser, `${env.server.origin}${base}?demo=lru`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      const trace = textTrace(60_000, 10_000);
      const replies = await runWorker(page, 'skewed.txt', Buffer.from(trace), {
        source: { kind: 'file', name: 'skewed.txt', format: { kind: 'text' } },
        policies: POLICIES,
        sample: { kind: 'every' },
        in_bytes: false,
      });
      assert.equal(replies[0].kind, 'ready');
      const done = replies.at(-1);
      assert.equal(done.kind, 'done', JSON.stringify(replies.at(-1)));
      assert.ok(replies.some((reply) => reply.kind === 'progress'));
      assert.ok(replies.some((reply) => reply.kind === 'read'));
      const last = replies.filter((reply) => reply.kind === 'progress').at(-1);
      assert.equal(last.bytes, trace.length);
      assert.equal(last.requests, 60_000);

      const dir = mkdtempSync(join(tmpdir(), 'trace-worker-'));
      const file = join(dir, 'skewed.txt');
      writeFileSync(file, trace);
      const sizes = done.curves[0].points.map((point) => point.size).join(',');
      const native = JSON.parse(execFileSync(CACHESIM, [
        'mrc', '--trace', file, '--policy', POLICIES.join(','), '--size', sizes, '--json',
      ], { encoding: 'utf8' }));
      assert.equal(done.summary.requests, native.trace.requests);
      assert.equal(done.summary.unique_keys, native.trace.unique_keys);
      assert.deepEqual(done.curves, native.curves);
      assert.equal(done.sample, null);
      // The summary's plots: popularity by rank with its fitted skew, and reuses by depth, as
      // cachesim prints them.
      assert.deepEqual(done.popularity, native.popularity);
      assert.deepEqual(done.reuse, native.reuse);
      assert.deepEqual(done.popularity.points[0][0], 1);
      // The trace's keys are the smaller of two uniform draws: popular, but far from Zipf(1).
      assert.ok(done.popularity.skew > 0 && done.popularity.skew < 1, `skew ${done.popularity.skew}`);
      const reused = done.reuse.reduce((sum, bucket) => sum + bucket.share, 0);
      const expected = (native.trace.requests - native.trace.unique_keys) / native.trace.requests;
      assert.ok(Math.abs(reused - expected) < 1e-9, `${reused} of the requests are reuses, not ${expected}`);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  test('a sampled run names its rate, and its curves are cachesim mrc --sample ones', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lru`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const trace = textTrace(60_000, 10_000);
    const replies = await runWorker(page, 'skewed.txt', Buffer.from(trace), {
      source: { kind: 'file', name: 'skewed.txt', format: { kind: 'text' } },
      policies: ['lru', 'fifo'],
      sample: { kind: 'rate', rate: 0.1 },
      in_bytes: false,
    });
    const done = replies.at(-1);
    assert.equal(done.kind, 'done', JSON.stringify(done));
    const dir = mkdtempSync(join(tmpdir(), 'trace-worker-'));
    const file = join(dir, 'skewed.txt');
    writeFileSync(file, trace);
    const sizes = done.curves[0].points.map((point) => point.size).join(',');
    const native = JSON.parse(execFileSync(CACHESIM, [
      'mrc', '--trace', file, '--policy', 'lru,fifo', '--size', sizes, '--sample', '0.1', '--json',
    ], { encoding: 'utf8' }));
    assert.equal(done.sample.threshold, native.sample.threshold);
    assert.equal(done.sample.keys, native.sample.keys);
    assert.deepEqual(done.curves, native.curves);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a generated workload gives cachesim mrc --workload\'s curves, random policies seeded alike', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lru`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const replies = await runWorker(page, '', Buffer.alloc(0), {
      source: { kind: 'workload', workload: { kind: 'zipf', alpha: 0.9 }, keys: 5000, requests: 50000, seed: 7 },
      policies: ['lru', 'random', 'fifo'],
      sample: { kind: 'every' },
      in_bytes: false,
    });
    const done = replies.at(-1);
    assert.equal(done.kind, 'done', JSON.stringify(done));
    const sizes = done.curves[0].points.map((point) => point.size).join(',');
    const native = JSON.parse(execFileSync(CACHESIM, [
      'mrc', '--workload', 'zipf', '--alpha', '0.9', '--keys', '5000', '--requests', '50000', '--seed', '7',
      '--policy', 'lru,random,fifo', '--size', sizes, '--json',
    ], { encoding: 'utf8' }));
    assert.equal(done.summary.unique_keys, native.trace.unique_keys);
    assert.deepEqual(done.curves, native.curves);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a file sent without its format is read by its first bytes, then its name, as cachesim reads it', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lru`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    const dir = mkdtempSync(join(tmpdir(), 'trace-worker-'));
    // oracleGeneral records (u32 time, u64 id, u32 size, i64 next access) named as text.
    const records = Buffer.alloc(24 * 3000);
    for (let i = 0; i < 3000; i += 1) {
      records.writeUInt32LE(i, 24 * i);
      records.writeBigUInt64LE(BigInt((i * 7919) % 400), 24 * i + 4);
      records.writeUInt32LE(100, 24 * i + 12);
      records.writeBigInt64LE(-1n, 24 * i + 16);
    }
    const auto = { kind: 'auto', key_column: 'key', size_column: null, header: true };
    const cases = [
      ['records.txt', records, 'oracle-general', ['--format', 'oracle-general']],
      // Text named as binary: the bytes win.
      ['keys.bin', Buffer.from(textTrace(5000, 300)), 'text', ['--format', 'txt']],
      ['requests.csv', Buffer.from('time,key\n' + textTrace(5000, 300).trim().split('\n').map((key, i) => `${i},${key}`).join('\n') + '\n'),
        'csv', ['--format', 'csv', '--key-column', 'key', '--header']],
    ];
    for (const [name, bytes, kind, flags] of cases) {
      const run = { source: { kind: 'file', name, format: auto }, policies: ['lru', 'fifo'], sample: { kind: 'every' }, in_bytes: false };
      const replies = await runWorker(page, name, bytes, run);
      const format = replies.find((reply) => reply.kind === 'format');
      assert.equal(format?.format.kind, kind, `${name}: ${JSON.stringify(replies.at(-1))}`);
      const done = replies.at(-1);
      assert.equal(done.kind, 'done', JSON.stringify(done));
      const file = join(dir, name);
      writeFileSync(file, bytes);
      const sizes = done.curves[0].points.map((point) => point.size).join(',');
      const native = JSON.parse(execFileSync(CACHESIM, [
        'mrc', '--trace', file, ...flags, '--policy', 'lru,fifo', '--size', sizes, '--json',
      ], { encoding: 'utf8' }));
      assert.equal(done.summary.requests, native.trace.requests, name);
      assert.deepEqual(done.curves, native.curves, name);
    }
    // A PNG is named for what it is.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const run = { source: { kind: 'file', name: 'photo.txt', format: auto }, policies: ['lru'], sample: { kind: 'every' }, in_bytes: false };
    const failed = (await runWorker(page, 'photo.txt', png, run)).at(-1);
    assert.equal(failed.kind, 'failed');
    assert.equal(failed.message, 'photo.txt is a PNG image, not a trace (text, CSV or oracleGeneral, plain or zstd)');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a file that is not a trace gets one sentence naming where, and the worker keeps working', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lru`);
    await page.getByRole('heading', { level: 1 }).waitFor();
    // A PNG's first bytes, named as a compressed oracleGeneral trace.
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const run = { source: { kind: 'file', name: 'photo.oracleGeneral.zst', format: { kind: 'oracle-general' } }, policies: ['lru'], sample: { kind: 'every' }, in_bytes: false };
    const failed = (await runWorker(page, 'photo.oracleGeneral.zst', png, run)).at(-1);
    assert.equal(failed.kind, 'failed');
    assert.match(failed.message, /photo\.oracleGeneral\.zst/);
    assert.match(failed.message, /byte/);
    assert.ok(!failed.message.includes('\n'));
    // A zstd frame cut short.
    const cut = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x18, 0x65, 0x00, 0x00, 0x10]);
    const cutRun = { ...run, source: { kind: 'file', name: 'cut.oracleGeneral.zst', format: { kind: 'oracle-general' } } };
    const truncated = (await runWorker(page, 'cut.oracleGeneral.zst', cut, cutRun)).at(-1);
    assert.equal(truncated.kind, 'failed');
    assert.match(truncated.message, /cut\.oracleGeneral\.zst/);
    assert.match(truncated.message, /byte/);
    // A CSV without the chosen column.
    const csv = Buffer.from('time,object\n1,a\n2,b\n');
    const csvRun = { source: { kind: 'file', name: 'requests.csv', format: { kind: 'csv', key_column: 'key', size_column: null, header: true } }, policies: ['lru'], sample: { kind: 'every' }, in_bytes: false };
    const missing = (await runWorker(page, 'requests.csv', csv, csvRun)).at(-1);
    assert.equal(missing.kind, 'failed');
    assert.match(missing.message, /key/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('terminating the worker stops a run at once; the app never loads the worker by itself', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=hit-rate`);
    const fetched = [];
    page.on('request', (request) => fetched.push(request.url()));
    await page.getByRole('heading', { level: 1 }).waitFor();
    await page.waitForTimeout(300);
    assert.ok(!fetched.some((url) => url.includes('trace_worker')), fetched.join('\n'));
    const stopped = await page.evaluate(async () => {
      const worker = new Worker('./trace_worker_loader.js');
      let replies = 0;
      await new Promise((resolve) => {
        worker.onmessage = (event) => {
          replies += 1;
          if (event.data.kind === 'ready') {
            const lines = Array.from({ length: 3_000_000 }, (_, i) => `k${i % 500_000}`).join('\n');
            worker.postMessage({
              run: { source: { kind: 'file', name: 'big.txt', format: { kind: 'text' } }, policies: ['lru', 'opt'], sample: { kind: 'every' }, in_bytes: false },
              file: new File([lines], 'big.txt'),
            });
            setTimeout(resolve, 50);
          }
        };
      });
      const started = performance.now();
      worker.terminate();
      const before = replies;
      await new Promise((resolve) => setTimeout(resolve, 500));
      return { afterTerminate: replies - before, took: performance.now() - started };
    });
    assert.equal(stopped.afterTerminate, 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

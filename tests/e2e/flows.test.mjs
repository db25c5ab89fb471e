// The write-pattern and stampede demos driven as a reader would: sliders, checkboxes and selects by
// their labels, the Key field with Get and Write, Crash cache, the timeline, the stats and console.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleLines, openPage, operate, setSlider, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

const stat = async (page, label) =>
  (await page.getByRole('region', { name: 'Stats' }).locator(`[data-stat="${label}"] dd`).innerText()).trim();
const timeline = (page) => page.getByRole('slider', { name: 'Timeline' });
const toEnd = async (page) => timeline(page).fill(await timeline(page).getAttribute('max'));
const filterConsole = (page, label) => page.getByRole('combobox', { name: 'Filter' }).selectOption({ label });

describe('write patterns and stampede', () => {
  test('write-behind: writes then Crash cache lose exactly the queued writes, shown as LOST lines', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=write-behind`);
    await setSlider(page, 'Read ratio', 0);
    await timeline(page).fill('150');
    const queued = Number((await page.locator('.flow-diagram .queue .node-detail').textContent()).match(/(\d+) queued/)[1]);
    assert.ok(queued > 0, 'writes are waiting in the queue');
    await page.getByRole('button', { name: 'Crash cache' }).click();
    await toEnd(page);
    assert.equal(Number(await stat(page, 'Lost writes')), queued);
    await filterConsole(page, 'LOST');
    const lost = await consoleLines(page);
    assert.equal(lost.length, queued, lost.join('\n'));
    assert.ok(lost.every((line) => /LOST\s+k\d+ = v\d+ — acknowledged, never reached the database/.test(line)));
    await filterConsole(page, 'CRASH');
    assert.match((await consoleLines(page))[0], new RegExp(`CRASH\\s+the cache lost \\d+ entries and ${queued} queued writes`));
    assert.match(await page.locator('.crash-note').innerText(), /The cache crashed at 150 ms/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('stampede: DB reads equal the clients without protection, and 1 with coalescing', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=stampede`);
    await setSlider(page, 'Clients', 12);
    await toEnd(page);
    assert.equal(await stat(page, 'DB reads'), '12');
    assert.match(await page.getByRole('img', { name: /Database load/ }).getAttribute('aria-label'), /12 database reads in total/);
    await page.getByRole('combobox', { name: 'Strategy' }).selectOption({ label: 'Request coalescing' });
    await toEnd(page);
    assert.equal(await stat(page, 'DB reads'), '1');
    assert.equal(await stat(page, 'Waits'), '11');
    await filterConsole(page, 'WAIT');
    assert.equal((await consoleLines(page)).length, 11);
    // TTL jitter needs many keys: the demo says so and keeps the working setting.
    await page.getByRole('combobox', { name: 'Strategy' }).selectOption({ label: 'TTL jitter (±20%)' });
    assert.match(await page.getByRole('alert').innerText(), /jitter .*previous setting stays/i);
    assert.equal(await stat(page, 'DB reads'), '1');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('cache-aside: update-instead-of-delete with racing writers serves a stale read; delete does not', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=cache-aside`);
    await page.getByRole('checkbox', { name: 'Two writers race' }).check();
    await page.getByRole('checkbox', { name: 'Update the cache on write (instead of delete)' }).check();
    await toEnd(page);
    assert.ok(Number(await stat(page, 'Stale reads')) > 0);
    assert.equal(await page.locator('tr.stale .stale-tag').count() > 0 || (await consoleLines(page)).some((l) => /STALE/.test(l)), true);
    await page.getByRole('checkbox', { name: 'Update the cache on write (instead of delete)' }).uncheck();
    await toEnd(page);
    assert.equal(await stat(page, 'Stale reads'), '0');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('write-around: the first read after a write misses, the next one hits', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=write-around`);
    await operate(page, 'Write', 'user:1');
    await timeline(page).fill('200');
    await operate(page, 'Get', 'user:1');
    await timeline(page).fill('400');
    await operate(page, 'Get', 'user:1');
    await timeline(page).fill('600');
    const mine = async (kind) => {
      await filterConsole(page, kind);
      return (await consoleLines(page)).filter((line) => /user:1/.test(line));
    };
    const misses = await mine('MISS');
    const hits = await mine('HIT');
    assert.equal(misses.length, 1, misses.join('\n'));
    assert.equal(hits.length, 1, hits.join('\n'));
    assert.match(hits[0], /HIT\s+user:1 = v1/);
    // The miss came first: the read right after the write.
    assert.ok(Number.parseFloat(misses[0]) < Number.parseFloat(hits[0]));
    assert.ok((await mine('DONE')).some((line) => /DONE\s+you: write user:1/.test(line)));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('write-through never serves a stale read, and messages travel along the arrows while playing', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=write-through`);
    await setSlider(page, 'Read ratio', 50);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.flow-diagram .dot').length > 0);
    const first = await page.locator('.flow-diagram .dot circle').first().getAttribute('cx');
    assert.ok(first);
    await page.getByRole('button', { name: 'Pause' }).click();
    await toEnd(page);
    assert.equal(await stat(page, 'Stale reads'), '0');
    assert.ok(Number(await stat(page, 'DB writes')) > 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

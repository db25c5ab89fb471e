// The eviction demos driven as a reader would: sliders by label, the Key field, Get and Put, the
// console (role="log", named "Console"), the slots, Play, Step and the timeline scrubber.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { consoleLines, openPage, operate, setSlider, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

const slotNames = async (page) =>
  (await page.getByRole('region', { name: 'Cache contents' }).locator('.slot-list:not(.ghost) .slot-name').allInnerTexts()).sort();

describe('eviction demos', () => {
  test('LRU, cache size 3: Put a, b, c, Get a, Put d evicts b and leaves a, c, d', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lru`);
    await setSlider(page, 'Cache size', 3);
    for (const key of ['a', 'b', 'c']) await operate(page, 'Put', key);
    await operate(page, 'Get', 'a');
    await operate(page, 'Put', 'd');
    const lines = await consoleLines(page);
    assert.ok(lines.some((line) => /EVICT\s+b — least recently used/.test(line)), lines.join('\n'));
    assert.ok(lines.some((line) => /HIT\s+a = v1/.test(line)));
    assert.deepEqual(await slotNames(page), ['a', 'c', 'd']);
    const stats = page.getByRole('region', { name: 'Stats' });
    assert.match(await stats.locator('[data-stat="Evictions"] dd').innerText(), /^1$/);
    assert.match(await stats.locator('[data-stat="Hits"] dd').innerText(), /^1$/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('LFU evicts the least frequently used, and marks it before it leaves', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lfu`);
    await setSlider(page, 'Cache size', 2);
    await operate(page, 'Put', 'a');
    await operate(page, 'Put', 'b');
    await operate(page, 'Get', 'a');
    await operate(page, 'Get', 'a');
    await operate(page, 'Get', 'b');
    // a has 2 hits, b has 1: b is marked as the next to go.
    const victim = page.locator('.slot.victim .slot-name');
    assert.equal(await victim.innerText(), 'b');
    assert.equal(await page.locator('.slot.victim .victim-tag').innerText(), 'next to evict');
    await operate(page, 'Put', 'c');
    const lines = await consoleLines(page);
    assert.ok(lines.some((line) => /EVICT\s+b — fewest hits/.test(line)), lines.join('\n'));
    assert.deepEqual(await slotNames(page), ['a', 'c']);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('TTL: an entry expires after its TTL in virtual time and a Get then misses', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=ttl`);
    await setSlider(page, 'TTL', 2);
    await operate(page, 'Put', 'session');
    assert.match(await page.locator('.slot[data-key="session"] .ttl-text').innerText(), /2 s left/);
    // Step plays the workload request by request (every 0.5 s); walk past the 2 s TTL.
    for (let i = 0; i < 5; i += 1) await page.getByRole('button', { name: 'Step' }).click();
    await operate(page, 'Get', 'session');
    const lines = await consoleLines(page);
    assert.ok(lines.some((line) => /EXPIRE\s+session — TTL ran out/.test(line)), lines.join('\n'));
    assert.ok(lines.some((line) => /^2\.500s\s+MISS\s+session/.test(line)), lines.join('\n'));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('scrubbing back restores the earlier state; forward again restores the later one', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lru`);
    await setSlider(page, 'Speed', 20);
    await page.getByRole('button', { name: 'Play' }).click();
    // Pause while the console still draws every line from the start (its window first moves on
    // at 45 lines), so the lines shown later begin with those shown at 2 s.
    await page.waitForFunction(() => document.querySelectorAll('[role="log"] .line').length > 20);
    await page.getByRole('button', { name: 'Pause' }).click();
    const later = { lines: await consoleLines(page), slots: await slotNames(page) };
    const timeline = page.getByRole('slider', { name: 'Timeline' });
    const end = Number(await timeline.getAttribute('max'));
    await timeline.fill('2000');
    const earlier = await consoleLines(page);
    assert.ok(earlier.length < later.lines.length);
    assert.ok(earlier.every((line) => /^[01]\.\d{3}s|^2\.000s/.test(line)), earlier.join('\n'));
    assert.deepEqual(earlier, later.lines.slice(0, earlier.length));
    await timeline.fill(String(end));
    assert.deepEqual(await consoleLines(page), later.lines);
    assert.deepEqual(await slotNames(page), later.slots);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('console: filter by kind, Clear and Download', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lru`, { acceptDownloads: true });
    await setSlider(page, 'Cache size', 1);
    await operate(page, 'Put', 'a');
    await operate(page, 'Put', 'b');
    await operate(page, 'Get', 'a');
    await page.getByRole('combobox', { name: 'Filter' }).selectOption({ label: 'EVICT' });
    const evicts = await consoleLines(page);
    assert.equal(evicts.length, 1);
    assert.match(evicts[0], /EVICT\s+a — least recently used/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), 'cache-playground-console.txt');
    const text = await readFile(await download.path(), 'utf8');
    assert.equal(text, '0.000s EVICT a — least recently used\n');
    await page.getByRole('combobox', { name: 'Filter' }).selectOption({ label: 'All events' });
    assert.ok((await consoleLines(page)).length >= 5);
    await page.getByRole('button', { name: 'Clear' }).click();
    assert.deepEqual(await consoleLines(page), []);
    await operate(page, 'Get', 'b');
    const after = await consoleLines(page);
    assert.equal(after.length, 1);
    assert.match(after[0], /HIT\s+b = v1/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the policy selector offers every engine policy and OPT explains why it cannot run live', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lru`);
    const policy = page.getByRole('combobox', { name: 'Policy' });
    const options = await policy.locator('option').allInnerTexts();
    assert.equal(options.length, 11);
    await setSlider(page, 'Cache size', 4);
    for (const key of ['a', 'b', 'c']) await operate(page, 'Put', key);
    await policy.selectOption('arc');
    assert.match(await page.getByRole('region', { name: 'Cache contents' }).innerText(), /p = 0\.0[\s\S]*T1: seen once[\s\S]*B2: ghosts of T2/);
    await policy.selectOption('clock');
    assert.equal(await page.locator('.slot.hand').count(), 1);
    await policy.selectOption('opt');
    assert.match(await page.getByRole('alert').innerText(), /OPT .* cannot run live/);
    assert.deepEqual(await slotNames(page), ['a', 'b', 'c']);
    await operate(page, 'Put', '   ');
    assert.match(await page.getByRole('alert').first().innerText(), /Type a key first|OPT/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

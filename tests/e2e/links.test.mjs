// Links that reproduce a run, bad links, remembered settings and the persistent memo, driven as a
// reader would: controls by their labels, the address bar, Copy link, reloads.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { consoleLines, openPage, setSlider, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

const slider = (page, label) => page.getByRole('slider', { name: label, exact: true });
const sliderValue = (page, label) => slider(page, label).inputValue();
const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);
const notice = (page) => page.getByRole('status', { name: 'Notice' });
const setSeed = async (page, seed) => {
  await page.getByRole('spinbutton', { name: 'Seed' }).fill(String(seed));
  await page.getByRole('spinbutton', { name: 'Seed' }).press('Tab');
};
const step = async (page, times) => {
  for (let i = 0; i < times; i += 1) await page.getByRole('button', { name: 'Step', exact: true }).click();
};
const downloadConsole = async (page) => {
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download' }).click(),
  ]);
  return readFile(await download.path(), 'utf8');
};
const toEnd = async (page) => {
  const timeline = slider(page, 'Timeline');
  await timeline.fill(await timeline.getAttribute('max'));
};

describe('links', () => {
  test('LRU: a link with every parameter gives the same console as setting the controls by hand', async () => {
    const byHand = await openPage(env.browser, `${env.server.origin}/?demo=lru`);
    await byHand.getByRole('combobox', { name: 'Policy' }).selectOption('arc');
    await setSlider(byHand, 'Cache size', 5);
    await setSlider(byHand, 'TTL', 3);
    await setSlider(byHand, 'Keys', 10);
    await setSlider(byHand, 'Skew', 1.4);
    await setSlider(byHand, 'Speed', 4);
    await setSeed(byHand, 99);
    // The address bar follows every control.
    assert.deepEqual(params(byHand), {
      v: '1', demo: 'lru', policy: 'arc', size: '5', ttl: '3', keys: '10', skew: '1.4', speed: '4', seed: '99',
    });
    await byHand.getByRole('button', { name: 'Reset', exact: true }).click();
    await step(byHand, 30);
    const expected = await consoleLines(byHand);
    assert.ok(expected.length >= 30, expected.join('\n'));
    assert.ok(expected.some((line) => /EVICT|EXPIRE/.test(line)), 'entries leave during the run');

    const linked = await openPage(env.browser, `${env.server.origin}/?v=1&demo=lru&policy=arc&size=5&ttl=3&keys=10&skew=1.4&speed=4&seed=99`);
    assert.equal(await linked.getByRole('combobox', { name: 'Policy' }).inputValue(), 'arc');
    assert.equal(await sliderValue(linked, 'Cache size'), '5');
    assert.equal(await linked.getByRole('spinbutton', { name: 'Seed' }).inputValue(), '99');
    await step(linked, 30);
    assert.deepEqual(await consoleLines(linked), expected);
    assert.equal(await notice(linked).count(), 0);
    for (const page of [byHand, linked]) {
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });

  test('write-behind: a link reproduces the whole event log of a run set up by hand, crash included', async () => {
    const byHand = await openPage(env.browser, `${env.server.origin}/?demo=write-behind`, { acceptDownloads: true });
    await setSlider(byHand, 'Cache size', 7);
    await setSlider(byHand, 'Read ratio', 40);
    await setSlider(byHand, 'Clients', 4);
    await setSlider(byHand, 'DB latency', 25);
    await setSeed(byHand, 5);
    await slider(byHand, 'Timeline').fill('400');
    await byHand.getByRole('button', { name: 'Crash cache' }).click();
    assert.equal(params(byHand).crash, '400');
    const link = byHand.url();
    await toEnd(byHand);
    const expected = await downloadConsole(byHand);
    assert.match(expected, /LOST/);

    const linked = await openPage(env.browser, link, { acceptDownloads: true });
    await toEnd(linked);
    assert.equal(await downloadConsole(linked), expected);
    for (const page of [byHand, linked]) {
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });

  test('Copy link copies a link that opens the same settings', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=stampede`, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await page.getByRole('combobox', { name: 'Strategy' }).selectOption({ label: 'Request coalescing' });
    await setSlider(page, 'Clients', 33);
    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Link copied.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, page.url());
    assert.match(copied, /strategy=coalesce/);
    const opened = await openPage(env.browser, copied);
    assert.equal(await sliderValue(opened, 'Clients'), '33');
    assert.equal(await opened.getByRole('combobox', { name: 'Strategy' }).inputValue(), 'coalesce');
    for (const each of [page, opened]) {
      assert.deepEqual(each.problems, []);
      await each.context().close();
    }
  });

  test('Embed this copies the element and an iframe that show the same settings on another page', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=stampede`, {
      permissions: ['clipboard-read', 'clipboard-write'],
    });
    await page.getByRole('combobox', { name: 'Strategy' }).selectOption({ label: 'Lock in the cache (SET NX)' });
    await setSlider(page, 'Clients', 33);
    await page.getByRole('button', { name: 'Embed this' }).click();
    await page.getByText('Embed code copied: paste it into your page.').waitFor();
    const code = await page.evaluate(() => navigator.clipboard.readText());
    const lines = code.split('\n');
    assert.equal(lines[0], `<script src="${env.server.origin}/embed.js" defer></script>`);
    assert.equal(lines[1], '<cache-playground demo="stampede" strategy="lock" clients="33"></cache-playground>');
    const iframe = lines.find((line) => line.startsWith('<iframe '));
    assert.match(iframe, /&amp;strategy=lock&amp;.*&amp;embed=1" title="Cache Playground: Cache stampede"/);
    // Pasted into a documentation page, both forms show the demo with these settings.
    const docs = await openPage(env.browser, `${env.server.origin}/examples/caching-patterns.html`);
    await docs.setContent(`<!doctype html><html lang="en"><head><title>Docs</title></head><body>${code}</body></html>`);
    for (const selector of ['cache-playground iframe', 'body > iframe']) {
      await docs.locator(selector).scrollIntoViewIfNeeded(); // lazy frames load near the viewport
      const frame = docs.frameLocator(selector);
      await frame.getByRole('heading', { level: 1, name: 'Cache stampede' }).waitFor();
      assert.equal(await frame.getByRole('slider', { name: 'Clients' }).inputValue(), '33');
      assert.equal(await frame.getByRole('combobox', { name: 'Strategy' }).inputValue(), 'lock');
    }
    for (const each of [page, docs]) {
      assert.deepEqual(each.problems, []);
      await each.context().close();
    }
  });

  test('garbage and hostile parameters are clamped or replaced, listed in a notice, and stay text', async () => {
    const hostile = '<img src=x onerror="window.injected=1">';
    const url = `${env.server.origin}/?demo=lru&size=-5&ttl=abc&keys=1e99&skew=NaN&policy=opt&v=7&${encodeURIComponent(hostile)}=1&seed=${encodeURIComponent(hostile)}`;
    const page = await openPage(env.browser, url);
    await notice(page).waitFor();
    const text = await notice(page).innerText();
    for (const expected of [
      'size: “-5” is below the minimum; using 1.',
      'ttl: “abc” is not a number; using 0 s.',
      'keys: “1e99” is above the maximum; using 26.',
      'skew: “NaN” is not a number; using 1.',
      'policy: “opt” is Belady',
      'version “7”',
      `seed: “${hostile}” is not a number; using 7.`,
      `Ignored the parameter “${hostile}”`,
    ]) {
      assert.ok(text.includes(expected), `missing ${expected} in\n${text}`);
    }
    // What was used instead is what the controls show, and what the address bar now says.
    assert.equal(await sliderValue(page, 'Cache size'), '1');
    assert.equal(await sliderValue(page, 'Keys'), '26');
    assert.deepEqual(params(page), {
      v: '1', demo: 'lru', policy: 'lru', size: '1', ttl: '0', keys: '26', skew: '1', speed: '2', seed: '7',
    });
    assert.equal(await page.locator('main img').count(), 0);
    assert.equal(await page.evaluate(() => window.injected), undefined);
    await notice(page).getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await notice(page).count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();

    const huge = await openPage(env.browser, `${env.server.origin}/?demo=hit-rate&size=1e99&requests=-1&policy=nope,sieve`);
    await notice(huge).waitFor();
    assert.match(await notice(huge).innerText(), /size: “1e99” is above the maximum; using 50\./);
    assert.match(await notice(huge).innerText(), /policy: “nope” is not one of lru, fifo/);
    assert.equal(await sliderValue(huge, 'Requests'), '10000');
    assert.equal(await huge.getByRole('checkbox', { name: 'SIEVE', exact: true }).isChecked(), true);
    assert.equal(await huge.getByRole('checkbox', { name: 'LRU', exact: true }).isChecked(), false);
    assert.deepEqual(huge.problems, []);
    await huge.context().close();

    // Settings that are each valid but cannot run together: the defaults run, and say so.
    const clash = await openPage(env.browser, `${env.server.origin}/?demo=stampede&strategy=jitter&clients=9`);
    assert.match(await clash.getByRole('alert').innerText(), /jitter.*The default settings are used instead/i);
    assert.equal(params(clash).strategy, 'none');
    assert.equal(params(clash).clients, '20');
    assert.deepEqual(clash.problems, []);
    await clash.context().close();
  });
});

describe('remembered settings', () => {
  test('a demo reopens with its last settings; a link wins over them; Reset to defaults forgets them', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=lru`);
    await setSlider(page, 'Cache size', 7);
    await page.getByRole('combobox', { name: 'Policy' }).selectOption('sieve');
    // Opening the demo without settings in its URL (as the navigation does) restores them.
    await page.goto(`${env.server.origin}/?demo=lru`);
    assert.equal(await sliderValue(page, 'Cache size'), '7');
    assert.equal(await page.getByRole('combobox', { name: 'Policy' }).inputValue(), 'sieve');
    assert.equal(params(page).size, '7');
    // Another demo keeps its own settings.
    await page.getByRole('navigation', { name: 'Demos' }).getByRole('link', { name: 'LFU', exact: true }).click();
    assert.equal(await sliderValue(page, 'Cache size'), '4');
    await page.getByRole('navigation', { name: 'Demos' }).getByRole('link', { name: 'LRU', exact: true }).click();
    assert.equal(await sliderValue(page, 'Cache size'), '7');
    // A link that sets anything starts from the defaults and applies its own settings.
    await page.goto(`${env.server.origin}/?demo=lru&size=3`);
    assert.equal(await sliderValue(page, 'Cache size'), '3');
    assert.equal(await page.getByRole('combobox', { name: 'Policy' }).inputValue(), 'lru');
    // Reset to defaults: the demo, the address bar and the next visit all start from defaults.
    await page.goto(`${env.server.origin}/?demo=lru`);
    await page.getByRole('button', { name: 'Reset to defaults' }).click();
    assert.equal(await sliderValue(page, 'Cache size'), '4');
    assert.equal(params(page).policy, 'lru');
    await page.reload();
    assert.equal(await sliderValue(page, 'Cache size'), '4');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('without usable storage (blocked, or full) the playground works and simply does not remember', async () => {
    for (const block of [
      // Private mode or a sandboxed frame: touching localStorage throws.
      () => Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } }),
      // A full store: every write throws.
      () => { Storage.prototype.setItem = () => { throw new DOMException('full', 'QuotaExceededError'); }; },
    ]) {
      const page = await openPage(env.browser);
      await page.addInitScript(block);
      await page.goto(`${env.server.origin}/?demo=lru`);
      await setSlider(page, 'Cache size', 9);
      await page.goto(`${env.server.origin}/?demo=lru`);
      assert.equal(await sliderValue(page, 'Cache size'), '4');
      await page.goto(`${env.server.origin}/?demo=memo`);
      await page.getByRole('textbox', { name: 'Argument' }).fill('7');
      await page.getByRole('button', { name: 'Call get_user' }).click();
      const persistent = page.getByRole('region', { name: 'Persistent memo' });
      assert.match(await persistent.innerText(), /CacheInfo\(hits=0, misses=1, maxsize=None, currsize=1\)/);
      assert.match(await persistent.innerText(), /results last only until the page closes/);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });

  test('the persistent memo survives a reload, with cache_info() and cache_clear()', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=memo`);
    const call = async (value) => {
      await page.getByRole('textbox', { name: 'Argument' }).fill(value);
      await page.getByRole('button', { name: 'Call get_user' }).click();
    };
    const persistent = () => page.getByRole('region', { name: 'Persistent memo' }).innerText();
    const shared = () => page.getByRole('region', { name: 'One shared cache' }).innerText();
    for (const value of ['1', '2', '1']) await call(value);
    assert.match(await persistent(), /CacheInfo\(hits=1, misses=2, maxsize=None, currsize=2\)/);
    await page.reload();
    await call('2');
    // The lru_cache started empty again; the persistent memo still had the result.
    assert.match(await shared(), /CacheInfo\(hits=0, misses=1, maxsize=128, currsize=1\)/);
    assert.match(await persistent(), /CacheInfo\(hits=1, misses=0, maxsize=None, currsize=2\)/);
    assert.ok((await consoleLines(page)).some((line) => /HIT\s+persistent: get_user\(2\) answered from the cache/.test(line)));
    await page.getByRole('button', { name: 'cache_clear()' }).click();
    assert.match(await persistent(), /currsize=0\)/);
    await page.reload();
    await call('2');
    assert.match(await persistent(), /CacheInfo\(hits=0, misses=1, maxsize=None, currsize=1\)/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

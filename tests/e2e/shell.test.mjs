// The app shell, driven as a reader would: headings, navigation links by their visible names, the
// address bar and the back button.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SUB_PATH, openPage, useServerAndBrowser } from './harness.mjs';

const DEMOS = [
  ['cache-aside', 'Cache-aside', 'Cache-aside (lazy loading)'],
  ['read-through', 'Read-through', 'Read-through'],
  ['write-through', 'Write-through', 'Write-through'],
  ['write-behind', 'Write-behind', 'Write-behind (write-back)'],
  ['write-around', 'Write-around', 'Write-around'],
  ['compare', 'Compare patterns', 'Compare the write patterns'],
  ['lru', 'LRU', 'LRU: least recently used'],
  ['lfu', 'LFU', 'LFU: least frequently used'],
  ['ttl', 'TTL', 'TTL: time to live'],
  ['hit-rate', 'Hit-rate simulation', 'Hit-rate simulation'],
  ['stampede', 'Stampede', 'Cache stampede'],
  ['e-commerce', 'E-commerce', 'An e-commerce service'],
  ['memo', 'Memoization', 'Memoization'],
];

const env = useServerAndBrowser();

const heading = (page) => page.getByRole('heading', { level: 1 });
const nav = (page) => page.getByRole('navigation', { name: 'Demos' });
const query = (page) => new URL(page.url()).search;
// The address bar spells out every setting (`?v=1&demo=lru&policy=lru&…`); which demo is its `demo`.
const demoParam = (page) => new URL(page.url()).searchParams.get('demo');

describe('app shell', () => {
  test('loads the overview with every demo listed, no console errors and no failed requests', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/`);
    await assert.doesNotReject(heading(page).filter({ hasText: 'Cache Playground' }).waitFor());
    for (const [, label] of DEMOS) {
      assert.equal(await nav(page).getByRole('link', { name: label, exact: true }).count(), 1, label);
    }
    // Three groups of demos, each a list in the navigation.
    for (const group of ['Write patterns', 'Eviction', 'Scenarios']) {
      assert.equal(await nav(page).getByRole('heading', { name: group }).count(), 1, group);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('every navigation entry switches the main area and the URL', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/`);
    for (const [id, label, title] of DEMOS) {
      await nav(page).getByRole('link', { name: label, exact: true }).click();
      await heading(page).filter({ hasText: title }).waitFor();
      assert.equal(demoParam(page), id);
      assert.ok(query(page).startsWith(`?v=1&demo=${id}&`), query(page));
      assert.equal(await page.title(), `${title} · Cache Playground`);
      const current = nav(page).locator('[aria-current="page"]');
      assert.equal(await current.textContent(), label);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('opening each ?demo=<id> URL directly shows that demo', async () => {
    const page = await openPage(env.browser);
    for (const [id, , title] of DEMOS) {
      await page.goto(`${env.server.origin}/?demo=${id}`);
      assert.equal(await heading(page).textContent(), title, id);
      assert.equal(await page.getByRole('status', { name: 'Notice' }).count(), 0, `no notice on ${id}`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('an unknown id shows a notice and the overview, which can be dismissed', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=nope`);
    const notice = page.getByRole('status', { name: 'Notice' });
    await notice.waitFor();
    assert.match(await notice.textContent(), /There is no demo called “nope”/);
    assert.equal(await heading(page).textContent(), 'Cache Playground');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    assert.equal(await page.getByRole('status', { name: 'Notice' }).count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a hostile id is shown as text, never as markup', async () => {
    const hostile = '<img src=x onerror="window.injected=1"><script>window.injected=2</script>';
    const page = await openPage(env.browser, `${env.server.origin}/?demo=${encodeURIComponent(hostile)}`);
    const notice = page.getByRole('status', { name: 'Notice' });
    await notice.waitFor();
    assert.ok((await notice.textContent()).includes(hostile), 'the id appears verbatim as text');
    assert.equal(await page.locator('main img, main script').count(), 0);
    assert.equal(await page.evaluate(() => window.injected), undefined);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the back and forward buttons move between demos', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/`);
    await nav(page).getByRole('link', { name: 'LRU', exact: true }).click();
    await heading(page).filter({ hasText: 'LRU: least recently used' }).waitFor();
    await nav(page).getByRole('link', { name: 'Stampede', exact: true }).click();
    await heading(page).filter({ hasText: 'Cache stampede' }).waitFor();

    await page.goBack();
    await heading(page).filter({ hasText: 'LRU: least recently used' }).waitFor();
    assert.equal(demoParam(page), 'lru');
    await page.goBack();
    await heading(page).filter({ hasText: 'Cache Playground' }).waitFor();
    assert.equal(query(page), '');
    await page.goForward();
    await heading(page).filter({ hasText: 'LRU: least recently used' }).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the header link returns to the overview', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=ttl`);
    await page.getByRole('link', { name: 'Cache Playground' }).click();
    await heading(page).filter({ hasText: 'Cache Playground' }).waitFor();
    assert.equal(query(page), '');
    await page.context().close();
  });

  test('works from a nested sub-path of a static host', async () => {
    const page = await openPage(env.browser, `${env.server.origin}${SUB_PATH}?demo=write-behind`);
    await heading(page).filter({ hasText: 'Write-behind (write-back)' }).waitFor();
    await nav(page).getByRole('link', { name: 'LFU', exact: true }).click();
    await heading(page).filter({ hasText: 'LFU: least frequently used' }).waitFor();
    assert.equal(new URL(page.url()).pathname, SUB_PATH);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('on a 1280 x 800 screen the diagram is in view without scrolling, on the page and embedded, before the settings', async () => {
    const flows = ['cache-aside', 'read-through', 'write-through', 'write-behind', 'write-around', 'stampede', 'e-commerce'];
    for (const query of [...flows.map((demo) => `demo=${demo}`), ...flows.map((demo) => `demo=${demo}&embed=1`)]) {
      const page = await openPage(env.browser, `${env.server.origin}/?${query}`, { viewport: { width: 1280, height: 800 } });
      await heading(page).waitFor();
      const figure = await page.locator('.flow-diagram[role="img"]').boundingBox();
      assert.ok(figure.y >= 0 && figure.y + figure.height <= 800, `${query}: diagram from ${figure.y} to ${figure.y + figure.height}`);
      // The picture leads: the transport just above it, the settings below.
      const settings = await page.locator('.lab-settings').boundingBox();
      assert.ok(settings.y > figure.y, query);
      // The dots' layer lies exactly over the drawing, however the picture is scaled.
      const layer = await page.locator('.flow-dots').boundingBox();
      assert.deepEqual([layer.width, layer.height].map(Math.round), [figure.width, figure.height].map(Math.round), query);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
  });

  test('every demo fits a 360 px phone without sideways scrolling', async () => {
    const page = await openPage(env.browser, undefined, { viewport: { width: 360, height: 740 } });
    for (const [id, , title] of DEMOS) {
      await page.goto(`${env.server.origin}/?demo=${id}`);
      await heading(page).filter({ hasText: title }).waitFor();
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 360, `${id}: the page is ${width} px wide`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('follows the light or dark colour scheme of the system', async () => {
    const background = async (colorScheme) => {
      const page = await openPage(env.browser, `${env.server.origin}/`, { colorScheme });
      await heading(page).waitFor();
      const color = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      await page.context().close();
      return color;
    };
    const light = await background('light');
    const dark = await background('dark');
    assert.notEqual(light, dark);
    // Dark means dark: the sum of the channels is low.
    const sum = (rgb) => rgb.match(/\d+/g).slice(0, 3).map(Number).reduce((a, b) => a + b, 0);
    assert.ok(sum(dark) < 150 && sum(light) > 600, `light ${light}, dark ${dark}`);
  });
});

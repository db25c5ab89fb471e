// Embedding: the example documentation page with several <cache-playground> elements (www/embed.js)
// and a plain iframe, each showing its configured demo and sized by the height the demo reports;
// served at the root and under a nested sub-path.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SUB_PATH, openPage, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

const EXAMPLE = 'examples/caching-patterns.html';
// What the example page configures: [selector, heading, a setting and the slider that shows it].
const EMBEDS = [
  ['cache-playground[demo="cache-aside"] iframe', 'Cache-aside (lazy loading)', 'Cache size', '10'],
  ['cache-playground[demo="write-behind"] iframe', 'Write-behind (write-back)', 'Read ratio', '0'],
  ['cache-playground[demo="lru"] iframe', 'LRU: least recently used', 'Cache size', '3'],
  ['cache-playground[demo="lfu"] iframe', 'LFU: least frequently used', 'Keys', '8'],
  ['#stampede-frame', 'Cache stampede', 'Clients', '20'],
];

/** Waits until the frame's height is the height its content reports, and returns both. */
async function settledHeight(page, selector) {
  const frameElement = page.locator(selector);
  await frameElement.scrollIntoViewIfNeeded(); // lazy frames load near the viewport
  const frame = page.frameLocator(selector);
  await frame.getByRole('heading', { level: 1 }).waitFor();
  const content = async () => frame.locator('#app').evaluate((app) => Math.ceil(app.getBoundingClientRect().height));
  let outer = 0;
  let inner = 0;
  for (let tries = 0; tries < 50; tries += 1) {
    outer = await frameElement.evaluate((element) => Math.round(element.getBoundingClientRect().height));
    inner = await content();
    // The element's border adds 2 px around the frame.
    if (Math.abs(outer - inner) <= 2) break;
    await page.waitForTimeout(100);
  }
  return { outer, inner };
}

describe('embedding', () => {
  for (const base of ['/', SUB_PATH]) {
    test(`the example page (served at ${base}) shows each configured demo, sized to its content`, async () => {
      const page = await openPage(env.browser, `${env.server.origin}${base}${EXAMPLE}`);
      assert.ok((await page.locator('cache-playground').count()) >= 3);
      for (const [selector, heading, setting, value] of EMBEDS) {
        const { outer, inner } = await settledHeight(page, selector);
        assert.ok(Math.abs(outer - inner) <= 2 && inner > 200, `${selector}: frame ${outer}px, content ${inner}px`);
        const frame = page.frameLocator(selector);
        assert.equal(await frame.getByRole('heading', { level: 1 }).innerText(), heading);
        assert.equal(await frame.getByRole('slider', { name: setting, exact: true }).inputValue(), value, selector);
        // The demo alone: no site navigation, and a way out to the full playground.
        assert.equal(await frame.getByRole('navigation').count(), 0);
        const full = frame.getByRole('link', { name: 'Open in the full playground' });
        const href = new URL(await full.getAttribute('href'));
        assert.equal(href.pathname, base);
        assert.equal(href.searchParams.get('embed'), null);
        assert.equal(await full.getAttribute('target'), '_blank');
      }
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }

  test('an embedded write-behind crash loses the queued writes, and the frame grows with its content', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/${EXAMPLE}`);
    const selector = 'cache-playground[demo="write-behind"] iframe';
    const before = await settledHeight(page, selector);
    const frame = page.frameLocator(selector);
    const timeline = frame.getByRole('slider', { name: 'Timeline' });
    await timeline.fill(await timeline.getAttribute('max'));
    const lost = await frame.getByRole('region', { name: 'Stats' }).locator('[data-stat="Lost writes"] dd').innerText();
    assert.ok(Number(lost) > 0, `lost writes: ${lost}`);
    assert.match(await frame.locator('.flow-diagram .crash-mark').textContent(), /crashed at 150 ms: restarted empty/);
    assert.ok((await frame.locator('.flow-diagram .chip.queued.lost').count()) > 0, 'the lost writes are struck out in the queue');
    // A long notice makes the content taller: the frame follows.
    await page.locator('cache-playground[demo="write-behind"]').evaluate((element) => element.setAttribute('size', 'big'));
    const frameAgain = page.frameLocator(selector);
    await frameAgain.getByRole('status', { name: 'Notice' }).waitFor();
    const after = await settledHeight(page, selector);
    assert.ok(after.outer > before.outer, `${before.outer}px then ${after.outer}px`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('changing an attribute reloads the demo with it, and embeds leave the reader\'s stored settings alone', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/${EXAMPLE}`);
    const element = page.locator('cache-playground[demo="lru"]');
    const selector = 'cache-playground[demo="lru"] iframe';
    await settledHeight(page, selector);
    await element.evaluate((node) => {
      node.setAttribute('size', '6');
      node.setAttribute('policy', 'sieve');
    });
    const frame = page.frameLocator(selector);
    // The frame reloads with the new URL: wait until it shows the new settings.
    const size = frame.getByRole('slider', { name: 'Cache size', exact: true });
    for (let tries = 0; tries < 50 && (await size.inputValue().catch(() => '')) !== '6'; tries += 1) {
      await page.waitForTimeout(100);
    }
    assert.equal(await size.inputValue(), '6');
    assert.equal(await frame.getByRole('combobox', { name: 'Policy' }).inputValue(), 'sieve');
    const src = new URL(await page.locator(selector).getAttribute('src'));
    assert.equal(src.searchParams.get('size'), '6');
    assert.equal(src.searchParams.get('embed'), '1');
    // Moving a slider in an embed writes nothing to storage.
    await frame.getByRole('slider', { name: 'Keys', exact: true }).fill('5');
    const stored = await page.evaluate(() => Object.keys(localStorage).filter((key) => key.includes('settings')));
    assert.deepEqual(stored, []);
    // "Restore the example" returns to the element's configuration.
    await frame.getByRole('button', { name: 'Restore the example' }).click();
    assert.equal(await frame.getByRole('slider', { name: 'Keys', exact: true }).inputValue(), '8');
    assert.equal(await size.inputValue(), '6');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('height messages from other frames or other origins are ignored', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/${EXAMPLE}`);
    const selector = 'cache-playground[demo="cache-aside"] iframe';
    const { outer } = await settledHeight(page, selector);
    // A message from the page itself (not the frame) claiming another height.
    await page.evaluate(() => window.postMessage({ type: 'cache-playground:height', version: 1, height: 5 }, '*'));
    await page.waitForTimeout(200);
    const now = await page.locator(selector).evaluate((element) => Math.round(element.getBoundingClientRect().height));
    assert.equal(now, outer);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

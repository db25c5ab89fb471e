// Accessibility: axe-core (npm, injected into the page; nothing is fetched from a network) scans the
// overview and every demo the navigation lists, full page and embedded, in the light and the dark
// theme, and reports no violations of any rule it checks (WCAG 2.x A and AA, and its best
// practices, such as headings that do not skip a level and scrollable regions reachable by keyboard).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { openPage, useServerAndBrowser } from './harness.mjs';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const env = useServerAndBrowser();

/** Every demo id the overview's navigation links to, in its order. */
async function demoIds() {
  const page = await openPage(env.browser, `${env.server.origin}/`);
  await page.getByRole('navigation', { name: 'Demos' }).waitFor();
  const hrefs = await page.getByRole('navigation', { name: 'Demos' }).getByRole('link')
    .evaluateAll((links) => links.map((link) => link.getAttribute('href')));
  await page.context().close();
  return hrefs
    .map((href) => new URLSearchParams(href.slice(href.indexOf('?'))).get('demo'))
    .filter(Boolean);
}

/** axe-core's violations on `url` in `scheme`, each as one readable line per failing element. */
async function violations(url, scheme) {
  const page = await openPage(env.browser, url, { colorScheme: scheme });
  await page.getByRole('heading', { level: 1 }).waitFor();
  // Let a first frame of every animation draw, as a reader would see it.
  await page.waitForTimeout(300);
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations.flatMap((violation) => violation.nodes.map((node) =>
      `${violation.id} (${violation.impact}): ${node.target.join(' ')}: ${node.failureSummary.replace(/\s+/g, ' ')}`));
  });
  assert.deepEqual(page.problems, []);
  await page.context().close();
  return found;
}

describe('accessibility (axe-core)', () => {
  test('the overview has no violations, light or dark', async () => {
    for (const scheme of ['light', 'dark']) {
      assert.deepEqual(await violations(`${env.server.origin}/`, scheme), [], scheme);
    }
  });

  test('every demo, full page and embedded, has no violations, light or dark', async () => {
    const ids = await demoIds();
    assert.ok(ids.length >= 13, `the navigation lists ${ids.length} demos`);
    const failures = [];
    for (const id of ids) {
      for (const query of [`?demo=${id}`, `?demo=${id}&embed=1`]) {
        for (const scheme of ['light', 'dark']) {
          for (const line of await violations(`${env.server.origin}/${query}`, scheme)) {
            failures.push(`${query} ${scheme}: ${line}`);
          }
        }
      }
    }
    assert.deepEqual(failures, []);
  });
});

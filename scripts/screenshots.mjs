// Refreshes the README's screenshots under docs/: every flow diagram at a moment mid-request, in
// light and dark, and the sequence view. Run after a release build (make test, or trunk build
// --release): `node scripts/screenshots.mjs`. Uses Debian's Chromium, like the end-to-end tests.
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { launchBrowser, openPage, operate, startServer } from '../tests/e2e/harness.mjs';

const DOCS = resolve(import.meta.dirname, '../docs');

// (name, the page's query, what the reader does first, then how far into their request to stop,
// in virtual ms)
const SHOTS = [
  ['cache-aside', 'demo=cache-aside', 'Get', 'k47', 13],
  ['read-through', 'demo=read-through', 'Get', 'k48', 43],
  ['write-through', 'demo=write-through', 'Write', 'k3', 20],
  ['write-behind', 'demo=write-behind', 'Write', 'k3', 3],
  ['write-around', 'demo=write-around', 'Write', 'k4', 20],
  ['stampede', 'demo=stampede', null, null, 1004],
  ['stampede-lock', 'demo=stampede&strategy=lock', null, null, 1012],
  ['e-commerce', 'demo=e-commerce', null, null, 1210],
];

const server = await startServer();
const browser = await launchBrowser();
await mkdir(DOCS, { recursive: true });

/** The lab's top: the diagram and the steps under it. */
async function shoot(page, file) {
  const top = await page.locator('.diagram-panel').boundingBox();
  const below = await page.locator('.flow-below').boundingBox();
  await page.screenshot({
    path: `${DOCS}/${file}`,
    clip: { x: top.x - 8, y: top.y - 8, width: top.width + 16, height: below.y + below.height - top.y + 16 },
  });
  console.log(`docs/${file}`);
}

for (const scheme of ['light', 'dark']) {
  for (const [demo, query, operation, key, after] of SHOTS) {
    const page = await openPage(browser, `${server.origin}/?${query}`, {
      viewport: { width: 1280, height: 900 },
      colorScheme: scheme,
      reducedMotion: 'no-preference',
    });
    await page.getByRole('heading', { level: 1 }).waitFor();
    const timeline = page.getByRole('slider', { name: 'Timeline' });
    if (operation) {
      await timeline.fill('400');
      await operate(page, operation, key);
      await timeline.fill(String(Number(await timeline.inputValue()) + after));
    } else {
      await timeline.fill(String(after));
    }
    await shoot(page, `flow-${demo}-${scheme}.png`);
    if (demo === 'cache-aside') {
      await page.getByRole('button', { name: 'Sequence', exact: true }).click();
      await shoot(page, `sequence-${demo}-${scheme}.png`);
    }
    if (page.problems.length) throw new Error(`${demo}: ${page.problems.join('; ')}`);
    await page.context().close();
  }
  // Compare: the table and the five diagrams, after the crash.
  const page = await openPage(browser, `${server.origin}/?demo=compare`, {
    viewport: { width: 1280, height: 1400 },
    colorScheme: scheme,
    reducedMotion: 'no-preference',
  });
  await page.getByRole('slider', { name: 'Timeline' }).fill('1700');
  const table = await page.getByRole('region', { name: 'Side by side' }).boundingBox();
  const grid = await page.locator('.compare-grid').boundingBox();
  await page.screenshot({
    path: `${DOCS}/compare-${scheme}.png`,
    clip: { x: table.x - 8, y: table.y - 8, width: table.width + 16, height: grid.y + grid.height - table.y + 16 },
  });
  console.log(`docs/compare-${scheme}.png`);
  if (page.problems.length) throw new Error(`compare: ${page.problems.join('; ')}`);
  await page.context().close();
}
await browser.close();
await server.close();

// First render of every demo: milliseconds from navigation to the demo's heading in the DOM, in
// headless Chromium against the release build in dist/ served locally, median of 5 fresh pages
// (so nothing is cached between them). Prints one line a demo; asserts nothing (speed is
// measured, not tested). Run after `trunk build --release`:
//
//   node scripts/bench-first-render.mjs [rounds]
import { startServer, launchBrowser } from '../tests/e2e/harness.mjs';

const ROUNDS = Number(process.argv[2] ?? 5);
const server = await startServer();
const browser = await launchBrowser();

/** The demo ids, from the overview's links (the app's own catalogue). */
async function demoIds() {
  const page = await browser.newPage();
  await page.goto(`${server.origin}/`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  const ids = await page.evaluate(() => [...new Set([...document.querySelectorAll('a[href*="demo="]')]
    .map((link) => new URL(link.href).searchParams.get('demo')))]);
  await page.close();
  return ids;
}

/** Milliseconds from navigation start to the first `h1` of `url`, in a fresh context. */
async function firstRender(url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('main h1')) {
        window.__firstHeading = performance.now();
        observer.disconnect();
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.goto(url);
  await page.locator('main h1').waitFor();
  const at = await page.evaluate(() => window.__firstHeading);
  await context.close();
  return at;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rows = [['overview', '/']].concat((await demoIds()).map((id) => [id, `/?demo=${id}`]));
for (const [name, path] of rows) {
  const times = [];
  for (let round = 0; round < ROUNDS; round += 1) times.push(await firstRender(`${server.origin}${path}`));
  console.log(`${name.padEnd(14)} ${median(times).toFixed(0).padStart(5)} ms  (of ${times.map((t) => t.toFixed(0)).join(', ')})`);
}
await browser.close();
await server.close();

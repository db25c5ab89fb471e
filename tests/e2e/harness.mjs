// Shared set-up for the end-to-end tests: serve the built dist/ on 127.0.0.1 (at the root and under a
// nested sub-path, as a documentation site would host it) and drive Debian's Chromium with
// playwright-core. Each page records console errors, uncaught exceptions and failed requests so
// tests can assert there were none.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

const DIST = resolve(import.meta.dirname, '../../dist');
/** The sub-path under which dist/ is also served. */
export const SUB_PATH = '/docs/caching/playground/';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Starts a static server for dist/ on a free port; resolves to { origin, close }. */
export async function startServer() {
  const server = createServer(async (request, response) => {
    let path = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    if (path.startsWith(SUB_PATH)) path = '/' + path.slice(SUB_PATH.length);
    if (path.endsWith('/')) path += 'index.html';
    const file = normalize(join(DIST, path));
    try {
      if (!file.startsWith(DIST) || !(await stat(file)).isFile()) throw new Error('not a file');
      const body = await readFile(file);
      response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
    }
  });
  await new Promise((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address();
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(done)),
  };
}

/**
 * For a test file: serves dist/ and launches the browser before its tests, closes both after.
 * Returns an object whose `server` and `browser` are set once the tests start.
 */
export function useServerAndBrowser() {
  const shared = { server: null, browser: null };
  before(async () => {
    shared.server = await startServer();
    shared.browser = await launchBrowser();
  });
  after(async () => {
    await shared.browser?.close();
    await shared.server?.close();
  });
  return shared;
}

/** Launches headless Chromium from the Debian package (never a downloaded browser). */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Opens a new page (in a fresh context, so storage and history start empty) and records problems:
 * page.problems lists console errors, uncaught exceptions and failed or 4xx/5xx requests.
 */
export async function openPage(browser, url, contextOptions = {}) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A navigation cancels the previous page's pending fetches (the favicon, say): not a fault.
    // Missing files still show as 404 responses below, and refused connections as other errors.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    page.problems.push(`request failed: ${request.url()} (${request.failure()?.errorText})`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) page.problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  if (url) await page.goto(url);
  return page;
}

// ---- Reading and driving the labs as a reader would ----

export const consoleLog = (page) => page.getByRole('log', { name: 'Console' });
export const consoleLines = (page) => consoleLog(page).locator('.line').allInnerTexts();

/** Sets a slider (found by its label) to a value, as dragging or the arrow keys would. */
export async function setSlider(page, label, value) {
  await page.getByRole('slider', { name: label, exact: true }).fill(String(value));
}

/** Types a key and presses one of the manual operation buttons. */
export async function operate(page, operation, key) {
  await page.getByRole('textbox', { name: 'Key' }).fill(key);
  await page.getByRole('button', { name: operation, exact: true }).click();
}

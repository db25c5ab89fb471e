// The write-pattern and stampede demos driven as a reader would: sliders, checkboxes and selects by
// their labels, the Key field with Get and Write, Crash cache, the timeline, the stats and console;
// and what the diagram shows on its own: the cache's and the database's contents, the write
// queue, the followed request's steps, and the diagram's text alternative.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleLines, consoleLog, openPage, operate, setSlider, useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser();

const stat = async (page, label) =>
  (await page.getByRole('region', { name: 'Stats' }).locator(`[data-stat="${label}"] dd`).innerText()).trim();
const timeline = (page) => page.getByRole('slider', { name: 'Timeline' });
const toEnd = async (page) => timeline(page).fill(await timeline(page).getAttribute('max'));
const filterConsole = (page, label) => page.getByRole('combobox', { name: 'Filter' }).selectOption({ label });
const diagram = (page) => page.getByRole('img', { name: /^(Following|No request)/ });
const described = async (page) => diagram(page).getAttribute('aria-label');
const steps = (page) => page.getByRole('region', { name: 'Request steps' }).getByRole('listitem').allInnerTexts();
const stepsHeading = (page) => page.getByRole('region', { name: 'Request steps' }).getByRole('heading').innerText();
/** The chips drawn in one of the diagram's boxes: 'cached', 'row' or 'queued'. */
const chips = (page, kind) => page.locator(`.flow-diagram .chip.${kind}`).allTextContents();
const clock = async (page) => Number(await timeline(page).inputValue());

describe('write patterns and stampede', () => {
  test('cache-aside: Get of a cold key shows it cached, narrated as miss, select and set; scrubbing back removes it', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=cache-aside`);
    await operate(page, 'Get', 'k47');
    const sent = await clock(page);
    assert.equal(await stepsHeading(page), 'Following you: read k47');
    await timeline(page).fill(String(sent + 40));
    const told = await steps(page);
    const order = ['you → app: read k47', 'GET k47 → MISS', 'SELECT k47', 'SET k47 → cached v1', 'app → you: v1 in'];
    let at = -1;
    for (const part of order) {
      const found = told.findIndex((step, index) => index > at && step.includes(part));
      assert.ok(found > at, `"${part}" after step ${at} in:\n${told.join('\n')}`);
      at = found;
    }
    assert.ok((await chips(page, 'cached')).some((chip) => chip.startsWith('k47') && chip.includes('v1')));
    assert.ok((await chips(page, 'row')).some((chip) => chip.startsWith('k47')), 'the row read is shown');
    assert.match(await described(page), /Cache, \d+ of 20 entries: .*k47 v1/);
    // The arrows the request used are highlighted.
    assert.ok(await page.locator('.flow-diagram .link.on-path').count() >= 3);
    await timeline(page).fill(String(sent - 1));
    assert.ok(!(await chips(page, 'cached')).some((chip) => chip.startsWith('k47')), 'not cached before the read');
    assert.deepEqual(await steps(page), []);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('Sequence view: the same steps as numbered arrows in time order, and a now line that follows the Timeline', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=cache-aside`);
    await operate(page, 'Get', 'k44');
    const sent = await clock(page);
    await timeline(page).fill(String(sent + 12));
    const told = await steps(page);
    await page.getByRole('button', { name: 'Sequence', exact: true }).click();
    assert.equal(await page.getByRole('button', { name: 'Sequence', exact: true }).getAttribute('aria-pressed'), 'true');
    const sequence = page.getByRole('img', { name: /^Sequence of you: read k44/ });
    await sequence.waitFor();
    const arrows = await page.locator('.flow-sequence .message text').allTextContents();
    assert.ok(arrows.length >= 7, arrows.join('\n'));
    arrows.forEach((arrow, index) => assert.ok(arrow.startsWith(`${index + 1} `), arrow));
    const words = ['read k44', 'GET k44 → MISS', 'miss', 'SELECT k44', 'row v1', 'SET k44 → cached v1', 'v1 in'];
    words.forEach((word, index) => assert.ok(arrows[index].includes(word), `${arrows[index]} has ${word}`));
    // The steps taken so far are the narration's (which tells only what has happened yet).
    assert.ok(told.length > 0);
    told.forEach((step, index) => {
      const said = step.slice(step.indexOf(': ') + 2);
      assert.ok(arrows[index].replace(/^\d+ /, '').startsWith(said), `${step} / ${arrows[index]}`);
    });
    assert.ok(await page.locator('.flow-sequence .message.future').count() > 0);
    const nowY = async () => Number(await page.locator('.flow-sequence .now-line line').getAttribute('y1'));
    const before = await nowY();
    await timeline(page).fill(String(sent + 20));
    assert.ok((await nowY()) > before, 'the now line moves down with the Timeline');
    assert.match(await page.locator('.flow-sequence .now-line text').textContent(), /^now \d+\.\d{3}s/);
    await page.getByRole('button', { name: 'Flow', exact: true }).click();
    await diagram(page).waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('arrows are directed and labelled with what they carry in the pattern', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=write-behind`);
    const labels = await page.locator('.flow-diagram .link-label').allTextContents();
    for (const label of ['read / write', 'reply', 'GET / SET', 'SELECT', 'row', 'enqueue', 'batch flush']) {
      assert.ok(labels.includes(label), `${label} in ${labels}`);
    }
    assert.ok(!labels.includes('SELECT / UPDATE'), 'write-behind never sends the app to the database');
    assert.equal(await page.locator('.flow-diagram line[marker-end]').count(), labels.length);
    await page.goto(`${env.server.origin}/?demo=cache-aside`);
    const aside = await page.locator('.flow-diagram .link-label').allTextContents();
    assert.ok(aside.includes('GET / SET / DELETE') && aside.includes('SELECT / UPDATE'), aside.join());
    assert.equal(await page.locator('.flow-diagram .link-label', { hasText: 'batch flush' }).count(), 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('write-behind: a write joins the queue, leaves it at the flush and lands in the database', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=write-behind`);
    await operate(page, 'Write', 'user:7');
    const sent = await clock(page);
    await timeline(page).fill(String(sent + 5));
    assert.ok((await chips(page, 'queued')).some((chip) => chip.startsWith('user:7') && chip.includes('v1')), 'queued');
    assert.match(await page.locator('.flow-dots .flush-due').textContent(), /next flush in \d+ ms/);
    assert.ok((await steps(page)).some((step) => step.includes('queued v1')));
    await timeline(page).fill('260');
    assert.ok(!(await chips(page, 'queued')).some((chip) => chip.startsWith('user:7')), 'flushed');
    assert.ok((await chips(page, 'row')).some((chip) => chip.startsWith('user:7') && chip.includes('v1')), 'in the database');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('write-behind: Crash cache empties the cache and strikes out exactly the queued writes, shown as LOST lines', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=write-behind`);
    await setSlider(page, 'Read ratio', 0);
    await timeline(page).fill('150');
    const queued = (await chips(page, 'queued:not(.lost)')).length;
    assert.ok(queued > 0, 'writes are waiting in the queue');
    assert.ok((await chips(page, 'cached')).length > 0);
    await page.getByRole('button', { name: 'Crash cache' }).click();
    assert.equal((await chips(page, 'cached')).length, 0, 'the crash empties the cache');
    assert.match(await page.locator('.flow-diagram .crash-mark').textContent(), /crashed at 150 ms/);
    const lost = await chips(page, 'queued.lost');
    assert.equal(lost.length, queued, lost.join());
    assert.ok(lost.every((chip) => /lost$/.test(chip)));
    assert.match(await described(page), /lost in the crash: /);
    await toEnd(page);
    assert.equal(Number(await stat(page, 'Lost writes')), queued);
    await filterConsole(page, 'LOST');
    const lines = await consoleLines(page);
    assert.equal(lines.length, queued, lines.join('\n'));
    assert.ok(lines.every((line) => /LOST\s+k\d+ = v\d+ — acknowledged, never reached the database/.test(line)));
    await filterConsole(page, 'CRASH');
    assert.match((await consoleLines(page))[0], new RegExp(`CRASH\\s+the cache lost \\d+ entries and ${queued} queued writes`));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('clicking a console line follows its request; arrow keys on the diagram step through requests', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=cache-aside`);
    await timeline(page).fill('600');
    await filterConsole(page, 'DONE');
    const line = consoleLog(page).locator('.line').first();
    const text = await line.innerText();
    const [, who, what, key] = text.match(/DONE\s+(client \d+): (read|write) (k\d+)/);
    await line.click();
    assert.equal(await stepsHeading(page), `Following ${who}: ${what} ${key}`);
    assert.match((await steps(page)).at(-1), new RegExp(`app → ${who}: .* in \\d+ ms`));
    assert.equal(await consoleLog(page).locator('.line.selected').count() >= 1, true);
    await diagram(page).focus();
    await page.keyboard.press('ArrowRight');
    const next = await stepsHeading(page);
    assert.match(next, /^Following client \d+: (read|write) k\d+$/);
    assert.notEqual(next, `Following ${who}: ${what} ${key}`);
    await page.keyboard.press('ArrowLeft');
    assert.equal(await stepsHeading(page), `Following ${who}: ${what} ${key}`);
    await page.getByRole('button', { name: 'Follow the newest request' }).click();
    assert.match(await stepsHeading(page), /^Now: /);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('read-through: on a miss the cache itself loads the row', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=read-through`);
    await operate(page, 'Get', 'k48');
    await timeline(page).fill(String((await clock(page)) + 100));
    const told = await steps(page);
    // Read-through opens with a 40 ms database (hot keys that writes race loads for).
    assert.ok(told.some((step) => /^cache → database: SELECT k48 \(40 ms\) → v1/.test(step)), told.join('\n'));
    assert.ok(!told.some((step) => /^app → database/.test(step)), told.join('\n'));
    assert.ok((await chips(page, 'cached')).some((chip) => chip.startsWith('k48')));
    const labels = await page.locator('.flow-diagram .link-label').allTextContents();
    assert.ok(labels.includes('GET / DELETE') && labels.includes('UPDATE'), labels.join());
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

  test('stampede with a lock: 20 clients, 1 database read, the others retry; a slow holder’s lock expires', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=stampede`);
    await page.getByRole('combobox', { name: 'Strategy' }).selectOption({ label: 'Lock in the cache (SET NX)' });
    await toEnd(page);
    assert.equal(await stat(page, 'DB reads'), '1');
    const retries = Number(await stat(page, 'Retries'));
    assert.ok(retries >= 19, `${retries} retries`);
    assert.equal(await stat(page, 'Locks expired'), '0');
    await filterConsole(page, 'RETRY');
    // The console draws the latest 30 to 44 matching lines (its window moves in steps of 15).
    assert.equal((await consoleLines(page)).length, retries - Math.floor(Math.max(retries - 30, 0) / 15) * 15);
    await filterConsole(page, 'LOCK');
    const locks = await consoleLines(page);
    assert.ok(locks.some((line) => /takes the lock on \S+ until/.test(line)), locks.join('\n'));
    assert.ok(locks.some((line) => /finds \S+ locked; retries at/.test(line)), locks.join('\n'));
    assert.ok(locks.some((line) => /unlocked by its holder/.test(line)), locks.join('\n'));
    // While the holder loads, the Cache box says who holds the lock and for how long.
    await timeline(page).fill('1010');
    assert.match(await described(page), /LOCK \S+: client \d+, \d+ ms left/);
    assert.match(await page.locator('.flow-diagram .lock-mark').textContent(), /^LOCK /);
    // A database slower than the lock: it expires, and a second reader loads too.
    await setSlider(page, 'DB latency', 150);
    await toEnd(page);
    assert.ok(Number(await stat(page, 'Locks expired')) >= 1);
    assert.ok(Number(await stat(page, 'DB reads')) >= 2);
    await filterConsole(page, 'LOCK');
    assert.ok((await consoleLines(page)).some((line) => /lock expired before its holder finished/.test(line)));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('e-commerce: keys coloured by kind with a legend, and a table by kind; a crash loses only analytics writes', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=e-commerce`);
    const kinds = page.getByRole('list', { name: 'Kinds of data' });
    assert.deepEqual(
      (await kinds.getByRole('listitem').allInnerTexts()).map((item) => item.split(':')[0]),
      ['prod', 'sess', 'evt', 'price', 'prof', 'recs'],
    );
    await timeline(page).fill('1200');
    // Cached chips carry their kind, and the names say it too.
    const typed = await page.locator('.flow-diagram .chip.cached').evaluateAll((chips) =>
      chips.map((chip) => [chip.getAttribute('class').match(/dt-(\w+)/)?.[1], chip.querySelector('.chip-key').textContent]));
    assert.ok(typed.length > 3, JSON.stringify(typed));
    for (const [kind, name] of typed) assert.equal(name.split(':')[0], kind, JSON.stringify(typed));
    await page.getByRole('button', { name: 'Crash cache' }).click();
    await toEnd(page);
    const table = page.getByRole('region', { name: 'By kind of data' });
    const row = async (label) => (await table.getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell').allInnerTexts());
    // Cells: hit ratio, stale reads, lost writes, DB reads, DB writes.
    const analytics = await row('Analytics');
    assert.ok(Number(analytics[2]) > 0, analytics.join());
    assert.equal(String(analytics[2]), await stat(page, 'Lost writes'));
    for (const label of ['Catalogue', 'Sessions', 'Prices', 'Profiles', 'Recommendations']) {
      assert.equal((await row(label))[2], '0', label);
    }
    assert.equal((await row('Sessions'))[1], '0');
    assert.ok(Number((await row('Prices'))[4]) > 0);
    // A key by its kind's name.
    await operate(page, 'Get', 'prod:3');
    await timeline(page).fill(String((await clock(page)) + 40));
    assert.ok((await steps(page)).some((step) => /app → cache: GET prod:3/.test(step)));
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('compare: all five patterns on one workload, side by side, with the crash partway', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=compare`);
    const table = page.getByRole('region', { name: 'Side by side' });
    const row = async (label) => table.getByRole('row', { name: new RegExp(`^${label}`) }).getByRole('cell').allInnerTexts();
    assert.equal(await page.locator('.compare-card .flow-diagram').count(), 5);
    await toEnd(page);
    // Cells: hit ratio, stale reads, lost writes, DB reads, DB writes, read p50/p99, write p50/p99.
    const rows = {};
    for (const name of ['Cache-aside', 'Read-through', 'Write-through', 'Write-behind', 'Write-around']) rows[name] = await row(name);
    // Only write-behind loses acknowledged writes in the crash, and it writes least to the database.
    for (const [name, cells] of Object.entries(rows)) {
      assert.equal(cells[2] !== '0', name === 'Write-behind', `${name}: ${cells}`);
    }
    assert.ok(Number(rows['Write-behind'][4]) < Number(rows['Write-through'][4]));
    // Writes that fill the cache hit more than writes that only invalidate it.
    assert.ok(parseFloat(rows['Write-through'][0]) > parseFloat(rows['Write-around'][0]));
    // Its write latency is the cache's, not the database's.
    assert.ok(parseInt(rows['Write-behind'][6], 10) < parseInt(rows['Write-through'][6], 10));
    // Each small diagram shows its own pattern's parts: only write-behind has a queue.
    assert.equal(await page.locator('.compare-card').filter({ hasText: 'Write queue' }).count(), 1);
    // The same sliders drive every pattern: with only reads, no pattern writes to the database.
    await setSlider(page, 'Read ratio', 100);
    await toEnd(page);
    for (const name of Object.keys(rows)) assert.equal((await row(name))[4], '0', name);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('cache-aside: update-instead-of-delete with racing writers leaves a stale entry, marked in the cache', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=cache-aside`);
    await page.getByRole('checkbox', { name: 'Two writers race' }).check();
    await page.getByRole('checkbox', { name: 'Update the cache on write (instead of delete)' }).check();
    await toEnd(page);
    assert.ok(Number(await stat(page, 'Stale reads')) > 0);
    // A chip reads as its key, then its version (SVG text elements join without a space).
    assert.ok((await chips(page, 'cached.stale')).some((chip) => /^k0v\d+ stale$/.test(chip)), await described(page));
    assert.match(await described(page), /k0 v\d+ \(stale\)/);
    await page.getByRole('checkbox', { name: 'Update the cache on write (instead of delete)' }).uncheck();
    await toEnd(page);
    assert.equal(await stat(page, 'Stale reads'), '0');
    assert.equal((await chips(page, 'cached.stale')).length, 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('write-around opens write-heavy and counts the cache writes it saved; write-through stores every write', async () => {
    const around = await openPage(env.browser, `${env.server.origin}/?demo=write-around`);
    assert.equal(await around.getByRole('slider', { name: 'Read ratio' }).inputValue(), '30');
    await toEnd(around);
    const writes = Number(await stat(around, 'Writes'));
    assert.ok(writes > 20, `${writes} writes`);
    assert.equal(await stat(around, 'Cache writes saved'), String(writes));
    const aroundSets = Number(await stat(around, 'Cache writes'));
    const aroundUnread = Number(await stat(around, 'Never read'));
    await around.context().close();
    const through = await openPage(env.browser, `${env.server.origin}/?demo=write-through&reads=30`);
    await toEnd(through);
    assert.equal(await through.getByText('Cache writes saved').count(), 0);
    assert.ok(Number(await stat(through, 'Cache writes')) > aroundSets + writes / 2);
    assert.ok(Number(await stat(through, 'Never read')) > aroundUnread);
    assert.deepEqual(through.problems, []);
    await through.context().close();
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

  test('write-through never serves a stale read, and coloured messages travel along the arrows while playing', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=write-through`);
    await setSlider(page, 'Read ratio', 50);
    await page.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.flow-dots .dot').length > 0);
    const dot = page.locator('.flow-dots .dot').first();
    assert.match(await dot.getAttribute('class'), /\bm-(request|hit|miss|database|fill|invalidate|flush|reply)\b/);
    assert.ok(await dot.locator('circle').getAttribute('cx'));
    await page.getByRole('button', { name: 'Pause' }).click();
    await toEnd(page);
    assert.equal(await stat(page, 'Stale reads'), '0');
    assert.ok(Number(await stat(page, 'DB writes')) > 0);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('outcomes flash on the node in words: a Step onto a miss shows MISS at the cache', async () => {
    const page = await openPage(env.browser, `${env.server.origin}/?demo=cache-aside`);
    await operate(page, 'Get', 'k46');
    await timeline(page).fill(String((await clock(page)) + 2));
    const badges = await page.locator('.flow-dots .badge').allTextContents();
    assert.ok(badges.includes('MISS k46'), badges.join());
    assert.match(await described(page), /MISS at the cache: k46/);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

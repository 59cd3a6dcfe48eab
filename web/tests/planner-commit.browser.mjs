// planner-commit.browser.mjs: the planner's tests that commit (issue 14):
// reverting a change from the page (shown as 撤销 vN / Revert of vN), the
// city-wide change log with its filters, and a stale tab learning of new
// versions from the change feed. Imported by browser.test.mjs, after
// planner.browser.mjs.

import { assert, test } from './harness.mjs';
import { getJSON } from './mapkit.mjs';
import { SCOPE, drawSplit, grids, openEdit, select, settle, shoot, show, text, waitFor } from './planner-kit.mjs';

const base = process.env.GRIDMAP_URL;
const token = process.env.GRIDMAP_TOKEN;

/** send POSTs an edit through the API with the planner token. */
const send = (path, body, version) => fetch(new URL(path, base), {
  method: 'POST', body: JSON.stringify(body),
  headers: { Authorization: `Bearer ${token}`, 'If-Match': String(version), 'Content-Type': 'application/json' },
});
const version = async () => (await getJSON(base, '/v1/version')).version;
const lookup = async ([lon, lat]) => (await getJSON(base, `/v1/lookup?lon=${lon}&lat=${lat}`)).grid.code;

/** splitByAPI splits grid g along its middle line and returns the version. */
async function splitByAPI(g, reason) {
  const res = await send('/v1/edits', { op: 'split', grid: g.code, line: { type: 'LineString', coordinates: [g.west, g.east] }, reason }, await version());
  const body = await res.text();
  assert(res.status === 201, `splitting ${g.code} through the API: HTTP ${res.status} ${body}`);
  return JSON.parse(body).version;
}

const listed = (page) => page.$$eval('#changelog-list li[data-version]', (ls) => ls.map((l) => ({
  v: Number(l.dataset.version), text: l.textContent, unit: l.querySelector('.hist-unit')?.textContent,
})));

/** filter fills the change log's filter form and waits for the list. */
async function filter(page, fields) {
  for (const name of ['author', 'unit', 'since', 'until']) await page.fill(`#changelog-${name}`, fields[name] || '');
  await page.click('#changelog-apply');
  await page.waitForFunction(() => ['loaded', 'failed'].includes(document.querySelector('#changelog-list')?.dataset.state)
    || document.querySelector('#changelog-error'), null, { timeout: 10000 });
}

if (token) {
  test('planner: a change is reverted from the page and shows as 撤销 vN; the change log filters by author, unit and date', async ({ page, artifact }) => {
    const [g] = await grids(SCOPE, 1, 26);
    const split = await splitByAPI(g, 'e2e: to be reverted');
    assert(await lookup(g.above) !== await lookup(g.below), 'the split left one grid');
    await openEdit(page, g);
    await select(page, g.above, g.code);
    await waitFor(page, `#grid-history li[data-version="${split}"] button[data-revert]`, 'the revert button on the split');
    await page.click(`#grid-history li[data-version="${split}"] button[data-revert]`);
    assert(await page.$eval(`[data-confirm-revert="${split}"]`, (b) => b.disabled), 'revert is enabled without a reason');
    await page.fill(`#grid-history li[data-version="${split}"] .revert-reason`, 'e2e: undo the split');
    await shoot(page, artifact, 'revert', `[data-confirm-revert="${split}"]`);
    await page.click(`[data-confirm-revert="${split}"]`);
    await waitFor(page, '#edit-status[data-state="committed"]', 'the revert commit');
    const now = await version();
    assert(await lookup(g.above) === g.code && await lookup(g.below) === g.code, `after the revert /v1/lookup gives ${await lookup(g.above)} and ${await lookup(g.below)}, want ${g.code}`);
    await waitFor(page, `#grid-history li[data-version="${now}"][data-kind="revert"]`, 'the revert in the history');
    const item = await text(page, `#grid-history li[data-version="${now}"]`);
    assert(item.includes(`撤销 v${split}`) && item.includes('e2e: undo the split') && !/revert changeset|整体替换/.test(item), `history item: ${item}`);
    await page.click('#lang');
    await waitFor(page, `#grid-history li[data-version="${now}"][data-kind="revert"]`, 'the history in English');
    const en = await text(page, `#grid-history li[data-version="${now}"] .hist-head strong`);
    assert(en === `Revert of v${split}`, `English label: ${en}`);
    await page.click('#lang');

    // The change log: everything, then by author, unit and dates.
    await page.click('#changelog summary');
    await page.waitForFunction(() => document.querySelector('#changelog-list')?.dataset.state === 'loaded', null, { timeout: 10000 });
    let items = await listed(page);
    assert(items[0]?.v === now && items.some((i) => i.v === split), `change log starts ${JSON.stringify(items.slice(0, 3))}, want ${now} then ${split}`);
    await filter(page, { author: 'e2e' });
    items = await listed(page);
    assert(items.length > 0 && items.every((i) => i.text.includes('e2e')), `by author e2e: ${JSON.stringify(items.slice(0, 3))}`);
    await filter(page, { author: 'nobody-at-all' });
    assert((await text(page, '#changelog-list')).includes('没有符合条件的修改'), `by an unknown author: ${await text(page, '#changelog-list')}`);
    await filter(page, { unit: g.community });
    items = await listed(page);
    assert(items.length >= 2 && items.every((i) => i.unit === g.community), `by unit ${g.community}: ${JSON.stringify(items)}`);
    await filter(page, { unit: 'abc' });
    assert(await page.$('#changelog-error') && await page.getAttribute('#changelog-unit', 'aria-invalid') === 'true', 'a bad unit is not refused in the form');
    const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    const yesterday = new Date(Date.now() - 16 * 3600e3).toISOString().slice(0, 10);
    await filter(page, { since: today, until: today });
    assert((await listed(page)).some((i) => i.v === now), 'today\'s changes do not include the revert');
    await filter(page, { until: yesterday });
    assert(!(await listed(page)).some((i) => i.v >= split), 'changes until yesterday include today\'s');
    await filter(page, { author: 'e2e', unit: g.community.slice(0, 6) });
    await page.evaluate(() => document.querySelector('#changelog')?.scrollIntoView());
    await shoot(page, artifact, 'changelog', '#changelog-filter');
  });

  test('planner: a stale tab learns of a new version from the change feed; a pending edit of another grid is kept, one of the same grid is warned', async ({ page, artifact }) => {
    const [a, b, c] = await grids(SCOPE, 3, 28);
    await openEdit(page, a);
    await select(page, a.above, a.code);
    await drawSplit(page, [a.west, a.east]);
    await waitFor(page, '#edit-preview[data-valid="true"]', 'a valid preview of a');
    // Someone else splits grid b.
    const v1 = await splitByAPI(b, 'e2e: elsewhere');
    await page.waitForSelector(`#version-banner[data-version="${v1}"]:not([hidden])`, { timeout: 15000 });
    const banner = await text(page, '#version-banner .text');
    assert(banner.startsWith(`地图已更新到版本 ${v1}`), `banner: ${banner}`);
    await page.waitForFunction((v) => window.gridmap.map.getSource('gridmap').tiles[0].includes(`v=${v}`), v1, { timeout: 10000 });
    await page.waitForFunction((v) => window.gridmap.editor.preview?.base === v, v1, { timeout: 20000 })
      .catch(async () => { throw new Error(`the pending edit was not previewed on version ${v1}: base ${await page.evaluate(() => window.gridmap.editor.preview?.base)}`); });
    await waitFor(page, '#edit-preview[data-valid="true"]', 'the pending edit kept');
    await shoot(page, artifact, 'version-banner', '#edit-preview');
    await page.fill('#edit-reason', 'e2e: kept across a change elsewhere');
    await page.click('#edit-commit');
    await waitFor(page, '#edit-status[data-state="committed"]', 'the commit of the kept edit');
    assert(await page.$eval('#version-banner', (el) => el.dataset.version) === String(v1), 'the tab\'s own commit brought a banner');
    // A pending edit of grid c, and someone else splits c.
    await show(page, c);
    await select(page, c.above, c.code);
    await drawSplit(page, [c.west, c.east]);
    await waitFor(page, '#edit-preview[data-valid="true"]', 'a valid preview of c');
    const v2 = await splitByAPI(c, 'e2e: the same grid');
    await waitFor(page, '#edit-status[data-state="conflict"] #edit-reload', 'the warning that the same grid changed');
    assert((await text(page, '#edit-status')).includes(`版本 ${v2}`), `warning: ${await text(page, '#edit-status')}`);
    await page.waitForSelector(`#version-banner[data-version="${v2}"]:not([hidden])`, { timeout: 15000 });
    await settle(page);
  }, { allowConsole: [/status of 409/] });
}

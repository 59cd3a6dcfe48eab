// edit.browser.mjs: browser tests of the planners' editing mode against
// the gridmap at GRIDMAP_URL, with the planner token GRIDMAP_TOKEN (scoped
// to 钟山区 520201; run.sh creates both). Imported by browser.test.mjs,
// after the other tests, since it changes the city.

import { assert, test } from './harness.mjs';
import { getJSON, idle, open } from './mapkit.mjs';
import { splitCandidates } from './edit-geo.mjs';

const base = process.env.GRIDMAP_URL;
const token = process.env.GRIDMAP_TOKEN;
const SCOPE = '520201000000';

/** grids returns at least want split candidates of a district, from its
 *  communities after the first skip: grids whose middle horizontal line
 *  crosses their boundary exactly twice (edit-geo.mjs). */
async function grids(district, want, skip = 0) {
  const tree = await getJSON(base, '/v1/units?depth=3');
  const ds = tree.units[0].children;
  const d = ds.find((u) => u.code === district) || ds.find((u) => u.code !== SCOPE);
  const found = [];
  for (const c of d.children.flatMap((s) => s.children).slice(skip)) {
    const unit = await getJSON(base, `/v1/units/${c.code}`);
    const features = await Promise.all(unit.children.map((g) => getJSON(base, `/v1/grids/${g.code}`)));
    found.push(...splitCandidates(features));
    if (found.length >= want) return found;
  }
  throw new Error(`only ${found.length} grids of ${d.code} can be split by a horizontal line, want ${want}`);
}

/** show fits the grid's bbox clear of the bar and the panel. */
async function show(page, g) {
  await page.evaluate((b) => window.gridmap.map.fitBounds(b, { padding: { top: 140, bottom: 90, left: 200, right: 500 }, duration: 0 }), g.bbox);
  await idle(page);
}

/** fit opens the page on the grid. */
async function fit(page, g) {
  await open(page, base, `map=15/${g.cy}/${(g.x1 + g.x2) / 2}`);
  await show(page, g);
}

const px = (page, lngLat) => page.evaluate((c) => window.gridmap.map.project(c), lngLat);
const text = (page, sel) => page.evaluate((s) => document.querySelector(s)?.textContent ?? null, sel);
const waitFor = (page, sel, what, timeout = 15000) => page.waitForSelector(sel, { timeout }).catch(async () => {
  throw new Error(`${what}: ${sel} did not appear; panel says: ${(await text(page, '#panel'))?.slice(0, 400)}`);
});

/** enterEdit switches the editing mode on and gives it a token. */
async function enterEdit(page, secret) {
  await page.click('#edit-toggle');
  await waitFor(page, '#edit-token', 'the token prompt');
  await page.fill('#edit-token', secret);
  await page.click('#edit-token-save');
}

/** select clicks [lon, lat] and waits for grid code to be the one edited. */
async function select(page, lngLat, code) {
  const p = await px(page, lngLat);
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction((c) => document.querySelector('[data-field="edit-grid-code"]')?.textContent === c, code, { timeout: 15000 })
    .catch(async () => { throw new Error(`editing ${await text(page, '[data-field="edit-grid-code"]')}, want ${code}`); });
}

/** drawSplit picks the split tool and draws a line through points,
 *  finishing it with a double-click on the last. */
async function drawSplit(page, points) {
  await page.click('[data-tool="split"]');
  const zoom = await page.evaluate(() => window.gridmap.map.getZoom());
  for (const c of points.slice(0, -1)) {
    const p = await px(page, c);
    await page.mouse.click(p.x, p.y);
  }
  const last = await px(page, points[points.length - 1]);
  await page.mouse.dblclick(last.x, last.y);
  const after = await page.evaluate(() => window.gridmap.map.getZoom());
  assert(Math.abs(after - zoom) < 1e-6, `the double-click zoomed the map from ${zoom} to ${after}`);
}

/** codesAt returns the grid codes the map renders at each [lon, lat]. */
const codesAt = (page, points) => page.evaluate((ps) => ps.map((c) => {
  const { map } = window.gridmap;
  const p = map.project(c);
  return map.queryRenderedFeatures([p.x, p.y], { layers: ['grid-fill'] })[0]?.properties.code ?? null;
}), points);

/** send POSTs an edit through the API with the planner token. */
const send = (path, body, version) => fetch(new URL(path, base), {
  method: 'POST', body: JSON.stringify(body),
  headers: { Authorization: `Bearer ${token}`, 'If-Match': String(version), 'Content-Type': 'application/json' },
});

const lookup = async ([lon, lat]) => (await getJSON(base, `/v1/lookup?lon=${lon}&lat=${lat}`)).grid.code;

if (!token) {
  console.log('edit tests: skipped, GRIDMAP_TOKEN is not set (run.sh creates a planner token)');
} else {
  test('edit: a planner splits a grid on the map and commits; the map and /v1/lookup show the new grids', async ({ page, artifact }) => {
    const [g] = await grids(SCOPE, 1, 3);
    const before = (await getJSON(base, '/v1/version')).version;
    assert(await lookup(g.above) === g.code && await lookup(g.below) === g.code, `both test points must start in ${g.code}`);
    await fit(page, g);
    await enterEdit(page, token);
    await select(page, g.above, g.code);
    await idle(page);
    assert(await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['edit-vertex'] }).length) >= 3,
      'the selected grid shows no draggable vertices');
    await drawSplit(page, [g.west, g.east]);
    await waitFor(page, '#edit-preview[data-valid="true"]', 'a valid preview');
    const results = await page.$$eval('#edit-preview [data-result]', (ls) => ls.map((l) => ({ code: l.dataset.result, kind: l.dataset.kind })));
    assert(results.length === 2, `preview lists ${JSON.stringify(results)}, want 2 resulting grids`);
    const added = results.find((r) => r.kind === 'added')?.code;
    assert(added && results.some((r) => r.code === g.code), `want ${g.code} kept and one grid added: ${JSON.stringify(results)}`);
    assert(await page.$('#edit-preview .flows li') || await page.$('#edit-preview .muted'), 'the preview says nothing of who moves');
    await idle(page);
    const drawn = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['edit-result-line'] }).length);
    assert(drawn > 0, 'the resulting grids are not drawn');
    await page.screenshot({ path: artifact('edit-preview.png') });
    assert(await page.$eval('#edit-commit', (b) => b.disabled), 'commit is enabled without a reason');
    await page.fill('#edit-reason', 'e2e: split along the middle');
    await page.click('#edit-commit');
    await waitFor(page, '#edit-status[data-state="committed"]', 'the commit');

    const after = (await getJSON(base, '/v1/version')).version;
    assert(after > before, `/v1/version is ${after} after the commit, was ${before}`);
    const looked = [await lookup(g.above), await lookup(g.below)];
    assert(looked[0] !== looked[1] && looked.includes(added) && looked.includes(g.code), `/v1/lookup gives ${looked}, want ${g.code} and ${added}`);
    await page.waitForFunction((v) => window.gridmap.map.getSource('gridmap').tiles[0].includes(`v=${v}`), after, { timeout: 10000 });
    await idle(page);
    const rendered = await codesAt(page, [g.above, g.below]);
    assert(rendered[0] === looked[0] && rendered[1] === looked[1], `the map renders ${rendered}, /v1/lookup says ${looked}`);
    assert(await text(page, '[data-field="edit-grid-code"]') === looked[0], 'the grid under the click is not selected after the commit');
    await waitFor(page, `#grid-history li[data-version="${after}"]`, 'the history of the new version');
    assert((await text(page, '#grid-history')).includes('e2e: split along the middle'), 'the history lacks the reason');
    await page.screenshot({ path: artifact('edit.png') });
    assert(!page.url().includes(token), 'the token is in the URL');
    // Leaving the editing mode selects the grid; its panel has the history.
    await page.click('#edit-toggle');
    await page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, looked[0], { timeout: 10000 });
    await page.click('#panel details.history-section summary');
    await waitFor(page, `#grid-history li[data-version="${after}"]`, 'the history in the grid panel');
  });

  test('edit: dragging a shared vertex moves the boundary for both grids; merging two grids commits', async ({ page, artifact }) => {
    const g = (await grids(SCOPE, 5, 3))[4];
    const version = (await getJSON(base, '/v1/version')).version;
    const split = await send('/v1/edits', { op: 'split', grid: g.code, line: { type: 'LineString', coordinates: [g.west, g.east] }, reason: 'e2e: two to merge' }, version);
    assert(split.status === 201, `splitting ${g.code} through the API: HTTP ${split.status}`);
    const [a, b] = [await lookup(g.above), await lookup(g.below)];
    assert(a !== b, `the split left ${a} on both sides`);
    await fit(page, g);
    await enterEdit(page, token);
    await select(page, g.above, a);
    await idle(page);
    const drag = await page.evaluate((inside) => {
      const { map } = window.gridmap;
      const v = map.queryRenderedFeatures({ layers: ['edit-vertex'] }).find((f) => f.properties.shared);
      if (!v) return null;
      const from = map.project(v.geometry.coordinates);
      const to = map.project(inside);
      return { from, to: { x: from.x + 0.3 * (to.x - from.x), y: from.y + 0.3 * (to.y - from.y) } };
    }, g.above);
    assert(drag, `grid ${a} shows no vertex shared with a neighbour`);
    await page.mouse.move(drag.from.x, drag.from.y);
    await page.mouse.down();
    await page.mouse.move(drag.to.x, drag.to.y, { steps: 8 });
    await page.mouse.up();
    await waitFor(page, '#edit-preview[data-valid="true"]', 'a valid preview of the dragged vertex');
    const state = await page.evaluate(() => {
      const ed = window.gridmap.editor;
      return { op: ed.op?.op, moved: JSON.stringify(ed.neighbours) !== JSON.stringify(ed.siblings) };
    });
    assert(state.op === 'replace' && state.moved, `after the drag: op ${state.op}, neighbour's vertex moved ${state.moved}`);
    const reshaped = await page.$$eval('#edit-preview [data-result]', (ls) => ls.map((l) => l.dataset.result));
    assert(reshaped.length >= 2 && reshaped.includes(a), `the drag reshapes ${reshaped}, want ${a} and a neighbour`);
    await idle(page);
    await page.screenshot({ path: artifact('edit-drag.png') });
    await page.click('[data-action="reset"]');
    await page.waitForFunction(() => !document.querySelector('#edit-preview'), null, { timeout: 5000 });
    await page.click('[data-tool="merge"]');
    const pb = await px(page, g.below);
    await page.mouse.click(pb.x, pb.y);
    await waitFor(page, `#edit-preview[data-valid="true"] [data-retired="${b}"]`, 'a valid merge preview');
    await page.fill('#edit-reason', 'e2e: merge back');
    await page.click('#edit-commit');
    await waitFor(page, '#edit-status[data-state="committed"]', 'the merge commit');
    assert(await lookup(g.below) === a, `/v1/lookup below the old line gives ${await lookup(g.below)}, want ${a}`);
  });

  test('edit: a line that does not cross the grid is refused with its error drawn; a wrong token is asked again', async ({ page }) => {
    const [, g] = await grids(SCOPE, 2, 3);
    await fit(page, g);
    // The token is checked at once (GET /v1/token) and asked again.
    await enterEdit(page, 'not-a-token');
    await waitFor(page, '#edit-token-error', 'the prompt for a valid token');
    await page.fill('#edit-token', token);
    await page.click('#edit-token-save');
    await select(page, g.above, g.code);
    const dx = (g.x2 - g.x1) * 0.1;
    await drawSplit(page, [[g.x2 + dx, g.cy], [g.x2 + 3 * dx, g.cy]]);
    await waitFor(page, '#edit-preview[data-valid="false"] li[data-code="no_cut"]', 'the no_cut error');
    assert(await page.$eval('#edit-commit', (b) => b.disabled), 'commit is enabled for an invalid edit');
    await idle(page);
    const red = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['edit-problem-line'] }).length);
    assert(red > 0, 'the offending line is not drawn in red');
  }, { allowConsole: [/status of 401/] });

  test('edit: a stale base gets 409 and a reload; a grid outside the token\'s scope is refused', async ({ page }) => {
    const [, , g, other] = await grids(SCOPE, 4, 3);
    // Without the change feed the tab learns of the other commit only from
    // the 409 (with it, the pending edit is previewed again: planner tests).
    await page.route(/\/v1\/changes\/stream/, (route) => route.abort('failed'));
    await fit(page, g);
    await enterEdit(page, token);
    await select(page, g.above, g.code);
    await drawSplit(page, [g.west, g.east]);
    await waitFor(page, '#edit-preview[data-valid="true"]', 'a valid preview');
    // Someone else commits first.
    const now = (await getJSON(base, '/v1/version')).version;
    const res = await send('/v1/edits', { op: 'split', grid: other.code, line: { type: 'LineString', coordinates: [other.west, other.east] }, reason: 'e2e: meanwhile' }, now);
    assert(res.status === 201, `the concurrent commit: HTTP ${res.status} ${await res.text()}`);
    await page.fill('#edit-reason', 'e2e: too late');
    await page.click('#edit-commit');
    await waitFor(page, '#edit-status[data-state="stale"] #edit-reload', 'the stale-base message');
    await page.click('#edit-reload');
    await page.waitForFunction(() => !document.querySelector('#edit-status') && document.querySelector('[data-field="edit-grid-code"]'), null, { timeout: 15000 });

    // A grid outside the token's scope opens read-only (planner.browser.mjs
    // has more); the server refuses an edit of it all the same.
    const [far] = await grids('520203000000', 1);
    await show(page, far);
    await select(page, far.above, far.code);
    await waitFor(page, '#edit-readonly', 'the read-only line outside the scope');
    const refused = await send('/v1/edits', { op: 'split', grid: far.code, line: { type: 'LineString', coordinates: [far.west, far.east] }, reason: 'e2e: outside' },
      (await getJSON(base, '/v1/version')).version);
    assert(refused.status === 403, `an edit outside the scope through the API: HTTP ${refused.status}`);
  }, { allowConsole: [/status of 409/, /changes\/stream|ERR_FAILED|EventSource/] });
}

// basics.browser.mjs: the web map's first tests: it loads with no error
// and no foreign request, grids render in their colours, clicks, search,
// links, labels in Noto Sans SC, the language switch and screenshots.
// Imported by browser.test.mjs.

import { statSync } from 'node:fs';
import { assert, newGuardedPage, test } from './harness.mjs';
import { getJSON, idle, open, openURL, panelGridCode, pixelStats, showOnly } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;

// Kept in step with web/static/js/style.js.
const GRID_COLORS = ['#8dd3c7', '#ffed6f', '#bebada', '#fb8072', '#80b1d3', '#fdb462'];
const CITY_GOVERNMENT = [104.8304, 26.5925]; // 六盘水市人民政府, in 钟山区 (DOMAIN.md)
const UI = { left: 30, top: 90, right: 400, bottom: 60 }; // margins the page's panels cover

/** bbox returns [w, s, e, n] of a GeoJSON geometry. */
function bbox(geometry) {
  const b = [Infinity, Infinity, -Infinity, -Infinity];
  const walk = (c) => {
    if (typeof c[0] !== 'number') return c.forEach(walk);
    b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]);
    b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1]);
  };
  walk(geometry.coordinates);
  return b;
}

/** at returns the URL hash of a view. */
const at = ([lon, lat], zoom) => `map=${zoom}/${lat}/${lon}`;

/** sampleGrid returns a grid of 钟山区 from the API (a community's middle
 *  grid) with the centre of its bbox, the view every test starts from. */
let sample = null;
async function sampleGrid() {
  if (sample) return sample;
  const tree = await getJSON(base, '/v1/units?depth=3');
  const district = tree.units[0].children.find((d) => d.code === '520201000000') || tree.units[0].children[0];
  const community = district.children[0].children[Math.floor(district.children[0].children.length / 2)];
  const unit = await getJSON(base, `/v1/units/${community.code}`);
  const code = unit.children[Math.floor(unit.children.length / 2)].code;
  const grid = await getJSON(base, `/v1/grids/${code}`);
  const [w, s, e, n] = bbox(grid.geometry);
  sample = { code, grid, community, center: [(w + e) / 2, (s + n) / 2] };
  return sample;
}

/** visibleBuilding finds a rendered building clear of the page's panels and
 *  returns its point, grid code and screen position. */
async function visibleBuilding(page) {
  const { center } = await sampleGrid();
  await open(page, base, at(center, 16.5));
  const found = await page.evaluate((ui) => {
    const { map } = window.gridmap;
    const { clientWidth: w, clientHeight: h } = map.getCanvas();
    const box = [[ui.left, ui.top], [w - ui.right, h - ui.bottom]];
    const hits = map.queryRenderedFeatures(box, { layers: ['building'] });
    const mid = [(ui.left + w - ui.right) / 2, (ui.top + h - ui.bottom) / 2];
    let best = null;
    for (const f of hits) {
      const p = map.project(f.geometry.coordinates);
      const d = Math.hypot(p.x - mid[0], p.y - mid[1]);
      if (f.properties.grid && (!best || d < best.d)) best = { d, point: f.geometry.coordinates, grid: String(f.properties.grid), x: p.x, y: p.y, n: hits.length };
    }
    return best;
  }, UI);
  assert(found, `no building rendered near ${center} at z16.5`);
  return found;
}

test('page loads with no console error and no request to another host', async ({ page, guard }) => {
  await open(page, base);
  const title = await page.textContent('h1');
  assert(title === '六盘水市网格地图', `h1 = ${title}, want the Chinese title`);
  const mjs = guard.responses.find((r) => r.url.endsWith('maplibre-gl.mjs'));
  assert(mjs?.status === 200, `maplibre-gl.mjs not served: ${JSON.stringify(mjs)}`);
  assert(guard.responses.some((r) => /maplibre-gl-worker\.mjs/.test(r.url) && r.status === 200), 'the MapLibre worker was not loaded');
  assert(guard.responses.some((r) => /\/tiles\/\d+\/\d+\/\d+\.mvt/.test(r.url)), 'no tile was requested');
  const bad = guard.responses.filter((r) => r.status >= 400);
  assert(!bad.length, `failed responses: ${JSON.stringify(bad)}`);
  // The guard itself: a request to another host is caught and recorded.
  // The page's Content-Security-Policy (connect-src 'self') may refuse it
  // before it reaches the network, which is as good.
  await page.evaluate(() => fetch('http://example.invalid/x').catch(() => null));
  const refusedByCSP = guard.consoleErrors.some((e) => /Content Security Policy/i.test(String(e)));
  assert(guard.external.length === 1 || refusedByCSP, `the guard missed a foreign request: ${guard.external}`);
  guard.external.length = 0;
  guard.consoleErrors.length = 0; // the blocked fetch above logs its own error
});

test('grids render in their colours', async ({ page }) => {
  await open(page, base, at((await sampleGrid()).center, 14));
  await showOnly(page, ['grid-fill']);
  await page.evaluate(() => window.gridmap.map.setPaintProperty('grid-fill', 'fill-opacity', 1));
  await idle(page);
  const { counts, total } = await pixelStats(page, GRID_COLORS, { tol: 3 });
  const shown = counts.filter((n) => n > total * 0.005).length;
  const covered = counts.reduce((a, b) => a + b, 0) / total;
  assert(shown >= 3, `only ${shown} grid colours on the canvas (counts ${counts} of ${total} pixels), want at least 3`);
  assert(covered > 0.3, `grid colours cover ${(covered * 100).toFixed(1)}% of the canvas, want over 30%`);
});

test('clicking a building shows its grid code in the panel', async ({ page }) => {
  const b = await visibleBuilding(page);
  const truth = await getJSON(base, `/v1/lookup?lon=${b.point[0]}&lat=${b.point[1]}`);
  assert(truth.grid.code === b.grid, `tiles say building is in ${b.grid}, /v1/lookup says ${truth.grid.code}`);
  await page.mouse.click(b.x, b.y);
  await page.waitForFunction((code) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === code, b.grid, { timeout: 10000 })
    .catch(async () => { throw new Error(`panel shows ${await panelGridCode(page)}, want ${b.grid}`); });
  const panel = await page.textContent('#panel');
  for (const unit of [truth.community, truth.subdistrict, truth.district]) {
    assert(panel.includes(unit.name), `panel lacks ${unit.name}: ${panel}`);
  }
  const hh = await page.textContent('#panel [data-field="households"]');
  assert(/^[\d,]+$/.test(hh), `households shows ${hh}`);
  assert((await page.evaluate(() => location.hash)).includes(`sel=${b.grid}`), 'the URL hash does not carry the selection');
  await idle(page);
  const outlined = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['sel-grid-line'] }).length);
  assert(outlined > 0, 'the selected grid is not outlined');
});

test('clicking outside every grid says so and names the nearest grid', async ({ page }) => {
  const tj = await getJSON(base, '/tiles.json');
  const point = [tj.bounds[0] + 0.002, tj.bounds[1] + 0.002];
  const res = await fetch(new URL(`/v1/lookup?lon=${point[0]}&lat=${point[1]}`, base));
  const problem = await res.json();
  assert(res.status === 404 && problem.nearest?.code, `lookup at the SW corner: ${res.status} ${JSON.stringify(problem)}`);
  await open(page, base, at(point, 14));
  const p = await page.evaluate((pt) => window.gridmap.map.project(pt), point);
  await page.mouse.click(p.x, p.y);
  await page.waitForFunction(() => document.querySelector('#panel')?.dataset.state === 'nogrid', null, { timeout: 10000 });
  const text = await page.textContent('#panel');
  assert(text.includes('此处不在任何网格内') && text.includes(problem.nearest.code), `panel: ${text}`);
  await page.click(`#panel button.link`);
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, problem.nearest.code, { timeout: 10000 });
}, { allowConsole: [/status of 404/] });

test('search by a grid code selects that grid and a link restores the view', async ({ page, browser }) => {
  const { code, center } = await sampleGrid();
  await open(page, base, at(center, 11));
  await page.fill('#search', code);
  await page.waitForSelector(`#search-results li[data-code="${code}"]`, { timeout: 10000 });
  await page.press('#search', 'Enter');
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, code, { timeout: 10000 });
  await idle(page);
  const grid = await getJSON(base, `/v1/grids/${code}`);
  const view = await page.evaluate(() => ({ c: window.gridmap.map.getCenter().toArray(), z: window.gridmap.map.getZoom(), hash: location.hash }));
  assert(view.hash.includes(`sel=${code}`), `hash ${view.hash} lacks sel=${code}`);
  assert(view.z > 13, `zoom after search ${view.z}, want the grid close up`);
  const [w, s, e, n] = bbox(grid.geometry);
  assert(view.c[0] >= w && view.c[0] <= e && view.c[1] >= s && view.c[1] <= n, `centre ${view.c} outside grid ${code} bbox ${[w, s, e, n]}`);
  const drawn = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['sel-grid-line'] }).length);
  assert(drawn > 0, `the searched grid ${code} is not outlined`);
  // Switch a layer off and the language to English; the link keeps both.
  await page.uncheck('input[data-group="buildings"]');
  // The import's repairs are a layer of their own (empty for the embedded
  // city, served by /v1/import/repairs.geojson) with a switch that hides it.
  const repairs = await page.evaluate(() => ({
    source: window.gridmap.map.getSource('repairs')?.type, visible: window.gridmap.map.getLayoutProperty('repair-fill', 'visibility'),
  }));
  assert(repairs.source === 'geojson' && repairs.visible !== 'none', `repairs layer ${JSON.stringify(repairs)}, want a visible GeoJSON layer`);
  await page.uncheck('input[data-group="repairs"]');
  const hidden = await page.evaluate(() => ['repair-fill', 'repair-line', 'repair-point'].map((id) => window.gridmap.map.getLayoutProperty(id, 'visibility')));
  assert(hidden.every((v) => v === 'none'), `repair layers after the switch: ${hidden}, want none`);
  await page.check('input[data-group="repairs"]');
  await page.click('#lang');
  const url = await page.evaluate(() => location.href);
  assert(/hide=buildings/.test(url) && /lang=en/.test(url), `URL ${url} lacks hide=buildings or lang=en`);

  const { context, page: again, guard: second } = await newGuardedPage(browser, base);
  try {
    await openURL(again, url);
    await again.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, code, { timeout: 10000 });
    const back = await again.evaluate(() => ({
      c: window.gridmap.map.getCenter().toArray(), z: window.gridmap.map.getZoom(),
      title: document.querySelector('h1').textContent,
      buildings: window.gridmap.map.getLayoutProperty('building', 'visibility'),
      checked: document.querySelector('input[data-group="buildings"]').checked,
    }));
    assert(Math.abs(back.z - view.z) < 0.02, `reopened zoom ${back.z}, want ${view.z}`);
    assert(Math.abs(back.c[0] - view.c[0]) < 1e-4 && Math.abs(back.c[1] - view.c[1]) < 1e-4, `reopened centre ${back.c}, want ${view.c}`);
    assert(back.title === 'Liupanshui Grid Map', `reopened title ${back.title}, want English`);
    assert(back.buildings === 'none' && !back.checked, `buildings layer ${back.buildings}, checkbox ${back.checked}: want hidden`);
    assert(!second.consoleErrors.length && !second.external.length, `reopened page: errors ${second.consoleErrors}, foreign ${second.external}`);
  } finally {
    await context.close();
  }
});

test('search by a community name selects the community and outlines it', async ({ page }) => {
  const { community, center } = await sampleGrid();
  const short = community.name.replace(/(居民委员会|居委会)$/, '');
  await open(page, base, at(center, 12));
  await page.fill('#search', short);
  const item = `#search-results li[data-code="${community.code}"]`;
  await page.waitForSelector(item, { timeout: 10000 });
  await page.click(item);
  await page.waitForFunction((c) => document.querySelector('#panel [data-field="unit-code"]')?.textContent === c, community.code, { timeout: 10000 });
  await idle(page);
  const panel = await page.textContent('#panel');
  assert(panel.includes(community.name), `panel lacks ${community.name}: ${panel}`);
  const grids = await page.$$eval('#panel .children button', (bs) => bs.length);
  assert(grids === community.counts.grids, `panel lists ${grids} grids, want ${community.counts.grids}`);
  const outlined = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['sel-community'] }).length);
  assert(outlined > 0, 'the community is not outlined');
  assert((await page.evaluate(() => location.hash)).includes(`sel=${community.code}`), 'the hash lacks the community');
});

test('Chinese labels render with the Noto Sans SC served by gridmap', async ({ page, guard }) => {
  await open(page, base, at((await sampleGrid()).center, 13));
  await showOnly(page, ['label-community', 'label-subdistrict']);
  const fonts = guard.responses.filter((r) => /\/static\/vendor\/noto-sans-sc\/files\/.+\.woff2$/.test(r.url));
  assert(fonts.length > 0 && fonts.every((r) => r.status === 200), `Noto Sans SC chunks: ${JSON.stringify(fonts)}`);
  const mapFonts = await page.evaluate(() => [...document.fonts].filter((f) => f.family.startsWith('maplibre-gl-font-face')).map((f) => f.status));
  assert(mapFonts.includes('loaded'), `MapLibre loaded no font face: ${mapFonts}`);
  const labels = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['label-community', 'label-subdistrict'] })
    .map((f) => ({ name: f.properties.name, p: window.gridmap.map.project(f.geometry.coordinates) })));
  const cjk = labels.find((l) => /[\u4e00-\u9fff]/.test(l.name));
  assert(cjk, `no Chinese label rendered at z13: ${JSON.stringify(labels.slice(0, 5))}`);
  const rect = [cjk.p.x - 40, cjk.p.y - 12, 80, 24];
  const { ink, total } = await pixelStats(page, [], { rect });
  assert(ink > total * 0.05 && ink < total * 0.9, `label ${cjk.name}: ${ink} of ${total} pixels inked, want text strokes`);
});

test('English switch translates the interface', async ({ page }) => {
  await open(page, base);
  assert((await page.getAttribute('#search', 'placeholder')).includes('搜索'), 'placeholder is not Chinese');
  await page.click('#lang');
  assert(await page.textContent('h1') === 'Liupanshui Grid Map', 'h1 did not switch to English');
  assert((await page.getAttribute('#search', 'placeholder')).startsWith('Search'), 'placeholder did not switch');
  assert((await page.textContent('#panel')).startsWith('Click anywhere'), 'panel hint did not switch');
  await page.click('#lang');
  assert(await page.textContent('h1') === '六盘水市网格地图', 'h1 did not switch back');
});

test('screenshots of the city and of a selected grid', async ({ page, artifact }) => {
  await open(page, base);
  await page.screenshot({ path: artifact('city.png') });
  await open(page, base, at(CITY_GOVERNMENT, 13));
  await page.screenshot({ path: artifact('zhongshan-z13.png') });
  const b = await visibleBuilding(page);
  await page.mouse.click(b.x, b.y);
  await page.waitForFunction(() => document.querySelector('#panel [data-field="grid-code"]'), null, { timeout: 10000 });
  await idle(page);
  await page.screenshot({ path: artifact('grid-selected.png') });
  for (const name of ['city.png', 'zhongshan-z13.png', 'grid-selected.png']) {
    const size = statSync(artifact(name)).size;
    assert(size > 20000, `${name} is ${size} bytes, an empty map?`);
  }
});

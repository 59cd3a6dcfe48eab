// coverage.browser.mjs: browser tests of the 15-minute service circles
// view, against the gridmap at GRIDMAP_URL. Imported by browser.test.mjs,
// whose run() runs them with the rest.

import { statSync } from 'node:fs';
import { COVERAGE_CLASSES } from '../static/js/coverage-style.js';
import { number, percent } from '../static/js/format.js';
import { assert, test } from './harness.mjs';
import { getJSON, idle, open, pixelStats, showOnly } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;
const at = ([lon, lat], zoom, extra = '') => `map=${zoom}/${lat}/${lon}${extra}`;
const COLORS = COVERAGE_CLASSES.map((c) => c.color);
const classOf = (share) => COVERAGE_CLASSES.filter((c) => share >= c.from).pop();

/** post sends a JSON body to a gridmap API path from Node. */
async function post(path, body) {
  const res = await fetch(new URL(path, base), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`POST ${path}: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** waitPanel waits until the panel's data-field shows want. */
async function waitPanel(page, field, want, what) {
  await page.waitForFunction(([f, w]) => document.querySelector(`#panel [data-field="${f}"]`)?.textContent === w, [field, want], { timeout: 15000 })
    .catch(async () => {
      const got = await page.evaluate((f) => document.querySelector(`#panel [data-field="${f}"]`)?.textContent ?? null, field);
      throw new Error(`${what}: panel ${field} shows ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
    });
}

/** circleData returns the features drawn in the circle source. */
const circleData = (page) => page.evaluate(async () => (await window.gridmap.map.getSource('cov-circle').getData()).features.map((f) => f.properties));

/** zhongshanStation is a community station of 钟山区 (520201), the middle
 *  one by id, with its point. */
let stationCache = null;
async function zhongshanStation() {
  if (stationCache) return stationCache;
  const fc = await getJSON(base, '/v1/stations');
  const own = fc.features.filter((f) => f.properties.kind === 'community' && f.properties.unit?.code.startsWith('520201'));
  assert(own.length > 0, `no community station in 钟山区 among ${fc.features.length}`);
  stationCache = own[Math.floor(own.length / 2)];
  return stationCache;
}

test('circles view toggles on and off with no console error', async ({ page }) => {
  const st = await zhongshanStation();
  const cov = await getJSON(base, '/v1/coverage?level=district&minutes=15');
  await open(page, base, at(st.geometry.coordinates, 13));
  const before = await page.evaluate(() => JSON.stringify(window.gridmap.map.getPaintProperty('grid-fill', 'fill-opacity')));
  await page.click('#circles-toggle');
  await waitPanel(page, 'city-share', percent(cov.total.share), 'city coverage');
  await idle(page);
  const on = await page.evaluate(() => {
    const { map } = window.gridmap;
    return {
      hash: location.hash, pressed: document.getElementById('circles-toggle').getAttribute('aria-pressed'),
      legend: !document.getElementById('coverage-legend').hidden, gridFill: map.getPaintProperty('grid-fill', 'fill-opacity'),
      visible: ['cov-grid-fill', 'cov-station', 'cov-gap'].map((id) => map.getLayoutProperty(id, 'visibility')),
      stations: map.queryRenderedFeatures({ layers: ['cov-station'] }).length,
      grids: map.queryRenderedFeatures({ layers: ['cov-grid-fill'] }).length,
    };
  });
  assert(on.hash.includes('view=circles') && on.pressed === 'true' && on.legend, `view not on: ${JSON.stringify(on)}`);
  assert(on.gridFill === 0 && on.visible.every((v) => v === 'visible'), `layers: ${JSON.stringify(on)}`);
  assert(on.stations > 0 && on.grids > 0, `nothing drawn: ${on.stations} stations, ${on.grids} coverage grids`);
  const panel = await page.textContent('#panel');
  for (const d of cov.units) assert(panel.includes(d.name), `panel lacks district ${d.name}: ${panel}`);
  await page.click('#circles-toggle');
  const off = await page.evaluate(() => ({
    hash: location.hash, fill: JSON.stringify(window.gridmap.map.getPaintProperty('grid-fill', 'fill-opacity')),
    vis: window.gridmap.map.getLayoutProperty('cov-grid-fill', 'visibility'), state: document.getElementById('panel').dataset.state,
  }));
  assert(!off.hash.includes('view=') && off.fill === before && off.vis === 'none' && off.state === 'empty', `view not off: ${JSON.stringify(off)}`);
});

test('clicking a station draws its circle and the panel counts households per band', async ({ page }) => {
  const st = await zhongshanStation();
  const id = st.properties.id;
  const truth = await getJSON(base, `/v1/stations/${id}/circle?minutes=15&bands=5,10,15`);
  await open(page, base, at(st.geometry.coordinates, 15, '&view=circles'));
  await page.waitForSelector('#panel [data-field="city-share"]', { timeout: 15000 });
  await idle(page);
  const p = await page.evaluate((pt) => window.gridmap.map.project(pt), st.geometry.coordinates);
  await page.mouse.click(p.x, p.y);
  await waitPanel(page, 'circle-households', number(truth.summary.households), `station ${id}`);
  assert(await page.textContent('#panel [data-field="station-name"]') === st.properties.name, 'panel names another station');
  const drawn = await circleData(page);
  const bands = drawn.filter((f) => f.role === 'band').map((f) => f.minutes).sort((a, b) => a - b);
  assert(JSON.stringify(bands) === '[5,10,15]', `circle source bands ${JSON.stringify(bands)}, want [5,10,15]`);
  for (const b of truth.features.filter((f) => f.properties.role === 'band')) {
    const cell = await page.textContent(`#panel tr[data-minutes="${b.properties.minutes}"] td:last-child`);
    assert(cell === number(b.properties.households), `${b.properties.minutes} min: panel ${cell}, want ${b.properties.households}`);
  }
  await idle(page);
  const rendered = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['cov-band-fill', 'cov-band-line'] }).length);
  assert(rendered > 0, 'the circle is in its source but not drawn');
  assert((await page.evaluate(() => location.hash)).includes(`station=${id}`), 'the hash lacks the station');
  await page.click('#panel button.close');
  assert((await circleData(page)).length === 0, 'closing the panel left the circle drawn');
  assert(!(await page.evaluate(() => location.hash)).includes('station='), 'closing the panel left the station in the hash');
});

test('a link with view=circles and station= reopens the circle', async ({ page }) => {
  const st = await zhongshanStation();
  await open(page, base, at(st.geometry.coordinates, 14, `&view=circles&station=${st.properties.id}`));
  await page.waitForFunction((n) => document.querySelector('#panel [data-field="station-name"]')?.textContent === n, st.properties.name, { timeout: 15000 });
  assert((await circleData(page)).length === 4, 'the circle was not drawn from the link');
  // Editing the link in the same tab: dropping the view turns it off.
  await page.evaluate(() => { location.hash = location.hash.replace(/&view=circles&station=\d+/, ''); });
  await page.waitForFunction(() => !window.gridmap.circles.on, null, { timeout: 5000 });
  const after = await page.evaluate(async () => ({
    panel: document.getElementById('panel').dataset.state,
    drawn: (await window.gridmap.map.getSource('cov-circle').getData()).features.length,
    legend: document.getElementById('coverage-legend').hidden,
  }));
  assert(after.panel === 'empty' && after.drawn === 0 && after.legend, `after dropping view from the hash: ${JSON.stringify(after)}`);
});

test('coverage choropleth colours each grid by its share class', async ({ page }) => {
  const gaps = await getJSON(base, '/v1/coverage/gaps?minutes=15&limit=50');
  const worst = gaps.grids.find((g) => g.share < 0.5);
  assert(worst, 'no grid below 50% coverage to look at');
  const hit = (await getJSON(base, `/v1/search?q=${worst.code}`)).results.find((r) => r.code === worst.code);
  await open(page, base, at(hit.point, 14.5, '&view=circles'));
  await page.waitForSelector('#panel [data-field="city-share"]', { timeout: 15000 });
  await showOnly(page, ['cov-grid-fill']);
  await page.evaluate(() => window.gridmap.map.setPaintProperty('cov-grid-fill', 'fill-opacity', 1));
  await idle(page);
  const { counts, total } = await pixelStats(page, COLORS, { tol: 3 });
  const shown = counts.filter((n) => n > total * 0.002).length;
  assert(shown >= 2, `choropleth classes on the canvas: ${counts} of ${total} pixels, want at least 2 classes`);
  const p = await page.evaluate((pt) => window.gridmap.map.project(pt), hit.point);
  const want = classOf(worst.share);
  const spot = await pixelStats(page, [want.color], { tol: 3, rect: [p.x - 2, p.y - 2, 5, 5] });
  assert(spot.counts[0] === spot.total, `grid ${worst.code} (share ${worst.share}) at ${hit.point}: ${spot.counts[0]} of ${spot.total} pixels ${want.color}`);
});

test('the worst grids list flies to a grid and shows its gap', async ({ page }) => {
  const gaps = await getJSON(base, '/v1/coverage/gaps?minutes=15&limit=10');
  const worst = gaps.grids[0];
  await open(page, base, 'view=circles');
  await page.waitForSelector('#panel .worst button', { timeout: 15000 });
  const listed = await page.$$eval('#panel .worst button', (bs) => bs.map((b) => b.dataset.code));
  assert(JSON.stringify(listed) === JSON.stringify(gaps.grids.map((g) => g.code)), `worst grids ${listed}, want ${gaps.grids.map((g) => g.code)}`);
  await page.click(`#panel .worst button[data-code="${worst.code}"]`);
  await waitPanel(page, 'grid-code', worst.code, 'worst grid');
  await waitPanel(page, 'grid-coverage', percent(worst.share), `grid ${worst.code}`);
  assert(await page.$('#panel [data-field="city-share"]'), 'the city header left the panel');
  await idle(page);
  const hit = (await getJSON(base, `/v1/search?q=${worst.code}`)).results.find((r) => r.code === worst.code);
  const view = await page.evaluate(() => window.gridmap.map.getBounds().toArray());
  assert(hit.point[0] > view[0][0] && hit.point[0] < view[1][0] && hit.point[1] > view[0][1] && hit.point[1] < view[1][1], `grid ${worst.code} at ${hit.point} is outside the view ${view}`);
  const red = await page.evaluate(() => window.gridmap.map.queryRenderedFeatures({ layers: ['cov-gap'] }).length);
  assert(red > 0, `no uncovered building drawn in grid ${worst.code}, which has ${worst.buildings_uncovered}`);
});

test('what-if: right-click and the place button draw a circle with its gain', async ({ page }) => {
  const gaps = await getJSON(base, '/v1/coverage/gaps?minutes=15&limit=5');
  const gap = gaps.features[0].geometry.coordinates;
  const gain = await post('/v1/coverage/suggest', { k: 1, minutes: 15, candidates: [gap] });
  await open(page, base, at(gap, 15, '&view=circles'));
  await page.waitForSelector('#panel [data-field="city-share"]', { timeout: 15000 });
  const p = await page.evaluate((pt) => window.gridmap.map.project(pt), gap);
  // A right-button drag rotates the map and places nothing.
  await page.mouse.move(p.x - 100, p.y);
  await page.mouse.down({ button: 'right' });
  await page.mouse.move(p.x - 20, p.y + 30, { steps: 6 });
  await page.mouse.up({ button: 'right' });
  await page.waitForTimeout(400);
  assert((await circleData(page)).length === 0, 'a right-drag placed a what-if station');
  await page.evaluate(() => window.gridmap.map.jumpTo({ bearing: 0 }));
  await idle(page);
  await page.mouse.click(p.x, p.y, { button: 'right' });
  await page.waitForFunction(() => document.querySelector('#panel [data-field="whatif-gain"]'), null, { timeout: 15000 });
  const text = await page.textContent('#panel [data-field="whatif-gain"]');
  assert(gain.gain.households > 0 && text.includes(number(gain.gain.households)), `gain shows ${text}, want ${gain.gain.households} households`);
  const drawn = await circleData(page);
  assert(drawn.length === 4 && drawn.every((f) => f.whatif === true), `what-if circle: ${JSON.stringify(drawn)}`);
  // The button arms a placement; the next click places.
  await page.click('#panel [data-action="whatif"]');
  assert(await page.evaluate(() => document.body.classList.contains('placing')), 'the button did not arm a placement');
  const q = { x: p.x + 60, y: p.y + 40 };
  const where = await page.evaluate(({ x, y }) => window.gridmap.map.unproject([x, y]).toArray(), q);
  await page.mouse.click(q.x, q.y);
  await page.waitForFunction((lon) => document.querySelector('#panel')?.dataset.state === 'whatif' &&
    document.querySelector('#panel dd')?.textContent.startsWith(lon), where[0].toFixed(5), { timeout: 15000 });
});

test('screenshot of a station circle next to a gap', async ({ page, artifact }) => {
  const gaps = await getJSON(base, '/v1/coverage/gaps?minutes=15&limit=1');
  const gap = gaps.features[0].geometry.coordinates;
  const near = await getJSON(base, `/v1/nearest-station?lon=${gap[0]}&lat=${gap[1]}`);
  const mid = [(gap[0] + near.station.point[0]) / 2, (gap[1] + near.station.point[1]) / 2];
  await open(page, base, at(mid, 14.3, `&view=circles&station=${near.station.id}`));
  await page.waitForSelector('#panel [data-field="circle-households"]', { timeout: 15000 });
  await idle(page);
  await page.screenshot({ path: artifact('circles.png') });
  const size = statSync(artifact('circles.png')).size;
  assert(size > 20000, `circles.png is ${size} bytes, an empty map?`);
});

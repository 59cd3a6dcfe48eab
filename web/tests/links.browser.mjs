// links.browser.mjs: links that reopen what was picked (issue 14): a bare
// #sel= flies to its grid, a geocoded building and a what-if station live
// in the URL, Back steps through selections, copy-link and whole-city
// buttons. Imported by browser.test.mjs.

import { assert, newGuardedPage, test } from './harness.mjs';
import { getJSON, idle, open, openURL } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;

/** firstBuildings returns two buildings of different grids (OGC API). */
async function twoBuildings() {
  const page = await getJSON(base, '/ogc/collections/buildings/items?limit=200');
  const a = page.features.find((f) => f.properties.building);
  const b = page.features.find((f) => f.properties.grid !== a.properties.grid);
  return [a, b];
}

const gridShown = (page, code) => page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, code, { timeout: 15000 });

/** inBox reports whether [lon, lat] lies in a GeoJSON geometry's bbox. */
function inBox([x, y], geometry) {
  const xs = []; const ys = [];
  const walk = (c) => (typeof c[0] === 'number' ? (xs.push(c[0]), ys.push(c[1])) : c.forEach(walk));
  walk(geometry.coordinates);
  return x >= Math.min(...xs) && x <= Math.max(...xs) && y >= Math.min(...ys) && y <= Math.max(...ys);
}

test('link: #sel=CODE alone flies to the grid', async ({ page }) => {
  const [a] = await twoBuildings();
  const code = a.properties.grid;
  await open(page, base, `sel=${code}`);
  await gridShown(page, code);
  await idle(page);
  const grid = await getJSON(base, `/v1/grids/${code}`);
  const view = await page.evaluate(() => ({ c: window.gridmap.map.getCenter().toArray(), z: window.gridmap.map.getZoom(), hash: location.hash }));
  assert(view.z > 13, `zoom ${view.z} after #sel=${code}, want the grid close up`);
  assert(inBox(view.c, grid.geometry), `centre ${view.c} is not on grid ${code}`);
  assert(view.hash.includes(`sel=${code}`) && view.hash.includes('map='), `hash ${view.hash}`);
});

test('link: a geocoded building is kept in the URL and reopens', async ({ page, browser }) => {
  const [a] = await twoBuildings();
  await open(page, base);
  await page.fill('#search', a.properties.address);
  const item = `#search-results li[data-building="${a.id}"]`;
  await page.waitForSelector(item, { timeout: 15000 });
  await page.click(item);
  await gridShown(page, a.properties.grid);
  await page.waitForFunction((id) => location.hash.includes(`bld=${id}`), a.id, { timeout: 5000 })
    .catch(async () => { throw new Error(`hash ${await page.evaluate(() => location.hash)} lacks bld=${a.id}`); });
  const url = new URL(`/#bld=${a.id}`, base).href; // no map position: it must fly there
  const { context, page: again } = await newGuardedPage(browser, base);
  try {
    await openURL(again, url);
    await gridShown(again, a.properties.grid);
    const text = await again.textContent('#panel [data-field="building-address"]');
    assert(text === a.properties.address, `reopened building address ${text}, want ${a.properties.address}`);
    await idle(again);
    const c = await again.evaluate(() => window.gridmap.map.getCenter().toArray());
    const [x, y] = a.geometry.coordinates;
    assert(Math.abs(c[0] - x) < 0.003 && Math.abs(c[1] - y) < 0.003, `reopened centre ${c}, want near the building ${x},${y}`);
  } finally {
    await context.close();
  }
});

test('link: a what-if station is kept in the URL and reopens', async ({ page }) => {
  const [a] = await twoBuildings();
  const [x, y] = a.geometry.coordinates;
  await open(page, base, `view=circles&whatif=${x},${y}`);
  await page.waitForFunction(() => document.querySelector('#panel')?.dataset.state === 'whatif', null, { timeout: 20000 });
  const hash = await page.evaluate(() => location.hash);
  assert(hash.includes(`whatif=${x.toFixed(6)},${y.toFixed(6)}`), `hash ${hash} lost the what-if point`);
  const drawn = await page.evaluate(() => window.gridmap.circles.point);
  assert(Math.abs(drawn[0] - x) < 1e-6 && Math.abs(drawn[1] - y) < 1e-6, `what-if drawn at ${drawn}, want ${x},${y}`);
});

test('link: Back steps through selections, not pans', async ({ page }) => {
  const [a, b] = await twoBuildings();
  await open(page, base, `sel=${a.properties.grid}`);
  await gridShown(page, a.properties.grid);
  await page.fill('#search', b.properties.grid);
  await page.waitForSelector(`#search-results li[data-code="${b.properties.grid}"]`, { timeout: 10000 });
  await page.press('#search', 'Enter');
  await gridShown(page, b.properties.grid);
  await idle(page);
  await page.evaluate(() => window.gridmap.map.panBy([120, 40], { duration: 0 }));
  await idle(page);
  await page.goBack();
  await gridShown(page, a.properties.grid);
  const hash = await page.evaluate(() => location.hash);
  assert(hash.includes(`sel=${a.properties.grid}`), `after Back the hash is ${hash}`);
  await page.goForward();
  await gridShown(page, b.properties.grid);
});

test('link: the copy-link button copies the URL; the whole-city button shows the city', async ({ page }) => {
  const [a] = await twoBuildings();
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(base).origin });
  await open(page, base, `sel=${a.properties.grid}`);
  await gridShown(page, a.properties.grid);
  await idle(page);
  await page.click('button.ctrl-copy');
  await page.waitForSelector('.toast:not([hidden])', { timeout: 5000 });
  const [copied, href] = await page.evaluate(async () => [await navigator.clipboard.readText(), location.href]);
  assert(copied === href && copied.includes(`sel=${a.properties.grid}`), `copied ${copied}, page at ${href}`);
  const label = await page.getAttribute('button.ctrl-extent', 'aria-label');
  assert(label === '全市范围', `whole-city button label ${label}`);
  await page.click('button.ctrl-extent');
  await idle(page);
  const tj = await getJSON(base, '/tiles.json');
  const shown = await page.evaluate(() => window.gridmap.map.getBounds().toArray());
  const [w, s, e, n] = tj.bounds;
  const mid = [(w + e) / 2, (s + n) / 2];
  assert(shown[0][0] <= mid[0] && shown[1][0] >= mid[0] && shown[0][1] <= mid[1] && shown[1][1] >= mid[1], `view ${JSON.stringify(shown)} misses the city's middle ${mid}`);
  const spanShown = shown[1][0] - shown[0][0];
  assert(spanShown >= (e - w) * 0.8, `view spans ${spanShown}°, the city ${e - w}°`);
});

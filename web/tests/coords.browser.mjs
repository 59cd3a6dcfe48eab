// coords.browser.mjs: coordinates typed into the search box and "my
// location" (issue 14). Imported by browser.test.mjs.

import { wgsToGCJ } from '../static/js/coords.js';
import { assert, test } from './harness.mjs';
import { getJSON, open } from './mapkit.mjs';

const base = process.env.GRIDMAP_URL;

async function aBuilding() {
  const page = await getJSON(base, '/ogc/collections/buildings/items?limit=50&offset=300');
  return page.features[7];
}

const gridShown = (page, code) => page.waitForFunction((c) => document.querySelector('#panel [data-field="grid-code"]')?.textContent === c, code, { timeout: 15000 })
  .catch(async () => { throw new Error(`panel shows ${await page.textContent('#panel')}, want grid ${code}`); });

test('coords: a GCJ-02 point typed lat,lon selects its grid with a marker', async ({ page }) => {
  const b = await aBuilding();
  const wgs = b.geometry.coordinates;
  const gcj = wgsToGCJ(wgs).map((v) => Number(v.toFixed(7)));
  const truth = await getJSON(base, `/v1/lookup?lon=${gcj[0]}&lat=${gcj[1]}&crs=gcj02`);
  await open(page, base);
  await page.fill('#search', `${gcj[1]}, ${gcj[0]}`); // latitude first
  await page.waitForSelector('#search-results li.coords[data-crs="gcj02"]', { timeout: 10000 });
  const rows = await page.$$eval('#search-results li.coords', (ls) => ls.map((l) => l.textContent));
  assert(rows.length === 3 && rows[0].includes(`${gcj[0]}`), `rows ${JSON.stringify(rows)}, want one reading (lon first) in 3 systems`);
  await page.click('#search-results li.coords[data-crs="gcj02"]');
  await gridShown(page, truth.grid.code);
  const at = await page.evaluate(() => window.gridmap.selection.at);
  assert(Math.abs(at[0] - wgs[0]) < 2e-6 && Math.abs(at[1] - wgs[1]) < 2e-6, `marked ${at}, want the WGS-84 point ${wgs}`);
  const marker = await page.evaluate(async () => (await window.gridmap.map.getSource('selection').getData()).features.some((f) => f.geometry.type === 'Point'));
  assert(marker, 'no marker at the typed point');
  const hash = await page.evaluate(() => location.hash);
  assert(hash.includes(`at=${wgs[0].toFixed(6)}`), `hash ${hash} lacks the point`);
});

test('coords: an order that cannot be told apart asks, in both languages', async ({ page }) => {
  await open(page, base);
  await page.fill('#search', '30, 40');
  await page.waitForSelector('#search-results li.coords', { timeout: 10000 });
  const rows = await page.$$eval('#search-results li.coords', (ls) => ls.map((l) => l.textContent));
  assert(rows.length === 6 && rows.every((r) => r.includes('经纬度顺序不确定')), `rows ${JSON.stringify(rows)}, want both orders asked`);
  await page.click('#lang');
  await page.fill('#search', '30, 41');
  await page.waitForFunction(() => document.querySelector('#search-results li.coords')?.textContent.includes('Which order'), null, { timeout: 10000 });
});

test('coords: "my location" selects the grid where the browser is', async ({ page, base: url }) => {
  const b = await aBuilding();
  const [lon, lat] = b.geometry.coordinates;
  const truth = await getJSON(base, `/v1/lookup?lon=${lon}&lat=${lat}`);
  await page.context().grantPermissions(['geolocation'], { origin: new URL(url).origin });
  await page.context().setGeolocation({ longitude: lon, latitude: lat });
  await open(page, base);
  assert(await page.getAttribute('#locate', 'aria-label') === '我的位置', 'the locate button has no label');
  await page.click('#locate');
  await gridShown(page, truth.grid.code);
});
